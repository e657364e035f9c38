"""What the file-drop source expects: one spec per entity folder, plus shared defaults.

Column kinds (how a cell is parsed and which warehouse type it gets):
  text       free text, stripped; "" becomes NULL
  id         like text; an Excel number 123.0 becomes "123"
  date       ISO ``YYYY-MM-DD`` or ``DD.MM.YYYY``
  timestamp  ISO 8601 (offset converted to UTC, none taken as UTC) or ``DD.MM.YYYY[ HH:MM[:SS]]``
  money      ``decimal.Decimal``: ``1234.50``, ``1 234,50``, ``1,234.50``; negative is rejected
  count      non-negative whole number
  duration   non-negative whole seconds, also ``MM:SS`` / ``HH:MM:SS``
  bool       true/false, 1/0, yes/no, да/нет
  currency   ISO code, upper-cased, must be one of the source's ``currencies``
  status     open | won | lost, lower-cased
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_NAME = "files"
DEFAULT_SOURCE_SYSTEM = "files"
DEFAULT_CURRENCIES: tuple[str, ...] = ("RUB", "USD", "EUR", "KZT", "BYN", "CNY")
# Legacy codes still written by some Russian CRMs and banks.
CURRENCY_ALIASES: dict[str, str] = {"RUR": "RUB"}
DEAL_STATUSES: tuple[str, ...] = ("open", "won", "lost")

SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".parquet")
CSV_DELIMITERS: tuple[str, ...] = (",", ";", "\t")
BATCH_SIZE = 5_000  # rows per batch on the row-by-row path (CSV, XLSX)
ARROW_BATCH_SIZE = 131_072  # rows per Arrow record batch on the Parquet fast path
LOAD_ROW_GROUP = 65_536  # rows per Arrow table handed to dlt (one Parquet row group each)

# Raw personal data: hashed into the entity's key column (see EntitySpec.pii_key) and dropped.
# Header names are compared after normalisation (lower case, separators -> "_"). A column is
# an e-mail / phone column when its name is one of the exact names or contains a marker
# ("client_email", "телефон_клиента"); name columns match exactly ("campaign_name" is not PII).
EMAIL_COLUMNS: tuple[str, ...] = ("email", "e_mail", "mail", "почта")
EMAIL_MARKERS: tuple[str, ...] = ("email", "e_mail", "почт")
PHONE_COLUMNS: tuple[str, ...] = ("phone", "phone_number", "telephone", "tel", "mobile")
PHONE_MARKERS: tuple[str, ...] = ("phone", "телефон")
NAME_COLUMNS: tuple[str, ...] = (
    "name",
    "full_name",
    "contact_name",
    "client_name",
    "customer_name",
    "first_name",
    "last_name",
    "middle_name",
    "фио",
    "имя",
)

# Added by the connector to every row; an input column with one of these names is an error.
SOURCE_FILE, SOURCE_ROW, SOURCE_SEQ, ROW_KEY = "source_file", "source_row", "source_seq", "row_key"
RESERVED_COLUMNS: tuple[str, ...] = (SOURCE_FILE, SOURCE_ROW, SOURCE_SEQ, ROW_KEY)

KIND_TO_DLT_TYPE: dict[str, str] = {
    "text": "text",
    "id": "text",
    "currency": "text",
    "status": "text",
    "date": "date",
    "timestamp": "timestamp",
    "money": "decimal",
    "count": "bigint",
    "duration": "bigint",
    "bool": "bool",
}


@dataclass(frozen=True)
class EntitySpec:
    name: str
    columns: dict[str, str]  # canonical column -> kind, in table order
    required_columns: tuple[str, ...]  # must be in the header
    required_values: tuple[str, ...]  # must be non-empty in every row
    primary_key: tuple[str, ...]  # merge key; ("row_key",) when built from nullable parts
    row_key_parts: tuple[str, ...] = ()  # parts of a computed row_key
    any_of_columns: tuple[str, ...] = ()  # at least one of these must be in the header
    pii_key: str | None = None  # column that receives contact_key(email, phone, salt)


_UTM = {
    "utm_source": "text",
    "utm_medium": "text",
    "utm_campaign": "text",
}
_UTM_FULL = {**_UTM, "utm_content": "text", "utm_term": "text"}

AD_SPEND = EntitySpec(
    name="ad_spend",
    columns={
        "spend_date": "date",
        "source_system": "text",
        "account_id": "id",
        "campaign_id": "id",
        "campaign_name": "text",
        "ad_group_id": "id",
        "ad_group_name": "text",
        **_UTM,
        "impressions": "count",
        "clicks": "count",
        "cost": "money",
        "currency": "currency",
    },
    required_columns=("spend_date", "cost", "currency"),
    required_values=("spend_date", "cost", "currency"),
    any_of_columns=("campaign_id", "campaign_name", "utm_campaign"),
    # The design's grain (day x system x account x campaign x ad group); ad_group_id and
    # account_id are nullable, so the merge key is a computed text column.
    primary_key=(ROW_KEY,),
    row_key_parts=("spend_date", "source_system", "account_id", "campaign_id", "ad_group_id"),
)

VISITS = EntitySpec(
    name="visits",
    columns={
        "visit_id": "id",
        "source_system": "text",
        "client_id": "id",
        "user_id": "id",
        "started_at": "timestamp",
        **_UTM_FULL,
        "click_id": "id",
        "click_id_kind": "text",
        "referrer": "text",
        "landing_url": "text",
        "device_category": "text",
        "page_views": "count",
    },
    required_columns=("visit_id", "client_id", "started_at"),
    required_values=("visit_id", "client_id", "started_at"),
    primary_key=("source_system", "visit_id"),
    pii_key="contact_key",  # only added when a visits file carries e-mail/phone (forms)
)

DEALS = EntitySpec(
    name="deals",
    columns={
        "deal_id": "id",
        "source_system": "text",
        "created_at": "timestamp",
        "closed_at": "timestamp",
        "status": "status",
        "pipeline": "text",
        "stage": "text",
        "amount": "money",
        "cost_of_goods": "money",
        "currency": "currency",
        "manager": "text",
        "contact_key": "text",
        "visit_id": "id",
        "client_id": "id",
        "click_id": "id",
        **_UTM_FULL,
        "updated_at": "timestamp",
    },
    required_columns=("deal_id", "created_at", "status", "amount", "currency"),
    # amount/currency may be empty on open and lost leads; a won deal needs both (validation).
    required_values=("deal_id", "created_at", "status"),
    primary_key=("source_system", "deal_id"),
    pii_key="contact_key",
)

DEAL_STAGE_EVENTS = EntitySpec(
    name="deal_stage_events",
    columns={
        "deal_id": "id",
        "source_system": "text",
        "stage": "text",
        "entered_at": "timestamp",
    },
    required_columns=("deal_id", "stage", "entered_at"),
    required_values=("deal_id", "stage", "entered_at"),
    primary_key=("source_system", "deal_id", "stage", "entered_at"),
)

CALLS = EntitySpec(
    name="calls",
    columns={
        "call_id": "id",
        "source_system": "text",
        "started_at": "timestamp",
        "caller_key": "text",
        "duration_s": "duration",
        "is_target": "bool",
        "visit_id": "id",
        "client_id": "id",
        **_UTM,
    },
    required_columns=("call_id", "started_at"),
    required_values=("call_id", "started_at"),
    primary_key=("source_system", "call_id"),
    pii_key="caller_key",
)

ENTITIES: tuple[EntitySpec, ...] = (AD_SPEND, VISITS, DEALS, DEAL_STAGE_EVENTS, CALLS)

REJECTED_ROWS = "rejected_rows"
RESOLVED = "is_resolved"
REJECTED_COLUMNS: dict[str, dict[str, object]] = {
    ROW_KEY: {"data_type": "text", "nullable": False},
    "entity": {"data_type": "text", "nullable": False},
    SOURCE_FILE: {"data_type": "text", "nullable": False},
    SOURCE_ROW: {"data_type": "bigint", "nullable": False},
    "reason": {"data_type": "text", "nullable": False},
    "raw": {"data_type": "text"},
    # True only on a tombstone: dlt deletes the file's stored rejections and not stores it.
    RESOLVED: {"data_type": "bool", "hard_delete": True},
}


def column_hints(spec: EntitySpec) -> dict[str, dict[str, object]]:
    """dlt column hints: every canonical column exists (typed) even when a file lacks it."""
    hints: dict[str, dict[str, object]] = {}
    if ROW_KEY in spec.primary_key:
        hints[ROW_KEY] = {"data_type": "text", "nullable": False}
    for column, kind in spec.columns.items():
        hint: dict[str, object] = {"data_type": KIND_TO_DLT_TYPE[kind], "nullable": True}
        if column in spec.primary_key:
            hint["nullable"] = False
        hints[column] = hint
    hints[SOURCE_FILE] = {"data_type": "text", "nullable": False}
    hints[SOURCE_ROW] = {"data_type": "bigint", "nullable": False}
    # Read order within one run (files sorted, then rows): the merge keeps the highest per key,
    # so a later file/row wins over an earlier one with the same key.
    hints[SOURCE_SEQ] = {"data_type": "bigint", "nullable": False, "dedup_sort": "desc"}
    return hints
