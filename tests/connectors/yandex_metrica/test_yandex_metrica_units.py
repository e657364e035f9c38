"""Pure parts of the Metrica connector: TSV reading, time zones, windows, rows, options."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from connectors.common.config import ConnectorConfigError
from connectors.common.windows import day_chunks as chunks
from connectors.yandex_metrica import from_options
from connectors.yandex_metrica.rows import RowBuilder, scrub_emails, to_utc
from connectors.yandex_metrica.settings import FIELDS
from connectors.yandex_metrica.tsv import TsvError, parse_array, read_part, unescape
from connectors.yandex_metrica.windows import (
    counter_today,
    explicit_window,
    halves,
    incremental_window,
)

D = dt.date
UTC = dt.UTC

# ---------------------------------------------------------------- TSV ([v]: escaping as ClickHouse)


def test_read_part_header_bom_escapes_and_crlf():
    body = (
        "\ufeffym:s:visitID\tym:s:startURL\tym:s:goalsID\r\n"
        "1\thttps://a.example/x\\ty\\\\z\t[1,2]\r\n"
        "2\tline1\\nline2\t[]\r\n"
    ).encode()
    header, rows = read_part(body)
    assert header == ["ym:s:visitID", "ym:s:startURL", "ym:s:goalsID"]
    assert list(rows) == [
        (2, ["1", "https://a.example/x\ty\\z", "[1,2]"]),
        (3, ["2", "line1\nline2", "[]"]),
    ]


def test_backslash_before_a_real_line_feed_continues_the_value():
    header, rows = read_part(b"a\tb\n1\tx\\\ny\n2\tz\\\\\n")
    assert list(rows) == [(2, ["1", "x\ny"]), (4, ["2", "z\\"])]


def test_empty_and_header_only_parts_have_no_rows():
    assert read_part(b"")[0] == []
    header, rows = read_part(b"ym:s:visitID\tym:s:clientID\n")
    assert header == ["ym:s:visitID", "ym:s:clientID"] and list(rows) == []


@pytest.mark.parametrize("body", [b"<html>busy</html>", b'{"errors": []}'])
def test_an_html_or_json_answer_is_not_a_part(body):
    with pytest.raises(TsvError):
        read_part(body)


def test_unescape_and_null():
    assert unescape("\\N") is None
    assert unescape("a\\tb\\nc\\\\d\\'e") == "a\tb\nc\\d'e"


def test_parse_array():
    assert parse_array("[1,2]") == [1, 2]
    assert parse_array("[]") == []
    assert parse_array("") is None
    assert parse_array("['a','b\\'c', 'd,e']") == ["a", "b'c", "d,e"]
    with pytest.raises(ValueError):
        parse_array("1,2")


# ---------------------------------------------------------------- time zones


def test_counter_time_to_utc_is_dst_safe():
    assert to_utc("2026-03-01 10:00:00", ZoneInfo("Europe/Moscow")) == dt.datetime(
        2026, 3, 1, 7, tzinfo=UTC
    )
    berlin = ZoneInfo("Europe/Berlin")
    assert to_utc("2026-01-15 12:00:00", berlin).hour == 11  # CET, +1
    assert to_utc("2026-07-15 12:00:00", berlin).hour == 10  # CEST, +2
    # 02:30 happens twice on 2026-10-25: the first (summer time) is taken.
    assert to_utc("2026-10-25 02:30:00", berlin) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # 02:30 does not exist on 2026-03-29: read with the offset before the jump.
    assert to_utc("2026-03-29 02:30:00", berlin) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_counter_today_is_the_counter_calendar():
    late_utc = dt.datetime(2026, 3, 4, 22, 0, tzinfo=UTC)  # already the 5th in Moscow
    assert counter_today(ZoneInfo("Europe/Moscow"), late_utc) == D(2026, 3, 5)
    assert counter_today(ZoneInfo("UTC"), late_utc) == D(2026, 3, 4)


# ---------------------------------------------------------------- windows


def test_explicit_window_never_reaches_today():
    today = D(2026, 3, 5)
    assert explicit_window(D(2026, 3, 1), D(2026, 3, 10), today) == (D(2026, 3, 1), D(2026, 3, 4))
    assert explicit_window(D(2026, 3, 1), None, today) == (D(2026, 3, 1), D(2026, 3, 4))
    assert explicit_window(D(2026, 3, 5), D(2026, 3, 5), today) is None


def test_incremental_window_restates_and_catches_up():
    today, first = D(2026, 3, 10), D(2026, 2, 1)
    assert incremental_window(None, first, 3, today) == (first, D(2026, 3, 9))
    # ran yesterday (loaded up to the 8th): the last 3 complete days again
    assert incremental_window(D(2026, 3, 8), first, 3, today) == (D(2026, 3, 7), D(2026, 3, 9))
    # ran twice today: still the last 3 days
    assert incremental_window(D(2026, 3, 9), first, 3, today) == (D(2026, 3, 7), D(2026, 3, 9))
    # missed runs since the 1st: everything since, not just 3 days
    assert incremental_window(D(2026, 3, 1), first, 3, today) == (D(2026, 3, 2), D(2026, 3, 9))
    assert incremental_window(None, D(2026, 3, 10), 3, today) is None


def test_chunks_and_halves():
    year = chunks(D(2025, 1, 1), D(2026, 3, 4), 365)
    assert year[0] == (D(2025, 1, 1), D(2025, 12, 31)) and year[1] == (D(2026, 1, 1), D(2026, 3, 4))
    assert halves((D(2026, 3, 1), D(2026, 3, 5))) == (
        (D(2026, 3, 1), D(2026, 3, 2)),
        (D(2026, 3, 3), D(2026, 3, 5)),
    )
    with pytest.raises(ValueError):
        halves((D(2026, 3, 1), D(2026, 3, 1)))


# ---------------------------------------------------------------- rows

HEADER = list(FIELDS)


def line(**values: str) -> list[str | None]:
    base = {f: "" for f in HEADER}
    base.update(
        {"ym:s:visitID": "7", "ym:s:clientID": "99", "ym:s:dateTime": "2026-03-01 03:00:00"}
    )
    base.update({f"ym:s:{k}": v for k, v in values.items()})
    return [base[f] for f in HEADER]


def test_row_key_is_counter_and_visit_and_values_are_typed():
    builder = RowBuilder("42", ZoneInfo("Europe/Moscow"), "salt")
    row = builder.build(
        HEADER, line(deviceCategory="2", pageViews="3", isNewUser="0", goalsID="[5]")
    )
    assert row["visit_id"] == "42:7" and row["ym_visit_id"] == "7"
    assert row["started_at"] == dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert (row["device_category"], row["page_views"], row["is_new_user"]) == (2, 3, False)
    assert row["goals_id"] == [5] and row["utm_source"] is None


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"visitID": ""}, "visitID"),
        ({"dateTime": "yesterday"}, "dateTime"),
        ({"pageViews": "many"}, "pageViews"),
        ({"goalsID": "[1,"}, "array"),
    ],
)
def test_bad_values_are_reasons(values, reason):
    builder = RowBuilder("42", ZoneInfo("UTC"), "salt")
    with pytest.raises(ValueError, match=reason):
        builder.build(HEADER, line(**values))
    with pytest.raises(ValueError, match="header has"):
        builder.build(HEADER, line()[:-1])


def test_emails_in_urls_are_hashed():
    url = "https://s.example/?email=Ivan.Petrov%40Mail.ru&x=1#a@b.co"
    scrubbed = scrub_emails(url, "salt")
    assert "Petrov" not in scrubbed and "%40" not in scrubbed and "@" not in scrubbed
    assert scrubbed.startswith("https://s.example/?email=email-") and scrubbed.count("email-") == 2
    # the same address, any case or encoding, gets the same hash
    assert scrub_emails("?e=ivan.petrov@mail.ru", "salt") == "?e=" + scrubbed.split("=")[1][:22]
    assert scrub_emails("https://s.example/", "salt") == "https://s.example/"


# ---------------------------------------------------------------- options

ENV = {"YANDEX_METRICA_TOKEN": "tok-12345"}


def test_missing_token_names_the_variable():
    with pytest.raises(ConnectorConfigError, match="YANDEX_METRICA_TOKEN is not set"):
        from_options({"counter_id": "1"}, {}, "salt")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "counter_id is not set"),
        ({"counter_id": "my-site"}, "not a counter number"),
        ({"counter_id": "1", "timezone": "Mars/Olympus"}, "not an IANA timezone"),
        ({"counter_id": "1", "restatement_days": 0}, "restatement_days"),
        ({"counter_id": "1", "max_wait_s": "soon"}, "max_wait_s"),
        ({"counter_id": "1", "start_date": "01.03.2026"}, "start_date"),
    ],
)
def test_bad_options_say_what_to_set(options, message):
    with pytest.raises(ConnectorConfigError, match=message):
        from_options(options, ENV, "salt")


def test_end_date_needs_a_start_date():
    with pytest.raises(ConnectorConfigError, match="without start_date"):
        from_options({"counter_id": "1"}, ENV, "salt", end_date=D(2026, 3, 1))
