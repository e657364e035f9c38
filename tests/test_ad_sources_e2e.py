"""Yandex Direct, VK Ads and Yandex Metrica against their local fake APIs, through the real
nightly job (subprocess, dbt included) into the published marts; then the same night again.

The fakes are the connectors' own test servers (tests/connectors/<name>/fake_api_<name>.py),
fed with records dated in the ten days before yesterday, so the connectors' first incremental run
(start_date .. yesterday) loads all of them.
"""

import datetime as dt
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from nightly_helpers import REPO, SALT, build_env, mart_rows, run_build

for name in ("yandex_direct", "vk_ads", "yandex_metrica"):
    sys.path.insert(0, str(REPO / "tests" / "connectors" / name))

import fake_api_vk_ads as vk  # noqa: E402
import fake_api_yandex_direct as direct  # noqa: E402
import fake_api_yandex_metrica as metrica  # noqa: E402

pytestmark = pytest.mark.slow

MOSCOW = ZoneInfo("Europe/Moscow")
RESTATEMENT = Decimal("100.50")


@dataclass(frozen=True)
class Days:
    """The ten days of data, ending yesterday in Moscow, as the connectors count them."""

    yesterday: dt.date

    @property
    def first(self) -> dt.date:
        return self.yesterday - dt.timedelta(days=9)

    @property
    def all(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range(10)]

    @property
    def restated(self) -> dt.date:
        return self.yesterday - dt.timedelta(days=3)


@pytest.fixture(scope="module")
def days() -> Days:
    # The connectors read "yesterday" when they run: three builds must not straddle Moscow
    # midnight, so a module starting just before it waits until it has passed.
    now = dt.datetime.now(MOSCOW)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), MOSCOW)
    if midnight - now < dt.timedelta(minutes=15):
        time.sleep((midnight - now).total_seconds() + 5)
    return Days(yesterday=(dt.datetime.now(MOSCOW) - dt.timedelta(days=1)).date())


def _vk_spend(days: Days) -> list[dict]:
    return [
        {
            "spend_date": day,
            "campaign_id": str(campaign),
            "campaign_name": f"VK {campaign}",
            "impressions": 500 + i,
            "clicks": 10 + i,
            "cost": Decimal("250.10") + Decimal(i) + Decimal(campaign % 10) / 100,
        }
        for i, day in enumerate(days.all)
        for campaign in (201, 202)
    ]


def _visits(days: Days) -> list[dict]:
    """Three visits a day: a Direct click (tags only in the URL), a VK ad, an organic search."""
    rows = []
    for i, day in enumerate(days.all):
        for j, (url, referer) in enumerate(
            [
                (f"https://shop.example/?utm_source=yandex&utm_medium=cpc&yclid={i}00", ""),
                ("https://shop.example/?utm_source=vk&utm_medium=cpc&utm_campaign=201", ""),
                ("https://shop.example/catalog", "https://yandex.ru/search/?text=shop"),
            ]
        ):
            rows.append(
                {
                    "ym:s:visitID": str(10_000 + 10 * i + j),
                    "ym:s:clientID": f"17000000{j}{i:02d}",
                    "ym:s:dateTime": f"{day.isoformat()} 12:0{j}:00",
                    "ym:s:startURL": url,
                    "ym:s:referer": referer,
                    "ym:s:UTMSource": "",
                    "ym:s:UTMMedium": "",
                    "ym:s:UTMCampaign": "",
                    "ym:s:UTMContent": "",
                    "ym:s:UTMTerm": "",
                    "ym:s:lastDirectClickOrder": "0",
                    "ym:s:deviceCategory": 1 + j,
                    "ym:s:pageViews": 1 + j,
                    "ym:s:isNewUser": 1,
                    "ym:s:goalsID": [],
                }
            )
    return rows


@pytest.fixture(scope="module")
def fakes(make_httpserver, days):
    server = make_httpserver
    server.clear()
    apis = {
        "direct": direct.FakeDirectApi(records=direct.sample_records(days.first, 10)),
        "vk": vk.FakeVkAdsApi.from_ad_spend(_vk_spend(days)),
        "metrica": metrica.FakeMetricaApi(_visits(days), today=days.yesterday + dt.timedelta(1)),
    }
    for api in apis.values():
        api.register(server)
    yield server, apis
    server.clear()


@pytest.fixture(scope="module")
def nights(fakes, days, tmp_path_factory):
    server, apis = fakes
    data_dir = tmp_path_factory.mktemp("ad_sources") / "data"
    base = server.url_for("/").rstrip("/")
    env = build_env(
        data_dir,
        "yandex_direct,vk_ads,yandex_metrica",
        YANDEX_DIRECT_TOKEN=direct.TOKEN,
        YANDEX_METRICA_TOKEN=metrica.TOKEN,
        **vk.ENV,
        THROUGHLINE_YANDEX_DIRECT_BASE_URL=base,
        THROUGHLINE_VK_ADS_BASE_URL=base,
        THROUGHLINE_YANDEX_METRICA_BASE_URL=base,
        THROUGHLINE_SOURCES__YANDEX_DIRECT__START_DATE=days.first.isoformat(),
        THROUGHLINE_SOURCES__VK_ADS__START_DATE=days.first.isoformat(),
        THROUGHLINE_SOURCES__VK_ADS__TOKEN_CACHE_DIR=str(data_dir / "tokens"),
        THROUGHLINE_SOURCES__YANDEX_METRICA__START_DATE=days.first.isoformat(),
        THROUGHLINE_SOURCES__YANDEX_METRICA__COUNTER_ID=metrica.COUNTER,
        THROUGHLINE_SOURCES__YANDEX_METRICA__POLL_INTERVAL_S="0",
    )
    first = run_build(env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    marts_first = mart_rows(data_dir / "serving.duckdb")
    second = run_build(env)  # the next night re-pulls the restatement windows
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    marts_second = mart_rows(data_dir / "serving.duckdb")
    # Direct restates a day inside its 7-day window: the third night must carry the new cost
    for record in apis["direct"].records:
        if record["Date"] == days.restated.isoformat() and record["AdGroupId"] == 5001:
            record["Cost"] += RESTATEMENT
    third = run_build(env)
    assert third.returncode == 0, third.stdout[-3000:] + third.stderr[-3000:]
    return data_dir, marts_first, marts_second, first.stdout + first.stderr, apis


def _totals(serving: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        rows = con.execute(
            """
            select source_system, channel, sum(cost), sum(impressions), sum(clicks), sum(visits)
            from fct_channel_daily where attribution_model = 'last_non_direct'
            group by 1, 2
            """
        ).fetchall()
    finally:
        con.close()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_spend_and_visits_reach_the_marts_to_the_kopeck(nights, days):
    data_dir, _, _, _, _ = nights
    totals = _totals(data_dir / "serving.duckdb")
    direct_rows = direct.sample_records(days.first, 10)
    direct_cost = sum(Decimal(str(r["Cost"])) for r in direct_rows) + RESTATEMENT
    vk_cost = sum(r["cost"] for r in _vk_spend(days))

    direct_marts = [v for (src, _), v in totals.items() if src == "yandex_direct"]
    assert sum(v[0] for v in direct_marts) == direct_cost.quantize(Decimal("0.01"))
    assert sum(v[1] for v in direct_marts) == sum(r["Impressions"] for r in direct_rows)
    vk_marts = [v for (src, _), v in totals.items() if src == "vk_ads"]
    assert sum(v[0] for v in vk_marts) == vk_cost
    assert sum(v[2] for v in vk_marts) == sum(r["clicks"] for r in _vk_spend(days))

    channels = {channel for (_, channel) in totals}
    assert {"Paid Search", "Paid Social", "Organic Search"} <= channels
    assert sum(v[3] for v in totals.values()) == len(_visits(days))


def test_a_second_night_changes_nothing_and_a_restated_day_flows_in_on_the_third(nights, days):
    data_dir, marts_first, marts_second, _, _ = nights
    assert marts_second == marts_first

    def direct_cost_on(serving: Path, day: dt.date) -> Decimal:
        con = duckdb.connect(str(serving), read_only=True)
        try:
            return con.execute(
                "select sum(cost) from fct_channel_daily where source_system = 'yandex_direct' "
                "and attribution_model = 'last_non_direct' and report_date = ?",
                [day],
            ).fetchone()[0]
        finally:
            con.close()

    original = sum(
        Decimal(str(r["Cost"]))
        for r in direct.sample_records(days.first, 10)
        if r["Date"] == days.restated.isoformat()
    )
    assert direct_cost_on(data_dir / "serving.duckdb", days.restated) == original + RESTATEMENT


def test_later_nights_re_pulled_only_the_restatement_window(nights, days):
    _, _, _, _, apis = nights
    # Metrica: the first night asked for the first day .. yesterday, the second for the last 3 days
    created = apis["metrica"].created
    last = days.yesterday.isoformat()
    assert created[0] == (days.first.isoformat(), last)
    assert created[-1] == ((days.yesterday - dt.timedelta(days=2)).isoformat(), last)


def test_no_secret_reaches_the_warehouse_or_the_log(nights):
    data_dir, _, _, log, _ = nights
    secrets = [direct.TOKEN, metrica.TOKEN, vk.CLIENT_ID, vk.CLIENT_SECRET, SALT]
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            for secret in secrets:
                hits = con.execute(
                    f'select count(*) from "{schema}"."{table}" where "{column}" like ?',
                    [f"%{secret}%"],
                ).fetchone()[0]
                assert hits == 0, (schema, table, column)
    finally:
        con.close()
    for secret in secrets:
        assert secret not in log
