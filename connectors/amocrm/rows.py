"""Pure transforms from amoCRM's JSON to raw rows: no HTTP here, so all of it is unit-testable.

Nothing personal leaves this module: the lead's name is dropped, contacts become a salted
`contact_key`, and only the tracking fields named in settings.TRACKING_FIELDS (or the
`field_map` option) are read from custom fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from connectors.common.config import ConnectorConfigError
from connectors.common.pii import contact_key

from .settings import EMAIL_CODE, PHONE_CODE, SOURCE_NAME, TRACKING_FIELDS

FieldRef = int | str  # a custom field's numeric field_id, or its field_code
_SPACES = re.compile(r"[\s\u00a0]+")


def to_int(value: Any) -> int | None:
    """amoCRM ids and unix times; tolerates numbers sent as strings ("1 700 000 000")."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    text = _SPACES.sub("", str(value))
    try:
        return int(Decimal(text.replace(",", "."))) if text and text != "--" else None
    except InvalidOperation:
        return None


def to_price(value: Any) -> Decimal | None:
    """`price` is whole roubles; strings such as "1 234,50" or "" also occur."""
    if value is None or isinstance(value, bool):
        return None
    text = _SPACES.sub("", str(value)).replace(",", ".")
    try:
        return Decimal(text) if text and text != "--" else None
    except InvalidOperation:
        return None


def tracking_refs(field_map: Mapping[str, Any] | None) -> dict[str, list[FieldRef]]:
    """canonical name -> field refs to try in order: the user's `field_map` first, then the
    standard field codes. A numeric value is a field_id, any other string a field_code."""
    refs: dict[str, list[FieldRef]] = {name: list(codes) for name, codes in TRACKING_FIELDS.items()}
    for name, value in (field_map or {}).items():
        if name not in refs:
            raise ConnectorConfigError(
                f"sources.{SOURCE_NAME}.field_map: unknown field {name!r} "
                f"(known: {', '.join(TRACKING_FIELDS)})"
            )
        values = value if isinstance(value, list | tuple) else [value]
        mapped: list[FieldRef] = []
        for item in values:
            number = to_int(item) if str(item).strip().isdigit() else None
            if number is None and not str(item).strip():
                raise ConnectorConfigError(
                    f"sources.{SOURCE_NAME}.field_map.{name}: empty field id / code"
                )
            mapped.append(number if number is not None else str(item).strip().upper())
        refs[name] = mapped + [ref for ref in refs[name] if ref not in mapped]
    return refs


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None  # a structured value (legal entity, linked item) is not a tag
    text = str(value).strip()
    return text or None


def field_value(custom_fields: Any, refs: Iterable[FieldRef]) -> str | None:
    """The first non-empty value of the first referenced field present. Enum (select) fields
    carry their option's text in `value`; a multi-value field gives its first value."""
    fields = [f for f in custom_fields or [] if isinstance(f, dict)]
    for ref in refs:
        for f in fields:
            if isinstance(ref, int):
                hit = to_int(f.get("field_id")) == ref
            else:
                hit = str(f.get("field_code") or "").upper() == ref
            if not hit:
                continue
            for item in f.get("values") or []:
                if isinstance(item, dict) and (text := _scalar(item.get("value"))):
                    return text
    return None


def main_contact_id(lead: Mapping[str, Any]) -> int | None:
    contacts = [c for c in (lead.get("_embedded") or {}).get("contacts") or [] if c]
    main = [c for c in contacts if c.get("is_main")]
    chosen = (main or contacts or [{}])[0]
    return to_int(chosen.get("id"))


def contact_key_of(contact: Mapping[str, Any], salt: str) -> str | None:
    fields = contact.get("custom_fields_values")
    return contact_key(field_value(fields, [EMAIL_CODE]), field_value(fields, [PHONE_CODE]), salt)


@dataclass
class Catalog:
    """Pipeline and status names from /leads/pipelines (statuses 142 and 143 are in every one)."""

    pipelines: dict[int, str] = field(default_factory=dict)
    statuses: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def from_api(cls, pipelines: Iterable[Mapping[str, Any]]) -> Catalog:
        catalog = cls()
        for pipeline in pipelines:
            pid = to_int(pipeline.get("id"))
            if pid is None:
                continue
            catalog.pipelines[pid] = _scalar(pipeline.get("name")) or str(pid)
            for status in (pipeline.get("_embedded") or {}).get("statuses") or []:
                sid = to_int(status.get("id"))
                if sid is not None:
                    catalog.statuses[(pid, sid)] = _scalar(status.get("name")) or str(sid)
        return catalog

    def names(self, pipeline_id: int | None, status_id: int | None) -> dict[str, str | None]:
        """Names for ids; None for a pipeline or status deleted since (staging shows the id)."""
        return {
            "pipeline_name": self.pipelines.get(pipeline_id) if pipeline_id is not None else None,
            "status_name": self.statuses.get((pipeline_id, status_id))
            if pipeline_id is not None and status_id is not None
            else None,
        }


def lead_row(
    lead: Mapping[str, Any],
    catalog: Catalog,
    currency: str,
    refs: Mapping[str, list[FieldRef]],
    contact_keys: Mapping[int, str | None],
) -> dict[str, Any]:
    pipeline_id, status_id = to_int(lead.get("pipeline_id")), to_int(lead.get("status_id"))
    contact_id = main_contact_id(lead)
    fields = lead.get("custom_fields_values")
    row: dict[str, Any] = {
        "id": to_int(lead.get("id")),
        "pipeline_id": pipeline_id,
        "status_id": status_id,
        **catalog.names(pipeline_id, status_id),
        "price": to_price(lead.get("price")),
        "currency": currency,
        "responsible_user_id": to_int(lead.get("responsible_user_id")),
        "loss_reason_id": to_int(lead.get("loss_reason_id")),
        "created_at": to_int(lead.get("created_at")),
        "updated_at": to_int(lead.get("updated_at")),
        "closed_at": to_int(lead.get("closed_at")) or None,  # 0 on open leads in some accounts
        "is_deleted": bool(lead.get("is_deleted")),
        "deleted_at": None,
        "contact_id": contact_id,
        "contact_key": contact_keys.get(contact_id) if contact_id is not None else None,
    }
    if row["is_deleted"]:
        row["deleted_at"] = row["updated_at"]
    for name, name_refs in refs.items():
        row[name] = field_value(fields, name_refs)
    return row


def tombstone(lead_id: int, deleted_at: int) -> dict[str, Any]:
    """A deleted lead: replaces the stored row (merge on id); staging leaves it out."""
    return {"id": lead_id, "is_deleted": True, "deleted_at": deleted_at, "updated_at": deleted_at}


def _lead_status(values: Any) -> tuple[int | None, int | None]:
    for item in values or []:
        status = item.get("lead_status") if isinstance(item, dict) else None
        if isinstance(status, dict):
            return to_int(status.get("pipeline_id")), to_int(status.get("id"))
    return None, None


def stage_event_row(event: Mapping[str, Any], catalog: Catalog) -> dict[str, Any] | None:
    """lead_added / lead_status_changed -> the stage the lead entered (None: not a lead event).
    A move to another pipeline is a status change whose before and after pipelines differ."""
    lead_id = to_int(event.get("entity_id"))
    if lead_id is None or event.get("entity_type", "lead") != "lead" or not event.get("id"):
        return None
    pipeline_id, status_id = _lead_status(event.get("value_after"))
    before_pipeline, before_status = _lead_status(event.get("value_before"))
    return {
        "id": str(event["id"]),
        "type": str(event.get("type") or ""),
        "lead_id": lead_id,
        "created_at": to_int(event.get("created_at")),
        "created_by": to_int(event.get("created_by")),
        "pipeline_id": pipeline_id,
        "status_id": status_id,
        **catalog.names(pipeline_id, status_id),
        "pipeline_id_before": before_pipeline,
        "status_id_before": before_status,
    }


def with_stage(
    row: dict[str, Any], pipeline_id: int | None, status_id: int | None, catalog: Catalog
):
    row.update(
        pipeline_id=pipeline_id, status_id=status_id, **catalog.names(pipeline_id, status_id)
    )
    return row
