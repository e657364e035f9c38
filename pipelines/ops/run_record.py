"""`last_run.json` beside the serving snapshot: how the latest nightly run ended, which steps
failed and which warn-level dbt checks failed (they publish, but the data-health page shows them).
The dashboards read it; they never open the warehouse or Dagster's storage."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from pipelines.settings import Settings
from pipelines.transform.project import target_dir

RUN_RECORD = "last_run.json"


def dbt_warnings(run_results: Path) -> list[str]:
    """Tests dbt reported as 'warn' in its last run_results.json (none if it is missing)."""
    try:
        results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []
    return sorted(r["unique_id"] for r in results if r.get("status") == "warn")


def write_run_record(
    settings: Settings, status: str, failed_steps: list[str], finished_at: dt.datetime | None = None
) -> Path:
    record = {
        "status": status,
        "finished_at": (finished_at or dt.datetime.now(dt.UTC)).isoformat(),
        "failed_steps": sorted(failed_steps),
        "warnings": dbt_warnings(target_dir(settings) / "run_results.json"),
    }
    path = settings.serving_path.with_name(RUN_RECORD)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(tmp, path)  # readers see the old record or the new one, never half of one
    return path
