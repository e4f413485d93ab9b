"""Cases in a real browser: save, reload and find every value back; autosave survives a dead kernel;
an executive's read-only link; user text stays text in the page and in the exported brief."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coopkit.store.cases import open_store
from coopkit.ui.casebar import AUTOSAVE_SECONDS
from tests.browser.conftest import WORKSHEET, open_worksheet
from tests.browser.helpers import set_field

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script>"


def form_values(page) -> list[str]:
    """Every value in the form, in page order (text boxes, numbers, dropdowns, checkboxes)."""
    return page.locator(".coopkit-form input, .coopkit-form select, .coopkit-form textarea").evaluate_all(
        "els => els.map(e => e.type === 'checkbox' ? String(e.checked) : e.value)"
    )


def open_case(page, title: str) -> None:
    """Pick a case by title in the case bar's Open list and open it."""
    page.locator(".coopkit-casebar .jupyter-widget-Collapse-header", has_text="Open, revisions").click()
    options = page.locator(".coopkit-case-list select option")
    expect(options.filter(has_text=title).first).to_be_attached()
    value = options.filter(has_text=title).first.get_attribute("value")
    page.locator(".coopkit-case-list select").select_option(value=value)
    page.locator(".coopkit-case-open").click()
    expect(page.locator(".coopkit-case-status")).to_contain_text("Opened")


def _kernels() -> dict[int, float]:
    """Kernel processes started under this test run (descendants of pytest), with their start times."""
    parents: dict[int, int] = {}
    info: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
        info[int(entry.name)] = (cmd, float(fields[19]))
    me = os.getpid()

    def descends(pid: int) -> bool:
        seen = 0
        while pid > 1 and seen < 50:
            if pid == me:
                return True
            pid, seen = parents.get(pid, 0), seen + 1
        return False

    return {pid: start for pid, (cmd, start) in info.items() if "ipykernel" in cmd and descends(pid)}


def test_saved_case_comes_back_with_every_value_after_a_reload(worksheet_page, voila_url):
    page = worksheet_page
    set_field(page, "partnership_value-likely", "812345")
    set_field(page, "parties-1-contribution", "123456")
    expect(page.locator(".coopkit-status")).to_contain_text("up to date")
    title = f"Reload check {time.time():.0f}"
    page.locator(".coopkit-case-title input").fill(title)
    page.locator(".coopkit-case-save").click()
    expect(page.locator(".coopkit-case-status")).to_contain_text(re.compile(r"Saved as revision \d+"))
    before = form_values(page)
    verdict = page.locator(".coopkit-verdict-text").text_content()

    page.reload()
    page.locator(".coopkit-verdict .coopkit-verdict-text").wait_for()
    assert form_values(page) != before  # a fresh page shows the sample again
    open_case(page, title)
    expect(page.locator(".coopkit-field-partnership_value-likely input")).to_have_value("812345")
    assert form_values(page) == before
    expect(page.locator(".coopkit-verdict-text")).to_have_text(verdict)
    expect(page.locator(".coopkit-case-title input")).to_have_value(title)


def test_autosaved_draft_survives_a_killed_kernel(page, voila_url):
    before = set(_kernels())
    open_worksheet(page, voila_url, WORKSHEET)
    ours = {pid: start for pid, start in _kernels().items() if pid not in before}
    assert ours, "no kernel started for the page"
    page.locator(".coopkit-case-title input").fill("Kernel dies mid-edit")
    set_field(page, "partnership_value-likely", "765432")
    expect(page.locator(".coopkit-case-status")).to_contain_text(
        "Draft saved", timeout=AUTOSAVE_SECONDS * 1000 + 30_000
    )
    time.sleep(0.5)
    set_field(page, "parties-0-contribution", "222222")  # the last edit: typed, then the kernel dies
    time.sleep(AUTOSAVE_SECONDS + 2)
    for pid in ours:
        os.kill(pid, signal.SIGKILL)

    page.reload()
    page.locator(".coopkit-verdict .coopkit-verdict-text").wait_for()
    open_case(page, "Kernel dies mid-edit")
    expect(page.locator(".coopkit-field-partnership_value-likely input")).to_have_value("765432")
    expect(page.locator(".coopkit-field-parties-0-contribution input")).to_have_value("222222")


def test_read_only_link_shows_hostile_text_as_text_and_in_the_brief(page, voila_url):
    from coopkit.store.casefile import read_case, sample_case
    from coopkit.store.summary import summarise

    inputs = read_case(sample_case("win_win_two_party.json")).inputs
    inputs["parties"][1]["name"] = HOSTILE
    store = open_store()
    saved = store.create(
        "win_win_check",
        inputs,
        title=f'Board pack "><img src=x onerror=alert(2)> {HOSTILE}',
        author="Ana",
        summary=summarise("win_win_check", inputs),
    )
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_worksheet(page, voila_url, f"{WORKSHEET}?case={saved.case_id}")
    expect(page.locator(".coopkit-case-status")).to_contain_text("Opened")
    expect(page.locator(".coopkit-case-status")).to_contain_text(HOSTILE)
    expect(page.locator(".coopkit-party-table")).to_contain_text(HOSTILE)
    # read-only: no save button, inputs disabled
    expect(page.locator(".coopkit-case-save")).to_have_count(0)
    expect(page.locator(".coopkit-field-partnership_value-likely input")).to_be_disabled()

    page.locator(".coopkit-case-export").click()
    link = page.locator(".coopkit-downloads a", has_text="Executive brief")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    brief = Path(download_info.value.path()).read_text()
    assert HOSTILE not in brief and "<img src=x" not in brief
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in brief
    assert dialogs == []
