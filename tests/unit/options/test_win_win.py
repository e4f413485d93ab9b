"""Tests for coopkit.options.win_win: the win-win worksheet's Inputs model and assess()."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.options.base import Assessment, Problem, validate
from coopkit.options.win_win import LEVEL, SHEET, SPLIT_LABELS, Inputs, assess
from coopkit.store.casefile import read_case, sample_case


def party(name: str, standalone: float | dict, **extra) -> dict:
    payoff = standalone if isinstance(standalone, dict) else {"likely": standalone}
    return {"name": name, "standalone_payoff": payoff, **extra}


def case(*parties: dict, value: float | dict = 100, **extra) -> dict:
    """Inputs data; by default two parties with stand-alone 20 and 40 and a partnership value of 100."""
    parties = parties or (party("A", 20), party("B", 40))
    pv = value if isinstance(value, dict) else {"likely": value}
    return {"parties": list(parties), "partnership_value": pv, **extra}


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


# --------------------------------------------------------------------------- Inputs: parties
def test_defaults():
    inputs = Inputs.model_validate(case())
    assert inputs.currency == "EUR"
    assert inputs.split_rule == "shapley"
    assert inputs.use_ranges is False
    assert (inputs.returns_to_pooling, inputs.draws, inputs.seed) == (1.0, 100_000, 0)
    p = inputs.parties[0]
    assert (p.contribution, p.bargaining_power, p.agreed_share) == (1.0, 1.0, 0.5)
    assert p.risk_adjustment.likely == 0.0


@pytest.mark.parametrize("n", [2, 3, 6])
def test_two_to_six_parties_are_accepted(n):
    data = case(*(party(f"P{j}", 10) for j in range(n)), value=100 * n)
    assert problems_of(data) == []


@pytest.mark.parametrize("n", [0, 1, 7])
def test_fewer_than_two_or_more_than_six_parties_are_refused(n):
    data = case(*(party(f"P{j}", 10) for j in range(n))) if n else {"parties": [], "partnership_value": {"likely": 1}}
    assert problems_of(data) == [Problem(("parties",), f"Parties must list 2 to 6 entries, got {n}")]


@pytest.mark.parametrize(
    ("first", "second"),
    [("Acme", "Acme"), ("Acme", "acme"), ("Acme", " ACME "), ("Straße", "STRASSE")],
)
def test_names_must_be_distinct_ignoring_case_and_surrounding_blanks(first, second):
    problems = problems_of(case(party(first, 20), party("Other", 10), party(second, 40)))
    assert [p.loc for p in problems] == [("parties", 0, "name"), ("parties", 2, "name")]
    assert problems[0].message == (f"Party 1: name '{first.strip()}' is also used by party 3; names must be distinct")
    assert problems[1].message == (f"Party 3: name '{second.strip()}' is also used by party 1; names must be distinct")


def test_a_name_used_three_times_lists_the_other_two():
    problems = problems_of(case(party("X", 1), party("x", 2), party("X ", 3)))
    assert problems[0].message == "Party 1: name 'X' is also used by party 2, 3; names must be distinct"
    assert len(problems) == 3


def test_blank_name_is_refused():
    problems = problems_of(case(party("   ", 20), party("B", 40)))
    assert problems == [Problem(("parties", 0, "name"), "Party 1: name must not be blank")]


@pytest.mark.parametrize(("name", "length"), [("", 0), ("x" * 41, 41)])
def test_names_are_1_to_40_characters(name, length):
    problems = problems_of(case(party("A", 20), party(name, 40)))
    assert problems == [Problem(("parties", 1, "name"), f"Party 2: Name must be 1 to 40 characters long, got {length}")]


def test_names_are_stripped_before_the_check():
    a = run(case(party("  Alpha ", 20), party("Beta", 40), split_rule="nash"))
    assert list(a.parties.index) == ["Alpha", "Beta"]


# --------------------------------------------------------------------------- Inputs: field bounds
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contribution", -1, "Party 2: What it brings must be between 0 and 1,000,000,000,000, got -1"),
        ("bargaining_power", 0, "Party 2: Bargaining power must be greater than 0 and at most 100, got 0"),
        ("bargaining_power", 101, "Party 2: Bargaining power must be greater than 0 and at most 100, got 101"),
        ("agreed_share", 1.5, "Party 2: Agreed share must be between 0 and 1, got 1.5"),
    ],
)
def test_party_field_bounds(field, value, message):
    problems = problems_of(case(party("A", 20), party("B", 40, **{field: value})))
    assert problems == [Problem(("parties", 1, field), message)]


def test_negative_expected_loss_is_refused():
    problems = problems_of(case(party("A", 20), party("B", 40, risk_adjustment={"likely": -5})))
    assert [p.message for p in problems] == [
        "Party 2: Expected loss from the deal (most likely) must be between 0 and 1,000,000,000,000, got -5"
    ]


def test_negative_stand_alone_payoff_is_allowed():
    assert problems_of(case(party("A", -20), party("B", 40))) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("returns_to_pooling", 0.5, "Returns to pooling must be between 1 and 5, got 0.5"),
        ("draws", 999, "Monte Carlo draws must be between 1,000 and 1,000,000, got 999"),
        ("draws", 1_000_001, "Monte Carlo draws must be between 1,000 and 1,000,000, got 1,000,001"),
        ("seed", -1, "Random seed must be between 0 and 4,294,967,295, got -1"),
        (
            "split_rule",
            "fair",
            "Split rule must be one of 'shapley', 'nash', 'proportional', 'equal' or 'explicit', got 'fair'",
        ),
    ],
)
def test_top_level_field_bounds(field, value, message):
    assert problems_of(case(**{field: value})) == [Problem((field,), message)]


@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "CHF"])
def test_iso_currency_codes_are_accepted(currency):
    assert problems_of(case(currency=currency)) == []


@pytest.mark.parametrize("currency", ["eur", "EURO", "E1R", ""])
def test_other_currency_codes_are_refused(currency):
    problems = problems_of(case(currency=currency))
    assert [p.loc for p in problems] == [("currency",)]
    assert problems[0].message.startswith("Currency")


def test_currency_message_names_the_rule_in_words_and_the_value_typed():
    assert problems_of(case(currency="eur")) == [
        Problem(("currency",), "Currency must be a three-letter ISO currency code in capitals, e.g. EUR, got 'eur'")
    ]


# --------------------------------------------------------------------------- Inputs: ranges
def test_unordered_ranges_are_ignored_while_ranges_are_off():
    data = case(party("A", {"likely": 20, "low": 30}), party("B", 40), value={"likely": 100, "high": 50})
    assert problems_of(data) == []
    assert problems_of({**data, "use_ranges": True}) != []


def test_unordered_ranges_are_reported_on_their_field_when_ranges_are_on():
    data = case(
        party("A", {"likely": 20, "low": 30, "high": 40}),
        party("B", 40, risk_adjustment={"likely": 5, "low": 0, "high": 2}),
        value={"likely": 100, "low": 90, "high": 50},
        use_ranges=True,
    )
    assert problems_of(data) == [
        Problem(
            ("parties", 0, "standalone_payoff"),
            "Party 1: Stand-alone payoff needs low <= most likely <= high, got low 30, most likely 20, high 40",
        ),
        Problem(
            ("parties", 1, "risk_adjustment"),
            "Party 2: Expected loss from the deal needs low <= most likely <= high, got low 0, most likely 5, high 2",
        ),
        Problem(
            ("partnership_value",),
            "Partnership value needs low <= most likely <= high, got low 90, most likely 100, high 50",
        ),
    ]


# --------------------------------------------------------------------------- Inputs: agreed shares
@pytest.mark.parametrize(("shares", "ok"), [((0.3, 0.7), True), ((0.5, 0.5), True), ((0.3, 0.3), False)])
def test_agreed_shares_must_add_up_to_one_for_the_explicit_split(shares, ok):
    data = case(party("A", 20, agreed_share=shares[0]), party("B", 40, agreed_share=shares[1]), split_rule="explicit")
    problems = problems_of(data)
    if ok:
        assert problems == []
    else:
        assert problems == [Problem(("parties",), "Agreed shares must add up to 1 for the agreed split, got 0.6")]


def test_agreed_shares_within_a_millionth_of_one_are_accepted():
    data = case(
        party("A", 20, agreed_share=1 / 3),
        party("B", 20, agreed_share=1 / 3),
        party("C", 20, agreed_share=0.3333333),
        split_rule="explicit",
    )
    assert problems_of(data) == []


def test_agreed_shares_are_not_checked_for_other_split_rules():
    data = case(party("A", 20, agreed_share=0.9), party("B", 40, agreed_share=0.9), split_rule="nash")
    assert problems_of(data) == []


# --------------------------------------------------------------------------- assess(): known answers
def test_nash_split_known_answer():
    # stand-alone 20 and 40, value 100: surplus 40, split equally -> shares 40 and 60, gains 20 and 20
    a = run(case(split_rule="nash"))
    assert a.parties["share"].tolist() == [40.0, 60.0]
    assert a.parties["gain"].tolist() == [20.0, 20.0]
    assert (a.verdict, a.level, a.passed) == ("win-win", "good", True)
    assert a.headline == "Every party gains (A +20, B +20 EUR a year)."
    assert a.worksheet == "win_win_check"
    assert a.probability is None
    assert set(a.tables) == {"splits"}


def test_lopsided_known_answer():
    # bargaining power 1 and 4: A gets 20 + 40/5 = 28, B 40 + 32 = 72; gains 8 and 32, balance 0.25 < 0.5
    a = run(case(party("A", 20), party("B", 40, bargaining_power=4), split_rule="nash"))
    assert a.parties["gain"].tolist() == pytest.approx([8.0, 32.0])
    assert (a.verdict, a.level, a.passed) == ("win-win but lopsided", "caution", True)
    assert a.headline.startswith("Every party gains, but unevenly (A +8, B +32 EUR")
    assert any(f.level == "caution" and "lopsided" in f.text for f in a.findings)


def test_win_win_on_paper_only_known_answer():
    # Nash shares 40 and 60, but B expects to lose 25 because of the deal: gains 20 and -5
    a = run(case(party("A", 20), party("B", 40, risk_adjustment={"likely": 25}), split_rule="nash"))
    assert a.parties["gain"].tolist() == [20.0, -5.0]
    assert a.parties["with_deal"].tolist() == [40.0, 35.0]
    assert (a.verdict, a.level, a.passed) == ("win-win on paper only", "bad", False)
    assert a.headline == "Every party gains on paper, not after expected losses (A +20, B -5 EUR a year)."


def test_not_win_win_known_answer():
    # stand-alone 20 and 60, value 100, equal split: 50 each, gains 30 and -10
    a = run(case(party("A", 20), party("B", 60), split_rule="equal"))
    assert a.parties["gain"].tolist() == [30.0, -10.0]
    assert (a.verdict, a.level, a.passed) == ("not win-win", "bad", False)
    assert a.headline == "Not every party gains (A +30, B -10 EUR a year)."
    # Shapley (equal contributions, two parties): 20 + 10 and 60 + 10 -> both gain 10
    assert "The shapley split would make it win-win: every party would gain." in [f.text for f in a.findings]


def test_explicit_split_known_answer():
    # agreed shares 0.4 and 0.6 of 100: 40 and 60, gains 20 and 20
    a = run(case(party("A", 20, agreed_share=0.4), party("B", 40, agreed_share=0.6), split_rule="explicit"))
    assert a.parties["share"].tolist() == pytest.approx([40.0, 60.0])
    assert a.verdict == "win-win"
    assert "explicit" in a.tables["splits"].index


def test_proportional_split_known_answer():
    # contributions 1 and 3 of 100: 25 and 75; gains 5 and 35 -> balance 1/7, lopsided
    a = run(case(party("A", 20, contribution=1), party("B", 40, contribution=3), split_rule="proportional"))
    assert a.parties["share"].tolist() == pytest.approx([25.0, 75.0])
    assert a.verdict == "win-win but lopsided"


def test_shapley_three_parties_known_answer():
    # d = 0, contributions 2, 1, 1 (total 4), returns to pooling 1: g(AB) = g(AC) = 3/4, g(BC) = 1/2.
    # Shapley of g: A = (0 + 0 + 3/4 + 3/4 + 1/2 + 1/2) / 6 = 5/12, B = C = 7/24.  V = 240 -> 100, 70, 70
    a = run(
        case(
            party("A", 0, contribution=2),
            party("B", 0, contribution=1),
            party("C", 0, contribution=1),
            value=240,
        )
    )
    assert a.parties["share"].tolist() == pytest.approx([100.0, 70.0, 70.0])
    assert a.verdict == "win-win"


def test_sample_case_known_answer():
    # Shapley with two parties gives each half the surplus: 820k - 680k = 140k -> +70k each,
    # then B's expected loss of 15k: gains 70,000 and 55,000 on paper
    inputs, problems = validate(Inputs, read_case(sample_case("win_win_two_party.json")).inputs)
    assert problems == []
    a = assess(inputs)
    assert a.parties.loc["Alder Roasters", "gain"] == pytest.approx(70_000)
    assert a.parties.loc["Birch & Bean", "gain"] == pytest.approx(55_000)
    assert a.verdict == "win-win"
    assert 0.9 < a.probability <= 1  # narrow ranges: nearly always win-win
    assert {"splits", "tornado", "gain_percentiles"} <= set(a.tables)


def test_currency_appears_in_the_headline():
    assert "USD a year" in run(case(split_rule="nash", currency="USD")).headline
    assert run(case(split_rule="nash", currency="USD")).currency == "USD"


def test_ranges_given_but_switched_off_are_not_used():
    data = case(party("A", {"likely": 20, "low": 10, "high": 30}), party("B", 40), draws=1_000, split_rule="nash")
    off = run(data)
    on = run({**data, "use_ranges": True})
    assert off.probability is None and "tornado" not in off.tables
    assert on.probability is not None and 0 <= on.probability <= 1
    assert on.tables["tornado"]["label"].tolist() == ["stand-alone payoff of A"]
    # the figures on paper are the most likely values either way
    assert on.parties["gain"].tolist() == off.parties["gain"].tolist() == [20.0, 20.0]


def test_ranges_make_a_probability_between_zero_and_one():
    # the value can fall to 50, below the 60 the parties earn apart: not always win-win
    data = case(value={"likely": 100, "low": 50, "high": 130}, use_ranges=True, draws=2_000, split_rule="equal")
    a = run(data)
    assert 0 < a.probability < 1
    assert list(a.tables["gain_percentiles"].columns) == ["p5", "p50", "p95"]
    assert a.assumptions[-1].startswith("Ranges are independent beta-PERT")


def test_same_seed_same_probability_other_seed_other_draws():
    data = case(value={"likely": 100, "low": 50, "high": 130}, use_ranges=True, draws=2_000, split_rule="equal")
    assert run(data).probability == run(data).probability
    margins = [run({**data, "seed": s}).details.monte_carlo.margin for s in (0, 1)]
    assert not np.array_equal(*margins)


def test_contributions_adding_up_to_zero_fail_in_assess_with_an_input_error():
    # each contribution is allowed (>= 0) but the pooling game needs some contribution
    inputs, problems = validate(Inputs, case(party("A", 20, contribution=0), party("B", 40, contribution=0)))
    assert problems == []
    with pytest.raises(InputError, match=r"^contribution must add up to more than 0, got \[0\.0, 0\.0\]$"):
        assess(inputs)


def test_levels_map_every_verdict():
    assert LEVEL == {
        "win-win": "good",
        "win-win but lopsided": "caution",
        "win-win on paper only": "bad",
        "not win-win": "bad",
    }


def test_registered_sheet_and_labels():
    assert SHEET.name == "win_win_check"
    assert SHEET.inputs is Inputs and SHEET.assess is assess
    assert set(SPLIT_LABELS) == {"shapley", "nash", "proportional", "equal", "explicit"}


def test_assess_does_not_change_its_inputs():
    inputs = Inputs.model_validate(case(split_rule="nash"))
    before = copy.deepcopy(inputs.model_dump())
    assess(inputs)
    assert inputs.model_dump() == before


def test_every_field_has_a_title_and_a_description():
    from coopkit.options.win_win import Party

    for model in (Inputs, Party):
        for name, info in model.model_fields.items():
            assert info.title, name
            assert info.description, name


# --------------------------------------------------------------------------- fuzzing
_json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
_json = st.recursive(
    _json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
_number = st.floats() | st.integers(-(10**15), 10**15) | _json_scalar
_uncertain = st.fixed_dictionaries({"likely": _number}, optional={"low": _number, "high": _number}) | _json
_party = st.fixed_dictionaries(
    {"name": st.text(max_size=45) | _json, "standalone_payoff": _uncertain},
    optional={
        "contribution": _number,
        "bargaining_power": _number,
        "agreed_share": _number,
        "risk_adjustment": _uncertain,
        "extra": _json,
    },
)
_inputs = st.fixed_dictionaries(
    {"parties": st.lists(_party, max_size=7), "partnership_value": _uncertain},
    optional={
        "currency": st.text(max_size=4),
        "split_rule": st.sampled_from(["shapley", "nash", "proportional", "equal", "explicit", "other"]),
        "use_ranges": st.booleans() | _json,
        "returns_to_pooling": _number,
        "draws": _number,
        "seed": _number,
    },
)


@given(st.one_of(_inputs, _json))
def test_any_data_validates_or_yields_readable_problems(data):
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.loc, tuple)
        assert isinstance(problem.message, str) and problem.message.strip()


_money = st.floats(-1e6, 1e6, allow_nan=False)
_cost = st.floats(0, 1e5, allow_nan=False)


@given(
    st.lists(
        st.fixed_dictionaries(
            {"name": st.text(min_size=1, max_size=40), "standalone_payoff": st.fixed_dictionaries({"likely": _money})},
            optional={
                "contribution": st.floats(0, 100),
                "bargaining_power": st.floats(0.01, 100),
                "risk_adjustment": st.fixed_dictionaries({"likely": _cost}),
            },
        ),
        min_size=2,
        max_size=6,
    ),
    _money,
    st.sampled_from(["shapley", "nash", "proportional", "equal"]),
)
def test_valid_inputs_assess_to_a_consistent_verdict_or_an_input_error(parties, value, rule):
    inputs, _ = validate(Inputs, case(*parties, value=value, split_rule=rule))
    if inputs is None:
        return
    try:
        a = assess(inputs)
    except InputError:
        return
    gains = a.parties["gain"].to_numpy()
    assert a.passed == bool((gains > 1e-9).all())
    assert a.level == LEVEL[a.verdict]
    # the shares always add up to the partnership value
    assert a.parties["share"].sum() == pytest.approx(value, abs=1e-6 * max(1.0, abs(value)))
