"""Tests for coopkit.options.referrals: the referral economics, the account overlap in the worksheet, its panel."""

from __future__ import annotations

import base64
import copy
import csv
import io
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from scipy import stats

from coopkit import options
from coopkit.frameworks import overlap
from coopkit.options.base import Assessment, Problem, validate
from coopkit.options.referrals import SHEET, Inputs, assess, exchange, margin
from coopkit.report import referral_charts
from coopkit.report.charts import to_png
from coopkit.report.option_views.referrals import exchange_table_html, overlap_html
from coopkit.report.views import view
from coopkit.store.casefile import read_case, sample_case

SAMPLE = "referrals_accounting_it.json"
US, PARTNER = "Ledgerline Accounting", "Brightwire IT"
HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
DRAWS = 2_000


def sample_inputs(**changes) -> dict:
    data = copy.deepcopy(read_case(sample_case(SAMPLE)).inputs) | {"draws": DRAWS}
    return data | changes


def side(name: str, sent: float, conversion: float, value: float, **extra) -> dict:
    return {
        "name": name,
        "referrals_sent": {"likely": sent},
        "conversion": {"likely": conversion},
        "deal_value": {"likely": value},
        **extra,
    }


def problems_of(data: dict) -> list[Problem]:
    inputs, problems = validate(Inputs, data)
    assert (inputs is None) == bool(problems)
    return problems


def run(data: dict) -> Assessment:
    inputs, problems = validate(Inputs, data)
    assert problems == []
    return assess(inputs)


def messages(data: dict) -> dict:
    return {p.loc: p.message for p in problems_of(data)}


# --------------------------------------------------------------------------- the sample
def test_sample_case_gives_the_documented_verdict_and_figures():
    a = run(sample_inputs())
    assert SHEET.name == "referrals" and SHEET.kind == "option" and SHEET.sample == SAMPLE
    assert options.get("referrals") is SHEET
    assert (a.worksheet, a.verdict, a.level, a.passed) == ("referrals", "go", "good", True)
    assert list(a.parties.index) == [US, PARTNER]
    flows = a.tables["flows"]
    assert flows.loc[US, "net"] == pytest.approx(53_800) and flows.loc[PARTNER, "net"] == pytest.approx(60_400)
    assert flows.loc[US, "converted"] == pytest.approx(24) and flows.loc[PARTNER, "converted"] == pytest.approx(30)
    assert a.details["exchange"]["balance"] == pytest.approx(53_800 / 60_400)
    assert a.details["exchange"]["fee_change"] == pytest.approx(110)
    assert a.details["exchange"]["payer"] == PARTNER
    found = a.details["overlap"]
    assert found.total == 9
    assert {(r.ours, r.theirs): int(r.count) for r in found.counts.itertuples()} == {
        ("customer", "customer"): 2,
        ("customer", "prospect"): 4,
        ("prospect", "customer"): 2,
        ("prospect", "prospect"): 1,
    }
    assert set(a.tables) == {"flows", "overlap", "matches", "lists", "sensitivity"}
    assert a.probability is not None and 0.99 <= a.probability <= 1
    assert "Ledgerline Accounting +53,800, Brightwire IT +60,400 EUR a year (balance 0.89)" in a.headline
    assert a.assumptions and a.findings


def test_the_secret_never_reaches_the_results():
    data = sample_inputs()
    a = run(data)
    panel = view(a)
    text = " ".join([a.headline, *(f.text for f in a.findings), *(s.html for s in panel.before + panel.after)])
    assert data["shared_secret"] not in text
    assert data["shared_secret"] not in repr(a.details["exchange"])


# --------------------------------------------------------------------------- the economics
def test_exchange_known_answer():
    flows = exchange([120, 80], [0.30, 0.25], [6_000, 9_000], [0.4, 0.3], [500, 600], [60, 80], [5_000, 5_000])
    assert flows["received"].tolist() == [80, 120]
    assert flows["converted"].tolist() == pytest.approx([24, 30])
    assert flows["margin_earned"].tolist() == pytest.approx([57_600, 81_000])
    assert flows["fees_paid"].tolist() == pytest.approx([12_000, 18_000])
    assert flows["fees_earned"].tolist() == pytest.approx([18_000, 12_000])
    assert flows["handling"].tolist() == pytest.approx([4_800, 9_600])
    assert flows["net"].tolist() == pytest.approx([53_800, 60_400])


def test_exchange_is_vectorised_over_draws():
    n = np.array([[120.0, 80.0], [60.0, 40.0]])
    flows = exchange(n, [0.3, 0.25], [6_000, 9_000], [0.4, 0.3], [500, 600], [60, 80], [5_000, 5_000])
    assert flows["net"].shape == (2, 2)
    assert flows["net"][0].tolist() == pytest.approx([53_800, 60_400])


sides_args = st.tuples(
    st.tuples(*[st.floats(0, 1_000)] * 2),
    st.tuples(*[st.floats(0, 1)] * 2),
    st.tuples(*[st.floats(0, 50_000)] * 2),
    st.tuples(*[st.floats(0, 1)] * 2),
    st.tuples(*[st.floats(0, 5_000)] * 2),
    st.tuples(*[st.floats(0, 500)] * 2),
    st.tuples(*[st.floats(0, 50_000)] * 2),
)


@given(sides_args)
def test_fees_only_move_value_between_the_sides(args):
    flows = exchange(*args)
    total = flows["margin_earned"] - flows["handling"] - flows["yearly_cost"]
    assert flows["net"].sum() == pytest.approx(total.sum(), rel=1e-9, abs=1e-6)
    assert flows["fees_paid"].sum() == pytest.approx(flows["fees_earned"].sum())


@given(sides_args, st.floats(0, 1_000))
def test_a_higher_fee_moves_value_from_the_payer_to_the_sender(args, extra):
    before = exchange(*args)
    fees = np.array(args[4]) + np.array([extra, 0.0])
    after = exchange(*args[:4], fees, *args[5:])
    moved = before["converted"][0] * extra
    assert after["net"][0] == pytest.approx(before["net"][0] - moved, abs=1e-6)
    assert after["net"][1] == pytest.approx(before["net"][1] + moved, abs=1e-6)


@given(sides_args)
def test_swapping_the_sides_swaps_the_results(args):
    flows = exchange(*args)
    swapped = exchange(*[a[::-1] for a in args])
    assert swapped["net"].tolist() == pytest.approx(flows["net"][::-1].tolist())


@settings(max_examples=25)  # each example assesses twice, sensitivity table included
@given(st.floats(50, 500), st.floats(20, 400))
def test_the_suggested_fee_change_evens_the_exchange_out(sent_by_us, sent_by_them):
    data = {
        "sides": [
            side("A", sent_by_us, 0.3, 5_000, margin=0.4, referral_fee=200),
            side("B", sent_by_them, 0.2, 8_000, margin=0.3, referral_fee=300),
        ]
    }
    a = run(data)
    figures = a.details["exchange"]
    if figures["fee_change"] is None:
        return
    payer = [s["name"] for s in data["sides"]].index(figures["payer"])
    data["sides"][payer]["referral_fee"] += figures["fee_change"]
    net = run(data).tables["flows"]["net"].to_numpy()
    assert net[0] == pytest.approx(net[1], rel=1e-6, abs=1e-3)


def test_an_exchange_that_costs_a_side_more_than_it_earns_is_no_go():
    data = sample_inputs()
    data["sides"][1]["handling_cost"] = 800.0  # 120 referrals to follow up at 800 each
    a = run(data)
    assert a.verdict == "no-go" and not a.passed
    assert a.tables["flows"].loc[PARTNER, "net"] < 0
    assert any(f.level == "bad" for f in a.findings)


def test_a_lopsided_exchange_goes_ahead_only_with_conditions():
    data = sample_inputs(use_ranges=False)
    data["sides"][0]["referral_fee"] = 2_500.0  # we pay much more per referral won than the partner does
    a = run(data)
    assert a.verdict == "go with conditions"
    assert any("lopsided" in f.text for f in a.findings)
    assert a.details["exchange"]["payer"] == PARTNER and a.details["exchange"]["balance"] < 0.5


def test_nobody_converting_means_no_value():
    data = {"sides": [side("A", 10, 0.0, 1_000), side("B", 10, 0.0, 1_000)]}
    a = run(data)
    assert a.verdict == "no-go"
    assert "no fee can make it worth running" in a.details["exchange"]["text"]


def test_a_side_that_wins_nothing_can_be_evened_out_only_by_a_payment():
    data = {"sides": [side("A", 10, 0.5, 1_000, margin=0.5), side("B", 10, 0.0, 1_000, yearly_cost=0.0)]}
    figures = run(data).details["exchange"]
    assert figures["payer"] == "A" and figures["fee_change"] is not None
    # A wins no customers itself; it earns only the fees B pays for the customers A sends it
    data = {"sides": [side("A", 10, 0.0, 1_000), side("B", 10, 0.5, 1_000, margin=0.5, referral_fee=600)]}
    figures = run(data).details["exchange"]
    assert figures["payer"] == "A" and figures["fee_change"] is None and "yearly payment" in figures["text"]


def test_margin_is_the_smaller_gain_after_our_expected_loss():
    inputs, _ = validate(Inputs, sample_inputs())
    a = assess(inputs)
    assert margin(inputs) == pytest.approx(float(a.details["winwin"].gain.min()))


def test_sensitivity_ranks_the_inputs_that_matter():
    table = run(sample_inputs()).tables["sensitivity"]
    assert list(table.columns) == ["input", "label", "low", "high", "margin_at_low", "margin_at_high", "swing"]
    assert table["swing"].is_monotonic_decreasing
    assert table.iloc[0]["label"].startswith(PARTNER) or table.iloc[0]["label"].startswith(US)


# --------------------------------------------------------------------------- Monte Carlo
def test_p_win_win_is_seeded_and_only_with_ranges():
    a, b = run(sample_inputs(seed=7)), run(sample_inputs(seed=7))
    assert a.probability == b.probability
    assert run(sample_inputs(use_ranges=False)).probability is None


def test_p_win_win_falls_when_the_ranges_reach_losses():
    data = sample_inputs(draws=20_000)
    data["sides"][1]["yearly_cost"] = 55_000.0
    data["sides"][1]["conversion"] = {"likely": 0.25, "low": 0.05, "high": 0.35}
    a = run(data)
    assert 0.05 < a.probability < 0.95
    assert any("win-win in only" in f.text for f in a.findings) or a.verdict == "no-go"


def test_the_monte_carlo_agrees_with_a_direct_computation():
    data = sample_inputs(draws=50_000, rep_revenue={"likely": 0.0})
    for s in data["sides"]:
        s["referrals_sent"] = {"likely": s["referrals_sent"]["likely"]}
        s["deal_value"] = {"likely": s["deal_value"]["likely"]}
    data["sides"][1]["yearly_cost"] = 57_000.0  # Brightwire nets 3,400 at the most likely values
    data["sides"][1]["conversion"] = {"likely": 0.25, "low": 0.15, "high": 0.35}
    data["sides"][0]["conversion"] = {"likely": 0.30}
    # Brightwire gains when its conversion c satisfies 120 c (9,000 x 0.3 - 600) + 12,000 - 9,600 - 57,000 > 0
    threshold = (57_000 + 9_600 - 12_000) / (120 * (9_000 * 0.3 - 600))
    low, mode, high = 0.15, 0.25, 0.35
    alpha = 1 + 4 * (mode - low) / (high - low)
    beta = 1 + 4 * (high - mode) / (high - low)
    expected = 1 - stats.beta(alpha, beta, loc=low, scale=high - low).cdf(threshold)
    assert run(data).probability == pytest.approx(expected, abs=0.01)


# --------------------------------------------------------------------------- account overlap in the worksheet
def test_counts_only_hides_the_names():
    a = run(sample_inputs(counts_only=True))
    assert a.details["overlap"].total == 9
    assert a.tables["matches"].empty
    assert any("Counts only" in f.text for f in a.findings)
    panel = overlap_html(a)
    assert "coopkit-matches-table" not in panel and "coopkit-counts-only" in panel
    assert "Harbour Bakery" not in panel


def test_the_partner_may_send_a_hash_file_instead_of_its_list():
    data = sample_inputs()
    theirs = overlap.parse_accounts(data["partner_accounts"])
    data["partner_accounts"] = overlap.hash_file(theirs, data["shared_secret"])
    a, plain = run(data), run(sample_inputs())
    assert a.details["overlap"].counts.equals(plain.details["overlap"].counts)
    assert a.tables["matches"].equals(plain.tables["matches"])


def test_a_hash_file_made_with_another_secret_matches_nothing_and_says_why():
    data = sample_inputs()
    theirs = overlap.parse_accounts(data["partner_accounts"])
    data["partner_accounts"] = overlap.hash_file(theirs, "a-different-secret-123456")
    a = run(data)
    assert a.details["overlap"].total == 0
    assert any(f.level == "caution" and "same shared secret" in f.text for f in a.findings)


def test_without_lists_there_is_no_overlap_and_no_secret_needed():
    a = run(sample_inputs(our_accounts="", partner_accounts="  ", shared_secret=""))
    assert a.details["overlap"] is None and a.details["our_hash_file"] is None
    assert a.tables["overlap"].empty and a.tables["matches"].empty
    assert any("Add both customer lists" in f.text for f in a.findings)
    assert "coopkit-overlap-empty" in overlap_html(a)


def test_names_between_competitors_are_a_condition():
    data = sample_inputs()
    data["sides"][1]["market_share"] = 0.02
    a = run(data)
    assert a.verdict == "go with conditions"
    assert any("both sides sell in the same market" in f.text for f in a.findings)
    assert run(data | {"counts_only": True}).verdict == "go"


def test_our_hash_file_is_ready_to_send():
    data = sample_inputs()
    a = run(data)
    text = a.details["our_hash_file"]
    ours = overlap.parse_accounts(data["our_accounts"])
    assert text == overlap.hash_file(ours, data["shared_secret"])
    assert "Harbour" not in text and "harbour" not in text


def test_hostile_and_formula_names_are_shown_as_text_and_exported_safely():
    data = sample_inputs(
        our_accounts=f"{HOSTILE}\n{FORMULA}\nacme.example\n",
        partner_accounts=f'company\n"{HOSTILE}"\n"{FORMULA.replace(chr(34), chr(34) * 2)}"\n',
    )
    a = run(data)
    assert a.details["overlap"].total == 2
    panel = overlap_html(a)
    assert HOSTILE not in panel and "&lt;img src=x onerror=alert(1)&gt;" in panel
    tags = _parse(panel)
    assert not [t for t, attrs in tags.tags if t == "img"]
    assert HOSTILE in tags.text_content and FORMULA in tags.text_content
    link = next(attrs["href"] for t, attrs in tags.tags if t == "a" and "coopkit-download-matches" in attrs["class"])
    exported = base64.b64decode(link.split(",", 1)[1]).decode("utf-8")
    rows = list(csv.reader(io.StringIO(exported)))
    assert ["'" + FORMULA, "customer", "customer"] in rows
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


# --------------------------------------------------------------------------- bad input
def test_out_of_range_values_name_the_field_and_the_range():
    data = sample_inputs()
    data["sides"][0]["conversion"]["likely"] = 1.5
    data["sides"][1]["margin"] = -0.1
    found = messages(data)
    assert (
        found[("sides", 0, "conversion", "likely")]
        == "Side 1: Conversion (most likely) must be between 0 and 1, got 1.5"
    )
    assert found[("sides", 1, "margin")] == "Side 2: Margin must be between 0 and 1, got -0.1"


def test_exactly_two_sides():
    data = sample_inputs()
    data["sides"] = data["sides"][:1]
    assert messages(data)[("sides",)] == "The two sides must list 2 to 2 entries, got 1"


def test_names_must_be_distinct_and_not_blank():
    data = sample_inputs()
    data["sides"][1]["name"] = " ledgerline accounting "
    assert messages(data)[("sides", 1, "name")] == "Side 2: name is also used by side 1"
    data["sides"][0]["name"] = "   "
    assert messages(data)[("sides", 0, "name")] == "Side 1: name must not be blank"


def test_market_shares_must_fit_in_one_market():
    data = sample_inputs()
    data["sides"][0]["market_share"], data["sides"][1]["market_share"] = 0.7, 0.6
    assert messages(data)[("sides",)] == "Market shares must add up to at most 1, got 1.3"


def test_a_short_secret_is_explained_on_its_field():
    found = messages(sample_inputs(shared_secret="letmein"))
    assert found[("shared_secret",)] == (
        "Shared secret must be at least 16 characters long (a shorter one can be found by trying them all), "
        "got 7 characters"
    )
    assert "letmein" not in found[("shared_secret",)]


def test_an_unreadable_list_is_explained_on_its_field():
    found = messages(sample_inputs(our_accounts="domain,population\nacme.example,partner\n"))
    assert found[("our_accounts",)] == "Our accounts, line 2: population must be customer or prospect, got 'partner'"
    found = messages(sample_inputs(partner_accounts="hash,population\nabc,customer\n"))
    assert found[("partner_accounts",)].startswith("Partner's accounts, line 2: a hash must be 64 hexadecimal digits")


def test_a_list_that_is_too_long_for_the_form():
    found = messages(sample_inputs(our_accounts="x" * 2_000_001))
    assert found[("our_accounts",)] == "Our accounts must be 0 to 2000000 characters long, got 2000001"


def test_ranges_must_be_ordered():
    data = sample_inputs()
    data["sides"][1]["deal_value"] = {"likely": 9_000, "low": 10_000, "high": 12_000}
    assert messages(data)[("sides", 1, "deal_value")].startswith("Side 2: Deal value needs low <= most likely <= high")
    assert problems_of(data | {"use_ranges": False}) == []


def test_bad_rival_shares():
    assert messages(sample_inputs(rival_shares="0.3, lots"))[("rival_shares",)].startswith(
        "Other large players' shares must be numbers"
    )


# --------------------------------------------------------------------------- the result panel and charts
class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def text_content(self) -> str:
        return "".join(self.text)


def _parse(fragment: str) -> _Collector:
    c = _Collector()
    c.feed(fragment)
    c.close()
    return c


def test_the_panel_shows_sections_and_charts_in_order():
    a = run(sample_inputs())
    panel = view(a)
    assert [s.key for s in panel.before] == ["parties", "exchange", "overlap"]
    assert [s.key for s in panel.after] == ["guardrails", "risk"]
    assert len(panel.charts) == 4 and panel.charts[0].wide
    for chart in panel.charts:
        fig = chart.build()
        assert isinstance(fig, Figure)
        assert to_png(fig)[:4] == b"\x89PNG"
    assert "9 of our accounts" in panel.before[2].title
    without = view(run(sample_inputs(our_accounts="")))
    assert len(without.charts) == 3


def test_the_exchange_table_escapes_names_and_marks_losses():
    data = sample_inputs()
    data["sides"][1]["name"] = "<b>Bright</b> & Co"
    data["sides"][1]["handling_cost"] = 800.0
    a = run(data)
    out = exchange_table_html(a.tables["flows"], a.currency)
    assert "<b>Bright</b>" not in out and "&lt;b&gt;Bright&lt;/b&gt; &amp; Co" in out
    assert re.search(r"<td class='coopkit-col-net coopkit-neg' data-party='&lt;b&gt;Bright", out)
    parsed = _parse(out)
    assert "Net value" in parsed.text_content


def test_charts_state_their_finding():
    a = run(sample_inputs())
    fig = referral_charts.flows_chart(a.tables["flows"], "EUR")
    assert fig.get_suptitle() == "Ledgerline Accounting nets 53,800 a year, Brightwire IT 60,400: balance 0.89"
    fig = referral_charts.overlap_chart(a.tables["overlap"])
    assert fig.axes[0].get_title() == "9 accounts in common: 4 of our customers are its prospects"
    data = sample_inputs()
    data["sides"][1]["handling_cost"] = 800.0
    fig = referral_charts.flows_chart(run(data).tables["flows"], "EUR")
    assert fig.get_suptitle().startswith("Brightwire IT loses")


def test_charts_draw_names_literally():
    data = sample_inputs()
    data["sides"][0]["name"] = "A$_$"
    fig = referral_charts.flows_chart(run(data).tables["flows"], "EUR")
    assert to_png(fig)[:4] == b"\x89PNG"
    assert fig.axes[0].get_title() == "A$_$"
