"""The deal review worksheet in a real browser, served by Voila: the sample deal, a checklist change, a bad export."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.options.sales.win_loss import pct
from coopkit.store.casefile import read_case, sample_case
from tests.browser.helpers import expected
from tests.browser.test_sales_win_loss import open_page, upload

pytestmark = pytest.mark.browser
NOTEBOOK = "sales/04_deal_review.ipynb"


@pytest.fixture
def sheet(page, voila_url):
    """Open a worksheet by its notebook path under notebooks/ (reloading once if its first render was lost)."""
    return lambda notebook: open_page(page, voila_url, notebook)


def band_row(page, band: str):
    """The row of the score-bands table whose first cell is ``band`` (e.g. "4–6")."""
    first = page.locator("td:first-child", has_text=re.compile(f"^{band}$"))
    return page.locator(".coopkit-bands-table tr").filter(has=first)


def test_first_visit_shows_the_sample_deal(sheet):
    page = sheet(NOTEBOOK)
    a = expected("sales_deal_review")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"))
    expect(page.locator(".coopkit-probability")).to_contain_text(f"Estimated win chance = {pct(a.probability)}")
    expect(band_row(page, "4–6")).to_contain_text("this deal")
    pitch = page.locator(".coopkit-items-table tr", has_text="Competitor's likely pitch known")
    expect(pitch).to_contain_text("0 – not done")
    expect(page.locator(".coopkit-estimates-table")).to_contain_text("Logistic fit of past outcomes on the score")
    expect(page.locator(".coopkit-chart")).to_have_count(2)
    assert "Traceback" not in page.content()


def test_a_checklist_change_moves_the_estimate_and_a_bad_export_is_explained(sheet):
    page = sheet(NOTEBOOK)
    checklist = read_case(sample_case("sales_deal_review.json")).inputs["checklist"]
    checklist[2]["score"] = 2
    a = expected("sales_deal_review", checklist=checklist)  # 8 of 12 points: band 7-9
    page.locator(".coopkit-field-checklist-2-score select").select_option(label="2 – done")
    expect(page.locator(".coopkit-probability")).to_contain_text(f"Estimated win chance = {pct(a.probability)}")
    expect(band_row(page, "7–9")).to_contain_text("this deal")

    text = "outcome,competitor,segment,prep_research\nWon,Acme,SMB,2\nLost,Acme,SMB,0\n"
    upload(page, "old_export.csv", text)
    error = page.locator(".coopkit-error-crm_csv")
    expect(error).to_contain_text("The file has no columns 'prep_objections' (Checklist)", timeout=60_000)
    expect(error).to_contain_text("'prep_next_steps' (Checklist)")
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1)
    expect(page.locator(".coopkit-field-crm_csv textarea")).to_have_value(text)
    expect(page.locator(".coopkit-field-checklist-2-score select")).to_have_value("2 – done")  # kept as chosen
    assert "Traceback" not in page.content()
