"""The reward-design worksheet (sales workbook, 5) in a real browser, served by Voila."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from coopkit.report.html import money
from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "sales/05_reward_design.ipynb"
PAGE_TIMEOUT_MS = 90_000  # as tests/browser/conftest.py


def settle(browser, voila_url: str, notebook: str, *, patience_s: float = 600.0) -> None:
    """Wait until a first visit to ``notebook`` shows its verdict, pausing between tries.

    Voila 0.5 can lose a notebook's output when a visit takes its pre-heated
    kernel while that kernel is still running the notebook. Every worksheet
    pre-heats when the server starts, which on a small, busy machine takes
    minutes; a failed visit starts a fresh kernel, and the pause lets it
    finish before the next try.
    """
    page = browser.new_page()
    deadline = time.monotonic() + patience_s
    try:
        while True:
            page.goto(f"{voila_url}/voila/render/{notebook}", timeout=PAGE_TIMEOUT_MS)
            try:
                page.locator(".coopkit-verdict .coopkit-verdict-text").wait_for(timeout=45_000)
                return
            except PlaywrightTimeoutError:
                if time.monotonic() > deadline:
                    raise
                page.goto("about:blank")
                page.wait_for_timeout(30_000)
    finally:
        page.close()


@pytest.fixture(scope="module", autouse=True)
def _settled(browser, voila_url):
    settle(browser, voila_url, NOTEBOOK)


def open_page(open_sheet):
    """``open_sheet`` on this worksheet, tried a second time if the visit shows no results (see :func:`settle`)."""
    try:
        return open_sheet(NOTEBOOK)
    except PlaywrightTimeoutError:
        return open_sheet(NOTEBOOK)


def tile(page, key: str):
    return page.locator(f".coopkit-tile-{key} .coopkit-tile-value")


def test_first_visit_shows_the_sample_verdict_and_the_break_even_mix(open_sheet):
    page = open_page(open_sheet)
    a = expected("sales_rewards")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{re.escape(a.verdict)}$"))
    expect(tile(page, "break-even")).to_have_text(f"{a.details['break_even']:.1%}")  # 72.7%
    expect(tile(page, "own")).to_have_text(money(a.details["own"], 2))  # −59.53
    expect(page.locator(".coopkit-parts-table")).to_contain_text("Net for the helper")
    expect(page.locator(".coopkit-chart")).to_have_count(2)
    assert "Traceback" not in page.content()


def test_a_costlier_help_raises_the_break_even_mix(open_sheet):
    page = open_page(open_sheet)
    a = expected("sales_rewards", help_cost=4000)
    set_field(page, "help_cost", "4000")
    expect(tile(page, "break-even")).to_have_text(f"{a.details['break_even']:.1%}")  # 8 x 4,000 / 40,000 = 80.0%
    expect(tile(page, "own")).to_have_text(money(a.details["own"], 2))
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(0)


def test_weights_that_do_not_add_up_are_explained_and_kept(open_sheet):
    page = open_page(open_sheet)
    set_field(page, "individual_weight", "0.9")
    expect(page.locator(".coopkit-error-individual_weight")).to_contain_text(
        "The three weights must add up to 1 (100%), got 1.05"
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(page.locator(".coopkit-field-individual_weight input")).to_have_value("0.9")
