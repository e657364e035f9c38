"""fct_shapley_shares on the demo build: the point shares are exactly what the Shapley model
credits per channel in the long table, inside their bootstrap interval."""

import duckdb
import pytest


def test_shapley_shares_equal_the_credit_in_the_long_table(demo_build):
    data_dir, _ = demo_build
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        credited = dict(
            con.execute(
                """
                select a.channel, sum(a.weight) / sum(sum(a.weight)) over ()
                from intermediate.int_attribution as a
                inner join intermediate.int_path_channel_sets as s
                    on a.deal_key = s.conversion_id and s.is_converted = 1
                where a.attribution_model = 'shapley'
                group by a.channel
                """
            ).fetchall()
        )
        shares = con.execute(
            "select channel, share, share_low, share_high, conversions, resamples "
            "from marts.fct_shapley_shares"
        ).fetchall()
        converting = con.execute(
            "select count(*) from intermediate.int_path_channel_sets where is_converted = 1"
        ).fetchone()[0]
    finally:
        con.close()
    assert {row[0] for row in shares} == set(credited)
    assert sum(row[1] for row in shares) == pytest.approx(1.0, abs=1e-12)
    for channel, share, low, high, conversions, resamples in shares:
        assert share == pytest.approx(float(credited[channel]), abs=1e-12), channel
        assert low <= share <= high, channel
        assert conversions == converting and resamples == 200
