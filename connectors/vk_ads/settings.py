"""VK Ads (ads.vk.com, API v2) endpoints, limits and defaults."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SOURCE_NAME = "vk_ads"
DEFAULT_BASE_URL = "https://ads.vk.com"

# Secrets (environment). The token itself is never configured: it is fetched with these.
CLIENT_ID_ENV = "VK_ADS_CLIENT_ID"
CLIENT_SECRET_ENV = "VK_ADS_CLIENT_SECRET"

TOKEN_PATH = "/api/v2/oauth2/token.json"
TOKEN_DELETE_PATH = "/api/v2/oauth2/token/delete.json"
AD_PLANS_PATH = "/api/v2/ad_plans.json"
AD_PLAN_STATS_PATH = "/api/v2/statistics/ad_plans/day.json"

AD_PLAN_FIELDS = "id,name,status"
# Deleted campaigns still have spend in the past: ask for every status, so their names and
# stats load too. [v] the list's default status filter is not confirmed in a primary doc.
AD_PLAN_STATUSES = "active,blocked,deleted"
PAGE_LIMIT = 50  # the list maximum
MAX_PAGES = 10_000  # loop guard: 500,000 campaigns
IDS_PER_REQUEST = 50  # ids in one statistics call
MAX_RANGE_DAYS = 90  # days in one statistics call; smaller after ERR_WRONG_DATE

# Dates in the API are Moscow calendar days.
API_TIMEZONE = ZoneInfo("Europe/Moscow")

DEFAULT_CURRENCY = "RUB"  # the account currency; VK returns no currency field
DEFAULT_RESTATEMENT_DAYS = 7  # VK corrects spend for a few days
DEFAULT_START_DAYS_BACK = 90  # the first run loads this many days unless start_date is set

# A token is renewed this many seconds before it expires, so no call races its expiry.
TOKEN_EXPIRY_MARGIN_S = 60
# [v] a client-credentials token lives about a day; used only when expires_in is missing.
DEFAULT_TOKEN_LIFETIME_S = 86_400
TOKEN_LIMIT_ERROR = "token_limit_exceeded"  # [v] the 'too many tokens' error code

# After a response says no calls are left in this second, wait for the next second.
RPS_REMAINING_HEADER = "X-RateLimit-RPS-Remaining"
RATE_LIMIT_HEADERS = (
    "X-RateLimit-RPS-Remaining",
    "X-RateLimit-Hourly-Remaining",
    "X-RateLimit-Daily-Remaining",
)
RPS_PAUSE_S = 1.0

# Raw table names (schema raw_vk_ads).
AD_PLANS_TABLE = "ad_plans"
STATS_TABLE = "ad_plan_stats_daily"

AD_PLANS_COLUMNS: dict[str, dict[str, object]] = {
    "id": {"data_type": "bigint", "nullable": False},
    "name": {"data_type": "text"},
    "status": {"data_type": "text"},
}
STATS_COLUMNS: dict[str, dict[str, object]] = {
    "date": {"data_type": "date", "nullable": False},
    "ad_plan_id": {"data_type": "bigint", "nullable": False},
    "shows": {"data_type": "bigint", "nullable": False},
    "clicks": {"data_type": "bigint", "nullable": False},
    "spent": {"data_type": "decimal", "precision": 18, "scale": 2, "nullable": False},
    "currency": {"data_type": "text", "nullable": False},
}
