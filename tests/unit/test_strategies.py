"""Checks of the shared hypothesis strategies themselves (tests/strategies.py)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

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
    player_lists,
    prisoners_dilemma_payoffs,
    range_triples,
    superadditive_games,
)


def _disjoint_pairs(game: Game):
    for s, t in itertools.product(all_coalitions(game.players), repeat=2):
        if not s & t:
            yield s, t


def test_all_coalitions_lists_every_subset_once_in_mask_order():
    coalitions = all_coalitions(("A", "B", "C"), include_empty=True)
    assert len(coalitions) == 8 == len(set(coalitions))
    assert coalitions[0] == frozenset()
    assert coalitions[3] == frozenset({"A", "B"})
    assert coalitions[-1] == frozenset({"A", "B", "C"})
    assert frozenset() not in all_coalitions(("A", "B", "C"))


@given(player_lists())
def test_player_lists_are_distinct_and_non_empty(players):
    assert 1 <= len(players) <= 6
    assert len(set(players)) == len(players)


@given(games())
def test_games_give_a_finite_value_for_every_non_empty_coalition(game):
    assert set(game.values) == set(all_coalitions(game.players))
    assert frozenset() not in game.values
    assert all(math.isfinite(x) for x in game.values.values())
    assert game.v(()) == 0.0


@given(games(max_players=4))
def test_game_callable_and_vectorized_forms_agree_with_the_mapping(game):
    members = np.array(
        [[p in s for p in game.players] for s in all_coalitions(game.players, include_empty=True)], dtype=bool
    )
    expected = [game.v(s) for s in all_coalitions(game.players, include_empty=True)]
    assert game.as_vectorized()(members).tolist() == expected
    assert [game.as_callable()(s) for s in all_coalitions(game.players, include_empty=True)] == expected


@given(additive_games())
def test_additive_games_are_additive(generated):
    game, weights = generated
    for s in all_coalitions(game.players):
        assert game.v(s) == sum(weights[p] for p in s)


@given(convex_games(max_players=5))
def test_convex_games_are_supermodular(game):
    for s, t in itertools.product(all_coalitions(game.players, include_empty=True), repeat=2):
        assert game.v(s | t) + game.v(s & t) >= game.v(s) + game.v(t) - 1e-9


@given(superadditive_games(max_players=5))
def test_superadditive_games_are_superadditive(game):
    assert set(game.values) == set(all_coalitions(game.players))
    for s, t in _disjoint_pairs(game):
        assert game.v(s | t) >= game.v(s) + game.v(t) - 1e-9


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.just(n), allocations(n, total=10.0))))
def test_efficient_allocations_sum_to_the_total(generated):
    n, x = generated
    assert x.shape == (n,)
    assert np.isfinite(x).all()
    assert math.isclose(x.sum(), 10.0, abs_tol=1e-9)


@given(bimatrix_games())
def test_bimatrix_games_have_matching_finite_shapes(generated):
    a, b = generated
    assert a.shape == b.shape
    assert a.ndim == 2 and min(a.shape) >= 1
    assert np.isfinite(a).all() and np.isfinite(b).all()


@given(bargaining_problems())
def test_bargaining_problems_have_a_positive_surplus(problem):
    total, d = problem
    assert len(d) >= 2
    assert total > np.sum(d)


@given(st.integers(2, 6).flatmap(bargaining_weights))
def test_bargaining_weights_are_positive(w):
    assert all(x > 0 and math.isfinite(x) for x in w)


@given(prisoners_dilemma_payoffs())
def test_prisoners_dilemma_payoffs_are_strictly_ordered(payoffs):
    t, r, p, s = payoffs
    assert t > r > p > s


@given(range_triples())
def test_range_triples_are_ordered(triple):
    low, likely, high = triple
    assert low <= likely <= high


@given(range_triples(allow_point=False))
def test_range_triples_without_points_have_width(triple):
    low, likely, high = triple
    assert low < high
    assert low <= likely <= high
