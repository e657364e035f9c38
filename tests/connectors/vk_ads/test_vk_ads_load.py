"""VK Ads end to end: a real dlt pipeline against the fake API into a temporary DuckDB file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api_vk_ads import CLIENT_SECRET, FakeVkAdsApi, vk_error
from werkzeug import Response

D = dt.date
STATS = "raw_vk_ads.ad_plan_stats_daily"


def totals(runner) -> tuple:
    return runner.query(f"select count(*), sum(shows), sum(clicks), sum(spent) from {STATS}")[0]


def stats_ranges(api: FakeVkAdsApi) -> list[tuple[str, str]]:
    return [(a["date_from"], a["date_to"]) for a in api.paths("/statistics/ad_plans/day.json")]


def test_loads_campaigns_and_daily_spend(fake_api, runner):
    runner.run(D(2026, 5, 1), D(2026, 5, 3))

    plans = runner.query("select id, name, status from raw_vk_ads.ad_plans order by id")
    assert plans == [
        (101, "Весна — ретаргетинг", "active"),
        (102, "Brand search", "blocked"),
        (103, "Old promo", "deleted"),  # deleted campaigns keep their name and stats
    ]
    # 3 campaigns x 3 days, VK answers idle days with zeros
    assert totals(runner) == (9, 2310, 95, Decimal("233.36"))
    rows = runner.query(
        f"select date, ad_plan_id, shows, clicks, spent, currency from {STATS} "
        "where shows > 0 order by date, ad_plan_id"
    )
    assert rows == [
        (D(2026, 5, 1), 101, 1000, 50, Decimal("123.45"), "RUB"),
        (D(2026, 5, 1), 103, 500, 5, Decimal("10.01"), "RUB"),
        (D(2026, 5, 2), 101, 800, 40, Decimal("99.90"), "RUB"),
        (D(2026, 5, 2), 102, 10, 0, Decimal("0.00"), "RUB"),  # "spent": "" is 0
    ]
    # the deleted campaign is asked for in the list and in the statistics
    assert fake_api.paths("ad_plans.json")[0]["_status__in"] == "active,blocked,deleted"
    assert stats_ranges(fake_api) == [("2026-05-01", "2026-05-03")]
    assert fake_api.paths("day.json")[0]["id"] == "101,102,103"


def test_rerunning_a_window_replaces_restated_spend_updates_a_failure_changes_nothing(
    fake_api, runner
):
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert totals(runner) == (9, 2310, 95, Decimal("233.36"))

    fake_api.stats[0]["rows"][0]["base"]["spent"] = "200.00"  # VK corrected 1 May
    fake_api.ad_plans[0]["name"] = "Весна 2026"
    runner.run(D(2026, 5, 1), D(2026, 5, 3), options={"currency": "usd"})
    assert totals(runner) == (9, 2310, 95, Decimal("309.91"))
    assert runner.query("select name from raw_vk_ads.ad_plans where id = 101") == [("Весна 2026",)]
    assert runner.query(f"select distinct currency from {STATS}") == [("USD",)]

    fake_api.stats[0]["rows"][0]["base"]["spent"] = "999"
    fake_api.fail("day.json", *[Response("down", 503)] * 5)
    with pytest.raises(PipelineStepFailed, match="after 5 attempts"):
        runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert totals(runner) == (9, 2310, 95, Decimal("309.91"))  # the failed run changed nothing


def test_incremental_restates_recent_days_and_catches_up(fake_api, runner):
    runner.run(today=D(2026, 5, 10), options={"start_date": "2026-05-01"})
    assert stats_ranges(fake_api)[-1] == ("2026-05-01", "2026-05-09")  # never today
    assert runner.table_rows("ad_plan_stats_daily") == 27

    fake_api.stats[0]["rows"][1]["base"]["spent"] = "1.00"  # 2 May corrected late
    runner.run(today=D(2026, 5, 11))
    # the 7 days up to the last loaded day, then the new one
    assert stats_ranges(fake_api)[-1] == ("2026-05-03", "2026-05-10")
    assert totals(runner)[3] == Decimal("233.36")  # 2 May is outside the window: kept

    runner.run(D(2026, 4, 1), D(2026, 4, 2), today=D(2026, 5, 12))  # a backfill: cursor stays
    runner.run(today=D(2026, 5, 20))  # runs were missed for a week
    assert stats_ranges(fake_api)[-1] == ("2026-05-04", "2026-05-19")
    assert runner.table_rows("ad_plan_stats_daily") == 3 * 19 + 3 * 2


def test_first_run_without_start_date_asks_for_90_days(fake_api, runner):
    runner.pipeline.extract(runner.source(today=D(2026, 5, 10)))
    assert stats_ranges(fake_api) == [("2026-02-09", "2026-05-09")]


def test_many_campaigns_and_a_long_window_are_chunked(httpserver, runner):
    plans = [{"id": 1000 + i, "name": f"c{i}", "status": "active"} for i in range(60)]
    stats = [{"id": 1000, "rows": [{"date": "2026-01-15", "base": {"spent": "5"}}]}]
    api = FakeVkAdsApi(plans, stats, fill_idle_days=False).register(httpserver)
    runner.run(D(2026, 1, 1), D(2026, 4, 10))  # 100 days

    assert len(api.paths("ad_plans.json")) == 2  # 50 + 10
    calls = api.paths("day.json")
    # dlt interleaves the pages, so compare as sets of (ids, range)
    assert sorted((len(c["id"].split(",")), c["date_from"], c["date_to"]) for c in calls) == [
        (10, "2026-01-01", "2026-03-31"),
        (10, "2026-04-01", "2026-04-10"),
        (50, "2026-01-01", "2026-03-31"),
        (50, "2026-04-01", "2026-04-10"),
    ]
    assert totals(runner) == (1, 0, 0, Decimal("5.00"))


def test_err_wrong_date_shrinks_the_range(httpserver, runner):
    api = FakeVkAdsApi(max_range_days=30).register(httpserver)
    runner.run(D(2026, 3, 1), D(2026, 5, 9))  # 70 days
    ranges = stats_ranges(api)
    assert ranges[0] == ("2026-03-01", "2026-05-09")  # refused: ERR_WRONG_DATE
    loaded = [(D.fromisoformat(a), D.fromisoformat(b)) for a, b in ranges[1:]]
    assert all((b - a).days + 1 <= 30 for a, b in loaded[-3:])
    assert totals(runner) == (3 * 70, 2310, 95, Decimal("233.36"))


def test_err_wrong_date_on_one_day_is_a_clear_error(fake_api, runner):
    fake_api.fail("day.json", *[vk_error(400, "ERR_WRONG_DATE", "date is too old")] * 3)
    with pytest.raises(PipelineStepFailed) as err:
        runner.run(D(2026, 5, 1), D(2026, 5, 2))
    message = str(err.value)
    assert "ERR_WRONG_DATE" in message and "2026-05-01..2026-05-01" in message
    assert "start_date" in message
    assert runner.query("select count(*) from information_schema.tables") in ([], [(0,)])


def test_rate_limits_and_server_errors_are_retried(fake_api, runner):
    fake_api.fail(
        "day.json",
        Response("slow down", 429, headers={"Retry-After": "3"}),
        vk_error(429, "ERR_LIMIT_EXCEEDED"),  # no Retry-After: exponential backoff
        Response("oops", 500),
        Response("bad gateway", 502),
    )
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert runner.waits == [3.0, 2.0, 4.0, 8.0]
    assert totals(runner) == (9, 2310, 95, Decimal("233.36"))


def test_waits_for_the_next_second_when_rps_remaining_is_zero(httpserver, runner):
    plans = [{"id": i, "name": f"c{i}", "status": "active"} for i in range(120)]
    api = FakeVkAdsApi(plans, []).register(httpserver)
    api.rps_zero_every = 2
    runner.pipeline.extract(runner.source(start_date=D(2026, 5, 1), end_date=D(2026, 5, 1)))
    # 3 list pages + 3 stats calls; after answers 2 and 4 the next call waited ~1 s
    assert len(runner.waits) == 2 and all(0.5 < w <= 1.0 for w in runner.waits)


def test_an_html_page_with_200_fails_clearly_and_loads_nothing(fake_api, runner):
    fake_api.fail("day.json", Response("<html>proxy</html>", 200, content_type="text/html"))
    with pytest.raises(PipelineStepFailed) as err:
        runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert "not a JSON object" in str(err.value)
    assert runner.query("select count(*) from information_schema.tables") in ([], [(0,)])


def test_a_body_cut_off_mid_way_or_bad_gzip_is_retried(fake_api, runner):
    cut = Response('{"items": [', 200, content_type="application/json")
    cut.headers["Content-Length"] = "500"  # the connection ends before the body does
    bad_gzip = Response(b"not gzip at all", 200, content_type="application/json")
    bad_gzip.headers["Content-Encoding"] = "gzip"
    fake_api.fail("day.json", cut, bad_gzip)
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert runner.waits == [1.0, 2.0]
    assert totals(runner) == (9, 2310, 95, Decimal("233.36"))


def test_a_repeated_page_stops_instead_of_looping(httpserver, runner):
    plans = [{"id": i, "name": f"c{i}", "status": "active"} for i in range(60)]
    api = FakeVkAdsApi(plans, []).register(httpserver)
    api.ignore_offset = True
    with pytest.raises(PipelineStepFailed, match="same page again"):
        runner.run(D(2026, 5, 1), D(2026, 5, 1))
    assert len(api.paths("ad_plans.json")) == 2


def test_schema_drift_missing_and_unreadable_numbers(httpserver, runner):
    stats = [
        {
            "id": 1,
            "rows": [
                {"date": "2026-05-01", "base": {"shows": "12", "new_metric": 1}},  # no spent
                {"date": "2026-05-02"},  # no base at all
                {"date": "2026-05-03", "base": {"shows": 3, "clicks": "1", "spent": "1 234,50"}},
            ],
        }
    ]
    api = FakeVkAdsApi([{"id": 1, "name": None, "status": "active"}], stats).register(httpserver)
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert totals(runner) == (3, 15, 1, Decimal("1234.50"))

    api.stats[0]["rows"][0]["base"]["spent"] = "n/a"
    with pytest.raises(PipelineStepFailed, match="unreadable statistics row for campaign 1"):
        runner.run(D(2026, 5, 1), D(2026, 5, 3))


def test_an_account_without_campaigns_still_has_both_tables(httpserver, runner):
    api = FakeVkAdsApi([], []).register(httpserver)
    runner.run(D(2026, 5, 1), D(2026, 5, 3))
    assert runner.table_rows("ad_plans") == 0
    assert runner.table_rows("ad_plan_stats_daily") == 0
    assert api.paths("day.json") == []


def test_no_secret_in_the_warehouse_or_the_logs(fake_api, runner, client_logs):
    fake_api.revoke_after_calls = 1  # forces a second token mid-run
    fake_api.fail("day.json", Response(f"echo {CLIENT_SECRET}", 500))
    runner.run(today=D(2026, 5, 10), options={"start_date": "2026-05-01"})  # writes dlt state
    assert fake_api.issued == 2  # a token, and a new one after the 401
    secrets = [CLIENT_SECRET] + [f"{k}-{i}-tokenvalue" for k in ("acc", "ref") for i in (1, 2)]
    stored, logs = runner.all_text(), client_logs()
    assert "last_loaded_date" in stored  # the state was scanned, decompressed
    for secret in secrets:
        assert secret not in stored and secret not in logs


def test_the_fake_takes_canonical_ad_spend_rows(httpserver, runner):
    rows = [
        {"spend_date": D(2026, 5, 1), "campaign_id": "3150771", "campaign_name": "VK | Кухни",
         "impressions": 100, "clicks": 3, "cost": Decimal("95.50")},
        {"spend_date": D(2026, 5, 2), "campaign_id": "3150771", "campaign_name": "VK | Кухни",
         "impressions": 90, "clicks": 2, "cost": Decimal("80.00")},
    ]  # fmt: skip
    FakeVkAdsApi.from_ad_spend(rows, fill_idle_days=False).register(httpserver)
    runner.run(D(2026, 5, 1), D(2026, 5, 2))
    assert totals(runner) == (2, 190, 5, Decimal("175.50"))
