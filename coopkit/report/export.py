"""A saved revision as the files an executive takes away: the brief (HTML) and the workbook (Excel).

Used by the worksheets' Export button and by ``coopkit export``; both write the
same files. A revision is re-assessed from its saved inputs, so the brief always
matches the inputs it lists.

Examples
--------
>>> from coopkit.store.cases import CaseStore
>>> from coopkit.store.casefile import read_case, sample_case
>>> store = CaseStore("sqlite://")
>>> cid = store.create("win_win_check", read_case(sample_case("win_win_two_party.json")).inputs, title="Pilot").case_id
>>> [f.name for f in revision_files(store.open(cid))]
['Pilot-r1.html', 'Pilot-r1.xlsx']
"""

from __future__ import annotations

from typing import NamedTuple

from coopkit import options
from coopkit.errors import InputError
from coopkit.options.base import validate
from coopkit.report.brief import brief_filename, brief_html
from coopkit.report.excel import workbook_xlsx
from coopkit.store.cases import Revision

__all__ = ["ExportFile", "revision_files", "KINDS"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The export kinds: file suffix -> (MIME type, label).
KINDS = {"html": ("text/html", "Executive brief (HTML)"), "xlsx": (XLSX, "Workbook (Excel)")}


class ExportFile(NamedTuple):
    """One exported file: its bytes, a safe file name, its MIME type and a label for a button."""

    data: bytes
    name: str
    mime: str
    label: str


def revision_files(rev: Revision, kinds: tuple[str, ...] = ("html", "xlsx")) -> list[ExportFile]:
    """The brief and/or workbook of a saved revision.

    Parameters
    ----------
    rev : Revision
        A revision from :class:`coopkit.store.cases.CaseStore`.
    kinds : tuple of {"html", "xlsx"}

    Raises
    ------
    InputError
        When the revision's inputs do not validate (a draft saved mid-edit has no results to brief).
    """
    sheet = options.get(rev.worksheet)
    inputs, problems = validate(sheet.inputs, rev.inputs)
    if inputs is None:
        raise InputError(
            f"revision {rev.number}",
            "; ".join(p.message for p in problems[:3]),
            "have valid inputs to be exported (fix them in the worksheet and save)",
        )
    a = sheet.assess(inputs)
    meta = {
        "title": rev.title or sheet.title,
        "inputs": rev.inputs,
        "revision": rev.number,
        "saved_at": rev.saved_at,
        "author": rev.author,
        "notes": rev.notes,
        "case_id": rev.case_id,
    }
    stem = brief_filename(rev.title or sheet.title, rev.number)
    out = []
    for kind in kinds:
        if kind not in KINDS:
            raise InputError("export kind", kind, f"be one of {', '.join(KINDS)}")
        data = brief_html(a, **meta).encode() if kind == "html" else workbook_xlsx(a, **meta)
        out.append(ExportFile(data, f"{stem}.{kind}", *KINDS[kind]))
    return out
