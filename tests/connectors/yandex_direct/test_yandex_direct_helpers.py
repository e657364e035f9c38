"""Pure parts of the Direct connector: windows, the report request, reading TSV, money."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from connectors.common.windows import day_chunks as chunks
from connectors.yandex_direct.helpers import (
    ReportFormatError,
    parse_decimal,
    parse_money,
    parse_report,
    plan_window,
    report_params,
    typed_row,
)
from connectors.yandex_direct.settings import FIELDS

D = dt.date
TODAY = D(2026, 1, 11)
CAMPAIGN = FIELDS["campaign"]
ROWS = [
    ["2026-01-01", "70114501", "Поиск | Кухни", "TEXT_CAMPAIGN", "2011", "41", "2469130000"],
    ["2026-01-01", "70114504", 'РСЯ | "Кухни"', "UNIFIED_CAMPAIGN", "--", "0", "0"],
]


def tsv(title: bool, header: bool, summary: bool, rows=ROWS, fields=CAMPAIGN) -> str:
    lines = ['"r (2026-01-01 - 2026-01-01)"'] if title else []
    lines += ["\t".join(fields)] if header else []
    lines += ["\t".join(r) for r in rows]
    lines += [f"Total rows: {len(rows)}"] if summary else []
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ windows


def test_first_run_starts_at_initial_start_and_stops_yesterday():
    assert plan_window(TODAY, None, (None, None), D(2025, 12, 1), 7) == (
        D(2025, 12, 1),
        D(2026, 1, 10),
    )


def test_next_run_repulls_the_restatement_window():
    assert plan_window(TODAY, D(2026, 1, 9), (None, None), D(2025, 1, 1), 7) == (
        D(2026, 1, 4),
        D(2026, 1, 10),
    )


def test_missed_runs_are_caught_up_from_the_day_after_the_last_loaded():
    assert plan_window(TODAY, D(2025, 12, 20), (None, None), D(2025, 1, 1), 7) == (
        D(2025, 12, 21),
        D(2026, 1, 10),
    )


def test_restatement_never_goes_before_initial_start():
    assert plan_window(TODAY, D(2026, 1, 10), (None, None), D(2026, 1, 9), 7) == (
        D(2026, 1, 9),
        D(2026, 1, 10),
    )


def test_explicit_window_is_taken_as_given_but_not_past_today():
    assert plan_window(TODAY, D(2026, 1, 10), (D(2025, 3, 1), D(2025, 3, 2)), D(2026, 1, 1), 7) == (
        D(2025, 3, 1),
        D(2025, 3, 2),
    )
    assert plan_window(TODAY, None, (D(2026, 1, 10), D(2026, 2, 1)), D(2026, 1, 1), 7) == (
        D(2026, 1, 10),
        TODAY,
    )
    assert plan_window(TODAY, None, (D(2026, 2, 1), D(2026, 2, 2)), D(2026, 1, 1), 7) is None


def test_chunks_cover_the_window_without_overlap():
    parts = chunks(D(2026, 1, 1), D(2026, 3, 5), 31)
    assert parts[0] == (D(2026, 1, 1), D(2026, 1, 31))
    assert parts[-1][1] == D(2026, 3, 5)
    days = sum((end - start).days + 1 for start, end in parts)
    assert days == (D(2026, 3, 5) - D(2026, 1, 1)).days + 1
    assert all((end - start).days < 31 for start, end in parts)
    assert chunks(D(2026, 1, 1), D(2026, 1, 1), 31) == [(D(2026, 1, 1), D(2026, 1, 1))]


# ------------------------------------------------------------------ request


def test_report_name_is_deterministic_and_changes_with_the_request():
    a = report_params("campaign", D(2026, 1, 1), D(2026, 1, 31), True)
    assert a == report_params("campaign", D(2026, 1, 1), D(2026, 1, 31), True)
    others = [
        report_params("campaign", D(2026, 1, 1), D(2026, 1, 30), True),
        report_params("campaign", D(2026, 1, 1), D(2026, 1, 31), False),
        report_params("ad_group", D(2026, 1, 1), D(2026, 1, 31), True),
        report_params("campaign", D(2026, 1, 1), D(2026, 1, 31), True, "micros=False"),
    ]
    assert len({a["ReportName"], *(o["ReportName"] for o in others)}) == 5
    assert a["ReportType"] == "CAMPAIGN_PERFORMANCE_REPORT"
    assert a["DateRangeType"] == "CUSTOM_DATE" and a["Format"] == "TSV"
    assert a["IncludeVAT"] == "YES"
    ad_group = others[2]
    assert ad_group["ReportType"] == "CUSTOM_REPORT"
    assert {"AdGroupId", "AdGroupName"} <= set(ad_group["FieldNames"])


# ------------------------------------------------------------------ TSV


@pytest.mark.parametrize("title,header,summary", list(itertools.product([True, False], repeat=3)))
def test_every_mix_of_title_column_and_summary_lines_parses(title, header, summary):
    # The title and summary texts are [v] (not confirmed in a primary doc).
    rows = parse_report(tsv(title, header, summary), CAMPAIGN)
    assert [r["CampaignId"] for r in rows] == ["70114501", "70114504"]
    assert rows[1]["Impressions"] is None  # '--'
    assert rows[1]["CampaignName"] == 'РСЯ | "Кухни"'


def test_columns_are_mapped_by_the_header_when_the_server_reorders_them():
    fields = list(CAMPAIGN)
    reordered = [fields[1], fields[0], *fields[2:]]
    rows = [[r[1], r[0], *r[2:]] for r in ROWS]
    parsed = parse_report(tsv(False, True, False, rows, reordered), CAMPAIGN)
    assert parsed[0]["Date"] == "2026-01-01" and parsed[0]["CampaignId"] == "70114501"


def test_bom_crlf_and_empty_report():
    text = "\ufeff" + tsv(False, True, True).replace("\n", "\r\n")
    assert len(parse_report(text, CAMPAIGN)) == 2
    assert parse_report(tsv(True, True, True, rows=[]), CAMPAIGN) == []
    assert parse_report("", CAMPAIGN) == []


@pytest.mark.parametrize(
    "text,message",
    [
        ("<html><body>Bad gateway</body></html>", "HTML"),
        (tsv(False, True, False) + "2026-01-01\t1\n", "columns"),
        (tsv(False, True, True, rows=ROWS).replace("Total rows: 2", "Total rows: 3"), "cut off"),
        (tsv(False, True, True) + "\t".join(ROWS[0]) + "\n", "after the summary"),
    ],
)
def test_a_body_that_is_not_the_report_is_an_error(text, message):
    with pytest.raises(ReportFormatError, match=message):
        parse_report(text, CAMPAIGN)


def test_micros_are_divided_exactly():
    assert parse_money("2469130000", True) == Decimal("2469.13")
    assert parse_money("1", True) == Decimal("0.000001")
    assert parse_money("123456789012345678", True) == Decimal("123456789012.345678")
    assert parse_money(None, True) is None
    with pytest.raises(ReportFormatError, match="micros"):
        parse_money("2469.13", True)  # the server ignored returnMoneyInMicros


def test_decimals_in_any_common_spelling():
    assert parse_money("2469.13", False) == Decimal("2469.13")
    assert parse_decimal("1 234,50") == Decimal("1234.50")
    assert parse_decimal("1\u00a0234.50") == Decimal("1234.50")
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    for bad in ("abc", "NaN", "inf"):
        with pytest.raises(ReportFormatError):
            parse_decimal(bad)


def test_typed_row():
    row = parse_report(tsv(False, True, False), CAMPAIGN)[0]
    typed = typed_row(row, money_in_micros=True)
    assert typed["Date"] == D(2026, 1, 1)
    assert typed["Impressions"] == 2011 and typed["Clicks"] == 41
    assert typed["Cost"] == Decimal("2469.13") and isinstance(typed["Cost"], Decimal)
    with pytest.raises(ReportFormatError, match="Date"):
        typed_row({"Date": "01.01.2026"}, True)
    with pytest.raises(ReportFormatError, match="count"):
        typed_row({"Clicks": "1.5"}, True)
