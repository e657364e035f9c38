"""A small Bitrix24 portal in the API's own shape: 120 deals over two pipelines, 40 contacts,
and the stage history of every deal. Deterministic, so tests can compute expected numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

OFFSET = dt.timezone(dt.timedelta(hours=3))  # the portal's time zone (Moscow)
FIRST_DAY = dt.datetime(2024, 9, 1, 9, 0, tzinfo=OFFSET)
# (stage in pipeline 0, semantic) — pipeline 1 uses the same ids with a "C1:" prefix
STAGES = [("NEW", "P"), ("PREPARATION", "P"), ("WON", "S"), ("LOSE", "F"), ("EXECUTING", "P")]
N_DEALS, N_CONTACTS = 120, 40


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def contact_phone(n: int) -> str:
    return f"+7 (916) 555-{n:02d}-{n:02d}"


def contact_email(n: int) -> str:
    return f"Client{n}@Example.ru"


def make_contact(n: int) -> dict[str, Any]:
    contact: dict[str, Any] = {"ID": str(1000 + n), "NAME": f"Иван {n}"}
    if n % 4 != 3:  # every fourth contact has no phone
        contact["PHONE"] = [
            {"ID": str(n), "VALUE_TYPE": "WORK", "VALUE": contact_phone(n), "TYPE_ID": "PHONE"}
        ]
    if n % 5 != 4:
        contact["EMAIL"] = [
            {
                "ID": str(n + 500),
                "VALUE_TYPE": "WORK",
                "VALUE": contact_email(n),
                "TYPE_ID": "EMAIL",
            }
        ]
    return contact


def make_deal(i: int) -> dict[str, Any]:
    """Deal number i (1-based); ID = 10 + i with a gap every 10 ids (deleted long ago)."""
    stage, semantic = STAGES[i % len(STAGES)]
    category = "1" if i % 3 == 0 else "0"
    created = FIRST_DAY + dt.timedelta(hours=5 * i)
    modified = created + dt.timedelta(hours=30)
    return {
        "ID": str(10 + i + i // 10),
        "TITLE": f"Сделка #{i} Иван {i}",
        "CATEGORY_ID": category,
        "STAGE_ID": stage if category == "0" else f"C1:{stage}",
        "STAGE_SEMANTIC_ID": semantic,
        "CLOSED": "Y" if semantic in ("S", "F") else "N",
        "CLOSEDATE": iso(created + dt.timedelta(days=7)),
        "DATE_CREATE": iso(created),
        "DATE_MODIFY": iso(modified),
        "OPPORTUNITY": f"{1000 + 10 * i}.00",
        "CURRENCY_ID": "USD" if i % 11 == 0 else "RUB",
        "ASSIGNED_BY_ID": str(1 + i % 4),
        "CONTACT_ID": str(1000 + i % N_CONTACTS) if i % 6 else "0",
        "COMPANY_ID": "0",
        "SOURCE_ID": "WEB",
        "UTM_SOURCE": "yandex" if i % 2 else "",
        "UTM_MEDIUM": "cpc" if i % 2 else "",
        "UTM_CAMPAIGN": f"autumn_{i % 3}" if i % 2 else "",
        "UTM_CONTENT": "",
        "UTM_TERM": "",
        "UF_CRM_CLIENT_ID": f"17250{i:05d}" if i % 4 else "",
        "UF_CRM_YCLID": f"yclid{i}" if i % 5 == 0 else "",
        "UF_CRM_GCLID": f"gclid{i}" if i % 7 == 0 else "",
        "COMMENTS": f"call +7 916 555 {i:02d}",
    }


def make_history(deal: dict[str, Any], first_id: int) -> list[dict[str, Any]]:
    """Creation in NEW, then (for a deal past NEW) the move to its current stage."""
    category = int(deal["CATEGORY_ID"])
    prefix = f"C{category}:" if category else ""
    created = dt.datetime.fromisoformat(deal["DATE_CREATE"])
    events = [
        {
            "ID": first_id,
            "TYPE_ID": 1,
            "OWNER_ID": int(deal["ID"]),
            "CREATED_TIME": iso(created),
            "CATEGORY_ID": category,
            "STAGE_SEMANTIC_ID": "P",
            "STAGE_ID": f"{prefix}NEW",
        }
    ]
    if deal["STAGE_ID"] != f"{prefix}NEW":
        events.append(
            {
                "ID": first_id + 1,
                "TYPE_ID": 3 if deal["STAGE_SEMANTIC_ID"] in ("S", "F") else 2,
                "OWNER_ID": int(deal["ID"]),
                "CREATED_TIME": deal["DATE_MODIFY"],
                "CATEGORY_ID": category,
                "STAGE_SEMANTIC_ID": deal["STAGE_SEMANTIC_ID"],
                "STAGE_ID": deal["STAGE_ID"],
            }
        )
    return events


def sample_records() -> dict[str, list[dict[str, Any]]]:
    deals = [make_deal(i) for i in range(1, N_DEALS + 1)]
    history: list[dict[str, Any]] = []
    for deal in deals:
        history.extend(make_history(deal, len(history) + 1))
    contacts = [make_contact(n) for n in range(N_CONTACTS)]
    return {"deals": deals, "contacts": contacts, "history": history}
