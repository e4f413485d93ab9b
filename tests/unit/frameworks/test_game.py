"""Tests for coopkit.frameworks.game.

Known answers from the literature first, then hypothesis properties (the
Shapley axioms, core and bargaining properties), then bad input.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game as game_module
from coopkit.frameworks.game import (
    MAX_EXACT_PLAYERS,
    Equilibrium,
    ShapleyValue,
    added_value,
    blocking_coalition,
    coalition_values,
    cooperation_threshold,
    equilibria,
    in_core,
    nash_bargaining,
    shapley,
)
from tests.strategies import (
    Game,
    additive_games,
    all_coalitions,
    allocations,
    bargaining_problems,
    bargaining_weights,
    bimatrix_games,
    convex_games,
    games,
    payoffs,
    prisoners_dilemma_payoffs,
    superadditive_games,
)

ABC = ("A", "B", "C")


# --------------------------------------------------------------------------- helpers
def glove(s: frozenset) -> float:
    """A holds a left glove, B and C a right one; a pair sells for 1."""
    return float("A" in s and ("B" in s or "C" in s))


def glove_vectorized(members: np.ndarray) -> np.ndarray:
    return (members[:, 0] & (members[:, 1] | members[:, 2])).astype(float)


GLOVE_MAPPING = {s: glove(s) for s in all_coalitions(ABC)}


def majority(s: frozenset) -> float:
    """Three-player simple majority game: any two players win."""
    return float(len(s) >= 2)


def airport_cost(costs: dict):
    """Littlechild-Owen airport game: a coalition pays for the longest runway its members need."""
    return lambda s: float(max((costs[p] for p in s), default=0.0))


def airport_shapley(costs: dict) -> dict:
    """phi_i = sum_{k <= i} (c_k - c_{k-1}) / (n - k + 1), players sorted by cost (Littlechild and Owen 1973)."""
    ordered = sorted(costs, key=costs.get)
    n = len(ordered)
    out, share, previous = {}, 0.0, 0.0
    for k, p in enumerate(ordered, start=1):
        share += (costs[p] - previous) / (n - k + 1)
        previous = costs[p]
        out[p] = share
    return out


def shapley_by_orderings(g: Game) -> dict:
    """Reference Shapley value: average marginal contribution over all n! orderings."""
    totals = dict.fromkeys(g.players, 0.0)
    orderings = list(itertools.permutations(g.players))
    for order in orderings:
        before: frozenset = frozenset()
        for p in order:
            totals[p] += g.v(before | {p}) - g.v(before)
            before = before | {p}
    return {p: t / len(orderings) for p, t in totals.items()}


def swap(coalition: frozenset, i, j) -> frozenset:
    return frozenset(j if p == i else i if p == j else p for p in coalition)


def excesses(g: Game, x: dict) -> dict:
    """v(S) - x(S) for every non-empty coalition."""
    return {s: g.v(s) - sum(x[p] for p in s) for s in all_coalitions(g.players)}


def assert_shapley_equal(result: ShapleyValue, expected: dict, tol: float = 1e-9) -> None:
    assert set(result) == set(expected)
    for p, value in expected.items():
        assert result[p] == pytest.approx(value, abs=tol), p


# =========================================================================== Shapley: known answers
def test_shapley_example_glove():
    phi = shapley(ABC, glove)
    assert_shapley_equal(phi, {"A": 2 / 3, "B": 1 / 6, "C": 1 / 6}, tol=1e-12)
    assert phi.method == "exact"
    assert phi.std_error is None
    assert phi.permutations is None


@pytest.mark.parametrize(
    ("value", "vectorized"),
    [(GLOVE_MAPPING, False), (glove, False), (glove_vectorized, True)],
    ids=["mapping", "callable", "vectorized"],
)
def test_shapley_example_glove_every_input_form(value, vectorized):
    phi = shapley(ABC, value, vectorized=vectorized)
    assert phi.amounts.tolist() == pytest.approx([2 / 3, 1 / 6, 1 / 6], abs=1e-12)


def test_shapley_example_weighted_voting_51_50_49_1():
    # Weighted majority game [51; 50, 49, 1]: the large party needs either
    # partner, the others need it. Shapley-Shubik index (Shapley and Shubik 1954).
    weights = {"A": 50, "B": 49, "C": 1}
    phi = shapley(ABC, lambda s: float(sum(weights[p] for p in s) >= 51))
    assert_shapley_equal(phi, {"A": 2 / 3, "B": 1 / 6, "C": 1 / 6}, tol=1e-12)


def test_shapley_example_three_player_majority_is_symmetric():
    assert_shapley_equal(shapley(ABC, majority), dict.fromkeys(ABC, 1 / 3), tol=1e-12)


def test_shapley_example_un_security_council():
    # 5 permanent members with a veto and 10 others; a resolution needs 9 votes
    # including all 5 permanent ones. Shapley-Shubik index: 421/2145 for each
    # permanent member, 4/2145 for each other (Straffin 1993, "Game Theory and
    # Strategy", ch. 8).
    players = [f"P{i}" for i in range(5)] + [f"N{i}" for i in range(10)]

    def passes(members: np.ndarray) -> np.ndarray:
        return (members[:, :5].all(axis=1) & (members.sum(axis=1) >= 9)).astype(float)

    phi = shapley(players, passes, vectorized=True)
    for p in players[:5]:
        assert phi[p] == pytest.approx(421 / 2145, abs=1e-12)
    for p in players[5:]:
        assert phi[p] == pytest.approx(4 / 2145, abs=1e-12)
    assert sum(phi.values()) == pytest.approx(1.0, abs=1e-12)


def test_shapley_example_two_players_by_hand():
    # v(A)=1, v(B)=2, v(AB)=5: phi_A = (1 + (5-2)) / 2 = 2, phi_B = (2 + (5-1)) / 2 = 3.
    phi = shapley(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 5})
    assert phi["A"] == pytest.approx(2.0)
    assert phi["B"] == pytest.approx(3.0)


def test_shapley_example_one_player_gets_everything():
    assert shapley(["solo"], {("solo",): 7.5})["solo"] == 7.5


def test_shapley_example_airport_cost_game():
    # Littlechild and Owen (1973): runway costs 2 < 4 < 7 < 10. Each runway
    # segment is split equally among the planes that use it.
    costs = {"A": 2.0, "B": 4.0, "C": 7.0, "D": 10.0}
    expected = {"A": 2 / 4, "B": 2 / 4 + 2 / 3, "C": 2 / 4 + 2 / 3 + 3 / 2, "D": 2 / 4 + 2 / 3 + 3 / 2 + 3 / 1}
    assert expected == pytest.approx(airport_shapley(costs))
    assert_shapley_equal(shapley(list(costs), airport_cost(costs)), expected, tol=1e-12)


def test_shapley_example_airport_game_as_negative_values():
    # The same game written as a (negative) value: every share flips sign.
    costs = {"A": 2.0, "B": 4.0, "C": 7.0, "D": 10.0}
    cost = airport_cost(costs)
    phi = shapley(list(costs), lambda s: -cost(s))
    assert_shapley_equal(phi, {p: -x for p, x in airport_shapley(costs).items()}, tol=1e-12)


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=6))
def test_shapley_airport_game_matches_littlechild_owen(raw_costs):
    costs = {f"plane{i}": float(c) for i, c in enumerate(raw_costs)}
    assert_shapley_equal(shapley(list(costs), airport_cost(costs)), airport_shapley(costs))


@given(st.sets(st.sampled_from("ABCDEF"), min_size=1), st.floats(-100, 100))
def test_shapley_of_a_unanimity_game_splits_equally_among_the_carriers(carriers, worth):
    players = list("ABCDEF")
    phi = shapley(players, lambda s: worth if carriers <= s else 0.0)
    assert_shapley_equal(phi, {p: worth / len(carriers) if p in carriers else 0.0 for p in players})


# --------------------------------------------------------------------------- ShapleyValue as a mapping
def test_shapley_value_reads_like_a_dict():
    phi = shapley(ABC, glove)
    assert isinstance(phi, ShapleyValue)
    assert list(phi) == list(ABC)
    assert len(phi) == 3
    assert dict(phi) == pytest.approx({"A": 2 / 3, "B": 1 / 6, "C": 1 / 6})
    assert isinstance(phi["A"], float)
    assert phi.players == ABC
    assert phi.amounts.shape == (3,)
    assert "A" in phi and "Z" not in phi
    with pytest.raises(KeyError):
        phi["Z"]


def test_shapley_value_error_of_is_zero_when_exact():
    phi = shapley(ABC, glove)
    assert [phi.error_of(p) for p in ABC] == [0.0, 0.0, 0.0]


def test_shapley_keeps_non_string_player_names():
    phi = shapley([1, 2, 3], {1: 0, 2: 0, 3: 0, (1, 2): 1, (1, 3): 1, (2, 3): 1, (1, 2, 3): 1})
    assert phi.players == (1, 2, 3)
    assert phi[2] == pytest.approx(1 / 3)


def test_shapley_mapping_keys_may_be_any_iterable_in_any_order():
    value = {"A": 1, ("B",): 2, frozenset({"A", "B"}): 5}
    assert shapley(["A", "B"], value).amounts.tolist() == pytest.approx([2.0, 3.0])
    value = {("A",): 1, "B": 2, ("B", "A"): 5, (): 0}
    assert shapley(["A", "B"], value).amounts.tolist() == pytest.approx([2.0, 3.0])


# =========================================================================== Shapley: axioms
@given(games(min_players=2))
def test_shapley_efficiency(g):
    phi = shapley(g.players, g.values)
    assert sum(phi.values()) == pytest.approx(g.v(g.grand), abs=1e-9)


@given(games(min_players=2, max_players=5))
def test_shapley_matches_the_average_over_all_orderings(g):
    assert_shapley_equal(shapley(g.players, g.values), shapley_by_orderings(g))


@given(games(min_players=2), st.data())
def test_shapley_symmetry(g, data):
    i, j = data.draw(st.lists(st.sampled_from(g.players), min_size=2, max_size=2, unique=True))
    # Symmetrise the game in i and j: v'(S) = (v(S) + v(swap_ij S)) / 2.
    symmetric = Game(g.players, {s: (g.v(s) + g.v(swap(s, i, j))) / 2 for s in g.values})
    phi = shapley(symmetric.players, symmetric.values)
    assert phi[i] == pytest.approx(phi[j], abs=1e-9)


@given(games(min_players=2), st.data())
def test_shapley_null_player_gets_zero_and_changes_nothing_else(g, data):
    null = data.draw(st.sampled_from(g.players))
    others = tuple(p for p in g.players if p != null)
    # v'(S) = v(S without the null player): adding that player never changes the worth.
    with_null = Game(g.players, {s: g.v(s - {null}) for s in g.values})
    phi = shapley(with_null.players, with_null.values)
    assert phi[null] == pytest.approx(0.0, abs=1e-12)
    without = shapley(others, {s: g.v(s) for s in all_coalitions(others)})
    for p in others:
        assert phi[p] == pytest.approx(without[p], abs=1e-9)


@given(games(min_players=2), st.data())
def test_shapley_additivity(v, data):
    worths = data.draw(st.lists(payoffs(), min_size=len(v.values), max_size=len(v.values)))
    w = Game(v.players, dict(zip(v.values, worths, strict=True)))
    total = Game(v.players, {s: v.v(s) + w.v(s) for s in v.values})
    phi_v, phi_w, phi_sum = (shapley(g.players, g.values) for g in (v, w, total))
    for p in v.players:
        assert phi_sum[p] == pytest.approx(phi_v[p] + phi_w[p], abs=1e-9)


@given(games(min_players=1), st.floats(-10, 10))
def test_shapley_scales_with_the_game(g, factor):
    phi = shapley(g.players, g.values)
    scaled = shapley(g.players, g.mapped(lambda s, x: factor * x).values)
    assert scaled.amounts == pytest.approx(factor * phi.amounts, abs=1e-9)


@given(additive_games(max_players=6))
def test_shapley_of_an_additive_game_is_each_players_weight(generated):
    g, weights = generated
    assert_shapley_equal(shapley(g.players, g.values), weights)


@given(games(min_players=1))
def test_shapley_mapping_callable_and_vectorized_agree(g):
    from_mapping = shapley(g.players, g.values).amounts
    from_callable = shapley(g.players, g.as_callable()).amounts
    from_vectorized = shapley(g.players, g.as_vectorized(), vectorized=True).amounts
    assert from_callable == pytest.approx(from_mapping, abs=1e-12)
    assert from_vectorized == pytest.approx(from_mapping, abs=1e-12)


@given(games(min_players=2), st.randoms(use_true_random=False))
def test_shapley_does_not_depend_on_the_order_of_players(g, random):
    shuffled = list(g.players)
    random.shuffle(shuffled)
    phi = shapley(g.players, g.values)
    again = shapley(shuffled, g.values)
    for p in g.players:
        assert again[p] == pytest.approx(phi[p], abs=1e-9)


@given(superadditive_games(min_players=2))
def test_shapley_is_individually_rational_in_superadditive_games(g):
    # Every marginal contribution v(S + i) - v(S) is at least v({i}) in a superadditive game.
    phi = shapley(g.players, g.values)
    for p in g.players:
        assert phi[p] >= g.v({p}) - 1e-9


# =========================================================================== Shapley: sampling
def test_shapley_sampling_is_reproducible_for_a_fixed_seed():
    a = shapley(ABC, glove, method="sampling", permutations=500, seed=11)
    b = shapley(ABC, glove, method="sampling", permutations=500, seed=11)
    c = shapley(ABC, glove, method="sampling", permutations=500, seed=12)
    assert np.array_equal(a.amounts, b.amounts)
    assert np.array_equal(a.std_error, b.std_error)
    assert not np.array_equal(a.amounts, c.amounts)


def test_shapley_sampling_vectorized_is_reproducible_for_a_fixed_seed():
    a = shapley(ABC, glove_vectorized, method="sampling", permutations=500, seed=3, vectorized=True)
    b = shapley(ABC, glove_vectorized, method="sampling", permutations=500, seed=3, vectorized=True)
    assert np.array_equal(a.amounts, b.amounts)


def test_shapley_sampling_reports_method_permutations_and_errors():
    phi = shapley(ABC, glove, method="sampling", permutations=300)
    assert phi.method == "sampling"
    assert phi.permutations == 300
    assert phi.std_error.shape == (3,)
    assert (phi.std_error > 0).all()
    assert phi.error_of("A") == float(phi.std_error[0])


def test_shapley_sampling_of_the_glove_game_is_close():
    phi = shapley(ABC, glove, method="sampling", permutations=20_000, seed=0)
    for p, exact in {"A": 2 / 3, "B": 1 / 6, "C": 1 / 6}.items():
        assert abs(phi[p] - exact) <= 5 * phi.error_of(p)
    # With p = 2/3 the marginal of A is a Bernoulli draw: se = sqrt(p(1-p)/m).
    assert phi.error_of("A") == pytest.approx(math.sqrt(2 / 9 / 20_000), rel=0.05)


@settings(max_examples=30)
@given(games(min_players=2, max_players=6, values=st.floats(-10, 10)), st.integers(0, 2**32 - 1), st.booleans())
def test_shapley_sampling_is_within_five_standard_errors_of_exact(g, seed, vectorized):
    exact = shapley(g.players, g.values, method="exact")
    value = g.as_vectorized() if vectorized else g.values
    sampled = shapley(g.players, value, method="sampling", permutations=2000, seed=seed, vectorized=vectorized)
    assert sampled.method == "sampling"
    for p in g.players:
        assert abs(sampled[p] - exact[p]) <= 5 * sampled.error_of(p) + 1e-9


@settings(max_examples=30)
@given(games(min_players=1, max_players=6), st.integers(0, 2**32 - 1), st.booleans())
def test_shapley_sampling_is_efficient(g, seed, vectorized):
    # Every ordering hands out exactly v(N), so the average does too.
    value = g.as_vectorized() if vectorized else g.as_callable()
    sampled = shapley(g.players, value, method="sampling", permutations=50, seed=seed, vectorized=vectorized)
    assert sampled.amounts.sum() == pytest.approx(g.v(g.grand), abs=1e-9)


@given(additive_games(max_players=6), st.booleans())
def test_shapley_sampling_of_an_additive_game_is_exact_with_zero_error(generated, vectorized):
    g, weights = generated
    value = g.as_vectorized() if vectorized else g.values
    sampled = shapley(g.players, value, method="sampling", permutations=100, vectorized=vectorized)
    assert sampled.amounts.tolist() == [weights[p] for p in g.players]
    assert sampled.std_error.tolist() == [0.0] * g.n


def test_shapley_auto_samples_above_twenty_players():
    assert MAX_EXACT_PLAYERS == 20
    weights = np.arange(1.0, 26.0)
    phi = shapley(range(25), lambda m: m @ weights, vectorized=True)
    assert phi.method == "sampling"
    assert phi.permutations == 2000
    assert phi.amounts.tolist() == weights.tolist()
    assert phi.std_error.tolist() == [0.0] * 25


def test_shapley_auto_boundary_follows_max_exact_players(monkeypatch):
    monkeypatch.setattr(game_module, "MAX_EXACT_PLAYERS", 3)
    assert shapley(ABC, glove).method == "exact"
    assert shapley([*ABC, "D"], glove, permutations=10).method == "sampling"


def test_shapley_sampling_of_a_100_player_additive_game_is_within_one_percent():
    weights = np.linspace(1.0, 50.0, 100)
    phi = shapley(range(100), lambda m: m @ weights, method="sampling", permutations=500, vectorized=True)
    assert phi.method == "sampling"
    assert np.abs(phi.amounts - weights).max() <= 0.01 * weights.min()


def test_shapley_sampling_of_a_100_player_quadratic_game():
    # v(S) = (sum of w over S)^2 gives phi_i = w_i * sum(w): a non-additive game with a closed form.
    weights = np.linspace(1.0, 2.0, 100)
    phi = shapley(range(100), lambda m: (m @ weights) ** 2, vectorized=True, seed=5)
    exact = weights * weights.sum()
    assert phi.method == "sampling"
    assert np.all(np.abs(phi.amounts - exact) <= 5 * phi.std_error)
    assert phi.amounts.sum() == pytest.approx(weights.sum() ** 2, rel=1e-12)


def test_shapley_sampling_handles_more_than_24_players_without_vectorizing():
    weights = {f"firm{i}": float(i) for i in range(30)}
    phi = shapley(list(weights), lambda s: sum(weights[p] for p in s), permutations=20)
    assert phi.method == "sampling"
    assert dict(phi) == weights


def test_shapley_auto_samples_at_twenty_one_players():
    weights = np.arange(21.0)
    phi = shapley(range(21), lambda m: m @ weights, vectorized=True, permutations=10)
    assert phi.method == "sampling"
    assert phi.amounts.tolist() == weights.tolist()


def test_shapley_sampling_with_seed_none_still_works():
    phi = shapley(ABC, glove, method="sampling", permutations=100, seed=None)
    assert sum(phi.values()) == pytest.approx(1.0)


# =========================================================================== added value
def test_added_value_example_glove():
    assert added_value(ABC, glove) == {"A": 1.0, "B": 0.0, "C": 0.0}


def test_added_value_example_two_players_by_hand():
    # AV_A = v(AB) - v(B) = 3, AV_B = v(AB) - v(A) = 4; together more than v(AB) = 5.
    assert added_value(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 5}) == {"A": 3.0, "B": 4.0}


def test_added_value_example_majority_game_is_zero_for_everyone():
    # Any two players win without the third: nobody is indispensable.
    assert added_value(ABC, majority) == dict.fromkeys(ABC, 0.0)


def test_added_value_example_one_player():
    assert added_value(["solo"], {("solo",): 4.0}) == {"solo": 4.0}
    assert added_value(["solo"], lambda s: 4.0) == {"solo": 4.0}


@pytest.mark.parametrize(
    ("value", "vectorized"),
    [(GLOVE_MAPPING, False), (glove, False), (glove_vectorized, True)],
    ids=["mapping", "callable", "vectorized"],
)
def test_added_value_every_input_form(value, vectorized):
    assert added_value(ABC, value, vectorized=vectorized) == {"A": 1.0, "B": 0.0, "C": 0.0}


def test_added_value_asks_only_for_the_grand_coalition_and_those_missing_one_player():
    players = [f"firm{i}" for i in range(40)]
    asked = []

    def value(s: frozenset) -> float:
        asked.append(s)
        return float(len(s) ** 2)

    assert added_value(players, value) == dict.fromkeys(players, 40.0**2 - 39.0**2)
    assert len(asked) == 41


def test_added_value_mapping_only_needs_the_coalitions_it_uses():
    value = {ABC: 10, ("B", "C"): 4, ("A", "C"): 6, ("A", "B"): 7}
    assert added_value(ABC, value) == {"A": 6.0, "B": 4.0, "C": 3.0}


@given(additive_games())
def test_added_value_of_an_additive_game_is_each_weight(generated):
    g, weights = generated
    assert added_value(g.players, g.values) == pytest.approx(weights)


@given(games(min_players=1))
def test_added_value_mapping_callable_and_vectorized_agree(g):
    expected = {p: g.v(g.grand) - g.v(g.grand - {p}) for p in g.players}
    assert added_value(g.players, g.values) == pytest.approx(expected)
    assert added_value(g.players, g.as_callable()) == pytest.approx(expected)
    assert added_value(g.players, g.as_vectorized(), vectorized=True) == pytest.approx(expected)


@given(convex_games(min_players=1))
def test_added_value_bounds_the_shapley_value_in_convex_games(g):
    # Not true in general (added value can be below the Shapley value, e.g. in
    # the majority game), but in a convex game marginal contributions grow with
    # the coalition, and the added value is the largest of them.
    phi = shapley(g.players, g.values)
    av = added_value(g.players, g.values)
    for p in g.players:
        assert av[p] >= phi[p] - 1e-9


def test_added_value_can_be_below_the_shapley_value():
    assert added_value(ABC, majority)["A"] < shapley(ABC, majority)["A"]


# =========================================================================== the core
def test_core_example_glove_core_allocation():
    assert in_core(ABC, glove, {"A": 1, "B": 0, "C": 0})
    assert in_core(ABC, glove, [1, 0, 0])
    assert in_core(ABC, GLOVE_MAPPING, np.array([1.0, 0.0, 0.0]))
    assert in_core(ABC, glove_vectorized, [1, 0, 0], vectorized=True)
    assert blocking_coalition(ABC, glove, {"A": 1, "B": 0, "C": 0}) is None


def test_core_example_glove_shapley_value_is_not_in_the_core():
    phi = shapley(ABC, glove)
    assert not in_core(ABC, glove, phi)
    assert blocking_coalition(ABC, glove, phi) in ({"A", "B"}, {"A", "C"})


@given(allocations(3, total=1.0))
def test_core_example_glove_core_is_a_single_point(x):
    if np.abs(x - [1.0, 0.0, 0.0]).max() > 1e-8:
        assert not in_core(ABC, glove, x)


def test_core_documented_blocking_example():
    assert blocking_coalition(ABC, glove, {"A": 0.5, "B": 0.5, "C": 0}) == {"A", "C"}
    assert not in_core(ABC, glove, {"A": 0.5, "B": 0.5, "C": 0})


def test_core_allocation_handing_out_more_than_the_total_is_not_blocked_but_not_in_core():
    x = {"A": 1, "B": 0.5, "C": 0}
    assert not in_core(ABC, glove, x)
    assert blocking_coalition(ABC, glove, x) is None


def test_core_allocation_handing_out_less_than_the_total_is_blocked():
    x = {"A": 0.9, "B": 0, "C": 0}
    assert not in_core(ABC, glove, x)
    assert blocking_coalition(ABC, glove, x) in ({"A", "B"}, {"A", "C"})


def test_core_blocking_coalition_has_the_largest_shortfall():
    # v(A)=v(B)=v(C)=0, v(AB)=4, v(AC)=3, v(BC)=1, v(ABC)=6; x = (1, 1, 4):
    # shortfalls AB: 4-2=2, AC: 3-5<0, BC: 1-5<0, so AB blocks.
    value = {"A": 0, "B": 0, "C": 0, ("A", "B"): 4, ("A", "C"): 3, ("B", "C"): 1, ABC: 6}
    assert blocking_coalition(ABC, value, (1, 1, 4)) == {"A", "B"}
    # x = (5, -1, 2): B alone is short 1, BC is short 0; B is the worst.
    assert blocking_coalition(ABC, value, (5, -1, 2)) == {"B"}


def test_core_blocking_coalition_prefers_the_smallest_among_ties():
    # v(S) = 1 whenever A is in S; with x = 0 every coalition containing A
    # falls short by 1, and the smallest of them is A alone.
    assert blocking_coalition(ABC, lambda s: float("A" in s), (0, 0, 0)) == {"A"}


def test_core_tolerance():
    assert in_core(ABC, glove, (1 - 1e-12, 1e-12, 0))
    assert not in_core(ABC, glove, (1 - 1e-6, 1e-6, 0))
    assert in_core(ABC, glove, (1 - 1e-6, 1e-6, 0), tol=1e-5)
    assert blocking_coalition(ABC, glove, (1 - 1e-6, 1e-6, 0), tol=1e-5) is None


@given(allocations(3, total=1.0))
def test_core_is_empty_for_the_three_player_majority_game(x):
    # Two of the three pairs must get less than 1 when the three shares sum to 1.
    assert not in_core(ABC, majority, x)
    blocker = blocking_coalition(ABC, majority, x)
    assert blocker is not None
    assert majority(blocker) - sum(x[ABC.index(p)] for p in blocker) >= 1 / 3 - 1e-9


@given(convex_games(min_players=1))
def test_core_contains_the_shapley_value_of_a_convex_game(g):
    # Shapley (1971), "Cores of convex games", Int. J. Game Theory 1, 11-26.
    phi = shapley(g.players, g.values)
    assert in_core(g.players, g.values, phi, tol=1e-7)
    assert blocking_coalition(g.players, g.values, phi, tol=1e-7) is None


@given(games(min_players=1, max_players=5), st.data())
def test_core_blocking_coalition_is_a_worst_coalition(g, data):
    x = dict(zip(g.players, data.draw(allocations(g.n)).tolist(), strict=True))
    shortfall = excesses(g, x)
    worst = max(shortfall.values())
    # Stay clear of the tolerance boundaries, where rounding decides.
    assume(not 1e-10 < worst < 1e-8)
    assume(not any(1e-10 < worst - e < 1e-8 for e in shortfall.values()))
    blocker = blocking_coalition(g.players, g.values, x)
    if worst <= 1e-9:
        assert blocker is None
    else:
        assert blocker is not None
        assert shortfall[blocker] == pytest.approx(worst, abs=1e-9)
        smaller = [s for s, e in shortfall.items() if len(s) < len(blocker) and e >= worst - 1e-9]
        assert not smaller


@given(games(min_players=1, max_players=5), st.data())
def test_core_membership_is_efficiency_plus_no_blocking(g, data):
    x = data.draw(allocations(g.n, total=g.v(g.grand)) | allocations(g.n))
    gap = abs(x.sum() - g.v(g.grand))
    worst = max(excesses(g, dict(zip(g.players, x, strict=True))).values())
    # Stay clear of the tolerance boundaries, where rounding decides.
    assume(not 1e-10 < gap < 1e-8 and not 1e-10 < worst < 1e-8)
    efficient = gap <= 1e-9
    expected = efficient and worst <= 1e-9
    assert in_core(g.players, g.values, x) == expected
    assert in_core(g.players, g.as_vectorized(), x, vectorized=True) == expected
    if efficient:
        assert in_core(g.players, g.values, x) == (blocking_coalition(g.players, g.values, x) is None)


@given(additive_games())
def test_core_of_an_additive_game_is_the_weights(generated):
    g, weights = generated
    assert in_core(g.players, g.values, weights)


# =========================================================================== Nash bargaining
def test_nash_bargaining_example_symmetric():
    out = nash_bargaining(100, [20, 40])
    assert isinstance(out, np.ndarray)
    assert out.tolist() == [40.0, 60.0]


def test_nash_bargaining_example_weighted_dict():
    assert nash_bargaining(100, {"A": 20, "B": 40}, weights={"A": 3, "B": 1}) == {"A": 50.0, "B": 50.0}


def test_nash_bargaining_example_three_parties():
    # Surplus 90 - 60 = 30 split equally.
    assert nash_bargaining(90, [10, 20, 30]).tolist() == pytest.approx([20.0, 30.0, 40.0])
    # Weights 1:2:3 split it 5:10:15.
    assert nash_bargaining(90, [10, 20, 30], weights=[1, 2, 3]).tolist() == pytest.approx([15.0, 30.0, 45.0])


def test_nash_bargaining_example_negative_disagreement():
    assert nash_bargaining(0, [-10, -30]).tolist() == pytest.approx([10.0, -10.0])


def test_nash_bargaining_dict_in_dict_out_keeps_key_order():
    out = nash_bargaining(30, {"Zed": 0, "Acme": 0, "Beta": 0})
    assert list(out) == ["Zed", "Acme", "Beta"]
    assert out == pytest.approx({"Zed": 10.0, "Acme": 10.0, "Beta": 10.0})


def test_nash_bargaining_dict_with_sequence_weights_follows_key_order():
    assert nash_bargaining(10, {"A": 0, "B": 0}, weights=[4, 1]) == pytest.approx({"A": 8.0, "B": 2.0})


def test_nash_bargaining_dict_weights_may_list_extra_parties():
    assert nash_bargaining(10, {"A": 0, "B": 0}, weights={"A": 1, "B": 1, "C": 5}) == {"A": 5.0, "B": 5.0}


@given(bargaining_problems())
def test_nash_bargaining_is_efficient_and_individually_rational(problem):
    total, d = problem
    x = nash_bargaining(total, d)
    assert x.sum() == pytest.approx(total, rel=1e-12, abs=1e-9)
    assert (x > np.asarray(d)).all()


@given(bargaining_problems().flatmap(lambda p: st.tuples(st.just(p), bargaining_weights(len(p[1])))))
def test_nash_bargaining_weights_shift_the_surplus_proportionally(generated):
    (total, d), w = generated
    x = nash_bargaining(total, d, weights=w)
    d, w = np.asarray(d), np.asarray(w)
    surplus = total - d.sum()
    assert (x > d).all()
    assert x.sum() == pytest.approx(total, rel=1e-12, abs=1e-9)
    assert x - d == pytest.approx(w / w.sum() * surplus, rel=1e-6, abs=1e-9)
    # Only the ratios of the weights matter.
    assert nash_bargaining(total, d, weights=7 * w) == pytest.approx(x, rel=1e-12, abs=1e-9)


@given(
    bargaining_problems(min_surplus=1.0).flatmap(lambda p: st.tuples(st.just(p), bargaining_weights(len(p[1])))),
    st.data(),
)
def test_nash_bargaining_maximises_the_weighted_nash_product(generated, data):
    (total, d), w = generated
    x = nash_bargaining(total, d, weights=w)
    d, w = np.asarray(d), np.asarray(w)
    i, j = data.draw(st.lists(st.integers(0, len(d) - 1), min_size=2, max_size=2, unique=True))
    step = 0.1 * min(x[i] - d[i], x[j] - d[j]) * data.draw(st.sampled_from([-1.0, 1.0]))
    y = x.copy()
    y[i] += step
    y[j] -= step

    def log_product(z):
        return float(np.sum(w * np.log(z - d)))

    assert log_product(y) < log_product(x)


@given(st.floats(-1000, 1000), st.floats(0.01, 1000), st.integers(2, 6))
def test_nash_bargaining_symmetry(d, surplus, n):
    x = nash_bargaining(n * d + surplus, [d] * n)
    assert len(set(x.tolist())) == 1
    assert x[0] == pytest.approx(d + surplus / n)


@given(bargaining_problems(), st.floats(-1000, 1000))
def test_nash_bargaining_moves_with_the_disagreement_point(problem, shift):
    total, d = problem
    base = nash_bargaining(total, d)
    moved = nash_bargaining(total + len(d) * shift, [x + shift for x in d])
    assert moved == pytest.approx(base + shift, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("total", [60, 59.99, 0, -100])
def test_nash_bargaining_rejects_total_not_above_disagreement(total):
    with pytest.raises(InputError, match=r"^total must exceed the sum of disagreement payoffs \(60\), got"):
        nash_bargaining(total, [20, 40])


@pytest.mark.parametrize("total", [math.nan, math.inf, "100", None, [100]])
def test_nash_bargaining_rejects_non_numeric_total(total):
    with pytest.raises(InputError, match=r"^total must be a finite number"):
        nash_bargaining(total, [20, 40])


@pytest.mark.parametrize("weights", [[1, 0], [1, -2], [1, math.nan], [1, math.inf]])
def test_nash_bargaining_rejects_non_positive_weights(weights):
    with pytest.raises(InputError, match=r"^weights must be positive numbers"):
        nash_bargaining(100, [20, 40], weights=weights)


@pytest.mark.parametrize("weights", [[1], [1, 2, 3], [[1, 2]]])
def test_nash_bargaining_rejects_a_weight_count_that_does_not_match(weights):
    with pytest.raises(InputError, match=r"^weights must give one weight per party \(2\)"):
        nash_bargaining(100, [20, 40], weights=weights)


def test_nash_bargaining_rejects_dict_weights_missing_a_party():
    with pytest.raises(InputError, match=r"^weights must give a weight for every party, got \['B'\]"):
        nash_bargaining(100, {"A": 20, "B": 40}, weights={"A": 1})


@pytest.mark.parametrize("disagreement", [[], [20], {"A": 20}, 20, [[20, 40]]])
def test_nash_bargaining_needs_at_least_two_parties(disagreement):
    with pytest.raises(InputError, match=r"^disagreement must list the payoffs of at least two parties"):
        nash_bargaining(100, disagreement)


@pytest.mark.parametrize("disagreement", [[20, math.nan], [math.inf, 0], {"A": 1, "B": -math.inf}])
def test_nash_bargaining_rejects_non_finite_disagreement(disagreement):
    with pytest.raises(InputError, match=r"^disagreement must be finite numbers"):
        nash_bargaining(100, disagreement)


# =========================================================================== equilibria
PD_ROW = [[3, 0], [5, 1]]  # action 0 = cooperate, 1 = compete (Axelrod 1984 payoffs)
PD_COL = [[3, 5], [0, 1]]


def _profiles(eqs: list[Equilibrium]) -> list[tuple[list, list]]:
    return [(e.row_strategy.tolist(), e.col_strategy.tolist()) for e in eqs]


def test_equilibria_example_prisoners_dilemma_unique_pure_defection():
    eqs = equilibria(PD_ROW, PD_COL)
    assert _profiles(eqs) == [([0.0, 1.0], [0.0, 1.0])]
    (eq,) = eqs
    assert eq.is_pure
    assert (eq.row_payoff, eq.col_payoff) == (1.0, 1.0)


def test_equilibria_example_matching_pennies_unique_mixed():
    a = np.array([[1, -1], [-1, 1]])
    eqs = equilibria(a, -a)
    assert len(eqs) == 1
    (eq,) = eqs
    assert not eq.is_pure
    assert eq.row_strategy.tolist() == pytest.approx([0.5, 0.5])
    assert eq.col_strategy.tolist() == pytest.approx([0.5, 0.5])
    assert eq.row_payoff == pytest.approx(0.0) and eq.col_payoff == pytest.approx(0.0)


def test_equilibria_example_battle_of_the_sexes_two_pure_and_one_mixed():
    # Coordination with conflicting preferences: pure (0,0) and (1,1), and a
    # mixed equilibrium where each plays its favourite with probability 2/3.
    eqs = equilibria([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert len(eqs) == 3
    assert [e.is_pure for e in eqs] == [True, True, False]  # pure ones first
    pure = {(tuple(e.row_strategy), tuple(e.col_strategy), e.row_payoff, e.col_payoff) for e in eqs[:2]}
    assert pure == {((1.0, 0.0), (1.0, 0.0), 2.0, 1.0), ((0.0, 1.0), (0.0, 1.0), 1.0, 2.0)}
    mixed = eqs[2]
    assert mixed.row_strategy.tolist() == pytest.approx([2 / 3, 1 / 3])
    assert mixed.col_strategy.tolist() == pytest.approx([1 / 3, 2 / 3])
    assert mixed.row_payoff == pytest.approx(2 / 3) and mixed.col_payoff == pytest.approx(2 / 3)


def test_equilibria_example_pure_coordination_game():
    eqs = equilibria(np.eye(2), np.eye(2))
    assert len(eqs) == 3
    assert {(tuple(e.row_strategy), tuple(e.col_strategy)) for e in eqs if e.is_pure} == {
        ((1.0, 0.0), (1.0, 0.0)),
        ((0.0, 1.0), (0.0, 1.0)),
    }
    mixed = next(e for e in eqs if not e.is_pure)
    assert mixed.row_strategy.tolist() == pytest.approx([0.5, 0.5])
    assert mixed.row_payoff == pytest.approx(0.5)


def test_equilibria_example_dominated_column_in_a_2x3_game():
    # Column 2 is strictly dominated for the column party; after removing it
    # the game is a prisoner's dilemma.
    a = [[3, 0, 9], [5, 1, 8]]
    b = [[3, 5, -1], [0, 1, -1]]
    assert _profiles(equilibria(a, b)) == [([0.0, 1.0], [0.0, 1.0, 0.0])]


def test_equilibria_example_one_action_each():
    (eq,) = equilibria([[4]], [[-2]])
    assert (eq.row_payoff, eq.col_payoff) == (4.0, -2.0)
    assert eq.is_pure


@settings(max_examples=40)
@given(bimatrix_games())
def test_equilibria_are_mutual_best_responses(generated):
    a, b = generated
    for eq in equilibria(a, b):
        r, c = eq.row_strategy, eq.col_strategy
        assert r.shape == (a.shape[0],) and c.shape == (a.shape[1],)
        assert (r >= 0).all() and (c >= 0).all()
        assert r.sum() == pytest.approx(1.0) and c.sum() == pytest.approx(1.0)
        assert eq.row_payoff == pytest.approx(float(r @ a @ c), abs=1e-12)
        assert eq.col_payoff == pytest.approx(float(r @ b @ c), abs=1e-12)
        assert (a @ c).max() <= eq.row_payoff + 1e-7
        assert (r @ b).max() <= eq.col_payoff + 1e-7


@settings(max_examples=40)
@given(st.sampled_from([(1, 1), (1, 4), (4, 1), (2, 2)]), st.integers(0, 2**32 - 1))
def test_equilibria_of_a_generic_game_are_odd_in_number(shape, seed):
    # Random continuous payoffs give a non-degenerate game, which has an odd
    # number of equilibria (Shapley 1974, via Lemke-Howson), so at least one.
    # Larger shapes are left out: see test_equilibria_of_a_generic_2x3_game_are_found.
    m, k = shape
    rng = np.random.default_rng(seed)
    eqs = equilibria(rng.normal(size=(m, k)), rng.normal(size=(m, k)))
    assert len(eqs) % 2 == 1
    assert [e.is_pure for e in eqs] == sorted((e.is_pure for e in eqs), reverse=True)
    assert len({(tuple(e.row_strategy.round(9)), tuple(e.col_strategy.round(9))) for e in eqs}) == len(eqs)


@given(st.integers(0, 2**32 - 1))
def test_equilibria_of_a_zero_sum_game_share_one_value(seed):
    # Minimax theorem: every equilibrium of a zero-sum game gives the row party the same payoff.
    a = np.random.default_rng(seed).normal(size=(2, 2))
    payoffs = [e.row_payoff for e in equilibria(a, -a)]
    assert payoffs
    assert max(payoffs) - min(payoffs) <= 1e-9


def test_equilibria_reject_shape_mismatch():
    with pytest.raises(
        InputError, match=r"^payoffs_col must have the same shape as payoffs_row \(2, 2\), got \(2, 3\)"
    ):
        equilibria([[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_equilibria_reject_non_finite_payoffs(bad):
    with pytest.raises(InputError, match=r"^payoffs_row must contain finite numbers only"):
        equilibria([[1, bad], [3, 4]], PD_COL)
    with pytest.raises(InputError, match=r"^payoffs_col must contain finite numbers only"):
        equilibria(PD_ROW, [[1, 2], [bad, 4]])


@pytest.mark.parametrize("bad", [[1, 2], 5, [[[1]]], [[]], np.zeros((0, 2))])
def test_equilibria_reject_non_matrices(bad):
    with pytest.raises(InputError, match=r"^payoffs_row must be a two-dimensional matrix"):
        equilibria(bad, PD_COL)


@pytest.mark.parametrize("bad", [[["a", "b"], ["c", "d"]], [[1, 2], [3]], None, {"x": 1}])
def test_equilibria_reject_non_numbers(bad):
    with pytest.raises(InputError, match=r"^payoffs_row must be"):
        equilibria(bad, PD_COL)


# =========================================================================== cooperation threshold
def test_cooperation_threshold_example_axelrod_payoffs():
    # Axelrod (1984): T=5, R=3, P=1, S=0 -> delta* = (5-3)/(5-1) = 1/2.
    assert cooperation_threshold(5, 3, 1, 0) == 0.5


@pytest.mark.parametrize(
    ("payoffs", "threshold"),
    [((4, 3, 1, 0), 1 / 3), ((10, 2, 1, 0), 8 / 9), ((3, 2, -1, -5), 1 / 4), ((1.5, 1.0, 0.5, 0.0), 0.5)],
)
def test_cooperation_threshold_known_answers(payoffs, threshold):
    assert cooperation_threshold(*payoffs) == pytest.approx(threshold)


@given(prisoners_dilemma_payoffs())
def test_cooperation_threshold_formula(payoffs):
    t, r, p, s = payoffs
    delta = cooperation_threshold(t, r, p, s)
    assert isinstance(delta, float)
    assert delta == (t - r) / (t - p)
    assert 0 < delta < 1


@given(prisoners_dilemma_payoffs(), st.floats(0.1, 10), st.floats(-100, 100))
def test_cooperation_threshold_ignores_the_money_unit(payoffs, scale, shift):
    moved = [scale * x + shift for x in payoffs]
    assume(moved[0] > moved[1] > moved[2] > moved[3])
    assert cooperation_threshold(*moved) == pytest.approx(cooperation_threshold(*payoffs), rel=1e-6, abs=1e-9)


@given(prisoners_dilemma_payoffs())
def test_cooperation_threshold_ignores_the_suckers_payoff(payoffs):
    t, r, p, s = payoffs
    assert cooperation_threshold(t, r, p, s) == cooperation_threshold(t, r, p, p - 1000)


@pytest.mark.parametrize(
    "payoffs",
    [(3, 5, 1, 0), (5, 3, 3, 0), (5, 5, 1, 0), (5, 3, 1, 1), (5, 3, 1, 2), (0, 1, 3, 5), (1, 1, 1, 1)],
)
def test_cooperation_threshold_needs_a_prisoners_dilemma(payoffs):
    with pytest.raises(
        InputError, match=r"^payoffs \(T, R, P, S\) must satisfy T > R > P > S \(a prisoner's dilemma\)"
    ):
        cooperation_threshold(*payoffs)


@pytest.mark.parametrize("position", range(4))
@pytest.mark.parametrize("bad", [math.nan, math.inf, "5", None])
def test_cooperation_threshold_rejects_non_numbers_naming_the_payoff(position, bad):
    payoffs = [5, 3, 1, 0]
    payoffs[position] = bad
    with pytest.raises(InputError, match=rf"^{'TRPS'[position]} must be a finite number"):
        cooperation_threshold(*payoffs)


# =========================================================================== coalition_values
def test_coalition_values_documented_example():
    assert coalition_values(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 5}).tolist() == [0.0, 1.0, 2.0, 5.0]


def test_coalition_values_are_indexed_by_bit_mask():
    out = coalition_values(ABC, lambda s: float(sum(2 ** ABC.index(p) for p in s)))
    assert out.tolist() == [float(m) for m in range(8)]


def test_coalition_values_never_ask_a_callable_for_the_empty_coalition():
    asked = []
    coalition_values(ABC, lambda s: asked.append(s) or 1.0)
    assert frozenset() not in asked
    assert len(asked) == 7


def test_coalition_values_vectorized_gets_one_row_per_non_empty_coalition():
    seen = {}

    def value(members):
        seen["members"] = members
        return members.sum(axis=1)

    out = coalition_values(ABC, value, vectorized=True)
    assert seen["members"].shape == (7, 3)
    assert seen["members"].dtype == bool
    assert out.tolist() == [0, 1, 1, 2, 1, 2, 2, 3]


@given(games())
def test_coalition_values_agree_across_input_forms(g):
    expected = [g.v(s) for s in all_coalitions(g.players, include_empty=True)]
    assert coalition_values(g.players, g.values).tolist() == expected
    assert coalition_values(g.players, g.as_callable()).tolist() == expected
    assert coalition_values(g.players, g.as_vectorized(), vectorized=True).tolist() == expected


# =========================================================================== bad input everywhere
GAME_FUNCTIONS = {
    "coalition_values": lambda players, value, **kw: coalition_values(players, value, **kw),
    "shapley_exact": lambda players, value, **kw: shapley(players, value, method="exact", **kw),
    "shapley_sampling": lambda players, value, **kw: shapley(players, value, method="sampling", permutations=5, **kw),
    "added_value": lambda players, value, **kw: added_value(players, value, **kw),
    "in_core": lambda players, value, **kw: in_core(players, value, [0.0, 0.0, 0.0], **kw),
    "blocking_coalition": lambda players, value, **kw: blocking_coalition(players, value, [0.0, 0.0, 0.0], **kw),
}
each_game_function = pytest.mark.parametrize("fn", GAME_FUNCTIONS.values(), ids=GAME_FUNCTIONS.keys())


@each_game_function
def test_duplicate_player_names_are_rejected(fn):
    with pytest.raises(InputError, match=r"^players must have no repeated names, got \('A', 'B', 'A'\)"):
        fn(["A", "B", "A"], glove)


@each_game_function
def test_empty_players_are_rejected(fn):
    with pytest.raises(InputError, match=r"^players must list at least one name, got \(\)"):
        fn([], glove)


@pytest.mark.parametrize("players", ["ABC", b"AB", None, 3])
@each_game_function
def test_players_must_be_a_list_of_names(fn, players):
    with pytest.raises(InputError, match=r"^players must be a list of names"):
        fn(players, glove)


MISSING = r"^value must give a value for every coalition; this one is missing, got "


@each_game_function
def test_a_mapping_missing_the_grand_coalition_names_it(fn):
    value = {s: x for s, x in GLOVE_MAPPING.items() if s != frozenset(ABC)}
    with pytest.raises(InputError, match=MISSING + r"\['A', 'B', 'C'\]$"):
        fn(ABC, value)


@pytest.mark.parametrize("fn", ["coalition_values", "shapley_exact", "in_core", "blocking_coalition", "added_value"])
def test_a_mapping_missing_a_smaller_coalition_names_it(fn):
    value = {s: x for s, x in GLOVE_MAPPING.items() if s != frozenset({"A", "B"})}
    with pytest.raises(InputError, match=MISSING + r"\['A', 'B'\]$"):
        GAME_FUNCTIONS[fn](ABC, value)


def test_shapley_sampling_names_the_first_missing_coalition_it_meets():
    value = {s: x for s, x in GLOVE_MAPPING.items() if len(s) != 1}
    with pytest.raises(InputError, match=MISSING + r"\['[ABC]'\]$"):
        shapley(ABC, value, method="sampling", permutations=5)


NON_FINITE = r"^value(\[[^\]]*\])? must be (a finite number|finite for every coalition)"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@each_game_function
def test_non_finite_mapping_values_are_rejected(fn, bad):
    value = {**GLOVE_MAPPING, frozenset(ABC): bad}
    with pytest.raises(InputError, match=NON_FINITE):
        fn(ABC, value)


def test_non_finite_value_names_the_coalition():
    with pytest.raises(InputError, match=r"^value\['A', 'C'\] must be a finite number, got nan$"):
        coalition_values(ABC, lambda s: math.nan if s == {"A", "C"} else 1.0)
    with pytest.raises(InputError, match=r"^value\['B'\] must be a finite number, got inf$"):
        shapley(ABC, {**GLOVE_MAPPING, frozenset({"B"}): math.inf}, method="sampling", permutations=5)


@each_game_function
def test_non_finite_callable_values_are_rejected(fn):
    with pytest.raises(InputError, match=NON_FINITE):
        fn(ABC, lambda s: math.inf if len(s) == 3 else 0.0)


@pytest.mark.parametrize("method", ["exact", "sampling"])
def test_non_finite_vectorized_values_are_rejected(method):
    with pytest.raises(InputError, match=NON_FINITE):
        shapley(ABC, lambda m: np.where(m.all(axis=1), np.nan, 0.0), method=method, vectorized=True, permutations=5)


@pytest.mark.parametrize("empty_key", [frozenset(), ()])
@each_game_function
def test_a_mapping_with_a_non_zero_empty_coalition_is_rejected(fn, empty_key):
    with pytest.raises(InputError, match=r"^value\(empty coalition\) must be 0, got 1$"):
        fn(ABC, {**GLOVE_MAPPING, empty_key: 1})


def test_a_mapping_with_a_zero_empty_coalition_is_fine():
    assert shapley(ABC, {**GLOVE_MAPPING, frozenset(): 0})["A"] == pytest.approx(2 / 3)


@each_game_function
def test_a_mapping_naming_an_unknown_player_is_rejected(fn):
    with pytest.raises(InputError, match=r"^value must only name players of the game, got \['Z'\]$"):
        fn(ABC, {**GLOVE_MAPPING, ("A", "Z"): 1})


@pytest.mark.parametrize("method", ["fast", "Exact", "", None, "monte-carlo"])
def test_shapley_rejects_unknown_methods(method):
    with pytest.raises(InputError, match=r"^method must be 'auto', 'exact' or 'sampling', got"):
        shapley(ABC, glove, method=method)


def test_shapley_exact_refuses_more_than_24_players():
    with pytest.raises(
        InputError, match=r"^players must number at most 24 for the exact Shapley value; use method='sampling', got 25$"
    ):
        shapley(range(25), lambda m: m.sum(axis=1), method="exact", vectorized=True)


def test_coalition_values_refuses_more_than_24_players():
    with pytest.raises(InputError, match=r"^players must number at most 24 for exact enumeration, got 25$"):
        coalition_values(range(25), lambda s: 0.0)
    with pytest.raises(InputError, match=r"^players must number at most 24"):
        in_core(range(25), lambda s: 0.0, [0.0] * 25)


@pytest.mark.parametrize("permutations", [0, 1, -5, 2.5, "100", None, True])
def test_shapley_sampling_rejects_bad_permutation_counts(permutations):
    with pytest.raises(InputError, match=r"^permutations must be a whole number >= 2"):
        shapley(ABC, glove, method="sampling", permutations=permutations)


def test_shapley_exact_ignores_the_permutation_count():
    assert shapley(ABC, glove, method="exact", permutations=0).method == "exact"


@pytest.mark.parametrize("value", [5, "glove", None, [1, 2, 3]])
@pytest.mark.parametrize("fn", ["coalition_values", "shapley_exact", "added_value", "in_core"])
def test_value_must_be_a_callable_or_mapping(fn, value):
    with pytest.raises(InputError, match=r"^value must be a callable on frozensets of players or a mapping"):
        GAME_FUNCTIONS[fn](ABC, value)


def test_vectorized_value_must_be_callable():
    with pytest.raises(InputError, match=r"^value must be a callable when vectorized=True"):
        coalition_values(ABC, GLOVE_MAPPING, vectorized=True)


@pytest.mark.parametrize("result", [lambda m: m.sum(), lambda m: m.astype(float), lambda m: np.zeros(3)])
def test_vectorized_value_must_return_one_value_per_coalition(result):
    with pytest.raises(InputError, match=r"^value must return one value per coalition, shape \(7,\)"):
        shapley(ABC, result, vectorized=True)


@pytest.mark.parametrize("allocation", [[1, 0], [1, 0, 0, 0], [[1, 0, 0]]])
def test_core_rejects_allocations_of_the_wrong_length(allocation):
    with pytest.raises(InputError, match=r"^allocation must give one amount per player \(3\)"):
        in_core(ABC, glove, allocation)
    with pytest.raises(InputError, match=r"^allocation must give one amount per player \(3\)"):
        blocking_coalition(ABC, glove, allocation)


def test_core_rejects_a_mapping_allocation_missing_a_player():
    with pytest.raises(InputError, match=r"^allocation must give an amount for every player, got \['C'\]$"):
        in_core(ABC, glove, {"A": 1, "B": 0})


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_core_rejects_non_finite_allocations(bad):
    with pytest.raises(InputError, match=r"^allocation must be finite numbers"):
        in_core(ABC, glove, [1, bad, 0])
    with pytest.raises(InputError, match=r"^allocation must be finite numbers"):
        blocking_coalition(ABC, glove, {"A": 1, "B": 0, "C": bad})


# =========================================================================== questionable behaviour
SAMPLING_VALUE_CHECKS = {
    "non-callable value": dict(value=5, vectorized=False),
    "mapping with vectorized=True": dict(value=GLOVE_MAPPING, vectorized=True),
    "vectorized value of the wrong shape": dict(value=lambda m: m.sum(), vectorized=True),
}


@pytest.mark.parametrize("case", SAMPLING_VALUE_CHECKS.values(), ids=SAMPLING_VALUE_CHECKS.keys())
def test_shapley_sampling_validates_value_like_exact(case):
    with pytest.raises(InputError, match=r"^value must"):
        shapley(ABC, case["value"], method="sampling", permutations=5, vectorized=case["vectorized"])


def test_added_value_vectorized_one_player_treats_empty_coalition_as_zero():
    assert added_value(["A"], lambda m: m.sum(axis=1) + 1.0, vectorized=True) == {"A": 2.0}


def test_added_value_vectorized_requires_a_callable():
    with pytest.raises(InputError, match=r"^value must be a callable when vectorized=True"):
        added_value(ABC, GLOVE_MAPPING, vectorized=True)


@pytest.mark.parametrize("method", ["exact", "sampling"])
def test_shapley_error_of_an_unknown_player_raises_key_error(method):
    phi = shapley(ABC, glove, method=method, permutations=10)
    with pytest.raises(KeyError):
        phi.error_of("Z")


def test_equilibria_of_a_generic_2x3_game_are_found():
    a = np.array([[5, 0, -4], [-2, 2, 0]])
    b = np.array([[-3, -5, 2], [5, 3, -3]])
    # The unique equilibrium, checked by hand: rows 8/13, 5/13; columns 4/11, 0, 7/11.
    r, c = np.array([8, 5]) / 13, np.array([4, 0, 7]) / 11
    assert a @ c == pytest.approx([-8 / 11, -8 / 11])
    assert r @ b == pytest.approx([1 / 13, -25 / 13, 1 / 13])
    eqs = equilibria(a, b)
    assert len(eqs) == 1
    assert eqs[0].row_strategy == pytest.approx(r)
    assert eqs[0].col_strategy == pytest.approx(c, abs=1e-12)


def test_equilibria_of_a_degenerate_game_are_not_empty():
    a = [[1.0, 0.0, -2.0], [0.0, 0.0, -1.0], [-2.0, 1.0, 0.0]]
    b = [[-1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, -1.0, 0.0]]
    # The equilibrium the docstring's "extreme ones" promise would include:
    r, c = np.array([0.0, 1.0, 0.0]), np.array([0.5, 0.0, 0.5])
    assert (np.array(a) @ c).max() <= r @ np.array(a) @ c + 1e-12
    assert (r @ np.array(b)).max() <= r @ np.array(b) @ c + 1e-12
    assert equilibria(a, b)


def test_cooperation_threshold_with_huge_payoffs_stays_in_the_open_unit_interval():
    assert 0 < cooperation_threshold(1.5e308, 0.0, -1.5e308, -1.6e308) < 1


def test_a_mapping_giving_one_coalition_two_values_is_refused():
    with pytest.raises(InputError, match=r"^value must give one value per coalition; this one has two, got \['B'\]"):
        coalition_values(ABC, {**GLOVE_MAPPING, ("B",): 5.0})
