"""A live worksheet: the generated form, then results that follow every edit.

``worksheet(name)`` is the one call a worksheet notebook makes. The callback
chain is pure: read the form, validate, ``assess()``, render. A problem in the
inputs is shown next to its field and the last good results stay on screen,
marked as out of date; nothing typed is ever reset.
"""

from __future__ import annotations

import html
import logging

import ipywidgets as widgets

from coopkit import options
from coopkit.errors import InputError
from coopkit.options.base import Assessment, Problem, Worksheet, validate
from coopkit.report import html as report_html
from coopkit.report import views
from coopkit.store.casefile import read_case, sample_case
from coopkit.ui.forms import Form

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
    """

    def __init__(self, sheet: Worksheet, data: dict | None = None) -> None:
        self.sheet = sheet
        self.assessment: Assessment | None = None
        self.problems: list[Problem] = []
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
        self.form = Form(sheet.inputs, _starting_data(sheet, data), self.update)
        self.widget = widgets.VBox(
            [
                widgets.HTML(report_html.STYLE),
                widgets.HTML("<h3>Inputs</h3>"),
                self.form.widget,
                widgets.HTML("<h3>Results</h3>"),
                self.status,
                self.results,
            ]
        )
        self.widget.add_class("coopkit-worksheet")
        self.update()

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
            return
        try:
            self.render(assessment)
        except Exception as exc:  # a bug must not leave a half-updated page that claims to be current
            log.exception("rendering the %s worksheet failed", self.sheet.name)
            self._stale(
                f"⚠ The results could not be drawn ({type(exc).__name__}: {exc}). Your inputs are kept; "
                "the results below are for the last inputs that could be drawn."
            )
            return
        self.assessment = assessment
        self.results.remove_class("coopkit-stale")
        self.status.value = "<div class='coopkit-note coopkit-status-ok'>Results are up to date.</div>"

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

        Everything is built first and shown only when all of it succeeded, so a
        failure never leaves new numbers beside old charts.
        """
        from coopkit.report.charts import to_png

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
        pngs = [to_png(chart.build()) for chart in panel.charts]
        images = []
        for png, chart in zip(pngs, panel.charts, strict=True):  # no alt text in Image; each title states a finding
            image = widgets.Image(
                value=png,
                format="png",
                layout=widgets.Layout(width="100%", height="auto"),
            )
            image.add_class("coopkit-chart")
            if chart.wide:
                image.add_class("coopkit-chart-wide")  # spans the whole grid row (see report.html.STYLE)
            images.append(image)
        for box, value in values.items():
            box.value = value
        self.chart_grid.children = images
        self.results.children = [
            self.banner,
            self.findings,
            *(box for box, _ in before),
            self.chart_grid,
            *(box for box, _ in after),
            self.assumptions,
        ]


def worksheet(name: str, data: dict | None = None) -> widgets.Widget:
    """The interactive worksheet ``name``, filled with ``data`` or the worksheet's sample case.

    Parameters
    ----------
    name : str
        A registered worksheet, e.g. ``"win_win_check"`` (see ``coopkit.options.names()``).
    data : dict, optional
        Inputs to start from; default: the sample case in ``data/samples/``.

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
    return LiveWorksheet(options.get(name), data).widget
