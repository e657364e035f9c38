"""Yandex Direct (API v5 Reports): daily cost, impressions and clicks per campaign (or ad group).

    raw_yandex_direct.daily_stats   one row per account x day x campaign (x ad group)

    from connectors.yandex_direct import from_options
    source = from_options({"client_login": "my-shop"}, os.environ, pii_salt="")

Without a window the source is incremental: it re-pulls the last `restatement_days` up to
yesterday and catches up from the last loaded day after missed runs. A loaded day replaces that
day of the account (delete-insert), so re-running any window never doubles a number.
See README.md for options, keys and how to get a token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import dlt
from dlt.extract.source import DltSource
from dlt.sources import DltResource

from connectors.common.config import ConnectorConfigError, parse_date, require_secret
from connectors.common.windows import day_chunks

from .client import DirectApiError, DirectClient
from .helpers import ReportFormatError, parse_report, plan_window, report_params, typed_row
from .settings import (
    COLUMN_HINTS,
    COLUMNS,
    DEFAULT_ACCOUNT,
    DEFAULT_BASE_URL,
    DEFAULT_CHUNK_DAYS,
    DEFAULT_INITIAL_DAYS,
    DEFAULT_LEVEL,
    DEFAULT_RESTATEMENT_DAYS,
    FIELDS,
    LEVELS,
    MERGE_KEY,
    OPTIONS,
    PRIMARY_KEY,
    RESOURCE,
    SOURCE_NAME,
    TIMEZONE,
    TOKEN_ENV,
)

__all__ = ["DirectApiError", "from_options", "yandex_direct"]

_STATE_KEY = "last_loaded_date"


@dataclass(frozen=True)
class _Config:
    token: str
    base_url: str
    client_login: str | None
    level: str
    include_vat: bool
    money_in_micros: bool
    currency: str | None
    initial_start: dt.date
    restatement_days: int
    chunk_days: int
    window: tuple[dt.date | None, dt.date | None]
    today: dt.date
    sleep: Callable[[float], None] | None

    def client(self) -> DirectClient:
        extra = {"sleep": self.sleep} if self.sleep is not None else {}
        return DirectClient(
            self.base_url, self.token, self.client_login, self.money_in_micros, **extra
        )


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def yandex_direct(
    token: str = dlt.secrets.value,
    base_url: str = DEFAULT_BASE_URL,
    client_login: str | None = None,
    level: str = DEFAULT_LEVEL,
    include_vat: bool = True,
    money_in_micros: bool = True,
    currency: str | None = None,
    start_date: dt.date | None = None,
    restatement_days: int = DEFAULT_RESTATEMENT_DAYS,
    chunk_days: int = DEFAULT_CHUNK_DAYS,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    today: dt.date | None = None,
    sleep: Any = None,
) -> DltResource:
    """Direct statistics as raw rows. `start_date` is where the first load starts (default 90
    days back); `window_start`/`window_end` (inclusive) load exactly that window instead of the
    incremental one. `today` and `sleep` are for tests. Nothing is requested until extraction."""
    _check(level, restatement_days, chunk_days)
    today = today or dt.datetime.now(ZoneInfo(TIMEZONE)).date()
    config = _Config(
        token=token,
        base_url=base_url or DEFAULT_BASE_URL,
        client_login=(client_login or "").strip() or None,
        level=level,
        include_vat=bool(include_vat),
        money_in_micros=bool(money_in_micros),
        currency=(currency or "").strip().upper() or None,
        initial_start=start_date or today - dt.timedelta(days=DEFAULT_INITIAL_DAYS),
        restatement_days=int(restatement_days),
        chunk_days=int(chunk_days),
        window=(window_start, window_end),
        today=today,
        sleep=sleep,
    )
    return dlt.resource(
        _daily_stats,
        name=RESOURCE,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        primary_key=list(PRIMARY_KEY),
        merge_key=list(MERGE_KEY),
        columns=COLUMN_HINTS,
    )(config)


def _daily_stats(config: _Config) -> Iterator[list[dict[str, Any]]]:
    state = dlt.current.resource_state()
    explicit = config.window != (None, None)
    saved = None if explicit else state.get(_STATE_KEY)
    last = dt.date.fromisoformat(saved) if saved else None
    window = plan_window(
        config.today, last, config.window, config.initial_start, config.restatement_days
    )
    if window is None:
        return
    client = config.client()
    currency = config.currency or client.currency()
    account = config.client_login or DEFAULT_ACCOUNT
    fields = FIELDS[config.level]
    for start, end in day_chunks(*window, config.chunk_days):
        params = report_params(
            config.level, start, end, config.include_vat, f"micros={config.money_in_micros}"
        )
        text = client.report(params)
        try:
            rows = [typed_row(row, config.money_in_micros) for row in parse_report(text, fields)]
        except ReportFormatError as exc:
            raise DirectApiError(
                f"{SOURCE_NAME}: report '{params['ReportName']}' ({start}..{end}): {exc}"
            ) from None
        batch = []
        for row in rows:
            if not start <= row["Date"] <= end:
                raise DirectApiError(
                    f"{SOURCE_NAME}: report {start}..{end} has a row dated {row['Date']}"
                )
            out = {COLUMNS[field]: value for field, value in row.items()}
            out.update(account_id=account, currency=currency, cost_includes_vat=config.include_vat)
            out["ad_group_id"] = out.get("ad_group_id") or ""  # a key column: '' at campaign level
            batch.append(out)
        if batch:
            yield batch
    if not explicit:  # a backfill of old days must not move the incremental cursor
        state[_STATE_KEY] = window[1].isoformat()


def _check(level: str, restatement_days: Any, chunk_days: Any) -> None:
    if level not in LEVELS:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}.level = {level!r}: use one of {', '.join(LEVELS)}"
        )
    for option, value, low, high in (
        ("restatement_days", restatement_days, 1, 90),
        ("chunk_days", chunk_days, 1, 366),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConnectorConfigError(
                f"sources.{SOURCE_NAME}.{option} = {value!r}: a whole number from {low} to {high}"
            )


def _flag(options: Mapping[str, Any], name: str, default: bool) -> bool:
    value = options.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise ConnectorConfigError(f"sources.{SOURCE_NAME}.{name} = {value!r}: use true or false")


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
    """The source from `sources.yandex_direct` of throughline.yml. `pii_salt` is unused: ad
    statistics carry no personal data."""
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        raise ConnectorConfigError(
            f"sources.{SOURCE_NAME}: unknown option(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(OPTIONS - {'enabled'}))}"
        )
    token = require_secret(env, TOKEN_ENV, SOURCE_NAME)
    return yandex_direct(
        token=token,
        base_url=options.get("base_url") or DEFAULT_BASE_URL,
        client_login=options.get("client_login"),
        level=str(options.get("level") or DEFAULT_LEVEL),
        include_vat=_flag(options, "include_vat", True),
        money_in_micros=_flag(options, "money_in_micros", True),
        currency=options.get("currency"),
        start_date=parse_date(options.get("start_date"), "start_date", SOURCE_NAME),
        restatement_days=options.get("restatement_days", DEFAULT_RESTATEMENT_DAYS),
        chunk_days=options.get("chunk_days", DEFAULT_CHUNK_DAYS),
        window_start=start_date,
        window_end=end_date,
        today=today,
        sleep=sleep,
    )
