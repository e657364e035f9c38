"""The Direct source through a real dlt pipeline into a temporary DuckDB file: what lands, that
re-runs never double, that restated days replace, and that a failed run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api_yandex_direct import TOKEN, sample_records
from yandex_direct_harness import FIRST, LAST, TABLE, TODAY, expected


def test_first_load_lands_every_campaign_day_exactly_and_a_rerun_changes_nothing(run):
    run.load()
    assert run.by_key() == expected(run.api.records)
    rows = run.query(f"select distinct account_id, currency, cost_includes_vat from {TABLE}")
    assert rows == [("default", "RUB", True)]
    assert run.query(f"select typeof(cost), typeof(date) from {TABLE} limit 1") == [
        ("DECIMAL(18,6)", "DATE")
    ]
    assert run.report_windows() == [("2026-01-01", "2026-01-10")]  # start_date .. yesterday
    headers = {k.lower(): v for k, v in run.api.report_calls()[0]["headers"].items()}
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["processingmode"] == "auto"
    assert "returnmoneyinmicros" not in headers  # omitted => micros
    assert "client-login" not in headers
    params = run.report_params()[0]
    assert params["ReportType"] == "CAMPAIGN_PERFORMANCE_REPORT"
    assert params["IncludeVAT"] == "YES" and params["DateRangeType"] == "CUSTOM_DATE"
    assert run.api.calls[0]["path"] == "/json/v5/clients"  # currency from Clients.get

    before = run.snapshot()
    run.load(window=(FIRST, LAST))  # the same window again, as a backfill
    assert run.snapshot() == before
    assert run.query(f"select count(*) from {TABLE}") == [(20,)]


def test_incremental_runs_restate_recent_days_replace_them_whole_and_catch_up(run):
    run.load()  # up to 2026-01-10
    records = run.api.records
    # Direct revises the 8th (invalid clicks refunded), drops a campaign's 9th altogether, and
    # the 11th and 12th happen.
    for record in records:
        if record["Date"] == "2026-01-08" and record["AdGroupId"] == 5001:
            record["Cost"], record["Clicks"] = Decimal("100.01"), 3
    records[:] = [
        r for r in records if not (r["Date"] == "2026-01-09" and r["CampaignId"] == 70114504)
    ]
    records += sample_records(dt.date(2026, 1, 11), 2)
    del run.api.calls[:]
    run.load(today=dt.date(2026, 1, 13))
    assert run.report_windows() == [("2026-01-06", "2026-01-12")]  # 7 days up to yesterday
    assert run.by_key() == expected(records)
    assert run.query(f"select count(*) from {TABLE}") == [(23,)]

    # nightly runs missed for ten days: the next one starts the day after the last loaded day
    records += sample_records(dt.date(2026, 1, 13), 10)
    del run.api.calls[:]
    run.load(today=dt.date(2026, 1, 23))
    assert run.report_windows() == [("2026-01-13", "2026-01-22")]
    assert run.by_key() == expected(records)


def test_explicit_window_loads_exactly_it_and_does_not_move_the_cursor(run):
    run.load(window=(dt.date(2026, 1, 2), dt.date(2026, 1, 3)))
    assert run.query(f"select min(date), max(date), count(*) from {TABLE}") == [
        (dt.date(2026, 1, 2), dt.date(2026, 1, 3), 4)
    ]
    del run.api.calls[:]
    # No cursor yet: the first incremental load starts at start_date, by default 90 days back,
    # in reports of at most 31 days.
    run.load(start_date=None)
    windows = run.report_windows()
    assert windows[0][0] == (TODAY - dt.timedelta(days=90)).isoformat()
    assert windows[-1][1] == "2026-01-10" and len(windows) == 3  # 31 + 31 + 29 days
    assert run.by_key() == expected(run.api.records)


def test_a_bad_report_body_fails_the_run_and_keeps_the_last_good_data(run):
    run.load()
    before = run.snapshot()
    run.api.html_200 = 1
    run.api.records[0]["Cost"] = Decimal("999.99")
    with pytest.raises(PipelineStepFailed, match="HTML"):
        run.load(window=(FIRST, LAST))
    assert run.snapshot() == before


def test_failure_in_a_later_report_loads_nothing_then_a_rerun_loads_all(run):
    run.api.fail_report = 2  # the second of three reports: a 400 that is not retryable
    with pytest.raises(PipelineStepFailed, match="8000"):
        run.load(chunk_days=4)
    assert run.query(f"select count(*) from {TABLE}") == []
    run.api.fail_report = 0
    run.load(chunk_days=4)
    assert run.by_key() == expected(run.api.records)


def test_ad_group_level_through_faults_with_no_secret_anywhere(run, client_logs):
    run.api.offline_polls, run.api.server_errors, run.api.ignore_skip_headers = 2, [500], True
    run.load(level="ad_group")
    assert run.by_key() == expected(run.api.records, "ad_group")
    names = dict(run.query(f"select ad_group_id, max(ad_group_name) from {TABLE} group by 1"))
    assert names == {"5001": "Кухни — общие", "5002": None, "5003": "Ретаргетинг 30 д"}  # '--'
    assert TOKEN not in client_logs()
    with duckdb.connect(str(run.tmp_path / "wh.duckdb"), read_only=True) as con:
        columns = con.sql(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            hits = con.sql(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ?',
                params=[f"%{TOKEN}%"],
            ).fetchall()
            assert hits == [(0,)], (schema, table, column)
    assert TOKEN.encode() not in (run.tmp_path / "wh.duckdb").read_bytes()
    for path in (run.tmp_path / "dlt").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
