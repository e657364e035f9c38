"""The Parquet fast path: one Arrow record batch validated column-wise, its good rows as one table.

Same rows, values and rejections as the row path (``RowValidator``), at Arrow speed:

* every column is parsed vectorised by ``arrow_cells`` (odd cells by the row path's own code);
* e-mail / phone are hashed vectorised by ``pii_arrow`` (the same keys as ``contact_key``);
* the row checks (required values, per-entity rules) run as masks;
* a row that fails any check goes through ``RowValidator.check`` itself, so its rejection
  reason (or, should the vectorised check have been stricter, its loaded values) is exactly
  today's. Such rows are rare, so they may be slow.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.common.pii_arrow import contact_keys

from .arrow_cells import ARROW_TYPES, TEXT, Cells, parse_column, text_of
from .prefetch import prefetched
from .readers import RawRow, _to_row
from .settings import DEFAULT_SOURCE_SYSTEM, ROW_KEY, SOURCE_FILE, SOURCE_ROW, EntitySpec
from .validation import FileSchemaError, RowValidator, pii_kind, row_key

# A part of ad_spend's row_key with one of these is JSON-escaped by Python (json.dumps).
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'


@dataclass
class BatchResult:
    good: pa.Table | None  # good rows in row order, with source_file / source_row
    rejected: list[dict[str, Any]]  # rejected_rows entries, as the row path makes them


class ArrowFile:
    """Validates the record batches of one Parquet file, whose header passed ``check_header``."""

    def __init__(self, validator: RowValidator, columns: Sequence[str], relative: str) -> None:
        self.validator = validator
        self.spec: EntitySpec = validator.spec
        self.columns = list(columns)
        self.relative = relative

    def batches(self, batches: Iterator[pa.RecordBatch]) -> Iterator[BatchResult]:
        """The file's batches validated, the next one in a worker thread (see prefetch)."""
        return prefetched(self._validated(batches))

    def _validated(self, batches: Iterator[pa.RecordBatch]) -> Iterator[BatchResult]:
        first = 1  # source_row of the batch's first row (the header is row 0)
        for batch in batches:
            if batch.num_rows:
                yield self.validate(batch, first)
            first += batch.num_rows

    def validate(self, batch: pa.RecordBatch, first: int) -> BatchResult:
        size = batch.num_rows
        cells = {c: Cells.of(batch.column(i)) for i, c in enumerate(self.columns)}
        keep = pc.invert(_all_blank(list(cells.values()), size))
        try:
            values, bad = self._values(cells, size)
        except ValueError as exc:
            raise FileSchemaError(f"{self.relative}: {exc}") from exc
        bad = pc.or_(bad, self._row_checks(values, size))
        if self.spec.row_key_parts:
            values[ROW_KEY] = self._row_keys(values, size)
        numbers = pa.array(np.arange(first, first + size, dtype=np.int64))
        values[SOURCE_FILE] = pa.repeat(pa.scalar(self.relative, TEXT), size)
        values[SOURCE_ROW] = numbers

        table = pa.table(values)
        flagged = pc.and_(keep, bad)
        good = pc.and_(keep, pc.invert(bad))
        fast = table if pc.all(good).as_py() else table.filter(good)
        slow_rows, rejected = self._row_path(batch, flagged, numbers)
        if slow_rows:
            unknown = {key for row in slow_rows for key in row} - set(table.column_names)
            if unknown:  # from_pylist would drop them silently
                raise RuntimeError(f"{self.relative}: row path gave columns {sorted(unknown)}")
            slow = pa.Table.from_pylist(slow_rows, schema=table.schema)
            fast = pa.concat_tables([fast, slow]).sort_by(SOURCE_ROW)
        return BatchResult(_without_empty_extras(fast, self.spec), rejected)

    # ------------------------------------------------------------ columns

    def _values(self, cells: dict[str, Cells], size: int) -> tuple[dict[str, pa.Array], pa.Array]:
        """Every non-personal column parsed, the contact key added, source_system defaulted;
        and the rows where a cell fails its check."""
        values: dict[str, pa.Array] = {}
        bad = _falses(size)
        for column, column_cells in cells.items():
            if pii_kind(column):
                continue
            values[column], column_bad = parse_column(column_cells, column, self.validator)
            bad = pc.or_(bad, column_bad)
        target = self.spec.pii_key  # without one, e-mail and phone columns are only dropped
        emails = phones = None
        if target:
            emails = _first_filled([text_of(c) for n, c in cells.items() if pii_kind(n) == "email"])
            phones = _first_filled([text_of(c) for n, c in cells.items() if pii_kind(n) == "phone"])
        if emails is not None or phones is not None:
            keys = contact_keys(emails, phones, self.validator.pii_salt)
            # strip_pii: the key replaces the file's own column unless it is None
            values[target] = pc.coalesce(keys, values[target]) if target in values else keys
        system = values.get("source_system")
        default = pa.scalar(DEFAULT_SOURCE_SYSTEM, TEXT)
        if system is None:
            values["source_system"] = pa.repeat(default, size)
        else:  # `if not row.get("source_system")`: null and "" alike
            values["source_system"] = pc.if_else(
                pc.fill_null(pc.equal(system, ""), True), default, system
            )
        return values, bad

    # ------------------------------------------------------------ rows

    def _row_checks(self, values: dict[str, pa.Array], size: int) -> pa.Array:
        """Rows the row path might reject: empty required values and the per-entity rules.
        May flag more than it must (those rows then load through the row path)."""
        spec = self.spec

        def column(name: str) -> pa.Array:
            found = values.get(name)
            return found if found is not None else pa.nulls(size, ARROW_TYPES[None])

        bad = _falses(size)
        for name in spec.required_values:
            bad = pc.or_(bad, pc.is_null(column(name)))
        if spec.name == "ad_spend":
            # campaign_id falls back to `campaign_name or utm_campaign` (Python truthiness:
            # an "" there is left to the row path)
            name, utm = column("campaign_name"), column("utm_campaign")
            for fallback in (name, utm):
                bad = pc.or_(bad, pc.fill_null(pc.equal(fallback, ""), False))
            campaign = pc.coalesce(column("campaign_id"), name, utm)
            values["campaign_id"] = campaign
            bad = pc.or_(bad, pc.is_null(campaign))
        if spec.name == "deals":
            amount, cost = column("amount"), column("cost_of_goods")
            won = pc.fill_null(pc.equal(column("status"), "won"), False)
            bad = pc.or_(bad, pc.and_(won, pc.is_null(amount)))
            money = pc.or_(pc.is_valid(amount), pc.is_valid(cost))
            bad = pc.or_(bad, pc.and_(money, pc.is_null(column("currency"))))
        return bad

    def _row_keys(self, values: dict[str, pa.Array], size: int) -> pa.Array:
        """``validation.row_key`` vectorised; a part that JSON must escape goes through it."""
        parts = []
        slow = _falses(size)
        for name in self.spec.row_key_parts:
            part = values.get(name)
            text = pc.cast(part, TEXT) if part is not None else pa.nulls(size, TEXT)
            text = pc.fill_null(text, "")
            slow = pc.or_(slow, pc.match_substring_regex(text, _NEEDS_ESCAPE))
            parts.append(text)
        keys = pc.binary_join_element_wise('["', *_interleave(parts, '","'), '"]', "")
        if pc.any(slow).as_py():
            names = [n for n in self.spec.row_key_parts if n in values]
            table = pa.table({n: values[n] for n in names}).filter(slow)
            patch = [row_key(row, self.spec.row_key_parts) for row in table.to_pylist()]
            keys = pc.replace_with_mask(keys, slow, pa.array(patch, TEXT))
        return keys

    def _row_path(
        self, batch: pa.RecordBatch, flagged: pa.Array, numbers: pa.Array
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The flagged rows through ``RowValidator.check``: (good rows, rejections)."""
        if not pc.any(flagged).as_py():
            return [], []
        picked = batch.filter(flagged)
        cells = [picked.column(i).to_pylist() for i in range(picked.num_columns)]
        good, rejected = [], []
        for index, number in enumerate(numbers.filter(flagged).to_pylist()):
            raw: RawRow = _to_row(number, self.columns, [column[index] for column in cells])
            row, rejection = self.validator.check(raw, self.relative)
            if row is not None:
                good.append(row)
            else:
                rejected.append(rejection)
        return good, rejected


def _falses(size: int) -> pa.Array:
    return pa.repeat(pa.scalar(False), size)


def _all_blank(cells: list[Cells], size: int) -> pa.Array:
    """Rows whose every cell is None or whitespace (skipped, as ``readers._is_blank``)."""
    blank = pa.repeat(pa.scalar(True), size)
    for column in cells:
        blank = pc.and_(blank, column.row_blank())
        if not pc.any(blank).as_py():
            break
    return blank


def _first_filled(columns: list[pa.Array]) -> pa.Array | None:
    """Per row, the first non-blank of several columns in file order (strip_pii's choice)."""
    return pc.coalesce(*columns) if columns else None


def _interleave(parts: list[pa.Array], separator: str) -> list[Any]:
    out: list[Any] = []
    for index, part in enumerate(parts):
        if index:
            out.append(separator)
        out.append(part)
    return out


def _without_empty_extras(table: pa.Table, spec: EntitySpec) -> pa.Table:
    """Drop unknown columns without a single value: the row path's None-only columns never
    reach the schema either (known columns exist anyway, from the resource's hints)."""
    empty = [
        name
        for name in table.column_names
        if name not in spec.columns
        and name not in (ROW_KEY, SOURCE_FILE, SOURCE_ROW)
        and table.column(name).null_count == table.num_rows
    ]
    return table.drop_columns(empty) if empty else table
