"""amoCRM, Bitrix24, RetailCRM and Calltouch with the demo's visits, through the nightly job.

The proof of the connectors issue: each CRM's fake API (tests/connectors/<name>/) serves deals
pointing at demo visits (tests/crm_e2e_records.py), the real `pipelines.cli build` loads them
with the demo, and the marts show every deal stitched by the rule it was built for, its money
in every model, calls of unknown callers as leads, stage histories, and no secret, raw phone
or e-mail anywhere in the warehouse. Expectations are computed here, not read back from dbt.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from crm_e2e_records import (
    AMOCRM_TOKEN,
    BITRIX24_FIELD_MAP,
    CALLTOUCH_START,
    CALLTOUCH_TOKEN,
    EMAILS,
    NAME,
    PHONE_Q,
    PHONE_R,
    PHONES,
    RETAIL_SITE,
    RETAILCRM_API_KEY,
    RETAILCRM_FIELD_MAP,
    SECRETS,
    Expected,
    build_scenario,
    expected_call_leads,
)
from dlt.common.versioned_state import decompress_state
from fake_api_amocrm import FakeAmoApi
from fake_api_bitrix24 import FakeBitrix24Api
from fake_api_calltouch import SITE_ID as CALLTOUCH_SITE_ID
from fake_api_calltouch import FakeCalltouchApi
from fake_api_retailcrm import FakeRetailCrmApi
from nightly_helpers import SALT, Rates, build_env, moscow_date, run_build
from pytest_httpserver import HTTPServer

from connectors.common.pii import contact_key, normalize_phone

pytestmark = pytest.mark.slow

SOURCES = "demo,amocrm,bitrix24,retailcrm,calltouch"
LOOKBACK = dt.timedelta(days=30)  # attribution.lookback_days


# ------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def scenario(demo_data):
    return build_scenario(demo_data, SALT)


@pytest.fixture(scope="module")
def fakes(scenario):
    """The four fake APIs on one local server: their routes (/api/v4, /rest, /api/v5,
    /calls-service) do not overlap. Module-scoped, so not pytest-httpserver's per-test one."""
    server = HTTPServer()
    server.start()
    apis = {
        "amocrm": FakeAmoApi(**scenario.amocrm).register(server),
        "bitrix24": FakeBitrix24Api(**scenario.bitrix24).register(server),
        "retailcrm": FakeRetailCrmApi(scenario.retailcrm),
        "calltouch": FakeCalltouchApi(server, scenario.calltouch),
    }
    apis["retailcrm"].require_site = True  # proves the `sites` option reaches the connector
    apis["retailcrm"].register(server)
    yield server, apis
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(scope="module")
def build(tmp_path_factory, fakes):
    server, apis = fakes
    data_dir = tmp_path_factory.mktemp("crm_e2e") / "data"
    root = server.url_for("/").rstrip("/")
    env = build_env(
        data_dir,
        SOURCES,
        THROUGHLINE_AMOCRM_BASE_URL=root,
        AMOCRM_TOKEN=AMOCRM_TOKEN,
        BITRIX24_WEBHOOK_URL=apis["bitrix24"].webhook_url(),
        THROUGHLINE_SOURCES__BITRIX24__FIELD_MAP=BITRIX24_FIELD_MAP,
        THROUGHLINE_RETAILCRM_BASE_URL=root,
        RETAILCRM_API_KEY=RETAILCRM_API_KEY,
        THROUGHLINE_SOURCES__RETAILCRM__SITES=f"[{RETAIL_SITE}]",
        THROUGHLINE_SOURCES__RETAILCRM__FIELD_MAP=RETAILCRM_FIELD_MAP,
        THROUGHLINE_CALLTOUCH_BASE_URL=root,
        CALLTOUCH_TOKEN=CALLTOUCH_TOKEN,
        THROUGHLINE_SOURCES__CALLTOUCH__SITE_ID=CALLTOUCH_SITE_ID,
        # the first incremental run starts here and runs to yesterday: October is inside
        THROUGHLINE_SOURCES__CALLTOUCH__START_DATE=CALLTOUCH_START,
    )
    done = run_build(env)
    assert done.returncode == 0, done.stdout[-3000:] + "\n" + done.stderr[-6000:]
    return data_dir


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def naive_utc(ts: dt.datetime) -> dt.datetime:
    """The marts keep UTC timestamps without a zone."""
    return ts.astimezone(dt.UTC).replace(tzinfo=None)


def our_deals(scenario) -> list[Expected]:
    return [*scenario.deals, scenario.call_lead]


# ------------------------------------------------------------------------------- the tests


def test_every_api_was_read_with_its_options(build, fakes):
    _, apis = fakes
    assert {p for p, _ in apis["amocrm"].calls} >= {"/api/v4/leads", "/api/v4/events"}
    assert {"crm.deal.list", "crm.stagehistory.list", "crm.contact.list"} <= set(
        apis["bitrix24"].methods()
    )
    deal_lists = [body for method, body in apis["bitrix24"].calls if method == "crm.deal.list"]
    assert "UF_CRM_VISIT_ID" in deal_lists[0]["select"]  # field_map reached the connector
    retail = apis["retailcrm"].requests
    assert retail and all(r["args"].get("site") in (None, [RETAIL_SITE]) for r in retail)
    days_from = [r["dateFrom"] for r in apis["calltouch"].requests]
    assert days_from[0] == "01/09/2026"  # the start_date option, not 30 days before today


def test_each_crm_deal_is_stitched_by_its_rule(build, scenario):
    rates = Rates()
    keys = [d.deal_key for d in scenario.deals]
    rows = query(
        build / "serving.duckdb",
        "select deal_key, source_system, match_rule, status, amount, currency, "
        "amount_reporting, created_at, is_unattributed from fct_deals "
        "where deal_key in (select unnest(?))",
        [keys],
    )
    got = {r[0]: r[1:] for r in rows}
    assert sorted(got) == sorted(keys)
    for deal in scenario.deals:
        assert got[deal.deal_key] == (
            deal.source_system,
            deal.match_rule,
            deal.status,
            deal.amount,
            deal.currency,
            rates.to_rub(deal.amount, deal.currency, moscow_date(deal.created_at)),
            naive_utc(deal.created_at),
            deal.match_rule == "none",  # only the deal with nothing has no path
        ), deal.deal_key
    assert {d.match_rule for d in scenario.deals} == {
        "visit_id", "client_id", "click_id", "contact_key", "none",
    }  # fmt: skip


def test_paths_are_the_stitched_browser_up_to_the_deal(build, scenario, demo_data):
    """A path holds the stitched browser's demo visits (and its tracked calls) between
    lookback_days before the deal and the deal itself; the first of them always stays."""
    visits_of: dict[str, list[tuple[dt.datetime, str]]] = {}
    for v in demo_data["visits"].to_pylist():
        visits_of.setdefault(v["client_id"], []).append((v["started_at"], v["visit_id"]))
    touches: dict[str, list[tuple]] = {}
    for key, index, visit_id, touch_at in query(
        build / "warehouse.duckdb",
        "select deal_key, touch_index, visit_id, touch_at from intermediate.int_touchpoints "
        "order by deal_key, touch_index",
    ):
        touches.setdefault(key, []).append((index, visit_id, touch_at))
    for deal in our_deals(scenario):
        path = touches.get(deal.deal_key, [])
        if deal.client_id is None:
            assert path == [], deal.deal_key
            continue
        window = sorted(
            (at, vid)
            for at, vid in visits_of[deal.client_id]
            if deal.created_at - LOOKBACK <= at <= deal.created_at
        )
        allowed = {vid for _, vid in window} | set(deal.extra_touches)
        ids = [vid for _, vid, _ in path]
        assert path and set(ids) <= allowed, deal.deal_key
        assert ids[0] == window[0][1], deal.deal_key
        assert set(deal.extra_touches) <= set(ids), deal.deal_key  # the call is a touch
        assert max(at for _, _, at in path) <= naive_utc(deal.created_at), deal.deal_key
    # the browsers chosen for two deals came back later: those visits are not in the paths
    for rule in ("client_id", "visit_id"):
        deal = next(d for d in scenario.deals if d.match_rule == rule)
        assert any(at > deal.created_at for at, _ in visits_of[deal.client_id]), rule


def test_revenue_and_leads_reach_every_model(build, scenario, demo_data):
    """fct_channel_daily, summed over channels, holds every deal once in every model: the demo's,
    the CRM ones (won amounts in roubles at the rate of their day) and the calls-as-leads."""
    rates = Rates()
    demo_deals = demo_data["deals"].to_pylist()
    demo_won = [d for d in demo_deals if d["status"] == "won"]
    ours_won = [d for d in scenario.deals if d.status == "won"]
    revenue = sum(
        rates.to_rub(d["amount"], d["currency"], moscow_date(d["created_at"])) for d in demo_won
    ) + sum(rates.to_rub(d.amount, d.currency, moscow_date(d.created_at)) for d in ours_won)
    leads = (
        len(demo_deals) + len(scenario.deals) + len(expected_call_leads(demo_data, scenario, SALT))
    )
    totals = query(
        build / "serving.duckdb",
        "select attribution_model, sum(leads), sum(deals_won), sum(revenue) "
        "from fct_channel_daily group by 1 order by 1",
    )
    assert len(totals) == 9
    for model, model_leads, won, model_revenue in totals:
        assert model_leads == pytest.approx(leads, abs=1e-9), model
        assert won == pytest.approx(len(demo_won) + len(ours_won), abs=1e-9), model
        assert abs(model_revenue - revenue) < Decimal("0.01"), model


def test_a_target_call_nobody_knows_became_a_lead(build, scenario, demo_data):
    lead = scenario.call_lead
    rows = query(
        build / "serving.duckdb",
        "select deal_key, match_rule, status, contact_key, created_at from fct_deals "
        "where deal_key like 'calltouch:call:%'",
    )
    assert {r[0] for r in rows} == expected_call_leads(demo_data, scenario, SALT)
    ours = next(r for r in rows if r[0] == lead.deal_key)
    assert ours[1:] == (
        lead.match_rule,
        "open",
        contact_key(None, PHONE_Q, SALT),
        naive_utc(lead.created_at),
    )
    # the non-target call (spam) is neither a lead nor a touch
    spam_key = contact_key(None, PHONE_R, SALT)
    assert query(
        build / "serving.duckdb", "select count(*) from fct_deals where contact_key = ?", [spam_key]
    ) == [(0,)]
    # a call from a contact the CRM knows (P) is no lead: it stitched amoCRM's deal instead
    assert not any(r[0] == "calltouch:call:770001" for r in rows)


def test_stage_histories_landed(build, scenario):
    keys = [d.deal_key for d in scenario.deals]
    got: dict[str, list[str]] = {}
    for key, stage in query(
        build / "warehouse.duckdb",
        "select deal_key, stage from intermediate.int_deal_stage_events_unioned "
        "where deal_key in (select unnest(?)) order by deal_key, entered_at",
        [keys],
    ):
        got.setdefault(key, []).append(stage)
    assert got == {d.deal_key: list(d.stages) for d in scenario.deals}


# ------------------------------------------------------------------------------- privacy


def _forbidden() -> re.Pattern:
    """Secrets, the salt, the name, the e-mails (and any e-mail), and each raw phone however it
    is written: its 10 national digits with any spaces, brackets or dashes between them."""
    literals = [*SECRETS.values(), SALT, NAME, *EMAILS]
    sep = r"[\s()\-]*"
    phones = [sep.join(normalize_phone(p)[1:]) for p in PHONES]
    email = r"[^@\s]+@[^@\s]+\.[a-z]{2,}"
    return re.compile("|".join([*map(re.escape, literals), *phones, email]), re.IGNORECASE)


def _leaks_in_database(db: Path, pattern: re.Pattern) -> list[tuple]:
    leaks = []
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where (data_type in ('VARCHAR', 'JSON') or data_type like '%[]' "
            "or data_type like 'STRUCT%' or data_type like 'MAP%') "
            "and schema_name not in ('information_schema', 'pg_catalog')"
        ).fetchall()
        for schema, table, column in columns:
            hits = con.execute(
                f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" '
                f"where regexp_matches(cast(\"{column}\" as varchar), ?, 'i') limit 3",
                [pattern.pattern],
            ).fetchall()
            leaks += [(schema, table, column, hit[0][:120]) for hit in hits]
        # dlt keeps each pipeline's state compressed: look inside it too
        states = con.execute(
            "select table_schema from information_schema.tables "
            "where table_name = '_dlt_pipeline_state'"
        ).fetchall()
        for (schema,) in states:
            blobs = con.execute(f'select state from "{schema}"._dlt_pipeline_state').fetchall()
            for (blob,) in blobs:
                if hit := pattern.search(str(decompress_state(blob))):
                    leaks.append((schema, "_dlt_pipeline_state", "state", hit.group(0)))
    return leaks


def test_no_secret_or_raw_personal_data_in_the_warehouse(build):
    pattern = _forbidden()
    assert _leaks_in_database(build / "warehouse.duckdb", pattern) == []
    assert _leaks_in_database(build / "serving.duckdb", pattern) == []
    # the records really carried all of it: the scan would have seen it
    assert all(pattern.search(p) for p in PHONES) and all(pattern.search(e) for e in EMAILS)


def test_no_secret_in_any_other_file_the_build_wrote(build):
    """dlt's pipeline folders and Dagster's run storage: the secrets in none of their bytes."""
    secrets = [s.encode() for s in [*SECRETS.values(), SALT]]
    found = []
    for path in build.rglob("*"):
        if path.is_file() and ".duckdb" not in path.name:
            data = path.read_bytes()
            found += [(str(path.relative_to(build)), s.decode()) for s in secrets if s in data]
    assert found == []
