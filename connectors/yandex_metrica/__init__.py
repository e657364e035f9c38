"""Yandex Metrica visits through the Logs API -> raw_yandex_metrica.visits (+ rejected_rows).

One resource, `visits`, merged on `visit_id` ("<counter>:<visitID>"). Lines that cannot be a
visit go to `rejected_rows` with the reason. See README.md for the window rules and options.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from connectors.common.config import ConnectorConfigError, parse_date, require_secret

from .client import MetricaLogsClient
from .flow import export, plan
from .rows import RowBuilder
from .settings import (
    DEFAULT_BASE_URL,
    DEFAULT_INITIAL_DAYS,
    DEFAULT_MAX_WAIT_S,
    DEFAULT_POLL_INTERVAL_S,
    DEFAULT_RESTATEMENT_DAYS,
    DEFAULT_TIMEZONE,
    FIELDS,
    REJECTED_COLUMNS,
    REJECTED_ROWS,
    SOURCE_NAME,
    TOKEN_ENV,
    VISIT_COLUMNS,
    VISITS,
)
from .windows import Window, counter_today, explicit_window, incremental_window

__all__ = ["from_options", "yandex_metrica"]

logger = logging.getLogger(__name__)
STATE_KEY = "last_loaded_date"  # resource state: the date2 of the last incremental load


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def yandex_metrica(
    counter_id: str = dlt.config.value,
    token: str = dlt.secrets.value,
    pii_salt: str = dlt.secrets.value,
    base_url: str = DEFAULT_BASE_URL,
    timezone: str = DEFAULT_TIMEZONE,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    initial_start_date: dt.date | None = None,
    restatement_days: int = DEFAULT_RESTATEMENT_DAYS,
    clean_stale_requests: bool = True,
    poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
    max_wait_s: float = DEFAULT_MAX_WAIT_S,
    today: dt.date | None = None,
    sleep=None,  # tests inject a fake sleep and clock; untyped so dlt does not treat them as config
    clock=None,
) -> DltResource:
    """Visits of one counter. With start_date (and end_date) exactly that window, else
    incremental. `today` (the counter's calendar) and sleep/clock are for tests."""
    if not pii_salt:
        raise ConnectorConfigError(
            f"THROUGHLINE_PII_SALT is empty (needed by source {SOURCE_NAME})"
        )
    if start_date is None and end_date is not None:
        raise ConnectorConfigError(f"{SOURCE_NAME}: end_date {end_date} given without start_date")
    if start_date and end_date and start_date > end_date:
        raise ConnectorConfigError(f"{SOURCE_NAME}: start_date {start_date} is after {end_date}")
    run = _Run(
        counter_id=_counter_id(counter_id),
        tz=_zone(timezone),
        client_args={
            "base_url": base_url or DEFAULT_BASE_URL,
            "token": token,
            "poll_interval_s": poll_interval_s,
            "max_wait_s": max_wait_s,
            **({"sleep": sleep} if sleep else {}),
            **({"clock": clock} if clock else {}),
        },
        salt=pii_salt,
        window_args=(start_date, end_date, initial_start_date, max(int(restatement_days), 1)),
        today=today,
        clean_stale=bool(clean_stale_requests),
    )
    visits = dlt.resource(_visits, name=VISITS, write_disposition="merge")(run)
    # The rejected-rows table is a variant of the same resource (one download feeds both);
    # declared before the visits hints so that it does not inherit visits' columns.
    visits.apply_hints(
        table_name=REJECTED_ROWS,
        write_disposition="merge",
        primary_key="row_key",
        columns=REJECTED_COLUMNS,
        create_table_variant=True,
    )
    visits.apply_hints(primary_key="visit_id", columns=VISIT_COLUMNS)
    return visits


def from_options(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    pii_salt: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    *,
    today: dt.date | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> DltSource:
    """The source as configured in `sources.yandex_metrica` of throughline.yml."""
    token = require_secret(env, TOKEN_ENV, SOURCE_NAME)
    opts = dict(options or {})
    return yandex_metrica(
        counter_id=_counter_id(opts.get("counter_id")),
        token=token,
        pii_salt=pii_salt,
        base_url=opts.get("base_url") or DEFAULT_BASE_URL,
        timezone=opts.get("timezone") or DEFAULT_TIMEZONE,
        start_date=start_date,
        end_date=end_date,
        initial_start_date=parse_date(opts.get("start_date"), "start_date", SOURCE_NAME),
        restatement_days=_number(opts, "restatement_days", DEFAULT_RESTATEMENT_DAYS, 1),
        clean_stale_requests=bool(opts.get("clean_stale_requests", True)),
        poll_interval_s=_number(opts, "poll_interval_s", DEFAULT_POLL_INTERVAL_S, 0),
        max_wait_s=_number(opts, "max_wait_s", DEFAULT_MAX_WAIT_S, 0),
        today=today,
        sleep=sleep,
        clock=clock,
    )


# ---------------------------------------------------------------------- options


def _counter_id(value: object) -> str:
    text = str(value or "").strip()
    if not text.isdigit():
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.counter_id is "
            + (f"not a counter number: {text!r}" if text else "not set")
            + " (the Metrica counter/tag id, e.g. 12345678: set it in throughline.yml or "
            f"THROUGHLINE_SOURCES__{SOURCE_NAME.upper()}__COUNTER_ID, see "
            f"connectors/{SOURCE_NAME}/README.md)"
        )
    return text


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.timezone = {name!r} is not an IANA timezone "
            "(the counter's zone from its settings, e.g. Europe/Moscow)"
        ) from exc


def _number(opts: Mapping[str, Any], key: str, default: float, minimum: float) -> Any:
    value = opts.get(key)
    if value is None or value == "":
        return default
    try:
        number = type(default)(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number < minimum:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.{key} = {value!r} is not a number >= {minimum}"
        )
    return number


# ---------------------------------------------------------------------- extraction


@dataclass
class _Run:
    counter_id: str
    tz: ZoneInfo
    client_args: dict[str, Any]
    salt: str
    window_args: tuple[dt.date | None, dt.date | None, dt.date | None, int]
    today: dt.date | None
    clean_stale: bool

    @property
    def incremental(self) -> bool:
        return self.window_args[0] is None

    def window(self, last_loaded: str | None) -> Window | None:
        start, end, initial, restatement_days = self.window_args
        today = self.today or counter_today(self.tz)
        if start is not None:
            return explicit_window(start, end, today)
        initial = initial or today - dt.timedelta(days=DEFAULT_INITIAL_DAYS)
        last = dt.date.fromisoformat(last_loaded) if last_loaded else None
        return incremental_window(last, initial, restatement_days, today)


def _visits(run: _Run) -> Iterator[Any]:
    # Both tables exist with all their columns even when a window has no visits.
    yield dlt.mark.materialize_table_schema()
    yield dlt.mark.with_table_name(dlt.mark.materialize_table_schema(), REJECTED_ROWS)
    state = dlt.current.resource_state()
    window = run.window(state.get(STATE_KEY))
    if window is None:
        logger.info("%s: no complete day to load yet (never today)", SOURCE_NAME)
        return
    logger.info("%s: counter %s, %s..%s", SOURCE_NAME, run.counter_id, window[0], window[1])
    client = MetricaLogsClient(counter_id=run.counter_id, **run.client_args)
    if run.clean_stale:
        client.clean_stale(FIELDS)
    builder = RowBuilder(run.counter_id, run.tz, run.salt)
    for part_window in plan(client, window):
        yield from export(client, part_window, builder)
    if run.incremental:  # only a finished extraction moves the cursor (dlt drops it on failure)
        previous = state.get(STATE_KEY)
        state[STATE_KEY] = max(previous or "", window[1].isoformat())
