"""The Overview's headline numbers: eight KPIs, their change vs the previous period, and the
top and bottom channels. Pure (no Streamlit, no I/O); ratios follow ``metrics``.

A change is relative (``+3.1%``) for amounts and CAC, and in percentage points (``-12.9 pp``)
for the ratios ROI, ROMI and ДРР. It is undefined ("—") when either side is, or when a relative
change would divide by zero. Signs use an ASCII ``-``: ``st.metric`` reads it for the arrow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dashboards import metrics
from dashboards.formats import localize, percent_sign

Kind = Literal["money", "count", "ratio"]
Better = Literal["up", "down", "neutral"]


@dataclass(frozen=True)
class Kpi:
    key: str
    kind: Kind  # how the value is written
    better: Better  # which way is good news (the delta's colour)


KPIS = (
    Kpi("cost", "money", "neutral"),
    Kpi("leads", "count", "up"),
    Kpi("deals_won", "count", "up"),
    Kpi("revenue", "money", "up"),
    Kpi("roi", "ratio", "up"),
    Kpi("romi", "ratio", "up"),
    Kpi("cac", "money", "down"),
    Kpi("drr", "ratio", "down"),
)
DELTA_COLOR = {"up": "normal", "down": "inverse", "neutral": "off"}


def kpi_values(total: Mapping[str, float]) -> dict[str, float | None]:
    """The eight KPIs from summed ``cost, leads, deals_won, revenue, cost_of_goods``."""
    cost, revenue = total["cost"], total["revenue"]
    return {
        "cost": cost,
        "leads": total["leads"],
        "deals_won": total["deals_won"],
        "revenue": revenue,
        "roi": metrics.roi(revenue, cost),
        "romi": metrics.romi(revenue, total["cost_of_goods"], cost),
        "cac": metrics.cac(cost, total["deals_won"]),
        "drr": metrics.drr(cost, revenue),
    }


def change(kpi: Kpi, current: float | None, previous: float | None) -> float | None:
    """Relative change for amounts, difference in percentage points for ratios; None when
    undefined."""
    if current is None or previous is None or math.isnan(current) or math.isnan(previous):
        return None
    if kpi.kind == "ratio":
        return (current - previous) * 100
    return metrics.ratio(current - previous, previous)


def fmt_change(kpi: Kpi, value: float | None, lang: str = "en", pp: str = "pp") -> str:
    """``+3.1%`` / ``-12.9 pp`` (Russian: ``+3,1 %``, ``-12,9 п.п.``); "—" when undefined."""
    if value is None:
        return metrics.EMPTY
    if kpi.kind == "ratio":
        return f"{localize(f'{value:+,.1f}', lang)} {pp}"
    return localize(f"{value * 100:+,.1f}", lang) + percent_sign(lang)


def fmt_value(kpi: Kpi, value: float | None, lang: str = "en") -> str:
    if kpi.kind == "ratio":
        return metrics.fmt_pct(value, lang=lang)
    return metrics.fmt_kpi(value, lang=lang)


def rank_channels(by_channel: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top and bottom channels by ROI among those with cost (``metrics.with_ratios`` rows).

    Top: the best ``n``, best first; bottom: the worst ``n`` of the rest, worst first. With fewer
    than ``2n`` ranked channels they are split in half (top gets the odd one), so no channel is
    in both. Ties go to more revenue, then the name.
    """
    ranked = by_channel[by_channel["roi"].notna()].sort_values(
        ["roi", "revenue", "channel"], ascending=[False, False, True], kind="stable"
    )
    top_n = min(n, math.ceil(len(ranked) / 2))
    top = ranked.head(top_n)
    rest = ranked.iloc[top_n:]
    bottom = rest.tail(min(n, len(rest))).iloc[::-1]
    return top.reset_index(drop=True), bottom.reset_index(drop=True)


def unranked_channels(by_channel: pd.DataFrame) -> pd.DataFrame:
    """Channels without cost (ROI undefined), most revenue first."""
    rest = by_channel[by_channel["roi"].isna()]
    return rest.sort_values(["revenue", "channel"], ascending=[False, True]).reset_index(drop=True)
