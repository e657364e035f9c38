"""Calltouch test fixtures: the fake API, and a real dlt pipeline into a temporary DuckDB."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import dlt
import duckdb
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fake_api_calltouch import SALT, SITE_ID, TOKEN, FakeCalltouchApi  # noqa: E402

TODAY = dt.date(2026, 3, 5)  # the sample calls are 1-4 March: yesterday is the 4th


@pytest.fixture
def api(httpserver) -> FakeCalltouchApi:
    return FakeCalltouchApi(httpserver)


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def load(httpserver, tmp_path, waits):
    """load(start, end, today=..., env=..., **options): from_options -> dlt -> DuckDB."""
    from connectors.calltouch import from_options

    def run(start=None, end=None, *, today=TODAY, env=None, **options):
        opts = {"base_url": httpserver.url_for("/"), "site_id": SITE_ID, **options}
        source = from_options(
            opts,
            {"CALLTOUCH_TOKEN": TOKEN} if env is None else env,
            SALT,
            start,
            end,
            today=today,
            sleep=waits.append,
        )
        pipeline = dlt.pipeline(
            pipeline_name="calltouch_test",
            destination=dlt.destinations.duckdb(str(tmp_path / "wh.duckdb")),
            dataset_name="raw_calltouch",
            pipelines_dir=str(tmp_path / "dlt"),
        )
        return pipeline.run(source)

    return run


@pytest.fixture
def query(tmp_path):
    def run(sql: str) -> list[tuple]:
        with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
            return con.sql(sql).fetchall()

    return run


@pytest.fixture
def client(httpserver, waits):
    """client(token=..., **kw): the HTTP layer alone, no dlt (fast fault tests)."""
    from connectors.calltouch.client import CalltouchClient
    from connectors.common.http import HttpClient

    def make(token: str = TOKEN, **kw) -> CalltouchClient:
        http = HttpClient(
            base_url=httpserver.url_for("/"),
            source="calltouch",
            secrets=(token,),
            sleep=waits.append,
        )
        return CalltouchClient(http, SITE_ID, token, **{"page_size": 2, **kw})

    return make
