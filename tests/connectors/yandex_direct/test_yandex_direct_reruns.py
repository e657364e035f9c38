"""Idempotency: fifty re-runs of random day windows (what backfills and nightly restatements do)
leave the raw table exactly as one clean load of the same days."""

import datetime as dt
import random

from yandex_direct_harness import FIRST, LAST

ROWS = (
    "select date, campaign_id, ad_group_id, impressions, clicks, cost, currency "
    "from raw_yandex_direct.daily_stats order by all"
)


def test_fifty_random_window_reruns_change_nothing(run):
    run.load((FIRST, LAST))
    clean = run.query(ROWS)
    assert len(clean) == 20  # 10 days × 2 campaigns (campaign level, the default)

    days = (LAST - FIRST).days
    rng = random.Random(20261123)
    for _ in range(50):
        start = FIRST + dt.timedelta(days=rng.randint(0, days))
        end = min(LAST, start + dt.timedelta(days=rng.randint(0, 4)))
        run.load((start, end))
    assert run.query(ROWS) == clean
    assert run.query("select count(*) from raw_yandex_direct.daily_stats") == [(20,)]
