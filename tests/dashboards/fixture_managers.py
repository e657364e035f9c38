"""Managers page tables: ``fct_managers`` and ``fct_open_deals``, with known numbers.

``fct_managers`` (created_date × manager × source_system), revenue in RUB:

    2024-12-28  Anna    crm     6 deals, 2 won, 3 lost, 20,000.00, cycles 40.0 d over 5
    2025-01-10  Anna    crm    10 deals, 3 won, 2 lost, 45,000.00, cycles 50.0 d over 5
    2025-01-20  Anna    amocrm  5 deals, 1 won, 1 lost, 15,000.50, cycles 12.0 d over 2
    2025-01-15  Boris   crm     8 deals, 2 won, 0 lost, 30,000.00, cycles 14.0 d over 2
    2025-01-25  Boris   crm     2 deals, 0 won, 0 lost,      0.00, no closed deal
    2025-01-30  (none)  crm     3 deals, 0 won, 0 lost,      0.00, no closed deal

Default window (last 30 days, 2025-01-02 … 01-31), by revenue:
Anna 15 deals, 4 won, 3 lost, 8 open, win rate 4/7 = 57.1%, 60,000.50, cycle 62/7 = 8.9 days;
Boris 10 deals, 2 won, 0 lost, 8 open, win rate 100%, 30,000, cycle 7 days;
(none) 3 deals, nothing closed: win rate and cycle "—".
Totals: 28 deals, 6 won, win rate 6/9 = 66.7%, revenue 90,000.50, cycle 76/9 = 8.4 days.
2024-12-23 … 2025-01-31 adds Anna's first row: Anna 21 deals, 6 won, 6 lost (50%), 80,000.50,
cycle 102/12 = 8.5; totals 34 deals, 8 won, 6 lost, 8/14 = 57.1%, 110,000.50, 116/14 = 8.3
days.

``fct_open_deals``, aged to as_of_date 2025-01-31 (oldest first):
A-7 Boris 37 days 5,000.50 · D-101 Anna 30 days 12,000 · D-104 (none) 21 days, no amount ·
D-102 Anna 14 days 3,000 · D-103 Boris 3 days 800.
Older than 14 days (the default): A-7, D-101, D-104 — 3 deals, 17,000.50. Older than 25: 2.
Older than 10: 4. Older than 40: none.
"""

from __future__ import annotations

import datetime as dt

import duckdb

D = dt.date
MANAGER_ROWS = (
    # created_date, manager, source_system, created, won, lost, revenue, cycle days, closed
    (D(2024, 12, 28), "Anna", "crm", 6, 2, 3, "20000.00", 40.0, 5),
    (D(2025, 1, 10), "Anna", "crm", 10, 3, 2, "45000.00", 50.0, 5),
    (D(2025, 1, 20), "Anna", "amocrm", 5, 1, 1, "15000.50", 12.0, 2),
    (D(2025, 1, 15), "Boris", "crm", 8, 2, 0, "30000.00", 14.0, 2),
    (D(2025, 1, 25), "Boris", "crm", 2, 0, 0, "0", 0.0, 0),
    (D(2025, 1, 30), "(none)", "crm", 3, 0, 0, "0", 0.0, 0),
)
AS_OF = D(2025, 1, 31)
OPEN_DEALS = (
    # deal_key, source_system, deal_id, manager, pipeline, stage, created_date, amount
    ("crm:D-101", "crm", "D-101", "Anna", "Sales", "Negotiation", D(2025, 1, 1), "12000"),
    ("crm:D-102", "crm", "D-102", "Anna", "Sales", "Proposal", D(2025, 1, 17), "3000"),
    ("amocrm:A-7", "amocrm", "A-7", "Boris", "Sales", "Qualified", D(2024, 12, 25), "5000.50"),
    ("crm:D-103", "crm", "D-103", "Boris", "Retail", "New", D(2025, 1, 28), "800"),
    ("crm:D-104", "crm", "D-104", "(none)", "Sales", "New", D(2025, 1, 10), None),
)


def add_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        create table fct_managers (
            created_date date, manager varchar, source_system varchar, deals_created bigint,
            deals_won bigint, deals_lost bigint, revenue decimal(38, 2),
            closed_cycle_days double, closed_deals bigint
        )
        """
    )
    con.executemany(
        "insert into fct_managers values (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(MANAGER_ROWS)
    )
    con.execute(
        """
        create table fct_open_deals (
            deal_key varchar, source_system varchar, deal_id varchar, manager varchar,
            pipeline varchar, stage varchar, created_at timestamp, created_date date,
            age_days integer, amount decimal(18, 2), as_of_date date
        )
        """
    )
    con.executemany(
        "insert into fct_open_deals values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (key, system, deal_id, manager, pipeline, stage,
             dt.datetime.combine(created, dt.time(9)), created, (AS_OF - created).days,
             amount, AS_OF)
            for key, system, deal_id, manager, pipeline, stage, created, amount in OPEN_DEALS
        ],
    )  # fmt: skip
