"""Date range presets and the previous period, pure (no Streamlit).

Presets count back from the snapshot's last day with data, not from the wall clock: a snapshot
published on Monday morning with data up to Sunday shows "last 7 days" as Monday … Sunday.
"""

from __future__ import annotations

import datetime as dt

PRESETS = ("last_7", "last_30", "last_90", "this_month", "previous_month", "custom")
DEFAULT_PRESET = "last_30"
CUSTOM = "custom"
LAST_DAYS = {"last_7": 7, "last_30": 30, "last_90": 90}

DateRange = tuple[dt.date, dt.date]


def preset_range(preset: str, last_day: dt.date) -> DateRange:
    """The range a preset means, ending on (or in the month of) ``last_day``; not clipped."""
    if preset in LAST_DAYS:
        return last_day - dt.timedelta(days=LAST_DAYS[preset] - 1), last_day
    if preset == "this_month":
        return last_day.replace(day=1), last_day
    if preset == "previous_month":
        end = last_day.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    raise ValueError(f"no date range for preset {preset!r} (one of {', '.join(PRESETS)})")


def clip(picked: DateRange, first_day: dt.date, last_day: dt.date) -> DateRange:
    """``picked`` inside the data's ``[first_day, last_day]`` (a range wholly outside it
    collapses onto the nearest edge)."""
    start = min(max(picked[0], first_day), last_day)
    end = max(min(picked[1], last_day), start)
    return start, end


def previous_period(start: dt.date, end: dt.date) -> DateRange:
    """The period of equal length just before ``[start, end]``."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)
