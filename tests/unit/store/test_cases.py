"""Tests of coopkit.store.cases: revisions, round trips, concurrent saves, failed saves and bad input.

Every test that takes ``store`` or ``database_url`` runs on SQLite and on PostgreSQL (see ``conftest.py``).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.store import cases
from coopkit.store.cases import (
    MAX_AUTHOR,
    MAX_INPUT_BYTES,
    MAX_NOTES,
    MAX_TITLE,
    CaseStore,
    revisions_table,
)
from tests.unit.store.conftest import table_rows

WORKSHEET = "win_win_check"


# ---- revisions ---------------------------------------------------------------------------------------------------
def test_each_save_is_a_new_revision_numbered_from_one(store: CaseStore) -> None:
    saved = [store.create(WORKSHEET, {"step": 0}, title="Pilot")]
    saved += [store.save(saved[0].case_id, {"step": step}, base=step) for step in range(1, 5)]
    case_id = saved[0].case_id
    assert [s.number for s in saved] == [1, 2, 3, 4, 5]
    assert [s.case_id for s in saved] == [case_id] * 5
    assert store.head(case_id) == 5
    assert [r.number for r in store.revisions(case_id)] == [1, 2, 3, 4, 5]
    for number in range(1, 6):
        revision = store.open(case_id, number)
        assert (revision.number, revision.inputs, revision.worksheet) == (number, {"step": number - 1}, WORKSHEET)
    assert store.open(case_id).number == 5


def test_later_saves_never_change_an_earlier_revision(store: CaseStore) -> None:
    case_id = store.create(
        WORKSHEET, {"currency": "EUR", "parties": [{"name": "A"}]}, title="First", notes="n1"
    ).case_id
    first_row = table_rows(store)["coopkit_revisions"][0]
    first = store.open(case_id, 1)
    store.save(case_id, {"currency": "USD", "parties": []}, title="Second", notes="n2", author="ben")
    store.save(case_id, {}, title="Third", draft=True)
    assert table_rows(store)["coopkit_revisions"][0] == first_row
    assert store.open(case_id, 1) == first
    assert (first.inputs, first.title, first.notes) == ({"currency": "EUR", "parties": [{"name": "A"}]}, "First", "n1")


def test_save_keeps_the_latest_title_and_notes_unless_given(store: CaseStore) -> None:
    case_id = store.create(WORKSHEET, {}, title="Pilot", notes="Why we talk").case_id
    store.save(case_id, {"x": 1}, notes="Second thoughts")
    store.save(case_id, {"x": 2}, title="")
    assert [(r.title, r.notes) for r in store.revisions(case_id)] == [
        ("Pilot", "Why we talk"),
        ("Pilot", "Second thoughts"),
        ("", "Second thoughts"),
    ]


def test_drafts_are_revisions_flagged_draft(store: CaseStore) -> None:
    case_id = store.create(WORKSHEET, {"x": 0}).case_id
    store.save(case_id, {"x": 1}, draft=True)
    store.save(case_id, {"x": 2})
    store.save(case_id, {"x": 3}, draft=True)
    assert [(r.number, r.draft) for r in store.revisions(case_id)] == [(1, False), (2, True), (3, False), (4, True)]
    assert store.open(case_id).inputs == {"x": 3}
    assert store.open(case_id, 2).draft


def test_revision_keeps_author_base_summary_and_a_utc_time(store: CaseStore) -> None:
    start = datetime.now(UTC)
    case_id = store.create(WORKSHEET, {}, author="ana", summary={"verdict": "win-win"}).case_id
    store.save(case_id, {}, author="ben", base=1)
    first, second = store.revisions(case_id)
    assert (first.author, first.base, first.summary) == ("ana", None, {"verdict": "win-win"})
    assert (second.author, second.base, second.summary) == ("ben", 1, {})
    assert start <= first.saved_at <= second.saved_at <= datetime.now(UTC)
    assert first.saved_at.utcoffset().total_seconds() == 0


def test_cases_show_the_latest_saved_revision_else_the_latest_draft(store: CaseStore) -> None:
    drafts_only = store.create(WORKSHEET, {"v": 1}, title="d1", draft=True).case_id
    store.save(drafts_only, {"v": 2}, title="d2", draft=True)
    mixed = store.create(WORKSHEET, {"v": 1}, title="r1").case_id
    store.save(mixed, {"v": 2}, title="r2 draft", draft=True)
    store.save(mixed, {"v": 3}, title="r3")
    store.save(mixed, {"v": 4}, title="r4 draft", draft=True)
    shown = {info.case_id: info for info in store.cases()}
    assert shown[drafts_only].head == 2
    assert (shown[drafts_only].revision.number, shown[drafts_only].revision.title) == (2, "d2")
    assert shown[drafts_only].revision.draft
    assert shown[mixed].head == 4
    assert (shown[mixed].revision.number, shown[mixed].revision.title) == (3, "r3")
    assert (shown[mixed].revision.inputs, shown[mixed].revision.draft) == ({"v": 3}, False)


def test_cases_are_ordered_by_last_change_and_filtered_by_worksheet(store: CaseStore) -> None:
    a = store.create(WORKSHEET, {}, title="A").case_id
    b = store.create(WORKSHEET, {}, title="B").case_id
    c = store.create("new_market", {}, title="C").case_id
    assert [info.case_id for info in store.cases()] == [c, b, a]
    store.save(a, {"x": 1}, draft=True)
    assert [info.case_id for info in store.cases()] == [a, c, b]
    assert [info.case_id for info in store] == [a, c, b]
    assert [info.case_id for info in store.cases(WORKSHEET)] == [a, b]
    assert store.cases("no_such_sheet") == []
    assert len(store) == 3
    newest = store.cases()[0]
    assert newest.updated_at == store.open(a).saved_at
    assert newest.created_at == store.open(a, 1).saved_at


# ---- compare -----------------------------------------------------------------------------------------------------
def test_compare_lists_changed_added_and_removed_inputs_and_the_verdict_move(store: CaseStore) -> None:
    before = {
        "currency": "EUR",
        "parties": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}],
        "range": {"low": 1, "high": 2},
        "dropped": True,
        "same": [1, 2],
    }
    after = {
        "currency": "USD",
        "parties": [{"name": "A", "share": 0.5}],
        "range": {"low": 1, "high": 3},
        "same": [1, 2],
        "added": [],
        "new": {"deep": [None]},
    }
    case_id = store.create(WORKSHEET, before, summary={"verdict": "win-win"}).case_id
    store.save(case_id, after, summary={"verdict": "not win-win"})
    comparison = store.compare(case_id, 1, 2)
    assert (comparison.case_id, comparison.before.number, comparison.after.number) == (case_id, 1, 2)
    assert {c.path: (c.before, c.after) for c in comparison.changes} == {
        "currency": ("EUR", "USD"),
        "parties[1].name": ("B", None),
        "parties[1].share": (0.5, None),
        "range.high": (2, 3),
        "dropped": (True, None),
        "added": (None, []),
        "new.deep[0]": (None, None),
    }
    assert len(comparison.changes) == 7
    assert comparison.verdict_moved == "win-win → not win-win"
    assert store.compare(case_id, 2, 1).verdict_moved == "not win-win → win-win"


def test_compare_of_equal_inputs_lists_nothing(store: CaseStore) -> None:
    case_id = store.create(WORKSHEET, {"a": [1, {"b": 2}]}, summary={"verdict": "win-win"}).case_id
    store.save(case_id, {"a": [1, {"b": 2}]}, summary={"verdict": "win-win"}, draft=True)
    store.save(case_id, {"a": [1, {"b": 2}]})
    assert store.compare(case_id, 1, 2).changes == []
    assert store.compare(case_id, 1, 2).verdict_moved == "unchanged (win-win)"
    assert store.compare(case_id, 1, 1).changes == []
    assert store.compare(case_id, 2, 3).verdict_moved == "win-win → not assessed"


def test_compare_lists_a_removed_empty_object(store: CaseStore) -> None:
    case_id = store.create(WORKSHEET, {"risk_adjustment": {}, "x": 1}).case_id
    store.save(case_id, {"x": 1})
    assert [c.path for c in store.compare(case_id, 1, 2).changes] == ["risk_adjustment"]


# ---- round trips -------------------------------------------------------------------------------------------------
ROUND_TRIP_INPUTS = {
    "unicode": {
        "name": "Zürich – 東京 🤝 Ελλάδα",
        "rtl": "שותפות",
        "combining": "e\u0301 vs \u00e9",
        "escapes": 'quote " backslash \\ slash / newline \n tab \t',
        "nul inside data": "a\x00b",
        "ключ 🔑": "unicode key",
    },
    "nested lists": {"matrix": [[1, [2, [3, []]]], [], [{"a": [None, True, False]}], [[[[[]]]]]]},
    "floats": {
        "sum": 0.1 + 0.2,
        "third": 1 / 3,
        "tiny": 1e-300,
        "subnormal": 5e-324,
        "largest": 1.7976931348623157e308,
        "negative zero": -0.0,
        "whole float": 3.0,
    },
    "large ints": {"2**200": 2**200, "minus 10**4000": -(10**4000), "2**63": 2**63, "2**64 - 1": 2**64 - 1},
    "empties": {"list": [], "object": {}, "text": "", "null": None, "lists of empties": [[], {}, ""]},
    "no inputs": {},
}


@pytest.mark.parametrize("inputs", ROUND_TRIP_INPUTS.values(), ids=ROUND_TRIP_INPUTS.keys())
def test_inputs_come_back_exactly(store: CaseStore, database_url: str, inputs: dict) -> None:
    case_id = store.create(WORKSHEET, inputs, title="Ünïcödé – 東京", notes="line 1\nline 2 🤝", author="Zoë").case_id
    store.save(case_id, inputs, author="Zoë", draft=True)
    reader = CaseStore(database_url)  # a second connection pool: what comes back was read from the database
    try:
        for revision in reader.revisions(case_id):
            assert revision.inputs == inputs
            assert json.dumps(revision.inputs) == json.dumps(inputs)  # every value, and the keys' order
            assert (revision.title, revision.notes, revision.author) == ("Ünïcödé – 東京", "line 1\nline 2 🤝", "Zoë")
    finally:
        reader.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inputs=st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_any_json_inputs_come_back_exactly(store: CaseStore, inputs: dict) -> None:
    case_id = store.create(WORKSHEET, inputs).case_id
    back = store.open(case_id).inputs
    assert back == inputs
    assert json.dumps(back) == json.dumps(inputs)  # every value, and the keys' order


# ---- concurrency -------------------------------------------------------------------------------------------------
def check_simultaneous_saves(store: CaseStore, case_id: str, results: dict[int, tuple[int, bool, int]]) -> None:
    """All editors started from revision 1: their saves are 2..n+1, none lost, all but the first warned."""
    editors = len(results)
    assert sorted(number for number, _, _ in results.values()) == list(range(2, editors + 2))
    assert [r.number for r in store.revisions(case_id)] == list(range(1, editors + 2))
    assert store.head(case_id) == editors + 1
    for editor, (number, newer_than_base, head_before) in results.items():
        assert store.open(case_id, number).inputs == {"editor": editor}
        assert head_before == number - 1
        assert newer_than_base == (number > 2)


@pytest.mark.parametrize("editors", [2, 8])
def test_simultaneous_saves_from_separate_stores_all_land(store: CaseStore, database_url: str, editors: int) -> None:
    case_id = store.create(WORKSHEET, {"editor": None}, title="Shared").case_id
    barrier = threading.Barrier(editors)

    def edit(editor: int) -> tuple[int, bool, int]:
        own = CaseStore(database_url)
        try:
            barrier.wait(timeout=30)
            saved = own.save(case_id, {"editor": editor}, base=1, author=f"editor {editor}")
            return saved.number, saved.newer_than_base, saved.head_before
        finally:
            own.close()

    with ThreadPoolExecutor(max_workers=editors) as pool:
        results = dict(zip(range(editors), pool.map(edit, range(editors)), strict=True))
    check_simultaneous_saves(store, case_id, results)


def save_in_another_process(url: str, case_id: str, editor: int, barrier, results) -> None:
    """Body of one editor process (module level, so that the spawn start method can import it)."""
    own = CaseStore(url)
    try:
        barrier.wait(timeout=60)
        saved = own.save(case_id, {"editor": editor}, base=1)
        results.put((editor, (saved.number, saved.newer_than_base, saved.head_before)))
    finally:
        own.close()


def test_simultaneous_saves_from_separate_processes_all_land(store: CaseStore, database_url: str) -> None:
    editors = 4
    case_id = store.create(WORKSHEET, {"editor": None}).case_id
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(editors), context.Queue()
    processes = [
        context.Process(target=save_in_another_process, args=(database_url, case_id, editor, barrier, queue))
        for editor in range(editors)
    ]
    for process in processes:
        process.start()
    try:
        results = dict(queue.get(timeout=120) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * editors
    check_simultaneous_saves(store, case_id, results)


def test_a_save_from_an_older_base_is_kept_and_told(store: CaseStore) -> None:
    case_id = store.create(WORKSHEET, {"x": 1}).case_id
    ana = store.save(case_id, {"x": 2}, base=1)
    ben = store.save(case_id, {"x": 3}, base=1)
    ana_again = store.save(case_id, {"x": 4}, base=ana.number)
    unknown_base = store.save(case_id, {"x": 5})
    assert (ana.newer_than_base, ana.message) == (False, "Saved as revision 2.")
    assert (ben.number, ben.newer_than_base, ben.head_before) == (3, True, 2)
    assert ben.message == (
        "Saved as revision 3. Someone else saved revision 2 while you were editing; both are kept"
        " (compare them under Revisions)."
    )
    assert ana_again.newer_than_base  # revision 3 (ben's) landed after ana's revision 2
    assert not unknown_base.newer_than_base
    assert [r.inputs["x"] for r in store.revisions(case_id)] == [1, 2, 3, 4, 5]


def test_saved_at_never_goes_backwards_when_saves_overlap(
    store: CaseStore, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # save() reads the clock only once it holds the case's lock, and never stamps a revision earlier than the
    # one before it: an editor whose clock reads earlier (a delayed process, a clock stepped back) still
    # lands after, in number and in time. Here the second save's clock reads ten seconds before the first's.
    case_id = store.create(WORKSHEET, {"editor": None}).case_id
    start = datetime.now(UTC) + timedelta(minutes=1)
    clock = iter([start + timedelta(seconds=10), start])
    monkeypatch.setattr(cases, "_now", lambda: next(clock))
    other = CaseStore(database_url)
    try:
        store.save(case_id, {"editor": "fast"}, base=1)
        other.save(case_id, {"editor": "slow"}, base=1)
    finally:
        other.close()
    revisions = store.revisions(case_id)
    assert [r.inputs["editor"] for r in revisions] == [None, "fast", "slow"]
    assert [r.saved_at for r in revisions] == sorted(r.saved_at for r in revisions)
    assert revisions[2].saved_at == revisions[1].saved_at == start + timedelta(seconds=10)
    assert store.cases()[0].updated_at == revisions[-1].saved_at


def test_stores_opened_at_the_same_time_on_a_new_database_all_work(store: CaseStore, database_url: str) -> None:
    # The race is lost in most rounds, not all: ten rounds make a pass by luck vanishingly unlikely.
    openers = 4

    def open_and_create(barrier: threading.Barrier) -> int:
        barrier.wait(timeout=30)
        own = CaseStore(database_url)
        try:
            return own.create(WORKSHEET, {}).number
        finally:
            own.close()

    for _ in range(10):
        cases._meta.drop_all(store.engine)
        barrier = threading.Barrier(openers)
        with ThreadPoolExecutor(max_workers=openers) as pool:
            assert list(pool.map(open_and_create, [barrier] * openers)) == [1] * openers
        assert len(store) == openers


# ---- a save that fails half-way ----------------------------------------------------------------------------------
class SaveFailedError(Exception):
    """Stands for anything that goes wrong inside the save's transaction."""


def fail_revision_row(*args, **kwargs):
    raise SaveFailedError("the revision could not be built")


def interrupt_revision_row(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("building the revision raises", SaveFailedError),
        ("Ctrl-C while building the revision", KeyboardInterrupt),
        ("the database refuses the revision row", sa.exc.IntegrityError),
    ],
)
def test_a_save_that_fails_after_the_head_update_changes_nothing(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch, failure: str, expected: type[BaseException]
) -> None:
    case_id = store.create(WORKSHEET, {"x": 1}, title="Pilot").case_id
    store.save(case_id, {"x": 2}, draft=True)
    if failure == "building the revision raises":
        monkeypatch.setattr(CaseStore, "_revision_row", staticmethod(fail_revision_row))
    elif failure == "Ctrl-C while building the revision":
        monkeypatch.setattr(CaseStore, "_revision_row", staticmethod(interrupt_revision_row))
    else:  # a stray row numbered like the next revision: the INSERT violates the primary key
        with store.engine.begin() as conn:
            stray = conn.execute(sa.select(revisions_table).where(revisions_table.c.number == 2)).mappings().one()
            conn.execute(revisions_table.insert().values({**stray, "number": 3}))
    before = table_rows(store)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    with pytest.raises(expected):
        store.save(case_id, {"x": 3})

    assert any(re.match(r"\s*UPDATE coopkit_cases", s) for s in statements)  # the failure came after the UPDATE
    assert table_rows(store) == before
    assert store.head(case_id) == 2
    monkeypatch.undo()
    if failure == "the database refuses the revision row":
        with store.engine.begin() as conn:
            conn.execute(revisions_table.delete().where(revisions_table.c.number == 3))
    saved = store.save(case_id, {"x": 3}, base=2)
    assert (saved.number, saved.newer_than_base) == (3, False)
    assert [(r.number, r.inputs) for r in store.revisions(case_id)] == [(1, {"x": 1}), (2, {"x": 2}), (3, {"x": 3})]


# ---- bad input ---------------------------------------------------------------------------------------------------
def existing(store: CaseStore) -> str:
    return store.cases()[0].case_id


BAD_CALLS = {
    "title too long (create)": (lambda s: s.create(WORKSHEET, {}, title="t" * (MAX_TITLE + 1)), "title", "201"),
    "title too long (save)": (lambda s: s.save(existing(s), {}, title="t" * (MAX_TITLE + 1)), "title", "200"),
    "notes too long (create)": (lambda s: s.create(WORKSHEET, {}, notes="n" * (MAX_NOTES + 1)), "notes", "20,000"),
    "notes too long (save)": (lambda s: s.save(existing(s), {}, notes="n" * (MAX_NOTES + 1)), "notes", "20,001"),
    "author too long": (lambda s: s.save(existing(s), {}, author="a" * (MAX_AUTHOR + 1)), "author", "100"),
    "title not text": (lambda s: s.create(WORKSHEET, {}, title=5), "title", "be text"),
    "NUL in title (create)": (lambda s: s.create(WORKSHEET, {}, title="a\x00b"), "title", "NUL"),
    "NUL in notes (save)": (lambda s: s.save(existing(s), {}, notes="\x00"), "notes", "NUL"),
    "NUL in author": (lambda s: s.save(existing(s), {}, author="ana\x00"), "author", "NUL"),
    "NaN input (create)": (lambda s: s.create(WORKSHEET, {"share": float("nan")}), "inputs", "NaN"),
    "NaN input (save)": (lambda s: s.save(existing(s), {"share": float("nan")}), "inputs", "NaN"),
    "infinite input": (lambda s: s.save(existing(s), {"a": [{"b": float("inf")}]}), "inputs", "infinity"),
    "minus infinity input": (lambda s: s.create(WORKSHEET, {"a": -float("inf")}), "inputs", "infinity"),
    "NaN in summary": (lambda s: s.save(existing(s), {}, summary={"p": float("nan")}), "summary", "NaN"),
    "inputs a list (create)": (lambda s: s.create(WORKSHEET, [1, 2]), "inputs", "JSON object"),
    "inputs a list (save)": (lambda s: s.save(existing(s), [{"x": 1}]), "inputs", "JSON object"),
    "inputs None": (lambda s: s.save(existing(s), None), "inputs", "JSON object"),
    "inputs a string": (lambda s: s.create(WORKSHEET, '{"x": 1}'), "inputs", "JSON object"),
    "inputs not JSON data": (lambda s: s.save(existing(s), {"when": datetime.now(UTC)}), "inputs", "plain JSON"),
    "inputs too large": (
        lambda s: s.save(existing(s), {"x": "x" * MAX_INPUT_BYTES}),
        "inputs",
        f"{MAX_INPUT_BYTES:,} bytes",
    ),
    "integer too long for JSON": (lambda s: s.create(WORKSHEET, {"n": 10**5000}), "inputs", "plain JSON"),
    "worksheet empty": (lambda s: s.create("", {}), "worksheet", "name a worksheet"),
    "worksheet name too long": (lambda s: s.create("w" * 65, {}), "worksheet", "name a worksheet"),
    "unknown case (save)": (lambda s: s.save("0123456789abcdef", {}), "case", "be a saved case"),
    "unknown case (open)": (lambda s: s.open("0123456789abcdef"), "case", "be a saved case"),
    "unknown case (head)": (lambda s: s.head("fedcba9876543210"), "case", "be a saved case"),
    "unknown case (revisions)": (lambda s: s.revisions("fedcba9876543210"), "case", "be a saved case"),
    "unknown revision": (lambda s: s.open(existing(s), 3), "revision of case {case_id}", "be a saved revision"),
    "revision 0": (lambda s: s.compare(existing(s), 0, 1), "revision of case {case_id}", "be a saved revision"),
    "case id ../x (save)": (lambda s: s.save("../x", {}), "case id", "16 hexadecimal digits"),
    "case id ../x (open)": (lambda s: s.open("../x"), "case id", "16 hexadecimal digits"),
    "case id with a path": (lambda s: s.open("0123456789abcdef/../x"), "case id", "16 hexadecimal"),
    "case id too short": (lambda s: s.head("0123456789abcde"), "case id", "16 hexadecimal digits"),
    "case id not hex": (lambda s: s.revisions("0123456789abcdeg"), "case id", "16 hexadecimal digits"),
    "case id SQL": (lambda s: s.save("' OR 1=1 --", {}), "case id", "16 hexadecimal digits"),
    "case id a number": (lambda s: s.compare(1234567890123456, 1, 2), "case id", "16 hexadecimal digits"),
    "case id None": (lambda s: s.save(None, {}), "case id", "16 hexadecimal digits"),
}


@pytest.mark.parametrize(("call", "field", "words"), BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    store: CaseStore, call, field: str, words: str
) -> None:
    case_id = store.create(WORKSHEET, {"x": 1}, title="Pilot").case_id
    store.save(case_id, {"x": 2}, draft=True)
    before = table_rows(store)
    with pytest.raises(InputError, match=re.escape(words)) as refused:
        call(store)
    assert refused.value.field == field.format(case_id=case_id)
    assert str(refused.value).startswith(f"{refused.value.field} must ")
    assert table_rows(store) == before


BAD_TEXT_CALLS = {
    "lone surrogate in inputs": lambda s: s.save(existing(s), {"name": "Alder \ud800"}),
    "lone surrogate in title": lambda s: s.create(WORKSHEET, {}, title="\udcff"),
    "base not a number": lambda s: s.save(existing(s), {}, base="latest"),
}


@pytest.mark.parametrize("call", BAD_TEXT_CALLS.values(), ids=BAD_TEXT_CALLS.keys())
def test_text_that_cannot_be_stored_is_refused_as_input_error(store: CaseStore, call) -> None:
    store.create(WORKSHEET, {"x": 1})
    before = table_rows(store)
    try:
        with pytest.raises(InputError):
            call(store)
    finally:
        assert table_rows(store) == before


def test_limits_themselves_are_allowed(store: CaseStore) -> None:
    text = {"title": "t" * MAX_TITLE, "notes": "n" * MAX_NOTES, "author": "a" * MAX_AUTHOR}
    case_id = store.create(WORKSHEET, {"x": "é" * 1000}, **text).case_id
    store.save(case_id, {"x": "x" * (MAX_INPUT_BYTES - 20)}, **text)
    assert [(r.title, r.notes, r.author) for r in store.revisions(case_id)] == [tuple(text.values())] * 2
    assert len(store.open(case_id).inputs["x"]) == MAX_INPUT_BYTES - 20


def test_case_ids_are_read_leniently_but_checked(store: CaseStore) -> None:
    case_id = store.create(WORKSHEET, {"x": 1}).case_id
    assert re.fullmatch(r"[0-9a-f]{16}", case_id)
    assert store.open(f"  {case_id.upper()} ").case_id == case_id
    assert cases.check_case_id(case_id.upper()) == case_id
