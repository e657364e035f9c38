"""The Funnel page's pure parts: step math (data_funnel) and figure builders (charts_funnel)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import charts_funnel, data_funnel

TOTAL = "Total"


def _stages(rows: list[tuple]) -> pd.DataFrame:
    """``stage_counts`` rows: channel, stage_kind, stage, step_order, deals, without history."""
    return pd.DataFrame(
        rows,
        columns=["channel", "stage_kind", "stage", "step_order", "deals", "deals_without_history"],
    )


VISITS = pd.DataFrame({"channel": ["Email", "Paid Search", "Display"], "visits": [100, 50, 40]})
STAGES = _stages(
    [
        ("Email", "lead", "lead", 1, 10.0, 2.0),
        ("Email", "stage", "qualified", 2, 6.0, 0.0),
        ("Email", "won", "won", 3, 3.0, 1.0),
        ("Paid Search", "lead", "lead", 1, 4.0, 0.0),
        ("Paid Search", "won", "won", 3, 0.0, 0.0),  # no row for qualified: it counts 0
        ("(none)", "lead", "lead", 1, 2.0, 2.0),
        ("(none)", "stage", "qualified", 2, 1.0, 0.0),
        ("(none)", "won", "won", 3, 1.0, 0.0),
    ]
)
PREVIOUS_STAGES = _stages(
    [
        ("Email", "lead", "lead", 1, 10.0, 0.0),
        ("Email", "stage", "qualified", 2, 5.0, 0.0),
        ("Email", "stage", "archived", 3, 5.0, 0.0),  # a stage this period lacks: left out
        ("Email", "won", "won", 4, 4.0, 0.0),
    ]
)
PREVIOUS_VISITS = pd.DataFrame({"channel": ["Email"], "visits": [200]})


def _rows(table: pd.DataFrame, channel: str) -> pd.DataFrame:
    return table[table["channel"] == channel].set_index("stage")


# --- step math ----------------------------------------------------------------------------------


def test_channels_by_leads_then_visits_then_name():
    assert data_funnel.channel_order(VISITS, STAGES) == [
        "Email",
        "Paid Search",
        "(none)",
        "Display",
    ]
    nothing = VISITS.assign(visits=0)
    assert data_funnel.channel_order(nothing, STAGES.iloc[:0]) == []


def test_step_list_puts_visits_and_leads_first_and_won_last():
    steps = data_funnel.step_list(STAGES)
    assert list(steps["stage"]) == ["visit", "lead", "qualified", "won"]
    assert list(steps["stage_kind"]) == ["visit", "lead", "stage", "won"]


def test_counts_fill_every_step_for_every_channel():
    df = data_funnel.counts(VISITS, STAGES, ["Paid Search", "Display"])
    paid = df[df["channel"] == "Paid Search"]
    assert list(paid["deals"]) == [50, 4, 0, 0]
    assert list(df[df["channel"] == "Display"]["deals"]) == [40, 0, 0, 0]


def test_conversion_drop_off_and_undefined_steps():
    table = data_funnel.funnel_table(VISITS, STAGES, TOTAL)
    email = _rows(table, "Email")
    assert email.loc["lead", "conversion"] == pytest.approx(0.1)
    assert email.loc["qualified", "conversion"] == pytest.approx(0.6)
    assert email.loc["won", "conversion"] == pytest.approx(0.5)
    assert (email.loc["qualified", "drop_off"], email.loc["won", "drop_off"]) == (4, 3)
    assert email.loc["won", "drop_off_share"] == pytest.approx(0.5)
    assert math.isnan(email.loc["visit", "conversion"])  # nothing before the first step
    paid = _rows(table, "Paid Search")
    assert paid.loc["qualified", "conversion"] == 0
    # nothing reached qualified: qualified → won is undefined, not 0
    assert paid.loc["won", ["conversion", "drop_off", "drop_off_share"]].isna().all()
    none = _rows(table, "(none)")  # leads without visits: visit → lead is undefined
    assert none.loc["lead", ["conversion", "drop_off"]].isna().all()
    assert list(_rows(table, "Display")["deals"]) == [40, 0, 0, 0]
    assert list(_rows(table, "Display")["conversion"].iloc[1:2]) == [0]


def test_total_comes_first_and_adds_up_the_channels():
    table = data_funnel.funnel_table(VISITS, STAGES, TOTAL)
    assert list(dict.fromkeys(table["channel"])) == [
        TOTAL,
        "Email",
        "Paid Search",
        "(none)",
        "Display",
    ]
    total = _rows(table, TOTAL)
    assert list(total["deals"]) == [190, 16, 7, 4]
    assert total.loc["won", "conversion"] == pytest.approx(4 / 7)
    assert list(table.columns) == [
        *data_funnel.STEP_COLUMNS,
        "conversion_prev",
        "change_pp",
    ]


def test_change_in_pp_on_this_periods_steps():
    table = data_funnel.funnel_table(
        VISITS, STAGES, TOTAL, previous=(PREVIOUS_VISITS, PREVIOUS_STAGES)
    )
    assert "archived" not in set(table["stage"])
    email = _rows(table, "Email")
    assert email.loc["lead", "conversion_prev"] == pytest.approx(0.05)
    assert email.loc["lead", "change_pp"] == pytest.approx(5.0)  # 10% vs 5%
    assert email.loc["qualified", "change_pp"] == pytest.approx(10.0)  # 60% vs 50%
    assert email.loc["won", "change_pp"] == pytest.approx(-30.0)  # 50% vs 80%
    # Paid Search had nothing before: its conversions then are undefined, so is the change
    paid = _rows(table, "Paid Search")
    assert paid.loc[["lead", "qualified"], ["conversion_prev", "change_pp"]].isna().all().all()
    assert paid.loc["lead", "conversion"] == pytest.approx(4 / 50)


def test_no_previous_period_leaves_the_change_undefined():
    table = data_funnel.funnel_table(VISITS, STAGES, TOTAL, previous=None)
    assert table[["conversion_prev", "change_pp"]].isna().all().all()


def test_empty_funnel():
    table = data_funnel.funnel_table(VISITS.iloc[:0], STAGES.iloc[:0], TOTAL)
    assert table.empty
    assert list(table.columns) == [*data_funnel.STEP_COLUMNS, "conversion_prev", "change_pp"]


def test_share_without_history():
    assert data_funnel.without_history_share(STAGES) == pytest.approx(4 / 16)
    assert data_funnel.without_history_share(STAGES.iloc[:0]) is None


# --- charts -------------------------------------------------------------------------------------


def _one(channel: str = "Email", previous: bool = True) -> pd.DataFrame:
    prev = (PREVIOUS_VISITS, PREVIOUS_STAGES) if previous else None
    table = data_funnel.funnel_table(VISITS, STAGES, TOTAL, previous=prev)
    return data_funnel.one_channel(table, channel)


def test_step_labels():
    assert charts_funnel.step_label("lead", "lead") == "Leads"
    assert charts_funnel.step_label("won", "won", "ru") == "Продажи"
    assert charts_funnel.step_label("stage", "Переговоры", "ru") == "Переговоры"
    assert charts_funnel.transition_labels(_one()) == [
        "Visits → Leads",
        "Leads → qualified",
        "qualified → Won",
    ]


def test_stage_funnel():
    fig = charts_funnel.stage_funnel(_one(), "Email")
    [funnel] = fig.data
    assert isinstance(funnel, go.Funnel)
    assert list(funnel.y) == ["Visits", "Leads", "qualified", "Won"]
    assert list(funnel.x) == [100, 10, 6, 3]
    assert list(funnel.marker.color) == ["#636EFA", "#AB63FA", "#7F8FA6", "#00CC96"]
    assert "percentPrevious" not in funnel.texttemplate[0]  # the first step has no step before
    assert all("percentPrevious" in text for text in funnel.texttemplate[1:])
    assert fig.layout.title.text == "Funnel: Email"
    without_visits = charts_funnel.stage_funnel(_one(), "Email", include_visits=False)
    assert list(without_visits.data[0].y) == ["Leads", "qualified", "Won"]


def test_stage_funnel_in_russian_and_empty():
    fig = charts_funnel.stage_funnel(_one(), "Email", "ru")
    assert list(fig.data[0].y) == ["Визиты", "Лиды", "qualified", "Продажи"]
    assert fig.layout.separators == ",\u00a0"  # decimal comma, no-break-space groups
    empty = charts_funnel.stage_funnel(_one("Display"), "Display", include_visits=False)
    assert not empty.data
    assert empty.layout.annotations[0].text == "No data for these filters"


def test_conversion_change_bars():
    fig = charts_funnel.conversion_change_bars(_one(), "Email")
    current, previous = fig.data
    assert list(current.x) == ["Visits → Leads", "Leads → qualified", "qualified → Won"]
    assert list(current.y) == pytest.approx([0.1, 0.6, 0.5])
    assert list(previous.y) == pytest.approx([0.05, 0.5, 0.8])
    assert list(current.text) == ["+5.0 pp", "+10.0 pp", "-30.0 pp"]
    assert (current.name, previous.name) == ("This period", "Previous period")
    assert fig.layout.barmode == "group"


def test_conversion_change_bars_without_a_previous_period():
    fig = charts_funnel.conversion_change_bars(_one(previous=False), "Email", "ru")
    [current] = fig.data  # no grey bars when there is nothing to compare with
    assert list(current.text) == ["", "", ""]  # no change to label
    assert current.name == "Этот период"
    assert fig.layout.title.text == "Конверсия между этапами: Email"


def test_conversion_change_bars_with_nothing_to_convert():
    fig = charts_funnel.conversion_change_bars(_one("Paid Search").iloc[:1], "Paid Search")
    assert not fig.data  # only the first step: no conversion
    paid = _one("(none)")  # visit → lead undefined, the rest defined: bars where defined
    bars = charts_funnel.conversion_change_bars(paid, "(none)")
    assert math.isnan(bars.data[0].y[0])


def test_fmt_pp():
    assert charts_funnel.fmt_pp(16.666) == "+16.7 pp"
    assert charts_funnel.fmt_pp(-10.0, "ru") == "-10,0 п.п."
    assert charts_funnel.fmt_pp(None) == "—"
    assert charts_funnel.fmt_pp(float("nan")) == "—"
