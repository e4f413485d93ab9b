"""Tests for coopkit.report.risk_charts: the heat map, scorecard and loss spread agree with the reputation figures."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from coopkit.frameworks import reputation
from coopkit.report.charts import _BAD, _GOOD, PALETTE, to_png
from coopkit.report.risk_charts import RATING_COLOURS, heat_map, loss_chart, scorecard_chart

ALL_SCORES = {"quality": 4, "satisfaction": 2, "incidents": 5, "financial": 3, "legal": 4, "values": 1, "data": 5}


@pytest.fixture(scope="module")
def moved():
    # co-branded, base rate 5%, score 4: P = 6.6% a year, 18.5% over 3 years -> likelihood 4 ("likely");
    # impact 1e6 x 0.1 x 1.5 x 1 = 150,000 = 15% of revenue -> impact 4; exit rights cut it to 10.5% -> 3
    return reputation.assess({"quality": 4}, revenue=1e6, customers_lost=0.1, mitigations=["exit_rights"])


@pytest.fixture(scope="module")
def likelihood_moves():
    # every mitigation: likelihood 5 -> 4, impact stays in class 5
    return reputation.assess(
        {"quality": 5, "satisfaction": 5},
        revenue=1e6,
        customers_lost=0.2,
        recovery_years=2,
        base_rate=0.2,
        mitigations=list(reputation.MITIGATIONS),
    )


@pytest.fixture(scope="module")
def same():
    # exit rights cut the impact from 75,000 to 52,500: both 5-15% of revenue, the same cell (4, 3)
    return reputation.assess({"quality": 4}, revenue=1e6, mitigations=["exit_rights"])


@pytest.fixture(scope="module")
def ranged():
    return reputation.assess(
        {"quality": 4, "incidents": 4},
        revenue=(8e5, 1e6, 1.2e6),
        customers_lost=(0.05, 0.1, 0.2),
        mitigations=["quality_clauses"],
        draws=3_000,
    )


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def markers(ax):
    """(x, y) of the before and after markers, by legend label."""
    out = {}
    for line in ax.get_lines():
        (x,), (y,) = line.get_xdata(), line.get_ydata()
        out[line.get_label()] = (float(x), float(y))
    return out


# --------------------------------------------------------------------------- heat map
def test_heat_map_colours_every_cell_by_its_rating(moved):
    ax = heat_map(moved).axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(cells) == 25
    seen = set()
    for cell in cells:
        assert (cell.get_width(), cell.get_height()) == (1, 1)
        impact, likelihood = round(cell.get_x() + 0.5), round(cell.get_y() + 0.5)  # impact across, likelihood up
        seen.add((likelihood, impact))
        assert cell.get_facecolor() == to_rgba(RATING_COLOURS[reputation.rating(likelihood, impact)])
    assert seen == {(li, ii) for li in range(1, 6) for ii in range(1, 6)}
    # corners and an asymmetric cell of the matrix: L x I of 1 is low, 25 severe; (L 2, I 3) = 6 moderate
    colour = {(round(c.get_y() + 0.5), round(c.get_x() + 0.5)): c.get_facecolor() for c in cells}
    assert colour[1, 1] == to_rgba(RATING_COLOURS["low"])
    assert colour[5, 5] == to_rgba(RATING_COLOURS["severe"])
    assert colour[2, 3] == to_rgba(RATING_COLOURS["moderate"])
    assert colour[4, 3] == to_rgba(RATING_COLOURS["high"])


def test_heat_map_writes_each_cells_score(moved):
    ax = heat_map(moved).axes[0]
    texts = [t for t in ax.texts if not isinstance(t, Annotation)]
    assert len(texts) == 25
    scores = {(round(t.get_position()[1] - 0.32), round(t.get_position()[0])): t.get_text() for t in texts}
    assert len(scores) == 25
    assert all(text == str(li * ii) for (li, ii), text in scores.items())


@pytest.mark.parametrize(
    ("case", "before", "after", "title"),
    [
        ("moved", (4, 4), (3, 4), "Reputation risk: severe, high after mitigations"),
        ("likelihood_moves", (5, 5), (5, 4), "Reputation risk: severe, severe after mitigations"),
    ],
)
def test_heat_map_marks_before_and_after_at_impact_and_likelihood(request, case, before, after, title):
    result = request.getfixturevalue(case)
    assert (result.before.impact_class, result.before.likelihood_class) == before
    assert (result.after.impact_class, result.after.likelihood_class) == after
    ax = heat_map(result).axes[0]
    assert markers(ax) == {"Before mitigations": before, "After mitigations": after}
    assert ax.get_title() == title
    (arrow,) = [t for t in ax.texts if isinstance(t, Annotation)]
    assert tuple(arrow.xy) == after and tuple(arrow.xyann) == before  # points from before to after


def test_heat_map_marker_styles(moved):
    ax = heat_map(moved).axes[0]
    before, after = ax.get_lines()
    assert before.get_label() == "Before mitigations" and after.get_label() == "After mitigations"
    assert to_rgba(before.get_markerfacecolor()) == to_rgba("white")  # hollow before
    assert to_rgba(after.get_markerfacecolor()) == to_rgba("black")  # filled after
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Before mitigations", "After mitigations"]


def test_heat_map_same_cell_sets_the_markers_side_by_side_without_an_arrow(same):
    assert (same.before.likelihood_class, same.before.impact_class) == (same.after.likelihood_class, 3)
    ax = heat_map(same).axes[0]
    assert not [t for t in ax.texts if isinstance(t, Annotation)]
    m = markers(ax)
    assert m["Before mitigations"] == pytest.approx((3 - 0.18, 4))
    assert m["After mitigations"] == pytest.approx((3 + 0.18, 4))
    assert ax.get_title() == "Reputation risk: high, high after mitigations"


def test_heat_map_axes(moved):
    ax = heat_map(moved).axes[0]
    assert ax.get_xlabel() == "Impact of one incident (share of a year's revenue)"
    assert ax.get_ylabel() == "Likelihood over 3 years"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["negligible", "minor", "moderate", "major", "severe"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["rare", "unlikely", "possible", "likely", "almost certain"]
    assert ax.get_xlim() == (0.5, 5.5) and ax.get_ylim() == (0.5, 5.5)


def test_heat_map_horizon_in_the_label():
    r = reputation.assess({"quality": 3}, revenue=1e6, horizon_years=2.5)
    assert heat_map(r).axes[0].get_ylabel() == "Likelihood over 2.5 years"


# --------------------------------------------------------------------------- scorecard
def test_scorecard_bars_are_score_minus_three_from_on_a_par():
    r = reputation.assess(ALL_SCORES, revenue=1e6)
    ax = scorecard_chart(r).axes[0]
    bars = ax.patches
    assert len(bars) == 7
    # drawn bottom-up in reverse order, so the first criterion is on top
    expected = [s - 3 for s in reversed(ALL_SCORES.values())]
    assert [b.get_width() for b in bars] == expected
    assert all(b.get_x() == 3 for b in bars)
    assert [b.get_y() + b.get_height() / 2 for b in bars] == pytest.approx(range(7))
    colours = [b.get_facecolor() for b in bars]
    grey = PALETTE[7]
    assert colours == [to_rgba(_BAD if s > 3 else _GOOD if s < 3 else grey) for s in reversed(ALL_SCORES.values())]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Product or service quality relative to ours (×2)"
    assert labels[0] == "Data-protection practice (×1)"


def test_scorecard_title_names_the_criteria_worse_than_us_by_short_name():
    r = reputation.assess(ALL_SCORES, revenue=1e6)
    ax = scorecard_chart(r).axes[0]
    assert ax.get_title(loc="left") == "Worse than us on: quality, incidents, legal record, data protection"
    assert [reputation.CRITERIA[k].short for k in ("financial", "legal", "data")] == [
        "finances",
        "legal record",
        "data protection",
    ]


def test_scorecard_title_when_no_criterion_is_worse():
    r = reputation.assess({"quality": 3, "financial": 2, "values": 1}, revenue=1e6)
    ax = scorecard_chart(r).axes[0]
    # (2 x 3 + 2 + 1) / 4 = 2.25
    assert ax.get_title(loc="left") == "On a par with us or better (score 2.25)"
    assert [b.get_width() for b in ax.patches] == [-2, -1, 0]


def test_scorecard_axes_and_weights():
    r = reputation.assess({"quality": 5, "financial": 4}, weights={"quality": 0.5}, revenue=1e6)
    ax = scorecard_chart(r).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Financial stability (×1)",
        "Product or service quality relative to ours (×0.5)",
    ]
    assert ax.get_xlim() == (1, 5)
    assert ax.get_xlabel() == "Score (weight in brackets)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1\nbetter", "2", "3\non a par", "4", "5\nfar worse"]
    assert ax.get_title(loc="left") == "Worse than us on: quality, finances"


# --------------------------------------------------------------------------- loss chart
def test_loss_chart_needs_ranges(moved):
    assert moved.monte_carlo is None
    with pytest.raises(ValueError, match=r"^loss_chart needs a result computed with ranges"):
        loss_chart(moved)


def test_loss_chart_labels_and_title(ranged):
    p5, p50, p95 = ranged.monte_carlo["percentiles"]
    assert p5 < p50 < p95
    ax = loss_chart(ranged, "CHF").axes[0]
    assert ax.get_xlabel() == "Expected loss after mitigations (CHF per year)"
    assert ax.get_ylabel() == "Share of scenarios"
    assert ax.get_title() == f"Expected loss: {p5:,.0f} to {p95:,.0f} a year in 90% of scenarios"
    assert loss_chart(ranged).axes[0].get_xlabel() == "Expected loss after mitigations (EUR per year)"


def test_loss_chart_histogram_agrees_with_the_draws(ranged):
    loss = ranged.monte_carlo["expected_loss"]
    assert loss.size == 3_000
    ax = loss_chart(ranged).axes[0]
    bars = ax.patches
    assert len(bars) == 40
    assert sum(b.get_height() for b in bars) == pytest.approx(1.0)
    assert bars[0].get_x() == pytest.approx(loss.min())
    assert bars[-1].get_x() + bars[-1].get_width() == pytest.approx(loss.max())
    # the share of draws below the median bin edge matches the bars left of it
    edges = np.array([b.get_x() for b in bars])
    cut = edges[20]
    assert sum(b.get_height() for b in bars[:20]) == pytest.approx(np.mean(loss < cut))


def test_loss_chart_marks_the_5th_and_95th_percentiles(ranged):
    p5, _, p95 = ranged.monte_carlo["percentiles"]
    ax = loss_chart(ranged).axes[0]
    lines = ax.get_lines()
    assert [line.get_xdata()[0] for line in lines] == pytest.approx([p5, p95])
    assert all(line.get_linestyle() == "--" for line in lines)
    assert [t.get_text() for t in ax.texts] == [" 5th percentile", " 95th percentile"]


# --------------------------------------------------------------------------- rendering
@pytest.mark.parametrize("chart", [heat_map, scorecard_chart, loss_chart])
def test_every_risk_chart_renders(ranged, chart):
    fig = chart(ranged)
    assert isinstance(fig, Figure)
    width, _ = png_size(to_png(fig, dpi=50))
    assert width == round(fig.get_figwidth() * 50)


def test_risk_charts_keep_text_literal_and_leave_pyplot_alone(ranged):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for fig in (heat_map(ranged), scorecard_chart(ranged), loss_chart(ranged)):
        assert all(not t.get_parse_math() for t in fig.findobj(Text))
    assert plt.get_fignums() == before


def test_scorecard_size_grows_with_the_criteria():
    one = scorecard_chart(reputation.assess({"quality": 4}, revenue=1e6))
    seven = scorecard_chart(reputation.assess(ALL_SCORES, revenue=1e6))
    assert one.get_figheight() == pytest.approx(2.4)
    assert seven.get_figheight() == pytest.approx(0.42 * 7 + 1.2)
