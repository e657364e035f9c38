"""One window through the Logs API: plan (evaluate, split) and export (create, wait, parts,
rows, clean). No dlt state here; the source decides the window."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import dlt

from connectors.common.http import SourceApiError
from connectors.common.windows import day_chunks

from .client import MetricaLogsClient
from .rows import RowBuilder
from .settings import FIELDS, MAX_DAYS_PER_REQUEST, REJECTED_ROWS, SOURCE_NAME
from .windows import Window, days, halves

logger = logging.getLogger(__name__)
BATCH_SIZE = 5_000


def plan(client: MetricaLogsClient, window: Window) -> list[Window]:
    """Windows Metrica says it can export: at most a year each, halved while `possible` is
    false. One day that still is not possible is an error (nothing has been created yet)."""

    def evaluated(w: Window) -> list[Window]:
        possible, max_days = client.evaluate(w, FIELDS)
        if possible:
            return [w]
        if days(w) == 1:
            raise SourceApiError(
                f"{SOURCE_NAME}: the Logs API cannot export {w[0]} for counter "
                f"{client.counter_id} (evaluate: possible=false, max_possible_day_quantity="
                f"{max_days}). The counter's 10 GB of prepared logs is probably full: clean "
                "old log requests (see connectors/yandex_metrica/README.md, 'Quota')"
            )
        first, second = halves(w)
        return evaluated(first) + evaluated(second)

    return [w for chunk in day_chunks(*window, MAX_DAYS_PER_REQUEST) for w in evaluated(chunk)]


def export(client: MetricaLogsClient, window: Window, builder: RowBuilder) -> Iterator[Any]:
    """create -> wait -> every part -> rows; the request is cleaned whatever happens."""
    request_id = int(client.create(window, FIELDS)["request_id"])
    try:
        request = client.wait(request_id, window)
        parts = sorted(int(p["part_number"]) for p in request.get("parts") or [])
        loaded = rejected = 0
        for number in parts:
            where = f"logrequest/{request_id}/part/{number}"
            header, lines = client.part(request_id, number)
            if not header:
                continue
            try:
                builder.check_header(header, where)
            except ValueError as exc:
                raise SourceApiError(f"{SOURCE_NAME}: {exc}") from None
            batch: list[dict[str, Any]] = []
            bad: list[dict[str, Any]] = []
            for line, values in lines:
                try:
                    batch.append(builder.build(header, values))
                except ValueError as exc:
                    bad.append(builder.rejection(values, str(exc), where, line))
                if len(batch) >= BATCH_SIZE:
                    loaded += len(batch)
                    yield batch
                    batch = []
            loaded, rejected = loaded + len(batch), rejected + len(bad)
            if batch:
                yield batch
            if bad:
                yield dlt.mark.with_table_name(bad, REJECTED_ROWS)
        logger.info(
            "%s: %s..%s: %d part(s), %d visits, %d rejected lines",
            SOURCE_NAME,
            window[0],
            window[1],
            len(parts),
            loaded,
            rejected,
        )
    finally:
        client.release(request_id)
