"""Charts of the joint-purchasing option: the price tiers each member reaches, and the savings split per rule.

Each function takes the tables of a joint-purchasing assessment
(:func:`coopkit.options.joint_purchasing.assess`) and returns a matplotlib
Figure built without pyplot, titled with its finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.report.charts import PALETTE, _figure, _literal, _money_axis

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = ["price_chart", "savings_chart"]


def price_chart(
    tiers: pd.DataFrame,
    members: pd.DataFrame,
    pooled_volume: float,
    pooled_price: float,
    currency: str = "EUR",
    unit_name: str = "units",
) -> Figure:
    """The supplier's price steps, each member's volume and unit price alone, and the pool's.

    A dashed drop from each member down to the pool's price is what it saves a
    unit when all pay the pool's price.

    Parameters
    ----------
    tiers : pandas.DataFrame
        Columns ``min_volume`` (units per year) and ``unit_price`` (money per unit), one row per tier.
    members : pandas.DataFrame
        Index = member names; columns ``volume`` (units per year) and ``price_alone`` (money per unit).
    pooled_volume, pooled_price : float
        The pool's volume (units per year) and unit price (money per unit).
    currency, unit_name : str
        Labels of the axes.

    Examples
    --------
    >>> tiers = pd.DataFrame({"min_volume": [0.0, 100.0], "unit_price": [10.0, 8.0]})
    >>> members = pd.DataFrame({"volume": [70.0, 30.0], "price_alone": [10.0, 10.0]}, index=["A", "B"])
    >>> price_chart(tiers, members, 100.0, 8.0).axes[0].get_title()
    'Pooling 100 units a year cuts the unit price from 10.00 to 8.00'
    """
    fig, ax = _figure()
    t = tiers["min_volume"].to_numpy(dtype=float)
    p = tiers["unit_price"].to_numpy(dtype=float)
    right = max(float(pooled_volume), float(t[-1]), 1.0) * 1.12
    ax.step([*t, right], [*p, p[-1]], where="post", color=PALETTE[7], linewidth=1.6, label="Supplier's price")
    for k, (name, row) in enumerate(members.iterrows()):
        colour = PALETTE[k % (len(PALETTE) - 1)]
        volume, alone = float(row["volume"]), float(row["price_alone"])
        ax.vlines(volume, pooled_price, alone, color=colour, linewidth=1.2, linestyle="--", alpha=0.8)
        ax.plot(volume, alone, "o", color=colour, markersize=7, label=str(name))
    ax.plot(pooled_volume, pooled_price, "*", color="black", markersize=14, label="The pool")
    ax.axhline(pooled_price, color="black", linewidth=0.8, linestyle=":")
    ax.set_xlim(0, right)
    ax.set_xlabel(f"Volume ({unit_name} per year)")
    ax.set_ylabel(f"Unit price ({currency})")
    _money_axis(ax, "x")
    spread = float(p[0] - p[-1]) or max(float(p[0]), 1.0) * 0.1
    ax.set_ylim(float(p[-1]) - 0.15 * spread, float(p[0]) + 0.15 * spread)
    highest = float(members["price_alone"].max())
    lowest = float(members["price_alone"].min())
    if pooled_price < lowest:
        alone = f"{lowest:,.2f}" if lowest == highest else f"{lowest:,.2f}–{highest:,.2f}"
        title = (
            f"Pooling {pooled_volume:,.0f} {unit_name} a year cuts the unit price from {alone} to {pooled_price:,.2f}"
        )
    elif pooled_price < highest:
        title = f"Pooling cuts the unit price to {pooled_price:,.2f} only for members paying more alone"
    else:
        title = "Pooling reaches no lower price tier"
    ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return _literal(fig)


def savings_chart(
    savings: pd.DataFrame,
    currency: str = "EUR",
    *,
    largest: str,
    equal_row: str,
    fair_row: str,
) -> Figure:
    """Each member's savings under every split rule, side by side; the title compares the largest member's.

    Parameters
    ----------
    savings : pandas.DataFrame
        One row per rule (index = rule label), one column per member, money per year.
    largest : str
        The member with the largest volume.
    equal_row, fair_row : str
        Row labels of the equal-price rule and of the Shapley rule.

    Examples
    --------
    >>> s = pd.DataFrame({"Big": [30.0, 41.0], "Small": [20.0, 9.0]}, index=["Equal price", "Shapley"])
    >>> savings_chart(s, largest="Big", equal_row="Equal price", fair_row="Shapley").axes[0].get_title().splitlines()
    ['Equal price gives Big', '11 (27%) less than its Shapley value']
    """
    fig, ax = _figure()
    names = list(savings.columns)
    rules = list(savings.index)
    x = np.arange(len(names))
    width = 0.8 / max(len(rules), 1)
    for k, rule in enumerate(rules):
        values = savings.loc[rule, names].to_numpy(dtype=float)
        ax.bar(x + (k - (len(rules) - 1) / 2) * width, values, width, color=PALETTE[k % len(PALETTE)], label=str(rule))
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, [_short(n) for n in names], fontsize=8)
    ax.set_xlabel("Member")
    ax.set_ylabel(f"Savings ({currency} per year)")
    _money_axis(ax)
    ep, fair = float(savings.loc[equal_row, largest]), float(savings.loc[fair_row, largest])
    scale = max(1.0, float(savings.loc[fair_row].abs().sum()))
    if fair - ep > 0.005 * scale:
        title = f"Equal price gives {largest}\n{fair - ep:,.0f} ({(fair - ep) / fair:.0%}) less than its Shapley value"
    elif ep - fair > 0.005 * scale:
        title = f"Here equal price gives {largest}\n(the largest member) more than its Shapley value"
    else:
        title = f"Equal price gives {largest}\n(the largest member) its Shapley value"
    ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    return _literal(fig)


def _short(name: str, most: int = 18) -> str:
    """A member's name cut for a tick label.

    Examples
    --------
    >>> _short("Metro University Hospital")
    'Metro University…'
    """
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"
