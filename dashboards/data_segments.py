"""Queries for the Segments page, on ``dim_customers`` (one row per customer). Aggregation
happens in SQL, parameters are bound. The customer list selects a fixed set of columns: hashed
keys, CRM deal ids and numbers, never personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from dashboards import data

TABLE = "dim_customers"
# In the order the page shows them; the mart's accepted values.
SEGMENTS = ("new", "loyal", "vip", "inactive")
# The customer list (campaign export): hashed keys and CRM ids only. A fixed whitelist.
CUSTOMER_COLUMNS = (
    "customer_key",
    "contact_key",
    "first_deal_key",
    "last_deal_key",
    "deal_keys",
    "first_touch_channel",
    "acquisition_month",
    "first_order_date",
    "last_order_date",
    "orders",
    "revenue",
    "aov",
    "recency_days",
    "r_score",
    "f_score",
    "m_score",
    "rfm_cell",
)


def _chosen(channels: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(channels) if channels else None


def has_customers(snapshot: data.Snapshot) -> bool:
    """Whether the snapshot has ``dim_customers`` (snapshots published before it do not)."""
    return data.has_table(snapshot, TABLE)


def segment_summary(snapshot: data.Snapshot, channels: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per segment (all four, in ``SEGMENTS`` order, 0 when empty): customers, orders,
    revenue, their shares of all customers / revenue shown, and AOV (NULL without orders)."""
    sql = """
        with segments as (
            select unnest(?::varchar[]) as segment, generate_subscripts(?::varchar[], 1) as position
        ),

        picked as (
            select segment, orders, revenue
            from dim_customers
            where ?::varchar[] is null or list_contains(?::varchar[], first_touch_channel)
        ),

        summed as (
            select
                segments.segment,
                segments.position,
                count(picked.segment)::bigint as customers,
                coalesce(sum(picked.orders), 0)::bigint as orders,
                coalesce(sum(picked.revenue), 0)::double as revenue
            from segments
            left join picked on picked.segment = segments.segment
            group by segments.segment, segments.position
        )

        select
            segment,
            customers,
            orders,
            revenue,
            (customers / nullif(sum(customers) over (), 0))::double as customer_share,
            (revenue / nullif(sum(revenue) over (), 0))::double as revenue_share,
            (revenue / nullif(orders, 0))::double as aov,
            (orders / nullif(customers, 0))::double as orders_per_customer
        from summed
        order by position
    """
    chosen = _chosen(channels)
    return data.query(snapshot, sql, (list(SEGMENTS), list(SEGMENTS), chosen, chosen))


def rfm_grid(snapshot: data.Snapshot, channels: Sequence[str] | None = None) -> pd.DataFrame:
    """Customers and revenue per R score × F score (only the cells that have customers), with
    the average M score of each cell."""
    sql = """
        select
            r_score,
            f_score,
            count(*)::bigint as customers,
            sum(revenue)::double as revenue,
            avg(m_score)::double as avg_m_score
        from dim_customers
        where ?::varchar[] is null or list_contains(?::varchar[], first_touch_channel)
        group by r_score, f_score
        order by r_score desc, f_score desc
    """
    chosen = _chosen(channels)
    return data.query(snapshot, sql, (chosen, chosen))


def segment_customers(
    snapshot: data.Snapshot, segment: str, channels: Sequence[str] | None = None
) -> pd.DataFrame:
    """The customers of one segment (best customers first: revenue, then the latest order), with
    ``CUSTOMER_COLUMNS`` only: hashed keys, CRM deal ids and their numbers."""
    columns = ", ".join(CUSTOMER_COLUMNS)
    sql = f"""
        select {columns}
        from dim_customers
        where segment = ?
          and (?::varchar[] is null or list_contains(?::varchar[], first_touch_channel))
        order by revenue desc, last_order_date desc, customer_key
    """
    chosen = _chosen(channels)
    return data.query(snapshot, sql, (segment, chosen, chosen))


def as_of_date(snapshot: data.Snapshot) -> dt.date | None:
    """The day recency and segments are counted to (None when there are no customers)."""
    df = data.query(snapshot, "select max(as_of_date) as as_of_date from dim_customers")
    value = df.iloc[0]["as_of_date"]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def thresholds(snapshot: data.Snapshot) -> tuple[int | None, float | None]:
    """The ``inactive_days`` and ``vip_top_share`` the segments were built with (None, None
    when there are no customers)."""
    df = data.query(
        snapshot,
        "select max(inactive_days) as days, max(vip_top_share) as share from dim_customers",
    )
    days, share = df.iloc[0]["days"], df.iloc[0]["share"]
    return (None if pd.isna(days) else int(days), None if pd.isna(share) else float(share))
