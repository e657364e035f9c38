"""Dagster entry point: `dagster dev -m pipelines.definitions`."""

from __future__ import annotations

import dagster as dg
from dagster_dlt import DagsterDltResource

from pipelines.alerts.sensors import build_alert_sensors
from pipelines.ingest.assets import build_ingest_assets
from pipelines.ops.sensors import RUN_RECORD_SENSORS
from pipelines.publish.assets import build_publish_asset
from pipelines.schedules import nightly_job, nightly_schedule
from pipelines.settings import Settings, load_settings
from pipelines.transform.assets import build_transform_assets, dbt_resource


def build_definitions(settings: Settings) -> dg.Definitions:
    ingest = build_ingest_assets(settings)  # first: an unknown source fails before dbt parses
    dbt_models = build_transform_assets(settings)
    marts = [key for key in dbt_models.keys if key.path[0] == "marts"]
    return dg.Definitions(
        assets=[*ingest, dbt_models, build_publish_asset(marts)],
        jobs=[nightly_job],
        schedules=[nightly_schedule(settings)],
        sensors=[*RUN_RECORD_SENSORS, *build_alert_sensors(settings)],
        resources={"dlt": DagsterDltResource(), "dbt": dbt_resource(settings)},
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
