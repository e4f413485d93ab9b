"""Competition-law guardrails: known answers at every threshold's edge, then properties, then bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import antitrust
from coopkit.frameworks.findings import Finding

KINDS = ["rnd", "production", "purchasing", "commercialisation", "other"]
ALWAYS = list(antitrust._ALWAYS)


# --------------------------------------------------------------------------- HHI and its change, by hand
def test_hhi_of_four_players_by_hand():
    # 30² + 30² + 20² + 20² = 900 + 900 + 400 + 400
    assert antitrust.hhi([0.3, 0.3, 0.2, 0.2]) == 2600.0


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([1.0], 10_000.0),  # a monopoly
        ([0.0], 0.0),
        ([0.5, 0.5], 5_000.0),
        ([0.1] * 10, 1_000.0),
        ([0.05, 0.01], 26.0),  # the rest of the market is fragmented and adds nothing
    ],
)
def test_hhi_known_values(shares, expected):
    assert antitrust.hhi(shares) == expected


@pytest.mark.parametrize(("s1", "s2"), [(0.2, 0.1), (0.1, 0.05), (0.3, 0.3), (0.22, 0.15), (0.0, 0.4)])
def test_two_party_delta_is_twice_the_product_of_the_shares_in_points(s1, s2):
    # (100 s1 + 100 s2)² - (100 s1)² - (100 s2)² = 2 (100 s1)(100 s2)
    assert antitrust.hhi_delta([s1, s2]) == pytest.approx(2 * s1 * s2 * 10_000, abs=1e-6)


def test_delta_of_three_parties_by_hand():
    # 2 (10·5 + 10·20 + 5·20) = 2 · 350
    assert antitrust.hhi_delta([0.1, 0.05, 0.2]) == 700.0
    assert antitrust.hhi_delta([0.4]) == 0.0  # one party alone changes nothing


def test_assess_counts_the_parties_apart_then_as_one():
    # Parties 22 %, 15 %, 5 %; rivals 30 %, 18 %: before 484 + 225 + 25 + 900 + 324 = 1,958;
    # as one: 42² + 900 + 324 = 2,988; rise 2 (22·15 + 22·5 + 15·5) = 1,030.
    g = antitrust.assess([0.22, 0.15, 0.05], "other", other_shares=[0.30, 0.18])
    assert (g.hhi_before, g.hhi_after, g.hhi_change) == (1958.0, 2988.0, 1030.0)
    assert g.combined_share == pytest.approx(0.42)
    assert g.buying_share is None
    assert g.us_presumption  # rise above 100 with an HHI above 1,800 (and a combined share of 42 %)


def test_docstring_purchasing_example_by_hand():
    # Selling 10 % + 4 %, rivals 30 % and 20 %: before 100 + 16 + 900 + 400 = 1,416; rise 2·10·4 = 80.
    g = antitrust.assess([0.10, 0.04], "purchasing", buying_shares=[0.06, 0.03], other_shares=[0.3, 0.2])
    assert (g.hhi_before, g.hhi_change, g.hhi_after) == (1416.0, 80.0, 1496.0)
    assert g.buying_share == pytest.approx(0.09)
    assert g.within_eu_threshold is True and not g.us_presumption
    assert g.level == "good"


# --------------------------------------------------------------------------- US presumption: the edges
def test_hhi_of_exactly_1800_is_not_above_1800():
    # Parties 10 % + 10 % (rise 200), rivals 30, 20, 10: before 100 + 100 + 900 + 400 + 100 = 1,600, after 1,800.
    g = antitrust.assess([0.1, 0.1], "production", other_shares=[0.3, 0.2, 0.1])
    assert (g.hhi_after, g.hhi_change) == (1800.0, 200.0)
    assert not g.us_presumption  # 1,800 is not "above 1,800" and the combined 20 % is under 30 %
    assert g.within_eu_threshold is True
    assert g.level == "good"
    assert g.flags[1] == Finding(
        "info", "HHI 1,800 with the parties counted as one (moderately concentrated), a rise of 200 points."
    )
    # one more point of HHI (a rival with 1 %) crosses the line
    above = antitrust.assess([0.1, 0.1], "production", other_shares=[0.3, 0.2, 0.1, 0.01])
    assert above.hhi_after == 1801.0
    assert above.us_presumption and above.level == "bad"
    assert above.flags[1].level == "bad"
    assert above.flags[1].text == (
        "HHI 1,801 with the parties counted as one (highly concentrated), a rise of 200 points: a merger like this "
        "would be presumed to harm competition under the 2023 US Merger Guidelines."
    )


def test_a_rise_of_exactly_100_does_not_trigger_the_presumption():
    # 2·10·5 = 100 points in a market of HHI 2,725 (rivals 40 % and 30 %)
    g = antitrust.assess([0.1, 0.05], "rnd", other_shares=[0.4, 0.3])
    assert (g.hhi_change, g.hhi_after) == (100.0, 2725.0)
    assert not g.us_presumption
    assert g.level == "caution"  # within the R&D safe harbour, but in a highly concentrated market
    assert g.flags[1] == Finding(
        "caution", "HHI 2,725 with the parties counted as one (highly concentrated), a rise of 100 points."
    )
    # 2·10·5.0001 = 100.002 > 100
    just_above = antitrust.assess([0.1, 0.050001], "rnd", other_shares=[0.4, 0.3])
    assert just_above.hhi_change == pytest.approx(100.002)
    assert just_above.us_presumption and just_above.level == "bad"


def test_a_combined_share_of_30_percent_with_a_rise_above_100_triggers_the_presumption_in_a_thin_market():
    # 15 % + 15 %: before 225 + 225 = 450, rise 2·15·15 = 450, after 30² = 900: unconcentrated, but 30 % combined.
    g = antitrust.assess([0.15, 0.15], "rnd")
    assert (g.hhi_before, g.hhi_after, g.hhi_change) == (450.0, 900.0, 450.0)
    assert g.combined_share == 0.3
    assert g.us_presumption
    assert "(unconcentrated)" in g.flags[1].text
    under = antitrust.assess([0.15, 0.149999], "rnd")
    assert not under.us_presumption


def test_a_large_combined_share_with_a_small_rise_is_no_presumption():
    # 40 % + 1 %: rise 80, whatever the HHI
    g = antitrust.assess([0.4, 0.01], "other", other_shares=[0.5])
    assert g.hhi_change == 80.0 and g.hhi_after > 1_800
    assert not g.us_presumption


@pytest.mark.parametrize(
    ("others", "label"),
    [([0.3], "unconcentrated"), ([0.3, 0.05], "unconcentrated"), ([0.3, 0.1], "moderately concentrated")],
)
def test_concentration_labels(others, label):
    # parties 1 % + 1 % as one: 2² = 4; plus 900, 900 + 25 or 900 + 100: HHI 904, 929 or 1,004
    g = antitrust.assess([0.01, 0.01], "rnd", other_shares=others)
    assert f"({label})" in g.flags[1].text


def test_hhi_of_exactly_1000_is_unconcentrated():
    g = antitrust.assess([0.1, 0.0], "rnd", other_shares=[0.3])
    assert g.hhi_after == 1000.0
    assert "(unconcentrated)" in g.flags[1].text


# --------------------------------------------------------------------------- EU safe harbours
@pytest.mark.parametrize(
    ("kind", "threshold", "source"),
    [
        ("rnd", 0.25, "Regulation (EU) 2023/1066 (R&D block exemption), Art. 6"),
        ("production", 0.20, "Regulation (EU) 2023/1067 (specialisation block exemption), Art. 3"),
        ("purchasing", 0.15, "EU Horizontal Guidelines 2023, ch. 4 (joint purchasing)"),
        ("commercialisation", 0.15, "EU Horizontal Guidelines 2023, ch. 5 (commercialisation)"),
        ("other", None, "EU Horizontal Guidelines 2023 (no safe harbour for this kind)"),
    ],
)
def test_each_kind_has_its_threshold_and_source(kind, threshold, source):
    assert antitrust.EU_THRESHOLDS[kind] == threshold
    assert antitrust.SOURCES[kind] == source
    g = antitrust.assess([0.01], kind)
    assert g.kind == kind and g.eu_threshold == threshold
    assert g.sources == [source, antitrust.SOURCES["information"], antitrust.SOURCES["us"]]
    assert g.warnings == [*ALWAYS, *antitrust.WARNINGS[kind]]


def test_sources_name_the_information_exchange_chapter_and_the_us_withdrawal():
    assert "ch. 6" in antitrust.SOURCES["information"] and "no safe harbour" in antitrust.SOURCES["information"]
    assert "Merger Guidelines 2023" in antitrust.SOURCES["us"] and "withdrawn 11 Dec 2024" in antitrust.SOURCES["us"]
    assert set(antitrust.WARNINGS) == set(KINDS) == set(antitrust.EU_THRESHOLDS) == set(antitrust.KIND_LABELS)


@pytest.mark.parametrize("kind", ["rnd", "production", "purchasing", "commercialisation"])
def test_a_combined_share_exactly_at_the_threshold_is_within(kind):
    t = antitrust.EU_THRESHOLDS[kind]
    for parties in ([t], [t / 2, t / 2], [t, 0.0]):  # t/2 + t/2 is exactly t in binary
        g = antitrust.assess(parties, kind, buying_shares=parties if kind == "purchasing" else None)
        assert g.within_eu_threshold is True, parties
        assert g.flags[0].level == "good"


@pytest.mark.parametrize("kind", ["rnd", "production", "purchasing", "commercialisation"])
def test_a_millionth_above_the_threshold_is_not_within(kind):
    t = antitrust.EU_THRESHOLDS[kind]
    for parties in ([t + 1e-6], [t / 2, t / 2 + 1e-6]):  # e.g. 15.0001 %
        g = antitrust.assess(parties, kind, buying_shares=parties if kind == "purchasing" else None)
        assert g.within_eu_threshold is False, parties
        assert g.flags[0].level == "bad"
        assert g.level == "bad"


@pytest.mark.parametrize("parties", [[0.10, 0.05], [0.07, 0.08], [0.01, 0.14]])
def test_two_shares_adding_up_to_exactly_15_percent_are_within(parties):
    g = antitrust.assess(parties, "commercialisation")
    assert g.within_eu_threshold is True, g.flags[0].text


def test_within_and_above_flags_are_worded_for_the_strategist():
    within = antitrust.assess([0.1, 0.05], "rnd")
    assert within.flags[0] == Finding(
        "good", "combined share 15.0%: within the EU safe harbour for research and development (25%)."
    )
    above = antitrust.assess([0.2, 0.15], "commercialisation")
    assert above.within_eu_threshold is False
    assert above.flags[0] == Finding(
        "bad",
        "combined share 35.0%: above the EU safe-harbour share for commercialisation (joint selling, distribution "
        "or promotion) (15%); the cooperation needs an individual assessment by counsel.",
    )


def test_kind_other_has_no_safe_harbour_whatever_the_shares():
    for parties in ([0.01], [0.3, 0.3]):
        g = antitrust.assess(parties, "other")
        assert g.eu_threshold is None and g.within_eu_threshold is None
        assert g.flags[0] == Finding(
            "caution", "No EU safe harbour applies to other cooperation: have counsel review the scope."
        )


def test_flags_end_with_the_us_note_the_information_exchange_rule_and_the_disclaimer():
    g = antitrust.assess([0.1, 0.05], "production")
    assert [f.level for f in g.flags[2:]] == ["info", "caution", "info"]
    assert "withdrawn in December 2024" in g.flags[2].text and "no US safety zone" in g.flags[2].text
    assert g.flags[3].text == "Information exchange has no safe harbour: share only what the cooperation needs."
    assert g.flags[-1] == Finding("info", antitrust.DISCLAIMER)
    assert "not legal advice" in antitrust.DISCLAIMER


# --------------------------------------------------------------------------- joint purchasing: both markets
@pytest.mark.parametrize(
    ("selling", "buying", "within"),
    [
        ([0.075, 0.075], [0.075, 0.075], True),  # 15 % and 15 %
        ([0.10, 0.04], [0.10, 0.06], False),  # selling 14 % within, buying 16 % not
        ([0.10, 0.06], [0.05, 0.04], False),  # selling 16 % not, buying 9 % within
        ([0.10, 0.06], [0.10, 0.06], False),  # neither
        ([0.10, 0.04], [0.0, 0.0], True),
    ],
)
def test_joint_purchasing_needs_both_markets_within_15_percent(selling, buying, within):
    g = antitrust.assess(selling, "purchasing", buying_shares=buying)
    assert g.within_eu_threshold is within
    assert g.buying_share == pytest.approx(sum(buying))


def test_purchasing_flag_shows_the_buying_share():
    g = antitrust.assess([0.10, 0.04], "purchasing", buying_shares=[0.10, 0.06])
    assert g.flags[0].text.startswith("combined share 14.0% (buying 16.0%): above the EU safe-harbour share for joint")


def test_purchasing_without_buying_shares_checks_the_selling_market_only():
    g = antitrust.assess([0.10, 0.04], "purchasing")
    assert g.buying_share is None and g.within_eu_threshold is True


def test_purchasing_warnings_add_to_the_rules_for_every_cooperation():
    g = antitrust.assess([0.1], "purchasing", buying_shares=[0.1])
    assert g.warnings[:3] == ALWAYS
    assert g.warnings[3:] == list(antitrust.WARNINGS["purchasing"])
    assert any("selling prices" in w for w in g.warnings[3:])
    assert ALWAYS[0].startswith("Never share current or future prices")


# --------------------------------------------------------------------------- level
def guardrails(within, us, after) -> antitrust.Guardrails:
    return antitrust.Guardrails(
        kind="rnd",
        combined_share=0.1,
        buying_share=None,
        hhi_before=after - 50,
        hhi_after=after,
        hhi_change=50.0,
        us_presumption=us,
        eu_threshold=None if within is None else 0.25,
        within_eu_threshold=within,
        flags=[],
    )


@pytest.mark.parametrize(
    ("within", "us", "after", "level"),
    [
        (True, False, 900.0, "good"),
        (True, False, 1800.0, "good"),  # 1,800 is not above 1,800
        (True, False, 1800.5, "caution"),  # concentrated market
        (None, False, 900.0, "caution"),  # no safe harbour
        (None, False, 2500.0, "caution"),
        (False, False, 900.0, "bad"),
        (False, False, 2500.0, "bad"),
        (True, True, 2500.0, "bad"),  # within the EU share, but a US presumption
        (True, True, 900.0, "bad"),  # 30 % combined with a rise above 100 in a thin market
        (None, True, 2500.0, "bad"),
        (False, True, 2500.0, "bad"),
    ],
)
def test_level_for_each_combination(within, us, after, level):
    assert guardrails(within, us, after).level == level


@pytest.mark.parametrize(
    ("parties", "kind", "others", "level"),
    [
        ([0.1, 0.05], "rnd", [], "good"),
        ([0.05, 0.01], "rnd", [0.4, 0.2], "caution"),  # within, HHI 2,036, rise 10: concentrated only
        ([0.01], "other", [], "caution"),  # no safe harbour
        ([0.2, 0.15], "commercialisation", [], "bad"),  # above the share
        ([0.2, 0.05], "rnd", [0.5], "bad"),  # 25 % within the R&D share, but HHI 3,125 with a rise of 200
        ([0.3, 0.2], "other", [0.3], "bad"),  # no safe harbour and a US presumption
    ],
)
def test_level_of_real_assessments(parties, kind, others, level):
    assert antitrust.assess(parties, kind, other_shares=others).level == level


# --------------------------------------------------------------------------- properties
@st.composite
def market(draw, min_size=1, max_size=8):
    """Market shares adding up to at most 1 (the rest fragmented)."""
    raw = draw(st.lists(st.floats(0, 1), min_size=min_size, max_size=max_size))
    total = draw(st.floats(0, 1))
    s = np.array(raw)
    if s.sum() > 0:
        s = s / s.sum() * total
    return [float(min(x, 1.0)) for x in s]


@given(market())
def test_hhi_lies_between_0_and_10000(shares):
    h = antitrust.hhi(shares)
    assert 0 <= h <= 10_000
    assert h >= round(max(shares) ** 2 * 10_000, 6) - 1e-6  # at least the largest player's square


@given(market())
def test_delta_is_never_negative_and_matches_the_pairwise_formula(shares):
    delta = antitrust.hhi_delta(shares)
    assert delta >= 0
    pairs = sum(2 * a * b for j, a in enumerate(shares) for b in shares[j + 1 :]) * 10_000
    assert delta == pytest.approx(pairs, abs=1e-5)


@given(market(min_size=2), st.integers(1, 4))
def test_hhi_after_is_hhi_before_plus_delta_and_the_merged_market_hhi(shares, k):
    parties, others = shares[: min(k, len(shares) - 1)], shares[min(k, len(shares) - 1) :]
    g = antitrust.assess(parties, "rnd", other_shares=others)
    assert g.hhi_after == g.hhi_before + g.hhi_change
    assert g.hhi_before == antitrust.hhi(shares)
    assert g.hhi_after == pytest.approx(antitrust.hhi([sum(parties), *others]), abs=1e-5)
    assert g.hhi_change == antitrust.hhi_delta(parties)
    assert g.level in ("good", "caution", "bad")
    assert g.us_presumption == (g.hhi_change > 100 and (g.hhi_after > 1800 or g.combined_share >= 0.3))


@given(market(max_size=6), st.floats(0, 1), st.integers(0, 5))
def test_merging_more_share_never_lowers_the_delta(shares, extra, j):
    room = 1 - sum(shares)
    add = extra * max(room, 0.0)
    before = antitrust.hhi_delta(shares)
    # a party brings more share
    grown = list(shares)
    grown[j % len(grown)] = min(1.0, grown[j % len(grown)] + add)
    assert antitrust.hhi_delta(grown) >= before - 1e-6
    # one more party joins
    assert antitrust.hhi_delta([*shares, add]) >= before - 1e-6


@given(market(min_size=2), st.randoms(use_true_random=False))
def test_hhi_and_delta_do_not_depend_on_order(shares, rnd):
    shuffled = list(shares)
    rnd.shuffle(shuffled)
    assert antitrust.hhi(shuffled) == pytest.approx(antitrust.hhi(shares), abs=1e-6)
    assert antitrust.hhi_delta(shuffled) == pytest.approx(antitrust.hhi_delta(shares), abs=1e-6)


@given(st.floats(0, 0.5), st.floats(0, 0.5))
def test_two_party_delta_property(s1, s2):
    assert antitrust.hhi_delta([s1, s2]) == pytest.approx(2e4 * s1 * s2, abs=1e-5)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: antitrust.hhi([]), "shares must be a list of market shares, got []"),
        (lambda: antitrust.hhi(0.3), "shares must be a list of market shares, got 0.3"),
        (lambda: antitrust.hhi([[0.1]]), "shares must be a list of market shares, got [[0.1]]"),
        (lambda: antitrust.hhi([1.2]), "shares must be market shares between 0 and 1, got [1.2]"),
        (lambda: antitrust.hhi([-0.1]), "shares must be market shares between 0 and 1, got [-0.1]"),
        (lambda: antitrust.hhi([float("nan")]), "shares must be market shares between 0 and 1, got [nan]"),
        (lambda: antitrust.hhi("0.3"), "shares must be market shares between 0 and 1, got '0.3'"),
        (lambda: antitrust.hhi(True), "shares must be market shares between 0 and 1, got True"),
        (lambda: antitrust.hhi([0.6, 0.5]), "shares must add up to at most 1, got [0.6, 0.5]"),
        (lambda: antitrust.hhi_delta([]), "party_shares must be a list of market shares, got []"),
        (lambda: antitrust.hhi_delta([0.7, 0.4]), "party_shares must add up to at most 1, got [0.7, 0.4]"),
        (lambda: antitrust.hhi_delta([2.0]), "party_shares must be market shares between 0 and 1, got [2.0]"),
        (
            lambda: antitrust.assess([0.1], "jv"),
            "kind must be one of rnd, production, purchasing, commercialisation, other, got 'jv'",
        ),
        (lambda: antitrust.assess([], "rnd"), "party_shares must list at least one share, got []"),
        (lambda: antitrust.assess(0.1, "rnd"), "party_shares must list at least one share, got 0.1"),
        (lambda: antitrust.assess(["x"], "rnd"), "party_shares must be market shares between 0 and 1, got ['x']"),
        (
            lambda: antitrust.assess([0.1], "rnd", other_shares=["x"]),
            "other_shares must be market shares between 0 and 1, got ['x']",
        ),
        (
            lambda: antitrust.assess([0.1, 0.1], "purchasing", buying_shares=[0.1]),
            "buying_shares must give one share per party (2), got [0.1]",
        ),
    ],
)
def test_bad_input_names_the_field_and_the_rule(call, message):
    with pytest.raises(InputError) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        (dict(party_shares=[0.3, 0.3], other_shares=[0.5]), ("party_shares + other_shares",)),
        (dict(party_shares=[1.2]), ("party_shares",)),
        (dict(party_shares=[0.1, 0.1], buying_shares=[0.1, 1.1]), ("buying_shares",)),
    ],
)
def test_shares_checked_together_name_their_own_field(kwargs, fields):
    with pytest.raises(InputError) as info:
        antitrust.assess(kind="purchasing", **kwargs)
    assert info.value.field in fields
    assert "array(" not in str(info.value)


def test_guardrails_are_frozen():
    g = antitrust.assess([0.1], "rnd")
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.kind = "other"  # type: ignore[misc]
