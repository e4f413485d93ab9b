"""Every worksheet's Inputs fuzzed with hypothesis (issue 8): any value either assesses or is explained.

Each example starts from the worksheet's sample case and edits one to three places in it: top-level
fields, fields inside list items, the low / most likely / high of a range, cells of a pasted CSV.
The new values are hostile: missing, blank, not a number, NaN and infinities, huge and tiny numbers,
numbers beyond 2**63, booleans for numbers, lists for scalars, dicts for lists, 200 rows, 10,000
characters, right-to-left marks, emoji, NUL, ``<script>``, spreadsheet formulas, repeated names; and
valid extremes (each bound of a field, every choice of a menu), which reach ``assess``.

The properties, for every worksheet:

* :func:`coopkit.options.base.validate` never raises; each problem it returns names a field;
* valid inputs either assess or raise :class:`~coopkit.errors.InputError` with a message;
* an assessment holds NaN only where a table means "not applicable" (:data:`NAN_ALLOWED`) and
  infinity only where it means "never" (:data:`INF_ALLOWED`); its probability is None or in [0, 1];
* :func:`coopkit.store.summary.summarise` never raises and returns strict JSON data;
* the result panel (:func:`coopkit.report.views.view`), the verdict and findings never print
  "nan" or "inf" and never an unescaped ``<script>``; for a few examples the charts are built too.

``HYPOTHESIS_PROFILE=thorough`` runs the profile's 500 examples per worksheet instead of 25.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import os
import re
import typing
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from pydantic import BaseModel

from coopkit import options
from coopkit.errors import InputError
from coopkit.options.base import Assessment, Problem, describe_loc, field_bounds, validate
from coopkit.report import html as report_html
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case
from coopkit.store.summary import summarise

NAMES = options.names()
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
#: Examples per worksheet: 25 by default, the profile's (500) when thorough.
EXAMPLES = settings().max_examples if THOROUGH else 25
#: Examples per worksheet whose charts are built as well (charts are slow).
CHART_EXAMPLES = 25 if THOROUGH else 2
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Monte Carlo sizes set in every example: the smallest each model allows, so that a run stays fast.
FAST = {"draws": 1_000, "repetitions": 20}
#: Largest valid value drawn for fields whose cost grows with their value.
CAPS = {"draws": 2_000, "repetitions": 50, "rounds": 300}

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
RTL = "\u202eevil\u202c"
TEXTS = [SCRIPT, "=1+1", "+SUM(A1:A9)", "@cmd", RTL, "😀🤝", "a\x00b", " ", "Ｗｉｄｅ", "nan", "inf", "Ω≈ç"]
HOSTILE = [
    None, "", "abc", "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "1,5", " 7 ",
    0, 0.0, -0.0, -1, -1.5, 1e308, -1e308, 1e-300, 5e-324, -5e-324, math.nan, math.inf, -math.inf,
    True, False, 2**63, 2**64, -(2**63) - 1, 10**30,
    LONG, RTL, "😀", "a\x00b", SCRIPT, "=1+1",
    [], {}, [1, 2], ["a"], {"likely": 1}, {"a": 1},
]  # fmt: skip
CSV_TOKENS = ["", "abc", "-1", "1e309", "nan", "inf", "NA", "2024-13-45", "1,5", '"', SCRIPT, "=1+1", RTL, "😀", "\x00"]


# --------------------------------------------------------------------------- edits of the sample data
def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}...<{len(text)} chars>"


@dataclass(frozen=True)
class Edit:
    """One change to a worksheet's raw data at ``path`` (keys and list indices).

    ``op`` is ``set`` (put ``arg`` there), ``cell`` (put ``arg[2]`` in cell ``arg[1]`` of line ``arg[0]``
    of a CSV text), ``lines`` (keep the first ``arg`` lines of a text), ``rows`` (repeat the last line
    ``arg`` times) or ``items`` (make the list ``arg`` items long, names kept distinct).
    """

    path: tuple
    op: str
    arg: Any = None

    def __repr__(self) -> str:
        return f"Edit({self.path!r}, {self.op!r}, {_short(self.arg)})"

    def _repr_pretty_(self, printer, cycle) -> None:  # how hypothesis shows a failing example
        printer.text(repr(self))

    def apply(self, raw: dict) -> None:
        *parents, last = self.path
        holder: Any = raw
        for key in parents:
            if isinstance(holder, dict) and isinstance(key, str):
                holder = holder.setdefault(key, {})
            elif isinstance(holder, list) and isinstance(key, int) and key < len(holder):
                holder = holder[key]
            else:
                return  # an earlier edit replaced the container: nothing to edit
        if isinstance(holder, list) and not (isinstance(last, int) and last < len(holder)):
            return
        if not isinstance(holder, dict | list):
            return
        current = holder.get(last) if isinstance(holder, dict) else holder[last]
        holder[last] = self._new(current)

    def _new(self, current: Any) -> Any:
        if self.op == "set":
            return copy.deepcopy(self.arg)
        if self.op in ("cell", "lines", "rows"):
            if not isinstance(current, str):
                return current
            lines = current.split("\n")
            if self.op == "lines":
                return "\n".join(lines[: self.arg])
            if self.op == "rows":
                last = next((line for line in reversed(lines) if line.strip()), "")
                return "\n".join([*lines, *[last] * self.arg])
            line, cell, token = self.arg
            cells = lines[line % len(lines)].split(",")
            cells[cell % len(cells)] = token
            lines[line % len(lines)] = ",".join(cells)
            return "\n".join(lines)
        if self.op == "items":
            if not isinstance(current, list) or not current:
                return current
            items = [copy.deepcopy(current[k % len(current)]) for k in range(self.arg)]
            for k, item in enumerate(items):
                for key in ("name", "item"):
                    if isinstance(item, dict) and isinstance(item.get(key), str):
                        item[key] = f"{item[key][:30]} #{k + 1}"
            return items
        raise AssertionError(f"unknown edit {self.op}")


@functools.cache
def _sample(name: str) -> dict:
    """The sample case's raw inputs, with the Monte Carlo sizes of :data:`FAST`."""
    sheet = options.get(name)
    raw = read_case(sample_case(sheet.sample)).inputs
    return raw | {k: v for k, v in FAST.items() if k in sheet.inputs.model_fields}


def edited(name: str, edits: list[Edit]) -> dict:
    """The sample of ``name`` with ``edits`` applied, in order."""
    raw = copy.deepcopy(_sample(name))
    for edit in edits:
        edit.apply(raw)
    return raw


# --------------------------------------------------------------------------- what can be edited, and to what
def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``X``, ``list[X]`` or ``X | None``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


def _max_length(info) -> int | None:
    return next((m.max_length for m in info.metadata if getattr(m, "max_length", None) is not None), None)


@dataclass(frozen=True)
class Target:
    """A place in the raw data: its path, the pydantic field there and what it holds."""

    path: tuple
    info: Any
    kind: str  # number, int, bool, choice, text, csv, list, range, model

    def __repr__(self) -> str:
        return f"Target({self.path!r}, {self.kind!r})"


def _kind(info, value: Any) -> str:
    annotation = info.annotation
    model = _submodel(annotation)
    if model is not None:
        if typing.get_origin(annotation) is list:
            return "list"
        return "range" if "likely" in model.model_fields else "model"
    if typing.get_origin(annotation) is typing.Literal:
        return "choice"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is str:
        return "csv" if isinstance(value, str) and ("\n" in value or "," in value) else "text"
    return "number"


def targets(model: type[BaseModel], raw: Any, prefix: tuple = ()) -> list[Target]:
    """Every field of ``model`` (present in ``raw`` or not), inside list items and ranges too."""
    out = []
    for name, info in model.model_fields.items():
        value = raw.get(name) if isinstance(raw, dict) else None
        path = (*prefix, name)
        kind = _kind(info, value)
        out.append(Target(path, info, kind))
        inner = _submodel(info.annotation)
        if kind == "range":
            out += [Target((*path, part), inner.model_fields[part], "number") for part in ("likely", "low", "high")]
        elif kind == "list" and isinstance(value, list):
            for j, item in enumerate(value):
                out.append(Target((*path, j), info, "model"))
                out += targets(inner, item, (*path, j))
        elif kind == "model":
            out += targets(inner, value, path)
    return out


def _valid_numbers(target: Target) -> st.SearchStrategy:
    """Valid extremes of a numeric field: its bounds, just inside them, zero, and anything between."""
    bounds = field_bounds(target.info)
    low = bounds.get("ge", bounds.get("gt", -1e15))
    high = min(bounds.get("le", bounds.get("lt", 1e15)), CAPS.get(target.path[-1], math.inf))
    if target.kind == "int":
        return st.integers(math.ceil(low), math.floor(high))
    edges = [low, high, np.nextafter(low, high), np.nextafter(high, low), 0.0, 5e-324, 1.0, (low + high) / 2]
    inside = [float(x) for x in edges if low <= x <= high and ("gt" not in bounds or x > low)]
    floats = st.floats(low, high, exclude_min="gt" in bounds, exclude_max="lt" in bounds)
    return st.one_of(st.sampled_from(inside), floats)


def _valid_texts(target: Target) -> st.SearchStrategy:
    most = _max_length(target.info) or 200
    fitting = [t for t in TEXTS if len(t) <= most]
    return st.one_of(st.sampled_from(fitting), st.text(max_size=min(most, 40)))


def _csv_edits(target: Target) -> st.SearchStrategy:
    cell = st.tuples(st.integers(0, 500), st.integers(0, 30), st.sampled_from(CSV_TOKENS))
    return st.one_of(
        cell.map(lambda arg: Edit(target.path, "cell", arg)),
        st.integers(0, 2).map(lambda k: Edit(target.path, "lines", k)),
        st.just(Edit(target.path, "rows", 200)),
    )


def _min_length(info) -> int:
    return next((m.min_length for m in info.metadata if getattr(m, "min_length", None) is not None), 0)


def _list_edits(target: Target, raw: dict, hostile: bool) -> st.SearchStrategy:
    """Lists of another length (names kept distinct); when hostile, also too long, malformed or with a name twice."""
    least, most = max(_min_length(target.info), 1), _max_length(target.info) or 8
    sizes = st.sampled_from(sorted({1, least - 1, most + 1, 200} - {0})) if hostile else st.integers(least, most)
    out = [sizes.map(lambda n: Edit(target.path, "items", n))]
    items = raw.get(target.path[-1]) if len(target.path) == 1 else None
    if hostile and isinstance(items, list) and items and isinstance(items[0], dict):
        out.append(
            st.sampled_from([{"0": items[0]}, [None], [items[0], "abc"]]).map(lambda v: Edit(target.path, "set", v))
        )
        key = next((k for k in ("name", "item") if k in items[0]), None)
        if key is not None and len(items) > 1:
            pairs = st.permutations(range(len(items))).map(lambda p: p[:2])  # item p[1] gets the name of p[0]
            spell = st.sampled_from([str, str.upper, lambda s: f" {s.lower()} "])
            out.append(
                st.tuples(pairs, spell).map(
                    lambda ps: Edit((*target.path, ps[0][1], key), "set", ps[1](str(items[ps[0][0]][key])))
                )
            )
    return st.one_of(out)


def _valid_range(target: Target) -> st.SearchStrategy:
    """A whole low / most likely / high range inside the bounds, or a most likely value alone."""
    inner = _submodel(target.info.annotation)
    number = _valid_numbers(Target((*target.path, "likely"), inner.model_fields["likely"], "number"))
    triple = st.lists(number, min_size=3, max_size=3).map(sorted)
    return st.one_of(
        triple.map(lambda t: {"low": t[0], "likely": t[1], "high": t[2]}), number.map(lambda x: {"likely": x})
    )


def _setting(target: Target, values: st.SearchStrategy) -> st.SearchStrategy[Edit]:
    return values.map(lambda v: Edit(target.path, "set", v))


def valid_edits(target: Target, raw: dict) -> st.SearchStrategy[Edit]:
    """Edits that keep the field itself valid: its bounds and extremes, every choice, odd but allowed text."""
    kind = target.kind
    if kind in ("number", "int"):
        return _setting(target, _valid_numbers(target))
    if kind == "choice":
        return _setting(target, st.sampled_from(typing.get_args(target.info.annotation)))
    if kind == "bool":
        return _setting(target, st.booleans())
    if kind == "text":
        return _setting(target, _valid_texts(target))
    if kind == "csv":
        return st.one_of(_csv_edits(target), _setting(target, _valid_texts(target)))
    if kind == "list":
        return _list_edits(target, raw, hostile=False)
    if kind == "range":
        return _setting(target, _valid_range(target))
    return _setting(target, st.just({}))  # a list item with every field at its default


def hostile_values(target: Target, raw: dict) -> st.SearchStrategy[Edit]:
    """Edits that put a hostile value at the target (wrong type, out of bounds, NaN, malformed list ...)."""
    anything = st.one_of(st.sampled_from(HOSTILE), st.floats(), st.integers(-(2**70), 2**70), st.text(max_size=12))
    out = [_setting(target, anything)]
    if target.kind == "bool":
        out.append(_setting(target, st.sampled_from(["yes", "false", 1, 0, 2, 0.5])))
    elif target.kind == "list":
        out.append(_list_edits(target, raw, hostile=True))
    elif target.kind in ("range", "model"):
        out.append(_setting(target, st.sampled_from([5, "abc", [1, 2, 3], {"likely": 1, "low": 2, "high": 0}])))
    return st.one_of(out)


@functools.cache
def _edit_strategies(name: str) -> tuple[st.SearchStrategy[Edit], st.SearchStrategy[Edit]]:
    """(valid edits, any edits) of the sample of worksheet ``name``."""
    raw = _sample(name)
    found = st.sampled_from(targets(options.get(name).inputs, raw))
    valid = found.flatmap(lambda t: valid_edits(t, raw))
    unknown = st.just(Edit((SCRIPT,), "set", 1))  # a field the model does not have
    return valid, st.one_of(valid, found.flatmap(lambda t: hostile_values(t, raw)), unknown)


def hostile_edits(name: str) -> st.SearchStrategy[list[Edit]]:
    """One to three edits of the sample of worksheet ``name``: half the examples only valid extremes."""
    valid, anything = _edit_strategies(name)
    return st.booleans().flatmap(lambda hostile: st.lists(anything if hostile else valid, min_size=1, max_size=3))


def extreme_edits(name: str) -> st.SearchStrategy[list[Edit]]:
    """One to three edits of the sample of worksheet ``name`` that keep each field valid (most then assess)."""
    return st.lists(_edit_strategies(name)[0], min_size=1, max_size=3)


# --------------------------------------------------------------------------- the checks
_STOP = {"the", "and", "for", "its", "our", "per", "with", "from", "most", "likely", "must"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP}


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """The titles a message about ``loc`` may use: the fields on the path, their items' and sub-fields' titles."""
    names = [describe_loc(model, loc)] if loc else []
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if isinstance(part, int) or not fields or part not in fields:
            continue
        info = fields[part]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        names += [str(part).replace("_", " "), info.title or "", extra.get("item_title", "")]
        current = _submodel(info.annotation)
    fields = getattr(current, "model_fields", {}) or {}
    for info in fields.values():  # a problem with a whole list or section may name its columns
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        names += [info.title or "", str(extra.get("section", ""))]
    return names


def _titles(model: type[BaseModel]) -> list[str]:
    """Every field title of the form, nested ones included."""
    out = []
    for info in model.model_fields.values():
        out.append(info.title or "")
        inner = _submodel(info.annotation)
        if inner is not None and "likely" not in inner.model_fields:
            out += _titles(inner)
    return [t for t in out if len(t) > 3]


def assert_names_a_field(model: type[BaseModel], problem: Problem) -> None:
    """A problem has a message, and the message names the field it is attached to.

    A message names its field when it shares a word with the field's title (or the titles of its
    list's items and columns), when it quotes the whole title of another field of the form that
    the rule is about (a CRM export's problem may be with the "Outcome column" it was read with), or
    when it names the column of a pasted CSV it is about ("Column 'prep_research' (Checklist): ...").
    """
    assert isinstance(problem.message, str) and problem.message.strip(), problem
    assert isinstance(problem.loc, tuple), problem
    named = _words(" ".join(_field_names(model, problem.loc)))
    quoted = [t for t in _titles(model) if t.lower() in problem.message.lower()]
    column = re.search(r"\bColumn '", problem.message)  # a pasted CSV's problem names the file's column
    assert named & _words(problem.message) or quoted or column, (
        f"{problem.message!r} names none of {sorted(named)[:12]}"
    )


#: Where an assessment's NaN means "not applicable": (worksheet, table, column), ``"*"`` for any.
#: The views print a dash for these or leave the row out; every other number must be finite.
NAN_ALLOWED: dict[tuple[str, str, Any], str] = {
    # options.common.sensitivity: the swung input made the form invalid; views.option_charts drops the row
    ("*", "sensitivity", "margin_at_low"): "input swung out of validity",
    ("*", "sensitivity", "margin_at_high"): "input swung out of validity",
    ("*", "sensitivity", "swing"): "input swung out of validity",
    # options.joint_purchasing: np.divide(..., where=phi > tol); option_views.joint_purchasing._percent prints "–"
    ("joint_purchasing", "members", "of_shapley"): "member with no Shapley value",
    # frameworks.helpnet: a person with no ties; option_views.sales_mentoring._share prints "–"
    ("sales_mentoring", "people", "reciprocity"): "person with no ties",
    ("sales_mentoring", "parties", "reciprocity"): "person with no ties",
    # frameworks.tournament.round_robin: np.full(nan), pairs that never met (no self-play)
    ("sales_rivals", "matrix", "*"): "strategies that never met",
    # frameworks.winloss: rates, intervals and ratios of groups with no deals ("–" in the views)
    **{("sales_win_loss", table, "*"): "group with no deals" for table in (
        "parties", "overall", "over_time", "trend", "head_to_head", "loss_reasons", "by_rep", "by_segment", "matrix"
    )},
    # frameworks.survey: "Items with fewer than minimum answers show NaN figures" (anonymity), alpha of
    # fewer than 2 items; option_views.sales_culture._maybe prints "–"
    **{("sales_culture", table, "*"): "too few answers to show" for table in (
        "parties", "groups", "reliability", "items"
    )},
    **{("sales_deal_review", table, "*"): "band or item with no deals" for table in (
        "parties", "bands", "items", "estimates"
    )},
}  # fmt: skip


#: Where an assessment's infinity is a deliberate "never", printed in words by the view.
INF_ALLOWED: dict[tuple[str, str, Any], str] = {
    # frameworks.tournament.meetings_needed: infinite when the threshold is 1; rivals._per_year: "no number of meetings a year"
    ("sales_rivals", "thresholds", "meetings"): "no number of meetings is enough",
}


def _allowed(name: str, table: str, column: Any, kind: str) -> bool:
    allowed = NAN_ALLOWED if kind == "nan" else INF_ALLOWED
    return any((w, table, c) in allowed for w in (name, "*") for c in (column, "*"))


def non_finite_cells(frame: pd.DataFrame) -> list[tuple[Any, str]]:
    """(column, "nan" | "inf") for each column holding a non-finite number."""
    out = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not (
            pd.api.types.is_numeric_dtype(series)
            or pd.api.types.is_object_dtype(series)
            or pd.api.types.is_string_dtype(series)  # a text column's missing value is NaN too
        ):
            continue
        values = [v for v in series.tolist() if isinstance(v, float | np.floating)]
        if any(math.isinf(v) for v in values):
            out.append((column, "inf"))
        if any(math.isnan(v) for v in values):
            out.append((column, "nan"))
    return out


_NUMBER_WORD = re.compile(r"(?<![\w&#])[-−+]?(nan|inf|infinity|nat)(?![\w])", re.IGNORECASE)


def _user_words(raw: Any) -> set[str]:
    """Every word typed anywhere in the raw data (a party called "nan" may be shown)."""
    if isinstance(raw, dict):
        return set().union(*(_user_words(v) | _user_words(k) for k, v in raw.items())) if raw else set()
    if isinstance(raw, list):
        return set().union(*(_user_words(v) for v in raw)) if raw else set()
    return set(re.findall(r"\w+", raw.lower())) if isinstance(raw, str) else set()


def assert_prints_no_bad_number(text: str, raw: dict) -> None:
    """No "nan", "inf" or "NaT" in ``text``, unless the user typed that word somewhere."""
    typed = _user_words(raw)
    bad = [m.group(0) for m in _NUMBER_WORD.finditer(text) if m.group(1).lower() not in typed]
    assert not bad, f"prints {bad[:5]}"


def check_assessment(name: str, a: Assessment, raw: dict) -> None:
    assert isinstance(a, Assessment) and a.worksheet == name
    assert a.probability is None or (math.isfinite(a.probability) and 0 <= a.probability <= 1), a.probability
    for label, frame in [("parties", a.parties), *a.tables.items()]:
        for column, kind in non_finite_cells(frame):
            assert _allowed(name, label, column, kind), f"{label}[{column!r}] holds {kind}"
    panel = view(a)
    html = "".join(s.html for s in [*panel.before, *panel.after])
    html += report_html.verdict_html(a) + report_html.findings_html(a)
    assert_prints_no_bad_number(html, raw)
    assert "<script" not in html.lower(), "an unescaped <script>"
    assert_prints_no_bad_number(a.report(), raw)  # plain text, as `coopkit assess` prints it


def check(name: str, raw: dict) -> Assessment | None:
    """Every property of issue 8 for one worksheet's raw data; the assessment when there is one."""
    sheet = options.get(name)
    inputs, problems = validate(sheet.inputs, raw)
    summary = summarise(name, raw)
    json.dumps(summary, allow_nan=False)
    if inputs is None:
        assert problems, "no inputs and no problem"
        for problem in problems:
            assert_names_a_field(sheet.inputs, problem)
        assert summary["assessed"] is False
        return None
    assert problems == []
    try:
        a = sheet.assess(inputs)
    except InputError as exc:
        assert str(exc).strip()
        assert summary["assessed"] is False
        return None
    check_assessment(name, a, raw)
    assert summary["assessed"] is True
    return a


# --------------------------------------------------------------------------- the properties
@pytest.mark.parametrize("name", NAMES)
def test_every_sample_passes_the_checks(name):
    assert check(name, edited(name, [])) is not None


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.data())
def test_any_input_assesses_or_is_explained(name, data):
    raw = edited(name, data.draw(hostile_edits(name), label="edits"))
    check(name, raw)


@pytest.mark.parametrize("name", NAMES)
@settings(FUZZ, max_examples=CHART_EXAMPLES)
@given(data=st.data())
def test_the_charts_of_any_assessment_build(name, data):
    raw = edited(name, data.draw(extreme_edits(name), label="edits"))
    a = check(name, raw)
    if a is None:
        return
    for chart in view(a).charts:
        assert isinstance(chart.build(), Figure), chart.alt


# --------------------------------------------------------------------------- regression tests of the bugs found
@pytest.mark.parametrize("name", ["sales_win_loss", "sales_deal_review"])
def test_a_blank_outcome_column_is_explained(name):
    raw = edited(name, [Edit(("outcome_column",), "set", " ")])
    inputs, problems = validate(options.get(name).inputs, raw)
    assert inputs is None and problems
    for problem in problems:
        assert_names_a_field(options.get(name).inputs, problem)


def test_skipping_other_outcomes_keeps_the_checklist():
    raw = edited(
        "sales_deal_review",
        [Edit(("skip_other_outcomes",), "set", True), Edit(("crm_csv",), "cell", (1, 5, "Open"))],
    )  # the first deal is still open: skipped
    assert check("sales_deal_review", raw) is not None


@pytest.mark.parametrize("date", ["-1", "0000", "-2023-01-01"])
def test_a_date_before_year_one_is_explained(date):
    raw = edited("sales_win_loss", [Edit(("crm_csv",), "cell", (1, 1, date))])  # the first deal's closed_on
    assert check("sales_win_loss", raw) is None  # the Date column's problem, at the file


@pytest.mark.parametrize("name", ["sales_win_loss", "sales_deal_review"])
def test_a_first_row_with_a_value_too_many_is_explained(name):
    raw = edited(name, [Edit(("crm_csv",), "cell", (1, 7, "1,500"))])  # the first deal's amount
    assert check(name, raw) is None  # line 2 has a value too many


def test_a_trend_with_an_empty_half_prints_no_nan():
    raw = edited(
        "sales_win_loss",
        [Edit(("trend_method",), "set", "logistic"), Edit(("crm_csv",), "cell", (1, 1, "9999-12-31"))],
    )  # one deal far in the future: the later half holds that one deal only
    assert check("sales_win_loss", raw) is not None


def test_an_exhausted_market_grows_by_a_finite_amount():
    raw = edited("market_growth", [Edit(("market_age",), "set", 100.0)])
    assert check("market_growth", raw) is not None


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(("bonus_pool",), "set", 5e-324)],
        [Edit(("bonus_pool",), "set", 5e-324), Edit(("team_plan",), "set", 5e-324)],
    ],
    ids=["pool", "pool-and-plan"],
)
def test_a_vanishing_bonus_pool_or_plan_is_assessed_or_explained(edits):
    raw = edited("sales_rewards", edits)
    assert check("sales_rewards", raw) is None  # explained: between 1e-09 and 1,000,000,000,000


def test_a_sliver_of_a_beneficiary_costs_a_finite_amount():
    raw = edited("charitable_cause", [Edit(("sponsors", j, "beneficiaries"), "set", 1e-310) for j in range(3)])
    assert check("charitable_cause", raw) is None  # read as 0: the programme must reach someone


def test_a_vanishing_revenue_has_no_infinite_break_even_share():
    raw = edited("cross_upsell", [Edit(("price",), "set", {"likely": 1e-310})])
    assert check("cross_upsell", raw) is not None  # read as 0


def test_a_vanishing_conversion_asks_for_no_infinite_fee():
    raw = edited(
        "referrals",
        [Edit(("sides", 0, "referral_fee"), "set", 1e12), Edit(("sides", 1, "conversion"), "set", {"likely": 5e-324})],
    )
    assert check("referrals", raw) is not None  # read as 0


def test_a_vanishing_volume_pays_a_finite_price():
    raw = edited(
        "joint_purchasing",
        [
            Edit(("split_rule",), "set", "shapley"),
            Edit(("members", 0, "volume"), "set", {"likely": 5e-324}),
            Edit(("members",), "items", 5),
        ],
    )
    assert check("joint_purchasing", raw) is None  # read as 0: every member buys something


# --------------------------------------------------------------------------- the strategies and checks themselves
def test_the_edits_reach_inside_lists_and_ranges():
    found = {t.path for t in targets(options.get("win_win_check").inputs, _sample("win_win_check"))}
    assert {("parties", 1, "standalone_payoff", "low"), ("partnership_value", "high"), ("draws",)} <= found


def test_an_edit_of_a_replaced_container_does_nothing():
    raw = edited("win_win_check", [Edit(("parties",), "set", "abc"), Edit(("parties", 0, "name"), "set", "X")])
    assert raw["parties"] == "abc"


def test_a_problem_that_names_no_field_is_caught():
    model = options.get("win_win_check").inputs
    assert_names_a_field(model, Problem(("parties", 0, "contribution"), "What it brings must be at least 0, got -1"))
    with pytest.raises(AssertionError, match="names none"):
        assert_names_a_field(model, Problem(("draws",), "something went wrong"))


def test_the_checks_catch_what_they_look_for():
    with pytest.raises(AssertionError, match="prints"):
        assert_prints_no_bad_number("<td>−inf%</td><td>nan</td>", {})
    assert_prints_no_bad_number("<td>Nanette</td> an infinite market", {})  # words, not numbers
    assert_prints_no_bad_number("<td>inf</td>", {"name": "inf"})  # what the user typed may be shown
    frame = pd.DataFrame({"a": [1.0, math.inf], "b": ["x", math.nan], "c": [True, False], "d": [None, 1]})
    assert non_finite_cells(frame) == [("a", "inf"), ("b", "nan"), ("d", "nan")]
