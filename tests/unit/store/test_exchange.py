"""Tests of coopkit.store.exchange: export and import of a case with every revision, v1 migration, refusals.

Every test that takes ``store`` runs on SQLite and on PostgreSQL (see ``conftest.py``). A refused file must change
nothing: each refusal test compares every row of both tables before and after.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopkit import options
from coopkit.errors import InputError
from coopkit.paths import data_dir
from coopkit.store import exchange
from coopkit.store.casefile import parse_case
from coopkit.store.cases import CaseStore, Revision
from coopkit.store.exchange import export_case, import_case, migrate, parse_export
from coopkit.store.summary import summarise
from tests.unit.store.conftest import table_rows

WORKSHEET = "win_win_check"
SAMPLE = data_dir() / "samples" / "win_win_two_party.json"
V1_SAMPLES = sorted(
    path for path in (data_dir() / "samples").glob("*.json") if json.loads(path.read_bytes()).get("schema_version") == 1
)


def sample_inputs() -> dict[str, Any]:
    return parse_case(SAMPLE.read_bytes()).inputs


def checksum(body: dict[str, Any]) -> str:
    """The checksum as the module docstring defines it, written out here independently of the code under test."""
    canonical = {key: value for key, value in body.items() if key != "checksum"}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _revisions_of_the_saved_case() -> str:
    first = sample_inputs()
    broken = {**copy.deepcopy(first), "parties": first["parties"][:1]}
    second = copy.deepcopy(first)
    second["currency"] = "USD"
    second["parties"][0]["name"] = "Älder Röasters – 東京 🤝"
    second["parties"][0]["contribution"] = 0.1 + 0.2
    third = {**copy.deepcopy(second), "draws": 4321, "seed": 2**63 + 1}
    revisions = [
        (first, {"title": "Two roasters", "notes": "First look.\nSecond line.", "author": "Ana Müller"}),
        (broken, {"title": "Two roasters (draft)", "author": "Ana Müller", "draft": True, "base": 1}),
        (second, {"title": "Zwei Röstereien", "notes": "", "author": "Ben", "base": 1}),
        (third, {"author": "Ben", "draft": True, "base": 3}),
    ]
    # The summaries are computed once per test session (a Monte Carlo each); JSON keeps every value exactly.
    return json.dumps([(inputs, meta, summarise(WORKSHEET, inputs)) for inputs, meta in revisions])


def saved_case(store: CaseStore) -> str:
    """A case with four revisions: saved, a draft that does not validate, saved by someone else, a draft."""
    (first, meta, summary), *later = json.loads(_revisions_of_the_saved_case())
    case_id = store.create(WORKSHEET, first, summary=summary, **meta).case_id
    for inputs, meta, summary in later:
        store.save(case_id, inputs, summary=summary, **meta)
    return case_id


@pytest.fixture
def case_id(store: CaseStore) -> str:
    return saved_case(store)


@pytest.fixture
def exported(store: CaseStore, case_id: str) -> str:
    return export_case(store, case_id)


def same_revisions(copied: list[Revision], original: list[Revision]) -> None:
    assert [r.number for r in copied] == [r.number for r in original]
    for new, old in zip(copied, original, strict=True):
        assert (new.worksheet, new.title, new.notes, new.author, new.draft, new.saved_at) == (
            old.worksheet,
            old.title,
            old.notes,
            old.author,
            old.draft,
            old.saved_at,
        )
        assert new.inputs == old.inputs
        assert json.dumps(new.inputs, sort_keys=True) == json.dumps(old.inputs, sort_keys=True)
        assert new.summary == summarise(new.worksheet, new.inputs)


# ---- round trip --------------------------------------------------------------------------------------------------
def test_export_then_import_gives_the_same_revisions_under_a_new_id(
    store: CaseStore, case_id: str, exported: str
) -> None:
    copy_id = import_case(store, exported).case_id
    assert copy_id != case_id
    original, copied = store.revisions(case_id), store.revisions(copy_id)
    same_revisions(copied, original)
    assert [r.base for r in copied] == [None] * 4  # renumbered on import: old bases are dropped
    assert [r.summary for r in copied] == [r.summary for r in original]
    assert copied[1].summary["assessed"] is False and copied[2].summary["assessed"] is True
    info = {c.case_id: c for c in store.cases()}
    assert (info[copy_id].created_at, info[copy_id].updated_at) == (info[case_id].created_at, info[case_id].updated_at)
    assert info[copy_id].revision.number == 3  # the latest non-draft, as in the original


def test_the_exported_file_is_what_the_module_documents(store: CaseStore, case_id: str, exported: str) -> None:
    body = json.loads(exported)
    assert set(body) == {"format", "schema_version", "exported_at", "case", "revisions", "checksum"}
    assert (body["format"], body["schema_version"], body["case"]["id"]) == ("coopkit-case", 2, case_id)
    assert body["case"]["worksheet"] == WORKSHEET
    assert body["checksum"] == checksum(body)
    assert [r["number"] for r in body["revisions"]] == [1, 2, 3, 4]
    assert [r["base"] for r in body["revisions"]] == [None, 1, 1, 3]
    assert all(datetime.fromisoformat(r["saved_at"]).utcoffset().total_seconds() == 0 for r in body["revisions"])


def test_importing_twice_gives_two_cases(store: CaseStore, case_id: str, exported: str) -> None:
    first, second = import_case(store, exported), import_case(store, exported.encode())
    assert len({case_id, first.case_id, second.case_id}) == 3
    assert len(store) == 3
    same_revisions(store.revisions(second.case_id), store.revisions(first.case_id))
    assert store.revisions(case_id)[0].inputs == sample_inputs()  # the original is untouched


def test_an_exported_import_exports_the_same_revisions(store: CaseStore, exported: str) -> None:
    copy_id = import_case(store, exported).case_id
    again = json.loads(export_case(store, copy_id))
    before = json.loads(exported)
    for body in (again, before):
        for revision in body["revisions"]:
            revision.pop("base")
    assert again["revisions"] == before["revisions"]
    assert again["case"]["created_at"] == before["case"]["created_at"]


# ---- version 1 ---------------------------------------------------------------------------------------------------
def test_there_are_version_1_samples() -> None:
    assert len(V1_SAMPLES) >= 10


@pytest.mark.parametrize("path", V1_SAMPLES, ids=[path.name for path in V1_SAMPLES])
def test_a_version_1_file_migrates_to_one_revision_with_its_summary(store: CaseStore, path: Path) -> None:
    case = parse_case(path.read_bytes())
    saved = import_case(store, path.read_bytes(), source=path.name)
    assert saved.number == 1
    (revision,) = store.revisions(saved.case_id)
    assert (revision.worksheet, revision.title, revision.notes, revision.inputs) == (
        case.worksheet,
        case.title,
        case.notes,
        case.inputs,
    )
    assert (revision.draft, revision.author, revision.base) == (False, "", None)
    assert revision.summary == summarise(case.worksheet, case.inputs)
    assert revision.summary["assessed"] is True
    assert (
        revision.summary["verdict"]
        == options.get(case.worksheet).assess(options.get(case.worksheet).inputs.model_validate(case.inputs)).verdict
    )


def test_a_version_1_file_without_a_version_is_read_as_version_1(store: CaseStore) -> None:
    raw = json.loads(SAMPLE.read_bytes())
    del raw["schema_version"]
    saved = import_case(store, json.dumps(raw))
    assert store.open(saved.case_id).inputs == raw["inputs"]
    assert migrate(raw)["revisions"][0]["inputs"] == raw["inputs"]


# ---- refusals ----------------------------------------------------------------------------------------------------
def edit(change: Callable[[dict], object], *, resign: bool = False) -> Callable[[str], str]:
    """A file made from the export by one change to its JSON; ``resign`` recomputes the checksum afterwards."""

    def make(text: str) -> str:
        body = json.loads(text)
        change(body)
        if resign:
            body["checksum"] = checksum(body)
        return json.dumps(body, ensure_ascii=False)

    return make


def put(*path_and_value) -> Callable[[dict], None]:
    *path, value = path_and_value

    def change(body: dict) -> None:
        for key in path[:-1]:
            body = body[key]
        body[path[-1]] = value

    return change


def drop(*path) -> Callable[[dict], None]:
    def change(body: dict) -> None:
        for key in path[:-1]:
            body = body[key]
        del body[path[-1]]

    return change


def reorder(body: dict) -> None:
    body["revisions"][1], body["revisions"][2] = body["revisions"][2], body["revisions"][1]


def repeat_a_number(body: dict) -> None:
    body["revisions"][2]["number"] = 2


def time_goes_back(body: dict) -> None:
    revisions = body["revisions"]
    revisions[1]["saved_at"], revisions[2]["saved_at"] = revisions[2]["saved_at"], revisions[1]["saved_at"]


def v1(change: Callable[[dict], object] | None = None) -> Callable[[str], str]:
    """The version-1 sample file, changed (the ``text`` of the export is not used)."""

    def make(_text: str) -> str:
        body = json.loads(SAMPLE.read_bytes())
        if change is not None:
            change(body)
        return json.dumps(body, ensure_ascii=False)

    return make


UNKNOWN = "sha256:" + "0" * 64
REFUSED = {
    # not a case file at all
    "not JSON": (lambda text: text[: len(text) // 2], "case file must be valid JSON"),
    "empty file": (lambda text: "", "case file must be valid JSON"),
    "not UTF-8": (lambda text: b"\xff\xfe" + text.encode("utf-8"), "case file must be valid JSON"),
    "JSON array": (lambda text: json.dumps([json.loads(text)]), "case file must be a JSON object"),
    "JSON string": (lambda text: json.dumps(text), "case file must be a JSON object"),
    "JSON null": (lambda text: "null", "case file must be a JSON object (a coopkit case file), got 'NoneType'"),
    "empty object": (lambda text: "{}", "case file: schema_version must be 1 or 2"),
    # format and version
    "wrong format": (edit(put("format", "coopkit-casefile"), resign=True), "case file: format must be 'coopkit-case'"),
    "format missing": (edit(drop("format"), resign=True), "case file: format must be 'coopkit-case', got None"),
    "schema_version 3": (edit(put("schema_version", 3), resign=True), "schema_version must be 1 or 2 (the versions"),
    'schema_version "2"': (
        edit(put("schema_version", "2"), resign=True),
        "schema_version must be a whole number, 1 or 2",
    ),
    "schema_version 0": (edit(put("schema_version", 0), resign=True), "schema_version must be 1 or 2"),
    "schema_version missing": (edit(drop("schema_version"), resign=True), "schema_version must be 1 or 2"),
    "schema_version null": (edit(put("schema_version", None), resign=True), "schema_version must be 1 or 2"),
    # checksum
    "checksum missing": (edit(drop("checksum")), "case file: checksum must be present in a version-2 case file"),
    "checksum null": (edit(put("checksum", None)), "checksum must be present"),
    "checksum of other data": (edit(put("checksum", UNKNOWN)), "checksum must match the file's content"),
    "checksum in capitals": (lambda text: re.sub(r"sha256:[0-9a-f]+", lambda m: m[0].upper(), text), "must match"),
    "an input value changed": (edit(put("revisions", 0, "inputs", "currency", "USD")), "checksum must match"),
    "a nested input changed": (edit(put("revisions", 2, "inputs", "parties", 0, "contribution", 61)), "must match"),
    "an input added": (edit(put("revisions", 0, "inputs", "seed", 1)), "checksum must match"),
    "a title changed": (edit(put("revisions", 1, "title", "Two roasters (final)")), "checksum must match"),
    "a revision number changed": (edit(put("revisions", 3, "number", 5)), "checksum must match"),
    "an author changed": (edit(put("revisions", 0, "author", "Eve")), "checksum must match"),
    "a draft flag changed": (edit(put("revisions", 1, "draft", False)), "checksum must match"),
    "a saved_at changed": (edit(put("revisions", 0, "saved_at", "2020-01-01T00:00:00+00:00")), "must match"),
    "the worksheet changed": (edit(put("case", "worksheet", "new_market")), "checksum must match"),
    "a revision removed": (edit(lambda body: body["revisions"].pop()), "checksum must match"),
    "the export time changed": (edit(put("exported_at", "2020-01-01T00:00:00+00:00")), "checksum must match"),
    # the case (each re-signed, so that the check behind the checksum is what refuses it)
    "case not an object": (edit(put("case", [WORKSHEET]), resign=True), "case file: case must be a JSON object"),
    "unknown worksheet": (edit(put("case", "worksheet", "win_win"), resign=True), "worksheet must be one of"),
    "worksheet missing": (edit(drop("case", "worksheet"), resign=True), "case file: worksheet must name a worksheet"),
    "worksheet a number": (edit(put("case", "worksheet", 7), resign=True), "worksheet must name a worksheet, got 7"),
    "created_at not a time": (edit(put("case", "created_at", "today"), resign=True), "case.created_at must be an ISO"),
    # the revisions
    "revisions not a list": (edit(put("revisions", {}), resign=True), "case file: revisions must be a list"),
    "revisions missing": (edit(drop("revisions"), resign=True), "revisions must be a list, got 'NoneType'"),
    "no revisions": (edit(put("revisions", []), resign=True), "revisions must hold between 1 and 2,000 revisions"),
    "a revision not an object": (edit(put("revisions", 1, "r2"), resign=True), r"revisions[1] must be a JSON object"),
    "revisions out of order": (edit(reorder, resign=True), "revisions[2].number must be a whole number above 3"),
    "a revision number repeated": (edit(repeat_a_number, resign=True), "revisions[2].number must be a whole number"),
    "revision number 0": (edit(put("revisions", 0, "number", 0), resign=True), "revisions[0].number must be"),
    "saved_at going backwards": (edit(time_goes_back, resign=True), "revisions[2].saved_at must not be before"),
    "saved_at not a time": (edit(put("revisions", 1, "saved_at", "yesterday"), resign=True), "revisions[1].saved_at"),
    "saved_at a number": (edit(put("revisions", 1, "saved_at", 1.7e9), resign=True), "saved_at must be an ISO 8601"),
    "unknown input field": (
        edit(put("revisions", 2, "inputs", "discount_rate", 0.1), resign=True),
        "revisions[2].inputs must only hold fields of the Win-win check worksheet, got ['discount_rate']",
    ),
    "inputs a list": (edit(put("revisions", 1, "inputs", [1, 2]), resign=True), "revisions[1].inputs must be a JSON"),
    "inputs missing": (edit(drop("revisions", 0, "inputs"), resign=True), "revisions[0].inputs must be a JSON object"),
    "inputs a string": (edit(put("revisions", 0, "inputs", "{}"), resign=True), "inputs must be a JSON object"),
    # bool as number, number as bool, text as anything
    "number true": (edit(put("revisions", 0, "number", True), resign=True), "revisions[0].number must be a whole"),
    "number a float": (edit(put("revisions", 0, "number", 1.0), resign=True), "revisions[0].number must be a whole"),
    "number as text": (edit(put("revisions", 0, "number", "1"), resign=True), "revisions[0].number must be a whole"),
    "base true": (edit(put("revisions", 1, "base", True), resign=True), "revisions[1].base must be empty or an"),
    "base not earlier": (edit(put("revisions", 1, "base", 2), resign=True), "revisions[1].base must be empty or an"),
    "base negative": (edit(put("revisions", 1, "base", -1), resign=True), "revisions[1].base must be empty"),
    "draft 1": (edit(put("revisions", 1, "draft", 1), resign=True), "revisions[1].draft must be true or false"),
    "draft as text": (edit(put("revisions", 1, "draft", "false"), resign=True), "draft must be true or false"),
    # text fields
    "title too long": (edit(put("revisions", 0, "title", "t" * 201), resign=True), "revisions[0].title must be at"),
    "notes too long": (edit(put("revisions", 3, "notes", "n" * 20_001), resign=True), "revisions[3].notes must be"),
    "author too long": (edit(put("revisions", 3, "author", "a" * 101), resign=True), "revisions[3].author must be"),
    "title a number": (edit(put("revisions", 0, "title", 5), resign=True), "revisions[0].title must be text"),
    "title null": (edit(put("revisions", 0, "title", None), resign=True), "revisions[0].title must be text"),
    "NUL in a title": (edit(put("revisions", 2, "title", "a\x00b"), resign=True), "title must not contain NUL"),
    "NUL in the notes": (edit(put("revisions", 2, "notes", "\x00"), resign=True), "notes must not contain NUL"),
    # version-1 files
    "v1: unknown worksheet": (v1(put("worksheet", "win_win")), "worksheet must be one of"),
    "v1: inputs a list": (v1(put("inputs", [])), "case file: revisions[0].inputs must be a JSON object"),
    "v1: inputs missing": (v1(drop("inputs")), "case file: inputs must be present in a version-1 case file"),
    "v1: unknown input field": (v1(put("inputs", "discount", 0.1)), "inputs must only hold fields of the Win-win"),
    "v1: title too long": (v1(put("title", "t" * 201)), "revisions[0].title must be at most 200 characters"),
    "v1: NaN input": (v1(put("inputs", "seed", float("nan"))), "must be valid JSON"),
    "v1: infinite input": (v1(put("inputs", "draws", float("inf"))), "must be valid JSON"),
}

# Found by these tests and fixed in coopkit.store: each used to escape as another exception, or be accepted.
FORMERLY_ESCAPED = {
    "NaN in a version-2 file": (lambda text: text.replace('"draws": 4321', '"draws": NaN'), "must be valid JSON"),
    "deeply nested JSON": (
        lambda text: text.replace('"draws": 4321', '"draws": ' + "[" * 100_000 + "]" * 100_000),
        "must be valid JSON",
    ),
    "integer of 5,000 digits": (
        lambda text: text.replace('"draws": 4321', '"draws": ' + "9" * 5000),
        "must be valid JSON",
    ),
    "lone surrogate in a version-2 title": (edit(put("revisions", 0, "title", "Alder \ud800")), "valid Unicode text"),
    "lone surrogate in a version-1 title": (v1(put("title", "Alder \udfff")), "valid Unicode text"),
    "saved_at at the end of time, west of UTC": (
        edit(put("revisions", 3, "saved_at", "9999-12-31T23:00:00-05:00"), resign=True),
        "revisions[3].saved_at must be",
    ),
    "created_at at the start of time, east of UTC": (
        edit(put("case", "created_at", "0001-01-01T00:00:00+05:00"), resign=True),
        "case.created_at must be",
    ),
    "schema_version true": (v1(put("schema_version", True)), "case file: schema_version must be a whole number"),
}


REFUSALS = [
    pytest.param(make, re.escape(words), id=name) for name, (make, words) in {**REFUSED, **FORMERLY_ESCAPED}.items()
]


@pytest.mark.parametrize(("make", "pattern"), REFUSALS)
def test_a_bad_file_is_refused_with_a_clear_message_and_changes_nothing(
    store: CaseStore, exported: str, make, pattern: str | None
) -> None:
    bad = make(exported)
    before, count = table_rows(store), len(store)
    try:
        with pytest.raises(InputError, match=pattern):
            import_case(store, bad)
    finally:
        assert len(store) == count
        assert table_rows(store) == before


def test_too_many_revisions_are_refused(store: CaseStore, exported: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "MAX_REVISIONS", 3)
    before = table_rows(store)
    with pytest.raises(InputError, match=r"case file: revisions must hold between 1 and 3 revisions, got 4"):
        import_case(store, exported)
    assert table_rows(store) == before
    monkeypatch.setattr(exchange, "MAX_REVISIONS", 4)
    assert import_case(store, exported).number == 4


def test_a_file_too_large_is_refused(store: CaseStore, exported: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = exported.encode()  # what the case bar passes: the uploaded bytes
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", len(data) - 1)
    before = table_rows(store)
    with pytest.raises(InputError, match=rf"upload\.json must be at most {len(data) - 1:,} bytes, got '{len(data):,}"):
        import_case(store, data, source="upload.json")
    assert table_rows(store) == before
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", len(data))
    assert import_case(store, data).number == 4


def test_a_file_given_as_text_is_measured_in_bytes(
    store: CaseStore, exported: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = edit(put("revisions", 0, "notes", "é" * 2000), resign=True)(exported)
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", len(text) + 1000)  # over its characters, under its bytes
    assert len(text.encode()) > exchange.MAX_FILE_BYTES
    before = table_rows(store)
    with pytest.raises(InputError, match=r"case file must be at most"):
        import_case(store, text)
    assert table_rows(store) == before


def test_messages_name_the_file_they_came_from(store: CaseStore, exported: str) -> None:
    with pytest.raises(InputError, match=r"^pilot\.json: checksum must match"):
        import_case(store, exported.replace('"Ben"', '"Eve"'), source="pilot.json")
    with pytest.raises(InputError, match=r"^pilot\.json must be valid JSON \(a coopkit case file\), got 'Expecting"):
        parse_export("{", source="pilot.json")


# ---- random damage -----------------------------------------------------------------------------------------------
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-01-01T00:00:00+00:00", "EUR", "shapley", "coopkit-case", WORKSHEET, "new_market"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def places(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every path into a JSON value (the root excluded)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in items:
        yield (*path, key)
        yield from places(child, (*path, key))


@st.composite
def damaged_files(draw, text: str) -> tuple[dict, str]:
    """The export after one to three random edits (replace, delete or add a value), sometimes re-signed."""
    body = json.loads(text)
    field_names = sorted(options.get(WORKSHEET).inputs.model_fields)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(places(body))))
        *parent_path, key = path
        parent = body
        for step in parent_path:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(field_names) | st.text(max_size=8))] = draw(json_values)
        else:
            parent.insert(key, draw(json_values))
    if draw(st.booleans()):
        body["checksum"] = checksum(body)
    return body, json.dumps(body, ensure_ascii=False)


def revisions_in(body: dict) -> list[dict]:
    """The revisions a file holds, as the module documents them (a version-1 file is one revision)."""
    return migrate(copy.deepcopy(body))["revisions"]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_file_is_imported_as_it_reads_or_refused_without_a_change(
    store: CaseStore, exported: str, data: st.DataObject
) -> None:
    # NaN, lone surrogates, integers over 4,300 digits and deep nesting are left out: see KNOWN_BUGS.
    body, text = data.draw(damaged_files(exported))
    before = table_rows(store)
    try:
        saved = import_case(store, text)
    except InputError:
        assert table_rows(store) == before
        return
    expected = revisions_in(body)
    got = store.revisions(saved.case_id)
    assert [r.number for r in got] == list(range(1, len(expected) + 1))
    for new, old in zip(got, expected, strict=True):
        assert new.inputs == old["inputs"]
        assert json.dumps(new.inputs, sort_keys=True) == json.dumps(old["inputs"], sort_keys=True)
        assert (new.title, new.notes, new.author) == (old.get("title", ""), old.get("notes", ""), old.get("author", ""))
        assert new.draft is old.get("draft", False)
        if old.get("saved_at") is not None:
            stamp = datetime.fromisoformat(old["saved_at"])
            assert new.saved_at == (stamp if stamp.tzinfo else stamp.replace(tzinfo=new.saved_at.tzinfo))
        assert new.summary == summarise(new.worksheet, old["inputs"])
    assert len(store) == len({row[0] for row in before["coopkit_cases"]}) + 1
