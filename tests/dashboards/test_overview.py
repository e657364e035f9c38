"""The Overview page on the fixture snapshot (AppTest), and its pure KPI math.

Fixture (conftest): per day, first touch credits 6 leads, 1 won deal, 1,000 revenue and 400 cost
of goods; cost is 200.5 + the day's index (0 = 2024-12-23). So for 2025-01-12 … 01-31 (indexes
20 … 39): cost 20 × 200.5 + Σ20..39 = 4,600, leads 120, won 20, revenue 20,000, goods 8,000; the
previous 20 days (2024-12-23 … 2025-01-11, indexes 0 … 19): cost 4,010 + 190 = 4,200, the rest
the same.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from dashboards import kpis

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
TIMEOUT_S = 60
D = dt.date
RED, GREEN, GRAY = MetricProto.RED, MetricProto.GREEN, MetricProto.GRAY
UP, DOWN, NONE = MetricProto.UP, MetricProto.DOWN, MetricProto.NONE

DEFAULT_TILES = {  # last 30 days (2025-01-02 … 01-31), first touch, all channels
    "Cost, RUB": "6,750",
    "Leads": "180",
    "Won": "30",
    "Revenue, RUB": "30,000",
    "ROI": "344.4%",  # (30,000 − 6,750) / 6,750
    "ROMI": "166.7%",  # (30,000 − 12,000 − 6,750) / 6,750
    "CAC, RUB": "225",  # 6,750 / 30
    "ДРР (ad cost share)": "22.5%",  # 6,750 / 30,000
}
# 2025-01-12 … 01-31 against 2024-12-23 … 2025-01-11: (value, delta, colour, arrow)
COVERED_TILES = {
    "Cost, RUB": ("4,600", "+9.5%", GRAY, UP),  # 4,600 / 4,200 − 1; cost is neither good nor bad
    "Leads": ("120", "+0.0%", GRAY, NONE),  # no change: no arrow
    "Won": ("20", "+0.0%", GRAY, NONE),
    "Revenue, RUB": ("20,000", "+0.0%", GRAY, NONE),
    "ROI": ("334.8%", "-41.4 pp", RED, DOWN),  # 15,400 / 4,600 − 15,800 / 4,200
    "ROMI": ("160.9%", "-24.8 pp", RED, DOWN),  # 7,400 / 4,600 − 7,800 / 4,200
    "CAC, RUB": ("230", "+9.5%", RED, UP),  # 230 vs 210: up is bad
    "ДРР (ad cost share)": ("23.0%", "+2.0 pp", RED, UP),  # 23% vs 21%: up is bad
}


def _overview(**context) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if context:
        at.context = context
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.main.caption)


def test_overview_is_the_default_page_with_eight_kpis(serving_path, expected):
    at = _overview()
    assert at.title[0].value == "Overview"
    assert _tiles(at) == DEFAULT_TILES
    # KPI order as the issue lists them (two rows of four)
    assert [m.label for m in at.metric][:4] == ["Cost, RUB", "Leads", "Won", "Revenue, RUB"]
    sums = expected(D(2025, 1, 2), D(2025, 1, 31), "first_touch")
    assert (sums["cost"], sums["revenue"], sums["cost_of_goods"]) == (6750, 30000, 12000)
    # the previous 30 days start before the data: no change is shown rather than a fake one
    assert {m.delta for m in at.metric} == {"—"}
    assert {(m.proto.color, m.proto.direction) for m in at.metric} == {(GRAY, NONE)}
    assert (
        "The previous period (2024-12-03 … 2025-01-01) starts before the data (2024-12-23)"
        in _captions(at)
    )


def test_kpis_change_against_the_previous_period(serving_path, expected):
    now, before = (D(2025, 1, 12), D(2025, 1, 31)), (D(2024, 12, 23), D(2025, 1, 11))
    assert expected(*now, "first_touch")["cost"] == 4600
    assert expected(*before, "first_touch")["cost"] == 4200
    at = _overview()
    at.sidebar.date_input(key="filter_dates").set_value(now).run()
    assert not at.exception
    tiles = {m.label: (m.value, m.delta, m.proto.color, m.proto.direction) for m in at.metric}
    assert tiles == COVERED_TILES
    assert "change vs 2024-12-23 … 2025-01-11" in _captions(at)
    assert "2024-12-23 … 2025-01-11" in at.metric[0].help


def test_kpi_changes_with_a_channel_and_a_preset(serving_path):
    at = _overview()
    at.sidebar.selectbox(key="filter_period").set_value("last_7").run()
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Social"]).run()
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Cost, RUB"] == ("140", "+0.0%")  # 20 a day, both weeks
    assert tiles["ROI"] == ("-100.0%", "+0.0 pp")
    assert tiles["CAC, RUB"] == ("—", "—")  # no won deals: undefined, no change either
    assert tiles["ДРР (ad cost share)"] == ("—", "—")  # no revenue


def test_top_and_bottom_channels(serving_path):
    at = _overview()
    top, bottom = (df.value for df in at.dataframe)
    assert list(top["channel"]) == ["Paid Search"]  # two channels with cost: one each side
    assert top.loc[0, "roi"] == pytest.approx((22500 - 6150) / 6150)
    assert top.loc[0, "drr"] == pytest.approx(6150 / 22500)
    assert list(bottom["channel"]) == ["Paid Social"]
    assert bottom.loc[0, "roi"] == -1.0
    assert math.isnan(bottom.loc[0, "drr"])  # no revenue: "—"
    assert "No cost (ROI —), by revenue: Organic Search 7,500 RUB, (none) 0 RUB." in _captions(at)
    assert [h.value for h in at.subheader] == ["Trend", "Top and bottom channels"]
    assert len(at.get("download_button")) == 4  # CSV and XLSX of both tables

    at.sidebar.selectbox(key="filter_model").set_value("last_touch").run()
    top = at.dataframe[0].value
    assert top.loc[0, "revenue"] == 30000  # last touch gives Paid Search all the revenue


def _values(array: object) -> list:
    """A Plotly JSON array: a list, or a typed array (``{"dtype", "bdata"}``, base64)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _trend(at: AppTest) -> dict[str, SimpleNamespace]:
    """The trend figure's traces by name (x as ISO dates, y as a list)."""
    [chart] = at.get("plotly_chart")
    traces = json.loads(chart.proto.spec)["data"]
    return {
        t["name"]: SimpleNamespace(x=[str(x)[:10] for x in _values(t["x"])], y=_values(t["y"]))
        for t in traces
    }


def test_trend_by_day_and_by_week(serving_path):
    at = _overview()
    traces = _trend(at)
    assert list(traces) == ["Cost", "Revenue", "Leads"]
    assert traces["Cost"].x[0] == "2025-01-02" and len(traces["Cost"].x) == 30
    assert traces["Cost"].y[-1] == 239.5  # 2025-01-31: 200.5 + 39
    assert sum(traces["Revenue"].y) == 30000

    at.button_group(key="ov_grain").set_value("week").run()
    assert not at.exception
    traces = _trend(at)
    assert traces["Cost"].x == [
        "2024-12-30",  # holds 2025-01-02 … 01-05 only
        "2025-01-06",
        "2025-01-13",
        "2025-01-20",
        "2025-01-27",
    ]
    assert sum(traces["Cost"].y) == 6750
    assert traces["Leads"].y == [24, 42, 42, 42, 30]
    assert "Weeks start on Monday" in _captions(at)


def test_overview_in_russian(serving_path):
    at = _overview(locale="ru-RU")
    at.sidebar.date_input(key="filter_dates").set_value((D(2025, 1, 12), D(2025, 1, 31))).run()
    nbsp = "\u00a0"
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Расход, RUB"] == (f"4{nbsp}600", f"+9,5{nbsp}%")
    assert tiles["ROI"] == (f"334,8{nbsp}%", "-41,4 п.п.")
    assert tiles["ДРР"] == (f"23,0{nbsp}%", "+2,0 п.п.")
    assert [h.value for h in at.subheader] == ["Динамика", "Лучшие и худшие каналы"]
    assert list(_trend(at)) == ["Расход", "Выручка", "Лиды"]


# --- pure KPI math ------------------------------------------------------------------------------

KPI = {k.key: k for k in kpis.KPIS}


def test_kpi_values_and_undefined_ratios():
    values = kpis.kpi_values(
        {"cost": 100.0, "leads": 4.0, "deals_won": 0.0, "revenue": 0.0, "cost_of_goods": 0.0}
    )
    assert values["roi"] == -1.0 and values["romi"] == -1.0
    assert values["cac"] is None and values["drr"] is None
    values = kpis.kpi_values(
        {"cost": 0.0, "leads": 0.0, "deals_won": 1.0, "revenue": 50.0, "cost_of_goods": 0.0}
    )
    assert values["roi"] is None and values["drr"] == 0.0 and values["cac"] == 0.0


def test_change_is_relative_for_amounts_and_points_for_ratios():
    assert kpis.change(KPI["cost"], 110.0, 100.0) == pytest.approx(0.1)
    assert kpis.change(KPI["roi"], 0.25, 0.5) == pytest.approx(-25.0)
    assert kpis.change(KPI["cost"], 10.0, 0.0) is None  # from nothing: no ratio
    assert kpis.change(KPI["cac"], None, 5.0) is None
    assert kpis.change(KPI["drr"], 0.2, float("nan")) is None


def test_fmt_change():
    assert kpis.fmt_change(KPI["cost"], 0.0952) == "+9.5%"
    assert kpis.fmt_change(KPI["cost"], -0.5, "ru") == "-50,0\u00a0%"  # ASCII minus: the arrow
    assert kpis.fmt_change(KPI["roi"], -41.41) == "-41.4 pp"
    assert kpis.fmt_change(KPI["roi"], 1234.5, "ru", "п.п.") == "+1\u00a0234,5 п.п."
    assert kpis.fmt_change(KPI["roi"], None) == "—"
    assert kpis.fmt_value(KPI["drr"], 0.225) == "22.5%"
    assert kpis.fmt_value(KPI["cac"], None) == "—"


def _channels(rows: dict[str, tuple[float, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"channel": c, "revenue": r, "roi": roi} for c, (r, roi) in rows.items()],
        columns=["channel", "revenue", "roi"],
    ).astype({"roi": "float64"})


def test_rank_channels_top_and_bottom_three_without_overlap():
    df = _channels(
        {
            "A": (100, 2.0),
            "B": (50, 1.0),
            "C": (10, -0.5),
            "D": (80, 3.0),
            "E": (0, -1.0),
            "F": (20, 0.0),
            "G": (30, 0.5),
            "Organic": (500, None),
        }
    )
    top, bottom = kpis.rank_channels(df)
    assert list(top["channel"]) == ["D", "A", "B"]
    assert list(bottom["channel"]) == ["E", "C", "F"]  # worst first; G is in neither
    assert list(kpis.unranked_channels(df)["channel"]) == ["Organic"]


@pytest.mark.parametrize(
    ("rois", "top", "bottom"),
    [
        ([2.0, -1.0], ["a"], ["b"]),
        ([2.0, 1.0, -1.0], ["a", "b"], ["c"]),
        ([2.0], ["a"], []),
        ([], [], []),
    ],
)
def test_rank_channels_splits_a_short_list(rois, top, bottom):
    df = _channels({name: (0.0, roi) for name, roi in zip("abcdef", rois, strict=False)})
    got_top, got_bottom = kpis.rank_channels(df)
    assert (list(got_top["channel"]), list(got_bottom["channel"])) == (top, bottom)


def test_rank_ties_go_to_more_revenue():
    df = _channels({"small": (10, 1.0), "big": (90, 1.0), "x": (0, 0.0), "y": (0, -1.0)})
    top, _ = kpis.rank_channels(df)
    assert list(top["channel"]) == ["big", "small"]
