"""The Shapley value at scale: game.shapley_vectorised (exact, many coalitions) and sampling for 100 players.

Known answers first, then agreement with the existing exact ``game.shapley`` on
random games (hypothesis), then the sampling estimate's error on large games
whose exact value is known in closed form, then bad input. No timing here:
speed is measured by ``benchmarks/shapley.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game
from tests.strategies import additive_games, games


def sizes(n: int) -> np.ndarray:
    return np.bitwise_count(np.arange(2**n, dtype=np.uint64)).astype(float)


def additive_values(weights: np.ndarray) -> np.ndarray:
    """v(S) = sum of the weights of S, for every coalition by bit mask."""
    n = len(weights)
    v = np.zeros(2**n)
    for j, w in enumerate(weights):  # v(S + j) = v(S) + w_j, filled a bit at a time
        v[2**j : 2 ** (j + 1)] = v[: 2**j] + w
    return v


# --------------------------------------------------------------------------- known answers
def test_glove_game():
    # A holds a left glove, B and C a right one; a pair sells for 1: phi = (2/3, 1/6, 1/6)
    v = [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    assert game.shapley_vectorised(3, v) == pytest.approx([2 / 3, 1 / 6, 1 / 6], rel=1e-12)


def test_one_player_gets_its_own_value():
    assert game.shapley_vectorised(1, [0.0, 7.5]).tolist() == [7.5]


def test_two_players_by_hand():
    # phi_A = (v(A) + v(AB) - v(B)) / 2 = (10 + 50 - 20) / 2 = 20; phi_B = 30
    assert game.shapley_vectorised(2, [0.0, 10.0, 20.0, 50.0]) == pytest.approx([20.0, 30.0], rel=1e-14)


def test_additive_game_of_twenty_players_gives_each_its_own_value():
    weights = np.arange(1.0, 21.0) * 1_000  # EUR per year each player brings
    phi = game.shapley_vectorised(20, additive_values(weights))
    np.testing.assert_allclose(phi, weights, rtol=1e-9)


def test_symmetric_game_of_twenty_players_is_shared_equally():
    # v(S) = |S|**2: symmetric players, so each gets v(N) / n = 400 / 20
    np.testing.assert_allclose(game.shapley_vectorised(20, sizes(20) ** 2), np.full(20, 20.0), rtol=1e-9)


def test_majority_game():
    # 3 players, a coalition of 2 or more wins 1: symmetric, a third each
    v = (sizes(3) >= 2).astype(float)
    assert game.shapley_vectorised(3, v) == pytest.approx([1 / 3] * 3, rel=1e-12)


def test_many_games_at_once():
    rng = np.random.default_rng(3)
    v = rng.normal(size=(5, 2, 2**6))
    v[..., 0] = 0.0
    phi = game.shapley_vectorised(6, v)
    assert phi.shape == (5, 2, 6)
    for a in range(5):
        for b in range(2):
            assert phi[a, b] == pytest.approx(game._shapley_exact(6, v[a, b]), rel=1e-10, abs=1e-12)


def test_agrees_with_the_matrix_form():
    rng = np.random.default_rng(4)
    v = rng.uniform(-100, 100, size=(3, 2**8))
    v[:, 0] = 0.0
    np.testing.assert_allclose(game.shapley_vectorised(8, v), v @ game.shapley_matrix(8).T, rtol=1e-10, atol=1e-9)


# --------------------------------------------------------------------------- properties
@given(games(min_players=1, max_players=6))
def test_equals_the_exact_shapley_value_on_random_games(g):
    v = game.coalition_values(g.players, g.values)
    phi = game.shapley(g.players, g.as_callable(), method="exact")
    assert game.shapley_vectorised(g.n, v) == pytest.approx(phi.amounts, rel=1e-9, abs=1e-9)


@given(games(min_players=1, max_players=6))
def test_efficiency(g):
    v = game.coalition_values(g.players, g.values)
    assert float(game.shapley_vectorised(g.n, v).sum()) == pytest.approx(g.v(g.grand), rel=1e-9, abs=1e-9)


@given(additive_games(min_players=1, max_players=7))
def test_additive_games_give_each_player_its_weight(game_and_weights):
    g, weights = game_and_weights
    v = game.coalition_values(g.players, g.values)
    expected = [weights[p] for p in g.players]
    assert game.shapley_vectorised(g.n, v) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(games(min_players=2, max_players=5), st.floats(-10, 10), st.floats(-10, 10))
def test_linearity(g, a, b):
    v = game.coalition_values(g.players, g.values)
    w = np.roll(v, 1)
    w[0] = 0.0
    phi = game.shapley_vectorised
    assert phi(g.n, a * v + b * w) == pytest.approx(a * phi(g.n, v) + b * phi(g.n, w), rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- sampling, 100 players
PLAYERS = [f"P{j}" for j in range(100)]


def test_sampling_an_additive_game_of_100_players_is_within_one_percent():
    weights = np.random.default_rng(5).uniform(1_000, 50_000, size=100)  # EUR per year
    phi = game.shapley(
        PLAYERS, lambda members: members @ weights, method="sampling", permutations=200, seed=1, vectorized=True
    )
    # every ordering gives each player exactly its weight: the estimate is exact up to rounding
    np.testing.assert_allclose(phi.amounts, weights, rtol=0.01)
    np.testing.assert_allclose(phi.amounts, weights, rtol=1e-9)


def test_sampling_a_game_with_pairwise_synergies_is_within_one_percent_and_its_error_bars():
    # v(S) = sum_{i in S} a_i + sum_{i<j in S} b_ij has phi_i = a_i + (1/2) sum_j b_ij exactly
    rng = np.random.default_rng(6)
    a = rng.uniform(10_000, 20_000, size=100)
    b = rng.uniform(0, 50, size=(100, 100))  # synergies: about 8% of each player's value
    b = np.triu(b, 1) + np.triu(b, 1).T
    exact = a + b.sum(axis=1) / 2

    def value(members: np.ndarray) -> np.ndarray:
        x = members.astype(float)
        return x @ a + 0.5 * ((x @ b) * x).sum(axis=1)

    phi = game.shapley(PLAYERS, value, method="sampling", permutations=2_000, seed=2, vectorized=True)
    relative = np.abs(phi.amounts - exact) / exact
    assert relative.max() < 0.01
    assert np.all(np.abs(phi.amounts - exact) <= 5 * phi.std_error)  # 5 standard errors: a 1 in 3.5 million miss
    assert float(phi.amounts.sum()) == pytest.approx(float(value(np.ones((1, 100), dtype=bool))[0]), rel=1e-9)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("n", [0, -1, 25, 2.0, "3", None, math.nan, True])
def test_bad_n_is_refused(n):
    with pytest.raises(InputError, match=r"^n must be a whole number from 1 to 24, got "):
        game.shapley_vectorised(n, [0.0, 1.0])


def test_wrong_number_of_values():
    with pytest.raises(InputError) as info:
        game.shapley_vectorised(3, [0.0, 1.0, 2.0])
    assert str(info.value) == "values must have 2**n = 8 entries on the last axis, got (3,)"


def test_empty_coalition_must_be_worth_nothing():
    with pytest.raises(InputError, match=r"^values\[0\] \(the empty coalition\) must be 0, got 5$"):
        game.shapley_vectorised(2, [5.0, 1.0, 2.0, 3.0])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_values_must_be_finite(bad):
    with pytest.raises(InputError, match=r"^values\[2\] must be a finite number, got "):
        game.shapley_vectorised(2, [0.0, 1.0, bad, 3.0])
