"""Running the real nightly job in a subprocess, and reading what it produced."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from bisect import bisect_right
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

REPO = Path(__file__).resolve().parent.parent
DEMO = {"days": 30, "visits_per_day": 150, "seed": 7, "end_date": dt.date(2026, 10, 31)}
SALT = "test-salt-7f3a9c"  # distinctive, so a scan for it cannot match by chance
# Every build of a test session ages sources against the same day, even one after midnight.
SESSION_DAY = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()


def build_env(data_dir: Path, sources: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THROUGHLINE_")}
    env.update(
        THROUGHLINE_DATA_DIR=str(data_dir),
        THROUGHLINE_SOURCES=sources,
        THROUGHLINE_PII_SALT=SALT,
        THROUGHLINE_SOURCES__DEMO__DAYS=str(DEMO["days"]),
        THROUGHLINE_SOURCES__DEMO__VISITS_PER_DAY=str(DEMO["visits_per_day"]),
        THROUGHLINE_SOURCES__DEMO__SEED=str(DEMO["seed"]),
        THROUGHLINE_SOURCES__DEMO__END_DATE=DEMO["end_date"].isoformat(),
        THROUGHLINE_DBT_UNIT_TESTS="true",  # the nightly skips them; every test build runs them
        THROUGHLINE_FRESHNESS_AS_OF=SESSION_DAY.isoformat(),
        **extra,
    )
    return env


def run_build(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def mart_rows(serving: Path) -> dict[str, list[tuple]]:
    """Every published mart, rows sorted, for byte-for-byte comparisons."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
            if r[0] != "publish_meta"
        ]
        return {t: sorted(con.execute(f'select * from "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


class Rates:
    """seeds/currency_rates.csv read independently of dbt: as-of lookup, RUB = 1."""

    def __init__(self) -> None:
        path = REPO / "dbt_project" / "seeds" / "currency_rates.csv"
        self.by_currency: dict[str, list[tuple[dt.date, Decimal]]] = {}
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                self.by_currency.setdefault(row["currency"], []).append(
                    (dt.date.fromisoformat(row["rate_date"]), Decimal(row["rub_per_unit"]))
                )
        for series in self.by_currency.values():
            series.sort()

    def to_rub(self, amount: Decimal, currency: str, day: dt.date) -> Decimal:
        if currency == "RUB":
            rate = Decimal(1)
        else:
            series = self.by_currency[currency]
            i = bisect_right([d for d, _ in series], day) - 1
            rate = series[max(i, 0)][1]
        return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def moscow_date(ts: dt.datetime) -> dt.date:
    return ts.astimezone(ZoneInfo("Europe/Moscow")).date()
