"""Month close: the frozen copies under <snapshot dir>/closed/ and a month "as closed" beside the
current snapshot, per source, for the default attribution model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboards import data

CLOSED_DIR = "closed"
METRICS = ("cost", "leads", "deals_won", "revenue")


def closed_months(snapshot: data.Snapshot) -> list[str]:
    """Months with a frozen copy, newest first."""
    folder = Path(snapshot.path).parent / CLOSED_DIR
    return sorted((p.stem for p in folder.glob("????-??.duckdb")), reverse=True)


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, mon = (int(x) for x in month.split("-"))
    first = dt.date(year, mon, 1)
    return first, dt.date(year + mon // 12, mon % 12 + 1, 1) - dt.timedelta(days=1)


@st.cache_data(ttl=300, max_entries=32, show_spinner=False)
def _compare(current: str, closed: str, closed_mtime: int, model: str, month: str) -> pd.DataFrame:
    first, last = month_bounds(month)
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as now (read_only)", [current])
        con.execute("attach ? as closed (read_only)", [closed])
        sums = ", ".join(f"sum({m})::double as {m}" for m in METRICS)
        part = (
            f"select source_system, {sums} from {{db}}.fct_channel_daily "
            "where attribution_model = ? and report_date between ? and ? group by 1"
        )
        return con.execute(
            f"""
            with was as ({part.format(db="closed")}), cur as ({part.format(db="now")})
            select coalesce(cur.source_system, was.source_system) as source_system,
                   {", ".join(f"was.{m} as {m}_closed, cur.{m} as {m}_now" for m in METRICS)},
                   (select closed_at from closed.close_meta) as closed_at
            from was full outer join cur on was.source_system = cur.source_system
            order by 1
            """,
            [model, first, last, model, first, last],
        ).df()
    finally:
        con.close()


def compare(snapshot: data.Snapshot, month: str, model: str) -> pd.DataFrame:
    """One row per source_system: each metric as closed, as of today, and the difference;
    `reason` says which kind of change moved it."""
    closed = Path(snapshot.path).parent / CLOSED_DIR / f"{month}.duckdb"
    frame = _compare(snapshot.path, str(closed), closed.stat().st_mtime_ns, model, month)
    for m in METRICS:
        frame[f"{m}_diff"] = frame[f"{m}_now"].fillna(0) - frame[f"{m}_closed"].fillna(0)
    frame["reason"] = [explain(row) for row in frame.to_dict("records")]
    return frame


def explain(row: dict) -> str:
    """Message key of the change: ad platforms restate cost, CRMs edit deals after the month."""
    cost = abs(row["cost_diff"]) >= 0.005
    deals = any(abs(row[f"{m}_diff"]) > 1e-9 for m in ("leads", "deals_won", "revenue"))
    if cost and deals:
        return "close.reason.both"
    if cost:
        return "close.reason.cost"
    if deals:
        return "close.reason.deals"
    return "close.reason.none"
