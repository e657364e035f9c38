"""Resilience of the nightly job and the dashboards, with real processes.

- A build SIGKILLed at any point (during ingest, in the middle of dbt, right while the snapshot is
  being written) leaves the published ``serving.duckdb`` as it was (or, past the rename, a whole
  new one equal to it); the dashboards' data layer still opens it and answers; and simply running
  the build again succeeds and gives the same marts.
- While a full build runs and publishes over the served snapshot, the dashboards' server keeps
  answering and the page queries (read-only ATTACH, as ``dashboards/data.py`` does) never fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from nightly_helpers import REPO, mart_rows

pytestmark = pytest.mark.slow

SEED = 20261031  # the kill points are random, but the same on every run
BUILD_TIMEOUT_S = 420  # generous on two shared cores; a hang (e.g. a lock never freed) fails
TMP_GLOB = ".serving.duckdb.*.tmp*"  # publish_snapshot's temporary file (and its WAL, if any)
STUCK = re.compile(r"blocked by limit for pool")  # Dagster: a step waits for a concurrency slot


# --- a build in a subprocess, killable at a chosen phase --------------------------------------


class Build:
    """``python -m pipelines.cli build`` in its own process group (dagster, dbt and all), its
    merged output read line by line on a thread so a pipe never fills and stalls the child."""

    def __init__(self, env: dict[str, str]) -> None:
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "build"],
            cwd=REPO,
            env={**env, "PYTHONUNBUFFERED": "1"},  # markers arrive as they happen
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._done = False
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._done = True
            self._cond.notify_all()

    def wait_for(self, pattern: str | None, timeout: float = BUILD_TIMEOUT_S) -> re.Match | None:
        """The first output line matching ``pattern`` (None: wait for the build to end).

        Fails, killing the build, if it ends first, times out, or waits on a Dagster pool slot:
        no other build uses this data dir, so the slot is held by a run that no longer exists
        and the wait would never end."""
        regex = re.compile(pattern) if pattern else None
        deadline = time.monotonic() + timeout
        seen, problem = 0, None
        with self._cond:
            while problem is None:
                for line in self.lines[seen:]:
                    if regex and (m := regex.search(line)):
                        return m
                    if STUCK.search(line):
                        problem = (
                            "the build waits for a Dagster pool slot that a killed run still "
                            "holds (a re-run must not need a hand-cleaned instance)"
                        )
                        break
                seen = len(self.lines)
                if problem:
                    break
                if self._done:
                    if regex is None:
                        return None
                    problem = f"build ended (rc={self.proc.wait()}) before {pattern!r}"
                elif time.monotonic() >= deadline:
                    problem = f"no {pattern or 'end of the build'!r} in {timeout}s"
                else:
                    self._cond.wait(min(deadline - time.monotonic(), 1.0))
        self.kill()
        raise AssertionError(f"{problem}:\n{self.tail()}")

    def wait(self, timeout: float = BUILD_TIMEOUT_S) -> int:
        self.wait_for(None, timeout)
        self._reader.join(30)
        return self.proc.wait()

    def kill(self) -> None:
        """SIGKILL the whole group at once, as an OOM killer or a power cut would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._reader.join(30)
        deadline = time.monotonic() + 10
        while (left := _live_members(self.proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert left == [], f"still running after SIGKILL of the group: {left}"

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def tail(self, n: int = 4000) -> str:
        with self._cond:
            return "".join(self.lines)[-n:]


def _live_members(pgid: int) -> list[str]:
    """Processes (zombies aside) still in process group ``pgid``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(f"{proc.name} {stat[:80]}")
    return found


# --- what the readers see ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _published_at(serving: Path):
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return con.execute("select max(published_at) from publish_meta").fetchone()[0]
    finally:
        con.close()


def _attached_query(serving: Path) -> tuple:
    """A page query the way dashboards/data.py runs it: a fresh in-memory DuckDB with the
    snapshot ATTACHed read-only (never the warehouse, never a write lock)."""
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        con.execute("attach ? as serving (read_only)", [str(serving)])
        return con.execute(
            "select count(*), sum(visits), sum(leads), sum(cost) "
            "from serving.fct_channel_daily where attribution_model = 'last_touch'"
        ).fetchone()
    finally:
        con.close()


def _dashboard_answer(serving: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, float]:
    """The dashboards' own data layer on ``serving``: the default model and its total visits
    over the snapshot's whole date range (caches dropped, so the file is really read)."""
    import streamlit as st

    from dashboards import data

    monkeypatch.setenv(data.SERVING_PATH_ENV, str(serving))
    st.cache_data.clear()
    st.cache_resource.clear()
    snapshot = data.current_snapshot()
    assert snapshot is not None, f"no snapshot at {serving}"
    meta = data.publish_meta(snapshot)
    bounds = data.date_bounds(snapshot)
    assert bounds is not None, "the snapshot has no rows"
    total = data.channel_performance(snapshot, *bounds, meta.default_model, level="total")
    assert len(total) == 1
    return meta.default_model, float(total["visits"].iloc[0])


def _copy_data_dir(src: Path, dst: Path) -> Path:
    # dagster_home: a previous run's instance is not ours to reuse (the kills make their own)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.wal", "dagster_home"))
    return dst


# --- 1. kill the build at random points ---------------------------------------------------------


def _kill_during_ingest(build: Build, rng: random.Random, serving: Path) -> str:
    build.wait_for(r"ingest_demo - STEP_START")
    delay = rng.uniform(0.2, 1.5)  # the demo ingest takes ~2 s
    time.sleep(delay)
    return f"ingest (+{delay:.2f}s after its STEP_START)"


def _kill_during_dbt(build: Build, rng: random.Random, serving: Path) -> str:
    build.wait_for(r"dbt_models - STEP_START")
    # nodes, not the on-run-start hook ("1 of 1 START hook: ...")
    total = int(build.wait_for(r"\b\d+ of (\d+) START (?!hook)").group(1))
    node = rng.randint(2, int(total * 0.7))  # anywhere in the first 70%: keeps it short
    build.wait_for(rf"\b{node} of {total} START\b")
    delay = rng.uniform(0.0, 0.5)
    time.sleep(delay)
    return f"dbt (node {node} of {total} started, +{delay:.2f}s)"


def _kill_while_publishing(build: Build, rng: random.Random, serving: Path) -> str:
    earlier = set(serving.parent.glob(TMP_GLOB))
    build.wait_for(r"serving_snapshot - STEP_START")
    deadline = time.monotonic() + 60
    while set(serving.parent.glob(TMP_GLOB)) <= earlier and time.monotonic() < deadline:
        if build.proc.poll() is not None:
            break
        time.sleep(0.002)
    delay = rng.uniform(0.0, 0.2)  # writing the snapshot takes ~0.4 s
    time.sleep(delay)
    return f"publish (+{delay:.2f}s after the temporary snapshot appeared)"


KILL_POINTS = [_kill_during_ingest, _kill_during_dbt, _kill_while_publishing]


def test_a_build_killed_at_any_point_leaves_the_snapshot_whole_and_a_rerun_recovers(
    demo_build, tmp_path, monkeypatch
):
    data_dir, env = demo_build
    copy = _copy_data_dir(data_dir, tmp_path / "data")
    serving = copy / "serving.duckdb"
    env = {**env, "THROUGHLINE_DATA_DIR": str(copy)}
    before = mart_rows(serving)
    original = (_sha256(serving), serving.stat().st_mtime_ns, _published_at(serving))
    answer = _dashboard_answer(serving, monkeypatch)
    rng = random.Random(SEED)

    history = []
    for kill_at in KILL_POINTS:
        build = Build(env)
        try:
            where = kill_at(build, rng, serving)
            assert build.proc.poll() is None, f"build ended before the kill at {where}"
        finally:
            build.kill()
        where += f", killed {build.elapsed():.1f}s in"

        # the snapshot is the previous one, or (killed after the rename) a whole new one
        assert serving.is_file(), where
        if _sha256(serving) == original[0]:
            assert serving.stat().st_mtime_ns == original[1], where
            outcome = "unchanged"
        else:
            assert mart_rows(serving) == before, f"{where}: a snapshot with other marts"
            assert _published_at(serving) > original[2], where
            outcome = "republished whole"
        assert mart_rows(serving) == before, where
        assert _dashboard_answer(serving, monkeypatch) == answer, where
        assert _attached_query(serving)[0] > 0, where
        leftovers = sorted(p.name for p in serving.parent.glob(TMP_GLOB))
        history.append(f"{where}: snapshot {outcome}; temporary files left: {leftovers}")

    # whatever the kills left behind (DuckDB WAL, dlt packages, Dagster's run storage with
    # runs that never finished, dbt's target dir), a plain re-run just works
    rerun = Build(env)
    code = rerun.wait()
    report = "\n".join(history)
    assert code == 0, f"{report}\nre-run failed:\n{rerun.tail()}"
    assert mart_rows(serving) == before, report
    assert _published_at(serving) > original[2], report
    assert _dashboard_answer(serving, monkeypatch) == answer, report
    # a killed publish may leave its temporary file (its finally never ran), but never one that
    # is anybody's: no process of ours is alive, and the re-run removed its own
    for name in (p.name for p in serving.parent.glob(TMP_GLOB)):
        pid = int(name.split(".")[3])
        assert pid != rerun.proc.pid, f"{name}: the re-run left its temporary file\n{report}"
        assert not Path(f"/proc/{pid}").exists(), f"{name}: its writer is alive\n{report}"
    print(report)


# --- 2. the dashboards answer while a full build runs -------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10) -> tuple[int | str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status: int | str = response.status
    except Exception as exc:  # noqa: BLE001 — any failure is a failed request, recorded
        status = f"{type(exc).__name__}: {exc}"
    return status, time.monotonic() - started


def _stop_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_the_dashboards_answer_every_request_while_a_full_build_runs(
    demo_build, tmp_path, monkeypatch
):
    data_dir, env = demo_build
    copy = _copy_data_dir(data_dir, tmp_path / "data")
    serving = copy / "serving.duckdb"
    env = {**env, "THROUGHLINE_DATA_DIR": str(copy), "THROUGHLINE_SERVING_PATH": str(serving)}
    before = mart_rows(serving)
    expected = _attached_query(serving)
    first_snapshot = serving.stat().st_ino
    answer = _dashboard_answer(serving, monkeypatch)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"

    server_log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboards" / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    build = None
    old_reader = None
    try:
        deadline = time.monotonic() + 120
        while _get(f"{base}/_stcore/health", timeout=2)[0] != 200:
            assert server.poll() is None, (tmp_path / "streamlit.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the dashboards did not come up"
            time.sleep(0.5)
        # a reader that opened the old snapshot keeps reading it across the publish
        old_reader = duckdb.connect(":memory:", config={"threads": 1})
        old_reader.execute("attach ? as serving (read_only)", [str(serving)])

        build = Build(env)
        requests, failed, latencies = 0, [], []
        queries, query_failures, snapshots_seen = 0, [], set()
        publishing = re.compile(r"serving_snapshot - STEP_START")
        next_query = 0.0
        after_exit = None
        while True:
            tick = time.monotonic()
            for path in ("/", "/_stcore/health"):
                status, took = _get(base + path)
                requests += 1
                latencies.append(took)
                if status != 200:
                    failed.append((round(build.elapsed(), 1), path, status))
            # the page queries: every 2 s, every tick once the snapshot is being published
            near_publish = any(publishing.search(line) for line in build.lines[-50:])
            if tick >= next_query or near_publish:
                queries += 1
                try:
                    snapshots_seen.add(serving.stat().st_ino)
                    got = _attached_query(serving)
                    if got != expected:
                        query_failures.append((round(build.elapsed(), 1), f"rows {got}"))
                    old = old_reader.execute(
                        "select count(*), sum(visits), sum(leads), sum(cost) from "
                        "serving.fct_channel_daily where attribution_model = 'last_touch'"
                    ).fetchone()
                    if old != expected:
                        query_failures.append((round(build.elapsed(), 1), f"old reader {old}"))
                except Exception as exc:  # noqa: BLE001 — a lock error is exactly the failure
                    query_failures.append((round(build.elapsed(), 1), repr(exc)))
                next_query = tick + 2.0
            if build.proc.poll() is not None:
                after_exit = after_exit or time.monotonic()
                if time.monotonic() - after_exit > 2:  # a few more rounds on the new snapshot
                    break
            assert build.elapsed() < BUILD_TIMEOUT_S, "build still running:\n" + build.tail()
            time.sleep(max(0.0, 0.2 - (time.monotonic() - tick)))

        code = build.wait()
        took = build.elapsed()
        summary = (
            f"{requests} HTTP requests in {took:.0f}s, max latency {max(latencies):.2f}s, "
            f"{len(failed)} failed {failed[:5]}; {queries} snapshot queries, "
            f"{len(query_failures)} failed {query_failures[:5]}"
        )
        print(summary)
        assert code == 0, f"{summary}\nbuild failed:\n{build.tail()}"
        assert failed == [], summary
        assert query_failures == [], summary
        # two requests a tick, a tick every 0.2 s: at least a quarter of that, however slow
        assert requests >= took / 0.4, f"too few requests: {summary}"
        assert server.poll() is None, summary
        # the build did publish under the readers' feet, and both files answered
        assert serving.stat().st_ino != first_snapshot and len(snapshots_seen) == 2, summary
        assert mart_rows(serving) == before
        assert _dashboard_answer(serving, monkeypatch) == answer  # reconnects to the new file
    finally:
        if old_reader is not None:
            old_reader.close()
        if build is not None and build.proc.poll() is None:
            build.kill()
        _stop_group(server)
        server_log.close()
