"""Shared hypothesis strategies for the coopkit test suite.

Every generator here returns plain data (tuples, dicts, numpy arrays) so that
the code under test sees exactly what a user would pass. A cooperative game is
a :class:`Game`: a tuple of distinct player names and a dict mapping every
non-empty coalition (a frozenset of players) to a finite float. Helpers turn
such a game into the other two input forms coopkit accepts: a callable on
frozensets and a vectorized function of a boolean membership matrix.

Magnitudes are kept moderate (payoffs within a few hundred) so that
floating-point tolerances in the properties can stay tight.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st

__all__ = [
    "PLAYER_POOL",
    "Game",
    "all_coalitions",
    "player_lists",
    "payoffs",
    "games",
    "additive_games",
    "convex_games",
    "superadditive_games",
    "allocations",
    "bimatrix_games",
    "bargaining_problems",
    "bargaining_weights",
    "prisoners_dilemma_payoffs",
    "range_triples",
]

#: Player names the generators draw from: short letters and longer firm names.
PLAYER_POOL = ("A", "B", "C", "D", "E", "F", "Acme", "Beta Corp", "Gamma-3", "delta")

#: Default bound on generated payoffs, in the game's money unit.
PAYOFF_BOUND = 100.0


class Game(NamedTuple):
    """A transferable-utility cooperative game.

    ``values`` maps every non-empty coalition (frozenset of players) to its
    worth; the empty coalition is worth 0 and is not stored.
    """

    players: tuple
    values: dict

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def grand(self) -> frozenset:
        return frozenset(self.players)

    def v(self, coalition) -> float:
        """Worth of a coalition (any iterable of players); 0 for the empty one."""
        coalition = frozenset(coalition)
        return 0.0 if not coalition else self.values[coalition]

    def as_callable(self) -> Callable[[frozenset], float]:
        """The game as a function of a frozenset of players."""
        return self.v

    def as_vectorized(self) -> Callable[[np.ndarray], np.ndarray]:
        """The game as a function of a boolean membership matrix (rows = coalitions)."""
        table = np.zeros(2**self.n)
        for mask in range(1, 2**self.n):
            table[mask] = self.values[_coalition_of(self.players, mask)]
        bits = np.int64(1) << np.arange(self.n, dtype=np.int64)

        def value(members: np.ndarray) -> np.ndarray:
            members = np.asarray(members, dtype=bool)
            return table[members.astype(np.int64) @ bits]

        return value

    def mapped(self, fn: Callable[[frozenset, float], float]) -> Game:
        """A new game on the same players with worth ``fn(coalition, old worth)``."""
        return Game(self.players, {s: float(fn(s, x)) for s, x in self.values.items()})


def _coalition_of(players: Sequence, mask: int) -> frozenset:
    return frozenset(p for j, p in enumerate(players) if mask >> j & 1)


def all_coalitions(players: Sequence, *, include_empty: bool = False) -> list[frozenset]:
    """Every coalition of ``players`` in bit-mask order (bit j = players[j])."""
    start = 0 if include_empty else 1
    return [_coalition_of(players, mask) for mask in range(start, 2 ** len(players))]


def player_lists(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[tuple]:
    """Distinct player names, in a random order."""
    return st.lists(st.sampled_from(PLAYER_POOL), min_size=min_size, max_size=max_size, unique=True).map(tuple)


def payoffs(bound: float = PAYOFF_BOUND) -> st.SearchStrategy[float]:
    """Finite payoffs in ``[-bound, bound]``: whole numbers and arbitrary floats."""
    return st.one_of(
        st.integers(-int(bound), int(bound)).map(float),
        st.floats(-bound, bound, allow_nan=False, allow_infinity=False),
    )


@st.composite
def games(draw, min_players: int = 1, max_players: int = 6, values: st.SearchStrategy[float] | None = None) -> Game:
    """A game with an independent worth for every non-empty coalition."""
    players = draw(player_lists(min_players, max_players))
    values = payoffs() if values is None else values
    worths = draw(st.lists(values, min_size=2 ** len(players) - 1, max_size=2 ** len(players) - 1))
    return Game(players, dict(zip(all_coalitions(players), worths, strict=True)))


@st.composite
def additive_games(
    draw, min_players: int = 1, max_players: int = 6, weights: st.SearchStrategy[float] | None = None
) -> tuple[Game, dict]:
    """An additive (inessential) game ``v(S) = sum of w_i over S``, with its weights."""
    players = draw(player_lists(min_players, max_players))
    weights = st.integers(-50, 50).map(float) if weights is None else weights
    w = dict(zip(players, draw(st.lists(weights, min_size=len(players), max_size=len(players))), strict=True))
    return Game(players, {s: float(sum(w[p] for p in s)) for s in all_coalitions(players)}), w


@st.composite
def convex_games(draw, min_players: int = 1, max_players: int = 6) -> Game:
    """A convex (supermodular) game: ``v(S u T) + v(S n T) >= v(S) + v(T)``.

    Built as an additive part (any sign) plus non-negative multiples of convex
    building blocks: ``f(|S|)`` with ``f`` convex and ``f(0) = 0``, and
    ``(sum of non-negative weights over S)**2``. Sums of convex games with
    non-negative coefficients are convex.
    """
    players = draw(player_lists(min_players, max_players))
    n = len(players)
    small = st.integers(0, 10).map(float)
    additive = dict(zip(players, draw(st.lists(st.integers(-10, 10), min_size=n, max_size=n)), strict=True))
    # f(k) = sum_{j <= k} increment_j with non-decreasing increments is convex.
    increments = sorted(draw(st.lists(st.integers(-10, 10), min_size=n, max_size=n)))
    f = [0.0, *itertools.accumulate(map(float, increments))]
    squares = draw(
        st.lists(
            st.tuples(small, st.lists(small, min_size=n, max_size=n)),
            min_size=0,
            max_size=2,
        )
    )

    def worth(s: frozenset) -> float:
        total = sum(additive[p] for p in s) + f[len(s)]
        for coefficient, weights in squares:
            total += coefficient * sum(w for p, w in zip(players, weights, strict=True) if p in s) ** 2
        return float(total)

    return Game(players, {s: worth(s) for s in all_coalitions(players)})


@st.composite
def superadditive_games(draw, min_players: int = 1, max_players: int = 6) -> Game:
    """A superadditive game: ``v(S u T) >= v(S) + v(T)`` for disjoint ``S, T``.

    Worths are built in order of coalition size: each coalition gets the best
    split into two disjoint parts plus a non-negative synergy bonus, so the
    game is superadditive by construction (but generally not convex).
    """
    players = draw(player_lists(min_players, max_players))
    n = len(players)
    table = [0.0] * 2**n
    for mask in sorted(range(1, 2**n), key=lambda m: m.bit_count()):
        if mask.bit_count() == 1:
            table[mask] = draw(payoffs(20.0))
            continue
        best = -np.inf
        sub = (mask - 1) & mask
        while sub:
            best = max(best, table[sub] + table[mask ^ sub])
            sub = (sub - 1) & mask
        table[mask] = float(best + draw(st.integers(0, 10)))
    return Game(players, {_coalition_of(players, m): table[m] for m in range(1, 2**n)})


def allocations(n: int, total: float | None = None, bound: float = PAYOFF_BOUND) -> st.SearchStrategy[np.ndarray]:
    """An allocation of ``n`` players; efficient (summing to ``total``) when ``total`` is given.

    Efficient allocations are ``total`` times a random point of the simplex
    shifted by a random side payment that sums to zero, so they can contain
    negative shares.
    """
    raw = st.lists(st.floats(-bound, bound, allow_nan=False), min_size=n, max_size=n).map(np.array)
    if total is None:
        return raw

    def efficient(x: np.ndarray) -> np.ndarray:
        x = x - x.mean() + total / n
        x[-1] = total - x[:-1].sum()
        return x

    return raw.map(efficient)


@st.composite
def bimatrix_games(draw, max_rows: int = 3, max_cols: int = 3, bound: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """Payoff matrices ``(row party, column party)`` of the same random shape."""
    m = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, max_cols))
    entry = st.floats(-bound, bound, allow_nan=False, allow_infinity=False)
    a = np.array(draw(st.lists(entry, min_size=m * k, max_size=m * k))).reshape(m, k)
    b = np.array(draw(st.lists(entry, min_size=m * k, max_size=m * k))).reshape(m, k)
    return a, b


@st.composite
def bargaining_problems(
    draw, min_parties: int = 2, max_parties: int = 6, min_surplus: float = 0.01
) -> tuple[float, list[float]]:
    """``(total, disagreement payoffs)`` with ``total`` above the sum of the payoffs."""
    d = draw(st.lists(payoffs(1000.0), min_size=min_parties, max_size=max_parties))
    surplus = draw(st.floats(min_surplus, 1000.0, allow_nan=False))
    return float(sum(d) + surplus), d


def bargaining_weights(n: int) -> st.SearchStrategy[list[float]]:
    """``n`` positive bargaining weights."""
    return st.lists(st.floats(0.01, 100.0, allow_nan=False), min_size=n, max_size=n)


@st.composite
def prisoners_dilemma_payoffs(draw, bound: float = 1000.0, min_gap: float = 1e-3) -> tuple[float, float, float, float]:
    """``(T, R, P, S)`` with ``T > R > P > S`` (gaps of at least ``min_gap``)."""
    s = draw(st.floats(-bound, bound, allow_nan=False))
    gaps = draw(st.lists(st.floats(min_gap, bound, allow_nan=False), min_size=3, max_size=3))
    p = s + gaps[0]
    r = p + gaps[1]
    t = r + gaps[2]
    return t, r, p, s


@st.composite
def range_triples(draw, bound: float = 1e6, allow_point: bool = True) -> tuple[float, float, float]:
    """``(low, likely, high)`` with ``low <= likely <= high``; a point range when all equal."""
    x = st.one_of(st.integers(-1000, 1000).map(float), st.floats(-bound, bound, allow_nan=False))
    low, likely, high = sorted(draw(st.lists(x, min_size=3, max_size=3)))
    if not allow_point and low == high:
        high = low + 1.0
        likely = min(max(likely, low), high)
    return low, likely, high
