"""Browser tests: Voila on a free loopback port, pages in Debian's headless Chromium.

Without Chromium the tests are skipped with a message saying how to get it,
except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_voila, voila_log_tail

WORKSHEET = "/voila/render/frameworks/win_win_check.ipynb"
PAGE_TIMEOUT_MS = 180_000  # first load starts a kernel; slow when the machine is busy


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install Debian's chromium (sudo apt-get install chromium, "
        "or run `make test` as root) or set COOPKIT_CHROMIUM"
    )
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError("CI=true but the browser tests cannot run. " + message)
    skip = pytest.mark.skip(reason=message)
    for item in items:
        item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test reports the end of its Voila's log: a kernel that died or never started shows there."""
    report = yield
    url = getattr(item, "funcargs", {}).get("voila_url")
    if report.failed and isinstance(url, str):
        report.sections.append(("Voila log (last lines)", voila_log_tail(url)))
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def voila_url():
    # Without preheated kernels: Voila 0.5 can hand a visit a preheated kernel that is still running its
    # notebook and then never show the output; with ~15 worksheets preheating at start on 2 cores that race
    # is common. Preheating itself is checked in tests/unit/test_cli.py (serve_command).
    with running_voila(preheat=False) as url:
        yield url


def open_worksheet(page, voila_url: str, path: str):
    """Load a worksheet page and wait until it shows its first verdict."""
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.set_viewport_size({"width": 1280, "height": 2000})
    page.goto(voila_url + path, timeout=PAGE_TIMEOUT_MS)
    page.locator(".coopkit-verdict .coopkit-verdict-text").wait_for(timeout=PAGE_TIMEOUT_MS)
    return page


@pytest.fixture
def worksheet_page(page, voila_url):
    """The win-win worksheet, loaded and showing its first verdict."""
    return open_worksheet(page, voila_url, WORKSHEET)


@pytest.fixture
def reputation_page(page, voila_url):
    """The reputation-risk worksheet, loaded and showing its first verdict."""
    return open_worksheet(page, voila_url, "/voila/render/frameworks/reputation_risk.ipynb")


@pytest.fixture
def market_page(page, voila_url):
    """The market-growth worksheet, loaded and showing its first verdict."""
    return open_worksheet(page, voila_url, "/voila/render/frameworks/market_growth.ipynb")


@pytest.fixture
def open_sheet(page, voila_url):
    """Open any worksheet by its notebook path under notebooks/, e.g. ``open_sheet("options/01_charitable_cause.ipynb")``."""
    return lambda notebook: open_worksheet(page, voila_url, f"/voila/render/{notebook}")


# After an edit the kernel recomputes and redraws; on a busy 2-core machine that can take longer than
# Playwright's 5 s default, so every expectation waits up to 30 s (a passing check returns at once).
expect.set_options(timeout=30_000)
