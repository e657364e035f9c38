"""The Data health page on the fixture snapshot (AppTest).

Known numbers: tests/dashboards/fixture_health.py (docstring). Published 2025-02-01 06:30 MSK.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards import fixture_health as fh

PAGE = Path(__file__).resolve().parents[2] / "dashboards" / "views" / "data_health.py"
TIMEOUT_S = 60
D = dt.date
WARNING_ID = "test.throughline.not_null_fct_deals_manager.1a2b3c4d5e"


def _page(**context) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    if context:
        at.context = context
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# each table by a column only it has (a dataframe element carries no key to find it by)
MARKERS = {
    "rows_total": "health_freshness",
    "utm_only": "health_unattributed",
    "files": "health_rejected_summary",
    "raw_row": "health_rejected_rows",
    "unique_id": "health_warnings",
}


def _tables(at: AppTest) -> dict[str, pd.DataFrame]:
    found = {}
    for df in at.dataframe:
        [name] = [table for column, table in MARKERS.items() if column in df.value.columns]
        found[name] = df.value
    return found


def _record(serving_path: Path, **fields) -> None:
    record = {
        "status": "success",
        "finished_at": "2025-02-01T03:29:00+00:00",
        "failed_steps": [],
        "warnings": [],
    } | fields
    serving_path.with_name("last_run.json").write_text(json.dumps(record), encoding="utf-8")


def test_everything_fresh_and_no_run_record(serving_path):
    at = _page()
    assert at.title[0].value == "Data health"
    assert _tiles(at) == {
        "Last run": "—",
        "Late sources": "0",
        "Unattributed deals": "26.7%",  # 4 of 15
        "Rejected rows": "4",
    }
    assert "No record of the latest run (last_run.json beside the snapshot)" in at.info[0].value
    assert "2025-02-01 06:30 MSK" in at.info[0].value
    assert not at.warning  # nothing late, no warn-level checks

    tables = _tables(at)
    fresh = tables["health_freshness"]
    assert list(fresh["source_system"]) == [
        "crm",
        "google_ads",
        "metrika",
        "vk_ads",
        "yandex_direct",
    ]
    assert set(fresh["status"]) == {"On time"}
    assert list(fresh["days_behind"]) == [1.0] * 5
    assert list(fresh["due_days"]) == [1] * 5
    assert fresh.set_index("source_system").loc[
        "metrika", ["entity", "rows_last_7_days", "rows_total"]
    ].tolist() == ["visits", 1200, 5000]

    deals = tables["health_unattributed"].set_index("source_system")
    assert list(deals.index) == ["amocrm", "crm", "All sources"]
    assert deals.loc["crm", ["deals", "unattributed", "utm_only"]].tolist() == [10, 3, 1]
    assert deals.loc["crm", "share"] == pytest.approx(0.3)
    assert deals.loc["amocrm", "share"] == pytest.approx(0.2)
    assert deals.loc["All sources", "share"] == pytest.approx(4 / 15)

    summary = tables["health_rejected_summary"]
    assert summary[["source_system", "reason", "rejected", "files"]].values.tolist() == [
        ["files", "created_at: not a timestamp", 2, 1],
        ["files", "amount: not a number", 1, 1],
        ["metrika", "visit_id: empty", 1, 1],
    ]
    rows = tables["health_rejected_rows"]
    assert list(rows["source_row"]) == [9, 3, 7, 12]  # by source, entity, file, row
    assert rows.iloc[0]["raw_row"] == '{"deal_id": "F-9", "amount": "ten"}'
    # every table downloadable: freshness, unattributed, rejected summary and rows
    assert len(at.get("download_button")) == 8


def test_a_failed_run_with_warn_level_checks(serving_path):
    _record(
        serving_path,
        status="failure",
        finished_at="2025-02-02T00:15:00+00:00",
        failed_steps=["dbt_models"],
        warnings=[WARNING_ID, "unit_test.throughline.fct_deals.stitching"],
    )
    at = _page()
    assert _tiles(at)["Last run"] == "Failed"
    error = at.error[0].value
    assert "The last run failed at 2025-02-02 03:15 MSK (steps: dbt_models)" in error
    assert "still show the data published 2025-02-01 06:30 MSK" in error
    assert "Warn-level checks failed: 2." in at.warning[0].value
    checks = _tables(at)["health_warnings"]
    assert list(checks["check"]) == ["not_null_fct_deals_manager", "fct_deals.stitching"]
    assert list(checks["unique_id"])[0] == WARNING_ID
    assert len(at.get("download_button")) == 10


def test_a_successful_run(serving_path):
    _record(serving_path)
    at = _page()
    assert _tiles(at)["Last run"] == "OK"
    assert "The last run succeeded at 2025-02-01 06:29 MSK" in at.success[0].value
    assert "No warn-level check failed in the last run." in [c.value for c in at.caption]


def test_an_unreadable_run_record_is_no_record(serving_path):
    serving_path.with_name("last_run.json").write_text("{not json", encoding="utf-8")
    at = _page()
    assert "No record of the latest run" in at.info[0].value


def test_late_sources_are_marked(serving_path):
    fh.set_last_day(serving_path, "vk_ads", "ad_spend", D(2025, 1, 28))
    fh.set_last_day(serving_path, "crm", "deals", D(2025, 1, 30))
    at = _page()
    assert _tiles(at)["Late sources"] == "2"
    fresh = _tables(at)["health_freshness"].set_index("source_system")
    assert list(fresh.index) == ["crm", "vk_ads", "google_ads", "metrika", "yandex_direct"]
    assert fresh.loc["vk_ads", ["status", "days_behind"]].tolist() == ["Late", 4.0]
    assert fresh.loc["crm", ["status", "days_behind"]].tolist() == ["Late", 2.0]
    assert fresh.loc["metrika", "status"] == "On time"


def test_russian(serving_path):
    at = _page(locale="ru-RU")
    assert at.title[0].value == "Качество данных"
    assert _tiles(at)["Сделки без источника"] == "26,7\u00a0%"
    fresh = _tables(at)["health_freshness"]
    assert set(fresh["status"]) == {"Вовремя"}
    assert "расходы" in set(fresh["entity"])


def test_an_older_snapshot_without_the_marts(serving_path):
    con = duckdb.connect(str(serving_path))
    for table in ("fct_source_freshness", "fct_deals", "fct_rejected_rows"):
        con.execute(f"drop table {table}")
    con.close()
    at = _page()
    assert [i.value for i in at.info][1:] == [
        "This section needs a newer snapshot: run `make build`."
    ] * 3
    assert {k: v for k, v in _tiles(at).items() if k != "Last run"} == {
        "Late sources": "—",
        "Unattributed deals": "—",
        "Rejected rows": "—",
    }


def test_no_rejected_rows(serving_path):
    con = duckdb.connect(str(serving_path))
    con.execute("delete from fct_rejected_rows")
    con.close()
    at = _page()
    assert _tiles(at)["Rejected rows"] == "0"
    assert "No row was rejected." in [s.value for s in at.success]
    assert "health_rejected_rows" not in _tables(at)
