"""The joint-purchasing worksheet in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "options/03_joint_purchasing.ipynb"
METRO = "Metro University Hospital"
#: How long a result may take to follow an edit, in ms (Playwright's default of 5 s is short on a busy machine).
UPDATE_MS = 30_000


def verdict(a) -> re.Pattern:
    """The banner's text ends with the verdict after its icon ("go" must not match "no-go")."""
    return re.compile(rf"\s{re.escape(a.verdict)}$")


def gain(page, party: str):
    return page.locator(f".coopkit-party-table td.coopkit-col-gain[data-party='{party}']")


def test_first_visit_shows_the_sample_verdict_prices_and_guardrails(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("joint_purchasing")
    assert a.verdict == "go with conditions"
    expect(page.locator(".coopkit-verdict-text")).to_have_text(verdict(a))
    expect(page.locator(".coopkit-findings-box")).to_contain_text("only 73% of its Shapley value")
    expect(gain(page, METRO)).to_have_text(money(float(a.parties.loc[METRO, "gain"])))
    expect(page.locator(".coopkit-rules-table")).to_contain_text("Equal price for all (chosen)")
    expect(page.locator(".coopkit-pool-table")).to_contain_text("253,000 boxes a year")
    expect(page.locator(".coopkit-prices-table")).to_contain_text("5.55")
    expect(page.locator(".coopkit-guardrails")).to_contain_text("not legal advice")
    expect(page.locator(".coopkit-chart")).to_have_count(4)
    assert "Traceback" not in page.content()


def test_the_shapley_split_makes_the_pool_a_go(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("joint_purchasing", split_rule="shapley")
    assert a.verdict == "go"
    page.locator(".coopkit-field-split_rule select").select_option(label="Shapley (fair share of the savings game)")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(verdict(a), timeout=UPDATE_MS)
    expect(gain(page, METRO)).to_have_text(money(float(a.parties.loc[METRO, "gain"])), timeout=UPDATE_MS)
    expect(page.locator(".coopkit-rules-table")).to_contain_text(
        "Shapley (fair share of the savings game) (chosen)", timeout=UPDATE_MS
    )


def test_reaching_the_pools_tier_alone_leaves_the_largest_member_better_off_alone(open_sheet):
    # 160,000 boxes is exactly the break point of the 5.30 tier: Metro pays the pool's price alone.
    page = open_sheet(NOTEBOOK)
    volume = {"likely": 160_000, "low": 110_000, "high": 130_000}
    a = expected("joint_purchasing", use_ranges=False, **{"members.1.volume": volume})
    assert a.verdict == "no-go" and a.parties.loc[METRO, "share"] == 0
    page.locator(".coopkit-field-use_ranges input").uncheck()
    expect(page.locator(".coopkit-probability")).to_have_count(0, timeout=UPDATE_MS)
    set_field(page, "members-1-volume-likely", "160000")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(verdict(a), timeout=UPDATE_MS)
    expect(gain(page, METRO)).to_have_text(money(float(a.parties.loc[METRO, "gain"])), timeout=UPDATE_MS)
    expect(gain(page, METRO)).to_have_class(re.compile("coopkit-neg"), timeout=UPDATE_MS)
    expect(page.locator(".coopkit-findings-box")).to_contain_text(
        f"{METRO} would be better off buying alone", timeout=UPDATE_MS
    )


def test_a_price_that_rises_with_volume_is_explained_and_kept(open_sheet):
    page = open_sheet(NOTEBOOK)
    set_field(page, "tiers-3-unit_price", "6.5")
    expect(page.locator(".coopkit-error-tiers-3-unit_price")).to_contain_text(
        "Tier 4: Unit price must be at most tier 3's (6.3): prices may not rise with volume, got 6.5",
        timeout=UPDATE_MS,
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1, timeout=UPDATE_MS)
    expect(page.locator(".coopkit-field-tiers-3-unit_price input")).to_have_value("6.5", timeout=UPDATE_MS)
