"""Build time and peak memory against scale, from every results-s<scale>.json of a bench dir.

python -m bench.plot [data/bench] [bench/results/scale.png]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")  # no display: write the file
import matplotlib.pyplot as plt  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def load(bench_dir: Path) -> list[dict]:
    runs = [json.loads(p.read_text()) for p in bench_dir.glob("results-s*.json")]
    return sorted(runs, key=lambda r: r["scale"])


def plot(runs: list[dict], out: Path) -> Path:
    scales = [r["scale"] for r in runs]
    visits = [r["counts"]["visits"] / 1e6 for r in runs]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label in (
        ("full_build_s", "full build"),
        ("nightly_s", "nightly"),
        ("floor_s", "hand-written DuckDB query"),
        ("pandas_s", "pandas"),
    ):
        points = [
            (v, r["summary"][key])
            for v, r in zip(visits, runs, strict=True)
            if r["summary"].get(key) == r["summary"].get(key)
        ]  # NaN: not run
        if points:
            left.plot(*zip(*points, strict=True), marker="o", label=label)
    left.set(
        xscale="log",
        yscale="log",
        xlabel="visits, millions",
        ylabel="seconds (median)",
        title="Time against scale",
    )
    left.legend()
    right.plot(visits, [r["summary"]["peak_gib"] for r in runs], marker="o", label="pipeline")
    right.plot(
        visits,
        [r["summary"]["floor_peak_gib"] for r in runs],
        marker="o",
        label="hand-written query",
    )
    right.set(xscale="log", xlabel="visits, millions", ylabel="GiB", title="Peak memory")
    right.legend()
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
        # one tick per measured scale; matplotlib's own minor labels overlap on a log axis
        ax.set_xticks(visits, [f"{v:.1f}M\n{s:g}×" for v, s in zip(visits, scales, strict=True)])
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    return out


def main(argv: list[str]) -> int:
    bench_dir = Path(argv[0]) if argv else REPO / "data" / "bench"
    out = Path(argv[1]) if len(argv) > 1 else REPO / "bench" / "results" / "scale.png"
    runs = load(bench_dir)
    if not runs:
        print(f"no results-s*.json in {bench_dir}: run `make bench` first", file=sys.stderr)
        return 2
    print(plot(runs, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
