"""The Dagster definitions load for each source set, with the graph DESIGN.md describes."""

import dagster as dg
import pytest

from pipelines.constants import NIGHTLY_JOB, WAREHOUSE_POOL
from pipelines.definitions import build_definitions
from pipelines.settings import ConfigError, read_settings
from pipelines.transform.project import DBT_PROJECT_DIR


def _settings(tmp_path, sources):
    return read_settings(
        DBT_PROJECT_DIR.parent / "throughline.yml",
        env={"THROUGHLINE_SOURCES": sources, "THROUGHLINE_DATA_DIR": str(tmp_path)},
    )


@pytest.mark.parametrize("sources", ["demo", "files", "demo,files"])
def test_graph_joins_raw_tables_to_dbt_and_publish(tmp_path, sources):
    defs = build_definitions(_settings(tmp_path, sources))
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    for name in sources.split(","):
        assert f"raw_{name}/visits" in keys
        # dlt's raw table is the parent of the dbt staging model: lineage is continuous
        parents = graph.get(dg.AssetKey(["staging", f"stg_{name}__visits"])).parent_keys
        assert dg.AssetKey([f"raw_{name}", "visits"]) in parents
    assert {"marts/fct_channel_daily", "marts/fct_funnel_daily", "serving_snapshot"} <= keys
    publish_parents = graph.get(dg.AssetKey("serving_snapshot")).parent_keys
    assert dg.AssetKey(["marts", "fct_channel_daily"]) in publish_parents

    # every step that opens the warehouse is in the one pool
    for assets_def in defs.assets:
        assert assets_def.op.pool == WAREHOUSE_POOL, assets_def.node_def.name

    # dbt tests are asset checks
    checks = {c.name for c in graph.asset_check_keys}
    assert "unique_int_deals_deal_key" in checks

    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 3 * * *", "Europe/Moscow")
    assert schedule.job_name == NIGHTLY_JOB
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_unknown_source_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown source.*amocrmm.*known: demo, files"):
        build_definitions(_settings(tmp_path, "amocrmm"))
