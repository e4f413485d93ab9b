"""Charts of the win/loss review and the deal review: win rates with their intervals, trends, loss reasons.

Like :mod:`coopkit.report.charts`: figures without pyplot, the colour-blind
palette, axes with units, and a title that states the finding. Every label
comes from the user's CRM export, so every text is drawn literally (a
competitor called ``A$_$`` is not mathtext).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.frameworks import winloss
from coopkit.report.charts import _BAD, _GOOD, PALETTE, _figure, _literal

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = [
    "rate_chart",
    "time_chart",
    "pareto_chart",
    "trend_chart",
    "matrix_chart",
    "preparation_chart",
    "items_chart",
    "MAX_BARS",
]

#: Most groups a chart shows (the ones with most deals).
MAX_BARS = 15
_NEUTRAL = PALETTE[0]


def _short(label: object, width: int = 28) -> str:
    text = str(label)
    return text if len(text) <= width else text[: width - 1] + "…"


def _title(ax, text: str, labels: list[str] | None = None) -> None:
    """A left-aligned title, wrapped so that it is not cut off at the figure's right edge.

    The title starts where the axes start, so long tick ``labels`` on the left
    leave it less room: about 85 characters fit across a figure 6.4 inches wide.
    """
    room = 62 if not labels else max(28, min(62, 84 - max(len(label) for label in labels)))
    ax.set_title(textwrap.fill(text, room), loc="left", fontsize=10)


def _percent(ax, axis: str = "x") -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))


def rate_chart(table: pd.DataFrame, what: str, overall: float | None = None, min_deals: int = 1) -> Figure:
    """Win rate of each group (competitor, rep, segment) as a dot with its Wilson 95 % interval.

    Groups whose interval lies wholly above the overall win rate are green,
    wholly below it orange-red. At most :data:`MAX_BARS` groups, most deals first.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`coopkit.frameworks.winloss.win_rates` or ``head_to_head``.
    what : str
        What the groups are, singular, e.g. ``"competitor"``.
    overall : float, optional
        Overall win rate (share 0-1), drawn as a line.
    min_deals : int
        Groups with fewer deals are drawn hollow and left out of the title.

    Examples
    --------
    >>> t = pd.DataFrame({"deals": [40, 50], "wins": [10, 35], "win_rate": [0.25, 0.7], "low": [0.14, 0.56],
    ...                   "high": [0.4, 0.81]}, index=["Acme", "Beta"])
    >>> rate_chart(t, "competitor", overall=0.5).axes[0].get_title(loc="left")
    'Lowest win rate against Acme (25%); highest against Beta (70%)'
    """
    shown = table.head(MAX_BARS).iloc[::-1]
    fig, ax = _figure(height=max(2.4, 0.38 * len(shown) + 1.4))
    y = np.arange(len(shown))
    for k, (_, row) in enumerate(shown.iterrows()):
        colour = _NEUTRAL
        if overall is not None and row["low"] > overall:
            colour = _GOOD
        elif overall is not None and row["high"] < overall:
            colour = _BAD
        hollow = row["deals"] < min_deals
        ax.plot([row["low"], row["high"]], [y[k], y[k]], color=colour, linewidth=2.2, solid_capstyle="butt")
        ax.plot(row["win_rate"], y[k], "o", color=colour, markersize=7, markerfacecolor="white" if hollow else colour)
    labels = [f"{_short(n)} ({int(d):,})" for n, d in zip(shown.index, shown["deals"], strict=True)]
    ax.set_yticks(y, labels)
    if overall is not None:
        ax.axvline(overall, color="black", linewidth=0.8, linestyle="--", label=f"All deals {overall:.0%}")
        ax.legend(frameon=False, loc="lower right")
    ax.set_xlim(0, 1)
    _percent(ax)
    ax.set_xlabel("Win rate, with its 95% interval (deals in brackets)")
    judged = table[table["deals"] >= min_deals]
    against = "against " if what == "competitor" else ": "
    if len(judged) >= 2:
        lo, hi = judged["win_rate"].idxmin(), judged["win_rate"].idxmax()
        title = (
            f"Lowest win rate {against}{_short(lo, 24)} ({judged.loc[lo, 'win_rate']:.0%}); "
            f"highest {against}{_short(hi, 24)} ({judged.loc[hi, 'win_rate']:.0%})"
        ).replace(" : ", ": ")
    else:
        title = f"Win rate by {what}"
    _title(ax, title, labels)
    return _literal(fig)


def time_chart(table: pd.DataFrame, period: str = "quarter") -> Figure:
    """Win rate per period with its Wilson 95 % band (from :func:`~coopkit.frameworks.winloss.over_time`).

    Examples
    --------
    >>> t = pd.DataFrame({"start": pd.to_datetime(["2025-01-01", "2025-04-01"]), "deals": [30, 40],
    ...                   "win_rate": [0.4, 0.55], "low": [0.25, 0.4], "high": [0.57, 0.69]}, index=["2025 Q1", "2025 Q2"])
    >>> time_chart(t).axes[0].get_title(loc="left")
    'Win rate went from 40% (2025 Q1) to 55% (2025 Q2)'
    """
    fig, ax = _figure()
    x = np.arange(len(table))
    ax.fill_between(x, table["low"], table["high"], color=_NEUTRAL, alpha=0.18, linewidth=0, label="95% interval")
    ax.plot(x, table["win_rate"], "o-", color=_NEUTRAL, label="Win rate")
    step = max(1, int(np.ceil(len(table) / 12)))
    ax.set_xticks(x[::step], [str(i) for i in table.index[::step]], rotation=30 if len(table) > 6 else 0)
    ax.set_ylim(0, 1)
    _percent(ax, "y")
    ax.set_ylabel("Win rate")
    ax.set_xlabel({"month": "Month", "quarter": "Quarter", "half": "Half-year"}.get(period, "Period"))
    ax.legend(frameon=False, loc="lower right")
    if len(table) >= 2:
        first, last = table.iloc[0], table.iloc[-1]
        title = (
            f"Win rate went from {first['win_rate']:.0%} ({table.index[0]}) to {last['win_rate']:.0%} "
            f"({table.index[-1]})"
        )
    else:
        title = f"Win rate {table['win_rate'].iloc[0]:.0%} in {table.index[0]}" if len(table) else "No dated deals"
    _title(ax, title)
    return _literal(fig)


def pareto_chart(table: pd.DataFrame) -> Figure:
    """Loss reasons as bars, most frequent first, with the cumulative share of losses as a line (Pareto).

    Examples
    --------
    >>> t = pd.DataFrame({"losses": [6, 3, 1], "share": [0.6, 0.3, 0.1], "cumulative": [0.6, 0.9, 1.0],
    ...                   "vital": [True, True, False]}, index=["Price", "Fit", "Other"])
    >>> pareto_chart(t).axes[0].get_title(loc="left")
    'Price and Fit cause 90% of losses'
    """
    shown = table.head(MAX_BARS)
    fig, ax = _figure(height=3.8)
    x = np.arange(len(shown))
    colours = [_BAD if v else PALETTE[7] for v in shown["vital"]]
    ax.bar(x, shown["losses"], color=colours)
    ax.set_xticks(x, [_short(i, 22) for i in shown.index], rotation=30, ha="right")
    ax.set_ylabel("Deals lost")
    line = ax.twinx()
    line.plot(x, shown["cumulative"], "o-", color="black", linewidth=1.2, markersize=4)
    line.axhline(0.8, color=PALETTE[7], linewidth=0.8, linestyle="--")
    line.set_ylim(0, 1.05)
    line.spines[["top"]].set_visible(False)
    _percent(line, "y")
    line.set_ylabel("Cumulative share of losses")
    vital = table[table["vital"]]
    names = [_short(i, 20) for i in vital.index]
    if len(names) > 3:
        names = [*names[:2], f"{len(names) - 2} more"]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    _title(ax, f"{who} cause {vital['share'].sum():.0%} of losses" if len(vital) else "Loss reasons")
    return _literal(fig)


def trend_chart(trend: winloss.Trend) -> Figure:
    """Earlier half against later half, per competitor: an arrow from one win rate to the other, by status.

    Examples
    --------
    >>> dates = pd.to_datetime(["2024-01-01"] * 20 + ["2025-12-31"] * 20)
    >>> df = pd.DataFrame({"won": [True] * 4 + [False] * 16 + [True] * 15 + [False] * 5, "date": dates,
    ...                    "competitor": "X"})
    >>> trend_chart(winloss.trend(df)).axes[0].get_title(loc="left")
    'Improving against X'
    """
    table = trend.table.head(MAX_BARS + 1).iloc[::-1]
    fig, ax = _figure(height=max(2.4, 0.42 * len(table) + 1.4))
    colours = {"improving": _GOOD, "slipping": _BAD}
    y = np.arange(len(table))
    for k, (_, row) in enumerate(table.iterrows()):
        colour = colours.get(row["status"], PALETTE[7])
        a, b = row["earlier_rate"], row["later_rate"]
        if pd.isna(a) or pd.isna(b):
            continue
        ax.plot([a, b], [y[k], y[k]], color=colour, linewidth=2)
        ax.plot(a, y[k], "o", color=colour, markerfacecolor="white", markersize=7)
        ax.plot(b, y[k], "o", color=colour, markersize=7)
    labels = [f"{_short(n)}: {s}" for n, s in zip(table.index, table["status"], strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    _percent(ax)
    ax.set_xlabel(f"Win rate: hollow before {trend.split:%Y-%m-%d}, filled after")
    better, worse = trend.improving(), trend.slipping()
    parts = ([f"Improving against {', '.join(_short(b, 24) for b in better)}"] if better else []) + (
        [f"slipping against {', '.join(_short(w, 24) for w in worse)}"] if worse else []
    )
    title = "; ".join(parts) if parts else "No competitor with a clear change"
    _title(ax, title[:1].upper() + title[1:], labels)
    return _literal(fig)


def matrix_chart(table: pd.DataFrame, min_deals: int = 1) -> Figure:
    """Heat map of the win rate by competitor (rows) and segment (columns), the deals in each cell.

    ``table`` is :func:`~coopkit.frameworks.winloss.win_rates` by ``["competitor", "segment"]``;
    cells with fewer than ``min_deals`` deals are left blank.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("Acme", "SMB"), ("Acme", "Enterprise"), ("Beta", "SMB")])
    >>> t = pd.DataFrame({"deals": [30, 20, 25], "win_rate": [0.6, 0.3, 0.5]}, index=idx)
    >>> matrix_chart(t).axes[0].get_title(loc="left")
    'Weakest: Acme in Enterprise (30%)'
    """
    from matplotlib.ticker import PercentFormatter

    rates = table["win_rate"].where(table["deals"] >= min_deals).unstack()
    counts = table["deals"].unstack()
    rows = list(dict.fromkeys(table.index.get_level_values(0)))[:MAX_BARS]
    cols = list(dict.fromkeys(table.index.get_level_values(1)))[:8]
    rates, counts = rates.reindex(index=rows, columns=cols), counts.reindex(index=rows, columns=cols)
    fig, ax = _figure(height=max(2.4, 0.45 * len(rows) + 1.4))
    ax.spines[["left", "bottom"]].set_visible(False)
    image = ax.imshow(rates.to_numpy(dtype=float), cmap="RdYlBu", vmin=0.2, vmax=0.8, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            r, n = rates.iat[i, j], counts.iat[i, j]
            if pd.notna(r):
                ax.text(j, i, f"{r:.0%}\n({int(n):,})", ha="center", va="center", fontsize=8)
    ax.set_xticks(np.arange(len(cols)), [_short(c, 16) for c in cols])
    ax.set_yticks(np.arange(len(rows)), [_short(r, 24) for r in rows])
    fig.colorbar(image, ax=ax, format=PercentFormatter(1.0, decimals=0), label="Win rate")
    stacked = rates.stack().dropna()
    if len(stacked):
        (c, s) = stacked.idxmin()
        _title(ax, f"Weakest: {_short(c, 24)} in {_short(s, 16)} ({stacked.min():.0%})")
    return _literal(fig)


def preparation_chart(
    bands: pd.DataFrame,
    fit: winloss.LogisticFit | None = None,
    score: int | None = None,
    max_points: int | None = None,
) -> Figure:
    """How prepared deals fared: each score band's win rate and interval, the logistic fit, this deal's score.

    Examples
    --------
    >>> b = winloss.preparation_table([0, 1, 3, 4, 4], [False, False, True, True, False], 4, bands=2)
    >>> preparation_chart(b, score=1).axes[0].get_title(loc="left")
    'Deals scoring 3–4 won 67%, those scoring 0–2 won 0%'
    """
    fig, ax = _figure()
    top = int(max_points if max_points is not None else bands["to_score"].max())
    for _, row in bands.iterrows():
        if row["deals"] == 0:
            continue
        a, b = row["from_score"] - 0.45, row["to_score"] + 0.45
        inside = score is not None and row["from_score"] <= score <= row["to_score"]
        ax.fill_between([a, b], row["low"], row["high"], color=PALETTE[1] if inside else _NEUTRAL, alpha=0.18)
        ax.plot([a, b], [row["win_rate"]] * 2, color=PALETTE[1] if inside else _NEUTRAL, linewidth=2.5)
        ax.text(
            (a + b) / 2, row["high"] + 0.02, f"{row['win_rate']:.0%} of {int(row['deals']):,}", ha="center", fontsize=8
        )
    if fit is not None:
        xs = np.linspace(0, top, 100)
        p, lo, hi = fit.predict(xs)
        ax.plot(xs, p, color="black", linewidth=1, label="Logistic fit")
        ax.fill_between(xs, lo, hi, color="black", alpha=0.06, linewidth=0)
    if score is not None:
        ax.axvline(score, color=PALETTE[1], linewidth=1.2, linestyle="--", label=f"This deal: {score} of {top}")
    ax.set_xlim(-0.6, top + 0.6)
    ax.set_ylim(0, 1)
    _percent(ax, "y")
    ax.set_xlabel(f"Preparation score (0 to {top} points)")
    ax.set_ylabel("Win rate of past deals (95% interval)")
    if fit is not None or score is not None:
        ax.legend(frameon=False, loc="lower right")
    seen = bands[bands["deals"] > 0]
    if len(seen) >= 2:
        hi_band, lo_band = seen.iloc[-1], seen.iloc[0]
        title = (
            f"Deals scoring {seen.index[-1]} won {hi_band['win_rate']:.0%}, "
            f"those scoring {seen.index[0]} won {lo_band['win_rate']:.0%}"
        )
    else:
        title = "Win rate by preparation score"
    _title(ax, title)
    return _literal(fig)


def items_chart(items: pd.DataFrame) -> Figure:
    """Each checklist item: win rate when done minus when not done, with Newcombe's 95 % interval.

    ``items`` is :func:`~coopkit.frameworks.winloss.item_table`; with a
    ``this_deal`` column (the upcoming deal's points), items not yet done are
    labelled "(open)".

    Examples
    --------
    >>> t = pd.DataFrame({"difference": [0.15, 0.02], "diff_low": [0.08, -0.05], "diff_high": [0.22, 0.09]},
    ...                  index=["Pitch known", "Research"])
    >>> items_chart(t).axes[0].get_title(loc="left")
    'Biggest difference: Pitch known (+15 points)'
    """
    from matplotlib.ticker import PercentFormatter

    shown = items.iloc[::-1]
    fig, ax = _figure(height=max(2.4, 0.42 * len(shown) + 1.4))
    y = np.arange(len(shown))
    for k, (_, row) in enumerate(shown.iterrows()):
        if pd.isna(row["difference"]):
            continue
        colour = _GOOD if row["diff_low"] > 0 else _BAD if row["diff_high"] < 0 else PALETTE[7]
        ax.plot([row["diff_low"], row["diff_high"]], [y[k], y[k]], color=colour, linewidth=2.2)
        ax.plot(row["difference"], y[k], "o", color=colour, markersize=7)
    ax.axvline(0, color="black", linewidth=0.8)
    open_now = shown["this_deal"] < 2 if "this_deal" in shown else pd.Series(False, index=shown.index)
    labels = [f"{_short(i, 34)}{' (open)' if o else ''}" for i, o in zip(shown.index, open_now, strict=True)]
    ax.set_yticks(y, labels)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Win rate done minus not done (95% interval)")
    valid = items.dropna(subset=["difference"])
    if len(valid):
        top = valid["difference"].idxmax()
        _title(ax, f"Biggest difference: {_short(top, 30)} ({valid.loc[top, 'difference'] * 100:+.0f} points)", labels)
    return _literal(fig)
