"""RetailCRM API v5 over the shared HTTP client: the X-API-KEY header, `success:false` bodies,
page-numbered order lists and the sinceId-driven history feed.

The key only ever travels in the X-API-KEY header (never `?apiKey=`), so URLs that end up in
logs or error messages carry no secret; the client still redacts it everywhere.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import requests

from connectors.common.http import HttpClient, RateLimiter, SourceApiError, redact

from . import settings

logger = logging.getLogger(__name__)

Params = list[tuple[str, Any]]


def api_root(base_url: str) -> str:
    """`https://shop.retailcrm.ru`, with or without a trailing /api/v5, becomes .../api/v5/."""
    root = base_url.rstrip("/")
    if root.endswith("/" + settings.API_PREFIX):
        root = root[: -len(settings.API_PREFIX) - 1]
    return f"{root}/{settings.API_PREFIX}/"


class RetailCrmClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        page_size: int = settings.PAGE_SIZE,
        sleep: Callable[[float], None] | None = None,  # tests: no real waiting
        clock: Callable[[], float] | None = None,
        max_attempts: int = 5,
    ):
        self.page_size = page_size
        sleep, clock = sleep or time.sleep, clock or time.monotonic
        self.http = HttpClient(
            base_url=api_root(base_url),
            source=settings.SOURCE_NAME,
            headers={"X-API-KEY": api_key, "Accept": "application/json"},
            secrets=(api_key,),
            max_attempts=max_attempts,
            rate_limiter=RateLimiter(settings.RATE_PER_SECOND, clock=clock, sleep=sleep),
            sleep=sleep,
        )

    def get(self, path: str, params: Params) -> dict[str, Any]:
        """One GET; 503s are retried by HttpClient; anything but `success: true` raises."""
        response = self.http.request("GET", path, params=params)
        try:
            # Money as Decimal straight from the JSON text: never through a float.
            body = response.json(parse_float=Decimal)
        except (ValueError, requests.JSONDecodeError):
            raise self.http.fail(response, "not JSON: an error page from a proxy?") from None
        if isinstance(body, dict) and body.get("success") is True and response.ok:
            return body
        raise self._refused(response, body)

    def _refused(self, response: requests.Response, body: Any) -> SourceApiError:
        message = body.get("errorMsg") if isinstance(body, dict) else None
        errors = body.get("errors") if isinstance(body, dict) else None
        if not message:
            return self.http.fail(response, "no success:true in the answer")
        detail = f"{message}" + (f" {errors}" if errors else "")
        hint = ""
        if response.status_code in (401, 403):
            hint = f" (check {settings.SECRET_ENV} and the key's access to orders and sites)"
        method = response.request.method if response.request is not None else "GET"
        path = response.request.path_url if response.request is not None else ""
        return SourceApiError(
            redact(
                f"{self.http.describe(method or 'GET', path)} refused (HTTP "
                f"{response.status_code}): {detail}{hint}",
                self.http.secrets,
            ),
            status=response.status_code,
        )

    def statuses(self) -> dict[str, str | None]:
        """status code -> status group code (GET /reference/statuses)."""
        body = self.get("reference/statuses", [])
        statuses = body.get("statuses") or {}
        items = statuses.values() if isinstance(statuses, dict) else statuses
        return {
            str(s["code"]): s.get("group") for s in items if isinstance(s, dict) and "code" in s
        }

    def orders(self, filters: Params, site: str | None) -> Iterator[list[dict[str, Any]]]:
        """Pages of GET /orders (page=1..pagination.totalPageCount; 0 pages = no orders)."""
        page = 1
        while True:
            body = self.get(
                "orders", [*filters, *_site(site), ("limit", self.page_size), ("page", page)]
            )
            orders = [o for o in body.get("orders") or [] if isinstance(o, dict)]
            total_pages = int((body.get("pagination") or {}).get("totalPageCount") or 0)
            if orders:
                yield orders
            if not orders or page >= total_pages:
                return
            page += 1
            if page > settings.MAX_PAGES:
                raise SourceApiError(f"retailcrm: GET /orders still paging after {page - 1} pages")

    def orders_by_id(self, ids: Sequence[int], site: str | None) -> Iterator[list[dict[str, Any]]]:
        """The current state of these orders, `page_size` ids per request."""
        for start in range(0, len(ids), self.page_size):
            chunk = ids[start : start + self.page_size]
            yield from self.orders([("filter[ids][]", i) for i in chunk], site)

    def history(self, since_id: int | None, site: str | None) -> Iterator[list[dict[str, Any]]]:
        """Pages of GET /orders/history after `since_id`, each sorted by id and strictly newer
        than the one before. Each request moves sinceId to the last id seen, so new changes
        arriving meanwhile cannot shift a page; a short page is the last one."""
        cursor = since_id
        for _ in range(settings.MAX_PAGES):
            params: Params = [("limit", self.page_size), *_site(site)]
            if cursor is not None:
                params.insert(0, ("filter[sinceId]", cursor))
            body = self.get("orders/history", params)
            items = [i for i in body.get("history") or [] if isinstance(i, dict) and "id" in i]
            items.sort(key=lambda i: int(i["id"]))  # the order of a page is not promised
            fresh = [i for i in items if cursor is None or int(i["id"]) > cursor]
            if fresh:
                yield fresh
                cursor = int(fresh[-1]["id"])
            if len(items) < self.page_size:
                return
            if not fresh:
                raise SourceApiError(
                    f"retailcrm: GET /orders/history returned a full page with nothing after "
                    f"sinceId={cursor}; stopping instead of looping"
                )
        raise SourceApiError(
            f"retailcrm: GET /orders/history still paging after {settings.MAX_PAGES} pages"
        )


def _site(site: str | None) -> Params:
    return [("site", site)] if site else []
