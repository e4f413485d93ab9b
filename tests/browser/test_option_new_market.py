"""The new-market joint venture worksheet in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "options/02_new_market.ipynb"


def gain(page, party: str):
    return page.locator(f".coopkit-party-table td.coopkit-col-gain[data-party='{party}']")


def test_first_visit_shows_the_sample_verdict_and_the_learning_race(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("new_market")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    expect(gain(page, "Nordic Trucks")).to_have_text(money(float(a.parties.loc["Nordic Trucks", "gain"])))
    expect(page.locator(".coopkit-learning-table")).to_contain_text("Nordic Trucks")
    expect(page.locator(".coopkit-findings-box .coopkit-findings")).to_contain_text(
        "Learning race: Nordic Trucks leaks"
    )
    expect(page.locator(".coopkit-chart")).to_have_count(3)
    assert "Traceback" not in page.content()


def test_a_smaller_venture_share_turns_the_verdict(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("new_market", share_together=0.15)
    set_field(page, "share_together", "0.15")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    expect(gain(page, "Nordic Trucks")).to_have_text(money(float(a.parties.loc["Nordic Trucks", "gain"])))


def test_an_impossible_probability_is_explained_and_kept(open_sheet):
    page = open_sheet(NOTEBOOK)
    set_field(page, "parties-0-p_alone", "1.3")
    expect(page.locator(".coopkit-error-parties-0-p_alone")).to_contain_text(
        "Success alone must be between 0 and 1, got 1.3"
    )
    expect(page.locator(".coopkit-field-parties-0-p_alone input")).to_have_value("1.3")
