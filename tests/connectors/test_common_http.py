"""The shared HTTP client against a local server: retries, Retry-After, redaction."""

from __future__ import annotations

import pytest
from werkzeug import Response

from connectors.common.http import HttpClient, RateLimiter, SourceApiError, redact

TOKEN = "s3cr3t-token-value"


def client(httpserver, **kwargs) -> tuple[HttpClient, list[float]]:
    waits: list[float] = []
    c = HttpClient(
        base_url=httpserver.url_for("/api/"),
        source="demo_api",
        secrets=(TOKEN,),
        sleep=waits.append,
        **kwargs,
    )
    return c, waits


def test_retries_5xx_then_succeeds_with_backoff(httpserver):
    for status in (503, 502):
        httpserver.expect_ordered_request("/api/x").respond_with_data("busy", status=status)
    httpserver.expect_ordered_request("/api/x").respond_with_json({"ok": 1})
    c, waits = client(httpserver, backoff=0.5)
    assert c.request("GET", "x").json() == {"ok": 1}
    assert waits == [0.5, 1.0]


def test_honours_retry_after_header(httpserver):
    httpserver.expect_ordered_request("/api/x").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "7"})
    )
    httpserver.expect_ordered_request("/api/x").respond_with_json({})
    c, waits = client(httpserver)
    c.request("GET", "x")
    assert waits == [7.0]


def test_custom_retry_rule_for_a_200_error_body(httpserver):
    httpserver.expect_ordered_request("/api/x").respond_with_json({"error": "QUERY_LIMIT"})
    httpserver.expect_ordered_request("/api/x").respond_with_json({"result": [1]})
    c, waits = client(httpserver, retry_after=lambda r: 2.0 if "error" in r.json() else None)
    assert c.request("GET", "x").json() == {"result": [1]}
    assert waits == [2.0]


def test_gives_up_and_never_shows_the_token(httpserver, client_logs):
    httpserver.expect_request("/api/x").respond_with_data(f"bad {TOKEN}", status=500)
    c, waits = client(httpserver, max_attempts=3)
    with pytest.raises(SourceApiError) as err:
        c.request("GET", f"x?clientApiId={TOKEN}")
    assert "after 3 attempts" in str(err.value) and "HTTP 500" in str(err.value)
    assert len(waits) == 2
    assert TOKEN not in str(err.value) and TOKEN not in client_logs()


def test_fail_message_redacts_body_and_query(httpserver):
    httpserver.expect_request("/api/x").respond_with_data(f"no such key {TOKEN}", status=401)
    c, _ = client(httpserver)
    response = c.request("GET", "x", params={"apiKey": TOKEN})
    assert response.status_code == 401
    message = str(c.fail(response, "token refused"))
    assert "HTTP 401" in message and "token refused" in message and TOKEN not in message


def test_rate_limiter_spaces_calls():
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert slept == [0.25] * 4 and now[0] == 1.0


def test_redact_ignores_empty_secrets():
    assert redact("a b", ["", None]) == "a b"
