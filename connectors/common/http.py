"""A small HTTP client shared by the API connectors: base URL, timeouts, retries with backoff,
and error messages that never contain a secret.

Each connector keeps its own protocol quirks (Direct's 201/202, Metrica's 420, Bitrix24's 503 body)
in its own client.py; this module only does what every API needs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

logger = logging.getLogger(__name__)
# urllib3 logs every URL at DEBUG, query string included, and Calltouch and RetailCRM
# carry the token there.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A body cut mid-transfer or a broken gzip stream is as transient as a refused connection.
_TRANSIENT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class SourceApiError(RuntimeError):
    """The API refused or kept failing; the message says which call and why (secrets redacted)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every secret (token, key, webhook code) in text by '***'."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


class RateLimiter:
    """At most `per_second` calls per second, spaced evenly (amoCRM: 7/s, Bitrix24: 2/s)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0

    def wait(self) -> None:
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


@dataclass
class HttpClient:
    """requests.Session with a base URL, retries and redaction.

    `retry_after(response)` may return seconds to wait for a response that is not an error by
    status alone (a 200 with an error body, a 420); `None` means "not retryable".
    """

    base_url: str
    source: str
    headers: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    timeout: float = 60.0
    max_attempts: int = 5
    backoff: float = 1.0
    max_delay: float = 300.0
    retry_statuses: frozenset[int] = RETRY_STATUSES
    retry_after: Callable[[requests.Response], float | None] | None = None
    rate_limiter: RateLimiter | None = None
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def _delay(self, response: requests.Response | None, attempt: int) -> float:
        header = response.headers.get("Retry-After") if response is not None else None
        if header:
            try:
                return min(float(header), self.max_delay)
            except ValueError:
                pass
        return min(self.backoff * 2 ** (attempt - 1), self.max_delay)

    def describe(self, method: str, path: str) -> str:
        # The path only: query strings may carry a token (Calltouch, RetailCRM).
        return redact(f"{self.source}: {method} {path.split('?', 1)[0]}", self.secrets)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send with retries; return the final response (2xx, or a non-retryable status)."""
        kwargs.setdefault("timeout", self.timeout)
        headers = {**self.headers, **kwargs.pop("headers", {})}
        last_error = ""
        for attempt in range(1, self.max_attempts + 1):
            if self.rate_limiter:
                self.rate_limiter.wait()
            try:
                response = self.session.request(method, self.url(path), headers=headers, **kwargs)
            except _TRANSIENT as exc:
                last_error = f"{type(exc).__name__}"
                delay = self._delay(None, attempt)
            else:
                custom = self.retry_after(response) if self.retry_after else None
                if custom is None and response.status_code not in self.retry_statuses:
                    return response
                last_error = f"HTTP {response.status_code}"
                delay = custom if custom is not None else self._delay(response, attempt)
            if attempt < self.max_attempts:
                logger.warning(
                    "%s failed (%s), retry %d in %.1f s",
                    self.describe(method, path),
                    last_error,
                    attempt,
                    delay,
                )
                self.sleep(delay)
        raise SourceApiError(
            f"{self.describe(method, path)} still failing after {self.max_attempts} attempts "
            f"({last_error})"
        )

    def fail(self, response: requests.Response, what: str = "") -> SourceApiError:
        """An error for a response we cannot use: status, and the start of the body, redacted."""
        body = redact(response.text[:300], self.secrets)
        method = response.request.method if response.request is not None else "GET"
        path = response.request.path_url if response.request is not None else ""
        detail = f" ({what})" if what else ""
        return SourceApiError(
            f"{self.describe(method or 'GET', path)} answered HTTP {response.status_code}{detail}: "
            f"{body}",
            status=response.status_code,
        )
