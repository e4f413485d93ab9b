"""The win-win worksheet in a real browser, served by Voila as `coopkit serve` serves it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def set_field(page, loc: str, value: str) -> None:
    """Type a value into the box of a field (CSS class coopkit-field-<loc>) and commit it with Enter."""
    box = page.locator(f".coopkit-field-{loc} input")
    box.fill(value)
    box.press("Enter")


def gain_cell(page, party: str):
    return page.locator(f".coopkit-party-table td.coopkit-col-gain[data-party='{party}']")


def test_first_visit_shows_the_sample_case_verdict(worksheet_page):
    page = worksheet_page
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(r"\bwin-win$"))
    expect(gain_cell(page, "Alder Roasters")).to_have_text("70,000")
    expect(gain_cell(page, "Birch & Bean")).to_have_text("55,000")
    expect(page.locator(".coopkit-probability")).to_contain_text("P(win-win) = 99.4%")
    expect(page.locator(".coopkit-chart")).to_have_count(4)
    # served as a worksheet: no code, no traceback
    html = page.content()
    assert 'worksheet("win_win_check")' not in html
    assert "Traceback" not in html


def test_changing_partnership_value_moves_verdict_and_gains(worksheet_page):
    page = worksheet_page
    # 700,000 together against 680,000 apart: a surplus of 20,000, split evenly by Shapley (10,000 each);
    # Birch & Bean's expected loss of 15,000 then leaves it 5,000 worse off.
    set_field(page, "partnership_value-likely", "700000")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("win-win on paper only"))
    expect(gain_cell(page, "Alder Roasters")).to_have_text("10,000")
    expect(gain_cell(page, "Birch & Bean")).to_have_text("−5,000")
    expect(page.locator(".coopkit-findings")).to_contain_text("Birch & Bean ends up 5,000 worse off than on its own")


def test_invalid_entry_shows_message_and_keeps_what_was_typed(worksheet_page):
    page = worksheet_page
    set_field(page, "parties-1-contribution", "-5")
    message = page.locator(".coopkit-error-parties-1-contribution")
    expect(message).to_have_text(re.compile(r"Party 2: What it brings must be between 0 and 1,000,000,000,000, got -5"))
    expect(page.locator(".coopkit-status")).to_contain_text("needs fixing")
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(page.locator(".coopkit-field-parties-1-contribution input")).to_have_value("-5")
    # fixing it clears the message and brings the results back
    set_field(page, "parties-1-contribution", "40")
    expect(message).to_be_hidden()
    expect(page.locator(".coopkit-status")).to_contain_text("up to date")


def test_adding_a_party_recomputes_for_three(worksheet_page):
    page = worksheet_page
    page.locator(".coopkit-add-parties").click()
    expect(page.locator(".coopkit-party-table tbody tr")).to_have_count(3)
    expect(page.locator(".coopkit-field-parties-2-name input")).to_have_value("New party 3")


def test_party_names_are_shown_as_text_not_markup(worksheet_page):
    page = worksheet_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = "<img src=x onerror=alert(1)>"
    name_box = page.locator(".coopkit-field-parties-0-name input")
    name_box.fill(hostile)
    name_box.press("Enter")
    expect(page.locator(".coopkit-party-table td.coopkit-col-party").first).to_have_text(hostile)
    expect(page.locator(".coopkit-party-table img")).to_have_count(0)
    assert dialogs == []
