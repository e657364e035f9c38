"""python -m bench [--scale 1] [--runs 3] [--page-repeats 20] [--dir data/bench]"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import duckdb

from bench import builds, report, workload
from bench.measure import run

REPO = Path(__file__).resolve().parent.parent


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--scale", type=float, default=1.0, help="1 = B1 (20M visits); 0.01 = smoke")
    p.add_argument("--runs", type=int, default=3, help="repetitions; each figure is the median")
    p.add_argument("--page-repeats", type=int, default=20, help="runs of each dashboard page")
    p.add_argument(
        "--pandas-max-scale",
        type=float,
        default=1.0,
        help="skip the pandas baseline above this scale (it holds every visit in memory)",
    )
    p.add_argument("--dir", type=Path, default=REPO / "data" / "bench")
    return p.parse_args(argv)


def _baseline(kind: str, drop: Path, work: Path) -> dict:
    out = work / f"{kind}.parquet"
    cmd = [sys.executable, "-m", "bench.baselines", kind, str(drop), str(out)]
    m = run(cmd, dict(os.environ), work / f"{kind}.log", cwd=REPO)
    if m.returncode != 0:
        raise RuntimeError(f"{kind} baseline failed: see {work / f'{kind}.log'}")
    inner = json.loads((work / f"{kind}.log").read_text().strip().splitlines()[-1])
    return {
        "seconds": inner["seconds"],
        "process_seconds": round(m.seconds, 2),
        "peak_rss_bytes": m.peak_rss_bytes,
    }


MEASURES = ("cost", "leads", "deals_won", "revenue")


def _totals(last: Path, kinds: list[str]) -> dict[str, dict[str, float]]:
    """Totals of last-touch credit and cost by each implementation: they must agree."""
    con = duckdb.connect()
    sums = ", ".join(f"round(sum({m}), 2)" for m in MEASURES)
    snapshot = last / "data" / "serving.duckdb"
    con.execute(f"attach '{snapshot}' as serving (read_only)")
    found = {
        "pipeline": con.execute(
            f"select {sums} from serving.fct_channel_daily where attribution_model = 'last_touch'"
        ).fetchone()
    }
    for kind in kinds:
        found[kind] = con.execute(f"select {sums} from '{last / kind}.parquet'").fetchone()
    return {k: dict(zip(MEASURES, map(float, v), strict=True)) for k, v in found.items()}


def _machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = int(
        next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem / 1024**2, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    w = workload.prepare(args.dir, args.scale, log=lambda m: print(m, flush=True))
    runs_dir = args.dir / f"runs-s{args.scale:g}"
    raw: dict = {
        "scale": args.scale,
        "counts": w.counts(),
        "machine": _machine(),
        "duckdb_memory_limit": os.environ.get("THROUGHLINE_DUCKDB_MEMORY_LIMIT", "2GB (default)"),
        "repetitions": [],
        "duckdb": [],
        "pandas": [],
    }
    for r in range(args.runs):
        print(f"run {r + 1}/{args.runs}: full build, then one night ...", flush=True)
        raw["repetitions"].append(builds.repetition(w, runs_dir / f"run{r}"))
        if r < args.runs - 1:  # a B1 warehouse is ~7 GB: keep the logs, and only the last data
            shutil.rmtree(runs_dir / f"run{r}" / "data", ignore_errors=True)
    last = runs_dir / f"run{args.runs - 1}"
    manifest = max(
        (REPO / "dbt_project" / "target").glob("vars-*/manifest.json"),
        key=lambda p: p.stat().st_mtime,
    )
    raw["attribution_models"] = sorted(report.attribution_models(manifest))
    drop = last / "drop"  # base + night: the same data the pipeline ended with
    for r in range(args.runs):
        print(f"hand-written DuckDB query {r + 1}/{args.runs} ...", flush=True)
        raw["duckdb"].append(_baseline("duckdb", drop, last))
    if args.scale <= args.pandas_max_scale:
        for r in range(args.runs):
            print(f"pandas {r + 1}/{args.runs} ...", flush=True)
            raw["pandas"].append(_baseline("pandas", drop, last))
    raw["totals"] = _totals(last, ["duckdb"] + (["pandas"] if raw["pandas"] else []))
    print("dashboard pages ...", flush=True)
    pages_json = last / "pages.json"
    cmd = [
        sys.executable,
        "-m",
        "bench.pages",
        str(last / "data" / "serving.duckdb"),
        str(args.page_repeats),
        str(pages_json),
    ]
    m = run(cmd, dict(os.environ), last / "pages.log", cwd=REPO)
    if m.returncode != 0:
        raise RuntimeError(f"page timings failed: see {last / 'pages.log'}")
    raw["pages"] = json.loads(pages_json.read_text())
    summary = report.summarize(raw)
    raw["summary"] = summary
    raw["bench_seconds"] = round(time.perf_counter() - started, 1)
    out = args.dir / f"results-s{args.scale:g}.json"
    out.write_text(json.dumps(raw, indent=2, default=str))
    print()
    print(report.table(raw, summary))
    print(f"\nresults: {out} (bench took {raw['bench_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
