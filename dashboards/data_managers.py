"""Queries of the Managers page: deals per manager over a date range, and the deals still open.

Reads ``fct_managers`` (one row per created_date × manager × source_system) and
``fct_open_deals`` (one row per open deal, aged as of the last day the data covers). Parameters
are always bound; the ratios are computed here, NULL (NaN) when their denominator is 0.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards import data

MANAGERS_TABLE = "fct_managers"
OPEN_DEALS_TABLE = "fct_open_deals"
DEFAULT_OLDER_THAN_DAYS = 14

COUNTS = ("deals_created", "deals_won", "deals_lost", "closed_deals")
MEASURES = (
    "deals_created",
    "deals_won",
    "deals_lost",
    "revenue",
    "closed_cycle_days",
    "closed_deals",
)


def has_tables(snapshot: data.Snapshot) -> bool:
    """Whether the snapshot has both marts (snapshots published before them do not)."""
    return data.has_table(snapshot, MANAGERS_TABLE) and data.has_table(snapshot, OPEN_DEALS_TABLE)


def by_manager(snapshot: data.Snapshot, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Deals created in ``[start, end]`` (inclusive) per manager, every source system summed:
    ``manager`` and the sums of ``MEASURES``, by revenue, then deals, then name."""
    sums = ", ".join(
        f"coalesce(sum({m}), 0)::{'bigint' if m in COUNTS else 'double'} as {m}" for m in MEASURES
    )
    return data.query(
        snapshot,
        f"""
        select manager, {sums}
        from {MANAGERS_TABLE}
        where created_date between ? and ?
        group by manager
        order by revenue desc, deals_created desc, manager
        """,
        (start, end),
    )


def with_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``deals_open`` (created, not yet won or lost), ``win_rate`` = won / (won + lost) and
    ``avg_cycle_days`` = Σ cycle days / closed deals with a cycle. NaN where nothing closed."""
    out = df.copy()
    won = out["deals_won"].astype("float64")
    lost = out["deals_lost"].astype("float64")
    closed = won + lost
    cycles = out["closed_deals"].astype("float64")
    out["deals_open"] = out["deals_created"] - out["deals_won"] - out["deals_lost"]
    out["win_rate"] = (won / closed.where(closed != 0)).astype("float64")
    out["avg_cycle_days"] = (
        out["closed_cycle_days"].astype("float64") / cycles.where(cycles != 0)
    ).astype("float64")
    out["revenue"] = out["revenue"].astype("float64")
    return out


def totals(df: pd.DataFrame) -> dict[str, float | None]:
    """The page's KPI tiles over every manager in ``df`` (a ``by_manager`` frame)."""
    sums = {m: float(df[m].astype("float64").sum()) if len(df) else 0.0 for m in MEASURES}
    row = with_rates(pd.DataFrame([sums])).iloc[0]
    return {
        "deals_created": sums["deals_created"],
        "deals_won": sums["deals_won"],
        "win_rate": None if pd.isna(row["win_rate"]) else float(row["win_rate"]),
        "revenue": sums["revenue"],
        "avg_cycle_days": None if pd.isna(row["avg_cycle_days"]) else float(row["avg_cycle_days"]),
    }


def open_deals(snapshot: data.Snapshot, older_than_days: int) -> pd.DataFrame:
    """Open deals more than ``older_than_days`` days old (as of the data's last day), oldest
    first."""
    return data.query(
        snapshot,
        f"""
        select manager, source_system, deal_id, pipeline, stage, created_date, age_days,
               amount::double as amount
        from {OPEN_DEALS_TABLE}
        where age_days > ?
        order by age_days desc, created_at, source_system, deal_id
        """,
        (int(older_than_days),),
    )


def open_deals_as_of(snapshot: data.Snapshot) -> dt.date | None:
    """The day the open deals are aged to (None when no deal is open)."""
    df = data.query(snapshot, f"select max(as_of_date) as as_of_date from {OPEN_DEALS_TABLE}")
    value = df.iloc[0]["as_of_date"]
    return None if pd.isna(value) else pd.Timestamp(value).date()
