"""After a load, dlt keeps neither the load's files nor the staging copy of its rows."""

from __future__ import annotations

import duckdb

from pipelines.ingest.sources import CONNECTORS, build_pipeline
from pipelines.settings import read_settings


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_a_merge_load_leaves_no_files_and_an_empty_staging_dataset(tmp_path):
    drop = tmp_path / "drop" / "visits"
    drop.mkdir(parents=True)
    (tmp_path / "throughline.yml").write_text(
        f"data_dir: {tmp_path / 'data'}\n"
        f"sources:\n  files:\n    enabled: true\n    dir: {tmp_path / 'drop'}\n"
    )
    settings = read_settings(tmp_path / "throughline.yml", env={"THROUGHLINE_PII_SALT": "s"})
    files = CONNECTORS["files"]
    visits_after = []
    for day, new_visits in ((1, ["v1", "v2", "v3"]), (2, ["v3", "v4"])):
        rows = [f"{v},c-{v},2026-03-0{day} 10:00:00" for v in new_visits]
        (drop / f"day{day}.csv").write_text("visit_id,client_id,started_at\n" + "\n".join(rows))
        info = build_pipeline(files, settings).run(files.build(settings, True))
        assert not info.has_failed_jobs
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            visits_after.append(_count(con, "raw_files.visits"))
            staged = con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'raw_files_staging'"
            ).fetchall()
            staged_rows = {
                t: _count(con, f'raw_files_staging."{t}"')
                for (t,) in staged
                if not t.startswith("_dlt")  # dlt's own bookkeeping
            }
        assert staged, "the files source merges, so dlt staged its rows"
        assert set(staged_rows.values()) == {0}, sorted(staged_rows.items())

    # the second drop re-sends v3 and adds v4: merged, nothing loaded before is lost
    assert visits_after == [3, 4]
    job_files = [
        p for p in settings.dlt_dir.rglob("*") if p.is_file() and "completed_jobs" in p.parts
    ]
    assert job_files == []
