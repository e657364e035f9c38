"""The Dagster definitions load for each source set, with the graph DESIGN.md describes."""

import dagster as dg
import pytest

from pipelines.constants import NIGHTLY_JOB, WAREHOUSE_POOL
from pipelines.definitions import build_definitions
from pipelines.settings import ConfigError, read_settings
from pipelines.transform.project import DBT_PROJECT_DIR

API_SOURCES = "yandex_direct,vk_ads,yandex_metrica,amocrm,bitrix24,retailcrm,calltouch"
# what each API source needs besides its secrets (no secrets: definitions must load without them)
REQUIRED_OPTIONS = {
    "THROUGHLINE_SOURCES__YANDEX_METRICA__COUNTER_ID": "12345",
    "THROUGHLINE_SOURCES__AMOCRM__SUBDOMAIN": "shop",
    "THROUGHLINE_SOURCES__RETAILCRM__SUBDOMAIN": "shop",
    "THROUGHLINE_SOURCES__CALLTOUCH__SITE_ID": "4321",
}


def _settings(tmp_path, sources, **env):
    return read_settings(
        DBT_PROJECT_DIR.parent / "throughline.yml",
        env={"THROUGHLINE_SOURCES": sources, "THROUGHLINE_DATA_DIR": str(tmp_path), **env},
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
    with pytest.raises(ConfigError, match="unknown source.*amocrmm.*known: demo, files, yandex_"):
        build_definitions(_settings(tmp_path, "amocrmm"))


def test_api_sources_are_daily_partitioned_and_feed_their_staging_models(tmp_path):
    defs = build_definitions(_settings(tmp_path, API_SOURCES, **REQUIRED_OPTIONS))
    graph = defs.resolve_asset_graph()
    staged = [k for k in graph.get_all_asset_keys() if k.path[0] == "staging"]
    assert len(staged) >= 9
    for key in staged:
        name = key.path[1].removeprefix("stg_").split("__")[0]
        raw_parents = [p for p in graph.get(key).parent_keys if p.path[0] == f"raw_{name}"]
        assert raw_parents, key  # the dbt source() is the dlt asset: one lineage, no gap
        for parent in raw_parents:
            if parent.path[-1] == "rejected_rows" and name == "yandex_metrica":
                continue  # written by the visits resource (one download feeds both tables)
            node = graph.get(parent)
            assert node.is_materializable, parent
            assert isinstance(node.partitions_def, dg.DailyPartitionsDefinition), parent
            assert node.partitions_def.timezone == "Europe/Moscow"
    ingest = [a for a in defs.assets if a.node_def.name.startswith("ingest_")]
    assert len(ingest) == 7
    for assets_def in ingest:  # a backfill of any range is one run per source
        assert assets_def.backfill_policy == dg.BackfillPolicy.single_run()


def test_nightly_run_asks_for_yesterday_incrementally_when_api_sources_are_on(tmp_path):
    import datetime as dt

    defs = build_definitions(_settings(tmp_path, "demo,yandex_direct"))
    schedule = defs.resolve_schedule_def("nightly_schedule")
    at = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)  # 03:30 in Moscow
    with dg.build_schedule_context(scheduled_execution_time=at) as context:
        request = schedule.evaluate_tick(context).run_requests[0]
    assert request.tags["dagster/asset_partition_range_start"] == "2026-02-28"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-02-28"
    assert request.tags["throughline/window"] == "incremental"

    demo_only = build_definitions(_settings(tmp_path, "demo")).resolve_schedule_def(
        "nightly_schedule"
    )
    with dg.build_schedule_context(scheduled_execution_time=at) as context:
        tags = demo_only.evaluate_tick(context).run_requests[0].tags
    assert not any(t.startswith(("dagster/asset_partition", "throughline/")) for t in tags)


def test_a_source_missing_a_required_option_says_which(tmp_path):
    with pytest.raises(ConfigError, match="counter_id"):
        build_definitions(_settings(tmp_path, "yandex_metrica"))
