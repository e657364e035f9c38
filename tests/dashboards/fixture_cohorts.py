"""Test-snapshot tables of the Cohorts & LTV and Segments pages: ``dim_customers`` and
``fct_cohorts``, shaped like the marts, as of 2025-01-31 (the fixture's last day).

Six customers (built as with ``inactive_days = 35``, ``vip_top_share = 0.1``):

=====  ==============  ==========  =================================  =======  =========
key    first touch     acquired    orders (day: amount)               revenue  segment
=====  ==============  ==========  =================================  =======  =========
k1     Paid Search     2024-12     12-23: 1,000 · 01-10: 500          1,500    loyal
k2     Paid Search     2024-12     12-28: 800                         800      new
k3     Organic Search  2024-12     12-30: 3,000                       3,000    vip
k4     Paid Search     2025-01     01-05: 600                         600      new
k5     (none)          2025-01     01-20: 400                         400      new
k6     Organic Search  2024-12     12-24: 200 (38 days before 01-31)  200      inactive
=====  ==============  ==========  =================================  =======  =========

Segments: new 3 customers / 1,800 revenue · loyal 1 / 1,500 · vip 1 / 3,000 · inactive 1 / 200;
7 orders, 6,500 revenue in all. RFM (R, F, M): k1 454 · k2 113 · k3 215 · k4 312 · k5 511 ·
k6 111, so the R×F grid has R1F1 = 2 (k2, k6), R2F1, R3F1, R5F1 and R4F5 = 1 each.

Cohorts (cost = conftest's fct_channel_daily): Paid Search spent 1,660.5 in December and 6,339.5
in January, Paid Social 180 and 620 (it acquired nobody: 0-customer cohorts).
- 2024-12 Paid Search: 2 customers, CAC 830.25; month 0 revenue 1,800 (LTV 900), month 1 500
  (LTV 1,150); LTV/CAC 2,300 / 1,660.5; payback month 0.
- 2024-12 Organic Search: 2 customers, no cost (CAC, payback, LTV/CAC "—"); month 0 3,200.
- 2025-01 Paid Search: 1 customer, CAC 6,339.5, revenue 600: not paid back (payback "—").
- 2025-01 (none): 1 customer, revenue 400, no cost.
All channels, January only (the default window): 2 customers, revenue 1,000, LTV 500, paid CAC
(6,339.5 + 620) / 1 = 6,959.5, paid LTV/CAC 600 / 6,959.5; (none) is 50% of the customers.
December cohort, all channels: 4 customers; month 0 revenue 5,000 (LTV 1,250), month 1 500
(4 → 1 customer buying, LTV 1,375).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

AS_OF = dt.date(2025, 1, 31)
INACTIVE_DAYS, VIP_TOP_SHARE = 35, 0.1
DEC, JAN = dt.date(2024, 12, 1), dt.date(2025, 1, 1)
D = dt.date

# customer_key, contact_key, first_touch_channel, deals [(deal_key, day, amount)], segment,
# (r, f, m), identity_basis
CUSTOMERS = (
    (
        "k1",
        "h1",
        "Paid Search",
        [("crm:11", D(2024, 12, 23), 1000), ("crm:12", D(2025, 1, 10), 500)],
        "loyal",
        (4, 5, 4),
        "contact",
    ),  # noqa: E501
    ("k2", "h2", "Paid Search", [("crm:21", D(2024, 12, 28), 800)], "new", (1, 1, 3), "contact"),
    (
        "k3",
        "h3",
        "Organic Search",
        [("crm:31", D(2024, 12, 30), 3000)],
        "vip",
        (2, 1, 5),
        "contact",
    ),  # noqa: E501
    ("k4", None, "Paid Search", [("crm:41", D(2025, 1, 5), 600)], "new", (3, 1, 2), "client"),
    ("k5", "h5", "(none)", [("crm:51", D(2025, 1, 20), 400)], "new", (5, 1, 1), "contact"),
    (
        "k6",
        "h6",
        "Organic Search",
        [("crm:61", D(2024, 12, 24), 200)],
        "inactive",
        (1, 1, 1),
        "contact",
    ),  # noqa: E501
)

# acquisition_month, channel, customers, cost, [(active_customers, orders, revenue) per month]
COHORTS = (
    (DEC, "Paid Search", 2, 1660.5, [(2, 2, 1800), (1, 1, 500)]),
    (DEC, "Organic Search", 2, 0.0, [(2, 2, 3200), (0, 0, 0)]),
    (DEC, "Paid Social", 0, 180.0, [(0, 0, 0), (0, 0, 0)]),
    (JAN, "Paid Search", 1, 6339.5, [(1, 1, 600)]),
    (JAN, "(none)", 1, 0.0, [(1, 1, 400)]),
    (JAN, "Paid Social", 0, 620.0, [(0, 0, 0)]),
)


def customer_rows() -> list[dict]:
    rows = []
    for key, contact, channel, deals, segment, (r, f, m), basis in CUSTOMERS:
        revenue = float(sum(amount for _, _, amount in deals))
        first, last = deals[0][1], deals[-1][1]
        rows.append(
            {
                "customer_key": key,
                "identity_basis": basis,
                "contact_key": contact,
                "first_deal_key": deals[0][0],
                "last_deal_key": deals[-1][0],
                "deal_keys": ", ".join(d for d, _, _ in deals),
                "first_touch_channel": channel,
                "acquisition_month": first.replace(day=1),
                "segment": segment,
                "is_vip": segment == "vip",
                "is_inactive": segment == "inactive",
                "orders": len(deals),
                "revenue": revenue,
                "aov": revenue / len(deals),
                "recency_days": (AS_OF - last).days,
                "frequency": len(deals),
                "monetary": revenue,
                "r_score": r,
                "f_score": f,
                "m_score": m,
                "rfm_cell": f"{r}{f}{m}",
                "first_order_date": first,
                "last_order_date": last,
                "inactive_days": INACTIVE_DAYS,
                "vip_top_share": VIP_TOP_SHARE,
                "as_of_date": AS_OF,
            }
        )
    return rows


def cohort_rows() -> list[dict]:
    rows = []
    for month, channel, customers, cost, by_month in COHORTS:
        observed = len(by_month) - 1
        to_date = float(sum(revenue for _, _, revenue in by_month))
        has_cac = cost > 0 and customers > 0
        cumulative = 0.0
        payback = None
        for since, (_, _, revenue) in enumerate(by_month):
            cumulative += revenue
            if has_cac and payback is None and cumulative >= cost:
                payback = since
        cumulative = 0.0
        for since, (active, orders, revenue) in enumerate(by_month):
            cumulative += revenue
            rows.append(
                {
                    "acquisition_month": month,
                    "channel": channel,
                    "months_since": since,
                    "activity_month": (pd.Timestamp(month) + pd.DateOffset(months=since)).date(),
                    "customers": customers,
                    "cost": cost,
                    "cac": cost / customers if has_cac else None,
                    "active_customers": active,
                    "orders": orders,
                    "revenue": float(revenue),
                    "cumulative_revenue": cumulative,
                    "ltv": cumulative / customers if customers else None,
                    "months_observed": observed,
                    "revenue_to_date": to_date,
                    "ltv_to_date": to_date / customers if customers else None,
                    "ltv_to_cac": to_date / cost if has_cac else None,
                    "payback_month": payback,
                    "is_current_month": since == observed,
                    "as_of_date": AS_OF,
                }
            )
    return rows


DIM_CUSTOMERS = """
    customer_key varchar, identity_basis varchar, contact_key varchar, first_deal_key varchar,
    last_deal_key varchar, deal_keys varchar, first_touch_channel varchar, acquisition_month date,
    segment varchar, is_vip boolean, is_inactive boolean, orders bigint, revenue decimal(18, 2),
    aov decimal(18, 2), recency_days bigint, frequency bigint, monetary decimal(18, 2),
    r_score integer, f_score integer, m_score integer, rfm_cell varchar, first_order_date date,
    last_order_date date, inactive_days integer, vip_top_share double, as_of_date date
"""
FCT_COHORTS = """
    acquisition_month date, channel varchar, months_since bigint, activity_month date,
    customers bigint, cost decimal(18, 2), cac double, active_customers bigint, orders bigint,
    revenue decimal(18, 2), cumulative_revenue decimal(18, 2), ltv double, months_observed bigint,
    revenue_to_date decimal(18, 2), ltv_to_date double, ltv_to_cac double, payback_month bigint,
    is_current_month boolean, as_of_date date
"""


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: list[dict]) -> None:
    con.execute(f"create table {table} ({columns})")
    frame = pd.DataFrame(rows)
    con.register("fixture_cohort_rows", frame)
    names = ", ".join(frame.columns)
    con.execute(f"insert into {table} ({names}) select {names} from fixture_cohort_rows")
    con.unregister("fixture_cohort_rows")


def add_tables(con: duckdb.DuckDBPyConnection) -> None:
    """``dim_customers`` and ``fct_cohorts`` (called by conftest.write_serving)."""
    _insert(con, "dim_customers", DIM_CUSTOMERS, customer_rows())
    _insert(con, "fct_cohorts", FCT_COHORTS, cohort_rows())
