"""One case as a JSON file: export every revision, import with every check, migrate old files.

The file (schema version 2)::

    {"format": "coopkit-case", "schema_version": 2, "exported_at": "...",
     "case": {"id": "...", "worksheet": "new_market", "created_at": "..."},
     "revisions": [{"number": 1, "saved_at": "...", "author": "...", "title": "...",
                    "notes": "...", "draft": false, "base": null, "inputs": {...}}, ...],
     "checksum": "sha256:..."}

``checksum`` is the SHA-256 of the file's canonical JSON without the checksum
(sorted keys, no spaces, UTF-8; RFC 8785-style canonicalisation, simplified to
what Python's :func:`json.dumps` guarantees). It catches a file edited by hand
or damaged in transit; it is not a signature, so every field is also checked
on import as if it came from a stranger.

Version 1 is the single-inputs case file of :mod:`coopkit.store.casefile`
(``data/samples/*.json``); it is migrated to one revision on import.

Importing never changes anything unless the whole file is good: the checks run
first, then all revisions are written in one transaction, as a new case (new
id), so a file imported twice gives two cases and overwrites none.

Examples
--------
>>> from coopkit.store.cases import CaseStore
>>> store = CaseStore("sqlite://")
>>> cid = store.create("win_win_check", {"currency": "EUR"}, title="Pilot").case_id
>>> text = export_case(store, cid)
>>> copy = import_case(store, text)
>>> copy.case_id != cid, store.open(copy.case_id).inputs
(True, {'currency': 'EUR'})
>>> import_case(store, text.replace("EUR", "USD"))
Traceback (most recent call last):
...
coopkit.errors.InputError: case file: checksum must match the file's content (the file was changed after it was exported, or damaged), got 'sha256:...'
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from coopkit import options
from coopkit.errors import InputError, require
from coopkit.store.cases import MAX_AUTHOR, MAX_NOTES, MAX_TITLE, CaseStore, Saved, _encodable
from coopkit.store.summary import summarise

__all__ = ["SCHEMA_VERSION", "MAX_FILE_BYTES", "MAX_REVISIONS", "export_case", "import_case", "parse_export", "migrate"]

#: Version of the case-export format this coopkit writes.
SCHEMA_VERSION = 2
#: Largest case file imported, in bytes.
MAX_FILE_BYTES = 20_000_000
#: Most revisions one file may carry.
MAX_REVISIONS = 2_000

_FORMAT = "coopkit-case"


def _canonical(body: dict[str, Any]) -> bytes:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode()
    except UnicodeEncodeError:
        raise InputError("case file", "text with a lone surrogate", "hold valid Unicode text only") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _checksum(body: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(_canonical({k: v for k, v in body.items() if k != "checksum"})).hexdigest()


def export_case(store: CaseStore, case_id: str) -> str:
    """The JSON text of one case with all its revisions (schema version 2, checksummed).

    Examples
    --------
    >>> from coopkit.store.cases import CaseStore
    >>> store = CaseStore("sqlite://")
    >>> cid = store.create("win_win_check", {}).case_id
    >>> json.loads(export_case(store, cid))["schema_version"]
    2
    """
    revisions = store.revisions(case_id)
    first = revisions[0]
    info = {c.case_id: c for c in store.cases(first.worksheet)}.get(first.case_id)
    body = {
        "format": _FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "case": {
            "id": first.case_id,
            "worksheet": first.worksheet,
            "created_at": (info.created_at if info else first.saved_at).isoformat(),
        },
        "revisions": [
            {
                "number": r.number,
                "saved_at": r.saved_at.isoformat(),
                "author": r.author,
                "title": r.title,
                "notes": r.notes,
                "draft": r.draft,
                "base": r.base,
                "inputs": r.inputs,
            }
            for r in revisions
        ],
    }
    body["checksum"] = _checksum(body)
    return json.dumps(body, indent=1, ensure_ascii=False, sort_keys=True)


def migrate(raw: dict[str, Any], source: str = "case file") -> dict[str, Any]:
    """A parsed case file in the current schema: version 1 (one set of inputs) becomes one revision.

    Examples
    --------
    >>> v1 = {"schema_version": 1, "worksheet": "win_win_check", "title": "T", "inputs": {"currency": "EUR"}}
    >>> m = migrate(v1)
    >>> m["schema_version"], m["revisions"][0]["title"], m["revisions"][0]["inputs"]
    (2, 'T', {'currency': 'EUR'})
    """
    version = raw.get("schema_version", 1 if "inputs" in raw and "revisions" not in raw else None)
    require(
        version is None or (isinstance(version, int) and not isinstance(version, bool)),
        f"{source}: schema_version",
        version,
        f"be a whole number, 1 or {SCHEMA_VERSION}",
    )
    if version == 1:
        require("inputs" in raw, f"{source}: inputs", None, "be present in a version-1 case file")
        return {
            "format": _FORMAT,
            "schema_version": SCHEMA_VERSION,
            "case": {"worksheet": raw.get("worksheet")},
            "revisions": [
                {
                    "title": raw.get("title", ""),
                    "notes": raw.get("notes", ""),
                    "author": raw.get("author", ""),
                    "draft": False,
                    "inputs": raw.get("inputs"),
                }
            ],
        }
    require(
        version == SCHEMA_VERSION,
        f"{source}: schema_version",
        version,
        f"be 1 or {SCHEMA_VERSION} (the versions this coopkit reads)",
    )
    return raw


def _time(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    require(isinstance(value, str), field, value, "be an ISO 8601 date and time")
    try:
        stamp = datetime.fromisoformat(value)
        stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InputError(field, value, "be an ISO 8601 date and time, e.g. 2026-11-25T09:30:00+00:00") from None
    require(1970 <= stamp.year <= 2200, field, value, "be a date between 1970 and 2200")
    return stamp


def _text(rev: dict, key: str, field: str, limit: int) -> str:
    value = rev.get(key, "")
    require(isinstance(value, str), field, value, "be text")
    require(_encodable(value), field, value, "be valid Unicode text (it holds a lone surrogate)")
    require(len(value) <= limit, field, f"{len(value):,} characters", f"be at most {limit:,} characters")
    return value


def parse_export(text: str | bytes, source: str = "case file") -> tuple[str, list[dict[str, Any]], datetime | None]:
    """Check a case file completely: ``(worksheet, revisions, created_at)``, or InputError naming the field.

    Examples
    --------
    >>> parse_export('{"schema_version": 2, "format": "coopkit-case"}')
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: case file: checksum must be present in a version-2 case file, got None
    """
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    require(size <= MAX_FILE_BYTES, source, f"{size:,} bytes", f"be at most {MAX_FILE_BYTES:,} bytes")
    try:
        raw = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # bad JSON, NaN/Infinity, nesting or numbers too deep/long
        reason = getattr(exc, "msg", None) or str(exc)[:120] or type(exc).__name__
        raise InputError(source, reason, "be valid JSON (a coopkit case file)") from None
    require(isinstance(raw, dict), source, type(raw).__name__, "be a JSON object (a coopkit case file)")
    original_version = raw.get("schema_version")
    raw = migrate(raw, source)
    if original_version == SCHEMA_VERSION:
        require(raw.get("format") == _FORMAT, f"{source}: format", raw.get("format"), f"be {_FORMAT!r}")
        given = raw.get("checksum")
        require(given is not None, f"{source}: checksum", None, "be present in a version-2 case file")
        require(
            given == _checksum(raw),
            f"{source}: checksum",
            "sha256:...",
            "match the file's content (the file was changed after it was exported, or damaged)",
        )
    case = raw.get("case")
    require(isinstance(case, dict), f"{source}: case", type(case).__name__, "be a JSON object")
    worksheet = case.get("worksheet")
    require(isinstance(worksheet, str), f"{source}: worksheet", worksheet, "name a worksheet")
    sheet = options.get(worksheet)
    allowed = set(sheet.inputs.model_fields)
    revisions = raw.get("revisions")
    require(isinstance(revisions, list), f"{source}: revisions", type(revisions).__name__, "be a list")
    require(
        0 < len(revisions) <= MAX_REVISIONS,
        f"{source}: revisions",
        len(revisions),
        f"hold between 1 and {MAX_REVISIONS:,} revisions",
    )
    out, last_number, last_time = [], 0, None
    for i, rev in enumerate(revisions):
        where = f"{source}: revisions[{i}]"
        require(isinstance(rev, dict), where, type(rev).__name__, "be a JSON object")
        number = rev.get("number", i + 1)
        require(
            isinstance(number, int) and not isinstance(number, bool) and number > last_number,
            f"{where}.number",
            number,
            f"be a whole number above {last_number} (revisions in order)",
        )
        saved_at = _time(rev.get("saved_at"), f"{where}.saved_at")
        if saved_at is not None and last_time is not None:
            require(
                saved_at >= last_time, f"{where}.saved_at", rev.get("saved_at"), "not be before the revision before it"
            )
        inputs = rev.get("inputs")
        require(isinstance(inputs, dict), f"{where}.inputs", type(inputs).__name__, "be a JSON object")
        unknown = sorted(set(inputs) - allowed)
        require(not unknown, f"{where}.inputs", unknown, f"only hold fields of the {sheet.title} worksheet")
        draft = rev.get("draft", False)
        require(isinstance(draft, bool), f"{where}.draft", draft, "be true or false")
        base = rev.get("base")
        require(
            base is None or (isinstance(base, int) and not isinstance(base, bool) and 0 <= base < number),
            f"{where}.base",
            base,
            "be empty or an earlier revision number",
        )
        out.append(
            {
                "number": number,
                "saved_at": saved_at,
                "title": _text(rev, "title", f"{where}.title", MAX_TITLE),
                "notes": _text(rev, "notes", f"{where}.notes", MAX_NOTES),
                "author": _text(rev, "author", f"{where}.author", MAX_AUTHOR),
                "draft": draft,
                "inputs": inputs,
            }
        )
        last_number, last_time = number, saved_at or last_time
    return worksheet, out, _time(case.get("created_at"), f"{source}: case.created_at")


def import_case(store: CaseStore, text: str | bytes, *, source: str = "case file") -> Saved:
    """Import a case file (version 1 or 2) as a new case; a bad file is refused and changes nothing.

    Each revision's summary is computed afresh from its inputs (a file's own figures are never trusted).

    Examples
    --------
    >>> from coopkit.store.cases import CaseStore
    >>> from coopkit.store.casefile import sample_case
    >>> store = CaseStore("sqlite://")
    >>> saved = import_case(store, sample_case("win_win_two_party.json").read_text())
    >>> store.open(saved.case_id).summary["verdict"]
    'win-win'
    """
    worksheet, revisions, created_at = parse_export(text, source)
    for rev in revisions:
        rev["summary"] = summarise(worksheet, rev["inputs"])
        rev["base"] = None  # numbers are renumbered 1..n on import; the old bases would not point right
    return store.add_case(worksheet, revisions, created_at=created_at)
