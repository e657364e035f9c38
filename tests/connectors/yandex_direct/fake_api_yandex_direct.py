"""A fake Yandex Direct API v5 (Reports + Clients.get) on pytest-httpserver.

It keeps statistics in the API's own shape (one record per day x campaign x ad group, the way a
CUSTOM_REPORT with those fields prints them) and answers report requests the way Direct documents:
grouping by the requested fields, money in micros unless `returnMoneyInMicros: false`, VAT on or
off, the skip* headers, the offline 201/202 + retryIn flow keyed by ReportName, and error JSON.
Each fault has a switch (see the attributes set in __init__). Behaviour the reference marks [v]
(unconfirmed: error codes, title/summary text, status of auth errors) is marked here too.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from werkzeug import Request, Response

TOKEN = "y0_AgAAAAB-fake-direct-token-0451"
DIMENSIONS = ("Date", "CampaignId", "CampaignName", "CampaignType", "AdGroupId", "AdGroupName")
METRICS = ("Impressions", "Clicks", "Cost")
REPORT_FIELDS = {
    "CAMPAIGN_PERFORMANCE_REPORT": set(DIMENSIONS[:4]) | set(METRICS),
    "CUSTOM_REPORT": set(DIMENSIONS) | set(METRICS),
}
REQUIRED = ("SelectionCriteria", "FieldNames", "ReportName", "ReportType", "DateRangeType")
REQUIRED += ("Format", "IncludeVAT")


def sample_records(first_day: dt.date = dt.date(2026, 1, 1), days: int = 10) -> list[dict]:
    """Two campaigns, three ad groups, `days` days; costs include VAT, in roubles."""
    groups = [
        (70114501, "Поиск | Кухни на заказ | Москва", "TEXT_CAMPAIGN", 5001, "Кухни — общие"),
        (70114501, "Поиск | Кухни на заказ | Москва", "TEXT_CAMPAIGN", 5002, None),  # '--'
        (70114504, 'РСЯ | "Кухни" | Ретаргетинг', "UNIFIED_CAMPAIGN", 5003, "Ретаргетинг 30 д"),
    ]
    records = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        for index, (cid, cname, ctype, gid, gname) in enumerate(groups):
            records.append(
                {
                    "Date": day.isoformat(),
                    "CampaignId": cid,
                    "CampaignName": cname,
                    "CampaignType": ctype,
                    "AdGroupId": gid,
                    "AdGroupName": gname,
                    "Impressions": 1000 + 10 * offset + index,
                    "Clicks": 20 + offset + index,
                    "Cost": Decimal("1234.56") + Decimal(offset) + Decimal(index) / 100,
                }
            )
    return records


def _error(status: int, code: int, string: str, detail: str = "") -> Response:
    body = {
        "error": {
            "request_id": "8695244274068608439",
            "error_code": code,
            "error_string": string,
            "error_detail": detail,
        }
    }
    return Response(
        json.dumps(body),
        status=status,
        content_type="application/json",
        headers={"RequestId": "8695244274068608439"},
    )


@dataclass
class FakeDirectApi:
    records: list[dict] = field(default_factory=sample_records)
    token: str = TOKEN
    currency: str = "RUB"
    agency_clients: tuple[str, ...] | None = None  # set: an agency token, Client-Login required
    vat_rate: Decimal = Decimal("0.20")

    def __post_init__(self) -> None:
        # ---- fault switches
        self.offline_polls = 0  # a new report answers 201, then 202 ... this many times, then 200
        self.retry_in: str | None = "3"  # retryIn header on 201/202/queue-full (None: omitted)
        self.queue_full = 0  # the next N report requests: 400, error 9000 [v]
        self.server_errors: list[int] = []  # answered first, in order (500, 502, 503 ...)
        self.ignore_skip_headers = False  # always print title, column and summary lines
        self.html_200 = 0  # the next N reports: an HTML page with status 200
        self.bad_gzip = 0  # the next N reports: Content-Encoding gzip, body not gzip
        self.bom = False  # a UTF-8 BOM before the report
        self.cut_last_row = False  # drop the last data row but keep the summary's count
        self.money_ignores_header = False  # print decimals even when micros are expected
        self.fail_report = 0  # the Nth report request (1-based) answers a plain 400 error
        self.rejected_fields: set[str] = set()  # FieldNames the API no longer knows [v]
        # ---- what happened
        self.calls: list[dict[str, Any]] = []
        self._reports: dict[str, tuple[str, int]] = {}  # ReportName -> (request key, polls left)
        self._seen: set[str] = set()  # ReportNames answered 201 already

    # ------------------------------------------------------------------ wiring

    def register(self, httpserver) -> str:
        httpserver.expect_request("/json/v5/reports", method="POST").respond_with_handler(
            self.reports
        )
        httpserver.expect_request("/json/v5/clients", method="POST").respond_with_handler(
            self.clients
        )
        return httpserver.url_for("/").rstrip("/")

    def report_calls(self) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["path"].endswith("/reports")]

    # ------------------------------------------------------------------ Clients.get

    def clients(self, request: Request) -> Response:
        self._log(request)
        # JSON API services answer errors with HTTP 200 and an error object [v].
        denied = self._auth(request, status=200)
        if denied is not None:
            return denied
        body = json.loads(request.get_data(as_text=True) or "{}")
        if body.get("method") != "get" or "Currency" not in body.get("params", {}).get(
            "FieldNames", []
        ):
            return _error(200, 8000, "Invalid request", "FieldNames must list Currency")
        result = {"result": {"Clients": [{"Currency": self.currency}]}}
        return Response(json.dumps(result), content_type="application/json")

    # ------------------------------------------------------------------ Reports

    def reports(self, request: Request) -> Response:
        self._log(request)
        denied = self._auth(request, status=403)  # status of auth errors in Reports [v]
        if denied is not None:
            return denied
        if self.fail_report and len(self.report_calls()) == self.fail_report:
            return _error(400, 8000, "Invalid request", "Something in the request is wrong")
        if self.server_errors:
            status = self.server_errors.pop(0)
            return _error(status, 1000, "Server temporarily unavailable")
        if self.queue_full:
            self.queue_full -= 1
            response = _error(
                400,
                9000,
                "Limit on the number of offline reports exceeded [v]",
                "Too many reports in the queue; try later",
            )
            if self.retry_in is not None:
                response.headers["retryIn"] = self.retry_in
            return response
        params = json.loads(request.get_data(as_text=True) or "{}").get("params", {})
        invalid = self._invalid(params)
        if invalid is not None:
            return invalid
        key = json.dumps(
            [params, request.headers.get("returnMoneyInMicros")], sort_keys=True, default=str
        )
        name = params["ReportName"]
        known, polls_left = self._reports.get(name, (key, self.offline_polls))
        if known != key:  # [v] code
            return _error(
                400,
                4000,
                "Invalid request parameters",
                f"A report named '{name}' was requested with other parameters",
            )
        if polls_left > 0:
            self._reports[name] = (key, polls_left - 1)
            status = 201 if name not in self._seen else 202
            self._seen.add(name)
            response = Response("", status=status, headers={"reportsInQueue": "1"})
            if self.retry_in is not None:
                response.headers["retryIn"] = self.retry_in
            return response
        self._reports[name] = (key, 0)
        return self._tsv(request, params)

    def _auth(self, request: Request, status: int) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(status, 53, "Authorization error", "Invalid OAuth token")
        if self.agency_clients is not None:
            bad = 200 if status == 200 else 400
            login = request.headers.get("Client-Login")
            if not login:  # [v] code and wording
                return _error(
                    bad, 8000, "Invalid request", "Client-Login HTTP header is not specified"
                )
            if login not in self.agency_clients:
                return _error(bad, 54, "No rights", f"No access to client {login}")
        return None

    def _invalid(self, params: dict[str, Any]) -> Response | None:
        missing = [k for k in REQUIRED if k not in params]
        if missing:
            return _error(400, 8000, "Invalid request", f"Missing {', '.join(missing)}")
        allowed = REPORT_FIELDS.get(params["ReportType"], set()) - self.rejected_fields
        unknown = [f for f in params["FieldNames"] if f not in allowed]
        if unknown:  # [v] code
            return _error(
                400,
                4000,
                "Invalid request parameters",
                f"Field {unknown[0]} is not supported in {params['ReportType']}",
            )
        if params["DateRangeType"] != "CUSTOM_DATE" or params["Format"] != "TSV":
            return _error(400, 8000, "Invalid request", "Only CUSTOM_DATE / TSV in this fake")
        return None

    def _tsv(self, request: Request, params: dict[str, Any]) -> Response:
        fields = params["FieldNames"]
        start = params["SelectionCriteria"]["DateFrom"]
        end = params["SelectionCriteria"]["DateTo"]
        micros = request.headers.get("returnMoneyInMicros", "true").lower() != "false"
        micros = micros and not self.money_ignores_header
        rows = self._rows(fields, start, end, params["IncludeVAT"] == "YES")
        lines = [self._line(row, fields, micros) for row in rows]
        if self.cut_last_row and lines:
            lines = lines[:-1]

        def printed(header: str) -> bool:
            return self.ignore_skip_headers or request.headers.get(header, "").lower() != "true"

        out = []
        if printed("skipReportHeader"):
            out.append(f'"{params["ReportName"]} ({start} - {end})"')  # [v] exact text
        if printed("skipColumnHeader"):
            out.append("\t".join(fields))
        out += lines
        if printed("skipReportSummary"):
            out.append(f"Total rows: {len(rows)}")  # [v] exact text
        text = ("\ufeff" if self.bom else "") + "\n".join(out) + "\n"
        if self.html_200:
            self.html_200 -= 1
            return Response(
                "<html><body>502 Bad Gateway</body></html>", status=200, content_type="text/html"
            )
        if self.bad_gzip:
            self.bad_gzip -= 1
            return Response(
                b"\x1f\x8bnot really gzip",
                status=200,
                headers={"Content-Encoding": "gzip"},
                content_type="text/tab-separated-values",
            )
        body = text.encode("utf-8")
        headers = {}
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            body, headers = gzip.compress(body), {"Content-Encoding": "gzip"}
        return Response(
            body,
            status=200,
            headers=headers,
            content_type="text/tab-separated-values; charset=utf-8",
        )

    def _rows(self, fields: list[str], start: str, end: str, vat: bool) -> list[dict]:
        dims = [f for f in fields if f in DIMENSIONS]
        grouped: dict[tuple, dict] = {}
        for record in self.records:
            if not start <= record["Date"] <= end:
                continue
            key = tuple(record.get(d) for d in dims)
            row = grouped.setdefault(key, {d: record.get(d) for d in dims})
            for metric in METRICS:
                value = record.get(metric)
                if value is not None:
                    row[metric] = row.get(metric, 0) + value
        rows = []
        for row in grouped.values():
            if row.get("Cost") is not None and not vat:
                row["Cost"] = (Decimal(row["Cost"]) / (1 + self.vat_rate)).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
            rows.append(row)
        return sorted(rows, key=lambda r: tuple(str(r.get(d)) for d in dims))

    def _line(self, row: dict, fields: Iterable[str], micros: bool) -> str:
        cells = []
        for name in fields:
            value = row.get(name)
            if value is None:
                cells.append("--")
            elif name == "Cost":
                cost = Decimal(value)
                cells.append(str(int(cost * 1_000_000)) if micros else f"{cost:.2f}")
            else:
                cells.append(str(value))
        return "\t".join(cells)

    def _log(self, request: Request) -> None:
        self.calls.append(
            {
                "path": request.path,
                "headers": dict(request.headers),
                "body": request.get_data(as_text=True),
            }
        )
