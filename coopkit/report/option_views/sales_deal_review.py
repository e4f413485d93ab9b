"""The deal review's result panel: the estimate, how prepared deals fared, the checklist items."""

from __future__ import annotations

import pandas as pd

from coopkit.options.base import Assessment
from coopkit.options.sales.deal_review import SCORE_LABELS
from coopkit.options.sales.win_loss import interval, pct, points
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, register_view


def estimates_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Both estimates for display: the chance now and with every item done, each with its interval, and the basis.

    Examples
    --------
    >>> t = pd.DataFrame({"chance": [0.4], "low": [0.35], "high": [0.45], "all_done": [0.58], "all_done_low": [0.52],
    ...                   "all_done_high": [0.63], "basis": ["the 388 past deals scoring 4–6"]}, index=["Band"])
    >>> estimates_frame(t).loc["Band", ["now", "all_done"]].tolist()
    ['40.0% (35.0–45.0%)', '58.0% (52.0–63.0%)']
    """
    out = pd.DataFrame(index=table.index)
    out["now"] = [
        f"{pct(c)} ({interval(lo, hi)})" for c, lo, hi in zip(table["chance"], table["low"], table["high"], strict=True)
    ]
    out["all_done"] = [
        f"{pct(c)} ({interval(lo, hi)})"
        for c, lo, hi in zip(table["all_done"], table["all_done_low"], table["all_done_high"], strict=True)
    ]
    out["basis"] = table["basis"]
    return out


def bands_frame(bands: pd.DataFrame, this_band: str) -> pd.DataFrame:
    """The score bands for display, this deal's band marked.

    Examples
    --------
    >>> from coopkit.frameworks import winloss
    >>> b = winloss.preparation_table([0, 1, 3, 4], [False, True, True, True], 4, bands=2)
    >>> bands_frame(b, "3–4")["mark"].tolist()
    ['', 'this deal']
    """
    out = pd.DataFrame(index=bands.index)
    out["deals"] = bands["deals"]
    out["wins"] = bands["wins"]
    out["rate"] = [pct(x) for x in bands["win_rate"]]
    out["interval"] = [interval(lo, hi) for lo, hi in zip(bands["low"], bands["high"], strict=True)]
    out["mark"] = ["this deal" if b == this_band else "" for b in bands.index]
    return out


def items_frame(items: pd.DataFrame) -> pd.DataFrame:
    """The checklist items for display: this deal's score, past win rates done and not done, the difference.

    Examples
    --------
    >>> from coopkit.frameworks import winloss
    >>> t = winloss.item_table(pd.DataFrame({"Pitch": [2, 2, 0, 1]}), [True, False, False, False])
    >>> t.insert(0, "this_deal", [1])
    >>> items_frame(t).loc["Pitch", ["this_deal", "done", "difference"]].tolist()
    ['1 – partly', '50.0% of 2', '+50.0 points']
    """
    out = pd.DataFrame(index=items.index)
    out["this_deal"] = [SCORE_LABELS[int(s)] for s in items["this_deal"]]
    out["done"] = [f"{pct(r)} of {n:,}" for r, n in zip(items["done_rate"], items["done_deals"], strict=True)]
    out["open"] = [f"{pct(r)} of {n:,}" for r, n in zip(items["open_rate"], items["open_deals"], strict=True)]
    out["difference"] = [points(x) for x in items["difference"]]
    out["diff_interval"] = [
        "–" if pd.isna(lo) else f"{lo * 100:+.1f} to {hi * 100:+.1f}".replace("-", "−")
        for lo, hi in zip(items["diff_low"], items["diff_high"], strict=True)
    ]
    return out


@register_view("sales_deal_review")
def deal_review_view(a: Assessment) -> View:
    """The estimates, the score bands and the items; the preparation and item charts."""
    from coopkit.report import sales_charts_winloss as charts

    d = a.details
    bands, items = a.tables["bands"], a.tables["items"]
    method = "the score band" if d["method"] == "band" else "the logistic fit"
    before = [
        Section(
            "estimates",
            f"Estimated win chance of {d['deal']} at {d['score']} of {d['max_points']} points (chosen: {method})",
            report_html.frame_html(
                estimates_frame(a.tables["estimates"]),
                [
                    ("now", "Now (95% interval)", "text"),
                    ("all_done", "With every item done", "text"),
                    ("basis", "Based on", "text"),
                ],
                css="coopkit-estimates-table",
                index_label="Method",
            ),
        ),
        Section(
            "bands",
            "How prepared deals fared",
            report_html.frame_html(
                bands_frame(bands, d["band"]),
                [
                    ("deals", "Past deals", "int"),
                    ("wins", "Won", "int"),
                    ("rate", "Win rate", "text"),
                    ("interval", "95% interval", "text"),
                    ("mark", "", "text"),
                ],
                css="coopkit-bands-table",
                index_label="Score",
            ),
        ),
        Section(
            "items",
            "The checklist: where past deals were won more often",
            report_html.frame_html(
                items_frame(items),
                [
                    ("this_deal", "This deal", "text"),
                    ("done", "Won when done", "text"),
                    ("open", "Won when not done", "text"),
                    ("difference", "Difference", "text"),
                    ("diff_interval", "95% interval, points", "text"),
                ],
                css="coopkit-items-table",
                index_label="Item",
            ),
        ),
    ]
    chart_list = [
        Chart(
            "Win rate of past deals by preparation score, with this deal's score",
            lambda: charts.preparation_chart(bands, d["fit"], d["score"], d["max_points"]),
        ),
        Chart("Win rate when each item was done minus when it was not", lambda: charts.items_chart(items)),
    ]
    return View(before=before, charts=chart_list)
