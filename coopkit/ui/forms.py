"""Forms generated from a worksheet's pydantic Inputs model.

Every field of the model becomes a widget, chosen by its type: a number
becomes a text box for numbers (never a clamping box: a value out of range is
kept as typed and explained, not silently changed), a choice a drop-down, a
yes/no a checkbox, an :class:`~coopkit.options.base.Uncertain` amount a
most-likely box with optional low and high boxes, and a list of sub-models a
table with add and remove buttons. Titles, descriptions (as tooltips), units
and bounds all come from the model, so a field is described once.

Field metadata read from ``json_schema_extra``:

``unit``          shown after the box ("money/year" becomes e.g. "EUR/year");
``section``       fields of a section (e.g. "Advanced") go in a collapsed panel;
``show_if``       ``{"field": [values]}``: shown only when a top-level field has one of the values;
``labels``        display labels of a choice's values;
``ranges_switch`` the yes/no field that shows or hides the low/high boxes;
``item_title``, ``new_item``  a list's row title and the data of an added row;
``widget``        ``"textarea"`` for long text, ``"upload"`` for a text area with a button that loads a
                  CSV or text file into it (``accept`` lists the file types), ``"password"`` for text
                  shown as dots (a shared secret).

The form never validates by itself: :meth:`Form.data` returns what is typed,
and :meth:`Form.show_problems` puts each message next to its field.
"""

from __future__ import annotations

import codecs
import html
import typing
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from pydantic import BaseModel

from coopkit.errors import InputError
from coopkit.options.base import Problem, Uncertain, _inner_model, field_bounds, field_unit

__all__ = ["Form", "css_class", "read_upload"]

_LABEL_WIDTH = "14em"  # labels of top-level fields, so their boxes line up
_BOX_WIDTH = "24em"  # label plus box


def css_class(loc: tuple) -> str:
    """CSS class of the widget at a field location, e.g. ``coopkit-field-parties-0-name``.

    Examples
    --------
    >>> css_class(("partnership_value", "likely"))
    'coopkit-field-partnership_value-likely'
    """
    return "coopkit-field-" + "-".join(str(p) for p in loc)


def _extra(info) -> dict:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _tooltip(info) -> str:
    text = info.description or ""
    bounds = field_bounds(info)
    if bounds:
        parts = [
            f"{'≥' if k == 'ge' else '>' if k == 'gt' else '≤' if k == 'le' else '<'} {v:,g}" for k, v in bounds.items()
        ]
        text += f" Allowed: {', '.join(parts)}."
    return text.strip()


def _choices(annotation) -> list | None:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return None


def _start(info, given: dict, name: str) -> Any:
    """A field's starting value: what was given, else the model's default, else None (required, not given)."""
    if name in given:
        return given[name]
    if info.is_required():
        return None
    return info.get_default(call_default_factory=True)


class _Leaf:
    """One input box (number, whole number, text, choice or yes/no) with its error line."""

    def __init__(self, info, loc: tuple, value: Any, on_change: Callable, *, label: bool = True) -> None:
        self.info, self.loc = info, loc
        annotation = info.annotation
        choices = _choices(annotation)
        tooltip = _tooltip(info)
        description = (info.title or loc[-1]) if label else ""
        style = {"description_width": _LABEL_WIDTH if label else "0"}
        kind = _extra(info).get("widget")
        labels = _extra(info).get("labels", {})
        wide = kind in ("textarea", "upload") or (
            choices is not None and max(len(str(labels.get(c, c))) for c in choices) > 20
        )
        # The layout goes in with the rest: set afterwards, it would leave an unused default Layout model that
        # the page still has to create (one per box, hundreds per worksheet).
        layout = widgets.Layout(width=("36em" if wide else _BOX_WIDTH) if label else "100%")
        common = {"description": description, "tooltip": tooltip, "style": style, "layout": layout}
        if choices is not None:
            value = value if value in choices else choices[0]
            self.box = widgets.Dropdown(options=[(labels.get(c, str(c)), c) for c in choices], value=value, **common)
        elif annotation is bool:
            self.box = widgets.Checkbox(value=bool(value), indent=False, **common)
        elif annotation is int:
            self.box = widgets.IntText(value=int(value or 0), continuous_update=False, **common)
        elif annotation in (float, float | None):
            self.box = widgets.FloatText(value=float(value or 0.0), continuous_update=False, **common)
        elif kind == "password":
            self.box = widgets.Password(value="" if value is None else str(value), **common)
        elif kind in ("textarea", "upload"):
            self.box = widgets.Textarea(value="" if value is None else str(value), continuous_update=False, **common)
        else:
            self.box = widgets.Text(value="" if value is None else str(value), continuous_update=False, **common)
        self.box.add_class(css_class(loc))
        self.box.observe(lambda _change: on_change(), names="value")
        self.unit = widgets.HTML("")
        self.error = _error_line(loc)
        parts = [self.box, self.unit] if label else [self.box]
        notes = []
        if _extra(info).get("widget") == "upload":
            self.upload, self.upload_note = _upload_button(info, loc, self.box, self.error)
            parts.append(self.upload)
            notes.append(self.upload_note)
        row = widgets.HBox(parts, layout=widgets.Layout(align_items="center"))
        self.widget = widgets.VBox([row, self.error, *notes])

    def data(self) -> Any:
        return self.box.value

    def set_unit(self, currency: str) -> None:
        unit = field_unit(self.info, currency)
        self.unit.value = f"<span class='coopkit-unit'>{html.escape(unit)}</span>" if unit else ""


#: Largest file a form accepts into a text field, in bytes.
MAX_UPLOAD_BYTES = 2_000_000

# Characters no text file holds (C0 controls other than tab, line and page breaks, and DEL): their presence
# means the bytes are not text, whatever an encoding makes of them.
_NOT_TEXT = frozenset(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


def read_upload(name: str, content: bytes, accept: str = ".csv,.txt") -> tuple[str, str]:
    """The text of an uploaded file and the encoding it was read in, or an InputError saying why not.

    Spreadsheets save CSV in several encodings: UTF-8, with or without a byte-order mark
    ("CSV UTF-8"), UTF-16 with a byte-order mark ("Unicode text"), and the Windows code page,
    Windows-1252 in Western Europe ("CSV"). The file is read as UTF-8 if it is valid UTF-8,
    as UTF-16 if it starts with a UTF-16 byte-order mark, else as Windows-1252 (of which
    Latin-1's printable characters are a subset). Bytes that are not text in any of them
    (NUL bytes, control characters: a workbook, an image, an archive) are refused, as is a
    file larger than :data:`MAX_UPLOAD_BYTES` or one whose name has none of the accepted
    extensions.

    Parameters
    ----------
    name : str
        The file's name as the browser gives it, e.g. ``"deals.csv"``.
    content : bytes
        The file's bytes, at most :data:`MAX_UPLOAD_BYTES`.
    accept : str
        The accepted extensions, comma-separated (the file button's ``accept``); a list with a
        MIME type in it (``"text/csv"``) is not checked against the name.

    Returns
    -------
    tuple of (str, str)
        The text, line breaks as in the file, and the encoding: ``"UTF-8"``, ``"UTF-16"`` or
        ``"Windows-1252"``.

    Raises
    ------
    InputError
        If the file is too large, of another type, or binary; the message names the file and the rule.

    Examples
    --------
    >>> read_upload("deals.csv", "Café;Won\\n".encode("cp1252"))
    ('Café;Won\\n', 'Windows-1252')
    >>> read_upload("deals.csv", b"\\xef\\xbb\\xbfCaf\\xc3\\xa9")
    ('Café', 'UTF-8')
    >>> read_upload("logo.csv", b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: logo.csv is not a UTF-8 text file (nor UTF-16 or Windows-1252 text): ...

    References
    ----------
    The Unicode Standard, Version 16.0, section 23.8 "Specials": the byte-order marks of UTF-8 and UTF-16.
    Microsoft, code page 1252 (Windows Latin 1), as Python's ``cp1252`` codec maps it: bytes 0x81, 0x8D,
    0x8F, 0x90 and 0x9D are undefined.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise InputError(
            name,
            f"{len(content):,} bytes",
            f"be at most {MAX_UPLOAD_BYTES:,} bytes",
            message=f"{name} is {len(content):,} bytes; files of at most {MAX_UPLOAD_BYTES:,} bytes can be loaded",
        )
    kinds = [k.strip().lower() for k in accept.split(",") if k.strip()]
    if kinds and all(k.startswith(".") for k in kinds) and not name.lower().endswith(tuple(kinds)):
        allowed = " or ".join(kinds)
        raise InputError(
            name,
            name,
            f"end in {allowed}",
            message=f"{name} is not a UTF-8 text file: only {allowed} files can be loaded here; "
            "save it as CSV (UTF-8) and load it again",
        )
    text, encoding = _decode(content)
    if text is None or not _NOT_TEXT.isdisjoint(text):
        raise InputError(
            name,
            "binary data",
            "be text",
            message=f"{name} is not a UTF-8 text file (nor UTF-16 or Windows-1252 text): it holds binary data, "
            "as a workbook or an image does; save it as CSV (UTF-8) and load it again",
        )
    return text, encoding


def _decode(content: bytes) -> tuple[str | None, str]:
    """``content`` decoded by the first encoding that fits (see :func:`read_upload`), or None."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None, ""
    for codec, encoding in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return content.decode(codec), encoding
        except UnicodeDecodeError:
            continue
    return None, ""  # bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are not Windows-1252


def _upload_button(
    info, loc: tuple, box: widgets.Textarea, error: widgets.HTML
) -> tuple[widgets.FileUpload, widgets.HTML]:
    """A file button that puts a text file's content into ``box`` (see :func:`read_upload`), and its note line.

    The file never leaves the kernel: it is read into the text box, where the
    user can see and edit it, and validated like anything typed there. A refused
    file is explained in ``error``; a file read as Windows-1252 gets a note, since
    that encoding is a guess. The button forgets the file once it is read, so its
    bytes do not stay in memory and the same file can be loaded again.
    """
    accept = _extra(info).get("accept", ".csv,.txt")
    button = widgets.FileUpload(
        accept=accept,
        multiple=False,
        description="Load file",
        tooltip=f"Load {info.title or loc[-1]} from a CSV or text file (at most {MAX_UPLOAD_BYTES // 1_000_000} MB)",
    )
    button.add_class("coopkit-upload-" + "-".join(str(p) for p in loc))
    note = widgets.HTML("", layout=widgets.Layout(display="none"))
    note.add_class("coopkit-upload-note-" + "-".join(str(p) for p in loc))

    def loaded(change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        content = bytes(item["content"]) if not isinstance(item, dict) else bytes(item.get("content", b""))
        name = str(item.get("name", "file")) if isinstance(item, dict) else "file"
        button.value = ()  # forget the bytes; this call returns at once (no files)
        _note(note, "")
        try:
            text, encoding = read_upload(name, content, accept)
        except InputError as exc:
            _show(error, [str(exc)])
            return
        _show(error, [])  # a refusal shown before no longer applies; the form's checks run on the new text
        box.value = text
        if encoding == "Windows-1252":
            _note(
                note,
                f"{name} is not UTF-8, so it was read as Windows-1252 (Excel's CSV on Western-European Windows): "
                "check that accented letters look right; saving it as CSV (UTF-8) avoids the guess.",
            )

    button.observe(loaded, names="value")
    return button, note


def _note(line: widgets.HTML, text: str) -> None:
    line.value = f"<div class='coopkit-note'>{html.escape(text)}</div>" if text else ""
    line.layout.display = "" if text else "none"


def _error_line(loc: tuple) -> widgets.HTML:
    line = widgets.HTML("", layout=widgets.Layout(display="none"))
    line.add_class("coopkit-error")
    line.add_class("coopkit-error-" + "-".join(str(p) for p in loc) if loc else "coopkit-error-form")
    return line


def _show(line: widgets.HTML, messages: list[str]) -> None:
    line.value = "<br>".join(f"<span class='coopkit-error-text'>⚠ {html.escape(m)}</span>" for m in messages)
    line.layout.display = "" if messages else "none"


class _UncertainField:
    """Most likely value, plus low and high boxes shown when ranges are in use."""

    def __init__(self, info, loc: tuple, value: dict, on_change: Callable, *, label: bool = True) -> None:
        self.info, self.loc = info, loc
        value = value or {}
        model = _inner_model(info.annotation) or Uncertain
        self._has_range = value.get("low") is not None or value.get("high") is not None
        likely = float(value.get("likely") or 0.0)
        self.boxes = {}
        for part in ("low", "likely", "high"):
            sub = model.model_fields[part]
            start = value.get(part)
            box = widgets.FloatText(
                value=float(likely if start is None else start),
                description=part if part != "likely" else (info.title or loc[-1]) if label else "",
                tooltip=f"{info.title}: {sub.title.lower()}. {_tooltip(sub)}",
                continuous_update=False,
                style={"description_width": "2.8em" if part != "likely" else ("0" if not label else _LABEL_WIDTH)},
                layout=widgets.Layout(width=("100%" if part == "likely" else "auto") if not label else _BOX_WIDTH),
            )
            box.add_class(css_class((*loc, part)))
            box.observe(lambda _c: on_change(), names="value")
            self.boxes[part] = box
        indent = "0" if not label else f"calc({_LABEL_WIDTH} - 2.8em)"
        self.range_box = widgets.VBox(
            [self.boxes["low"], self.boxes["high"]], layout=widgets.Layout(display="none", margin=f"0 0 0 {indent}")
        )
        if label:
            for part in ("low", "high"):
                self.boxes[part].layout.width = f"calc({_BOX_WIDTH} - {_LABEL_WIDTH} + 2.8em)"
        self.unit = widgets.HTML("")
        self.error = _error_line(loc)
        head = [self.boxes["likely"], self.unit] if label else [self.boxes["likely"]]
        self.widget = widgets.VBox(
            [widgets.HBox(head, layout=widgets.Layout(align_items="center")), self.range_box, self.error]
        )

    def show_ranges(self, on: bool) -> None:
        if on and not self._has_range:
            for part in ("low", "high"):
                self.boxes[part].value = self.boxes["likely"].value
            self._has_range = True
        self.range_box.layout.display = "" if on else "none"

    def data(self) -> dict:
        out = {"likely": self.boxes["likely"].value, "low": None, "high": None}
        if self._has_range:
            out["low"], out["high"] = self.boxes["low"].value, self.boxes["high"].value
        return out

    def set_unit(self, currency: str) -> None:
        unit = field_unit(self.info, currency)
        self.unit.value = f"<span class='coopkit-unit'>{html.escape(unit)}</span>" if unit else ""


class _ListField:
    """A table of sub-models: one row per item, a column per field, add and remove buttons."""

    def __init__(self, info, loc: tuple, value: list, on_change: Callable, form: Form) -> None:
        self.info, self.loc, self.form = info, loc, form
        self.model: type[BaseModel] = _inner_model(info.annotation)
        self.on_change = on_change
        lengths = {
            k: getattr(m, k)
            for m in info.metadata
            for k in ("min_length", "max_length")
            if getattr(m, k, None) is not None
        }
        self.min_items, self.max_items = lengths.get("min_length", 0), lengths.get("max_length", 50)
        self.item_title = _extra(info).get("item_title", "Item")
        self.new_item = _extra(info).get("new_item", {})
        self.rows: list[dict[str, Any]] = []
        self.grid = widgets.GridBox(
            layout=widgets.Layout(grid_gap="4px 8px", align_items="flex-start", overflow="auto")
        )
        self.grid.add_class(css_class(loc))
        self.add_button = widgets.Button(
            description=f"Add {self.item_title.lower()}",
            icon="plus",
            tooltip=f"Add a {self.item_title.lower()} (up to {self.max_items})",
        )
        self.add_button.add_class("coopkit-add-" + "-".join(map(str, loc)))
        self.add_button.on_click(lambda _b: self._add())
        self.error = _error_line(loc)
        self.headers: dict[str, widgets.HTML] = {}
        title = widgets.HTML(f"<b>{html.escape(info.title or loc[-1])}</b>")
        self.widget = widgets.VBox([title, self.grid, self.error, self.add_button])
        for item in value:
            self._make_row(item)
        self._layout()

    def _columns(self) -> list[str]:
        return [name for name in self.model.model_fields if self.form.visible(self.model.model_fields[name])]

    def _make_row(self, item: dict) -> None:
        j = len(self.rows)
        cells: dict[str, Any] = {}
        for name, sub in self.model.model_fields.items():
            loc = (*self.loc, j, name)
            start = _start(sub, item, name)
            if isinstance(start, BaseModel):
                start = start.model_dump()
            if _inner_model(sub.annotation) is not None and issubclass(_inner_model(sub.annotation), Uncertain):
                cells[name] = _UncertainField(sub, loc, start, self.on_change, label=False)
            else:
                cells[name] = _Leaf(sub, loc, start, self.on_change, label=False)
            self.form.register(loc, cells[name])
        remove = widgets.Button(
            icon="trash", tooltip=f"Remove this {self.item_title.lower()}", layout=widgets.Layout(width="40px")
        )
        remove.add_class("coopkit-remove-" + "-".join(map(str, (*self.loc, j))))
        row = {"cells": cells, "remove": remove}
        remove.on_click(lambda _b, row=row: self._remove(row))
        self.rows.append(row)

    def _add(self) -> None:
        if len(self.rows) >= self.max_items:
            return
        item = dict(self.new_item)
        if "name" in item:
            taken = {str(r["cells"]["name"].data()) for r in self.rows if "name" in r["cells"]}
            k = len(self.rows) + 1
            while f"{item['name']} {k}" in taken:
                k += 1
            item["name"] = f"{item['name']} {k}"
        self._make_row(item)
        self._layout()
        self.on_change()

    def _remove(self, row: dict) -> None:
        if len(self.rows) <= self.min_items:
            return
        kept = [r for r in self.rows if r is not row]
        data = [self._row_data(r) for r in kept]
        self.form.unregister(self.loc)
        self.rows = []
        for item in data:
            self._make_row(item)
        self._layout()
        self.on_change()

    def _row_data(self, row: dict) -> dict:
        return {name: cell.data() for name, cell in row["cells"].items()}

    def data(self) -> list[dict]:
        return [self._row_data(r) for r in self.rows]

    def _header(self, name: str) -> widgets.HTML:
        if name not in self.headers:
            self.headers[name] = widgets.HTML()
        return self.headers[name]

    def _layout(self) -> None:
        columns = self._columns()
        currency = self.form.currency()
        children: list[widgets.Widget] = []
        for name in columns:
            sub = self.model.model_fields[name]
            unit = field_unit(sub, currency)
            header = self._header(name)
            header.value = (
                f"<div class='coopkit-col-head' title='{html.escape(_tooltip(sub), quote=True)}'><b>{html.escape(sub.title or name)}</b>"
                + (f"<br><span class='coopkit-unit'>{html.escape(unit)}</span>" if unit else "")
                + "</div>"
            )
            children.append(header)
        children.append(widgets.HTML(""))
        for row in self.rows:
            children += [row["cells"][name].widget for name in columns]
            row["remove"].disabled = len(self.rows) <= self.min_items
            children.append(row["remove"])
        narrow = len(columns) > 6  # many columns: narrower boxes, and the table scrolls sideways if it must
        widths = [
            "minmax(9em, 1.3fr)" if name == "name" else ("minmax(6.5em, 1fr)" if narrow else "minmax(8em, 1fr)")
            for name in columns
        ] + ["44px"]
        self.grid.layout.grid_template_columns = " ".join(widths)
        self.grid.children = children
        self.add_button.disabled = len(self.rows) >= self.max_items

    def refresh(self) -> None:
        self._layout()

    def show_ranges(self, on: bool) -> None:
        for row in self.rows:
            for cell in row["cells"].values():
                if isinstance(cell, _UncertainField):
                    cell.show_ranges(on)


class Form:
    """A form for an Inputs model, filled with ``data``; calls ``on_change()`` after every edit.

    Parameters
    ----------
    model : type of pydantic.BaseModel
        The worksheet's Inputs model.
    data : dict
        Starting values (e.g. a sample case's inputs); missing fields take the model's defaults.
    on_change : callable
        Called with no arguments after any edit, add or remove.
    """

    def __init__(self, model: type[BaseModel], data: dict, on_change: Callable[[], None]) -> None:
        self.model = model
        self._on_change = on_change
        self._nodes: dict[tuple, Any] = {}
        self._top: dict[str, Any] = {}
        self._ranges_field = next((n for n, f in model.model_fields.items() if _extra(f).get("ranges_switch")), None)
        self._suspended = True
        main: list[widgets.Widget] = []
        sections: dict[str, list[widgets.Widget]] = {}
        for name, info in model.model_fields.items():
            loc = (name,)
            start = _start(info, data, name)
            inner = _inner_model(info.annotation)
            if typing.get_origin(info.annotation) is list and inner is not None:
                node = _ListField(
                    info,
                    loc,
                    [i.model_dump() if isinstance(i, BaseModel) else i for i in start or []],
                    self._changed,
                    self,
                )
            elif inner is not None and issubclass(inner, Uncertain):
                node = _UncertainField(
                    info, loc, start.model_dump() if isinstance(start, BaseModel) else start, self._changed
                )
            else:
                node = _Leaf(info, loc, start, self._changed)
            self._top[name] = node
            self.register(loc, node)
            section = _extra(info).get("section")
            (sections.setdefault(section, []) if section else main).append(node.widget)
        self.form_error = _error_line(())
        children = [self.form_error, *main]
        for title, items in sections.items():
            is_open = title in getattr(model, "open_sections", ())
            panel = widgets.Accordion(
                children=[widgets.VBox(items)], titles=(title,), selected_index=0 if is_open else None
            )
            children.append(panel)
        self.widget = widgets.VBox(children)
        self.widget.add_class("coopkit-form")
        self._suspended = False
        self._refresh()

    # -- registry of nodes by location, for error display
    def register(self, loc: tuple, node: Any) -> None:
        self._nodes[loc] = node

    def unregister(self, prefix: tuple) -> None:
        for loc in [k for k in self._nodes if k[: len(prefix)] == prefix and len(k) > len(prefix)]:
            del self._nodes[loc]

    # -- values
    def data(self) -> dict:
        """What is typed in the form now, as a dict for the Inputs model (valid or not)."""
        return {name: node.data() for name, node in self._top.items()}

    def currency(self) -> str:
        node = self._top.get("currency")
        return str(node.data()) if node is not None else ""

    def visible(self, info) -> bool:
        """Whether a field's ``show_if`` condition holds for the current top-level values."""
        condition = _extra(info).get("show_if")
        if not condition:
            return True
        return all(self._top[field].data() in allowed for field, allowed in condition.items() if field in self._top)

    # -- events
    def _changed(self) -> None:
        if self._suspended:
            return
        self._refresh()
        self._on_change()

    def _refresh(self) -> None:
        currency = self.currency()
        ranges_on = bool(self._top[self._ranges_field].data()) if self._ranges_field else False
        for name, node in self._top.items():
            info = self.model.model_fields[name]
            node.widget.layout.display = "" if self.visible(info) else "none"
            if isinstance(node, _ListField):
                node.refresh()
                node.show_ranges(ranges_on)
            elif isinstance(node, _UncertainField):
                node.show_ranges(ranges_on)
            if hasattr(node, "set_unit"):
                node.set_unit(currency)

    def show_problems(self, problems: list[Problem]) -> None:
        """Show each problem next to the closest field to its location; clear the rest."""
        by_node: dict[int, list[str]] = {}
        targets: dict[int, Any] = {}
        unplaced: list[str] = []
        for problem in problems:
            loc = tuple(problem.loc)
            node = None
            while loc:
                if loc in self._nodes:
                    node = self._nodes[loc]
                    break
                loc = loc[:-1]
            if node is None:
                unplaced.append(problem.message)
                continue
            by_node.setdefault(id(node), []).append(problem.message)
            targets[id(node)] = node
        for node in self._nodes.values():
            _show(node.error, by_node.get(id(node), []))
            has_problem = id(node) in by_node
            for box in getattr(node, "boxes", {}).values() or [getattr(node, "box", None)]:
                if box is not None:
                    (box.add_class if has_problem else box.remove_class)("coopkit-invalid")
        _show(self.form_error, unplaced)
