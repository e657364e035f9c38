"""Queries and rules of the Data health page and the late-source banner.

Reads the snapshot's ``fct_source_freshness`` (source_system × entity: last data day, rows),
``fct_deals`` (the unattributed share), ``fct_rejected_rows`` (quarantined rows with reasons),
``publish_meta``, and the pipeline's run record ``last_run.json`` beside the snapshot file.
A snapshot published before one of these marts simply lacks that section (``has_table``).

Lateness (the same rule as the nightly alerts): data for day D is due by the run of day
D + due_days, so a source × entity is late when the snapshot's publish day (reporting timezone)
minus its last data day is more than its due_days (``sources.<source_system>.due_days`` in
throughline.yml: a number, or ``{entity: days, default: days}``; default 1).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboards import data

FRESHNESS_TABLE = "fct_source_freshness"
DEALS_TABLE = "fct_deals"
REJECTED_TABLE = "fct_rejected_rows"
RUN_RECORD = "last_run.json"
DEFAULT_DUE_DAYS = 1
REJECTED_ROWS_SHOWN = 5000
ENTITIES = ("ad_spend", "visits", "deals", "calls")
TOTAL = "(all)"  # the overall row of the unattributed table

DueDays = Callable[[str, str], int]


# --- lateness (pure) ----------------------------------------------------------------------------


def due_days(sources: Mapping[str, Any], source_system: str, entity: str) -> int:
    """``sources.<source_system>.due_days``: a whole number of days, or a mapping of entity (or
    ``default``) to days. Anything missing or invalid is ``DEFAULT_DUE_DAYS``: the banner must
    not break a page (the nightly alerts are where a bad value is reported)."""
    cfg = sources.get(source_system)
    raw = cfg.get("due_days") if isinstance(cfg, Mapping) else getattr(cfg, "due_days", None)
    if isinstance(raw, Mapping):
        raw = raw.get(entity, raw.get("default"))
    if raw is None or isinstance(raw, bool):
        return DEFAULT_DUE_DAYS
    try:
        days = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_DUE_DAYS
    return days if days >= 0 else DEFAULT_DUE_DAYS


def configured_due_days() -> DueDays:
    """``due_days`` bound to the configured sources (defaults when the settings cannot load)."""
    try:
        from pipelines.settings import load_settings  # the dashboards' one import from pipelines/

        sources: Mapping[str, Any] = load_settings().sources
    except Exception:  # noqa: BLE001 - a config error must not take the dashboards down
        sources = {}
    return lambda source_system, entity: due_days(sources, source_system, entity)


def is_late(last_data_date: dt.date | None, publish_date: dt.date, due: int) -> bool:
    """Late when there is no data day at all, or publish day − last data day > due days."""
    return last_data_date is None or (publish_date - last_data_date).days > due


@dataclass(frozen=True)
class Late:
    source_system: str
    entities: tuple[tuple[str, dt.date | None], ...] = ()  # (entity, last data day)


def with_lateness(freshness: pd.DataFrame, publish_date: dt.date, due: DueDays) -> pd.DataFrame:
    """Add ``due_days``, ``days_behind`` (publish day − last data day; NaN without a day) and
    ``is_late`` to ``fct_source_freshness`` rows."""
    out = freshness.copy()
    last = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out["last_data_date"]]
    out["due_days"] = [due(s, e) for s, e in zip(out["source_system"], out["entity"], strict=True)]
    out["days_behind"] = pd.Series(
        [float("nan") if d is None else float((publish_date - d).days) for d in last],
        index=out.index,
        dtype="float64",
    )
    out["is_late"] = [
        is_late(d, publish_date, n) for d, n in zip(last, out["due_days"], strict=True)
    ]
    return out


def late_sources(
    freshness: pd.DataFrame, publish_date: dt.date, due: DueDays, enabled: Sequence[str] = ()
) -> list[Late]:
    """The late sources, by name, each with its late entities and their last data days.

    The marts hold only enabled sources' rows, so every row is checked. An enabled source with
    no row at all is late too, when that can be told: the demo and file drops tag rows with the
    systems they simulate or carry, so while any row comes from a system that is not an enabled
    source's name, a missing name may be one of those and is not flagged.
    """
    found: dict[str, list[tuple[str, dt.date | None]]] = {}
    systems: set[str] = set()
    if len(freshness):
        rows = with_lateness(freshness, publish_date, due)
        systems = set(rows["source_system"])
        for row in rows[rows["is_late"]].itertuples(index=False):
            last = None if pd.isna(row.last_data_date) else pd.Timestamp(row.last_data_date).date()
            found.setdefault(row.source_system, []).append((row.entity, last))
    if not systems - set(enabled):
        for source in enabled:
            if source not in systems:
                found.setdefault(source, [])
    return [
        Late(source, tuple(sorted(found[source], key=lambda e: _entity_order(e[0]))))
        for source in sorted(found)
    ]


def _entity_order(entity: str) -> tuple[int, str]:
    return (ENTITIES.index(entity) if entity in ENTITIES else len(ENTITIES), entity)


# --- the run record -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRecord:
    status: str  # success | failure (anything else is shown as it is)
    finished_at: dt.datetime | None  # aware
    failed_steps: tuple[str, ...]
    warnings: tuple[str, ...]  # dbt unique ids of warn-level checks that failed


def run_record_path(snapshot: data.Snapshot) -> Path:
    return Path(snapshot.path).with_name(RUN_RECORD)


def read_run_record(path: Path) -> RunRecord | None:
    """``last_run.json`` as the pipeline writes it; None when it is absent or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, Mapping):
        return None
    finished: dt.datetime | None = None
    try:
        finished = dt.datetime.fromisoformat(str(raw["finished_at"]))
        if finished.tzinfo is None:
            finished = finished.replace(tzinfo=dt.UTC)
    except (KeyError, ValueError):
        finished = None

    def _names(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)

    return RunRecord(
        status=str(raw.get("status") or "unknown"),
        finished_at=finished,
        failed_steps=_names("failed_steps"),
        warnings=_names("warnings"),
    )


def check_name(unique_id: str) -> str:
    """A dbt test's unique id made readable: ``test.throughline.not_null_fct_deals_manager.
    1a2b3c4d5e`` → ``not_null_fct_deals_manager`` (unit tests keep ``model::name``)."""
    parts = unique_id.split(".")
    if len(parts) >= 3 and parts[0] in {"test", "unit_test"}:
        parts = parts[2:]
        if len(parts) > 1 and all(c in "0123456789abcdef" for c in parts[-1]):
            parts = parts[:-1]
    return ".".join(parts)


def warnings_frame(record: RunRecord | None) -> pd.DataFrame:
    ids = list(record.warnings) if record else []
    return pd.DataFrame({"check": [check_name(i) for i in ids], "unique_id": ids})


# --- queries ------------------------------------------------------------------------------------


def freshness(snapshot: data.Snapshot) -> pd.DataFrame | None:
    """``fct_source_freshness`` (None when the snapshot predates it)."""
    if not data.has_table(snapshot, FRESHNESS_TABLE):
        return None
    return data.query(
        snapshot,
        f"""
        select source_system, entity, last_data_date, rows_last_7_days, rows_total
        from {FRESHNESS_TABLE}
        order by source_system,
                 case entity when 'ad_spend' then 1 when 'visits' then 2 when 'deals' then 3
                             when 'calls' then 4 else 5 end,
                 entity
        """,
    )


def unattributed(snapshot: data.Snapshot) -> pd.DataFrame | None:
    """Per source_system, then ``TOTAL``: deals, deals with an empty path (``unattributed``,
    channel "(none)"), their share (NaN without deals), and deals attributed only through the
    UTM tags on the deal itself (``utm_only``)."""
    if not data.has_table(snapshot, DEALS_TABLE):
        return None
    return data.query(
        snapshot,
        f"""
        select
            case when grouping(source_system) = 1 then ? else source_system end as source_system,
            count(*) as deals,
            count(*) filter (where is_unattributed) as unattributed,
            (count(*) filter (where is_unattributed))::double / nullif(count(*), 0) as share,
            count(*) filter (where match_rule = 'utm_on_deal') as utm_only
        from {DEALS_TABLE}
        group by rollup (source_system)
        order by grouping(source_system), source_system
        """,
        (TOTAL,),
    )


def rejected_summary(snapshot: data.Snapshot) -> pd.DataFrame | None:
    """Quarantined rows per source_system × entity × reason, with the files they came from."""
    if not data.has_table(snapshot, REJECTED_TABLE):
        return None
    return data.query(
        snapshot,
        f"""
        select source_system, entity, reason, count(*) as rejected,
               count(distinct source_file) as files
        from {REJECTED_TABLE}
        group by source_system, entity, reason
        order by rejected desc, source_system, entity, reason
        """,
    )


def rejected_rows(snapshot: data.Snapshot, limit: int = REJECTED_ROWS_SHOWN) -> pd.DataFrame | None:
    """The quarantined rows themselves (personal data already hashed or removed), the first
    ``limit`` by source, file and row."""
    if not data.has_table(snapshot, REJECTED_TABLE):
        return None
    return data.query(
        snapshot,
        f"""
        select source_system, entity, source_file, source_row, reason, raw_row
        from {REJECTED_TABLE}
        order by source_system, entity, source_file, source_row
        limit ?
        """,
        (int(limit),),
    )
