"""Tests for coopkit.report.html: the HTML fragments, and that every user-typed text is escaped."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

import pandas as pd
import pytest

from coopkit.options.base import validate
from coopkit.options.win_win import Inputs, assess
from coopkit.report.html import (
    STYLE,
    findings_html,
    image_html,
    money,
    party_table_html,
    splits_table_html,
    verdict_html,
)

EVIL = ["<script>alert(1)</script>", "\"quotes'", "Smith & Sons", "<img src=x onerror=alert(2)>"]


class Collector(HTMLParser):
    """Collects start tags (with their attributes) and text, decoding entities like a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Collector:
    collector = Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def assess_named(names: list[str], standalone: list[float], value: float, **extra):
    data = {
        "parties": [{"name": n, "standalone_payoff": {"likely": d}} for n, d in zip(names, standalone, strict=True)],
        "partnership_value": {"likely": value},
        **extra,
    }
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


@pytest.fixture(scope="module")
def evil():
    # stand-alone 10, 20, 30, 40, value 60 under Nash: surplus -40, each loses 10 -> not win-win
    return assess_named(EVIL, [10, 20, 30, 40], 60, split_rule="nash")


@pytest.fixture(scope="module")
def mixed():
    # stand-alone 20 and 60, value 100, equal split: 50 each, gains 30 and -10
    return assess_named(["Alpha", "Beta"], [20, 60], 100, split_rule="equal")


# --------------------------------------------------------------------------- money
@pytest.mark.parametrize(
    ("x", "decimals", "text"),
    [
        (0, 0, "0"),
        (1234.5, 0, "1,234"),  # round half to even
        (1235.5, 0, "1,236"),
        (-1234.5, 0, "−1,234"),  # a real minus sign, U+2212
        (1234.567, 2, "1,234.57"),
        (-1234.567, 2, "−1,234.57"),
        (1_000_000_000_000, 0, "1,000,000,000,000"),
        (-0.4, 0, "0"),  # rounds to zero: no minus sign
        (-0.001, 2, "0.00"),
        (-0.0, 0, "0"),
        (-0.6, 0, "−1"),
        (0.5, 1, "0.5"),
    ],
)
def test_money(x, decimals, text):
    assert money(x, decimals) == text


def test_money_never_uses_a_hyphen_for_negatives():
    assert "-" not in money(-5)
    assert money(-5).startswith("\u2212")


# --------------------------------------------------------------------------- verdict banner
def test_verdict_banner(mixed):
    page = verdict_html(mixed)
    assert page.startswith("<div class='coopkit-banner coopkit-level-bad'>")
    assert "<div class='coopkit-verdict-text'>✖ not win-win</div>" in page
    assert "Not every party gains (Alpha +30, Beta -10 EUR a year)." in page
    assert "coopkit-probability" not in page  # no ranges, no probability


@pytest.mark.parametrize(("level", "icon"), [("good", "✔"), ("caution", "⚠"), ("bad", "✖")])
def test_verdict_banner_level_and_icon(level, icon):
    # Nash with stand-alone 20 and 40, value 100: good; bargaining power 1:4: lopsided; expected loss 25: bad
    extra = {
        "good": {},
        "caution": {"bargaining_power": 4},
        "bad": {"risk_adjustment": {"likely": 25}},
    }[level]
    data = {
        "parties": [
            {"name": "A", "standalone_payoff": {"likely": 20}},
            {"name": "B", "standalone_payoff": {"likely": 40}, **extra},
        ],
        "partnership_value": {"likely": 100},
        "split_rule": "nash",
    }
    inputs, _ = validate(Inputs, data)
    page = verdict_html(assess(inputs))
    assert f"coopkit-level-{level}" in page
    assert f"<div class='coopkit-verdict-text'>{icon} " in page


def test_verdict_banner_shows_the_probability(mixed):
    from dataclasses import replace

    page = verdict_html(replace(mixed, probability=0.8125))
    assert "<div class='coopkit-probability'>P(win-win) = <b>81.2%</b></div>" in page


def test_verdict_banner_escapes_party_names_in_the_headline(evil):
    page = verdict_html(evil)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Smith &amp; Sons" in page
    text = "".join(parse(page).text)
    for name in EVIL:
        assert name in text  # shown as typed, as text
    assert {tag for tag, _ in parse(page).tags} == {"div"}


# --------------------------------------------------------------------------- findings
def test_findings_list_each_with_its_level(mixed):
    page = findings_html(mixed)
    items = [attrs["class"] for tag, attrs in parse(page).tags if tag == "li"]
    assert items == [f"coopkit-finding-{f.level}" for f in mixed.findings]
    assert page.startswith("<ul class='coopkit-findings'>")


def test_findings_escape_party_names(evil):
    page = findings_html(evil)
    assert "<script>" not in page and "<img" not in page
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} == {"ul", "li"}
    assert "".join(parsed.text) == "".join(f.text for f in evil.findings)


# --------------------------------------------------------------------------- party table
def test_party_table_columns_and_values(mixed):
    page = party_table_html(mixed.parties, "EUR")
    assert (
        "<thead><tr><th>Party</th><th>On its own</th><th>Share of the deal</th><th>Expected loss</th>"
        "<th>With the deal</th><th>Gain</th><th>Added value</th></tr></thead>"
    ) in page
    assert "<caption class='coopkit-note'>EUR per year</caption>" in page
    assert "<td class='coopkit-col-gain' data-party='Alpha'>30</td>" in page
    assert "<td class='coopkit-col-gain coopkit-neg' data-party='Beta'>−10</td>" in page
    assert "<td class='coopkit-col-share' data-party='Beta'>50</td>" in page


def test_only_gains_at_or_below_zero_are_marked_negative():
    table = pd.DataFrame(
        {"standalone": [-5.0, 10.0, 10.0], "gain": [5.0, 0.0, -1.0]}, index=pd.Index(["A", "B", "C"], name="party")
    )
    cells = [
        attrs for tag, attrs in parse(party_table_html(table, "EUR")).tags if tag == "td" and "data-party" in attrs
    ]
    negative = {(a["data-party"], a["class"].split()[0]) for a in cells if "coopkit-neg" in a["class"].split()}
    # A's negative stand-alone is not a loss; B gains nothing and C loses: both marked
    assert negative == {("B", "coopkit-col-gain"), ("C", "coopkit-col-gain")}


def test_party_table_ignores_unknown_columns():
    table = pd.DataFrame({"gain": [1.0], "secret": [99.0]}, index=pd.Index(["A"], name="party"))
    page = party_table_html(table, "EUR")
    assert "secret" not in page and "99" not in page


def test_party_table_escapes_names_in_text_and_data_party(evil):
    page = party_table_html(evil.parties, "EUR")
    assert "<script>" not in page and "<img" not in page
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} == {"table", "caption", "thead", "tr", "th", "tbody", "td"}
    attrs = [a["data-party"] for tag, a in parsed.tags if "data-party" in a]
    assert attrs == [name for name in EVIL for _ in range(6)]  # one per figure column, decoded back exactly
    assert [t for t in parsed.text if t in EVIL] == EVIL  # the party cells show the names as typed
    # the quote in a name cannot end the single-quoted attribute
    assert "data-party='&quot;quotes&#x27;'" in page


def test_party_table_escapes_the_currency():
    table = pd.DataFrame({"gain": [1.0]}, index=pd.Index(["A"], name="party"))
    assert "<caption class='coopkit-note'>&lt;b&gt; per year</caption>" in party_table_html(table, "<b>")


# --------------------------------------------------------------------------- splits table
def test_splits_table(mixed):
    result = mixed.details
    page = splits_table_html(mixed.tables["splits"], ["Alpha", "Beta"], result.split_rule)
    parsed = parse(page)
    rows = [a["class"] for tag, a in parsed.tags if tag == "tr" and "class" in a]
    assert rows == ["coopkit-split-shapley", "coopkit-split-nash", "coopkit-split-proportional", "coopkit-split-equal"]
    # equal: 50 each, gains 30 and -10, balance -10 / 30 = -0.33 (a ratio: plain hyphen, not money's minus)
    assert "<td>equal <b>(chosen)</b></td><td>50</td><td>50</td><td>no</td><td>-0.33</td>" in page
    # Shapley: 20 + 10 and 60 + 10, gains 10 and 10, balance 1
    assert "<td>shapley</td><td>30</td><td>70</td><td>yes</td><td>1.00</td>" in page
    assert "P(win-win)" not in page
    assert page.count("(chosen)") == 1


def test_splits_table_with_probabilities(mixed):
    p = {"shapley": 0.9, "nash": 0.875, "proportional": 0.1, "equal": 0.0}
    page = splits_table_html(mixed.tables["splits"], ["Alpha", "Beta"], "equal", p)
    assert "<th>P(win-win)</th>" in page
    assert "<td>1.00</td><td>90.0%</td></tr>" in page
    assert page.count("%</td>") == 4


def test_splits_table_escapes_party_names(evil):
    page = splits_table_html(evil.tables["splits"], EVIL, "nash")
    assert "<script>" not in page and "<img" not in page
    parsed = parse(page)
    assert [t for t in parsed.text if t in EVIL] == EVIL  # the header cells, as typed
    assert {tag for tag, _ in parsed.tags} <= {"table", "thead", "tr", "th", "tbody", "td", "b"}


# --------------------------------------------------------------------------- image, style
def test_image_html_embeds_the_png_and_escapes_the_alt_text():
    png = b"\x89PNG\r\n\x1a\nrest"
    page = image_html(png, "Gain of <b>'A'</b> & B")
    (tag,) = parse(page).tags
    assert tag[0] == "img"
    assert tag[1]["alt"] == "Gain of <b>'A'</b> & B"
    assert base64.b64decode(tag[1]["src"].removeprefix("data:image/png;base64,")) == png
    assert "<b>" not in page


def test_style_defines_the_classes_the_fragments_use():
    for cls in ("coopkit-banner", "coopkit-level-good", "coopkit-neg", "coopkit-stale", "coopkit-invalid"):
        assert f".{cls}" in STYLE
