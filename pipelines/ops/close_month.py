"""Month-end freeze: `close-month YYYY-MM` keeps an as-of copy of the published marts, so the
dashboards can show a month "as closed" beside "as of today" and explain the difference."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines.settings import ConfigError, Settings

CLOSED_DIR = "closed"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def closed_path(settings: Settings, month: str) -> Path:
    return settings.serving_path.parent / CLOSED_DIR / f"{month}.duckdb"


def _last_day(month: str) -> dt.date:
    year, mon = (int(x) for x in month.split("-"))
    first_next = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def close_month(
    settings: Settings, month: str, force: bool = False, now: dt.datetime | None = None
) -> Path:
    """Copy the published snapshot to closed/<month>.duckdb, stamped with when it was closed."""
    if not _MONTH.match(month):
        raise ConfigError(f"close-month: {month!r} is not a month (YYYY-MM)")
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    if _last_day(month) >= today:
        raise ConfigError(f"close-month: {month} is not over yet (today is {today})")
    if not settings.serving_path.exists():
        raise ConfigError(
            f"close-month: nothing published at {settings.serving_path}; run make build"
        )
    target = closed_path(settings, month)
    if target.exists() and not force:
        raise ConfigError(f"close-month: {month} is already closed ({target}); --force replaces it")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(settings.serving_path, tmp)  # the snapshot is never written in place
        con = duckdb.connect(str(tmp))
        try:
            con.execute(
                "create or replace table close_meta as "
                "select ?::varchar as month, ?::timestamp as closed_at",
                [month, now.astimezone(dt.UTC).replace(tzinfo=None)],
            )
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
