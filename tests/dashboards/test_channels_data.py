"""Channels & campaigns without Streamlit pages: the metric math, the drill helpers, the chart
builder, the deal-list queries, and the reconciliation of fct_deal_credit with fct_channel_daily
on the fixture snapshot (numbers from conftest and fixture_channels.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import charts_channels, data, data_channels
from dashboards.messages import LANGUAGES, MESSAGES

D = dt.date
DAY = D(2025, 1, 31)  # the day fixture_channels.py lists the deals of
WINDOW = (D(2025, 1, 2), D(2025, 1, 31))  # the sidebar's default: the last 30 days
NAN = float("nan")


def _fixture():
    path = Path(__file__).with_name("fixture_channels.py")
    spec = importlib.util.spec_from_file_location("channels_fixture_for_tests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _snapshot() -> data.Snapshot:
    snapshot = data.current_snapshot()
    assert snapshot is not None
    return snapshot


# --- metrics ------------------------------------------------------------------------------------


def _summed(**columns: list[float]) -> pd.DataFrame:
    base = dict.fromkeys(data.MEASURES, [0.0])
    return pd.DataFrame({**base, **columns})


def test_every_metric_from_the_sums():
    # the default window's Paid Search (30 days of c1 + c2 + g1 under first touch)
    df = _summed(
        cost=[6150.0],
        impressions=[63000.0],
        clicks=[2400.0],
        visits=[1890.0],
        leads=[105.0],
        deals_won=[22.5],
        revenue=[22500.0],
        cost_of_goods=[9000.0],
    )
    row = data_channels.with_metrics(df).iloc[0]
    expected = {
        "ctr": 2400 / 63000,
        "cpc": 6150 / 2400,
        "cr_visit_lead": 105 / 1890,
        "cr_lead_won": 22.5 / 105,
        "cpl": 6150 / 105,
        "cac": 6150 / 22.5,
        "aov": 1000.0,
        "roi": (22500 - 6150) / 6150,
        "romi": (22500 - 9000 - 6150) / 6150,
        "drr": 6150 / 22500,
    }
    assert set(data_channels.RATIO_COLUMNS) == set(expected)
    for column, value in expected.items():
        assert row[column] == pytest.approx(value), column
    assert not any(c.startswith("drop_") for c in data_channels.with_metrics(df).columns)


def test_zero_denominators_are_null_never_zero_or_infinite():
    # no impressions, clicks, visits, leads, won or cost: every ratio is undefined
    row = data_channels.with_metrics(_summed()).iloc[0]
    assert row[list(data_channels.RATIO_COLUMNS)].isna().all()
    # cost but nothing else (Paid Social): ROI −100%, the rest "—" where they divide by 0
    social = data_channels.with_metrics(
        _summed(cost=[600.0], impressions=[60000.0], clicks=[900.0], visits=[750.0])
    ).iloc[0]
    assert social["roi"] == -1.0
    assert social["cr_visit_lead"] == 0.0  # 0 leads of 750 visits is a real zero
    assert social[["cpl", "cac", "aov", "cr_lead_won", "drr"]].isna().all()
    assert not any(math.isinf(v) for v in social[list(data_channels.RATIO_COLUMNS)].dropna())


# --- drill helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "source", "all_campaigns", "level"),
    [
        (None, None, False, "channel"),
        ("Paid Search", None, False, "source"),
        ("Paid Search", "yandex_direct", False, "campaign"),
        (None, None, True, "campaign"),
        ("Paid Search", None, True, "campaign"),
    ],
)
def test_level_follows_the_drill(channel, source, all_campaigns, level):
    assert data_channels.level_for(channel, source, all_campaigns) == level


def test_row_keys_and_labels():
    row = {"channel": "Paid Search", "source_system": "yandex_direct", "campaign_id": "c1"}
    assert data_channels.row_key(row, "channel") == "Paid Search"
    assert data_channels.split_key("Paid Search") == ("Paid Search", None, None)
    key = data_channels.row_key(row, "campaign")
    assert data_channels.split_key(key) == ("Paid Search", "yandex_direct", "c1")
    assert data_channels.split_key(data_channels.row_key(row, "source")) == (
        "Paid Search",
        "yandex_direct",
        None,
    )
    assert data_channels.row_label(row, "source") == "yandex_direct"
    assert data_channels.row_label({**row, "campaign_name": "Brand"}, "campaign") == "Brand (c1)"
    assert data_channels.row_label({**row, "campaign_name": None}, "campaign") == "c1"


def test_sort_puts_undefined_values_last_both_ways():
    df = pd.DataFrame(
        {"name": ["a", "b", "c", "d"], "roi": [2.0, NAN, -1.0, NAN], "cost": [1, 2, 3, 4]}
    )
    assert list(data_channels.sort_rows(df, "roi", True)["name"]) == ["a", "c", "b", "d"]
    assert list(data_channels.sort_rows(df, "roi", False)["name"]) == ["c", "a", "b", "d"]
    assert list(data_channels.sort_rows(df, "cost")["name"]) == ["d", "c", "b", "a"]
    assert data_channels.sort_rows(df, "no_such_column") is df


def test_touch_times_in_the_reporting_timezone():
    utc = pd.Series([pd.Timestamp("2025-01-31 08:00"), pd.NaT])
    local = data_channels.to_local(utc, "Europe/Moscow")
    assert local.iloc[0] == pd.Timestamp("2025-01-31 11:00")
    assert pd.isna(local.iloc[1])


# --- chart ------------------------------------------------------------------------------------


ROWS = pd.DataFrame(
    {
        "name": ["Paid Search", "Paid Social", "(none)", "Organic Search"],
        "cost": [6150.0, 600.0, 0.0, 0.0],
        "revenue": [22500.0, 0.0, 0.0, 7500.0],
        "roi": [(22500 - 6150) / 6150, -1.0, NAN, NAN],
    }
)


def test_cost_revenue_bars_per_row_in_table_order():
    fig = charts_channels.cost_revenue_rows(ROWS, "Channels", "RUB")
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["Cost", "Revenue"]
    assert all(isinstance(t, go.Bar) and t.orientation == "h" for t in fig.data)
    assert list(fig.data[0].y) == list(ROWS["name"])
    assert list(fig.data[0].x) == [6150.0, 600.0, 0.0, 0.0]
    assert list(fig.data[1].x) == [22500.0, 0.0, 0.0, 7500.0]
    assert list(fig.data[0].customdata) == ["265.9%", "-100.0%", "—", "—"]  # ROI in the hover
    assert fig.layout.yaxis.autorange == "reversed"  # the first row on top
    assert fig.layout.title.text == "Cost and revenue: Channels, RUB"


def test_cost_revenue_bars_keep_the_first_rows_and_speak_russian():
    many = pd.concat([ROWS] * 10, ignore_index=True).assign(name=[f"r{i}" for i in range(40)])
    fig = charts_channels.cost_revenue_rows(many, "Кампании", "RUB", lang="ru", max_rows=20)
    assert list(fig.data[0].y) == [f"r{i}" for i in range(20)]
    assert [t.name for t in fig.data] == ["Расход", "Выручка"]
    assert fig.data[0].customdata[0] == "265,9\u00a0%"
    assert fig.layout.separators == ",\u00a0"
    assert fig.layout.height == 150 + charts_channels.ROW_PX * 20


def test_empty_chart_says_so():
    fig = charts_channels.cost_revenue_rows(ROWS.iloc[0:0], "Channels", "RUB")
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "No data for these filters"


def test_messages_in_both_languages():
    mine = {k: v for k, v in MESSAGES.items() if k.startswith("channels.")}
    assert len(mine) > 40
    assert all(set(v) == set(LANGUAGES) for v in mine.values())


# --- the fixture snapshot: rows, deals, reconciliation --------------------------------------------


def test_rows_at_each_level(serving_path):
    snapshot = _snapshot()
    level, channels = data_channels.rows(snapshot, *WINDOW, "first_touch")
    assert level == "channel"
    paid = channels.set_index("name").loc["Paid Search"]
    assert (paid["cost"], paid["impressions"], paid["clicks"], paid["leads"]) == (
        6150,
        63000,
        2400,
        105,
    )
    assert paid["ctr"] == pytest.approx(2400 / 63000)
    level, sources = data_channels.rows(snapshot, *WINDOW, "first_touch", channel="Paid Search")
    assert level == "source"
    assert dict(zip(sources["name"], sources["cost"], strict=True)) == {
        "yandex_direct": 3735 + 1515,  # c1: 30 × 100 + Σ10..39; c2: 30 × 50.5
        "google_ads": 900,
    }
    level, campaigns = data_channels.rows(
        snapshot, *WINDOW, "first_touch", channel="Paid Search", source="yandex_direct"
    )
    assert level == "campaign"
    assert list(campaigns["name"]) == ["Brand (c1)", "Generic (c2)"]
    assert list(campaigns["key"]) == [
        "Paid Search\tyandex_direct\tc1",
        "Paid Search\tyandex_direct\tc2",
    ]
    _, every = data_channels.rows(snapshot, *WINDOW, "first_touch", all_campaigns=True)
    assert len(every) == 6
    assert data_channels.sources_of(snapshot, *WINDOW, "first_touch", "Paid Search") == [
        "yandex_direct",
        "google_ads",
    ]


@pytest.mark.parametrize("model", ["first_touch", "last_touch"])
@pytest.mark.parametrize("level", ["channel", "source", "campaign"])
def test_deals_behind_every_row_add_up_to_the_row(serving_path, model, level):
    """The page's "why this number" on 2025-01-31: every row's leads, won and revenue are the
    sums over the deals listed behind it, under both models and at every level."""
    snapshot = _snapshot()
    if level == "source":  # every channel's sources
        table = pd.concat(
            data_channels.rows(snapshot, DAY, DAY, model, channel=channel)[1]
            for channel in ("Paid Search", "Paid Social", "Organic Search", "(none)")
        )
    else:
        _, table = data_channels.rows(snapshot, DAY, DAY, model, all_campaigns=level == "campaign")
    checked = 0
    for _, row in table.iterrows():
        channel, source, campaign = data_channels.split_key(row["key"])
        for measure in data_channels.MEASURES:
            deals = data_channels.deals_behind(
                snapshot, DAY, DAY, model, channel, source, campaign, measure
            )
            column = data_channels.CREDIT_COLUMN[measure]
            assert deals[column].sum() == pytest.approx(row[measure], abs=1e-9), (
                row["key"],
                measure,
            )
            checked += row[measure] != 0
    assert checked >= 5


def test_deals_behind_paid_search_under_first_touch(serving_path):
    snapshot = _snapshot()
    args = (snapshot, DAY, DAY, "first_touch", "Paid Search", "yandex_direct", None)
    leads = data_channels.deals_behind(*args, "leads")
    assert list(leads["deal_id"]) == ["D-102", "D-101", "D-105", "D-104"]  # biggest credit first
    assert list(leads["credited_lead"]) == [1.0, 0.75, 0.75, 0.5]  # Σ 3 = c1 2 + c2 1
    assert list(leads["touches"]) == [1, 3, 2, 1]
    d101 = leads.set_index("deal_id").loc["D-101"]
    assert d101["path"] == "Paid Search 50% → Paid Search 25% → Organic Search 25% → Paid Search 0%"
    assert (d101["status"], d101["amount"], d101["path_touches"]) == ("won", 1000, 4)
    revenue = data_channels.deals_behind(*args, "revenue")
    assert list(revenue["deal_id"]) == ["D-101"]
    assert revenue["credited_revenue"].iloc[0] == 750  # (.5 + .25) × 1,000
    won = data_channels.deals_behind(*args, "deals_won")
    assert list(won["credited_won"]) == [0.75]
    nothing = data_channels.deals_behind(snapshot, DAY, DAY, "first_touch", "Paid Social")
    assert nothing.empty  # cost and visits, but no deal touched it
    day_before = DAY - dt.timedelta(days=1)
    outside = data_channels.deals_behind(
        snapshot, day_before, day_before, "first_touch", "Paid Search"
    )
    assert outside.empty  # deals are dated by their creation


def test_touches_behind_show_the_whole_path(serving_path):
    snapshot = _snapshot()
    touches = data_channels.touches_behind(
        snapshot, DAY, DAY, "last_touch", "Paid Search", "yandex_direct", "c1", "revenue",
        timezone="Europe/Moscow",
    )  # fmt: skip
    assert list(touches["deal_id"]) == ["D-101"] * 4
    assert list(touches["touch_index"]) == [1, 2, 3, 4]
    assert list(touches["weight"]) == [0.0, 0.0, 0.0, 1.0]
    assert list(touches["in_row"]) == [True, False, False, True]  # both c1 touches
    assert list(touches["credited_revenue"]) == [0.0, 0.0, 0.0, 1000.0]
    assert touches["touch_at"].iloc[3] == pd.Timestamp("2025-01-31 11:00")  # 08:00 UTC
    assert list(touches["report_campaign_id"]) == ["c1", "c2", "(none)", "c1"]


def test_deal_credit_reconciles_with_channel_daily(serving_path):
    """The dbt test assert_deal_credit_reconciles_with_channel_daily, on the fixture's day."""
    con = duckdb.connect(str(serving_path), read_only=True)
    try:
        compared = con.execute(
            """
            with credit as (
                select created_date as report_date, attribution_model, channel,
                       sum(credited_lead)::double as leads,
                       sum(case when status = 'won' then credited_lead else 0 end)::double as won,
                       sum(credited_revenue)::double as revenue
                from fct_deal_credit group by all
            ),
            daily as (
                select report_date, attribution_model, channel, sum(leads) as leads,
                       sum(deals_won) as won, sum(revenue)::double as revenue
                from fct_channel_daily where report_date = ? group by all
            )
            select daily.*, credit.leads as c_leads, credit.won as c_won,
                   credit.revenue as c_revenue
            from daily full outer join credit using (report_date, attribution_model, channel)
            order by all
            """,
            [DAY],
        ).df()
    finally:
        con.close()
    assert len(compared) == 2 * 4  # two models × four channels, both sides present
    credited = compared.fillna({"c_leads": 0, "c_won": 0, "c_revenue": 0})
    assert (credited["leads"] - credited["c_leads"]).abs().max() < 1e-9
    assert (credited["won"] - credited["c_won"]).abs().max() < 1e-9
    assert (credited["revenue"] - credited["c_revenue"]).abs().max() < 0.005
    paid = credited.set_index(["attribution_model", "channel"]).loc[("first_touch", "Paid Search")]
    assert (paid["c_leads"], paid["c_won"], paid["c_revenue"]) == (3.5, 0.75, 750)
    # and the fixture module agrees with itself: Σ weight = 1 per deal and model
    rows = pd.DataFrame(_fixture().credit_rows())
    assert rows.groupby(["deal_id", "attribution_model"])["weight"].sum().eq(1).all()
