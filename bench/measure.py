"""Run a command and measure it: wall seconds and the peak memory of its whole process tree.

The pipeline is several processes at once (Dagster in-process job, the dbt subprocess), so the
peak is the largest *sum* of resident memory over the tree, sampled every 50 ms from /proc.
Shared pages count once per process: the figure is an upper bound, which is what a memory
target needs.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_bytes: int
    returncode: int
    # at the peak: each process of the tree, largest first ("dbt build", 2.1e9): which one to shrink
    peak_processes: tuple[tuple[str, int], ...] = ()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and ')'
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


def _tree(root: int) -> list[tuple[int, int]]:
    """(pid, resident bytes) of root and every descendant."""
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append((pid, _rss(pid)))
        todo.extend(tree.get(pid, ()))
    return found


def _label(pid: int) -> str:
    """A short name for a process: its program and first arguments ('python -m pipelines.cli')."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    words = [a.decode(errors="replace") for a in argv[:4] if a]
    return " ".join(os.path.basename(w) if w.startswith("/") else w for w in words)[:80]


def run(cmd: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> Measured:
    """Run ``cmd`` to completion, its output to ``log``; never raises on a non-zero exit."""
    peak, peak_processes = 0, ()
    done = threading.Event()
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)

        def sample() -> None:
            nonlocal peak, peak_processes
            while not done.wait(0.05):
                processes = _tree(proc.pid)
                total = sum(rss for _, rss in processes)
                if total > peak:
                    peak = total
                    ranked = sorted(processes, key=lambda p: -p[1])
                    peak_processes = tuple((_label(pid), rss) for pid, rss in ranked if rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = proc.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    return Measured(seconds, peak, returncode, peak_processes)
