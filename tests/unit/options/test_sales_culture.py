"""Tests for coopkit.options.sales.culture: the team culture check worksheet, its anonymity rule and its panel."""

from __future__ import annotations

import copy
import html
import re

import numpy as np
import pytest

from coopkit import options
from coopkit.frameworks import survey as sv
from coopkit.options.base import Problem, validate
from coopkit.options.sales.culture import SHEET, Inputs, assess
from coopkit.report import views
from coopkit.store.casefile import read_case, sample_case

CODES = [item.code for item in sv.ITEMS]
HEADER = ",".join(["team", *CODES])


def answers(team: str, ps: float, hc: float, co: float, tx: float) -> str:
    """A line whose every item gives the scale score (psychological-safety items 1, 3 and 5 answered reversed)."""
    level = {"psych_safety": ps, "healthy_competition": hc, "collaboration": co, "toxic_signals": tx}
    cells = [str(int(8 - level[i.scale] if i.reverse else level[i.scale])) for i in sv.ITEMS]
    return ",".join([team, *cells])


def survey(*groups: tuple[str, int, tuple]) -> str:
    """A survey of ``(team, answers, (ps, hc, co, tx))`` groups; each group's answers vary by one point."""
    lines = [HEADER]
    for team, n, (ps, hc, co, tx) in groups:
        for j in range(n):
            d = j % 2
            lines.append(answers(team, ps - d, hc - d, co - d, tx + d - 1 if tx > 1 else tx))
    return "\n".join(lines) + "\n"


def sample_data() -> dict:
    return copy.deepcopy(read_case(sample_case("sales_culture.json")).inputs)


def run(data: dict):
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


def messages(data: dict) -> list[str]:
    return [p.message for p in validate(Inputs, data)[1]]


def panel_text(a) -> str:
    """Every text a reader sees: verdict, findings, sections, chart titles and labels."""
    from matplotlib.text import Text

    panel = views.view(a)
    parts = [a.verdict, a.headline, *(f.text for f in a.findings), *a.assumptions]
    parts += [s.html for s in panel.before + panel.after]
    for chart in panel.charts:
        fig = chart.build()
        parts += [t.get_text() for t in fig.findobj(Text)]
        parts += [str(label.get_text()) for ax in fig.axes for label in ax.get_yticklabels() + ax.get_xticklabels()]
    return "\n".join(parts)


# --------------------------------------------------------------------------- the sample
def test_registered_as_a_sales_worksheet_with_its_sample():
    assert options.get("sales_culture") is SHEET
    assert SHEET.kind == "sales" and SHEET.sample == "sales_culture.json"
    assert sample_case("sales_culture.json").stat().st_size < 1_000_000


def test_every_field_has_a_title_a_description_and_a_unit():
    for name, info in Inputs.model_fields.items():
        assert info.title and info.description, name
        assert "unit" in info.json_schema_extra, name


def test_sample_shows_metro_with_toxic_signals_and_pools_channel():
    a = run(sample_data())
    assert (a.verdict, a.level, a.passed) == ("mixed signals", "caution", True)
    assert a.parties.index.tolist() == ["Enterprise", "Metro", "South", sv.OTHER, sv.WHOLE_TEAM]
    assert a.parties.loc["Metro", "corner"] == "cut-throat rivalry"
    assert a.findings[0].text.startswith("The team as a whole is in the healthy rivalry corner, but Metro shows")
    assert any("pooled with the smallest other group" in f.text for f in a.findings)
    assert a.headline.startswith("40 answers from 5 groups (2 pooled). Whole team, of 7: psychological safety 5.1")
    assert list(a.tables) == ["groups", "reliability", "items", "practices"]


def test_the_team_of_three_is_never_shown_on_its_own():
    a = run(sample_data())
    text = panel_text(a)
    assert "Channel" not in text
    assert "North" not in text  # pooled with Channel so that Channel cannot be worked out by difference
    for table in (a.tables["groups"],):
        assert (table["answers"] >= 5).all()
    assert a.tables["groups"]["answers"].drop(sv.WHOLE_TEAM).sum() == a.tables["groups"].loc[sv.WHOLE_TEAM, "answers"]
    assert (a.tables["items"]["answers"] >= 5).all()


def test_two_small_groups_that_reach_five_together_are_pooled_and_the_worksheet_says_so():
    text = survey(
        ("North", 6, (6, 5, 6, 2)), ("South", 7, (6, 5, 6, 2)), ("Tiny", 3, (2, 2, 2, 6)), ("Mini", 2, (2, 2, 2, 6))
    )
    a = run({"survey": text})
    assert a.parties.index.tolist() == ["North", "South", sv.OTHER, sv.WHOLE_TEAM]
    assert a.parties.loc[sv.OTHER, "answers"] == 5
    note = next(f.text for f in a.findings if f.text.startswith("No figure is shown"))
    assert (
        note
        == 'No figure is shown for fewer than 5 answers. 2 groups with fewer than 5 answers are pooled as "Other (pooled)".'
    )
    text = panel_text(a)
    assert "Tiny" not in text and "Mini" not in text


def test_a_higher_minimum_pools_more_groups():
    data = sample_data()
    data["min_group"] = 10
    a = run(data)
    assert all(n >= 10 for n in a.parties["answers"])
    assert "Metro" not in a.parties.index  # 9 answers


def test_the_minimum_cannot_be_set_under_five():
    data = sample_data()
    data["min_group"] = 3
    assert messages(data) == ["Smallest group shown must be between 5 and 50, got 3"]


def test_fewer_than_five_answers_are_refused_with_the_reason():
    text = survey(("North", 4, (6, 5, 6, 2)))
    assert messages({"survey": text}) == [
        "Survey answers: 4 usable answers; at least 5 are needed so that no answer can be traced to a person"
    ]


# --------------------------------------------------------------------------- verdicts
def test_a_healthy_team():
    a = run({"survey": survey(("North", 6, (6, 6, 6, 2)), ("South", 6, (6, 5, 6, 2)))})
    assert (a.verdict, a.level) == ("healthy rivalry", "good")
    assert a.findings[0].text == "Every group shown competes without toxic signals and feels safe to speak up."


def test_a_comfortable_team_without_drive():
    a = run({"survey": survey(("North", 6, (6, 3, 6, 2)))})
    assert (a.verdict, a.level) == ("comfortable", "good")
    assert "little drive to compete" in a.findings[0].text
    assert a.tables["practices"].index[0] == "Win-sharing"


def test_a_toxic_team_is_a_no():
    a = run({"survey": survey(("North", 6, (3, 5, 3, 6)), ("South", 6, (4, 5, 4, 5)))})
    assert (a.verdict, a.level, a.passed) == ("toxic signals", "bad", False)
    assert a.findings[0].level == "bad"


def test_an_unsafe_team_without_toxic_signals():
    a = run({"survey": survey(("North", 6, (3, 5, 5, 3)))})
    assert (a.verdict, a.level) == ("unsafe to speak up", "bad")
    assert a.tables["practices"].index[0] == "Deal review"


def test_a_five_point_survey():
    lines = [HEADER] + [",".join(["A", *(["4"] * 20)])] * 3 + [",".join(["A", *(["5"] * 20)])] * 3
    a = run({"survey": "\n".join(lines), "scale_points": 5})
    assert a.parties.loc[sv.WHOLE_TEAM, "psych_safety"] == pytest.approx((4 * 4 + 3 * 2 + 5 * 4 + 3 * 1) / 14)
    assert "of 5" in a.headline


def test_no_group_column_gives_the_whole_team_only():
    a = run({"survey": sample_data()["survey"], "group_column": ""})
    assert a.parties.index.tolist() == ["All", sv.WHOLE_TEAM]
    assert any(f.text.startswith("No group column") for f in a.findings)
    assert any(f.text == "Columns not used: team." for f in a.findings)


def test_low_reliability_is_flagged():
    rng = np.random.default_rng(5)
    lines = [HEADER] + [",".join(["A", *(str(v) for v in rng.integers(1, 8, 20))]) for _ in range(12)]
    a = run({"survey": "\n".join(lines)})
    flagged = [f.text for f in a.findings if "Cronbach's alpha" in f.text]
    assert flagged and all(re.search(r"alpha -?\d\.\d\d \(\w+\), under the usual 0.70", t) for t in flagged)


# --------------------------------------------------------------------------- problems
def test_an_empty_survey_asks_for_one():
    assert messages({"survey": "  "}) == [
        "Survey answers is empty: paste a CSV table with a header row, or load one with the Load file button"
    ]


def test_a_broken_survey_names_the_column_the_rule_and_the_line():
    data = sample_data()
    lines = data["survey"].splitlines()
    cells = lines[7].split(",")
    cells[5] = "9"  # ps5 on line 8
    lines[7] = ",".join(cells)
    data["survey"] = "\n".join(lines)
    inputs, problems = validate(Inputs, data)
    assert inputs is None
    assert problems == [
        Problem(
            ("survey",),
            "Survey answers: column 'ps5' must hold whole numbers from 1 to 7, or be blank, got '9' on line 8",
        )
    ]


def test_a_missing_group_column_is_explained():
    (message,) = messages({"survey": sample_data()["survey"], "group_column": "region"})
    assert "column 'region' (the group column) is missing" in message


def test_a_survey_too_long_is_refused_by_its_length():
    (message,) = messages({"survey": "x" * 600_001})
    assert message.startswith("Survey answers must be 0 to 600000 characters long")


# --------------------------------------------------------------------------- the panel
def test_panel_sections_and_charts():
    a = run(sample_data())
    panel = views.view(a)
    assert [s.key for s in panel.before] == ["anonymity", "groups", "practices"]
    assert [s.key for s in panel.after] == ["reliability", "items", "sources"]
    assert len(panel.charts) == 3 and panel.charts[2].wide
    groups = panel.before[1].html
    assert "<td>Metro</td>" in groups and "cut-throat rivalry" in groups
    items = panel.after[1].html
    assert "If you make a mistake on this team, it is often held against you." in items
    assert "Edmondson, A. (1999)" in panel.after[2].html
    assert panel.charts[0].build().axes[0].get_title() == "Metro is in the cut-throat rivalry corner"


def test_group_names_are_escaped_in_the_panel_and_literal_in_charts():
    text = survey(("<b>A$x$</b>", 6, (6, 5, 6, 2)), ("B", 6, (3, 5, 3, 6)))
    a = run({"survey": text})
    panel = views.view(a)
    table = panel.before[1].html
    assert "&lt;b&gt;A$x$&lt;/b&gt;" in table and "<b>A$x$</b>" not in table
    fig = panel.charts[0].build()
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "<b>A$x$</b>" in labels


def test_the_live_worksheet_shows_the_sample_and_keeps_a_broken_survey_as_typed():
    from coopkit.ui.worksheet import LiveWorksheet

    ws = LiveWorksheet(SHEET)
    assert ws.assessment is not None and ws.problems == []
    assert "coopkit-groups-table" in ws.sections["groups"].value
    box = ws.form._top["survey"].box
    broken = box.value.replace("team,ps1", "team,psx", 1)
    box.value = broken
    assert box.value == broken
    assert "column 'ps1' is missing" in html.unescape(ws.form._top["survey"].error.value)
    assert "coopkit-stale" in ws.results._dom_classes
