"""Tests for coopkit.frameworks.game: the core's bounds (core_bounds) and the repeated pool (pooling_thresholds).

Known answers first, then hypothesis properties, then bad input. The other
game functions are tested in test_game.py.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks.game import (
    MAX_CORE_PLAYERS,
    added_value,
    cooperation_threshold,
    core_bounds,
    in_core,
    pooling_thresholds,
    shapley,
)
from tests.strategies import additive_games, convex_games, games, superadditive_games

ABC = ["A", "B", "C"]


def glove(s: frozenset) -> float:
    return float("A" in s and ("B" in s or "C" in s))


def bounds_of(result) -> dict:
    return {p: (round(row.least, 9), round(row.most, 9)) for p, row in result.iterrows()}


# --------------------------------------------------------------------------- core_bounds: known answers
def test_glove_game_core_is_one_point():
    # A holds the only left glove: the core gives A everything (Shapley's 2/3 is outside it)
    assert bounds_of(core_bounds(ABC, glove)) == {"A": (1.0, 1.0), "B": (0.0, 0.0), "C": (0.0, 0.0)}


def test_two_player_core_is_the_segment_between_the_stand_alone_values():
    result = core_bounds(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 5})
    assert list(result.columns) == ["least", "most"] and result.index.name == "party"
    assert bounds_of(result) == {"A": (1.0, 3.0), "B": (2.0, 4.0)}


def test_majority_game_has_an_empty_core():
    assert core_bounds(ABC, lambda s: float(len(s) >= 2)) is None


def test_one_player_gets_its_value():
    assert bounds_of(core_bounds(["Solo"], {("Solo",): 7.5})) == {"Solo": (7.5, 7.5)}


def test_mapping_and_vectorized_forms_agree():
    table = {frozenset(c): glove(frozenset(c)) for k in (1, 2, 3) for c in itertools.combinations(ABC, k)}
    bits = 1 << np.arange(3)
    v = np.array([glove(frozenset(p for j, p in enumerate(ABC) if m >> j & 1)) for m in range(8)])
    vectorized = core_bounds(ABC, lambda members: v[members.astype(np.int64) @ bits], vectorized=True)
    assert bounds_of(core_bounds(ABC, table)) == bounds_of(vectorized) == bounds_of(core_bounds(ABC, glove))


def test_large_money_values_are_solved_to_the_cent():
    # the tolerance of the solver is absolute: values are scaled before solving
    scale = 1e9
    result = core_bounds(["A", "B"], {("A",): 1 * scale, ("B",): 2 * scale, ("A", "B"): 5 * scale})
    assert result.loc["A"].tolist() == pytest.approx([1e9, 3e9], abs=0.01)


# --------------------------------------------------------------------------- core_bounds: properties
@given(additive_games(max_players=5))
def test_an_additive_game_has_a_one_point_core(pair):
    g, weights = pair
    result = core_bounds(g.players, g.as_callable())
    for p in g.players:
        assert result.loc[p].tolist() == pytest.approx([weights[p]] * 2, abs=1e-6)


@given(convex_games(max_players=5))
def test_a_convex_game_has_a_core_that_holds_the_shapley_value_and_every_marginal_vector(g):
    # Shapley (1971): the core of a convex game is the hull of the marginal vectors, and holds the Shapley value
    result = core_bounds(g.players, g.as_callable())
    assert result is not None
    tol = 1e-6 * max(1.0, max(abs(x) for x in g.values.values()))
    least, most = result["least"].to_numpy(), result["most"].to_numpy()
    phi = shapley(g.players, g.as_callable()).amounts
    assert (least - tol <= phi).all() and (phi <= most + tol).all()
    for order in itertools.islice(itertools.permutations(range(g.n)), 24):
        x, before, members = np.zeros(g.n), 0.0, set()
        for j in order:
            members.add(g.players[j])
            x[j] = g.v(members) - before
            before = g.v(members)
        assert (least - tol <= x).all() and (x <= most + tol).all()
    # the marginal vectors reach the bounds: the least and the most are attained
    assert result["most"].tolist() == pytest.approx([g.v(g.grand) - g.v(g.grand - {p}) for p in g.players], abs=tol)
    assert result["least"].tolist() == pytest.approx([g.v({p}) for p in g.players], abs=tol)


@given(superadditive_games(max_players=5))
def test_bounds_respect_stand_alone_values_added_values_and_efficiency(g):
    result = core_bounds(g.players, g.as_callable())
    assume(result is not None)
    tol = 1e-6 * max(1.0, max(abs(x) for x in g.values.values()))
    added = added_value(g.players, g.as_callable())
    grand = g.v(g.grand)
    for p in g.players:
        least, most = result.loc[p].tolist()
        assert g.v({p}) - tol <= least <= most + tol
        assert most <= added[p] + tol
    assert result["least"].sum() <= grand + tol <= result["most"].sum() + 2 * tol


@given(games(max_players=4))
def test_a_split_in_the_core_lies_within_the_bounds(g):
    # independent evidence that the core is not empty: the Shapley value in it
    phi = shapley(g.players, g.as_callable()).amounts
    assume(in_core(g.players, g.as_callable(), phi, tol=1e-9))
    result = core_bounds(g.players, g.as_callable())
    assert result is not None
    assert (result["least"].to_numpy() - 1e-6 <= phi).all() and (phi <= result["most"].to_numpy() + 1e-6).all()


@given(convex_games(max_players=4), st.sampled_from([0.5, 3.0, 1_000.0]))
def test_bounds_scale_with_the_money_unit(g, factor):
    base = core_bounds(g.players, g.as_callable())
    scaled = core_bounds(g.players, g.mapped(lambda _s, x: factor * x).as_callable())
    tol = 1e-6 * factor * max(1.0, max(abs(x) for x in g.values.values()))
    np.testing.assert_allclose(scaled.to_numpy(), factor * base.to_numpy(), atol=tol)


# --------------------------------------------------------------------------- core_bounds: bad input
def test_too_many_players_for_the_core_bounds():
    players = [f"P{j}" for j in range(MAX_CORE_PLAYERS + 1)]
    with pytest.raises(InputError, match=r"^players must number at most 16 for the core's bounds, got 17$"):
        core_bounds(players, lambda s: float(len(s)))


def test_a_missing_coalition_is_named():
    with pytest.raises(InputError, match=r"^value must give a value for every coalition; this one is missing"):
        core_bounds(["A", "B"], {("A",): 1, ("B",): 2})


def test_repeated_players_are_refused():
    with pytest.raises(InputError, match=r"^players must have no repeated names"):
        core_bounds(["A", "A"], lambda s: 1.0)


# --------------------------------------------------------------------------- pooling_thresholds: known answers
def test_each_party_has_its_stage_game_and_threshold():
    t = pooling_thresholds(["A", "B"], [100, 50], [130, 70], [30, 60], meetings_per_year=10)
    assert list(t.columns) == ["gain", "hold_back_gain", "T", "R", "P", "S", "threshold"]
    assert t.index.name == "party"
    assert t.loc["A"].tolist() == pytest.approx([30, 30, 16, 13, 10, 7, 0.5])
    assert t.loc["B"].tolist() == pytest.approx([20, 60, 13, 7, 5, -1, 0.75])


def test_textbook_prisoners_dilemma_threshold():
    # d = 1, x = 3, h = 2, one meeting a year: T, R, P = 5, 3, 1 and the grim-trigger threshold 1/2 (Axelrod)
    t = pooling_thresholds(["Row"], [1], [3], [2])
    assert t.loc["Row", ["T", "R", "P"]].tolist() == [5, 3, 1]
    assert t.at["Row", "threshold"] == cooperation_threshold(5, 3, 1, 0) == 0.5


def test_a_party_the_pool_does_not_pay_can_never_be_kept_pooling():
    t = pooling_thresholds(["A", "B"], [100, 50], [100, 80], [10, 10])
    assert t.at["A", "threshold"] == math.inf
    assert t.at["B", "threshold"] == pytest.approx(10 / 40)


# --------------------------------------------------------------------------- pooling_thresholds: properties
money = st.floats(0, 1e6, allow_nan=False)
positive = st.floats(1.0, 1e6, allow_nan=False)


@given(money, positive, positive, st.floats(0.1, 365))
def test_threshold_is_the_closed_form_whatever_the_meeting_frequency(d, gain, h, m):
    t = pooling_thresholds(["A"], [d], [d + gain], [h], meetings_per_year=m)
    assert 0 < t.at["A", "threshold"] < 1
    assert t.at["A", "threshold"] == pytest.approx(h / (h + gain), rel=1e-9)
    assert t.at["A", "threshold"] == pytest.approx(pooling_thresholds(["A"], [d], [d + gain], [h]).at["A", "threshold"])
    assert t.loc["A", ["T", "R", "P", "S"]].tolist() == pytest.approx(
        [(d + gain + h) / m, (d + gain) / m, d / m, (d - h) / m], rel=1e-12, abs=1e-9
    )


@given(money, positive, positive, st.floats(1.0, 1e5))
def test_more_temptation_raises_the_threshold_and_a_larger_stake_lowers_it(d, gain, h, extra):
    base = pooling_thresholds(["A"], [d], [d + gain], [h]).at["A", "threshold"]
    tempted = pooling_thresholds(["A"], [d], [d + gain], [h + extra]).at["A", "threshold"]
    richer = pooling_thresholds(["A"], [d], [d + gain + extra], [h]).at["A", "threshold"]
    assert tempted >= base >= richer


# --------------------------------------------------------------------------- pooling_thresholds: bad input
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hold_back_gain": [10, 0]}, r"^hold_back_gain must be more than 0 for every party"),
        ({"shares": [1, 2, 3]}, r"^shares must give one amount per party \(2\), got \[1.0, 2.0, 3.0\]$"),
        ({"standalone_payoff": [1, math.nan]}, r"^standalone_payoff must be finite numbers, got "),
        ({"meetings_per_year": 0}, r"^meetings_per_year must be more than 0, got 0$"),
        ({"meetings_per_year": math.inf}, r"^meetings_per_year must be more than 0, got inf$"),
        ({"players": ["A", "A"]}, r"^players must have no repeated names"),
        ({"shares": ["many", "few"]}, r"^shares must give one amount per party \(2\), got \['many', 'few'\]$"),
    ],
)
def test_bad_pool_inputs_are_named(kwargs, message):
    args = {"players": ["A", "B"], "standalone_payoff": [10, 20], "shares": [15, 25], "hold_back_gain": [5, 5]}
    args.update(kwargs)
    with pytest.raises(InputError, match=message):
        pooling_thresholds(**args)
