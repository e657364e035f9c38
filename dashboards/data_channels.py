"""Channels & campaigns: the drill table's rows and metrics, and the deals behind any row.

The rows come from ``data.channel_performance`` (``fct_channel_daily``); the deals behind a row
from ``fct_deal_credit`` (one row per deal × touch × model), which reconciles with it: per day,
channel and model Σ credited leads and revenue equal ``fct_channel_daily``'s. Queries bind every
value; the only SQL built from Python are whitelisted identifiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import pandas as pd

from dashboards import data, metrics

Level = Literal["channel", "source", "campaign"]
Measure = Literal["leads", "deals_won", "revenue"]

CREDIT_TABLE = "fct_deal_credit"
LEVELS: tuple[Level, ...] = ("channel", "source", "campaign")
MEASURES: tuple[Measure, ...] = ("leads", "deals_won", "revenue")
# The table's dimensions per level (fct_channel_daily's names), most general first.
DIMENSIONS: dict[str, tuple[str, ...]] = data.LEVEL_DIMENSIONS
# Every number of the table, in the order it shows them (DESIGN.md "Metrics", plus ДРР).
BASE_COLUMNS = ("cost", "impressions", "clicks", "visits", "leads", "deals_won", "revenue")
RATIO_COLUMNS = (
    "ctr",
    "cpc",
    "cr_visit_lead",
    "cr_lead_won",
    "cpl",
    "cac",
    "aov",
    "roi",
    "romi",
    "drr",
)
METRIC_COLUMNS = BASE_COLUMNS + RATIO_COLUMNS
DEFAULT_SORT = "cost"
KEY_SEPARATOR = "\t"  # joins a row's dimension values into one picker value


# --- the table --------------------------------------------------------------------------------


def level_for(channel: str | None, source: str | None, all_campaigns: bool = False) -> Level:
    """The drill's level: channels; a picked channel's sources; a picked source's campaigns (or
    every campaign, of the picked channel if any, with ``all_campaigns``)."""
    if source or all_campaigns:
        return "campaign"
    return "source" if channel else "channel"


def _div(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Vectorised ratio, NaN where the denominator is 0 (metrics.py's rule)."""
    den = denominator.astype("float64")
    return (numerator.astype("float64") / den.where(den != 0)).astype("float64")


def with_metrics(df: pd.DataFrame) -> pd.DataFrame:
    """Every DESIGN.md metric on a frame of summed measures: CTR, CPC, CR visit → lead,
    CR lead → won, CPL, CAC, AOV, ROI, ROMI and ДРР; NaN ("—") where a denominator is 0."""
    out = metrics.with_funnel_rates(metrics.with_ratios(df))
    out = out.drop(columns=[c for c in out.columns if c.startswith("drop_")])
    out["ctr"] = _div(out["clicks"], out["impressions"])
    out["cpc"] = _div(out["cost"], out["clicks"])
    out["aov"] = _div(out["revenue"], out["deals_won"])
    return out


def row_key(row: pd.Series | dict, level: Level) -> str:
    """One string naming a row at ``level`` (its dimension values), for the deal picker."""
    return KEY_SEPARATOR.join(str(row[d]) for d in DIMENSIONS[level])


def split_key(key: str) -> tuple[str, str | None, str | None]:
    """``row_key`` back into (channel, source_system or None, campaign_id or None)."""
    parts = key.split(KEY_SEPARATOR)
    channel, source, campaign = (*parts, None, None)[:3]
    return channel, source, campaign


def row_label(row: pd.Series | dict, level: Level) -> str:
    """What a row is called: the channel, the source, or the campaign's name (id)."""
    if level == "channel":
        return str(row["channel"])
    if level == "source":
        return str(row["source_system"])
    name = row.get("campaign_name")
    cid = str(row["campaign_id"])
    return f"{name} ({cid})" if isinstance(name, str) and name and name != cid else cid


def rows(
    snapshot: data.Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
    *,
    channel: str | None = None,
    source: str | None = None,
    all_campaigns: bool = False,
) -> tuple[Level, pd.DataFrame]:
    """The drill table: its level, and one row per channel / source / campaign with ``name``
    (the row's label), ``key`` (for the deal picker) and every metric. ``channel`` and
    ``source`` narrow it to one channel's sources or one source's campaigns."""
    level = level_for(channel, source, all_campaigns)
    picked = [channel] if channel else channels
    df = data.channel_performance(snapshot, start, end, model, picked, level=level)
    if source and level == "campaign":
        df = df[df["source_system"] == source]
    df = with_metrics(df.reset_index(drop=True))
    df.insert(0, "name", [row_label(r, level) for _, r in df.iterrows()])
    df.insert(1, "key", [row_key(r, level) for _, r in df.iterrows()])
    return level, df


def sort_rows(df: pd.DataFrame, by: str = DEFAULT_SORT, descending: bool = True) -> pd.DataFrame:
    """Rows by one metric; undefined ("—") values last either way, ties by name."""
    if by not in df.columns:
        return df
    return df.sort_values(
        [by, "name"], ascending=[not descending, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def sources_of(
    snapshot: data.Snapshot, start: dt.date, end: dt.date, model: str, channel: str
) -> list[str]:
    """The channel's sources in the period, in the source table's order (by cost)."""
    df = data.channel_performance(snapshot, start, end, model, [channel], level="source")
    return list(df["source_system"])


# --- the deals behind a row ---------------------------------------------------------------------

_MEASURE_FILTER = {  # whitelisted SQL per measure: which deals make up the number
    "leads": "credited_lead <> 0",
    "deals_won": "credited_won <> 0",
    "revenue": "credited_revenue <> 0",
}
CREDIT_COLUMN = {
    "leads": "credited_lead",
    "deals_won": "credited_won",
    "revenue": "credited_revenue",
}


def _picked_deals(
    start: dt.date,
    end: dt.date,
    model: str,
    channel: str,
    source: str | None,
    campaign: str | None,
    measure: Measure,
) -> tuple[str, list[object]]:
    """CTEs ``cell`` (the row's touches) and ``picked`` (its deals that make up ``measure``,
    with their credit in the row), and their parameters."""
    sql = f"""
        with cell as (
            select
                deal_key,
                count(*) as touches,
                sum(credited_lead) as credited_lead,
                sum(case when status = 'won' then credited_lead else 0 end) as credited_won,
                sum(credited_revenue) as credited_revenue
            from {CREDIT_TABLE}
            where attribution_model = ?
              and created_date between ? and ?
              and channel = ?
              and (?::varchar is null or report_source = ?)
              and (?::varchar is null or report_campaign_id = ?)
            group by deal_key
        ),

        picked as (
            select * from cell where {_MEASURE_FILTER[measure]}
        )
    """
    return sql, [model, start, end, channel, source, source, campaign, campaign]


def deals_behind(
    snapshot: data.Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channel: str,
    source: str | None = None,
    campaign: str | None = None,
    measure: Measure = "leads",
    percent_sign: str = "%",
) -> pd.DataFrame:
    """One row per deal behind a table row's ``measure``: the deal, how many of its touches
    fall in the row, the lead / won / revenue they are credited with (Σ = the table's number)
    and its whole ``path`` (``channel weight%`` per touch, in order). Biggest credit first."""
    ctes, params = _picked_deals(start, end, model, channel, source, campaign, measure)
    sql = f"""
        {ctes},

        deals as (
            select
                credit.deal_key,
                any_value(credit.deal_id) as deal_id,
                any_value(credit.source_system) as deal_source,
                any_value(credit.created_date) as created_date,
                any_value(credit.status) as status,
                any_value(credit.amount_reporting) as amount,
                count(*) as path_touches,
                string_agg(
                    credit.channel || ' '
                    || cast(cast(round(credit.weight * 100) as integer) as varchar) || ?,
                    ' → ' order by credit.touch_index
                ) as path
            from {CREDIT_TABLE} as credit
            inner join picked on credit.deal_key = picked.deal_key
            where credit.attribution_model = ?
            group by credit.deal_key
        )

        select
            deals.deal_id,
            deals.deal_source,
            deals.created_date,
            deals.status,
            deals.amount::double as amount,
            picked.touches,
            deals.path_touches,
            picked.credited_lead::double as credited_lead,
            picked.credited_won::double as credited_won,
            picked.credited_revenue::double as credited_revenue,
            deals.path
        from picked
        inner join deals on picked.deal_key = deals.deal_key
        order by picked.{CREDIT_COLUMN[measure]} desc, deals.created_date, deals.deal_id
    """
    return data.query(snapshot, sql, [*params, percent_sign, model])


def touches_behind(
    snapshot: data.Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channel: str,
    source: str | None = None,
    campaign: str | None = None,
    measure: Measure = "leads",
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Every touch (under ``model``) of the deals ``deals_behind`` lists, in path order:
    when (in ``timezone``), what, which channel/source/campaign, its weight and credited
    revenue, and ``in_row``: whether the touch is one the table's row counts."""
    ctes, params = _picked_deals(start, end, model, channel, source, campaign, measure)
    sql = f"""
        {ctes}

        select
            credit.deal_id,
            credit.touch_index,
            credit.touch_at,
            credit.touch_kind,
            credit.channel,
            credit.report_source,
            credit.report_campaign_id,
            credit.campaign_name,
            credit.visit_id,
            credit.weight::double as weight,
            credit.credited_revenue::double as credited_revenue,
            (
                credit.channel = ?
                and (?::varchar is null or credit.report_source = ?)
                and (?::varchar is null or credit.report_campaign_id = ?)
            ) as in_row
        from {CREDIT_TABLE} as credit
        inner join picked on credit.deal_key = picked.deal_key
        where credit.attribution_model = ?
        order by picked.{CREDIT_COLUMN[measure]} desc, credit.created_date, credit.deal_id,
            credit.touch_index
    """
    df = data.query(
        snapshot, sql, [*params, channel, source, source, campaign, campaign, model]
    ).copy()
    df["touch_at"] = to_local(df["touch_at"], timezone)
    return df


def to_local(moments: pd.Series, timezone: str) -> pd.Series:
    """Naive UTC timestamps → naive wall-clock time in ``timezone`` (NaT stays NaT)."""
    stamps = pd.to_datetime(moments)
    return stamps.dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
