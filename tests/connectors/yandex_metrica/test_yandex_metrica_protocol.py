"""The Logs API flow and its faults against the fake API, without a pipeline (fast).

The load tests (test_yandex_metrica_load.py) show that an error here fails the dlt run and leaves
the warehouse as it was; these check each fault is retried, split or reported clearly, and that
every request we create is cleaned (or cancelled) whatever happens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_api_yandex_metrica import COUNTER, TOKEN, FakeMetricaApi

from connectors.common.http import SourceApiError
from connectors.yandex_metrica.client import MetricaLogsClient
from connectors.yandex_metrica.flow import export as export_window
from connectors.yandex_metrica.flow import plan
from connectors.yandex_metrica.rows import RowBuilder
from connectors.yandex_metrica.settings import FIELDS

D = dt.date
WINDOW = (D(2026, 3, 1), D(2026, 3, 4))


class Clock:
    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def client(httpserver, fake: FakeMetricaApi, clock: Clock, **kwargs: Any) -> MetricaLogsClient:
    args = {"poll_interval_s": 10, "max_wait_s": 600, **kwargs}
    return MetricaLogsClient(
        fake.register(httpserver), COUNTER, TOKEN, sleep=clock.sleep, clock=clock, **args
    )


def export(c: MetricaLogsClient, window=WINDOW) -> list[dict[str, Any]]:
    """Visits rows of every window of the plan (rejected rows are marked items, skipped)."""
    builder = RowBuilder(COUNTER, ZoneInfo("Europe/Moscow"), "salt")
    rows: list[dict[str, Any]] = []
    for w in plan(c, window):
        for item in export_window(c, w, builder):
            if isinstance(item, list):
                rows.extend(item)
    return rows


@pytest.fixture
def clock():
    return Clock()


# ---------------------------------------------------------------- evaluate and split


def test_possible_false_halves_the_window_until_it_fits(httpserver, clock):
    fake = FakeMetricaApi(max_possible_days=2)
    rows = export(client(httpserver, fake, clock), (D(2026, 2, 27), D(2026, 3, 4)))
    assert len(rows) == 5
    assert fake.created == [
        ("2026-02-27", "2026-02-27"),  # 6 days -> 3 + 3 -> 1 + 2 each
        ("2026-02-28", "2026-03-01"),
        ("2026-03-02", "2026-03-02"),
        ("2026-03-03", "2026-03-04"),
    ]
    assert sorted(fake.cleaned) == [1001, 1002, 1003, 1004]


def test_one_day_still_impossible_is_an_error_before_anything_is_created(httpserver, clock):
    fake = FakeMetricaApi(max_possible_days=0)
    with pytest.raises(SourceApiError, match="cannot export 2026-03-01.*10 GB"):
        export(client(httpserver, fake, clock))
    assert fake.created == []


def test_more_than_a_year_goes_in_yearly_requests(httpserver, clock):
    fake = FakeMetricaApi()
    export(client(httpserver, fake, clock), (D(2025, 1, 1), D(2026, 3, 4)))
    assert fake.created == [("2025-01-01", "2025-12-31"), ("2026-01-01", "2026-03-04")]


# ---------------------------------------------------------------- statuses


def test_awaiting_retry_keeps_polling(httpserver, clock):
    fake = FakeMetricaApi(statuses=("created", "awaiting_retry", "awaiting_retry", "processed"))
    assert len(export(client(httpserver, fake, clock))) == 5
    assert clock.sleeps == [10, 10, 10]


@pytest.mark.parametrize(
    ("status", "cleaned"),
    [("processing_failed", True), ("canceled", False), ("cleaned_automatically_as_too_old", False)],
)
def test_failed_statuses_are_clear_errors(httpserver, clock, status, cleaned):
    fake = FakeMetricaApi(statuses=("created", status))
    with pytest.raises(
        SourceApiError, match=f"1001 for 2026-03-01..2026-03-04 ended as '{status}'"
    ):
        export(client(httpserver, fake, clock))
    assert (fake.cleaned == [1001]) is cleaned  # nothing is left to clean after the other two


def test_waiting_too_long_is_an_error_and_the_request_is_cancelled(httpserver, clock):
    fake = FakeMetricaApi(statuses=("created",))
    with pytest.raises(SourceApiError, match="not processed after 60 s.*max_wait_s"):
        export(client(httpserver, fake, clock, max_wait_s=60))
    assert sum(clock.sleeps) == 60 and fake.canceled == [1001] and fake.cleaned == []


def test_zero_parts_is_no_rows(httpserver, clock):
    fake = FakeMetricaApi(records=[])
    assert export(client(httpserver, fake, clock)) == []
    assert fake.cleaned == [1001] and not [c for c in fake.calls if "download" in c[1]]


# ---------------------------------------------------------------- parts


@pytest.mark.parametrize("fault", ["part_5xx", "bad_gzip", "html_part"])
def test_a_bad_part_download_is_fetched_again(httpserver, clock, fault):
    fake = FakeMetricaApi(parts=2)
    setattr(fake, fault, 2)
    assert len(export(client(httpserver, fake, clock))) == 5
    assert len([c for c in fake.calls if "download" in c[1]]) == 4
    assert fake.cleaned == [1001]


def test_a_part_that_keeps_failing_is_an_error_and_still_cleaned(httpserver, clock):
    fake = FakeMetricaApi()
    fake.part_status = 404
    with pytest.raises(SourceApiError, match="part/0/download answered HTTP 404"):
        export(client(httpserver, fake, clock))
    assert fake.cleaned == [1001]


# ---------------------------------------------------------------- quota and errors


@pytest.mark.parametrize("status", [420, 429])
def test_over_quota_is_retried_with_backoff(httpserver, clock, status):
    fake = FakeMetricaApi()
    fake.quota, fake.quota_status = 3, status
    assert len(export(client(httpserver, fake, clock))) == 5
    assert clock.sleeps[:3] == [1.0, 2.0, 4.0]


def test_retry_after_is_honoured(httpserver, clock):
    fake = FakeMetricaApi()
    fake.quota, fake.retry_after = 1, 17
    export(client(httpserver, fake, clock))
    assert clock.sleeps[0] == 17


def test_quota_that_never_frees_is_a_clear_error(httpserver, clock):
    fake = FakeMetricaApi()
    fake.quota = 100
    with pytest.raises(SourceApiError, match="still failing after 5 attempts .HTTP 420"):
        export(client(httpserver, fake, clock))
    assert fake.created == []


def test_an_html_page_instead_of_json_is_a_clear_error(httpserver, clock):
    fake = FakeMetricaApi()
    fake.html_evaluate = 1
    with pytest.raises(SourceApiError, match="evaluate: the answer is not JSON"):
        export(client(httpserver, fake, clock))


def test_a_date2_of_today_is_refused_by_the_api(httpserver, clock):
    """What the connector never does (windows.py clamps): the fake refuses it like Metrica."""
    fake = FakeMetricaApi()
    with pytest.raises(SourceApiError, match="HTTP 400.*before today"):
        export(client(httpserver, fake, clock), (D(2026, 3, 1), fake.today))


# ---------------------------------------------------------------- stale requests and the 10 GB


def stale(request_id: int, status: str = "processed", fields=tuple(FIELDS)) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "counter_id": int(COUNTER),
        "source": "visits",
        "date1": "2026-02-01",
        "date2": "2026-02-02",
        "fields": list(fields),
        "status": status,
    }


def test_stale_processed_requests_of_ours_are_cleaned_first(httpserver, clock):
    fake = FakeMetricaApi(
        stale=[stale(7), stale(8, "created"), stale(9, fields=("ym:s:visitID",))],
        stale_blocks_quota=2,  # 7 and 9 fill the 10 GB; 9 alone does not
    )
    c = client(httpserver, fake, clock)
    assert c.clean_stale(FIELDS) == [7]
    assert len(export(c)) == 5
    assert fake.cleaned == [7, 1001]  # someone else's request (9) and a pending one are left alone


def test_without_the_stale_clean_a_full_quota_is_reported(httpserver, clock):
    fake = FakeMetricaApi(stale=[stale(7)], stale_blocks_quota=1)
    with pytest.raises(SourceApiError, match="10 GB"):
        export(client(httpserver, fake, clock))
