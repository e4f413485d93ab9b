"""The joint charitable cause worksheet in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "options/01_charitable_cause.ipynb"


def gain(page, party: str):
    return page.locator(f".coopkit-party-table td.coopkit-col-gain[data-party='{party}']")


def test_first_visit_shows_the_sample_verdict_and_guardrails(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("charitable_cause")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    expect(gain(page, "Corner & Co")).to_have_text(money(float(a.parties.loc["Corner & Co", "gain"])))
    expect(page.locator(".coopkit-rules-table")).to_contain_text("Shapley (fair share of the goodwill game) (chosen)")
    expect(page.locator(".coopkit-guardrails")).to_contain_text("not legal advice")
    expect(page.locator(".coopkit-chart")).to_have_count(3)
    assert "Traceback" not in page.content()


def test_equal_cost_shares_leave_the_small_sponsor_worse_off(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("charitable_cause", cost_rule="equal")
    page.locator(".coopkit-field-cost_rule select").select_option(label="Equal shares")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("no-go$"))
    expect(gain(page, "Corner & Co")).to_have_text(money(float(a.parties.loc["Corner & Co", "gain"])))
    expect(gain(page, "Corner & Co")).to_have_class(re.compile("coopkit-neg"))


def test_a_negative_fixed_cost_is_explained_and_kept(open_sheet):
    page = open_sheet(NOTEBOOK)
    set_field(page, "fixed_cost-likely", "-5")
    expect(page.locator(".coopkit-error-fixed_cost")).to_contain_text("Fixed cost (most likely) must be between 0 and")
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(page.locator(".coopkit-field-fixed_cost-likely input")).to_have_value("-5")
