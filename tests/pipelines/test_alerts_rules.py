"""Rules on a real (small) serving snapshot: late sources by due_days, signals of the last day."""

import datetime as dt

import duckdb
import pytest

from pipelines.alerts.evaluate import read_snapshot, snapshot_conditions
from pipelines.alerts.rules import (
    FailedCheck,
    FreshnessRow,
    check_conditions,
    due_days,
    late_conditions,
    run_failed_condition,
)
from pipelines.settings import ConfigError, SourceConfig, read_settings

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC)  # 03:30 in Moscow, after the nightly run


def make_snapshot(path, freshness, signals, currency="RUB"):
    con = duckdb.connect(str(path))
    con.execute(
        "create table fct_source_freshness (source_system varchar, entity varchar, "
        "last_data_date date, rows_last_7_days bigint, rows_total bigint, as_of_date date)"
    )
    for row in freshness:
        con.execute("insert into fct_source_freshness values (?, ?, ?, ?, ?, ?)", [*row, TODAY])
    con.execute(
        "create table fct_metric_signals (report_date date, kind varchar, subject varchar, "
        "value double, trailing_value double, relative_change double, is_signal boolean, "
        "value_numerator double, value_denominator double, trailing_numerator double, "
        "trailing_denominator double)"
    )
    for row in signals:
        con.execute("insert into fct_metric_signals values (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)", row)
    con.execute(
        "create table publish_meta as select now() as published_at, ? as reporting_currency",
        [currency],
    )
    con.close()
    return path


def _settings(tmp_path, sources="demo", yml=""):
    config = tmp_path / "throughline.yml"
    config.write_text(yml, encoding="utf-8")
    return read_settings(
        config, env={"THROUGHLINE_SOURCES": sources, "THROUGHLINE_DATA_DIR": str(tmp_path)}
    )


FRESH = [
    ("yandex_direct", "ad_spend", dt.date(2026, 11, 22), 40, 300),
    ("metrica", "visits", dt.date(2026, 11, 22), 900, 9000),
    ("amocrm", "deals", dt.date(2026, 11, 20), 3, 270),  # two days behind
    ("calltouch", "calls", dt.date(2026, 11, 21), 5, 60),  # one day behind, due_days 2 below
]
SIGNALS = [
    (dt.date(2026, 11, 22), "cpl", "Paid Search", 15000.0, 10000.0, 0.5, True, 28.0),
    (dt.date(2026, 11, 22), "cpl", "Display", 5000.0, 9000.0, -0.444, False, 30.0),
    (dt.date(2026, 11, 22), "stage_conversion", "visit_to_lead", 0.014, 0.035, -0.6, True, 4284.0),
    (dt.date(2026, 11, 21), "cpl", "Paid Social", 90000.0, 10000.0, 8.0, True, 25.0),  # not latest
]


def test_snapshot_rows_give_late_sources_and_latest_signals(tmp_path):
    settings = _settings(tmp_path, yml="sources:\n  calltouch:\n    due_days: 2\n")
    path = make_snapshot(tmp_path / "serving.duckdb", FRESH, SIGNALS, currency="USD")
    snapshot = read_snapshot(path, "RUB")
    assert snapshot.currency == "USD" and len(snapshot.freshness) == 4
    assert {s.report_date for s in snapshot.signals} == {dt.date(2026, 11, 22)}

    conditions, scopes = snapshot_conditions(settings, snapshot, NOW)
    assert scopes == {"late", "signal"}
    by_id = {c.id: c for c in conditions}
    assert set(by_id) == {
        "late:amocrm:deals",
        "signal:cpl:Paid Search",
        "signal:stage_conversion:visit_to_lead",
    }
    late = by_id["late:amocrm:deals"].message
    assert "up to 2026-11-20" in late and "data for 2026-11-22" in late and "in total: 270" in late
    assert "RU: amocrm опаздывает (сделки): последние данные за 20.11.2026" in late
    cpl = by_id["signal:cpl:Paid Search"]
    assert cpl.title == "CPL of Paid Search up 50%"
    assert "15,000 USD against a trailing average of 10,000 USD (+50%; 28 leads" in cpl.message
    conv = by_id["signal:stage_conversion:visit_to_lead"]
    assert conv.title == "Visit → lead conversion down 60%"
    assert "1.40% against a trailing average of 3.50% (\u221260%; 4,284 visits" in conv.message
    assert "RU: Конверсия визит → лид за 22.11.2026: 1,40% при среднем 3,50%" in conv.message


def test_a_snapshot_without_the_alert_marts_judges_nothing(tmp_path):
    path = tmp_path / "serving.duckdb"
    duckdb.connect(str(path)).close()
    conditions, scopes = snapshot_conditions(_settings(tmp_path), read_snapshot(path, "RUB"), NOW)
    assert conditions == [] and scopes == set()


@pytest.mark.parametrize(
    ("last", "days", "late"),
    [(dt.date(2026, 11, 22), 1, False), (dt.date(2026, 11, 21), 1, True),
     (dt.date(2026, 11, 21), 2, False), (dt.date(2026, 11, 23), 0, False),
     (dt.date(2026, 11, 22), 0, True), (None, 5, True)],
)  # fmt: skip
def test_data_for_day_d_is_due_by_the_run_of_d_plus_due_days(last, days, late):
    sources = {"yandex_direct": SourceConfig(enabled=True, due_days=days)}
    rows = [FreshnessRow("yandex_direct", "ad_spend", last, 0, 1)]
    found = late_conditions(rows, sources, [], (), TODAY)
    assert [c.id for c in found] == (["late:yandex_direct:ad_spend"] if late else [])


def test_due_days_per_entity_and_its_errors():
    sources = {
        "amocrm": SourceConfig(due_days={"default": 2, "calls": 4}),
        "bad": SourceConfig(due_days="soon"),
    }
    assert due_days(sources, "amocrm", "deals") == 2
    assert due_days(sources, "amocrm", "calls") == 4
    assert due_days(sources, "metrica", "visits") == 1  # not configured: the default
    with pytest.raises(ConfigError, match=r"sources\.bad\.due_days.*'soon'"):
        due_days(sources, "bad", "deals")


def test_an_enabled_source_without_rows_is_late():
    rows = [FreshnessRow("metrica", "visits", TODAY, 1, 1)]  # the demo's systems
    api = ("yandex_direct", "amocrm")
    found = late_conditions(rows, {}, ["demo", "yandex_direct", "amocrm"], api, TODAY)
    assert [c.id for c in found] == ["late:yandex_direct:all", "late:amocrm:all"]
    assert "RU: Источник amocrm включён, но данных от него нет." in found[1].message
    # the demo carries other systems' names: empty only when no such row exists at all
    assert [c.id for c in late_conditions([], {}, ["demo"], api, TODAY)] == ["late:demo:all"]
    own_only = [FreshnessRow("amocrm", "deals", TODAY, 1, 1)]
    assert [c.id for c in late_conditions(own_only, {}, ["demo", "amocrm"], api, TODAY)] == [
        "late:demo:all"
    ]


def test_run_and_check_conditions_name_steps_and_checks():
    checks = [FailedCheck("marts/fct_deals", "unique_fct_deals_deal_key", "ERROR")]
    run = run_failed_condition("nightly", "abc123", ["dbt_models"], checks)
    assert run.id == "run:nightly:dbt_models"
    assert run_failed_condition("nightly", "r", ["b", "a"], []).id == "run:nightly:a+b"
    assert run_failed_condition("nightly", "r", [], []).id == "run:nightly"
    assert "failed in step(s): dbt_models. Failed checks: unique_fct_deals_deal_key." in run.message
    [check] = check_conditions(checks)
    assert check.id == "check:marts/fct_deals:unique_fct_deals_deal_key"
    assert "(severity ERROR)" in check.message
