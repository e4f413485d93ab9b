"""The win-win check: known answers first, then properties, then bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game, winwin
from coopkit.frameworks.uncertainty import Range

AB = ["A", "B"]


# --------------------------------------------------------------------------- known answers
def test_nash_split_two_parties_by_hand():
    # 20 + 40 apart, 100 together: surplus 40, each gets its stand-alone plus half of it.
    r = winwin.check(AB, [20, 40], 100, split_rule="nash")
    assert r.share.tolist() == [40.0, 60.0]
    assert r.gain.tolist() == [20.0, 20.0]
    assert r.surplus == 40.0
    assert r.win_win and r.win_win_on_paper and not r.lopsided
    assert r.balance == 1.0
    assert r.in_core and r.blocking is None
    assert r.verdict_label() == "win-win"


def test_equal_split_can_leave_the_stronger_party_worse_off():
    # 50/50 of 100 gives B 50 against 60 alone.
    r = winwin.check(AB, [20, 60], 100, split_rule="equal")
    assert r.share.tolist() == [50.0, 50.0]
    assert r.gain.tolist() == [30.0, -10.0]
    assert not r.win_win
    assert r.verdict_label() == "not win-win"
    texts = [f.text for f in r.findings]
    assert "Not win-win under the equal split: B ends up 10 worse off than on its own." in texts
    assert "The shapley split would make it win-win: every party would gain." in texts
    assert r.balance == pytest.approx(-10 / 30)


def test_proportional_and_explicit_splits():
    r = winwin.check(AB, [10, 10], 100, split_rule="proportional", contribution=[1, 3])
    assert r.share.tolist() == [25.0, 75.0]
    r = winwin.check(AB, [10, 10], 100, split_rule="explicit", shares=[0.3, 0.7])
    assert r.share.tolist() == pytest.approx([30.0, 70.0])
    assert list(r.splits.index) == ["shapley", "nash", "proportional", "equal", "explicit"]


def test_shapley_split_of_the_pooling_game_by_hand():
    # c = (1, 2, 3), returns 1: g(12) = 1/2, g(13) = 2/3, g(23) = 5/6, g(N) = 1, singletons 0.
    # phi_1 = 1/6 * 1/2 + 1/6 * 2/3 + 1/3 * 1/6 = 1/4; phi_2 = 1/6 * 1/2 + 1/6 * 5/6 + 1/3 * 1/3 = 1/3;
    # phi_3 = 5/12. A surplus of 60 gives 15, 20 and 25.
    r = winwin.check(["A", "B", "C"], [0, 0, 0], 60, split_rule="shapley", contribution=[1, 2, 3])
    assert r.share == pytest.approx([15.0, 20.0, 25.0])


def test_two_party_shapley_of_the_pooling_game_splits_the_surplus_evenly():
    # With two parties only the pair creates surplus, whatever they bring.
    r = winwin.check(AB, [100, 300], 500, contribution=[1, 9], returns_to_pooling=3)
    assert r.share.tolist() == pytest.approx([150.0, 350.0])


def test_risk_turns_win_win_on_paper_into_a_loss():
    r = winwin.check(AB, [20, 40], 100, split_rule="nash", risk_adjustment=[0, 25])
    assert r.win_win_on_paper and not r.win_win
    assert r.payoff_with.tolist() == [40.0, 35.0]
    assert r.gain.tolist() == [20.0, -5.0]
    assert r.verdict_label() == "win-win on paper only"
    assert any(
        f.level == "bad" and "after the expected losses" in f.text and "B ends up 5 worse off" in f.text
        for f in r.findings
    )


def test_lopsided_deal_is_flagged():
    # Bargaining weights 9:1 give gains 36 and 4: balance 0.11 < 0.5.
    r = winwin.check(AB, [20, 40], 100, split_rule="nash", bargaining_power=[9, 1])
    assert r.gain.tolist() == pytest.approx([36.0, 4.0])
    assert r.win_win and r.lopsided
    assert r.balance == pytest.approx(4 / 36)
    assert r.verdict_label() == "win-win but lopsided"
    assert any(f.level == "caution" and "lopsided" in f.text for f in r.findings)


def test_no_surplus_and_negative_surplus_are_explained():
    flat = winwin.check(AB, [20, 40], 60, split_rule="nash")
    assert flat.surplus == 0 and not flat.win_win and flat.balance == 0.0
    assert flat.findings[0].text.startswith("The partnership creates no surplus")
    worse = winwin.check(AB, [20, 40], 50, split_rule="nash")
    assert worse.surplus == -10
    assert worse.findings[0].level == "bad"
    assert "destroys value" in worse.findings[0].text and "No split can make it win-win" in worse.findings[0].text


def test_nash_split_outside_the_core_names_the_break_away_group():
    # Four dealers (the reference notebook's example): equal Nash gains of 37,500 exceed what D adds.
    dealers = ["A", "B", "C", "D"]
    r = winwin.check(
        dealers,
        [300_000, 220_000, 150_000, 80_000],
        900_000,
        split_rule="nash",
        contribution=[40, 30, 20, 10],
        returns_to_pooling=2,
    )
    assert not r.in_core
    assert r.blocking == frozenset({"A", "B", "C"})
    # v(ABC) = 670,000 + 150,000 * 0.9**2 = 791,500; the split gives them 782,500.
    assert r.blocking_value == pytest.approx(791_500)
    assert r.added_value[3] == pytest.approx(108_500)
    assert any("D's share (117,500) is more than its added value (108,500)" in f.text for f in r.findings)
    shapley = winwin.check(
        dealers, [300_000, 220_000, 150_000, 80_000], 900_000, contribution=[40, 30, 20, 10], returns_to_pooling=2
    )
    assert shapley.in_core
    assert shapley.share == pytest.approx([355_750, 264_250, 181_750, 98_250])


def test_explicit_synergy_table_drives_the_shapley_split():
    # Only A+B create surplus without C; C adds the rest: g(AB) = 0.8, other pairs 0.
    synergy = {("A", "B"): 0.8, ("A", "C"): 0.0, ("B", "C"): 0.0}
    r = winwin.check(["A", "B", "C"], [0, 0, 0], 100, synergy=synergy)
    # phi_C = 1/3 * (1 - 0.8) = 1/15 of the surplus; A and B share the rest equally.
    assert r.share == pytest.approx([100 * 7 / 15, 100 * 7 / 15, 100 / 15])
    assert "synergy table" in r.assumptions[1]


def test_result_table_and_report_are_fixed_format():
    r = winwin.check(AB, [20, 40], 100, split_rule="nash")
    table = r.table()
    assert list(table.columns) == ["standalone", "share", "risk", "with_deal", "gain", "added_value"]
    assert table.loc["B", "with_deal"] == 60.0
    report = r.report(0)
    assert report.splitlines()[0] == "Verdict: WIN-WIN (split: nash)"
    assert "Balance (smallest gain / largest gain): 1.000" in report
    assert report == winwin.check(AB, [20, 40], 100, split_rule="nash").report(0)


# --------------------------------------------------------------------------- Monte Carlo and tornado
def test_monte_carlo_is_reproducible_and_seed_dependent():
    kw = dict(split_rule="equal", draws=20_000)
    one = winwin.check(AB, [20, 40], Range(50, 100, 130), seed=7, **kw).monte_carlo
    two = winwin.check(AB, [20, 40], Range(50, 100, 130), seed=7, **kw).monte_carlo
    other = winwin.check(AB, [20, 40], Range(50, 100, 130), seed=8, **kw).monte_carlo
    assert one.p_win_win == two.p_win_win
    np.testing.assert_array_equal(one.margin, two.margin)
    assert not np.array_equal(one.margin, other.margin)
    assert one.draws == 20_000 and one.margin.shape == (20_000,)


def test_monte_carlo_probability_matches_its_definition():
    # Equal split of V between A (20 alone) and B (40 alone): win-win exactly when V/2 > 40, i.e. V > 80.
    r = winwin.check(AB, [20, 40], Range(50, 100, 130), split_rule="equal", draws=50_000, seed=1)
    mc = r.monte_carlo
    assert mc.p_win_win == pytest.approx(float((mc.margin > 0).mean()))
    assert 0.5 < mc.p_win_win < 0.95
    assert mc.p_gain[0] == 1.0  # A gains whenever V > 40, always here
    assert list(mc.gain_percentiles.columns) == ["p5", "p50", "p95"]
    assert set(mc.p_win_win_by_rule) == {"shapley", "nash", "proportional", "equal"}


def test_certain_outcomes_give_probability_one_or_zero():
    sure = winwin.check(AB, [Range(10, 20, 30), 40], Range(200, 250, 300), split_rule="nash", draws=5_000)
    assert sure.monte_carlo.p_win_win == 1.0
    hopeless = winwin.check(AB, [Range(50, 60, 70), 40], Range(50, 70, 90), split_rule="nash", draws=5_000)
    assert hopeless.monte_carlo.p_win_win == 0.0


def test_a_range_on_one_input_leaves_the_other_inputs_draws_alone():
    # Independent streams per input: adding a range to B's payoff must not change V's draws.
    base = winwin.check(AB, [20, 40], Range(50, 100, 130), split_rule="equal", draws=5_000)
    more = winwin.check(AB, [20, Range(40, 40, 40.000001)], Range(50, 100, 130), split_rule="equal", draws=5_000)
    np.testing.assert_allclose(base.monte_carlo.margin, more.monte_carlo.margin, atol=1e-5)


def test_no_ranges_no_monte_carlo():
    r = winwin.check(AB, [20, 40], 100)
    assert r.monte_carlo is None and r.tornado is None


def test_tornado_swings_each_ranged_input_alone():
    r = winwin.check(AB, [Range(10, 20, 30), 40], Range(80, 100, 130), split_rule="nash", draws=2_000)
    t = r.tornado
    assert list(t["input"]) == ["partnership_value", "standalone_payoff[A]"]
    assert list(t["label"]) == ["partnership value", "stand-alone payoff of A"]
    # V at 80: surplus 20, each gains 10; at 130: each gains 35. Swing 25.
    row = t.iloc[0]
    assert (row["margin_at_low"], row["margin_at_high"], row["swing"]) == pytest.approx((10, 35, 25))
    # A's payoff at 10: surplus 50, gains 25; at 30: surplus 30, gains 15.
    row = t.iloc[1]
    assert (row["margin_at_low"], row["margin_at_high"], row["swing"]) == pytest.approx((25, 15, 10))
    assert any(f.text.startswith("The result swings most with the partnership value") for f in r.findings)


# --------------------------------------------------------------------------- properties
money = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def deals(draw, min_parties=2, max_parties=6):
    n = draw(st.integers(min_parties, max_parties))
    standalone = draw(st.lists(money, min_size=n, max_size=n))
    surplus = draw(st.floats(min_value=1.0, max_value=1e6))
    contribution = draw(st.lists(st.floats(min_value=0.1, max_value=100), min_size=n, max_size=n))
    power = draw(st.lists(st.floats(min_value=0.1, max_value=10), min_size=n, max_size=n))
    returns = draw(st.floats(min_value=1, max_value=5))
    return [f"P{j}" for j in range(n)], standalone, sum(standalone) + surplus, contribution, power, returns


@given(deals(), st.sampled_from(["shapley", "nash", "proportional", "equal"]))
def test_every_split_hands_out_exactly_the_partnership_value(deal, rule):
    parties, d, v, c, w, returns = deal
    r = winwin.check(parties, d, v, split_rule=rule, contribution=c, bargaining_power=w, returns_to_pooling=returns)
    assert r.share.sum() == pytest.approx(v, rel=1e-9, abs=1e-6)
    assert r.splits[parties].sum(axis=1).to_numpy() == pytest.approx(np.full(len(r.splits), v), rel=1e-9, abs=1e-6)


@given(deals(), st.sampled_from(["shapley", "nash"]))
def test_fair_rules_are_win_win_whenever_there_is_a_surplus_and_no_risk(deal, rule):
    parties, d, v, c, w, returns = deal
    r = winwin.check(parties, d, v, split_rule=rule, contribution=c, bargaining_power=w, returns_to_pooling=returns)
    assert r.win_win
    assert (r.gain > 0).all()
    assert r.balance <= 1.0


@given(deals(max_parties=5))
def test_shapley_split_equals_the_shapley_value_of_the_partnership_game(deal):
    parties, d, v, c, _w, returns = deal
    r = winwin.check(parties, d, v, contribution=c, returns_to_pooling=returns)
    profile = game.coalition_values(parties, winwin.pooling_synergy(c, returns), vectorized=True)
    phi = game.shapley(parties, winwin.partnership_game(d, v, profile), vectorized=True)
    assert r.share == pytest.approx(phi.amounts, rel=1e-9, abs=1e-6)


@given(deals(), st.lists(st.floats(min_value=0, max_value=1e5), min_size=6, max_size=6))
def test_risk_lowers_each_gain_by_exactly_the_expected_loss(deal, losses):
    parties, d, v, c, w, returns = deal
    risk = losses[: len(parties)]
    plain = winwin.check(parties, d, v, contribution=c, bargaining_power=w, returns_to_pooling=returns)
    risky = winwin.check(
        parties, d, v, contribution=c, bargaining_power=w, returns_to_pooling=returns, risk_adjustment=risk
    )
    assert risky.gain == pytest.approx(plain.gain - np.array(risk), rel=1e-9, abs=1e-6)
    assert risky.win_win == bool((plain.gain - np.array(risk) > 1e-9).all())


@given(deals(max_parties=4), st.sampled_from(["shapley", "nash", "proportional", "equal"]))
def test_vectorised_split_matches_the_scalar_split_row_by_row(deal, rule):
    parties, d, v, c, w, _returns = deal
    n = len(parties)
    kw = dict(
        contribution=np.array(c),
        bargaining_power=np.array(w),
        synergy_shapley=np.full(n, 1 / n),
    )
    rows = np.array([d, [x + 1 for x in d], [x * 0.5 for x in d]])
    totals = np.array([v, v + 10, v * 2])
    batch = winwin.split(rule, rows, totals, **kw)
    for k in range(3):
        assert batch[k] == pytest.approx(winwin.split(rule, rows[k], totals[k], **kw), rel=1e-12, abs=1e-9)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(parties=["A"], standalone_payoff=[1], partnership_value=2), "parties must number between 2 and 20"),
        (
            dict(parties=["A", "A"], standalone_payoff=[1, 2], partnership_value=5),
            "parties must have no repeated names",
        ),
        (dict(standalone_payoff=[1], partnership_value=5), r"standalone_payoff must give one value per party \(2\)"),
        (dict(partnership_value=float("nan")), "partnership_value must be a range of three finite numbers"),
        (dict(split_rule="fair"), "split_rule must be one of shapley, nash, proportional, equal, explicit"),
        (dict(contribution=[-1, 2]), r"contribution\[A\] must be at least 0, got -1"),
        (dict(contribution=[0, 0]), "contribution must add up to more than 0"),
        (dict(bargaining_power=[1, 0]), r"bargaining_power\[B\] must be greater than 0, got 0"),
        (dict(split_rule="explicit"), "shares must be given when split_rule is 'explicit'"),
        (dict(split_rule="explicit", shares=[0.5, 0.6]), "shares must add up to 1"),
        (dict(split_rule="explicit", shares=[1.5, -0.5]), r"shares\[A\] must be between 0 and 1"),
        (dict(risk_adjustment=[0, -5]), r"risk_adjustment\[B\] must be at least 0, got -5"),
        (
            dict(standalone_payoff=[(30, 20, 40), 10]),
            r"standalone_payoff\[A\] must be a range with low <= likely <= high",
        ),
        (dict(returns_to_pooling=0.5), "returns_to_pooling must be between 1 and 5"),
        (dict(lopsided_below=1.5), "lopsided_below must be between 0 and 1"),
        (dict(draws=10), "draws must be a whole number between 1,000 and 5,000,000"),
        (dict(seed=-1), "seed must be a whole number >= 0"),
        (dict(synergy={("A",): 0.5}), r"synergy\[A\] must be 0 for a single party"),
        (dict(synergy={("A", "B"): 0.5}), r"synergy\[all parties\] must be 1"),
    ],
)
def test_bad_input_names_the_field_and_the_rule(kwargs, match):
    args = dict(parties=AB, standalone_payoff=[20, 40], partnership_value=100)
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        winwin.check(args.pop("parties"), args.pop("standalone_payoff"), args.pop("partnership_value"), **args)


def test_synergy_fractions_outside_zero_one_are_refused():
    with pytest.raises(
        InputError, match=r"synergy\['A', 'B'\] must be a fraction of the joint surplus between 0 and 1, got 1.5"
    ):
        winwin.check(["A", "B", "C"], [0, 0, 0], 10, synergy={("A", "B"): 1.5, ("A", "C"): 0, ("B", "C"): 0})


def test_parties_may_be_given_as_a_mapping_of_values():
    r = winwin.check(AB, {"B": 40, "A": 20}, 100, split_rule="nash", risk_adjustment={"A": 0, "B": 5})
    assert r.gain.tolist() == [20.0, 15.0]
