"""`sources.retailcrm` of throughline.yml -> arguments of the source, with errors that say what
to set. Nothing here talks to the API."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connectors.common.config import ConnectorConfigError, parse_date, require_secret

from . import settings

_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NAME = settings.SOURCE_NAME


def source_kwargs(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> dict[str, Any]:
    start = parse_date(start_date, "start_date", _NAME)
    end = parse_date(end_date, "end_date", _NAME)
    if start and end and end < start:
        raise ConnectorConfigError(f"retailcrm: end_date {end} is before start_date {start}")
    return {
        "base_url": base_url(options),
        "api_key": require_secret(env, settings.SECRET_ENV, _NAME),
        "sites": _list(options.get("sites"), "sites"),
        "timezone": timezone(options.get("timezone")),
        "currency": str(options.get("currency") or settings.DEFAULT_CURRENCY).strip().upper(),
        "won_groups": _list(options.get("won_groups"), "won_groups") or settings.DEFAULT_WON_GROUPS,
        "lost_groups": _list(options.get("lost_groups"), "lost_groups")
        or settings.DEFAULT_LOST_GROUPS,
        "field_map": field_map(options.get("field_map")),
        "page_size": page_size(options.get("page_size")),
        "start_date": start,
        "end_date": end,
    }


def base_url(options: Mapping[str, Any]) -> str:
    url = str(options.get("base_url") or "").strip()
    if url:
        if not url.startswith(("http://", "https://")):
            raise ConnectorConfigError(
                f"sources.retailcrm.base_url = {url!r} is not an http(s) URL "
                "(e.g. https://myshop.retailcrm.ru)"
            )
        return url
    subdomain = str(options.get("subdomain") or "").strip().lower()
    if not subdomain:
        raise ConnectorConfigError(
            "sources.retailcrm needs `subdomain` (myshop for https://myshop.retailcrm.ru) or "
            "`base_url` (THROUGHLINE_RETAILCRM_BASE_URL)"
        )
    if not _SUBDOMAIN.match(subdomain):
        raise ConnectorConfigError(
            f"sources.retailcrm.subdomain = {subdomain!r}: only the account name, e.g. myshop"
        )
    return settings.DEFAULT_BASE_URL.format(subdomain=subdomain)


def timezone(value: Any) -> str:
    name = str(value or settings.DEFAULT_TIMEZONE).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConnectorConfigError(
            f"sources.retailcrm.timezone = {name!r} is not an IANA timezone (e.g. Europe/Moscow: "
            "the account's timezone, in which RetailCRM writes createdAt)"
        ) from None
    return name


def page_size(value: Any) -> int:
    if value in (None, ""):
        return settings.PAGE_SIZE
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = -1
    if size not in settings.ALLOWED_PAGE_SIZES:
        allowed = ", ".join(map(str, settings.ALLOWED_PAGE_SIZES))
        raise ConnectorConfigError(
            f"sources.retailcrm.page_size = {value!r}: RetailCRM accepts only {allowed}"
        )
    return size


def field_map(value: Any) -> dict[str, tuple[str, ...]]:
    """{client_id: ym_client_id, click_id: [yclid, gclid]} over the defaults; [] turns one off."""
    result = dict(settings.DEFAULT_FIELD_MAP)
    if value in (None, ""):
        return result
    if not isinstance(value, Mapping):
        raise ConnectorConfigError(
            "sources.retailcrm.field_map must map client_id / visit_id / click_id to custom "
            "field codes, e.g. {client_id: ym_client_id}"
        )
    for key, codes in value.items():
        if key not in settings.DEFAULT_FIELD_MAP:
            raise ConnectorConfigError(
                f"sources.retailcrm.field_map: unknown key {key!r} "
                f"(known: {', '.join(settings.DEFAULT_FIELD_MAP)})"
            )
        result[key] = _list(codes, f"field_map.{key}")
    return result


def _list(value: Any, option: str) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):  # from the environment: "shop-a,shop-b"
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise ConnectorConfigError(f"sources.retailcrm.{option} must be a list, got {value!r}")
    return tuple(s for s in (str(v).strip() for v in value) if s)
