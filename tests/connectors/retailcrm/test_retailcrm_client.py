"""RetailCRM client, options and history digest without a pipeline (fast)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fake_api_retailcrm import API_KEY, STATUSES, FakeRetailCrmApi, order_record

from connectors.common.config import ConnectorConfigError
from connectors.common.http import SourceApiError
from connectors.retailcrm import from_options
from connectors.retailcrm.client import RetailCrmClient, api_root
from connectors.retailcrm.options import source_kwargs
from connectors.retailcrm.rows import AccountRules, HistoryDigest, order_row

ENV = {"RETAILCRM_API_KEY": API_KEY}


def _many(n: int) -> FakeRetailCrmApi:
    api = FakeRetailCrmApi({"orders": [], "history": []})
    for i in range(1, n + 1):
        api.create_order(
            order_record(i, "shop-a", "2026-03-01 10:00:00", "new", i), "2026-03-01 10:00:00"
        )
    return api


def _client(fake: FakeRetailCrmApi, httpserver, clock, page_size: int = 20) -> RetailCrmClient:
    base = fake.register(httpserver)
    return RetailCrmClient(base, API_KEY, page_size=page_size, sleep=clock.sleep, clock=clock.clock)


def _rules(tz: str = "Europe/Moscow") -> AccountRules:
    return AccountRules(
        tz=ZoneInfo(tz),
        pii_salt="s",
        statuses=STATUSES,
        won_groups=frozenset({"complete"}),
        lost_groups=frozenset({"cancel"}),
        field_map={"client_id": ("ym_client_id",)},
        currency="RUB",
    )


def test_orders_pages_until_total_page_count(httpserver, clock):
    fake = _many(45)
    client = _client(fake, httpserver, clock)
    pages = list(client.orders([], None))
    assert [len(p) for p in pages] == [20, 20, 5]
    assert len({o["id"] for p in pages for o in p}) == 45
    assert [r["args"]["page"] for r in fake.requests] == [["1"], ["2"], ["3"]]


def test_history_moves_since_id_until_a_short_page(httpserver, clock):
    fake = _many(45)
    fake.shuffle_history = True  # page order is not promised: sorted by id on our side
    client = _client(fake, httpserver, clock)
    ids = [i["id"] for page in client.history(None, None) for i in page]
    assert ids == list(range(1001, 1046))
    assert [r["args"].get("filter[sinceId]") for r in fake.requests] == [None, ["1020"], ["1040"]]


def test_history_that_ignores_since_id_stops_with_an_error(httpserver, clock):
    fake = _many(45)
    fake.stuck_history = True
    client = _client(fake, httpserver, clock)
    with pytest.raises(SourceApiError, match="instead of looping"):
        list(client.history(None, None))
    assert len(fake.requests) == 2


def test_rate_limit_spaces_requests_at_ten_per_second(httpserver, clock):
    fake = _many(3)
    client = _client(fake, httpserver, clock)
    for _ in range(4):
        client.statuses()
    assert clock.waits == [0.1, 0.1, 0.1]


def test_invalid_limit_is_refused_by_the_api_and_by_the_options(httpserver, clock):
    client = _client(_many(1), httpserver, clock, page_size=30)
    with pytest.raises(SourceApiError, match="limit"):
        list(client.orders([], None))
    with pytest.raises(ConnectorConfigError, match="accepts only 20, 50, 100"):
        source_kwargs({"subdomain": "shop", "page_size": 30}, ENV)


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({"subdomain": "shop"}, {}, "RETAILCRM_API_KEY is not set"),
        ({}, ENV, "needs `subdomain`"),
        ({"subdomain": "https://shop.retailcrm.ru"}, ENV, "only the account name"),
        ({"base_url": "shop.retailcrm.ru"}, ENV, "not an http"),
        ({"subdomain": "shop", "timezone": "Moscow"}, ENV, "not an IANA timezone"),
        ({"subdomain": "shop", "field_map": {"yclid": "x"}}, ENV, "unknown key 'yclid'"),
        ({"subdomain": "shop", "sites": 5}, ENV, "sites must be a list"),
    ],
)
def test_option_errors_say_what_to_set(options, env, message):
    with pytest.raises(ConnectorConfigError, match=message):
        from_options(options, env, "salt")


def test_options_defaults_and_overrides():
    kwargs = source_kwargs(
        {
            "subdomain": "Shop",
            "sites": "a, b",
            "field_map": {"client_id": "_ym_uid", "click_id": []},
        },
        ENV,
        start_date="2026-03-01",
    )
    assert kwargs["base_url"] == "https://shop.retailcrm.ru"
    assert kwargs["sites"] == ("a", "b")
    assert kwargs["field_map"] == {"client_id": ("_ym_uid",), "visit_id": (), "click_id": ()}
    assert kwargs["start_date"] == dt.date(2026, 3, 1) and kwargs["end_date"] is None
    assert (kwargs["timezone"], kwargs["won_groups"], kwargs["lost_groups"]) == (
        "Europe/Moscow",
        ("complete",),
        ("cancel",),
    )
    assert api_root("https://shop.retailcrm.ru/api/v5/") == "https://shop.retailcrm.ru/api/v5/"
    with pytest.raises(ConnectorConfigError, match="before start_date"):
        source_kwargs({"subdomain": "s"}, ENV, dt.date(2026, 3, 2), dt.date(2026, 3, 1))


def _status_item(hid: int, at: str, old: str, new: str) -> dict:
    return {
        "id": hid,
        "createdAt": at,
        "field": "status",
        "oldValue": {"code": old},
        "newValue": {"code": new},
        "order": {"id": 9, "site": "shop-a"},
    }


def test_closed_at_is_the_first_close_and_resets_on_reopen():
    rules = _rules("Asia/Yekaterinburg")  # UTC+5
    digest = HistoryDigest()
    digest.add(
        [
            _status_item(1, "2026-03-01 10:00:00", "new", "complete"),
            _status_item(2, "2026-03-02 10:00:00", "complete", "returned"),  # still closed
        ],
        rules,
        None,
    )
    order = order_record(9, "shop-a", "2026-02-28 10:00:00", "returned", 10)
    order["statusUpdatedAt"] = "2026-03-02 10:00:00"
    row = order_row(order, rules, digest)
    assert row["closed_at"] == dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC)
    assert row["created_at"] == dt.datetime(2026, 2, 28, 5, tzinfo=dt.UTC)
    assert [e["status"] for e in digest.events] == ["complete", "returned"]

    digest.add([_status_item(3, "2026-03-03 10:00:00", "returned", "new")], rules, None)
    order.update(status="new", statusUpdatedAt="2026-03-03 10:00:00")
    assert order_row(order, rules, digest)["closed_at"] is None
    # closed before this run's history began: the last status change is the closing time
    order.update(status="cancel-other", statusUpdatedAt="2026-03-04 10:00:00")
    fresh = HistoryDigest()
    closed = order_row(order, rules, fresh)
    assert (closed["deal_status"], closed["closed_at"]) == (
        "lost",
        dt.datetime(2026, 3, 4, 5, tzinfo=dt.UTC),
    )
