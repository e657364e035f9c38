"""One TSV line of the visits log -> one raw row (or a rejection with its reason)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from connectors.common.pii import contact_key

from .settings import FIELDS, REQUIRED_FIELDS, VISITS
from .tsv import parse_array

# An e-mail in a landing URL or referrer (`?email=a%40b.ru` from a mailing): hashed before it lands.
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_TRUE, _FALSE = {"1", "true"}, {"0", "false"}
_UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


def to_utc(local: str, tz: ZoneInfo) -> dt.datetime:
    """Counter-local 'YYYY-MM-DD HH:MM:SS' -> aware UTC. In the autumn hour that happens twice
    the first occurrence is taken (fold=0); a time in the spring gap keeps the offset before it."""
    naive = dt.datetime.fromisoformat(local.strip().replace("T", " "))
    if naive.tzinfo is not None:
        return naive.astimezone(dt.UTC)
    return naive.replace(tzinfo=tz).astimezone(dt.UTC)


def scrub_emails(url: str | None, salt: str) -> str | None:
    if not url or ("@" not in url and "%40" not in url.lower()):
        return url

    def hashed(match: re.Match[str]) -> str:
        email = re.sub("%40", "@", match.group(0), flags=re.IGNORECASE)
        return "email-" + (contact_key(email, None, salt) or "")[:16]

    return _EMAIL.sub(hashed, url)


def _text(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def _int(value: str | None, field: str) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{field} is not a number: {value[:40]!r}") from exc


def _bool(value: str | None, field: str) -> bool | None:
    if value is None or value.strip() == "":
        return None
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"{field} is not 0/1: {value[:40]!r}")


@dataclass(frozen=True)
class RowBuilder:
    counter_id: str
    tz: ZoneInfo
    salt: str

    def check_header(self, header: list[str], where: str) -> None:
        missing = [f for f in REQUIRED_FIELDS if f not in header]
        if missing:
            raise ValueError(
                f"{where}: header lacks {', '.join(missing)} (got {', '.join(header)[:200]!r})"
            )

    def build(self, header: list[str], values: list[str | None]) -> dict[str, Any]:
        """The raw visits row; ValueError with a reason when the line cannot be one."""
        if len(values) != len(header):
            raise ValueError(f"line has {len(values)} values but the header has {len(header)}")
        raw = dict(zip(header, values, strict=True))
        got = {column: raw.get(field) for field, column in FIELDS.items()}
        visit = _text(got["ym_visit_id"])
        if visit is None or not visit.isdigit():
            raise ValueError(f"ym:s:visitID is not a visit id: {visit!r}")
        client = _text(got["client_id"])
        if client is None:
            raise ValueError("empty ym:s:clientID")
        local = _text(got["date_time"])
        try:
            started_at = to_utc(local or "", self.tz)
        except ValueError as exc:
            raise ValueError(f"unparseable ym:s:dateTime: {local!r}") from exc
        goals = parse_array(got["goals_id"])
        return {
            "visit_id": f"{self.counter_id}:{visit}",  # visitID alone repeats across counters/years
            "counter_id": self.counter_id,
            "ym_visit_id": visit,
            "client_id": client,
            "started_at": started_at,
            "date_time": local,
            "start_url": scrub_emails(_text(got["start_url"]), self.salt),
            "referer": scrub_emails(_text(got["referer"]), self.salt),
            **{k: _text(got[k]) for k in _UTM},
            "last_direct_click_order": _text(got["last_direct_click_order"]),
            "device_category": _int(got["device_category"], "ym:s:deviceCategory"),
            "page_views": _int(got["page_views"], "ym:s:pageViews"),
            "is_new_user": _bool(got["is_new_user"], "ym:s:isNewUser"),
            "goals_id": goals,
        }

    def rejection(
        self, values: list[str | None], reason: str, source_file: str, line: int
    ) -> dict[str, Any]:
        raw = "\t".join("" if v is None else v for v in values)
        safe_raw = scrub_emails(raw, self.salt) or ""
        # Keyed by content, so re-pulling the same day does not list the same bad line twice.
        digest = hashlib.sha256(f"{self.counter_id}\t{safe_raw}".encode()).hexdigest()[:32]
        return {
            "row_key": f"{VISITS}:{digest}",
            "entity": VISITS,
            "source_file": source_file,
            "source_row": line,
            "reason": reason,
            "raw": json.dumps(safe_raw, ensure_ascii=False)[:2000],
        }
