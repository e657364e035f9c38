"""One dlt asset group per enabled source; every table lands in raw_<source>.<resource>."""

import dagster as dg
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from pipelines.constants import WAREHOUSE_POOL
from pipelines.ingest.partitions import daily_partitions, run_window
from pipelines.ingest.sources import Connector, build_pipeline, enabled_connectors
from pipelines.settings import Settings, load_settings


class RawTableTranslator(DagsterDltTranslator):
    """Keys match dbt's source keys (raw_<source>/<table>), so lineage joins up."""

    def __init__(self, connector: Connector):
        self.connector = connector

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        return spec.replace_attributes(
            key=dg.AssetKey([self.connector.dataset, data.resource.name]),
            group_name=f"ingest_{self.connector.name}",
            deps=[],
        )


def _ingest_assets(connector: Connector, settings: Settings) -> dg.AssetsDefinition:
    partitioned = connector.partitioned

    @dlt_assets(
        dlt_source=connector.build(settings, False),
        dlt_pipeline=build_pipeline(connector, settings),
        name=f"ingest_{connector.name}",
        dagster_dlt_translator=RawTableTranslator(connector),
        pool=WAREHOUSE_POOL,
        partitions_def=daily_partitions(settings) if partitioned else None,
        backfill_policy=dg.BackfillPolicy.single_run() if partitioned else None,
    )
    def _assets(context: dg.AssetExecutionContext, dlt: DagsterDltResource):
        run_settings = load_settings()
        source = (
            connector.build(run_settings, True, run_window(context))
            if partitioned
            else connector.build(run_settings, True)
        )
        yield from dlt.run(
            context=context,
            dlt_source=source,
            dlt_pipeline=build_pipeline(connector, run_settings),
        )

    return _assets


def build_ingest_assets(settings: Settings) -> list[dg.AssetsDefinition]:
    return [_ingest_assets(connector, settings) for connector in enabled_connectors(settings)]
