"""Dagster sensors that send the alerts after each nightly run (the only Dagster in alerts/)."""

from __future__ import annotations

import dagster as dg

from pipelines.alerts.evaluate import after_failure, after_success, notifier_for
from pipelines.alerts.notify import URLS_ENV
from pipelines.alerts.rules import FailedCheck
from pipelines.alerts.state import Transition
from pipelines.schedules import nightly_job
from pipelines.settings import Settings

FAILURE_SENSOR = "nightly_failure_alerts"
SUCCESS_SENSOR = "nightly_alerts"
_OFF = f"{URLS_ENV} is not set: alerts are off"


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[FailedCheck]:
    """The asset checks (dbt tests) that did not pass in a run."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    found = []
    for record in records:
        event = record.event_log_entry.dagster_event
        evaluation = event.asset_check_evaluation_data if event else None
        if evaluation is not None and not evaluation.passed:
            found.append(
                FailedCheck(
                    asset=evaluation.asset_key.to_user_string(),
                    name=evaluation.check_name,
                    severity=evaluation.severity.value,
                )
            )
    return found


def _report(context: dg.RunStatusSensorContext, sent: list[Transition]) -> dg.SkipReason | None:
    if not sent:
        return dg.SkipReason("no new or resolved alerts")
    for transition in sent:
        context.log.info(f"alert {transition.status}: {transition.alert_id}")
    return None


def build_alert_sensors(
    settings: Settings, job: dg.UnresolvedAssetJobDefinition | dg.JobDefinition = nightly_job
) -> list[dg.SensorDefinition]:
    """A failure sensor (the run alert, and the checks it saw fail) and a success sensor
    (freshness, signals and checks from the published snapshot; clears the run alert)."""

    @dg.run_failure_sensor(
        name=FAILURE_SENSOR,
        monitored_jobs=[job],
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Alerts when the nightly run fails; the next successful run clears it.",
    )
    def _on_failure(context: dg.RunFailureSensorContext) -> dg.SkipReason | None:
        notifier = notifier_for(settings)
        if notifier is None:
            return dg.SkipReason(_OFF)
        run = context.dagster_run
        steps = [e.step_key for e in context.get_step_failure_events() if e.step_key]
        checks = failed_checks(context.instance, run.run_id)
        sent = after_failure(settings, run.job_name, run.run_id, steps, checks, notifier=notifier)
        return _report(context, sent)

    @dg.run_status_sensor(
        name=SUCCESS_SENSOR,
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[job],
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "After a successful nightly run: late sources, failed checks and business signals "
            "from the published snapshot fire once and clear."
        ),
    )
    def _on_success(context: dg.RunStatusSensorContext) -> dg.SkipReason | None:
        notifier = notifier_for(settings)
        if notifier is None:
            return dg.SkipReason(_OFF)
        checks = failed_checks(context.instance, context.dagster_run.run_id)
        return _report(context, after_success(settings, checks, notifier=notifier))

    return [_on_failure, _on_success]
