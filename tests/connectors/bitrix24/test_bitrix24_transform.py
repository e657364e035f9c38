"""Pure parsing of Bitrix24 values (no HTTP, no dlt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from connectors.bitrix24 import transform as tf
from connectors.bitrix24.options import day_window


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1500.00", Decimal("1500.00")),
        ("0.00", Decimal("0.00")),
        ("1 234,50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        (1500, Decimal("1500")),
        ("", None),
        ("--", None),
        (None, None),
        ("abc", None),
        ("NaN", None),
    ],
)
def test_parse_money(value, expected):
    assert tf.parse_money(value) == expected


def test_parse_ts_converts_the_portal_offset_to_utc():
    assert tf.parse_ts("2024-09-02T18:37:18+02:00") == dt.datetime(
        2024, 9, 2, 16, 37, 18, tzinfo=dt.UTC
    )
    assert tf.parse_ts("2024-03-31T03:30:00+03:00") == dt.datetime(
        2024, 3, 31, 0, 30, tzinfo=dt.UTC
    )
    assert tf.parse_ts("") is None and tf.parse_ts("yesterday") is None


@pytest.mark.parametrize(
    ("stage_id", "category", "expected"),
    [
        ("C3:WON", "3", ("3", "WON")),
        ("C12:UC_AB12", None, ("12", "UC_AB12")),  # CATEGORY_ID not selected: from the prefix
        ("NEW", "0", ("0", "NEW")),
        ("PREPARATION", None, ("0", "PREPARATION")),
        (None, "2", ("2", None)),
    ],
)
def test_split_stage_strips_the_pipeline_prefix(stage_id, category, expected):
    assert tf.split_stage(stage_id, category) == expected


@pytest.mark.parametrize(
    ("semantic", "stage", "expected"),
    [
        ("S", "UC_1", ("won", "semantic")),
        ("F", "UC_2", ("lost", "semantic")),
        ("P", "WON", ("open", "semantic")),  # the semantic wins over the id
        (None, "WON", ("won", "stage_id")),
        (None, "LOSE", ("lost", "stage_id")),
        (None, "APOLOGY", ("lost", "stage_id")),
        (None, "EXECUTING", ("open", "stage_id")),
        (None, "UC_FAIL", ("open", "unknown")),
        ("X", "UC_FAIL", ("open", "unknown")),
    ],
)
def test_deal_status(semantic, stage, expected):
    assert tf.deal_status(semantic, stage) == expected


def test_link_fields_take_the_first_non_empty_value():
    row = {"UF_A": "", "UF_B": ["", "b1", "b2"], "UF_C": "c"}
    assert tf.first_value(row, ("UF_A", "UF_B", "UF_C")) == "b1"
    assert tf.first_value(row, ("UF_MISSING",)) is None
    assert tf.normalize_field_map({"click_id": "uf_crm_1", "client_id": ["UF_2", " "]}) == {
        "click_id": ("UF_CRM_1",),
        "client_id": ("UF_2",),
    }


def test_known_ids_are_kept_as_ranges():
    ranges = tf.merge_ranges([[1, 3]], {4, 5, 9})
    assert ranges == [[1, 5], [9, 9]]
    assert tf.range_ids(ranges) == {1, 2, 3, 4, 5, 9}


def test_day_window_is_the_portal_calendar_in_utc():
    window = day_window(dt.date(2024, 3, 30), dt.date(2024, 3, 31), "Europe/Berlin")  # DST night
    assert window is not None
    assert window.start == dt.datetime(2024, 3, 29, 23, tzinfo=dt.UTC)
    assert window.end == dt.datetime(2024, 3, 31, 22, tzinfo=dt.UTC)
