"""Tests for coopkit.options.sales.win_loss: the win/loss review worksheet, its panel, charts and sample."""

from __future__ import annotations

import copy
import importlib.util
import json
from html.parser import HTMLParser

import pytest

from coopkit import cli, options
from coopkit.options.base import Problem, validate
from coopkit.options.sales.win_loss import SHEET, Inputs, assess
from coopkit.paths import data_dir
from coopkit.report.charts import to_png
from coopkit.report.views import view
from coopkit.store.casefile import MAX_BYTES, read_case, sample_case
from tests.conftest import ROOT

EVIL = "<script>alert(1)</script>"


def sample_inputs() -> dict:
    return copy.deepcopy(read_case(sample_case(SHEET.sample)).inputs)


def run(**changes):
    inputs, problems = validate(Inputs, sample_inputs() | changes)
    assert problems == []
    return assess(inputs)


def problems_of(**changes) -> list[Problem]:
    return validate(Inputs, sample_inputs() | changes)[1]


@pytest.fixture(scope="module")
def sample():
    return run()


def test_registered_as_a_sales_worksheet():
    assert options.get("sales_win_loss") is SHEET
    assert SHEET.kind == "sales" and SHEET.sample == "sales_win_loss.json"


def test_every_field_has_a_title_and_a_description():
    for name, info in Inputs.model_fields.items():
        assert info.title and info.description, name


def test_the_sample_case_is_synthetic_small_and_embeds_the_shipped_csv():
    path = sample_case(SHEET.sample)
    case = read_case(path)
    assert path.stat().st_size < MAX_BYTES
    assert "Synthetic" in case.notes
    assert case.inputs["crm_csv"] == (data_dir() / "sales" / "crm_deals.csv").read_text(encoding="utf-8")


def test_the_generator_reproduces_the_shipped_files():
    spec = importlib.util.spec_from_file_location("make_sales_sample", ROOT / "scripts" / "make_sales_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.csv_text(module.deals())
    assert text == (data_dir() / "sales" / "crm_deals.csv").read_text(encoding="utf-8")
    for name, case in (
        ("sales_win_loss.json", module.win_loss_case(text)),
        ("sales_deal_review.json", module.deal_review_case(text)),
    ):
        assert json.loads(sample_case(name).read_text(encoding="utf-8")) == case


def test_sample_verdict_and_findings(sample):
    assert (sample.verdict, sample.level, sample.passed) == ("steady", "caution", True)
    assert sample.headline == (
        "Win rate 46.4% (43.9–48.9%) over 1,500 closed deals, 2024-01-01 to 2025-12-31; improving against Kestrel "
        "Software, slipping against Vantage Cloud."
    )
    texts = [f.text for f in sample.findings]
    assert texts[0] == "We won 696 of 1,500 closed deals, 2024-01-01 to 2025-12-31: 46.4% (95% interval 43.9–48.9%)."
    assert any(t.startswith("Improving against Kestrel Software: 37.3% in the earlier half") for t in texts)
    assert any(t.startswith("Slipping against Vantage Cloud") for t in texts)
    assert "Hardest competitor: Northwind Systems 200–281 (41.6%, 37.3–46.0%)." in texts
    assert any("Finn Larsen" in t and "do not overlap" in t for t in texts)


def test_sample_tables(sample):
    assert set(sample.tables) == {
        "overall",
        "head_to_head",
        "trend",
        "over_time",
        "loss_reasons",
        "by_rep",
        "by_segment",
        "matrix",
    }
    assert sample.tables["head_to_head"].loc["Kestrel Software", "record"] == "159–185"
    assert len(sample.tables["over_time"]) == 8
    assert sample.parties is sample.tables["head_to_head"]


def test_the_logistic_trend_agrees_on_the_sample():
    a = run(trend_method="logistic", period="month")
    assert a.details["trend"].improving() == ["Kestrel Software"]
    assert a.details["trend"].slipping() == ["Vantage Cloud"]
    assert len(a.tables["over_time"]) == 24
    assert any("odds of winning ×1.68 a year" in f.text for f in a.findings)


def test_a_high_min_deals_judges_no_one():
    a = run(min_deals=1_000)
    assert a.details["trend"].improving() == [] and a.verdict == "steady" and a.level == "good"
    assert not any(f.text.startswith("Hardest competitor") for f in a.findings)


def test_optional_columns_can_be_left_out():
    text = "Result,Rival\nWon,Acme\nLost,Acme\nLost,Beta\nWon,\n"
    a = run(
        crm_csv=text,
        outcome_column="result",
        competitor_column="rival",
        rep_column="",
        segment_column="",
        date_column="",
        loss_reason_column="",
        value_column="",
        min_deals=1,
    )
    assert a.verdict == "reviewed" and set(a.tables) == {"overall", "head_to_head"}
    assert a.tables["head_to_head"].index.tolist() == ["Acme", "Beta"]
    assert "1 deals have no competitor recorded; head-to-head records leave them out." in [f.text for f in a.findings]
    panel = view(a)
    assert [s.key for s in panel.before] == ["head_to_head"] and len(panel.charts) == 1


def test_a_broken_csv_is_reported_at_the_upload_field():
    broken = sample_inputs()["crm_csv"].replace(",3900,", ",n/a,").replace("amount", "value", 1)
    problems = problems_of(crm_csv=broken)
    assert [p.loc for p in problems] == [("crm_csv",)]
    assert problems[0].message.startswith("The file has no column 'amount' (Deal value column). Its columns are: ")
    problems = problems_of(crm_csv=broken, value_column="value")
    assert problems[0].message.startswith("Column 'value' (Deal value column): ")
    assert "row 2: 'n/a'" in problems[0].message


def test_an_empty_csv_is_a_problem_not_a_traceback():
    problems = problems_of(crm_csv="")
    assert problems == [
        Problem(
            ("crm_csv",),
            "CRM export is empty: load the CSV file your CRM exports, a header row and then one row per closed deal.",
        )
    ]


@pytest.mark.parametrize(
    ("changes", "loc", "message"),
    [
        ({"won_values": "Won, Closed", "lost_values": "closed"}, "lost_values", "'Closed' is in both"),
        ({"won_values": " , "}, "won_values", "Won values must list at least one value"),
        ({"outcome_column": ""}, "outcome_column", "Outcome column must be 1 to 200 characters long, got 0"),
        ({"min_deals": 0}, "min_deals", "Fewest deals to judge must be between 1 and 100,000, got 0"),
        ({"crm_csv": "x" * 2_000_001}, "crm_csv", "CRM export must be 0 to 2000000 characters long"),
    ],
)
def test_field_problems(changes, loc, message):
    problems = problems_of(**changes)
    assert problems and problems[0].loc == (loc,) and message in problems[0].message


def test_a_csv_from_a_european_spreadsheet_reads():
    text = sample_inputs()["crm_csv"].replace(",", ";")
    a = run(crm_csv=text)
    assert a.tables["overall"].loc["All deals", "deals"] == 1500
    assert "The file's columns are separated by semicolons." in [f.text for f in a.findings]


class _Strict(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.scripts += tag == "script"


def test_the_panel_escapes_names_from_the_file_and_draws_them_literally():
    text = sample_inputs()["crm_csv"].replace("Brightline", EVIL).replace("Ana Ruiz", "A$_$").replace("Price", "=1+2")
    a = run(crm_csv=text)
    panel = view(a)
    assert [s.key for s in panel.before] == ["head_to_head", "trend", "loss_reasons"]
    assert [s.key for s in panel.after] == ["over_time", "by_rep", "by_segment"]
    page = "".join(s.html for s in panel.before + panel.after)
    parser = _Strict()
    parser.feed(page)
    assert parser.scripts == 0 and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert len(panel.charts) == 7
    for chart in panel.charts:
        assert to_png(chart.build())[:4] == b"\x89PNG"


def test_the_sample_case_runs_from_the_command_line(capsys):
    assert cli.main(["assess", str(sample_case(SHEET.sample))]) == 0
    out = capsys.readouterr().out
    assert "Verdict: STEADY" in out and "Improving against Kestrel Software" in out
