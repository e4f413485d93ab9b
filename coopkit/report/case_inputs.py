"""A case's inputs as a reader sees them: each field's title, value and unit, read from the Inputs model.

The executive brief (:mod:`coopkit.report.brief`) and the Excel workbook
(:mod:`coopkit.report.excel`) both list every input of a case. What a field
is called, its unit, its choice labels and when it is shown all come from the
worksheet's pydantic ``Inputs`` model, as in the form, so a field is
described once:

* a field hidden by its ``show_if`` rule is left out (it did not count);
* an uncertain amount is its most likely value, or low – likely – high when
  the worksheet's "use ranges" switch is on;
* a shared secret (``widget: password``) is never written out;
* an uploaded file or other long text is summarised (its size and first line),
  not copied whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from coopkit import options
from coopkit.options.base import Uncertain, _inner_model, describe_loc, field_unit

__all__ = ["InputItem", "InputCell", "case_inputs", "input_items", "input_cells", "number_text", "ranges_switch"]

_LONG_TEXT = 120  # characters; longer text (or several lines) is summarised
HIDDEN = "(hidden: not exported)"


@dataclass(frozen=True)
class InputItem:
    """One top-level input for a page: title, unit, form section and value as text, or a table for a list."""

    name: str
    title: str
    unit: str
    section: str
    text: str
    table: pd.DataFrame | None = None


@dataclass(frozen=True)
class InputCell:
    """One value of the inputs for a spreadsheet: dotted path, title, value (number, yes/no or text), unit."""

    path: str
    title: str
    value: Any
    unit: str


def case_inputs(worksheet: str, data: dict | BaseModel) -> tuple[type[BaseModel], dict]:
    """The worksheet's Inputs model and the case's data with every default filled in.

    Parameters
    ----------
    worksheet : str
        Registered worksheet name, e.g. ``"win_win_check"``.
    data : dict or Inputs model
        The inputs as saved; when they do not validate they are used as given.

    Returns
    -------
    (type, dict)
        The model class and the data (pydantic's dump of the validated inputs).

    Examples
    --------
    >>> model, data = case_inputs("win_win_check", {"partnership_value": {"likely": 100}, "parties": [
    ...     {"name": "A", "standalone_payoff": {"likely": 20}}, {"name": "B", "standalone_payoff": {"likely": 40}}]})
    >>> model.model_fields["currency"].title, data["currency"], data["split_rule"]
    ('Currency', 'EUR', 'shapley')
    """
    model = options.get(worksheet).inputs
    if isinstance(data, BaseModel):
        return model, data.model_dump()
    try:
        return model, model.model_validate(data).model_dump()
    except ValidationError:
        return model, dict(data)


def number_text(x: float) -> str:
    """A number as typed: thousands separators, no scientific notation for everyday sizes.

    Examples
    --------
    >>> number_text(1000005), number_text(2.5), number_text(-1234567.891), number_text(1e-7)
    ('1,000,005', '2.5', '-1,234,567.891', '1e-07')
    """
    if isinstance(x, int) or (float(x).is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if 1e-4 <= abs(x) < 1e15:
        return f"{x:,.6f}".rstrip("0").rstrip(".")
    return f"{x:,.6g}"


def _extra(info) -> dict:
    extra = getattr(info, "json_schema_extra", None)
    return extra if isinstance(extra, dict) else {}


def _title(name: str, info) -> str:
    return info.title or name.replace("_", " ").capitalize()


def _shown(info, data: dict) -> bool:
    rule = _extra(info).get("show_if") or {}
    return all(data.get(field) in values for field, values in rule.items())


def ranges_switch(model: type[BaseModel]) -> str | None:
    """Name of the model's "use ranges" field, or None when the worksheet takes point values only.

    Examples
    --------
    >>> ranges_switch(options.get("win_win_check").inputs), ranges_switch(options.get("sales_rewards").inputs)
    ('use_ranges', None)
    """
    return next((name for name, info in model.model_fields.items() if _extra(info).get("ranges_switch")), None)


def _ranges_on(model: type[BaseModel], data: dict) -> bool:
    switch = ranges_switch(model)
    return bool(switch and data.get(switch))


def _is_uncertain(info) -> bool:
    inner = _inner_model(info.annotation)
    return inner is not None and issubclass(inner, Uncertain)


def _sub_model(info):
    """The sub-model of a list field (not an uncertain amount), or None."""
    inner = _inner_model(info.annotation)
    return None if inner is None or issubclass(inner, Uncertain) else inner


def _long_text(text: str) -> str:
    lines = text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    first = first if len(first) <= 60 else first[:60] + "…"
    return f"{len(lines):,} lines ({len(text):,} characters), starting: {first}"


def _text(info, value: Any, ranges: bool) -> str:
    """A leaf's or an uncertain amount's value as text."""
    extra = _extra(info)
    if extra.get("widget") == "password":
        return HIDDEN
    if value is None or value == "":
        return "–"
    if isinstance(value, dict) and "likely" in value:
        likely = value["likely"]
        low, high = value.get("low"), value.get("high")
        if ranges and (low is not None or high is not None):
            low = likely if low is None else low
            high = likely if high is None else high
            return f"{number_text(low)} – {number_text(likely)} – {number_text(high)}"
        return number_text(likely)
    if isinstance(value, bool):
        return "yes" if value else "no"
    labels = extra.get("labels") or {}
    if value in labels:
        return str(labels[value])
    if isinstance(value, int | float):
        return number_text(value)
    text = str(value)
    if extra.get("widget") in ("upload", "textarea") or "\n" in text.strip() or len(text) > _LONG_TEXT:
        return _long_text(text)
    return text


def _list_table(sub: type[BaseModel], items: list, data: dict, currency: str, ranges: bool) -> pd.DataFrame:
    columns = {}
    for name, info in sub.model_fields.items():
        if not _shown(info, data):
            continue
        unit = field_unit(info, currency)
        header = _title(name, info) + (f" ({unit})" if unit else "")
        columns[header] = [_text(info, item.get(name) if isinstance(item, dict) else None, ranges) for item in items]
    return pd.DataFrame(columns, index=pd.RangeIndex(1, len(items) + 1, name="#"))


def input_items(model: type[BaseModel], data: dict) -> list[InputItem]:
    """Every input shown in the form, in the form's order: the main fields, then each section.

    Parameters
    ----------
    model : type
        The worksheet's Inputs model.
    data : dict
        The case's inputs (see :func:`case_inputs`).

    Returns
    -------
    list of InputItem
        A list of sub-models (parties, tiers, ...) comes as a table of texts.

    Examples
    --------
    >>> model, data = case_inputs("win_win_check", {"partnership_value": {"likely": 100, "low": 80, "high": 130},
    ...     "use_ranges": True, "parties": [{"name": "A", "standalone_payoff": {"likely": 20}},
    ...     {"name": "B", "standalone_payoff": {"likely": 40}}]})
    >>> [(i.title, i.unit, i.text) for i in input_items(model, data)][2:4]
    [('Partnership value', 'EUR/year', '80 – 100 – 130'), ('Split rule', '', 'Shapley (fair share of what each adds)')]
    >>> list(input_items(model, data)[1].table.iloc[0])
    ['A', '20', '1', '0']
    """
    currency = str(data.get("currency") or "")
    ranges = _ranges_on(model, data)
    main: list[InputItem] = []
    sections: dict[str, list[InputItem]] = {}
    for name, info in model.model_fields.items():
        if name not in data or not _shown(info, data):
            continue
        section = _extra(info).get("section") or ""
        sub = _sub_model(info)
        value = data[name]
        if sub is not None and isinstance(value, list):
            item = InputItem(name, _title(name, info), "", section, "", _list_table(sub, value, data, currency, ranges))
        else:
            item = InputItem(name, _title(name, info), field_unit(info, currency), section, _text(info, value, ranges))
        (sections.setdefault(section, []) if section else main).append(item)
    return main + [item for items in sections.values() for item in items]


def _cell_value(info, value: Any) -> Any:
    extra = _extra(info)
    if extra.get("widget") == "password":
        return HIDDEN
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return (extra.get("labels") or {}).get(value, value)
    return _text(info, value, False)


def _leaves(model: type[BaseModel], top: type[BaseModel], top_data: dict, data: dict, loc: tuple, ranges: bool):
    currency = str(top_data.get("currency") or "")
    for name, info in model.model_fields.items():
        if name not in data or not _shown(info, top_data):
            continue
        value, here = data[name], (*loc, name)
        unit = field_unit(info, currency)
        sub = _sub_model(info)
        if _is_uncertain(info) and isinstance(value, dict):
            parts = ("likely", "low", "high") if ranges else ("likely",)
            for part in parts:
                if part == "likely" or value.get(part) is not None:
                    at = (*here, part)
                    yield InputCell(".".join(map(str, at)), describe_loc(top, at), value.get(part), unit)
        elif sub is not None and isinstance(value, list):
            for j, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _leaves(sub, top, top_data, item, (*here, j), ranges)
        else:
            yield InputCell(".".join(map(str, here)), describe_loc(top, here), _cell_value(info, value), unit)


def input_cells(model: type[BaseModel], data: dict) -> list[InputCell]:
    """Every input shown in the form, one value per row (lists and ranges flattened), for a spreadsheet.

    Numbers stay numbers; a choice is its label, a secret is hidden and long
    text is summarised as in :func:`input_items`. The path names the field as
    in the case file (list positions from 0); the title as the form shows it.

    Examples
    --------
    >>> model, data = case_inputs("win_win_check", {"partnership_value": {"likely": 100}, "parties": [
    ...     {"name": "A", "standalone_payoff": {"likely": 20}}, {"name": "B", "standalone_payoff": {"likely": 40}}]})
    >>> [(c.path, c.title, c.value, c.unit) for c in input_cells(model, data)][2]
    ('parties.0.standalone_payoff.likely', 'Party 1: Stand-alone payoff (most likely)', 20.0, 'EUR/year')
    """
    return list(_leaves(model, model, data, data, (), _ranges_on(model, data)))
