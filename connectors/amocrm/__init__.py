"""amoCRM / Kommo (API v4) source: leads -> raw_amocrm.leads, stage history -> lead_events.

    leads        one row per lead (merge on id), incremental on updated_at with a lag;
                 deleted leads land as tombstones (is_deleted = true)
    lead_events  one row per lead_added / lead_status_changed event (merge on id),
                 incremental on created_at with the same lag

See README.md for options, keys and how to get a token.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from .client import AmoClient
from .options import resolve_options
from .resources import Run, lead_events_body, leads_body
from .rows import tracking_refs
from .settings import EVENT_COLUMNS, LEAD_COLUMNS, SOURCE_NAME, column_hints

__all__ = ["amocrm", "from_options"]


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def amocrm(
    base_url: str = dlt.config.value,
    token: str = dlt.secrets.value,
    pii_salt: str = dlt.secrets.value,
    currency: str | None = None,
    field_map: dict[str, Any] | None = None,
    lag_minutes: int = 60,
    start_at: int | None = None,
    end_at: int | None = None,
    max_pages: int = 5_000,
    sleep: Any = None,
    clock: Any = None,
) -> list[DltResource]:
    """`start_at` / `end_at` (unix seconds, end exclusive) load exactly that window of
    updated_at (leads) and created_at (events); without them each resource continues from its
    stored cursor minus `lag_minutes`, from the beginning of the account on the first run."""
    client = AmoClient(
        base_url, token, max_pages, sleep=sleep or time.sleep, clock=clock or time.monotonic
    )
    run = Run(client, pii_salt, tracking_refs(field_map), currency)
    lag = lag_minutes * 60

    def cursor(path: str) -> dlt.sources.incremental[int]:
        return dlt.sources.incremental(
            path,
            initial_value=start_at if start_at is not None else 0,
            end_value=end_at,
            lag=lag or None,
            on_cursor_value_missing="include",
        )

    leads = dlt.resource(
        leads_body,
        name="leads",
        primary_key="id",
        write_disposition="merge",
        columns={
            **column_hints(LEAD_COLUMNS, "id"),
            # the same lead twice in one run (pages shift while we read): keep the newest
            "updated_at": {"data_type": "bigint", "nullable": True, "dedup_sort": "desc"},
        },
    )
    events = dlt.resource(
        lead_events_body,
        name="lead_events",
        primary_key="id",
        write_disposition="merge",
        columns=column_hints(EVENT_COLUMNS, "id"),
    )
    return [leads(run, cursor("updated_at")), events(run, cursor("created_at"))]


def from_options(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    pii_salt: str,
    start_date: Any = None,
    end_date: Any = None,
    *,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> DltSource:
    """The source as the pipelines build it: `options` is sources.amocrm of throughline.yml,
    the token comes from env (AMOCRM_TOKEN). Nothing is fetched until the pipeline extracts."""
    kwargs = resolve_options(options, env, start_date, end_date)
    return amocrm(pii_salt=pii_salt, sleep=sleep, clock=clock, **kwargs)
