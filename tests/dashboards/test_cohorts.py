"""The Cohorts & LTV page on the fixture snapshot (AppTest), its queries and its pure math.

Known numbers: tests/dashboards/fixture_cohorts.py (customers, orders and cohorts) and
conftest.py (cost: Paid Search 1,660.5 in December 2024 and 6,339.5 in January 2025, Paid Social
180 and 620).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import data, data_cohorts

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "dashboards" / "views" / "cohorts.py"
TIMEOUT_S = 60
D = dt.date
DEC, JAN = D(2024, 12, 1), D(2025, 1, 1)

_spec = importlib.util.spec_from_file_location(
    "fixture_cohorts", Path(__file__).with_name("fixture_cohorts.py")
)
fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture)


def _page(language: str | None = None, **widgets) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    if language:
        at.session_state["language"] = language
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _snapshot() -> data.Snapshot:
    snapshot = data.current_snapshot()
    assert snapshot is not None
    return snapshot


# --- the fixture agrees with the shared channel fixture ----------------------------------------


def test_fixture_cost_is_conftest_cost(fx):
    """The cohorts' cost is fct_channel_daily's, per channel and month (one model's rows)."""
    rows = pd.DataFrame(fx.channel_rows())
    rows = rows[rows["attribution_model"] == "first_touch"]
    rows["month"] = pd.to_datetime(rows["report_date"]).dt.to_period("M").dt.start_time.dt.date
    cost = rows.groupby(["month", "channel"])["cost"].sum()
    for month, channel, _, expected, _ in fixture.COHORTS:
        assert float(cost.get((month, channel), 0.0)) == pytest.approx(expected), (month, channel)
    # the customers' orders add up to the cohorts' revenue
    total = sum(r["revenue"] for r in fixture.customer_rows())
    assert total == sum(r["revenue"] for r in fixture.cohort_rows()) == 6500


# --- queries ---------------------------------------------------------------------------------


def test_grid_sums_the_channels_of_a_cohort(serving_path):
    grid = data_cohorts.cohort_grid(_snapshot(), DEC, JAN)
    dec = grid[grid["acquisition_month"] == pd.Timestamp(DEC)].set_index("months_since")
    assert list(dec.index) == [0, 1]
    assert list(dec["cohort_customers"]) == [4, 4]  # 2 Paid Search + 2 Organic (+ 0 Paid Social)
    assert list(dec["customers"]) == [4, 1]
    assert list(dec["revenue"]) == [5000, 500]
    assert list(dec["cumulative_revenue"]) == [5000, 5500]
    assert list(dec["ltv"]) == [1250, 1375]
    assert list(dec["is_current_month"]) == [False, True]
    jan = grid[grid["acquisition_month"] == pd.Timestamp(JAN)]
    assert (jan["months_since"].tolist(), jan["ltv"].tolist()) == ([0], [500])


def test_grid_channel_filter_drops_cohorts_of_nobody(serving_path):
    grid = data_cohorts.cohort_grid(_snapshot(), DEC, JAN, ["Paid Social"])
    assert grid.empty  # it spent, but acquired nobody
    grid = data_cohorts.cohort_grid(_snapshot(), DEC, JAN, ["Paid Search"])
    assert grid["ltv"].tolist() == [900, 1150, 600]


def test_economics_rows_and_nulls(serving_path):
    table = data_cohorts.cohort_economics(_snapshot(), DEC, JAN)
    assert list(zip(table["acquisition_month"].dt.date, table["channel"], strict=True)) == [
        (JAN, "Paid Search"),
        (JAN, "Paid Social"),
        (JAN, "(none)"),
        (DEC, "Paid Search"),
        (DEC, "Paid Social"),
        (DEC, "Organic Search"),
    ]
    rows = table.set_index([table["acquisition_month"].dt.date, "channel"])
    paid = rows.loc[(DEC, "Paid Search")]
    assert (paid["customers"], paid["cost"], paid["cac"]) == (2, 1660.5, 830.25)
    assert (paid["ltv_to_date"], paid["payback_month"]) == (1150, 0)
    assert paid["ltv_to_cac"] == pytest.approx(2300 / 1660.5)
    assert pd.isna(rows.loc[(JAN, "Paid Search"), "payback_month"])  # 600 < 6,339.5
    for key in [(DEC, "Organic Search"), (JAN, "(none)"), (DEC, "Paid Social")]:
        assert pd.isna(rows.loc[key, "cac"]) and pd.isna(rows.loc[key, "ltv_to_cac"]), key
    assert pd.isna(rows.loc[(DEC, "Paid Social"), "ltv_to_date"])  # no customers: "—", not 0


# --- pure math ---------------------------------------------------------------------------------


def test_totals_paid_cac_leaves_out_channels_without_cost(serving_path):
    totals = data_cohorts.cohort_totals(data_cohorts.cohort_economics(_snapshot(), DEC, JAN))
    assert totals["customers"] == 6 and totals["revenue_to_date"] == 6500
    assert totals["cost"] == 8800
    assert totals["ltv_to_date"] == pytest.approx(6500 / 6)
    assert totals["paid_cac"] == pytest.approx(8800 / 3)  # Paid Search's 3 customers
    assert totals["paid_ltv_to_cac"] == pytest.approx(2900 / 8800)


def test_totals_are_none_when_undefined():
    empty = pd.DataFrame(columns=["channel", "customers", "cost", "revenue_to_date"])
    assert data_cohorts.cohort_totals(empty) == {
        "customers": 0.0,
        "cost": 0.0,
        "revenue_to_date": 0.0,
        "ltv_to_date": None,
        "paid_cac": None,
        "paid_ltv_to_cac": None,
    }
    organic_only = pd.DataFrame(
        {"channel": ["Organic Search"], "customers": [2], "cost": [0.0], "revenue_to_date": [10.0]}
    )
    totals = data_cohorts.cohort_totals(organic_only)
    assert (totals["ltv_to_date"], totals["paid_cac"], totals["paid_ltv_to_cac"]) == (
        5.0,
        None,
        None,
    )
    spent_nobody = pd.DataFrame(
        {"channel": ["Paid Social"], "customers": [0], "cost": [50.0], "revenue_to_date": [0.0]}
    )
    assert data_cohorts.cohort_totals(spent_nobody)["paid_ltv_to_cac"] is None


def test_fmt_multiple():
    assert data_cohorts.fmt_multiple(2300 / 1660.5) == "1.39×"
    assert data_cohorts.fmt_multiple(1234.5, "ru") == "1\u00a0234,50×"
    assert data_cohorts.fmt_multiple(None) == data_cohorts.fmt_multiple(math.nan) == "—"


# --- the page ----------------------------------------------------------------------------------

DEFAULT_TILES = {  # January only (the default last 30 days), all channels
    "Customers acquired": "2",
    "Their revenue, RUB": "1,000",
    "LTV to date, RUB": "500",
    "Paid CAC, RUB": "6,960",  # (6,339.5 + 620) / 1
    "Paid LTV / CAC": "0.09×",  # 600 / 6,959.5
}


def test_page_defaults(serving_path):
    at = _page()
    assert at.title[0].value == "Cohorts & LTV"
    assert _tiles(at) == DEFAULT_TILES
    captions = " ".join(c.value for c in at.main.caption)
    assert "first purchase was in Jan 2025" in captions
    assert "Data through 2025-01-31" in captions
    assert "50.0% of customers came with no known first touch" in captions
    [table] = at.dataframe
    assert list(table.value["channel"]) == ["Paid Search", "Paid Social", "(none)"]
    assert [b.proto.label for b in at.get("download_button")] == ["CSV", "Excel (XLSX)"]
    assert at.get("plotly_chart")  # the heatmap and the LTV curves


def test_heatmap_metric_switch(serving_path):
    import json

    at = _page()
    at.sidebar.date_input(key="filter_dates").set_value((D(2024, 12, 23), D(2025, 1, 31))).run()
    assert not at.exception

    def heatmap() -> dict:
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return spec["data"][0]

    trace = heatmap()
    assert trace["type"] == "heatmap"
    assert trace["y"] == ["Dec 2024 · 4", "Jan 2025 · 2"]
    assert trace["z"][0] == [4, 1]
    assert trace["z"][1][0] == 2 and trace["z"][1][1] is None  # not happened yet
    at.get("button_group")[0].set_value("ltv").run()
    assert heatmap()["z"][0] == [1250, 1375]
    at.get("button_group")[0].set_value("revenue").run()
    assert heatmap()["z"][0] == [5000, 500]
    assert _tiles(at)["Customers acquired"] == "6"
    [table] = at.dataframe
    assert len(table.value) == 6


def test_channel_filter(serving_path):
    at = _page()
    at.sidebar.date_input(key="filter_dates").set_value((D(2024, 12, 23), D(2025, 1, 31))).run()
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Search"]).run()
    assert not at.exception
    tiles = _tiles(at)
    assert tiles["Customers acquired"] == "3"
    assert tiles["Paid CAC, RUB"] == "2,667"  # 8,000 / 3
    assert tiles["Paid LTV / CAC"] == "0.36×"  # 2,900 / 8,000
    [table] = at.dataframe
    assert set(table.value["channel"]) == {"Paid Search"}
    assert not any("no known first touch" in c.value for c in at.main.caption)


def test_page_in_russian(serving_path):
    at = _page(language="ru")
    assert at.title[0].value == "Когорты и LTV"
    tiles = _tiles(at)
    assert tiles["Новые покупатели"] == "2"
    assert tiles["LTV / CAC платных"] == "0,09×"
    assert "январь 2025" in " ".join(c.value for c in at.main.caption)


def test_older_snapshot_without_cohorts(serving_path):
    con = duckdb.connect(str(serving_path))
    con.execute("drop table fct_cohorts")
    con.close()
    at = _page()
    assert "no cohorts yet" in at.info[0].value
    assert not at.metric


def test_months_without_customers(serving_path):
    at = _page()
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Social"]).run()
    assert not at.exception
    assert "No customers made their first purchase in Jan 2025" in at.info[0].value
    tiles = _tiles(at)
    assert tiles["Customers acquired"] == "0"
    assert tiles["LTV to date, RUB"] == tiles["Paid CAC, RUB"] == "—"
