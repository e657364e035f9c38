"""``fct_deal_credit`` for the Channels & campaigns page: the deals behind 2025-01-31.

Six CRM deals created on 2025-01-31 (the fixture's last day), one row per deal × touch × model,
whose credit reproduces the base fixture's ``fct_channel_daily`` for that day exactly, under both
models and for every channel, source and campaign (the weights are chosen to do that; the base
fixture splits deals like no real first/last-touch model would, e.g. half a lead to ``g1``):

deal    status  amount  path (touch: campaign)                 first_touch        last_touch
D-101   won     1,000   c1 → c2 → Organic → c1                 .5 .25 .25 0       0 0 0 1
D-102   lost      700   c1                                     1                  1
D-103   open      500   Organic → c1                           1 0                0 1
D-104   open      300   g1 → c2 → Organic                      .5 .5 0            0 0 1
D-105   lost      800   c1 → Organic → c2 → g1                 .5 .25 .25 0       0 0 .5 .5
D-106   open      200   (no path: the '(none)' row, source crm) 1                 1

So on 2025-01-31 (as in fct_channel_daily):
first_touch  c1 (Brand): leads 2 (D-101 .5, D-102 1, D-105 .5), won .5, revenue 500 (D-101)
             c2 (Generic): leads 1, won .25, revenue 250 · g1: leads .5 (D-104), won 0
             Organic Search: leads 1.5 (D-101 .25, D-103 1, D-105 .25), won .25, revenue 250
             Paid Search: leads 3.5, won .75, revenue 750 · (none): leads 1 (D-106)
last_touch   c1: leads 3 (D-101, D-102, D-103), won 1, revenue 1,000 (D-101)
             c2: .5 (D-105) · g1: .5 (D-105) · Organic Search: 1 (D-104) · (none): 1 (D-106)
Paid Social (v1) has visits and cost but no deal: no touch of any deal is in it.
Touch times are UTC; D-101's last touch, 2025-01-31 08:00 UTC, is 11:00 in Europe/Moscow.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

DAY = dt.date(2025, 1, 31)
TABLE = "fct_deal_credit"

# campaign → (channel, report_source, report_campaign_id, campaign_name), as in fct_channel_daily
TOUCHES = {
    "c1": ("Paid Search", "yandex_direct", "c1", "Brand"),
    "c2": ("Paid Search", "yandex_direct", "c2", "Generic"),
    "g1": ("Paid Search", "google_ads", "g1", "Search RU"),
    "Organic": ("Organic Search", "metrika", "(none)", None),
    "(none)": ("(none)", "crm", "(none)", None),
}
# deal_id → status, amount, [(touch, touch_at UTC, first_touch weight, last_touch weight)]
DEALS = {
    "D-101": (
        "won",
        1000,
        [
            ("c1", "2025-01-20 09:00", 0.5, 0.0),
            ("c2", "2025-01-25 10:00", 0.25, 0.0),
            ("Organic", "2025-01-28 11:00", 0.25, 0.0),
            ("c1", "2025-01-31 08:00", 0.0, 1.0),
        ],
    ),
    "D-102": ("lost", 700, [("c1", "2025-01-30 12:00", 1.0, 1.0)]),
    "D-103": (
        "open",
        500,
        [("Organic", "2025-01-29 07:00", 1.0, 0.0), ("c1", "2025-01-31 06:00", 0.0, 1.0)],
    ),
    "D-104": (
        "open",
        300,
        [
            ("g1", "2025-01-22 15:00", 0.5, 0.0),
            ("c2", "2025-01-26 16:00", 0.5, 0.0),
            ("Organic", "2025-01-30 17:00", 0.0, 1.0),
        ],
    ),
    "D-105": (
        "lost",
        800,
        [
            ("c1", "2025-01-21 09:30", 0.5, 0.0),
            ("Organic", "2025-01-24 10:30", 0.25, 0.0),
            ("c2", "2025-01-27 11:30", 0.25, 0.5),
            ("g1", "2025-01-30 12:30", 0.0, 0.5),
        ],
    ),
    "D-106": ("open", 200, [("(none)", None, 1.0, 1.0)]),
}

COLUMNS = """
    deal_key varchar, source_system varchar, deal_id varchar, attribution_model varchar,
    touch_index bigint, visit_id varchar, created_date date, status varchar,
    amount_reporting decimal(18, 2), touch_kind varchar, touch_at timestamp, channel varchar,
    report_source varchar, report_campaign_id varchar, campaign_name varchar,
    weight decimal(38, 18), credited_lead decimal(38, 18), credited_revenue decimal(38, 18)
"""


def credit_rows() -> list[dict]:
    rows = []
    for deal_id, (status, amount, path) in DEALS.items():
        for index, (touch, touch_at, *weights) in enumerate(path, start=1):
            channel, source, campaign, name = TOUCHES[touch]
            unattributed = touch == "(none)"
            for model, weight in zip(("first_touch", "last_touch"), weights, strict=True):
                rows.append(
                    {
                        "deal_key": f"crm:{deal_id}",
                        "source_system": "crm",
                        "deal_id": deal_id,
                        "attribution_model": model,
                        "touch_index": 0 if unattributed else index,
                        "visit_id": None if unattributed else f"v-{deal_id}-{index}",
                        "created_date": DAY,
                        "status": status,
                        "amount_reporting": amount,
                        "touch_kind": "none" if unattributed else "visit",
                        "touch_at": pd.Timestamp(touch_at) if touch_at else None,
                        "channel": channel,
                        "report_source": source,
                        "report_campaign_id": campaign,
                        "campaign_name": name,
                        "weight": weight,
                        "credited_lead": weight,
                        "credited_revenue": weight * amount if status == "won" else 0.0,
                    }
                )
    return rows


def add_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create table {TABLE} ({COLUMNS})")
    frame = pd.DataFrame(credit_rows())
    con.register("deal_credit_rows", frame)
    con.execute(
        f"insert into {TABLE} ({', '.join(frame.columns)}) "
        f"select {', '.join(frame.columns)} from deal_credit_rows"
    )
    con.unregister("deal_credit_rows")
