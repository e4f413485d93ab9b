"""Case files: one worksheet's inputs saved as JSON, read back with every check.

A case file is a JSON object::

    {"schema_version": 1, "worksheet": "win_win_check", "title": "...",
     "notes": "...", "inputs": {...the worksheet's Inputs...}}

Reading one never trusts it: size, JSON syntax, the schema version, the
worksheet name and every input are checked, and any problem is an
:class:`~coopkit.errors.InputError` naming the file and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopkit.errors import InputError, require
from coopkit.paths import data_dir

__all__ = ["SCHEMA_VERSION", "MAX_BYTES", "Case", "read_case", "parse_case", "sample_case", "sample_inputs"]

#: Version of the case-file format this coopkit writes.
SCHEMA_VERSION = 1
#: Largest case file read, in bytes.
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Case:
    """A saved worksheet: which worksheet, a title, notes and the inputs (raw, as saved)."""

    worksheet: str
    inputs: dict[str, Any]
    title: str = ""
    notes: str = ""
    schema_version: int = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)


def parse_case(text: str | bytes, source: str = "case file") -> Case:
    """Parse the text of a case file.

    Examples
    --------
    >>> c = parse_case('{"schema_version": 1, "worksheet": "win_win_check", "inputs": {}}')
    >>> c.worksheet
    'win_win_check'
    >>> parse_case("[1, 2]")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: case file must be a JSON object with "worksheet" and "inputs", got 'list'
    """
    require(len(text) <= MAX_BYTES, source, f"{len(text):,} bytes", f"be at most {MAX_BYTES:,} bytes")
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, getattr(exc, "msg", str(exc)), "be valid JSON") from None
    require(isinstance(raw, dict), source, type(raw).__name__, 'be a JSON object with "worksheet" and "inputs"')
    version = raw.get("schema_version", SCHEMA_VERSION)
    require(
        version == SCHEMA_VERSION,
        f"{source}: schema_version",
        version,
        f"be {SCHEMA_VERSION} (this coopkit reads version {SCHEMA_VERSION})",
    )
    name = raw.get("worksheet")
    require(isinstance(name, str) and name != "", f"{source}: worksheet", name, "name a worksheet")
    inputs = raw.get("inputs")
    require(isinstance(inputs, dict), f"{source}: inputs", type(inputs).__name__, "be a JSON object")
    title, notes = raw.get("title", ""), raw.get("notes", "")
    require(
        isinstance(title, str) and len(title) <= 200, f"{source}: title", title, "be text of at most 200 characters"
    )
    require(
        isinstance(notes, str) and len(notes) <= 20_000,
        f"{source}: notes",
        f"{len(str(notes))} characters",
        "be text of at most 20,000 characters",
    )
    known = {"schema_version", "worksheet", "inputs", "title", "notes"}
    return Case(name, inputs, title, notes, version, {k: v for k, v in raw.items() if k not in known})


def read_case(path: str | Path) -> Case:
    """Read and check a case file from disk.

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file.

    Examples
    --------
    >>> read_case(sample_case("win_win_two_party.json")).worksheet
    'win_win_check'
    """
    path = Path(path)
    require(path.is_file(), "case file", str(path), "be an existing file")
    size = path.stat().st_size
    require(size <= MAX_BYTES, str(path), f"{size:,} bytes", f"be at most {MAX_BYTES:,} bytes")
    return parse_case(path.read_bytes(), source=path.name)


def sample_case(file_name: str) -> Path:
    """Path of a sample case shipped in ``data/samples/`` (the name may not leave that folder).

    Examples
    --------
    >>> sample_case("../../etc/passwd")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: sample file must be a file name inside data/samples, got '../../etc/passwd'
    """
    folder = (data_dir() / "samples").resolve()
    path = (folder / file_name).resolve()
    require(path.parent == folder, "sample file", file_name, "be a file name inside data/samples")
    return path


def sample_inputs(file_name: str):
    """The checked inputs of a sample case in ``data/samples/``, as the worksheet the case names reads them.

    Reads the case (:func:`read_case`, :func:`sample_case`), finds its
    worksheet in the registry and validates the inputs with every field and
    cross-field rule of that worksheet, so a sample that no longer fits its
    worksheet fails here, not three calls later.

    Parameters
    ----------
    file_name : str
        A file name inside ``data/samples/``, e.g. ``"cross_upsell_payroll.json"``.

    Returns
    -------
    InputsModel
        The worksheet's ``Inputs`` (e.g. :class:`coopkit.options.cross_upsell.Inputs`).

    Raises
    ------
    InputError
        The file is missing or unreadable, names no registered worksheet, or
        its inputs break a rule (the first problem, and how many more).

    Examples
    --------
    >>> inputs = sample_inputs("cross_upsell_payroll.json")
    >>> type(inputs).__module__, inputs.our_name
    ('coopkit.options.cross_upsell', 'Tamarind Ledger')
    """
    from coopkit import options  # here, not at the top: the option modules import the store's CRM reader
    from coopkit.options.base import raise_problems

    case = read_case(sample_case(file_name))
    sheet = options.get(case.worksheet)
    inputs, problems = options.validate(sheet.inputs, case.inputs)
    raise_problems(problems)
    return inputs
