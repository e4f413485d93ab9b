"""Tests for coopkit.report.charts: figures with labelled axes, units and titles that state the finding."""

from __future__ import annotations

import struct

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from coopkit.frameworks.uncertainty import Range
from coopkit.frameworks.winwin import check
from coopkit.report.charts import PALETTE, margin_chart, payoff_chart, split_chart, to_png, tornado_chart


@pytest.fixture(scope="module")
def win():
    # stand-alone 20 and 40, value 100, Nash: shares 40 and 60, gains 20 and 20
    return check(["A", "B"], [20, 40], 100, split_rule="nash")


@pytest.fixture(scope="module")
def ranged():
    # only the partnership value and A's stand-alone payoff are uncertain
    return check(["A", "B"], [Range(10, 20, 30), 40], Range(50, 100, 130), split_rule="equal", draws=5_000)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


# --------------------------------------------------------------------------- payoff chart
def test_payoff_chart_labels_and_title(win):
    fig = payoff_chart(win, "USD")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Party"
    assert ax.get_ylabel() == "Payoff (USD per year)"
    assert ax.get_title() == "Every party is better off with the deal"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["On its own", "With the deal"]


def test_payoff_chart_bar_heights_are_the_payoffs(win):
    ax = payoff_chart(win).axes[0]
    heights = sorted(round(p.get_height(), 9) for p in ax.patches if p.get_width() > 0 and p.get_height() != 0)
    # on its own 20 and 40; with the deal 40 and 60
    assert heights == [20, 40, 40, 60]


def test_payoff_chart_names_the_party_no_better_off():
    # stand-alone 20 and 60, value 100, equal split: B gets 50 < 60
    assert payoff_chart(check(["A", "B"], [20, 60], 100, split_rule="equal")).axes[0].get_title() == (
        "B is no better off with the deal"
    )


def test_payoff_chart_names_every_party_no_better_off():
    # stand-alone 30 and 30, value 50: the pie is smaller than what they earn apart
    assert payoff_chart(check(["A", "B"], [30, 30], 50, split_rule="equal")).axes[0].get_title() == (
        "A, B are no better off with the deal"
    )


def test_payoff_chart_default_currency_is_eur(win):
    assert payoff_chart(win).axes[0].get_ylabel() == "Payoff (EUR per year)"


# --------------------------------------------------------------------------- split chart
def test_split_chart_labels_and_title():
    # stand-alone 20 and 60, value 100: Shapley and Nash give 30 and 70 (gains 10, 10);
    # proportional and equal give 50 each (B loses 10)
    result = check(["A", "B"], [20, 60], 100, split_rule="equal")
    ax = split_chart(result, "GBP").axes[0]
    assert ax.get_xlabel() == "Split rule"
    assert ax.get_ylabel() == "Gain over stand-alone (GBP per year)"
    assert ax.get_title() == "Win-win under: shapley, nash"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["shapley", "nash", "proportional", "equal"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]


def test_split_chart_says_when_no_rule_is_win_win():
    assert split_chart(check(["A", "B"], [30, 30], 50)).axes[0].get_title() == "No split rule makes this deal win-win"


def test_split_chart_gains_are_after_expected_losses():
    # Nash 40 and 60 minus B's expected loss 25: B's gain is -5 under Nash
    result = check(["A", "B"], [20, 40], 100, split_rule="nash", risk_adjustment=[0, 25])
    ax = split_chart(result).axes[0]
    heights = {round(p.get_height(), 9) for p in ax.patches if p.get_width() > 0}
    assert -5 in heights


# --------------------------------------------------------------------------- margin chart
def test_margin_chart_needs_ranges(win):
    with pytest.raises(ValueError, match=r"^margin_chart needs a result computed with ranges"):
        margin_chart(win)


def test_margin_chart_labels_and_title(ranged):
    ax = margin_chart(ranged, "CHF").axes[0]
    assert ax.get_xlabel() == "Smallest party's gain (CHF per year)"
    assert ax.get_ylabel() == "Share of scenarios"
    p = ranged.monte_carlo.p_win_win
    assert 0 < p < 1
    assert ax.get_title() == f"Win-win in {p:.0%} of 5,000 scenarios"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Someone loses", "Win-win"]


def test_margin_chart_bars_add_up_to_one_and_split_at_zero(ranged):
    ax = margin_chart(ranged).axes[0]
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(1.0)
    green, orange = to_rgba("#029E73"), to_rgba("#D55E00")
    wins = ranged.monte_carlo.margin > 0
    # the green bars hold exactly the share of win-win scenarios, all at or right of zero; orange the rest
    green_bars = [p for p in ax.patches if p.get_facecolor() == green]
    orange_bars = [p for p in ax.patches if p.get_facecolor() == orange]
    assert len(green_bars) + len(orange_bars) == len(ax.patches)
    assert sum(p.get_height() for p in green_bars) == pytest.approx(wins.mean())
    assert sum(p.get_height() for p in orange_bars) == pytest.approx(1 - wins.mean())
    assert all(p.get_x() + p.get_width() > 0 for p in green_bars if p.get_height() > 0)
    assert all(p.get_x() <= 0 for p in orange_bars if p.get_height() > 0)


def test_margin_chart_with_every_scenario_win_win_has_one_legend_entry():
    result = check(["A", "B"], [20, 40], Range(90, 100, 110), split_rule="nash", draws=2_000)
    assert result.monte_carlo.p_win_win == 1.0
    ax = margin_chart(result).axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Win-win"]
    assert ax.get_title() == "Win-win in 100% of 2,000 scenarios"


# --------------------------------------------------------------------------- tornado chart
def test_tornado_chart_needs_ranges(win):
    with pytest.raises(ValueError, match=r"^tornado_chart needs a result computed with ranges"):
        tornado_chart(win)


def test_tornado_chart_labels_and_title(ranged):
    ax = tornado_chart(ranged, "EUR").axes[0]
    assert ax.get_xlabel() == "Smallest party's gain (EUR per year)"
    assert ax.get_title(loc="left") == f"Swings most: {ranged.tornado.iloc[0]['label']}"
    # widest bar on top: the tick labels run from the narrowest swing up, capitalised
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = [x[0].upper() + x[1:] for x in ranged.tornado["label"]][::-1]
    assert labels == expected
    assert set(labels) == {"Partnership value", "Stand-alone payoff of A"}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Input at low", "Input at high"]


def test_tornado_chart_bars_start_at_the_margin_on_paper(ranged):
    ax = tornado_chart(ranged).axes[0]
    bars = [p for p in ax.patches if p.get_height() > 0]
    assert len(bars) == 2 * len(ranged.tornado)
    for bar in bars:
        assert bar.get_x() == pytest.approx(ranged.margin) or bar.get_x() + bar.get_width() == pytest.approx(
            ranged.margin
        )


def test_tornado_title_for_the_partnership_value():
    result = check(["A", "B"], [Range(10, 20, 30), 40], Range(50, 100, 130), draws=2_000)
    assert tornado_chart(result).axes[0].get_title(loc="left") == "Swings most: partnership value"


# --------------------------------------------------------------------------- rendering
def test_to_png_renders_at_the_requested_dpi(win):
    fig = payoff_chart(win)
    assert png_size(to_png(fig)) == (640, 360)  # 6.4 x 3.6 inches at 100 dpi
    assert png_size(to_png(fig, dpi=50)) == (320, 180)


@pytest.mark.parametrize("chart", [margin_chart, tornado_chart, split_chart])
def test_every_chart_renders(ranged, chart):
    assert png_size(to_png(chart(ranged)))[0] > 100


def test_charts_do_not_touch_pyplot_figures(win, ranged):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for chart in (payoff_chart, split_chart):
        chart(win)
    margin_chart(ranged)
    tornado_chart(ranged)
    assert plt.get_fignums() == before


def test_palette_is_eight_distinct_colours():
    assert len(PALETTE) == len(set(PALETTE)) == 8


@pytest.mark.parametrize("chart", [payoff_chart, split_chart])
def test_party_names_with_dollar_signs_render(chart):
    to_png(chart(check(["A$_$", "B"], [20, 40], 100, split_rule="nash")))
