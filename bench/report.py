"""Medians, ratios and the printed table of one `make bench` run."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

GIB = 1024**3
TARGETS = {  # issue 8, for B1 (scale 1) on 2 cores / 24 GiB
    "full_build_s": 120,
    "nightly_s": 15,
    "page_query_p95_ms": 150,
    "peak_gib": 4,
    "attribution_vs_floor": 1.5,
}


def attribution_models(manifest: Path, mart: str = "fct_channel_daily") -> set[str]:
    """The mart and every model it depends on, staging and unions aside: stitching, paths,
    every attribution model and the rollup (what the hand-written query does, and more)."""
    data = json.loads(manifest.read_text())
    parents = data["parent_map"]
    todo = [f"model.throughline.{mart}"]
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if node in seen or not node.startswith("model."):
            continue
        seen.add(node)
        todo.extend(parents.get(node, ()))
    names = {n.split(".")[-1] for n in seen}
    return {n for n in names if not n.startswith("stg_") and not n.endswith("_unioned")}


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2) if values else float("nan")


def summarize(raw: dict) -> dict:
    reps = raw["repetitions"]
    attribution = set(raw["attribution_models"])

    def per(kind: str, key: str) -> list[float]:
        return [rep[kind][key] for rep in reps]

    def attr_seconds(rep: dict) -> float:
        return sum(v for k, v in rep["full"]["model_seconds"].items() if k in attribution)

    pages = raw["pages"]
    worst_p95 = max((p["slowest_query_p95_ms"] for p in pages.values()), default=float("nan"))
    s = {
        "full_build_s": median(per("full", "seconds")),
        "nightly_s": median(per("nightly", "seconds")),
        "peak_gib": round(
            max(per("full", "peak_rss_bytes") + per("nightly", "peak_rss_bytes")) / GIB, 2
        ),
        "attribution_s": median([attr_seconds(rep) for rep in reps]),
        "floor_s": median([b["seconds"] for b in raw["duckdb"]]),
        "floor_process_s": median([b["process_seconds"] for b in raw["duckdb"]]),
        "floor_peak_gib": round(max(b["peak_rss_bytes"] for b in raw["duckdb"]) / GIB, 2),
        "pandas_s": median([b["seconds"] for b in raw["pandas"]]),
        "pandas_peak_gib": round(
            max((b["peak_rss_bytes"] for b in raw["pandas"]), default=0) / GIB, 2
        ),
        "page_query_p95_ms": worst_p95,
    }
    pipeline = raw["totals"]["pipeline"]
    s["totals_max_diff"] = max(
        abs(pipeline[m] - other[m]) for other in raw["totals"].values() for m in pipeline
    )
    s["attribution_vs_floor"] = (
        round(s["attribution_s"] / s["floor_s"], 2) if s["floor_s"] else None
    )
    s["full_vs_floor"] = round(s["full_build_s"] / s["floor_process_s"], 1)
    s["full_vs_pandas"] = round(s["full_build_s"] / s["pandas_s"], 2) if raw["pandas"] else None
    steps = [rep["full"]["step_seconds"] for rep in reps]
    s["full_steps_s"] = {k: median([st.get(k, 0.0) for st in steps]) for k in steps[-1]}
    nsteps = [rep["nightly"]["step_seconds"] for rep in reps]
    s["nightly_steps_s"] = {k: median([st.get(k, 0.0) for st in nsteps]) for k in nsteps[-1]}
    slow = sorted(reps[-1]["full"]["model_seconds"].items(), key=lambda kv: -kv[1])[:10]
    s["slowest_models_s"] = dict(slow)
    return s


def table(raw: dict, s: dict) -> str:
    c = raw["counts"]
    lines = [
        f"B1 at scale {raw['scale']:g}: {c['visits']:,} visits from {c['clients']:,} clients, "
        f"{c['deals']:,} deals ({c['won'] / max(c['deals'], 1):.0%} won), "
        f"{c['campaigns']:,} campaigns on {c['platforms']} platforms, "
        f"{c['spend_rows']:,} spend rows; median of {len(raw['repetitions'])} run(s); "
        f"DuckDB memory cap {raw.get('duckdb_memory_limit', '80% (DuckDB default)')}",
        "",
        f"{'measure':<44}{'value':>12}{'target (B1)':>14}",
    ]

    def row(label: str, value, unit: str, key: str | None = None) -> None:
        target = f"≤ {TARGETS[key]}{unit}" if key else ""
        shown = "—" if value is None else f"{value:,.2f}{unit}"
        lines.append(f"{label:<44}{shown:>12}{target:>14}")

    row("full build (ingest, dbt build, publish)", s["full_build_s"], " s", "full_build_s")
    for step, secs in s["full_steps_s"].items():
        row(f"  step {step}", secs, " s")
    row("nightly (1 new day + restatements)", s["nightly_s"], " s", "nightly_s")
    for step, secs in s["nightly_steps_s"].items():
        row(f"  step {step}", secs, " s")
    row("peak memory, whole process tree", s["peak_gib"], " GiB", "peak_gib")
    row("dbt models feeding the mart, thread-s", s["attribution_s"], " s")
    row("hand-written DuckDB query (last touch)", s["floor_s"], " s")
    row("  those / hand-written query", s["attribution_vs_floor"], "×", "attribution_vs_floor")
    row("  whole process incl. start-up", s["floor_process_s"], " s")
    row("  its peak memory", s["floor_peak_gib"], " GiB")
    row(
        "pandas (last touch, what an analyst writes)",
        s["pandas_s"] if raw["pandas"] else None,
        " s",
    )
    row("  its peak memory", s["pandas_peak_gib"] if raw["pandas"] else None, " GiB")
    row("full build / hand-written query process", s["full_vs_floor"], "×")
    row("full build / pandas", s["full_vs_pandas"], "×")
    row("slowest dashboard query p95", s["page_query_p95_ms"], " ms", "page_query_p95_ms")
    row("totals: largest difference pipeline/query/pandas", s["totals_max_diff"], "")
    lines += [
        "",
        f"{'page':<18}{'queries':>8}{'q p50 ms':>10}{'q p95 ms':>10}{'page p95 ms':>13}"
        "  slowest query",
    ]
    for page, p in raw["pages"].items():
        lines.append(
            f"{page:<18}{p['queries']:>8}{p['query_p50_ms']:>10.1f}{p['query_p95_ms']:>10.1f}"
            f"{p['page_queries_p95_ms']:>13.1f}  {p['slowest_query'][:60]}"
        )
    lines += [
        "",
        "slowest dbt models in the full build (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in s["slowest_models_s"].items()),
    ]
    return "\n".join(lines)
