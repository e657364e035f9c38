"""Date range presets (pure, and in the sidebar with AppTest) and the previous period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import periods

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
TIMEOUT_S = 60
D = dt.date


@pytest.mark.parametrize(
    ("preset", "last_day", "expected"),
    [
        ("last_7", D(2025, 1, 31), (D(2025, 1, 25), D(2025, 1, 31))),
        ("last_30", D(2025, 1, 31), (D(2025, 1, 2), D(2025, 1, 31))),
        ("last_90", D(2025, 1, 31), (D(2024, 11, 3), D(2025, 1, 31))),
        ("this_month", D(2025, 1, 31), (D(2025, 1, 1), D(2025, 1, 31))),
        ("this_month", D(2025, 3, 1), (D(2025, 3, 1), D(2025, 3, 1))),
        ("previous_month", D(2025, 1, 31), (D(2024, 12, 1), D(2024, 12, 31))),
        ("previous_month", D(2024, 3, 15), (D(2024, 2, 1), D(2024, 2, 29))),  # leap year
    ],
)
def test_preset_range(preset, last_day, expected):
    assert periods.preset_range(preset, last_day) == expected


def test_custom_has_no_range():
    with pytest.raises(ValueError, match="custom"):
        periods.preset_range("custom", D(2025, 1, 31))


def test_clip_to_the_data():
    first, last = D(2024, 12, 23), D(2025, 1, 31)
    assert periods.clip((D(2024, 11, 3), last), first, last) == (first, last)
    assert periods.clip((D(2025, 1, 2), D(2025, 2, 5)), first, last) == (D(2025, 1, 2), last)
    assert periods.clip((D(2024, 1, 1), D(2024, 1, 31)), first, last) == (first, first)


def test_previous_period_has_equal_length():
    assert periods.previous_period(D(2025, 1, 25), D(2025, 1, 31)) == (
        D(2025, 1, 18),
        D(2025, 1, 24),
    )
    assert periods.previous_period(D(2025, 1, 1), D(2025, 1, 31)) == (
        D(2024, 12, 1),
        D(2024, 12, 31),
    )
    assert periods.previous_period(D(2025, 1, 31), D(2025, 1, 31)) == (
        D(2025, 1, 30),
        D(2025, 1, 30),
    )


# --- in the sidebar (fixture: data 2024-12-23 … 2025-01-31) -----------------------------------

SIDEBAR_RANGES = {
    "last_7": (D(2025, 1, 25), D(2025, 1, 31)),
    "last_30": (D(2025, 1, 2), D(2025, 1, 31)),
    "last_90": (D(2024, 12, 23), D(2025, 1, 31)),  # clipped to the first day with data
    "this_month": (D(2025, 1, 1), D(2025, 1, 31)),
    "previous_month": (D(2024, 12, 23), D(2024, 12, 31)),  # clipped likewise
}


def _dates(at: AppTest) -> tuple[dt.date, dt.date]:
    return tuple(at.sidebar.date_input(key="filter_dates").value)


def test_presets_set_the_date_range(serving_path):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.switch_page("views/channel_roi.py").run()
    period = at.sidebar.selectbox(key="filter_period")
    assert period.value == "last_30"
    assert period.options[:6] == [
        "Last 7 days",
        "Last 30 days",
        "Last 90 days",
        "This month",
        "Previous month",
        "Custom",
    ]
    assert _dates(at) == SIDEBAR_RANGES["last_30"]
    for preset, expected in SIDEBAR_RANGES.items():
        at.sidebar.selectbox(key="filter_period").set_value(preset).run()
        assert not at.exception, preset
        assert _dates(at) == expected, preset
    # the numbers follow: last 7 days, first touch, all channels (cost 200.5 + day index a day)
    at.sidebar.selectbox(key="filter_period").set_value("last_7").run()
    kpis = {m.label: m.value for m in at.metric}
    assert (kpis["Cost, RUB"], kpis["Leads"]) == ("1,656", "42")  # 1,655.5 · 6 a day
    assert "2025-01-25 … 2025-01-31" in at.main.caption[0].value


def test_picking_dates_makes_the_period_custom_and_it_sticks(serving_path, fx):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.sidebar.date_input(key="filter_dates").set_value((D(2025, 1, 10), D(2025, 1, 12))).run()
    assert at.sidebar.selectbox(key="filter_period").value == "custom"
    assert _dates(at) == (D(2025, 1, 10), D(2025, 1, 12))
    at.switch_page("views/funnel.py").run()  # kept on another page
    assert at.sidebar.selectbox(key="filter_period").value == "custom"
    assert _dates(at) == (D(2025, 1, 10), D(2025, 1, 12))
    at.sidebar.selectbox(key="filter_period").set_value("this_month").run()
    assert _dates(at) == SIDEBAR_RANGES["this_month"]


def test_a_preset_follows_a_new_snapshot(serving_path, fx):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.sidebar.selectbox(key="filter_period").set_value("last_7").run()
    shorter = [r for r in fx.channel_rows() if r["report_date"] <= D(2025, 1, 20)]
    fx.write_serving(serving_path, shorter)  # a new publish whose data ends earlier
    at.run()
    assert not at.exception
    assert _dates(at) == (D(2025, 1, 14), D(2025, 1, 20))
