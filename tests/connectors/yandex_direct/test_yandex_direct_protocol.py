"""The Direct source's protocol against the fake API, iterated without a pipeline (fast): report
requests, the offline 201/202 flow, the queue limit, transport faults, error messages, options."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fake_api_yandex_direct import TOKEN
from yandex_direct_harness import ENV, TODAY, expected

import connectors.yandex_direct.client as client_module
from connectors.common.config import ConnectorConfigError
from connectors.common.http import SourceApiError
from connectors.yandex_direct import DirectApiError, from_options

# ------------------------------------------------------------------ requests


def test_long_windows_are_cut_into_reports_of_at_most_chunk_days(run):
    assert run.extract(chunk_days=4) == expected(run.api.records)
    assert run.report_windows() == [
        ("2026-01-01", "2026-01-04"),
        ("2026-01-05", "2026-01-08"),
        ("2026-01-09", "2026-01-10"),
    ]
    names = [p["ReportName"] for p in run.report_params()]
    assert len(set(names)) == 3


def test_ad_group_level_money_as_decimals_and_without_vat(run):
    got = run.extract(level="ad_group", money_in_micros=False, include_vat=False)
    assert got == expected(run.api.records, "ad_group", vat=False)
    params = run.report_params()[0]
    assert params["ReportType"] == "CUSTOM_REPORT" and params["IncludeVAT"] == "NO"
    assert {"AdGroupId", "AdGroupName"} <= set(params["FieldNames"])
    headers = {k.lower(): v for k, v in run.api.report_calls()[0]["headers"].items()}
    assert headers["returnmoneyinmicros"] == "false"
    assert {r["cost_includes_vat"] for r in run.extracted} == {False}
    assert all(isinstance(r["cost"], Decimal) for r in run.extracted)


def test_configured_currency_skips_clients_get(run):
    run.extract(currency="kzt")
    assert {r["currency"] for r in run.extracted} == {"KZT"}
    assert all(c["path"].endswith("/reports") for c in run.api.calls)


def test_empty_window_yields_nothing_and_is_not_an_error(run):
    run.api.records = []
    assert run.extract() == {}


def test_nothing_to_do_when_the_window_is_in_the_future(run):
    # an explicit window is clamped to today; wholly in the future there is nothing to ask
    assert run.extract(window=(dt.date(2026, 2, 1), dt.date(2026, 2, 2))) == {}
    assert run.api.calls == []


# ------------------------------------------------------------------ offline reports, busy API


def test_offline_report_resends_the_identical_request_after_retry_in(run):
    run.api.offline_polls = 3  # 201, 202, 202, then 200
    assert run.extract() == expected(run.api.records)
    calls = run.api.report_calls()
    assert len(calls) == 4
    assert len({c["body"] for c in calls}) == 1  # same bytes, same ReportName
    assert run.waits.count(3.0) == 3  # retryIn honoured


def test_offline_report_without_retry_in_waits_the_default(run):
    run.api.offline_polls, run.api.retry_in = 1, None
    assert run.extract() == expected(run.api.records)
    assert 10.0 in run.waits


def test_a_report_that_never_gets_ready_fails_after_bounded_checks(run, monkeypatch):
    monkeypatch.setattr(client_module, "MAX_POLLS", 5)
    run.api.offline_polls = 1000
    with pytest.raises(DirectApiError, match="not ready after 5 checks"):
        run.extract()
    assert len(run.api.report_calls()) == 6


def test_queue_limit_waits_and_retries(run):
    run.api.queue_full = 2  # [v] error code 9000
    assert run.extract() == expected(run.api.records)
    assert run.waits.count(3.0) == 2


def test_queue_limit_that_never_clears_is_a_clear_error(run):
    run.api.queue_full = 1000
    with pytest.raises(DirectApiError, match="9000") as failure:
        run.extract()
    assert failure.value.error_code == 9000
    assert len(run.api.report_calls()) == 11  # first try + QUEUE_RETRIES


@pytest.mark.parametrize("statuses", [[500], [502, 500], [503]])
def test_server_errors_are_retried(run, statuses):
    run.api.server_errors = list(statuses)
    assert run.extract() == expected(run.api.records)


def test_server_errors_that_persist_fail(run):
    run.api.server_errors = [500] * 10
    with pytest.raises(SourceApiError, match="after 5 attempts .HTTP 500"):
        run.extract()


def test_bad_gzip_is_retried(run):
    run.api.bad_gzip = 1
    assert run.extract() == expected(run.api.records)


def test_title_column_and_summary_lines_and_bom_whatever_we_asked(run):
    run.api.ignore_skip_headers, run.api.bom = True, True  # [v] title/summary text
    assert run.extract(level="ad_group") == expected(run.api.records, "ad_group")


@pytest.mark.parametrize(
    "fault,value,message",
    [
        ("html_200", 1, "HTML"),
        ("cut_last_row", True, "cut off"),
        ("money_ignores_header", True, "micros"),
    ],
)
def test_a_body_that_is_not_the_report_is_an_error(run, fault, value, message):
    setattr(run.api, fault, value)
    with pytest.raises(DirectApiError, match=message):
        run.extract()


# ------------------------------------------------------------------ errors that need a person


def test_wrong_token_is_a_clear_error_without_the_token(run, client_logs):
    run.api.token = "another-token"
    with pytest.raises(DirectApiError) as failure:
        run.extract()
    message = str(failure.value)
    assert "YANDEX_DIRECT_TOKEN" in message and "error 53" in message
    assert TOKEN not in message and TOKEN not in client_logs()
    assert len(run.api.calls) == 1  # no retry loop on a refused token


def test_agency_token_without_client_login_says_what_to_set(run):
    run.api.agency_clients = ("shop-1",)  # [v] error code and wording
    with pytest.raises(DirectApiError, match="sources.yandex_direct.client_login"):
        run.extract()  # Clients.get answers first
    del run.api.calls[:]
    with pytest.raises(DirectApiError, match="Client-Login") as failure:
        run.extract(currency="RUB")  # no Clients.get: the report answers
    assert "sources.yandex_direct.client_login" in str(failure.value)
    assert failure.value.status == 400 and run.api.report_calls()


def test_agency_with_client_login_lands_the_login_as_account(run):
    run.api.agency_clients = ("shop-1",)
    assert run.extract(client_login="shop-1") == expected(run.api.records)
    assert {r["account_id"] for r in run.extracted} == {"shop-1"}
    assert all(c["headers"].get("Client-Login") == "shop-1" for c in run.api.calls)


def test_agency_with_a_login_that_is_not_its_client(run):
    run.api.agency_clients = ("shop-1",)
    with pytest.raises(DirectApiError, match="is a client of the agency"):
        run.extract(client_login="shop-2", currency="RUB")


def test_unknown_field_is_a_clear_error(run):
    run.api.rejected_fields = {"CampaignType"}  # [v] error code
    with pytest.raises(DirectApiError, match="CampaignType"):
        run.extract()


# ------------------------------------------------------------------ configuration


def test_missing_token_names_the_variable():
    with pytest.raises(ConnectorConfigError, match="YANDEX_DIRECT_TOKEN"):
        from_options({}, {}, "salt")


@pytest.mark.parametrize(
    "options,message",
    [
        ({"level": "keyword"}, "level"),
        ({"restatement_days": 0}, "restatement_days"),
        ({"chunk_days": "31"}, "chunk_days"),
        ({"include_vat": "maybe"}, "include_vat"),
        ({"start_date": "01.01.2026"}, "start_date"),
        ({"clientlogin": "x"}, "unknown option"),
    ],
)
def test_bad_options_are_config_errors(options, message):
    with pytest.raises(ConnectorConfigError, match=message):
        from_options(options, ENV, "salt")


def test_yaml_style_options_are_accepted(run):
    options = {
        "enabled": True,
        "include_vat": "no",
        "money_in_micros": "false",
        "level": "campaign",
    }
    source = from_options(
        {"base_url": run.base_url, **options},
        ENV,
        "salt",
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 10),
        today=TODAY,
        sleep=run.waits.append,
    )
    assert len(list(source)) == 20
    assert run.report_params()[0]["IncludeVAT"] == "NO"
