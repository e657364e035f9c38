"""One repetition of the pipeline on B1: a full build from an empty warehouse, then one night.

Both run the real command (`python -m pipelines.cli build`: every enabled source, every dbt
model and test, publish) in a fresh data dir, with the drop folder as the files source.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.measure import Measured, run
from bench.workload import SALT, Workload, link_tree

REPO = Path(__file__).resolve().parent.parent
# dbt models from the touch events to the per-channel credit: the "attribution step" that is
# compared with the hand-written query (which does last-touch only, from the same files).
ATTRIBUTION_MODELS = ("int_touch_events", "int_touchpoints", "int_attribution", "fct_channel_daily")


@dataclass(frozen=True)
class Build:
    seconds: float
    peak_rss_bytes: int
    step_seconds: dict[str, float]  # Dagster step -> seconds (from the run log)
    model_seconds: dict[str, float]  # dbt node -> seconds (run_results.json)
    peak_processes: tuple[tuple[str, int], ...] = ()  # the tree at its peak, largest first


def pipeline_env(data_dir: Path, drop: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THROUGHLINE_")}
    env.update(
        THROUGHLINE_DATA_DIR=str(data_dir),
        THROUGHLINE_SOURCES="files",
        THROUGHLINE_FILES_DIR=str(drop),
        THROUGHLINE_PII_SALT=SALT,
        THROUGHLINE_ALERT_URLS="",
    )
    # the one setting a bench run may vary: DuckDB's memory cap (memory against time)
    if "THROUGHLINE_DUCKDB_MEMORY_LIMIT" in os.environ:
        env["THROUGHLINE_DUCKDB_MEMORY_LIMIT"] = os.environ["THROUGHLINE_DUCKDB_MEMORY_LIMIT"]
    return env


def _steps(log: Path) -> dict[str, float]:
    steps = {}
    for line in log.read_text(errors="replace").splitlines():
        if "STEP_SUCCESS" in line and 'Finished execution of step "' in line:
            name = line.split('step "', 1)[1].split('"', 1)[0]
            took = line.rsplit(" in ", 1)[1].rstrip(".")
            steps[name] = _seconds(took)
    return steps


def _seconds(text: str) -> float:
    """Dagster's durations: '440ms', '13.53s', '1m13s', '1h2m'."""
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    total = 0.0
    for value, unit in re.findall(r"([\d.]+)\s*([hms])", text):
        total += float(value) * {"h": 3600.0, "m": 60.0, "s": 1.0}[unit]
    return total


def _model_seconds() -> dict[str, float]:
    """Per-node times of the newest dbt invocation (its target dir is keyed by vars)."""
    results = sorted(
        (REPO / "dbt_project" / "target").glob("vars-*/run_results.json"),
        key=lambda p: p.stat().st_mtime,
    )
    if not results:
        return {}
    data = json.loads(results[-1].read_text())
    return {
        r["unique_id"].split(".")[-1]: round(r["execution_time"], 3)
        for r in data["results"]
        if r["unique_id"].startswith(("model.", "seed."))
    }


def _build(data_dir: Path, drop: Path, log: Path) -> Build:
    cmd = [sys.executable, "-m", "pipelines.cli", "build"]
    m: Measured = run(cmd, pipeline_env(data_dir, drop), log, cwd=REPO)
    if m.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"build failed (exit {m.returncode}), log {log}:\n{tail}")
    return Build(
        round(m.seconds, 2), m.peak_rss_bytes, _steps(log), _model_seconds(), m.peak_processes
    )


def repetition(w: Workload, work: Path) -> dict[str, dict]:
    """Full build, then the night; returns both measurements and leaves the snapshot."""
    shutil.rmtree(work, ignore_errors=True)
    data_dir, drop = work / "data", work / "drop"
    link_tree(w.base, drop)
    full = _build(data_dir, drop, work / "full.log")
    link_tree(w.night, drop)
    nightly = _build(data_dir, drop, work / "nightly.log")
    return {"full": asdict(full), "nightly": asdict(nightly)}
