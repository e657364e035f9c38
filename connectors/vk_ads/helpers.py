"""Pure helpers: which days to load, and VK's numbers-as-strings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from connectors.files.validation import is_blank, parse_count, parse_money

from .settings import API_TIMEZONE

_EMPTY = ("--", "-")


def moscow_today(now: dt.datetime | None = None) -> dt.date:
    """VK's calendar day right now (the API counts days in Moscow time)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(API_TIMEZONE).date()


def resolve_window(
    *,
    today: dt.date,
    start_date: dt.date | None,
    end_date: dt.date | None,
    last_loaded: dt.date | None,
    initial_start: dt.date,
    restatement_days: int,
) -> tuple[dt.date, dt.date]:
    """The inclusive days to load (may be empty: start > end).

    An explicit window (a partition or a backfill) is loaded as given, up to today at most.
    Otherwise: from `restatement_days` before the day after the last loaded one (so missed runs
    are caught up and recent days restated) through yesterday; the first run from
    `initial_start`. Today is left out: its numbers are still moving.
    """
    yesterday = today - dt.timedelta(days=1)
    if start_date is not None or end_date is not None:
        end = min(end_date or yesterday, today)
        return (start_date or min(end, initial_start)), end
    if last_loaded is None:
        return initial_start, yesterday
    resume = min(last_loaded, yesterday) + dt.timedelta(days=1)
    return resume - dt.timedelta(days=restatement_days), yesterday


def chunked(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _is_empty(value: Any) -> bool:
    return is_blank(value) or (isinstance(value, str) and value.strip() in _EMPTY)


def to_money(value: Any) -> Decimal:
    """'123.45' -> Decimal('123.45'); empty or missing -> 0 (VK leaves 'spent' empty when idle)."""
    if _is_empty(value):
        return Decimal(0)
    try:
        money = parse_money(value)  # the file drop's parser: '1 234,50', '1,234.50', ...
    except ValueError as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if money < 0:
        raise ValueError(f"not an amount: {value!r}")
    return money


def to_count(value: Any) -> int:
    """Shows and clicks: int or string; empty or missing -> 0."""
    if _is_empty(value):
        return 0
    try:
        count = parse_count(value)
    except ValueError as exc:
        raise ValueError(f"not a count: {value!r}") from exc
    if count < 0:
        raise ValueError(f"not a count: {value!r}")
    return count
