"""Funnel page table: ``fct_funnel_stages``, with known numbers that agree with conftest's
``fct_funnel_daily`` (per day × model × channel, 'lead' and 'won' summed over pipelines are its
leads and deals_won).

Every day 2024-12-23 … 2025-01-31, per model × channel × pipeline (credited deals per day):

    pipeline Sales: lead 0, new 1, qualified 2, proposal 3, won 4, lost 5
    pipeline Export (no stage history): lead 0, won 1, lost 2

    first_touch  Paid Search     Sales   lead 3.0 new 3.0 qualified 2.0* proposal 1.0 won 0.75
                 Paid Search     Export  lead 0.5 won 0 (all without history)
                 Organic Search  Sales   lead 1.5 new 1.5 qualified 1.0  proposal 0.5 won 0.25
                 (none)          Sales   lead 1.0 new 1.0 qualified 0.5  proposal 0   won 0
    last_touch   Paid Search     Sales   lead 3.5 new 3.5 qualified 2.5* proposal 1.5 won 1.0
                 Paid Search     Export  lead 0.5 won 0 (all without history)
                 Organic Search  Sales   lead 1.0 new 1.0 qualified 0.5  proposal 0   won 0
                 (none)          Sales   lead 1.0 new 1.0 qualified 0.5  proposal 0   won 0
    (* + 0.5 from 2025-01-18 on.) Paid Social has visits (25 a day) and no deals.

Visits a day (conftest): Paid Search 63, Paid Social 25, Organic Search 60: 148 in all.

Default window (2025-01-02 … 01-31, first_touch, all pipelines; no previous period: it would
start 2024-12-03, before the data): Paid Search visits 1,890 → lead 105 → new 90 → qualified 67
(16 × 2 + 14 × 2.5) → proposal 30 → won 22.5. Total 4,440 → 180 → 165 → 112 → 45 → 30.

Window 2025-01-18 … 01-31 (14 days) against 2025-01-04 … 01-17, first_touch, all pipelines:
Paid Search 882 → 49 → 42 → qualified 35 (before: 28) → proposal 14 → won 10.5. new → qualified
83.3% vs 66.7%: +16.7 pp; qualified → proposal 40% vs 50%: −10 pp; proposal → won 75%, 0 pp.
Total 2,072 → 84 → 77 → 56 (before: 49) → 21 → 14: new → qualified 72.7% vs 63.6%, +9.1 pp.
Leads without stage history: 7 of 84 (8.3%). Pipeline Export alone: Paid Search 882 → lead 7
→ won 0 (lead → won 0%), every lead without history (100%).
"""

from __future__ import annotations

import datetime as dt

import duckdb

FIRST_DAY = dt.date(2024, 12, 23)
DAYS = 40
CHANGE_DAY = dt.date(2025, 1, 18)  # Paid Search's qualified grows by 0.5 a day from here
STAGES = {  # pipeline → its stages in stage_order (kind, name)
    "Sales": (
        ("lead", "lead"),
        ("stage", "new"),
        ("stage", "qualified"),
        ("stage", "proposal"),
        ("won", "won"),
        ("lost", "lost"),
    ),
    "Export": (("lead", "lead"), ("won", "won"), ("lost", "lost")),
}
PER_DAY = {  # (model, channel, pipeline) → stage → credited deals a day
    ("first_touch", "Paid Search", "Sales"): {
        "lead": 3.0, "new": 3.0, "qualified": 2.0, "proposal": 1.0, "won": 0.75, "lost": 1.0,
    },
    ("first_touch", "Paid Search", "Export"): {"lead": 0.5, "won": 0.0, "lost": 0.5},
    ("first_touch", "Organic Search", "Sales"): {
        "lead": 1.5, "new": 1.5, "qualified": 1.0, "proposal": 0.5, "won": 0.25, "lost": 0.5,
    },
    ("first_touch", "(none)", "Sales"): {
        "lead": 1.0, "new": 1.0, "qualified": 0.5, "proposal": 0.0, "won": 0.0, "lost": 0.5,
    },
    ("last_touch", "Paid Search", "Sales"): {
        "lead": 3.5, "new": 3.5, "qualified": 2.5, "proposal": 1.5, "won": 1.0, "lost": 1.0,
    },
    ("last_touch", "Paid Search", "Export"): {"lead": 0.5, "won": 0.0, "lost": 0.5},
    ("last_touch", "Organic Search", "Sales"): {
        "lead": 1.0, "new": 1.0, "qualified": 0.5, "proposal": 0.0, "won": 0.0, "lost": 0.5,
    },
    ("last_touch", "(none)", "Sales"): {
        "lead": 1.0, "new": 1.0, "qualified": 0.5, "proposal": 0.0, "won": 0.0, "lost": 0.5,
    },
}  # fmt: skip
WITHOUT_HISTORY = {"Export"}  # pipelines whose deals have no stage history


def rows() -> list[tuple]:
    out = []
    for i in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=i)
        for (model, channel, pipeline), per_stage in PER_DAY.items():
            for order, (kind, stage) in enumerate(STAGES[pipeline]):
                deals = per_stage[stage]
                if channel == "Paid Search" and stage == "qualified" and day >= CHANGE_DAY:
                    deals += 0.5
                no_history = deals if pipeline in WITHOUT_HISTORY else 0.0
                out.append((day, model, channel, pipeline, stage, kind, order, deals, no_history))
    return out


def add_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        create table fct_funnel_stages (
            created_date date, attribution_model varchar, channel varchar, pipeline varchar,
            stage varchar, stage_kind varchar, stage_order integer, deals double,
            deals_without_history double
        )
        """
    )
    con.executemany("insert into fct_funnel_stages values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
