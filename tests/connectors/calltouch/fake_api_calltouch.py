"""A local Calltouch calls journal on pytest-httpserver, as "Выгрузка журнала звонков" documents it.

- GET /calls-service/RestAPI/{siteId}/calls-diary/calls, token in `clientApiId`.
- dateFrom/dateTo dd/mm/yyyy (site-local days of each call's `date` field).
- With `page` (1-based) + `limit` (<= 1000): any span,
  {page, pageTotal, pageSize, recordsTotal, records}.
- Without paging: one day only (dateFrom = dateTo), a bare array; a longer span is a 400.
Newest calls first [v: the order is not documented]. Error statuses and bodies for a bad token,
site or date are [v] too (not in the docs found): 401 / 400 with {"error": ...}.

Faults are switches on the instance; see the attributes in __init__.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from typing import Any

from werkzeug import Request, Response

TOKEN = "ct-T0ken-9f8e7d6c5b4a"
SITE_ID = "48213"
SALT = "calltouch-test-salt"
SHOP = "https://shop.example/"
PATH = re.compile(r"^/calls-service/RestAPI/(?P<site>[^/]+)/calls-diary/calls$")


def call(call_id: int | str, when: str, phone: str | None = "+7 (916) 555-01-01", **fields: Any):
    """One call in the API's own shape; `when` is 'dd/mm/yyyy HH:MM:SS' site time."""
    record: dict[str, Any] = {
        "callId": call_id,
        "date": when,
        "callerNumber": phone,
        "phoneNumber": "74951234567",
        "duration": 65,
        "successful": True,
        "uniqueCall": True,
        "targetCall": True,
        "uniqTargetCall": True,
        "sessionId": 900000 + int(call_id) if str(call_id).isdigit() else None,
        "yaClientId": f"17{call_id}000111",
        "clientId": f"GA1.2.{call_id}.1700000000",
        "ctClientId": f"ct{call_id}",
        "source": "yandex",
        "medium": "cpc",
        "utmSource": "yandex",
        "utmMedium": "cpc",
        "utmCampaign": "brand",
        "utmContent": "",
        "utmTerm": "",
        "keyword": "купить диван",
        "callUrl": "https://shop.example/?utm_source=yandex&utm_medium=cpc&utm_campaign=brand",
        "city": "Москва",
    }
    record.update(fields)
    return record


def sample_records() -> list[dict[str, Any]]:
    """Nine calls over 1-4 March 2026 (Moscow time) in the shapes the API really mixes."""
    return [
        call(101, "01/03/2026 00:15:00"),  # 28 Feb 21:15 UTC
        call(102, "01/03/2026 10:00:00", phone="8 916 555-01-02", duration="120"),
        call(103, "02/03/2026 09:30:05", yaClientId=None, clientId="GA1.2.555.1"),
        call(
            104,
            "02/03/2026 12:00:00",
            yaClientId="",
            clientId=None,
            targetCall=False,
            uniqTargetCall=False,
            successful="false",
            duration="--",
        ),
        call(  # tags only in the landing URL
            105,
            "02/03/2026 23:59:59",
            utmSource="",
            utmMedium=None,
            utmCampaign="",
            callUrl=SHOP + "sofa?utm_source=vk&utm_medium=social&utm_campaign=spring%20sale",
        ),
        call(106, "03/03/2026 08:00:00", phone=None, targetCall=None, uniqTargetCall=True),
        call(107, "03/03/2026 18:45:10", phone="anonymous", sessionId="abc-1", duration=0),
        call(108, "04/03/2026 11:11:11", phone="79165550108", duration="3600"),
        call(109, "04/03/2026 23:00:00", phone="+79165550109", uniqueCall="0"),
    ]


def local_day(record: dict[str, Any]) -> dt.date | None:
    """The site-local day of a call; `_fake_day` places a record whose `date` is broken."""
    try:
        text = record.get("_fake_day") or str(record.get("date"))[:10]
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


class FakeCalltouchApi:
    def __init__(
        self,
        httpserver,
        records: Iterable[dict[str, Any]] | None = None,
        *,
        token: str = TOKEN,
        site_id: str = SITE_ID,
    ):
        self.records = list(sample_records() if records is None else records)
        self.token, self.site_id = token, site_id
        self.requests: list[dict[str, str]] = []  # query args of every request, in order
        # --- faults ---
        self.statuses: list[tuple[int, str | None]] = []  # (status, Retry-After) served first
        self.bare_array: str | None = None  # paged request answered as a bare array:
        #   "first_day" = that of dateFrom only (paging ignored), "window" = the whole span
        self.arrivals: list[dict[str, Any]] = []  # calls that appear after the next page 1
        self.departures: list[Any] = []  # callIds deleted after the next page 1
        self.html_200 = 0  # times to answer an HTML error page with status 200
        self.truncated = 0  # times to cut the JSON body in half
        self.bad_gzip = 0  # times to claim gzip and send garbage
        self.ignore_page = False  # always answer page 1 (a cursor that never moves)
        self.empty: str | None = None  # "{}", "204", "" or "[]": every answer is that
        self.extra_fields: dict[str, Any] = {}  # schema drift: new fields on every record
        httpserver.expect_request(PATH).respond_with_handler(self.handle)

    # ------------------------------------------------------------------ the endpoint
    def handle(self, request: Request) -> Response:
        args = {k: request.args[k] for k in request.args}
        self.requests.append(args)
        if self.statuses:
            status, retry_after = self.statuses.pop(0)
            headers = {"Retry-After": retry_after} if retry_after else {}
            return Response(f"status {status}", status=status, headers=headers)
        if args.get("clientApiId") != self.token:
            # Echo what was sent, as some APIs do, so redaction is exercised.
            return _json({"error": f"Invalid clientApiId {args.get('clientApiId')}"}, 401)
        if PATH.match(request.path)["site"] != self.site_id:
            return _json({"error": "site not found"}, 400)
        try:
            day_from, day_to = (_day(args.get("dateFrom")), _day(args.get("dateTo")))
        except ValueError:
            return _json({"error": "dateFrom/dateTo must be dd/mm/yyyy"}, 400)
        if body_fault := self._body_fault():
            return body_fault
        if self.empty is not None:
            return Response(status=204) if self.empty == "204" else _raw(self.empty)
        if "page" not in args:
            if day_from != day_to:
                return _json({"error": "only one day can be requested without paging"}, 400)
            return _json(self._select(day_from, day_to))
        page, limit = int(args["page"]), int(args.get("limit", 1000))
        if limit > 1000 or limit < 1 or page < 1:
            return _json({"error": "limit must be 1..1000, page >= 1"}, 400)
        if self.bare_array == "first_day":
            return _json(self._select(day_from, day_from))
        if self.bare_array == "window":
            return _json(self._select(day_from, day_to))
        page = 1 if self.ignore_page else page
        rows = self._select(day_from, day_to)
        body = {
            "page": page,
            "pageTotal": math.ceil(len(rows) / limit),
            "pageSize": limit,
            "recordsTotal": len(rows),
            "records": rows[(page - 1) * limit : page * limit],
        }
        if page == 1:
            self._shift()
        return _json(body)

    # ------------------------------------------------------------------ helpers
    def _select(self, day_from: dt.date, day_to: dt.date) -> list[dict[str, Any]]:
        rows = [
            {**{k: v for k, v in r.items() if k != "_fake_day"}, **self.extra_fields}
            for r in self.records
            if (d := local_day(r)) is not None and day_from <= d <= day_to
        ]
        return sorted(rows, key=_newest_first_key, reverse=True)

    def _shift(self) -> None:
        """New calls arrive and spam is deleted between the pages of one walk."""
        if self.arrivals:
            self.records.extend(self.arrivals)
            self.arrivals = []
        if self.departures:
            gone = {str(c) for c in self.departures}
            self.records = [r for r in self.records if str(r.get("callId")) not in gone]
            self.departures = []

    def _body_fault(self) -> Response | None:
        if self.html_200:
            self.html_200 -= 1
            return Response("<html><body>502 Bad Gateway</body></html>", content_type="text/html")
        if self.truncated:
            self.truncated -= 1
            text = json.dumps({"page": 1, "records": [call(1, "01/03/2026 10:00:00")]})
            return _raw(text[: len(text) // 2])
        if self.bad_gzip:
            self.bad_gzip -= 1
            response = _raw("not gzip at all")
            response.headers["Content-Encoding"] = "gzip"
            return response
        return None


def _day(text: str | None) -> dt.date:
    if not text or not re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
        raise ValueError(text)
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def _newest_first_key(record: dict[str, Any]) -> tuple[str, str]:
    try:
        stamp = dt.datetime.strptime(str(record["date"]), "%d/%m/%Y %H:%M:%S").isoformat()
    except ValueError:
        stamp = ""
    return stamp, str(record.get("callId"))


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json;charset=UTF-8",
    )


def _raw(text: str) -> Response:
    return Response(text, status=200, content_type="application/json;charset=UTF-8")
