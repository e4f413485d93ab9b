"""Tests for coopkit.ui.worksheet: the live worksheet's recompute loop, driven without a browser."""

from __future__ import annotations

import html
import importlib
import re

import ipywidgets as widgets
import pytest

from coopkit import options
from coopkit.errors import InputError
from coopkit.report import views
from coopkit.ui.worksheet import LiveWorksheet, worksheet

SHEET = options.get("win_win_check")
# coopkit.ui exports the function worksheet(), which hides the module of the same name
worksheet_module = importlib.import_module("coopkit.ui.worksheet")


def two_parties(**extra) -> dict:
    # stand-alone 20 and 40, value 100, Nash: shares 40 and 60, gains 20 and 20 -> win-win
    return {
        "parties": [
            {"name": "Alpha", "standalone_payoff": {"likely": 20}},
            {"name": "Beta", "standalone_payoff": {"likely": 40}},
        ],
        "partnership_value": {"likely": 100},
        "split_rule": "nash",
        **extra,
    }


@pytest.fixture
def ws() -> LiveWorksheet:
    """A worksheet without ranges (two charts, no Monte Carlo), so it is quick to build and update."""
    return LiveWorksheet(SHEET, two_parties())


@pytest.fixture(scope="module")
def sample_ws() -> LiveWorksheet:
    """The worksheet as a first visitor sees it (the sample case); read-only in the tests that use it."""
    return LiveWorksheet(SHEET)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def stale(ws: LiveWorksheet) -> bool:
    return "coopkit-stale" in ws.results._dom_classes


# --------------------------------------------------------------------------- the sample case
def test_sample_case_loads_and_is_win_win(sample_ws):
    a = sample_ws.assessment
    assert a.verdict == "win-win"
    assert sample_ws.problems == []
    assert "<div class='coopkit-verdict-text'>✔ win-win</div>" in sample_ws.banner.value
    assert "P(win-win) = " in sample_ws.banner.value
    assert "Alder Roasters" in sample_ws.sections["parties"].value
    assert "Birch &amp; Bean" in sample_ws.sections["parties"].value  # escaped
    assert sample_ws.form.data()["parties"][0]["name"] == "Alder Roasters"
    assert not stale(sample_ws)
    assert "coopkit-status-ok" in sample_ws.status.value


def test_sample_case_shows_four_charts(sample_ws):
    # payoff, split, margin (ranges are on in the sample) and tornado
    images = sample_ws.chart_grid.children
    assert len(images) == 4
    for image in images:
        assert isinstance(image, widgets.Image)
        assert image.value[:4] == b"\x89PNG"
        assert "coopkit-chart" in image._dom_classes


def test_sample_case_fills_the_tables(sample_ws):
    assert "coopkit-party-table" in sample_ws.sections["parties"].value
    assert "<b>(chosen)</b>" in sample_ws.sections["splits"].value
    assert "<th>P(win-win)</th>" in sample_ws.sections["splits"].value
    assert "<b>Assumptions.</b>" in sample_ws.assumptions.value
    assert "coopkit-findings" in sample_ws.findings.value


def test_worksheet_layout(sample_ws):
    assert "coopkit-worksheet" in sample_ws.widget._dom_classes
    parts = sample_ws.widget.children
    assert sample_ws.form.widget in parts
    assert parts.index(sample_ws.form.widget) < parts.index(sample_ws.results)
    assert "<style>" in parts[0].value


# --------------------------------------------------------------------------- recompute
def test_starting_from_given_data(ws):
    assert ws.assessment.parties["gain"].tolist() == [20.0, 20.0]
    assert ws.assessment.probability is None
    assert len(ws.chart_grid.children) == 2  # no ranges: no margin or tornado chart
    assert "P(win-win)" not in ws.banner.value


def test_changing_a_value_recomputes(ws):
    before, banner = ws.assessment, ws.banner.value
    ws.form._nodes[("partnership_value",)].boxes["likely"].value = 120
    # surplus 60 split equally: shares 50 and 70, gains 30 and 30
    assert ws.assessment is not before
    assert ws.assessment.parties["gain"].tolist() == [30.0, 30.0]
    assert ws.banner.value != banner
    assert "Alpha +30, Beta +30" in ws.banner.value


def test_changing_a_party_value_changes_the_verdict(ws):
    ws.form._nodes[("parties", 1, "bargaining_power")].box.value = 4
    # gains 8 and 32: balance 0.25
    assert ws.assessment.verdict == "win-win but lopsided"
    assert "coopkit-level-caution" in ws.banner.value
    ws.form._nodes[("parties", 1, "risk_adjustment")].boxes["likely"].value = 40
    # Beta 72 - 40 = 32 < 40 on its own
    assert ws.assessment.verdict == "win-win on paper only"
    assert "coopkit-level-bad" in ws.banner.value


def test_changing_the_split_rule_recomputes(ws):
    ws.form._nodes[("split_rule",)].box.value = "equal"
    # 50 each: gains 30 and 10, balance 1/3
    assert ws.assessment.parties["gain"].tolist() == [30.0, 10.0]
    assert ws.assessment.details.split_rule == "equal"
    assert "equal <b>(chosen)</b>" in ws.sections["splits"].value


def test_currency_follows_into_results_and_units(ws):
    ws.form._nodes[("currency",)].box.value = "USD"
    assert ws.assessment.currency == "USD"
    assert "USD a year" in ws.banner.value
    assert "USD per year" in ws.sections["parties"].value
    assert ws.form._nodes[("partnership_value",)].unit.value == "<span class='coopkit-unit'>USD/year</span>"
    assert "USD/year" in ws.form._nodes[("parties",)].headers["standalone_payoff"].value


# --------------------------------------------------------------------------- invalid input
def test_invalid_value_is_explained_next_to_its_field_and_results_go_stale(ws):
    before, banner, charts = ws.assessment, ws.banner.value, ws.chart_grid.children
    node = ws.form._nodes[("parties", 1, "contribution")]
    node.box.value = -1
    message = "Party 2: What it brings must be between 0 and 1,000,000,000,000, got -1"
    assert [p.message for p in ws.problems] == [message]
    assert node.error.layout.display == ""
    assert message in node.error.value
    assert "coopkit-invalid" in node.box._dom_classes
    assert stale(ws)
    assert "coopkit-status-invalid" in ws.status.value
    assert "1 input needs fixing" in ws.status.value
    # the typed value stays, and the last valid results stay on screen
    assert node.box.value == -1
    assert ws.assessment is before
    assert ws.banner.value == banner
    assert ws.chart_grid.children == charts


def test_fixing_the_value_clears_the_message(ws):
    node = ws.form._nodes[("parties", 1, "bargaining_power")]
    node.box.value = 0
    assert "Bargaining power must be greater than 0 and at most 100, got 0" in node.error.value
    node.box.value = 3
    # Nash with weights 1 and 3: gains 10 and 30
    assert ws.problems == []
    assert node.error.layout.display == "none"
    assert "coopkit-invalid" not in node.box._dom_classes
    assert not stale(ws)
    assert "coopkit-status-ok" in ws.status.value
    assert ws.assessment.parties["gain"].tolist() == [10.0, 30.0]


def test_two_problems_are_counted(ws):
    ws.form._nodes[("parties", 1, "name")].box.value = "ALPHA"
    assert len(ws.problems) == 2
    assert "2 inputs need fixing" in ws.status.value
    for j in (0, 1):
        assert "names must be distinct" in ws.form._nodes[("parties", j, "name")].error.value


def test_unordered_range_is_shown_on_its_amount(ws):
    ws.form._nodes[("use_ranges",)].box.value = True
    pv = ws.form._nodes[("partnership_value",)]
    pv.boxes["low"].value = 150
    assert "Partnership value needs low <= most likely <= high, got low 150, most likely 100, high 100" in (
        html.unescape(pv.error.value)
    )
    assert stale(ws)
    assert pv.boxes["low"].value == 150


def test_problem_found_by_the_assessment_goes_to_the_top_of_the_form(ws):
    ws.form._nodes[("split_rule",)].box.value = "shapley"
    ws.form._nodes[("parties", 0, "contribution")].box.value = 0  # still fine: 0 and 1
    good = ws.assessment
    assert ws.problems == []
    ws.form._nodes[("parties", 1, "contribution")].box.value = 0  # each allowed, but nothing is pooled
    assert ws.form.form_error.layout.display == ""
    assert "contribution must add up to more than 0" in ws.form.form_error.value
    assert stale(ws)
    assert ws.assessment is good


def test_starting_from_invalid_data_shows_the_problem_and_no_results():
    data = two_parties()
    data["parties"][0]["agreed_share"] = 0.9
    data["split_rule"] = "explicit"  # 0.9 + 0.5 = 1.4
    ws = LiveWorksheet(SHEET, data)
    assert ws.assessment is None
    assert ws.banner.value == ""
    assert ws.chart_grid.children == ()
    assert stale(ws)
    error = ws.form._nodes[("parties",)].error
    assert "Agreed shares must add up to 1 for the agreed split, got 1.4" in error.value


# --------------------------------------------------------------------------- parties
def test_add_and_remove_parties_recompute(ws):
    parties = ws.form._nodes[("parties",)]
    parties.add_button.click()
    # Nash: A 20, B 40, new party 0; value 100 -> surplus 40, a third each
    assert list(ws.assessment.parties.index) == ["Alpha", "Beta", "New party 3"]
    assert ws.assessment.parties["gain"].tolist() == pytest.approx([40 / 3] * 3)
    parties.rows[0]["remove"].click()
    assert list(ws.assessment.parties.index) == ["Beta", "New party 3"]
    # surplus 100 - 40 = 60: 30 each
    assert ws.assessment.parties["gain"].tolist() == [30.0, 30.0]
    assert all(row["remove"].disabled for row in parties.rows)


def test_add_party_under_an_agreed_split_asks_for_shares_adding_up_to_one(ws):
    ws.form._nodes[("split_rule",)].box.value = "explicit"  # 0.5 + 0.5: fine
    assert ws.problems == []
    ws.form._nodes[("parties",)].add_button.click()  # 0.5 * 3
    assert [p.message for p in ws.problems] == ["Agreed shares must add up to 1 for the agreed split, got 1.5"]
    assert ws.form._nodes[("parties",)].error.layout.display == ""


def test_party_data_survives_a_removal_in_the_worksheet():
    data = two_parties()
    data["parties"].append({"name": "Gamma", "standalone_payoff": {"likely": 10}, "bargaining_power": 2})
    ws = LiveWorksheet(SHEET, data)
    ws.form._nodes[("parties", 1, "risk_adjustment")].boxes["likely"].value = 5
    ws.form._nodes[("parties",)].rows[0]["remove"].click()
    remaining = ws.form.data()["parties"]
    assert [p["name"] for p in remaining] == ["Beta", "Gamma"]
    assert remaining[0]["risk_adjustment"]["likely"] == 5.0
    assert remaining[1]["bargaining_power"] == 2.0
    # Nash, weights 1 and 2: surplus 100 - 50 = 50 -> Beta 40 + 50/3, Gamma 10 + 100/3; Beta loses 5 to risk
    assert ws.assessment.parties["gain"].tolist() == pytest.approx([50 / 3 - 5, 100 / 3])


# --------------------------------------------------------------------------- show_if and ranges
def test_bargaining_power_column_only_for_nash_and_agreed_share_only_for_explicit(ws):
    parties = ws.form._nodes[("parties",)]

    def shown(name: str) -> bool:
        return ws.form._nodes[("parties", 0, name)].widget in parties.grid.children

    assert shown("bargaining_power") and not shown("agreed_share")
    ws.form._nodes[("split_rule",)].box.value = "explicit"
    assert shown("agreed_share") and not shown("bargaining_power")
    ws.form._nodes[("split_rule",)].box.value = "shapley"
    assert not shown("agreed_share") and not shown("bargaining_power")


def test_turning_ranges_on_initialises_and_shows_low_and_high(ws):
    pv = ws.form._nodes[("partnership_value",)]
    payoff = ws.form._nodes[("parties", 1, "standalone_payoff")]
    assert pv.range_box.layout.display == "none"
    ws.form._nodes[("use_ranges",)].box.value = True
    for node, likely in ((pv, 100.0), (payoff, 40.0)):
        assert node.range_box.layout.display == ""
        assert {k: b.value for k, b in node.boxes.items()} == {"low": likely, "likely": likely, "high": likely}
    assert ws.problems == []
    assert ws.assessment.parties["gain"].tolist() == [20.0, 20.0]


def test_ranges_give_a_probability_and_more_charts(ws):
    ws.form._nodes[("draws",)].box.value = 2_000
    ws.form._nodes[("use_ranges",)].box.value = True
    ws.form._nodes[("partnership_value",)].boxes["low"].value = 0
    # PERT(0, 100, 100) falls below the 60 the parties earn apart with probability 0.6**5, about 8%
    assert ws.assessment.probability == pytest.approx(1 - 0.6**5, abs=0.03)
    assert "P(win-win) = " in ws.banner.value
    assert len(ws.chart_grid.children) == 4


# --------------------------------------------------------------------------- worksheet()
def test_worksheet_returns_the_widget_filled_with_the_data():
    widget = worksheet("win_win_check", two_parties())
    assert isinstance(widget, widgets.VBox)
    assert "coopkit-worksheet" in widget._dom_classes
    texts = [w.value for w in walk(widget) if isinstance(w, widgets.Text)]
    assert "Alpha" in texts and "Beta" in texts
    banners = [w.value for w in walk(widget) if isinstance(w, widgets.HTML) and "coopkit-headline" in w.value]
    assert len(banners) == 1 and "Alpha +20, Beta +20" in banners[0]


def test_worksheet_unknown_name_names_the_choices():
    with pytest.raises(
        InputError, match=rf"^worksheet must be one of {re.escape(', '.join(options.names()))}, got 'nope'$"
    ):
        worksheet("nope")
    with pytest.raises(
        InputError, match=rf"^worksheet must be one of {re.escape(', '.join(options.names()))}, got 'nope'$"
    ):
        options.get("nope")


def test_given_data_is_not_changed():
    data = two_parties()
    snapshot = repr(data)
    live = LiveWorksheet(SHEET, data)
    live.form._nodes[("parties", 0, "name")].box.value = "Changed"
    assert repr(data) == snapshot


# --------------------------------------------------------------------------- regressions
@pytest.mark.parametrize("how", ["empty data", "no sample shipped"])
def test_worksheet_without_starting_values_shows_problems(monkeypatch, how):
    if how == "no sample shipped":

        def missing(name):
            raise InputError("sample file", name, "exist")

        monkeypatch.setattr(worksheet_module, "sample_case", missing)
        ws = LiveWorksheet(SHEET)
    else:
        ws = LiveWorksheet(SHEET, {})
    assert ws.assessment is None
    assert ws.problems


def test_a_party_name_with_dollar_signs_does_not_break_the_worksheet(ws):
    ws.form._nodes[("parties", 0, "name")].box.value = "A$_$"
    assert list(ws.assessment.parties.index) == ["A$_$", "Beta"]


def test_a_failure_while_drawing_keeps_inputs_and_marks_results_stale(ws, monkeypatch):
    before = ws.banner.value
    box = ws.form._nodes[("parties", 0, "name")].box

    def broken(_assessment):
        raise RuntimeError("chart backend unavailable")

    monkeypatch.setattr(
        worksheet_module.views, "view", lambda a: views.View(charts=[views.Chart("x", lambda: broken(a))])
    )
    box.value = "Renamed"
    assert box.value == "Renamed"
    assert "could not be drawn" in ws.status.value and "RuntimeError" in ws.status.value
    assert "coopkit-stale" in ws.results._dom_classes
    assert ws.banner.value == before  # nothing half-updated
    monkeypatch.undo()
    box.value = "Renamed again"
    assert "up to date" in ws.status.value and "coopkit-stale" not in ws.results._dom_classes
