"""The executive brief of a case: one self-contained HTML page to send or print.

The page shows what the worksheet shows (see ``LiveWorksheet.render`` in
:mod:`coopkit.ui.worksheet`): the verdict banner with its headline, the
findings, the worksheet's view (:func:`coopkit.report.views.view`: sections,
charts, sections), the probability, the per-party table, then every input
with its title and unit, the assumptions, the notes and a footer naming the
case, its revision, when it was saved, by whom and by which coopkit.

The page is self-contained: the CSS is inline and each chart is a PNG in a
``data:`` URI with its alt text, so nothing is fetched from the network; a
Content-Security-Policy allows no scripts at all. Every piece of user text
(title, notes, author, party names, inputs) is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

import pandas as pd

import coopkit
from coopkit import options
from coopkit.errors import require
from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report import views
from coopkit.report.case_inputs import InputItem, case_inputs, input_items, ranges_switch

__all__ = ["brief_html", "brief_filename", "saved_text"]

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_PAGE_STYLE = """
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;
max-width:1100px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin:0 0 2px 0}
h2{font-size:1.2em;margin:22px 0 6px 0;border-bottom:1px solid #ddd;padding-bottom:2px}
h3{font-size:1.05em;margin:14px 0 4px 0}
.coopkit-subtitle{color:#555;margin-bottom:10px}
.coopkit-charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px;margin:10px 0}
.coopkit-charts figure{margin:0}
.coopkit-charts figcaption{color:#555;font-size:.85em}
.coopkit-inputs-table td,.coopkit-inputs-table th,.coopkit-inputs-list td,.coopkit-inputs-list th{text-align:left}
.coopkit-inputs-table tr.coopkit-input-section th{text-align:left;background:#f4f4f4}
.coopkit-notes{white-space:pre-wrap;border-left:4px solid #ddd;padding:4px 10px}
footer{margin-top:28px;border-top:1px solid #ddd;padding-top:6px;color:#555;font-size:.85em}
@media print{body{max-width:none;margin:0}.coopkit-charts{display:block}
.coopkit-charts figure,table{break-inside:avoid}h2,h3{break-after:avoid}}
</style>
"""

_RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_STEM = 80


def saved_text(saved_at: dt.datetime | None) -> str:
    """A save time as ISO 8601 in UTC, to the second (a naive time is taken as UTC); "" for None.

    Examples
    --------
    >>> saved_text(dt.datetime(2025, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    '2025-03-01T08:30:00Z'
    >>> saved_text(dt.datetime(2025, 3, 1, 10, 30, 15, 999)), saved_text(None)
    ('2025-03-01T10:30:15Z', '')
    """
    if saved_at is None:
        return ""
    utc = saved_at.replace(tzinfo=dt.UTC) if saved_at.tzinfo is None else saved_at.astimezone(dt.UTC)
    return utc.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def brief_filename(title: str, revision: int | None = None) -> str:
    """A safe file name (without extension) for a case's files: ASCII letters, digits, dashes and underscores.

    Accents are dropped (``é`` becomes ``e``), apostrophes vanish, every other
    run of characters becomes one dash, and the name is cut to 80 characters.
    It never holds a path separator or a dot (so it cannot start with one or
    climb out of a folder); an empty result becomes ``case``, and names
    Windows reserves for devices (``CON``, ``NUL``, ...) get ``case-`` in front.
    Add the extension yourself: ``f"{brief_filename(title, 3)}.html"``.

    Parameters
    ----------
    title : str
        Free text, e.g. the case title.
    revision : int, optional
        Revision number (0 or more), added as ``-r<revision>``.

    Returns
    -------
    str

    Examples
    --------
    >>> brief_filename("Two roasters: Café & Bean's (2025)", 3)
    'Two-roasters-Cafe-Beans-2025-r3'
    >>> brief_filename("../../etc/passwd"), brief_filename(".."), brief_filename(""), brief_filename("CON", 1)
    ('etc-passwd', 'case', 'case', 'case-CON-r1')
    """
    suffix = ""
    if revision is not None:
        require(
            isinstance(revision, int) and not isinstance(revision, bool) and revision >= 0,
            "revision",
            revision,
            "be a whole number, 0 or more",
        )
        suffix = f"-r{revision}"
    plain = re.sub(r"['’`]", "", unicodedata.normalize("NFKD", str(title)))  # "children's" -> "childrens"
    ascii_text = plain.encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_]+", "-", ascii_text).strip("-_")
    stem = stem[: _MAX_STEM - len(suffix)].rstrip("-_") or "case"
    if stem.lower() in _RESERVED_NAMES:
        stem = "case-" + stem
    return stem + suffix


# --------------------------------------------------------------------------- parts of the page
def _sections_html(sections: list[views.Section]) -> str:
    return "".join(
        f"<section class='coopkit-section-{html.escape(s.key, quote=True)}'><h3>{html.escape(s.title)}</h3>{s.html}</section>"
        for s in sections
    )


def _charts_html(charts: list[views.Chart]) -> str:
    from coopkit.report.charts import to_png

    figures = []
    for chart in charts:
        png = to_png(chart.build())
        wide = " coopkit-chart-wide" if chart.wide else ""
        figures.append(
            f"<figure class='coopkit-chart{wide}'>{report_html.image_html(png, chart.alt)}"
            f"<figcaption>{html.escape(chart.alt)}</figcaption></figure>"
        )
    return f"<div class='coopkit-charts'>{''.join(figures)}</div>" if figures else ""


def _probability_html(a: Assessment, model, data: dict) -> str:
    switch = ranges_switch(model)
    ranges = bool(switch and data.get(switch))
    if a.probability is None:
        if switch and not ranges:
            return "<p class='coopkit-note coopkit-monte-carlo'>Point values: no Monte Carlo was run (ranges not used).</p>"
        return ""
    how = ""
    if ranges and isinstance(data.get("draws"), int):
        how = f", across {data['draws']:,} scenarios drawn from the ranges (seed {data.get('seed', 0)})"
    return f"<p class='coopkit-monte-carlo'>{html.escape(a.probability_label)}: <b>{a.probability:.1%}</b>{html.escape(how)}.</p>"


def _format_of(column: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        return "text"
    if pd.api.types.is_integer_dtype(column):
        return "int"
    return "money" if column.abs().max() >= 1_000 else "number"


def _parties_html(a: Assessment, panel: views.View) -> str:
    """The per-party table, unless the view already shows it."""
    shown = any(s.key == "parties" for s in panel.before + panel.after)
    if shown or a.parties.empty or any(a.parties.equals(t) for t in a.tables.values()):
        return ""
    columns = [(c, str(c).replace("_", " ").capitalize(), _format_of(a.parties[c])) for c in a.parties.columns]
    label = str(a.parties.index.name or "party").replace("_", " ").capitalize()
    table = report_html.frame_html(a.parties, columns, css="coopkit-party-table", index_label=label)
    return f"<section class='coopkit-section-parties'><h3>Each party</h3>{table}</section>"


def _scalar_table(rows: list[InputItem]) -> str:
    body, section = [], ""
    for item in rows:
        if item.section != section:
            section = item.section
            body.append(f"<tr class='coopkit-input-section'><th colspan='3'>{html.escape(section)}</th></tr>")
        body.append(
            f"<tr class='coopkit-input-{html.escape(item.name, quote=True)}'><td>{html.escape(item.title)}</td>"
            f"<td class='coopkit-text'>{html.escape(item.text)}</td><td class='coopkit-unit'>{html.escape(item.unit)}</td></tr>"
        )
    return (
        "<table class='coopkit-table coopkit-inputs-table'><thead><tr><th>Input</th><th>Value</th><th>Unit</th></tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _inputs_html(items: list[InputItem]) -> str:
    out: list[str] = []
    pending: list[InputItem] = []
    for item in items:
        if item.table is None:
            pending.append(item)
            continue
        if pending:
            out.append(_scalar_table(pending))
            pending = []
        columns = [(c, c, "text") for c in item.table.columns]
        out.append(
            f"<h3 class='coopkit-input-{html.escape(item.name, quote=True)}'>{html.escape(item.title)}</h3>"
            + report_html.frame_html(item.table, columns, css="coopkit-inputs-list", index_label="#")
        )
    if pending:
        out.append(_scalar_table(pending))
    return "".join(out)


def _footer_html(case_id: str | None, revision: int | None, saved_at: dt.datetime | None, author: str) -> str:
    parts = []
    if case_id:
        parts.append(f"Case <span class='coopkit-case-id'>{html.escape(str(case_id))}</span>")
    if revision is not None:
        parts.append(f"revision <span class='coopkit-revision'>{int(revision)}</span>")
    if saved_at is not None:
        parts.append(f"saved <time class='coopkit-saved'>{saved_text(saved_at)}</time> (UTC)")
    if author:
        parts.append(f"by <span class='coopkit-author'>{html.escape(author)}</span>")
    parts.append(f"coopkit {html.escape(coopkit.__version__)}")
    return f"<footer>{' · '.join(parts)}</footer>"


# --------------------------------------------------------------------------- the page
def brief_html(
    assessment: Assessment,
    *,
    title: str,
    inputs: dict,
    revision: int | None = None,
    saved_at: dt.datetime | None = None,
    author: str = "",
    notes: str = "",
    case_id: str | None = None,
) -> str:
    """The executive brief of one case as a self-contained HTML page.

    Parameters
    ----------
    assessment : Assessment
        The worksheet's result for the case (``sheet.assess(inputs)``).
    title : str
        The case title (free text, escaped).
    inputs : dict
        The case's inputs as saved; missing fields show their defaults.
    revision : int, optional
        Revision number of the saved case.
    saved_at : datetime, optional
        When the revision was saved; shown in UTC (a naive time is taken as UTC).
    author : str, optional
        Who saved it.
    notes : str, optional
        The case notes, shown with their line breaks.
    case_id : str, optional
        The case's identifier in the store.

    Returns
    -------
    str
        A complete HTML5 document (charts embedded as PNG data URIs, CSS inline).

    Examples
    --------
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("win_win_check")
    >>> case = read_case(sample_case(sheet.sample))
    >>> a = sheet.assess(options.validate(sheet.inputs, {**case.inputs, "use_ranges": False})[0])
    >>> page = brief_html(a, title="<b>Roasters</b>", inputs=case.inputs, revision=2, author="Ann")
    >>> page.startswith("<!DOCTYPE html>"), "&lt;b&gt;Roasters&lt;/b&gt;" in page, "<b>Roasters" in page
    (True, True, False)
    >>> "revision <span class='coopkit-revision'>2</span>" in page, "http://" in page or "https://" in page
    (True, False)
    """
    panel = views.view(assessment)
    model, data = case_inputs(assessment.worksheet, inputs)
    sheet_title = options.get(assessment.worksheet).title
    assumptions = "".join(f"<li>{html.escape(s)}</li>" for s in assessment.assumptions)
    notes_html = f"<h2>Notes</h2><div class='coopkit-notes'>{html.escape(notes)}</div>" if notes.strip() else ""
    body = [
        f"<header><h1 class='coopkit-title'>{html.escape(title)}</h1>",
        f"<div class='coopkit-subtitle'>{html.escape(sheet_title)} · executive brief</div></header>",
        report_html.verdict_html(assessment),
        f"<h2>Findings</h2>{report_html.findings_html(assessment)}",
        "<h2>Results</h2>",
        _sections_html(panel.before),
        _charts_html(panel.charts),
        _sections_html(panel.after),
        _probability_html(assessment, model, data),
        _parties_html(assessment, panel),
        "<h2>Inputs and assumptions</h2>",
        _inputs_html(input_items(model, data)),
        f"<h3>Assumptions</h3><ul class='coopkit-assumptions'>{assumptions}</ul>" if assumptions else "",
        notes_html,
        _footer_html(case_id, revision, saved_at, author),
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)} – coopkit brief</title>{report_html.STYLE}{_PAGE_STYLE}</head>\n"
        f"<body class='coopkit-brief'>{''.join(body)}</body></html>\n"
    )
