"""Calltouch endpoints, defaults and the raw `calls` table's columns."""

from __future__ import annotations

SOURCE_NAME = "calltouch"
TOKEN_ENV = "CALLTOUCH_TOKEN"

DEFAULT_BASE_URL = "https://api.calltouch.ru"
# Paged multi-day mode of the calls journal ("Выгрузка журнала звонков"); the token is the
# `clientApiId` query parameter, so URLs are never logged (connectors/common/http.py).
CALLS_PATH = "calls-service/RestAPI/{site_id}/calls-diary/calls"
# Leads journal (not loaded yet): its dateFrom/dateTo are mm/dd/yyyy, unlike the calls journal.
LEADS_PATH = "calls-service/RestAPI/requests"

PAGE_LIMIT = 1000  # the API's maximum `limit`
DEFAULT_TIMEZONE = "Europe/Moscow"  # the site's timezone: the calls' `date` field is local time
DEFAULT_RESTATEMENT_DAYS = 3  # target flags and tags are corrected for a few days
DEFAULT_INITIAL_DAYS = 30  # first run without start_date: this many days back
# Days per run of paged requests. The multi-day span limit is undocumented [v]; a week keeps
# each run small and bounds what a shifting `recordsTotal` can disturb.
DEFAULT_CHUNK_DAYS = 7
MAX_PAGES = 2000  # per pass over a chunk: a loop guard, not a real limit (2M calls a week)
MAX_PASSES = 3  # passes over a chunk while `recordsTotal` keeps shifting under us

OPTIONS = (
    "enabled",
    "base_url",
    "site_id",
    "timezone",
    "restatement_days",
    "start_date",
    "chunk_days",
    "page_size",
)

# API field -> raw column. Only these land: anything else the API adds (caller names, tags,
# comments) is dropped, so new personal data cannot slip in through schema drift.
TEXT_FIELDS = {
    "sessionId": "session_id",
    "yaClientId": "ya_client_id",
    "clientId": "client_id",
    "ctClientId": "ct_client_id",
    "utmSource": "utm_source",
    "utmMedium": "utm_medium",
    "utmCampaign": "utm_campaign",
    "utmContent": "utm_content",
    "utmTerm": "utm_term",
    "callUrl": "call_url",
    "source": "source",
    "medium": "medium",
    "keyword": "keyword",
}
BOOL_FIELDS = {
    "successful": "is_successful",
    "uniqueCall": "is_unique_call",
    "targetCall": "is_target_call",
    "uniqTargetCall": "is_uniq_target_call",
}

CALL_COLUMNS: dict[str, dict[str, object]] = {
    "call_id": {"data_type": "text", "nullable": False},
    "started_at": {"data_type": "timestamp", "timezone": True},
    "call_date": {"data_type": "text"},  # `date` as the API wrote it (site time)
    "caller_key": {"data_type": "text"},
    "duration_s": {"data_type": "bigint"},
    **{col: {"data_type": "bool"} for col in BOOL_FIELDS.values()},
    **{col: {"data_type": "text"} for col in TEXT_FIELDS.values()},
    "site_timezone": {"data_type": "text"},
    "reject_reason": {"data_type": "text"},
}
