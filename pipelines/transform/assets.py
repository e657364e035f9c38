"""dbt models as Dagster assets; dbt tests become asset checks."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.constants import WAREHOUSE_POOL
from pipelines.settings import Settings, load_settings
from pipelines.transform.project import (
    DBT_PROJECT_DIR,
    dbt_env,
    dbt_executable,
    dbt_vars_arg,
    prepare_manifest,
    target_dir,
)


class LayerTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer (staging, intermediate, marts, seeds) as in the dbt docs."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props.get("resource_type") == "seed":
            return "seeds"
        return fqn[1] if len(fqn) > 2 else "dbt"


def build_dbt_args(settings: Settings) -> list[str]:
    args = ["build", "--vars", dbt_vars_arg(settings)]
    if not settings.dbt_unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    return args


def build_transform_assets(settings: Settings) -> dg.AssetsDefinition:
    manifest = prepare_manifest(settings)

    @dbt_assets(
        manifest=manifest,
        name="dbt_models",
        dagster_dbt_translator=LayerTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def _models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        run_settings = load_settings()
        # The dbt subprocess inherits os.environ: that is how profiles.yml learns the path.
        os.environ.update(dbt_env(run_settings))
        # A stable target path keeps dbt's partial parsing warm between runs.
        invocation = dbt.cli(
            build_dbt_args(run_settings), context=context, target_path=target_dir(run_settings)
        )
        yield from invocation.stream()

    return _models


def dbt_resource(settings: Settings) -> DbtCliResource:
    return DbtCliResource(
        project_dir=str(DBT_PROJECT_DIR),
        dbt_executable=dbt_executable(),
        profiles_dir=str(DBT_PROJECT_DIR),
        target_path=str(target_dir(settings)),
    )
