"""Tests for coopkit.report.portfolio_charts: value created against reputation risk."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pytest

from coopkit.report.portfolio import portfolio_table
from coopkit.report.portfolio_charts import value_risk_figure, value_risk_finding
from tests.unit.report.test_portfolio import UNASSESSED, hostile_table, info, sample_portfolio, summary


@pytest.fixture(scope="module")
def portfolio():
    return sample_portfolio()


# ---------------------------------------------------------------------------------------------- the chart
def test_chart_title_states_the_finding(portfolio):
    # plotted: the win-win (value, low risk), the buying group (value, severe), the referral swap (value, low)
    assert value_risk_finding(portfolio) == "2 of 3 cases create value at low reputation risk"
    fig = value_risk_figure(portfolio)
    ax = fig.axes[0]
    assert ax.get_title() == "2 of 3 cases create value at low reputation risk"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Low", "Moderate", "High", "Severe"]
    assert ax.get_ylabel() == "Reputation risk after mitigations"
    assert "EUR per year" in ax.get_xlabel() and "2 of 5 cases not plotted" in ax.get_xlabel()


def test_chart_colours_by_verdict_level(portfolio):
    ax = value_risk_figure(portfolio).axes[0]
    offsets = ax.collections[0].get_offsets()
    colours = ax.collections[0].get_facecolors()
    by_value = {float(x): mcolors.to_hex(c[:3]) for (x, _y), c in zip(np.asarray(offsets), colours, strict=True)}
    assert by_value == {125_000.0: "#029e73", 21_500.0: "#d55e00", 14_000.0: "#de8f05"}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Go", "With conditions", "No-go"]


def test_chart_of_no_cases_and_of_cases_without_figures():
    for table in (portfolio_table([]), portfolio_table([info(summary_=UNASSESSED, draft=True)])):
        fig = value_risk_figure(table)
        assert fig.axes[0].get_title() == "No case has both a value created and a reputation-risk rating"
        assert not fig.axes[0].axison


def test_chart_uses_a_log_scale_for_values_that_span_orders_of_magnitude():
    cases = [
        info(f"{k:016x}", summary_=summary(value_created=v, reputation="moderate"))
        for k, v in enumerate([2_000.0, 50_000.0, 300_000_000.0, -4_000_000.0])
    ]
    ax = value_risk_figure(portfolio_table(cases)).axes[0]
    assert ax.get_xscale() == "symlog" and "log scale beyond ±1,000" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "0" in labels and "1B" in labels and "−10M" in labels


def test_chart_names_every_currency_when_they_differ():
    cases = [info("a" * 16), info("b" * 16, summary_=summary(currency="USD", value_created=90_000.0))]
    assert "EUR, USD not converted" in value_risk_figure(portfolio_table(cases)).axes[0].get_xlabel()


def test_chart_draws_literal_text():
    from coopkit.report.charts import to_png

    assert to_png(value_risk_figure(hostile_table()))[:4] == b"\x89PNG"
