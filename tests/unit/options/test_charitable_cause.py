"""Tests for coopkit.options.charitable_cause: option 1, a joint charitable cause funded by competitors."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.frameworks import antitrust, game, reputation, winwin
from coopkit.frameworks.findings import Finding
from coopkit.options import charitable_cause as cc
from coopkit.options.base import Assessment, Problem, validate
from coopkit.options.charitable_cause import COST_LABELS, COST_RULES, SHEET, Inputs, assess, cost_shares
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "charitable_cause_literacy.json"
GROCERS = ["Harbor Foods", "Greenway Markets", "Corner & Co"]

# The sample by hand (EUR a year). F = 180,000, u = 45; beneficiaries 2,000 + 1,200 + 500 = 3,700,
# so the programme costs C = 180,000 + 45 x 3,700 = 346,500 (93.65 a beneficiary).
# Alone: Harbor 300,000 - 180,000 - 90,000 = 30,000; Greenway 200,000 - 180,000 - 54,000 < 0 -> 0; Corner 0.
COST = 346_500.0
STANDALONE = [30_000.0, 0.0, 0.0]
# Goodwill game, masks by bit (Harbor 1, Greenway 2, Corner 4):
#   v(H) = 30,000; v(G) = v(C) = 0
#   v(HG) = 450,000 - 180,000 - 45 x 3,200 = 126,000;  v(HC) = 370,000 - 180,000 - 45 x 2,500 = 77,500
#   v(GC) = 300,000 - 180,000 - 45 x 1,700 = 43,500;    v(HGC) = 560,000 - 346,500 = 213,500
GAME = [0.0, 30_000.0, 0.0, 126_000.0, 0.0, 77_500.0, 43_500.0, 213_500.0]
# Shapley: phi_H = 30,000/3 + (126,000 - 0)/6 + (77,500 - 0)/6 + (213,500 - 43,500)/3 = 100,583.33
#          phi_G = 0/3 + (126,000 - 30,000)/6 + (43,500 - 0)/6 + (213,500 - 77,500)/3 = 68,583.33
#          phi_C = 0/3 + (77,500 - 30,000)/6 + (43,500 - 0)/6 + (213,500 - 126,000)/3 = 44,333.33
SHAPLEY = [100_583.0 + 1 / 3, 68_583.0 + 1 / 3, 44_333.0 + 1 / 3]
GOODWILL = [260_000.0, 190_000.0, 110_000.0]
EXPECTED_COSTS = {
    "equal": [115_500.0] * 3,  # 346,500 / 3
    "revenue": [COST * 180 / 340, COST * 120 / 340, COST * 40 / 340],  # 183,441.18; 122,294.12; 40,764.71
    "benefit": [COST * 260 / 560, COST * 190 / 560, COST * 110 / 560],  # 160,875; 117,562.50; 68,062.50
    "shapley": [g - phi for g, phi in zip(GOODWILL, SHAPLEY, strict=True)],  # 159,416.67; 121,416.67; 65,666.67
}


def sample_inputs() -> dict:
    return read_case(sample_case(SAMPLE)).inputs


def sponsor(name: str, goodwill: float, beneficiaries: float = 100.0, **extra) -> dict:
    return {"name": name, "goodwill": {"likely": goodwill}, "beneficiaries": beneficiaries, **extra}


def case(*sponsors: dict, **extra) -> dict:
    """Inputs data; by default A and B each bring 1,000 of goodwill and 100 beneficiaries (F 100,000, u 50)."""
    sponsors = sponsors or (sponsor("A", 100_000.0), sponsor("B", 100_000.0))
    return {"sponsors": list(sponsors), **extra}


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


def goodwill_game(g, F, u, r, d):
    """The goodwill game written out independently: all together run the programme, g_N - F - u r_N;
    smaller groups max(g_S - F - u r_S, d_S); a sponsor alone d_i."""

    def value(coalition: frozenset) -> float:
        members = list(coalition)
        if len(members) == 1:
            return float(d[members[0]])
        joint = sum(g[j] for j in members) - F - u * sum(r[j] for j in members)
        if len(members) == len(g):
            return float(joint)
        return float(max(joint, sum(d[j] for j in members)))

    return value


@pytest.fixture(scope="module")
def sample() -> Assessment:
    return run(sample_inputs())


# --------------------------------------------------------------------------- the sample case
def test_sample_case_validates_and_gives_the_documented_verdict(sample):
    a = sample
    assert a.worksheet == "charitable_cause"
    assert (a.verdict, a.level, a.passed) == ("go with conditions", "caution", True)
    # the only condition: the co-sponsors' reputation risk to Harbor Foods is high (incidents scored 4)
    assert [f for f in a.findings if f.text.startswith("Condition")] == [
        Finding("caution", "Condition: reputation risk is high: add quality clauses, audits or exit rights.")
    ]
    assert a.details["risk"].after.rating == "high"
    assert a.probability == 1.0  # Shapley leaves every grocer better off in all 100,000 draws
    assert a.probability_label == "P(win-win)"
    assert a.currency == "EUR"
    assert set(a.tables) == {"costs", "programme", "sensitivity"}
    assert set(a.details) == {"winwin", "risk", "guardrails", "shapley", "chosen_rule"}
    assert a.details["chosen_rule"] == "Shapley (fair share of the goodwill game)"
    assert a.assumptions and all(isinstance(x, str) and x for x in a.assumptions)


def test_sample_figures_by_hand(sample):
    a = sample
    taint = a.details["risk"].risk_adjustment  # Harbor's expected loss from a co-sponsor's incident
    assert taint == pytest.approx(1_695.80, abs=0.01)
    assert list(a.parties.index) == GROCERS
    assert list(a.parties.columns) == [
        "goodwill",
        "cost_share",
        "standalone",
        "net_goodwill",
        "risk",
        "with_deal",
        "gain",
        "added_value",
    ]
    assert a.parties["goodwill"].tolist() == GOODWILL
    assert a.parties["cost_share"].tolist() == pytest.approx(EXPECTED_COSTS["shapley"])
    assert a.parties["standalone"].tolist() == STANDALONE
    assert a.parties["net_goodwill"].tolist() == pytest.approx(SHAPLEY)
    assert a.parties["risk"].tolist() == pytest.approx([taint, 0.0, 0.0])
    # gains: 100,583.33 - 30,000 - 1,695.80 = 68,887.53; 68,583.33; 44,333.33
    assert a.parties["gain"].tolist() == pytest.approx([SHAPLEY[0] - 30_000 - taint, SHAPLEY[1], SHAPLEY[2]])
    # added value v(N) - v(N - i): 213,500 - 43,500; 213,500 - 77,500; 213,500 - 126,000
    assert a.parties["added_value"].tolist() == pytest.approx([170_000.0, 136_000.0, 87_500.0])
    assert a.headline == (
        "Gain over each sponsor's alternative, cost split shapley (fair share of the goodwill game): "
        "Harbor Foods +68,888, Greenway Markets +68,583, Corner & Co +44,333 EUR a year."
    )


def test_sample_programme_table(sample):
    t = sample.tables["programme"]["value"]
    # cheapest alone: Harbor (180,000 + 45 x 2,000) / 2,000 = 135; Greenway 195; Corner 405
    assert t.to_dict() == pytest.approx(
        {
            "Beneficiaries a year": 3_700.0,
            "Programme cost": COST,
            "Cost per beneficiary": COST / 3_700,
            "Cheapest solo cost per beneficiary": 135.0,
        }
    )
    assert (
        "Together the sponsors reach 3,700 beneficiaries a year at 93.65 each; the cheapest sponsor alone would pay "
        "135.00." in [f.text for f in sample.findings]
    )


def test_sample_costs_table_compares_every_rule(sample):
    t = sample.tables["costs"]
    taint = sample.details["risk"].risk_adjustment
    assert list(t.index) == [COST_LABELS[r] for r in COST_RULES]
    assert t.index.name == "cost rule"
    assert list(t.columns) == [*GROCERS, "win_win", "smallest_gain"]
    for rule in COST_RULES:
        assert t.loc[COST_LABELS[rule], GROCERS].tolist() == pytest.approx(EXPECTED_COSTS[rule]), rule
    # Equal shares fail the small sponsor: Corner & Co pays 115,500 for 110,000 of goodwill.
    assert bool(t.loc["Equal shares", "win_win"]) is False
    assert t.loc["Equal shares", "smallest_gain"] == pytest.approx(-5_500.0)
    # By revenue Harbor pays most: 260,000 - 183,441.18 - 30,000 - taint = 44,863.02 is the smallest gain
    assert t.loc["In proportion to revenue", "smallest_gain"] == pytest.approx(
        260_000 - COST * 180 / 340 - 30_000 - taint
    )
    # By benefit Corner gains least: 110,000 - 68,062.50 = 41,937.50
    assert t.loc["In proportion to goodwill received", "smallest_gain"] == pytest.approx(41_937.5)
    assert t.loc["Shapley (fair share of the goodwill game)", "smallest_gain"] == pytest.approx(SHAPLEY[2])
    assert t["win_win"].tolist() == [False, True, True, True]


def test_sample_guardrails_are_flagged_but_kind_other_is_no_condition(sample):
    g = sample.details["guardrails"]
    # shares 22 %, 15 %, 5 %; rivals 30 %, 18 %: HHI 1,958 -> 2,988, a rise of 1,030 (a US presumption)
    assert (g.kind, g.hhi_before, g.hhi_after, g.hhi_change) == ("other", 1958.0, 2988.0, 1030.0)
    assert g.us_presumption and g.level == "bad" and g.within_eu_threshold is None
    assert not any("competition law" in f.text for f in sample.findings)


def test_sample_deal_is_in_the_core(sample):
    deal = sample.details["winwin"]
    assert isinstance(deal, winwin.WinWinResult)
    assert deal.split_rule == "given"
    assert deal.win_win and deal.in_core and deal.blocking is None
    assert deal.partnership_value == pytest.approx(213_500.0)
    assert deal.surplus == pytest.approx(183_500.0)
    assert sample.details["shapley"].amounts == pytest.approx(SHAPLEY)


def test_sample_sensitivity_rows_and_labels(sample):
    t = sample.tables["sensitivity"]
    assert list(t.columns) == ["input", "label", "low", "high", "margin_at_low", "margin_at_high", "swing"]
    assert t[["input", "label"]].values.tolist() == [
        ["sponsors.2.goodwill", "Corner & Co: goodwill, joint"],
        ["sponsors.0.goodwill", "Harbor Foods: goodwill, joint"],
        ["sponsors.1.goodwill", "Greenway Markets: goodwill, joint"],
        ["fixed_cost", "fixed cost"],
        ["cost_per_beneficiary", "cost per beneficiary"],
        ["rep_base_rate", "base incident rate"],
    ]
    # ranges are on: each input swings over its range
    assert t["low"].tolist() == pytest.approx([70_000, 180_000, 130_000, 150_000, 38, 0.02])
    assert t["high"].tolist() == pytest.approx([140_000, 320_000, 240_000, 230_000, 60, 0.08])
    # Corner's goodwill at 70,000: v(HC) = 37,500, v(GC) = 3,500, v(N) = 173,500, so
    # phi_C = (37,500 - 30,000)/6 + 3,500/6 + (173,500 - 126,000)/3 = 17,666.67, the smallest gain
    assert t.loc[0, "margin_at_low"] == pytest.approx(17_666.0 + 2 / 3)
    # Harbor's taint only lowers Harbor's gain, never the smallest: the base rate does not move the margin
    assert t.loc[5, "swing"] == 0.0
    assert t["swing"].is_monotonic_decreasing


def test_sensitivity_without_ranges_swings_20_percent():
    a = run({**sample_inputs(), "use_ranges": False})
    t = a.tables["sensitivity"].set_index("input")
    assert (t.loc["fixed_cost", "low"], t.loc["fixed_cost", "high"]) == pytest.approx((144_000, 216_000))
    assert (t.loc["sponsors.2.goodwill", "low"], t.loc["sponsors.2.goodwill", "high"]) == pytest.approx(
        (88_000, 132_000)
    )
    assert a.probability is None


def test_sensitivity_margins_are_the_margin_of_the_changed_inputs(sample):
    data = sample_inputs()
    row = sample.tables["sensitivity"].set_index("input").loc["fixed_cost"]
    for end, column in (("low", "margin_at_low"), ("high", "margin_at_high")):
        changed = copy.deepcopy(data)
        changed["fixed_cost"]["likely"] = row[end]
        assert cc.margin(Inputs.model_validate(changed)) == pytest.approx(row[column])


def test_margin_is_the_smallest_gain(sample):
    assert cc.margin(Inputs.model_validate(sample_inputs())) == pytest.approx(sample.parties["gain"].min())


def test_sample_round_trips_without_losing_data():
    data = sample_inputs()
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert Inputs.model_validate(dumped) == inputs
    for key, value in data.items():
        assert dumped[key] == value, key


# --------------------------------------------------------------------------- cost rules, by hand
def test_docstring_example_by_hand():
    # g = 300, 100; r = 1, 3; revenue 10, 30; F = 100, u = 10: cost 140.
    # equal 70 each; revenue 35, 105; benefit 105, 35; Shapley: v(AB) = 400 - 140 = 260, each nets 130,
    # so A pays 300 - 130 = 170 and B is paid 30 to join.
    g, r, rev = np.array([300.0, 100.0]), np.array([1.0, 3.0]), np.array([10.0, 30.0])
    expected = {"equal": [70, 70], "revenue": [35, 105], "benefit": [105, 35], "shapley": [170, -30]}
    for rule, shares in expected.items():
        assert cost_shares(rule, g, 100.0, 10.0, r, rev) == pytest.approx(shares), rule


@pytest.mark.parametrize("rule", COST_RULES)
def test_sample_cost_shares_by_hand(rule):
    got = cost_shares(
        rule,
        np.array(GOODWILL),
        180_000.0,
        45.0,
        np.array([2_000.0, 1_200.0, 500.0]),
        np.array([180e6, 120e6, 40e6]),
        np.array(STANDALONE),
    )
    assert got == pytest.approx(EXPECTED_COSTS[rule])
    assert got.sum() == pytest.approx(COST)


def test_two_sponsor_shapley_by_hand():
    # Harbor and Corner alone: v(H) = 30,000, v(C) = 0, v(HC) = 370,000 - 180,000 - 45 x 2,500 = 77,500.
    # phi_H = (30,000 + 77,500 - 0) / 2 = 53,750; phi_C = (77,500 - 30,000) / 2 = 23,750: each gains 23,750.
    # Harbor pays 260,000 - 53,750 = 206,250, Corner 110,000 - 23,750 = 86,250 (together 292,500).
    got = cost_shares(
        "shapley", np.array([260_000.0, 110_000.0]), 180_000.0, 45.0, np.array([2_000.0, 500.0]), None, [30_000.0, 0]
    )
    assert got == pytest.approx([206_250.0, 86_250.0])
    assert got.sum() == pytest.approx(180_000 + 45 * 2_500)


def test_coalition_values_of_the_sample_by_hand():
    v = cc._coalition_values(
        np.array(GOODWILL), 180_000.0, 45.0, np.array([2_000.0, 1_200.0, 500.0]), np.array(STANDALONE)
    )
    assert v.tolist() == pytest.approx(GAME)


def test_coalition_values_take_the_better_of_the_joint_programme_and_the_alternatives():
    # g = 100, 100; r = 10, 10; F = 100, u = 1: the pair nets 200 - 120 = 80 jointly, 90 + 90 apart.
    # All sponsors together are the programme being assessed, so v(N) is its net goodwill even when it loses.
    v = cc._coalition_values(np.array([100.0, 100.0]), 100.0, 1.0, np.array([10.0, 10.0]), np.array([90.0, 90.0]))
    assert v.tolist() == [0.0, 90.0, 90.0, 80.0]
    three = cc._coalition_values(np.full(3, 100.0), 100.0, 1.0, np.full(3, 10.0), np.full(3, 90.0))
    assert three[0b011] == 180.0  # a smaller group takes the better of its own programme and the alternatives
    # a sponsor alone earns its alternative, never its joint goodwill
    v = cc._coalition_values(np.array([500.0, 0.0]), 10.0, 0.0, np.array([1.0, 1.0]), np.zeros(2))
    assert v.tolist() == [0.0, 0.0, 0.0, 490.0]


def test_standalone_is_the_better_of_an_own_programme_and_nothing():
    d = cc._standalone(np.array([300_000.0, 200_000.0, 0.0]), 180_000.0, 45.0, np.array([2_000.0, 1_200.0, 500.0]))
    assert d.tolist() == STANDALONE


def test_shapley_equals_fixed_cost_share_plus_own_beneficiaries_when_net_goodwill_is_even():
    # No alternatives, and the same goodwill per sponsor net of its beneficiaries' cost (g_i - u r_i = 100,000):
    # every pair and the three together run the programme at a profit, and Shapley charges F/n + u r_i
    # = 20,000 + 10 r_i [Young 1994].
    r = np.array([1_000.0, 2_000.0, 4_000.0])
    g = 100_000.0 + 10.0 * r
    got = cost_shares("shapley", g, 60_000.0, 10.0, r, None)
    assert got == pytest.approx(60_000.0 / 3 + 10.0 * r)


def test_shapley_charges_more_to_the_sponsor_who_gets_more_goodwill_as_documented():
    # two sponsors, no alternatives: v(AB) = 400 - 100 - 40 = 260 split equally, so A pays 300 - 130 = 170
    # and B is paid 30 to join (its 100 of goodwill minus 130)
    g, r = np.array([300.0, 100.0]), np.array([1.0, 3.0])
    assert cost_shares("shapley", g, 100.0, 10.0, r, None) == pytest.approx([170.0, -30.0])


def test_a_sponsor_with_a_strong_alternative_pays_less_under_shapley():
    # Three like sponsors: g = 100,000, r = 1,000 each; F = 60,000, u = 10: cost 90,000, 30,000 each.
    # B could run its own programme for 90,000 of goodwill: d_B = 90,000 - 70,000 = 20,000.
    # phi_B = 20,000/3 + 120,000/6 + 120,000/6 + (210,000 - 120,000)/3 = 76,666.67
    # phi_A = phi_C = 0/3 + (120,000 - 20,000)/6 + 120,000/6 + (210,000 - 120,000)/3 = 66,666.67
    # so B pays 23,333.33 and A and C 33,333.33 each.
    plain = run(
        case(
            *(sponsor(p, 100_000.0, 1_000.0) for p in "ABC"),
            fixed_cost={"likely": 60_000.0},
            cost_per_beneficiary={"likely": 10.0},
        )
    )
    assert plain.parties["cost_share"].tolist() == pytest.approx([30_000.0] * 3)
    strong = run(
        case(
            sponsor("A", 100_000.0, 1_000.0),
            sponsor("B", 100_000.0, 1_000.0, solo_goodwill=90_000.0),
            sponsor("C", 100_000.0, 1_000.0),
            fixed_cost={"likely": 60_000.0},
            cost_per_beneficiary={"likely": 10.0},
        )
    )
    assert strong.parties["standalone"].tolist() == [0.0, 20_000.0, 0.0]
    assert strong.parties["cost_share"].tolist() == pytest.approx(
        [33_333.0 + 1 / 3, 23_333.0 + 1 / 3, 33_333.0 + 1 / 3]
    )
    assert strong.parties["gain"].tolist() == pytest.approx([66_666.0 + 2 / 3, 56_666.0 + 2 / 3, 66_666.0 + 2 / 3])


@given(st.floats(0, 200_000))
def test_a_better_alternative_never_raises_the_shapley_cost_share(solo):
    g, r = np.array([150_000.0, 100_000.0, 80_000.0]), np.array([1_000.0, 800.0, 500.0])
    F, u = 60_000.0, 20.0
    d0 = cc._standalone(np.zeros(3), F, u, r)
    d1 = cc._standalone(np.array([0.0, solo, 0.0]), F, u, r)
    assert cost_shares("shapley", g, F, u, r, None, d1)[1] <= cost_shares("shapley", g, F, u, r, None, d0)[1] + 1e-6


# --------------------------------------------------------------------------- cost rules: properties
@st.composite
def programmes(draw, max_sponsors=5):
    """A programme that beats every sponsor's alternative: sum g >= F + u sum r + sum d."""
    n = draw(st.integers(2, max_sponsors))
    r = np.array(draw(st.lists(st.floats(0, 10_000), min_size=n, max_size=n)))
    if r.sum() == 0:
        r[0] = 1.0
    F = draw(st.floats(0, 1e6))
    u = draw(st.floats(0, 500))
    d = np.array(draw(st.lists(st.one_of(st.just(0.0), st.floats(0, 1e6)), min_size=n, max_size=n)))
    base = np.array(draw(st.lists(st.floats(0, 1e6), min_size=n, max_size=n)))
    g = base + (F + u * r.sum() + d.sum()) / n
    rev = np.array(draw(st.lists(st.floats(1, 1e9), min_size=n, max_size=n)))
    return g, F, u, r, rev, d


@given(programmes(), st.sampled_from(COST_RULES))
def test_shares_add_up_to_the_cost_for_every_rule(programme, rule):
    g, F, u, r, rev, d = programme
    shares = cost_shares(rule, g, F, u, r, rev, d)
    cost = F + u * r.sum()
    assert shares.shape == (len(g),)
    assert shares.sum() == pytest.approx(cost, rel=1e-9, abs=1e-6 * max(1.0, float(g.sum())))


@pytest.mark.parametrize(
    ("g", "d"),
    [
        ([100.0, 100.0], [0.0, 0.0]),  # F = 1,000: goodwill 200 below the cost 1,020; the shares add up to 200
        ([100.0, 100.0], [90.0, 90.0]),  # F = 100: the alternatives' 180 beat the joint 80; the shares add up to 20
    ],
)
def test_shapley_shares_add_up_to_the_cost_when_the_programme_does_not_pay(g, d):
    F = 1_000.0 if d == [0.0, 0.0] else 100.0
    shares = cost_shares("shapley", np.array(g), F, 1.0, np.array([10.0, 10.0]), None, np.array(d))
    assert shares.sum() == pytest.approx(F + 20.0)


@given(programmes(max_sponsors=4), st.sampled_from(COST_RULES), st.integers(1, 4))
def test_cost_shares_are_vectorised_over_draws(programme, rule, draws):
    g, F, u, r, rev, d = programme
    rng = np.random.default_rng(draws)
    gs = g * rng.uniform(0.5, 1.5, size=(draws, len(g)))
    Fs = F * rng.uniform(0.5, 1.5, size=draws)
    us = u * rng.uniform(0.5, 1.5, size=draws)
    ds = cc._standalone(d + F + u * r, Fs, us, r)
    batch = cost_shares(rule, gs, Fs, us, r, rev, ds)
    assert batch.shape == (draws, len(g))
    for k in range(draws):
        one = cost_shares(rule, gs[k], Fs[k], us[k], r, rev, ds[k])
        assert batch[k] == pytest.approx(one, rel=1e-9, abs=1e-6)


@given(
    st.integers(2, 5).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0, 1e5), min_size=n, max_size=n),
            st.lists(st.floats(0, 1e3), min_size=n, max_size=n),
            st.lists(st.floats(0, 1e5), min_size=n, max_size=n),
        )
    ),
    st.floats(0, 2e5),
    st.floats(0, 50),
)
def test_shapley_cost_is_goodwill_minus_the_shapley_value_of_the_goodwill_game(sponsors, F, u):
    g, r, d = (np.array(x) for x in sponsors)
    names = list(range(len(g)))
    phi = game.shapley(names, goodwill_game(g, F, u, r, d))
    assert cost_shares("shapley", g, F, u, r, None, d) == pytest.approx(g - phi.amounts, rel=1e-9, abs=1e-5)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown cost rule 'fair'"):
        cost_shares("fair", np.ones(2), 1.0, 1.0, np.ones(2), np.ones(2))


# --------------------------------------------------------------------------- the verdict and the core condition
def test_a_split_outside_the_core_names_who_would_do_better_on_their_own():
    # F = 100, u = 1; A and B: g = 200, r = 10; C: g = 70, r = 50. Cost 170; v(AB) = 400 - 120 = 280.
    # By revenue (10, 10, 1) C pays 170/21 = 8.10 and A and B 80.95 each: A and B keep 238.10 < 280.
    a = run(
        case(
            sponsor("A", 200.0, 10.0, revenue=10.0),
            sponsor("B", 200.0, 10.0, revenue=10.0),
            sponsor("C", 70.0, 50.0, revenue=1.0),
            fixed_cost={"likely": 100.0},
            cost_per_beneficiary={"likely": 1.0},
            cost_rule="revenue",
        )
    )
    deal = a.details["winwin"]
    assert deal.win_win and not deal.in_core and deal.blocking == frozenset({"A", "B"})
    assert deal.blocking_value == pytest.approx(280.0)
    assert (a.verdict, a.level, a.passed) == ("go with conditions", "caution", True)
    assert [f.text for f in a.findings if f.text.startswith("Condition")] == [
        "Condition: A, B would do better on their own; offer them a better share."
    ]
    assert a.parties["cost_share"].tolist() == pytest.approx([1_700 / 21, 1_700 / 21, 170 / 21])


def test_equal_shares_failing_the_small_sponsor_is_no_go():
    a = run({**sample_inputs(), "cost_rule": "equal", "draws": 2_000})
    assert (a.verdict, a.level, a.passed) == ("no-go", "bad", False)
    assert a.findings[0] == Finding("bad", "No-go: not every party gains.")
    assert a.parties["gain"].tolist()[2] == pytest.approx(-5_500.0)


def test_a_programme_that_costs_more_than_it_brings_is_no_go():
    # goodwill 2 x 50,000 against a cost of 100,000 + 50 x 200 = 110,000
    a = run(case(sponsor("A", 50_000.0), sponsor("B", 50_000.0)))
    assert a.verdict == "no-go"
    assert not a.details["winwin"].win_win


def test_default_case_splits_the_net_goodwill_evenly():
    # g = 100,000 each, cost 110,000: Shapley nets each (200,000 - 110,000) / 2 = 45,000 and charges 55,000
    a = run(case())
    assert a.parties["cost_share"].tolist() == pytest.approx([55_000.0, 55_000.0])
    assert a.parties["gain"].tolist() == pytest.approx([45_000.0, 45_000.0])
    assert a.verdict == "go" and a.probability is None


# --------------------------------------------------------------------------- P(win-win)
def test_same_seed_same_probability():
    data = {**sample_inputs(), "cost_rule": "revenue", "draws": 5_000}
    first = run(data).probability
    assert first == run(data).probability
    assert 0 < first < 1
    assert run({**data, "seed": 1}).probability != first


def test_probability_only_with_ranges():
    data = {**sample_inputs(), "draws": 2_000}
    assert run({**data, "use_ranges": False}).probability is None
    p = run(data).probability
    assert p is not None and 0 <= p <= 1


def test_low_probability_is_a_condition():
    # By revenue, Harbor wins in about 93 % of the draws; make Harbor's goodwill shaky and it drops below 80 %
    data = sample_inputs()
    data["draws"] = 5_000
    data["cost_rule"] = "revenue"
    data["sponsors"][0]["goodwill"] = {"likely": 260_000, "low": 100_000, "high": 300_000}
    a = run(data)
    assert a.probability < 0.8
    conditions = [f.text for f in a.findings if f.text.startswith("Condition")]
    assert (
        f"Condition: win-win in only {a.probability:.1%} of scenarios; narrow the uncertainty or build in a review point."
        in conditions
    )


def test_benefit_rule_with_goodwill_drawn_at_zero_stays_finite():
    data = case(
        sponsor("A", 100.0, 1.0),
        sponsor("B", 100.0, 1.0),
        fixed_cost={"likely": 10.0},
        cost_per_beneficiary={"likely": 1.0},
        cost_rule="benefit",
        use_ranges=True,
        draws=1_000,
    )
    data["sponsors"][0]["goodwill"] = {"likely": 100.0, "low": 0.0, "high": 100.0}
    data["sponsors"][1]["goodwill"] = {"likely": 100.0, "low": 0.0, "high": 100.0}
    a = run(data)
    assert 0 <= a.probability <= 1


# --------------------------------------------------------------------------- Inputs: checks across fields
@pytest.mark.parametrize("second", ["A", "a", " A ", "a  "])
def test_duplicate_sponsor_names_are_refused_ignoring_case_and_blanks(second):
    assert problems_of(case(sponsor("A", 1.0), sponsor(second, 1.0))) == [
        Problem(("sponsors", 1, "name"), "Sponsor 2: name is also used by sponsor 1")
    ]


def test_blank_name_is_refused():
    assert problems_of(case(sponsor("A", 1.0), sponsor("   ", 1.0))) == [
        Problem(("sponsors", 1, "name"), "Sponsor 2: name must not be blank")
    ]


def test_revenue_rule_needs_some_revenue():
    assert problems_of(case(cost_rule="revenue")) == [
        Problem(("sponsors",), "Revenues must add up to more than 0 to split the cost by revenue")
    ]
    assert problems_of(case(sponsor("A", 1.0, revenue=5.0), sponsor("B", 1.0), cost_rule="revenue")) == []


def test_revenue_table_row_is_left_out_without_revenue():
    a = run(case())
    assert "In proportion to revenue" not in a.tables["costs"].index
    assert len(a.tables["costs"]) == 3


def test_benefit_rule_needs_some_goodwill():
    assert problems_of(case(sponsor("A", 0.0), sponsor("B", 0.0), cost_rule="benefit")) == [
        Problem(("sponsors",), "Joint goodwill must add up to more than 0 to split the cost by benefit")
    ]


def test_the_programme_must_reach_someone():
    assert problems_of(case(sponsor("A", 1.0, 0.0), sponsor("B", 1.0, 0.0))) == [
        Problem(("sponsors",), "Beneficiaries must add up to more than 0: the programme must reach someone")
    ]


def test_market_shares_must_add_up_to_at_most_one():
    assert problems_of(case(sponsor("A", 1.0, market_share=0.6), sponsor("B", 1.0, market_share=0.5))) == [
        Problem(("sponsors",), "Market shares must add up to at most 1, got 1.1")
    ]
    assert problems_of(case(sponsor("A", 1.0, market_share=0.6), sponsor("B", 1.0, market_share=0.4))) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.3, x", "Other large players' shares must be numbers separated by commas, got 'x' (entry 2)"),
        ("0.3, 1.2", "Other large players' shares must be numbers between 0 and 1, got 1.2 (entry 2)"),
        (", ".join(["0.01"] * 21), "Other large players' shares must list 0 to 20 numbers, got 21"),
    ],
)
def test_rival_shares_text_is_checked_on_its_field(text, message):
    assert problems_of(case(rival_shares=text)) == [Problem(("rival_shares",), message)]


def test_sponsor_and_rival_shares_above_one_together_are_a_problem():
    data = case(sponsor("A", 1_000.0, market_share=0.3), sponsor("B", 1_000.0, market_share=0.3), rival_shares="0.5")
    assert problems_of(data) != []


def test_all_cross_field_problems_are_reported_together():
    data = case(
        sponsor("A", 0.0, 0.0, market_share=0.8),
        sponsor("a", 0.0, 0.0, market_share=0.8),
        cost_rule="benefit",
        rival_shares="x",
    )
    assert [p.loc for p in problems_of(data)] == [
        ("sponsors", 1, "name"),
        ("sponsors",),
        ("sponsors",),
        ("sponsors",),
        ("rival_shares",),
    ]


def test_unordered_ranges_are_ignored_while_ranges_are_off():
    data = case(fixed_cost={"likely": 10.0, "low": 20.0})
    assert problems_of(data) == []
    assert problems_of({**data, "use_ranges": True}) != []


def test_unordered_ranges_are_reported_on_their_field_when_ranges_are_on():
    data = case(
        sponsor("A", 1.0),
        {"name": "B", "goodwill": {"likely": 5.0, "high": 4.0}, "beneficiaries": 1.0},
        use_ranges=True,
        fixed_cost={"likely": 10.0, "low": 20.0},
        cost_per_beneficiary={"likely": 5.0, "low": 1.0, "high": 2.0},
        rep_base_rate={"likely": 0.1, "low": 0.2},
        rep_recovery_years={"likely": 2.0, "high": 1.0},
    )
    assert problems_of(data) == [
        Problem(("fixed_cost",), "Fixed cost needs low <= most likely <= high, got low 20, most likely 10, high 10"),
        Problem(
            ("cost_per_beneficiary",),
            "Cost per beneficiary needs low <= most likely <= high, got low 1, most likely 5, high 2",
        ),
        Problem(
            ("rep_base_rate",),
            "Base incident rate needs low <= most likely <= high, got low 0.2, most likely 0.1, high 0.1",
        ),
        Problem(
            ("rep_recovery_years",),
            "Years to recover needs low <= most likely <= high, got low 2, most likely 2, high 1",
        ),
        Problem(
            ("sponsors", 1, "goodwill"),
            "Sponsor 2: Goodwill, joint needs low <= most likely <= high, got low 5, most likely 5, high 4",
        ),
    ]


# --------------------------------------------------------------------------- Inputs: field bounds
@pytest.mark.parametrize(
    ("extra", "loc", "message"),
    [
        (
            {"cost_rule": "fair"},
            ("cost_rule",),
            "Cost sharing must be one of 'equal', 'revenue', 'benefit' or 'shapley', got 'fair'",
        ),
        ({"draws": 999}, ("draws",), "Monte Carlo draws must be between 1,000 and 1,000,000, got 999"),
        ({"draws": 1_000_001}, ("draws",), "Monte Carlo draws must be between 1,000 and 1,000,000, got 1,000,001"),
        ({"seed": -1}, ("seed",), "Random seed must be between 0 and 4,294,967,295, got -1"),
        (
            {"fixed_cost": {"likely": -5}},
            ("fixed_cost", "likely"),
            "Fixed cost (most likely) must be between 0 and 1,000,000,000,000, got -5",
        ),
        (
            {"cost_per_beneficiary": {"likely": 1, "high": -1}},
            ("cost_per_beneficiary", "high"),
            "Cost per beneficiary (high) must be between 0 and 1,000,000,000,000, got -1",
        ),
        (
            {"rival_shares": "1" * 201},
            ("rival_shares",),
            "Other large players' shares must be 0 to 200 characters long, got 201",
        ),
        (
            {"rep_quality": 6},
            ("rep_quality",),
            "Product or service quality relative to ours must be one of 1, 2, 3, 4 or 5, got 6",
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
    ("field", "value", "loc", "message"),
    [
        (
            "goodwill",
            {"likely": -1},
            ("goodwill", "likely"),
            "Sponsor 2: Goodwill, joint (most likely) must be between 0 and 1,000,000,000,000, got -1",
        ),
        ("revenue", -1, ("revenue",), "Sponsor 2: Revenue must be between 0 and 1,000,000,000,000, got -1"),
        (
            "beneficiaries",
            2e9,
            ("beneficiaries",),
            "Sponsor 2: Beneficiaries must be between 0 and 1,000,000,000, got 2,000,000,000",
        ),
        (
            "solo_goodwill",
            -5,
            ("solo_goodwill",),
            "Sponsor 2: Goodwill, alone must be between 0 and 1,000,000,000,000, got -5",
        ),
        ("market_share", 1.5, ("market_share",), "Sponsor 2: Market share must be between 0 and 1, got 1.5"),
        ("name", "", ("name",), "Sponsor 2: Name must be 1 to 40 characters long, got 0"),
        ("name", "x" * 41, ("name",), "Sponsor 2: Name must be 1 to 40 characters long, got 41"),
        ("extra", 1, ("extra",), "Sponsor 2: extra is not a field of this worksheet"),
    ],
)
def test_sponsor_field_bounds_are_located_on_the_sponsor(field, value, loc, message):
    second = {**sponsor("B", 1.0), field: value}
    assert problems_of(case(sponsor("A", 1.0), second)) == [Problem(("sponsors", 1, *loc), message)]


def test_goodwill_is_required():
    assert problems_of(case(sponsor("A", 1.0), {"name": "B"})) == [
        Problem(("sponsors", 1, "goodwill"), "Sponsor 2: Goodwill, joint is required")
    ]


@pytest.mark.parametrize("n", [1, 7])
def test_fewer_than_two_or_more_than_six_sponsors_are_refused(n):
    data = case(*(sponsor(f"S{j}", 1.0) for j in range(n)))
    assert problems_of(data) == [Problem(("sponsors",), f"Sponsors must list 2 to 6 entries, got {n}")]


def test_every_field_has_a_title_and_a_description():
    for model in (Inputs, cc.Sponsor):
        for name, info in model.model_fields.items():
            assert info.title, name
            assert info.description, name


def test_defaults():
    inputs = Inputs.model_validate(case())
    assert (inputs.fixed_cost.likely, inputs.cost_per_beneficiary.likely) == (100_000.0, 50.0)
    assert (inputs.cost_rule, inputs.use_ranges, inputs.draws, inputs.seed) == ("shapley", False, 100_000, 0)
    assert inputs.rival_shares == "" and inputs.currency == "EUR"


# --------------------------------------------------------------------------- registry and purity
def test_registered_sheet():
    assert SHEET.name == "charitable_cause"
    assert SHEET.kind == "option"
    assert SHEET.inputs is Inputs and SHEET.assess is assess
    assert SHEET.sample == SAMPLE
    assert SHEET.title and SHEET.summary


def test_assess_does_not_change_its_inputs():
    inputs = Inputs.model_validate({**sample_inputs(), "draws": 1_000})
    before = copy.deepcopy(inputs.model_dump())
    assess(inputs)
    assert inputs.model_dump() == before


def test_currency_appears_in_the_headline():
    assert run(case(currency="USD")).headline.endswith("USD a year.")


def test_reputation_risk_is_counted_against_us_only():
    data = case(
        sponsor("Us", 100_000.0),
        sponsor("Them", 100_000.0),
        rep_revenue={"likely": 2_000_000.0},
        rep_quality=4,
    )
    a = run(data)
    risk = a.details["risk"]
    assert isinstance(risk, reputation.ReputationResult)
    assert risk.risk_adjustment > 0
    assert a.parties["risk"].tolist() == pytest.approx([risk.risk_adjustment, 0.0])
    assert a.parties.loc["Us", "gain"] == pytest.approx(45_000.0 - risk.risk_adjustment)


def test_guardrails_use_the_sponsors_and_the_rivals_shares():
    a = run(case(sponsor("A", 1.0, market_share=0.1), sponsor("B", 1.0, market_share=0.05), rival_shares="0.4 0.3"))
    g = a.details["guardrails"]
    assert isinstance(g, antitrust.Guardrails)
    assert (g.kind, g.hhi_change, g.hhi_after) == ("other", 100.0, 2725.0)


def test_every_rule_assesses_the_sample():
    for rule, use in itertools.product(COST_RULES, (False, True)):
        a = run({**sample_inputs(), "cost_rule": rule, "use_ranges": use, "draws": 1_000})
        assert a.verdict in ("go", "go with conditions", "no-go"), rule
        assert a.details["chosen_rule"] == COST_LABELS[rule]
        assert a.parties["cost_share"].sum() == pytest.approx(COST)
