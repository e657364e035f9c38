"""Daily partitions of the API sources, and the run tags that pick which days a run loads.

A run over a partition range loads exactly those days (a backfill launched in the UI runs as one
run per source: BackfillPolicy.single_run). The nightly run carries WINDOW_TAG=incremental: each
connector then loads from where it stopped, re-pulling its own restatement window.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.settings import Settings

WINDOW_TAG = "throughline/window"
INCREMENTAL = "incremental"
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def daily_partitions(settings: Settings) -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=settings.partitions_start.isoformat(), timezone=settings.timezone
    )


def yesterday(settings: Settings, now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    return (now.astimezone(ZoneInfo(settings.timezone)) - dt.timedelta(days=1)).date()


def nightly_tags(settings: Settings, now: dt.datetime | None = None) -> dict[str, str]:
    """Tags of a nightly run: yesterday's partition, loaded incrementally."""
    day = yesterday(settings, now).isoformat()
    return {RANGE_START: day, RANGE_END: day, WINDOW_TAG: INCREMENTAL}


def run_window(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date] | None:
    """The days this run loads, or None for the connector's own incremental window."""
    if context.run.tags.get(WINDOW_TAG) == INCREMENTAL:
        return None
    window = context.partition_time_window  # [start, end) in the partitions' timezone
    return window.start.date(), (window.end - dt.timedelta(days=1)).date()
