"""Bitrix24 rows (every value a string) into raw_bitrix24 rows. Pure functions, no HTTP."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from connectors.common.pii import contact_key

from .settings import LINK_KEYS, SEMANTIC_STATUS, STAGE_STATUS

logger = logging.getLogger(__name__)
_CATEGORY_PREFIX = re.compile(r"^C(\d+):(.+)$")
_SPACES = re.compile(r"[\s\u00a0]+")


def text(value: Any) -> str | None:
    """A trimmed string; "", "0" ids and empty multi-values become None where the caller says."""
    if value is None or isinstance(value, (dict, list)):
        return None
    out = str(value).strip()
    return out or None


def ref_id(value: Any) -> str | None:
    """CONTACT_ID, COMPANY_ID, ASSIGNED_BY_ID: "0" and "" mean none."""
    out = text(value)
    return None if out in (None, "0") else out


def parse_money(value: Any) -> Decimal | None:
    """ "1500.00" -> Decimal; "", "--", None -> None; "1 234,50" tolerated; garbage -> None."""
    raw = text(value)
    if raw is None or raw.strip("-") == "":
        return None
    cleaned = _SPACES.sub("", raw)
    if "," in cleaned and cleaned.rfind(",") > cleaned.rfind("."):  # 1 234,50 / 1.234,50
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        logger.warning("bitrix24: amount %r is not a number, loaded as NULL", raw[:30])
        return None
    return amount if amount.is_finite() else None


def parse_ts(value: Any) -> dt.datetime | None:
    """ISO 8601 with the portal's offset ("2024-09-02T18:37:18+02:00") -> aware UTC."""
    raw = text(value)
    if raw is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        logger.warning("bitrix24: timestamp %r is not ISO 8601, loaded as NULL", raw[:40])
        return None
    if moment.tzinfo is None:  # never seen from the API; UTC rather than a guess
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def split_stage(stage_id: str | None, category_id: Any) -> tuple[str | None, str | None]:
    """("C3:WON", None) -> ("3", "WON"); ("NEW", "0") -> ("0", "NEW")."""
    pipeline = text(category_id)
    if stage_id is None:
        return pipeline, None
    match = _CATEGORY_PREFIX.match(stage_id)
    if match:
        return pipeline or match.group(1), match.group(2)
    return pipeline or "0", stage_id  # no prefix: the default pipeline (CATEGORY_ID 0)


def deal_status(semantic: str | None, stage: str | None) -> tuple[str, str]:
    """(status, where it came from). STAGE_SEMANTIC_ID first; the system stage ids when it is
    missing; anything else is open and marked 'unknown' so it can be found and fixed."""
    if semantic is not None:
        status = SEMANTIC_STATUS.get(semantic.upper())
        if status:
            return status, "semantic"
    if stage is not None and stage.upper() in STAGE_STATUS:
        return STAGE_STATUS[stage.upper()], "stage_id"
    return "open", "unknown"


def first_value(row: Mapping[str, Any], fields: Sequence[str]) -> str | None:
    """The first non-empty of the given fields; a multiple user field gives its first value."""
    for field in fields:
        value = row.get(field)
        if isinstance(value, list):
            value = next((text(v) for v in value if text(v)), None)
        out = text(value)
        if out:
            return out
    return None


def multifield_values(values: Any) -> list[str]:
    """PHONE / EMAIL: [{"ID", "VALUE_TYPE", "VALUE", "TYPE_ID"}, ...] -> the VALUEs."""
    if not isinstance(values, list):
        return []
    out = [text(item.get("VALUE")) for item in values if isinstance(item, dict)]
    return [v for v in out if v]


def contact_key_of(contact: Mapping[str, Any], salt: str) -> str | None:
    phones = multifield_values(contact.get("PHONE"))
    emails = multifield_values(contact.get("EMAIL"))
    return contact_key(emails[0] if emails else None, phones[0] if phones else None, salt)


def deal_row(
    raw: Mapping[str, Any],
    field_map: Mapping[str, Sequence[str]],
    contact_keys: Mapping[str, str | None],
) -> dict[str, Any]:
    stage_id = text(raw.get("STAGE_ID"))
    pipeline, stage = split_stage(stage_id, raw.get("CATEGORY_ID"))
    semantic = text(raw.get("STAGE_SEMANTIC_ID"))
    status, status_source = deal_status(semantic, stage)
    is_closed = text(raw.get("CLOSED"))
    closed = status != "open" or is_closed == "Y"
    contact_id = ref_id(raw.get("CONTACT_ID"))
    row: dict[str, Any] = {
        "deal_id": text(raw.get("ID")),
        "pipeline": pipeline,
        "stage": stage,
        "stage_id": stage_id,
        "stage_semantic_id": semantic,
        "status": status,
        "status_source": status_source,
        "is_closed": None if is_closed is None else is_closed == "Y",
        "created_at": parse_ts(raw.get("DATE_CREATE")),
        # CLOSEDATE is the planned close date while a deal is open: only a closed deal has one.
        "closed_at": parse_ts(raw.get("CLOSEDATE")) if closed else None,
        "updated_at": parse_ts(raw.get("DATE_MODIFY")),
        "amount": parse_money(raw.get("OPPORTUNITY")),
        "currency": (text(raw.get("CURRENCY_ID")) or "").upper() or None,
        "manager": ref_id(raw.get("ASSIGNED_BY_ID")),
        "contact_id": contact_id,
        "company_id": ref_id(raw.get("COMPANY_ID")),
        "contact_key": contact_keys.get(contact_id) if contact_id else None,
        "source_id": text(raw.get("SOURCE_ID")),
    }
    for key in LINK_KEYS:
        row[key] = first_value(raw, field_map.get(key, ()))
    for tag in ("source", "medium", "campaign", "content", "term"):
        row[f"utm_{tag}"] = text(raw.get(f"UTM_{tag.upper()}"))
    row["is_deleted"] = False
    return row


def event_row(raw: Mapping[str, Any]) -> dict[str, Any]:
    stage_id = text(raw.get("STAGE_ID"))
    pipeline, stage = split_stage(stage_id, raw.get("CATEGORY_ID"))
    type_id = text(raw.get("TYPE_ID"))
    return {
        "event_id": text(raw.get("ID")),
        "deal_id": text(raw.get("OWNER_ID")),
        "type_id": int(type_id) if type_id and type_id.isdigit() else None,
        "pipeline": pipeline,
        "stage": stage,
        "stage_id": stage_id,
        "stage_semantic_id": text(raw.get("STAGE_SEMANTIC_ID")),
        "entered_at": parse_ts(raw.get("CREATED_TIME")),
    }


def normalize_field_map(value: Any) -> dict[str, tuple[str, ...]]:
    """field_map option: {client_id: UF_CRM_1, click_id: [UF_CRM_2, UF_CRM_3]}."""
    if not value:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError("field_map must map visit_id / client_id / click_id to field names")
    out: dict[str, tuple[str, ...]] = {}
    for key, fields in value.items():
        if key not in LINK_KEYS:
            raise ValueError(f"field_map key {key!r} is not one of {', '.join(LINK_KEYS)}")
        names = [fields] if isinstance(fields, str) else list(fields or [])
        out[key] = tuple(str(n).strip().upper() for n in names if str(n).strip())
    return out


def merge_ranges(ranges: list[list[int]], ids: set[int]) -> list[list[int]]:
    """Deal ids seen so far, kept in state as [first, last] runs (ids are mostly dense)."""
    points = set(ids)
    for first, last in ranges:
        points.update(range(first, last + 1))
    return to_ranges(points)


def to_ranges(ids: set[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for value in sorted(ids):
        if out and value == out[-1][1] + 1:
            out[-1][1] = value
        else:
            out.append([value, value])
    return out


def range_ids(ranges: list[list[int]]) -> set[int]:
    return {i for first, last in ranges for i in range(first, last + 1)}
