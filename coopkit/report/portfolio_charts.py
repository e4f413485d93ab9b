"""The portfolio chart: value created against reputation risk, one dot per case.

Drawn from the portfolio table (:func:`coopkit.report.portfolio.portfolio_table`) without
pyplot, like every chart in :mod:`coopkit.report.charts`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from coopkit.report.charts import _BAD, _GOOD, PALETTE, _figure, _literal, _money_axis, _short_money
from coopkit.report.portfolio import LEVELS, RISK_SCORE

__all__ = ["value_risk_figure", "value_risk_finding"]

# The verdict levels' colours, as in the verdict banner (report.html.STYLE); markers differ too, for greyscale.
_COLOURS = {"good": _GOOD, "caution": PALETTE[1], "bad": _BAD}
_MARKERS = {"good": "o", "caution": "s", "bad": "X"}


def _plotted(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return table
    return table[table["value_created"].notna() & table["risk_score"].notna() & (table["level"] != "not assessed")]


def value_risk_finding(table: pd.DataFrame) -> str:
    """The value-risk chart's title: how many cases create value at low reputation risk.

    Examples
    --------
    >>> t = pd.DataFrame({"value_created": [5.0, -1.0, 8.0], "risk_score": [1.0, 1.0, 3.0],
    ...                   "level": ["good", "bad", "caution"]})
    >>> value_risk_finding(t)
    '1 of 3 cases create value at low reputation risk'
    """
    plotted = _plotted(table)
    n = len(plotted)
    if n == 0:
        return "No case has both a value created and a reputation-risk rating"
    k = int(((plotted["value_created"] > 0) & (plotted["risk_score"] == RISK_SCORE["low"])).sum())
    return f"{k} of {n} case{'s' if n != 1 else ''} create{'s' if n == 1 else ''} value at low reputation risk"


def _log_ticks(ax, values: np.ndarray) -> str:
    """A symmetric log axis for values that span orders of magnitude; returns the note for the label."""
    magnitudes = np.abs(values[values != 0])
    if magnitudes.size < 2 or magnitudes.max() / magnitudes.min() < 100:
        _money_axis(ax, "x")
        return ""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    low = math.floor(math.log10(np.percentile(magnitudes, 5)))
    linthresh = 10.0**low
    ax.set_xscale("symlog", linthresh=linthresh, linscale=0.5)
    decades = list(range(low + 1, math.ceil(math.log10(magnitudes.max())) + 1))
    step = max(1, math.ceil(len(decades) / 4))  # at most about four labels on each side of zero
    ticks = [0.0]
    for sign in (-1.0, 1.0):
        if (np.sign(values) == sign).any():
            ticks += [sign * 10.0**k for k in decades[::-1][::step]]
    ax.xaxis.set_major_locator(FixedLocator(sorted(ticks)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _short_money(x)))
    return f"; log scale beyond ±{_short_money(linthresh)}"


def value_risk_figure(table: pd.DataFrame) -> Figure:
    """Value created against reputation risk, one dot per case, coloured by verdict level.

    The horizontal axis is the value created (the sum of the parties' gains, money per
    year); the vertical axis is the reputation-risk rating after mitigations, low to
    severe (the NPSA 5x5 bands). The rating is chosen over 1 − P(win-win) because it is
    the risk an executive weighs against value, and because P(win-win) measures how sure
    the gain is, which the verdict already states. Cases without both figures (market-growth
    estimates, win-win checks without a risk rating, drafts that could not be assessed) are
    not plotted, and a note under the chart counts them. Dots are not jittered: overlapping
    dots darken. When the values span more than a factor of 100, the axis is logarithmic
    beyond a threshold (symlog) so that small deals are not squeezed against zero.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`coopkit.report.portfolio.portfolio_table`.

    Returns
    -------
    matplotlib.figure.Figure
        Its title states :func:`value_risk_finding`.

    Examples
    --------
    >>> t = pd.DataFrame({"value_created": [5e4, -1e4, 8e5], "risk_score": [1.0, 2.0, 3.0],
    ...                   "level": ["good", "bad", "caution"], "currency": ["EUR"] * 3})
    >>> fig = value_risk_figure(t)
    >>> fig.axes[0].get_title(), [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ('1 of 3 cases create value at low reputation risk', ['Low', 'Moderate', 'High', 'Severe'])
    >>> value_risk_figure(t.iloc[:0]).axes[0].get_title()
    'No case has both a value created and a reputation-risk rating'
    """
    import seaborn as sns

    plotted = _plotted(table)
    fig, ax = _figure(7.6, 4.2)
    ax.set_title(value_risk_finding(table))
    if plotted.empty:
        ax.text(
            0.5,
            0.5,
            "Save cases with a reputation-risk rating to see them here.",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#555",
        )
        ax.set_axis_off()
        return _literal(fig)
    data = plotted.assign(Verdict=plotted["level"].map(LEVELS))
    order = [LEVELS[level] for level in _COLOURS if (plotted["level"] == level).any()]
    sns.scatterplot(
        data=data,
        x="value_created",
        y="risk_score",
        hue="Verdict",
        style="Verdict",
        hue_order=order,
        style_order=order,
        palette={LEVELS[k]: c for k, c in _COLOURS.items()},
        markers={LEVELS[k]: m for k, m in _MARKERS.items()},
        s=55,
        alpha=0.7,
        edgecolor="white",
        linewidth=0.5,
        ax=ax,
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(list(RISK_SCORE.values()), [r.capitalize() for r in RISK_SCORE])
    ax.set_ylim(0.5, 4.5)
    ax.set_ylabel("Reputation risk after mitigations")
    currencies = sorted({c for c in plotted.get("currency", pd.Series(dtype=str)) if c})
    unit = currencies[0] if len(currencies) == 1 else ", ".join(currencies) + " not converted"
    note = _log_ticks(ax, plotted["value_created"].to_numpy(dtype=float))
    left_out = len(table) - len(plotted)
    missing = (
        f"\n({left_out} of {len(table)} cases not plotted: no value created or no risk rating)" if left_out else ""
    )
    ax.set_xlabel(f"Value created, all parties ({unit} per year{note}){missing}")
    ax.legend(title="Verdict", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _literal(fig)
