"""The portfolio as an HTML table for the executive dashboard, each case linked to its worksheet.

Every user text (titles, party names, authors, flags) passes through
:func:`html.escape` before it reaches the page, so a case called
``<script>alert(1)</script>`` shows as text. Each title links to the case's
read-only page: its worksheet's notebook under Voila with ``?case=<id>``
(see :func:`coopkit.ui.worksheet.worksheet`).

Examples
--------
>>> from coopkit.store.cases import CaseStore
>>> from coopkit.report.portfolio import EXAMPLE_SUMMARY, portfolio_table
>>> store = CaseStore("sqlite://")
>>> _ = store.create("win_win_check", {}, title="Pooled imports", summary=EXAMPLE_SUMMARY)
>>> "frameworks/win_win_check.ipynb?case=" in portfolio_html(portfolio_table(store.cases()))
True
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import urllib.parse
from collections.abc import Callable

import pandas as pd

from coopkit.errors import InputError
from coopkit.paths import notebooks_dir
from coopkit.report.html import money
from coopkit.report.portfolio import NONE
from coopkit.store.cases import check_case_id

__all__ = ["portfolio_html", "case_url", "worksheet_notebooks", "PORTFOLIO_STYLE"]

#: CSS of the portfolio table (with :data:`coopkit.report.html.STYLE`).
PORTFOLIO_STYLE = """
<style>
.coopkit-portfolio-wrap{overflow-x:auto;max-width:100%}
.coopkit-portfolio{font-size:.92em}
.coopkit-portfolio td,.coopkit-portfolio th{vertical-align:top;line-height:1.35}
.coopkit-portfolio th{text-align:left;vertical-align:bottom}
.coopkit-portfolio th.coopkit-num{text-align:right}
.coopkit-portfolio td.coopkit-text{text-align:left;max-width:20em}
.coopkit-portfolio td.coopkit-col-title{min-width:14em}
.coopkit-portfolio td.coopkit-col-antitrust{min-width:11em;max-width:16em}
.coopkit-portfolio td.coopkit-col-gains{min-width:13em}
.coopkit-portfolio .coopkit-col-value,.coopkit-portfolio .coopkit-col-updated{white-space:nowrap}
.coopkit-portfolio td.coopkit-col-probability{min-width:7em;max-width:12em}
.coopkit-portfolio .coopkit-level-dot{font-weight:700;margin-right:4px}
.coopkit-portfolio .coopkit-dot-good{color:#029E73}
.coopkit-portfolio .coopkit-dot-caution{color:#DE8F05}
.coopkit-portfolio .coopkit-dot-bad{color:#D55E00}
.coopkit-portfolio .coopkit-dot-none{color:#777}
.coopkit-portfolio .coopkit-draft-badge{font-size:.8em;border:1px solid #999;border-radius:3px;padding:0 4px;margin-left:4px;color:#555}
.coopkit-portfolio tr.coopkit-draft td{color:#555}
.coopkit-portfolio .coopkit-case-id{display:block;color:#777;font-size:.8em}
.coopkit-portfolio-empty{padding:12px 0}
</style>
"""


# --------------------------------------------------------------------------- links to the cases
_CALL = re.compile(r"""\bworksheet\(\s*["']([A-Za-z0-9_]+)["']""")


@functools.cache
def worksheet_notebooks() -> dict[str, str]:
    """Which notebook shows each worksheet: registry name -> path under ``notebooks/`` (``/`` separated).

    Found by reading the code cells of ``notebooks/**/*.ipynb`` for the ``worksheet("name")``
    call; the reference notebooks (worked examples, read-only) are not worksheets and are left out.
    Read once per process.

    Examples
    --------
    >>> worksheet_notebooks()["joint_purchasing"]
    'options/03_joint_purchasing.ipynb'
    """
    root = notebooks_dir()
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.ipynb")):
        parts = path.relative_to(root).parts
        if ".ipynb_checkpoints" in parts or parts[0] == "reference":
            continue
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                for name in _CALL.findall("".join(source) if isinstance(source, list) else str(source)):
                    found.setdefault(name, "/".join(parts))
    return found


def case_url(worksheet: str, case_id: str, *, base: str = "../") -> str:
    """The link that opens a saved case in its worksheet: the notebook's Voila page with ``?case=<id>``.

    Parameters
    ----------
    worksheet : str
        The case's worksheet (registry name).
    case_id : str
        The case id, 16 hexadecimal digits (checked).
    base : str
        The path from the page that links to the ``notebooks/`` folder as Voila serves it
        (``/voila/render/``). The dashboard is ``notebooks/executive/portfolio.ipynb``, served at
        ``/voila/render/executive/portfolio.ipynb``, hence ``"../"``. A relative link keeps
        working behind a proxy that adds a prefix (JupyterHub's ``/user/<name>/``).

    Returns
    -------
    str
        E.g. ``"../options/03_joint_purchasing.ipynb?case=0123456789abcdef"``.

    Examples
    --------
    >>> case_url("joint_purchasing", "0123456789ABCDEF")
    '../options/03_joint_purchasing.ipynb?case=0123456789abcdef'
    >>> case_url("joint_purchasing", "1 OR 1=1")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: case id must be 16 hexadecimal digits (as in ?case=0123456789abcdef), got '1 OR 1=1'
    """
    case_id = check_case_id(case_id)
    notebooks = worksheet_notebooks()
    if worksheet not in notebooks:
        raise InputError("worksheet", worksheet, "be one that has a notebook under notebooks/ (none calls it)")
    path = urllib.parse.quote(notebooks[worksheet], safe="/")
    return f"{base}{path}?{urllib.parse.urlencode({'case': case_id})}"


# --------------------------------------------------------------------------- HTML
def _cell(text: str, css: str = "", title: str = "") -> str:
    extra = f" title='{html.escape(title, quote=True)}'" if title else ""
    return f"<td class='coopkit-col-{css} coopkit-text'{extra}>{html.escape(text)}</td>"


def _number_cell(value: float, text: str, css: str) -> str:
    neg = " coopkit-neg" if not math.isnan(value) and value < 0 else ""
    return f"<td class='coopkit-col-{css}{neg}'>{html.escape(text)}</td>"


def _title_cell(row: pd.Series, link: Callable[[str, str], str | None] | None) -> str:
    title = str(row["title"]).strip()
    shown = html.escape(title) if title else "<i>Untitled case</i>"
    href = None
    if link is not None:
        try:
            href = link(str(row["worksheet"]), str(row["case_id"]))
        except InputError:  # no notebook for this worksheet, or a malformed id: show the title without a link
            href = None
    if href:
        shown = f"<a href='{html.escape(href, quote=True)}' target='_blank' rel='noopener'>{shown}</a>"
    badge = "<span class='coopkit-draft-badge'>draft</span>" if row["draft"] else ""
    case = f"<span class='coopkit-case-id'>{html.escape(str(row['case_id']))}, revision {int(row['revision'])}</span>"
    return f"<td class='coopkit-col-title coopkit-text'>{shown}{badge}{case}</td>"


def _verdict_cell(row: pd.Series) -> str:
    level = str(row["level"])
    dot = {"good": "✔", "caution": "⚠", "bad": "✖"}.get(level, "•")
    css = level if level in ("good", "caution", "bad") else "none"
    return (
        f"<td class='coopkit-col-verdict coopkit-text' data-level='{html.escape(level, quote=True)}'>"
        f"<span class='coopkit-level-dot coopkit-dot-{css}'>{dot}</span>{html.escape(str(row['verdict']))}</td>"
    )


def _row_html(row: pd.Series, link) -> str:
    value = float(row["value_created"])
    currency = str(row["currency"])
    value_text = NONE if math.isnan(value) else f"{money(value)} {currency}".strip()
    p = float(row["probability"])
    p_text = NONE if math.isnan(p) else f"{p:.0%} {row['probability_label']}".strip()
    growth = float(row["market_growth"])
    growth_text = NONE if math.isnan(growth) else f"{growth:.0%} growth"
    flags = int(row["antitrust_count"])
    first = str(row["antitrust_first"])
    flag_text = "none" if flags == 0 else f"{flags}: {first[:90]}{'…' if len(first) > 90 else ''}"
    draft = " coopkit-draft" if row["draft"] else ""
    return (
        f"<tr class='coopkit-portfolio-row{draft}' data-case='{html.escape(str(row['case_id']), quote=True)}'>"
        + _title_cell(row, link)
        + _cell(str(row["option"]), "option")
        + _cell(str(row["partners"]), "partners")
        + _verdict_cell(row)
        + _cell(str(row["gains"]), "gains")
        + _number_cell(value, value_text, "value")
        + _number_cell(p, p_text, "probability")
        + _cell(str(row["reputation"]), "reputation")
        + _cell(growth_text, "growth")
        + _cell(flag_text, "antitrust", title=first if flags else "")
        + _cell(row["updated_at"].strftime("%Y-%m-%d %H:%M UTC"), "updated")
        + _cell(str(row["author"]) or NONE, "author")
        + "</tr>"
    )


_HEADERS = (
    "Case",
    "Option",
    "Partner(s)",
    "Verdict",
    "Gain per party (per year)",
    "Value created (per year)",
    "Probability",
    "Reputation risk",
    "Market effect",
    "Competition-law flags",
    "Last change",
    "Author",
)


def portfolio_html(
    table: pd.DataFrame, link: Callable[[str, str], str | None] | None = case_url, *, max_rows: int = 500
) -> str:
    """The portfolio as an HTML table, every user text escaped; each title links to its case.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`coopkit.report.portfolio.portfolio_table` (filtered and sorted as wished).
    link : callable, optional
        ``link(worksheet, case_id)`` returns the title's link, or None for no link; a
        :class:`~coopkit.errors.InputError` it raises also means no link. Default :func:`case_url`.
    max_rows : int
        At most this many rows are drawn (a note says how many more match).

    Returns
    -------
    str
        A ``<table class='coopkit-table coopkit-portfolio'>`` inside a scrolling ``<div>``, or a
        note when there are no cases.

    Examples
    --------
    >>> from coopkit.store.cases import CaseStore
    >>> from coopkit.report.portfolio import EXAMPLE_SUMMARY, portfolio_table
    >>> store = CaseStore("sqlite://")
    >>> _ = store.create("win_win_check", {}, title="<script>alert(1)</script>", summary=EXAMPLE_SUMMARY)
    >>> page = portfolio_html(portfolio_table(store.cases()))
    >>> "&lt;script&gt;alert(1)&lt;/script&gt;" in page, "<script>" in page, "?case=" in page
    (True, False, True)
    >>> portfolio_html(portfolio_table([]))
    "<div class='coopkit-note coopkit-portfolio-empty'>No cases to show.</div>"
    """
    if table.empty:
        return "<div class='coopkit-note coopkit-portfolio-empty'>No cases to show.</div>"
    shown = table.head(max_rows)
    head = "".join(
        f"<th class='coopkit-num'>{html.escape(h)}</th>"
        if h.startswith(("Value", "Probability"))
        else f"<th>{html.escape(h)}</th>"
        for h in _HEADERS
    )
    rows = "".join(_row_html(row, link) for _, row in shown.iterrows())
    more = (
        f"<div class='coopkit-note'>The first {max_rows:,} of {len(table):,} cases are shown: narrow the filters.</div>"
        if len(table) > max_rows
        else ""
    )
    return (
        f"<div class='coopkit-portfolio-wrap'><table class='coopkit-table coopkit-portfolio'>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>{more}"
    )
