"""Tests for coopkit.report.portfolio: the portfolio table, its filters and sorts.

``info``, ``summary``, ``UNASSESSED``, ``sample_portfolio`` and ``hostile_table`` are shared with
test_portfolio_html.py and test_portfolio_charts.py.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.report.portfolio import (
    COLUMNS,
    EXAMPLE_SUMMARY,
    LEVELS,
    SORTS,
    filter_portfolio,
    portfolio_table,
    sort_portfolio,
)
from coopkit.store.cases import CaseInfo, Revision
from coopkit.store.summary import summarise

EVIL = "<script>alert(1)</script>"


def summary(**changes) -> dict:
    return {**EXAMPLE_SUMMARY, **changes}


def info(
    case_id: str = "0123456789abcdef",
    *,
    worksheet: str = "win_win_check",
    title: str = "Pooled imports",
    author: str = "Ana Ruiz",
    summary_: dict | None = None,
    draft: bool = False,
    updated: str = "2025-03-01 12:00",
    number: int = 1,
) -> CaseInfo:
    when = datetime.fromisoformat(updated).replace(tzinfo=UTC)
    revision = Revision(
        case_id,
        worksheet,
        number,
        when,
        author,
        title,
        "",
        {},
        summary() if summary_ is None else summary_,
        draft,
        None,
    )
    return CaseInfo(case_id, worksheet, when, when, number, revision)


UNASSESSED = {"assessed": False, "verdict": "not assessed", "level": "caution", "problems": ["x"]}


def sample_portfolio() -> pd.DataFrame:
    """Five cases: good, caution with a market effect, bad with a flag, an unassessed draft, a caution one."""
    return portfolio_table(
        [
            info("a" * 16, title="Pooled imports", updated="2025-03-01 12:00"),
            info(
                "b" * 16,
                worksheet="market_growth",
                title="Category campaign",
                author="Ben Okafor",
                summary_=summary(
                    worksheet="market_growth",
                    verdict="rising tide",
                    level="caution",
                    gains={},
                    value_created=None,
                    reputation=None,
                    probability=0.8,
                    probability_label="P(grows enough for every party)",
                    market={"growth": 3_000_000.0, "share_shift": 1_000_000.0},
                ),
                updated="2025-03-05 09:30",
            ),
            info(
                "c" * 16,
                worksheet="joint_purchasing",
                title="Buying group",
                summary_=summary(
                    verdict="no-go",
                    level="bad",
                    gains={"Lakeside": 30_000.0, "Metro Hospital": -12_500.0, "Bayview": 4_000.0},
                    value_created=21_500.0,
                    reputation="severe",
                    reputation_loss=9_000.0,
                    probability=0.35,
                    antitrust=["combined share 31%: above the safe harbour", "Information exchange ..."],
                ),
                updated="2025-02-01 08:00",
            ),
            info("d" * 16, title="Half-typed deal", summary_=UNASSESSED, draft=True, updated="2025-03-07 10:00"),
            info(
                "e" * 16,
                worksheet="referrals",
                title="Referral swap",
                author="Chloé Martin",
                summary_=summary(level="caution", gains={"Us": 5_000.0, "Brightwire": 9_000.0}, value_created=14_000.0),
                updated="2025-01-15 16:45",
            ),
        ]
    )


@pytest.fixture(scope="module")
def portfolio() -> pd.DataFrame:
    return sample_portfolio()


# ---------------------------------------------------------------------------------------------- the table
def test_table_has_one_row_per_case_with_the_documented_columns(portfolio):
    assert list(portfolio.columns) == list(COLUMNS)
    assert portfolio["case_id"].tolist() == ["a" * 16, "b" * 16, "c" * 16, "d" * 16, "e" * 16]


def test_row_of_a_win_win_case(portfolio):
    row = portfolio.iloc[0]
    assert row["option"] == "Win-win check"
    assert row["partners"] == "Birch"
    assert row["verdict"] == "win-win" and row["level"] == "good"
    assert row["gains"] == "Alder +70,000; Birch +55,000"
    assert row["value_created"] == 125_000.0 and row["currency"] == "EUR"
    assert row["probability"] == pytest.approx(0.9942) and row["p_win_win"] == pytest.approx(0.9942)
    assert row["reputation"] == "low" and row["risk_score"] == 1.0
    assert math.isnan(row["market_growth"])
    assert row["antitrust_count"] == 0 and row["antitrust_first"] == ""
    assert row["updated_at"] == pd.Timestamp("2025-03-01 12:00", tz="UTC")
    assert row["author"] == "Ana Ruiz" and not row["draft"]


def test_losses_partners_and_flags(portfolio):
    row = portfolio.iloc[2]
    assert row["partners"] == "Metro Hospital, Bayview"
    assert row["gains"] == "Lakeside +30,000; Metro Hospital −12,500; Bayview +4,000"
    assert row["reputation"] == "severe" and row["risk_score"] == 4.0
    assert row["antitrust_count"] == 2 and row["antitrust_first"].startswith("combined share 31%")


def test_market_growth_effect_is_the_share_of_the_change_that_is_growth(portfolio):
    row = portfolio.iloc[1]
    assert row["market_growth"] == pytest.approx(0.75)  # 3M growth against 1M moved between the parties
    assert row["partners"] == "—" and math.isnan(row["value_created"])
    # a probability that is not P(win-win) is shown but not sorted as one
    assert row["probability"] == pytest.approx(0.8) and math.isnan(row["p_win_win"])


def test_a_draft_that_could_not_be_assessed_has_no_figures(portfolio):
    row = portfolio.iloc[3]
    assert row["draft"] and row["level"] == "not assessed" and row["verdict"] == "not assessed"
    assert math.isnan(row["value_created"]) and math.isnan(row["risk_score"]) and math.isnan(row["probability"])
    assert row["reputation"] == "—" and row["gains"] == "—"


def test_no_cases_give_an_empty_table_with_every_column():
    empty = portfolio_table([])
    assert empty.empty and list(empty.columns) == list(COLUMNS)
    assert filter_portfolio(empty, text="x").empty
    assert sort_portfolio(empty, "risk").empty


def test_a_missing_or_malformed_summary_is_not_assessed_and_does_not_crash():
    broken = summary(gains="lots", value_created="NaN", probability=float("inf"), antitrust="yes", reputation="huge")
    table = portfolio_table(
        [info("a" * 16, summary_={}), info("b" * 16, summary_=broken), info("c" * 16, worksheet="gone")]
    )
    assert table.loc[0, "level"] == "not assessed"
    assert table.loc[1, "gains"] == "—" and math.isnan(table.loc[1, "value_created"])
    assert math.isnan(table.loc[1, "probability"]) and table.loc[1, "reputation"] == "—"
    assert table.loc[1, "antitrust_count"] == 0
    assert table.loc[2, "option"] == "gone"  # a worksheet no longer registered keeps its name


def test_figures_match_a_real_summary():
    from coopkit.store.casefile import read_case, sample_case

    real = summarise("win_win_check", read_case(sample_case("win_win_two_party.json")).inputs)
    row = portfolio_table([info(summary_=json.loads(json.dumps(real)))]).iloc[0]
    assert row["value_created"] == pytest.approx(sum(real["gains"].values()))
    assert row["partners"] == "Birch & Bean" and row["verdict"] == real["verdict"]


@pytest.mark.parametrize(
    "inputs",
    [
        {"parties": [{"name": "Zeta Foods"}, {"name": "Alpha Mills"}, {"name": "Mid Co"}]},
        {"members": [{"name": "Zeta Foods"}, {"name": "Alpha Mills"}, {"name": "Mid Co"}], "tiers": [{"min": 0}]},
        {"our_name": "Zeta Foods", "partner_name": "Alpha Mills"},
    ],
)
def test_us_and_the_partners_keep_the_worksheets_order_through_the_store(inputs):
    # the store saves JSON with sorted keys: the summary's gains come back alphabetical
    from coopkit.store.cases import CaseStore

    store = CaseStore("sqlite://")
    gains = {"Zeta Foods": 10.0, "Alpha Mills": 20.0} | ({"Mid Co": -5.0} if "partner_name" not in inputs else {})
    store.create("win_win_check", inputs, summary=summary(gains=gains))
    row = portfolio_table(store.cases()).iloc[0]
    expected = "Alpha Mills, Mid Co" if "partner_name" not in inputs else "Alpha Mills"
    assert row["partners"] == expected
    assert row["gains"].startswith("Zeta Foods +10; Alpha Mills +20")


def test_an_explicit_party_order_in_the_summary_wins():
    row = portfolio_table([info(summary_=summary(parties=["Birch", "Alder"]))]).iloc[0]
    assert row["partners"] == "Alder" and row["gains"] == "Birch +55,000; Alder +70,000"


# ---------------------------------------------------------------------------------------------- filter and sort
def test_filter_by_option_level_and_text(portfolio):
    assert filter_portfolio(portfolio, option="referrals")["title"].tolist() == ["Referral swap"]
    assert filter_portfolio(portfolio, verdict_level="caution")["case_id"].tolist() == ["b" * 16, "e" * 16]
    assert filter_portfolio(portfolio, verdict_level="not assessed")["title"].tolist() == ["Half-typed deal"]
    assert filter_portfolio(portfolio, text="  METRO ")["title"].tolist() == ["Buying group"]  # partner
    assert filter_portfolio(portfolio, text="chloé")["title"].tolist() == ["Referral swap"]  # author
    assert filter_portfolio(portfolio, text="swap", verdict_level="good").empty
    assert len(filter_portfolio(portfolio)) == len(portfolio)


def test_text_search_is_literal_not_a_regular_expression(portfolio):
    assert filter_portfolio(portfolio, text=".*").empty
    assert filter_portfolio(portfolio, text="(").empty


def test_bad_filter_and_sort_are_named():
    with pytest.raises(InputError, match="verdict level must be one of good, caution, bad, not assessed"):
        filter_portfolio(portfolio_table([]), verdict_level="great")
    with pytest.raises(InputError, match="sort must be one of last change"):
        sort_portfolio(portfolio_table([]), "alphabet")


def test_sorts(portfolio):
    def titles(by):
        return sort_portfolio(portfolio, by)["title"].tolist()

    assert titles("last change") == [
        "Half-typed deal",
        "Category campaign",
        "Pooled imports",
        "Buying group",
        "Referral swap",
    ]
    assert titles("value created") == [
        "Pooled imports",
        "Buying group",
        "Referral swap",
        "Half-typed deal",
        "Category campaign",
    ]  # no figure last, most recent first among them
    assert titles("P(win-win)")[:3] == ["Pooled imports", "Referral swap", "Buying group"]
    assert titles("risk")[:3] == ["Buying group", "Pooled imports", "Referral swap"]


@given(by=st.sampled_from(list(SORTS)), text=st.text(max_size=3), level=st.sampled_from([None, *LEVELS]))
def test_filtering_keeps_a_subset_and_sorting_a_permutation(portfolio, by, text, level):
    kept = filter_portfolio(portfolio, text=text, verdict_level=level)
    assert set(kept["case_id"]) <= set(portfolio["case_id"])
    ordered = sort_portfolio(kept, by)
    assert sorted(ordered["case_id"]) == sorted(kept["case_id"])


def hostile_table() -> pd.DataFrame:
    evil = summary(gains={"Us": 1.0, EVIL: 2.0}, value_created=3.0, antitrust=[EVIL])
    table = portfolio_table([info(title=EVIL, author=EVIL, summary_=evil)])
    assert table.loc[0, "partners"] == EVIL
    return table
