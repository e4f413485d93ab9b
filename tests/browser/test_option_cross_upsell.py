"""The cross up-selling worksheet in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "options/04_cross_upsell.ipynb"
US, THEM = "Tamarind Ledger", "Kestrel Payroll"
WAIT = {"timeout": 60_000}  # a recompute runs 100,000 scenarios and draws four charts; room for a busy machine


def gain(page, party: str):
    return page.locator(f".coopkit-party-table td.coopkit-col-gain[data-party='{party}']")


def test_first_visit_shows_the_sample_verdict_the_zone_and_guardrails(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("cross_upsell")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    expect(page.locator(".coopkit-probability")).to_contain_text(f"P(win-win) = {a.probability:.1%}")
    for party in (US, THEM):
        expect(gain(page, party)).to_have_text(money(float(a.parties.loc[party, "gain"])))
    zone = a.details["zone"]
    table = page.locator(".coopkit-zone-table")
    expect(table).to_contain_text(f"{US} breaks even")
    expect(table).to_contain_text(f"{zone.low:.1%}")
    expect(table).to_contain_text(f"{zone.nash:.1%}")
    expect(page.locator(".coopkit-breakdown-table")).to_contain_text("Own add-on sales lost")
    expect(page.locator(".coopkit-guardrails")).to_contain_text("not legal advice")
    expect(page.locator(".coopkit-chart")).to_have_count(4)
    assert "Traceback" not in page.content()


def test_moving_the_share_to_the_nash_share_balances_the_gains(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("cross_upsell", revenue_share=0.44)
    set_field(page, "revenue_share", "0.44")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"), **WAIT)
    for party in (US, THEM):
        expect(gain(page, party)).to_have_text(money(float(a.parties.loc[party, "gain"])), **WAIT)
    expect(page.locator(".coopkit-headline")).to_have_text(a.headline, **WAIT)
    expect(page.locator(".coopkit-probability")).to_contain_text(f"P(win-win) = {a.probability:.1%}", **WAIT)


def test_a_share_outside_the_zone_is_no_go(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("cross_upsell", revenue_share=0.2)
    assert a.verdict == "no-go"
    set_field(page, "revenue_share", "0.2")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("no-go$"), **WAIT)
    expect(gain(page, US)).to_have_text(money(float(a.parties.loc[US, "gain"])), **WAIT)
    expect(gain(page, US)).to_have_class(re.compile("coopkit-neg"), **WAIT)


def test_a_share_above_one_is_explained_and_kept(open_sheet):
    page = open_sheet(NOTEBOOK)
    set_field(page, "revenue_share", "1.5")
    expect(page.locator(".coopkit-error-revenue_share")).to_contain_text(
        "Revenue share we keep must be between 0 and 1, got 1.5", **WAIT
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1, **WAIT)
    expect(page.locator(".coopkit-field-revenue_share input")).to_have_value("1.5", **WAIT)
