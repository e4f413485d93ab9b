"""The case bar: saving, autosave, opening (lossless for every worksheet), read-only, failures as messages."""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, datetime

import ipywidgets as widgets
import pytest

from coopkit import options
from coopkit.options.base import secret_fields, without_secrets
from coopkit.store import cases
from coopkit.store.casefile import read_case, sample_case
from coopkit.store.cases import CaseStore
from coopkit.ui import casebar
from coopkit.ui.worksheet import LiveWorksheet, request_query, worksheet


@pytest.fixture
def store():
    s = CaseStore("sqlite://")
    yield s
    s.close()


def live(name="win_win_check", store=None, **kw) -> LiveWorksheet:
    return LiveWorksheet(options.get(name), store=store, **kw)


def sample(name: str) -> dict:
    return copy.deepcopy(read_case(sample_case(options.get(name).sample)).inputs)


def test_nothing_is_saved_until_something_is_edited(store):
    sheet = live(store=store)
    assert len(store) == 0
    assert not sheet.casebar.dirty
    assert "Not saved yet" in sheet.casebar.status.value


def test_an_edit_is_autosaved_as_a_draft_revision(store, monkeypatch):
    monkeypatch.setattr(casebar, "AUTOSAVE_SECONDS", 0.05)
    sheet = live(store=store)
    sheet.casebar.title.value = "Autosaved"
    assert sheet.casebar.dirty
    deadline = time.monotonic() + 5
    while sheet.casebar.dirty and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not sheet.casebar.dirty
    (info,) = store.cases()
    assert info.revision.draft and info.revision.title == "Autosaved"
    assert "Draft saved as revision 1" in sheet.casebar.status.value


def test_save_adds_revisions_and_a_second_editor_is_told(store):
    a = live(store=store)
    a.casebar.title.value = "Shared case"
    a.casebar.save()
    b = live(store=store)
    b.casebar.open(a.casebar.case_id)
    b.casebar.save()  # revision 2
    a.casebar.save()  # revision 3, started from 1
    assert "Someone else saved revision 2" in a.casebar.status.value
    assert [r.number for r in store.revisions(a.casebar.case_id)] == [1, 2, 3]
    assert not any(r.draft for r in store.revisions(a.casebar.case_id))


@pytest.mark.parametrize("name", options.names())
def test_opening_a_saved_case_fills_the_form_exactly_as_saved(store, name):
    first = live(name, store=store)
    data = without_secrets(first.sheet.inputs, first.form.data())  # secrets are never saved (tested below)
    first.casebar.title.value = f"Round trip {name} <b>"
    first.casebar.notes.value = "Notes\nwith lines"
    first.casebar.save()
    summary = store.open(first.casebar.case_id).summary
    assert summary["verdict"] == first.assessment.verdict

    second = live(name, store=store, data={})
    second.casebar.open(first.casebar.case_id)
    assert second.form.data() == data
    assert json.dumps(second.form.data(), sort_keys=True) == json.dumps(data, sort_keys=True)
    assert second.casebar.title.value == f"Round trip {name} <b>"
    assert second.casebar.notes.value == "Notes\nwith lines"
    if not secret_fields(first.sheet.inputs):
        assert second.assessment.verdict == first.assessment.verdict
    assert not second.casebar.dirty  # opening is not an edit


def test_invalid_inputs_are_saved_too_and_reopen_as_typed(store):
    sheet = live(store=store)
    data = sheet.form.data()
    data["parties"][1]["contribution"] = -5
    sheet.load(data)
    assert sheet.problems
    sheet.casebar.save()
    rev = store.open(sheet.casebar.case_id)
    assert rev.summary["assessed"] is False and rev.summary["problems"]
    again = live(store=store)
    again.casebar.open(sheet.casebar.case_id)
    assert again.form.data()["parties"][1]["contribution"] == -5
    assert again.problems


def test_read_only_disables_every_control_and_hides_saving(store):
    cid = store.create("win_win_check", sample("win_win_check"), title="Board").case_id
    sheet = live(store=store, read_only=True)
    sheet.casebar.open(cid)

    def controls(w):
        if hasattr(w, "disabled"):
            yield w
        for c in getattr(w, "children", ()):
            yield from controls(c)

    form_controls = list(controls(sheet.form.widget))
    assert form_controls and all(c.disabled for c in form_controls)
    assert sheet.casebar.save_button not in list(controls(sheet.casebar.widget))
    sheet.casebar.edited()
    assert not sheet.casebar.dirty
    assert len(store.revisions(cid)) == 1


def test_worksheet_opens_a_case_given_in_the_query_string(store, monkeypatch):
    cid = store.create("win_win_check", sample("win_win_check"), title="From a link").case_id
    monkeypatch.setattr(cases, "open_store", lambda: store)
    monkeypatch.setenv("QUERY_STRING", f"case={cid}")
    assert request_query() == {"case": cid}
    w = worksheet("win_win_check")
    assert "coopkit-read-only" in w._dom_classes
    monkeypatch.setenv("QUERY_STRING", f"case={cid}&edit=1")
    assert "coopkit-read-only" not in worksheet("win_win_check")._dom_classes


def test_a_bad_case_link_is_a_message_not_a_traceback(store, monkeypatch):
    monkeypatch.setattr(cases, "open_store", lambda: store)
    for bad in ("../../etc/passwd", "0123456789abcdef"):
        monkeypatch.setenv("QUERY_STRING", f"case={bad}")
        w = worksheet("win_win_check")
        text = " ".join(c.value for c in _html(w))
        assert "could not be opened" in text
        assert "case id must be 16 hexadecimal digits" in text or "case must be a saved case" in text


def _html(w):
    if isinstance(w, widgets.HTML):
        yield w
    for c in getattr(w, "children", ()):
        yield from _html(c)


def test_a_store_that_cannot_be_reached_is_a_message_and_keeps_the_inputs(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    broken = CaseStore.__new__(CaseStore)  # a store whose database has gone away
    good = CaseStore(f"sqlite:///{tmp_path}/cases.sqlite")
    broken.__dict__.update(good.__dict__)
    good.engine.dispose()
    (tmp_path / "cases.sqlite").unlink()
    (tmp_path / "cases.sqlite").mkdir()  # the file is now a folder: every query fails
    sheet = live(store=broken)
    data = sheet.form.data()
    sheet.casebar.title.value = "Will not save"
    sheet.casebar.save()
    assert "Could not save the case" in sheet.casebar.status.value
    assert "Your inputs are kept" in sheet.casebar.status.value
    assert sheet.casebar.dirty and sheet.form.data() == data


def test_importing_a_bad_file_is_refused_with_a_message(store):
    sheet = live(store=store)
    sheet.casebar.upload.value = (
        {
            "name": "evil.json",
            "type": "application/json",
            "content": memoryview(b"[1, 2]"),
            "size": 6,
            "last_modified": datetime.now(UTC),
        },
    )
    assert "Could not import the case file" in sheet.casebar.status.value
    assert "evil.json" in sheet.casebar.status.value
    assert len(store) == 0


def test_importing_a_sample_case_file_opens_it(store):
    sheet = live(store=store, data={})
    content = sample_case("win_win_two_party.json").read_bytes()
    sheet.casebar.upload.value = (
        {
            "name": "s.json",
            "type": "application/json",
            "content": memoryview(content),
            "size": len(content),
            "last_modified": datetime.now(UTC),
        },
    )
    assert "Imported as a new case" in sheet.casebar.status.value
    assert sheet.form.data()["parties"][0]["name"] == "Alder Roasters"


def test_compare_lists_changed_inputs_escaped(store):
    sheet = live(store=store)
    sheet.casebar.save()
    data = sheet.form.data()
    data["parties"][1]["name"] = "<b>Birch</b>"
    sheet.load(data)
    sheet.casebar.save()
    sheet.casebar.revisions.value, sheet.casebar.compare_with.value = 2, 1
    sheet.casebar._on_compare()
    html_text = sheet.casebar.comparison.value
    assert "parties[1].name" in html_text and "&lt;b&gt;Birch&lt;/b&gt;" in html_text
    assert "<b>Birch" not in html_text


def test_export_offers_brief_workbook_and_case_file(store):
    sheet = live(store=store)
    sheet.casebar.title.value = "Export me"
    sheet.casebar._on_export()
    links = sheet.casebar.downloads.value
    assert links.count("<a ") == 3
    for suffix in (".html", ".xlsx", ".json"):
        assert f'{suffix}"' in links


def test_the_shared_secret_is_never_saved(store):
    sheet = live("referrals", store=store)
    assert sheet.form.data()["shared_secret"]  # the sample carries a demo secret
    sheet.casebar.save()
    rev = store.open(sheet.casebar.case_id)
    assert rev.inputs["shared_secret"] == ""
    assert "sample-only" not in json.dumps(rev.inputs) + json.dumps(rev.summary)
    again = live("referrals", store=store)
    again.casebar.open(sheet.casebar.case_id)
    assert "Shared secret is never saved" in again.casebar.status.value
