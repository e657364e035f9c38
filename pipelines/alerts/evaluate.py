"""After a nightly run: read the snapshot, build the conditions, send the news. No Dagster here,
so `make build` or a test can call it as the sensors do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines.alerts.notify import Notifier, alert_urls
from pipelines.alerts.rules import (
    FailedCheck,
    FreshnessRow,
    SignalRow,
    check_conditions,
    late_conditions,
    run_failed_condition,
    signal_conditions,
)
from pipelines.alerts.state import FIRING, AlertState, Condition, Transition, locked
from pipelines.settings import Settings

STATE_FILE = "alerts.json"
PREFIX = "[Throughline]"


@dataclass(frozen=True)
class Snapshot:
    """What the alerts read from serving.duckdb; None for a table the snapshot lacks."""

    freshness: list[FreshnessRow] | None
    signals: list[SignalRow] | None
    currency: str


def state_path(settings: Settings) -> Path:
    return settings.data_path / STATE_FILE


def notifier_for(settings: Settings) -> Notifier | None:
    """None when THROUGHLINE_ALERT_URLS is unset: alerts are off."""
    urls = alert_urls(settings.env)
    return Notifier(urls) if urls else None


def read_snapshot(path: Path, currency: str) -> Snapshot:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        freshness = signals = None
        if "fct_source_freshness" in tables:
            freshness = [
                FreshnessRow(*row)
                for row in con.execute(
                    "select source_system, entity, last_data_date, rows_last_7_days, rows_total "
                    "from fct_source_freshness order by source_system, entity"
                ).fetchall()
            ]
        if "fct_metric_signals" in tables:
            signals = [
                SignalRow(*row)
                for row in con.execute(
                    "select report_date, kind, subject, value, trailing_value, relative_change, "
                    "is_signal, trailing_denominator from fct_metric_signals "
                    "where report_date = (select max(report_date) from fct_metric_signals) "
                    "order by kind, subject"
                ).fetchall()
            ]
        if "publish_meta" in tables:
            currency = con.execute("select reporting_currency from publish_meta").fetchone()[0]
        return Snapshot(freshness, signals, currency)
    finally:
        con.close()


def reporting_today(settings: Settings, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(settings.timezone)).date()


def snapshot_conditions(
    settings: Settings, snapshot: Snapshot, now: dt.datetime
) -> tuple[list[Condition], set[str]]:
    """Conditions from the snapshot, and the scopes they cover (a table it lacks covers none)."""
    from pipelines.ingest.sources import API_SOURCES  # the connectors that tag rows by their name

    conditions: list[Condition] = []
    scopes: set[str] = set()
    if snapshot.freshness is not None:
        scopes.add("late")
        conditions += late_conditions(
            snapshot.freshness,
            settings.sources,
            settings.enabled_sources,
            API_SOURCES,
            reporting_today(settings, now),
        )
    if snapshot.signals is not None:
        scopes.add("signal")
        conditions += signal_conditions(snapshot.signals, snapshot.currency)
    return conditions, scopes


def render(transition: Transition, since: str | None) -> tuple[str, str]:
    """The title and body of the message for one transition."""
    title = f"{PREFIX} {transition.status}: {transition.title}"
    if transition.status == FIRING:
        return title, transition.message
    body = (
        f"No longer the case (open since {since or 'an earlier run'}). It was:\n"
        f"{transition.message}\nRU: Больше не актуально."
    )
    return title, body


def deliver(
    conditions: Sequence[Condition],
    scopes: set[str],
    path: Path,
    notifier: Notifier,
    now: dt.datetime,
) -> list[Transition]:
    """Send what is new and record what was delivered; an undelivered transition stays pending
    and is tried again at the next evaluation."""
    sent: list[Transition] = []
    with locked(path):
        state = AlertState.load(path)
        for transition in state.transitions(conditions, scopes):
            since = state.open.get(transition.alert_id, {}).get("since")
            title, body = render(transition, since)
            if notifier.send(title, body, failure=transition.status == FIRING):
                state.record(transition, now)
                sent.append(transition)
        state.save(path)
    return sent


def after_success(
    settings: Settings,
    failed_checks: Sequence[FailedCheck] = (),
    notifier: Notifier | None = None,
    now: dt.datetime | None = None,
) -> list[Transition]:
    """A nightly run succeeded: the run alert clears; checks, freshness and signals are judged
    on the snapshot it published."""
    now = now or dt.datetime.now(dt.UTC)
    notifier = notifier or notifier_for(settings)
    if notifier is None:
        return []
    conditions, scopes = [], set()
    if settings.serving_path.exists():
        snapshot = read_snapshot(settings.serving_path, settings.currency)
        conditions, scopes = snapshot_conditions(settings, snapshot, now)
    conditions += check_conditions(failed_checks)
    return deliver(conditions, scopes | {"run", "check"}, state_path(settings), notifier, now)


def after_failure(
    settings: Settings,
    job_name: str,
    run_id: str,
    failed_steps: Sequence[str],
    failed_checks: Sequence[FailedCheck] = (),
    notifier: Notifier | None = None,
    now: dt.datetime | None = None,
) -> list[Transition]:
    """A nightly run failed: one alert for the failure (a different failure replaces it), one per
    check seen failing. Nothing else clears: the snapshot was not republished, and the checks
    that did not run say nothing."""
    now = now or dt.datetime.now(dt.UTC)
    notifier = notifier or notifier_for(settings)
    if notifier is None:
        return []
    conditions = [run_failed_condition(job_name, run_id, failed_steps, failed_checks)]
    conditions += check_conditions(failed_checks)
    return deliver(conditions, {"run"}, state_path(settings), notifier, now)
