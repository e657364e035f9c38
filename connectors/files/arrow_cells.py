"""Vectorised cell parsing for the Parquet fast path: one Arrow column at a time, per column kind.

Each parser returns the column in its warehouse type plus a ``slow`` mask: the cells it cannot
prove it parses exactly as ``validation.PARSERS`` would (non-ASCII text, unusual formats,
floats, values near the ends of the date range...). ``parse_column`` hands those cells, one by
one, to ``RowValidator.parse_cell`` itself, so every value is the row path's by construction:
the vectorised code only ever takes the common cases that provably give the same result.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .settings import CURRENCY_ALIASES, DEAL_STATUSES
from .validation import RowValidator, parse_text

# Exactly what str.strip() / str.isspace() treat as whitespace (29 code points, not only ASCII).
PY_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())

TEXT = pa.string()
TIMESTAMP = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(38, 9)  # what dlt gives a "decimal" column on DuckDB (the row path's type)
ARROW_TYPES: dict[str | None, pa.DataType] = {
    None: TEXT,  # unknown columns are kept as text
    "text": TEXT,
    "id": TEXT,
    "currency": TEXT,
    "status": TEXT,
    "date": pa.date32(),
    "timestamp": TIMESTAMP,
    "money": MONEY,
    "count": pa.int64(),
    "duration": pa.int64(),
    "bool": pa.bool_(),
}

# Python's datetime covers years 1..9999; keep a day's margin so no time zone shift can leave it.
_FIRST_SAFE_US = (dt.datetime(1, 1, 2) - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
_LAST_SAFE_US = (dt.datetime(9999, 12, 30) - dt.datetime(1970, 1, 1)) // dt.timedelta(
    microseconds=1
)
_UNIT_US = {"s": 1_000_000, "ms": 1_000, "us": 1}  # per unit; "ns" is handled apart
_ISO = (
    r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?P<frac>\.[0-9]{1,6})?"
    r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)
_INTEGER = r"^-?[0-9]{1,18}$"  # fits int64; "+5", "1 000", "1e3" go to Python


@dataclass
class Parsed:
    values: pa.Array  # the warehouse type; null where blank, slow or bad
    slow: pa.Array | None = None  # cells to parse one by one in Python
    bad: pa.Array | None = None  # cells that fail a check: the row goes to the row validator


@dataclass
class Cells:
    """One input column: the Arrow values, their ``str.strip()`` when text, which are blank."""

    array: pa.Array
    text: pa.Array | None  # stripped strings ("" when blank); None for other types
    blank: pa.Array  # validation.is_blank per cell: None, NaN or whitespace-only text

    @classmethod
    def of(cls, array: pa.Array) -> Cells:
        if pa.types.is_dictionary(array.type):  # to_pylist gives the decoded values too
            array = array.dictionary_decode()
        if pa.types.is_large_string(array.type) or pa.types.is_string_view(array.type):
            array = array.cast(TEXT)
        t = array.type
        blank = pc.is_null(array)
        text = None
        if pa.types.is_string(t):
            text = pc.utf8_trim(array, characters=PY_WHITESPACE)
            blank = pc.or_(blank, pc.fill_null(pc.equal(text, ""), True))
        elif pa.types.is_floating(t):
            blank = pc.or_(blank, pc.fill_null(pc.is_nan(array), True))
        return cls(array, text, blank)

    def row_blank(self) -> pa.Array:
        """The readers' test for a fully blank row: None or whitespace text (NaN is not)."""
        if pa.types.is_floating(self.array.type):
            return pc.is_null(self.array)
        return self.blank


def _or(a: pa.Array | None, b: pa.Array | None) -> pa.Array | None:
    if a is None or b is None:
        return a if b is None else b
    return pc.or_(pc.fill_null(a, False), pc.fill_null(b, False))


def _null(t: pa.DataType) -> pa.Scalar:
    return pa.scalar(None, t)


def _all_slow(cells: Cells, kind: str | None) -> Parsed:
    return Parsed(pa.nulls(len(cells.array), ARROW_TYPES[kind]), slow=pc.is_valid(cells.array))


# ---------------------------------------------------------------- text kinds


def text_cells(cells: Cells) -> Parsed:
    """``parse_text``: strings stripped, integers and booleans as Python prints them. Other
    types go to Python (float repr, dates, bytes...)."""
    t = cells.array.type
    if cells.text is not None:
        return Parsed(cells.text)  # blank ones ("") become null in parse_column
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return Parsed(pc.cast(cells.array, TEXT))  # str(int) / "true" "false", like parse_text
    return _all_slow(cells, "text")


def _cased(parsed: Parsed, ascii_case: Callable[[pa.Array], pa.Array]) -> Parsed:
    """Upper/lower case: ASCII in Arrow; the rest (``'ß'.upper() == 'SS'``) in Python."""
    values = parsed.values
    ascii_ok = pc.fill_null(pc.string_is_ascii(values), True)
    slow = _or(parsed.slow, pc.invert(ascii_ok))
    return Parsed(pc.if_else(ascii_ok, ascii_case(values), _null(TEXT)), slow)


def _one_of(values: pa.Array, accepted: Sequence[str]) -> pa.Array:
    """True where a value is present and not accepted (a failed check)."""
    known = pc.is_in(values, value_set=pa.array(list(accepted), TEXT))
    return pc.and_(pc.is_valid(values), pc.invert(known))


def currency_cells(cells: Cells, currencies: Sequence[str]) -> Parsed:
    parsed = _cased(text_cells(cells), pc.ascii_upper)
    values = parsed.values
    for alias, code in CURRENCY_ALIASES.items():
        values = pc.if_else(pc.equal(values, alias), code, values)
    return Parsed(values, parsed.slow, _one_of(values, currencies))


def status_cells(cells: Cells) -> Parsed:
    parsed = _cased(text_cells(cells), pc.ascii_lower)
    return Parsed(parsed.values, parsed.slow, _one_of(parsed.values, DEAL_STATUSES))


# ---------------------------------------------------------------- dates and times


def _micros(array: pa.Array) -> tuple[pa.Array, pa.Array]:
    """A timestamp column as UTC microseconds since the epoch (an aware column stores UTC),
    null where Python must take the cell: nanoseconds that are not whole microseconds (Python
    floors them, Arrow truncates) and instants near the ends of Python's datetime range."""
    unit = array.type.unit
    raw = array.view(pa.int64())
    per_us = 1 if unit == "ns" else _UNIT_US[unit]
    scale = 1000 if unit == "ns" else 1
    lo = max(_FIRST_SAFE_US * scale // per_us, -(2**63))  # ns reach only 1677..2262
    hi = min(_LAST_SAFE_US * scale // per_us, 2**63 - 1)
    slow = pc.or_(pc.less(raw, lo), pc.greater(raw, hi))
    if unit == "ns":
        whole = pc.multiply(pc.divide(raw, 1000), 1000)
        slow = pc.or_(slow, pc.not_equal(raw, whole))
    slow = pc.fill_null(slow, False)
    raw = pc.if_else(slow, _null(pa.int64()), raw)
    micros = pc.divide(raw, 1000) if unit == "ns" else pc.multiply(raw, per_us)
    return micros, slow


def _timestamps(micros: pa.Array, slow: pa.Array | None) -> Parsed:
    return Parsed(pc.cast(micros, pa.timestamp("us")).cast(TIMESTAMP), slow)


def _iso_micros(text: pa.Array) -> pa.Array:
    """ISO ``YYYY-MM-DD[(T| )HH:MM:SS[.ffffff][Z|±HH:MM]]`` as UTC microseconds (no offset =
    UTC, like ``parse_timestamp``); null for any other text and for text that is not a real
    calendar moment (Arrow's strptime would roll 30 Feb over into March: checked by writing
    the parsed value back)."""
    parts = pc.extract_regex(text, _ISO)
    date, time_ = pc.struct_field(parts, "date"), pc.struct_field(parts, "time")
    base = pc.binary_join_element_wise(
        date, pc.if_else(pc.equal(time_, ""), "00:00:00", time_), "T"
    )
    seconds = pc.strptime(base, "%Y-%m-%dT%H:%M:%S", "s", error_is_null=True)
    real = pc.and_(
        pc.equal(pc.strftime(seconds, "%Y-%m-%dT%H:%M:%S"), base),
        pc.not_equal(pc.utf8_slice_codeunits(date, 0, 4), "0000"),  # Python's years are 1..9999
    )
    frac = pc.utf8_slice_codeunits(pc.struct_field(parts, "frac"), 1)
    fraction = pc.cast(pc.utf8_rpad(frac, 6, "0"), pa.int64())  # ".5" -> 500000 us
    tz = pc.struct_field(parts, "tz")
    has_offset = pc.greater(pc.utf8_length(tz), 1)  # "±HH:MM"; "Z" and "" are UTC
    hours = pc.cast(pc.if_else(has_offset, pc.utf8_slice_codeunits(tz, 1, 3), "0"), pa.int64())
    minutes = pc.cast(pc.if_else(has_offset, pc.utf8_slice_codeunits(tz, 4, 6), "0"), pa.int64())
    real = pc.and_(real, pc.and_(pc.less(hours, 24), pc.less(minutes, 60)))  # Python's limits
    offset = pc.add(pc.multiply(hours, 3600), pc.multiply(minutes, 60))
    offset = pc.if_else(pc.starts_with(tz, "-"), pc.negate(offset), offset)
    utc = pc.subtract(pc.cast(seconds, pa.int64()), offset)
    micros = pc.add(pc.multiply(utc, 1_000_000), fraction)
    in_range = pc.and_(
        pc.greater_equal(micros, _FIRST_SAFE_US), pc.less_equal(micros, _LAST_SAFE_US)
    )
    return pc.if_else(pc.fill_null(pc.and_(real, in_range), False), micros, _null(pa.int64()))


def timestamp_cells(cells: Cells) -> Parsed:
    """``parse_timestamp``: an aware UTC moment; naive values are taken as UTC."""
    t = cells.array.type
    if pa.types.is_timestamp(t):
        return _timestamps(*_micros(cells.array))
    if pa.types.is_date32(t) or pa.types.is_date64(t):  # midnight UTC of that day
        days = pc.cast(cells.array, pa.date32())
        return _timestamps(*_micros(pc.cast(days, pa.timestamp("s"))))
    if cells.text is not None:
        micros = _iso_micros(cells.text)
        return _timestamps(micros, pc.is_null(micros))
    return _all_slow(cells, "timestamp")


def date_cells(cells: Cells) -> Parsed:
    """``parse_date``: the date as written. Aware timestamps outside UTC (their local date) and
    anything but ISO ``YYYY-MM-DD`` text go to Python."""
    t = cells.array.type
    if pa.types.is_date32(t) or pa.types.is_date64(t):
        return Parsed(pc.cast(cells.array, pa.date32()))
    if pa.types.is_timestamp(t) and t.tz in (None, "UTC", "Etc/UTC", "+00:00", "Z"):
        micros, slow = _micros(cells.array)
        return Parsed(pc.cast(pc.cast(micros, pa.timestamp("us")), pa.date32()), slow)
    if cells.text is not None:
        text = cells.text
        iso = pc.fill_null(pc.match_substring_regex(text, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), False)
        days = pc.cast(pc.strptime(text, "%Y-%m-%d", "s", error_is_null=True), pa.date32())
        real = pc.and_(
            pc.equal(pc.strftime(days, "%Y-%m-%d"), text),
            pc.not_equal(pc.utf8_slice_codeunits(text, 0, 4), "0000"),
        )
        fast = pc.and_(iso, pc.fill_null(real, False))
        return Parsed(pc.if_else(fast, days, _null(pa.date32())), pc.invert(fast))
    return _all_slow(cells, "date")


# ---------------------------------------------------------------- numbers


def _negative(values: pa.Array, zero: pa.Scalar) -> pa.Array:
    return pc.fill_null(pc.less(values, zero), False)


def money_cells(cells: Cells) -> Parsed:
    """``parse_money``: decimals and integers exactly; floats (via their shortest repr) and
    text (``1 234,50``...) in Python."""
    t = cells.array.type
    fits = pa.types.is_decimal(t) and t.scale <= MONEY.scale and t.precision - t.scale <= 29
    if not (fits or (pa.types.is_integer(t) and t != pa.uint64())):
        return _all_slow(cells, "money")
    values = pc.cast(cells.array, MONEY)
    return Parsed(values, bad=_negative(values, pa.scalar(Decimal(0), MONEY)))


def count_cells(cells: Cells) -> Parsed:
    """``parse_count`` / ``parse_duration``: whole numbers; ``MM:SS``, ``1 000``, fractions,
    huge values and the like go to Python."""
    array, t = cells.array, cells.array.type
    if pa.types.is_integer(t) and t != pa.uint64():
        values = pc.cast(array, pa.int64())
        slow = None
    else:
        if pa.types.is_floating(t):
            exact = pc.and_(pc.equal(array, pc.floor(array)), pc.less(pc.abs(array), 2.0**53))
            source = array
        elif cells.text is not None:
            exact = pc.match_substring_regex(cells.text, _INTEGER)
            source = cells.text
        else:
            return _all_slow(cells, "count")
        exact = pc.fill_null(exact, False)
        values = pc.cast(pc.if_else(exact, source, _null(source.type)), pa.int64())
        slow = pc.invert(exact)
    return Parsed(values, slow, _negative(values, pa.scalar(0, pa.int64())))


def bool_cells(cells: Cells) -> Parsed:
    if pa.types.is_boolean(cells.array.type):
        return Parsed(cells.array)
    return _all_slow(cells, "bool")  # "да" / "нет" / 1 / 0 ...: parse_bool


# ---------------------------------------------------------------- one column


def parse_column(cells: Cells, column: str, validator: RowValidator) -> tuple[pa.Array, pa.Array]:
    """A column in its warehouse type, and a mask of the rows where it fails its check.
    Blank cells are null and never fail here (the required-value check is per row)."""
    kind = validator.spec.columns.get(column)
    parsers: dict[str | None, Callable[[Cells], Parsed]] = {
        None: text_cells,
        "text": text_cells,
        "id": text_cells,
        "currency": lambda c: currency_cells(c, validator.currencies),
        "status": status_cells,
        "date": date_cells,
        "timestamp": timestamp_cells,
        "money": money_cells,
        "count": count_cells,
        "duration": count_cells,
        "bool": bool_cells,
    }
    parsed = parsers[kind](cells)
    values = parsed.values
    filled = pc.invert(cells.blank)
    bad = pc.and_(pc.fill_null(parsed.bad, False), filled) if parsed.bad is not None else None
    if parsed.slow is not None:
        slow = pc.and_(pc.fill_null(parsed.slow, False), filled)
        if pc.any(slow).as_py():
            values, slow_bad = _parse_slow(cells.array, column, slow, values, validator)
            bad = _or(bad, slow_bad)
    if pc.any(cells.blank).as_py():
        values = pc.if_else(cells.blank, _null(values.type), values)
    if bad is None:
        bad = pa.nulls(len(values), pa.bool_()).fill_null(False)
    return values, bad


def _parse_slow(
    array: pa.Array, column: str, slow: pa.Array, values: pa.Array, validator: RowValidator
) -> tuple[pa.Array, pa.Array]:
    """The slow cells through the row path's own ``parse_cell``; their failures as a mask."""
    parsed: list[Any] = []
    failed: list[bool] = []
    for value in array.filter(slow).to_pylist():
        result, problem = validator.parse_cell(column, value)
        parsed.append(result)
        failed.append(problem is not None)
    try:
        patch = pa.array(parsed, type=values.type)
    except (pa.ArrowInvalid, OverflowError) as exc:  # the row path fails to load it too
        raise ValueError(f"column {column!r}: a value does not fit {values.type} ({exc})") from exc
    values = pc.replace_with_mask(values, slow, patch)
    no = pa.nulls(len(array), pa.bool_()).fill_null(False)
    return values, pc.replace_with_mask(no, slow, pa.array(failed, pa.bool_()))


def text_of(cells: Cells) -> pa.Array:
    """``parse_text`` of every non-blank cell, null for blank ones (e-mail / phone columns)."""
    parsed = text_cells(cells)
    values = parsed.values
    if parsed.slow is not None:
        slow = pc.and_(parsed.slow, pc.invert(cells.blank))
        if pc.any(slow).as_py():
            patch = [parse_text(v) for v in cells.array.filter(slow).to_pylist()]
            values = pc.replace_with_mask(values, slow, pa.array(patch, TEXT))
    # parse_text(b" ") is "", yet not blank to the row path: such a cell stays ""
    return pc.if_else(cells.blank, _null(TEXT), values)
