"""The competing-with-partners worksheet (sales workbook, 6) in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from coopkit.report.html import money
from coopkit.report.option_views.sales_rivals import meetings_text
from tests.browser.helpers import expected, set_field
from tests.browser.test_sales_rewards import settle

pytestmark = pytest.mark.browser
NOTEBOOK = "sales/06_competing_with_partners.ipynb"
US = "Northwind Systems"


@pytest.fixture(scope="module", autouse=True)
def _settled(browser, voila_url):
    settle(browser, voila_url, NOTEBOOK)


def open_page(open_sheet):
    """``open_sheet`` on this worksheet, tried a second time if the visit shows no results (see ``settle``)."""
    try:
        return open_sheet(NOTEBOOK)
    except PlaywrightTimeoutError:
        return open_sheet(NOTEBOOK)


def tile(page, key: str):
    return page.locator(f".coopkit-tile-{key} .coopkit-tile-value")


def test_first_visit_shows_the_sample_verdict_thresholds_and_tournament(open_sheet):
    page = open_page(open_sheet)
    a = expected("sales_rivals")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{re.escape(a.verdict)}$"))
    expect(tile(page, "w")).to_have_text(f"{a.details['w']:.3f}")  # 0.739
    expect(tile(page, "needed-tft")).to_have_text(meetings_text(a.details["needed_tft"]))  # 2.11
    first = page.locator(".coopkit-ranking-table tbody tr").first
    expect(first.locator("td.coopkit-col-label")).to_have_text(a.tables["ranking"].iloc[0]["label"])
    ours = page.locator(".coopkit-match-table tbody tr").first.locator("td.coopkit-col-per_meeting")
    expect(ours).to_have_text(money(float(a.parties.loc[US, "per_meeting"])))
    expect(page.locator(".coopkit-chart")).to_have_count(4)
    assert "Traceback" not in page.content()


def test_meeting_more_often_makes_sharing_stable(open_sheet):
    page = open_page(open_sheet)
    a = expected("sales_rivals", meetings_per_year=4)
    set_field(page, "meetings_per_year", "4")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile("share leads$"))
    expect(tile(page, "w")).to_have_text(f"{a.details['w']:.3f}")  # (0.6 / 1.1) ** (1/4) = 0.859
    ours = page.locator(".coopkit-match-table tbody tr").first.locator("td.coopkit-col-per_meeting")
    expect(ours).to_have_text(money(float(a.parties.loc[US, "per_meeting"])))


def test_payoffs_that_are_no_dilemma_are_explained_and_kept(open_sheet):
    page = open_page(open_sheet)
    set_field(page, "they_share", "15000")
    expect(page.locator(".coopkit-error-they_share")).to_contain_text(
        "Only they share (T) must be more than Both share (R, 15,000), got 15,000"
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(page.locator(".coopkit-field-they_share input")).to_have_value("15000")
