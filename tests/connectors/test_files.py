"""The file-drop source: real files in tmp_path, a real dlt pipeline into a temp DuckDB."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import dlt
import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import connectors.files as files_module
from connectors.common.pii import contact_key
from connectors.files import FileSchemaError, files
from connectors.files.validation import (
    parse_count,
    parse_date,
    parse_duration,
    parse_money,
    parse_timestamp,
)

SALT = "test-salt"
UTC = dt.UTC
ENTITY_TABLES = ("ad_spend", "visits", "deals", "deal_stage_events", "calls")
ALL_TABLES = (*ENTITY_TABLES, "rejected_rows")


# ---------------------------------------------------------------- helpers


def write_csv(path: Path, text: str, bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_parquet(path: Path, table: pa.Table) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def load(tmp_path: Path, drop: Path, name: str = "files_test") -> Path:
    """Run the source into tmp_path/w.duckdb (same pipeline name = same state across runs)."""
    db = tmp_path / "w.duckdb"
    pipeline = dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw_files",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    pipeline.run(files(files_dir=str(drop), pii_salt=SALT))
    return db


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def scalar(db: Path, sql: str, params: list[object] | None = None) -> object:
    return query(db, sql, params)[0][0]


def column_types(db: Path, table: str) -> dict[str, str]:
    rows = query(
        db,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw_files' and table_name = ?",
        [table],
    )
    return dict(rows)


def rows_per_file(db: Path, table: str) -> dict[str, tuple[int, int]]:
    """source_file -> (loaded, rejected)."""
    loaded = dict(query(db, f"select source_file, count(*) from raw_files.{table} group by 1"))
    rejected = dict(
        query(
            db,
            "select source_file, count(*) from raw_files.rejected_rows where entity = ? group by 1",
            [table],
        )
    )
    return {f: (loaded.get(f, 0), rejected.get(f, 0)) for f in loaded.keys() | rejected.keys()}


def schema_error(excinfo: pytest.ExceptionInfo[BaseException]) -> FileSchemaError:
    """dlt wraps extraction errors: find the FileSchemaError in the cause chain."""
    exc: BaseException | None = excinfo.value
    while exc is not None:
        if isinstance(exc, FileSchemaError):
            return exc
        exc = exc.__cause__ or exc.__context__
    raise AssertionError(f"no FileSchemaError in {excinfo.value!r}")


# ---------------------------------------------------------------- pure parsers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("100,25", "100.25"),
        ("-5", "-5"),
        (99.9, "99.9"),
        (7, "7"),
    ],
)
def test_parse_money(text: object, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)
    assert isinstance(parse_money(text), Decimal)


@pytest.mark.parametrize("text", ["abc", "1e5", "", "1,2,3.4.5"])
def test_parse_money_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_parse_dates_timestamps_counts() -> None:
    assert parse_date("2026-03-01") == dt.date(2026, 3, 1)
    assert parse_date("01.03.2026") == dt.date(2026, 3, 1)
    assert parse_timestamp("2026-03-01T10:00:00+03:00") == dt.datetime(2026, 3, 1, 7, tzinfo=UTC)
    assert parse_timestamp("2026-03-01 10:00:00") == dt.datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert parse_timestamp("2026-03-01T10:00:00Z") == dt.datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert parse_timestamp("01.03.2026 10:05") == dt.datetime(2026, 3, 1, 10, 5, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_timestamp("31/31/2024")
    assert parse_count("1 000") == 1000
    assert parse_count("1,000") == 1000
    assert parse_count(12.0) == 12
    with pytest.raises(ValueError):
        parse_count("12.5")
    assert parse_duration("02:15") == 135
    assert parse_duration("1:02:15") == 3735


# ---------------------------------------------------------------- happy path


def make_happy_drop(drop: Path) -> None:
    # Russian Excel CSV export: BOM, ";" and decimal commas, DD.MM.YYYY, an extra column.
    write_csv(
        drop / "ad_spend" / "a_direct.csv",
        "spend_date;source_system;campaign_id;campaign_name;impressions;clicks;cost;currency;placement\n"
        "2026-03-01;yandex_direct;101;Brand;1 000;50;1 234,50;RUB;search\n"
        "01.03.2026;;102;Generic;500;10;100,25;rub;rsya\n",
        bom=True,
    )
    # XLSX: no campaign_id (taken from campaign_name), floats from Excel.
    write_xlsx(
        drop / "ad_spend" / "b_vk.xlsx",
        [
            ["spend_date", "campaign_name", "clicks", "cost", "currency"],
            [dt.datetime(2026, 3, 2), "VK Spring", 12.0, 99.9, "USD"],
        ],
    )
    write_parquet(
        drop / "ad_spend" / "c_other.parquet",
        pa.table(
            {
                "spend_date": pa.array([dt.date(2026, 3, 3)], pa.date32()),
                "campaign_id": pa.array([555], pa.int64()),
                "cost": pa.array([Decimal("10.00")], pa.decimal128(12, 2)),
                "currency": ["EUR"],
            }
        ),
    )
    write_parquet(
        drop / "visits" / "metrica.parquet",
        pa.table(
            {
                "visit_id": ["v1", "v2"],
                "client_id": ["c1", "c2"],
                "started_at": ["2026-03-01T10:00:00+03:00", "2026-03-01T12:30:00Z"],
                "utm_source": ["yandex", None],
                "page_views": pa.array([3, None], pa.int64()),
            }
        ),
    )
    write_csv(
        drop / "visits" / "site.csv",
        "visit_id,client_id,started_at,referrer\nv3,c3,2026-03-01 09:00:00,https://ya.ru/\n",
    )
    write_xlsx(
        drop / "deals" / "crm.xlsx",
        [
            ["deal_id", "created_at", "status", "amount", "currency", "manager"],
            [123.0, dt.datetime(2026, 3, 1, 15, 0), "Won", 1500.5, "rub", "Ivanova"],
        ],
    )
    write_csv(
        drop / "deals" / "more.csv",
        "deal_id;created_at;status;amount;currency;cost_of_goods\n"
        "124;2026-03-02T11:00:00+03:00;open;2 000,00;RUB;\n"
        "125;2026-03-02T12:00:00+03:00;LOST;10.50;usd;1,25\n",
    )


def test_happy_path_csv_xlsx_parquet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drop = tmp_path / "drop"
    make_happy_drop(drop)
    opened: list[str] = []
    real_read_table = files_module.read_table

    def counting_read_table(path: Path):
        opened.append(path.name)
        return real_read_table(path)

    monkeypatch.setattr(files_module, "read_table", counting_read_table)
    db = load(tmp_path, drop)
    # rejected_rows reuses what the entity resources found: every file is read once
    assert sorted(opened) == sorted(p.name for p in drop.rglob("*.*"))

    assert scalar(db, "select count(*) from raw_files.ad_spend") == 4
    spend = dict(query(db, "select currency, sum(cost) from raw_files.ad_spend group by 1"))
    assert spend == {"RUB": Decimal("1334.75"), "USD": Decimal("99.9"), "EUR": Decimal("10")}
    assert query(
        db, "select campaign_id, source_system, placement from raw_files.ad_spend order by 1"
    ) == [
        ("101", "yandex_direct", "search"),
        ("102", "files", "rsya"),  # empty source_system -> default; extra column kept
        ("555", "files", None),
        ("VK Spring", "files", None),  # campaign_id from campaign_name
    ]
    assert query(
        db, "select impressions, clicks from raw_files.ad_spend where campaign_id='101'"
    ) == [(1000, 50)]
    assert scalar(db, "select spend_date from raw_files.ad_spend where campaign_id='102'") == (
        dt.date(2026, 3, 1)
    )

    assert scalar(db, "select count(*) from raw_files.visits") == 3
    started = dict(query(db, "select visit_id, started_at from raw_files.visits"))
    assert started["v1"] == dt.datetime(2026, 3, 1, 7, 0, tzinfo=UTC)  # +03:00 -> UTC
    assert started["v2"] == dt.datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    assert started["v3"] == dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # no offset = UTC

    assert scalar(db, "select count(*) from raw_files.deals") == 3
    amounts = dict(query(db, "select currency, sum(amount) from raw_files.deals group by 1"))
    assert amounts == {"RUB": Decimal("3500.5"), "USD": Decimal("10.5")}
    assert query(
        db, "select deal_id, status, source_file, source_row from raw_files.deals order by 1"
    ) == [
        ("123", "won", "deals/crm.xlsx", 1),  # Excel 123.0 -> "123"; status lower-cased
        ("124", "open", "deals/more.csv", 1),
        ("125", "lost", "deals/more.csv", 2),
    ]
    assert scalar(db, "select cost_of_goods from raw_files.deals where deal_id = '125'") == (
        Decimal("1.25")
    )

    for table, column in [("ad_spend", "cost"), ("deals", "amount"), ("deals", "cost_of_goods")]:
        assert column_types(db, table)[column].startswith("DECIMAL"), (table, column)
    assert column_types(db, "visits")["started_at"] == "TIMESTAMP WITH TIME ZONE"
    assert column_types(db, "ad_spend")["spend_date"] == "DATE"
    assert column_types(db, "ad_spend")["placement"] == "VARCHAR"
    assert scalar(db, "select count(*) from raw_files.rejected_rows") == 0


# ---------------------------------------------------------------- personal data


def test_email_and_phone_are_hashed_never_stored(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    write_csv(
        drop / "deals" / "crm.csv",
        "deal_id,created_at,status,amount,currency,email,phone,full_name\n"
        "1,2026-03-01T10:00:00Z,won,100,RUB,Anna.K@Example.ru,+7 (916) 123-45-67,Анна Кузнецова\n"
        "2,2026-03-01T11:00:00Z,open,,RUB,boris@example.ru,,Борис Петров\n"
        "3,not-a-date,open,5,RUB,vera@example.ru,8 903 000-11-22,Вера Смирнова\n",
    )
    write_csv(
        drop / "calls" / "calltracking.csv",
        "call_id,started_at,Телефон клиента,duration_s,is_target,Client Name\n"
        "k1,2026-03-01T09:55:00Z,8 916 123 45 67,02:15,да,Анна\n",
    )
    db = load(tmp_path, drop)

    keys = dict(query(db, "select deal_id, contact_key from raw_files.deals"))
    assert keys == {
        "1": contact_key("Anna.K@Example.ru", "+7 (916) 123-45-67", SALT),
        "2": contact_key("boris@example.ru", None, SALT),
    }
    # the call from the same phone, written differently, gets the same key: it stitches
    assert query(db, "select caller_key, duration_s, is_target from raw_files.calls") == [
        (keys["1"], 135, True)
    ]
    raw = json.loads(scalar(db, "select raw from raw_files.rejected_rows"))
    assert raw["contact_key"] == contact_key("vera@example.ru", "8 903 000-11-22", SALT)
    assert not {"email", "phone", "full_name"} & raw.keys()

    secrets = [
        "anna.k@example.ru",
        "boris@example.ru",
        "vera@example.ru",
        "916",
        "123-45-67",
        "9031",
        "903 000",
        "Анна",
        "Борис",
        "Вера",
    ]
    text_columns = query(
        db,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR'",
    )
    assert len(text_columns) > 20
    with duckdb.connect(str(db), read_only=True) as con:
        for schema, table, column in text_columns:
            values = con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
            for (value,) in values:
                if value is None or column in ("contact_key", "caller_key"):
                    continue
                lowered = value.lower()
                for secret in secrets:
                    assert secret.lower() not in lowered, (schema, table, column, value)


# ---------------------------------------------------------------- bad input


def test_bad_rows_are_quarantined_and_good_rows_load(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    write_csv(
        drop / "deals" / "crm.csv",
        "deal_id;created_at;status;amount;currency\n"
        "1;2026-03-01T10:00:00+03:00;won;100,00;RUB\n"  # good
        "2;31/31/2024;open;10;RUB\n"
        "3;2026-03-01;won;-5;RUB\n"
        "4;2026-03-01;open;7;XYZ\n"
        ";2026-03-01;open;7;RUB\n"
        "6;2026-03-01;pending;7;RUB\n"
        "7;2026-03-02;open;8;rub\n",  # good
    )
    write_csv(
        drop / "ad_spend" / "direct.csv",
        "spend_date,campaign_id,cost,currency\n"
        "2026-03-01,101,-1.5,RUB\n"
        "2026-03-01,102,2.5,RUB\n"
        "2026-13-01,103,2.5,RUB\n",
    )
    write_csv(
        drop / "visits" / "v.csv",
        "visit_id,client_id,started_at\nv1,,2026-03-01T10:00:00Z\nv2,c2,2026-03-01T10:00:00Z\n",
    )
    db = load(tmp_path, drop)

    rejected = query(
        db,
        "select entity, source_file, source_row, reason from raw_files.rejected_rows order by 2, 3",
    )
    assert rejected == [
        ("ad_spend", "ad_spend/direct.csv", 1, "negative cost: '-1.5'"),
        ("ad_spend", "ad_spend/direct.csv", 3, "unparseable spend_date: '2026-13-01'"),
        ("deals", "deals/crm.csv", 2, "unparseable created_at: '31/31/2024'"),
        ("deals", "deals/crm.csv", 3, "negative amount: '-5'"),
        (
            "deals",
            "deals/crm.csv",
            4,
            "unknown currency: 'XYZ' (accepted: RUB, USD, EUR, KZT, BYN, CNY)",
        ),
        ("deals", "deals/crm.csv", 5, "empty deal_id"),
        (
            "deals",
            "deals/crm.csv",
            6,
            "unknown status: 'pending' (expected one of: open, won, lost)",
        ),
        ("visits", "visits/v.csv", 1, "empty client_id"),
    ]
    # rejected_rows alone (its entity resources not selected) reads the files itself
    alone = files(files_dir=str(drop), pii_salt=SALT).with_resources("rejected_rows")
    assert sorted(
        (r["source_file"], r["source_row"], r["reason"]) for r in alone.resources["rejected_rows"]
    ) == [(f, n, reason) for _, f, n, reason in rejected]

    assert query(db, "select deal_id, amount from raw_files.deals order by 1") == [
        ("1", Decimal("100")),
        ("7", Decimal("8")),
    ]
    assert query(db, "select campaign_id, cost from raw_files.ad_spend") == [
        ("102", Decimal("2.5"))
    ]
    assert query(db, "select visit_id from raw_files.visits") == [("v2",)]
    raw = json.loads(scalar(db, "select raw from raw_files.rejected_rows where source_row = 4"))
    assert raw == {
        "deal_id": "4",
        "created_at": "2026-03-01",
        "status": "open",
        "amount": "7",
        "currency": "XYZ",
    }

    # nothing silently dropped: rows in each file = loaded + rejected
    rows_in = {"deals/crm.csv": 7, "ad_spend/direct.csv": 3, "visits/v.csv": 2}
    counted = {}
    for table in ("deals", "ad_spend", "visits"):
        counted.update(rows_per_file(db, table))
    assert {f: loaded + rejected for f, (loaded, rejected) in counted.items()} == rows_in


@pytest.mark.parametrize(
    ("entity", "content", "message"),
    [
        (
            "deals",
            "deal_id,created_at,status,currency\n1,2026-03-01,open,RUB\n",
            "missing required column 'amount' (required for deals: deal_id, created_at, "
            "status, amount, currency)",
        ),
        (
            "ad_spend",
            "spend_date,cost,currency\n2026-03-01,1,RUB\n",
            "missing required column one of 'campaign_id', 'campaign_name', 'utm_campaign'",
        ),
    ],
)
def test_missing_required_column_names_file_and_column(
    tmp_path: Path, entity: str, content: str, message: str
) -> None:
    drop = tmp_path / "drop"
    path = write_csv(drop / entity / "export.csv", content)
    source = files(files_dir=str(drop), pii_salt=SALT)
    with pytest.raises(Exception) as excinfo:  # noqa: B017 - dlt wraps it, checked below
        list(source.resources[entity])
    error = schema_error(excinfo)
    assert str(error).startswith(f"{path}: ")
    assert message in str(error)


def test_missing_column_fails_the_run_and_unsupported_file(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    write_csv(drop / "visits" / "v.csv", "visit_id,started_at\nv1,2026-03-01\n")
    with pytest.raises(Exception) as excinfo:  # noqa: B017
        load(tmp_path, drop)
    assert "visits/v.csv: missing required column 'client_id'" in str(schema_error(excinfo))

    other = tmp_path / "other"
    (other / "deals").mkdir(parents=True)
    (other / "deals" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(Exception) as excinfo:  # noqa: B017
        list(files(files_dir=str(other), pii_salt=SALT).resources["deals"])
    assert "old.xls: unsupported file type '.xls'" in str(schema_error(excinfo))


# ---------------------------------------------------------------- idempotency


def test_reloads_are_idempotent_and_merge(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    deals_a = write_csv(
        drop / "deals" / "2026-03-01.csv",
        "deal_id,created_at,status,amount,currency\n"
        "1,2026-03-01T10:00:00Z,open,100,RUB\n"
        "2,2026-03-01T11:00:00Z,open,200,RUB\n"
        "9,2026-03-01T11:00:00Z,bogus,1,RUB\n",
    )
    deals_b = write_csv(
        drop / "deals" / "2026-03-02.csv",
        "deal_id,created_at,status,amount,currency\n"
        "1,2026-03-01T10:00:00Z,won,150,RUB\n"  # same key as in the earlier file: wins
        "3,2026-03-02T09:00:00Z,open,300,RUB\n",
    )
    write_csv(
        drop / "ad_spend" / "spend.csv",
        "spend_date,campaign_id,ad_group_id,cost,currency\n"
        "2026-03-01,101,,10,RUB\n"
        "2026-03-01,101,g1,5,RUB\n",
    )

    def snapshot(db: Path) -> tuple:
        return (
            query(db, "select deal_id, status, amount from raw_files.deals order by 1"),
            scalar(db, "select count(*) from raw_files.ad_spend"),
            scalar(db, "select sum(cost) from raw_files.ad_spend"),
            scalar(db, "select count(*) from raw_files.rejected_rows"),
        )

    first = snapshot(load(tmp_path, drop))
    assert first == (
        [
            ("1", "won", Decimal("150")),
            ("2", "open", Decimal("200")),
            ("3", "open", Decimal("300")),
        ],
        2,
        Decimal("15"),
        1,
    )
    assert snapshot(load(tmp_path, drop)) == first  # same folder again: nothing changes

    deals_a.unlink()  # rows loaded earlier stay; its bad row leaves rejected_rows
    assert snapshot(load(tmp_path, drop)) == (*first[:3], 0)

    deals_b.write_text(
        "deal_id,created_at,status,amount,currency\n"
        "1,2026-03-01T10:00:00Z,won,150,RUB\n"
        "3,2026-03-02T09:00:00Z,lost,300,RUB\n",
        encoding="utf-8",
    )
    db = load(tmp_path, drop)
    assert query(db, "select deal_id, status, amount from raw_files.deals order by 1") == [
        ("1", "won", Decimal("150")),
        ("2", "open", Decimal("200")),
        ("3", "lost", Decimal("300")),
    ]


# ---------------------------------------------------------------- empty input


def test_empty_folder_and_header_only_file(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    (drop / "calls").mkdir(parents=True)  # empty entity folder
    write_csv(drop / "deals" / "header_only.csv", "deal_id;created_at;status;amount;currency\n")
    write_csv(drop / "visits" / "empty.csv", "")
    db = load(tmp_path, drop)

    for table in ALL_TABLES:
        assert scalar(db, f"select count(*) from raw_files.{table}") == 0, table
    deal_columns = column_types(db, "deals")
    for column in ("deal_id", "created_at", "amount", "contact_key", "utm_term", "updated_at"):
        assert column in deal_columns
    assert deal_columns["amount"].startswith("DECIMAL")
    assert {"spend_date", "cost", "row_key", "source_file"} <= column_types(db, "ad_spend").keys()
    assert {"call_id", "caller_key", "is_target"} <= column_types(db, "calls").keys()
    assert {"reason", "raw", "source_row"} <= column_types(db, "rejected_rows").keys()
