"""Runs of `make build` whose process died (killed, out of memory, power cut) still hold the
warehouse pool's only slot in Dagster's storage, and every later build would wait for it forever.
Before a build, such runs are marked failed and their slots freed."""

from __future__ import annotations

import os

import dagster as dg

PID_TAG = "throughline/pid"
_LIVE = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def release_dead_builds(instance: dg.DagsterInstance) -> list[str]:
    """Fail the runs a dead `build` process left running; return their ids. Runs the daemon
    launched carry no pid tag and are left to it."""
    released = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_LIVE)):
        pid = run.tags.get(PID_TAG)
        if pid is None or not pid.isdigit() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"the build process {pid} died before the run ended")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released
