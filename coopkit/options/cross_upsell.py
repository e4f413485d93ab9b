"""Option 4: cross up-selling each other's add-ons for a revenue share.

We offer a competitor's add-on to our customers (it may be better than ours,
or fill a gap in our range); the partner, its maker, delivers it; we keep a
share ``s`` of the revenue as our commission. The add-on is a *complement* of
what we sell, so the partner gains customers it could not reach and we earn on
a product we do not make [Brandenburger1996]_ (ch. 1, complementors). The
questions: which revenue shares leave both sides better off, what share would
a fair negotiation land on, and is the share on the table one of them?

The model (money per year, at steady state):

* add-on sales ``n = N a``: our customers ``N`` times the *attach rate* ``a``,
  the share of them who buy the add-on in a year; revenue ``R = n p`` at the
  add-on's price ``p`` (set by the partner);
* **our costs**: support ``n c_s`` (``c_s`` per sale), *cannibalisation*
  ``n k m_o`` (a share ``k`` of the buyers would otherwise have bought our own
  add-on, on which we earn ``m_o`` a sale [Moorthy1992]_), the fixed cost of
  running the programme ``F_u``, and the expected loss ``L`` from the partner's
  quality problems reaching our customers (:mod:`coopkit.frameworks.reputation`):
  ``C_u = n (c_s + k m_o) + F_u + L``;
* **the partner's costs**: delivering the add-on, ``(1 - m_p) R`` at its gross
  margin ``m_p``, and its own fixed cost ``F_p``: ``C_p = (1 - m_p) R + F_p``;
* each side's gain over not running the programme (stand-alone payoff 0) is
  linear in the share: ``gain_u(s) = s R - C_u`` and ``gain_p(s) = (1 - s) R - C_p``.
  The share moves money from one side to the other without changing the
  total, ``R - C_u - C_p``: a revenue-sharing contract divides the channel's
  profit in any proportion [Cachon2005]_.

**The win-win zone** is the set of shares for which both gain:
``s_low = C_u / R < s < s_high = 1 - C_p / R``. At ``s_low`` we break even,
at ``s_high`` the partner does. The zone is empty when the surplus
``R - C_u - C_p <= 0`` (no share can make it win-win), and when there is no
revenue. Both ends lie in ``[0, 1]``, since every cost is at least 0.

**The Nash-bargaining share** maximises ``gain_u(s)^w_u gain_p(s)^w_p``
[Nash1950]_, with bargaining powers ``w`` (equal by default; unequal weights
give the generalised solution [Kalai1977]_). Writing our revenue as
``x_u = s R`` and the partner's as ``x_p = (1 - s) R``, this is the Nash
bargaining problem of splitting ``R`` with disagreement points ``(C_u, C_p)``,
so ``s* = s_low + w_u / (w_u + w_p) (s_high - s_low)``: the point of the
zone weighted by power (its midpoint with equal power), each side getting its
power's share of the surplus. :func:`assess` cross-checks it against
:func:`coopkit.frameworks.game.nash_bargaining`. With two parties and nothing
to gain alone, the Shapley split is the same as the symmetric Nash share.

One direction. This worksheet models one direction: we sell the partner's
add-on. A two-way deal (the partner also sells ours) is two such deals with a
share each; assess the other direction with the parties swapped. A single
share for both directions would net the two commissions against each other,
and the zone in that share could be all shares or none.

With ranges, our customers, the attach rate, the price, the cannibalisation
and the expected loss are drawn together in a seeded Monte Carlo (beta-PERT,
[Vose2008]_): ``P(win-win)`` is the share of scenarios in which the agreed
share lies inside that scenario's zone, and ``P(zone)`` the share in which
some share would be win-win (the ceiling any fixed share can reach).

References
----------
.. [Brandenburger1996] Brandenburger, A. M. and Nalebuff, B. J. (1996). *Co-opetition*. Doubleday.
.. [Cachon2005] Cachon, G. P. and Lariviere, M. A. (2005). "Supply chain coordination with
   revenue-sharing contracts: strengths and limitations". *Management Science* 51(1), 30-44.
.. [Moorthy1992] Moorthy, K. S. and Png, I. P. L. (1992). "Market segmentation, cannibalization,
   and the timing of product introductions". *Management Science* 38(3), 345-359.
.. [Nash1950] Nash, J. F. (1950). "The bargaining problem". *Econometrica* 18(2), 155-162.
.. [Kalai1977] Kalai, E. (1977). "Nonsymmetric Nash solutions and replications of 2-person
   bargaining". *Int. J. Game Theory* 6, 129-133.
.. [Vose2008] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed. Wiley.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from pydantic import Field

from coopkit.errors import require
from coopkit.frameworks import antitrust, game, winwin
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import as_range, draw
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    Problem,
    ShareUncertain,
    Worksheet,
    bounded_uncertain,
    currency_field,
    draws_field,
    range_problems,
    ranges_field,
    register,
    seed_field,
)
from coopkit.options.common import (
    GUARDRAIL_SECTION,
    GuardrailFields,
    ReputationFields,
    decide,
    sensitivity,
    text_problem,
)

__all__ = [
    "Inputs",
    "Economics",
    "Zone",
    "economics",
    "gains",
    "zone_ends",
    "nash_share",
    "win_win_zone",
    "share_curve",
    "best_share",
    "assess",
    "likely_economics",
    "economics_table",
    "SHEET",
]

#: Largest count of customers, and largest price or cost per sale, a worksheet accepts.
COUNT_LIMIT = 1e9
PER_SALE_LIMIT = 1e9
#: A gain counts as a gain above half a cent (as in the other options' Monte Carlo).
_TOL = 0.005
POWER_SECTION = "Bargaining power"
#: Names the win-win check's split table uses for its own columns: a party so named would clash with them.
_RESERVED = frozenset({"win_win", "balance"})

CountUncertain = bounded_uncertain("CountUncertain", 0.0, COUNT_LIMIT, doc="An uncertain count, 0 to 1e9.")
PriceUncertain = bounded_uncertain(
    "PriceUncertain", 0.0, PER_SALE_LIMIT, doc="An uncertain price per sale, 0 to 1e9 a year.", default=100.0
)


# --------------------------------------------------------------------------- the model
class Economics(NamedTuple):
    """The programme's figures, money per year (arrays when the inputs are Monte Carlo draws)."""

    sales: np.ndarray | float
    revenue: np.ndarray | float
    support: np.ndarray | float
    cannibalised: np.ndarray | float
    delivery: np.ndarray | float
    our_cost: np.ndarray | float
    partner_cost: np.ndarray | float

    @property
    def surplus(self):
        """What is left to share, ``R - C_u - C_p``."""
        return self.revenue - self.our_cost - self.partner_cost


def economics(
    customers,
    attach_rate,
    price,
    cannibalisation=0.0,
    *,
    own_addon_margin: float = 0.0,
    support_cost: float = 0.0,
    partner_margin: float = 1.0,
    our_fixed_cost: float = 0.0,
    partner_fixed_cost: float = 0.0,
    expected_loss=0.0,
) -> Economics:
    """Sales, revenue and each side's costs of the programme, vectorised over draws.

    Parameters
    ----------
    customers : float or array
        Our customers the add-on is offered to.
    attach_rate : float or array in [0, 1]
        Share of them who buy it in a year.
    price : float or array
        The add-on's price per sale, money per year.
    cannibalisation : float or array in [0, 1]
        Share of the buyers who would otherwise have bought our own add-on.
    own_addon_margin : float
        What we earn a year on one sale of our own add-on.
    support_cost : float
        Our yearly cost per add-on sale (support, billing).
    partner_margin : float in [0, 1]
        The partner's gross margin on the add-on: its delivery cost is ``(1 - m_p) R``.
    our_fixed_cost, partner_fixed_cost : float
        Each side's fixed cost of the programme, money per year.
    expected_loss : float or array
        Our expected loss a year from the partner's incidents reaching our customers.

    Returns
    -------
    Economics
        ``sales`` (a year), ``revenue``, ``support``, ``cannibalised``, ``delivery``,
        ``our_cost`` and ``partner_cost`` (money per year).

    Examples
    --------
    >>> e = economics(10_000, 0.05, 200, 0.2, own_addon_margin=100, support_cost=20,
    ...               partner_margin=0.8, our_fixed_cost=10_000, partner_fixed_cost=20_000)
    >>> [round(float(x)) for x in (e.sales, e.revenue, e.our_cost, e.partner_cost, e.surplus)]
    [500, 100000, 30000, 40000, 30000]
    """
    sales = np.multiply(customers, attach_rate)
    revenue = sales * np.asarray(price, dtype=float)
    support = sales * float(support_cost)
    cannibalised = sales * np.asarray(cannibalisation, dtype=float) * float(own_addon_margin)
    delivery = (1.0 - float(partner_margin)) * revenue
    our_cost = support + cannibalised + float(our_fixed_cost) + np.asarray(expected_loss, dtype=float)
    partner_cost = delivery + float(partner_fixed_cost)
    out = (sales, revenue, support, cannibalised, delivery, our_cost, partner_cost)
    if all(np.ndim(x) == 0 for x in out):
        return Economics(*(float(x) for x in out))
    return Economics(*out)


def gains(share, revenue, our_cost, partner_cost):
    """Each side's gain at a revenue share ``s``: ``(s R - C_u, (1 - s) R - C_p)``, money per year.

    Vectorised: ``share`` may be a grid and the others Monte Carlo draws (broadcast).

    Examples
    --------
    >>> gains(0.3, 100_000, 20_000, 40_000)
    (10000.0, 30000.0)
    """
    s = np.asarray(share, dtype=float)
    r = np.asarray(revenue, dtype=float)
    ours = s * r - np.asarray(our_cost, dtype=float)
    theirs = (1.0 - s) * r - np.asarray(partner_cost, dtype=float)
    if np.ndim(ours) == 0:
        return float(ours), float(theirs)
    return ours, theirs


def zone_ends(revenue, our_cost, partner_cost):
    """The shares at which we break even (``C_u / R``) and the partner does (``1 - C_p / R``).

    Both sides gain for shares strictly between the two when the first is
    below the second; otherwise no share is win-win. Without revenue both are
    NaN. Vectorised over draws.

    Examples
    --------
    >>> zone_ends(100_000, 20_000, 40_000)
    (0.2, 0.6)
    >>> zone_ends(100_000, 70_000, 40_000)  # costs exceed the revenue: low above high, empty
    (0.7, 0.6)
    """
    r = np.asarray(revenue, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a subnormal revenue gives +-inf: empty
        safe = np.where(r > 0, r, 1.0)
        low = np.where(r > 0, np.asarray(our_cost, dtype=float) / safe, np.nan)
        high = np.where(r > 0, 1.0 - np.asarray(partner_cost, dtype=float) / safe, np.nan)
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


def nash_share(revenue, our_cost, partner_cost, our_power: float = 1.0, partner_power: float = 1.0):
    """The Nash-bargaining revenue share: maximises ``gain_u^w_u gain_p^w_p`` [Nash1950]_, [Kalai1977]_.

    ``s* = s_low + w_u / (w_u + w_p) (s_high - s_low)``; NaN where the zone is
    empty. Vectorised over draws.

    Examples
    --------
    >>> nash_share(100_000, 20_000, 40_000)
    0.4
    >>> round(nash_share(100_000, 20_000, 40_000, our_power=3, partner_power=1), 4)
    0.5
    """
    require(math.isfinite(our_power) and our_power > 0, "our_power", our_power, "be a bargaining power greater than 0")
    require(
        math.isfinite(partner_power) and partner_power > 0,
        "partner_power",
        partner_power,
        "be a bargaining power greater than 0",
    )
    low, high = zone_ends(revenue, our_cost, partner_cost)
    low, high = np.asarray(low), np.asarray(high)
    weight = our_power / (our_power + partner_power)
    with np.errstate(invalid="ignore"):
        out = np.where(low < high, low + weight * (high - low), np.nan)
    return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class Zone:
    """The win-win zone of one deal: the revenue shares for which both sides gain.

    Attributes
    ----------
    low, high : float
        Shares at which we, and the partner, break even (NaN without revenue).
    nash : float
        The Nash-bargaining share (NaN when the zone is empty).
    revenue, our_cost, partner_cost : float
        Money per year.
    our_power, partner_power : float
    """

    low: float
    high: float
    nash: float
    revenue: float
    our_cost: float
    partner_cost: float
    our_power: float = 1.0
    partner_power: float = 1.0

    @property
    def empty(self) -> bool:
        """True when no revenue share makes both sides gain."""
        return not (self.low < self.high)

    @property
    def surplus(self) -> float:
        """What the deal leaves to share, ``R - C_u - C_p``, money per year."""
        return self.revenue - self.our_cost - self.partner_cost

    @property
    def width(self) -> float:
        """``s_high - s_low`` when the zone is not empty, else 0."""
        return 0.0 if self.empty else self.high - self.low

    def gains(self, share) -> tuple:
        """Each side's gain at ``share`` (see :func:`gains`)."""
        return gains(share, self.revenue, self.our_cost, self.partner_cost)

    def contains(self, share: float) -> bool:
        """Whether ``share`` leaves both sides gaining (more than half a cent each)."""
        ours, theirs = self.gains(share)
        return bool(ours > _TOL and theirs > _TOL)


def win_win_zone(
    revenue: float, our_cost: float, partner_cost: float, our_power: float = 1.0, partner_power: float = 1.0
) -> Zone:
    """The win-win zone and the Nash-bargaining share of a deal, from its revenue and costs.

    Parameters
    ----------
    revenue : float
        The add-on's revenue through us, money per year, at least 0.
    our_cost, partner_cost : float
        Each side's costs, money per year, at least 0.
    our_power, partner_power : float
        Bargaining powers, greater than 0.

    Examples
    --------
    >>> z = win_win_zone(100_000, 20_000, 40_000)
    >>> z.low, z.high, z.nash, z.empty, z.gains(z.nash)
    (0.2, 0.6, 0.4, False, (20000.0, 20000.0))
    >>> win_win_zone(100_000, 70_000, 40_000).empty
    True
    >>> win_win_zone(100_000, -1, 0)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: our_cost must be an amount of money of at least 0, got -1
    """
    for name, value in (("revenue", revenue), ("our_cost", our_cost), ("partner_cost", partner_cost)):
        require(
            isinstance(value, (int, float, np.integer, np.floating)) and math.isfinite(value) and value >= 0,
            name,
            value,
            "be an amount of money of at least 0",
        )
    low, high = zone_ends(revenue, our_cost, partner_cost)
    nash = nash_share(revenue, our_cost, partner_cost, our_power, partner_power)
    return Zone(low, high, nash, float(revenue), float(our_cost), float(partner_cost), our_power, partner_power)


def share_curve(low, high, grid) -> np.ndarray:
    """Share of scenarios in which each share of ``grid`` lies inside that scenario's zone.

    ``low`` and ``high`` are the zone ends of every scenario (from
    :func:`zone_ends`); a scenario with an empty zone (or NaN ends) counts as
    outside for every share. Sorting, not a scenarios-by-grid matrix, so a
    million scenarios stay cheap.

    Examples
    --------
    >>> share_curve([0.1, 0.3, 0.5], [0.5, 0.6, 0.4], [0.2, 0.4, 0.55]).round(4).tolist()
    [0.3333, 0.6667, 0.3333]
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    total = low.size
    if total == 0:
        return np.zeros(np.shape(grid))
    keep = low < high  # False for NaN too
    low_sorted, high_sorted = np.sort(low[keep]), np.sort(high[keep])
    s = np.asarray(grid, dtype=float)
    above_low = np.searchsorted(low_sorted, s, side="left")  # scenarios with low < s
    past_high = np.searchsorted(high_sorted, s, side="right")  # scenarios with high <= s
    return (above_low - past_high) / total


def best_share(curve: pd.DataFrame) -> float:
    """The share that is win-win in the most scenarios: the middle of the grid points reaching the maximum.

    ``curve`` has columns ``share`` (ascending) and ``p_win_win``, as :func:`share_curve` gives them.

    Examples
    --------
    >>> best_share(pd.DataFrame({"share": [0.1, 0.2, 0.3, 0.4, 0.5], "p_win_win": [0.5, 1.0, 1.0, 1.0, 0.2]}))
    0.3
    """
    p = curve["p_win_win"].to_numpy(dtype=float)
    top = np.flatnonzero(p >= p.max() - 1e-12)
    return float(curve["share"].iloc[int(top[(len(top) - 1) // 2])])


# --------------------------------------------------------------------------- inputs
def _share_field(default: float, title: str, description: str, *, section: str | None = None):
    extra: dict = {"unit": "share 0-1"}
    if section:
        extra["section"] = section
    return Field(default, ge=0, le=1, title=title, description=description, json_schema_extra=extra)


def _money_field(default: float, limit: float, title: str, description: str):
    return Field(
        default, ge=0, le=limit, title=title, description=description, json_schema_extra={"unit": "money/year"}
    )


def _power_field(title: str, who: str):
    return Field(
        1.0,
        ge=0.01,
        le=100,
        title=title,
        description=f"{who} bargaining power, relative to the other side's (equal powers: the Nash share is the "
        "middle of the win-win zone).",
        json_schema_extra={"unit": "", "section": POWER_SECTION},
    )


class Inputs(ReputationFields, GuardrailFields, InputsModel):
    """What a strategist enters to up-sell a partner's add-on to our customers for a revenue share."""

    currency: str = currency_field()
    our_name: str = Field(
        "Us", min_length=1, max_length=40, title="Our company", description="Our name, as the results show it."
    )
    partner_name: str = Field(
        "Partner",
        min_length=1,
        max_length=40,
        title="Partner",
        description="The competitor whose add-on we sell to our customers.",
    )
    customers: CountUncertain = Field(
        default_factory=lambda: CountUncertain(likely=10_000.0),
        title="Our customers",
        description="Our customers the partner's add-on is offered to.",
        json_schema_extra={"unit": "customers"},
    )
    attach_rate: ShareUncertain = Field(
        default_factory=lambda: ShareUncertain(likely=0.05),
        title="Attach rate",
        description="Share of those customers who buy the partner's add-on in a year (0.05 = 5%).",
        json_schema_extra={"unit": "share 0-1"},
    )
    price: PriceUncertain = Field(
        default_factory=lambda: PriceUncertain(likely=100.0),
        title="Add-on price",
        description="What a customer pays for the partner's add-on a year; the partner sets it.",
        json_schema_extra={"unit": "money/year"},
    )
    partner_margin: float = _share_field(
        0.7,
        "Partner's margin",
        "The partner's gross margin on the add-on before any revenue share: price minus its cost to deliver, "
        "as a share of the price.",
    )
    cannibalisation: ShareUncertain = Field(
        default_factory=lambda: ShareUncertain(likely=0.0),
        title="Cannibalisation",
        description="Share of the add-on's buyers who would otherwise have bought our own add-on.",
        json_schema_extra={"unit": "share 0-1"},
    )
    own_addon_margin: float = _money_field(
        0.0,
        PER_SALE_LIMIT,
        "Margin on our own add-on",
        "What we earn a year on one sale of our own add-on (price minus cost): lost on every cannibalised sale.",
    )
    support_cost: float = _money_field(
        0.0,
        PER_SALE_LIMIT,
        "Support cost per sale",
        "Our yearly cost of support, billing and account care for one customer of the partner's add-on.",
    )
    our_fixed_cost: float = _money_field(
        0.0, MONEY_LIMIT, "Our fixed cost", "Our yearly cost of running the programme: integration, sales training."
    )
    partner_fixed_cost: float = _money_field(
        0.0,
        MONEY_LIMIT,
        "Partner's fixed cost",
        "The partner's yearly cost of running the programme: integration, a partner manager.",
    )
    revenue_share: float = _share_field(
        0.3,
        "Revenue share we keep",
        "Share of the add-on's revenue we keep as our commission (0.3 = 30%); the partner keeps the rest.",
    )
    our_power: float = _power_field("Our bargaining power", "Our")
    partner_power: float = _power_field("Partner's bargaining power", "The partner's")
    our_market_share: float = _share_field(
        0.0,
        "Our market share",
        "Our share of the add-on market we and the partner compete in (for the competition-law check).",
        section=GUARDRAIL_SECTION,
    )
    partner_market_share: float = _share_field(
        0.0,
        "Partner's market share",
        "The partner's share of the same market.",
        section=GUARDRAIL_SECTION,
    )
    use_ranges: bool = ranges_field("P(win-win) at the agreed share and the share that is win-win most often")
    draws: int = draws_field(100_000, 1_000_000)
    seed: int = seed_field()

    def names(self) -> tuple[str, str]:
        """Our name and the partner's, stripped."""
        return self.our_name.strip(), self.partner_name.strip()

    def problems(self) -> list[Problem]:
        """Checks across fields: names given and distinct, market shares adding up, ordered ranges."""
        out: list[Problem] = []
        ours, theirs = self.names()
        for field, title, name in (("our_name", "Our company", ours), ("partner_name", "Partner", theirs)):
            if not name:
                out.append(Problem((field,), f"{title}: name must not be blank"))
            elif name in _RESERVED:
                out.append(Problem((field,), f"{title}: {name!r} is reserved for a column of the results"))
        if ours and theirs and ours.casefold() == theirs.casefold():
            out.append(Problem(("partner_name",), "Partner: name must differ from our company's"))
        rivals = text_problem(self, "rival_shares", self.rival_share_list)
        out += rivals
        total = self.our_market_share + self.partner_market_share
        if not rivals:
            total += sum(self.rival_share_list())
        if total > 1 + 1e-9:
            out.append(
                Problem(
                    ("partner_market_share",),
                    f"Market shares (ours, the partner's and the other large players') must add up to at most 1, "
                    f"got {total:.4g}",
                )
            )
        if self.use_ranges:
            out += range_problems(self, ["customers", "attach_rate", "price", "cannibalisation"])
            out += range_problems(self, self.reputation_ranges())
        return out


# --------------------------------------------------------------------------- assessment
def _economics(inputs: Inputs, expected_loss) -> Economics:
    return economics(
        inputs.customers.likely,
        inputs.attach_rate.likely,
        inputs.price.likely,
        inputs.cannibalisation.likely,
        own_addon_margin=inputs.own_addon_margin,
        support_cost=inputs.support_cost,
        partner_margin=inputs.partner_margin,
        our_fixed_cost=inputs.our_fixed_cost,
        partner_fixed_cost=inputs.partner_fixed_cost,
        expected_loss=expected_loss,
    )


def margin(inputs: Inputs) -> float:
    """The smaller side's gain at the agreed share and the most likely inputs (for the sensitivity table)."""
    e = _economics(inputs, inputs.reputation(False, 1_000, 0).risk_adjustment)
    return float(min(gains(inputs.revenue_share, e.revenue, e.our_cost, e.partner_cost)))


_SENSITIVE = [
    ("customers",),
    ("attach_rate",),
    ("price",),
    ("cannibalisation",),
    ("partner_margin",),
    ("own_addon_margin",),
    ("support_cost",),
    ("our_fixed_cost",),
    ("partner_fixed_cost",),
    ("revenue_share",),
    ("rep_base_rate",),
]


def assess(inputs: Inputs) -> Assessment:
    """Assess cross up-selling a partner's add-on for a revenue share.

    Returns
    -------
    Assessment
        Verdict go / go with conditions / no-go at the agreed share; tables
        ``zone`` (each side's gain at the zone's ends, the Nash share and the
        agreed share), ``breakdown`` (where the add-on's revenue goes, per
        side), ``curve`` (P(win-win) by share, with ranges) and
        ``sensitivity``; ``details`` holds the ``winwin``, ``risk`` and
        ``guardrails`` results, the ``zone``, the ``economics``, the
        ``nash_split`` from :func:`game.nash_bargaining` and the ``monte_carlo``.

    Examples
    --------
    >>> a = assess(Inputs(customers={"likely": 10_000}, attach_rate={"likely": 0.05}, price={"likely": 200},
    ...                   partner_margin=0.8, partner_fixed_cost=20_000, our_fixed_cost=20_000, revenue_share=0.35))
    >>> a.verdict, [round(x) for x in a.parties["gain"]], a.details["zone"].nash
    ('go', [15000, 25000], 0.4)
    """
    ours, theirs = names = inputs.names()
    use = inputs.use_ranges
    risk = inputs.reputation(use, inputs.draws, inputs.seed)
    loss = risk.risk_adjustment
    e = _economics(inputs, loss)
    s = inputs.revenue_share
    zone = win_win_zone(e.revenue, e.our_cost, e.partner_cost, inputs.our_power, inputs.partner_power)
    nash_split = None
    if not zone.empty:
        nash_split = game.nash_bargaining(
            e.revenue,
            {ours: e.our_cost, theirs: e.partner_cost},
            {ours: inputs.our_power, theirs: inputs.partner_power},
        )
    # the win-win check at the agreed share: payoffs before our expected loss, which is the risk adjustment
    paper = [s * e.revenue - (e.our_cost - loss), (1 - s) * e.revenue - e.partner_cost]
    deal = winwin.check(
        list(names),
        [0.0, 0.0],
        float(sum(paper)),
        split_rule="given",
        amounts=paper,
        risk_adjustment=[loss, 0.0],
    )
    mc = _monte_carlo(inputs, risk) if use else None
    p_win_win = None if mc is None else mc["p_win_win"]
    guard = antitrust.assess(
        [inputs.our_market_share, inputs.partner_market_share],
        "commercialisation",
        other_shares=inputs.rival_share_list(),
    )
    verdict, level, passed, conditions = decide(deal, risk, guard, p_win_win)
    findings = [
        *conditions,
        _zone_finding(zone, s, names, inputs.currency),
        _economics_finding(inputs, e),
        *deal.findings,
        Finding(
            "caution",
            "Competition law: agree only the revenue share on the add-ons you sell for each other. The partner sets "
            "its add-on's price; never agree the prices of the add-ons you still sell against each other.",
        ),
        *([] if mc is None else _monte_carlo_findings(mc, s)),
        *risk.findings[:2],
    ]
    table = deal.table()
    tables = {
        "zone": _zone_table(zone, s, names),
        "breakdown": _breakdown(e, s, loss, inputs.partner_fixed_cost, inputs.our_fixed_cost),
        "sensitivity": sensitivity(inputs, margin, _SENSITIVE),
    }
    if mc is not None:
        tables["curve"] = mc["curve"]
    return Assessment(
        worksheet="cross_upsell",
        verdict=verdict,
        level=level,
        passed=passed,
        headline=_headline(zone, s, names, deal, inputs.currency),
        findings=findings,
        parties=table,
        tables=tables,
        probability=p_win_win,
        details={
            "winwin": deal,
            "risk": risk,
            "guardrails": guard,
            "zone": zone,
            "economics": e,
            "agreed": s,
            "names": names,
            "nash_split": nash_split,
            "monte_carlo": mc,
        },
        currency=inputs.currency,
        assumptions=[
            "One direction of up-selling, at steady state: we sell the partner's add-on (for the other direction, "
            "swap the parties). Money is per year.",
            "Every sale through us is new to the partner: none would have reached it directly.",
            "Cannibalised buyers would have bought our own add-on at its usual margin.",
            "The win-win zone and the Nash share count our expected loss from the partner's incidents.",
            *risk.assumptions[:2],
        ],
    )


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _zone_finding(zone: Zone, s: float, names, currency: str) -> Finding:
    ours, theirs = names
    if zone.revenue <= 0:
        return Finding("bad", "The add-on earns no revenue through us (no customers, no sales or no price).")
    if zone.empty:
        return Finding(
            "bad",
            f"No revenue share makes it win-win: {ours} breaks even only above {_pct(zone.low)} and {theirs} only "
            f"below {_pct(zone.high)}; the costs exceed the revenue by {-zone.surplus:,.0f} {currency} a year.",
        )
    text = (
        f"The win-win zone: both sides gain for a revenue share between {_pct(zone.low)} ({ours} breaks even) and "
        f"{_pct(zone.high)} ({theirs} breaks even); the Nash-bargaining share is {_pct(zone.nash)}."
    )
    if zone.contains(s):
        return Finding("good", f"{text} The agreed {_pct(s)} is inside it.")
    loser = ours if s <= zone.low else theirs
    side = "below" if s <= zone.low else "above"
    return Finding("bad", f"{text} The agreed {_pct(s)} is {side} it, so {loser} does not gain.")


def _economics_finding(inputs: Inputs, e: Economics) -> Finding:
    text = (
        f"{e.sales:,.0f} add-on sales a year ({inputs.customers.likely:,.0f} customers × "
        f"{inputs.attach_rate.likely:.1%} attach rate) bring {e.revenue:,.0f} {inputs.currency} of revenue"
    )
    if e.cannibalised > 0:
        text += (
            f"; cannibalisation costs us {e.cannibalised:,.0f} of it ({inputs.cannibalisation.likely:.0%} of the "
            "buyers would have bought our own add-on)"
        )
    return Finding("info", text + ".")


def _headline(zone: Zone, s: float, names, deal, currency: str) -> str:
    ours, theirs = names
    at = f"At a {_pct(s)} revenue share, {ours} gains {deal.gain[0]:+,.0f} and {theirs} {deal.gain[1]:+,.0f} {currency} a year"
    if zone.revenue <= 0:
        return at + "; there is no revenue to share."
    if zone.empty:
        return at + "; no share makes it win-win."
    return at + f"; both gain between {_pct(zone.low)} and {_pct(zone.high)} (Nash share {_pct(zone.nash)})."


def _zone_table(zone: Zone, s: float, names) -> pd.DataFrame:
    """Each side's gain at the zone's ends, the Nash share and the agreed share, in share order."""
    ours, theirs = names
    rows = []
    if zone.revenue > 0:
        rows.append((f"{ours} breaks even", zone.low))
        rows.append((f"{theirs} breaks even", zone.high))
    if not zone.empty:
        rows.append(("Nash-bargaining share", zone.nash))
    rows.append(("Agreed share", s))
    rows.sort(key=lambda row: row[1])
    shares = np.array([x for _, x in rows])
    g_ours, g_theirs = zone.gains(shares)
    table = pd.DataFrame(
        {"share": shares, "gain_us": g_ours, "gain_partner": g_theirs},
        index=pd.Index([label for label, _ in rows], name="point"),
    )
    table["win_win"] = (table["gain_us"] > _TOL) & (table["gain_partner"] > _TOL)
    return table


def _breakdown(e: Economics, s: float, loss: float, partner_fixed: float, our_fixed: float) -> pd.DataFrame:
    """Where the add-on's revenue goes, per side (columns ``us`` and ``partner``), money per year."""
    rows = {
        "Revenue kept": (s * e.revenue, (1 - s) * e.revenue),
        "Cost of delivering the add-on": (0.0, -e.delivery),
        "Support": (-e.support, 0.0),
        "Own add-on sales lost": (-e.cannibalised, 0.0),
        "Fixed cost of the programme": (-our_fixed, -partner_fixed),
        "Expected loss from the partner's incidents": (-loss, 0.0),
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["us", "partner"])
    table.loc["Gain"] = table.sum()
    table.index.name = "figure"
    return table + 0.0  # no negative zeros


# --------------------------------------------------------------------------- Monte Carlo
GRID = np.round(np.linspace(0.0, 1.0, 201), 3)


def _monte_carlo(inputs: Inputs, risk) -> dict:
    """P(win-win) at the agreed share, P(zone not empty) and the curve of P(win-win) by share.

    Customers, attach rate, price, cannibalisation and our expected loss are drawn together, one
    independent stream each (so ranging one input leaves the others' draws unchanged).
    """
    n = inputs.draws
    streams = np.random.default_rng(inputs.seed).spawn(5)
    fields = ("customers", "attach_rate", "price", "cannibalisation")
    values = [draw(as_range(getattr(inputs, f).estimate(True), f), n, g) for f, g in zip(fields, streams, strict=False)]
    loss = draw(risk.risk_adjustment_range(), n, streams[4])
    e = economics(
        *values,
        own_addon_margin=inputs.own_addon_margin,
        support_cost=inputs.support_cost,
        partner_margin=inputs.partner_margin,
        our_fixed_cost=inputs.our_fixed_cost,
        partner_fixed_cost=inputs.partner_fixed_cost,
        expected_loss=loss,
    )
    g_ours, g_theirs = gains(inputs.revenue_share, e.revenue, e.our_cost, e.partner_cost)
    wins = (g_ours > _TOL) & (g_theirs > _TOL)
    low, high = zone_ends(e.revenue, e.our_cost, e.partner_cost)
    open_zone = e.surplus > 2 * _TOL
    curve = pd.DataFrame({"share": GRID, "p_win_win": share_curve(low, high, GRID)})
    best = best_share(curve)
    ends = np.column_stack([low[open_zone], high[open_zone]]) if open_zone.any() else np.full((1, 2), np.nan)
    return {
        "draws": n,
        "seed": inputs.seed,
        "p_win_win": float(wins.mean()),
        "p_us": float((g_ours > _TOL).mean()),
        "p_partner": float((g_theirs > _TOL).mean()),
        "p_zone": float(open_zone.mean()),
        "curve": curve,
        "best_share": best,
        "best_p": float(curve.loc[curve["share"] == best, "p_win_win"].iloc[0]),
        "ends_percentiles": pd.DataFrame(
            np.percentile(ends, [5, 50, 95], axis=0).T,
            index=pd.Index(["low", "high"], name="end"),
            columns=["p5", "p50", "p95"],
        ),
    }


def _monte_carlo_findings(mc: dict, s: float) -> list[Finding]:
    p = mc["p_win_win"]
    level = "good" if p >= 0.8 else "caution" if p >= 0.5 else "bad"
    out = [
        Finding(
            level,
            f"Across {mc['draws']:,} scenarios drawn from the ranges, the agreed {_pct(s)} is inside the win-win zone "
            f"in {p:.0%} of them; some share would be win-win in {mc['p_zone']:.0%}.",
        )
    ]
    if mc["best_p"] > p + 0.02:
        out.append(
            Finding(
                "caution",
                f"A share of {_pct(mc['best_share'])} would be win-win most often ({mc['best_p']:.0%} of scenarios).",
            )
        )
    return out


SHEET = register(
    Worksheet(
        name="cross_upsell",
        title="Cross up-selling add-ons",
        kind="option",
        inputs=Inputs,
        assess=assess,
        summary="Sell a competitor's add-on to our customers for a revenue share: the shares for which both "
        "sides gain, and the Nash-bargaining share.",
        sample="cross_upsell_payroll.json",
    )
)


def likely_economics(inputs: Inputs, expected_loss: float = 0.0) -> Economics:
    """The programme's economics at a worksheet's most likely inputs (see :func:`economics`).

    Parameters
    ----------
    inputs : Inputs
        The worksheet's inputs; the most likely customers, attach rate, price and cannibalisation are used.
    expected_loss : float, default 0
        Our expected loss a year from the partner's incidents, money per year (0: leave the
        reputation risk out, as a first calculation by hand does).

    Returns
    -------
    Economics
        Sales a year and each figure in money per year.

    Examples
    --------
    >>> e = likely_economics(Inputs(customers={"likely": 10_000}, attach_rate={"likely": 0.05},
    ...                             price={"likely": 200}, partner_margin=0.8))
    >>> round(e.sales), round(e.revenue), round(e.partner_cost)
    (500, 100000, 20000)
    """
    return _economics(inputs, expected_loss)


def _amount_text(x: float) -> str:
    """A count or an amount as a strategist writes it: whole numbers without decimals, others with two."""
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-6 else f"{x:,.2f}"


def _percent_text(x: float) -> str:
    return f"{x * 100:.4g}%"


def economics_table(inputs: Inputs, expected_loss: float = 0.0) -> pd.DataFrame:
    """The programme's economics at the most likely inputs, each figure with the arithmetic behind it.

    The steps of the model in the module docstring, in order: sales, revenue,
    our support and our own sales lost (cannibalisation), our costs ``C_u``,
    the partner's delivery cost and costs ``C_p``, and the surplus
    ``R - C_u - C_p`` the revenue share divides. A row for the expected loss
    is added when ``expected_loss`` is above 0.

    Parameters
    ----------
    inputs : Inputs
        The worksheet's inputs.
    expected_loss : float, default 0
        Our expected loss a year from the partner's incidents, money per year.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``figure`` (its name), ``amount`` (sales a year in the first row,
        money per year in the others) and ``arithmetic`` (text).

    Examples
    --------
    >>> table = economics_table(Inputs(customers={"likely": 10_000}, attach_rate={"likely": 0.05},
    ...                                price={"likely": 200}, cannibalisation={"likely": 0.2},
    ...                                own_addon_margin=100, support_cost=20, partner_margin=0.8,
    ...                                our_fixed_cost=10_000, partner_fixed_cost=20_000))
    >>> print(table.to_string(index=False, float_format="{:,.0f}".format))
                   figure  amount                              arithmetic
      add-on sales a year     500       10,000 customers × 5% attach rate
                revenue R 100,000                         500 sales × 200
              our support  10,000                                500 × 20
       our own sales lost  10,000                         500 × 20% × 100
            our costs C_u  30,000 10,000 + 10,000 + our fixed cost 10,000
       partner's delivery  20,000                     (1 - 80%) × 100,000
      partner's costs C_p  40,000          20,000 + its fixed cost 20,000
    surplus R - C_u - C_p  30,000               100,000 - 30,000 - 40,000
    """
    e = _economics(inputs, expected_loss)
    n, t = _amount_text(e.sales), _amount_text
    our_parts = [t(e.support), t(e.cannibalised)]
    rows = [
        (
            "add-on sales a year",
            e.sales,
            f"{t(inputs.customers.likely)} customers × {_percent_text(inputs.attach_rate.likely)} attach rate",
        ),
        ("revenue R", e.revenue, f"{n} sales × {t(inputs.price.likely)}"),
        ("our support", e.support, f"{n} × {t(inputs.support_cost)}"),
        (
            "our own sales lost",
            e.cannibalised,
            f"{n} × {_percent_text(inputs.cannibalisation.likely)} × {t(inputs.own_addon_margin)}",
        ),
    ]
    if expected_loss > 0:
        rows.append(("our expected loss", float(expected_loss), "from the partner's incidents"))
        our_parts.append(t(expected_loss))
    rows += [
        ("our costs C_u", e.our_cost, f"{' + '.join(our_parts)} + our fixed cost {t(inputs.our_fixed_cost)}"),
        ("partner's delivery", e.delivery, f"(1 - {_percent_text(inputs.partner_margin)}) × {t(e.revenue)}"),
        ("partner's costs C_p", e.partner_cost, f"{t(e.delivery)} + its fixed cost {t(inputs.partner_fixed_cost)}"),
        ("surplus R - C_u - C_p", e.surplus, f"{t(e.revenue)} - {t(e.our_cost)} - {t(e.partner_cost)}"),
    ]
    return pd.DataFrame(
        {
            "figure": [f for f, _, _ in rows],
            "amount": [float(a) + 0.0 for _, a, _ in rows],
            "arithmetic": [x for _, _, x in rows],
        }
    )
