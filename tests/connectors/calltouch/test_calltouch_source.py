"""The Calltouch source end to end: fake API -> from_options -> dlt -> DuckDB, numbers read back."""

from __future__ import annotations

import datetime as dt

from fake_api_calltouch import call

D = dt.date
SAMPLE_IDS = {str(i) for i in range(101, 110)}


def ids(query) -> list[str]:
    return [r[0] for r in query("select call_id from raw_calltouch.calls order by call_id")]


def pages(api) -> list[tuple[str, str, str | None]]:
    return [(r.get("dateFrom"), r.get("dateTo"), r.get("page")) for r in api.requests]


def test_first_run_loads_every_call_with_real_numbers(api, load, query):
    load(page_size=2)
    assert query("""
        select count(*), count(distinct call_id), sum(duration_s),
               count(distinct caller_key), count(*) filter (where caller_key is null),
               count(*) filter (where reject_reason is not null)
        from raw_calltouch.calls""") == [(9, 9, 4045, 4, 2, 0)]
    # Moscow time -> UTC: the first call of 1 March is 21:15 on 28 February
    assert query("""
        select strftime(started_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S')
        from raw_calltouch.calls where call_id = '101'""") == [("2026-02-28 21:15:00",)]
    # 30 days back to yesterday, in week chunks, dd/mm/yyyy, every page of each chunk
    requested = pages(api)
    assert requested[0] == ("03/02/2026", "09/02/2026", "1")
    assert [p for p in requested if p[0] == "24/02/2026"] == [
        ("24/02/2026", "02/03/2026", str(n)) for n in (1, 2, 3)
    ]
    assert requested[-1] == ("03/03/2026", "04/03/2026", "2")
    assert all(r["limit"] == "2" for r in api.requests)
    assert not any("05/03/2026" in (p[0], p[1]) for p in requested)  # never today


def test_rerunning_a_window_replaces_rows_never_doubles_them(api, load, query):
    load(D(2026, 3, 1), D(2026, 3, 4))
    api.records[1].update(targetCall=False, duration=30)  # call 102 restated by Calltouch
    load(D(2026, 3, 1), D(2026, 3, 4))
    assert ids(query) == sorted(SAMPLE_IDS)
    assert query(
        "select is_target_call, duration_s from raw_calltouch.calls where call_id = '102'"
    ) == [(False, 30)]
    assert pages(api)[-1] == ("01/03/2026", "04/03/2026", "1")


def test_incremental_runs_restate_catch_up_and_never_pull_today(api, load, query):
    load(start_date="2026-03-01")  # first run: the start_date option, through yesterday
    assert pages(api)[0] == ("01/03/2026", "04/03/2026", "1")
    api.records[2]["targetCall"] = False  # call 103 of 2 March corrected later
    api.records += [call(110, "05/03/2026 09:00:00"), call(111, "06/03/2026 09:00:00")]
    api.requests.clear()
    load(start_date="2026-03-01", today=D(2026, 3, 6))  # yesterday + 3 restated days
    assert pages(api) == [("02/03/2026", "05/03/2026", "1")]
    assert query("select is_target_call from raw_calltouch.calls where call_id = '103'") == [
        (False,)
    ]
    assert "111" not in ids(query)  # 6 March is today: not yet
    api.requests.clear()
    load(start_date="2026-03-01", today=D(2026, 3, 10))  # three missed runs: catch up
    assert pages(api) == [("03/03/2026", "09/03/2026", "1")]
    assert ids(query) == sorted(SAMPLE_IDS | {"110", "111"})


def test_an_empty_window_still_creates_the_table(api, load, query):
    api.empty = "{}"
    load(D(2026, 3, 1), D(2026, 3, 1))
    assert query("select count(*) from raw_calltouch.calls") == [(0,)]
    assert query("""
        select count(*) from information_schema.columns
        where table_schema = 'raw_calltouch' and table_name = 'calls'
          and column_name in ('ya_client_id', 'is_uniq_target_call', 'reject_reason')""") == [(3,)]


def test_unusable_calls_are_quarantined_not_dropped(api, load, query):
    api.records = [
        call(201, "02/03/2026 10:00:00"),
        {**call(0, "02/03/2026 11:00:00"), "callId": None},
        {**call(202, "2026-03-02T12:00:00"), "_fake_day": "02/03/2026"},
    ]
    load(D(2026, 3, 2), D(2026, 3, 2))
    rows = query("select call_id, reject_reason from raw_calltouch.calls order by call_id")
    assert rows[0] == ("201", None)
    assert rows[1] == ("202", "unparseable date: '2026-03-02T12:00:00'")
    assert rows[2][0].startswith("missing:") and rows[2][1] == "empty callId"


def test_a_bare_array_and_a_shifting_total_end_to_end(api, load, query):
    api.bare_array = "first_day"
    load(D(2026, 3, 1), D(2026, 3, 2), page_size=2)
    api.bare_array = None
    api.arrivals = [call(150, "04/03/2026 23:30:00")]
    load(D(2026, 3, 3), D(2026, 3, 4), page_size=2)
    assert query("select count(*), count(distinct call_id) from raw_calltouch.calls") == [(10, 10)]


def test_site_timezone_option(api, load, query):
    load(D(2026, 3, 1), D(2026, 3, 1), timezone="Asia/Yekaterinburg")  # UTC+5
    assert query("""
        select strftime(started_at at time zone 'UTC', '%H:%M'), site_timezone
        from raw_calltouch.calls where call_id = '102'""") == [("05:00", "Asia/Yekaterinburg")]
