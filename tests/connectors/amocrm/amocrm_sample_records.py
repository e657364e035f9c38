"""Sample amoCRM records in the API's own shape, for the fake API and the tests."""

from __future__ import annotations

import zlib
from typing import Any

T0 = 1_772_323_200  # 2026-03-01 00:00 UTC
DAY = 86_400
TOKEN = "amo-test-token-5f1c9e"


def cf(code: str | None, *values: Any, field_id: int = 0, field_type: str = "text") -> dict:
    """A custom_fields_values entry as amoCRM returns it."""
    return {
        "field_id": field_id or zlib.crc32(str(code).encode()) % 900_000 + 100_000,
        "field_name": code or f"field {field_id}",
        "field_code": code,
        "field_type": field_type,
        "values": [v if isinstance(v, dict) else {"value": v} for v in values],
    }


def status_event(eid: str, lead: int, at: int, after: tuple | None, before: tuple | None = None,
                 kind: str = "lead_status_changed") -> dict:  # fmt: skip
    def value(ids: tuple | None) -> list:
        return [{"lead_status": {"pipeline_id": ids[0], "id": ids[1]}}] if ids else []

    return {
        "id": eid,
        "type": kind,
        "entity_id": lead,
        "entity_type": "lead",
        "created_by": 9001,
        "created_at": at,
        "value_after": value(after),
        "value_before": value(before),
        "account_id": 31337,
    }


def sample_records() -> dict[str, Any]:
    """A small account: two pipelines, three contacts, five live leads and a deleted one."""
    sales, wholesale = 1001, 1002
    pipelines = [
        {"id": sales, "name": "Продажи", "is_main": True, "_embedded": {"statuses": [
            {"id": 10011, "name": "Новая заявка", "pipeline_id": sales},
            {"id": 10012, "name": "Переговоры", "pipeline_id": sales},
            {"id": 142, "name": "Успешно реализовано", "pipeline_id": sales},
            {"id": 143, "name": "Закрыто и не реализовано", "pipeline_id": sales}]}},
        {"id": wholesale, "name": "Опт", "is_main": False, "_embedded": {"statuses": [
            {"id": 10021, "name": "Первичный контакт", "pipeline_id": wholesale},
            {"id": 142, "name": "Успешно реализовано", "pipeline_id": wholesale},
            {"id": 143, "name": "Закрыто и не реализовано", "pipeline_id": wholesale}]}},
    ]  # fmt: skip
    contacts = [
        {"id": 501, "name": "Иван Петров", "custom_fields_values": [
            cf("PHONE", {"value": "+7 (912) 345-67-89", "enum_code": "WORK"}),
            cf("EMAIL", {"value": "ivan@example.ru", "enum_code": "WORK"})]},
        {"id": 502, "name": "Мария Иванова", "custom_fields_values": [
            cf("EMAIL", "Maria@Example.com")]},
        {"id": 503, "name": "Олег", "custom_fields_values": [
            cf("PHONE", "8 912 000-11-22", "+7 999 111 22 33")]},
    ]  # fmt: skip

    def lead(i, pipeline, status, price, created, updated, closed=None, contacts=(), fields=None):
        return {
            "id": i, "name": f"Сделка #{i} Иван Петров +7 912 345-67-89", "price": price,
            "responsible_user_id": 700 + i % 2, "group_id": 0, "status_id": status,
            "pipeline_id": pipeline, "loss_reason_id": None, "created_by": 700,
            "updated_by": 700, "created_at": created, "updated_at": updated,
            "closed_at": closed, "closest_task_at": None, "is_deleted": False,
            "custom_fields_values": fields, "score": None, "account_id": 31337,
            "_embedded": {"tags": [], "companies": [], "contacts": [
                {"id": c, "is_main": n == 0} for n, c in enumerate(contacts)]},
        }  # fmt: skip

    leads = [
        lead(1, sales, 142, 150000, T0 + 3600, T0 + 3 * DAY, T0 + 3 * DAY, (501,), [
            cf("UTM_SOURCE", "yandex"), cf("UTM_MEDIUM", "cpc"),
            cf("UTM_CAMPAIGN", "spring_sale"), cf("_YM_UID", "1700000000123456789"),
            cf("YCLID", "7311"), cf("ROISTAT", "40213")]),
        lead(2, sales, 143, 0, T0 + 7200, T0 + 2 * DAY, T0 + 2 * DAY, (502,), [
            cf("UTM_SOURCE", {"value": "google", "enum_id": 7, "enum_code": None},
               field_type="select"),
            cf("GCLID", "Cj0KCQ-abc")]),
        lead(3, sales, 10012, 50000, T0 + 10800, T0 + 2 * DAY, None, (503, 501), [
            cf("UTM_SOURCE", "vk", "facebook"), cf(None, "partner_site", field_id=777001),
            cf("UTM_MEDIUM", "")]),
        lead(4, wholesale, 10021, 12500, T0 + 14400, T0 + 2 * DAY + 600),
        lead(5, sales, 10011, None, T0 + 4 * DAY, T0 + 4 * DAY, 0, (501,)),
        lead(6, sales, 10011, 999, T0 + 20000, T0 + 20000, None, (502,)),
    ]  # fmt: skip
    events = [
        status_event("e01", 1, T0 + 3600, (sales, 10011), kind="lead_added"),
        status_event("e02", 1, T0 + DAY, (sales, 10012), (sales, 10011)),
        status_event("e03", 1, T0 + 3 * DAY, (sales, 142), (sales, 10012)),
        status_event("e04", 2, T0 + 7200, None, kind="lead_added"),  # no stage on it [v]
        status_event("e05", 2, T0 + 2 * DAY, (sales, 143), (sales, 10011)),
        status_event("e06", 3, T0 + 10800, (sales, 10011), kind="lead_added"),
        status_event("e07", 3, T0 + 2 * DAY, (sales, 10012), (sales, 10011)),
        status_event("e08", 4, T0 + 14400, (sales, 10011), kind="lead_added"),
        status_event("e09", 4, T0 + 2 * DAY + 600, (wholesale, 10021), (sales, 10011)),
        status_event("e10", 5, T0 + 4 * DAY, None, kind="lead_added"),
        status_event("e11", 6, T0 + 20000, (sales, 10011), kind="lead_added"),
        status_event("e12", 6, T0 + 4 * DAY + 100, None, kind="lead_deleted"),
    ]
    account = {"id": 31337, "name": "Test", "subdomain": "test", "currency": "RUB"}
    return {"leads": leads, "contacts": contacts, "pipelines": pipelines, "events": events,
            "account": account, "deleted": [6]}  # fmt: skip
