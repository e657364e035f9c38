"""HTTP for Direct's Reports and Clients services: the 201/202 + retryIn flow, the queue limit,
and error messages that say what to change. Transport retries (5xx, resets) are the shared
HttpClient's; nothing here ever prints the token."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from connectors.common.http import HttpClient, RateLimiter, SourceApiError, redact

from .settings import (
    CLIENTS_PATH,
    DEFAULT_RETRY_IN,
    MAX_POLLS,
    MAX_RETRY_IN,
    QUEUE_RETRIES,
    QUEUE_WAIT,
    REPORTS_PATH,
    REQUESTS_PER_SECOND,
    RETRYABLE_ERROR_CODES,
    SKIP_COLUMN_HEADER,
    SKIP_REPORT_HEADER,
    SKIP_REPORT_SUMMARY,
    SOURCE_NAME,
)

logger = logging.getLogger(__name__)
_LOGIN_WORDS = ("client-login", "client login", "clientlogin", "логин клиента")
_CONFIG_HINT = (
    "sources.yandex_direct.client_login (env THROUGHLINE_SOURCES__YANDEX_DIRECT__CLIENT_LOGIN)"
)


class DirectApiError(SourceApiError):
    """Direct refused a request; `error_code` is Direct's own code when it sent one."""

    def __init__(self, message: str, status: int | None = None, error_code: int | None = None):
        super().__init__(message, status)
        self.error_code = error_code


class DirectClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        client_login: str | None = None,
        money_in_micros: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept-Language": "en",
            "Content-Type": "application/json; charset=utf-8",
        }
        if client_login:
            headers["Client-Login"] = client_login
        self.client_login = client_login
        self.money_in_micros = money_in_micros
        self.sleep = sleep
        self.http = HttpClient(
            base_url=base_url,
            source=SOURCE_NAME,
            headers=headers,
            secrets=(token,),
            sleep=sleep,
            rate_limiter=RateLimiter(REQUESTS_PER_SECOND, clock=clock, sleep=sleep),
        )

    # ------------------------------------------------------------- services

    def currency(self) -> str:
        """The account's currency (Clients.get): reports carry no currency column."""
        body = json.dumps({"method": "get", "params": {"FieldNames": ["Currency"]}})
        response = self._send(CLIENTS_PATH, body, {})
        payload = self._json(response)
        if response.status_code != 200 or "error" in payload:
            raise self._error(response, payload, "Clients.get")
        try:
            return str(payload["result"]["Clients"][0]["Currency"]).upper()
        except (KeyError, IndexError, TypeError):
            raise self._error(response, payload, "Clients.get: no Currency in the answer") from None

    def report(self, params: Mapping[str, Any]) -> str:
        """The TSV text of one report. Sends the identical request (same bytes, same ReportName)
        until Direct answers 200, waiting `retryIn` after each 201/202."""
        body = json.dumps({"params": params}, ensure_ascii=False).encode("utf-8")
        headers = {"processingMode": "auto"}
        if not self.money_in_micros:
            headers["returnMoneyInMicros"] = "false"
        for name, skip in (
            ("skipReportHeader", SKIP_REPORT_HEADER),
            ("skipColumnHeader", SKIP_COLUMN_HEADER),
            ("skipReportSummary", SKIP_REPORT_SUMMARY),
        ):
            if skip:
                headers[name] = "true"
        name = params.get("ReportName", "")
        polls = queue_waits = 0
        while True:
            response = self._send(REPORTS_PATH, body, headers)
            status = response.status_code
            if status == 200:
                response.encoding = "utf-8"  # TSV is UTF-8 whatever the Content-Type says
                return response.text
            if status in (201, 202):
                polls += 1
                if polls > MAX_POLLS:
                    raise DirectApiError(
                        f"{SOURCE_NAME}: report '{name}' still not ready after {MAX_POLLS} checks "
                        "(Direct's offline queue is slow; run again later)",
                        status,
                    )
                wait = _retry_in(response, DEFAULT_RETRY_IN)
                logger.info(
                    "%s: report '%s' %s, checking again in %.0f s (reportsInQueue=%s)",
                    SOURCE_NAME,
                    name,
                    "queued" if status == 201 else "being built",
                    wait,
                    response.headers.get("reportsInQueue", "?"),
                )
                self.sleep(wait)
                continue
            payload = self._json(response)
            code = _error_code(payload)
            if status == 400 and code in RETRYABLE_ERROR_CODES and queue_waits < QUEUE_RETRIES:
                queue_waits += 1
                wait = _retry_in(response, QUEUE_WAIT)
                logger.warning(
                    "%s: Direct is busy (error %s, offline report queue full?), retry %d in %.0f s",
                    SOURCE_NAME,
                    code,
                    queue_waits,
                    wait,
                )
                self.sleep(wait)
                continue
            raise self._error(response, payload, f"report '{name}'")

    # ------------------------------------------------------------- plumbing

    def _send(self, path: str, body: bytes | str, headers: Mapping[str, str]) -> requests.Response:
        # The shared client retries 5xx/429, resets, cut bodies and broken gzip with backoff.
        return self.http.request("POST", path, data=body, headers=dict(headers))

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError:
            return {}
        return payload if isinstance(payload, dict) else {}

    def _error(
        self, response: requests.Response, payload: Mapping[str, Any], what: str
    ) -> DirectApiError:
        error = payload.get("error") if isinstance(payload.get("error"), dict) else None
        if error is None:
            base = self.http.fail(response, what)
            return DirectApiError(str(base), response.status_code)
        code = _error_code(payload)
        text = " ".join(str(error.get(k) or "") for k in ("error_string", "error_detail")).strip()
        message = (
            f"{SOURCE_NAME}: {what}: Direct answered HTTP {response.status_code}, error {code}: "
            f"{text} (request_id {error.get('request_id') or response.headers.get('RequestId')})"
        )
        lowered = text.lower()
        if code == 53 or response.status_code == 401:
            message += (
                ". The OAuth token in YANDEX_DIRECT_TOKEN was refused (expired, revoked or for "
                "another app): get a new one, see connectors/yandex_direct/README.md"
            )
        elif not self.client_login and any(word in lowered for word in _LOGIN_WORDS):
            message += (
                ". The token belongs to an agency (or its representative): Direct needs the "
                f"advertiser's login in the Client-Login header; set {_CONFIG_HINT}"
            )
        elif code == 54 and self.client_login:
            message += (
                f". Check that '{self.client_login}' ({_CONFIG_HINT}) is a client of the agency "
                "whose token is used, and that the token has access to it"
            )
        return DirectApiError(
            redact(message, self.http.secrets), response.status_code, error_code=code
        )


def _retry_in(response: requests.Response, default: float) -> float:
    try:
        value = float(response.headers.get("retryIn", ""))
    except ValueError:
        return default
    return min(max(value, 0.0), MAX_RETRY_IN)


def _error_code(payload: Mapping[str, Any]) -> int | None:
    error = payload.get("error")
    if not isinstance(error, dict):
        return None
    try:
        return int(error.get("error_code"))
    except (TypeError, ValueError):
        return None
