"""The publish asset: runs after every mart is built and tested."""

import dagster as dg

from pipelines.constants import WAREHOUSE_POOL
from pipelines.publish.snapshot import publish_snapshot
from pipelines.settings import load_settings


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The publish step depends on every mart, so it runs only after all of them (and their
    tests, which fail the dbt step) have succeeded."""

    @dg.asset(
        deps=mart_keys,
        group_name="publish",
        pool=WAREHOUSE_POOL,
        description="serving.duckdb: an atomic snapshot of the marts that the dashboards read.",
    )
    def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = load_settings()
        meta = {
            "reporting_currency": settings.currency,
            "reporting_timezone": settings.timezone,
            "sources": ",".join(settings.enabled_sources),
            "attribution_models": ",".join(settings.attribution.models),
        }
        counts = publish_snapshot(settings.warehouse_path, settings.serving_path, meta)
        context.log.info(f"published {settings.serving_path}: {counts}")
        return dg.MaterializeResult(
            metadata={f"rows_{table}": count for table, count in counts.items()}
            | {"path": str(settings.serving_path)}
        )

    return serving_snapshot
