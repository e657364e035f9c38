"""A local Yandex Metrica Logs API on pytest-httpserver, faults included.

Behaviour as documented (source-apis.md, 2.1): evaluate -> create -> poll -> download parts ->
clean, `OAuth` auth, date2 must be before today, at most a year per request, TSV parts with the
field names as header. Details marked [v] in the reference (exact error bodies, the status of a
bad token, how arrays and escapes print) follow ClickHouse's TabSeparated format and are not
confirmed by a primary doc.

Records are dicts in the API's own shape: Metrica field names -> values (str, int, list, None).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterable
from typing import Any

from werkzeug import Request, Response

COUNTER = "12345678"
TOKEN = "y0_AgAAAAFakeMetricaToken-42"
PREFIX = "/management/v1/counter/"


def sample_records() -> list[dict[str, Any]]:
    """Five visits over 2026-03-01..03: tagged, tags only in the URL, a Direct click, a tab in a
    URL, a newline in a referrer, an e-mail in a landing URL."""

    def visit(vid: int, client: str, when: str, **fields: Any) -> dict[str, Any]:
        base = {
            "ym:s:visitID": str(vid),
            "ym:s:clientID": client,
            "ym:s:dateTime": when,
            "ym:s:startURL": "https://shop.example/",
            "ym:s:referer": "",
            "ym:s:UTMSource": "",
            "ym:s:UTMMedium": "",
            "ym:s:UTMCampaign": "",
            "ym:s:UTMContent": "",
            "ym:s:UTMTerm": "",
            "ym:s:lastDirectClickOrder": "0",
            "ym:s:deviceCategory": 1,
            "ym:s:pageViews": 1,
            "ym:s:isNewUser": 1,
            "ym:s:goalsID": [],
        }
        return {**base, **{f"ym:s:{k}": v for k, v in fields.items()}}

    return [
        visit(
            9000000000000000001,  # above 2**63: must stay text
            "1700000000111111111",
            "2026-03-01 10:00:00",
            startURL="https://shop.example/?utm_source=yandex&utm_medium=cpc&yclid=777",
            UTMSource="yandex",
            UTMMedium="cpc",
            UTMCampaign="spring_sale",
            lastDirectClickOrder="55501",
            goalsID=[101, 202],
            pageViews=4,
        ),
        visit(
            2,
            "1700000000222222222",
            "2026-03-01 23:30:00",
            startURL="https://shop.example/p?utm_source=vk&utm_medium=social&utm_campaign=Promo%20X"
            "&fbclid=FB1",
            deviceCategory=2,
            isNewUser=0,
        ),
        visit(
            3,
            "1700000000111111111",
            "2026-03-02 00:15:00",
            startURL="https://shop.example/a\tb?gclid=G-3",
            referer="https://www.google.com/search?q=shop\nline2",
            deviceCategory=3,
            pageViews=2,
        ),
        visit(
            4,
            "1700000000333333333",
            "2026-03-02 12:00:00",
            startURL="https://shop.example/?email=Ivan.Petrov%40mail.ru&utm_source=email",
            referer="https://mail.example/read?from=ivan.petrov@mail.ru",
            deviceCategory=4,
        ),
        visit(5, "1700000000444444444", "2026-03-03 08:00:00", goalsID=[303], pageViews=7),
    ]


def escape(value: Any) -> str:
    """ClickHouse TabSeparated: backslash, tab and line feed escaped; arrays as [1,2]."""
    if value is None:
        return ""
    if isinstance(value, list):
        return escape(
            "[" + ",".join(f"'{v}'" if isinstance(v, str) else str(v) for v in value) + "]"
        )
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class FakeMetricaApi:
    """Switches: `statuses` the statuses a poll walks through; `max_possible_days` (evaluate says
    possible=false above it, 0 = never); `parts` per request; `part_5xx`, `bad_gzip`, `html_part`,
    `quota` (with `quota_status` 420/429 and `retry_after`), `html_evaluate` (counts of faulty
    answers before good ones); `bom`; `stale` (requests listed as already there);
    `stale_blocks_quota` (evaluate impossible while this many requests are still processed: the
    10 GB are full)."""

    def __init__(
        self,
        records: Iterable[dict[str, Any]] | None = None,
        *,
        today: dt.date = dt.date(2026, 3, 5),
        counter: str = COUNTER,
        token: str = TOKEN,
        statuses: Iterable[str] = ("created", "processed"),
        max_possible_days: int | None = None,
        parts: int = 1,
        bom: bool = False,
        stale: Iterable[dict[str, Any]] = (),
        stale_blocks_quota: int = 0,
    ):
        self.records = list(sample_records() if records is None else records)
        self.today, self.counter, self.token = today, counter, token
        self.statuses = list(statuses)
        self.max_possible_days, self.parts, self.bom = max_possible_days, parts, bom
        self.stale_blocks_quota = stale_blocks_quota
        self.part_5xx = self.bad_gzip = self.html_part = self.html_evaluate = self.quota = 0
        self.quota_status, self.retry_after = 420, None
        self.part_status: int | None = None  # every part download answers this (e.g. 404)
        self.requests: dict[int, dict[str, Any]] = {}
        for request in stale:
            self.requests[int(request["request_id"])] = {"queue": [], **request}
        self.next_id = 1000
        self.calls: list[tuple[str, str]] = []
        self.created: list[tuple[str, str]] = []
        self.evaluated: list[tuple[str, str]] = []
        self.cleaned: list[int] = []
        self.canceled: list[int] = []

    # ------------------------------------------------------------------ wiring

    def register(self, httpserver: Any) -> str:
        httpserver.expect_request(re.compile(r"^/management/v1/.*")).respond_with_handler(
            self.handle
        )
        return httpserver.url_for("/").rstrip("/")

    @staticmethod
    def _json(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
        return Response(json.dumps(body), status, headers, mimetype="application/json")

    @classmethod
    def _error(cls, status: int, kind: str, message: str, **headers: str) -> Response:
        body = {"errors": [{"error_type": kind, "message": message}], "code": status}
        return cls._json({**body, "message": message}, status, **headers)

    def handle(self, request: Request) -> Response:
        path = request.path[len(PREFIX) :]
        self.calls.append((request.method, path))
        if request.headers.get("Authorization") != f"OAuth {self.token}":
            return self._error(403, "invalid_token", "Invalid oauth_token")  # [v] 401 or 403
        counter, _, rest = path.partition("/")
        if counter != self.counter:
            return self._error(403, "access_denied", "Access is denied")
        if self.quota > 0:
            self.quota -= 1
            extra = {"Retry-After": str(self.retry_after)} if self.retry_after else {}
            return self._error(self.quota_status, "quota_requests_by_ip", "Quota exceeded", **extra)
        route = (request.method, re.sub(r"\d+", "{n}", rest))
        handler = {
            ("GET", "logrequests/evaluate"): self._evaluate,
            ("POST", "logrequests"): self._create,
            ("GET", "logrequests"): self._list,
            ("GET", "logrequest/{n}"): self._info,
            ("GET", "logrequest/{n}/part/{n}/download"): self._download,
            ("POST", "logrequest/{n}/clean"): self._clean,
            ("POST", "logrequest/{n}/cancel"): self._cancel,
        }.get(route)
        if handler is None:
            return self._error(404, "not_found", f"no such method {rest}")
        return handler(request, [int(n) for n in re.findall(r"\d+", rest)])

    # ------------------------------------------------------------------ endpoints

    def _check(self, request: Request) -> tuple[dt.date, dt.date] | Response:
        args = request.args
        try:
            date1, date2 = (dt.date.fromisoformat(args[k]) for k in ("date1", "date2"))
        except (KeyError, ValueError):
            return self._error(400, "invalid_parameter", "date1 and date2 are required")
        if args.get("source") != "visits" or not args.get("fields", "").startswith("ym:s:"):
            return self._error(400, "invalid_parameter", "bad source or fields")
        if date2 >= self.today:
            return self._error(400, "invalid_parameter", "date2 must be before today")  # [v]
        if date1 > date2 or (date2 - date1).days >= 366:
            return self._error(400, "invalid_parameter", "bad period (at most one year)")
        return date1, date2

    def _evaluate(self, request: Request, _: list[int]) -> Response:
        if self.html_evaluate > 0:
            self.html_evaluate -= 1
            return Response("<html><body>Service unavailable</body></html>", 200)
        window = self._check(request)
        if isinstance(window, Response):
            return window
        self.evaluated.append((window[0].isoformat(), window[1].isoformat()))
        days = (window[1] - window[0]).days + 1
        limit = self.max_possible_days
        processed = sum(r["status"] == "processed" for r in self.requests.values())
        blocked = bool(self.stale_blocks_quota) and processed >= self.stale_blocks_quota
        possible = not blocked and (limit is None or days <= limit)
        evaluation = {"possible": possible, "max_possible_day_quantity": limit or 0}
        return self._json({"log_request_evaluation": evaluation})

    def _create(self, request: Request, _: list[int]) -> Response:
        window = self._check(request)
        if isinstance(window, Response):
            return window
        self.next_id += 1
        rows = [
            r
            for r in self.records
            if window[0].isoformat() <= str(r["ym:s:dateTime"])[:10] <= window[1].isoformat()
        ]
        self.requests[self.next_id] = {
            "request_id": self.next_id,
            "counter_id": int(self.counter),
            "source": "visits",
            "date1": window[0].isoformat(),
            "date2": window[1].isoformat(),
            "fields": request.args["fields"].split(","),
            "status": "created",
            "queue": list(self.statuses),  # what the next polls will see
            "rows": rows,
        }
        self.created.append((window[0].isoformat(), window[1].isoformat()))
        return self._json({"log_request": self._public(self.next_id, "created")})

    def _public(self, request_id: int, status: str) -> dict[str, Any]:
        request = self.requests[request_id]
        public = {k: v for k, v in request.items() if k not in ("queue", "rows")}
        public["status"] = request["status"] = status
        if status == "processed":
            count = min(self.parts, len(request["rows"])) if "rows" in request else 1
            public["parts"] = [{"part_number": n, "size": 100} for n in range(count)]
            public["size"] = 100 * count
        return public

    def _list(self, request: Request, _: list[int]) -> Response:
        return self._json(
            {"requests": [self._public(i, r["status"]) for i, r in self.requests.items()]}
        )

    def _info(self, request: Request, ids: list[int]) -> Response:
        request_data = self.requests.get(ids[0])
        if request_data is None:
            return self._error(404, "not_found", "no such log request")
        queue = request_data["queue"]
        status = queue.pop(0) if queue else request_data["status"]
        return self._json({"log_request": self._public(ids[0], status)})

    def _download(self, request: Request, ids: list[int]) -> Response:
        request_id, number = ids
        if self.part_status:
            return self._error(self.part_status, "not_found", "no such part")
        if self.part_5xx > 0:
            self.part_5xx -= 1
            return Response("Internal error", 503)
        if self.html_part > 0:
            self.html_part -= 1
            return Response("<html>maintenance</html>", 200, mimetype="text/html")
        request_data = self.requests[request_id]
        fields = request_data["fields"]
        rows = request_data["rows"][number :: max(self.parts, 1)]
        lines = ["\t".join(fields)] + [
            "\t".join(escape(row.get(f)) for f in fields) for row in rows
        ]
        body = ("\ufeff" if self.bom else "") + "\n".join(lines) + "\n"
        data = gzip.compress(body.encode("utf-8"))
        if self.bad_gzip > 0:
            self.bad_gzip -= 1
            data = b"\x1f\x8b\x08\x00garbage-not-gzip"
        headers = {"Content-Encoding": "gzip"}
        return Response(data, 200, headers, mimetype="text/tab-separated-values")

    def _clean(self, request: Request, ids: list[int]) -> Response:
        request_data = self.requests.get(ids[0])
        # [v] whether a failed request can be cleaned: accepted here.
        if request_data is None or request_data["status"] not in ("processed", "processing_failed"):
            return self._error(400, "invalid_parameter", "only a processed request can be cleaned")
        request_data["queue"] = []
        self.cleaned.append(ids[0])
        return self._json({"log_request": self._public(ids[0], "cleaned_by_user")})

    def _cancel(self, request: Request, ids: list[int]) -> Response:
        request_data = self.requests.get(ids[0])
        if request_data is None or request_data["status"] not in ("created", "awaiting_retry"):
            return self._error(400, "invalid_parameter", "only a pending request can be cancelled")
        request_data["queue"] = []
        self.canceled.append(ids[0])
        return self._json({"log_request": self._public(ids[0], "canceled")})
