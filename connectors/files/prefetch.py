"""Run an iterator one step ahead in a worker thread.

The Parquet fast path reads and validates the next record batch while dlt writes the current
one to its load file: Arrow decoding, Arrow compute and dlt's Parquet writer all release the
GIL, so on two cores the two overlap instead of adding up.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


def prefetched(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """What ``items`` yields, in order; an error raised there is raised here. Closing this
    generator early stops the worker at its next item."""
    buffer: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((True, _END))
        except BaseException as exc:  # handed to the consumer, raised there
            put((False, exc))

    worker = threading.Thread(target=work, name="files-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = buffer.get()
            if not ok:
                raise item  # type: ignore[misc]
            if item is _END:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
