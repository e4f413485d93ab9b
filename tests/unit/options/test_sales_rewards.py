"""Tests for coopkit.options.sales.rewards: sales worksheet 5, reward design, and its result panel."""

from __future__ import annotations

import copy
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit import options
from coopkit.frameworks import rewards
from coopkit.options.base import Problem, validate
from coopkit.options.sales.rewards import SHEET, Inputs, assess, scheme
from coopkit.report import sales_charts_games
from coopkit.report.charts import to_png
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "sales_rewards.json"


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SAMPLE)).inputs)


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(**changes):
    inputs, problems = validate(Inputs, {**sample_inputs(), **changes})
    assert problems == []
    return assess(inputs)


@pytest.fixture(scope="module")
def sample():
    inputs, problems = validate(Inputs, sample_inputs())
    assert problems == []
    return assess(inputs)


# --------------------------------------------------------------------------- the sample, by hand
def test_sample_is_registered_as_a_sales_worksheet():
    sheet = options.get("sales_rewards")
    assert sheet is SHEET and sheet.kind == "sales" and sheet.sample == SAMPLE
    assert sheet.title == "Reward design"
    assert read_case(sample_case(SAMPLE)).worksheet == "sales_rewards"
    assert "invented" in read_case(sample_case(SAMPLE)).notes


def test_sample_verdict_and_figures_by_hand(sample):
    # own = -0.85 x 2.5% x 3,000 + 0.15 x 2.5% x 9,000 / 8 = -63.75 + 4.21875 = -59.53125 (see test_rewards)
    assert (sample.verdict, sample.level, sample.passed) == ("helping pays only if returned", "caution", True)
    d = sample.details
    assert d["own"] == pytest.approx(-59.53125)
    assert d["break_even"] == pytest.approx(24_000 / 33_000)
    assert d["pure_help"] == pytest.approx(75 / 2_575)
    assert d["rounds"] == pytest.approx(20 / 7)
    assert d["delta"] == pytest.approx((0.8 / 1.1) ** (7 / 20))
    assert d["threshold"] == pytest.approx(59.53125 / 259.21875)
    assert d["break_even_returned"] == 0.0  # 0.89 x 12,000 > 3,000: returned help pays at any mix
    assert sample.headline == (
        "At this mix (85% own results, 15% team, 0% help) one help costs the helper 59.53 EUR of bonus; "
        "helping pays from a team-and-help weight of 72.7%."
    )


def test_sample_findings(sample):
    texts = [f.text for f in sample.findings]
    assert [f.level for f in sample.findings] == ["bad", "info", "info", "good", "caution", "info"]
    assert texts[0].startswith("A rational rep does not help a colleague it will not need again: one help loses it")
    assert "with team weight alone it takes 72.7%, with help weight alone 2.9%. Today it is 15.0%." in texts[1]
    assert "One point of help weight does the work of 25.0 points of team weight" in texts[2]
    assert "mutual help holds (grim trigger) from 0.230, so it holds" in texts[3]
    assert "helping pays at any mix" in texts[3]
    assert texts[5] == (
        "If every rep helps with every request, team sales rise by 1,440,000 EUR a year and the bonus bill by "
        "36,000 EUR against a year without help."
    )


def test_sample_tables(sample):
    parts = sample.tables["parts"]
    assert parts.index.tolist() == ["Own results", "Team results", "Help given", "Net for the helper"]
    assert parts["per_help"].tolist() == pytest.approx([-63.75, 4.21875, 0.0, -59.53125])
    stage = sample.tables["stage"]
    assert stage.loc["I help"].tolist() == pytest.approx([199.6875, -59.53125])
    assert stage.loc["I do not help"].tolist() == pytest.approx([259.21875, 0.0])
    assert sample.tables["break_even"].loc["Today", "weight"] == pytest.approx(0.15)
    assert sample.parties.equals(rewards.year(scheme(validate(Inputs, sample_inputs())[0])))
    json.loads(sample.parties.reset_index().to_json(orient="records"))  # what `coopkit assess --json` prints


def test_docstring_defaults_are_the_sample():
    assert Inputs().model_dump() == Inputs.model_validate(sample_inputs()).model_dump()


# --------------------------------------------------------------------------- verdicts
def test_a_small_help_weight_makes_helping_pay():
    a = run(individual_weight=0.8, team_weight=0.15, help_weight=0.05)
    assert (a.verdict, a.level) == ("helping pays", "good")
    assert a.details["own"] == pytest.approx(-0.8 * 75 + 0.15 * 0.025 * 9_000 / 8 + 0.05 * 2_500)
    assert a.findings[0].text.startswith("A rational rep helps a colleague")
    assert not any("Reciprocity does not reach" in f.text for f in a.findings)


def test_rare_contact_and_high_turnover_make_helping_not_pay():
    a = run(retention=0.01, help_requests=2.0)
    assert a.details["delta"] < a.details["threshold"]
    assert (a.verdict, a.level, a.passed) == ("helping does not pay", "bad", False)
    assert "so it does not hold." in a.findings[3].text


def test_a_bigger_team_dilutes_the_team_part():
    small, large = run(reps=4), run(reps=40)
    assert large.details["pure_team"] > small.details["pure_team"]
    assert large.details["pure_team"] == pytest.approx(40 * 3_000 / (39 * 3_000 + 12_000))  # n c / ((n-1) c + b)


def test_a_costlier_help_needs_more_team_weight():
    a = run(help_cost=4_000)
    assert a.details["break_even"] == pytest.approx(8 * 4_000 / (7 * 4_000 + 12_000))  # 80.0%


@given(
    st.tuples(st.floats(0, 1), st.floats(0, 1)).map(lambda x: (1 - x[0], x[0] * (1 - x[1]), x[0] * x[1])),
    st.floats(0, 20_000),
    st.floats(0.01, 1),
)
def test_the_verdict_follows_the_sign_of_the_helpers_gain(weights, cost, retention):
    a = run(
        individual_weight=weights[0],
        team_weight=weights[1],
        help_weight=weights[2],
        help_cost=cost,
        help_benefit=cost + 1_000,
        retention=retention,
    )
    d = a.details
    if rewards.helping_pays(d["scheme"]):
        assert a.level == "good"
    else:
        assert a.level == ("caution" if d["delta"] >= d["threshold"] else "bad")


# --------------------------------------------------------------------------- problems
def test_weights_must_add_up_to_one():
    problems = problems_of({**sample_inputs(), "individual_weight": 0.9})
    assert problems == [
        Problem(
            ("individual_weight",),
            "The three weights must add up to 1 (100%), got 1.05: own results 0.9 + team results 0.15 + help given 0",
        )
    ]


def test_help_must_grow_the_teams_sales():
    problems = problems_of({**sample_inputs(), "help_benefit": 2_000})
    assert problems == [
        Problem(
            ("help_benefit",),
            "Colleague's gain per help must be more than the helper's loss per help (3,000), got "
            "2,000: help that does not grow the team's sales is not worth rewarding",
        )
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reps", 1, "Reps must be between 2 and 500, got 1"),
        ("reps", 2.5, "Reps must be a whole number between 2 and 500, got 2.5"),
        ("bonus_pool", 0, "Bonus pool must be greater than 0 and at most 1,000,000,000,000, got 0"),
        ("team_weight", 1.5, "Weight: team results must be between 0 and 1, got 1.5"),
        ("help_requests", 0, "Help requests per rep must be greater than 0 and at most 10,000, got 0"),
        ("retention", 0, "Still together next year must be between 0.01 and 1, got 0"),
        ("discount_rate", 2, "Yearly discount rate must be between 0 and 1, got 2"),
        ("currency", "eur", "Currency must be a three-letter ISO currency code in capitals, e.g. EUR, got 'eur'"),
    ],
)
def test_out_of_range_values_name_the_field_and_the_allowed_range(field, value, message):
    problems = problems_of({**sample_inputs(), field: value})
    assert [p.message for p in problems] == [message]
    assert problems[0].loc == (field,)


def test_every_field_has_a_title_a_description_and_a_unit():
    for name, info in Inputs.model_fields.items():
        assert info.title and info.description, name
        assert "unit" in (info.json_schema_extra or {}), name


# --------------------------------------------------------------------------- the result panel
def test_panel_sections_tiles_and_charts(sample):
    panel = view(sample)
    assert [s.key for s in panel.before] == ["key", "parts", "year"]
    assert [s.key for s in panel.after] == ["stage", "break_even"]
    key = panel.before[0].html
    assert "<div class='coopkit-tile coopkit-tile-own'><b class='coopkit-tile-value'>−59.53</b>" in key
    assert "<div class='coopkit-tile coopkit-tile-break-even'><b class='coopkit-tile-value'>72.7%</b>" in key
    assert re.search("<td class='coopkit-col-per_help[^']*'>-59.53</td>", panel.before[1].html)
    assert len(panel.charts) == 2 and panel.charts[0].wide
    titles = [c.build().axes[0].get_title() for c in panel.charts]
    assert titles == [
        "Helping pays from a team-and-help weight of 72.7%; today's 15.0% falls short",
        "One point of help weight does the work of 25 points of team weight",
    ]
    for chart in panel.charts:
        assert to_png(chart.build())[:4] == b"\x89PNG"


def test_helping_chart_marks_both_break_evens_when_returned_help_needs_weight():
    s = scheme(Inputs(retention=0.05, help_requests=4))
    a = assess(Inputs(retention=0.05, help_requests=4))
    fig = sales_charts_games.helping_chart(s, a.details["delta"])
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(label.startswith("Break-even, returned:") for label in labels)
    assert "Break-even, one-off: 72.7%" in labels


def test_helping_title_when_helping_pays_at_any_mix():
    s = scheme(Inputs(help_cost=0.0))
    assert sales_charts_games.helping_title(s) == "Helping pays at any mix, even with all the weight on own results"
