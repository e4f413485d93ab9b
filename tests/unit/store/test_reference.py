"""The reference datasets: each loader reads its file from the repository, checks it and says what is wrong.

Known figures first (as the sources print them and the reference notebooks use them), then bad files, each
written to a temporary folder that stands in for data/reference/.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from coopkit.errors import InputError
from coopkit.paths import data_dir
from coopkit.store import reference

SOURCE = data_dir() / "reference"


# --------------------------------------------------------------------------- the shipped files
def test_the_files_are_in_data_reference():
    assert reference.reference_dir() == SOURCE
    for name in (reference.AMAZON_SHARES, reference.AMAZON_TOTALS, reference.CAR_MARKET_1955, reference.HYBRID_2013):
        assert (SOURCE / name).is_file()


def test_load_amazon_gives_the_letter_figures():
    letter = reference.load_amazon()
    shares = letter.shares["third_party_share"]
    assert shares.index.tolist() == list(range(1999, 2019))
    assert shares.index.name == "year"
    # As printed in the 2018 letter to shareowners, whole percent.
    assert (shares * 100).round().astype(int).tolist() == [
        3, 3, 6, 17, 22, 25, 28, 28, 29, 30, 31, 34, 38, 42, 46, 49, 51, 54, 56, 58,
    ]  # fmt: skip
    stated = letter.stated
    assert stated.index.tolist() == ["first_party_sales", "third_party_sales", "ebay_gms"]
    assert stated[["start_billion_usd", "end_billion_usd", "stated_cagr"]].to_numpy().tolist() == [
        [1.6, 117.0, 0.25],
        [0.1, 160.0, 0.52],
        [2.8, 95.0, 0.20],
    ]
    assert (stated["start_year"] == 1999).all() and (stated["end_year"] == 2018).all()


def test_load_car_market_1955_gives_the_approximate_shares():
    cars = reference.load_car_market_1955()
    assert cars.index.tolist() == ["General Motors", "Ford", "Chrysler", "Others"]
    assert cars["share"].tolist() == [0.5, 0.25, 0.1667, 0.0833]
    assert cars["share"].sum() == pytest.approx(1.0)
    # Ford about GM / 2 and Chrysler about GM / 3, as the description says.
    assert cars.loc["Ford", "share"] == pytest.approx(cars.loc["General Motors", "share"] / 2)
    assert cars.loc["Chrysler", "share"] == pytest.approx(cars.loc["General Motors", "share"] / 3, abs=1e-4)
    assert cars["production_thousands"].tolist() == [3722, 1808, 1262, 321]
    assert cars["share_basis"].str.len().min() > 0


def test_load_hybrid_2013_gives_the_reported_shares():
    hybrid = reference.load_hybrid_2013()
    assert hybrid.columns.tolist() == ["period", "firm", "share", "approximate", "reported_as"]
    assert hybrid.set_index(["period", "firm"])["share"].to_dict() == {
        ("2012H1", "Ford"): 0.03,
        ("2013H1", "Ford"): 0.15,
        ("2013H1", "Toyota"): 0.667,
    }
    assert hybrid.set_index("firm").loc["Toyota", "approximate"]
    assert not hybrid[hybrid["firm"] == "Ford"]["approximate"].any()


def test_each_load_returns_a_fresh_table():
    first = reference.load_car_market_1955()
    first.loc["Ford", "share"] = 0.9
    assert reference.load_car_market_1955().loc["Ford", "share"] == 0.25


# --------------------------------------------------------------------------- bad files
@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of data/reference/ that a test may spoil; the loaders read from it."""
    for path in SOURCE.iterdir():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(reference, "reference_dir", lambda: tmp_path)
    return tmp_path


def rewrite(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_missing_file_is_named(folder):
    (folder / reference.HYBRID_2013).unlink()
    with pytest.raises(InputError, match=r"us_hybrid_shares_2013\.csv must exist in data/reference/"):
        reference.load_hybrid_2013()


def test_a_share_out_of_range_is_named_with_its_row(folder):
    rewrite(folder / reference.AMAZON_SHARES, "2002,0.17", "2002,1.7")
    with pytest.raises(
        InputError,
        match=r"amazon_third_party_share\.csv, column third_party_share, row 5 must be a share between 0 and 1, got 1\.7",
    ):
        reference.load_amazon()


def test_a_missing_year_is_refused(folder):
    rewrite(folder / reference.AMAZON_SHARES, "2005,0.28\n", "")
    with pytest.raises(InputError, match=r"amazon_third_party_share\.csv must list every year in order"):
        reference.load_amazon()


def test_a_renamed_column_is_refused(folder):
    rewrite(folder / reference.AMAZON_TOTALS, "stated_cagr", "cagr")
    with pytest.raises(InputError, match=r"amazon_letter_totals\.csv must have the columns measure, start_year"):
        reference.load_amazon()


def test_an_end_before_the_start_is_refused(folder):
    rewrite(folder / reference.AMAZON_TOTALS, "ebay_gms,1999,2.8,2018", "ebay_gms,1999,2.8,1998")
    with pytest.raises(
        InputError, match=r"amazon_letter_totals\.csv, end_year must be after start_year, got \['ebay_gms'\]"
    ):
        reference.load_amazon()


def test_a_negative_amount_is_refused(folder):
    rewrite(folder / reference.AMAZON_TOTALS, "first_party_sales,1999,1.6", "first_party_sales,1999,-1.6")
    with pytest.raises(InputError, match=r"column start_billion_usd, row 2 must be an amount > 0, got -1\.6"):
        reference.load_amazon()


def test_car_shares_that_do_not_add_up_are_refused(folder):
    rewrite(folder / reference.CAR_MARKET_1955, "Others,0.0833", "Others,0.2833")
    with pytest.raises(InputError, match=r"us_car_market_1955\.csv, column share must add up to 1, got 1\.2"):
        reference.load_car_market_1955()


def test_text_where_a_number_belongs_is_refused(folder):
    rewrite(folder / reference.CAR_MARKET_1955, ",1808", ",many")
    with pytest.raises(
        InputError, match=r"us_car_market_1955\.csv, column production_thousands.* must hold values of type"
    ):
        reference.load_car_market_1955()


def test_a_bad_half_year_is_refused(folder):
    rewrite(folder / reference.HYBRID_2013, "2012H1", "2012-1")
    with pytest.raises(InputError, match=r"column period, row 2 must be a half year, e\.g\. 2013H1, got '2012-1'"):
        reference.load_hybrid_2013()


def test_hybrid_shares_above_the_whole_market_are_refused(folder):
    rewrite(folder / reference.HYBRID_2013, "2013H1,Toyota,0.667", "2013H1,Toyota,0.9")
    with pytest.raises(InputError, match=r"us_hybrid_shares_2013\.csv, column share must add up to at most 1"):
        reference.load_hybrid_2013()


def test_a_repeated_firm_in_a_period_is_refused(folder):
    rewrite(folder / reference.HYBRID_2013, "2013H1,Toyota", "2013H1,Ford")
    with pytest.raises(
        InputError, match=r"us_hybrid_shares_2013\.csv, .*row 3 must hold each combination of period, firm once"
    ):
        reference.load_hybrid_2013()


def test_a_repeated_year_is_refused(folder):
    rewrite(folder / reference.AMAZON_SHARES, "2000,0.03", "1999,0.03")
    with pytest.raises(InputError, match=r"column year, row \d must hold each value once, got 1999"):
        reference.load_amazon()


def test_the_loaders_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert isinstance(reference.load_hybrid_2013(), pd.DataFrame)
