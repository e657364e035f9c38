"""The nightly job (every asset, dbt tests included, then publish) and its schedule."""

from __future__ import annotations

import dagster as dg

from pipelines.constants import NIGHTLY_JOB
from pipelines.ingest.partitions import nightly_tags
from pipelines.ingest.sources import enabled_connectors
from pipelines.settings import Settings

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB,
    selection=dg.AssetSelection.all(),
    description="Pull every enabled source, build and test the dbt project, publish the snapshot.",
)


def run_tags(settings: Settings, now=None) -> dict[str, str]:
    """Partition tags when an API source (daily partitions) is enabled; none otherwise."""
    if any(c.partitioned for c in enabled_connectors(settings)):
        return nightly_tags(settings, now)
    return {}


def nightly_schedule(settings: Settings) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="nightly_schedule",
        job=nightly_job,
        cron_schedule=settings.schedule.nightly_cron,
        execution_timezone=settings.timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def _nightly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags=run_tags(settings, context.scheduled_execution_time))

    return _nightly
