"""HTTP for amoCRM API v4: the token, the rate limit, 204-as-empty, page loops and 403 blocks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from connectors.common.http import HttpClient, RateLimiter, SourceApiError

from .settings import (
    ACCOUNT_PATH,
    CONTACT_IDS_PER_CALL,
    CONTACTS_PATH,
    EVENTS_PAGE_SIZE,
    EVENTS_PATH,
    LEADS_PAGE_SIZE,
    LEADS_PATH,
    PIPELINES_PATH,
    REQUESTS_PER_SECOND,
    SOURCE_NAME,
    TOKEN_ENV,
)

logger = logging.getLogger(__name__)
Page = list[dict[str, Any]]


class AmoClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        max_pages: int,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_attempts: int = 6,
    ):
        self.max_pages = max_pages
        self.http = HttpClient(
            base_url=base_url,
            source=SOURCE_NAME,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            secrets=(token,),
            # 429 / 5xx / broken body: wait 2, 4, 8, 16, 32 s (or Retry-After); never hammer,
            # amoCRM answers a client that keeps going with a 403 IP block.
            backoff=2.0,
            max_attempts=max_attempts,
            rate_limiter=RateLimiter(REQUESTS_PER_SECOND, clock=clock, sleep=sleep),
            sleep=sleep,
        )

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        """The JSON body, or None for amoCRM's "nothing found" (204, empty body)."""
        # HttpClient retries 429/5xx, refused connections and bodies cut mid-transfer.
        response = self.http.request("GET", path, params=params)
        where = self.http.describe("GET", path)
        if response.status_code == 204 or (response.ok and not response.content.strip()):
            return None
        if response.status_code == 401:
            raise SourceApiError(
                f"{where} answered HTTP 401: {TOKEN_ENV} was refused (the long-lived token "
                "expired or was revoked). Create a new one in amoCRM (Settings > Integrations > "
                f"your private integration > Keys and scopes) and set {TOKEN_ENV}.",
                status=401,
            )
        if response.status_code == 403:
            raise SourceApiError(
                f"{where} answered HTTP 403: amoCRM refuses this account or IP. It blocks an IP "
                "that keeps exceeding 7 requests/s, and refuses users without access to leads. "
                "Not retrying (retries prolong a block): stop other integrations that flood the "
                "account, wait for the block to lift, check the token's user rights, re-run.",
                status=403,
            )
        if not response.ok:
            raise self.http.fail(response)
        try:
            body = response.json()
        except ValueError:
            raise self.http.fail(response, "not JSON: an HTML error page or a proxy?") from None
        if not isinstance(body, dict):
            raise self.http.fail(response, "expected a JSON object")
        return body

    def paginate(
        self, path: str, params: Mapping[str, Any], key: str, limit: int
    ) -> Iterator[Page]:
        """Pages of `_embedded.<key>` until a 204, an empty page or a page without `next`."""
        seen: set[int] = set()
        for page in range(1, self.max_pages + 2):
            if page > self.max_pages:
                raise SourceApiError(
                    f"{self.http.describe('GET', path)}: more than {self.max_pages} pages, "
                    "stopping (loop guard). If the account really is that large, raise "
                    "sources.amocrm.max_pages or load it in date windows."
                )
            body = self.get(path, {**params, "page": page, "limit": limit})
            items = ((body or {}).get("_embedded") or {}).get(key) or []
            if not items:
                return
            signature = hash(tuple(str(item.get("id")) for item in items))
            if signature in seen:
                raise SourceApiError(
                    f"{self.http.describe('GET', path)}: page {page} repeats an earlier page "
                    "(the API is looping); stopping before anything is loaded"
                )
            seen.add(signature)
            yield items
            if not ((body or {}).get("_links") or {}).get("next"):
                return

    # ------------------------------------------------------------------ endpoints

    def leads(self, updated_from: int, updated_to: int | None) -> Iterator[Page]:
        params: dict[str, Any] = {
            "with": "contacts",
            "filter[updated_at][from]": updated_from,
            "order[updated_at]": "asc",
        }
        if updated_to is not None:
            params["filter[updated_at][to]"] = updated_to
        return self.paginate(LEADS_PATH, params, "leads", LEADS_PAGE_SIZE)

    def leads_by_id(self, ids: Iterable[int]) -> Iterator[Page]:
        for chunk in _chunks(sorted(set(ids)), LEADS_PAGE_SIZE):
            params = {"with": "contacts", "filter[id][]": chunk}
            yield from self.paginate(LEADS_PATH, params, "leads", LEADS_PAGE_SIZE)

    def contacts(self, ids: Iterable[int]) -> Iterator[Page]:
        for chunk in _chunks(sorted(set(ids)), CONTACT_IDS_PER_CALL):
            params = {"filter[id][]": chunk}
            yield from self.paginate(CONTACTS_PATH, params, "contacts", CONTACT_IDS_PER_CALL)

    def events(
        self, types: Iterable[str], created_from: int, created_to: int | None
    ) -> Iterator[Page]:
        params: dict[str, Any] = {
            "filter[entity]": "lead",
            "filter[type]": ",".join(types),
            "filter[created_at][from]": created_from,
        }
        if created_to is not None:
            params["filter[created_at][to]"] = created_to
        return self.paginate(EVENTS_PATH, params, "events", EVENTS_PAGE_SIZE)

    def pipelines(self) -> list[dict[str, Any]]:
        body = self.get(PIPELINES_PATH) or {}
        return list((body.get("_embedded") or {}).get("pipelines") or [])

    def account(self) -> dict[str, Any]:
        return self.get(ACCOUNT_PATH) or {}


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]
