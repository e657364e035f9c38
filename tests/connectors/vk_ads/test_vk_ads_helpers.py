"""VK Ads pure helpers: the load window in Moscow days, and numbers sent as strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from connectors.vk_ads.helpers import moscow_today, resolve_window, to_count, to_money

D = dt.date


def window(**kwargs):
    args = dict(
        today=D(2026, 5, 10),
        start_date=None,
        end_date=None,
        last_loaded=None,
        initial_start=D(2026, 2, 9),
        restatement_days=7,
    )
    return resolve_window(**{**args, **kwargs})


def test_first_run_loads_from_the_initial_start_to_yesterday():
    assert window() == (D(2026, 2, 9), D(2026, 5, 9))


def test_daily_run_restates_seven_days():
    assert window(last_loaded=D(2026, 5, 9)) == (D(2026, 5, 3), D(2026, 5, 9))


def test_missed_runs_are_caught_up():
    assert window(last_loaded=D(2026, 4, 30)) == (D(2026, 4, 24), D(2026, 5, 9))


def test_a_second_run_on_the_same_day_restates_the_same_days():
    assert window(last_loaded=D(2026, 5, 9)) == window(last_loaded=D(2026, 5, 12))


def test_no_restatement():
    assert window(last_loaded=D(2026, 5, 8), restatement_days=0) == (D(2026, 5, 9), D(2026, 5, 9))


def test_an_explicit_window_is_kept_and_clamped_to_today():
    assert window(start_date=D(2026, 1, 1), end_date=D(2026, 1, 31)) == (
        D(2026, 1, 1),
        D(2026, 1, 31),
    )
    assert window(start_date=D(2026, 5, 1), end_date=D(2026, 6, 1)) == (
        D(2026, 5, 1),
        D(2026, 5, 10),
    )
    assert window(start_date=D(2026, 5, 1)) == (D(2026, 5, 1), D(2026, 5, 9))


def test_a_future_start_date_loads_nothing():
    first, last = window(initial_start=D(2026, 6, 1))
    assert first > last


def test_the_day_is_moscows():
    late_utc = dt.datetime(2026, 5, 9, 21, 30, tzinfo=dt.UTC)  # 00:30 on 10 May in Moscow
    assert moscow_today(late_utc) == D(2026, 5, 10)
    assert moscow_today(dt.datetime(2026, 5, 9, 20, 59, tzinfo=dt.UTC)) == D(2026, 5, 9)


@pytest.mark.parametrize(
    "raw, money",
    [
        ("123.45", Decimal("123.45")),
        (123.45, Decimal("123.45")),
        ("", Decimal(0)),
        (None, Decimal(0)),
        ("--", Decimal(0)),
        ("1 234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1\u00a0234.5", Decimal("1234.5")),
    ],
)
def test_money_from_strings(raw, money):
    assert to_money(raw) == money


@pytest.mark.parametrize("raw", ["abc", "-5", "NaN", "Infinity"])
def test_bad_money_is_an_error(raw):
    with pytest.raises(ValueError, match="not an amount"):
        to_money(raw)


@pytest.mark.parametrize("raw, count", [("12", 12), (7, 7), ("", 0), (None, 0), ("1 000", 1000)])
def test_counts(raw, count):
    assert to_count(raw) == count


@pytest.mark.parametrize("raw", ["1.5", "-1", "x"])
def test_bad_counts_are_errors(raw):
    with pytest.raises(ValueError, match="not a count"):
        to_count(raw)
