"""The win/loss review worksheet in a real browser, served by Voila: the sample, an uploaded CSV, a broken one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from coopkit.options.sales.win_loss import interval, pct
from tests.browser.helpers import expected

pytestmark = pytest.mark.browser
NOTEBOOK = "sales/01_win_loss_review.ipynb"
HEADER = "deal_id;closed_on;rep;segment;competitor;outcome;loss_reason;amount"


FIRST_WAIT_MS = 60_000
LOAD_TIMEOUT_MS = 180_000


def open_page(page, voila_url: str, notebook: str):
    """Open a worksheet and wait for its verdict, reloading once if the first render was lost.

    When Voila starts it preheats a kernel for every notebook at once; on a busy machine nbclient's 4 s IOPub
    timeout can drop the output of a preheated run (Voila logs "Timeout waiting for IOPub output"), and the page
    served from that kernel stays empty whatever the notebook. The kernel Voila starts in its place renders
    normally, so one reload tells that apart from a broken worksheet, which fails again.
    """
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": 1280, "height": 2000})
    verdict = page.locator(".coopkit-verdict .coopkit-verdict-text")
    page.goto(f"{voila_url}/voila/render/{notebook}", timeout=LOAD_TIMEOUT_MS)
    try:
        verdict.wait_for(timeout=FIRST_WAIT_MS)
    except PlaywrightTimeoutError:
        page.reload(timeout=LOAD_TIMEOUT_MS)
        verdict.wait_for(timeout=LOAD_TIMEOUT_MS)
    return page


@pytest.fixture
def sheet(page, voila_url):
    """Open a worksheet by its notebook path under notebooks/ (see :func:`open_page`)."""
    return lambda notebook: open_page(page, voila_url, notebook)


def upload(page, name: str, text: str) -> None:
    """Load a file with the worksheet's "Load file" button, as a user picking it would.

    The ipywidgets file button keeps its ``<input type=file>`` out of the page and clicks it when pressed, so
    the test presses the button, catches the file chooser it opens and sets the file on that input.
    """
    with page.expect_file_chooser() as chooser:
        page.locator(".coopkit-upload-crm_csv").click()
    chooser.value.element.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )


def small_export() -> str:
    """60 deals against two competitors, semicolon-separated as a European spreadsheet saves them."""
    rows = [HEADER]
    for j in range(60):
        competitor = "Acme Corp" if j % 3 else "Zenith & Sons"
        won = j % 4 != 0 if competitor == "Acme Corp" else j % 2 == 0
        reason = "" if won else ("Price" if j % 5 else "Timing")
        month = 1 + j % 12
        rows.append(
            f"X-{j};2025-{month:02d}-{1 + j % 27:02d};Rep {j % 3};SMB;{competitor};{'Won' if won else 'Lost'};"
            f"{reason};{1000 + 10 * j}"
        )
    return "\n".join(rows) + "\n"


def test_first_visit_shows_the_sample_review(sheet):
    page = sheet(NOTEBOOK)
    a = expected("sales_win_loss")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    table = page.locator(".coopkit-h2h-table")
    kestrel = a.tables["head_to_head"].loc["Kestrel Software"]
    expect(table.locator("tr", has_text="Kestrel Software")).to_contain_text(kestrel["record"])
    expect(table.locator("tr", has_text="Kestrel Software")).to_contain_text(interval(kestrel["low"], kestrel["high"]))
    expect(page.locator(".coopkit-trend-table tr", has_text="Kestrel Software")).to_contain_text("improving")
    expect(page.locator(".coopkit-trend-table tr", has_text="Vantage Cloud")).to_contain_text("slipping")
    expect(page.locator(".coopkit-reasons-table")).to_contain_text("vital few")
    expect(page.locator(".coopkit-chart")).to_have_count(7)
    assert "Traceback" not in page.content()


def test_an_uploaded_export_is_reviewed_and_a_broken_one_explained(sheet):
    page = sheet(NOTEBOOK)
    text = small_export()
    a = expected("sales_win_loss", crm_csv=text, min_deals=5)
    page.locator(".coopkit-field-min_deals input").fill("5")
    page.locator(".coopkit-field-min_deals input").press("Enter")
    upload(page, "deals.csv", text)
    table = page.locator(".coopkit-h2h-table")
    acme = a.tables["head_to_head"].loc["Acme Corp"]
    expect(table.locator("tr", has_text="Acme Corp")).to_contain_text(acme["record"], timeout=60_000)
    expect(table.locator("tr", has_text="Zenith & Sons")).to_contain_text(
        pct(a.tables["head_to_head"].loc["Zenith & Sons", "win_rate"])
    )
    expect(page.locator(".coopkit-field-crm_csv textarea")).to_have_value(text)
    expect(page.locator(".coopkit-findings")).to_contain_text("The file's columns are separated by semicolons.")
    expect(page.locator(".coopkit-status")).to_contain_text("Results are up to date.")

    # a broken file: the message names the column, the last good results stay (marked stale), nothing typed is lost
    broken = text.replace(";1000\n", ";a thousand\n").replace("outcome", "result")
    upload(page, "broken.csv", broken)
    error = page.locator(".coopkit-error-crm_csv")
    expect(error).to_contain_text("The file has no column 'outcome' (Outcome column)", timeout=60_000)
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(table.locator("tr", has_text="Acme Corp")).to_contain_text(acme["record"])
    page.locator(".jupyter-widget-Collapse-header", has_text="CSV columns").click()  # the collapsed panel
    page.locator(".coopkit-field-outcome_column input").fill("result")
    page.locator(".coopkit-field-outcome_column input").press("Enter")
    expect(error).to_contain_text("Column 'amount' (Deal value column): 1 row is not a number of at least 0")
    expect(error).to_contain_text("row 2: 'a thousand'")
    expect(page.locator(".coopkit-field-crm_csv textarea")).to_have_value(broken)
    assert "Traceback" not in page.content()
