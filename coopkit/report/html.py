"""HTML fragments for results: verdict banner, findings, tables. Every user text is escaped.

Party names and any other text a user typed pass through :func:`html.escape`
before they reach a page, so a partner called ``<script>alert(1)</script>``
shows as text.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from coopkit.options.base import Assessment

__all__ = [
    "money",
    "verdict_html",
    "findings_html",
    "party_table_html",
    "splits_table_html",
    "frame_html",
    "risk_table_html",
    "guardrails_html",
    "rules_table_html",
    "image_html",
    "STYLE",
]

_ICON = {"good": "✔", "caution": "⚠", "bad": "✖", "info": "•"}

#: CSS for the fragments (included once per page or worksheet).
STYLE = """
<style>
.coopkit-banner{padding:12px 16px;border-radius:6px;margin:4px 0 8px 0;font-size:1.05em}
.coopkit-banner .coopkit-verdict-text{font-size:1.4em;font-weight:700;text-transform:uppercase;letter-spacing:.02em}
.coopkit-level-good{background:#e3f4ec;border-left:6px solid #029E73}
.coopkit-level-caution{background:#fdf1dc;border-left:6px solid #DE8F05}
.coopkit-level-bad{background:#fbe6dc;border-left:6px solid #D55E00}
.coopkit-table{border-collapse:collapse;margin:4px 0;font-variant-numeric:tabular-nums}
.coopkit-table th,.coopkit-table td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
.coopkit-table th:first-child,.coopkit-table td:first-child{text-align:left}
.coopkit-table td.coopkit-neg{color:#B34700;font-weight:600}
.coopkit-findings{margin:4px 0;padding-left:0;list-style:none}
.coopkit-findings li{margin:3px 0}
.coopkit-finding-good::before{content:"✔ ";color:#029E73}
.coopkit-finding-caution::before{content:"⚠ ";color:#DE8F05}
.coopkit-finding-bad::before{content:"✖ ";color:#D55E00}
.coopkit-finding-info::before{content:"• ";color:#555}
.coopkit-tile{display:inline-block;padding:8px 14px;margin:0 8px 8px 0;border:1px solid #ddd;border-radius:6px}
.coopkit-tile b{display:block;font-size:1.5em}
.coopkit-error-text{color:#B34700;font-size:.9em}
.coopkit-invalid input{border-color:#D55E00 !important;background:#fff4ef}
.coopkit-unit{color:#666;font-size:.85em;margin-left:4px}
.coopkit-stale{opacity:.55}
.coopkit-table td.coopkit-text{text-align:left}
.coopkit-chart-wide{grid-column:1 / -1}
.coopkit-note{color:#555;font-size:.9em}
</style>
"""


def money(x: float, decimals: int = 0) -> str:
    """Format an amount with thousands separators and a real minus sign.

    Examples
    --------
    >>> money(-1234.5), money(1234.567, 2)
    ('−1,234', '1,234.57')
    """
    text = f"{abs(x):,.{decimals}f}"
    return ("−" + text) if x < 0 and text.strip("0.,") else text


def verdict_html(a: Assessment) -> str:
    """The verdict banner: verdict, headline, and P(...) when computed."""
    prob = (
        f"<div class='coopkit-probability'>{html.escape(a.probability_label)} = <b>{a.probability:.1%}</b></div>"
        if a.probability is not None
        else ""
    )
    return (
        f"<div class='coopkit-banner coopkit-level-{a.level}'>"
        f"<div class='coopkit-verdict-text'>{_ICON[a.level]} {html.escape(a.verdict)}</div>"
        f"<div class='coopkit-headline'>{html.escape(a.headline)}</div>{prob}</div>"
    )


def findings_html(a: Assessment) -> str:
    """The findings as a list, each marked good / caution / bad / info."""
    items = "".join(f"<li class='coopkit-finding-{f.level}'>{html.escape(f.text)}</li>" for f in a.findings)
    return f"<ul class='coopkit-findings'>{items}</ul>"


_PARTY_COLUMNS = {
    "compete": "Competing (PV)",
    "growth": "From market growth",
    "share_shift": "From share shift",
    "cooperate": "Cooperating (PV)",
    "npv_growth": "NPV of growth alone",
    "npv": "NPV of cooperating",
    "goodwill": "Goodwill",
    "cost_share": "Cost share",
    "net_goodwill": "Net of its cost share",
    "standalone": "On its own",
    "share": "Share of the deal",
    "risk": "Expected loss",
    "with_deal": "With the deal",
    "gain": "Gain",
    "added_value": "Added value",
}


def party_table_html(
    table: pd.DataFrame, currency: str, caption: str | None = None, labels: dict[str, str] | None = None
) -> str:
    """The per-party table; each cell carries ``data-party`` and a column class for tests and styling.

    Examples
    --------
    >>> df = pd.DataFrame({"gain": [5.0]}, index=pd.Index(["<b>X</b>"], name="party"))
    >>> "&lt;b&gt;X&lt;/b&gt;" in party_table_html(df, "EUR")
    True
    """
    names = {**_PARTY_COLUMNS, **(labels or {})}
    columns = [c for c in table.columns if c in names]
    head = "".join(f"<th>{html.escape(names[c])}</th>" for c in columns)
    rows = []
    for party, row in table.iterrows():
        name = html.escape(str(party), quote=True)
        cells = "".join(
            f"<td class='coopkit-col-{c}{' coopkit-neg' if c in ('gain', 'npv', 'npv_growth') and row[c] <= 0 else ''}' data-party='{name}'>"
            f"{money(float(row[c]))}</td>"
            for c in columns
        )
        rows.append(f"<tr><td class='coopkit-col-party'>{name}</td>{cells}</tr>")
    return (
        f"<table class='coopkit-table coopkit-party-table'><caption class='coopkit-note'>{html.escape(caption or currency + ' per year')}</caption>"
        f"<thead><tr><th>Party</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def splits_table_html(splits: pd.DataFrame, parties: list[str], chosen: str, p_by_rule: dict | None = None) -> str:
    """Each split rule's shares, whether it is win-win, its balance and P(win-win)."""
    head = "".join(f"<th>{html.escape(p)}</th>" for p in parties) + "<th>Win-win</th><th>Balance</th>"
    if p_by_rule:
        head += "<th>P(win-win)</th>"
    rows = []
    for rule, row in splits.iterrows():
        mark = " <b>(chosen)</b>" if rule == chosen else ""
        cells = "".join(f"<td>{money(float(row[p]))}</td>" for p in parties)
        cells += f"<td>{'yes' if row['win_win'] else 'no'}</td><td>{float(row['balance']):.2f}</td>"
        if p_by_rule:
            cells += f"<td>{p_by_rule.get(rule, float('nan')):.1%}</td>"
        rows.append(
            f"<tr class='coopkit-split-{html.escape(str(rule))}'><td>{html.escape(str(rule))}{mark}</td>{cells}</tr>"
        )
    return f"<table class='coopkit-table coopkit-splits-table'><thead><tr><th>Split rule</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def image_html(png: bytes, alt: str) -> str:
    """An inline PNG (data URI) with escaped alt text, for self-contained pages."""
    data = base64.b64encode(png).decode("ascii")
    return f"<img src='data:image/png;base64,{data}' alt='{html.escape(alt, quote=True)}' style='max-width:100%'>"


def _cell(value, fmt: str) -> str:
    if fmt == "money":
        return money(float(value))
    if fmt == "percent":
        return f"{float(value):.1%}"
    if fmt == "number":
        return f"{float(value):,.2f}"
    if fmt == "int":
        return f"{round(float(value)):,}"
    return html.escape(str(value))


def frame_html(
    table: pd.DataFrame,
    columns: list[tuple[str, str, str]],
    *,
    css: str,
    index_label: str | None = None,
    caption: str = "",
) -> str:
    """Any table as HTML: ``columns`` lists (column, header, format) with format money|percent|number|int|text.

    The index is shown first under ``index_label`` (left out when None). Every
    text is escaped.

    Examples
    --------
    >>> df = pd.DataFrame({"v": [1234.5]}, index=pd.Index(["<i>a</i>"]))
    >>> frame_html(df, [("v", "Value", "money")], css="demo", index_label="Row")
    "<table class='coopkit-table demo'><thead><tr><th>Row</th><th>Value</th></tr></thead><tbody><tr><td>&lt;i&gt;a&lt;/i&gt;</td><td class='coopkit-col-v'>1,234</td></tr></tbody></table>"
    """
    head = ("" if index_label is None else f"<th>{html.escape(index_label)}</th>") + "".join(
        f"<th>{html.escape(label)}</th>" for _, label, _ in columns
    )
    rows = []
    for key, row in table.iterrows():
        first = "" if index_label is None else f"<td>{html.escape(str(key))}</td>"
        cells = "".join(
            f"<td class='coopkit-col-{html.escape(str(col), quote=True)}{' coopkit-text' if fmt == 'text' else ''}'>"
            f"{_cell(row[col], fmt)}</td>"
            for col, _, fmt in columns
        )
        rows.append(f"<tr>{first}{cells}</tr>")
    cap = f"<caption class='coopkit-note'>{html.escape(caption)}</caption>" if caption else ""
    return (
        f"<table class='coopkit-table {html.escape(css, quote=True)}'>{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


_RISK_FORMATS = {"probability": "percent", "money": "money", "money/year": "money", "class": "int", "rating": "text"}


def risk_table_html(table: pd.DataFrame, currency: str) -> str:
    """The before/after mitigation table of a reputation assessment (rows: figures, with their units).

    Examples
    --------
    >>> from coopkit.frameworks import reputation
    >>> r = reputation.assess({"quality": 4}, revenue=1e6)
    >>> "coopkit-risk-table" in risk_table_html(r.table(), "EUR")
    True
    """
    rows = []
    for figure, row in table.iterrows():
        fmt = _RISK_FORMATS[row["unit"]]
        unit = {"money": currency, "money/year": f"{currency}/year"}.get(row["unit"], "")
        label = html.escape(str(figure)) + (f" <span class='coopkit-unit'>{html.escape(unit)}</span>" if unit else "")
        key = html.escape(str(figure).split(" (")[0].lower().replace(" ", "-").replace(",", ""), quote=True)
        rows.append(
            f"<tr class='coopkit-risk-{key}'><td>{label}</td>"
            f"<td class='coopkit-col-before'>{_cell(row['before'], fmt)}</td>"
            f"<td class='coopkit-col-after'>{_cell(row['after'], fmt)}</td></tr>"
        )
    return (
        "<table class='coopkit-table coopkit-risk-table'><thead><tr><th>Figure</th><th>Before mitigations</th>"
        f"<th>After mitigations</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def guardrails_html(guard) -> str:
    """The competition-law screening: findings, what must not be shared, sources and the disclaimer.

    Examples
    --------
    >>> from coopkit.frameworks import antitrust
    >>> "Never share" in guardrails_html(antitrust.assess([0.1, 0.05], "purchasing"))
    True
    """
    flags = "".join(f"<li class='coopkit-finding-{f.level}'>{html.escape(f.text)}</li>" for f in guard.flags)
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in guard.warnings)
    sources = "; ".join(html.escape(s) for s in guard.sources)
    return (
        f"<div class='coopkit-guardrails coopkit-guardrails-{html.escape(guard.level)}'>"
        f"<ul class='coopkit-findings'>{flags}</ul>"
        f"<b>What must not be shared</b><ul class='coopkit-warnings'>{warnings}</ul>"
        f"<div class='coopkit-note'>Sources: {sources}.</div></div>"
    )


def rules_table_html(table: pd.DataFrame, parties: list[str], chosen: str, caption: str) -> str:
    """Rules compared side by side: each party's amount, whether win-win, the smallest gain; the chosen rule marked.

    Examples
    --------
    >>> t = pd.DataFrame({"A": [5.0], "win_win": [True], "smallest_gain": [2.0]}, index=pd.Index(["equal"]))
    >>> "<b>(chosen)</b>" in rules_table_html(t, ["A"], "equal", "EUR per year")
    True
    """
    head = "".join(f"<th>{html.escape(p)}</th>" for p in parties) + "<th>Win-win</th><th>Smallest gain</th>"
    rows = []
    for rule, row in table.iterrows():
        mark = " <b>(chosen)</b>" if rule == chosen else ""
        cells = "".join(f"<td>{money(float(row[p]))}</td>" for p in parties)
        neg = " coopkit-neg" if row["smallest_gain"] <= 0 else ""
        cells += f"<td>{'yes' if row['win_win'] else 'no'}</td><td class='coopkit-col-smallest{neg}'>{money(float(row['smallest_gain']))}</td>"
        rows.append(f"<tr><td>{html.escape(str(rule))}{mark}</td>{cells}</tr>")
    return (
        f"<table class='coopkit-table coopkit-rules-table'><caption class='coopkit-note'>{html.escape(caption)}</caption>"
        f"<thead><tr><th>Rule</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
