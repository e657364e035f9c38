"""Which dropped files a run must read, from the stamps of the files read before (dlt state).

A stamp is ``[size, mtime_ns, digest]``: a file whose stamp is unchanged since it was loaded is
not read again. The digest catches a file rewritten with the same size and modification time
(``cp -p``, some sync tools): for Parquet it hashes the footer (row group offsets, sizes and
statistics: a few KB, yet it changes with the data); CSV and XLSX files are hashed whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

_PARQUET_MAGIC = b"PAR1"
_CHUNK = 1 << 20


def stamp(path: Path) -> list[int | str]:
    """``[size, mtime_ns, digest]`` of a file (a list: it is kept in JSON state)."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, digest(path, stat.st_size)]


def digest(path: Path, size: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        if path.suffix.lower() == ".parquet" and size >= 12:
            handle.seek(size - 8)
            tail = handle.read(8)
            footer = int.from_bytes(tail[:4], "little")
            if tail[4:] == _PARQUET_MAGIC and footer + 8 <= size:
                handle.seek(size - 8 - footer)
                h.update(handle.read(footer + 8))
                return "footer:" + h.hexdigest()
            handle.seek(0)  # not a Parquet file after all: the reader will say so
        while chunk := handle.read(_CHUNK):
            h.update(chunk)
    return "bytes:" + h.hexdigest()


def first_to_read(
    relatives: Sequence[str], stamps: Mapping[str, list], known: Mapping[str, list] | None
) -> int:
    """Index of the first file (in name order) an entity must read again; every later file is
    read with it, because within a run the later file wins for a key, and a re-read earlier
    file must not override a later one. ``known`` None: nothing is known, read all."""
    if known is None:
        return 0
    for index, relative in enumerate(relatives):
        if known.get(relative) != stamps[relative]:
            return index
    return len(relatives)
