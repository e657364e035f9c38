"""Pure helpers: which days to pull, the report request, and reading the TSV it returns."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .settings import (
    COUNT_FIELDS,
    EMPTY_VALUE,
    FIELDS,
    MONEY_FIELDS,
    REPORT_TYPES,
)

# The summary line, in the languages Accept-Language may give [v exact text].
_SUMMARY = re.compile(r"^(total rows|всего строк)\s*:\s*(\d+)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class ReportFormatError(ValueError):
    """The report body is not the TSV we asked for (cut off, an HTML page, wrong columns)."""


# ------------------------------------------------------------------ windows


def plan_window(
    today: dt.date,
    last_loaded: dt.date | None,
    window: tuple[dt.date | None, dt.date | None],
    initial_start: dt.date,
    restatement_days: int,
) -> tuple[dt.date, dt.date] | None:
    """The days to pull, inclusive; None when there is nothing to do.

    An explicit window is loaded as given (its end clamped to today: there are no future stats).
    Otherwise: up to yesterday (today's stats are still moving), from the earlier of "the day
    after the last loaded day" (catch up after missed runs) and "the restatement window", never
    before `initial_start`.
    """
    start, end = window
    if start is not None or end is not None:
        start = start or initial_start
        end = min(end or today - dt.timedelta(days=1), today)
        return (start, end) if start <= end else None
    end = today - dt.timedelta(days=1)
    if last_loaded is None:
        start = initial_start
    else:
        restate_from = end - dt.timedelta(days=max(restatement_days, 1) - 1)
        start = max(min(last_loaded + dt.timedelta(days=1), restate_from), initial_start)
    return (start, end) if start <= end else None


def report_params(
    level: str, start: dt.date, end: dt.date, include_vat: bool, name_salt: str = ""
) -> dict[str, Any]:
    """The `params` of a report request. ReportName is derived from everything else, so the same
    window and options always give the same name (a resend finds the report being built) and a
    different request never reuses a name (Direct refuses a known name with other params)."""
    params: dict[str, Any] = {
        "SelectionCriteria": {"DateFrom": start.isoformat(), "DateTo": end.isoformat()},
        "FieldNames": list(FIELDS[level]),
        "ReportType": REPORT_TYPES[level],
        "DateRangeType": "CUSTOM_DATE",
        "Format": "TSV",
        "IncludeVAT": "YES" if include_vat else "NO",
    }
    digest = hashlib.sha256(
        (json.dumps(params, sort_keys=True) + name_salt).encode("utf-8")
    ).hexdigest()[:12]
    params["ReportName"] = f"throughline {level} {start:%Y%m%d}-{end:%Y%m%d} {digest}"
    return params


# ------------------------------------------------------------------ the response


def parse_report(text: str, fields: Sequence[str]) -> list[dict[str, str | None]]:
    """Rows of a TSV report as {API field: text or None}, whatever mix of title, column and
    summary lines the server printed. `--` is an empty value."""
    body = text.lstrip("\ufeff")
    if body.lstrip().startswith("<"):
        raise ReportFormatError("the body is an HTML/XML page, not a TSV report")
    expected = list(fields)
    columns: list[str] | None = None
    rows: list[list[str]] = []
    summary: int | None = None
    title_seen = False
    for number, raw_line in enumerate(body.split("\n"), start=1):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if summary is not None:
            raise ReportFormatError(f"line {number}: data after the summary line")
        match = _SUMMARY.match(line.strip()) if len(cells) == 1 else None
        if match:
            summary = int(match.group(2))
        elif columns is None and not rows and sorted(cells) == sorted(expected):
            columns = cells
        elif len(cells) == len(expected):
            rows.append(cells)
        elif len(cells) == 1 and not title_seen and columns is None and not rows:
            title_seen = True  # "<ReportName> (<DateFrom> - <DateTo>)"
        else:
            raise ReportFormatError(
                f"line {number}: {len(cells)} columns where {len(expected)} were expected "
                f"({', '.join(expected)})"
            )
    if summary is not None and summary != len(rows):
        raise ReportFormatError(
            f"the summary says {summary} rows but the body has {len(rows)} (report cut off?)"
        )
    names = columns or expected
    return [
        {
            name: (None if cell.strip() in ("", EMPTY_VALUE) else cell.strip())
            for name, cell in zip(names, row, strict=True)
        }
        for row in rows
    ]


def parse_decimal(value: str) -> Decimal:
    """`1234.5`, `1 234,50`, `1,234.50` -> Decimal; never through float."""
    text = _SPACES.sub("", value)
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ReportFormatError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ReportFormatError(f"{value!r} is not a number")
    return number


def parse_money(value: str | None, in_micros: bool) -> Decimal | None:
    """Cost in account currency units. Micros are divided exactly (a decimal shift)."""
    if value is None:
        return None
    number = parse_decimal(value)
    if not in_micros:
        return number
    if number != number.to_integral_value():
        raise ReportFormatError(
            f"Cost {value!r} is not a whole number of micros (did the server ignore "
            "returnMoneyInMicros? set money_in_micros accordingly)"
        )
    return number.scaleb(-6)


def parse_count(value: str | None) -> int | None:
    if value is None:
        return None
    number = parse_decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise ReportFormatError(f"{value!r} is not a count")
    return int(number)


def typed_row(row: dict[str, str | None], money_in_micros: bool) -> dict[str, Any]:
    """Cast one parsed row: Date -> date, counts -> int, Cost -> Decimal, the rest text."""
    out: dict[str, Any] = {}
    for field, value in row.items():
        if field == "Date":
            try:
                out[field] = dt.date.fromisoformat(value or "")
            except ValueError:
                raise ReportFormatError(f"Date {value!r} is not YYYY-MM-DD") from None
        elif field in COUNT_FIELDS:
            out[field] = parse_count(value)
        elif field in MONEY_FIELDS:
            out[field] = parse_money(value, money_in_micros)
        else:
            out[field] = value
    return out
