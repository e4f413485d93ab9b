"""Reputation risk: can a partner damage a brand that competes on quality?

If quality is what sets a brand apart, a partner whose failures customers
attach to that brand can cost more than the deal brings. This module rates a
partner, turns the rating into the probability that a partner-caused incident
reaches *our* customers, prices the incident, and rates the result on a 5x5
likelihood-impact matrix, before and after mitigations.

The model, step by step (every number is per year unless named otherwise):

1. **Partner scorecard.** Each criterion of :data:`CRITERIA` is scored on the
   scale 1 to 5 (1 = clearly better than us, no concern; 3 = on a par with
   us; 5 = far worse than us, a serious concern). The *partner score* is the
   weighted mean ``s = sum(w_k x_k) / sum(w_k)``, in [1, 5]. The criteria are
   those third-party risk guidance asks a firm to examine before relying on a
   partner [OCC2023]_; the default weights are equal [Dawes1979]_ except that
   the two quality criteria count double, because this framework exists for
   brands that compete on quality. Edit them when you know better.
2. **Likelihood.** A partner *on a par with us* (score 3) has the annual
   probability ``b`` (the *base rate*) of an incident that could touch
   partners. The partner's hazard scales with its score,
   ``p_partner = 1 - (1 - b) ** (s / 3)`` (a hazard proportional to the
   score, so the probability stays in [0, 1) and rises with every criterion).
   Only part of a partner's incidents spill over to us, depending on how
   visible the partnership is (:data:`EXPOSURE`): spillover is strongest
   when the brands are seen together [Roehm2006]_, [Votolato2006]_. The
   annual probability that a partner incident hits our brand is
   ``p = p_partner * e``, with ``e`` the exposure factor; over a horizon of
   ``H`` years, ``P = 1 - (1 - p) ** H``.
3. **Impact** of one incident, in money: revenue lost while customers stay
   away, plus one-off costs (crisis response, brand value written down),
   ``I = R * min(1, c * (1 + d)) * T + K``, with ``R`` our annual revenue,
   ``c`` the share of customers lost, ``T`` the years until they are back,
   ``K`` the one-off cost, and ``d`` in [0, 1] how much our brand rests on
   quality. Brands with a reputation for quality are punished harder for a
   failure [Rhee2006]_; coopkit assumes a brand that competes wholly on
   quality (``d = 1``) loses up to twice the customers a price brand would.
4. **Expected loss** per year is ``p * I`` (for small ``p``, the expected
   number of incidents a year times the cost of each); it is what
   :func:`coopkit.frameworks.winwin.check` takes as a *risk adjustment*, so a
   deal that is win-win on paper but not after reputation risk is called out.
5. **Rating** on the 5x5 matrix of [NPSA2008]_: the likelihood class from
   ``P`` over the horizon on the NPSA probability bands (rare < 0.1 %,
   unlikely < 1 %, possible < 10 %, likely < 50 %, almost certain >= 50 %),
   the impact class from ``I`` as a share of one year's revenue (negligible
   < 1 %, minor < 5 %, moderate < 15 %, major < 30 %, severe >= 30 %; coopkit's
   bands, since NPSA's are in absolute money), and the rating from the
   product ``L * I``: 1-3 low, 4-6 moderate, 8-12 high, 15-25 severe.
   Risk matrices coarsen: two risks in one cell can differ tenfold [Cox2008]_,
   so the expected loss is always shown beside the rating.
6. **Mitigations** (:data:`MITIGATIONS`) each cut the likelihood, the impact
   or both by a fraction in [0, 1], so they can never raise the risk. Their
   default effects are coopkit's judgement, not measured values: replace them
   with your own estimates.

Any input of steps 2-3 (not the scorecard, exposure or differentiation) may be a
three-point :class:`~coopkit.frameworks.uncertainty.Range`;
a seeded beta-PERT Monte Carlo then gives the spread of the expected loss and
the chance that the rating after mitigations is high or severe [Vose2008]_.

References
----------
.. [OCC2023] Board of Governors of the Federal Reserve System, FDIC and OCC
   (2023). "Interagency Guidance on Third-Party Relationships: Risk
   Management". *Federal Register* 88(111), 37920-37937 (due diligence topics).
.. [Dawes1979] Dawes, R. M. (1979). "The robust beauty of improper linear
   models in decision making". *American Psychologist* 34(7), 571-582.
.. [Roehm2006] Roehm, M. L. and Tybout, A. M. (2006). "When will a brand
   scandal spill over, and how should competitors respond?". *Journal of
   Marketing Research* 43(3), 366-373.
.. [Votolato2006] Votolato, N. L. and Unnava, H. R. (2006). "Spillover of
   negative information on brand alliances". *Journal of Consumer
   Psychology* 16(2), 196-202.
.. [Rhee2006] Rhee, M. and Haunschild, P. R. (2006). "The liability of good
   reputation: a study of product recalls in the U.S. automobile industry".
   *Organization Science* 17(1), 101-117.
.. [NPSA2008] National Patient Safety Agency (2008). *A risk matrix for risk
   managers*. NPSA, London.
.. [Cox2008] Cox, L. A. (2008). "What's wrong with risk matrices?". *Risk
   Analysis* 28(2), 497-512.
.. [Vose2008] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed. Wiley.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopkit.errors import InputError, require
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import Estimate, Sample, as_numbers, as_range, draw, is_number

__all__ = [
    "Criterion",
    "CRITERIA",
    "EXPOSURE",
    "Mitigation",
    "MITIGATIONS",
    "LIKELIHOOD_BANDS",
    "IMPACT_BANDS",
    "RATING_BANDS",
    "partner_score",
    "incident_probability",
    "incident_impact",
    "likelihood_class",
    "impact_class",
    "rating",
    "RiskFigures",
    "ReputationResult",
    "assess",
    "score_arithmetic",
    "rating_scales",
    "ranges_report",
]

SCALE = (1.0, 5.0)
"""Scorecard scale: 1 = clearly better than us, 3 = on a par, 5 = far worse."""


@dataclass(frozen=True)
class Criterion:
    """A scorecard criterion: its label, default weight and what the scale ends mean."""

    label: str
    weight: float
    low: str
    high: str
    short: str = ""  # a few words, for chart titles


#: The partner scorecard, after the due-diligence topics of [OCC2023]_; quality criteria count double.
CRITERIA: dict[str, Criterion] = {
    "quality": Criterion(
        "Product or service quality relative to ours", 2.0, "clearly better than ours", "far below ours", "quality"
    ),
    "satisfaction": Criterion(
        "Customer satisfaction", 2.0, "delighted customers", "widespread dissatisfaction", "satisfaction"
    ),
    "incidents": Criterion(
        "Complaint and incident history", 1.0, "none on record", "frequent, public incidents", "incidents"
    ),
    "financial": Criterion("Financial stability", 1.0, "strong balance sheet", "at risk of failure", "finances"),
    "legal": Criterion("Legal and compliance record", 1.0, "clean", "recent sanctions or lawsuits", "legal record"),
    "values": Criterion(
        "Values and ethics alignment", 1.0, "shares our values", "open conflict with our values", "values"
    ),
    "data": Criterion("Data-protection practice", 1.0, "certified, audited", "known breaches", "data protection"),
}

#: Share of a partner's incidents that reach our brand, by how visible the partnership is.
EXPOSURE: dict[str, float] = {"co-branded": 1.0, "customer-facing": 0.6, "back-office": 0.2}

EXPOSURE_LABELS = {
    "co-branded": "Co-branded (both brands on the offer)",
    "customer-facing": "Customer-facing (customers meet the partner)",
    "back-office": "Back-office (customers do not see the partner)",
}


@dataclass(frozen=True)
class Mitigation:
    """A mitigation and the fractions by which it cuts likelihood and impact (each in [0, 1])."""

    label: str
    likelihood_cut: float = 0.0
    impact_cut: float = 0.0
    exposures: tuple[str, ...] = tuple(EXPOSURE)  # the exposures it applies to

    def __post_init__(self) -> None:
        require(
            isinstance(self.exposures, tuple) and all(e in EXPOSURE for e in self.exposures),
            f"{self.label}: exposures",
            self.exposures,
            f"be a tuple of exposures from {', '.join(EXPOSURE)}",
        )
        for name in ("likelihood_cut", "impact_cut"):
            value = getattr(self, name)
            require(is_number(value) and 0 <= value <= 1, f"{self.label}: {name}", value, "be between 0 and 1")


#: Default mitigations; their effects are coopkit's judgement, to be replaced by your own estimates.
MITIGATIONS: dict[str, Mitigation] = {
    "quality_clauses": Mitigation("Quality clauses and service levels in the contract", likelihood_cut=0.30),
    "audits": Mitigation("Regular audits of the partner", likelihood_cut=0.20),
    "exit_rights": Mitigation("Exit rights on a reputational incident", impact_cut=0.30),
    "limited_cobranding": Mitigation(
        "Limited co-branding (our brand kept off the partner's delivery)",
        likelihood_cut=0.40,
        exposures=("co-branded",),
    ),
    "staged_rollout": Mitigation("Staged roll-out (a pilot first)", likelihood_cut=0.10, impact_cut=0.25),
}

#: Likelihood classes: (upper bound of P over the horizon, label), after [NPSA2008]_.
LIKELIHOOD_BANDS = (
    (0.001, "rare"),
    (0.01, "unlikely"),
    (0.10, "possible"),
    (0.50, "likely"),
    (np.inf, "almost certain"),
)
#: Impact classes: (upper bound of impact as a share of one year's revenue, label); coopkit's bands.
IMPACT_BANDS = ((0.01, "negligible"), (0.05, "minor"), (0.15, "moderate"), (0.30, "major"), (np.inf, "severe"))
#: Ratings: (largest L x I, label), after [NPSA2008]_.
RATING_BANDS = ((3, "low"), (6, "moderate"), (12, "high"), (25, "severe"))


# --------------------------------------------------------------------------- building blocks
def partner_score(scores: Mapping[str, float], weights: Mapping[str, float] | None = None) -> float:
    """Weighted mean of a partner's criterion scores, on the scale 1 (better than us) to 5 (far worse).

    Parameters
    ----------
    scores : mapping of criterion key to score
        Keys from :data:`CRITERIA`; a criterion left out is not scored
        (its weight is ignored). Scores in [1, 5]; numpy arrays score many
        partners (or Monte Carlo draws) at once.
    weights : mapping of criterion key to weight, optional
        Non-negative; defaults to :data:`CRITERIA`'s weights.

    Returns
    -------
    float or numpy.ndarray
        The partner score, in [1, 5].

    Examples
    --------
    >>> partner_score({"quality": 4, "financial": 1})  # quality counts double
    3.0
    >>> partner_score({"quality": 6})
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: score of quality must be between 1 and 5, got 6
    """
    require(isinstance(scores, Mapping) and len(scores) > 0, "scores", scores, "score at least one criterion")
    for key in weights or {}:
        require(key in CRITERIA, "weights", key, f"name criteria from {', '.join(CRITERIA)}")
    weights = {k: c.weight for k, c in CRITERIA.items()} | dict(weights or {})
    total = 0.0
    weight_sum = 0.0
    for key, value in scores.items():
        require(key in CRITERIA, "scores", key, f"name criteria from {', '.join(CRITERIA)}")
        x = as_numbers(value, f"score of {key}", "be between 1 and 5")
        require(bool(np.all((x >= SCALE[0]) & (x <= SCALE[1]))), f"score of {key}", value, "be between 1 and 5")
        w = weights[key]
        require(is_number(w) and 0 <= w <= 1e6, f"weight of {key}", w, "be a number between 0 and 1,000,000")
        total = total + w * x
        weight_sum += w
    require(weight_sum > 0, "weights", dict(weights), "give at least one scored criterion a positive weight")
    out = np.clip(total / weight_sum, *SCALE)  # a weighted mean stays on the scale, rounding included
    return float(out) if np.ndim(out) == 0 else out


def incident_probability(base_rate, score, exposure: str = "co-branded", likelihood_cut=0.0):
    """Annual probability that a partner-caused incident reaches our brand.

    ``p = (1 - (1 - base_rate) ** (score / 3)) * EXPOSURE[exposure] * (1 - likelihood_cut)``.

    Parameters
    ----------
    base_rate : float or array, per year in [0, 1)
        Incident probability of a partner on a par with us (score 3).
    score : float or array in [1, 5]
        The partner score (:func:`partner_score`).
    exposure : {"co-branded", "customer-facing", "back-office"}
        How visible the partnership is to our customers.
    likelihood_cut : float or array in [0, 1]
        Combined cut from mitigations.

    Examples
    --------
    >>> round(incident_probability(0.05, 3.0), 4)  # a partner like us, co-branded
    0.05
    >>> round(incident_probability(0.05, 3.0, "back-office"), 4)
    0.01
    """
    require(
        isinstance(exposure, str) and exposure in EXPOSURE, "exposure", exposure, f"be one of {', '.join(EXPOSURE)}"
    )
    b = as_numbers(base_rate, "base_rate", "be a probability per year in [0, 1)")
    require(bool(np.all((b >= 0) & (b < 1))), "base_rate", base_rate, "be a probability per year in [0, 1)")
    s = as_numbers(score, "score", "be between 1 and 5")
    require(bool(np.all((s >= SCALE[0]) & (s <= SCALE[1]))), "score", score, "be between 1 and 5")
    cut = as_numbers(likelihood_cut, "likelihood_cut", "be between 0 and 1")
    require(bool(np.all((cut >= 0) & (cut <= 1))), "likelihood_cut", likelihood_cut, "be between 0 and 1")
    partner = -np.expm1(np.log1p(-b) * s / 3.0)
    out = partner * EXPOSURE[exposure] * (1.0 - cut)
    return float(out) if np.ndim(out) == 0 else out


def incident_impact(revenue, customers_lost, recovery_years, differentiation=0.5, one_off_cost=0.0, impact_cut=0.0):
    """Money lost in one incident: ``(R * min(1, c * (1 + d)) * T + K) * (1 - impact_cut)``.

    Parameters
    ----------
    revenue : float or array, money per year >= 0
        Our annual revenue that the partnership's customers stand for.
    customers_lost : float or array in [0, 1]
        Share of those customers who leave after an incident.
    recovery_years : float or array in [0, 10], years
        How long until the lost customers are back (or replaced).
    differentiation : float in [0, 1]
        How much our brand rests on quality (1: wholly).
    one_off_cost : float or array, money >= 0
        Crisis response and brand value written down, per incident.
    impact_cut : float or array in [0, 1]
        Combined cut from mitigations.

    Returns
    -------
    float or numpy.ndarray
        Money per incident.

    Examples
    --------
    >>> round(incident_impact(1_000_000, 0.1, 2, differentiation=0.5, one_off_cost=50_000), 2)
    350000.0
    """
    R = as_numbers(revenue, "revenue", "be money per year between 0 and 1e12")
    require(bool(np.all((R >= 0) & (R <= 1e12))), "revenue", revenue, "be money per year between 0 and 1e12")
    c = as_numbers(customers_lost, "customers_lost", "be a share between 0 and 1")
    require(bool(np.all((c >= 0) & (c <= 1))), "customers_lost", customers_lost, "be a share between 0 and 1")
    T = as_numbers(recovery_years, "recovery_years", "be between 0 and 10 years")
    require(bool(np.all((T >= 0) & (T <= 10))), "recovery_years", recovery_years, "be between 0 and 10 years")
    d = as_numbers(differentiation, "differentiation", "be between 0 and 1")
    require(bool(np.all((d >= 0) & (d <= 1))), "differentiation", differentiation, "be between 0 and 1")
    K = as_numbers(one_off_cost, "one_off_cost", "be money between 0 and 1e12")
    require(bool(np.all((K >= 0) & (K <= 1e12))), "one_off_cost", one_off_cost, "be money between 0 and 1e12")
    cut = as_numbers(impact_cut, "impact_cut", "be between 0 and 1")
    require(bool(np.all((cut >= 0) & (cut <= 1))), "impact_cut", impact_cut, "be between 0 and 1")
    out = (R * np.minimum(1.0, c * (1.0 + d)) * T + K) * (1.0 - cut)
    return float(out) if np.ndim(out) == 0 else out


def _band(value, bands, field: str, high: float) -> np.ndarray:
    x = as_numbers(value, field, f"be a number between 0 and {high:g}")
    require(bool(np.all((x >= 0) & (x <= high))), field, value, f"be a number between 0 and {high:g}")
    edges = np.array([upper for upper, _ in bands[:-1]])
    return np.searchsorted(edges, x, side="right") + 1


def likelihood_class(probability):
    """Likelihood class 1-5 of a probability over the horizon, on the bands of :data:`LIKELIHOOD_BANDS`.

    Examples
    --------
    >>> likelihood_class(0.0005), likelihood_class(0.05), likelihood_class(0.5)
    (1, 3, 5)
    """
    out = _band(probability, LIKELIHOOD_BANDS, "probability", 1.0)
    return int(out) if np.ndim(out) == 0 else out


def impact_class(impact_share):
    """Impact class 1-5 of an impact given as a share of one year's revenue (:data:`IMPACT_BANDS`).

    Examples
    --------
    >>> impact_class(0.005), impact_class(0.15), impact_class(2.0)
    (1, 4, 5)
    """
    out = _band(impact_share, IMPACT_BANDS, "impact_share", np.inf)
    return int(out) if np.ndim(out) == 0 else out


def rating(likelihood: int, impact: int) -> str:
    """The 5x5 matrix rating of a likelihood class and an impact class (:data:`RATING_BANDS`).

    Examples
    --------
    >>> rating(1, 3), rating(2, 3), rating(3, 4), rating(5, 3)
    ('low', 'moderate', 'high', 'severe')
    """
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        require(
            not isinstance(value, (bool, np.bool_)) and value in (1, 2, 3, 4, 5),
            f"{name} class",
            value,
            "be a whole number from 1 to 5",
        )
    product = likelihood * impact
    return next(label for upper, label in RATING_BANDS if product <= upper)


# --------------------------------------------------------------------------- the assessment
@dataclass(frozen=True)
class RiskFigures:
    """The risk at one stage (before or after mitigations); money in the revenue's currency."""

    annual_probability: float
    horizon_probability: float
    impact: float
    expected_loss_per_year: float
    expected_loss_horizon: float
    likelihood_class: int
    impact_class: int
    rating: str

    @property
    def cell(self) -> int:
        """``L * I``, the matrix cell's score (1-25)."""
        return self.likelihood_class * self.impact_class


@dataclass(frozen=True)
class ReputationResult:
    """What :func:`assess` returns.

    Attributes
    ----------
    partner_score : float
        Weighted scorecard score, 1 (better than us) to 5 (far worse).
    criteria : pandas.DataFrame
        One row per scored criterion: label, score, weight, weighted share of the score.
    before, after : RiskFigures
        The risk without and with the chosen mitigations.
    mitigations : pandas.DataFrame
        The mitigations applied and their cuts.
    exposure : str
    horizon_years : float
    revenue : float
    findings : list of Finding
    monte_carlo : dict or None
        With ranges: ``draws``, ``expected_loss`` (after mitigations, per draw),
        ``percentiles`` (p5, p50, p95 of it) and ``p_high`` (share of draws rated
        high or severe after mitigations).
    assumptions : list of str
    """

    partner_score: float
    criteria: pd.DataFrame
    before: RiskFigures
    after: RiskFigures
    mitigations: pd.DataFrame
    exposure: str
    horizon_years: float
    revenue: float
    findings: list[Finding]
    monte_carlo: dict | None = None
    assumptions: list[str] = field(default_factory=list)

    @property
    def risk_adjustment(self) -> float:
        """Expected loss per year after mitigations: pass it to ``winwin.check(risk_adjustment=...)``."""
        return self.after.expected_loss_per_year

    def risk_adjustment_range(self) -> Estimate:
        """The risk adjustment with its uncertainty: the Monte Carlo draws as a Sample, else a number.

        Passed to ``winwin.check``, its Monte Carlo resamples these draws, so
        the tails of the expected loss are kept; the most likely value is the
        expected loss at the most likely inputs.
        """
        if self.monte_carlo is None:
            return self.risk_adjustment
        return Sample.of(self.monte_carlo["expected_loss"], self.risk_adjustment, "risk_adjustment")

    def report(self) -> str:
        """Plain text: before and after mitigations, one fixed-format line per figure, then the findings.

        Examples
        --------
        >>> print(assess({"quality": 3}, revenue=1e6).report().splitlines()[4])
        Expected loss per year                      3,750      3,750
        """
        formats = {"probability": "{:.2%}", "money": "{:,.0f}", "money/year": "{:,.0f}", "class": "{}", "rating": "{}"}
        lines = [f"{'':38} {'before':>10} {'after':>10}"]
        for figure, row in self.table().iterrows():
            fmt = formats[row["unit"]]
            lines.append(f"{figure:38} {fmt.format(row['before']):>10} {fmt.format(row['after']):>10}")
        lines.append(f"{'Matrix cell L × I':38} {self.before.cell:>10} {self.after.cell:>10}")
        lines += ["", *(f"- {f.text}" for f in self.findings)]
        return "\n".join(lines)

    def table(self) -> pd.DataFrame:
        """Before and after mitigations side by side, one row per figure."""
        rows = {
            "Partner incident reaches us, per year": ("annual_probability", "probability"),
            "Incident over the horizon": ("horizon_probability", "probability"),
            "Cost of one incident": ("impact", "money"),
            "Expected loss per year": ("expected_loss_per_year", "money/year"),
            "Expected loss over the horizon": ("expected_loss_horizon", "money"),
            "Likelihood class (1-5)": ("likelihood_class", "class"),
            "Impact class (1-5)": ("impact_class", "class"),
            "Rating": ("rating", "rating"),
        }
        return pd.DataFrame(
            {
                "figure": list(rows),
                "unit": [unit for _, unit in rows.values()],
                "before": [getattr(self.before, attr) for attr, _ in rows.values()],
                "after": [getattr(self.after, attr) for attr, _ in rows.values()],
            }
        ).set_index("figure")


def _combined_cut(chosen: Iterable[Mitigation | str], exposure: str) -> tuple[float, float, list[Mitigation]]:
    keep_l, keep_i, used = 1.0, 1.0, []
    for item in chosen:
        m = MITIGATIONS.get(item) if isinstance(item, str) else item
        if m in used:
            continue  # a mitigation named twice counts once
        if m is None:
            raise InputError("mitigations", item, f"name mitigations from {', '.join(MITIGATIONS)}")
        require(isinstance(m, Mitigation), "mitigations", item, "be Mitigation objects or names")
        if exposure in m.exposures:
            keep_l *= 1.0 - m.likelihood_cut
            keep_i *= 1.0 - m.impact_cut
            used.append(m)
    return 1.0 - keep_l, 1.0 - keep_i, used


def _figures(p, impact, revenue, horizon) -> RiskFigures:
    horizon_p = -np.expm1(np.log1p(-min(p, 1 - 1e-16)) * horizon)
    share = impact / revenue if revenue > 0 else (0.0 if impact == 0 else np.inf)
    lc, ic = likelihood_class(horizon_p), impact_class(share)
    return RiskFigures(
        annual_probability=float(p),
        horizon_probability=float(horizon_p),
        impact=float(impact),
        expected_loss_per_year=float(p * impact),
        expected_loss_horizon=float(p * impact * horizon),
        likelihood_class=lc,
        impact_class=ic,
        rating=rating(lc, ic),
    )


def assess(
    scores: Mapping[str, float],
    *,
    weights: Mapping[str, float] | None = None,
    base_rate: Estimate = 0.05,
    exposure: str = "co-branded",
    revenue: Estimate,
    customers_lost: Estimate = 0.05,
    recovery_years: Estimate = 1.0,
    differentiation: float = 0.5,
    one_off_cost: Estimate = 0.0,
    horizon_years: float = 3.0,
    mitigations: Iterable[Mitigation | str] = (),
    draws: int = 100_000,
    seed: int = 0,
) -> ReputationResult:
    """Rate a partner's reputation risk to our brand, before and after mitigations.

    Parameters
    ----------
    scores, weights
        The partner scorecard (see :func:`partner_score`).
    base_rate : float or Range, probability per year in [0, 1)
        Annual probability of an incident for a partner on a par with us.
    exposure : {"co-branded", "customer-facing", "back-office"}
    revenue : float or Range, money per year
        Our revenue the partnership's customers stand for.
    customers_lost : float or Range, share in [0, 1]
    recovery_years : float or Range, years in [0, 10]
    differentiation : float in [0, 1]
        How much our brand rests on quality.
    one_off_cost : float or Range, money per incident
    horizon_years : float in (0, 30], years
    mitigations : names from :data:`MITIGATIONS` or Mitigation objects
    draws : int
        Monte Carlo draws when any input is a Range (1,000 to 1,000,000).
    seed : int
        Seed of the draws.

    Returns
    -------
    ReputationResult

    Examples
    --------
    >>> r = assess({"quality": 4, "incidents": 4}, revenue=2_000_000, customers_lost=0.1,
    ...            mitigations=["quality_clauses", "exit_rights"])
    >>> r.before.rating, r.after.rating
    ('severe', 'high')
    >>> round(r.risk_adjustment)
    9717
    """
    require(
        isinstance(exposure, str) and exposure in EXPOSURE, "exposure", exposure, f"be one of {', '.join(EXPOSURE)}"
    )
    require(
        is_number(horizon_years) and 0 < horizon_years <= 30,
        "horizon_years",
        horizon_years,
        "be greater than 0 and at most 30 years",
    )
    require(
        is_number(differentiation) and 0 <= differentiation <= 1,
        "differentiation",
        differentiation,
        "be between 0 and 1",
    )
    require(
        isinstance(draws, (int, np.integer)) and not isinstance(draws, bool) and 1_000 <= draws <= 1_000_000,
        "draws",
        draws,
        "be a whole number from 1,000 to 1,000,000",
    )
    require(
        isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and 0 <= seed < 2**63,
        "seed",
        seed,
        "be a whole number >= 0",
    )
    score = partner_score(scores, weights)
    used_weights = {k: c.weight for k, c in CRITERIA.items()} | dict(weights or {})
    scored = [k for k in CRITERIA if k in scores]
    w = np.array([used_weights[k] for k in scored], dtype=float)
    x = np.array([float(scores[k]) for k in scored])
    criteria = pd.DataFrame(
        {
            "criterion": scored,
            "label": [CRITERIA[k].label for k in scored],
            "score": x,
            "weight": w,
            "share_of_score": w * x / float(w @ x),
        }
    ).set_index("criterion")
    l_cut, i_cut, used = _combined_cut(mitigations, exposure)
    estimates = {
        "base_rate": as_range(base_rate, "base_rate"),
        "revenue": as_range(revenue, "revenue"),
        "customers_lost": as_range(customers_lost, "customers_lost"),
        "recovery_years": as_range(recovery_years, "recovery_years"),
        "one_off_cost": as_range(one_off_cost, "one_off_cost"),
    }
    likely = {k: r.likely for k, r in estimates.items()}
    # validate every end of every range through the formulas themselves
    for end in ("low", "high"):
        ends = {k: getattr(r, end) for k, r in estimates.items()}
        incident_probability(ends["base_rate"], score, exposure)
        incident_impact(
            ends["revenue"], ends["customers_lost"], ends["recovery_years"], differentiation, ends["one_off_cost"]
        )

    def stage(lc: float, ic: float, v: dict):
        p = incident_probability(v["base_rate"], score, exposure, lc)
        impact = incident_impact(
            v["revenue"], v["customers_lost"], v["recovery_years"], differentiation, v["one_off_cost"], ic
        )
        return p, impact

    before = _figures(*stage(0.0, 0.0, likely), likely["revenue"], horizon_years)
    after = _figures(*stage(l_cut, i_cut, likely), likely["revenue"], horizon_years)

    monte_carlo = None
    if any(not r.is_point for r in estimates.values()):
        rng_streams = np.random.default_rng(seed).spawn(len(estimates))
        sampled = {k: draw(r, int(draws), g) for (k, r), g in zip(estimates.items(), rng_streams, strict=True)}
        p, impact = stage(l_cut, i_cut, sampled)
        loss = p * impact
        horizon_p = -np.expm1(np.log1p(-np.minimum(p, 1 - 1e-16)) * horizon_years)
        revenue_draws = sampled["revenue"]
        with np.errstate(divide="ignore", invalid="ignore"):  # as in _figures: no revenue, any impact is severe
            share = np.where(
                revenue_draws > 0,
                impact / np.where(revenue_draws > 0, revenue_draws, 1.0),
                np.where(impact > 0, np.inf, 0.0),
            )
        cell = likelihood_class(horizon_p) * impact_class(share)
        monte_carlo = {
            "draws": int(draws),
            "expected_loss": loss,
            "percentiles": tuple(float(v) for v in np.percentile(loss, [5, 50, 95])),
            "p_high": float(np.mean(cell > RATING_BANDS[1][0])),
        }

    mit_table = pd.DataFrame(
        {
            "mitigation": [m.label for m in used],
            "likelihood_cut": [m.likelihood_cut for m in used],
            "impact_cut": [m.impact_cut for m in used],
        }
    )
    revenue_likely = likely["revenue"]
    findings = _findings(score, criteria, before, after, used, exposure, differentiation, revenue_likely, monte_carlo)
    assumptions = [
        "A partner on a par with us (score 3) has the base-rate incident probability; the hazard scales with the score.",
        f"{EXPOSURE[exposure]:.0%} of the partner's incidents reach our brand ({EXPOSURE_LABELS[exposure].lower()}).",
        "A brand competing wholly on quality loses up to twice the customers a price brand would.",
        "Mitigation effects are coopkit's judgement defaults; replace them with your own estimates.",
        f"Expected loss over {horizon_years:g} years is undiscounted.",
    ]
    return ReputationResult(
        partner_score=score,
        criteria=criteria,
        before=before,
        after=after,
        mitigations=mit_table,
        exposure=exposure,
        horizon_years=float(horizon_years),
        revenue=float(revenue_likely),
        findings=findings,
        monte_carlo=monte_carlo,
        assumptions=assumptions,
    )


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _findings(score, criteria, before, after, used, exposure, differentiation, revenue, mc) -> list[Finding]:
    out: list[Finding] = []
    level = {"low": "good", "moderate": "caution", "high": "bad", "severe": "bad"}
    out.append(
        Finding(
            level[after.rating],
            f"Reputation risk is {after.rating} after mitigations"
            + (f" (was {before.rating} without them)." if after.rating != before.rating else "."),
        )
    )
    out.append(
        Finding(
            "info",
            f"Expected loss {_money(after.expected_loss_per_year)} a year: a {after.annual_probability:.1%} yearly "
            f"chance that a partner incident reaches our customers, costing {_money(after.impact)} each time.",
        )
    )
    worst = criteria[criteria["score"] >= 4]
    if len(worst):
        names = ", ".join(label.lower() for label in worst["label"])
        out.append(Finding("caution", f"The partner scores worse than us on {names}."))
    elif score <= 3:
        out.append(Finding("good", f"The partner is on a par with us or better (score {score:.2f} of 5)."))
    if differentiation >= 0.7 and exposure == "co-branded" and score > 3:
        out.append(
            Finding(
                "bad",
                "Our brand competes on quality and the partnership is co-branded with a weaker partner: "
                "this is where a partner can cost more than the deal brings.",
            )
        )
    if used:
        saved = before.expected_loss_per_year - after.expected_loss_per_year
        out.append(Finding("good", f"Mitigations cut the expected loss by {_money(saved)} a year."))
    elif before.rating in ("high", "severe"):
        out.append(Finding("caution", "No mitigation is chosen; quality clauses, audits and exit rights cut the risk."))
    if mc is not None:
        p5, _, p95 = mc["percentiles"]
        out.append(
            Finding(
                "caution" if mc["p_high"] >= 0.2 else "info",
                f"With the ranges given, the expected loss is between {_money(p5)} and {_money(p95)} a year "
                f"in 90% of scenarios; {mc['p_high']:.0%} of them rate high or severe.",
            )
        )
    return out


# --------------------------------------------------------------------------- plain-text reports
def score_arithmetic(result: ReputationResult) -> str:
    """Plain text: the partner score worked out, ``s = sum(w_k x_k) / sum(w_k)`` with the result's weights and scores.

    Parameters
    ----------
    result : ReputationResult
        What :func:`assess` returned.

    Returns
    -------
    str
        Two lines: the weighted sum written out (weight × score per criterion, in the
        order of :data:`CRITERIA`), then its total over the sum of the weights and the
        score (1 better than us to 5 far worse, four decimals).

    Examples
    --------
    >>> print(score_arithmetic(assess({"quality": 4, "legal": 2}, revenue=1e6)))
    partner score = (2×4 + 1×2) / 3
                  = 10 / 3 = 3.3333
    """
    w, x = result.criteria["weight"], result.criteria["score"]
    terms = " + ".join(f"{a:g}×{b:g}" for a, b in zip(w, x, strict=True))
    return (
        f"partner score = ({terms}) / {w.sum():g}\n"
        f"{'':14}= {(w * x).sum():g} / {w.sum():g} = {result.partner_score:.4f}"
    )


def _bands_text(bands) -> str:
    steps = [f"{k} {label} < {upper * 100:g}%" for k, (upper, label) in enumerate(bands[:-1], 1)]
    return ", ".join([*steps, f"{len(bands)} {bands[-1][1]}"])


def rating_scales() -> str:
    """Plain text: the classes of the 5x5 matrix and the ratings, from :data:`LIKELIHOOD_BANDS`,
    :data:`IMPACT_BANDS` and :data:`RATING_BANDS`.

    Returns
    -------
    str
        Three lines: each likelihood class with the upper bound of its chance over the
        horizon, each impact class with the upper bound of its share of a year's revenue
        (both in percent), and the largest matrix cell ``L × I`` of each rating.

    Examples
    --------
    >>> print(rating_scales().splitlines()[2])
    Rating (L × I): low up to 3, moderate up to 6, high up to 12, severe up to 25

    References
    ----------
    [NPSA2008]_ (likelihood classes and ratings); the impact classes are coopkit's.
    """
    return "\n".join(
        [
            f"Likelihood (chance over the horizon): {_bands_text(LIKELIHOOD_BANDS)}",
            f"Impact (share of a year's revenue): {_bands_text(IMPACT_BANDS)}",
            "Rating (L × I): " + ", ".join(f"{label} up to {upper}" for upper, label in RATING_BANDS),
        ]
    )


def ranges_report(result: ReputationResult, at_least: float | None = None) -> str:
    """Plain text: the spread of the expected loss after mitigations, for a result of :func:`assess` with ranges.

    Parameters
    ----------
    result : ReputationResult
        What :func:`assess` returned with at least one input given as a range.
    at_least : float, optional
        An expected loss, money per year: adds how many scenarios reach it (for instance
        what the deal gains us a year, above which we are no better off than alone).

    Returns
    -------
    str
        The number of scenarios (draws); the expected loss per year at the most likely inputs;
        its 5th, 50th and 95th percentiles and mean over the scenarios (money per year);
        the share of scenarios rated high or severe (0-1); with ``at_least``, the count of
        scenarios whose expected loss is at least that.

    Examples
    --------
    >>> r = assess({"quality": 4}, revenue=(800_000, 1_000_000, 1_500_000), draws=1_000)
    >>> print(ranges_report(r, at_least=6_000))
    draws: 1,000
    expected loss per year at the most likely inputs: 4,958
    expected loss per year: p5 4,250   p50 5,143   p95 6,448   mean 5,198
    share of scenarios rated high or severe: 1.0000
    scenarios with an expected loss of 6,000 or more a year: 112 of 1,000
    """
    mc = result.monte_carlo
    require(mc is not None, "result", "no ranges", "come from assess with at least one input given as a range")
    p5, p50, p95 = mc["percentiles"]
    loss = mc["expected_loss"]
    lines = [
        f"draws: {mc['draws']:,}",
        f"expected loss per year at the most likely inputs: {_money(result.risk_adjustment)}",
        f"expected loss per year: p5 {_money(p5)}   p50 {_money(p50)}   p95 {_money(p95)}   mean {_money(loss.mean())}",
        f"share of scenarios rated high or severe: {mc['p_high']:.4f}",
    ]
    if at_least is not None:
        require(is_number(at_least), "at_least", at_least, "be an amount of money a year")
        lines.append(
            f"scenarios with an expected loss of {_money(at_least)} or more a year: "
            f"{int((loss >= at_least).sum()):,} of {loss.size:,}"
        )
    return "\n".join(lines)
