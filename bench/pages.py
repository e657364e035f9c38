"""Every dashboard page's queries on a published snapshot, uncached: what the first manager to
open a page after a publish waits for.

    python -m bench.pages SERVING.duckdb REPEATS OUT.json

Each page runs in Streamlit's AppTest, as the browser would get it (default filters), with the
query cache cleared before every run; ``dashboards.data._query`` (the one place every page's
SQL goes through) is swapped for a timed, uncached twin on one read-only connection.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"
PAGES = (
    "overview", "channel_roi", "channels", "funnel", "model_comparison", "cohorts", "segments",
    "managers", "data_health",
)  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(serving: Path, repeats: int) -> dict[str, dict]:
    os.environ["THROUGHLINE_SERVING_PATH"] = str(serving)
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # bare-mode warnings, one per run
    import duckdb
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards import data

    con = duckdb.connect(":memory:", config={"threads": 2})
    con.execute("attach ? as serving (read_only)", [str(serving)])
    timings: list[tuple[str, float]] = []

    def timed_query(snapshot, sql, params):
        cursor = con.cursor()
        try:
            cursor.execute("use serving")
            started = time.perf_counter()
            df = cursor.execute(sql, [data._bindable(p) for p in params]).df()
            timings.append((" ".join(sql.split()), (time.perf_counter() - started) * 1000))
            return df
        finally:
            cursor.close()

    data._query = timed_query
    results: dict[str, dict] = {}
    for page in PAGES:
        per_query: dict[str, list[float]] = defaultdict(list)
        totals, walls = [], []
        for attempt in range(repeats + 1):  # the first run warms imports and is not counted
            st.cache_data.clear()
            timings.clear()
            started = time.perf_counter()
            at = AppTest.from_file(str(APP), default_timeout=120).run()
            at.switch_page(f"views/{page}.py").run()
            wall = (time.perf_counter() - started) * 1000
            if at.exception:
                raise RuntimeError(f"page {page}: {[e.value for e in at.exception]}")
            if attempt == 0:
                continue
            walls.append(wall)
            totals.append(sum(ms for _, ms in timings))
            for sql, ms in timings:
                per_query[sql].append(ms)
        every = [ms for values in per_query.values() for ms in values]
        slowest = max(per_query.items(), key=lambda kv: percentile(kv[1], 0.95), default=("", []))
        results[page] = {
            "queries": len(per_query),
            "query_p50_ms": round(percentile(every, 0.5), 1),
            "query_p95_ms": round(percentile(every, 0.95), 1),
            "slowest_query_p95_ms": round(percentile(slowest[1], 0.95), 1),
            "slowest_query": slowest[0][:160],
            "page_queries_p50_ms": round(statistics.median(totals), 1),
            "page_queries_p95_ms": round(percentile(totals, 0.95), 1),
            "page_run_p50_ms": round(statistics.median(walls), 1),
        }
    return results


def main(argv: list[str]) -> int:
    serving, repeats, out = Path(argv[0]), int(argv[1]), Path(argv[2])
    out.write_text(json.dumps(measure(serving, repeats), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
