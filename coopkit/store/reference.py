"""The reference datasets: real public figures behind the reference analyses, one loader per dataset.

Each file is in ``data/reference/`` and has an entry in ``data/README.md``
saying where it comes from, when it was published and what was rounded or
approximated. A loader reads its file from the repository (never from the
working directory), checks it with a :class:`pandera.DataFrameSchema` and the
rules a schema cannot say (consecutive years, shares that add up), and
returns a :class:`pandas.DataFrame`. Anything wrong raises
:class:`~coopkit.errors.InputError` naming the file, the column and the rule.

* :func:`load_amazon`: the share of Amazon's physical gross merchandise sales
  sold by independent third-party sellers, 1999-2018, and the totals and
  growth rates stated beside it (Amazon's 2018 letter to shareowners).
* :func:`load_car_market_1955`: the US new-car market of 1955, approximate
  shares of General Motors, Ford, Chrysler and the rest.
* :func:`load_hybrid_2013`: the US hybrid-car market shares of Toyota and Ford
  reported when their hybrid-truck collaboration ended (July 2013).

Examples
--------
>>> load_amazon().shares.loc[[1999, 2018], "third_party_share"].tolist()
[0.03, 0.58]
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from coopkit.errors import InputError, require
from coopkit.paths import data_dir

__all__ = [
    "AMAZON_SHARES",
    "AMAZON_TOTALS",
    "CAR_MARKET_1955",
    "HYBRID_2013",
    "AmazonLetter",
    "reference_dir",
    "load_amazon",
    "load_car_market_1955",
    "load_hybrid_2013",
]

#: File names in ``data/reference/``.
AMAZON_SHARES = "amazon_third_party_share.csv"
AMAZON_TOTALS = "amazon_letter_totals.csv"
CAR_MARKET_1955 = "us_car_market_1955.csv"
HYBRID_2013 = "us_hybrid_shares_2013.csv"

_SHARE = pa.Check.in_range(0.0, 1.0, error="be a share between 0 and 1")
_POSITIVE = pa.Check.gt(0.0, error="be an amount > 0")


def reference_dir() -> Path:
    """The repository's ``data/reference/`` folder.

    Examples
    --------
    >>> (reference_dir() / AMAZON_SHARES).is_file()
    True
    """
    return data_dir() / "reference"


def _read(name: str, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read ``data/reference/<name>`` and validate it; the first problem becomes an InputError."""
    path = reference_dir() / name
    require(path.is_file(), name, str(path), "exist in data/reference/ (it ships with the repository)")
    table = pd.read_csv(path, skipinitialspace=True)
    try:
        return schema.validate(table, lazy=True)
    except SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        column, check, value = first["column"], str(first["check"]), first["failure_case"]
        if column is None or (isinstance(column, float) and pd.isna(column)):  # a problem with the columns
            raise InputError(name, list(table.columns), f"have the columns {', '.join(schema.columns)}") from None
        if check.startswith("dtype("):
            rule = f"hold values of type {check[7:-2]}"
        elif check == "field_uniqueness":
            rule = "hold each value once"
        elif check == "multiple_fields_uniqueness":
            rule = f"hold each combination of {', '.join(schema.unique)} once"
        else:
            rule = check
        row = first["index"]
        where = f"{name}, column {column}" + ("" if pd.isna(row) else f", row {int(row) + 2}")  # row 1: header
        raise InputError(where, value, rule) from None


class AmazonLetter(NamedTuple):
    """What :func:`load_amazon` returns: the yearly shares and the stated totals.

    Attributes
    ----------
    shares : pandas.DataFrame
        Indexed by ``year`` (1999-2018, every year): ``third_party_share``, the
        share (0-1) of Amazon's physical gross merchandise sales sold by
        independent third-party sellers, as printed in the letter (whole percent).
    stated : pandas.DataFrame
        Indexed by ``measure`` (``first_party_sales``, ``third_party_sales``,
        ``ebay_gms``): ``start_year``, ``start_billion_usd``, ``end_year``,
        ``end_billion_usd`` (US$ billion a year, as rounded in the letter) and
        ``stated_cagr`` (the compound annual growth rate the letter gives, whole percent).
    """

    shares: pd.DataFrame
    stated: pd.DataFrame


def load_amazon() -> AmazonLetter:
    """The third-party share of Amazon's sales, 1999-2018, and the totals stated in the same letter.

    Source: J. P. Bezos, *2018 Letter to Shareowners*, Amazon.com, Inc.,
    published 11 April 2019 on Amazon's company blog (see ``data/README.md``).

    Examples
    --------
    >>> letter = load_amazon()
    >>> float(letter.shares.loc[2011, "third_party_share"]), len(letter.shares)
    (0.38, 20)
    >>> letter.stated.loc["third_party_sales", ["start_billion_usd", "end_billion_usd", "stated_cagr"]].tolist()
    [0.1, 160.0, 0.52]
    """
    shares = _read(
        AMAZON_SHARES,
        pa.DataFrameSchema(
            {
                "year": pa.Column(int, pa.Check.in_range(1990, 2100, error="be a calendar year"), unique=True),
                "third_party_share": pa.Column(float, _SHARE),
            },
            strict=True,
            ordered=True,
        ),
    ).set_index("year")
    years = shares.index.to_list()
    require(years == list(range(years[0], years[0] + len(years))), AMAZON_SHARES, years, "list every year in order")
    stated = _read(
        AMAZON_TOTALS,
        pa.DataFrameSchema(
            {
                "measure": pa.Column(str, unique=True),
                "start_year": pa.Column(int),
                "start_billion_usd": pa.Column(float, _POSITIVE),
                "end_year": pa.Column(int),
                "end_billion_usd": pa.Column(float, _POSITIVE, coerce=True),
                "stated_cagr": pa.Column(float, pa.Check.in_range(-1.0, 10.0, error="be a growth rate")),
            },
            strict=True,
            ordered=True,
        ),
    ).set_index("measure")
    bad = stated.index[stated["end_year"] <= stated["start_year"]].to_list()
    require(not bad, f"{AMAZON_TOTALS}, end_year", bad, "be after start_year")
    return AmazonLetter(shares=shares, stated=stated)


def load_car_market_1955() -> pd.DataFrame:
    """The US new-car market of 1955: approximate shares of General Motors, Ford, Chrysler and the rest.

    The shares are **approximate**, derived from how the market is described
    (General Motors more than half; about twice Ford's cars and three times
    Chrysler's); ``production_thousands`` is a production count from a
    secondary compilation, for a cross-check only (see ``data/README.md``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm``: ``share`` (0-1, adding up to 1), ``share_basis``
        (how the share was derived), ``production_thousands`` (cars).

    Examples
    --------
    >>> cars = load_car_market_1955()
    >>> cars["share"].round(4).to_dict()
    {'General Motors': 0.5, 'Ford': 0.25, 'Chrysler': 0.1667, 'Others': 0.0833}
    """
    cars = _read(
        CAR_MARKET_1955,
        pa.DataFrameSchema(
            {
                "firm": pa.Column(str, unique=True),
                "share": pa.Column(float, _SHARE),
                "share_basis": pa.Column(str),
                "production_thousands": pa.Column(int, pa.Check.ge(0, error="be a number of cars >= 0")),
            },
            strict=True,
            ordered=True,
        ),
    ).set_index("firm")
    total = float(cars["share"].sum())
    require(abs(total - 1.0) <= 1e-3, f"{CAR_MARKET_1955}, column share", round(total, 6), "add up to 1")
    return cars


def load_hybrid_2013() -> pd.DataFrame:
    """US hybrid-car market shares of Ford and Toyota reported in July 2013.

    Returns
    -------
    pandas.DataFrame
        One row per report: ``period`` (``2013H1``: first half of 2013),
        ``firm``, ``share`` (0-1), ``approximate`` (True where the press gave
        a round description, e.g. "about two-thirds"), ``reported_as``.

    Examples
    --------
    >>> hybrid = load_hybrid_2013()
    >>> hybrid.set_index(["period", "firm"])["share"].to_dict()
    {('2012H1', 'Ford'): 0.03, ('2013H1', 'Ford'): 0.15, ('2013H1', 'Toyota'): 0.667}
    """
    hybrid = _read(
        HYBRID_2013,
        pa.DataFrameSchema(
            {
                "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}H[12]$", error="be a half year, e.g. 2013H1")),
                "firm": pa.Column(str),
                "share": pa.Column(float, _SHARE),
                "approximate": pa.Column(bool),
                "reported_as": pa.Column(str),
            },
            strict=True,
            ordered=True,
            unique=["period", "firm"],
        ),
    )
    totals = hybrid.groupby("period")["share"].sum()
    over = totals[totals > 1 + 1e-9]
    require(over.empty, f"{HYBRID_2013}, column share", over.round(6).to_dict(), "add up to at most 1 in each period")
    return hybrid
