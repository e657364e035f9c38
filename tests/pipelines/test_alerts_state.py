"""Each alert fires once, stays quiet while it holds, and resolves once: through a real receiver."""

import datetime as dt
import json

from pipelines.alerts.evaluate import deliver
from pipelines.alerts.notify import Notifier
from pipelines.alerts.state import FIRING, RESOLVED, AlertState, Condition

NOW = dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC)
LATE = Condition(
    "late:yandex_direct:ad_spend", "Late data: yandex_direct ad_spend", "2 days behind"
)
CPL = Condition("signal:cpl:Paid Search", "CPL of Paid Search up 60%", "15,000 RUB vs 9,375 RUB")
RUN = Condition("run:nightly", "The nightly run failed", "step dbt_models")


def _received(httpserver):
    return [(r.get_json()["title"], r.get_json()["message"]) for r, _ in httpserver.log]


def _notifier(httpserver):
    return Notifier([f"json://127.0.0.1:{httpserver.port}/alerts/tok-51d0c"])


def test_fire_once_stay_quiet_then_resolve(tmp_path, httpserver):
    httpserver.expect_request("/alerts/tok-51d0c", method="POST").respond_with_data("ok")
    path, notifier = tmp_path / "alerts.json", _notifier(httpserver)
    scopes = {"late", "signal"}

    sent = deliver([LATE, CPL], scopes, path, notifier, NOW)
    assert [(t.status, t.alert_id) for t in sent] == [(FIRING, LATE.id), (FIRING, CPL.id)]
    assert _received(httpserver) == [
        ("[Throughline] FIRING: Late data: yandex_direct ad_spend", "2 days behind"),
        ("[Throughline] FIRING: CPL of Paid Search up 60%", "15,000 RUB vs 9,375 RUB"),
    ]

    later = NOW + dt.timedelta(days=1)
    assert deliver([LATE, CPL], scopes, path, notifier, later) == []  # still true: nothing new
    assert len(httpserver.log) == 2

    sent = deliver([LATE], scopes, path, notifier, later + dt.timedelta(days=1))
    assert [(t.status, t.alert_id) for t in sent] == [(RESOLVED, CPL.id)]
    title, body = _received(httpserver)[-1]
    assert title == "[Throughline] RESOLVED: CPL of Paid Search up 60%"
    assert "open since 2026-11-23T00:30:00+00:00" in body and "15,000 RUB vs 9,375 RUB" in body
    assert set(json.loads(path.read_text())["open"]) == {LATE.id}

    # the same condition coming back later is news again
    assert [t.status for t in deliver([LATE, CPL], scopes, path, notifier, later)] == [FIRING]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alerts.json", "alerts.json.lock"]


def test_only_evaluated_scopes_resolve(tmp_path, httpserver):
    httpserver.expect_request("/alerts/tok-51d0c").respond_with_data("ok")
    path, notifier = tmp_path / "alerts.json", _notifier(httpserver)
    deliver([RUN, LATE], {"run", "late"}, path, notifier, NOW)
    # a failed run evaluates no scope: a new condition fires, nothing clears
    assert deliver([RUN], set(), path, notifier, NOW) == []
    # the next successful run judges everything: the run alert clears, the late one stays
    sent = deliver([LATE], {"run", "late", "signal", "check"}, path, notifier, NOW)
    assert [(t.status, t.alert_id) for t in sent] == [(RESOLVED, RUN.id)]


def test_an_undelivered_alert_is_sent_at_the_next_evaluation(tmp_path, httpserver):
    path, notifier = tmp_path / "alerts.json", _notifier(httpserver)
    httpserver.expect_oneshot_request("/alerts/tok-51d0c").respond_with_data("down", status=503)
    assert deliver([LATE], {"late"}, path, notifier, NOW) == []
    assert AlertState.load(path).open == {}
    httpserver.expect_request("/alerts/tok-51d0c").respond_with_data("ok")
    assert [t.alert_id for t in deliver([LATE], {"late"}, path, notifier, NOW)] == [LATE.id]
    assert len(httpserver.log) == 2


def test_the_state_file_is_replaced_whole(tmp_path):
    path = tmp_path / "alerts.json"
    state = AlertState()
    state.open["late:x:visits"] = {"title": "Late data: x visits", "message": "m", "since": "s"}
    state.save(path)
    assert AlertState.load(path).open == state.open
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alerts.json"]  # no temp file left


def test_a_different_failure_replaces_the_open_one_and_a_good_run_clears_it(tmp_path, httpserver):
    from pipelines.alerts.evaluate import after_failure, after_success
    from pipelines.settings import read_settings

    httpserver.expect_request("/alerts/tok-51d0c").respond_with_data("ok")
    url = f"json://127.0.0.1:{httpserver.port}/alerts/tok-51d0c"
    settings = read_settings(
        tmp_path / "throughline.yml",
        env={"THROUGHLINE_DATA_DIR": str(tmp_path), "THROUGHLINE_ALERT_URLS": url},
    )

    def news(transitions):
        return [(t.status, t.alert_id) for t in transitions]

    first = after_failure(settings, "nightly", "run-1", ["ingest_amocrm"], now=NOW)
    assert news(first) == [(FIRING, "run:nightly:ingest_amocrm")]
    assert after_failure(settings, "nightly", "run-2", ["ingest_amocrm"], now=NOW) == []
    assert news(after_failure(settings, "nightly", "run-3", ["dbt_models"], now=NOW)) == [
        (FIRING, "run:nightly:dbt_models"),
        (RESOLVED, "run:nightly:ingest_amocrm"),
    ]
    # no snapshot published yet: only the run alert is judged
    assert news(after_success(settings, now=NOW)) == [(RESOLVED, "run:nightly:dbt_models")]
    assert "run-3" in httpserver.log[-1][0].get_json()["message"]
