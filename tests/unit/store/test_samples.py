"""Tests for coopkit.store.samples: demonstration cases made from the sample cases."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from coopkit import options
from coopkit.errors import InputError
from coopkit.store.casefile import read_case, sample_case
from coopkit.store.cases import CaseStore
from coopkit.store.samples import AUTHORS, demo_worksheets, partner_name, seed_cases, vary_inputs
from coopkit.store.summary import summarise

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded() -> CaseStore:
    """24 cases: three of each demonstration worksheet."""
    store = CaseStore("sqlite://")
    seed_cases(store, 24, seed=7, now=NOW)
    return store


def test_demo_worksheets_are_the_partnering_options_and_frameworks():
    assert set(demo_worksheets()) == {n for n in options.names() if options.get(n).kind in ("option", "framework")}


def test_cases_are_spread_over_the_worksheets_and_the_last_half_year(seeded):
    infos = seeded.cases()
    assert len(infos) == 24
    assert Counter(i.worksheet for i in infos) == dict.fromkeys(demo_worksheets(), 3)
    assert all(NOW - timedelta(days=181) <= i.created_at <= i.updated_at <= NOW for i in infos)
    assert {i.revision.author for i in infos} <= set(AUTHORS)


def test_every_saved_revision_carries_the_summary_of_its_own_inputs(seeded):
    for info in seeded.cases()[:6]:
        for rev in seeded.revisions(info.case_id):
            assert rev.summary == summarise(info.worksheet, rev.inputs)


def test_saved_revisions_can_be_assessed_and_the_verdicts_vary(seeded):
    saved = [i.revision for i in seeded.cases() if not i.revision.draft]
    assert all(r.summary["assessed"] for r in saved)
    assert {r.summary["level"] for r in saved} == {"good", "caution", "bad"}


def test_some_cases_have_drafts_and_several_revisions():
    store = CaseStore("sqlite://")
    seed_cases(store, 60, seed=3, now=NOW, worksheets=["market_growth"])  # the quickest worksheet to assess
    infos = store.cases()
    assert any(i.revision.draft for i in infos)  # only drafts
    assert any(i.head > i.revision.number for i in infos)  # a newer draft on top of a saved revision
    assert any(i.revision.number >= 2 for i in infos)  # several saved revisions
    unassessed = [i for i in infos if i.revision.draft and not i.revision.summary["assessed"]]
    assert unassessed and all(i.revision.summary["verdict"] == "not assessed" for i in unassessed)


def test_same_seed_same_cases():
    def made(seed):
        store = CaseStore("sqlite://")
        seed_cases(store, 4, seed=seed, now=NOW, worksheets=["win_win_check"])
        return sorted((i.revision.title, i.revision.author, str(i.revision.inputs)) for i in store.cases())

    assert made(11) == made(11)
    assert made(11) != made(12)


def test_vary_inputs_scales_money_renames_partners_and_keeps_us():
    sample = read_case(sample_case("win_win_two_party.json")).inputs
    varied, partners = vary_inputs("win_win_check", sample, np.random.default_rng(0))
    assert varied["parties"][0]["name"] == sample["parties"][0]["name"]
    assert partners == [varied["parties"][1]["name"]] and partners[0] != sample["parties"][1]["name"]
    assert varied["partnership_value"]["likely"] != sample["partnership_value"]["likely"]
    value = varied["partnership_value"]
    assert value["low"] <= value["likely"] <= value["high"]  # one factor per range keeps its order
    assert varied["parties"][0]["agreed_share"] == sample["parties"][0]["agreed_share"]  # shares are not money
    assert sample == read_case(sample_case("win_win_two_party.json")).inputs  # the sample is not changed


def test_vary_inputs_without_renaming():
    sample = read_case(sample_case("cross_upsell_payroll.json")).inputs
    varied, partners = vary_inputs("cross_upsell", sample, np.random.default_rng(1), rename=False)
    assert partners == [sample["partner_name"]] and varied["partner_name"] == sample["partner_name"]


def test_partner_names_avoid_those_taken():
    rng = np.random.default_rng(5)
    taken: set[str] = set()
    for _ in range(50):
        name = partner_name(rng, taken)
        assert name.casefold() not in {t.casefold() for t in taken}
        taken.add(name)


@pytest.mark.parametrize("count", [-1, 10_001, 2.5])
def test_bad_count(count):
    with pytest.raises(InputError, match="count must be a whole number from 0 to 10,000"):
        seed_cases(CaseStore("sqlite://"), count)


def test_no_worksheets():
    with pytest.raises(InputError, match="worksheets must name at least one worksheet"):
        seed_cases(CaseStore("sqlite://"), 1, worksheets=[])


def test_progress_is_reported():
    calls = []
    seed_cases(CaseStore("sqlite://"), 2, worksheets=["market_growth"], progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 2), (2, 2)]
