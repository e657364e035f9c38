"""The Logs API protocol: evaluate -> create -> poll -> download parts -> clean.

Quirks handled here: the over-quota status is 420 on one doc page and 429 on the other (both
retried with backoff); a request is only downloadable once `processed`; parts may come back
cut or as a bad gzip (retried); every request we create is cleaned (or cancelled) afterwards.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import requests

from connectors.common.http import RETRY_STATUSES, HttpClient, SourceApiError

from .settings import (
    COUNTER_PATH,
    FAILED_STATUSES,
    GONE_STATUSES,
    LOG_SOURCE,
    PART_DOWNLOAD_ATTEMPTS,
    PENDING_STATUSES,
    QUOTA_STATUSES,
    READY_STATUS,
    SOURCE_NAME,
    TOKEN_ENV,
)
from .tsv import TsvError, read_part
from .windows import Window

logger = logging.getLogger(__name__)

_STATUS_HINTS = {
    "processing_failed": "Metrica could not prepare the log; run again later",
    "canceled": "it was cancelled (by another client or in the Metrica interface)",
    "cleaned_by_user": "it was cleaned before we downloaded it (by another client?)",
    "cleaned_automatically_as_too_old": "Metrica deleted it as too old before we downloaded it",
}


class MetricaLogsClient:
    def __init__(
        self,
        base_url: str,
        counter_id: str,
        token: str,
        *,
        poll_interval_s: float,
        max_wait_s: float,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.counter_id = counter_id
        self.poll_interval_s, self.max_wait_s = poll_interval_s, max_wait_s
        self.sleep, self.clock = sleep, clock
        self.statuses: dict[int, str] = {}  # last status seen per request, for release()
        self.http = HttpClient(
            base_url=base_url.rstrip("/") + "/" + COUNTER_PATH.format(counter_id=counter_id),
            source=SOURCE_NAME,
            headers={"Authorization": f"OAuth {token}"},
            secrets=(token,),
            retry_statuses=RETRY_STATUSES | QUOTA_STATUSES,
            sleep=sleep,
        )

    # ------------------------------------------------------------------ plain calls

    def _json(self, method: str, path: str, what: str, **kwargs: Any) -> dict[str, Any]:
        response = self.http.request(method, path, **kwargs)
        if not response.ok:
            raise self._error(response, what)
        try:
            data = response.json()
        except ValueError:
            raise self.http.fail(response, f"{what}: the answer is not JSON") from None
        if not isinstance(data, dict):
            raise self.http.fail(response, f"{what}: unexpected answer")
        return data

    def _error(self, response: requests.Response, what: str) -> SourceApiError:
        if response.status_code in (401, 403):
            what += (
                f"; check {TOKEN_ENV} (an OAuth token with metrika:read) and that its user can "
                f"read counter {self.counter_id}"
            )
        return self.http.fail(response, what)

    @staticmethod
    def _params(window: Window, fields: Iterable[str]) -> dict[str, str]:
        return {
            "date1": window[0].isoformat(),
            "date2": window[1].isoformat(),
            "fields": ",".join(fields),
            "source": LOG_SOURCE,
        }

    def evaluate(self, window: Window, fields: Iterable[str]) -> tuple[bool, int | None]:
        data = self._json(
            "GET", "logrequests/evaluate", "evaluate", params=self._params(window, fields)
        )
        evaluation = data.get("log_request_evaluation") or {}
        return bool(evaluation.get("possible")), evaluation.get("max_possible_day_quantity")

    def create(self, window: Window, fields: Iterable[str]) -> dict[str, Any]:
        data = self._json("POST", "logrequests", "create", params=self._params(window, fields))
        request = data.get("log_request") or {}
        if "request_id" not in request:
            raise SourceApiError(f"{SOURCE_NAME}: create answered without a request_id")
        self.statuses[int(request["request_id"])] = str(request.get("status") or "created")
        return request

    def info(self, request_id: int) -> dict[str, Any]:
        request = self._json("GET", f"logrequest/{request_id}", "status").get("log_request") or {}
        self.statuses[request_id] = str(request.get("status"))
        return request

    def list_requests(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "logrequests", "list").get("requests") or [])

    def clean(self, request_id: int) -> None:
        self._json("POST", f"logrequest/{request_id}/clean", "clean")

    def cancel(self, request_id: int) -> None:
        self._json("POST", f"logrequest/{request_id}/cancel", "cancel")

    # ------------------------------------------------------------------ the flow

    def wait(self, request_id: int, window: Window) -> dict[str, Any]:
        """Poll until processed; a failed status or max_wait_s without result is an error."""
        deadline = self.clock() + self.max_wait_s
        while True:
            request = self.info(request_id)
            status = str(request.get("status"))
            if status == READY_STATUS:
                return request
            if status in FAILED_STATUSES:
                raise SourceApiError(
                    f"{SOURCE_NAME}: log request {request_id} for {window[0]}..{window[1]} "
                    f"ended as '{status}': {_STATUS_HINTS[status]}"
                )
            if status not in PENDING_STATUSES:
                logger.warning(
                    "%s: log request %s has unknown status %r, still waiting",
                    SOURCE_NAME,
                    request_id,
                    status,
                )
            if self.clock() >= deadline:
                raise SourceApiError(
                    f"{SOURCE_NAME}: log request {request_id} for {window[0]}..{window[1]} not "
                    f"processed after {self.max_wait_s:.0f} s (status '{status}'); Metrica's "
                    "queue is busy: run again later or raise sources.yandex_metrica.max_wait_s"
                )
            self.sleep(self.poll_interval_s)

    def part(self, request_id: int, number: int) -> tuple[list[str], Iterator[Any]]:
        """One part as (header, rows); a cut body, bad gzip or non-TSV answer is fetched again."""
        path = f"logrequest/{request_id}/part/{number}/download"
        problem = ""
        for attempt in range(1, PART_DOWNLOAD_ATTEMPTS + 1):
            try:
                response = self.http.request("GET", path)
                if not response.ok:
                    raise self._error(response, f"part {number}")
                return read_part(response.content)
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
                TsvError,
            ) as exc:
                problem = f"{type(exc).__name__}: {exc}"[:200]
            if attempt < PART_DOWNLOAD_ATTEMPTS:
                logger.warning(
                    "%s: part %d of log request %s unreadable (%s), retry %d",
                    SOURCE_NAME,
                    number,
                    request_id,
                    problem,
                    attempt,
                )
                self.sleep(min(2.0**attempt, 60.0))
        raise SourceApiError(
            f"{SOURCE_NAME}: part {number} of log request {request_id} still unreadable after "
            f"{PART_DOWNLOAD_ATTEMPTS} attempts ({problem})"
        )

    def release(self, request_id: int) -> bool:
        """Free the request's space in the 10 GB quota; never raises (we may be failing already).

        A processed (or unknown) request is cleaned, a pending one cancelled; a request that
        already failed, was cancelled or was cleaned has nothing left to free."""
        status = self.statuses.get(request_id)
        if status in GONE_STATUSES:
            return True
        action = self.cancel if status in PENDING_STATUSES else self.clean
        try:
            action(request_id)
            logger.info("%s: log request %s %s", SOURCE_NAME, request_id, action.__name__ + "ed")
            return True
        except (SourceApiError, requests.RequestException) as exc:
            logger.warning(
                "%s: could not %s log request %s (%s); it holds quota until cleaned",
                SOURCE_NAME,
                action.__name__,
                request_id,
                exc,
            )
            return False

    def clean_stale(self, fields: Iterable[str]) -> list[int]:
        """Clean processed requests of ours (same source and fields) left by a run that died
        before its own clean: they count against the counter's 10 GB."""
        wanted = set(fields)
        cleaned: list[int] = []
        for request in self.list_requests():
            source = request.get("source")
            sources = source if isinstance(source, list) else [source]
            fields_of = request.get("fields") or []
            if isinstance(fields_of, str):
                fields_of = fields_of.split(",")
            if (
                request.get("status") == READY_STATUS
                and LOG_SOURCE in sources
                and {f.strip() for f in fields_of} == wanted
            ):
                request_id = int(request["request_id"])
                self.statuses[request_id] = READY_STATUS
                if self.release(request_id):
                    cleaned.append(request_id)
        if cleaned:
            logger.info(
                "%s: cleaned %d stale log request(s): %s",
                SOURCE_NAME,
                len(cleaned),
                ", ".join(map(str, cleaned)),
            )
        return cleaned
