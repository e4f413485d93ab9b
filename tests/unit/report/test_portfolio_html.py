"""Tests for coopkit.report.portfolio_html: links to the cases, and the escaped HTML table."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from coopkit import options
from coopkit.errors import InputError
from coopkit.paths import notebooks_dir
from coopkit.report.portfolio import portfolio_table
from coopkit.report.portfolio_html import case_url, portfolio_html, worksheet_notebooks
from tests.unit.report.test_portfolio import EVIL, UNASSESSED, hostile_table, info, sample_portfolio, summary


@pytest.fixture(scope="module")
def portfolio():
    return sample_portfolio()


# ---------------------------------------------------------------------------------------------- links
@pytest.mark.parametrize("name", options.names())
def test_every_worksheet_links_to_an_existing_notebook_that_shows_it(name):
    url = case_url(name, "0123456789abcdef")
    parts = urlsplit(url)
    assert parts.path.startswith("../")
    notebook = notebooks_dir() / parts.path.removeprefix("../")
    assert notebook.is_file(), url
    assert f'worksheet("{name}")' in notebook.read_text(encoding="utf-8").replace('\\"', '"')
    assert parse_qs(parts.query) == {"case": ["0123456789abcdef"]}


def test_notebook_map_leaves_out_reference_and_the_dashboard():
    paths = worksheet_notebooks().values()
    assert not any(p.startswith(("reference/", "executive/")) for p in paths)


@pytest.mark.parametrize("bad", ["", "0123", "0123456789abcdeg", "../../etc/passwd", "0123456789abcdef&x=1", None, 42])
def test_case_url_checks_the_id(bad):
    with pytest.raises(InputError, match="case id must be 16 hexadecimal digits"):
        case_url("win_win_check", bad)


def test_case_url_of_an_unknown_worksheet():
    with pytest.raises(InputError, match="worksheet must be one that has a notebook"):
        case_url("no_such_sheet", "0123456789abcdef")


def test_case_url_base():
    assert case_url("win_win_check", "0123456789ABCDEF", base="/voila/render/") == (
        "/voila/render/frameworks/win_win_check.ipynb?case=0123456789abcdef"
    )


# ---------------------------------------------------------------------------------------------- HTML
class Page(HTMLParser):
    """Start tags with attributes, and text with entities decoded, as a browser would see them."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_every_user_text_is_escaped():
    page = portfolio_html(hostile_table())
    parsed = Page(page)
    assert "<script" not in page.lower()
    assert {tag for tag, _ in parsed.tags} <= {"div", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "i"}
    text = "".join(parsed.text)
    assert text.count(EVIL) >= 4  # title, partner, gains, author (the flag shows in full in its tooltip)
    flag_cell = next(a for t, a in parsed.tags if t == "td" and "coopkit-col-antitrust" in a.get("class", ""))
    assert flag_cell["title"] == EVIL


def test_quotes_cannot_leave_an_attribute():
    table = portfolio_table([info(summary_=summary(antitrust=["x' onmouseover='alert(1)"]))])
    parsed = Page(portfolio_html(table))
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)


def test_title_links_to_its_case_in_a_new_tab():
    parsed = Page(portfolio_html(portfolio_table([info()])))
    links = [a for t, a in parsed.tags if t == "a"]
    assert links == [
        {
            "href": "../frameworks/win_win_check.ipynb?case=0123456789abcdef",
            "target": "_blank",
            "rel": "noopener",
        }
    ]


def test_no_link_when_there_is_no_notebook_or_no_link_function():
    table = portfolio_table([info(worksheet="retired_sheet")])
    assert "<a " not in portfolio_html(table)  # case_url raises InputError: the title is shown without a link
    assert "<a " not in portfolio_html(portfolio_table([info()]), link=None)
    assert "<a " not in portfolio_html(portfolio_table([info()]), link=lambda w, c: None)


def test_untitled_draft_and_empty(portfolio):
    page = portfolio_html(portfolio_table([info(title="  ", draft=True, summary_=UNASSESSED)]))
    assert "Untitled case" in page and "coopkit-draft-badge" in page and "data-level='not assessed'" in page
    assert "No cases to show" in portfolio_html(portfolio_table([]))


def test_html_shows_the_figures(portfolio):
    text = "".join(Page(portfolio_html(portfolio)).text)
    assert "125,000 EUR" in text and "99% P(win-win)" in text and "75% growth" in text
    assert "2: combined share 31%" in text and "2025-03-05 09:30 UTC" in text


def test_long_portfolios_are_cut_with_a_note():
    table = portfolio_table([info(f"{k:016x}") for k in range(12)])
    page = portfolio_html(table, max_rows=5)
    assert page.count("<tr class='coopkit-portfolio-row") == 5
    assert "The first 5 of 12 cases are shown" in page
