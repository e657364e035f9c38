"""A small but real serving snapshot with known numbers, written the way the publisher does.

40 days (2024-12-23 … 2025-01-31), two attribution models, five channels:
- Paid Search: three campaigns in two source systems; cost of campaign c1 grows by 1 a day.
- Paid Social: cost but zero leads (CPL/CAC are "—", ROI is -100%).
- Organic Search: visits and leads but zero cost (CPL/CAC/ROI are "—").
- (none): unattributed leads, no cost and no visits.
Per day, each model credits 6 leads, 1 won deal and 1,000 of revenue in total.

Default window (last 30 days, 2025-01-02 … 2025-01-31), first_touch, all channels:
cost 6,750 · leads 180 · won 30 · revenue 30,000 · ROI 344.4%.

Model comparison (``fct_model_comparison``, the daily rows summed per month × model × channel):
December 2024 (9 days) and January 2025 (31 days). The default window overlaps January only:
leads 186 · won 31 · revenue 31,000 under both models; Paid Search gets 108.5 leads under
first_touch and 124 under last_touch. Over both months cost is Paid Search 8,000 + Paid Social 800
= 8,800 and revenue 40,000: Paid Search has 10/11 of the cost and 75% (first_touch) or 100%
(last_touch) of the revenue.

Planted truth (``fct_model_accuracy``, 200 deals): Paid Search 110 · Organic Search 60 ·
Paid Social 30 · (none) 0. first_touch credits 90 · 70 · 10 · 30 (misallocated 20%),
last_touch 130 · 40 · 0 · 30 (misallocated 25%).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

FIRST_DAY = dt.date(2024, 12, 23)
DAYS = 40
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)  # 2025-01-31
PUBLISHED_AT = dt.datetime(2025, 2, 1, 3, 30)  # UTC → 06:30 in Europe/Moscow
MODELS = ("first_touch", "last_touch")

# channel, source_system, campaign_id, campaign_name, base cost, impressions, clicks, visits
CAMPAIGNS = [
    ("Paid Search", "yandex_direct", "c1", "Brand", 100.00, 1000, 50, 40),
    ("Paid Search", "yandex_direct", "c2", "Generic", 50.50, 800, 20, 15),
    ("Paid Search", "google_ads", "g1", "Search RU", 30.00, 300, 10, 8),
    ("Paid Social", "vk_ads", "v1", "Retargeting", 20.00, 2000, 30, 25),
    ("Organic Search", "metrika", "(none)", None, 0.00, 0, 0, 60),
    ("(none)", "crm", "(none)", None, 0.00, 0, 0, 0),
]
# per day and model: campaign_id/channel → (leads, deals_won, revenue, cost_of_goods)
CREDIT = {
    "first_touch": {
        "c1": (2.0, 0.5, 500, 200),
        "c2": (1.0, 0.25, 250, 100),
        "g1": (0.5, 0.0, 0, 0),
        "v1": (0.0, 0.0, 0, 0),
        "Organic Search": (1.5, 0.25, 250, 100),
        "(none)": (1.0, 0.0, 0, 0),
    },
    "last_touch": {
        "c1": (3.0, 1.0, 1000, 400),
        "c2": (0.5, 0.0, 0, 0),
        "g1": (0.5, 0.0, 0, 0),
        "v1": (0.0, 0.0, 0, 0),
        "Organic Search": (1.0, 0.0, 0, 0),
        "(none)": (1.0, 0.0, 0, 0),
    },
}

# attribution_model, channel, planted_leads (the simulation's truth), credited_leads
ACCURACY = (
    ("first_touch", "Paid Search", 110, 90.0),
    ("first_touch", "Organic Search", 60, 70.0),
    ("first_touch", "Paid Social", 30, 10.0),
    ("first_touch", "(none)", 0, 30.0),
    ("last_touch", "Paid Search", 110, 130.0),
    ("last_touch", "Organic Search", 60, 40.0),
    ("last_touch", "Paid Social", 30, 0.0),
    ("last_touch", "(none)", 0, 30.0),
)

COLUMNS = """
    report_date date, attribution_model varchar, channel varchar, source_system varchar,
    campaign_id varchar, campaign_name varchar, cost decimal(18, 2), impressions bigint,
    clicks bigint, visits bigint, leads double, deals_won double, revenue decimal(38, 6),
    cost_of_goods decimal(38, 6), gross_profit decimal(38, 6)
"""


def channel_rows() -> list[dict]:
    rows = []
    for i in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=i)
        for model in MODELS:
            for channel, system, cid, name, cost, impressions, clicks, visits in CAMPAIGNS:
                key = cid if cid != "(none)" else channel
                leads, won, revenue, cogs = CREDIT[model][key]
                rows.append(
                    {
                        "report_date": day,
                        "attribution_model": model,
                        "channel": channel,
                        "source_system": system,
                        "campaign_id": cid,
                        "campaign_name": name,
                        "cost": cost + i if cid == "c1" else cost,
                        "impressions": impressions,
                        "clicks": clicks,
                        "visits": visits,
                        "leads": leads,
                        "deals_won": won,
                        "revenue": revenue,
                        "cost_of_goods": cogs,
                        "gross_profit": revenue - cogs,
                    }
                )
    return rows


# fct_markov_shares: channel, removal effect, share, 95% interval (shares sum to 1)
MARKOV_SHARES = (
    ("Paid Search", 0.6, 0.6, 0.52, 0.67),
    ("Organic Search", 0.3, 0.3, 0.24, 0.37),
    ("Paid Social", 0.1, 0.1, 0.05, 0.16),
)
MARKOV_CONVERSIONS = 180
# fct_shapley_shares: channel, share, 95% interval (over the same conversions)
SHAPLEY_SHARES = (
    ("Paid Search", 0.55, 0.5, 0.61),
    ("Organic Search", 0.35, 0.29, 0.4),
    ("Paid Social", 0.1, 0.06, 0.14),
)


def write_serving(
    path: Path,
    rows: list[dict],
    published_at: dt.datetime = PUBLISHED_AT,
    *,
    models: Sequence[str] = MODELS,
    model_tables: bool = True,
    accuracy: Sequence[tuple[str, str, int, float]] = ACCURACY,
) -> Path:
    """Write a snapshot beside ``path`` and rename it over, as the publisher does.

    ``models`` is ``publish_meta.attribution_models`` (first = default); ``model_tables=False``
    writes an older snapshot without ``fct_model_comparison`` / ``fct_model_accuracy``;
    ``accuracy=()`` leaves ``fct_model_accuracy`` empty (demo source off).
    """
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"create table fct_channel_daily ({COLUMNS})")
        if rows:
            frame = pd.DataFrame(rows)
            con.register("fixture_rows", frame)
            con.execute(
                f"insert into fct_channel_daily ({', '.join(frame.columns)}) "
                f"select {', '.join(frame.columns)} from fixture_rows"
            )
            con.unregister("fixture_rows")
        con.execute(
            """
            create table fct_funnel_daily as
            select report_date, attribution_model, channel,
                   sum(visits)::bigint as visits, sum(leads) as leads,
                   sum(deals_won) as deals_won, sum(revenue)::decimal(38, 6) as revenue
            from fct_channel_daily
            group by all
            """
        )
        con.execute(
            """
            create table publish_meta (
                published_at timestamp, reporting_currency varchar,
                reporting_timezone varchar, sources varchar, attribution_models varchar
            )
            """
        )
        con.execute(
            "insert into publish_meta values (?, 'RUB', 'Europe/Moscow', ?, ?)",
            [published_at, "yandex_direct,google_ads,vk_ads,metrika,crm", ",".join(models)],
        )
        if model_tables:
            _write_model_tables(con, accuracy)
        for add_tables in _page_fixtures():
            add_tables(con)
    finally:
        con.close()
    tmp.replace(path)
    return path


def _page_fixtures() -> list[Callable[[duckdb.DuckDBPyConnection], None]]:
    """Pages with tables of their own add them from ``tests/dashboards/fixture_<page>.py``
    (an ``add_tables(con)`` function, its known numbers documented there)."""
    import importlib.util

    adders = []
    for file in sorted(Path(__file__).parent.glob("fixture_*.py")):
        spec = importlib.util.spec_from_file_location(f"dashboards_{file.stem}", file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        adders.append(module.add_tables)
    return adders


def _write_model_tables(
    con: duckdb.DuckDBPyConnection, accuracy: Sequence[tuple[str, str, int, float]]
) -> None:
    """``fct_model_comparison`` from the daily rows; ``fct_model_accuracy`` from ``accuracy``."""
    con.execute(
        """
        create table fct_model_comparison as
        select date_trunc('month', report_date)::date as report_month,
               attribution_model, channel,
               sum(cost)::decimal(18, 2) as cost, sum(leads) as leads,
               sum(deals_won) as deals_won, sum(revenue)::decimal(38, 6) as revenue
        from fct_channel_daily
        group by all
        """
    )
    con.execute(
        """
        create table accuracy_input (
            attribution_model varchar, channel varchar,
            planted_leads bigint, credited_leads double
        )
        """
    )
    if accuracy:
        con.executemany("insert into accuracy_input values (?, ?, ?, ?)", list(accuracy))
    con.execute(
        """
        create table fct_model_accuracy as
        with shares as (
            select attribution_model, channel, planted_leads, credited_leads,
                   planted_leads / sum(planted_leads) over (partition by attribution_model)
                       as planted_share,
                   credited_leads / sum(credited_leads) over (partition by attribution_model)
                       as credited_share
            from accuracy_input
        )
        select attribution_model, channel, planted_leads, credited_leads,
               planted_share::double as planted_share, credited_share::double as credited_share,
               (credited_share - planted_share)::double as share_error
        from shares
        """
    )
    con.execute("drop table accuracy_input")
    con.execute(
        """
        create table fct_markov_shares (
            channel varchar, removal_effect double, share double, share_low double,
            share_high double, conversions bigint, resamples bigint, is_too_little_data boolean
        )
        """
    )
    con.executemany(
        "insert into fct_markov_shares values (?, ?, ?, ?, ?, ?, ?, ?)",
        [(c, re, sh, lo, hi, MARKOV_CONVERSIONS, 200, MARKOV_CONVERSIONS < 100)
         for c, re, sh, lo, hi in MARKOV_SHARES],
    )  # fmt: skip
    con.execute(
        """
        create table fct_shapley_shares (
            channel varchar, share double, share_low double, share_high double,
            conversions bigint, resamples bigint, is_too_little_data boolean
        )
        """
    )
    con.executemany(
        "insert into fct_shapley_shares values (?, ?, ?, ?, ?, ?, ?)",
        [(c, sh, lo, hi, MARKOV_CONVERSIONS, 200, False) for c, sh, lo, hi in SHAPLEY_SHARES],
    )


def expected_sums(
    start: dt.date, end: dt.date, model: str, channels: Sequence[str] | None = None
) -> dict[str, float]:
    """Sums computed in Python straight from the fixture rows (independent of the SQL)."""
    picked = [
        r
        for r in channel_rows()
        if start <= r["report_date"] <= end
        and r["attribution_model"] == model
        and (not channels or r["channel"] in channels)
    ]
    measures = ("cost", "visits", "leads", "deals_won", "revenue", "cost_of_goods")
    return {m: float(sum(r[m] for r in picked)) for m in measures}


@pytest.fixture(autouse=True)
def _no_dashboard_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's .env may set a dashboard password; page tests run without one."""
    monkeypatch.setenv("THROUGHLINE_DASHBOARD_PASSWORD", "")


@pytest.fixture
def serving_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture snapshot, with ``THROUGHLINE_SERVING_PATH`` pointing at it."""
    path = write_serving(tmp_path / "serving.duckdb", channel_rows())
    monkeypatch.setenv("THROUGHLINE_SERVING_PATH", str(path))
    return path


@pytest.fixture
def missing_serving_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nothing-here" / "serving.duckdb"
    monkeypatch.setenv("THROUGHLINE_SERVING_PATH", str(path))
    return path


@pytest.fixture
def expected() -> Callable[..., dict[str, float]]:
    return expected_sums


@pytest.fixture
def fx() -> SimpleNamespace:
    """The fixture's constants and helpers (tests do not import conftest: other test folders
    may have their own)."""
    return SimpleNamespace(
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        window=(LAST_DAY - dt.timedelta(days=29), LAST_DAY),
        channel_rows=channel_rows,
        write_serving=write_serving,
    )
