"""Reputation risk as a worksheet: the partner scorecard, exposure, impact and mitigations.

The maths is :mod:`coopkit.frameworks.reputation` (see it for the model and
its sources). Optionally the worksheet also runs the win-win check on the deal
with the expected loss as our risk adjustment, so a deal that is win-win on
paper but not after reputation risk is called out as such.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field

from coopkit.frameworks import reputation, winwin
from coopkit.frameworks.findings import Finding
from coopkit.options.base import (
    Assessment,
    InputsModel,
    NonNegativeUncertain,
    Problem,
    ShareUncertain,
    Uncertain,
    Worksheet,
    currency_field,
    draws_field,
    range_problems,
    ranges_field,
    register,
    seed_field,
)
from coopkit.options.common import RateUncertain, Score, YearsUncertain, mitigation_field, score_field
from coopkit.options.win_win import SPLIT_LABELS

__all__ = ["Inputs", "assess", "mitigation_ladder", "SHEET"]


def _weight_field(key: str):
    c = reputation.CRITERIA[key]
    return Field(
        c.weight,
        ge=0,
        le=10,
        title=f"Weight: {c.label[0].lower()}{c.label[1:]}",
        description="Relative weight of the criterion in the partner score (0 leaves it out). Default: equal weights, "
        "quality criteria double (see the framework's sources).",
        json_schema_extra={"unit": "relative", "section": "Scorecard weights"},
    )


class Inputs(InputsModel):
    """What a strategist enters in the reputation-risk worksheet."""

    open_sections = ("Partner scorecard", "Mitigations")

    currency: str = currency_field()
    our_name: str = Field("Us", min_length=1, max_length=40, title="Our company", description="Our name.")
    partner_name: str = Field(
        "Partner", min_length=1, max_length=40, title="Partner", description="Name of the partner being assessed."
    )
    quality: Score = score_field("quality")
    satisfaction: Score = score_field("satisfaction")
    incidents: Score = score_field("incidents")
    financial: Score = score_field("financial")
    legal: Score = score_field("legal")
    values: Score = score_field("values")
    data: Score = score_field("data")
    exposure: Literal["co-branded", "customer-facing", "back-office"] = Field(
        "co-branded",
        title="Exposure",
        description="How visible the partnership is to our customers; the more visible, the more of the partner's "
        "incidents reach our brand.",
        json_schema_extra={"labels": reputation.EXPOSURE_LABELS},
    )
    differentiation: float = Field(
        0.5,
        ge=0,
        le=1,
        title="Brand rests on quality",
        description="How much our brand competes on quality: 0 = not at all (price, convenience), 1 = wholly.",
        json_schema_extra={"unit": "share 0-1"},
    )
    base_rate: RateUncertain = Field(
        default_factory=lambda: RateUncertain(likely=0.05),
        title="Base incident rate",
        description="Yearly probability of a reputational incident for a partner on a par with us.",
        json_schema_extra={"unit": "probability/year"},
    )
    revenue: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=1_000_000.0),
        title="Revenue at stake",
        description="Our yearly revenue from the customers who would see the partnership.",
        json_schema_extra={"unit": "money/year"},
    )
    customers_lost: ShareUncertain = Field(
        default_factory=lambda: ShareUncertain(likely=0.05),
        title="Customers lost",
        description="Share of those customers who leave after an incident (before the quality amplification).",
        json_schema_extra={"unit": "share 0-1"},
    )
    recovery_years: YearsUncertain = Field(
        default_factory=lambda: YearsUncertain(likely=1.0),
        title="Years to recover",
        description="How long until the lost customers are back or replaced.",
        json_schema_extra={"unit": "years"},
    )
    one_off_cost: NonNegativeUncertain = Field(
        default_factory=NonNegativeUncertain,
        title="One-off cost",
        description="Crisis response and brand value written down, per incident.",
        json_schema_extra={"unit": "money"},
    )
    horizon_years: float = Field(
        3.0,
        gt=0,
        le=30,
        title="Horizon",
        description="Years the partnership runs.",
        json_schema_extra={"unit": "years"},
    )
    quality_clauses: bool = mitigation_field("quality_clauses")
    audits: bool = mitigation_field("audits")
    exit_rights: bool = mitigation_field("exit_rights")
    limited_cobranding: bool = mitigation_field("limited_cobranding")
    staged_rollout: bool = mitigation_field("staged_rollout")
    check_deal: bool = Field(
        False,
        title="Check the deal",
        description="Also run the win-win check on the deal, with the expected loss as our risk adjustment.",
    )
    our_standalone: Uncertain = Field(
        default_factory=lambda: Uncertain(likely=100_000.0),
        title="Our stand-alone payoff",
        description="What we earn per year without the deal (our best alternative).",
        json_schema_extra={"unit": "money/year", "show_if": {"check_deal": [True]}},
    )
    partner_standalone: Uncertain = Field(
        default_factory=lambda: Uncertain(likely=80_000.0),
        title="Partner's stand-alone",
        description="What the partner earns per year without the deal.",
        json_schema_extra={"unit": "money/year", "show_if": {"check_deal": [True]}},
    )
    partnership_value: Uncertain = Field(
        default_factory=lambda: Uncertain(likely=220_000.0),
        title="Partnership value",
        description="What both earn together per year with the deal: the whole pie.",
        json_schema_extra={"unit": "money/year", "show_if": {"check_deal": [True]}},
    )
    split_rule: Literal["nash", "equal"] = Field(
        "nash",
        title="Split rule",
        description="How the partnership value is split (see the win-win check for the rules).",
        json_schema_extra={"labels": SPLIT_LABELS, "show_if": {"check_deal": [True]}},
    )
    use_ranges: bool = ranges_field("the spread of the expected loss")
    weight_quality: float = _weight_field("quality")
    weight_satisfaction: float = _weight_field("satisfaction")
    weight_incidents: float = _weight_field("incidents")
    weight_financial: float = _weight_field("financial")
    weight_legal: float = _weight_field("legal")
    weight_values: float = _weight_field("values")
    weight_data: float = _weight_field("data")
    draws: int = draws_field(100_000, 1_000_000)
    seed: int = seed_field()

    def problems(self) -> list[Problem]:
        """Checks across fields: ordered ranges, a positive weight, distinct names."""
        out: list[Problem] = []
        if sum(getattr(self, f"weight_{k}") for k in reputation.CRITERIA) <= 0:
            out.append(Problem(("weight_quality",), "At least one scorecard weight must be above 0"))
        if self.our_name.strip().casefold() == self.partner_name.strip().casefold():
            out.append(Problem(("partner_name",), "Partner must have a different name from our company"))
        if self.use_ranges:
            ranged = ["base_rate", "revenue", "customers_lost", "recovery_years", "one_off_cost"]
            if self.check_deal:
                ranged += ["our_standalone", "partner_standalone", "partnership_value"]
            out += range_problems(self, ranged)
        return out


LEVEL = {"low": "good", "moderate": "caution", "high": "bad", "severe": "bad"}


def run(inputs: Inputs) -> reputation.ReputationResult:
    """Call :func:`reputation.assess` with a worksheet's inputs."""
    r = inputs.use_ranges
    return reputation.assess(
        {k: getattr(inputs, k) for k in reputation.CRITERIA},
        weights={k: getattr(inputs, f"weight_{k}") for k in reputation.CRITERIA},
        base_rate=inputs.base_rate.estimate(r),
        exposure=inputs.exposure,
        revenue=inputs.revenue.estimate(r),
        customers_lost=inputs.customers_lost.estimate(r),
        recovery_years=inputs.recovery_years.estimate(r),
        differentiation=inputs.differentiation,
        one_off_cost=inputs.one_off_cost.estimate(r),
        horizon_years=inputs.horizon_years,
        mitigations=[k for k in reputation.MITIGATIONS if getattr(inputs, k)],
        draws=inputs.draws,
        seed=inputs.seed,
    )


def assess(inputs: Inputs) -> Assessment:
    """Assess the reputation-risk worksheet.

    Returns
    -------
    Assessment
        Verdict "<rating> risk" (low, moderate, high, severe) after mitigations,
        or "deal not worth the risk" when the deal check is on and the deal is
        win-win on paper only; tables ``risk`` (before/after), ``criteria``,
        ``mitigations``; ``details`` is ``{"risk": ReputationResult, "deal": WinWinResult or None}``.

    Examples
    --------
    >>> a = assess(Inputs(quality=4, satisfaction=4, revenue={"likely": 2_000_000}))
    >>> a.verdict, a.passed
    ('high risk', False)
    >>> a2 = assess(Inputs(quality=4, satisfaction=4, revenue={"likely": 2_000_000},
    ...                    quality_clauses=True, audits=True, exit_rights=True, limited_cobranding=True,
    ...                    staged_rollout=True))
    >>> a2.verdict, a2.passed
    ('moderate risk', True)
    """
    risk = run(inputs)
    us, partner = inputs.our_name.strip(), inputs.partner_name.strip()
    deal = None
    verdict = f"{risk.after.rating} risk"
    level = LEVEL[risk.after.rating]
    passed = risk.after.rating in ("low", "moderate")
    headline = (
        f"{partner} puts an expected {risk.risk_adjustment:,.0f} {inputs.currency} a year of our revenue at risk "
        f"after mitigations ({risk.before.expected_loss_per_year:,.0f} without them)."
    )
    findings = list(risk.findings)
    parties = pd.DataFrame(index=pd.Index([], name="party"))
    r = inputs.use_ranges
    if inputs.check_deal:
        deal = winwin.check(
            [us, partner],
            [inputs.our_standalone.estimate(r), inputs.partner_standalone.estimate(r)],
            inputs.partnership_value.estimate(r),
            split_rule=inputs.split_rule,
            risk_adjustment=[risk.risk_adjustment_range() if r else risk.risk_adjustment, 0.0],
            draws=min(inputs.draws, 100_000),
            seed=inputs.seed,
        )
        parties = deal.table()
        label = deal.verdict_label()
        gain = float(deal.gain[0])
        if label == "win-win on paper only":
            verdict, level, passed = "deal not worth the risk", "bad", False
            findings.insert(
                0,
                Finding(
                    "bad",
                    f"The deal is win-win on paper, not after reputation risk: our gain is {gain:,.0f} "
                    f"{inputs.currency} a year once the expected loss is counted.",
                ),
            )
        elif deal.win_win:
            findings.insert(
                1, Finding("good", f"The deal stays win-win after reputation risk (our gain {gain:,.0f} a year).")
            )
        else:
            verdict, level, passed = "deal not win-win", "bad", False
            findings.insert(0, Finding("bad", "The deal is not win-win even before reputation risk."))
    tables = {"risk": risk.table(), "criteria": risk.criteria, "mitigations": risk.mitigations}
    if deal is not None:
        tables["splits"] = deal.splits
    mc = risk.monte_carlo
    return Assessment(
        worksheet="reputation_risk",
        verdict=verdict,
        level=level,
        passed=passed,
        headline=headline,
        findings=findings,
        parties=parties,
        tables=tables,
        probability=None if mc is None else mc["p_high"],
        probability_label="P(rated high or severe)",
        details={"risk": risk, "deal": deal},
        currency=inputs.currency,
        assumptions=list(risk.assumptions) + (list(deal.assumptions) if deal is not None else []),
    )


SHEET = register(
    Worksheet(
        name="reputation_risk",
        title="Reputation risk",
        kind="framework",
        inputs=Inputs,
        assess=assess,
        summary="Could a weaker partner damage a brand that competes on quality, and what would it cost?",
        sample="reputation_risk_cobranded.json",
    )
)


_SHORT = {
    "quality_clauses": "quality clauses",
    "audits": "audits",
    "exit_rights": "exit rights",
    "limited_cobranding": "limited co-branding",
    "staged_rollout": "staged roll-out",
}


def mitigation_ladder(inputs: Inputs) -> pd.DataFrame:
    """What the mitigations do, one after another, at the most likely inputs.

    The first row has no mitigation, the second the ones the inputs choose (left
    out when they choose none), and each further row adds one more mitigation of
    :data:`coopkit.frameworks.reputation.MITIGATIONS`, in that order, until all
    are in. Each row is the worksheet's assessment with ranges off.

    Parameters
    ----------
    inputs : Inputs
        The worksheet's inputs.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``mitigations`` (``none``, ``as entered: ...``, ``+ <mitigation>``):
        ``expected_loss`` (money per year, after the row's mitigations), ``cell`` (the
        matrix cell L × I, 1-25) and ``rating``; with the deal check on, also ``gain_us``
        and ``gain_partner`` (each side's gain over its stand-alone payoff, money per year,
        our expected loss counted) and ``verdict`` (the win-win check's label).

    Examples
    --------
    >>> ladder = mitigation_ladder(Inputs(quality=4, satisfaction=4, revenue={"likely": 2_000_000},
    ...                                   quality_clauses=True))
    >>> ladder.index.tolist()
    ['none', 'as entered: quality clauses', '+ audits', '+ exit rights', '+ limited co-branding', '+ staged roll-out']
    >>> ladder["rating"].tolist()
    ['high', 'high', 'high', 'high', 'high', 'moderate']
    """
    entered = [k for k in reputation.MITIGATIONS if getattr(inputs, k)]
    steps = {"none": []}
    if entered:
        steps["as entered: " + " + ".join(_SHORT.get(k, k) for k in entered)] = entered
    chosen = list(entered)
    for key in reputation.MITIGATIONS:
        if key not in chosen:
            chosen = [*chosen, key]
            steps[f"+ {_SHORT.get(key, key)}"] = chosen
    rows = {}
    for label, keys in steps.items():
        flags = {k: k in keys for k in reputation.MITIGATIONS}
        a = assess(inputs.model_copy(update={**flags, "use_ranges": False}))
        risk, deal = a.details["risk"], a.details["deal"]
        row = {"expected_loss": risk.risk_adjustment, "cell": risk.after.cell, "rating": risk.after.rating}
        if deal is not None:
            row |= {
                "gain_us": float(deal.gain[0]),
                "gain_partner": float(deal.gain[1]),
                "verdict": deal.verdict_label(),
            }
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("mitigations")
