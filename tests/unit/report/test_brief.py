"""Tests for coopkit.report.brief: the executive brief of a case, self-contained and escaped."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import coopkit
from coopkit import options
from coopkit.errors import InputError
from coopkit.report.brief import brief_filename, brief_html, saved_text
from coopkit.report.views import view
from tests.unit.report.samples import sample

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Start tags with their attributes, and the text a browser would show."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for t, attrs in self.tags if t == tag]


def assert_self_contained(page: Page) -> None:
    assert not page.all("script") and not page.all("link") and not page.all("iframe")
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert all(attrs["src"].startswith("data:image/png;base64,") for attrs in page.all("img"))
    assert all(attrs["href"].startswith("data:") for _, attrs in page.tags if "href" in attrs)  # downloads only


# --------------------------------------------------------------------------- every worksheet
@pytest.mark.parametrize("name", options.names())
def test_every_worksheet_gives_a_self_contained_brief(name):
    data, a = sample(name)
    html_text = brief_html(a, title=f"Case of {name}", inputs=data, revision=1, author="Ann", case_id="c-1")
    page = Page(html_text)
    assert html_text.startswith("<!DOCTYPE html>")
    assert_self_contained(page)
    assert [img["alt"] for img in page.all("img")] == [chart.alt for chart in view(a).charts]
    text = "".join(page.text)
    assert f"Case of {name}" in text and a.headline in text
    assert all(f.text in text for f in a.findings)
    assert "Inputs and assumptions" in text and f"coopkit {coopkit.__version__}" in text
    for section in view(a).before + view(a).after:
        assert section.title in text


# --------------------------------------------------------------------------- escaping
def test_user_text_is_escaped_everywhere():
    data, _ = sample("win_win_check")
    data["parties"][0]["name"] = SCRIPT
    data, a = sample("win_win_check", parties=data["parties"], use_ranges=False)
    html_text = brief_html(
        a, title=ATTRIBUTE, inputs=data, author=SCRIPT, notes=f"{SCRIPT}\nsecond line", case_id=ATTRIBUTE
    )
    assert SCRIPT not in html_text and ATTRIBUTE not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html_text
    page = Page(html_text)
    assert_self_contained(page)
    text = "".join(page.text)
    assert text.count(SCRIPT) >= 4  # party table, inputs, author, notes: shown as text
    assert f"{SCRIPT}\nsecond line" in text


def test_the_page_forbids_scripts_and_remote_content():
    data, a = sample("win_win_check", use_ranges=False)
    html_text = brief_html(a, title="T", inputs=data)
    assert "Content-Security-Policy" in html_text and "default-src 'none'" in html_text
    assert "http://" not in html_text and "https://" not in html_text


# --------------------------------------------------------------------------- content
def test_inputs_show_titles_units_ranges_and_list_tables():
    data, a = sample("win_win_check")
    text = "".join(Page(brief_html(a, title="T", inputs=data)).text)
    assert "Partnership value700,000 – 820,000 – 900,000EUR/year" in text
    assert "Stand-alone payoff (EUR/year)" in text and "390,000 – 420,000 – 440,000" in text
    assert "Shapley (fair share of what each adds)" in text  # a choice shows its label
    assert "Bargaining power" not in text  # hidden by its show_if rule (the split is Shapley)
    assert "P(win-win): 99.4%, across 1,000 scenarios drawn from the ranges (seed 0)." in text


def test_point_values_show_the_likely_value_and_say_there_was_no_monte_carlo():
    data, a = sample("win_win_check", use_ranges=False)
    text = "".join(Page(brief_html(a, title="T", inputs=data)).text)
    assert "Partnership value820,000EUR/year" in text
    assert "no Monte Carlo was run" in text


def test_secrets_are_not_written_and_uploads_are_summarised():
    data, a = sample("referrals")
    html_text = brief_html(a, title="T", inputs=data)
    assert data["shared_secret"] not in html_text
    assert "(hidden: not exported)" in html_text
    first_account = data["our_accounts"].splitlines()[1]
    assert first_account not in html_text
    assert "lines (" in html_text


def test_footer_names_case_revision_time_author_and_version():
    data, a = sample("win_win_check", use_ranges=False)
    saved = dt.datetime(2025, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    page = Page(brief_html(a, title="T", inputs=data, revision=7, saved_at=saved, author="Bo", case_id="case-9"))
    footer = "".join(page.text).split("Notes")[-1]
    assert "Case case-9 · revision 7 · saved 2025-03-01T08:30:00Z (UTC) · by Bo · coopkit" in footer


def test_saved_times_are_utc():
    assert saved_text(dt.datetime(2025, 1, 1, 23, 59, 59, 999_999)) == "2025-01-01T23:59:59Z"
    assert (
        saved_text(dt.datetime(2025, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))) == "2024-12-31T22:00:00Z"
    )


# --------------------------------------------------------------------------- file names
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/abs", "abs"),
        ("..", "case"),
        ("", "case"),
        ("   ", "case"),
        (".hidden", "hidden"),
        ("a/b\\c:d", "a-b-c-d"),
        ("C:\\Windows\\system32", "C-Windows-system32"),
        ("Café Zürich — children's fund", "Cafe-Zurich-childrens-fund"),
        ("nul", "case-nul"),
        ("日本", "case"),
    ],
)
def test_brief_filename_is_safe(title, expected):
    assert brief_filename(title) == expected


def test_brief_filename_adds_the_revision_and_keeps_to_80_characters():
    assert brief_filename("Pilot", 1) == "Pilot-r1"
    assert brief_filename("x" * 300, 12) == "x" * 76 + "-r12"


@pytest.mark.parametrize("revision", [-1, 1.5, True, "2"])
def test_brief_filename_refuses_bad_revisions(revision):
    with pytest.raises(InputError, match=r"^revision must be a whole number, 0 or more"):
        brief_filename("t", revision)


@given(st.text(max_size=120), st.none() | st.integers(0, 10**6))
def test_brief_filename_is_always_a_plain_name(title, revision):
    name = brief_filename(title, revision)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name)
    assert len(name) <= 80
