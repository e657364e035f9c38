"""AppTest: the router and both pages run on the fixture snapshot, and the filters work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
APP = DASHBOARDS / "app.py"
PAGES = {"channel_roi": "views/channel_roi.py", "funnel": "views/funnel.py"}
TIMEOUT_S = 60  # first run imports plotly and pandas; generous for a busy 2-core CI box

ROI_DEFAULT = {
    "Cost, RUB": "6,750",
    "Leads": "180",
    "Won": "30",
    "Revenue, RUB": "30,000",
    "ROI": "344.4%",
}
FUNNEL_DEFAULT = {
    "Visits": "4,440",
    "Leads": "180",
    "Won": "30",
    "CR visit → lead": "4.05%",
    "CR lead → won": "16.7%",
}


def _run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    if page:
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _kpis(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at: AppTest):
    """The page's one table, as the DataFrame it was given (display formatting aside)."""
    [table] = at.dataframe
    return table.value


# --- Channel ROI --------------------------------------------------------------------------------


def test_router_opens_channel_roi(serving_path):
    at = _run()
    assert at.title[0].value == "Channel ROI"
    assert _kpis(at) == ROI_DEFAULT
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "Data as of 2025-02-01 06:30 MSK" in captions
    assert "Money in RUB" in captions
    assert "16.7% of leads" in " ".join(c.value for c in at.main.caption)  # (none) share
    table = _table(at)
    assert list(table["channel"]) == ["Paid Search", "Paid Social", "Organic Search", "(none)"]
    assert len(at.get("download_button")) == 1


def test_model_and_channel_filters_change_the_numbers(serving_path):
    at = _run()
    at.sidebar.selectbox(key="filter_model").set_value("last_touch").run()
    assert not at.exception
    # the totals are the same under every model (Σ credit = deals); the split is not
    assert _kpis(at) == ROI_DEFAULT
    paid = _table(at).set_index("channel").loc["Paid Search"]
    assert (paid["leads"], paid["deals_won"], paid["revenue"]) == (120, 30, 30000)

    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Search"]).run()
    assert _kpis(at) == {
        "Cost, RUB": "6,150",
        "Leads": "120",
        "Won": "30",
        "Revenue, RUB": "30,000",
        "ROI": "387.8%",
    }
    at.sidebar.selectbox(key="filter_model").set_value("first_touch").run()
    assert _kpis(at) == {
        "Cost, RUB": "6,150",
        "Leads": "105",
        "Won": "22.5",
        "Revenue, RUB": "22,500",
        "ROI": "265.9%",
    }


def test_zero_cost_channel_shows_a_dash(serving_path):
    at = _run()
    at.sidebar.multiselect(key="filter_channels").set_value(["Organic Search"]).run()
    kpis = _kpis(at)
    assert (kpis["Cost, RUB"], kpis["Leads"], kpis["ROI"]) == ("0", "45", "—")
    row = _table(at).iloc[0]
    assert row["cpl"] == 0
    assert row[["roi", "romi"]].isna().all()


def test_date_range_filter(serving_path, fx):
    at = _run()
    at.sidebar.date_input(key="filter_dates").set_value((fx.first_day, fx.last_day)).run()
    assert _kpis(at)["Cost, RUB"] == "8,800"
    assert _kpis(at)["Leads"] == "240"
    at.sidebar.date_input(key="filter_dates").set_value((fx.last_day, fx.last_day)).run()
    assert _kpis(at)["Cost, RUB"] == "239.5"
    assert "2025-01-31 … 2025-01-31" in at.main.caption[0].value


def test_breakdown_down_to_campaigns(serving_path):
    at = _run()
    at.radio(key="roi_level").set_value("campaign").run()
    table = _table(at)
    assert len(table) == 6
    brand = table.set_index("campaign_id").loc["c1"]
    assert (brand["campaign_name"], brand["cost"], brand["leads"]) == ("Brand", 3735.0, 60.0)
    at.radio(key="roi_level").set_value("source").run()
    assert len(_table(at)) == 5
    assert _kpis(at) == ROI_DEFAULT  # the breakdown does not change the totals


# --- Funnel -------------------------------------------------------------------------------------


def test_funnel_page(serving_path):
    at = _run("funnel")
    assert at.title[0].value == "Funnel"
    assert _kpis(at) == FUNNEL_DEFAULT
    assert "Data as of 2025-02-01 06:30" in " ".join(c.value for c in at.sidebar.caption)
    table = _table(at).set_index("channel")
    assert table.loc["Paid Search", "drop_visit_lead"] == 1785
    assert table.loc["Paid Search", "cr_lead_won"] == pytest.approx(22.5 / 105)


def test_funnel_filters(serving_path):
    at = _run("funnel")
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Social"]).run()
    assert _kpis(at) == {
        "Visits": "750",
        "Leads": "0",
        "Won": "0",
        "CR visit → lead": "0.00%",
        "CR lead → won": "—",
    }
    at.sidebar.multiselect(key="filter_channels").set_value(["Organic Search"]).run()
    at.sidebar.selectbox(key="filter_model").set_value("last_touch").run()
    kpis = _kpis(at)
    assert (kpis["Leads"], kpis["Won"], kpis["CR lead → won"]) == ("30", "0", "0.0%")


def test_filters_survive_switching_pages(serving_path):
    at = _run()
    at.sidebar.selectbox(key="filter_model").set_value("last_touch").run()
    at.sidebar.multiselect(key="filter_channels").set_value(["Paid Search"]).run()
    at.switch_page(PAGES["funnel"]).run()
    assert not at.exception
    assert _kpis(at)["Leads"] == "120"
    assert at.sidebar.selectbox(key="filter_model").value == "last_touch"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_runs_on_its_own(serving_path, page):
    at = AppTest.from_file(str(DASHBOARDS / PAGES[page]), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert len(at.metric) == 5


# --- no snapshot --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [None, *sorted(PAGES)])
def test_missing_snapshot_shows_a_note(missing_serving_path, page):
    at = _run(page)
    assert "No data published yet" in at.info[0].value
    assert "make build" in at.info[0].value
    assert len(at.metric) == 0


def test_snapshot_published_while_open_is_picked_up(missing_serving_path, fx):
    at = _run()
    assert "No data published yet" in at.info[0].value
    missing_serving_path.parent.mkdir(parents=True)
    fx.write_serving(missing_serving_path, fx.channel_rows())
    at.run()
    assert not at.exception
    assert _kpis(at) == ROI_DEFAULT
