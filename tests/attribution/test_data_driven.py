"""The Markov and Shapley solvers (dbt Python models) on cases worked out by hand, and Markov
against a second, independently written solver (value iteration) on a random chain."""

import importlib.util
import random

import pandas as pd
import pytest
from nightly_helpers import REPO

MODELS = REPO / "dbt_project" / "models" / "intermediate"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, MODELS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


markov = _load("int_markov_removal_effects")
shapley = _load("int_shapley_values")


def _transitions(counts):
    return pd.DataFrame(
        [(a, b, n) for (a, b), n in counts.items()],
        columns=["from_state", "to_state", "transitions"],
    )


def test_markov_removal_effects_by_hand():
    # paths: A > B converts, A is null, B converts
    counts = {
        ("(start)", "A"): 2, ("(start)", "B"): 1, ("A", "B"): 1, ("A", "(null)"): 1,
        ("B", "(conversion)"): 2,
    }  # fmt: skip
    result = markov.removal_effects(_transitions(counts)).set_index("channel")
    # P(conv) = 2/3·1/2 + 1/3 = 2/3; without A: 1/3 → RE 0.5; without B: 0 → RE 1
    assert result.loc["A", "removal_effect"] == pytest.approx(0.5, abs=1e-12)
    assert result.loc["B", "removal_effect"] == pytest.approx(1.0, abs=1e-12)
    assert result.loc["A", "share"] == pytest.approx(1 / 3, abs=1e-12)
    assert result.loc["B", "share"] == pytest.approx(2 / 3, abs=1e-12)
    assert result["conversion_probability"].iloc[0] == pytest.approx(2 / 3, abs=1e-12)


def _value_iteration(counts, removed=None, rounds=20_000):
    """P(conversion from start) by iterating the chain: a different method from the solver's."""
    out = {}
    for (a, b), n in counts.items():
        out.setdefault(a, {})[b] = out.get(a, {}).get(b, 0) + n
    p = {state: 0.0 for state in out}
    for _ in range(rounds):
        nxt = {}
        for a, targets in out.items():
            if a == removed:
                nxt[a] = 0.0
                continue
            total = sum(targets.values())
            nxt[a] = sum(
                n
                / total
                * (
                    1.0
                    if b == "(conversion)"
                    else 0.0
                    if b in ("(null)", removed)
                    else p.get(b, 0.0)
                )
                for b, n in targets.items()
            )
        if max(abs(nxt[s] - p[s]) for s in p) < 1e-15:
            break
        p = nxt
    return p["(start)"]


def test_markov_matches_value_iteration_on_a_random_chain_with_loops():
    rnd = random.Random(3)
    channels = ["Paid Search", "Email", "Direct", "Social", "Display"]
    counts = {}
    for _ in range(400):  # random paths, channels may return (loops) but never repeat in a row
        path, last = [], None
        for _ in range(rnd.randint(1, 6)):
            c = rnd.choice([c for c in channels if c != last])
            path.append(c)
            last = c
        end = "(conversion)" if rnd.random() < 0.3 else "(null)"
        for a, b in zip(["(start)", *path], [*path, end], strict=True):
            counts[(a, b)] = counts.get((a, b), 0) + 1
    result = markov.removal_effects(_transitions(counts)).set_index("channel")
    base = _value_iteration(counts)
    for channel in channels:
        expected = 1 - _value_iteration(counts, removed=channel) / base
        assert result.loc[channel, "removal_effect"] == pytest.approx(expected, abs=1e-9), channel
    assert result["share"].sum() == pytest.approx(1.0, abs=1e-12)


def test_markov_bootstrap_is_seeded_brackets_the_estimate_and_flags_small_data():
    paths = pd.DataFrame(
        [("A > B", True, 30), ("A", False, 50), ("B", True, 20), ("B > A", False, 40)],
        columns=["path", "is_converted", "paths"],
    )
    one = markov.with_intervals(paths, resamples=300, seed=7, min_conversions=100)
    two = markov.with_intervals(paths.iloc[::-1], resamples=300, seed=7, min_conversions=100)
    pd.testing.assert_frame_equal(one, two)  # same seed, same bits, whatever the row order
    one = one.set_index("channel")
    assert one["conversions"].iloc[0] == 50 and one["is_too_little_data"].all()
    for channel in ("A", "B"):
        assert (
            one.loc[channel, "share_low"]
            <= one.loc[channel, "share"]
            <= one.loc[channel, "share_high"]
        )
        assert one.loc[channel, "share_high"] - one.loc[channel, "share_low"] > 0.01
    other_seed = markov.with_intervals(paths, resamples=300, seed=8, min_conversions=10)
    assert not other_seed["is_too_little_data"].any()
    assert list(other_seed["share_low"]) != list(one["share_low"])


def _sets(rows):
    return pd.DataFrame(rows, columns=["channel_set", "conversions", "nulls"])


def test_shapley_by_hand():
    # v(A) = 1/2, v(B) = 1/4, v(AB) = 1 → φ_A = ½(½ + ¾) = 0.625, φ_B = ½(¼ + ½) = 0.375
    table = shapley.shapley_table(_sets([("A", 1, 1), ("B", 1, 3), ("A|B", 2, 0)]))
    ab = table[table.channel_set == "A|B"].set_index("channel")["share"]
    assert ab["A"] == pytest.approx(0.625, abs=1e-12)
    assert ab["B"] == pytest.approx(0.375, abs=1e-12)
    single = table[table.channel_set == "A"]
    assert list(single["share"]) == [1.0] and bool(single["is_exact"].iloc[0])


def test_shapley_negative_values_are_zeroed_and_a_set_never_seen_alone_counts_zero():
    # v(A) = 1/2, v(B): no such path → 0, v(AB) = 1/5 → φ_B = ½(0 + (0.2 − 0.5)) < 0 → 0
    table = shapley.shapley_table(_sets([("A", 1, 1), ("A|B", 1, 4)]))
    ab = table[table.channel_set == "A|B"].set_index("channel")["share"]
    assert (ab["A"], ab["B"]) == (1.0, 0.0)


def test_shapley_all_zero_values_share_equally():
    table = shapley.shapley_table(_sets([("A|B|C", 0, 5), ("A|B|C|D", 1, 0)]))
    abcd = table[table.channel_set == "A|B|C|D"]
    # v(S) = 0 for every proper subset, v(ABCD) = 1: symmetric, a quarter each
    assert list(abcd["share"]) == pytest.approx([0.25] * 4)
    assert "A|B|C" not in set(table.channel_set)  # no conversions: nothing to share
