"""Tests for coopkit.frameworks.tournament: the iterated prisoner's dilemma.

Known results first (single matches by hand, a tournament ranking by hand,
the expected payoffs of geometric matches), then properties, then bad input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import game, tournament
from coopkit.frameworks.tournament import (
    MAX_ROUNDS,
    STRATEGIES,
    check_payoffs,
    continuation,
    generosity,
    meetings_needed,
    play_match,
    tft_threshold,
)

KEYS = list(STRATEGIES)
DETERMINISTIC = [k for k, s in STRATEGIES.items() if not s.stochastic]
NICE_DETERMINISTIC = [k for k in DETERMINISTIC if STRATEGIES[k].nice]


def moves(m, side: int = 0) -> str:
    return "".join("C" if c else "D" for c in m.first[side])


# --------------------------------------------------------------------------- single matches, by hand
@pytest.mark.parametrize("n", [1, 2, 10, 200])
def test_tit_for_tat_against_always_defect_scores_n_minus_1_against_5_plus_n_minus_1(n):
    m = play_match("tit_for_tat", "always_defect", rounds=n)
    assert m.mean_total.tolist() == [(n - 1) * 1 + 0, 5 + (n - 1) * 1]
    assert moves(m) == "C" + "D" * (n - 1)
    assert m.per_round.tolist() == pytest.approx([(n - 1) / n, (5 + n - 1) / n])


@pytest.mark.parametrize("n", [1, 7, 200])
def test_always_cooperate_against_always_defect_is_exploited_every_round(n):
    m = play_match("always_cooperate", "always_defect", rounds=n)
    assert m.mean_total.tolist() == [0.0, 5.0 * n]
    assert m.cooperation.tolist() == [1.0, 0.0]


@pytest.mark.parametrize("n", [1, 10, 200])
def test_tit_for_tat_against_itself_earns_r_every_round(n):
    m = play_match("tit_for_tat", "tit_for_tat", rounds=n)
    assert m.mean_total.tolist() == [3.0 * n, 3.0 * n]
    assert moves(m) == moves(m, 1) == "C" * n


@pytest.mark.parametrize(
    ("first", "second", "first_moves", "second_moves", "totals"),
    [
        ("always_defect", "always_defect", "DDDDD", "DDDDD", [5.0, 5.0]),
        ("grim_trigger", "always_defect", "CDDDD", "DDDDD", [4.0, 9.0]),
        ("tit_for_two_tats", "always_defect", "CCDDD", "DDDDD", [3.0, 13.0]),
        ("win_stay_lose_shift", "always_defect", "CDCDC", "DDDDD", [2.0, 17.0]),
        ("win_stay_lose_shift", "tit_for_tat", "CCCCC", "CCCCC", [15.0, 15.0]),
        ("grim_trigger", "tit_for_two_tats", "CCCCC", "CCCCC", [15.0, 15.0]),
        ("generous_tit_for_tat", "always_cooperate", "CCCCC", "CCCCC", [15.0, 15.0]),
    ],
)
def test_matches_by_hand(first, second, first_moves, second_moves, totals):
    m = play_match(first, second, rounds=5)
    assert (moves(m), moves(m, 1)) == (first_moves, second_moves)
    assert m.mean_total.tolist() == totals


def test_grim_trigger_never_forgives_but_tit_for_tat_does():
    # Against a rival that defects once (at random, but seeded), Grim defects for ever, Tit for Tat once.
    grim = play_match("grim_trigger", "random", rounds=40, p_random=0.95, seed=3)
    rival = moves(grim, 1)
    first_d = rival.index("D")
    assert moves(grim)[first_d + 1 :] == "D" * (40 - first_d - 1)
    tft = play_match("tit_for_tat", "random", rounds=40, p_random=0.95, seed=3)
    assert moves(tft, 1) == rival  # the same seed, the same random moves
    assert moves(tft)[1:] == rival[:-1]  # Tit for Tat copies the last move


def test_generous_tit_for_tat_with_no_generosity_is_tit_for_tat_and_with_full_generosity_always_cooperates():
    strict = play_match("generous_tit_for_tat", "always_defect", rounds=20, generosity=0.0)
    assert moves(strict) == "C" + "D" * 19
    kind = play_match("generous_tit_for_tat", "always_defect", rounds=20, generosity=1.0)
    assert moves(kind) == "C" * 20


def test_generous_tit_for_tat_forgives_about_g_of_the_defections():
    m = play_match("generous_tit_for_tat", "always_defect", rounds=MAX_ROUNDS, seed=1)
    assert m.cooperation[0] == pytest.approx(1 / 3, abs=0.03)  # Nowak-Sigmund g = 1/3 for 5, 3, 1, 0


@pytest.mark.parametrize(("p", "expected"), [(1.0, "C" * 12), (0.0, "D" * 12)])
def test_random_at_the_extremes_is_deterministic(p, expected):
    assert moves(play_match("random", "tit_for_tat", rounds=12, p_random=p)) == expected


def test_random_is_seeded():
    a = play_match("random", "random", rounds=50, seed=7)
    b = play_match("random", "random", rounds=50, seed=7)
    c = play_match("random", "random", rounds=50, seed=8)
    assert moves(a) == moves(b) and moves(a) != moves(c)
    assert 0.3 < a.cooperation[0] < 0.7


def test_noise_flips_moves_at_its_rate_and_breaks_mutual_tit_for_tat():
    defect = play_match("always_defect", "always_cooperate", rounds=MAX_ROUNDS, noise=0.1, seed=2)
    assert defect.cooperation.tolist() == pytest.approx([0.1, 0.9], abs=0.02)
    tft = play_match("tit_for_tat", "tit_for_tat", rounds=200, noise=0.05, seed=2)
    assert tft.cooperation.max() < 0.9
    assert tft.per_round.max() < 3.0


def test_without_noise_deterministic_strategies_ignore_the_seed():
    a = play_match("win_stay_lose_shift", "tit_for_two_tats", rounds=30, seed=1)
    b = play_match("win_stay_lose_shift", "tit_for_two_tats", rounds=30, seed=99)
    assert moves(a) == moves(b) and a.mean_total.tolist() == b.mean_total.tolist()


def test_by_round_averages_over_the_repetitions_that_reached_each_round():
    m = play_match("tit_for_tat", "always_defect", continuation_probability=0.5, repetitions=400, seed=0)
    table = m.by_round()
    assert table["reached"].iloc[0] == 400 and table["reached"].is_monotonic_decreasing
    assert table.loc[1, "first"] == 0.0 and table.loc[1, "second"] == 5.0
    assert (table.loc[2:, ["first", "second"]] == 1.0).all().all()
    assert m.payoffs.shape == m.moves.shape == (2, 400, int(m.lengths.max()))


# --------------------------------------------------------------------------- geometric lengths
def test_geometric_lengths_have_mean_one_over_one_minus_w():
    m = play_match("tit_for_tat", "tit_for_tat", continuation_probability=0.9, repetitions=MAX_ROUNDS, seed=0)
    assert m.lengths.min() >= 1
    assert m.lengths.mean() == pytest.approx(10.0, rel=0.06)
    assert m.mean_total[0] == pytest.approx(3.0 / (1 - 0.9), rel=0.06)  # R / (1 - w)


def test_continuation_zero_plays_one_round():
    m = play_match("tit_for_tat", "always_defect", continuation_probability=0.0, repetitions=5)
    assert m.lengths.tolist() == [1] * 5


def test_long_matches_are_cut_at_max_rounds_and_the_share_is_reported():
    t = tournament.tournament(
        ["tit_for_tat", "always_defect"], continuation_probability=0.99, repetitions=200, max_rounds=50
    )
    assert t.lengths.max() == 50
    assert 0.5 < t.capped < 0.7  # P(L > 50) = 0.99 ** 50 = 0.605


@pytest.mark.parametrize(("w", "alld_better"), [(0.4, True), (0.6, False)])
def test_simulation_agrees_with_the_grim_threshold_of_one_half(w, alld_better):
    # Against Tit for Tat: Always defect expects T + w P / (1 - w), Tit for Tat itself R / (1 - w).
    reps = MAX_ROUNDS
    defector = play_match("always_defect", "tit_for_tat", continuation_probability=w, repetitions=reps, seed=4)
    mutual = play_match("tit_for_tat", "tit_for_tat", continuation_probability=w, repetitions=reps, seed=4)
    assert defector.mean_total[0] == pytest.approx(5 + w * 1 / (1 - w), rel=0.03)
    assert mutual.mean_total[0] == pytest.approx(3 / (1 - w), rel=0.03)
    assert bool(defector.mean_total[0] > mutual.mean_total[0]) is alld_better
    assert (w >= game.cooperation_threshold(5, 3, 1, 0)) is not alld_better


# --------------------------------------------------------------------------- tournaments
def test_three_strategy_tournament_by_hand():
    # 10 rounds, no self-play. AllC: 0 vs AllD, 30 vs TfT; AllD: 50, 14; TfT: 30, 9.
    t = tournament.tournament(["always_cooperate", "always_defect", "tit_for_tat"], rounds=10, self_play=False)
    assert t.scores.index.tolist() == ["always_defect", "tit_for_tat", "always_cooperate"]
    assert t.scores["score"].tolist() == pytest.approx([64 / 20, 39 / 20, 30 / 20])
    assert t.scores["rank"].tolist() == [1.0, 2.0, 3.0]
    assert np.isnan(t.matrix.loc["tit_for_tat", "tit_for_tat"])
    assert t.matrix.loc["always_defect", "tit_for_tat"] == pytest.approx(1.4)


def test_six_deterministic_strategies_200_rounds_with_self_play_ranking_by_hand():
    # Totals over the six matches of 200 rounds (see the module's rules):
    #   TfT, Grim: 600 x 5 + 199 = 3,199; TF2T: 600 x 5 + 198 = 3,198; WSLS: 600 x 5 + 100 = 3,100 (alternates vs AllD);
    #   AllC: 600 x 5 + 0 = 3,000; AllD: 1,000 + 200 + 204 + 204 + 208 + 600 = 2,416.
    keys = [
        "always_cooperate",
        "always_defect",
        "tit_for_tat",
        "grim_trigger",
        "tit_for_two_tats",
        "win_stay_lose_shift",
    ]
    t = tournament.tournament(keys, rounds=200)
    assert t.scores.index.tolist() == [
        "tit_for_tat",
        "grim_trigger",
        "tit_for_two_tats",
        "win_stay_lose_shift",
        "always_cooperate",
        "always_defect",
    ]
    totals = (t.scores["score"] * 6 * 200).round(6).tolist()
    assert totals == [3199.0, 3199.0, 3198.0, 3100.0, 3000.0, 2416.0]
    assert t.scores["rank"].tolist() == [1.0, 1.0, 3.0, 4.0, 5.0, 6.0]  # equal scores share a rank
    assert t.winner == "tit_for_tat"  # the first listed among equals
    assert t.scores.loc["always_defect", "wins"] == 5 and t.scores.loc["tit_for_tat", "wins"] == 0


def test_the_same_setup_gives_the_same_ranking():
    kwargs = {"continuation_probability": 0.8, "repetitions": 100, "noise": 0.05, "seed": 11}
    a = tournament.tournament(KEYS, **kwargs)
    b = tournament.tournament(KEYS, **kwargs)
    assert a.scores.equals(b.scores) and a.matrix.equals(b.matrix)


def test_nice_strategies_win_a_long_noiseless_tournament_and_defectors_win_a_short_one():
    long = tournament.tournament(KEYS, rounds=200, repetitions=20)
    assert long.scores["nice"].iloc[:5].all()
    assert long.scores.loc["always_defect", "rank"] >= 7
    short = tournament.tournament(KEYS, continuation_probability=0.3, repetitions=300, seed=0)
    assert short.winner == "always_defect"


def test_every_pairing_plays_the_same_lengths():
    t = tournament.tournament(KEYS, continuation_probability=0.7, repetitions=30, seed=5)
    m = play_match("tit_for_tat", "always_defect", continuation_probability=0.7, repetitions=30, seed=5)
    assert t.lengths.tolist() == m.lengths.tolist()
    assert t.mean_length == pytest.approx(m.lengths.mean())


def test_matrix_and_cooperation_of_a_pairing_match_the_match():
    t = tournament.tournament(["tit_for_tat", "always_defect"], rounds=10, self_play=True)
    assert t.matrix.loc["tit_for_tat", "always_defect"] == pytest.approx(0.9)
    assert t.matrix.loc["always_defect", "tit_for_tat"] == pytest.approx(1.4)
    assert t.matrix.loc["tit_for_tat", "tit_for_tat"] == 3.0
    assert t.cooperation.loc["tit_for_tat", "always_defect"] == pytest.approx(0.1)
    assert t.scores.loc["tit_for_tat", "score"] == pytest.approx((0.9 + 3.0) / 2)


# --------------------------------------------------------------------------- thresholds and meetings
def test_thresholds_for_axelrods_payoffs():
    assert tft_threshold(5, 3, 1, 0) == pytest.approx(2 / 3)
    assert tft_threshold(5, 4, 1, 0) == pytest.approx(0.25)  # both terms 1/4
    assert tft_threshold(10, 6, 0, -1) == pytest.approx(4 / 7)  # alternation binds: 4/7 > 4/10
    assert tft_threshold(10, 8, 0, -5) == pytest.approx(0.2)  # Always defect binds: 2/10 > 2/13
    assert generosity(5, 3, 1, 0) == pytest.approx(1 / 3)
    assert generosity(5, 3, 2.9, 0) == pytest.approx(0.1 / 2.1)  # little to lose from punishment: little forgiveness


def test_tft_threshold_is_at_least_the_grim_threshold():
    for T, R, P, S in [(5, 3, 1, 0), (5, 4, 1, 0), (7, 5, 1, -2), (30_000, 15_000, 0, -5_000)]:
        assert tft_threshold(T, R, P, S) >= game.cooperation_threshold(T, R, P, S)


def test_continuation_and_meetings_needed_by_hand():
    assert continuation(2, 0.6, 0.1) == pytest.approx((0.6 / 1.1) ** 0.5)
    assert continuation(1, 0.5) == 0.5
    assert continuation(3, 1.0, 0.0) == 1.0
    assert meetings_needed(0.5, 0.25) == pytest.approx(2.0)  # 0.25 ** (1/2) = 0.5
    assert meetings_needed(0.5, 1.0, 0.0) == 0.0
    assert meetings_needed(1.0, 0.9) == math.inf
    assert meetings_needed(0.0, 0.9) == 0.0


@given(
    st.floats(0.01, 0.99),
    st.floats(0.05, 1.0),
    st.floats(0.0, 1.0),
)
def test_meeting_as_often_as_needed_reaches_the_threshold(threshold, survival, rate):
    needed = meetings_needed(threshold, survival, rate)
    if needed > 0:
        assert continuation(needed, survival, rate) == pytest.approx(threshold, rel=1e-9)
        assert continuation(needed * 1.01, survival, rate) > threshold
        assert continuation(needed * 0.99, survival, rate) < threshold


# --------------------------------------------------------------------------- properties
pd_payoffs = (
    st.tuples(
        st.floats(-100, 100, allow_nan=False),
        st.floats(0.1, 50),
        st.floats(0.1, 50),
        st.floats(0.1, 50),
    )
    .map(lambda x: (x[0] + x[1] + x[2] + x[3], x[0] + x[1] + x[2], x[0] + x[1], x[0]))  # T, R, P, S increasing gaps
    .filter(lambda p: 2 * p[1] > p[0] + p[3])
)


@given(pd_payoffs, st.sampled_from(KEYS), st.sampled_from(KEYS), st.floats(0, 0.3), st.integers(0, 50))
def test_a_round_pays_between_s_and_t_and_a_pair_at_most_2r(payoffs, a, b, noise, seed):
    T, R, P, S = payoffs
    m = play_match(a, b, T=T, R=R, P=P, S=S, rounds=15, repetitions=3, noise=noise, seed=seed)
    per = m.per_round
    tol = 1e-9 * max(1.0, abs(T), abs(S))
    assert S - tol <= per.min() and per.max() <= T + tol
    assert per.sum() <= 2 * R + tol
    assert per.sum() >= min(2 * P, T + S) - tol


@given(pd_payoffs, st.sampled_from(NICE_DETERMINISTIC), st.sampled_from(NICE_DETERMINISTIC))
def test_nice_strategies_without_noise_always_cooperate_with_each_other(payoffs, a, b):
    T, R, P, S = payoffs
    m = play_match(a, b, T=T, R=R, P=P, S=S, rounds=20)
    assert m.cooperation.tolist() == [1.0, 1.0]
    assert m.per_round.tolist() == pytest.approx([R, R])


@given(st.floats(0.5, 20), st.floats(-50, 50, allow_nan=False), st.integers(0, 20), st.floats(0, 0.2))
def test_an_affine_change_of_payoffs_changes_no_move_and_no_ranking(scale, shift, seed, noise):
    base = (5.0, 3.0, 1.0, 0.0)
    moved = tuple(scale * x + shift for x in base)
    kwargs = {"continuation_probability": 0.8, "repetitions": 20, "noise": noise, "seed": seed}
    a = tournament.tournament(KEYS, **dict(zip("TRPS", base, strict=True)), **kwargs)
    b = tournament.tournament(KEYS, **dict(zip("TRPS", moved, strict=True)), **kwargs)
    assert a.scores.index.tolist() == b.scores.index.tolist()
    assert (b.matrix.to_numpy() - shift) / scale == pytest.approx(a.matrix.to_numpy(), nan_ok=True)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("payoffs", "message"),
    [
        (
            (3, 3, 1, 0),
            "payoffs (T, R, P, S) must satisfy T > R > P > S (a prisoner's dilemma), got (3.0, 3.0, 1.0, 0.0)",
        ),
        (
            (5, 3, 1, 1),
            "payoffs (T, R, P, S) must satisfy T > R > P > S (a prisoner's dilemma), got (5.0, 3.0, 1.0, 1.0)",
        ),
        (
            (6, 3, 1, 0),
            "payoffs (T, R, P, S) must satisfy 2R > T + S (cooperating beats taking turns at exploiting each "
            "other), got (6.0, 3.0, 1.0, 0.0)",
        ),
        ((5, 3, float("nan"), 0), "P must be a finite number, got nan"),
        ((5, "3", 1, 0), "R must be a finite number, got '3'"),
    ],
)
def test_payoffs_that_are_not_a_prisoners_dilemma_are_refused(payoffs, message):
    with pytest.raises(InputError) as info:
        check_payoffs(*payoffs)
    assert str(info.value) == message
    with pytest.raises(InputError):
        play_match("tit_for_tat", "always_defect", **dict(zip("TRPS", payoffs, strict=True)), rounds=5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rounds": 0}, "rounds must be a whole number from 1 to 2,000, got 0"),
        ({"rounds": 2.5}, "rounds must be a whole number from 1 to 2,000, got 2.5"),
        ({}, "rounds must be given, or continuation_probability instead (one of the two), got None"),
        ({"rounds": 5, "continuation_probability": 0.5}, "rounds must be given, or continuation_probability"),
        ({"continuation_probability": 1.0}, "continuation_probability must be at least 0 and less than 1, got 1"),
        ({"continuation_probability": -0.1}, "continuation_probability must be at least 0 and less than 1"),
        ({"rounds": 5, "noise": 0.6}, "noise must be between 0 and 0.5, got 0.6"),
        ({"rounds": 5, "repetitions": 0}, "repetitions must be a whole number from 1 to 2,000, got 0"),
        ({"rounds": 5, "generosity": 1.5}, "generosity must be between 0 and 1, got 1.5"),
        ({"rounds": 5, "p_random": -1}, "p_random must be between 0 and 1, got -1"),
        ({"rounds": 5, "seed": -1}, "seed must be a whole number >= 0, got -1"),
        ({"rounds": 5, "max_rounds": 5_000}, "max_rounds must be a whole number from 1 to 2,000, got 5000"),
    ],
)
def test_bad_match_settings_are_refused_with_the_rule(kwargs, message):
    with pytest.raises(InputError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        play_match("tit_for_tat", "always_defect", **kwargs)


def test_unknown_duplicate_or_too_few_strategies_are_refused():
    with pytest.raises(InputError, match=r"^strategy must be one of always_cooperate, .*random, got 'nice_guy'$"):
        play_match("nice_guy", "tit_for_tat", rounds=3)
    with pytest.raises(InputError, match=r"^strategies must list at least two strategies, got \['tit_for_tat'\]$"):
        tournament.tournament(["tit_for_tat"], rounds=3)
    with pytest.raises(InputError, match=r"^strategies must list each strategy once"):
        tournament.tournament(["tit_for_tat", "tit_for_tat"], rounds=3)


def test_a_tournament_too_big_to_play_is_refused():
    with pytest.raises(InputError, match=r"^repetitions must be fewer: 36 pairings x 2000 repetitions x up to 2000"):
        tournament.tournament(KEYS, rounds=2_000, repetitions=2_000)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: continuation(0), "meetings_per_year must be more than 0, got 0"),
        (lambda: continuation(2, 0.0), "survival must be more than 0 and at most 1, got 0"),
        (lambda: continuation(2, 0.5, 1.5), "discount_rate must be between 0 and 1, got 1.5"),
        (lambda: meetings_needed(1.2, 0.5), "threshold must be between 0 and 1, got 1.2"),
        (lambda: meetings_needed(0.5, 1.1), "survival must be more than 0 and at most 1, got 1.1"),
    ],
)
def test_bad_meeting_inputs_are_refused(call, message):
    with pytest.raises(InputError) as info:
        call()
    assert str(info.value) == message
