"""game.shapley_matrix: the linear map from coalition values to Shapley values, against game.shapley."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game
from tests.strategies import games


# --------------------------------------------------------------------------- known answers
def test_glove_game_by_hand():
    # A holds a left glove, B and C a right one: phi = (2/3, 1/6, 1/6)
    v = np.array([0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    assert v @ game.shapley_matrix(3).T == pytest.approx([2 / 3, 1 / 6, 1 / 6])


def test_one_player_gets_its_own_value():
    assert game.shapley_matrix(1).tolist() == [[-1.0, 1.0]]


def test_two_players_by_hand():
    # phi_A = (v(A) + v(AB) - v(B)) / 2: row A weighs masks (empty, A, B, AB) as (-1/2, 1/2, -1/2, 1/2)
    # (the weights come from log-gamma, so they are exact to a few units in the last place)
    expected = [[-0.5, 0.5, -0.5, 0.5], [-0.5, -0.5, 0.5, 0.5]]
    np.testing.assert_allclose(game.shapley_matrix(2), expected, rtol=1e-14)
    v = np.array([0.0, 10.0, 20.0, 50.0])
    assert v @ game.shapley_matrix(2).T == pytest.approx([20.0, 30.0], rel=1e-14)


def test_shape_and_weights():
    for n in (1, 2, 5, 8):
        m = game.shapley_matrix(n)
        assert m.shape == (n, 2**n)
        # each player's weights on the coalitions it joins add up to 1, on those without it to -1
        for j in range(n):
            with_j = [mask for mask in range(2**n) if mask >> j & 1]
            without_j = [mask for mask in range(2**n) if not mask >> j & 1]
            assert m[j, with_j].sum() == pytest.approx(1.0)
            assert m[j, without_j].sum() == pytest.approx(-1.0)


@pytest.mark.parametrize("n", [1, 2, 3, 6, 10])
def test_efficiency_columns_add_up_to_the_grand_coalition(n):
    # sum_i phi_i = v(N) - v(empty) for every v: the column sums are +1 at N, -1 at the empty coalition, 0 elsewhere
    expected = np.zeros(2**n)
    expected[-1], expected[0] = 1.0, -1.0
    np.testing.assert_allclose(game.shapley_matrix(n).sum(axis=0), expected, atol=1e-12)


def test_leading_axis_holds_many_games():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(7, 16))
    v[:, 0] = 0.0
    batch = v @ game.shapley_matrix(4).T
    assert batch.shape == (7, 4)
    for k in range(7):
        assert batch[k] == pytest.approx(game._shapley_exact(4, v[k]), abs=1e-12)
    np.testing.assert_allclose(batch.sum(axis=1), v[:, -1], atol=1e-12)


def test_largest_matrix_is_exact():
    n = 12
    v = np.arange(2**n, dtype=float)  # v(S) = mask: additive, player j adds 2**j
    assert v @ game.shapley_matrix(n).T == pytest.approx([2.0**j for j in range(n)])


# --------------------------------------------------------------------------- properties
@given(games(min_players=1, max_players=6))
def test_shapley_matrix_equals_game_shapley_on_random_games(g):
    v = game.coalition_values(g.players, g.values)
    phi = game.shapley(g.players, g.as_callable())
    assert v @ game.shapley_matrix(g.n).T == pytest.approx(phi.amounts, rel=1e-9, abs=1e-9)


@given(games(min_players=1, max_players=6))
def test_shapley_matrix_is_efficient_on_random_games(g):
    v = game.coalition_values(g.players, g.values)
    assert float((v @ game.shapley_matrix(g.n).T).sum()) == pytest.approx(g.v(g.grand), rel=1e-9, abs=1e-9)


@given(games(min_players=2, max_players=5), st.floats(-10, 10), st.floats(-10, 10))
def test_shapley_matrix_is_linear(g, a, b):
    v = game.coalition_values(g.players, g.values)
    w = np.roll(v, 1)
    w[0] = 0.0
    m = game.shapley_matrix(g.n).T
    assert (a * v + b * w) @ m == pytest.approx(a * (v @ m) + b * (w @ m), rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- bad n
@pytest.mark.parametrize("n", [0, -1, 21, 2.0, 3.5, "3", None, math.nan])
def test_bad_n_is_refused(n):
    with pytest.raises(InputError, match=r"^n must be a whole number from 1 to 20, got "):
        game.shapley_matrix(n)


def test_bad_n_message():
    with pytest.raises(InputError) as info:
        game.shapley_matrix(21)
    assert str(info.value) == "n must be a whole number from 1 to 20, got 21"
    assert info.value.field == "n"
