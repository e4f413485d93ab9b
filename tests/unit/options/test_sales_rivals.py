"""Tests for coopkit.options.sales.rivals: sales worksheet 6, competing with competitors we also work with."""

from __future__ import annotations

import copy
import json
import math
import re
import time
import typing

import pytest

from coopkit import options
from coopkit.frameworks import game, tournament
from coopkit.options.base import Problem, validate
from coopkit.options.sales.rivals import SHEET, STRATEGY_LABELS, Inputs, StrategyKey, assess
from coopkit.report import sales_charts_games
from coopkit.report.charts import to_png
from coopkit.report.option_views.sales_rivals import meetings_text
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "sales_rivals.json"
US, THEM = "Northwind Systems", "Contoso Integration"
# The sample by hand: T 30,000, R 15,000, P 0, S -5,000. Grim: (T - R)/(T - P) = 0.5; Tit for Tat: max(0.5, 15/20) = 0.75.
# Two meetings a year, relationship lasts with 60%, 10% discount: w = (0.6 / 1.1) ** (1/2) = 0.7385 (between the two).
W = (0.6 / 1.1) ** 0.5
NEEDED_GRIM = math.log(0.6 / 1.1) / math.log(0.5)  # 0.874
NEEDED_TFT = math.log(0.6 / 1.1) / math.log(0.75)  # 2.107


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SAMPLE)).inputs)


def problems_of(**changes) -> list[Problem]:
    inputs, problems = validate(Inputs, {**sample_inputs(), **changes})
    assert (inputs is None) == bool(problems)
    return problems


def run(**changes):
    inputs, problems = validate(Inputs, {**sample_inputs(), **changes})
    assert problems == []
    return assess(inputs)


@pytest.fixture(scope="module")
def sample():
    return run()


# --------------------------------------------------------------------------- the sample, by hand
def test_sample_is_registered_as_a_sales_worksheet():
    sheet = options.get("sales_rivals")
    assert sheet is SHEET and sheet.kind == "sales" and sheet.sample == SAMPLE
    assert sheet.title == "Competing with competitors we also work with"
    assert "invented" in read_case(sample_case(SAMPLE)).notes


def test_strategy_choices_are_the_tournaments_strategies():
    assert list(typing.get_args(StrategyKey)) == list(tournament.STRATEGIES)
    assert STRATEGY_LABELS["win_stay_lose_shift"] == "Win-stay, lose-shift (Pavlov)"
    assert [name.removeprefix("include_") for name in Inputs.model_fields if name.startswith("include_")] == list(
        tournament.STRATEGIES
    )


def test_sample_thresholds_by_hand(sample):
    d = sample.details
    assert d["w"] == pytest.approx(W)
    assert d["grim"] == 0.5 == game.cooperation_threshold(30_000, 15_000, 0, -5_000)
    assert d["tft"] == pytest.approx(0.75)
    assert d["needed_grim"] == pytest.approx(NEEDED_GRIM)
    assert d["needed_tft"] == pytest.approx(NEEDED_TFT)
    assert (sample.verdict, sample.level, sample.passed) == ("share with safeguards", "caution", True)
    assert sample.headline == (
        "2 meetings a year give each meeting a follow-up weight of 0.739; sharing holds from 0.500 "
        "(0.87 meetings a year) and Tit for Tat is stable from 0.750 (2.11 meetings a year)."
    )
    assert sample.tables["thresholds"]["meetings"].tolist() == pytest.approx([2.0, NEEDED_GRIM, NEEDED_TFT])


def test_sample_tournament_and_match_are_those_of_the_framework(sample):
    kwargs = {
        "T": 30_000.0,
        "R": 15_000.0,
        "P": 0.0,
        "S": -5_000.0,
        "continuation_probability": W,
        "repetitions": 200,
        "noise": 0.05,
        "seed": 0,
    }
    t = tournament.tournament(list(tournament.STRATEGIES), **kwargs)
    assert sample.details["tournament"].scores.equals(t.scores)
    m = tournament.play_match("tit_for_tat", "tit_for_tat", **kwargs)
    assert sample.parties["per_meeting"].tolist() == pytest.approx(m.per_round.tolist())
    assert sample.parties["per_year"].tolist() == pytest.approx((2 * m.per_round).tolist())
    assert sample.parties.index.tolist() == [US, THEM]
    assert sample.parties["strategy"].tolist() == ["Tit for Tat", "Tit for Tat"]
    ranking = sample.tables["ranking"]
    assert ranking.index[0] == t.winner and ranking["per_year"].tolist() == pytest.approx(
        (2 * t.scores["score"]).tolist()
    )
    assert sample.tables["matrix"].index.tolist() == [STRATEGY_LABELS[k] for k in tournament.STRATEGIES]
    json.loads(sample.parties.reset_index().to_json(orient="records"))


def test_sample_findings(sample):
    levels = [f.level for f in sample.findings]
    assert levels == ["info", "good", "caution", "info", "info", "info"]
    texts = [f.text for f in sample.findings]
    assert "each meeting is followed by another that weighs w = 0.739 of it: about 3.8 meetings ahead." in texts[0]
    assert texts[1].startswith("Sharing can hold: w reaches (T - R) / (T - P) = 0.500.")
    assert "stable from w = 0.750, at 2.11 meetings a year (every 25 weeks)" in texts[2]
    assert texts[3].startswith("In a tournament of 8 strategies (about 3.8 meetings a match, noise 5%),")
    assert texts[5].startswith("Competition law:") and "not legal advice" in texts[5]


def test_the_sample_runs_fast():
    inputs = validate(Inputs, sample_inputs())[0]
    start = time.perf_counter()
    assess(inputs)
    assert time.perf_counter() - start < 2.0


# --------------------------------------------------------------------------- verdicts
def test_meeting_often_enough_for_tit_for_tat_is_a_go():
    a = run(meetings_per_year=4)
    assert a.details["w"] >= a.details["tft"]
    assert (a.verdict, a.level) == ("share leads", "good")
    assert "we meet often enough." in a.findings[2].text


def test_meeting_too_rarely_is_hold_back_with_the_meetings_needed():
    a = run(meetings_per_year=0.5)
    assert a.details["w"] == pytest.approx((0.6 / 1.1) ** 2)
    assert (a.verdict, a.level, a.passed) == ("hold back", "bad", False)
    assert a.findings[1].text.endswith("Meet at least 0.87 times a year (every 59 weeks) for it to hold.")


def test_being_exploited_is_a_condition():
    a = run(meetings_per_year=4, rival_strategy="always_defect", noise=0.0)
    assert a.parties.loc[US, "per_meeting"] < 0
    assert (a.verdict, a.level) == ("share with safeguards", "caution")
    assert a.findings[4].level == "caution"
    assert "Condition: Tit for Tat is exploited by Always defect; play another way." in a.findings[4].text


def test_a_relationship_that_never_ends_holds_at_any_frequency():
    a = run(survival=1.0, discount_rate=0.0)
    assert a.details["w"] == 1.0 and a.details["needed_grim"] == 0.0 == a.details["needed_tft"]
    assert a.verdict == "share leads"
    assert "the relationship never ends." in a.findings[0].text
    assert a.details["tournament"].lengths.max() <= 2_000


def test_fixed_length_matches_use_the_rounds_given():
    a = run(match_length="fixed", rounds=7, noise=0.0)
    assert a.details["tournament"].lengths.tolist() == [7] * 200
    assert a.parties["per_meeting"].tolist() == [15_000.0, 15_000.0]  # two Tit for Tats, no noise


def test_only_ticked_strategies_enter_and_a_long_relationship_favours_the_nice():
    a = run(include_random=False, include_always_cooperate=False, meetings_per_year=50, noise=0.0, repetitions=20)
    t = a.details["tournament"]
    assert set(t.strategies) == set(tournament.STRATEGIES) - {"random", "always_cooperate"}
    assert t.scores["nice"].iloc[0] and t.scores.index[-1] == "always_defect"
    assert "nice strateg" in a.findings[3].text


# --------------------------------------------------------------------------- problems
@pytest.mark.parametrize(
    ("changes", "loc", "message"),
    [
        (
            {"they_share": 15_000},
            ("they_share",),
            "Only they share (T) must be more than Both share (R, 15,000), got 15,000: if holding back "
            "does not tempt, there is no dilemma; simply share",
        ),
        (
            {"both_share": -1_000},
            ("both_share",),
            "Both share (R) must be more than Both hold back (P, 0), got -1,000: otherwise there is nothing to gain "
            "from sharing",
        ),
        (
            {"we_share": 0},
            ("we_share",),
            "Only we share (S) must be less than Both hold back (P, 0), got 0: sharing alone must cost "
            "us something, or there is no dilemma",
        ),
        (
            {"they_share": 40_000},
            ("both_share",),
            "Both share (R) must be more than half of T + S (17,500), got 15,000: otherwise taking turns at "
            "holding back pays more than sharing",
        ),
        ({"rival_name": " northwind systems "}, ("rival_name",), "The rival must have a name other than ours"),
    ],
)
def test_cross_field_problems_name_the_field_and_the_rule(changes, loc, message):
    assert problems_of(**changes) == [Problem(loc, message)]


def test_at_least_two_strategies_must_enter():
    off = {f"include_{k}": False for k in tournament.STRATEGIES if k != "tit_for_tat"}
    assert problems_of(**off) == [
        Problem((), "Tick at least two strategies for the tournament (Tournament section), got 1")
    ]


def test_every_broken_payoff_rule_is_reported_together():
    problems = problems_of(both_share=-10, we_share=5, they_share=-20, both_hold_back=0)
    assert [p.loc for p in problems] == [("they_share",), ("both_share",), ("we_share",)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meetings_per_year", 0, "Meetings a year must be between 0.01 and 1,000, got 0"),
        ("survival", 1.5, "Lasts another year must be between 0.01 and 1, got 1.5"),
        ("noise", 0.7, "Noise must be between 0 and 0.5, got 0.7"),
        ("rounds", 0, "Meetings per match must be between 1 and 2,000, got 0"),
        ("repetitions", 5_000, "Repetitions must be between 1 and 1,000, got 5,000"),
        ("our_name", "", "Our name must be 1 to 40 characters long, got 0"),
        ("our_strategy", "nice", "Our way of playing must be one of "),
    ],
)
def test_out_of_range_values_name_the_field_and_the_allowed_range(field, value, message):
    problems = problems_of(**{field: value})
    assert len(problems) == 1 and problems[0].message.startswith(message)
    assert problems[0].loc == (field,)


def test_every_field_has_a_title_and_a_description():
    for name, info in Inputs.model_fields.items():
        assert info.title and info.description, name


# --------------------------------------------------------------------------- the result panel
def test_panel_sections_and_charts(sample):
    panel = view(sample)
    assert [s.key for s in panel.before] == ["key", "match", "ranking"]
    assert [s.key for s in panel.after] == ["payoffs"]
    key = panel.before[0].html
    assert "<div class='coopkit-tile coopkit-tile-w'><b class='coopkit-tile-value'>0.739</b>" in key
    assert "<div class='coopkit-tile coopkit-tile-needed-tft'><b class='coopkit-tile-value'>2.11</b>" in key
    winner = sample.details["tournament"].scores.iloc[0]["label"]
    ranking = panel.before[2].html
    first_row = ranking[ranking.index("<tbody><tr>") : ranking.index("</tr>", ranking.index("<tbody>"))]
    assert re.search(f"<td class='coopkit-col-label[^']*'>{winner}</td>", first_row)
    assert len(panel.charts) == 4
    titles = [c.build().axes[0].get_title() for c in panel.charts]
    assert titles[0] == "Sharing holds from 0.87 meetings a year, Tit for Tat from 2.11; you meet 2"
    assert titles[1].startswith(f"{winner} comes first of 8, with ")
    assert titles[2].startswith("Tit for Tat vs Tit for Tat: ")
    assert titles[3].startswith("Best pairing: ") and panel.charts[3].wide
    for chart in panel.charts:
        assert to_png(chart.build())[:4] == b"\x89PNG"


def test_names_are_escaped_in_tables_and_drawn_as_typed_in_charts():
    a = run(our_name="<script>alert(1)</script>", rival_name="A$_$ & Co")
    panel = view(a)
    html_all = "".join(s.html for s in panel.before + panel.after)
    assert "<script>" not in html_all and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_all
    assert "A$_$ &amp; Co" in html_all
    fig = panel.charts[2].build()
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "A$_$ & Co (Tit for Tat)" in labels
    assert to_png(fig)[:4] == b"\x89PNG"


def test_meetings_text_and_threshold_titles():
    assert meetings_text(NEEDED_TFT) == "2.11"
    assert sales_charts_games.threshold_title(3, math.inf, math.inf) == (
        "Sharing never holds with these payoffs; you meet 3"
    )
    fig = sales_charts_games.threshold_chart(4.0, 1.0, 0.0, 0.5, 0.75)  # w = 1 at any frequency
    assert fig.axes[0].get_title() == "Sharing holds at any number of meetings; you meet 4"
