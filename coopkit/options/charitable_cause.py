"""Option 1: a joint charitable cause, a programme funded by several competitors.

Competitors who fund one programme together reach more beneficiaries for the
money than each could alone, because they share its fixed cost; each still
earns goodwill (brand lift, employee pride, customer preference) on its own
account. The questions: does every sponsor end up better off than with its own
programme (or none), how should the cost be shared, and could a co-sponsor's
conduct taint the cause and us with it?

The model (money per year):

* the programme reaches ``R = sum r_i`` beneficiaries, ``r_i`` being what sponsor
  ``i`` commits, at a cost ``C = F + u R`` (a fixed cost ``F`` and a cost per
  beneficiary ``u``); the cost per beneficiary is ``C / R``;
* alone, sponsor ``i`` could run its own programme for its ``r_i`` beneficiaries
  at ``F + u r_i`` and earn ``s_i`` of goodwill; its stand-alone payoff is the
  better of that and nothing, ``d_i = max(0, s_i - F - u r_i)``;
* jointly it earns ``g_i`` of goodwill and pays its cost share ``c_i``, so its
  gain is ``g_i - c_i - d_i`` (minus, for us, the expected loss from a
  co-sponsor tainting the cause: :mod:`coopkit.frameworks.reputation`).

The cost-sharing rules compared: *equal* (``C / n``), *by revenue*
(``C rev_i / sum rev``), *by benefit* (``C g_i / sum g``), and *Shapley* on the
goodwill game [Shapley1953]_: all sponsors together earn the joint programme's
net goodwill ``v(N) = sum g - C``; a smaller group ``S`` earns the better of
its own joint programme and its members' alternatives,
``v(S) = max(sum_{i in S} g_i - F - u sum_{i in S} r_i, sum_{i in S} d_i)``; a single
sponsor ``d_i``. Each sponsor's Shapley value ``phi_i`` is what it nets, so its
cost share is ``g_i - phi_i``, and the shares add up to ``C``. Unlike the
cost-game rule ``F / n + u r_i`` of shared fixed costs [Young1994]_, it charges
more to a sponsor who gets more goodwill from the group, and less to one with
a strong alternative; a share can be negative (that sponsor is paid to join,
because its presence creates value the others capture). The same game gives
the core check [Gillies1959]_.

References
----------
.. [Shapley1953] Shapley, L. S. (1953). "A value for n-person games". *Annals
   of Mathematics Studies* 28, 307-317.
.. [Young1994] Young, H. P. (1994). "Cost allocation". In Aumann and Hart (eds.),
   *Handbook of Game Theory* 2, ch. 34, 1193-1235.
.. [Gillies1959] Gillies, D. B. (1959). "Solutions to general non-zero-sum
   games". *Contributions to the Theory of Games IV*, 47-85.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from coopkit.frameworks import antitrust, game, winwin
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import as_range, draw
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    InputsPart,
    NonNegativeUncertain,
    Problem,
    Worksheet,
    currency_field,
    draws_field,
    name_problems,
    range_problems,
    ranges_field,
    register,
    seed_field,
)
from coopkit.options.common import GuardrailFields, ReputationFields, decide, sensitivity, text_problem

__all__ = ["Inputs", "Sponsor", "assess", "cost_shares", "goodwill_game", "shapley_costs", "SHEET"]

CostRule = Literal["equal", "revenue", "benefit", "shapley"]
COST_RULES: tuple[str, ...] = ("equal", "revenue", "benefit", "shapley")
COST_LABELS = {
    "equal": "Equal shares",
    "revenue": "In proportion to revenue",
    "benefit": "In proportion to goodwill received",
    "shapley": "Shapley (fair share of the goodwill game)",
}


class Sponsor(InputsPart):
    """One sponsor of the programme."""

    name: str = Field(min_length=1, max_length=40, title="Name", description="Name of the company.")
    revenue: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Revenue",
        description="The sponsor's yearly revenue (used by the cost split in proportion to revenue).",
        json_schema_extra={"unit": "money/year"},
    )
    goodwill: NonNegativeUncertain = Field(
        title="Goodwill, joint",
        description="What sponsoring the joint programme is worth to the sponsor a year: brand lift, customer "
        "preference, employee engagement.",
        json_schema_extra={"unit": "money/year"},
    )
    beneficiaries: float = Field(
        0.0,
        ge=0,
        le=1e9,
        title="Beneficiaries",
        description="Beneficiaries a year the sponsor commits to fund (what it would fund alone).",
        json_schema_extra={"unit": "people/year"},
    )
    solo_goodwill: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Goodwill, alone",
        description="What running its own programme for the same beneficiaries would be worth to it a year "
        "(0: it would not run one).",
        json_schema_extra={"unit": "money/year"},
    )
    market_share: float = Field(
        0.0,
        ge=0,
        le=1,
        title="Market share",
        description="The sponsor's share of the market the sponsors compete in (for the competition-law check).",
        json_schema_extra={"unit": "share 0-1"},
    )


class Inputs(ReputationFields, GuardrailFields, InputsModel):
    """What a strategist enters for a joint charitable cause. The first sponsor is us."""

    currency: str = currency_field()
    sponsors: list[Sponsor] = Field(
        min_length=2,
        max_length=6,
        title="Sponsors",
        description="The competitors funding the programme, 2 to 6; the first is us.",
        json_schema_extra={
            "item_title": "Sponsor",
            "new_item": {"name": "New sponsor", "goodwill": {"likely": 0.0}},
        },
    )
    fixed_cost: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=100_000.0),
        title="Fixed cost",
        description="The programme's yearly cost whatever its size: staff, campaign, administration.",
        json_schema_extra={"unit": "money/year"},
    )
    cost_per_beneficiary: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=50.0),
        title="Cost per beneficiary",
        description="What each beneficiary reached costs on top of the fixed cost.",
        json_schema_extra={"unit": "money"},
    )
    cost_rule: CostRule = Field(
        "shapley",
        title="Cost sharing",
        description="How the programme's cost is split between the sponsors.",
        json_schema_extra={"labels": COST_LABELS},
    )
    use_ranges: bool = ranges_field("P(win-win)")
    draws: int = draws_field(100_000, 1_000_000)
    seed: int = seed_field()

    def problems(self) -> list[Problem]:
        """Checks across fields: distinct names, something to split by, ordered ranges, market shares."""
        out: list[Problem] = []
        out += name_problems(self.sponsors, "sponsors", "Sponsor")
        if self.cost_rule == "revenue" and sum(s.revenue for s in self.sponsors) <= 0:
            out.append(Problem(("sponsors",), "Revenues must add up to more than 0 to split the cost by revenue"))
        if self.cost_rule == "benefit" and sum(s.goodwill.likely for s in self.sponsors) <= 0:
            out.append(Problem(("sponsors",), "Joint goodwill must add up to more than 0 to split the cost by benefit"))
        if sum(s.beneficiaries for s in self.sponsors) <= 0:
            out.append(
                Problem(("sponsors",), "Beneficiaries must add up to more than 0: the programme must reach someone")
            )
        total_share = sum(s.market_share for s in self.sponsors)
        if total_share > 1 + 1e-9:
            out.append(Problem(("sponsors",), f"Market shares must add up to at most 1, got {total_share:.4g}"))
        if total_share <= 1 + 1e-9:
            out += self.share_problems([s.market_share for s in self.sponsors])
        else:
            out += text_problem(self, "rival_shares", self.rival_share_list)
        if self.use_ranges:
            out += range_problems(self, ["fixed_cost", "cost_per_beneficiary", *self.reputation_ranges()])
            for j, sponsor in enumerate(self.sponsors):
                msg = sponsor.goodwill.range_problem()
                if msg:
                    out.append(Problem(("sponsors", j, "goodwill"), f"Sponsor {j + 1}: Goodwill, joint {msg}"))
        return out


def cost_shares(rule: str, goodwill, fixed_cost, unit_cost, beneficiaries, revenue, standalone=None):
    """Each sponsor's share of the programme's cost under a rule, vectorised over draws.

    ``goodwill``, ``fixed_cost``, ``unit_cost`` and ``standalone`` (each
    sponsor's alternative, default none) may carry a leading draws axis;
    ``beneficiaries`` and ``revenue`` are per sponsor. Shares add up to the
    cost ``F + u sum r``.

    Examples
    --------
    >>> import numpy as np
    >>> g, r, rev = np.array([300.0, 100.0]), np.array([1.0, 3.0]), np.array([10.0, 30.0])
    >>> [[round(x) for x in cost_shares(k, g, 100.0, 10.0, r, rev)] for k in ("equal", "revenue", "benefit", "shapley")]
    [[70, 70], [35, 105], [105, 35], [170, -30]]

    Without alternatives, Shapley splits the net goodwill (260) equally, so the
    sponsor who gets more goodwill carries more of the cost, and here pays the
    other to join: its presence creates value the first one captures.
    """
    g = np.asarray(goodwill, dtype=float)
    F = np.asarray(fixed_cost, dtype=float)[..., None]
    u = np.asarray(unit_cost, dtype=float)[..., None]
    r = np.asarray(beneficiaries, dtype=float)
    n = r.size
    total = F + u * r.sum()
    if rule == "equal":
        return np.broadcast_to(total / n, np.broadcast(g, total).shape).copy()
    if rule == "revenue":
        rev = np.asarray(revenue, dtype=float)
        return total * rev / rev.sum()
    if rule == "benefit":
        return total * g / g.sum(axis=-1, keepdims=True)
    if rule == "shapley":
        d = np.zeros(n) if standalone is None else np.asarray(standalone, dtype=float)
        v = _coalition_values(g, F[..., 0], u[..., 0], r, d)
        return g - v @ game.shapley_matrix(n).T
    raise ValueError(f"unknown cost rule {rule!r}")


def _coalition_values(g, F, u, r, d) -> np.ndarray:
    """v(S) for every coalition mask, vectorised over a leading draws axis of ``g``, ``F``, ``u`` and ``d``."""
    n = r.size
    members = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(float)  # (masks, n)
    g, d = np.asarray(g, dtype=float), np.asarray(d, dtype=float)
    F, u = np.asarray(F, dtype=float)[..., None], np.asarray(u, dtype=float)[..., None]
    joint = g @ members.T - F - u * (members @ r)
    alone = d @ members.T
    size = members.sum(axis=1)
    value = np.where(size >= 2, np.maximum(joint, alone), alone)
    value[..., -1] = joint[..., -1]  # all sponsors together: the joint programme being assessed
    return value


def _game(names, g, F, u, r, d):
    """The goodwill game with alternatives, as a vectorised value function for :mod:`coopkit.frameworks.game`."""
    table = _coalition_values(g, F, u, r, d)
    weights = 1 << np.arange(len(names), dtype=np.int64)

    def value(members: np.ndarray) -> np.ndarray:
        return table[members.astype(np.int64) @ weights]

    return value


def _synergy(names, value, d, total: float):
    """The game as the win-win check's synergy profile g(S) = (v(S) - d_S) / surplus, when there is a surplus.

    A group that would create more than the whole surplus on its own is capped at 1 (the win-win
    check's bound); the core test then still flags the sponsors it leaves out.
    """
    surplus = total - float(np.sum(d))
    if surplus <= 0:
        return None
    n = len(names)
    masks = np.arange(1 << n)
    members = (masks[:, None] >> np.arange(n)) & 1
    profile = np.clip((value(members.astype(bool)) - members @ d) / surplus, 0.0, 1.0)
    profile[members.sum(axis=1) <= 1] = 0.0
    profile[-1] = 1.0
    index = {name: j for j, name in enumerate(names)}
    return lambda coalition: float(profile[sum(1 << index[p] for p in coalition)])


def _standalone(solo, F, u, r):
    return np.maximum(0.0, np.asarray(solo, dtype=float) - (np.asarray(F)[..., None] + np.asarray(u)[..., None] * r))


def margin(inputs: Inputs) -> float:
    """The smallest sponsor's gain at the most likely inputs (for the sensitivity table)."""
    names, g, F, u, r, rev, solo = _point(inputs)
    d = _standalone(solo, F, u, r)
    costs = cost_shares(inputs.cost_rule, g, F, u, r, rev, d)
    taint = np.zeros(len(names))
    taint[0] = inputs.reputation(False, 1_000, 0).risk_adjustment
    return float((g - costs - taint - d).min())


def _point(inputs: Inputs):
    names = [s.name.strip() for s in inputs.sponsors]
    g = np.array([s.goodwill.likely for s in inputs.sponsors], dtype=float)
    r = np.array([s.beneficiaries for s in inputs.sponsors], dtype=float)
    rev = np.array([s.revenue for s in inputs.sponsors], dtype=float)
    solo = np.array([s.solo_goodwill for s in inputs.sponsors], dtype=float)
    return names, g, inputs.fixed_cost.likely, inputs.cost_per_beneficiary.likely, r, rev, solo


def assess(inputs: Inputs) -> Assessment:
    """Assess a joint charitable cause.

    Returns
    -------
    Assessment
        Verdict go / go with conditions / no-go; tables ``costs`` (each rule's
        cost shares and gains), ``programme`` (reach and cost per beneficiary),
        ``sensitivity``; ``details`` holds the ``winwin``, ``risk`` and
        ``guardrails`` results and the ``game`` (Shapley values, core).

    Examples
    --------
    >>> from coopkit.options.charitable_cause import Inputs, assess
    >>> a = assess(Inputs(sponsors=[
    ...     {"name": "A", "goodwill": {"likely": 120_000}, "beneficiaries": 1000, "solo_goodwill": 150_000},
    ...     {"name": "B", "goodwill": {"likely": 90_000}, "beneficiaries": 500}]))
    >>> a.verdict, [round(x) for x in a.parties["gain"]]
    ('go', [17500, 17500])
    """
    names, g, F, u, r, rev, solo = _point(inputs)
    n = len(names)
    d = _standalone(solo, F, u, r)
    costs = cost_shares(inputs.cost_rule, g, F, u, r, rev, d)
    use = inputs.use_ranges
    risk = inputs.reputation(use, inputs.draws, inputs.seed)
    taint = np.zeros(n)
    taint[0] = risk.risk_adjustment
    total_cost = F + u * r.sum()
    # the game with every sponsor's alternative: Shapley values, and the synergy the win-win check's core test uses
    value = _game(names, g, F, u, r, d)
    phi = game.shapley(names, value, vectorized=True)
    payoffs = g - costs
    deal = winwin.check(
        names,
        d.tolist(),
        float(payoffs.sum()),
        split_rule="given",
        amounts=payoffs.tolist(),
        risk_adjustment=taint.tolist(),
        synergy=_synergy(names, value, d, float(payoffs.sum())),
    )
    rows = {}
    for rule in COST_RULES:
        if rule == "revenue" and rev.sum() <= 0:
            continue
        c = cost_shares(rule, g, F, u, r, rev, d)
        gain = g - c - taint - d
        rows[COST_LABELS[rule]] = [*c, bool((gain > 0.005).all()), float(gain.min())]
    costs_table = pd.DataFrame.from_dict(rows, orient="index", columns=[*names, "win_win", "smallest_gain"])
    costs_table.index.name = "cost rule"
    p_win_win = None
    if use:
        p_win_win = _monte_carlo(inputs, names, r, rev, solo, risk)
    guard = antitrust.assess([s.market_share for s in inputs.sponsors], "other", other_shares=inputs.rival_share_list())
    extra = []
    if deal.win_win and not deal.in_core and deal.blocking is not None:
        extra.append(
            f"{', '.join(sorted(map(str, deal.blocking)))} would do better on their own; offer them a better share"
        )
    verdict, level, passed, conditions = decide(deal, risk, guard, p_win_win, extra=extra)
    reach = float(r.sum())
    programme = pd.DataFrame(
        {
            "figure": [
                "Beneficiaries a year",
                "Programme cost",
                "Cost per beneficiary",
                "Cheapest solo cost per beneficiary",
            ],
            "value": [reach, total_cost, total_cost / reach, float(min((F + u * x) / x for x in r if x > 0))],
        }
    ).set_index("figure")
    findings = [
        *conditions,
        Finding(
            "info",
            f"Together the sponsors reach {reach:,.0f} beneficiaries a year at {total_cost / reach:,.2f} each; "
            f"the cheapest sponsor alone would pay {programme.loc['Cheapest solo cost per beneficiary', 'value']:,.2f}.",
        ),
        *deal.findings,
        *risk.findings[:2],
    ]
    table = deal.table().rename(columns={"share": "net_goodwill"})
    table.insert(0, "goodwill", g)
    table.insert(1, "cost_share", costs)
    tables = {
        "costs": costs_table,
        "programme": programme,
        "sensitivity": sensitivity(inputs, margin, _SENSITIVE),
    }
    return Assessment(
        worksheet="charitable_cause",
        verdict=verdict,
        level=level,
        passed=passed,
        headline=_headline(names, deal, inputs.currency, inputs.cost_rule),
        findings=findings,
        parties=table,
        tables=tables,
        probability=p_win_win,
        details={
            "winwin": deal,
            "risk": risk,
            "guardrails": guard,
            "shapley": phi,
            "chosen_rule": COST_LABELS[inputs.cost_rule],
        },
        currency=inputs.currency,
        assumptions=[
            "Each sponsor earns its goodwill on its own account; the programme's cost is a fixed part plus a part "
            "per beneficiary.",
            "A sponsor's alternative is its own programme for the same beneficiaries, or none if that does not pay.",
            "The reputation risk is a co-sponsor tainting the cause; it is counted against us, the first sponsor.",
            *risk.assumptions[:2],
        ],
    )


_SENSITIVE = [("fixed_cost",), ("cost_per_beneficiary",), ("sponsors", "*", "goodwill"), ("rep_base_rate",)]


def _headline(names, deal, currency, rule) -> str:
    gains = ", ".join(f"{p} {x:+,.0f}" for p, x in zip(names, deal.gain, strict=True))
    return f"Gain over each sponsor's alternative, cost split {COST_LABELS[rule].lower()}: {gains} {currency} a year."


def _monte_carlo(inputs: Inputs, names, r, rev, solo, risk) -> float:
    """P(win-win): goodwill, costs and (for us) the expected loss drawn together, the chosen cost rule applied."""
    draws = inputs.draws
    streams = np.random.default_rng(inputs.seed).spawn(len(names) + 3)
    g = np.column_stack(
        [
            draw(as_range(s.goodwill.estimate(True), "goodwill"), draws, streams[j])
            for j, s in enumerate(inputs.sponsors)
        ]
    )
    F = draw(as_range(inputs.fixed_cost.estimate(True)), draws, streams[-3])
    u = draw(as_range(inputs.cost_per_beneficiary.estimate(True)), draws, streams[-2])
    taint = draw(risk.risk_adjustment_range(), draws, streams[-1])
    if inputs.cost_rule == "benefit":
        g = np.where(g.sum(axis=1, keepdims=True) > 0, g, 1e-12)
    d = _standalone(solo, F, u, r)
    c = cost_shares(inputs.cost_rule, g, F, u, r, rev, d)
    gain = g - c - d
    gain[:, 0] -= taint
    return float((gain > 0.005).all(axis=1).mean())


SHEET = register(
    Worksheet(
        name="charitable_cause",
        title="Joint charitable cause",
        kind="option",
        inputs=Inputs,
        assess=assess,
        summary="Fund one programme with competitors: more reach for the money, goodwill for each, a fair cost split.",
        sample="charitable_cause_literacy.json",
    )
)


def goodwill_game(inputs: Inputs) -> dict[tuple[str, ...], float]:
    """The goodwill game at the most likely figures: what every group of sponsors would net on its own.

    ``v(S) = max(sum_{i in S} g_i - F - u sum_{i in S} r_i, sum_{i in S} d_i)`` for a group
    of two or more, ``d_i`` (the sponsor's alternative) for one sponsor alone, and the joint
    programme's net goodwill for all sponsors together (see the module docstring).

    Parameters
    ----------
    inputs : Inputs
        The worksheet's inputs; the most likely goodwill, fixed cost and cost per beneficiary are used.

    Returns
    -------
    dict
        Group of sponsors (a tuple of names, in the sponsors' order) -> v, money per year;
        single sponsors first, then pairs and so on, all sponsors last. Pass it to
        :func:`coopkit.frameworks.game.shapley` or :func:`~coopkit.frameworks.game.in_core`.

    Examples
    --------
    >>> two = Inputs(sponsors=[
    ...     {"name": "A", "goodwill": {"likely": 120_000}, "beneficiaries": 1000, "solo_goodwill": 180_000},
    ...     {"name": "B", "goodwill": {"likely": 90_000}, "beneficiaries": 500}])
    >>> goodwill_game(two)  # A's own programme would net 180,000 - 100,000 - 50 x 1,000
    {('A',): 30000.0, ('B',): 0.0, ('A', 'B'): 35000.0}
    """
    names, g, F, u, r, _rev, solo = _point(inputs)
    value = _coalition_values(g, F, u, r, _standalone(solo, F, u, r))
    return {
        tuple(names[j] for j in group): float(value[sum(1 << j for j in group)])
        for size in range(1, len(names) + 1)
        for group in combinations(range(len(names)), size)
    }


def shapley_costs(inputs: Inputs, shapley: Mapping[str, float]) -> pd.DataFrame:
    """Each sponsor's Shapley value in the goodwill game and the cost share it implies, money per year.

    A sponsor nets its Shapley value ``phi_i``, so it pays its goodwill minus it:
    ``c_i = g_i - phi_i`` (most likely goodwill). The cost shares add up to the
    programme's cost when the values add up to ``v(all sponsors)``.

    Parameters
    ----------
    inputs : Inputs
        The worksheet's inputs (the sponsors and their most likely goodwill).
    shapley : mapping
        Sponsor name -> Shapley value, money per year (e.g. ``game.shapley(names, goodwill_game(inputs))``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``sponsor``: ``goodwill``, ``shapley`` and ``cost_share``, money per year.

    Examples
    --------
    >>> two = Inputs(sponsors=[
    ...     {"name": "A", "goodwill": {"likely": 120_000}, "beneficiaries": 1000, "solo_goodwill": 180_000},
    ...     {"name": "B", "goodwill": {"likely": 90_000}, "beneficiaries": 500}])
    >>> costs = shapley_costs(two, game.shapley(["A", "B"], goodwill_game(two)))
    >>> costs.round(2).to_dict("list")
    {'goodwill': [120000.0, 90000.0], 'shapley': [32500.0, 2500.0], 'cost_share': [87500.0, 87500.0]}
    """
    names, g, *_ = _point(inputs)
    phi = np.array([float(shapley[name]) for name in names])
    return pd.DataFrame({"goodwill": g, "shapley": phi, "cost_share": g - phi}, index=pd.Index(names, name="sponsor"))
