"""Charts of the market-growth framework: adoption curves, revenue paths, the rising-tide waterfall, the fan.

Each function takes a :class:`~coopkit.frameworks.market.GrowthResult` (or a
:class:`~coopkit.frameworks.market.BassFit`) and returns a matplotlib Figure
built without pyplot, titled with its finding.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from coopkit.frameworks.market import BassFit, GrowthResult
from coopkit.report.charts import _BAD, _GOOD, PALETTE, _figure, _literal, _money_axis

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = ["adoption_chart", "revenue_chart", "waterfall_chart", "fan_chart", "fit_chart"]


def adoption_chart(result: GrowthResult) -> Figure:
    """Customers who have adopted by each year, compete-only and cooperate.

    Examples
    --------
    >>> from coopkit.frameworks import market
    >>> r = market.assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=100, m_uplift=0.2)
    >>> adoption_chart(r).axes[0].get_title()
    'Cooperation adds 662 customers by year 5'
    """
    m = result.market
    fig, ax = _figure()
    ax.plot(m.index, m["customers_compete"], color=PALETTE[7], linestyle="--", marker="o", label="Compete only")
    ax.plot(m.index, m["customers_cooperate"], color=PALETTE[0], marker="o", label="Cooperate")
    ax.fill_between(m.index, m["customers_compete"], m["customers_cooperate"], color=PALETTE[0], alpha=0.12)
    ax.set_xlabel("Year from now")
    ax.set_ylabel("Customers who have adopted")
    _money_axis(ax)
    ax.set_ylim(bottom=0)
    extra = float(m["customers_cooperate"].iloc[-1] - m["customers_compete"].iloc[-1])
    ax.set_title(f"Cooperation {'adds' if extra >= 0 else 'loses'} {abs(extra):,.0f} customers by year {result.years}")
    ax.legend(frameon=False)
    return _literal(fig)


def revenue_chart(result: GrowthResult, currency: str = "EUR") -> Figure:
    """Each party's revenue per year: dashed compete-only, solid cooperate.

    Examples
    --------
    >>> from coopkit.frameworks import market
    >>> r = market.assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=100, m_uplift=0.2)
    >>> revenue_chart(r).axes[0].get_ylabel()
    'Revenue (EUR per year)'
    """
    rev = result.revenue
    fig, ax = _figure()
    for k, party in enumerate(result.parties):
        colour = PALETTE[k % len(PALETTE)]
        ax.plot(rev.index, rev[("compete", party)], color=colour, linestyle="--", linewidth=1.2)
        ax.plot(rev.index, rev[("cooperate", party)], color=colour, marker="o", label=party)
    ax.plot([], [], color="grey", linestyle="--", label="(dashed: compete only)")
    ax.set_xlabel("Year from now")
    ax.set_ylabel(f"Revenue ({currency} per year)")
    _money_axis(ax)
    ax.set_ylim(bottom=0)
    gainers = [p for p in result.parties if rev[("cooperate", p)].sum() > rev[("compete", p)].sum()]
    ax.set_title(
        "Every party earns more by cooperating"
        if len(gainers) == len(result.parties)
        else f"Earns more by cooperating: {', '.join(gainers) if gainers else 'no party'}"
    )
    ax.legend(frameon=False, fontsize=8)
    return _literal(fig)


def waterfall_chart(result: GrowthResult, currency: str = "EUR") -> Figure:
    """Per party: revenue competing, plus market growth, plus share from each source, equals revenue cooperating.

    Amounts are present values over the horizon. One panel per party.

    Examples
    --------
    >>> from coopkit.frameworks import market
    >>> r = market.assess(["A", "B"], [0.3, 0.2], [0.32, 0.2], m=10_000, revenue_per_customer=100, m_uplift=0.2)
    >>> waterfall_chart(r).axes[0].get_title()
    'A: 74% of the gain from a bigger market'
    """
    from matplotlib.figure import Figure

    d = result.decomposition
    n = len(result.parties)
    cols = min(n, 2)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(6.4 if cols == 1 else 9.6, 3.4 * rows), dpi=100, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    sources = [c for c in d.columns if c.startswith("from ")]
    for ax, party in zip(axes, result.parties, strict=False):
        ax.spines[["top", "right"]].set_visible(False)
        row = d.loc[party]
        steps = [("Competing", float(row["compete"]), "total"), ("Market growth", float(row["growth"]), "step")]
        for c in sources:
            value = float(row[c])
            if value:
                steps.append((f"Share {'from' if value > 0 else 'to'} {c[5:]}", value, "step"))
        steps.append(("Cooperating", float(row["cooperate"]), "total"))
        level = 0.0
        for k, (_, value, kind) in enumerate(steps):
            if kind == "total":
                ax.bar(k, value, color=PALETTE[7])
                level = value
                text_y = value
            else:
                colour = _GOOD if value >= 0 else _BAD
                ax.bar(k, value, bottom=level, color=colour)
                level += value
                text_y = max(level, level - value)
            ax.text(
                k, text_y, f"{value:+,.0f}" if kind == "step" else f"{value:,.0f}", ha="center", va="bottom", fontsize=7
            )
        ax.set_xticks(range(len(steps)), [s[0] for s in steps], rotation=20, fontsize=8)
        ax.set_ylabel(f"Present value ({currency})")
        _money_axis(ax)
        ax.set_title(_waterfall_title(party, float(row["growth"]), float(row["share"]), float(row["compete"])))
    for ax in axes[n:]:
        ax.set_visible(False)
    return _literal(fig)


def _waterfall_title(party: str, growth: float, share: float, scale: float) -> str:
    """The finding of one party's waterfall, in words that hold for every sign of the two parts.

    Examples
    --------
    >>> _waterfall_title("A", 75.0, 25.0, 1_000.0), _waterfall_title("B", 20.0, -50.0, 1_000.0)
    ('A: 75% of the gain from a bigger market', 'B: loses more share than the market growth gives it')
    """
    noise = 1e-9 * max(abs(scale), 1.0)
    growth = 0.0 if abs(growth) <= noise else growth
    share = 0.0 if abs(share) <= noise else share
    total = growth + share
    if growth == 0 and share == 0:
        return f"{party}: no change"
    if total <= 0:
        if growth > 0:
            return f"{party}: loses more share than the market growth gives it"
        return f"{party}: earns less with the cooperation"
    if growth >= 0 and share >= 0:
        return f"{party}: {growth / total:.0%} of the gain from a bigger market"
    if share < 0:
        return f"{party}: market growth outweighs the share it gives up"
    return f"{party}: share gained outweighs a smaller market"


def fan_chart(result: GrowthResult, currency: str = "EUR") -> Figure:
    """Fan chart: the cooperative market's revenue per year, 50% and 90% bands, with the compete-only median.

    Examples
    --------
    >>> from coopkit.frameworks import market
    >>> r = market.assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=(8_000, 10_000, 13_000),
    ...                   revenue_per_customer=100, m_uplift=0.2, draws=2_000)
    >>> fan_chart(r).axes[0].get_title().startswith("Market grows enough for every party")
    True
    """
    fan = result.fan
    if fan is None:
        raise ValueError("fan_chart needs a result computed with ranges (fan is None)")
    fig, ax = _figure()
    x = fan.index
    ax.fill_between(x, fan["p5"], fan["p95"], color=PALETTE[0], alpha=0.18, label="90% of scenarios")
    ax.fill_between(x, fan["p25"], fan["p75"], color=PALETTE[0], alpha=0.35, label="50% of scenarios")
    ax.plot(x, fan["p50"], color=PALETTE[0], marker="o", label="Cooperate, median")
    ax.plot(x, fan["compete_p50"], color=PALETTE[7], linestyle="--", label="Compete only, median")
    ax.set_xlabel("Year from now")
    ax.set_ylabel(f"Market revenue ({currency} per year)")
    _money_axis(ax)
    ax.set_ylim(bottom=0)
    p = result.p_tide
    ax.set_title(f"Market grows enough for every party in {p:.0%} of scenarios")
    ax.legend(frameon=False, fontsize=8)
    return _literal(fig)


def fit_chart(fit: BassFit) -> Figure:
    """Observed adoptions per year against the fitted Bass model.

    Examples
    --------
    >>> from coopkit.frameworks import market
    >>> f = market.fit_bass(market.bass_adoptions(8, 0.02, 0.4, 5_000))
    >>> fit_chart(f).axes[0].get_title()
    'Bass fit: p = 0.0200, q = 0.400, R² = 1.000'
    """
    fig, ax = _figure()
    years = np.arange(1, fit.observed.size + 1)
    ax.bar(years, fit.observed, color=PALETTE[7], label="Observed")
    ax.plot(years, fit.fitted, color=PALETTE[0], marker="o", label="Fitted")
    ax.set_xlabel("Year since launch")
    ax.set_ylabel("New customers per year")
    _money_axis(ax)
    ax.set_title(f"Bass fit: p = {fit.p:.4f}, q = {fit.q:.3f}, R² = {fit.r2:.3f}")
    ax.legend(frameon=False)
    return _literal(fig)
