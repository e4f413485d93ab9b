"""Cooperative and non-cooperative game theory for coopetition decisions.

A partnership between firms is a cooperative game: a set of players and a
characteristic function ``v`` that gives every coalition ``S`` the total value
``v(S)`` its members can secure by working together (``v(empty) = 0``). This
module answers the questions a strategist asks of such a game:

* **Added value** (what walks out of the door if a party leaves):
  ``AV_i = v(N) - v(N \\ {i})``. No party can expect to capture more than its
  added value [Brandenburger1996]_ (ch. 2, "added value").
* **The Shapley value** (the fair split, from four axioms: efficiency,
  symmetry, null player, additivity) [Shapley1953]_::

      phi_i = sum_{S not containing i} |S|! (n - |S| - 1)! / n!  (v(S + i) - v(S))

  computed exactly over all ``2^n`` coalitions (:func:`shapley_vectorised` takes
  the values of every coalition as an array, for one game or many at once), or
  estimated by averaging marginal contributions over random orderings of the
  players with a standard error [Castro2009]_.
* **The core** (splits no group of parties can improve on by leaving):
  ``sum_i x_i = v(N)`` and ``sum_{i in S} x_i >= v(S)`` for every ``S``
  [Gillies1959]_. It is a polytope, so the least and the most each party can
  get in it are two linear programmes (solved with HiGHS through SciPy)
  [Peleg2007]_, [Huangfu2018]_; the most is never above the party's added value.
* **Nash bargaining** (the split two or more parties would agree on, given what
  each gets if talks fail, ``d_i``): maximise ``prod_i (x_i - d_i)^{w_i}``
  subject to ``sum_i x_i = T``, giving ``x_i = d_i + w_i / sum(w) (T - sum(d))``
  [Nash1950]_; with unequal bargaining weights ``w`` this is the asymmetric
  (generalised) solution [Kalai1977]_.
* **Equilibria** of a two-party compete/cooperate game in normal form, by
  support enumeration (Algorithm 3.4 of [Nisan2007]_, via nashpy).
* **The cooperation threshold** of the repeated prisoner's dilemma under grim
  trigger: cooperation is sustainable when the discount factor
  ``delta >= (T - R) / (T - P)`` [Axelrod1984]_, [Fudenberg1991]_ (sec. 5.1);
  with more than two parties (a pool that ends when anyone holds back) the
  same condition holds party by party, and the party with the highest
  threshold decides [Friedman1971]_.

References
----------
.. [Brandenburger1996] Brandenburger, A. M. and Nalebuff, B. J. (1996).
   *Co-opetition*. Currency Doubleday. See also Brandenburger, A. and Stuart,
   H. (1996), "Value-based business strategy", *J. Economics & Management
   Strategy* 5(1), 5-24.
.. [Shapley1953] Shapley, L. S. (1953). "A value for n-person games". In
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   307-317.
.. [Castro2009] Castro, J., Gomez, D. and Tejada, J. (2009). "Polynomial
   calculation of the Shapley value based on sampling". *Computers &
   Operations Research* 36(5), 1726-1730.
.. [Gillies1959] Gillies, D. B. (1959). "Solutions to general non-zero-sum
   games". In *Contributions to the Theory of Games IV*, 47-85.
.. [Peleg2007] Peleg, B. and Sudhölter, P. (2007). *Introduction to the Theory
   of Cooperative Games*, 2nd ed. Springer, ch. 3 (the core as a polytope).
.. [Huangfu2018] Huangfu, Q. and Hall, J. A. J. (2018). "Parallelizing the dual
   revised simplex method". *Mathematical Programming Computation* 10, 119-142
   (HiGHS, SciPy's ``linprog(method="highs")``).
.. [Nash1950] Nash, J. F. (1950). "The bargaining problem". *Econometrica*
   18(2), 155-162.
.. [Kalai1977] Kalai, E. (1977). "Nonsymmetric Nash solutions and
   replications of 2-person bargaining". *Int. J. Game Theory* 6, 129-133.
.. [Nisan2007] Nisan, N., Roughgarden, T., Tardos, E. and Vazirani, V. (2007).
   *Algorithmic Game Theory*, Cambridge University Press.
.. [Axelrod1984] Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
.. [Fudenberg1991] Fudenberg, D. and Tirole, J. (1991). *Game Theory*. MIT Press.
.. [Friedman1971] Friedman, J. W. (1971). "A non-cooperative equilibrium for
   supergames". *Review of Economic Studies* 38(1), 1-12.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopkit.errors import InputError, require
from coopkit.frameworks.uncertainty import is_number

__all__ = [
    "ShapleyValue",
    "Equilibrium",
    "coalition_values",
    "shapley",
    "shapley_matrix",
    "shapley_vectorised",
    "added_value",
    "in_core",
    "blocking_coalition",
    "core_bounds",
    "nash_bargaining",
    "equilibria",
    "cooperation_threshold",
    "pooling_thresholds",
    "MAX_EXACT_PLAYERS",
    "MAX_CORE_PLAYERS",
]

#: Largest game for which ``shapley(method="auto")`` enumerates every coalition.
MAX_EXACT_PLAYERS = 20
#: Largest game :func:`core_bounds` solves (one linear constraint per coalition).
MAX_CORE_PLAYERS = 16
#: Hard ceiling for exact enumeration (2**24 coalitions is about 128 MB of values).
_EXACT_CEILING = 24

Value = Callable[[frozenset], float] | Mapping
"""A characteristic function: a callable on frozensets of players, or a mapping
from coalitions (frozensets, or any iterable of players) to values."""


# --------------------------------------------------------------------------- players and values
def _check_players(players: Sequence[Hashable], field: str = "players") -> tuple:
    if isinstance(players, (str, bytes)) or not isinstance(players, Iterable):
        raise InputError(field, players, "be a list of names")
    names = tuple(players)
    require(len(names) >= 1, field, names, "list at least one name")
    require(len(set(names)) == len(names), field, names, "have no repeated names")
    return names


def _normalise_mapping(players: tuple, value: Mapping) -> dict:
    known = set(players)
    table: dict[frozenset, float] = {}
    for key, amount in value.items():
        coalition = frozenset([key]) if isinstance(key, str) or not isinstance(key, Iterable) else frozenset(key)
        unknown = coalition - known
        require(not unknown, "value", sorted(map(str, unknown)), "only name players of the game")
        if coalition in table and table[coalition] != amount:
            raise InputError("value", sorted(map(str, coalition)), "give one value per coalition; this one has two")
        table[coalition] = amount
    if table.get(frozenset(), 0) != 0:
        raise InputError("value(empty coalition)", table[frozenset()], "be 0")
    return table


def _check_value(value, vectorized: bool) -> None:
    """The characteristic function must be a callable or a mapping (a callable when vectorized)."""
    if vectorized:
        require(callable(value), "value", value, "be a callable when vectorized=True")
    elif not (callable(value) or isinstance(value, Mapping)):
        raise InputError("value", value, "be a callable on frozensets of players or a mapping of coalitions to values")


def _vector_result(got, rows: int, members: np.ndarray, names: tuple) -> np.ndarray:
    """Check what a vectorised characteristic function returned: one finite value per row."""
    out = np.asarray(got, dtype=float)
    require(out.shape == (rows,), "value", out.shape, f"return one value per coalition, shape ({rows},)")
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        coalition = [str(p) for p, inside in zip(names, members[bad[0]], strict=True) if inside]
        raise InputError(f"value{coalition}", float(out[bad[0]]), "be a finite number")
    return out


def _membership(masks: np.ndarray, n: int) -> np.ndarray:
    """Boolean matrix (len(masks), n): member j of coalition ``mask`` when bit j is set."""
    return ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(bool)


def coalition_values(players: Sequence[Hashable], value: Value, *, vectorized: bool = False) -> np.ndarray:
    """Value of every coalition, indexed by bit mask (bit ``j`` set = ``players[j]`` is in).

    Parameters
    ----------
    players : sequence of hashable
        Distinct player names, at most 24 of them.
    value : callable or mapping
        The characteristic function in the game's money unit. A callable gets a
        frozenset of players; a mapping must list every non-empty coalition.
        The empty coalition is worth 0 and is never asked for.
    vectorized : bool, default False
        When True, ``value`` is called once with a boolean membership matrix of
        shape ``(2**n - 1, n)`` (row = coalition, column = player) and must
        return one value per row. This is how large games stay fast.

    Returns
    -------
    numpy.ndarray
        ``2**n`` floats; entry 0 (the empty coalition) is 0.

    Examples
    --------
    >>> coalition_values(["A", "B"], {("A",): 1, ("B",): 2, ("A", "B"): 5}).tolist()
    [0.0, 1.0, 2.0, 5.0]
    """
    names = _check_players(players)
    n = len(names)
    require(n <= _EXACT_CEILING, "players", n, f"number at most {_EXACT_CEILING} for exact enumeration")
    masks = np.arange(1, 2**n, dtype=np.int64)
    out = np.zeros(2**n)
    _check_value(value, vectorized)
    if vectorized:
        members = _membership(masks, n)
        out[1:] = _vector_result(value(members), masks.size, members, names)
    elif isinstance(value, Mapping):
        table = _normalise_mapping(names, value)
        for mask in masks.tolist():
            coalition = frozenset(names[j] for j in range(n) if mask >> j & 1)
            if coalition not in table:
                raise InputError(
                    "value", sorted(map(str, coalition)), "give a value for every coalition; this one is missing"
                )
            out[mask] = table[coalition]
    elif callable(value):
        for mask in masks.tolist():
            out[mask] = value(frozenset(names[j] for j in range(n) if mask >> j & 1))
    else:
        raise InputError("value", value, "be a callable on frozensets of players or a mapping of coalitions to values")
    bad = ~np.isfinite(out)
    if bad.any():
        mask = int(np.flatnonzero(bad)[0])
        coalition = sorted(str(names[j]) for j in range(n) if mask >> j & 1)
        raise InputError(f"value{coalition}", float(out[mask]), "be a finite number")
    return out


def _evaluate(names: tuple, value: Value, coalitions: Iterable[frozenset], vectorized: bool) -> np.ndarray:
    """Value of a few named coalitions (used where 2**n evaluations are not needed)."""
    coalitions = list(coalitions)
    n = len(names)
    _check_value(value, vectorized)
    if vectorized:
        index = {p: j for j, p in enumerate(names)}
        members = np.zeros((len(coalitions), n), dtype=bool)
        for row, coalition in enumerate(coalitions):
            members[row, [index[p] for p in coalition]] = True
        got = _vector_result(value(members), len(coalitions), members, names)
    elif isinstance(value, Mapping):
        table = _normalise_mapping(names, value)
        missing = [c for c in coalitions if c and c not in table]
        if missing:
            raise InputError(
                "value", sorted(map(str, missing[0])), "give a value for every coalition; this one is missing"
            )
        got = np.array([table.get(c, 0.0) for c in coalitions], dtype=float)
    else:
        got = np.array([value(c) if c else 0.0 for c in coalitions], dtype=float)
    got = np.where([len(c) == 0 for c in coalitions], 0.0, got)  # the empty coalition is worth 0
    for coalition, amount in zip(coalitions, got, strict=True):
        require(math.isfinite(amount), f"value{sorted(map(str, coalition))}", float(amount), "be a finite number")
    return got


# --------------------------------------------------------------------------- Shapley value
@dataclass(frozen=True, eq=False)
class ShapleyValue(Mapping):
    """The Shapley value of each player, read like a dict (``result["A"]``).

    Attributes
    ----------
    players : tuple
        Player names, in the order given.
    amounts : numpy.ndarray
        Each player's Shapley value, in the game's money unit, in player order.
    std_error : numpy.ndarray or None
        Standard error of each estimate when sampled; None when exact.
    method : str
        ``"exact"`` or ``"sampling"``.
    permutations : int or None
        Number of random orderings averaged when sampled.
    """

    players: tuple
    amounts: np.ndarray
    std_error: np.ndarray | None
    method: str
    permutations: int | None = None

    def __getitem__(self, player: Hashable) -> float:
        try:
            return float(self.amounts[self.players.index(player)])
        except ValueError:
            raise KeyError(player) from None

    def __iter__(self) -> Iterator:
        return iter(self.players)

    def __len__(self) -> int:
        return len(self.players)

    def error_of(self, player: Hashable) -> float:
        """Standard error of one player's estimate (0.0 when exact)."""
        if player not in self.players:
            raise KeyError(player)
        if self.std_error is None:
            return 0.0
        return float(self.std_error[self.players.index(player)])


def _shapley_weights(n: int) -> np.ndarray:
    """w[k] = k! (n-k-1)! / n!, the weight of a coalition of size k joined by one more player."""
    k = np.arange(n)
    return np.exp(np.array([math.lgamma(x + 1) + math.lgamma(n - x) - math.lgamma(n + 1) for x in k]))


def _shapley_exact(n: int, v: np.ndarray) -> np.ndarray:
    """Shapley values of the game(s) ``v`` (shape ``(..., 2**n)``, by bit mask) as two weighted half-sums per player.

    ``phi_j = sum_{S containing j} w(|S| - 1) v(S) - sum_{S not containing j} w(|S|) v(S)``, the
    marginal-contribution sum regrouped (``T = S + {j}``), with ``w(k) = k! (n - k - 1)! / n!``. The
    coalitions containing ``j`` are axis 1 of ``v.reshape(-1, 2, 2**j)``: strided views, no gather.
    """
    sizes = np.bitwise_count(np.arange(2**n, dtype=np.uint64)).astype(np.int64)
    weights = np.append(_shapley_weights(n), 0.0)  # w(n) = 0: the grand coalition has nobody left to join it
    joined = v * weights[np.maximum(sizes - 1, 0)]  # w(|S| - 1) v(S), read where S contains j
    left = v * weights[sizes]  # w(|S|) v(S), read where S does not contain j
    lead = v.shape[:-1]
    phi = np.empty((*lead, n))
    for j in range(n):
        shape = (*lead, 2 ** (n - 1 - j), 2, 2**j)
        phi[..., j] = joined.reshape(shape)[..., 1, :].sum(axis=(-2, -1)) - left.reshape(shape)[..., 0, :].sum(
            axis=(-2, -1)
        )
    return phi


def shapley_matrix(n: int) -> np.ndarray:
    """The linear map from coalition values to Shapley values: ``phi = v @ shapley_matrix(n).T``.

    ``v`` holds the value of every coalition by bit mask (``coalition_values``'s
    order), with a leading axis for many games at once (Monte Carlo draws).
    Exact, for ``n`` up to 20.

    Examples
    --------
    >>> v = np.array([0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])  # glove game: A with B or C
    >>> (v @ shapley_matrix(3).T).round(4).tolist()
    [0.6667, 0.1667, 0.1667]
    """
    require(
        isinstance(n, int) and 1 <= n <= MAX_EXACT_PLAYERS, "n", n, f"be a whole number from 1 to {MAX_EXACT_PLAYERS}"
    )
    masks = np.arange(2**n, dtype=np.int64)
    sizes = np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)
    weights = _shapley_weights(n)
    out = np.zeros((n, 2**n))
    for j in range(n):
        bit = np.int64(1) << j
        without = masks[(masks & bit) == 0]
        out[j, without | bit] += weights[sizes[without]]
        out[j, without] -= weights[sizes[without]]
    return out


def shapley_vectorised(n: int, values) -> np.ndarray:
    """Exact Shapley values of one or many games, from the value of every coalition, in O(n 2^n).

    The marginal-contribution sum of [Shapley1953]_ is split into two sums over coalitions,

        phi_j = sum_{S containing j} w(|S| - 1) v(S)  -  sum_{S not containing j} w(|S|) v(S),

    with ``w(k) = k! (n - k - 1)! / n!``. The coalition values are weighted once,
    and each player's value is then the difference of two half-sums, read through
    a strided view of the bit-mask axis (bit ``j`` is axis 1 of
    ``values.reshape(-1, 2, 2**j)``): no mask arithmetic, no gather, no
    ``n x 2**n`` matrix (compare :func:`shapley_matrix`, 160 MB at 20 players).
    About 0.02 s for 20 players (a million coalitions) on one core (``benchmarks/shapley.py``).

    Parameters
    ----------
    n : int
        Number of players, 1 to 24.
    values : array_like of float, shape (..., 2**n)
        ``v(S)`` of every coalition by bit mask (bit ``j`` set = player ``j`` is
        in ``S``), the order of :func:`coalition_values`, in the game's money unit
        (e.g. EUR per year). Entry 0, the empty coalition, must be 0. Leading axes
        hold independent games, e.g. one per Monte Carlo draw.

    Returns
    -------
    numpy.ndarray, shape (..., n)
        Each player's Shapley value, in the unit of ``values``; along the last
        axis they add up to ``v(N)`` (efficiency).

    Examples
    --------
    The glove game: A holds a left glove, B and C a right one; a pair sells for 1.

    >>> v = [0, 0, 0, 1, 0, 1, 0, 1]  # masks: {}, A, B, AB, C, AC, BC, ABC
    >>> shapley_vectorised(3, v).round(4).tolist()
    [0.6667, 0.1667, 0.1667]

    Twenty players, a million coalitions, and two games at once (rows): a
    coalition of ``k`` players is worth ``k**2``, or ``10 k``. Symmetric players
    share ``v(N)`` equally.

    >>> k = np.bitwise_count(np.arange(2**20, dtype=np.uint64)).astype(float)
    >>> shapley_vectorised(20, np.stack([k**2, 10 * k]))[:, :3].round(9).tolist()
    [[20.0, 20.0, 20.0], [10.0, 10.0, 10.0]]

    References
    ----------
    The formula is Shapley's (1953), [Shapley1953]_; the two sums follow from it by
    writing ``T = S + {j}`` in the first term.
    """
    require(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) and 1 <= n <= _EXACT_CEILING,
        "n",
        n,
        f"be a whole number from 1 to {_EXACT_CEILING}",
    )
    n = int(n)
    v = np.asarray(values, dtype=float)
    require(v.ndim >= 1 and v.shape[-1] == 2**n, "values", v.shape, f"have 2**n = {2**n} entries on the last axis")
    bad = np.flatnonzero(~np.isfinite(v.reshape(-1)))
    if bad.size:
        raise InputError(f"values[{int(bad[0]) % 2**n}]", float(v.reshape(-1)[bad[0]]), "be a finite number")
    empty = v[..., 0]
    require(
        bool(np.all(empty == 0)), "values[0] (the empty coalition)", float(empty.flat[np.argmax(empty != 0)]), "be 0"
    )
    return _shapley_exact(n, v)


def _shapley_sampled(names: tuple, value: Value, permutations: int, seed, vectorized: bool) -> tuple:
    n = len(names)
    rng = np.random.default_rng(seed)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    if vectorized:
        # Chunk so that a membership block stays around 16 million booleans.
        chunk = max(1, 16_000_000 // ((n + 1) * n))
        done = 0
        while done < permutations:
            m = min(chunk, permutations - done)
            order = np.argsort(rng.random((m, n)), axis=1)  # order[r, k] = player at position k
            rank = np.argsort(order, axis=1)  # rank[r, j] = position of player j
            members = rank[:, None, :] < np.arange(n + 1)[None, :, None]  # (m, n+1, n)
            flat = members.reshape(-1, n)
            vals = _vector_result(value(flat), flat.shape[0], flat, names).reshape(m, n + 1)
            vals[:, 0] = 0.0
            marginal_by_position = np.diff(vals, axis=1)  # (m, n)
            marginal = np.take_along_axis(marginal_by_position, rank, axis=1)
            total += marginal.sum(axis=0)
            total_sq += (marginal**2).sum(axis=0)
            done += m
    else:
        table = _normalise_mapping(names, value) if isinstance(value, Mapping) else None
        cache: dict[frozenset, float] = {frozenset(): 0.0}

        def v(coalition: frozenset) -> float:
            if coalition not in cache:
                if table is not None:
                    if coalition not in table:
                        raise InputError(
                            "value",
                            sorted(map(str, coalition)),
                            "give a value for every coalition; this one is missing",
                        )
                    amount = float(table[coalition])
                else:
                    amount = float(value(coalition))
                require(math.isfinite(amount), f"value{sorted(map(str, coalition))}", amount, "be a finite number")
                cache[coalition] = amount
            return cache[coalition]

        for _ in range(permutations):
            order = rng.permutation(n)
            coalition: frozenset = frozenset()
            before = 0.0
            marginal = np.empty(n)
            for j in order:
                coalition = coalition | {names[j]}
                after = v(coalition)
                marginal[j] = after - before
                before = after
            total += marginal
            total_sq += marginal**2
    mean = total / permutations
    if permutations > 1:
        var = np.maximum(total_sq / permutations - mean**2, 0.0) * permutations / (permutations - 1)
        se = np.sqrt(var / permutations)
    else:
        se = np.full(n, np.inf)
    return mean, se


def shapley(
    players: Sequence[Hashable],
    value: Value,
    *,
    method: str = "auto",
    permutations: int = 2000,
    seed: int | None = 0,
    vectorized: bool = False,
) -> ShapleyValue:
    """The Shapley value: each player's average marginal contribution.

    Parameters
    ----------
    players : sequence of hashable
        Distinct player names.
    value : callable or mapping
        Characteristic function in money per year (or any one unit): a callable
        on frozensets of players, or a mapping from coalitions to values. The
        empty coalition is worth 0. See :func:`coalition_values` for
        ``vectorized``.
    method : {"auto", "exact", "sampling"}
        ``"auto"`` is exact up to :data:`MAX_EXACT_PLAYERS` (20) players and
        samples above that; ``"exact"`` works up to 24 players.
    permutations : int, default 2000
        Random orderings averaged by the sampling estimate.
    seed : int or None, default 0
        Seed of the sampling estimate, for reproducible results.
    vectorized : bool, default False
        ``value`` takes a boolean membership matrix and returns an array.

    Returns
    -------
    ShapleyValue
        A read-only mapping player -> value (same unit as ``value``), with
        ``std_error`` (None when exact) and ``method``.

    Examples
    --------
    The glove game: A holds a left glove, B and C a right one; a pair sells for 1.

    >>> glove = lambda s: float("A" in s and ("B" in s or "C" in s))
    >>> phi = shapley(["A", "B", "C"], glove)
    >>> [round(phi[p], 4) for p in "ABC"]
    [0.6667, 0.1667, 0.1667]
    >>> phi.method
    'exact'

    References
    ----------
    Shapley (1953); sampling: Castro, Gomez and Tejada (2009).
    """
    names = _check_players(players)
    n = len(names)
    require(method in ("auto", "exact", "sampling"), "method", method, "be 'auto', 'exact' or 'sampling'")
    if method == "auto":
        method = "exact" if n <= MAX_EXACT_PLAYERS else "sampling"
    if method == "exact":
        require(
            n <= _EXACT_CEILING,
            "players",
            n,
            f"number at most {_EXACT_CEILING} for the exact Shapley value; use method='sampling'",
        )
        v = coalition_values(names, value, vectorized=vectorized)
        return ShapleyValue(names, _shapley_exact(n, v), None, "exact")
    require(
        isinstance(permutations, (int, np.integer)) and permutations >= 2,
        "permutations",
        permutations,
        "be a whole number >= 2",
    )
    _check_value(value, vectorized)
    mean, se = _shapley_sampled(names, value, int(permutations), seed, vectorized)
    return ShapleyValue(names, mean, se, "sampling", int(permutations))


# --------------------------------------------------------------------------- added value
def added_value(players: Sequence[Hashable], value: Value, *, vectorized: bool = False) -> dict:
    """Each player's added value ``v(N) - v(N \\ {i})`` (Brandenburger-Nalebuff).

    Parameters
    ----------
    players : sequence of hashable
        Distinct player names.
    value : callable or mapping
        Characteristic function, money per year.
    vectorized : bool, default False
        See :func:`coalition_values`.

    Returns
    -------
    dict
        player -> added value, same unit as ``value``.

    Examples
    --------
    >>> glove = lambda s: float("A" in s and ("B" in s or "C" in s))
    >>> added_value(["A", "B", "C"], glove)
    {'A': 1.0, 'B': 0.0, 'C': 0.0}
    """
    names = _check_players(players)
    grand = frozenset(names)
    coalitions = [grand] + [grand - {p} for p in names]
    vals = _evaluate(names, value, coalitions, vectorized)
    return {p: float(vals[0] - vals[1 + j]) for j, p in enumerate(names)}


# --------------------------------------------------------------------------- the core
def _allocation_vector(names: tuple, allocation) -> np.ndarray:
    if isinstance(allocation, Mapping):
        missing = [p for p in names if p not in allocation]
        require(not missing, "allocation", missing, "give an amount for every player")
        x = np.array([allocation[p] for p in names], dtype=float)
    else:
        x = np.asarray(allocation, dtype=float)
        require(x.shape == (len(names),), "allocation", x.shape, f"give one amount per player ({len(names)})")
    require(bool(np.isfinite(x).all()), "allocation", x.tolist(), "be finite numbers")
    return x


def _excess(names: tuple, value: Value, allocation, vectorized: bool) -> tuple[np.ndarray, np.ndarray]:
    """Excess v(S) - x(S) of every coalition, and the grand coalition's gap."""
    n = len(names)
    x = _allocation_vector(names, allocation)
    v = coalition_values(names, value, vectorized=vectorized)
    masks = np.arange(2**n, dtype=np.int64)
    share = _membership(masks, n).astype(float) @ x
    return v - share, x


def in_core(
    players: Sequence[Hashable], value: Value, allocation, tol: float = 1e-9, *, vectorized: bool = False
) -> bool:
    """Whether an allocation is in the core: efficient, and no coalition does better alone.

    Parameters
    ----------
    players : sequence of hashable
        Distinct player names (up to 24).
    value : callable or mapping
        Characteristic function, money per year.
    allocation : mapping or sequence
        Amount each player receives, same unit as ``value``.
    tol : float, default 1e-9
        Absolute tolerance in the money unit.

    Returns
    -------
    bool
        True when ``sum(x) == v(N)`` and ``x(S) >= v(S)`` for every coalition, within ``tol``.

    Examples
    --------
    >>> glove = lambda s: float("A" in s and ("B" in s or "C" in s))
    >>> in_core(["A", "B", "C"], glove, {"A": 1, "B": 0, "C": 0})
    True
    >>> in_core(["A", "B", "C"], glove, {"A": 0.5, "B": 0.5, "C": 0})
    False
    """
    names = _check_players(players)
    excess, _x = _excess(names, value, allocation, vectorized)
    efficient = abs(excess[-1]) <= tol
    return bool(efficient and excess.max() <= tol)


def blocking_coalition(
    players: Sequence[Hashable], value: Value, allocation, tol: float = 1e-9, *, vectorized: bool = False
) -> frozenset | None:
    """The coalition that gains most by leaving an allocation, or None if none gains.

    A coalition ``S`` blocks when its members could secure more together,
    ``v(S)``, than the allocation gives them, ``x(S)``. The one returned has
    the largest shortfall ``v(S) - x(S)``; among ties, the smallest coalition.
    An allocation handing out more than ``v(N)`` is not blocked but is still
    outside the core (see :func:`in_core`).

    Examples
    --------
    >>> glove = lambda s: float("A" in s and ("B" in s or "C" in s))
    >>> sorted(blocking_coalition(["A", "B", "C"], glove, {"A": 0.5, "B": 0.5, "C": 0}))
    ['A', 'C']
    >>> blocking_coalition(["A", "B", "C"], glove, {"A": 1, "B": 0, "C": 0}) is None
    True
    """
    names = _check_players(players)
    excess, _ = _excess(names, value, allocation, vectorized)
    worst = float(excess.max())
    if worst <= tol:
        return None
    n = len(names)
    masks = np.flatnonzero(excess >= worst - tol)
    sizes = np.bitwise_count(masks.astype(np.uint64))
    mask = int(masks[np.argmin(sizes)])
    return frozenset(names[j] for j in range(n) if mask >> j & 1)


def core_bounds(players: Sequence[Hashable], value: Value, *, vectorized: bool = False) -> pd.DataFrame | None:
    """The least and the most each player gets in the core, or None when the core is empty.

    The core is the set of splits ``x`` with ``sum_i x_i = v(N)`` and
    ``x(S) >= v(S)`` for every coalition ``S``: a polytope, so for each player
    two linear programmes give the least and the most it can be paid without
    some group walking away [Peleg2007]_. The most is at most the player's
    added value ``v(N) - v(N \\ {i})``. The bounds hold one player at a time:
    a split that is inside every player's range can still be outside the core
    (check it with :func:`in_core`).

    Parameters
    ----------
    players : sequence of hashable
        Distinct player names, at most :data:`MAX_CORE_PLAYERS` (16).
    value : callable or mapping
        Characteristic function, money per year (see :func:`coalition_values`).
    vectorized : bool, default False
        See :func:`coalition_values`.

    Returns
    -------
    pandas.DataFrame or None
        Indexed by player (``party``), columns ``least`` and ``most``, in the
        unit of ``value``; None when no split satisfies every coalition.

    Examples
    --------
    >>> glove = lambda s: float("A" in s and ("B" in s or "C" in s))
    >>> core_bounds(["A", "B", "C"], glove).round(6).to_dict("index")
    {'A': {'least': 1.0, 'most': 1.0}, 'B': {'least': 0.0, 'most': 0.0}, 'C': {'least': 0.0, 'most': 0.0}}
    >>> majority = lambda s: float(len(s) >= 2)  # any two of three share 1: every split leaves a pair short
    >>> core_bounds(["A", "B", "C"], majority) is None
    True

    References
    ----------
    Gillies (1959); Peleg and Sudhölter (2007), ch. 3; HiGHS: Huangfu and Hall (2018).
    """
    from scipy.optimize import linprog

    names = _check_players(players)
    n = len(names)
    require(n <= MAX_CORE_PLAYERS, "players", n, f"number at most {MAX_CORE_PLAYERS} for the core's bounds")
    v = coalition_values(names, value, vectorized=vectorized)
    scale = max(1.0, float(np.abs(v).max()))  # solve in units of the largest value: HiGHS's tolerances are absolute
    members = _membership(np.arange(1, 2**n - 1, dtype=np.int64), n).astype(float)
    a_ub, b_ub = -members, -v[1:-1] / scale
    a_eq, b_eq = np.ones((1, n)), [v[-1] / scale]
    bounds = np.empty((n, 2))
    for j in range(n):
        for k, sign in enumerate((1.0, -1.0)):
            cost = np.zeros(n)
            cost[j] = sign
            res = linprog(
                cost,
                A_ub=a_ub if n > 1 else None,
                b_ub=b_ub if n > 1 else None,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=(None, None),
                method="highs",
            )
            if res.status == 2:  # infeasible: the core is empty
                return None
            require(res.status == 0, "core_bounds", res.message, "be solved by the linear programme")
            bounds[j, k] = sign * res.fun * scale + 0.0  # + 0.0 turns -0.0 into 0.0
    return pd.DataFrame(bounds, index=pd.Index(names, name="party"), columns=["least", "most"])


# --------------------------------------------------------------------------- Nash bargaining
def nash_bargaining(total: float, disagreement, weights=None):
    """The (generalised) Nash bargaining split of a total between n >= 2 parties.

    Maximises ``prod_i (x_i - d_i)^{w_i}`` subject to ``sum_i x_i = total``:
    each party gets its disagreement payoff plus its weight's share of the
    surplus, ``x_i = d_i + w_i / sum(w) * (total - sum(d))``.

    Parameters
    ----------
    total : float
        Value to split, money per year.
    disagreement : sequence or mapping of float
        What each party gets if talks fail (its best alternative), same unit.
    weights : sequence or mapping of float, optional
        Bargaining power of each party, > 0; equal when omitted (symmetric Nash).

    Returns
    -------
    numpy.ndarray or dict
        Each party's share, same unit; a dict when ``disagreement`` is a mapping.

    Raises
    ------
    InputError
        If fewer than two parties, a weight is not positive, or ``total`` does
        not exceed the sum of disagreement payoffs (nothing to bargain over).

    Examples
    --------
    >>> nash_bargaining(100, [20, 40]).tolist()
    [40.0, 60.0]
    >>> nash_bargaining(100, {"A": 20, "B": 40}, weights={"A": 3, "B": 1})
    {'A': 50.0, 'B': 50.0}

    References
    ----------
    Nash (1950); Kalai (1977) for unequal weights.
    """
    keys = None
    if isinstance(disagreement, Mapping):
        keys = list(disagreement)
        d = np.array([disagreement[k] for k in keys], dtype=float)
        if isinstance(weights, Mapping):
            missing = [k for k in keys if k not in weights]
            require(not missing, "weights", missing, "give a weight for every party")
            weights = [weights[k] for k in keys]
    else:
        require(
            not isinstance(weights, Mapping),
            "weights",
            weights,
            "be a list when disagreement is a list (or give both as mappings)",
        )
        d = np.asarray(disagreement, dtype=float)
    require(d.ndim == 1 and d.size >= 2, "disagreement", d.tolist(), "list the payoffs of at least two parties")
    require(bool(np.isfinite(d).all()), "disagreement", d.tolist(), "be finite numbers")
    require(
        isinstance(total, (int, float, np.integer, np.floating)) and math.isfinite(total),
        "total",
        total,
        "be a finite number",
    )
    w = np.ones_like(d) if weights is None else np.asarray(weights, dtype=float)
    require(w.shape == d.shape, "weights", w.tolist(), f"give one weight per party ({d.size})")
    require(bool(np.isfinite(w).all() and (w > 0).all()), "weights", w.tolist(), "be positive numbers")
    require(total > d.sum(), "total", total, f"exceed the sum of disagreement payoffs ({d.sum():g})")
    x = d + w / w.sum() * (total - d.sum())
    return dict(zip(keys, x.tolist(), strict=False)) if keys is not None else x


# --------------------------------------------------------------------------- equilibria
@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One Nash equilibrium of a two-party game.

    Attributes
    ----------
    row_strategy, col_strategy : numpy.ndarray
        Probability of each action (a pure equilibrium has a single 1).
    row_payoff, col_payoff : float
        Expected payoff of each party at the equilibrium.
    """

    row_strategy: np.ndarray
    col_strategy: np.ndarray
    row_payoff: float
    col_payoff: float

    @property
    def is_pure(self) -> bool:
        """True when each party plays one action with certainty."""
        return bool(np.isclose(self.row_strategy.max(), 1.0) and np.isclose(self.col_strategy.max(), 1.0))


def _payoff_matrix(matrix, field: str) -> np.ndarray:
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise InputError(field, matrix, "be a matrix of numbers") from None
    require(a.ndim == 2 and min(a.shape) >= 1, field, a.shape, "be a two-dimensional matrix")
    require(bool(np.isfinite(a).all()), field, a.tolist(), "contain finite numbers only")
    return a


def equilibria(payoffs_row, payoffs_col) -> list[Equilibrium]:
    """Nash equilibria of a two-party game in normal form (support enumeration, via nashpy).

    Parameters
    ----------
    payoffs_row : array_like, shape (m, k)
        Row party's payoff for each pair of actions, money per year.
    payoffs_col : array_like, shape (m, k)
        Column party's payoff, same shape.

    Returns
    -------
    list of Equilibrium
        Every equilibrium found, pure ones first. A degenerate game (ties in
        payoffs) can have infinitely many; support enumeration then returns the
        extreme ones.

    Examples
    --------
    A prisoner's dilemma (action 0 = cooperate, 1 = compete):

    >>> eq = equilibria([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [(e.row_strategy.tolist(), e.col_strategy.tolist()) for e in eq]
    [([0.0, 1.0], [0.0, 1.0])]

    References
    ----------
    Nisan et al. (2007), Algorithm 3.4; Knight and Campbell (2018), "Nashpy: A
    Python library for the computation of Nash equilibria", JOSS 3(30), 904.
    """
    import nashpy

    a = _payoff_matrix(payoffs_row, "payoffs_row")
    b = _payoff_matrix(payoffs_col, "payoffs_col")
    require(a.shape == b.shape, "payoffs_col", b.shape, f"have the same shape as payoffs_row {a.shape}")
    game = nashpy.Game(a, b)
    tol = 1e-9 * max(1.0, float(np.abs(a).max()), float(np.abs(b).max()))
    found: list[Equilibrium] = []
    with warnings.catch_warnings():
        # nashpy warns on degenerate games and rejects indifference solutions with a -1e-17 entry;
        # vertex enumeration finds what support enumeration misses, and every candidate is verified below.
        warnings.simplefilter("ignore", RuntimeWarning)
        candidates = list(game.support_enumeration())
        try:
            candidates += list(game.vertex_enumeration())
        except (TypeError, ValueError, RuntimeError):  # e.g. a one-action game has no polytope to enumerate
            pass
    for sigma_r, sigma_c in candidates:
        sigma_r, sigma_c = _probabilities(sigma_r), _probabilities(sigma_c)
        if sigma_r is None or sigma_c is None or not _is_equilibrium(a, b, sigma_r, sigma_c, tol):
            continue
        if any(
            np.allclose(sigma_r, e.row_strategy, atol=1e-9) and np.allclose(sigma_c, e.col_strategy, atol=1e-9)
            for e in found
        ):
            continue
        found.append(Equilibrium(sigma_r, sigma_c, float(sigma_r @ a @ sigma_c), float(sigma_r @ b @ sigma_c)))
    found.sort(key=lambda e: (not e.is_pure, -e.row_payoff - e.col_payoff))
    return found


def _probabilities(sigma) -> np.ndarray | None:
    """A mixed strategy cleaned of rounding noise (-1e-17 becomes 0), or None if it is not one."""
    p = np.asarray(sigma, dtype=float)
    if not np.isfinite(p).all() or p.min() < -1e-9:
        return None
    p = np.where(p < 1e-12, 0.0, p)
    total = p.sum()
    return p / total if total > 0 else None


def _is_equilibrium(a: np.ndarray, b: np.ndarray, sigma_r: np.ndarray, sigma_c: np.ndarray, tol: float) -> bool:
    """No party can gain more than ``tol`` by switching to any pure action."""
    row_value, col_value = sigma_r @ a @ sigma_c, sigma_r @ b @ sigma_c
    return bool((a @ sigma_c).max() <= row_value + tol and (sigma_r @ b).max() <= col_value + tol)


# --------------------------------------------------------------------------- repeated game
def cooperation_threshold(T: float, R: float, P: float, S: float) -> float:
    """Critical discount factor above which cooperation is sustainable (grim trigger).

    In the repeated prisoner's dilemma with Temptation > Reward > Punishment >
    Sucker's payoff, defecting once gains ``T - R`` now and loses ``R - P`` in
    every later round, so cooperation holds when ``delta >= (T - R) / (T - P)``.
    ``delta`` is the weight of the next round: the per-round discount factor
    times the probability that the parties meet again.

    Parameters
    ----------
    T, R, P, S : float
        Per-round payoffs (money) with ``T > R > P > S``.

    Returns
    -------
    float
        The threshold in (0, 1).

    Examples
    --------
    >>> cooperation_threshold(5, 3, 1, 0)
    0.5

    References
    ----------
    Axelrod (1984), ch. 1; Fudenberg and Tirole (1991), section 5.1.
    """
    for name, x in (("T", T), ("R", R), ("P", P), ("S", S)):
        require(is_number(x) and math.isfinite(x), name, x, "be a finite number")
    require(T > R > P > S, "payoffs (T, R, P, S)", (T, R, P, S), "satisfy T > R > P > S (a prisoner's dilemma)")
    t, r, p = float(T), float(R), float(P)
    if not math.isfinite(t - p):  # payoffs near the float limit: scale down so T - P cannot overflow
        scale = max(abs(t), abs(r), abs(p))
        t, r, p = t / scale, r / scale, p / scale
    return (t - r) / (t - p)


def pooling_thresholds(
    players: Sequence[Hashable],
    standalone_payoff,
    shares,
    hold_back_gain,
    meetings_per_year: float = 1.0,
) -> pd.DataFrame:
    """Each party's prisoner's dilemma in a repeated pool, and the discount factor it needs to keep pooling.

    Parties pool something (leads, capacity) at every meeting; whoever holds
    back is found out at the next meeting, and then nobody pools again (grim
    trigger). Per meeting, party ``i`` earns ``R = x_i / m`` when everyone
    pools (its agreed share of the pool), ``P = d_i / m`` when nobody does
    (its stand-alone payoff), ``T = (x_i + h_i) / m`` when it alone holds
    back (its share plus what keeping its own contribution brings it) and
    ``S = (d_i - h_i) / m`` when it alone pools (its contribution goes to
    rivals who give nothing back). Pooling is an equilibrium for ``i`` when
    the weight of the next meeting reaches
    ``(T - R) / (T - P) = h_i / (h_i + x_i - d_i)``
    (:func:`cooperation_threshold`), and for the pool when it reaches every
    party's threshold: the highest one decides [Friedman1971]_. The
    threshold does not depend on ``m``; how often the parties meet sets the
    weight of the next meeting (see
    :func:`coopkit.frameworks.tournament.continuation`).

    Parameters
    ----------
    players : sequence of hashable
        Distinct party names.
    standalone_payoff : sequence of float
        ``d``: what each party earns a year without the pool, money per year.
    shares : sequence of float
        ``x``: each party's share of the pool's value, money per year.
    hold_back_gain : sequence of float
        ``h``: what each party would earn a year on top of its share by holding
        its contribution back while the others keep pooling, > 0, money per year.
    meetings_per_year : float, default 1
        ``m``, > 0: the per-meeting payoffs are the yearly ones over ``m``.

    Returns
    -------
    pandas.DataFrame
        Indexed by party: ``gain`` (``x - d``, money per year), ``hold_back_gain``,
        ``T``, ``R``, ``P``, ``S`` (money per meeting) and ``threshold`` (0 to 1;
        ``inf`` for a party the pool does not leave better off: no weight of the
        future keeps it pooling).

    Examples
    --------
    >>> t = pooling_thresholds(["A", "B"], [100, 50], [130, 70], [30, 60], meetings_per_year=10)
    >>> t[["T", "R", "P", "S", "threshold"]].round(4).to_dict("index")
    {'A': {'T': 16.0, 'R': 13.0, 'P': 10.0, 'S': 7.0, 'threshold': 0.5}, 'B': {'T': 13.0, 'R': 7.0, 'P': 5.0, 'S': -1.0, 'threshold': 0.75}}

    References
    ----------
    Friedman (1971); Fudenberg and Tirole (1991), section 5.1; Axelrod (1984).
    """
    names = _check_players(players)
    n = len(names)
    columns = {}
    for field, values in (
        ("standalone_payoff", standalone_payoff),
        ("shares", shares),
        ("hold_back_gain", hold_back_gain),
    ):
        try:
            x = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise InputError(field, values, f"give one amount per party ({n})") from None
        require(x.shape == (n,), field, x.tolist() if x.ndim else values, f"give one amount per party ({n})")
        require(bool(np.isfinite(x).all()), field, x.tolist(), "be finite numbers")
        columns[field] = x
    d, x, h = columns["standalone_payoff"], columns["shares"], columns["hold_back_gain"]
    require(
        bool((h > 0).all()), "hold_back_gain", h.tolist(), "be more than 0 for every party (else nothing tempts it)"
    )
    m = meetings_per_year
    require(is_number(m) and math.isfinite(m) and m > 0, "meetings_per_year", m, "be more than 0")
    T, R, P, S = (x + h) / m, x / m, d / m, (d - h) / m
    threshold = [cooperation_threshold(T[j], R[j], P[j], S[j]) if x[j] > d[j] else math.inf for j in range(n)]
    return pd.DataFrame(
        {"gain": x - d, "hold_back_gain": h, "T": T, "R": R, "P": P, "S": S, "threshold": threshold},
        index=pd.Index(names, name="party"),
    )
