"""The executive dashboard in a real browser, over a workspace of 60 seeded cases (one with a hostile title)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from coopkit.report.portfolio import EXAMPLE_SUMMARY
from coopkit.store.cases import CaseStore
from coopkit.store.samples import seed_cases
from tests.browser.conftest import PAGE_TIMEOUT_MS
from tests.browser.server import running_voila

pytestmark = pytest.mark.browser

DASHBOARD = "/voila/render/executive/portfolio.ipynb"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory) -> Iterator[str]:
    """Voila serving the notebooks, its kernels reading a workspace of 59 seeded cases and one hostile case."""
    workspace = tmp_path_factory.mktemp("dashboard-workspace")
    url = f"sqlite:///{workspace}/cases.sqlite"
    store = CaseStore(url)
    seed_cases(store, 59, seed=4, now=datetime(2025, 6, 1, tzinfo=UTC))
    store.create(
        "referrals",
        {"sides": [{"name": "Us"}, {"name": EVIL}]},
        title=EVIL,
        author=EVIL,
        summary={**EXAMPLE_SUMMARY, "gains": {"Us": 1_000.0, EVIL: 2_000.0}, "value_created": 3_000.0},
    )
    store.close()
    with contextlib.ExitStack() as stack:
        with pytest.MonkeyPatch.context() as env:  # Voila and its kernels inherit the environment at start
            env.setenv("COOPKIT_WORKSPACE", str(workspace))
            env.setenv("COOPKIT_DATABASE_URL", url)
            base = stack.enter_context(running_voila(preheat=False))
        yield base


def test_dashboard_lists_filters_and_escapes(page, dashboard_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(dashboard_url + DASHBOARD, timeout=PAGE_TIMEOUT_MS)

    count = page.locator(".coopkit-portfolio-count")
    expect(count).to_contain_text("Showing 60 of 60 cases", timeout=PAGE_TIMEOUT_MS)
    rows = page.locator("tr.coopkit-portfolio-row")
    expect(rows).to_have_count(60)
    expect(page.locator(".coopkit-portfolio-chart")).to_be_visible()

    # the hostile title is text on the page, not a script
    title = page.locator("td.coopkit-col-title a", has_text=EVIL)
    expect(title).to_have_count(1)
    expect(title).to_have_text(EVIL)
    expect(page.locator(".coopkit-dashboard script")).to_have_count(0)
    href = title.get_attribute("href")
    assert re.fullmatch(r"\.\./options/05_referrals\.ipynb\?case=[0-9a-f]{16}", href), href
    first = rows.first.locator("td.coopkit-col-title a").get_attribute("href")
    assert "?case=" in first

    # a text search narrows the table (it applies on Enter)
    search = page.locator(".coopkit-portfolio-search input")
    search.fill("alert(1)")
    search.press("Enter")
    expect(count).to_contain_text("Showing 1 of 60 cases")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td.coopkit-col-author")).to_have_text(EVIL)

    page.locator(".coopkit-portfolio-level select").select_option(label="No-go")
    expect(count).to_contain_text("Showing 0 of 60 cases")

    assert dialogs == []
    assert "Traceback" not in page.content()
