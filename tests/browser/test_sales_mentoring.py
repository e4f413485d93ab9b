"""The knowledge-sharing and mentoring worksheet in a real browser, served by Voila."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import expected, set_field

pytestmark = pytest.mark.browser
NOTEBOOK = "sales/03_knowledge_sharing.ipynb"
WAIT = {"timeout": 30_000}  # a recompute draws the network; leave room for a busy machine


def upload(page, field: str, text: str, name: str) -> None:
    """Click a field's "Load file" button and set the file on the file input it opens (kept out of the page)."""
    with page.expect_file_chooser() as chooser:
        page.locator(f".coopkit-upload-{field}").click()
    chooser.value.element.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )


def person(page, name: str):
    return page.locator(".coopkit-people-table tbody tr", has_text=name)


def test_first_visit_shows_who_gives_who_is_isolated_and_the_pairs(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("sales_mentoring")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"), **WAIT)
    expect(person(page, "Ana Silva").locator("td.coopkit-col-gives")).to_have_text("37", **WAIT)
    expect(person(page, "Hugo Berg").locator("td.coopkit-col-role")).to_have_text("isolated", **WAIT)
    expect(page.locator(".coopkit-pairs-table tbody tr")).to_have_count(len(a.tables["pairs"]), **WAIT)
    expect(page.locator(".coopkit-chart")).to_have_count(3, **WAIT)
    assert "Traceback" not in page.content()


def test_one_mentee_per_mentor_leaves_mentees_without_a_mentor(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("sales_mentoring", mentees_per_mentor=1)
    set_field(page, "mentees_per_mentor", "1")
    expect(page.locator(".coopkit-pairs-table tbody tr")).to_have_count(len(a.tables["pairs"]), **WAIT)
    expect(page.locator(".coopkit-unmatched")).to_contain_text("No mentor for: Maya Cohen", **WAIT)


def test_an_uploaded_log_and_a_broken_reps_table(open_sheet):
    page = open_sheet(NOTEBOOK)
    log = "helper,helped,date,topic\nAna Silva,Hugo Berg,2025-07-01,demo\nHugo Berg,Sam Murphy,2025-07-02,crm\n"
    upload(page, "help_log", log, "help.csv")
    expect(person(page, "Hugo Berg").locator("td.coopkit-col-role")).to_have_text("gives and takes", **WAIT)
    expect(page.locator(".coopkit-headline")).to_contain_text("2 times help was given", **WAIT)
    reps = "name,tenure_months,quota_attainment,skill_closing\nAna Silva,40,lots,5\n"
    upload(page, "reps", reps, "reps.csv")
    expect(page.locator(".coopkit-error-reps")).to_contain_text(
        "Reps: column 'quota_attainment' must hold a share of quota from 0 to 5, e.g. 1.05 or 105%, got 'lots' on line 2",
        **WAIT,
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1, **WAIT)
    expect(page.locator(".coopkit-field-reps textarea")).to_have_value(reps, **WAIT)
