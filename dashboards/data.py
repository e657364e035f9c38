"""All data access for the dashboards: the published serving snapshot, read-only.

The dashboards never open the warehouse. They read ``serving.duckdb``, which the publisher
replaces atomically (writes a new file, renames it over the old one). A snapshot is identified
by its (path, inode, mtime): the connection cache and the query-result cache are both keyed by
it, so the first rerun after a publish reads the new file, while queries already running finish
on the old one.

Every query aggregates in SQL and binds its parameters with ``?``; nothing a user picks is ever
formatted into SQL text.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import streamlit as st

SERVING_PATH_ENV = "THROUGHLINE_SERVING_PATH"
QUERY_TTL_SECONDS = 600

Level = Literal["total", "channel", "source", "campaign"]

# Grouping columns per drill-down level (a fixed whitelist: identifiers, never user input).
LEVEL_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "total": (),
    "channel": ("channel",),
    "source": ("channel", "source_system"),
    "campaign": ("channel", "source_system", "campaign_id"),
}

MEASURES = (
    "cost",
    "impressions",
    "clicks",
    "visits",
    "leads",
    "deals_won",
    "revenue",
    "cost_of_goods",
    "gross_profit",
)

FUNNEL_MEASURES = ("visits", "leads", "deals_won", "revenue")

# The channel of deals no visit could be tied to (a data-quality number, shown, never hidden).
UNATTRIBUTED = "(none)"

# Marts newer than some published snapshots: pages that need them check first (``has_table``).
COMPARISON_TABLE = "fct_model_comparison"
ACCURACY_TABLE = "fct_model_accuracy"
MARKOV_TABLE = "fct_markov_shares"
COMPARISON_MEASURES = ("leads", "deals_won", "revenue")


class Snapshot(NamedTuple):
    """One published version of serving.duckdb: a new publish gives a new inode/mtime."""

    path: str
    inode: int
    mtime_ns: int


@dataclass(frozen=True)
class PublishMeta:
    published_at: dt.datetime  # UTC, naive (as the publisher writes it)
    reporting_currency: str
    reporting_timezone: str
    sources: tuple[str, ...]
    attribution_models: tuple[str, ...]

    @property
    def default_model(self) -> str:
        return self.attribution_models[0]

    def published_at_local(self) -> dt.datetime:
        """``published_at`` in the reporting timezone (aware)."""
        return self.published_at.replace(tzinfo=dt.UTC).astimezone(
            ZoneInfo(self.reporting_timezone)
        )


# --- locating the snapshot ---------------------------------------------------------------


def serving_path() -> Path:
    """Where the published snapshot lives: ``THROUGHLINE_SERVING_PATH`` wins, then settings."""
    override = os.environ.get(SERVING_PATH_ENV)
    if override:
        return Path(override)
    from pipelines.settings import load_settings  # the only import from pipelines/

    return Path(load_settings().serving_path)


def current_snapshot() -> Snapshot | None:
    """The snapshot on disk now, or None when nothing has been published yet."""
    path = serving_path()
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return Snapshot(str(path.resolve()), info.st_ino, info.st_mtime_ns)


# --- connection and query cache -----------------------------------------------------------


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connection(path: str, inode: int, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one snapshot; ``inode``/``mtime_ns`` are only cache keys.

    ``duckdb.connect(path, read_only=True)`` would hand back the database instance DuckDB
    already holds for that *path* while an older connection is open, i.e. the replaced file.
    So each snapshot gets its own in-memory instance with the file attached READ_ONLY.
    """
    con = duckdb.connect(":memory:", config={"threads": 2, "python_enable_replacements": False})
    con.execute("attach ? as serving (read_only)", [path])
    return con


def _bindable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


@st.cache_data(ttl=QUERY_TTL_SECONDS, max_entries=512, show_spinner=False)
def _query(snapshot: Snapshot, sql: str, params: tuple) -> pd.DataFrame:
    con = _connection(*snapshot)
    cursor = con.cursor()  # one cursor per call: the connection is shared across sessions
    try:
        cursor.execute("use serving")
        return cursor.execute(sql, [_bindable(p) for p in params]).df()
    finally:
        cursor.close()


# --- queries ------------------------------------------------------------------------------


def query(snapshot: Snapshot, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """A cached, parametrised query on the snapshot, for the per-page query modules
    (``dashboards/data_<page>.py``). Values are always bound (``?``), never formatted in."""
    return _query(snapshot, sql, tuple(params))


def publish_meta(snapshot: Snapshot) -> PublishMeta:
    """The snapshot's ``publish_meta`` row (blank fields fall back to settings / the data)."""
    df = _query(
        snapshot,
        """
        select published_at, reporting_currency, reporting_timezone, sources, attribution_models
        from publish_meta
        order by published_at desc
        limit 1
        """,
        (),
    )
    row = {k: (None if pd.isna(v) else v) for k, v in df.iloc[0].items()} if len(df) else {}

    def _list(column: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in str(row.get(column) or "").split(",") if p.strip())

    currency, timezone = row.get("reporting_currency"), row.get("reporting_timezone")
    if not currency or not timezone:
        from pipelines.settings import load_settings

        settings = load_settings()
        currency, timezone = currency or settings.currency, timezone or settings.timezone
    published = row.get("published_at")
    return PublishMeta(
        # the file's mtime stands in if a snapshot ever lacks the timestamp
        published_at=pd.Timestamp(published).to_pydatetime()
        if published is not None
        else dt.datetime.fromtimestamp(snapshot.mtime_ns / 1e9, dt.UTC).replace(tzinfo=None),
        reporting_currency=str(currency),
        reporting_timezone=str(timezone),
        sources=_list("sources"),
        attribution_models=_list("attribution_models") or _models_in_data(snapshot),
    )


def _models_in_data(snapshot: Snapshot) -> tuple[str, ...]:
    df = _query(
        snapshot,
        "select distinct attribution_model from fct_channel_daily order by attribution_model",
        (),
    )
    return tuple(df["attribution_model"])


def date_bounds(snapshot: Snapshot) -> tuple[dt.date, dt.date] | None:
    """First and last ``report_date`` in the snapshot, or None when it has no rows."""
    df = _query(
        snapshot,
        "select min(report_date) as first_date, max(report_date) as last_date "
        "from fct_channel_daily",
        (),
    )
    first, last = df.iloc[0]["first_date"], df.iloc[0]["last_date"]
    if pd.isna(first) or pd.isna(last):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def channels(snapshot: Snapshot) -> list[str]:
    """Every channel in the snapshot, alphabetically."""
    df = _query(
        snapshot,
        """
        select channel from fct_channel_daily
        union
        select channel from fct_funnel_daily
        order by channel
        """,
        (),
    )
    return list(df["channel"])


def _channel_list(selected: Sequence[str] | None) -> tuple[str, ...] | None:
    """None or empty means all channels."""
    return tuple(selected) if selected else None


def channel_performance(
    snapshot: Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
    level: Level = "channel",
) -> pd.DataFrame:
    """Summed cost and credit for one attribution model over ``[start, end]`` (inclusive).

    ``level`` picks the grain: ``total`` (one row), ``channel``, ``source`` (channel ×
    source_system) or ``campaign`` (channel × source_system × campaign, with its name).
    """
    dims = LEVEL_DIMENSIONS[level]
    select_dims = "".join(f"{d}, " for d in dims)
    if level == "campaign":
        select_dims += (
            "arg_max(campaign_name, report_date) filter (where campaign_name is not null) "
            "as campaign_name, "
        )
    sums = ", ".join(f"coalesce(sum({m}), 0) as {m}" for m in MEASURES)
    group_by = f"group by {', '.join(dims)}" if dims else ""
    # drill-downs keep the channels in the channel table's order (by cost, then revenue)
    by_channel = (
        "sum(sum(cost)) over (partition by channel) desc, "
        "sum(sum(revenue)) over (partition by channel) desc, channel"
    )
    order_by = {
        "total": "",
        "channel": "order by cost desc, revenue desc, channel",
        "source": f"order by {by_channel}, cost desc, source_system",
        "campaign": f"order by {by_channel}, source_system, cost desc, campaign_id",
    }[level]
    sql = f"""
        select {select_dims}{sums}
        from fct_channel_daily
        where attribution_model = ?
          and report_date between ? and ?
          and (?::varchar[] is null or list_contains(?::varchar[], channel))
        {group_by}
        {order_by}
    """
    chosen = _channel_list(channels)
    return _query(snapshot, sql, (model, start, end, chosen, chosen))


def funnel(
    snapshot: Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Visits → leads → won (and revenue) per channel for one model over ``[start, end]``."""
    sums = ", ".join(f"coalesce(sum({m}), 0) as {m}" for m in FUNNEL_MEASURES)
    sql = f"""
        select channel, {sums}
        from fct_funnel_daily
        where attribution_model = ?
          and report_date between ? and ?
          and (?::varchar[] is null or list_contains(?::varchar[], channel))
        group by channel
        order by visits desc, leads desc, channel
    """
    chosen = _channel_list(channels)
    return _query(snapshot, sql, (model, start, end, chosen, chosen))


# Trend buckets (a fixed whitelist: SQL expressions over report_date, never user input).
TREND_GRAINS: dict[str, str] = {
    "day": "report_date",
    "week": "date_trunc('week', report_date)::date",  # ISO weeks, starting on Monday
}


def trend(
    snapshot: Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
    grain: Literal["day", "week"] = "day",
) -> pd.DataFrame:
    """Cost, revenue and leads per day (or week) over ``[start, end]`` for one model: one row per
    period, oldest first, days without rows counted as 0 (a gap is a real zero, not a line
    drawn across it). A week is labelled by its Monday and holds only the days in range."""
    bucket = TREND_GRAINS[grain]
    sql = f"""
        with days as (
            select unnest(generate_series(?::date, ?::date, interval 1 day))::date as report_date
        ),

        daily as (
            select
                report_date,
                coalesce(sum(cost), 0) as cost,
                coalesce(sum(revenue), 0) as revenue,
                coalesce(sum(leads), 0) as leads
            from fct_channel_daily
            where attribution_model = ?
              and report_date between ? and ?
              and (?::varchar[] is null or list_contains(?::varchar[], channel))
            group by report_date
        )

        select
            {bucket} as period,
            coalesce(sum(daily.cost), 0)::double as cost,
            coalesce(sum(daily.revenue), 0)::double as revenue,
            coalesce(sum(daily.leads), 0)::double as leads
        from days
        left join daily using (report_date)
        group by period
        order by period
    """
    chosen = _channel_list(channels)
    return _query(snapshot, sql, (start, end, model, start, end, chosen, chosen))


# --- model comparison (monthly marts) --------------------------------------------------------


def has_table(snapshot: Snapshot, name: str) -> bool:
    """Whether the snapshot has table ``name`` (older snapshots lack the newer marts)."""
    df = _query(
        snapshot,
        """
        select count(*) as n
        from information_schema.tables
        where table_catalog = current_database() and table_schema = 'main' and table_name = ?
        """,
        (name,),
    )
    return bool(df.iloc[0]["n"])


def month_span(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The first days of the first and last months overlapping ``[start, end]``."""
    return start.replace(day=1), end.replace(day=1)


def model_credit(
    snapshot: Snapshot,
    start: dt.date,
    end: dt.date,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cost and every model's credit per channel × model, summed over the months overlapping
    ``[start, end]`` (``fct_model_comparison`` is monthly). Channels in the channel table's
    order: by cost, then revenue (over all models), then name."""
    first_month, last_month = month_span(start, end)
    sums = ", ".join(f"coalesce(sum({m}), 0) as {m}" for m in ("cost", *COMPARISON_MEASURES))
    sql = f"""
        select channel, attribution_model, {sums}
        from fct_model_comparison
        where report_month between ? and ?
          and (?::varchar[] is null or list_contains(?::varchar[], channel))
        group by channel, attribution_model
        order by
            sum(sum(cost)) over (partition by channel) desc,
            sum(sum(revenue)) over (partition by channel) desc,
            channel,
            attribution_model
    """
    chosen = _channel_list(channels)
    return _query(snapshot, sql, (first_month, last_month, chosen, chosen))


def budget_shift(
    snapshot: Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per channel: cost and the model's revenue summed over the months overlapping
    ``[start, end]``, and their shares of all channels' totals over that whole range.

    The shares divide the range's sums (not an average of monthly shares) and are NULL when the
    total is 0. They are always of *all* channels: ``channels`` only narrows the rows returned.
    """
    first_month, last_month = month_span(start, end)
    sql = """
        with summed as (
            select
                channel,
                coalesce(sum(cost), 0)::double as cost,
                coalesce(sum(revenue), 0)::double as revenue
            from fct_model_comparison
            where attribution_model = ?
              and report_month between ? and ?
            group by channel
        ),

        shares as (
            select
                channel,
                cost,
                revenue,
                cost / nullif(sum(cost) over (), 0) as cost_share,
                revenue / nullif(sum(revenue) over (), 0) as revenue_share
            from summed
        )

        select channel, cost, revenue, cost_share, revenue_share
        from shares
        where ?::varchar[] is null or list_contains(?::varchar[], channel)
        order by cost desc, revenue desc, channel
    """
    chosen = _channel_list(channels)
    return _query(snapshot, sql, (model, first_month, last_month, chosen, chosen))


DATA_DRIVEN_TABLES = {"markov": MARKOV_TABLE, "shapley": "fct_shapley_shares"}


def data_driven_shares(snapshot: Snapshot, model: str) -> pd.DataFrame | None:
    """A data-driven model's global share of conversions per channel with its 95% bootstrap
    interval, largest first (Markov adds its removal effect); None for a snapshot published
    before the table existed."""
    table = DATA_DRIVEN_TABLES[model]
    if not has_table(snapshot, table):
        return None
    effect = "removal_effect" if model == "markov" else "cast(null as double) as removal_effect"
    sql = f"""
        select channel, share, share_low, share_high, {effect}, conversions, is_too_little_data
        from {table}
        order by share desc, channel
    """  # table and column come from the constants above, never from input
    return _query(snapshot, sql, ())


def markov_shares(snapshot: Snapshot) -> pd.DataFrame | None:
    return data_driven_shares(snapshot, "markov")


def model_misallocation(snapshot: Snapshot) -> pd.DataFrame:
    """Per model, against the demo's planted truth: the deals scored and the misallocated share
    Σ|credited share − planted share| / 2 (the share of leads credited to the wrong channel).
    Best model first; no rows when ``fct_model_accuracy`` is empty."""
    sql = """
        select
            attribution_model,
            sum(planted_leads)::bigint as deals,
            sum(abs(share_error)) / 2 as misallocated_share
        from fct_model_accuracy
        group by attribution_model
        order by misallocated_share, attribution_model
    """
    return _query(snapshot, sql, ())


def model_accuracy(snapshot: Snapshot, model: str) -> pd.DataFrame:
    """Planted vs credited leads and shares per channel for one model."""
    sql = """
        select channel, planted_leads, credited_leads, planted_share, credited_share, share_error
        from fct_model_accuracy
        where attribution_model = ?
        order by planted_share desc, credited_share desc, channel
    """
    return _query(snapshot, sql, (model,))
