"""RetailCRM (Simla) orders as deals, with their status history as stage events.

    raw_retailcrm.orders               one row per order (merge on id; deleted ones: tombstones)
    raw_retailcrm.order_status_events  one row per status entered (merge on history_id)
    raw_retailcrm.rejected_rows        orders that could not be loaded, with the reason

Incremental runs read /orders/history after the last history id (kept in dlt state per site),
re-fetch the orders it names and record their status changes. The first run loads every order
and reads the whole history once. start_date/end_date reload the orders created in a window.
See README.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import dlt
from dlt.extract.resource import DltResource
from dlt.extract.source import DltSource

from . import options as opts
from . import settings
from .client import RetailCrmClient
from .rows import AccountRules, BadRecord, HistoryDigest, order_row, rejection

__all__ = ["from_options", "retailcrm"]

logger = logging.getLogger(__name__)
Batch = tuple[str, list[dict[str, Any]]]  # (table, rows) from the sync to the table resources
_START = "__start__"


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def retailcrm(
    base_url: str = dlt.config.value,
    api_key: str = dlt.secrets.value,
    pii_salt: str = dlt.secrets.value,
    sites: Sequence[str] = (),
    timezone: str = settings.DEFAULT_TIMEZONE,
    currency: str = settings.DEFAULT_CURRENCY,
    won_groups: Sequence[str] = settings.DEFAULT_WON_GROUPS,
    lost_groups: Sequence[str] = settings.DEFAULT_LOST_GROUPS,
    field_map: Mapping[str, Sequence[str]] | None = None,
    page_size: int = settings.PAGE_SIZE,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> list[DltResource]:
    """Orders of `sites` (each loaded with `site=<code>`; none = what the key sees) as raw tables.
    `sleep` / `clock` are for tests (backoff and the 10 req/s limiter without real waiting)."""
    run = _Run(
        client=RetailCrmClient(
            base_url,
            api_key,
            page_size=opts.page_size(page_size),
            sleep=sleep,
            clock=clock,
        ),
        sites=tuple(sites) or (None,),
        window=(start_date, end_date) if start_date or end_date else None,
        rules=partial(  # completed with the account's statuses when the run starts
            AccountRules,
            tz=ZoneInfo(opts.timezone(timezone)),
            pii_salt=pii_salt,
            won_groups=frozenset(won_groups),
            lost_groups=frozenset(lost_groups),
            field_map={k: tuple(v) for k, v in (field_map or settings.DEFAULT_FIELD_MAP).items()},
            currency=currency.upper(),
        ),
    )

    @dlt.resource(name="retailcrm_sync", selected=False)
    def sync() -> Iterator[Batch]:
        yield _START, []
        yield from run.batches()

    return [
        _table(sync, settings.ORDERS, "id", settings.ORDER_COLUMNS),
        _table(sync, settings.STATUS_EVENTS, "history_id", settings.STATUS_EVENT_COLUMNS),
        _table(sync, settings.REJECTED_ROWS, "row_key", settings.REJECTED_COLUMNS),
    ]


def from_options(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    pii_salt: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    **testing: Any,
) -> DltSource:
    """The source from `sources.retailcrm` of throughline.yml and RETAILCRM_API_KEY in `env`."""
    return retailcrm(
        **opts.source_kwargs(options, env, start_date, end_date), pii_salt=pii_salt, **testing
    )


def _table(sync: DltResource, table: str, key: str, columns: dict) -> DltResource:
    def pick(batch: Batch) -> Iterator[Any]:
        name, rows = batch
        if name == _START:
            yield dlt.mark.materialize_table_schema()  # the table exists even when empty
        elif name == table and rows:
            yield rows

    return dlt.transformer(
        pick,
        data_from=sync,
        name=table,
        write_disposition="merge",
        primary_key=key,
        columns=columns,
    )


@dataclass
class _Run:
    client: RetailCrmClient
    sites: tuple[str | None, ...]
    window: tuple[dt.date | None, dt.date | None] | None
    rules: Callable[..., AccountRules]

    def batches(self) -> Iterator[Batch]:
        rules = self.rules(statuses=self.client.statuses())
        state = dlt.current.source_state()
        cursors: dict[str, int] = state.setdefault("since_id", {})
        rejected: dict[str, bool] = state.setdefault("rejected", {})
        for site in self.sites:
            digest = HistoryDigest()
            if self.window:
                pages = self.client.orders(_created_window(*self.window), site)
                yield from _orders(pages, rules, digest, set(), rejected)
                continue  # a backfill leaves the history cursor where it was
            since = cursors.get(site or "")
            for items in self.client.history(since, site):
                digest.add(items, rules, site)
            yield settings.STATUS_EVENTS, digest.events
            seen: set[int] = set(digest.deleted)
            if since is None:  # first run: every order, then any the history adds
                yield from _orders(self.client.orders([], site), rules, digest, seen, rejected)
            changed = sorted(i for i in digest.changed_at if i not in seen)
            pages = self.client.orders_by_id(changed, site)
            yield from _orders(pages, rules, digest, seen, rejected)
            yield settings.ORDERS, list(digest.deleted.values())
            if digest.last_id is not None:
                cursors[site or ""] = digest.last_id  # saved only if this load succeeds
            logger.info(
                "retailcrm site %s: history up to id %s, %d orders re-fetched, %d deleted",
                site or "(all)",
                digest.last_id,
                len(changed),
                len(digest.deleted),
            )


def _orders(
    pages: Iterator[list[dict[str, Any]]],
    rules: AccountRules,
    digest: HistoryDigest,
    seen: set[int],
    rejected: dict[str, bool],
) -> Iterator[Batch]:
    now = dt.datetime.now(dt.UTC)
    for page in pages:
        rows, bad = [], []
        for order in page:
            try:
                row = order_row(order, rules, digest)
            except BadRecord as exc:
                bad.append(rejection(order, str(exc), now))
                rejected[bad[-1]["row_key"]] = True
                continue
            if row["id"] in seen:  # pages shift while new orders arrive; first copy wins
                continue
            seen.add(row["id"])
            rows.append(row)
            key = f"{settings.ORDERS}:{row['id']}"
            if rejected.pop(key, None):  # it loads now: drop the stored rejection
                bad.append({**rejection(order, "resolved", now), "is_resolved": True})
        yield settings.ORDERS, rows
        yield settings.REJECTED_ROWS, bad


def _created_window(start: dt.date | None, end: dt.date | None) -> list[tuple[str, Any]]:
    params = []
    if start:
        params.append(("filter[createdAtFrom]", start.isoformat()))
    if end:
        params.append(("filter[createdAtTo]", end.isoformat()))
    return params
