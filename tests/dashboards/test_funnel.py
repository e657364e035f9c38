"""The Funnel page on the fixture snapshot (AppTest), and its queries.

Known numbers: tests/dashboards/fixture_funnel.py (docstring) and conftest.py.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import data, data_funnel

PAGE = Path(__file__).resolve().parents[2] / "dashboards" / "views" / "funnel.py"
TIMEOUT_S = 60
D = dt.date
RECENT = (D(2025, 1, 18), D(2025, 1, 31))  # 14 days, against 2025-01-04 … 01-17
STEPS = ["Visits", "Leads", "new", "qualified", "proposal", "Won"]


def _page(**context) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    if context:
        at.context = context
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest) -> pd.DataFrame:
    [table] = at.dataframe
    return table.value


def _rows(table: pd.DataFrame, channel: str) -> pd.DataFrame:
    return table[table["channel"] == channel].set_index("step_name")


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.main.caption)


def _figures(at: AppTest) -> list[dict]:
    import json

    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# --- the page -----------------------------------------------------------------------------------


def test_default_window_stage_funnel(serving_path):
    at = _page()
    assert at.title[0].value == "Funnel"
    assert {m.label: m.value for m in at.metric} == {
        "Visits": "4,440",
        "Leads": "180",
        "Won": "30",
        "CR visit → lead": "4.05%",
        "CR lead → won": "16.7%",
    }
    # the period before would start 2024-12-03, before the data: no change anywhere
    assert "No comparison: the period before (2024-12-03 … 2025-01-01)" in _captions(at)
    assert all(m.delta == "—" for m in at.metric)
    table = _table(at)
    assert list(dict.fromkeys(table["channel"])) == [
        "Total",
        "Paid Search",
        "Organic Search",
        "(none)",
        "Paid Social",
    ]  # by leads, then visits
    total = _rows(table, "Total")
    assert list(total.index) == STEPS
    assert list(total["deals"]) == [4440, 180, 165, 112, 45, 30]
    assert total.loc["qualified", "conversion"] == pytest.approx(112 / 165)
    assert total.loc["qualified", "drop_off"] == 53
    paid = _rows(table, "Paid Search")
    assert list(paid["deals"]) == [1890, 105, 90, 67, 30, 22.5]
    assert paid.loc["Leads", "drop_off"] == 1785  # visits − leads, as before
    assert paid.loc["Won", "conversion"] == pytest.approx(22.5 / 30)
    assert table[["conversion_prev", "change_pp"]].isna().all().all()
    # Paid Social: visits, no leads: visit → lead is 0; after that nothing to convert ("—")
    social = _rows(table, "Paid Social")
    assert social.loc["Leads", "conversion"] == 0
    assert social.loc[["new", "Won"], ["conversion", "drop_off"]].isna().all().all()
    # (none) has leads but no visits: visit → lead is "—"
    assert math.isnan(_rows(table, "(none)").loc["Leads", "conversion"])
    assert "8.3% of leads have no CRM stage history" in _captions(at)
    assert [b.proto.label for b in at.get("download_button")] == ["CSV", "Excel (XLSX)"]


def test_charts_start_at_leads_and_follow_the_channel_picker(serving_path):
    at = _page()
    funnel, bars = _figures(at)
    assert funnel["data"][0]["y"] == ["Leads", "new", "qualified", "proposal", "Won"]
    assert funnel["data"][0]["x"] == [180, 165, 112, 45, 30]
    assert funnel["layout"]["title"]["text"] == "Funnel: All selected channels"
    assert bars["data"][0]["x"][0] == "Visits → Leads"
    at.selectbox(key="funnel_channel").set_value("Paid Search")
    at.toggle(key="funnel_visits").set_value(True)
    funnel, _ = _figures(_rerun(at))
    assert funnel["data"][0]["x"] == [1890, 105, 90, 67, 30, 22.5]
    assert funnel["layout"]["title"]["text"] == "Funnel: Paid Search"


def test_change_vs_the_previous_period_in_pp(serving_path):
    at = _page()
    at.sidebar.date_input(key="filter_dates").set_value(RECENT)
    _rerun(at)
    assert "Conversion change vs 2025-01-04 … 2025-01-17" in _captions(at)
    kpis = {m.label: (m.value, m.delta) for m in at.metric}
    assert kpis["Leads"] == ("84", "+0.0%")
    assert kpis["CR lead → won"] == ("16.7%", "+0.0 pp")
    table = _table(at)
    paid = _rows(table, "Paid Search")
    assert list(paid["deals"]) == [882, 49, 42, 35, 14, 10.5]
    assert paid.loc["qualified", "conversion"] == pytest.approx(35 / 42)
    assert paid.loc["qualified", "conversion_prev"] == pytest.approx(28 / 42)
    assert paid.loc["qualified", "change_pp"] == pytest.approx(100 * (35 / 42 - 28 / 42))  # +16.7
    assert paid.loc["proposal", "change_pp"] == pytest.approx(-10.0)  # 40% vs 50%
    assert paid.loc["Won", "change_pp"] == pytest.approx(0.0)
    assert math.isnan(paid.loc["Visits", "change_pp"])  # the first step has no conversion
    total = _rows(table, "Total")
    assert total.loc["qualified", "change_pp"] == pytest.approx(100 * (56 / 77 - 49 / 77))
    _, bars = _figures(at)
    assert bars["data"][1]["name"] == "Previous period"
    assert "+16.7 pp" not in bars["data"][0]["text"]  # the total's bars: +9.1 pp
    assert "+9.1 pp" in bars["data"][0]["text"]


def test_pipeline_picker(serving_path):
    at = _page()
    at.sidebar.date_input(key="filter_dates").set_value(RECENT)
    _rerun(at)
    picker = at.selectbox(key="funnel_pipeline")
    assert picker.options == ["All pipelines", "Sales", "Export"]  # most leads first
    picker.set_value("Export")
    _rerun(at)
    table = _table(at)
    paid = _rows(table, "Paid Search")
    assert list(paid.index) == ["Visits", "Leads", "Won"]  # no stage history in Export
    assert list(paid["deals"]) == [882, 7, 0]
    assert paid.loc["Won", "conversion"] == 0
    assert "“Export”" in _captions(at)
    assert "100.0% of leads have no CRM stage history" in _captions(at)


def test_model_and_channel_filters(serving_path):
    at = _page()
    at.selectbox(key="funnel_channel").set_value("Organic Search")
    _rerun(at)
    at.sidebar.selectbox(key="filter_model").set_value("last_touch")
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Search"])
    _rerun(at)
    # the picked chart channel is gone from the filter: back to all selected channels
    assert at.selectbox(key="funnel_channel").value == data_funnel.ALL
    table = _table(at)
    assert list(dict.fromkeys(table["channel"])) == ["Total", "Paid Search"]
    # last_touch: lead 4 a day; qualified 2.5 (16 days) then 3.0 (14 days)
    assert list(_rows(table, "Paid Search")["deals"]) == [1890, 120, 105, 82, 45, 30]


def test_russian(serving_path):
    at = _page(locale="ru-RU")
    assert at.title[0].value == "Воронка"
    table = _table(at)
    assert list(_rows(table, "Итого").index) == [
        "Визиты",
        "Лиды",
        "new",
        "qualified",
        "proposal",
        "Продажи",
    ]
    funnel, _ = _figures(at)
    assert funnel["layout"]["title"]["text"] == "Воронка: Все выбранные каналы"
    assert "нет истории этапов" in _captions(at)


def test_older_snapshot_without_the_stage_mart(serving_path):
    con = duckdb.connect(str(serving_path))
    con.execute("drop table fct_funnel_stages")
    con.close()
    at = _page()
    assert len(at.metric) == 5  # the headline still shows
    assert "needs a newer snapshot" in at.info[0].value
    assert not at.dataframe


# --- queries ------------------------------------------------------------------------------------


def test_stage_counts_merge_pipelines_by_stage_name(serving_path):
    snapshot = data.current_snapshot()
    df = data_funnel.stage_counts(snapshot, *RECENT, "first_touch", ["Paid Search"])
    assert list(df["stage"]) == ["lead", "new", "qualified", "proposal", "won"]  # no 'lost'
    assert list(df["deals"]) == [49, 42, 35, 14, 10.5]  # lead: Sales 42 + Export 7
    assert list(df["deals_without_history"]) == [7, 0, 0, 0, 0]
    export = data_funnel.stage_counts(snapshot, *RECENT, "first_touch", None, "Export")
    assert list(export["stage"]) == ["lead", "won"]
    assert data_funnel.pipelines(snapshot, *RECENT, "first_touch") == ["Sales", "Export"]
    assert data_funnel.pipelines(snapshot, *RECENT, "first_touch", ["Paid Social"]) == []


def _snapshot_with(tmp_path: Path, rows: list[tuple]) -> data.Snapshot:
    path = tmp_path / "stages.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        """
        create table fct_funnel_stages (
            created_date date, attribution_model varchar, channel varchar, pipeline varchar,
            stage varchar, stage_kind varchar, stage_order integer, deals double,
            deals_without_history double
        )
        """
    )
    con.executemany("insert into fct_funnel_stages values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.close()
    info = path.stat()
    return data.Snapshot(str(path), info.st_ino, info.st_mtime_ns)


def test_merged_stages_take_their_latest_order(tmp_path):
    """A: new 1, qualified 2, proposal 3; B: new 1, proposal 2 (no qualified). Merged, proposal
    stays after qualified (its latest order, 3), though B alone has it second."""
    day, m = D(2025, 1, 10), "first_touch"
    rows = [
        (day, m, "Email", "A", "lead", "lead", 0, 4.0, 0.0),
        (day, m, "Email", "A", "new", "stage", 1, 4.0, 0.0),
        (day, m, "Email", "A", "qualified", "stage", 2, 3.0, 0.0),
        (day, m, "Email", "A", "proposal", "stage", 3, 2.0, 0.0),
        (day, m, "Email", "A", "won", "won", 4, 1.0, 0.0),
        (day, m, "Email", "A", "lost", "lost", 5, 2.0, 0.0),
        (day, m, "Email", "B", "lead", "lead", 0, 2.0, 0.0),
        (day, m, "Email", "B", "new", "stage", 1, 2.0, 0.0),
        (day, m, "Email", "B", "proposal", "stage", 2, 1.0, 0.0),
        (day, m, "Email", "B", "won", "won", 3, 1.0, 0.0),
        (day, m, "Email", "B", "lost", "lost", 4, 1.0, 0.0),
    ]
    snapshot = _snapshot_with(tmp_path, rows)
    df = data_funnel.stage_counts(snapshot, day, day, m)
    assert list(df["stage"]) == ["lead", "new", "qualified", "proposal", "won"]
    assert list(df["deals"]) == [6, 6, 3, 3, 2]
    assert list(df["step_order"]) == [1, 2, 3, 4, 5]


def test_through_the_router(serving_path):
    """The replacement for test_pages.py's table assertions (its per-channel table is now one row
    per channel × step), run the way test_pages.py runs pages."""
    at = AppTest.from_file(str(PAGE.parents[1] / "app.py"), default_timeout=TIMEOUT_S).run()
    at.switch_page("views/funnel.py").run()
    assert not at.exception, [e.value for e in at.exception]
    [table] = at.dataframe
    table = table.value
    paid = table[table["channel"] == "Paid Search"].set_index("stage_kind")
    assert paid.loc["lead", "drop_off"] == 1785  # visits − leads
    assert paid.loc["won", "deals"] / paid.loc["lead", "deals"] == pytest.approx(22.5 / 105)
