"""Tests for coopkit.options.base: the shared worksheet shape, validation messages and the registry."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from typing import Literal

import pandas as pd
import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coopkit import options
from coopkit.errors import InputError
from coopkit.frameworks.findings import Finding
from coopkit.options import base, win_win
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    NonNegativeUncertain,
    Problem,
    Uncertain,
    Worksheet,
    describe_loc,
    field_bounds,
    raise_problems,
    register,
    registry,
    validate,
)
from coopkit.options.win_win import Inputs, Party


# --------------------------------------------------------------------------- a small model to validate
class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field("x", min_length=1, max_length=5, title="Label")
    amount: Uncertain = Field(default_factory=Uncertain, title="Amount")


class Demo(InputsModel):
    share: float = Field(0.5, ge=0, le=1, title="Revenue share")
    weight: float = Field(1.0, gt=0, le=10, title="Weight")
    floor_only: float = Field(0.0, ge=-5, title="Floor")
    cap_only: float = Field(0.0, lt=3, title="Cap")
    count: int = Field(2, ge=1, le=9, title="Count")
    kind: Literal["a", "b"] = Field("a", title="Kind")
    untitled_field: float = Field(0.0, ge=0, le=1)
    rows: list[Row] = Field(
        default_factory=lambda: [Row()],
        min_length=1,
        max_length=3,
        title="Rows",
        json_schema_extra={"item_title": "Row"},
    )


def messages(data) -> list[str]:
    inputs, problems = validate(Demo, data)
    assert inputs is None
    return [p.message for p in problems]


# --------------------------------------------------------------------------- validate(): messages
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"share": 1.4}, "Revenue share must be between 0 and 1, got 1.4"),
        ({"share": -0.25}, "Revenue share must be between 0 and 1, got -0.25"),
        ({"weight": 0}, "Weight must be greater than 0 and at most 10, got 0"),
        ({"weight": 11}, "Weight must be greater than 0 and at most 10, got 11"),
        ({"floor_only": -6}, "Floor must be at least -5, got -6"),
        ({"cap_only": 3}, "Cap must be less than 3, got 3"),
        ({"count": 0}, "Count must be between 1 and 9, got 0"),
        ({"count": 2.5}, "Count must be a whole number between 1 and 9, got 2.5"),
        ({"count": "many"}, "Count must be a whole number between 1 and 9, got 'many'"),
        ({"share": "half"}, "Revenue share must be a number between 0 and 1, got 'half'"),
        ({"share": None}, "Revenue share must be a number between 0 and 1, got None"),
        ({"share": float("nan")}, "Revenue share must be between 0 and 1, got nan"),
        ({"share": float("inf")}, "Revenue share must be between 0 and 1, got inf"),
        ({"share": 2_500_000}, "Revenue share must be between 0 and 1, got 2,500,000"),  # thousands separators
        ({"kind": "c"}, "Kind must be one of 'a' or 'b', got 'c'"),
        ({"untitled_field": 2}, "Untitled field must be between 0 and 1, got 2"),  # no title: from the name
        ({"rows": []}, "Rows must list 1 to 3 entries, got 0"),
        ({"rows": [{}, {}, {}, {}]}, "Rows must list 1 to 3 entries, got 4"),
        ({"rows": [{}, {"label": ""}]}, "Row 2: Label must be 1 to 5 characters long, got 0"),
        ({"rows": [{"label": "toolong"}]}, "Row 1: Label must be 1 to 5 characters long, got 7"),
        ({"rows": [{}, {}, {"amount": {"low": -2e12}}]}, "Row 3: Amount (low) must be between "),
        ({"bogus": 1}, "bogus is not a field of this worksheet"),
        ({"rows": [{"bogus": 1}]}, "Row 1: bogus is not a field of this worksheet"),
    ],
)
def test_field_errors_become_messages_naming_title_range_and_value(data, message):
    (got,) = messages(data)
    assert got.startswith(message)


def test_out_of_range_money_message_names_the_limits_in_full():
    (got,) = messages({"rows": [{"amount": {"likely": 2e12}}]})
    assert got == (
        "Row 1: Amount (most likely) must be between -1,000,000,000,000 and 1,000,000,000,000, got 2,000,000,000,000"
    )


def test_missing_required_field_says_it_is_required():
    _, problems = validate(Inputs, {"parties": [{"name": "A", "standalone_payoff": {}}] * 2})
    assert Problem(("partnership_value",), "Partnership value is required") in problems


def test_problems_carry_the_location_of_their_field():
    _, problems = validate(Demo, {"rows": [{}, {"amount": {"high": "x"}}], "share": 3})
    assert {p.loc for p in problems} == {("share",), ("rows", 1, "amount", "high")}


def test_every_error_is_reported_not_only_the_first():
    assert len(messages({"share": 3, "weight": -1, "count": 0, "kind": "z"})) == 4


@pytest.mark.parametrize("data", [None, [1, 2], "text", 3])
def test_data_that_is_not_an_object_is_a_whole_form_problem(data):
    inputs, problems = validate(Demo, data)
    assert inputs is None
    assert len(problems) == 1
    assert problems[0].loc == ()
    assert problems[0].message.startswith("Input must be a set of named fields, got ")


def test_valid_data_gives_the_inputs_and_no_problems():
    inputs, problems = validate(Demo, {"share": 0.25, "rows": [{"label": "ab"}]})
    assert problems == []
    assert isinstance(inputs, Demo)
    assert inputs.share == 0.25
    assert inputs.rows[0].label == "ab"


def test_cross_field_problems_reject_the_inputs():
    class Pair(InputsModel):
        low: float = 0.0
        high: float = 1.0

        def problems(self):
            return [Problem(("high",), "high must exceed low")] if self.high <= self.low else []

    assert validate(Pair, {"low": 0, "high": 2}) == (Pair(low=0, high=2), [])
    assert validate(Pair, {"low": 3, "high": 2}) == (None, [Problem(("high",), "high must exceed low")])


def test_field_errors_skip_the_cross_field_checks():
    calls = []

    class Spy(InputsModel):
        x: float = Field(0, ge=0)

        def problems(self):
            calls.append(1)
            return []

    validate(Spy, {"x": -1})
    assert calls == []


# --------------------------------------------------------------------------- InputsModel
def test_inputs_model_forbids_unknown_fields_and_validates_assignment():
    demo = Demo()
    assert demo.problems() == []
    with pytest.raises(ValidationError):
        Demo(nonsense=1)
    with pytest.raises(ValidationError):
        demo.share = 2
    assert demo.share == 0.5


# --------------------------------------------------------------------------- Uncertain
def test_uncertain_defaults_to_a_point_at_zero():
    u = Uncertain()
    assert (u.likely, u.low, u.high) == (0.0, None, None)
    assert u.range_problem() is None
    assert u.estimate(True) == 0.0


@pytest.mark.parametrize(
    ("low", "likely", "high"),
    [(None, 5, None), (1, 5, 9), (5, 5, 5), (None, 5, 9), (1, 5, None), (-10, -5, 0)],
)
def test_ordered_or_missing_range_has_no_problem(low, likely, high):
    assert Uncertain(low=low, likely=likely, high=high).range_problem() is None


def test_low_above_likely_is_a_range_problem():
    assert Uncertain(low=120, likely=100).range_problem() == (
        "needs low <= most likely <= high, got low 120, most likely 100, high 100"  # missing high = likely
    )


def test_high_below_likely_is_a_range_problem_with_thousands_separators():
    assert Uncertain(low=1_000, likely=250_000, high=200_000).range_problem() == (
        "needs low <= most likely <= high, got low 1,000, most likely 250,000, high 200,000"
    )


def test_range_problem_shows_million_amounts_exactly():
    # with 6 significant digits, low 1,000,005 and likely 1,000,001 would both read "1e+06"
    assert Uncertain(low=1_000_005, likely=1_000_001, high=1_000_010).range_problem() == (
        "needs low <= most likely <= high, got low 1,000,005, most likely 1,000,001, high 1,000,010"
    )


def test_range_problem_shows_fractions_as_typed():
    assert Uncertain(low=2.5, likely=1.25).range_problem() == (
        "needs low <= most likely <= high, got low 2.5, most likely 1.25, high 1.25"
    )


def test_estimate_without_ranges_is_the_likely_value():
    u = Uncertain(low=80, likely=100, high=150)
    assert u.estimate(False) == 100.0
    assert isinstance(u.estimate(False), float)


def test_estimate_with_ranges_is_a_triple_missing_ends_taking_the_likely_value():
    assert Uncertain(low=80, likely=100, high=150).estimate(True) == (80.0, 100.0, 150.0)
    assert Uncertain(low=80, likely=100).estimate(True) == (80.0, 100.0, 100.0)
    assert Uncertain(likely=100, high=150).estimate(True) == (100.0, 100.0, 150.0)
    assert Uncertain(likely=100).estimate(True) == 100.0  # no range given: still a number


def test_uncertain_forbids_unknown_fields():
    with pytest.raises(ValidationError):
        Uncertain(likely=1, mode=2)


def test_uncertain_money_is_bounded_by_the_money_limit():
    Uncertain(likely=-MONEY_LIMIT, low=-MONEY_LIMIT, high=MONEY_LIMIT)
    with pytest.raises(ValidationError):
        Uncertain(likely=MONEY_LIMIT * 1.01)


def test_non_negative_uncertain_rejects_negative_values():
    NonNegativeUncertain(likely=0, low=0, high=5)
    for bad in ({"likely": -1}, {"low": -0.01}, {"high": -3}):
        with pytest.raises(ValidationError):
            NonNegativeUncertain(**bad)
    u = NonNegativeUncertain(likely=1)
    with pytest.raises(ValidationError):
        u.likely = -1  # assignment is validated too
    assert u.likely == 1


def test_non_negative_uncertain_message_names_zero_as_the_floor():
    class Cost(InputsModel):
        loss: NonNegativeUncertain = Field(default_factory=NonNegativeUncertain, title="Expected loss")

    _, problems = validate(Cost, {"loss": {"likely": -5}})
    assert [p.message for p in problems] == [
        "Expected loss (most likely) must be between 0 and 1,000,000,000,000, got -5"
    ]


# --------------------------------------------------------------------------- field_bounds, describe_loc
@pytest.mark.parametrize(
    ("info", "bounds"),
    [
        (Uncertain.model_fields["likely"], {"ge": -MONEY_LIMIT, "le": MONEY_LIMIT}),
        (NonNegativeUncertain.model_fields["low"], {"ge": 0.0, "le": MONEY_LIMIT}),
        (Party.model_fields["bargaining_power"], {"gt": 0, "le": 100}),
        (Party.model_fields["agreed_share"], {"ge": 0, "le": 1}),
        (Demo.model_fields["cap_only"], {"lt": 3}),
        (Party.model_fields["name"], {}),  # string lengths are not numeric bounds
        (Inputs.model_fields["split_rule"], {}),
    ],
)
def test_field_bounds(info, bounds):
    assert field_bounds(info) == bounds


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (("partnership_value",), "Partnership value"),
        (("partnership_value", "likely"), "Partnership value (most likely)"),
        (("partnership_value", "low"), "Partnership value (low)"),
        (("parties",), "Parties"),
        (("parties", 0), "Party 1"),
        (("parties", 1, "name"), "Party 2: Name"),
        (("parties", 1, "standalone_payoff", "likely"), "Party 2: Stand-alone payoff (most likely)"),
        (("parties", 5, "risk_adjustment", "high"), "Party 6: Expected loss from the deal (high)"),
        (("parties", 2, "contribution"), "Party 3: What it brings"),
        (("draws",), "Monte Carlo draws"),
        (("no_such_field",), "no_such_field"),
        (("parties", 0, "no_such_field"), "Party 1: no_such_field"),
    ],
)
def test_describe_loc_names_fields_as_the_form_shows_them(loc, name):
    assert describe_loc(Inputs, loc) == name


def test_describe_loc_of_a_bare_uncertain_part_is_its_title():
    assert describe_loc(Uncertain, ("low",)) == "Low"
    assert describe_loc(Uncertain, ("likely",)) == "Most likely"


def test_list_items_without_item_title_use_the_list_title():
    class Plain(BaseModel):
        things: list[Row] = Field(title="Things")

    assert describe_loc(Plain, ("things", 2, "label")) == "Things 3: Label"


# --------------------------------------------------------------------------- raise_problems
def test_raise_problems_does_nothing_without_problems():
    assert raise_problems([]) is None


def test_raise_problems_raises_the_first_with_a_dotted_field():
    with pytest.raises(InputError, match=r"^Party 2: Name must be 1 to 40 characters long, got 0$") as info:
        raise_problems([Problem(("parties", 1, "name"), "Party 2: Name must be 1 to 40 characters long, got 0")])
    assert info.value.field == "parties.1.name"


def test_raise_problems_counts_the_others():
    problems = [Problem(("a",), "first"), Problem(("b",), "second"), Problem(("c",), "third")]
    with pytest.raises(InputError, match=r"^first \(and 2 more problem\(s\)\)$"):
        raise_problems(problems)


def test_raise_problems_of_the_whole_form_names_the_inputs():
    with pytest.raises(InputError, match=r"^Agreed shares") as info:
        raise_problems([Problem((), "Agreed shares must add up to 1")])
    assert info.value.field == "inputs"


# --------------------------------------------------------------------------- Assessment
def _assessment(probability=None) -> Assessment:
    return Assessment(
        worksheet="demo",
        verdict="win-win",
        level="good",
        passed=True,
        headline="Every party gains.",
        findings=[Finding("good", "A gains."), Finding("caution", "B gains less.")],
        parties=pd.DataFrame({"gain": [1.0]}, index=["A"]),
        probability=probability,
    )


def test_assessment_report_lists_verdict_headline_and_findings():
    assert _assessment().report() == (
        "Verdict: WIN-WIN\nEvery party gains.\n\n[good] A gains.\n[caution] B gains less."
    )


def test_assessment_report_adds_the_probability_when_computed():
    assert _assessment(0.1234).report().endswith("\n\nP(win-win): 12.3%")


def test_assessment_defaults():
    a = _assessment()
    assert (a.tables, a.probability, a.currency, a.assumptions, a.details) == ({}, None, "EUR", [], None)


# --------------------------------------------------------------------------- registry
@pytest.fixture
def private_registry(monkeypatch):
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))


#: The worksheets coopkit ships (any new option module adds its own).
BUILT_IN = tuple(options.names())


def _sheet(name: str = "demo_sheet") -> Worksheet:
    return Worksheet(name=name, title="Demo", kind="framework", inputs=Demo, assess=lambda _i: _assessment())


def test_registry_holds_the_win_win_check():
    sheets = registry()
    assert sheets["win_win_check"].inputs is Inputs
    assert sheets["win_win_check"].sample == "win_win_two_party.json"


def test_register_adds_and_returns_the_sheet(private_registry):
    sheet = _sheet()
    assert register(sheet) is sheet
    assert registry()["demo_sheet"] is sheet
    assert register(sheet) is sheet  # registering the same sheet again is harmless


def test_register_refuses_a_second_sheet_with_the_same_name(private_registry):
    register(_sheet())
    with pytest.raises(ValueError, match=r"^worksheet 'demo_sheet' is already registered$"):
        register(_sheet())


def test_registry_returns_a_copy(private_registry):
    sheets = registry()
    sheets["intruder"] = _sheet("intruder")
    assert "intruder" not in registry()


# --------------------------------------------------------------------------- coopkit.options: get(), names()
def test_names_lists_the_registered_worksheets_sorted():
    names = options.names()
    assert "win_win_check" in names
    assert names == sorted(options.load_all())


def test_every_worksheet_module_is_in_the_map_and_registers_the_sheet_it_is_mapped_to():
    # Every module under coopkit/options that defines a SHEET is listed in MODULES under that sheet's name,
    # so get() can import a worksheet on its own and no worksheet is missing from names().
    found = {}
    for info in pkgutil.walk_packages(options.__path__, prefix="coopkit.options."):
        module = importlib.import_module(info.name)
        if isinstance(getattr(module, "SHEET", None), Worksheet):
            found[module.SHEET.name] = info.name
    assert found == options.MODULES


def test_get_imports_only_the_worksheet_asked_for():
    # A fresh interpreter: asking for the win-win check must not import the helping network's SciPy or networkx.
    code = (
        "import sys; from coopkit import options; options.get('win_win_check'); "
        "print(sorted(m for m in ('networkx', 'coopkit.options.sales.mentoring', 'coopkit.options.referrals') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_get_finds_a_worksheet_by_name():
    sheet = options.get("win_win_check")
    assert sheet.title == "Win-win check"
    assert sheet.kind == "framework"
    assert sheet.assess is win_win.assess


def test_get_unknown_name_raises_naming_the_choices():
    with pytest.raises(
        InputError, match=rf"^worksheet must be one of {re.escape(', '.join(options.names()))}, got 'nope'$"
    ) as info:
        options.get("nope")
    assert info.value.field == "worksheet"


def test_get_lists_every_choice(private_registry):
    register(_sheet("another_sheet"))
    assert options.names() == sorted(["another_sheet", *BUILT_IN])
    with pytest.raises(
        InputError, match=rf"be one of {re.escape(', '.join(sorted(['another_sheet', *BUILT_IN])))}, got 'nope'$"
    ):
        options.get("nope")


# --------------------------------------------------------------------------- messages for values of the wrong type
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"currency": 5}, "Currency must be text, got 5"),
        ({"parties": 3}, "Parties must be a list of entries, got 3"),
        ({"parties": [5]}, "Party 1 must be a set of named fields, got 5"),
    ],
)
def test_a_value_of_the_wrong_type_is_explained_in_words_not_pydantics(data, message):
    _, problems = validate(Inputs, data)
    assert message in [p.message for p in problems]


def test_a_very_long_value_is_cut_in_the_message():
    _, problems = validate(Inputs, {"currency": "x" * 5_000})
    (currency,) = [p.message for p in problems if p.message.startswith("Currency")]
    assert currency.endswith("...") and len(currency) < 200
