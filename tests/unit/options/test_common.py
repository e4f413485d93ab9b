"""Tests for coopkit.options.common: the verdict every option gives, the sensitivity table, the shared fields."""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from coopkit.errors import InputError
from coopkit.frameworks import antitrust, reputation, winwin
from coopkit.frameworks.findings import Finding
from coopkit.options.base import InputsModel, NonNegativeUncertain, Problem, Uncertain
from coopkit.options.common import (
    P_WIN_WIN_FLOOR,
    GuardrailFields,
    ReputationFields,
    decide,
    parse_numbers,
    sensitivity,
    text_problem,
)

AB = ["A", "B"]

# --------------------------------------------------------------------------- the frameworks' results decide() reads
# Nash split of 100 between A (20 alone) and B (40 alone): each gains 20, balance 1.
BALANCED = winwin.check(AB, [20, 40], 100, split_rule="nash")
# Equal split of 100 with B earning 60 alone: B loses 10.
LOSING = winwin.check(AB, [20, 60], 100, split_rule="equal")
# Nash split, B expects to lose 25 through the deal: gains 20 and -5 after risk, 20 and 20 on paper.
PAPER_ONLY = winwin.check(AB, [20, 40], 100, split_rule="nash", risk_adjustment=[0, 25])
# Bargaining weights 9:1: gains 36 and 4, balance 4 / 36 = 0.11.
LOPSIDED = winwin.check(AB, [20, 40], 100, split_rule="nash", bargaining_power=[9, 1])

# The reputation framework's docstring partner: severe without mitigations, high with two of them.
SEVERE = reputation.assess({"quality": 4, "incidents": 4}, revenue=2_000_000, customers_lost=0.1)
HIGH = reputation.assess(
    {"quality": 4, "incidents": 4},
    revenue=2_000_000,
    customers_lost=0.1,
    mitigations=["quality_clauses", "exit_rights"],
)
MODERATE = reputation.assess(
    {"quality": 2, "incidents": 2}, revenue=2_000_000, customers_lost=0.01, exposure="back-office"
)

# Guardrails: within the R&D share in an unconcentrated market; above the commercialisation share;
# kind "other" with a US presumption; within the R&D share in a concentrated market (HHI 2,036, rise 10).
GUARD_GOOD = antitrust.assess([0.1, 0.05], "rnd")
GUARD_ABOVE = antitrust.assess([0.2, 0.15], "commercialisation")
GUARD_OTHER = antitrust.assess([0.3, 0.2], "other", other_shares=[0.3])
GUARD_CONCENTRATED = antitrust.assess([0.05, 0.01], "rnd", other_shares=[0.4, 0.2])


def test_the_fixtures_are_what_their_comments_say():
    assert BALANCED.win_win and not BALANCED.lopsided
    assert not LOSING.win_win and not LOSING.win_win_on_paper
    assert PAPER_ONLY.win_win_on_paper and not PAPER_ONLY.win_win
    assert LOPSIDED.win_win and LOPSIDED.lopsided and LOPSIDED.balance == pytest.approx(4 / 36)
    assert (SEVERE.after.rating, HIGH.after.rating, MODERATE.after.rating) == ("severe", "high", "moderate")
    assert (GUARD_GOOD.level, GUARD_ABOVE.level, GUARD_OTHER.level, GUARD_CONCENTRATED.level) == (
        "good",
        "bad",
        "bad",
        "caution",
    )
    assert GUARD_CONCENTRATED.hhi_after == 2036.0 and GUARD_CONCENTRATED.within_eu_threshold is True
    assert GUARD_OTHER.us_presumption and GUARD_OTHER.within_eu_threshold is None


def texts(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings]


# --------------------------------------------------------------------------- decide: no-go
def test_not_win_win_at_all_is_no_go():
    verdict, level, passed, out = decide(LOSING, MODERATE, GUARD_GOOD, 0.95)
    assert (verdict, level, passed) == ("no-go", "bad", False)
    assert out == [Finding("bad", "No-go: not every party gains.")]


def test_win_win_on_paper_only_is_no_go_with_its_own_reason():
    verdict, level, passed, out = decide(PAPER_ONLY, None, None)
    assert (verdict, level, passed) == ("no-go", "bad", False)
    assert out == [Finding("bad", "No-go: win-win on paper only: costs or expected losses leave a party worse off.")]


def test_a_loss_outranks_every_other_reason():
    # severe risk, a guardrail above its share, a low P(win-win) and extras: only the loss is named
    _, _, _, out = decide(LOSING, SEVERE, GUARD_ABOVE, 0.1, extra=["something else"])
    assert texts(out) == ["No-go: not every party gains."]


def test_severe_reputation_risk_is_no_go_even_when_win_win():
    verdict, level, passed, out = decide(BALANCED, SEVERE, GUARD_GOOD, 0.99)
    assert (verdict, level, passed) == ("no-go", "bad", False)
    assert out == [Finding("bad", "No-go: the partners' reputation risk to us is severe even after mitigations.")]
    # the severe no-go is not softened into conditions by anything else that is wrong
    _, _, _, out = decide(LOPSIDED, SEVERE, GUARD_ABOVE, 0.5, extra=["x"])
    assert len(out) == 1 and out[0].level == "bad"


# --------------------------------------------------------------------------- decide: go and go with conditions
def test_go_when_nothing_is_wrong():
    assert decide(BALANCED, None, None) == ("go", "good", True, [])
    assert decide(BALANCED, MODERATE, GUARD_GOOD, 0.95) == ("go", "good", True, [])


def test_lopsided_gains_are_a_condition_with_the_balance():
    verdict, level, passed, out = decide(LOPSIDED, None, None)
    assert (verdict, level, passed) == ("go with conditions", "caution", True)
    assert out == [
        Finding("caution", "Condition: the gains are lopsided (balance 0.11); rebalance the split so the deal lasts.")
    ]


def test_high_reputation_risk_is_a_condition():
    assert decide(BALANCED, HIGH, None) == (
        "go with conditions",
        "caution",
        True,
        [Finding("caution", "Condition: reputation risk is high: add quality clauses, audits or exit rights.")],
    )


def test_a_guardrail_above_its_threshold_is_a_condition():
    _, _, _, out = decide(BALANCED, None, GUARD_ABOVE)
    assert texts(out) == ["Condition: competition law: above a safe-harbour threshold; have counsel assess it."]


def test_a_us_presumption_within_the_eu_share_is_a_condition():
    guard = antitrust.assess([0.2, 0.05], "rnd", other_shares=[0.5])  # 25 %, HHI 3,125, rise 200
    assert guard.within_eu_threshold is True and guard.us_presumption
    verdict, _, _, out = decide(BALANCED, None, guard)
    assert verdict == "go with conditions"
    assert texts(out) == ["Condition: competition law: above a safe-harbour threshold; have counsel assess it."]


def test_no_safe_harbour_in_a_concentrated_market_is_a_condition():
    # Every kind but "other" has an EU share, so this branch needs a hand-made result: no threshold, HHI 2,036.
    guard = dataclasses.replace(GUARD_CONCENTRATED, eu_threshold=None, within_eu_threshold=None)
    assert guard.level == "caution"
    verdict, _, _, out = decide(BALANCED, None, guard)
    assert verdict == "go with conditions"
    assert texts(out) == [
        "Condition: competition law: a concentrated market and no safe harbour; have counsel review the scope."
    ]
    # unconcentrated: no condition
    calm = dataclasses.replace(guard, hhi_after=1_800.0)
    assert decide(BALANCED, None, calm)[0] == "go"


def test_within_the_safe_harbour_in_a_concentrated_market_is_no_condition():
    # level "caution", but the cooperation is within its EU share and no US presumption applies
    assert decide(BALANCED, None, GUARD_CONCENTRATED) == ("go", "good", True, [])


def test_kind_other_is_never_a_condition():
    # a charitable cause away from the market: flagged by the guardrails, never a condition of the verdict
    assert GUARD_OTHER.level == "bad"
    assert decide(BALANCED, None, GUARD_OTHER) == ("go", "good", True, [])
    concentrated_other = antitrust.assess([0.01], "other", other_shares=[0.5])
    assert concentrated_other.hhi_after > 1_800 and concentrated_other.within_eu_threshold is None
    assert decide(BALANCED, None, concentrated_other)[0] == "go"


@pytest.mark.parametrize(("p", "verdict"), [(0.79, "go with conditions"), (0.7999, "go with conditions"), (0.8, "go")])
def test_p_win_win_below_the_floor_is_a_condition(p, verdict):
    assert P_WIN_WIN_FLOOR == 0.8
    assert decide(BALANCED, None, None, p)[0] == verdict


def test_p_win_win_condition_wording():
    _, _, _, out = decide(BALANCED, None, None, 0.6)
    assert out == [
        Finding(
            "caution",
            "Condition: win-win in only 60.0% of scenarios; narrow the uncertainty or build in a review point.",
        )
    ]
    assert decide(BALANCED, None, None, 1.0)[0] == "go"
    assert decide(BALANCED, None, None, None)[0] == "go"  # no ranges, no probability


def test_p_win_win_just_below_the_floor_does_not_read_as_the_floor():
    _, _, _, out = decide(BALANCED, None, None, 0.796)
    assert len(out) == 1
    assert "only 80%" not in out[0].text


def test_extra_conditions_come_last_in_order():
    verdict, level, passed, out = decide(BALANCED, None, None, extra=["first thing", "second thing"])
    assert (verdict, level, passed) == ("go with conditions", "caution", True)
    assert out == [Finding("caution", "Condition: first thing."), Finding("caution", "Condition: second thing.")]


def test_every_condition_at_once_in_order():
    _, _, _, out = decide(LOPSIDED, HIGH, GUARD_ABOVE, 0.5, extra=["C would do better alone"])
    assert texts(out) == [
        "Condition: the gains are lopsided (balance 0.11); rebalance the split so the deal lasts.",
        "Condition: reputation risk is high: add quality clauses, audits or exit rights.",
        "Condition: competition law: above a safe-harbour threshold; have counsel assess it.",
        "Condition: win-win in only 50.0% of scenarios; narrow the uncertainty or build in a review point.",
        "Condition: C would do better alone.",
    ]
    assert all(f.level == "caution" for f in out)


# --------------------------------------------------------------------------- sensitivity: a small model to swing
class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=20, title="Name")
    amount: NonNegativeUncertain = Field(default_factory=NonNegativeUncertain, title="Amount")
    weight: float = Field(1.0, ge=0, le=1.1, title="Weight")


class Demo(InputsModel):
    items: list[Item] = Field(default_factory=list, title="Items", json_schema_extra={"item_title": "Item"})
    rate: float = Field(0.5, ge=0, le=0.55, title="Rate")
    value: Uncertain = Field(default_factory=lambda: Uncertain(likely=50.0), title="Value")
    flag: bool = Field(False, title="Flag")
    use_ranges: bool = Field(False, title="Use ranges")
    cap: float = Field(1_000.0, ge=0, le=1e6, title="Cap")

    def problems(self) -> list[Problem]:
        return [Problem(("value",), "Value must be at most the cap")] if self.value.likely > self.cap else []


def demo_margin(inputs: Demo) -> float:
    """100 x rate + value + sum of amount x weight."""
    return inputs.rate * 100 + inputs.value.likely + sum(i.amount.likely * i.weight for i in inputs.items)


COLUMNS = ["input", "label", "low", "high", "margin_at_low", "margin_at_high", "swing"]


def row(table: pd.DataFrame, name: str) -> dict:
    rows = table[table["input"] == name]
    assert len(rows) == 1, name
    return rows.iloc[0].to_dict()


def test_a_plain_number_swings_20_percent_within_its_bounds():
    # rate 0.5: 0.4 to 0.6, clipped to its maximum 0.55; margin 40 + 50 and 55 + 50
    t = sensitivity(Demo(), demo_margin, [("rate",)])
    assert list(t.columns) == COLUMNS
    assert row(t, "rate") == pytest.approx(
        {
            "input": "rate",
            "label": "rate",
            "low": 0.4,
            "high": 0.55,
            "margin_at_low": 90.0,
            "margin_at_high": 105.0,
            "swing": 15.0,
        }
    )


def test_the_swing_parameter_sets_the_width():
    t = sensitivity(Demo(), demo_margin, [("value",)], swing=0.5)
    assert (row(t, "value")["low"], row(t, "value")["high"]) == (25.0, 75.0)


def test_an_uncertain_amount_swings_its_range_when_ranges_are_used():
    data = {"value": {"likely": 50.0, "low": 10.0, "high": 90.0}}
    off = sensitivity(Demo(**data), demo_margin, [("value",)])
    on = sensitivity(Demo(**data, use_ranges=True), demo_margin, [("value",)])
    # ranges off: ±20 % of 50, even though low and high are given
    assert (row(off, "value")["low"], row(off, "value")["high"]) == (40.0, 60.0)
    assert (row(off, "value")["margin_at_low"], row(off, "value")["margin_at_high"]) == (90.0, 110.0)
    # ranges on: the range; margin 50 + 10 and 50 + 90
    assert (row(on, "value")["low"], row(on, "value")["high"]) == (10.0, 90.0)
    assert (row(on, "value")["margin_at_low"], row(on, "value")["margin_at_high"], row(on, "value")["swing"]) == (
        60.0,
        140.0,
        80.0,
    )


def test_a_half_given_range_falls_back_to_20_percent():
    t = sensitivity(Demo(value={"likely": 50.0, "low": 10.0}, use_ranges=True), demo_margin, [("value",)])
    assert (row(t, "value")["low"], row(t, "value")["high"]) == (40.0, 60.0)


def test_a_negative_value_swings_from_its_lower_to_its_higher_end():
    t = sensitivity(Demo(value={"likely": -50.0}), demo_margin, [("value",)])
    assert (row(t, "value")["low"], row(t, "value")["high"]) == (-60.0, -40.0)
    assert (row(t, "value")["margin_at_low"], row(t, "value")["margin_at_high"]) == (-10.0, 10.0)


def test_a_zero_value_and_non_numbers_give_no_row():
    t = sensitivity(Demo(value={"likely": 0.0}), demo_margin, [("value",), ("flag",), ("use_ranges",), ("missing",)])
    assert t.empty and list(t.columns) == COLUMNS


def test_list_items_with_a_star_each_get_a_row_labelled_by_name():
    inputs = Demo(
        items=[
            {"name": "Alpha", "amount": {"likely": 100.0}},
            {"name": "  Beta ", "amount": {"likely": 10.0}, "weight": 0.5},
        ]
    )
    t = sensitivity(inputs, demo_margin, [("items", "*", "amount"), ("items", "*", "weight")])
    # base margin 50 + 50 + 100 + 5 = 205
    assert t[["input", "label"]].values.tolist() == [
        ["items.0.amount", "Alpha: amount"],  # 80 to 120: 185 to 225, swing 40
        ["items.0.weight", "Alpha: weight"],  # 0.8 to 1.1 (clipped): 185 to 215, swing 30
        ["items.1.amount", "Beta: amount"],  # 8 to 12 x 0.5: 204 to 206
        ["items.1.weight", "Beta: weight"],  # 0.4 to 0.6 x 10: 204 to 206
    ]
    assert t["low"].tolist() == pytest.approx([80.0, 0.8, 8.0, 0.4])
    assert t["high"].tolist() == pytest.approx([120.0, 1.1, 12.0, 0.6])
    assert t["margin_at_low"].tolist() == pytest.approx([185.0, 185.0, 204.0, 204.0])
    assert t["margin_at_high"].tolist() == pytest.approx([225.0, 215.0, 206.0, 206.0])
    assert t["swing"].tolist() == pytest.approx([40.0, 30.0, 2.0, 2.0])


def test_an_unnamed_item_is_labelled_by_its_number():
    t = sensitivity(Demo(items=[{"amount": {"likely": 10.0}}]), demo_margin, [("items", "*", "amount")])
    assert t["label"].str.lower().tolist() == ["item 1: amount"]


def test_a_trial_value_the_form_refuses_gives_a_nan_margin():
    # value 900 with a cap of 1,000: value's high 1,080 is over the cap; the cap's low 800 is under the value
    t = sensitivity(Demo(value={"likely": 900.0}), demo_margin, [("value",), ("cap",), ("rate",)])
    value, cap = row(t, "value"), row(t, "cap")
    assert value["margin_at_low"] == 50 + 720 and math.isnan(value["margin_at_high"])
    assert math.isnan(cap["margin_at_low"]) and cap["margin_at_high"] == 950.0
    assert math.isnan(value["swing"]) and math.isnan(cap["swing"])
    # refused trials sort after every finite swing
    assert t["input"].tolist() == ["rate", "value", "cap"]


def test_rows_are_sorted_by_swing_widest_first_ties_in_pattern_order():
    inputs = Demo(items=[{"name": "Tie", "amount": {"likely": 15.0}}], value={"likely": 75.0})
    # rate: swing 15; value 60 to 90: swing 30; Tie's amount 12 to 18: swing 6; Tie's weight 0.8 to 1.1: 4.5
    t = sensitivity(inputs, demo_margin, [("items", "*", "weight"), ("rate",), ("items", "*", "amount"), ("value",)])
    assert t["input"].tolist() == ["value", "rate", "items.0.amount", "items.0.weight"]
    assert t["swing"].tolist() == pytest.approx([30.0, 15.0, 6.0, 4.5])
    tie = sensitivity(Demo(value={"likely": 75.0}, rate=0.5), lambda i: 0.0, [("value",), ("rate",)])
    assert tie["input"].tolist() == ["value", "rate"]  # equal swings keep the order asked for
    assert tie.index.tolist() == [0, 1]


def test_sensitivity_does_not_change_its_inputs():
    inputs = Demo(items=[{"name": "A", "amount": {"likely": 10.0}}], value={"likely": 5.0, "low": 1.0, "high": 9.0})
    before = copy.deepcopy(inputs.model_dump())
    sensitivity(inputs, demo_margin, [("items", "*", "amount"), ("value",), ("rate",)])
    assert inputs.model_dump() == before


@given(st.floats(-1e5, 1e5, allow_nan=False).filter(lambda x: x == 0 or abs(x) > 1e-6), st.floats(0.01, 0.9))
def test_low_is_never_above_high_and_the_most_likely_lies_between(likely, swing):
    t = sensitivity(Demo(value={"likely": likely}, cap=1e6), demo_margin, [("value",)], swing=swing)
    if likely == 0:
        assert t.empty
        return
    r = row(t, "value")
    assert r["low"] <= likely <= r["high"]
    assert r["margin_at_high"] - r["margin_at_low"] == pytest.approx(r["high"] - r["low"], rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- parse_numbers and text_problem
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.3, 0.2", [0.3, 0.2]),
        ("0.3;0.2", [0.3, 0.2]),
        ("0.3 0.2\n0.1\t0.05", [0.3, 0.2, 0.1, 0.05]),
        ("  0.3 ,, 0.2 ; ", [0.3, 0.2]),
        ("", []),
        ("   ", []),
        ("1e-3, 1", [0.001, 1.0]),
        ("0", [0.0]),
    ],
)
def test_parse_numbers_reads_any_separator(text, expected):
    assert parse_numbers(text, "Shares", low=0, high=1) == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("0.3, abc", {}, "Shares must be numbers separated by commas, got 'abc' (entry 2)"),
        ("30%", {}, "Shares must be numbers separated by commas, got '30%' (entry 1)"),
        ("0.3, 2", {}, "Shares must be numbers between 0 and 1, got 2 (entry 2)"),
        ("-0.1", {}, "Shares must be numbers between 0 and 1, got -0.1 (entry 1)"),
        ("nan", {}, "Shares must be numbers between 0 and 1, got nan (entry 1)"),
        ("0.1, inf", {}, "Shares must be numbers between 0 and 1, got inf (entry 2)"),
        ("1,000", {"high": 10_000}, None),  # no thousands separators: two numbers, 1 and 0
        ("0.1, 0.2, 0.3", {"most": 2}, "Shares must list 0 to 2 numbers, got 3"),
        ("", {"least": 1}, "Shares must list 1 to 60 numbers, got 0"),
        ("5, 200", {"high": 100}, "Shares must be numbers between 0 and 100, got 200 (entry 2)"),
    ],
)
def test_parse_numbers_messages(text, kwargs, message):
    args = {"low": 0, "high": 1, **kwargs}
    if message is None:
        assert parse_numbers(text, "Shares", **args) == [1.0, 0.0]
        return
    with pytest.raises(InputError) as info:
        parse_numbers(text, "Shares", **args)
    assert str(info.value) == message
    assert info.value.field == "Shares"


@given(st.lists(st.floats(0, 1), max_size=20), st.sampled_from([", ", ";", " ", "\n"]))
def test_parse_numbers_round_trips_printed_numbers(values, sep):
    assert parse_numbers(sep.join(repr(v) for v in values), "Shares", low=0, high=1) == values


def test_text_problem_puts_the_message_on_the_field():
    inputs = Demo()
    assert text_problem(inputs, "rate", lambda: parse_numbers("0.1", "Rates", low=0, high=1)) == []
    assert text_problem(inputs, "rate", lambda: parse_numbers("x", "Rates", low=0, high=1)) == [
        Problem(("rate",), "Rates must be numbers separated by commas, got 'x' (entry 1)")
    ]


def test_text_problem_lets_other_errors_through():
    def broken():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        text_problem(Demo(), "rate", broken)


# --------------------------------------------------------------------------- the shared fields
def test_rival_share_list_parses_the_box():
    assert GuardrailFields(rival_shares="0.30, 0.18").rival_share_list() == [0.30, 0.18]
    assert GuardrailFields().rival_share_list() == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.3, 1.2", "Other large players' shares must be numbers between 0 and 1, got 1.2 (entry 2)"),
        ("0.3, big", "Other large players' shares must be numbers separated by commas, got 'big' (entry 2)"),
        (", ".join(["0.01"] * 21), "Other large players' shares must list 0 to 20 numbers, got 21"),
    ],
)
def test_rival_share_list_messages(text, message):
    with pytest.raises(InputError) as info:
        GuardrailFields(rival_shares=text).rival_share_list()
    assert str(info.value) == message


def test_reputation_fields_feed_the_reputation_framework():
    fields = ReputationFields(
        rep_quality=4,
        rep_incidents=5,
        rep_values=2,
        rep_exposure="co-branded",
        rep_differentiation=0.4,
        rep_base_rate={"likely": 0.04, "low": 0.02, "high": 0.08},
        rep_revenue={"likely": 2_000_000},
        rep_customers_lost={"likely": 0.02, "low": 0.01, "high": 0.05},
        rep_recovery_years={"likely": 1.0},
        rep_audits=True,
        rep_exit_rights=True,
    )
    common = dict(
        exposure="co-branded",
        revenue=2_000_000.0,
        recovery_years=1.0,
        differentiation=0.4,
        mitigations=["audits", "exit_rights"],
        seed=3,
    )
    scores = {"quality": 4, "incidents": 5, "values": 2}
    point = fields.reputation(False, 5_000, 3)
    direct = reputation.assess(scores, base_rate=0.04, customers_lost=0.02, draws=5_000, **common)
    assert point.after == direct.after and point.before == direct.before and point.monte_carlo is None
    ranged = fields.reputation(True, 5_000, 3)
    direct = reputation.assess(
        scores, base_rate=(0.02, 0.04, 0.08), customers_lost=(0.01, 0.02, 0.05), draws=5_000, **common
    )
    assert ranged.after == direct.after
    np.testing.assert_array_equal(ranged.monte_carlo["expected_loss"], direct.monte_carlo["expected_loss"])


def test_reputation_draws_are_capped_at_100000():
    fields = ReputationFields(rep_revenue={"likely": 1_000.0, "low": 500.0, "high": 2_000.0})
    risk = fields.reputation(True, 1_000_000, 0)
    assert risk.monte_carlo["expected_loss"].shape == (100_000,)


def test_reputation_with_no_revenue_at_stake_is_no_risk():
    risk = ReputationFields().reputation(False, 1_000, 0)
    assert risk.risk_adjustment == 0.0
    assert risk.after.rating == "low"
