"""Tests for coopkit.options.sales.mentoring: the knowledge-sharing and mentoring worksheet and its panel."""

from __future__ import annotations

import copy
import html

import pytest

from coopkit import options
from coopkit.options.base import Problem, validate
from coopkit.options.sales.mentoring import SHEET, Inputs, assess
from coopkit.report import views
from coopkit.store.casefile import read_case, sample_case

REPS = "name,tenure_months,quota_attainment,skill_closing,skill_discovery\n" + "\n".join(
    ["Ana,40,112%,5,3", "Ben,30,1.05,3,5", "Cy,4,0.5,1,2", "Dee,6,0.7,2,4"]
)
LOG = "helper,helped,date,topic\n" + "\n".join(
    ["Ana,Cy,2025-01-06,closing", "Ben,Dee,2025-01-08,discovery", "Dee,Cy,2025-02-01,demo", "Cy,Dee,2025-02-02,crm"]
)


def sample_data() -> dict:
    return copy.deepcopy(read_case(sample_case("sales_mentoring.json")).inputs)


def run(data: dict):
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


def messages(data: dict) -> list[str]:
    return [p.message for p in validate(Inputs, data)[1]]


# --------------------------------------------------------------------------- the sample
def test_registered_as_a_sales_worksheet_with_its_sample():
    assert options.get("sales_mentoring") is SHEET
    assert SHEET.kind == "sales" and SHEET.sample == "sales_mentoring.json"
    assert sample_case("sales_mentoring.json").stat().st_size < 1_000_000
    for name, info in Inputs.model_fields.items():
        assert info.title and info.description and "unit" in info.json_schema_extra, name


def test_sample_finds_the_isolated_the_takers_and_eight_pairs():
    a = run(sample_data())
    assert (a.verdict, a.level, a.passed) == ("help flows unevenly", "caution", True)
    s = a.details["sharing"]
    assert s.summary.isolated == ("Hugo Berg", "Sam Murphy")
    assert s.not_in_reps == ("Victor Lund",)
    assert a.findings[0].text.startswith("Hugo Berg and Sam Murphy neither gave nor got help in the log")
    assert a.findings[1].text.startswith("Ana Silva, Grace Kim, Kemi Adeyemi and Nils Larsen (the top fifth) gave 60%")
    assert len(a.tables["pairs"]) == 8 and a.tables["pairs"]["mentor"].value_counts().max() <= 2
    assert a.headline == (
        "160 times help was given among 19 of 21 people from 2025-01-02 to 2025-06-30; 2 isolated; 8 mentoring pairs."
    )
    assert a.parties.index[0] == "Ana Silva" and a.parties.loc["Ana Silva", "gives"] == 37


def test_one_mentee_per_mentor_leaves_mentees_without_one():
    data = sample_data()
    data["mentees_per_mentor"] = 1
    a = run(data)
    m = a.details["sharing"].mentoring
    assert len(m.pairs) == 5 and len(m.unmatched) == 3
    assert any(f.text.startswith("No mentor for ") for f in a.findings)


# --------------------------------------------------------------------------- verdicts and partial inputs
def test_a_small_team_where_help_flows():
    a = run({"help_log": LOG, "reps": REPS})
    assert (a.verdict, a.level) == ("help flows", "good")
    pairs = a.tables["pairs"].set_index("mentee")
    assert pairs["mentor"].to_dict() == {"Cy": "Ana", "Dee": "Ana"}  # two mentees each: Ana is ahead where they need
    assert pairs["already_helped"].to_dict() == {"Cy": 1, "Dee": 0}
    one = run({"help_log": LOG, "reps": REPS, "mentees_per_mentor": 1}).tables["pairs"].set_index("mentee")
    assert one["mentor"].to_dict() == {"Cy": "Ben", "Dee": "Ana"}


def test_many_isolated_reps_is_a_no():
    log = "helper,helped,date\nAna,Cy,2025-01-06\n"
    a = run({"help_log": log, "reps": REPS})
    assert (a.verdict, a.level, a.passed) == ("many reps isolated", "bad", False)
    assert a.findings[0].text == "2 of 4 reps (50%) neither gave nor got help in the log: Ben and Dee."


def test_a_log_alone_shows_the_network_without_pairs():
    a = run({"help_log": LOG})
    assert a.tables["pairs"].empty and a.details["sharing"].mentoring is None
    assert any(f.text.startswith("No reps table") for f in a.findings)
    assert [s.key for s in views.view(a).before] == ["people"]


def test_reps_alone_show_everyone_isolated_and_still_pair_them():
    a = run({"reps": REPS})
    assert a.level == "bad"
    assert any(f.text.startswith("No help log") for f in a.findings)
    assert len(a.tables["pairs"]) == 2


def test_no_mentor_qualifying_asks_to_widen_the_criteria():
    a = run({"help_log": LOG, "reps": REPS, "mentor_min_attainment": 2.0})
    assert any("lower the mentors' attainment or tenure" in f.text for f in a.findings)
    assert a.level == "caution"


# --------------------------------------------------------------------------- problems
def test_both_tables_empty_asks_for_one():
    assert messages({}) == ["Help log and Reps are both empty: give a help log, a reps table or both"]


def test_a_broken_log_names_the_column_and_line_and_keeps_the_reps_checked():
    data = {"help_log": LOG.replace("2025-01-08", "08/01/2025"), "reps": REPS.replace("Cy,4,0.5,1,2", "Cy,4,0.5,7,2")}
    _, problems = validate(Inputs, data)
    assert problems == [
        Problem(
            ("help_log",),
            "Help log: column 'date' must hold dates written YYYY-MM-DD, e.g. 2025-01-31, got '08/01/2025' on line 3",
        ),
        Problem(("reps",), "Reps: column 'skill_closing' must hold scores from 1 to 5, got '7' on line 4"),
    ]


def test_a_ten_point_skill_scale_is_a_choice():
    data = {"reps": REPS.replace("Cy,4,0.5,1,2", "Cy,4,0.5,7,2")}
    assert messages(data)
    assert messages({**data, "skill_top": 10}) == []


def test_mentee_tenure_must_not_exceed_mentor_tenure():
    assert messages({"reps": REPS, "mentee_max_tenure": 30, "mentor_min_tenure": 24}) == [
        "Mentees: tenure under must be at most Mentors: tenure (24 months), got 30"
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mentees_per_mentor", 0, "Mentees per mentor must be between 1 and 10, got 0"),
        ("mentor_min_attainment", 6, "Mentors: quota attainment must be between 0 and 5, got 6"),
        ("skill_top", 7, "Skill scale must be one of 5 or 10, got 7"),
    ],
)
def test_field_bounds_are_explained(field, value, message):
    assert messages({"reps": REPS, field: value}) == [message]


# --------------------------------------------------------------------------- the panel
def test_panel_sections_and_charts():
    a = run(sample_data())
    panel = views.view(a)
    assert [s.key for s in panel.before] == ["people", "pairs"]
    assert [s.key for s in panel.after] == ["topics", "sources"]
    assert len(panel.charts) == 3 and panel.charts[0].wide
    people = panel.before[0].html
    assert "<td>Hugo Berg</td>" in people and "isolated" in people
    assert "Chloé Martin" in people
    assert panel.charts[0].build().axes[0].get_title() == "Ana Silva gives the most help (37 times); 2 isolated"
    assert panel.charts[2].build().axes[0].get_title().startswith("8 pairs close a need-weighted gap of")


def test_names_are_escaped_in_the_panel():
    log = "helper,helped,date\n<img src=x>,Ben $a$,2025-01-06\n"
    a = run({"help_log": log})
    panel = views.view(a)
    assert "&lt;img src=x&gt;" in panel.before[0].html and "<img src=x>" not in panel.before[0].html
    fig = panel.charts[0].build()
    assert "Ben $a$" in [t.get_text() for t in fig.axes[0].texts]


def test_the_live_worksheet_shows_the_sample_and_explains_a_broken_reps_table():
    from coopkit.ui.worksheet import LiveWorksheet

    ws = LiveWorksheet(SHEET)
    assert ws.assessment is not None and "coopkit-pairs-table" in ws.sections["pairs"].value
    box = ws.form._top["reps"].box
    box.value = box.value.replace("Ana Silva,Enterprise,62,1.18", "Ana Silva,Enterprise,62,lots", 1)
    assert "quota_attainment" in html.unescape(ws.form._top["reps"].error.value)
    assert "lots" in box.value
    assert "coopkit-stale" in ws.results._dom_classes
