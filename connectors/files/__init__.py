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
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from dlt.common.storages.load_package import CurrentLoadPackageStateNotAvailable
from dlt.extract.resource import DltResource

from .arrow_path import ArrowFile
from .file_state import first_to_read, stamp
from .readers import list_entity_files, read_table
from .settings import (
    BATCH_SIZE,
    DEFAULT_CURRENCIES,
    ENTITIES,
    LOAD_ROW_GROUP,
    REJECTED_COLUMNS,
    REJECTED_ROWS,
    RESOLVED,
    ROW_KEY,
    SOURCE_FILE,
    SOURCE_NAME,
    SOURCE_ROW,
    SOURCE_SEQ,
    EntitySpec,
    column_hints,
)
from .validation import FileSchemaError, RowValidator, check_header

__all__ = ["FileSchemaError", "files"]

logger = logging.getLogger(__name__)
_MAX_STALL = 10_000  # consecutive "nothing yet" turns before rejected_rows reads a file itself
_DLT_LOAD_ID, _DLT_ID = "_dlt_load_id", "_dlt_id"

Good = pa.Table | list[dict[str, Any]]


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def files(
    files_dir: str = dlt.config.value,
    pii_salt: str = dlt.secrets.value,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    full_refresh: bool = False,
    fast_parquet: bool = True,
) -> list[DltResource]:
    """The file-drop folder as raw tables. Nothing is read until the pipeline extracts.

    Files loaded by an earlier run of the same pipeline and unchanged since are not read again
    (see README, "What a run reads"); ``full_refresh`` reads every file and rebuilds
    ``rejected_rows``. ``fast_parquet`` False reads Parquet row by row like CSV (for tests)."""
    # Extra columns are loaded as text: do not let dlt turn ISO-looking strings into timestamps.
    dlt.current.source_schema().remove_type_detection("iso_timestamp")
    run = _Run(Path(files_dir), pii_salt, tuple(currencies), full_refresh, fast_parquet)
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
            # Mirrors the drop folder: the rows of the files read in this run replace that
            # file's earlier ones (merge key source_file); a tombstone clears a file that is
            # gone or has no bad rows left. The first run (no state yet) replaces the table.
            write_disposition="merge",
            primary_key=ROW_KEY,
            merge_key=SOURCE_FILE,
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
    full_refresh: bool = False
    fast_parquet: bool = True
    # (entity, file) -> (file stat, its rejections), left by the entity resource once it has
    # read the file, so that rejected_rows need not read the file a second time.
    rejected: dict[tuple[str, Path], tuple[tuple[int, int], list[dict[str, Any]]]] = field(
        default_factory=dict
    )
    # files that a running entity resource has still to finish; bumped on each of its yields
    claimed: set[tuple[str, Path]] = field(default_factory=set)
    ticks: int = 0
    stamps: dict[Path, list[int | str]] = field(default_factory=dict)  # one digest per run

    def entity_files(self, entity: str) -> list[Path]:
        if not self.root.is_dir():
            raise FileNotFoundError(
                f"files source: drop folder '{self.root}' does not exist "
                "(create it, or point THROUGHLINE_FILES_DIR / sources.files.files_dir at it)"
            )
        return list_entity_files(self.root, entity)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def stamp(self, path: Path) -> list[int | str]:
        if path not in self.stamps:
            self.stamps[path] = stamp(path)
        return self.stamps[path]

    def take_rejected(self, key: tuple[str, Path]) -> list[dict[str, Any]] | None:
        stat, rejected = self.rejected.pop(key, (None, None))
        return rejected if stat == _stat(key[1]) else None


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _resource_state() -> dict[str, Any] | None:
    """The resource's dlt state while a pipeline extracts (what is written there persists);
    None when the resource is iterated on its own (dlt then lends it a throwaway copy of the
    active pipeline's state, and there is no load package): every file is read, none kept."""
    if _load_id() is None:
        return None
    return dlt.current.resource_state()


def _load_id() -> str | None:
    try:
        return dlt.current.load_package_state()["load_id"]
    except CurrentLoadPackageStateNotAvailable:
        return None


def _read_file(spec: EntitySpec, run: _Run, path: Path) -> Iterator[tuple[Good, list[dict]]]:
    """Yields ``(good rows, rejections)`` chunks: an Arrow table on the Parquet fast path,
    a list of row dicts (source_seq still missing) on the row path."""
    relative = run.relative(path)
    validator = RowValidator(spec, run.pii_salt, run.currencies)
    with read_table(path) as table:
        if not table.columns:
            logger.warning("%s: empty file, nothing to load", path)
            return
        check_header(spec, table.columns, path)
        if run.fast_parquet and table.batches is not None:
            arrow = ArrowFile(validator, table.columns, relative)
            for result in arrow.batches(table.batches):
                yield result.good, result.rejected
            return
        batch: list[dict[str, Any]] = []
        rejected: list[dict[str, Any]] = []
        for raw in table.rows:
            row, rejection = validator.check(raw, relative)
            if row is not None:
                batch.append(row)
            else:
                rejected.append(rejection)
            if len(batch) >= BATCH_SIZE:
                yield batch, rejected
                batch, rejected = [], []
        yield batch, rejected


class _Sequence:
    """source_seq: read order within one run (files by name, then rows); the merge keeps the
    highest per key. Arrow tables also get dlt's own columns, which dlt adds to dict rows."""

    def __init__(self, spec: EntitySpec) -> None:
        self.spec = spec
        hints = column_hints(spec)
        self.not_null = {name for name, hint in hints.items() if hint.get("nullable") is False}
        self.last = 0
        self.load_id = _load_id()
        self.dlt_id_hinted = False

    def number(self, good: Good) -> Good:
        if isinstance(good, list):
            for row in good:
                self.last += 1
                row[SOURCE_SEQ] = self.last
            return good
        size = good.num_rows
        seq = pa.array(np.arange(self.last + 1, self.last + size + 1, dtype=np.int64))
        self.last += size
        good = good.append_column(pa.field(SOURCE_SEQ, pa.int64(), nullable=False), seq)
        if self.load_id is not None:  # as dlt's normalizer would: NOT NULL columns
            load_id = pa.repeat(pa.scalar(self.load_id), size)
            dlt_id = pc.binary_join_element_wise(f"{self.load_id}.", seq.cast(pa.string()), "")
            good = good.append_column(pa.field(_DLT_LOAD_ID, pa.string(), False), load_id)
            good = good.append_column(pa.field(_DLT_ID, pa.string(), False), dlt_id)
        # NOT NULL as the hints say (dlt warns on every table whose fields say otherwise);
        # the checks guarantee a value there: keys are required, the rest the connector sets
        fields = [f.with_nullable(f.nullable and f.name not in self.not_null) for f in good.schema]
        good = pa.Table.from_arrays(good.columns, schema=pa.schema(fields))
        return self._in_row_path_order(good)

    def hinted(self, piece: Good) -> Any:
        """The first Arrow table carries the hints dlt's normalizer gives its own _dlt_id
        (Arrow alone would leave them out of the schema)."""
        if self.dlt_id_hinted or isinstance(piece, list) or _DLT_ID not in piece.column_names:
            return piece
        self.dlt_id_hinted = True
        column = {"name": _DLT_ID, "data_type": "text", "nullable": False}
        column |= {"unique": True, "row_key": True}
        return dlt.mark.with_hints(piece, dlt.mark.make_hints(columns={_DLT_ID: column}))

    def _in_row_path_order(self, good: pa.Table) -> pa.Table:
        """Columns in the order the row path creates them: dlt adds a new column when it first
        sees a value in it, and its own two with the first row. (Only the place of columns
        the hints do not list, in a table this run creates, depends on it.)"""
        added = {ROW_KEY, SOURCE_FILE, SOURCE_ROW, SOURCE_SEQ, _DLT_LOAD_ID, _DLT_ID}
        names = good.column_names
        extras = [c for c in names if c not in self.spec.columns and c not in added]
        if not extras:
            return good
        first = {c: pc.index(pc.is_valid(good.column(c)), True).as_py() for c in extras}
        extras.sort(key=lambda c: first[c])  # stable: ties keep the file's order
        own = [c for c in (_DLT_LOAD_ID, _DLT_ID) if c in names]
        order = [c for c in names if c not in extras and c not in own]
        order += [c for c in extras if first[c] == 0] + own + [c for c in extras if first[c]]
        return good.select(order)


def _pieces(good: Good) -> Iterator[Good]:
    """An Arrow table in slices: dlt writes each as one Parquet row group, and DuckDB loads
    groups of 64k rows with a quarter less CPU than of 131k (zero-copy slices)."""
    if isinstance(good, list) or good.num_rows <= LOAD_ROW_GROUP:
        yield good
        return
    for offset in range(0, good.num_rows, LOAD_ROW_GROUP):
        yield good.slice(offset, LOAD_ROW_GROUP)


def _entity_rows(spec: EntitySpec, run: _Run) -> Iterator[Any]:
    state = _resource_state()
    paths = run.entity_files(spec.name)
    relatives = [run.relative(path) for path in paths]
    known = None if state is None or run.full_refresh else state.get("files")
    stamps = (
        {r: run.stamp(p) for r, p in zip(relatives, paths, strict=True)}
        if state is not None
        else {}
    )
    start = first_to_read(relatives, stamps, known) if state is not None else 0
    to_read = paths[start:]
    claims = {(spec.name, path) for path in to_read}
    run.claimed |= claims  # before the first yield: rejected_rows will wait for these
    try:
        yield dlt.mark.materialize_table_schema()  # the table and its columns exist even if empty
        if start:
            logger.info("%s: %d file(s) unchanged since loaded, not read", spec.name, start)
        numbering = _Sequence(spec)
        for path in to_read:
            stat = _stat(path)
            rejected: list[dict[str, Any]] = []
            loaded = 0
            for good, rejections in _read_file(spec, run, path):
                rejected.extend(rejections)
                size = len(good) if isinstance(good, list) else good.num_rows
                if size:
                    loaded += size
                    run.ticks += 1
                    for piece in _pieces(numbering.number(good)):
                        yield numbering.hinted(piece)
            run.rejected[(spec.name, path)] = (stat, rejected)
            run.claimed.discard((spec.name, path))
            logger.info(
                "%s: %d rows read, %d loaded, %d rejected",
                path,
                loaded + len(rejected),
                loaded,
                len(rejected),
            )
        if state is not None:
            state["files"] = stamps  # files gone from the folder are forgotten
    finally:
        run.claimed -= claims


def _rejected_rows(run: _Run) -> Iterator[Any]:
    state = _resource_state()
    known = None if state is None or run.full_refresh else state.get("files")
    marker = dlt.mark.materialize_table_schema()
    if state is not None and known is None:
        # Nothing known about the rows in the table (first run, full refresh): replace it.
        # (hard_delete off for this run: dlt warns that replace ignores it; no tombstones here)
        resolved = {**REJECTED_COLUMNS[RESOLVED], "name": RESOLVED, "hard_delete": False}
        hints = dlt.mark.make_hints(write_disposition="replace", columns={RESOLVED: resolved})
        marker = dlt.mark.with_hints(marker, hints)
    yield marker
    stamps: dict[str, list[int | str]] = {}
    for spec in ENTITIES:
        for path in run.entity_files(spec.name):
            relative = run.relative(path)
            stamps[relative] = run.stamp(path) if state is not None else []
            if known is not None and known.get(relative) == stamps[relative]:
                continue  # unchanged since its rejections were loaded
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
                rejected = [r for _, chunk in _read_file(spec, run, path) for r in chunk]
            if known is not None:  # merge: first clear what this file had before
                rejected = [_tombstone(spec.name, relative), *rejected]
            if rejected:
                yield rejected
    if known is not None:
        gone = [r for r in known if r not in stamps]
        if gone:
            yield [_tombstone(r.split("/", 1)[0], r) for r in gone]
    if state is not None:
        state["files"] = stamps


def _tombstone(entity: str, relative: str) -> dict[str, Any]:
    """A row that deletes every stored rejection of the file (merge key source_file) and is
    not stored itself (hard delete)."""
    return {
        ROW_KEY: f"{relative}#0",  # row 0 is the header: never a data row's key
        "entity": entity,
        SOURCE_FILE: relative,
        "source_row": 0,
        "reason": "file read again or removed",
        RESOLVED: True,
    }
