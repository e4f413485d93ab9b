"""Sales worksheet 3: knowledge sharing and mentoring. Who helps whom, who is left out, and who should mentor whom?

From a who-helped-whom log (helper, helped, date, topic), the help network
[Wasserman1994]_: who gives, who only takes, who is isolated, how much help is
returned and how much rests on a few people [Cross2016]_. From a reps table
(name, tenure, quota attainment, a score per skill area), peer-mentoring pairs
that match top performers to newer reps where the gap is largest, each mentor
taking at most a set number of mentees: an assignment problem solved exactly
[Kuhn1955]_. Every formula and source is in :mod:`coopkit.frameworks.helpnet`.

The verdict: *many reps isolated* (bad) when at least a quarter of the reps
give and get no help at all; *help flows unevenly* (caution) when someone is
isolated, the top fifth of the people give more than half of all help, or a mentee
finds no mentor; *help flows* (good) otherwise. These thresholds are
coopkit's conventions.

References
----------
.. [Wasserman1994] Wasserman, S. and Faust, K. (1994). *Social Network
   Analysis: Methods and Applications*. Cambridge University Press.
.. [Cross2016] Cross, R., Rebele, R. and Grant, A. (2016). "Collaborative
   overload". *Harvard Business Review* 94(1), 74-79.
.. [Kuhn1955] Kuhn, H. W. (1955). "The Hungarian method for the assignment
   problem". *Naval Research Logistics Quarterly* 2(1-2), 83-97.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import networkx as nx
import pandas as pd
from pydantic import Field

from coopkit.frameworks import helpnet
from coopkit.frameworks.findings import Finding
from coopkit.options.base import Assessment, InputsModel, Problem, Worksheet, register
from coopkit.options.common import text_problem

__all__ = ["Inputs", "assess", "SHEET", "MAX_CHARS", "ISOLATED_SHARE", "TOP_SHARE"]

#: Longest log or reps text accepted, in characters.
MAX_CHARS = 600_000
#: Share of reps isolated from which the verdict is bad.
ISOLATED_SHARE = 0.25
#: Share of all help given by the top fifth of the people above which the help rests on too few of them.
TOP_SHARE = 0.5


class Inputs(InputsModel):
    """What a sales leader enters for knowledge sharing and mentoring."""

    help_log: str = Field(
        "",
        max_length=MAX_CHARS,
        title="Help log",
        description="Who helped whom, as CSV (UTF-8): one row each time someone helped a colleague, with columns "
        "helper, helped, date (YYYY-MM-DD) and, optionally, topic. From a CRM's activity log, a Slack channel or a "
        "weekly form.",
        json_schema_extra={"widget": "upload", "accept": ".csv,.txt", "unit": ""},
    )
    reps: str = Field(
        "",
        max_length=MAX_CHARS,
        title="Reps",
        description="The reps, as CSV (UTF-8): columns name, tenure_months, quota_attainment (1.05 or 105%) and "
        "one column per skill area named skill_<area> (e.g. skill_negotiation) scored 1 to the top of the skill "
        "scale. Reps missing from the help log show as isolated.",
        json_schema_extra={"widget": "upload", "accept": ".csv,.txt", "unit": ""},
    )
    mentor_min_attainment: float = Field(
        1.0,
        ge=0,
        le=helpnet.MAX_ATTAINMENT,
        title="Mentors: quota attainment",
        description="A mentor has reached at least this share of quota (1 = 100 %).",
        json_schema_extra={"unit": "share of quota"},
    )
    mentor_min_tenure: float = Field(
        24.0,
        ge=0,
        le=helpnet.MAX_TENURE,
        title="Mentors: tenure",
        description="A mentor has been with the team at least this long.",
        json_schema_extra={"unit": "months"},
    )
    mentee_max_tenure: float = Field(
        12.0,
        ge=0,
        le=helpnet.MAX_TENURE,
        title="Mentees: tenure under",
        description="Reps who joined less than this long ago are mentees.",
        json_schema_extra={"unit": "months"},
    )
    mentees_per_mentor: int = Field(
        2,
        ge=1,
        le=10,
        title="Mentees per mentor",
        description="Most mentees one mentor takes on (mentoring takes time away from selling).",
        json_schema_extra={"unit": "mentees"},
    )
    skill_top: Literal[5, 10] = Field(
        5,
        title="Skill scale",
        description="The top of the scale the skill scores use: 1 to 5 or 1 to 10.",
        json_schema_extra={"unit": "points", "labels": {5: "1 to 5", 10: "1 to 10"}},
    )

    def log(self) -> pd.DataFrame | None:
        """The help log read and checked (None when blank)."""
        return _log(self.help_log) if self.help_log.strip() else None

    def rep_table(self) -> pd.DataFrame | None:
        """The reps table read and checked (None when blank)."""
        return _reps(self.reps, self.skill_top) if self.reps.strip() else None

    def problems(self) -> list[Problem]:
        """Something to analyse, readable tables, and mentee tenure not above mentor tenure."""
        out: list[Problem] = []
        if not self.help_log.strip() and not self.reps.strip():
            out.append(
                Problem(("help_log",), "Help log and Reps are both empty: give a help log, a reps table or both")
            )
        out += text_problem(self, "help_log", self.log)
        out += text_problem(self, "reps", self.rep_table)
        if self.mentee_max_tenure > self.mentor_min_tenure:
            out.append(
                Problem(
                    ("mentee_max_tenure",),
                    f"Mentees: tenure under must be at most Mentors: tenure ({self.mentor_min_tenure:g} months), "
                    f"got {self.mentee_max_tenure:g}",
                )
            )
        return out


@lru_cache(maxsize=8)
def _log(text: str) -> pd.DataFrame:
    return helpnet.read_help_log(text)


@lru_cache(maxsize=8)
def _reps(text: str, top: int) -> pd.DataFrame:
    return helpnet.read_reps(text, skill_top=top)


@dataclass(frozen=True)
class Sharing:
    """What the worksheet computed: the network, its table and summary, topics and the mentoring pairs."""

    graph: nx.DiGraph
    people: pd.DataFrame
    summary: helpnet.NetworkSummary
    topics: pd.DataFrame
    mentoring: helpnet.Mentoring | None
    not_in_reps: tuple[str, ...]
    has_log: bool
    has_reps: bool


def _names(names) -> str:
    """Names in a sentence: "A", "A and B", "A, B and C", "A, B, C, D and 2 more"."""
    names = [str(n) for n in names]
    if len(names) > 4:
        return ", ".join(names[:4]) + f" and {len(names) - 4} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _period(summary: helpnet.NetworkSummary) -> str:
    if summary.first is None:
        return ""
    return f" from {summary.first.isoformat()} to {summary.last.isoformat()}"


def analyse(inputs: Inputs) -> Sharing:
    """The help network, its per-person table and summary, topics and mentoring pairs of valid inputs.

    Examples
    --------
    >>> s = analyse(Inputs(help_log="helper,helped,date\\nAna,Ben,2025-01-06\\n",
    ...                    reps="name,tenure_months,quota_attainment,skill_demo\\nAna,30,1.2,5\\nBen,3,0.5,2\\nCy,14,1,3\\n"))
    >>> s.people["role"].to_dict(), s.mentoring.pairs[["mentee", "mentor"]].values.tolist()
    ({'Ana': 'only gives', 'Ben': 'only takes', 'Cy': 'isolated'}, [['Ben', 'Ana']])
    """
    log = inputs.log()
    reps = inputs.rep_table()
    empty = pd.DataFrame({"helper": [], "helped": [], "date": pd.to_datetime([]), "topic": []})
    people = list(reps.index) if reps is not None else []
    graph = helpnet.help_network(log if log is not None else empty, people)
    table = helpnet.network_table(graph)
    summary = helpnet.summarise(graph, table, log)
    keys = {helpnet.name_key(n) for n in people}
    not_in_reps = tuple(n for n in graph.nodes if reps is not None and helpnet.name_key(n) not in keys)
    pairs = None
    if reps is not None:
        pairs = helpnet.mentoring(
            reps,
            min_attainment=inputs.mentor_min_attainment,
            min_tenure=inputs.mentor_min_tenure,
            max_mentee_tenure=inputs.mentee_max_tenure,
            limit=inputs.mentees_per_mentor,
            top=inputs.skill_top,
            graph=graph if log is not None else None,
        )
    return Sharing(
        graph, table, summary, helpnet.topic_table(graph), pairs, not_in_reps, log is not None, reps is not None
    )


def assess(inputs: Inputs) -> Assessment:
    """Assess knowledge sharing and mentoring.

    Returns
    -------
    Assessment
        Verdict *help flows* (good), *help flows unevenly* (caution) or *many
        reps isolated* (bad); ``parties`` the network table (one row per
        person: gives, takes, helped, helpers, reciprocity, role); tables
        ``people``, ``topics``, ``pairs`` and ``benefit``; ``details["sharing"]``
        the :class:`Sharing`.

    Examples
    --------
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> a = assess(Inputs(**read_case(sample_case("sales_mentoring.json")).inputs))
    >>> a.verdict, len(a.tables["pairs"])
    ('help flows unevenly', 8)
    """
    s = analyse(inputs)
    summary, people = s.summary, s.people
    findings: list[Finding] = []
    reps_count = len(people) - len(s.not_in_reps)
    isolated = [p for p in summary.isolated if p not in s.not_in_reps]
    level = "good"
    if s.has_reps and reps_count and len(isolated) / reps_count >= ISOLATED_SHARE:
        level = "bad"
        findings.append(
            Finding(
                "bad",
                f"{len(isolated)} of {reps_count} reps ({len(isolated) / reps_count:.0%}) neither gave nor got help "
                f"in the log: {_names(isolated)}.",
            )
        )
    elif isolated:
        level = "caution"
        findings.append(
            Finding(
                "caution",
                f"{_names(isolated)} neither gave nor got help in the log: bring "
                f"{'them' if len(isolated) > 1 else 'this rep'} into huddles or a mentoring pair.",
            )
        )
    if summary.events and summary.top_share > TOP_SHARE:
        level = "caution" if level == "good" else level
        findings.append(
            Finding(
                "caution",
                f"{_names(summary.top_givers)} (the top fifth) gave {summary.top_share:.0%} of all help: a few people carry the "
                "team's knowledge sharing, a risk of overload and of a gap when one of them leaves.",
            )
        )
    if summary.only_takes:
        findings.append(
            Finding(
                "info",
                f"Only take, never give: {_names(summary.only_takes)}. Normal for new reps; for others, ask them "
                "to share what they know.",
            )
        )
    if summary.ties:
        findings.append(
            Finding(
                "info",
                f"{summary.events} times help was given{_period(summary)}, along {summary.ties} helper-to-helped "
                f"ties; {summary.reciprocity:.0%} of ties were returned.",
            )
        )
    elif s.has_log:
        findings.append(Finding("info", "The help log holds no help given."))
    else:
        findings.append(Finding("info", "No help log: everyone shows as isolated until one is given."))
    m = s.mentoring
    if m is not None:
        if not m.mentors or not m.mentees:
            findings.append(
                Finding(
                    "caution" if not m.mentors and m.mentees else "info",
                    f"{len(m.mentors)} reps qualify as mentors and {len(m.mentees)} as mentees: "
                    + (
                        "lower the mentors' attainment or tenure to pair the newer reps."
                        if not m.mentors and m.mentees
                        else "no pairs to make."
                    ),
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    f"{len(m.pairs)} mentoring pairs from {len(m.mentors)} mentors and {len(m.mentees)} mentees, at "
                    f"most {m.limit} each; together they close a need-weighted skill gap of {m.total:.2f} points.",
                )
            )
        if m.unmatched:
            level = "caution" if level == "good" else level
            findings.append(
                Finding(
                    "caution",
                    f"No mentor for {_names(m.unmatched)}: allow more mentees per mentor or widen who can mentor.",
                )
            )
        if m.idle_mentors:
            findings.append(Finding("info", f"Mentors without a mentee: {_names(m.idle_mentors)}."))
    if s.not_in_reps:
        findings.append(
            Finding(
                "info",
                f"In the help log but not in the reps table (e.g. sales engineers): {_names(s.not_in_reps)}.",
            )
        )
    if not s.has_reps:
        findings.append(
            Finding("info", "No reps table: no mentoring pairs, and reps missing from the log cannot be seen.")
        )
    verdict = {"good": "help flows", "caution": "help flows unevenly", "bad": "many reps isolated"}[level]
    pairs = m.pairs if m is not None else pd.DataFrame()
    headline = (
        f"{summary.events} times help was given among {summary.people - len(summary.isolated)} of "
        f"{summary.people} people{_period(summary)}; {len(summary.isolated)} isolated"
        + (f"; {len(pairs)} mentoring pairs." if m is not None else ".")
    )
    return Assessment(
        worksheet="sales_mentoring",
        verdict=verdict,
        level=level,
        passed=level != "bad",
        headline=headline,
        findings=findings,
        parties=people,
        tables={
            "people": people,
            "topics": s.topics,
            "pairs": pairs,
            "benefit": m.benefit if m is not None else pd.DataFrame(),
        },
        details={"sharing": s},
        currency="",
        assumptions=[
            "The log records help given as it happened; help nobody logged is missing, so a rep can look more "
            "isolated than they are.",
            "Each logged time counts once, whatever its length or value.",
            "A pair's benefit is the skill gap the mentor can close, weighted by how much the mentee needs each area; "
            "skill scores are the manager's assessment on one scale for every area.",
            f"Isolation from {ISOLATED_SHARE:.0%} of reps and more than {TOP_SHARE:.0%} of help from the top fifth "
            "are coopkit's thresholds for the verdict.",
        ],
    )


SHEET = register(
    Worksheet(
        name="sales_mentoring",
        title="Knowledge sharing and mentoring",
        kind="sales",
        inputs=Inputs,
        assess=assess,
        summary="Who helps whom, who is isolated, and peer-mentoring pairs of top performers and newer reps.",
        sample="sales_mentoring.json",
    )
)
