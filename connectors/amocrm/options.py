"""sources.amocrm of throughline.yml -> the arguments of the amocrm source, checked."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connectors.common.config import ConnectorConfigError, parse_date, require_secret

from .rows import tracking_refs
from .settings import (
    DEFAULT_BASE_URL,
    DEFAULT_LAG_MINUTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_TIMEZONE,
    SOURCE_NAME,
    TOKEN_ENV,
)

logger = logging.getLogger(__name__)
KNOWN_OPTIONS = frozenset(
    {
        "enabled",
        "base_url",
        "subdomain",
        "currency",
        "field_map",
        "lag_minutes",
        "restatement_days",
        "timezone",
        "max_pages",
    }
)
_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _error(option: str, value: object, expected: str) -> ConnectorConfigError:
    return ConnectorConfigError(f"sources.{SOURCE_NAME}.{option} = {value!r}: {expected}")


def base_url(options: Mapping[str, Any]) -> str:
    if url := str(options.get("base_url") or "").strip():
        if not url.startswith(("http://", "https://")):
            raise _error("base_url", url, "expected an http(s) URL")
        return url.rstrip("/")
    subdomain = str(options.get("subdomain") or "").strip().lower()
    if not subdomain:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.subdomain is not set: the xxx of https://xxx.amocrm.ru "
            f"(or set sources.{SOURCE_NAME}.base_url, e.g. https://xxx.kommo.com)"
        )
    if not _SUBDOMAIN.match(subdomain):
        raise _error("subdomain", subdomain, "expected only the account name, e.g. 'mycompany'")
    return DEFAULT_BASE_URL.format(subdomain=subdomain)


def _whole(options: Mapping[str, Any], name: str, minimum: int) -> int | None:
    value = options.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _error(name, value, "expected a whole number") from None
    if number < minimum:
        raise _error(name, value, f"expected at least {minimum}")
    return number


def lag_minutes(options: Mapping[str, Any]) -> int:
    """lag_minutes wins; restatement_days (the generic option) is taken in days."""
    minutes = _whole(options, "lag_minutes", 0)
    if minutes is not None:
        return minutes
    days = _whole(options, "restatement_days", 0)
    return days * 24 * 60 if days is not None else DEFAULT_LAG_MINUTES


def window(
    options: Mapping[str, Any], start_date: Any, end_date: Any
) -> tuple[int | None, int | None]:
    """Inclusive dates in the account's calendar -> [start, end) in unix seconds."""
    start = parse_date(start_date, "start_date", SOURCE_NAME)
    end = parse_date(end_date, "end_date", SOURCE_NAME)
    if start is None and end is None:
        return None, None
    name = str(options.get("timezone") or DEFAULT_TIMEZONE)
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _error("timezone", name, "expected an IANA zone, e.g. Europe/Moscow") from None
    if start and end and end < start:
        raise ConnectorConfigError(f"{SOURCE_NAME}: end_date {end} is before start_date {start}")

    def midnight(day: dt.date) -> int:
        return int(dt.datetime.combine(day, dt.time(), zone).timestamp())

    return (
        midnight(start) if start else 0,
        midnight(end + dt.timedelta(days=1)) if end else None,
    )


def resolve_options(
    options: Mapping[str, Any], env: Mapping[str, str], start_date: Any, end_date: Any
) -> dict[str, Any]:
    unknown = sorted(set(options) - KNOWN_OPTIONS)
    if unknown:
        logger.warning("sources.%s: ignoring unknown option(s) %s", SOURCE_NAME, unknown)
    currency = str(options.get("currency") or "").strip().upper() or None
    if currency is not None and not _CURRENCY.match(currency):
        raise _error("currency", options.get("currency"), "expected an ISO code such as RUB")
    field_map = options.get("field_map") or {}
    if not isinstance(field_map, Mapping):
        raise _error("field_map", field_map, "expected a mapping: canonical name -> field id/code")
    tracking_refs(field_map)  # fail now, not mid-run, on an unknown name
    start_at, end_at = window(options, start_date, end_date)
    return {
        "base_url": base_url(options),
        "token": require_secret(env, TOKEN_ENV, SOURCE_NAME),
        "currency": currency,
        "field_map": dict(field_map),
        "lag_minutes": lag_minutes(options),
        "start_at": start_at,
        "end_at": end_at,
        "max_pages": _whole(options, "max_pages", 1) or DEFAULT_MAX_PAGES,
    }
