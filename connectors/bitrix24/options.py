"""`sources.bitrix24` options of throughline.yml, checked with messages that say what to set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connectors.common.config import ConnectorConfigError, parse_date

from .settings import DEFAULT_LAG_MINUTES, DEFAULT_TIMEZONE, SOURCE_NAME
from .transform import normalize_field_map


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC: DATE_MODIFY of deals, CREATED_TIME of stage changes."""

    start: dt.datetime | None
    end: dt.datetime | None


@dataclass(frozen=True)
class Options:
    field_map: dict[str, tuple[str, ...]]
    lag_minutes: int
    window: Window | None
    reconcile_deleted: bool


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ConnectorConfigError(f"sources.{SOURCE_NAME}.{name} = {value!r} is not true/false")


def day_window(
    start_date: dt.date | None, end_date: dt.date | None, timezone: str
) -> Window | None:
    """Inclusive days of the portal's calendar as a UTC [start, end)."""
    if start_date is None and end_date is None:
        return None
    if start_date and end_date and start_date > end_date:
        raise ConnectorConfigError(
            f"{SOURCE_NAME}: start_date {start_date} is after end_date {end_date}"
        )
    zone = ZoneInfo(timezone)

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)

    return Window(
        midnight(start_date) if start_date else None,
        midnight(end_date + dt.timedelta(days=1)) if end_date else None,
    )


def parse_options(
    options: Mapping[str, Any],
    pii_salt: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
) -> Options:
    if not pii_salt:
        raise ConnectorConfigError(
            f"THROUGHLINE_PII_SALT is not set (source {SOURCE_NAME} hashes contacts' phones "
            "and e-mails with it, see README 'Configuration')"
        )
    try:
        field_map = normalize_field_map(options.get("field_map"))
    except ValueError as exc:
        raise ConnectorConfigError(f"sources.{SOURCE_NAME}.field_map: {exc}") from exc
    raw_lag = options.get("lag_minutes", DEFAULT_LAG_MINUTES)
    try:
        lag = int(raw_lag if raw_lag is not None else DEFAULT_LAG_MINUTES)
    except (TypeError, ValueError):
        lag = -1
    if lag < 0:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.lag_minutes = {raw_lag!r} is not a whole number >= 0"
        )
    timezone = str(options.get("timezone") or DEFAULT_TIMEZONE)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.timezone = {timezone!r} is not a time zone (e.g. Europe/Moscow)"
        ) from exc
    start = parse_date(start_date, "start_date", SOURCE_NAME)
    end = parse_date(end_date, "end_date", SOURCE_NAME)
    return Options(
        field_map=field_map,
        lag_minutes=lag,
        window=day_window(start, end, timezone),
        reconcile_deleted=_bool(options.get("reconcile_deleted", False), "reconcile_deleted"),
    )
