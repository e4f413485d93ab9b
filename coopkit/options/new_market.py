"""Option 2: entering a new market together, as a joint venture of competitors.

Two carmakers co-developing a hybrid truck, two software firms building one
platform for a new segment: each could try alone, or they pool technology,
production and distribution, share the investment, raise the odds of success
and reach the market sooner. The questions: is each party's share of the joint
venture worth more than going alone, what split is fair, and who wins the
*learning race* (what each side discloses and learns that could later be used
against it).

The model (money in present value at the discount rate; years from now):

* **The segment** adopts along a Bass curve [Bass1969]_ (:mod:`coopkit.frameworks.market`):
  ``m`` customers eventually, coefficients ``p`` and ``q`` (default: the
  meta-analysis means of [Sultan1990]_). After a launch ``T`` years from now,
  the segment's revenue in year ``k`` is its customers at mid-year,
  ``m F(k - 1/2 - T)``, times the annual revenue per customer.
* **Alone**, party ``i`` invests ``I_i``, succeeds with probability ``P_i``,
  launches after ``T_i`` years and wins ``s_i`` of the segment (competing with
  the others), so ``NPV_i = -I_i + P_i sum_k margin s_i M_k(T_i) / (1 + r)^k``
  [Brealey2020]_; its stand-alone payoff is ``max(0, NPV_i)`` (it can stay out).
* **Together**, the joint venture invests ``I``, succeeds with probability
  ``P``, launches after ``T`` and wins ``s`` of the segment:
  ``NPV = -I + P sum_k margin s M_k(T) / (1 + r)^k``. It is split by the chosen
  rule of :mod:`coopkit.frameworks.winwin` (Shapley on what each brings,
  Nash bargaining, in proportion to what each brings, or equally); each
  party's share of the investment follows its share of the value.
* **The learning race** [Hamel1991]_, [Khanna1998]_: party ``i`` discloses
  ``x_i`` (0-1) of know-how worth ``K_i``; the partner ``j`` absorbs it with
  capacity ``a_j`` (0-1). What ``i`` leaks is ``L_i = x_i K_i max_j a_j`` and
  what it learns ``G_i = sum_j x_j K_j a_i / (n - 1)``. The disclosure balance
  ``max(0, L_i - G_i)`` is the risk the partner turns it against ``i``; it is
  counted as a risk adjustment that lowers ``i``'s payoff, so a side that
  gives more than it gets can lose the deal it wins on paper. (A real case:
  a carmaker pair's hybrid-truck collaboration announced in 2011 ended in
  2013, one side later saying it had disclosed more than it got back.)
* **Guardrails**: R&D (EU 25 %), joint production (20 %) or joint
  commercialisation (15 %) thresholds by what the venture does
  (:mod:`coopkit.frameworks.antitrust`); **reputation risk** of the partners
  to us (the first party).

References
----------
.. [Bass1969] Bass, F. M. (1969). "A new product growth for model consumer durables".
   *Management Science* 15(5), 215-227.
.. [Sultan1990] Sultan, F., Farley, J. U. and Lehmann, D. R. (1990). "A meta-analysis of
   applications of diffusion models". *Journal of Marketing Research* 27(1), 70-77.
.. [Brealey2020] Brealey, R. A., Myers, S. C. and Allen, F. (2020). *Principles of Corporate
   Finance*, 13th ed. McGraw-Hill, ch. 2 and 10 (expected NPV of risky projects).
.. [Hamel1991] Hamel, G. (1991). "Competition for competence and inter-partner learning within
   international strategic alliances". *Strategic Management Journal* 12(S1), 83-103.
.. [Khanna1998] Khanna, T., Gulati, R. and Nohria, N. (1998). "The dynamics of learning
   alliances: competition, cooperation, and relative scope". *Strategic Management Journal*
   19(3), 193-210.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from coopkit.errors import require
from coopkit.frameworks import antitrust, game, market, winwin
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import as_range, draw
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    InputsPart,
    NonNegativeUncertain,
    Problem,
    ShareUncertain,
    Worksheet,
    currency_field,
    draws_field,
    name_problems,
    raise_problems,
    range_problems,
    ranges_field,
    register,
    seed_field,
    validate,
)
from coopkit.options.common import GuardrailFields, ReputationFields, decide, sensitivity, text_problem
from coopkit.options.win_win import SPLIT_LABELS

__all__ = [
    "Inputs",
    "Venturer",
    "assess",
    "segment_revenue",
    "learning_race",
    "with_market_shares",
    "absorption_sweep",
    "learning_thresholds",
    "RING_FENCE_SHARE",
    "SHEET",
]

#: A party whose learning loss exceeds this share of the venture's NPV is asked to ring-fence its know-how.
RING_FENCE_SHARE = 0.1

JV_KINDS = {
    "rnd": "Research and development only",
    "production": "Develop and produce together",
    "commercialisation": "Develop, produce and sell together",
}


def _capability(title: str, what: str):
    return Field(
        5.0,
        ge=0,
        le=10,
        title=title,
        description=f"What the party brings in {what}, 0 (nothing) to 10 (world class).",
        json_schema_extra={"unit": "0-10", "show_if": {"split_rule": ["shapley", "proportional"]}},
    )


class Venturer(InputsPart):
    """One party to the joint venture."""

    name: str = Field(min_length=1, max_length=40, title="Name", description="Name of the company.")
    technology: float = _capability("Technology", "technology")
    production: float = _capability("Production", "production capacity")
    distribution: float = _capability("Distribution", "distribution and customer access")
    invest_alone: float = Field(
        ge=0,
        le=MONEY_LIMIT,
        title="Investment alone",
        description="What entering the segment alone would cost, up front.",
        json_schema_extra={"unit": "money"},
    )
    p_alone: float = Field(
        ge=0,
        le=1,
        title="Success alone",
        description="Probability of a successful launch alone.",
        json_schema_extra={"unit": "probability"},
    )
    launch_alone: float = Field(
        ge=0,
        le=15,
        title="Launch alone",
        description="Years from now to launch alone.",
        json_schema_extra={"unit": "years"},
    )
    share_alone: float = Field(
        ge=0,
        le=1,
        title="Segment share alone",
        description="Share of the segment it would win alone, competing with the others.",
        json_schema_extra={"unit": "share 0-1"},
    )
    disclosure: float = Field(
        0.3,
        ge=0,
        le=1,
        title="Know-how disclosed",
        description="Share of its core know-how the venture makes it disclose.",
        json_schema_extra={"unit": "share 0-1"},
    )
    absorptive: float = Field(
        0.5,
        ge=0,
        le=1,
        title="Learning capacity",
        description="How well it absorbs what the partner discloses (absorptive capacity), 0 to 1.",
        json_schema_extra={"unit": "share 0-1"},
    )
    knowhow: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Value of its know-how",
        description="What its core know-how is worth to a competitor that learns it (present value).",
        json_schema_extra={"unit": "money"},
    )
    bargaining_power: float = Field(
        1.0,
        gt=0,
        le=100,
        title="Bargaining power",
        description="Relative weight in the Nash bargaining split.",
        json_schema_extra={"unit": "relative", "show_if": {"split_rule": ["nash"]}},
    )
    market_share: float = Field(
        0.0,
        ge=0,
        le=1,
        title="Market share today",
        description="Its share of the related market today (for the competition-law check).",
        json_schema_extra={"unit": "share 0-1"},
    )


class Inputs(ReputationFields, GuardrailFields, InputsModel):
    """What a strategist enters for entering a new market together. The first party is us."""

    currency: str = currency_field()
    parties: list[Venturer] = Field(
        min_length=2,
        max_length=4,
        title="Parties",
        description="The companies in the venture, 2 to 4; the first is us.",
        json_schema_extra={
            "item_title": "Party",
            "new_item": {
                "name": "New party",
                "invest_alone": 0.0,
                "p_alone": 0.0,
                "launch_alone": 5.0,
                "share_alone": 0.0,
            },
        },
    )
    jv_investment: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=10_000_000.0),
        title="Joint investment",
        description="What the joint venture invests up front, all parties together.",
        json_schema_extra={"unit": "money"},
    )
    p_together: ShareUncertain = Field(
        default_factory=lambda: ShareUncertain(likely=0.7),
        title="Success together",
        description="Probability that the joint venture launches successfully.",
        json_schema_extra={"unit": "probability"},
    )
    launch_together: float = Field(
        2.0,
        ge=0,
        le=15,
        title="Launch together",
        description="Years from now to launch together.",
        json_schema_extra={"unit": "years"},
    )
    share_together: float = Field(
        0.4,
        ge=0,
        le=1,
        title="Segment share together",
        description="Share of the segment the joint venture would win.",
        json_schema_extra={"unit": "share 0-1"},
    )
    segment_potential: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=20_000.0),
        title="Segment potential",
        description="Customers who will eventually adopt the new segment's offer (the Bass m).",
        json_schema_extra={"unit": "customers"},
    )
    revenue_per_customer: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=5_000.0),
        title="Revenue per customer",
        description="What one customer of the segment spends a year.",
        json_schema_extra={"unit": "money/year"},
    )
    margin: float = Field(
        0.25,
        ge=0,
        le=1,
        title="Margin",
        description="Contribution margin on the segment's revenue.",
        json_schema_extra={"unit": "share 0-1"},
    )
    discount_rate: float = Field(
        0.10,
        ge=0,
        le=0.5,
        title="Discount rate",
        description="Yearly rate for the NPV (cost of capital).",
        json_schema_extra={"unit": "per year"},
    )
    years: int = Field(
        10, ge=1, le=30, title="Horizon", description="Years to count revenue.", json_schema_extra={"unit": "years"}
    )
    bass_p: float = Field(
        market.BASS_DEFAULTS["p"],
        gt=0,
        le=1,
        title="Innovation p",
        description="Bass coefficient of innovation of the segment (default: meta-analysis mean, Sultan et al. 1990).",
        json_schema_extra={"unit": "per year", "section": "Advanced"},
    )
    bass_q: float = Field(
        market.BASS_DEFAULTS["q"],
        ge=0,
        le=5,
        title="Imitation q",
        description="Bass coefficient of imitation of the segment (default: meta-analysis mean).",
        json_schema_extra={"unit": "per year", "section": "Advanced"},
    )
    split_rule: Literal["shapley", "nash", "proportional", "equal"] = Field(
        "shapley",
        title="Split rule",
        description="How the joint venture's value (and its investment) is split.",
        json_schema_extra={"labels": SPLIT_LABELS},
    )
    jv_kind: Literal["rnd", "production", "commercialisation"] = Field(
        "production",
        title="The venture does",
        description="What the parties do together (sets the competition-law threshold).",
        json_schema_extra={"labels": JV_KINDS},
    )
    use_ranges: bool = ranges_field("P(win-win)")
    draws: int = draws_field(50_000, 500_000)
    seed: int = seed_field()

    def problems(self) -> list[Problem]:
        """Checks across fields: names, something brought, market shares, ranges, rival shares."""
        out: list[Problem] = []
        out += name_problems(self.parties, "parties", "Party")
        if self.split_rule in ("shapley", "proportional") and sum(_brings(p) for p in self.parties) <= 0:
            out.append(Problem(("parties",), "Parties must bring something (technology, production or distribution)"))
        for attr, title in (("share_alone", "Segment shares alone"), ("market_share", "Market shares today")):
            total = sum(getattr(p, attr) for p in self.parties)
            if total > 1 + 1e-9:
                out.append(Problem(("parties",), f"{title} must add up to at most 1, got {total:.4g}"))
        if sum(p.market_share for p in self.parties) <= 1 + 1e-9:
            out += self.share_problems([p.market_share for p in self.parties])
        else:
            out += text_problem(self, "rival_shares", self.rival_share_list)
        if self.use_ranges:
            out += range_problems(
                self,
                ["jv_investment", "p_together", "segment_potential", "revenue_per_customer", *self.reputation_ranges()],
            )
        return out


def _brings(party: Venturer) -> float:
    return party.technology + party.production + party.distribution


def segment_revenue(years: int, launch, m, revenue_per_customer, p: float, q: float) -> np.ndarray:
    """The segment's revenue in each year from now, for an offer launched ``launch`` years from now.

    ``revenue_k = m F(max(0, k - 1/2 - launch)) * revenue_per_customer`` (customers at mid-year);
    ``m``, ``revenue_per_customer`` and ``launch`` may carry a leading draws axis.

    Examples
    --------
    >>> [round(x) for x in segment_revenue(3, 1.0, 10_000, 100, 0.03, 0.38)]
    [0, 16376, 58531]
    """
    k = np.arange(1, years + 1, dtype=float)
    t = np.maximum(0.0, k - 0.5 - np.asarray(launch, dtype=float)[..., None])
    customers = np.asarray(m, dtype=float)[..., None] * np.asarray(market.bass_share(t, p, q))
    return customers * np.asarray(revenue_per_customer, dtype=float)[..., None]


def learning_race(disclosure, absorptive, knowhow) -> pd.DataFrame:
    """What each party leaks and learns, and its disclosure balance (the risk counted against it).

    Leaked ``L_i = x_i K_i max_{j != i} a_j``; learned ``G_i = a_i sum_{j != i} x_j K_j / (n - 1)``;
    balance ``G_i - L_i``; risk ``max(0, L_i - G_i)`` (money, present value).

    Examples
    --------
    >>> learning_race([0.5, 0.1], [0.2, 0.8], [1_000_000, 500_000])["risk"].tolist()
    [390000.0, 0.0]
    """
    x, a, K = (np.asarray(v, dtype=float) for v in (disclosure, absorptive, knowhow))
    n = x.size
    others = ~np.eye(n, dtype=bool)
    partner_absorption = np.array([a[others[i]].max() for i in range(n)])
    leaked = x * K * partner_absorption
    learned = a * np.array([(x * K)[others[i]].sum() for i in range(n)]) / (n - 1)
    return pd.DataFrame(
        {
            "disclosed": x * K,
            "leaked": leaked,
            "learned": learned,
            "balance": learned - leaked,
            "risk": np.maximum(0.0, leaked - learned),
        }
    )


def _npv(invest, prob, revenue, margin, factors):
    return -np.asarray(invest, dtype=float) + np.asarray(prob, dtype=float) * ((margin * revenue) @ factors)


def _evaluate(inputs: Inputs, v: dict) -> tuple[np.ndarray, np.ndarray]:
    """NPV alone per party and NPV of the venture, for the values in ``v`` (scalars or draws)."""
    factors = market.discount_factors(inputs.discount_rate, inputs.years)
    alone = []
    for party in inputs.parties:
        rev = segment_revenue(inputs.years, party.launch_alone, v["m"], v["price"], inputs.bass_p, inputs.bass_q)
        alone.append(_npv(party.invest_alone, party.p_alone, party.share_alone * rev, inputs.margin, factors))
    rev = segment_revenue(inputs.years, inputs.launch_together, v["m"], v["price"], inputs.bass_p, inputs.bass_q)
    together = _npv(v["invest"], v["p"], inputs.share_together * rev, inputs.margin, factors)
    return np.stack(alone, axis=-1), together


def _kw(inputs: Inputs) -> dict:
    n = len(inputs.parties)
    names = [p.name.strip() for p in inputs.parties]
    brings = np.array([_brings(p) for p in inputs.parties], dtype=float)
    brings = brings if brings.sum() > 0 else np.ones(n)
    synergy = winwin.pooling_synergy(brings)
    psi = game.shapley(names, synergy, vectorized=True).amounts
    return {
        "contribution": brings,
        "bargaining_power": np.array([p.bargaining_power for p in inputs.parties], dtype=float),
        "synergy_shapley": psi,
    }


def margin(inputs: Inputs) -> float:
    """The smallest party's gain at the most likely inputs (for the sensitivity table)."""
    v = _likely(inputs)
    alone, together = _evaluate(inputs, v)
    d = np.maximum(0.0, alone)
    risk = _risks(inputs, False)
    share = winwin.split(inputs.split_rule, d, float(together), **_kw(inputs))
    return float((share - risk - d).min())


def _likely(inputs: Inputs) -> dict:
    return {
        "m": inputs.segment_potential.likely,
        "price": inputs.revenue_per_customer.likely,
        "invest": inputs.jv_investment.likely,
        "p": inputs.p_together.likely,
    }


def _risks(inputs: Inputs, use_ranges: bool, reputation_result=None) -> np.ndarray:
    race = learning_race(
        [p.disclosure for p in inputs.parties],
        [p.absorptive for p in inputs.parties],
        [p.knowhow for p in inputs.parties],
    )
    risk = race["risk"].to_numpy().copy()
    if reputation_result is None:
        reputation_result = inputs.reputation(use_ranges, 1_000, 0)
    risk[0] += _reputation_pv(reputation_result.risk_adjustment, inputs)
    return risk


def _sooner(years: float) -> str:
    """``2.0`` -> "2 years sooner", ``-1`` -> "1 year later", ``0`` -> "no sooner"."""
    if years == 0:
        return "no sooner"
    unit = "year" if abs(years) == 1 else "years"
    return f"{abs(years):g} {unit} {'sooner' if years > 0 else 'later'}"


def _ring_fence_loss(venture_npv: float) -> float:
    """The learning loss above which a party is asked to ring-fence its know-how (a tenth of the venture's NPV)."""
    return RING_FENCE_SHARE * max(1.0, abs(venture_npv))


def _reputation_pv(per_year: float, inputs: Inputs) -> float:
    """A yearly expected loss over the horizon, in present value."""
    return float(per_year * market.discount_factors(inputs.discount_rate, inputs.years).sum())


def assess(inputs: Inputs) -> Assessment:
    """Assess entering a new market together.

    Returns
    -------
    Assessment
        Verdict go / go with conditions / no-go, money in present value;
        tables ``npv`` (alone and together), ``learning`` (the learning race),
        ``sensitivity``; ``details`` holds ``winwin``, ``risk``, ``guardrails``.

    Examples
    --------
    >>> a = assess(Inputs(parties=[
    ...     {"name": "A", "invest_alone": 2e8, "p_alone": 0.6, "launch_alone": 4, "share_alone": 0.25},
    ...     {"name": "B", "invest_alone": 2e8, "p_alone": 0.5, "launch_alone": 5, "share_alone": 0.18}],
    ...     segment_potential={"likely": 80_000}, revenue_per_customer={"likely": 60_000}, margin=0.22, years=15,
    ...     jv_investment={"likely": 3e8}, share_together=0.42, launch_together=3))
    >>> a.verdict, [round(g / 1e6) for g in a.parties["gain"]]
    ('go', [114, 114])
    """
    names = [p.name.strip() for p in inputs.parties]
    use = inputs.use_ranges
    alone, together = _evaluate(inputs, _likely(inputs))
    d = np.maximum(0.0, alone)
    risk_result = inputs.reputation(use, inputs.draws, inputs.seed)
    race = learning_race(
        [p.disclosure for p in inputs.parties],
        [p.absorptive for p in inputs.parties],
        [p.knowhow for p in inputs.parties],
    )
    race.index = pd.Index(names, name="party")
    risk = _risks(inputs, use, risk_result)
    kw = _kw(inputs)
    deal = winwin.check(
        names,
        d.tolist(),
        float(together),
        split_rule=inputs.split_rule,
        contribution=kw["contribution"].tolist(),
        bargaining_power=kw["bargaining_power"].tolist(),
        risk_adjustment=risk.tolist(),
    )
    invest = inputs.jv_investment.likely
    if deal.partnership_value > 0 and (deal.share >= 0).all():
        value_share = deal.share / deal.partnership_value
    else:  # a venture worth nothing: the investment split by what each brings
        value_share = kw["contribution"] / kw["contribution"].sum()
    npv_table = pd.DataFrame(
        {
            "npv_alone": alone,
            "standalone": d,
            "share_of_venture": deal.share,
            "investment_share": invest * value_share,
            "learning_risk": race["risk"].to_numpy(),
            "gain": deal.gain,
        },
        index=pd.Index(names, name="party"),
    )
    p_win_win = _monte_carlo(inputs, kw, risk) if use else None
    guard = antitrust.assess(
        [p.market_share for p in inputs.parties], inputs.jv_kind, other_shares=inputs.rival_share_list()
    )
    extra = []
    lopsided_race = race[race["risk"] > _ring_fence_loss(float(together))]
    if len(lopsided_race) and deal.win_win:
        one = len(lopsided_race) == 1
        extra.append(
            f"{', '.join(lopsided_race.index)} {'discloses' if one else 'disclose'} more than "
            f"{'it learns' if one else 'they learn'}; ring-fence {'its' if one else 'their'} know-how "
            "(clean teams, staged disclosure)"
        )
    verdict, level, passed, conditions = decide(deal, risk_result, guard, p_win_win, extra=extra)
    earliest_alone = min(p.launch_alone for p in inputs.parties)
    findings = [
        *conditions,
        Finding(
            "info",
            f"Together: NPV {float(together):,.0f} ({inputs.p_together.likely:.0%} chance of success, launch in "
            f"{inputs.launch_together:g} years, {_sooner(earliest_alone - inputs.launch_together)} than the "
            f"earliest party alone).",
        ),
        *(Finding(f.level, f.text.replace(" a year", " (present value)")) for f in deal.findings),
    ]
    for party, row in race.iterrows():
        if row["risk"] > 0:
            findings.append(
                Finding(
                    "caution",
                    f"Learning race: {party} leaks {row['leaked']:,.0f} of know-how and learns {row['learned']:,.0f}; "
                    f"the difference, {row['risk']:,.0f}, is counted against it.",
                )
            )
    if risk_result.revenue > 0:
        findings += risk_result.findings[:1]
    table = deal.table()
    table.insert(0, "npv_alone", alone)
    return Assessment(
        worksheet="new_market",
        verdict=verdict,
        level=level,
        passed=passed,
        headline="Gain over going alone (present value): "
        + ", ".join(f"{p} {g:+,.0f}" for p, g in zip(names, deal.gain, strict=True))
        + f" {inputs.currency}.",
        findings=findings,
        parties=table,
        tables={"npv": npv_table, "learning": race, "sensitivity": sensitivity(inputs, margin, _SENSITIVE)},
        probability=p_win_win,
        details={"winwin": deal, "risk": risk_result, "guardrails": guard, "per": "present value"},
        currency=inputs.currency,
        assumptions=[
            "Money is in present value at the discount rate; investments are made now.",
            "A party's alternative is the better of entering alone and staying out.",
            "Each party's share of the investment follows its share of the venture's value.",
            "What a party leaks beyond what it learns is counted as a loss (the learning race).",
            f"The segment adopts along a Bass curve, p = {inputs.bass_p:g}, q = {inputs.bass_q:g}.",
        ],
    )


_SENSITIVE = [
    ("segment_potential",),
    ("revenue_per_customer",),
    ("jv_investment",),
    ("p_together",),
    ("launch_together",),
    ("share_together",),
    ("parties", "*", "p_alone"),
    ("parties", "*", "knowhow"),
]


def _monte_carlo(inputs: Inputs, kw: dict, risk: np.ndarray) -> float:
    """P(win-win): the segment, the investment and the odds drawn together; the chosen split applied per draw."""
    streams = np.random.default_rng(inputs.seed).spawn(4)
    v = {
        "m": draw(as_range(inputs.segment_potential.estimate(True)), inputs.draws, streams[0]),
        "price": draw(as_range(inputs.revenue_per_customer.estimate(True)), inputs.draws, streams[1]),
        "invest": draw(as_range(inputs.jv_investment.estimate(True)), inputs.draws, streams[2]),
        "p": draw(as_range(inputs.p_together.estimate(True)), inputs.draws, streams[3]),
    }
    alone, together = _evaluate(inputs, v)
    d = np.maximum(0.0, alone)
    gain = winwin.split(inputs.split_rule, d, together, **kw) - risk - d
    return float((gain > 0.005).all(axis=1).mean())


# --------------------------------------------------------------------------- the learning race, case by case
def _party_index(inputs: Inputs, name: str, field: str) -> int:
    """Position of the party called ``name`` (InputError naming ``field`` and the parties otherwise)."""
    names = [p.name.strip() for p in inputs.parties]
    found = isinstance(name, str) and name.strip() in names
    require(found, field, name, f"name a party of the venture ({', '.join(names)})")
    return names.index(name.strip())


def _teacher_and_learner(inputs: Inputs, teacher: str, learner: str) -> tuple[int, int]:
    """Positions of the teacher and the learner, two different parties."""
    i, j = _party_index(inputs, teacher, "teacher"), _party_index(inputs, learner, "learner")
    require(i != j, "learner", learner, f"be a party other than the teacher ({teacher})")
    return i, j


def with_market_shares(inputs: Inputs, shares: Mapping[str, float]) -> Inputs:
    """The same venture with the parties' market shares today taken from ``shares`` (e.g. a public record).

    A case file can then hold the illustrative inputs while the real shares stay
    in one place, the reference data they come from.

    Parameters
    ----------
    inputs : Inputs
        The venture; it is not changed.
    shares : mapping of str to float
        Party name -> its share of the related market today, a fraction 0-1
        (0.15, not 15). A :class:`pandas.Series` indexed by firm works. Parties
        not named keep their share; a name that is no party is an error.

    Returns
    -------
    Inputs
        A new copy with every field and cross-field rule checked again (the
        market shares may add up to at most 1).

    Raises
    ------
    InputError
        ``shares`` names a firm that is no party; ``shares[<name>]`` is not a
        number between 0 and 1; the shares break a rule of the worksheet.

    Examples
    --------
    >>> two = Inputs(parties=[
    ...     {"name": "A", "invest_alone": 1e8, "p_alone": 0.5, "launch_alone": 4, "share_alone": 0.2},
    ...     {"name": "B", "invest_alone": 1e8, "p_alone": 0.5, "launch_alone": 4, "share_alone": 0.2}])
    >>> [p.market_share for p in with_market_shares(two, {"A": 0.3, "B": 0.1}).parties]
    [0.3, 0.1]
    >>> with_market_shares(two, {"C": 0.3})
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: shares must name parties of the venture (A, B), got ['C']
    """
    shares = dict(shares)
    names = [p.name.strip() for p in inputs.parties]
    unknown = [firm for firm in shares if not (isinstance(firm, str) and firm.strip() in names)]
    require(not unknown, "shares", unknown, f"name parties of the venture ({', '.join(names)})")
    raw = inputs.model_dump()
    for party in raw["parties"]:
        for firm, share in shares.items():
            if firm.strip() == party["name"].strip():
                ok = isinstance(share, Real) and not isinstance(share, bool) and 0 <= share <= 1
                require(ok, f"shares[{firm.strip()}]", share, "be a number between 0 and 1")
                party["market_share"] = float(share)
    checked, problems = validate(Inputs, raw)
    raise_problems(problems)
    return checked


def absorption_sweep(inputs: Inputs, teacher: str, learner: str, capacities: Iterable[float]) -> pd.DataFrame:
    """How the teacher fares as its partner learns faster: the venture assessed at each absorptive capacity.

    For each capacity ``a_j`` the learner's ``absorptive`` is set to it, all
    else held, and the venture is assessed again (:func:`assess`). The
    teacher ``i`` leaks ``L_i = x_i K_i max_{k != i} a_k`` of its know-how and
    learns ``G_i = a_i sum_{k != i} x_k K_k / (n - 1)``; its learning loss is
    ``max(0, L_i - G_i)``, counted against its gain (:func:`learning_race`).

    Parameters
    ----------
    inputs : Inputs
        The venture; it is not changed.
    teacher : str
        Name of the party whose know-how is at stake.
    learner : str
        Name of the partner whose absorptive capacity varies (another party).
    capacities : iterable of float
        The learner's absorptive capacities to try: the share 0-1 of what it
        sees that it absorbs. At least one (a single number is one capacity).

    Returns
    -------
    pandas.DataFrame
        One row per capacity, in the order given: ``capacity`` (0-1);
        ``learning_loss``, the teacher's loss in the learning race;
        ``gain``, the teacher's gain over going alone after it (both money in
        present value, the case's currency); ``balance``, the smallest gain
        over the largest (1 = equal, under 0.5 lopsided, under 0 someone
        loses); ``verdict`` ("go", "go with conditions" or "no-go").

    Raises
    ------
    InputError
        ``teacher`` or ``learner`` names no party, they are the same party,
        or a capacity (``capacities[k]``) is not a number between 0 and 1.

    Examples
    --------
    >>> from coopkit.store.casefile import sample_inputs
    >>> inputs = sample_inputs("ref_hybrid_learning_race.json")
    >>> sweep = absorption_sweep(inputs, "Toyota", "Ford", [0.3, 0.9])
    >>> sweep[["capacity", "learning_loss", "verdict"]].values.tolist()
    [[0.3, 150000000.0, 'go with conditions'], [0.9, 510000000.0, 'no-go']]
    >>> round(float(sweep["gain"].iloc[1]))
    -35761741

    References
    ----------
    The learning race of Hamel (1991) and Khanna, Gulati and Nohria (1998),
    as modelled in this module (see its docstring, [Hamel1991]_, [Khanna1998]_).
    """
    i, j = _teacher_and_learner(inputs, teacher, learner)
    values = [capacities] if isinstance(capacities, Real | str) else list(capacities)
    require(len(values) > 0, "capacities", values, "list at least one absorptive capacity")
    rows = []
    for k, capacity in enumerate(values):
        ok = isinstance(capacity, Real) and not isinstance(capacity, bool) and 0 <= capacity <= 1
        require(ok, f"capacities[{k}]", capacity, "be a number between 0 and 1")
        what_if = inputs.model_copy(deep=True)
        what_if.parties[j].absorptive = float(capacity)
        result = assess(what_if)
        row = result.tables["npv"].iloc[i]
        rows.append(
            {
                "capacity": float(capacity),
                "learning_loss": float(row["learning_risk"]),
                "gain": float(row["gain"]),
                "balance": float(result.details["winwin"].balance),
                "verdict": result.verdict,
            }
        )
    return pd.DataFrame(rows, columns=["capacity", "learning_loss", "gain", "balance", "verdict"])


def _capacity_for_loss(loss: float, learned: float, disclosed: float, others: float) -> float:
    """The learner capacity above which ``disclosed * max(a, others) - learned`` exceeds ``loss``."""
    if disclosed <= 0:
        return math.inf  # the teacher discloses nothing: it never leaks
    capacity = (loss + learned) / disclosed
    return 0.0 if others >= capacity else capacity


def learning_thresholds(inputs: Inputs, teacher: str, learner: str) -> dict[str, float]:
    """The learner's absorptive capacities at which the learning race turns against the teacher.

    Hold every other input and raise the learner's absorptive capacity ``a_j``.
    The teacher ``i`` discloses ``D_i = x_i K_i``, leaks ``L_i = D_i a_j``
    (``D_i max(a_j, a_o)`` with more partners, ``a_o`` the others' highest
    capacity) and learns ``G_i``, which does not depend on ``a_j``; its learning
    loss is ``max(0, L_i - G_i)`` (:func:`learning_race`). Then:

    * **ring-fence**: the worksheet asks the teacher to ring-fence its know-how
      once the loss exceeds ``R = 0.1 max(1, |V|)``, a tenth of the venture's
      NPV ``V`` (:data:`RING_FENCE_SHARE`), while the deal is win-win; that is
      above ``a_ring = (R + G_i) / D_i``;
    * **zero gain**: the teacher's gain is ``H_i - max(0, L_i - G_i)``, with
      ``H_i`` its gain before the learning race (share of the venture minus
      stand-alone payoff minus any other risk); it falls below 0 above
      ``a_zero = (H_i + G_i) / D_i``.

    Parameters
    ----------
    inputs : Inputs
        The venture (assessed once with :func:`assess`).
    teacher : str
        Name of the party whose know-how is at stake.
    learner : str
        Name of the partner whose absorptive capacity varies (another party).

    Returns
    -------
    dict
        ``ring_fence_capacity`` and ``zero_gain_capacity``: the two capacities
        (0-1 scale; above 1 no capacity reaches it, ``inf`` when the teacher
        discloses nothing, 0 when it is reached at any capacity, e.g. a gain
        already negative before the learning race). And the terms of the
        formulas, money in present value (the case's currency):
        ``ring_fence_loss`` (``R``), ``teacher_learns`` (``G_i``),
        ``teacher_discloses`` (``D_i``), ``gain_before_learning`` (``H_i``).

    Raises
    ------
    InputError
        ``teacher`` or ``learner`` names no party, or they are the same party.

    Examples
    --------
    >>> from coopkit.store.casefile import sample_inputs
    >>> limits = learning_thresholds(sample_inputs("ref_hybrid_learning_race.json"), "Toyota", "Ford")
    >>> round(limits["ring_fence_capacity"], 3), round(limits["zero_gain_capacity"], 3)
    (0.208, 0.84)
    >>> round(limits["teacher_discloses"]), round(limits["teacher_learns"])
    (600000000, 30000000)

    References
    ----------
    The learning race of Hamel (1991) and Khanna, Gulati and Nohria (1998),
    as modelled in this module (see its docstring, [Hamel1991]_, [Khanna1998]_);
    the thresholds solve its loss formula for ``a_j``.
    """
    i, j = _teacher_and_learner(inputs, teacher, learner)
    result = assess(inputs)
    race, npv = result.tables["learning"].iloc[i], result.tables["npv"].iloc[i]
    disclosed, learned = float(race["disclosed"]), float(race["learned"])
    limit = _ring_fence_loss(result.details["winwin"].partnership_value)
    before = float(npv["gain"] + npv["learning_risk"])
    others = max((p.absorptive for k, p in enumerate(inputs.parties) if k not in (i, j)), default=0.0)
    return {
        "ring_fence_capacity": _capacity_for_loss(limit, learned, disclosed, others),
        "zero_gain_capacity": _capacity_for_loss(before, learned, disclosed, others) if before >= 0 else 0.0,
        "ring_fence_loss": limit,
        "teacher_learns": learned,
        "teacher_discloses": disclosed,
        "gain_before_learning": before,
    }


SHEET = register(
    Worksheet(
        name="new_market",
        title="Entering a new market together",
        kind="option",
        inputs=Inputs,
        assess=assess,
        summary="A joint venture into a new segment: odds, speed, each side's NPV, a fair split, the learning race.",
        sample="new_market_hybrid_truck.json",
    )
)
