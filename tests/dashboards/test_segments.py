"""The Segments page on the fixture snapshot (AppTest), its queries, and the chart builders of
both customer pages (pure).

Known numbers: tests/dashboards/fixture_cohorts.py — new 3 customers / 1,800 · loyal 1 / 1,500 ·
vip 1 / 3,000 · inactive 1 / 200 (6,500 in all); RFM k1 454 · k2 113 · k3 215 · k4 312 · k5 511 ·
k6 111.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import charts_cohorts, data, data_segments, exports

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "dashboards" / "views" / "segments.py"
TIMEOUT_S = 60
D = dt.date
# Personal data never leaves the warehouse; nor does the browser id a customer may be keyed by.
FORBIDDEN = ("email", "e-mail", "phone", "name", "client_id", "identity")


def _page(language: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    if language:
        at.session_state["language"] = language
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _snapshot() -> data.Snapshot:
    snapshot = data.current_snapshot()
    assert snapshot is not None
    return snapshot


# --- queries ---------------------------------------------------------------------------------


def test_segment_summary(serving_path):
    summary = data_segments.segment_summary(_snapshot()).set_index("segment")
    assert list(summary.index) == ["new", "loyal", "vip", "inactive"]
    assert summary["customers"].tolist() == [3, 1, 1, 1]
    assert summary["orders"].tolist() == [3, 2, 1, 1]
    assert summary["revenue"].tolist() == [1800, 1500, 3000, 200]
    assert summary["customer_share"].tolist() == pytest.approx([0.5, 1 / 6, 1 / 6, 1 / 6])
    assert summary["revenue_share"].sum() == pytest.approx(1)
    assert summary.loc["vip", "revenue_share"] == pytest.approx(3000 / 6500)
    assert summary["aov"].tolist() == [600, 750, 3000, 200]
    assert summary.loc["loyal", "orders_per_customer"] == 2


def test_segment_summary_keeps_empty_segments_with_null_ratios(serving_path):
    summary = data_segments.segment_summary(_snapshot(), ["Organic Search"]).set_index("segment")
    assert summary["customers"].tolist() == [0, 0, 1, 1]  # k3 vip, k6 inactive
    assert summary.loc["new", "revenue"] == 0
    assert math.isnan(summary.loc["new", "aov"])  # no orders: "—", not 0
    assert summary.loc["vip", "customer_share"] == 0.5


def test_rfm_grid(serving_path):
    grid = data_segments.rfm_grid(_snapshot())
    cells = {
        (r, f): n
        for r, f, n in zip(grid["r_score"], grid["f_score"], grid["customers"], strict=True)
    }
    assert cells == {(5, 1): 1, (4, 5): 1, (3, 1): 1, (2, 1): 1, (1, 1): 2}
    assert grid["customers"].sum() == 6 and grid["revenue"].sum() == 6500


def test_segment_customers_are_keys_and_crm_ids_only(serving_path):
    new = data_segments.segment_customers(_snapshot(), "new")
    assert new["customer_key"].tolist() == ["k2", "k4", "k5"]  # by revenue: 800, 600, 400
    assert tuple(new.columns) == data_segments.CUSTOMER_COLUMNS
    assert not [c for c in new.columns for word in FORBIDDEN if word in c]
    loyal = data_segments.segment_customers(_snapshot(), "loyal")
    assert loyal.loc[0, "deal_keys"] == "crm:11, crm:12"
    assert (loyal.loc[0, "first_deal_key"], loyal.loc[0, "last_deal_key"]) == ("crm:11", "crm:12")
    paid = data_segments.segment_customers(_snapshot(), "new", ["Paid Search"])
    assert paid["customer_key"].tolist() == ["k2", "k4"]


# --- the page ----------------------------------------------------------------------------------


def test_page_defaults(serving_path):
    at = _page()
    assert at.title[0].value == "Segments"
    assert {m.label: m.value for m in at.metric} == {
        "New": "3",
        "Loyal": "1",
        "VIP": "1",
        "Inactive": "1",
    }
    assert "46.2% of all" in at.metric[2].help  # VIP: 3,000 of 6,500
    captions = " ".join(c.value for c in at.main.caption)
    assert "Customers as of 2025-01-31" in captions
    assert "no order for 35 days" in captions  # the mart's inactive_days, not a constant
    summary, customers = (df.value for df in at.dataframe)
    assert summary["segment_label"].tolist() == ["New", "Loyal", "VIP", "Inactive"]
    assert customers["customer_key"].tolist() == ["k2", "k4", "k5"]
    assert len(at.get("download_button")) == 4  # summary and list, CSV and XLSX each
    rfm = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]
    assert rfm["y"][0] == "R5" and rfm["x"][0] == "F1"
    assert rfm["z"][4][0] == 2  # R1 × F1: k2 and k6


def test_picking_a_segment_and_a_channel(serving_path):
    at = _page()
    at.selectbox(key="segments_pick").set_value("vip").run()
    assert not at.exception
    assert at.dataframe[1].value["customer_key"].tolist() == ["k3"]
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Search"]).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["New"] == "2"
    assert "No customers in this segment" in at.info[0].value
    assert at.selectbox(key="segments_pick").options == [
        "New (2)",
        "Loyal (1)",
        "VIP (0)",
        "Inactive (0)",
    ]


def test_the_download_holds_only_hashed_keys_and_crm_ids(serving_path):
    at = _page()
    at.selectbox(key="segments_pick").set_value("loyal").run()
    shown = at.dataframe[1]
    # exactly what table_with_download writes to the CSV and XLSX files
    order = list(shown.proto.column_order)
    frame, _ = exports.shown(shown.value, json.loads(shown.proto.columns), order)
    assert set(order) <= set(data_segments.CUSTOMER_COLUMNS)
    assert not [c for c in order for word in FORBIDDEN if word in c]
    assert list(frame.columns)[:5] == [
        "Customer key",
        "Contact hash",
        "First deal",
        "Last deal",
        "All deals",
    ]
    csv = exports.to_csv(frame).decode("utf-8-sig")
    assert csv.splitlines()[1].startswith('k1,h1,crm:11,crm:12,"crm:11, crm:12",Paid Search')
    xlsx = pd.read_excel(io.BytesIO(exports.to_xlsx(frame, "customers_loyal")))
    assert xlsx.loc[0, "All deals"] == "crm:11, crm:12" and len(xlsx) == 1


def test_page_in_russian(serving_path):
    at = _page(language="ru")
    assert at.title[0].value == "Сегменты"
    assert [m.label for m in at.metric] == ["Новые", "Лояльные", "VIP", "Неактивные"]
    assert at.selectbox(key="segments_pick").options[0] == "Новые (3)"


def test_older_snapshot_without_customers(serving_path):
    con = duckdb.connect(str(serving_path))
    con.execute("drop table dim_customers")
    con.close()
    at = _page()
    assert "no customers yet" in at.info[0].value
    assert not at.metric


# --- chart builders (pure) ---------------------------------------------------------------------

GRID = pd.DataFrame(
    {
        "acquisition_month": pd.to_datetime(["2024-12-01", "2024-12-01", "2025-01-01"]),
        "months_since": [0, 1, 0],
        "cohort_customers": [4, 4, 2],
        "customers": [4, 1, 2],
        "revenue": [5000.0, 500.0, 1000.0],
        "ltv": [1250.0, 1375.0, 500.0],
    }
)


def test_cohort_matrix_leaves_the_future_empty():
    matrix = charts_cohorts.cohort_matrix(GRID, "customers")
    assert list(matrix.columns) == [0, 1]
    assert matrix.iloc[0].tolist() == [4, 1]
    assert matrix.iloc[1, 0] == 2 and math.isnan(matrix.iloc[1, 1])
    assert charts_cohorts.cohort_matrix(GRID.iloc[0:0], "ltv").empty


@pytest.mark.parametrize(
    ("metric", "first_row", "title"),
    [
        ("customers", [4.0, 1.0], "Customers of the cohort buying in the month"),
        ("revenue", [5000.0, 500.0], "Cohort revenue in the month, RUB"),
        ("ltv", [1250.0, 1375.0], "Cumulative LTV per customer, RUB"),
    ],
)
def test_cohort_heatmap(metric, first_row, title):
    fig = charts_cohorts.cohort_heatmap(GRID, metric, "RUB")
    [trace] = fig.data
    assert isinstance(trace, go.Heatmap)
    assert list(trace.y) == ["Dec 2024 · 4", "Jan 2025 · 2"]
    assert list(trace.x) == [0, 1]
    assert list(trace.z[0]) == first_row and trace.z[1][1] is None
    assert fig.layout.title.text == title
    assert fig.layout.yaxis.autorange == "reversed"  # the oldest cohort on top
    ru = charts_cohorts.cohort_heatmap(GRID, metric, "RUB", lang="ru")
    assert ru.data[0].y[0] == "декабрь 2024 · 4" and ru.layout.separators == ",\u00a0"


def test_cohort_heatmap_empty():
    fig = charts_cohorts.cohort_heatmap(GRID.iloc[0:0], "ltv", "RUB")
    assert not fig.data and fig.layout.annotations[0].text == "No data for these filters"


def test_ltv_curves_one_line_per_cohort_and_the_cac():
    fig = charts_cohorts.ltv_curves(GRID, 830.25, "RUB")
    assert [t.name for t in fig.data] == ["Dec 2024", "Jan 2025", "CAC of paid channels"]
    assert list(fig.data[0].y) == [1250, 1375]
    assert list(fig.data[2].y) == [830.25, 830.25] and list(fig.data[2].x) == [0, 1]
    assert len(charts_cohorts.ltv_curves(GRID, None, "RUB").data) == 2  # no CAC, no line
    assert len(charts_cohorts.ltv_curves(GRID, math.nan, "RUB").data) == 2


SUMMARY = pd.DataFrame(
    {
        "segment": ["new", "loyal", "vip", "inactive"],
        "customers": [3, 1, 1, 1],
        "revenue": [1800.0, 1500.0, 3000.0, 200.0],
    }
)


def test_segment_bars():
    fig = charts_cohorts.segment_bars(SUMMARY, "RUB")
    customers, revenue = fig.data
    assert list(customers.x) == ["New", "Loyal", "VIP", "Inactive"]
    assert list(customers.y) == [3, 1, 1, 1] and list(revenue.y) == [1800, 1500, 3000, 200]
    assert customers.marker.color[2] == charts_cohorts.SEGMENT_COLORS["vip"]
    assert [a.text for a in fig.layout.annotations] == ["Customers", "Revenue, RUB"]
    assert list(charts_cohorts.segment_bars(SUMMARY, "RUB", lang="ru").data[0].x)[0] == "Новые"
    nobody = SUMMARY.assign(customers=0, revenue=0.0)
    assert not charts_cohorts.segment_bars(nobody, "RUB").data


def test_rfm_heatmap_is_a_full_five_by_five():
    grid = pd.DataFrame(
        {"r_score": [5, 1], "f_score": [1, 1], "customers": [1, 2], "revenue": [400.0, 1000.0]}
    )
    matrix = charts_cohorts.rfm_matrix(grid)
    assert matrix.shape == (5, 5) and matrix.to_numpy().sum() == 3
    assert matrix.loc[1, 1] == 2 and matrix.loc[3, 3] == 0
    fig = charts_cohorts.rfm_heatmap(grid, "RUB")
    [trace] = fig.data
    assert list(trace.y) == ["R5", "R4", "R3", "R2", "R1"]
    assert list(trace.x) == ["F1", "F2", "F3", "F4", "F5"]
    assert trace.z[0][0] == 1 and trace.z[4][0] == 2 and trace.customdata[4][0] == 1000
    assert not charts_cohorts.rfm_heatmap(grid.iloc[0:0], "RUB").data
    assert charts_cohorts.rfm_matrix(grid.iloc[0:0]).shape == (5, 5)
