"""Tests for the analyses of coopkit.options.joint_purchasing beyond the worksheet.

price_schedule (a published price list as CSV text), member_splits, core_check
and volume_sweep; known answers first (the textbook pool, then the figures the
reference notebook purchasing_tiers.ipynb shows), then hypothesis properties,
then bad input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game
from coopkit.options.joint_purchasing import (
    SPLIT_RULES,
    coalition_savings,
    core_check,
    member_splits,
    price_schedule,
    savings_split,
    volume_sweep,
)
from coopkit.store.casefile import sample_case

TEXTBOOK_T, TEXTBOOK_P = [0, 100, 300], [10.0, 5.0, 4.9]
PRICE_LIST = "tyre_framework_price_bands.csv"
THREE = ["Kestrel Express", "Swift Parcel", "Northway Logistics"]
THREE_VOLUMES = [420, 700, 3_000]
SIX = [*THREE, "Otter Couriers", "Pine Valley Deliveries", "Harbour Freight"]
SIX_VOLUMES = [*THREE_VOLUMES, 300, 520, 1_100]


@pytest.fixture(scope="module")
def tyres():
    """The sample price list's thresholds and prices."""
    prices = price_schedule(sample_case(PRICE_LIST).read_text())
    return prices["min_volume"].to_numpy(), prices["unit_price"].to_numpy()


# --------------------------------------------------------------------------- price_schedule
def test_the_sample_price_list():
    prices = price_schedule(sample_case(PRICE_LIST).read_text())
    assert prices.index.tolist() == list("ABCDEF") and prices.index.name == "band"
    assert list(prices.columns) == ["min_volume", "max_volume", "unit_price"]
    assert prices["min_volume"].tolist() == [0, 200, 500, 1_000, 2_500, 5_000]
    assert prices["max_volume"].tolist() == [199, 499, 999, 2_499, 4_999, math.inf]
    assert prices["unit_price"].tolist() == [112.0, 106.5, 101.8, 97.4, 94.1, 91.9]


def test_a_list_without_band_labels_or_tops_is_numbered():
    prices = price_schedule("Min Volume;Unit Price\n0;10\n\n100;9.5\n")  # semicolons, spaced header, blank line
    assert prices.to_dict("index") == {
        1: {"min_volume": 0.0, "unit_price": 10.0},
        2: {"min_volume": 100.0, "unit_price": 9.5},
    }


def test_fractional_volumes_may_end_a_band_just_below_the_next():
    prices = price_schedule("min_volume,max_volume,unit_price\n0,99.5,10\n100,,9")
    assert prices["max_volume"].tolist() == [99.5, math.inf]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("min_volume,unit_price\n10,10\n100,9", r"^Price list: tiers: from volume must start at 0 "),
        ("min_volume,unit_price\n0,10\n0,9", r"^Price list: tiers: from volume must rise strictly from tier to tier"),
        ("min_volume,unit_price\n0,10\n100,11", r"^Price list: tiers: unit price must not rise with volume"),
        (
            "min_volume,unit_price\n0,ten",
            r"^Price list: column 'unit_price' must hold prices of more than 0, got 'ten' on line 2$",
        ),
        (
            "min_volume,unit_price\n0,0",
            r"^Price list: column 'unit_price' must hold prices of more than 0, got '0' on line 2$",
        ),
        ("min_volume\n0", r"^Price list: column 'unit_price' is missing; the header must name it$"),
        (
            "band,min_volume,unit_price\nA,0,10\nA,100,9",
            r"^Price list: band must name each band once, got \['A', 'A'\]$",
        ),
        (
            "min_volume,max_volume,unit_price\n0,90,10\n100,,9",
            r"^Price list: max_volume of band 1 must end the band just below the next band's start \(100\): "
            r"no gap, no overlap, got 90$",
        ),
        (
            "min_volume,max_volume,unit_price\n0,100,10\n100,,9",
            r"^Price list: max_volume of band 1 must end the band just below",
        ),
        (
            "min_volume,max_volume,unit_price\n0,99,10\n100,500,9",
            r"^Price list: max_volume of the last band must be blank \(it has no top\), got 500$",
        ),
        ("", r"^Price list is empty"),
    ],
)
def test_a_bad_price_list_is_named(text, message):
    with pytest.raises(InputError, match=message):
        price_schedule(text)


def test_the_source_names_the_file_in_messages():
    with pytest.raises(InputError, match=r"^tyres\.csv: column 'unit_price' is missing"):
        price_schedule("min_volume\n0", source="tyres.csv")


# --------------------------------------------------------------------------- member_splits
def test_member_splits_of_the_textbook_pool():
    table = member_splits(["A", "B", "C"], [50, 50, 100], TEXTBOOK_T, TEXTBOOK_P)
    assert list(table.columns) == ["units", "price_alone", "added_value", "core_least", "core_most", *SPLIT_RULES]
    assert table.index.name == "party"
    assert table["added_value"].tolist() == [250, 250, 0]
    # the core is the single point (250, 250, 0): the equal price
    assert table["core_least"].tolist() == pytest.approx([250, 250, 0], abs=1e-6)
    assert table["core_most"].tolist() == pytest.approx([250, 250, 0], abs=1e-6)
    assert table["shapley"].tolist() == pytest.approx([1250 / 6, 1250 / 6, 500 / 6])


def test_three_couriers(tyres):
    # the figures purchasing_tiers.ipynb shows in section 2
    table = member_splits(THREE, THREE_VOLUMES, *tyres).round(2)
    assert table["price_alone"].tolist() == [106.5, 101.8, 94.1]
    assert table["added_value"].tolist() == [5_208, 5_390, 3_696]
    assert table["core_least"].tolist() == [1_512, 1_694, 0]
    assert table["core_most"].tolist() == [5_208, 5_390, 3_696]
    assert table["equal_price"].tolist() == [5_208, 5_390, 0]
    assert table["volume"].tolist() == [1_080.38, 1_800.63, 7_716.99]
    assert table["shapley"].tolist() == [3_754.33, 3_845.33, 2_998.33]


def test_six_couriers(tyres):
    table = member_splits(SIX, SIX_VOLUMES, *tyres).round(2)
    assert table["equal_price"].sum() == pytest.approx(35_240)
    assert table.loc["Northway Logistics", ["added_value", "volume", "shapley"]].tolist() == [
        13_288,
        17_503.31,
        7_658.8,
    ]
    assert table.loc["Harbour Freight", ["added_value", "core_least", "core_most"]].tolist() == [16_918, 506, 16_918]


# --------------------------------------------------------------------------- core_check
def test_core_check_of_the_textbook_pool():
    check = core_check(["A", "B", "C"], [50, 50, 100], TEXTBOOK_T, TEXTBOOK_P)
    assert check.index.tolist() == list(SPLIT_RULES) and check.index.name == "rule"
    assert check.loc["equal_price"].tolist() == [True, "none", 0, 0, 0, 0, 0]
    assert check.loc["volume"].tolist() == [False, "A + B", 500, 250, 250, 0, 0]
    assert check.loc["shapley"].tolist() == pytest.approx([False, "A + B", 500, 2500 / 6, 500 / 6, 0, 0])


def test_three_couriers_would_leave_the_volume_split_not_the_shapley_split(tyres):
    check = core_check(THREE, THREE_VOLUMES, *tyres).round(2)
    assert check["in_core"].tolist() == [True, False, True]
    assert check.loc["volume"].tolist() == [
        False,
        "Kestrel Express + Swift Parcel",
        6_902,
        2_881.01,
        4_020.99,
        0,
        3_696,
    ]


def test_six_couriers_and_the_band_break(tyres):
    check = core_check(SIX, SIX_VOLUMES, *tyres).round(2)
    assert check["in_core"].tolist() == [True, False, True]
    assert check.loc["volume"].tolist() == [False, "all but Northway Logistics", 21_952, 17_736.69, 4_215.31, 0, 13_288]
    larger = [*THREE_VOLUMES, 450, 520, 1_100]
    check = core_check(SIX, larger, *tyres).round(2)
    assert check.loc["shapley"].tolist() == [False, "all but Harbour Freight", 31_380, 31_152.03, 227.97, 0, 6_050]
    assert check.at["volume", "gain_from_leaving"] == 4_522.55


def test_a_group_of_two_or_three_is_named_in_full_and_a_larger_one_by_who_is_left_out():
    q = [50, 50, 50, 50, 400]  # four small members reach the 100 tier without the large one
    check = core_check(["A", "B", "C", "D", "E"], q, [0, 100, 300], [10.0, 5.0, 4.9])
    assert check.at["volume", "blocking"] in {"A + B", "A + C", "A + D", "B + C", "B + D", "C + D", "all but E"}
    check = core_check(["A", "B", "C"], [50, 50, 100], TEXTBOOK_T, TEXTBOOK_P)
    assert check.at["volume", "blocking"] == "A + B"


# --------------------------------------------------------------------------- volume_sweep
def test_northway_sweep(tyres):
    # section 3 of purchasing_tiers.ipynb
    grid = [300, 600, 900, 1_200, 1_500, 2_000, 2_500, 3_000, 4_000, 5_000]
    sweep = volume_sweep(THREE, THREE_VOLUMES, "Northway Logistics", grid, *tyres)
    assert sweep.index.tolist() == grid and sweep.index.name == "Northway Logistics"
    assert list(sweep.columns) == [
        "pool_price",
        "savings",
        *SPLIT_RULES,
        "volume_in_core",
        "volume_blocking",
        "shapley_in_core",
        "shapley_blocking",
    ]
    assert sweep["volume_in_core"].tolist() == [True] + [False] * 9
    assert sweep["shapley_in_core"].tolist() == [True, False, False, False, True, True, True, True, True, True]
    row = sweep.loc[1_200]
    assert row[["savings", "equal_price", "volume", "shapley"]].tolist() == pytest.approx(
        [6_902, 0, 3_570, 1_150.33], abs=0.005
    )
    assert sweep.loc[3_000, "pool_price"] == 94.1 and sweep.loc[4_000, "pool_price"] == 91.9


def test_otter_sweep_shows_where_shapley_leaves_the_core(tyres):
    sweep = volume_sweep(SIX, SIX_VOLUMES, "Otter Couriers", [300, 340, 350, 360, 400, 450], *tyres)
    assert sweep["shapley_in_core"].tolist() == [True, True, True, False, False, False]
    assert sweep["shapley_blocking"].tolist() == [
        "none",
        "none",
        "none",
        "all but Swift Parcel",
        "all but Harbour Freight",
        "all but Harbour Freight",
    ]


def test_fractional_volumes_keep_a_float_index():
    sweep = volume_sweep(["A", "B", "C"], [50, 50, 100], "C", [50, 99.5], TEXTBOOK_T, TEXTBOOK_P)
    assert sweep.index.tolist() == [50.0, 99.5]


def test_sweep_rows_agree_with_the_splits():
    sweep = volume_sweep(["A", "B", "C"], [50, 50, 100], "C", [0, 50, 100, 250], TEXTBOOK_T, TEXTBOOK_P)
    for amount, row in sweep.iterrows():
        q = [50, 50, amount]
        for rule in SPLIT_RULES:
            assert row[rule] == pytest.approx(savings_split(rule, q, TEXTBOOK_T, TEXTBOOK_P)[2])
        assert row["savings"] == pytest.approx(coalition_savings(q, TEXTBOOK_T, TEXTBOOK_P)[-1])


# --------------------------------------------------------------------------- properties
@st.composite
def pools(draw):
    """A tier schedule and 2 to 5 members' whole-unit volumes."""
    k = draw(st.integers(1, 5))
    thresholds = np.concatenate([[0], np.cumsum(draw(st.lists(st.integers(1, 500), min_size=k - 1, max_size=k - 1)))])
    cuts = draw(st.lists(st.integers(0, 300), min_size=k - 1, max_size=k - 1))
    prices = (draw(st.integers(1, 2_000)) + sum(cuts) - np.concatenate([[0], np.cumsum(cuts)])) / 100
    volumes = draw(st.lists(st.integers(0, 800), min_size=2, max_size=5))
    return thresholds.tolist(), prices.tolist(), volumes


@given(pools())
def test_every_split_lies_against_its_core_check_and_the_equal_price_within_the_core(pool):
    t, p, q = pool
    names = [f"M{j}" for j in range(len(q))]
    table = member_splits(names, q, t, p)
    check = core_check(names, q, t, p)
    v = coalition_savings(q, t, p)
    tol = 1e-6 * max(1.0, abs(v[-1]))
    value = lambda members: v[members.astype(np.int64) @ (1 << np.arange(len(q)))]  # noqa: E731
    assert check.at["equal_price", "in_core"]
    assert (table["core_least"] - tol <= table["equal_price"]).all()
    assert (table["equal_price"] <= table["core_most"] + tol).all()
    assert (table["core_most"] <= table["added_value"] + tol).all()
    for rule in SPLIT_RULES:
        assert table[rule].sum() == pytest.approx(v[-1], abs=tol)
        inside = game.in_core(names, value, table[rule].to_numpy(), tol=tol, vectorized=True)
        assert bool(check.at[rule, "in_core"]) == inside
        row = check.loc[rule]
        if not inside:
            assert row["gain_from_leaving"] > 0
            assert row["gain_from_leaving"] == pytest.approx(row["group_alone"] - row["group_gets"])
            # the savings game is superadditive: a break-up never gains the pool anything
            assert row["savings_lost"] == pytest.approx(v[-1] - row["group_alone"] - row["rest_alone"])
            assert row["savings_lost"] >= -tol


# --------------------------------------------------------------------------- bad input
def test_one_volume_per_member():
    with pytest.raises(InputError, match=r"^volumes must give one volume per member \(3\), got \[50.0, 50.0\]$"):
        member_splits(["A", "B", "C"], [50, 50], TEXTBOOK_T, TEXTBOOK_P)
    with pytest.raises(InputError, match=r"^volumes must give one volume per member \(2\)"):
        core_check(["A", "B"], [50, 50, 50], TEXTBOOK_T, TEXTBOOK_P)


def test_the_swept_member_must_be_a_member():
    with pytest.raises(InputError, match=r"^member must be one of the members \(A, B\), got 'Z'$"):
        volume_sweep(["A", "B"], [50, 50], "Z", [10], TEXTBOOK_T, TEXTBOOK_P)


def test_a_bad_schedule_is_refused_by_every_analysis():
    for call in (member_splits, core_check):
        with pytest.raises(InputError, match=r"^tiers: unit price must not rise with volume"):
            call(["A", "B"], [50, 50], [0, 100], [5.0, 6.0])
    with pytest.raises(InputError, match=r"^volume must be at least 0 units per year, got -10"):
        volume_sweep(["A", "B"], [50, 50], "A", [-10], TEXTBOOK_T, TEXTBOOK_P)
