"""VK Ads (ads.vk.com, API v2): campaigns and their daily spend.

    ad_plans.json                  -> raw_vk_ads.ad_plans            (every campaign, deleted too)
    statistics/ad_plans/day.json   -> raw_vk_ads.ad_plan_stats_daily (day x campaign)

    from connectors.vk_ads import from_options
    pipeline.run(from_options({"currency": "RUB"}, os.environ, pii_salt=""))

See README.md for keys, the load window and the token.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from connectors.common.config import ConnectorConfigError, parse_date, require_secret

from .client import VkAdsApiError, VkAdsClient
from .helpers import moscow_today, resolve_window
from .settings import (
    AD_PLANS_COLUMNS,
    AD_PLANS_TABLE,
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_CURRENCY,
    DEFAULT_RESTATEMENT_DAYS,
    DEFAULT_START_DAYS_BACK,
    SOURCE_NAME,
    STATS_COLUMNS,
    STATS_TABLE,
)

__all__ = ["VkAdsApiError", "VkAdsClient", "from_options", "vk_ads"]

logger = logging.getLogger(__name__)
OPTIONS = ("base_url", "currency", "restatement_days", "start_date", "token_cache_dir")
_STATE_KEY = "last_loaded_date"  # a date, in dlt state (never the token: state is in the warehouse)


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def vk_ads(
    client: VkAdsClient,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    initial_start_date: dt.date | None = None,
    restatement_days: int = DEFAULT_RESTATEMENT_DAYS,
    currency: str = DEFAULT_CURRENCY,
    today: dt.date | None = None,
) -> list[DltResource]:
    """Campaigns and their daily statistics. With `start_date`/`end_date` (inclusive, Moscow
    days) exactly that window; without, incremental (see `helpers.resolve_window`)."""
    window: dict[str, tuple[dt.date, dt.date]] = {}  # decided once per extraction

    def days() -> tuple[dt.date, dt.date]:
        if not window:
            state = dlt.current.resource_state()
            last = state.get(_STATE_KEY)
            day = today or moscow_today()
            window["days"] = resolve_window(
                today=day,
                start_date=start_date,
                end_date=end_date,
                last_loaded=dt.date.fromisoformat(last) if last else None,
                initial_start=initial_start_date
                or day - dt.timedelta(days=DEFAULT_START_DAYS_BACK),
                restatement_days=restatement_days,
            )
            first, last_day = window["days"]
            logger.info("%s: loading statistics for %s..%s", SOURCE_NAME, first, last_day)
            if start_date is None and end_date is None and first <= last_day:
                # Committed with the load: a failed run leaves it where it was.
                state[_STATE_KEY] = last_day.isoformat()
        return window["days"]

    @dlt.resource(
        name=AD_PLANS_TABLE,
        primary_key="id",
        write_disposition="merge",
        columns=AD_PLANS_COLUMNS,
    )
    def ad_plans() -> Iterator[Any]:
        yield dlt.mark.materialize_table_schema()  # the table exists even with no campaigns
        yield from client.ad_plans()

    @dlt.transformer(
        name=STATS_TABLE,
        data_from=ad_plans,
        primary_key=["date", "ad_plan_id"],
        write_disposition="merge",
        columns=STATS_COLUMNS,
    )
    def ad_plan_stats_daily(page: list[dict[str, Any]]) -> Iterator[Any]:
        first, last = days()
        if not page or first > last:  # dlt hands the schema marker of ad_plans here as []
            yield dlt.mark.materialize_table_schema()
            return
        for rows in client.day_stats([plan["id"] for plan in page], first, last):
            yield [{**row, "currency": currency} for row in rows]

    return [ad_plans, ad_plan_stats_daily]


def from_options(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    pii_salt: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    *,
    today: dt.date | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> DltSource:
    """The source from `sources.vk_ads` options and the environment's secrets. `pii_salt` is
    unused: campaign statistics hold no personal data."""
    unknown = sorted(set(options) - set(OPTIONS) - {"enabled"})
    if unknown:
        logger.warning("%s: ignoring unknown option(s) %s", SOURCE_NAME, ", ".join(unknown))
    client_id = require_secret(env, CLIENT_ID_ENV, SOURCE_NAME)
    client_secret = require_secret(env, CLIENT_SECRET_ENV, SOURCE_NAME)
    currency = str(options.get("currency") or DEFAULT_CURRENCY).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.currency = {currency!r} is not an ISO currency code (RUB)"
        )
    restatement_days = _whole_days(options.get("restatement_days", DEFAULT_RESTATEMENT_DAYS))
    if restatement_days is None:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.restatement_days = {options['restatement_days']!r} is not "
            "a whole number of days from 0 to 365"
        )
    client = VkAdsClient(
        str(options.get("base_url") or DEFAULT_BASE_URL),
        client_id,
        client_secret,
        options.get("token_cache_dir") or None,
        sleep=sleep,
        clock=clock,
    )
    return vk_ads(
        client,
        start_date=start_date,
        end_date=end_date,
        initial_start_date=parse_date(options.get("start_date"), "start_date", SOURCE_NAME),
        restatement_days=restatement_days,
        currency=currency,
        today=today,
    )


def _whole_days(value: object) -> int | None:
    """0..365 from an int or a string of digits (environment overrides arrive as text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= 365 else None
