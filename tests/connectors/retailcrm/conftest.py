"""Fixtures for the RetailCRM connector tests: the fake API, a fake clock, a loader."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_api_retailcrm import API_KEY, FakeRetailCrmApi  # noqa: E402

from connectors.retailcrm import from_options  # noqa: E402

SALT = "test-salt-retailcrm"


class FakeClock:
    """Time that only moves when the code sleeps: backoff and rate limiting without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def backoffs(self) -> list[float]:
        """Sleeps of the retry backoff (the rate limiter's are 0.1 s or less)."""
        return [w for w in self.waits if w > 0.1]


@pytest.fixture
def fake(httpserver) -> FakeRetailCrmApi:
    api = FakeRetailCrmApi()
    api.base_url = api.register(httpserver)
    return api


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def source(fake, clock) -> Callable[..., Any]:
    def build(env: dict | None = None, start_date=None, end_date=None, **options: Any):
        return from_options(
            {"base_url": fake.base_url, **options},
            {"RETAILCRM_API_KEY": API_KEY} if env is None else env,
            SALT,
            start_date=start_date,
            end_date=end_date,
            sleep=clock.sleep,
            clock=clock.clock,
        )

    return build


class Warehouse:
    def __init__(self, root: Path) -> None:
        self.path = root / "wh.duckdb"
        self.pipeline = dlt.pipeline(
            pipeline_name="retailcrm_test",
            destination=dlt.destinations.duckdb(str(self.path)),
            dataset_name="raw_retailcrm",
            pipelines_dir=str(root / "dlt"),
        )

    def run(self, source) -> None:
        self.pipeline.run(source)

    def rows(self, sql: str) -> list[tuple]:
        if not self.path.exists():
            return []
        with duckdb.connect(str(self.path), read_only=True) as con:
            con.execute("set TimeZone = 'UTC'")
            return con.execute(sql).fetchall()

    def one(self, sql: str) -> Any:
        return self.rows(sql)[0][0]

    def tables(self) -> set[str]:
        return {
            r[0]
            for r in self.rows(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw_retailcrm' and table_name not like '_dlt%'"
            )
        }

    def text_values(self) -> str:
        """Every text cell of every table (dlt's own included), for secret scans."""
        with duckdb.connect(str(self.path), read_only=True) as con:
            cols = con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type in ('VARCHAR', 'JSON')"
            ).fetchall()
            return "\n".join(
                str(v[0])
                for schema, table, col in cols
                for v in con.execute(f'select "{col}" from "{schema}"."{table}"').fetchall()
            )


@pytest.fixture
def warehouse(tmp_path) -> Warehouse:
    return Warehouse(tmp_path)
