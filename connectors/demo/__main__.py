"""Write the demo data as a file-drop folder for the `files` source.

    python -m connectors.demo --days 30 --visits-per-day 200 --seed 7 \\
        --end-date 2026-11-01 --out data/drop [--format parquet|csv]
    python -m connectors.demo --workload b1 --scale 0.1 --out data/b1  # benchmark workload

Layout: OUT/<table>/<table>.<ext> for ad_spend, visits, deals, deal_stage_events and calls (the
canonical column names, source_system kept), and OUT/planted_truth.<ext> beside them, outside
any table folder, so the files source does not load it. Rows are streamed to disk a batch at a
time. The contact hashes are salted with THROUGHLINE_PII_SALT (default "demo-salt").
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import settings
from .generator import TABLES, DemoConfig, arrow_schema, iter_batches
from .workloads import WORKLOADS

FORMATS = ("parquet", "csv")
SALT_ENV = "THROUGHLINE_PII_SALT"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m connectors.demo",
        description="Generate the seeded demo dataset as a file-drop folder.",
    )
    # None = "not given": a workload's own value, else the demo default
    parser.add_argument("--days", type=int, help=f"default: {settings.DEFAULT_DAYS}")
    parser.add_argument(
        "--visits-per-day", type=int, help=f"default: {settings.DEFAULT_VISITS_PER_DAY}"
    )
    parser.add_argument("--seed", type=int, default=settings.DEFAULT_SEED)
    parser.add_argument(
        "--end-date",
        type=dt.date.fromisoformat,
        default=None,
        help="last simulated day, YYYY-MM-DD (default: the workload's, else yesterday in Moscow)",
    )
    parser.add_argument("--workload", choices=list(WORKLOADS), help="benchmark (workloads.py)")
    parser.add_argument("--scale", type=float, help="the workload's size factor (default: 1)")
    parser.add_argument("--campaigns", type=int, help="0 = the 11 base ones, or at least 11")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    return parser.parse_args(argv)


def _config(args: argparse.Namespace, salt: str) -> DemoConfig:
    if args.workload is None:
        if args.scale is not None:
            raise ValueError("--scale needs --workload")
        config = DemoConfig(
            settings.DEFAULT_DAYS, settings.DEFAULT_VISITS_PER_DAY, args.seed, args.end_date, salt
        )
    else:
        scale = 1.0 if args.scale is None else args.scale
        config = WORKLOADS[args.workload](scale, args.seed, args.end_date, salt)
    given = {"days": args.days, "visits_per_day": args.visits_per_day, "campaigns": args.campaigns}
    return dataclasses.replace(config, **{k: v for k, v in given.items() if v is not None})


def _path(out: Path, table: str, fmt: str) -> Path:
    if table == "planted_truth":  # not a file-drop table: the answer key, kept beside them
        return out / f"{table}.{fmt}"
    return out / table / f"{table}.{fmt}"


class _Writers:
    """One streaming writer per table, opened on first use."""

    def __init__(self, out: Path, fmt: str):
        self.out, self.fmt = out, fmt
        self.writers: dict[str, pq.ParquetWriter | pacsv.CSVWriter] = {}

    def write(self, table: str, data: pa.Table) -> None:
        writer = self.writers.get(table)
        if writer is None:
            path = _path(self.out, table, self.fmt)
            path.parent.mkdir(parents=True, exist_ok=True)
            for fmt in FORMATS:  # a previous run in the other format must not double the data
                _path(self.out, table, fmt).unlink(missing_ok=True)
            schema = arrow_schema(table)
            if self.fmt == "parquet":
                writer = pq.ParquetWriter(path, schema)
            else:
                writer = pacsv.CSVWriter(path, schema)
            self.writers[table] = writer
        writer.write_table(data)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    salt = os.environ.get(SALT_ENV)
    if not salt:
        salt = settings.CLI_DEFAULT_SALT
        print(
            f"note: {SALT_ENV} is not set; hashing contacts with the demo salt "
            f"{salt!r}. Set it to the warehouse's salt so contact keys match other sources.",
            file=sys.stderr,
        )
    try:
        config = _config(args, salt).resolved()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    counts = dict.fromkeys(TABLES, 0)
    writers = _Writers(args.out, args.format)
    try:
        for batch in iter_batches(config):
            for table, data in batch.items():
                writers.write(table, data)
                counts[table] += data.num_rows
    finally:
        writers.close()
    start = config.end_date - dt.timedelta(days=config.days - 1)
    summary = " ".join(f"{table}={n}" for table, n in counts.items())
    where = f"{args.out} ({args.format})"
    workload = f" workload={args.workload} scale={args.scale or 1:g}" if args.workload else ""
    print(f"demo: {start}..{config.end_date} seed={config.seed}{workload} -> {where}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
