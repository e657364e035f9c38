"""Queries against the fixture snapshot return exact sums; metric math and formatting."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from dashboards import data, metrics

FIRST_DAY = dt.date(2024, 12, 23)
LAST_DAY = dt.date(2025, 1, 31)
WINDOW = (dt.date(2025, 1, 2), LAST_DAY)  # the default: last 30 days of data


def _one(df: pd.DataFrame, **where: str) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    assert mask.sum() == 1, f"expected one row for {where}, got {mask.sum()}"
    return df[mask].iloc[0]


# --- locating the snapshot ------------------------------------------------------------------


def test_env_override_wins(serving_path):
    assert data.serving_path() == serving_path
    snapshot = data.current_snapshot()
    assert snapshot is not None
    assert snapshot.path == str(serving_path.resolve())


def test_missing_snapshot_is_none(missing_serving_path):
    assert data.current_snapshot() is None


def test_publish_meta(serving_path):
    meta = data.publish_meta(data.current_snapshot())
    assert meta.reporting_currency == "RUB"
    assert meta.attribution_models == ("first_touch", "last_touch")
    assert meta.default_model == "first_touch"
    assert "vk_ads" in meta.sources
    local = meta.published_at_local()
    assert (local.hour, local.minute, local.tzname()) == (6, 30, "MSK")


def test_bounds_and_channels(serving_path, fx):
    assert (fx.first_day, fx.last_day, fx.window) == (FIRST_DAY, LAST_DAY, WINDOW)
    snapshot = data.current_snapshot()
    assert data.date_bounds(snapshot) == (FIRST_DAY, LAST_DAY)
    assert data.channels(snapshot) == ["(none)", "Organic Search", "Paid Search", "Paid Social"]


# --- channel performance ----------------------------------------------------------------------


def test_totals_default_window(serving_path, expected):
    total = data.channel_performance(data.current_snapshot(), *WINDOW, "first_touch", level="total")
    assert len(total) == 1
    row = total.iloc[0]
    assert row["cost"] == pytest.approx(6750.00)
    assert row["leads"] == pytest.approx(180)
    assert row["deals_won"] == pytest.approx(30)
    assert row["revenue"] == pytest.approx(30000)
    for measure, value in expected(*WINDOW, "first_touch").items():
        assert row[measure] == pytest.approx(value), measure


def test_model_and_channel_filter(serving_path, expected):
    snapshot = data.current_snapshot()
    first = data.channel_performance(snapshot, *WINDOW, "first_touch", ["Paid Search"], "total")
    last = data.channel_performance(snapshot, *WINDOW, "last_touch", ["Paid Search"], "total")
    # cost and visits are the same under every model; the credit is not
    assert first.iloc[0]["cost"] == last.iloc[0]["cost"] == pytest.approx(6150.00)
    assert first.iloc[0]["visits"] == last.iloc[0]["visits"] == 1890
    assert (first.iloc[0]["leads"], last.iloc[0]["leads"]) == (pytest.approx(105), 120)
    assert (first.iloc[0]["revenue"], last.iloc[0]["revenue"]) == (22500, 30000)
    want = expected(*WINDOW, "last_touch", ["Paid Search"])
    assert last.iloc[0]["deals_won"] == pytest.approx(want["deals_won"]) == 30


def test_dates_are_inclusive(serving_path, expected):
    snapshot = data.current_snapshot()
    one_day = data.channel_performance(snapshot, LAST_DAY, LAST_DAY, "first_touch", level="total")
    assert one_day.iloc[0]["cost"] == pytest.approx(200.50 + 39)  # c1 costs 100 + day index
    everything = data.channel_performance(
        snapshot, FIRST_DAY, LAST_DAY, "first_touch", level="total"
    )
    assert everything.iloc[0]["cost"] == pytest.approx(8800.00)
    assert everything.iloc[0]["leads"] == pytest.approx(240)


def test_by_channel(serving_path, expected):
    df = data.channel_performance(data.current_snapshot(), *WINDOW, "first_touch")
    assert list(df["channel"]) == ["Paid Search", "Paid Social", "Organic Search", "(none)"]
    for channel in df["channel"]:
        want = expected(*WINDOW, "first_touch", [channel])
        row = _one(df, channel=channel)
        for measure, value in want.items():
            assert row[measure] == pytest.approx(value), (channel, measure)


def test_source_and_campaign_levels_add_up(serving_path):
    snapshot = data.current_snapshot()
    by_channel = data.channel_performance(snapshot, *WINDOW, "last_touch", level="channel")
    by_source = data.channel_performance(snapshot, *WINDOW, "last_touch", level="source")
    by_campaign = data.channel_performance(snapshot, *WINDOW, "last_touch", level="campaign")
    assert len(by_source) == 5 and len(by_campaign) == 6
    for level in (by_source, by_campaign):  # drill-downs keep the channel table's order
        assert list(dict.fromkeys(level["channel"])) == list(by_channel["channel"])
    for level in (by_source, by_campaign):
        summed = level.groupby("channel")[["cost", "leads", "revenue"]].sum()
        for _, row in by_channel.iterrows():
            assert summed.loc[row["channel"], "cost"] == pytest.approx(row["cost"])
            assert summed.loc[row["channel"], "leads"] == pytest.approx(row["leads"])
    brand = _one(by_campaign, campaign_id="c1")
    assert brand["campaign_name"] == "Brand"
    assert brand["source_system"] == "yandex_direct"
    assert brand["cost"] == pytest.approx(3735.00)  # 30 × 100 + (10 + … + 39)
    assert (brand["leads"], brand["deals_won"], brand["revenue"]) == (90, 30, 30000)
    google = _one(by_source, source_system="google_ads")
    assert google["cost"] == pytest.approx(900.00)


def test_empty_selection_gives_zero_totals(serving_path):
    snapshot = data.current_snapshot()
    total = data.channel_performance(snapshot, *WINDOW, "no_such_model", level="total")
    assert total.iloc[0]["cost"] == 0 and total.iloc[0]["leads"] == 0
    assert data.channel_performance(snapshot, *WINDOW, "no_such_model").empty


def test_parameters_are_bound_not_formatted(serving_path):
    snapshot = data.current_snapshot()
    sneaky = ["x' or 1=1 --", "Paid Search') or ('1'='1"]
    df = data.channel_performance(snapshot, *WINDOW, "first_touch' or '1'='1", sneaky)
    assert df.empty
    df = data.channel_performance(snapshot, *WINDOW, "first_touch", sneaky, "total")
    assert df.iloc[0]["cost"] == 0


def test_snapshot_is_read_only(serving_path):
    snapshot = data.current_snapshot()
    con = data._connection(*snapshot)
    with pytest.raises(duckdb.Error):
        con.execute("create table serving.main.oops (a integer)")


def test_new_snapshot_is_picked_up(serving_path, fx):
    before = data.current_snapshot()
    old = data.channel_performance(before, *WINDOW, "first_touch", level="total")
    rows = [{**r, "cost": r["cost"] * 2} for r in fx.channel_rows()]
    fx.write_serving(serving_path, rows)  # atomic rename, as the publisher does
    after = data.current_snapshot()
    assert after != before
    new = data.channel_performance(after, *WINDOW, "first_touch", level="total")
    assert old.iloc[0]["cost"] == pytest.approx(6750.00)
    assert new.iloc[0]["cost"] == pytest.approx(13500.00)


# --- funnel -----------------------------------------------------------------------------------


def test_funnel(serving_path, expected):
    snapshot = data.current_snapshot()
    df = data.funnel(snapshot, *WINDOW, "first_touch")
    assert set(df["channel"]) == {"Paid Search", "Paid Social", "Organic Search", "(none)"}
    for channel in df["channel"]:
        want = expected(*WINDOW, "first_touch", [channel])
        row = _one(df, channel=channel)
        for measure in ("visits", "leads", "deals_won", "revenue"):
            assert row[measure] == pytest.approx(want[measure]), (channel, measure)
    picked = data.funnel(snapshot, *WINDOW, "last_touch", ["Organic Search", "Paid Social"])
    assert sorted(picked["channel"]) == ["Organic Search", "Paid Social"]
    assert picked["leads"].sum() == pytest.approx(30)


def test_trend_by_day_matches_the_fixture(serving_path, expected):
    snapshot = data.current_snapshot()
    df = data.trend(snapshot, *WINDOW, "first_touch")
    assert [str(d)[:10] for d in df["period"]][:2] == [
        "2025-01-02",
        "2025-01-03",
    ]
    assert len(df) == 30
    want = expected(*WINDOW, "first_touch")
    for measure in ("cost", "revenue", "leads"):
        assert df[measure].sum() == pytest.approx(want[measure]), measure
    day = expected(LAST_DAY, LAST_DAY, "last_touch", ["Paid Search"])
    last = data.trend(snapshot, LAST_DAY, LAST_DAY, "last_touch", ["Paid Search"]).iloc[0]
    assert (last["cost"], last["revenue"], last["leads"]) == (
        day["cost"],
        day["revenue"],
        day["leads"],
    )


def test_trend_fills_days_without_rows_with_zeros(serving_path):
    snapshot = data.current_snapshot()
    after = (LAST_DAY + dt.timedelta(days=1), LAST_DAY + dt.timedelta(days=3))
    df = data.trend(snapshot, *after, "first_touch")
    assert len(df) == 3
    assert df[["cost", "revenue", "leads"]].to_numpy().sum() == 0


def test_trend_by_week_starts_on_monday(serving_path, expected):
    snapshot = data.current_snapshot()
    df = data.trend(snapshot, *WINDOW, "first_touch", grain="week")
    assert [str(d)[:10] for d in df["period"]] == [
        "2024-12-30",
        "2025-01-06",
        "2025-01-13",
        "2025-01-20",
        "2025-01-27",
    ]
    first_week = expected(dt.date(2025, 1, 2), dt.date(2025, 1, 5), "first_touch")
    assert df.iloc[0]["cost"] == pytest.approx(first_week["cost"])  # only the days in range
    assert df["cost"].sum() == pytest.approx(6750)


def test_funnel_rates():
    df = pd.DataFrame(
        {
            "channel": ["a", "no leads", "no visits"],
            "visits": [1000, 50, 0],
            "leads": [50.0, 0.0, 10.0],
            "deals_won": [5.0, 0.0, 2.0],
        }
    )
    out = metrics.with_funnel_rates(df).set_index("channel")
    assert out.loc["a", "cr_visit_lead"] == pytest.approx(0.05)
    assert out.loc["a", "cr_lead_won"] == pytest.approx(0.1)
    assert out.loc["a", "drop_visit_lead"] == 950
    assert out.loc["a", "drop_visit_lead_share"] == pytest.approx(0.95)
    assert out.loc["a", "drop_lead_won"] == 45
    assert out.loc["no leads", "cr_visit_lead"] == 0
    assert math.isnan(out.loc["no leads", "cr_lead_won"])
    assert math.isnan(out.loc["no leads", "drop_lead_won_share"])
    assert math.isnan(out.loc["no visits", "cr_visit_lead"])
    assert math.isnan(out.loc["no visits", "drop_visit_lead"])


# --- metric math --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "args", "want"),
    [
        (metrics.cpl, (1000, 4), 250.0),
        (metrics.cpl, (1000, 0), None),
        (metrics.cpl, (0, 5), 0.0),
        (metrics.cac, (1000, 2.5), 400.0),
        (metrics.cac, (1000, 0.0), None),
        (metrics.roi, (3000, 1000), 2.0),
        (metrics.roi, (0, 600), -1.0),
        (metrics.roi, (7500, 0), None),
        (metrics.romi, (3000, 1200, 1000), 0.8),
        (metrics.romi, (3000, 1200, 0), None),
        (metrics.ctr, (50, 1000), 0.05),
        (metrics.ctr, (0, 0), None),
        (metrics.cpc, (100, 0), None),
        (metrics.cr_visit_lead, (5, 0), None),
        (metrics.cr_lead_won, (1, 4), 0.25),
        (metrics.aov, (1000, 0), None),
        (metrics.drr, (2250, 10000), 0.225),  # ДРР = cost / revenue
        (metrics.drr, (600, 0), None),  # no revenue: "—"
        (metrics.drr, (0, 7500), 0.0),
        (metrics.ratio, (None, 1), None),
        (metrics.ratio, (1, float("nan")), None),
        (metrics.roi, (Decimal("1500.75"), Decimal("500.25")), pytest.approx(2.0)),
    ],
)
def test_ratios(func, args, want):
    assert func(*args) == want


def test_with_ratios_nulls_zero_denominators():
    df = pd.DataFrame(
        {
            "channel": ["paid", "free", "no leads"],
            "cost": [1000.0, 0.0, 600.0],
            "leads": [4.0, 45.0, 0.0],
            "deals_won": [2.0, 7.5, 0.0],
            "revenue": [3000.0, 7500.0, 0.0],
            "cost_of_goods": [1200.0, 3000.0, 0.0],
        }
    )
    out = metrics.with_ratios(df).set_index("channel")
    assert out.loc["paid", ["cpl", "cac", "roi", "romi"]].tolist() == [250, 500, 2.0, 0.8]
    assert out.loc["free", "cpl"] == 0
    assert out.loc["free", ["roi", "romi"]].isna().all()
    assert out.loc["no leads", ["cpl", "cac"]].isna().all()
    assert out.loc["no leads", "roi"] == -1
    assert out.loc["paid", "drr"] == pytest.approx(1 / 3)
    assert out.loc["free", "drr"] == 0
    assert math.isnan(out.loc["no leads", "drr"])  # no revenue


def test_formatting():
    assert metrics.fmt_money(6750, "RUB") == "6,750 RUB"
    assert metrics.fmt_money(None, "RUB") == "—"
    assert metrics.fmt_count(180.0) == "180"
    assert metrics.fmt_count(112.5) == "112.5"
    assert metrics.fmt_count(float("nan")) == "—"
    assert metrics.fmt_pct(3.444444) == "344.4%"
    assert metrics.fmt_pct(None) == "—"
    assert metrics.fmt_kpi(6750.0) == "6,750"
    assert metrics.fmt_kpi(22.5) == "22.5"
    assert metrics.fmt_kpi(1_234_567.0) == "1.23M"
    assert metrics.fmt_kpi(None) == "—"


# --- model comparison -------------------------------------------------------------------------

BOTH_MONTHS = (FIRST_DAY, LAST_DAY)  # December 2024 (9 days) and January 2025 (31 days)
CHANNEL_ORDER = ["Paid Search", "Paid Social", "Organic Search", "(none)"]


def test_month_span():
    assert data.month_span(dt.date(2025, 1, 2), LAST_DAY) == (dt.date(2025, 1, 1),) * 2
    assert data.month_span(dt.date(2024, 12, 31), dt.date(2025, 1, 1)) == (
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
    )


def test_model_tables_present(serving_path):
    snapshot = data.current_snapshot()
    assert data.has_table(snapshot, data.COMPARISON_TABLE)
    assert data.has_table(snapshot, data.ACCURACY_TABLE)
    assert not data.has_table(snapshot, "no_such_table")


def test_older_snapshot_lacks_the_model_tables(serving_path, fx):
    fx.write_serving(serving_path, fx.channel_rows(), model_tables=False)
    snapshot = data.current_snapshot()
    assert data.has_table(snapshot, "fct_channel_daily")
    assert not data.has_table(snapshot, data.COMPARISON_TABLE)
    assert not data.has_table(snapshot, data.ACCURACY_TABLE)


def test_model_credit_pivot_default_window(serving_path):
    """The default window (Jan 2 … Jan 31) overlaps January only: the whole month counts."""
    credit = data.model_credit(data.current_snapshot(), *WINDOW)
    assert len(credit) == 8  # 4 channels × 2 models
    leads = metrics.credit_by_model(credit, "leads", ["first_touch", "last_touch"])
    assert list(leads.columns) == ["channel", "first_touch", "last_touch"]
    assert list(leads["channel"]) == [*CHANNEL_ORDER, metrics.TOTAL_ROW]
    assert leads.set_index("channel").to_dict("index") == {
        "Paid Search": {"first_touch": 108.5, "last_touch": 124.0},
        "Paid Social": {"first_touch": 0.0, "last_touch": 0.0},
        "Organic Search": {"first_touch": 46.5, "last_touch": 31.0},
        "(none)": {"first_touch": 31.0, "last_touch": 31.0},
        "Total": {"first_touch": 186.0, "last_touch": 186.0},
    }
    won = metrics.credit_by_model(credit, "deals_won", ["first_touch", "last_touch"])
    assert list(won["first_touch"]) == [23.25, 0, 7.75, 0, 31]
    assert list(won["last_touch"]) == [31, 0, 0, 0, 31]
    revenue = metrics.credit_by_model(credit, "revenue", ["last_touch", "first_touch"])
    assert list(revenue.columns) == ["channel", "last_touch", "first_touch"]
    assert list(revenue["first_touch"]) == [23250, 0, 7750, 0, 31000]
    assert list(revenue["last_touch"]) == [31000, 0, 0, 0, 31000]
    for measure in data.COMPARISON_MEASURES:  # conservation: every model, the same total
        assert metrics.is_conserved(metrics.model_totals(credit, measure), measure)
    paid = _one(credit, channel="Paid Search", attribution_model="last_touch")
    assert paid["cost"] == pytest.approx(6339.50)  # 31 × 180.5 + (9 + … + 39)


def test_model_credit_matches_the_daily_mart_over_whole_months(serving_path):
    snapshot = data.current_snapshot()
    credit = data.model_credit(snapshot, *BOTH_MONTHS)
    for model in ("first_touch", "last_touch"):
        daily = data.channel_performance(snapshot, *BOTH_MONTHS, model).set_index("channel")
        monthly = credit[credit["attribution_model"] == model].set_index("channel")
        assert list(monthly.index) == CHANNEL_ORDER  # by cost, then revenue over all models
        for measure in ("cost", *data.COMPARISON_MEASURES):
            want = daily.loc[CHANNEL_ORDER, measure]
            assert list(monthly[measure]) == pytest.approx(list(want)), measure
    totals = metrics.model_totals(credit, "leads")
    assert totals.to_dict() == {"first_touch": 240.0, "last_touch": 240.0}
    # a single day picks its whole month
    one_day = data.model_credit(snapshot, dt.date(2024, 12, 31), dt.date(2024, 12, 31))
    assert metrics.model_totals(one_day, "revenue").to_dict() == {
        "first_touch": 9000.0,
        "last_touch": 9000.0,
    }


def test_model_credit_channel_filter(serving_path):
    credit = data.model_credit(data.current_snapshot(), *WINDOW, ["Organic Search", "(none)"])
    assert list(dict.fromkeys(credit["channel"])) == ["Organic Search", "(none)"]
    assert metrics.model_totals(credit, "leads").to_dict() == {
        "first_touch": 77.5,
        "last_touch": 62.0,
    }


def test_budget_shift_over_two_months(serving_path):
    """Shares of the two months' sums: Paid Search has 8,000 of 8,800 cost (10/11) — not the
    average of its December (1,660.5 / 1,840.5) and January (6,339.5 / 6,959.5) shares."""
    snapshot = data.current_snapshot()
    first = metrics.with_budget_shift(data.budget_shift(snapshot, *BOTH_MONTHS, "first_touch"))
    assert list(first["channel"]) == ["Paid Search", "Paid Social", "Organic Search", "(none)"]
    rows = first.set_index("channel")
    assert list(rows["cost"]) == [8000.0, 800.0, 0.0, 0.0]
    assert list(rows["revenue"]) == [30000.0, 0.0, 10000.0, 0.0]
    assert list(rows["cost_share"]) == pytest.approx([10 / 11, 1 / 11, 0, 0])
    assert list(rows["revenue_share"]) == pytest.approx([0.75, 0, 0.25, 0])
    assert list(rows["shift_pp"]) == pytest.approx(
        [75 - 1000 / 11, -100 / 11, 25, 0]  # -15.91, -9.09, +25.00, 0 pp
    )
    monthly_average = (1660.5 / 1840.5 + 6339.5 / 6959.5) / 2
    assert rows.loc["Paid Search", "cost_share"] != pytest.approx(monthly_average, abs=1e-4)
    assert rows.loc["Organic Search", "cost_share"] == 0  # zero cost: share 0, not NULL

    last = metrics.with_budget_shift(data.budget_shift(snapshot, *BOTH_MONTHS, "last_touch"))
    rows = last.set_index("channel")
    assert list(rows["cost_share"]) == pytest.approx([10 / 11, 1 / 11, 0, 0])
    assert list(rows["revenue_share"]) == pytest.approx([1, 0, 0, 0])
    assert rows.loc["Paid Search", "shift_pp"] == pytest.approx(100 / 11)  # +9.09 pp


def test_budget_shift_channel_filter_keeps_shares_of_all_channels(serving_path):
    df = data.budget_shift(data.current_snapshot(), *BOTH_MONTHS, "first_touch", ["Organic Search"])
    assert len(df) == 1
    row = df.iloc[0]
    assert (row["channel"], row["cost_share"], row["revenue_share"]) == ("Organic Search", 0, 0.25)


def test_budget_shift_zero_totals_are_null(serving_path, fx):
    rows = [{**r, "revenue": 0, "cost_of_goods": 0, "gross_profit": 0} for r in fx.channel_rows()]
    fx.write_serving(serving_path, rows)
    df = metrics.with_budget_shift(
        data.budget_shift(data.current_snapshot(), *BOTH_MONTHS, "first_touch")
    )
    assert df["revenue_share"].isna().all()  # no revenue at all: "—", not 0
    assert df["shift_pp"].isna().all()
    assert df["cost_share"].sum() == pytest.approx(1)
    rows = [{**r, "cost": 0} for r in fx.channel_rows()]
    fx.write_serving(serving_path, rows)
    df = data.budget_shift(data.current_snapshot(), *BOTH_MONTHS, "first_touch")
    assert df["cost_share"].isna().all()
    assert df["revenue_share"].sum() == pytest.approx(1)


def test_budget_shift_parameters_are_bound(serving_path):
    snapshot = data.current_snapshot()
    assert data.budget_shift(snapshot, *BOTH_MONTHS, "first_touch' or '1'='1").empty
    assert data.model_accuracy(snapshot, "x' or 1=1 --").empty


def test_misallocation_per_model(serving_path):
    df = data.model_misallocation(data.current_snapshot())
    assert list(df["attribution_model"]) == ["first_touch", "last_touch"]  # best first
    # first_touch: (|.45-.55| + |.35-.30| + |.05-.15| + |.15-0|) / 2 = 0.20
    # last_touch:  (|.65-.55| + |.20-.30| + |0-.15|   + |.15-0|) / 2 = 0.25
    assert list(df["misallocated_share"]) == pytest.approx([0.20, 0.25])
    assert list(df["deals"]) == [200, 200]


def test_accuracy_per_channel(serving_path):
    df = data.model_accuracy(data.current_snapshot(), "last_touch")
    assert list(df["channel"]) == ["Paid Search", "Organic Search", "Paid Social", "(none)"]
    assert list(df["planted_leads"]) == [110, 60, 30, 0]
    assert list(df["credited_leads"]) == [130, 40, 0, 30]
    assert list(df["planted_share"]) == pytest.approx([0.55, 0.30, 0.15, 0])
    assert list(df["credited_share"]) == pytest.approx([0.65, 0.20, 0, 0.15])
    assert list(df["share_error"]) == pytest.approx([0.10, -0.10, -0.15, 0.15])


def test_empty_accuracy_table(serving_path, fx):
    fx.write_serving(serving_path, fx.channel_rows(), accuracy=())
    snapshot = data.current_snapshot()
    assert data.has_table(snapshot, data.ACCURACY_TABLE)
    assert data.model_misallocation(snapshot).empty
    assert data.model_accuracy(snapshot, "first_touch").empty


def test_model_order_follows_publish_meta():
    preferred = ("markov", "first_touch", "last_touch")
    assert metrics.model_order(["last_touch", "markov"], preferred) == ["markov", "last_touch"]
    assert metrics.model_order(["zeta", "linear", "markov"], preferred) == [
        "markov",
        "linear",
        "zeta",
    ]


def test_credit_by_model_fills_missing_cells_and_adds_a_total():
    long = pd.DataFrame(
        {
            "channel": ["Email", "Email", "Direct"],
            "attribution_model": ["linear", "markov", "linear"],
            "leads": [2.5, 3.0, 1.5],
        }
    )
    wide = metrics.credit_by_model(long, "leads", ["markov", "linear"])
    assert wide.to_dict("list") == {
        "channel": ["Email", "Direct", "Total"],
        "markov": [3.0, 0.0, 3.0],
        "linear": [2.5, 1.5, 4.0],
    }
    empty = metrics.credit_by_model(long.iloc[0:0], "leads", ["markov"])
    assert list(empty.columns) == ["channel", "markov"] and empty.empty


def test_conservation_tolerance():
    totals = pd.Series({"a": 31000.0, "b": 31000.004})
    assert metrics.is_conserved(totals, "revenue")  # within a kopeck
    assert not metrics.is_conserved(pd.Series({"a": 31000.0, "b": 31000.02}), "revenue")
    assert metrics.is_conserved(pd.Series({"a": 186.0, "b": 186.0 + 1e-9}), "leads")
    assert not metrics.is_conserved(pd.Series({"a": 186.0, "b": 185.5}), "leads")
    assert metrics.is_conserved(pd.Series(dtype="float64"), "leads")


def test_budget_shift_math():
    df = pd.DataFrame({"cost_share": [0.5, 0.0, 0.25], "revenue_share": [0.25, 0.5, float("nan")]})
    shift = metrics.with_budget_shift(df)["shift_pp"]
    assert list(shift[:2]) == [-25.0, 50.0]
    assert math.isnan(shift[2])
