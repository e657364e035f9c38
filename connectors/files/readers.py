"""Read one CSV / XLSX / Parquet file into (row number, {column: value}) pairs, streaming.

Values are left as the file gives them (str from CSV; str/int/float/datetime from XLSX and
Parquet): parsing and checking happen in ``validation``. Header names are normalised here.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .settings import ARROW_BATCH_SIZE, BATCH_SIZE, CSV_DELIMITERS, SUPPORTED_SUFFIXES
from .validation import FileSchemaError

_SEPARATORS = re.compile(r"[^\w]+")


@dataclass
class RawRow:
    number: int  # 1-based data row number (the header is row 0)
    values: dict[str, Any]  # normalised header name -> cell value
    problem: str | None = None  # structural problem found while reading (too many cells)


@dataclass
class RawTable:
    columns: list[str]  # normalised header names, in file order
    rows: Iterator[RawRow]
    # Parquet: the same data as Arrow record batches, one cell per column (for the fast path).
    # Consume either ``rows`` or ``batches``, not both.
    batches: Iterator[Any] | None = None


def normalize_header(name: object) -> str:
    """``" Campaign ID "`` -> ``campaign_id``; ``E-mail`` -> ``e_mail``."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return _SEPARATORS.sub("_", text).strip("_")


def list_entity_files(root: Path, entity: str) -> list[Path]:
    """Data files of one entity folder, sorted by name. Hidden files and Excel lock files
    (``~$x.xlsx``) are skipped; anything else that is not CSV/XLSX/Parquet is an error."""
    folder = root / entity
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.is_dir() or path.name.startswith((".", "~$")):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise FileSchemaError(
                f"{path}: unsupported file type {path.suffix or '(none)'!r} "
                f"(expected .csv, .xlsx or .parquet; save .xls files as .xlsx)"
            )
        found.append(path)
    return found


@contextmanager
def read_table(path: Path) -> Iterator[RawTable]:
    """Open a data file; ``RawTable.rows`` is lazy and must be consumed inside the block."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield _read_csv(path, handle)
    elif suffix == ".xlsx":
        yield from _read_xlsx(path)
    elif suffix == ".parquet":
        yield _read_parquet(path)
    else:
        raise FileSchemaError(f"{path}: unsupported file type {suffix!r}")


def _header(path: Path, cells: list[Any] | tuple[Any, ...]) -> list[str]:
    cells = list(cells)
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()  # trailing empty header cells (Excel formatting, trailing delimiters)
    names = []
    for index, cell in enumerate(cells, start=1):
        name = normalize_header(cell) if cell is not None else ""
        names.append(name or f"column_{index}")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        listed = ", ".join(repr(d) for d in duplicates)
        raise FileSchemaError(f"{path}: duplicate column(s) {listed} in the header row")
    return names


def _is_blank(cells: list[Any] | tuple[Any, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and c.strip() == "") for c in cells)


def _to_row(number: int, columns: list[str], cells: list[Any] | tuple[Any, ...]) -> RawRow:
    extra = cells[len(columns) :]
    problem = None
    if not _is_blank(extra):
        problem = f"row has {len(cells)} values but the header has {len(columns)} columns"
    values = dict(zip(columns, cells, strict=False))
    for column in columns[len(cells) :]:
        values[column] = None  # short row: trailing cells left out by the exporter
    return RawRow(number, values, problem)


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])  # ties -> the first, ","
    return best if counts[best] else ","


def _read_csv(path: Path, handle: Any) -> RawTable:
    try:
        first = handle.readline()
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    if not first.strip():
        return RawTable([], iter(()))
    reader = csv.reader(itertools.chain([first], handle), delimiter=_sniff_delimiter(first))
    columns = _header(path, next(reader))

    def rows() -> Iterator[RawRow]:
        try:
            for number, cells in enumerate(reader, start=1):
                if not _is_blank(cells):
                    yield _to_row(number, columns, cells)
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, exc) from exc
        except csv.Error as exc:
            raise FileSchemaError(f"{path}: not a readable CSV file ({exc})") from exc

    return RawTable(columns, rows())


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> FileSchemaError:
    return FileSchemaError(
        f"{path}: not UTF-8 text ({exc.reason}); "
        "re-save it as 'CSV UTF-8' (Excel) or convert it with iconv -f cp1251 -t utf-8"
    )


def _read_xlsx(path: Path) -> Iterator[RawTable]:
    import openpyxl  # imported lazily: only needed when an .xlsx is dropped

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException
        raise FileSchemaError(f"{path}: not a readable .xlsx file ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        first = next(cells, None)
        if first is None or _is_blank(first):
            yield RawTable([], iter(()))
            return
        columns = _header(path, first)

        def rows() -> Iterator[RawRow]:
            for number, row in enumerate(cells, start=1):
                if not _is_blank(row):
                    yield _to_row(number, columns, row)

        yield RawTable(columns, rows())
    finally:
        workbook.close()


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError on a broken file
        raise FileSchemaError(f"{path}: not a readable Parquet file ({exc})") from exc
    names = parquet.schema_arrow.names
    columns = _header(path, names)

    def rows() -> Iterator[RawRow]:
        number = 0
        for batch in parquet.iter_batches(batch_size=BATCH_SIZE):
            for record in batch.to_pylist():
                number += 1
                cells = [record[name] for name in names]
                if not _is_blank(cells):
                    yield _to_row(number, columns, cells)

    def batches() -> Iterator[Any]:
        yield from parquet.iter_batches(batch_size=ARROW_BATCH_SIZE)

    # Trailing unnamed columns were dropped from the header: their cells are checked per row.
    same_shape = len(columns) == len(names)
    return RawTable(columns, rows(), batches() if same_shape else None)
