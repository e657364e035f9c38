"""Markov removal effects, solved exactly (absorbing-chain linear algebra, no simulation).

One row per channel: removal_effect = 1 − P(conversion | channel removed) / P(conversion), where
removing a channel sends its inflow to null; share = removal_effect / Σ removal_effect.
Deterministic: states are sorted and the linear systems are solved directly.
"""

import numpy as np
import pandas as pd

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"


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
        if source == removed:
            continue  # a removed channel is absorbing (null): nothing leaves it
        if target == CONVERSION:
            r[i] += n / totals[i]
        elif target in index and target != removed:
            q[i, index[target]] += n / totals[i]
        # transitions to null, or into the removed channel, lead nowhere
    solution = np.linalg.solve(np.eye(size) - q, r)
    return float(solution[index[START]])


def removal_effects(transitions: pd.DataFrame) -> pd.DataFrame:
    counts = {
        (row.from_state, row.to_state): int(row.transitions)
        for row in transitions.itertuples(index=False)
    }
    channels = sorted({s for pair in counts for s in pair} - {START, CONVERSION, NULL})
    base = conversion_probability(channels, counts) if counts else 0.0
    effects = []
    for channel in channels:
        without = conversion_probability(channels, counts, removed=channel)
        effects.append(1.0 - without / base if base > 0 else 0.0)
    total = sum(effects)
    return pd.DataFrame(
        {
            "channel": pd.Series(channels, dtype="object"),
            "removal_effect": pd.Series(effects, dtype="float64"),
            "share": pd.Series([e / total if total > 0 else 0.0 for e in effects], dtype="float64"),
            "conversion_probability": pd.Series([base] * len(channels), dtype="float64"),
        }
    )


def model(dbt, session):
    dbt.config(materialized="table")
    transitions = dbt.ref("int_markov_transitions").df()
    return removal_effects(transitions)
