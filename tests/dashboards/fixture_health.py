"""Data health tables: ``fct_source_freshness``, ``fct_deals``, ``fct_rejected_rows``.

The snapshot is published 2025-02-01 06:30 MSK (conftest), so with the default due_days (1) a
source is late when its last data day is before 2025-01-31. Here every source is on time (no
banner on any page); tests plant lateness with ``set_last_day``.

``fct_source_freshness`` (as_of_date 2025-02-01): last day 2025-01-31 for all of
yandex_direct ad_spend (16 rows in the last 7 days / 80 in total), google_ads ad_spend (8 / 40),
vk_ads ad_spend (8 / 40), metrika visits (1,200 / 5,000), crm deals (42 / 240).

``fct_deals``: crm 10 deals, 3 unattributed (30%), 1 attributed only by the deal's UTM tags;
amocrm 5 deals, 1 unattributed (20%); all sources 15 deals, 4 unattributed (26.7%).

``fct_rejected_rows``: 4 rows. files/deals "created_at: not a timestamp" 2 rows from
deals/jan.csv (rows 3, 7); files/deals "amount: not a number" 1 row (deals/feb.csv row 9);
metrika/visits "visit_id: empty" 1 row (metrika/visits.csv row 12).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

D = dt.date
AS_OF = D(2025, 2, 1)
FRESHNESS = (
    # source_system, entity, last_data_date, rows_last_7_days, rows_total
    ("yandex_direct", "ad_spend", D(2025, 1, 31), 16, 80),
    ("google_ads", "ad_spend", D(2025, 1, 31), 8, 40),
    ("vk_ads", "ad_spend", D(2025, 1, 31), 8, 40),
    ("metrika", "visits", D(2025, 1, 31), 1200, 5000),
    ("crm", "deals", D(2025, 1, 31), 42, 240),
)
# source_system → match rules of its deals ('none' = unattributed)
DEAL_RULES = {
    "crm": ["none"] * 3 + ["utm_on_deal"] + ["visit_id"] * 6,
    "amocrm": ["none"] + ["client_id"] * 4,
}
REJECTED = (
    # source_system, entity, source_file, source_row, reason, raw_row
    ("files", "deals", "deals/jan.csv", 3, "created_at: not a timestamp",
     '{"deal_id": "J-3", "created_at": "yesterday"}'),
    ("files", "deals", "deals/jan.csv", 7, "created_at: not a timestamp",
     '{"deal_id": "J-7", "created_at": "31/13/2025"}'),
    ("files", "deals", "deals/feb.csv", 9, "amount: not a number",
     '{"deal_id": "F-9", "amount": "ten"}'),
    ("metrika", "visits", "metrika/visits.csv", 12, "visit_id: empty", '{"visit_id": ""}'),
)  # fmt: skip


def add_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        create table fct_source_freshness (
            source_system varchar, entity varchar, last_data_date date,
            rows_last_7_days bigint, rows_total bigint, as_of_date date
        )
        """
    )
    con.executemany(
        "insert into fct_source_freshness values (?, ?, ?, ?, ?, ?)",
        [(*row, AS_OF) for row in FRESHNESS],
    )
    con.execute(
        """
        create table fct_deals (
            deal_key varchar, deal_id varchar, source_system varchar, created_at timestamp,
            created_date date, closed_at timestamp, status varchar, pipeline varchar,
            stage varchar, manager varchar, contact_key varchar, match_rule varchar,
            client_ids bigint, path_length bigint, first_channel varchar, last_channel varchar,
            is_unattributed boolean, amount decimal(18, 2), cost_of_goods decimal(18, 2),
            currency varchar, amount_reporting decimal(18, 2),
            cost_of_goods_reporting decimal(18, 2)
        )
        """
    )
    rows = []
    for system, rules in DEAL_RULES.items():
        for i, rule in enumerate(rules):
            created = dt.datetime(2025, 1, 5 + i, 10)
            unattributed = rule == "none"
            rows.append(
                (f"{system}:{i}", str(i), system, created, created.date(), "open", rule,
                 0 if rule in ("none", "utm_on_deal") else 1, 0 if unattributed else 1,
                 "(none)" if unattributed else "Paid Search", unattributed)
            )  # fmt: skip
    con.executemany(
        """
        insert into fct_deals (deal_key, deal_id, source_system, created_at, created_date,
                               status, match_rule, client_ids, path_length, first_channel,
                               is_unattributed)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        rows,
    )
    con.execute("update fct_deals set last_channel = first_channel, currency = 'RUB'")
    con.execute(
        """
        create table fct_rejected_rows (
            source_system varchar, entity varchar, source_file varchar, source_row bigint,
            reason varchar, raw_row varchar
        )
        """
    )
    con.executemany("insert into fct_rejected_rows values (?, ?, ?, ?, ?, ?)", list(REJECTED))


def set_last_day(path: Path, source_system: str, entity: str, last: dt.date | None) -> None:
    """Republish ``path`` with one source's last data day changed: a changed copy renamed over
    it, as the publisher does (a page that read the old file keeps its own)."""
    tmp = path.with_name(path.name + ".late")
    shutil.copyfile(path, tmp)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(
            "update fct_source_freshness set last_data_date = ? "
            "where source_system = ? and entity = ?",
            [last, source_system, entity],
        )
    finally:
        con.close()
    tmp.replace(path)
