"""Options that must be right, and the token and callers' numbers: never in a log, an error, dlt's
files or state, or the warehouse (every text column of every table is scanned)."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import traceback

import duckdb
import pytest
from dlt.common.versioned_state import decompress_state
from fake_api_calltouch import SALT, SITE_ID, TOKEN, call

from connectors.calltouch import from_options
from connectors.common.config import ConnectorConfigError

WRONG = "wrong-T0ken-abcdef123"
PHONES = re.compile(r"916\D?555")  # every sample caller is +7 916 555-..
PII = ("Иван Петров", "ivan@example.ru")


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({"site_id": SITE_ID}, {}, "CALLTOUCH_TOKEN is not set"),
        ({"site_id": SITE_ID}, {"CALLTOUCH_TOKEN": "  "}, "CALLTOUCH_TOKEN is not set"),
        ({}, {"CALLTOUCH_TOKEN": TOKEN}, "sources.calltouch.site_id is not set"),
        ({"site_id": "my site"}, {"CALLTOUCH_TOKEN": TOKEN}, "is not a number"),
        ({"site_id": SITE_ID, "timezone": "Moscow"}, {"CALLTOUCH_TOKEN": TOKEN}, "IANA"),
        ({"site_id": SITE_ID, "restatement_days": "-1"}, {"CALLTOUCH_TOKEN": TOKEN}, ">= 0"),
        ({"site_id": SITE_ID, "page_size": 5000}, {"CALLTOUCH_TOKEN": TOKEN}, "1..1000"),
        ({"site_id": SITE_ID, "start_date": "31/12/2025"}, {"CALLTOUCH_TOKEN": TOKEN}, "YYYY"),
    ],
)
def test_bad_configuration_is_a_clear_error(options, env, message):
    with pytest.raises(ConnectorConfigError, match=re.escape(message)):
        from_options(options, env, SALT)


def test_options_from_the_environment_are_strings():
    source = from_options(
        {"site_id": 48213, "restatement_days": "5", "chunk_days": "14", "enabled": True},
        {"CALLTOUCH_TOKEN": TOKEN},
        SALT,
    )
    assert list(source.resources) == ["calls"]


def _all_text(path) -> str:
    """Every text value in the warehouse, dlt's state decompressed."""
    out = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.sql("""
            select table_schema, table_name, column_name from information_schema.columns
            where data_type = 'VARCHAR'""").fetchall()
        for schema, table, column in columns:
            for (value,) in con.sql(f'select "{column}" from "{schema}"."{table}"').fetchall():
                if value is None:
                    continue
                out.append(value)
                if table == "_dlt_pipeline_state" and column == "state":
                    out.append(repr(decompress_state(value)))
    return "\n".join(out)


def _all_files(root) -> bytes:
    blobs = []
    for file in root.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            blobs.append(gzip.decompress(data) if file.suffix == ".gz" else data)
    return b"\n".join(blobs)


def _chain(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_no_token_and_no_phone_anywhere(api, load, query, client_logs, tmp_path):
    api.statuses = [(503, None), (429, "1")]
    api.html_200 = 1
    api.arrivals = [call(150, "04/03/2026 23:30:00")]
    api.extra_fields = {"callerName": PII[0], "email": PII[1], "newMetric": 5}  # schema drift
    load(page_size=2)
    loaded = query("select count(*) from raw_calltouch.calls")
    assert loaded == [(10,)]

    api.statuses = [(500, None)] * 5  # the API keeps failing: the run fails, nothing changes
    with pytest.raises(Exception) as failing:
        load(page_size=2, today=dt.date(2026, 3, 9))
    api.records.append(call(160, "04/03/2026 23:40:00"))
    with pytest.raises(Exception) as refused:  # the API echoes the token it refuses
        load(page_size=2, env={"CALLTOUCH_TOKEN": WRONG})
    assert "after 5 attempts (HTTP 500)" in _chain(failing.value)
    assert "HTTP 401" in _chain(refused.value) and "CALLTOUCH_TOKEN" in _chain(refused.value)
    assert query("select count(*) from raw_calltouch.calls") == loaded

    errors = _chain(failing.value) + _chain(refused.value)
    warehouse = _all_text(tmp_path / "wh.duckdb")
    files = _all_files(tmp_path / "dlt")
    for secret in (TOKEN, WRONG):
        assert secret not in client_logs()
        assert secret not in errors
        assert secret not in warehouse
        assert secret.encode() not in files
    assert "last_loaded_date" in warehouse  # the state was read, and it holds a date only
    assert not PHONES.search(warehouse) and not PHONES.search(files.decode(errors="replace"))
    for value in PII:
        assert value not in warehouse and value.encode() not in files
    assert "ivan" not in warehouse.lower()
