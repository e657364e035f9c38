"""Points Dagster at the instance directory under the data dir (one module decides this)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipelines.settings import Settings

_TEMPLATE = Path(__file__).with_name("dagster.yaml")


def prepare_dagster_home(settings: Settings) -> Path:
    """Create $DAGSTER_HOME with our dagster.yaml and export it for this process and children."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_TEMPLATE, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home
