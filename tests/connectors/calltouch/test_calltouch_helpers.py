"""Calltouch's two date formats, the load window and record -> row, without HTTP."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from connectors.calltouch.helpers import (
    format_day_first,
    format_month_first,
    parse_local_datetime,
    plan_window,
    record_key,
    to_row,
)
from connectors.common.pii import contact_key
from connectors.common.windows import day_chunks as chunks

MSK = ZoneInfo("Europe/Moscow")
D = dt.date


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_request_dates_day_first_for_calls_month_first_for_leads():
    day = D(2026, 3, 2)
    assert format_day_first(day) == "02/03/2026"  # calls journal, deals journal
    assert format_month_first(day) == "03/02/2026"  # leads journal (RestAPI/requests)


def test_call_time_is_site_local_and_becomes_utc():
    assert parse_local_datetime("02/03/2026 10:00:00", MSK) == utc(2026, 3, 2, 7)
    assert parse_local_datetime("01/03/2026 00:15:00", MSK) == utc(2026, 2, 28, 21, 15)
    assert parse_local_datetime(" 02/03/2026  10:00 ", MSK) == utc(2026, 3, 2, 7)  # no seconds
    # the same text means another day month first (the leads journal's order)
    assert parse_local_datetime("02/03/2026 10:00:00", MSK, month_first=True) == utc(2026, 2, 3, 7)
    assert parse_local_datetime("02/03/2026 10:00:00", ZoneInfo("Asia/Yekaterinburg")) == utc(
        2026, 3, 2, 5
    )


@pytest.mark.parametrize(
    ("text", "month_first"),
    [
        ("13/01/2026 10:00:00", True),
        ("01/13/2026 10:00:00", False),
        ("2026-03-02 10:00", False),
        ("", False),
        ("32/01/2026 10:00:00", False),
    ],
)
def test_wrong_date_order_or_shape_is_an_error(text, month_first):
    with pytest.raises(ValueError):
        parse_local_datetime(text, MSK, month_first=month_first)


def test_dst_gap_and_overlap_take_the_earlier_offset():
    berlin = ZoneInfo("Europe/Berlin")
    # 29 March 2026 02:30 does not exist in Berlin; 25 October 02:30 happens twice.
    assert parse_local_datetime("29/03/2026 02:30:00", berlin) == utc(2026, 3, 29, 1, 30)
    assert parse_local_datetime("25/10/2026 02:30:00", berlin) == utc(2026, 10, 25, 0, 30)


TODAY = D(2026, 3, 10)


def window(**kw):
    args = {
        "today": TODAY,
        "start_date": None,
        "end_date": None,
        "last_loaded": None,
        "restatement_days": 3,
        "initial_start": D(2026, 2, 8),
    }
    return plan_window(**{**args, **kw})


def test_first_run_from_initial_start_to_yesterday():
    assert window() == (D(2026, 2, 8), D(2026, 3, 9))


def test_daily_run_is_yesterday_plus_restatement_days():
    assert window(last_loaded=D(2026, 3, 8)) == (D(2026, 3, 6), D(2026, 3, 9))
    assert window(last_loaded=D(2026, 3, 8), restatement_days=0) == (D(2026, 3, 9), D(2026, 3, 9))


def test_missed_runs_are_caught_up_and_the_days_before_the_gap_restated():
    assert window(last_loaded=D(2026, 3, 1)) == (D(2026, 2, 27), D(2026, 3, 9))


def test_second_run_on_the_same_day_restates_and_never_pulls_today():
    assert window(last_loaded=D(2026, 3, 9)) == (D(2026, 3, 6), D(2026, 3, 9))
    assert window(last_loaded=D(2026, 3, 9), restatement_days=0) == (D(2026, 3, 9), D(2026, 3, 9))
    assert window(initial_start=TODAY) is None


def test_explicit_window_is_exact_and_stops_at_today():
    assert window(start_date=D(2026, 3, 2), end_date=D(2026, 3, 2)) == (D(2026, 3, 2),) * 2
    assert window(start_date=D(2026, 3, 2), end_date=D(2026, 4, 1)) == (D(2026, 3, 2), TODAY)
    assert window(start_date=D(2026, 3, 2)) == (D(2026, 3, 2), D(2026, 3, 9))
    assert window(start_date=D(2026, 4, 1), end_date=D(2026, 4, 2)) is None
    with pytest.raises(ValueError, match="after"):
        window(start_date=D(2026, 3, 5), end_date=D(2026, 3, 4))


def test_chunks_cover_the_window_once():
    assert chunks(D(2026, 3, 1), D(2026, 3, 16), 7) == [
        (D(2026, 3, 1), D(2026, 3, 7)),
        (D(2026, 3, 8), D(2026, 3, 14)),
        (D(2026, 3, 15), D(2026, 3, 16)),
    ]
    assert chunks(D(2026, 3, 1), D(2026, 3, 1), 7) == [(D(2026, 3, 1), D(2026, 3, 1))]


def test_row_hashes_the_caller_and_reads_loose_values():
    record = {
        "callId": 555,
        "date": "02/03/2026 10:00:00",
        "callerNumber": "8 (916) 555-01-02",
        "duration": "1:05",
        "successful": "true",
        "uniqueCall": 0,
        "targetCall": "--",
        "uniqTargetCall": True,
        "sessionId": 9001.0,
        "yaClientId": "",
        "clientId": "GA1.2.3",
        "utmSource": "  ",
        "callUrl": "https://x.ru/?utm_source=vk",
        "city": "Москва",
        "callerName": "Иван",
    }
    row = to_row(record, MSK, "salt")
    assert row["call_id"] == "555" and row["started_at"] == utc(2026, 3, 2, 7)
    assert row["caller_key"] == contact_key(None, "+79165550102", "salt")
    assert row["duration_s"] == 65 and row["is_successful"] is True
    assert row["is_unique_call"] is False and row["is_target_call"] is None
    assert row["is_uniq_target_call"] is True
    assert row["session_id"] == "9001" and row["ya_client_id"] is None
    assert row["client_id"] == "GA1.2.3" and row["utm_source"] is None
    assert row["reject_reason"] is None and row["call_date"] == "02/03/2026 10:00:00"
    text = repr(row)
    assert "916" not in text and "Иван" not in text and "Москва" not in text


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (65, 65),
        ("65", 65),
        ("65.0", 65),
        ("0:01:05", 65),
        ("", None),
        ("--", None),
        ("n/a", None),
        (None, None),
    ],
)
def test_duration_shapes(value, seconds):
    row = to_row({"callId": 1, "date": "02/03/2026 10:00:00", "duration": value}, MSK, "s")
    assert row["duration_s"] == seconds


def test_unusable_records_are_kept_with_a_reason_and_a_stable_key():
    no_id = {"date": "02/03/2026 10:00:00", "callerNumber": "79160000000"}
    row = to_row(no_id, MSK, "salt")
    assert row["reject_reason"] == "empty callId"
    assert row["call_id"].startswith("missing:") and row["call_id"] == record_key(dict(no_id))
    assert record_key({**no_id, "callerNumber": "other"}) == row["call_id"]  # no phone in key
    bad_date = to_row({"callId": 7, "date": "2026-03-02T10:00:00"}, MSK, "salt")
    assert bad_date["started_at"] is None
    assert bad_date["reject_reason"] == "unparseable date: '2026-03-02T10:00:00'"
