"""Growth rates and share paths: cagr, its rounding range and inverse, sales split by a share, the chained
rising tide and the break-even growth.

Known answers first (the figures of Amazon's 2018 letter that the reference notebook shows, and small cases
worked by hand), then properties, then bad input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import market
from coopkit.frameworks.market import (
    break_even_growth,
    cagr,
    cagr_range,
    implied_start,
    rising_tide,
    rising_tide_path,
    split_by_share,
)
from coopkit.store import reference

shares_st = st.floats(0.0, 1.0)


@pytest.fixture(scope="module")
def letter():
    return reference.load_amazon()


# --------------------------------------------------------------------------- known answers
def test_the_new_names_are_exported():
    assert set(market.__all__) >= {
        "cagr",
        "cagr_range",
        "implied_start",
        "split_by_share",
        "rising_tide_path",
        "break_even_growth",
    }


def test_cagr_by_hand():
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert cagr(50, 50, 7) == 0.0
    assert cagr([1.0, 1.0], [2.0, 4.0], 1).tolist() == pytest.approx([1.0, 3.0])


def test_the_letter_rates_recomputed_from_its_rounded_figures(letter):
    stated = letter.stated
    rates = {m: cagr(r["start_billion_usd"], r["end_billion_usd"], 19) for m, r in stated.iterrows()}
    assert {m: round(r, 3) for m, r in rates.items()} == {
        "first_party_sales": 0.253,
        "third_party_sales": 0.474,
        "ebay_gms": 0.204,
    }
    # First-party and eBay round to the stated rates; third-party does not, but lies within the rounding range.
    assert round(rates["first_party_sales"], 2) == stated.loc["first_party_sales", "stated_cagr"]
    assert round(rates["ebay_gms"], 2) == stated.loc["ebay_gms", "stated_cagr"]
    low, high = cagr_range(0.1, 160, 19, start_step=0.1, end_step=1)
    assert (round(low, 3), round(high, 3)) == (0.443, 0.530)
    assert low < 0.52 < high


def test_the_stated_52_percent_implies_about_56_million_in_1999():
    assert round(implied_start(160, 0.52, 19), 4) == 0.0561
    assert implied_start(160, [0.525, 0.515], 19).round(4).tolist() == [0.0527, 0.0597]
    assert cagr(implied_start(160, 0.52, 19), 160, 19) == pytest.approx(0.52)


def test_cagr_range_without_rounding_is_the_rate_itself():
    low, high = cagr_range(2.8, 95, 19, start_step=0, end_step=0)
    assert low == high == pytest.approx(cagr(2.8, 95, 19))


def test_split_by_share_worked_by_hand():
    t = split_by_share(pd.Series([0.1, 0.3, 0.5], index=[2000, 2001, 2002]), 100.0, 400.0, names=("a", "b"))
    assert t.columns.tolist() == ["total", "share", "a", "b"]
    assert t["total"].tolist() == [100.0, 200.0, 400.0]
    assert t["a"].tolist() == pytest.approx([10.0, 60.0, 200.0])
    assert t["b"].tolist() == pytest.approx([90.0, 140.0, 200.0])


def test_split_by_share_interpolates_over_calendar_time_not_rows():
    # A gap in the years: 2000 and 2002 are two years apart, so the middle row is 2 of 4 years in.
    t = split_by_share(pd.Series([0.5, 0.5, 0.5], index=[2000, 2002, 2004]), 1.0, 16.0)
    assert t["total"].tolist() == pytest.approx([1.0, 4.0, 16.0])


def test_amazon_sales_reconstructed_as_the_reference_notebook_shows(letter):
    shares = letter.shares["third_party_share"]
    sales = split_by_share(shares, 1.6 / 0.97, 277.0, names=("third_party", "first_party"))
    assert round(cagr(1.6 / 0.97, 277.0, 19), 3) == 0.310
    assert sales.loc[1999, "first_party"] == pytest.approx(1.6)
    assert round(sales.loc[2018, "first_party"], 2) == 116.34
    assert round(sales.loc[2018, "third_party"], 2) == 160.66
    growth, share, _ = rising_tide([0.97, 0.03], [0.42, 0.58], 1.6 / 0.97, 277.0)
    assert (round(growth[0], 2), round(share[0], 2)) == (191.37, -76.63)
    by_year = rising_tide_path(1 - shares, sales["total"])
    totals = by_year[["change", "growth", "share_effect"]].sum().round(2).to_dict()
    assert totals == {"change": 114.74, "growth": 140.64, "share_effect": -25.9}
    assert (by_year["change"] > 0).all()
    assert round(break_even_growth(1.0, 0.42), 4) == 1.381


def test_rising_tide_path_by_hand():
    years = [1, 2, 3]
    d = rising_tide_path(pd.Series([0.5, 0.4, 0.4], index=years), pd.Series([100.0, 200.0, 300.0], index=years))
    assert d.index.tolist() == [2, 3]
    assert d.columns.tolist() == ["market", "share", "revenue", "change", "growth", "share_effect"]
    # 1 -> 2: revenue 50 -> 80; growth (0.5 + 0.4) / 2 * 100 = 45, share (0.4 - 0.5) * 150 = -15.
    assert d.loc[2, ["change", "growth", "share_effect"]].tolist() == pytest.approx([30.0, 45.0, -15.0])
    assert d.loc[3, ["change", "growth", "share_effect"]].tolist() == pytest.approx([40.0, 40.0, 0.0])


def test_break_even_growth_by_hand():
    assert break_even_growth(0.5, 0.25) == pytest.approx(1.0)  # half the share: the market must double
    assert break_even_growth(0.3, 0.3) == 0.0
    assert break_even_growth(0.2, 0.4) == pytest.approx(-0.5)  # a gain in share: the market may shrink by half
    assert break_even_growth([1.0, 0.5], 0.5).tolist() == pytest.approx([1.0, 0.0])


# --------------------------------------------------------------------------- properties
@given(start=st.floats(0.01, 1e6), rate=st.floats(-0.9, 3.0), years=st.integers(1, 50))
def test_implied_start_inverts_cagr(start, rate, years):
    end = start * (1 + rate) ** years
    if end > 0:
        assert cagr(start, end, years) == pytest.approx(rate, abs=1e-9)
        assert implied_start(end, rate, years) == pytest.approx(start, rel=1e-9)


@given(start=st.floats(1, 1e3), end=st.floats(1, 1e3), step=st.floats(0, 1.9))
def test_cagr_range_contains_the_rate_of_the_rounded_figures(start, end, step):
    low, high = cagr_range(start, end, 10, start_step=step, end_step=step)
    assert low <= cagr(start, end, 10) + 1e-12 and cagr(start, end, 10) <= high + 1e-12


@given(
    shares=st.lists(shares_st, min_size=2, max_size=10),
    first=st.floats(1, 1e6),
    last=st.floats(1, 1e6),
)
def test_split_by_share_adds_up_and_hits_both_ends(shares, first, last):
    s = pd.Series(shares, index=range(2000, 2000 + len(shares)))
    t = split_by_share(s, first, last)
    assert np.allclose(t["holder"] + t["rest"], t["total"])
    assert t["total"].iloc[0] == pytest.approx(first) and t["total"].iloc[-1] == last
    growth = t["total"].to_numpy()[1:] / t["total"].to_numpy()[:-1]
    assert np.allclose(growth, growth[0])  # one constant growth rate


@given(shares=st.lists(shares_st, min_size=2, max_size=10), sizes=st.lists(st.floats(0, 1e6), min_size=10, max_size=10))
def test_rising_tide_path_adds_up_every_period(shares, sizes):
    index = range(len(shares))
    s, m = pd.Series(shares, index=index), pd.Series(sizes[: len(shares)], index=index)
    d = rising_tide_path(s, m)
    assert np.allclose(d["growth"] + d["share_effect"], d["change"], atol=1e-6)
    assert d["change"].sum() == pytest.approx(s.iloc[-1] * m.iloc[-1] - s.iloc[0] * m.iloc[0], abs=1e-6)


@given(before=shares_st, after=st.floats(0.01, 1.0))
def test_break_even_growth_keeps_revenue_unchanged(before, after):
    assert after * (1 + break_even_growth(before, after)) == pytest.approx(before)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("args", "field"),
    [((0, 10, 5), "start"), ((10, -1, 5), "end"), ((10, 20, 0), "years"), (("10", 20, 5), "start")],
)
def test_cagr_refuses_bad_figures(args, field):
    with pytest.raises(InputError, match=f"^{field} must"):
        cagr(*args)


def test_cagr_range_refuses_a_start_that_rounds_to_nothing():
    with pytest.raises(InputError, match="start must stay above 0 when rounded down"):
        cagr_range(0.1, 160, 19, start_step=0.2, end_step=1)
    with pytest.raises(InputError, match="start_step must be a rounding step >= 0"):
        cagr_range(0.1, 160, 19, start_step=-0.1, end_step=1)


@pytest.mark.parametrize(("args", "field"), [((0, 0.5, 3), "end"), ((10, -1.0, 3), "rate"), ((10, 0.5, 0), "years")])
def test_implied_start_refuses_bad_figures(args, field):
    with pytest.raises(InputError, match=f"^{field} must"):
        implied_start(*args)


def test_split_by_share_refuses_bad_input():
    good = pd.Series([0.1, 0.2], index=[2000, 2001])
    with pytest.raises(InputError, match="shares must be a pandas Series indexed by period"):
        split_by_share([0.1, 0.2], 1.0, 2.0)
    with pytest.raises(InputError, match="shares must be shares between 0 and 1"):
        split_by_share(pd.Series([0.1, 1.2], index=[2000, 2001]), 1.0, 2.0)
    with pytest.raises(InputError, match="shares index must be periods that increase"):
        split_by_share(pd.Series([0.1, 0.2], index=[2001, 2000]), 1.0, 2.0)
    with pytest.raises(InputError, match="first_total must be a market size > 0"):
        split_by_share(good, 0.0, 2.0)
    with pytest.raises(InputError, match="names must be two different column names"):
        split_by_share(good, 1.0, 2.0, names=("a", "a"))


def test_rising_tide_path_refuses_mismatched_periods():
    s = pd.Series([0.1, 0.2], index=[2000, 2001])
    with pytest.raises(InputError, match="market must have the same periods as the shares"):
        rising_tide_path(s, pd.Series([1.0, 2.0], index=[2000, 2002]))
    with pytest.raises(InputError, match="market must be market sizes >= 0"):
        rising_tide_path(s, pd.Series([1.0, -2.0], index=[2000, 2001]))


@pytest.mark.parametrize(("args", "field"), [((1.2, 0.5), "share_before"), ((0.5, 0.0), "share_after")])
def test_break_even_growth_refuses_bad_shares(args, field):
    with pytest.raises(InputError, match=f"^{field} must"):
        break_even_growth(*args)
