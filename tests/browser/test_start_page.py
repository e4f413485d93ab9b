"""The start page in a real browser: tick goals, get the worksheets that fit, follow a link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_ticking_a_goal_lists_the_worksheets_and_the_link_opens_one(page, voila_url):
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(voila_url + "/voila/render/00_start_here.ipynb", timeout=PAGE_TIMEOUT_MS)
    picks = page.locator(".coopkit-recommendations")
    expect(picks).to_contain_text("Tick at least one goal")
    page.locator(".coopkit-goal-goodwill input[type=checkbox]").check()
    page.locator(".coopkit-partner select").select_option(label="A direct competitor")
    link = picks.locator("a", has_text="Joint charitable cause")
    expect(link).to_have_attribute("href", "options/01_charitable_cause.ipynb")
    expect(picks).to_contain_text("suits a direct competitor")
    page.goto(voila_url + "/voila/render/options/01_charitable_cause.ipynb", timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(".coopkit-verdict .coopkit-verdict-text")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert "Traceback" not in page.content()
