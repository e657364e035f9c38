"""The dbt project: its vars from settings, and a manifest parsed for exactly those vars."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from pipelines.settings import REPO_ROOT, Settings

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def dbt_vars(settings: Settings) -> dict[str, Any]:
    """Everything an analyst could also pass with `dbt build --vars`."""
    attribution = settings.attribution
    values: dict[str, Any] = {
        "throughline_sources": settings.enabled_sources,
        "reporting_timezone": settings.timezone,
        "reporting_currency": settings.currency,
        "attribution_models": attribution.models,
        "lookback_days": attribution.lookback_days,
        "path_lookback_steps": attribution.path_lookback_steps,
        "path_transform": attribution.path_transform,
        "position_first_share": attribution.position_first_share,
        "position_last_share": attribution.position_last_share,
        "time_decay_half_life_days": attribution.time_decay_half_life_days,
        "bootstrap_resamples": attribution.bootstrap_resamples,
        "bootstrap_seed": attribution.bootstrap_seed,
        "data_driven_min_conversions": attribution.data_driven_min_conversions,
        "w_shaped_opportunity_stages": attribution.w_shaped_opportunity_stages,
        # Calltouch's own calls (by connector, not by the source_system a row claims) become
        # leads when no CRM deal knows the caller; the demo's simulated calls stay touches only.
        "lead_call_sources": ["calltouch"] if "calltouch" in settings.enabled_sources else [],
    }
    if settings.freshness_as_of:
        values["freshness_as_of"] = settings.freshness_as_of.isoformat()
    return values


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment the dbt subprocess needs (profiles.yml reads the warehouse path from it)."""
    return {
        "THROUGHLINE_WAREHOUSE_PATH": str(settings.warehouse_path),
        "THROUGHLINE_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
    }


def dbt_vars_arg(settings: Settings) -> str:
    return json.dumps(dbt_vars(settings), sort_keys=True)


def target_dir(settings: Settings) -> Path:
    # Vars decide which models are enabled, so each set of vars gets its own manifest.
    digest = hashlib.sha256(dbt_vars_arg(settings).encode()).hexdigest()[:10]
    return DBT_PROJECT_DIR / "target" / f"vars-{digest}"


def venv_executable(name: str) -> str:
    """A console script of this virtualenv (dbt, dagster, streamlit), else whatever PATH has."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def dbt_executable() -> str:
    return venv_executable("dbt")


_NOT_PROJECT = {"target", "logs", "dbt_packages", "__pycache__"}


def project_fingerprint(settings: Settings) -> str:
    """Every project file's path, size and mtime, with the vars and the dbt environment: an
    analyst's edit (or a checkout) changes it; a nightly run on an unchanged project does not."""
    digest = hashlib.sha256(dbt_vars_arg(settings).encode())
    digest.update(json.dumps(dbt_env(settings), sort_keys=True).encode())
    for path in sorted(DBT_PROJECT_DIR.rglob("*")):
        relative = path.relative_to(DBT_PROJECT_DIR)
        if _NOT_PROJECT.intersection(relative.parts) or not path.is_file():
            continue
        info = path.stat()
        digest.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def dbt_command(settings: Settings, target: Path, *args: str) -> list[str]:
    """`dbt <args>` on this project with these settings' vars, artifacts in ``target``."""
    return [
        dbt_executable(),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--vars",
        dbt_vars_arg(settings),
    ]


def prepare_manifest(settings: Settings, force: bool = False) -> Path:
    """Run `dbt parse` for these settings unless a manifest for them exists already; with
    ``force``, also when the project changed since that manifest was parsed (the ~3 s of a
    parse are a fifth of a nightly run, so an unchanged project is not parsed again)."""
    target = target_dir(settings)
    manifest = target / "manifest.json"
    stamp = target / "fingerprint.txt"
    fingerprint = project_fingerprint(settings)
    if manifest.exists() and (not force or (stamp.exists() and stamp.read_text() == fingerprint)):
        return manifest
    stamp.unlink(missing_ok=True)
    done = subprocess.run(
        dbt_command(settings, target, "parse", "--quiet"),
        env={**os.environ, **dbt_env(settings)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not manifest.exists():
        raise RuntimeError(f"dbt parse failed:\n{done.stdout}\n{done.stderr}")
    stamp.write_text(fingerprint)
    return manifest
