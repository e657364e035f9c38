"""The amocrm source against a local fake amoCRM: a real dlt pipeline into a temp DuckDB."""

from __future__ import annotations

import copy
from pathlib import Path

import dlt
import duckdb
import pytest
from amocrm_sample_records import DAY, T0, TOKEN, sample_records, status_event
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api_amocrm import FakeAmoApi

from connectors.amocrm import from_options
from connectors.amocrm.client import AmoClient
from connectors.common.http import SourceApiError
from connectors.common.pii import contact_key

SALT = "amo-test-salt"
LAG = 3600


class Clock:
    """The client's clock and sleep: time moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def source(httpserver, fake: FakeAmoApi, clock: Clock | None = None, start=None, end=None,
           token: str = TOKEN, **options):  # fmt: skip
    fake.register(httpserver)
    clock = clock or Clock()
    opts = {"base_url": httpserver.url_for("/"), "field_map": {"utm_content": 777001}, **options}
    env = {"AMOCRM_TOKEN": token}
    return from_options(opts, env, SALT, start, end, sleep=clock.sleep, clock=clock)


def client(httpserver, clock: Clock | None = None, max_pages: int = 100) -> AmoClient:
    clock = clock or Clock()
    return AmoClient(httpserver.url_for("/"), TOKEN, max_pages, sleep=clock.sleep, clock=clock)


def run(tmp_path: Path, src) -> Path:
    db = tmp_path / "wh.duckdb"
    pipeline = dlt.pipeline(
        pipeline_name="amocrm_test",
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw_amocrm",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    pipeline.run(src)
    return db


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def leads(db: Path, columns: str) -> dict[int, tuple]:
    return {r[0]: r[1:] for r in rows(db, f"select id, {columns} from raw_amocrm.leads")}


def many_leads(n: int) -> list[dict]:
    base = sample_records()["leads"][3]  # no contacts, no custom fields
    return [{**copy.deepcopy(base), "id": 100 + i, "updated_at": T0 + i} for i in range(n)]


def failure(excinfo: pytest.ExceptionInfo) -> BaseException:
    err = excinfo.value
    while isinstance(err, PipelineStepFailed) or (err.__cause__ and not isinstance(
            err, SourceApiError)):  # fmt: skip
        err = err.__cause__
    return err


# ------------------------------------------------------------------ complete load


def test_full_load_names_money_keys_tracking_and_tombstones(tmp_path, httpserver):
    fake = FakeAmoApi.sample()
    db = run(tmp_path, source(httpserver, fake))
    got = leads(
        db,
        "pipeline_name, status_name, price, currency, contact_key, utm_source, utm_medium, "
        "utm_content, client_id, yclid, gclid, visit_id, closed_at, is_deleted",
    )
    assert sorted(got) == [1, 2, 3, 4, 5, 6]
    ivan = contact_key("ivan@example.ru", "+7 (912) 345-67-89", SALT)
    assert got[1] == ("Продажи", "Успешно реализовано", 150000, "RUB", ivan, "yandex", "cpc",
                      None, "1700000000123456789", "7311", None, "40213", T0 + 3 * DAY,
                      False)  # fmt: skip
    assert got[2][4:7] == (contact_key("maria@example.com", None, SALT), "google", None)  # enum
    assert got[2][10] == "Cj0KCQ-abc"
    # multi-value: the first; empty value: absent; field_map by field_id; main contact first
    assert got[3][4:8] == (contact_key(None, "89120001122", SALT), "vk", None, "partner_site")
    assert got[4][0:2] == ("Опт", "Первичный контакт") and got[4][4] is None  # no contact
    assert got[5][2] is None and got[5][12] is None  # no price; closed_at 0 = not closed
    assert got[6][0] is None and got[6][13] is True  # deleted: a tombstone
    assert fake.calls_to("/api/v4/leads")[0] == {
        "with": ["contacts"], "filter[updated_at][from]": ["0"], "order[updated_at]": ["asc"],
        "page": ["1"], "limit": ["250"]}  # fmt: skip
    assert len(fake.calls_to("/api/v4/contacts")) == 1  # one call per page of leads

    stages = rows(db, "select lead_id, type, pipeline_name, status_name, pipeline_id_before "
                      "from raw_amocrm.lead_events order by lead_id, created_at")  # fmt: skip
    assert len(stages) == 11
    assert (4, "lead_status_changed", "Опт", "Первичный контакт", 1001) in stages  # moved
    assert (1, "lead_status_changed", "Продажи", "Успешно реализовано", 1001) in stages
    # [v] unconfirmed: lead_added may carry no lead_status; it gets the stage its first status
    # change left (lead 2) or, with no change since, the lead's current stage (lead 5)
    added = dict(rows(db, "select lead_id, status_id from raw_amocrm.lead_events "
                          "where type = 'lead_added'"))  # fmt: skip
    assert added == {1: 10011, 2: 10011, 3: 10011, 4: 10011, 5: 10011, 6: 10011}
    assert fake.calls_to("/api/v4/leads")[-1]["filter[id][]"] == ["5"]


def test_paging_follows_next_and_stops_on_the_last_page(httpserver):
    fake = FakeAmoApi.sample(leads=many_leads(600)).register(httpserver)
    pages = list(client(httpserver).leads(0, None))
    assert [len(p) for p in pages] == [250, 250, 100]
    assert [c["page"] for c in fake.calls_to("/api/v4/leads")] == [["1"], ["2"], ["3"]]


def test_a_next_link_on_the_last_page_ends_at_the_204(httpserver):
    fake = FakeAmoApi.sample(leads=many_leads(300), always_next=True).register(httpserver)
    assert [len(p) for p in client(httpserver).leads(0, None)] == [250, 50]
    assert [c["page"] for c in fake.calls_to("/api/v4/leads")] == [["1"], ["2"], ["3"]]


def test_empty_account_answers_204_and_tables_still_exist(tmp_path, httpserver):
    records = sample_records()
    fake = FakeAmoApi(pipelines=records["pipelines"], account=records["account"])
    db = run(tmp_path, source(httpserver, fake))
    assert rows(db, "select count(*) from raw_amocrm.leads") == [(0,)]
    assert rows(db, "select count(*) from raw_amocrm.lead_events") == [(0,)]
    columns = {r[0] for r in rows(db, "describe raw_amocrm.leads")}
    assert {"closed_at", "contact_key", "utm_term", "is_deleted", "fbclid"} <= columns


def test_numbers_as_strings_and_the_currency_option(tmp_path, httpserver):
    fake = FakeAmoApi.sample(numbers_as_strings=True)  # "1 772 326 800", "150 000", "10 011"
    db = run(tmp_path, source(httpserver, fake, currency="usd"))
    got = leads(db, "status_id, price, created_at, pipeline_name, currency")
    assert got[1] == (142, 150000, T0 + 3600, "Продажи", "USD") and got[4][1] == 12500
    assert fake.calls_to("/api/v4/account") == []  # the option wins over the account's


# ------------------------------------------------------------ windows and increments


def test_explicit_window_rerun_does_not_double(tmp_path, httpserver):
    fake = FakeAmoApi.sample()
    for _ in range(2):
        db = run(tmp_path, source(httpserver, fake, start="2026-03-02", end="2026-03-03"))
    # 2026-03-02 00:00 Moscow .. 2026-03-03 24:00 Moscow (exclusive)
    low, high = T0 + DAY - 3 * 3600, T0 + 3 * DAY - 3 * 3600
    call = fake.calls_to("/api/v4/leads")[-1]
    assert call["filter[updated_at][from]"] == [str(low)]
    assert call["filter[updated_at][to]"] == [str(high - 1)]
    assert sorted(leads(db, "updated_at")) == [2, 3, 4]  # updated inside the window only
    assert rows(db, "select count(*), count(distinct id) from raw_amocrm.leads") == [(3, 3)]


def test_incremental_run_picks_up_changes_deletions_and_restores(tmp_path, httpserver):
    fake = FakeAmoApi.sample()
    run(tmp_path, source(httpserver, fake))
    fake.update_lead(3, T0 + 5 * DAY, status_id=142, closed_at=T0 + 5 * DAY)
    fake.events.append(status_event("e20", 3, T0 + 5 * DAY, (1001, 142), (1001, 10012)))
    fake.leads.append({**copy.deepcopy(fake.leads[3]), "id": 7, "updated_at": T0 + 5 * DAY})
    fake.delete_lead(4, T0 + 5 * DAY)
    # [v] restores: the restored lead is fetched by id whatever its updated_at says
    fake.deleted.remove(6)
    fake.events.append(status_event("res6", 6, T0 + 5 * DAY + 60, None, kind="lead_restored"))
    db = run(tmp_path, source(httpserver, fake))

    last_max = T0 + 4 * DAY + 100  # run 1's newest updated_at (the tombstone of lead 6)
    windowed = [c for c in fake.calls_to("/api/v4/leads") if "filter[updated_at][from]" in c]
    assert windowed[-1]["filter[updated_at][from]"] == [str(last_max - LAG)]
    got = leads(db, "status_id, is_deleted, updated_at")
    assert sorted(got) == [1, 2, 3, 4, 5, 6, 7]
    assert got[3][:2] == (142, False) and got[7][:2] == (10021, False)
    assert got[4][1] is True  # deleted now: a tombstone
    assert got[6][1] is False and got[6][2] == T0 + 5 * DAY + 60  # restored
    assert rows(db, "select count(*) from raw_amocrm.lead_events where id = 'e20'") == [(1,)]


# --------------------------------------------------------------------- faults


def test_429_5xx_and_cut_bodies_are_retried_with_backoff_then_load(tmp_path, httpserver):
    clock = Clock()
    fake = FakeAmoApi.sample(fail_next=[(429, {}), (429, {"Retry-After": "3"}), (503, {})])
    fake.truncate_next = 1
    db = run(tmp_path, source(httpserver, fake, clock))
    assert rows(db, "select count(*) from raw_amocrm.leads") == [(6,)]
    # exponential 2, Retry-After honoured, 8 for the third failure, 16 for the cut body
    assert [s for s in clock.sleeps if s >= 1] == [2.0, 3.0, 8.0, 16.0]
    assert fake.block_ip is False


def test_never_more_than_7_requests_a_second(httpserver):
    clock = Clock()
    fake = FakeAmoApi.sample(leads=many_leads(2500), clock=clock).register(httpserver)
    amo = client(httpserver, clock)
    assert sum(len(p) for p in amo.leads(0, None)) == 2500
    amo.pipelines()
    assert fake.throttled == 0 and len(fake.seen_at) == 11
    gaps = [b - a for a, b in zip(fake.seen_at, fake.seen_at[1:], strict=False)]
    assert min(gaps) >= 1 / 6 - 1e-9


def test_the_fake_throttles_a_client_without_a_limiter_and_then_blocks(httpserver):
    clock = Clock()  # never advances: 8 requests in the same instant
    fake = FakeAmoApi.sample(clock=clock).register(httpserver)
    amo = AmoClient(httpserver.url_for("/"), TOKEN, 100, sleep=lambda s: None, clock=clock)
    amo.http.rate_limiter = None
    with pytest.raises(SourceApiError) as excinfo:
        for _ in range(12):
            amo.pipelines()
    assert excinfo.value.status == 403 and fake.throttled == 4


def test_ip_block_403_stops_at_once_and_keeps_the_warehouse(tmp_path, httpserver):
    fake = FakeAmoApi.sample()
    db = run(tmp_path, source(httpserver, fake))
    before = rows(db, "select * from raw_amocrm.leads order by id")
    fake.block_ip, calls = True, len(fake.calls)
    fake.update_lead(1, T0 + 9 * DAY, price=1)
    with pytest.raises(PipelineStepFailed) as excinfo:
        run(tmp_path, source(httpserver, fake))
    err = failure(excinfo)
    assert isinstance(err, SourceApiError) and err.status == 403
    assert "Not retrying" in str(err) and "7 requests/s" in str(err)
    assert len(fake.calls) == calls + 1  # one request, no retry
    assert rows(db, "select * from raw_amocrm.leads order by id") == before


def test_wrong_token_401_fails_clearly_without_the_token(tmp_path, httpserver, client_logs):
    fake = FakeAmoApi.sample()
    wrong = "wrong-token-0a1b2c3d"
    with pytest.raises(PipelineStepFailed) as excinfo:
        run(tmp_path, source(httpserver, fake, token=wrong))
    err = failure(excinfo)
    assert err.status == 401 and "AMOCRM_TOKEN" in str(err)
    assert len(fake.calls) == 1
    assert wrong not in str(excinfo.value) and wrong not in client_logs()


def test_html_error_page_with_200_fails_and_loads_nothing(tmp_path, httpserver):
    fake = FakeAmoApi.sample(html_200=True)
    with pytest.raises(PipelineStepFailed) as excinfo:
        run(tmp_path, source(httpserver, fake))
    assert "not JSON" in str(failure(excinfo))
    db = tmp_path / "wh.duckdb"
    tables = rows(db, "select table_name from information_schema.tables") if db.exists() else []
    assert ("leads",) not in tables


def test_repeated_page_and_too_many_pages_stop_the_loop(tmp_path, httpserver):
    fake = FakeAmoApi.sample(leads=many_leads(600), loop_pages=True)
    with pytest.raises(PipelineStepFailed) as excinfo:
        run(tmp_path, source(httpserver, fake))
    assert "repeats an earlier page" in str(failure(excinfo))
    fake.loop_pages = False
    with pytest.raises(SourceApiError, match="more than 2 pages"):
        list(client(httpserver, max_pages=2).leads(0, None))


# ---------------------------------------------------------------- secrets and PII


def test_no_token_and_no_personal_data_anywhere(tmp_path, httpserver, client_logs):
    fake = FakeAmoApi.sample(fail_next=[(500, {})])
    db = run(tmp_path, source(httpserver, fake))
    forbidden = [TOKEN, "ivan@example.ru", "maria@example.com", "Иван", "Петров", "Мария",
                 "Олег", "345-67-89", "79123456789", "89120001122", "79991112233"]  # fmt: skip
    with duckdb.connect(str(db), read_only=True) as con:
        text_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        values = [
            str(v)
            for schema, table, column in text_columns
            for (v,) in con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
            if v is not None
        ]
    assert len(values) > 50
    for needle in forbidden:
        assert not any(needle.lower() in v.lower() for v in values), needle
        assert needle not in client_logs()
