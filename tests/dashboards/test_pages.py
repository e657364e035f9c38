"""AppTest: the router and every page run on the fixture snapshot, and the filters work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
APP = DASHBOARDS / "app.py"
PAGES = {
    "overview": "views/overview.py",
    "channel_roi": "views/channel_roi.py",
    "funnel": "views/funnel.py",
    "model_comparison": "views/model_comparison.py",
    "channels": "views/channels.py",
    "cohorts": "views/cohorts.py",
    "segments": "views/segments.py",
    "managers": "views/managers.py",
    "data_health": "views/data_health.py",
}  # Month close has its own tests (test_month_close.py): it needs a closed month first
KPI_TILES = {
    "overview": 8,
    "channel_roi": 5,
    "funnel": 5,
    "model_comparison": 0,
    "channels": 0,
    "cohorts": 5,
    "segments": 4,
    "managers": 5,
    "data_health": 4,
}
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


def test_channel_roi_page(serving_path):
    at = _run("channel_roi")
    assert at.title[0].value == "Channel ROI"
    assert _kpis(at) == ROI_DEFAULT
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "Data as of 2025-02-01 06:30 MSK" in captions
    assert "Money in RUB" in captions
    assert "16.7% of leads" in " ".join(c.value for c in at.main.caption)  # (none) share
    table = _table(at)
    assert list(table["channel"]) == ["Paid Search", "Paid Social", "Organic Search", "(none)"]
    assert [b.proto.label for b in at.get("download_button")] == ["CSV", "Excel (XLSX)"]


def test_model_and_channel_filters_change_the_numbers(serving_path):
    at = _run("channel_roi")
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
    at = _run("channel_roi")
    at.sidebar.multiselect(key="filter_channels").set_value(["Organic Search"]).run()
    kpis = _kpis(at)
    assert (kpis["Cost, RUB"], kpis["Leads"], kpis["ROI"]) == ("0", "45", "—")
    row = _table(at).iloc[0]
    assert row["cpl"] == 0
    assert row[["roi", "romi"]].isna().all()


def test_date_range_filter(serving_path, fx):
    at = _run("channel_roi")
    at.sidebar.date_input(key="filter_dates").set_value((fx.first_day, fx.last_day)).run()
    assert _kpis(at)["Cost, RUB"] == "8,800"
    assert _kpis(at)["Leads"] == "240"
    at.sidebar.date_input(key="filter_dates").set_value((fx.last_day, fx.last_day)).run()
    assert _kpis(at)["Cost, RUB"] == "239.5"
    assert "2025-01-31 … 2025-01-31" in at.main.caption[0].value


def test_breakdown_down_to_campaigns(serving_path):
    at = _run("channel_roi")
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
    table = _table(at)  # one row per channel × step (visits, leads, CRM stages, won)
    paid = table[table["channel"] == "Paid Search"].set_index("stage_kind")
    assert paid.loc["lead", "drop_off"] == 1785  # visits − leads
    assert paid.loc["won", "deals"] / paid.loc["lead", "deals"] == pytest.approx(22.5 / 105)


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
    at = _run("channel_roi")
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
    assert len(at.metric) == KPI_TILES[page]
    assert len(at.dataframe) >= 1


# --- Model comparison ---------------------------------------------------------------------------

CREDIT_TABLE, SHIFT_TABLE, ACCURACY_TABLE, ACCURACY_CHANNELS = range(4)  # in page order


def _tables(at: AppTest) -> list:
    return [t.value for t in at.dataframe]


def _credit(at: AppTest) -> dict[str, list]:
    return _tables(at)[CREDIT_TABLE].to_dict("list")


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.main.caption)


def test_model_comparison_page(serving_path):
    at = _run("model_comparison")
    assert at.title[0].value == "Model comparison"
    assert [h.value for h in at.subheader] == [
        "Credit side by side",
        "Budget shift",
        "Accuracy on planted truth",
        "Markov: share of conversions, with 95% interval",
        "Shapley: share of conversions, with 95% interval",
    ]
    # every model at once: no model picker in the sidebar, period, dates and channels still there
    assert [box.key for box in at.sidebar.selectbox] == ["filter_period"]
    assert at.sidebar.multiselect(key="filter_channels").value == []
    captions = _captions(at)
    assert "Jan 2025 (whole months overlapping 2025-01-02 … 2025-01-31)" in captions
    assert "Every model credits the same 186 leads over all channels" in captions
    assert _credit(at) == {
        "channel": ["Paid Search", "Paid Social", "Organic Search", "(none)", "Total"],
        "first_touch": [108.5, 0.0, 46.5, 31.0, 186.0],
        "last_touch": [124.0, 0.0, 31.0, 31.0, 186.0],
    }
    assert len(at.get("plotly_chart")) == 3
    assert (
        len(at.get("download_button")) == 12
    )  # CSV + XLSX of every table, Markov and Shapley included

    # budget shift under the default model (first in publish_meta), January only
    assert at.selectbox(key="mc_shift_model").value == "first_touch"
    shift = _tables(at)[SHIFT_TABLE].set_index("channel")
    assert list(shift.index) == ["Paid Search", "Paid Social", "Organic Search", "(none)"]
    assert list(shift["cost"]) == [6339.5, 620.0, 0.0, 0.0]
    assert list(shift["cost_share"]) == pytest.approx([6339.5 / 6959.5, 620 / 6959.5, 0, 0])
    assert list(shift["revenue_share"]) == pytest.approx([0.75, 0, 0.25, 0])
    assert shift.loc["Organic Search", "shift_pp"] == pytest.approx(25.0)

    accuracy = _tables(at)[ACCURACY_TABLE]
    assert list(accuracy["attribution_model"]) == ["first_touch", "last_touch"]
    assert list(accuracy["model"]) == ["First touch", "Last touch"]
    assert list(accuracy["misallocated_share"]) == pytest.approx([0.20, 0.25])
    assert "Scored on the 200 deals" in captions
    channels = _tables(at)[ACCURACY_CHANNELS]
    assert list(channels["credited_leads"]) == [90, 70, 10, 30]


def test_model_comparison_measure_radio(serving_path):
    at = _run("model_comparison")
    assert at.radio(key="mc_measure").value == "leads"
    at.radio(key="mc_measure").set_value("deals_won").run()
    assert not at.exception
    assert _credit(at)["first_touch"] == [23.25, 0.0, 7.75, 0.0, 31.0]
    assert _credit(at)["last_touch"] == [31.0, 0.0, 0.0, 0.0, 31.0]
    assert "Every model credits the same 31 won deals" in _captions(at)
    at.radio(key="mc_measure").set_value("revenue").run()
    assert _credit(at)["first_touch"] == [23250.0, 0.0, 7750.0, 0.0, 31000.0]
    assert _credit(at)["last_touch"] == [31000.0, 0.0, 0.0, 0.0, 31000.0]
    assert "Every model credits the same 31,000 RUB of revenue" in _captions(at)


def test_model_comparison_selectors_and_filters(serving_path, fx):
    at = _run("model_comparison")
    at.selectbox(key="mc_shift_model").set_value("last_touch").run()
    shift = _tables(at)[SHIFT_TABLE].set_index("channel")
    assert list(shift["revenue_share"]) == pytest.approx([1, 0, 0, 0])
    at.selectbox(key="mc_accuracy_model").set_value("last_touch").run()
    assert list(_tables(at)[ACCURACY_CHANNELS]["credited_leads"]) == [130, 40, 0, 30]

    # both months: shares of the summed range (Paid Search: 8,000 of 8,800 cost)
    at.sidebar.date_input(key="filter_dates").set_value((fx.first_day, fx.last_day)).run()
    assert "Dec 2024 … Jan 2025" in _captions(at)
    assert _credit(at)["first_touch"][-1] == 240.0
    shift = _tables(at)[SHIFT_TABLE].set_index("channel")
    assert shift.loc["Paid Search", "cost_share"] == pytest.approx(10 / 11)
    assert shift.loc["Paid Search", "shift_pp"] == pytest.approx(100 / 11)  # last touch

    # channels narrow the rows; shares and the conservation check stay over all channels
    at.sidebar.multiselect(key="filter_channels").set_value(["Organic Search", "(none)"]).run()
    assert not at.exception
    assert _credit(at) == {
        "channel": ["Organic Search", "(none)", "Total"],
        "first_touch": [60.0, 40.0, 100.0],
        "last_touch": [40.0, 40.0, 80.0],
    }
    captions = _captions(at)
    assert "Every model credits the same 240 leads over all channels" in captions
    assert "The Total row is the selected channels only" in captions
    at.selectbox(key="mc_shift_model").set_value("first_touch").run()
    shift = _tables(at)[SHIFT_TABLE].set_index("channel")
    assert shift.loc["Organic Search", "revenue_share"] == pytest.approx(0.25)


def test_model_comparison_follows_publish_meta_order(serving_path, fx):
    fx.write_serving(serving_path, fx.channel_rows(), models=("last_touch", "first_touch"))
    at = _run("model_comparison")
    assert list(_tables(at)[CREDIT_TABLE].columns) == ["channel", "last_touch", "first_touch"]
    assert at.selectbox(key="mc_shift_model").value == "last_touch"  # the default model


def test_model_comparison_keeps_the_other_pages_model(serving_path):
    at = _run("channel_roi")
    at.sidebar.selectbox(key="filter_model").set_value("last_touch").run()
    at.switch_page(PAGES["model_comparison"]).run()
    assert not at.exception
    assert [box.key for box in at.sidebar.selectbox] == ["filter_period"]
    at.switch_page(PAGES["channel_roi"]).run()
    assert at.sidebar.selectbox(key="filter_model").value == "last_touch"
    paid = _table(at).set_index("channel").loc["Paid Search"]
    assert paid["leads"] == 120  # last touch, as picked before


def test_model_comparison_without_planted_truth(serving_path, fx):
    fx.write_serving(serving_path, fx.channel_rows(), accuracy=())
    at = _run("model_comparison")
    assert "appears when the demo source is enabled" in _captions(at)
    # credit, budget shift, Markov and Shapley shares; no accuracy tables
    assert len(at.dataframe) == 4
    assert len(at.get("plotly_chart")) == 2
    assert _credit(at)["last_touch"][-1] == 186.0


def test_model_comparison_on_an_older_snapshot(serving_path, fx):
    fx.write_serving(serving_path, fx.channel_rows(), model_tables=False)
    at = _run("model_comparison")
    assert at.info[0].value == "Model comparison needs a newer snapshot: run `make build`."
    assert len(at.dataframe) == 0
    at.switch_page(PAGES["channel_roi"]).run()  # the other pages do not need the new marts
    assert not at.exception
    assert _kpis(at) == ROI_DEFAULT


# --- no snapshot --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [None, *sorted(PAGES)])
def test_missing_snapshot_shows_a_note(missing_serving_path, page):
    at = _run(page)
    assert "No data published yet" in at.info[0].value
    assert "make build" in at.info[0].value
    assert len(at.metric) == 0


def test_snapshot_published_while_open_is_picked_up(missing_serving_path, fx):
    at = _run("channel_roi")
    assert "No data published yet" in at.info[0].value
    missing_serving_path.parent.mkdir(parents=True)
    fx.write_serving(missing_serving_path, fx.channel_rows())
    at.run()
    assert not at.exception
    assert _kpis(at) == ROI_DEFAULT


def test_model_comparison_shows_data_driven_shares_with_intervals(serving_path):
    at = _run("model_comparison")
    markov, shapley = [df.value for df in at.dataframe if "share_low" in df.value.columns]
    assert list(markov["channel"]) == ["Paid Search", "Organic Search", "Paid Social"]
    assert list(markov["share_low"]) == [0.52, 0.24, 0.05]
    assert list(shapley["share"]) == [0.55, 0.35, 0.1]
    assert list(shapley["share_high"]) == [0.61, 0.4, 0.14]
    assert shapley["removal_effect"].isna().all()
    assert not [w for w in at.warning if "Too little data" in w.value]


def test_model_comparison_warns_when_markov_has_too_little_data(serving_path, monkeypatch):
    import duckdb

    con = duckdb.connect(str(serving_path))
    con.execute("update fct_markov_shares set conversions = 12, is_too_little_data = true")
    con.close()
    at = _run("model_comparison")
    assert [w for w in at.warning if "Too little data: 12 conversions" in w.value]
