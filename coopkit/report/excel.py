"""The Excel workbook of a case: summary, inputs, per-party figures, every table and the Monte Carlo.

Sheets, in order:

* **Summary** -- title, worksheet, verdict, headline, the probability with its
  label, case, revision, save time, author, notes, findings and assumptions;
* **Inputs** -- every input, one value per row: field path, title, value, unit
  (see :func:`coopkit.report.case_inputs.input_cells`);
* **Parties** -- the assessment's per-party table;
* one sheet per entry of ``assessment.tables`` (names made valid for Excel);
* **Monte Carlo** -- the probability, the draws and seed, and percentiles
  5/25/50/75/95 of the quantities whose draws the assessment keeps, or a
  statement that the inputs were point values.

Every text cell goes through :func:`coopkit.report.safe.safe_cell`, so a party
called ``=HYPERLINK(...)`` is shown, never run; numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import coopkit
from coopkit import options
from coopkit.options.base import Assessment
from coopkit.report.case_inputs import case_inputs, input_cells, ranges_switch
from coopkit.report.safe import safe_cell

__all__ = ["workbook_xlsx", "sheet_name", "excel_value"]

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MONEY, _MONEY_CENTS, _PERCENT = "#,##0", "#,##0.00", "0.0%"
_MAX_TEXT = 32_000  # Excel holds at most 32,767 characters in a cell
_FIXED_SHEETS = ("Summary", "Inputs", "Parties", "Monte Carlo")
_PERCENTILES = (5, 25, 50, 75, 95)
_PERCENT_NAMES = {"probability", "chance", "share_of_score", "cumulative", "of_shapley", "all_done", "conversion"}


def excel_value(value):
    """A value as an Excel cell holds it: numbers and dates as such, anything else as safe text.

    NaN and missing values become empty cells, infinities the text ``∞``;
    times with a time zone are converted to UTC (Excel has no time zones);
    text loses the control characters Excel refuses and is then passed
    through :func:`~coopkit.report.safe.safe_cell`, so it never runs as a formula.

    Examples
    --------
    >>> excel_value(np.float64(-2.5)), excel_value(float("nan")), excel_value(np.int64(3)), excel_value(True)
    (-2.5, None, 3, True)
    >>> excel_value("=1+1"), excel_value("\\x01=1"), excel_value(("A", 1))
    ("'=1+1", "'=1", "('A', 1)")
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return None
        return x if math.isfinite(x) else ("∞" if x > 0 else "−∞")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    if isinstance(value, dt.date | dt.time):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + "…"
    return safe_cell(text)


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name made from ``text`` (``taken`` holds names in lower case).

    Excel allows 31 characters, none of ``[]:*?/\\``, no quote at either end,
    and compares names ignoring case; ``History`` is reserved. A clash gets
    `` (2)``, `` (3)``, ... The caller adds the result to ``taken``.

    Examples
    --------
    >>> sheet_name("gain_percentiles", set()), sheet_name("a/b: [c]?", set())
    ('Gain percentiles', 'A b c')
    >>> sheet_name("Parties", {"parties"}), len(sheet_name("x" * 40, set()))
    ('Parties (2)', 31)
    """
    clean = re.sub(r"[\[\]:*?/\\\x00-\x1f]+", " ", str(text).replace("_", " "))
    clean = re.sub(r"\s+", " ", clean).strip(" '") or "Table"
    clean = clean[0].upper() + clean[1:]
    name, n = clean[:31].rstrip(" '"), 1
    while name.lower() in taken or name.lower() == "history":
        n += 1
        tail = f" ({n})"
        name = clean[: 31 - len(tail)].rstrip(" '") + tail
    return name


# --------------------------------------------------------------------------- writing cells
def _put(ws: Worksheet, row: int, column: int, value, *, bold: bool = False, fmt: str | None = None):
    cell = ws.cell(row=row, column=column, value=excel_value(value))
    if bold:
        cell.font = _BOLD
    if fmt and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        cell.number_format = fmt
    elif isinstance(cell.value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def _header(ws: Worksheet, row: int, labels: list) -> None:
    for j, label in enumerate(labels, start=1):
        _put(ws, row, j, label, bold=True).fill = _HEADER_FILL


def _widths(ws: Worksheet, least: int = 8, most: int = 60) -> None:
    longest: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                size = max(len(line) for line in str(cell.value).splitlines() or [""])
                size = size if not isinstance(cell.value, float) else min(size, 14)
                longest[cell.column] = max(longest.get(cell.column, 0), size)
    for column, size in longest.items():
        ws.column_dimensions[get_column_letter(column)].width = max(least, min(most, size + 2))


def _number_format(name, values: pd.Series, columns) -> str | None:
    numbers_ = pd.to_numeric(values, errors="coerce").dropna() if not pd.api.types.is_bool_dtype(values) else None
    if numbers_ is None or numbers_.empty or not pd.api.types.is_numeric_dtype(values):
        return None
    key = str(name).lower()
    rate_like = key.endswith("rate") or key.startswith("p_") or key in _PERCENT_NAMES
    rate_like |= key in ("low", "high") and any(str(c).endswith("rate") or c == "chance" for c in columns)
    if rate_like and numbers_.between(-1, 1).all():
        return _PERCENT
    return _MONEY if numbers_.abs().max() >= 1_000 else None


def _frame(ws: Worksheet, frame: pd.DataFrame, start: int = 1) -> int:
    """Write a table with a bold header from row ``start``; returns the next free row."""
    keep_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
    index_names = [n if n is not None else "" for n in frame.index.names] if keep_index else []
    columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else c for c in frame.columns]
    _header(ws, start, [*index_names, *columns])
    formats = [_number_format(c, frame.iloc[:, j], frame.columns) for j, c in enumerate(frame.columns)]
    for i, (key, row) in enumerate(zip(frame.index, frame.itertuples(index=False), strict=True), start=start + 1):
        keys = (key if isinstance(key, tuple) else (key,)) if keep_index else ()
        for j, value in enumerate(keys, start=1):
            _put(ws, i, j, value)
        for j, (value, fmt) in enumerate(zip(row, formats, strict=True), start=len(keys) + 1):
            _put(ws, i, j, value, fmt=fmt)
    return start + len(frame) + 1


def _table_sheet(ws: Worksheet, frame: pd.DataFrame) -> None:
    if frame.columns.empty:
        _put(ws, 1, 1, "No figures.")
        return
    _frame(ws, frame)
    keep_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
    ws.freeze_panes = "B2" if keep_index else "A2"
    _widths(ws)


# --------------------------------------------------------------------------- sheets
def _probability_row(a: Assessment, model) -> list[tuple[str, object, str | None]]:
    if a.probability is not None:
        return [(a.probability_label, a.probability, _PERCENT)]
    return [(a.probability_label, "not computed (point values)", None)] if ranges_switch(model) else []


def _summary(ws, a: Assessment, model, title, revision, saved_at, author, notes, case_id) -> None:
    _put(ws, 1, 1, title, bold=True).font = Font(bold=True, size=14)
    saved = None if saved_at is None else (saved_at if saved_at.tzinfo else saved_at.replace(tzinfo=dt.UTC))
    facts = [
        ("Worksheet", options.get(a.worksheet).title, None),
        ("Verdict", a.verdict, None),
        ("Headline", a.headline, None),
        *_probability_row(a, model),
        ("Currency", a.currency, None),
        ("Case", case_id, None),
        ("Revision", revision, None),
        ("Saved (UTC)", saved, None),
        ("Author", author, None),
        ("coopkit version", coopkit.__version__, None),
        ("Notes", notes, None),
    ]
    row = 3
    for label, value, fmt in facts:
        _put(ws, row, 1, label, bold=True)
        _put(ws, row, 2, value, fmt=fmt).alignment = _WRAP
        row += 1
    _header(ws, row + 1, ["Level", "Finding"])
    row += 2
    for finding in a.findings:
        _put(ws, row, 1, finding.level)
        _put(ws, row, 2, finding.text).alignment = _WRAP
        row += 1
    if a.assumptions:
        _header(ws, row + 1, ["Assumptions", ""])
        for j, text in enumerate(a.assumptions, start=row + 2):
            _put(ws, j, 2, text).alignment = _WRAP
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    ws.freeze_panes = "A2"


def _inputs(ws, a: Assessment, model, data: dict) -> None:
    _header(ws, 1, ["Field", "Title", "Value", "Unit"])
    for row, cell in enumerate(input_cells(model, data), start=2):
        money = "money" in cell.unit or (a.currency and a.currency in cell.unit)
        fmt = (_MONEY if float(cell.value).is_integer() else _MONEY_CENTS) if money and _is_number(cell.value) else None
        _put(ws, row, 1, cell.path)
        _put(ws, row, 2, cell.title)
        _put(ws, row, 3, cell.value, fmt=fmt)
        _put(ws, row, 4, cell.unit)
    ws.freeze_panes = "A2"
    _widths(ws)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _draws(a: Assessment) -> list[tuple[str, str, np.ndarray]]:
    """Quantities whose Monte Carlo draws the assessment keeps: (what, unit, draws)."""
    details = a.details if isinstance(a.details, dict) else {"result": a.details}
    money = f"{a.currency}/year"
    out = []
    for obj in details.values():
        mc = getattr(obj, "monte_carlo", None)
        margin = getattr(mc, "margin", None)
        if margin is not None:
            out.append(("Smallest party's gain (win-win margin)", money, np.asarray(margin, dtype=float)))
        if isinstance(mc, dict) and mc.get("expected_loss") is not None:
            loss = np.asarray(mc["expected_loss"], dtype=float)
            out.append(("Expected loss from reputation risk, after mitigations", money, loss))
        npv = getattr(obj, "npv_draws", None)
        if npv is not None:
            for j, party in enumerate(getattr(obj, "parties", ())):
                out.append((f"NPV of cooperating: {party}", a.currency, np.asarray(npv, dtype=float)[:, j]))
    return [(what, unit, values) for what, unit, values in out if values.size and np.any(values != 0)]


_TABLE_CAPTIONS = {
    "gain_percentiles": "each party's gain per year",
    "fan": "market revenue per year when cooperating (compete_p50: the median when competing)",
}
_P_LABELS = {  # what an option's own Monte Carlo dict reports besides its headline probability
    "p_us": "P(we gain)",
    "p_partner": "P(the partner gains)",
    "p_zone": "P(some share is win-win)",
}


def _monte_carlo(ws, a: Assessment, model, data: dict) -> None:
    switch = ranges_switch(model)
    ranges = bool(switch and data.get(switch))
    _put(ws, 1, 1, "Monte Carlo", bold=True).font = Font(bold=True, size=14)
    rows: list[tuple[str, object, str | None]] = [
        ("Ranges used", "yes" if ranges else "no" if switch else "this worksheet takes point values only", None),
        *(_probability_row(a, model) if switch else []),
    ]
    if ranges:
        rows += [("Draws", data.get("draws"), "#,##0"), ("Seed", data.get("seed"), None)]
    mc = a.details.get("monte_carlo") if isinstance(a.details, dict) else None
    if isinstance(mc, dict):
        rows += [(_P_LABELS[k], v, _PERCENT) for k, v in mc.items() if k in _P_LABELS and _is_number(v)]
    row = 3
    for label, value, fmt in rows:
        _put(ws, row, 1, label, bold=True)
        _put(ws, row, 2, value, fmt=fmt)
        row += 1
    row += 1
    draws = _draws(a) if ranges else []
    if draws:
        _put(ws, row, 1, "Percentiles across the scenarios", bold=True)
        header = ["Quantity", "Unit", "Mean", *(f"P{q}" for q in _PERCENTILES)]
        _header(ws, row + 1, header)
        row += 2
        for what, unit, values in draws:
            figures = [float(values.mean()), *np.percentile(values, _PERCENTILES).tolist()]
            for j, value in enumerate([what, unit, *figures], start=1):
                _put(ws, row, j, value, fmt=_MONEY)
            row += 1
        row += 1
    tables = (
        {k: t for k, t in a.tables.items() if {"p5", "p50", "p95"} <= {str(c) for c in t.columns}} if ranges else {}
    )
    for key, table in tables.items():
        _put(ws, row, 1, f"Percentiles: {_TABLE_CAPTIONS.get(key, key.replace('_', ' '))}", bold=True)
        row = _frame(ws, table, row + 1) + 1
    if not ranges:
        text = (
            "The inputs were point values, so no Monte Carlo was run: every figure is for the most likely values. "
            "Turn on “Use ranges” and give low and high values to see the spread."
            if switch
            else "This worksheet works on point values (or its own data); it has no Monte Carlo over ranges."
        )
        _put(ws, row, 1, text).alignment = Alignment(wrap_text=False)
    elif not draws and not tables:
        _put(ws, row, 1, "The assessment keeps no draws to summarise beyond the probability above.")
    _widths(ws, most=50)


# --------------------------------------------------------------------------- the workbook
def workbook_xlsx(
    assessment: Assessment,
    *,
    title: str,
    inputs: dict,
    revision: int | None = None,
    saved_at: dt.datetime | None = None,
    author: str = "",
    notes: str = "",
    case_id: str | None = None,
) -> bytes:
    """The case as an Excel workbook (.xlsx bytes): summary, inputs, parties, tables, Monte Carlo.

    Parameters
    ----------
    assessment : Assessment
        The worksheet's result for the case.
    title : str
        The case title.
    inputs : dict
        The case's inputs as saved; missing fields show their defaults.
    revision, saved_at, author, notes, case_id
        As for :func:`coopkit.report.brief.brief_html`; ``saved_at`` is written in UTC.

    Returns
    -------
    bytes
        The workbook; every text cell is safe from formula injection.

    Examples
    --------
    >>> from openpyxl import load_workbook
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("win_win_check")
    >>> case = read_case(sample_case(sheet.sample))
    >>> a = sheet.assess(options.validate(sheet.inputs, {**case.inputs, "draws": 1000})[0])
    >>> book = load_workbook(io.BytesIO(workbook_xlsx(a, title="=cmd|' /C calc'!A0", inputs=case.inputs)))
    >>> book.sheetnames
    ['Summary', 'Inputs', 'Parties', 'Splits', 'Tornado', 'Gain percentiles', 'Monte Carlo']
    >>> book["Summary"]["A1"].value, "P75" in [c.value for c in book["Monte Carlo"][9]]
    ("'=cmd|' /C calc'!A0", True)
    """
    model, data = case_inputs(assessment.worksheet, inputs)
    book = Workbook()
    _summary(book.active, assessment, model, title, revision, saved_at, author, notes, case_id)
    book.active.title = "Summary"
    _inputs(book.create_sheet("Inputs"), assessment, model, data)
    _table_sheet(book.create_sheet("Parties"), assessment.parties)
    taken = {name.lower() for name in _FIXED_SHEETS}
    for key, table in assessment.tables.items():
        name = sheet_name(key, taken)
        taken.add(name.lower())
        _table_sheet(book.create_sheet(name), table)
    _monte_carlo(book.create_sheet("Monte Carlo"), assessment, model, data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
