"""VK Ads tokens: client credentials, refresh, the 0600 cache file, one renewal on 401, the
token limit, bad credentials and options."""

from __future__ import annotations

import datetime as dt
import stat
from decimal import Decimal

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api_vk_ads import CLIENT_ID, CLIENT_SECRET, ENV, FakeVkAdsApi
from werkzeug import Response

from connectors.common.config import ConnectorConfigError
from connectors.vk_ads import VkAdsClient, from_options
from connectors.vk_ads.auth import VkAdsAuthError

D = dt.date


def make_client(httpserver, cache_dir=None, **kwargs) -> VkAdsClient:
    kwargs.setdefault("sleep", lambda s: None)
    base = httpserver.url_for("/").rstrip("/")
    return VkAdsClient(base, CLIENT_ID, CLIENT_SECRET, cache_dir, **kwargs)


def test_token_is_cached_in_a_0600_file_and_reused_by_the_next_run(fake_api, httpserver, tmp_path):
    cache = tmp_path / "tokens"
    assert [p["id"] for page in make_client(httpserver, cache).ad_plans() for p in page]
    files = list(cache.iterdir())
    assert len(files) == 1 and CLIENT_ID not in files[0].name  # named by a hash of the API and id
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700

    files[0].chmod(0o644)  # someone widened it: narrowed again on read
    list(make_client(httpserver, cache).ad_plans())  # the next run: no new token
    assert fake_api.grants() == ["client_credentials"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600

    list(make_client(httpserver).ad_plans())  # memory only: every run asks for its own
    assert fake_api.grants() == ["client_credentials"] * 2


def test_an_unreadable_cache_file_is_ignored(fake_api, httpserver, tmp_path):
    list(make_client(httpserver, tmp_path).ad_plans())
    next(tmp_path.iterdir()).write_text("{not json")
    list(make_client(httpserver, tmp_path).ad_plans())
    assert fake_api.grants() == ["client_credentials"] * 2


def test_an_expired_token_is_refreshed_with_the_refresh_token(httpserver, tmp_path):
    api = FakeVkAdsApi(expires_in=3600).register(httpserver)
    now = [1_000_000.0]
    list(make_client(httpserver, tmp_path, clock=lambda: now[0]).ad_plans())
    now[0] += 3600 - 30  # inside the renewal margin: counts as expired
    list(make_client(httpserver, tmp_path, clock=lambda: now[0]).ad_plans())
    assert api.grants() == ["client_credentials", "refresh_token"]
    assert len(api.tokens) == 1  # a refresh replaces the token, it does not add one


def test_a_401_mid_run_refreshes_once_and_the_load_completes(httpserver, runner):
    api = FakeVkAdsApi().register(httpserver)
    api.expire_after_calls = 1  # the token dies after the campaign list
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert api.grants() == ["client_credentials", "refresh_token"]
    assert runner.query("select sum(spent) from raw_vk_ads.ad_plan_stats_daily") == [
        (Decimal("233.36"),)
    ]


def test_a_revoked_refresh_token_falls_back_to_client_credentials(fake_api, httpserver):
    client = make_client(httpserver)
    list(client.ad_plans())
    fake_api.tokens.clear()  # access and refresh token both revoked
    list(client.ad_plans())
    assert fake_api.grants() == ["client_credentials", "refresh_token", "client_credentials"]


def test_a_second_401_after_renewing_fails_without_a_loop(fake_api, runner):
    fake_api.always_401 = True
    with pytest.raises(PipelineStepFailed) as err:
        runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert "refused again right after renewing it" in str(err.value)
    assert fake_api.grants() == ["client_credentials", "refresh_token"]
    assert len(fake_api.paths("ad_plans.json")) == 2
    assert runner.query("select count(*) from information_schema.tables") in ([], [(0,)])


def test_too_many_tokens_says_how_to_delete_them(httpserver, runner):
    api = FakeVkAdsApi(max_tokens=0).register(httpserver)  # [v] the limit's answer
    with pytest.raises(PipelineStepFailed) as err:
        runner.run(D(2026, 5, 1), D(2026, 5, 3))
    message = str(err.value)
    assert "maximum number of active tokens" in message
    assert "/api/v2/oauth2/token/delete.json" in message and "token_cache_dir" in message
    assert CLIENT_SECRET not in message
    assert api.paths("ad_plans.json") == []


def test_wrong_credentials_name_the_variables_and_hide_the_secret(fake_api, runner, client_logs):
    env = {**ENV, "VK_ADS_CLIENT_SECRET": "wrong-secret-value"}
    with pytest.raises(PipelineStepFailed) as err:
        runner.pipeline.run(runner.source(env=env, start_date=D(2026, 5, 1)))
    message = str(err.value)
    assert "HTTP 401" in message and "VK_ADS_CLIENT_ID and VK_ADS_CLIENT_SECRET" in message
    assert "wrong-secret-value" not in message and "wrong-secret-value" not in client_logs()


def test_the_token_endpoint_is_retried_on_429(fake_api, httpserver):
    fake_api.fail("/oauth2/token.json", Response("busy", 429, headers={"Retry-After": "2"}))
    waits: list[float] = []
    list(make_client(httpserver, sleep=waits.append).ad_plans())
    assert waits == [2.0]


def test_a_missing_secret_is_a_config_error(runner):
    with pytest.raises(ConnectorConfigError, match="VK_ADS_CLIENT_SECRET is not set"):
        runner.source(env={"VK_ADS_CLIENT_ID": CLIENT_ID})


@pytest.mark.parametrize(
    "options, error",
    [
        ({"currency": "rubles"}, "not an ISO currency code"),
        ({"restatement_days": -1}, "restatement_days"),
        ({"restatement_days": "seven"}, "restatement_days"),
        ({"start_date": "01/05/2026"}, "not a date"),
    ],
)
def test_bad_options_are_config_errors(options, error):
    with pytest.raises(ConnectorConfigError, match=error):
        from_options(options, ENV, pii_salt="")


def test_options_from_the_environment_arrive_as_text():
    source = from_options({"restatement_days": "3", "currency": " eur "}, ENV, pii_salt="")
    assert {"ad_plans", "ad_plan_stats_daily"} <= set(source.resources)


def test_auth_error_is_a_source_api_error():
    assert issubclass(VkAdsAuthError, RuntimeError)
