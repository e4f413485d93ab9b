"""Tests for coopkit.options.sales.deal_review: scoring an upcoming deal's preparation against past deals."""

from __future__ import annotations

import copy

import pytest

from coopkit import options
from coopkit.frameworks import winloss
from coopkit.options.base import validate
from coopkit.options.sales.deal_review import DEFAULT_CHECKLIST, SHEET, Inputs, assess, history
from coopkit.report.charts import to_png
from coopkit.report.views import view
from coopkit.store import crm
from coopkit.store.casefile import MAX_BYTES, read_case, sample_case


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SHEET.sample)).inputs)


def with_scores(*scores: int) -> list[dict]:
    items = sample_inputs()["checklist"]
    for item, score in zip(items, scores, strict=True):
        item["score"] = score
    return items


def run(**changes):
    inputs, problems = validate(Inputs, sample_inputs() | changes)
    assert problems == []
    return assess(inputs)


def problems_of(**changes):
    return validate(Inputs, sample_inputs() | changes)[1]


@pytest.fixture(scope="module")
def sample():
    return run()


def test_registered_as_a_sales_worksheet():
    assert options.get("sales_deal_review") is SHEET
    assert SHEET.kind == "sales"
    assert sample_case(SHEET.sample).stat().st_size < MAX_BYTES
    assert "Synthetic" in read_case(sample_case(SHEET.sample)).notes


def test_the_default_checklist_matches_the_sample_export():
    assert [i["column"] for i in DEFAULT_CHECKLIST] == [i["column"] for i in sample_inputs()["checklist"]]
    assert Inputs().checklist[0].item == "Account research done"


def test_sample_verdict_and_estimate(sample):
    # the deal scores 2+1+0+2+1+0 = 6 of 12: band 4-6, where 155 of 388 past deals were won
    assert (sample.verdict, sample.level, sample.passed) == ("partly prepared", "caution", True)
    assert sample.details["score"] == 6 and sample.details["band"] == "4–6"
    assert sample.probability == pytest.approx(155 / 388)
    assert sample.probability_label == "Estimated win chance"
    assert sample.headline == (
        "Estimated win chance 39.9% (95% interval 35.2–44.9%) at 6 of 12 preparation points, against 46.3% for all "
        "past deals."
    )
    texts = [f.text for f in sample.findings]
    assert texts[1].startswith("The other method gives 41.7%")
    assert texts[2].startswith(
        "With every item done the estimate would be 58.0% (95% interval 52.4–63.3%). Do first: Objections "
        "anticipated, Competitor's likely pitch known, Champion confirmed"
    )
    assert "Our record against Kestrel Software: 159–185, 46.2% (95% interval 41.0–51.5%)." in texts
    assert "79 past deals have no checklist recorded and are left out." in texts


def test_sample_tables(sample):
    bands, items, estimates = (sample.tables[k] for k in ("bands", "items", "estimates"))
    assert bands.index.tolist() == ["0–3", "4–6", "7–9", "10–12"] and bands["deals"].sum() == 1421
    assert items.loc["Competitor's likely pitch known", "this_deal"] == 0
    assert estimates.index.tolist() == [
        "Win rate of past deals in the same score band",
        "Logistic fit of past outcomes on the score",
    ]


def test_the_logistic_estimate():
    a = run(estimate_method="logistic")
    fit = a.details["fit"]
    assert a.probability == pytest.approx(fit.predict(6.0)[0])
    assert a.details["method"] == "logistic"
    assert a.findings[0].text.endswith("a logistic fit of the outcomes of 1,421 past deals on their score.")


def test_more_preparation_raises_the_estimate():
    low = run(checklist=with_scores(0, 0, 1, 0, 0, 0))
    high = run(checklist=with_scores(2, 2, 2, 2, 2, 2))
    assert (low.verdict, low.level, low.passed) == ("under-prepared", "bad", False)
    assert (high.verdict, high.level) == ("well prepared", "good")
    assert low.probability < high.probability
    assert "Every checklist item is done." in [f.text for f in high.findings]


def test_fewer_bands_and_fewer_items():
    a = run(bands=2, checklist=with_scores(2, 2, 2, 0, 0, 0)[:3])
    assert a.details["max_points"] == 6 and a.tables["bands"].index.tolist() == ["0–3", "4–6"]
    assert a.verdict == "well prepared"


def test_history_leaves_out_deals_without_a_checklist():
    text = "outcome,a,b\nWon,2,\nLost,,\nLost,partly,no\nWon,YES,y\n"
    scores, won, items = history(crm.read_deals(text, crm.ColumnMap("outcome", checklist=("a", "b"))))
    assert scores.tolist() == [2, 1, 4] and won.tolist() == [True, False, True]
    assert items.to_numpy().tolist() == [[2, 0], [1, 0], [2, 2]]


def test_logistic_falls_back_to_the_band_when_it_cannot_be_fitted():
    rows = ["outcome,a", *["Won,2"] * 4, *["Lost,0"] * 4]  # perfectly separated: no maximum likelihood
    a = run(
        crm_csv="\n".join(rows),
        competitor_column="",
        segment_column="",
        deal_competitor="",
        deal_segment="",
        checklist=[{"item": "A", "column": "a", "score": 2}],
        estimate_method="logistic",
        bands=2,
    )
    assert a.details["method"] == "band" and a.details["fit"] is None and a.probability == 1.0
    assert a.findings[0].text.endswith(
        "Estimated win chance 100.0% (95% interval 51.0–100.0%): the 4 past deals scoring 2."
    )
    assert a.findings[1].level == "caution" and a.findings[1].text.startswith("A logistic fit is not possible")
    assert a.tables["estimates"].index.tolist() == ["Win rate of past deals in the same score band"]


def test_a_competitor_missing_from_the_file_is_flagged():
    a = run(deal_competitor="Nobody Inc", deal_segment="mid-market")
    texts = [f.text for f in a.findings]
    assert "The CRM export has no deal against Nobody Inc." in texts
    assert any(t.startswith("Our record in Mid-market: ") for t in texts)  # matched ignoring case


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"column": ""}, ("checklist", 1, "column"), "Item 2: CSV column must name the column"),
        ({"column": "PREP_RESEARCH"}, ("checklist", 1, "column"), "Item 2: CSV column is also used by item 1"),
        ({"item": "account research done"}, ("checklist", 1, "item"), "Item 2: name is also used by item 1"),
        ({"item": "  "}, ("checklist", 1, "item"), "Item 2: name must not be blank"),
    ],
)
def test_checklist_problems(change, loc, message):
    items = sample_inputs()["checklist"]
    items[1] |= change
    problems = problems_of(checklist=items)
    assert problems[0].loc == loc and problems[0].message.startswith(message)


def test_a_score_out_of_range_is_explained():
    items = sample_inputs()["checklist"]
    items[0]["score"] = 3
    (problem,) = problems_of(checklist=items)
    assert problem.loc == ("checklist", 0, "score") and problem.message.startswith(
        "Item 1: This deal must be one of 0, 1 or 2, got 3"
    )


def test_a_missing_checklist_column_names_it():
    text = sample_inputs()["crm_csv"].replace("prep_champion", "champion_ok")
    (problem,) = problems_of(crm_csv=text)
    assert problem.loc == ("crm_csv",)
    assert problem.message.startswith("The file has no column 'prep_champion' (Checklist). Its columns are: ")


def test_an_export_without_any_checklist_filled_in():
    (problem,) = problems_of(
        crm_csv="outcome,a\nWon,\nLost,\n",
        competitor_column="",
        segment_column="",
        checklist=[{"item": "A", "column": "a", "score": 1}],
    )
    assert problem.message == (
        "CRM export: no deal has the checklist filled in, so there is nothing to score this deal against"
    )


def test_the_panel(sample):
    panel = view(sample)
    assert [s.key for s in panel.before] == ["estimates", "bands", "items"]
    assert "this deal" in panel.before[1].html
    assert "1 – partly" in panel.before[2].html
    for chart in panel.charts:
        assert to_png(chart.build())[:4] == b"\x89PNG"


def test_the_estimates_match_the_framework(sample):
    deals = crm.read_deals(sample_inputs()["crm_csv"], Inputs.model_validate(sample_inputs()).column_map())
    scores, won, _ = history(deals)
    bands = winloss.preparation_table(scores, won, 12, 4)
    assert sample.probability == winloss.estimate_band(bands, 6).chance
