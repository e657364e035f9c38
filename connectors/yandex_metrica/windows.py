"""Which days to request: never today, restatement of recent days, catch-up, one year at most."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

Window = tuple[dt.date, dt.date]  # inclusive, the counter's calendar


def counter_today(tz: ZoneInfo, now: dt.datetime | None = None) -> dt.date:
    """Today in the counter's timezone: the Logs API refuses date2 >= this."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()


def explicit_window(start: dt.date, end: dt.date | None, today: dt.date) -> Window | None:
    """The asked window, its end clamped to yesterday; None when nothing of it is complete yet."""
    last = today - dt.timedelta(days=1)
    end = min(end or last, last)
    return (start, end) if start <= end else None


def incremental_window(
    last_loaded: dt.date | None,
    initial_start: dt.date,
    restatement_days: int,
    today: dt.date,
) -> Window | None:
    """From the day after the last load (catching up missed runs), but at least the last
    `restatement_days` complete days again, up to yesterday. The first run starts at
    `initial_start`."""
    yesterday = today - dt.timedelta(days=1)
    if last_loaded is None:
        start = initial_start
    else:
        restate_from = yesterday - dt.timedelta(days=max(restatement_days, 1) - 1)
        start = min(last_loaded + dt.timedelta(days=1), restate_from)
    return (start, yesterday) if start <= yesterday else None


def halves(window: Window) -> tuple[Window, Window]:
    start, end = window
    days = (end - start).days + 1
    if days < 2:
        raise ValueError("a one-day window cannot be split")
    middle = start + dt.timedelta(days=days // 2 - 1)
    return (start, middle), (middle + dt.timedelta(days=1), end)


def days(window: Window) -> int:
    return (window[1] - window[0]).days + 1
