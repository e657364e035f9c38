"""The nightly run parses the dbt project only when it changed (a parse is ~3 s of a night)."""

from __future__ import annotations

import os
import shutil

from pipelines.settings import read_settings
from pipelines.transform import project


def test_manifest_is_parsed_again_only_when_the_project_changes(tmp_path, monkeypatch):
    copy = tmp_path / "dbt_project"
    shutil.copytree(project.DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(project, "DBT_PROJECT_DIR", copy)
    (tmp_path / "throughline.yml").write_text(f"data_dir: {tmp_path / 'data'}\n")
    settings = read_settings(tmp_path / "throughline.yml", env={"THROUGHLINE_SOURCES": "demo"})

    manifest = project.prepare_manifest(settings, force=True)
    first = manifest.stat().st_mtime_ns
    assert project.prepare_manifest(settings, force=True).stat().st_mtime_ns == first

    model = copy / "models" / "marts" / "fct_channel_daily.sql"
    info = model.stat()
    os.utime(model, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # an analyst's edit
    assert project.prepare_manifest(settings, force=True).stat().st_mtime_ns > first

    other = read_settings(
        tmp_path / "throughline.yml",
        env={"THROUGHLINE_SOURCES": "demo", "THROUGHLINE_ATTRIBUTION__LOOKBACK_DAYS": "14"},
    )
    assert project.project_fingerprint(other) != project.project_fingerprint(settings)
