"""A live worksheet: the generated form, then results that follow every edit.

``worksheet(name)`` is the one call a worksheet notebook makes. The callback
chain is pure: read the form, validate, ``assess()``, render. A problem in the
inputs is shown next to its field and the last good results stay on screen,
marked as out of date; nothing typed is ever reset.

In a kernel (Voila, Jupyter) the verdict, findings and tables are shown as soon
as they are computed and the charts follow: they are drawn one per turn of the
kernel's event loop, the old ones dimmed (``coopkit-stale``) until all the new
ones are ready, and a newer edit supersedes charts still being drawn. Outside a
running event loop (scripts, tests) everything is drawn before anything is shown.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import ipywidgets as widgets

from coopkit import options
from coopkit.errors import InputError
from coopkit.options.base import Assessment, Problem, Worksheet, secret_fields, validate, without_secrets
from coopkit.report import html as report_html
from coopkit.report import views
from coopkit.store.casefile import read_case, sample_case
from coopkit.ui.casebar import CaseBar
from coopkit.ui.forms import Form
from coopkit.ui.timing import after_page

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported when the case bar first uses it
    from coopkit.store.cases import CaseStore, Revision

_UP_TO_DATE = "<div class='coopkit-note coopkit-status-ok'>Results are up to date.</div>"
_REDRAWING = "<div class='coopkit-note coopkit-status-ok'>Results are up to date. Redrawing the charts…</div>"

__all__ = ["LiveWorksheet", "worksheet"]

log = logging.getLogger(__name__)


def _starting_data(sheet: Worksheet, data: dict | None) -> dict:
    if data is not None:
        return data
    if sheet.sample:
        try:
            return read_case(sample_case(sheet.sample)).inputs
        except InputError:
            pass  # no sample shipped (e.g. an installed wheel): start from the model's defaults
    return {}


class LiveWorksheet:
    """A worksheet's widgets and the recompute loop behind them.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole worksheet, to display.
    form : Form
        The generated input form.
    assessment : Assessment or None
        The latest assessment of valid inputs.
    problems : list of Problem
        The problems of the current inputs (empty when valid).
    defer_charts : bool
        In a running event loop (a kernel), show the verdict first and draw the charts after it
        (default True); False draws everything before showing anything.
    """

    def __init__(
        self,
        sheet: Worksheet,
        data: dict | None = None,
        *,
        store: CaseStore | None = None,
        read_only: bool = False,
        cases: bool = True,
        defer_charts: bool = True,
    ) -> None:
        self.sheet = sheet
        self.read_only = read_only
        self.defer_charts = defer_charts
        self.assessment: Assessment | None = None
        self.problems: list[Problem] = []
        self._images: list[widgets.Image] = []  # reused from one render to the next
        self._drawing = 0  # generation of the charts being drawn; a newer render supersedes older ones
        self.status = widgets.HTML()
        self.status.add_class("coopkit-status")
        self.banner = widgets.HTML()
        self.banner.add_class("coopkit-verdict")
        self.findings = widgets.HTML()
        self.findings.add_class("coopkit-findings-box")
        self.sections: dict[str, widgets.HTML] = {}
        self.assumptions = widgets.HTML()
        self.chart_grid = widgets.GridBox(
            layout=widgets.Layout(grid_template_columns="repeat(auto-fit, minmax(420px, 1fr))", grid_gap="8px")
        )
        self.chart_grid.add_class("coopkit-charts")
        self.results = widgets.VBox([self.banner, self.findings, self.chart_grid, self.assumptions])
        self.results.add_class("coopkit-results")
        self.casebar: CaseBar | None = None
        self.form = Form(sheet.inputs, _starting_data(sheet, data), self.update)
        self.update()
        self.widget = widgets.VBox()
        self.widget.add_class("coopkit-worksheet")
        if cases:
            self.add_casebar(store)
        else:
            self.widget.children = self._children()
        if read_only:
            self.widget.add_class("coopkit-read-only")
            _disable(self.form.widget)

    def add_casebar(self, store: CaseStore | None = None) -> None:
        """Put the case bar (save, open, revisions…) above the form; it lists the store's cases now."""
        self.casebar = CaseBar(
            self.sheet,
            self.saved_data,
            self.load,
            self.summary,
            export=self.export,
            store=store,
            read_only=self.read_only,
        )
        secrets = [self.sheet.inputs.model_fields[n].title or n for n in secret_fields(self.sheet.inputs)]
        if secrets:
            self.casebar.notice = (
                f"{' and '.join(secrets)} is never saved with the case: type it again to see the results."
            )
        self.widget.children = self._children()

    def _children(self) -> list[widgets.Widget]:
        return [
            widgets.HTML(report_html.STYLE),
            *([self.casebar.widget] if self.casebar else []),
            widgets.HTML("<h3>Inputs</h3>"),
            self.form.widget,
            widgets.HTML("<h3>Results</h3>"),
            self.status,
            self.results,
        ]

    def saved_data(self) -> dict:
        """The form's data as it is saved: everything typed, except secrets (password fields)."""
        return without_secrets(self.sheet.inputs, self.form.data())

    def load(self, data: dict) -> None:
        """Refill the form with ``data`` (e.g. a saved revision's inputs) and recompute."""
        self.form = Form(self.sheet.inputs, data, self.update)
        if self.read_only:
            _disable(self.form.widget)
        self.widget.children = self._children()
        self.update()

    def summary(self) -> dict:
        """Headline figures of the current inputs, for the store (see :mod:`coopkit.store.summary`)."""
        from coopkit.store.summary import summary_of, unassessed

        if self.problems or self.assessment is None:
            return unassessed(self.sheet.name, [p.message for p in self.problems])
        return summary_of(self.assessment)

    def export(self, rev: Revision) -> list[tuple[bytes, str, str, str]]:
        """The executive brief (HTML) and the workbook (Excel) of a saved revision, as download files."""
        from coopkit.report.export import revision_files

        return [tuple(f) for f in revision_files(rev)]

    def update(self) -> None:
        """Validate the form, assess, and render; on a problem, show it and keep the last results."""
        inputs, problems = validate(self.sheet.inputs, self.form.data())
        if inputs is not None:
            try:
                assessment = self.sheet.assess(inputs)
            except InputError as exc:
                problems = [Problem((), str(exc))]
            except Exception as exc:  # a bug must not escape the widget callback: say so, keep the inputs
                log.exception("assessing the %s worksheet failed", self.sheet.name)
                problems = [Problem((), f"The results could not be computed ({type(exc).__name__}: {exc})")]
        self.problems = problems
        self.form.show_problems(problems)
        if problems:
            count = len(problems)
            self._stale(
                f"⚠ {count} input{'s need' if count > 1 else ' needs'} fixing (see the messages above). "
                "The results below are for the last valid inputs."
            )
            self._edited()  # an invalid draft is saved too: nothing typed is lost
            return
        try:
            self.render(assessment)
        except Exception as exc:  # a bug must not leave a half-updated page that claims to be current
            log.exception("rendering the %s worksheet failed", self.sheet.name)
            self._stale(
                f"⚠ The results could not be drawn ({type(exc).__name__}: {exc}). Your inputs are kept; "
                "the results below are for the last inputs that could be drawn."
            )
            self._edited()
            return
        self.assessment = assessment
        self.results.remove_class("coopkit-stale")
        self.status.value = _REDRAWING if "coopkit-stale" in self.chart_grid._dom_classes else _UP_TO_DATE
        self._edited()

    def _edited(self) -> None:
        if self.casebar is not None:
            self.casebar.edited()

    def _stale(self, message: str) -> None:
        self.status.value = f"<div class='coopkit-note coopkit-status-invalid'>{html.escape(message)}</div>"
        self.results.add_class("coopkit-stale")

    def _section(self, key: str) -> widgets.HTML:
        if key not in self.sections:
            box = widgets.HTML()
            box.add_class(f"coopkit-section-{key}")
            self.sections[key] = box
        return self.sections[key]

    def render(self, a: Assessment) -> None:
        """Show an assessment: banner, findings, the worksheet's tables and charts, assumptions.

        What is shown together is built first and shown only when all of it succeeded, so a
        failure never leaves new numbers beside old charts: outside an event loop the charts
        are drawn before anything is shown; in a kernel the verdict, findings and tables are
        shown at once and the old charts are dimmed until the new ones are all drawn
        (:meth:`_draw_charts`), or removed if they cannot be.
        """
        panel = views.view(a)
        values = {
            self.banner: report_html.verdict_html(a),
            self.findings: report_html.findings_html(a),
            self.assumptions: "<div class='coopkit-note'><b>Assumptions.</b> "
            + " ".join(html.escape(s) for s in a.assumptions)
            + "</div>",
        }
        before = [(self._section(s.key), s) for s in panel.before]
        after = [(self._section(s.key), s) for s in panel.after]
        for box, section in before + after:
            values[box] = f"<h4>{html.escape(section.title)}</h4>{section.html}"
        self._drawing += 1
        later = self._later()
        if later is None:
            self._show_charts(_draw_all(panel.charts), panel.charts)
            self.chart_grid.remove_class("coopkit-stale")
        for box, value in values.items():
            box.value = value
        self.results.children = [
            self.banner,
            self.findings,
            *(box for box, _ in before),
            self.chart_grid,
            *(box for box, _ in after),
            self.assumptions,
        ]
        if later is not None:
            self.chart_grid.add_class("coopkit-stale")
            self._draw_charts(panel.charts, self._drawing, later)

    def _later(self) -> Callable[[Callable[[], None]], object] | None:
        """How to run a step on the next turn of the kernel's event loop; None to draw now."""
        if not self.defer_charts:
            return None
        try:
            return asyncio.get_running_loop().call_soon
        except RuntimeError:  # no event loop (a script, a test): draw now
            return None

    def _draw_charts(self, charts: list[views.Chart], generation: int, later) -> None:
        """Draw the charts one per turn of the event loop (widget messages are answered in between).

        The first turn imports the plotting libraries. When all charts are drawn they replace
        the old ones together. A newer render (``generation``) stops this one. If a chart cannot
        be drawn, the charts are removed (none is left beside figures it does not show) and the
        status line says why.
        """
        pngs: list[bytes] = []

        def step(k: int) -> None:
            if generation != self._drawing:
                return
            try:
                if k == 0:  # matplotlib's first import takes a turn of its own
                    import matplotlib.backends.backend_agg
                    import matplotlib.figure  # noqa: F401
                else:
                    pngs.append(_draw_one(charts[k - 1]))
                if k < len(charts):
                    later(lambda: step(k + 1))
                    return
                self._show_charts(pngs, charts)
            except Exception as exc:  # a bug must not escape the event loop: say so, keep the figures
                log.exception("drawing the charts of the %s worksheet failed", self.sheet.name)
                self.chart_grid.children = ()
                if not self.problems:
                    message = (
                        f"⚠ The charts could not be drawn ({type(exc).__name__}: {exc}). Your inputs are kept; "
                        "the figures above are up to date."
                    )
                    self.status.value = f"<div class='coopkit-note coopkit-status-invalid'>{html.escape(message)}</div>"
            else:
                if not self.problems:
                    self.status.value = _UP_TO_DATE
            self.chart_grid.remove_class("coopkit-stale")

        after_page(lambda: step(0))  # at once when a page is connected; else once it has fetched its widgets

    def _show_charts(self, pngs: list[bytes], charts: list[views.Chart]) -> None:
        """Put the drawn charts in the grid, reusing its image widgets (a changed image sends only its bytes)."""
        while len(self._images) < len(pngs):
            image = widgets.Image(format="png", layout=widgets.Layout(width="100%", height="auto"))
            image.add_class("coopkit-chart")  # no alt text in Image; each title states a finding
            self._images.append(image)
        for image, png, chart in zip(self._images, pngs, charts, strict=False):
            image.value = png
            if chart.wide:
                image.add_class("coopkit-chart-wide")  # spans the whole grid row (see report.html.STYLE)
            else:
                image.remove_class("coopkit-chart-wide")
        self.chart_grid.children = self._images[: len(pngs)]


def _draw_one(chart: views.Chart) -> bytes:
    from coopkit.report.charts import to_png

    return to_png(chart.build())


def _draw_all(charts: list[views.Chart]) -> list[bytes]:
    return [_draw_one(chart) for chart in charts]


def _disable(widget: widgets.Widget) -> None:
    """Make every control under ``widget`` read-only (an executive's view of a saved case)."""
    if hasattr(widget, "disabled"):
        widget.disabled = True
    for child in getattr(widget, "children", ()):
        _disable(child)


def request_query() -> dict[str, str]:
    """The page's query parameters under Voila (``?case=ID``), ``{}`` elsewhere.

    A preheated Voila kernel runs the notebook before anyone asks for the page; it learns the
    query string only when the page is requested (``voila.utils.get_query_string`` waits for it).

    Examples
    --------
    >>> request_query()  # not under Voila
    {}
    """
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string

        query = get_query_string() or ""
    else:
        query = os.environ.get("QUERY_STRING", "")
    return {k: v[0] for k, v in parse_qs(query).items() if v}


def worksheet(name: str, data: dict | None = None, *, case: str | None = None) -> widgets.Widget:
    """The interactive worksheet ``name``, filled with ``data`` or the worksheet's sample case.

    Under Voila, ``?case=ID`` opens a saved case read-only (an executive's link) and
    ``?case=ID&edit=1`` opens it for editing.

    Parameters
    ----------
    name : str
        A registered worksheet, e.g. ``"win_win_check"`` (see ``coopkit.options.names()``).
    data : dict, optional
        Inputs to start from; default: the sample case in ``data/samples/``.
    case : str, optional
        A saved case to open for editing (default: the page's ``?case=``, if any).

    Returns
    -------
    ipywidgets.Widget
        Display it (the last expression of a notebook cell).

    Examples
    --------
    >>> w = worksheet("win_win_check")
    >>> "coopkit-worksheet" in w._dom_classes
    True
    """
    sheet = options.get(name)
    ready = None
    if os.environ.get("VOILA_PREHEAT") == "True":
        # A preheated kernel runs this before anyone asks for the page, then waits for the visit
        # (request_query): build the page a first visitor sees, charts included, while it waits.
        # The case bar is added when the visit arrives, so it lists the cases saved by then.
        ready = LiveWorksheet(sheet, data, cases=False, defer_charts=False)
        import coopkit.store.cases  # noqa: F401  (the case bar's store, imported before the visit too)
    query = request_query()
    read_only = case is None and "case" in query and query.get("edit") != "1"
    if ready is not None and not read_only:
        live = ready
        live.defer_charts = True
        live.add_casebar()
    else:
        live = LiveWorksheet(sheet, data, read_only=read_only)
    case = case or query.get("case")
    if case and live.casebar is not None:
        if live.casebar.open(case, _revision(query.get("revision"))) is None:
            live.status.value = (
                "<div class='coopkit-note coopkit-status-invalid'>The case asked for could not be opened "
                "(see the message above); the worksheet shows its sample instead.</div>"
            )
    return live.widget


def _revision(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 9 else None
