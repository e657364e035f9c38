"""A local amoCRM API v4 on pytest-httpserver that behaves as the vendor documents.

Records are taken in the API's own shape (leads, contacts, pipelines, events, account), so an
end-to-end test can feed it data derived from the demo generator. Documented behaviour:
Bearer token (401 otherwise), `page`/`limit` paging with `_links.next` only when another page
exists, 204 with an empty body when nothing matches, filters on updated_at / created_at / id /
type, at most 250 (events: 100) per page, deleted leads hidden from /leads, and 429 beyond 7
requests per second followed by a 403 IP block when a client keeps going.

Each fault has a switch: `fail_next` (any status, e.g. 429/500/503, optionally with
Retry-After), `block_ip`, `html_200`, `loop_pages`, `always_next`, `numbers_as_strings`,
`truncate_next` (a body cut mid-transfer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from amocrm_sample_records import TOKEN, sample_records, status_event
from werkzeug import Request, Response


@dataclass
class FakeAmoApi:
    leads: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    pipelines: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    account: dict = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)  # ids hidden from /leads (in the trash)
    token: str = TOKEN
    clock: Callable[[], float] | None = None  # the client's clock, to enforce 7 requests/s
    # faults
    fail_next: list[tuple[int, dict]] = field(default_factory=list)  # (status, headers)
    block_ip: bool = False
    html_200: bool = False
    loop_pages: bool = False
    always_next: bool = False
    numbers_as_strings: bool = False
    truncate_next: int = 0
    # what was asked
    calls: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    seen_at: list[float] = field(default_factory=list)
    throttled: int = 0

    @classmethod
    def sample(cls, **kwargs: Any) -> FakeAmoApi:
        return cls(**{**sample_records(), **kwargs})

    def register(self, httpserver) -> FakeAmoApi:
        """Serve on `httpserver` (once per server: later calls change nothing)."""
        if getattr(httpserver, "_amocrm_fake", None) is not self:
            httpserver.expect_request(re.compile(r"^/api/v4/.*")).respond_with_handler(self.handle)
            httpserver._amocrm_fake = self
        return self

    # ------------------------------------------------------------- helpers for tests

    def update_lead(self, lead_id: int, at: int, **changes: Any) -> None:
        lead = next(x for x in self.leads if x["id"] == lead_id)
        lead.update(changes, updated_at=at)

    def delete_lead(self, lead_id: int, at: int) -> None:
        self.deleted.append(lead_id)
        self.events.append(status_event(f"del{lead_id}", lead_id, at, None, kind="lead_deleted"))

    def calls_to(self, path: str) -> list[dict[str, list[str]]]:
        return [args for p, args in self.calls if p == path]

    # ------------------------------------------------------------------ the server

    def handle(self, request: Request) -> Response:
        args = {k: request.args.getlist(k) for k in request.args}
        self.calls.append((request.path, args))
        if self.block_ip:
            return Response("<html><body>403 Forbidden: IP blocked</body></html>", 403)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _problem(401, "Unauthorized", "Access token is invalid")
        if self.clock is not None:
            now = self.clock()
            self.seen_at.append(now)
            if sum(1 for t in self.seen_at if now - t < 1.0) > 7:
                self.throttled += 1
                if self.throttled > 3:
                    self.block_ip = True
                return Response("", 429)
        if self.fail_next:
            status, headers = self.fail_next.pop(0)
            return Response(json.dumps({"status": status, "title": "Error"}), status, headers)
        if self.html_200:
            return Response("<html><body>Технические работы</body></html>", 200,
                            content_type="text/html")  # fmt: skip
        route = {
            "/api/v4/leads": self._leads,
            "/api/v4/contacts": self._contacts,
            "/api/v4/events": self._events,
            "/api/v4/leads/pipelines": self._pipelines,
            "/api/v4/account": self._account,
        }.get(request.path.rstrip("/"))
        if route is None:
            return _problem(404, "Not Found", request.path)
        return route(request)

    def _json(self, body: Any) -> Response:
        text = json.dumps(self._stringify(body) if self.numbers_as_strings else body)
        if self.truncate_next:
            self.truncate_next -= 1
            cut = text[: len(text) // 2].encode()
            response = Response(cut, 200, content_type="application/hal+json")
            response.headers["Content-Length"] = str(len(text.encode()))
            return response
        return Response(text, 200, content_type="application/hal+json")

    def _stringify(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._stringify(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._stringify(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", " ") if value >= 10_000 else str(value)
        return value

    def _page(self, request: Request, items: list[dict], key: str, max_limit: int) -> Response:
        limit = int(request.args.get("limit", 50))
        page = int(request.args.get("page", 1))
        if limit > max_limit or limit < 1 or page < 1:
            return _problem(400, "Bad Request", "limit/page out of range")
        if self.loop_pages:
            page = 1
        chunk = items[(page - 1) * limit : page * limit]
        if not chunk:
            return Response(b"", 204)
        links: dict[str, Any] = {"self": {"href": request.url}}
        if page * limit < len(items) or self.always_next or self.loop_pages:
            links["next"] = {"href": request.url.replace(f"page={page}", f"page={page + 1}")}
        return self._json({"_page": page, "_links": links, "_embedded": {key: chunk}})

    def _leads(self, request: Request) -> Response:
        items = [x for x in self.leads if x["id"] not in self.deleted]
        ids = {int(v) for v in request.args.getlist("filter[id][]")}
        if ids:
            items = [x for x in items if x["id"] in ids]
        items = _window(items, request, "updated_at")
        if request.args.get("order[updated_at]") == "asc":
            items = sorted(items, key=lambda x: (x["updated_at"], x["id"]))
        if "contacts" not in request.args.get("with", ""):
            items = [{k: v for k, v in x.items() if k != "_embedded"} for x in items]
        return self._page(request, items, "leads", 250)

    def _contacts(self, request: Request) -> Response:
        ids = {int(v) for v in request.args.getlist("filter[id][]")}
        items = [x for x in self.contacts if not ids or x["id"] in ids]
        return self._page(request, items, "contacts", 250)

    def _events(self, request: Request) -> Response:
        types = {t for v in request.args.getlist("filter[type]") for t in v.split(",") if t}
        entity = request.args.get("filter[entity]")
        items = [
            x for x in self.events
            if (not types or x["type"] in types) and (not entity or x["entity_type"] == entity)
        ]  # fmt: skip
        # newest first, as the account's event feed lists them
        items = sorted(_window(items, request, "created_at"), key=lambda x: -x["created_at"])
        return self._page(request, items, "events", 100)

    def _pipelines(self, request: Request) -> Response:
        return self._json(
            {"_total_items": len(self.pipelines), "_embedded": {"pipelines": self.pipelines}}
        )

    def _account(self, request: Request) -> Response:
        return self._json(self.account)


def _window(items: list[dict], request: Request, column: str) -> list[dict]:
    low = request.args.get(f"filter[{column}][from]")
    high = request.args.get(f"filter[{column}][to]")
    if low is not None:
        items = [x for x in items if x[column] >= int(low)]
    if high is not None:
        items = [x for x in items if x[column] <= int(high)]
    return items


def _problem(status: int, title: str, detail: str) -> Response:
    body = {"title": title, "type": "https://httpstatus.es/" + str(status), "status": status,
            "detail": detail}  # fmt: skip
    return Response(json.dumps(body), status, content_type="application/problem+json")
