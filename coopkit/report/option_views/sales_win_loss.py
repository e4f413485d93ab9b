"""The win/loss review's result panel: head-to-head records, trends, loss reasons, reps, segments, periods."""

from __future__ import annotations

import pandas as pd

from coopkit.options.base import Assessment
from coopkit.options.sales.win_loss import interval, pct, points
from coopkit.report import html as report_html
from coopkit.report.views import Chart, Section, View, register_view

#: Most rows a table of the panel shows (groups with the most deals first).
MAX_ROWS = 30


def _more(table: pd.DataFrame, what: str) -> str:
    extra = len(table) - MAX_ROWS
    return f"<div class='coopkit-note'>… and {extra:,} more {what} with fewer deals.</div>" if extra > 0 else ""


def rates_frame(table: pd.DataFrame, min_deals: int) -> pd.DataFrame:
    """A win-rate table for display: counts, the rate and its interval as text, the money columns.

    Examples
    --------
    >>> t = pd.DataFrame({"deals": [4], "wins": [3], "losses": [1], "win_rate": [0.75], "low": [0.3], "high": [0.95]},
    ...                  index=["Ana"])
    >>> rates_frame(t, 20).loc["Ana", ["rate", "interval", "judged"]].tolist()
    ['75.0%', '30.0–95.0%', 'too few deals']
    """
    out = pd.DataFrame(index=table.index)
    for column in ("record", "deals", "wins", "losses"):
        if column in table:
            out[column] = table[column]
    out["rate"] = [pct(x) for x in table["win_rate"]]
    out["interval"] = [interval(lo, hi) for lo, hi in zip(table["low"], table["high"], strict=True)]
    for column in ("value_won", "value_lost"):
        if column in table:
            out[column] = table[column].fillna(0.0)
    if "value_win_rate" in table:
        out["value_rate"] = [pct(x) for x in table["value_win_rate"]]
    out["judged"] = ["" if n >= min_deals else "too few deals" for n in table["deals"]]
    return out


def _rate_columns(frame: pd.DataFrame, currency: str) -> list[tuple[str, str, str]]:
    columns = [("record", "Won–lost", "text")] if "record" in frame else []
    columns += [("deals", "Deals", "int"), ("wins", "Won", "int"), ("rate", "Win rate", "text")]
    columns += [("interval", "95% interval", "text")]
    if "value_won" in frame:
        columns += [
            ("value_won", f"Won, {currency}", "money"),
            ("value_lost", f"Lost, {currency}", "money"),
            ("value_rate", "Share of value won", "text"),
        ]
    return [*columns, ("judged", "", "text")]


def _rate_section(key: str, title: str, table: pd.DataFrame, a: Assessment, label: str, what: str) -> Section:
    frame = rates_frame(table.head(MAX_ROWS), a.details["min_deals"])
    body = report_html.frame_html(
        frame, _rate_columns(frame, a.currency), css=f"coopkit-{key}-table", index_label=label
    ) + _more(table, what)
    return Section(key, title, body)


def _head_to_head(a: Assessment) -> Section:
    table = a.tables["head_to_head"]
    frame = rates_frame(table.head(MAX_ROWS), a.details["min_deals"])
    columns = _rate_columns(frame, a.currency)
    if "top_loss_reason" in table:
        frame["top_loss_reason"] = table["top_loss_reason"]
        columns.insert(-1, ("top_loss_reason", "Lost most often on", "text"))
    if "last_met" in table:
        frame["last_met"] = [("" if pd.isna(d) else f"{d:%Y-%m-%d}") for d in table["last_met"].head(MAX_ROWS)]
        columns.insert(-1, ("last_met", "Last met", "text"))
    body = report_html.frame_html(frame, columns, css="coopkit-h2h-table", index_label="Competitor") + _more(
        table, "competitors"
    )
    return Section("head_to_head", "Head-to-head against each competitor", body)


def trend_frame(trend) -> pd.DataFrame:
    """The trend table for display: the halves, the change and its interval, the odds ratio, the status.

    Examples
    --------
    >>> import pandas as pd
    >>> from coopkit.frameworks import winloss
    >>> df = pd.DataFrame({"won": [True, False] * 20, "date": pd.date_range("2025-01-01", periods=40), "competitor": "X"})
    >>> trend_frame(winloss.trend(df)).loc["X", ["earlier", "change", "status"]].tolist()
    ['50.0% of 20', '+0.0 points', 'no clear change']
    """
    t = trend.table
    out = pd.DataFrame(index=t.index)
    out["deals"] = t["deals"]
    out["earlier"] = [f"{pct(r)} of {n:,}" for r, n in zip(t["earlier_rate"], t["earlier_deals"], strict=True)]
    out["later"] = [f"{pct(r)} of {n:,}" for r, n in zip(t["later_rate"], t["later_deals"], strict=True)]
    out["change"] = [points(x) for x in t["change"]]
    out["change_interval"] = [
        "–" if pd.isna(lo) else f"{lo * 100:+.1f} to {hi * 100:+.1f}".replace("-", "−")
        for lo, hi in zip(t["change_low"], t["change_high"], strict=True)
    ]
    out["odds"] = [
        "–" if pd.isna(o) else f"×{o:.2f} (×{lo:.2f} to ×{hi:.2f})"
        for o, lo, hi in zip(t["odds_ratio"], t["or_low"], t["or_high"], strict=True)
    ]
    out["status"] = t["status"]
    return out


def _trend(a: Assessment) -> Section:
    trend = a.details["trend"]
    frame = trend_frame(trend)
    by = (
        "the change between the halves (Newcombe's interval)"
        if trend.method == "halves"
        else "the logistic trend (odds of winning per year, Wald interval)"
    )
    caption = (
        f"Earlier half: {trend.start:%Y-%m-%d} to before {trend.split:%Y-%m-%d}; later half: from then to "
        f"{trend.end:%Y-%m-%d}. Status judged by {by}."
    )
    body = report_html.frame_html(
        frame.head(MAX_ROWS + 1),
        [
            ("deals", "Deals", "int"),
            ("earlier", "Earlier half", "text"),
            ("later", "Later half", "text"),
            ("change", "Change", "text"),
            ("change_interval", "95% interval, points", "text"),
            ("odds", "Odds a year (95% interval)", "text"),
            ("status", "Status", "text"),
        ],
        css="coopkit-trend-table",
        index_label="Competitor",
        caption=caption,
    )
    return Section("trend", "Which competitors we are improving against", body)


def _reasons(a: Assessment) -> Section:
    table = a.tables["loss_reasons"]
    frame = pd.DataFrame(index=table.index)
    frame["losses"] = table["losses"]
    frame["share"] = [pct(x) for x in table["share"]]
    frame["cumulative"] = [pct(x) for x in table["cumulative"]]
    frame["vital"] = ["vital few" if v else "" for v in table["vital"]]
    columns = [
        ("losses", "Deals lost", "int"),
        ("share", "Share of losses", "text"),
        ("cumulative", "Cumulative", "text"),
    ]
    if "value_lost" in table:
        frame["value_lost"] = table["value_lost"].fillna(0.0)
        columns.append(("value_lost", f"Value lost, {a.currency}", "money"))
    columns.append(("vital", "", "text"))
    body = report_html.frame_html(frame.head(MAX_ROWS), columns, css="coopkit-reasons-table", index_label="Reason")
    return Section("loss_reasons", "Why we lose, ranked (Pareto)", body + _more(table, "reasons"))


def _periods(a: Assessment) -> Section:
    table = a.tables["over_time"]
    frame = rates_frame(table, 0)
    body = report_html.frame_html(
        frame,
        [
            ("deals", "Deals", "int"),
            ("wins", "Won", "int"),
            ("rate", "Win rate", "text"),
            ("interval", "95% interval", "text"),
        ],
        css="coopkit-periods-table",
        index_label="Period",
    )
    return Section("over_time", "Win rate over time", body)


@register_view("sales_win_loss")
def win_loss_view(a: Assessment) -> View:
    """Head-to-head and trend tables; rate, trend, time, Pareto and heat-map charts; reps, segments, periods."""
    from coopkit.report import sales_charts_winloss as charts

    t = a.tables
    min_deals = a.details["min_deals"]
    overall = float(t["overall"]["win_rate"].iloc[0])
    before: list[Section] = []
    chart_list: list[Chart] = []
    after: list[Section] = []
    if "head_to_head" in t:
        before.append(_head_to_head(a))
        chart_list.append(
            Chart(
                "Win rate against each competitor with its 95% interval",
                lambda: charts.rate_chart(t["head_to_head"], "competitor", overall, min_deals),
            )
        )
    if a.details.get("trend") is not None:
        before.append(_trend(a))
        trend = a.details["trend"]
        chart_list.append(
            Chart("Win rate in the earlier and the later half, per competitor", lambda: charts.trend_chart(trend))
        )
    if "over_time" in t:
        chart_list.append(
            Chart(
                "Win rate over time with its 95% band", lambda: charts.time_chart(t["over_time"], a.details["period"])
            )
        )
        after.append(_periods(a))
    if "loss_reasons" in t:
        chart_list.append(
            Chart("Loss reasons ranked, with the cumulative share", lambda: charts.pareto_chart(t["loss_reasons"]))
        )
        before.append(_reasons(a))
    if "by_rep" in t:
        chart_list.append(
            Chart(
                "Win rate of each rep with its 95% interval",
                lambda: charts.rate_chart(t["by_rep"], "rep", overall, min_deals),
            )
        )
        after.append(_rate_section("by_rep", "Win rate by rep", t["by_rep"], a, "Rep", "reps"))
    if "by_segment" in t:
        chart_list.append(
            Chart(
                "Win rate of each segment with its 95% interval",
                lambda: charts.rate_chart(t["by_segment"], "segment", overall, min_deals),
            )
        )
        after.append(_rate_section("by_segment", "Win rate by segment", t["by_segment"], a, "Segment", "segments"))
    if "matrix" in t and len(t["matrix"]):
        chart_list.append(
            Chart(
                "Heat map of the win rate by competitor and segment",
                lambda: charts.matrix_chart(t["matrix"], min_deals),
            )
        )
    if "head_to_head" not in t:
        before.insert(0, _rate_section("overall", "All deals", t["overall"], a, "", "groups"))
    return View(before=before, charts=chart_list, after=after)
