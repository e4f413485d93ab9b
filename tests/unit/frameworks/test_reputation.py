"""Reputation risk: known answers first, then properties, Monte Carlo, composition with win-win, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import winwin
from coopkit.frameworks.reputation import (
    CRITERIA,
    EXPOSURE,
    IMPACT_BANDS,
    LIKELIHOOD_BANDS,
    MITIGATIONS,
    RATING_BANDS,
    Mitigation,
    ReputationResult,
    assess,
    impact_class,
    incident_impact,
    incident_probability,
    likelihood_class,
    partner_score,
    rating,
)
from coopkit.frameworks.uncertainty import Range, Sample

RATING_ORDER = ("low", "moderate", "high", "severe")
KEYS = tuple(CRITERIA)


def worked_example(**kw) -> ReputationResult:
    """The hand-worked assessment of the known-answer tests (see test_assess_by_hand)."""
    args = dict(
        base_rate=0.19,
        revenue=1_000_000,
        customers_lost=0.1,
        recovery_years=1.0,
        differentiation=0.5,
        one_off_cost=50_000,
        horizon_years=2,
    )
    args.update(kw)
    return assess({"quality": 1.5}, **args)


# --------------------------------------------------------------------------- constants
def test_tables_are_as_documented():
    assert {k: c.weight for k, c in CRITERIA.items()} == {
        "quality": 2.0,
        "satisfaction": 2.0,
        "incidents": 1.0,
        "financial": 1.0,
        "legal": 1.0,
        "values": 1.0,
        "data": 1.0,
    }
    assert EXPOSURE == {"co-branded": 1.0, "customer-facing": 0.6, "back-office": 0.2}
    assert [upper for upper, _ in LIKELIHOOD_BANDS] == [0.001, 0.01, 0.10, 0.50, np.inf]
    assert [upper for upper, _ in IMPACT_BANDS] == [0.01, 0.05, 0.15, 0.30, np.inf]
    assert RATING_BANDS == ((3, "low"), (6, "moderate"), (12, "high"), (25, "severe"))
    for m in MITIGATIONS.values():
        assert 0 <= m.likelihood_cut <= 1 and 0 <= m.impact_cut <= 1


# --------------------------------------------------------------------------- partner_score
def test_partner_score_default_weights_by_hand():
    # quality counts double: (2 * 4 + 1 * 1) / (2 + 1) = 9 / 3 = 3
    assert partner_score({"quality": 4, "financial": 1}) == 3.0
    # all seven criteria, weights 2,2,1,1,1,1,1 (sum 9):
    # (2*5 + 2*4 + 3 + 2 + 1 + 2 + 3) / 9 = (10 + 8 + 11) / 9 = 29 / 9
    scores = {"quality": 5, "satisfaction": 4, "incidents": 3, "financial": 2, "legal": 1, "values": 2, "data": 3}
    assert partner_score(scores) == pytest.approx(29 / 9, rel=1e-15)
    # a single criterion is its own score, whatever its weight
    assert partner_score({"legal": 2.5}) == 2.5
    assert isinstance(partner_score({"legal": 2.5}), float)


def test_partner_score_custom_weights_by_hand():
    # (1 * 5 + 3 * 1) / (1 + 3) = 8 / 4 = 2
    assert partner_score({"quality": 5, "financial": 1}, {"quality": 1, "financial": 3}) == 2.0
    # weights given for only some criteria: the others keep their defaults
    # quality 1 (custom), satisfaction 2 (default): (1 * 5 + 2 * 2) / 3 = 3
    assert partner_score({"quality": 5, "satisfaction": 2}, {"quality": 1}) == 3.0
    # weight 0 drops a scored criterion: only financial counts
    assert partner_score({"quality": 5, "financial": 1}, {"quality": 0}) == 1.0
    # weights of criteria that are not scored are ignored
    assert partner_score({"quality": 4}, {"data": 1000}) == 4.0


def test_partner_score_of_many_partners_at_once():
    # partner 1: (2*1 + 3) / 3 = 5/3; partner 2: (2*5 + 3) / 3 = 13/3
    out = partner_score({"quality": np.array([1.0, 5.0]), "financial": np.array([3.0, 3.0])})
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [5 / 3, 13 / 3], rtol=1e-15)


# --------------------------------------------------------------------------- incident_probability
def test_incident_probability_by_hand():
    # a partner on a par (s = 3) has the base rate: 1 - (1 - 0.05) ** 1 = 0.05
    assert incident_probability(0.05, 3.0) == pytest.approx(0.05, rel=1e-12)
    # b = 0.19, s = 1.5: 1 - 0.81 ** 0.5 = 1 - 0.9 = 0.1
    assert incident_probability(0.19, 1.5) == pytest.approx(0.1, rel=1e-12)
    # b = 0.36, s = 1.5, customer-facing (0.6), cut 0.25: (1 - 0.8) * 0.6 * 0.75 = 0.09
    assert incident_probability(0.36, 1.5, "customer-facing", 0.25) == pytest.approx(0.09, rel=1e-12)
    # b = 0.271, s = 1: 1 - 0.729 ** (1/3) = 1 - 0.9 = 0.1; back-office 0.2, cut 0.5: 0.1 * 0.2 * 0.5 = 0.01
    assert incident_probability(0.271, 1.0, "back-office", 0.5) == pytest.approx(0.01, rel=1e-12)
    # b = 0.1, s = 4.5: 1 - 0.9 ** 1.5 = 1 - 0.9 * sqrt(0.9) = 1 - 0.9 * 0.9486833 = 0.1461850; co-branded, no cut
    assert incident_probability(0.1, 4.5) == pytest.approx(1 - 0.9**1.5, rel=1e-12)
    assert incident_probability(0.1, 4.5) == pytest.approx(0.1461850, abs=1e-7)
    # b = 0.75, s = 1.5, full cut: (1 - 0.25 ** 0.5) * 1 * 0 = 0
    assert incident_probability(0.75, 1.5, likelihood_cut=1.0) == 0.0
    # nothing ever happens with a zero base rate
    assert incident_probability(0.0, 5.0) == 0.0


def test_incident_probability_doctest_values():
    assert round(incident_probability(0.05, 3.0, "back-office"), 4) == 0.01


# --------------------------------------------------------------------------- incident_impact
def test_incident_impact_by_hand():
    # R=1e6, c=0.1, d=0.5: min(1, 0.1 * 1.5) = 0.15; * T=2 -> 300,000; + K=50,000 -> 350,000
    assert incident_impact(1_000_000, 0.1, 2, differentiation=0.5, one_off_cost=50_000) == pytest.approx(350_000)
    # a price brand (d = 0) loses only c: 1e6 * 0.1 * 1 = 100,000
    assert incident_impact(1_000_000, 0.1, 1, differentiation=0.0) == pytest.approx(100_000)
    # a quality brand (d = 1) loses twice that: 1e6 * 0.2 * 1 = 200,000
    assert incident_impact(1_000_000, 0.1, 1, differentiation=1.0) == pytest.approx(200_000)
    # cut 0.25: (1e6 * 0.15 * 2 + 50,000) * 0.75 = 262,500
    assert incident_impact(1_000_000, 0.1, 2, 0.5, 50_000, impact_cut=0.25) == pytest.approx(262_500)
    # defaults: d = 0.5, K = 0, no cut: 2e6 * 0.05 * 1.5 * 3 = 450,000
    assert incident_impact(2_000_000, 0.05, 3) == pytest.approx(450_000)


def test_incident_impact_caps_the_customers_lost_at_all_of_them():
    # c = 0.6, d = 1: c (1 + d) = 1.2, capped at 1: 1e6 * 1 * 2 + 10,000 = 2,010,000
    assert incident_impact(1_000_000, 0.6, 2, differentiation=1.0, one_off_cost=10_000) == pytest.approx(2_010_000)
    # exactly at the cap: c = 0.5, d = 1 -> 1.0; a bigger c changes nothing
    at_cap = incident_impact(1_000_000, 0.5, 1, differentiation=1.0)
    assert at_cap == pytest.approx(1_000_000)
    assert incident_impact(1_000_000, 1.0, 1, differentiation=1.0) == at_cap
    # just under the cap, no capping: c = 0.4, d = 1 -> 0.8
    assert incident_impact(1_000_000, 0.4, 1, differentiation=1.0) == pytest.approx(800_000)


def test_incident_impact_zero_cases():
    assert incident_impact(1_000_000, 0.0, 5) == 0.0  # nobody leaves
    assert incident_impact(1_000_000, 0.3, 0) == 0.0  # they come back at once
    assert incident_impact(0, 0.3, 2, one_off_cost=7_000) == 7_000  # only the one-off cost
    assert incident_impact(1_000_000, 0.3, 2, one_off_cost=7_000, impact_cut=1.0) == 0.0


# --------------------------------------------------------------------------- classes and rating
@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0, 1),
        (0.0005, 1),
        (float(np.nextafter(0.001, 0)), 1),
        (0.001, 2),  # an exact edge belongs to the upper class
        (0.005, 2),
        (float(np.nextafter(0.01, 0)), 2),
        (0.01, 3),
        (0.05, 3),
        (float(np.nextafter(0.1, 0)), 3),
        (0.1, 4),
        (0.3, 4),
        (float(np.nextafter(0.5, 0)), 4),
        (0.5, 5),
        (0.9, 5),
        (1.0, 5),
    ],
)
def test_likelihood_class_bands_and_edges(p, expected):
    # NPSA: rare < 0.1 %, unlikely < 1 %, possible < 10 %, likely < 50 %, almost certain >= 50 %
    assert likelihood_class(p) == expected
    assert type(likelihood_class(p)) is int


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.0, 1),
        (0.005, 1),
        (float(np.nextafter(0.01, 0)), 1),
        (0.01, 2),
        (0.03, 2),
        (float(np.nextafter(0.05, 0)), 2),
        (0.05, 3),
        (0.1, 3),
        (float(np.nextafter(0.15, 0)), 3),
        (0.15, 4),
        (0.2, 4),
        (float(np.nextafter(0.30, 0)), 4),
        (0.30, 5),
        (2.0, 5),
        (math.inf, 5),
    ],
)
def test_impact_class_bands_and_edges(share, expected):
    # negligible < 1 %, minor < 5 %, moderate < 15 %, major < 30 %, severe >= 30 % of a year's revenue
    assert impact_class(share) == expected
    assert type(impact_class(share)) is int


def test_classes_of_arrays():
    out = likelihood_class(np.array([0.0, 0.001, 0.01, 0.1, 0.5]))
    assert isinstance(out, np.ndarray) and out.tolist() == [1, 2, 3, 4, 5]
    out = impact_class(np.array([0.009, 0.049, 0.149, 0.299, 0.3]))
    assert isinstance(out, np.ndarray) and out.tolist() == [1, 2, 3, 4, 5]


# every product L * I that can occur on the 5x5 matrix, rated by hand: 1-3 low, 4-6 moderate, 8-12 high, 15-25 severe
RATING_BY_PRODUCT = {
    1: "low",
    2: "low",
    3: "low",
    4: "moderate",
    5: "moderate",
    6: "moderate",
    8: "high",
    9: "high",
    10: "high",
    12: "high",
    15: "severe",
    16: "severe",
    20: "severe",
    25: "severe",
}


def test_rating_products_are_the_ones_that_can_occur():
    assert {lc * ic for lc in range(1, 6) for ic in range(1, 6)} == set(RATING_BY_PRODUCT)


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_rating_of_every_cell(likelihood, impact):
    assert rating(likelihood, impact) == RATING_BY_PRODUCT[likelihood * impact]
    assert rating(likelihood, impact) == rating(impact, likelihood)  # the matrix is symmetric


def test_rating_doctest_values_and_numpy_integers():
    assert (rating(1, 3), rating(2, 3), rating(3, 4), rating(5, 3)) == ("low", "moderate", "high", "severe")
    assert rating(np.int64(4), np.int64(4)) == "severe"  # classes from likelihood_class on arrays


# --------------------------------------------------------------------------- assess, known answers
def test_assess_by_hand_without_mitigations():
    # s = 1.5, b = 0.19: p = 1 - 0.81 ** 0.5 = 0.1 (co-branded, no cut)
    # over H = 2 years: P = 1 - 0.9 ** 2 = 0.19 -> likely (class 4)
    # I = 1e6 * min(1, 0.1 * 1.5) * 1 + 50,000 = 200,000 -> 20 % of revenue -> major (class 4)
    # cell 16 -> severe; expected loss 0.1 * 200,000 = 20,000 a year, 40,000 over 2 years
    r = worked_example()
    b = r.before
    assert r.partner_score == 1.5
    assert b.annual_probability == pytest.approx(0.1, rel=1e-12)
    assert b.horizon_probability == pytest.approx(0.19, rel=1e-12)
    assert b.impact == pytest.approx(200_000)
    assert b.expected_loss_per_year == pytest.approx(20_000)
    assert b.expected_loss_horizon == pytest.approx(40_000)
    assert (b.likelihood_class, b.impact_class, b.cell, b.rating) == (4, 4, 16, "severe")
    assert r.after == r.before  # no mitigation chosen
    assert r.risk_adjustment == pytest.approx(20_000)
    assert r.monte_carlo is None
    assert r.risk_adjustment_range() == r.risk_adjustment
    assert r.exposure == "co-branded" and r.horizon_years == 2.0 and r.revenue == 1_000_000
    assert len(r.mitigations) == 0


def test_assess_by_hand_with_mitigations():
    # quality_clauses cuts likelihood by 0.3, exit_rights cuts impact by 0.3:
    # p = 0.1 * 0.7 = 0.07; P over 2 years = 1 - 0.93 ** 2 = 0.1351 -> class 4
    # I = 200,000 * 0.7 = 140,000 -> 14 % -> moderate (class 3); cell 12 -> high
    # expected loss 0.07 * 140,000 = 9,800 a year
    r = worked_example(mitigations=["quality_clauses", "exit_rights"])
    a = r.after
    assert a.annual_probability == pytest.approx(0.07, rel=1e-12)
    assert a.horizon_probability == pytest.approx(0.1351, rel=1e-12)
    assert a.impact == pytest.approx(140_000)
    assert a.expected_loss_per_year == pytest.approx(9_800)
    assert a.expected_loss_horizon == pytest.approx(19_600)
    assert (a.likelihood_class, a.impact_class, a.cell, a.rating) == (4, 3, 12, "high")
    assert r.before.rating == "severe"
    assert r.risk_adjustment == pytest.approx(9_800)
    assert r.mitigations["mitigation"].tolist() == [
        MITIGATIONS["quality_clauses"].label,
        MITIGATIONS["exit_rights"].label,
    ]
    assert r.mitigations["likelihood_cut"].tolist() == [0.3, 0.0]
    assert r.mitigations["impact_cut"].tolist() == [0.0, 0.3]
    assert r.findings[0].text == "Reputation risk is high after mitigations (was severe without them)."
    assert any(f.text == "Mitigations cut the expected loss by 10,200 a year." for f in r.findings)


def test_mitigations_combine_multiplicatively():
    # quality_clauses, audits, staged_rollout keep 0.7 * 0.8 * 0.9 = 0.504 of the likelihood
    # and 1 * 1 * 0.75 = 0.75 of the impact: p = 0.1 * 0.504, I = 200,000 * 0.75 = 150,000
    r = worked_example(mitigations=["quality_clauses", "audits", "staged_rollout"])
    assert r.after.annual_probability == pytest.approx(0.0504, rel=1e-12)
    assert r.after.impact == pytest.approx(150_000)
    assert r.risk_adjustment == pytest.approx(0.0504 * 150_000)
    # a Mitigation object works like a name
    custom = worked_example(mitigations=[Mitigation("Escrow", likelihood_cut=0.5, impact_cut=0.5)])
    assert custom.after.annual_probability == pytest.approx(0.05, rel=1e-12)
    assert custom.after.impact == pytest.approx(100_000)


def test_mitigations_apply_only_to_their_exposures():
    # limited_cobranding applies only to co-branded partnerships
    co = worked_example(mitigations=["limited_cobranding"])
    assert co.after.annual_probability == pytest.approx(0.1 * 0.6, rel=1e-12)
    assert len(co.mitigations) == 1
    back = worked_example(exposure="back-office", mitigations=["limited_cobranding"])
    # back-office: p = 0.1 * 0.2 = 0.02, unchanged by the mitigation
    assert back.before.annual_probability == pytest.approx(0.02, rel=1e-12)
    assert back.after == back.before
    assert len(back.mitigations) == 0


def test_assess_docstring_example():
    # s = (2 * 4 + 1 * 4) / 3 = 4; p = (1 - 0.95 ** (4/3)) * 0.7; I = 2e6 * 0.15 * 1 * 0.7 = 210,000
    r = assess(
        {"quality": 4, "incidents": 4},
        revenue=2_000_000,
        customers_lost=0.1,
        mitigations=["quality_clauses", "exit_rights"],
    )
    assert (r.before.rating, r.after.rating) == ("severe", "high")
    assert r.risk_adjustment == pytest.approx((1 - 0.95 ** (4 / 3)) * 0.7 * 210_000, rel=1e-12)
    assert round(r.risk_adjustment) == 9717


def test_revenue_zero_with_a_one_off_cost_is_a_severe_impact():
    # no revenue to compare with, but money is lost: the share is infinite, class 5
    r = assess({"quality": 3}, revenue=0, one_off_cost=2_000)
    assert r.before.impact == 2_000 and r.before.impact_class == 5
    none = assess({"quality": 3}, revenue=0)
    assert none.before.impact == 0 and none.before.impact_class == 1


def test_criteria_table():
    r = assess({"financial": 2, "quality": 4}, revenue=1_000_000)
    t = r.criteria
    # rows in the order of CRITERIA, not of the scores given
    assert list(t.index) == ["quality", "financial"]
    assert t["score"].tolist() == [4.0, 2.0]
    assert t["weight"].tolist() == [2.0, 1.0]
    # shares of the weighted sum 2*4 + 1*2 = 10: 0.8 and 0.2
    assert t["share_of_score"].tolist() == pytest.approx([0.8, 0.2])
    assert t.loc["quality", "label"] == CRITERIA["quality"].label
    assert r.partner_score == pytest.approx(10 / 3)


def test_result_table_lays_before_and_after_side_by_side():
    r = worked_example(mitigations=["quality_clauses", "exit_rights"])
    t = r.table()
    assert isinstance(t, pd.DataFrame)
    assert list(t.columns) == ["unit", "before", "after"]
    assert list(t.index) == [
        "Partner incident reaches us, per year",
        "Incident over the horizon",
        "Cost of one incident",
        "Expected loss per year",
        "Expected loss over the horizon",
        "Likelihood class (1-5)",
        "Impact class (1-5)",
        "Rating",
    ]
    assert t.loc["Expected loss per year", "before"] == pytest.approx(20_000)
    assert t.loc["Expected loss per year", "after"] == pytest.approx(9_800)
    assert t.loc["Expected loss per year", "unit"] == "money/year"
    assert t.loc["Rating", "before"] == "severe" and t.loc["Rating", "after"] == "high"
    assert t.loc["Impact class (1-5)", "after"] == 3


def test_findings_flag_a_weak_cobranded_partner_of_a_quality_brand():
    r = assess({"quality": 5, "data": 4}, revenue=1_000_000, differentiation=0.8)
    levels = {f.level for f in r.findings}
    assert "bad" in levels
    assert any("scores worse than us on" in f.text for f in r.findings)
    assert any("co-branded with a weaker partner" in f.text for f in r.findings)
    assert any("No mitigation is chosen" in f.text for f in r.findings)
    good = assess({"quality": 2}, revenue=1_000_000, exposure="back-office", customers_lost=0.01)
    assert any("on a par with us or better" in f.text for f in good.findings)
    assert not any("co-branded with a weaker partner" in f.text for f in good.findings)


# --------------------------------------------------------------------------- properties
score_values = st.one_of(st.integers(1, 5).map(float), st.floats(1.0, 5.0, allow_nan=False))
scorecards = st.dictionaries(st.sampled_from(KEYS), score_values, min_size=1, max_size=len(KEYS))
# whole-number weights: the weighted mean of scores <= 5 then cannot round above 5 (partner_score clips to the scale in any case)
weight_maps = st.one_of(st.none(), st.dictionaries(st.sampled_from(KEYS), st.integers(1, 10).map(float)))
base_rates = st.floats(0.0, 0.999, allow_nan=False)
shares = st.floats(0.0, 1.0, allow_nan=False)
exposures = st.sampled_from(list(EXPOSURE))


@st.composite
def settings_(draw):
    """Keyword arguments of assess apart from the scorecard."""
    return dict(
        base_rate=draw(base_rates),
        exposure=draw(exposures),
        revenue=draw(st.floats(0.0, 1e9, allow_nan=False)),
        customers_lost=draw(shares),
        recovery_years=draw(st.floats(0.0, 10.0, allow_nan=False)),
        differentiation=draw(shares),
        one_off_cost=draw(st.floats(0.0, 1e8, allow_nan=False)),
        horizon_years=draw(st.floats(0.1, 30.0, allow_nan=False)),
    )


@st.composite
def mitigations_(draw):
    names = draw(st.lists(st.sampled_from(list(MITIGATIONS)), unique=True))
    custom = draw(
        st.lists(
            st.builds(
                Mitigation,
                st.just("custom"),
                shares,
                shares,
                st.lists(exposures, min_size=1, unique=True).map(tuple),
            ),
            max_size=3,
        )
    )
    chosen = names + custom
    return draw(st.permutations(chosen)) if chosen else []


@given(scorecards, weight_maps)
def test_partner_score_is_a_weighted_mean_within_the_scale(scores, weights):
    s = partner_score(scores, weights)
    assert 1.0 <= s <= 5.0
    assert min(scores.values()) - 1e-12 <= s <= max(scores.values()) + 1e-12


@given(scorecards, weight_maps, st.data())
def test_raising_one_criterion_never_lowers_the_risk(scores, weights, data):
    key = data.draw(st.sampled_from(sorted(scores)), label="criterion")
    higher = data.draw(st.floats(scores[key], 5.0, allow_nan=False), label="new score")
    kw = data.draw(settings_(), label="settings")
    chosen = data.draw(mitigations_(), label="mitigations")
    raised = scores | {key: higher}
    assert partner_score(raised, weights) >= partner_score(scores, weights)
    lo = assess(scores, weights=weights, mitigations=chosen, **kw)
    hi = assess(raised, weights=weights, mitigations=chosen, **kw)
    for stage in ("before", "after"):
        a, b = getattr(lo, stage), getattr(hi, stage)
        assert b.annual_probability >= a.annual_probability
        assert b.horizon_probability >= a.horizon_probability
        assert b.expected_loss_per_year >= a.expected_loss_per_year
        assert b.likelihood_class >= a.likelihood_class
        assert b.impact_class == a.impact_class  # the scorecard drives the likelihood only
        assert b.cell >= a.cell
        assert RATING_ORDER.index(b.rating) >= RATING_ORDER.index(a.rating)


@given(st.floats(1.0, 5.0), st.floats(1.0, 5.0), base_rates, exposures, shares)
def test_incident_probability_is_monotone_in_the_score(s1, s2, b, exposure, cut):
    lo, hi = sorted((s1, s2))
    assert incident_probability(b, hi, exposure, cut) >= incident_probability(b, lo, exposure, cut)


@given(scorecards, weight_maps, settings_(), mitigations_())
def test_mitigations_never_raise_the_risk(scores, weights, kw, chosen):
    r = assess(scores, weights=weights, mitigations=chosen, **kw)
    before, after = r.before, r.after
    assert after.annual_probability <= before.annual_probability
    assert after.horizon_probability <= before.horizon_probability
    assert after.impact <= before.impact
    assert after.expected_loss_per_year <= before.expected_loss_per_year
    assert after.expected_loss_horizon <= before.expected_loss_horizon
    assert after.cell <= before.cell
    assert RATING_ORDER.index(after.rating) <= RATING_ORDER.index(before.rating)
    assert r.risk_adjustment == after.expected_loss_per_year >= 0


@given(scorecards, weight_maps, settings_(), mitigations_())
def test_probabilities_stay_probabilities(scores, weights, kw, chosen):
    r = assess(scores, weights=weights, mitigations=chosen, **kw)
    for f in (r.before, r.after):
        assert 0.0 <= f.annual_probability <= 1.0
        assert 0.0 <= f.horizon_probability <= 1.0
        if kw["horizon_years"] >= 1:  # at least one year: at least the chance of one year
            assert f.horizon_probability >= f.annual_probability * (1 - 1e-12)
        assert 1 <= f.likelihood_class <= 5 and 1 <= f.impact_class <= 5
        assert f.rating == RATING_BY_PRODUCT[f.cell]
        assert f.expected_loss_per_year == pytest.approx(f.annual_probability * f.impact)
        assert f.expected_loss_horizon == pytest.approx(f.expected_loss_per_year * kw["horizon_years"])


@given(
    st.floats(0.0, 1.0, exclude_max=True, allow_nan=False),
    st.floats(1.0, 5.0),
    exposures,
    shares,
)
def test_incident_probability_is_a_probability_for_any_base_rate(b, s, exposure, cut):
    p = incident_probability(b, s, exposure, cut)
    assert 0.0 <= p <= 1.0
    assert p <= EXPOSURE[exposure]


@given(scorecards, settings_(), st.floats(0.1, 30.0), st.floats(0.1, 30.0))
def test_horizon_probability_grows_with_the_horizon(scores, kw, h1, h2):
    short, long = sorted((h1, h2))
    a = assess(scores, **(kw | {"horizon_years": short}))
    b = assess(scores, **(kw | {"horizon_years": long}))
    assert b.before.annual_probability == a.before.annual_probability  # the horizon does not change p
    assert b.before.horizon_probability >= a.before.horizon_probability
    assert b.before.likelihood_class >= a.before.likelihood_class
    assert b.before.expected_loss_horizon >= a.before.expected_loss_horizon


def test_horizon_probability_by_hand():
    # p = 0.1: P(1) = 0.1, P(2) = 0.19, P(3) = 0.271, P(10) = 1 - 0.9 ** 10
    for years, expected in [(1, 0.1), (2, 0.19), (3, 0.271), (10, 1 - 0.9**10)]:
        assert worked_example(horizon_years=years).before.horizon_probability == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- vectorised use
@given(
    st.lists(
        st.tuples(base_rates, st.floats(1.0, 5.0), shares, st.floats(0.0, 1e9), shares, st.floats(0.0, 10.0)),
        min_size=1,
        max_size=8,
    ),
    exposures,
    shares,
    st.floats(0.0, 1e8),
)
def test_arrays_give_the_scalar_answers_element_wise(rows, exposure, d, one_off):
    b, s, cut, R, c, T = (np.array(col) for col in zip(*rows, strict=True))
    p = incident_probability(b, s, exposure, cut)
    impact = incident_impact(R, c, T, d, one_off, cut)
    assert p.shape == impact.shape == (len(rows),)
    for k in range(len(rows)):
        assert p[k] == pytest.approx(incident_probability(b[k], s[k], exposure, cut[k]), rel=1e-12, abs=1e-300)
        assert impact[k] == pytest.approx(incident_impact(R[k], c[k], T[k], d, one_off, cut[k]), rel=1e-12)


@given(st.lists(st.tuples(score_values, score_values, score_values), min_size=1, max_size=8))
def test_partner_score_of_arrays_matches_scalar_calls(rows):
    q, f, d = (np.array(col) for col in zip(*rows, strict=True))
    out = partner_score({"quality": q, "financial": f, "data": d})
    for k in range(len(rows)):
        assert out[k] == pytest.approx(partner_score({"quality": q[k], "financial": f[k], "data": d[k]}), rel=1e-15)


def test_classes_of_arrays_match_scalar_calls():
    values = np.linspace(0, 1, 101)
    np.testing.assert_array_equal(likelihood_class(values), [likelihood_class(float(v)) for v in values])
    np.testing.assert_array_equal(impact_class(values), [impact_class(float(v)) for v in values])


# --------------------------------------------------------------------------- ranges and Monte Carlo
RANGED = dict(
    base_rate=(0.02, 0.05, 0.10),
    revenue=(800_000, 1_000_000, 1_300_000),
    customers_lost=(0.02, 0.05, 0.15),
    recovery_years=(0.5, 1.0, 2.0),
    one_off_cost=(0, 20_000, 100_000),
)


def test_ranges_give_a_seeded_monte_carlo():
    r = assess({"quality": 4}, draws=5_000, seed=3, mitigations=["audits"], **RANGED)
    mc = r.monte_carlo
    assert mc is not None
    assert mc["draws"] == 5_000 and mc["expected_loss"].shape == (5_000,)
    p5, p50, p95 = mc["percentiles"]
    assert 0 <= p5 <= p50 <= p95
    assert (p5, p50, p95) == pytest.approx(tuple(np.percentile(mc["expected_loss"], [5, 50, 95])))
    assert 0.0 <= mc["p_high"] <= 1.0
    # the figures on paper use the most likely values of the ranges
    point = assess({"quality": 4}, mitigations=["audits"], **{k: v[1] for k, v in RANGED.items()})
    assert r.before == point.before and r.after == point.after
    assert r.revenue == 1_000_000
    assert any("in 90% of scenarios" in f.text for f in r.findings)


def test_monte_carlo_is_reproducible_and_seed_dependent():
    one = assess({"quality": 4}, draws=2_000, seed=7, **RANGED).monte_carlo
    two = assess({"quality": 4}, draws=2_000, seed=7, **RANGED).monte_carlo
    other = assess({"quality": 4}, draws=2_000, seed=8, **RANGED).monte_carlo
    np.testing.assert_array_equal(one["expected_loss"], two["expected_loss"])
    assert one["percentiles"] == two["percentiles"] and one["p_high"] == two["p_high"]
    assert not np.array_equal(one["expected_loss"], other["expected_loss"])
    assert one["percentiles"] != other["percentiles"]


def test_monte_carlo_draws_stay_within_the_ranges():
    # only revenue ranges, K = 0: every draw's loss is p * min(1, 0.05 * 1.5) * 1 * revenue = 0.05 * 0.075 * revenue,
    # with revenue in [8e5, 1.3e6]
    r = assess({"quality": 3}, revenue=(800_000, 1_000_000, 1_300_000), draws=4_000)
    loss = r.monte_carlo["expected_loss"]
    assert loss.min() >= 0.05 * 0.075 * 800_000 * (1 - 1e-12)
    assert loss.max() <= 0.05 * 0.075 * 1_300_000 * (1 + 1e-12)
    # the impact share is 7.5 % of revenue in every draw, so every draw has the cell on paper:
    # P = 1 - 0.95 ** 3 = 0.142625 -> class 4; 7.5 % -> class 3; 12 -> high, in every draw
    assert (r.after.likelihood_class, r.after.impact_class, r.after.rating) == (4, 3, "high")
    assert r.monte_carlo["p_high"] == 1.0


def test_p_high_is_zero_when_no_draw_can_rate_high():
    # b <= 0.003, s = 1: p_partner <= 1 - 0.997 ** (1/3) ~ 0.001; back-office: p <= 0.0002 -> class 1 over 1 year;
    # I = 1e6 * 0.05 * 1.5 = 75,000 -> 7.5 % -> class 3; cell <= 3 in every draw -> never high
    r = assess(
        {"quality": 1},
        base_rate=(0.001, 0.002, 0.003),
        exposure="back-office",
        revenue=1_000_000,
        horizon_years=1,
        draws=2_000,
    )
    assert r.after.likelihood_class == 1
    assert r.monte_carlo["p_high"] == 0.0


@given(
    st.tuples(base_rates, base_rates, base_rates).map(sorted),
    st.tuples(shares, shares, shares).map(sorted),
    st.integers(0, 2**32 - 1),
)
def test_monte_carlo_properties_for_any_ranges(b, c, seed):
    assume(b[0] < b[2] or c[0] < c[2])
    r = assess(
        {"quality": 4, "data": 2}, base_rate=tuple(b), customers_lost=tuple(c), revenue=1e6, draws=1_000, seed=seed
    )
    mc = r.monte_carlo
    p5, p50, p95 = mc["percentiles"]
    assert p5 <= p50 <= p95
    assert 0.0 <= mc["p_high"] <= 1.0
    assert (mc["expected_loss"] >= 0).all()
    rng = r.risk_adjustment_range()
    assert isinstance(rng, Range)
    draws = mc["expected_loss"]
    assert rng.low == min(draws.min(), r.risk_adjustment) and rng.high == max(draws.max(), r.risk_adjustment)


def test_risk_adjustment_range_contains_the_risk_adjustment():
    r = assess({"quality": 4}, draws=5_000, **RANGED)
    rng = r.risk_adjustment_range()
    assert isinstance(rng, Range)
    assert rng.field == "risk_adjustment"
    assert isinstance(rng, Sample) and np.array_equal(rng.values, r.monte_carlo["expected_loss"])
    assert rng.low <= r.monte_carlo["percentiles"][0] and rng.high >= r.monte_carlo["percentiles"][2]
    assert rng.low <= r.risk_adjustment <= rng.high
    assert rng.likely == r.risk_adjustment


def test_risk_adjustment_range_contains_the_risk_adjustment_for_a_skewed_range():
    # the likely base rate is the lowest possible one, so the loss on paper is the smallest of all draws
    r = assess({"quality": 4}, base_rate=(0.01, 0.01, 0.3), revenue=1_000_000, draws=5_000)
    rng = r.risk_adjustment_range()
    assert rng.low <= r.risk_adjustment <= rng.high
    assert rng.likely == r.risk_adjustment


def test_p_high_agrees_with_the_rating_when_revenue_is_zero():
    r = assess({"quality": 3}, revenue=0, one_off_cost=(1_000, 2_000, 3_000), draws=2_000)
    assert r.after.rating == "severe"
    # every draw: P = 0.142625 -> class 4, impact > 0 on zero revenue -> class 5
    assert r.monte_carlo["p_high"] == 1.0


def test_point_ranges_do_not_start_a_monte_carlo():
    r = assess({"quality": 4}, base_rate=(0.05, 0.05, 0.05), revenue=Range(1e6, 1e6, 1e6))
    assert r.monte_carlo is None
    assert r.risk_adjustment_range() == r.risk_adjustment


# --------------------------------------------------------------------------- composition with the win-win check
def test_win_win_on_paper_only_after_reputation_risk():
    r = worked_example(mitigations=["quality_clauses", "exit_rights"])
    assert r.risk_adjustment == pytest.approx(9_800)
    # Nash split with equal power: each gains half the surplus. V = 190,000 over 180,000 apart:
    # surplus 10,000, each gains 5,000 on paper; after the expected loss of 9,800 we are 4,800 worse off
    v = 190_000
    check = winwin.check(
        ["Us", "Partner"], [100_000, 80_000], v, split_rule="nash", risk_adjustment=[r.risk_adjustment, 0]
    )
    assert check.win_win_on_paper and not check.win_win
    assert check.gain.tolist() == pytest.approx([-4_800, 5_000])
    assert check.verdict_label() == "win-win on paper only"
    # without the risk the same deal is plainly win-win
    assert winwin.check(["Us", "Partner"], [100_000, 80_000], v, split_rule="nash").verdict_label() == "win-win"


def test_risk_adjustment_range_feeds_the_win_win_monte_carlo():
    r = assess({"quality": 4}, draws=2_000, **RANGED)
    check = winwin.check(
        ["Us", "Partner"],
        [100_000, 80_000],
        180_000 + 2 * r.risk_adjustment,  # Nash halves the surplus: our gain on paper equals the expected loss
        split_rule="nash",
        risk_adjustment=[r.risk_adjustment_range(), 0],
        draws=2_000,
    )
    assert check.monte_carlo is not None
    assert 0.0 <= check.monte_carlo.p_win_win <= 1.0


def test_the_win_win_monte_carlo_keeps_the_tails_of_the_expected_loss():
    # our gain on paper is 20,000; the win-win check must see every draw of the loss above it, tails included
    r = assess({"quality": 4}, draws=20_000, **RANGED)
    loss = r.monte_carlo["expected_loss"]
    share_above = float(np.mean(loss >= 20_000))
    check = winwin.check(
        ["Us", "Partner"],
        [100_000, 80_000],
        220_000,
        split_rule="nash",
        risk_adjustment=[r.risk_adjustment_range(), 0],
        draws=100_000,
    )
    assert check.monte_carlo.p_gain[0] == pytest.approx(1 - share_above, abs=0.01)


# --------------------------------------------------------------------------- bad input
CRITERIA_LIST = ", ".join(CRITERIA)
MITIGATION_LIST = ", ".join(MITIGATIONS)


@pytest.mark.parametrize(
    ("scores", "weights", "match"),
    [
        ({"qualty": 3}, None, f"scores must name criteria from {CRITERIA_LIST}, got 'qualty'"),
        ({"quality": 0}, None, "score of quality must be between 1 and 5, got 0"),
        ({"quality": 6}, None, "score of quality must be between 1 and 5, got 6"),
        ({"data": 0.99}, None, "score of data must be between 1 and 5, got 0.99"),
        ({"data": float("nan")}, None, "score of data must be between 1 and 5, got nan"),
        ({"quality": np.array([3, 5.5])}, None, "score of quality must be between 1 and 5"),
        ({}, None, "scores must score at least one criterion"),
        ({"quality": 3}, {"quality": -1}, "weight of quality must be a number between 0 and 1,000,000, got -1"),
        ({"quality": 3}, {"quality": 2e6}, "weight of quality must be a number between 0 and 1,000,000"),
        ({"quality": 3}, {"quality": True}, "weight of quality must be a number between 0 and 1,000,000, got True"),
        ({"quality": 3}, {"quality": "2"}, "weight of quality must be a number between 0 and 1,000,000"),
        (
            {"quality": 3, "data": 2},
            {"quality": 0, "data": 0},
            "weights must give at least one scored criterion a positive weight",
        ),
    ],
)
def test_bad_scorecards_name_the_field_and_the_rule(scores, weights, match):
    with pytest.raises(InputError, match=match):
        partner_score(scores, weights)
    with pytest.raises(InputError, match=match):
        assess(scores, weights=weights, revenue=1e6)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(exposure="public"), "exposure must be one of co-branded, customer-facing, back-office, got 'public'"),
        (dict(exposure=None), "exposure must be one of co-branded, customer-facing, back-office, got None"),
        (dict(base_rate=1), r"base_rate must be a probability per year in \[0, 1\), got 1"),
        (dict(base_rate=-0.1), r"base_rate must be a probability per year in \[0, 1\), got -0.1"),
        (dict(base_rate=(0.01, 0.05, 1.2)), r"base_rate must be a probability per year in \[0, 1\), got 1.2"),
        (dict(base_rate=(0.1, 0.05, 0.2)), "base_rate must be a range with low <= likely <= high"),
        (dict(base_rate=True), r"base_rate must be a number or a \(low, likely, high\) triple, got True"),
        (dict(base_rate="5%"), r"base_rate must be a number or a \(low, likely, high\) triple"),
        (dict(revenue=-1), "revenue must be money per year between 0 and 1e12, got -1"),
        (dict(revenue=float("inf")), "revenue must be a range of three finite numbers"),
        (dict(revenue=True), r"revenue must be a number or a \(low, likely, high\) triple, got True"),
        (dict(customers_lost=1.5), "customers_lost must be a share between 0 and 1, got 1.5"),
        (dict(customers_lost=(0, 0.1, 1.5)), "customers_lost must be a share between 0 and 1, got 1.5"),
        (dict(customers_lost=False), r"customers_lost must be a number or a \(low, likely, high\) triple, got False"),
        (dict(recovery_years=11), "recovery_years must be between 0 and 10 years, got 11"),
        (dict(recovery_years=-1), "recovery_years must be between 0 and 10 years, got -1"),
        (dict(differentiation=2), "differentiation must be between 0 and 1, got 2"),
        (dict(differentiation=True), "differentiation must be between 0 and 1, got True"),
        (dict(differentiation=(0, 0.5, 1)), r"differentiation must be between 0 and 1, got \(0, 0.5, 1\)"),
        (dict(one_off_cost=-5), "one_off_cost must be money between 0 and 1e12, got -5"),
        (dict(horizon_years=0), "horizon_years must be greater than 0 and at most 30 years, got 0"),
        (dict(horizon_years=31), "horizon_years must be greater than 0 and at most 30 years, got 31"),
        (dict(horizon_years=True), "horizon_years must be greater than 0 and at most 30 years, got True"),
        (dict(horizon_years=float("nan")), "horizon_years must be greater than 0 and at most 30 years, got nan"),
        (dict(draws=10, base_rate=(0.01, 0.05, 0.1)), "draws must be a whole number from 1,000 to 1,000,000, got 10"),
        (dict(draws=True), "draws must be a whole number from 1,000 to 1,000,000, got True"),
        (dict(draws=2_000.0), "draws must be a whole number from 1,000 to 1,000,000, got 2000"),
        (dict(draws=2_000_000), "draws must be a whole number from 1,000 to 1,000,000, got 2000000"),
        (dict(mitigations=["insurance"]), f"mitigations must name mitigations from {MITIGATION_LIST}, got 'insurance'"),
        (dict(mitigations=[0.3]), "mitigations must be Mitigation objects or names, got 0.3"),
    ],
)
def test_bad_assess_input_names_the_field_and_the_rule(kwargs, match):
    args = dict(revenue=1_000_000) | kwargs
    with pytest.raises(InputError, match=match):
        assess({"quality": 4}, **args)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: incident_probability(0.05, 3, "public"), "exposure must be one of co-branded"),
        (lambda: incident_probability(1.0, 3), r"base_rate must be a probability per year in \[0, 1\), got 1"),
        (lambda: incident_probability(np.array([0.1, -0.1]), 3), r"base_rate must be a probability per year"),
        (lambda: incident_probability(0.05, 0), "score must be between 1 and 5, got 0"),
        (lambda: incident_probability(0.05, 5.5), "score must be between 1 and 5, got 5.5"),
        (lambda: incident_probability(0.05, 3, likelihood_cut=1.5), "likelihood_cut must be between 0 and 1, got 1.5"),
        (lambda: incident_impact(-1, 0.1, 1), "revenue must be money per year between 0 and 1e12, got -1"),
        (lambda: incident_impact(1e6, 1.5, 1), "customers_lost must be a share between 0 and 1, got 1.5"),
        (lambda: incident_impact(1e6, 0.1, 11), "recovery_years must be between 0 and 10 years, got 11"),
        (lambda: incident_impact(1e6, 0.1, 1, 2), "differentiation must be between 0 and 1, got 2"),
        (lambda: incident_impact(1e6, 0.1, 1, 0.5, -1), "one_off_cost must be money between 0 and 1e12, got -1"),
        (lambda: incident_impact(1e6, 0.1, 1, impact_cut=-0.5), "impact_cut must be between 0 and 1, got -0.5"),
        (lambda: rating(0, 3), "likelihood class must be a whole number from 1 to 5, got 0"),
        (lambda: rating(6, 3), "likelihood class must be a whole number from 1 to 5, got 6"),
        (lambda: rating(3, 2.5), "impact class must be a whole number from 1 to 5, got 2.5"),
        (lambda: rating(3, "3"), "impact class must be a whole number from 1 to 5, got '3'"),
    ],
)
def test_bad_building_block_input_names_the_field_and_the_rule(call, match):
    with pytest.raises(InputError, match=match):
        call()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(likelihood_cut=1.5), "Escrow: likelihood_cut must be between 0 and 1, got 1.5"),
        (dict(likelihood_cut=-0.1), "Escrow: likelihood_cut must be between 0 and 1, got -0.1"),
        (dict(impact_cut=2), "Escrow: impact_cut must be between 0 and 1, got 2"),
        (dict(impact_cut=True), "Escrow: impact_cut must be between 0 and 1, got True"),
        (dict(likelihood_cut=float("nan")), "Escrow: likelihood_cut must be between 0 and 1, got nan"),
        (dict(likelihood_cut="0.2"), "Escrow: likelihood_cut must be between 0 and 1, got '0.2'"),
    ],
)
def test_bad_mitigation_names_the_field_and_the_rule(kwargs, match):
    with pytest.raises(InputError, match=match):
        Mitigation("Escrow", **kwargs)


def test_good_mitigation_edges_are_accepted():
    m = Mitigation("Full", likelihood_cut=1, impact_cut=0)
    assert (m.likelihood_cut, m.impact_cut) == (1, 0)
    assert m.exposures == tuple(EXPOSURE)


# ---- booleans where numbers are expected: the vectorised building blocks turn them into 0.0 and 1.0
BOOLEAN_REASON = (
    "np.asarray(value, dtype=float) turns booleans into 0.0/1.0, so partner_score (and assess's scores), "
    "incident_probability and incident_impact accept True/False where numbers are expected, unlike the "
    "is_number checks elsewhere (rating accepts True as class 1 because True == 1)"
)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda: partner_score({"quality": True}), "score of quality must", id="partner_score"),
        pytest.param(lambda: assess({"quality": True}, revenue=1e6), "score of quality must", id="assess-scores"),
        pytest.param(lambda: incident_probability(False, 3), "base_rate must", id="base_rate"),
        pytest.param(lambda: incident_probability(0.05, True), "score must", id="score"),
        pytest.param(lambda: incident_probability(0.05, 3, likelihood_cut=True), "likelihood_cut must", id="l_cut"),
        pytest.param(lambda: incident_impact(True, 0.1, 1), "revenue must", id="revenue"),
        pytest.param(lambda: incident_impact(1e6, True, 1), "customers_lost must", id="customers_lost"),
        pytest.param(lambda: rating(True, 3), "likelihood class must", id="rating"),
    ],
)
def test_booleans_are_refused_where_numbers_are_expected(call, match):
    with pytest.raises(InputError, match=match):
        call()


# ---- regressions (bugs found and fixed)
def test_a_partner_scoring_five_everywhere_with_fractional_weights_can_be_assessed():
    weights = {"quality": 0.3, "satisfaction": 0.3, "incidents": 0.3}
    scores = dict.fromkeys(weights, 5)
    r = assess(scores, weights=weights, revenue=1_000_000)
    assert r.partner_score == 5.0


@example([0.3, 0.3, 0.3], 5.0)
@given(st.lists(st.floats(0.01, 1.0), min_size=1, max_size=len(KEYS)), st.sampled_from([1.0, 5.0]))
def test_partner_score_of_equal_scores_is_that_score_for_any_weights(weights, x):
    keys = KEYS[: len(weights)]
    s = partner_score(dict.fromkeys(keys, x), dict(zip(keys, weights, strict=True)))
    assert 1.0 <= s <= 5.0


def test_unhashable_exposure_is_an_input_error():
    with pytest.raises(InputError, match="exposure must be one of co-branded"):
        incident_probability(0.05, 3, ["co-branded"])


def test_unknown_weight_key_is_an_input_error():
    with pytest.raises(InputError, match="weights must name criteria from"):
        partner_score({"quality": 4, "data": 2}, {"qualty": 10})
