"""Sales worksheet 2: team culture check. Do our reps compete in a healthy way, or are there toxic signals?

The team answers a short anonymous survey (uploaded as a CSV, one row per
respondent, optionally with a team or region column): Edmondson's seven-item
psychological-safety scale [Edmondson1999]_ and coopkit's own scales for
healthy competition, collaboration and toxic signals. The worksheet scores
each scale, checks its reliability with Cronbach's alpha [Cronbach1951]_,
places each group on a healthy-vs-toxic map and ranks five practices by where
the team is weakest. Every formula, item and source is in
:mod:`coopkit.frameworks.survey`.

**Anonymous by design**: no figure is ever shown for fewer than five answers.
Groups under five are pooled as "Other (pooled)" (with the next-smallest
groups when the pool is still under five, so that nothing can be worked out by
difference), and the worksheet says so.

The verdict reads the map, split at the scale's midpoint (4 of 7; coopkit's
convention, not a validated cut-off): *toxic signals* when the whole team's
toxic-signals score reaches the midpoint or its psychological safety is under
it; *mixed signals* when a group shown does; otherwise the team's corner,
*healthy rivalry* or *comfortable* (little drive to compete).

References
----------
.. [Edmondson1999] Edmondson, A. (1999). "Psychological safety and learning
   behavior in work teams". *Administrative Science Quarterly* 44(2), 350-383.
.. [Cronbach1951] Cronbach, L. J. (1951). "Coefficient alpha and the internal
   structure of tests". *Psychometrika* 16(3), 297-334.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import pandas as pd
from pydantic import Field

from coopkit.frameworks import survey as sv
from coopkit.frameworks.findings import Finding
from coopkit.options.base import Assessment, InputsModel, Problem, Worksheet, register
from coopkit.options.common import text_problem

__all__ = ["Inputs", "assess", "SHEET", "MAX_CHARS"]

#: Longest survey text accepted, in characters.
MAX_CHARS = 600_000

_SURVEY_HELP = (
    "One row per respondent, no names: a column per question (ps1 to ps7, hc1 to hc4, co1 to co4, tx1 to tx5; "
    "the questions are listed under the results) holding 1 (strongly disagree) to 7 (strongly agree) or blank, "
    "and optionally a group column such as team or region."
)


class Inputs(InputsModel):
    """What a sales leader enters for the team culture check."""

    survey: str = Field(
        "",
        max_length=MAX_CHARS,
        title="Survey answers",
        description="The survey export as CSV (UTF-8; comma, semicolon or tab). " + _SURVEY_HELP,
        json_schema_extra={"widget": "upload", "accept": ".csv,.txt", "unit": ""},
    )
    group_column: str = Field(
        "team",
        max_length=40,
        title="Group column",
        description="The column that says which team or region each answer comes from; leave blank to see the "
        "whole team only.",
        json_schema_extra={"unit": "", "format_hint": "a column name of the survey, or blank"},
    )
    scale_points: Literal[7, 5] = Field(
        7,
        title="Answer scale",
        description="How many points the agreement scale has: 1 to 7 (as in Edmondson 1999) or 1 to 5.",
        json_schema_extra={"unit": "points", "labels": {7: "1 to 7", 5: "1 to 5"}},
    )
    min_group: int = Field(
        sv.MIN_GROUP,
        ge=sv.MIN_GROUP,
        le=50,
        title="Smallest group shown",
        description="No figure is shown for fewer answers than this (5 at least): smaller groups are pooled.",
        json_schema_extra={"unit": "answers", "section": "Advanced"},
    )

    def result(self) -> sv.CultureResult:
        """The survey read and scored (InputError naming the column and lines when it cannot be)."""
        return _analyse(self.survey, self.group_column.strip(), self.scale_points, self.min_group)

    def problems(self) -> list[Problem]:
        """The survey must be given, readable, and hold at least ``min_group`` usable answers."""
        if not self.survey.strip():
            return [Problem(("survey",), "Survey answers is empty: " + sv._HINT)]
        return text_problem(self, "survey", self.result)


@lru_cache(maxsize=8)
def _analyse(text: str, group_column: str, points: int, minimum: int) -> sv.CultureResult:
    """Read and score a survey once for the problem check and the assessment (cached on the inputs)."""
    parsed = sv.read_survey(text, group_column=group_column, points=points)
    return sv.analyse(parsed, minimum)


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _verdict(result: sv.CultureResult) -> tuple[str, str, list[Finding]]:
    """Verdict, level and the findings that drive them."""
    points = result.points
    mid = (points + 1) / 2
    whole = result.whole
    groups = result.groups.drop(index=sv.WHOLE_TEAM)
    findings: list[Finding] = []
    for name, row in groups.iterrows():
        if row["toxic_signals"] >= mid or row["psych_safety"] < mid:
            findings.append(
                Finding(
                    "bad" if row["toxic_signals"] >= mid and row["psych_safety"] < mid else "caution",
                    f"{name}: {row['corner']}, toxic signals {_fmt(row['toxic_signals'])} and psychological safety "
                    f"{_fmt(row['psych_safety'])} of {points} ({row['answers']} answers).",
                )
            )
    flagged = [str(name) for name, row in groups.iterrows() if row["toxic_signals"] >= mid or row["psych_safety"] < mid]
    if whole["toxic_signals"] >= mid or whole["psych_safety"] < mid:
        level = "bad"
        verdict = "toxic signals" if whole["toxic_signals"] >= mid else "unsafe to speak up"
        findings.insert(
            0,
            Finding(
                "bad",
                f"The whole team shows {verdict}: toxic signals {_fmt(whole['toxic_signals'])}, psychological "
                f"safety {_fmt(whole['psych_safety'])} of {points} (midpoint {mid:g}).",
            ),
        )
    elif flagged:
        level, verdict = "caution", "mixed signals"
        findings.insert(
            0,
            Finding(
                "caution",
                f"The team as a whole is in the {whole['corner']} corner, but {', '.join(flagged)} "
                f"{'shows' if len(flagged) == 1 else 'show'} toxic signals or low psychological safety.",
            ),
        )
    else:
        level, verdict = "good", str(whole["corner"])
        text = (
            "Every group shown competes without toxic signals and feels safe to speak up."
            if whole["healthy_competition"] >= mid
            else "No toxic signals, but little drive to compete: the team is comfortable."
        )
        findings.insert(0, Finding("good", text))
    return verdict, level, findings


def assess(inputs: Inputs) -> Assessment:
    """Assess the team culture survey.

    Returns
    -------
    Assessment
        Verdict *healthy rivalry* / *comfortable* (good), *mixed signals*
        (caution) or *toxic signals* / *unsafe to speak up* (bad); ``parties``
        the scale scores of each group shown and the whole team (1 to
        ``scale_points``); tables ``groups``, ``reliability``, ``items`` and
        ``practices``; ``details["result"]`` the
        :class:`~coopkit.frameworks.sv.CultureResult`.

    Examples
    --------
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> a = assess(Inputs(**read_case(sample_case("sales_culture.json")).inputs))
    >>> a.verdict, a.parties.index.tolist()
    ('mixed signals', ['Enterprise', 'Metro', 'South', 'Other (pooled)', 'Whole team'])
    """
    result = inputs.result()
    verdict, level, findings = _verdict(result)
    whole = result.whole
    points = result.points
    findings.append(Finding("info", result.pooling.note()))
    top = result.practices.head(2)
    first, second = top.index[0], top.index[1]
    findings.append(
        Finding(
            "info",
            f"Start with {first.lower()} and {second.lower()}: they address where the team is weakest "
            f"({top.iloc[0]['weakest'].lower()} {_fmt(top.iloc[0]['score'])} of {points}).",
        )
    )
    for scale, row in result.reliability.iterrows():
        if pd.isna(row["alpha"]):
            findings.append(Finding("info", f"{scale}: Cronbach's alpha cannot be computed (answers do not vary)."))
        elif row["alpha"] < 0.7:
            findings.append(
                Finding(
                    "caution",
                    f"{scale}: Cronbach's alpha {row['alpha']:.2f} ({row['reading']}), under the usual 0.70: its "
                    "items do not hang together well in this team, so read its score with care.",
                )
            )
    if result.dropped_lines:
        lines = ", ".join(str(x) for x in result.dropped_lines[:8]) + ("..." if len(result.dropped_lines) > 8 else "")
        n = len(result.dropped_lines)
        findings.append(
            Finding(
                "info",
                f"{n} answer{'s are' if n > 1 else ' is'} left out: fewer than half of a scale's questions answered "
                f"(line{'s' if n > 1 else ''} {lines}).",
            )
        )
    if result.unused_columns:
        findings.append(Finding("info", f"Columns not used: {', '.join(result.unused_columns)}."))
    if not result.grouped:
        findings.append(Finding("info", "No group column: the results are for the whole team only."))
    pooled = len(result.pooling.small) + len(result.pooling.secondary)
    where = f" from {len(result.pooling.labels)} groups" if result.grouped else ""
    where += f" ({pooled} pooled)" if pooled else ""
    headline = (
        f"{result.used} answers{where}. Whole team, of {points}: psychological safety "
        f"{_fmt(whole['psych_safety'])}, healthy competition {_fmt(whole['healthy_competition'])}, collaboration "
        f"{_fmt(whole['collaboration'])}, toxic signals {_fmt(whole['toxic_signals'])}."
    )
    return Assessment(
        worksheet="sales_culture",
        verdict=verdict,
        level=level,
        passed=level != "bad",
        headline=headline,
        findings=findings,
        parties=result.groups,
        tables={
            "groups": result.groups,
            "reliability": result.reliability,
            "items": result.items,
            "practices": result.practices,
        },
        details={"result": result},
        currency="",
        assumptions=[
            f"Scores are the mean answers on a 1-{points} agreement scale, negatively worded psychological-safety "
            f"items reversed; the map is split at the midpoint {(points + 1) / 2:g} (a convention, not a validated "
            "cut-off).",
            "Psychological safety is Edmondson's (1999) published seven-item scale; healthy competition, "
            "collaboration and toxic signals are coopkit's own items, written after published constructs, not a "
            "validated instrument.",
            "Answers are honest: people answer more kindly when they fear being identified, which is why no figure "
            f"is shown for fewer than {result.pooling.minimum} answers.",
            "Practices are ranked by coopkit's weights of the scales each one addresses; they are places to start, "
            "not a prescription.",
        ],
    )


SHEET = register(
    Worksheet(
        name="sales_culture",
        title="Team culture check",
        kind="sales",
        inputs=Inputs,
        assess=assess,
        summary="An anonymous survey: psychological safety, healthy competition, collaboration and toxic signals by "
        "team, and the practices to start with.",
        sample="sales_culture.json",
    )
)
