"""What each worksheet shows under its verdict: tables (as HTML) and charts, in order.

A :class:`View` is the result panel of one assessment: sections before the
charts, the charts (built lazily, each with its alt text), and sections after.
The UI renders any view the same way, and so can an HTML report; a worksheet
without a view of its own gets :func:`generic_view` (its per-party table).

>>> from coopkit import options
>>> from coopkit.store.casefile import read_case, sample_case
>>> sheet = options.get("market_growth")
>>> a = sheet.assess(options.validate(sheet.inputs, read_case(sample_case(sheet.sample)).inputs)[0])
>>> [s.key for s in view(a).before], len(view(a).charts)
(['parties', 'sizing'], 4)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from coopkit.options.base import Assessment
from coopkit.report import html as report_html

if TYPE_CHECKING:  # matplotlib is imported only when a chart is built
    from matplotlib.figure import Figure

__all__ = ["Section", "Chart", "View", "view", "generic_view"]


@dataclass(frozen=True)
class Section:
    """A titled HTML block of the result panel; ``key`` names it for styling and tests."""

    key: str
    title: str
    html: str


class Chart(NamedTuple):
    """A chart of the panel: alt text, a builder returning the Figure, and whether it spans the full width."""

    alt: str
    build: Callable[[], Figure]
    wide: bool = False


@dataclass(frozen=True)
class View:
    """Sections before the charts, the charts, sections after."""

    before: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    after: list[Section] = field(default_factory=list)


def generic_view(a: Assessment) -> View:
    """The per-party table only (for worksheets without a view of their own)."""
    if a.parties.empty:
        return View()
    return View(before=[Section("parties", "Each party", report_html.party_table_html(a.parties, a.currency))])


def _win_win_sections(a: Assessment, result) -> tuple[Section, Section]:
    mc = getattr(result, "monte_carlo", None)
    parties = Section("parties", "Each party, per year", report_html.party_table_html(a.parties, a.currency))
    splits = Section(
        "splits",
        "Fair-split comparison",
        report_html.splits_table_html(
            result.splits, list(result.parties), result.split_rule, mc.p_win_win_by_rule if mc is not None else None
        ),
    )
    return parties, splits


def _win_win_charts(result, currency: str) -> list[Chart]:
    from coopkit.report import charts

    out = [
        Chart("Payoff on its own and with the deal, per party", lambda: charts.payoff_chart(result, currency)),
        Chart("Gain of each party under each split rule", lambda: charts.split_chart(result, currency)),
    ]
    if result.monte_carlo is not None:
        out.append(
            Chart(
                "Distribution of the smallest party's gain across scenarios",
                lambda: charts.margin_chart(result, currency),
            )
        )
    if result.tornado is not None and len(result.tornado):
        out.append(Chart("Tornado: inputs that swing the result most", lambda: charts.tornado_chart(result, currency)))
    return out


def win_win_view(a: Assessment) -> View:
    """Per-party table, payoff/split/margin/tornado charts, the fair-split comparison."""
    parties, splits = _win_win_sections(a, a.details)
    return View(before=[parties], charts=_win_win_charts(a.details, a.currency), after=[splits])


def reputation_view(a: Assessment) -> View:
    """Before/after table and scorecard, heat map and charts; the deal check when it was run."""
    from coopkit.report import risk_charts

    risk, deal = a.details["risk"], a.details["deal"]
    before = [
        Section("risk", "Risk before and after mitigations", report_html.risk_table_html(a.tables["risk"], a.currency)),
        Section(
            "criteria",
            f"Partner scorecard: {risk.partner_score:.2f} of 5 (3 = on a par with us)",
            report_html.frame_html(
                risk.criteria,
                [
                    ("label", "Criterion", "text"),
                    ("score", "Score", "int"),
                    ("weight", "Weight", "number"),
                    ("share_of_score", "Share of the score", "percent"),
                ],
                css="coopkit-criteria-table",
            ),
        ),
    ]
    charts: list[Chart] = [
        Chart("Heat map of likelihood and impact, before and after mitigations", lambda: risk_charts.heat_map(risk)),
        Chart("The partner's score on each criterion", lambda: risk_charts.scorecard_chart(risk)),
    ]
    if risk.monte_carlo is not None:
        charts.append(
            Chart("Spread of the expected loss across scenarios", lambda: risk_charts.loss_chart(risk, a.currency))
        )
    after = []
    if deal is not None:
        parties, splits = _win_win_sections(a, deal)
        after = [Section("parties", "The deal after reputation risk, per year", parties.html), splits]
        from coopkit.report import charts as ww_charts

        charts.append(
            Chart("Payoff on its own and with the deal, per party", lambda: ww_charts.payoff_chart(deal, a.currency))
        )
    return View(before=before, charts=charts, after=after)


def market_view(a: Assessment) -> View:
    """Per-party rising-tide table and sizing; adoption, revenue, waterfall, fan and fit charts."""
    from coopkit.report import market_charts

    growth, fit = a.details["growth"], a.details["fit"]
    before = [
        Section(
            "parties",
            f"Each party over {growth.years} years (present value)",
            report_html.party_table_html(a.parties, a.currency, caption=f"{a.currency}, present value"),
        ),
        Section(
            "sizing",
            "Market sizing",
            report_html.frame_html(
                a.tables["sizing"],
                [
                    ("method", "Method", "text"),
                    ("level", "Level", "text"),
                    ("arithmetic", "Arithmetic", "text"),
                    ("value", f"{a.currency} per year", "money"),
                ],
                css="coopkit-sizing-table",
            ),
        ),
    ]
    charts: list[Chart] = [
        Chart("Customers who have adopted, compete only and cooperate", lambda: market_charts.adoption_chart(growth)),
        Chart("Each party's revenue per year", lambda: market_charts.revenue_chart(growth, a.currency)),
        Chart(
            "Waterfall: market growth and share shift per party",
            lambda: market_charts.waterfall_chart(growth, a.currency),
            wide=len(growth.parties) > 1,
        ),
    ]
    if growth.fan is not None:
        charts.append(
            Chart("Fan chart of market revenue across scenarios", lambda: market_charts.fan_chart(growth, a.currency))
        )
    if fit is not None:
        charts.append(Chart("Adoption history and the fitted Bass curve", lambda: market_charts.fit_chart(fit)))
    return View(before=before, charts=charts)


def option_sections_after(a: Assessment) -> list[Section]:
    """Every option ends with its competition-law guardrails and the partners' reputation risk to us."""
    out = []
    guard = a.details.get("guardrails")
    if guard is not None:
        out.append(Section("guardrails", "Competition-law guardrails", report_html.guardrails_html(guard)))
    risk = a.details.get("risk")
    if risk is not None and risk.revenue > 0:
        out.append(
            Section(
                "risk",
                f"Reputation risk to us: {risk.after.rating} after mitigations",
                report_html.risk_table_html(risk.table(), a.currency),
            )
        )
    return out


def option_charts(a: Assessment) -> list[Chart]:
    """Charts every option shows: payoffs alone and with the deal, and the tornado of its sensitivity table."""
    from coopkit.report import charts

    deal = a.details["winwin"]
    per = a.details.get("per", "per year")
    out = [Chart("Payoff on its own and with the deal, per party", lambda: charts.payoff_chart(deal, a.currency, per))]
    table = a.tables.get("sensitivity")
    if table is not None and len(table.dropna()):
        clean = table.dropna().reset_index(drop=True)
        out.append(
            Chart(
                "Tornado: inputs that swing the smallest gain most",
                lambda: charts.tornado_figure(clean.head(8), float(deal.gain.min()), a.currency, per),
            )
        )
    return out


_VIEWS: dict[str, Callable[[Assessment], View]] = {
    "win_win_check": win_win_view,
    "reputation_risk": reputation_view,
    "market_growth": market_view,
}


def register_view(worksheet: str) -> Callable:
    """Decorator: ``fn`` draws the result panel of ``worksheet`` (used by :mod:`coopkit.report.option_views`)."""

    def add(fn: Callable[[Assessment], View]) -> Callable[[Assessment], View]:
        _VIEWS[worksheet] = fn
        return fn

    return add


def view(a: Assessment) -> View:
    """The result panel of an assessment, by its worksheet."""
    if a.worksheet not in _VIEWS:
        _load_option_view(a.worksheet)
    return _VIEWS.get(a.worksheet, generic_view)(a)


@functools.cache
def _load_option_view(worksheet: str) -> None:
    """Import ``coopkit.report.option_views.<worksheet>`` if there is one (it registers the view), once per process.

    Only the view asked for is imported, so a worksheet does not load every other option's code.
    """
    import importlib.util

    name = f"coopkit.report.option_views.{worksheet}"
    if worksheet.isidentifier() and importlib.util.find_spec(name) is not None:
        importlib.import_module(name)
