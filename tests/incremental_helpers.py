"""Following nights on a built demo warehouse, for the incremental models: raw rows changed the way
a dlt load changes them (written rows carry the night's new `_dlt_load_id`), dbt run on the
warehouse itself (incremental) or on a copy with --full-refresh, and the tables compared."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
from nightly_helpers import REPO

from pipelines.settings import read_settings
from pipelines.transform.project import DBT_PROJECT_DIR, dbt_command

# Bookkeeping of the incremental models: compared only where a whole build has the same rows.
LIVE_ROWS = {
    "int_touch_events": "is_deleted is not true",
    "int_deal_signatures": "not is_deleted",
    "int_stitched_clients": "is_converted",
}
NOT_COMPARED = {"incremental_state", "int_channel_map", "int_campaign_map"}  # keep stale keys
STAMPS = ("_stamp", "is_deleted")


def run_dbt(env: dict[str, str], warehouse: Path, target: Path, *args: str) -> str:
    """`dbt <args>` on this warehouse with the vars the nightly job would pass; its log."""
    settings = read_settings(env=env)
    done = subprocess.run(
        dbt_command(settings, target, *args),
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **env, "THROUGHLINE_WAREHOUSE_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    return done.stdout


def full_refresh_copy(env: dict[str, str], warehouse: Path, target: Path, copy: Path) -> Path:
    """The same raw data built from scratch: a copy of the warehouse, dbt run --full-refresh."""
    shutil.copyfile(warehouse, copy)
    run_dbt(env, copy, target, "run", "--full-refresh")
    return copy


def apply_night(warehouse: Path, statements: list[str]) -> str:
    """One night's raw changes, every written row stamped with a new load id (as dlt does)."""
    load_id = f"{time.time():.7f}"
    con = duckdb.connect(str(warehouse))
    try:
        for sql in statements:
            con.execute(sql.replace("{load}", load_id))
    finally:
        con.close()
    return load_id


def compared_tables(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table of the marts and intermediate schemas, rows sorted, stamps left out."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('marts', 'intermediate') order by 1, 2"
        ).fetchall()
        out = {}
        for schema, table in tables:
            if table in NOT_COMPARED:
                continue
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = ? "
                    "and table_name = ? and column_name not in ? order by column_index",
                    [schema, table, list(STAMPS)],
                ).fetchall()
            ]
            where = f" where {LIVE_ROWS[table]}" if table in LIVE_ROWS else ""
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from {schema}."{table}"{where}').fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def differences(incremental: dict, full: dict) -> dict[str, tuple[int, int]]:
    """Tables that differ: rows only in the incremental build, rows only in the full one."""
    out = {}
    for name in sorted(set(incremental) | set(full)):
        a, b = incremental.get(name, []), full.get(name, [])
        if a != b:
            only_a = len([r for r in a if r not in set(b)])
            only_b = len([r for r in b if r not in set(a)])
            out[name] = (only_a, only_b)
    return out


def models_rebuilt_whole(log: str) -> list[str]:
    return sorted(
        line.split(": rebuilt whole")[0].split()[-1]
        for line in log.splitlines()
        if ": rebuilt whole" in line
    )


__all__ = [
    "REPO",
    "apply_night",
    "compared_tables",
    "differences",
    "full_refresh_copy",
    "models_rebuilt_whole",
    "run_dbt",
]
