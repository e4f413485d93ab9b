"""The joint-purchasing pool's result panel: members, unit prices alone and pooled, the savings-split rules, the pool."""

from __future__ import annotations

import pandas as pd

from coopkit.options.base import Assessment
from coopkit.options.joint_purchasing import RULE_NAMES, SPLIT_LABELS
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, option_charts, option_sections_after, register_view


@register_view("joint_purchasing")
def purchasing_view(a: Assessment) -> View:
    """Members' table, unit prices, the savings-split rules compared, the pool; price, savings, payoff and tornado charts.

    Examples
    --------
    >>> from coopkit import options
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("joint_purchasing")
    >>> a = sheet.assess(options.validate(sheet.inputs, read_case(sample_case(sheet.sample)).inputs)[0])
    >>> v = purchasing_view(a)
    >>> [s.key for s in v.before], len(v.charts), [s.key for s in v.after]
    (['parties', 'prices', 'rules', 'pool'], 4, ['guardrails'])
    """
    from coopkit.report import purchasing_charts

    deal = a.details["winwin"]
    names = list(deal.parties)
    chosen = a.details["chosen_rule"]
    unit = a.details["unit_name"]
    rules, members, pool = a.tables["rules"], a.tables["members"], a.tables["pool"]
    before = [
        Section(
            "parties",
            "Each member, per year",
            report_html.party_table_html(
                a.parties,
                a.currency,
                caption=f"{a.currency} per year. Share of the deal: the member's savings; cost share: its part of "
                "the coordination cost; gain: what it is better off than buying alone.",
            ),
        ),
        Section(
            "prices",
            "Unit prices alone and in the pool",
            report_html.frame_html(
                members.assign(of_shapley=[_percent(x) for x in members["of_shapley"]]),
                [
                    ("volume", f"Volume, {unit} per year", "int"),
                    ("price_alone", f"Unit price alone, {a.currency}", "number"),
                    ("price_pool", f"Unit price in the pool, {a.currency}", "number"),
                    ("savings", f"Savings, {a.currency} per year", "money"),
                    ("shapley", f"Shapley value, {a.currency} per year", "money"),
                    ("of_shapley", "Savings as a share of the Shapley value", "text"),
                ],
                css="coopkit-prices-table",
                index_label="Member",
                caption="Unit price in the pool: what the member pays a unit net of its savings, under the "
                f"{RULE_NAMES[a.details['rule']]}.",
            ),
        ),
        Section(
            "rules",
            "Savings-split rules compared",
            report_html.rules_table_html(
                rules, names, chosen, f"Savings of each member, {a.currency} per year; smallest gain after costs"
            ),
        ),
        Section(
            "pool",
            "The pool",
            report_html.frame_html(
                _pool_display(pool, a.currency, unit),
                [("shown", "Value", "text")],
                css="coopkit-pool-table",
                index_label="Figure",
            ),
        ),
    ]
    price = Chart(
        "Supplier's price tiers with each member's volume and unit price alone, and the pool's",
        lambda: purchasing_charts.price_chart(
            a.tables["tiers"],
            members,
            float(pool.loc["Pooled volume", "value"]),
            float(pool.loc["Unit price in the pool", "value"]),
            a.currency,
            unit,
        ),
    )
    savings = Chart(
        "Savings of each member under each split rule",
        lambda: purchasing_charts.savings_chart(
            rules[names],
            a.currency,
            largest=a.details["largest"],
            equal_row=SPLIT_LABELS["equal_price"],
            fair_row=SPLIT_LABELS["shapley"],
        ),
    )
    return View(before=before, charts=[price, savings, *option_charts(a)], after=option_sections_after(a))


def _percent(share: float) -> str:
    """A share as a percentage, or a dash when there is none (a member whose Shapley value is 0).

    Examples
    --------
    >>> _percent(0.7321), _percent(float("nan"))
    ('73.2%', '–')
    """
    return "–" if pd.isna(share) else f"{share:.1%}"


def _pool_display(pool: pd.DataFrame, currency: str, unit: str) -> pd.DataFrame:
    """The pool's figures as text, each in its own unit: volumes whole, unit prices to the cent, money whole.

    Examples
    --------
    >>> pool = pd.DataFrame({"value": [1500.0, 2.5, 1234.4], "unit": ["boxes/year", "money/unit", "money/year"]},
    ...                     index=["Pooled volume", "Unit price in the pool", "Savings"])
    >>> _pool_display(pool, "EUR", "boxes")["shown"].tolist()
    ['1,500 boxes a year', '2.50 EUR a unit', '1,234 EUR a year']
    """
    shown = []
    for value, kind in zip(pool["value"].astype(float), pool["unit"], strict=True):
        if kind == "money/unit":
            shown.append(f"{report_html.money(value, 2)} {currency} a unit")
        elif kind == "money/year":
            shown.append(f"{report_html.money(value)} {currency} a year")
        else:
            shown.append(f"{report_html.money(value)} {unit} a year")
    return pd.DataFrame({"shown": shown}, index=pool.index)
