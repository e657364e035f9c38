"""The late-source banner (AppTest on the fixture snapshot) and the lateness rule (pure).

Fixture: published 2025-02-01 06:30 MSK; every source's last data day is 2025-01-31 (on time
with due_days 1) until a test moves it back (tests/dashboards/fixture_health.py).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import data_health
from pipelines.settings import load_settings
from tests.dashboards import fixture_health as fh

TIMEOUT_S = 60
D = dt.date
PUBLISHED = D(2025, 2, 1)


def _page_with_banner() -> None:
    import streamlit as st

    from dashboards import data, health_banner

    late = health_banner.show_if_late(data.current_snapshot())
    st.write(f"late: [{','.join(s.source_system for s in late)}]")


def _run(**context) -> AppTest:
    at = AppTest.from_function(_page_with_banner, default_timeout=TIMEOUT_S)
    if context:
        at.context = context
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch):
    """Settings read again from the environment this test sets (and again after it)."""
    load_settings.cache_clear()
    yield monkeypatch
    load_settings.cache_clear()


def test_no_banner_while_every_source_is_on_time(serving_path):
    at = _run()
    assert not at.warning
    assert at.markdown[0].value == "late: []"


def test_banner_names_the_late_sources(serving_path):
    fh.set_last_day(serving_path, "vk_ads", "ad_spend", D(2025, 1, 28))
    fh.set_last_day(serving_path, "crm", "deals", D(2025, 1, 30))  # 2 days > 1: late
    at = _run()
    [banner] = at.warning
    assert banner.value == (
        "Late data: crm (deals up to 2025-01-30), vk_ads (ad spend up to 2025-01-28). "
        "The latest days are incomplete — see the Data health page."
    )
    assert at.markdown[0].value == "late: [crm,vk_ads]"


def test_banner_in_russian(serving_path):
    fh.set_last_day(serving_path, "metrika", "visits", None)
    at = _run(locale="ru-RU")
    assert at.warning[0].value == (
        "Данные опаздывают: metrika (визиты: нет дат). Последние дни неполные — подробности на "
        "странице «Качество данных»."
    )


def test_due_days_from_the_configuration(serving_path, fresh_settings):
    fresh_settings.setenv("THROUGHLINE_SOURCES__CRM__DUE_DAYS", "2")
    fh.set_last_day(serving_path, "crm", "deals", D(2025, 1, 30))
    assert not _run().warning  # 2 days behind, 2 allowed
    fh.set_last_day(serving_path, "crm", "deals", D(2025, 1, 29))
    assert "crm (deals up to 2025-01-29)" in _run().warning[0].value


def test_no_banner_without_a_snapshot(missing_serving_path):
    at = _run()
    assert not at.warning
    assert at.markdown[0].value == "late: []"


def test_no_banner_from_a_snapshot_without_freshness(serving_path):
    import duckdb

    con = duckdb.connect(str(serving_path))
    con.execute("drop table fct_source_freshness")
    con.close()
    assert not _run().warning


# --- pure: the rule ---------------------------------------------------------------------------


def _freshness(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["source_system", "entity", "last_data_date", "rows_last_7_days", "rows_total"],
    )


def _one_day(source_system: str, entity: str) -> int:
    return 1


@pytest.mark.parametrize(
    ("last", "due", "late"),
    [
        (D(2025, 1, 31), 1, False),  # yesterday's data, due 1 day: on time
        (D(2025, 1, 30), 1, True),  # 2 days > 1
        (D(2025, 1, 30), 2, False),  # exactly due_days behind is still on time
        (D(2025, 2, 1), 0, False),  # due 0: today's data expected, and there
        (D(2025, 1, 31), 0, True),
        (None, 5, True),  # no data day at all
    ],
)
def test_is_late(last, due, late):
    assert data_health.is_late(last, PUBLISHED, due) is late


def test_due_days_lookup():
    sources = {
        "vk_ads": SimpleNamespace(due_days=3),  # a SourceConfig with an extra field
        "crm": {"due_days": {"deals": 2, "default": 4}},
        "metrika": {"due_days": {"visits": 0}},
        "bad": {"due_days": "soon"},
        "negative": {"due_days": -1},
        "flag": {"due_days": True},
        "plain": SimpleNamespace(),
    }
    assert data_health.due_days(sources, "vk_ads", "ad_spend") == 3
    assert data_health.due_days(sources, "crm", "deals") == 2
    assert data_health.due_days(sources, "crm", "calls") == 4
    assert data_health.due_days(sources, "metrika", "visits") == 0
    assert data_health.due_days(sources, "metrika", "calls") == 1  # no default in the mapping
    for name in ("bad", "negative", "flag", "plain", "unknown"):
        assert data_health.due_days(sources, name, "deals") == data_health.DEFAULT_DUE_DAYS


def test_late_sources_group_entities_by_source():
    freshness = _freshness(
        ("crm", "deals", D(2025, 1, 20), 0, 10),
        ("crm", "calls", D(2025, 1, 29), 3, 10),
        ("crm", "ad_spend", D(2025, 1, 31), 3, 10),
        ("vk_ads", "ad_spend", None, 0, 2),
    )
    found = data_health.late_sources(freshness, PUBLISHED, _one_day, ["crm", "vk_ads"])
    assert found == [
        data_health.Late("crm", (("deals", D(2025, 1, 20)), ("calls", D(2025, 1, 29)))),
        data_health.Late("vk_ads", (("ad_spend", None),)),
    ]


def test_an_enabled_source_without_rows():
    freshness = _freshness(("yandex_direct", "ad_spend", D(2025, 1, 31), 7, 70))
    # every row comes from an enabled source's own name: amocrm has none at all
    found = data_health.late_sources(freshness, PUBLISHED, _one_day, ["yandex_direct", "amocrm"])
    assert found == [data_health.Late("amocrm", ())]
    # the demo carries systems of other names: a missing name cannot be told apart
    assert data_health.late_sources(freshness, PUBLISHED, _one_day, ["demo"]) == []
    # nothing loaded at all
    assert data_health.late_sources(_freshness(), PUBLISHED, _one_day, ["demo"]) == [
        data_health.Late("demo", ())
    ]


def test_with_lateness_columns():
    out = data_health.with_lateness(
        _freshness(("a", "visits", D(2025, 1, 25), 1, 2), ("b", "deals", None, 0, 0)),
        PUBLISHED,
        lambda system, entity: 7 if system == "a" else 1,
    )
    assert list(out["due_days"]) == [7, 1]
    assert out["days_behind"].iloc[0] == 7.0 and pd.isna(out["days_behind"].iloc[1])
    assert list(out["is_late"]) == [False, True]


def test_run_record(tmp_path):
    path = tmp_path / "last_run.json"
    assert data_health.read_run_record(path) is None
    path.write_text(
        '{"status": "failure", "finished_at": "2025-02-02T00:15:00", "failed_steps": ["ingest"],'
        ' "warnings": ["test.throughline.accepted_values_fct_deals_match_rule.0a1b2c3d4e"]}',
        encoding="utf-8",
    )
    record = data_health.read_run_record(path)
    assert record.status == "failure"
    assert record.finished_at == dt.datetime(2025, 2, 2, 0, 15, tzinfo=dt.UTC)  # naive = UTC
    assert record.failed_steps == ("ingest",)
    assert list(data_health.warnings_frame(record)["check"]) == [
        "accepted_values_fct_deals_match_rule"
    ]
    path.write_text("[1, 2]", encoding="utf-8")
    assert data_health.read_run_record(path) is None
    path.write_text('{"status": "success"}', encoding="utf-8")
    record = data_health.read_run_record(path)
    assert (record.status, record.finished_at, record.warnings) == ("success", None, ())


@pytest.mark.parametrize(
    ("unique_id", "name"),
    [
        ("test.throughline.not_null_fct_deals_manager.1a2b3c4d5e", "not_null_fct_deals_manager"),
        ("test.throughline.unique_fct_deals_deal_key", "unique_fct_deals_deal_key"),
        ("unit_test.throughline.fct_deals.stitching", "fct_deals.stitching"),
        ("something else", "something else"),
    ],
)
def test_check_name(unique_id, name):
    assert data_health.check_name(unique_id) == name
