"""Markov removal effects, solved exactly (absorbing-chain linear algebra, no simulation), with
seeded bootstrap intervals.

One row per channel: removal_effect = 1 − P(conversion | channel removed) / P(conversion), where
removing a channel sends its inflow to null; share = removal_effect / Σ removal_effect. The 95%
interval comes from `markov_bootstrap_resamples` resamples of the paths (multinomial over the
distinct paths, seed `bootstrap_seed`); is_too_little_data flags fewer conversions than
`data_driven_min_conversions`. Deterministic: sorted states, direct solves, a seeded generator.
"""

import numpy as np
import pandas as pd

START, CONVERSION, NULL, SEP = "(start)", "(conversion)", "(null)", " > "


def transitions_from_paths(
    paths: pd.DataFrame,
) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """The distinct transitions, and one (path row, transition) index pair per step taken: a
    sparse incidence, so a resample's counts are one bincount, not a dense rows × transitions
    product (B1 has ~10^5 distinct paths)."""
    rows, steps = [], []
    for i, row in enumerate(paths.itertuples(index=False)):
        states = [START, *row.path.split(SEP), CONVERSION if row.is_converted else NULL]
        for pair in zip(states[:-1], states[1:], strict=True):
            rows.append(i)
            steps.append(pair)
    pairs = sorted(set(steps))
    column = {pair: j for j, pair in enumerate(pairs)}
    return (
        pairs,
        np.array(rows, dtype=np.int64),
        np.array([column[pair] for pair in steps], dtype=np.int64),
    )


def transition_counts(pairs, rows, columns, weights) -> dict[tuple[str, str], float]:
    """How often each transition is taken when path row i is taken weights[i] times (integer
    counts, so the float sums are exact whatever the order)."""
    per_step = np.asarray(weights, dtype=float)[rows]
    totals = np.bincount(columns, weights=per_step, minlength=len(pairs))
    return dict(zip(pairs, totals, strict=True))


def conversion_probability(channels, counts, removed=None):
    """P(reaching conversion from start). counts: {(from, to): n}."""
    transient = [START, *channels]
    index = {state: i for i, state in enumerate(transient)}
    size = len(transient)
    q = np.zeros((size, size))
    r = np.zeros(size)
    totals = np.zeros(size)
    for (source, _target), n in counts.items():
        totals[index[source]] += n
    for (source, target), n in counts.items():
        i = index[source]
        if source == removed or n == 0:
            continue  # a removed channel is absorbing (null): nothing leaves it
        if target == CONVERSION:
            r[i] += n / totals[i]
        elif target in index and target != removed:
            q[i, index[target]] += n / totals[i]
        # transitions to null, or into the removed channel, lead nowhere
    solution = np.linalg.solve(np.eye(size) - q, r)
    return float(solution[index[START]])


def channel_effects(channels, counts) -> list[float]:
    base = conversion_probability(channels, counts) if counts else 0.0
    if base <= 0:
        return [0.0] * len(channels)
    return [1.0 - conversion_probability(channels, counts, removed=c) / base for c in channels]


def _shares(effects):
    total = sum(effects)
    return [e / total if total > 0 else 0.0 for e in effects]


def removal_effects(transitions: pd.DataFrame) -> pd.DataFrame:
    """Point estimates from transition counts (columns from_state, to_state, transitions)."""
    counts = {
        (row.from_state, row.to_state): int(row.transitions)
        for row in transitions.itertuples(index=False)
    }
    channels = sorted({s for pair in counts for s in pair} - {START, CONVERSION, NULL})
    effects = channel_effects(channels, counts)
    base = conversion_probability(channels, counts) if counts else 0.0
    return pd.DataFrame(
        {
            "channel": pd.Series(channels, dtype="object"),
            "removal_effect": pd.Series(effects, dtype="float64"),
            "share": pd.Series(_shares(effects), dtype="float64"),
            "conversion_probability": pd.Series([base] * len(channels), dtype="float64"),
        }
    )


def with_intervals(
    paths: pd.DataFrame, resamples: int, seed: int, min_conversions: int
) -> pd.DataFrame:
    """Point estimates plus 95% bootstrap intervals of the shares."""
    paths = paths.sort_values(["path", "is_converted"]).reset_index(drop=True)
    pairs, rows, columns = transitions_from_paths(paths)
    weights = paths["paths"].to_numpy(dtype=float)
    counts = transition_counts(pairs, rows, columns, weights)
    result = removal_effects(
        pd.DataFrame(
            [(a, b, n) for (a, b), n in counts.items()],
            columns=["from_state", "to_state", "transitions"],
        )
    )
    channels = list(result["channel"])
    conversions = int(weights[paths["is_converted"].to_numpy(dtype=bool)].sum())
    low = high = [np.nan] * len(channels)
    if resamples > 0 and weights.sum() > 0 and channels:
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(int(weights.sum()), weights / weights.sum(), size=resamples)
        samples = []
        for draw in draws:
            counts_b = transition_counts(pairs, rows, columns, draw)
            samples.append(_shares(channel_effects(channels, counts_b)))
        samples = np.array(samples)
        low = list(np.percentile(samples, 2.5, axis=0))
        high = list(np.percentile(samples, 97.5, axis=0))
    result["share_low"] = pd.Series(low, dtype="float64")
    result["share_high"] = pd.Series(high, dtype="float64")
    result["conversions"] = conversions
    result["resamples"] = resamples
    result["is_too_little_data"] = conversions < min_conversions
    return result


def model(dbt, session):
    dbt.config(materialized="table")
    # plain dbt.config.get calls: dbt finds the keys it must pass by reading this code
    resamples = dbt.config.get("resamples")
    seed = dbt.config.get("seed")
    min_conversions = dbt.config.get("min_conversions")
    return with_intervals(
        dbt.ref("int_markov_paths").df(),
        resamples=int(resamples),
        seed=int(seed),
        min_conversions=int(min_conversions),
    )
