"""Tests for coopkit.report.excel: the Excel workbook of a case, readable and formula-safe."""

from __future__ import annotations

import copy
import datetime as dt
import io
import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from coopkit import options
from coopkit.options.base import Assessment
from coopkit.report.excel import excel_value, sheet_name, workbook_xlsx
from coopkit.report.safe import FORMULA_START
from tests.unit.report.samples import sample

HOSTILE_NAMES = ["=HYPERLINK(1)", "+cmd", "-2+3", "@SUM(A1)", " =1", "\t=2"]


def book_of(a: Assessment, data: dict, **kw):
    return load_workbook(io.BytesIO(workbook_xlsx(a, inputs=data, **({"title": "T"} | kw))))


def cells(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_no_live_formula(book) -> None:
    for cell in cells(book):
        assert cell.data_type != "f", (cell.parent.title, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.lstrip().startswith(FORMULA_START), (cell.parent.title, cell.coordinate)
            assert not cell.value.startswith(FORMULA_START)


# --------------------------------------------------------------------------- every worksheet
@pytest.mark.parametrize("name", options.names())
def test_every_worksheet_gives_a_readable_workbook(name):
    data, a = sample(name)
    book = book_of(a, data, title=f"Case of {name}", revision=2, author="Ann", case_id="c-1")
    names = book.sheetnames
    assert names[:3] == ["Summary", "Inputs", "Parties"] and names[-1] == "Monte Carlo"
    assert len(names) == 4 + len(a.tables)
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert book["Summary"]["A1"].value == f"Case of {name}"
    assert book["Inputs"].freeze_panes == "A2" and book["Inputs"]["A1"].font.bold
    assert book["Parties"].max_row == len(a.parties) + 1
    assert_no_live_formula(book)


# --------------------------------------------------------------------------- formula injection
def hostile_win_win() -> tuple[dict, Assessment]:
    data, _ = sample("win_win_check")
    first = copy.deepcopy(data["parties"][0])
    parties = []
    for j, name in enumerate(HOSTILE_NAMES):
        party = copy.deepcopy(first) | {"name": name}
        party["standalone_payoff"] = {"likely": -5.0 if j == 0 else 1_000.0 * j, "low": None, "high": None}
        party["risk_adjustment"] = {"likely": 0.0}
        parties.append(party)
    return sample("win_win_check", parties=parties, use_ranges=False, partnership_value={"likely": 1_000.0})


def test_hostile_party_names_are_shown_never_run():
    data, a = hostile_win_win()
    book = book_of(a, data, title="=1+1", author="@SUM(A1)", notes="-2+3", case_id="+cmd")
    assert_no_live_formula(book)
    shown = [book["Parties"].cell(row=r, column=1).value for r in range(2, 2 + len(HOSTILE_NAMES))]
    quoted = ["'" + name.strip() for name in HOSTILE_NAMES]  # the worksheet strips the names it is given
    assert shown == quoted
    assert [c.value for c in book["Splits"][1]][1 : 1 + len(HOSTILE_NAMES)] == quoted
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert book["Summary"]["A1"].value == "'=1+1"
    assert summary["Author"] == "'@SUM(A1)" and summary["Notes"] == "'-2+3" and summary["Case"] == "'+cmd"


def test_negative_numbers_stay_numbers():
    data, a = hostile_win_win()
    book = book_of(a, data)
    inputs = {row[0]: row[2] for row in book["Inputs"].iter_rows(min_row=2, values_only=True)}
    assert inputs["parties.0.standalone_payoff.likely"] == -5
    assert inputs["parties.0.name"] == "'=HYPERLINK(1)"
    header = [c.value for c in book["Parties"][1]]
    gains = [row[header.index("gain")] for row in book["Parties"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(g, float) for g in gains) and min(gains) < 0


def test_control_characters_cannot_unmask_a_formula():
    assert excel_value("\x01=1") == "'=1"
    data, a = sample("win_win_check", use_ranges=False)
    book = book_of(a, data, title="\x07=cmd", notes="a\x00b")
    assert book["Summary"]["A1"].value == "'=cmd"
    assert_no_live_formula(book)


# --------------------------------------------------------------------------- content
def test_summary_has_verdict_probability_revision_and_utc_time():
    data, a = sample("win_win_check")
    saved = dt.datetime(2025, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    book = book_of(a, data, revision=4, saved_at=saved, author="Ann", case_id="c-9", notes="line 1\nline 2")
    ws = book["Summary"]
    rows = {row[0].value: row[1] for row in ws.iter_rows(min_row=2) if row[0].value}
    assert rows["Verdict"].value == a.verdict and rows["Headline"].value == a.headline
    assert rows["P(win-win)"].value == pytest.approx(a.probability) and rows["P(win-win)"].number_format == "0.0%"
    assert rows["Revision"].value == 4 and rows["Saved (UTC)"].value == dt.datetime(2025, 3, 1, 8, 30)
    assert rows["Notes"].value == "line 1\nline 2"
    findings = [r[1] for r in ws.iter_rows(values_only=True) if r[0] in ("good", "caution", "bad", "info")]
    assert findings == [f.text for f in a.findings]


def test_inputs_are_flattened_with_titles_units_and_number_formats():
    data, a = sample("win_win_check")
    ws = book_of(a, data)["Inputs"]
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    _path, title, value, unit = rows["partnership_value.low"]
    assert (title.value, value.value, unit.value) == ("Partnership value (low)", 700_000, "EUR/year")
    assert value.number_format == "#,##0"
    assert rows["split_rule"][2].value == "Shapley (fair share of what each adds)"
    assert "parties.0.bargaining_power" not in rows  # hidden by its show_if rule


def test_secrets_are_not_written():
    data, a = sample("referrals")
    book = book_of(a, data)
    assert all(data["shared_secret"] not in str(cell.value) for cell in cells(book))


def test_monte_carlo_gives_percentiles_of_the_draws():
    data, a = sample("win_win_check")
    rows = list(book_of(a, data)["Monte Carlo"].iter_rows(values_only=True))
    header = next(j for j, r in enumerate(rows) if r[0] == "Quantity")
    assert rows[header][:8] == ("Quantity", "Unit", "Mean", "P5", "P25", "P50", "P75", "P95")
    margin = rows[header + 1]
    assert margin[0] == "Smallest party's gain (win-win margin)"
    expected = np.percentile(a.details.monte_carlo.margin, [5, 25, 50, 75, 95])
    assert list(margin[3:8]) == pytest.approx(expected)
    assert ("P(win-win)", pytest.approx(a.probability)) in [(r[0], r[1]) for r in rows]


def test_monte_carlo_says_when_inputs_were_point_values():
    data, a = sample("win_win_check", use_ranges=False)
    texts = [r[0] for r in book_of(a, data)["Monte Carlo"].iter_rows(values_only=True) if r[0]]
    assert any(str(t).startswith("The inputs were point values") for t in texts)
    data, a = sample("sales_rewards")
    texts = [r[0] for r in book_of(a, data)["Monte Carlo"].iter_rows(values_only=True) if r[0]]
    assert any("no Monte Carlo" in str(t) for t in texts)


# --------------------------------------------------------------------------- helpers
@pytest.mark.parametrize(
    ("text", "taken", "expected"),
    [
        ("gain_percentiles", set(), "Gain percentiles"),
        ("a/b\\c?d*e:[f]", set(), "A b c d e f"),
        ("'quoted'", set(), "Quoted"),
        ("", set(), "Table"),
        ("parties", {"parties"}, "Parties (2)"),
        ("Parties", {"parties", "parties (2)"}, "Parties (3)"),
        ("history", set(), "History (2)"),
        ("x" * 40, {"x" * 31}, "X" + "x" * 26 + " (2)"),
    ],
)
def test_sheet_names_are_valid_and_unique(text, taken, expected):
    assert sheet_name(text, taken) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.float64(-2.5), -2.5),
        (np.int64(-7), -7),
        (float("nan"), None),
        (pd.NaT, None),
        (pd.NA, None),
        (math.inf, "∞"),
        (-math.inf, "−∞"),
        (pd.Timestamp("2025-01-02 03:04", tz="Europe/Berlin"), dt.datetime(2025, 1, 2, 2, 4)),
        ("=1+1", "'=1+1"),
    ],
)
def test_excel_values(value, expected):
    assert excel_value(value) == expected


def test_long_text_is_cut_to_what_a_cell_holds():
    assert len(excel_value("a" * 40_000)) <= 32_767
