"""The executive dashboard: every saved case on one page, filtered, sorted and charted.

``dashboard()`` is the one call ``notebooks/executive/portfolio.ipynb`` makes.
It reads the case store (:mod:`coopkit.store.cases`) and shows each case's
saved summary (:mod:`coopkit.report.portfolio`, shown by ``portfolio_html`` and
``portfolio_charts``): nothing is re-assessed, so
the page stays fast with hundreds of cases. Filters and sorts only re-draw
what was read; the Refresh button reads the store again.

A store that cannot be read (no database yet, a wrong URL, a server that does
not answer) gives a message on the page, never a traceback.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path

import ipywidgets as widgets
import sqlalchemy as sa

from coopkit.report import html as report_html
from coopkit.report.portfolio import LEVELS, filter_portfolio, portfolio_table, sort_portfolio
from coopkit.report.portfolio_charts import value_risk_figure
from coopkit.report.portfolio_html import PORTFOLIO_STYLE, portfolio_html
from coopkit.store.cases import CaseInfo, default_url, open_store

__all__ = ["Dashboard", "dashboard", "read_cases"]

log = logging.getLogger(__name__)

_SORT_LABELS = {
    "Last change": "last change",
    "Value created": "value created",
    "P(win-win)": "P(win-win)",
    "Risk": "risk",
}


def _shown_url(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(a URL that could not be parsed)"


def read_cases(url: str | None = None) -> tuple[list[CaseInfo] | None, str]:
    """Every case in the store, or None and a sentence saying why they could not be read.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL of the store; default :func:`coopkit.store.cases.default_url`
        (``$COOPKIT_DATABASE_URL``, else SQLite in ``$COOPKIT_WORKSPACE``).

    Returns
    -------
    (list of CaseInfo or None, str)
        The cases and ``""``; or None and the message to show. An SQLite file that does
        not exist is not created here: it means no case has been saved yet.

    Examples
    --------
    >>> import tempfile
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/cases.sqlite"
    >>> cases, message = read_cases(url)
    >>> cases, message.startswith("No case has been saved yet: there is no case database at")
    (None, True)
    >>> _ = open_store(url).create("win_win_check", {}, title="Pilot")
    >>> [c.revision.title for c in read_cases(url)[0]]
    ['Pilot']
    >>> cases, message = read_cases("nosuchdb://user:secret@host/db")
    >>> cases is None, "secret" in message, message.startswith("The case database could not be read")
    (True, False, True)
    """
    url = url or default_url()
    try:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            path = Path(parsed.database).expanduser()
            if not path.is_file():
                return None, (
                    f"No case has been saved yet: there is no case database at {path}. "
                    "Save a case from any worksheet and it appears here."
                )
        return open_store(url).cases(), ""
    except (sa.exc.SQLAlchemyError, ImportError, OSError, ValueError) as exc:
        # info, not warning: a warning would be printed under the cell, i.e. on the page, in Voila
        log.info("reading the case store %s failed", _shown_url(url), exc_info=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return None, (
            f"The case database could not be read ({_shown_url(url)}): {type(exc).__name__}"
            f"{': ' + first[:300] if first else ''}. Check COOPKIT_DATABASE_URL or COOPKIT_WORKSPACE."
        )


def _dropdown(options: list[tuple[str, str]], description: str, css: str, width: str = "18em") -> widgets.Dropdown:
    box = widgets.Dropdown(
        options=options,
        value=options[0][1],
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=width),
    )
    box.add_class(css)
    return box


class Dashboard:
    """The dashboard's widgets and the state behind them.

    Parameters
    ----------
    url : str, optional
        The case store's SQLAlchemy URL; default :func:`coopkit.store.cases.default_url`.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole page, to display.
    table : pandas.DataFrame
        Every case read (:func:`coopkit.report.portfolio.portfolio_table`).
    shown : pandas.DataFrame
        The cases the filters keep, in the chosen order.

    Examples
    --------
    >>> import tempfile
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/cases.sqlite"
    >>> _ = open_store(url)  # an empty store
    >>> Dashboard(url).count.value
    "<div class='coopkit-portfolio-count'>No cases saved yet.</div>"
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url
        self.table = portfolio_table([])
        self.shown = self.table
        self._fingerprint: tuple | None = None
        self._problem = ""
        self._quiet = False  # True while the option choices are replaced (one redraw, not two)
        self.option = _dropdown([("All options", "")], "Option", "coopkit-portfolio-option", "22em")
        self.level = _dropdown(
            [("Any verdict", ""), *((label, key) for key, label in LEVELS.items())],
            "Verdict",
            "coopkit-portfolio-level",
        )
        self.sort = _dropdown(list(_SORT_LABELS.items()), "Sort by", "coopkit-portfolio-sort", "14em")
        self.search = widgets.Text(
            value="",
            placeholder="title, partner or author, then Enter",
            description="Search",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="24em"),
        )
        self.search.add_class("coopkit-portfolio-search")
        self.refresh = widgets.Button(description="Refresh", icon="refresh", tooltip="Read the saved cases again")
        self.refresh.add_class("coopkit-portfolio-refresh")
        self.message = widgets.HTML()
        self.message.add_class("coopkit-portfolio-message")
        self.count = widgets.HTML()
        self.count.add_class("coopkit-portfolio-count-box")
        self.chart = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="860px", height="auto"))
        self.chart.add_class("coopkit-chart")
        self.chart.add_class("coopkit-portfolio-chart")
        self.cases = widgets.HTML()
        self.cases.add_class("coopkit-portfolio-cases")
        controls = widgets.HBox(
            [self.option, self.level, self.search, self.sort, self.refresh],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center", grid_gap="6px"),
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(report_html.STYLE + PORTFOLIO_STYLE),
                controls,
                self.message,
                self.count,
                self.chart,
                self.cases,
            ]
        )
        self.widget.add_class("coopkit-dashboard")
        for box in (self.option, self.level, self.sort, self.search):
            box.observe(self._changed, names="value")
        self.refresh.on_click(lambda _button: self.load())
        self.load()

    # ---- reading ------------------------------------------------------------------------
    def load(self) -> None:
        """Read the store again and re-draw (the Refresh button); an unreadable store shows a message."""
        infos, problem = read_cases(self.url)
        self._problem = problem
        if infos is None:
            self.message.value = f"<div class='coopkit-note coopkit-error-text'>{html.escape(problem)}</div>"
            infos = []
        else:
            self.message.value = ""
        fingerprint = tuple((i.case_id, i.head, i.updated_at) for i in infos)
        if fingerprint == self._fingerprint and infos:
            return  # nothing changed since the last read: keep what is drawn
        self._fingerprint = fingerprint
        self.table = portfolio_table(infos)
        self._option_choices()
        self.show()

    def _option_choices(self) -> None:
        present = self.table.drop_duplicates("worksheet").sort_values("option")
        choices = [("All options", ""), *zip(present["option"], present["worksheet"], strict=True)]
        current = self.option.value
        self._quiet = True
        try:
            self.option.options = choices
            self.option.value = current if current in {v for _, v in choices} else ""
        finally:
            self._quiet = False

    # ---- drawing ------------------------------------------------------------------------
    def _changed(self, _change=None) -> None:
        if not self._quiet:
            self.show()

    def show(self) -> None:
        """Apply the filters and the sort to the cases read, and draw the count, the chart and the table."""
        self.shown = sort_portfolio(
            filter_portfolio(
                self.table,
                option=self.option.value or None,
                verdict_level=self.level.value or None,
                text=self.search.value,
            ),
            self.sort.value,
        )
        total, n = len(self.table), len(self.shown)
        if total == 0:
            count = "" if self._problem else "No cases saved yet."
        else:
            count = f"Showing {n:,} of {total:,} case{'s' if total != 1 else ''}"
            drafts = int(self.shown["draft"].sum())
            if drafts:
                count += f" ({drafts:,} saved only as draft{'s' if drafts != 1 else ''})"
            count += "."
        self.count.value = f"<div class='coopkit-portfolio-count'>{html.escape(count)}</div>" if count else ""
        self.cases.value = portfolio_html(self.shown) if total else ""
        self._draw_chart()

    def _draw_chart(self) -> None:
        from coopkit.report.charts import to_png

        if self.shown.empty:
            self.chart.layout.display = "none"
            return
        try:
            self.chart.value = to_png(value_risk_figure(self.shown))
        except Exception as exc:  # a bug in the chart must not take the table down with it: say so
            log.exception("drawing the portfolio chart failed")
            self.message.value = (
                "<div class='coopkit-note coopkit-error-text'>"
                f"The chart could not be drawn ({html.escape(type(exc).__name__)}).</div>"
            )
            self.chart.layout.display = "none"
            return
        self.chart.layout.display = None


def _wait_for_visit(board: Dashboard) -> None:
    """In a preheated Voila kernel, wait for the visit, then read the store again (it may have changed)."""
    if os.environ.get("VOILA_PREHEAT", "False") != "True":
        return
    from voila.utils import wait_for_request

    wait_for_request()
    board.load()


def dashboard(url: str | None = None) -> widgets.Widget:
    """The executive dashboard of every saved case.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL of the case store; default :func:`coopkit.store.cases.default_url`
        (``$COOPKIT_DATABASE_URL``, else ``$COOPKIT_WORKSPACE/cases.sqlite``).

    Returns
    -------
    ipywidgets.Widget
        Filters (option, verdict level, text), a sort, the count of cases shown, the
        value-risk chart and the table of cases, each title linking to its worksheet.
        Display it (the last expression of a notebook cell).

    Notes
    -----
    Served by Voila with preheated kernels, the page is built before anyone asks for it;
    the store is then read again when the visit arrives (``voila.utils.wait_for_request``),
    so the page shows the cases saved up to the visit, not up to the preheat.

    Examples
    --------
    >>> import tempfile
    >>> from coopkit.report.portfolio import EXAMPLE_SUMMARY
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/cases.sqlite"
    >>> _ = open_store(url).create("win_win_check", {}, title="Pooled imports", summary=EXAMPLE_SUMMARY)
    >>> page = dashboard(url)
    >>> "coopkit-dashboard" in page._dom_classes
    True
    """
    board = Dashboard(url)
    _wait_for_visit(board)
    return board.widget
