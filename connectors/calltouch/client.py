"""The calls journal over HTTP: paged multi-day requests, the one-day fallback, and the faults.

The token travels as the `clientApiId` query parameter. It must never reach a log or an error:
HttpClient describes calls by path only and redacts bodies; every requests exception is turned
into a SourceApiError here, because requests puts the full URL in its own messages.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import requests
from requests.exceptions import ChunkedEncodingError, ContentDecodingError

from connectors.common.http import HttpClient, SourceApiError

from .helpers import format_day_first, record_key
from .settings import CALLS_PATH, MAX_PAGES, MAX_PASSES, PAGE_LIMIT, SOURCE_NAME, TOKEN_ENV

logger = logging.getLogger(__name__)


@dataclass
class CalltouchClient:
    http: HttpClient
    site_id: str
    token: str
    page_size: int = PAGE_LIMIT
    max_pages: int = MAX_PAGES
    max_passes: int = MAX_PASSES
    body_attempts: int = 3  # a body cut short, bad gzip, or an HTML page with 200

    @property
    def path(self) -> str:
        return CALLS_PATH.format(site_id=self.site_id)

    def calls(self, day_from: dt.date, day_to: dt.date) -> list[dict[str, Any]]:
        """Every call of the days, once each (the last copy seen of a callId wins)."""
        collected: dict[str, dict[str, Any]] = {}
        for attempt in range(1, self.max_passes + 1):
            stable = self._paged_pass(day_from, day_to, collected)
            if stable is None:
                logger.warning(
                    "%s: paged request for %s..%s answered a bare array (the one-day shape); "
                    "loading those days one by one",
                    SOURCE_NAME,
                    day_from,
                    day_to,
                )
                return self._day_by_day(day_from, day_to)
            if stable:
                return list(collected.values())
            logger.info(
                "%s: recordsTotal changed while paging %s..%s (pass %d); paging again",
                SOURCE_NAME,
                day_from,
                day_to,
                attempt,
            )
        logger.warning(
            "%s: calls of %s..%s kept changing over %d passes; loaded %d distinct calls, the "
            "next run's restatement window re-reads these days",
            SOURCE_NAME,
            day_from,
            day_to,
            self.max_passes,
            len(collected),
        )
        return list(collected.values())

    def _paged_pass(
        self, day_from: dt.date, day_to: dt.date, collected: dict[str, dict[str, Any]]
    ) -> bool | None:
        """One walk over the pages. True: the result set held still; False: it shifted (calls
        arrived or went) and another pass is needed; None: the API ignored paging."""
        seen: set[str] = set()
        totals: set[tuple[Any, Any]] = set()
        page = 1
        while True:
            body = self._get(self._params(day_from, day_to, page))
            if isinstance(body, list):
                return None
            body = body or {}  # no content, or {}: no calls
            records = self._records(body.get("records"))
            if body.get("page") not in (None, page, str(page)):
                raise SourceApiError(
                    f"{self._where()}: asked for page {page}, got page {body.get('page')!r} "
                    "(paging ignored; stopping rather than looping)"
                )
            page_total, records_total = _int(body.get("pageTotal")), _int(body.get("recordsTotal"))
            totals.add((page_total, records_total))
            for record in records:
                key = record_key(record)
                seen.add(key)
                collected[key] = record
            done = (page >= page_total) if page_total is not None else len(records) < self.page_size
            if done or not records:
                break
            page += 1
            if page > self.max_pages:
                raise SourceApiError(
                    f"{self._where()}: more than {self.max_pages} pages for {day_from}..{day_to} "
                    "(pageTotal keeps growing?); set a smaller chunk_days"
                )
        short = records_total is not None and len(seen) < records_total
        return len(totals) == 1 and not short

    def _day_by_day(self, day_from: dt.date, day_to: dt.date) -> list[dict[str, Any]]:
        """The one-day mode: no paging, dateFrom = dateTo, a bare array per day."""
        collected: dict[str, dict[str, Any]] = {}
        day = day_from
        while day <= day_to:
            text = format_day_first(day)
            body = self._get({"clientApiId": self.token, "dateFrom": text, "dateTo": text})
            records = self._records(body if isinstance(body, list) else (body or {}).get("records"))
            for record in records:
                collected[record_key(record)] = record
            day += dt.timedelta(days=1)
        return list(collected.values())

    def _records(self, records: Any) -> list[dict[str, Any]]:
        records = records or []
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise SourceApiError(f"{self._where()}: 'records' is not a list of call objects")
        return records

    def _params(self, day_from: dt.date, day_to: dt.date, page: int) -> dict[str, Any]:
        return {
            "clientApiId": self.token,
            "dateFrom": format_day_first(day_from),
            "dateTo": format_day_first(day_to),
            "page": page,
            "limit": self.page_size,
        }

    def _where(self) -> str:
        return self.http.describe("GET", self.path)

    def _get(self, params: dict[str, Any]) -> dict[str, Any] | list[Any] | None:
        """GET and decode (None: no content), retrying bodies that arrive broken; errors carry
        no token."""
        problem, response = "", None
        for attempt in range(1, self.body_attempts + 1):
            response = None
            try:
                response = self.http.request("GET", self.path, params=params)
                if response.status_code in (401, 403):
                    raise self.http.fail(
                        response, f"token or site refused: check {TOKEN_ENV} and site_id"
                    )
                if response.status_code == 204:
                    return None
                if response.status_code >= 400:
                    raise self.http.fail(response)
                return _decode(response)
            except (ChunkedEncodingError, ContentDecodingError) as exc:
                problem = f"body broken in transit ({type(exc).__name__})"
            except ValueError as exc:  # not JSON: cut short, or an HTML page with 200
                problem = f"answer is not JSON ({type(exc).__name__})"
            except requests.RequestException as exc:
                # requests' own message holds the URL, and so the token: keep only the kind.
                raise SourceApiError(f"{self._where()} failed: {type(exc).__name__}") from None
            if attempt < self.body_attempts:
                logger.warning("%s: %s, retry %d", self._where(), problem, attempt)
                self.http.sleep(self.http.backoff * 2 ** (attempt - 1))
        if response is not None:
            raise self.http.fail(response, f"{problem}, {self.body_attempts} attempts")
        raise SourceApiError(f"{self._where()}: {problem}, {self.body_attempts} attempts")


def _decode(response: requests.Response) -> dict[str, Any] | list[Any] | None:
    if not response.content.strip():
        return None
    body = json.loads(response.content.decode("utf-8-sig"))
    if not isinstance(body, (dict, list)):
        raise ValueError(f"JSON {type(body).__name__} where an object or array was expected")
    return body


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
