"""Bitrix24 CRM: deals (crm.deal.list) and their stage history (crm.stagehistory.list).

    crm.deal.list + crm.contact.list   -> raw_bitrix24.deals              (merge on deal_id)
    crm.stagehistory.list (deals)      -> raw_bitrix24.deal_stage_events  (merge on event_id)

Incremental by DATE_MODIFY / CREATED_TIME, re-reading `lag_minutes` before the last run; an
explicit start_date/end_date loads exactly those days instead. See README.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from . import transform as tf
from .client import Auth, Bitrix24Client, resolve_auth
from .options import Window, parse_options
from .settings import (
    CONTACT_FIELDS,
    CONTACTS_METHOD,
    DEAL_COLUMNS,
    DEAL_ENTITY_TYPE_ID,
    DEAL_FIELDS,
    DEALS_METHOD,
    EVENT_COLUMNS,
    HISTORY_FIELDS,
    HISTORY_METHOD,
    SOURCE_NAME,
)

__all__ = ["Auth", "Bitrix24Client", "Window", "bitrix24", "from_options", "resolve_auth"]

logger = logging.getLogger(__name__)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dlt.source(name=SOURCE_NAME, max_table_nesting=0)
def bitrix24(
    client: Bitrix24Client,
    pii_salt: str,
    field_map: Mapping[str, tuple[str, ...]] | None = None,
    window: Window | None = None,
    lag_minutes: int = 60,
    reconcile_deleted: bool = False,
    now: Callable[[], dt.datetime] = _utc_now,
) -> list[DltResource]:
    run = _Run(client, pii_salt, dict(field_map or {}), window, lag_minutes, reconcile_deleted, now)
    return [
        dlt.resource(
            _deals,
            name="deals",
            write_disposition="merge",
            primary_key="deal_id",
            columns=copy.deepcopy(DEAL_COLUMNS),  # dlt edits hints in place
        )(run),
        dlt.resource(
            _stage_events,
            name="deal_stage_events",
            write_disposition="merge",
            primary_key="event_id",
            columns=copy.deepcopy(EVENT_COLUMNS),
        )(run),
    ]


@dataclass
class _Run:
    client: Bitrix24Client
    pii_salt: str
    field_map: dict[str, tuple[str, ...]]
    window: Window | None
    lag_minutes: int
    reconcile_deleted: bool
    now: Callable[[], dt.datetime]
    contact_keys: dict[str, str | None] = field(default_factory=dict)

    def bounds(self, state: Mapping[str, Any], key: str) -> tuple[dt.datetime | None, ...]:
        """The [from, to) of this run: the explicit window, or the last run's start minus the
        lag (open-ended; nothing before the first run means everything)."""
        if self.window is not None:
            return self.window.start, self.window.end
        since = state.get(key)
        if not since:
            return None, None
        return dt.datetime.fromisoformat(since) - dt.timedelta(minutes=self.lag_minutes), None

    def lookup_contacts(self, ids: set[str]) -> None:
        """Hash PHONE / EMAIL of the page's contacts; the raw values go no further."""
        todo = sorted(ids - self.contact_keys.keys(), key=lambda c: (len(c), c))  # numeric order
        if not todo:
            return
        params = {"filter": {"@ID": todo}, "select": list(CONTACT_FIELDS)}
        for page in self.client.iter_pages(CONTACTS_METHOD, params):
            for contact in page:
                cid = tf.text(contact.get("ID"))
                if cid:
                    self.contact_keys[cid] = tf.contact_key_of(contact, self.pii_salt)
        for cid in todo:  # a deleted contact: no key, and no second lookup
            self.contact_keys.setdefault(cid, None)


def _date_filter(field_name: str, start: dt.datetime | None, end: dt.datetime | None) -> dict:
    out: dict[str, str] = {}
    if start is not None:
        out[f">={field_name}"] = start.isoformat(timespec="seconds")
    if end is not None:
        out[f"<{field_name}"] = end.isoformat(timespec="seconds")
    return out


def _deals(run: _Run) -> Iterator[Any]:
    yield dlt.mark.materialize_table_schema()  # the table exists even when nothing changed
    state = dlt.current.resource_state()
    started = run.now()
    start, end = run.bounds(state, "modified_since")
    select = list(DEAL_FIELDS) + sorted({f for fs in run.field_map.values() for f in fs})
    unknown: Counter[str] = Counter()
    loaded: set[int] = set()
    for page in run.client.iter_by_id(
        DEALS_METHOD, select, _date_filter("DATE_MODIFY", start, end)
    ):
        run.lookup_contacts({c for r in page if (c := tf.ref_id(r.get("CONTACT_ID")))})
        rows = [tf.deal_row(raw, run.field_map, run.contact_keys) for raw in page]
        for row in rows:
            loaded.add(int(row["deal_id"]))
            if row["status_source"] == "unknown":
                unknown[row["stage_id"] or "(none)"] += 1
        yield rows
    logger.info("%s: %d deals modified in [%s, %s)", SOURCE_NAME, len(loaded), start, end)
    if unknown:
        logger.warning(
            "%s: %d deals in stages of unknown meaning loaded as open (status_source "
            "'unknown'): %s",
            SOURCE_NAME,
            sum(unknown.values()),
            ", ".join(f"{stage} x{n}" for stage, n in unknown.most_common(10)),
        )
    known = tf.merge_ranges(state.get("known_ids", []), loaded)
    if run.reconcile_deleted:
        known = yield from _tombstones(run, known)
    state["known_ids"] = known
    if run.window is None:
        state["modified_since"] = started.isoformat()


def _tombstones(run: _Run, known: list[list[int]]) -> Iterator[Any]:
    """Bitrix24 lists no deleted deals: list every ID, and delete the ones that are gone."""
    current: set[int] = set()
    for page in run.client.iter_by_id(DEALS_METHOD, ["ID"], {}):
        current.update(int(row["ID"]) for row in page)
    missing = sorted(tf.range_ids(known) - current)
    if missing:
        logger.info("%s: %d deals deleted in Bitrix24, removing them", SOURCE_NAME, len(missing))
        yield [{"deal_id": str(i), "is_deleted": True} for i in missing]
    return tf.to_ranges(current)


def _stage_events(run: _Run) -> Iterator[Any]:
    yield dlt.mark.materialize_table_schema()
    state = dlt.current.resource_state()
    started = run.now()
    start, end = run.bounds(state, "created_since")
    params = {
        "entityTypeId": DEAL_ENTITY_TYPE_ID,
        "select": list(HISTORY_FIELDS),
        "filter": _date_filter("CREATED_TIME", start, end),
        "order": {"ID": "ASC"},  # append-only and ordered: offsets stay put while we page
    }
    seen: set[str] = set()
    for page in run.client.iter_pages(HISTORY_METHOD, params):
        rows = []
        for raw in page:
            row = tf.event_row(raw)
            if row["event_id"] and row["deal_id"] and row["event_id"] not in seen:
                seen.add(row["event_id"])
                rows.append(row)
        if rows:
            yield rows
    logger.info("%s: %d stage changes in [%s, %s)", SOURCE_NAME, len(seen), start, end)
    if run.window is None:
        state["created_since"] = started.isoformat()


def from_options(
    options: Mapping[str, Any],
    env: Mapping[str, str],
    pii_salt: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    *,
    now: Callable[[], dt.datetime] = _utc_now,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> Any:
    """The source as the pipelines build it (connectors/README.md). `now`, `sleep` and `clock`
    are for tests: no real waiting, a fixed "now"."""
    opts = parse_options(options, pii_salt, start_date, end_date)
    extra: dict[str, Any] = {}
    if sleep is not None:
        extra["sleep"] = sleep
    if clock is not None:
        extra["clock"] = clock
    client = Bitrix24Client(resolve_auth(options, env), **extra)
    return bitrix24(
        client=client,
        pii_salt=pii_salt,
        field_map=opts.field_map,
        window=opts.window,
        lag_minutes=opts.lag_minutes,
        reconcile_deleted=opts.reconcile_deleted,
        now=now,
    )
