"""The win-win check: does every party end up better off, and what split is fair?

A coopetition deal is worth doing only if every party ends up better off than
with its best alternative outside the deal: its *stand-alone payoff*, the
``d_i`` of bargaining theory and the BATNA of negotiation practice
[Fisher1981]_. The deal creates a *surplus* when the parties together earn
more than apart, ``surplus = V - sum(d)``, with ``V`` the partnership value
(the whole pie). How that pie is split decides whether each party gains.

The split rules compared (each gives shares ``x_i`` with ``sum(x) = V``):

``equal``
    ``x_i = V / n``: the naive split of the whole pie. Ignores what each party
    would earn anyway, so it can leave a strong party worse off.
``proportional``
    ``x_i = V c_i / sum(c)``, in proportion to what each party brings
    (its contribution ``c_i``).
``nash``
    ``x_i = d_i + w_i / sum(w) (V - sum(d))``: the (generalised) Nash
    bargaining solution with bargaining power ``w`` [Nash1950]_, [Kalai1977]_.
``shapley``
    ``x_i = d_i + surplus * psi_i``, with ``psi`` the Shapley value of the
    *synergy profile* ``g`` [Shapley1953]_ (see below).
``explicit``
    ``x_i = V s_i`` for shares ``s`` the parties have agreed.
``given``
    ``x_i = a_i``: amounts an option's own rule has worked out (they add up
    to ``V`` and may be negative: a party that pays in). In a Monte Carlo,
    each draw's difference from the most likely ``V`` is shared equally.

The partnership game. A coalition ``S`` of parties earns
``v(S) = sum_{i in S} d_i + surplus * g(S)``: its members' stand-alone
payoffs plus the fraction ``g(S)`` of the joint surplus it could create
without the others, with ``g = 0`` for a single party and ``g(N) = 1``. When
the sub-coalitions are not given, coopkit assumes *pooling*: a group of two or
more creates ``g(S) = (c_S / c_N) ** r`` of the surplus, ``c_S`` being what
its members bring and ``r >= 1`` the returns to pooling (``r = 1``: in
proportion to the resources pooled; larger: only large groups create much).
This is coopkit's modelling assumption, stated in every result, not a law;
give ``synergy`` explicitly when you know better. From this game come each
party's *added value* ``v(N) - v(N \\ {i})`` [Brandenburger1996]_ and the *core*
check of the split [Gillies1959]_: a group that would earn more on its own
than the split gives it will walk away.

After the split, each party's expected losses from the deal (reputation
risk, disclosure risk; a *risk adjustment* ``r_i >= 0``) are subtracted, so a
deal can be win-win on paper and not after risk. The balance of a deal is its
smallest gain over its largest [Brandenburger1996]_ (ch. 9, on fairness and
lasting partnerships); a balance under 0.5 is flagged as lopsided.

Uncertain inputs are three-point ranges (:class:`~coopkit.frameworks.uncertainty.Range`),
drawn independently from beta-PERT distributions in a seeded Monte Carlo
[Vose2008]_; ``P(win-win)`` is the share of draws in which every party gains.
The tornado table swings one input at a time from low to high, the others at
their most likely value, and ranks inputs by the change in the smallest gain
(the *win-win margin*) [Eschenbach1992]_.

References
----------
.. [Fisher1981] Fisher, R. and Ury, W. (1981). *Getting to Yes*. Houghton Mifflin (BATNA).
.. [Nash1950] Nash, J. F. (1950). "The bargaining problem". *Econometrica* 18(2), 155-162.
.. [Kalai1977] Kalai, E. (1977). "Nonsymmetric Nash solutions and replications
   of 2-person bargaining". *Int. J. Game Theory* 6, 129-133.
.. [Shapley1953] Shapley, L. S. (1953). "A value for n-person games". *Annals
   of Mathematics Studies* 28, 307-317.
.. [Brandenburger1996] Brandenburger, A. M. and Nalebuff, B. J. (1996). *Co-opetition*. Doubleday.
.. [Gillies1959] Gillies, D. B. (1959). "Solutions to general non-zero-sum
   games". *Contributions to the Theory of Games IV*, 47-85.
.. [Vose2008] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed. Wiley.
.. [Eschenbach1992] Eschenbach, T. G. (1992). "Spiderplots versus tornado
   diagrams for sensitivity analysis". *Interfaces* 22(6), 40-46.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopkit.errors import InputError, require
from coopkit.frameworks import game
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import Estimate, Range, as_range, draw

__all__ = [
    "SPLIT_RULES",
    "WinWinResult",
    "MonteCarlo",
    "check",
    "split",
    "pooling_synergy",
    "partnership_game",
]

#: Split rules, in the order the comparison table shows them.
SPLIT_RULES = ("shapley", "nash", "proportional", "equal", "explicit", "given")
#: Most parties the check accepts (the synergy profile is enumerated exactly).
MAX_PARTIES = 20
_MONEY_TOL = 1e-9


# --------------------------------------------------------------------------- the game
def pooling_synergy(contribution: Sequence[float], returns_to_pooling: float = 1.0) -> Callable:
    """coopkit's default synergy profile: groups create surplus by pooling what they bring.

    Returns ``g(S) = (c_S / c_N) ** returns_to_pooling`` for groups of two or
    more, 0 for a single party, as a vectorised function of a boolean
    membership matrix (rows = coalitions, columns = parties).

    Parameters
    ----------
    contribution : sequence of float
        What each party brings, >= 0, any one unit (money, capacity, points).
    returns_to_pooling : float, default 1.0
        Exponent ``r >= 1``.

    Examples
    --------
    >>> g = pooling_synergy([1, 1, 2])
    >>> g(np.array([[True, False, False], [True, True, False], [True, True, True]])).tolist()
    [0.0, 0.5, 1.0]
    """
    c = np.asarray(contribution, dtype=float)
    total = c.sum()
    require(total > 0, "contribution", c.tolist(), "add up to more than 0")

    def synergy(members: np.ndarray) -> np.ndarray:
        pooled = (members.astype(float) @ c) / total
        return np.where(members.sum(axis=-1) >= 2, pooled**returns_to_pooling, 0.0)

    return synergy


def _synergy_profile(parties: tuple, synergy, contribution: np.ndarray, returns_to_pooling: float) -> np.ndarray:
    """g(S) for every coalition mask, checked to be in [0, 1] with g(single) = 0, g(N) = 1."""
    n = len(parties)
    if synergy is None:
        return game.coalition_values(parties, pooling_synergy(contribution, returns_to_pooling), vectorized=True)
    if isinstance(synergy, Mapping):
        table = dict(game._normalise_mapping(parties, synergy))
        grand = frozenset(parties)
        for p in parties:
            table.setdefault(frozenset([p]), 0.0)
        table.setdefault(grand, 1.0)
        synergy = table
    g = game.coalition_values(parties, synergy)
    singles = [1 << j for j in range(n)]
    for j, mask in enumerate(singles):
        require(
            abs(g[mask]) <= _MONEY_TOL,
            f"synergy[{parties[j]}]",
            float(g[mask]),
            "be 0 for a single party (it earns its stand-alone payoff)",
        )
    require(
        abs(g[-1] - 1.0) <= 1e-9,
        "synergy[all parties]",
        float(g[-1]),
        "be 1 (all parties together create the whole surplus)",
    )
    bad = np.flatnonzero((g < -1e-12) | (g > 1 + 1e-12))
    if bad.size:
        mask = int(bad[0])
        members = [str(parties[j]) for j in range(n) if mask >> j & 1]
        raise InputError(f"synergy{members}", float(g[mask]), "be a fraction of the joint surplus between 0 and 1")
    return g


def partnership_game(
    standalone_payoff: Sequence[float], partnership_value: float, synergy_profile: np.ndarray
) -> Callable:
    """The partnership as a cooperative game, ``v(S) = d_S + surplus * g(S)``, vectorised.

    Parameters
    ----------
    standalone_payoff : sequence of float
        Each party's stand-alone payoff, money per year.
    partnership_value : float
        Value of all parties together, money per year.
    synergy_profile : numpy.ndarray
        ``g`` for every coalition bit mask (see :func:`game.coalition_values`).

    Returns
    -------
    callable
        ``v(members)`` on a boolean membership matrix, for ``game.*(..., vectorized=True)``.

    Examples
    --------
    >>> v = partnership_game([10, 20], 50, np.array([0.0, 0.0, 0.0, 1.0]))
    >>> v(np.array([[True, False], [True, True]])).tolist()
    [10.0, 50.0]
    """
    d = np.asarray(standalone_payoff, dtype=float)
    surplus = float(partnership_value) - d.sum()
    n = d.size
    weights = 1 << np.arange(n, dtype=np.int64)

    def value(members: np.ndarray) -> np.ndarray:
        masks = members.astype(np.int64) @ weights
        return members.astype(float) @ d + surplus * synergy_profile[masks]

    return value


# --------------------------------------------------------------------------- splits
def split(
    rule: str,
    standalone_payoff: np.ndarray,
    partnership_value: np.ndarray | float,
    *,
    contribution: np.ndarray,
    bargaining_power: np.ndarray,
    synergy_shapley: np.ndarray,
    shares: np.ndarray | None = None,
    amounts: np.ndarray | None = None,
) -> np.ndarray:
    """Each party's share of the partnership value under one split rule, vectorised.

    Parameters
    ----------
    rule : {"shapley", "nash", "proportional", "equal", "explicit", "given"}
        See the module docstring for the formulas.
    standalone_payoff : numpy.ndarray, shape (..., n)
        Stand-alone payoffs, money per year (one row per Monte Carlo draw).
    partnership_value : numpy.ndarray or float, shape (...)
        Value of all parties together, money per year.
    contribution, bargaining_power, synergy_shapley : numpy.ndarray, shape (n,)
        What each party brings; bargaining weights; Shapley value of the
        synergy profile (sums to 1).
    shares : numpy.ndarray, shape (n,), optional
        Agreed shares for ``"explicit"``.
    amounts : numpy.ndarray, shape (n,), optional
        Given amounts for ``"given"`` (adding up to the most likely partnership value).

    Returns
    -------
    numpy.ndarray, shape (..., n)
        Shares of the partnership value, money per year; they add up to it.

    Examples
    --------
    >>> d = np.array([20.0, 40.0])
    >>> kw = dict(contribution=np.array([1.0, 3.0]), bargaining_power=np.ones(2),
    ...           synergy_shapley=np.array([0.5, 0.5]))
    >>> [split(r, d, 100.0, **kw).tolist() for r in ("nash", "equal", "proportional")]
    [[40.0, 60.0], [50.0, 50.0], [25.0, 75.0]]
    """
    d = np.asarray(standalone_payoff, dtype=float)
    total = np.asarray(partnership_value, dtype=float)[..., None]
    surplus = total - d.sum(axis=-1, keepdims=True)
    n = d.shape[-1]
    if rule == "equal":
        return np.broadcast_to(total / n, d.shape).copy()
    if rule == "proportional":
        return total * (contribution / contribution.sum())
    if rule == "nash":
        return d + surplus * (bargaining_power / bargaining_power.sum())
    if rule == "shapley":
        return d + surplus * synergy_shapley
    if rule == "explicit":
        require(shares is not None, "shares", None, "be given for the explicit split")
        return total * shares
    if rule == "given":
        require(amounts is not None, "amounts", None, "be given for the given split")
        return amounts + (total - amounts.sum()) / n
    raise InputError("split", rule, f"be one of {', '.join(SPLIT_RULES)}")


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class MonteCarlo:
    """What the Monte Carlo over the input ranges found.

    Attributes
    ----------
    draws : int
        Number of scenarios drawn.
    seed : int
        Seed of the generator, so the run can be repeated.
    p_win_win : float
        Share of scenarios in which every party gains (after risk), in [0, 1].
    p_gain : numpy.ndarray
        For each party, the share of scenarios in which it gains.
    gain_percentiles : pandas.DataFrame
        5th, 50th and 95th percentile of each party's gain, money per year.
    margin : numpy.ndarray
        The win-win margin (smallest gain) of every scenario, for a histogram.
    p_win_win_by_rule : dict
        P(win-win) under each split rule compared.
    """

    draws: int
    seed: int
    p_win_win: float
    p_gain: np.ndarray
    gain_percentiles: pd.DataFrame
    margin: np.ndarray
    p_win_win_by_rule: dict


@dataclass(frozen=True, eq=False)
class WinWinResult:
    """The outcome of :func:`check`. Money is per year, in the case's currency.

    Attributes
    ----------
    parties : tuple of str
    split_rule : str
    standalone_payoff : numpy.ndarray
        Each party's payoff without the deal (most likely value).
    partnership_value : float
        Value of all parties together (most likely value).
    surplus : float
        ``partnership_value - sum(standalone_payoff)``.
    share : numpy.ndarray
        Each party's share of the partnership value under the split rule.
    risk_adjustment : numpy.ndarray
        Expected loss each party bears because of the deal.
    payoff_with : numpy.ndarray
        ``share - risk_adjustment``: each party's payoff with the deal.
    gain : numpy.ndarray
        ``payoff_with - standalone_payoff``.
    win_win : bool
        Every party strictly better off after risk.
    win_win_on_paper : bool
        Every party strictly better off before risk.
    balance : float
        Smallest gain over largest gain (1 = perfectly even; negative when a
        party loses; 0 when nobody gains).
    lopsided : bool
        Win-win, but the balance is under the lopsided threshold.
    added_value : numpy.ndarray
        ``v(N) - v(N minus i)`` for each party.
    in_core : bool
        No group of parties would earn more on its own than the split gives it.
    blocking : frozenset or None
        The group that would do better on its own, when there is one.
    blocking_value : float or None
        What that group would earn on its own, money per year.
    splits : pandas.DataFrame
        Each rule's shares (columns = parties) and its win-win verdict.
    findings : list of Finding
        Plain-language sentences explaining the result, each with a level
        (good, caution, bad, info).
    monte_carlo : MonteCarlo or None
        Present when any input is a range.
    tornado : pandas.DataFrame or None
        Inputs ranked by how far they swing the win-win margin: columns
        input, label, low, high, margin_at_low, margin_at_high, swing.
    assumptions : list of str
        Modelling assumptions the result rests on.
    """

    parties: tuple
    split_rule: str
    standalone_payoff: np.ndarray
    partnership_value: float
    surplus: float
    share: np.ndarray
    risk_adjustment: np.ndarray
    payoff_with: np.ndarray
    gain: np.ndarray
    win_win: bool
    win_win_on_paper: bool
    balance: float
    lopsided: bool
    added_value: np.ndarray
    in_core: bool
    blocking: frozenset | None
    blocking_value: float | None
    splits: pd.DataFrame
    findings: list = field(default_factory=list)
    monte_carlo: MonteCarlo | None = None
    tornado: pd.DataFrame | None = None
    assumptions: list = field(default_factory=list)

    @property
    def margin(self) -> float:
        """The win-win margin: the smallest party's gain (positive = win-win)."""
        return float(self.gain.min())

    def table(self) -> pd.DataFrame:
        """Per-party figures: stand-alone, share, risk, with deal, gain, added value.

        Examples
        --------
        >>> r = check(["A", "B"], [20, 40], 100, split_rule="nash")
        >>> float(r.table().loc["B", "gain"])
        20.0
        """
        return pd.DataFrame(
            {
                "standalone": self.standalone_payoff,
                "share": self.share,
                "risk": self.risk_adjustment,
                "with_deal": self.payoff_with,
                "gain": self.gain,
                "added_value": self.added_value,
            },
            index=pd.Index(self.parties, name="party"),
        )

    def report(self, decimals: int = 2) -> str:
        """A fixed-format text report (stable across runs, for notebooks and nbval).

        Examples
        --------
        >>> print(check(["A", "B"], [20, 40], 100, split_rule="nash").report(0).splitlines()[0])
        Verdict: WIN-WIN (split: nash)
        """
        fmt = f"{{:,.{decimals}f}}".format
        lines = [
            f"Verdict: {self.verdict_label().upper()} (split: {self.split_rule})",
            f"Partnership value {fmt(self.partnership_value)}; stand-alone total "
            f"{fmt(float(self.standalone_payoff.sum()))}; surplus {fmt(self.surplus)}",
            "",
            self.table().to_string(float_format=fmt),
            "",
            f"Balance (smallest gain / largest gain): {self.balance:.3f}",
            f"In the core: {'yes' if self.in_core else 'no'}",
        ]
        if self.monte_carlo is not None:
            mc = self.monte_carlo
            lines.append(f"P(win-win) over {mc.draws:,} draws (seed {mc.seed}): {mc.p_win_win:.3f}")
        lines += ["", "Findings:"] + [f"- {f.text}" for f in self.findings]
        return "\n".join(lines)

    def verdict_label(self) -> str:
        """One of "win-win", "win-win but lopsided", "win-win on paper only", "not win-win"."""
        if self.win_win:
            return "win-win but lopsided" if self.lopsided else "win-win"
        if self.win_win_on_paper:
            return "win-win on paper only"
        return "not win-win"


# --------------------------------------------------------------------------- validation helpers
def _vector(values, n: int, name: str, parties: tuple, *, default: float | None = None) -> np.ndarray:
    if values is None:
        require(default is not None, name, None, "be given")
        return np.full(n, float(default))
    if isinstance(values, Mapping):
        missing = [p for p in parties if p not in values]
        require(not missing, name, missing, "give a value for every party")
        values = [values[p] for p in parties]
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(name, values, "be numbers") from None
    require(arr.shape == (n,), name, arr.tolist() if arr.ndim else values, f"give one number per party ({n})")
    for j, x in enumerate(arr):
        require(math.isfinite(x), f"{name}[{parties[j]}]", float(x), "be a finite number")
    return arr


def _estimates(values, n: int, name: str, parties: tuple, *, minimum: float | None = None) -> list[Range]:
    if isinstance(values, Mapping):
        missing = [p for p in parties if p not in values]
        require(not missing, name, missing, "give a value for every party")
        values = [values[p] for p in parties]
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        raise InputError(name, values, f"be a list with one value per party ({n})")
    require(len(values) == n, name, list(values), f"give one value per party ({n})")
    out = [as_range(v, f"{name}[{parties[j]}]") for j, v in enumerate(values)]
    if minimum is not None:
        for r in out:
            require(r.low >= minimum, r.field, r.low, f"be at least {minimum:g}")
    return out


# --------------------------------------------------------------------------- the check
def check(
    parties: Sequence[Hashable],
    standalone_payoff,
    partnership_value: Estimate,
    *,
    split_rule: str = "shapley",
    contribution=None,
    bargaining_power=None,
    shares=None,
    amounts=None,
    risk_adjustment=None,
    synergy: Callable | Mapping | None = None,
    returns_to_pooling: float = 1.0,
    lopsided_below: float = 0.5,
    draws: int = 100_000,
    seed: int = 0,
) -> WinWinResult:
    """Check whether a partnership leaves every party better off, and how to split it.

    Parameters
    ----------
    parties : sequence of str
        Party names, 2 to 20, distinct.
    standalone_payoff : sequence or mapping of float or Range
        Each party's payoff without the deal (its best alternative), money per year.
    partnership_value : float or Range
        What all parties earn together with the deal (the whole pie), money per year.
    split_rule : {"shapley", "nash", "proportional", "equal", "explicit", "given"}, default "shapley"
        How the partnership value is split (see the module docstring).
    contribution : sequence of float, optional
        What each party brings, >= 0 (any one unit); default equal. Used by the
        proportional split and the pooling game.
    bargaining_power : sequence of float, optional
        Nash bargaining weights, > 0; default equal.
    shares : sequence of float, optional
        Agreed shares in [0, 1] adding up to 1; required for ``"explicit"``.
    amounts : sequence of float, optional
        Amounts per party adding up to the (most likely) partnership value; required for ``"given"``.
    risk_adjustment : sequence of float or Range, optional
        Each party's expected loss from the deal, >= 0, money per year; default 0.
    synergy : callable or mapping, optional
        Fraction of the joint surplus each group of parties creates without
        the others, in [0, 1] (single parties 0, all parties 1). Default:
        :func:`pooling_synergy`.
    returns_to_pooling : float, default 1.0
        Exponent of the default pooling game, between 1 and 5.
    lopsided_below : float, default 0.5
        A win-win deal whose balance is under this is flagged as lopsided.
    draws : int, default 100_000
        Monte Carlo scenarios when any input is a range (1,000 to 5,000,000).
    seed : int, default 0
        Seed of the Monte Carlo, >= 0.

    Returns
    -------
    WinWinResult

    Examples
    --------
    Two firms earn 20 and 40 alone and 100 together; the Nash split gives each
    its stand-alone payoff plus half the surplus of 40:

    >>> r = check(["A", "B"], [20, 40], 100, split_rule="nash")
    >>> r.share.tolist(), r.gain.tolist(), r.win_win
    ([40.0, 60.0], [20.0, 20.0], True)

    An equal split of the pie leaves the stronger firm worse off:

    >>> check(["A", "B"], [20, 60], 100, split_rule="equal").verdict_label()
    'not win-win'

    With ranges, the Monte Carlo gives P(win-win):

    >>> r = check(["A", "B"], [20, 40], Range(50, 100, 130), split_rule="equal", draws=10_000)
    >>> 0 < r.monte_carlo.p_win_win < 1
    True
    """
    # ---- validate
    names = game._check_players(parties, "parties")
    n = len(names)
    require(2 <= n <= MAX_PARTIES, "parties", n, f"number between 2 and {MAX_PARTIES}")
    labels = tuple(str(p) for p in names)
    require(len(set(labels)) == n, "parties", labels, "have distinct names")
    reserved = sorted(set(labels) & {"win_win", "balance"})
    require(
        not reserved, "parties", reserved[0] if reserved else None, "not be named win_win or balance (column names)"
    )
    require(split_rule in SPLIT_RULES, "split_rule", split_rule, f"be one of {', '.join(SPLIT_RULES)}")
    d_est = _estimates(standalone_payoff, n, "standalone_payoff", labels)
    v_est = as_range(partnership_value, "partnership_value")
    r_est = _estimates(
        [0.0] * n if risk_adjustment is None else risk_adjustment, n, "risk_adjustment", labels, minimum=0.0
    )
    c = _vector(contribution, n, "contribution", labels, default=1.0)
    for j, x in enumerate(c):
        require(x >= 0, f"contribution[{labels[j]}]", float(x), "be at least 0")
    require(c.sum() > 0, "contribution", c.tolist(), "add up to more than 0")
    w = _vector(bargaining_power, n, "bargaining_power", labels, default=1.0)
    for j, x in enumerate(w):
        require(x > 0, f"bargaining_power[{labels[j]}]", float(x), "be greater than 0")
    s = None
    if shares is not None or split_rule == "explicit":
        require(shares is not None, "shares", None, "be given when split_rule is 'explicit'")
        s = _vector(shares, n, "shares", labels)
        for j, x in enumerate(s):
            require(0 <= x <= 1, f"shares[{labels[j]}]", float(x), "be between 0 and 1")
        require(
            abs(s.sum() - 1) <= 1e-6,
            "shares",
            [round(float(x), 6) for x in s],
            f"add up to 1 (they add up to {s.sum():.4g})",
        )
    a = None
    if amounts is not None or split_rule == "given":
        require(amounts is not None, "amounts", None, "be given when split_rule is 'given'")
        a = _vector(amounts, n, "amounts", labels)
        require(bool(np.all(np.isfinite(a))), "amounts", a.tolist(), "be finite amounts of money")
        v_likely = float(v_est.likely)
        require(
            abs(a.sum() - v_likely) <= 1e-6 * max(1.0, abs(v_likely)),
            "amounts",
            [round(float(x), 2) for x in a],
            f"add up to the partnership value {v_likely:,.2f} (they add up to {a.sum():,.2f})",
        )
    require(
        isinstance(returns_to_pooling, (int, float)) and 1 <= returns_to_pooling <= 5,
        "returns_to_pooling",
        returns_to_pooling,
        "be between 1 and 5",
    )
    require(
        isinstance(lopsided_below, (int, float)) and 0 < lopsided_below < 1,
        "lopsided_below",
        lopsided_below,
        "be between 0 and 1 (exclusive)",
    )
    require(
        isinstance(draws, (int, np.integer)) and 1_000 <= draws <= 5_000_000,
        "draws",
        draws,
        "be a whole number between 1,000 and 5,000,000",
    )
    require(isinstance(seed, (int, np.integer)) and seed >= 0, "seed", seed, "be a whole number >= 0")

    # ---- the game on paper (most likely values)
    g = _synergy_profile(names, synergy, c, float(returns_to_pooling))
    psi = game.shapley(
        labels, lambda m: g[m.astype(np.int64) @ (1 << np.arange(n, dtype=np.int64))], vectorized=True
    ).amounts
    d = np.array([r.likely for r in d_est], dtype=float)
    v_total = float(v_est.likely)
    risk = np.array([r.likely for r in r_est], dtype=float)
    kw = dict(contribution=c, bargaining_power=w, synergy_shapley=psi, shares=s, amounts=a)

    share = split(split_rule, d, v_total, **kw)
    payoff_with = share - risk
    gain = payoff_with - d
    paper_gain = share - d
    win_win = bool((gain > _MONEY_TOL).all())
    win_win_on_paper = bool((paper_gain > _MONEY_TOL).all())
    balance = _balance(gain)
    lopsided = win_win and balance < lopsided_below

    value = partnership_game(d, v_total, g)
    av = np.array(list(game.added_value(labels, value, vectorized=True).values()))
    blocking = game.blocking_coalition(labels, value, share, tol=1e-6 * max(1.0, abs(v_total)), vectorized=True)
    core = game.in_core(labels, value, share, tol=1e-6 * max(1.0, abs(v_total)), vectorized=True)
    blocking_value = None
    if blocking is not None:
        blocking_value = float(value(np.array([[p in blocking for p in labels]]))[0])

    rules = [r for r in SPLIT_RULES if (r != "explicit" or s is not None) and (r != "given" or a is not None)]
    rows = {}
    for rule in rules:
        x = split(rule, d, v_total, **kw)
        rule_gain = x - risk - d
        rows[rule] = list(x) + [bool((rule_gain > _MONEY_TOL).all()), _balance(rule_gain)]
    splits = pd.DataFrame.from_dict(rows, orient="index", columns=list(labels) + ["win_win", "balance"])
    splits.index.name = "rule"

    # ---- uncertainty
    uncertain = [e for e in (*d_est, v_est, *r_est) if not e.is_point]
    mc = tornado = None
    if uncertain:
        mc = _monte_carlo(rules, split_rule, d_est, v_est, r_est, kw, int(draws), int(seed), labels)
        tornado = _tornado(split_rule, d_est, v_est, r_est, kw)

    assumptions = [
        "Figures on paper use the most likely value of every input.",
        (
            "Sub-groups of parties create surplus by pooling what they bring: a group creates "
            f"(its share of all contributions)^{returns_to_pooling:g} of the joint surplus; a single party earns "
            "only its stand-alone payoff."
            if synergy is None
            else "Sub-groups of parties create the fractions of the joint surplus given in the synergy table."
        ),
    ]
    if uncertain:
        assumptions.append("Ranges are independent beta-PERT distributions (no correlation between inputs).")

    result = WinWinResult(
        parties=labels,
        split_rule=split_rule,
        standalone_payoff=d,
        partnership_value=v_total,
        surplus=float(v_total - d.sum()),
        share=share,
        risk_adjustment=risk,
        payoff_with=payoff_with,
        gain=gain,
        win_win=win_win,
        win_win_on_paper=win_win_on_paper,
        balance=balance,
        lopsided=lopsided,
        added_value=av,
        in_core=core,
        blocking=blocking,
        blocking_value=blocking_value,
        splits=splits,
        monte_carlo=mc,
        tornado=tornado,
        assumptions=assumptions,
    )
    result.findings.extend(_findings(result, share, lopsided_below))
    return result


def _balance(gain: np.ndarray) -> float:
    top = float(gain.max())
    if top <= _MONEY_TOL:
        return 0.0
    return float(gain.min() / top)


def _monte_carlo(rules, split_rule, d_est, v_est, r_est, kw, draws, seed, labels) -> MonteCarlo:
    # One independent stream per input, so giving one input a range leaves the others' draws unchanged.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2 * len(d_est) + 1)]
    n = len(d_est)
    d = np.column_stack([draw(e, draws, streams[j]) for j, e in enumerate(d_est)])
    v = draw(v_est, draws, streams[n])
    r = np.column_stack([draw(e, draws, streams[n + 1 + j]) for j, e in enumerate(r_est)])
    by_rule = {}
    for rule in rules:
        gain = split(rule, d, v, **kw) - r - d
        wins = (gain > _MONEY_TOL).all(axis=1)
        by_rule[rule] = float(wins.mean())
        if rule == split_rule:
            chosen_gain, chosen_wins = gain, wins
    pct = np.percentile(chosen_gain, [5, 50, 95], axis=0)
    table = pd.DataFrame(pct.T, index=pd.Index(labels, name="party"), columns=["p5", "p50", "p95"])
    return MonteCarlo(
        draws=draws,
        seed=seed,
        p_win_win=float(chosen_wins.mean()),
        p_gain=(chosen_gain > _MONEY_TOL).mean(axis=0),
        gain_percentiles=table,
        margin=chosen_gain.min(axis=1),
        p_win_win_by_rule=by_rule,
    )


def _tornado(split_rule, d_est, v_est, r_est, kw) -> pd.DataFrame:
    """Swing each ranged input from low to high, others at their most likely value."""
    estimates = [*d_est, v_est, *r_est]
    n = len(d_est)
    base = np.array([e.likely for e in estimates], dtype=float)
    rows = []
    for k, e in enumerate(estimates):
        if e.is_point:
            continue
        trial = np.tile(base, (2, 1))
        trial[0, k], trial[1, k] = e.low, e.high
        d, v, r = trial[:, :n], trial[:, n], trial[:, n + 1 :]
        margin = (split(split_rule, d, v, **kw) - r - d).min(axis=1)
        rows.append(
            (
                e.field,
                _label(e.field),
                float(e.low),
                float(e.high),
                float(margin[0]),
                float(margin[1]),
                float(abs(margin[1] - margin[0])),
            )
        )
    table = pd.DataFrame(rows, columns=["input", "label", "low", "high", "margin_at_low", "margin_at_high", "swing"])
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


_INPUT_LABELS = {
    "partnership_value": "partnership value",
    "standalone_payoff": "stand-alone payoff of {}",
    "risk_adjustment": "expected loss of {}",
}


def _label(field_name: str) -> str:
    """Plain label of an input field, e.g. "risk_adjustment[B]" -> "expected loss of B"."""
    base, _, rest = field_name.partition("[")
    template = _INPUT_LABELS.get(base, base)
    return template.format(rest[:-1]) if rest else template


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _money(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}".rstrip("0").rstrip(".")


def _findings(r: WinWinResult, share: np.ndarray, lopsided_below: float) -> list[Finding]:
    out: list[Finding] = []
    names = r.parties
    apart = _money(float(r.standalone_payoff.sum()))
    if r.surplus < -_MONEY_TOL:
        out.append(
            Finding(
                "bad",
                f"The partnership destroys value: together the parties earn {_money(r.partnership_value)}, "
                f"{_money(-r.surplus)} less than the {apart} they earn apart. No split can make it win-win.",
            )
        )
    elif r.surplus <= _MONEY_TOL:
        out.append(
            Finding(
                "bad", "The partnership creates no surplus: together the parties earn exactly what they earn apart."
            )
        )
    else:
        out.append(
            Finding(
                "info",
                f"The partnership creates a surplus of {_money(r.surplus)} a year over the {apart} the parties earn on their own.",
            )
        )
    losers = [j for j in range(len(names)) if r.gain[j] <= _MONEY_TOL]

    def shortfall(j: int) -> str:
        if abs(r.gain[j]) <= _MONEY_TOL:
            return f"{names[j]} gains nothing"
        return f"{names[j]} ends up {_money(-r.gain[j])} worse off than on its own"

    if r.win_win:
        out.append(
            Finding(
                "good",
                f"Every party ends up better off than on its own: the deal is win-win under the {r.split_rule} split.",
            )
        )
    elif r.win_win_on_paper:
        who = "; ".join(f"{shortfall(j)} (expected loss {_money(r.risk_adjustment[j])})" for j in losers)
        out.append(
            Finding(
                "bad",
                f"On paper every party gains, but after the expected losses from the deal it is not win-win: {who}.",
            )
        )
    else:
        out.append(
            Finding("bad", f"Not win-win under the {r.split_rule} split: {'; '.join(shortfall(j) for j in losers)}.")
        )
        better = [rule for rule in r.splits.index if rule != r.split_rule and bool(r.splits.loc[rule, "win_win"])]
        if better:
            out.append(Finding("caution", f"The {better[0]} split would make it win-win: every party would gain."))
    if r.lopsided:
        lo, hi = int(np.argmin(r.gain)), int(np.argmax(r.gain))
        out.append(
            Finding(
                "caution",
                f"The split is lopsided: {names[lo]} gains {_money(r.gain[lo])}, only {r.balance:.0%} of what "
                f"{names[hi]} gains ({_money(r.gain[hi])}); lopsided deals tend not to last.",
            )
        )
    if r.blocking is not None:
        members = [p for p in names if p in r.blocking]
        got = float(sum(share[names.index(p)] for p in members))
        could = float(r.blocking_value)
        outsiders = [p for p in names if p not in r.blocking]
        if len(outsiders) == 1:
            j = names.index(outsiders[0])
            text = (
                f"{outsiders[0]}'s share ({_money(share[j])}) is more than its added value "
                f"({_money(r.added_value[j])}): the others would earn {_money(could)} without it, "
                f"more than the {_money(got)} this split leaves them."
            )
        elif len(members) == 1:
            text = f"{members[0]} would rather stay out: alone it earns {_money(could)}, more than the {_money(got)} this split gives it."
        else:
            text = (
                f"{_join(members)} could earn {_money(could)} by working together without the others, "
                f"more than the {_money(got)} this split gives them."
            )
        out.append(Finding("caution", text + " The split is not in the core: it invites a break-away."))
    if r.split_rule != "shapley":
        shapley_row = r.splits.loc["shapley", list(names)].to_numpy(dtype=float)
        gap = share - shapley_row
        j = int(np.argmax(np.abs(gap)))
        if abs(gap[j]) > 0.005 * max(1.0, abs(r.partnership_value)):
            out.append(
                Finding(
                    "info",
                    f"Compared with the Shapley split, the {r.split_rule} split gives {names[j]} "
                    f"{_money(abs(gap[j]))} {'more' if gap[j] > 0 else 'less'}.",
                )
            )
    mc = r.monte_carlo
    if mc is not None:
        weakest = int(np.argmin(mc.p_gain))
        level = "good" if mc.p_win_win >= 0.8 else "caution" if mc.p_win_win >= 0.5 else "bad"
        out.append(
            Finding(
                level,
                f"Across {mc.draws:,} scenarios drawn from the ranges, the deal is win-win in {mc.p_win_win:.0%} of them; "
                f"{names[weakest]} is the party most at risk (it gains in {mc.p_gain[weakest]:.0%}).",
            )
        )
    if r.tornado is not None and len(r.tornado):
        top = r.tornado.iloc[0]
        out.append(
            Finding(
                "info",
                f"The result swings most with the {top['label']}: from its low to its high value the smallest gain "
                f"moves by {_money(float(top['swing']))}.",
            )
        )
    return out
