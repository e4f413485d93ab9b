"""The cross up-selling option's result panel: each side's gain, the win-win zone, where the revenue goes."""

from __future__ import annotations

import pandas as pd

from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, option_sections_after, register_view


def zone_table_html(table: pd.DataFrame, names: tuple[str, str], currency: str) -> str:
    """The win-win zone as a table: each point's share, each side's gain there, whether both gain.

    Every name is escaped.

    Examples
    --------
    >>> t = pd.DataFrame({"share": [0.2], "gain_us": [0.0], "gain_partner": [40.0], "win_win": [False]},
    ...                  index=pd.Index(["<b>Us</b> breaks even"]))
    >>> html = zone_table_html(t, ("<b>Us</b>", "Them"), "EUR")
    >>> "&lt;b&gt;Us&lt;/b&gt;&#x27;s gain" in html, "<b>Us</b>" in html, "<td class='coopkit-col-share'>20.0%</td>" in html
    (True, False, True)
    """
    ours, theirs = names
    shown = table.assign(win_win=table["win_win"].map({True: "yes", False: "no"}))
    return report_html.frame_html(
        shown,
        [
            ("share", "Revenue share we keep", "percent"),
            ("gain_us", f"{ours}'s gain", "money"),
            ("gain_partner", f"{theirs}'s gain", "money"),
            ("win_win", "Both gain", "text"),
        ],
        css="coopkit-zone-table",
        index_label="Point",
        caption=f"Gains in {currency} per year",
    )


@register_view("cross_upsell")
def cross_upsell_view(a: Assessment) -> View:
    """Each side's table, the zone and the revenue breakdown; zone, surplus, P(win-win)-by-share and tornado charts."""
    from coopkit.report import charts, upsell_charts

    names = a.details["names"]
    zone, agreed = a.details["zone"], a.details["agreed"]
    before = [
        Section(
            "parties", "Each side at the agreed share, per year", report_html.party_table_html(a.parties, a.currency)
        ),
        Section("zone", "The win-win zone", zone_table_html(a.tables["zone"], names, a.currency)),
        Section(
            "breakdown",
            "Where the add-on's revenue goes",
            report_html.frame_html(
                a.tables["breakdown"],
                [("us", names[0], "money"), ("partner", names[1], "money")],
                css="coopkit-breakdown-table",
                index_label="Figure",
                caption=f"{a.currency} per year, at the agreed share",
            ),
        ),
    ]
    chart_list = [
        Chart(
            "Each side's gain against the revenue share, the win-win zone shaded, agreed and Nash shares marked",
            lambda: upsell_charts.zone_chart(zone, agreed, names, a.currency),
            wide=True,
        ),
        Chart(
            "From the add-on's revenue, less every cost, to the surplus the share splits",
            lambda: upsell_charts.surplus_chart(a.tables["breakdown"], names, a.currency),
        ),
    ]
    mc = a.details.get("monte_carlo")
    if mc is not None:
        chart_list.append(
            Chart(
                "Share of scenarios win-win at each revenue share",
                lambda: upsell_charts.share_probability_chart(mc["curve"], agreed, mc["p_win_win"], mc["draws"]),
            )
        )
    table = a.tables.get("sensitivity")
    if table is not None and len(table.dropna()):
        clean = table.dropna().reset_index(drop=True)
        base = float(a.details["winwin"].gain.min())
        chart_list.append(
            Chart(
                "Tornado: inputs that swing the smallest gain most",
                lambda: charts.tornado_figure(clean.head(8), base, a.currency),
            )
        )
    return View(before=before, charts=chart_list, after=option_sections_after(a))
