"""Publishing the marts as serving.duckdb: built aside, then renamed over the old one.

Readers open serving.duckdb read-only; a reader that opened the old file keeps reading it until
it reopens, and nobody ever sees a half-written snapshot or holds a lock the warehouse needs.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _remove_orphans(serving_path: Path) -> None:
    """Temporary snapshots of publishers that were killed mid-write (nobody reads them)."""
    for tmp in serving_path.parent.glob(f".{serving_path.name}.*.tmp*"):
        pid = tmp.name.split(".")[-2] if tmp.name.endswith(".tmp") else tmp.name.split(".")[-3]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:
            pass  # alive, someone else's


def publish_snapshot(
    warehouse_path: Path,
    serving_path: Path,
    meta: dict[str, str],
    published_at: dt.datetime | None = None,
) -> dict[str, int]:
    """Copy every table of the warehouse's marts schema; return row counts per table."""
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(serving_path)
    tmp = serving_path.with_name(f".{serving_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    published_at = published_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("attach ? as wh (read_only)", [str(warehouse_path)])
            tables = [
                row[0]
                for row in con.execute(
                    "select table_name from duckdb_tables() "
                    "where database_name = 'wh' and schema_name = ? order by table_name",
                    [MARTS_SCHEMA],
                ).fetchall()
            ]
            if not tables:
                raise RuntimeError(
                    f"{warehouse_path}: no tables in schema {MARTS_SCHEMA}; run dbt first"
                )
            for table in tables:
                name = _quote(table)
                con.execute(f"create table {name} as select * from wh.{MARTS_SCHEMA}.{name}")
                counts[table] = con.execute(f"select count(*) from {name}").fetchone()[0]
            con.execute(
                "create table publish_meta as select ?::timestamp as published_at, "
                + ", ".join(f"?::varchar as {_quote(k)}" for k in meta),
                [published_at, *meta.values()],
            )
            con.execute("detach wh")
        finally:
            con.close()
        os.replace(tmp, serving_path)
    finally:
        tmp.unlink(missing_ok=True)
    return counts
