"""amoCRM / Kommo API v4: endpoints, limits and the field codes the connector reads."""

from __future__ import annotations

SOURCE_NAME = "amocrm"
TOKEN_ENV = "AMOCRM_TOKEN"
DEFAULT_BASE_URL = "https://{subdomain}.amocrm.ru"  # Kommo accounts: https://{sub}.kommo.com

LEADS_PATH = "/api/v4/leads"
PIPELINES_PATH = "/api/v4/leads/pipelines"
CONTACTS_PATH = "/api/v4/contacts"
EVENTS_PATH = "/api/v4/events"
ACCOUNT_PATH = "/api/v4/account"

# amoCRM allows 7 requests/s per account and blocks the IP (403) when it keeps being exceeded:
# stay below, with room for a user's other integrations.
REQUESTS_PER_SECOND = 6.0
LEADS_PAGE_SIZE = 250  # the API's maximum per call
EVENTS_PAGE_SIZE = 100
CONTACT_IDS_PER_CALL = 250
DEFAULT_MAX_PAGES = 5_000  # a loop guard: 1.25 M leads per run
DEFAULT_LAG_MINUTES = 60  # restatement window on the updated_at / created_at cursors
DEFAULT_TIMEZONE = "Europe/Moscow"  # the calendar of start_date / end_date

WON_STATUS_ID = 142  # the same two ids in every pipeline
LOST_STATUS_ID = 143

STAGE_EVENT_TYPES = ("lead_added", "lead_status_changed")
LIFECYCLE_EVENT_TYPES = ("lead_deleted", "lead_restored")

# Tracking fields on a lead: canonical name -> the field codes amoCRM and the usual
# integrations (Roistat, call tracking, site forms) write, first found wins.
TRACKING_FIELDS: dict[str, tuple[str, ...]] = {
    "utm_source": ("UTM_SOURCE",),
    "utm_medium": ("UTM_MEDIUM",),
    "utm_campaign": ("UTM_CAMPAIGN",),
    "utm_content": ("UTM_CONTENT",),
    "utm_term": ("UTM_TERM",),
    "visit_id": ("ROISTAT",),
    "client_id": ("_YM_UID",),
    "click_id": (),  # only through field_map: a field that holds any kind of click id
    "yclid": ("YCLID",),
    "gclid": ("GCLID",),
    "fbclid": ("FBCLID",),
}
PHONE_CODE, EMAIL_CODE = "PHONE", "EMAIL"

# Columns of raw_amocrm.leads, typed up front so that a column exists even when every value
# of a run is null (the staging models select them all).
LEAD_COLUMNS: dict[str, str] = {
    "id": "bigint",
    "pipeline_id": "bigint",
    "pipeline_name": "text",
    "status_id": "bigint",
    "status_name": "text",
    "price": "decimal",
    "currency": "text",
    "responsible_user_id": "bigint",
    "loss_reason_id": "bigint",
    "created_at": "bigint",
    "updated_at": "bigint",
    "closed_at": "bigint",
    "is_deleted": "bool",
    "deleted_at": "bigint",
    "contact_id": "bigint",
    "contact_key": "text",
    **{name: "text" for name in TRACKING_FIELDS},
}
EVENT_COLUMNS: dict[str, str] = {
    "id": "text",
    "type": "text",
    "lead_id": "bigint",
    "created_at": "bigint",
    "created_by": "bigint",
    "pipeline_id": "bigint",
    "pipeline_name": "text",
    "status_id": "bigint",
    "status_name": "text",
    "pipeline_id_before": "bigint",
    "status_id_before": "bigint",
}


def column_hints(columns: dict[str, str], key: str) -> dict[str, dict[str, object]]:
    hints: dict[str, dict[str, object]] = {}
    for name, kind in columns.items():
        hints[name] = {"data_type": kind, "nullable": name != key}
        if kind == "decimal":
            hints[name].update(precision=18, scale=2)  # money: roubles and kopecks
    return hints
