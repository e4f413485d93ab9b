"""Tests for the learning-race helpers of coopkit.options.new_market: with_market_shares, absorption_sweep and
learning_thresholds (the case of the reference notebook hybrid_learning_race)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.options import new_market
from coopkit.options.new_market import absorption_sweep, learning_thresholds, with_market_shares
from coopkit.store import reference
from coopkit.store.casefile import sample_inputs

SAMPLE = "ref_hybrid_learning_race.json"
RING_FENCE = "ring-fence"


@pytest.fixture(scope="module")
def shares() -> pd.Series:
    """The public US hybrid shares of the first half of 2013, by firm (Toyota 0.667, Ford 0.15)."""
    hybrid = reference.load_hybrid_2013()
    return hybrid[hybrid["period"] == "2013H1"].set_index("firm")["share"]


@pytest.fixture(scope="module")
def case(shares) -> new_market.Inputs:
    """The notebook's case: the illustrative sample with the public market shares."""
    return with_market_shares(sample_inputs(SAMPLE), shares)


def with_capacity(inputs: new_market.Inputs, party: int, capacity: float) -> new_market.Inputs:
    changed = inputs.model_copy(deep=True)
    changed.parties[party].absorptive = capacity
    return changed


def ring_fenced(inputs: new_market.Inputs) -> bool:
    return any(RING_FENCE in f.text and f.text.startswith("Condition") for f in new_market.assess(inputs).findings)


# --------------------------------------------------------------------------- known answers (the notebook's figures)
def test_the_case_file_with_the_public_shares_is_the_notebooks_case(case):
    assert [p.market_share for p in case.parties] == [0.667, 0.15]
    npv = new_market.assess(case).tables["npv"]
    assert [round(x) for x in npv["npv_alone"]] == [-694_884_493, -628_877_535]
    assert [round(x) for x in npv["share_of_venture"]] == [474_238_259, 474_238_259]


def test_the_sample_leaves_the_market_shares_to_the_reference_data():
    assert [p.market_share for p in sample_inputs(SAMPLE).parties] == [0.0, 0.0]


def test_absorption_sweep_known_answer(case):
    sweep = absorption_sweep(case, "Toyota", "Ford", [0.3, 0.5, 0.7, 0.9])
    assert list(sweep.columns) == ["capacity", "learning_loss", "gain", "balance", "verdict"]
    assert sweep["capacity"].tolist() == [0.3, 0.5, 0.7, 0.9]
    assert [round(x) for x in sweep["learning_loss"]] == [150_000_000, 270_000_000, 390_000_000, 510_000_000]
    assert [round(x) for x in sweep["gain"]] == [324_238_259, 204_238_259, 84_238_259, -35_761_741]
    assert [round(x, 3) for x in sweep["balance"]] == [0.684, 0.431, 0.178, -0.075]
    assert sweep["verdict"].tolist() == ["go with conditions"] * 3 + ["no-go"]


def test_learning_thresholds_known_answer(case):
    limits = learning_thresholds(case, "Toyota", "Ford")
    assert round(limits["ring_fence_loss"]) == 94_847_652
    assert round(limits["teacher_learns"]) == 30_000_000
    assert round(limits["teacher_discloses"]) == 600_000_000
    assert round(limits["gain_before_learning"]) == 474_238_259
    assert f"{limits['ring_fence_capacity']:.3f}" == "0.208"
    assert f"{limits['zero_gain_capacity']:.3f}" == "0.840"
    assert limits["ring_fence_capacity"] == pytest.approx((94_847_651.80852652 + 30e6) / 600e6, rel=1e-9)


def test_the_sweep_at_the_thresholds_agrees_with_the_assessment(case):
    limits = learning_thresholds(case, "Toyota", "Ford")
    ring, zero = limits["ring_fence_capacity"], limits["zero_gain_capacity"]
    assert not ring_fenced(with_capacity(case, 1, ring - 1e-4))
    assert ring_fenced(with_capacity(case, 1, ring + 1e-4))
    at_zero = absorption_sweep(case, "Toyota", "Ford", [zero - 1e-4, zero, zero + 1e-4])
    assert at_zero["gain"].iloc[0] > 0 > at_zero["gain"].iloc[2]
    assert at_zero["gain"].iloc[1] == pytest.approx(0.0, abs=1e-3)


def test_the_sweep_leaves_the_inputs_alone(case):
    before = case.model_dump()
    absorption_sweep(case, "Toyota", "Ford", np.array([0.0, 1.0]))
    learning_thresholds(case, "Toyota", "Ford")
    assert case.model_dump() == before


# --------------------------------------------------------------------------- properties
@settings(max_examples=15)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=4))
def test_a_faster_learner_never_helps_the_teacher(capacities):
    sweep = absorption_sweep(sample_inputs(SAMPLE), "Toyota", "Ford", sorted(capacities))
    assert (np.diff(sweep["learning_loss"]) >= -1e-6).all()
    assert (np.diff(sweep["gain"]) <= 1e-6).all()
    # the loss is the learning race's: max(0, disclosed x capacity - learned)
    expected = np.maximum(0.0, 600e6 * np.array(sorted(capacities)) - 30e6)
    np.testing.assert_allclose(sweep["learning_loss"], expected, rtol=1e-9, atol=1e-3)


# --------------------------------------------------------------------------- edge cases
def test_a_teacher_that_discloses_nothing_never_trips_a_threshold(case):
    silent = case.model_copy(deep=True)
    silent.parties[0].disclosure = 0.0
    limits = learning_thresholds(silent, "Toyota", "Ford")
    assert limits["ring_fence_capacity"] == math.inf
    assert limits["zero_gain_capacity"] == math.inf
    assert absorption_sweep(silent, "Toyota", "Ford", [1.0])["learning_loss"].tolist() == [0.0]


def test_thresholds_above_one_are_out_of_reach(case):
    slow = case.model_copy(deep=True)
    slow.parties[0].disclosure = 0.05  # 75m disclosed: the 94.8m ring-fence threshold cannot be reached
    limits = learning_thresholds(slow, "Toyota", "Ford")
    assert limits["ring_fence_capacity"] > 1
    assert not ring_fenced(with_capacity(slow, 1, 1.0))


def test_a_venture_worth_less_than_nothing_has_no_gain_to_lose(case):
    costly = new_market.Inputs.model_validate({**case.model_dump(), "jv_investment": {"likely": 5e9}})
    limits = learning_thresholds(costly, "Toyota", "Ford")
    assert limits["gain_before_learning"] < 0
    assert limits["zero_gain_capacity"] == 0.0


def test_a_third_partner_that_already_learns_fast_trips_the_flag_at_any_capacity(case):
    raw = case.model_dump()
    third = {**raw["parties"][1], "name": "Rival", "absorptive": 0.5, "market_share": 0.0, "share_alone": 0.1}
    three = new_market.Inputs.model_validate({**raw, "parties": [*raw["parties"], third]})
    limits = learning_thresholds(three, "Toyota", "Ford")
    assert limits["ring_fence_capacity"] == 0.0  # the rival's 0.5 of 600m leaks more than the threshold anyway
    assert ring_fenced(with_capacity(three, 1, 0.0))
    # Toyota's gain before the race, about 306m, is lost where Ford out-learns the rival: (306m + 30m) / 600m
    assert limits["zero_gain_capacity"] == pytest.approx((limits["gain_before_learning"] + 30e6) / 600e6)
    assert 0.5 < limits["zero_gain_capacity"] < 0.6


def test_names_are_matched_without_surrounding_spaces(case):
    assert absorption_sweep(case, " Toyota", "Ford ", [0.7])["learning_loss"].tolist() == [390_000_000.0]


def test_with_market_shares_keeps_parties_not_named(case):
    only_ford = with_market_shares(case, {"Ford": 0.2})
    assert [p.market_share for p in only_ford.parties] == [0.667, 0.2]
    assert case.parties[1].market_share == 0.15  # the original is not changed


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call", [absorption_sweep, learning_thresholds])
def test_a_learner_that_is_no_party_is_an_input_error(case, call):
    args = [[0.5]] if call is absorption_sweep else []
    with pytest.raises(InputError, match=r"learner must name a party of the venture \(Toyota, Ford\), got 'GM'"):
        call(case, "Toyota", "GM", *args)


@pytest.mark.parametrize("call", [absorption_sweep, learning_thresholds])
def test_a_teacher_that_is_no_party_is_an_input_error(case, call):
    args = [[0.5]] if call is absorption_sweep else []
    with pytest.raises(InputError, match="teacher must name a party") as caught:
        call(case, "Honda", "Ford", *args)
    assert caught.value.field == "teacher"


@pytest.mark.parametrize("call", [absorption_sweep, learning_thresholds])
def test_learning_from_oneself_is_an_input_error(case, call):
    args = [[0.5]] if call is absorption_sweep else []
    with pytest.raises(InputError, match=r"learner must be a party other than the teacher \(Ford\)"):
        call(case, "Ford", "Ford", *args)


@pytest.mark.parametrize(
    ("capacities", "field"),
    [([0.3, 1.2], r"capacities\[1\]"), ([-0.1], r"capacities\[0\]"), ([math.nan], r"capacities\[0\]"),
     ([True], r"capacities\[0\]"), (["0.5"], r"capacities\[0\]"), ([], "capacities must list at least one")],
)  # fmt: skip
def test_bad_capacities_are_input_errors(case, capacities, field):
    with pytest.raises(InputError, match=field):
        absorption_sweep(case, "Toyota", "Ford", capacities)


def test_a_share_for_a_firm_outside_the_venture_is_an_input_error(case):
    with pytest.raises(InputError, match=r"shares must name parties of the venture \(Toyota, Ford\), got \['GM'\]"):
        with_market_shares(case, {"Ford": 0.15, "GM": 0.1})


@pytest.mark.parametrize("share", [1.5, -0.1, math.nan, "15%", None])
def test_a_share_outside_0_1_is_an_input_error(case, share):
    with pytest.raises(InputError, match=r"shares\[Ford\] must be a number between 0 and 1"):
        with_market_shares(case, {"Ford": share})


def test_shares_adding_up_to_more_than_1_break_the_worksheets_rule(case):
    with pytest.raises(InputError, match="Market shares today must add up to at most 1"):
        with_market_shares(case, {"Toyota": 0.7, "Ford": 0.5})
