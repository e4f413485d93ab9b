"""Charts of the sales workbook's game worksheets: reward design (5) and competing with partners (6).

Each function returns a matplotlib Figure built without pyplot, with labelled
axes and units and a title that states the finding; every chart passes
through ``_literal`` so names a user typed are drawn as typed. The figures
come from :mod:`coopkit.frameworks.rewards` and
:mod:`coopkit.frameworks.tournament`.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopkit.frameworks import rewards, tournament
from coopkit.report.charts import _BAD, _GOOD, PALETTE, _figure, _literal, _money_axis, _short_money

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with this module
    from matplotlib.figure import Figure

__all__ = [
    "helping_chart",
    "mix_chart",
    "threshold_chart",
    "ranking_chart",
    "matrix_chart",
    "match_chart",
]


@functools.cache
def _loss_gain():
    """Diverging map for money that can be lost (vermillion) or gained (blue), white at 0."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("coopkit_loss_gain", [PALETTE[3], "#ffffff", PALETTE[0]])


def _amount(x: float) -> str:
    """Money for a title: short above 100 (``2.5M``), one decimal below.

    Examples
    --------
    >>> _amount(13_779.5), _amount(0.8), _amount(-2_500_000)
    ('13,780', '0.8', '−2.5M')
    """
    return _short_money(x) if abs(x) >= 100 else f"{x:,.1f}".replace("-", "−")


def _percent(ax, axis: str = "x", decimals: int | None = 0) -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))


# --------------------------------------------------------------------------- reward design
def helping_title(scheme: rewards.Scheme) -> str:
    """The helping chart's finding: the break-even team-and-help weight, and whether today's mix clears it.

    Examples
    --------
    >>> s = rewards.Scheme(8, 400_000, 16_000_000, 0.85, 0.15, 0.0, 3_000, 12_000, 20)
    >>> helping_title(s)
    "Helping pays from a team-and-help weight of 72.7%; today's 15.0% falls short"
    """
    even, m = rewards.break_even(scheme), scheme.collective
    if even <= 0:
        return "Helping pays at any mix, even with all the weight on own results"
    verdict = "clears it" if rewards.helping_pays(scheme) else "falls short"
    return f"Helping pays from a team-and-help weight of {even:.1%}; today's {m:.1%} {verdict}"


def helping_chart(scheme: rewards.Scheme, delta: float, currency: str = "EUR") -> Figure:
    """A rep's gain from one help against the team-and-help weight, one-off and when the help is returned.

    The team-and-help weight ``m`` runs from 0 (all on own results) to 1,
    keeping today's proportion of team to help; the break-even mixes and
    today's mix are marked.

    Parameters
    ----------
    scheme : coopkit.frameworks.rewards.Scheme
    delta : float
        Weight of the next round of mutual help, 0 to 1.
    currency : str
        Unit label.

    Examples
    --------
    >>> s = rewards.Scheme(8, 400_000, 16_000_000, 0.85, 0.15, 0.0, 3_000, 12_000, 20)
    >>> fig = helping_chart(s, 0.2)
    >>> fig.axes[0].get_title()
    "Helping pays from a team-and-help weight of 72.7%; today's 15.0% falls short"
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:2]
    ['One-off help', 'Help returned (next round weighs 0.20)']
    """
    theta = scheme.help_share
    m = np.linspace(0.0, 1.0, 201)
    team, help_ = (1 - theta) * m, theta * m
    one_off = rewards.own_gain(scheme, team, help_)
    returned = one_off + delta * rewards.received_gain(scheme, team, help_)
    even = rewards.break_even(scheme)
    even_returned = rewards.break_even(scheme, delta=delta)
    fig, ax = _figure(9.6, 4.0)
    ax.plot(m, one_off, color=PALETTE[0], linewidth=2, label="One-off help")
    ax.plot(
        m,
        returned,
        color=PALETTE[2],
        linewidth=2,
        linestyle="--",
        label=f"Help returned (next round weighs {delta:.2f})",
    )
    ax.axhline(0, color="black", linewidth=0.8)
    if even > 0:
        ax.axvline(even, color=PALETTE[0], linewidth=1.2, linestyle=":", label=f"Break-even, one-off: {even:.1%}")
    if even_returned > 0:
        ax.axvline(
            even_returned,
            color=PALETTE[2],
            linewidth=1.2,
            linestyle=":",
            label=f"Break-even, returned: {even_returned:.1%}",
        )
    own = rewards.own_gain(scheme)
    colour = _GOOD if rewards.helping_pays(scheme) else _BAD
    ax.plot(
        [scheme.collective], [own], marker="o", color=colour, linestyle="none", label=f"Today: {scheme.collective:.1%}"
    )
    ax.set_xlim(0, 1)
    _percent(ax)
    _money_axis(ax)
    share = "team only" if theta == 0 else "help only" if theta == 1 else f"{1 - theta:.0%} team, {theta:.0%} help"
    ax.set_xlabel(f"Team-and-help weight ({share}; the rest on own results)")
    ax.set_ylabel(f"Helper's bonus per help ({currency})")
    ax.set_title(helping_title(scheme))
    ax.legend(frameon=False, fontsize=8, loc="best")
    return _literal(fig)


def mix_chart(scheme: rewards.Scheme, delta: float, currency: str = "EUR") -> Figure:
    """Map of every mix (team weight across, help weight up): a rep's gain from one help, break-even lines, today.

    Blue mixes make one-off help pay, vermillion ones do not; the solid line
    is the one-off break-even, the dashed one the break-even when help is
    returned with weight ``delta``. The help axis stops where the decisions
    are: at four times the help weight that pays alone (at least 20%).

    Examples
    --------
    >>> s = rewards.Scheme(8, 400_000, 16_000_000, 0.85, 0.15, 0.0, 3_000, 12_000, 20)
    >>> mix_chart(s, 0.2).axes[0].get_title()
    'One point of help weight does the work of 25 points of team weight'
    """
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.ticker import FuncFormatter

    top = min(1.0, max(0.2, 4 * rewards.break_even(scheme, 1.0), 1.5 * scheme.help))  # where the decisions are
    team, help_ = np.meshgrid(np.linspace(0.0, 1.0, 241), np.linspace(0.0, top, 161))
    outside = team + help_ > 1 + 1e-9
    own = np.where(outside, np.nan, rewards.own_gain(scheme, team, help_))
    returned = np.where(outside, np.nan, own + delta * rewards.received_gain(scheme, team, help_))
    fig, ax = _figure(6.4, 4.6)
    low, high = float(np.nanmin(own)), float(np.nanmax(own))
    span = max(abs(low), abs(high), 1e-9)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=min(low, -1e-9 * span), vmax=max(high, 1e-9 * span))
    mesh = ax.pcolormesh(team, help_, own, cmap=_loss_gain(), norm=norm, shading="auto")
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(f"Helper's bonus per help, one-off ({currency})")
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: _short_money(x)))
    handles = []
    if low < 0 < high:
        ax.contour(team, help_, own, levels=[0.0], colors="black", linewidths=1.4)
        handles.append(("black", "-", "Break-even, one-off"))
    r_low, r_high = float(np.nanmin(returned)), float(np.nanmax(returned))
    if r_low < 0 < r_high:
        ax.contour(team, help_, returned, levels=[0.0], colors=PALETTE[2], linewidths=1.4, linestyles="--")
        handles.append((PALETTE[2], "--", "Break-even, help returned"))
    for colour, style, label in handles:
        ax.plot([], [], color=colour, linestyle=style, label=label)
    ax.plot([scheme.team], [scheme.help], marker="o", color="black", linestyle="none", label="Today")
    ax.plot([0, 1], [1, 0], color="#999999", linewidth=0.8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, top)
    _percent(ax, "x")
    _percent(ax, "y", None)
    ax.set_xlabel("Team weight")
    ax.set_ylabel("Help weight")
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    rate = rewards.exchange_rate(scheme)
    ax.set_title(f"One point of help weight does the work of {rate:,.0f} points of team weight", fontsize=10)
    return _literal(fig)


# --------------------------------------------------------------------------- competing with partners
def threshold_title(meetings: float, needed_grim: float, needed_tft: float) -> str:
    """The threshold chart's finding: the meetings a year sharing needs, and how often we meet.

    Examples
    --------
    >>> threshold_title(2.0, 0.875, 2.107)
    'Sharing holds from 0.88 meetings a year, Tit for Tat from 2.11; you meet 2'
    >>> threshold_title(4.0, 0.0, 0.0)
    'Sharing holds at any number of meetings; you meet 4'
    """
    if needed_tft <= 0:
        return f"Sharing holds at any number of meetings; you meet {meetings:,.4g}"
    if math.isinf(needed_grim):
        return f"Sharing never holds with these payoffs; you meet {meetings:,.4g}"
    return (
        f"Sharing holds from {needed_grim:,.2f} meetings a year, Tit for Tat from {needed_tft:,.2f}; "
        f"you meet {meetings:,.4g}"
    )


def threshold_chart(
    meetings: float,
    survival: float,
    discount_rate: float,
    grim: float,
    tft: float,
) -> Figure:
    """The weight of the next meeting against meetings a year, with the two thresholds and today's frequency.

    Parameters
    ----------
    meetings : float
        Meetings a year today.
    survival, discount_rate : float
        As in :func:`coopkit.frameworks.tournament.continuation`.
    grim, tft : float
        The grim-trigger and Tit-for-Tat thresholds of ``w``.

    Examples
    --------
    >>> fig = threshold_chart(2.0, 0.6, 0.1, 0.5, 0.75)
    >>> fig.axes[0].get_title()
    'Sharing holds from 0.87 meetings a year, Tit for Tat from 2.11; you meet 2'
    """
    from matplotlib.ticker import FuncFormatter

    needed_grim = tournament.meetings_needed(grim, survival, discount_rate)
    needed_tft = tournament.meetings_needed(tft, survival, discount_rate)
    finite = [x for x in (meetings, needed_grim, needed_tft) if 0 < x < math.inf]
    lo, hi = max(min(finite) / 4, 1e-3), max(max(finite) * 4, 1e-2)
    m = np.geomspace(lo, hi, 200)
    w = np.array([tournament.continuation(x, survival, discount_rate) for x in m])
    now = tournament.continuation(meetings, survival, discount_rate)
    fig, ax = _figure()
    ax.plot(m, w, color=PALETTE[0], linewidth=2, label="Weight of the next meeting, w")
    ax.axhspan(tft, 1.0, color=_GOOD, alpha=0.10)
    ax.axhline(grim, color=PALETTE[1], linewidth=1.2, linestyle="--", label=f"Sharing can hold: w ≥ {grim:.3f}")
    ax.axhline(tft, color=_GOOD, linewidth=1.2, linestyle="--", label=f"Tit for Tat stable: w ≥ {tft:.3f}")
    ax.plot([meetings], [now], marker="o", color="black", linestyle="none", label=f"We meet {meetings:,.4g} a year")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:,.4g}"))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Meetings a year")
    ax.set_ylabel("Weight of the next meeting, w")
    ax.set_title(threshold_title(meetings, needed_grim, needed_tft), fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return _literal(fig)


def ranking_title(scores: pd.DataFrame, currency: str) -> str:
    """The ranking chart's finding: who comes first, and with how much per meeting.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["Tit for Tat", "Always defect"], "score": [3.0, 1.4], "nice": [True, False]})
    >>> ranking_title(t, "EUR")
    'Tit for Tat comes first of 2, with 3.0 EUR a meeting'
    """
    top = scores.iloc[0]
    return f"{top['label']} comes first of {len(scores)}, with {_amount(float(top['score']))} {currency} a meeting"


def ranking_chart(scores: pd.DataFrame, currency: str = "EUR") -> Figure:
    """The tournament's ranking: each strategy's average payoff per meeting, best on top; nice ones in blue.

    ``scores`` is :attr:`coopkit.frameworks.tournament.TournamentResult.scores`.

    Examples
    --------
    >>> t = tournament.tournament(["always_cooperate", "always_defect", "tit_for_tat"], rounds=200)
    >>> ranking_chart(t.scores).axes[0].get_title()
    'Always defect comes first of 3, with 2.3 EUR a meeting'
    """
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure(6.4, max(2.8, 0.42 * len(scores) + 1.8))
    y = np.arange(len(scores))[::-1]
    colours = [PALETTE[0] if nice else PALETTE[1] for nice in scores["nice"]]
    ax.barh(y, scores["score"].astype(float), color=colours)
    for yy, value in zip(y, scores["score"].astype(float), strict=True):
        ax.text(value, yy, f" {_short_money(value)}", va="center", ha="left" if value >= 0 else "right", fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, list(scores["label"]))
    ax.set_xlabel(f"Average payoff per meeting ({currency})")
    _money_axis(ax, "x")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    handles = [
        Patch(color=PALETTE[0], label="Nice: never first to hold back"),
        Patch(color=PALETTE[1], label="Holds back first"),
    ]
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2)
    lo, hi = ax.get_xlim()
    ax.set_xlim(lo, hi + 0.15 * (hi - lo))  # room for the value labels
    ax.set_title(ranking_title(scores, currency), fontsize=10)
    return _literal(fig)


def matrix_chart(matrix: pd.DataFrame, currency: str = "EUR") -> Figure:
    """Heat map: what each strategy (row) earns per meeting against each other (column).

    Examples
    --------
    >>> t = tournament.tournament(["tit_for_tat", "always_defect"], rounds=10)
    >>> matrix_chart(t.matrix).axes[0].get_title()
    'Best pairing: tit_for_tat against tit_for_tat, 3.0 EUR a meeting'
    """
    from matplotlib.ticker import FuncFormatter

    values = matrix.to_numpy(dtype=float)
    k = values.shape[0]
    fig, ax = _figure(6.4 if k <= 5 else 7.6, 4.2 if k <= 5 else 5.4)
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    image = ax.imshow(values, cmap="Blues", vmin=low - 0.1 * (high - low or 1.0), vmax=high)
    for i in range(k):
        for j in range(k):
            if np.isfinite(values[i, j]):
                dark = values[i, j] > low + 0.6 * (high - low)
                ax.text(
                    j,
                    i,
                    _short_money(values[i, j]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    short = [str(x).replace(" (Pavlov)", "") for x in matrix.index]
    ax.set_xticks(range(k), [str(x).replace(" (Pavlov)", "") for x in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(k), short)
    ax.set_xlabel("Against")
    ax.set_ylabel("Strategy")
    ax.spines[["left", "bottom"]].set_visible(False)
    bar = fig.colorbar(image, ax=ax)
    bar.set_label(f"Payoff per meeting ({currency})")
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: _short_money(x)))
    i, j = np.unravel_index(np.nanargmax(values), values.shape)
    ax.set_title(
        f"Best pairing: {matrix.index[i]} against {matrix.columns[j]}, {_amount(values[i, j])} {currency} a meeting",
        fontsize=9,
    )
    return _literal(fig)


def match_chart(
    match: tournament.Match,
    names: tuple[str, str],
    labels: tuple[str, str],
    payoffs: tuple[float, float, float, float],
    currency: str = "EUR",
) -> Figure:
    """The head-to-head match: each side's average payoff at each meeting, over the repetitions that reached it.

    Meetings reached by fewer than a tenth of the repetitions (or 5) are left
    out. Both sharing (R) and both holding back (P) are marked for reference.

    Examples
    --------
    >>> m = tournament.play_match("tit_for_tat", "always_defect", rounds=5)
    >>> match_chart(m, ("Us", "Them"), ("Tit for Tat", "Always defect"), (5, 3, 1, 0)).axes[0].get_title()
    'Tit for Tat vs Always defect: 0.8 EUR a meeting to us, 1.8 to them'
    """
    us, them = names
    _, R, P, _ = payoffs
    table = match.by_round()
    keep = table[table["reached"] >= max(1, min(5, match.lengths.size), 0.1 * match.lengths.size)]
    ours, theirs = (float(x) for x in match.per_round)
    fig, ax = _figure()
    x = keep.index.to_numpy()
    ax.plot(x, keep["first"], color=PALETTE[0], marker="o", markersize=3, linewidth=1.8, label=f"{us} ({labels[0]})")
    ax.plot(x, keep["second"], color=PALETTE[1], marker="s", markersize=3, linewidth=1.8, label=f"{them} ({labels[1]})")
    ax.axhline(R, color=_GOOD, linewidth=1, linestyle="--", label=f"Both share: {_short_money(R)}")
    ax.axhline(P, color="#666666", linewidth=1, linestyle=":", label=f"Both hold back: {_short_money(P)}")
    ax.set_xlabel("Meeting")
    ax.set_ylabel(f"Average payoff at that meeting ({currency})")
    _money_axis(ax)
    ax.legend(frameon=False, fontsize=8, loc="best")
    ax.set_title(
        f"{labels[0]} vs {labels[1]}: {_amount(ours)} {currency} a meeting to us, {_amount(theirs)} to them",
        fontsize=10,
    )
    return _literal(fig)
