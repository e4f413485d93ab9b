"""The two-way referrals worksheet in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "options/05_referrals.ipynb"
US, PARTNER = "Ledgerline Accounting", "Brightwire IT"
HOSTILE = "<img src=x onerror=alert(1)>"
WAIT = {"timeout": 30_000}  # a recompute draws four charts; leave room for a busy machine


def net(page, party: str):
    return page.locator(f".coopkit-exchange-table tr.coopkit-row-net td[data-party='{party}']")


def pair_count(page, pair: str):
    return page.locator(".coopkit-overlap-table tr", has_text=pair).locator("td.coopkit-col-count")


def fill_text_area(page, field: str, text: str) -> None:
    """Type into a text area and leave it, which commits the value."""
    box = page.locator(f".coopkit-field-{field} textarea")
    box.fill(text)
    box.blur()


def test_first_visit_shows_the_sample_verdict_and_the_overlap(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("referrals")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"), **WAIT)
    expect(page.locator(".coopkit-party-table td.coopkit-col-gain[data-party='Brightwire IT']")).to_have_text(
        money(float(a.parties.loc[PARTNER, "gain"])), **WAIT
    )
    expect(net(page, US)).to_have_text(money(float(a.tables["flows"].loc[US, "net"])), **WAIT)
    found = a.details["overlap"]
    for ours, theirs in (("customer", "customer"), ("customer", "prospect"), ("prospect", "customer")):
        label = f"Our {ours}s × their {theirs}s"
        expect(pair_count(page, label)).to_have_text(str(found.count(ours, theirs)), **WAIT)
    expect(pair_count(page, "Our customers × their prospects")).to_have_text("4", **WAIT)
    expect(page.locator(".coopkit-matches-table")).to_contain_text("Harbour Bakery Ltd", **WAIT)
    expect(page.locator(".coopkit-guardrails")).to_contain_text("not legal advice", **WAIT)
    expect(page.locator(".coopkit-chart")).to_have_count(4, **WAIT)
    assert "Traceback" not in page.content()


def test_a_higher_fee_for_the_partner_raises_our_net_value(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("referrals", **{"sides.1.referral_fee": 900.0})
    set_field(page, "sides-1-referral_fee", "900")
    expect(net(page, US)).to_have_text(money(float(a.tables["flows"].loc[US, "net"])), **WAIT)
    expect(net(page, PARTNER)).to_have_text(money(float(a.tables["flows"].loc[PARTNER, "net"])), **WAIT)
    assert money(float(a.tables["flows"].loc[US, "net"])) == "62,800"  # 53,800 + 30 referrals won x 300


def test_counts_only_keeps_the_counts_and_hides_the_names(open_sheet):
    page = open_sheet(NOTEBOOK)
    page.locator(".coopkit-field-counts_only input").check()
    expect(page.locator(".coopkit-counts-only")).to_have_count(1, **WAIT)
    expect(page.locator(".coopkit-matches-table")).to_have_count(0, **WAIT)
    expect(pair_count(page, "Our customers × their prospects")).to_have_text("4", **WAIT)


def test_an_invalid_conversion_is_explained_and_kept(open_sheet):
    page = open_sheet(NOTEBOOK)
    set_field(page, "sides-0-conversion-likely", "1.5")
    expect(page.locator(".coopkit-error-sides-0-conversion")).to_contain_text(
        "Side 1: Conversion (most likely) must be between 0 and 1, got 1.5", **WAIT
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1, **WAIT)
    expect(page.locator(".coopkit-field-sides-0-conversion-likely input")).to_have_value("1.5", **WAIT)


def test_a_short_secret_is_explained(open_sheet):
    page = open_sheet(NOTEBOOK)
    set_field(page, "shared_secret", "letmein")
    expect(page.locator(".coopkit-error-shared_secret")).to_contain_text(
        "Shared secret must be at least 16 characters long", **WAIT
    )


def test_a_hostile_account_name_is_shown_as_text(open_sheet):
    page = open_sheet(NOTEBOOK)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fill_text_area(page, "our_accounts", f"{HOSTILE}\nacme.example\n")
    fill_text_area(page, "partner_accounts", f'company,type\n"{HOSTILE}",prospect\n')
    matches = page.locator(".coopkit-matches-table")
    expect(matches).to_contain_text(HOSTILE, **WAIT)
    expect(pair_count(page, "Our customers × their prospects")).to_have_text("1", **WAIT)
    expect(page.locator(".coopkit-section-overlap img")).to_have_count(0, **WAIT)
    assert dialogs == []
