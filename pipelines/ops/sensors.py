"""Run-status sensors that keep last_run.json current for runs the daemon launches (the schedule,
a backfill, a run from the UI); `make build` writes it itself."""

import dagster as dg

from pipelines.constants import NIGHTLY_JOB
from pipelines.ops.run_record import write_run_record
from pipelines.settings import load_settings


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="record_successful_run",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def record_successful_run(context: dg.RunStatusSensorContext) -> None:
    if context.dagster_run.job_name == NIGHTLY_JOB:
        write_run_record(load_settings(), "success", [])


@dg.run_failure_sensor(name="record_failed_run", default_status=dg.DefaultSensorStatus.RUNNING)
def record_failed_run(context: dg.RunFailureSensorContext) -> None:
    if context.dagster_run.job_name == NIGHTLY_JOB:
        failed = [event.step_key for event in context.get_step_failure_events() if event.step_key]
        write_run_record(load_settings(), "failure", failed)


RUN_RECORD_SENSORS = [record_successful_run, record_failed_run]
