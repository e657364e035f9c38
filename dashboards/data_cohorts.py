"""Queries for the Cohorts & LTV page, on ``fct_cohorts`` (one row per acquisition month ×
first-touch channel × months since). Aggregation happens in SQL, parameters are bound."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from dashboards import data, metrics
from dashboards.formats import localize

TABLE = "fct_cohorts"
# The heatmap's metrics (a fixed whitelist: column names, never user input).
METRICS = ("customers", "revenue", "ltv")


def _chosen(channels: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(channels) if channels else None


def has_cohorts(snapshot: data.Snapshot) -> bool:
    """Whether the snapshot has ``fct_cohorts`` (snapshots published before it do not)."""
    return data.has_table(snapshot, TABLE)


def cohort_grid(
    snapshot: data.Snapshot,
    first_month: dt.date,
    last_month: dt.date,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per acquisition month (in ``[first_month, last_month]``) × months since, summed
    over the chosen channels: ``cohort_customers`` (acquired), ``customers`` (of them, ordering
    in that month), ``revenue`` (in that month), ``cumulative_revenue`` and ``ltv`` (cumulative
    revenue per acquired customer, NULL for a cohort of nobody)."""
    sql = """
        select
            acquisition_month,
            months_since,
            max(activity_month) as activity_month,
            sum(customers)::bigint as cohort_customers,
            sum(active_customers)::bigint as customers,
            sum(revenue)::double as revenue,
            sum(cumulative_revenue)::double as cumulative_revenue,
            (sum(cumulative_revenue) / nullif(sum(customers), 0))::double as ltv,
            bool_or(is_current_month) as is_current_month
        from fct_cohorts
        where acquisition_month between ? and ?
          and (?::varchar[] is null or list_contains(?::varchar[], channel))
        group by acquisition_month, months_since
        having sum(customers) > 0
        order by acquisition_month, months_since
    """
    chosen = _chosen(channels)
    return data.query(snapshot, sql, (first_month, last_month, chosen, chosen))


def cohort_economics(
    snapshot: data.Snapshot,
    first_month: dt.date,
    last_month: dt.date,
    channels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per acquisition month × channel (newest month first, then by cost): customers,
    cost, CAC, LTV to date, LTV/CAC, payback month and the months observed so far."""
    sql = """
        select
            acquisition_month,
            channel,
            customers::bigint as customers,
            cost::double as cost,
            cac,
            revenue_to_date::double as revenue_to_date,
            ltv_to_date,
            ltv_to_cac,
            payback_month,
            months_observed
        from fct_cohorts
        where months_since = 0
          and acquisition_month between ? and ?
          and (?::varchar[] is null or list_contains(?::varchar[], channel))
        order by acquisition_month desc, cost desc, customers desc, channel
    """
    chosen = _chosen(channels)
    return data.query(snapshot, sql, (first_month, last_month, chosen, chosen))


def as_of_date(snapshot: data.Snapshot) -> dt.date | None:
    """The last data day the cohorts are counted to (None when there are no rows)."""
    df = data.query(snapshot, "select max(as_of_date) as as_of_date from fct_cohorts")
    value = df.iloc[0]["as_of_date"]
    return None if pd.isna(value) else pd.Timestamp(value).date()


# --- pure: the page's totals ------------------------------------------------------------------


def cohort_totals(economics: pd.DataFrame) -> dict[str, float | None]:
    """Totals over the cohort × channel rows of ``cohort_economics``: customers, cost, revenue
    to date and LTV to date over all of them; CAC and LTV/CAC over the rows with cost (paid
    acquisition) only, so customers of channels without cost do not dilute them. Ratios are
    None when undefined."""
    customers = float(economics["customers"].sum()) if len(economics) else 0.0
    revenue = float(economics["revenue_to_date"].astype("float64").sum()) if len(economics) else 0.0
    paid = economics[economics["cost"].astype("float64") > 0] if len(economics) else economics
    paid_cost = float(paid["cost"].astype("float64").sum()) if len(paid) else 0.0
    paid_customers = float(paid["customers"].sum()) if len(paid) else 0.0
    paid_revenue = float(paid["revenue_to_date"].astype("float64").sum()) if len(paid) else 0.0
    return {
        "customers": customers,
        "cost": float(economics["cost"].astype("float64").sum()) if len(economics) else 0.0,
        "revenue_to_date": revenue,
        "ltv_to_date": metrics.ratio(revenue, customers),
        "paid_cac": metrics.ratio(paid_cost, paid_customers),
        "paid_ltv_to_cac": metrics.ratio(paid_revenue, paid_cost) if paid_customers else None,
    }


def fmt_multiple(value: metrics.Number, lang: str = "en") -> str:
    """LTV/CAC as a multiple: ``1.25×`` / ``1,25×``; "—" when undefined."""
    if value is None or pd.isna(value):
        return metrics.EMPTY
    return localize(f"{float(value):,.2f}", lang) + "×"
