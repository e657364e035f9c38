"""Shapley shares per converting channel set, exact (the maths: dbt_project/python/shapley.py)."""

from shapley import shapley_table


def model(dbt, session):
    dbt.config(materialized="table")
    return shapley_table(dbt.ref("int_channel_sets").df())
