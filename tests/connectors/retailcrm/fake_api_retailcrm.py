"""A local RetailCRM API v5 on pytest-httpserver: orders, order history, status reference.

It behaves as the vendor documents (docs.retailcrm.ru "Rules for working with API", the v5
reference) where we could confirm it; behaviour marked [v] is how client libraries and shop
modules treat the API, not a primary doc:
- the key in the X-API-KEY header (or ?apiKey=); a wrong key answers 403 success:false [v];
- GET /api/v5/orders: limit 20|50|100 (else 400 success:false with errors.limit [v]), page,
  filter[ids][], filter[createdAtFrom|To] (Y-m-d, inclusive), site; answers
  {success, pagination{limit,totalCount,currentPage,totalPageCount}, orders[]};
- GET /api/v5/orders/history: filter[sinceId], limit, page; items sorted by id; a created order
  is one item with created:true [v], a deleted one an item with deleted:true [v];
  dictionary fields such as status carry {"code": ...} in oldValue/newValue;
- GET /api/v5/reference/statuses: {statuses: {code: {code, name, group, ...}}}.

Records are given in the API's own shape (`sample_records()` is the default), so an end-to-end
test can feed orders derived from another generator. Faults are switches on the instance.
"""

from __future__ import annotations

import copy
import json
import math
import re
from typing import Any

from werkzeug import Request, Response

API_KEY = "rcrm-test-key-0123456789abcdef"
STATUSES: dict[str, str] = {  # status code -> group code
    "new": "new",
    "availability-confirmed": "approval",
    "assembling": "assembling",
    "send-to-delivery": "delivery",
    "complete": "complete",
    "returned": "complete",
    "cancel-other": "cancel",
    "no-call": "cancel",
}


def order_record(oid: int, site: str, created: str, status: str, total: Any, **extra: Any) -> dict:
    order = {
        "id": oid,
        "number": f"{oid}A",
        "externalId": f"ext-{oid}",
        "site": site,
        "createdAt": created,
        "statusUpdatedAt": created,
        "status": status,
        "totalSumm": total,
        "purchaseSumm": 0,
        "currency": "RUB",
        "managerId": 7,
        "firstName": "Иван",
        "lastName": "Петров",
        "email": f"buyer{oid}@example.com",
        "phone": f"8 (916) 000-00-{oid:02d}",
        "customer": {
            "id": 500 + oid,
            "firstName": "Иван",
            "email": f"buyer{oid}@example.com",
            "phones": [{"number": f"+7 916 000-00-{oid:02d}"}],
        },
        "source": {"source": "yandex", "medium": "cpc", "campaign": f"camp-{oid % 2}"},
        "customFields": {"ym_client_id": f"16{oid:08d}"},
    }
    order.update(extra)
    return order


def sample_records() -> dict[str, Any]:
    """Five orders on two sites, their creation and status history, one deleted order."""
    orders = [
        order_record(1, "shop-a", "2026-03-01 10:00:00", "complete", 1500.5),
        order_record(2, "shop-a", "2026-03-02 23:30:00", "cancel-other", 990),
        order_record(3, "shop-b", "2026-03-03 09:15:00", "new", 2500),
        order_record(4, "shop-b", "2026-03-04 12:00:00", "assembling", "4 100,00", customFields=[]),
        order_record(
            5, "shop-a", "2026-03-05 18:45:00", "new", 700,
            source={}, customFields={"gclid": "Cj0KCQ", "ym_client_id": ""}, customer={"id": 9},
            email=None, phone=None,
        ),
    ]  # fmt: skip
    api = FakeRetailCrmApi({"orders": [], "history": [], "statuses": dict(STATUSES)})
    for order in orders:
        final = order["status"]
        api.create_order({**order, "status": "new"}, order["createdAt"])
        if final != "new":
            api.set_status(order["id"], "availability-confirmed", _later(order["createdAt"], 1))
            api.set_status(order["id"], final, _later(order["createdAt"], 26))
    gone = order_record(6, "shop-a", "2026-03-01 08:00:00", "new", 100)
    api.create_order(gone, gone["createdAt"])
    api.delete_order(6, "2026-03-02 08:00:00")
    return {"orders": list(api.orders.values()), "history": api.history, "statuses": STATUSES}


def _later(stamp: str, hours: int) -> str:
    import datetime as dt

    t = dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S") + dt.timedelta(hours=hours)
    return t.strftime("%Y-%m-%d %H:%M:%S")


class FakeRetailCrmApi:
    def __init__(self, records: dict[str, Any] | None = None, *, api_key: str = API_KEY):
        records = copy.deepcopy(records if records is not None else sample_records())
        self.orders: dict[int, dict] = {int(o["id"]): o for o in records.get("orders", [])}
        self.history: list[dict] = list(records.get("history", []))
        self.statuses: dict[str, str] = dict(records.get("statuses") or STATUSES)
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []  # every request: path, args, headers
        # fault switches
        self.require_site = False  # a multi-store key: lists need ?site= [v]
        self.fail_503 = 0  # the next N requests answer 503 (rate limit / maintenance)
        self.refuse: tuple[int, str] | None = None  # (HTTP status, errorMsg) with success:false
        self.html_200 = False  # a proxy's HTML page with status 200
        self.shuffle_history = False  # history pages in reverse id order
        self.stuck_history = False  # ignores sinceId: the same full page forever

    def register(self, httpserver) -> str:
        """Serve on `httpserver`; returns the base URL to give the connector."""
        httpserver.expect_request(re.compile(r"^/api/v5/.*")).respond_with_handler(self.handle)
        return httpserver.url_for("/").rstrip("/")

    # -- changes, recorded in the history as the CRM does ----------------------------------
    def _item(self, order: dict, at: str, **fields: Any) -> None:
        ref = {k: order.get(k) for k in ("id", "externalId", "number", "site", "status")}
        nid = (self.history[-1]["id"] if self.history else 1000) + 1
        self.history.append({"id": nid, "createdAt": at, "source": "user", "order": ref, **fields})

    def create_order(self, order: dict, at: str) -> None:
        self.orders[int(order["id"])] = copy.deepcopy(order)
        self._item(order, at, created=True, field="id", oldValue=None, newValue=order["id"])

    def set_status(self, order_id: int, status: str, at: str) -> None:
        order = self.orders[order_id]
        old, order["status"], order["statusUpdatedAt"] = order["status"], status, at
        self._item(order, at, field="status", oldValue={"code": old}, newValue={"code": status})

    def edit(self, order_id: int, at: str, field: str, **values: Any) -> None:
        self.orders[order_id].update(values)
        self._item(self.orders[order_id], at, field=field, oldValue=None, newValue=None)

    def delete_order(self, order_id: int, at: str) -> None:
        order = self.orders.pop(order_id)
        self._item(order, at, deleted=True, field="id", oldValue=order_id, newValue=None)

    # -- the API ----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        args = request.args
        self.requests.append(
            {
                "path": request.path,
                "args": args.to_dict(flat=False),
                "headers": dict(request.headers),
            }
        )
        if self.fail_503 > 0:
            self.fail_503 -= 1
            return Response("<html>503 Service Temporarily Unavailable</html>", status=503)
        if self.html_200:
            return Response("<html><body>Bad gateway</body></html>", content_type="text/html")
        if (request.headers.get("X-API-KEY") or args.get("apiKey")) != self.api_key:
            return _json({"success": False, "errorMsg": 'Wrong "apiKey" value.'}, 403)
        if self.refuse:
            return _json({"success": False, "errorMsg": self.refuse[1]}, self.refuse[0])
        path = request.path.removeprefix("/api/v5/")
        if path == "reference/statuses":
            return _json({"success": True, "statuses": self._statuses()})
        limit = args.get("limit", "20")
        if limit not in ("20", "50", "100"):
            return _json(
                {
                    "success": False,
                    "errorMsg": "Errors in the input parameters",
                    "errors": {"limit": "The value you selected is not a valid choice."},
                },
                400,
            )
        site = args.get("site")
        if self.require_site and not site:
            return _json({"success": False, "errorMsg": "Parameter 'site' is missing"}, 400)
        if path == "orders":
            return self._orders(args, int(limit), site)
        if path == "orders/history":
            return self._history(args, int(limit), site)
        return _json({"success": False, "errorMsg": "API method not found"}, 404)

    def _statuses(self) -> dict:
        return {
            code: {"code": code, "name": code.title(), "active": True, "group": group}
            for code, group in self.statuses.items()
        }

    def _orders(self, args, limit: int, site: str | None) -> Response:
        ids = {int(i) for i in args.getlist("filter[ids][]")}
        start, end = args.get("filter[createdAtFrom]"), args.get("filter[createdAtTo]")
        rows = [
            o
            for o in sorted(self.orders.values(), key=lambda o: -int(o["id"]))  # newest first
            if (not ids or int(o["id"]) in ids)
            and (not site or o.get("site") == site)
            and (not start or str(o.get("createdAt"))[:10] >= start)
            and (not end or str(o.get("createdAt"))[:10] <= end)
        ]
        return _json({"success": True, **_page(rows, limit, args, "orders")})

    def _history(self, args, limit: int, site: str | None) -> Response:
        since = int(args.get("filter[sinceId]", 0))
        if self.stuck_history:
            since = 0
        rows = [
            h
            for h in sorted(self.history, key=lambda h: h["id"])
            if h["id"] > since and (not site or h["order"].get("site") == site)
        ]
        body = _page(rows, limit, args, "history")
        if self.shuffle_history:
            body["history"].reverse()
        return _json({"success": True, **body})


def _page(rows: list[dict], limit: int, args, key: str) -> dict:
    page = int(args.get("page", 1))
    return {
        "pagination": {
            "limit": limit,
            "totalCount": len(rows),
            "currentPage": page,
            "totalPageCount": math.ceil(len(rows) / limit),
        },
        key: copy.deepcopy(rows[(page - 1) * limit : page * limit]),
    }


def _json(body: dict, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
