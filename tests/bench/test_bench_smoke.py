"""`make bench` at scale 0.01, end to end: the benchmark runs from a clean directory and its
three implementations (the pipeline, the hand-written query, pandas) agree to the kopeck.

No timing is asserted: speed lives in BENCHMARKS.md, not in tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = {"overview", "channel_roi", "channels", "funnel", "model_comparison", "cohorts",
         "segments", "managers", "data_health"}  # fmt: skip


@pytest.mark.slow
def test_bench_smoke(tmp_path):
    cmd = [sys.executable, "-m", "bench", "--scale", "0.01", "--runs", "1",
           "--page-repeats", "2", "--dir", str(tmp_path)]  # fmt: skip
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "full build (ingest, dbt build, publish)" in done.stdout

    raw = json.loads((tmp_path / "results-s0.01.json").read_text())
    counts = raw["counts"]
    # B1's shape at 1/100: 200k visits, 40k clients, 4k deals, 20 campaigns on 5 platforms
    assert 180_000 <= counts["visits"] <= 220_000
    assert counts["campaigns"] == 20 and counts["platforms"] == 5
    assert 0.25 <= counts["won"] / counts["deals"] <= 0.35
    # the night is the last day plus what sources restate: it is in the drop, and it moved cost
    assert counts["night_visits"] > 0 and counts["night_ad_spend"] > 0 and counts["night_deals"] > 0

    totals = raw["totals"]
    assert set(totals) == {"pipeline", "duckdb", "pandas"}
    assert totals["pipeline"]["leads"] == counts["deals"]
    assert totals["pipeline"]["deals_won"] == counts["won"]
    for other in ("duckdb", "pandas"):
        for measure, value in totals["pipeline"].items():
            assert totals[other][measure] == pytest.approx(value, abs=0.005), (other, measure)

    summary = raw["summary"]
    assert set(raw["pages"]) == PAGES
    assert all(page["queries"] > 0 for page in raw["pages"].values())
    assert summary["full_build_s"] > 0 and summary["nightly_s"] > 0
    assert summary["peak_gib"] > 0
    assert {"int_attribution", "fct_channel_daily"} <= set(raw["attribution_models"])
