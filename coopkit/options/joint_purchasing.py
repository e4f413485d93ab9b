"""Option 3: economies of scale through joint purchasing, a buying pool of competitors.

Competitors who buy the same item can pool their orders and reach a lower
price tier of the supplier's volume-discount schedule than any of them reaches
alone. The questions: how much does the pool save, how should the savings be
split, does every member end up better off than buying alone once the pool's
coordination cost is paid, and would some members do better in a smaller pool?

The model (money per year, volumes in units per year):

* the supplier's schedule is an *all-units* quantity discount, the most common
  kind in practice [Munson1998]_: tiers ``(t_k, p_k)`` with ``t_1 = 0 < t_2 < ...``
  and ``p_1 >= p_2 >= ...``; a buyer of ``q`` units pays
  ``p(q) = p_k``, ``k`` the highest tier with ``t_k <= q``, on *every* unit
  (a volume exactly at a break point gets the lower price);
* member ``i`` buys ``q_i``; alone it pays ``q_i p(q_i)``; a group ``S`` buying
  together pays ``Q_S p(Q_S)``, ``Q_S = sum_{i in S} q_i``;
* the *savings game* is ``v(S) = sum_{i in S} q_i p(q_i) - Q_S p(Q_S)``, with
  ``v({i}) = 0``: savings are measured against buying alone, so every member's
  stand-alone payoff is 0. Because ``p`` never rises with volume, ``v`` is
  monotone and superadditive;
* running the pool costs ``C`` a year (a coordinator, tenders, contract
  management), shared in proportion to volume, ``C q_i / Q_N``; for us, the
  first member, the expected loss from a partner's reputational incident is
  added (:mod:`coopkit.frameworks.reputation`). Both enter the win-win check as
  risk adjustments, so member ``i`` gains ``x_i - C q_i / Q_N`` (minus, for us,
  the expected loss) over buying alone.

The savings-split rules compared (each adds up to the pool's savings ``v(N)``):

``equal_price``
    Every member pays the pool's price ``p(Q_N)``, so it saves
    ``x_i = q_i (p(q_i) - p(Q_N))``: the rule most purchasing groups use
    [Schotanus2005]_. It is always in the core, since for every group ``S``,
    ``x(S) - v(S) = Q_S (p(Q_S) - p(Q_N)) >= 0``; but it ignores the part of a
    member's added value that lies in the lower price its volume gets the
    *others*, so under continuous discounts large members, who already buy
    cheaply alone, get less than their Shapley value and may leave
    [Schotanus2008]_.
``volume``
    The savings in proportion to volume, ``x_i = v(N) q_i / Q_N``: the same
    saving per unit for every member.
``shapley``
    Each member's Shapley value of the savings game [Shapley1953]_, its average
    marginal saving over every order of joining the pool.

[Schotanus2008]_ derive the equal-price trap for continuous discounts. On a
tiered schedule the Shapley value depends on which groups cross a break point,
so the equal price can also give the largest member *more* than its Shapley
value; the worksheet computes which holds and says so.

Every rule is checked against the core of the savings game [Gillies1959]_: a
group that would save more pooling on its own than the rule gives it is named.
The verdict (:func:`coopkit.options.common.decide`) adds two conditions of its
own: a group that would leave the chosen split, and a member the chosen rule
gives less than :data:`FAIR_SHARE_FLOOR` (80 %, coopkit's threshold) of its
Shapley value, the dissatisfaction that makes purchasing groups fail
[Schotanus2008]_. Members of a pool differ in size, so their gains in money
always differ widely: the win-win check's money balance (smallest gain over
largest) is not used to call a pool lopsided; the comparison with each
member's Shapley value takes its place.

The competition-law check is the EU safe harbour for joint purchasing: a
combined share of at most 15 % of the purchasing market *and* of the selling
market (:mod:`coopkit.frameworks.antitrust`).

For analyses beyond the worksheet: :func:`price_schedule` reads a supplier's
published volume-band price list (CSV text); :func:`member_splits` sets each
member's share under every rule beside its added value and the least and most
the core allows it (:func:`coopkit.frameworks.game.core_bounds`);
:func:`core_check` names, for every rule, the group that would leave and what
it and the pool would gain and lose; :func:`volume_sweep` repeats the check as
one member's volume grows.

References
----------
.. [Munson1998] Munson, C. L. and Rosenblatt, M. J. (1998). "Theories and
   realities of quantity discounts: an exploratory study". *Production and
   Operations Management* 7(4), 352-369.
.. [Schotanus2005] Schotanus, F. (2005). "Unfair allocation of gains under
   equal price in cooperative purchasing". *Proceedings of the 14th Annual
   IPSERA Conference*, Archamps, France, 975-986.
.. [Schotanus2008] Schotanus, F., Telgen, J. and de Boer, L. (2008). "Unfair
   allocation of gains under the Equal Price allocation method in purchasing
   groups". *European Journal of Operational Research* 187(1), 162-176.
.. [Shapley1953] Shapley, L. S. (1953). "A value for n-person games". *Annals
   of Mathematics Studies* 28, 307-317.
.. [Gillies1959] Gillies, D. B. (1959). "Solutions to general non-zero-sum
   games". *Contributions to the Theory of Games IV*, 47-85.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from coopkit.errors import InputError, require
from coopkit.frameworks import antitrust, game, winwin
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import as_numbers, as_range, draw
from coopkit.options.base import (
    Assessment,
    InputsModel,
    InputsPart,
    NonNegativeUncertain,
    Problem,
    Worksheet,
    _fmt,
    currency_field,
    draws_field,
    name_problems,
    range_problems,
    ranges_field,
    register,
    seed_field,
)
from coopkit.options.common import GuardrailFields, ReputationFields, decide, sensitivity, text_problem

__all__ = [
    "Inputs",
    "Member",
    "Tier",
    "SPLIT_RULES",
    "SPLIT_LABELS",
    "RULE_NAMES",
    "FAIR_SHARE_FLOOR",
    "unit_price",
    "coalition_savings",
    "savings_split",
    "price_schedule",
    "member_splits",
    "core_check",
    "volume_sweep",
    "margin",
    "assess",
    "SHEET",
]

SplitRule = Literal["equal_price", "volume", "shapley"]
SPLIT_RULES: tuple[str, ...] = ("equal_price", "volume", "shapley")
SPLIT_LABELS = {
    "equal_price": "Equal price for all",
    "volume": "In proportion to volume",
    "shapley": "Shapley (fair share of the savings game)",
}
#: Each rule's name in a sentence.
RULE_NAMES = {"equal_price": "equal-price split", "volume": "split by volume", "shapley": "Shapley split"}
#: A member given less than this share of its Shapley value by the chosen rule is a condition of the verdict
#: (coopkit's threshold; [Schotanus2008] show such members tend to leave).
FAIR_SHARE_FLOOR = 0.8
#: Most members a pool may have (the savings game is enumerated over all 2**n groups).
MAX_MEMBERS = 8
#: Largest volume (units per year) and unit price accepted.
VOLUME_LIMIT = 1e12
PRICE_LIMIT = 1e9
_TOL = 0.005  # money: a gain of half a cent or less is no gain
#: Columns the rules table holds beside one per member: no member may be called so.
_RESERVED = frozenset({"win_win", "smallest_gain", "in_core"})
#: Members of a pool differ in size, so their gains in money always differ widely: the win-win check's balance
#: (smallest gain over largest) would flag almost every pool as lopsided. Fairness is judged against each member's
#: Shapley value instead (FAIR_SHARE_FLOOR); this smallest positive threshold switches the money balance off.
_NEVER_LOPSIDED = float(np.nextafter(0.0, 1.0))


class Tier(InputsPart):
    """One tier of the supplier's all-units volume-discount schedule."""

    min_volume: float = Field(
        0.0,
        ge=0,
        le=VOLUME_LIMIT,
        title="From volume",
        description="The smallest yearly volume that gets this tier's price (the first tier starts at 0).",
        json_schema_extra={"unit": "units/year"},
    )
    unit_price: float = Field(
        gt=0,
        le=PRICE_LIMIT,
        title="Unit price",
        description="Price of every unit bought once the volume reaches this tier (an all-units discount).",
        json_schema_extra={"unit": "money/unit"},
    )


class Member(InputsPart):
    """One member of the buying pool."""

    name: str = Field(min_length=1, max_length=40, title="Name", description="Name of the organisation.")
    volume: NonNegativeUncertain = Field(
        title="Volume",
        description="What the member buys a year of the item the pool buys (same specification), in units.",
        json_schema_extra={"unit": "units/year"},
    )
    buying_share: float = Field(
        0.0,
        ge=0,
        le=1,
        title="Share of purchases",
        description="The member's share of the purchasing market for the item (for the competition-law check).",
        json_schema_extra={"unit": "share 0-1"},
    )
    selling_share: float = Field(
        0.0,
        ge=0,
        le=1,
        title="Share of its market",
        description="The member's share of the market where the members compete as sellers (for the "
        "competition-law check).",
        json_schema_extra={"unit": "share 0-1"},
    )


class Inputs(ReputationFields, GuardrailFields, InputsModel):
    """What a strategist enters for a joint-purchasing pool. The first member is us."""

    currency: str = currency_field()
    unit_name: str = Field(
        "units",
        min_length=1,
        max_length=30,
        title="Unit",
        description="What one unit is, e.g. 'boxes of 100 gloves' (used in the results' labels).",
    )
    tiers: list[Tier] = Field(
        min_length=1,
        max_length=12,
        title="Supplier's price tiers",
        description="The supplier's volume-discount schedule, 1 to 12 tiers: from each volume on, every unit "
        "costs the tier's price. The first tier starts at 0; volumes rise and prices do not.",
        json_schema_extra={"item_title": "Tier", "new_item": {"min_volume": 0.0, "unit_price": 1.0}},
    )
    members: list[Member] = Field(
        min_length=2,
        max_length=MAX_MEMBERS,
        title="Members",
        description=f"The competitors buying together, 2 to {MAX_MEMBERS}; the first is us.",
        json_schema_extra={"item_title": "Member", "new_item": {"name": "New member", "volume": {"likely": 0.0}}},
    )
    coordination_cost: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=0.0),
        title="Coordination cost",
        description="What running the pool costs a year: a coordinator, tenders, contract management. "
        "Shared in proportion to volume.",
        json_schema_extra={"unit": "money/year"},
    )
    split_rule: SplitRule = Field(
        "shapley",
        title="Savings split",
        description="How the pool's savings are split between the members.",
        json_schema_extra={"labels": SPLIT_LABELS},
    )
    use_ranges: bool = ranges_field("P(win-win)")
    draws: int = draws_field(100_000, 1_000_000)
    seed: int = seed_field()

    def problems(self) -> list[Problem]:
        """Checks across fields: a valid tier schedule, distinct names, volumes to pool, shares, ordered ranges."""
        out: list[Problem] = []
        first = self.tiers[0].min_volume
        if first != 0:
            out.append(
                Problem(
                    ("tiers", 0, "min_volume"),
                    f"Tier 1: From volume must be 0 (the first tier's price applies to any volume), got {_fmt(first)}",
                )
            )
        for j in range(1, len(self.tiers)):
            before, tier = self.tiers[j - 1], self.tiers[j]
            if tier.min_volume <= before.min_volume:
                out.append(
                    Problem(
                        ("tiers", j, "min_volume"),
                        f"Tier {j + 1}: From volume must be more than tier {j}'s ({_fmt(before.min_volume)}), "
                        f"got {_fmt(tier.min_volume)}",
                    )
                )
            if tier.unit_price > before.unit_price:
                out.append(
                    Problem(
                        ("tiers", j, "unit_price"),
                        f"Tier {j + 1}: Unit price must be at most tier {j}'s ({_fmt(before.unit_price)}): "
                        f"prices may not rise with volume, got {_fmt(tier.unit_price)}",
                    )
                )
        out += name_problems(
            self.members,
            "members",
            "Member",
            lambda name: (
                f"name {name!r} is the name of a column of the results; choose another" if name in _RESERVED else None
            ),
        )
        for j, member in enumerate(self.members):
            if member.volume.likely <= 0:
                out.append(
                    Problem(
                        ("members", j, "volume"),
                        f"Member {j + 1}: Volume (most likely) must be more than 0: every member buys something",
                    )
                )
        buying = sum(m.buying_share for m in self.members)
        if buying > 1 + 1e-9:
            out.append(Problem(("members",), f"Shares of purchases must add up to at most 1, got {buying:.4g}"))
        selling = sum(m.selling_share for m in self.members)
        if selling > 1 + 1e-9:
            out.append(Problem(("members",), f"Shares of their market must add up to at most 1, got {selling:.4g}"))
        rival = text_problem(self, "rival_shares", self.rival_share_list)
        out += rival
        if not rival and selling <= 1 + 1e-9:
            together = selling + sum(self.rival_share_list())
            if together > 1 + 1e-9:
                out.append(
                    Problem(
                        ("rival_shares",),
                        "Other large players' shares and the members' shares of their market must add up to "
                        f"at most 1, got {together:.4g}",
                    )
                )
        if self.use_ranges:
            out += range_problems(self, ["coordination_cost", *self.reputation_ranges()])
            for j, member in enumerate(self.members):
                msg = member.volume.range_problem()
                if msg:
                    out.append(Problem(("members", j, "volume"), f"Member {j + 1}: Volume {msg}"))
        return out


# --------------------------------------------------------------------------- the savings game
def _schedule(thresholds, prices) -> tuple[np.ndarray, np.ndarray]:
    """The tier schedule as arrays, checked: first threshold 0, thresholds rising, prices > 0 and not rising."""
    t = as_numbers(thresholds, "tiers: from volume", "be volumes in units per year")
    p = as_numbers(prices, "tiers: unit price", "be prices per unit")
    require(t.ndim == 1 and t.size >= 1, "tiers", t.tolist(), "list at least one tier")
    require(p.shape == t.shape, "tiers: unit price", p.tolist(), f"give one price per tier ({t.size})")
    require(bool(np.all(np.isfinite(t))), "tiers: from volume", t.tolist(), "be finite volumes")
    require(bool(np.all(np.isfinite(p) & (p > 0))), "tiers: unit price", p.tolist(), "be prices greater than 0")
    require(t[0] == 0, "tiers: from volume", t.tolist(), "start at 0 (the first tier's price applies to any volume)")
    require(bool(np.all(np.diff(t) > 0)), "tiers: from volume", t.tolist(), "rise strictly from tier to tier")
    require(bool(np.all(np.diff(p) <= 0)), "tiers: unit price", p.tolist(), "not rise with volume")
    return t, p


def unit_price(volume, thresholds, prices) -> np.ndarray:
    """Unit price under an all-units discount: the price of the highest tier whose threshold the volume reaches.

    Parameters
    ----------
    volume : float or array
        Units per year, >= 0, any shape.
    thresholds : sequence of float
        Each tier's smallest volume, units per year: the first 0, then strictly rising.
    prices : sequence of float
        Each tier's price, money per unit, > 0 and never rising.

    Returns
    -------
    numpy.ndarray
        Money per unit, the shape of ``volume``. A volume exactly at a break
        point gets that tier's (lower) price.

    Examples
    --------
    >>> unit_price([0, 9_999, 10_000, 25_000, 1e6], [0, 10_000, 25_000], [9.0, 8.4, 7.8]).tolist()
    [9.0, 9.0, 8.4, 7.8, 7.8]
    >>> unit_price(5, [0, 10], [2.0, 3.0])
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: tiers: unit price must not rise with volume, got [2.0, 3.0]
    """
    t, p = _schedule(thresholds, prices)
    q = as_numbers(volume, "volume", "be a number of units per year")
    bad = ~(np.isfinite(q) & (q >= 0))
    if bad.any():  # the value in the message is built only when needed: q may hold millions of draws
        raise InputError("volume", float(q[bad].flat[0]), "be at least 0 units per year")
    return p[np.searchsorted(t, q, side="right") - 1]


def _members(n: int) -> np.ndarray:
    """Membership matrix (2**n, n) of 0/1 floats, row = coalition by bit mask (``game.coalition_values``' order)."""
    return ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(float)


def coalition_savings(volumes, thresholds, prices) -> np.ndarray:
    """The savings game: ``v(S) = sum_{i in S} q_i p(q_i) - Q_S p(Q_S)`` for every group ``S``, money per year.

    Parameters
    ----------
    volumes : array, shape (..., n)
        Each member's units per year, with an optional leading axis of Monte Carlo draws.
    thresholds, prices : sequence of float
        The tier schedule (see :func:`unit_price`).

    Returns
    -------
    numpy.ndarray, shape (..., 2**n)
        Savings of every group by bit mask (bit ``j`` set: member ``j`` is in),
        the order of :func:`coopkit.frameworks.game.coalition_values`; 0 for
        the empty group and for every single member.

    Examples
    --------
    A and B (50 units each) pay 10 alone and reach the 5 tier together; C
    (100 units) already pays 5 and adds nothing once A and B pool:

    >>> coalition_savings([50, 50, 100], [0, 100, 300], [10.0, 5.0, 4.9]).tolist()
    [0.0, 0.0, 0.0, 500.0, 0.0, 250.0, 250.0, 500.0]
    """
    t, p = _schedule(thresholds, prices)
    q = as_numbers(volumes, "volumes", "be numbers of units per year")
    require(q.ndim >= 1 and 1 <= q.shape[-1] <= 20, "volumes", q.shape, "list 1 to 20 members")
    price_alone = unit_price(q, t, p)
    members = _members(q.shape[-1])
    pooled = q @ members.T
    return (q * price_alone) @ members.T - pooled * unit_price(pooled, t, p)


def _split(rule: str, q: np.ndarray, t: np.ndarray, p: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Savings shares under ``rule`` from volumes ``q`` (..., n) and the game ``v`` (..., 2**n) already computed."""
    total = v[..., -1:]
    if rule == "equal_price":
        pooled = q.sum(axis=-1, keepdims=True)
        return q * (unit_price(q, t, p) - unit_price(pooled, t, p))
    if rule == "volume":
        pooled = q.sum(axis=-1, keepdims=True)
        return total * np.divide(q, pooled, out=np.zeros(np.broadcast(q, pooled).shape), where=pooled > 0)
    if rule == "shapley":
        return v @ game.shapley_matrix(q.shape[-1]).T
    raise ValueError(f"unknown split rule {rule!r}")


def savings_split(rule: str, volumes, thresholds, prices) -> np.ndarray:
    """Each member's share of the pool's savings under a rule, money per year; the shares add up to ``v(N)``.

    Parameters
    ----------
    rule : {"equal_price", "volume", "shapley"}
        See the module docstring for the formulas.
    volumes : array, shape (..., n)
        Units per year, with an optional leading axis of Monte Carlo draws.
    thresholds, prices : sequence of float
        The tier schedule (see :func:`unit_price`).

    Examples
    --------
    >>> {r: savings_split(r, [50, 50, 100], [0, 100, 300], [10.0, 5.0, 4.9]).round(2).tolist() for r in SPLIT_RULES}
    {'equal_price': [250.0, 250.0, 0.0], 'volume': [125.0, 125.0, 250.0], 'shapley': [208.33, 208.33, 83.33]}

    Only the equal price is in the core here: A and B save 500 without C, and
    the other rules give them less.
    """
    require(rule in SPLIT_RULES, "split_rule", rule, f"be one of {', '.join(SPLIT_RULES)}")
    t, p = _schedule(thresholds, prices)
    q = as_numbers(volumes, "volumes", "be numbers of units per year")
    return _split(rule, q, t, p, coalition_savings(q, t, p))


def _value(v: np.ndarray):
    """The game table ``v`` as a vectorised characteristic function for :mod:`coopkit.frameworks.game`."""
    n = int(v.size).bit_length() - 1
    weights = 1 << np.arange(n, dtype=np.int64)
    return lambda members: v[members.astype(np.int64) @ weights]


def _synergy(names: list[str], v: np.ndarray):
    """The savings game as the win-win check's synergy profile ``g(S) = v(S) / v(N)`` (None without savings)."""
    total = float(v[-1])
    if total <= 0:
        return None
    profile = np.clip(v / total, 0.0, 1.0)
    profile[-1] = 1.0
    index = {name: j for j, name in enumerate(names)}
    return lambda coalition: float(profile[sum(1 << index[p] for p in coalition)])


# --------------------------------------------------------------------------- analyses beyond the worksheet
def price_schedule(text: str, source: str = "Price list") -> pd.DataFrame:
    """A supplier's published volume-band price list, read from CSV text, as the tier schedule.

    The header names ``min_volume`` (the smallest yearly volume of the band,
    units) and ``unit_price`` (money per unit on every unit, an all-units
    discount), and may name ``band`` (a label) and ``max_volume`` (the band's
    largest volume; blank on the last, open-ended band). Bands are read in the
    file's order and checked as :func:`unit_price` checks a schedule; a
    ``max_volume`` must end its band below the next band's start, by at most
    one unit (whole-unit lists give 0-249, 250-749, ...).

    Parameters
    ----------
    text : str
        The CSV, with a header row (comma, semicolon or tab).
    source : str, default "Price list"
        The name used in messages.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``band`` (1, 2, ... without a band column): ``min_volume``
        (units/year), ``unit_price`` (money/unit) and, when given,
        ``max_volume`` (units/year, ``inf`` on the last band). Pass
        ``min_volume`` and ``unit_price`` as the thresholds and prices of the
        other functions.

    Examples
    --------
    >>> text = "band,min_volume,max_volume,unit_price\\nA,0,99,10\\nB,100,,9.5"
    >>> price_schedule(text).to_dict("index")
    {'A': {'min_volume': 0.0, 'max_volume': 99.0, 'unit_price': 10.0}, 'B': {'min_volume': 100.0, 'max_volume': inf, 'unit_price': 9.5}}
    >>> price_schedule("min_volume,unit_price\\n0,10\\n100,11")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Price list: tiers: unit price must not rise with volume, got [10.0, 11.0]

    References
    ----------
    Munson and Rosenblatt (1998) on all-units quantity discounts.
    """
    import pandera.pandas as pa

    from coopkit.frameworks.survey import read_csv_text, validate_table

    def number(low: float, high: float, rule: str) -> pa.Check:
        return pa.Check(lambda s: pd.to_numeric(s, errors="coerce").between(low, high).fillna(False), error=rule)

    frame = read_csv_text(text, source, max_rows=100)
    schema = pa.DataFrameSchema(
        {
            "band": pa.Column(nullable=False, required=False),
            "min_volume": pa.Column(nullable=False, checks=number(0, VOLUME_LIMIT, "hold volumes of at least 0")),
            "max_volume": pa.Column(
                nullable=True, required=False, checks=number(0, VOLUME_LIMIT, "hold volumes of at least 0, or be blank")
            ),
            "unit_price": pa.Column(nullable=False, checks=number(1e-12, PRICE_LIMIT, "hold prices of more than 0")),
        },
        strict=False,
    )
    validate_table(frame, schema, source)
    t = pd.to_numeric(frame["min_volume"]).to_numpy(dtype=float)
    p = pd.to_numeric(frame["unit_price"]).to_numpy(dtype=float)
    try:
        _schedule(t, p)
    except InputError as exc:
        raise InputError(source, exc.value, exc.rule, message=f"{source}: {exc}") from None
    names = frame["band"].tolist() if "band" in frame else list(range(1, t.size + 1))
    require(len(set(names)) == len(names), f"{source}: band", names, "name each band once")
    out = pd.DataFrame({"min_volume": t}, index=pd.Index(names, name="band"))
    if "max_volume" in frame:
        top = pd.to_numeric(frame["max_volume"]).to_numpy(dtype=float)
        require(np.isnan(top[-1]), f"{source}: max_volume of the last band", top[-1], "be blank (it has no top)")
        upper = t[1:]
        bad = np.flatnonzero(~((top[:-1] < upper) & (top[:-1] >= upper - 1)))
        if bad.size:
            j = int(bad[0])
            raise InputError(
                f"{source}: max_volume of band {names[j]}",
                float(top[j]),
                f"end the band just below the next band's start ({upper[j]:g}): no gap, no overlap",
            )
        out["max_volume"] = np.append(top[:-1], np.inf)
    out["unit_price"] = p
    return out


def _group_name(names, mask: int) -> str:
    """A group's members joined by " + "; a group of more than three as "all but" the members left out."""
    inside = [str(m) for j, m in enumerate(names) if mask >> j & 1]
    outside = [str(m) for j, m in enumerate(names) if not mask >> j & 1]
    if len(inside) <= 3:
        return " + ".join(inside)
    return "all but " + " + ".join(outside) if outside else "all members"


def member_splits(names, volumes, thresholds, prices) -> pd.DataFrame:
    """Each member's savings under every rule beside what it adds and what the core allows it.

    Parameters
    ----------
    names : sequence of str
        The members, 2 to 16.
    volumes : sequence of float
        Each member's units per year, >= 0.
    thresholds, prices : sequence of float
        The tier schedule (see :func:`unit_price`).

    Returns
    -------
    pandas.DataFrame
        Indexed by member (``party``): ``units`` (units/year), ``price_alone``
        (money/unit), ``added_value`` (``v(N) - v(N minus i)``), ``core_least``
        and ``core_most`` (the least and the most any split in the core gives
        it, :func:`coopkit.frameworks.game.core_bounds`) and one column per
        rule of :data:`SPLIT_RULES` (its savings under that rule), all money
        per year. The core is never empty here: the equal price is in it.

    Examples
    --------
    A and B (50 units each) reach the 5 tier only together; C already pays 5:

    >>> member_splits(["A", "B", "C"], [50, 50, 100], [0, 100, 300], [10.0, 5.0, 4.9]).round(2).to_dict("index")["C"]
    {'units': 100.0, 'price_alone': 5.0, 'added_value': 0.0, 'core_least': 0.0, 'core_most': 0.0, 'equal_price': 0.0, 'volume': 250.0, 'shapley': 83.33}

    References
    ----------
    Shapley (1953); Gillies (1959); Schotanus, Telgen and de Boer (2008).
    """
    t, p = _schedule(thresholds, prices)
    q = as_numbers(volumes, "volumes", "be numbers of units per year")
    members = list(names)
    require(q.shape == (len(members),), "volumes", q.tolist(), f"give one volume per member ({len(members)})")
    v = coalition_savings(q, t, p)
    value = _value(v)
    added = game.added_value(members, value, vectorized=True)
    bounds = game.core_bounds(members, value, vectorized=True)
    # The equal price is in the core (module docstring), so the core is never empty.
    out = pd.DataFrame(
        {
            "units": q,
            "price_alone": unit_price(q, t, p),
            "added_value": [added[m] for m in members],
            "core_least": bounds["least"].to_numpy(),
            "core_most": bounds["most"].to_numpy(),
            **{rule: _split(rule, q, t, p, v) for rule in SPLIT_RULES},
        },
        index=pd.Index(members, name="party"),
    )
    return out


def core_check(names, volumes, thresholds, prices) -> pd.DataFrame:
    """For every split rule: is it in the core, and if not, which group would leave and what it costs the pool.

    Parameters
    ----------
    names, volumes, thresholds, prices
        As in :func:`member_splits`.

    Returns
    -------
    pandas.DataFrame
        Indexed by rule (:data:`SPLIT_RULES`): ``in_core``; ``blocking``, the
        group that gains most by pooling on its own (members joined by " + ",
        a group of more than three as "all but" the others, ``"none"`` in the
        core); then, money per year and 0 in the core,
        ``group_alone`` (what the group saves on its own, ``v(S)``),
        ``group_gets`` (what the rule gives it, ``x(S)``),
        ``gain_from_leaving`` (the difference), ``rest_alone`` (what the members
        left behind save without it, ``v(N minus S)``) and ``savings_lost``
        (``v(N) - v(S) - v(N minus S)``, what the break-up costs all of them).

    Examples
    --------
    >>> check = core_check(["A", "B", "C"], [50, 50, 100], [0, 100, 300], [10.0, 5.0, 4.9])
    >>> check[["in_core", "blocking", "group_alone", "group_gets", "gain_from_leaving"]].round(2).to_dict("index")["volume"]
    {'in_core': False, 'blocking': 'A + B', 'group_alone': 500.0, 'group_gets': 250.0, 'gain_from_leaving': 250.0}

    References
    ----------
    Gillies (1959) for the core; :func:`coopkit.frameworks.game.blocking_coalition`.
    """
    t, p = _schedule(thresholds, prices)
    q = as_numbers(volumes, "volumes", "be numbers of units per year")
    members = list(names)
    require(q.shape == (len(members),), "volumes", q.tolist(), f"give one volume per member ({len(members)})")
    v = coalition_savings(q, t, p)
    value = _value(v)
    full = (1 << len(members)) - 1
    tol = 1e-6 * max(1.0, abs(float(v[-1])))
    rows = {}
    for rule in SPLIT_RULES:
        x = _split(rule, q, t, p, v)
        group = game.blocking_coalition(members, value, x, tol=tol, vectorized=True)
        if group is None:
            rows[rule] = [True, "none", 0.0, 0.0, 0.0, 0.0, 0.0]
            continue
        inside = np.array([m in group for m in members])
        mask = int(inside @ (1 << np.arange(len(members))))
        alone, gets, rest = float(v[mask]), float(x[inside].sum()), float(v[full ^ mask])
        rows[rule] = [False, _group_name(members, mask), alone, gets, alone - gets, rest, float(v[-1]) - alone - rest]
    columns = ["in_core", "blocking", "group_alone", "group_gets", "gain_from_leaving", "rest_alone", "savings_lost"]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    out.index.name = "rule"
    return out


def volume_sweep(names, volumes, member: str, grid, thresholds, prices) -> pd.DataFrame:
    """How the splits and the core check change as one member's volume grows, the others unchanged.

    Parameters
    ----------
    names, volumes, thresholds, prices
        As in :func:`member_splits`.
    member : str
        The member whose volume varies.
    grid : sequence of float
        Its volumes to try, units per year, >= 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by the member's volume (units/year; whole numbers when all are
        whole): ``pool_price`` (money/unit),
        ``savings`` (``v(N)``), the member's savings under every rule of
        :data:`SPLIT_RULES`, and, for the volume and Shapley splits, whether
        each is in the core (``volume_in_core``, ``shapley_in_core``) and the
        group that would leave it (``volume_blocking``, ``shapley_blocking``;
        ``"none"`` in the core).

    Examples
    --------
    >>> sweep = volume_sweep(["A", "B", "C"], [50, 50, 100], "C", [50, 100], [0, 100, 300], [10.0, 5.0, 4.9])
    >>> sweep[["savings", "volume", "volume_in_core", "shapley_in_core"]].round(2).to_dict("index")
    {50: {'savings': 750.0, 'volume': 250.0, 'volume_in_core': True, 'shapley_in_core': True}, 100: {'savings': 500.0, 'volume': 250.0, 'volume_in_core': False, 'shapley_in_core': False}}
    """
    members = list(names)
    require(member in members, "member", member, f"be one of the members ({', '.join(members)})")
    j = members.index(member)
    base = as_numbers(volumes, "volumes", "be numbers of units per year")
    require(base.shape == (len(members),), "volumes", base.tolist(), f"give one volume per member ({len(members)})")
    t, p = _schedule(thresholds, prices)
    sizes = as_numbers(grid, "grid", "be volumes in units per year").ravel()
    rows = []
    for amount in sizes.tolist():
        q = base.copy()
        q[j] = amount
        v = coalition_savings(q, t, p)
        check = core_check(members, q, t, p)
        rows.append(
            {
                "pool_price": float(unit_price(q.sum(), t, p)),
                "savings": float(v[-1]),
                **{rule: float(_split(rule, q, t, p, v)[j]) for rule in SPLIT_RULES},
                "volume_in_core": bool(check.at["volume", "in_core"]),
                "volume_blocking": check.at["volume", "blocking"],
                "shapley_in_core": bool(check.at["shapley", "in_core"]),
                "shapley_blocking": check.at["shapley", "blocking"],
            }
        )
    whole = bool(np.all(sizes == np.round(sizes)))  # whole volumes are shown as whole numbers
    return pd.DataFrame(rows, index=pd.Index(sizes.astype(np.int64) if whole else sizes, name=member))


# --------------------------------------------------------------------------- the assessment
def _point(inputs: Inputs):
    names = [m.name.strip() for m in inputs.members]
    q = np.array([m.volume.likely for m in inputs.members], dtype=float)
    t = np.array([tier.min_volume for tier in inputs.tiers], dtype=float)
    p = np.array([tier.unit_price for tier in inputs.tiers], dtype=float)
    return names, q, t, p, float(inputs.coordination_cost.likely)


def margin(inputs: Inputs) -> float:
    """The smallest member's gain over buying alone at the most likely inputs, money per year (for the tornado).

    Examples
    --------
    >>> inputs = Inputs(tiers=[{"min_volume": 0, "unit_price": 10}, {"min_volume": 100, "unit_price": 8}],
    ...                 members=[{"name": "A", "volume": {"likely": 60}}, {"name": "B", "volume": {"likely": 40}}],
    ...                 coordination_cost={"likely": 50}, split_rule="equal_price")
    >>> margin(inputs)  # B saves 40 x 2 = 80 and pays 40% of the coordination cost
    60.0
    """
    _, q, t, p, C = _point(inputs)
    v = coalition_savings(q, t, p)
    gain = _split(inputs.split_rule, q, t, p, v) - C * q / q.sum()
    gain[0] -= inputs.reputation(False, 1_000, 0).risk_adjustment
    return float(gain.min())


def assess(inputs: Inputs) -> Assessment:
    """Assess a joint-purchasing pool.

    Returns
    -------
    Assessment
        Verdict go / go with conditions / no-go; ``parties`` holds each
        member's savings (``share``), coordination cost (``cost_share``),
        expected loss (``risk``), ``gain`` and ``added_value``, money per year;
        tables ``members`` (volume, unit price alone and in the pool, savings,
        Shapley value), ``rules`` (each rule's savings, whether win-win, the
        smallest gain, whether in the core), ``pool``, ``tiers`` and
        ``sensitivity``; ``details`` holds the ``winwin``, ``risk`` and
        ``guardrails`` results, the ``shapley`` values and the ``blocking``
        group of each rule.

    Examples
    --------
    A (70 units) and B (30) pay 10 a unit alone and 8 together; the pool costs
    20 a year to run. Neither reaches the tier alone, so Shapley splits the 200
    of savings equally, and the equal price gives B only 60% of that:

    >>> data = dict(tiers=[{"min_volume": 0, "unit_price": 10}, {"min_volume": 100, "unit_price": 8}],
    ...             members=[{"name": "A", "volume": {"likely": 70}}, {"name": "B", "volume": {"likely": 30}}],
    ...             coordination_cost={"likely": 20})
    >>> a = assess(Inputs(**data, split_rule="shapley"))
    >>> a.verdict, [round(x) for x in a.parties["gain"]]
    ('go', [86, 94])
    >>> a = assess(Inputs(**data, split_rule="equal_price"))
    >>> a.verdict, [round(x) for x in a.parties["gain"]]
    ('go with conditions', [126, 54])
    """
    names, q, t, p, C = _point(inputs)
    n = len(names)
    use = inputs.use_ranges
    v = coalition_savings(q, t, p)
    total = float(v[-1])
    pooled = float(q.sum())
    price_alone = unit_price(q, t, p)
    price_pool = float(unit_price(pooled, t, p))
    splits = {rule: _split(rule, q, t, p, v) for rule in SPLIT_RULES}
    phi = splits["shapley"]
    coordination = C * q / pooled
    risk = inputs.reputation(use, inputs.draws, inputs.seed)
    taint = np.zeros(n)
    taint[0] = risk.risk_adjustment
    rule = inputs.split_rule
    label = SPLIT_LABELS[rule]
    x = splits[rule]
    deal = winwin.check(
        names,
        [0.0] * n,
        total,
        split_rule="given",
        amounts=x.tolist(),
        risk_adjustment=(coordination + taint).tolist(),
        synergy=_synergy(names, v),
        lopsided_below=_NEVER_LOPSIDED,
    )
    value = _value(v)
    tol = 1e-6 * max(1.0, abs(total))
    rows, blocking = {}, {}
    for r in SPLIT_RULES:
        gain = splits[r] - coordination - taint
        blocking[r] = game.blocking_coalition(names, value, splits[r], tol=tol, vectorized=True)
        rows[SPLIT_LABELS[r]] = [*splits[r], bool((gain > _TOL).all()), float(gain.min()), blocking[r] is None]
    rules_table = pd.DataFrame.from_dict(rows, orient="index", columns=[*names, "win_win", "smallest_gain", "in_core"])
    rules_table.index.name = "savings split"
    p_win_win = _monte_carlo(inputs, t, p, risk) if use else None
    guard = antitrust.assess(
        [m.selling_share for m in inputs.members],
        "purchasing",
        other_shares=inputs.rival_share_list(),
        buying_shares=[m.buying_share for m in inputs.members],
    )
    extra = _conditions(names, rule, x, phi, blocking[rule], deal, tol)
    verdict, level, passed, conditions = decide(deal, risk, guard, p_win_win, extra=extra)
    largest = int(np.argmax(q))
    trap = _equal_price_finding(names, largest, splits, rule, total)
    findings = [
        *conditions,
        Finding(
            "info",
            f"Together the members buy {pooled:,.0f} {inputs.unit_name} a year at {price_pool:,.2f} a unit; "
            f"alone they would pay {_price_range(price_alone)}. The pool saves {total:,.0f} a year, "
            f"{total - C:,.0f} after the coordination cost of {C:,.0f}.",
        ),
        *_leavers(names, x, coordination, taint),
        *trap,
        *_win_win_findings(deal, RULE_NAMES[rule], shapley_gap=not (trap and rule == "equal_price")),
        *_core_findings(names, splits, blocking, rule, v),
        *(risk.findings[:2] if risk.revenue > 0 else []),
    ]
    effective = price_alone - np.divide(x, q, out=np.zeros(n), where=q > 0)
    members = pd.DataFrame(
        {
            "volume": q,
            "price_alone": price_alone,
            "price_pool": effective,
            "savings": x,
            "shapley": phi,
            "of_shapley": np.divide(x, phi, out=np.full(n, np.nan), where=phi > tol),
            "coordination": coordination,
        },
        index=pd.Index(names, name="party"),
    )
    pool = pd.DataFrame(
        {
            "figure": [
                "Pooled volume",
                "Unit price in the pool",
                "Spend if each buys alone",
                "Spend in the pool",
                "Savings",
                "Coordination cost",
                "Savings after coordination cost",
            ],
            "value": [pooled, price_pool, float(q @ price_alone), pooled * price_pool, total, C, total - C],
            "unit": [f"{inputs.unit_name}/year", "money/unit", *(["money/year"] * 5)],
        }
    ).set_index("figure")
    parties = pd.DataFrame(
        {"share": x, "cost_share": coordination, "risk": taint, "gain": deal.gain, "added_value": deal.added_value},
        index=pd.Index(names, name="party"),
    )
    tiers = pd.DataFrame({"min_volume": t, "unit_price": p}, index=pd.RangeIndex(1, len(t) + 1, name="tier"))
    return Assessment(
        worksheet="joint_purchasing",
        verdict=verdict,
        level=level,
        passed=passed,
        headline=_headline(names, deal, inputs.currency, rule),
        findings=findings,
        parties=parties,
        tables={
            "members": members,
            "rules": rules_table,
            "pool": pool,
            "tiers": tiers,
            "sensitivity": sensitivity(inputs, margin, _sensitive(inputs)),
        },
        probability=p_win_win,
        details={
            "winwin": deal,
            "risk": risk,
            "guardrails": guard,
            "shapley": phi,
            "blocking": {SPLIT_LABELS[r]: b for r, b in blocking.items()},
            "rule": rule,
            "chosen_rule": label,
            "largest": names[largest],
            "unit_name": inputs.unit_name,
        },
        currency=inputs.currency,
        assumptions=[
            "The supplier's discount is all-units: every unit is bought at the price of the highest tier the "
            "volume reaches; each member buys exactly its volume, alone or in the pool.",
            "A member's alternative is to buy its own volume alone on the same schedule (a gain of 0).",
            "The coordination cost is shared in proportion to volume; the core check is on the savings before it "
            "(a group that breaks away is assumed to run its own pool at a similar cost).",
            "The reputation risk is a partner's incident tainting the pool; it is counted against us, the first member.",
            *risk.assumptions[:2],
        ],
    )


def _sensitive(inputs: Inputs) -> list[tuple]:
    """The inputs the tornado swings: the coordination cost, every volume, and the incident rate when it counts."""
    out = [("coordination_cost",), ("members", "*", "volume")]
    return [*out, ("rep_base_rate",)] if inputs.rep_revenue.likely > 0 else out


def _price_range(prices: np.ndarray) -> str:
    low, high = float(prices.min()), float(prices.max())
    return f"{low:,.2f}" if low == high else f"{low:,.2f} to {high:,.2f}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _group(names: list[str], members) -> list[str]:
    """Names of a group in the members' order."""
    return [p for p in names if p in members]


def _conditions(names, rule, x, phi, blocking, deal, tol) -> list[str]:
    """Option-specific conditions: a group that would pool without the others; a member short-changed."""
    out = []
    if deal.win_win and blocking is not None:
        inside = _group(names, blocking)
        outside = [p for p in names if p not in blocking]
        out.append(
            f"{_join(inside)} would save more pooling without {_join(outside)}; "
            "give them a larger share (the equal price is always in the core)"
        )
    if deal.win_win and rule != "shapley":
        for j, name in enumerate(names):
            if phi[j] > tol and x[j] < FAIR_SHARE_FLOOR * phi[j] - tol:
                out.append(
                    f"the {RULE_NAMES[rule]} gives {name} only {x[j] / phi[j]:.0%} of its Shapley value "
                    f"({x[j]:,.0f} of {phi[j]:,.0f} a year); agree a rebate or split by Shapley before it leaves the pool"
                )
    return out


def _leavers(names, x, coordination, taint) -> list[Finding]:
    """Members who would be better off buying alone: their savings do not cover their costs of the pool."""
    out = []
    for j, name in enumerate(names):
        cost = coordination[j] + taint[j]
        if x[j] - cost <= _TOL:
            what = "its share of the coordination cost" + (" and its expected loss" if taint[j] > 0 else "")
            out.append(
                Finding(
                    "bad",
                    f"{name} would be better off buying alone: it saves {x[j]:,.0f} a year in the pool, "
                    f"not more than {what} ({cost:,.0f}).",
                )
            )
    return out


def _equal_price_finding(names, largest, splits, rule, total) -> list[Finding]:
    """Make the equal-price trap visible: the largest member against its Shapley value [Schotanus2008]."""
    ep, fair = float(splits["equal_price"][largest]), float(splits["shapley"][largest])
    gap = fair - ep
    if gap <= 0.005 * max(1.0, abs(total)):
        return []
    return [
        Finding(
            "caution" if rule == "equal_price" else "info",
            f"Equal price gives {names[largest]}, the largest member, {ep:,.0f} a year: {gap:,.0f} ({gap / fair:.0%}) "
            f"less than its Shapley value of {fair:,.0f}. An equal price credits each member only with the drop in its "
            "own price, not with the lower price its volume gets the others (Schotanus, Telgen and de Boer, 2008).",
        )
    ]


def _core_findings(names, splits, blocking, rule, v) -> list[Finding]:
    """Rules other than the chosen one whose split a group would leave (the chosen rule's is in the win-win findings)."""
    out = []
    weights = {p: 1 << j for j, p in enumerate(names)}
    for r in SPLIT_RULES:
        group = blocking[r]
        if r == rule or group is None:
            continue
        inside = _group(names, group)
        could = float(v[sum(weights[p] for p in inside)])
        got = float(sum(splits[r][names.index(p)] for p in inside))
        outside = [p for p in names if p not in group]
        out.append(
            Finding(
                "info",
                f"Under the {RULE_NAMES[r]}, {_join(inside)} would save {could:,.0f} pooling without "
                f"{_join(outside)}, more than the {got:,.0f} that split gives them: it is not in the core.",
            )
        )
    return out


def _win_win_findings(deal, rule_name: str, *, shapley_gap: bool = True) -> list[Finding]:
    """The win-win check's findings in the pool's words: the "given" split named by its rule, its risk
    adjustments called the costs of the pool (the coordination cost and, for us, the expected loss).

    Left out: its surplus sentence when there are savings (the pool finding
    says it in the pool's words) and, unless ``shapley_gap``, its comparison
    with the Shapley split (the equal-price finding already makes it).
    """
    out = []
    for finding in deal.findings:
        if deal.surplus > 0 and finding.text.startswith("The partnership creates a surplus"):
            continue
        if not shapley_gap and finding.text.startswith("Compared with the Shapley split"):
            continue
        text = finding.text.replace("the given split", f"the {rule_name}")
        text = text.replace("after the expected losses from the deal", "after the costs of the pool")
        text = text.replace("(expected loss ", "(costs of the pool ")
        out.append(finding if text == finding.text else Finding(finding.level, text))
    return out


def _headline(names, deal, currency, rule) -> str:
    gains = ", ".join(f"{p} {x:+,.0f}" for p, x in zip(names, deal.gain, strict=True))
    return f"Gain over buying alone after coordination costs, {RULE_NAMES[rule]}: {gains} {currency} a year."


def _monte_carlo(inputs: Inputs, t: np.ndarray, p: np.ndarray, risk) -> float:
    """P(win-win): volumes, the coordination cost and (for us) the expected loss drawn together, the rule applied."""
    draws = inputs.draws
    n = len(inputs.members)
    streams = np.random.default_rng(inputs.seed).spawn(n + 2)
    q = np.column_stack(
        [draw(as_range(m.volume.estimate(True), "volume"), draws, streams[j]) for j, m in enumerate(inputs.members)]
    )
    C = draw(as_range(inputs.coordination_cost.estimate(True), "coordination_cost"), draws, streams[-2])
    taint = draw(risk.risk_adjustment_range(), draws, streams[-1])
    wins = 0
    chunk = max(1_000, 4_000_000 >> n)  # keeps each (draws, 2**n) block to a few million numbers
    for start in range(0, draws, chunk):
        rows = slice(start, start + chunk)
        qs = q[rows]
        pooled = qs.sum(axis=1, keepdims=True)
        gain = _split(inputs.split_rule, qs, t, p, coalition_savings(qs, t, p))
        gain -= C[rows, None] * np.divide(qs, pooled, out=np.zeros(qs.shape), where=pooled > 0)
        gain[:, 0] -= taint[rows]
        wins += int((gain > _TOL).all(axis=1).sum())
    return wins / draws


SHEET = register(
    Worksheet(
        name="joint_purchasing",
        title="Joint purchasing",
        kind="option",
        inputs=Inputs,
        assess=assess,
        summary="Pool purchases with competitors to reach a lower price tier; split the savings fairly.",
        sample="joint_purchasing_hospitals.json",
    )
)
