"""Workload B1 as a file drop: generated once per (scale, seed), then split into the drop the
full build loads (``base/``) and the files one more night brings (``night/``).

The night is the generator's last day, plus what sources restate: ad platforms re-send the last
7 days of spend (in ``base/`` those days carry a provisional cost 3% lower), and the CRM re-sends
deals it changed that day (in ``base/`` they are still as they stood the evening before).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

END_DATE = dt.date(2026, 10, 31)
SEED = 42
SALT = "bench-salt"  # the drop's contact hashes and the warehouse must share it
TZ = "Europe/Moscow"
RESTATED_SPEND_DAYS = 7
PROVISIONAL_COST = 0.97  # what platforms first reported for the restated days
ENTITIES = ("ad_spend", "visits", "deals", "deal_stage_events", "calls")


@dataclass(frozen=True)
class Workload:
    root: Path  # <bench dir>/b1-s<scale>-seed<seed>
    scale: float

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def base(self) -> Path:
        return self.root / "base"

    @property
    def night(self) -> Path:
        return self.root / "night"

    def counts(self) -> dict[str, int]:
        return json.loads((self.root / "counts.json").read_text())


def generate_command(scale: float, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "connectors.demo", "--workload", "b1", "--scale", str(scale),
        "--seed", str(SEED), "--end-date", END_DATE.isoformat(), "--out", str(out),
    ]  # fmt: skip


def prepare(bench_dir: Path, scale: float, log=print) -> Workload:
    """Generate and split B1 at ``scale`` unless a complete copy is already on disk."""
    w = Workload(bench_dir / f"b1-s{scale:g}-seed{SEED}", scale)
    if (w.root / "counts.json").exists():
        return w
    shutil.rmtree(w.root, ignore_errors=True)
    w.root.mkdir(parents=True)
    log(f"generating B1 at scale {scale:g} into {w.generated} ...")
    env = {**os.environ, "THROUGHLINE_PII_SALT": SALT}
    subprocess.run(generate_command(scale, w.generated), env=env, check=True)
    counts = split(w)
    (w.root / "counts.json").write_text(json.dumps(counts, indent=2))
    return w


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({sql}) to '{path}' (format parquet)")
    return con.execute(f"select count(*) from '{path}'").fetchone()[0]


def split(w: Workload) -> dict[str, int]:
    """Write base/<entity>/ and night/<entity>/ from generated/; returns row counts."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"set timezone = '{TZ}'")
    for entity in (*ENTITIES, "planted_truth"):
        pattern = w.generated / entity / "*.parquet"
        if entity == "planted_truth":
            pattern = w.generated / "planted_truth.parquet"
        con.execute(f"create view {entity} as select * from read_parquet('{pattern}')")
    last_day = con.execute("select max(spend_date) from ad_spend").fetchone()[0]
    last = last_day.isoformat()
    first_restated = (last_day - dt.timedelta(days=RESTATED_SPEND_DAYS - 1)).isoformat()
    local = "cast({} as date)"  # timestamptz cast to date in the session time zone (Moscow)
    ts = {"visits": "started_at", "calls": "started_at", "deal_stage_events": "entered_at"}
    n: dict[str, int] = {}
    for entity, col in ts.items():
        day = local.format(col)
        n[f"base_{entity}"] = _copy(
            con, f"select * from {entity} where {day} < '{last}'", w.base / entity / "base.parquet"
        )
        n[f"night_{entity}"] = _copy(
            con,
            f"select * from {entity} where {day} = '{last}'",
            w.night / entity / "night.parquet",
        )
    # spend: the restated days first arrive provisional, the night re-sends the true figures
    n["base_ad_spend"] = _copy(
        con,
        f"""select * replace (case when spend_date >= '{first_restated}'
                then cast(round(cost * {PROVISIONAL_COST}, 2) as decimal(18, 2))
                else cost end as cost)
            from ad_spend where spend_date < '{last}'""",
        w.base / "ad_spend" / "base.parquet",
    )
    n["night_ad_spend"] = _copy(
        con,
        f"select * from ad_spend where spend_date >= '{first_restated}'",
        w.night / "ad_spend" / "night.parquet",
    )
    # deals the CRM touched on the last day stood at their previous stage the evening before
    created, updated = local.format("created_at"), local.format("updated_at")
    n["base_deals"] = _copy(
        con,
        f"""
        with before as (
            select deal_id, arg_max(stage, entered_at) as stage, max(entered_at) as entered_at
            from deal_stage_events where {local.format("entered_at")} < '{last}'
            group by deal_id
        )
        select deals.* replace (
            case when {updated} = '{last}'
                then case when before.stage in ('won', 'lost') then before.stage else 'open' end
                else status end as status,
            case when {updated} = '{last}'
                then case when before.stage in ('won', 'lost') then before.entered_at end
                else closed_at end as closed_at,
            case when {updated} = '{last}'
                then coalesce(before.stage, deals.stage) else deals.stage end as stage,
            case when {updated} = '{last}'
                then coalesce(before.entered_at, created_at) else updated_at end as updated_at
        )
        from deals left join before using (deal_id)
        where {created} < '{last}'
        """,
        w.base / "deals" / "base.parquet",
    )
    n["night_deals"] = _copy(
        con, f"select * from deals where {updated} = '{last}'", w.night / "deals" / "night.parquet"
    )
    stats = con.execute(
        """select
            (select count(*) from visits), (select count(distinct client_id) from visits),
            (select count(*) from deals),
            (select count(*) filter (where status = 'won') from deals),
            (select count(distinct campaign_id) from ad_spend), (select count(*) from ad_spend),
            (select count(distinct source_system) from ad_spend)"""
    ).fetchone()
    keys = ("visits", "clients", "deals", "won", "campaigns", "spend_rows", "platforms")
    n.update(dict(zip(keys, stats, strict=True)))
    return n


def link_tree(src: Path, dst: Path) -> None:
    """Hard-link (or copy, across file systems) every file of ``src`` into ``dst``."""
    for path in src.rglob("*.parquet"):
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
