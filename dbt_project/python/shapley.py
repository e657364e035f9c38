"""Shapley attribution (DESIGN.md "shapley"), shared by the dbt Python models that need it.

For a converting path with channel set T, the players are T and v(S) is the conversion rate of all
paths whose channel set is exactly S (0 where there is none). Each channel's Shapley value over T,
negatives set to 0, normalised to sum to 1 (equal shares if all are 0). Sets of more than
MAX_PLAYERS channels get equal shares and is_exact = false.

dbt finds this module through `module_paths` in profiles.yml.
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd

SEP = "|"
MAX_PLAYERS = 15


def _weights(n: int) -> list[float]:
    return [factorial(k) * factorial(n - k - 1) / factorial(n) for k in range(n)]


def shapley_shares(players: tuple[str, ...], value: dict[frozenset, float]) -> list[float]:
    n = len(players)
    weights = _weights(n)
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


def _rates(conversions: np.ndarray, nulls: np.ndarray) -> np.ndarray:
    paths = conversions + nulls
    return np.divide(conversions, paths, out=np.zeros(len(paths)), where=paths > 0)


def shapley_table(sets: pd.DataFrame) -> pd.DataFrame:
    """One row per converting channel set × channel with its share (from int_channel_sets)."""
    rates = _rates(sets["conversions"].to_numpy(float), sets["nulls"].to_numpy(float))
    value = {frozenset(s.split(SEP)): r for s, r in zip(sets["channel_set"], rates, strict=True)}
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


class LinearShapley:
    """Shapley values as a matrix over v: phi = M @ v, one row per (converting set, player).

    v changes with every bootstrap resample but the sets do not, so M is built once and each
    resample costs one sparse product instead of re-enumerating every subset.
    """

    def __init__(self, channel_sets: list[str], converting: list[str]):
        index = {frozenset(s.split(SEP)): i for i, s in enumerate(channel_sets)}
        self.rows: list[tuple[str, str]] = []
        self.set_of_row: list[int] = []
        entries: dict[tuple[int, int], float] = {}
        for channel_set in converting:
            players = tuple(channel_set.split(SEP))
            n = len(players)
            weights = _weights(n) if n <= MAX_PLAYERS else None
            for player in players:
                row = len(self.rows)
                self.rows.append((channel_set, player))
                self.set_of_row.append(index[frozenset(players)])
                if weights is None:
                    continue  # equal shares, see shares()
                others = [p for p in players if p != player]
                for k in range(n):
                    for subset in combinations(others, k):
                        s = frozenset(subset)
                        for key, sign in ((s | {player}, 1.0), (s, -1.0)):
                            if key in index:
                                cell = (row, index[key])
                                entries[cell] = entries.get(cell, 0.0) + sign * weights[k]
        self.exact = np.array([len(s.split(SEP)) <= MAX_PLAYERS for s, _ in self.rows], dtype=bool)
        self.matrix = np.zeros((len(self.rows), len(channel_sets)))
        for (r, c), w in entries.items():
            self.matrix[r, c] = w
        self.set_of_row_arr = np.array(self.set_of_row, dtype=int)

    def shares(self, rates: np.ndarray) -> np.ndarray:
        """Normalised shares per row for the conversion rates v of every channel set."""
        phi = np.maximum(self.matrix @ rates, 0.0)
        phi[~self.exact] = 1.0
        groups = self.set_of_row_arr
        totals = np.bincount(groups, weights=phi, minlength=len(rates))[groups]
        sizes = np.bincount(groups, minlength=len(rates))[groups]
        ratio = np.divide(phi, totals, out=np.zeros_like(phi), where=totals > 0)
        return np.where(totals > 0, ratio, 1.0 / sizes)


def channel_shares(
    sets: pd.DataFrame, resamples: int, seed: int, min_conversions: int
) -> pd.DataFrame:
    """Each channel's share of all Shapley-credited conversions, with a 95% bootstrap interval:
    paths are resampled (multinomial over channel set × converted, seed fixed), v and the Shapley
    values recomputed, credit summed per channel."""
    sets = sets.sort_values("channel_set").reset_index(drop=True)
    names = list(sets["channel_set"])
    conv = sets["conversions"].to_numpy(float)
    nulls = sets["nulls"].to_numpy(float)
    converting = [s for s, c in zip(names, conv, strict=True) if c > 0]
    model = LinearShapley(names, converting)
    channels = sorted({p for _, p in model.rows})
    channel_of_row = np.array([channels.index(p) for _, p in model.rows], dtype=int)

    def credit_shares(c: np.ndarray, n: np.ndarray) -> np.ndarray:
        credit = model.shares(_rates(c, n)) * c[model.set_of_row_arr]
        total = np.bincount(channel_of_row, weights=credit, minlength=len(channels))
        return total / total.sum() if total.sum() > 0 else total

    share = credit_shares(conv, nulls) if channels else np.zeros(0)
    low = high = np.full(len(channels), np.nan)
    cells = np.concatenate([conv, nulls])
    if resamples > 0 and channels and cells.sum() > 0:
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(int(cells.sum()), cells / cells.sum(), size=resamples)
        samples = np.array([credit_shares(d[: len(names)], d[len(names) :]) for d in draws])
        low = np.percentile(samples, 2.5, axis=0)
        high = np.percentile(samples, 97.5, axis=0)
    conversions = int(conv.sum())
    return pd.DataFrame(
        {
            "channel": pd.Series(channels, dtype="object"),
            "share": pd.Series(share, dtype="float64"),
            "share_low": pd.Series(low, dtype="float64"),
            "share_high": pd.Series(high, dtype="float64"),
            "conversions": pd.Series([conversions] * len(channels), dtype="int64"),
            "resamples": pd.Series([resamples] * len(channels), dtype="int64"),
            "is_too_little_data": pd.Series(
                [conversions < min_conversions] * len(channels), dtype="bool"
            ),
        }
    )
