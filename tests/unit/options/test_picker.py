"""The start page's picker: which options fit which goals and partners."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.options import picker
from coopkit.options.picker import GOALS, OPTIONS, PARTNERS, recommend
from coopkit.ui.start import recommendations_html, start_page
from tests.conftest import ROOT


def names(goals, partner="either"):
    return [o.worksheet for o, _ in recommend(goals, partner)]


def test_each_goal_leads_to_its_option():
    assert names(["goodwill"]) == ["charitable_cause"]
    assert names(["new_market"]) == ["new_market"]
    assert names(["costs"]) == ["joint_purchasing"]
    assert names(["leads"]) == ["referrals"]
    assert names(["upsell"]) == ["cross_upsell", "referrals"]


def test_options_serving_more_goals_and_suiting_the_partner_rank_first():
    assert names(["upsell", "leads"]) == ["referrals", "cross_upsell"]  # referrals serves both goals
    assert names(["costs", "upsell"], "competitor") == ["joint_purchasing", "cross_upsell", "referrals"]


def test_reasons_say_when_an_option_does_not_suit_the_partner():
    (_, reason), *_ = recommend(["costs"], "complement")
    assert reason == (
        "Serves: lower costs through scale (buying, producing, logistics); usually done with a direct competitor."
    )


@given(st.lists(st.sampled_from(list(GOALS)), unique=True), st.sampled_from(list(PARTNERS)))
def test_every_recommended_option_serves_a_goal_and_none_is_missed(goals, partner):
    picked = names(goals, partner)
    assert len(picked) == len(set(picked))
    assert set(picked) == {o.worksheet for o in OPTIONS if set(o.goals) & set(goals)}


def test_every_option_points_at_a_worksheet_notebook_that_calls_it():
    for option in OPTIONS:
        path = ROOT / "notebooks" / option.notebook
        if not path.exists():  # an option under construction may not have its notebook yet
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert f'worksheet("{option.worksheet}")' in code


@pytest.mark.parametrize(
    ("goals", "partner", "message"),
    [
        (["money"], "either", "goals must be among goodwill, new_market, costs, upsell, leads, got 'money'"),
        (["costs"], "friend", "partner must be one of competitor, complement, either, got 'friend'"),
    ],
)
def test_bad_answers_name_the_choices(goals, partner, message):
    with pytest.raises(InputError, match=f"^{message}$"):
        recommend(goals, partner)


def test_the_list_escapes_and_links_relatively():
    html = recommendations_html(["goodwill"], "competitor")
    assert "href='options/01_charitable_cause.ipynb'" in html
    assert "rel='noopener'" in html


def test_the_page_updates_as_goals_are_ticked():
    page = start_page()
    result = next(w for w in page.children if "coopkit-recommendations" in w._dom_classes)
    boxes = [w for w in page.children if any(c.startswith("coopkit-goal-") for c in w._dom_classes)]
    assert len(boxes) == len(GOALS)
    assert "Tick at least one goal" in result.value
    next(b for b in boxes if "coopkit-goal-costs" in b._dom_classes).value = True
    assert "Joint purchasing" in result.value


def test_module_docstring_cites_sources():
    assert "Brandenburger" in picker.__doc__ and "Bengtsson" in picker.__doc__


def test_every_sales_link_points_at_a_notebook_of_the_workbook():
    from coopkit.options.picker import SALES

    for path, _title, _what in SALES:
        assert (ROOT / "notebooks" / path).exists(), path
