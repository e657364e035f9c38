"""Running the bitrix24 source against the fake portal into a temporary DuckDB."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest
from fake_api_bitrix24 import FakeBitrix24Api

from connectors.bitrix24 import from_options

SALT = "test-salt"
NOW = dt.datetime(2024, 11, 1, 12, 0, tzinfo=dt.UTC)
FIELD_MAP = {"client_id": "UF_CRM_CLIENT_ID", "click_id": ["UF_CRM_YCLID", "UF_CRM_GCLID"]}


@dataclass
class Harness:
    """One fake portal, one pipeline (same name = same dlt state across runs)."""

    tmp_path: Path
    api: FakeBitrix24Api
    name: str = "bitrix24_test"
    time: list[float] = field(default_factory=lambda: [0.0])
    waits: list[float] = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.tmp_path / "w.duckdb"

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.time[0] += seconds

    def clock(self) -> float:
        return self.time[0]

    def webhook_env(self) -> dict[str, str]:
        return {"BITRIX24_WEBHOOK_URL": self.api.webhook_url()}

    def source(
        self,
        options: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        now: dt.datetime = NOW,
    ) -> Any:
        opts = {"field_map": FIELD_MAP, **(options or {})}
        return from_options(
            opts,
            self.webhook_env() if env is None else env,
            SALT,
            start,
            end,
            now=lambda: now,
            sleep=self.sleep,
            clock=self.clock,
        )

    def run(self, **kwargs: Any) -> Any:
        pipeline = dlt.pipeline(
            pipeline_name=self.name,
            destination=dlt.destinations.duckdb(str(self.db)),
            dataset_name="raw_bitrix24",
            pipelines_dir=str(self.tmp_path / "dlt"),
        )
        return pipeline.run(self.source(**kwargs))

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.query(sql, params)[0][0]

    def count(self, table: str) -> int:
        return self.scalar(f"select count(*) from raw_bitrix24.{table}")

    def text_values(self) -> list[str]:
        """Every text value of every table in the warehouse (dlt's own tables included)."""
        with duckdb.connect(str(self.db), read_only=True) as con:
            columns = con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR'"
            ).fetchall()
            out: list[str] = []
            for schema, table, column in columns:
                rows = con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
                out.extend(str(r[0]) for r in rows if r[0] is not None)
        return out


def cause(excinfo: pytest.ExceptionInfo[BaseException], kind: type[BaseException]) -> Any:
    """dlt wraps extraction errors: the first `kind` in the cause chain."""
    exc: BaseException | None = excinfo.value
    while exc is not None:
        if isinstance(exc, kind):
            return exc
        exc = exc.__cause__ or exc.__context__
    raise AssertionError(f"no {kind.__name__} in {excinfo.value!r}")


def deal_calls(api: FakeBitrix24Api, method: str = "crm.deal.list") -> list[dict[str, Any]]:
    return [body for m, body in api.calls if m == method]
