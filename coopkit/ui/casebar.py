"""The case bar above every worksheet: new, open, save, revisions, compare, import and export.

A worksheet's inputs become a *case* in the store (:mod:`coopkit.store.cases`).
Every save adds a revision; an edit schedules an autosave of a *draft*
revision :data:`AUTOSAVE_SECONDS` after the last change, so a closed tab or a
dead kernel loses at most those seconds. Nothing here raises into the widget
callbacks: a store that cannot be reached is a message in the bar, and the
form keeps everything typed.

The autosave timer runs on the kernel's own event loop (``loop.call_later``),
the loop that also delivers widget events, so the save never races an edit;
outside a running loop (scripts, tests) it falls back to a timer thread and
:meth:`CaseBar.flush` saves at once.
"""

from __future__ import annotations

import asyncio
import base64
import html
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from coopkit.errors import InputError
from coopkit.options.base import Worksheet
from coopkit.store.limits import MAX_AUTHOR, MAX_NOTES, MAX_TITLE
from coopkit.ui.timing import after_page

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported when the bar first uses it, after the page is shown
    from coopkit.store.cases import CaseStore, Revision

__all__ = ["CaseBar", "AUTOSAVE_SECONDS", "download_link"]

log = logging.getLogger(__name__)

#: Seconds after the last edit at which a draft revision is saved.
AUTOSAVE_SECONDS = 3.0


def download_link(data: bytes, file_name: str, mime: str, label: str) -> str:
    """An HTML link that downloads ``data`` as ``file_name`` (a data: URL; nothing is stored on the server).

    Examples
    --------
    >>> download_link(b"{}", 'case "1".json', "application/json", "Case file")
    '<a class="coopkit-download" download="case &quot;1&quot;.json" href="data:application/json;base64,e30=">Case file</a>'
    """
    payload = base64.b64encode(data).decode()
    return (
        f'<a class="coopkit-download" download="{html.escape(file_name)}" '
        f'href="data:{mime};base64,{payload}">{html.escape(label)}</a>'
    )


def _when(rev: Revision) -> str:
    return rev.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _label(rev: Revision) -> str:
    kind = "draft" if rev.draft else "saved"
    who = f" · {rev.author}" if rev.author else ""
    return f"r{rev.number} · {_when(rev)} · {kind}{who}"


class CaseBar:
    """The case controls of one worksheet.

    Parameters
    ----------
    sheet : Worksheet
        The worksheet whose inputs are saved.
    get_data : callable
        Returns the form's data now (a dict).
    load : callable
        ``load(inputs)`` refills the form with saved inputs.
    summary : callable
        Returns the summary of the current inputs (:mod:`coopkit.store.summary`).
    export : callable, optional
        ``export(revision) -> list of (bytes, file name, mime type, label)``: the brief and workbook.
    store : CaseStore, optional
        Default: :func:`coopkit.store.cases.open_store` on first use.
    read_only : bool
        An executive's view: no editing controls, downloads only.
    """

    def __init__(
        self,
        sheet: Worksheet,
        get_data: Callable[[], dict],
        load: Callable[[dict], None],
        summary: Callable[[], dict],
        *,
        export: Callable[[Revision], list[tuple[bytes, str, str, str]]] | None = None,
        store: CaseStore | None = None,
        read_only: bool = False,
    ) -> None:
        self.sheet = sheet
        self._get_data = get_data
        self._load = load
        self._summary = summary
        self._export = export
        self._store = store
        self.read_only = read_only
        self.case_id: str | None = None
        self.base: int | None = None
        self.opened: Revision | None = None
        #: Shown after opening a case, e.g. that secrets are not saved and must be typed again.
        self.notice = ""
        self.dirty = False
        self._loading = False
        self._timer: Any = None
        self._lock = threading.Lock()

        self.title = widgets.Text(
            placeholder="Case title, e.g. Joint stand with Birch & Bean",
            description="Case",
            layout=widgets.Layout(width="420px"),
        )
        self.title.add_class("coopkit-case-title")
        self.author = widgets.Text(placeholder="your name", description="Author", layout=widgets.Layout(width="240px"))
        self.author.add_class("coopkit-case-author")
        self.notes = widgets.Textarea(
            placeholder="Notes for this case: sources, open questions, decisions",
            layout=widgets.Layout(width="100%", height="80px"),
        )
        self.notes.add_class("coopkit-case-notes")
        for box in (self.title, self.author, self.notes):
            box.observe(self._text_edited, names="value")
        self.save_button = self._button("Save", "Save a new revision of this case", self._on_save, "primary")
        self.new_button = self._button("New", "Start a new case from the current inputs", self._on_new)
        self.export_button = self._button("Export", "Prepare the brief, workbook and case file", self._on_export)
        self.cases = widgets.Dropdown(description="Open", options=[], layout=widgets.Layout(width="420px"))
        self.cases.add_class("coopkit-case-list")
        self.open_button = self._button("Open", "Open the chosen case (its latest revision)", self._on_open)
        self.revisions = widgets.Dropdown(description="Revision", options=[], layout=widgets.Layout(width="420px"))
        self.revisions.add_class("coopkit-revision-list")
        self.revision_button = self._button("Open revision", "Load this revision's inputs", self._on_open_revision)
        self.compare_with = widgets.Dropdown(description="Compare", options=[], layout=widgets.Layout(width="420px"))
        self.compare_with.add_class("coopkit-compare-list")
        self.compare_button = self._button("Compare", "Which inputs changed, how the verdict moved", self._on_compare)
        self.upload = widgets.FileUpload(accept=".json", multiple=False, description="Import case file")
        self.upload.add_class("coopkit-case-import")
        self.upload.observe(self._on_import, names="value")
        self.status = widgets.HTML()
        self.status.add_class("coopkit-case-status")
        self.downloads = widgets.HTML()
        self.downloads.add_class("coopkit-downloads")
        self.comparison = widgets.HTML()
        self.comparison.add_class("coopkit-comparison")
        if read_only:
            self.widget = widgets.VBox([self.status, widgets.HBox([self.export_button, self.downloads])])
        else:
            more = widgets.VBox(
                [
                    widgets.HBox([self.cases, self.open_button, self.upload]),
                    widgets.HBox([self.revisions, self.revision_button]),
                    widgets.HBox([self.compare_with, self.compare_button]),
                    self.comparison,
                    widgets.HTML("<b>Notes</b>"),
                    self.notes,
                ]
            )
            panel = widgets.Accordion(children=[more], titles=("Open, revisions, compare, notes",))
            self.widget = widgets.VBox(
                [
                    widgets.HBox([self.title, self.author, self.save_button, self.new_button, self.export_button]),
                    self.status,
                    self.downloads,
                    panel,
                ]
            )
        self.widget.add_class("coopkit-casebar")
        self._say("Not saved yet. Edits are kept as a draft a few seconds after you stop typing.")
        if not read_only:
            after_page(self._refresh_cases)  # in a kernel: once the page has loaded (coopkit.ui.timing)

    # ---- plumbing ------------------------------------------------------------------------
    @staticmethod
    def _button(text: str, tooltip: str, handler: Callable[[], None], style: str = "") -> widgets.Button:
        button = widgets.Button(description=text, tooltip=tooltip, button_style=style)
        button.add_class(f"coopkit-case-{text.lower().replace(' ', '-')}")
        button.on_click(lambda _b: handler())
        return button

    @property
    def store(self) -> CaseStore:
        if self._store is None:
            from coopkit.store.cases import open_store

            self._store = open_store()
        return self._store

    def _say(self, message: str, level: str = "ok") -> None:
        cls = {"ok": "coopkit-status-ok", "bad": "coopkit-status-invalid", "info": ""}[level]
        self.status.value = f"<div class='coopkit-note {cls}'>{html.escape(message)}</div>"

    def _guard(self, action: str, fn: Callable[[], Any]) -> Any:
        """Run a store action; any failure becomes a message in the bar (the form keeps its values)."""
        try:
            return fn()
        except InputError as exc:
            self._say(f"Could not {action}: {exc}", "bad")
        except Exception as exc:  # the store is a database: it can be away, full or locked
            log.exception("case bar: %s failed", action)
            self._say(f"Could not {action} ({type(exc).__name__}: {exc}). Your inputs are kept in the form.", "bad")
        return None

    def _meta(self) -> dict[str, str]:
        return {
            "title": self.title.value[:MAX_TITLE],
            "notes": self.notes.value[:MAX_NOTES],
            "author": self.author.value[:MAX_AUTHOR],
        }

    # ---- autosave ------------------------------------------------------------------------
    def edited(self) -> None:
        """Tell the bar the inputs changed: schedules a draft save after :data:`AUTOSAVE_SECONDS`."""
        if self._loading or self.read_only:
            return
        self.dirty = True
        self._schedule()

    def _text_edited(self, _change) -> None:
        self.edited()

    def _schedule(self) -> None:
        self._cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            timer = threading.Timer(AUTOSAVE_SECONDS, self.flush)
            timer.daemon = True
            timer.start()
            self._timer = timer
        else:
            self._timer = loop.call_later(AUTOSAVE_SECONDS, self.flush)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def flush(self) -> None:
        """Save the pending edits as a draft revision now (what the autosave timer calls)."""
        self._cancel()
        if self.dirty:
            self._write(draft=True)

    # ---- saving --------------------------------------------------------------------------
    def _write(self, *, draft: bool) -> None:
        with self._lock:
            data, summary = self._get_data(), self._summary()

            def run():
                if self.case_id is None:
                    saved = self.store.create(self.sheet.name, data, summary=summary, draft=draft, **self._meta())
                else:
                    saved = self.store.save(
                        self.case_id, data, base=self.base, summary=summary, draft=draft, **self._meta()
                    )
                return saved

            saved = self._guard("save the case", run)
            if saved is None:
                return
            self.case_id, self.base, self.dirty = saved.case_id, saved.number, False
            if draft:
                message = f"Draft saved as revision {saved.number} at {_now_text()}."
                if saved.newer_than_base:
                    message += " " + saved.message.split(". ", 1)[1]
                self._say(message, "bad" if saved.newer_than_base else "ok")
            else:
                self._say(saved.message, "bad" if saved.newer_than_base else "ok")
            self._refresh_cases()
            self._refresh_revisions()

    def save(self) -> None:
        """Save the current inputs as a new (non-draft) revision."""
        self._cancel()
        self._write(draft=False)

    def _on_save(self) -> None:
        self.save()

    def _on_new(self) -> None:
        self.flush()
        self.case_id, self.base, self.dirty = None, None, False
        self._loading = True
        try:
            self.title.value, self.notes.value = "", ""
        finally:
            self._loading = False
        self.revisions.options, self.compare_with.options = [], []
        self.downloads.value = self.comparison.value = ""
        self._say("New case: the current inputs are kept; Save to store them under a new title.", "info")

    # ---- opening -------------------------------------------------------------------------
    def _refresh_cases(self) -> None:
        infos = self._guard("list the saved cases", lambda: self.store.cases(self.sheet.name)) or []
        self.cases.options = [
            (
                f"{i.revision.title or 'Untitled'} · r{i.head} · {i.updated_at:%Y-%m-%d %H:%M}"
                + (" · draft" if i.revision.draft else ""),
                i.case_id,
            )
            for i in infos
        ]
        if self.case_id in {i.case_id for i in infos}:
            self.cases.value = self.case_id

    def _refresh_revisions(self) -> None:
        if self.case_id is None:
            return
        revs = self._guard("list the revisions", lambda: self.store.revisions(self.case_id)) or []
        choices = [(_label(r), r.number) for r in reversed(revs)]
        self.revisions.options = choices
        self.compare_with.options = choices
        if revs:
            self.revisions.value = revs[-1].number
            self.compare_with.value = revs[-2].number if len(revs) > 1 else revs[-1].number

    def open(self, case_id: str, number: int | None = None) -> Revision | None:
        """Fill the form with a saved revision (default: the latest) and make it the current case.

        Returns the revision, or None (with a message in the bar) when it cannot be opened.
        """
        if self.dirty:
            self.flush()
        rev = self._guard("open the case", lambda: self.store.open(case_id, number))
        if rev is None:
            return None
        if rev.worksheet != self.sheet.name:
            self._say(f"Case {rev.case_id} belongs to another worksheet ({rev.worksheet}).", "bad")
            return None
        self._loading = True
        try:
            self._load(rev.inputs)
            self.title.value, self.author.value, self.notes.value = rev.title, rev.author, rev.notes
        finally:
            self._loading = False
        self.case_id, self.dirty = rev.case_id, False
        self.base = self._guard("read the case", lambda: self.store.head(rev.case_id)) or rev.number
        self.opened = rev
        state = "draft" if rev.draft else "saved"
        self._say(
            f"Opened “{rev.title or 'Untitled'}”, revision {rev.number} ({state} {_when(rev)}"
            + (f" by {rev.author}" if rev.author else "")
            + ").",
            "info",
        )
        self.downloads.value = self.comparison.value = ""
        if self.notice:
            self.status.value += f"<div class='coopkit-note'>{html.escape(self.notice)}</div>"
        if not self.read_only:
            self._refresh_cases()
            self._refresh_revisions()
        return rev

    def _on_open(self) -> None:
        if self.cases.value:
            self.open(self.cases.value)

    def _on_open_revision(self) -> None:
        if self.case_id and self.revisions.value:
            self.open(self.case_id, self.revisions.value)

    def _on_compare(self) -> None:
        if not (self.case_id and self.revisions.value and self.compare_with.value):
            return
        a, b = sorted((self.compare_with.value, self.revisions.value))
        comparison = self._guard("compare the revisions", lambda: self.store.compare(self.case_id, a, b))
        if comparison is None:
            return
        rows = "".join(
            f"<tr><td>{html.escape(c.path)}</td><td>{html.escape(_short(c.before))}</td>"
            f"<td>{html.escape(_short(c.after))}</td></tr>"
            for c in comparison.changes
        )
        body = (
            f"<table class='coopkit-table'><tr><th>Input</th><th>r{a}</th><th>r{b}</th></tr>{rows}</table>"
            if rows
            else "<p>No input changed.</p>"
        )
        self.comparison.value = (
            f"<div class='coopkit-note'><b>r{a} → r{b}</b>: {len(comparison.changes)} input(s) changed; "
            f"verdict {html.escape(comparison.verdict_moved)}.</div>{body}"
        )

    def _on_import(self, change) -> None:
        from coopkit.store.exchange import import_case

        files = change["new"]
        if not files:
            return
        item = files[0]
        self.upload.value = ()  # forget the file (the same one can be chosen again); handled below
        saved = self._guard(
            "import the case file",
            lambda: import_case(self.store, bytes(item["content"]), source=str(item.get("name", "case file"))),
        )
        if saved is not None:
            rev = self.open(saved.case_id)
            if rev is not None:
                self._say(f"Imported as a new case with {saved.number} revision(s).", "ok")

    # ---- export --------------------------------------------------------------------------
    def _on_export(self) -> None:
        from coopkit.report.brief import brief_filename
        from coopkit.store.exchange import export_case

        if not self.read_only and (self.dirty or self.case_id is None):
            self.save()
        if self.case_id is None:
            return

        def build() -> list[tuple[bytes, str, str, str]]:
            number = self.opened.number if self.read_only and self.opened else self.base
            rev = self.store.open(self.case_id, number)
            files = list(self._export(rev)) if self._export else []
            stem = brief_filename(rev.title, rev.number)
            files.append(
                (export_case(self.store, self.case_id).encode(), f"{stem}.json", "application/json", "Case file (JSON)")
            )
            return files

        files = self._guard("export the case", build)
        if files:
            self.downloads.value = " · ".join(download_link(*f) for f in files)


def _short(value: Any) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _now_text() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%H:%M:%S UTC")
