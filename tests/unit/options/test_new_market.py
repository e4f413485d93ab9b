"""Tests for coopkit.options.new_market: option 2, entering a new market together (a joint venture of competitors)."""

from __future__ import annotations

import copy
import math
import re
import struct
from html.parser import HTMLParser
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from coopkit.frameworks import antitrust, market, reputation, winwin
from coopkit.options import new_market
from coopkit.options.base import SMALLEST_NUMBER, Assessment, Problem, field_bounds, validate
from coopkit.options.common import P_WIN_WIN_FLOOR
from coopkit.options.new_market import SHEET, Inputs, Venturer, assess, learning_race, segment_revenue
from coopkit.report.charts import learning_chart, to_png
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "new_market_hybrid_truck.json"
P, Q = 0.03, 0.38  # the Bass coefficients of the sample and the defaults (Sultan et al. 1990)
RULES = ["shapley", "nash", "proportional", "equal"]
HOSTILE = "<b>X</b>"


# --------------------------------------------------------------------------- helpers
def venturer(name: str, **extra) -> dict:
    """A party: 200m to enter alone, 60 % success, launch in 4 years, a quarter of the segment."""
    return {"name": name, "invest_alone": 2e8, "p_alone": 0.6, "launch_alone": 4, "share_alone": 0.25, **extra}


def case(*parties: dict, **extra) -> dict:
    """The docstring's two parties: A (NPV alone about +27m) and B (about -94m, so it would stay out).

    An 80,000-customer segment at 60,000 a customer a year, 22 % margin, 15 years; the venture invests 300m,
    succeeds with 70 % (the default), launches in 3 years and wins 42 % of the segment. No know-how at
    stake, no market shares, no reputation risk: the verdict is a plain "go" with gains of about 114m each.
    """
    parties = parties or (venturer("A"), venturer("B", p_alone=0.5, launch_alone=5, share_alone=0.18))
    return {
        "parties": list(parties),
        "segment_potential": {"likely": 80_000},
        "revenue_per_customer": {"likely": 60_000},
        "margin": 0.22,
        "years": 15,
        "jv_investment": {"likely": 3e8},
        "share_together": 0.42,
        "launch_together": 3,
        **extra,
    }


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SAMPLE)).inputs)


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


def quick(data: dict) -> Assessment:
    """assess() with the sensitivity table left empty: it re-runs the model some twenty times and
    changes nothing else, so loops and hypothesis tests skip it (test_sensitivity_* cover it)."""
    with mock.patch.object(new_market, "sensitivity", lambda *args, **kwargs: pd.DataFrame()):
        return run(data)


def bass(t: float) -> float:
    """F(t) of the Bass model, written out: (1 - e^-(p+q)t) / (1 + q/p e^-(p+q)t)."""
    e = math.exp(-(P + Q) * t)
    return (1 - e) / (1 + Q / P * e)


def revenue_by_hand(years: int, launch: float, m: float, price: float) -> list[float]:
    """The segment's revenue in years 1..years: customers at mid-year, m F(k - 1/2 - launch), times the price."""
    return [m * bass(max(0.0, k - 0.5 - launch)) * price for k in range(1, years + 1)]


def npv_by_hand(invest: float, prob: float, share: float, launch: float, *, m=80_000, price=60_000) -> float:
    """-I + P sum_k margin s M_k / 1.1^k over 15 years, at 22 % margin: the sample's segment."""
    revenue = revenue_by_hand(15, launch, m, price)
    return -invest + prob * sum(0.22 * share * r / 1.1**k for k, r in enumerate(revenue, start=1))


def conditions(a: Assessment) -> list[str]:
    return [f.text for f in a.findings if f.text.startswith("Condition: ")]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


class Text(HTMLParser):
    """The text of an HTML fragment, entities decoded as a browser would."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_data(self, data):
        self.parts.append(data)


@pytest.fixture(scope="module")
def sample() -> Assessment:
    """The sample as shipped (50,000 draws), assessed once."""
    return run(sample_inputs())


# --------------------------------------------------------------------------- the segment's revenue
def test_segment_revenue_is_zero_until_the_launch_then_customers_at_mid_year():
    got = segment_revenue(6, 2.0, 1_000, 10.0, P, Q)
    # years 1 and 2 end before or at the launch; year 3's mid-year is half a year after it
    expected = [0.0, 0.0, 10_000 * bass(0.5), 10_000 * bass(1.5), 10_000 * bass(2.5), 10_000 * bass(3.5)]
    assert got.shape == (6,)
    assert got.tolist() == pytest.approx(expected, rel=1e-12)
    assert got[2] == pytest.approx(10_000 * (1 - math.exp(-0.205)) / (1 + 0.38 / 0.03 * math.exp(-0.205)))


def test_segment_revenue_with_a_fractional_launch():
    got = segment_revenue(5, 2.5, 1_000, 10.0, P, Q)
    # year 3's mid-year (2.5) is the launch itself: no customer yet; year 4's is one year after
    assert got[:3].tolist() == [0.0, 0.0, 0.0]
    assert got[3:].tolist() == pytest.approx([10_000 * bass(1.0), 10_000 * bass(2.0)], rel=1e-12)
    quarter = segment_revenue(2, 0.25, 1_000, 10.0, P, Q)
    assert quarter.tolist() == pytest.approx([10_000 * bass(0.25), 10_000 * bass(1.25)], rel=1e-12)


@pytest.mark.parametrize("launch", [7.0, 12.5, 15.0, 4.5])
def test_segment_revenue_with_a_launch_at_or_beyond_the_horizon_is_zero(launch):
    got = segment_revenue(5, launch, 80_000, 60_000.0, P, Q)
    assert got.shape == (5,) and got.tolist() == [0.0] * 5


def test_segment_revenue_matches_its_docstring_and_the_framework():
    assert [round(x) for x in segment_revenue(3, 1.0, 10_000, 100, 0.03, 0.38)] == [0, 16376, 58531]
    got = segment_revenue(15, 3.0, 80_000, 60_000.0, P, Q)
    assert got.tolist() == pytest.approx(revenue_by_hand(15, 3.0, 80_000, 60_000.0), rel=1e-12)
    assert got[5] == pytest.approx(80_000 * market.bass_share(2.5, P, Q) * 60_000)


def test_segment_revenue_takes_a_leading_draws_axis():
    m = np.array([1_000.0, 2_000.0, 4_000.0])
    price = np.array([10.0, 10.0, 5.0])
    got = segment_revenue(4, 1.0, m, price, P, Q)
    assert got.shape == (3, 4)
    one = segment_revenue(4, 1.0, 1_000, 10.0, P, Q)
    np.testing.assert_allclose(got, np.stack([one, 2 * one, 2 * one]), rtol=1e-12)
    launches = segment_revenue(4, np.array([0.0, 1.0, 9.0]), 1_000, 10.0, P, Q)
    assert launches[1].tolist() == pytest.approx(one.tolist()) and launches[2].tolist() == [0.0] * 4


@given(
    launch=st.floats(0, 15),
    later=st.floats(0, 5),
    years=st.integers(1, 30),
    m=st.floats(0, 1e6),
    price=st.floats(0, 1e5),
)
def test_segment_revenue_grows_over_the_years_and_shrinks_with_a_later_launch(launch, later, years, m, price):
    now = segment_revenue(years, launch, m, price, P, Q)
    delayed = segment_revenue(years, launch + later, m, price, P, Q)
    assert np.all(now >= 0) and np.all(np.diff(now) >= -1e-9 * max(1.0, m * price))
    assert np.all(delayed <= now + 1e-9 * max(1.0, m * price))
    assert np.all(now <= m * price * (1 + 1e-12))


# --------------------------------------------------------------------------- NPV alone and together, by hand
def test_npv_alone_is_the_expected_margin_on_the_segment_share_less_the_investment(sample):
    npv = sample.tables["npv"]["npv_alone"]
    for name, invest, prob, launch, share in (
        ("Nordic Trucks", 180e6, 0.6, 4, 0.25),
        ("Alpine Motors", 220e6, 0.5, 5, 0.18),
    ):
        flows = [0.22 * share * r for r in revenue_by_hand(15, launch, 80_000, 60_000)]
        # -I + P sum_k margin s M_k / (1 + r)^k, checked against the framework's NPV (numpy-financial)
        assert -invest + prob * market.npv(0.1, flows) == pytest.approx(npv_by_hand(invest, prob, share, launch))
        assert npv[name] == pytest.approx(npv_by_hand(invest, prob, share, launch), rel=1e-12)
    assert round(npv["Nordic Trucks"]) == 46_879_120
    assert round(npv["Alpine Motors"]) == -113_672_204


def test_venture_npv_by_hand(sample):
    together = npv_by_hand(300e6, 0.75, 0.42, 3)
    flows = [0.22 * 0.42 * r for r in revenue_by_hand(15, 3, 80_000, 60_000)]
    assert together == pytest.approx(-300e6 + 0.75 * market.npv(0.1, flows))
    deal = sample.details["winwin"]
    assert deal.partnership_value == pytest.approx(together, rel=1e-12)
    assert round(together) == 294_965_018
    assert (
        "Together: NPV 294,965,018 (75% chance of success, launch in 3 years, 1 year sooner than the earliest "
        "party alone)." in [f.text for f in sample.findings]
    )


def test_npv_uses_the_discount_rate_margin_and_horizon():
    a = quick(case(discount_rate=0.0, margin=0.5, years=8))
    revenue = revenue_by_hand(8, 4, 80_000, 60_000)
    assert a.tables["npv"].loc["A", "npv_alone"] == pytest.approx(-2e8 + 0.6 * sum(0.5 * 0.25 * r for r in revenue))
    together = -3e8 + 0.7 * sum(0.5 * 0.42 * r for r in revenue_by_hand(8, 3, 80_000, 60_000))
    assert a.details["winwin"].partnership_value == pytest.approx(together)


def test_stand_alone_is_never_negative_a_party_can_stay_out(sample):
    npv = sample.tables["npv"]
    assert npv.loc["Alpine Motors", "npv_alone"] < 0
    assert npv.loc["Alpine Motors", "standalone"] == 0.0
    assert npv.loc["Nordic Trucks", "standalone"] == npv.loc["Nordic Trucks", "npv_alone"]
    assert sample.details["winwin"].standalone_payoff.tolist() == npv["standalone"].tolist()
    assert sample.parties["npv_alone"].tolist() == npv["npv_alone"].tolist()


@given(
    invest=st.floats(0, 2e9),
    p_alone=st.floats(0, 1),
    launch=st.floats(0, 15),
    share=st.floats(0, 0.5),
    rule=st.sampled_from(RULES),
)
def test_stand_alone_is_the_better_of_entering_and_staying_out(invest, p_alone, launch, share, rule):
    parties = (
        venturer("A", invest_alone=invest, p_alone=p_alone, launch_alone=launch, share_alone=share),
        venturer("B"),
    )
    npv = quick(case(*parties, split_rule=rule)).tables["npv"]
    assert (npv["standalone"] >= 0).all()
    assert npv["standalone"].tolist() == [max(0.0, x) for x in npv["npv_alone"]]
    held = [0.0 if 0 < x < SMALLEST_NUMBER else x for x in (invest, p_alone, share, launch)]  # too small: read as 0
    assert npv.loc["A", "npv_alone"] == pytest.approx(npv_by_hand(*held[:3], held[3], m=80_000), abs=1e-3)


# --------------------------------------------------------------------------- the learning race, by hand
def test_learning_race_for_two_parties_by_hand():
    # A discloses 0.5 of 1m, B 0.1 of 0.5m; A absorbs 0.2, B 0.8
    race = learning_race([0.5, 0.1], [0.2, 0.8], [1_000_000, 500_000])
    assert list(race.columns) == ["disclosed", "leaked", "learned", "balance", "risk"]
    assert race["disclosed"].tolist() == pytest.approx([500_000, 50_000])
    assert race["leaked"].tolist() == pytest.approx([500_000 * 0.8, 50_000 * 0.2])  # 400,000 and 10,000
    assert race["learned"].tolist() == pytest.approx([0.2 * 50_000, 0.8 * 500_000])  # 10,000 and 400,000
    assert race["balance"].tolist() == pytest.approx([-390_000, 390_000])
    assert race["risk"].tolist() == pytest.approx([390_000, 0])


def test_learning_race_for_three_parties_by_hand():
    x, a, k = [0.5, 0.2, 0.1], [0.3, 0.6, 0.9], [10e6, 20e6, 30e6]
    race = learning_race(x, a, k)
    # disclosed 5m, 4m, 3m; each leaks to the best learner among the others
    assert race["disclosed"].tolist() == pytest.approx([5e6, 4e6, 3e6])
    assert race["leaked"].tolist() == pytest.approx([5e6 * 0.9, 4e6 * 0.9, 3e6 * 0.6])
    # each learns its capacity times the average of what the others disclose, sum / (n - 1)
    assert race["learned"].tolist() == pytest.approx([0.3 * 7e6 / 2, 0.6 * 8e6 / 2, 0.9 * 9e6 / 2])
    assert race["balance"].tolist() == pytest.approx([1.05e6 - 4.5e6, 2.4e6 - 3.6e6, 4.05e6 - 1.8e6])
    assert race["risk"].tolist() == pytest.approx([3.45e6, 1.2e6, 0.0])


def test_in_a_two_party_race_what_one_leaks_the_other_learns():
    race = learning_race([0.4, 0.2], [0.4, 0.7], [60e6, 40e6])
    assert race["leaked"].tolist() == pytest.approx(race["learned"].tolist()[::-1])
    assert race["risk"].tolist() == pytest.approx([13.6e6, 0.0])


def test_learning_race_without_know_how_or_disclosure_is_zero():
    assert learning_race([0.3, 0.3], [0.5, 0.5], [0, 0]).to_numpy().tolist() == [[0.0] * 5] * 2
    assert learning_race([0, 0, 0], [1, 1, 1], [1e6, 2e6, 3e6])["risk"].tolist() == [0.0] * 3


def test_sample_learning_table_is_the_race_by_hand(sample):
    race = sample.tables["learning"]
    assert list(race.index) == ["Nordic Trucks", "Alpine Motors"] and race.index.name == "party"
    # Nordic discloses 0.4 x 60m = 24m, Alpine absorbs 0.7 of it; Alpine discloses 0.2 x 40m = 8m, Nordic absorbs 0.4
    assert race["disclosed"].tolist() == pytest.approx([24e6, 8e6])
    assert race["leaked"].tolist() == pytest.approx([16.8e6, 3.2e6])
    assert race["learned"].tolist() == pytest.approx([3.2e6, 16.8e6])
    assert race["risk"].tolist() == pytest.approx([13.6e6, 0.0])
    assert sample.tables["npv"]["learning_risk"].tolist() == race["risk"].tolist()
    assert (
        "Learning race: Nordic Trucks leaks 16,800,000 of know-how and learns 3,200,000; the difference, "
        "13,600,000, is counted against it." in [f.text for f in sample.findings if f.level == "caution"]
    )
    assert not any("Learning race: Alpine Motors" in f.text for f in sample.findings)


# --------------------------------------------------------------------------- gains
def test_gain_is_the_split_less_the_learning_loss_less_the_stand_alone(sample):
    deal = sample.details["winwin"]
    d = [max(0.0, npv_by_hand(180e6, 0.6, 0.25, 4)), max(0.0, npv_by_hand(220e6, 0.5, 0.18, 5))]
    together = npv_by_hand(300e6, 0.75, 0.42, 3)
    surplus = together - sum(d)
    # two parties: the pooling game's Shapley value gives each half the surplus
    share = [d[0] + surplus / 2, d[1] + surplus / 2]
    gain = [share[0] - 13.6e6 - d[0], share[1] - 0.0 - d[1]]
    assert deal.share.tolist() == pytest.approx(share, rel=1e-12)
    assert deal.gain.tolist() == pytest.approx(gain, rel=1e-12)
    assert sample.tables["npv"]["gain"].tolist() == deal.gain.tolist()
    assert sample.parties["gain"].tolist() == deal.gain.tolist()
    assert [round(g) for g in gain] == [110_442_949, 124_042_949]
    assert sample.headline == (
        "Gain over going alone (present value): Nordic Trucks +110,442,949, Alpine Motors +124,042,949 EUR."
    )


def test_reputation_risk_counts_against_us_only():
    a = quick(case(rep_revenue={"likely": 5e6}, rep_quality=5, rep_incidents=5))
    per_year = a.details["risk"].risk_adjustment
    assert per_year > 0
    pv = per_year * sum(1.1**-k for k in range(1, 16))
    deal = a.details["winwin"]
    assert deal.risk_adjustment.tolist() == pytest.approx([pv, 0.0])
    assert a.tables["npv"]["learning_risk"].tolist() == [0.0, 0.0]  # the table shows the learning race alone
    plain = quick(case())
    assert deal.gain.tolist() == pytest.approx([plain.details["winwin"].gain[0] - pv, plain.details["winwin"].gain[1]])


def test_investment_share_follows_the_share_of_value(sample):
    npv = sample.tables["npv"]
    value = sample.details["winwin"].partnership_value
    assert npv["investment_share"].sum() == pytest.approx(300e6)
    assert npv["investment_share"].tolist() == pytest.approx((300e6 * npv["share_of_venture"] / value).tolist())


# --------------------------------------------------------------------------- the split rules
THREE = (
    venturer("A", technology=2, production=4, distribution=4, bargaining_power=3, share_alone=0.1),
    venturer("B", technology=5, production=5, distribution=10, bargaining_power=1, share_alone=0.1),
    venturer("C", technology=10, production=10, distribution=10, bargaining_power=1, share_alone=0.1),
)


@pytest.mark.parametrize("rule", RULES)
def test_each_split_rule_by_hand_for_three_parties(rule):
    a = quick(case(*THREE, split_rule=rule))
    deal = a.details["winwin"]
    d = deal.standalone_payoff
    value = deal.partnership_value
    surplus = value - d.sum()
    brings = np.array([10.0, 20.0, 30.0])
    expected = {
        # pooling game g(S) = c_S / c_N for two or more: Shapley psi_i = c_i / (2 c_N) + 1/6
        "shapley": d + surplus * (brings / (2 * 60) + 1 / 6),
        "nash": d + surplus * np.array([3, 1, 1]) / 5,
        "proportional": value * brings / 60,
        "equal": np.full(3, value / 3),
    }[rule]
    assert deal.split_rule == rule
    assert deal.share.tolist() == pytest.approx(expected.tolist(), rel=1e-9)
    assert a.tables["npv"]["share_of_venture"].sum() == pytest.approx(value)
    assert deal.gain.tolist() == pytest.approx((expected - d).tolist(), rel=1e-9)


def test_shapley_with_two_parties_halves_the_surplus_whatever_each_brings():
    strong = venturer("A", technology=10, production=10, distribution=10)
    weak = venturer("B", technology=1, production=0, distribution=0, p_alone=0.5, launch_alone=5, share_alone=0.18)
    deal = quick(case(strong, weak)).details["winwin"]
    gains = deal.share - deal.standalone_payoff
    assert gains[0] == pytest.approx(gains[1]) and gains[0] == pytest.approx(deal.surplus / 2)
    proportional = quick(case(strong, weak, split_rule="proportional")).details["winwin"]
    assert proportional.share.tolist() == pytest.approx([deal.partnership_value * 30 / 31, deal.partnership_value / 31])


def test_nothing_brought_is_fine_under_nash_and_equal():
    idle = {"technology": 0, "production": 0, "distribution": 0}
    for rule in ("nash", "equal"):
        a = quick(case(venturer("A", **idle), venturer("B", share_alone=0.1, **idle), split_rule=rule))
        assert a.details["winwin"].share.sum() == pytest.approx(a.details["winwin"].partnership_value)


def test_the_splits_table_lists_every_rule_of_the_sample(sample):
    splits = sample.details["winwin"].splits
    assert list(splits.index) == RULES
    assert splits.loc["shapley", ["Nordic Trucks", "Alpine Motors"]].tolist() == pytest.approx(
        sample.details["winwin"].share.tolist()
    )


# --------------------------------------------------------------------------- disclosure and learning capacity
shares = st.floats(0, 1)
three = st.lists(shares, min_size=3, max_size=3)


def race_case(n: int, rule: str, disclosure, absorptive, knowhow) -> dict:
    parties = [
        venturer(name, disclosure=x, absorptive=a, knowhow=k, share_alone=0.1)
        for name, x, a, k in zip("ABC", disclosure, absorptive, knowhow, strict=True)
    ]
    return case(*parties[:n], split_rule=rule)


@given(
    n=st.integers(2, 3),
    who=st.integers(0, 2),
    rule=st.sampled_from(RULES),
    disclosure=three,
    absorptive=three,
    knowhow=st.lists(st.floats(0, 3e8), min_size=3, max_size=3),
    more=st.floats(0, 1),
)
def test_disclosing_more_never_raises_a_partys_gain(n, who, rule, disclosure, absorptive, knowhow, more):
    assume(who < n)
    raised = list(disclosure)
    raised[who] = min(1.0, disclosure[who] + more)
    before = quick(race_case(n, rule, disclosure, absorptive, knowhow)).details["winwin"].gain[who]
    after = quick(race_case(n, rule, raised, absorptive, knowhow)).details["winwin"].gain[who]
    assert after <= before + 1e-6


@given(
    n=st.integers(2, 3),
    who=st.integers(0, 2),
    rule=st.sampled_from(RULES),
    disclosure=three,
    absorptive=three,
    knowhow=st.lists(st.floats(0, 3e8), min_size=3, max_size=3),
    more=st.floats(0, 1),
)
def test_learning_faster_never_lowers_a_partys_gain(n, who, rule, disclosure, absorptive, knowhow, more):
    assume(who < n)
    raised = list(absorptive)
    raised[who] = min(1.0, absorptive[who] + more)
    before = quick(race_case(n, rule, disclosure, absorptive, knowhow)).details["winwin"].gain[who]
    after = quick(race_case(n, rule, disclosure, raised, knowhow)).details["winwin"].gain[who]
    assert after >= before - 1e-6


# --------------------------------------------------------------------------- the ring-fence condition
RING_FENCE = "Condition: A discloses more than it learns; ring-fence its know-how (clean teams, staged disclosure)."


@pytest.mark.parametrize(("factor", "fenced"), [(1.01, True), (0.99, False)])
def test_ring_fence_when_the_loss_exceeds_a_tenth_of_the_venture_npv(factor, fenced):
    value = quick(case()).details["winwin"].partnership_value  # 255,300,684
    # A discloses half its know-how K, B absorbs half of that and discloses nothing: A loses K / 4
    knowhow = 0.4 * value * factor
    a_party = venturer("A", disclosure=0.5, knowhow=knowhow)
    b_party = venturer("B", p_alone=0.5, launch_alone=5, share_alone=0.18, disclosure=0.0, absorptive=0.5)
    a = quick(case(a_party, b_party))
    assert a.tables["learning"].loc["A", "risk"] == pytest.approx(knowhow / 4)
    assert a.details["winwin"].win_win and not a.details["winwin"].lopsided
    assert (RING_FENCE in conditions(a)) is fenced
    assert (a.verdict, a.level) == (("go with conditions", "caution") if fenced else ("go", "good"))
    assert conditions(a) == ([RING_FENCE] if fenced else [])
    assert not any("Condition: B " in t for t in conditions(a))  # B learns more than it leaks


def test_no_ring_fence_condition_when_the_deal_is_not_win_win():
    a_party = venturer("A", disclosure=1.0, knowhow=1e9)
    b_party = venturer("B", p_alone=0.5, launch_alone=5, share_alone=0.18, disclosure=0.0, absorptive=1.0)
    a = quick(case(a_party, b_party))
    assert not a.details["winwin"].win_win and a.details["winwin"].win_win_on_paper
    assert a.verdict == "no-go"
    assert conditions(a) == []
    assert a.findings[0].text == ("No-go: win-win on paper only: costs or expected losses leave a party worse off.")


def test_the_sample_loss_is_under_a_tenth_of_the_venture(sample):
    assert sample.tables["learning"].loc["Nordic Trucks", "risk"] < 0.1 * sample.details["winwin"].partnership_value
    assert not any("ring-fence" in t for t in conditions(sample))


def test_ring_fence_condition_for_two_parties_reads_in_the_plural():
    a = quick(
        case(
            venturer("A", disclosure=0.9, knowhow=5e7, absorptive=0.0, share_alone=0.1),
            venturer("B", disclosure=0.9, knowhow=5e7, absorptive=0.0, share_alone=0.1),
            venturer("C", disclosure=0.0, absorptive=1.0, share_alone=0.1),
            split_rule="nash",
        )
    )
    fence = [t for t in conditions(a) if "ring-fence" in t]
    assert len(fence) == 1 and fence[0].startswith("Condition: A, B ")
    assert "discloses more than it learns" not in fence[0]


# --------------------------------------------------------------------------- competition-law guardrails
@pytest.mark.parametrize(("kind", "threshold"), [("rnd", 0.25), ("production", 0.20), ("commercialisation", 0.15)])
def test_guardrail_kinds_flip_the_verdict_at_their_threshold(kind, threshold):
    assert antitrust.EU_THRESHOLDS[kind] == threshold
    half = threshold / 2  # two equal halves add up to the threshold exactly
    at = quick(case(venturer("A", market_share=half), venturer("B", market_share=half, share_alone=0.1), jv_kind=kind))
    above = quick(
        case(venturer("A", market_share=half), venturer("B", market_share=half + 0.01, share_alone=0.1), jv_kind=kind)
    )
    assert at.details["guardrails"].kind == kind and at.details["guardrails"].eu_threshold == threshold
    assert at.details["guardrails"].within_eu_threshold is True
    assert (at.verdict, at.level, conditions(at)) == ("go", "good", [])
    assert above.details["guardrails"].within_eu_threshold is False
    assert (above.verdict, above.level, above.passed) == ("go with conditions", "caution", True)
    assert conditions(above) == ["Condition: competition law: above a safe-harbour threshold; have counsel assess it."]


def test_a_share_that_clears_rnd_does_not_clear_commercialisation():
    parties = (venturer("A", market_share=0.1), venturer("B", market_share=0.1, share_alone=0.1))
    verdicts = {
        kind: quick(case(*parties, jv_kind=kind)).verdict for kind in ("rnd", "production", "commercialisation")
    }
    assert verdicts == {"rnd": "go", "production": "go", "commercialisation": "go with conditions"}


def test_sample_guardrails(sample):
    guard = sample.details["guardrails"]
    assert isinstance(guard, antitrust.Guardrails)
    assert guard.kind == "production" and guard.combined_share == pytest.approx(0.21)
    assert guard.within_eu_threshold is False and guard.hhi_after == pytest.approx(1_691)
    assert conditions(sample) == ["Condition: competition law: above a safe-harbour threshold; have counsel assess it."]


@pytest.mark.parametrize(
    ("kind", "shares"), [("rnd", (0.15, 0.10)), ("production", (0.12, 0.08)), ("commercialisation", (0.10, 0.05))]
)
def test_shares_adding_up_to_the_threshold_in_decimals_are_within_it(kind, shares):
    # 0.10 + 0.05 is 0.15000000000000002 in binary floating point: still 15 %
    parties = (venturer("A", market_share=shares[0]), venturer("B", market_share=shares[1], share_alone=0.1))
    a = quick(case(*parties, jv_kind=kind))
    assert a.details["guardrails"].within_eu_threshold is True
    assert a.verdict == "go"


def test_market_shares_and_rival_shares_adding_above_one_are_refused_on_the_rival_shares():
    # each total is fine on its own (0.6 and 0.5); together they describe a market of 110 %
    data = case(
        venturer("A", market_share=0.3), venturer("B", market_share=0.3, share_alone=0.1), rival_shares="0.3, 0.2"
    )
    assert problems_of(data) == [
        Problem(
            ("rival_shares",),
            "Other large players' shares and the parties' market shares must add up to at most 1, got 1.1",
        )
    ]
    exactly_one = case(
        venturer("A", market_share=0.3), venturer("B", market_share=0.2, share_alone=0.1), rival_shares="0.3, 0.2"
    )
    assert problems_of(exactly_one) == []
    assert quick(exactly_one).details["guardrails"].hhi_after == pytest.approx(50**2 + 30**2 + 20**2)


# --------------------------------------------------------------------------- the sample case
def test_sample_case_validates_and_gives_the_documented_verdict(sample):
    assert sample.worksheet == "new_market"
    assert (sample.verdict, sample.level, sample.passed) == ("go with conditions", "caution", True)
    assert sample.probability_label == "P(win-win)"
    assert sample.probability is not None and 0.8 <= sample.probability <= 1  # above the floor: no condition
    assert set(sample.tables) == {"npv", "learning", "sensitivity"}
    assert set(sample.details) == {"winwin", "risk", "guardrails", "per"}
    assert isinstance(sample.details["winwin"], winwin.WinWinResult)
    assert isinstance(sample.details["risk"], reputation.ReputationResult)
    assert sample.details["per"] == "present value"
    assert sample.details["winwin"].win_win and not sample.details["winwin"].lopsided
    assert sample.currency == "EUR"
    assert list(sample.parties.index) == ["Nordic Trucks", "Alpine Motors"]
    assert sample.parties.columns[0] == "npv_alone"
    assert list(sample.tables["npv"].columns) == [
        "npv_alone",
        "standalone",
        "share_of_venture",
        "investment_share",
        "learning_risk",
        "gain",
    ]
    assert list(sample.tables["learning"].columns) == ["disclosed", "leaked", "learned", "balance", "risk"]
    assert len(sample.assumptions) == 5 and sample.assumptions[-1] == (
        "The segment adopts along a Bass curve, p = 0.03, q = 0.38."
    )
    assert (
        "The partnership creates a surplus of 248,085,898 (present value) over the 46,879,120 the parties earn on "
        "their own." in [f.text for f in sample.findings]
    )
    assert not any(" a year" in f.text for f in sample.findings)


def test_sample_sensitivity_table(sample):
    table = sample.tables["sensitivity"]
    assert list(table.columns) == ["input", "label", "low", "high", "margin_at_low", "margin_at_high", "swing"]
    assert set(table["input"]) == {
        "segment_potential",
        "revenue_per_customer",
        "jv_investment",
        "p_together",
        "launch_together",
        "share_together",
        "parties.0.p_alone",
        "parties.1.p_alone",
        "parties.0.knowhow",
        "parties.1.knowhow",
    }
    assert table["swing"].tolist() == sorted(table["swing"], reverse=True)
    rows = table.set_index("input")
    # the ranges of the sample are used for the Uncertain inputs, +-20 % for the others
    assert rows.loc["segment_potential", ["low", "high"]].tolist() == [55_000, 110_000]
    assert rows.loc["parties.0.knowhow", ["low", "high"]].tolist() == pytest.approx([48e6, 72e6])
    # 20 % of Nordic's know-how moves its leak by 0.2 x 24m x 0.7 = 3.36m each way
    assert rows.loc["parties.0.knowhow", "swing"] == pytest.approx(6.72e6)
    # Alpine would stay out alone at any nearby odds: its stand-alone stays 0
    assert rows.loc["parties.1.p_alone", "swing"] == 0
    base = float(sample.details["winwin"].gain.min())
    assert rows.loc["launch_together", "margin_at_low"] > base > rows.loc["launch_together", "margin_at_high"]
    assert new_market.margin(Inputs.model_validate(sample_inputs())) == pytest.approx(base)


def test_sample_round_trips_without_losing_data():
    data = sample_inputs()
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert Inputs.model_validate(dumped) == inputs
    for key, value in data.items():
        assert dumped[key] == value, key


def test_registered_sheet():
    assert SHEET.name == "new_market" and SHEET.kind == "option"
    assert SHEET.inputs is Inputs and SHEET.assess is assess
    assert SHEET.sample == SAMPLE
    assert SHEET.title == "Entering a new market together" and SHEET.summary


def test_assess_does_not_change_its_inputs():
    inputs = Inputs.model_validate({**sample_inputs(), "draws": 1_000})
    before = copy.deepcopy(inputs.model_dump())
    assess(inputs)
    assert inputs.model_dump() == before


# --------------------------------------------------------------------------- P(win-win)
RANGED = {"share_together": 0.29, "draws": 2_000}  # the sample with a smaller share: P(win-win) about 0.73


def test_p_win_win_is_reproducible_with_the_same_seed_and_differs_with_another():
    first = quick({**sample_inputs(), **RANGED}).probability
    again = quick({**sample_inputs(), **RANGED}).probability
    other = quick({**sample_inputs(), **RANGED, "seed": 1}).probability
    assert first == again
    assert 0.5 < first < 1 and 0.5 < other < 1
    assert other != first


def test_p_win_win_only_with_ranges_and_the_paper_figures_do_not_move():
    on = quick({**sample_inputs(), **RANGED})
    off = quick({**sample_inputs(), **RANGED, "use_ranges": False})
    assert off.probability is None and on.probability is not None
    assert on.parties["gain"].tolist() == off.parties["gain"].tolist()


def test_p_win_win_with_ranges_pinned_to_the_likely_values_is_the_paper_verdict():
    pinned = {
        name: {"likely": value["likely"], "low": value["likely"], "high": value["likely"]}
        for name, value in sample_inputs().items()
        if name in ("jv_investment", "p_together", "segment_potential", "revenue_per_customer")
    }
    assert quick({**sample_inputs(), **pinned, "draws": 1_000}).probability == 1.0
    losing = quick({**sample_inputs(), **pinned, "draws": 1_000, "share_together": 0.2})
    assert not losing.details["winwin"].win_win and losing.probability == 0.0


def test_a_p_win_win_under_the_floor_is_a_condition():
    a = quick({**sample_inputs(), **RANGED})
    assert a.details["winwin"].win_win and a.probability < P_WIN_WIN_FLOOR
    # the venture is worth less (about 111m), so Nordic's 13.6m loss is now above a tenth of it as well
    assert a.tables["learning"].loc["Nordic Trucks", "risk"] > 0.1 * a.details["winwin"].partnership_value
    texts = conditions(a)
    assert len(texts) == 3
    assert texts[0] == "Condition: competition law: above a safe-harbour threshold; have counsel assess it."
    assert texts[1].startswith("Condition: win-win in only ")
    assert texts[1].endswith("% of scenarios; narrow the uncertainty or build in a review point.")
    shown = float(re.search(r"only ([0-9.]+)%", texts[1]).group(1)) / 100
    assert shown == pytest.approx(a.probability, abs=0.005)  # the probability as printed, whatever the rounding
    assert texts[2] == (
        "Condition: Nordic Trucks discloses more than it learns; ring-fence its know-how (clean teams, staged "
        "disclosure)."
    )


# --------------------------------------------------------------------------- problems()
@pytest.mark.parametrize("second", ["A", "a", " A ", "a  "])
def test_duplicate_party_names_are_refused_ignoring_case_and_blanks(second):
    problems = problems_of(case(venturer("A"), venturer(second, share_alone=0.1)))
    assert problems == [Problem(("parties", 1, "name"), "Party 2: name is also used by party 1")]


def test_blank_name_is_refused():
    assert problems_of(case(venturer("A"), venturer("   ", share_alone=0.1))) == [
        Problem(("parties", 1, "name"), "Party 2: name must not be blank")
    ]


@pytest.mark.parametrize("rule", ["shapley", "proportional"])
def test_nothing_brought_is_refused_under_shapley_and_proportional(rule):
    idle = {"technology": 0, "production": 0, "distribution": 0}
    data = case(venturer("A", **idle), venturer("B", share_alone=0.1, **idle), split_rule=rule)
    assert problems_of(data) == [
        Problem(("parties",), "Parties must bring something (technology, production or distribution)")
    ]
    assert problems_of({**data, "split_rule": "nash"}) == []
    one = case(venturer("A", **idle), venturer("B", share_alone=0.1, technology=0.5, production=0, distribution=0))
    assert problems_of({**one, "split_rule": rule}) == []


def test_shares_adding_above_one_are_refused():
    problems = problems_of(
        case(venturer("A", share_alone=0.6, market_share=0.7), venturer("B", share_alone=0.5, market_share=0.4))
    )
    assert problems == [
        Problem(("parties",), "Segment shares alone must add up to at most 1, got 1.1"),
        Problem(("parties",), "Market shares today must add up to at most 1, got 1.1"),
    ]
    assert problems_of(case(venturer("A", share_alone=0.6), venturer("B", share_alone=0.4))) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.3, abc", "Other large players' shares must be numbers separated by commas, got 'abc' (entry 2)"),
        ("0.3, 2", "Other large players' shares must be numbers between 0 and 1, got 2 (entry 2)"),
        (", ".join(["0.01"] * 21), "Other large players' shares must list 0 to 20 numbers, got 21"),
    ],
)
def test_rival_shares_text_is_checked(text, message):
    assert problems_of(case(rival_shares=text)) == [Problem(("rival_shares",), message)]


def test_rival_shares_are_used_for_the_hhi():
    a = quick(
        case(venturer("A", market_share=0.1), venturer("B", market_share=0.05, share_alone=0.1), rival_shares="0.3 0.2")
    )
    # (10 + 5)^2 + 30^2 + 20^2 = 225 + 900 + 400 = 1,525 with the parties as one
    assert a.details["guardrails"].hhi_after == pytest.approx(1_525)


def test_unordered_ranges_are_ignored_while_ranges_are_off():
    data = case(
        segment_potential={"likely": 80_000, "low": 90_000},
        jv_investment={"likely": 3e8, "high": 2e8},
        rep_base_rate={"likely": 0.05, "low": 0.1},
    )
    assert problems_of(data) == []
    assert problems_of({**data, "use_ranges": True}) == [
        Problem(
            ("jv_investment",),
            "Joint investment needs low <= most likely <= high, got low 300,000,000, most likely 300,000,000, "
            "high 200,000,000",
        ),
        Problem(
            ("segment_potential",),
            "Segment potential needs low <= most likely <= high, got low 90,000, most likely 80,000, high 80,000",
        ),
        Problem(
            ("rep_base_rate",),
            "Base incident rate needs low <= most likely <= high, got low 0.1, most likely 0.05, high 0.05",
        ),
    ]


def test_unordered_range_of_success_and_revenue_per_customer():
    data = case(
        use_ranges=True,
        p_together={"likely": 0.7, "low": 0.8, "high": 0.9},
        revenue_per_customer={"likely": 60_000, "low": 50_000, "high": 55_000},
    )
    assert [p.loc for p in problems_of(data)] == [("p_together",), ("revenue_per_customer",)]


# --------------------------------------------------------------------------- bad input, on the right field
@pytest.mark.parametrize(
    ("extra", "loc", "message"),
    [
        ({"share_together": -0.1}, ("share_together",), "Segment share together must be between 0 and 1, got -0.1"),
        ({"years": 31}, ("years",), "Horizon must be between 1 and 30, got 31"),
        ({"years": 0}, ("years",), "Horizon must be between 1 and 30, got 0"),
        ({"years": 2.5}, ("years",), "Horizon must be a whole number between 1 and 30, got 2.5"),
        ({"launch_together": 15.5}, ("launch_together",), "Launch together must be between 0 and 15, got 15.5"),
        ({"discount_rate": 0.6}, ("discount_rate",), "Discount rate must be between 0 and 0.5, got 0.6"),
        ({"margin": 1.1}, ("margin",), "Margin must be between 0 and 1, got 1.1"),
        ({"bass_p": 0}, ("bass_p",), "Innovation p must be greater than 0 and at most 1, got 0"),
        ({"bass_q": 6}, ("bass_q",), "Imitation q must be between 0 and 5, got 6"),
        (
            {"split_rule": "explicit"},
            ("split_rule",),
            "Split rule must be one of 'shapley', 'nash', 'proportional' or 'equal', got 'explicit'",
        ),
        (
            {"jv_kind": "purchasing"},
            ("jv_kind",),
            "The venture does must be one of 'rnd', 'production' or 'commercialisation', got 'purchasing'",
        ),
        ({"draws": 999}, ("draws",), "Monte Carlo draws must be between 1,000 and 500,000, got 999"),
        ({"draws": 500_001}, ("draws",), "Monte Carlo draws must be between 1,000 and 500,000, got 500,001"),
        (
            {"jv_investment": {"likely": -1}},
            ("jv_investment", "likely"),
            "Joint investment (most likely) must be between 0 and 1,000,000,000,000, got -1",
        ),
        (
            {"p_together": {"likely": 0.5, "high": 1.2}},
            ("p_together", "high"),
            "Success together (high) must be between 0 and 1, got 1.2",
        ),
        (
            {"currency": "eur"},
            ("currency",),
            "Currency must be a three-letter ISO currency code in capitals, e.g. EUR, got 'eur'",
        ),
        ({"colour": "red"}, ("colour",), "colour is not a field of this worksheet"),
    ],
)
def test_out_of_range_values_name_the_field_and_the_allowed_range(extra, loc, message):
    assert problems_of(case(**extra)) == [Problem(loc, message)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("p_alone", 1.3, "Party 2: Success alone must be between 0 and 1, got 1.3"),
        ("launch_alone", 16, "Party 2: Launch alone must be between 0 and 15, got 16"),
        ("share_alone", -0.1, "Party 2: Segment share alone must be between 0 and 1, got -0.1"),
        ("invest_alone", -1, "Party 2: Investment alone must be between 0 and 1,000,000,000,000, got -1"),
        ("disclosure", 1.01, "Party 2: Know-how disclosed must be between 0 and 1, got 1.01"),
        ("absorptive", 1.5, "Party 2: Learning capacity must be between 0 and 1, got 1.5"),
        ("knowhow", -1, "Party 2: Value of its know-how must be between 0 and 1,000,000,000,000, got -1"),
        ("technology", 11, "Party 2: Technology must be between 0 and 10, got 11"),
        ("bargaining_power", 0, "Party 2: Bargaining power must be greater than 0 and at most 100, got 0"),
        ("market_share", 1.2, "Party 2: Market share today must be between 0 and 1, got 1.2"),
        ("name", "", "Party 2: Name must be 1 to 40 characters long, got 0"),
        ("name", "x" * 41, "Party 2: Name must be 1 to 40 characters long, got 41"),
    ],
)
def test_party_field_bounds(field, value, message):
    second = {**venturer("B", share_alone=0.1), field: value}
    assert problems_of(case(venturer("A"), second)) == [Problem(("parties", 1, field), message)]


def test_first_party_bounds_are_on_party_one():
    problems = problems_of(case(venturer("A", launch_alone=16), venturer("B", share_alone=0.1)))
    assert problems == [
        Problem(("parties", 0, "launch_alone"), "Party 1: Launch alone must be between 0 and 15, got 16")
    ]


def test_missing_party_figures_are_required():
    assert problems_of(case(venturer("A"), {"name": "B"})) == [
        Problem(("parties", 1, "invest_alone"), "Party 2: Investment alone is required"),
        Problem(("parties", 1, "p_alone"), "Party 2: Success alone is required"),
        Problem(("parties", 1, "launch_alone"), "Party 2: Launch alone is required"),
        Problem(("parties", 1, "share_alone"), "Party 2: Segment share alone is required"),
    ]


@pytest.mark.parametrize("n", [1, 5])
def test_fewer_than_two_or_more_than_four_parties_are_refused(n):
    data = case(*(venturer(f"P{j}", share_alone=0.1) for j in range(n)))
    assert problems_of(data) == [Problem(("parties",), f"Parties must list 2 to 4 entries, got {n}")]


def test_every_field_has_a_title_and_a_description():
    for model in (Inputs, Venturer):
        for name, info in model.model_fields.items():
            assert info.title, name
            assert info.description, name


def test_every_bounded_top_level_field_refuses_a_value_above_its_maximum():
    for name, info in Inputs.model_fields.items():
        bounds = field_bounds(info)
        if "le" not in bounds:
            continue
        problems = problems_of(case(**{name: bounds["le"] + 1}))
        assert [p.loc for p in problems] == [(name,)], name
        assert problems[0].message.startswith(f"{info.title} must be "), name


# --------------------------------------------------------------------------- the view
def test_view_sections_and_charts_render(sample):
    v = view(sample)
    assert [s.key for s in v.before] == ["parties", "npv", "learning"]
    assert [s.key for s in v.after] == ["guardrails"]  # no revenue at stake: no reputation section
    assert [s.title for s in v.before] == [
        "Each party, in present value",
        "Going alone against the venture",
        "The learning race: what each side discloses and learns",
    ]
    for s in v.before:
        assert s.html.startswith("<table class='coopkit-table ") and s.html.endswith("</table>")
        assert "EUR, present value" in s.html
    assert "coopkit-npv-table" in v.before[1].html and "coopkit-learning-table" in v.before[2].html
    assert [c.alt for c in v.charts] == [
        "Payoff on its own and with the deal, per party",
        "Tornado: inputs that swing the smallest gain most",
        "The learning race: know-how leaked and learned per party",
    ]
    for chart in v.charts:
        fig = chart.build()
        assert isinstance(fig, Figure), chart.alt
        width, height = png_size(to_png(fig, dpi=40))
        assert width == round(fig.get_figwidth() * 40) and height > 50, chart.alt
    assert v.charts[-1].build().axes[0].get_title() == "Nordic Trucks gives more than it gets"


def test_view_shows_the_reputation_risk_when_revenue_is_at_stake():
    a = quick({**sample_inputs(), "use_ranges": False, "rep_revenue": {"likely": 5e6}})
    assert [s.key for s in view(a).after] == ["guardrails", "risk"]


def test_view_escapes_a_hostile_party_name():
    data = sample_inputs()
    data["parties"][1]["name"] = HOSTILE
    data["draws"] = 1_000
    v = view(run(data))
    for s in v.before + v.after:
        assert HOSTILE not in s.html, s.key
    for s in v.before:
        assert "&lt;b&gt;X&lt;/b&gt;" in s.html, s.key
        assert HOSTILE in Text(s.html).parts, s.key  # shown as typed, as a cell of its own
    for chart in v.charts:
        png_size(to_png(chart.build(), dpi=40))
    ax = v.charts[-1].build().axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Nordic Trucks", HOSTILE]


def test_view_renders_a_name_with_dollar_signs():
    data = sample_inputs()
    data["parties"][0]["name"] = "A$_$"
    data["draws"] = 1_000
    v = view(run(data))
    assert v.charts[-1].build().axes[0].get_title() == "A$_$ gives more than it gets"
    for chart in v.charts:
        png_size(to_png(chart.build(), dpi=40))


# --------------------------------------------------------------------------- learning_chart
@pytest.mark.parametrize(
    ("leaked", "learned", "names", "title"),
    [
        ([5.0, 1.0], [1.0, 5.0], ["A", "B"], "A gives more than it gets"),
        ([1.0, 5.0], [5.0, 1.0], ["A", "B"], "B gives more than it gets"),
        ([5.0, 5.0, 0.0], [1.0, 1.0, 9.0], ["A", "B", "C"], "A, B give more than they get"),
        ([2.0, 2.0], [2.0, 2.0], ["A", "B"], "No side gives more than it gets"),
        ([0.0, 0.0], [0.0, 0.0], ["A", "B"], "No side gives more than it gets"),
    ],
)
def test_learning_chart_title(leaked, learned, names, title):
    race = pd.DataFrame({"leaked": leaked, "learned": learned}, index=names)
    fig = learning_chart(race, "USD")
    ax = fig.axes[0]
    assert ax.get_title() == title
    assert ax.get_ylabel() == "Know-how (USD, present value)"
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    heights = [p.get_height() for p in ax.patches]
    assert heights == leaked + learned
    png_size(to_png(fig, dpi=40))


def test_learning_chart_title_follows_the_race_when_alpine_learns_faster():
    data = sample_inputs()
    data["parties"][1]["absorptive"] = 0.95
    race = quick({**data, "use_ranges": False}).tables["learning"]
    assert learning_chart(race).axes[0].get_title() == "Nordic Trucks gives more than it gets"
    data["parties"][1].update(disclosure=0.9, absorptive=0.1)
    race = quick({**data, "use_ranges": False}).tables["learning"]
    assert learning_chart(race).axes[0].get_title() == "Alpine Motors gives more than it gets"
