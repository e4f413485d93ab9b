"""Tests for coopkit.frameworks.rewards: when helping a colleague pays a rational rep.

Figures by hand first, then the closed forms checked against the definitions
(hypothesis), then bad input.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game, rewards, tournament
from coopkit.frameworks.rewards import (
    SCENARIOS,
    Scheme,
    break_even,
    exchange_rate,
    own_gain,
    received_gain,
    reciprocity_threshold,
    stage_game,
    year,
)

# The sample by hand: 8 reps, pool 400,000, plan 16,000,000 -> k = 2.5%; 20 requests -> u = 400,000 / 160 = 2,500.
# One help: c = 3,000 lost, b = 12,000 gained. Weights 85 / 15 / 0:
#   individual -0.85 x 0.025 x 3,000 = -63.75; team 0.15 x 0.025 x 9,000 / 8 = 4.21875; help 0 -> own = -59.53125
#   received = 0.85 x 0.025 x 12,000 + 4.21875 = 259.21875
SAMPLE = Scheme(8, 400_000.0, 16_000_000.0, 0.85, 0.15, 0.0, 3_000.0, 12_000.0, 20.0)


def test_a_help_that_costs_next_to_nothing_pays_and_needs_no_reciprocity():
    # own = -2e-17 by rounding: T - R would be 0, no prisoner's dilemma left to compute a threshold for
    s = Scheme(8, 400_000.0, 16_000_000.0, 1.0, 0.0, 0.0, 7.98e-16, 25.0 / 0.025, 20.0)
    assert rewards.helping_pays(s) and reciprocity_threshold(s) == 0.0


def test_sample_by_hand():
    assert SAMPLE.rate == 0.025 and SAMPLE.credit == 2_500.0
    assert SAMPLE.parts() == pytest.approx({"individual": -63.75, "team": 4.21875, "help": 0.0})
    assert own_gain(SAMPLE) == pytest.approx(-59.53125)
    assert received_gain(SAMPLE) == pytest.approx(259.21875)
    assert stage_game(SAMPLE) == pytest.approx((259.21875, 199.6875, 0.0, -59.53125))
    assert reciprocity_threshold(SAMPLE) == pytest.approx(59.53125 / 259.21875)


def test_break_even_closed_forms_by_hand():
    assert break_even(SAMPLE, 0.0) == pytest.approx(8 * 3_000 / (7 * 3_000 + 12_000))  # n c / ((n-1) c + b) = 72.7%
    assert break_even(SAMPLE, 1.0) == pytest.approx(75 / (75 + 2_500))  # k c / (k c + u) = 2.9%
    assert break_even(SAMPLE) == break_even(SAMPLE, 0.0)  # the sample has no help weight: team only
    assert exchange_rate(SAMPLE) == pytest.approx(2_575 / 103.125)


def test_a_scheme_without_team_or_help_weight_is_read_half_and_half():
    s = SAMPLE.with_weights(0.0, 0.0)
    assert s.individual == 1.0 and s.help_share == 0.5
    assert break_even(s) == pytest.approx(break_even(SAMPLE, 0.5))


def test_with_reciprocity_a_likely_return_makes_help_pay_at_any_mix():
    # delta b >= c: the colleague's return (12,000 x delta) outweighs the helper's loss, whatever the mix
    assert break_even(SAMPLE, 0.0, delta=0.25) == 0.0
    assert break_even(SAMPLE, 0.0, delta=0.2) > 0.0


def test_year_by_hand():
    t = year(SAMPLE)
    assert t.index.tolist() == list(SCENARIOS)
    # nobody helps: each rep sells 2,000,000 and gets 400,000 x (0.85 + 0.15) / 8 = 50,000
    assert t.loc["Nobody helps"].tolist() == pytest.approx([2_000_000, 16_000_000, 50_000, 0])
    # everyone helps 20 times: own sales + 20 x 9,000; team + 160 x 9,000; bonus x (1 + 1.44M / 16M)
    assert t.loc["Everyone helps with every request"].tolist() == pytest.approx([2_180_000, 17_440_000, 54_500, 4_500])
    # free riding pays 20 x 59.53 more than helping; helping alone costs 20 x 59.53
    free = t.loc["Everyone but you helps", "bonus"] - t.loc["Everyone helps with every request", "bonus"]
    assert free == pytest.approx(-20 * own_gain(SAMPLE))
    assert t.loc["Only you help", "vs_nobody"] == pytest.approx(20 * own_gain(SAMPLE))


def test_the_pool_is_paid_in_full_at_plan_with_every_help_given():
    s = Scheme(5, 100_000.0, 2_000_000.0, 0.5, 0.3, 0.2, 1_000.0, 4_000.0, 10.0)
    # at plan (each rep sells plan / n, the team the plan) and every rep giving its 10 helps
    per_rep = s.pool * (s.individual / s.reps + s.team / s.reps + s.help * 10 / (s.reps * 10))
    assert s.reps * per_rep == pytest.approx(s.pool)
    assert s.reps * year(s).loc["Nobody helps", "bonus"] == pytest.approx(s.pool * (1 - s.help))


def test_delta_comes_from_the_rounds_two_reps_trade():
    s = Scheme(8, 400_000.0, 16_000_000.0, 0.85, 0.15, 0.0, 3_000.0, 12_000.0, 21.0)
    assert rewards.rounds_per_year(s) == 3.0
    assert rewards.delta(s, 0.8, 0.1) == pytest.approx(tournament.continuation(3.0, 0.8, 0.1))


# --------------------------------------------------------------------------- properties
schemes = st.builds(
    lambda n, pool, plan, w, c, extra, h: Scheme(n, pool, plan, w[0], w[1], w[2], c, c + extra, h),
    st.integers(2, 200),
    st.floats(1_000, 1e7),
    st.floats(1e5, 1e9),
    st.tuples(st.floats(0, 1), st.floats(0, 1)).map(lambda x: (1 - x[0], x[0] * (1 - x[1]), x[0] * x[1])),
    st.one_of(st.just(0.0), st.floats(0.01, 1e5)),  # money: no sub-cent costs
    st.floats(1, 1e5),
    st.floats(1, 500),
)


@given(schemes, st.floats(0, 1), st.floats(0, 1))
def test_at_the_break_even_mix_the_helper_neither_gains_nor_loses(s, theta, delta):
    m = break_even(s, theta, delta)
    assert 0 <= m < 1
    team, help_ = (1 - theta) * m, theta * m
    net = own_gain(s, team, help_) + delta * received_gain(s, team, help_)
    scale = s.rate * s.help_benefit + s.credit
    if m > 0:
        assert net == pytest.approx(0.0, abs=1e-9 * scale)
    else:
        assert net >= -1e-9 * scale
    above = min(1.0, m + 0.01)
    assert (
        own_gain(s, (1 - theta) * above, theta * above) + delta * received_gain(s, (1 - theta) * above, theta * above)
        > -1e-9 * scale
    )


@given(schemes)
def test_helping_pays_exactly_when_the_mix_reaches_the_break_even(s):
    own = own_gain(s)
    assume(abs(own) > 1e-9 * (s.rate * s.help_benefit + s.credit))  # not at the break-even itself
    assert (own >= 0) == (s.collective >= break_even(s))


@given(schemes)
def test_grim_trigger_threshold_matches_the_stage_game(s):
    T, R, P, S = stage_game(s)
    if not rewards.helping_pays(s):
        assert T > R > P > S and 2 * R > T + S  # a prisoner's dilemma
        assert reciprocity_threshold(s) == pytest.approx(game.cooperation_threshold(T, R, P, S))
        assert reciprocity_threshold(s) == pytest.approx(-own_gain(s) / received_gain(s))
    else:
        assert reciprocity_threshold(s) == 0.0


@given(schemes, st.floats(0.001, 0.2))
def test_a_point_of_help_weight_does_the_work_of_exchange_rate_points_of_team_weight(s, step):
    base = s.with_weights(0.0, 0.0)
    by_help = own_gain(base, 0.0, step) - own_gain(base)
    by_team = own_gain(base, step, 0.0) - own_gain(base)
    assert by_help == pytest.approx(exchange_rate(s) * by_team, rel=1e-6)


@given(schemes)
def test_free_riding_gains_what_helping_costs(s):
    t = year(s)
    gap = t.loc["Everyone but you helps", "bonus"] - t.loc["Everyone helps with every request", "bonus"]
    assert gap == pytest.approx(-s.requests * own_gain(s), rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reps": 1}, "reps must be a whole number, at least 2, got 1"),
        ({"reps": True}, "reps must be a whole number, at least 2, got True"),
        ({"pool": 0.0}, "pool must be more than 0, got 0"),
        ({"plan": -1.0}, "plan must be more than 0, got -1"),
        ({"requests": 0.0}, "requests must be more than 0, got 0"),
        ({"team": 1.2}, "team must be between 0 and 1, got 1.2"),
        ({"help": 0.1}, "weights (individual, team, help) must add up to 1, got (0.85, 0.15, 0.1)"),
        ({"help_cost": -5.0}, "help_cost must be at least 0, got -5"),
        (
            {"help_benefit": 3_000.0},
            "help_benefit must be more than help_cost (3000): helping must grow the team's sales, got 3000",
        ),
        ({"pool": float("inf")}, "pool must be a finite number, got inf"),
    ],
)
def test_bad_schemes_are_refused_with_the_rule(changes, message):
    data = {
        "reps": 8,
        "pool": 400_000.0,
        "plan": 16_000_000.0,
        "individual": 0.85,
        "team": 0.15,
        "help": 0.0,
        "help_cost": 3_000.0,
        "help_benefit": 12_000.0,
        "requests": 20.0,
        **changes,
    }
    with pytest.raises(InputError) as info:
        Scheme(**data)
    assert str(info.value) == message


def test_bad_break_even_arguments_are_refused():
    with pytest.raises(InputError, match=r"^help_share must be between 0 and 1, got 1.5$"):
        break_even(SAMPLE, 1.5)
    with pytest.raises(InputError, match=r"^delta must be between 0 and 1, got -0.1$"):
        break_even(SAMPLE, delta=-0.1)
