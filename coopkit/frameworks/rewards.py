"""Reward design: at what mix of individual, team and help-given bonus does helping a colleague pay?

A sales team of ``n`` reps shares a bonus pool. When a rep helps a colleague
(a joint call, a hand-over, an account insight) it gives up ``c`` of its own
sales (time not spent selling) and the colleague sells ``b`` more, with
``b > c``: the team gains ``b - c``. The pool is split between three parts
with weights ``w_ind + w_team + w_help = 1``; each part is measured against
the plan, so that a team that meets its plan, with every rep helping with
every request, is paid exactly the pool::

    bonus_i = pool * ( w_ind  * s_i / S_plan               own sales, as a share of the team's plan
                     + w_team * (S / S_plan) / n           the team's sales against plan, split equally
                     + w_help * g_i / (n h) )              help given, as a share of the help planned

with ``s_i`` the rep's sales, ``S`` the team's, ``g_i`` the helps it gave and
``h`` the requests for help each rep gets a year. Write ``k = pool / S_plan``
(bonus per unit of sales) and ``u = pool / (n h)`` (bonus per help when all
of the pool rewards help). One more help changes the helper's bonus by::

    own = - k w_ind c  +  k w_team (b - c) / n  +  u w_help

(its lost sales, its ``1/n`` share of the team's gain, its help credit) and the
helped colleague's by ``received = k w_ind b + k w_team (b - c) / n``.

The one-off view: a linear public-goods game
    Helping is a contribution to a public good: it costs the helper and
    benefits the team, and the team part returns only ``1/n`` of the gain to
    the helper (the marginal per-capita return of [Isaac1988]_; the
    experiments surveyed by [Ledyard1995]_ show that contributions fall when it
    is small). A rational rep helps when ``own >= 0``. With a collective weight
    ``m = w_team + w_help`` split in the proportion ``theta = w_help / m``, so
    ``w_ind = 1 - m``, ``own`` is linear in ``m`` and helping breaks even at::

        m* = k c / ( (1 - theta) (k c + k (b - c) / n) + theta (k c + u) )

    that is ``n c / ((n - 1) c + b)`` with team weight only and
    ``k c / (k c + u)`` with help weight only (:func:`break_even`). One point
    of help weight does the work of ``(k c + u) / (k c + k (b - c) / n)``
    points of team weight (:func:`exchange_rate`): the team part is diluted by
    ``n``, the help credit is not.

The repeated view: reciprocity
    Two reps who can help each other play, at each round (a request each way),
    a prisoner's dilemma with stage payoffs (to one rep, per round)
    ``T = received``, ``R = own + received``, ``P = 0``, ``S = own``
    (:func:`stage_game`). When ``own < 0``, mutual help is sustained under grim
    trigger when the weight of the next round ``delta`` reaches
    ``(T - R) / (T - P) = -own / received``
    (:func:`coopkit.frameworks.game.cooperation_threshold`; [Axelrod1984]_,
    [Fudenberg1991]_ sec. 5.1), i.e. when ``own + delta * received >= 0``.
    Two reps trade ``h / (n - 1)`` rounds a year when requests are spread
    evenly, so ``delta`` follows from :func:`coopkit.frameworks.tournament.continuation`.
    The same formula with ``delta`` gives the break-even mix with reciprocity:
    ``m*_delta = (k c - delta k b) / (k c - delta k b + (1 - theta)(1 + delta) k (b - c) / n + theta u)``.

References
----------
.. [Isaac1988] Isaac, R. M. and Walker, J. M. (1988). "Group size effects in
   public goods provision: the voluntary contributions mechanism". *Quarterly
   Journal of Economics* 103(1), 179-199.
.. [Ledyard1995] Ledyard, J. O. (1995). "Public goods: a survey of
   experimental research". In Kagel and Roth (eds.), *The Handbook of
   Experimental Economics*, Princeton University Press, 111-194.
.. [Axelrod1984] Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
.. [Fudenberg1991] Fudenberg, D. and Tirole, J. (1991). *Game Theory*. MIT Press.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from coopkit.errors import require
from coopkit.frameworks import game, tournament
from coopkit.frameworks.uncertainty import is_number

__all__ = [
    "Scheme",
    "own_gain",
    "helping_pays",
    "received_gain",
    "break_even",
    "exchange_rate",
    "stage_game",
    "reciprocity_threshold",
    "rounds_per_year",
    "delta",
    "year",
    "SCENARIOS",
]

_TOL = 1e-9


def _number(name: str, x) -> float:
    require(is_number(x) and math.isfinite(float(x)), name, x, "be a finite number")
    return float(x)


@dataclass(frozen=True)
class Scheme:
    """A bonus scheme and the economics of one help, checked on creation.

    Attributes
    ----------
    reps : int
        ``n``, reps sharing the pool, at least 2.
    pool : float
        Bonus pool paid when the team meets its plan and every rep helps as
        planned (money per year), > 0.
    plan : float
        ``S_plan``, the team's planned sales (money per year), > 0.
    individual, team, help : float
        Weights ``w_ind``, ``w_team``, ``w_help`` of the pool's parts, 0 to 1, adding up to 1.
    help_cost : float
        ``c``, sales the helper loses per help (money), >= 0.
    help_benefit : float
        ``b``, sales the helped colleague gains per help (money), > ``c``.
    requests : float
        ``h``, requests for help each rep gets a year, > 0.

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
    >>> s.rate, s.credit
    (0.025, 2500.0)
    >>> Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.2, 3_000, 12_000, 20)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: weights (individual, team, help) must add up to 1, got (0.7, 0.2, 0.2)
    """

    reps: int
    pool: float
    plan: float
    individual: float
    team: float
    help: float
    help_cost: float
    help_benefit: float
    requests: float

    def __post_init__(self) -> None:
        require(
            isinstance(self.reps, (int, np.integer)) and not isinstance(self.reps, bool) and self.reps >= 2,
            "reps",
            self.reps,
            "be a whole number, at least 2",
        )
        for name in ("pool", "plan", "requests"):
            require(_number(name, getattr(self, name)) > 0, name, getattr(self, name), "be more than 0")
        weights = tuple(_number(name, getattr(self, name)) for name in ("individual", "team", "help"))
        for name, w in zip(("individual", "team", "help"), weights, strict=True):
            require(0 <= w <= 1, name, w, "be between 0 and 1")
        require(abs(sum(weights) - 1) <= 1e-6, "weights (individual, team, help)", weights, "add up to 1")
        c, b = _number("help_cost", self.help_cost), _number("help_benefit", self.help_benefit)
        require(c >= 0, "help_cost", c, "be at least 0")
        require(b > c, "help_benefit", b, f"be more than help_cost ({c:g}): helping must grow the team's sales")

    @property
    def rate(self) -> float:
        """``k = pool / plan``: bonus per unit of sales at full weight (money per money)."""
        return self.pool / self.plan

    @property
    def credit(self) -> float:
        """``u = pool / (n h)``: bonus per help when the whole pool rewards help (money)."""
        return self.pool / (self.reps * self.requests)

    @property
    def collective(self) -> float:
        """``m = w_team + w_help``, the weight not tied to the rep's own results."""
        return self.team + self.help

    @property
    def help_share(self) -> float:
        """``theta = w_help / m``: help's part of the collective weight (0.5 when there is none)."""
        return self.help / self.collective if self.collective > _TOL else 0.5

    def with_weights(self, team: float, help: float) -> Scheme:
        """The same scheme with other team and help weights (the individual weight takes the rest).

        Examples
        --------
        >>> s = Scheme(8, 400_000, 16_000_000, 0.85, 0.15, 0.0, 3_000, 12_000, 20).with_weights(0.1, 0.1)
        >>> round(s.individual, 10), s.team, s.help, s.collective, s.help_share
        (0.8, 0.1, 0.1, 0.2, 0.5)
        """
        return replace(self, individual=1.0 - team - help, team=team, help=help)

    def parts(self) -> dict[str, float]:
        """The change in the helper's bonus from one help, by part of the pool (money).

        Examples
        --------
        >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
        >>> {k: round(v, 3) for k, v in s.parts().items()}
        {'individual': -52.5, 'team': 5.625, 'help': 250.0}
        """
        k, c, b, n = self.rate, self.help_cost, self.help_benefit, self.reps
        return {
            "individual": -k * self.individual * c,
            "team": k * self.team * (b - c) / n,
            "help": self.credit * self.help,
        }


def own_gain(scheme: Scheme, team=None, help=None):
    """``own``: the change in the helper's bonus from one help (money), at the scheme's or other weights.

    ``team`` and ``help`` may be arrays (a grid of mixes); the individual
    weight is ``1 - team - help``.

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
    >>> round(own_gain(s), 3), round(float(own_gain(s, 0.0, 0.0)), 3)
    (203.125, -75.0)
    """
    wt = scheme.team if team is None else np.asarray(team, dtype=float)
    wh = scheme.help if help is None else np.asarray(help, dtype=float)
    k, c, b, n = scheme.rate, scheme.help_cost, scheme.help_benefit, scheme.reps
    out = -k * c * (1 - wt - wh) + k * wt * (b - c) / n + scheme.credit * wh
    return float(out) if np.ndim(out) == 0 else out


def helping_pays(scheme: Scheme) -> bool:
    """Whether one help pays the helper, ``own >= 0``, up to rounding (a billionth of a help's bonus at stake).

    Examples
    --------
    >>> helping_pays(Scheme(8, 400_000, 16_000_000, 0.85, 0.15, 0.0, 3_000, 12_000, 20))
    False
    >>> helping_pays(Scheme(8, 400_000, 16_000_000, 1.0, 0.0, 0.0, 1e-15, 12_000, 20))  # a help that costs nothing
    True
    """
    scale = scheme.rate * scheme.help_benefit + scheme.credit
    return own_gain(scheme) >= -1e-9 * scale


def received_gain(scheme: Scheme, team=None, help=None):
    """``received``: the change in the helped colleague's bonus from one help (money).

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
    >>> round(received_gain(s), 3)
    215.625
    """
    wt = scheme.team if team is None else np.asarray(team, dtype=float)
    wh = scheme.help if help is None else np.asarray(help, dtype=float)
    k, c, b, n = scheme.rate, scheme.help_cost, scheme.help_benefit, scheme.reps
    out = k * b * (1 - wt - wh) + k * wt * (b - c) / n
    return float(out) if np.ndim(out) == 0 else out


def break_even(scheme: Scheme, help_share: float | None = None, delta: float = 0.0) -> float:
    """The collective weight ``m* = w_team + w_help`` from which helping pays a rational rep (0 to 1).

    Solves ``own + delta * received = 0`` along mixes that keep help's part
    of the collective weight at ``theta`` (see the module docstring): with
    ``delta = 0`` a one-off help; with ``delta`` > 0 a help the colleague
    returns with that weight. 0 when helping pays even with every weight on
    individual results.

    Parameters
    ----------
    scheme : Scheme
    help_share : float, optional
        ``theta`` in [0, 1]: 0 = team weight only, 1 = help weight only;
        default the scheme's own proportion.
    delta : float, default 0
        Weight of the next round of reciprocity, 0 to 1.

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
    >>> round(break_even(s, 0.0), 4), round(8 * 3_000 / (7 * 3_000 + 12_000), 4)
    (0.7273, 0.7273)
    >>> round(break_even(s, 1.0), 4), round(break_even(s), 4)
    (0.0291, 0.0809)
    """
    theta = scheme.help_share if help_share is None else _number("help_share", help_share)
    require(0 <= theta <= 1, "help_share", theta, "be between 0 and 1")
    d = _number("delta", delta)
    require(0 <= d <= 1, "delta", d, "be between 0 and 1")
    k, c, b, n, u = scheme.rate, scheme.help_cost, scheme.help_benefit, scheme.reps, scheme.credit
    numerator = k * c - d * k * b
    if numerator <= 0:
        return 0.0
    denominator = numerator + (1 - theta) * (1 + d) * k * (b - c) / n + theta * u
    return min(1.0, numerator / denominator)


def exchange_rate(scheme: Scheme) -> float:
    """Points of team weight that one point of help weight replaces in a rep's gain from helping.

    ``(k c + u) / (k c + k (b - c) / n)``: both raise ``own`` by what moving a
    point away from individual results saves (``k c``), plus the team's ``1/n``
    share of the gain or the help credit.

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
    >>> round(exchange_rate(s), 2)
    24.97
    """
    k, c, b, n = scheme.rate, scheme.help_cost, scheme.help_benefit, scheme.reps
    return (k * c + scheme.credit) / (k * c + k * (b - c) / n)


def stage_game(scheme: Scheme) -> tuple[float, float, float, float]:
    """Stage payoffs ``(T, R, P, S)`` to one rep of a round of mutual help with a colleague (money).

    ``T = received`` (helped, did not help), ``R = own + received`` (both
    helped), ``P = 0`` (neither), ``S = own`` (helped, was not helped). A
    prisoner's dilemma exactly when ``own < 0``.

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 1.0, 0.0, 0.0, 3_000, 12_000, 20)
    >>> stage_game(s)
    (300.0, 225.0, 0.0, -75.0)
    """
    own, got = own_gain(scheme), received_gain(scheme)
    return (got, own + got, 0.0, own)


def reciprocity_threshold(scheme: Scheme) -> float:
    """The weight of the next round from which mutual help is sustained (grim trigger), 0 to 1.

    :func:`coopkit.frameworks.game.cooperation_threshold` of the
    :func:`stage_game`, ``-own / received``; 0 when helping pays one-off
    (:func:`helping_pays`).

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 1.0, 0.0, 0.0, 3_000, 12_000, 20)
    >>> reciprocity_threshold(s)
    0.25
    """
    if helping_pays(scheme):
        return 0.0
    return game.cooperation_threshold(*stage_game(scheme))


def rounds_per_year(scheme: Scheme) -> float:
    """Rounds of mutual help two reps trade a year, ``h / (n - 1)``, when requests are spread evenly.

    Examples
    --------
    >>> rounds_per_year(Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 21))
    3.0
    """
    return scheme.requests / (scheme.reps - 1)


def delta(scheme: Scheme, survival: float, discount_rate: float = 0.0) -> float:
    """Weight of the next round of mutual help for a pair of reps (:func:`coopkit.frameworks.tournament.continuation`).

    Examples
    --------
    >>> round(delta(Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 21), 0.8), 4)
    0.9283
    """
    return tournament.continuation(rounds_per_year(scheme), survival, discount_rate)


def _bonus(scheme: Scheme, given: float, received: float, team_helps: float) -> tuple[float, float, float]:
    """A rep's sales, the team's sales and the rep's bonus for a year (money), from the helps given and received."""
    n, h = scheme.reps, scheme.requests
    c, b = scheme.help_cost, scheme.help_benefit
    own_sales = scheme.plan / n + b * received - c * given
    team_sales = scheme.plan + (b - c) * team_helps
    bonus = scheme.pool * (
        scheme.individual * own_sales / scheme.plan
        + scheme.team * team_sales / scheme.plan / n
        + scheme.help * given / (n * h)
    )
    return own_sales, team_sales, bonus


#: The four years :func:`year` compares.
SCENARIOS = ("Nobody helps", "Everyone helps with every request", "Everyone but you helps", "Only you help")


def year(scheme: Scheme) -> pd.DataFrame:
    """A year for one rep in four situations of the public-goods game (money per year).

    Without help each rep sells its part of the plan, ``S_plan / n``. Help is
    spread evenly: when everyone helps with every request each rep gives and
    receives ``h`` helps; a rep who alone stops still receives ``h``; a rep
    who alone helps gives ``h`` and receives none.

    Returns
    -------
    pandas.DataFrame
        Index :data:`SCENARIOS`; columns ``own_sales``, ``team_sales``,
        ``bonus`` and ``vs_nobody`` (the bonus less the bonus when nobody helps).

    Examples
    --------
    >>> s = Scheme(8, 400_000, 16_000_000, 0.7, 0.2, 0.1, 3_000, 12_000, 20)
    >>> t = year(s)
    >>> t.loc["Everyone helps with every request", "vs_nobody"] - t.loc["Everyone but you helps", "vs_nobody"]
    np.float64(4062.5)
    >>> round(20 * own_gain(s), 1)
    4062.5
    """
    n, h = scheme.reps, scheme.requests
    cases = {
        SCENARIOS[0]: (0.0, 0.0, 0.0),
        SCENARIOS[1]: (h, h, n * h),
        SCENARIOS[2]: (0.0, h, (n - 1) * h),
        SCENARIOS[3]: (h, 0.0, h),
    }
    rows = {name: _bonus(scheme, *args) for name, args in cases.items()}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["own_sales", "team_sales", "bonus"])
    table["vs_nobody"] = table["bonus"] - table.loc[SCENARIOS[0], "bonus"]
    table.index.name = "situation"
    return table
