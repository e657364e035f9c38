"""Bitrix24 REST: methods, fields, limits and defaults (source-apis.md, section 3.2)."""

from __future__ import annotations

SOURCE_NAME = "bitrix24"
WEBHOOK_ENV = "BITRIX24_WEBHOOK_URL"  # https://<portal>/rest/<user>/<code>/ — all of it secret
TOKEN_ENV = "BITRIX24_TOKEN"  # OAuth access token, sent as the `auth` body parameter

DEALS_METHOD = "crm.deal.list"
HISTORY_METHOD = "crm.stagehistory.list"
CONTACTS_METHOD = "crm.contact.list"
DEAL_ENTITY_TYPE_ID = 2  # crm.stagehistory.list: 1 lead, 2 deal, 5 invoice

PAGE_SIZE = 50  # fixed by Bitrix24: every list method returns at most 50 rows
MAX_PAGES = 200_000  # loop guard (10 M rows); a server repeating its cursor is caught sooner
REQUESTS_PER_SECOND = 2.0  # leaky bucket drain rate outside Enterprise plans
QUERY_LIMIT_WAIT_S = 1.0  # after 503 QUERY_LIMIT_EXCEEDED: two requests' worth of drain
OTHER_429_WAIT_S = 2.0  # a 429 that is not OPERATION_TIME_LIMIT (undocumented) without Retry-After
MAX_ATTEMPTS = 8

DEFAULT_LAG_MINUTES = 60  # incremental runs re-read deals modified this long before the last run
DEFAULT_TIMEZONE = "Europe/Moscow"  # the calendar that start_date/end_date are days of

# Explicit select: `*` would not return UF_CRM_* and would send every field we do not need
# (TITLE and COMMENTS often carry a client's name).
DEAL_FIELDS: tuple[str, ...] = (
    "ID",
    "CATEGORY_ID",
    "STAGE_ID",
    "STAGE_SEMANTIC_ID",
    "CLOSED",
    "CLOSEDATE",
    "DATE_CREATE",
    "DATE_MODIFY",
    "OPPORTUNITY",
    "CURRENCY_ID",
    "ASSIGNED_BY_ID",
    "CONTACT_ID",
    "COMPANY_ID",
    "SOURCE_ID",
    "UTM_SOURCE",
    "UTM_MEDIUM",
    "UTM_CAMPAIGN",
    "UTM_CONTENT",
    "UTM_TERM",
)
HISTORY_FIELDS: tuple[str, ...] = (
    "ID",
    "TYPE_ID",
    "OWNER_ID",
    "CREATED_TIME",
    "CATEGORY_ID",
    "STAGE_SEMANTIC_ID",
    "STAGE_ID",
)
CONTACT_FIELDS: tuple[str, ...] = ("ID", "PHONE", "EMAIL")

# field_map option: canonical link key -> the deal's user field(s) holding it, first non-empty
# wins. Portals name these themselves (UF_CRM_1712345678), so there is no default.
LINK_KEYS: tuple[str, ...] = ("visit_id", "client_id", "click_id")

SEMANTIC_STATUS: dict[str, str] = {"P": "open", "S": "won", "F": "lost"}
# When STAGE_SEMANTIC_ID is absent: the system stage ids a new pipeline starts with ("C3:WON").
# APOLOGY ("analyse the failure") is the default pipeline's second failure stage. Stages a
# portal added itself (UC_XXXX) may be failures too: those are open, status_source 'unknown'.
STAGE_STATUS: dict[str, str] = {
    "NEW": "open",
    "PREPARATION": "open",
    "PREPAYMENT_INVOICE": "open",
    "EXECUTING": "open",
    "FINAL_INVOICE": "open",
    "WON": "won",
    "LOSE": "lost",
    "APOLOGY": "lost",
}

AUTH_ERRORS = frozenset(
    {
        "INVALID_CREDENTIALS",
        "NO_AUTH_FOUND",
        "expired_token",
        "invalid_token",
        "insufficient_scope",
        "ACCESS_DENIED",
        "user_access_error",
    }
)
QUERY_LIMIT_ERROR = "QUERY_LIMIT_EXCEEDED"
METHOD_BLOCKED_ERROR = "OPERATION_TIME_LIMIT"


def _col(data_type: str, nullable: bool = True, **extra: object) -> dict[str, object]:
    # A new dict per column: dlt fills hints in place, shared dicts would alias the columns.
    return {"data_type": data_type, "nullable": nullable, **extra}


DEAL_COLUMNS: dict[str, dict[str, object]] = {
    "deal_id": _col("text", nullable=False),
    "pipeline": _col("text"),
    "stage": _col("text"),
    "stage_id": _col("text"),
    "stage_semantic_id": _col("text"),
    "status": _col("text"),
    "status_source": _col("text"),  # semantic | stage_id | unknown (defaulted to open)
    "is_closed": _col("bool"),
    "created_at": _col("timestamp"),
    "closed_at": _col("timestamp"),
    "updated_at": _col("timestamp"),
    "amount": _col("decimal"),
    "currency": _col("text"),
    "manager": _col("text"),
    "contact_id": _col("text"),
    "company_id": _col("text"),
    "contact_key": _col("text"),
    "source_id": _col("text"),
    "visit_id": _col("text"),
    "client_id": _col("text"),
    "click_id": _col("text"),
    "utm_source": _col("text"),
    "utm_medium": _col("text"),
    "utm_campaign": _col("text"),
    "utm_content": _col("text"),
    "utm_term": _col("text"),
    # reconcile_deleted: a row with is_deleted = true deletes the deal from raw_bitrix24.deals
    "is_deleted": _col("bool", hard_delete=True),
}
EVENT_COLUMNS: dict[str, dict[str, object]] = {
    "event_id": _col("text", nullable=False),
    "deal_id": _col("text", nullable=False),
    "type_id": _col("bigint"),
    "pipeline": _col("text"),
    "stage": _col("text"),
    "stage_id": _col("text"),
    "stage_semantic_id": _col("text"),
    "entered_at": _col("timestamp"),
}
