"""Calltouch call tracking: the calls journal -> raw_calltouch.calls (canonical `calls`).

    calltouch(site_id, token, pii_salt, ...)   the dlt source (one resource, `calls`)
    from_options(options, env, pii_salt, ...)  what the pipelines call (throughline.yml + env)

See README.md for keys, the load window, options and what happens to bad answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from connectors.common.config import ConnectorConfigError, parse_date, require_secret
from connectors.common.http import HttpClient
from connectors.common.windows import day_chunks

from .client import CalltouchClient
from .helpers import plan_window, to_row
from .settings import (
    CALL_COLUMNS,
    DEFAULT_BASE_URL,
    DEFAULT_CHUNK_DAYS,
    DEFAULT_INITIAL_DAYS,
    DEFAULT_RESTATEMENT_DAYS,
    DEFAULT_TIMEZONE,
    OPTIONS,
    PAGE_LIMIT,
    SOURCE_NAME,
    TOKEN_ENV,
)

__all__ = ["calltouch", "from_options"]

logger = logging.getLogger(__name__)
_STATE_KEY = "last_loaded_date"  # the only thing kept in dlt state: a date


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def calltouch(
    site_id: str = dlt.config.value,
    token: str = dlt.secrets.value,
    pii_salt: str = dlt.secrets.value,
    base_url: str = DEFAULT_BASE_URL,
    timezone: str = DEFAULT_TIMEZONE,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    initial_start_date: dt.date | None = None,
    restatement_days: int = DEFAULT_RESTATEMENT_DAYS,
    chunk_days: int = DEFAULT_CHUNK_DAYS,
    page_size: int = PAGE_LIMIT,
    today: dt.date | None = None,
    sleep: Callable[[float], None] | None = None,
) -> DltResource:
    """Calls of `site_id`: exactly [start_date, end_date] when given (site-local days), else
    incremental (see `plan_window`). `today` and `sleep` exist for tests."""
    tz = _zone(timezone)
    http = HttpClient(
        base_url=base_url, source=SOURCE_NAME, secrets=(token,), sleep=sleep or time.sleep
    )
    client = CalltouchClient(http, str(site_id), token, page_size=page_size)
    local_today = today or dt.datetime.now(tz).date()
    window = {
        "start_date": start_date,
        "end_date": end_date,
        "today": local_today,
        "initial_start": initial_start_date or local_today - dt.timedelta(DEFAULT_INITIAL_DAYS),
        "restatement_days": restatement_days,
    }
    return dlt.resource(
        _calls,
        name="calls",
        write_disposition="merge",
        primary_key="call_id",
        columns=CALL_COLUMNS,
    )(client, tz, pii_salt, window, chunk_days)


def _calls(
    client: CalltouchClient,
    tz: ZoneInfo,
    pii_salt: str,
    window: dict[str, Any],
    chunk_days: int,
) -> Iterator[Any]:
    yield dlt.mark.materialize_table_schema()  # the table exists even before the first call
    state = dlt.current.resource_state()
    incremental = window["start_date"] is None and window["end_date"] is None
    last = state.get(_STATE_KEY)
    days = plan_window(last_loaded=dt.date.fromisoformat(last) if last else None, **window)
    if days is None:
        logger.info("%s: nothing to load (already loaded through %s)", SOURCE_NAME, last)
        return
    logger.info("%s: loading calls of %s..%s (%s)", SOURCE_NAME, *days, tz.key)
    for day_from, day_to in day_chunks(*days, chunk_days):
        rows = [to_row(record, tz, pii_salt) for record in client.calls(day_from, day_to)]
        bad = sum(1 for row in rows if row["reject_reason"])
        logger.info(
            "%s: %s..%s: %d calls, %d rejected", SOURCE_NAME, day_from, day_to, len(rows), bad
        )
        if rows:
            yield rows
    if incremental:  # committed by dlt only if the whole extraction succeeds
        state[_STATE_KEY] = days[1].isoformat()


def from_options(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    pii_salt: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    *,
    today: dt.date | None = None,
    sleep: Callable[[float], None] | None = None,
) -> DltSource:
    """The source from `sources.calltouch` of throughline.yml and the environment."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        logger.warning(
            "%s: ignoring unknown option(s) %s (known: %s)",
            SOURCE_NAME,
            ", ".join(unknown),
            ", ".join(OPTIONS),
        )
    token = require_secret(env, TOKEN_ENV, SOURCE_NAME)
    if not pii_salt:
        raise ConnectorConfigError(
            "THROUGHLINE_PII_SALT is not set (source calltouch hashes callers' phone numbers)"
        )
    timezone = str(options.get("timezone") or DEFAULT_TIMEZONE)
    _zone(timezone)
    if start_date and end_date and start_date > end_date:
        raise ConnectorConfigError(f"{SOURCE_NAME}: start_date {start_date} is after {end_date}")
    return calltouch(
        site_id=_site_id(options.get("site_id")),
        token=token,
        pii_salt=pii_salt,
        base_url=str(options.get("base_url") or DEFAULT_BASE_URL),
        timezone=timezone,
        start_date=start_date,
        end_date=end_date,
        initial_start_date=parse_date(options.get("start_date"), "start_date", SOURCE_NAME),
        restatement_days=_int_option(options, "restatement_days", DEFAULT_RESTATEMENT_DAYS, 0),
        chunk_days=_int_option(options, "chunk_days", DEFAULT_CHUNK_DAYS, 1, 366),
        page_size=_int_option(options, "page_size", PAGE_LIMIT, 1, PAGE_LIMIT),
        today=today,
        sleep=sleep,
    )


def _site_id(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ConnectorConfigError(
            "sources.calltouch.site_id is not set (the Calltouch site id, from Интеграции → "
            "Отправка данных во внешние системы → API; see connectors/calltouch/README.md)"
        )
    if not text.isdigit():
        raise ConnectorConfigError(f"sources.calltouch.site_id = {text!r} is not a number")
    return text


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConnectorConfigError(
            f"sources.calltouch.timezone = {name!r} is not an IANA timezone (e.g. Europe/Moscow)"
        ) from exc


def _int_option(
    options: Mapping[str, Any], name: str, default: int, low: int, high: int | None = None
) -> int:
    value = options.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or number < low or (high is not None and number > high):
        bounds = f">= {low}" if high is None else f"{low}..{high}"
        raise ConnectorConfigError(f"sources.calltouch.{name} = {value!r} must be a whole {bounds}")
    return number
