"""The two resources' bodies and what they share within one extraction."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import dlt

from connectors.common.http import SourceApiError

from .client import AmoClient, Page
from .rows import (
    Catalog,
    FieldRef,
    contact_key_of,
    lead_row,
    main_contact_id,
    stage_event_row,
    to_int,
    tombstone,
    with_stage,
)
from .settings import LIFECYCLE_EVENT_TYPES, STAGE_EVENT_TYPES

logger = logging.getLogger(__name__)


@dataclass
class Run:
    """What both resources of one extraction share: the client and the account's lookups."""

    client: AmoClient
    pii_salt: str
    refs: dict[str, list[FieldRef]]
    currency_option: str | None

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog.from_api(self.client.pipelines())

    @cached_property
    def currency(self) -> str:
        if self.currency_option:
            return self.currency_option
        value = str(self.client.account().get("currency") or "").strip().upper()
        if not value:
            raise SourceApiError(
                "amocrm: GET /api/v4/account has no currency; set sources.amocrm.currency"
            )
        return value

    def lead_rows(self, page: Page, restored: Mapping[int, int] | None = None) -> list[dict]:
        ids = {cid for lead in page if (cid := main_contact_id(lead)) is not None}
        keys = {
            to_int(contact.get("id")): contact_key_of(contact, self.pii_salt)
            for contacts in self.client.contacts(ids)
            for contact in contacts
            if to_int(contact.get("id")) is not None
        }
        rows = [lead_row(lead, self.catalog, self.currency, self.refs, keys) for lead in page]
        for row in rows:
            # a restored lead must pass the window even if amoCRM kept its old updated_at
            if restored and row["id"] in restored:
                row["updated_at"] = max(row["updated_at"] or 0, restored[row["id"]])
        return [row for row in rows if row["id"] is not None]


# The defaults only mark the cursor argument for dlt (string annotations are not resolved);
# the source always passes the configured instance (initial value, window, lag).
_UPDATED_AT: dlt.sources.incremental[int] = dlt.sources.incremental("updated_at")
_CREATED_AT: dlt.sources.incremental[int] = dlt.sources.incremental("created_at")


def leads_body(run: Run, updated_at: dlt.sources.incremental[int] = _UPDATED_AT) -> Iterator[Any]:
    yield dlt.mark.materialize_table_schema()  # the table exists even when nothing changed
    start, end = updated_at.start_value or 0, updated_at.end_value
    to = end - 1 if end is not None else None  # the API's `to` is inclusive, dlt's end is not
    deleted, restored = _lifecycle(run.client, start, to)
    seen: set[int] = set()
    for page in run.client.leads(start, to):
        rows = run.lead_rows(page)
        seen.update(row["id"] for row in rows)
        yield rows
    back = [lead_id for lead_id in restored if lead_id not in seen]
    for page in run.client.leads_by_id(back):
        yield run.lead_rows(page, restored)
    gone = [tombstone(lead_id, at) for lead_id, at in deleted.items() if lead_id not in seen]
    if gone:
        logger.info("amocrm: %d deleted leads in this window", len(gone))
        yield gone


def _lifecycle(client: AmoClient, start: int, to: int | None) -> tuple[dict, dict]:
    """Lead ids whose last lifecycle event in the window is a deletion / a restoration."""
    last: dict[int, tuple[int, str, str]] = {}
    for page in client.events(LIFECYCLE_EVENT_TYPES, start, to):
        for event in page:
            lead_id, at = to_int(event.get("entity_id")), to_int(event.get("created_at")) or 0
            if lead_id is None or event.get("type") not in LIFECYCLE_EVENT_TYPES:
                continue
            mark = (at, str(event.get("id") or ""), str(event.get("type")))
            if lead_id not in last or mark > last[lead_id]:
                last[lead_id] = mark
    deleted = {i: at for i, (at, _, kind) in last.items() if kind == "lead_deleted"}
    restored = {i: at for i, (at, _, kind) in last.items() if kind == "lead_restored"}
    return deleted, restored


def lead_events_body(
    run: Run, created_at: dlt.sources.incremental[int] = _CREATED_AT
) -> Iterator[Any]:
    yield dlt.mark.materialize_table_schema()
    start, end = created_at.start_value or 0, created_at.end_value
    to = end - 1 if end is not None else None
    # A lead_added event may come without the stage the lead started in [v]: it is the stage
    # the lead left on its first status change, or, with no change since, its current one.
    pending: dict[int, dict[str, Any]] = {}
    first_change: dict[int, tuple[int, int | None, int | None]] = {}
    for page in run.client.events(STAGE_EVENT_TYPES, start, to):
        rows = []
        for event in page:
            row = stage_event_row(event, run.catalog)
            if row is None or row["type"] not in STAGE_EVENT_TYPES:
                continue
            lead_id = row["lead_id"]
            if row["type"] == "lead_status_changed" and row["status_id_before"] is not None:
                change = (
                    row["created_at"] or 0,
                    row["pipeline_id_before"],
                    row["status_id_before"],
                )
                if lead_id not in first_change or change[0] < first_change[lead_id][0]:
                    first_change[lead_id] = change
            if row["status_id"] is not None:
                rows.append(row)
            elif row["type"] == "lead_added":
                pending[lead_id] = row
            else:
                logger.warning("amocrm: event %s has no lead status, skipped", row["id"])
        yield rows
    yield _resolve_added(run, pending, first_change)


def _resolve_added(run: Run, pending: dict, first_change: dict) -> list[dict[str, Any]]:
    rows = []
    for lead_id, (_, pipeline_id, status_id) in first_change.items():
        if lead_id in pending:
            rows.append(with_stage(pending.pop(lead_id), pipeline_id, status_id, run.catalog))
    for page in run.client.leads_by_id(pending):
        for lead in page:
            lead_id = to_int(lead.get("id"))
            if lead_id in pending:
                row = pending.pop(lead_id)
                rows.append(
                    with_stage(
                        row,
                        to_int(lead.get("pipeline_id")),
                        to_int(lead.get("status_id")),
                        run.catalog,
                    )
                )
    if pending:  # deleted since: no deal to attach a stage to
        logger.info("amocrm: %d lead_added events of deleted leads skipped", len(pending))
    return rows
