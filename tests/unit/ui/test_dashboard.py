"""Tests for coopkit.ui.dashboard: the executive dashboard's widgets, driven without a browser."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from coopkit.report.portfolio import EXAMPLE_SUMMARY
from coopkit.store.cases import open_store
from coopkit.ui.dashboard import Dashboard, dashboard, read_cases

dashboard_module = importlib.import_module("coopkit.ui.dashboard")

EVIL = "<script>alert(1)</script>"
UNASSESSED = {"assessed": False, "verdict": "not assessed", "level": "caution", "problems": ["x"]}


def summary(**changes) -> dict:
    return {**EXAMPLE_SUMMARY, **changes}


@pytest.fixture
def url(tmp_path: Path) -> str:
    """An empty store of its own."""
    url = f"sqlite:///{tmp_path}/cases.sqlite"
    open_store(url)
    return url


@pytest.fixture
def filled(url: str) -> str:
    """Four cases: a win-win, a no-go purchasing group, a draft that could not be assessed, and a hostile one."""
    store = open_store(url)
    store.create("win_win_check", {}, title="Pooled imports", author="Ana Ruiz", summary=summary())
    store.create(
        "joint_purchasing",
        {},
        title="Buying group",
        author="Ben Okafor",
        summary=summary(
            verdict="no-go",
            level="bad",
            gains={"Lakeside": 9_000.0, "Metro": -1_000.0},
            value_created=8_000.0,
            reputation="severe",
        ),
    )
    store.create("win_win_check", {}, title="Half-typed", author="Ana Ruiz", summary=UNASSESSED, draft=True)
    store.create(
        "referrals",
        {"sides": [{"name": "Us"}, {"name": EVIL}]},
        title=EVIL,
        author=EVIL,
        summary=summary(gains={"Us": 1.0, EVIL: 2.0}, value_created=3.0, reputation="moderate", level="caution"),
    )
    return url


def rows(board: Dashboard) -> list[str]:
    """The titles in the table, in order, as the page shows them (escaped)."""
    return re.findall(
        r"<td class='coopkit-col-title coopkit-text'>(?:<a [^>]*>)?(.*?)(?:</a>)?<span", board.cases.value
    )


def test_dashboard_shows_every_case(filled):
    board = Dashboard(filled)
    assert "Showing 4 of 4 cases (1 saved only as draft)." in board.count.value
    assert len(rows(board)) == 4
    assert board.chart.value[:4] == b"\x89PNG" and board.chart.layout.display is None
    assert board.message.value == ""


def test_hostile_title_partner_and_author_are_escaped(filled):
    board = Dashboard(filled)
    page = board.cases.value
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title, partner, gains, author
    board.search.value = "<script>"  # searching for it finds it, still escaped
    assert rows(board) == ["&lt;script&gt;alert(1)&lt;/script&gt;"]


def test_filters_and_count(filled):
    board = Dashboard(filled)
    board.level.value = "bad"
    assert rows(board) == ["Buying group"] and "Showing 1 of 4 cases." in board.count.value
    board.level.value = "not assessed"
    assert rows(board) == ["Half-typed"]
    board.level.value = ""
    board.option.value = "win_win_check"
    assert sorted(rows(board)) == ["Half-typed", "Pooled imports"]
    board.search.value = "pooled"
    assert rows(board) == ["Pooled imports"]
    board.search.value = "nothing like it"
    assert rows(board) == [] and "Showing 0 of 4 cases." in board.count.value
    assert board.chart.layout.display == "none"


def test_option_choices_are_the_worksheets_present(filled):
    board = Dashboard(filled)
    assert board.option.options == (
        ("All options", ""),
        ("Joint purchasing", "joint_purchasing"),
        ("Two-way referrals and account overlap", "referrals"),
        ("Win-win check", "win_win_check"),
    )


def test_sorts(filled):
    board = Dashboard(filled)
    assert rows(board)[0] == "&lt;script&gt;alert(1)&lt;/script&gt;"  # last change: the latest saved first
    board.sort.value = "value created"
    assert rows(board) == ["Pooled imports", "Buying group", "&lt;script&gt;alert(1)&lt;/script&gt;", "Half-typed"]
    board.sort.value = "risk"
    assert rows(board)[:3] == ["Buying group", "&lt;script&gt;alert(1)&lt;/script&gt;", "Pooled imports"]
    board.sort.value = "P(win-win)"
    assert rows(board)[-1] == "Half-typed"


def test_draft_that_could_not_be_assessed_shows_as_such(filled):
    board = Dashboard(filled)
    board.search.value = "half"
    assert "data-level='not assessed'" in board.cases.value and "coopkit-draft-badge" in board.cases.value


def test_titles_link_to_their_cases(filled):
    board = Dashboard(filled)
    links = re.findall(r"href='([^']*)'", board.cases.value)
    assert len(links) == 4 and all(re.search(r"\.ipynb\?case=[0-9a-f]{16}$", link) for link in links)


def test_no_cases(url):
    board = Dashboard(url)
    assert "No cases saved yet." in board.count.value
    assert board.cases.value == "" and board.chart.layout.display == "none" and board.message.value == ""


def test_no_database_yet_is_a_message_and_creates_nothing(tmp_path):
    path = tmp_path / "workspace" / "cases.sqlite"
    board = Dashboard(f"sqlite:///{path}")
    assert "No case has been saved yet" in board.message.value and str(path) in board.message.value
    assert board.count.value == "" and not path.parent.exists()


def test_default_store_is_the_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPKIT_WORKSPACE", str(tmp_path))
    monkeypatch.delenv("COOPKIT_DATABASE_URL", raising=False)
    open_store(f"sqlite:///{tmp_path}/cases.sqlite").create("win_win_check", {}, title="Here", summary=summary())
    board = Dashboard()
    assert rows(board) == ["Here"]


@pytest.mark.parametrize(
    "bad",
    [
        "not a url at all",
        "nosuchdialect://user:hunter2@db.example/cases",
        "postgresql+psycopg://user:hunter2@127.0.0.1:1/cases",  # nothing listens on port 1
    ],
)
def test_unreadable_store_is_a_message_never_a_traceback(bad, capsys):
    widget = dashboard(bad)
    board_message = widget.children[2].value
    assert "The case database could not be read" in board_message
    assert "hunter2" not in board_message
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_refresh_reads_new_cases(filled):
    board = Dashboard(filled)
    board.option.value = "joint_purchasing"
    open_store(filled).create("joint_purchasing", {}, title="Second group", summary=summary(level="caution"))
    assert "Showing 1 of 4" in board.count.value
    board.refresh.click()
    assert "Showing 2 of 5 cases." in board.count.value
    assert board.option.value == "joint_purchasing"  # the filter is kept


def test_refresh_without_changes_keeps_what_is_drawn(filled, monkeypatch):
    board = Dashboard(filled)
    drawn = []
    monkeypatch.setattr(board, "show", lambda: drawn.append(1))
    board.load()
    assert drawn == []


def test_a_chart_failure_leaves_the_table(filled, monkeypatch):
    def broken(_table):
        raise RuntimeError("no")

    monkeypatch.setattr(dashboard_module, "value_risk_figure", broken)
    board = Dashboard(filled)
    assert "The chart could not be drawn (RuntimeError)" in board.message.value
    assert len(rows(board)) == 4 and board.chart.layout.display == "none"


def test_preheated_kernel_reads_the_store_again_when_the_visit_arrives(url, monkeypatch):
    import voila.utils

    def visit():  # the request arrives after a case was saved
        open_store(url).create("win_win_check", {}, title="Saved after preheat", summary=summary())

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(voila.utils, "wait_for_request", visit)
    widget = dashboard(url)
    assert "Saved after preheat" in widget.children[-1].value


def test_read_cases_returns_the_cases(filled):
    cases, message = read_cases(filled)
    assert message == "" and len(cases) == 4


def test_with_seeded_cases(url):
    from coopkit.store.samples import demo_worksheets, seed_cases

    seed_cases(open_store(url), len(demo_worksheets()), seed=2)
    board = Dashboard(url)
    n = len(demo_worksheets())
    assert f"Showing {n} of {n} cases" in board.count.value
    assert len(board.option.options) == 1 + len({i.worksheet for i in open_store(url).cases()})
