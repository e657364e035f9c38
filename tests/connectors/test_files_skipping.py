"""A run reads only new or changed files; the tables still end up as if it had read them all.

Real files in tmp_path, one dlt pipeline (its state kept across runs) into a real DuckDB.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import connectors.files as files_module
from connectors.files import files

SALT = "test-salt"
HEADER = "deal_id,created_at,status,amount,currency\n"


def write_csv(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def write_visits(path: Path, ids: list[str], client: str = "c") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "visit_id": ids,
            "client_id": [client if i != "bad" else None for i in ids],
            "started_at": ["2026-03-01T10:00:00Z"] * len(ids),
        }
    )
    pq.write_table(table, path)
    return path


class Drop:
    """The drop folder, a pipeline that keeps its state, and which files each run opened."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = tmp_path / "drop"
        self.db = tmp_path / "w.duckdb"
        self.pipelines_dir = tmp_path / "dlt"
        self.opened: list[str] = []
        real = files_module.read_table

        def counting(path: Path):  # noqa: ANN202
            self.opened.append(path.relative_to(self.root).as_posix())
            return real(path)

        monkeypatch.setattr(files_module, "read_table", counting)

    def run(self, **options: object) -> list[str]:
        """One pipeline run; returns the files it read, sorted."""
        self.opened.clear()
        pipeline = dlt.pipeline(
            pipeline_name="files_skip",
            destination=dlt.destinations.duckdb(str(self.db)),
            dataset_name="raw_files",
            pipelines_dir=str(self.pipelines_dir),
        )
        pipeline.run(files(files_dir=str(self.root), pii_salt=SALT, **options))
        return sorted(self.opened)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchall()

    def deals(self) -> list[tuple]:
        return self.query("select deal_id, status, amount from raw_files.deals order by 1")

    def rejected(self) -> list[tuple]:
        return self.query(
            "select source_file, source_row, reason from raw_files.rejected_rows order by 1, 2"
        )


def touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def drop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Drop:
    drop = Drop(tmp_path, monkeypatch)
    write_csv(
        drop.root / "deals" / "2026-03-01.csv",
        "1,2026-03-01T10:00:00Z,open,100,RUB\n2,2026-03-01T11:00:00Z,bogus,1,RUB\n",
    )
    write_csv(drop.root / "deals" / "2026-03-02.csv", "1,2026-03-01T10:00:00Z,won,150,RUB\n")
    write_visits(drop.root / "visits" / "a.parquet", ["v1", "bad"])
    write_visits(drop.root / "visits" / "b.parquet", ["v2"])
    return drop


ALL_FILES = ["deals/2026-03-01.csv", "deals/2026-03-02.csv", "visits/a.parquet", "visits/b.parquet"]
BAD_ROWS = [("deals/2026-03-01.csv", 2), ("visits/a.parquet", 2)]


def test_second_run_reads_nothing_and_changes_nothing(drop: Drop) -> None:
    assert drop.run() == ALL_FILES  # each file once: rejected_rows reuses what was read
    before = (drop.deals(), drop.rejected(), drop.query("select * from raw_files.visits"))
    assert drop.deals() == [("1", "won", Decimal("150"))]  # the later file wins
    assert [r[:2] for r in drop.rejected()] == BAD_ROWS

    assert drop.run() == []
    assert (drop.deals(), drop.rejected(), drop.query("select * from raw_files.visits")) == before


def test_a_new_file_or_a_touched_last_file_is_read_alone(drop: Drop) -> None:
    drop.run()
    write_csv(drop.root / "deals" / "2026-03-03.csv", "3,2026-03-03T10:00:00Z,open,300,RUB\n")
    assert drop.run() == ["deals/2026-03-03.csv"]
    assert [d[0] for d in drop.deals()] == ["1", "3"]

    touch(drop.root / "visits" / "b.parquet")
    assert drop.run() == ["visits/b.parquet"]
    write_visits(drop.root / "visits" / "b.parquet", ["v2", "v3", "bad"])
    assert drop.run() == ["visits/b.parquet"]
    assert drop.query("select visit_id from raw_files.visits order by 1") == [
        ("v1",),
        ("v2",),
        ("v3",),
    ]
    assert [r[:2] for r in drop.rejected()] == [
        ("deals/2026-03-01.csv", 2),
        ("visits/a.parquet", 2),
        ("visits/b.parquet", 3),
    ]


def test_a_changed_earlier_file_is_read_with_every_later_one(drop: Drop) -> None:
    """Within a run the later file wins; re-reading only the changed earlier file would
    let its older version of deal 1 override the later file's."""
    drop.run()
    write_csv(
        drop.root / "deals" / "2026-03-01.csv",
        "1,2026-03-01T10:00:00Z,open,100,RUB\n4,2026-03-01T12:00:00Z,open,40,RUB\n",
    )
    assert drop.run() == ["deals/2026-03-01.csv", "deals/2026-03-02.csv"]
    assert drop.deals() == [("1", "won", Decimal("150")), ("4", "open", Decimal("40"))]
    # the fixed file's bad row is gone from rejected_rows, the visits one stays
    assert [r[:2] for r in drop.rejected()] == [("visits/a.parquet", 2)]


def test_a_removed_file_keeps_its_rows_and_loses_its_rejections(drop: Drop) -> None:
    drop.run()
    (drop.root / "deals" / "2026-03-01.csv").unlink()
    (drop.root / "visits" / "a.parquet").unlink()
    assert drop.run() == []
    assert drop.deals() == [("1", "won", Decimal("150"))]
    assert drop.query("select visit_id from raw_files.visits order by 1") == [("v1",), ("v2",)]
    assert drop.rejected() == []


def test_same_size_and_time_but_other_content_is_read(drop: Drop) -> None:
    drop.run()
    path = drop.root / "deals" / "2026-03-02.csv"
    stat = path.stat()
    path.write_text(HEADER + "1,2026-03-01T10:00:00Z,won,160,RUB\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `cp -p` would leave it
    assert path.stat().st_size == stat.st_size
    assert drop.run() == ["deals/2026-03-02.csv"]
    assert drop.deals() == [("1", "won", Decimal("160"))]


def test_full_refresh_reads_everything_and_rebuilds_rejected_rows(
    drop: Drop, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop.run()
    with duckdb.connect(str(drop.db)) as con:  # a stale entry the tombstones cannot know of
        con.execute(
            "insert into raw_files.rejected_rows (row_key, entity, source_file, source_row, "
            "reason, _dlt_load_id, _dlt_id) values ('x#1', 'deals', 'x', 1, 'stale', 'l', 'i')"
        )
    assert drop.run() == []
    assert ("x", 1, "stale") in drop.rejected()

    assert drop.run(full_refresh=True) == ALL_FILES
    assert [r[:2] for r in drop.rejected()] == BAD_ROWS
    assert drop.run() == []  # and the next run skips again

    monkeypatch.setenv("SOURCES__FILES__FULL_REFRESH", "true")  # the same, from config
    assert drop.run() == ALL_FILES
    assert drop.deals() == [("1", "won", Decimal("150"))]


def test_rejected_rows_alone_still_follows_the_folder(drop: Drop) -> None:
    drop.run()
    write_csv(drop.root / "deals" / "2026-03-02.csv", "5,2026-03-02T10:00:00Z,nope,1,RUB\n")
    pipeline = dlt.pipeline(
        pipeline_name="files_skip",
        destination=dlt.destinations.duckdb(str(drop.db)),
        dataset_name="raw_files",
        pipelines_dir=str(drop.pipelines_dir),
    )
    source = files(files_dir=str(drop.root), pii_salt=SALT).with_resources("rejected_rows")
    pipeline.run(source)
    assert [r[:2] for r in drop.rejected()] == [
        ("deals/2026-03-01.csv", 2),
        ("deals/2026-03-02.csv", 1),
        ("visits/a.parquet", 2),
    ]
    # the entity resource has its own record: it still reads the changed file
    assert drop.run() == ["deals/2026-03-02.csv"]
    assert [d[0] for d in drop.deals()] == ["1"]  # deal 5 is rejected, deal 1 stays
