"""Each channel's share of the Shapley-credited conversions with its seeded 95% bootstrap interval
and the too-little-data flag (the maths: dbt_project/python/shapley.py)."""

from shapley import channel_shares


def model(dbt, session):
    dbt.config(materialized="table")
    # plain dbt.config.get calls: dbt finds the keys it must pass by reading this code
    resamples = dbt.config.get("resamples")
    seed = dbt.config.get("seed")
    min_conversions = dbt.config.get("min_conversions")
    return channel_shares(
        dbt.ref("int_channel_sets").df(),
        resamples=int(resamples),
        seed=int(seed),
        min_conversions=int(min_conversions),
    )
