"""A fake VK Ads API v2 on pytest-httpserver, as ../shared/reference/source-apis.md (1.2, 7)
describes it: client-credentials tokens with refresh and a per-client token limit, Bearer checks,
ad_plans.json paged by limit/offset with a count, statistics/ad_plans/day.json with id and date
limits, VK's error bodies and rate-limit headers. Each fault has a switch.

Records are in the API's own shape: `ad_plans` as ad_plans.json items, `stats` as the items of
statistics/ad_plans/day.json (`{"id", "rows": [{"date", "base": {...}}]}`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from typing import Any

from werkzeug import Request, Response

CLIENT_ID = "vk-client-id-4711"
CLIENT_SECRET = "vk-client-secret-XyZ-9876"
ENV = {"VK_ADS_CLIENT_ID": CLIENT_ID, "VK_ADS_CLIENT_SECRET": CLIENT_SECRET}


def sample_records() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Three campaigns (one deleted), a few days in May 2026."""
    ad_plans = [
        {"id": 101, "name": "Весна — ретаргетинг", "status": "active"},
        {"id": 102, "name": "Brand search", "status": "blocked"},
        {"id": 103, "name": "Old promo", "status": "deleted"},
    ]
    stats = [
        {
            "id": 101,
            "rows": [
                {"date": "2026-05-01", "base": {"shows": 1000, "clicks": 50, "spent": "123.45"}},
                {"date": "2026-05-02", "base": {"shows": 800, "clicks": 40, "spent": "99.90"}},
            ],
        },
        {
            "id": 102,
            "rows": [{"date": "2026-05-02", "base": {"shows": 10, "clicks": 0, "spent": ""}}],
        },
        {
            "id": 103,
            "rows": [{"date": "2026-05-01", "base": {"shows": 500, "clicks": 5, "spent": "10.01"}}],
        },
    ]
    return ad_plans, stats


def vk_error(status: int, code: str, message: str = "") -> Response:
    body = {"error": {"code": code, "message": message or code}}
    return Response(json.dumps(body), status=status, content_type="application/json")


class FakeVkAdsApi:
    def __init__(
        self,
        ad_plans: list[dict[str, Any]] | None = None,
        stats: list[dict[str, Any]] | None = None,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        max_tokens: int = 5,
        expires_in: int = 86_400,
        max_range_days: int = 90,
        max_ids: int = 50,
        fill_idle_days: bool = True,
    ):
        default_plans, default_stats = sample_records()
        self.ad_plans = default_plans if ad_plans is None else ad_plans
        self.stats = default_stats if stats is None else stats
        self.client_id, self.client_secret = client_id, client_secret
        self.max_tokens, self.expires_in = max_tokens, expires_in
        self.max_range_days, self.max_ids = max_range_days, max_ids
        self.fill_idle_days = fill_idle_days  # [v] idle days come back as zero rows
        self.tokens: dict[str, str] = {}  # access token -> its refresh token
        self.issued = 0
        self.calls: list[tuple[str, dict[str, str]]] = []  # (path, query or form)
        self.faults: dict[str, deque[Response]] = {}  # path suffix -> canned answers, in order
        # switches
        self.ignore_offset = False  # ad_plans.json returns the first page for any offset
        self.revoke_after_calls: int | None = None  # drop every token after N data calls
        self.expire_after_calls: int | None = None  # access tokens expire (refresh still works)
        self.expired: set[str] = set()
        self.always_401 = False  # the API refuses every token (revoked app)
        self.rps_zero_every: int | None = None  # every Nth answer: X-RateLimit-RPS-Remaining: 0
        self.data_calls = 0

    @classmethod
    def from_ad_spend(cls, rows: list[dict[str, Any]], **kwargs: Any) -> FakeVkAdsApi:
        """The API's records from canonical ad_spend rows (spend_date, campaign_id numeric,
        campaign_name, impressions, clicks, cost), e.g. the demo generator's vk_ads rows."""
        plans: dict[int, dict[str, Any]] = {}
        stats: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            plan_id = int(row["campaign_id"])
            plans[plan_id] = {"id": plan_id, "name": row.get("campaign_name"), "status": "active"}
            base = {
                "shows": int(row.get("impressions") or 0),
                "clicks": int(row.get("clicks") or 0),
                "spent": f"{row['cost']:.2f}" if row.get("cost") is not None else "",
            }
            stats.setdefault(plan_id, []).append({"date": str(row["spend_date"]), "base": base})
        items = [{"id": plan_id, "rows": day_rows} for plan_id, day_rows in stats.items()]
        return cls(list(plans.values()), items, **kwargs)

    # -- wiring ------------------------------------------------------------------------------

    def register(self, httpserver) -> FakeVkAdsApi:
        httpserver.expect_request(re.compile(r"^/api/v2/.*")).respond_with_handler(self.handle)
        return self

    def fail(self, path_suffix: str, *responses: Response) -> None:
        """The next calls to a path ending in `path_suffix` get these answers first."""
        self.faults.setdefault(path_suffix, deque()).extend(responses)

    def paths(self, suffix: str) -> list[dict[str, str]]:
        return [args for path, args in self.calls if path.endswith(suffix)]

    def grants(self) -> list[str]:
        return [args.get("grant_type", "") for args in self.paths("/oauth2/token.json")]

    def handle(self, request: Request) -> Response:
        args = dict(request.form) if request.method == "POST" else dict(request.args)
        self.calls.append((request.path, args))
        for suffix, queue in self.faults.items():
            if request.path.endswith(suffix) and queue:
                return queue.popleft()
        if request.path == "/api/v2/oauth2/token.json":
            return self._token(args)
        if request.path == "/api/v2/oauth2/token/delete.json":
            return self._delete_tokens(args)
        refused = self._check_bearer(request)
        if refused is not None:
            return refused
        self.data_calls += 1
        if request.path == "/api/v2/ad_plans.json":
            response = self._ad_plans(args)
        elif request.path == "/api/v2/statistics/ad_plans/day.json":
            response = self._stats(args)
        else:
            response = vk_error(404, "ERR_WRONG_RESOURCE")
        remaining = "10"
        if self.rps_zero_every and self.data_calls % self.rps_zero_every == 0:
            remaining = "0"
        response.headers["X-RateLimit-RPS-Limit"] = "10"
        response.headers["X-RateLimit-RPS-Remaining"] = remaining
        response.headers["X-RateLimit-Hourly-Remaining"] = "9000"
        response.headers["X-RateLimit-Daily-Remaining"] = "90000"
        return response

    # -- tokens ------------------------------------------------------------------------------

    def _token(self, form: dict[str, str]) -> Response:
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _json({"error": "invalid_client", "error_description": "bad client"}, 401)
        grant = form.get("grant_type")
        if grant == "refresh_token":
            old = [a for a, r in self.tokens.items() if r == form.get("refresh_token")]
            if not old:
                return _json({"error": "invalid_grant", "error_description": "bad refresh"}, 400)
            del self.tokens[old[0]]
        elif grant == "client_credentials":
            if len(self.tokens) >= self.max_tokens:  # [v] status and code from client code
                return _json(
                    {"error": "token_limit_exceeded", "error_description": "Too many tokens"}, 403
                )
        else:
            return _json({"error": "unsupported_grant_type"}, 400)
        self.issued += 1
        access, refresh = f"acc-{self.issued}-tokenvalue", f"ref-{self.issued}-tokenvalue"
        self.tokens[access] = refresh
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": refresh,
            "tokens_left": self.max_tokens - len(self.tokens),
        }
        return _json(body)

    def _delete_tokens(self, form: dict[str, str]) -> Response:
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _json({"error": "invalid_client"}, 401)
        self.tokens.clear()
        return Response(status=204)

    def _check_bearer(self, request: Request) -> Response | None:
        if self.revoke_after_calls is not None and self.data_calls >= self.revoke_after_calls:
            self.tokens.clear()
            self.revoke_after_calls = None
        if self.expire_after_calls is not None and self.data_calls >= self.expire_after_calls:
            self.expired |= set(self.tokens)
            self.expire_after_calls = None
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        if self.always_401 or token not in self.tokens or token in self.expired:
            return vk_error(401, "ERR_AUTH", "invalid_token")
        return None

    # -- data --------------------------------------------------------------------------------

    def _ad_plans(self, args: dict[str, str]) -> Response:
        limit, offset = int(args.get("limit", 20)), int(args.get("offset", 0))
        if limit > 50:
            return vk_error(400, "ERR_WRONG_PARAMETER", "limit must be <= 50")
        # [v] by default the list leaves deleted campaigns out; _status__in brings them back.
        statuses = args.get("_status__in", "active,blocked").split(",")
        plans = [p for p in self.ad_plans if p.get("status") in statuses]
        start = 0 if self.ignore_offset else offset
        fields = args.get("fields", "id,name").split(",")
        items = [{k: v for k, v in p.items() if k in fields} for p in plans[start : start + limit]]
        return _json({"count": len(plans), "offset": offset, "limit": limit, "items": items})

    def _stats(self, args: dict[str, str]) -> Response:
        try:
            ids = [int(i) for i in args["id"].split(",")]
            first = dt.date.fromisoformat(args["date_from"])
            last = dt.date.fromisoformat(args["date_to"])
        except (KeyError, ValueError):
            return vk_error(400, "ERR_WRONG_PARAMETER")
        if len(ids) > self.max_ids:
            return vk_error(400, "ERR_WRONG_PARAMETER", "too many ids")
        if last < first or (last - first).days + 1 > self.max_range_days:
            return vk_error(400, "ERR_WRONG_DATE", "date range is too long")
        by_id = {int(item["id"]): item for item in self.stats}
        items = []
        for plan_id in ids:
            known = {r["date"]: r for r in by_id.get(plan_id, {}).get("rows", [])}
            rows = []
            day = first
            while day <= last:
                zero = {"date": day.isoformat(), "base": {"shows": 0, "clicks": 0, "spent": "0.00"}}
                row = known.get(day.isoformat(), zero if self.fill_idle_days else None)
                rows += [row] if row else []
                day += dt.timedelta(days=1)
            items.append({"id": plan_id, "rows": rows, "total": {"base": {}}})
        return _json({"items": items, "total": {"base": {}}})


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
