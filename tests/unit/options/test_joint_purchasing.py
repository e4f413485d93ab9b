"""Tests for coopkit.options.joint_purchasing: the tier schedule, the savings game and its splits, assess(), the view."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit import options
from coopkit.errors import InputError
from coopkit.frameworks import game
from coopkit.options.base import Assessment, Problem, field_bounds, validate
from coopkit.options.joint_purchasing import (
    FAIR_SHARE_FLOOR,
    SHEET,
    SPLIT_LABELS,
    SPLIT_RULES,
    Inputs,
    Member,
    Tier,
    assess,
    coalition_savings,
    margin,
    savings_split,
    unit_price,
)
from coopkit.report.charts import to_png
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "joint_purchasing_hospitals.json"
# The glove schedule of the sample: EUR per box, from each yearly volume on.
THRESHOLDS = [0, 5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000]
PRICES = [6.80, 6.55, 6.30, 6.05, 5.80, 5.55, 5.30, 5.05]
# The textbook pool: A and B (50 units each) pay 10 alone and reach the 5 tier together; C (100) pays 5 already.
TEXTBOOK_T, TEXTBOOK_P = [0, 100, 300], [10.0, 5.0, 4.9]


def tiers(thresholds=TEXTBOOK_T, prices=TEXTBOOK_P) -> list[dict]:
    return [{"min_volume": t, "unit_price": p} for t, p in zip(thresholds, prices, strict=True)]


def member(name: str, volume: float, **extra) -> dict:
    return {"name": name, "volume": {"likely": volume}, **extra}


def case(*members: dict, **extra) -> dict:
    """Inputs data: the textbook pool by default, no coordination cost."""
    members = members or (member("A", 50), member("B", 50), member("C", 100))
    return {"tiers": tiers(), "members": list(members), **extra}


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SAMPLE)).inputs)


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


def texts(a: Assessment) -> list[str]:
    return [f.text for f in a.findings]


@pytest.fixture(scope="module")
def sample() -> Assessment:
    return run(sample_inputs())


# --------------------------------------------------------------------------- the sample case
def test_sample_gives_the_documented_verdict(sample):
    assert SHEET.name == "joint_purchasing" and SHEET.kind == "option" and SHEET.sample == SAMPLE
    assert options.get("joint_purchasing") is SHEET
    assert (sample.worksheet, sample.verdict, sample.level, sample.passed) == (
        "joint_purchasing",
        "go with conditions",
        "caution",
        True,
    )
    assert sample.probability == 1.0
    assert list(sample.parties.index) == [
        "Lakeside General",
        "Metro University Hospital",
        "Hillcrest Hospital",
        "Bayview Clinic",
    ]
    assert list(sample.parties.columns) == ["share", "cost_share", "risk", "gain", "added_value"]
    assert set(sample.tables) == {"members", "rules", "pool", "tiers", "sensitivity"}
    assert set(sample.details) >= {"winwin", "risk", "guardrails", "shapley", "blocking", "chosen_rule", "largest"}
    assert sample.details["chosen_rule"] == SPLIT_LABELS["equal_price"]
    assert sample.details["largest"] == "Metro University Hospital"
    assert sample.headline.startswith("Gain over buying alone after coordination costs, equal-price split:")
    assert sample.assumptions and all(sample.assumptions)


def test_sample_prices_alone_and_pooled(sample):
    m = sample.tables["members"]
    assert m["volume"].tolist() == [75_000, 120_000, 40_000, 18_000]
    assert m["price_alone"].tolist() == [5.80, 5.55, 5.80, 6.30]
    assert m["price_pool"].round(10).tolist() == [5.30] * 4  # an equal price: every member pays the pool's
    pool = sample.tables["pool"]["value"]
    assert pool["Pooled volume"] == 253_000 and pool["Unit price in the pool"] == 5.30
    assert pool["Savings"] == pytest.approx(105_500)
    assert pool["Spend if each buys alone"] - pool["Spend in the pool"] == pytest.approx(105_500)
    assert pool["Savings after coordination cost"] == pytest.approx(80_500)


def test_sample_equal_price_short_changes_the_largest_member(sample):
    m = sample.tables["members"]
    big = "Metro University Hospital"
    assert m.loc[big, "savings"] == pytest.approx(30_000)  # 120,000 x (5.55 - 5.30)
    assert m.loc[big, "shapley"] == pytest.approx(40_979.1667, abs=1e-3)
    assert m.loc[big, "of_shapley"] < FAIR_SHARE_FLOOR
    assert texts(sample)[0] == (
        "Condition: the equal-price split gives Metro University Hospital only 73% of its Shapley value "
        "(30,000 of 40,979 a year); agree a rebate or split by Shapley before it leaves the pool."
    )
    assert any(
        t.startswith("Equal price gives Metro University Hospital, the largest member, 30,000 a year")
        for t in texts(sample)
    )


def test_sample_is_a_go_under_shapley():
    a = run(sample_inputs() | {"split_rule": "shapley"})
    assert a.verdict == "go"
    assert a.parties["share"].sum() == pytest.approx(105_500)
    assert a.tables["rules"]["in_core"].all()


def test_sample_round_trips_without_losing_data():
    data = sample_inputs()
    inputs = Inputs.model_validate(data)
    dumped = inputs.model_dump()
    assert Inputs.model_validate(dumped) == inputs
    for key, value in data.items():
        if isinstance(value, list):
            for got, want in zip(dumped[key], value, strict=True):
                assert {k: got[k] for k in want} == {
                    k: v if not isinstance(v, dict) else got[k] for k, v in want.items()
                }
        elif not isinstance(value, dict):
            assert dumped[key] == value, key


def test_every_field_has_a_title_a_description_and_numeric_bounds():
    checked = 0
    for model in (Inputs, Member, Tier):
        for name, info in model.model_fields.items():
            assert info.title and info.description, name
            if info.annotation in (int, float):
                bounds = field_bounds(info)
                assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), name
                checked += 1
    assert checked == 7  # differentiation, draws, seed; two shares per member; two numbers per tier


# --------------------------------------------------------------------------- the tier schedule
@pytest.mark.parametrize(
    ("volume", "price"),
    [
        (0, 6.80),
        (4_999, 6.80),
        (4_999.999, 6.80),
        (5_000, 6.55),  # exactly at a break point: the lower price
        (5_000.001, 6.55),
        (159_999, 5.55),
        (160_000, 5.30),
        (320_000, 5.05),
        (1e9, 5.05),
    ],
)
def test_unit_price_at_and_around_the_break_points(volume, price):
    assert unit_price(volume, THRESHOLDS, PRICES) == price


def test_unit_price_keeps_the_shape_of_the_volumes():
    got = unit_price(np.array([[0, 5_000], [20_000, 400_000]]), THRESHOLDS, PRICES)
    assert got.tolist() == [[6.80, 6.55], [6.05, 5.05]]


def test_pooling_exactly_onto_a_break_point_gets_that_tier():
    # 60 + 40 = 100 units, exactly the threshold of the 8 tier
    v = coalition_savings([60, 40], [0, 100], [10.0, 8.0])
    assert v.tolist() == [0.0, 0.0, 0.0, 200.0]
    assert savings_split("equal_price", [60, 40], [0, 100], [10.0, 8.0]).tolist() == [120.0, 80.0]
    # one unit short of the break point: no savings at all
    assert coalition_savings([60, 39], [0, 100], [10.0, 8.0])[-1] == 0.0


@pytest.mark.parametrize(
    ("thresholds", "prices", "message"),
    [
        (
            [5, 10],
            [2.0, 1.0],
            "tiers: from volume must start at 0 (the first tier's price applies to any volume), got [5.0, 10.0]",
        ),
        (
            [0, 10, 10],
            [3.0, 2.0, 1.0],
            "tiers: from volume must rise strictly from tier to tier, got [0.0, 10.0, 10.0]",
        ),
        ([0, 10], [2.0, 3.0], "tiers: unit price must not rise with volume, got [2.0, 3.0]"),
        ([0, 10], [2.0, 0.0], "tiers: unit price must be prices greater than 0, got [2.0, 0.0]"),
        ([0, 10], [2.0], "tiers: unit price must give one price per tier (2), got [2.0]"),
        ([], [], "tiers must list at least one tier, got []"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_field(thresholds, prices, message):
    with pytest.raises(InputError) as info:
        unit_price(1.0, thresholds, prices)
    assert str(info.value) == message


@pytest.mark.parametrize("volume", [-1.0, math.nan, math.inf])
def test_a_bad_volume_is_refused(volume):
    with pytest.raises(InputError, match=r"^volume must be at least 0 units per year, got "):
        unit_price([10.0, volume], THRESHOLDS, PRICES)


def test_unknown_rule_is_refused():
    with pytest.raises(InputError, match=r"^split_rule must be one of equal_price, volume, shapley, got 'equal'$"):
        savings_split("equal", [1, 2], [0], [1.0])


# --------------------------------------------------------------------------- the savings game and its splits
def test_textbook_game_and_splits():
    assert coalition_savings([50, 50, 100], TEXTBOOK_T, TEXTBOOK_P).tolist() == [0, 0, 0, 500, 0, 250, 250, 500]
    got = {r: savings_split(r, [50, 50, 100], TEXTBOOK_T, TEXTBOOK_P) for r in SPLIT_RULES}
    assert got["equal_price"].tolist() == [250.0, 250.0, 0.0]
    assert got["volume"].tolist() == [125.0, 125.0, 250.0]
    assert got["shapley"] == pytest.approx([1250 / 6, 1250 / 6, 500 / 6])


def test_the_sample_split_under_every_rule_adds_up_to_the_savings(sample):
    rules = sample.tables["rules"]
    names = list(sample.parties.index)
    assert list(rules.index) == [SPLIT_LABELS[r] for r in SPLIT_RULES]
    for label in rules.index:
        assert rules.loc[label, names].sum() == pytest.approx(105_500, rel=1e-12)
    assert rules.loc[SPLIT_LABELS["equal_price"], names].tolist() == pytest.approx([37_500, 30_000, 20_000, 18_000])
    assert rules.loc[SPLIT_LABELS["volume"], names].tolist() == pytest.approx(
        [105_500 * q / 253_000 for q in (75_000, 120_000, 40_000, 18_000)]
    )


def test_the_monte_carlo_axis_gives_the_same_game_as_one_draw_at_a_time():
    rng = np.random.default_rng(1)
    q = rng.integers(1, 200_000, size=(50, 4)).astype(float)
    together = coalition_savings(q, THRESHOLDS, PRICES)
    for row, v in zip(q, together, strict=True):
        np.testing.assert_allclose(coalition_savings(row, THRESHOLDS, PRICES), v, rtol=1e-12, atol=1e-6)
    for rule in SPLIT_RULES:
        np.testing.assert_allclose(
            savings_split(rule, q, THRESHOLDS, PRICES), [savings_split(rule, row, THRESHOLDS, PRICES) for row in q]
        )


@st.composite
def pools(draw):
    """A tier schedule and 2 to 5 members' volumes (whole units)."""
    k = draw(st.integers(1, 5))
    steps = draw(st.lists(st.integers(1, 500), min_size=k - 1, max_size=k - 1))
    thresholds = np.concatenate([[0], np.cumsum(steps)]).tolist()
    cuts = draw(st.lists(st.integers(0, 300), min_size=k - 1, max_size=k - 1))
    top = draw(st.integers(1, 2_000))
    prices = (top + np.concatenate([[0], -np.cumsum(cuts)]) + sum(cuts)).astype(float) / 100
    volumes = draw(st.lists(st.integers(0, 800), min_size=2, max_size=5))
    return thresholds, prices.tolist(), volumes


@given(pools())
def test_every_rule_splits_exactly_the_savings_and_equal_price_is_in_the_core(pool):
    t, p, q = pool
    v = coalition_savings(q, t, p)
    assert v[0] == 0 and all(v[1 << j] == 0 for j in range(len(q)))  # savings against buying alone
    scale = max(1.0, abs(v[-1]))
    for rule in SPLIT_RULES:
        x = savings_split(rule, q, t, p)
        assert x.sum() == pytest.approx(v[-1], abs=1e-9 * scale)
        assert (x >= -1e-9 * scale).all()  # the game is monotone: no rule makes a member pay in
    names = [f"M{j}" for j in range(len(q))]
    value = lambda members: v[members.astype(np.int64) @ (1 << np.arange(len(q)))]  # noqa: E731
    assert game.in_core(names, value, savings_split("equal_price", q, t, p), tol=1e-9 * scale, vectorized=True)


@given(pools())
def test_the_savings_game_is_monotone_and_superadditive(pool):
    t, p, q = pool
    v = coalition_savings(q, t, p)
    n = len(q)
    for s in range(1 << n):
        for j in range(n):
            assert v[s | 1 << j] >= v[s] - 1e-9 * max(1.0, v[-1])
        rest = ((1 << n) - 1) & ~s
        sub = rest
        while sub:  # every T disjoint from S
            assert v[s | sub] >= v[s] + v[sub] - 1e-9 * max(1.0, v[-1])
            sub = (sub - 1) & rest


@given(pools(), st.floats(0, 2_000), st.floats(0, 2_000))
def test_the_unit_price_never_rises_with_volume(pool, a, b):
    t, p, _ = pool
    low, high = sorted((a, b))
    assert unit_price(high, t, p) <= unit_price(low, t, p)


@given(pools())
def test_the_split_does_not_depend_on_the_members_order(pool):
    t, p, q = pool
    order = np.arange(len(q))[::-1]
    for rule in SPLIT_RULES:
        forward = savings_split(rule, q, t, p)
        backward = savings_split(rule, np.asarray(q)[order], t, p)
        np.testing.assert_allclose(backward, forward[order], atol=1e-9 * max(1.0, forward.sum()))


# --------------------------------------------------------------------------- the core: who would leave
def test_the_core_check_names_the_member_the_others_would_leave_behind():
    a = run(case(split_rule="volume"))
    assert a.details["blocking"][SPLIT_LABELS["volume"]] == frozenset({"A", "B"})
    assert a.details["blocking"][SPLIT_LABELS["equal_price"]] is None
    assert a.tables["rules"]["in_core"].tolist() == [True, False, False]
    assert a.verdict == "go with conditions"
    assert (
        "Condition: A and B would save more pooling without C; give them a larger share (the equal price is always in the core)."
        in texts(a)
    )
    assert any(t.startswith("C's share (250) is more than its added value (0)") for t in texts(a))
    assert (
        "Under the Shapley split, A and B would save 500 pooling without C, more than the 417 that split gives them: "
        "it is not in the core."
    ) in texts(a)


def test_a_member_who_adds_nothing_gains_nothing_under_equal_price():
    a = run(case(split_rule="equal_price"))
    assert a.verdict == "no-go"
    assert a.parties.loc["C", "gain"] == 0
    assert (
        "C would be better off buying alone: it saves 0 a year in the pool, not more than its share of the coordination cost (0)."
        in texts(a)
    )


def test_a_member_already_at_the_pools_price_is_better_off_buying_alone():
    # Big buys 300 units at the 4.9 tier alone; the pool's 330 units get the same price
    a = run(case(member("Small", 30), member("Big", 300), split_rule="equal_price", coordination_cost={"likely": 33}))
    assert a.parties.loc["Big", "share"] == 0 and a.parties.loc["Big", "cost_share"] == pytest.approx(30)
    assert a.verdict == "no-go"
    assert texts(a)[0] == "No-go: not every party gains."
    assert (
        "Big would be better off buying alone: it saves 0 a year in the pool, not more than its share of the coordination cost (30)."
        in texts(a)
    )


def test_the_coordination_cost_is_shared_by_volume_and_can_sink_the_pool():
    base = case(member("A", 60), member("B", 40), tiers=tiers([0, 100], [10.0, 8.0]), split_rule="volume")
    a = run(base | {"coordination_cost": {"likely": 150}})
    assert a.parties["cost_share"].tolist() == pytest.approx([90, 60])
    assert a.parties["gain"].tolist() == pytest.approx([30, 20])
    assert a.verdict == "go"  # B gets exactly 80% of its Shapley value (80 of 100): not short-changed
    b = run(base | {"coordination_cost": {"likely": 250}})
    assert b.verdict == "no-go" and (b.parties["gain"] < 0).all()


def test_no_savings_without_a_lower_tier():
    a = run(case(member("A", 50), member("B", 40), split_rule="shapley"))
    assert a.tables["pool"].loc["Savings", "value"] == 0
    assert a.verdict == "no-go"


def test_the_reputation_risk_counts_against_us_only():
    data = case(member("A", 60), member("B", 40), tiers=tiers([0, 100], [10.0, 8.0]), split_rule="volume")
    a = run(data | {"rep_revenue": {"likely": 1_000_000}, "rep_incidents": 5, "rep_exposure": "co-branded"})
    assert a.parties.loc["A", "risk"] > 0 and a.parties.loc["B", "risk"] == 0
    assert a.parties.loc["A", "gain"] == pytest.approx(120 - a.parties.loc["A", "risk"])


@st.composite
def cases(draw):
    """Valid Inputs data without ranges: a schedule from pools(), 2 to 5 members, a coordination cost, a rule."""
    t, p, q = draw(pools())
    q = [x + 1 for x in q]  # every member buys something
    return {
        "tiers": tiers(t, p),
        "members": [member(f"M{j}", x) for j, x in enumerate(q)],
        "coordination_cost": {"likely": draw(st.integers(0, 500))},
        "split_rule": draw(st.sampled_from(SPLIT_RULES)),
    }


@given(cases())
def test_assess_accounts_for_every_cent(data):
    a = run(data)
    assert a.verdict in ("go", "go with conditions", "no-go")
    savings = a.tables["pool"].loc["Savings", "value"]
    p = a.parties
    scale = max(1.0, savings)
    assert p["share"].sum() == pytest.approx(savings, abs=1e-9 * scale)
    assert p["cost_share"].sum() == pytest.approx(data["coordination_cost"]["likely"], abs=1e-9 * scale)
    np.testing.assert_allclose(p["gain"], p["share"] - p["cost_share"] - p["risk"], atol=1e-9 * scale)
    # no-go exactly when some member does not gain (the win-win check counts any gain above 1e-9 as a gain;
    # gains within float noise of zero may fall either way)
    noise = 1e-9 * scale
    if not ((p["gain"] - 1e-9).abs() <= noise).any():
        assert (a.verdict == "no-go") == bool((p["gain"] <= 1e-9).any())
    rules = a.tables["rules"]
    assert bool(rules.loc[SPLIT_LABELS["equal_price"], "in_core"])


def test_margin_is_the_smallest_gain(sample):
    inputs = Inputs.model_validate(sample_inputs())
    assert margin(inputs) == pytest.approx(float(sample.parties["gain"].min()))


# --------------------------------------------------------------------------- ranges and the Monte Carlo
def test_the_monte_carlo_is_seeded_and_in_range():
    data = sample_inputs() | {"draws": 5_000, "coordination_cost": {"likely": 60_000, "low": 20_000, "high": 120_000}}
    a, b = run(data), run(data)
    assert a.probability == b.probability and 0 < a.probability < 1
    assert run(data | {"seed": 1}).probability != a.probability


def test_without_ranges_there_is_no_probability():
    assert run(sample_inputs() | {"use_ranges": False}).probability is None


def test_point_ranges_give_a_certain_answer():
    a = run(case(split_rule="volume", use_ranges=True, draws=1_000))
    assert a.probability == 1.0


def test_the_sensitivity_table_swings_the_cost_and_every_volume(sample):
    table = sample.tables["sensitivity"]
    assert set(table["input"]) == {"coordination_cost", *(f"members.{j}.volume" for j in range(4))}
    assert "Metro University Hospital: volume" in set(table["label"])
    assert table["swing"].is_monotonic_decreasing


# --------------------------------------------------------------------------- guardrails
def test_purchasing_guardrails_use_both_markets(sample):
    guard = sample.details["guardrails"]
    assert guard.kind == "purchasing"
    assert guard.combined_share == pytest.approx(0.13) and guard.buying_share == pytest.approx(0.102)
    assert guard.within_eu_threshold is True
    data = sample_inputs()
    data["members"][0]["buying_share"] = 0.08
    over = run(data)
    assert over.details["guardrails"].within_eu_threshold is False
    assert "Condition: competition law: above a safe-harbour threshold; have counsel assess it." in texts(over)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (
            lambda d: d["tiers"][0].update(min_volume=5_000),
            ("tiers", 0, "min_volume"),
            "Tier 1: From volume must be 0 (the first tier's price applies to any volume), got 5,000",
        ),
        (
            lambda d: d["tiers"][2].update(min_volume=5_000),
            ("tiers", 2, "min_volume"),
            "Tier 3: From volume must be more than tier 2's (5,000), got 5,000",
        ),
        (
            lambda d: d["tiers"][3].update(unit_price=6.5),
            ("tiers", 3, "unit_price"),
            "Tier 4: Unit price must be at most tier 3's (6.3): prices may not rise with volume, got 6.5",
        ),
        (
            lambda d: d["tiers"][1].update(unit_price=0),
            ("tiers", 1, "unit_price"),
            "Tier 2: Unit price must be greater than 0 and at most 1,000,000,000, got 0",
        ),
        (
            lambda d: d["tiers"][1].update(min_volume=-1),
            ("tiers", 1, "min_volume"),
            "Tier 2: From volume must be between 0 and 1,000,000,000,000, got -1",
        ),
        (
            lambda d: d["members"][1]["volume"].update(likely=-5),
            ("members", 1, "volume", "likely"),
            "Member 2: Volume (most likely) must be between 0 and 1,000,000,000,000, got -5",
        ),
        (
            lambda d: d["members"][0]["volume"].update(likely=0, low=0),
            ("members", 0, "volume"),
            "Member 1: Volume (most likely) must be more than 0: every member buys something",
        ),
        (
            lambda d: d["members"][2]["volume"].update(low=50_000),
            ("members", 2, "volume"),
            "Member 3: Volume needs low <= most likely <= high, got low 50,000, most likely 40,000, high 44,000",
        ),
        (
            lambda d: d["members"][0].update(buying_share=1.5),
            ("members", 0, "buying_share"),
            "Member 1: Share of purchases must be between 0 and 1, got 1.5",
        ),
        (
            lambda d: d["members"][3].update(name="metro university hospital "),
            ("members", 3, "name"),
            "Member 4: name is also used by member 2",
        ),
        (
            lambda d: d["members"][1].update(selling_share=0.95),
            ("members",),
            "Shares of their market must add up to at most 1, got 1.02",
        ),
        (
            lambda d: d.update(rival_shares="0.5, 0.45"),
            ("rival_shares",),
            "Other large players' shares and the members' shares of their market must add up to at most 1, got 1.08",
        ),
        (
            lambda d: d.update(rival_shares="0.3, lots"),
            ("rival_shares",),
            "Other large players' shares must be numbers separated by commas, got 'lots' (entry 2)",
        ),
        (
            lambda d: d.update(coordination_cost={"likely": 10, "low": 20, "high": 30}),
            ("coordination_cost",),
            "Coordination cost needs low <= most likely <= high, got low 20, most likely 10, high 30",
        ),
        (
            lambda d: d["members"][2].update(name="in_core"),
            ("members", 2, "name"),
            "Member 3: name 'in_core' is the name of a column of the results; choose another",
        ),
        (lambda d: d.update(tiers=[]), ("tiers",), "Supplier's price tiers must list 1 to 12 entries, got 0"),
        (lambda d: d.update(members=d["members"][:1]), ("members",), "Members must list 2 to 8 entries, got 1"),
        (
            lambda d: d.update(split_rule="equal"),
            ("split_rule",),
            "Savings split must be one of 'equal_price', 'volume' or 'shapley', got 'equal'",
        ),
        (lambda d: d.update(unit_name=""), ("unit_name",), "Unit must be 1 to 30 characters long, got 0"),
    ],
)
def test_bad_input_is_explained_on_its_field(change, loc, message):
    data = sample_inputs()
    change(data)
    problems = problems_of(data)
    assert Problem(loc, message) in problems, problems


def test_ranges_are_only_checked_when_used():
    data = sample_inputs() | {"use_ranges": False}
    data["members"][2]["volume"]["low"] = 50_000
    assert problems_of(data) == []


# --------------------------------------------------------------------------- the result panel
def test_the_view_shows_prices_rules_and_the_pool(sample):
    v = view(sample)
    assert [s.key for s in v.before] == ["parties", "prices", "rules", "pool"]
    assert [s.key for s in v.after] == ["guardrails"]
    assert len(v.charts) == 4
    rules = v.before[2].html
    assert "Equal price for all <b>(chosen)</b>" in rules
    assert "253,000 boxes a year" in v.before[3].html and "5.30 EUR a unit" in v.before[3].html
    assert "73.2%" in v.before[1].html
    titles = [chart.build().axes[0].get_title() for chart in v.charts[:2]]
    assert titles[0] == "Pooling 253,000 boxes a year cuts the unit price from 5.55–6.30 to 5.30"
    assert titles[1] == "Equal price gives Metro University Hospital\n10,979 (27%) less than its Shapley value"


@pytest.mark.parametrize(
    "data",
    [
        case(member("A", 50), member("B", 40), split_rule="shapley"),  # no savings at all
        case(split_rule="equal_price"),  # C gets nothing: its share of the Shapley value is 0 of 83
    ],
    ids=["no-savings", "textbook"],
)
def test_the_view_draws_pools_without_savings_for_someone(data):
    v = view(run(data))
    assert [s.key for s in v.before] == ["parties", "prices", "rules", "pool"]
    for chart in v.charts:
        assert to_png(chart.build(), dpi=30)[:4] == b"\x89PNG"
    assert "nan" not in "".join(s.html for s in v.before)


def test_hostile_names_are_escaped_and_drawn_as_typed():
    evil = ["<script>alert(1)</script>", "A$_$", "x & y"]
    data = sample_inputs() | {"draws": 1_000, "unit_name": "<b>boxes</b>"}
    for m, name in zip(data["members"], evil, strict=False):
        m["name"] = name
    v = view(run(data))
    page = "".join(s.html for s in v.before + v.after)
    assert "<script" not in page and "<b>boxes" not in page and "x & y" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "x &amp; y" in page
    for chart in v.charts:
        assert to_png(chart.build(), dpi=30)[:4] == b"\x89PNG"
