"""File-drop source: CSV / XLSX / Parquet exports in a folder, one sub-folder per entity.

    <files_dir>/ad_spend/*.csv|xlsx|parquet   -> raw_files.ad_spend
    <files_dir>/visits/...                    -> raw_files.visits
    <files_dir>/deals/...                     -> raw_files.deals
    <files_dir>/deal_stage_events/...         -> raw_files.deal_stage_events   (optional)
    <files_dir>/calls/...                     -> raw_files.calls               (optional)
    bad rows of all of them                   -> raw_files.rejected_rows

See README.md for columns, keys and what happens to bad input.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from .readers import list_entity_files, read_table
from .settings import (
    BATCH_SIZE,
    DEFAULT_CURRENCIES,
    ENTITIES,
    REJECTED_COLUMNS,
    REJECTED_ROWS,
    ROW_KEY,
    SOURCE_FILE,
    SOURCE_NAME,
    SOURCE_ROW,
    SOURCE_SEQ,
    EntitySpec,
    column_hints,
)
from .validation import FileSchemaError, RowValidator, check_header, raw_json

__all__ = ["FileSchemaError", "files"]

logger = logging.getLogger(__name__)
_MAX_STALL = 10_000  # consecutive "nothing yet" turns before rejected_rows reads a file itself


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def files(
    files_dir: str = dlt.config.value,
    pii_salt: str = dlt.secrets.value,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
) -> list[DltResource]:
    """The file-drop folder as raw tables. Nothing is read until the pipeline extracts."""
    # Extra columns are loaded as text: do not let dlt turn ISO-looking strings into timestamps.
    dlt.current.source_schema().remove_type_detection("iso_timestamp")
    run = _Run(Path(files_dir), pii_salt, tuple(currencies))
    resources = [
        dlt.resource(
            _entity_rows,
            name=spec.name,
            write_disposition="merge",
            primary_key=list(spec.primary_key),
            columns=column_hints(spec),
            file_format="parquet",  # far faster to load into DuckDB than insert_values
        )(spec, run)
        for spec in ENTITIES
    ]
    resources.append(
        dlt.resource(
            _rejected_rows,
            name=REJECTED_ROWS,
            write_disposition="replace",  # mirrors the drop folder as it is now
            primary_key=ROW_KEY,
            columns=REJECTED_COLUMNS,
            file_format="parquet",
        )(run)
    )
    return resources


@dataclass
class _Run:
    """State shared by the resources of one source instance (one extraction)."""

    root: Path
    pii_salt: str
    currencies: tuple[str, ...]
    # (entity, file) -> (file stamp, its rejections), left by the entity resource once it has
    # read the file, so that rejected_rows need not read the file a second time.
    rejected: dict[tuple[str, Path], tuple[tuple[int, int], list[dict[str, Any]]]] = field(
        default_factory=dict
    )
    # files that a running entity resource has still to finish; bumped on each of its yields
    claimed: set[tuple[str, Path]] = field(default_factory=set)
    ticks: int = 0

    def entity_files(self, entity: str) -> list[Path]:
        if not self.root.is_dir():
            raise FileNotFoundError(
                f"files source: drop folder '{self.root}' does not exist "
                "(create it, or point THROUGHLINE_FILES_DIR / sources.files.files_dir at it)"
            )
        return list_entity_files(self.root, entity)

    def take_rejected(self, key: tuple[str, Path]) -> list[dict[str, Any]] | None:
        stamp, rejected = self.rejected.pop(key, (None, None))
        return rejected if stamp == _stamp(key[1]) else None


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _process_file(
    spec: EntitySpec, run: _Run, path: Path
) -> Iterator[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Yields ``(row, None)`` for every good row and ``(None, rejection)`` for every bad one."""
    relative = path.relative_to(run.root).as_posix()
    validator = RowValidator(spec, run.pii_salt, run.currencies)
    with read_table(path) as table:
        if not table.columns:
            logger.warning("%s: empty file, nothing to load", path)
            return
        check_header(spec, table.columns, path)
        for raw in table.rows:
            row, reason, safe_raw = validator.validate(raw)
            if row is not None:
                row[SOURCE_FILE] = relative
                row[SOURCE_ROW] = raw.number
                yield row, None
            else:
                yield (
                    None,
                    {
                        ROW_KEY: f"{relative}#{raw.number}",
                        "entity": spec.name,
                        SOURCE_FILE: relative,
                        SOURCE_ROW: raw.number,
                        "reason": reason,
                        "raw": raw_json(safe_raw),
                    },
                )


def _entity_rows(spec: EntitySpec, run: _Run) -> Iterator[Any]:
    paths = run.entity_files(spec.name)
    claims = {(spec.name, path) for path in paths}
    run.claimed |= claims  # before the first yield: rejected_rows will wait for these
    try:
        yield dlt.mark.materialize_table_schema()  # the table and its columns exist even if empty
        seq = 0
        for path in paths:
            stamp = _stamp(path)
            batch: list[dict[str, Any]] = []
            rejected: list[dict[str, Any]] = []
            loaded = 0
            for row, rejection in _process_file(spec, run, path):
                if rejection is not None:
                    rejected.append(rejection)
                    continue
                seq += 1
                row[SOURCE_SEQ] = seq
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    loaded += len(batch)
                    run.ticks += 1
                    yield batch
                    batch = []
            run.rejected[(spec.name, path)] = (stamp, rejected)
            run.claimed.discard((spec.name, path))
            logger.info(
                "%s: %d rows read, %d loaded, %d rejected",
                path,
                loaded + len(batch) + len(rejected),
                loaded + len(batch),
                len(rejected),
            )
            if batch:
                run.ticks += 1
                yield batch
    finally:
        run.claimed -= claims


def _rejected_rows(run: _Run) -> Iterator[Any]:
    yield dlt.mark.materialize_table_schema()  # replace: a clean run empties the table
    for spec in ENTITIES:
        for path in run.entity_files(spec.name):
            key = (spec.name, path)
            # The entity resource is reading this file in the same extraction: yield None
            # ("nothing yet", dlt moves on to the other resources) until it has finished.
            # Without progress for a long while, read the file here instead.
            stalled, seen = 0, run.ticks
            while key in run.claimed and key not in run.rejected and stalled < _MAX_STALL:
                yield None
                stalled, seen = (stalled + 1, seen) if run.ticks == seen else (0, run.ticks)
            rejected = run.take_rejected(key)
            if rejected is None:
                rejected = [r for _, r in _process_file(spec, run, path) if r is not None]
            if rejected:
                yield rejected
