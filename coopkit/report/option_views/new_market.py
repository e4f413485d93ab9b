"""Entering a new market together: NPV alone and together, the learning race, the payoff and tornado charts."""

from __future__ import annotations

from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, option_charts, option_sections_after, register_view


@register_view("new_market")
def new_market_view(a: Assessment) -> View:
    """Each party's NPV alone and its share of the venture, the learning race; payoff, race and tornado charts."""
    from coopkit.report import charts

    before = [
        Section(
            "parties",
            "Each party, in present value",
            report_html.party_table_html(a.parties, a.currency, caption=f"{a.currency}, present value"),
        ),
        Section(
            "npv",
            "Going alone against the venture",
            report_html.frame_html(
                a.tables["npv"],
                [
                    ("npv_alone", "NPV alone", "money"),
                    ("share_of_venture", "Share of the venture's NPV", "money"),
                    ("investment_share", "Its part of the investment", "money"),
                    ("learning_risk", "Learning-race loss", "money"),
                    ("gain", "Gain", "money"),
                ],
                css="coopkit-npv-table",
                index_label="Party",
                caption=f"{a.currency}, present value",
            ),
        ),
        Section(
            "learning",
            "The learning race: what each side discloses and learns",
            report_html.frame_html(
                a.tables["learning"],
                [
                    ("disclosed", "Know-how disclosed", "money"),
                    ("leaked", "Absorbed by the partner", "money"),
                    ("learned", "Learned from the partner", "money"),
                    ("balance", "Balance", "money"),
                ],
                css="coopkit-learning-table",
                index_label="Party",
                caption=f"{a.currency}, present value",
            ),
        ),
    ]
    race = a.tables["learning"]
    chart = Chart(
        "The learning race: know-how leaked and learned per party",
        lambda: charts.learning_chart(race, a.currency),
    )
    return View(before=before, charts=[*option_charts(a), chart], after=option_sections_after(a))
