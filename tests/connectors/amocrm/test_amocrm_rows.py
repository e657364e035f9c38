"""Pure parts of the amocrm connector: values, custom fields, names, options, windows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.amocrm.options import base_url, lag_minutes, resolve_options, window
from connectors.amocrm.rows import (
    Catalog,
    field_value,
    main_contact_id,
    stage_event_row,
    to_int,
    to_price,
    tracking_refs,
)
from connectors.common.config import ConnectorConfigError

T0 = 1_772_323_200  # 2026-03-01 00:00 UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), ("1 772 323 200", 1_772_323_200), ("42", 42), ("", None), ("--", None),
     (None, None), (True, None), (3.9, 3), ("abc", None)],
)  # fmt: skip
def test_to_int(value, expected):
    assert to_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(150000, Decimal(150000)), ("1 234,50", Decimal("1234.50")), ("", None), (None, None),
     ("\u00a0500", Decimal(500)), ("n/a", None)],
)  # fmt: skip
def test_to_price(value, expected):
    assert to_price(value) == expected


def test_field_values_by_code_id_enum_multi_and_absent():
    fields = [
        {"field_id": 11, "field_code": "UTM_SOURCE", "values": [{"value": " "}, {"value": "vk"}]},
        {"field_id": 12, "field_code": None, "values": [{"value": "Партнёр", "enum_id": 3}]},
        {"field_id": 13, "field_code": "LEGAL", "values": [{"value": {"name": "ООО"}}]},
        {"field_id": 14, "field_code": "NUM", "values": [{"value": 7}]},
    ]
    assert field_value(fields, ["UTM_SOURCE"]) == "vk"  # the first non-empty of a multi-value
    assert field_value(fields, [12]) == "Партнёр"  # an enum gives its option's text
    assert field_value(fields, ["LEGAL"]) is None  # structured values are not tags
    assert field_value(fields, ["NUM"]) == "7"
    assert field_value(fields, ["UTM_MEDIUM"]) is None
    assert field_value(None, ["UTM_SOURCE"]) is None


def test_field_map_comes_first_and_is_checked():
    refs = tracking_refs({"utm_source": 123457, "client_id": ["ga_cid", "999"]})
    assert refs["utm_source"] == [123457, "UTM_SOURCE"]
    assert refs["client_id"] == ["GA_CID", 999, "_YM_UID"]
    assert refs["click_id"] == [] and refs["yclid"] == ["YCLID"]
    with pytest.raises(ConnectorConfigError, match="unknown field 'utm_sorce'"):
        tracking_refs({"utm_sorce": 1})


def test_main_contact_falls_back_to_the_first_one():
    assert (
        main_contact_id({"_embedded": {"contacts": [{"id": 1}, {"id": 2, "is_main": True}]}}) == 2
    )
    assert main_contact_id({"_embedded": {"contacts": [{"id": "7"}]}}) == 7
    assert main_contact_id({"_embedded": {}}) is None and main_contact_id({}) is None


def test_catalog_names_and_unknown_ids():
    catalog = Catalog.from_api([
        {"id": 1, "name": "Продажи", "_embedded": {"statuses": [
            {"id": 142, "name": "Успешно"}, {"id": 10, "name": "Новая"}]}},
        {"id": 2, "name": "Опт", "_embedded": {"statuses": [{"id": 142, "name": "Оплачено"}]}},
    ])  # fmt: skip
    assert catalog.names(2, 142) == {"pipeline_name": "Опт", "status_name": "Оплачено"}
    assert catalog.names(1, 99) == {"pipeline_name": "Продажи", "status_name": None}
    assert catalog.names(None, None) == {"pipeline_name": None, "status_name": None}


def test_stage_event_rows():
    catalog = Catalog.from_api([{"id": 1, "name": "P", "_embedded": {"statuses": [{"id": 5}]}}])
    event = {
        "id": "01abc", "type": "lead_status_changed", "entity_id": 9, "entity_type": "lead",
        "created_at": T0, "value_after": [{"lead_status": {"id": 5, "pipeline_id": 1}}],
        "value_before": [{"lead_status": {"id": 4, "pipeline_id": 3}}],
    }  # fmt: skip
    row = stage_event_row(event, catalog)
    assert row["lead_id"] == 9 and row["status_name"] == "5"  # a status without a name: its id
    assert (row["pipeline_id_before"], row["status_id_before"]) == (3, 4)
    assert stage_event_row({**event, "entity_type": "contact"}, catalog) is None
    assert stage_event_row({**event, "value_after": []}, catalog)["status_id"] is None


def test_base_url_from_subdomain_or_option():
    assert base_url({"subdomain": "Acme"}) == "https://acme.amocrm.ru"
    assert base_url({"base_url": "https://acme.kommo.com/", "subdomain": "x"}) == (
        "https://acme.kommo.com"
    )
    with pytest.raises(ConnectorConfigError, match="subdomain is not set"):
        base_url({})
    with pytest.raises(ConnectorConfigError, match="only the account name"):
        base_url({"subdomain": "acme.amocrm.ru/"})


def test_lag_and_window():
    assert lag_minutes({}) == 60 and lag_minutes({"lag_minutes": "15"}) == 15
    assert lag_minutes({"restatement_days": 2}) == 2880
    with pytest.raises(ConnectorConfigError, match="lag_minutes"):
        lag_minutes({"lag_minutes": -1})
    moscow = T0 - 3 * 3600  # 2026-03-01 00:00 Moscow
    assert window({}, "2026-03-01", "2026-03-01") == (moscow, moscow + 86400)
    assert window({"timezone": "UTC"}, "2026-03-01", None) == (T0, None)
    assert window({}, None, None) == (None, None)
    with pytest.raises(ConnectorConfigError, match="before start_date"):
        window({}, "2026-03-02", "2026-03-01")


def test_missing_token_and_bad_options_fail_before_any_request():
    with pytest.raises(ConnectorConfigError, match="AMOCRM_TOKEN is not set"):
        resolve_options({"subdomain": "acme"}, {}, None, None)
    env = {"AMOCRM_TOKEN": "t0ken-value"}
    with pytest.raises(ConnectorConfigError, match="currency"):
        resolve_options({"subdomain": "acme", "currency": "roubles"}, env, None, None)
    with pytest.raises(ConnectorConfigError, match="field_map"):
        resolve_options({"subdomain": "acme", "field_map": {"gclid_x": 1}}, env, None, None)
    got = resolve_options({"subdomain": "acme", "enabled": True}, env, "2026-03-01", None)
    assert got["base_url"] == "https://acme.amocrm.ru" and got["lag_minutes"] == 60
    assert got["start_at"] == T0 - 3 * 3600 and got["end_at"] is None
