"""The RetailCRM source end to end: a real dlt pipeline into DuckDB against the fake API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api_retailcrm import API_KEY, order_record

from connectors.common.pii import contact_key

UTC = dt.UTC
ORDERS = "raw_retailcrm.orders"
EVENTS = "raw_retailcrm.order_status_events"
LIVE = f"{ORDERS} where not is_deleted"


def _paths(fake, since: int = 0) -> list[tuple[str, dict]]:
    return [(r["path"].removeprefix("/api/v5/"), r["args"]) for r in fake.requests[since:]]


def test_first_run_then_history_increments(fake, source, warehouse, client_logs):
    warehouse.run(source())

    assert warehouse.one(f"select count(*) from {LIVE}") == 5
    assert warehouse.one(f"select sum(total_summ) from {LIVE}") == Decimal("9790.50")
    assert warehouse.rows(f"select deal_status, count(*) from {LIVE} group by 1 order by 1") == [
        ("lost", 1),
        ("open", 3),
        ("won", 1),
    ]
    one = warehouse.rows(
        f"select created_at, closed_at, site, client_id, utm_source, utm_campaign, contact_key, "
        f"manager_id from {ORDERS} where id = 1"
    )[0]
    # 'Y-m-d H:i:s' in Europe/Moscow (UTC+3) -> UTC; closed when it entered `complete`
    assert one[:2] == (
        dt.datetime(2026, 3, 1, 7, tzinfo=UTC),
        dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    assert one[2:6] == ("shop-a", "1600000001", "yandex", "camp-1")
    assert one[6] == contact_key("buyer1@example.com", "+79160000001", "test-salt-retailcrm")
    assert one[7] == "7"
    # "4 100,00" as a string, [] as customFields, no source / contact at all
    assert warehouse.one(f"select total_summ from {ORDERS} where id = 4") == Decimal("4100.00")
    assert warehouse.rows(
        f"select client_id, click_id, contact_key, utm_source from {ORDERS} where id = 5"
    ) == [(None, "Cj0KCQ", None, None)]
    # deleted in the CRM: a tombstone, so staging drops it and the drop is traceable
    assert warehouse.rows(f"select is_deleted, deleted_at from {ORDERS} where id = 6") == [
        (True, dt.datetime(2026, 3, 2, 5, tzinfo=UTC))
    ]
    assert warehouse.one(f"select count(*) from {EVENTS}") == 12
    assert warehouse.rows(
        f"select status, entered_at from {EVENTS} where order_id = 2 order by 2"
    ) == [
        ("new", dt.datetime(2026, 3, 2, 20, 30, tzinfo=UTC)),
        ("availability-confirmed", dt.datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
        ("cancel-other", dt.datetime(2026, 3, 3, 22, 30, tzinfo=UTC)),
    ]
    assert [p for p, _ in _paths(fake)] == ["reference/statuses", "orders/history", "orders"]

    # changes in the CRM: a status, an amount, a new order, a deletion
    fake.set_status(3, "complete", "2026-03-10 12:00:00")
    fake.edit(4, "2026-03-10 13:00:00", "totalSumm", totalSumm=5000)
    fake.create_order(
        order_record(7, "shop-b", "2026-03-10 14:00:00", "new", 300), "2026-03-10 14:00:00"
    )
    fake.delete_order(5, "2026-03-10 15:00:00")
    before = len(fake.requests)
    warehouse.run(source())

    calls = _paths(fake, before)
    assert calls[1] == ("orders/history", {"filter[sinceId]": ["1013"], "limit": ["100"]})
    assert calls[2] == (
        "orders",
        {"filter[ids][]": ["3", "4", "7"], "limit": ["100"], "page": ["1"]},
    )
    assert len(calls) == 3
    assert warehouse.one(f"select count(*) from {ORDERS}") == 7
    assert warehouse.rows(f"select id from {LIVE} order by id") == [(1,), (2,), (3,), (4,), (7,)]
    assert warehouse.rows(f"select deal_status, closed_at from {ORDERS} where id = 3") == [
        ("won", dt.datetime(2026, 3, 10, 9, tzinfo=UTC))
    ]
    assert warehouse.one(f"select total_summ from {ORDERS} where id = 4") == Decimal("5000.00")
    assert warehouse.one(f"select is_deleted from {ORDERS} where id = 5") is True
    assert warehouse.one(f"select count(*) from {EVENTS}") == 14
    assert warehouse.pipeline.state["sources"]["retailcrm"]["since_id"] == {"": 1017}

    # nothing new: one history call, nothing doubles
    before = len(fake.requests)
    warehouse.run(source())
    assert [p for p, _ in _paths(fake, before)] == ["reference/statuses", "orders/history"]
    assert warehouse.one(f"select count(*) from {ORDERS}") == 7
    assert warehouse.one(f"select count(*) from {EVENTS}") == 14

    # the key went in the header only, and is nowhere in logs or tables; no raw PII landed
    assert all(r["headers"].get("X-Api-Key") == API_KEY for r in fake.requests)
    assert not any("apiKey" in r["args"] for r in fake.requests)
    stored = warehouse.text_values()
    assert API_KEY not in stored and API_KEY not in client_logs()
    # the phones as the API writes them ("8 (916) 000-00-01", "+7 916 000-00-01") and as digits;
    # not a bare "916": dlt's load ids are timestamps and hit it by chance
    for raw in ("example.com", "(916)", "916 000", "9160000", "Иван", "Петров"):
        assert raw not in stored


def test_backfill_window_reloads_created_orders_only(fake, source, warehouse):
    for _ in range(2):  # the same window twice: merged, not doubled
        warehouse.run(source(start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 3)))
    assert warehouse.rows(f"select id from {ORDERS} order by id") == [(2,), (3,)]
    assert all(p != "orders/history" for p, _ in _paths(fake))
    window = [a for p, a in _paths(fake) if p == "orders"][0]
    assert window["filter[createdAtFrom]"] == ["2026-03-02"]
    assert window["filter[createdAtTo]"] == ["2026-03-03"]
    # closed before the window run saw any history: the last status change closes it
    assert warehouse.one(f"select closed_at from {ORDERS} where id = 2") == dt.datetime(
        2026, 3, 3, 22, 30, tzinfo=UTC
    )
    assert not warehouse.pipeline.state["sources"]["retailcrm"].get("since_id")
    assert warehouse.one(f"select count(*) from {EVENTS}") == 0  # the table exists, empty


def test_multi_store_key_loads_each_site_and_retries_503(fake, source, warehouse, clock):
    fake.require_site = True  # [v] a key for several stores needs ?site= on lists
    with pytest.raises(PipelineStepFailed, match="site"):
        warehouse.run(source())
    assert warehouse.tables() == set()
    before = len(fake.requests)

    fake.fail_503 = 2  # [v] over ~10 req/s RetailCRM answers 503
    warehouse.run(source(sites=["shop-a", "shop-b"]))
    assert clock.backoffs() == [1.0, 2.0]
    assert warehouse.rows(f"select site, count(*) from {LIVE} group by 1 order by 1") == [
        ("shop-a", 3),
        ("shop-b", 2),
    ]
    assert warehouse.one(f"select count(distinct site) from {EVENTS}") == 2
    cursors = warehouse.pipeline.state["sources"]["retailcrm"]["since_id"]
    assert cursors == {"shop-a": 1013, "shop-b": 1010}
    lists = [a for p, a in _paths(fake, before) if p != "reference/statuses"]
    assert len(lists) == 4 and all(a.get("site") for a in lists)


def test_bad_order_is_quarantined_then_resolved(fake, source, warehouse):
    fake.orders[3]["createdAt"] = "03/03/2026"
    fake.orders[4]["totalSumm"] = -10
    warehouse.run(source())
    assert warehouse.rows("select row_key, reason from raw_retailcrm.rejected_rows order by 1") == [
        ("orders:3", "unparseable datetime: '03/03/2026'"),
        ("orders:4", "negative totalSumm: -10"),
    ]
    assert warehouse.rows(f"select id from {LIVE} order by id") == [(1,), (2,), (5,)]

    fake.edit(3, "2026-03-11 10:00:00", "createdAt", createdAt="2026-03-03 09:15:00")
    warehouse.run(source())
    assert warehouse.rows("select row_key from raw_retailcrm.rejected_rows") == [("orders:4",)]
    assert warehouse.one(f"select created_at from {ORDERS} where id = 3") == dt.datetime(
        2026, 3, 3, 6, 15, tzinfo=UTC
    )


def test_empty_account_loads_empty_tables(fake, source, warehouse):
    fake.orders.clear()  # pagination.totalPageCount 0
    fake.history.clear()
    warehouse.run(source())
    assert warehouse.tables() == {"orders", "order_status_events", "rejected_rows"}
    assert warehouse.one(f"select count(*) from {ORDERS}") == 0
    assert "" not in warehouse.pipeline.state["sources"]["retailcrm"].get("since_id", {})


FAULTS = [
    ({"refuse": (200, "Access denied to orders")}, "HTTP 200): Access denied to orders"),
    ({"refuse": (400, "Filter is invalid")}, "HTTP 400): Filter is invalid"),
    ({"html_200": True}, "not JSON"),
    ({"fail_503": 99}, "after 5 attempts (HTTP 503)"),
    ({"api_key": "another-key-entirely"}, "check RETAILCRM_API_KEY"),
]


def test_faults_fail_clearly_and_change_nothing(fake, source, warehouse, client_logs):
    warehouse.run(source())
    fake.set_status(3, "complete", "2026-03-10 12:00:00")
    for fault, message in FAULTS:
        saved = {name: getattr(fake, name) for name in fault}
        for name, value in fault.items():
            setattr(fake, name, value)
        with pytest.raises(PipelineStepFailed) as err:
            warehouse.run(source())
        assert message in str(err.value), fault
        assert API_KEY not in str(err.value) and API_KEY not in client_logs()
        for name, value in saved.items():
            setattr(fake, name, value)
        assert warehouse.one(f"select deal_status from {ORDERS} where id = 3") == "open"
        assert warehouse.pipeline.state["sources"]["retailcrm"]["since_id"] == {"": 1013}
    warehouse.run(source())  # the fault gone, the change the failed runs missed arrives
    assert warehouse.one(f"select deal_status from {ORDERS} where id = 3") == "won"
