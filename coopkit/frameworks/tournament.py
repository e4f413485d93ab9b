"""The iterated prisoner's dilemma: classic strategies, matches and a round-robin tournament.

Two firms that compete but also work together meet again and again; at each
meeting each can *cooperate* (share a lead, pass on work it cannot serve) or
*defect* (hold back). A meeting pays, to the party on the left,

==================  ===============  ===============
                    other cooperates  other defects
==================  ===============  ===============
we cooperate        R (reward)       S (sucker)
we defect           T (temptation)   P (punishment)
==================  ===============  ===============

with ``T > R > P > S`` (holding back always pays more in one meeting) and
``2R > T + S`` (sharing beats taking turns at exploiting each other): the
prisoner's dilemma [Axelrod1981]_. Axelrod's computer tournaments [Axelrod1984]_
(ch. 2) played strategies against each other, each against every other, and
found that the simple, *nice* (never the first to defect), *retaliatory* and
*forgiving* Tit for Tat scored best; this module replays such tournaments.

Strategies (:data:`STRATEGIES`)
    Always cooperate, Always defect; Tit for Tat (cooperate first, then do what
    the other did last) [Axelrod1984]_; Grim trigger (cooperate until the other
    defects once, then defect for ever) [Friedman1971]_; Tit for Two Tats
    (defect only after two defections in a row) [Axelrod1984]_; Generous Tit for
    Tat (Tit for Tat, but forgive a defection with probability ``g``, by default
    ``g = min(1 - (T - R)/(R - S), (R - P)/(T - P))``) [Nowak1992]_; Win-stay,
    lose-shift or Pavlov (cooperate when both did the same last time, defect
    otherwise) [Nowak1993]_; Random (cooperate with probability ``p``).

Matches
    Of a fixed number of rounds, or of a random length: after every round
    another follows with the *continuation probability* ``w``, so the length is
    geometric with mean ``1 / (1 - w)`` (Axelrod's "shadow of the future";
    the second tournament used ``w = 0.99654``) [Axelrod1984]_ (ch. 1-2). All
    pairs play the same seeded lengths, as in Axelrod's second tournament. With
    *noise* ``e`` each move is flipped with probability ``e`` (a lead that was
    meant to be passed on is lost, or the other side misreads a move)
    [Wu1995]_. Every random draw comes from one seeded stream: same seed, same
    setup, same results.

Tournament score
    A strategy's score is its average payoff per round over all its matches
    (round-robin, optionally including a match against a copy of itself), the
    per-round normalisation of Axelrod's total score.

When cooperation can hold
    Under grim trigger, cooperation is an equilibrium when
    ``w >= (T - R) / (T - P)`` (:func:`coopkit.frameworks.game.cooperation_threshold`,
    [Fudenberg1991]_ sec. 5.1). Tit for Tat resists both Always defect and an
    alternating defector when ``w >= max((T - R)/(T - P), (T - R)/(R - S))``
    (:func:`tft_threshold`; Axelrod's proposition 2, [Axelrod1981]_,
    [Axelrod1984]_ ch. 3). Meeting ``m`` times a year, with a relationship that
    lasts another year with probability ``q`` and a yearly discount rate ``r``,
    gives ``w = (q / (1 + r)) ** (1 / m)`` per meeting (:func:`continuation`),
    so cooperation needs at least ``m* = ln(q / (1 + r)) / ln(w*)`` meetings a
    year (:func:`meetings_needed`) for a threshold ``w*``.

References
----------
.. [Axelrod1981] Axelrod, R. and Hamilton, W. D. (1981). "The evolution of
   cooperation". *Science* 211(4489), 1390-1396.
.. [Axelrod1984] Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
.. [Friedman1971] Friedman, J. W. (1971). "A non-cooperative equilibrium for
   supergames". *Review of Economic Studies* 38(1), 1-12.
.. [Nowak1992] Nowak, M. A. and Sigmund, K. (1992). "Tit for tat in
   heterogeneous populations". *Nature* 355, 250-253.
.. [Nowak1993] Nowak, M. and Sigmund, K. (1993). "A strategy of win-stay,
   lose-shift that outperforms tit-for-tat in the Prisoner's Dilemma game".
   *Nature* 364, 56-58.
.. [Wu1995] Wu, J. and Axelrod, R. (1995). "How to cope with noise in the
   iterated prisoner's dilemma". *Journal of Conflict Resolution* 39(1), 183-189.
.. [Fudenberg1991] Fudenberg, D. and Tirole, J. (1991). *Game Theory*. MIT Press.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopkit.errors import InputError, require
from coopkit.frameworks import game
from coopkit.frameworks.uncertainty import is_number

__all__ = [
    "Strategy",
    "STRATEGIES",
    "Match",
    "TournamentResult",
    "check_payoffs",
    "generosity",
    "play_match",
    "tournament",
    "tft_threshold",
    "continuation",
    "meetings_needed",
    "MAX_ROUNDS",
    "MAX_REPETITIONS",
]

#: Longest match played; geometric lengths are cut here (the share cut is reported).
MAX_ROUNDS = 2_000
#: Most repetitions of each match.
MAX_REPETITIONS = 2_000
#: Largest number of round-pairs simulated in one call (pairs x repetitions x longest match).
_MAX_WORK = 100_000_000


@dataclass(frozen=True)
class Strategy:
    """One strategy of the iterated prisoner's dilemma.

    Attributes
    ----------
    key : str
        Identifier, e.g. ``"tit_for_tat"``.
    label : str
        Name as shown to a reader, e.g. ``"Tit for Tat"``.
    rule : str
        What it does, in one sentence.
    nice : bool
        Never the first to defect (Axelrod's "nice").
    stochastic : bool
        Draws random numbers (results depend on the seed).
    """

    key: str
    label: str
    rule: str
    nice: bool
    stochastic: bool


_LIST = (
    Strategy("always_cooperate", "Always cooperate", "Cooperates every time, whatever the other does.", True, False),
    Strategy("always_defect", "Always defect", "Defects every time, whatever the other does.", False, False),
    Strategy("tit_for_tat", "Tit for Tat", "Cooperates first, then does what the other did last time.", True, False),
    Strategy(
        "grim_trigger", "Grim trigger", "Cooperates until the other defects once, then defects for ever.", True, False
    ),
    Strategy(
        "tit_for_two_tats",
        "Tit for Two Tats",
        "Cooperates unless the other defected in each of the last two rounds.",
        True,
        False,
    ),
    Strategy(
        "generous_tit_for_tat",
        "Generous Tit for Tat",
        "Tit for Tat that forgives a defection with probability g.",
        True,
        True,
    ),
    Strategy(
        "win_stay_lose_shift",
        "Win-stay, lose-shift (Pavlov)",
        "Cooperates first; then cooperates when both did the same last time, defects when they did not.",
        True,
        False,
    ),
    Strategy("random", "Random", "Cooperates with probability p, at random.", False, True),
)

#: The strategies, by key, in a fixed order.
STRATEGIES: dict[str, Strategy] = {s.key: s for s in _LIST}
_CODE = {key: j for j, key in enumerate(STRATEGIES)}


# --------------------------------------------------------------------------- checks
def _finite(name: str, x) -> float:
    require(is_number(x) and math.isfinite(float(x)), name, x, "be a finite number")
    return float(x)


def check_payoffs(T: float, R: float, P: float, S: float) -> tuple[float, float, float, float]:
    """Check that payoffs make a prisoner's dilemma; return them as floats.

    ``T > R > P > S`` (defecting pays more in one round, whatever the other
    does, yet both cooperating beats both defecting) and ``2R > T + S`` (taking
    turns at exploiting each other pays less than cooperating) [Axelrod1981]_.

    Parameters
    ----------
    T, R, P, S : float
        Temptation, reward, punishment and sucker's payoff per round (money).

    Examples
    --------
    >>> check_payoffs(5, 3, 1, 0)
    (5.0, 3.0, 1.0, 0.0)
    >>> check_payoffs(6, 3, 1, 0)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: payoffs (T, R, P, S) must satisfy 2R > T + S (cooperating beats taking turns at exploiting each other), got (6.0, 3.0, 1.0, 0.0)
    """
    t, r, p, s = (_finite(name, x) for name, x in (("T", T), ("R", R), ("P", P), ("S", S)))
    require(t > r > p > s, "payoffs (T, R, P, S)", (t, r, p, s), "satisfy T > R > P > S (a prisoner's dilemma)")
    require(
        2 * r > t + s,
        "payoffs (T, R, P, S)",
        (t, r, p, s),
        "satisfy 2R > T + S (cooperating beats taking turns at exploiting each other)",
    )
    return t, r, p, s


def generosity(T: float, R: float, P: float, S: float) -> float:
    """Nowak and Sigmund's forgiveness probability for Generous Tit for Tat (0 to 1).

    ``g = min(1 - (T - R) / (R - S), (R - P) / (T - P))``, cut at 0: the most
    forgiveness that still leaves defecting against it unprofitable [Nowak1992]_.

    Examples
    --------
    >>> round(generosity(5, 3, 1, 0), 4)
    0.3333
    """
    t, r, p, s = check_payoffs(T, R, P, S)
    return max(0.0, min(1 - (t - r) / (r - s), (r - p) / (t - p)))


def tft_threshold(T: float, R: float, P: float, S: float) -> float:
    """The continuation probability from which Tit for Tat is collectively stable (Axelrod's proposition 2).

    ``w >= max((T - R) / (T - P), (T - R) / (R - S))``: neither Always defect
    nor alternating defection and cooperation does better against Tit for Tat
    than Tit for Tat itself [Axelrod1981]_, [Axelrod1984]_ (ch. 3). The first
    term is the grim-trigger threshold of :func:`coopkit.frameworks.game.cooperation_threshold`.

    Returns
    -------
    float
        In (0, 1) for a prisoner's dilemma with ``2R > T + S``.

    Examples
    --------
    >>> round(tft_threshold(5, 3, 1, 0), 4)
    0.6667
    """
    t, r, p, s = check_payoffs(T, R, P, S)
    return max(game.cooperation_threshold(t, r, p, s), (t - r) / (r - s))


def continuation(meetings_per_year: float, survival: float = 1.0, discount_rate: float = 0.0) -> float:
    """The continuation probability per meeting, ``w = (q / (1 + r)) ** (1 / m)``.

    Parameters
    ----------
    meetings_per_year : float
        ``m``, meetings a year (> 0; 0.5 = one every two years).
    survival : float, default 1
        ``q``, the probability that the relationship lasts another year, in (0, 1].
    discount_rate : float, default 0
        ``r``, the yearly rate at which money a year later is worth less, 0 to 1.

    Returns
    -------
    float
        ``w`` in (0, 1]: the weight of the next meeting relative to this one
        (the chance it happens, times what its money is worth today).

    Examples
    --------
    >>> round(continuation(12, 0.9, 0.1), 4)
    0.9834
    >>> continuation(4)
    1.0
    """
    m = _finite("meetings_per_year", meetings_per_year)
    q = _finite("survival", survival)
    r = _finite("discount_rate", discount_rate)
    require(m > 0, "meetings_per_year", m, "be more than 0")
    require(0 < q <= 1, "survival", q, "be more than 0 and at most 1")
    require(0 <= r <= 1, "discount_rate", r, "be between 0 and 1")
    return (q / (1 + r)) ** (1 / m)


def meetings_needed(threshold: float, survival: float = 1.0, discount_rate: float = 0.0) -> float:
    """The fewest meetings a year for which the continuation probability reaches ``threshold``.

    Solves ``(q / (1 + r)) ** (1 / m) >= w*`` for ``m``:
    ``m* = ln(q / (1 + r)) / ln(w*)``. It is 0 when the relationship never ends
    and nothing is discounted (any frequency will do), and infinite when
    ``w* >= 1``.

    Parameters
    ----------
    threshold : float
        ``w*``, the continuation probability needed, 0 to 1.
    survival, discount_rate : float
        As in :func:`continuation`.

    Returns
    -------
    float
        Meetings a year.

    Examples
    --------
    >>> round(meetings_needed(0.5, 0.9, 0.1), 4)
    0.2895
    >>> continuation(meetings_needed(0.5, 0.9, 0.1), 0.9, 0.1)
    0.5
    """
    w = _finite("threshold", threshold)
    require(0 <= w <= 1, "threshold", w, "be between 0 and 1")
    q = _finite("survival", survival)
    r = _finite("discount_rate", discount_rate)
    require(0 < q <= 1, "survival", q, "be more than 0 and at most 1")
    require(0 <= r <= 1, "discount_rate", r, "be between 0 and 1")
    base = q / (1 + r)
    if base >= 1 or w <= 0:
        return 0.0
    if w >= 1:
        return math.inf
    return math.log(base) / math.log(w)


# --------------------------------------------------------------------------- the engine
@dataclass(frozen=True)
class _Rules:
    pay: np.ndarray  # [R, S, T, P]: payoff of (C,C), (C,D), (D,C), (D,D) to the first
    lengths: np.ndarray  # rounds of each repetition
    noise: float
    generosity: float
    p_random: float
    capped: float  # share of repetitions cut at MAX_ROUNDS


def _rules(
    T, R, P, S, rounds, continuation_probability, repetitions, noise, generosity_, p_random, seed, max_rounds
) -> tuple[_Rules, np.random.Generator]:
    t, r, p, s = check_payoffs(T, R, P, S)
    require(
        isinstance(max_rounds, (int, np.integer)) and 1 <= max_rounds <= MAX_ROUNDS,
        "max_rounds",
        max_rounds,
        f"be a whole number from 1 to {MAX_ROUNDS:,}",
    )
    require(
        isinstance(repetitions, (int, np.integer)) and 1 <= repetitions <= MAX_REPETITIONS,
        "repetitions",
        repetitions,
        f"be a whole number from 1 to {MAX_REPETITIONS:,}",
    )
    require(
        (rounds is None) != (continuation_probability is None),
        "rounds",
        rounds,
        "be given, or continuation_probability instead (one of the two)",
    )
    e = _finite("noise", noise)
    require(0 <= e <= 0.5, "noise", e, "be between 0 and 0.5")
    pr = _finite("p_random", p_random)
    require(0 <= pr <= 1, "p_random", pr, "be between 0 and 1")
    if generosity_ is None:
        g = generosity(t, r, p, s)
    else:
        g = _finite("generosity", generosity_)
        require(0 <= g <= 1, "generosity", g, "be between 0 and 1")
    require(isinstance(seed, (int, np.integer)) and seed >= 0, "seed", seed, "be a whole number >= 0")
    length_stream, play_stream = np.random.SeedSequence(int(seed)).spawn(2)
    if rounds is not None:
        require(
            isinstance(rounds, (int, np.integer)) and 1 <= rounds <= max_rounds,
            "rounds",
            rounds,
            f"be a whole number from 1 to {max_rounds:,}",
        )
        lengths = np.full(int(repetitions), int(rounds), dtype=np.int64)
        capped = 0.0
    else:
        w = _finite("continuation_probability", continuation_probability)
        require(0 <= w < 1, "continuation_probability", w, "be at least 0 and less than 1")
        if w == 0:
            drawn = np.ones(int(repetitions), dtype=np.int64)
        else:
            drawn = np.random.default_rng(length_stream).geometric(1 - w, size=int(repetitions)).astype(np.int64)
        capped = float(np.mean(drawn > max_rounds))
        lengths = np.minimum(drawn, int(max_rounds))
    rules = _Rules(np.array([r, s, t, p]), lengths, e, g, pr, capped)
    return rules, np.random.default_rng(play_stream)


def _decide(kind, my_last, opp_last, opp_prev, opp_defected, u, g, p_random) -> np.ndarray:
    """Each player's intended move (True = cooperate) from its strategy and the history so far."""
    c = _CODE
    return np.select(
        [
            kind == c["always_cooperate"],
            kind == c["always_defect"],
            kind == c["tit_for_tat"],
            kind == c["grim_trigger"],
            kind == c["tit_for_two_tats"],
            kind == c["generous_tit_for_tat"],
            kind == c["win_stay_lose_shift"],
        ],
        [
            True,
            False,
            opp_last,
            ~opp_defected,
            opp_last | opp_prev,
            opp_last | (u < g),
            my_last == opp_last,
        ],
        default=u < p_random,
    )


def _play(kinds: np.ndarray, lengths: np.ndarray, rules: _Rules, rng: np.random.Generator, record: bool = False):
    """Play a batch of matches at once: ``kinds`` (2, B) strategy codes, ``lengths`` (B,) rounds each.

    Returns the total payoffs (2, B), the number of cooperative moves (2, B)
    and, when ``record``, the moves (2, B, longest) (True = cooperate, False
    also after a match's end) and the payoffs of every round (NaN after a
    match's end); None otherwise.
    """
    B = kinds.shape[1]
    longest = int(lengths.max())
    # Histories start as if both had cooperated: every strategy then opens with its first move.
    last = np.ones((2, B), dtype=bool)
    prev = np.ones((2, B), dtype=bool)
    defected = np.zeros((2, B), dtype=bool)
    totals = np.zeros((2, B))
    cooperations = np.zeros((2, B))
    moves = np.zeros((2, B, longest), dtype=bool) if record else None
    paid = np.full((2, B, longest), np.nan) if record else None
    pay = rules.pay
    for t in range(longest):
        active = t < lengths
        u = rng.random((4, B))
        move = np.stack(
            [
                _decide(kinds[0], last[0], last[1], prev[1], defected[1], u[0], rules.generosity, rules.p_random),
                _decide(kinds[1], last[1], last[0], prev[0], defected[0], u[1], rules.generosity, rules.p_random),
            ]
        )
        move ^= u[2:] < rules.noise
        a_defects, b_defects = (~move).astype(np.int64)
        gets = np.stack([pay[2 * a_defects + b_defects], pay[2 * b_defects + a_defects]])
        totals += np.where(active, gets, 0.0)
        cooperations += move & active
        prev, last = last, move
        defected |= ~move
        if record:
            moves[:, :, t] = move & active
            paid[:, :, t] = np.where(active, gets, np.nan)
    return totals, cooperations, (moves, paid) if record else None


def _codes(strategies: Sequence[str], field: str) -> list[str]:
    if isinstance(strategies, str):
        strategies = [strategies]
    keys = list(strategies)
    for key in keys:
        if key not in STRATEGIES:
            raise InputError(field, key, f"be one of {', '.join(STRATEGIES)}")
    return keys


# --------------------------------------------------------------------------- a match
@dataclass(frozen=True, eq=False)
class Match:
    """The result of one pairing, played ``repetitions`` times.

    Attributes
    ----------
    players : (str, str)
        The two strategies' keys.
    totals : numpy.ndarray, shape (repetitions, 2)
        Each side's total payoff in each repetition (money).
    lengths : numpy.ndarray
        Rounds played in each repetition.
    moves : numpy.ndarray, shape (2, repetitions, longest)
        Every move, True = cooperate (False after a repetition's end).
    payoffs : numpy.ndarray, shape (2, repetitions, longest)
        Each side's payoff in every round (NaN after a repetition's end).
    cooperation : numpy.ndarray
        Each side's share of cooperative moves over all repetitions.
    """

    players: tuple[str, str]
    totals: np.ndarray
    lengths: np.ndarray
    moves: np.ndarray
    payoffs: np.ndarray
    cooperation: np.ndarray

    @property
    def first(self) -> np.ndarray:
        """The first repetition's moves, shape (2, its rounds), True = cooperate."""
        return self.moves[:, 0, : int(self.lengths[0])]

    def by_round(self) -> pd.DataFrame:
        """Average payoff of each side at each round, over the repetitions that reached it (money per round).

        Columns ``first``, ``second`` and ``reached`` (repetitions that
        played the round), one row per round from 1.

        Examples
        --------
        >>> play_match("tit_for_tat", "always_defect", rounds=3).by_round().values.tolist()
        [[0.0, 5.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
        """
        reached = (np.arange(self.moves.shape[2]) < self.lengths[:, None]).sum(axis=0)  # >= 1: the longest reps
        mean = np.nansum(self.payoffs, axis=1) / reached
        return pd.DataFrame(
            {"first": mean[0], "second": mean[1], "reached": reached},
            index=pd.RangeIndex(1, reached.size + 1, name="round"),
        )

    @property
    def per_round(self) -> np.ndarray:
        """Each side's average payoff per round over all repetitions (money per round).

        Examples
        --------
        >>> play_match("always_cooperate", "always_defect", rounds=4).per_round.tolist()
        [0.0, 5.0]
        """
        return self.totals.sum(axis=0) / self.lengths.sum()

    @property
    def mean_total(self) -> np.ndarray:
        """Each side's average total payoff per match (money).

        Examples
        --------
        >>> play_match("tit_for_tat", "tit_for_tat", rounds=4).mean_total.tolist()
        [12.0, 12.0]
        """
        return self.totals.mean(axis=0)


def play_match(
    first: str,
    second: str,
    *,
    T: float = 5.0,
    R: float = 3.0,
    P: float = 1.0,
    S: float = 0.0,
    rounds: int | None = None,
    continuation_probability: float | None = None,
    repetitions: int = 1,
    noise: float = 0.0,
    seed: int = 0,
    generosity: float | None = None,
    p_random: float = 0.5,
    max_rounds: int = MAX_ROUNDS,
) -> Match:
    """Play one strategy against another in the iterated prisoner's dilemma.

    Parameters
    ----------
    first, second : str
        Keys of :data:`STRATEGIES`.
    T, R, P, S : float
        Payoffs per round (money), a prisoner's dilemma (:func:`check_payoffs`);
        Axelrod's 5, 3, 1, 0 by default.
    rounds : int, optional
        Fixed length of the match, 1 to ``max_rounds``.
    continuation_probability : float, optional
        Instead of ``rounds``: after each round another follows with this
        probability, 0 to < 1 (geometric length, cut at ``max_rounds``).
    repetitions : int, default 1
        Times the match is played (with lengths drawn afresh when random).
    noise : float, default 0
        Probability that a move is flipped, 0 to 0.5.
    seed : int, default 0
        Seed of every random draw (lengths, stochastic strategies, noise).
    generosity : float, optional
        Generous Tit for Tat's forgiveness probability; default :func:`generosity`.
    p_random : float, default 0.5
        Random's probability of cooperating.
    max_rounds : int, default 2,000
        Longest match.

    Returns
    -------
    Match

    Examples
    --------
    Over 10 rounds, Tit for Tat loses the first round to Always defect, then
    both defect: 9 x 1 = 9 against 5 + 9 x 1 = 14.

    >>> m = play_match("tit_for_tat", "always_defect", rounds=10)
    >>> m.mean_total.tolist()
    [9.0, 14.0]
    >>> m.first[0, :3].tolist()
    [True, False, False]
    """
    a, b = _codes([first, second], "strategy")
    rules, rng = _rules(
        T, R, P, S, rounds, continuation_probability, repetitions, noise, generosity, p_random, seed, max_rounds
    )
    reps = rules.lengths.size
    kinds = np.array([[_CODE[a]] * reps, [_CODE[b]] * reps])
    totals, cooperations, (moves, paid) = _play(kinds, rules.lengths, rules, rng, record=True)
    return Match((a, b), totals.T.copy(), rules.lengths, moves, paid, cooperations.sum(axis=1) / rules.lengths.sum())


# --------------------------------------------------------------------------- a tournament
@dataclass(frozen=True, eq=False)
class TournamentResult:
    """A round-robin tournament's results.

    Attributes
    ----------
    strategies : tuple of str
        Keys of the strategies entered, in the order given.
    scores : pandas.DataFrame
        One row per strategy, best first: ``label``, ``score`` (average payoff
        per round over its matches), ``rank`` (1 = best; equal scores share a
        rank), ``cooperation`` (share of its moves that cooperated), ``wins``
        (opponents it out-scored head to head), ``nice``.
    matrix : pandas.DataFrame
        ``matrix.loc[i, j]``: average payoff per round of ``i`` against ``j``
        (rows and columns by key).
    cooperation : pandas.DataFrame
        ``cooperation.loc[i, j]``: share of ``i``'s moves against ``j`` that cooperated.
    lengths : numpy.ndarray
        Rounds of each repetition (the same for every pairing).
    capped : float
        Share of repetitions cut at ``max_rounds``.
    self_play : bool
        Whether each strategy also met a copy of itself.
    """

    strategies: tuple[str, ...]
    scores: pd.DataFrame
    matrix: pd.DataFrame
    cooperation: pd.DataFrame
    lengths: np.ndarray
    capped: float
    self_play: bool

    @property
    def winner(self) -> str:
        """Key of the strategy ranked first (the first listed among equals)."""
        return str(self.scores.index[0])

    @property
    def mean_length(self) -> float:
        """Average rounds per match.

        Examples
        --------
        >>> tournament(["tit_for_tat", "always_defect"], rounds=7).mean_length
        7.0
        """
        return float(self.lengths.mean())


def tournament(
    strategies: Sequence[str],
    *,
    T: float = 5.0,
    R: float = 3.0,
    P: float = 1.0,
    S: float = 0.0,
    rounds: int | None = None,
    continuation_probability: float | None = None,
    repetitions: int = 1,
    noise: float = 0.0,
    seed: int = 0,
    self_play: bool = True,
    generosity: float | None = None,
    p_random: float = 0.5,
    max_rounds: int = MAX_ROUNDS,
) -> TournamentResult:
    """A round-robin tournament: every strategy plays every other (and, with ``self_play``, a copy of itself).

    Parameters
    ----------
    strategies : sequence of str
        At least two distinct keys of :data:`STRATEGIES`.
    self_play : bool, default True
        Whether each strategy also meets a copy of itself, as in Axelrod's
        tournaments [Axelrod1984]_.
    T, R, P, S, rounds, continuation_probability, repetitions, noise, seed, generosity, p_random, max_rounds
        As in :func:`play_match`; the same seeded lengths serve every pairing.

    Returns
    -------
    TournamentResult

    Examples
    --------
    Over 200 rounds with Axelrod's payoffs, Always defect exploits Always
    cooperate enough to edge out Tit for Tat (1,404 against 1,399 in total):

    >>> t = tournament(["always_cooperate", "always_defect", "tit_for_tat"], rounds=200)
    >>> t.scores[["score", "rank"]].round(4).values.tolist()
    [[2.34, 1.0], [2.3317, 2.0], [2.0, 3.0]]
    >>> t.winner
    'always_defect'
    """
    keys = _codes(strategies, "strategies")
    require(len(keys) >= 2, "strategies", keys, "list at least two strategies")
    require(len(set(keys)) == len(keys), "strategies", keys, "list each strategy once")
    rules, rng = _rules(
        T, R, P, S, rounds, continuation_probability, repetitions, noise, generosity, p_random, seed, max_rounds
    )
    k, reps = len(keys), rules.lengths.size
    pairs = [(i, j) for i in range(k) for j in range(i, k) if i != j or self_play]
    require(
        len(pairs) * reps * int(rules.lengths.max()) <= _MAX_WORK,
        "repetitions",
        reps,
        f"be fewer: {len(pairs)} pairings x {reps} repetitions x up to {int(rules.lengths.max())} rounds "
        f"is more than {_MAX_WORK:,} rounds to play",
    )
    codes = np.array([_CODE[key] for key in keys])
    kinds = np.array([np.repeat(codes[[i for i, _ in pairs]], reps), np.repeat(codes[[j for _, j in pairs]], reps)])
    lengths = np.tile(rules.lengths, len(pairs))
    totals, cooperations, _ = _play(kinds, lengths, rules, rng)
    rounds_played = float(rules.lengths.sum())
    totals = totals.reshape(2, len(pairs), reps).sum(axis=2) / rounds_played
    coop = cooperations.reshape(2, len(pairs), reps).sum(axis=2) / rounds_played
    matrix = np.full((k, k), np.nan)
    coop_matrix = np.full((k, k), np.nan)
    for n, (i, j) in enumerate(pairs):
        if i == j:  # a strategy against a copy of itself: both sides are that strategy
            matrix[i, i] = totals[:, n].mean()
            coop_matrix[i, i] = coop[:, n].mean()
        else:
            matrix[i, j], matrix[j, i] = totals[0, n], totals[1, n]
            coop_matrix[i, j], coop_matrix[j, i] = coop[0, n], coop[1, n]
    score = np.nanmean(matrix, axis=1)
    cooperation = np.nanmean(coop_matrix, axis=1)
    off = ~np.eye(k, dtype=bool)
    scale = max(1.0, float(np.abs(rules.pay).max()))
    wins = ((matrix > matrix.T + 1e-9 * scale) & off).sum(axis=1)
    table = pd.DataFrame(
        {
            "label": [STRATEGIES[key].label for key in keys],
            "score": score,
            "cooperation": cooperation,
            "wins": wins,
            "nice": [STRATEGIES[key].nice for key in keys],
            "order": np.arange(k),
        },
        index=pd.Index(keys, name="strategy"),
    )
    rounded = table["score"].round(9)
    table["rank"] = rounded.rank(method="min", ascending=False).astype(float)
    table = table.assign(_key=-rounded).sort_values(["_key", "order"]).drop(columns=["_key", "order"])
    table = table[["label", "score", "rank", "cooperation", "wins", "nice"]]
    index = pd.Index(keys, name="strategy")
    return TournamentResult(
        tuple(keys),
        table,
        pd.DataFrame(matrix, index=index, columns=index),
        pd.DataFrame(coop_matrix, index=index, columns=index),
        rules.lengths,
        rules.capped,
        bool(self_play),
    )
