"""Regression tests of the bugs the input fuzz test (``test_fuzz_inputs.py``) found: one per bug, messages pinned.

Each test states the fixed behaviour directly, on the smallest input that showed the bug: a CRM export
read by :func:`coopkit.store.crm.read_deals`, a worksheet's sample case with one value changed, or the
shared rule of :class:`coopkit.options.base.InputsPart` that a number other than 0 is at least
:data:`~coopkit.options.base.SMALLEST_NUMBER` in size.
"""

from __future__ import annotations

import math
import re
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import Field, ValidationError

from coopkit import options
from coopkit.frameworks import market, rewards
from coopkit.options.base import SMALLEST_NUMBER, Assessment, InputsPart, validate
from coopkit.options.sales import win_loss
from coopkit.store import crm
from coopkit.store.casefile import read_case, sample_case


def sample(name: str, **changes: Any) -> dict:
    """The raw inputs of worksheet ``name``'s sample case, with top-level ``changes``."""
    raw = read_case(sample_case(options.get(name).sample)).inputs
    if "draws" in options.get(name).inputs.model_fields:
        raw["draws"] = 1_000  # the smallest Monte Carlo: fast
    return raw | changes


def first_deal(raw: dict, column: str, value: str) -> dict:
    """``raw`` with the first deal's cell in ``column`` of the sample CRM export replaced by ``value``."""
    lines = raw["crm_csv"].split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells)
    return raw | {"crm_csv": "\n".join(lines)}


def put(raw: dict, path: tuple, value: Any) -> dict:
    """``raw`` with ``value`` at ``path`` (keys and list indices)."""
    *parents, last = path
    holder: Any = raw
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return raw


def get(inputs: Any, path: tuple) -> Any:
    """The value at ``path`` of validated Inputs (attributes and list indices)."""
    for key in path:
        inputs = inputs[key] if isinstance(key, int) else getattr(inputs, key)
    return inputs


def problems_of(name: str, raw: dict) -> list[tuple[tuple, str]]:
    inputs, problems = validate(options.get(name).inputs, raw)
    assert (inputs is None) == bool(problems)
    return [(p.loc, p.message) for p in problems]


def assess(name: str, raw: dict) -> Assessment:
    inputs, problems = validate(options.get(name).inputs, raw)
    assert problems == []
    return options.get(name).assess(inputs)


def assert_no_bad_number(a: Assessment) -> None:
    text = a.report()
    assert not re.search(r"(?<!\w)[-−+]?(nan|inf)\b", text, re.IGNORECASE), text
    for frame in [a.parties, *a.tables.values()]:
        numbers = frame.select_dtypes("number")
        assert not np.isinf(numbers.to_numpy(dtype=float)).any(), numbers


# --------------------------------------------------------------------------- CRM export (store.crm)
def test_a_first_row_with_a_value_too_many_is_refused_not_shifted():
    # pandas took the first column as row labels when only the first deal had a value too many
    columns = crm.ColumnMap("outcome", value="amount")
    with pytest.raises(crm.CrmError, match=r"^CRM export: line 2 has 3 values where the header has 2; a value that"):
        crm.read_deals("outcome,amount\nWon,1,500\nLost,3\n", columns)
    with pytest.raises(crm.CrmError, match=r"line 4 has 4 values where the header has 2"):  # blank lines counted
        crm.read_deals("outcome,amount\n\n\nWon,1,500,3\nLost,3\n", columns)


@pytest.mark.parametrize("name", ["sales_win_loss", "sales_deal_review"])
def test_a_first_deal_with_an_unquoted_thousands_comma_is_explained_at_the_file(name):
    found = problems_of(name, first_deal(sample(name), "amount", "1,500"))
    assert found == [
        (
            ("crm_csv",),
            "CRM export: line 2 has 15 values where the header has 14; a value that contains the delimiter "
            "(commas) must be in double quotes.",
        )
    ]


def test_skipping_other_outcomes_keeps_each_deal_with_its_checklist_points():
    # the checklist points of the kept rows were aligned on their file row labels: NaN, then astype(int8) raised
    text = "outcome,prep\nOpen,2\nWon,yes\nOpen,1\nLost,no\nWon,\n"
    deals = crm.read_deals(text, crm.ColumnMap("outcome", skip_other=True, checklist=("prep",)))
    assert deals.skipped == 2
    assert deals.frame["won"].tolist() == [True, False, True]
    assert deals.checklist["prep"].tolist() == [2, 0, -1]
    assert deals.checklist["prep"].dtype == np.int8


def test_a_deal_review_skipping_an_open_deal_assesses():
    raw = first_deal(sample("sales_deal_review", skip_other_outcomes=True), "outcome", "Open")
    a = assess("sales_deal_review", raw)
    assert "Skipped 1 rows whose outcome is neither a win nor a loss (e.g. 'Open')." in [f.text for f in a.findings]


def test_an_outcome_column_of_spaces_is_explained():
    # ColumnMap.roles() drops a blank name, and _convert raised KeyError 'outcome'
    with pytest.raises(crm.CrmError, match=r"^Outcome column is blank: name the column of the file that says whether"):
        crm.read_deals("outcome\nWon\n", crm.ColumnMap("   "))


@pytest.mark.parametrize("name", ["sales_win_loss", "sales_deal_review"])
def test_a_blank_outcome_column_is_a_problem_naming_the_outcome_column(name):
    [(loc, message)] = problems_of(name, sample(name, outcome_column=" "))
    assert loc == ("crm_csv",)
    assert message.startswith("Outcome column is blank")


@pytest.mark.parametrize("date", ["-1", "0000", "-2023-01-01", "0000-06-30"])
def test_a_date_before_year_one_is_not_a_date(date):
    # pandas reads these ISO dates as years 0 and before; strftime of them raised NotImplementedError
    columns = crm.ColumnMap("outcome", date="closed_on")
    with pytest.raises(crm.CrmError) as caught:
        crm.read_deals(f"outcome,closed_on\nWon,{date}\nLost,2024-01-01\n", columns)
    assert caught.value.messages == [
        f"Column 'closed_on' (Date column): 1 row is not a date in the form YYYY-MM-DD; correct it or choose the "
        f"Date format the file uses. First: row 2: {date!r}."
    ]


def test_year_one_and_year_9999_are_still_dates():
    deals = crm.read_deals(
        "outcome,closed_on\nWon,0001-01-01\nLost,9999-12-31\n", crm.ColumnMap("outcome", date="closed_on")
    )
    assert deals.frame["date"].dt.year.tolist() == [1, 9999]


def test_a_win_loss_review_with_a_date_before_year_one_is_explained():
    [(loc, message)] = problems_of("sales_win_loss", first_deal(sample("sales_win_loss"), "closed_on", "-1"))
    assert loc == ("crm_csv",)
    assert message.startswith("Column 'closed_on' (Date column): 1 row is not a date in the form YYYY-MM-DD")


# --------------------------------------------------------------------------- win/loss trend (options.sales.win_loss)
def test_a_change_with_an_empty_half_says_so_instead_of_nan():
    # win_loss._change printed the interval of an empty half with _signed: "95% interval +nan to –"
    nan = math.nan
    row = pd.Series(
        {"earlier_deals": 235, "earlier_rate": 0.417, "later_deals": 0, "later_rate": nan, "change": nan}
        | {"change_low": nan, "change_high": nan}
    )
    assert (
        win_loss._change(row, SimpleNamespace(method="halves"))
        == "41.7% in the earlier half, no deals in the later half"
    )
    assert win_loss._signed(nan) == "–"


def test_a_logistic_trend_against_a_competitor_with_an_empty_later_half_prints_no_nan():
    raw = first_deal(sample("sales_win_loss", trend_method="logistic"), "closed_on", "9999-12-31")
    a = assess("sales_win_loss", raw)  # the later half holds that one deal only
    [slipping] = [f.text for f in a.findings if f.text.startswith("Slipping against Vantage Cloud")]
    assert slipping.endswith("; 41.7% in the earlier half, no deals in the later half.")
    assert_no_bad_number(a)


# --------------------------------------------------------------------------- market growth (frameworks.market)
def test_growth_of_an_exhausted_market_is_an_amount_not_an_infinite_percentage():
    assert market._growth(100.0, 150.0, 5) == "+50% revenue over 5 years"
    assert market._growth(100.0, 60.0, 5) == "-40% revenue over 5 years"
    assert market._growth(0.0, 2_500.0, 5) == (
        "2,500 more revenue over 5 years, where competing alone earns none (the market is already fully adopted)"
    )
    assert "next to none" in market._growth(1e-300, 2_500.0, 5)


def test_a_market_fully_adopted_before_the_horizon_grows_by_a_finite_amount():
    a = assess("market_growth", sample("market_growth", market_age=100.0))
    first = a.findings[0].text
    assert re.fullmatch(
        r"Cooperation grows the market: [\d,]+ more revenue over 6 years, where competing alone earns none "
        r"\(the market is already fully adopted\)\.",
        first,
    ), first
    assert_no_bad_number(a)


def test_the_sample_market_still_grows_by_a_percentage():
    first = assess("market_growth", sample("market_growth")).findings[0].text
    assert re.fullmatch(r"Cooperation grows the market: \+\d+% revenue over 6 years\.", first), first


# --------------------------------------------------------------------------- vanishing numbers (options.base)
# A subnormal amount passed the bounds and was divided by: ZeroDivisionError (rewards.exchange_rate), an
# infinite cost per beneficiary, break-even share, referral fee or pooled price. Now a number other than 0
# below SMALLEST_NUMBER in size is read as 0 where the field allows 0, and refused where it does not.
REFUSED = [
    # (worksheet, field, value, the problem's message)
    ("sales_rewards", "bonus_pool", 5e-324, "Bonus pool must be between 1e-09 and 1,000,000,000,000, got 4.94066e-324"),
    ("sales_rewards", "team_plan", 1e-10, "Team sales plan must be between 1e-09 and 1,000,000,000,000, got 1e-10"),
]


@pytest.mark.parametrize(("name", "field", "value", "message"), REFUSED, ids=[v[1] for v in REFUSED])
def test_a_vanishing_number_where_0_is_not_allowed_is_refused_naming_the_field_and_range(name, field, value, message):
    assert problems_of(name, sample(name, **{field: value})) == [((field,), message)]


READ_AS_ZERO = [
    # (worksheet, path in the raw data, value, path of the number in the Inputs)
    ("charitable_cause", ("sponsors", 0, "beneficiaries"), 1e-310, ("sponsors", 0, "beneficiaries")),
    ("cross_upsell", ("price",), {"likely": 1e-310}, ("price", "likely")),
    ("referrals", ("sides", 1, "conversion"), {"likely": 5e-324}, ("sides", 1, "conversion", "likely")),
    (
        "joint_purchasing",
        ("members", 0, "volume"),
        {"likely": 8.0, "low": 1e-12, "high": 9.0},
        ("members", 0, "volume", "low"),
    ),
    (
        "win_win_check",
        ("parties", 0, "standalone_payoff"),
        {"likely": -1e-12},
        ("parties", 0, "standalone_payoff", "likely"),
    ),
]


@pytest.mark.parametrize(("name", "path", "value", "where"), READ_AS_ZERO, ids=[v[0] for v in READ_AS_ZERO])
def test_a_vanishing_number_where_0_is_allowed_is_read_as_0(name, path, value, where):
    inputs, problems = validate(options.get(name).inputs, put(sample(name), path, value))
    assert problems == []
    assert get(inputs, where) == 0.0 and math.copysign(1.0, get(inputs, where)) == 1.0  # not -0.0
    assert_no_bad_number(options.get(name).assess(inputs))


def test_a_vanishing_volume_is_read_as_0_and_explained():
    raw = put(sample("joint_purchasing"), ("members", 0, "volume"), {"likely": 5e-324})
    assert problems_of("joint_purchasing", raw) == [
        (("members", 0, "volume"), "Member 1: Volume (most likely) must be more than 0: every member buys something")
    ]


SMALLEST_ALLOWED = [
    ("sales_rewards", ("bonus_pool",), SMALLEST_NUMBER),
    ("sales_rewards", ("team_plan",), SMALLEST_NUMBER),
    ("charitable_cause", ("sponsors", 0, "beneficiaries"), SMALLEST_NUMBER),
    ("cross_upsell", ("price",), {"likely": SMALLEST_NUMBER}),
    ("referrals", ("sides", 1, "conversion"), {"likely": SMALLEST_NUMBER}),
    ("joint_purchasing", ("members", 0, "volume"), {"likely": SMALLEST_NUMBER}),
]


@pytest.mark.parametrize(("name", "path", "value"), SMALLEST_ALLOWED, ids=[v[0] for v in SMALLEST_ALLOWED])
def test_the_smallest_number_allowed_assesses_to_finite_figures(name, path, value):
    raw = put(sample(name), path, value)
    if name == "charitable_cause":
        for sponsor in raw["sponsors"]:
            sponsor["beneficiaries"] = SMALLEST_NUMBER
    assert_no_bad_number(assess(name, raw))


def test_the_exchange_rate_of_the_smallest_pool_over_the_largest_plan_is_finite():
    scheme = rewards.Scheme(500, SMALLEST_NUMBER, 1e12, 0.7, 0.2, 0.1, 0.0, SMALLEST_NUMBER, 1e4)  # rate 1e-21
    assert math.isfinite(rewards.exchange_rate(scheme))


class Demo(InputsPart):
    amount: float = Field(1.0, ge=-10, le=10, title="Amount")
    count: int = Field(0, ge=0, le=10, title="Count")
    price: float = Field(1.0, gt=0, le=10, title="Price")
    note: str = Field("", title="Note")


def test_the_rule_covers_every_number_of_a_part_and_assignments_too():
    assert Demo(amount=-SMALLEST_NUMBER, price=SMALLEST_NUMBER).amount == -SMALLEST_NUMBER
    assert Demo(amount=-1e-10, count=0).amount == 0.0
    with pytest.raises(ValidationError, match="vanishing_number"):
        Demo(price=1e-10)
    demo = Demo()
    demo.amount = 5e-324
    assert demo.amount == 0.0
    with pytest.raises(ValidationError, match="must be at least 1e-09"):
        demo.price = 5e-324
    [problem] = validate(Demo, {"price": "1e-12"})[1]
    assert problem.message == "Price must be between 1e-09 and 10, got '1e-12'"


def test_normal_numbers_are_kept_as_given():
    assert Demo(amount=-2.5, price=1e-9).model_dump() == {"amount": -2.5, "count": 0, "price": 1e-9, "note": ""}


def test_every_number_of_every_worksheet_is_covered():
    # every model in a worksheet's inputs derives from InputsPart, so none escapes the rule
    def models(model, seen):
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():
            for arg in [info.annotation, *getattr(info.annotation, "__args__", ())]:
                for inner in [arg, *getattr(arg, "__args__", ())]:
                    if isinstance(inner, type) and hasattr(inner, "model_fields"):
                        models(inner, seen)

    found: set = set()
    for name in options.names():
        models(options.get(name).inputs, found)
    numeric = {m for m in found if any(i.annotation in (float, float | None) for i in m.model_fields.values())}
    assert {"Sponsor", "Member", "Side", "Party", "ShareUncertain", "NonNegativeUncertain"} <= {
        m.__name__ for m in numeric
    }
    assert [m.__name__ for m in numeric if not issubclass(m, InputsPart)] == []
