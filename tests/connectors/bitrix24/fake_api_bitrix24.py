"""A local Bitrix24 REST portal for tests: crm.deal.list, crm.contact.list and
crm.stagehistory.list as documented (source-apis.md 3.2), with a switch for each fault.

Records are passed in the API's own shape (every deal value a string, datetimes with the
portal's offset); `sample_records()` gives a small portal of 120 deals.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sample_bitrix24 import sample_records
from werkzeug import Request, Response

PAGE = 50
_PREFIXES = (">=", "<=", "!@", "!=", ">", "<", "@", "=", "!")
_TIME_FIELDS = {"DATE_CREATE", "DATE_MODIFY", "CLOSEDATE", "CREATED_TIME"}
_INT_FIELDS = {"ID", "OWNER_ID", "CATEGORY_ID", "TYPE_ID"}
_PATH = re.compile(r"^/rest/(?:(\d+)/([^/]+)/)?([a-z.]+?)(?:\.json)?$")


@dataclass
class Faults:
    query_limit: int = 0  # the next N calls get 503 QUERY_LIMIT_EXCEEDED
    server_errors: int = 0  # the next N calls get 500 INTERNAL_SERVER_ERROR
    html_200: int = 0  # the next N calls get an HTML page with status 200
    cut_body: int = 0  # the next N calls break off mid-body
    blocked: set[str] = field(default_factory=set)  # methods answering 429 OPERATION_TIME_LIMIT
    revoked: bool = False  # webhook deleted / token revoked: 401 INVALID_CREDENTIALS
    omit_semantic: bool = False  # STAGE_SEMANTIC_ID missing even when selected
    repeat_next: bool = False  # stagehistory answers the same `next` forever
    ignore_id_filter: bool = False  # crm.deal.list ignores ">ID" (would loop forever)
    overlap_pages: bool = False  # offset pages overlap by one row (duplicates across pages)


class FakeBitrix24Api:
    def __init__(
        self,
        deals: list[dict[str, Any]] | None = None,
        contacts: list[dict[str, Any]] | None = None,
        history: list[dict[str, Any]] | None = None,
        user: str = "7",
        code: str = "w3bh00k5ecretc0de",
        token: str = "oauth-acc3ss-t0ken-xyz",
        clock: Any = None,
    ):
        sample = sample_records() if deals is None else None
        self.deals = deals if deals is not None else sample["deals"]
        self.contacts = contacts if contacts is not None else (sample or {}).get("contacts", [])
        self.history = history if history is not None else (sample or {}).get("history", [])
        self.user, self.code, self.token = user, code, token
        self.faults = Faults()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.call_times: list[float] = []
        self._clock = clock

    # ------------------------------------------------------------ wiring
    def register(self, httpserver: Any) -> FakeBitrix24Api:
        httpserver.expect_request(re.compile(r"^/rest/.*"), method="POST").respond_with_handler(
            self.handle
        )
        self.server = httpserver
        return self

    def webhook_url(self) -> str:
        return self.server.url_for(f"/rest/{self.user}/{self.code}/")

    def oauth_base_url(self) -> str:
        return self.server.url_for("/rest/")

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    # ------------------------------------------------------------ protocol
    def handle(self, request: Request) -> Response:
        match = _PATH.match(request.path)
        if not match:
            return _error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        user, code, method = match.groups()
        body = json.loads(request.get_data() or b"{}")
        self.calls.append((method, body))
        if self._clock is not None:
            self.call_times.append(self._clock())
        if self.faults.revoked:
            return _error(401, "INVALID_CREDENTIALS", "Invalid request credentials")
        if user is None and body.get("auth") != self.token:
            return _error(401, "NO_AUTH_FOUND", "Wrong authorization data")
        if user is not None and (user, code) != (self.user, self.code):
            return _error(401, "INVALID_CREDENTIALS", "Invalid request credentials")
        fault = self._fault(method)
        if fault is not None:
            return fault
        handler = {
            "crm.deal.list": self._deals,
            "crm.contact.list": self._contacts,
            "crm.stagehistory.list": self._history,
        }.get(method)
        if handler is None:
            return _error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        return handler(body)

    def _fault(self, method: str) -> Response | None:
        f = self.faults
        if f.query_limit:
            f.query_limit -= 1
            return _error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
        if f.server_errors:
            f.server_errors -= 1
            return _error(500, "INTERNAL_SERVER_ERROR", "Internal server error")
        if f.html_200:
            f.html_200 -= 1
            return Response("<html><body>502 Bad Gateway</body></html>", 200, mimetype="text/html")
        if f.cut_body:
            f.cut_body -= 1
            response = Response('{"result": [{"ID": "1"', 200, mimetype="application/json")
            response.headers["Content-Length"] = "4000"
            return response
        if method in f.blocked:
            return _error(429, "OPERATION_TIME_LIMIT", "Method is blocked (operation time limit)")
        return None

    def _deals(self, body: dict[str, Any]) -> Response:
        rows = _select(_filter(self.deals, body.get("filter") or {}), body.get("select"))
        if self.faults.omit_semantic:
            rows = [{k: v for k, v in r.items() if k != "STAGE_SEMANTIC_ID"} for r in rows]
        if self.faults.ignore_id_filter:
            filters = {k: v for k, v in (body.get("filter") or {}).items() if k != ">ID"}
            rows = _select(_filter(self.deals, filters), body.get("select"))
        return self._page(_order(rows, body.get("order")), body.get("start"), items=False)

    def _contacts(self, body: dict[str, Any]) -> Response:
        rows = _select(_filter(self.contacts, body.get("filter") or {}), body.get("select"))
        return self._page(_order(rows, body.get("order")), body.get("start"), items=False)

    def _history(self, body: dict[str, Any]) -> Response:
        if body.get("entityTypeId") not in (2, "2"):
            return _error(400, "ENTITY_TYPE_NOT_SUPPORTED", "Entity type is not supported")
        rows = _select(_filter(self.history, body.get("filter") or {}), body.get("select"))
        return self._page(_order(rows, body.get("order")), body.get("start"), items=True)

    def _page(self, rows: list[dict[str, Any]], start: Any, items: bool) -> Response:
        start = int(start or 0)
        timing = {"start": 0.0, "finish": 0.01, "duration": 0.01, "operating": 0.01}
        if start == -1:  # bulk mode: no COUNT, no total, no next
            return _json({"result": rows[:PAGE], "total": 0, "time": timing})
        if self.faults.overlap_pages and start > 0:
            start -= 1
        chunk = rows[start : start + PAGE]
        payload: dict[str, Any] = {
            "result": {"items": chunk} if items else chunk,
            "total": len(rows),
            "time": timing,
        }
        if start + PAGE < len(rows):
            payload["next"] = start + PAGE
        if self.faults.repeat_next:
            payload["next"] = PAGE
        return _json(payload)


def _json(payload: dict[str, Any]) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), 200, mimetype="application/json")


def _error(status: int, code: str, description: str) -> Response:
    return _json_status({"error": code, "error_description": description}, status)


def _json_status(payload: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(payload), status, mimetype="application/json")


def _value(name: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if name in _TIME_FIELDS:
        return dt.datetime.fromisoformat(str(value)).astimezone(dt.UTC)
    if name in _INT_FIELDS:
        return int(value)
    return str(value)


def _matches(row: dict[str, Any], key: str, wanted: Any) -> bool:
    op = next((p for p in _PREFIXES if key.startswith(p)), "=")
    name = key[len(op) :] if key.startswith(op) else key
    have = _value(name, row.get(name))
    if op in ("@", "!@"):
        inside = have in {_value(name, w) for w in wanted}
        return inside if op == "@" else not inside
    want = _value(name, wanted)
    if op in ("!=", "!"):
        return have != want
    if op == "=":
        return have == want
    if have is None or want is None:
        return False
    return {">=": have >= want, "<=": have <= want, ">": have > want, "<": have < want}[op]


def _filter(rows: list[dict[str, Any]], filters: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in rows if all(_matches(r, k, v) for k, v in filters.items())]


def _select(rows: list[dict[str, Any]], select: Any) -> list[dict[str, Any]]:
    if not select or "*" in select:
        return [dict(r) for r in rows]
    return [{k: v for k, v in r.items() if k in select} for r in rows]


def _order(rows: list[dict[str, Any]], order: Any) -> list[dict[str, Any]]:
    (name, direction), *_ = (order or {"ID": "ASC"}).items()
    return sorted(rows, key=lambda r: _value(name, r.get(name)), reverse=direction == "DESC")
