"""The sensors on real runs of a tiny nightly job: a failed run alerts and the next good run clears
it; a good run alerts late sources, signals and failed checks from the snapshot, once each."""

import datetime as dt
import logging

import dagster as dg
import duckdb
import pytest

from pipelines.alerts.evaluate import reporting_today
from pipelines.alerts.sensors import FAILURE_SENSOR, SUCCESS_SENSOR, build_alert_sensors
from pipelines.schedules import nightly_job
from pipelines.settings import REPO_ROOT, read_settings

TOKEN = "tok-7e21b4d09c"


class ThingConfig(dg.Config):
    fail: bool = False
    untidy: bool = False


@dg.asset(check_specs=[dg.AssetCheckSpec("thing_is_tidy", asset="thing")])
def thing(config: ThingConfig) -> dg.MaterializeResult:
    if config.fail:
        raise RuntimeError("the source answered 500")
    check = dg.AssetCheckResult(passed=not config.untidy, severity=dg.AssetCheckSeverity.WARN)
    return dg.MaterializeResult(check_results=[check])


def _settings(tmp_path, urls):
    env = {"THROUGHLINE_SOURCES": "demo", "THROUGHLINE_DATA_DIR": str(tmp_path)}
    if urls:
        env["THROUGHLINE_ALERT_URLS"] = urls
    return read_settings(tmp_path / "throughline.yml", env=env)


def _snapshot(settings, deals_behind):
    today = reporting_today(settings, dt.datetime.now(dt.UTC))
    path = settings.serving_path
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute(
        "create table fct_source_freshness as select * from (values "
        "('metrica', 'visits', ?::date, 700, 9000), ('amocrm', 'deals', ?::date, 20, 270)) "
        "as t(source_system, entity, last_data_date, rows_last_7_days, rows_total)",
        [today - dt.timedelta(days=1), today - dt.timedelta(days=deals_behind)],
    )
    con.execute(
        "create table fct_metric_signals as select ?::date as report_date, 'cpl' as kind, "
        "'Paid Search' as subject, 15000.0::double as value, 10000.0::double as trailing_value, "
        "0.5::double as relative_change, true as is_signal, 28.0::double as trailing_denominator",
        [today - dt.timedelta(days=1)],
    )
    con.execute("create table publish_meta as select 'RUB' as reporting_currency")
    con.close()


def _run(defs, instance, **config):
    job = defs.resolve_job_def("nightly")
    run_config = dg.RunConfig(ops={"thing": ThingConfig(**config)})
    return job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)


def _evaluate(defs, instance, result):
    if result.success:
        sensor, event = defs.resolve_sensor_def(SUCCESS_SENSOR), result.get_run_success_event()
    else:
        sensor, event = defs.resolve_sensor_def(FAILURE_SENSOR), result.get_run_failure_event()
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=event,
    )
    return sensor(context if result.success else context.for_run_failure())


def _titles(httpserver, seen):
    """Titles received since the last call."""
    titles = [r.get_json()["title"].removeprefix("[Throughline] ") for r, _ in httpserver.log]
    new = titles[len(seen) :]
    seen.extend(new)
    return sorted(new)


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as inst:
        yield inst


def test_alerts_fire_once_and_clear_across_nightly_runs(tmp_path, httpserver, instance, caplog):
    httpserver.expect_request(f"/hook/{TOKEN}", method="POST").respond_with_data("ok")
    caplog.set_level(logging.DEBUG)
    settings = _settings(tmp_path, f"json://127.0.0.1:{httpserver.port}/hook/{TOKEN}")
    defs = dg.Definitions(assets=[thing], jobs=[nightly_job], sensors=build_alert_sensors(settings))
    # the sensors watch the real nightly job (an asset job over everything, here just `thing`)
    assert defs.resolve_job_def("nightly").name == "nightly"
    seen: list[str] = []

    failed = _run(defs, instance, fail=True)
    assert not failed.success
    assert _evaluate(defs, instance, failed) is None
    assert _titles(httpserver, seen) == ["FIRING: The nightly run failed"]
    body = httpserver.log[-1][0].get_json()["message"]
    assert "failed in step(s): thing." in body and failed.run_id in body

    failed_again = _run(defs, instance, fail=True)
    assert isinstance(_evaluate(defs, instance, failed_again), dg.SkipReason)  # still open
    assert _titles(httpserver, seen) == []

    _snapshot(settings, deals_behind=3)
    good = _run(defs, instance, untidy=True)
    assert good.success
    _evaluate(defs, instance, good)
    assert _titles(httpserver, seen) == [
        "FIRING: CPL of Paid Search up 50%",
        "FIRING: Check failed: thing_is_tidy",
        "FIRING: Late data: amocrm deals",
        "RESOLVED: The nightly run failed",
    ]

    again = _run(defs, instance, untidy=True)
    assert isinstance(_evaluate(defs, instance, again), dg.SkipReason)  # nothing changed
    assert _titles(httpserver, seen) == []

    _snapshot(settings, deals_behind=1)  # amocrm caught up; the signal still holds
    tidy = _run(defs, instance)
    _evaluate(defs, instance, tidy)
    assert _titles(httpserver, seen) == [
        "RESOLVED: Check failed: thing_is_tidy",
        "RESOLVED: Late data: amocrm deals",
    ]
    ours = [r.getMessage() for r in caplog.records if r.name != "werkzeug"]  # not the receiver's
    assert ours and not [m for m in ours if TOKEN in m]


def test_without_urls_the_sensors_skip_and_keep_no_state(tmp_path, instance):
    settings = _settings(tmp_path, None)
    defs = dg.Definitions(assets=[thing], jobs=[nightly_job], sensors=build_alert_sensors(settings))
    result = _evaluate(defs, instance, _run(defs, instance, fail=True))
    assert isinstance(result, dg.SkipReason) and "THROUGHLINE_ALERT_URLS" in result.skip_message
    assert not (tmp_path / "alerts.json").exists()


def test_sensors_run_by_default_and_watch_only_the_nightly_job(tmp_path):
    sensors = build_alert_sensors(_settings(tmp_path, None))
    assert {s.name for s in sensors} == {FAILURE_SENSOR, SUCCESS_SENSOR}
    for sensor in sensors:
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_the_sensors_join_the_real_definitions(tmp_path):
    from pipelines.definitions import build_definitions

    settings = read_settings(
        REPO_ROOT / "throughline.yml",
        env={"THROUGHLINE_SOURCES": "demo", "THROUGHLINE_DATA_DIR": str(tmp_path)},
    )
    defs = build_definitions(settings)  # the alert sensors are wired in, beside the run record
    for name in (FAILURE_SENSOR, SUCCESS_SENSOR, "record_successful_run", "record_failed_run"):
        assert defs.resolve_sensor_def(name).name == name
    assert defs.resolve_job_def("nightly").name == "nightly"
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"marts/fct_source_freshness", "marts/fct_metric_signals"} <= keys
