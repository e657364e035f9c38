"""Test harness for the Direct connector: run the source against the fake API, either through a
real dlt pipeline into a temporary DuckDB file (`load`) or by iterating it (`extract`, no
pipeline: fast, for protocol tests). Nothing really sleeps: waits are recorded."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import dlt
import duckdb
from dlt.extract.exceptions import ResourceExtractionError
from fake_api_yandex_direct import TOKEN, FakeDirectApi

from connectors.yandex_direct import from_options

TODAY = dt.date(2026, 1, 11)  # yesterday = the last sample day
FIRST = dt.date(2026, 1, 1)
LAST = dt.date(2026, 1, 10)
ENV = {"YANDEX_DIRECT_TOKEN": TOKEN}
TABLE = "raw_yandex_direct.daily_stats"


class Run:
    """One warehouse and pipeline state per test."""

    def __init__(self, tmp_path: Path, api: FakeDirectApi, base_url: str):
        self.tmp_path, self.api, self.base_url = tmp_path, api, base_url
        self.waits: list[float] = []

    def source(self, window=(None, None), today=TODAY, **options: Any):
        options = {"base_url": self.base_url, "start_date": FIRST.isoformat(), **options}
        options = {k: v for k, v in options.items() if v is not None}
        return from_options(options, ENV, "salt", *window, today=today, sleep=self.waits.append)

    def extract(self, window=(FIRST, LAST), today=TODAY, **options: Any) -> dict[tuple, tuple]:
        """Iterate the source without a pipeline; rows keyed like `by_key`. The window is explicit:
        outside a pipeline dlt would read the cursor of whichever pipeline ran last in-process.
        Errors come out as the connector raised them, not wrapped by dlt."""
        try:
            rows = list(self.source(window, today, **options))
        except ResourceExtractionError as exc:
            raise (exc.__cause__ or exc) from None
        keyed = {
            (r["date"], r["campaign_id"], r["ad_group_id"]): (
                r["impressions"],
                r["clicks"],
                r["cost"],
            )
            for r in rows
        }
        assert len(keyed) == len(rows), "duplicate keys in one extraction"
        self.extracted = rows
        return keyed

    def load(self, window=(None, None), today=TODAY, **options: Any) -> None:
        pipeline = dlt.pipeline(
            pipeline_name="yandex_direct_test",
            destination=dlt.destinations.duckdb(str(self.tmp_path / "wh.duckdb")),
            dataset_name="raw_yandex_direct",
            pipelines_dir=str(self.tmp_path / "dlt"),
        )
        pipeline.run(self.source(window, today, **options))

    def query(self, sql: str) -> list[tuple]:
        """Rows of `sql`, or [] while the table does not exist yet."""
        path = self.tmp_path / "wh.duckdb"
        if not path.exists():
            return []
        with duckdb.connect(str(path), read_only=True) as con:
            exists = con.sql(
                "select 1 from information_schema.tables where table_schema = 'raw_yandex_direct' "
                "and table_name = 'daily_stats'"
            ).fetchall()
            return con.sql(sql).fetchall() if exists else []

    def by_key(self) -> dict[tuple, tuple]:
        rows = self.query(
            f"select date, campaign_id, ad_group_id, impressions, clicks, cost from {TABLE}"
        )
        return {(r[0], r[1], r[2]): r[3:] for r in rows}

    def snapshot(self) -> list[tuple]:
        return sorted(self.query(f"select * exclude (_dlt_load_id, _dlt_id) from {TABLE}"))

    def report_params(self) -> list[dict[str, Any]]:
        return [json.loads(c["body"])["params"] for c in self.api.report_calls()]

    def report_windows(self) -> list[tuple[str, str]]:
        return [
            (p["SelectionCriteria"]["DateFrom"], p["SelectionCriteria"]["DateTo"])
            for p in self.report_params()
        ]


def expected(records, level: str = "campaign", vat: bool = True) -> dict[tuple, tuple]:
    """What must land, computed from the API records independently of the connector."""
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for r in records:
        group = str(r["AdGroupId"]) if level == "ad_group" else ""
        key = (dt.date.fromisoformat(r["Date"]), str(r["CampaignId"]), group)
        sums[key][0] += r["Impressions"]
        sums[key][1] += r["Clicks"]
        sums[key][2] += r["Cost"]
    out = {}
    for key, (impressions, clicks, cost) in sums.items():
        if not vat:
            cost = (cost / Decimal("1.2")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        out[key] = (impressions, clicks, cost)
    return out
