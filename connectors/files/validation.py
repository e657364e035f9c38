"""File and row checks: required columns, parsing by column kind, quarantine reasons, PII.

A file that lacks a required column cannot be loaded at all: ``FileSchemaError``. A row that
fails a check goes to ``rejected_rows`` with a reason naming the column and the value; the
other rows of the file still load.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.common.pii import contact_key

from .settings import (
    CURRENCY_ALIASES,
    DEAL_STATUSES,
    DEFAULT_SOURCE_SYSTEM,
    EMAIL_COLUMNS,
    EMAIL_MARKERS,
    NAME_COLUMNS,
    PHONE_COLUMNS,
    PHONE_MARKERS,
    RESERVED_COLUMNS,
    ROW_KEY,
    SOURCE_FILE,
    SOURCE_ROW,
    EntitySpec,
)

if TYPE_CHECKING:
    from .readers import RawRow


class FileSchemaError(ValueError):
    """A dropped file cannot be read or lacks a required column (the message names both)."""


# ---------------------------------------------------------------- file level


def check_header(spec: EntitySpec, columns: Sequence[str], path: Path) -> None:
    reserved = [c for c in columns if c in RESERVED_COLUMNS or c.startswith("_dlt")]
    if reserved:
        raise FileSchemaError(
            f"{path}: column(s) {_quoted(reserved)} are reserved (the connector adds them); "
            "rename or remove them"
        )
    missing = [c for c in spec.required_columns if c not in columns]
    if spec.any_of_columns and not any(c in columns for c in spec.any_of_columns):
        missing.append("one of " + _quoted(spec.any_of_columns))
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        listed = ", ".join(m if m.startswith("one of") else repr(m) for m in missing)
        raise FileSchemaError(
            f"{path}: missing required {noun} {listed} (required for {spec.name}: "
            f"{required_summary(spec)})"
        )


def required_summary(spec: EntitySpec) -> str:
    text = ", ".join(spec.required_columns)
    if spec.any_of_columns:
        text += ", and one of " + " / ".join(spec.any_of_columns)
    return text


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


# ---------------------------------------------------------------- cell parsers


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip() == ""
    return False


def parse_text(value: Any) -> str:
    """Any cell as text. Excel stores numbers as floats, so an id 123 arrives as 123.0."""
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value).strip()


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+")


def parse_money(value: Any) -> Decimal:
    """``1234.50``, ``1 234,50`` (Russian Excel), ``1,234.50``, ``1.234,50``. A lone comma is
    a decimal comma. Floats (Excel, Parquet) go through their shortest repr, never binary."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(value)
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return Decimal(repr(value))
    text = _SPACES.sub("", str(value)).replace("\u2212", "-")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,50
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.50
            text = text.replace(",", "")
    elif text.count(",") == 1:  # 1234,50
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:  # 1,234,567 / 1.234.567
        text = text.replace(",", "").replace(".", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(value)
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def parse_count(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _THOUSANDS_COMMA.fullmatch(_SPACES.sub("", value)):
        value = _SPACES.sub("", value).replace(",", "")
    number = parse_money(value)
    if number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")


def parse_duration(value: Any) -> int:
    """Whole seconds; call-tracking exports also write ``02:15`` or ``1:02:15``."""
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value.strip())
        if match:
            hours, minutes, seconds = (int(g or 0) for g in match.groups())
            return hours * 3600 + minutes * 60 + seconds
    return parse_count(value)


_TRUE = {"true", "t", "1", "yes", "y", "да", "д", "+"}
_FALSE = {"false", "f", "0", "no", "n", "нет", "н", "-"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = parse_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DMY_TIME = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_date(value: Any) -> date:
    """ISO ``2026-03-01`` or Russian ``01.03.2026``; a datetime keeps its (written) date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text).date()


def parse_timestamp(value: Any) -> datetime:
    """ISO 8601; an offset is converted to UTC, no offset is taken as UTC. Also
    ``DD.MM.YYYY[ HH:MM[:SS]]``. Always returns an aware UTC datetime."""
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp from Parquet
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = str(value).strip()
        match = _DMY_TIME.fullmatch(text)
        if match:
            day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
            moment = datetime(year, month, day, hour, minute, second)
        else:
            moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "id": parse_text,
    "currency": lambda v: parse_text(v).upper(),
    "status": lambda v: parse_text(v).lower(),
    "date": parse_date,
    "timestamp": parse_timestamp,
    "money": parse_money,
    "count": parse_count,
    "duration": parse_duration,
    "bool": parse_bool,
}
_NON_NEGATIVE = {"money", "count", "duration"}


# ---------------------------------------------------------------- rows


def _shown(value: Any) -> str:
    return repr(value if isinstance(value, str) else parse_text(value))


def _json_value(value: Any) -> Any:
    if is_blank(value):
        return None
    if isinstance(value, str | int | bool):
        return value
    return parse_text(value)


class RowValidator:
    """Turns one raw row into a canonical row, or into a rejection reason."""

    def __init__(self, spec: EntitySpec, pii_salt: str, currencies: Sequence[str]) -> None:
        self.spec = spec
        self.pii_salt = pii_salt
        self.currencies = tuple(c.strip().upper() for c in currencies)

    def strip_pii(self, values: dict[str, Any]) -> dict[str, Any]:
        """Remove e-mail, phone and name columns; hash e-mail/phone into the entity's key.
        The result is safe to store (it is also what ``rejected_rows.raw`` shows)."""
        values = dict(values)
        found: dict[str, Any] = {}
        for column in [c for c in values if pii_kind(c)]:
            value = values.pop(column)
            if not is_blank(value):
                found.setdefault(pii_kind(column), value)  # the first non-blank, in file order
        email, phone = found.get("email"), found.get("phone")
        target = self.spec.pii_key
        if target and (email is not None or phone is not None):
            key = contact_key(
                None if email is None else parse_text(email),
                None if phone is None else parse_text(phone),
                self.pii_salt,
            )
            if key is not None or target not in values:
                values[target] = key
        return values

    def validate(
        self, raw: RawRow
    ) -> tuple[dict[str, Any] | None, str | None, dict[str, Any] | None]:
        """Returns ``(row, None, None)`` for a good row and ``(None, reason, safe_raw)`` for a
        rejected one; ``safe_raw`` is the input row with personal data removed or hashed."""
        spec = self.spec
        values = self.strip_pii(raw.values)
        problems = [raw.problem] if raw.problem else []
        failed: set[str] = set()
        row: dict[str, Any] = {}

        for column, value in values.items():
            parsed, problem = self.parse_cell(column, value)
            if problem:
                problems.append(problem)
                failed.add(column)
                continue
            row[column] = parsed

        if not row.get("source_system"):
            row["source_system"] = DEFAULT_SOURCE_SYSTEM
        for column in spec.required_values:
            if row.get(column) is None and column not in failed:
                problems.append(f"empty {column}")
        problems.extend(self._entity_rules(row, failed))

        if problems:
            return None, "; ".join(problems), {k: _json_value(v) for k, v in values.items()}
        if spec.row_key_parts:
            row[ROW_KEY] = row_key(row, spec.row_key_parts)
        return row, None, None

    def check(
        self, raw: RawRow, relative: str
    ) -> tuple[dict[str, Any], None] | tuple[None, dict[str, Any]]:
        """``(row, None)`` with the row's origin added, or ``(None, rejected_rows entry)``."""
        row, reason, safe_raw = self.validate(raw)
        if row is not None:
            row[SOURCE_FILE] = relative
            row[SOURCE_ROW] = raw.number
            return row, None
        return None, {
            ROW_KEY: f"{relative}#{raw.number}",
            "entity": self.spec.name,
            SOURCE_FILE: relative,
            SOURCE_ROW: raw.number,
            "reason": reason,
            "raw": raw_json(safe_raw or {}),
        }

    def parse_cell(self, column: str, value: Any) -> tuple[Any, str | None]:
        """One cell: ``(value, None)``, or ``(None, problem)`` when it fails its column's check.
        Blank is ``(None, None)``. The Parquet fast path parses its odd cells with this too."""
        kind = self.spec.columns.get(column)
        if value is None or is_blank(value):
            return None, None
        if kind is None:  # unknown column: kept, as text
            return parse_text(value), None
        try:
            parsed = PARSERS[kind](value)
        except (ValueError, TypeError, OverflowError):
            return None, f"unparseable {column}: {_shown(value)}"
        problem = self._check(column, kind, parsed, value)
        if problem:
            return None, problem
        return (CURRENCY_ALIASES.get(parsed, parsed) if kind == "currency" else parsed), None

    def _check(self, column: str, kind: str, parsed: Any, value: Any) -> str | None:
        if kind in _NON_NEGATIVE and parsed < 0:
            return f"negative {column}: {_shown(value)}"
        if kind == "currency" and CURRENCY_ALIASES.get(parsed, parsed) not in self.currencies:
            return f"unknown {column}: {_shown(value)} (accepted: {', '.join(self.currencies)})"
        if kind == "status" and parsed not in DEAL_STATUSES:
            return (
                f"unknown {column}: {_shown(value)} (expected one of: {', '.join(DEAL_STATUSES)})"
            )
        return None

    def _entity_rules(self, row: dict[str, Any], failed: set[str]) -> list[str]:
        problems = []
        if self.spec.name == "ad_spend" and row.get("campaign_id") is None:
            fallback = row.get("campaign_name") or row.get("utm_campaign")
            if fallback is not None:
                row["campaign_id"] = fallback
            elif "campaign_id" not in failed:
                problems.append("empty campaign_id (and no campaign_name or utm_campaign)")
        if self.spec.name == "deals":
            if row.get("status") == "won" and row.get("amount") is None and "amount" not in failed:
                problems.append("empty amount (required for a won deal)")
            has_money = row.get("amount") is not None or row.get("cost_of_goods") is not None
            if has_money and row.get("currency") is None and "currency" not in failed:
                problems.append("empty currency (required when amount is given)")
        return problems


@functools.cache
def pii_kind(column: str) -> str | None:
    """``"email"``, ``"phone"`` or ``"name"`` for a column holding personal data, else None."""
    if column in EMAIL_COLUMNS or any(m in column for m in EMAIL_MARKERS):
        return "email"
    if column in PHONE_COLUMNS or any(m in column for m in PHONE_MARKERS):
        return "phone"
    if column in NAME_COLUMNS:
        return "name"
    return None


def row_key(row: dict[str, Any], parts: Sequence[str]) -> str:
    """Readable, unambiguous merge key from nullable parts: ``["2026-03-01","files","",...]``."""
    return json.dumps(
        [parse_text(row[p]) if row.get(p) is not None else "" for p in parts],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def raw_json(safe_raw: dict[str, Any]) -> str:
    return json.dumps(safe_raw, ensure_ascii=False, default=str)
