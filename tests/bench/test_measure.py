"""The bench's memory measure: the peak of the whole process tree, and who held it."""

from __future__ import annotations

import os
import sys
import textwrap

from bench.measure import run

MIB = 2**20


def test_peak_sums_the_tree_and_names_its_processes(tmp_path):
    # a parent of ~nothing starts a child that holds 300 MiB for a moment
    holder = tmp_path / "holder.py"
    holder.write_text(
        "import time\nb = bytearray(300 * 2**20)\nb[::4096] = b'x' * 76800\ntime.sleep(1)\n"
    )
    parent = textwrap.dedent(
        f"""
        import subprocess, sys
        subprocess.run([sys.executable, {str(holder)!r}], check=True)
        """
    )
    m = run([sys.executable, "-c", parent], dict(os.environ), tmp_path / "log")

    assert m.returncode == 0
    assert m.peak_rss_bytes > 300 * MIB
    labels = [label for label, _ in m.peak_processes]
    assert len(labels) == 2, m.peak_processes
    biggest_label, biggest = m.peak_processes[0]
    assert biggest_label == "python holder.py" and biggest > 300 * MIB
    assert sum(rss for _, rss in m.peak_processes) == m.peak_rss_bytes
