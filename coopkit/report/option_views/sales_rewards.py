"""The reward-design worksheet's result panel: key figures, what one help does to the bonus, a rep's year."""

from __future__ import annotations

import html

from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, register_view

__all__ = ["tiles_html", "rewards_view"]


def tiles_html(tiles: list[tuple[str, str, str]]) -> str:
    """Key figures as tiles: ``(key, label, value)`` each, the key naming the tile's CSS class. All text escaped.

    Examples
    --------
    >>> tiles_html([("own", "Bonus per help <b>", "−59.53")])
    "<div class='coopkit-tiles'><div class='coopkit-tile coopkit-tile-own'><b class='coopkit-tile-value'>−59.53</b>Bonus per help &lt;b&gt;</div></div>"
    """
    items = "".join(
        f"<div class='coopkit-tile coopkit-tile-{html.escape(key, quote=True)}'>"
        f"<b class='coopkit-tile-value'>{html.escape(value)}</b>{html.escape(label)}</div>"
        for key, label, value in tiles
    )
    return f"<div class='coopkit-tiles'>{items}</div>"


def _signed(x: float) -> str:
    """An amount per help with two decimals and a real minus sign, e.g. ``−59.53``."""
    return report_html.money(x, 2) if abs(x) >= 0.005 else "0.00"


@register_view("sales_rewards")
def rewards_view(a: Assessment) -> View:
    """Key figures, the parts of one help's bonus, a rep's year; the helping and mix charts; the stage game.

    Examples
    --------
    >>> from coopkit.options.sales.rewards import Inputs, assess
    >>> panel = rewards_view(assess(Inputs()))
    >>> [s.key for s in panel.before], len(panel.charts)
    (['key', 'parts', 'year'], 2)
    """
    from coopkit.report import sales_charts_games as charts

    d = a.details
    s, cur = d["scheme"], a.currency
    tiles = tiles_html(
        [
            ("own", f"Helper's bonus per help, {cur}", _signed(d["own"])),
            ("break-even", "Team-and-help weight from which helping pays", f"{d['break_even']:.1%}"),
            ("today", "Team-and-help weight today", f"{s.collective:.1%}"),
            ("help-only", "Or help weight alone from", f"{d['pure_help']:.1%}"),
            ("delta", "Weight of the next round between two reps", f"{d['delta']:.3f}"),
            ("threshold", "Mutual help holds from", f"{d['threshold']:.3f}"),
        ]
    )
    parts = report_html.frame_html(
        a.tables["parts"],
        [("weight", "Weight", "percent"), ("per_help", f"Helper's bonus per help ({cur})", "number")],
        css="coopkit-parts-table",
        index_label="Part of the pool",
    )
    year = report_html.frame_html(
        a.tables["year"],
        [
            ("own_sales", "Your sales", "money"),
            ("team_sales", "Team sales", "money"),
            ("bonus", "Your bonus", "money"),
            ("vs_nobody", "Bonus against nobody helping", "money"),
        ],
        css="coopkit-year-table",
        index_label="Situation",
        caption=f"{cur} per year, for one rep",
    )
    stage = report_html.frame_html(
        a.tables["stage"],
        [("helps", "The colleague helps", "number"), ("does_not_help", "The colleague does not", "number")],
        css="coopkit-stage-table",
        index_label="",
        caption=f"My bonus from one round of mutual help, {cur}",
    )
    breaks = report_html.frame_html(
        a.tables["break_even"],
        [("weight", "Team-and-help weight", "percent")],
        css="coopkit-break-even-table",
        index_label="Mix",
    )
    delta = float(d["delta"])
    return View(
        before=[
            Section("key", "Key figures", tiles),
            Section("parts", "What one help does to the helper's bonus", parts),
            Section("year", "A year for one rep", year),
        ],
        charts=[
            Chart(
                "A rep's bonus from one help against the team-and-help weight, with the break-even mix marked",
                lambda: charts.helping_chart(s, delta, cur),
                wide=True,
            ),
            Chart(
                "Every mix of team and help weight: where helping pays, the break-even lines and today's mix",
                lambda: charts.mix_chart(s, delta, cur),
            ),
        ],
        after=[
            Section("stage", "Two reps who can help each other: the stage game", stage),
            Section("break_even", "Break-even mixes", breaks),
        ],
    )
