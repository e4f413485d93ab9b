"""The four-rivals lead pool (data/samples/four_rivals_lead_pool.json) and the figures four_rivals_lead_pool.ipynb shows.

The sample is a win-win check case; its ``repeated_game`` block is read only by
the reference notebook. These tests pin the notebook's figures, so a change that
moves one fails here with a readable message as well as under nbval.
"""

from __future__ import annotations

import pytest

from coopkit import options
from coopkit.frameworks import game, tournament, winwin
from coopkit.options.win_win import run_check
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "four_rivals_lead_pool.json"
PARTIES = ["Helios Solar", "Brightroof Energy", "Sunvale Installers", "Greenpeak Solar"]


@pytest.fixture(scope="module")
def case():
    return read_case(sample_case(SAMPLE))


@pytest.fixture(scope="module")
def pool(case):
    inputs, problems = options.validate(options.get("win_win_check").inputs, case.inputs)
    assert problems == []
    return inputs, run_check(inputs)


@pytest.fixture(scope="module")
def core(pool):
    inputs, result = pool
    leads = [p.contribution for p in inputs.parties]
    synergy = game.coalition_values(PARTIES, winwin.pooling_synergy(leads, inputs.returns_to_pooling), vectorized=True)
    value = winwin.partnership_game(result.standalone_payoff, result.partnership_value, synergy)
    return game.core_bounds(PARTIES, value, vectorized=True)


def test_the_sample_is_a_win_win_case_with_a_repeated_game_block(case, pool):
    assert case.worksheet == "win_win_check"
    assert "Synthetic" in case.notes
    plan = case.extra["repeated_game"]
    assert sorted(plan["hold_back_gain"]) == sorted(PARTIES)
    assert (plan["meetings_per_year"], plan["survival"], plan["discount_rate"]) == (4, 0.6, 0.08)
    assert list(pool[1].parties) == PARTIES


def test_the_shapley_split_is_win_win_lopsided_and_in_the_core(pool):
    _, result = pool
    assert result.verdict_label() == "win-win but lopsided"
    assert result.surplus == 300_000 and result.in_core
    assert result.gain.round(0).tolist() == [131_948, 66_047, 56_076, 45_929]
    assert (result.added_value - result.standalone_payoff).round(0).tolist() == [193_934, 88_683, 71_782, 54_454]
    assert result.splits.loc["nash", PARTIES].tolist() == [1_275_000, 595_000, 485_000, 345_000]


def test_core_ranges_as_gains(pool, core):
    gains = core.sub(pool[1].standalone_payoff, axis=0).round(0)
    assert gains["least"].tolist() == [95_188, 3_281, 0, 0]
    assert gains["most"].tolist() == [193_934, 88_683, 71_782, 54_454]


def test_the_leader_decides_how_often_they_must_meet(case, pool, core):
    _, result = pool
    plan = case.extra["repeated_game"]
    hold_back = [plan["hold_back_gain"][p] for p in PARTIES]
    survival, rate = plan["survival"], plan["discount_rate"]
    stage = game.pooling_thresholds(PARTIES, result.standalone_payoff, result.share, hold_back, 4)
    assert stage["threshold"].round(3).tolist() == [0.695, 0.476, 0.471, 0.466]
    needed = [round(tournament.meetings_needed(w, survival, rate), 2) for w in stage["threshold"]]
    assert needed == [1.61, 0.79, 0.78, 0.77]
    assert [round(tournament.continuation(m, survival, rate), 3) for m in (1, 2, 4, 12)] == [0.556, 0.745, 0.863, 0.952]
    decides = {}
    for rule in ("shapley", "nash", "proportional"):
        table = game.pooling_thresholds(
            PARTIES, result.standalone_payoff, result.splits.loc[rule, PARTIES], hold_back, 4
        )
        w = table["threshold"].max()
        decides[rule] = (
            table["threshold"].idxmax(),
            round(w, 3),
            round(tournament.meetings_needed(w, survival, rate), 2),
        )
    assert decides == {
        "shapley": ("Helios Solar", 0.695, 1.61),
        "nash": ("Helios Solar", 0.8, 2.63),
        "proportional": ("Helios Solar", 0.667, 1.45),
    }
    best = game.pooling_thresholds(
        PARTIES[:1], result.standalone_payoff[:1], [core.at[PARTIES[0], "most"]], hold_back[:1]
    )
    w = best.at[PARTIES[0], "threshold"]
    assert (round(w, 3), round(tournament.meetings_needed(w, survival, rate), 2)) == (0.607, 1.18)
