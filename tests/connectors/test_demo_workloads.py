"""Benchmark workload B1 (connectors/demo/workloads.py): size, ratios, determinism, and that the
knobs behind it leave the default demo exactly as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import duckdb
import pyarrow as pa
import pytest

from connectors.demo import settings
from connectors.demo.__main__ import main as cli_main
from connectors.demo.campaigns import campaign_specs
from connectors.demo.generator import TABLES, DemoConfig, generate, iter_batches
from connectors.demo.workloads import B1_END_DATE, B1_SCALES, b1_config

SALT = "test-salt"
TINY = 0.002  # 40k visits over the full 730 days, about a second


def _tables(config: DemoConfig) -> dict[str, pa.Table]:
    parts: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    for batch in iter_batches(config):
        for name, table in batch.items():
            parts[name].append(table)
    return {name: pa.concat_tables(parts[name]) for name in TABLES}


def _digest(tables: dict[str, pa.Table]) -> str:
    """A hash of every value, independent of arrow's chunking and file formats."""
    h = hashlib.sha256()
    for name in TABLES:
        for col in tables[name].columns:
            if pa.types.is_timestamp(col.type):
                col = col.cast(pa.int64())
            elif pa.types.is_date(col.type):
                col = col.cast(pa.int32())
            elif pa.types.is_decimal(col.type):
                col = col.cast(pa.string())
            h.update(repr(col.to_pylist()).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def tiny():
    return _tables(b1_config(TINY, pii_salt=SALT))


@pytest.fixture(scope="module")
def db(tiny):
    con = duckdb.connect()
    for name, table in tiny.items():
        con.register(name, table)
    yield con
    con.close()


def one(con, sql):
    return con.execute(sql).fetchone()


# --- the default demo is untouched -------------------------------------------------------


def test_default_demo_is_byte_identical_to_before_the_knobs():
    """Pinned from the generator before the workload knobs existed: the defaults must keep
    drawing the same random numbers in the same order."""
    data = generate(
        days=20, visits_per_day=120, seed=7, end_date=dt.date(2026, 11, 1), pii_salt=SALT
    )
    assert _digest(data.tables) == (
        "e026567a928fd2bb7bf066fc1d3c863aae6b2d8c1f2a7aefadcdae0c5ecf1d33"
    )


# --- the factory -------------------------------------------------------------------------


def test_b1_scales_visits_and_campaigns_linearly():
    expected = {  # scale: (visits per day, campaigns)
        0.01: (274, 20),
        0.1: (2740, 200),
        0.3: (8219, 600),
        1: (27397, 2000),
        3: (82192, 6000),
    }
    assert set(expected) == set(B1_SCALES)
    for scale, (per_day, campaigns) in expected.items():
        config = b1_config(scale)
        assert (config.visits_per_day, config.campaigns) == (per_day, campaigns)
        assert (config.days, config.end_date, config.seed) == (730, B1_END_DATE, 42)
    assert b1_config(TINY).campaigns == len(settings.CAMPAIGNS)  # never fewer than the base
    with pytest.raises(ValueError, match="scale"):
        b1_config(0)


def test_campaign_variants_keep_their_family_channel_and_tags_unique():
    specs = campaign_specs(100)
    assert [c for c, _ in specs[:11]] == list(settings.CAMPAIGNS)
    assert len({c.campaign_id for c, _ in specs}) == len({c.utm_campaign for c, _ in specs}) == 100
    for campaign, family in specs:
        base = settings.CAMPAIGNS[family]
        assert (campaign.platform, campaign.utm_source, campaign.utm_medium, campaign.channel) == (
            base.platform, base.utm_source, base.utm_medium, base.channel,
        )  # fmt: skip
        assert 0 <= campaign.active[0] <= campaign.active[1] <= 1
    with pytest.raises(ValueError, match="at least 11"):
        DemoConfig(campaigns=5, pii_salt=SALT, end_date=B1_END_DATE).resolved()


# --- generated data ----------------------------------------------------------------------


def test_same_seed_same_rows_another_seed_other_rows(tiny):
    assert _digest(_tables(b1_config(TINY, pii_salt=SALT))) == _digest(tiny)
    short = [dataclasses.replace(b1_config(TINY, seed, pii_salt=SALT), days=60) for seed in (1, 2)]
    assert _digest(_tables(short[0])) != _digest(_tables(short[1]))


def test_b1_ratios(db):
    visits, clients = one(db, "select count(*), count(distinct client_id) from visits")
    deals, won = one(db, "select count(*), avg((status = 'won')::int) from deals")
    target = 20_000_000 * TINY
    assert 0.95 < visits / target < 1.08
    assert 4.5 < visits / clients < 5.5  # 4M clients for 20M visits
    assert 0.015 < deals / visits < 0.025  # 400k deals
    assert 0.24 < won < 0.36
    assert one(
        db, "select count(distinct spend_date), count(distinct source_system) from ad_spend"
    ) == (730, 5)
    assert one(db, "select min(spend_date), max(spend_date) from ad_spend") == (
        B1_END_DATE - dt.timedelta(days=729),
        B1_END_DATE,
    )


def test_planted_truth_still_names_every_channel(db):
    channels = {
        r[0] for r in db.execute("select distinct true_channel from planted_truth").fetchall()
    }
    assert channels == set(settings.CHANNELS)


def test_variants_get_spend_visits_and_deals_and_their_tags_decode():
    """More campaigns than the base ones: every one has spend rows, paid visits decode to a
    spend row's clean tags, and deals' true campaigns include variants."""
    config = dataclasses.replace(b1_config(TINY, pii_salt=SALT), campaigns=60)
    con = duckdb.connect()
    for name, table in _tables(config).items():
        con.register(name, table)
    assert one(
        con, "select count(distinct campaign_id), count(distinct utm_campaign) from ad_spend"
    ) == (60, 60)
    unmatched = one(
        con,
        """
        select count(*) from visits v
        where utm_source is not null and lower(url_decode(utm_medium)) <> 'email'
          and not exists (
            select 1 from ad_spend s
            where s.utm_source = lower(url_decode(v.utm_source))
              and s.utm_medium = lower(url_decode(v.utm_medium))
              and s.utm_campaign = lower(url_decode(v.utm_campaign)))
        """,
    )
    assert unmatched == (0,)
    variant_truths = one(
        con,
        """
        select count(*) from planted_truth
        where true_campaign in (select utm_campaign from ad_spend where campaign_name like '%#%')
        """,
    )
    assert variant_truths[0] > 0


def test_cli_writes_a_workload(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THROUGHLINE_PII_SALT", SALT)
    out = tmp_path / "b1"
    argv = ["--workload", "b1", "--scale", "0.01", "--days", "20", "--campaigns", "30"]
    assert cli_main([*argv, "--out", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "workload=b1 scale=0.01" in summary and "2026-10-12..2026-10-31" in summary
    sql = f"select count(distinct campaign_id) from '{out}/ad_spend/*.parquet'"
    assert one(duckdb.connect(), sql) == (30,)
    assert cli_main(["--scale", "0.1", "--out", str(out)]) == 2  # a scale needs a workload
