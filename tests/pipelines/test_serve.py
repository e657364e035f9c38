"""`make serve`: both servers come up, and Ctrl-C (SIGINT) stops both cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from nightly_helpers import REPO

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ok(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in time")


def test_serve_starts_both_and_sigint_stops_both(tmp_path):
    dagster_port, dashboard_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THROUGHLINE_")}
    env.update(
        THROUGHLINE_DATA_DIR=str(tmp_path / "data"),
        THROUGHLINE_PII_SALT="test-salt",
        DAGSTER_PORT=str(dagster_port),
        DASHBOARD_PORT=str(dashboard_port),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "serve"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # our own process group, as a terminal would give
    )
    try:
        deadline = time.monotonic() + 180
        _wait_ok(f"http://127.0.0.1:{dashboard_port}/_stcore/health", deadline)
        _wait_ok(f"http://127.0.0.1:{dagster_port}/server_info", deadline)
        # Ctrl-C in a terminal signals the whole foreground process group.
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    output = proc.stdout.read()
    assert code == 0, output[-3000:]
    for port in (dagster_port, dashboard_port):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served"
    # nothing left behind: no daemon, webserver or code server still pointing at our data dir
    assert _processes_mentioning(str(tmp_path)) == []


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{proc.name}: {cmdline[:120]}")
    return found
