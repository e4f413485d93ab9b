"""The knowledge-sharing and mentoring result panel: who gives and takes, mentoring pairs, topics and sources."""

from __future__ import annotations

import html
import math

from coopkit.frameworks import helpnet
from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.option_views.sales_culture import sources_html
from coopkit.report.views import Chart, Section, View, register_view

__all__ = ["mentoring_view"]


def _share(x: float) -> str:
    """A reciprocity as a percentage, a dash for someone with no ties.

    Examples
    --------
    >>> _share(0.25), _share(float("nan"))
    ('25%', '–')
    """
    return "–" if math.isnan(x) else f"{x:.0%}"


@register_view("sales_mentoring")
def mentoring_view(a: Assessment) -> View:
    """Per-person network table and mentoring pairs; network, balance and benefit charts; topics and sources.

    Examples
    --------
    >>> from coopkit import options
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("sales_mentoring")
    >>> v = mentoring_view(sheet.assess(sheet.inputs(**read_case(sample_case(sheet.sample)).inputs)))
    >>> [s.key for s in v.before], len(v.charts), [s.key for s in v.after]
    (['people', 'pairs'], 3, ['topics', 'sources'])
    """
    from coopkit.report import sales_charts_team as charts

    sharing = a.details["sharing"]
    people = sharing.people
    before = [
        Section(
            "people",
            "Who gives and who takes help",
            report_html.frame_html(
                people.assign(reciprocity_text=[_share(x) for x in people["reciprocity"]]),
                [
                    ("gives", "Gives (times)", "int"),
                    ("takes", "Takes (times)", "int"),
                    ("helped", "People helped", "int"),
                    ("helpers", "Helped by", "int"),
                    ("reciprocity_text", "Ties returned", "text"),
                    ("role", "Role", "text"),
                ],
                css="coopkit-people-table",
                index_label="Person",
                caption="From the help log; 'ties returned' is the share of a person's helping ties that run both "
                "ways.",
            ),
        ),
    ]
    m = sharing.mentoring
    if m is not None:
        pairs = m.pairs
        if len(pairs):
            body = report_html.frame_html(
                pairs.set_index("mentee"),
                [
                    ("mentor", "Mentor", "text"),
                    ("benefit", "Benefit", "number"),
                    ("gap", "Skill points ahead", "int"),
                    ("focus", "Focus on", "text"),
                    ("already_helped", "Already helped (times)", "int"),
                ],
                css="coopkit-pairs-table",
                index_label="Mentee",
                caption=f"At most {m.limit} mentees per mentor; benefit = skill points the mentor is ahead, weighted "
                "by how much the mentee needs each area. The pairs maximise the total benefit.",
            )
        else:
            body = "<div class='coopkit-note'>No pairs: no mentor is ahead of a mentee in any skill area.</div>"
        if m.unmatched:
            body += (
                "<div class='coopkit-note coopkit-unmatched'>No mentor for: "
                + html.escape(", ".join(m.unmatched))
                + "</div>"
            )
        before.append(Section("pairs", "Peer-mentoring pairs", body))
    after = []
    if len(sharing.topics):
        after.append(
            Section(
                "topics",
                "Help by topic",
                report_html.frame_html(
                    sharing.topics,
                    [
                        ("times", "Times", "int"),
                        ("top_helper", "Helps most", "text"),
                        ("top_helper_times", "Times by them", "int"),
                    ],
                    css="coopkit-topics-table",
                    index_label="Topic",
                ),
            )
        )
    after.append(Section("sources", "Sources", sources_html(helpnet.SOURCES)))
    charts_ = [
        Chart(
            "Help network: arrows from helper to helped, people coloured by role",
            lambda: charts.network_chart(sharing.graph, people),
            wide=True,
        ),
        Chart("Help given and received per person", lambda: charts.balance_chart(people)),
    ]
    if m is not None and not m.benefit.empty:
        charts_.append(
            Chart(
                "Benefit of each mentee-mentor pair, the chosen pairs framed",
                lambda: charts.benefit_chart(m.benefit, m.pairs),
            )
        )
    return View(before=before, charts=charts_, after=after)
