"""CRM and call-tracking records, in each vendor API's own shape, tied to the demo's visits.

tests/test_crm_sources_e2e.py serves them from the connectors' fake APIs and runs the nightly job
over them together with the demo. Every record here is built for one stitching rule, and
`Expected` says, independently of dbt, what the marts must show for it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from connectors.common.pii import contact_key

# The fakes (and their sample helpers) live next to each connector's own tests.
for _name in ("amocrm", "bitrix24", "retailcrm", "calltouch"):
    _folder = str(Path(__file__).resolve().parent / "connectors" / _name)
    if _folder not in sys.path:
        sys.path.insert(0, _folder)

from amocrm_sample_records import TOKEN as AMOCRM_TOKEN  # noqa: E402
from amocrm_sample_records import cf, status_event  # noqa: E402
from fake_api_calltouch import TOKEN as CALLTOUCH_TOKEN  # noqa: E402
from fake_api_calltouch import call  # noqa: E402
from fake_api_retailcrm import API_KEY as RETAILCRM_API_KEY  # noqa: E402
from fake_api_retailcrm import STATUSES, FakeRetailCrmApi, order_record  # noqa: E402

MSK = ZoneInfo("Europe/Moscow")
UTC = dt.UTC
BITRIX24_WEBHOOK_CODE = "w3bh00k5ecretc0de"  # FakeBitrix24Api's default: the URL's secret part
SECRETS = {
    "AMOCRM_TOKEN": AMOCRM_TOKEN,
    "BITRIX24_WEBHOOK_URL (code)": BITRIX24_WEBHOOK_CODE,
    "RETAILCRM_API_KEY": RETAILCRM_API_KEY,
    "CALLTOUCH_TOKEN": CALLTOUCH_TOKEN,
}

# Personal data typed into the CRMs and call tracking, each written the way people write it.
# None of it may reach the warehouse: phones only as salted keys, names and e-mails not at all.
NAME = "Марина Секретова"
PHONE_P = "8 (916) 704-19-37"  # the amoCRM contact who phoned through Calltouch (as +7916...)
PHONE_P_CALLTOUCH = "+79167041937"
PHONE_Q = "+7 915 328-61-04"  # a caller no CRM knows: the call becomes a lead of its own
PHONE_R = "79035550172"  # a non-target call (spam): neither a lead nor a touch
PHONE_B1 = "+7 (926) 811-47-25"  # the Bitrix24 deal's contact
PHONE_R1 = "8 926 470-33-58"  # the RetailCRM order's buyer
EMAILS = (
    "marina.sekretova@example.org",
    "M.Sekretova@Example.com",
    "buyer.sekretova@example.net",
)
PHONES = (PHONE_P, PHONE_Q, PHONE_R, PHONE_B1, PHONE_R1)

AMO_PIPELINE, AMO_NEW, AMO_WON, AMO_LOST = 2001, 20011, 142, 143
RETAIL_SITE = "shop-e2e"
BITRIX24_FIELD_MAP = "{visit_id: UF_CRM_VISIT_ID, client_id: UF_CRM_YM_UID, click_id: UF_CRM_YCLID}"
RETAILCRM_FIELD_MAP = "{click_id: [ad_click_id]}"
CALLTOUCH_START = "2026-09-01"  # the first incremental run would start 30 days before today


@dataclass
class Expected:
    """One deal as the marts must show it."""

    deal_key: str
    source_system: str
    match_rule: str
    status: str
    amount: Decimal | None
    currency: str
    created_at: dt.datetime
    client_id: str | None = None  # the stitched browser; its visits make the path
    extra_touches: tuple[str, ...] = ()  # calls in the path ('call:<id>')
    stages: tuple[str, ...] = ()  # stages entered, in order


@dataclass
class Scenario:
    visits: dict[str, dict]  # rule -> the demo visit the deal points at
    amocrm: dict[str, Any] = field(default_factory=dict)
    bitrix24: dict[str, Any] = field(default_factory=dict)
    retailcrm: dict[str, Any] = field(default_factory=dict)
    calltouch: list[dict] = field(default_factory=list)
    deals: list[Expected] = field(default_factory=list)
    call_lead: Expected | None = None
    known_contact_keys: set[str] = field(default_factory=set)  # of the CRM deals


# ------------------------------------------------------------------------------- time formats


def unix(ts: dt.datetime) -> int:
    return int(ts.timestamp())


def msk(ts: dt.datetime, fmt: str) -> str:
    return ts.astimezone(MSK).strftime(fmt)


def bitrix_time(ts: dt.datetime) -> str:
    return ts.astimezone(MSK).isoformat(timespec="seconds")  # 2026-10-15T12:00:00+03:00


# ------------------------------------------------------------------------------- the visits


def pick_visits(demo) -> dict[str, dict]:
    """One demo visit per rule, each of another browser that has no demo deal or call, so the
    deal's path is exactly that browser's visits (plus our own call) up to the deal."""
    visits = sorted(demo["visits"].to_pylist(), key=lambda v: (v["started_at"], v["visit_id"]))
    busy = {d["client_id"] for d in demo["deals"].to_pylist()}
    busy |= {c["client_id"] for c in demo["calls"].to_pylist()}
    clicks = Counter(v["click_id"] for v in visits if v["click_id"])
    later = {}  # client -> its visits, to prefer browsers that come back after the deal
    for v in visits:
        later.setdefault(v["client_id"], []).append(v["started_at"])

    def take(since: dt.datetime, wanted) -> dict:
        for v in visits:
            client = v["client_id"]
            if v["started_at"] < since or client in busy or not wanted(v):
                continue
            busy.add(client)
            return v
        raise AssertionError(f"no demo visit after {since} fits")

    def comes_back(v: dict) -> bool:  # a visit after the deal: the path must stop before it
        return any(t > v["started_at"] + dt.timedelta(hours=2) for t in later[v["client_id"]])

    day = dt.datetime(2026, 10, 12, 9, tzinfo=UTC)
    return {
        "client_id": take(day, comes_back),
        "visit_id": take(day + dt.timedelta(days=2), comes_back),
        "click_id": take(day + dt.timedelta(days=4), lambda v: clicks.get(v["click_id"]) == 1),
        "contact_key": take(day + dt.timedelta(days=6), lambda v: True),
        "call_lead": take(day + dt.timedelta(days=8), lambda v: True),
    }


# ------------------------------------------------------------------------------- amoCRM


def amo_lead(lead_id: int, status_id: int, price: int, created, closed, contact_id: int,
             fields: list[dict] | None) -> dict:  # fmt: skip
    """A lead as GET /api/v4/leads?with=contacts returns it; its name holds personal data."""
    return {
        "id": lead_id, "name": f"Кухня — {NAME} {PHONE_P}", "price": price,
        "responsible_user_id": 701, "group_id": 0, "status_id": status_id,
        "pipeline_id": AMO_PIPELINE, "loss_reason_id": None, "created_by": 701,
        "updated_by": 701, "created_at": unix(created), "updated_at": unix(closed),
        "closed_at": unix(closed), "closest_task_at": None, "is_deleted": False,
        "custom_fields_values": fields, "score": None, "account_id": 40404,
        "_embedded": {"tags": [], "companies": [], "contacts": [
            {"id": contact_id, "is_main": True}]},
    }  # fmt: skip


def amo_history(lead_id: int, created, closed, outcome: int) -> list[dict]:
    """lead_added in the first stage, then the move to won / lost."""
    return [
        status_event(f"a{lead_id}", lead_id, unix(created), (AMO_PIPELINE, AMO_NEW),
                     kind="lead_added"),
        status_event(f"c{lead_id}", lead_id, unix(closed), (AMO_PIPELINE, outcome),
                     (AMO_PIPELINE, AMO_NEW)),
    ]  # fmt: skip


def amocrm_account(sc: Scenario, salt: str) -> None:
    """Lead 1 carries the demo browser in _YM_UID (client_id rule). Lead 2 has no ids at all,
    only a main contact with phone P, who phoned through Calltouch (contact_key rule)."""
    v1, v4 = sc.visits["client_id"], sc.visits["contact_key"]
    c1 = v1["started_at"] + dt.timedelta(minutes=40)
    d1 = c1 + dt.timedelta(days=2)
    call_at = v4["started_at"] + dt.timedelta(minutes=5)
    c2 = call_at + dt.timedelta(minutes=25)
    d2 = c2 + dt.timedelta(days=3)
    pipeline = {"id": AMO_PIPELINE, "name": "Кухни", "is_main": True, "_embedded": {"statuses": [
        {"id": AMO_NEW, "name": "Новая заявка", "pipeline_id": AMO_PIPELINE},
        {"id": AMO_WON, "name": "Успешно реализовано", "pipeline_id": AMO_PIPELINE},
        {"id": AMO_LOST, "name": "Закрыто и не реализовано", "pipeline_id": AMO_PIPELINE},
    ]}}  # fmt: skip
    contacts = [
        {"id": 8801, "name": NAME, "custom_fields_values": [cf("EMAIL", EMAILS[0])]},
        {"id": 8802, "name": NAME, "custom_fields_values": [
            cf("PHONE", {"value": PHONE_P, "enum_code": "MOB"})]},
    ]  # fmt: skip
    sc.amocrm = {
        "leads": [
            amo_lead(9_100_001, AMO_WON, 150_000, c1, d1, 8801, [cf("_YM_UID", v1["client_id"])]),
            amo_lead(9_100_002, AMO_WON, 72_500, c2, d2, 8802, None),
        ],
        "contacts": contacts,
        "pipelines": [pipeline],
        "events": amo_history(9_100_001, c1, d1, AMO_WON) + amo_history(9_100_002, c2, d2, AMO_WON),
        "account": {"id": 40404, "name": "E2E", "subdomain": "e2e", "currency": "RUB"},
    }
    stages = ("Кухни / Новая заявка", "Кухни / Успешно реализовано")
    sc.deals += [
        Expected("amocrm:9100001", "amocrm", "client_id", "won", Decimal(150_000), "RUB", c1,
                 v1["client_id"], stages=stages),
        Expected("amocrm:9100002", "amocrm", "contact_key", "won", Decimal(72_500), "RUB", c2,
                 v4["client_id"], extra_touches=("call:770001",), stages=stages),
    ]  # fmt: skip
    sc.known_contact_keys |= {contact_key(EMAILS[0], None, salt), contact_key(None, PHONE_P, salt)}
    # The call of contact P: Calltouch knows the browser (yaClientId), the CRM only the phone.
    sc.calltouch.append(
        call(
            770001,
            msk(call_at, "%d/%m/%Y %H:%M:%S"),
            phone=PHONE_P_CALLTOUCH,
            yaClientId=v4["client_id"],
            clientId=None,
            ctClientId=None,
            sessionId=None,
            callerName=NAME,
        )
    )


# ------------------------------------------------------------------------------- Bitrix24


def bitrix_deal(deal_id: str, created, closed, stage: str, semantic: str, amount: str,
                currency: str, contact: str, **user_fields: str) -> dict:  # fmt: skip
    """A deal as crm.deal.list returns it: every value a string, times with the portal's offset.
    TITLE and COMMENTS hold personal data the connector must not select."""
    return {
        "ID": deal_id, "TITLE": f"Кухня {NAME}", "CATEGORY_ID": "0", "STAGE_ID": stage,
        "STAGE_SEMANTIC_ID": semantic, "CLOSED": "Y", "CLOSEDATE": bitrix_time(closed),
        "DATE_CREATE": bitrix_time(created), "DATE_MODIFY": bitrix_time(closed),
        "OPPORTUNITY": amount, "CURRENCY_ID": currency, "ASSIGNED_BY_ID": "3",
        "CONTACT_ID": contact, "COMPANY_ID": "0", "SOURCE_ID": "WEB", "UTM_SOURCE": "",
        "UTM_MEDIUM": "", "UTM_CAMPAIGN": "", "UTM_CONTENT": "", "UTM_TERM": "",
        "UF_CRM_VISIT_ID": "", "UF_CRM_YM_UID": "", "UF_CRM_YCLID": "",
        "COMMENTS": f"перезвонить {PHONE_B1}", **user_fields,
    }  # fmt: skip


def bitrix_history(first_id: int, deal: dict, final_stage: str, semantic: str) -> list[dict]:
    owner, created, closed = int(deal["ID"]), deal["DATE_CREATE"], deal["DATE_MODIFY"]
    return [
        {"ID": first_id, "TYPE_ID": 1, "OWNER_ID": owner, "CREATED_TIME": created,
         "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": "P", "STAGE_ID": "NEW"},
        {"ID": first_id + 1, "TYPE_ID": 3, "OWNER_ID": owner, "CREATED_TIME": closed,
         "CATEGORY_ID": 0, "STAGE_SEMANTIC_ID": semantic, "STAGE_ID": final_stage},
    ]  # fmt: skip


def bitrix24_portal(sc: Scenario, salt: str) -> None:
    """Deal 4001 holds a demo visit id in a user field mapped to visit_id (visit_id rule), in
    USD. Deal 4002 has nothing but a contact with an e-mail nobody else knows (rule none)."""
    v2 = sc.visits["visit_id"]
    c1 = v2["started_at"] + dt.timedelta(minutes=40)
    c2 = v2["started_at"] + dt.timedelta(hours=3)
    won = bitrix_deal("4001", c1, c1 + dt.timedelta(days=4), "WON", "S", "1250.00", "USD",
                      "5001", UF_CRM_VISIT_ID=v2["visit_id"])  # fmt: skip
    lost = bitrix_deal(
        "4002", c2, c2 + dt.timedelta(days=1), "LOSE", "F", "30000.00", "RUB", "5002"
    )
    contacts = [
        {"ID": "5001", "NAME": NAME, "PHONE": [
            {"ID": "1", "VALUE_TYPE": "WORK", "VALUE": PHONE_B1, "TYPE_ID": "PHONE"}]},
        {"ID": "5002", "NAME": NAME, "EMAIL": [
            {"ID": "2", "VALUE_TYPE": "WORK", "VALUE": EMAILS[1], "TYPE_ID": "EMAIL"}]},
    ]  # fmt: skip
    sc.bitrix24 = {
        "deals": [won, lost],
        "contacts": contacts,
        "history": bitrix_history(1, won, "WON", "S") + bitrix_history(3, lost, "LOSE", "F"),
    }
    sc.deals += [
        Expected("bitrix24:4001", "bitrix24", "visit_id", "won", Decimal("1250.00"), "USD", c1,
                 v2["client_id"], stages=("NEW", "WON")),
        Expected("bitrix24:4002", "bitrix24", "none", "lost", Decimal("30000.00"), "RUB", c2,
                 stages=("NEW", "LOSE")),
    ]  # fmt: skip
    sc.known_contact_keys |= {contact_key(None, PHONE_B1, salt), contact_key(EMAILS[1], None, salt)}


# ------------------------------------------------------------------------------- RetailCRM


def retailcrm_account(sc: Scenario, salt: str) -> None:
    """Order 61 carries a demo visit's ad click id in a custom field mapped to click_id
    (click_id rule); created 'new', then completed (won). The fake writes the history."""
    v3 = sc.visits["click_id"]
    created = v3["started_at"] + dt.timedelta(minutes=40)
    closed = created + dt.timedelta(days=2, hours=3)
    stamp = "%Y-%m-%d %H:%M:%S"  # the account's local time
    order = order_record(
        61, RETAIL_SITE, msk(created, stamp), "new", "45 990,00",
        firstName="Марина", lastName="Секретова", email=EMAILS[2], phone=PHONE_R1,
        customer={"id": 7001, "firstName": "Марина", "email": EMAILS[2],
                  "phones": [{"number": PHONE_R1}]},
        source={}, customFields={"ad_click_id": v3["click_id"], "comment": NAME},
    )  # fmt: skip
    api = FakeRetailCrmApi({"orders": [], "history": [], "statuses": dict(STATUSES)})
    api.create_order(order, msk(created, stamp))
    api.set_status(61, "complete", msk(closed, stamp))
    sc.retailcrm = {"orders": list(api.orders.values()), "history": api.history,
                    "statuses": dict(STATUSES)}  # fmt: skip
    sc.deals.append(
        Expected(
            "retailcrm:61",
            "retailcrm",
            "click_id",
            "won",
            Decimal("45990.00"),
            "RUB",
            created,
            v3["client_id"],
            stages=("new", "complete"),
        )
    )
    sc.known_contact_keys.add(contact_key(EMAILS[2], PHONE_R1, salt))


# ------------------------------------------------------------------------------- Calltouch


def calltouch_journal(sc: Scenario) -> None:
    """Besides contact P's call (added with amoCRM): a target call from Q, whom no CRM knows, so
    it becomes a lead of its own; and a short non-target call from R, which must not."""
    v5 = sc.visits["call_lead"]
    q_at = v5["started_at"] + dt.timedelta(minutes=7)
    r_at = v5["started_at"] + dt.timedelta(hours=5)
    when = "%d/%m/%Y %H:%M:%S"
    sc.calltouch += [
        call(770002, msk(q_at, when), phone=PHONE_Q, yaClientId=v5["client_id"], clientId=None,
             ctClientId=None, sessionId=None, callerName=NAME),
        call(770003, msk(r_at, when), phone=PHONE_R, yaClientId="", clientId=None,
             ctClientId=None, sessionId=None, targetCall=False, uniqTargetCall=False,
             duration=9),
    ]  # fmt: skip
    sc.call_lead = Expected(
        "calltouch:call:770002", "calltouch", "client_id", "open", None, "RUB", q_at,
        v5["client_id"], extra_touches=("call:770002",),
    )  # fmt: skip


def build_scenario(demo, salt: str) -> Scenario:
    sc = Scenario(visits=pick_visits(demo))
    amocrm_account(sc, salt)
    bitrix24_portal(sc, salt)
    retailcrm_account(sc, salt)
    calltouch_journal(sc)
    return sc


# ------------------------------------------------------------------------------- expectations


def expected_call_leads(demo, sc: Scenario, salt: str) -> set[str]:
    """int_deals_unioned's rule computed here: a target call of the Calltouch connector whose
    caller no deal knows is a lead (the caller's first such call). The demo's simulated calls say
    source_system 'calltouch' too, but come from the demo connector: they stay touches only."""
    known = {d["contact_key"] for d in demo["deals"].to_pylist() if d["contact_key"]}
    known |= sc.known_contact_keys
    calls = []
    for raw in sc.calltouch:
        at = dt.datetime.strptime(raw["date"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=MSK)
        target = bool(raw["targetCall"] or raw["uniqTargetCall"])
        calls.append((str(raw["callId"]), at, contact_key(None, raw["callerNumber"], salt), target))
    first: dict[str, tuple] = {}
    for call_id, _at, caller, target in sorted(calls, key=lambda c: (c[1], c[0])):
        if target is True and caller and caller not in known and caller not in first:
            first[caller] = call_id
    return {f"calltouch:call:{call_id}" for call_id in first.values()}
