"""Charts of the reputation-risk framework: the 5x5 heat map, the scorecard and the loss spread.

Each function takes a :class:`~coopkit.frameworks.reputation.ReputationResult`
and returns a matplotlib Figure built without pyplot, titled with its finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from coopkit.frameworks import reputation
from coopkit.frameworks.reputation import ReputationResult
from coopkit.report.charts import _BAD, _GOOD, PALETTE, _figure, _literal, _money_axis

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = ["heat_map", "scorecard_chart", "loss_chart", "RATING_COLOURS"]

#: Cell colours of the four ratings (light to dark, readable in grey scale too).
RATING_COLOURS = {"low": "#CDE8D6", "moderate": "#FBE3A8", "high": "#F3A76C", "severe": "#D9604A"}


def heat_map(result: ReputationResult) -> Figure:
    """The 5x5 likelihood-impact matrix, with the risk before and after mitigations marked.

    Examples
    --------
    >>> r = reputation.assess({"quality": 4}, revenue=1e6, customers_lost=0.1, mitigations=["exit_rights"])
    >>> heat_map(r).axes[0].get_title()
    'Reputation risk: severe, high after mitigations'
    """
    fig, ax = _figure(5.6, 4.6)
    ax.spines[:].set_visible(False)
    for li in range(1, 6):
        for ii in range(1, 6):
            label = reputation.rating(li, ii)
            ax.add_patch(
                _rect((ii - 0.5, li - 0.5), RATING_COLOURS[label]),
            )
            ax.text(ii, li + 0.32, f"{li * ii}", ha="center", va="center", fontsize=7, color="#555")
    before, after = result.before, result.after
    same = (before.likelihood_class, before.impact_class) == (after.likelihood_class, after.impact_class)
    if not same:
        ax.annotate(
            "",
            xy=(after.impact_class, after.likelihood_class),
            xytext=(before.impact_class, before.likelihood_class),
            arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.4, "shrinkA": 9, "shrinkB": 9},
        )
    ax.plot(
        before.impact_class - (0.18 if same else 0),
        before.likelihood_class,
        marker="o",
        markersize=15,
        markerfacecolor="white",
        markeredgecolor="black",
        markeredgewidth=1.6,
        linestyle="none",
        label="Before mitigations",
    )
    ax.plot(
        after.impact_class + (0.18 if same else 0),
        after.likelihood_class,
        marker="o",
        markersize=15,
        color="black",
        linestyle="none",
        label="After mitigations",
    )
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(range(1, 6), [label for _, label in reputation.IMPACT_BANDS], rotation=20)
    ax.set_yticks(range(1, 6), [label for _, label in reputation.LIKELIHOOD_BANDS])
    ax.set_xlabel("Impact of one incident (share of a year's revenue)")
    ax.set_ylabel(f"Likelihood over {result.horizon_years:g} years")
    ax.set_title(f"Reputation risk: {before.rating}, {after.rating} after mitigations")
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)
    return _literal(fig)


def _rect(xy, colour):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, 1, 1, facecolor=colour, edgecolor="white", linewidth=2)


def scorecard_chart(result: ReputationResult) -> Figure:
    """The partner's score on each criterion against "on a par with us" (3).

    Examples
    --------
    >>> r = reputation.assess({"quality": 4, "financial": 2}, revenue=1e6)
    >>> scorecard_chart(r).axes[0].get_title(loc="left")
    'Worse than us on: quality'
    """
    table = result.criteria.iloc[::-1]
    fig, ax = _figure(6.4, max(2.4, 0.42 * len(table) + 1.2))
    colours = [_BAD if s > 3 else _GOOD if s < 3 else PALETTE[7] for s in table["score"]]
    y = np.arange(len(table))
    ax.barh(y, table["score"] - 3, left=3, color=colours)
    ax.axvline(3, color="black", linewidth=0.8)
    ax.set_yticks(y, [f"{label} (×{w:g})" for label, w in zip(table["label"], table["weight"], strict=True)])
    ax.set_xlim(1, 5)
    ax.set_xticks([1, 2, 3, 4, 5], ["1\nbetter", "2", "3\non a par", "4", "5\nfar worse"])
    ax.set_xlabel("Score (weight in brackets)")
    worse = [reputation.CRITERIA[k].short for k in result.criteria.index[result.criteria["score"] > 3]]
    ax.set_title(
        ("Worse than us on: " + ", ".join(worse))
        if worse
        else f"On a par with us or better (score {result.partner_score:.2f})",
        loc="left",
    )
    return _literal(fig)


def loss_chart(result: ReputationResult, currency: str = "EUR") -> Figure:
    """Histogram of the expected loss per year after mitigations, across Monte Carlo scenarios.

    Examples
    --------
    >>> r = reputation.assess({"quality": 4}, revenue=(8e5, 1e6, 1.2e6), draws=2_000)
    >>> loss_chart(r).axes[0].get_xlabel()
    'Expected loss after mitigations (EUR per year)'
    """
    mc = result.monte_carlo
    if mc is None:
        raise ValueError("loss_chart needs a result computed with ranges (monte_carlo is None)")
    loss = mc["expected_loss"]
    fig, ax = _figure()
    ax.hist(
        loss, bins=40, weights=np.full(loss.size, 1.0 / loss.size), color=PALETTE[0], edgecolor="white", linewidth=0.4
    )
    p5, _, p95 = mc["percentiles"]
    for x, label in ((p5, "5th percentile"), (p95, "95th percentile")):
        ax.axvline(x, color="black", linewidth=0.8, linestyle="--")
        ax.text(x, ax.get_ylim()[1] * 0.95, f" {label}", fontsize=8, va="top")
    ax.set_xlabel(f"Expected loss after mitigations ({currency} per year)")
    ax.set_ylabel("Share of scenarios")
    _money_axis(ax, "x")
    ax.set_title(f"Expected loss: {p5:,.0f} to {p95:,.0f} a year in 90% of scenarios")
    return _literal(fig)
