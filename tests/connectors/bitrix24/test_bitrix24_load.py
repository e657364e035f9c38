"""The bitrix24 source end to end: fake portal -> real dlt pipeline -> DuckDB, numbers read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from bitrix24_helpers import NOW, SALT, Harness, deal_calls
from fake_api_bitrix24 import FakeBitrix24Api
from sample_bitrix24 import (
    N_DEALS,
    contact_email,
    contact_phone,
    iso,
    make_deal,
    make_history,
    sample_records,
)

from connectors.common.pii import contact_key

SAMPLE = sample_records()
MSK = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture(scope="module")
def loaded(make_httpserver, tmp_path_factory):
    """One full webhook load, read by several tests (a dlt run costs seconds)."""
    harness = Harness(tmp_path_factory.mktemp("bitrix24_full"), api=None)  # type: ignore[arg-type]
    make_httpserver.clear()  # `httpserver` clears at set-up only: drop earlier tests' handlers
    harness.api = FakeBitrix24Api(clock=harness.clock).register(make_httpserver)
    harness.run()
    make_httpserver.clear()
    return harness


def test_full_load_lands_every_deal_and_stage_change(loaded):
    portal = loaded
    assert portal.count("deals") == N_DEALS
    assert portal.count("deal_stage_events") == len(SAMPLE["history"])
    total = sum(Decimal(d["OPPORTUNITY"]) for d in SAMPLE["deals"])
    assert portal.scalar("select sum(amount) from raw_bitrix24.deals") == total
    statuses = dict(portal.query("select status, count(*) from raw_bitrix24.deals group by 1"))
    assert statuses == {"open": 72, "won": 24, "lost": 24}
    assert portal.scalar("select count(*) from raw_bitrix24.deals where currency = 'USD'") == 10

    # deal 3 (ID 13): pipeline 1, "C1:LOSE" -> stage LOSE, closed; times from +03:00 to UTC
    row = portal.query(
        "select pipeline, stage, stage_id, status, created_at, closed_at, updated_at, manager "
        "from raw_bitrix24.deals where deal_id = '13'"
    )[0]
    created = dt.datetime(2024, 9, 1, 9, tzinfo=MSK) + dt.timedelta(hours=15)
    assert row[:4] == ("1", "LOSE", "C1:LOSE", "lost")
    assert row[4] == created.astimezone(dt.UTC)
    assert row[5] == (created + dt.timedelta(days=7)).astimezone(dt.UTC)
    assert row[6] == (created + dt.timedelta(hours=30)).astimezone(dt.UTC)
    assert row[7] == "4"
    # an open deal has no closed_at even though Bitrix24 fills CLOSEDATE with a plan
    open_closed = (
        "select count(*) from raw_bitrix24.deals where status = 'open' and closed_at is not null"
    )
    assert portal.scalar(open_closed) == 0


def test_links_utm_and_contact_keys(loaded):
    portal = loaded
    rows = {
        r[0]: r[1:]
        for r in portal.query(
            "select deal_id, client_id, click_id, utm_source, utm_campaign, contact_key, "
            "contact_id from raw_bitrix24.deals"
        )
    }
    # i = 35: client id, yclid (i % 5 == 0) wins over gclid (i % 7 == 0); odd i has UTM tags
    assert rows["48"][:4] == ("1725000035", "yclid35", "yandex", "autumn_2")
    assert rows["25"][1] == "gclid14" and rows["25"][2] is None  # "" is NULL, not ''
    # deal 11 -> contact 1001: the phone wins over the e-mail; contact 1035 has only an e-mail
    assert rows["11"][4:] == (contact_key(None, contact_phone(1), SALT), "1001")
    assert rows["48"][4:] == (contact_key(contact_email(35), None, SALT), "1035")
    no_contact = [d for d in SAMPLE["deals"] if d["CONTACT_ID"] == "0"]
    assert all(rows[d["ID"]][4:] == (None, None) for d in no_contact)
    # one crm.contact.list call per page of deals with new contacts, by "@ID"
    bodies = deal_calls(portal.api, "crm.contact.list")
    assert len(bodies) == 2 and all("@ID" in b["filter"] for b in bodies)


def test_pages_by_id_in_bulk_mode(loaded):
    portal = loaded
    bodies = deal_calls(portal.api)
    assert [b["start"] for b in bodies] == [-1, -1, -1]
    assert all(b["order"] == {"ID": "ASC"} for b in bodies)
    ids = sorted(int(d["ID"]) for d in SAMPLE["deals"])
    assert [b["filter"][">ID"] for b in bodies] == [0, ids[49], ids[99]]
    assert "STAGE_SEMANTIC_ID" in bodies[0]["select"]
    assert {"UF_CRM_CLIENT_ID", "UF_CRM_YCLID", "UF_CRM_GCLID"} <= set(bodies[0]["select"])
    history = deal_calls(portal.api, "crm.stagehistory.list")
    assert [b["start"] for b in history] == [0, 50, 100, 150, 200]
    assert all(b["entityTypeId"] == 2 for b in history)


def test_incremental_run_rereads_the_lag_and_picks_up_changes(portal):
    portal.run()
    changed = portal.api.deals[0]  # deal 1, ID 11, NEW
    later = NOW + dt.timedelta(hours=2)
    changed.update(STAGE_ID="WON", STAGE_SEMANTIC_ID="S", CLOSED="Y", DATE_MODIFY=iso(later))
    portal.api.history.append(
        {**make_history(changed, 9000)[-1], "CREATED_TIME": iso(later), "ID": 9000}
    )
    new = {**make_deal(200), "DATE_MODIFY": iso(later)}
    portal.api.deals.append(new)
    portal.api.calls.clear()

    portal.run(now=NOW + dt.timedelta(days=1))
    since = (NOW - dt.timedelta(minutes=60)).isoformat(timespec="seconds")
    assert deal_calls(portal.api)[0]["filter"] == {">=DATE_MODIFY": since, ">ID": 0}
    history = deal_calls(portal.api, "crm.stagehistory.list")[0]
    assert history["filter"] == {">=CREATED_TIME": since}
    assert portal.count("deals") == N_DEALS + 1
    assert portal.query("select status, stage from raw_bitrix24.deals where deal_id = '11'") == [
        ("won", "WON")
    ]
    assert portal.count("deal_stage_events") == len(SAMPLE["history"]) + 1

    portal.api.calls.clear()
    portal.run(now=NOW + dt.timedelta(days=2))  # the next run starts from the previous one
    since = (NOW + dt.timedelta(days=1, minutes=-60)).isoformat(timespec="seconds")
    assert deal_calls(portal.api)[0]["filter"][">=DATE_MODIFY"] == since
    # the changed deal is read again inside the lag: merged, not doubled
    assert portal.count("deals") == N_DEALS + 1
    assert portal.count("deal_stage_events") == len(SAMPLE["history"]) + 1


def test_explicit_window_loads_those_days_and_leaves_the_cursor(portal):
    portal.run(start=dt.date(2024, 9, 5), end=dt.date(2024, 9, 6))
    body = deal_calls(portal.api)[0]
    # Moscow days -> UTC bounds, end exclusive
    assert body["filter"][">=DATE_MODIFY"] == "2024-09-04T21:00:00+00:00"
    assert body["filter"]["<DATE_MODIFY"] == "2024-09-06T21:00:00+00:00"
    lo, hi = dt.datetime(2024, 9, 5, tzinfo=MSK), dt.datetime(2024, 9, 7, tzinfo=MSK)
    expected = [
        d for d in SAMPLE["deals"] if lo <= dt.datetime.fromisoformat(d["DATE_MODIFY"]) < hi
    ]
    assert 0 < portal.count("deals") == len(expected)
    portal.run(start=dt.date(2024, 9, 5), end=dt.date(2024, 9, 6))  # the same window again
    assert portal.count("deals") == len(expected)
    portal.api.calls.clear()
    portal.run()  # no cursor was stored by the window: the first incremental run reads all
    assert deal_calls(portal.api)[0]["filter"] == {">ID": 0}
    assert portal.count("deals") == N_DEALS


def test_reconcile_deleted_removes_deals_gone_from_the_portal(portal):
    portal.run()
    gone = {portal.api.deals.pop(5)["ID"], portal.api.deals.pop(60)["ID"]}
    portal.api.calls.clear()
    portal.run(options={"reconcile_deleted": True})
    assert portal.count("deals") == N_DEALS - 2
    ids = {r[0] for r in portal.query("select deal_id from raw_bitrix24.deals")}
    assert not gone & ids
    id_calls = [b for b in deal_calls(portal.api) if b["select"] == ["ID"]]
    assert len(id_calls) == 3 and all(b["filter"].keys() == {">ID"} for b in id_calls)


def test_empty_portal_creates_empty_tables(make_portal):
    portal = make_portal(deals=[], contacts=[], history=[])
    portal.run()
    assert portal.count("deals") == 0 and portal.count("deal_stage_events") == 0


def test_oauth_token_goes_in_the_body(portal, client_logs):
    token = portal.api.token
    env = {"BITRIX24_TOKEN": token}
    portal.run(options={"base_url": portal.api.oauth_base_url()}, env=env)
    assert portal.count("deals") == N_DEALS
    assert all(body.get("auth") == token for _, body in portal.api.calls)
    assert token not in client_logs()
    assert not any(token in value for value in portal.text_values())


def test_no_secret_and_no_raw_contact_data_in_the_warehouse(portal, client_logs):
    portal.run(options={"reconcile_deleted": True})
    values = "\n".join(portal.text_values())
    for secret in (portal.api.code, portal.api.webhook_url()):
        assert secret not in values and secret not in client_logs()
    assert "@example.ru" not in values.lower() and "555-" not in values
    assert "Иван" not in values and "Сделка" not in values  # TITLE / NAME / COMMENTS not landed
