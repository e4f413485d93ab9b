"""The referrals option's result panel: each side, the exchange's economics, the account overlap."""

from __future__ import annotations

import base64
import html

import pandas as pd

from coopkit.frameworks import overlap
from coopkit.options.base import Assessment
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, option_charts, option_sections_after, register_view

__all__ = ["referrals_view", "exchange_table_html", "overlap_html", "download_link", "MAX_DOWNLOAD_ACCOUNTS"]

#: Largest list whose hash file is offered as a download link in the page (bigger ones: use the library).
MAX_DOWNLOAD_ACCOUNTS = 10_000

#: Rows of the exchange table: column of the flows table, label, format ("count" or "money").
EXCHANGE_ROWS = (
    ("sent", "Referrals sent", "count"),
    ("received", "Referrals received", "count"),
    ("converted", "Become customers", "count"),
    ("revenue", "Revenue from them", "money"),
    ("margin_earned", "Margin on them", "money"),
    ("fees_paid", "Referral fees paid", "money"),
    ("fees_earned", "Referral fees earned", "money"),
    ("handling", "Handling cost", "money"),
    ("yearly_cost", "Programme cost", "money"),
    ("net", "Net value", "money"),
)


def _count(x: float) -> str:
    """A count of referrals: whole when it is one, else to one decimal.

    Examples
    --------
    >>> _count(24.0), _count(24.25), _count(1234.0)
    ('24', '24.2', '1,234')
    """
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def exchange_table_html(flows: pd.DataFrame, currency: str) -> str:
    """The referral exchange per year: one row per figure, one column per side, every name escaped.

    Cells carry ``data-party`` and rows ``coopkit-row-<figure>`` for tests and styling.

    Examples
    --------
    >>> t = pd.DataFrame({c: [1.0, 2.0] for c, _, _ in EXCHANGE_ROWS}, index=["<b>A</b>", "B"])
    >>> out = exchange_table_html(t, "EUR")
    >>> "&lt;b&gt;A&lt;/b&gt;" in out and "<b>A</b>" not in out
    True
    """
    names = [str(p) for p in flows.index]
    head = "".join(f"<th>{html.escape(p)}</th>" for p in names)
    rows = []
    for column, label, fmt in EXCHANGE_ROWS:
        cells = []
        for name in names:
            value = float(flows.loc[name, column])
            text = _count(value) if fmt == "count" else report_html.money(value)
            neg = " coopkit-neg" if column == "net" and value <= 0 else ""
            cells.append(
                f"<td class='coopkit-col-{column}{neg}' data-party='{html.escape(name, quote=True)}'>{text}</td>"
            )
        strong = ("<b>", "</b>") if column == "net" else ("", "")
        rows.append(f"<tr class='coopkit-row-{column}'><td>{strong[0]}{label}{strong[1]}</td>{''.join(cells)}</tr>")
    caption = f"{currency} per year; counts are referrals per year"
    return (
        f"<table class='coopkit-table coopkit-exchange-table'><caption class='coopkit-note'>{html.escape(caption)}"
        f"</caption><thead><tr><th>Figure</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def download_link(text: str, file_name: str, label: str, css: str) -> str:
    """A link that saves ``text`` as a UTF-8 CSV file, from a data URI (nothing leaves the page).

    Examples
    --------
    >>> link = download_link("a,b\\n", "x.csv", "Save <x>", "demo")
    >>> link.split(" href=")[0], link.endswith(">Save &lt;x&gt;</a>")
    ("<a class='coopkit-download demo' download='x.csv'", True)
    """
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f"<a class='coopkit-download {html.escape(css, quote=True)}' download='{html.escape(file_name, quote=True)}' "
        f"href='data:text/csv;charset=utf-8;base64,{data}'>{html.escape(label)}</a>"
    )


def _protection_html() -> str:
    protects = "".join(f"<li>{html.escape(x)}</li>" for x in overlap.PROTECTS)
    does_not = "".join(f"<li>{html.escape(x)}</li>" for x in overlap.DOES_NOT_PROTECT)
    return (
        "<details class='coopkit-overlap-protection'><summary>What matching on keyed hashes protects against, "
        f"and what it does not</summary><b>Protects against</b><ul>{protects}</ul>"
        f"<b>Does not protect against</b><ul>{does_not}</ul></details>"
    )


def overlap_html(a: Assessment) -> str:
    """The account overlap: counts per population pair, the lists' sizes, our matched accounts, downloads.

    Examples
    --------
    >>> from coopkit import options
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("referrals")
    >>> data = read_case(sample_case(sheet.sample)).inputs | {"draws": 1_000}
    >>> out = overlap_html(sheet.assess(options.validate(sheet.inputs, data)[0]))
    >>> "coopkit-overlap-table" in out, "coopkit-matches-table" in out
    (True, True)
    """
    found = a.details.get("overlap")
    if found is None:
        return (
            "<div class='coopkit-note coopkit-overlap-empty'>Paste or load both customer lists, and agree a shared "
            "secret, to see the accounts the sides have in common.</div>" + _protection_html()
        )
    parts = [
        report_html.frame_html(
            found.counts,
            [("count", "Accounts", "int"), ("meaning", "What it means", "text")],
            css="coopkit-overlap-table",
            index_label="Population pair",
        ),
        report_html.frame_html(
            found.sizes,
            [
                ("accounts", "Accounts", "int"),
                ("customers", "Customers", "int"),
                ("prospects", "Prospects", "int"),
                ("duplicates", "Duplicates merged", "int"),
                ("skipped", "Lines skipped", "int"),
            ],
            css="coopkit-lists-table",
            index_label="List",
            caption="Duplicates are rows whose normalised domain or name was already listed; lines skipped had "
            "no usable domain or name.",
        ),
    ]
    parts += [f"<div class='coopkit-note coopkit-overlap-note'>⚠ {html.escape(n)}</div>" for n in found.notes]
    if found.counts_only:
        parts.append(
            "<div class='coopkit-note coopkit-counts-only'>Counts only: no account names are shown, as agreed.</div>"
        )
    elif len(found.matched):
        parts.append("<h5>Our accounts on the partner's list (names from our list only)</h5>")
        parts.append(
            report_html.frame_html(
                found.matched.set_index("account"),
                [("ours", "With us", "text"), ("theirs", "With the partner", "text")],
                css="coopkit-matches-table",
                index_label="Account",
            )
        )
        parts.append(
            download_link(
                overlap.matches_csv(found),
                "matched_accounts.csv",
                "Save the matched accounts (CSV)",
                "coopkit-download-matches",
            )
        )
    our_file = a.details.get("our_hash_file")
    if our_file is not None:
        accounts = int(found.sizes.loc["Ours", "accounts"])
        if accounts <= MAX_DOWNLOAD_ACCOUNTS:
            parts.append(
                " · "
                + download_link(
                    our_file,
                    "our_account_hashes.csv",
                    "Save our hash file, to send the partner",
                    "coopkit-download-hashes",
                )
            )
        else:
            parts.append(
                f"<div class='coopkit-note'>Our hash file ({accounts:,} accounts) is too large for a link here: "
                "make it with coopkit.frameworks.overlap.hash_file.</div>"
            )
    parts.append(_protection_html())
    return "".join(parts)


@register_view("referrals")
def referrals_view(a: Assessment) -> View:
    """Each side's gain, the exchange's economics, the account overlap; flows, payoff, tornado and overlap charts.

    Examples
    --------
    >>> from coopkit import options
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("referrals")
    >>> data = read_case(sample_case(sheet.sample)).inputs | {"draws": 1_000}
    >>> panel = referrals_view(sheet.assess(options.validate(sheet.inputs, data)[0]))
    >>> [s.key for s in panel.before], len(panel.charts)
    (['parties', 'exchange', 'overlap'], 4)
    """
    from coopkit.report import referral_charts

    flows = a.tables["flows"]
    found = a.details.get("overlap")
    title = "Account overlap" + (
        f": {found.total} of our accounts are on the partner's list" if found is not None else ""
    )
    before = [
        Section("parties", "Each side, per year", report_html.party_table_html(a.parties, a.currency)),
        Section("exchange", "The referral exchange, per year", exchange_table_html(flows, a.currency)),
        Section("overlap", title, overlap_html(a)),
    ]
    charts = [
        Chart(
            "Waterfall per side: margin on referrals won, fees, handling, net value",
            lambda: referral_charts.flows_chart(flows, a.currency),
            wide=True,
        ),
        *option_charts(a),
    ]
    if found is not None:
        charts.append(
            Chart(
                "Account overlap by population: ours against the partner's",
                lambda: referral_charts.overlap_chart(found.counts),
            )
        )
    return View(before=before, charts=charts, after=option_sections_after(a))
