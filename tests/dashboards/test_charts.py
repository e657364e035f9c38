"""Figure builders: traces and values, without Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import charts, metrics

BY_CHANNEL = pd.DataFrame(
    {
        "channel": ["Paid Search", "Paid Social", "Organic Search", "(none)"],
        "cost": [6150.0, 600.0, 0.0, 0.0],
        "revenue": [22500.0, 0.0, 7500.0, 0.0],
        "leads": [105.0, 0.0, 45.0, 30.0],
        "visits": [1890, 750, 1800, 0],
        "deals_won": [22.5, 0.0, 7.5, 0.0],
    }
)


def test_channel_colors_are_stable_and_distinct():
    names = ["Paid Search", "Direct", "Email", "(none)"]
    colors = charts.channel_colors(names)
    assert colors == charts.channel_colors(reversed(names))
    assert len(set(colors.values())) == len(names)


def test_scatter_one_bubble_per_channel_and_break_even_line():
    colors = charts.channel_colors(BY_CHANNEL["channel"])
    fig = charts.cost_revenue_scatter(BY_CHANNEL, "RUB", colors)
    assert isinstance(fig, go.Figure)
    bubbles = [t for t in fig.data if t.mode == "markers"]
    assert [t.name for t in bubbles] == list(BY_CHANNEL["channel"])
    paid = bubbles[0]
    assert (paid.x[0], paid.y[0], paid.customdata[0][0]) == (6150.0, 22500.0, 105.0)
    sizes = {t.name: t.marker.size[0] for t in bubbles}
    assert sizes["Paid Search"] == charts.MAX_BUBBLE_PX  # the most leads
    assert sizes["Paid Social"] == charts.MIN_BUBBLE_PX  # no leads, still visible
    assert sizes["Paid Social"] < sizes["(none)"] < sizes["Organic Search"] < sizes["Paid Search"]
    assert paid.marker.color == colors["Paid Search"]
    assert "RUB" in paid.hovertemplate
    line = fig.data[-1]
    assert line.mode == "lines" and line.x[0] == line.y[0] == 0
    assert line.x[1] == line.y[1] >= 22500
    assert fig.layout.xaxis.title.text == "Cost, RUB"
    assert fig.layout.yaxis.title.text == "Revenue, RUB"


def test_bars_cost_and_revenue():
    fig = charts.cost_revenue_bars(BY_CHANNEL, "RUB")
    assert [t.name for t in fig.data] == ["Cost", "Revenue"]
    assert all(isinstance(t, go.Bar) for t in fig.data)
    assert list(fig.data[0].x) == list(BY_CHANNEL["channel"])
    assert list(fig.data[0].y) == [6150.0, 600.0, 0.0, 0.0]
    assert list(fig.data[1].y) == [22500.0, 0.0, 7500.0, 0.0]
    assert fig.layout.barmode == "group"


def test_funnel_sums_the_selected_channels():
    fig = charts.funnel_chart(BY_CHANNEL)
    assert len(fig.data) == 1
    funnel = fig.data[0]
    assert isinstance(funnel, go.Funnel)
    assert list(funnel.y) == ["Visits", "Leads", "Won"]
    assert list(funnel.x) == [4440.0, 180.0, 30.0]
    only_paid = charts.funnel_chart(BY_CHANNEL[BY_CHANNEL["channel"] == "Paid Search"])
    assert list(only_paid.data[0].x) == [1890.0, 105.0, 22.5]


def test_conversion_bars_leave_null_rates_empty():
    fig = charts.conversion_bars(metrics.with_funnel_rates(BY_CHANNEL))
    visit_lead, lead_won = fig.data
    assert (visit_lead.name, lead_won.name) == ("Visit → lead", "Lead → won")
    assert visit_lead.y[0] == pytest.approx(105 / 1890)
    assert lead_won.y[0] == pytest.approx(22.5 / 105)
    assert math.isnan(lead_won.y[1])  # Paid Social: no leads → no lead → won rate
    assert math.isnan(visit_lead.y[3])  # (none): no visits → no visit → lead rate


# --- model comparison ---------------------------------------------------------------------------

MODELS = ["last_touch", "first_touch"]  # publish_meta order, not alphabetical
LABELS = {"first_touch": "First touch", "last_touch": "Last touch"}
CREDIT = pd.DataFrame(
    {
        "channel": ["Paid Search", "Paid Social", "Organic Search", "(none)"],
        "first_touch": [108.5, 0.0, 46.5, 31.0],
        "last_touch": [124.0, 0.0, 31.0, 31.0],
    }
)
SHIFT = pd.DataFrame(
    {
        "channel": ["Paid Search", "Paid Social", "Organic Search", "(none)"],
        "cost_share": [10 / 11, 1 / 11, 0.0, 0.0],
        "revenue_share": [0.75, 0.0, 0.25, float("nan")],
        "shift_pp": [75 - 1000 / 11, -100 / 11, 25.0, float("nan")],
    }
)
MISALLOCATION = pd.DataFrame(
    {"attribution_model": ["first_touch", "last_touch"], "misallocated_share": [0.20, 0.25]}
)


def test_model_colors_follow_the_model_order():
    colors = charts.model_colors(MODELS)
    assert list(colors) == MODELS
    assert colors["last_touch"] == charts.MODEL_PALETTE[0]
    assert len(set(colors.values())) == len(MODELS)


def test_model_credit_bars_one_trace_per_model():
    colors = charts.model_colors(MODELS)
    fig = charts.model_credit_bars(CREDIT, MODELS, "Leads", LABELS, colors)
    assert [t.name for t in fig.data] == ["Last touch", "First touch"]
    assert all(isinstance(t, go.Bar) for t in fig.data)
    last, first = fig.data
    assert list(last.x) == list(CREDIT["channel"])
    assert list(last.y) == [124.0, 0.0, 31.0, 31.0]
    assert list(first.y) == [108.5, 0.0, 46.5, 31.0]
    assert sum(last.y) == sum(first.y) == 186.0  # the same total, split differently
    assert (last.marker.color, first.marker.color) == (colors["last_touch"], colors["first_touch"])
    assert "First touch" in first.hovertemplate
    assert fig.layout.barmode == "group"
    assert fig.layout.title.text == "Leads by channel under each model"
    unlabelled = charts.model_credit_bars(CREDIT, ["first_touch"], "Won")
    assert [t.name for t in unlabelled.data] == ["first_touch"]


def test_budget_shift_bars_diverge_around_zero():
    fig = charts.budget_shift_bars(SHIFT, "First touch")
    [bars] = fig.data
    assert bars.orientation == "h"
    assert list(bars.y) == list(SHIFT["channel"])
    assert list(bars.x[:3]) == pytest.approx([-15.909, -9.091, 25.0], abs=1e-3)
    assert math.isnan(bars.x[3])  # no revenue share: no bar
    assert list(bars.marker.color) == [
        charts.LOSS_COLOR,
        charts.LOSS_COLOR,
        charts.GAIN_COLOR,
        charts.LOSS_COLOR,
    ]
    assert bars.customdata[0][0] == pytest.approx(10 / 11)  # cost share in the hover
    assert bars.customdata[2][1] == pytest.approx(0.25)  # revenue share
    low, high = fig.layout.xaxis.range
    assert low == -high and high == pytest.approx(25 * 1.15)  # symmetric: 0 in the middle
    assert fig.layout.xaxis.zeroline
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.height == 140 + 44 * 4  # grows with the channels
    assert "First touch" in fig.layout.title.text


def test_misallocation_bars_best_first():
    colors = charts.model_colors(MODELS)
    fig = charts.misallocation_bars(MISALLOCATION, LABELS, colors)
    [bars] = fig.data
    assert list(bars.x) == ["First touch", "Last touch"]
    assert list(bars.y) == [0.20, 0.25]
    assert list(bars.marker.color) == [colors["first_touch"], colors["last_touch"]]
    assert bars.texttemplate == "%{y:.1%}"
    assert fig.layout.yaxis.tickformat == ".0%"


@pytest.mark.parametrize(
    ("build", "frame"),
    [
        (lambda df: charts.cost_revenue_scatter(df, "RUB"), BY_CHANNEL),
        (lambda df: charts.cost_revenue_bars(df, "RUB"), BY_CHANNEL),
        (charts.funnel_chart, BY_CHANNEL),
        (lambda df: charts.conversion_bars(metrics.with_funnel_rates(df)), BY_CHANNEL),
        (lambda df: charts.model_credit_bars(df, MODELS, "Leads", LABELS), CREDIT),
        (lambda df: charts.budget_shift_bars(df, "First touch"), SHIFT),
        (lambda df: charts.misallocation_bars(df, LABELS), MISALLOCATION),
    ],
)
def test_empty_frames_give_an_empty_figure_with_a_note(build, frame):
    fig = build(frame.iloc[0:0])
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No data for these filters"


# --- trend lines and languages ------------------------------------------------------------------

TREND = pd.DataFrame(
    {
        "period": pd.to_datetime(["2025-01-29", "2025-01-30", "2025-01-31"]).date,
        "cost": [237.5, 238.5, 239.5],
        "revenue": [1000.0, 0.0, 1000.0],
        "leads": [6.0, 5.5, 6.0],
    }
)


def test_trend_lines_money_on_top_leads_below():
    fig = charts.trend_lines(TREND, "RUB")
    assert [t.name for t in fig.data] == ["Cost", "Revenue", "Leads"]
    cost, revenue, leads = fig.data
    assert list(cost.y) == [237.5, 238.5, 239.5]
    assert list(revenue.y) == [1000.0, 0.0, 1000.0]
    assert list(leads.y) == [6.0, 5.5, 6.0]
    assert [str(x)[:10] for x in cost.x] == ["2025-01-29", "2025-01-30", "2025-01-31"]
    assert (cost.yaxis, revenue.yaxis, leads.yaxis) == ("y", "y", "y2")  # two panels, one x
    assert cost.line.color == charts.COST_COLOR and revenue.line.color == charts.REVENUE_COLOR
    assert "RUB" in cost.hovertemplate and "RUB" not in leads.hovertemplate
    assert fig.layout.yaxis.title.text == "RUB"
    assert fig.layout.yaxis2.title.text == "Leads"
    assert fig.layout.title.text == "Trend: cost, revenue and leads by day"
    assert fig.layout.hovermode == "x unified"
    assert fig.layout.separators == ".,"


def test_trend_lines_by_week_in_russian():
    fig = charts.trend_lines(TREND, "RUB", grain="week", lang="ru")
    assert [t.name for t in fig.data] == ["Расход", "Выручка", "Лиды"]
    assert fig.layout.title.text == "Динамика: расход, выручка и лиды по неделям"
    assert fig.layout.yaxis2.title.text == "Лиды"
    assert fig.layout.separators == ",\u00a0"  # 1 234,5 on the axes
    assert fig.layout.xaxis.hoverformat == "%d.%m.%Y"


def test_trend_lines_empty():
    fig = charts.trend_lines(TREND.iloc[0:0], "RUB", lang="ru")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Нет данных для этих фильтров"


@pytest.mark.parametrize(
    ("build", "english", "russian"),
    [
        (lambda lang: charts.cost_revenue_scatter(BY_CHANNEL, "RUB", lang=lang), "Cost", "Расход"),
        (lambda lang: charts.cost_revenue_bars(BY_CHANNEL, "RUB", lang=lang), "Cost", "Расход"),
        (lambda lang: charts.funnel_chart(BY_CHANNEL, lang), "Visits", "Визиты"),
        (
            lambda lang: charts.conversion_bars(metrics.with_funnel_rates(BY_CHANNEL), lang),
            "Visit → lead",
            "Визит → лид",
        ),
        (
            lambda lang: charts.model_credit_bars(CREDIT, MODELS, "Leads", LABELS, lang=lang),
            "by channel under each model",
            "по каналам в каждой модели",
        ),
        (
            lambda lang: charts.budget_shift_bars(SHIFT, "First touch", lang),
            "Percentage points",
            "Процентные пункты",
        ),
        (
            lambda lang: charts.misallocation_bars(MISALLOCATION, LABELS, lang=lang),
            "lower is better",
            "меньше — лучше",
        ),
    ],
)
def test_existing_charts_speak_both_languages(build, english, russian):
    en, ru = build("en"), build("ru")
    assert english in en.to_json() and english not in ru.to_json()
    assert russian in ru.to_json()
    assert ru.layout.separators == ",\u00a0"
    assert en.layout.title.text != ru.layout.title.text
