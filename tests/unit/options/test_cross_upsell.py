"""Tests for coopkit.options.cross_upsell: the zone, the Nash share, the Inputs model, assess() and its panel."""

from __future__ import annotations

import copy
import math
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit import options
from coopkit.errors import InputError
from coopkit.frameworks import game, winwin
from coopkit.options.base import SMALLEST_NUMBER, Assessment, Problem, field_bounds, validate
from coopkit.options.cross_upsell import (
    SHEET,
    Inputs,
    Zone,
    assess,
    best_share,
    economics,
    gains,
    nash_share,
    share_curve,
    win_win_zone,
    zone_ends,
)
from coopkit.report import upsell_charts
from coopkit.report.charts import to_png
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "cross_upsell_payroll.json"
US, THEM = "Tamarind Ledger", "Kestrel Payroll"
EVIL = ["<script>alert(1)</script>", "A$_$", "x & y"]


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SAMPLE)).inputs)


def simple(**extra) -> dict:
    """10,000 customers, 5% attach, price 200: revenue 100,000. Our costs 20,000, the partner's 40,000.

    Zone 20% to 60%, Nash share 40%, surplus 40,000.
    """
    return {
        "our_name": "Us",
        "partner_name": "Them",
        "customers": {"likely": 10_000},
        "attach_rate": {"likely": 0.05},
        "price": {"likely": 200},
        "partner_margin": 0.8,
        "partner_fixed_cost": 20_000,
        "our_fixed_cost": 10_000,
        "support_cost": 20,
        "revenue_share": 0.35,
        **extra,
    }


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


money = st.floats(0, 1e7, allow_nan=False, allow_infinity=False)
positive_money = st.floats(1.0, 1e7, allow_nan=False, allow_infinity=False)
power = st.floats(0.01, 100, allow_nan=False, allow_infinity=False)


# --------------------------------------------------------------------------- the model: known answers
def test_economics_known_answer():
    e = economics(
        10_000,
        0.05,
        200,
        0.2,
        own_addon_margin=100,
        support_cost=20,
        partner_margin=0.8,
        our_fixed_cost=10_000,
        partner_fixed_cost=20_000,
        expected_loss=500,
    )
    assert e.sales == pytest.approx(500)
    assert e.revenue == pytest.approx(100_000)
    assert e.support == pytest.approx(10_000)
    assert e.cannibalised == pytest.approx(10_000)  # 500 sales x 20% x 100
    assert e.delivery == pytest.approx(20_000)
    assert e.our_cost == pytest.approx(30_500)
    assert e.partner_cost == pytest.approx(40_000)
    assert e.surplus == pytest.approx(29_500)
    assert all(isinstance(x, float) for x in e)


def test_economics_is_vectorised_over_draws():
    e = economics(np.array([100.0, 200.0]), 0.5, np.array([10.0, 20.0]), partner_margin=0.5)
    assert e.revenue.tolist() == [500.0, 2000.0]
    assert e.partner_cost.tolist() == [250.0, 1000.0]


def test_zone_ends_and_nash_known_answer():
    z = win_win_zone(100_000, 20_000, 40_000)
    assert (z.low, z.high, z.nash) == (0.2, 0.6, 0.4)
    assert not z.empty and z.surplus == 40_000 and z.width == pytest.approx(0.4)


def test_zone_ends_give_exactly_zero_gain_to_one_side():
    z = win_win_zone(100_000, 20_000, 40_000)
    assert z.gains(z.low) == (0.0, 40_000.0)  # we break even, the partner takes the whole surplus
    assert z.gains(z.high) == pytest.approx((40_000.0, 0.0), abs=1e-9)  # the partner breaks even
    assert not z.contains(z.low) and not z.contains(z.high)
    assert z.contains(0.2001) and z.contains(0.5999)


def test_nash_share_splits_the_surplus_equally_and_matches_game_nash_bargaining():
    z = win_win_zone(100_000, 20_000, 40_000)
    assert z.gains(z.nash) == (20_000.0, 20_000.0)
    split = game.nash_bargaining(100_000, [20_000, 40_000])
    assert split[0] / 100_000 == pytest.approx(z.nash)


def test_weighted_nash_share_gives_each_its_power_share_of_the_surplus():
    z = win_win_zone(100_000, 20_000, 40_000, our_power=3, partner_power=1)
    assert z.nash == pytest.approx(0.5)
    assert z.gains(z.nash) == pytest.approx((30_000.0, 10_000.0))
    split = game.nash_bargaining(100_000, [20_000, 40_000], weights=[3, 1])
    assert split[0] / 100_000 == pytest.approx(z.nash)


def test_empty_zone_when_the_surplus_is_negative():
    z = win_win_zone(100_000, 70_000, 40_000)
    assert z.empty and z.width == 0 and math.isnan(z.nash)
    assert (z.low, z.high) == (0.7, 0.6)
    for s in np.linspace(0, 1, 101):
        assert not z.contains(float(s))


def test_empty_zone_when_the_surplus_is_exactly_zero():
    z = win_win_zone(100_000, 60_000, 40_000)
    assert z.low == pytest.approx(z.high) and z.empty and math.isnan(z.nash)
    assert not z.contains(0.6)


def test_no_revenue_means_no_zone():
    z = win_win_zone(0, 10, 10)
    assert math.isnan(z.low) and math.isnan(z.high) and math.isnan(z.nash) and z.empty
    assert zone_ends(0.0, 0.0, 0.0) == (pytest.approx(math.nan, nan_ok=True), pytest.approx(math.nan, nan_ok=True))


def test_without_costs_the_zone_is_every_share_strictly_between_0_and_1():
    z = win_win_zone(1_000, 0, 0)
    assert (z.low, z.high, z.nash) == (0.0, 1.0, 0.5)


def test_zone_functions_are_vectorised():
    low, high = zone_ends(np.array([100.0, 100.0, 0.0]), np.array([20.0, 70.0, 1.0]), np.array([40.0, 40.0, 1.0]))
    assert low[:2].tolist() == [0.2, 0.7] and math.isnan(low[2])
    assert high[:2].tolist() == [0.6, 0.6] and math.isnan(high[2])
    s = nash_share(np.array([100.0, 100.0]), np.array([20.0, 70.0]), np.array([40.0, 40.0]))
    assert s[0] == pytest.approx(0.4) and math.isnan(s[1])
    ours, theirs = gains(np.array([0.0, 0.5, 1.0]), 100.0, 20.0, 40.0)
    assert ours.tolist() == [-20.0, 30.0, 80.0] and theirs.tolist() == [60.0, 10.0, -40.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100.0, -1.0, 0.0), "our_cost must be an amount of money of at least 0, got -1"),
        ((100.0, 0.0, math.inf), "partner_cost must be an amount of money of at least 0, got inf"),
        ((-5.0, 0.0, 0.0), "revenue must be an amount of money of at least 0, got -5"),
        ((math.nan, 0.0, 0.0), "revenue must be an amount of money of at least 0, got nan"),
    ],
)
def test_win_win_zone_bad_input_names_the_field(args, message):
    with pytest.raises(InputError) as err:
        win_win_zone(*args)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"our_power": 0.0}, "our_power must be a bargaining power greater than 0, got 0"),
        ({"partner_power": -1.0}, "partner_power must be a bargaining power greater than 0, got -1"),
        ({"our_power": math.nan}, "our_power must be a bargaining power greater than 0, got nan"),
    ],
)
def test_nash_share_refuses_powers_that_are_not_positive(kwargs, message):
    with pytest.raises(InputError) as err:
        nash_share(100.0, 20.0, 40.0, **kwargs)
    assert str(err.value) == message


def test_share_curve_known_answer_and_empty_scenarios():
    low = np.array([0.1, 0.3, 0.5, np.nan])
    high = np.array([0.5, 0.6, 0.4, np.nan])
    assert share_curve(low, high, [0.1, 0.2, 0.4, 0.5, 0.55, 0.6]).tolist() == [0.0, 0.25, 0.5, 0.25, 0.25, 0.0]


def test_best_share_is_the_middle_of_the_plateau():
    curve = pd.DataFrame({"share": [0.0, 0.1, 0.2, 0.3], "p_win_win": [0.0, 0.9, 0.9, 0.1]})
    assert best_share(curve) == 0.1
    curve = pd.DataFrame({"share": [0.0, 0.1, 0.2, 0.3], "p_win_win": [0.0, 0.2, 0.9, 0.1]})
    assert best_share(curve) == 0.2


# --------------------------------------------------------------------------- the model: properties
@given(revenue=positive_money, our_cost=money, partner_cost=money)
def test_each_end_of_the_zone_leaves_one_side_at_zero(revenue, our_cost, partner_cost):
    low, high = zone_ends(revenue, our_cost, partner_cost)
    tol = 1e-9 * max(revenue, our_cost, partner_cost, 1.0)
    assert gains(low, revenue, our_cost, partner_cost)[0] == pytest.approx(0.0, abs=tol)
    assert gains(high, revenue, our_cost, partner_cost)[1] == pytest.approx(0.0, abs=tol)


@given(share=st.floats(0, 1), revenue=money, our_cost=money, partner_cost=money)
def test_the_share_only_moves_money_between_the_sides(share, revenue, our_cost, partner_cost):
    ours, theirs = gains(share, revenue, our_cost, partner_cost)
    assert ours + theirs == pytest.approx(revenue - our_cost - partner_cost, abs=1e-6 * max(revenue, 1.0))


@given(revenue=positive_money, our_cost=money, partner_cost=money, w_us=power, w_them=power)
def test_nash_share_lies_inside_a_non_empty_zone_and_matches_game_nash_bargaining(
    revenue, our_cost, partner_cost, w_us, w_them
):
    surplus = revenue - our_cost - partner_cost
    assume(surplus > 1e-6 * revenue)
    z = win_win_zone(revenue, our_cost, partner_cost, w_us, w_them)
    assert not z.empty
    assert z.low <= z.nash <= z.high and 0 <= z.low < z.high <= 1
    split = game.nash_bargaining(revenue, [our_cost, partner_cost], weights=[w_us, w_them])
    assert z.nash == pytest.approx(split[0] / revenue, rel=1e-9, abs=1e-12)
    ours, theirs = z.gains(z.nash)
    assert ours == pytest.approx(surplus * w_us / (w_us + w_them), rel=1e-6, abs=1e-6)
    assert theirs == pytest.approx(surplus * w_them / (w_us + w_them), rel=1e-6, abs=1e-6)


@given(revenue=positive_money, our_cost=money, partner_cost=money, w_us=power, w_them=power)
def test_nash_share_maximises_the_weighted_product_of_gains(revenue, our_cost, partner_cost, w_us, w_them):
    assume(revenue - our_cost - partner_cost > 1e-3 * revenue)
    z = win_win_zone(revenue, our_cost, partner_cost, w_us, w_them)

    def log_product(s):
        ours, theirs = z.gains(s)
        return w_us * np.log(ours) + w_them * np.log(theirs)

    grid = np.linspace(z.low, z.high, 203)[1:-1]
    assert log_product(z.nash) >= np.max(log_product(grid)) - 1e-9


@given(revenue=money, our_cost=money, partner_cost=money)
def test_no_share_is_win_win_when_the_surplus_is_not_positive(revenue, our_cost, partner_cost):
    assume(revenue - our_cost - partner_cost <= 0)
    z = win_win_zone(revenue, our_cost, partner_cost)
    assert z.empty and math.isnan(z.nash)
    ours, theirs = gains(np.linspace(0, 1, 101), revenue, our_cost, partner_cost)
    assert not np.any((ours > 0) & (theirs > 0))


@given(revenue=positive_money, our_cost=money, partner_cost=money, s=st.floats(0, 1))
def test_a_share_is_win_win_exactly_when_it_lies_strictly_inside_the_zone(revenue, our_cost, partner_cost, s):
    low, high = zone_ends(revenue, our_cost, partner_cost)
    ours, theirs = gains(s, revenue, our_cost, partner_cost)
    margin = 1e-9 * max(revenue, our_cost, partner_cost)
    assume(min(abs(ours), abs(theirs)) > margin)  # away from the ends, where rounding decides
    assert (ours > 0 and theirs > 0) == (low < s < high)


@given(
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=40),
    st.lists(st.floats(0, 1), min_size=1, max_size=10),
)
def test_share_curve_matches_counting_scenario_by_scenario(ends, grid):
    low = np.array([a for a, _ in ends])
    high = np.array([b for _, b in ends])
    brute = ((low[:, None] < np.array(grid)) & (np.array(grid) < high[:, None])).mean(axis=0)
    assert share_curve(low, high, grid) == pytest.approx(brute)


# --------------------------------------------------------------------------- the sample case
def test_sample_case_validates_and_gives_the_documented_verdict():
    inputs, problems = validate(Inputs, sample_inputs())
    assert problems == []
    a = assess(inputs)
    assert a.worksheet == "cross_upsell" and SHEET.sample == SAMPLE
    assert (a.verdict, a.level, a.passed) == ("go with conditions", "caution", True)
    assert a.findings[0].text.startswith("Condition: the gains are lopsided (balance 0.13)")
    assert list(a.parties.index) == [US, THEM]
    zone = a.details["zone"]
    assert (round(zone.low, 3), round(zone.high, 3), round(zone.nash, 3)) == (0.258, 0.626, 0.442)
    assert zone.contains(0.3)
    assert a.probability == a.details["monte_carlo"]["p_win_win"]
    assert 0.8 <= a.probability < 0.85
    assert a.probability_label == "P(win-win)"
    assert set(a.tables) == {"zone", "breakdown", "sensitivity", "curve"}
    assert a.headline.startswith(f"At a 30.0% revenue share, {US} gains +36,102 and {THEM} +282,000 EUR a year")
    assert a.assumptions and all(isinstance(x, str) and x for x in a.assumptions)


def test_sample_round_trips_without_losing_data():
    data = sample_inputs()
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert Inputs.model_validate(dumped) == inputs
    for key, value in data.items():
        assert dumped[key] == value, key


def test_sample_is_registered_and_loads_in_the_worksheet_registry():
    assert options.get("cross_upsell") is SHEET and SHEET.kind == "option"


# --------------------------------------------------------------------------- assess: known answers
def test_assess_known_answer():
    a = run(simple())
    e, zone = a.details["economics"], a.details["zone"]
    assert (e.sales, e.revenue, e.our_cost, e.partner_cost) == (500, 100_000, 20_000, 40_000)
    assert (zone.low, zone.high, zone.nash) == (0.2, 0.6, 0.4)
    assert a.parties["gain"].tolist() == pytest.approx([15_000, 25_000])
    assert a.verdict == "go" and a.probability is None and a.details["monte_carlo"] is None
    assert a.details["nash_split"] == pytest.approx({"Us": 40_000, "Them": 60_000})
    assert (
        a.headline
        == "At a 35.0% revenue share, Us gains +15,000 and Them +25,000 EUR a year; both gain between 20.0% and 60.0% (Nash share 40.0%)."
    )


def test_zone_table_has_the_ends_nash_and_agreed_share_in_order():
    t = run(simple()).tables["zone"]
    assert list(t.index) == ["Us breaks even", "Agreed share", "Nash-bargaining share", "Them breaks even"]
    assert t["share"].tolist() == pytest.approx([0.2, 0.35, 0.4, 0.6])
    assert t.loc["Us breaks even", "gain_us"] == pytest.approx(0, abs=1e-9)
    assert t.loc["Them breaks even", "gain_partner"] == pytest.approx(0, abs=1e-9)
    assert t["win_win"].tolist() == [False, True, True, False]


def test_breakdown_adds_up_to_each_side_gain():
    a = run(simple(cannibalisation={"likely": 0.2}, own_addon_margin=100))
    b = a.tables["breakdown"]
    assert b.loc["Gain"].tolist() == pytest.approx(a.parties["gain"].tolist())
    assert b.drop(index="Gain").sum().tolist() == pytest.approx(b.loc["Gain"].tolist())
    assert b.loc["Own add-on sales lost", "us"] == pytest.approx(-10_000)
    assert b.loc["Revenue kept"].sum() == pytest.approx(100_000)


def test_win_win_check_gets_the_payoffs_and_our_expected_loss():
    a = run(simple(rep_revenue={"likely": 1_000_000}, rep_quality=4))
    deal, loss = a.details["winwin"], a.details["risk"].risk_adjustment
    assert loss > 0
    assert isinstance(deal, winwin.WinWinResult) and deal.split_rule == "given"
    assert deal.risk_adjustment.tolist() == [loss, 0.0]
    assert deal.gain[0] == pytest.approx(0.35 * 100_000 - 20_000 - loss)
    assert a.details["zone"].low == pytest.approx((20_000 + loss) / 100_000)


@pytest.mark.parametrize(("share", "loser"), [(0.15, "Us"), (0.7, "Them")])
def test_a_share_outside_the_zone_is_no_go(share, loser):
    a = run(simple(revenue_share=share))
    assert (a.verdict, a.level, a.passed) == ("no-go", "bad", False)
    text = next(f.text for f in a.findings if f.text.startswith("The win-win zone"))
    assert text.endswith(f"so {loser} does not gain.")


def test_costs_above_the_revenue_leave_no_share_win_win():
    a = run(simple(our_fixed_cost=90_000))
    assert a.verdict == "no-go" and a.details["zone"].empty and a.details["nash_split"] is None
    assert any(f.text.startswith("No revenue share makes it win-win") for f in a.findings)
    assert "Nash-bargaining share" not in a.tables["zone"].index
    assert a.headline.endswith("; no share makes it win-win.")


def test_no_sales_means_no_revenue_to_share():
    a = run(simple(attach_rate={"likely": 0.0}))
    assert a.verdict == "no-go" and list(a.tables["zone"].index) == ["Agreed share"]
    assert a.headline.endswith("; there is no revenue to share.")


def test_bargaining_power_moves_the_nash_share():
    a = run(simple(our_power=3, partner_power=1))
    assert a.details["zone"].nash == pytest.approx(0.5)
    assert a.details["nash_split"]["Us"] == pytest.approx(50_000)


def test_guardrails_are_the_commercialisation_kind_and_warn_about_prices():
    a = run(simple(our_market_share=0.1, partner_market_share=0.1, rival_shares="0.3"))
    guard = a.details["guardrails"]
    assert guard.kind == "commercialisation" and guard.within_eu_threshold is False
    assert a.verdict == "go with conditions"
    assert any("above a safe-harbour threshold" in f.text for f in a.findings)
    assert any("never agree the prices" in f.text for f in a.findings)
    assert any("Do not fix the end price" in w for w in guard.warnings)


def test_sensitivity_ranks_inputs_by_their_swing_of_the_smallest_gain():
    t = run(simple()).tables["sensitivity"]
    assert t["swing"].is_monotonic_decreasing
    row = t.set_index("input").loc["revenue_share"]
    assert (row["low"], row["high"]) == pytest.approx((0.28, 0.42))
    assert row["margin_at_low"] == pytest.approx(0.28 * 100_000 - 20_000)
    assert row["margin_at_high"] == pytest.approx(0.58 * 100_000 - 40_000)  # now the partner gains less


@given(
    customers=st.floats(0, 1e6),
    attach=st.floats(0, 1),
    price=st.floats(0, 1e4),
    partner_margin=st.floats(0, 1),
    cannibalisation=st.floats(0, 1),
    own_margin=st.floats(0, 1e4),
    support=st.floats(0, 1e3),
    our_fixed=st.floats(0, 1e7),
    partner_fixed=st.floats(0, 1e7),
    share=st.floats(0, 1),
)
def test_any_valid_inputs_assess_to_the_verdict_the_zone_implies(
    customers, attach, price, partner_margin, cannibalisation, own_margin, support, our_fixed, partner_fixed, share
):
    a = run(
        {
            "customers": {"likely": customers},
            "attach_rate": {"likely": attach},
            "price": {"likely": price},
            "partner_margin": partner_margin,
            "cannibalisation": {"likely": cannibalisation},
            "own_addon_margin": own_margin,
            "support_cost": support,
            "our_fixed_cost": our_fixed,
            "partner_fixed_cost": partner_fixed,
            "revenue_share": share,
        }
    )
    zone = a.details["zone"]
    share = 0.0 if share < SMALLEST_NUMBER else share  # a share too small to mean anything is read as 0
    assert a.parties["gain"].tolist() == pytest.approx(list(zone.gains(share)), abs=1e-6)
    ours, theirs = zone.gains(share)
    if min(abs(ours), abs(theirs)) > 1e-3:  # away from the break-even points, where tolerances differ
        assert (a.verdict != "no-go") == zone.contains(share)
    assert a.headline.startswith(f"At a {share:.1%} revenue share")


# --------------------------------------------------------------------------- Monte Carlo
RANGED = {
    "use_ranges": True,
    "draws": 20_000,
    "customers": {"likely": 10_000, "low": 8_000, "high": 12_000},
    "attach_rate": {"likely": 0.05, "low": 0.02, "high": 0.08},
    "price": {"likely": 200, "low": 150, "high": 240},
    "cannibalisation": {"likely": 0.1, "low": 0.0, "high": 0.3},
    "own_addon_margin": 100,
}


def test_monte_carlo_is_seeded_and_consistent():
    a = run(simple(**RANGED))
    b = run(simple(**RANGED))
    mc = a.details["monte_carlo"]
    assert a.probability == b.probability and 0 < a.probability < 1
    assert a.probability <= mc["p_zone"] <= 1
    assert a.probability <= min(mc["p_us"], mc["p_partner"])
    curve = mc["curve"]
    assert curve["p_win_win"].between(0, 1).all() and curve["p_win_win"].max() <= mc["p_zone"] + 1e-12
    at = float(curve.loc[np.isclose(curve["share"], 0.35), "p_win_win"].iloc[0])
    assert at == pytest.approx(a.probability, abs=0.002)
    assert mc["best_p"] >= at
    assert run(simple(**RANGED, seed=1)).probability != a.probability


def test_monte_carlo_without_ranges_given_is_the_point_answer():
    a = run(simple(use_ranges=True, draws=1_000))
    assert a.probability == 1.0 and a.details["monte_carlo"]["p_zone"] == 1.0
    b = run(simple(use_ranges=True, draws=1_000, revenue_share=0.7))
    assert b.probability == 0.0


def test_ranges_switched_off_are_not_used():
    data = simple(**RANGED) | {"use_ranges": False}
    assert run(data).probability is None and "curve" not in run(data).tables


# --------------------------------------------------------------------------- Inputs: fields
def test_every_field_has_a_title_and_a_description():
    for name, info in Inputs.model_fields.items():
        assert info.title, name
        assert info.description, name


def test_numeric_fields_have_both_bounds():
    for name, info in Inputs.model_fields.items():
        if info.annotation in (int, float):
            bounds = field_bounds(info)
            assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), name
        elif hasattr(info.annotation, "model_fields"):
            for sub, sub_info in info.annotation.model_fields.items():
                bounds = field_bounds(sub_info)
                assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), (name, sub)


@pytest.mark.parametrize(
    ("extra", "loc", "message"),
    [
        ({"revenue_share": 1.2}, ("revenue_share",), "Revenue share we keep must be between 0 and 1, got 1.2"),
        ({"revenue_share": -0.1}, ("revenue_share",), "Revenue share we keep must be between 0 and 1, got -0.1"),
        ({"partner_margin": 1.5}, ("partner_margin",), "Partner's margin must be between 0 and 1, got 1.5"),
        (
            {"customers": {"likely": -1}},
            ("customers", "likely"),
            "Our customers (most likely) must be between 0 and 1,000,000,000, got -1",
        ),
        (
            {"attach_rate": {"likely": 0.05, "high": 1.5}},
            ("attach_rate", "high"),
            "Attach rate (high) must be between 0 and 1, got 1.5",
        ),
        (
            {"price": {"likely": -5}},
            ("price", "likely"),
            "Add-on price (most likely) must be between 0 and 1,000,000,000, got -5",
        ),
        (
            {"cannibalisation": {"likely": 0.1, "low": -0.1}},
            ("cannibalisation", "low"),
            "Cannibalisation (low) must be between 0 and 1, got -0.1",
        ),
        (
            {"support_cost": -1},
            ("support_cost",),
            "Support cost per sale must be between 0 and 1,000,000,000, got -1",
        ),
        (
            {"own_addon_margin": -2},
            ("own_addon_margin",),
            "Margin on our own add-on must be between 0 and 1,000,000,000, got -2",
        ),
        (
            {"our_fixed_cost": -1},
            ("our_fixed_cost",),
            "Our fixed cost must be between 0 and 1,000,000,000,000, got -1",
        ),
        (
            {"partner_fixed_cost": 2e12},
            ("partner_fixed_cost",),
            "Partner's fixed cost must be between 0 and 1,000,000,000,000, got 2,000,000,000,000",
        ),
        ({"our_power": 0}, ("our_power",), "Our bargaining power must be between 0.01 and 100, got 0"),
        (
            {"partner_power": 101},
            ("partner_power",),
            "Partner's bargaining power must be between 0.01 and 100, got 101",
        ),
        ({"our_market_share": 1.1}, ("our_market_share",), "Our market share must be between 0 and 1, got 1.1"),
        ({"draws": 999}, ("draws",), "Monte Carlo draws must be between 1,000 and 1,000,000, got 999"),
        ({"our_name": ""}, ("our_name",), "Our company must be 1 to 40 characters long, got 0"),
        ({"partner_name": "x" * 41}, ("partner_name",), "Partner must be 1 to 40 characters long, got 41"),
        (
            {"currency": "eur"},
            ("currency",),
            "Currency must be a three-letter ISO currency code in capitals, e.g. EUR, got 'eur'",
        ),
        (
            {"revenue_share": "lots"},
            ("revenue_share",),
            "Revenue share we keep must be a number between 0 and 1, got 'lots'",
        ),
    ],
)
def test_out_of_range_values_name_the_field_and_the_allowed_range(extra, loc, message):
    assert problems_of(simple(**extra)) == [Problem(loc, message)]


def test_every_bounded_top_level_field_refuses_a_value_above_its_maximum():
    for name, info in Inputs.model_fields.items():
        bounds = field_bounds(info)
        if "le" not in bounds:
            continue
        problems = problems_of(simple(**{name: bounds["le"] + 1}))
        assert [p.loc for p in problems] == [(name,)], name
        assert problems[0].message.startswith(f"{info.title} must be between "), name


# --------------------------------------------------------------------------- Inputs: checks across fields
@pytest.mark.parametrize("partner", ["Us", "us", " US "])
def test_the_partner_must_not_have_our_name(partner):
    assert problems_of(simple(partner_name=partner)) == [
        Problem(("partner_name",), "Partner: name must differ from our company's")
    ]


def test_blank_names_are_refused():
    assert problems_of(simple(our_name="  ", partner_name="   ")) == [
        Problem(("our_name",), "Our company: name must not be blank"),
        Problem(("partner_name",), "Partner: name must not be blank"),
    ]


@pytest.mark.parametrize("name", ["win_win", "balance", " balance "])
def test_names_of_the_win_win_tables_columns_are_refused(name):
    assert problems_of(simple(our_name=name)) == [
        Problem(("our_name",), f"Our company: {name.strip()!r} is reserved for a column of the results")
    ]
    assert run(simple(our_name="Balance")).verdict == "go"


def test_names_are_stripped():
    a = run(simple(our_name=" Us ", partner_name="Them  "))
    assert list(a.parties.index) == ["Us", "Them"]


def test_market_shares_adding_above_one_are_refused():
    problems = problems_of(simple(our_market_share=0.4, partner_market_share=0.3, rival_shares="0.2, 0.2"))
    assert problems == [
        Problem(
            ("partner_market_share",),
            "Market shares (ours, the partner's and the other large players') must add up to at most 1, got 1.1",
        )
    ]


def test_unreadable_rival_shares_are_reported_on_their_field():
    assert problems_of(simple(rival_shares="0.3, lots")) == [
        Problem(
            ("rival_shares",), "Other large players' shares must be numbers separated by commas, got 'lots' (entry 2)"
        )
    ]


def test_unordered_ranges_are_reported_only_when_ranges_are_on():
    data = simple(attach_rate={"likely": 0.05, "low": 0.06}, price={"likely": 200, "high": 150})
    assert problems_of(data) == []
    assert problems_of(data | {"use_ranges": True}) == [
        Problem(
            ("attach_rate",), "Attach rate needs low <= most likely <= high, got low 0.06, most likely 0.05, high 0.05"
        ),
        Problem(("price",), "Add-on price needs low <= most likely <= high, got low 200, most likely 200, high 150"),
    ]


# --------------------------------------------------------------------------- the result panel and charts
class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_view_of_the_sample():
    a = run(sample_inputs() | {"draws": 2_000})
    v = view(a)
    assert [s.key for s in v.before] == ["parties", "zone", "breakdown"]
    assert [s.key for s in v.after] == ["guardrails", "risk"]
    assert len(v.charts) == 4 and v.charts[0].wide and not any(c.wide for c in v.charts[1:])
    titles = [c.build().axes[0] for c in v.charts]
    assert titles[0].get_title() == "Both gain for shares from 25.8% to 62.6%; the agreed 30.0% is inside"
    assert titles[1].get_title(loc="left") == "318,102 of 864,000 is left to share"
    assert titles[2].get_title().startswith("Win-win in ") and titles[2].get_title().endswith("at the agreed 30.0%")
    assert titles[3].get_title(loc="left") == "Swings most: cannibalisation"
    assert "<td class='coopkit-col-share'>44.2%</td>" in v.before[1].html


def test_view_without_ranges_has_no_probability_chart():
    v = view(run(simple()))
    assert [c.alt for c in v.charts][2:] == ["Tornado: inputs that swing the smallest gain most"]


def test_zone_chart_titles():
    z = win_win_zone(100_000, 20_000, 40_000)
    assert upsell_charts.zone_title(z, 0.1) == "The agreed 10.0% is outside the win-win zone (20.0% to 60.0%)"
    assert upsell_charts.zone_title(win_win_zone(100, 70, 40), 0.5) == (
        "No revenue share makes this win-win: the costs exceed the revenue by 10"
    )
    assert upsell_charts.zone_title(win_win_zone(0, 0, 0), 0.5) == "No revenue to share: no share makes this win-win"
    fig = upsell_charts.zone_chart(win_win_zone(100, 70, 40), 0.5, ("A", "B"))
    assert fig.axes[0].get_legend() is not None and to_png(fig)[:4] == b"\x89PNG"


def test_surplus_chart_when_the_costs_exceed_the_revenue():
    b = run(simple(our_fixed_cost=90_000)).tables["breakdown"]
    fig = upsell_charts.surplus_chart(b, ("Us", "Them"))
    assert fig.axes[0].get_title(loc="left") == "Costs exceed the revenue by 40,000"
    assert to_png(fig)[:4] == b"\x89PNG"


@pytest.mark.parametrize("name", EVIL)
def test_user_names_are_escaped_and_drawn_as_typed(name):
    a = run(simple(our_name=name, **RANGED) | {"draws": 1_000})
    v = view(a)
    for section in v.before + v.after:
        parsed = Collector()
        parsed.feed(section.html)
        assert not any(tag == "script" for tag, _ in parsed.tags)
    zone_html = "".join(texts_of(v.before[1].html))
    assert f"{name}'s gain" in zone_html and f"{name} breaks even" in zone_html
    for chart in v.charts:
        assert to_png(chart.build())[:4] == b"\x89PNG"
    legend = [t.get_text() for t in v.charts[0].build().axes[0].get_legend().get_texts()]
    assert legend[0] == f"{name}'s gain"


def texts_of(fragment: str) -> list[str]:
    parsed = Collector()
    parsed.feed(fragment)
    parsed.close()
    return parsed.text


def test_zone_is_a_frozen_dataclass():
    z = win_win_zone(100.0, 20.0, 40.0)
    assert isinstance(z, Zone)
    with pytest.raises(AttributeError):
        z.low = 0.1  # type: ignore[misc]
