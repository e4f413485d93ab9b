"""Tests for coopkit.options.market_growth: the market-growth worksheet's Inputs model, parse_series and assess()."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import market
from coopkit.frameworks.uncertainty import Range
from coopkit.options.base import Assessment, Problem, field_bounds, validate
from coopkit.options.market_growth import SHEET, SOURCE_LABELS, Inputs, MarketParty, assess, parse_series
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "market_growth_joint_campaign.json"

# Ten years of adoptions from a Bass curve (p 0.02, q 0.45, m 50,000) with a few percent of noise:
# the fit is good (R² about 0.99) and its standard errors are positive, so ranges can be made around it.
HISTORY = "1307, 1774, 2789, 3662, 4917, 5535, 6347, 5801, 5122, 3849"
HISTORY_VALUES = [1307.0, 1774.0, 2789.0, 3662.0, 4917.0, 5535.0, 6347.0, 5801.0, 5122.0, 3849.0]


def party(name: str, now: float, with_: float, cost: float = 0.0) -> dict:
    return {"name": name, "share_now": now, "share_with": with_, "cooperation_cost": cost}


def case(*parties: dict, **extra) -> dict:
    """Inputs data; by default A (30 %) and B (20 %) keep their shares and pay nothing to cooperate."""
    parties = parties or (party("A", 0.3, 0.3), party("B", 0.2, 0.2))
    return {"parties": list(parties), **extra}


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


def expected_verdict(a: Assessment) -> str:
    npv, growth = a.parties["npv"], a.parties["npv_growth"]
    if (npv > 0).all() and (growth > 0).all():
        return "rising tide"
    if (npv > 0).all():
        return "pays only with share taken"
    return "does not pay for every party"


# --------------------------------------------------------------------------- the sample case
def test_sample_case_validates_and_gives_the_documented_verdict():
    inputs, problems = validate(Inputs, sample_inputs())
    assert problems == []
    a = assess(inputs)
    assert a.worksheet == "market_growth"
    assert (a.verdict, a.level, a.passed) == ("rising tide", "good", True)
    assert a.probability_label == "P(grows enough for every party)"
    assert a.probability is not None and 0 <= a.probability <= 1
    assert a.probability == a.details["growth"].p_tide
    assert set(a.tables) == {"decomposition", "market", "revenue", "flows", "sizing", "fan"}
    assert set(a.details) == {"growth", "fit"}
    assert isinstance(a.details["growth"], market.GrowthResult)
    assert a.details["fit"] is None
    assert a.assumptions and all(isinstance(x, str) and x for x in a.assumptions)
    assert a.findings
    assert list(a.parties.index) == ["Northwind Heat", "Fjord Energy"]
    assert list(a.parties.columns) == ["compete", "growth", "share_shift", "cooperate", "npv_growth", "npv"]
    assert (a.parties["npv_growth"] > 0).all() and (a.parties["npv"] > 0).all()
    assert a.headline.startswith("Over 6 years, in present value: Northwind Heat +")


def test_sample_round_trips_without_losing_data():
    data = sample_inputs()
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert Inputs.model_validate(dumped) == inputs
    assert Inputs.model_validate(dumped).model_dump() == dumped
    for key, value in data.items():
        assert dumped[key] == value, key


def test_fields_hidden_by_the_source_are_kept():
    data = case(
        bass_source="literature",
        adoption_history="not, a, history",
        p={"likely": 0.5, "low": 0.6},
        market_potential={"likely": 10, "low": 20, "high": 5},
    )
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert dumped["adoption_history"] == "not, a, history"
    assert dumped["p"] == {"likely": 0.5, "low": 0.6, "high": None}
    assert dumped["market_potential"] == {"likely": 10, "low": 20, "high": 5}
    assert Inputs.model_validate(dumped) == inputs


def test_defaults():
    inputs = Inputs.model_validate(case())
    assert (inputs.bass_source, inputs.basis, inputs.years, inputs.use_ranges) == ("literature", "recurring", 5, False)
    assert (inputs.p.likely, inputs.q.likely) == (market.BASS_DEFAULTS["p"], market.BASS_DEFAULTS["q"])
    assert (inputs.draws, inputs.seed, inputs.currency) == (20_000, 0, "EUR")
    assert Inputs.model_validate(inputs.model_dump()) == inputs
    assert set(SOURCE_LABELS) == {"literature", "own", "fit"}


# --------------------------------------------------------------------------- Inputs: field metadata
def test_every_field_has_a_title_and_a_description():
    for model in (Inputs, MarketParty):
        for name, info in model.model_fields.items():
            assert info.title, name
            assert info.description, name


def test_numeric_fields_have_both_bounds():
    checked = 0
    for model in (Inputs, MarketParty):
        for name, info in model.model_fields.items():
            if info.annotation in (int, float):
                bounds = field_bounds(info)
                assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), name
                checked += 1
            elif hasattr(info.annotation, "model_fields"):  # an Uncertain amount: every end bounded
                for sub, sub_info in info.annotation.model_fields.items():
                    bounds = field_bounds(sub_info)
                    assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), (name, sub)
                    checked += 1
    assert checked == 14 + 3 + 3 * 7  # 14 numbers, 3 per party, 7 uncertain amounts of 3 ends


# --------------------------------------------------------------------------- Inputs: field bounds
@pytest.mark.parametrize(
    ("extra", "loc", "message"),
    [
        ({"years": 31}, ("years",), "Horizon must be between 1 and 30, got 31"),
        ({"years": 0}, ("years",), "Horizon must be between 1 and 30, got 0"),
        ({"years": 2.5}, ("years",), "Horizon must be a whole number between 1 and 30, got 2.5"),
        ({"discount_rate": 0.6}, ("discount_rate",), "Discount rate must be between 0 and 0.5, got 0.6"),
        ({"discount_rate": -0.01}, ("discount_rate",), "Discount rate must be between 0 and 0.5, got -0.01"),
        ({"margin": 1.1}, ("margin",), "Contribution margin must be between 0 and 1, got 1.1"),
        ({"market_age": 101}, ("market_age",), "Market age must be between 0 and 100, got 101"),
        ({"p": {"likely": 0}}, ("p", "likely"), "Innovation p (most likely) must be between 0.0001 and 1, got 0"),
        ({"q": {"likely": 1, "high": 6}}, ("q", "high"), "Imitation q (high) must be between 0 and 5, got 6"),
        (
            {"m_uplift": {"likely": -1}},
            ("m_uplift", "likely"),
            "Uplift: potential (most likely) must be between -0.9 and 5, got -1",
        ),
        (
            {"p_uplift": {"likely": 6}},
            ("p_uplift", "likely"),
            "Uplift: innovation p (most likely) must be between -0.9 and 5, got 6",
        ),
        (
            {"market_potential": {"likely": -5}},
            ("market_potential", "likely"),
            "Market potential (most likely) must be between 0 and 1,000,000,000,000, got -5",
        ),
        (
            {"revenue_per_customer": {"likely": 1, "low": -1}},
            ("revenue_per_customer", "low"),
            "Revenue per customer (low) must be between 0 and 1,000,000,000, got -1",
        ),
        ({"customers": -1}, ("customers",), "All potential customers must be between 0 and 1,000,000,000,000, got -1"),
        ({"serviceable_share": 1.1}, ("serviceable_share",), "Serviceable share must be between 0 and 1, got 1.1"),
        ({"win_rate": -0.1}, ("win_rate",), "Win rate must be between 0 and 1, got -0.1"),
        ({"draws": 999}, ("draws",), "Monte Carlo draws must be between 1,000 and 200,000, got 999"),
        ({"draws": 200_001}, ("draws",), "Monte Carlo draws must be between 1,000 and 200,000, got 200,001"),
        ({"seed": -1}, ("seed",), "Random seed must be between 0 and 4,294,967,295, got -1"),
        (
            {"bass_source": "guess"},
            ("bass_source",),
            "Adoption speed from must be one of 'literature', 'own' or 'fit', got 'guess'",
        ),
        ({"basis": "monthly"}, ("basis",), "Revenue comes must be one of 'recurring' or 'one-off', got 'monthly'"),
        (
            {"adoption_history": "1" * 2_001},
            ("adoption_history",),
            "Adoption history must be 0 to 2000 characters long, got 2001",
        ),
    ],
)
def test_out_of_range_values_name_the_field_and_the_allowed_range(extra, loc, message):
    assert problems_of(case(**extra)) == [Problem(loc, message)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("share_now", 1.2, "Party 2: Share competing must be between 0 and 1, got 1.2"),
        ("share_with", -0.1, "Party 2: Share cooperating must be between 0 and 1, got -0.1"),
        ("cooperation_cost", -1, "Party 2: Cost of cooperating must be between 0 and 1,000,000,000,000, got -1"),
        ("name", "", "Party 2: Name must be 1 to 40 characters long, got 0"),
        ("name", "x" * 41, "Party 2: Name must be 1 to 40 characters long, got 41"),
    ],
)
def test_party_field_bounds(field, value, message):
    second = {**party("B", 0.2, 0.2), field: value}
    assert problems_of(case(party("A", 0.3, 0.3), second)) == [Problem(("parties", 1, field), message)]


def test_missing_shares_are_required():
    problems = problems_of(case(party("A", 0.3, 0.3), {"name": "B"}))
    assert problems == [
        Problem(("parties", 1, "share_now"), "Party 2: Share competing is required"),
        Problem(("parties", 1, "share_with"), "Party 2: Share cooperating is required"),
    ]


@pytest.mark.parametrize("n", [1, 7])
def test_fewer_than_two_or_more_than_six_parties_are_refused(n):
    data = case(*(party(f"P{j}", 0.1, 0.1) for j in range(n)))
    assert problems_of(data) == [Problem(("parties",), f"Parties must list 2 to 6 entries, got {n}")]


def test_every_bounded_top_level_field_refuses_a_value_above_its_maximum():
    for name, info in Inputs.model_fields.items():
        bounds = field_bounds(info)
        if "le" not in bounds:
            continue
        problems = problems_of(case(**{name: bounds["le"] + 1}))
        assert [p.loc for p in problems] == [(name,)], name
        assert problems[0].message.startswith(f"{info.title} must be "), name
        assert "between" in problems[0].message or "at most" in problems[0].message, name


# --------------------------------------------------------------------------- Inputs: checks across fields
@pytest.mark.parametrize("second", ["A", "a", " A ", "a  "])
def test_duplicate_party_names_are_refused_ignoring_case_and_blanks(second):
    problems = problems_of(case(party("A", 0.3, 0.3), party(second, 0.2, 0.2)))
    assert problems == [Problem(("parties", 1, "name"), "Party 2: name is also used by party 1")]


def test_each_repeat_of_a_name_is_reported():
    problems = problems_of(case(party("A", 0.3, 0.3), party("a", 0.2, 0.2), party("A", 0.1, 0.1)))
    assert problems == [
        Problem(("parties", 1, "name"), "Party 2: name is also used by party 1"),
        Problem(("parties", 2, "name"), "Party 3: name is also used by party 1"),
    ]


@pytest.mark.parametrize("name", ["Rest of market", "rest of MARKET", "  Rest of market "])
def test_rest_of_market_is_a_reserved_name(name):
    problems = problems_of(case(party("A", 0.3, 0.3), party(name, 0.2, 0.2)))
    assert problems == [Problem(("parties", 1, "name"), "Party 2: 'Rest of market' is reserved for everyone else")]


def test_blank_name_is_refused():
    problems = problems_of(case(party("A", 0.3, 0.3), party("   ", 0.2, 0.2)))
    assert problems == [Problem(("parties", 1, "name"), "Party 2: name must not be blank")]


def test_shares_competing_adding_above_one_are_refused():
    problems = problems_of(case(party("A", 0.6, 0.3), party("B", 0.5, 0.2)))
    assert problems == [Problem(("parties",), "Shares competing must add up to at most 1, got 1.1")]


def test_shares_cooperating_adding_above_one_are_refused():
    problems = problems_of(case(party("A", 0.3, 0.7), party("B", 0.2, 0.35)))
    assert problems == [Problem(("parties",), "Shares cooperating must add up to at most 1, got 1.05")]


def test_both_share_totals_are_reported():
    problems = problems_of(case(party("A", 0.6, 0.6), party("B", 0.5, 0.5)))
    assert [p.message for p in problems] == [
        "Shares competing must add up to at most 1, got 1.1",
        "Shares cooperating must add up to at most 1, got 1.1",
    ]


def test_shares_adding_up_to_exactly_one_are_accepted():
    assert problems_of(case(party("A", 0.7, 0.6), party("B", 0.3, 0.4))) == []
    assert problems_of(case(party("A", 0.1, 0.1), party("B", 0.2, 0.2), party("C", 0.7, 0.7))) == []


def test_unordered_ranges_are_ignored_while_ranges_are_off():
    data = case(
        bass_source="own",
        revenue_per_customer={"likely": 10, "low": 11},
        m_uplift={"likely": 0.1, "high": 0},
        p={"likely": 0.03, "low": 0.05},
    )
    assert problems_of(data) == []
    assert problems_of({**data, "use_ranges": True}) != []


def test_unordered_ranges_are_reported_on_their_field_when_ranges_are_on():
    data = case(
        use_ranges=True,
        bass_source="own",
        revenue_per_customer={"likely": 10, "low": 11},
        m_uplift={"likely": 0.1, "high": 0},
        p_uplift={"likely": 0.1, "low": 0.2, "high": 0.3},
        q_uplift={"likely": 0.5, "low": 0, "high": 0.4},
        market_potential={"likely": 10, "low": 20},
        p={"likely": 0.03, "low": 0.05},
        q={"likely": 0.3, "high": 0.2},
    )
    assert problems_of(data) == [
        Problem(
            ("revenue_per_customer",),
            "Revenue per customer needs low <= most likely <= high, got low 11, most likely 10, high 10",
        ),
        Problem(
            ("m_uplift",), "Uplift: potential needs low <= most likely <= high, got low 0.1, most likely 0.1, high 0"
        ),
        Problem(
            ("p_uplift",),
            "Uplift: innovation p needs low <= most likely <= high, got low 0.2, most likely 0.1, high 0.3",
        ),
        Problem(
            ("q_uplift",),
            "Uplift: imitation q needs low <= most likely <= high, got low 0, most likely 0.5, high 0.4",
        ),
        Problem(
            ("market_potential",),
            "Market potential needs low <= most likely <= high, got low 20, most likely 10, high 10",
        ),
        Problem(("p",), "Innovation p needs low <= most likely <= high, got low 0.05, most likely 0.03, high 0.03"),
        Problem(("q",), "Imitation q needs low <= most likely <= high, got low 0.3, most likely 0.3, high 0.2"),
    ]


def test_ranges_of_unused_fields_are_not_checked():
    # literature p and q, and the market potential of a fitted market, are not used: their ranges are not checked
    p_q = {"p": {"likely": 0.03, "low": 0.05}, "q": {"likely": 0.3, "high": 0.2}}
    assert problems_of(case(use_ranges=True, bass_source="literature", **p_q)) == []
    fitted = case(
        use_ranges=True, bass_source="fit", adoption_history=HISTORY, market_potential={"likely": 10, "low": 20}
    )
    assert problems_of(fitted) == []


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ("", "Adoption history is empty: type the new customers of each year since launch, e.g. 120, 340, 800, 1500"),
        ("1, 2, x, 4", "Adoption history must be numbers separated by commas, got 'x' (entry 3)"),
        ("1, 2, 3", "Adoption history must list 4 to 60 years, got 3"),
        ("0, 0, 0, 0", "Adoption history must not be all zeros"),
        ("1, -2, 3, 4", "Adoption history must be numbers of at least 0, got -2 (entry 2)"),
    ],
)
def test_adoption_history_is_checked_when_fitted(history, message):
    assert problems_of(case(bass_source="fit", adoption_history=history)) == [Problem(("adoption_history",), message)]


@pytest.mark.parametrize("source", ["literature", "own"])
@pytest.mark.parametrize("history", ["", "garbage", "1, 2"])
def test_adoption_history_is_not_checked_unless_fitted(source, history):
    assert problems_of(case(bass_source=source, adoption_history=history)) == []


# --------------------------------------------------------------------------- parse_series
@pytest.mark.parametrize(
    "text",
    [
        "120, 340, 800, 1500",
        "120,340,800,1500",
        "120; 340; 800; 1500",
        "120 340 800 1500",
        "120\n340\n800\n1500",
        "120\t340\r\n800 ,; 1500",
        "  120, 340, 800, 1500,  ",
        ",,120;;340  800\n\n1500;",
        "120.0, 3.4e2, 800, +1500",
    ],
)
def test_parse_series_separators(text):
    assert parse_series(text) == [120.0, 340.0, 800.0, 1500.0]


def test_parse_series_has_no_thousands_separators():
    assert parse_series("1,500, 20, 30") == [1.0, 500.0, 20.0, 30.0]
    with pytest.raises(InputError, match=r"^Adoption history must list 4 to 60 years, got 2$"):
        parse_series("1,500")


def test_parse_series_accepts_decimals_and_zeros():
    assert parse_series("0, 0.5, 0, 2") == [0.0, 0.5, 0.0, 2.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10, ten, 30, 40", "Adoption history must be numbers separated by commas, got 'ten' (entry 2)"),
        ("abc 1 2 3", "Adoption history must be numbers separated by commas, got 'abc' (entry 1)"),
        ("1 2 3 4 5 1.2.3", "Adoption history must be numbers separated by commas, got '1.2.3' (entry 6)"),
        ("1, 2, 3, 4, 5k", "Adoption history must be numbers separated by commas, got '5k' (entry 5)"),
        ("10, 20, -5, 40", "Adoption history must be numbers of at least 0, got -5 (entry 3)"),
        ("-1 2 3 4", "Adoption history must be numbers of at least 0, got -1 (entry 1)"),
        ("1 2 nan 4", "Adoption history must be numbers of at least 0, got nan (entry 3)"),
        ("1 2 3 inf", "Adoption history must be numbers of at least 0, got inf (entry 4)"),
        ("1 2 3", "Adoption history must list 4 to 60 years, got 3"),
        ("5", "Adoption history must list 4 to 60 years, got 1"),
        (" ".join(["1"] * 61), "Adoption history must list 4 to 60 years, got 61"),
        ("0 0 0 0 0", "Adoption history must not be all zeros"),
        (
            "",
            "Adoption history is empty: type the new customers of each year since launch, e.g. 120, 340, 800, 1500",
        ),
        (
            " ,; \n ",
            "Adoption history is empty: type the new customers of each year since launch, e.g. 120, 340, 800, 1500",
        ),
    ],
)
def test_parse_series_errors(text, message):
    with pytest.raises(InputError) as info:
        parse_series(text)
    assert str(info.value) == message
    assert info.value.field == "Adoption history"
    assert isinstance(info.value, ValueError)


def test_parse_series_first_bad_entry_is_reported():
    with pytest.raises(InputError, match=r"got 'b' \(entry 2\)$"):
        parse_series("1 b c -4")


def test_parse_series_length_limits():
    assert len(parse_series(" ".join(["1"] * 60))) == 60
    assert parse_series("1 0 0 0") == [1.0, 0.0, 0.0, 0.0]


# --------------------------------------------------------------------------- assess(): verdicts
def test_rising_tide_when_the_bigger_market_pays_for_everyone():
    a = run(case(m_uplift={"likely": 0.25}))
    assert (a.verdict, a.level, a.passed) == ("rising tide", "good", True)
    assert (a.parties["npv_growth"] > 0).all() and (a.parties["npv"] > 0).all()
    assert a.parties["share_shift"].abs().max() == pytest.approx(0, abs=1e-6)
    assert a.headline.endswith("EUR of revenue; 100% of it from a bigger market.")


def test_pays_only_with_share_taken_from_the_rest_of_the_market():
    # no growth, a small cost, both take share from the rest of the market
    a = run(case(party("A", 0.3, 0.35, 1_000), party("B", 0.2, 0.25, 1_000)))
    assert (a.verdict, a.level, a.passed) == ("pays only with share taken", "caution", True)
    assert (a.parties["npv_growth"] <= 0).all() and (a.parties["npv"] > 0).all()
    assert any("it pays only with the share it takes" in f.text for f in a.findings)


def test_pays_only_with_share_taken_when_one_party_needs_the_share():
    # the market grows 5 %; A's cost is too high for growth alone, but A also takes share from the rest
    a = run(case(party("A", 0.3, 0.4, 200_000), party("B", 0.2, 0.2), m_uplift={"likely": 0.05}))
    assert a.parties.loc["A", "npv_growth"] <= 0 < a.parties.loc["A", "npv"]
    assert a.parties.loc["B", "npv_growth"] > 0
    assert (a.verdict, a.passed) == ("pays only with share taken", True)


def test_does_not_pay_when_nothing_changes_but_the_cost():
    a = run(case(party("A", 0.3, 0.3, 1_000), party("B", 0.2, 0.2, 1_000)))
    assert (a.verdict, a.level, a.passed) == ("does not pay for every party", "bad", False)
    assert (a.parties["npv"] < 0).all()
    assert a.headline.endswith("no change in revenue.")


def test_does_not_pay_when_nothing_changes_at_all():
    # an NPV of exactly 0 is not a gain
    a = run(case())
    assert (a.parties["npv"] == 0).all()
    assert (a.verdict, a.passed) == ("does not pay for every party", False)


def test_does_not_pay_when_one_party_loses_share_even_in_a_rising_tide():
    a = run(case(party("A", 0.3, 0.45), party("B", 0.2, 0.05), m_uplift={"likely": 0.25}))
    assert (a.parties["npv_growth"] > 0).all()  # growth alone would pay for both...
    assert a.parties.loc["B", "npv"] < 0  # ...but B loses more share than the market gives it
    assert (a.verdict, a.level, a.passed) == ("does not pay for every party", "bad", False)


@given(
    st.floats(0, 0.4),
    st.floats(0, 0.4),
    st.floats(0, 0.4),
    st.floats(0, 0.4),
    st.floats(0, 300_000),
    st.floats(0, 300_000),
    st.floats(-0.5, 1.0),
    st.floats(-0.5, 1.0),
    st.sampled_from(["recurring", "one-off"]),
)
def test_verdict_follows_the_npvs(now_a, with_a, now_b, with_b, cost_a, cost_b, m_uplift, p_uplift, basis):
    a = run(
        case(
            party("A", now_a, with_a, cost_a),
            party("B", now_b, with_b, cost_b),
            m_uplift={"likely": m_uplift},
            p_uplift={"likely": p_uplift},
            basis=basis,
        )
    )
    assert a.verdict == expected_verdict(a)
    assert a.passed == (a.verdict != "does not pay for every party")
    assert a.level == {"rising tide": "good", "pays only with share taken": "caution"}.get(a.verdict, "bad")
    assert a.parties["npv"].tolist() == a.details["growth"].npv.tolist()
    assert a.parties["npv_growth"].tolist() == a.details["growth"].npv_growth.tolist()


def test_parties_table_is_the_decomposition_with_the_npvs():
    a = run(case(party("A", 0.3, 0.35, 1_000), party("B", 0.2, 0.15, 500), m_uplift={"likely": 0.1}))
    d = a.tables["decomposition"]
    assert a.parties["compete"].tolist() == d["compete"].tolist()
    assert a.parties["share_shift"].tolist() == d["share"].tolist()
    assert (a.parties["compete"] + a.parties["growth"] + a.parties["share_shift"]).tolist() == pytest.approx(
        a.parties["cooperate"].tolist()
    )


def test_names_are_stripped():
    a = run(case(party("  Alpha ", 0.3, 0.3), party("Beta", 0.2, 0.2), m_uplift={"likely": 0.1}))
    assert list(a.parties.index) == ["Alpha", "Beta"]


def test_cooperation_costs_are_passed_per_party():
    free = run(case(m_uplift={"likely": 0.1}))
    costly = run(case(party("A", 0.3, 0.3, 10_000), party("B", 0.2, 0.2), m_uplift={"likely": 0.1}))
    # 5 years of 10,000 at 8 %: the annuity factor
    annuity = sum(1.08**-k for k in range(1, 6))
    assert free.parties.loc["A", "npv"] - costly.parties.loc["A", "npv"] == pytest.approx(10_000 * annuity)
    assert free.parties.loc["B", "npv"] == pytest.approx(costly.parties.loc["B", "npv"])


# --------------------------------------------------------------------------- assess(): where p and q come from
def test_literature_source_uses_the_framework_defaults():
    a = run(case(bass_source="literature", p={"likely": 0.5}, q={"likely": 2.0}, market_potential={"likely": 30_000}))
    bass = a.details["growth"].bass
    assert bass["compete"] == {"p": market.BASS_DEFAULTS["p"], "q": market.BASS_DEFAULTS["q"], "m": 30_000.0}
    assert bass["source"] == market.BASS_DEFAULTS["source"]
    assert a.details["fit"] is None and "fit" not in a.tables


def test_own_source_uses_our_p_and_q():
    a = run(case(bass_source="own", p={"likely": 0.05}, q={"likely": 0.6}, market_age=3, p_uplift={"likely": 0.2}))
    bass = a.details["growth"].bass
    assert bass["compete"]["p"] == 0.05 and bass["compete"]["q"] == 0.6
    assert bass["cooperate"]["p"] == pytest.approx(0.06)
    assert bass["source"] == "our own estimates"
    assert "The market is 3 years old; cooperation changes the path from now on, from today's adopters." in (
        a.assumptions
    )


def test_own_and_literature_differ_only_through_p_and_q():
    same = {"p": {"likely": market.BASS_DEFAULTS["p"]}, "q": {"likely": market.BASS_DEFAULTS["q"]}}
    lit = run(case(bass_source="literature", m_uplift={"likely": 0.2}))
    own = run(case(bass_source="own", m_uplift={"likely": 0.2}, **same))
    assert own.parties["npv"].tolist() == pytest.approx(lit.parties["npv"].tolist())
    other = run(case(bass_source="own", m_uplift={"likely": 0.2}, p={"likely": 0.1}))
    assert other.parties.loc["A", "npv"] != pytest.approx(lit.parties.loc["A", "npv"])


def test_fit_source_fits_p_q_m_to_the_history():
    a = run(case(bass_source="fit", adoption_history=HISTORY, m_uplift={"likely": 0.2}, market_potential={"likely": 1}))
    fit = a.details["fit"]
    assert isinstance(fit, market.BassFit)
    assert fit.observed.tolist() == HISTORY_VALUES
    assert fit.p == pytest.approx(0.02, rel=0.1)
    assert fit.q == pytest.approx(0.45, rel=0.1)
    assert fit.m == pytest.approx(50_000, rel=0.05)
    assert fit.r2 > 0.95
    bass = a.details["growth"].bass
    assert bass["compete"] == {"p": fit.p, "q": fit.q, "m": fit.m}  # the market potential typed is not used
    assert bass["source"] == f"fitted to 10 years of adoptions, R² {fit.r2:.3f}"
    # the fit table: one row per year of history
    table = a.tables["fit"]
    assert list(table.columns) == ["observed", "fitted"]
    assert list(table.index) == list(range(1, 11)) and table.index.name == "year"
    assert table["observed"].tolist() == HISTORY_VALUES
    assert table["fitted"].tolist() == pytest.approx(fit.fitted.tolist())
    # the fit is reported as a finding
    fit_findings = [f for f in a.findings if f.text.startswith("Bass fit to the adoption history: ")]
    assert len(fit_findings) == 1 and fit_findings[0].level == "info"  # R² >= 0.8: no warning
    assert fit_findings[0].text.startswith(f"Bass fit to the adoption history: p = {fit.p:.4f} ± ")
    assert f"market potential {fit.m:,.0f} customers; R² {fit.r2:.3f}." in fit_findings[0].text


def test_fitted_market_is_as_old_as_its_history():
    a = run(case(bass_source="fit", adoption_history=HISTORY, market_age=0, m_uplift={"likely": 0.2}))
    fit = a.details["fit"]
    assert "The market is 10 years old; cooperation changes the path from now on, from today's adopters." in (
        a.assumptions
    )
    # the same as the framework run directly with market_age = 10
    direct = market.assess(
        ["A", "B"],
        [0.3, 0.2],
        [0.3, 0.2],
        m=fit.m,
        revenue_per_customer=1_000.0,
        p=fit.p,
        q=fit.q,
        m_uplift=0.2,
        years=5,
        market_age=10.0,
    )
    assert a.parties["npv"].tolist() == pytest.approx(direct.npv.tolist())
    # and the first year's customers continue from the ten years already observed
    assert a.tables["market"]["customers_compete"].iloc[0] == pytest.approx(
        market.bass_cumulative(11, fit.p, fit.q, fit.m)
    )


def test_poor_fit_is_flagged():
    a = run(case(bass_source="fit", adoption_history="5 1 9 2 8 1 7 3"))
    fit = a.details["fit"]
    assert fit.r2 < 0.8
    texts = [f.text for f in a.findings if f.text.startswith("Bass fit")]
    assert len(texts) == 1 and texts[0].endswith("(a poor fit: treat the projection with care).")
    assert [f.level for f in a.findings if f.text.startswith("Bass fit")] == ["caution"]


def test_fit_without_ranges_has_no_monte_carlo():
    a = run(case(bass_source="fit", adoption_history=HISTORY))
    assert a.probability is None and "fan" not in a.tables


def test_fit_with_ranges_makes_p_and_q_ranges_around_the_fit(monkeypatch):
    seen = {}
    original = market.assess

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(market, "assess", spy)
    a = run(case(bass_source="fit", adoption_history=HISTORY, use_ranges=True, draws=2_000, m_uplift={"likely": 0.2}))
    fit = a.details["fit"]
    for key, floor, ceiling in (("p", 1e-4, 1.0), ("q", 0.0, 5.0)):
        value, error = getattr(fit, key), fit.std_errors[key]
        assert isinstance(seen[key], Range), key
        assert seen[key].likely == value
        assert seen[key].low == pytest.approx(max(floor, value - 2 * error))
        assert seen[key].high == pytest.approx(min(ceiling, value + 2 * error))
        assert seen[key].low < value < seen[key].high
    assert seen["m"] == fit.m and seen["market_age"] == 10.0
    assert seen["draws"] == 2_000
    assert a.probability is not None and 0 <= a.probability <= 1
    assert "fan" in a.tables and "fit" in a.tables


def test_own_source_with_ranges_passes_ranges(monkeypatch):
    seen = {}
    original = market.assess

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(market, "assess", spy)
    run(
        case(
            bass_source="own",
            use_ranges=True,
            draws=1_000,
            p={"likely": 0.03, "low": 0.01, "high": 0.05},
            q={"likely": 0.4},
            market_potential={"likely": 50_000, "low": 40_000, "high": 70_000},
        )
    )
    assert seen["p"] == (0.01, 0.03, 0.05)
    assert seen["q"] == 0.4  # no range given: a number
    assert seen["m"] == (40_000.0, 50_000.0, 70_000.0)


def test_fit_with_ranges_and_a_tiny_fitted_p_assesses():
    history = ", ".join(str(2**k) for k in range(8))
    inputs, problems = validate(Inputs, case(bass_source="fit", adoption_history=history, use_ranges=True, draws=1_000))
    assert problems == []
    assert market.fit_bass(parse_series(history)).p < 1e-4
    a = assess(inputs)
    assert a.details["fit"] is not None


def test_fit_with_a_tiny_fitted_p_assesses_without_ranges():
    history = ", ".join(str(2**k) for k in range(8))
    a = run(case(bass_source="fit", adoption_history=history))
    assert a.details["fit"].p < 1e-4
    assert a.verdict == expected_verdict(a)


# --------------------------------------------------------------------------- assess(): ranges
def test_ranges_switched_off_are_not_used():
    data = case(m_uplift={"likely": 0.2, "low": 0.0, "high": 0.5}, draws=1_000)
    off, on = run(data), run({**data, "use_ranges": True})
    assert off.probability is None and "fan" not in off.tables
    assert on.probability is not None and 0 <= on.probability <= 1
    assert on.probability == on.details["growth"].p_tide
    assert list(on.tables["fan"].columns) == ["p5", "p25", "p50", "p75", "p95", "compete_p50"]
    # the figures at the most likely values are the same either way
    assert on.parties["npv"].tolist() == off.parties["npv"].tolist()


def test_same_seed_same_probability():
    data = case(
        party("A", 0.3, 0.3, 50_000),
        party("B", 0.2, 0.2, 50_000),
        m_uplift={"likely": 0.1, "low": -0.2, "high": 0.4},
        use_ranges=True,
        draws=2_000,
    )
    first = run(data).probability
    assert first == run(data).probability
    assert 0 < first < 1


# --------------------------------------------------------------------------- assess(): sizing and the SOM check
def test_sizing_table_uses_the_sizing_inputs():
    a = run(case(customers=1_000, annual_spend=100, serviceable_share=0.5, obtainable_share=0.4))
    sizing = a.tables["sizing"]
    top = sizing[sizing["method"] == "top-down"].set_index("level")["value"]
    assert top.to_dict() == pytest.approx({"TAM": 100_000, "SAM": 50_000, "SOM": 20_000})
    bottom = sizing[sizing["method"] == "bottom-up"]
    assert bottom["value"].tolist() == pytest.approx([20_000 * 0.6 * 0.25 * 1_000])


def som_findings(a: Assessment) -> list[str]:
    return [f.text for f in a.findings if "exceeds the top-down SOM" in f.text]


def test_first_year_revenue_above_the_som_is_flagged():
    # SOM = 1,000 x 100 x 0.5 x 0.4 = 20,000, far below the parties' first-year revenue
    a = run(case(customers=1_000, annual_spend=100))
    year_one = float(a.tables["revenue"]["cooperate"].iloc[0].sum())
    assert year_one > 20_000
    assert som_findings(a) == [
        f"The parties' first-year revenue with cooperation ({year_one:,.0f}) exceeds the top-down SOM (20,000): "
        "check the market potential and shares."
    ]
    assert [f.level for f in a.findings if f.text in som_findings(a)] == ["caution"]


def test_som_check_is_on_the_first_year_with_cooperation():
    base = run(case(m_uplift={"likely": 0.2}))
    assert som_findings(base) == []  # defaults: SOM 20,000,000, far above
    year_one = float(base.tables["revenue"]["cooperate"].iloc[0].sum())
    # 1,000 customers x 0.5 x 0.4 = 200 x the spend: put the SOM just above and just below the first year
    above = run(case(m_uplift={"likely": 0.2}, customers=1_000, annual_spend=year_one * 1.01 / 200))
    below = run(case(m_uplift={"likely": 0.2}, customers=1_000, annual_spend=year_one * 0.99 / 200))
    assert som_findings(above) == []
    assert len(som_findings(below)) == 1


def test_no_som_check_when_the_som_is_zero():
    assert som_findings(run(case(customers=0))) == []
    assert som_findings(run(case(obtainable_share=0))) == []


# --------------------------------------------------------------------------- bounds against the framework
def test_revenue_per_customer_above_what_the_framework_takes_is_refused_on_the_field():
    inputs, problems = validate(Inputs, case(revenue_per_customer={"likely": 2e9}))
    assert inputs is None
    assert problems == [
        Problem(
            ("revenue_per_customer", "likely"),
            "Revenue per customer (most likely) must be between 0 and 1,000,000,000, got 2,000,000,000",
        )
    ]
    ok, _ = validate(Inputs, case(revenue_per_customer={"likely": 1e9}))
    assess(ok)


def test_an_uplift_that_takes_p_past_one_is_refused_on_the_uplift_field():
    _, problems = validate(Inputs, case(bass_source="own", p={"likely": 1.0}, p_uplift={"likely": 0.2}))
    assert problems == [
        Problem(("p_uplift",), "Uplift: innovation p takes p to 1.2 with cooperation; p must stay at most 1")
    ]


def test_uplifts_beyond_the_bass_bounds_fail_on_the_field_or_with_an_input_error():
    # p x (1 + p_uplift) above 1 is not a valid Bass p; each field alone is within its bounds
    data = case(bass_source="own", p={"likely": 1.0}, p_uplift={"likely": 0.2})
    inputs, problems = validate(Inputs, data)
    if inputs is None:
        assert problems
        return
    with pytest.raises(InputError, match=r"p × \(1 \+ p_uplift\)"):
        assess(inputs)


# --------------------------------------------------------------------------- registry and purity
def test_registered_sheet():
    assert SHEET.name == "market_growth"
    assert SHEET.kind == "framework"
    assert SHEET.inputs is Inputs and SHEET.assess is assess
    assert SHEET.sample == SAMPLE
    assert SHEET.title and SHEET.summary


def test_assess_does_not_change_its_inputs():
    inputs = Inputs.model_validate({**sample_inputs(), "draws": 1_000})
    before = copy.deepcopy(inputs.model_dump())
    assess(inputs)
    assert inputs.model_dump() == before


def test_currency_appears_in_the_headline():
    a = run(case(currency="USD", m_uplift={"likely": 0.2}))
    assert "USD of revenue" in a.headline and a.currency == "USD"


def test_years_set_the_horizon_of_every_table():
    a = run(case(years=12, m_uplift={"likely": 0.2}))
    assert len(a.tables["market"]) == 12 and len(a.tables["revenue"]) == 12
    assert a.headline.startswith("Over 12 years")
    assert np.all(np.isfinite(a.tables["market"].to_numpy()))
