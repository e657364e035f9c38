"""The Managers page on the fixture snapshot (AppTest), and its pure math and chart.

Known numbers: tests/dashboards/fixture_managers.py (docstring).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import charts_managers, data_managers

PAGE = Path(__file__).resolve().parents[2] / "dashboards" / "views" / "managers.py"
TIMEOUT_S = 60
D = dt.date

DEFAULT_TILES = {  # 2025-01-02 … 01-31
    "Deals": "28",
    "Won": "6",
    "Win rate": "66.7%",  # 6 / (6 + 3)
    "Revenue, RUB": "90,000",  # 90,000.50 (a tile rounds; its help has the kopecks)
    "Avg cycle, days": "8.4",  # 76 / 9
}


def _page(**context) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    if context:
        at.context = context
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.main.caption)


def test_kpis_table_and_chart_over_the_default_window(serving_path):
    at = _page()
    assert at.title[0].value == "Managers"
    assert {m.label: m.value for m in at.metric} == DEFAULT_TILES
    assert at.metric[3].help == "90,000.50 RUB"
    table, stale = (df.value for df in at.dataframe)
    assert list(table["manager"]) == ["Anna", "Boris", "(none)"]  # by revenue
    anna, boris, nobody = (table.iloc[i] for i in range(3))
    assert (anna["deals_created"], anna["deals_won"], anna["deals_lost"], anna["deals_open"]) == (
        15, 4, 3, 8,
    )  # fmt: skip
    assert anna["win_rate"] == pytest.approx(4 / 7)
    assert anna["revenue"] == pytest.approx(60000.50)
    assert anna["avg_cycle_days"] == 8.9  # 62 / 7, rounded as shown
    assert (boris["win_rate"], boris["avg_cycle_days"], boris["revenue"]) == (1.0, 7.0, 30000)
    assert math.isnan(nobody["win_rate"]) and math.isnan(nobody["avg_cycle_days"])  # "—"
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert [t["name"] for t in spec["data"]] == ["Won", "Lost", "Still open"]
    assert spec["data"][0]["y"] == ["Anna", "Boris", "(none)"]
    assert "the channel filter do not apply" in _captions(at)
    # both tables downloadable
    assert len(at.get("download_button")) == 4
    assert list(stale["deal_id"]) == ["A-7", "D-101", "D-104"]


def test_the_date_range_changes_the_numbers(serving_path):
    at = _page()
    at.sidebar.date_input(key="filter_dates").set_value((D(2024, 12, 23), D(2025, 1, 31))).run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {
        "Deals": "34",
        "Won": "8",
        "Win rate": "57.1%",  # 8 / 14
        "Revenue, RUB": "110,000",
        "Avg cycle, days": "8.3",  # 116 / 14
    }
    anna = at.dataframe[0].value.set_index("manager").loc["Anna"]
    assert (anna["deals_created"], anna["win_rate"], anna["avg_cycle_days"]) == (
        21, 0.5, 8.5,
    )  # fmt: skip

    at.sidebar.date_input(key="filter_dates").set_value((D(2024, 12, 23), D(2024, 12, 27))).run()
    assert {m.label: m.value for m in at.metric}["Win rate"] == "—"  # no deals: undefined
    assert at.dataframe[0].value.empty
    assert "No deals were created in these dates." in _captions(at)


def test_open_deals_older_than_n_days(serving_path):
    at = _page()
    number = at.number_input(key="managers_older_than")
    assert number.value == 14
    stale = at.dataframe[1].value
    assert list(stale["deal_id"]) == ["A-7", "D-101", "D-104"]
    assert list(stale["age_days"]) == [37, 30, 21]
    assert math.isnan(stale.iloc[2]["amount"])  # no amount in the CRM: "—", not 0
    assert "3 open deals older than 14 days as of 2025-01-31, worth 17,000 RUB." in _captions(at)
    for days, expected in ((25, ["A-7", "D-101"]), (10, ["A-7", "D-101", "D-104", "D-102"])):
        number.set_value(days).run()
        assert list(at.dataframe[1].value["deal_id"]) == expected
    at.number_input(key="managers_older_than").set_value(40).run()
    assert at.dataframe[1].value.empty
    assert "0 open deals older than 40 days as of 2025-01-31, worth —." in _captions(at)


def test_russian(serving_path):
    at = _page(locale="ru-RU")
    assert at.title[0].value == "Менеджеры"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Доля выигранных"] == "66,7\u00a0%"
    assert tiles["Средний цикл, дн."] == "8,4"


def test_an_older_snapshot_without_the_marts(serving_path):
    import duckdb

    con = duckdb.connect(str(serving_path))
    con.execute("drop table fct_open_deals")
    con.close()
    at = _page()
    assert at.info[0].value == "The Managers page needs a newer snapshot: run `make build`."
    assert not at.metric


# --- pure ---------------------------------------------------------------------------------------


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["manager", *data_managers.MEASURES])


def test_rates_are_null_when_nothing_closed():
    df = data_managers.with_rates(
        _frame(
            [("A", 10, 3, 1, 300.0, 8.0, 4), ("B", 2, 0, 0, 0.0, 0.0, 0), ("C", 1, 0, 1, 0, 2, 1)]
        )
    )
    assert list(df["deals_open"]) == [6, 2, 0]
    assert df["win_rate"].iloc[0] == 0.75 and math.isnan(df["win_rate"].iloc[1])
    assert df["win_rate"].iloc[2] == 0.0  # one lost deal: a real 0%
    assert df["avg_cycle_days"].iloc[0] == 2.0 and math.isnan(df["avg_cycle_days"].iloc[1])


def test_totals_weigh_by_closed_deals_not_by_manager():
    rows = [("A", 10, 3, 1, 300.0, 8.0, 4), ("B", 4, 0, 4, 0.0, 40.0, 4)]
    total = data_managers.totals(_frame(rows))
    assert total["win_rate"] == pytest.approx(3 / 8)  # not the mean of 75% and 0%
    assert total["avg_cycle_days"] == pytest.approx(48 / 8)
    assert total["deals_created"] == 14 and total["revenue"] == 300
    empty = data_managers.totals(_frame([]))
    assert empty["win_rate"] is None and empty["avg_cycle_days"] is None
    assert empty["deals_created"] == 0


def test_outcome_bars():
    df = data_managers.with_rates(
        _frame([("A", 10, 3, 1, 300.0, 8.0, 4), ("(none)", 2, 0, 0, 0.0, 0.0, 0)])
    )
    fig = charts_managers.deal_outcome_bars(df, "ru")
    assert [t.name for t in fig.data] == ["Выиграно", "Проиграно", "Открыты"]
    assert list(fig.data[0].x) == [3, 0] and list(fig.data[2].x) == [6, 2]
    assert list(fig.data[0].customdata) == ["75,0\u00a0%", "—"]
    assert fig.layout.barmode == "stack" and fig.layout.separators == ",\u00a0"
    empty = charts_managers.deal_outcome_bars(df.iloc[0:0], "en")
    assert not empty.data
    assert empty.layout.annotations[0].text == "No data for these filters"
