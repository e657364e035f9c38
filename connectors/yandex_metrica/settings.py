"""Yandex Metrica Logs API: endpoints, the fields we export and the defaults of the options."""

from __future__ import annotations

SOURCE_NAME = "yandex_metrica"
SOURCE_SYSTEM = "yandex_metrica"
TOKEN_ENV = "YANDEX_METRICA_TOKEN"

DEFAULT_BASE_URL = "https://api-metrika.yandex.net"
COUNTER_PATH = "management/v1/counter/{counter_id}/"
LOG_SOURCE = "visits"  # the Logs API table: sessions, not hits

# Counter timezone: `ym:s:dateTime` is local time of the counter (Metrica's default zone).
DEFAULT_TIMEZONE = "Europe/Moscow"
# 99% of sessions close within 3 days, and Metrica fills in a visit until then.
DEFAULT_RESTATEMENT_DAYS = 3
# First run without an explicit window: this many days back from today.
DEFAULT_INITIAL_DAYS = 30
# One log request may span at most a year.
MAX_DAYS_PER_REQUEST = 365

DEFAULT_POLL_INTERVAL_S = 10.0
DEFAULT_MAX_WAIT_S = 2 * 3600.0  # a busy day at Metrica can queue a request for an hour or more
PART_DOWNLOAD_ATTEMPTS = 4  # a body cut mid-way or a bad gzip; 5xx are retried by HttpClient too
# 420 is on the English quota page, 429 on the Russian one: retry both.
QUOTA_STATUSES = frozenset({420, 429})

# Log request statuses (GET logrequest/{id}).
PENDING_STATUSES = frozenset({"created", "awaiting_retry"})
READY_STATUS = "processed"
FAILED_STATUSES = frozenset(
    {"processing_failed", "canceled", "cleaned_by_user", "cleaned_automatically_as_too_old"}
)
# Nothing is left on Metrica's side to clean for these.
GONE_STATUSES = frozenset({"canceled", "cleaned_by_user", "cleaned_automatically_as_too_old"})

# Exported fields -> raw column. Order is the order requested; the TSV header says which is which.
FIELDS: dict[str, str] = {
    "ym:s:visitID": "ym_visit_id",  # UInt64, unique within one year of one counter: kept as text
    "ym:s:clientID": "client_id",  # the _ym_uid cookie: also UInt64, text
    "ym:s:dateTime": "date_time",  # counter-local time; started_at is its UTC
    "ym:s:startURL": "start_url",
    "ym:s:referer": "referer",
    "ym:s:UTMSource": "utm_source",
    "ym:s:UTMMedium": "utm_medium",
    "ym:s:UTMCampaign": "utm_campaign",
    "ym:s:UTMContent": "utm_content",
    "ym:s:UTMTerm": "utm_term",
    "ym:s:lastDirectClickOrder": "last_direct_click_order",  # Direct campaign id
    "ym:s:deviceCategory": "device_category",  # 1 desktop, 2 mobile, 3 tablet, 4 TV (staging maps)
    "ym:s:pageViews": "page_views",
    "ym:s:isNewUser": "is_new_user",
    "ym:s:goalsID": "goals_id",  # Array(UInt32) printed as [1,2]
}
REQUIRED_FIELDS = ("ym:s:visitID", "ym:s:clientID", "ym:s:dateTime")

VISITS = "visits"
REJECTED_ROWS = "rejected_rows"

VISIT_COLUMNS: dict[str, dict[str, object]] = {
    "visit_id": {"data_type": "text", "nullable": False},  # "<counter>:<visitID>"
    "counter_id": {"data_type": "text", "nullable": False},
    "ym_visit_id": {"data_type": "text", "nullable": False},
    "client_id": {"data_type": "text", "nullable": False},
    "started_at": {"data_type": "timestamp", "nullable": False},
    "date_time": {"data_type": "text"},
    "start_url": {"data_type": "text"},
    "referer": {"data_type": "text"},
    "utm_source": {"data_type": "text"},
    "utm_medium": {"data_type": "text"},
    "utm_campaign": {"data_type": "text"},
    "utm_content": {"data_type": "text"},
    "utm_term": {"data_type": "text"},
    "last_direct_click_order": {"data_type": "text"},
    "device_category": {"data_type": "bigint"},
    "page_views": {"data_type": "bigint"},
    "is_new_user": {"data_type": "bool"},
    "goals_id": {"data_type": "json"},
}

REJECTED_COLUMNS: dict[str, dict[str, object]] = {
    "row_key": {"data_type": "text", "nullable": False},
    "entity": {"data_type": "text", "nullable": False},
    "source_file": {"data_type": "text", "nullable": False},
    "source_row": {"data_type": "bigint", "nullable": False},
    "reason": {"data_type": "text", "nullable": False},
    "raw": {"data_type": "text"},
}
