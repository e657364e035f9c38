"""The Metrica connector against the fake Logs API, through a real dlt pipeline into DuckDB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dlt
import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api_yandex_metrica import COUNTER, TOKEN, FakeMetricaApi, sample_records

from connectors.yandex_metrica import from_options

D = dt.date
TODAY = D(2026, 3, 5)  # the fake's "today" in the counter's zone: the sample spans 03-01..03-03
SALT = "test-salt"
ENV = {"YANDEX_METRICA_TOKEN": TOKEN}


class Clock:
    """A fake monotonic clock that only moves when the code sleeps."""

    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def source(
    base_url: str, clock: Clock | None = None, *, today: D = TODAY, start=None, end=None, **options
):
    clock = clock or Clock()
    opts = {"base_url": base_url, "counter_id": COUNTER, "poll_interval_s": 5, **options}
    return from_options(opts, ENV, SALT, start, end, today=today, sleep=clock.sleep, clock=clock)


def run(tmp_path: Path, src) -> Path:
    db = tmp_path / "wh.duckdb"
    pipeline = dlt.pipeline(
        pipeline_name="ym_test",
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw_yandex_metrica",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    pipeline.run(src)
    return db


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def count(db: Path, table: str = "visits") -> int:
    return query(db, f"select count(*) from raw_yandex_metrica.{table}")[0][0]


def all_text(db: Path) -> str:
    """Every text value of every table in the file, for the secret / PII scans."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON')"
        ).fetchall()
        return "\n".join(
            str(v[0])
            for schema, table, column in columns
            for v in con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
        )


@pytest.fixture
def fake():
    return FakeMetricaApi()


@pytest.fixture
def base_url(httpserver, fake):
    return fake.register(httpserver)


# ---------------------------------------------------------------- a complete load


def test_loads_every_visit_with_utc_times_and_cleans_the_request(tmp_path, httpserver, client_logs):
    fake = FakeMetricaApi(parts=2, bom=True, statuses=("created", "awaiting_retry", "processed"))
    clock = Clock()
    db = run(tmp_path, source(fake.register(httpserver), clock, start=D(2026, 3, 1)))

    assert count(db) == 5 and count(db, "rejected_rows") == 0
    first = query(
        db,
        "select visit_id, ym_visit_id, client_id, started_at, date_time, utm_campaign, "
        "last_direct_click_order, device_category, page_views, is_new_user, goals_id "
        "from raw_yandex_metrica.visits where ym_visit_id = '9000000000000000001'",
    )[0]
    assert first[:3] == (
        f"{COUNTER}:9000000000000000001",
        "9000000000000000001",
        "1700000000111111111",
    )
    assert first[3] == dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)  # 10:00 Moscow
    assert first[4:10] == ("2026-03-01 10:00:00", "spring_sale", "55501", 1, 4, True)
    assert json.loads(first[10]) == [101, 202]
    # escaped tab and newline survive; the late-evening Moscow visit is the previous UTC day
    tabbed = query(
        db,
        "select start_url, referer, started_at from raw_yandex_metrica.visits "
        "where ym_visit_id = '3'",
    )[0]
    assert tabbed[0] == "https://shop.example/a\tb?gclid=G-3"
    assert tabbed[1] == "https://www.google.com/search?q=shop\nline2"
    assert tabbed[2] == dt.datetime(2026, 3, 1, 21, 15, tzinfo=dt.UTC)

    assert fake.created == [("2026-03-01", "2026-03-04")]  # yesterday, never today
    assert fake.cleaned == [1001] and fake.canceled == []
    assert fake.calls[0] == ("GET", f"{COUNTER}/logrequests")  # stale requests cleaned first
    methods = [c for c in fake.calls if "download" in c[1]]
    assert len(methods) == 2  # both parts
    assert clock.sleeps == [5, 5]  # created -> awaiting_retry -> processed
    assert TOKEN not in client_logs()


def test_rerunning_a_window_replaces_rows_instead_of_doubling(tmp_path, httpserver, fake, base_url):
    window = {"start": D(2026, 3, 1), "end": D(2026, 3, 3)}
    db = run(tmp_path, source(base_url, **window))
    db = run(tmp_path, source(base_url, **window))
    assert count(db) == 5
    fake.records[-1]["ym:s:pageViews"] = 9  # Metrica finished the session: more page views
    db = run(tmp_path, source(base_url, **window))
    assert count(db) == 5
    assert query(
        db, "select page_views from raw_yandex_metrica.visits where ym_visit_id = '5'"
    ) == [(9,)]
    assert len(fake.cleaned) == 3


def test_incremental_runs_restate_three_days_and_catch_up(tmp_path, httpserver, fake, base_url):
    db = run(tmp_path, source(base_url, start_date="2026-03-01"))  # first run, today 03-05
    assert count(db) == 5
    fake.records.append(
        {**sample_records()[-1], "ym:s:visitID": "6", "ym:s:dateTime": "2026-03-05 09:00:00"}
    )
    fake.today = D(2026, 3, 6)
    db = run(tmp_path, source(base_url, today=D(2026, 3, 6), start_date="2026-03-01"))
    assert count(db) == 6
    fake.today = D(2026, 3, 12)  # five nightly runs missed
    run(tmp_path, source(base_url, today=D(2026, 3, 12), start_date="2026-03-01"))
    assert fake.created == [
        ("2026-03-01", "2026-03-04"),
        ("2026-03-03", "2026-03-05"),  # the last 3 days again
        ("2026-03-06", "2026-03-11"),  # everything missed, up to yesterday
    ]


def test_first_run_without_start_date_goes_30_days_back(tmp_path, httpserver, fake, base_url):
    src = source(base_url, clean_stale_requests=False)
    dlt.pipeline("ym_extract", pipelines_dir=str(tmp_path / "dlt")).extract(src)
    assert fake.created == [("2026-02-03", "2026-03-04")]
    assert ("GET", f"{COUNTER}/logrequests") not in fake.calls


def test_a_window_of_only_today_requests_nothing(tmp_path, httpserver, fake, base_url):
    db = run(tmp_path, source(base_url, start=TODAY, end=TODAY))
    assert count(db) == 0 and count(db, "rejected_rows") == 0  # the tables exist, empty
    assert fake.calls == []


def test_bad_lines_are_quarantined_with_a_reason(tmp_path, httpserver):
    records = sample_records()
    records[1]["ym:s:dateTime"] = "2026-03-01 25:99:00"
    records[2]["ym:s:pageViews"] = "lots"
    base = FakeMetricaApi(records).register(httpserver)
    db = run(tmp_path, source(base, start=D(2026, 3, 1)))
    assert count(db) == 3
    reasons = dict(query(db, "select source_row, reason from raw_yandex_metrica.rejected_rows"))
    assert len(reasons) == 2 and "ym:s:pageViews is not a number" in " ".join(reasons.values())
    assert any("unparseable ym:s:dateTime" in r for r in reasons.values())
    run(tmp_path, source(base, start=D(2026, 3, 1)))
    assert count(db, "rejected_rows") == 2  # the same bad lines again are not listed twice


# ---------------------------------------------------------------- failures change nothing


def test_a_failed_request_is_a_clear_error_and_loads_nothing(tmp_path, httpserver):
    status = "processing_failed"  # the other failed statuses: test_yandex_metrica_protocol.py
    fake = FakeMetricaApi()
    base = fake.register(httpserver)
    db = run(tmp_path, source(base, start_date="2026-03-01"))
    fake.records[-1]["ym:s:pageViews"] = 100  # visit 5, 03-03: inside the restated days
    fake.statuses = ["created", status]
    fake.today = D(2026, 3, 6)
    with pytest.raises(PipelineStepFailed) as failure:
        run(tmp_path, source(base, today=D(2026, 3, 6), start_date="2026-03-01"))
    assert f"ended as '{status}'" in str(failure.value) and TOKEN not in str(failure.value)
    assert count(db) == 5
    assert query(db, "select max(page_views) from raw_yandex_metrica.visits") == [(7,)]
    assert 1002 in fake.cleaned  # cleaned although the run failed
    # the cursor did not move: the next run asks for the same days again
    fake.statuses = ["created", "processed"]
    run(tmp_path, source(base, today=D(2026, 3, 6), start_date="2026-03-01"))
    assert fake.created[-1] == fake.created[-2] == ("2026-03-03", "2026-03-05")
    assert query(db, "select max(page_views) from raw_yandex_metrica.visits") == [(100,)]


def test_no_secret_and_no_email_anywhere(tmp_path, httpserver, client_logs):
    fake = FakeMetricaApi()
    fake.quota, fake.part_5xx = 1, 1
    db = run(tmp_path, source(fake.register(httpserver), start=D(2026, 3, 1)))
    text = all_text(db)
    assert count(db) == 5 and TOKEN not in text and TOKEN not in client_logs()
    # nor in dlt's own files (state, schemas, load packages, trace)
    for path in (tmp_path / "dlt").rglob("*"):
        assert not path.is_file() or TOKEN.encode() not in path.read_bytes(), path
    assert "petrov" not in text.lower() and "%40mail" not in text.lower()
    assert "email=email-" in text  # the address is replaced by its salted hash
    wrong = FakeMetricaApi(token="another-token-0000")
    httpserver.clear()
    with pytest.raises(PipelineStepFailed) as failure:
        run(tmp_path, source(wrong.register(httpserver), start=D(2026, 3, 1)))
    message = str(failure.value)
    assert "HTTP 403" in message and "YANDEX_METRICA_TOKEN" in message and TOKEN not in message
    assert len(wrong.calls) == 1  # not retried
    assert TOKEN not in client_logs() and count(db) == 5
