"""The reputation-risk and market-growth worksheets in a real browser, served by Voila.

Expected figures come from coopkit itself on the same inputs (the browser test
checks that the page shows what the framework computes, live, after an edit).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected

pytestmark = pytest.mark.browser


def no_code_no_traceback(page, call: str) -> None:
    html = page.content()
    assert call not in html
    assert "Traceback" not in html


# --------------------------------------------------------------------------- reputation risk
def risk_after(page, figure: str):
    return page.locator(f".coopkit-risk-table tr.coopkit-risk-{figure} td.coopkit-col-after")


def test_reputation_first_visit_shows_the_sample_verdict(reputation_page):
    page = reputation_page
    a = expected("reputation_risk")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("deal not worth the risk$"))
    expect(risk_after(page, "expected-loss-per-year")).to_have_text(
        money(a.tables["risk"].loc["Expected loss per year", "after"])
    )
    expect(page.locator(".coopkit-probability")).to_contain_text("P(rated high or severe) = ")
    expect(page.locator(".coopkit-chart")).to_have_count(4)  # heat map, scorecard, loss spread, deal payoffs
    expect(page.locator(".coopkit-findings")).to_contain_text("win-win on paper, not after reputation risk")
    no_code_no_traceback(page, 'worksheet("reputation_risk")')


def test_reputation_mitigations_lower_the_loss_and_save_the_deal(reputation_page):
    page = reputation_page
    a = expected("reputation_risk", audits=True, limited_cobranding=True, staged_rollout=True)
    for field in ("audits", "limited_cobranding", "staged_rollout"):
        page.locator(f".coopkit-field-{field} input[type=checkbox]").check()
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    expect(risk_after(page, "expected-loss-per-year")).to_have_text(
        money(a.tables["risk"].loc["Expected loss per year", "after"])
    )
    gain = page.locator(".coopkit-party-table td.coopkit-col-gain[data-party='Alder Roasters']")
    expect(gain).to_have_text(money(float(a.parties.loc["Alder Roasters", "gain"])))
    expect(page.locator(".coopkit-findings")).to_contain_text("The deal stays win-win after reputation risk")


def test_reputation_invalid_share_is_explained_and_kept(reputation_page):
    page = reputation_page
    box = page.locator(".coopkit-field-customers_lost-likely input")
    box.fill("1.5")
    box.press("Enter")
    message = page.locator(".coopkit-error-customers_lost")
    expect(message).to_contain_text("Customers lost")
    expect(message).to_contain_text("between 0 and 1, got 1.5")
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(box).to_have_value("1.5")


# --------------------------------------------------------------------------- market growth
def npv_cell(page, party: str):
    return page.locator(f".coopkit-party-table td.coopkit-col-npv[data-party='{party}']")


def test_market_first_visit_shows_the_sample_verdict(market_page):
    page = market_page
    a = expected("market_growth")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("rising tide$"))
    expect(npv_cell(page, "Northwind Heat")).to_have_text(money(float(a.parties.loc["Northwind Heat", "npv"])))
    expect(page.locator(".coopkit-probability")).to_contain_text("P(grows enough for every party) = 100.0%")
    expect(page.locator(".coopkit-chart")).to_have_count(4)  # adoption, revenue, waterfall, fan
    expect(page.locator(".coopkit-sizing-table")).to_contain_text("400,000 customers × 1,200 a year")
    no_code_no_traceback(page, 'worksheet("market_growth")')


def test_market_giving_up_share_turns_the_verdict(market_page):
    page = market_page
    a = expected("market_growth", **{"parties.1.share_with": 0.09})
    box = page.locator(".coopkit-field-parties-1-share_with input")
    box.fill("0.09")
    box.press("Enter")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("does not pay for every party$"))
    expect(npv_cell(page, "Fjord Energy")).to_have_text(money(float(a.parties.loc["Fjord Energy", "npv"])))
    expect(npv_cell(page, "Fjord Energy")).to_have_class(re.compile("coopkit-neg"))


def test_market_fit_to_an_adoption_history(market_page):
    page = market_page
    page.locator(".coopkit-field-bass_source select").select_option(label="Fit to our adoption history")
    history = page.locator(".coopkit-field-adoption_history input")
    expect(page.locator(".coopkit-error-adoption_history")).to_contain_text("Adoption history is empty")
    history.fill("900, 1800, three, 5200")
    history.press("Enter")
    expect(page.locator(".coopkit-error-adoption_history")).to_contain_text("got 'three' (entry 3)")
    series = "900, 1800, 3300, 5200, 6900, 7600"
    history.fill(series)
    history.press("Enter")
    a = expected("market_growth", bass_source="fit", adoption_history=series)
    expect(page.locator(".coopkit-findings")).to_contain_text("Bass fit to the adoption history")
    expect(page.locator(".coopkit-chart")).to_have_count(5)  # plus the fit chart
    expect(npv_cell(page, "Northwind Heat")).to_have_text(money(float(a.parties.loc["Northwind Heat", "npv"])))
