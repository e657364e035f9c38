"""The Channels & campaigns page on the fixture snapshot (AppTest).

Default window 2025-01-02 … 01-31, first touch (conftest): Paid Search cost 6,150 (c1 3,735,
c2 1,515, g1 900), 63,000 impressions, 2,400 clicks, 1,890 visits, 105 leads, 22.5 won, 22,500
revenue; Paid Social cost 600 and no leads; Organic Search and (none) no cost. The deals behind
2025-01-31 are in fixture_channels.py.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

PAGE = Path(__file__).resolve().parents[2] / "dashboards" / "views" / "channels.py"
TIMEOUT_S = 60
DAY = dt.date(2025, 1, 31)
NBSP = "\u00a0"


def _page(**context) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT_S)
    if context:
        at.context = context
    at.run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _table(at: AppTest):
    return at.dataframe[0].value


def _labels(at: AppTest, index: int = 0) -> list[str]:
    """The shown columns' labels, in order."""
    frame = at.dataframe[index].proto
    config = json.loads(frame.columns or "{}")
    return [config[c]["label"] for c in frame.column_order]


def _one_day(at: AppTest) -> None:
    at.sidebar.date_input(key="filter_dates").set_value((DAY, DAY)).run()
    _ok(at)


def test_table_has_every_metric_and_a_download(serving_path):
    at = _page()
    assert at.title[0].value == "Channels & campaigns"
    assert at.subheader[0].value == "Channels"
    table = _table(at)
    # by cost, largest first; the two free channels tie at 0 and go by name
    assert list(table["name"]) == ["Paid Search", "Paid Social", "(none)", "Organic Search"]
    paid = table.set_index("name").loc["Paid Search"]
    expected = {
        "cost": 6150,
        "impressions": 63000,
        "clicks": 2400,
        "visits": 1890,
        "leads": 105,
        "deals_won": 22.5,
        "revenue": 22500,
        "ctr": 2400 / 63000,
        "cpc": 6150 / 2400,
        "cr_visit_lead": 105 / 1890,
        "cr_lead_won": 22.5 / 105,
        "cpl": 6150 / 105,
        "cac": 6150 / 22.5,
        "aov": 1000,
        "roi": (22500 - 6150) / 6150,
        "romi": (22500 - 9000 - 6150) / 6150,
        "drr": 6150 / 22500,
    }
    for column, value in expected.items():
        assert paid[column] == pytest.approx(value), column
    assert _labels(at) == [
        "Channel",
        "Cost, RUB",
        "Impressions",
        "Clicks",
        "Visits",
        "Leads",
        "Won",
        "Revenue, RUB",
        "CTR",
        "CPC, RUB",
        "CR visit → lead",
        "CR lead → won",
        "CPL, RUB",
        "CAC, RUB",
        "AOV, RUB",
        "ROI",
        "ROMI",
        "ДРР (ad cost share)",
    ]
    # zero denominators are NULL ("—"), never 0 or infinity
    social = table.set_index("name").loc["Paid Social"]
    assert social["roi"] == -1.0
    assert social[["cpl", "cac", "aov", "cr_lead_won", "drr"]].isna().all()
    organic = table.set_index("name").loc["Organic Search"]
    assert organic[["ctr", "cpc", "roi", "romi"]].isna().all()
    assert [b.proto.label for b in at.get("download_button")] == ["CSV", "Excel (XLSX)"]
    assert len(at.get("plotly_chart")) == 1
    assert at.selectbox(key="channels_why_row").value is None  # nothing listed until picked


def test_drill_from_channel_to_source_to_campaign(serving_path):
    at = _page()
    at.selectbox(key="channels_drill_channel").set_value("Paid Search").run()
    _ok(at)
    assert at.subheader[0].value == "Sources of Paid Search"
    table = _table(at)
    assert list(table["name"]) == ["yandex_direct", "google_ads"]
    assert list(table["cost"]) == [5250, 900]
    assert _labels(at)[:2] == ["Source", "Channel"]

    at.selectbox(key="channels_drill_source").set_value("yandex_direct").run()
    _ok(at)
    assert at.subheader[0].value == "Campaigns: Paid Search › yandex_direct"
    table = _table(at)
    assert list(table["name"]) == ["Brand (c1)", "Generic (c2)"]
    assert list(table["cost"]) == [3735, 1515]
    assert list(table["leads"]) == [60, 30]
    assert at.toggle(key="channels_all_campaigns").proto.disabled

    # another channel: the source picked under Paid Search no longer applies
    at.selectbox(key="channels_drill_channel").set_value("Paid Social").run()
    _ok(at)
    assert at.selectbox(key="channels_drill_source").value == ""
    assert list(_table(at)["name"]) == ["vk_ads"]


def test_every_campaign_in_one_list(serving_path):
    at = _page()
    at.toggle(key="channels_all_campaigns").set_value(True).run()
    _ok(at)
    assert at.subheader[0].value == "Campaigns: All channels"
    table = _table(at)
    assert len(table) == 6
    assert list(table["name"][:3]) == ["Brand (c1)", "Generic (c2)", "Search RU (g1)"]
    assert _labels(at)[:4] == ["Campaign", "Channel", "Source", "Campaign ID"]
    at.selectbox(key="channels_drill_channel").set_value("Paid Search").run()
    assert len(_table(at)) == 3


def test_sort_by_any_metric_with_undefined_last(serving_path):
    at = _page()
    at.selectbox(key="channels_sort_by").set_value("roi").run()
    _ok(at)
    assert list(_table(at)["name"]) == ["Paid Search", "Paid Social", "(none)", "Organic Search"]
    at.toggle(key="channels_sort_desc").set_value(False).run()
    assert list(_table(at)["name"]) == ["Paid Social", "Paid Search", "(none)", "Organic Search"]
    at.selectbox(key="channels_sort_by").set_value("cr_visit_lead").run()
    # Paid Social 0 of 750, Paid Search 105 of 1,890, Organic 45 of 1,800; (none) has no visits
    assert list(_table(at)["name"]) == ["Paid Social", "Organic Search", "Paid Search", "(none)"]


def test_why_this_number_lists_the_deals_behind_a_row(serving_path):
    at = _page()
    _one_day(at)
    at.selectbox(key="channels_drill_channel").set_value("Paid Search").run()
    at.selectbox(key="channels_why_row").set_value("Paid Search\tyandex_direct").run()
    _ok(at)
    assert at.markdown[0].value == "Deals: 4 · leads 3 · won 0.8 · revenue 750 RUB"
    assert [s.value for s in at.success] == ["Matches the table's row: Leads = 3."]
    deals = at.dataframe[1].value
    assert list(deals["deal_id"]) == ["D-102", "D-101", "D-105", "D-104"]
    assert list(deals["credited_lead"]) == [1.0, 0.75, 0.75, 0.5]
    touches = at.dataframe[2].value
    assert len(touches) == 1 + 4 + 4 + 3  # whole paths of the four deals
    assert int(touches["in_row"].sum()) == 7  # their c1 and c2 touches
    assert len(at.get("download_button")) == 6  # the table, the deals, the touches

    at.button_group(key="channels_why_measure").set_value("revenue").run()
    _ok(at)
    assert list(at.dataframe[1].value["deal_id"]) == ["D-101"]
    assert [s.value for s in at.success] == ["Matches the table's row: Revenue = 750.00 RUB."]


def test_why_follows_the_model(serving_path):
    at = _page()
    _one_day(at)
    at.sidebar.selectbox(key="filter_model").set_value("last_touch").run()
    at.toggle(key="channels_all_campaigns").set_value(True).run()
    at.selectbox(key="channels_why_row").set_value("Paid Search\tyandex_direct\tc1").run()
    _ok(at)
    assert at.markdown[0].value == "Deals: 3 · leads 3 · won 1 · revenue 1,000 RUB"
    assert list(at.dataframe[1].value["deal_id"]) == ["D-101", "D-102", "D-103"]
    touches = at.dataframe[2].value
    d101 = touches[touches["deal_id"] == "D-101"]
    assert list(d101["weight"]) == [0.0, 0.0, 0.0, 1.0]
    assert str(d101["touch_at"].iloc[3]) == "2025-01-31 11:00:00"  # Moscow time
    assert "Time (Europe/Moscow)" in _labels(at, 2)


def test_a_row_no_deal_touched(serving_path):
    at = _page()
    _one_day(at)
    at.selectbox(key="channels_why_row").set_value("Paid Social").run()
    _ok(at)
    assert [i.value for i in at.info] == ["No deal adds to this row's “Leads” under this model."]
    assert len(at.dataframe) == 1


def test_older_snapshot_without_the_deal_list(serving_path):
    con = duckdb.connect(str(serving_path))
    con.execute("drop table fct_deal_credit")
    con.close()
    at = _page()
    assert len(_table(at)) == 4  # the table still works
    assert "fct_deal_credit" in at.info[0].value
    assert "channels_why_row" not in [s.key for s in at.selectbox]  # no row picker


def test_in_russian(serving_path):
    at = _page(locale="ru-RU")
    assert at.title[0].value == "Каналы и кампании"
    assert at.subheader[0].value == "Каналы"
    assert _labels(at)[:3] == ["Канал", "Расход, RUB", "Показы"]
    assert "Средний чек, RUB" in _labels(at)
    _one_day(at)
    at.selectbox(key="channels_why_row").set_value("Paid Search").run()
    _ok(at)
    assert at.markdown[0].value == "Сделок: 4 · лиды 3,5 · продажи 0,8 · выручка 750 RUB"
    assert [s.value for s in at.success] == ["Сходится со строкой таблицы: Лиды = 3,5."]
    assert "Paid Search 50" + NBSP + "%" in at.dataframe[1].value["path"].iloc[1]
