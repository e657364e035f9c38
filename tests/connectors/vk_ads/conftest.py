"""Fixtures for the VK Ads connector tests: the fake API, a pipeline into a temporary DuckDB
file, and a runner that records every wait instead of sleeping."""

from __future__ import annotations

import base64
import datetime as dt
import sys
import zlib
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_api_vk_ads import ENV, FakeVkAdsApi  # noqa: E402

from connectors.vk_ads import from_options  # noqa: E402


@pytest.fixture
def fake_api(httpserver) -> FakeVkAdsApi:
    return FakeVkAdsApi().register(httpserver)


class Runner:
    """Builds the source against the fake server and runs it into tmp_path/wh.duckdb."""

    def __init__(self, httpserver, tmp_path: Path):
        self.base_url = httpserver.url_for("/").rstrip("/")
        self.db_path = tmp_path / "wh.duckdb"
        self.tmp_path = tmp_path
        self.waits: list[float] = []
        self.pipeline = dlt.pipeline(
            pipeline_name="test_vk_ads",
            destination=dlt.destinations.duckdb(str(self.db_path)),
            dataset_name="raw_vk_ads",
            pipelines_dir=str(tmp_path / "dlt"),
        )

    def source(self, options: dict[str, Any] | None = None, env=None, **kwargs):
        return from_options(
            {"base_url": self.base_url, **(options or {})},
            ENV if env is None else env,
            pii_salt="salt",
            sleep=self.waits.append,
            **kwargs,
        )

    def run(self, start=None, end=None, *, today=dt.date(2026, 5, 10), options=None, **kwargs):
        source = self.source(options, start_date=start, end_date=end, today=today, **kwargs)
        return self.pipeline.run(source)

    def query(self, sql: str) -> list[tuple]:
        if not self.db_path.exists():
            return []
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(sql).fetchall()

    def table_rows(self, table: str) -> int:
        return self.query(f"select count(*) from raw_vk_ads.{table}")[0][0]

    def all_text(self) -> str:
        """Every text value of every table in the warehouse, dlt's own tables included."""
        if not self.db_path.exists():
            return ""
        parts = []
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            columns = con.sql(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR'"
            ).fetchall()
            for schema, table, column in columns:
                values = con.sql(f'select "{column}" from "{schema}"."{table}"').fetchall()
                parts.extend(str(v[0]) for v in values if v[0] is not None)
                if table == "_dlt_pipeline_state" and column == "state":  # zlib + base64
                    parts.extend(zlib.decompress(base64.b64decode(v[0])).decode() for v in values)
        return "\n".join(parts)


@pytest.fixture
def runner(httpserver, tmp_path) -> Runner:
    return Runner(httpserver, tmp_path)
