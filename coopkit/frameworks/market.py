"""Market-growth estimates: does cooperation grow the whole market, or only move share?

"A rising tide floats all boats": competitors who cooperate (a joint
category campaign, a shared standard, entering a new market together) may make
the market bigger or make it adopt sooner, and each then earns more from the
same share. Or cooperation may only move share from one to another. This
module sizes the market, projects adoption with the Bass model, compares
compete-only with cooperate, and splits each party's revenue change into the
part from growth and the part from share shift.

Market sizing [Blank2012]_
    Top-down: ``TAM = customers * annual spend``, ``SAM = TAM * serviceable
    share``, ``SOM = SAM * obtainable share``. Bottom-up: ``SOM = target
    accounts * reachable share * win rate * annual value per account``.
    :func:`market_sizing` returns every step with its arithmetic.

The Bass diffusion model [Bass1969]_
    The share of the market potential ``m`` that has adopted by time ``t``
    (years since launch) is
    ``F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))``,
    with ``p`` the coefficient of innovation (adoption from outside influence,
    e.g. advertising) and ``q`` of imitation (word of mouth). Cumulative
    adopters are ``N(t) = m F(t)``; adopters in year ``k`` are
    ``m (F(k) - F(k - 1))``. Without data, use the meta-analysis means
    ``p = 0.03``, ``q = 0.38`` of [Sultan1990]_ (:data:`BASS_DEFAULTS`).
    With data, :func:`fit_bass` fits ``p, q, m`` to an adoption series by
    non-linear least squares on the period adoptions [Srinivasan1986]_.

Compete-only versus cooperate
    Cooperation may raise the potential ``m``, speed adoption (``p``, ``q``)
    and change each party's share ``s_i`` of the market. The market's revenue
    in year ``k`` is its customers (the mid-year average of ``N``) times the
    annual revenue per customer for recurring revenue, or the year's new
    adopters times the price for one-off sales. Each party earns its share of
    it: ``R_i = s_i M``. When the market is already ``t0`` years old, the
    cooperative path starts from the same number of adopters (at the time
    ``tau`` on its own curve where ``m' F'(tau) = m F(t0)``), so cooperation
    changes the path from now on, never the past. (Should cooperation cut the
    potential below today's adopters, the customers above the new potential
    are taken as lost at once and the market as saturated.)

The rising-tide decomposition
    Each party's change ``s1 M1 - s0 M0`` splits exactly into
    ``growth = (s0 + s1) / 2 (M1 - M0)`` and ``share = (s1 - s0) (M0 + M1) / 2``,
    the symmetric (Shapley) decomposition of a product [Shorrocks2013]_, with
    no order effect between the two. With more than two players (the rest of
    the market counts as one), the share moved is traced to its sources:
    each gainer takes from each loser in proportion to the loser's loss
    (coopkit's assumption; the model does not know who would have switched).

Share paths observed in the past
    A share that one way of selling takes from another (third-party sellers
    in a retailer's own store) often follows an S-curve. :func:`fit_logistic`
    fits ``K / (1 + exp(-r (t - t0)))`` [Griliches1957]_, [FisherPry1971]_ and
    :func:`fit_bass_path` the cumulative Bass curve ``m F(t - launch)`` to the
    levels by non-linear least squares [Meade2006]_; both report a parameter
    the data leave at a bound of its range. :func:`split_by_share` turns a
    share path and two known market totals into each side's sales (the
    market interpolated at a constant growth rate between them),
    :func:`rising_tide_path` splits one side's change period by period into
    growth and share, :func:`cagr`, :func:`cagr_range` and
    :func:`implied_start` check stated growth rates against rounded
    figures, and :func:`break_even_growth` says how much a market must grow
    for a player that gives up share to keep its sales.

The value of the difference
    ``NPV_i = sum_k (margin * (R_i,coop(k) - R_i,compete(k)) - cost_i) / (1 + r) ** k``,
    the cooperation's cash flows discounted to today [Brealey2020]_, computed
    with numpy-financial.

With ranges on ``m``, ``p``, ``q``, the uplifts or the revenue per customer,
a seeded beta-PERT Monte Carlo gives ``P(market grows enough for both)``,
the share of scenarios in which every party's NPV of cooperating is
positive, and the percentiles of the market path for a fan chart [Vose2008]_.

References
----------
.. [Blank2012] Blank, S. and Dorf, B. (2012). *The Startup Owner's Manual*. K&S Ranch (TAM, SAM, SOM).
.. [Bass1969] Bass, F. M. (1969). "A new product growth for model consumer
   durables". *Management Science* 15(5), 215-227.
.. [Sultan1990] Sultan, F., Farley, J. U. and Lehmann, D. R. (1990). "A
   meta-analysis of applications of diffusion models". *Journal of Marketing
   Research* 27(1), 70-77.
.. [Srinivasan1986] Srinivasan, V. and Mason, C. H. (1986). "Nonlinear least
   squares estimation of new product diffusion models". *Marketing Science*
   5(2), 169-178.
.. [Shorrocks2013] Shorrocks, A. F. (2013). "Decomposition procedures for
   distributional analysis: a unified framework based on the Shapley value".
   *Journal of Economic Inequality* 11(1), 99-126.
.. [Griliches1957] Griliches, Z. (1957). "Hybrid corn: an exploration in the economics of
   technological change". *Econometrica* 25(4), 501-522.
.. [FisherPry1971] Fisher, J. C. and Pry, R. H. (1971). "A simple substitution model of
   technological change". *Technological Forecasting and Social Change* 3, 75-88.
.. [Meade2006] Meade, N. and Islam, T. (2006). "Modelling and forecasting the diffusion of
   innovation: a 25-year review". *International Journal of Forecasting* 22(3), 519-545.
.. [Brealey2020] Brealey, R. A., Myers, S. C. and Allen, F. (2020).
   *Principles of Corporate Finance*, 13th ed. McGraw-Hill, ch. 2.
.. [Vose2008] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed. Wiley.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy_financial as npf
import pandas as pd

from coopkit.errors import require
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import Estimate, as_numbers, as_range, draw, is_number

__all__ = [
    "BASS_DEFAULTS",
    "REST",
    "bass_share",
    "bass_cumulative",
    "bass_rate",
    "bass_adoptions",
    "bass_time",
    "BassFit",
    "fit_bass",
    "market_sizing",
    "market_revenue",
    "rising_tide",
    "CurveFit",
    "logistic_share",
    "fit_logistic",
    "fit_bass_path",
    "cagr",
    "cagr_range",
    "implied_start",
    "split_by_share",
    "rising_tide_path",
    "break_even_growth",
    "discount_factors",
    "npv",
    "GrowthResult",
    "assess",
    "paths_report",
    "ranges_report",
]

#: Mean coefficients of innovation and imitation across 213 applications [Sultan1990]_.
BASS_DEFAULTS = {"p": 0.03, "q": 0.38, "source": "Sultan, Farley and Lehmann (1990), meta-analysis means"}

#: Name of the rest of the market (everyone who is not a party) in share tables.
REST = "Rest of market"

#: Relative size below which a revenue change is rounding noise and counts as zero.
_TOLERANCE = 1e-9

Basis = Literal["recurring", "one-off"]


# --------------------------------------------------------------------------- Bass model
def _check_pq(p, q, p_name: str = "p", q_name: str = "q") -> tuple[np.ndarray, np.ndarray]:
    p_ = as_numbers(p, p_name, "be a coefficient of innovation in (0, 1]")
    q_ = as_numbers(q, q_name, "be a coefficient of imitation between 0 and 5")
    require(bool(np.all((p_ > 0) & (p_ <= 1))), p_name, p, "be a coefficient of innovation in (0, 1]")
    require(bool(np.all((q_ >= 0) & (q_ <= 5))), q_name, q, "be a coefficient of imitation between 0 and 5")
    return p_, q_


def _years(years, high: int) -> int:
    require(
        isinstance(years, (int, np.integer)) and not isinstance(years, bool) and 1 <= years <= high,
        "years",
        years,
        f"be a whole number from 1 to {high}",
    )
    return int(years)


def _scalar(x):
    return float(x) if np.ndim(x) == 0 else x


def bass_share(t, p, q):
    """Share ``F(t)`` of the market potential that has adopted by ``t`` years after launch.

    Vectorised: ``t``, ``p`` and ``q`` broadcast against each other.

    Examples
    --------
    >>> round(bass_share(10, 0.03, 0.38), 4)
    0.8128
    >>> bass_share(0, 0.03, 0.38)
    0.0
    """
    p_, q_ = _check_pq(p, q)
    t_ = np.asarray(t, dtype=float)
    require(bool(np.all(t_ >= 0)), "t", t, "be years since launch, >= 0")
    e = np.exp(-(p_ + q_) * t_)
    return _scalar((1.0 - e) / (1.0 + (q_ / p_) * e))


def bass_cumulative(t, p, q, m):
    """Cumulative adopters ``N(t) = m F(t)`` (same unit as ``m``: customers).

    Examples
    --------
    >>> round(bass_cumulative(5, 0.03, 0.38, 10_000))
    3312
    """
    m_ = np.asarray(m, dtype=float)
    require(bool(np.all(m_ >= 0)), "m", m, "be a market potential >= 0")
    return _scalar(m_ * np.asarray(bass_share(t, p, q)))


def bass_rate(t, p, q, m):
    """Adoption rate ``dN/dt = m (p + q)^2 / p * e / (1 + (q/p) e)^2``, ``e = exp(-(p+q)t)``; customers per year.

    Examples
    --------
    >>> round(bass_rate(0, 0.03, 0.38, 10_000))  # at launch only innovators adopt: m p
    300
    """
    p_, q_ = _check_pq(p, q)
    t_ = as_numbers(t, "t", "be years since launch, >= 0")
    require(bool(np.all(t_ >= 0)), "t", t, "be years since launch, >= 0")
    m_ = as_numbers(m, "m", "be a market potential >= 0")
    require(bool(np.all(m_ >= 0)), "m", m, "be a market potential >= 0")
    e = np.exp(-(p_ + q_) * t_)
    return _scalar(m_ * (p_ + q_) ** 2 / p_ * e / (1.0 + (q_ / p_) * e) ** 2)


def bass_adoptions(years: int, p, q, m, start: float = 0.0):
    """New adopters in each of ``years`` years from ``start``: ``m (F(start+k) - F(start+k-1))``.

    ``p``, ``q``, ``m`` and ``start`` may be arrays of shape ``(draws,)``; the
    result then has shape ``(draws, years)``.

    Examples
    --------
    >>> [round(x) for x in bass_adoptions(3, 0.03, 0.38, 10_000)]
    [358, 493, 654]
    """
    years = _years(years, 100)
    ends = np.asarray(start, dtype=float)[..., None] + np.arange(0, years + 1)
    cum = np.asarray(
        bass_cumulative(ends, np.asarray(p)[..., None], np.asarray(q)[..., None], np.asarray(m)[..., None])
    )
    return np.diff(cum, axis=-1)


def bass_time(share, p, q):
    """Years after launch at which the adopted share reaches ``share`` (the inverse of :func:`bass_share`).

    Returns ``inf`` for ``share >= 1`` (never reached).

    Examples
    --------
    >>> round(bass_time(bass_share(4.0, 0.03, 0.38), 0.03, 0.38), 6)
    4.0
    """
    p_, q_ = _check_pq(p, q)
    F = np.asarray(share, dtype=float)
    require(bool(np.all(F >= 0)), "share", share, "be >= 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = (1.0 - F) / (1.0 + (q_ / p_) * F)
        t = np.where(F >= 1, np.inf, -np.log(np.where(F >= 1, 1.0, inside)) / (p_ + q_))
    return _scalar(t)


@dataclass(frozen=True)
class BassFit:
    """A Bass model fitted to an adoption series.

    Attributes
    ----------
    p, q, m : float
        Fitted coefficients and market potential (customers).
    std_errors : dict
        Asymptotic standard errors of p, q, m (from the Jacobian at the optimum).
    r2 : float
        Share of the variance of the period adoptions the fit explains.
    rmse : float
        Root mean squared error, customers per period.
    fitted : numpy.ndarray
        Fitted adoptions per period.
    observed : numpy.ndarray
    """

    p: float
    q: float
    m: float
    std_errors: dict
    r2: float
    rmse: float
    fitted: np.ndarray
    observed: np.ndarray

    def table(self) -> pd.DataFrame:
        """The fitted p, q and m with their standard errors, one row each.

        Examples
        --------
        >>> fit_bass(bass_adoptions(8, 0.02, 0.4, 5_000)).table().index.tolist()
        ['p', 'q', 'm']
        """
        return pd.DataFrame(
            {"estimate": [self.p, self.q, self.m], "std_error": [self.std_errors[k] for k in ("p", "q", "m")]},
            index=pd.Index(["p", "q", "m"], name="coefficient"),
        )

    @property
    def peak_year(self) -> float:
        """Year of peak adoption, ``ln(q/p) / (p+q)`` (0 when ``q <= p``)."""
        return float(np.log(self.q / self.p) / (self.p + self.q)) if self.q > self.p else 0.0


def fit_bass(adoptions: Sequence[float]) -> BassFit:
    """Fit ``p, q, m`` to adoptions per period (period 1 = the first year after launch).

    Non-linear least squares on the period adoptions [Srinivasan1986]_ with
    scipy's trust-region solver, from several starting points (the
    [Sultan1990]_ means among them), keeping the best.

    Parameters
    ----------
    adoptions : sequence of float
        New adopters in each period, at least 4 periods, non-negative, not all zero.

    Examples
    --------
    >>> truth = bass_adoptions(12, 0.02, 0.45, 50_000)
    >>> fit = fit_bass(truth)
    >>> round(fit.p, 3), round(fit.q, 3), round(fit.m), round(fit.r2, 4)
    (0.02, 0.45, 50000, 1.0)
    """
    from scipy.optimize import least_squares

    y = np.asarray(adoptions, dtype=float)
    require(y.ndim == 1 and y.size >= 4, "adoptions", adoptions, "list at least 4 periods")
    require(bool(np.all(np.isfinite(y)) and np.all(y >= 0)), "adoptions", adoptions, "be numbers >= 0")
    total = float(y.sum())
    require(total > 0, "adoptions", adoptions, "contain some adoption")
    T = y.size
    scale = total

    def residuals(theta):
        p, q, m = theta
        return (bass_adoptions(T, p, q, m * scale) - y) / scale

    best = None
    for p0, q0, m0 in ((0.03, 0.38, 2.0), (0.01, 0.6, 1.5), (0.1, 0.2, 1.2), (0.005, 1.0, 3.0), (0.05, 0.05, 5.0)):
        res = least_squares(
            residuals, x0=[p0, q0, m0], bounds=([1e-6, 0.0, 1.0], [1.0, 5.0, 1e3]), method="trf", x_scale="jac"
        )
        if best is None or res.cost < best.cost:
            best = res
    p, q, m_rel = best.x
    fitted = bass_adoptions(T, p, q, m_rel * scale)
    resid = y - fitted
    sse = float(resid @ resid)
    sst = float(((y - y.mean()) ** 2).sum())
    dof = max(T - 3, 1)
    J = best.jac * np.array([1.0, 1.0, 1.0 / scale]) * scale  # jacobian of (fitted - y) in original units
    try:
        cov = np.linalg.inv(J.T @ J) * sse / dof
        errs = np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        errs = np.full(3, np.nan)
    return BassFit(
        p=float(p),
        q=float(q),
        m=float(m_rel * scale),
        std_errors={"p": float(errs[0]), "q": float(errs[1]), "m": float(errs[2])},
        r2=1.0 - sse / sst if sst > 0 else (1.0 if sse == 0 else 0.0),
        rmse=float(np.sqrt(sse / T)),
        fitted=fitted,
        observed=y,
    )


# --------------------------------------------------------------------------- sizing
def market_sizing(
    *,
    customers: float,
    annual_spend: float,
    serviceable_share: float,
    obtainable_share: float,
    target_accounts: float | None = None,
    reachable_share: float | None = None,
    win_rate: float | None = None,
    annual_value: float | None = None,
) -> pd.DataFrame:
    """TAM, SAM and SOM top-down, and SOM bottom-up, with the arithmetic of each step.

    Parameters
    ----------
    customers : float
        Everyone who could buy this kind of offer (customers).
    annual_spend : float
        What one of them spends on it a year (money per year).
    serviceable_share, obtainable_share : float in [0, 1]
        Share of the TAM our offer can serve; share of that we can win.
    target_accounts, reachable_share, win_rate, annual_value : float, optional
        The bottom-up count: accounts on our list, the share we can reach,
        the share we win, and the annual value of one account (money per year).

    Returns
    -------
    pandas.DataFrame
        Rows ``method``, ``level``, ``arithmetic``, ``value`` (money per year).

    Examples
    --------
    >>> t = market_sizing(customers=20_000, annual_spend=1_500, serviceable_share=0.4, obtainable_share=0.1)
    >>> t["value"].tolist()
    [30000000.0, 12000000.0, 1200000.0]
    >>> t["arithmetic"].iloc[1]
    '30,000,000 × 40%'
    """
    for name, value, low, high in (
        ("customers", customers, 0, 1e12),
        ("annual_spend", annual_spend, 0, 1e12),
        ("serviceable_share", serviceable_share, 0, 1),
        ("obtainable_share", obtainable_share, 0, 1),
    ):
        require(is_number(value) and low <= value <= high, name, value, f"be between {low:g} and {high:g}")
    tam = float(customers) * annual_spend
    pct = _percent
    sam = tam * serviceable_share
    som = sam * obtainable_share
    rows = [
        ("top-down", "TAM", f"{customers:,.0f} customers × {annual_spend:,.0f} a year", tam),
        ("top-down", "SAM", f"{tam:,.0f} × {pct(serviceable_share)}", sam),
        ("top-down", "SOM", f"{sam:,.0f} × {pct(obtainable_share)}", som),
    ]
    bottom = (target_accounts, reachable_share, win_rate, annual_value)
    if any(v is not None for v in bottom):
        missing = [
            n
            for n, v in zip(("target_accounts", "reachable_share", "win_rate", "annual_value"), bottom, strict=True)
            if v is None
        ]
        require(
            not missing,
            "bottom-up sizing",
            missing,
            "give all four of target_accounts, reachable_share, win_rate and annual_value",
        )
        for name, value, high in zip(
            ("target_accounts", "reachable_share", "win_rate", "annual_value"), bottom, (1e12, 1, 1, 1e12), strict=True
        ):
            require(is_number(value) and 0 <= value <= high, name, value, f"be between 0 and {high:g}")
        bu = float(target_accounts) * reachable_share * win_rate * annual_value
        rows.append(
            (
                "bottom-up",
                "SOM",
                f"{target_accounts:,.0f} accounts × {pct(reachable_share)} reached × {pct(win_rate)} won "
                f"× {annual_value:,.0f} a year",
                bu,
            )
        )
    return pd.DataFrame(rows, columns=["method", "level", "arithmetic", "value"])


def _percent(x: float) -> str:
    """A share as a percentage with as many decimals as it needs (up to 2): 0.125 -> '12.5%'."""
    return f"{x * 100:.2f}".rstrip("0").rstrip(".") + "%"


# --------------------------------------------------------------------------- revenue and decomposition
def market_revenue(years: int, p, q, m, revenue_per_customer, *, basis: Basis = "recurring", start=0.0):
    """The market's revenue in each year (money per year), shape ``(..., years)``.

    ``recurring``: customers (mid-year average of cumulative adopters) times the
    annual revenue per customer. ``one-off``: the year's new adopters times the price.

    Examples
    --------
    >>> [round(x) for x in market_revenue(2, 0.03, 0.38, 10_000, 100)]
    [17879, 60407]
    """
    require(basis in ("recurring", "one-off"), "basis", basis, "be 'recurring' or 'one-off'")
    price = np.asarray(revenue_per_customer, dtype=float)
    require(bool(np.all(price >= 0)), "revenue_per_customer", revenue_per_customer, "be money >= 0")
    new = bass_adoptions(years, p, q, m, start)
    if basis == "one-off":
        return new * price[..., None]
    before = np.asarray(bass_cumulative(np.asarray(start, dtype=float), p, q, m))[..., None]
    cum = before + np.cumsum(new, axis=-1)
    mid = cum - new / 2.0
    return mid * price[..., None]


def rising_tide(shares_before, shares_after, market_before, market_after):
    """Split each player's revenue change into growth and share shift, and trace the share to its sources.

    Parameters
    ----------
    shares_before, shares_after : array of shape (n,)
        Every player's share of the market (including the rest of the market), each summing to 1.
    market_before, market_after : float or array of shape (..., T)
        Market revenue (money per year) without and with cooperation.

    Returns
    -------
    growth : numpy.ndarray, shape (n, ...)
        ``(s0 + s1) / 2 * (M1 - M0)``.
    share : numpy.ndarray, shape (n, ...)
        ``(s1 - s0) * (M0 + M1) / 2``; ``growth + share == s1 M1 - s0 M0`` exactly (up to rounding).
    flows : numpy.ndarray, shape (n, n)
        ``flows[i, j]``: share of the market moving from player j to player i
        (antisymmetric; row sums are ``s1 - s0``).

    Examples
    --------
    >>> g, s, f = rising_tide([0.3, 0.2, 0.5], [0.35, 0.25, 0.4], 100.0, 150.0)
    >>> g.round(2).tolist(), s.round(2).tolist()
    ([16.25, 11.25, 22.5], [6.25, 6.25, -12.5])
    >>> f.round(2).tolist()[0]
    [0.0, 0.0, 0.05]
    """
    s0 = np.asarray(shares_before, dtype=float)
    s1 = np.asarray(shares_after, dtype=float)
    require(s0.ndim == 1, "shares_before", shares_before, "be a list of shares, one per player")
    require(s0.shape == s1.shape, "shares_after", shares_after, f"have one share per player ({s0.size})")
    for name, s in (("shares_before", s0), ("shares_after", s1)):
        require(bool(np.all((s >= -1e-12) & (s <= 1 + 1e-12))), name, s.tolist(), "be shares between 0 and 1")
        require(abs(float(s.sum()) - 1.0) <= 1e-6, name, s.tolist(), "add up to 1 (include the rest of the market)")
    M0, M1 = np.asarray(market_before, dtype=float), np.asarray(market_after, dtype=float)
    extra = (None,) * max(M0.ndim, M1.ndim)
    growth = ((s0 + s1) / 2.0)[(slice(None), *extra)] * (M1 - M0)
    share = (s1 - s0)[(slice(None), *extra)] * ((M0 + M1) / 2.0)
    delta = s1 - s0
    gain, loss = np.clip(delta, 0, None), np.clip(-delta, 0, None)
    total_loss = loss.sum()
    flows = np.outer(gain, loss) / total_loss if total_loss > 0 else np.zeros((s0.size, s0.size))
    flows = flows - flows.T
    return growth, share, flows


def discount_factors(rate, years: int) -> np.ndarray:
    """``1 / (1 + rate) ** k`` for k = 1..years, from numpy-financial's present value.

    Examples
    --------
    >>> discount_factors(0.1, 2).round(4).tolist()
    [0.9091, 0.8264]
    """
    require(is_number(rate) and -0.5 < rate <= 1, "discount_rate", rate, "be a yearly rate between -0.5 and 1")
    years = _years(years, 100)
    if rate == 0:
        return np.ones(years)  # numpy-financial's pv divides by the rate
    return np.asarray(npf.pv(rate, np.arange(1, years + 1), 0, -1), dtype=float)


def npv(rate: float, cash_flows) -> float:
    """Net present value of cash flows in years 1, 2, ... (nothing today), with numpy-financial.

    Examples
    --------
    >>> round(npv(0.1, [100, 100]), 2)
    173.55
    """
    flows = np.asarray(cash_flows, dtype=float)
    require(flows.ndim == 1 and flows.size >= 1, "cash_flows", cash_flows, "be a list of yearly amounts")
    discount_factors(rate, 1)  # validates the rate
    return float(npf.npv(rate, np.concatenate([[0.0], flows])))


# --------------------------------------------------------------------------- share paths and growth rates
@dataclass(frozen=True)
class CurveFit:
    """An S-curve fitted to the levels of a series (a share of a market, cumulative adopters).

    Attributes
    ----------
    model : {"logistic", "bass"}
    params : dict
        Logistic: ``ceiling`` (unit of the series), ``rate`` (per unit of time), ``midpoint`` (a time).
        Bass: ``p``, ``q`` (per unit of time) and ``m`` (the ceiling, unit of the series).
    std_errors : dict
        Asymptotic standard errors from the Jacobian at the optimum; ``nan`` for a parameter at a bound.
    at_bound : tuple of str
        Parameters the fit pushed to a bound of their range: the data do not pin them down.
    times, observed, fitted : numpy.ndarray
        The times of the series (e.g. calendar years), its levels and the fitted levels.
    r2 : float
        Share of the variance of the levels the curve explains (high for any trending series: read ``rmse``).
    rmse : float
        Root mean squared error, unit of the series.
    launch : float or None
        Bass only: the time at which ``F = 0`` (the fit counts time from it).
    """

    model: str
    params: dict
    std_errors: dict
    at_bound: tuple[str, ...]
    times: np.ndarray
    observed: np.ndarray
    fitted: np.ndarray
    r2: float
    rmse: float
    launch: float | None = None

    @property
    def ceiling(self) -> float:
        """The level the curve tends to: the logistic ``ceiling`` or the Bass ``m``."""
        return float(self.params["ceiling" if self.model == "logistic" else "m"])

    def predict(self, times) -> np.ndarray:
        """The fitted curve at other times (same unit as :attr:`times`).

        Examples
        --------
        >>> fit = fit_logistic(logistic_share(np.arange(10), 0.6, 0.8, 4.0), np.arange(10))
        >>> fit.predict([4.0, 100.0]).round(3).tolist()
        [0.3, 0.6]
        """
        t = as_numbers(times, "times", "be times (numbers)")
        if self.model == "logistic":
            return np.asarray(logistic_share(t, **self.params), dtype=float)
        since = t - float(self.launch)
        require(bool(np.all(since >= 0)), "times", times, f"be at or after the launch ({self.launch:g})")
        return self.params["m"] * np.asarray(bass_share(since, self.params["p"], self.params["q"]), dtype=float)

    def table(self) -> pd.DataFrame:
        """The fitted parameters with their standard errors, one row each.

        Examples
        --------
        >>> fit_logistic(logistic_share(np.arange(10), 0.6, 0.8, 4.0)).table().index.tolist()
        ['ceiling', 'rate', 'midpoint']
        """
        names = list(self.params)
        return pd.DataFrame(
            {"estimate": [self.params[k] for k in names], "std_error": [self.std_errors[k] for k in names]},
            index=pd.Index(names, name="parameter"),
        )


def logistic_share(t, ceiling, rate, midpoint):
    """The logistic curve ``ceiling / (1 + exp(-rate (t - midpoint)))`` [Griliches1957]_, [FisherPry1971]_.

    Vectorised. ``ceiling`` is the level the curve tends to (a share: 0-1), ``rate``
    the growth rate per unit of time while the level is small, ``midpoint`` the
    time at which the level is half the ceiling (and grows fastest).

    Examples
    --------
    >>> logistic_share(2008.0, 0.6, 0.2, 2008.0)
    0.3
    >>> round(logistic_share(2018.0, 0.6, 0.2, 2008.0), 4)
    0.5285
    """
    K = as_numbers(ceiling, "ceiling", "be a level > 0")
    r = as_numbers(rate, "rate", "be a growth rate > 0")
    require(bool(np.all(K > 0)), "ceiling", ceiling, "be a level > 0")
    require(bool(np.all(r > 0)), "rate", rate, "be a growth rate > 0")
    z = -r * (as_numbers(t, "t", "be times (numbers)") - as_numbers(midpoint, "midpoint", "be a time"))
    return _scalar(K / (1.0 + np.exp(np.clip(z, -700, 700))))


def _levels(levels, times) -> tuple[np.ndarray, np.ndarray]:
    y = as_numbers(levels, "levels", "be numbers >= 0, one per period")
    require(y.ndim == 1 and y.size >= 4, "levels", levels, "list at least 4 periods")
    require(bool(np.all(np.isfinite(y)) and np.all(y >= 0)), "levels", levels, "be numbers >= 0")
    require(float(y.max()) > 0, "levels", levels, "contain a level above 0")
    t = np.arange(1.0, y.size + 1) if times is None else as_numbers(times, "times", "be times (numbers)")
    require(t.shape == y.shape, "times", times, f"give one time per level ({y.size})")
    require(bool(np.all(np.isfinite(t)) and np.all(np.diff(t) > 0)), "times", times, "increase from one to the next")
    return t, y


def _curve_fit(model, curve, t, y, starts, lower, upper, launch=None) -> CurveFit:
    """Least squares of ``curve(t, *theta)`` on ``y`` from several starts, keeping the best [Meade2006]_."""
    from scipy.optimize import least_squares

    scale = float(y.max())
    best = None
    for x0 in starts:
        x0 = np.clip(x0, lower + 1e-9 * (upper - lower), upper - 1e-9 * (upper - lower))
        res = least_squares(
            lambda theta: (curve(t, *theta) - y) / scale, x0=x0, bounds=(lower, upper), method="trf", x_scale="jac"
        )
        if best is None or res.cost < best.cost:
            best = res
    theta = best.x
    names = ("ceiling", "rate", "midpoint") if model == "logistic" else ("p", "q", "m")
    span = upper - lower
    hit = tuple(
        n for n, x, lo, hi, w in zip(names, theta, lower, upper, span, strict=True) if min(x - lo, hi - x) <= 1e-6 * w
    )
    fitted = curve(t, *theta)
    resid = y - fitted
    sse = float(resid @ resid)
    sst = float(((y - y.mean()) ** 2).sum())
    J = best.jac * scale
    try:
        errs = np.sqrt(np.clip(np.diag(np.linalg.inv(J.T @ J) * sse / max(t.size - 3, 1)), 0, None))
    except np.linalg.LinAlgError:
        errs = np.full(3, np.nan)
    return CurveFit(
        model=model,
        params={n: float(x) for n, x in zip(names, theta, strict=True)},
        std_errors={n: float("nan") if n in hit else float(e) for n, e in zip(names, errs, strict=True)},
        at_bound=hit,
        times=t,
        observed=y,
        fitted=fitted,
        r2=1.0 - sse / sst if sst > 0 else (1.0 if sse == 0 else 0.0),
        rmse=float(np.sqrt(sse / t.size)),
        launch=launch,
    )


def fit_logistic(levels: Sequence[float], times: Sequence[float] | None = None, *, ceiling_max=None) -> CurveFit:
    """Fit the logistic curve :func:`logistic_share` to the levels of a series (e.g. a share by year).

    Non-linear least squares on the levels, from several starting points,
    keeping the best, as [Griliches1957]_ fitted the spread of hybrid corn; a
    share that one way of selling takes from another is the substitution model
    of [FisherPry1971]_ (which fixes the ceiling at 1; here it is fitted).

    Parameters
    ----------
    levels : sequence of float
        The series' level in each period, at least 4, >= 0 (a share: 0-1).
    times : sequence of float, optional
        The time of each level, increasing (e.g. calendar years); default 1, 2, ...
    ceiling_max : float, optional
        The highest ceiling allowed (1 for a share); default 1,000 times the highest level.

    Returns
    -------
    CurveFit
        ``params``: ``ceiling`` (unit of the series), ``rate`` (per unit of
        time), ``midpoint`` (a time). A parameter at a bound of its range is
        listed in ``at_bound``: the data do not pin it down.

    Examples
    --------
    >>> years = np.arange(2000, 2012)
    >>> fit = fit_logistic(logistic_share(years, 0.6, 0.5, 2005.0), years)
    >>> round(fit.params["ceiling"], 4), round(fit.params["rate"], 4), round(fit.params["midpoint"], 2)
    (0.6, 0.5, 2005.0)
    """
    t, y = _levels(levels, times)
    top = float(y.max())
    high = 1e3 * top if ceiling_max is None else float(ceiling_max)
    require(is_number(high) and high >= top, "ceiling_max", ceiling_max, f"be at least the highest level ({top:g})")
    span = float(t[-1] - t[0])
    lower = np.array([1e-9 * top, 1e-4 / span, t[0] - 10 * span])
    upper = np.array([high, 50.0 / span, t[-1] + 10 * span])
    starts = [
        (min(k * top, high), r / span, m)
        for k in (1.1, 1.5, 3.0)
        for r in (2.0, 6.0)
        for m in (t[0] + span / 2, t[-1], t[-1] + span / 2)
    ]
    return _curve_fit("logistic", logistic_share, t, y, starts, lower, upper)


def fit_bass_path(
    levels: Sequence[float], times: Sequence[float] | None = None, *, launch: float | None = None, ceiling_max=None
) -> CurveFit:
    """Fit ``m F(t - launch)``, the cumulative Bass curve [Bass1969]_, to the levels of a series.

    :func:`fit_bass` fits the adoptions per period [Srinivasan1986]_; a series
    known only as rounded levels (a share by year, to whole points) has
    period changes too coarse for that, so this fits the levels themselves by
    non-linear least squares [Meade2006]_.

    Parameters
    ----------
    levels : sequence of float
        The level in each period, at least 4, >= 0 (a share: 0-1).
    times : sequence of float, optional
        The time of each level, increasing; default 1, 2, ...
    launch : float, optional
        The time at which the level was 0; default one period before the first time.
    ceiling_max : float, optional
        The highest ``m`` allowed (1 for a share); default 1,000 times the highest level.

    Returns
    -------
    CurveFit
        ``params``: ``p``, ``q`` (per unit of time) and ``m`` (unit of the series).

    Examples
    --------
    >>> years = np.arange(2001, 2013)
    >>> fit = fit_bass_path(0.7 * bass_share(years - 2000, 0.03, 0.5), years, launch=2000)
    >>> round(fit.params["p"], 4), round(fit.params["q"], 4), round(fit.params["m"], 4)
    (0.03, 0.5, 0.7)
    """
    t, y = _levels(levels, times)
    start = float(t[0] - (t[1] - t[0])) if launch is None else launch
    require(is_number(start) and start < t[0], "launch", launch, f"be a time before the first level ({t[0]:g})")
    top = float(y.max())
    high = 1e3 * top if ceiling_max is None else float(ceiling_max)
    require(is_number(high) and high >= top, "ceiling_max", ceiling_max, f"be at least the highest level ({top:g})")
    lower = np.array([1e-6, 0.0, 1e-9 * top])
    upper = np.array([1.0, 5.0, high])

    def curve(tt, p, q, m):
        return m * np.asarray(bass_share(tt - start, p, q))

    starts = [(p0, q0, min(k * top, high)) for p0, q0 in ((0.03, 0.38), (0.01, 0.8), (0.1, 0.1)) for k in (1.2, 2.0)]
    return _curve_fit("bass", curve, t, y, starts, lower, upper, launch=start)


def cagr(start, end, years):
    """Compound annual growth rate ``(end / start) ** (1 / years) - 1`` [Brealey2020]_.

    Vectorised. ``start`` and ``end`` in the same unit (money per year), both > 0;
    ``years`` between them > 0 (1999 to 2018 is 19 years).

    Examples
    --------
    >>> round(cagr(1.6, 117, 19), 4)
    0.2535
    """
    a = as_numbers(start, "start", "be an amount > 0")
    b = as_numbers(end, "end", "be an amount > 0")
    n = as_numbers(years, "years", "be a number of years > 0")
    require(bool(np.all(a > 0)), "start", start, "be an amount > 0")
    require(bool(np.all(b > 0)), "end", end, "be an amount > 0")
    require(bool(np.all(n > 0)), "years", years, "be a number of years > 0")
    return _scalar((b / a) ** (1.0 / n) - 1.0)


def cagr_range(start: float, end: float, years: float, *, start_step: float, end_step: float) -> tuple[float, float]:
    """The lowest and highest growth rate consistent with ``start`` and ``end`` as rounded figures.

    A figure rounded to ``step`` lies within ``step / 2`` of its true value, so
    the true rate lies between ``cagr(start + start_step/2, end - end_step/2)``
    and ``cagr(start - start_step/2, end + end_step/2)``.

    Examples
    --------
    >>> [round(x, 4) for x in cagr_range(0.1, 160, 19, start_step=0.1, end_step=1)]
    [0.4431, 0.5295]
    """
    for name, step in (("start_step", start_step), ("end_step", end_step)):
        require(is_number(step) and step >= 0, name, step, "be a rounding step >= 0")
    require(is_number(start) and start - start_step / 2 > 0, "start", start, "stay above 0 when rounded down")
    require(is_number(end) and end - end_step / 2 > 0, "end", end, "stay above 0 when rounded down")
    low = cagr(start + start_step / 2, end - end_step / 2, years)
    high = cagr(start - start_step / 2, end + end_step / 2, years)
    return float(low), float(high)


def implied_start(end, rate, years):
    """The starting amount a stated growth rate implies: ``end / (1 + rate) ** years`` (the inverse of :func:`cagr`).

    Examples
    --------
    >>> round(implied_start(160, 0.52, 19), 4)
    0.0561
    """
    b = as_numbers(end, "end", "be an amount > 0")
    g = as_numbers(rate, "rate", "be a growth rate above -100%")
    n = as_numbers(years, "years", "be a number of years > 0")
    require(bool(np.all(b > 0)), "end", end, "be an amount > 0")
    require(bool(np.all(g > -1)), "rate", rate, "be a growth rate above -100%")
    require(bool(np.all(n > 0)), "years", years, "be a number of years > 0")
    return _scalar(b / (1.0 + g) ** n)


def _share_series(shares, name: str) -> pd.Series:
    require(isinstance(shares, pd.Series), name, type(shares).__name__, "be a pandas Series indexed by period")
    s = shares.astype(float)
    require(len(s) >= 2, name, s.tolist(), "list at least 2 periods")
    require(bool(s.between(0, 1).all()), name, s.tolist(), "be shares between 0 and 1")
    t = np.asarray(s.index, dtype=float)
    require(bool(np.all(np.diff(t) > 0)), f"{name} index", list(s.index), "be periods that increase (e.g. years)")
    return s


def split_by_share(shares: pd.Series, first_total: float, last_total: float, names=("holder", "rest")) -> pd.DataFrame:
    """A market's size per period, interpolated geometrically between two known totals, split by a share.

    ``total(t) = first_total (last_total / first_total) ** ((t - t0) / (tN - t0))``:
    the market grows at one constant rate between the two periods whose size
    is known (the assumption to state whenever the result is shown); the
    holder of the share sells ``share(t) total(t)``, the rest ``(1 - share(t)) total(t)``.

    Parameters
    ----------
    shares : pandas.Series
        The holder's share of the market (0-1), indexed by period (e.g. calendar year), increasing.
    first_total, last_total : float
        The market's size in the first and last period (money per year), > 0.
    names : pair of str
        Column names for the holder's and the rest's sales.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``shares``: ``total``, ``share``, and the two named columns (money per year).

    Examples
    --------
    >>> t = split_by_share(pd.Series([0.1, 0.3, 0.5], index=[2000, 2001, 2002]), 100.0, 400.0)
    >>> t["total"].tolist(), t["holder"].round(1).tolist()
    ([100.0, 200.0, 400.0], [10.0, 60.0, 200.0])
    """
    s = _share_series(shares, "shares")
    for name, value in (("first_total", first_total), ("last_total", last_total)):
        require(is_number(value) and 0 < value <= 1e15, name, value, "be a market size > 0")
    require(len(names) == 2 and len(set(names)) == 2, "names", names, "be two different column names")
    t = np.asarray(s.index, dtype=float)
    position = (t - t[0]) / (t[-1] - t[0])
    total = float(first_total) * (float(last_total) / float(first_total)) ** position
    total[-1] = float(last_total)  # exact at both ends, not to within rounding
    out = pd.DataFrame({"total": total, "share": s.to_numpy()}, index=s.index)
    out[names[0]] = out["share"] * out["total"]
    out[names[1]] = (1.0 - out["share"]) * out["total"]
    return out


def rising_tide_path(shares: pd.Series, market: pd.Series) -> pd.DataFrame:
    """One player's revenue change, period by period, split into market growth and share change.

    For each pair of consecutive periods, :func:`rising_tide` with the player
    and the rest of the market: ``growth = (s0 + s1) / 2 (M1 - M0)`` and
    ``share_effect = (s1 - s0) (M0 + M1) / 2`` [Shorrocks2013]_. Chaining the
    periods values each share change at the market size of its own time, so
    the sums differ from one split between the first and last period (which
    values every point of share at the average of the two ends).

    Parameters
    ----------
    shares : pandas.Series
        The player's share (0-1) per period, indexed by period, increasing.
    market : pandas.Series
        The market's size per period (money per year), same index.

    Returns
    -------
    pandas.DataFrame
        Indexed by period from the second: ``market``, ``share``, ``revenue``,
        ``change`` (from the period before), ``growth``, ``share_effect``
        (``growth + share_effect == change``).

    Examples
    --------
    >>> years = [1, 2, 3]
    >>> d = rising_tide_path(pd.Series([0.5, 0.4, 0.4], index=years), pd.Series([100.0, 200.0, 300.0], index=years))
    >>> d[["change", "growth", "share_effect"]].round(6).to_numpy().tolist()
    [[30.0, 45.0, -15.0], [40.0, 40.0, 0.0]]
    """
    s = _share_series(shares, "shares")
    require(isinstance(market, pd.Series), "market", type(market).__name__, "be a pandas Series indexed by period")
    require(market.index.equals(s.index), "market", list(market.index), "have the same periods as the shares")
    M = market.astype(float).to_numpy()
    require(bool(np.all(np.isfinite(M)) and np.all(M >= 0)), "market", M.tolist(), "be market sizes >= 0")
    sv = s.to_numpy()
    rows = []
    for k in range(1, sv.size):
        growth, share, _ = rising_tide([sv[k - 1], 1 - sv[k - 1]], [sv[k], 1 - sv[k]], M[k - 1], M[k])
        rows.append((M[k], sv[k], sv[k] * M[k], sv[k] * M[k] - sv[k - 1] * M[k - 1], growth[0], share[0]))
    return pd.DataFrame(
        rows, index=s.index[1:], columns=["market", "share", "revenue", "change", "growth", "share_effect"]
    )


def break_even_growth(share_before, share_after):
    """How much the market must grow for a player whose share moves from ``share_before`` to ``share_after``
    to keep its revenue: ``share_before / share_after - 1``.

    A player that lets others sell in its market gives up share; the
    cooperation leaves its own sales no lower only if the market grows at
    least this much more than it would have without them. Vectorised.

    Examples
    --------
    >>> round(break_even_growth(1.0, 0.4), 4)  # from all of the market to 40%: the market must grow 150%
    1.5
    """
    a = as_numbers(share_before, "share_before", "be a share between 0 and 1")
    b = as_numbers(share_after, "share_after", "be a share in (0, 1]")
    require(bool(np.all((a >= 0) & (a <= 1))), "share_before", share_before, "be a share between 0 and 1")
    require(bool(np.all((b > 0) & (b <= 1))), "share_after", share_after, "be a share in (0, 1]")
    return _scalar(a / b - 1.0)


# --------------------------------------------------------------------------- the assessment
@dataclass(frozen=True)
class GrowthResult:
    """What :func:`assess` returns; money in the case's currency.

    Attributes
    ----------
    parties : tuple of str
    years : int
    market : pandas.DataFrame
        Per year: market revenue and customers, compete-only and cooperate.
    revenue : pandas.DataFrame
        Per year: each party's revenue, columns ``(scenario, party)``.
    decomposition : pandas.DataFrame
        Per party, in present value over the horizon: ``compete``, ``growth``,
        ``share``, one ``from <player>`` column per source, ``cooperate``.
    flows : pandas.DataFrame
        Share of the market moving from column player to row player.
    npv : pandas.Series
        Each party's NPV of cooperating (margin on the revenue change minus its cost).
    npv_growth : pandas.Series
        Each party's NPV of the growth part alone (margin on the growth term minus its cost):
        positive when the bigger market by itself pays for the party's cooperation.
    p_both : float or None
        With ranges: share of scenarios in which every party's NPV is positive (cooperation
        pays for every party, share shifts included).
    p_tide : float or None
        With ranges: share of scenarios in which every party's growth-only NPV is positive:
        P(the market grows enough for every party).
    fan : pandas.DataFrame or None
        With ranges: percentiles 5, 25, 50, 75, 95 of the cooperative market revenue per year.
    npv_draws : numpy.ndarray or None
        With ranges: each party's NPV per draw, shape (draws, parties).
    findings : list of Finding
    assumptions : list of str
    bass : dict
        p, q, m of both scenarios and where p and q come from.
    """

    parties: tuple[str, ...]
    years: int
    market: pd.DataFrame
    revenue: pd.DataFrame
    decomposition: pd.DataFrame
    flows: pd.DataFrame
    npv: pd.Series
    npv_growth: pd.Series
    p_both: float | None
    p_tide: float | None
    fan: pd.DataFrame | None
    npv_draws: np.ndarray | None
    findings: list[Finding]
    assumptions: list[str] = field(default_factory=list)
    bass: dict = field(default_factory=dict)

    @property
    def grows_for_all(self) -> bool:
        """True when every party's NPV of cooperating is positive at the most likely inputs."""
        return bool((self.npv > 0).all())

    @property
    def tide_for_all(self) -> bool:
        """True when the market growth alone pays for every party's cooperation (every growth-only NPV > 0)."""
        return bool((self.npv_growth > 0).all())

    @property
    def growth_share(self) -> float:
        """Share of the parties' total revenue change that comes from market growth (nan if no change)."""
        d = self.decomposition
        total = float((d["growth"] + d["share"]).sum())
        scale = float(d["compete"].abs().sum() + d["cooperate"].abs().sum())
        return float(d["growth"].sum() / total) if abs(total) > _TOLERANCE * scale else float("nan")


def _shares(parties: tuple, values, name: str) -> np.ndarray:
    s = np.asarray(values, dtype=float)
    require(s.shape == (len(parties),), name, values, f"give one share per party ({len(parties)})")
    for party, x in zip(parties, s, strict=True):
        require(0 <= x <= 1, f"{name}[{party}]", x, "be a share between 0 and 1")
    require(s.sum() <= 1 + 1e-9, name, values, "add up to at most 1 (the rest is the rest of the market)")
    return np.append(s, max(0.0, 1.0 - s.sum()))


def assess(
    parties: Sequence[str],
    shares_compete: Sequence[float],
    shares_cooperate: Sequence[float],
    *,
    m: Estimate,
    revenue_per_customer: Estimate,
    p: Estimate = BASS_DEFAULTS["p"],
    q: Estimate = BASS_DEFAULTS["q"],
    m_uplift: Estimate = 0.0,
    p_uplift: Estimate = 0.0,
    q_uplift: Estimate = 0.0,
    years: int = 5,
    market_age: float = 0.0,
    basis: Basis = "recurring",
    margin: float = 0.3,
    discount_rate: float = 0.08,
    cooperation_cost: Sequence[float] | None = None,
    pq_source: str = "",
    draws: int = 20_000,
    seed: int = 0,
) -> GrowthResult:
    """Compare compete-only with cooperate: market paths, each party's revenue, the rising-tide split and NPV.

    Parameters
    ----------
    parties : sequence of str
        The cooperating parties (1 to 6; the rest of the market is added).
    shares_compete, shares_cooperate : sequence of float in [0, 1]
        Each party's share of the market in each scenario (each list adds up to at most 1).
    m : float or Range
        Market potential compete-only, customers.
    revenue_per_customer : float or Range
        Annual revenue per customer (recurring) or price (one-off), money.
    p, q : float or Range
        Bass coefficients compete-only (default: [Sultan1990]_ means).
    m_uplift, p_uplift, q_uplift : float or Range, relative (0.2 = +20 %), in [-0.9, 5]
        What cooperation does to ``m``, ``p`` and ``q``.
    years : int, 1 to 30
        Horizon.
    market_age : float, years >= 0
        Years since the market launched (0: a new market).
    basis : {"recurring", "one-off"}
    margin : float in [0, 1]
        Contribution margin on revenue.
    discount_rate : float
        Yearly rate for the NPV.
    cooperation_cost : sequence of float, money per year, optional
        What cooperating costs each party a year.
    pq_source : str
        Where p and q come from, for the record.
    draws, seed : int
        Monte Carlo draws (1,000 to 200,000) when any input is a Range, and their seed.

    Examples
    --------
    >>> r = assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=1_000, m_uplift=0.5)
    >>> r.grows_for_all, round(r.growth_share, 3)
    (True, 1.0)
    """
    parties = tuple(str(x) for x in parties)
    require(1 <= len(parties) <= 6, "parties", list(parties), "list 1 to 6 parties")
    require(len(set(parties)) == len(parties) and REST not in parties, "parties", list(parties), "be distinct names")
    s0 = _shares(parties, shares_compete, "shares_compete")
    s1 = _shares(parties, shares_cooperate, "shares_cooperate")
    _years(years, 30)
    require(
        isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and 0 <= seed < 2**63,
        "seed",
        seed,
        "be a whole number >= 0",
    )
    require(is_number(market_age) and 0 <= market_age <= 100, "market_age", market_age, "be 0 to 100 years")
    require(is_number(margin) and 0 <= margin <= 1, "margin", margin, "be a share between 0 and 1")
    discount_factors(discount_rate, 1)
    costs = np.zeros(len(parties)) if cooperation_cost is None else np.asarray(cooperation_cost, dtype=float)
    require(costs.shape == (len(parties),), "cooperation_cost", cooperation_cost, "give one cost per party")
    require(bool(np.all((costs >= 0) & (costs <= 1e12))), "cooperation_cost", costs.tolist(), "be money >= 0")
    require(
        isinstance(draws, (int, np.integer)) and not isinstance(draws, bool) and 1_000 <= draws <= 200_000,
        "draws",
        draws,
        "be a whole number from 1,000 to 200,000",
    )
    estimates = {
        "m": as_range(m, "m"),
        "revenue_per_customer": as_range(revenue_per_customer, "revenue_per_customer"),
        "p": as_range(p, "p"),
        "q": as_range(q, "q"),
        "m_uplift": as_range(m_uplift, "m_uplift"),
        "p_uplift": as_range(p_uplift, "p_uplift"),
        "q_uplift": as_range(q_uplift, "q_uplift"),
    }
    for key in ("m_uplift", "p_uplift", "q_uplift"):
        r = estimates[key]
        require(-0.9 <= r.low and r.high <= 5, key, (r.low, r.likely, r.high), "be between -0.9 and 5 (-90% to +500%)")
    for key, high in (("m", 1e12), ("revenue_per_customer", 1e9)):
        r = estimates[key]
        require(0 <= r.low and r.high <= high, key, (r.low, r.likely, r.high), f"be between 0 and {high:g}")
    likely = {k: r.likely for k, r in estimates.items()}
    for end in ("low", "high"):  # validate p and q at both ends, cooperative ones included
        v = {k: getattr(r, end) for k, r in estimates.items()}
        _check_pq(v["p"], v["q"])
        _paths(v, years, market_age, basis)
    factors = discount_factors(discount_rate, years)

    M0, M1, C0, C1 = _paths(likely, years, market_age, basis)
    growth, share, flows = rising_tide(s0, s1, M0, M1)
    players = (*parties, REST)
    n = len(parties)
    pv = lambda x: x @ factors  # noqa: E731 - present value of yearly amounts
    decomposition = pd.DataFrame(
        {
            "compete": pv(np.outer(s0, M0))[:n],
            "growth": pv(growth)[:n],
            "share": pv(share)[:n],
            **{f"from {src}": flows[:n, j] * pv((M0 + M1) / 2.0) for j, src in enumerate(players)},
            "cooperate": pv(np.outer(s1, M1))[:n],
        },
        index=pd.Index(parties, name="party"),
    )
    decomposition = decomposition.drop(
        columns=[f"from {p_}" for p_ in players if not flows[:n, players.index(p_)].any()]
    )
    delta = np.outer(s1, M1)[:n] - np.outer(s0, M0)[:n]
    cash = margin * delta - costs[:, None]
    npv_values = pd.Series([npv(discount_rate, row) for row in cash], index=decomposition.index, name="npv")
    growth_cash = margin * growth[:n] - costs[:, None]
    npv_growth = pd.Series(
        [npv(discount_rate, row) for row in growth_cash], index=decomposition.index, name="npv_growth"
    )
    years_index = pd.RangeIndex(1, years + 1, name="year")
    market = pd.DataFrame(
        {"compete": M0, "cooperate": M1, "customers_compete": C0, "customers_cooperate": C1}, index=years_index
    )
    revenue = pd.concat(
        {
            "compete": pd.DataFrame(np.outer(s0, M0)[:n].T, index=years_index, columns=parties),
            "cooperate": pd.DataFrame(np.outer(s1, M1)[:n].T, index=years_index, columns=parties),
        },
        axis=1,
    )
    flow_table = pd.DataFrame(flows, index=pd.Index(players, name="to"), columns=pd.Index(players, name="from"))

    p_both = p_tide = fan = npv_draws = None
    if any(not r.is_point for r in estimates.values()):
        streams = np.random.default_rng(seed).spawn(len(estimates))
        sampled = {k: draw(r, int(draws), g) for (k, r), g in zip(estimates.items(), streams, strict=True)}
        D0, D1, _, _ = _paths(sampled, years, market_age, basis)
        delta_draws = s1[:n, None, None] * D1[None] - s0[:n, None, None] * D0[None]  # (parties, draws, years)
        npv_draws = (margin * delta_draws - costs[:, None, None]) @ factors  # (parties, draws)
        npv_draws = npv_draws.T
        p_both = float(np.mean(np.all(npv_draws > 0, axis=1)))
        growth_draws = ((s0 + s1)[:n, None, None] / 2.0) * (D1 - D0)[None]  # (parties, draws, years)
        tide_draws = (margin * growth_draws - costs[:, None, None]) @ factors
        p_tide = float(np.mean(np.all(tide_draws > 0, axis=0)))
        fan = pd.DataFrame(
            np.percentile(D1, [5, 25, 50, 75, 95], axis=0).T,
            index=years_index,
            columns=["p5", "p25", "p50", "p75", "p95"],
        )
        fan["compete_p50"] = np.percentile(D0, 50, axis=0)

    m1 = likely["m"] * (1 + likely["m_uplift"])
    bass = {
        "compete": {"p": likely["p"], "q": likely["q"], "m": likely["m"]},
        "cooperate": {
            "p": likely["p"] * (1 + likely["p_uplift"]),
            "q": likely["q"] * (1 + likely["q_uplift"]),
            "m": m1,
        },
        "source": pq_source or "given",
    }
    result_findings = _findings(parties, decomposition, npv_values, npv_growth, p_both, p_tide, M0, M1, years)
    assumptions = [
        f"Bass coefficients: p = {likely['p']:g}, q = {likely['q']:g} ({bass['source']}).",
        "Recurring revenue: customers at mid-year times the annual revenue per customer."
        if basis == "recurring"
        else "One-off sales: each year's new adopters times the price.",
        "Shares stay the same every year of the horizon in each scenario.",
        "Share moved is traced to its sources in proportion to each loser's loss.",
        f"NPV at {discount_rate:.1%} a year on a {margin:.0%} margin, cash flows at each year's end.",
    ]
    if market_age > 0:
        assumptions.append(
            f"The market is {market_age:g} years old; cooperation changes the path from now on, from today's adopters."
        )
    return GrowthResult(
        parties=parties,
        years=int(years),
        market=market,
        revenue=revenue,
        decomposition=decomposition,
        flows=flow_table,
        npv=npv_values,
        npv_growth=npv_growth,
        p_both=p_both,
        p_tide=p_tide,
        fan=fan,
        npv_draws=npv_draws,
        findings=result_findings,
        assumptions=assumptions,
        bass=bass,
    )


def _paths(v: dict, years: int, market_age: float, basis: Basis):
    """Market revenue and cumulative customers per year, compete-only and cooperate (vectorised over draws)."""
    p0, q0, m0 = np.asarray(v["p"], dtype=float), np.asarray(v["q"], dtype=float), np.asarray(v["m"], dtype=float)
    p1 = p0 * (1 + np.asarray(v["p_uplift"], dtype=float))
    q1 = q0 * (1 + np.asarray(v["q_uplift"], dtype=float))
    m1 = m0 * (1 + np.asarray(v["m_uplift"], dtype=float))
    _check_pq(p1, q1, "p × (1 + p_uplift)", "q × (1 + q_uplift)")
    price = v["revenue_per_customer"]
    start0 = np.full(np.broadcast(p0, q0, m0).shape, float(market_age))
    if market_age > 0:
        adopted = np.asarray(bass_cumulative(market_age, p0, q0, m0))
        with np.errstate(divide="ignore", invalid="ignore"):
            share_now = np.where(m1 > 0, adopted / np.where(m1 > 0, m1, 1.0), 1.0)
        start1 = np.minimum(np.asarray(bass_time(np.minimum(share_now, 1.0), p1, q1)), 1e6)
        same = (p1 == p0) & (q1 == q0) & (m1 == m0)
        start1 = np.where(same, start0, start1)  # the same curve: start exactly where compete-only is
    else:
        start1 = np.zeros_like(start0)
    M0 = market_revenue(years, p0, q0, m0, price, basis=basis, start=start0)
    M1 = market_revenue(years, p1, q1, m1, price, basis=basis, start=start1)
    C0 = np.asarray(
        bass_cumulative(start0[..., None] + np.arange(1, years + 1), p0[..., None], q0[..., None], m0[..., None])
    )
    C1 = np.asarray(
        bass_cumulative(start1[..., None] + np.arange(1, years + 1), p1[..., None], q1[..., None], m1[..., None])
    )
    return M0, M1, C0, C1


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _growth(total0: float, total1: float, years: int) -> str:
    """How much the market's revenue changes from ``total0`` (compete-only) to ``total1`` (cooperate), in words.

    A percentage of the compete-only revenue; when competing alone leaves (next to) no revenue to compare with,
    because the market is fully adopted without cooperation, the amount cooperation adds instead.

    Examples
    --------
    >>> _growth(100.0, 150.0, 5)
    '+50% revenue over 5 years'
    >>> _growth(0.0, 2_500.0, 5)
    '2,500 more revenue over 5 years, where competing alone earns none (the market is already fully adopted)'
    """
    change = total1 / total0 - 1 if total0 > 0 else np.inf
    if np.isfinite(change) and abs(change) < 1e6:
        return f"{change:+.0%} revenue over {years} years"
    none = "none" if total0 <= 0 else "next to none"
    return (
        f"{_money(total1 - total0)} more revenue over {years} years, where competing alone earns {none} "
        "(the market is already fully adopted)"
    )


def _findings(parties, d, npv_values, npv_growth, p_both, p_tide, M0, M1, years) -> list[Finding]:
    out: list[Finding] = []
    total0, total1 = float(M0.sum()), float(M1.sum())
    if total1 > total0 * 1.001:
        out.append(Finding("good", f"Cooperation grows the market: {_growth(total0, total1, years)}."))
    elif total1 < total0 * 0.999:
        out.append(Finding("bad", f"Cooperation shrinks the market: {_growth(total0, total1, years)}."))
    else:
        out.append(Finding("caution", "Cooperation does not change the market's size; it can only move share."))
    losers = [p for p in parties if npv_values[p] <= 0]
    if not losers:
        out.append(Finding("good", "Every party's cooperation pays: each has a positive NPV."))
    else:
        out.append(Finding("bad", f"Cooperation does not pay for {', '.join(losers)} (NPV ≤ 0)."))
    scale = float(d["compete"].abs().sum() + d["cooperate"].abs().sum())
    for party in parties:
        g, s = (
            x if abs(x) > _TOLERANCE * scale else 0.0
            for x in (float(d.loc[party, "growth"]), float(d.loc[party, "share"]))
        )
        if abs(g) + abs(s) == 0:
            continue
        sources = [c[5:] for c in d.columns if c.startswith("from ") and d.loc[party, c] > 0]
        where = f", taken from {', '.join(sources)}" if s > 0 and sources else ""
        out.append(
            Finding(
                "info",
                f"{party}: {_money(g)} from a bigger market and {_money(s)} from share shift{where} (present value).",
            )
        )
    short = [p for p in parties if npv_growth[p] <= 0 and npv_values[p] > 0]
    if short:
        out.append(
            Finding(
                "caution",
                f"For {', '.join(short)} the bigger market alone does not pay for the cooperation; "
                "it pays only with the share it takes.",
            )
        )
    if p_tide is not None:
        out.append(
            Finding(
                "good" if p_tide >= 0.8 else "caution" if p_tide >= 0.5 else "bad",
                f"The market grows enough for every party (growth alone pays each one's cost) in {p_tide:.0%} "
                f"of scenarios; cooperation pays for every party, share shifts included, in {p_both:.0%}.",
            )
        )
    return out


# --------------------------------------------------------------------------- plain-text reports
def paths_report(result: GrowthResult) -> str:
    """Plain text: the Bass coefficients of both scenarios, the market year by year and its total over the horizon.

    Parameters
    ----------
    result : GrowthResult
        What :func:`assess` returned.

    Returns
    -------
    str
        One line per scenario with ``p``, ``q`` (per year) and ``m`` (customers); the
        ``market`` table (revenue in money per year, customers); the market's total
        revenue over the horizon, compete-only and cooperating, and the change.

    Examples
    --------
    >>> r = assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=1_000, m_uplift=0.5, years=2)
    >>> print(paths_report(r))
    compete  : p = 0.03, q = 0.38, m = 10,000
    cooperate: p = 0.03, q = 0.38, m = 15,000
    <BLANKLINE>
          compete  cooperate  customers_compete  customers_cooperate
    year
    1     178,791    268,186                358                  536
    2     604,072    906,108                851                1,276
    <BLANKLINE>
    market revenue over 2 years: 782,863 compete-only, 1,174,295 cooperating (+50.0%)
    """
    lines = [
        f"{name:9}: p = {b['p']:.4g}, q = {b['q']:.4g}, m = {b['m']:,.0f}"
        for name, b in ((k, result.bass[k]) for k in ("compete", "cooperate"))
    ]
    total0, total1 = float(result.market["compete"].sum()), float(result.market["cooperate"].sum())
    change = f" ({total1 / total0 - 1:+.1%})" if total0 > 0 else ""
    return "\n".join(
        [
            *lines,
            "",
            *(line.rstrip() for line in result.market.to_string(float_format=_money).splitlines()),
            "",
            f"market revenue over {result.years} years: {_money(total0)} compete-only, {_money(total1)} cooperating"
            + change,
        ]
    )


def ranges_report(result: GrowthResult, fan_years: Sequence[int] | None = None) -> str:
    """Plain text: what the ranges say, for a result of :func:`assess` with ranges.

    Parameters
    ----------
    result : GrowthResult
        What :func:`assess` returned with at least one input given as a range.
    fan_years : sequence of int, optional
        Years of the horizon (1 = the first) whose market percentiles are shown; default every
        year, an empty sequence none.

    Returns
    -------
    str
        P(market grows enough for every party), growth alone paying each party's cost;
        P(cooperation pays for every party), share shifts included (shares of scenarios, 0-1);
        per party its NPV of cooperating at the most likely inputs, the 5th, 50th and 95th
        percentiles of its NPV over the scenarios (money) and the share of scenarios in which
        it is positive; then the fan: percentiles of the cooperative market's revenue per
        year and the compete-only median (money per year).

    Examples
    --------
    >>> r = assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=(8_000, 10_000, 12_000), revenue_per_customer=1_000,
    ...            m_uplift=0.5, years=2, margin=0.5, cooperation_cost=[10_000, 10_000], draws=2_000)
    >>> print(ranges_report(r, fan_years=[]))
    P(market grows enough for both), growth alone paying each one's cost: 1.0000
    P(cooperation pays for both), share shifts included: 1.0000
    <BLANKLINE>
    NPV of cooperating  most likely     p5    p50    p95 P(NPV > 0)
    A                        33,425 27,069 33,485 39,683     1.0000
    B                        16,339 12,102 16,379 20,511     1.0000
    >>> ranges_report(assess(["A"], [0.3], [0.3], m=10_000, revenue_per_customer=1_000))
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: result must come from assess with at least one input given as a range, got 'no ranges'
    """
    require(
        result.npv_draws is not None, "result", "no ranges", "come from assess with at least one input given as a range"
    )
    every = "both" if len(result.parties) == 2 else "every party"
    low, mid, high = np.percentile(result.npv_draws, [5, 50, 95], axis=0)
    spread = pd.DataFrame(
        {
            "most likely": result.npv.to_numpy(),
            "p5": low,
            "p50": mid,
            "p95": high,
            "P(NPV > 0)": (result.npv_draws > 0).mean(axis=0),
        },
        index=list(result.parties),
    ).rename_axis(columns="NPV of cooperating")
    lines = [
        f"P(market grows enough for {every}), growth alone paying each one's cost: {result.p_tide:.4f}",
        f"P(cooperation pays for {every}), share shifts included: {result.p_both:.4f}",
        "",
        spread.to_string(float_format=_money, formatters={"P(NPV > 0)": "{:.4f}".format}),
    ]
    years = list(result.fan.index) if fan_years is None else list(fan_years)
    missing = [y for y in years if y not in result.fan.index]
    require(not missing, "fan_years", missing, f"be years of the horizon, 1 to {result.years}")
    if years:
        lines += [
            "",
            "Market revenue per year, cooperating (percentiles) and compete-only (median):",
            *(line.rstrip() for line in result.fan.loc[years].to_string(float_format=_money).splitlines()),
        ]
    return "\n".join(lines)
