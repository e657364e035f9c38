"""Metric math and number formatting, pure (no Streamlit, no I/O).

Definitions follow DESIGN.md "Metrics". A ratio whose denominator is zero (or missing) is NULL:
``None`` for scalars, NaN in a DataFrame column, and "—" once formatted. Never 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from dashboards.formats import large_suffixes, localize, percent_sign

EMPTY = "—"

Number = float | int | Decimal | None


def _is_missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def ratio(numerator: Number, denominator: Number) -> float | None:
    """``numerator / denominator``, or None when either is missing or the denominator is 0."""
    if _is_missing(numerator) or _is_missing(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def ctr(clicks: Number, impressions: Number) -> float | None:
    return ratio(clicks, impressions)


def cpc(cost: Number, clicks: Number) -> float | None:
    return ratio(cost, clicks)


def cr_visit_lead(leads: Number, visits: Number) -> float | None:
    return ratio(leads, visits)


def cr_lead_won(won: Number, leads: Number) -> float | None:
    return ratio(won, leads)


def cpl(cost: Number, leads: Number) -> float | None:
    return ratio(cost, leads)


def cac(cost: Number, won: Number) -> float | None:
    return ratio(cost, won)


def aov(revenue: Number, won: Number) -> float | None:
    return ratio(revenue, won)


def roi(revenue: Number, cost: Number) -> float | None:
    if _is_missing(revenue) or _is_missing(cost):
        return None
    return ratio(float(revenue) - float(cost), cost)


def drr(cost: Number, revenue: Number) -> float | None:
    """ДРР, доля рекламных расходов: cost / revenue (NULL when there was no revenue)."""
    return ratio(cost, revenue)


def romi(revenue: Number, cost_of_goods: Number, cost: Number) -> float | None:
    if _is_missing(revenue) or _is_missing(cost) or _is_missing(cost_of_goods):
        return None
    return ratio(float(revenue) - float(cost_of_goods) - float(cost), cost)


# --- DataFrame versions (vectorised, NaN where the denominator is 0) -----------------------


def _div(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    return (num / den.where(den != 0)).astype("float64")


def with_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``cpl``, ``cac``, ``roi``, ``romi``, ``drr`` to a frame of summed cost/credit
    columns."""
    out = df.copy()
    cost = out["cost"].astype("float64")
    out["cpl"] = _div(cost, out["leads"])
    out["cac"] = _div(cost, out["deals_won"])
    out["roi"] = _div(out["revenue"].astype("float64") - cost, cost)
    out["romi"] = _div(
        out["revenue"].astype("float64") - out["cost_of_goods"].astype("float64") - cost, cost
    )
    out["drr"] = _div(cost, out["revenue"])
    return out


def with_funnel_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Add conversion rates and drop-offs between visits → leads → won.

    ``drop_visit_lead`` = visits − leads (its share = 1 − CR visit→lead), likewise lead → won.
    Drop-offs and their shares are NaN where the stage before is 0 (e.g. unattributed leads
    have no visits: nothing was lost between them).
    """
    out = df.copy()
    visits = out["visits"].astype("float64")
    leads = out["leads"].astype("float64")
    won = out["deals_won"].astype("float64")
    out["cr_visit_lead"] = _div(leads, visits)
    out["cr_lead_won"] = _div(won, leads)
    out["drop_visit_lead"] = (visits - leads).where(visits != 0)
    out["drop_visit_lead_share"] = _div(visits - leads, visits)
    out["drop_lead_won"] = (leads - won).where(leads != 0)
    out["drop_lead_won_share"] = _div(leads - won, leads)
    return out


def totals(df: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, float]:
    """Column sums of ``columns`` (0 for an empty frame)."""
    return {c: float(df[c].astype("float64").sum()) if len(df) else 0.0 for c in columns}


# --- model comparison -----------------------------------------------------------------------

TOTAL_ROW = "Total"
# Σ credit must match across models: to the kopeck for money, to rounding noise for counts.
CONSERVATION_TOLERANCE = {"revenue": 0.005}
COUNT_TOLERANCE = 1e-6


def model_order(present: Iterable[str], preferred: Sequence[str]) -> list[str]:
    """The models in ``present``: those in ``preferred`` (publish_meta) order first, then any
    others alphabetically (a model the metadata does not list is still shown, never hidden)."""
    seen = set(present)
    return [m for m in preferred if m in seen] + sorted(seen - set(preferred))


def credit_by_model(
    df: pd.DataFrame, measure: str, models: Sequence[str], total_label: str = TOTAL_ROW
) -> pd.DataFrame:
    """Long ``channel, attribution_model, <measure>`` rows → one row per channel (in the order
    they come), one column per model (in ``models`` order), and a ``total_label`` row last.

    A channel a model gives no row gets 0: no row means no credit.
    """
    if df.empty:
        return pd.DataFrame(columns=["channel", *models])
    channels = list(dict.fromkeys(df["channel"]))
    wide = (
        df.assign(**{measure: df[measure].astype("float64")})
        .pivot_table(index="channel", columns="attribution_model", values=measure, aggfunc="sum")
        .reindex(index=channels, columns=list(models))
        .fillna(0.0)
    )
    wide.loc[total_label] = wide.sum(axis=0)
    wide.columns.name = None
    return wide.rename_axis("channel").reset_index()


def model_totals(df: pd.DataFrame, measure: str) -> pd.Series:
    """Σ ``measure`` per model (index: attribution_model)."""
    return df.groupby("attribution_model", sort=False)[measure].sum().astype("float64")


def is_conserved(totals: pd.Series, measure: str) -> bool:
    """Whether every model credits the same total (models only move credit between channels)."""
    if totals.empty:
        return True
    tolerance = CONSERVATION_TOLERANCE.get(measure, COUNT_TOLERANCE)
    return bool(totals.max() - totals.min() <= tolerance)


def with_budget_shift(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``shift_pp`` = (revenue share − cost share) × 100, in percentage points: positive =
    the model credits the channel with more of the revenue than its share of the spend.
    NaN when either share is (a zero total)."""
    out = df.copy()
    out["shift_pp"] = (
        out["revenue_share"].astype("float64") - out["cost_share"].astype("float64")
    ) * 100
    return out


# --- formatting (English by default; ``lang="ru"`` writes 1 234,5 and 12,3 %) -------------


def fmt_money(value: Number, currency: str, decimals: int = 0, lang: str = "en") -> str:
    """``1,234,567 RUB``; "—" for NULL."""
    if _is_missing(value):
        return EMPTY
    return f"{localize(f'{float(value):,.{decimals}f}', lang)} {currency}"


def fmt_kpi(value: Number, lang: str = "en") -> str:
    """A headline number short enough for a KPI tile: ``6,750``, ``123,456``, ``1.23M``."""
    if _is_missing(value):
        return EMPTY
    number = float(value)
    for limit, suffix in zip((1e9, 1e6), large_suffixes(lang), strict=True):
        if abs(number) >= limit:
            return localize(f"{number / limit:,.2f}", lang) + suffix
    return fmt_count(round(number, 1) if abs(number) < 1000 else round(number), lang)


def fmt_count(value: Number, lang: str = "en") -> str:
    """Whole numbers without decimals, fractional credit with one: ``180``, ``112.5``."""
    if _is_missing(value):
        return EMPTY
    number = float(value)
    if np.isclose(number, round(number), rtol=0, atol=1e-9):
        return localize(f"{round(number):,d}", lang)
    return localize(f"{number:,.1f}", lang)


def fmt_pct(value: Number, decimals: int = 1, lang: str = "en") -> str:
    """A ratio as a percentage: ``3.4444`` → ``344.4%``; "—" for NULL."""
    if _is_missing(value):
        return EMPTY
    return localize(f"{float(value) * 100:,.{decimals}f}", lang) + percent_sign(lang)
