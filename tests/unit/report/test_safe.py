"""Tests for coopkit.report.safe (and coopkit.frameworks.safety): cells a spreadsheet never runs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.frameworks import overlap, safety, winloss
from coopkit.report.safe import FORMULA_START, safe_cell

FORMULAS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", " =1", "\r=1", "\n=1", "  \t+1", "\u00a0=1", "\tplain"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Acme", "", "a=b", "'quoted", "1,000", "Birch & Bean", "x -1"])
def test_other_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value",
    [-5, -2.5, 0, 3, np.float64(-1.5), np.int64(-3), True, np.bool_(False), None, float("nan"), dt.date(2025, 1, 2)],
)
def test_numbers_dates_and_none_pass_through(value):
    out = safe_cell(value)
    assert out is value


def test_other_objects_become_checked_text():
    class Formula:
        def __str__(self) -> str:
            return "=HYPERLINK(1)"

    assert safe_cell(Formula()) == "'=HYPERLINK(1)"
    assert safe_cell(("a", 1)) == "('a', 1)"


@given(st.text(max_size=30))
def test_safe_text_never_starts_a_formula(text):
    out = safe_cell(text)
    assert out in (text, "'" + text)
    if out == text:
        assert not text.startswith(FORMULA_START)
        assert not text.lstrip().startswith(FORMULA_START)


# --------------------------------------------------------------------------- one implementation
def test_the_report_layer_uses_the_frameworks_guard():
    assert safe_cell is safety.safe_cell


def test_the_frameworks_exports_use_the_same_guard():
    assert not hasattr(overlap, "_FORMULA_START") and not hasattr(winloss, "_FORMULA_START")
    assert overlap.csv_cell(" =1") == "' =1"
    table = pd.DataFrame({"wins": [-3], "top": [" @SUM(A1)"]}, index=pd.Index(["\t=1"], name="competitor"))
    assert winloss.table_csv(table).splitlines()[1] == "'\t=1,-3,' @SUM(A1)"
