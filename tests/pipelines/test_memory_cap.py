"""DuckDB's memory cap reaches the dbt subprocess: profiles.yml reads it from dbt_env."""

from __future__ import annotations

import os
import subprocess

from pipelines.settings import read_settings
from pipelines.transform import project


def test_dbt_runs_duckdb_under_the_configured_memory_cap(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "throughline.yml").write_text(f"data_dir: {tmp_path / 'data'}\n")
    settings = read_settings(
        tmp_path / "throughline.yml",
        env={"THROUGHLINE_SOURCES": "demo", "THROUGHLINE_DUCKDB_MEMORY_LIMIT": "1GB"},
    )
    query = "select current_setting('memory_limit') as cap"
    done = subprocess.run(
        project.dbt_command(settings, tmp_path / "target", "show", "--inline", query),
        env={**os.environ, **project.dbt_env(settings)},
        capture_output=True,
        text=True,
        check=False,
        cwd=project.DBT_PROJECT_DIR,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "953.6 MiB" in done.stdout  # 1GB = 10^9 bytes, as DuckDB reports it
    # and the default when nothing is set
    assert read_settings(tmp_path / "throughline.yml", env={}).duckdb_memory_limit == "2GB"
