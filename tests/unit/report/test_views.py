"""Tests for coopkit.report.views: what each worksheet's result panel shows, in order, built from the samples."""

from __future__ import annotations

import copy
import struct
from html.parser import HTMLParser

import pandas as pd
import pytest
from matplotlib.figure import Figure

from coopkit import options
from coopkit.options.base import Assessment
from coopkit.report import charts, market_charts, risk_charts
from coopkit.report import html as report_html
from coopkit.report.charts import to_png
from coopkit.report.views import Chart, Section, View, generic_view, view
from coopkit.store.casefile import read_case, sample_case

EVIL = ["<script>alert(1)</script>", "A$_$", "x & y"]
DRAWS = 2_000
# seven years of adoptions since launch, for the "fit" source of the market worksheet
HISTORY = "120, 340, 800, 1500, 2300, 2800, 2600"


def sample_inputs(name: str) -> dict:
    sheet = options.get(name)
    return copy.deepcopy(read_case(sample_case(sheet.sample)).inputs)


def assess_sample(name: str, **overrides) -> Assessment:
    """The worksheet's sample case with ``overrides``, validated and assessed (fewer draws, for speed)."""
    sheet = options.get(name)
    data = sample_inputs(name) | {"draws": DRAWS} | overrides
    inputs, problems = options.validate(sheet.inputs, data)
    assert problems == []
    return sheet.assess(inputs)


class Collector(HTMLParser):
    """Start tags and text, decoding entities like a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Collector:
    collector = Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def keys(sections: list[Section]) -> list[str]:
    return [s.key for s in sections]


# --------------------------------------------------------------------------- assessments (once per module)
@pytest.fixture(scope="module")
def ww_ranged():
    return assess_sample("win_win_check")


@pytest.fixture(scope="module")
def ww_plain():
    return assess_sample("win_win_check", use_ranges=False)


@pytest.fixture(scope="module")
def rep():
    """The reputation sample four ways: (use_ranges, check_deal) -> Assessment."""
    return {
        (ranges, deal): assess_sample("reputation_risk", use_ranges=ranges, check_deal=deal)
        for ranges in (False, True)
        for deal in (False, True)
    }


@pytest.fixture(scope="module")
def mk_ranged():
    return assess_sample("market_growth")


@pytest.fixture(scope="module")
def mk_plain():
    return assess_sample("market_growth", use_ranges=False)


@pytest.fixture(scope="module")
def mk_fit():
    """The market sample with p, q and m fitted to an adoption history: (use_ranges) -> Assessment."""
    return {
        ranges: assess_sample("market_growth", bass_source="fit", adoption_history=HISTORY, use_ranges=ranges)
        for ranges in (False, True)
    }


@pytest.fixture(scope="module")
def all_views(ww_ranged, ww_plain, rep, mk_ranged, mk_plain, mk_fit):
    out = {"ww ranged": ww_ranged, "ww plain": ww_plain, "mk ranged": mk_ranged, "mk plain": mk_plain}
    out |= {f"rep ranges={r} deal={d}": a for (r, d), a in rep.items()}
    out |= {f"mk fit ranges={r}": a for r, a in mk_fit.items()}
    return {label: view(a) for label, a in out.items()}


def test_samples_are_the_registered_worksheets():
    assert set(options.names()) >= {"win_win_check", "reputation_risk", "market_growth"}
    for name in ("win_win_check", "reputation_risk", "market_growth"):
        assert assess_sample(name, use_ranges=False).worksheet == name


# --------------------------------------------------------------------------- win-win check
def test_win_win_view_sections(ww_ranged):
    v = view(ww_ranged)
    assert isinstance(v, View)
    assert keys(v.before) == ["parties"] and keys(v.after) == ["splits"]
    assert [s.title for s in v.before + v.after] == ["Each party, per year", "Fair-split comparison"]
    assert v.before[0].html == report_html.party_table_html(ww_ranged.parties, "EUR")
    # with ranges the splits table carries each rule's P(win-win)
    assert "<th>P(win-win)</th>" in v.after[0].html
    parties = list(ww_ranged.details.parties)
    assert parties == ["Alder Roasters", "Birch & Bean"]
    assert "<th>Birch &amp; Bean</th>" in v.after[0].html


def test_win_win_view_charts_with_ranges(ww_ranged):
    v = view(ww_ranged)
    assert [c.alt for c in v.charts] == [
        "Payoff on its own and with the deal, per party",
        "Gain of each party under each split rule",
        "Distribution of the smallest party's gain across scenarios",
        "Tornado: inputs that swing the result most",
    ]
    result = ww_ranged.details
    # each builder draws the chart its alt text names
    axes = [c.build().axes[0] for c in v.charts]
    titles = [ax.get_title() or ax.get_title(loc="left") for ax in axes]
    assert titles == [
        charts.payoff_chart(result).axes[0].get_title(),
        charts.split_chart(result).axes[0].get_title(),
        charts.margin_chart(result).axes[0].get_title(),
        charts.tornado_chart(result).axes[0].get_title(loc="left"),
    ]
    assert titles[2] == f"Win-win in {result.monte_carlo.p_win_win:.0%} of {DRAWS:,} scenarios"


def test_win_win_view_without_ranges(ww_plain):
    v = view(ww_plain)
    assert ww_plain.details.monte_carlo is None
    assert [c.alt for c in v.charts] == [
        "Payoff on its own and with the deal, per party",
        "Gain of each party under each split rule",
    ]
    assert keys(v.before) == ["parties"] and keys(v.after) == ["splits"]
    assert "P(win-win)" not in v.after[0].html


# --------------------------------------------------------------------------- reputation risk
@pytest.mark.parametrize(
    ("ranges", "deal", "alts"),
    [
        (False, False, ["heat", "score"]),
        (True, False, ["heat", "score", "loss"]),
        (False, True, ["heat", "score", "payoff"]),
        (True, True, ["heat", "score", "loss", "payoff"]),
    ],
)
def test_reputation_view_charts(rep, ranges, deal, alts):
    names = {
        "heat": "Heat map of likelihood and impact, before and after mitigations",
        "score": "The partner's score on each criterion",
        "loss": "Spread of the expected loss across scenarios",
        "payoff": "Payoff on its own and with the deal, per party",
    }
    a = rep[ranges, deal]
    assert (a.details["risk"].monte_carlo is not None) is ranges
    assert (a.details["deal"] is not None) is deal
    v = view(a)
    assert [c.alt for c in v.charts] == [names[k] for k in alts]
    assert not any(c.wide for c in v.charts)


@pytest.mark.parametrize("deal", [False, True])
def test_reputation_view_sections(rep, deal):
    a = rep[True, deal]
    risk = a.details["risk"]
    v = view(a)
    assert keys(v.before) == ["risk", "criteria"]
    assert v.before[0].title == "Risk before and after mitigations"
    assert v.before[0].html == report_html.risk_table_html(a.tables["risk"], "EUR")
    # the sample scores quality and satisfaction 4 (weight 2), incidents 3, financial 2, legal, values, data 3
    assert risk.partner_score == pytest.approx((2 * 4 + 2 * 4 + 3 + 2 + 3 + 3 + 3) / 9)
    assert v.before[1].title == f"Partner scorecard: {risk.partner_score:.2f} of 5 (3 = on a par with us)"
    assert v.before[1].title == "Partner scorecard: 3.33 of 5 (3 = on a par with us)"
    criteria = parse(v.before[1].html)
    assert criteria.tags[0] == ("table", {"class": "coopkit-table coopkit-criteria-table"})
    assert "<thead><tr><th>Criterion</th><th>Score</th><th>Weight</th><th>Share of the score</th></tr></thead>" in (
        v.before[1].html
    )
    # one row per criterion, its label first (the index is not shown)
    cells = [a_["class"] for tag, a_ in criteria.tags if tag == "td"]
    assert (
        cells
        == ["coopkit-col-label coopkit-text", "coopkit-col-score", "coopkit-col-weight", "coopkit-col-share_of_score"]
        * 7
    )
    assert (
        "<td class='coopkit-col-label coopkit-text'>Product or service quality relative to ours</td>"
        "<td class='coopkit-col-score'>4</td><td class='coopkit-col-weight'>2.00</td>"
        f"<td class='coopkit-col-share_of_score'>{risk.criteria['share_of_score'].iloc[0]:.1%}</td>"
    ) in v.before[1].html
    if deal:
        assert keys(v.after) == ["parties", "splits"]
        assert [s.title for s in v.after] == ["The deal after reputation risk, per year", "Fair-split comparison"]
        assert v.after[0].html == report_html.party_table_html(a.parties, "EUR")
        assert "data-party='Alder Roasters'" in v.after[0].html
        assert "data-party='Kettle &amp; Co'" in v.after[0].html
        assert "<td>nash <b>(chosen)</b></td>" in v.after[1].html
    else:
        assert v.after == []


def test_reputation_view_builders_draw_the_named_charts(rep):
    a = rep[True, True]
    risk, deal = a.details["risk"], a.details["deal"]
    built = [c.build() for c in view(a).charts]
    assert (
        built[0].axes[0].get_title() == f"Reputation risk: {risk.before.rating}, {risk.after.rating} after mitigations"
    )
    assert built[0].axes[0].get_title() == risk_charts.heat_map(risk).axes[0].get_title()
    assert built[1].axes[0].get_title(loc="left") == "Worse than us on: quality, satisfaction"
    p5, _, p95 = risk.monte_carlo["percentiles"]
    assert built[2].axes[0].get_title() == f"Expected loss: {p5:,.0f} to {p95:,.0f} a year in 90% of scenarios"
    assert built[3].axes[0].get_title() == charts.payoff_chart(deal).axes[0].get_title()
    assert built[2].axes[0].get_xlabel() == "Expected loss after mitigations (EUR per year)"


# --------------------------------------------------------------------------- market growth
def test_market_view_sections(mk_ranged):
    a = mk_ranged
    v = view(a)
    assert keys(v.before) == ["parties", "sizing"] and v.after == []
    assert v.before[0].title == "Each party over 6 years (present value)"
    assert v.before[0].html == report_html.party_table_html(a.parties, "EUR", caption="EUR, present value")
    assert "<caption class='coopkit-note'>EUR, present value</caption>" in v.before[0].html
    assert v.before[1].title == "Market sizing"
    sizing = v.before[1].html
    assert "<thead><tr><th>Method</th><th>Level</th><th>Arithmetic</th><th>EUR per year</th></tr></thead>" in sizing
    # TAM 400,000 customers x 1,200 = 480,000,000; SAM 50%; SOM 30%; bottom-up 150,000 x 50% x 30% x 1,200
    for value in ("480,000,000", "240,000,000", "72,000,000", "27,000,000"):
        assert f"<td class='coopkit-col-value'>{value}</td>" in sizing
    assert "<td class='coopkit-col-arithmetic coopkit-text'>400,000 customers × 1,200 a year</td>" in sizing
    assert sizing.count("<tr>") == 4 + 1  # header row and four sizing rows


def test_market_view_charts_with_ranges(mk_ranged):
    growth = mk_ranged.details["growth"]
    v = view(mk_ranged)
    assert [c.alt for c in v.charts] == [
        "Customers who have adopted, compete only and cooperate",
        "Each party's revenue per year",
        "Waterfall: market growth and share shift per party",
        "Fan chart of market revenue across scenarios",
    ]
    built = [c.build() for c in v.charts]
    assert built[0].axes[0].get_title() == market_charts.adoption_chart(growth).axes[0].get_title()
    assert built[1].axes[0].get_ylabel() == "Revenue (EUR per year)"
    assert [ax.get_title() for ax in built[2].axes] == [
        ax.get_title() for ax in market_charts.waterfall_chart(growth).axes
    ]
    assert built[3].axes[0].get_title() == f"Market grows enough for every party in {growth.p_tide:.0%} of scenarios"


def test_market_view_without_ranges_has_no_fan(mk_plain):
    assert mk_plain.details["growth"].fan is None and mk_plain.details["fit"] is None
    assert [c.alt for c in view(mk_plain).charts] == [
        "Customers who have adopted, compete only and cooperate",
        "Each party's revenue per year",
        "Waterfall: market growth and share shift per party",
    ]


@pytest.mark.parametrize(("ranges", "count"), [(False, 4), (True, 5)])
def test_market_view_with_a_fitted_bass_curve_adds_the_fit_chart(mk_fit, ranges, count):
    a = mk_fit[ranges]
    fit = a.details["fit"]
    assert fit is not None and fit.observed.tolist() == [120, 340, 800, 1500, 2300, 2800, 2600]
    v = view(a)
    assert len(v.charts) == count
    assert v.charts[-1].alt == "Adoption history and the fitted Bass curve"
    ax = v.charts[-1].build().axes[0]
    assert ax.get_title() == f"Bass fit: p = {fit.p:.4f}, q = {fit.q:.3f}, R² = {fit.r2:.3f}"
    assert ax.get_xlabel() == "Year since launch"
    assert ("Fan chart of market revenue across scenarios" in [c.alt for c in v.charts]) is ranges


def test_market_waterfall_is_wide_with_more_than_one_party(mk_ranged):
    assert len(mk_ranged.details["growth"].parties) == 2
    (waterfall,) = [c for c in view(mk_ranged).charts if c.alt.startswith("Waterfall")]
    assert waterfall.build().get_figwidth() == pytest.approx(9.6)  # two panels side by side
    assert waterfall.wide


def test_market_charts_other_than_the_waterfall_are_not_wide(mk_ranged, mk_fit):
    for a in (mk_ranged, mk_fit[True]):
        assert [c.alt for c in view(a).charts if c.wide and not c.alt.startswith("Waterfall")] == []


# --------------------------------------------------------------------------- every view
def test_every_chart_builds_a_figure_that_renders(ww_ranged, rep, mk_fit):
    # these three views hold every chart of every variant (the others are checked by alt text above)
    rendered = []
    for a in (ww_ranged, rep[True, True], mk_fit[True]):
        for chart in view(a).charts:
            assert isinstance(chart, Chart) and chart.alt
            fig = chart.build()
            assert isinstance(fig, Figure), chart.alt
            width, height = png_size(to_png(fig, dpi=40))
            assert width == round(fig.get_figwidth() * 40) and height > 50, chart.alt
            rendered.append(chart.alt)
    assert len(rendered) == 4 + 4 + 5


def test_a_chart_is_built_anew_each_time(mk_plain):
    chart = view(mk_plain).charts[0]
    assert chart.build() is not chart.build()  # a panel can be redrawn without sharing state


def test_every_section_is_a_table_with_a_title(all_views):
    for v in all_views.values():
        for s in v.before + v.after:
            assert isinstance(s, Section) and s.title and s.key
            assert s.html.startswith("<table class='coopkit-table ") and s.html.endswith("</table>")


def test_views_are_immutable(ww_plain):
    v = view(ww_plain)
    with pytest.raises(AttributeError):
        v.before = []  # type: ignore[misc]
    with pytest.raises(AttributeError):
        v.before[0].html = ""  # type: ignore[misc]


# --------------------------------------------------------------------------- generic view
def plain_assessment(worksheet: str, parties: pd.DataFrame) -> Assessment:
    return Assessment(
        worksheet=worksheet,
        verdict="ok",
        level="good",
        passed=True,
        headline="",
        findings=[],
        parties=parties,
        currency="GBP",
    )


def test_unknown_worksheet_gets_the_generic_view():
    table = pd.DataFrame({"standalone": [10.0, 20.0], "gain": [5.0, -1.0]}, index=pd.Index(EVIL[:2], name="party"))
    a = plain_assessment("no_such_worksheet", table)
    v = view(a)
    assert v == generic_view(a)
    assert keys(v.before) == ["parties"] and v.charts == [] and v.after == []
    assert v.before[0].title == "Each party"
    assert v.before[0].html == report_html.party_table_html(table, "GBP")
    assert "<caption class='coopkit-note'>GBP per year</caption>" in v.before[0].html
    assert "<script" not in v.before[0].html
    assert "<td class='coopkit-col-gain coopkit-neg' data-party='A$_$'>−1</td>" in v.before[0].html


def test_generic_view_without_parties_is_empty():
    v = view(plain_assessment("no_such_worksheet", pd.DataFrame(index=pd.Index([], name="party"))))
    assert v == View() and v.before == v.charts == v.after == []


def test_a_registered_worksheet_does_not_fall_back_to_the_generic_view(mk_plain):
    assert keys(generic_view(mk_plain).before) == ["parties"]
    assert keys(view(mk_plain).before) == ["parties", "sizing"] and view(mk_plain).charts


# --------------------------------------------------------------------------- hostile names
def assert_escaped(page: str, names: list[str]) -> None:
    assert "<script" not in page.lower() and "<img" not in page
    assert "x & y" not in page  # the ampersand is escaped
    text = parse(page).text
    for name in names:
        assert name in text  # shown as typed, as a cell of its own


def render_all(v: View) -> None:
    for chart in v.charts:
        png_size(to_png(chart.build(), dpi=40))


def test_hostile_party_names_in_the_win_win_view():
    parties = sample_inputs("win_win_check")["parties"]
    parties.append(copy.deepcopy(parties[1]))
    for party, name in zip(parties, EVIL, strict=True):
        party["name"] = name
    v = view(assess_sample("win_win_check", parties=parties))
    assert keys(v.before + v.after) == ["parties", "splits"]
    for s in v.before + v.after:
        assert_escaped(s.html, EVIL)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in v.after[0].html
    render_all(v)


@pytest.mark.parametrize(("ours", "theirs"), [(EVIL[0], EVIL[1]), (EVIL[2], EVIL[0])])
def test_hostile_names_in_the_reputation_view(ours, theirs):
    v = view(assess_sample("reputation_risk", our_name=ours, partner_name=theirs))
    assert keys(v.after) == ["parties", "splits"]
    for s in v.before:
        assert "<script" not in s.html
    for s in v.after:
        assert_escaped(s.html, [ours, theirs])
    render_all(v)


def test_hostile_party_names_in_the_market_view():
    parties = sample_inputs("market_growth")["parties"]
    parties.append({"name": "third", "share_now": 0.1, "share_with": 0.08, "cooperation_cost": 0})
    for party, name in zip(parties, EVIL, strict=True):
        party["name"] = name
    a = assess_sample("market_growth", parties=parties)
    v = view(a)
    assert_escaped(v.before[0].html, EVIL)
    assert [t for t in parse(v.before[0].html).text if t in EVIL] == EVIL  # one row per party, in order
    assert "<script" not in v.before[1].html
    waterfall = v.charts[2].build()
    assert [ax.get_title().split(":")[0] for ax in waterfall.axes if ax.get_visible()] == EVIL
    assert [ax.get_visible() for ax in waterfall.axes] == [True, True, True, False]
    render_all(v)


def test_each_option_view_module_is_named_after_the_worksheet_it_draws():
    # views.view() imports only coopkit.report.option_views.<worksheet>: a module named otherwise would never load.
    import importlib
    import pkgutil

    from coopkit.report import option_views, views

    for info in pkgutil.iter_modules(option_views.__path__):
        assert info.name in options.names(), f"option_views.{info.name} is not named after a worksheet"
        importlib.import_module(f"{option_views.__name__}.{info.name}")
        assert info.name in views._VIEWS, f"option_views.{info.name} registers no view for {info.name!r}"


def test_a_worksheet_view_imports_no_other_option():
    # A fresh interpreter: the win-win check's panel must not import another option's code.
    import subprocess
    import sys

    code = (
        "import sys; from coopkit import options; from coopkit.report import views; "
        "from coopkit.store.casefile import sample_inputs; "
        "s = options.get('win_win_check'); views.view(s.assess(sample_inputs(s.sample))); "
        "print(sorted(m for m in sys.modules if m.startswith(('coopkit.options.', 'coopkit.report.option_views.')) "
        "and m not in ('coopkit.options.base', 'coopkit.options.win_win', 'coopkit.options.common')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
