"""Bitrix24's documented faults (source-apis.md section 7): retried and loaded, or a clear error
that names no secret and leaves the warehouse as it was."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from bitrix24_helpers import NOW, cause, deal_calls
from sample_bitrix24 import N_DEALS, make_deal, sample_records

from connectors.bitrix24 import Bitrix24Client, from_options, resolve_auth
from connectors.common.config import ConnectorConfigError
from connectors.common.http import SourceApiError

SAMPLE = sample_records()


def client(portal, env=None, options=None) -> Bitrix24Client:
    auth = resolve_auth(options or {}, portal.webhook_env() if env is None else env)
    return Bitrix24Client(auth, sleep=portal.sleep, clock=portal.clock)


def test_throttles_and_broken_answers_are_retried_then_loaded(portal):
    faults = portal.api.faults
    faults.query_limit, faults.server_errors, faults.cut_body = 2, 1, 1
    portal.run()
    assert portal.count("deals") == N_DEALS
    assert portal.api.methods()[:5] == ["crm.deal.list"] * 5  # 503, 503, 500, cut, then 200
    assert portal.waits[:2] == [1.0, 1.0]  # QUERY_LIMIT_EXCEEDED waits 1 s
    assert len([w for w in portal.waits if w >= 1.0]) == 4  # then backoff for the 500 and the cut
    # the leaky bucket drains 2 requests/s: calls are at least 0.5 s apart on the (fake) clock
    gaps = [b - a for a, b in zip(portal.api.call_times, portal.api.call_times[1:], strict=False)]
    assert gaps and min(gaps) >= 0.5 - 1e-9


def test_failures_leave_the_warehouse_as_it_was(portal, client_logs):
    portal.run()
    before = portal.query("select deal_id, _dlt_load_id from raw_bitrix24.deals order by 1")
    later = NOW + dt.timedelta(days=1)
    code, url = portal.api.code, portal.api.webhook_url()

    portal.api.faults.blocked = {"crm.deal.list"}
    portal.api.calls.clear()
    with pytest.raises(Exception) as excinfo:  # noqa: B017 - dlt wraps it, checked below
        portal.run(now=later)
    message = str(cause(excinfo, SourceApiError))
    assert "blocked" in message and "OPERATION_TIME_LIMIT" in message
    assert portal.api.methods() == ["crm.deal.list"]  # a 429 block is not waited out
    portal.api.faults.blocked = set()

    portal.api.faults.revoked = True
    portal.api.calls.clear()
    with pytest.raises(Exception) as excinfo:  # noqa: B017
        portal.run(now=later)
    message = str(cause(excinfo, SourceApiError))
    assert "BITRIX24_WEBHOOK_URL" in message and "refused" in message
    assert "INVALID_CREDENTIALS" in message and len(portal.api.calls) == 1  # no retry loop
    assert code not in str(excinfo.value) and url not in str(excinfo.value)
    portal.api.faults.revoked = False

    portal.api.faults.query_limit = 100
    with pytest.raises(Exception) as excinfo:  # noqa: B017
        portal.run(now=later)
    assert "still failing after 8 attempts (HTTP 503)" in str(cause(excinfo, SourceApiError))
    portal.api.faults.query_limit = 0

    assert portal.query("select deal_id, _dlt_load_id from raw_bitrix24.deals order by 1") == before
    assert code not in client_logs() and url not in client_logs()
    portal.api.calls.clear()
    portal.run(now=later)  # the failed runs did not move the cursor
    since = (NOW - dt.timedelta(minutes=60)).isoformat(timespec="seconds")
    assert deal_calls(portal.api)[0]["filter"][">=DATE_MODIFY"] == since


def test_missing_semantics_odd_values_and_overlapping_pages(make_portal, caplog):
    odd = [
        {**make_deal(121), "STAGE_ID": "C1:UC_CUSTOM", "OPPORTUNITY": "1 234,50"},
        {**make_deal(122), "OPPORTUNITY": "", "CURRENCY_ID": "usd", "NEW_FIELD": "x"},
        {**make_deal(123), "OPPORTUNITY": "--", "CLOSEDATE": "", "DATE_MODIFY": None},
    ]
    portal = make_portal(
        deals=SAMPLE["deals"] + odd, contacts=SAMPLE["contacts"], history=SAMPLE["history"]
    )
    portal.api.faults.omit_semantic = True  # STAGE_SEMANTIC_ID not returned
    portal.api.faults.overlap_pages = True  # offset pages repeat a row
    with caplog.at_level(logging.WARNING):
        portal.run()
    statuses = dict(portal.query("select status, count(*) from raw_bitrix24.deals group by 1"))
    # same split as with STAGE_SEMANTIC_ID (from the WON/LOSE ids), plus the 3 odd deals
    assert statuses == {"open": 72 + 1, "won": 24 + 1, "lost": 24 + 1}
    unknown = portal.query(
        "select deal_id, status, stage from raw_bitrix24.deals where status_source = 'unknown'"
    )
    assert unknown == [(odd[0]["ID"], "open", "UC_CUSTOM")]
    assert "C1:UC_CUSTOM" in caplog.text
    amounts = dict(portal.query("select deal_id, amount from raw_bitrix24.deals"))
    assert [amounts[d["ID"]] for d in odd] == [pytest.approx(1234.5), None, None]
    assert (
        portal.scalar(f"select currency from raw_bitrix24.deals where deal_id = '{odd[1]['ID']}'")
        == "USD"
    )
    assert portal.count("deal_stage_events") == len(SAMPLE["history"])  # no duplicates


def test_paging_guards_stop_a_server_that_repeats_itself(portal):
    portal.api.faults.repeat_next = True
    pages = client(portal).iter_pages("crm.stagehistory.list", {"entityTypeId": 2})
    with pytest.raises(SourceApiError, match="does not move"):
        list(pages)
    portal.api.faults.repeat_next = False
    portal.api.faults.ignore_id_filter = True
    with pytest.raises(SourceApiError, match="ignores the paging filter"):
        list(client(portal).iter_by_id("crm.deal.list", ["ID"], {}))


def test_html_page_with_200_is_a_clear_error(portal):
    portal.api.faults.html_200 = 1
    with pytest.raises(SourceApiError) as excinfo:
        client(portal).call("crm.deal.list", {})
    assert "not a JSON object" in str(excinfo.value)
    assert portal.api.code not in str(excinfo.value)


def test_oauth_wrong_token_is_a_clear_error(portal, client_logs):
    wrong = "not-the-right-token"
    c = client(
        portal, env={"BITRIX24_TOKEN": wrong}, options={"base_url": portal.api.oauth_base_url()}
    )
    with pytest.raises(SourceApiError) as excinfo:
        c.call("crm.deal.list", {})
    assert "BITRIX24_TOKEN" in str(excinfo.value) and "NO_AUTH_FOUND" in str(excinfo.value)
    assert wrong not in str(excinfo.value) and wrong not in client_logs()


@pytest.mark.parametrize(
    ("options", "env", "needle"),
    [
        ({}, {}, "neither BITRIX24_WEBHOOK_URL nor BITRIX24_TOKEN"),
        ({}, {"BITRIX24_TOKEN": "tok-123"}, "base_url"),
        ({}, {"BITRIX24_WEBHOOK_URL": "https://p.bitrix24.ru/rest/s3cret-only"}, "does not look"),
        ({"field_map": {"yclid": "UF_CRM_1"}}, None, "field_map"),
        ({"lag_minutes": -5}, None, "lag_minutes"),
        ({"timezone": "Mars/Olympus"}, None, "timezone"),
        ({"reconcile_deleted": "maybe"}, None, "reconcile_deleted"),
    ],
)
def test_configuration_errors_say_what_to_set(options, env, needle):
    env = {"BITRIX24_WEBHOOK_URL": "https://p.bitrix24.ru/rest/1/abc123/"} if env is None else env
    with pytest.raises(ConnectorConfigError, match=needle) as excinfo:
        from_options(options, env, "salt")
    assert "s3cret-only" not in str(excinfo.value) and "abc123" not in str(excinfo.value)


def test_empty_salt_and_reversed_window_are_refused():
    env = {"BITRIX24_WEBHOOK_URL": "https://p.bitrix24.ru/rest/1/abc123/"}
    with pytest.raises(ConnectorConfigError, match="THROUGHLINE_PII_SALT"):
        from_options({}, env, "")
    with pytest.raises(ConnectorConfigError, match="after end_date"):
        from_options({}, env, "salt", dt.date(2024, 9, 2), dt.date(2024, 9, 1))
