"""Pure helpers: Calltouch's two date formats, the load window, and a call record as a raw row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from connectors.common.pii import contact_key

from .settings import BOOL_FIELDS, TEXT_FIELDS

# The calls and deals journals write dates day first; the leads journal month first.
DAY_FIRST = "%d/%m/%Y"
MONTH_FIRST = "%m/%d/%Y"
_EMPTY = {"", "--", "-", "null", "none", "undefined"}
_TRUE = {"true", "1", "yes", "да", "y", "t"}
_FALSE = {"false", "0", "no", "нет", "n", "f"}


def format_day_first(day: dt.date) -> str:
    """dd/mm/yyyy: `dateFrom`/`dateTo` of the calls and deals journals."""
    return day.strftime(DAY_FIRST)


def format_month_first(day: dt.date) -> str:
    """mm/dd/yyyy: `dateFrom`/`dateTo` of the leads journal (`RestAPI/requests`)."""
    return day.strftime(MONTH_FIRST)


def parse_local_datetime(value: str, tz: ZoneInfo, month_first: bool = False) -> dt.datetime:
    """'dd/mm/yyyy HH:MM[:SS]' (or mm/dd/... for leads) in the site's timezone -> aware UTC.

    Raises ValueError on anything else, including a day-first date read month-first
    ('13/01/2026'). A wall time that a DST change skips or repeats takes the earlier offset."""
    date_fmt = MONTH_FIRST if month_first else DAY_FIRST
    text = " ".join(str(value).split())
    for time_fmt in ("%H:%M:%S", "%H:%M"):
        try:
            naive = dt.datetime.strptime(text, f"{date_fmt} {time_fmt}")
        except ValueError:
            continue
        return naive.replace(tzinfo=tz).astimezone(dt.UTC)
    raise ValueError(f"not a {'mm/dd/yyyy' if month_first else 'dd/mm/yyyy'} HH:MM:SS time")


def plan_window(
    *,
    today: dt.date,
    start_date: dt.date | None,
    end_date: dt.date | None,
    last_loaded: dt.date | None,
    restatement_days: int,
    initial_start: dt.date,
) -> tuple[dt.date, dt.date] | None:
    """The inclusive days to pull, or None when there is nothing to do.

    Explicit window: exactly it, but not past today (the future holds no calls yet); a start
    alone runs through yesterday.
    Otherwise: from the day after the last loaded one (the first run: `initial_start`), less
    `restatement_days` re-pulled before it, through yesterday; today is never pulled half done."""
    yesterday = today - dt.timedelta(days=1)
    if start_date is not None or end_date is not None:
        start = start_date or end_date
        assert start is not None
        end = end_date or max(yesterday, start)
        if start > end:
            raise ValueError(f"start_date {start} is after end_date {end}")
        end = min(end, today)
        return (start, end) if start <= end else None
    if last_loaded is None:
        start = initial_start
    else:
        first_new = min(last_loaded + dt.timedelta(days=1), yesterday)
        start = first_new - dt.timedelta(days=restatement_days)
    return (start, yesterday) if start <= yesterday else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return None if text.lower() in _EMPTY else text


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text is None:
        return None
    low = text.lower()
    return True if low in _TRUE else False if low in _FALSE else None


def _seconds(value: Any) -> int | None:
    """65, '65', '65.0', '1:05' or '0:01:05' -> 65; anything else -> None."""
    text = _text(value)
    if text is None:
        return None
    try:
        if ":" in text:
            total = 0
            for part in text.split(":"):
                total = total * 60 + int(part)
            return total
        return int(float(text.replace(",", ".").replace(" ", "")))
    except ValueError:
        return None


def record_key(record: Mapping[str, Any]) -> str:
    """The merge key: `callId`, or for a record without one a stable digest of the record."""
    call_id = _text(record.get("callId"))
    if call_id is not None:
        return call_id
    safe = {k: v for k, v in record.items() if k != "callerNumber"}
    digest = hashlib.sha256(json.dumps(safe, sort_keys=True, default=str).encode()).hexdigest()
    return "missing:" + digest[:32]


def to_row(record: Mapping[str, Any], tz: ZoneInfo, pii_salt: str) -> dict[str, Any]:
    """One raw row. The caller's number becomes `caller_key` here and goes no further; a row
    that cannot be a call (no id, no time) keeps its `reject_reason` for the data-health page."""
    reasons = []
    if _text(record.get("callId")) is None:
        reasons.append("empty callId")
    raw_date = _text(record.get("date"))
    started_at = None
    try:
        started_at = parse_local_datetime(raw_date or "", tz)
    except ValueError:
        reasons.append(f"unparseable date: {raw_date!r}")
    row: dict[str, Any] = {
        "call_id": record_key(record),
        "started_at": started_at,
        "call_date": raw_date,
        "caller_key": contact_key(None, _text(record.get("callerNumber")), pii_salt),
        "duration_s": _seconds(record.get("duration")),
        "site_timezone": tz.key,
        "reject_reason": "; ".join(reasons) or None,
    }
    row.update({col: _bool(record.get(field)) for field, col in BOOL_FIELDS.items()})
    row.update({col: _text(record.get(field)) for field, col in TEXT_FIELDS.items()})
    return row
