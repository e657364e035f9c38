"""RetailCRM (Simla) API v5: endpoints, page sizes and the shape of the raw tables."""

from __future__ import annotations

SOURCE_NAME = "retailcrm"
SECRET_ENV = "RETAILCRM_API_KEY"

# The account's own address; `base_url` (sandbox, proxy, test server) wins over `subdomain`.
DEFAULT_BASE_URL = "https://{subdomain}.retailcrm.ru"
API_PREFIX = "api/v5"

# Lists take limit 20, 50 or 100 and answer 400 to anything else.
ALLOWED_PAGE_SIZES: tuple[int, ...] = (20, 50, 100)
PAGE_SIZE = 100
RATE_PER_SECOND = 10.0  # documented ~10 req/s per account; over it the API answers 503
MAX_PAGES = 100_000  # loop guard: a cursor that never ends is an error, not an endless run

# createdAt / statusUpdatedAt / history createdAt are 'Y-m-d H:i:s' in the account's timezone.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DEFAULT_TIMEZONE = "Europe/Moscow"
DEFAULT_CURRENCY = "RUB"  # accounts without multi-currency send no `currency` on orders

# Status groups (GET /reference/statuses -> statuses[code].group) that close an order.
DEFAULT_WON_GROUPS: tuple[str, ...] = ("complete",)
DEFAULT_LOST_GROUPS: tuple[str, ...] = ("cancel",)

# Order custom fields (customFields[code]) that carry the link keys of a deal; the first
# non-empty code wins. Accounts name these fields themselves: override with `field_map`.
DEFAULT_FIELD_MAP: dict[str, tuple[str, ...]] = {
    "client_id": ("ym_client_id",),
    "visit_id": (),
    "click_id": ("yclid", "gclid", "fbclid"),
}

ORDERS = "orders"
STATUS_EVENTS = "order_status_events"
REJECTED_ROWS = "rejected_rows"


def _col(data_type: str, nullable: bool = True, **extra: object) -> dict[str, object]:
    # a new dict per column: dlt writes the column name into the hint it is given
    return {"data_type": data_type, "nullable": nullable, **extra}


# Every column exists (typed) even when a run leaves it all null: staging selects them all.
ORDER_COLUMNS: dict[str, dict[str, object]] = {
    "id": _col("bigint", nullable=False),
    "number": _col("text"),
    "external_id": _col("text"),
    "site": _col("text"),
    "status": _col("text"),
    "status_group": _col("text"),
    "deal_status": _col("text"),
    "created_at": _col("timestamp"),
    "status_updated_at": _col("timestamp"),
    "closed_at": _col("timestamp"),
    "updated_at": _col("timestamp"),
    "total_summ": _col("decimal", precision=18, scale=2),
    "purchase_summ": _col("decimal", precision=18, scale=2),
    "currency": _col("text"),
    "manager_id": _col("text"),
    "customer_id": _col("text"),
    "contact_key": _col("text"),
    "utm_source": _col("text"),
    "utm_medium": _col("text"),
    "utm_campaign": _col("text"),
    "utm_content": _col("text"),
    "utm_term": _col("text"),
    "client_id": _col("text"),
    "visit_id": _col("text"),
    "click_id": _col("text"),
    "is_deleted": _col("bool"),
    "deleted_at": _col("timestamp"),
}

STATUS_EVENT_COLUMNS: dict[str, dict[str, object]] = {
    "history_id": _col("bigint", nullable=False),
    "order_id": _col("bigint", nullable=False),
    "site": _col("text"),
    "status": _col("text", nullable=False),
    "previous_status": _col("text"),
    "entered_at": _col("timestamp", nullable=False),
}

REJECTED_COLUMNS: dict[str, dict[str, object]] = {
    "row_key": _col("text", nullable=False),
    "entity": _col("text", nullable=False),
    "record_id": _col("text"),
    "reason": _col("text", nullable=False),
    "raw": _col("text"),
    "rejected_at": _col("timestamp"),
    # True on a row that only says "this record loads fine now": dlt deletes the stored rejection.
    "is_resolved": _col("bool", hard_delete=True),
}
