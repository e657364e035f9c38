"""Dagster entry point: `dagster dev -m pipelines.definitions`."""

from __future__ import annotations

import dagster as dg
from dagster_dlt import DagsterDltResource

from pipelines.ingest.assets import build_ingest_assets
from pipelines.publish.assets import serving_snapshot
from pipelines.schedules import nightly_job, nightly_schedule
from pipelines.settings import Settings, load_settings
from pipelines.transform.assets import build_transform_assets, dbt_resource


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=[*build_ingest_assets(settings), build_transform_assets(settings), serving_snapshot],
        jobs=[nightly_job],
        schedules=[nightly_schedule(settings)],
        resources={"dlt": DagsterDltResource(), "dbt": dbt_resource(settings)},
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
