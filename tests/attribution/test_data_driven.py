"""The Markov and Shapley solvers (dbt Python models) on cases worked out by hand, and Markov
against a second, independently written solver (value iteration) on a random chain."""

import importlib.util
import random
import sys

import pandas as pd
import pytest
from nightly_helpers import REPO

MODELS = REPO / "dbt_project" / "models" / "intermediate"
sys.path.insert(0, str(REPO / "dbt_project" / "python"))  # what profiles.yml's module_paths does


def _load(name):
    spec = importlib.util.spec_from_file_location(name, MODELS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


markov = _load("int_markov_removal_effects")
shapley = importlib.import_module("shapley")


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


def test_linear_shapley_matrix_equals_the_direct_enumeration():
    rng = random.Random(5)
    channels = ["A", "B", "C", "D", "E"]
    rows = []
    for _ in range(25):
        chosen = sorted(rng.sample(channels, rng.randint(1, 5)))
        rows.append(("|".join(chosen), rng.randint(0, 9), rng.randint(0, 30)))
    sets = _sets(sorted({r[0]: r for r in rows}.values()))
    direct = shapley.shapley_table(sets).set_index(["channel_set", "channel"])["share"]
    names = list(sets["channel_set"])
    converting = [s for s, c in zip(names, sets["conversions"], strict=True) if c > 0]
    linear = shapley.LinearShapley(names, converting)
    conv = sets["conversions"].to_numpy(float)
    rates = conv / (conv + sets["nulls"].to_numpy(float))
    for (channel_set, player), share in zip(linear.rows, linear.shares(rates), strict=True):
        assert share == pytest.approx(direct[(channel_set, player)], abs=1e-12)


def test_shapley_channel_shares_and_bootstrap_interval():
    # A: 10 of 20 convert, B: 5 of 25, A|B: 20 of 25 → v(A)=.5, v(B)=.2, v(AB)=.8
    sets = _sets([("A", 10, 10), ("B", 5, 20), ("A|B", 20, 5)])
    raw = shapley.channel_shares(sets, resamples=300, seed=1, min_conversions=50)
    result = raw.set_index("channel")
    # A|B: phi_A = ½(.5) + ½(.8−.2) = .55, phi_B = ½(.2) + ½(.8−.5) = .25 → .6875 / .3125
    a_credit = 10 + 20 * 0.6875
    assert result.loc["A", "share"] == pytest.approx(a_credit / 35, abs=1e-12)
    assert result.loc["B", "share"] == pytest.approx(1 - a_credit / 35, abs=1e-12)
    for channel in "AB":
        low, high = result.loc[channel, ["share_low", "share_high"]]
        assert low < result.loc[channel, "share"] < high
    assert (result["conversions"] == 35).all() and result["is_too_little_data"].all()
    again = shapley.channel_shares(sets, resamples=300, seed=1, min_conversions=50)
    assert again.equals(raw)  # seeded: same bits


def test_shapley_without_resamples_has_no_interval():
    result = shapley.channel_shares(_sets([("A", 3, 1)]), resamples=0, seed=1, min_conversions=1)
    assert result["share"].tolist() == [1.0] and result["share_low"].isna().all()
    assert not result["is_too_little_data"].any()
