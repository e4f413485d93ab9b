"""The start page's option picker: tick what you want, see which worksheets to open first."""

from __future__ import annotations

import html

import ipywidgets as widgets

from coopkit.options.picker import GOALS, PARTNERS, SALES, recommend
from coopkit.report import html as report_html

__all__ = ["start_page", "recommendations_html"]


def recommendations_html(goals: list[str], partner: str) -> str:
    """The recommended options as a list of links to their worksheets (relative, so they work in Voila).

    Examples
    --------
    >>> "options/03_joint_purchasing.ipynb" in recommendations_html(["costs"], "competitor")
    True
    >>> "Tick at least one goal" in recommendations_html([], "either")
    True
    """
    if not goals:
        return "<div class='coopkit-note coopkit-picks'>Tick at least one goal to see the options that fit.</div>"
    picks = recommend(goals, partner)
    items = "".join(
        f"<li><a href='{html.escape(option.notebook, quote=True)}' target='_blank' rel='noopener'>"
        f"<b>{html.escape(option.title)}</b></a>: {html.escape(option.answers)}"
        f"<br><span class='coopkit-note'>{html.escape(reason)}</span></li>"
        for option, reason in picks
    )
    return f"<ol class='coopkit-picks'>{items}</ol>"


def sales_html() -> str:
    """Links to the sales-team workbook's worksheets.

    Examples
    --------
    >>> "sales/01_win_loss_review.ipynb" in sales_html()
    True
    """
    items = "".join(
        f"<li><a href='{html.escape(path, quote=True)}' target='_blank' rel='noopener'><b>{html.escape(title)}</b></a>: "
        f"{html.escape(what)}</li>"
        for path, title, what in SALES
    )
    return f"<ol class='coopkit-sales-links'>{items}</ol>"


def start_page() -> widgets.Widget:
    """Checkboxes for the goals, a choice of partner, and the options that fit, updated as you tick."""
    boxes = {
        key: widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="auto"))
        for key, label in GOALS.items()
    }
    for key, box in boxes.items():
        box.add_class(f"coopkit-goal-{key}")
    partner = widgets.Dropdown(
        options=[(label, key) for key, label in PARTNERS.items()],
        value="either",
        description="The partner is",
        style={"description_width": "8em"},
        layout=widgets.Layout(width="32em"),
    )
    partner.add_class("coopkit-partner")
    result = widgets.HTML(recommendations_html([], "either"))
    result.add_class("coopkit-recommendations")

    def update(_change=None) -> None:
        result.value = recommendations_html([k for k, b in boxes.items() if b.value], partner.value)

    for box in boxes.values():
        box.observe(update, names="value")
    partner.observe(update, names="value")
    page = widgets.VBox(
        [
            widgets.HTML(report_html.STYLE),
            widgets.HTML("<h3>What do you want from the partnership?</h3>"),
            *boxes.values(),
            partner,
            widgets.HTML("<h3>Worksheets to open first</h3>"),
            result,
            widgets.HTML("<h3>For sales leaders: coopetition inside and between sales teams</h3>" + sales_html()),
        ]
    )
    page.add_class("coopkit-start")
    return page
