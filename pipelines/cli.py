"""Command line: `python -m pipelines.cli prepare|build|serve` (the Makefile calls these)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

from pipelines.constants import NIGHTLY_JOB
from pipelines.instance import prepare_dagster_home
from pipelines.settings import REPO_ROOT, ConfigError, Settings, load_settings
from pipelines.transform.project import prepare_manifest, venv_executable


def prepare(settings: Settings) -> None:
    settings.data_path.mkdir(parents=True, exist_ok=True)
    prepare_dagster_home(settings)
    prepare_manifest(settings, force=True)  # an analyst may have edited models since last time


def build(settings: Settings) -> int:
    """Run the nightly job once, in this process; 0 when every step and check passed."""
    import dagster as dg

    from pipelines.alerts.evaluate import after_failure, after_success
    from pipelines.alerts.sensors import failed_checks
    from pipelines.definitions import build_definitions
    from pipelines.ops.run_record import write_run_record
    from pipelines.ops.stale_runs import PID_TAG, release_dead_builds
    from pipelines.schedules import run_tags

    try:
        prepare(settings)
        job = build_definitions(settings).resolve_job_def(NIGHTLY_JOB)
    except ConfigError:
        raise
    except Exception as exc:  # dbt cannot parse the project: say why, record it, publish nothing
        write_run_record(settings, "failure", ["prepare"])
        print(f"nightly job FAILED before it started: {exc}", file=sys.stderr)
        return 1
    started = time.monotonic()
    with dg.DagsterInstance.get() as instance:
        for run_id in release_dead_builds(instance):
            print(f"released the warehouse pool held by dead run {run_id}", file=sys.stderr)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags={**run_tags(settings), PID_TAG: str(os.getpid())},
        )
        took = time.monotonic() - started
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        write_run_record(settings, "success" if result.success else "failure", failed)
        # no daemon here, so no sensors: send the alerts the sensors would (state dedupes them)
        checks = failed_checks(instance, result.run_id)
        if result.success:
            after_success(settings, checks)
        else:
            after_failure(settings, NIGHTLY_JOB, result.run_id, failed, checks)
    if not result.success:
        print(
            f"nightly job FAILED after {took:.1f}s in step(s): {', '.join(failed)}", file=sys.stderr
        )
        return 1
    print(f"nightly job succeeded in {took:.1f}s; serving snapshot at {settings.serving_path}")
    return 0


def _stop_all(procs: list[subprocess.Popen], grace_s: float = 30) -> None:
    """SIGINT to every server's process group, then SIGKILL whatever is left after grace_s."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
    for p in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGINT)
    deadline = time.monotonic() + grace_s
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)  # workers of a server that has already exited
        p.wait()


def serve(settings: Settings) -> int:
    """Dagster UI with its daemon (so the schedule runs) and the dashboards; Ctrl-C stops both."""
    prepare_dagster_home(settings)
    prepare_manifest(settings)
    commands = [
        [
            venv_executable("dagster"),
            "dev",
            "-m",
            "pipelines.definitions",
            "-h",
            settings.host,
            "-p",
            str(settings.dagster_port),
        ],
        [
            venv_executable("streamlit"),
            "run",
            str(REPO_ROOT / "dashboards" / "app.py"),
            "--server.address",
            settings.host,
            "--server.port",
            str(settings.dashboard_port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "minimal",
        ],
    ]
    # Each server gets its own process group, so a stop reaches its workers too (dagster dev
    # runs a daemon, a webserver and code servers) and nothing is left running after Ctrl-C.
    procs = [subprocess.Popen(cmd, cwd=REPO_ROOT, start_new_session=True) for cmd in commands]
    print(
        f"Dagster UI:  http://{settings.host}:{settings.dagster_port}\n"
        f"Dashboards:  http://{settings.host}:{settings.dashboard_port}\n"
        "Ctrl-C stops both.",
        flush=True,
    )

    def _stop(*_):
        raise KeyboardInterrupt

    # Explicit: a shell without job control starts background commands with SIGINT ignored.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    code = 0
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        code = next(p.returncode for p in procs if p.poll() is not None) or 1
        print("a server exited on its own; stopping the other", file=sys.stderr)
    except KeyboardInterrupt:
        code = 0
    finally:
        _stop_all(procs)
    return code


def close(settings: Settings, month: str, force: bool) -> int:
    from pipelines.ops.close_month import close_month

    path = close_month(settings, month, force=force)
    print(f"{month} closed: {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="throughline")
    parser.add_argument("command", choices=["prepare", "build", "serve", "close-month"])
    parser.add_argument("month", nargs="?", help="close-month: the month to freeze, YYYY-MM")
    parser.add_argument("--force", action="store_true", help="close-month: replace a closed copy")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "close-month":
            return close(settings, args.month or "", args.force)
        return {"prepare": lambda s: prepare(s) or 0, "build": build, "serve": serve}[args.command](
            settings
        )
    except ConfigError as exc:
        print(f"ConfigError: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
