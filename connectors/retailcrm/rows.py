"""RetailCRM orders and history items -> raw rows. Only whitelisted fields are copied, so names,
addresses and unmapped custom fields never land; e-mail and phone leave as `contact_key`."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from connectors.common.pii import contact_key

from . import settings

logger = logging.getLogger(__name__)


class BadRecord(ValueError):
    """One order cannot be loaded; the message is the reason kept in rejected_rows."""


@dataclass(frozen=True)
class AccountRules:
    """How this account's orders map onto deals (from the source options)."""

    tz: ZoneInfo
    pii_salt: str
    statuses: Mapping[str, str | None]  # status code -> group code
    won_groups: frozenset[str]
    lost_groups: frozenset[str]
    field_map: Mapping[str, tuple[str, ...]]
    currency: str
    unknown: set[str] = field(default_factory=set, compare=False)  # statuses warned about

    def utc(self, value: Any) -> dt.datetime | None:
        """'Y-m-d H:i:s' in the account's timezone -> aware UTC; empty -> None."""
        if value in (None, ""):
            return None
        try:
            local = dt.datetime.strptime(str(value).strip(), settings.DATETIME_FORMAT)
        except ValueError:
            raise BadRecord(f"unparseable datetime: {value!r}") from None
        return local.replace(tzinfo=self.tz).astimezone(dt.UTC)

    def group(self, status: str | None) -> str | None:
        if status and status not in self.statuses and status not in self.unknown:
            self.unknown.add(status)
            logger.warning("retailcrm: status %r is not in /reference/statuses: open", status)
        return self.statuses.get(status) if status else None

    def deal_status(self, group: str | None) -> str:
        if group in self.won_groups:
            return "won"
        if group in self.lost_groups:
            return "lost"
        return "open"

    def is_closed(self, status: str | None) -> bool:
        return self.deal_status(self.statuses.get(status) if status else None) != "open"


@dataclass
class HistoryDigest:
    """What one run learned from /orders/history for one site."""

    last_id: int | None = None
    # order id -> its last change (None when the item had no usable time)
    changed_at: dict[int, dt.datetime | None] = field(default_factory=dict)
    deleted: dict[int, dict[str, Any]] = field(default_factory=dict)  # order id -> tombstone
    events: list[dict[str, Any]] = field(default_factory=list)
    # order id -> (status after the last event, when it entered its closed group or None)
    closing: dict[int, tuple[str, dt.datetime | None]] = field(default_factory=dict)

    def add(self, items: list[dict[str, Any]], rules: AccountRules, site: str | None) -> None:
        for item in items:  # sorted by id (client.history)
            self.last_id = int(item["id"])
            order = item.get("order") or {}
            if not isinstance(order, dict) or not _int(order.get("id")):
                continue
            order_id = int(order["id"])
            try:
                at = rules.utc(item.get("createdAt"))
            except BadRecord:
                at = None
            # the order is re-fetched either way; a change without a time gives no stage entry
            self.changed_at[order_id] = at or self.changed_at.get(order_id)
            if at is None:
                logger.warning("retailcrm: history item %s has no usable createdAt", item["id"])
                continue
            event = {"history_id": int(item["id"]), "order_id": order_id, "entered_at": at}
            event["site"] = site or _text(order.get("site"))
            if item.get("deleted"):
                self.deleted[order_id] = tombstone(order, at, site)
            if item.get("field") == "status":
                old = _code(item.get("oldValue"))
                self._enter(event, _code(item.get("newValue")), old, rules)
            elif item.get("created"):
                self._enter(event, _text(order.get("status")), None, rules)

    def _enter(self, event: dict, status: str | None, old: str | None, rules: AccountRules) -> None:
        """The order entered `status`; `old` is the status before, as the item says."""
        known = self.closing.get(event["order_id"])
        previous = known[0] if known else old
        if not status or status == previous:
            return  # the creation item and a status item of one moment: one stage entry
        self.events.append({**event, "status": status, "previous_status": previous})
        if not rules.is_closed(status):
            self.closing[event["order_id"]] = (status, None)
        elif previous is not None and rules.is_closed(previous):
            # closed -> closed (complete -> returned): the order closed when it first closed,
            # which only this run's history knows; None makes order_row fall back
            self.closing[event["order_id"]] = (status, known[1] if known else None)
        else:
            self.closing[event["order_id"]] = (status, event["entered_at"])


def order_row(order: dict[str, Any], rules: AccountRules, digest: HistoryDigest) -> dict[str, Any]:
    """The raw `orders` row of one API order; BadRecord when it cannot be loaded."""
    order_id = _int(order.get("id"))
    if not order_id:
        raise BadRecord(f"no numeric id: {order.get('id')!r}")
    created_at = rules.utc(order.get("createdAt"))
    if created_at is None:
        raise BadRecord("empty createdAt")
    amount = _money(order.get("totalSumm"), "totalSumm")
    status = _text(order.get("status"))
    group = rules.group(status)
    deal_status = rules.deal_status(group)
    status_updated_at = rules.utc(order.get("statusUpdatedAt"))
    closed_at = None
    if deal_status != "open":
        last_status, closed = digest.closing.get(order_id, (None, None))
        # history is exact when it saw the order close in this run; otherwise the order was
        # closed before (or changed after) and its last status change is the closing time
        closed_at = closed if last_status == status and closed else status_updated_at or created_at
    customer = order.get("customer") if isinstance(order.get("customer"), dict) else {}
    source = order.get("source") if isinstance(order.get("source"), dict) else {}
    custom = order.get("customFields") if isinstance(order.get("customFields"), dict) else {}
    return {
        "id": order_id,
        "number": _text(order.get("number")),
        "external_id": _text(order.get("externalId")),
        "site": _text(order.get("site")),
        "status": status,
        "status_group": group,
        "deal_status": deal_status,
        "created_at": created_at,
        "status_updated_at": status_updated_at,
        "closed_at": closed_at,
        "updated_at": digest.changed_at.get(order_id) or status_updated_at or created_at,
        "total_summ": amount,
        "purchase_summ": _money(order.get("purchaseSumm"), "purchaseSumm"),
        "currency": (_text(order.get("currency")) or rules.currency).upper(),
        "manager_id": _text(order.get("managerId")),
        "customer_id": _text(customer.get("id")),
        "contact_key": contact_key(
            _text(order.get("email")) or _text(customer.get("email")),
            _text(order.get("phone")) or _first_phone(customer.get("phones")),
            rules.pii_salt,
        ),
        "utm_source": _text(source.get("source")),
        "utm_medium": _text(source.get("medium")),
        "utm_campaign": _text(source.get("campaign")),
        "utm_content": _text(source.get("content")),
        "utm_term": _text(source.get("keyword")),
        **{key: _custom(custom, codes) for key, codes in rules.field_map.items()},
        "is_deleted": False,
        "deleted_at": None,
    }


def tombstone(order: dict[str, Any], at: dt.datetime, site: str | None) -> dict[str, Any]:
    """An order deleted in the CRM: kept as a marker so staging can drop it, traceably."""
    return {
        "id": int(order["id"]),
        "number": _text(order.get("number")),
        "external_id": _text(order.get("externalId")),
        "site": _text(order.get("site")) or site,
        "status": _text(order.get("status")),
        "updated_at": at,
        "is_deleted": True,
        "deleted_at": at,
    }


def rejection(order: dict[str, Any], reason: str, at: dt.datetime) -> dict[str, Any]:
    """A rejected order, with the fields we would have kept (no personal data) as JSON."""
    safe = {k: order.get(k) for k in ("id", "number", "site", "status", "createdAt", "totalSumm")}
    record_id = _text(order.get("id")) or _text(order.get("number")) or "?"
    return {
        "row_key": f"{settings.ORDERS}:{record_id}",
        "entity": settings.ORDERS,
        "record_id": record_id,
        "reason": reason,
        "raw": json.dumps(safe, ensure_ascii=False, default=str, sort_keys=True),
        "rejected_at": at,
        "is_resolved": False,
    }


def _code(value: Any) -> str | None:
    """History values of dictionary fields are {"code": ...}; plain strings are accepted too."""
    if isinstance(value, dict):
        value = value.get("code")
    return _text(value)


def _custom(custom: Mapping[str, Any], codes: tuple[str, ...]) -> str | None:
    return next((v for v in (_text(custom.get(c)) for c in codes) if v), None)


def _first_phone(phones: Any) -> str | None:
    if isinstance(phones, dict):  # some accounts send one phone as an object
        phones = [phones]
    for phone in phones or []:
        number = _text(phone.get("number")) if isinstance(phone, dict) else _text(phone)
        if number:
            return number
    return None


def _money(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise BadRecord(f"unparseable {name}: {value!r}") from None
    if not amount.is_finite():
        raise BadRecord(f"invalid {name}: {value!r}")
    if amount < 0:
        raise BadRecord(f"negative {name}: {value!r}")
    return amount.quantize(Decimal("0.01"))


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None
