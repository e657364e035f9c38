"""Yandex Direct API v5 (Reports + Clients): endpoints, report shapes and defaults."""

from __future__ import annotations

from typing import Any

SOURCE_NAME = "yandex_direct"
TOKEN_ENV = "YANDEX_DIRECT_TOKEN"

DEFAULT_BASE_URL = "https://api.direct.yandex.com"
SANDBOX_BASE_URL = "https://api-sandbox.direct.yandex.com"
REPORTS_PATH = "json/v5/reports"
CLIENTS_PATH = "json/v5/clients"

# Direct's statistics days are the account's days; accounts default to Moscow time.
TIMEZONE = "Europe/Moscow"

DEFAULT_LEVEL = "campaign"
LEVELS = ("campaign", "ad_group")
DEFAULT_RESTATEMENT_DAYS = 7  # Direct revises recent stats (clicks found invalid, refunds)
DEFAULT_INITIAL_DAYS = 90  # first load without `start_date`
# One report covers at most this many days: keeps online reports small (fewer offline queues)
# and a failed window cheap to redo. Direct itself documents no maximum span.
DEFAULT_CHUNK_DAYS = 31

# Report type and columns per level. CampaignType is an attribute of the campaign, so it does
# not split rows; AdNetworkType would (search vs. network) and is left out on purpose: the
# grain is day x campaign (x ad group).
REPORT_TYPES = {"campaign": "CAMPAIGN_PERFORMANCE_REPORT", "ad_group": "CUSTOM_REPORT"}
FIELDS = {
    "campaign": (
        "Date",
        "CampaignId",
        "CampaignName",
        "CampaignType",
        "Impressions",
        "Clicks",
        "Cost",
    ),
    "ad_group": (
        "Date",
        "CampaignId",
        "CampaignName",
        "CampaignType",
        "AdGroupId",
        "AdGroupName",
        "Impressions",
        "Clicks",
        "Cost",
    ),
}
# API column -> raw column (snake case, as in the warehouse)
COLUMNS = {
    "Date": "date",
    "CampaignId": "campaign_id",
    "CampaignName": "campaign_name",
    "CampaignType": "campaign_type",
    "AdGroupId": "ad_group_id",
    "AdGroupName": "ad_group_name",
    "Impressions": "impressions",
    "Clicks": "clicks",
    "Cost": "cost",
}
COUNT_FIELDS = frozenset({"Impressions", "Clicks"})
MONEY_FIELDS = frozenset({"Cost"})
EMPTY_VALUE = "--"  # how a report prints "no value"
MICROS = 1_000_000

# What we ask the server to print: no title line (useless), but the column line (map columns by
# name) and the summary line (its row count tells a cut-off body). The parser copes with any mix.
SKIP_REPORT_HEADER = True
SKIP_COLUMN_HEADER = False
SKIP_REPORT_SUMMARY = False

# Offline reports: 201/202 + retryIn. Bounded, so a stuck report fails the run instead of hanging.
MAX_POLLS = 120
DEFAULT_RETRY_IN = 10.0  # seconds, when a 201/202 carries no retryIn
MAX_RETRY_IN = 120.0
# 400 "too many reports in the queue" (<= 5 offline reports per user): wait, then resend.
QUEUE_RETRIES = 10
QUEUE_WAIT = 60.0
# error_code values that mean "try later" rather than "your request is wrong" [v]:
# 9000 offline report queue full, 56 request limit exceeded, 52 auth server unavailable,
# 1000/1001/1002 server temporarily unavailable.
RETRYABLE_ERROR_CODES = frozenset({9000, 56, 52, 1000, 1001, 1002})
# 20 requests / 10 s per user.
REQUESTS_PER_SECOND = 2.0

# Raw table: one row per account x day x campaign (x ad group).
RESOURCE = "daily_stats"
PRIMARY_KEY = ("account_id", "date", "campaign_id", "ad_group_id")
# A restated day replaces the whole day of that account (delete-insert on this key).
MERGE_KEY = ("account_id", "date")
DEFAULT_ACCOUNT = "default"  # account_id when no Client-Login is used
# The columns of daily_stats, typed even when a short run leaves one all NULL.
COLUMN_HINTS: dict[str, dict[str, Any]] = {
    "account_id": {"data_type": "text", "nullable": False},
    "date": {"data_type": "date", "nullable": False},
    "campaign_id": {"data_type": "text", "nullable": False},
    "campaign_name": {"data_type": "text"},
    "campaign_type": {"data_type": "text"},
    "ad_group_id": {"data_type": "text", "nullable": False},  # '' at campaign level
    "ad_group_name": {"data_type": "text"},
    "impressions": {"data_type": "bigint"},
    "clicks": {"data_type": "bigint"},
    "cost": {"data_type": "decimal", "precision": 18, "scale": 6},  # micros / 1e6, exactly
    "currency": {"data_type": "text", "nullable": False},
    "cost_includes_vat": {"data_type": "bool"},
}

# Keys of sources.yandex_direct in throughline.yml (`enabled` is Throughline's own).
OPTIONS = frozenset(
    {
        "enabled",
        "base_url",
        "client_login",
        "level",
        "include_vat",
        "money_in_micros",
        "currency",
        "start_date",
        "restatement_days",
        "chunk_days",
    }
)
