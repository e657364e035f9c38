"""Bitrix24 REST over the shared HttpClient: webhook or OAuth auth, the 503 body, method blocks,
and the two ways to page a list method."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from connectors.common.config import ConnectorConfigError
from connectors.common.http import HttpClient, RateLimiter, SourceApiError, redact

from .settings import (
    AUTH_ERRORS,
    MAX_ATTEMPTS,
    MAX_PAGES,
    METHOD_BLOCKED_ERROR,
    OTHER_429_WAIT_S,
    PAGE_SIZE,
    QUERY_LIMIT_ERROR,
    QUERY_LIMIT_WAIT_S,
    REQUESTS_PER_SECOND,
    SOURCE_NAME,
    TOKEN_ENV,
    WEBHOOK_ENV,
)

logger = logging.getLogger(__name__)
_WEBHOOK = re.compile(r"^https?://[^/\s]+(?:/[^\s]*)?/rest/(\d+)/([^/\s]+)/?$")
_BODY_RETRIES = 3  # a connection cut mid-body (requests raises ChunkedEncodingError)


@dataclass(frozen=True)
class Auth:
    base_url: str  # ends with "/"; for a webhook it is the secret URL itself
    token: str | None  # OAuth only
    secrets: tuple[str, ...]
    kind: str  # "webhook" | "oauth"


def resolve_auth(options: Mapping[str, Any], env: Mapping[str, str]) -> Auth:
    """Webhook URL wins; else OAuth token + base_url. Messages never contain the URL."""
    webhook = (env.get(WEBHOOK_ENV) or "").strip()
    if webhook:
        match = _WEBHOOK.match(webhook)
        if not match:
            raise ConnectorConfigError(
                f"{WEBHOOK_ENV} does not look like an incoming webhook URL "
                "(https://<portal>/rest/<user>/<code>/); copy it from Bitrix24 > Developer "
                f"resources > Incoming webhook (see connectors/{SOURCE_NAME}/README.md)"
            )
        base = webhook.rstrip("/") + "/"
        code = match.group(2)
        return Auth(base, None, (base, webhook, code, f"{match.group(1)}/{code}"), "webhook")
    token = (env.get(TOKEN_ENV) or "").strip()
    base_url = str(options.get("base_url") or "").strip()
    if token and base_url:
        return Auth(base_url.rstrip("/") + "/", token, (token,), "oauth")
    if token:
        raise ConnectorConfigError(
            f"{TOKEN_ENV} is set but sources.{SOURCE_NAME}.base_url is not (the portal's REST "
            f"endpoint, https://<portal>/rest/; or THROUGHLINE_BITRIX24_BASE_URL)"
        )
    raise ConnectorConfigError(
        f"neither {WEBHOOK_ENV} nor {TOKEN_ENV} is set (needed by source {SOURCE_NAME}): set "
        f"{WEBHOOK_ENV} to an incoming webhook URL, or {TOKEN_ENV} and "
        f"sources.{SOURCE_NAME}.base_url (see connectors/{SOURCE_NAME}/README.md)"
    )


def _error_code(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error") or "") if isinstance(body, dict) else ""


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait for the two throttles that the status alone does not describe."""
    header = response.headers.get("Retry-After")
    wait = float(header) if header and header.replace(".", "", 1).isdigit() else None
    code = _error_code(response)
    if response.status_code == 503 and code == QUERY_LIMIT_ERROR:
        return wait if wait is not None else QUERY_LIMIT_WAIT_S
    if response.status_code == 429 and code != METHOD_BLOCKED_ERROR:
        return wait if wait is not None else OTHER_429_WAIT_S
    return None  # 429 OPERATION_TIME_LIMIT: blocked for minutes, fail instead of waiting


class Bitrix24Client:
    def __init__(
        self,
        auth: Auth,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
    ):
        self.auth = auth
        self._sleep = sleep
        self.http = HttpClient(
            base_url=auth.base_url,
            source=SOURCE_NAME,
            secrets=auth.secrets,
            max_attempts=MAX_ATTEMPTS,
            retry_statuses=frozenset({500, 502, 503, 504}),  # 429 decided by _retry_after
            retry_after=_retry_after,
            rate_limiter=RateLimiter(REQUESTS_PER_SECOND, clock=clock, sleep=sleep),
            sleep=sleep,
            session=session or requests.Session(),
        )

    def call(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """POST one method; the parsed body, or a SourceApiError saying what to do."""
        body = dict(params)
        if self.auth.token:
            body["auth"] = self.auth.token  # in the body: query strings end up in logs
        for attempt in range(1, _BODY_RETRIES + 1):
            try:
                response = self.http.request("POST", method, json=body)
                break
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ):
                if attempt == _BODY_RETRIES:
                    raise SourceApiError(
                        f"{SOURCE_NAME}: {method} kept breaking off mid-answer "
                        f"({_BODY_RETRIES} tries)"
                    ) from None
                logger.warning("%s: %s answer cut off, retry %d", SOURCE_NAME, method, attempt)
                self._sleep(float(attempt))
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise self.http.fail(response, "the answer is not a JSON object: an HTML error page?")
        code = str(payload.get("error") or "")
        if response.status_code >= 400 or code:
            raise self._error(method, response, code, str(payload.get("error_description") or ""))
        return payload

    def _error(
        self, method: str, response: requests.Response, code: str, description: str
    ) -> SourceApiError:
        detail = redact(f"{code}: {description}"[:200], self.auth.secrets)
        status = response.status_code
        if code in AUTH_ERRORS or (status in (401, 403) and not code):
            if self.auth.kind == "webhook":
                todo = (
                    f"the incoming webhook in {WEBHOOK_ENV} was refused: it was deleted or its "
                    "user lost CRM access. Create a webhook with the crm scope and set "
                    f"{WEBHOOK_ENV} again"
                )
            else:
                todo = f"the OAuth token in {TOKEN_ENV} was refused: issue a new access token"
            return SourceApiError(f"{SOURCE_NAME}: {method}: {todo} ({detail})", status)
        if code == METHOD_BLOCKED_ERROR:
            return SourceApiError(
                f"{SOURCE_NAME}: {method} is blocked by Bitrix24 for using more than 480 s of "
                "server time in 10 minutes; it unblocks by itself within minutes: run the load "
                f"again later, or narrow the window ({detail})",
                status,
            )
        return SourceApiError(f"{SOURCE_NAME}: {method} answered HTTP {status} ({detail})", status)

    def iter_by_id(
        self, method: str, select: list[str], filters: Mapping[str, Any]
    ) -> Iterator[list[dict[str, Any]]]:
        """Bulk paging ("Retrieve large volumes of data"): start=-1 skips the COUNT, order by ID
        and ask for ID > the last one seen, until a page is short. Stable while rows change."""
        last_id = 0
        for _ in range(MAX_PAGES):
            payload = self.call(
                method,
                {
                    "select": select,
                    "filter": {**filters, ">ID": last_id},
                    "order": {"ID": "ASC"},
                    "start": -1,
                },
            )
            rows = _rows(payload, method)
            if rows:
                ids = [int(row["ID"]) for row in rows]
                if min(ids) <= last_id:
                    raise SourceApiError(
                        f"{SOURCE_NAME}: {method} returned ID {min(ids)} for filter >ID "
                        f"{last_id}: the server ignores the paging filter, stopping"
                    )
                last_id = max(ids)
                yield rows
            if len(rows) < PAGE_SIZE:
                return
        raise SourceApiError(f"{SOURCE_NAME}: {method}: more than {MAX_PAGES} pages, stopping")

    def iter_pages(self, method: str, params: Mapping[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Classic paging: start = 0, 50, ... as long as the answer has `next`."""
        start = 0
        for _ in range(MAX_PAGES):
            payload = self.call(method, {**params, "start": start})
            rows = _rows(payload, method)
            if rows:
                yield rows
            nxt = payload.get("next")
            if nxt is None or nxt == "" or not rows:
                return
            if int(nxt) <= start:
                raise SourceApiError(
                    f"{SOURCE_NAME}: {method} answered next={nxt} after start={start}: "
                    "the cursor does not move, stopping"
                )
            start = int(nxt)
        raise SourceApiError(f"{SOURCE_NAME}: {method}: more than {MAX_PAGES} pages, stopping")


def _rows(payload: Mapping[str, Any], method: str) -> list[dict[str, Any]]:
    """`result` is a list, or {"items": [...]} (crm.stagehistory.list and crm.item.*)."""
    result = payload.get("result")
    if isinstance(result, dict):
        result = result.get("items", [])
    if result is None:
        return []
    if not isinstance(result, list):
        raise SourceApiError(f"{SOURCE_NAME}: {method}: unexpected result {type(result).__name__}")
    return [row for row in result if isinstance(row, dict)]
