"""The nightly job (every asset, dbt tests included, then publish) and its schedule."""

from __future__ import annotations

import dagster as dg

from pipelines.constants import NIGHTLY_JOB
from pipelines.settings import Settings

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB,
    selection=dg.AssetSelection.all(),
    description="Pull every enabled source, build and test the dbt project, publish the snapshot.",
)


def nightly_schedule(settings: Settings) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="nightly_schedule",
        job=nightly_job,
        cron_schedule=settings.schedule.nightly_cron,
        execution_timezone=settings.timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
