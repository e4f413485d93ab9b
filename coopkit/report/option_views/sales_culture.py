"""The team culture check's result panel: anonymity, scores by group, practices, reliability and the questions."""

from __future__ import annotations

import html
import math

from coopkit.frameworks import survey
from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, register_view

__all__ = ["culture_view", "sources_html"]

_SCALE_COLUMNS = [(key, scale.title, "number") for key, scale in survey.SCALES.items()]


def _maybe(x: float, fmt: str) -> str:
    """A figure, or a dash when it is not shown (too few answers).

    Examples
    --------
    >>> _maybe(float("nan"), "{:.2f}"), _maybe(0.5, "{:.0%}")
    ('–', '50%')
    """
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)


def sources_html(sources) -> str:
    """A list of sources, escaped.

    Examples
    --------
    >>> sources_html(["A <b>", "B"])
    "<ul class='coopkit-sources'><li>A &lt;b&gt;</li><li>B</li></ul>"
    """
    return "<ul class='coopkit-sources'>" + "".join(f"<li>{html.escape(s)}</li>" for s in sources) + "</ul>"


def _anonymity_html(result: survey.CultureResult) -> str:
    return (
        f"<div class='coopkit-note coopkit-anonymity'>{html.escape(result.pooling.note())} Question-level figures "
        "and reliability are for the whole team only; no single answer is ever shown.</div>"
    )


@register_view("sales_culture")
def culture_view(a: Assessment) -> View:
    """Scores by group, practices to try; the map, practices and questions charts; reliability, questions, sources.

    Examples
    --------
    >>> from coopkit import options
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("sales_culture")
    >>> v = culture_view(sheet.assess(sheet.inputs(**read_case(sample_case(sheet.sample)).inputs)))
    >>> [s.key for s in v.before], len(v.charts), [s.key for s in v.after]
    (['anonymity', 'groups', 'practices'], 3, ['reliability', 'items', 'sources'])
    """
    from coopkit.report import sales_charts_team as charts

    result: survey.CultureResult = a.details["result"]
    points = result.points
    groups = result.groups
    practices = result.practices
    before = [
        Section("anonymity", "Anonymity", _anonymity_html(result)),
        Section(
            "groups",
            f"Scores by group (1 to {points})",
            report_html.frame_html(
                groups,
                [("answers", "Answers", "int"), *_SCALE_COLUMNS, ("corner", "Corner of the map", "text")],
                css="coopkit-groups-table",
                index_label="Group",
                caption=f"Mean scores, 1 to {points}: higher is better, except toxic signals (lower is better).",
            ),
        ),
        Section(
            "practices",
            "Practices to try, most needed first",
            report_html.frame_html(
                practices.assign(score_text=[f"{x:.1f}" for x in practices["score"]]),
                [
                    ("priority", "Priority (0-1)", "number"),
                    ("weakest", "Addresses", "text"),
                    ("score_text", "Team score", "text"),
                    ("most_needed_in", "Most needed in", "text"),
                    ("what", "What it is", "text"),
                ],
                css="coopkit-practices-table",
                index_label="Practice",
            ),
        ),
    ]
    reliability = result.reliability.assign(alpha_text=[_maybe(x, "{:.2f}") for x in result.reliability["alpha"]])
    items = result.items.assign(
        reverse_text=["yes" if r else "" for r in result.items["reverse"]],
        mean_text=[_maybe(x, "{:.2f}") for x in result.items["mean_answer"]],
        agree_text=[_maybe(x, "{:.0%}") for x in result.items["agree"]],
    )
    after = [
        Section(
            "reliability",
            "Reliability: Cronbach's alpha of each scale (whole team)",
            report_html.frame_html(
                reliability,
                [
                    ("items", "Questions", "int"),
                    ("answers", "Complete answers", "int"),
                    ("alpha_text", "Alpha", "text"),
                    ("reading", "Reading", "text"),
                    ("origin", "Items from", "text"),
                ],
                css="coopkit-reliability-table",
                index_label="Scale",
            ),
        ),
        Section(
            "items",
            "The questions and the whole team's answers",
            report_html.frame_html(
                items,
                [
                    ("scale", "Scale", "text"),
                    ("text", "Statement", "text"),
                    ("reverse_text", "Reversed in the score", "text"),
                    ("answers", "Answers", "int"),
                    ("mean_text", "Mean answer", "text"),
                    ("agree_text", "Agree", "text"),
                ],
                css="coopkit-items-table",
                index_label="Column",
                caption=f"Answers 1 (strongly disagree) to {points} (strongly agree); 'Agree' is an answer above "
                f"the midpoint. Column names are the survey CSV's header: {survey.template_csv(points)}",
            ),
        ),
        Section("sources", "Sources", sources_html(survey.SOURCES)),
    ]
    charts_ = [
        Chart(
            "Healthy-vs-toxic map: each group's healthy competition and toxic signals, psychological safety as colour",
            lambda: charts.culture_map(groups, points),
        ),
        Chart(
            "Practices ranked by the team's gap on the scales they address", lambda: charts.practices_chart(practices)
        ),
        Chart(
            "Every question's whole-team score, higher is healthier",
            lambda: charts.items_chart(result.items, points),
            wide=True,
        ),
    ]
    return View(before=before, charts=charts_, after=after)
