"""HTTP for VK Ads: bearer token with one renewal on 401, VK's rate-limit headers, error
bodies, the campaign list (paged by count) and daily statistics (ids and dates chunked)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import requests

from connectors.common.http import HttpClient, RateLimiter, SourceApiError, redact
from connectors.common.windows import day_chunks

from .auth import TokenFile, TokenManager
from .helpers import chunked, to_count, to_money
from .settings import (
    AD_PLAN_FIELDS,
    AD_PLAN_STATS_PATH,
    AD_PLAN_STATUSES,
    AD_PLANS_PATH,
    IDS_PER_REQUEST,
    MAX_PAGES,
    MAX_RANGE_DAYS,
    PAGE_LIMIT,
    RATE_LIMIT_HEADERS,
    RPS_PAUSE_S,
    RPS_REMAINING_HEADER,
    SOURCE_NAME,
)

logger = logging.getLogger(__name__)


class VkAdsApiError(SourceApiError):
    """An error answer of the API; `code` is VK's (ERR_WRONG_DATE, ERR_LIMIT_EXCEEDED, ...)."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None):
        super().__init__(message, status=status)
        self.code = code


class HeaderThrottle(RateLimiter):
    """No fixed pace: before a call, wait for the next second when the previous answer said
    no calls are left in this one (X-RateLimit-RPS-Remaining: 0)."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]):
        super().__init__(0, clock=clock, sleep=sleep)

    def wait(self) -> None:
        delay = min(self._next - self._clock(), RPS_PAUSE_S)  # never longer, whatever the clock
        if delay > 0:
            self._sleep(delay)
        self._next = 0.0

    def observe(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        for header in RATE_LIMIT_HEADERS:
            if (response.headers.get(header) or "").strip() != "0":
                continue
            if header == RPS_REMAINING_HEADER:
                self._next = self._clock() + RPS_PAUSE_S
            else:  # an hourly or daily quota is used up: the next calls will get 429s
                logger.warning("%s: %s is 0", SOURCE_NAME, header)


class VkAdsClient:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        token_cache_dir: str | Path | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        max_attempts: int = 5,
        timeout: float = 60.0,
    ):
        self.throttle = HeaderThrottle(monotonic, sleep)
        session = requests.Session()
        session.hooks["response"].append(self.throttle.observe)
        self.http = HttpClient(
            base_url=base_url,
            source=SOURCE_NAME,
            rate_limiter=self.throttle,
            sleep=sleep,
            session=session,
            max_attempts=max_attempts,
            timeout=timeout,
        )
        cache = TokenFile(token_cache_dir, base_url, client_id) if token_cache_dir else None
        self.auth = TokenManager(self.http, client_id, client_secret, cache, clock)

    # -- one call ---------------------------------------------------------------------------

    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """GET with the current token; on 401 renew the token once and repeat, then give up."""
        response = self._send(path, params, self.auth.current())
        if response.status_code == 401:
            logger.info("%s: HTTP 401, renewing the token", self.http.describe("GET", path))
            response = self._send(path, params, self.auth.renew().access_token)
            if response.status_code == 401:
                raise self._error(response, "the token was refused again right after renewing it")
        if response.status_code >= 400:
            raise self._error(response)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise SourceApiError(
                f"{self.http.describe('GET', path)} answered HTTP {response.status_code} with a "
                "body that is not a JSON object (an HTML page from a proxy?): "
                f"{redact(response.text[:120], self.http.secrets)!r}",
                status=response.status_code,
            )
        return body

    def _send(self, path: str, params: dict[str, Any], token: str) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        try:
            return self.http.request("GET", path, params=params, headers=headers)
        except requests.RequestException as exc:  # what the shared client does not retry
            raise SourceApiError(
                f"{self.http.describe('GET', path)} failed: {type(exc).__name__}"
            ) from None

    def _error(self, response: requests.Response, what: str = "") -> VkAdsApiError:
        code = None
        try:
            error = response.json().get("error")
            code = error.get("code") if isinstance(error, dict) else error
        except (ValueError, AttributeError):
            pass
        base = self.http.fail(response, what)
        return VkAdsApiError(str(base), status=response.status_code, code=code)

    # -- campaigns --------------------------------------------------------------------------

    def ad_plans(self) -> Iterator[list[dict[str, Any]]]:
        """Every campaign (deleted ones too), one page (<= 50) at a time."""
        offset, seen = 0, set()
        for _ in range(MAX_PAGES):
            params = {
                "fields": AD_PLAN_FIELDS,
                "limit": PAGE_LIMIT,
                "offset": offset,
                "_status__in": AD_PLAN_STATUSES,
            }
            body = self.get(AD_PLANS_PATH, params)
            items = body.get("items") or []
            page = []
            for item in items:
                if item.get("id") in seen:
                    continue  # the list shifted under us: already have it
                seen.add(item.get("id"))
                page.append(_ad_plan(item))
            if items and not page:
                raise SourceApiError(
                    f"{SOURCE_NAME}: ad_plans.json returned the same page again at offset "
                    f"{offset}; stopping instead of looping"
                )
            if page:
                yield page
            offset += len(items)
            if not items or offset >= int(body.get("count") or 0):
                return
        raise SourceApiError(f"{SOURCE_NAME}: ad_plans.json has more than {MAX_PAGES} pages")

    # -- statistics -------------------------------------------------------------------------

    def day_stats(
        self, ids: Sequence[int], start: dt.date, end: dt.date
    ) -> Iterator[list[dict[str, Any]]]:
        """Rows (date, ad_plan_id, shows, clicks, spent), per call of <= 50 ids x <= 90 days.

        ERR_WRONG_DATE (a range the API will not take) halves the range length for the rest
        of the run; at one day it is an error naming the days.
        """
        max_days = MAX_RANGE_DAYS
        for id_chunk in chunked(sorted(ids), IDS_PER_REQUEST):
            pending = day_chunks(start, end, max_days)
            while pending:
                first, last = pending.pop(0)
                params = {
                    "id": ",".join(str(i) for i in id_chunk),
                    "date_from": first.isoformat(),
                    "date_to": last.isoformat(),
                    "metrics": "base",
                }
                try:
                    body = self.get(AD_PLAN_STATS_PATH, params)
                except VkAdsApiError as exc:
                    days = (last - first).days + 1
                    if exc.code != "ERR_WRONG_DATE" or days == 1:
                        raise VkAdsApiError(
                            f"{exc} (dates {first}..{last}; VK Ads takes dates in Moscow time "
                            "and only as far back as it keeps statistics: check start_date)",
                            status=exc.status,
                            code=exc.code,
                        ) from None
                    max_days = max(1, days // 2)
                    logger.warning(
                        "%s: ERR_WRONG_DATE for %s..%s, retrying in ranges of %d days",
                        SOURCE_NAME, first, last, max_days,
                    )  # fmt: skip
                    pending[:0] = day_chunks(first, last, max_days)
                    continue
                yield parse_stats(body)


def _ad_plan(item: dict[str, Any]) -> dict[str, Any]:
    try:
        plan_id = int(item["id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceApiError(f"{SOURCE_NAME}: a campaign without a numeric id: {item!r}") from exc
    return {"id": plan_id, "name": item.get("name"), "status": item.get("status")}


def parse_stats(body: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in body.get("items") or []:
        for row in item.get("rows") or []:
            base = row.get("base") or {}
            try:
                rows.append(
                    {
                        "date": dt.date.fromisoformat(str(row["date"])[:10]),
                        "ad_plan_id": int(item["id"]),
                        "shows": to_count(base.get("shows")),
                        "clicks": to_count(base.get("clicks")),
                        "spent": to_money(base.get("spent")),
                    }
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise SourceApiError(
                    f"{SOURCE_NAME}: unreadable statistics row for campaign {item.get('id')!r}: "
                    f"{row!r} ({exc})"
                ) from exc
    return rows
