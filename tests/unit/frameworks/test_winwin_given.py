"""The win-win check's "given" split: amounts an option has worked out, used as they are."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import winwin
from coopkit.frameworks.uncertainty import Range

AB = ["A", "B"]


# --------------------------------------------------------------------------- known answers
def test_amounts_are_used_as_they_are():
    # A earns 20 alone, B 40; of 100 together A gets 30, B 70: gains 10 and 30.
    r = winwin.check(AB, [20, 40], 100, split_rule="given", amounts=[30, 70])
    assert r.share.tolist() == [30.0, 70.0]
    assert r.gain.tolist() == [10.0, 30.0]
    assert r.win_win and r.balance == pytest.approx(1 / 3) and r.lopsided
    assert r.split_rule == "given"
    assert r.splits.loc["given", AB].tolist() == [30.0, 70.0]
    assert list(r.splits.index) == ["shapley", "nash", "proportional", "equal", "given"]
    assert any(
        f.text == "Every party ends up better off than on its own: the deal is win-win under the given split."
        for f in r.findings
    )


def test_amounts_may_be_given_by_name():
    r = winwin.check(AB, [20, 40], 100, split_rule="given", amounts={"B": 70, "A": 30})
    assert r.share.tolist() == [30.0, 70.0]


def test_negative_amounts_are_allowed():
    # A pays 10 in and B takes 110: A ends up 30 worse off than its 20 alone.
    r = winwin.check(AB, [20, 40], 100, split_rule="given", amounts=[-10, 110])
    assert r.share.tolist() == [-10.0, 110.0]
    assert r.gain.tolist() == [-30.0, 70.0]
    assert not r.win_win and not r.win_win_on_paper
    texts = [f.text for f in r.findings]
    assert "Not win-win under the given split: A ends up 30 worse off than on its own." in texts
    assert "The shapley split would make it win-win: every party would gain." in texts
    assert bool(r.splits.loc["given", "win_win"]) is False


def test_a_party_that_pays_in_can_still_gain():
    # Negative stand-alone payoffs: A would lose 50 alone; paying 10 into the deal still leaves it 40 better off.
    r = winwin.check(AB, [-50, 40], 100, split_rule="given", amounts=[-10, 110])
    assert r.gain.tolist() == [40.0, 70.0]
    assert r.win_win


def test_risk_is_subtracted_from_the_given_amounts():
    r = winwin.check(AB, [20, 40], 100, split_rule="given", amounts=[30, 70], risk_adjustment=[12, 0])
    assert r.payoff_with.tolist() == [18.0, 70.0]
    assert r.gain.tolist() == [-2.0, 30.0]
    assert r.win_win_on_paper and not r.win_win
    assert r.verdict_label() == "win-win on paper only"


def test_given_amounts_are_compared_with_shapley_and_the_core():
    # The pooling game of two parties: only both together create the surplus of 40; Shapley gives 40 and 60.
    r = winwin.check(AB, [20, 40], 100, split_rule="given", amounts=[45, 55])
    assert r.splits.loc["shapley", AB].tolist() == pytest.approx([40.0, 60.0])
    # A gets 5 more and B 5 less than under Shapley; the finding names one of them (a tie)
    compared = [f.text for f in r.findings if f.text.startswith("Compared with the Shapley split")]
    assert compared in (
        ["Compared with the Shapley split, the given split gives A 5 more."],
        ["Compared with the Shapley split, the given split gives B 5 less."],
    )
    assert r.in_core  # 45 >= 20 and 55 >= 40
    out = winwin.check(AB, [20, 40], 100, split_rule="given", amounts=[65, 35])
    assert not out.in_core and out.blocking == frozenset({"B"})


def test_amounts_with_another_split_rule_add_a_given_row():
    r = winwin.check(AB, [20, 40], 100, split_rule="nash", amounts=[30, 70])
    assert r.share.tolist() == [40.0, 60.0]
    assert r.splits.loc["given", AB].tolist() == [30.0, 70.0]
    assert "given" not in winwin.check(AB, [20, 40], 100, split_rule="nash").splits.index


def test_split_shares_the_difference_from_the_amounts_total_equally():
    # the vectorised rule: a_i + (V - sum a) / n, row by row
    a = np.array([30.0, 70.0])
    kw = dict(contribution=np.ones(2), bargaining_power=np.ones(2), synergy_shapley=np.full(2, 0.5), amounts=a)
    d = np.zeros((3, 2))
    out = winwin.split("given", d, np.array([100.0, 80.0, 130.0]), **kw)
    assert out.tolist() == [[30.0, 70.0], [20.0, 60.0], [45.0, 85.0]]


# --------------------------------------------------------------------------- the sum check and other bad input
def test_amounts_must_add_up_to_the_partnership_value():
    with pytest.raises(InputError) as info:
        winwin.check(AB, [20, 40], 100, split_rule="given", amounts=[40, 50])
    assert str(info.value) == (
        "amounts must add up to the partnership value 100.00 (they add up to 90.00), got [40.0, 50.0]"
    )
    assert info.value.field == "amounts"


def test_the_sum_is_checked_against_the_most_likely_value_of_a_range():
    with pytest.raises(InputError, match=r"add up to the partnership value 1,000,000.00 \(they add up to 900,000.00\)"):
        winwin.check(AB, [0, 0], Range(800_000, 1_000_000, 1_200_000), split_rule="given", amounts=[450_000, 450_000])


def test_the_sum_check_tolerates_rounding_only():
    # one millionth of the value
    winwin.check(AB, [20, 40], 1e6, split_rule="given", amounts=[4e5, 6e5 + 0.9])
    with pytest.raises(InputError, match="amounts must add up to the partnership value"):
        winwin.check(AB, [20, 40], 1e6, split_rule="given", amounts=[4e5, 6e5 + 1.1])


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        (None, "amounts must be given when split_rule is 'given', got None"),
        ([30, 70, 0], "amounts must give one number per party (2), got [30.0, 70.0, 0.0]"),
        ([float("nan"), 100], "amounts[A] must be a finite number, got nan"),
        ([30, float("inf")], "amounts[B] must be a finite number, got inf"),
        (["x", 100], "amounts must be numbers, got ['x', 100]"),
        ({"A": 30}, "amounts must give a value for every party, got ['B']"),
    ],
)
def test_bad_amounts(amounts, message):
    with pytest.raises(InputError) as info:
        winwin.check(AB, [20, 40], 100, split_rule="given", amounts=amounts)
    assert str(info.value) == message


# --------------------------------------------------------------------------- Monte Carlo
def ranged(rule, **kw):
    return winwin.check(AB, [20, 40], Range(60, 100, 150), split_rule=rule, draws=20_000, seed=5, **kw)


def test_each_draws_difference_from_the_value_is_shared_equally():
    # given share_i = a_i + (v - 100) / 2 = v / 2 + (a_i - 50): the equal split's gain plus (a_i - 50), draw by draw
    given_ = ranged("given", amounts=[30, 70]).monte_carlo
    equal = ranged("equal").monte_carlo
    shift = np.array([30 - 50, 70 - 50])
    np.testing.assert_allclose(
        given_.gain_percentiles.to_numpy(), equal.gain_percentiles.to_numpy() + shift[:, None], atol=1e-9
    )
    # margins: given gains v/2 - 40 (A) and v/2 - 20 (B), equal gains v/2 - 20 and v/2 - 40: both v/2 - 40
    np.testing.assert_allclose(given_.margin, equal.margin, atol=1e-9)
    assert given_.p_win_win == equal.p_win_win
    assert set(given_.p_win_win_by_rule) == {"shapley", "nash", "proportional", "equal", "given"}
    assert given_.p_win_win_by_rule["given"] == given_.p_win_win


def test_monte_carlo_matches_its_definition_with_given_amounts():
    # A gains 30 + (v - 100)/2 - 20 > 0 when v > 80; B gains 70 + (v - 100)/2 - 40 > 0 when v > 40
    mc = ranged("given", amounts=[30, 70]).monte_carlo
    v = 2 * (mc.margin + 40)  # the margin is A's gain, v/2 - 40
    assert mc.p_gain[0] == pytest.approx(float((v > 80 + 1e-9).mean()))
    assert mc.p_gain[1] == 1.0  # v >= 60 > 40 always
    assert mc.p_win_win == mc.p_gain[0]


def test_given_tornado_moves_the_margin_by_half_the_swing_of_the_value():
    r = ranged("given", amounts=[30, 70])
    top = r.tornado.iloc[0]
    assert top["input"] == "partnership_value"
    # A's gain: 30 + (60 - 100)/2 - 20 = -10 at the low end, 30 + 25 - 20 = 35 at the high end
    assert (top["margin_at_low"], top["margin_at_high"], top["swing"]) == pytest.approx((-10.0, 35.0, 45.0))


@given(
    st.lists(st.floats(-1e5, 1e5), min_size=2, max_size=5),
    st.lists(st.floats(-1e5, 1e5), min_size=5, max_size=5),
)
def test_given_shares_add_up_to_the_value_and_gains_follow(amounts, standalone):
    n = len(amounts)
    names = [f"P{j}" for j in range(n)]
    total = float(np.sum(amounts))
    d = standalone[:n]
    r = winwin.check(names, d, total, split_rule="given", amounts=amounts)
    assert r.share.tolist() == pytest.approx(amounts, abs=1e-9)
    assert r.gain == pytest.approx(np.array(amounts) - np.array(d), abs=1e-6)
    assert r.win_win == bool((np.array(amounts) - np.array(d) > 1e-9).all())
