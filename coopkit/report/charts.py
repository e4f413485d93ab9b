"""Charts: one function per chart, each returning a matplotlib Figure.

Figures are built without pyplot (no global state, safe in many kernels at
once), with labelled axes and units, a title that states the finding, and
seaborn's colour-blind-safe palette. :func:`to_png` renders one for a widget
or an HTML page.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # matplotlib is imported when a chart is built, not with this module
    from matplotlib.figure import Figure

    from coopkit.frameworks.winwin import WinWinResult

__all__ = [
    "payoff_chart",
    "split_chart",
    "margin_chart",
    "tornado_chart",
    "tornado_figure",
    "rules_chart",
    "to_png",
    "PALETTE",
]


def _desaturated(colour: str, saturation: float = 0.75) -> tuple[float, float, float]:
    """A colour with its HLS saturation scaled down, as seaborn's bar plots draw their palette.

    Examples
    --------
    >>> [round(c, 3) for c in _desaturated("#0173B2")]
    [0.091, 0.426, 0.611]
    """
    import colorsys

    from matplotlib.colors import to_rgb

    h, lightness, s = colorsys.rgb_to_hls(*to_rgb(colour))
    return colorsys.hls_to_rgb(h, lightness, s * saturation)


def _grouped_bars(ax, categories: list[str], groups: list[str], heights: np.ndarray, colours: list[str]) -> None:
    """Bars of ``heights[g, c]`` for each group ``g`` side by side at each category ``c``, labelled for the legend.

    Draws what ``seaborn.barplot(x=category, y=height, hue=group, palette=colours)`` draws for one value
    per bar (dodged bars 0.8 wide in all, colours at 75% saturation, categorical ticks, no grid), pixel
    for pixel, with matplotlib alone: no seaborn import (about 0.4 s, with SciPy's statistics, the first
    time a worksheet draws) and no bootstrap of error bars around single values on every redraw.
    """
    width = 0.8 / len(groups)
    x = np.arange(len(categories), dtype=float)
    for g, group in enumerate(groups):
        edge = x - 0.4 + width * g
        colour = _desaturated(colours[g % len(colours)])  # seaborn, too, cycles a palette shorter than the groups
        ax.bar(edge, heights[g], width=width, align="edge", color=colour, facecolor=colour, label=group)
    ax.set_xticks(x, categories)
    ax.xaxis.grid(False)
    ax.set_xlim(-0.5, len(categories) - 0.5)


#: Colour-blind-safe palette (seaborn "colorblind", after Okabe and Ito).
PALETTE = ["#0173B2", "#DE8F05", "#029E73", "#D55E00", "#CC78BC", "#CA9161", "#FBAFE4", "#949494"]
_GOOD, _BAD = "#029E73", "#D55E00"


def _figure(width: float = 6.4, height: float = 3.6) -> tuple[Figure, object]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.subplots()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _literal(fig: Figure) -> Figure:
    """Draw every text as typed: a party called ``A$_$`` must not be parsed as mathtext.

    Matplotlib reads text between two dollar signs as TeX-like math, so user
    text could break rendering or change what is shown. Called when a chart is
    built and again just before rendering (ticks can be made at draw time).
    """
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def _short_money(x: float) -> str:
    """A tick label: thousands separated, and millions or billions shortened so that ticks do not collide.

    Examples
    --------
    >>> _short_money(2500), _short_money(2_500_000), _short_money(-40_000_000), _short_money(3e9)
    ('2,500', '2.5M', '−40M', '3B')
    """
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(x) >= size:
            text = f"{abs(x) / size:,.1f}".removesuffix(".0") + suffix
            return ("−" if x < 0 else "") + text
    return ("−" if x < 0 and round(x) != 0 else "") + f"{abs(x):,.0f}"


def _money_axis(ax, axis: str = "y") -> None:
    """Money tick labels in one unit per axis: all in millions (or billions) once the axis reaches them."""
    from matplotlib.ticker import FuncFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis

    def label(x: float, _pos) -> str:
        low, high = target.get_view_interval()
        top = max(abs(low), abs(high))
        for size, suffix in ((1e9, "B"), (1e6, "M")):
            if top >= size:
                text = f"{abs(x) / size:,.2f}".rstrip("0").rstrip(".") + suffix
                return ("−" if x < 0 and text.strip("0.MB") else "") + text
        return _short_money(x)

    target.set_major_formatter(FuncFormatter(label))


def payoff_chart(result: WinWinResult, currency: str = "EUR", per: str = "per year") -> Figure:
    """Each party's payoff on its own and with the deal (after expected losses).

    Parameters
    ----------
    result : WinWinResult
        From :func:`coopkit.frameworks.winwin.check`.
    currency : str
        Unit label, money per year.
    per : str
        What the money is per: ``"per year"``, or ``"present value"`` for NPVs.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from coopkit.frameworks.winwin import check
    >>> fig = payoff_chart(check(["A", "B"], [20, 40], 100, split_rule="nash"))
    >>> fig.axes[0].get_title()
    'Every party is better off with the deal'
    """
    fig, ax = _figure()
    _grouped_bars(
        ax,
        [str(p) for p in result.parties],
        ["On its own", "With the deal"],
        np.array([result.standalone_payoff, result.payoff_with], dtype=float),
        [PALETTE[7], PALETTE[0]],
    )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("Party")
    ax.set_ylabel(f"Payoff ({currency} {per})")
    _money_axis(ax)
    losers = [p for p, g in zip(result.parties, result.gain, strict=True) if g <= 0]
    ax.set_title(
        "Every party is better off with the deal"
        if not losers
        else f"{', '.join(losers)} {'is' if len(losers) == 1 else 'are'} no better off with the deal"
    )
    ax.legend(title=None, frameon=False)
    return _literal(fig)


def split_chart(result: WinWinResult, currency: str = "EUR") -> Figure:
    """Each party's gain under every split rule compared; bars below zero are losses.

    Examples
    --------
    >>> from coopkit.frameworks.winwin import check
    >>> fig = split_chart(check(["A", "B"], [20, 60], 100, split_rule="equal"))
    >>> fig.axes[0].get_xlabel()
    'Split rule'
    """
    parties = list(result.parties)
    splits = result.splits
    shares = splits.loc[:, parties].to_numpy(dtype=float)  # rule x party
    gains = shares - result.risk_adjustment - result.standalone_payoff
    fig, ax = _figure()
    _grouped_bars(ax, [str(r) for r in splits.index], [str(p) for p in parties], gains.T, PALETTE[: len(parties)])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("Split rule")
    ax.set_ylabel(f"Gain over stand-alone ({currency} per year)")
    _money_axis(ax)
    fair = [rule for rule in splits.index if bool(splits.loc[rule, "win_win"])]
    ax.set_title(
        f"Win-win under: {', '.join(fair)}" if fair else "No split rule makes this deal win-win",
    )
    ax.legend(title=None, frameon=False, ncols=min(len(parties), 3))
    return _literal(fig)


def margin_chart(result: WinWinResult, currency: str = "EUR") -> Figure:
    """Histogram of the win-win margin (smallest gain) across Monte Carlo scenarios.

    Examples
    --------
    >>> from coopkit.frameworks.winwin import check
    >>> from coopkit.frameworks.uncertainty import Range
    >>> r = check(["A", "B"], [20, 40], Range(50, 100, 130), draws=10_000)
    >>> margin_chart(r).axes[0].get_title().startswith("Win-win in")
    True
    """
    mc = result.monte_carlo
    if mc is None:
        raise ValueError("margin_chart needs a result computed with ranges (monte_carlo is None)")
    fig, ax = _figure()
    margin = mc.margin
    bins = np.histogram_bin_edges(margin, bins=40)
    wins = margin > 0
    weight = 1.0 / margin.size  # both parts on one scale: bar heights add up to 1
    for part, colour, label in ((~wins, _BAD, "Someone loses"), (wins, _GOOD, "Win-win")):
        if part.any():
            ax.hist(
                margin[part],
                bins=bins,
                weights=np.full(int(part.sum()), weight),
                color=colour,
                label=label,
                edgecolor="white",
                linewidth=0.4,
            )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"Smallest party's gain ({currency} per year)")
    ax.set_ylabel("Share of scenarios")
    _money_axis(ax, "x")
    ax.set_title(f"Win-win in {mc.p_win_win:.0%} of {mc.draws:,} scenarios")
    ax.legend(frameon=False)
    return _literal(fig)


def tornado_chart(result: WinWinResult, currency: str = "EUR") -> Figure:
    """Tornado: how far each ranged input swings the win-win margin, widest first.

    Examples
    --------
    >>> from coopkit.frameworks.winwin import check
    >>> from coopkit.frameworks.uncertainty import Range
    >>> r = check(["A", "B"], [Range(10, 20, 30), 40], Range(50, 100, 130), draws=10_000)
    >>> tornado_chart(r).axes[0].get_title(loc="left")
    'Swings most: partnership value'
    """
    table = result.tornado
    if table is None or table.empty:
        raise ValueError("tornado_chart needs a result computed with ranges (tornado is empty)")
    return tornado_figure(table, result.margin, currency)


def tornado_figure(table: pd.DataFrame, base: float, currency: str = "EUR", per: str = "per year") -> Figure:
    """Tornado of any one-at-a-time sensitivity table of the smallest party's gain.

    ``table`` has columns ``label``, ``margin_at_low``, ``margin_at_high``,
    widest swing first; ``base`` is the smallest gain at the most likely inputs.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["price", "volume"], "margin_at_low": [-5.0, 8.0], "margin_at_high": [20.0, 12.0]})
    >>> tornado_figure(t, 10.0).axes[0].get_title(loc="left")
    'Swings most: price'
    """
    top = table.iloc[0]["label"]
    table = table.iloc[::-1]  # widest bar on top
    fig, ax = _figure(height=max(2.4, 0.5 * len(table) + 1.4))
    y = np.arange(len(table))
    for k, (_, row) in enumerate(table.iterrows()):
        for end, colour, label in (
            (row["margin_at_low"], PALETTE[1], "Input at low"),
            (row["margin_at_high"], PALETTE[0], "Input at high"),
        ):
            ax.barh(y[k], end - base, left=base, color=colour, label=label if k == 0 else None)
    ax.set_yticks(y, [label[:1].upper() + label[1:] for label in table["label"]])
    ax.axvline(base, color="black", linewidth=0.8)
    ax.axvline(0, color=_BAD, linewidth=0.8, linestyle="--")
    ax.set_xlabel(f"Smallest party's gain ({currency} {per})")
    _money_axis(ax, "x")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # a few ticks: long money labels must not run together
    ax.set_title(f"Swings most: {top}", loc="left")
    ax.legend(frameon=False, loc="best")
    return _literal(fig)


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """Render a figure to PNG bytes (Agg, no pyplot).

    Examples
    --------
    >>> fig, _ = _figure()
    >>> to_png(fig)[:4]
    b'\\x89PNG'
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"text.parse_math": False}):  # ticks made while drawing stay literal
        _literal(fig).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def rules_chart(table: pd.DataFrame, currency: str, what: str) -> Figure:
    """Smallest party's gain under each rule of a rules table (columns ``smallest_gain``, ``win_win``).

    Examples
    --------
    >>> t = pd.DataFrame({"smallest_gain": [5.0, -2.0], "win_win": [True, False]}, index=["equal", "shapley"])
    >>> rules_chart(t, "EUR", "Smallest gain").axes[0].get_title()
    'Win-win under 1 of 2 rules'
    """
    fig, ax = _figure()
    values = table["smallest_gain"].astype(float)
    colours = [_GOOD if w else _BAD for w in table["win_win"]]
    y = np.arange(len(table))[::-1]
    ax.barh(y, values, color=colours)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [str(i) for i in table.index])
    ax.set_xlabel(f"{what} ({currency} per year)")
    _money_axis(ax, "x")
    fair = int(table["win_win"].astype(bool).sum())
    ax.set_title(f"Win-win under {fair} of {len(table)} rules" if fair else "No rule makes this deal win-win")
    return _literal(fig)


def learning_chart(race: pd.DataFrame, currency: str = "EUR") -> Figure:
    """Know-how each party leaks to its partner and learns from it (the learning race), present value.

    Examples
    --------
    >>> race = pd.DataFrame({"leaked": [5.0, 1.0], "learned": [1.0, 5.0]}, index=["A", "B"])
    >>> learning_chart(race).axes[0].get_title()
    'A gives more than it gets'
    """
    fig, ax = _figure()
    x = np.arange(len(race))
    ax.bar(x - 0.2, race["leaked"], width=0.4, color=_BAD, label="Leaked to the partner")
    ax.bar(x + 0.2, race["learned"], width=0.4, color=_GOOD, label="Learned from the partner")
    ax.set_xticks(x, [str(i) for i in race.index])
    ax.set_ylabel(f"Know-how ({currency}, present value)")
    _money_axis(ax)
    behind = [str(i) for i, row in race.iterrows() if row["leaked"] > row["learned"]]
    ax.set_title(
        f"{', '.join(behind)} {'gives' if len(behind) == 1 else 'give'} more than {'it gets' if len(behind) == 1 else 'they get'}"
        if behind
        else "No side gives more than it gets"
    )
    ax.legend(frameon=False)
    return _literal(fig)
