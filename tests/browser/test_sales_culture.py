"""The team culture check in a real browser, served by Voila: uploads, messages and the anonymity rule."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coopkit.frameworks.survey import ITEMS, OTHER, WHOLE_TEAM
from tests.browser.helpers import expected

pytestmark = pytest.mark.browser
NOTEBOOK = "sales/02_team_culture.ipynb"
WAIT = {"timeout": 30_000}  # a recompute draws three charts; leave room for a busy machine
HEADER = ",".join(["team", *(item.code for item in ITEMS)])


def survey_csv(groups: dict[str, int], bad: str | None = None) -> str:
    """A survey of groups of the given sizes; ``bad`` puts that value in ps3 of the second line."""
    lines = [HEADER]
    for team, n in groups.items():
        for j in range(n):
            cells = [
                str(3 - (j % 2) if item.reverse or item.scale == "toxic_signals" else 5 + (j % 2)) for item in ITEMS
            ]
            lines.append(",".join([team, *cells]))
    if bad is not None:
        cells = lines[2].split(",")
        cells[3] = bad
        lines[2] = ",".join(cells)
    return "\n".join(lines) + "\n"


def upload(page, text: str, name: str = "survey.csv") -> None:
    """Click the worksheet's "Load file" button and set the file on the file input it opens.

    ipywidgets' upload button keeps its ``<input type=file>`` out of the page
    and clicks it when pressed, so the input is reached through the file chooser.
    """
    with page.expect_file_chooser() as chooser:
        page.locator(".coopkit-upload-survey").click()
    chooser.value.element.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )


def group_rows(page):
    return page.locator(".coopkit-groups-table tbody tr td:first-child")


def test_first_visit_shows_scores_by_group_and_never_the_team_of_three(open_sheet):
    page = open_sheet(NOTEBOOK)
    a = expected("sales_culture")
    expect(page.locator(".coopkit-verdict-text")).to_have_text(re.compile(f"{a.verdict}$"), **WAIT)
    expect(group_rows(page)).to_have_text(["Enterprise", "Metro", "South", OTHER, WHOLE_TEAM], **WAIT)
    expect(page.locator(".coopkit-anonymity")).to_contain_text("No figure is shown for fewer than 5 answers", **WAIT)
    expect(page.locator(".coopkit-practices-table")).to_contain_text("Win-sharing", **WAIT)
    expect(page.locator(".coopkit-items-table")).to_contain_text("It is safe to take a risk on this team.", **WAIT)
    expect(page.locator(".coopkit-chart")).to_have_count(3, **WAIT)
    results = page.locator(".coopkit-results").inner_text()
    assert "Channel" not in results and "North" not in results
    assert "Traceback" not in page.content()


def test_an_uploaded_survey_fills_the_tables_and_its_group_of_three_is_pooled(open_sheet):
    page = open_sheet(NOTEBOOK)
    text = survey_csv({"Harbor": 6, "Summit": 7, "Canyon": 3})
    upload(page, text)
    expect(group_rows(page)).to_have_text(["Summit", OTHER, WHOLE_TEAM], **WAIT)
    expect(
        page.locator(".coopkit-groups-table tbody tr", has_text=OTHER).locator("td.coopkit-col-answers")
    ).to_have_text("9", **WAIT)
    expect(page.locator(".coopkit-headline")).to_contain_text("16 answers from 3 groups (2 pooled)", **WAIT)
    expect(page.locator(".coopkit-field-survey textarea")).to_have_value(text, **WAIT)
    results = page.locator(".coopkit-results").inner_text()
    assert "Canyon" not in results  # the group of three is never shown on its own
    assert "Harbor" not in results  # pooled with it, so Canyon cannot be worked out by difference


def test_a_broken_csv_is_explained_naming_the_column_and_kept(open_sheet):
    page = open_sheet(NOTEBOOK)
    text = survey_csv({"Harbor": 6}, bad="9")
    upload(page, text)
    expect(page.locator(".coopkit-error-survey")).to_contain_text(
        "Survey answers: column 'ps3' must hold whole numbers from 1 to 7, or be blank, got '9' on line 3", **WAIT
    )
    expect(page.locator(".coopkit-results.coopkit-stale")).to_have_count(1, **WAIT)
    expect(page.locator(".coopkit-field-survey textarea")).to_have_value(text, **WAIT)
    expect(group_rows(page)).to_have_text(["Enterprise", "Metro", "South", OTHER, WHOLE_TEAM], **WAIT)
