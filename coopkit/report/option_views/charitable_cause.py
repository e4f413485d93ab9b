"""The joint charitable cause's result panel: sponsors, cost-sharing rules, the programme."""

from __future__ import annotations

from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, option_charts, option_sections_after, register_view


@register_view("charitable_cause")
def charitable_view(a: Assessment) -> View:
    """Sponsors' table, the cost-sharing rules compared, the programme; payoff, rules and tornado charts."""
    from coopkit.report import charts

    deal = a.details["winwin"]
    names = list(deal.parties)
    chosen = a.details.get("chosen_rule")
    costs = a.tables["costs"]
    before = [
        Section("parties", "Each sponsor, per year", report_html.party_table_html(a.parties, a.currency)),
        Section(
            "rules",
            "Cost-sharing rules compared",
            report_html.rules_table_html(costs, names, chosen, f"Cost share of each sponsor, {a.currency} per year"),
        ),
        Section(
            "programme",
            "The programme",
            report_html.frame_html(
                a.tables["programme"],
                [("value", a.currency + " or people", "number")],
                css="coopkit-programme-table",
                index_label="Figure",
            ),
        ),
    ]
    rule_chart = Chart(
        "Smallest gain under each cost-sharing rule",
        lambda: charts.rules_chart(costs, a.currency, "Smallest sponsor's gain"),
    )
    return View(before=before, charts=[*option_charts(a), rule_chart], after=option_sections_after(a))
