"""The serving snapshot is replaced atomically and never half-written."""

import datetime as dt

import duckdb
import pytest

from pipelines.publish.snapshot import publish_snapshot


def _warehouse(path, revenue):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_channel_daily as select date '2026-01-01' as report_date, "
        f"'Email' as channel, cast({revenue} as decimal(38, 6)) as revenue"
    )
    con.execute("create schema intermediate")
    con.execute("create table intermediate.not_published as select 1 as x")
    con.close()


def test_publish_copies_marts_and_meta(tmp_path):
    wh, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(wh, 125.5)
    at = dt.datetime(2026, 11, 23, 0, 5)
    counts = publish_snapshot(wh, serving, {"reporting_currency": "RUB"}, published_at=at)
    assert counts == {"fct_channel_daily": 1}
    con = duckdb.connect(str(serving), read_only=True)
    assert con.execute("select revenue from fct_channel_daily").fetchone()[0] == pytest.approx(
        125.5
    )
    assert con.execute("select published_at, reporting_currency from publish_meta").fetchone() == (
        at,
        "RUB",
    )
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables == {"fct_channel_daily", "publish_meta"}
    con.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_reader_keeps_the_old_snapshot_until_it_reopens(tmp_path):
    wh, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(wh, 100)
    publish_snapshot(wh, serving, {})
    reader = duckdb.connect(str(serving), read_only=True)
    wh.unlink()
    _warehouse(wh, 200)
    publish_snapshot(wh, serving, {})  # a reader holding the file does not block the publisher
    assert reader.execute("select revenue from fct_channel_daily").fetchone()[0] == 100
    reader.close()
    fresh = duckdb.connect(str(serving), read_only=True)
    assert fresh.execute("select revenue from fct_channel_daily").fetchone()[0] == 200
    fresh.close()


def test_a_failed_publish_leaves_the_previous_snapshot(tmp_path):
    wh, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(wh, 100)
    publish_snapshot(wh, serving, {})
    before = serving.read_bytes()
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="no tables in schema marts"):
        publish_snapshot(empty, serving, {})
    assert serving.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
