"""Pure rules: rows of the snapshot and facts about a run in, conditions out.

Messages are English with a short Russian line (the users' language) under it, numbers included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.alerts.state import Condition
from pipelines.settings import ConfigError

DEFAULT_DUE_DAYS = 1
ENTITIES_RU = {"ad_spend": "расходы", "visits": "визиты", "deals": "сделки", "calls": "звонки"}
STEPS = {  # funnel step → (English, Russian, what its denominator counts)
    "visit_to_lead": ("visit → lead conversion", "Конверсия визит → лид", "visits"),
    "lead_to_won": ("lead → won conversion", "Конверсия лид → продажа", "leads"),
}


@dataclass(frozen=True)
class FreshnessRow:
    source_system: str
    entity: str
    last_data_date: dt.date | None
    rows_last_7_days: int
    rows_total: int


@dataclass(frozen=True)
class SignalRow:
    report_date: dt.date
    kind: str
    subject: str
    value: float | None
    trailing_value: float | None
    relative_change: float | None
    is_signal: bool
    trailing_denominator: float


@dataclass(frozen=True)
class FailedCheck:
    asset: str  # "marts/fct_deals"
    name: str
    severity: str  # ERROR | WARN


def _ru_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _ru_number(text: str) -> str:
    """1,570.5 → 1 570,5 (Russian separators)."""
    return text.replace(",", "\u00a0").replace(".", ",")


def due_days(sources: Mapping[str, Any], source_system: str, entity: str) -> int:
    """sources.<source_system>.due_days: a number of days, or {entity: days, default: days}.

    Data for day D is due by the nightly run of day D + due_days. The key is the source_system the
    rows carry, so a file drop or the demo can set it for each system they hold (a section with
    only `due_days`, not enabled, is enough).
    """
    cfg = sources.get(source_system)
    raw = getattr(cfg, "due_days", None) if cfg is not None else None
    if isinstance(raw, Mapping):
        raw = raw.get(entity, raw.get("default"))
    if raw is None:
        return DEFAULT_DUE_DAYS
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = -1
    if days < 0 or isinstance(raw, bool):
        raise ConfigError(
            f"sources.{source_system}.due_days must be a whole number of days >= 0 or a "
            f"mapping of entity to days, not {raw!r} (throughline.yml)"
        )
    return days


def late_conditions(
    rows: Sequence[FreshnessRow],
    sources: Mapping[str, Any],
    enabled: Sequence[str],
    own_system_sources: Collection[str],
    today: dt.date,
) -> list[Condition]:
    """A source × entity is late when its last data day is before today − due_days.

    An enabled source with no rows at all is late as well. A source in own_system_sources tags its
    rows with its own name (the API connectors), so that is checked exactly; the others (demo,
    files) carry their systems' names, so they count as empty only when no row comes from a
    system outside own_system_sources.
    """
    found: list[Condition] = []
    for row in sorted(rows, key=lambda r: (r.source_system, r.entity)):
        days = due_days(sources, row.source_system, row.entity)
        due = today - dt.timedelta(days=days)
        if row.last_data_date is not None and row.last_data_date >= due:
            continue
        last = row.last_data_date.isoformat() if row.last_data_date else "no day at all"
        last_ru = _ru_date(row.last_data_date) if row.last_data_date else "нет"
        entity_ru = ENTITIES_RU.get(row.entity, row.entity)
        found.append(
            Condition(
                id=f"late:{row.source_system}:{row.entity}",
                title=f"Late data: {row.source_system} {row.entity}",
                message=(
                    f"{row.source_system} has {row.entity} up to {last}; data for "
                    f"{due.isoformat()} was due by the nightly run of {today.isoformat()} "
                    f"(due_days {days}). Rows in the last 7 days: {row.rows_last_7_days}, "
                    f"in total: {row.rows_total}.\n"
                    f"RU: {row.source_system} опаздывает ({entity_ru}): последние данные за "
                    f"{last_ru}, ожидались за {_ru_date(due)}."
                ),
            )
        )
    systems = {row.source_system for row in rows}
    foreign = systems - set(own_system_sources)
    for source in enabled:
        has_rows = source in systems or (source not in own_system_sources and bool(foreign))
        if not has_rows:
            found.append(
                Condition(
                    id=f"late:{source}:all",
                    title=f"Late data: {source} has no rows",
                    message=(
                        f"Source {source} is enabled, but the published data holds no ad spend, "
                        f"visits, deals or calls from it.\n"
                        f"RU: Источник {source} включён, но данных от него нет."
                    ),
                )
            )
    return found


def _change(change: float) -> str:
    return f"{change:+.0%}".replace("-", "\u2212")


def signal_conditions(rows: Iterable[SignalRow], currency: str) -> list[Condition]:
    """One condition per signal of the latest report date in the rows."""
    rows = list(rows)
    if not rows:
        return []
    latest = max(r.report_date for r in rows)
    found = []
    for row in sorted(rows, key=lambda r: (r.kind, r.subject)):
        numbers = (row.value, row.trailing_value, row.relative_change)
        if row.report_date != latest or not row.is_signal or None in numbers:
            continue
        change = _change(row.relative_change)
        way = "up" if row.relative_change > 0 else "down"
        if row.kind == "cpl":
            what, what_ru, volume = f"CPL of {row.subject}", f"CPL канала {row.subject}", "leads"
            value = f"{row.value:,.0f} {currency}"
            trailing = f"{row.trailing_value:,.0f} {currency}"
        else:
            what, what_ru, volume = STEPS.get(row.subject, (row.subject, row.subject, "entries"))
            value, trailing = f"{row.value:.2%}", f"{row.trailing_value:.2%}"
        day = row.report_date
        found.append(
            Condition(
                id=f"signal:{row.kind}:{row.subject}",
                title=f"{what[0].upper()}{what[1:]} {way} {change[1:]}",
                message=(
                    f"On {day.isoformat()} the {what} was {value} against a trailing average of "
                    f"{trailing} ({change}; {row.trailing_denominator:,.0f} {volume} in the "
                    f"trailing window).\n"
                    f"RU: {what_ru} за {_ru_date(day)}: {_ru_number(value)} при среднем "
                    f"{_ru_number(trailing)} ({change})."
                ),
            )
        )
    return found


def check_conditions(checks: Iterable[FailedCheck]) -> list[Condition]:
    return [
        Condition(
            id=f"check:{check.asset}:{check.name}",
            title=f"Check failed: {check.name}",
            message=(
                f"The data check {check.name} on {check.asset} failed "
                f"(severity {check.severity}) in the nightly run.\n"
                f"RU: Проверка данных {check.name} ({check.asset}) не прошла."
            ),
        )
        for check in sorted(checks, key=lambda c: (c.asset, c.name))
    ]


def run_failed_condition(
    job_name: str, run_id: str, failed_steps: Sequence[str], failed_checks: Sequence[FailedCheck]
) -> Condition:
    """Keyed by the failed steps: the same failure night after night stays one alert, a different
    one replaces it (the old one resolves, the new one fires)."""
    steps = ", ".join(sorted(failed_steps)) or "(no step failed: the run itself)"
    checks = ", ".join(sorted(c.name for c in failed_checks))
    key = "+".join(sorted(failed_steps))
    return Condition(
        id=f"run:{job_name}" + (f":{key}" if key else ""),
        title=f"The {job_name} run failed",
        message=(
            f"Run {run_id} of job {job_name} failed in step(s): {steps}."
            + (f" Failed checks: {checks}." if checks else "")
            + " The dashboards keep serving the last good snapshot; the run's logs are in the "
            "Dagster UI.\n"
            f"RU: Ночной запуск {job_name} не удался (шаги: {steps}); дашборды показывают "
            "последние успешные данные."
        ),
    )
