"""Tests for coopkit.options.reputation_risk: the reputation-risk worksheet's Inputs model and assess()."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.frameworks import reputation, winwin
from coopkit.frameworks.findings import Finding
from coopkit.options.base import Assessment, Problem, field_bounds, validate
from coopkit.options.reputation_risk import LEVEL, SHEET, Inputs, assess
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "reputation_risk_cobranded.json"
CRITERIA = list(reputation.CRITERIA)
ALL_MITIGATIONS = {key: True for key in reputation.MITIGATIONS}

# A partner better than us, back-office, losing few customers: likelihood class 3, impact class 1 -> low.
LOW = {"exposure": "back-office", "quality": 2, "satisfaction": 2, "customers_lost": {"likely": 0.005}}
# The docstring's case: a co-branded partner worse on quality, 2m revenue at stake -> high (moderate mitigated).
HIGH = {"quality": 4, "satisfaction": 4, "revenue": {"likely": 2_000_000}}
# A much weaker partner, many customers lost for two years -> severe.
SEVERE = {
    "quality": 5,
    "satisfaction": 5,
    "customers_lost": {"likely": 0.2},
    "recovery_years": {"likely": 2},
    "base_rate": {"likely": 0.1},
}


def sample_inputs() -> dict:
    return read_case(sample_case(SAMPLE)).inputs


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


# --------------------------------------------------------------------------- the sample case
def test_sample_case_validates_and_gives_the_documented_verdict():
    inputs, problems = validate(Inputs, sample_inputs())
    assert problems == []
    a = assess(inputs)
    assert a.worksheet == "reputation_risk"
    assert (a.verdict, a.level, a.passed) == ("deal not worth the risk", "bad", False)
    assert a.probability_label == "P(rated high or severe)"
    assert a.probability is not None and 0 <= a.probability <= 1
    assert a.probability == a.details["risk"].monte_carlo["p_high"]
    assert set(a.tables) == {"risk", "criteria", "mitigations", "splits"}
    assert set(a.details) == {"risk", "deal"}
    assert isinstance(a.details["risk"], reputation.ReputationResult)
    assert isinstance(a.details["deal"], winwin.WinWinResult)
    assert a.details["deal"].verdict_label() == "win-win on paper only"
    assert a.assumptions and all(isinstance(x, str) and x for x in a.assumptions)
    assert a.findings
    assert a.findings[0].level == "bad" and a.findings[0].text.startswith("The deal is win-win on paper, not after")
    assert list(a.parties.index) == ["Alder Roasters", "Kettle & Co"]
    assert a.currency == "EUR"
    assert a.headline.startswith("Kettle & Co puts an expected ")


def test_sample_case_mitigations_are_the_ones_ticked():
    a = run(sample_inputs())
    assert a.tables["mitigations"]["mitigation"].tolist() == [
        reputation.MITIGATIONS["quality_clauses"].label,
        reputation.MITIGATIONS["exit_rights"].label,
    ]


def test_sample_round_trips_without_losing_data():
    data = sample_inputs()
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert Inputs.model_validate(dumped) == inputs
    assert Inputs.model_validate(dumped).model_dump() == dumped
    for key, value in data.items():
        assert dumped[key] == value, key


def test_ranges_and_deal_fields_are_kept_while_their_switches_are_off():
    data = {
        **sample_inputs(),
        "use_ranges": False,
        "check_deal": False,
        "base_rate": {"likely": 0.08, "low": 0.2, "high": 0.01},  # out of order, ignored while ranges are off
    }
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert dumped["base_rate"] == {"likely": 0.08, "low": 0.2, "high": 0.01}
    assert dumped["our_standalone"] == {"likely": 420000, "low": 400000, "high": 440000}
    assert Inputs.model_validate(dumped) == inputs


def test_defaults_round_trip():
    inputs = Inputs()
    assert Inputs.model_validate(inputs.model_dump()) == inputs
    assert (inputs.our_name, inputs.partner_name, inputs.exposure) == ("Us", "Partner", "co-branded")
    assert inputs.check_deal is False and inputs.use_ranges is False
    assert {k: getattr(inputs, f"weight_{k}") for k in CRITERIA} == {
        k: c.weight for k, c in reputation.CRITERIA.items()
    }


# --------------------------------------------------------------------------- Inputs: field metadata
def test_every_field_has_a_title_and_a_description():
    for name, info in Inputs.model_fields.items():
        assert info.title, name
        assert info.description, name


def test_numeric_fields_have_both_bounds():
    checked = 0
    for name, info in Inputs.model_fields.items():
        if info.annotation in (int, float):
            bounds = field_bounds(info)
            assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), name
            checked += 1
        elif hasattr(info.annotation, "model_fields"):  # an Uncertain amount: every end bounded
            for sub, sub_info in info.annotation.model_fields.items():
                bounds = field_bounds(sub_info)
                assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), (name, sub)
                checked += 1
    assert checked == 11 + 3 * 8  # 7 weights, differentiation, horizon, draws, seed; 8 uncertain amounts


def test_scorecard_and_mitigation_fields_follow_the_framework():
    for key, criterion in reputation.CRITERIA.items():
        assert Inputs.model_fields[key].title == criterion.label
        assert Inputs.model_fields[f"weight_{key}"].default == criterion.weight
    for key, mitigation in reputation.MITIGATIONS.items():
        assert Inputs.model_fields[key].title == mitigation.label
        assert Inputs.model_fields[key].default is False


# --------------------------------------------------------------------------- Inputs: field bounds
@pytest.mark.parametrize(
    ("field", "value", "loc", "message"),
    [
        (
            "customers_lost",
            {"likely": 1.5},
            ("customers_lost", "likely"),
            "Customers lost (most likely) must be between 0 and 1, got 1.5",
        ),
        (
            "customers_lost",
            {"likely": 0.1, "high": -0.1},
            ("customers_lost", "high"),
            "Customers lost (high) must be between 0 and 1, got -0.1",
        ),
        ("differentiation", 2, ("differentiation",), "Brand rests on quality must be between 0 and 1, got 2"),
        ("differentiation", -0.5, ("differentiation",), "Brand rests on quality must be between 0 and 1, got -0.5"),
        ("horizon_years", 0, ("horizon_years",), "Horizon must be greater than 0 and at most 30, got 0"),
        ("horizon_years", 31, ("horizon_years",), "Horizon must be greater than 0 and at most 30, got 31"),
        (
            "base_rate",
            {"likely": 1},
            ("base_rate", "likely"),
            "Base incident rate (most likely) must be between 0 and 0.99, got 1",
        ),
        (
            "recovery_years",
            {"likely": 11},
            ("recovery_years", "likely"),
            "Years to recover (most likely) must be between 0 and 10, got 11",
        ),
        (
            "revenue",
            {"likely": -1},
            ("revenue", "likely"),
            "Revenue at stake (most likely) must be between 0 and 1,000,000,000,000, got -1",
        ),
        (
            "one_off_cost",
            {"likely": 1, "low": -2},
            ("one_off_cost", "low"),
            "One-off cost (low) must be between 0 and 1,000,000,000,000, got -2",
        ),
        (
            "our_standalone",
            {"likely": -2e12},
            ("our_standalone", "likely"),
            "Our stand-alone payoff (most likely) must be between -1,000,000,000,000 and 1,000,000,000,000, "
            "got -2,000,000,000,000",
        ),
        ("weight_data", 11, ("weight_data",), "Weight: data-protection practice must be between 0 and 10, got 11"),
        (
            "weight_quality",
            -1,
            ("weight_quality",),
            "Weight: product or service quality relative to ours must be between 0 and 10, got -1",
        ),
        (
            "quality",
            6,
            ("quality",),
            "Product or service quality relative to ours must be one of 1, 2, 3, 4 or 5, got 6",
        ),
        ("data", 0, ("data",), "Data-protection practice must be one of 1, 2, 3, 4 or 5, got 0"),
        (
            "exposure",
            "hidden",
            ("exposure",),
            "Exposure must be one of 'co-branded', 'customer-facing' or 'back-office', got 'hidden'",
        ),
        ("split_rule", "shapley", ("split_rule",), "Split rule must be one of 'nash' or 'equal', got 'shapley'"),
        ("draws", 999, ("draws",), "Monte Carlo draws must be between 1,000 and 1,000,000, got 999"),
        ("seed", -1, ("seed",), "Random seed must be between 0 and 4,294,967,295, got -1"),
        ("our_name", "", ("our_name",), "Our company must be 1 to 40 characters long, got 0"),
        ("partner_name", "x" * 41, ("partner_name",), "Partner must be 1 to 40 characters long, got 41"),
    ],
)
def test_out_of_range_values_name_the_field_and_the_allowed_range(field, value, loc, message):
    assert problems_of({field: value}) == [Problem(loc, message)]


def test_every_bounded_top_level_field_refuses_a_value_above_its_maximum():
    for name, info in Inputs.model_fields.items():
        bounds = field_bounds(info)
        if "le" not in bounds:
            continue
        problems = problems_of({name: bounds["le"] + 1})
        assert [p.loc for p in problems] == [(name,)], name
        assert problems[0].message.startswith(f"{info.title} must be "), name
        assert "at most" in problems[0].message or "between" in problems[0].message, name


def test_unknown_fields_are_refused():
    assert problems_of({"colour": "red"}) == [Problem(("colour",), "colour is not a field of this worksheet")]


# --------------------------------------------------------------------------- Inputs: checks across fields
def test_all_weights_zero_is_refused_on_the_first_weight():
    zero = {f"weight_{k}": 0 for k in CRITERIA}
    assert problems_of(zero) == [Problem(("weight_quality",), "At least one scorecard weight must be above 0")]


def test_one_positive_weight_is_enough():
    weights = {f"weight_{k}": 0 for k in CRITERIA} | {"weight_data": 0.5}
    assert problems_of(weights) == []


@pytest.mark.parametrize(
    ("ours", "theirs"), [("Acme", "Acme"), ("Acme", "acme"), ("Acme", " ACME "), ("Straße", "STRASSE")]
)
def test_partner_must_not_share_our_name_ignoring_case_and_blanks(ours, theirs):
    assert problems_of({"our_name": ours, "partner_name": theirs}) == [
        Problem(("partner_name",), "Partner must have a different name from our company")
    ]


def test_unordered_ranges_are_ignored_while_ranges_are_off():
    data = {"base_rate": {"likely": 0.05, "low": 0.1}, "revenue": {"likely": 10, "high": 5}}
    assert problems_of(data) == []
    assert problems_of({**data, "use_ranges": True}) != []


def test_unordered_ranges_are_reported_on_their_field_when_ranges_are_on():
    data = {
        "use_ranges": True,
        "base_rate": {"likely": 0.05, "low": 0.1},
        "revenue": {"likely": 10, "high": 5},
        "customers_lost": {"likely": 0.1, "low": 0.2, "high": 0.3},
        "recovery_years": {"likely": 2, "low": 1, "high": 1.5},
        "one_off_cost": {"likely": 100, "low": 200, "high": 50},
    }
    assert problems_of(data) == [
        Problem(
            ("base_rate",),
            "Base incident rate needs low <= most likely <= high, got low 0.1, most likely 0.05, high 0.05",
        ),
        Problem(("revenue",), "Revenue at stake needs low <= most likely <= high, got low 10, most likely 10, high 5"),
        Problem(
            ("customers_lost",),
            "Customers lost needs low <= most likely <= high, got low 0.2, most likely 0.1, high 0.3",
        ),
        Problem(
            ("recovery_years",),
            "Years to recover needs low <= most likely <= high, got low 1, most likely 2, high 1.5",
        ),
        Problem(
            ("one_off_cost",), "One-off cost needs low <= most likely <= high, got low 200, most likely 100, high 50"
        ),
    ]


def test_deal_ranges_are_checked_only_when_the_deal_is_checked():
    data = {
        "use_ranges": True,
        "our_standalone": {"likely": 1, "low": 2},
        "partner_standalone": {"likely": 5, "high": 4},
        "partnership_value": {"likely": 1, "high": 0},
    }
    assert problems_of(data) == []
    assert problems_of({**data, "check_deal": True}) == [
        Problem(
            ("our_standalone",),
            "Our stand-alone payoff needs low <= most likely <= high, got low 2, most likely 1, high 1",
        ),
        Problem(
            ("partner_standalone",),
            "Partner's stand-alone needs low <= most likely <= high, got low 5, most likely 5, high 4",
        ),
        Problem(
            ("partnership_value",),
            "Partnership value needs low <= most likely <= high, got low 1, most likely 1, high 0",
        ),
    ]
    # and with ranges off the deal's unordered ranges are ignored even when the deal is checked
    assert problems_of({**data, "check_deal": True, "use_ranges": False}) == []


def test_several_cross_field_problems_are_all_reported():
    data = {f"weight_{k}": 0 for k in CRITERIA} | {
        "our_name": "X",
        "partner_name": "x",
        "use_ranges": True,
        "revenue": {"likely": 10, "low": 20},
    }
    assert [p.loc for p in problems_of(data)] == [("weight_quality",), ("partner_name",), ("revenue",)]


# --------------------------------------------------------------------------- assess(): without the deal
@pytest.mark.parametrize(
    ("data", "rating", "level", "passed"),
    [
        (LOW, "low", "good", True),
        ({**HIGH, **ALL_MITIGATIONS}, "moderate", "caution", True),
        (HIGH, "high", "bad", False),
        (SEVERE, "severe", "bad", False),
    ],
)
def test_verdict_is_the_rating_after_mitigations(data, rating, level, passed):
    a = run(data)
    assert a.details["risk"].after.rating == rating
    assert (a.verdict, a.level, a.passed) == (f"{rating} risk", level, passed)
    assert a.details["deal"] is None
    assert set(a.tables) == {"risk", "criteria", "mitigations"}
    assert a.parties.empty
    assert a.probability is None  # no ranges, no Monte Carlo
    assert a.findings[0].text.startswith(f"Reputation risk is {rating} after mitigations")


def test_mitigations_change_the_verdict_from_high_to_moderate():
    before, after = run(HIGH), run({**HIGH, **ALL_MITIGATIONS})
    assert (before.verdict, after.verdict) == ("high risk", "moderate risk")
    assert after.details["risk"].before.rating == "high"
    assert after.details["risk"].risk_adjustment < before.details["risk"].risk_adjustment


def test_headline_gives_the_expected_loss_with_and_without_mitigations():
    a = run({**HIGH, "quality_clauses": True, "partner_name": "Kettle", "currency": "USD"})
    risk = a.details["risk"]
    assert a.headline == (
        f"Kettle puts an expected {risk.after.expected_loss_per_year:,.0f} USD a year of our revenue at risk "
        f"after mitigations ({risk.before.expected_loss_per_year:,.0f} without them)."
    )
    assert a.currency == "USD"


def test_levels_map_every_rating():
    assert LEVEL == {"low": "good", "moderate": "caution", "high": "bad", "severe": "bad"}


# --------------------------------------------------------------------------- assess(): mitigations and weights
@pytest.mark.parametrize("key", list(reputation.MITIGATIONS))
def test_each_mitigation_flag_applies_its_framework_mitigation(key):
    m = reputation.MITIGATIONS[key]
    a = run({key: True})
    risk = a.details["risk"]
    assert a.tables["mitigations"]["mitigation"].tolist() == [m.label]
    assert risk.after.annual_probability == pytest.approx(risk.before.annual_probability * (1 - m.likelihood_cut))
    assert risk.after.impact == pytest.approx(risk.before.impact * (1 - m.impact_cut))


def test_all_mitigation_flags_together_apply_every_mitigation():
    a = run(ALL_MITIGATIONS)
    assert a.tables["mitigations"]["mitigation"].tolist() == [m.label for m in reputation.MITIGATIONS.values()]


def test_no_mitigation_flag_applies_none():
    a = run({})
    assert a.tables["mitigations"].empty
    risk = a.details["risk"]
    assert risk.after == risk.before


def test_limited_cobranding_does_nothing_back_office():
    a = run({"exposure": "back-office", "limited_cobranding": True})
    assert a.tables["mitigations"].empty
    assert a.details["risk"].after == a.details["risk"].before


def test_weights_are_passed_through_to_the_partner_score():
    # quality 5, the rest 3: default weights 2, 2, 1 x 5 -> (10 + 6 + 15) / 9
    base = run({"quality": 5})
    assert base.details["risk"].partner_score == pytest.approx(31 / 9)
    heavier = run({"quality": 5, "weight_quality": 10})  # (50 + 6 + 15) / 17
    assert heavier.details["risk"].partner_score == pytest.approx(71 / 17)
    ignored = run({"quality": 5, "weight_quality": 0})
    assert ignored.details["risk"].partner_score == pytest.approx(3.0)
    assert heavier.tables["criteria"].loc["quality", "weight"] == 10
    assert ignored.tables["criteria"]["weight"].to_dict() == {
        k: (0.0 if k == "quality" else c.weight) for k, c in reputation.CRITERIA.items()
    }


def test_a_heavier_weight_on_a_bad_criterion_raises_the_expected_loss():
    light = run({"data": 5, "weight_data": 0.1}).details["risk"]
    heavy = run({"data": 5, "weight_data": 10}).details["risk"]
    assert heavy.partner_score > light.partner_score
    assert heavy.risk_adjustment > light.risk_adjustment


def test_scores_and_exposure_are_passed_through():
    a = run({k: 4 for k in CRITERIA})
    assert a.details["risk"].partner_score == pytest.approx(4.0)
    assert a.tables["criteria"]["score"].tolist() == [4.0] * len(CRITERIA)
    back = run({"exposure": "back-office"}).details["risk"]
    co = run({"exposure": "co-branded"}).details["risk"]
    assert back.exposure == "back-office"
    assert back.after.annual_probability == pytest.approx(
        co.after.annual_probability * reputation.EXPOSURE["back-office"]
    )


def test_inputs_reach_the_framework_as_given():
    data = {
        "base_rate": {"likely": 0.1},
        "revenue": {"likely": 500_000},
        "customers_lost": {"likely": 0.2},
        "recovery_years": {"likely": 2},
        "differentiation": 1.0,
        "one_off_cost": {"likely": 10_000},
        "horizon_years": 5,
    }
    risk = run(data).details["risk"]
    # score 3 (all on a par), co-branded: p = base rate; impact = R min(1, c (1 + d)) T + K
    assert risk.before.annual_probability == pytest.approx(0.1)
    assert risk.before.impact == pytest.approx(500_000 * 0.4 * 2 + 10_000)
    assert risk.horizon_years == 5
    assert risk.revenue == 500_000


# --------------------------------------------------------------------------- assess(): the deal check
def test_deal_not_worth_the_risk_when_win_win_on_paper_only():
    a = run({**SEVERE, "check_deal": True})
    deal = a.details["deal"]
    assert deal.verdict_label() == "win-win on paper only"
    assert (a.verdict, a.level, a.passed) == ("deal not worth the risk", "bad", False)
    assert a.findings[0].level == "bad"
    gain = float(deal.gain[0])
    assert gain < 0
    assert a.findings[0].text == (
        f"The deal is win-win on paper, not after reputation risk: our gain is {gain:,.0f} EUR a year "
        "once the expected loss is counted."
    )
    assert "splits" in a.tables
    assert list(a.parties.index) == ["Us", "Partner"]


def test_our_expected_loss_is_our_risk_adjustment_and_the_partner_has_none():
    a = run({**HIGH, "check_deal": True})
    assert a.parties["risk"].tolist() == pytest.approx([a.details["risk"].risk_adjustment, 0.0])


@pytest.mark.parametrize(("data", "rating"), [(LOW, "low"), (HIGH, "high")])
def test_deal_that_stays_win_win_keeps_the_rating_verdict(data, rating):
    a = run({**data, "check_deal": True})
    assert a.details["deal"].win_win
    assert a.verdict == f"{rating} risk"
    assert a.passed == (rating in ("low", "moderate"))
    assert a.level == LEVEL[rating]
    assert a.findings[1].level == "good"
    assert a.findings[1].text.startswith("The deal stays win-win after reputation risk (our gain ")


@pytest.mark.parametrize("data", [LOW, HIGH])
def test_deal_not_win_win_even_before_risk_is_not_passed(data):
    # stand-alone 100k + 80k > 150k together: no split makes both gain
    a = run({**data, "check_deal": True, "partnership_value": {"likely": 150_000}})
    assert a.details["deal"].verdict_label() == "not win-win"
    assert a.passed is False
    assert a.level == "bad"
    assert a.verdict == "deal not win-win"
    assert a.findings[0] == Finding("bad", "The deal is not win-win even before reputation risk.")


def test_low_risk_but_not_win_win_is_still_not_passed():
    a = run({**LOW, "check_deal": True, "partnership_value": {"likely": 150_000}})
    assert (a.verdict, a.level, a.passed) == ("deal not win-win", "bad", False)


def test_deal_fields_are_ignored_without_the_deal_check():
    a = run({**HIGH, "partnership_value": {"likely": 1.0}, "our_standalone": {"likely": 1e9}})
    b = run(HIGH)
    assert (a.verdict, a.passed) == (b.verdict, b.passed) == ("high risk", False)
    assert a.details["deal"] is None


@pytest.mark.parametrize("split_rule", ["nash", "equal"])
def test_split_rule_is_passed_to_the_win_win_check(split_rule):
    a = run({"check_deal": True, "split_rule": split_rule, "partnership_value": {"likely": 300_000}})
    assert a.details["deal"].split_rule == split_rule
    # nash splits the surplus of 120k equally; equal splits the whole 300k equally
    expected = [160_000.0, 140_000.0] if split_rule == "nash" else [150_000.0, 150_000.0]
    assert a.parties["share"].tolist() == pytest.approx(expected)


@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.sampled_from(["co-branded", "customer-facing", "back-office"]),
    st.floats(0, 0.5),
    st.floats(-200_000, 400_000),
    st.booleans(),
)
def test_deal_verdict_matches_the_win_win_check(quality, satisfaction, exposure, lost, value, clauses):
    a = run(
        {
            "quality": quality,
            "satisfaction": satisfaction,
            "exposure": exposure,
            "customers_lost": {"likely": lost},
            "partnership_value": {"likely": value},
            "quality_clauses": clauses,
            "check_deal": True,
        }
    )
    label = a.details["deal"].verdict_label()
    rating = a.details["risk"].after.rating
    assert (a.verdict == "deal not worth the risk") == (label == "win-win on paper only")
    if label == "not win-win":
        assert a.verdict == "deal not win-win"
    elif label != "win-win on paper only":
        assert a.verdict == f"{rating} risk"
    assert a.passed == (a.details["deal"].win_win and rating in ("low", "moderate"))
    assert a.level == ("bad" if not a.details["deal"].win_win else LEVEL[rating])


# --------------------------------------------------------------------------- assess(): ranges
def test_ranges_switched_off_are_not_used():
    data = {**HIGH, "base_rate": {"likely": 0.05, "low": 0.01, "high": 0.2}, "draws": 1_000}
    off, on = run(data), run({**data, "use_ranges": True})
    assert off.probability is None and off.details["risk"].monte_carlo is None
    assert on.probability is not None and 0 <= on.probability <= 1
    assert on.probability == on.details["risk"].monte_carlo["p_high"]
    assert on.details["risk"].monte_carlo["draws"] == 1_000
    # the figures at the most likely values are the same either way
    assert on.details["risk"].risk_adjustment == off.details["risk"].risk_adjustment


def test_ranges_with_the_deal_check_run_the_deal_monte_carlo():
    data = {
        "check_deal": True,
        "use_ranges": True,
        "draws": 2_000,
        "base_rate": {"likely": 0.05, "low": 0.01, "high": 0.2},
        "partnership_value": {"likely": 220_000, "low": 200_000, "high": 240_000},
    }
    a = run(data)
    assert a.details["deal"].monte_carlo is not None
    assert a.details["deal"].monte_carlo.draws == 2_000
    assert a.probability == a.details["risk"].monte_carlo["p_high"]


def test_same_seed_same_probability():
    data = {**HIGH, "use_ranges": True, "draws": 2_000, "base_rate": {"likely": 0.05, "low": 0.0, "high": 0.3}}
    assert run(data).probability == run(data).probability


# --------------------------------------------------------------------------- registry and purity
def test_registered_sheet():
    assert SHEET.name == "reputation_risk"
    assert SHEET.kind == "framework"
    assert SHEET.inputs is Inputs and SHEET.assess is assess
    assert SHEET.sample == SAMPLE
    assert SHEET.title and SHEET.summary


def test_assess_does_not_change_its_inputs():
    inputs = Inputs.model_validate(sample_inputs())
    before = copy.deepcopy(inputs.model_dump())
    assess(inputs)
    assert inputs.model_dump() == before


def test_report_prints_the_verdict_and_the_probability():
    text = run(
        {**HIGH, "use_ranges": True, "draws": 1_000, "base_rate": {"likely": 0.05, "low": 0.01, "high": 0.2}}
    ).report()
    assert text.startswith("Verdict: HIGH RISK")
    assert "P(rated high or severe): " in text
