"""Charts of the referrals option: where each side's net value comes from, and the account overlap matrix.

Each function takes a table of :func:`coopkit.options.referrals.assess` (or
of :func:`coopkit.frameworks.overlap.match`) and returns a matplotlib Figure
built without pyplot, titled with its finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.frameworks.overlap import POPULATIONS
from coopkit.report.charts import _BAD, _GOOD, PALETTE, _literal, _money_axis

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = ["flows_chart", "overlap_chart", "FLOW_STEPS", "PAIR_SHORT"]

#: The steps of each side's waterfall: column of the flows table, label, sign.
FLOW_STEPS = (
    ("margin_earned", "Margin on\nreferrals won", 1),
    ("fees_earned", "Fees\nearned", 1),
    ("fees_paid", "Fees\npaid", -1),
    ("handling", "Handling", -1),
    ("yearly_cost", "Programme\ncost", -1),
)
#: Short words for each population pair, for the matrix cells.
PAIR_SHORT = {
    ("customer", "customer"): "shared customers",
    ("customer", "prospect"): "we can refer",
    ("prospect", "customer"): "they can refer",
    ("prospect", "prospect"): "both pursue",
}


def _flows_title(flows: pd.DataFrame) -> str:
    """The finding of the flows chart: who nets what, and the balance.

    Examples
    --------
    >>> _flows_title(pd.DataFrame({"net": [53_800.0, 60_400.0]}, index=["A", "B"]))
    'A nets 53,800 a year, B 60,400: balance 0.89'
    >>> _flows_title(pd.DataFrame({"net": [-1_000.0, 60_400.0]}, index=["A", "B"]))
    'A loses 1,000 a year: the exchange does not pay for it'
    """
    names = [str(p) for p in flows.index]
    net = flows["net"].to_numpy(dtype=float)
    losers = [j for j, x in enumerate(net) if x <= 0]
    if losers:
        j = losers[0]
        verb = "loses" if net[j] < 0 else "nets nothing"
        amount = f" {abs(net[j]):,.0f} a year" if net[j] < 0 else ""
        return f"{names[j]} {verb}{amount}: the exchange does not pay for it"
    balance = float(net.min() / net.max())
    return f"{names[0]} nets {net[0]:,.0f} a year, {names[1]} {net[1]:,.0f}: balance {balance:.2f}"


def flows_chart(flows: pd.DataFrame, currency: str = "EUR") -> Figure:
    """Per side, a waterfall from the margin on the referrals it wins to its net value per year.

    Parameters
    ----------
    flows : pandas.DataFrame
        The ``flows`` table of the referrals assessment: one row per side, the
        columns of :data:`FLOW_STEPS` and ``net``, money per year.
    currency : str
        Unit label.

    Examples
    --------
    >>> flows = pd.DataFrame({"margin_earned": [57_600.0, 81_000.0], "fees_earned": [18_000.0, 12_000.0],
    ...                       "fees_paid": [12_000.0, 18_000.0], "handling": [4_800.0, 9_600.0],
    ...                       "yearly_cost": [5_000.0, 5_000.0], "net": [53_800.0, 60_400.0]}, index=["A", "B"])
    >>> fig = flows_chart(flows)
    >>> fig.get_suptitle(), [ax.get_title() for ax in fig.axes]
    ('A nets 53,800 a year, B 60,400: balance 0.89', ['A', 'B'])
    """
    from matplotlib.figure import Figure

    names = [str(p) for p in flows.index]
    fig = Figure(figsize=(9.6, 3.8), dpi=100, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(names), sharey=True, squeeze=False)).ravel()
    labels = [label for _, label, _ in FLOW_STEPS] + ["Net value"]
    peak, floor = 0.0, 0.0
    for ax, name in zip(axes, names, strict=True):
        ax.spines[["top", "right"]].set_visible(False)
        row = flows.loc[name]
        level = 0.0
        for k, (column, _, sign) in enumerate(FLOW_STEPS):
            value = sign * float(row[column])
            ax.bar(k, value, bottom=level, color=PALETTE[0] if value >= 0 else _BAD)
            top = max(level, level + value)
            level += value
            peak, floor = max(peak, top), min(floor, level)
            if value:
                ax.text(k, top, f"{value:+,.0f}", ha="center", va="bottom", fontsize=7)
        net = float(row["net"])
        k = len(FLOW_STEPS)
        ax.bar(k, net, color=_GOOD if net > 0 else _BAD)
        ax.text(k, max(net, 0.0), f"{net:,.0f}", ha="center", va="bottom", fontsize=8, fontweight="bold")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(range(len(labels)), labels, fontsize=8)
        ax.set_title(name)
        _money_axis(ax)
    span = max(peak - floor, 1.0)
    axes[0].set_ylim(floor - (0.05 * span if floor < 0 else 0.0), peak + 0.12 * span)  # room for the labels
    axes[0].set_ylabel(f"{currency} per year")
    fig.suptitle(_flows_title(flows))
    return _literal(fig)


def _overlap_title(counts: pd.DataFrame) -> str:
    """The finding of the overlap matrix.

    Examples
    --------
    >>> t = pd.DataFrame({"ours": ["customer", "customer", "prospect", "prospect"],
    ...                   "theirs": ["customer", "prospect", "customer", "prospect"], "count": [2, 4, 2, 1]})
    >>> _overlap_title(t)
    '9 accounts in common: 4 of our customers are its prospects'
    >>> _overlap_title(t.assign(count=0))
    'No account in common'
    """
    total = int(counts["count"].sum())
    if total == 0:
        return "No account in common"
    lookup = {(r.ours, r.theirs): int(r.count) for r in counts.itertuples()}
    we_refer, they_refer = lookup[("customer", "prospect")], lookup[("prospect", "customer")]
    head = f"{total} account{'s' if total != 1 else ''} in common"
    if we_refer >= they_refer and we_refer:
        return f"{head}: {we_refer} of our customers are its prospects"
    if they_refer:
        return f"{head}: {they_refer} of our prospects are its customers"
    return f"{head}, {lookup[('customer', 'customer')]} of them shared customers"


def overlap_chart(counts: pd.DataFrame) -> Figure:
    """The account-overlap matrix: our populations (rows) against the partner's (columns), with counts.

    Parameters
    ----------
    counts : pandas.DataFrame
        The ``counts`` of :func:`coopkit.frameworks.overlap.match`: columns
        ``ours``, ``theirs`` and ``count``, one row per population pair.

    Examples
    --------
    >>> t = pd.DataFrame({"ours": ["customer", "customer", "prospect", "prospect"],
    ...                   "theirs": ["customer", "prospect", "customer", "prospect"], "count": [2, 4, 2, 1]})
    >>> fig = overlap_chart(t)
    >>> fig.axes[0].get_title(), [x.get_text() for x in fig.axes[0].get_yticklabels()]
    ('9 accounts in common: 4 of our customers are its prospects', ['Our customers', 'Our prospects'])
    """
    from matplotlib.figure import Figure

    lookup = {(r.ours, r.theirs): int(r.count) for r in counts.itertuples()}
    grid = np.array([[lookup.get((o, t), 0) for t in POPULATIONS] for o in POPULATIONS], dtype=float)
    fig = Figure(figsize=(5.6, 3.8), dpi=100, layout="constrained")
    ax = fig.subplots()
    top = max(float(grid.max()), 1.0)
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=top * 1.4)
    for i, ours in enumerate(POPULATIONS):
        for j, theirs in enumerate(POPULATIONS):
            value = int(grid[i, j])
            dark = grid[i, j] > top * 0.7
            colour = "white" if dark else "black"
            ax.text(j, i - 0.08, f"{value:,}", ha="center", va="center", fontsize=18, fontweight="bold", color=colour)
            ax.text(j, i + 0.22, PAIR_SHORT[(ours, theirs)], ha="center", va="center", fontsize=9, color=colour)
    ax.set_xticks(range(len(POPULATIONS)), [f"Their {p}s" for p in POPULATIONS])
    ax.set_yticks(range(len(POPULATIONS)), [f"Our {p}s" for p in POPULATIONS])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_title(_overlap_title(counts), pad=12)
    return _literal(fig)
