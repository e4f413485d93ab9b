"""The inputs of the older reference notebooks, read from case files, and the helpers that print them.

charitable_cause_examples, cross_upsell_examples, market_growth_examples,
reputation_risk_examples and sales_win_loss_examples keep no inputs in their
cells: they read the worksheets' sample cases and the ``ref_*`` variants in
data/samples/ through :func:`coopkit.store.casefile.sample_inputs`. These tests
check that each case gives what the notebook's prose says (the figures it
shows, pinned here as well as under nbval) and that reading a case through the
worksheet gives what the framework gives on the same figures typed by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from coopkit.errors import InputError
from coopkit.frameworks import game, market, reputation, winloss
from coopkit.options import charitable_cause as cc
from coopkit.options import cross_upsell as cu
from coopkit.options import market_growth as mg
from coopkit.options import reputation_risk as rr
from coopkit.options.sales.deal_review import history
from coopkit.store import casefile
from coopkit.store.casefile import read_case, sample_case, sample_inputs

REF_CASES = {
    "ref_cross_upsell_empty_zone.json": "cross_upsell",
    "ref_market_growth_share_grab.json": "market_growth",
    "ref_market_growth_stress.json": "market_growth",
}
INSTALLERS = ["Northwind Heat", "Fjord Energy"]


# --------------------------------------------------------------------------- reading the cases
@pytest.mark.parametrize("name", sorted(REF_CASES))
def test_every_reference_case_is_a_synthetic_case_its_worksheet_accepts(name):
    case = read_case(sample_case(name))
    assert case.worksheet == REF_CASES[name]
    assert "Synthetic" in case.notes
    assert type(sample_inputs(name)).__module__ == f"coopkit.options.{REF_CASES[name]}"


def _samples(tmp_path, monkeypatch, name: str, raw: dict) -> None:
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / name).write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setattr(casefile, "data_dir", lambda: tmp_path)


def test_sample_inputs_names_a_worksheet_that_does_not_exist(tmp_path, monkeypatch):
    _samples(tmp_path, monkeypatch, "x.json", {"schema_version": 1, "worksheet": "no_such_sheet", "inputs": {}})
    with pytest.raises(InputError, match=r"worksheet must be one of .*, got 'no_such_sheet'"):
        sample_inputs("x.json")


def test_sample_inputs_reports_the_first_problem_and_how_many_more(tmp_path, monkeypatch):
    parties = [
        {"name": "A", "share_now": 0.7, "share_with": 0.7},
        {"name": "A", "share_now": 0.6, "share_with": 0.6},
    ]
    _samples(tmp_path, monkeypatch, "x.json", {"worksheet": "market_growth", "inputs": {"parties": parties}})
    with pytest.raises(InputError, match=r"Party 2: name is also used by party 1 \(and 2 more problem"):
        sample_inputs("x.json")


def test_sample_inputs_stays_inside_data_samples():
    with pytest.raises(InputError, match="sample file must be a file name inside data/samples"):
        sample_inputs("../README.md")


# --------------------------------------------------------------------------- charitable cause
@pytest.fixture(scope="module")
def literacy():
    return sample_inputs("charitable_cause_literacy.json")


def test_the_goodwill_game_is_the_table_worked_out_by_hand(literacy):
    values = cc.goodwill_game(literacy)
    assert values == {
        ("Harbor Foods",): 30_000,
        ("Greenway Markets",): 0,
        ("Corner & Co",): 0,
        ("Harbor Foods", "Greenway Markets"): 126_000,
        ("Harbor Foods", "Corner & Co"): 77_500,
        ("Greenway Markets", "Corner & Co"): 43_500,
        ("Harbor Foods", "Greenway Markets", "Corner & Co"): 213_500,
    }


def test_shapley_cost_shares_match_the_assessment(literacy):
    names = [s.name for s in literacy.sponsors]
    phi = game.shapley(names, cc.goodwill_game(literacy))
    table = cc.shapley_costs(literacy, phi)
    assert table["shapley"].round(2).tolist() == [100_583.33, 68_583.33, 44_333.33]
    assert table["cost_share"].round(2).tolist() == [159_416.67, 121_416.67, 65_666.67]
    assessment = cc.assess(literacy.model_copy(update={"use_ranges": False}))
    assert np.allclose(table["cost_share"], assessment.parties["cost_share"])
    assert table["cost_share"].sum() == pytest.approx(346_500)


# --------------------------------------------------------------------------- cross up-selling
def test_the_economics_by_hand_of_the_payroll_sample():
    inputs = sample_inputs("cross_upsell_payroll.json")
    table = cu.economics_table(inputs).set_index("figure")
    assert table["amount"].round(2).tolist() == [2_400, 864_000, 72_000, 90_000, 222_000, 172_800, 322_800, 319_200]
    assert table.loc["add-on sales a year", "arithmetic"] == "40,000 customers × 6% attach rate"
    assert table.loc["our own sales lost", "arithmetic"] == "2,400 × 25% × 150"
    assert cu.likely_economics(inputs) == cu.economics(
        40_000,
        0.06,
        360,
        0.25,
        own_addon_margin=150,
        support_cost=30,
        partner_margin=0.8,
        our_fixed_cost=60_000,
        partner_fixed_cost=150_000,
    )


def test_an_expected_loss_gets_its_own_row_and_counts_in_our_costs():
    inputs = sample_inputs("cross_upsell_payroll.json")
    table = cu.economics_table(inputs, expected_loss=1_000).set_index("figure")
    assert table.loc["our expected loss", "amount"] == 1_000
    assert table.loc["our costs C_u", "amount"] == 223_000
    assert table.loc["our costs C_u", "arithmetic"] == "72,000 + 90,000 + 1,000 + our fixed cost 60,000"


def test_the_empty_zone_case():
    worse = sample_inputs("ref_cross_upsell_empty_zone.json")
    e = cu.likely_economics(worse)
    assert (round(e.cannibalised), round(e.our_cost), round(e.surplus)) == (432_000, 564_000, -22_800)
    zone = cu.win_win_zone(e.revenue, e.our_cost, e.partner_cost)
    assert zone.empty and np.isnan(zone.nash)
    assert (round(zone.low, 4), round(zone.high, 4)) == (0.6528, 0.6264)


# --------------------------------------------------------------------------- market growth
@pytest.fixture(scope="module")
def campaign():
    inputs = sample_inputs("market_growth_joint_campaign.json").model_copy(update={"use_ranges": False})
    return inputs, mg.run(inputs)[0]


def test_the_campaign_case_gives_what_the_framework_gives_on_the_figures_typed_by_hand(campaign):
    _, result = campaign
    by_hand = market.assess(
        INSTALLERS,
        shares_compete=[0.18, 0.12],
        shares_cooperate=[0.19, 0.13],
        m=60_000,
        revenue_per_customer=12_000,
        m_uplift=0.15,
        p_uplift=0.30,
        years=6,
        market_age=4,
        basis="one-off",
        margin=0.25,
        discount_rate=0.08,
        cooperation_cost=[60_000, 60_000],
    )
    assert np.allclose(result.market, by_hand.market, rtol=1e-12)
    assert np.allclose(result.npv, by_hand.npv, rtol=1e-12)
    assert result.npv.round(0).tolist() == [3_608_460, 2_638_306]


def test_paths_report(campaign):
    lines = market.paths_report(campaign[1]).splitlines()
    assert lines[:2] == ["compete  : p = 0.03, q = 0.38, m = 60,000", "cooperate: p = 0.039, q = 0.38, m = 69,000"]
    assert lines[-1] == "market revenue over 6 years: 417,349,980 compete-only, 500,853,901 cooperating (+20.0%)"
    assert all(line == line.rstrip() for line in lines)


def test_npv_by_year_adds_up_to_the_npv(campaign):
    inputs, result = campaign
    table = mg.npv_by_year(inputs, result, "Fjord Energy")
    assert table.index.tolist() == [1, 2, 3, 4, 5, 6]
    assert round(table.loc[1, "cash_flow"]) == 524_906
    assert table["discount_factor"].round(4).tolist() == [0.9259, 0.8573, 0.7938, 0.735, 0.6806, 0.6302]
    assert table["present_value"].sum() == pytest.approx(result.npv["Fjord Energy"], rel=1e-12)
    with pytest.raises(InputError, match="party must be one of Northwind Heat, Fjord Energy, got 'Rest of market'"):
        mg.npv_by_year(inputs, result, "Rest of market")


def test_the_share_grab_case():
    grab, _ = mg.run(sample_inputs("ref_market_growth_share_grab.json"))
    d = grab.decomposition
    assert d["growth"].abs().max() == 0
    assert d.loc["Northwind Heat", ["from Fjord Energy", "from Rest of market"]].round(0).tolist() == [
        6_509_446,
        9_764_168,
    ]
    assert grab.npv.round(0).tolist() == [3_791_031, -1_904_734]


def test_ranges_report_of_the_campaign_and_the_stress_test():
    uncertain, _ = mg.run(sample_inputs("market_growth_joint_campaign.json"))
    text = market.ranges_report(uncertain, fan_years=[1, 3, 6])
    assert "growth alone paying each one's cost: 1.0000" in text
    assert "Northwind Heat        3,608,460 2,137,091 3,845,491 5,828,473     1.0000" in text
    assert text.splitlines()[-1].split() == [
        "6",
        "51,151,598",
        "58,095,560",
        "63,748,255",
        "69,861,861",
        "79,375,215",
        "53,002,100",
    ]
    stress, _ = mg.run(sample_inputs("ref_market_growth_stress.json"))
    lines = market.ranges_report(stress, fan_years=[]).splitlines()
    assert lines[0].endswith(": 0.1756") and lines[1].endswith(": 0.1756")
    assert lines[-2].split()[-1] == "0.6263" and lines[-1].split()[-1] == "0.1756"
    assert "Market revenue per year" not in "\n".join(lines)


def test_ranges_report_needs_ranges_and_years_of_the_horizon(campaign):
    with pytest.raises(InputError, match="result must come from assess with at least one input given as a range"):
        market.ranges_report(campaign[1])
    uncertain, _ = mg.run(sample_inputs("market_growth_joint_campaign.json").model_copy(update={"draws": 1_000}))
    with pytest.raises(InputError, match=r"fan_years must be years of the horizon, 1 to 6, got \[0, 7\]"):
        market.ranges_report(uncertain, fan_years=[0, 1, 7])
    assert "every party" in market.ranges_report(
        market.assess(["A", "B", "C"], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1], m=(9, 10, 11), revenue_per_customer=1)
    )


# --------------------------------------------------------------------------- reputation risk
@pytest.fixture(scope="module")
def roaster():
    return sample_inputs("reputation_risk_cobranded.json")


def test_the_roaster_case_gives_what_the_framework_gives_on_the_figures_typed_by_hand(roaster):
    risk = rr.run(roaster.model_copy(update={"use_ranges": False}))
    scores = {"quality": 4, "satisfaction": 4, "incidents": 3, "financial": 2, "legal": 3, "values": 3, "data": 3}
    by_hand = reputation.assess(
        scores,
        exposure="co-branded",
        mitigations=["quality_clauses", "exit_rights"],
        base_rate=0.08,
        revenue=1_200_000,
        customers_lost=0.08,
        recovery_years=1.5,
        differentiation=0.8,
        one_off_cost=40_000,
        horizon_years=3,
    )
    assert risk.table().equals(by_hand.table())
    assert round(risk.risk_adjustment) == 12_972


def test_score_arithmetic_and_rating_scales(roaster):
    risk = rr.run(roaster.model_copy(update={"use_ranges": False}))
    assert reputation.score_arithmetic(risk).splitlines() == [
        "partner score = (2×4 + 2×4 + 1×3 + 1×2 + 1×3 + 1×3 + 1×3) / 9",
        "              = 30 / 9 = 3.3333",
    ]
    assert reputation.rating_scales().splitlines()[:2] == [
        "Likelihood (chance over the horizon): 1 rare < 0.1%, 2 unlikely < 1%, 3 possible < 10%, 4 likely < 50%, "
        "5 almost certain",
        "Impact (share of a year's revenue): 1 negligible < 1%, 2 minor < 5%, 3 moderate < 15%, 4 major < 30%, 5 severe",
    ]


def test_the_mitigation_ladder_of_the_roaster(roaster):
    ladder = rr.mitigation_ladder(roaster)
    assert ladder.index.tolist() == [
        "none",
        "as entered: quality clauses + exit rights",
        "+ audits",
        "+ limited co-branding",
        "+ staged roll-out",
    ]
    assert ladder["expected_loss"].round(0).tolist() == [26_474, 12_972, 10_378, 6_227, 4_203]
    assert ladder["cell"].tolist() == [16, 16, 16, 12, 9]
    assert ladder["gain_us"].round(0).tolist() == [-16_474, -2_972, -378, 3_773, 5_797]
    assert ladder["verdict"].tolist()[-2:] == ["win-win but lopsided", "win-win"]


def test_the_ladder_without_mitigations_entered_or_a_deal_check():
    ladder = rr.mitigation_ladder(rr.Inputs(revenue={"likely": 1_000_000}, check_deal=False))
    assert ladder.index.tolist()[:2] == ["none", "+ quality clauses"]
    assert len(ladder) == 1 + len(reputation.MITIGATIONS)
    assert list(ladder.columns) == ["expected_loss", "cell", "rating"]


def test_ranges_report_of_the_roaster(roaster):
    lines = reputation.ranges_report(rr.run(roaster)).splitlines()
    assert lines == [
        "draws: 100,000",
        "expected loss per year at the most likely inputs: 12,972",
        "expected loss per year: p5 7,971   p50 15,096   p95 27,827   mean 16,124",
        "share of scenarios rated high or severe: 1.0000",
    ]
    every = rr.run(roaster.model_copy(update=dict.fromkeys(reputation.MITIGATIONS, True)))
    last = reputation.ranges_report(every, at_least=10_000).splitlines()[-1]
    assert last == "scenarios with an expected loss of 10,000 or more a year: 2,505 of 100,000"
    with pytest.raises(InputError, match="result must come from assess with at least one input given as a range"):
        reputation.ranges_report(rr.run(roaster.model_copy(update={"use_ranges": False})))


# --------------------------------------------------------------------------- win/loss and deal review
def test_the_sales_samples_read_the_shipped_crm_export():
    win_loss = sample_inputs("sales_win_loss.json")
    frame = win_loss.deals().frame
    assert len(frame) == 1_500
    assert win_loss.column_map().value == "amount" and win_loss.column_map().loss_reason == "loss_reason"


def test_preparation_report_of_the_deal_review_sample():
    scores, won, _ = history(sample_inputs("sales_deal_review.json").deals())
    lines = winloss.preparation_report(scores, won, max_points=12, score=6).splitlines()
    assert lines[0] == "1,421 deals with a checklist; logistic slope 0.1553 per point (se 0.0203)"
    assert lines[-2:] == ["Score 6, band: 39.9% (35.2% to 44.9%)", "Score 6, logistic: 41.7% (38.9% to 44.6%)"]


def test_preparation_report_without_a_logistic_fit_and_with_bad_input():
    text = winloss.preparation_report([1, 2, 3], [True, True, True], 4, score=2, bands=2)
    assert "no logistic fit" in text and "logistic:" not in text
    with pytest.raises(InputError, match="scores must give one score per deal"):
        winloss.preparation_report([1, 2], [True], 4, score=2)
