"""Shapley shares per converting channel set (DESIGN.md "shapley"), exact.

For a converting path with channel set T, the players are T and v(S) is the conversion rate of all
paths whose channel set is exactly S (0 where there is none). Each channel's Shapley value over T,
negatives set to 0, normalised to sum to 1 (equal shares if all are 0). Sets of more than
MAX_PLAYERS channels get equal shares and is_exact = false.
"""

from itertools import combinations
from math import factorial

import pandas as pd

SEP = "|"
MAX_PLAYERS = 15


def shapley_shares(players: tuple[str, ...], value: dict[frozenset, float]) -> list[float]:
    n = len(players)
    weights = [factorial(k) * factorial(n - k - 1) / factorial(n) for k in range(n)]
    phi = []
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for k in range(n):
            for subset in combinations(others, k):
                s = frozenset(subset)
                total += weights[k] * (value.get(s | {player}, 0.0) - value.get(s, 0.0))
        phi.append(max(total, 0.0))
    norm = sum(phi)
    return [p / norm for p in phi] if norm > 0 else [1.0 / n] * n


def shapley_table(sets: pd.DataFrame) -> pd.DataFrame:
    value = {}
    for row in sets.itertuples(index=False):
        paths = int(row.conversions) + int(row.nulls)
        rate = int(row.conversions) / paths if paths else 0.0
        value[frozenset(row.channel_set.split(SEP))] = rate
    rows = []
    converting = sorted(r.channel_set for r in sets.itertuples(index=False) if r.conversions > 0)
    for channel_set in converting:
        players = tuple(channel_set.split(SEP))  # already sorted by the SQL
        exact = len(players) <= MAX_PLAYERS
        shares = shapley_shares(players, value) if exact else [1.0 / len(players)] * len(players)
        rows += [(channel_set, p, s, exact) for p, s in zip(players, shares, strict=True)]
    return pd.DataFrame(rows, columns=["channel_set", "channel", "share", "is_exact"]).astype(
        {"channel_set": "object", "channel": "object", "share": "float64", "is_exact": "bool"}
    )


def model(dbt, session):
    dbt.config(materialized="table")
    return shapley_table(dbt.ref("int_channel_sets").df())
