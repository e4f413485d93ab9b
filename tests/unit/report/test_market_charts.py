"""Tests for coopkit.report.market_charts: adoption, revenue, waterfall, fan and fit charts agree with the numbers."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

from coopkit.frameworks import market
from coopkit.report.charts import _BAD, _GOOD, PALETTE, to_png
from coopkit.report.market_charts import adoption_chart, fan_chart, fit_chart, revenue_chart, waterfall_chart

HISTORY = [120, 340, 800, 1500, 2300, 2800, 2600]


@pytest.fixture(scope="module")
def ranged():
    # A takes two points of share from the rest of the market; B keeps its share; the market grows 20%
    return market.assess(
        ["A", "B"],
        [0.3, 0.2],
        [0.32, 0.2],
        m=(8_000, 10_000, 13_000),
        revenue_per_customer=100,
        m_uplift=0.2,
        draws=2_000,
    )


@pytest.fixture(scope="module")
def three():
    # A gains 6 points, B loses 8 (6 to A, 2 to the rest), C keeps its 10%; the market grows 5%
    return market.assess(
        ["A", "B", "C"], [0.3, 0.2, 0.1], [0.36, 0.12, 0.1], m=10_000, revenue_per_customer=100, m_uplift=0.05
    )


@pytest.fixture(scope="module")
def shrinking():
    # cooperation shrinks the market potential by 20%, shares unchanged: every party loses
    return market.assess(["A", "B"], [0.3, 0.2], [0.3, 0.2], m=10_000, revenue_per_customer=100, m_uplift=-0.2)


@pytest.fixture(scope="module")
def fit():
    return market.fit_bass(HISTORY)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


# --------------------------------------------------------------------------- adoption
def test_adoption_chart_lines_are_the_customers(ranged):
    m = ranged.market
    ax = adoption_chart(ranged).axes[0]
    compete, cooperate = ax.get_lines()
    assert list(compete.get_xdata()) == list(m.index) == [1, 2, 3, 4, 5]
    np.testing.assert_array_equal(compete.get_ydata(), m["customers_compete"])
    np.testing.assert_array_equal(cooperate.get_ydata(), m["customers_cooperate"])
    assert compete.get_linestyle() == "--" and cooperate.get_linestyle() == "-"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Compete only", "Cooperate"]
    assert ax.get_xlabel() == "Year from now" and ax.get_ylabel() == "Customers who have adopted"
    assert ax.get_ylim()[0] == 0


def test_adoption_chart_title_counts_the_extra_customers(ranged, shrinking):
    m = ranged.market
    extra = m["customers_cooperate"].iloc[-1] - m["customers_compete"].iloc[-1]
    assert extra > 0
    assert adoption_chart(ranged).axes[0].get_title() == f"Cooperation adds {extra:,.0f} customers by year 5"
    m = shrinking.market
    lost = m["customers_compete"].iloc[-1] - m["customers_cooperate"].iloc[-1]
    assert lost > 0
    assert adoption_chart(shrinking).axes[0].get_title() == f"Cooperation loses {lost:,.0f} customers by year 5"


# --------------------------------------------------------------------------- revenue
def test_revenue_chart_dashed_compete_solid_cooperate_per_party(three):
    rev = three.revenue
    ax = revenue_chart(three, "USD").axes[0]
    lines = ax.get_lines()
    assert len(lines) == 2 * 3 + 1  # and the empty legend entry for the dashed lines
    for k, party in enumerate(three.parties):
        dashed, solid = lines[2 * k], lines[2 * k + 1]
        np.testing.assert_array_equal(dashed.get_ydata(), rev[("compete", party)])
        np.testing.assert_array_equal(solid.get_ydata(), rev[("cooperate", party)])
        assert dashed.get_linestyle() == "--" and solid.get_linestyle() == "-"
        assert to_rgba(dashed.get_color()) == to_rgba(solid.get_color()) == to_rgba(PALETTE[k])
    assert len(lines[-1].get_xdata()) == 0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B", "C", "(dashed: compete only)"]
    assert ax.get_ylabel() == "Revenue (USD per year)" and ax.get_xlabel() == "Year from now"


def test_revenue_chart_title_names_who_earns_more(ranged, three, shrinking):
    assert revenue_chart(ranged).axes[0].get_title() == "Every party earns more by cooperating"
    # B gives up 8 points of share for 5% more market
    rev = three.revenue
    assert rev[("cooperate", "B")].sum() < rev[("compete", "B")].sum()
    assert revenue_chart(three).axes[0].get_title() == "Earns more by cooperating: A, C"
    assert revenue_chart(shrinking).axes[0].get_title() == "Earns more by cooperating: no party"


# --------------------------------------------------------------------------- waterfall
def bars_of(ax):
    return sorted(ax.patches, key=lambda p: p.get_x())


@pytest.mark.parametrize("case", ["ranged", "three"])
def test_waterfall_chains_from_compete_to_cooperate(request, case):
    result = request.getfixturevalue(case)
    d = result.decomposition
    fig = waterfall_chart(result)
    for ax, party in zip(fig.axes, result.parties, strict=False):
        row = d.loc[party]
        bars = bars_of(ax)
        first, *steps, last = bars
        # the totals stand on zero and are the decomposition's columns
        assert (first.get_y(), last.get_y()) == (0, 0)
        assert first.get_height() == pytest.approx(row["compete"], rel=1e-12)
        assert last.get_height() == pytest.approx(row["cooperate"], rel=1e-12)
        # each step starts where the previous one ended
        level = row["compete"]
        for step in steps:
            assert step.get_y() == pytest.approx(level, rel=1e-12)
            level += step.get_height()
        assert level == pytest.approx(row["cooperate"], rel=1e-9)
        assert sum(s.get_height() for s in steps) == pytest.approx(row["cooperate"] - row["compete"], rel=1e-9)
        # the steps are the growth and each non-zero source of share
        sources = [c for c in d.columns if c.startswith("from ") and row[c] != 0]
        assert [s.get_height() for s in steps] == pytest.approx([row["growth"], *(row[c] for c in sources)])
        assert [s.get_facecolor() for s in steps] == [to_rgba(_GOOD if s.get_height() >= 0 else _BAD) for s in steps]
        assert first.get_facecolor() == last.get_facecolor() == to_rgba(PALETTE[7])
        assert ax.get_ylabel() == "Present value (EUR)"


def test_waterfall_names_each_source_and_direction(three):
    fig = waterfall_chart(three, "GBP")
    a, b, c, spare = fig.axes
    assert [t.get_text() for t in a.get_xticklabels()] == ["Competing", "Market growth", "Share from B", "Cooperating"]
    assert [t.get_text() for t in b.get_xticklabels()] == [
        "Competing",
        "Market growth",
        "Share to A",
        "Share to Rest of market",
        "Cooperating",
    ]
    assert [t.get_text() for t in c.get_xticklabels()] == ["Competing", "Market growth", "Cooperating"]
    assert not spare.get_visible() and all(ax.get_visible() for ax in (a, b, c))
    assert a.get_ylabel() == "Present value (GBP)"
    # the labels over the bars: totals plain, steps signed
    d = three.decomposition.loc["B"]
    assert [t.get_text() for t in b.texts] == [
        f"{d['compete']:,.0f}",
        f"{d['growth']:+,.0f}",
        f"{d['from A']:+,.0f}",
        f"{d['from Rest of market']:+,.0f}",
        f"{d['cooperate']:,.0f}",
    ]
    assert b.texts[2].get_text().startswith("-")


def test_waterfall_titles_give_the_share_from_market_growth(ranged):
    d = ranged.decomposition
    fig = waterfall_chart(ranged)
    for ax, party in zip(fig.axes, ranged.parties, strict=True):
        part = d.loc[party, "growth"] / (d.loc[party, "growth"] + d.loc[party, "share"])
        assert ax.get_title() == f"{party}: {part:.0%} of the gain from a bigger market"
    assert fig.axes[1].get_title() == "B: 100% of the gain from a bigger market"  # B's share does not move


def test_waterfall_layout_one_panel_per_party(ranged, three):
    single = market.assess(["Solo"], [0.4], [0.4], m=10_000, revenue_per_customer=100)
    fig = waterfall_chart(single)
    assert len(fig.axes) == 1 and fig.get_figwidth() == pytest.approx(6.4)
    assert fig.axes[0].get_title() == "Solo: no change"  # no uplift, no share moved
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Competing", "Market growth", "Cooperating"]
    two = waterfall_chart(ranged)
    assert len(two.axes) == 2 and two.get_figwidth() == pytest.approx(9.6)
    assert two.get_figheight() == pytest.approx(3.4)
    assert waterfall_chart(three).get_figheight() == pytest.approx(6.8)  # two rows


def test_waterfall_title_never_states_a_negative_share_from_growth(three):
    d = three.decomposition.loc["B"]
    assert d["growth"] > 0 and d["growth"] + d["share"] < 0  # B's revenue falls, though the market grows
    title = waterfall_chart(three).axes[1].get_title()
    assert title == "B: loses more share than the market growth gives it"


# --------------------------------------------------------------------------- fan
def test_fan_chart_needs_ranges(three):
    assert three.fan is None
    with pytest.raises(ValueError, match=r"^fan_chart needs a result computed with ranges"):
        fan_chart(three)


def test_fan_chart_bands_are_the_percentiles(ranged):
    fan = ranged.fan
    ax = fan_chart(ranged, "CHF").axes[0]
    outer, inner = ax.collections
    for band, (low, high) in ((outer, ("p5", "p95")), (inner, ("p25", "p75"))):
        vertices = band.get_paths()[0].vertices
        for year in fan.index:
            ys = vertices[vertices[:, 0] == year, 1]
            assert min(ys) == pytest.approx(fan.loc[year, low], rel=1e-12)
            assert max(ys) == pytest.approx(fan.loc[year, high], rel=1e-12)
        assert set(np.unique(vertices[:, 0])) == set(fan.index)
    median, compete = ax.get_lines()
    np.testing.assert_array_equal(median.get_ydata(), fan["p50"])
    np.testing.assert_array_equal(compete.get_ydata(), fan["compete_p50"])
    assert compete.get_linestyle() == "--"
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == [
        "50% of scenarios",
        "90% of scenarios",
        "Compete only, median",
        "Cooperate, median",
    ]
    assert ax.get_ylabel() == "Market revenue (CHF per year)"
    assert ax.get_title() == f"Market grows enough for every party in {ranged.p_tide:.0%} of scenarios"


def test_fan_percentiles_are_ordered(ranged):
    fan = ranged.fan
    assert (fan["p5"] <= fan["p25"]).all() and (fan["p25"] <= fan["p50"]).all()
    assert (fan["p50"] <= fan["p75"]).all() and (fan["p75"] <= fan["p95"]).all()


# --------------------------------------------------------------------------- fit
def test_fit_chart_bars_are_observed_and_line_is_fitted(fit):
    ax = fit_chart(fit).axes[0]
    bars = bars_of(ax)
    assert [b.get_height() for b in bars] == HISTORY
    assert [b.get_x() + b.get_width() / 2 for b in bars] == pytest.approx(range(1, 8))
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == list(range(1, 8))
    np.testing.assert_array_equal(line.get_ydata(), fit.fitted)
    assert not np.allclose(fit.fitted, HISTORY)  # a real fit, not the data drawn twice
    assert ax.get_title() == f"Bass fit: p = {fit.p:.4f}, q = {fit.q:.3f}, R² = {fit.r2:.3f}"
    assert ax.get_xlabel() == "Year since launch" and ax.get_ylabel() == "New customers per year"
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["Fitted", "Observed"]


def test_fit_chart_of_an_exact_bass_series():
    f = market.fit_bass(market.bass_adoptions(8, 0.02, 0.4, 5_000))
    assert fit_chart(f).axes[0].get_title() == "Bass fit: p = 0.0200, q = 0.400, R² = 1.000"


# --------------------------------------------------------------------------- rendering, hostile names
@pytest.mark.parametrize("chart", [adoption_chart, revenue_chart, waterfall_chart, fan_chart])
def test_every_market_chart_renders(ranged, chart):
    fig = chart(ranged)
    assert isinstance(fig, Figure)
    assert png_size(to_png(fig, dpi=50))[0] == round(fig.get_figwidth() * 50)


def test_fit_chart_renders(fit):
    assert png_size(to_png(fit_chart(fit), dpi=50)) == (320, 180)


def test_hostile_party_names_stay_literal_and_render():
    names = ["<script>alert(1)</script>", "A$_$", "x & y"]
    r = market.assess(names, [0.3, 0.2, 0.1], [0.36, 0.12, 0.1], m=10_000, revenue_per_customer=100, m_uplift=0.05)
    for fig in (revenue_chart(r), waterfall_chart(r)):
        assert all(not t.get_parse_math() for t in fig.findobj(Text))
        png_size(to_png(fig, dpi=40))
    revenue = revenue_chart(r).axes[0]
    assert [t.get_text() for t in revenue.get_legend().get_texts()][:3] == names
    waterfall = waterfall_chart(r)
    assert [ax.get_title().split(":")[0] for ax in waterfall.axes[:3]] == names
    assert "Share from A$_$" in [t.get_text() for t in waterfall.axes[0].get_xticklabels()]
    assert "Share to <script>alert(1)</script>" in [t.get_text() for t in waterfall.axes[1].get_xticklabels()]


def test_market_charts_leave_pyplot_alone(ranged, fit):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for chart in (adoption_chart, revenue_chart, waterfall_chart, fan_chart):
        chart(ranged)
    fit_chart(fit)
    assert plt.get_fignums() == before
