"""The competing-with-partners worksheet's result panel: thresholds, the head-to-head match, the tournament."""

from __future__ import annotations

import math

import pandas as pd

from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.option_views.sales_rewards import tiles_html
from coopkit.report.views import Chart, Section, View, register_view

__all__ = ["meetings_text", "rivals_view"]


def meetings_text(x: float) -> str:
    """Meetings a year for a tile: two decimals, "any" when any frequency will do, "never" when none will.

    Examples
    --------
    >>> meetings_text(2.1069), meetings_text(0.0), meetings_text(math.inf)
    ('2.11', 'any', 'never')
    """
    if math.isinf(x):
        return "never"
    if x <= 0:
        return "any"
    return f"{x:,.2f}"


@register_view("sales_rivals")
def rivals_view(a: Assessment) -> View:
    """Key figures, head-to-head and ranking tables; threshold, ranking, match and matrix charts; the payoffs.

    Examples
    --------
    >>> from coopkit.options.sales.rivals import Inputs, assess
    >>> panel = rivals_view(assess(Inputs()))
    >>> [s.key for s in panel.before], len(panel.charts)
    (['key', 'match', 'ranking'], 4)
    """
    from coopkit.report import sales_charts_games as charts

    d = a.details
    cur = a.currency
    T, R, P, S = d["payoffs"]
    us, them = d["names"]
    result, match = d["tournament"], d["match"]
    tiles = tiles_html(
        [
            ("w", "Weight of the next meeting, w", f"{d['w']:.3f}"),
            ("grim", "Sharing can hold from w =", f"{d['grim']:.3f}"),
            ("needed-grim", "Meetings a year sharing needs", meetings_text(d["needed_grim"])),
            ("tft", "Tit for Tat is stable from w =", f"{d['tft']:.3f}"),
            ("needed-tft", "Meetings a year Tit for Tat needs", meetings_text(d["needed_tft"])),
        ]
    )
    head_to_head = report_html.frame_html(
        a.parties,
        [
            ("strategy", "Way of playing", "text"),
            ("per_meeting", f"{cur} a meeting", "money"),
            ("per_year", f"{cur} a year", "money"),
            ("cooperation", "Moves that shared", "percent"),
        ],
        css="coopkit-match-table",
        index_label="Party",
    )
    ranking = report_html.frame_html(
        a.tables["ranking"],
        [
            ("rank", "Rank", "int"),
            ("label", "Strategy", "text"),
            ("score", f"{cur} a meeting", "money"),
            ("per_year", f"{cur} a year", "money"),
            ("cooperation", "Moves that shared", "percent"),
            ("wins", "Opponents out-scored", "int"),
        ],
        css="coopkit-ranking-table",
        caption=f"{len(result.strategies)} strategies, about {result.mean_length:,.1f} meetings a match",
    )
    game = pd.DataFrame({"they_share": [R, T], "they_hold_back": [S, P]}, index=pd.Index(["We share", "We hold back"]))
    payoffs = report_html.frame_html(
        game,
        [("they_share", f"{them} shares", "money"), ("they_hold_back", f"{them} holds back", "money")],
        css="coopkit-payoff-table",
        index_label=us,
        caption=f"What one meeting brings {us}, {cur}",
    )
    labels = d["labels"]
    return View(
        before=[
            Section("key", "How often we must meet", tiles),
            Section("match", "Our way of playing against theirs", head_to_head),
            Section("ranking", "The tournament", ranking),
        ],
        charts=[
            Chart(
                "Weight of the next meeting against meetings a year, with the thresholds for sharing to hold",
                lambda: charts.threshold_chart(d["meetings"], d["survival"], d["discount_rate"], d["grim"], d["tft"]),
            ),
            Chart(
                "The tournament's ranking: average payoff per meeting of each strategy",
                lambda: charts.ranking_chart(result.scores, cur),
            ),
            Chart(
                "Our way of playing against theirs: average payoff at each meeting",
                lambda: charts.match_chart(match, (us, them), labels, (T, R, P, S), cur),
            ),
            Chart(
                "What each strategy earns per meeting against each other",
                lambda: charts.matrix_chart(a.tables["matrix"], cur),
                wide=True,
            ),
        ],
        after=[Section("payoffs", "The payoffs entered", payoffs)],
    )
