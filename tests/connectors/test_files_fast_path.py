"""The Parquet fast path loads exactly what the row path loads: the same good rows, values,
column types and rejections (with their reasons), row for row. Real files, real DuckDB."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from connectors.files import files
from connectors.files.arrow_path import ArrowFile

SALT = "test-salt"
TABLES = ("ad_spend", "visits", "deals", "deal_stage_events", "calls", "rejected_rows")
MSK = "Europe/Moscow"


def write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def texts(**columns: list[object]) -> pa.Table:
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def make_drop(drop: Path) -> None:
    """Every kind of bad row of test_files.py, plus typed columns, PII, blanks and oddities."""
    write(
        drop / "deals" / "a_text.parquet",
        texts(
            deal_id=["1", "2", "3", "4", "", "6", "7", "8", "9", None, "11", "12", "1", "14", "15"],
            created_at=[
                "2026-03-01T10:00:00+03:00",
                "31/31/2024",
                "2026-03-01",
                "2026-03-01",
                "2026-03-01",
                "2026-03-01",
                "2026-03-02",
                "2026-03-02T10:00:00Z",
                "2026-03-02T10:00:00.25",
                "  ",
                "2026-03-02 10:00:00",
                "2026-03-02T10:00:00-05:30",
                "2026-03-03T10:00:00Z",
                "01.03.2026 10:05",
                "2026-02-30T10:00:00",
            ],
            status=["won", "open", "won", "open", "open", "pending", "open", "won", "open"]
            + [None, " Won ", "lost", "WON", "open", "open"],
            amount=["100,00", "10", "-5", "7", "7", "7", "8", None, "5", None]
            + ["1 234,50", "1,234.50", "150", "1.5", "1"],
            currency=["RUB", "RUB", "RUB", "XYZ", "RUB", "RUB", "rub", "RUB", "  ", None]
            + ["RUR", "usd", "RUB", "kzt", "RUB"],
            email=["anna@example.ru", None, None, None, None, None, None, None, None, None]
            + ["ВЕРА@Пример.рф", " Boris@Example.ru ", None, None, "x@y.z"],
            phone=["+7 (916) 123-45-67", None, None, None, None, None, None, None, None, " "]
            + ["8 903 000-11-22", "доб. 5", None, "abc", None],
            full_name=["Анна", None, None, None, None, None, None, None, None, None]
            + ["Вера", "Борис", None, None, None],
            note=["x", None, None, None, None, None, None, None, None, None]
            + [" y ", None, None, None, "z"],
        ),
    )
    write(
        drop / "deals" / "b_typed.parquet",
        pa.table(
            {
                "deal_id": pa.array([21, 22, 23, 24], pa.int64()),
                "created_at": pa.array(
                    [dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)] * 4, pa.timestamp("us", tz=MSK)
                ),
                "closed_at": pa.array(
                    [1_772_000_000_123_456_789, None, 1_772_000_000_000_000_000, None],
                    pa.timestamp("ns"),
                ),
                "status": ["won", "lost", "won", "open"],
                "amount": pa.array(
                    [Decimal("10.50"), Decimal("-1.00"), None, Decimal("3")], pa.decimal128(12, 2)
                ),
                "cost_of_goods": pa.array([1.25, float("nan"), None, 0.1]),
                "currency": pa.array(["RUB", "RUB", "RUB", None]).dictionary_encode(),
                "contact_key": ["already-hashed", None, None, None],
                "updated_at": pa.array([dt.date(2026, 3, 2), None, None, None], pa.date32()),
            }
        ),
    )
    write(
        drop / "visits" / "a_text.parquet",
        texts(
            visit_id=["v1", "v2", "v3", "v4", "v5", "v6", None, "v8", "v9"],
            client_id=["", "c2", "c3", "c4", "c5", "c6", None, "c8", "c9"],
            started_at=[
                "2026-03-01T10:00:00Z",
                "2026-03-01T10:00:00+03:00",
                "2026-03-01 10:00:00.123456",
                "2026-03-01T24:00:00",
                "01.03.2026",
                "2026-03-01T10:00:00+0300",
                None,
                "0000-01-01T00:00:00",
                "2026-03-01T10:00:00.1234567",
            ],
            page_views=["1", "2.5", "-1", "1 000", "", "3", None, "4", "+5"],
            placement=[None] * 9,  # an extra column without a value: no column
            campaign_note=[" a ", None, None, None, " c ", None, None, "b", None],
            email=[None, "a@b.ru", None, None, None, None, None, None, "Ünïcode@b.ru"],
            name=["Анна", None, None, None, None, None, None, None, None],
        ),
    )
    write(
        drop / "visits" / "b_typed.parquet",
        pa.table(
            {
                "visit_id": pa.array(["v1", "v20", "v21", "v22"]).dictionary_encode(),
                "client_id": pa.array(["c1", "c20", "c21", "c22"], pa.large_string()),
                "started_at": pa.array(
                    [1_772_000_000_123_456_789, 1_772_000_000_000_000_000, -1500, None],
                    pa.timestamp("ns", tz="UTC"),
                ),
                "page_views": pa.array([1, None, -2, 4], pa.int32()),
                "is_bot": pa.array([True, False, None, True]),
                "score": pa.array([1.5, 2.0, None, float("nan")]),
            }
        ),
    )
    write(
        drop / "ad_spend" / "a_text.parquet",
        texts(
            spend_date=["2026-03-01", "01.03.2026", "2026-13-01", "2026-03-01", "2026-03-02"]
            + ["2026-03-02", "2026-03-03"],
            source_system=["yandex_direct", " ", None, "vk", "vk", "vk", "vk"],
            account_id=['acc "1"', "a\\b", "x", None, "tab\there", None, None],
            campaign_id=["101", None, "103", None, None, None, "  "],
            campaign_name=["Brand", "Generic", None, "VK Spring", None, None, None],
            utm_campaign=[None, None, None, None, "utm_c", None, None],
            impressions=["1 000", "500", "1", "2", "3", "4", "5"],
            cost=["-1.5", "2.5", "2.5", "1 234,50", "7", "8", "9"],
            currency=["RUB"] * 7,
        ),
    )
    write(
        drop / "ad_spend" / "b_typed.parquet",
        pa.table(
            {
                "spend_date": pa.array([dt.date(2026, 3, 3), dt.date(2026, 3, 4)], pa.date32()),
                "campaign_id": pa.array([555, 556], pa.int64()),
                "clicks": pa.array([12.0, 12.5]),
                "cost": pa.array([Decimal("10.00"), Decimal("0.10")], pa.decimal128(12, 2)),
                "currency": ["EUR", "EUR"],
            }
        ),
    )
    write(
        drop / "calls" / "a.parquet",
        texts(
            call_id=["k1", "k2", "k3"],
            started_at=["2026-03-01T09:55:00Z", "2026-03-01T09:56:00Z", "bad"],
            **{"Телефон клиента": ["8 916 123 45 67", "+7 916 123 45 67", None]},
            duration_s=["02:15", "-3", "7"],
            is_target=["да", "maybe", "0"],
            **{"Client Name": ["Анна", None, None]},
        ),
    )
    write(
        drop / "deal_stage_events" / "a.parquet",
        pa.table(
            {
                "deal_id": ["1", "1", "2"],
                "stage": ["new", "won", None],
                "entered_at": pa.array(
                    [dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 3)],
                    pa.timestamp("ms"),
                ),
            }
        ),
    )


def load(tmp_path: Path, drop: Path, name: str, **options: object) -> Path:
    db = tmp_path / f"{name}.duckdb"
    pipeline = dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw_files",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    pipeline.run(files(files_dir=str(drop), pii_salt=SALT, **options))
    return db


def snapshot(db: Path) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Per table: the columns (name, type, nullable, position) and every row, sorted."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in TABLES:
            columns = con.execute(
                "select column_name, data_type, is_nullable from information_schema.columns "
                "where table_schema = 'raw_files' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            names = [c for c, _, _ in columns if not c.startswith("_dlt")]
            select = ", ".join(f'"{c}"' for c in names)
            rows = con.execute(f"select {select} from raw_files.{table} order by all").fetchall()
            out[table] = (columns, rows)
    return out


def test_fast_path_loads_exactly_what_the_row_path_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop = tmp_path / "drop"
    make_drop(drop)
    batches = []
    real_validate = ArrowFile.validate

    def counting(self: ArrowFile, batch: pa.RecordBatch, first: int):  # noqa: ANN202
        batches.append(self.relative)
        return real_validate(self, batch, first)

    monkeypatch.setattr(ArrowFile, "validate", counting)
    rows = snapshot(load(tmp_path, drop, "rows", fast_parquet=False))
    assert batches == []
    fast = snapshot(load(tmp_path, drop, "fast"))
    assert len(batches) == 8  # every file went through the fast path

    for table in TABLES:
        assert fast[table][0] == rows[table][0], table  # same columns, types, order
        assert fast[table][1] == rows[table][1], table  # same rows and values
    # the drop does hold what it is meant to
    counts = {table: len(rows[table][1]) for table in TABLES}
    assert counts == {
        "ad_spend": 4,
        "visits": 5,
        "deals": 6,
        "deal_stage_events": 2,
        "calls": 1,
        "rejected_rows": 26,
    }
    rejected = {(row[2], row[3]) for row in rows["rejected_rows"][1]}
    assert ("deals/a_text.parquet", 10) not in rejected  # a fully blank row is skipped
    visit_columns = [c for c, _, _ in rows["visits"][0]]
    assert "campaign_note" in visit_columns and "placement" not in visit_columns
    assert "contact_key" in visit_columns and "email" not in visit_columns


def test_small_batches_and_slices_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Record batches of 4 rows and tables of 3 for dlt: source_row / source_seq, the order
    of good rows around rejected ones and the later-row-wins rule hold across batches."""
    import connectors.files as files_module
    import connectors.files.readers as readers

    drop = tmp_path / "drop"
    make_drop(drop)
    rows = snapshot(load(tmp_path, drop, "rows", fast_parquet=False))
    monkeypatch.setattr(readers, "ARROW_BATCH_SIZE", 4)
    monkeypatch.setattr(files_module, "LOAD_ROW_GROUP", 3)
    fast = snapshot(load(tmp_path, drop, "fast"))
    assert fast == rows


def test_fast_path_raw_of_rejected_rows_hides_personal_data(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    make_drop(drop)
    db = load(tmp_path, drop, "fast")
    with duckdb.connect(str(db), read_only=True) as con:
        raws = [r for (r,) in con.execute("select raw from raw_files.rejected_rows").fetchall()]
    text = " ".join(r or "" for r in raws).lower()
    for secret in ("anna@example.ru", "boris", "вера", "916", "анна"):
        assert secret not in text


def test_a_value_beyond_the_warehouse_type_fails_naming_file_and_column(tmp_path: Path) -> None:
    """The row path fails such a load too (at load time); here the error says where."""
    drop = tmp_path / "drop"
    write(
        drop / "visits" / "huge.parquet",
        pa.table(
            {
                "visit_id": ["v1"],
                "client_id": ["c1"],
                "started_at": ["2026-03-01T10:00:00Z"],
                "page_views": pa.array([2**64 - 1], pa.uint64()),
            }
        ),
    )
    with pytest.raises(Exception) as excinfo:  # noqa: B017 - dlt wraps it
        load(tmp_path, drop, "huge")
    assert "visits/huge.parquet: column 'page_views': a value does not fit int64" in str(
        excinfo.value
    )
