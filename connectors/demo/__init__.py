"""The `demo` dlt source: a seeded, realistic marketing dataset (ad spend, web visits, CRM deals
with stage history, call tracking) plus the ground truth of which channel drove each deal.

    import dlt
    from connectors.demo import demo

    pipeline = dlt.pipeline("demo", destination="duckdb", dataset_name="raw_demo")
    pipeline.run(demo(days=90, visits_per_day=300, seed=42, pii_salt="..."))

The simulation (`generator.py`) runs once per extract; each of the six resources is a transformer
that takes its table from the simulation's day batches, so nothing is generated twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import dlt
import pyarrow as pa
from dlt.sources import DltResource

from . import settings
from .generator import (
    MONEY,
    MONEY_PRECISION,
    MONEY_SCALE,
    NOT_NULL,
    PRIMARY_KEYS,
    TABLES,
    DemoConfig,
    iter_batches,
)

__all__ = ["RESOURCES", "column_hints", "demo"]

RESOURCES = tuple(TABLES)  # ad_spend, visits, deals, deal_stage_events, calls, planted_truth


def column_hints(table: str) -> dict[str, dict]:
    """dlt column hints, so types hold even when a short run leaves a column all null."""
    hints = {}
    for name, data_type in TABLES[table]:
        hint: dict = {"data_type": data_type, "nullable": name not in NOT_NULL[table]}
        if data_type == MONEY:
            hint.update(precision=MONEY_PRECISION, scale=MONEY_SCALE)
        hints[name] = hint
    return hints


def _table_resource(simulation: DltResource, table: str) -> DltResource:
    def pick(batch: dict[str, pa.Table]) -> Iterator[pa.Table]:
        if table in batch:
            yield batch[table]

    return dlt.transformer(
        pick,
        data_from=simulation,
        name=table,
        write_disposition="replace",  # regenerated whole and identical on every run
        primary_key=list(PRIMARY_KEYS[table]),
        columns=column_hints(table),
    )


@dlt.source(name="demo")
def demo(
    days: int = settings.DEFAULT_DAYS,
    visits_per_day: int = settings.DEFAULT_VISITS_PER_DAY,
    seed: int = settings.DEFAULT_SEED,
    end_date: dt.date | None = None,
    pii_salt: str = dlt.secrets.value,
) -> list[DltResource]:
    """Simulated data for `days` Moscow days ending `end_date` (inclusive; default yesterday).

    Same arguments, same rows. `pii_salt` salts the hashes of the simulated contacts' e-mails
    and phones (`contact_key`, `caller_key`); pass the warehouse's THROUGHLINE_PII_SALT so they
    hash like every other source.
    """
    config = DemoConfig(days, visits_per_day, seed, end_date, pii_salt).resolved()

    @dlt.resource(name="demo_simulation", selected=False)
    def simulation() -> Iterator[dict[str, pa.Table]]:
        yield from iter_batches(config)

    return [_table_resource(simulation, table) for table in RESOURCES]
