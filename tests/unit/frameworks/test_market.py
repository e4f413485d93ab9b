"""Market growth: the Bass model, its fit, sizing, the rising-tide split, NPV and the assessment.

Known answers first (each written out by hand from the formulas in the module
docstring), then properties, then bad input.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from coopkit.errors import InputError
from coopkit.frameworks import market
from coopkit.frameworks.market import (
    BASS_DEFAULTS,
    REST,
    BassFit,
    assess,
    bass_adoptions,
    bass_cumulative,
    bass_rate,
    bass_share,
    bass_time,
    discount_factors,
    fit_bass,
    market_revenue,
    market_sizing,
    npv,
    rising_tide,
)

P, Q = BASS_DEFAULTS["p"], BASS_DEFAULTS["q"]
AB = ["A", "B"]


def share_by_hand(t: float, p: float, q: float) -> float:
    """The Bass share, written out again from [Bass1969]_ with the math module."""
    e = math.exp(-(p + q) * t)
    return (1 - e) / (1 + q / p * e)


# --------------------------------------------------------------------------- Bass model: known answers
def test_defaults_are_the_sultan_meta_analysis_means():
    assert (BASS_DEFAULTS["p"], BASS_DEFAULTS["q"]) == (0.03, 0.38)
    assert "Sultan" in BASS_DEFAULTS["source"]
    assert set(market.__all__) >= {"bass_share", "fit_bass", "assess", "rising_tide", "npv", "REST"}


@pytest.mark.parametrize(("t", "p", "q"), [(1, 0.03, 0.38), (4.5, 0.01, 0.6), (10, 0.03, 0.38), (3, 0.2, 0.0)])
def test_bass_share_is_the_closed_form(t, p, q):
    assert bass_share(t, p, q) == pytest.approx(share_by_hand(t, p, q), rel=1e-12)
    assert isinstance(bass_share(t, p, q), float)


def test_bass_share_by_hand_at_ten_years_and_without_imitation():
    # e = exp(-4.1) = 0.016573; F = (1 - e) / (1 + 38/3 e) = 0.98343 / 1.20993 = 0.8128.
    assert round(bass_share(10, 0.03, 0.38), 4) == 0.8128
    # q = 0: pure external influence, F = 1 - exp(-p t).
    assert bass_share(5, 0.1, 0.0) == pytest.approx(1 - math.exp(-0.5), rel=1e-12)


def test_bass_share_starts_at_zero_and_tends_to_one():
    assert bass_share(0, P, Q) == 0.0
    assert bass_cumulative(0, P, Q, 10_000) == 0.0
    assert bass_share(200, P, Q) == pytest.approx(1.0, abs=1e-12)
    assert bass_cumulative(200, P, Q, 10_000) == pytest.approx(10_000, rel=1e-12)
    far = bass_share(np.array([10.0, 20.0, 40.0, 80.0]), P, Q)
    assert np.all(np.diff(far) >= 0) and far[0] < far[1] < 1.0
    np.testing.assert_allclose(1 - far[:2], [1 - share_by_hand(10, P, Q), 1 - share_by_hand(20, P, Q)], rtol=1e-9)


def test_bass_share_broadcasts_t_p_and_q():
    t = np.array([1.0, 2.0, 3.0])
    p = np.array([[0.01], [0.05]])
    out = bass_share(t, p, 0.4)
    assert out.shape == (2, 3)
    for i, pi in enumerate(p[:, 0]):
        for j, tj in enumerate(t):
            assert out[i, j] == pytest.approx(share_by_hand(tj, pi, 0.4), rel=1e-12)


def test_bass_cumulative_is_m_times_the_share():
    assert round(bass_cumulative(5, 0.03, 0.38, 10_000)) == 3312
    assert bass_cumulative(5, 0.03, 0.38, 10_000) == pytest.approx(10_000 * share_by_hand(5, 0.03, 0.38), rel=1e-12)
    np.testing.assert_allclose(
        bass_cumulative(3.0, 0.03, 0.38, np.array([1.0, 2.0, 5.0])),
        np.array([1.0, 2.0, 5.0]) * share_by_hand(3.0, 0.03, 0.38),
        rtol=1e-12,
    )


@pytest.mark.parametrize(("p", "q", "m"), [(0.03, 0.38, 10_000), (0.01, 0.6, 1.0), (0.2, 0.1, 500), (1.0, 5.0, 7)])
def test_bass_rate_at_launch_is_m_times_p(p, q, m):
    # At t = 0 only innovators adopt: dN/dt = m p.
    assert bass_rate(0, p, q, m) == pytest.approx(m * p, rel=1e-12)


@pytest.mark.parametrize(("p", "q", "m"), [(0.03, 0.38, 10_000), (0.01, 0.6, 2_500), (0.15, 0.05, 800)])
def test_bass_rate_is_the_derivative_of_the_cumulative(p, q, m):
    t = np.linspace(0.5, 25, 50)
    h = 1e-5
    central = (bass_cumulative(t + h, p, q, m) - bass_cumulative(t - h, p, q, m)) / (2 * h)
    np.testing.assert_allclose(bass_rate(t, p, q, m), central, rtol=1e-6, atol=1e-6 * m)


@pytest.mark.parametrize(("p", "q", "m", "years"), [(0.03, 0.38, 10_000, 12), (0.01, 0.6, 2_500, 30)])
def test_bass_rate_integrates_back_to_the_cumulative(p, q, m, years):
    integral, _ = quad(lambda t: bass_rate(t, p, q, m), 0, years, limit=200)
    assert integral == pytest.approx(bass_cumulative(years, p, q, m), rel=1e-9)
    new = bass_adoptions(years, p, q, m)
    assert new.shape == (years,)
    assert new.sum() == pytest.approx(bass_cumulative(years, p, q, m), rel=1e-12)
    # Each year's adopters are the rate integrated over that year.
    for k in (1, years // 2, years):
        piece, _ = quad(lambda t: bass_rate(t, p, q, m), k - 1, k)
        assert new[k - 1] == pytest.approx(piece, rel=1e-9)


@pytest.mark.parametrize(("p", "q"), [(0.03, 0.38), (0.01, 0.6), (0.05, 0.1)])
def test_rate_peaks_at_ln_q_over_p_divided_by_p_plus_q(p, q):
    peak = math.log(q / p) / (p + q)
    grid = np.linspace(0, 3 * peak, 30_001)
    rate = bass_rate(grid, p, q, 1_000)
    assert grid[np.argmax(rate)] == pytest.approx(peak, abs=2 * (grid[1] - grid[0]))
    assert bass_rate(peak, p, q, 1_000) >= rate.max() - 1e-9
    # At the peak e = p/q, so F = (1 - p/q) / 2 (half of the adopters minus the innovators' lead).
    assert bass_share(peak, p, q) == pytest.approx((1 - p / q) / 2, rel=1e-12)
    fit = BassFit(p=p, q=q, m=1_000, std_errors={}, r2=1.0, rmse=0.0, fitted=np.zeros(4), observed=np.zeros(4))
    assert fit.peak_year == pytest.approx(peak, rel=1e-12)


@pytest.mark.parametrize(("p", "q"), [(0.2, 0.1), (0.1, 0.1), (0.05, 0.0)])
def test_without_enough_imitation_adoption_peaks_at_launch(p, q):
    fit = BassFit(p=p, q=q, m=1.0, std_errors={}, r2=1.0, rmse=0.0, fitted=np.zeros(4), observed=np.zeros(4))
    assert fit.peak_year == 0.0
    rate = bass_rate(np.linspace(0, 30, 301), p, q, 1.0)
    assert np.all(np.diff(rate) <= 1e-15)


def test_bass_adoptions_by_hand():
    new = bass_adoptions(3, 0.03, 0.38, 10_000)
    assert [round(x) for x in new] == [358, 493, 654]
    by_hand = [10_000 * (share_by_hand(k, 0.03, 0.38) - share_by_hand(k - 1, 0.03, 0.38)) for k in (1, 2, 3)]
    np.testing.assert_allclose(new, by_hand, rtol=1e-12)


def test_bass_adoptions_from_a_later_start_continue_the_same_curve():
    whole = bass_adoptions(8, 0.02, 0.5, 1_000)
    np.testing.assert_allclose(bass_adoptions(5, 0.02, 0.5, 1_000, start=3.0), whole[3:], rtol=1e-12)
    half = bass_adoptions(1, 0.02, 0.5, 1_000, start=2.5)
    assert half[0] == pytest.approx(1_000 * (share_by_hand(3.5, 0.02, 0.5) - share_by_hand(2.5, 0.02, 0.5)), rel=1e-12)


def test_bass_adoptions_vectorised_over_draws_match_row_by_row():
    p = np.array([0.01, 0.03, 0.1])
    q = np.array([0.5, 0.38, 0.2])
    m = np.array([100.0, 10_000.0, 3.0])
    start = np.array([0.0, 2.0, 5.5])
    out = bass_adoptions(6, p, q, m, start)
    assert out.shape == (3, 6)
    for k in range(3):
        np.testing.assert_allclose(out[k], bass_adoptions(6, p[k], q[k], m[k], start[k]), rtol=1e-12)


def test_bass_time_inverts_the_share_by_hand():
    assert round(bass_time(bass_share(4.0, 0.03, 0.38), 0.03, 0.38), 6) == 4.0
    assert bass_time(0.0, P, Q) == 0.0
    assert bass_time(1.0, P, Q) == math.inf
    assert bass_time(1.5, P, Q) == math.inf
    # Half the market with q = 0: 1 - exp(-p t) = 1/2, t = ln 2 / p.
    assert bass_time(0.5, 0.1, 0.0) == pytest.approx(math.log(2) / 0.1, rel=1e-12)
    np.testing.assert_allclose(bass_time(bass_share(np.array([1.0, 2.0, 7.0]), P, Q), P, Q), [1.0, 2.0, 7.0])


# --------------------------------------------------------------------------- fitting
@pytest.mark.parametrize(("p", "q", "m", "years"), [(0.02, 0.45, 50_000, 12), (0.03, 0.38, 10_000, 15)])
def test_fit_recovers_noise_free_parameters(p, q, m, years):
    truth = bass_adoptions(years, p, q, m)
    fit = fit_bass(list(truth))
    assert fit.p == pytest.approx(p, rel=1e-5)
    assert fit.q == pytest.approx(q, rel=1e-5)
    assert fit.m == pytest.approx(m, rel=1e-5)
    assert fit.r2 == pytest.approx(1.0, abs=1e-9)
    assert fit.rmse < 1e-6 * m
    np.testing.assert_allclose(fit.fitted, truth, rtol=1e-5)
    np.testing.assert_array_equal(fit.observed, truth)
    assert set(fit.std_errors) == {"p", "q", "m"}
    assert all(np.isfinite(v) and v >= 0 for v in fit.std_errors.values())
    assert fit.peak_year == pytest.approx(math.log(q / p) / (p + q), rel=1e-4)


@pytest.mark.parametrize("noise", [0.03, 0.05])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_recovers_parameters_through_multiplicative_noise(noise, seed):
    p, q, m = 0.02, 0.45, 50_000
    truth = bass_adoptions(15, p, q, m)
    y = truth * (1 + np.random.default_rng(seed).normal(0, noise, truth.size))
    fit = fit_bass(y)
    assert fit.p == pytest.approx(p, rel=0.15)
    assert fit.q == pytest.approx(q, rel=0.08)
    assert fit.m == pytest.approx(m, rel=0.05)
    assert 0.97 < fit.r2 < 1.0
    resid = fit.observed - fit.fitted
    assert fit.rmse == pytest.approx(math.sqrt(np.mean(resid**2)), rel=1e-12)
    assert fit.r2 == pytest.approx(1 - (resid @ resid) / ((y - y.mean()) ** 2).sum(), rel=1e-12)
    for name, true in (("p", p), ("q", q), ("m", m)):
        se = fit.std_errors[name]
        assert np.isfinite(se) and se > 0
        assert abs(getattr(fit, name) - true) < 5 * se  # the truth lies within a few standard errors


def test_fit_standard_errors_match_an_independent_gauss_newton_computation():
    truth = bass_adoptions(14, 0.03, 0.38, 20_000)
    y = truth * (1 + np.random.default_rng(4).normal(0, 0.04, truth.size))
    fit = fit_bass(y)
    theta = np.array([fit.p, fit.q, fit.m])
    steps = np.array([1e-7, 1e-6, 1e-3])
    J = np.empty((y.size, 3))
    for j in range(3):
        up, down = theta.copy(), theta.copy()
        up[j] += steps[j]
        down[j] -= steps[j]
        J[:, j] = (bass_adoptions(y.size, *up) - bass_adoptions(y.size, *down)) / (2 * steps[j])
    sse = float(((y - fit.fitted) ** 2).sum())
    se = np.sqrt(np.diag(np.linalg.inv(J.T @ J) * sse / (y.size - 3)))
    assert [fit.std_errors[k] for k in ("p", "q", "m")] == pytest.approx(se.tolist(), rel=1e-3)


def test_fit_of_a_flat_series_does_not_crash():
    fit = fit_bass([5, 5, 5, 5, 5])
    assert np.isfinite(fit.rmse) and fit.rmse >= 0
    assert fit.m >= 25 - 1e-9  # the potential is at least everyone who has adopted (lower bound of the fit)


# --------------------------------------------------------------------------- sizing
def test_market_sizing_top_down_by_hand():
    t = market_sizing(customers=20_000, annual_spend=1_500, serviceable_share=0.4, obtainable_share=0.1)
    assert list(t.columns) == ["method", "level", "arithmetic", "value"]
    assert t["method"].tolist() == ["top-down"] * 3
    assert t["level"].tolist() == ["TAM", "SAM", "SOM"]
    # 20,000 x 1,500 = 30,000,000; x 40 % = 12,000,000; x 10 % = 1,200,000.
    assert t["value"].tolist() == pytest.approx([30_000_000, 12_000_000, 1_200_000])
    assert t["arithmetic"].tolist() == [
        "20,000 customers × 1,500 a year",
        "30,000,000 × 40%",
        "12,000,000 × 10%",
    ]


def test_market_sizing_bottom_up_by_hand():
    t = market_sizing(
        customers=20_000,
        annual_spend=1_500,
        serviceable_share=0.4,
        obtainable_share=0.1,
        target_accounts=200,
        reachable_share=0.5,
        win_rate=0.25,
        annual_value=12_000,
    )
    assert len(t) == 4
    row = t.iloc[3]
    assert (row["method"], row["level"]) == ("bottom-up", "SOM")
    # 200 x 50 % x 25 % x 12,000 = 300,000.
    assert row["value"] == pytest.approx(300_000)
    assert row["arithmetic"] == "200 accounts × 50% reached × 25% won × 12,000 a year"


def test_market_sizing_arithmetic_reproduces_fractional_percentages():
    t = market_sizing(customers=20_000, annual_spend=1_500, serviceable_share=0.125, obtainable_share=0.1)
    assert t["value"].iloc[1] == pytest.approx(3_750_000)
    assert "12.5%" in t["arithmetic"].iloc[1]


def test_market_sizing_edges_are_allowed():
    t = market_sizing(customers=0, annual_spend=1_500, serviceable_share=1, obtainable_share=0)
    assert t["value"].tolist() == [0.0, 0.0, 0.0]


# --------------------------------------------------------------------------- market revenue
def test_recurring_revenue_is_mid_year_customers_times_the_price():
    out = market_revenue(2, 0.03, 0.38, 10_000, 100)
    assert [round(x) for x in out] == [17879, 60407]
    N = [10_000 * share_by_hand(k, 0.03, 0.38) for k in (0, 1, 2)]
    np.testing.assert_allclose(out, [100 * (N[0] + N[1]) / 2, 100 * (N[1] + N[2]) / 2], rtol=1e-12)


def test_recurring_revenue_from_an_older_market_counts_the_customers_already_there():
    out = market_revenue(3, 0.03, 0.38, 10_000, 50, start=4.0)
    N = [10_000 * share_by_hand(k, 0.03, 0.38) for k in (4, 5, 6, 7)]
    np.testing.assert_allclose(out, [50 * (N[k] + N[k + 1]) / 2 for k in range(3)], rtol=1e-12)


def test_one_off_revenue_is_new_adopters_times_the_price():
    out = market_revenue(4, 0.03, 0.38, 10_000, 250, basis="one-off", start=1.0)
    np.testing.assert_allclose(out, 250 * bass_adoptions(4, 0.03, 0.38, 10_000, start=1.0), rtol=1e-12)


def test_market_revenue_vectorised_over_draws():
    p = np.array([0.02, 0.04])
    price = np.array([10.0, 20.0])
    start = np.array([0.0, 3.0])
    out = market_revenue(5, p, 0.4, 1_000, price, start=start)
    assert out.shape == (2, 5)
    for k in range(2):
        np.testing.assert_allclose(out[k], market_revenue(5, p[k], 0.4, 1_000, price[k], start=start[k]), rtol=1e-12)


# --------------------------------------------------------------------------- rising tide
def test_rising_tide_by_hand():
    g, s, f = rising_tide([0.3, 0.2, 0.5], [0.35, 0.25, 0.4], 100.0, 150.0)
    # growth = (s0 + s1)/2 * 50; share = (s1 - s0) * 125.
    np.testing.assert_allclose(g, [0.325 * 50, 0.225 * 50, 0.45 * 50], rtol=1e-12)
    np.testing.assert_allclose(s, [0.05 * 125, 0.05 * 125, -0.1 * 125], rtol=1e-12)
    np.testing.assert_allclose(g + s, [0.35 * 150 - 30, 0.25 * 150 - 20, 0.4 * 150 - 50], rtol=1e-12)
    # The only loser (player 2, -0.10) gives 0.05 to each gainer.
    np.testing.assert_allclose(f, [[0, 0, 0.05], [0, 0, 0.05], [-0.05, -0.05, 0]], atol=1e-15)


def test_rising_tide_splits_a_loss_between_two_losers_in_proportion():
    # A gains 0.3; B loses 0.1 and C loses 0.2: A takes a third from B and two thirds from C.
    _, _, f = rising_tide([0.2, 0.3, 0.5], [0.5, 0.2, 0.3], 1.0, 1.0)
    np.testing.assert_allclose(f[0], [0, 0.1, 0.2], atol=1e-15)
    np.testing.assert_allclose(f[:, 0], [0, -0.1, -0.2], atol=1e-15)
    assert f[1, 2] == 0.0 and f[2, 1] == 0.0  # losers exchange nothing


def test_rising_tide_with_no_share_change_has_no_flows_and_only_growth():
    g, s, f = rising_tide([0.6, 0.4], [0.6, 0.4], np.array([10.0, 20.0]), np.array([15.0, 30.0]))
    assert g.shape == s.shape == (2, 2)
    np.testing.assert_array_equal(s, 0.0)
    np.testing.assert_array_equal(f, 0.0)
    np.testing.assert_allclose(g, [[3.0, 6.0], [2.0, 4.0]], rtol=1e-12)


def test_rising_tide_shapes_follow_the_market_paths():
    s0, s1 = [0.5, 0.5], [0.4, 0.6]
    g, s, _ = rising_tide(s0, s1, 10.0, 12.0)
    assert g.shape == s.shape == (2,)
    g, s, _ = rising_tide(s0, s1, 10.0, np.array([12.0, 13.0, 14.0]))
    assert g.shape == s.shape == (2, 3)
    g, s, _ = rising_tide(s0, s1, np.ones((4, 3)), 2 * np.ones((4, 3)))
    assert g.shape == s.shape == (2, 4, 3)


# --------------------------------------------------------------------------- discounting
def test_discount_factors_by_hand():
    np.testing.assert_allclose(discount_factors(0.1, 3), [1 / 1.1, 1 / 1.1**2, 1 / 1.1**3], rtol=1e-12)
    assert discount_factors(0.1, 2).round(4).tolist() == [0.9091, 0.8264]
    np.testing.assert_allclose(discount_factors(0.0, 4), [1.0, 1.0, 1.0, 1.0], rtol=1e-15)
    np.testing.assert_allclose(discount_factors(-0.2, 2), [1 / 0.8, 1 / 0.8**2], rtol=1e-12)
    np.testing.assert_allclose(discount_factors(1.0, 3), [0.5, 0.25, 0.125], rtol=1e-12)


def test_npv_by_hand():
    assert npv(0.1, [100, 100]) == pytest.approx(100 / 1.1 + 100 / 1.1**2, rel=1e-12)
    assert round(npv(0.1, [100, 100]), 2) == 173.55
    assert npv(0.08, [-50, 30, 80]) == pytest.approx(-50 / 1.08 + 30 / 1.08**2 + 80 / 1.08**3, rel=1e-12)
    assert npv(0.05, [42]) == pytest.approx(42 / 1.05, rel=1e-12)
    assert isinstance(npv(0.05, [42]), float)


def test_npv_at_a_zero_rate_is_the_plain_sum():
    flows = [12.5, -3.0, 7.25, 100.0]
    assert npv(0.0, flows) == pytest.approx(sum(flows), rel=1e-12)


# --------------------------------------------------------------------------- assess: known answers
def test_assess_one_off_case_by_hand():
    # Two years, one-off sales at 100, a 50 % bigger market, shares unchanged.
    r = assess(
        AB,
        [0.3, 0.2],
        [0.3, 0.2],
        m=10_000,
        revenue_per_customer=100,
        m_uplift=0.5,
        years=2,
        basis="one-off",
        margin=0.4,
        discount_rate=0.1,
    )
    F1, F2 = share_by_hand(1, P, Q), share_by_hand(2, P, Q)
    M0 = [10_000 * F1 * 100, 10_000 * (F2 - F1) * 100]
    M1 = [1.5 * x for x in M0]
    np.testing.assert_allclose(r.market["compete"], M0, rtol=1e-12)
    np.testing.assert_allclose(r.market["cooperate"], M1, rtol=1e-12)
    np.testing.assert_allclose(r.market["customers_compete"], [10_000 * F1, 10_000 * F2], rtol=1e-12)
    np.testing.assert_allclose(r.market["customers_cooperate"], [15_000 * F1, 15_000 * F2], rtol=1e-12)
    assert list(r.market.index) == [1, 2]
    # A's extra revenue is 0.3 * 0.5 * M0 each year; NPV = 40 % of it, discounted at 10 %.
    npv_a = 0.4 * 0.3 * 0.5 * M0[0] / 1.1 + 0.4 * 0.3 * 0.5 * M0[1] / 1.1**2
    npv_b = 0.4 * 0.2 * 0.5 * M0[0] / 1.1 + 0.4 * 0.2 * 0.5 * M0[1] / 1.1**2
    assert r.npv["A"] == pytest.approx(npv_a, rel=1e-12)
    assert r.npv["B"] == pytest.approx(npv_b, rel=1e-12)
    assert r.revenue[("compete", "A")].tolist() == pytest.approx([0.3 * x for x in M0], rel=1e-12)
    assert r.revenue[("cooperate", "B")].tolist() == pytest.approx([0.2 * x for x in M1], rel=1e-12)
    d = r.decomposition
    pv_m0 = M0[0] / 1.1 + M0[1] / 1.1**2
    assert d.loc["A", "compete"] == pytest.approx(0.3 * pv_m0, rel=1e-12)
    assert d.loc["A", "growth"] == pytest.approx(0.3 * 0.5 * pv_m0, rel=1e-12)
    assert d.loc["A", "cooperate"] == pytest.approx(0.3 * 1.5 * pv_m0, rel=1e-12)
    assert r.bass == {
        "compete": {"p": P, "q": Q, "m": 10_000},
        "cooperate": {"p": P, "q": Q, "m": 15_000},
        "source": "given",
    }
    assert r.assumptions[1] == "One-off sales: each year's new adopters times the price."
    assert r.assumptions[-1] == "NPV at 10.0% a year on a 40% margin, cash flows at each year's end."


def test_cooperation_that_only_raises_m_is_all_growth():
    r = assess(AB, [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=1_000, m_uplift=0.5)
    assert r.growth_share == 1.0
    assert r.grows_for_all
    assert (r.npv > 0).all()
    d = r.decomposition
    np.testing.assert_array_equal(d["share"], 0.0)
    assert not any(c.startswith("from ") for c in d.columns)
    assert list(d.columns) == ["compete", "growth", "share", "cooperate"]
    assert list(d.index) == AB and d.index.name == "party"
    # Revenue is linear in m, so every year's cooperative market is exactly 1.5 times the other.
    np.testing.assert_allclose(r.market["cooperate"], 1.5 * r.market["compete"], rtol=1e-12)
    assert r.findings[0].level == "good"
    assert r.findings[0].text == "Cooperation grows the market: +50% revenue over 5 years."
    assert r.findings[1].text == "Every party's cooperation pays: each has a positive NPV."
    assert r.p_both is None and r.fan is None and r.npv_draws is None
    assert r.parties == ("A", "B") and r.years == 5


def test_faster_adoption_alone_is_growth_too():
    r = assess(AB, [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=1_000, p_uplift=0.5, q_uplift=0.2)
    assert r.growth_share == 1.0
    assert (r.market["cooperate"] > r.market["compete"]).all()
    assert r.bass["cooperate"]["p"] == pytest.approx(P * 1.5)
    assert r.bass["cooperate"]["q"] == pytest.approx(Q * 1.2)


def test_cooperation_that_only_moves_share_has_no_growth():
    # m, p, q unchanged: A gives 0.1 to B, the rest of the market gives 0.05 to B.
    r = assess(
        ["A", "B", "C"], [0.3, 0.2, 0.1], [0.2, 0.35, 0.1], m=10_000, revenue_per_customer=1_000, discount_rate=0.05
    )
    d = r.decomposition
    np.testing.assert_array_equal(d["growth"], 0.0)
    np.testing.assert_array_equal(r.market["cooperate"], r.market["compete"])
    pv_market = float(r.market["compete"].to_numpy() @ discount_factors(0.05, 5))
    np.testing.assert_allclose(d["share"], [-0.1 * pv_market, 0.15 * pv_market, 0.0], rtol=1e-9, atol=1e-6)
    # The rest of the market lost 0.05: with it the shares moved add up to nothing.
    rest_share = float(r.flows.loc[REST].sum()) * pv_market
    assert rest_share == pytest.approx(-0.05 * pv_market, rel=1e-9)
    assert float(d["share"].sum()) + rest_share == pytest.approx(0.0, abs=1e-6 * pv_market)
    assert r.growth_share == 0.0
    assert not r.grows_for_all
    assert r.npv["A"] < 0 < r.npv["B"] and r.npv["C"] == 0.0
    assert r.findings[0].level == "caution"
    assert "does not change the market's size" in r.findings[0].text
    assert any("B:" in f.text and "taken from A, Rest of market" in f.text for f in r.findings)
    assert r.findings[1].text == "Cooperation does not pay for A, C (NPV ≤ 0)."


def test_a_swap_between_the_parties_has_an_undefined_growth_share():
    r = assess(AB, [0.3, 0.2], [0.2, 0.3], m=10_000, revenue_per_customer=1_000)
    assert math.isnan(r.growth_share)
    assert r.decomposition["share"].sum() == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    ("before", "after", "age"),
    [([0.05, 0.15], [0.1, 0.1], 0.0), ([0.35, 0.15], [0.2, 0.3], 0.0), ([0.3, 0.2], [0.2, 0.3], 3.0)],
)
def test_growth_share_is_nan_when_share_only_moves_between_the_parties(before, after, age):
    r = assess(AB, before, after, m=10_000, revenue_per_customer=1_000, market_age=age)
    assert math.isnan(r.growth_share)


def test_cooperation_cost_lowers_each_npv_by_its_annuity():
    kw = dict(m=10_000, revenue_per_customer=1_000, m_uplift=0.2, years=4, discount_rate=0.1)
    free = assess(AB, [0.3, 0.2], [0.3, 0.2], **kw)
    costly = assess(AB, [0.3, 0.2], [0.3, 0.2], cooperation_cost=[1_000, 50_000], **kw)
    annuity = 1 / 1.1 + 1 / 1.1**2 + 1 / 1.1**3 + 1 / 1.1**4
    assert costly.npv["A"] == pytest.approx(free.npv["A"] - 1_000 * annuity, rel=1e-12)
    assert costly.npv["B"] == pytest.approx(free.npv["B"] - 50_000 * annuity, rel=1e-12)
    assert costly.decomposition.equals(free.decomposition)  # costs are not revenue


def test_npv_is_the_margin_on_the_revenue_change_discounted():
    r = assess(
        ["A", "B", "C"],
        [0.3, 0.2, 0.1],
        [0.25, 0.3, 0.1],
        m=8_000,
        revenue_per_customer=500,
        m_uplift=0.3,
        q_uplift=0.1,
        margin=0.25,
        discount_rate=0.07,
        cooperation_cost=[100, 200, 300],
        years=6,
    )
    for party, cost in zip(["A", "B", "C"], [100, 200, 300], strict=True):
        change = r.revenue[("cooperate", party)] - r.revenue[("compete", party)]
        by_hand = sum((0.25 * x - cost) / 1.07**k for k, x in enumerate(change, start=1))
        assert r.npv[party] == pytest.approx(by_hand, rel=1e-10)
    assert r.npv.name == "npv"


def test_decomposition_columns_add_up_in_assess():
    r = assess(
        ["A", "B", "C"],
        [0.3, 0.2, 0.1],
        [0.35, 0.1, 0.2],
        m=10_000,
        revenue_per_customer=1_000,
        m_uplift=0.1,
        p_uplift=0.3,
    )
    d = r.decomposition
    np.testing.assert_allclose(d["compete"] + d["growth"] + d["share"], d["cooperate"], rtol=1e-12)
    from_cols = [c for c in d.columns if c.startswith("from ")]
    assert from_cols == ["from A", "from B", "from C", f"from {REST}"]
    np.testing.assert_allclose(d[from_cols].sum(axis=1), d["share"], rtol=1e-12)
    # B loses 0.1 and the rest of the market 0.05; A gains 0.05 and C 0.1: each takes 2/3 from B, 1/3 from the rest.
    assert d.loc["A", "from B"] == pytest.approx(2 * d.loc["A", f"from {REST}"], rel=1e-12)
    assert d.loc["C", "from B"] == pytest.approx(2 * d.loc["C", f"from {REST}"], rel=1e-12)
    assert d.loc["A", "from C"] == 0.0
    assert d.loc["B", "from B"] == 0.0
    assert list(r.flows.index) == ["A", "B", "C", REST] and r.flows.index.name == "to"
    assert r.flows.columns.name == "from"


def test_revenue_table_is_each_share_of_the_market():
    r = assess(AB, [0.3, 0.2], [0.25, 0.3], m=10_000, revenue_per_customer=1_000, m_uplift=0.2)
    assert list(r.revenue.columns) == [("compete", "A"), ("compete", "B"), ("cooperate", "A"), ("cooperate", "B")]
    np.testing.assert_allclose(r.revenue[("compete", "B")], 0.2 * r.market["compete"], rtol=1e-12)
    np.testing.assert_allclose(r.revenue[("cooperate", "A")], 0.25 * r.market["cooperate"], rtol=1e-12)


# --------------------------------------------------------------------------- assess: an older market
def _customers_at_start(r, price: float) -> tuple[float, float]:
    """N at the start of year 1 in each scenario: recurring revenue is price * (N(start) + N(start + 1)) / 2."""
    mk = r.market.iloc[0]
    return 2 * mk["compete"] / price - mk["customers_compete"], 2 * mk["cooperate"] / price - mk["customers_cooperate"]


def test_older_market_without_uplift_keeps_the_same_path():
    r = assess(AB, [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=100, market_age=4.0, years=6)
    np.testing.assert_allclose(r.market["customers_cooperate"], r.market["customers_compete"], rtol=1e-12)
    np.testing.assert_allclose(r.market["cooperate"], r.market["compete"], rtol=1e-12)
    # Year 1 of the horizon is year 5 since launch.
    assert r.market["customers_compete"].iloc[0] == pytest.approx(bass_cumulative(5, P, Q, 10_000), rel=1e-12)
    assert r.assumptions[-1] == (
        "The market is 4 years old; cooperation changes the path from now on, from today's adopters."
    )


@pytest.mark.parametrize("age", [0.5, 3.0, 7.0])
@pytest.mark.parametrize(
    ("m_up", "p_up", "q_up"), [(0.5, 0.0, 0.0), (0.5, 0.2, 0.0), (-0.2, 0.0, 0.5), (0.0, 1.0, 1.0)]
)
def test_older_market_cooperative_path_starts_from_todays_adopters(age, m_up, p_up, q_up):
    r = assess(
        AB,
        [0.3, 0.2],
        [0.3, 0.2],
        m=10_000,
        revenue_per_customer=100,
        market_age=age,
        m_uplift=m_up,
        p_uplift=p_up,
        q_uplift=q_up,
    )
    today = bass_cumulative(age, P, Q, 10_000)
    n0, n1 = _customers_at_start(r, 100)
    assert n0 == pytest.approx(today, rel=1e-9)
    assert n1 == pytest.approx(today, rel=1e-9)  # continuous: cooperation does not change the past


def test_new_market_starts_from_nobody_in_both_scenarios():
    r = assess(AB, [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=100, m_uplift=1.0, p_uplift=0.5)
    n0, n1 = _customers_at_start(r, 100)
    assert n0 == pytest.approx(0.0, abs=1e-9) and n1 == pytest.approx(0.0, abs=1e-9)
    assert not any("years old" in a for a in r.assumptions)


# --------------------------------------------------------------------------- assess: ranges
RANGED = dict(
    m=(8_000, 10_000, 14_000),
    revenue_per_customer=(800, 1_000, 1_100),
    m_uplift=(0.0, 0.2, 0.5),
    q_uplift=(-0.1, 0.1, 0.3),
)


def test_ranges_give_a_probability_a_fan_and_npv_draws():
    r = assess(AB, [0.3, 0.2], [0.3, 0.22], draws=3_000, seed=3, **RANGED)
    assert 0.0 <= r.p_both <= 1.0
    assert r.npv_draws.shape == (3_000, 2)
    assert r.p_both == pytest.approx(float(np.mean(np.all(r.npv_draws > 0, axis=1))), abs=1e-12)
    fan = r.fan
    assert list(fan.columns) == ["p5", "p25", "p50", "p75", "p95", "compete_p50"]
    assert list(fan.index) == [1, 2, 3, 4, 5]
    cols = ["p5", "p25", "p50", "p75", "p95"]
    assert (np.diff(fan[cols].to_numpy(), axis=1) >= 0).all()
    assert (fan["p95"] > fan["p5"]).all()
    assert any("of scenarios" in f.text for f in r.findings)


def test_p_both_needs_every_party_to_gain_not_just_one():
    # B takes share from A and always gains; A gains only when the market grows enough to make up its loss.
    r = assess(
        AB, [0.3, 0.2], [0.27, 0.25], m=10_000, revenue_per_customer=1_000, m_uplift=(0.0, 0.1, 0.4), draws=4_000
    )
    a_gains = r.npv_draws[:, 0] > 0
    assert (r.npv_draws[:, 1] > 0).all()
    assert 0.05 < a_gains.mean() < 0.95
    assert r.p_both == pytest.approx(float(a_gains.mean()), abs=1e-12)


def test_same_seed_same_draws_other_seed_other_draws():
    one = assess(AB, [0.3, 0.2], [0.3, 0.22], draws=2_000, seed=11, **RANGED)
    two = assess(AB, [0.3, 0.2], [0.3, 0.22], draws=2_000, seed=11, **RANGED)
    other = assess(AB, [0.3, 0.2], [0.3, 0.22], draws=2_000, seed=12, **RANGED)
    np.testing.assert_array_equal(one.npv_draws, two.npv_draws)
    assert one.p_both == two.p_both
    assert one.fan.equals(two.fan)
    assert not np.array_equal(one.npv_draws, other.npv_draws)
    assert not one.fan.equals(other.fan)


def test_monte_carlo_agrees_with_the_point_calculation_on_a_hair_thin_range():
    kw = dict(m=10_000, m_uplift=0.3, p_uplift=0.1, market_age=2.0, margin=0.35, cooperation_cost=[500, 900, 0])
    point = assess(["A", "B", "C"], [0.3, 0.2, 0.1], [0.28, 0.25, 0.1], revenue_per_customer=1_000, **kw)
    thin = assess(
        ["A", "B", "C"], [0.3, 0.2, 0.1], [0.28, 0.25, 0.1], revenue_per_customer=(1_000, 1_000, 1_000.000001), **kw
    )
    assert thin.npv_draws.shape == (20_000, 3)  # default draws
    np.testing.assert_allclose(thin.npv_draws, np.broadcast_to(point.npv.to_numpy(), (20_000, 3)), rtol=1e-8)
    np.testing.assert_allclose(thin.fan["p50"], point.market["cooperate"], rtol=1e-8)
    np.testing.assert_allclose(thin.fan["compete_p50"], point.market["compete"], rtol=1e-8)
    assert thin.npv.equals(point.npv)  # the most likely values are the same point inputs
    assert thin.p_both == float((point.npv > 0).all())


def test_sure_gains_and_sure_losses_give_probability_one_and_zero():
    sure = assess(AB, [0.3, 0.2], [0.3, 0.2], m=(8_000, 10_000, 12_000), revenue_per_customer=100, m_uplift=0.5)
    assert sure.p_both == 1.0
    hopeless = assess(
        AB, [0.3, 0.2], [0.3, 0.2], m=(8_000, 10_000, 12_000), revenue_per_customer=100, cooperation_cost=[1, 1]
    )
    assert hopeless.p_both == 0.0
    assert hopeless.findings[-1].level == "bad"


# --------------------------------------------------------------------------- properties
@st.composite
def share_vectors(draw, n: int):
    """``n`` shares adding up to 1 (the last one is the rest of the market)."""
    weights = draw(st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=n, max_size=n))
    w = np.array(weights)
    if w.sum() <= 1e-6:
        w = np.ones(n)
    return w / w.sum()


@st.composite
def two_share_vectors(draw, min_n: int = 2, max_n: int = 7):
    n = draw(st.integers(min_n, max_n))
    return draw(share_vectors(n)), draw(share_vectors(n))


coefficients_p = st.floats(0.001, 0.5, allow_nan=False)
coefficients_q = st.floats(0.0, 2.0, allow_nan=False)
potentials = st.floats(0.0, 1e7, allow_nan=False)


@given(coefficients_p, coefficients_q, potentials, st.lists(st.floats(0.0, 200.0), min_size=2, max_size=20))
def test_adoption_is_monotone_and_bounded_by_m(p, q, m, times):
    t = np.sort(np.array(times))
    n = bass_cumulative(t, p, q, m)
    assert np.all(np.diff(n) >= -1e-9 * max(m, 1.0))
    assert np.all(n >= 0) and np.all(n <= m * (1 + 1e-12))
    assert np.all(bass_rate(t, p, q, m) >= 0)


@given(coefficients_p, coefficients_q, st.floats(0.0, 30.0))
def test_bass_time_inverts_bass_share(p, q, t):
    F = bass_share(t, p, q)
    back = bass_time(F, p, q)
    if (p + q) * t <= 10:  # well away from saturation, where F rounds towards 1
        assert back == pytest.approx(t, rel=1e-6, abs=1e-9)
    else:
        assert back >= 0
    assert bass_share(min(back, 1e6), p, q) == pytest.approx(F, rel=1e-9, abs=1e-12)


@given(coefficients_p, coefficients_q, st.floats(0.0, 0.999))
def test_bass_share_inverts_bass_time(p, q, F):
    assert bass_share(bass_time(F, p, q), p, q) == pytest.approx(F, rel=1e-9, abs=1e-12)


@given(
    st.integers(1, 40),
    coefficients_p,
    coefficients_q,
    potentials,
    st.floats(0.0, 1e4),
    st.floats(0.0, 20.0),
)
def test_one_off_revenue_sums_to_m_price_times_the_adopted_share(years, p, q, m, price, start):
    total = market_revenue(years, p, q, m, price, basis="one-off", start=start).sum()
    expected = m * price * (bass_share(start + years, p, q) - bass_share(start, p, q))
    assert total == pytest.approx(expected, rel=1e-9, abs=1e-6 * max(m * price, 1.0))


@given(st.integers(1, 40), coefficients_p, coefficients_q, potentials, st.floats(0.0, 20.0))
def test_recurring_revenue_lies_between_customers_at_the_year_ends(years, p, q, m, start):
    out = market_revenue(years, p, q, m, 1.0, start=start)
    ends = bass_cumulative(start + np.arange(0, years + 1), p, q, m)
    tol = 1e-9 * max(m, 1.0)
    assert np.all(out >= ends[:-1] - tol) and np.all(out <= ends[1:] + tol)


@given(two_share_vectors(), st.floats(0.0, 1e9), st.floats(0.0, 1e9))
def test_rising_tide_terms_add_up_to_the_change_for_scalar_markets(shares, M0, M1):
    s0, s1 = shares
    g, s, _ = rising_tide(s0, s1, M0, M1)
    np.testing.assert_allclose(g + s, s1 * M1 - s0 * M0, rtol=1e-12, atol=1e-9 * max(M0, M1, 1.0))
    np.testing.assert_allclose(g, (s0 + s1) / 2 * (M1 - M0), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(s, (s1 - s0) * (M0 + M1) / 2, rtol=1e-12, atol=1e-300)


@given(
    two_share_vectors(),
    st.lists(st.floats(0.0, 1e8), min_size=1, max_size=12),
    st.floats(0.1, 3.0),
)
def test_rising_tide_terms_add_up_to_the_change_along_market_paths(shares, path, factor):
    s0, s1 = shares
    M0 = np.array(path)
    M1 = M0 * factor + 1.0
    g, s, _ = rising_tide(s0, s1, M0, M1)
    assert g.shape == s.shape == (s0.size, M0.size)
    expected = s1[:, None] * M1 - s0[:, None] * M0
    np.testing.assert_allclose(g + s, expected, rtol=1e-12, atol=1e-9 * float(M1.max()))
    # Over the players the growth terms add up to the market's growth, the share terms to nothing.
    np.testing.assert_allclose(g.sum(axis=0), M1 - M0, rtol=1e-9, atol=1e-6 * float(M1.max()))
    np.testing.assert_allclose(s.sum(axis=0), 0.0, atol=1e-6 * float(M1.max()))


@given(two_share_vectors())
def test_flows_are_antisymmetric_sum_to_the_change_and_run_from_losers_to_gainers(shares):
    s0, s1 = shares
    _, _, f = rising_tide(s0, s1, 1.0, 1.0)
    delta = s1 - s0
    np.testing.assert_allclose(f, -f.T, atol=1e-15)
    np.testing.assert_allclose(f.sum(axis=1), delta, atol=1e-12)
    np.testing.assert_array_equal(np.diag(f), 0.0)
    for i, j in zip(*np.nonzero(f > 0), strict=True):
        assert delta[i] > 0 and delta[j] < 0, (i, j)
    # Losers never exchange share with each other, nor gainers.
    losers, gainers = delta < 0, delta > 0
    np.testing.assert_array_equal(f[np.ix_(losers, losers)], 0.0)
    np.testing.assert_array_equal(f[np.ix_(gainers, gainers)], 0.0)


@given(st.floats(-0.49, 1.0), st.integers(1, 40))
def test_discount_factors_are_one_over_one_plus_r_to_the_k(rate, years):
    k = np.arange(1, years + 1)
    np.testing.assert_allclose(discount_factors(rate, years), 1 / (1 + rate) ** k, rtol=1e-10)


@given(st.floats(-0.49, 1.0), st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30))
def test_npv_is_the_discounted_sum(rate, flows):
    expected = sum(x / (1 + rate) ** k for k, x in enumerate(flows, start=1))
    scale = sum(abs(x) / (1 + rate) ** k for k, x in enumerate(flows, start=1))
    assert npv(rate, flows) == pytest.approx(expected, rel=1e-9, abs=1e-9 * max(scale, 1.0))


@st.composite
def party_shares(draw):
    """Two to four parties' shares in each scenario, each list adding up to at most 1."""
    n = draw(st.integers(1, 4))
    out = []
    for _ in range(2):
        w = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n + 1, max_size=n + 1)))
        w = np.ones(n + 1) if w.sum() <= 1e-6 else w
        out.append((w / w.sum())[:n].tolist())
    return [f"P{j}" for j in range(n)], out[0], out[1]


@given(
    party_shares(),
    st.floats(-0.5, 2.0),
    st.floats(-0.5, 1.0),
    st.floats(0.0, 10.0),
    st.sampled_from(["recurring", "one-off"]),
)
def test_assess_decomposition_adds_up_for_every_party(shares, m_up, q_up, age, basis):
    parties, before, after = shares
    r = assess(
        parties,
        before,
        after,
        m=50_000,
        revenue_per_customer=200,
        m_uplift=m_up,
        q_uplift=q_up,
        market_age=age,
        basis=basis,
        years=8,
    )
    d = r.decomposition
    scale = float(d[["compete", "cooperate"]].abs().to_numpy().max()) + 1.0
    np.testing.assert_allclose(d["compete"] + d["growth"] + d["share"], d["cooperate"], rtol=1e-12, atol=1e-9 * scale)
    from_cols = [c for c in d.columns if c.startswith("from ")]
    total_from = d[from_cols].sum(axis=1) if from_cols else 0.0 * d["share"]
    # the flows are shares of the whole market: their rounding is relative to its revenue, not to a tiny party's
    market_scale = 50_000 * 200 * 8
    np.testing.assert_allclose(total_from, d["share"], rtol=1e-9, atol=max(1e-9 * scale, 1e-12 * market_scale))
    np.testing.assert_allclose(r.flows.to_numpy(), -r.flows.to_numpy().T, atol=1e-15)
    assert r.grows_for_all == bool((r.npv > 0).all())
    changes = d["growth"] + d["share"]
    noise = 1e-9 * float(d["compete"].abs().sum() + d["cooperate"].abs().sum())  # the framework's rounding tolerance
    if abs(float(changes.sum())) > noise:
        assert r.growth_share == pytest.approx(float(d["growth"].sum() / changes.sum()), rel=1e-9)
    else:
        assert np.isnan(r.growth_share)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: bass_share(1, 0, 0.38), r"p must be a coefficient of innovation in \(0, 1\], got 0"),
        (lambda: bass_share(1, 1.5, 0.38), r"p must be a coefficient of innovation in \(0, 1\], got 1.5"),
        (lambda: bass_share(1, 0.03, -1), "q must be a coefficient of imitation between 0 and 5, got -1"),
        (lambda: bass_share(1, 0.03, 6), "q must be a coefficient of imitation between 0 and 5, got 6"),
        (lambda: bass_share(-1, 0.03, 0.38), r"t must be years since launch, >= 0, got -1"),
        (lambda: bass_cumulative(1, 0.03, 0.38, -5), "m must be a market potential >= 0, got -5"),
        (lambda: bass_rate(1, 0, 0.38, 100), r"p must be a coefficient of innovation in \(0, 1\]"),
        (lambda: bass_adoptions(0, 0.03, 0.38, 100), "years must be a whole number from 1 to 100, got 0"),
        (lambda: bass_adoptions(101, 0.03, 0.38, 100), "years must be a whole number from 1 to 100, got 101"),
        (lambda: bass_adoptions(2.5, 0.03, 0.38, 100), "years must be a whole number from 1 to 100, got 2.5"),
        (lambda: bass_time(-0.1, 0.03, 0.38), "share must be >= 0, got -0.1"),
        (lambda: bass_time(0.5, 0.03, 7), "q must be a coefficient of imitation between 0 and 5"),
        (lambda: fit_bass([1, 2, 3]), "adoptions must list at least 4 periods"),
        (lambda: fit_bass([1, 2, -3, 4]), "adoptions must be numbers >= 0"),
        (lambda: fit_bass([1, 2, float("nan"), 4]), "adoptions must be numbers >= 0"),
        (lambda: fit_bass([0, 0, 0, 0, 0]), "adoptions must contain some adoption"),
        (lambda: market_revenue(3, 0.03, 0.38, 100, 10, basis="monthly"), "basis must be 'recurring' or 'one-off'"),
        (lambda: market_revenue(3, 0.03, 0.38, 100, -10), "revenue_per_customer must be money >= 0, got -10"),
        (lambda: rising_tide([0.5, 0.4], [0.5, 0.5], 1, 1), r"shares_before must add up to 1 \(include the rest"),
        (lambda: rising_tide([0.5, 0.5], [0.7, 0.5], 1, 1), r"shares_after must add up to 1 \(include the rest"),
        (lambda: rising_tide([0.5, 0.5], [1.0, 0.0, 0.0], 1, 1), "shares_after must have one share per player"),
        (lambda: rising_tide([1.5, -0.5], [0.5, 0.5], 1, 1), "shares_before must be shares between 0 and 1"),
        (lambda: discount_factors(2, 3), "discount_rate must be a yearly rate between -0.5 and 1, got 2"),
        (lambda: discount_factors(-0.5, 3), "discount_rate must be a yearly rate between -0.5 and 1, got -0.5"),
        (lambda: npv(0.1, []), "cash_flows must be a list of yearly amounts"),
        (lambda: npv(1.5, [1, 2]), "discount_rate must be a yearly rate between -0.5 and 1, got 1.5"),
    ],
)
def test_bad_input_to_the_building_blocks_names_the_field_and_the_rule(call, match):
    with pytest.raises(InputError, match=match):
        call()


SIZING = dict(customers=20_000, annual_spend=1_500, serviceable_share=0.4, obtainable_share=0.1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(customers=-1), r"customers must be between 0 and 1e\+12, got -1"),
        (dict(annual_spend=float("nan")), r"annual_spend must be between 0 and 1e\+12"),
        (dict(serviceable_share=1.2), "serviceable_share must be between 0 and 1, got 1.2"),
        (dict(obtainable_share=-0.1), "obtainable_share must be between 0 and 1, got -0.1"),
        (dict(customers="many"), r"customers must be between 0 and 1e\+12"),
        (
            dict(target_accounts=100),
            "bottom-up sizing must give all four of target_accounts, reachable_share, win_rate and annual_value, got \\['reachable_share'",
        ),
        (
            dict(target_accounts=100, reachable_share=0.5, win_rate=1.5, annual_value=10),
            "win_rate must be between 0 and 1, got 1.5",
        ),
        (
            dict(target_accounts=-3, reachable_share=0.5, win_rate=0.5, annual_value=10),
            r"target_accounts must be between 0 and 1e\+12, got -3",
        ),
    ],
)
def test_bad_sizing_input_names_the_field_and_the_range(kwargs, match):
    with pytest.raises(InputError, match=match):
        market_sizing(**{**SIZING, **kwargs})


BASE = dict(m=10_000, revenue_per_customer=1_000)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((["A", "B"], [0.7, 0.5], [0.3, 0.2]), {}, r"shares_compete must add up to at most 1 \(the rest is"),
        ((["A", "B"], [0.3, 0.2], [0.6, 0.6]), {}, r"shares_cooperate must add up to at most 1 \(the rest is"),
        ((["A", "B"], [0.3], [0.3, 0.2]), {}, r"shares_compete must give one share per party \(2\)"),
        ((["A", "B"], [0.3, 0.2], [0.3, 0.2, 0.1]), {}, r"shares_cooperate must give one share per party \(2\)"),
        ((["A", "B"], [0.3, -0.2], [0.3, 0.2]), {}, r"shares_compete\[B\] must be a share between 0 and 1"),
        ((["A", "B"], [0.3, 0.2], [1.3, 0.2]), {}, r"shares_cooperate\[A\] must be a share between 0 and 1"),
        ((["A", "A"], [0.3, 0.2], [0.3, 0.2]), {}, "parties must be distinct names"),
        (([REST, "B"], [0.3, 0.2], [0.3, 0.2]), {}, "parties must be distinct names"),
        (([], [], []), {}, "parties must list 1 to 6 parties"),
        ((list("ABCDEFG"), [0.1] * 7, [0.1] * 7), {}, "parties must list 1 to 6 parties"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(years=31), "years must be a whole number from 1 to 30, got 31"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(years=0), "years must be a whole number from 1 to 30, got 0"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(margin=1.5), "margin must be a share between 0 and 1, got 1.5"),
        (
            (AB, [0.3, 0.2], [0.3, 0.2]),
            dict(discount_rate=2),
            "discount_rate must be a yearly rate between -0.5 and 1, got 2",
        ),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(market_age=-1), "market_age must be 0 to 100 years, got -1"),
        (
            (AB, [0.3, 0.2], [0.3, 0.2]),
            dict(m_uplift=-0.95),
            re.escape("m_uplift must be between -0.9 and 5 (-90% to +500%)"),
        ),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(p_uplift=6), re.escape("p_uplift must be between -0.9 and 5 (-90% to")),
        (
            (AB, [0.3, 0.2], [0.3, 0.2]),
            dict(q_uplift=(-1.0, 0.0, 0.5)),
            re.escape("q_uplift must be between -0.9 and 5 (-90% to +500%), got (-1.0, 0.0, 0.5)"),
        ),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(draws=10), "draws must be a whole number from 1,000 to 200,000, got 10"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(draws=True), "draws must be a whole number from 1,000 to 200,000"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(basis="monthly"), "basis must be 'recurring' or 'one-off', got 'monthly'"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(cooperation_cost=[100, -5]), "cooperation_cost must be money >= 0"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(cooperation_cost=[100]), "cooperation_cost must give one cost per party"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(m=-1), r"m must be between 0 and 1e\+12"),
        (
            (AB, [0.3, 0.2], [0.3, 0.2]),
            dict(revenue_per_customer=(500, 1_000, 2e9)),
            r"revenue_per_customer must be between 0 and 1e\+09",
        ),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(p=0), r"p must be a coefficient of innovation in \(0, 1\]"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(q=(0.2, 0.4, 6)), "q must be a coefficient of imitation between 0 and 5"),
        ((AB, [0.3, 0.2], [0.3, 0.2]), dict(m=(3, 2, 1)), "m must be a range with low <= likely <= high"),
    ],
)
def test_bad_assess_input_names_the_field_and_the_rule(args, kwargs, match):
    with pytest.raises(InputError, match=match):
        assess(*args, **{**BASE, **kwargs})


def test_an_uplift_that_pushes_p_past_one_is_refused():
    # p = 0.5 raised by 150 % would be 1.25: the cooperative coefficient is checked too.
    with pytest.raises(
        InputError, match=r"^p × \(1 \+ p_uplift\) must be a coefficient of innovation in \(0, 1\], got 1.25"
    ):
        assess(AB, [0.3, 0.2], [0.3, 0.2], p=0.5, p_uplift=1.5, **BASE)


def test_a_negative_seed_is_refused_with_an_input_error():
    with pytest.raises(InputError, match="seed must be"):
        assess(AB, [0.3, 0.2], [0.3, 0.2], draws=2_000, seed=-1, **{**BASE, "m": (8_000, 10_000, 12_000)})
