"""The calls journal's paging and faults at the HTTP layer (no dlt: fast)."""

from __future__ import annotations

import datetime as dt

import pytest
from fake_api_calltouch import call

from connectors.common.http import SourceApiError

MAR1, MAR4 = dt.date(2026, 3, 1), dt.date(2026, 3, 4)
SAMPLE_IDS = sorted(str(i) for i in range(101, 110))


def got(records) -> list[str]:
    return sorted(str(r["callId"]) for r in records)


def pages(api) -> list[tuple[str | None, str | None, str | None]]:
    return [(r.get("dateFrom"), r.get("dateTo"), r.get("page")) for r in api.requests]


def test_walks_every_page_of_a_multi_day_window(api, client):
    records = client().calls(MAR1, MAR4)
    assert got(records) == SAMPLE_IDS and len(records) == 9
    assert pages(api) == [("01/03/2026", "04/03/2026", str(n)) for n in range(1, 6)]
    assert {r["limit"] for r in api.requests} == {"2"}


@pytest.mark.parametrize("shape", ["first_day", "window"])
def test_a_bare_array_answer_falls_back_to_one_day_requests(api, client, shape):
    api.bare_array = shape  # the one-day mode's shape where the paged one was asked for
    records = client().calls(MAR1, MAR4)
    assert got(records) == SAMPLE_IDS and len(records) == 9
    days = ("01/03/2026", "02/03/2026", "03/03/2026", "04/03/2026")
    assert pages(api)[1:] == [(d, d, None) for d in days]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a new call on top pushes every later call one place down: the first walk misses it
        # and reads another call twice
        ({"arrivals": [call(150, "04/03/2026 23:30:00")]}, SAMPLE_IDS + ["150"]),
        # a deleted call pulls the later ones up: the first walk skips 107 (108 was read
        # before it went, and stays: a merge never deletes)
        ({"departures": [108]}, SAMPLE_IDS),
    ],
)
def test_records_total_shifting_between_pages_loses_nothing(api, client, change, expected):
    # [v] the journal's sort order is undocumented; the fake serves newest first.
    for name, value in change.items():
        setattr(api, name, value)
    records = client().calls(MAR1, MAR4)
    assert got(records) == sorted(expected) and len(records) == len(expected)
    assert [p[2] for p in pages(api)].count("1") == 2  # walked again, then it held still


def test_a_result_set_that_never_settles_keeps_what_it_saw(api, client, caplog):
    api.arrivals = [call(150, "04/03/2026 23:30:00")]
    ct = client(max_passes=1)
    assert len(ct.calls(MAR1, MAR4)) == 9  # 150 arrived after page 1; the next run gets it
    assert "kept changing over 1 passes" in caplog.text


def test_retries_5xx_and_429_with_retry_after(api, client, waits):
    api.statuses = [(503, None), (429, "7"), (500, None)]
    assert got(client().calls(MAR1, MAR4)) == SAMPLE_IDS
    assert waits == [1.0, 7.0, 4.0]


@pytest.mark.parametrize("fault", ["html_200", "truncated", "bad_gzip"])
def test_broken_bodies_are_retried(api, client, waits, fault):
    setattr(api, fault, 2)  # twice, then a good answer on the third and last attempt
    assert got(client().calls(MAR1, MAR4)) == SAMPLE_IDS
    assert waits == [1.0, 2.0]


def test_an_html_page_that_stays_is_a_clear_error(api, client):
    api.html_200 = 99
    with pytest.raises(SourceApiError) as err:
        client().calls(MAR1, MAR4)
    assert "answer is not JSON" in str(err.value) and "502 Bad Gateway" in str(err.value)
    assert len(api.requests) == 3


@pytest.mark.parametrize("empty", ["{}", "204", "", "[]"])
def test_empty_answers_are_no_calls(api, client, empty):
    api.empty = empty
    assert client().calls(MAR1, MAR4) == []


def test_a_page_cursor_that_never_moves_stops(api, client):
    # [v] relies on the documented `page` field echoing the page served.
    api.ignore_page = True
    with pytest.raises(SourceApiError, match="asked for page 2, got page 1"):
        client().calls(MAR1, MAR4)
    assert len(api.requests) == 2


def test_page_count_guard(api, client):
    with pytest.raises(SourceApiError, match="more than 3 pages"):
        client(max_pages=3).calls(MAR1, MAR4)


def test_wrong_token_fails_at_once_without_showing_it(api, client, client_logs):
    # [v] the status and body for a bad token are undocumented; the fake answers 401 and echoes
    # the token it refused, the worst case for redaction.
    wrong = "wrong-token-0123456789"
    with pytest.raises(SourceApiError) as err:
        client(token=wrong).calls(MAR1, MAR4)
    message = str(err.value)
    assert (
        "HTTP 401" in message and "CALLTOUCH_TOKEN" in message and "Invalid clientApiId" in message
    )
    assert wrong not in message and wrong not in client_logs()
    assert len(api.requests) == 1  # refused once: no retry loop


def test_a_wrong_site_is_refused(api, client):
    # [v] the answer for an unknown site id is undocumented (the fake: 400 with an error body).
    api.site_id = "99999"
    with pytest.raises(SourceApiError, match="HTTP 400.*site not found"):
        client().calls(MAR1, MAR4)


def test_connection_errors_never_show_the_url(waits):
    from connectors.calltouch.client import CalltouchClient
    from connectors.common.http import HttpClient

    http = HttpClient(
        base_url="http://127.0.0.1:9",
        source="calltouch",
        secrets=("tok-123456",),
        sleep=waits.append,
        max_attempts=2,
    )
    with pytest.raises(SourceApiError) as err:
        CalltouchClient(http, "1", "tok-123456").calls(MAR1, MAR1)
    assert "ConnectionError" in str(err.value) and "tok-123456" not in str(err.value)
    assert "clientApiId" not in str(err.value)


def test_records_that_are_not_call_objects_are_an_error(client):
    ct = client()
    ct._records([{"callId": 1}])  # objects pass
    with pytest.raises(SourceApiError, match="not a list of call objects"):
        ct._records(["101"])
    with pytest.raises(SourceApiError, match="not a list of call objects"):
        ct._records({"callId": 1})
