"""Tests of coopkit.store.summary: the headline figures saved beside every revision.

No database here: these are pure functions of a worksheet's inputs.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math

import pandas as pd
import pytest

from coopkit import options
from coopkit.errors import InputError
from coopkit.options.base import Assessment, Finding, validate
from coopkit.store.casefile import read_case, sample_case
from coopkit.store.summary import summarise, summary_of, unassessed

WITH_SAMPLES = [name for name in options.names() if options.get(name).sample]
KEYS = {
    "assessed",
    "worksheet",
    "verdict",
    "level",
    "passed",
    "headline",
    "probability",
    "probability_label",
    "currency",
    "parties",
    "gains",
    "value_created",
    "reputation",
    "reputation_loss",
    "market",
    "antitrust",
    "hhi_change",
    "findings",
}
UNASSESSED_KEYS = {"assessed", "worksheet", "verdict", "level", "passed", "headline", "problems"}


def sample_inputs(name: str) -> dict:
    return read_case(sample_case(options.get(name).sample)).inputs


@functools.cache
def _sample_summary(name: str) -> str:
    return json.dumps(summarise(name, sample_inputs(name)), allow_nan=False)


def sample_summary(name: str) -> dict:
    """The summary of a worksheet's sample, computed once per session (some run a Monte Carlo)."""
    return json.loads(_sample_summary(name))


@functools.cache
def sample_assessment(name: str) -> Assessment:
    sheet = options.get(name)
    model, problems = validate(sheet.inputs, sample_inputs(name))
    assert problems == []
    return sheet.assess(model)


def test_the_worksheets_have_samples() -> None:
    assert len(WITH_SAMPLES) >= 10


@pytest.mark.parametrize("name", WITH_SAMPLES)
def test_the_summary_of_a_sample_is_its_assessment_in_plain_json(name: str) -> None:
    summary = summarise(name, sample_inputs(name))
    text = json.dumps(summary, allow_nan=False)
    assert json.loads(text) == summary
    assert set(summary) == KEYS
    assessment = sample_assessment(name)
    assert summary["assessed"] is True
    assert (summary["worksheet"], summary["verdict"], summary["level"]) == (name, assessment.verdict, assessment.level)
    assert (summary["passed"], summary["headline"]) == (bool(assessment.passed), assessment.headline)
    assert summary["currency"] == assessment.currency
    assert summary["parties"] == [str(party) for party in assessment.parties.index]
    assert summary["findings"] == [{"level": f.level, "text": f.text} for f in assessment.findings[:5]]
    if assessment.probability is None:
        assert (summary["probability"], summary["probability_label"]) == (None, None)
    else:
        assert 0 <= summary["probability"] <= 1
        assert summary["probability"] == pytest.approx(assessment.probability)
        assert summary["probability_label"] == assessment.probability_label


@pytest.mark.parametrize("name", WITH_SAMPLES)
def test_the_gains_sum_to_the_value_created(name: str) -> None:
    summary = sample_summary(name)
    gains = summary["gains"]
    if not gains:
        assert summary["value_created"] is None
        return
    assert all(isinstance(gain, float) and math.isfinite(gain) for gain in gains.values())
    assert summary["value_created"] == pytest.approx(math.fsum(gains.values()), rel=1e-12, abs=1e-9)
    parties = sample_assessment(name).parties
    assert gains == pytest.approx({str(party): gain for party, gain in parties["gain"].items()})
    assert list(gains) == [name for name in summary["parties"] if name in gains]  # in the parties' order


@pytest.mark.parametrize("name", WITH_SAMPLES)
def test_a_summary_is_the_same_each_time(name: str) -> None:
    # import_case recomputes the summary of every revision: it must not depend on when that happens.
    assert summarise(name, sample_inputs(name)) == sample_summary(name)


def test_the_win_win_sample_has_the_figures_its_notebook_shows() -> None:
    summary = sample_summary("win_win_check")
    assert (summary["verdict"], summary["level"], summary["passed"]) == ("win-win", "good", True)
    assert sorted(summary["gains"]) == ["Alder Roasters", "Birch & Bean"]
    assert summary["value_created"] == pytest.approx(125_000)


# ---- inputs that cannot be assessed ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", WITH_SAMPLES)
def test_inputs_with_an_unknown_field_are_not_assessed(name: str) -> None:
    summary = summarise(name, {**sample_inputs(name), "no_such_field": 1})
    assert set(summary) == UNASSESSED_KEYS
    assert (summary["assessed"], summary["worksheet"], summary["verdict"]) == (False, name, "not assessed")
    assert (summary["level"], summary["passed"]) == ("caution", False)
    assert summary["problems"] == ["no_such_field is not a field of this worksheet"]
    assert summary["headline"] == "1 input(s) need fixing."
    json.dumps(summary, allow_nan=False)


INVALID = {
    "share above 1": (
        lambda inputs: inputs["parties"][0].update(agreed_share=1.4),
        "Party 1: Agreed share must be between 0 and 1, got 1.4",
    ),
    "one party": (lambda inputs: inputs["parties"].pop(), "Parties must list 2 to 6 entries, got 1"),
    "parties not a list": (
        lambda inputs: inputs.update(parties="Alder, Birch"),
        "Parties must be a list of entries, got 'Alder, Birch'",
    ),
    "value missing": (lambda inputs: inputs.pop("partnership_value"), "Partnership value is required"),
    "NaN payoff": (
        lambda inputs: inputs["parties"][0]["standalone_payoff"].update(likely=float("nan")),
        "Party 1: Stand-alone payoff (most likely) must be between",
    ),
}


@pytest.mark.parametrize(("damage", "words"), INVALID.values(), ids=INVALID.keys())
def test_invalid_inputs_give_the_problems_not_a_verdict(damage, words: str) -> None:
    inputs = sample_inputs("win_win_check")
    damage(inputs)
    summary = summarise("win_win_check", inputs)
    assert (summary["assessed"], summary["verdict"], summary["passed"]) == (False, "not assessed", False)
    assert any(words in problem for problem in summary["problems"]), summary["problems"]
    assert summary["headline"] == f"{len(summary['problems'])} input(s) need fixing."
    json.dumps(summary, allow_nan=False)


def test_empty_inputs_name_every_required_field() -> None:
    assert summarise("win_win_check", {})["problems"] == ["Parties is required", "Partnership value is required"]


def test_an_assessment_that_refuses_its_inputs_is_not_assessed(monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = options.get("win_win_check")

    def refuse(_inputs):
        raise InputError("partnership_value", -1, "be positive")

    real_get = options.get
    monkeypatch.setattr(options, "get", lambda name: dataclasses.replace(real_get(name), assess=refuse))
    summary = summarise(sheet.name, sample_inputs(sheet.name))
    assert summary["problems"] == ["partnership_value must be positive, got -1"]
    assert summary["assessed"] is False


def test_unknown_worksheet_is_refused() -> None:
    with pytest.raises(InputError, match=r"worksheet must be one of .*win_win_check"):
        summarise("no_such_sheet", {})


def test_unassessed_keeps_ten_problems_of_300_characters() -> None:
    summary = unassessed("win_win_check", [f"{i}: " + "x" * 400 for i in range(12)])
    assert len(summary["problems"]) == 10
    assert all(len(problem) == 300 for problem in summary["problems"])
    assert summary["problems"][9].startswith("9: ")
    assert summary["headline"] == "12 input(s) need fixing."


def test_figures_that_are_not_finite_become_empty() -> None:
    assessment = Assessment(
        worksheet="win_win_check",
        verdict="win-win",
        level="good",
        passed=True,
        headline="h",
        findings=[Finding("good", f"finding {i}") for i in range(7)],
        parties=pd.DataFrame({"gain": [10.0, math.nan, math.inf, -4.0]}, index=["A", "B", "C", "D"]),
        probability=math.nan,
    )
    summary = summary_of(assessment)
    json.dumps(summary, allow_nan=False)
    assert summary["parties"] == ["A", "B", "C", "D"]
    assert summary["gains"] == {"A": 10.0, "D": -4.0}
    assert summary["value_created"] == 6.0
    assert (summary["probability"], summary["reputation"], summary["market"]) == (None, None, None)
    assert [f["text"] for f in summary["findings"]] == [f"finding {i}" for i in range(5)]
