"""prefetched: the same items in the same order, errors passed on, an early stop ends the worker."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from connectors.files.prefetch import prefetched


def test_same_items_in_order() -> None:
    assert list(prefetched(iter(range(100)))) == list(range(100))
    assert list(prefetched(iter([]))) == []


def test_an_error_in_the_worker_is_raised_to_the_consumer() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("bad file")

    seen = []
    with pytest.raises(ValueError, match="bad file"):
        for item in prefetched(failing()):
            seen.append(item)
    assert seen == [1]


def test_closing_early_stops_the_worker() -> None:
    produced = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    items = prefetched(endless())
    assert next(items) == 0
    items.close()
    assert not [t for t in threading.enumerate() if t.name == "files-prefetch"]
    assert len(produced) <= 3  # one ahead, not the whole stream
