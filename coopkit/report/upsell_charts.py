"""Charts of the cross up-selling option: the win-win zone, where the revenue goes, P(win-win) by share.

Each function takes figures from :mod:`coopkit.options.cross_upsell` and
returns a matplotlib Figure built without pyplot, titled with its finding.
Party names are user text: every chart is passed through ``_literal`` so a
name with dollar signs is drawn as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.options.cross_upsell import Zone, best_share
from coopkit.report.charts import _BAD, _GOOD, PALETTE, _figure, _literal, _money_axis

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = ["zone_chart", "surplus_chart", "share_probability_chart"]


def _share_axis(ax, axis: str = "x") -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(PercentFormatter(xmax=1, decimals=0))


def zone_title(zone: Zone, agreed: float) -> str:
    """The zone chart's finding: the zone, and whether the agreed share is inside it.

    Examples
    --------
    >>> from coopkit.options.cross_upsell import win_win_zone
    >>> zone_title(win_win_zone(100_000, 20_000, 40_000), 0.7)
    'The agreed 70.0% is outside the win-win zone (20.0% to 60.0%)'
    """
    if zone.revenue <= 0:
        return "No revenue to share: no share makes this win-win"
    if zone.empty:
        return f"No revenue share makes this win-win: the costs exceed the revenue by {-zone.surplus:,.0f}"
    span = f"{zone.low:.1%} to {zone.high:.1%}"
    if zone.contains(agreed):
        return f"Both gain for shares from {span}; the agreed {agreed:.1%} is inside"
    return f"The agreed {agreed:.1%} is outside the win-win zone ({span})"


def zone_chart(zone: Zone, agreed: float, names: tuple[str, str], currency: str = "EUR") -> Figure:
    """Each side's gain against the revenue share we keep: the win-win zone shaded, agreed and Nash shares marked.

    Parameters
    ----------
    zone : Zone
        From :func:`coopkit.options.cross_upsell.win_win_zone`.
    agreed : float
        The agreed share, 0 to 1.
    names : (str, str)
        Our name and the partner's.
    currency : str
        Unit label, money per year.

    Examples
    --------
    >>> from coopkit.options.cross_upsell import win_win_zone
    >>> fig = zone_chart(win_win_zone(100_000, 20_000, 40_000), 0.3, ("Us", "Them"))
    >>> fig.axes[0].get_title()
    'Both gain for shares from 20.0% to 60.0%; the agreed 30.0% is inside'
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:3]
    ["Us's gain", "Them's gain", 'Win-win zone (20.0% to 60.0%)']
    """
    ours, theirs = names
    fig, ax = _figure(7.2, 4.4)
    s = np.linspace(0.0, 1.0, 201)
    g_ours, g_theirs = zone.gains(s)
    ax.plot(s, g_ours, color=PALETTE[0], linewidth=2, label=f"{ours}'s gain")
    ax.plot(s, g_theirs, color=PALETTE[1], linewidth=2, label=f"{theirs}'s gain")
    ax.axhline(0, color="black", linewidth=0.8)
    if not zone.empty:
        ax.axvspan(
            zone.low, zone.high, color=_GOOD, alpha=0.12, label=f"Win-win zone ({zone.low:.1%} to {zone.high:.1%})"
        )
        ax.axvline(zone.nash, color=PALETTE[2], linestyle="--", linewidth=1.4, label=f"Nash share {zone.nash:.1%}")
    colour = "black" if zone.contains(agreed) else _BAD
    ax.axvline(agreed, color=colour, linewidth=1.4, label=f"Agreed share {agreed:.1%}")
    at = zone.gains(agreed)
    ax.plot([agreed, agreed], list(at), linestyle="none", marker="o", color=colour, zorder=3)
    ax.set_xlim(0, 1)
    _share_axis(ax)
    _money_axis(ax)
    ax.set_xlabel(f"Revenue share {ours} keeps")
    ax.set_ylabel(f"Gain ({currency} per year)")
    ax.set_title(zone_title(zone, agreed))
    ax.legend(frameon=False, fontsize=8, loc="upper center", ncols=2)
    top = max(float(np.max(g_ours)), float(np.max(g_theirs)), 0.0)
    bottom = min(float(np.min(g_ours)), float(np.min(g_theirs)), 0.0)
    pad = 0.4 * (top - bottom or 1.0)  # room for the legend above the lines
    ax.set_ylim(bottom - 0.05 * (top - bottom or 1.0), top + pad)
    return _literal(fig)


_SHORT = {
    "Cost of delivering the add-on": "Delivery",
    "Support": "Support",
    "Own add-on sales lost": "Cannibalisation",
    "Fixed cost of the programme": "Fixed costs",
    "Expected loss from the partner's incidents": "Expected loss",
}


def surplus_chart(breakdown: pd.DataFrame, names: tuple[str, str], currency: str = "EUR") -> Figure:
    """Waterfall from the add-on's revenue, less every cost, to the surplus the share splits between the sides.

    ``breakdown`` is the ``breakdown`` table of a cross up-selling assessment
    (rows: revenue kept, the costs as negative amounts, gain; columns ``us``
    and ``partner``). The last bar is the surplus, split into each side's gain
    at the agreed share when both are positive.

    Examples
    --------
    >>> t = pd.DataFrame({"us": [30.0, 0.0, -10.0, 20.0], "partner": [70.0, -20.0, -30.0, 20.0]},
    ...                  index=["Revenue kept", "Cost of delivering the add-on", "Fixed cost of the programme", "Gain"])
    >>> surplus_chart(t, ("Us", "Them")).axes[0].get_title(loc="left")
    '40 of 100 is left to share'
    """
    from matplotlib.ticker import MaxNLocator

    ours, theirs = names
    revenue = float(breakdown.loc["Revenue kept"].sum())
    gain_us, gain_partner = (float(x) for x in breakdown.loc["Gain", ["us", "partner"]])
    surplus = gain_us + gain_partner
    costs = breakdown.drop(index=["Revenue kept", "Gain"])
    steps = []
    for label, row in costs.iterrows():
        who = [n for n, x in ((ours, row["us"]), (theirs, row["partner"])) if x != 0]
        total = float(row["us"] + row["partner"])
        if total != 0:
            steps.append((f"{_SHORT.get(str(label), str(label))} ({who[0] if len(who) == 1 else 'both'})", total))
    labels = ["Add-on revenue", *(label for label, _ in steps), "Surplus to share"]
    fig, ax = _figure(6.4, max(3.0, 0.45 * len(labels) + 1.4))
    y = np.arange(len(labels))[::-1]
    ax.barh(y[0], revenue, color=PALETTE[7])
    level = revenue
    for k, (_, amount) in enumerate(steps, start=1):
        ax.barh(y[k], amount, left=level, color=_BAD)
        level += amount
        ax.text(min(level, level - amount), y[k], f"−{abs(amount):,.0f} ", ha="right", va="center", fontsize=8)
    if gain_us > 0 and gain_partner > 0:
        ax.barh(y[-1], gain_us, color=PALETTE[0], label=f"{ours}'s gain")
        ax.barh(y[-1], gain_partner, left=gain_us, color=PALETTE[1], label=f"{theirs}'s gain")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    else:
        ax.barh(y[-1], surplus, color=_GOOD if surplus > 0 else _BAD)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(f"{currency} per year")
    _money_axis(ax, "x")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    if surplus > 0:
        ax.set_title(f"{surplus:,.0f} of {revenue:,.0f} is left to share", loc="left")
    else:
        ax.set_title(f"Costs exceed the revenue by {-surplus:,.0f}", loc="left")
    return _literal(fig)


def share_probability_chart(curve: pd.DataFrame, agreed: float, p_agreed: float, draws: int) -> Figure:
    """P(win-win) against the revenue share, across Monte Carlo scenarios; the agreed share marked.

    ``curve`` has columns ``share`` and ``p_win_win`` (the ``curve`` table of a
    cross up-selling assessment with ranges).

    Examples
    --------
    >>> c = pd.DataFrame({"share": [0.0, 0.25, 0.5, 0.75, 1.0], "p_win_win": [0.0, 0.6, 0.9, 0.5, 0.0]})
    >>> share_probability_chart(c, 0.25, 0.6, 1_000).axes[0].get_title()
    'Win-win in 60% of scenarios at the agreed 25.0%'
    """
    share = curve["share"].to_numpy(dtype=float)
    p = curve["p_win_win"].to_numpy(dtype=float)
    best = best_share(curve)
    best_p = float(p[int(np.argmin(np.abs(share - best)))])
    fig, ax = _figure()
    ax.fill_between(share, 0, p, color=_GOOD, alpha=0.15)
    ax.plot(share, p, color=_GOOD, linewidth=2, label=f"P(win-win), {draws:,} scenarios")
    ax.axvline(agreed, color="black", linewidth=1.4, label=f"Agreed share {agreed:.1%}")
    ax.plot([agreed], [p_agreed], marker="o", color="black", linestyle="none")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    _share_axis(ax)
    _share_axis(ax, "y")
    ax.set_xlabel("Revenue share we keep")
    ax.set_ylabel("Share of scenarios win-win")
    if best_p > p_agreed + 0.005:
        ax.axvline(best, color=_GOOD, linestyle="--", linewidth=1.2, label=f"Most often: {best:.1%} ({best_p:.0%})")
    ax.set_title(f"Win-win in {p_agreed:.0%} of scenarios at the agreed {agreed:.1%}")
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return _literal(fig)
