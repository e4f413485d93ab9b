"""Tests for the table fragments of coopkit.report.html: frame_html, risk_table_html, and the market's party table."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from coopkit.frameworks import reputation
from coopkit.report.html import frame_html, money, party_table_html, risk_table_html

EVIL = "<script>alert(1)</script>"


class Collector(HTMLParser):
    """Start tags with attributes, and text, decoding entities like a browser."""

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


def cells(page: str, column: str) -> list[str]:
    """The text of each cell of a column (by its coopkit-col-* class), top to bottom."""

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.inside = False

        def handle_starttag(self, tag, attrs):
            self.inside = tag == "td" and f"coopkit-col-{column}" in dict(attrs).get("class", "").split()
            if self.inside:
                self.out.append("")

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.out[-1] += data

    parser = Cells()
    parser.feed(page)
    return parser.out


def one_column(values, fmt: str) -> list[str]:
    return cells(frame_html(pd.DataFrame({"v": values}), [("v", "V", fmt)], css="t"), "v")


# --------------------------------------------------------------------------- frame_html: formats
def test_frame_html_docstring_example():
    df = pd.DataFrame({"v": [1234.5]}, index=pd.Index(["<i>a</i>"]))
    assert frame_html(df, [("v", "Value", "money")], css="demo", index_label="Row") == (
        "<table class='coopkit-table demo'><thead><tr><th>Row</th><th>Value</th></tr></thead>"
        "<tbody><tr><td>&lt;i&gt;a&lt;/i&gt;</td><td class='coopkit-col-v'>1,234</td></tr></tbody></table>"
    )


def test_money_format_uses_a_real_minus_sign():
    shown = one_column([-1234.5, 1_234_567.0, -0.4, 0.0, -1e12], "money")
    assert shown == ["−1,234", "1,234,567", "0", "0", "−1,000,000,000,000"]
    assert all("-" not in s for s in shown)
    assert shown == [money(x) for x in (-1234.5, 1_234_567.0, -0.4, 0.0, -1e12)]


def test_percent_format():
    assert one_column([0.125, 1.0, 0.0, 0.00049, 0.2666666], "percent") == ["12.5%", "100.0%", "0.0%", "0.0%", "26.7%"]


def test_number_format():
    assert one_column([1234.567, 2.0, 0.005, 1e6], "number") == ["1,234.57", "2.00", "0.01", "1,000,000.00"]


def test_int_format():
    assert one_column([4.0, 12345.0, 0.0], "int") == ["4", "12,345", "0"]
    table = pd.DataFrame({"v": np.array([3, 1_000_000], dtype=np.int64)})
    assert cells(frame_html(table, [("v", "V", "int")], css="t"), "v") == ["3", "1,000,000"]


def test_int_format_rounds_to_the_nearest_whole_number():
    assert one_column([2.9999999999, 2.6], "int") == ["3", "3"]


def test_text_format_escapes_values():
    shown = frame_html(pd.DataFrame({"t": [EVIL, "x & y", 'it\'s "quoted"']}), [("t", "T", "text")], css="t")
    assert "<script" not in shown
    assert "<td class='coopkit-col-t coopkit-text'>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in shown
    assert "<td class='coopkit-col-t coopkit-text'>x &amp; y</td>" in shown
    assert "<td class='coopkit-col-t coopkit-text'>it&#x27;s &quot;quoted&quot;</td>" in shown
    assert cells(shown, "t") == [EVIL, "x & y", 'it\'s "quoted"']  # shown as typed


def test_text_format_shows_non_strings():
    assert one_column(pd.Series([3, None, 2.5], dtype=object), "text") == ["3", "None", "2.5"]


# --------------------------------------------------------------------------- frame_html: structure
@pytest.fixture(scope="module")
def mixed():
    return pd.DataFrame(
        {
            "name": ["alpha", "x & y"],
            "amount": [-2500.0, 10.0],
            "ratio": [0.5, 0.125],
            "secret": [99.0, 98.0],
        },
        index=pd.Index([EVIL, "A$_$"], name="row"),
    )


COLUMNS = [("ratio", "Share <%>", "percent"), ("amount", "Amount & more", "money"), ("name", "Name", "text")]


def test_columns_in_the_listed_order_and_only_those(mixed):
    page = frame_html(mixed, COLUMNS, css="coopkit-demo")
    assert "<thead><tr><th>Share &lt;%&gt;</th><th>Amount &amp; more</th><th>Name</th></tr></thead>" in page
    parsed = parse(page)
    row_cells = [a["class"] for tag, a in parsed.tags if tag == "td"]
    assert row_cells == ["coopkit-col-ratio", "coopkit-col-amount", "coopkit-col-name coopkit-text"] * 2
    assert "99" not in page and "secret" not in page
    assert parsed.text == ["Share <%>", "Amount & more", "Name", "50.0%", "−2,500", "alpha", "12.5%", "10", "x & y"]


def test_without_index_label_the_index_is_left_out(mixed):
    page = frame_html(mixed, COLUMNS, css="coopkit-demo")
    assert "script" not in page and "A$_$" not in page
    assert "<tr><td class='coopkit-col-ratio'>50.0%</td>" in page


def test_index_label_shows_the_index_escaped(mixed):
    page = frame_html(mixed, COLUMNS, css="coopkit-demo", index_label="<Row>")
    assert "<script" not in page
    assert "<thead><tr><th>&lt;Row&gt;</th><th>" in page
    assert "<tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class='coopkit-col-ratio'>" in page
    assert "<tr><td>A$_$</td>" in page
    parsed = parse(page)
    assert parsed.text[:4] == ["<Row>", "Share <%>", "Amount & more", "Name"]
    assert parsed.text[4] == EVIL


def test_caption(mixed):
    page = frame_html(mixed, COLUMNS, css="coopkit-demo", caption="EUR <b>per</b> year")
    assert page.startswith(
        "<table class='coopkit-table coopkit-demo'><caption class='coopkit-note'>EUR &lt;b&gt;per&lt;/b&gt; year</caption><thead>"
    )
    assert "<caption" not in frame_html(mixed, COLUMNS, css="coopkit-demo")  # none by default
    assert "<caption" not in frame_html(mixed, COLUMNS, css="coopkit-demo", caption="")


def test_css_class_and_column_classes_cannot_break_out_of_the_attribute():
    table = pd.DataFrame({"a'b": [1.0]})
    page = frame_html(table, [("a'b", "A", "number")], css="x' onclick='alert(1)")
    tags = parse(page).tags
    assert tags[0] == ("table", {"class": "coopkit-table x' onclick='alert(1)"})  # one attribute, decoded
    assert [a for t, a in tags if t == "td"] == [{"class": "coopkit-col-a'b"}]
    assert "onclick='" not in page


def test_empty_table_has_a_header_and_no_rows():
    page = frame_html(pd.DataFrame({"v": []}), [("v", "V", "money")], css="t", index_label="Row")
    assert page.endswith("<thead><tr><th>Row</th><th>V</th></tr></thead><tbody></tbody></table>")


# --------------------------------------------------------------------------- risk table
@pytest.fixture(scope="module")
def risk():
    return reputation.assess({"quality": 4}, revenue=1e6, customers_lost=0.1, mitigations=["exit_rights"])


ROW_CLASSES = [
    "coopkit-risk-partner-incident-reaches-us-per-year",
    "coopkit-risk-incident-over-the-horizon",
    "coopkit-risk-cost-of-one-incident",
    "coopkit-risk-expected-loss-per-year",
    "coopkit-risk-expected-loss-over-the-horizon",
    "coopkit-risk-likelihood-class",
    "coopkit-risk-impact-class",
    "coopkit-risk-rating",
]


def test_risk_table_rows_and_classes(risk):
    page = risk_table_html(risk.table(), "USD")
    parsed = parse(page)
    assert parsed.tags[0] == ("table", {"class": "coopkit-table coopkit-risk-table"})
    assert [a["class"] for tag, a in parsed.tags if tag == "tr" and "class" in a] == ROW_CLASSES
    assert "<thead><tr><th>Figure</th><th>Before mitigations</th><th>After mitigations</th></tr></thead>" in page


def test_risk_table_formats_each_unit(risk):
    page = risk_table_html(risk.table(), "USD")
    b = risk.before
    assert cells(page, "before") == [
        f"{b.annual_probability:.1%}",
        f"{b.horizon_probability:.1%}",
        money(b.impact),
        money(b.expected_loss_per_year),
        money(b.expected_loss_horizon),
        str(b.likelihood_class),
        str(b.impact_class),
        b.rating,
    ]
    # 6.6% a year, 18.5% over 3 years; 150,000 per incident, 105,000 with exit rights; classes 4/4 -> 4/3
    assert cells(page, "before") == ["6.6%", "18.5%", "150,000", "9,916", "29,747", "4", "4", "severe"]
    assert cells(page, "after") == ["6.6%", "18.5%", "105,000", "6,941", "20,823", "4", "3", "high"]


def test_risk_table_units_follow_the_currency(risk):
    page = risk_table_html(risk.table(), "USD")
    assert "<td>Cost of one incident <span class='coopkit-unit'>USD</span></td>" in page
    assert "<td>Expected loss per year <span class='coopkit-unit'>USD/year</span></td>" in page
    assert "<td>Expected loss over the horizon <span class='coopkit-unit'>USD</span></td>" in page
    assert page.count("coopkit-unit") == 3  # probabilities, classes and the rating have no unit
    assert "<td>Likelihood class (1-5)</td>" in page and "<td>Rating</td>" in page


def test_risk_table_escapes_figures_and_currency():
    table = pd.DataFrame(
        {"unit": ["money", "rating"], "before": [-1500.0, EVIL], "after": [0.0, "x & y"]},
        index=pd.Index(["<b>Loss</b> (net)", "A, B rating"], name="figure"),
    )
    page = risk_table_html(table, "<i>")
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    parsed = parse(page)
    # the row key (text before " (", lower case, spaces to hyphens, no commas) is escaped in the attribute too
    assert "<tr class='coopkit-risk-&lt;b&gt;loss&lt;/b&gt;'>" in page
    assert [a["class"] for tag, a in parsed.tags if tag == "tr" and "class" in a] == [
        "coopkit-risk-<b>loss</b>",
        "coopkit-risk-a-b-rating",
    ]
    assert cells(page, "before") == ["−1,500", EVIL]
    assert cells(page, "after") == ["0", "x & y"]
    assert "<span class='coopkit-unit'>&lt;i&gt;</span>" in page


def test_risk_table_of_the_sample_shape_has_eight_rows(risk):
    assert len(risk.table()) == 8
    assert set(risk.table()["unit"]) == {"probability", "money", "money/year", "class", "rating"}


# --------------------------------------------------------------------------- party table of the market worksheet
def test_party_table_with_market_columns():
    table = pd.DataFrame(
        {
            "compete": [1000.0, 500.0],
            "growth": [200.0, -50.0],
            "share_shift": [-300.0, 100.0],
            "cooperate": [900.0, 550.0],
            "npv_growth": [0.0, 20.0],
            "npv": [-10.0, 5.0],
        },
        index=pd.Index([EVIL, "x & y"], name="party"),
    )
    page = party_table_html(table, "EUR", caption="EUR, present value")
    assert "<script" not in page
    assert (
        "<thead><tr><th>Party</th><th>Competing (PV)</th><th>From market growth</th><th>From share shift</th>"
        "<th>Cooperating (PV)</th><th>NPV of growth alone</th><th>NPV of cooperating</th></tr></thead>"
    ) in page
    assert "<caption class='coopkit-note'>EUR, present value</caption>" in page
    negative = {
        (a["data-party"], a["class"].split()[0])
        for tag, a in parse(page).tags
        if tag == "td" and "coopkit-neg" in a.get("class", "").split()
    }
    # only the NPVs at or below zero are marked: a negative growth or share shift is not a loss of the deal
    assert negative == {(EVIL, "coopkit-col-npv_growth"), (EVIL, "coopkit-col-npv")}
    assert "<td class='coopkit-col-share_shift' data-party='&lt;script&gt;alert(1)&lt;/script&gt;'>−300</td>" in page
    assert "<td class='coopkit-col-growth' data-party='x &amp; y'>−50</td>" in page
