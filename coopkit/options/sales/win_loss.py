"""Sales worksheet 1: win/loss review from a CRM export.

A sales leader loads the CRM's export of closed deals (CSV) and sees how often
we win, overall and against each competitor, by rep, by segment and over
time; our head-to-head record against each competitor; why we lose, ranked;
and which competitors we are improving or slipping against. The column names
of the export are mapped in the worksheet (section "CSV columns").

Formulas and sources: :mod:`coopkit.frameworks.winloss` (Wilson 1927 score
intervals, Newcombe 1998 intervals for a change, a logistic trend fitted by
IRLS, Juran's Pareto ranking). Reading and checking the file (delimiter
detection, the pandera schema, messages naming the column and the rows):
:mod:`coopkit.store.crm`.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, Field

from coopkit.frameworks import winloss
from coopkit.frameworks.findings import Finding
from coopkit.options.base import Assessment, InputsModel, Problem, Worksheet, currency_field, register
from coopkit.store import crm

__all__ = [
    "COLUMNS_SECTION",
    "MAX_CSV_CHARS",
    "OutcomeColumns",
    "ReviewColumns",
    "Inputs",
    "assess",
    "csv_field",
    "pct",
    "interval",
    "points",
    "SHEET",
]

#: Form section holding the column mapping.
COLUMNS_SECTION = "CSV columns"
#: Longest CRM export the worksheet takes, in characters (the form's file button loads at most 2 MB).
MAX_CSV_CHARS = 2_000_000

PERIOD_LABELS = {"month": "Month", "quarter": "Quarter", "half": "Half-year"}
TREND_LABELS = {
    "halves": "Earlier half against later half of the period",
    "logistic": "Logistic trend over the whole period",
}
DATE_LABELS = {
    "YYYY-MM-DD": "YYYY-MM-DD (2025-03-31)",
    "DD/MM/YYYY": "DD/MM/YYYY (31/03/2025)",
    "MM/DD/YYYY": "MM/DD/YYYY (03/31/2025)",
    "DD.MM.YYYY": "DD.MM.YYYY (31.03.2025)",
}


def pct(x: float) -> str:
    """A share as a percentage with one decimal, e.g. ``45.9%``; "–" when unknown.

    Examples
    --------
    >>> pct(0.4593), pct(float("nan"))
    ('45.9%', '–')
    """
    return "–" if pd.isna(x) else f"{x:.1%}"


def interval(low: float, high: float) -> str:
    """A 95 % interval of shares, e.g. ``43.4–48.5%``.

    Examples
    --------
    >>> interval(0.4339, 0.4851)
    '43.4–48.5%'
    """
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{low * 100:.1f}–{high * 100:.1f}%"


def points(x: float) -> str:
    """A change of a share in percentage points, signed, e.g. ``+16.4 points``.

    Examples
    --------
    >>> points(0.16421), points(-0.02)
    ('+16.4 points', '−2.0 points')
    """
    if pd.isna(x):
        return "–"
    return f"{x * 100:+.1f} points".replace("-", "−")


def csv_field() -> object:
    """The CRM export field: a text area with a "Load file" button, at most :data:`MAX_CSV_CHARS` characters.

    Examples
    --------
    >>> csv_field().json_schema_extra["widget"]
    'upload'
    """
    return Field(
        "",
        max_length=MAX_CSV_CHARS,
        title="CRM export",
        description="Closed deals exported from your CRM as a CSV file, a header row and one row per deal: load the "
        "file, or paste it here. Commas, semicolons or tabs between columns; say which column holds what under "
        f"{COLUMNS_SECTION}. At most {MAX_CSV_CHARS:,} characters.",
        json_schema_extra={"widget": "upload", "accept": ".csv,.txt", "unit": ""},
    )


def _column(default: str, title: str, description: str, *, required: bool = False) -> object:
    return Field(
        default,
        min_length=1 if required else 0,
        max_length=200,
        title=title,
        description=description + ("" if required else " Leave empty if the file has no such column."),
        json_schema_extra={"section": COLUMNS_SECTION, "unit": ""},
    )


class OutcomeColumns(BaseModel):
    """Column mapping every sales worksheet reading a CRM export needs: outcome, competitor, segment."""

    outcome_column: str = _column(
        "outcome", "Outcome column", "The column saying whether the deal was won or lost, e.g. Stage.", required=True
    )
    won_values: str = Field(
        "Won",
        min_length=1,
        max_length=500,
        title="Won values",
        description="The outcome values that mean the deal was won, separated by commas, in any case, "
        "e.g. Won, Closed Won.",
        json_schema_extra={"section": COLUMNS_SECTION, "unit": ""},
    )
    lost_values: str = Field(
        "Lost",
        min_length=1,
        max_length=500,
        title="Lost values",
        description="The outcome values that mean the deal was lost, separated by commas, e.g. Lost, Closed Lost.",
        json_schema_extra={"section": COLUMNS_SECTION, "unit": ""},
    )
    skip_other_outcomes: bool = Field(
        False,
        title="Skip other outcomes",
        description="Leave out rows whose outcome is neither won nor lost (open deals) instead of reporting them.",
        json_schema_extra={"section": COLUMNS_SECTION},
    )
    competitor_column: str = _column(
        "competitor",
        "Competitor column",
        "The competitor met in the deal; a blank cell means no competitor recorded.",
    )
    segment_column: str = _column("segment", "Segment column", "The customer segment, e.g. SMB or Enterprise.")

    def outcome_problems(self) -> list[Problem]:
        """Won and lost values must be given and must not share a value (in any case).

        Examples
        --------
        >>> OutcomeColumns(won_values="Won, Closed", lost_values="closed").outcome_problems()[0].message
        "Lost values must not repeat a won value: 'Closed' is in both"
        """
        won = {v.casefold(): v for v in crm.split_values(self.won_values)}
        lost = {v.casefold(): v for v in crm.split_values(self.lost_values)}
        out = []
        if not won:
            out.append(Problem(("won_values",), "Won values must list at least one value, e.g. Won"))
        if not lost:
            out.append(Problem(("lost_values",), "Lost values must list at least one value, e.g. Lost"))
        both = [won[k] for k in won if k in lost]
        if both:
            out.append(
                Problem(
                    ("lost_values",),
                    f"Lost values must not repeat a won value: {', '.join(repr(v) for v in both)} is in both",
                )
            )
        return out


class ReviewColumns(BaseModel):
    """Further columns of a win/loss review: rep, date, loss reason, deal value."""

    rep_column: str = _column("rep", "Rep column", "The sales rep who owned the deal.")
    date_column: str = _column("closed_on", "Date column", "The day the deal was won or lost.")
    date_format: Literal["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"] = Field(
        "YYYY-MM-DD",
        title="Date format",
        description="How the file writes dates (YYYY-MM-DD also reads a time after the date).",
        json_schema_extra={"labels": DATE_LABELS, "section": COLUMNS_SECTION},
    )
    loss_reason_column: str = _column("loss_reason", "Loss reason column", "Why a lost deal was lost.")
    value_column: str = _column("amount", "Deal value column", "The deal's value in money (blank cells allowed).")
    decimal_comma: bool = Field(
        False,
        title="Decimal comma",
        description="The file writes numbers with a decimal comma, 12.500,50, as a spreadsheet set to a European "
        "language does.",
        json_schema_extra={"section": COLUMNS_SECTION},
    )


class Inputs(ReviewColumns, OutcomeColumns, InputsModel):
    """What a sales leader enters for a win/loss review: the CRM export, how to read it, how to slice it."""

    crm_csv: str = csv_field()
    currency: str = currency_field()
    period: Literal["month", "quarter", "half"] = Field(
        "quarter",
        title="Win rate over time by",
        description="The length of the periods the win rate is shown for over time.",
        json_schema_extra={"labels": PERIOD_LABELS},
    )
    trend_method: Literal["halves", "logistic"] = Field(
        "halves",
        title="Improving or slipping by",
        description="How a competitor is judged improving or slipping: the change in win rate between the earlier "
        "and the later half of the period (Newcombe's interval), or a logistic trend over every deal (odds ratio "
        "per year). Either way, only a change whose 95% interval excludes no change counts.",
        json_schema_extra={"labels": TREND_LABELS},
    )
    min_deals: int = Field(
        20,
        ge=1,
        le=100_000,
        title="Fewest deals to judge",
        description="Competitors, reps and segments with fewer closed deals are shown but not ranked or judged.",
        json_schema_extra={"unit": "deals"},
    )

    def column_map(self) -> crm.ColumnMap:
        """The column mapping for :func:`coopkit.store.crm.read_deals`.

        Examples
        --------
        >>> Inputs(won_values="Won, Closed Won", rep_column=" Owner ").column_map().won
        ('Won', 'Closed Won')
        """
        return crm.ColumnMap(
            outcome=self.outcome_column.strip(),
            won=crm.split_values(self.won_values),
            lost=crm.split_values(self.lost_values),
            skip_other=self.skip_other_outcomes,
            competitor=self.competitor_column.strip(),
            rep=self.rep_column.strip(),
            segment=self.segment_column.strip(),
            date=self.date_column.strip(),
            date_format=self.date_format,
            loss_reason=self.loss_reason_column.strip(),
            value=self.value_column.strip(),
            decimal_comma=self.decimal_comma,
        )

    def deals(self) -> crm.Deals:
        """The CRM export read and checked (CrmError naming the columns and rows otherwise).

        Examples
        --------
        >>> Inputs(crm_csv="outcome\\nWon\\nLost\\n", competitor_column="", segment_column="", rep_column="",
        ...        date_column="", loss_reason_column="", value_column="").deals().frame["won"].tolist()
        [True, False]
        """
        return crm.read_deals(self.crm_csv, self.column_map(), Inputs.model_fields["crm_csv"].title)

    def problems(self) -> list[Problem]:
        """Outcome values that contradict each other; every problem of the CRM export, shown at the file.

        Examples
        --------
        >>> Inputs(crm_csv="").problems()[0].loc
        ('crm_csv',)
        """
        out = self.outcome_problems()
        if not out:
            out += csv_problems(self.deals)
        return out


def csv_problems(read) -> list[Problem]:
    """Problems at the CRM export field from reading it with ``read()`` (none when it reads).

    Examples
    --------
    >>> csv_problems(lambda: crm.read_deals("", crm.ColumnMap("outcome")))[0].message[:24]
    'CRM export is empty: loa'
    """
    try:
        read()
    except crm.CrmError as exc:
        return [Problem(("crm_csv",), message) for message in exc.messages]
    return []


# --------------------------------------------------------------------------- the assessment
def _judged(table: pd.DataFrame, min_deals: int) -> pd.DataFrame:
    return table[(table["deals"] >= min_deals) & (table.index != "(blank)")]


def _record(name: str, row) -> str:
    return f"{name} {int(row['wins']):,}–{int(row['losses']):,} ({pct(row['win_rate'])}, {interval(row['low'], row['high'])})"


def _spread(table: pd.DataFrame, plural: str, min_deals: int, level: str = "caution") -> Finding | None:
    judged = _judged(table, min_deals)
    if len(judged) < 2:
        return None
    best = judged["win_rate"].idxmax()
    worst = judged["win_rate"].idxmin()
    apart = judged.loc[worst, "high"] < judged.loc[best, "low"]
    tail = (
        "their 95% intervals do not overlap, so the gap is unlikely to be chance."
        if apart
        else "their 95% intervals overlap, so the gap may be chance."
    )
    return Finding(
        level if apart else "info",
        f"Win rates of {plural} with at least {min_deals} deals range from {pct(judged.loc[worst, 'win_rate'])} "
        f"({worst}) to {pct(judged.loc[best, 'win_rate'])} ({best}); {tail}",
    )


def _trend_findings(trend: winloss.Trend) -> list[Finding]:
    out = []
    t = trend.table
    for name in trend.improving():
        row = t.loc[name]
        out.append(Finding("good", f"Improving against {name}: {_change(row, trend)}."))
    for name in trend.slipping():
        row = t.loc[name]
        out.append(Finding("bad", f"Slipping against {name}: {_change(row, trend)}."))
    return out


def _change(row, trend: winloss.Trend) -> str:
    halves = f"{_half(row, 'earlier')}, {_half(row, 'later')}"
    if not pd.isna(row["change"]):
        halves += (
            f" ({points(row['change'])}, 95% interval {_signed(row['change_low'])} to {points(row['change_high'])})"
        )
    if trend.method == "halves":
        return halves
    return (
        f"odds of winning ×{row['odds_ratio']:.2f} a year (95% interval ×{row['or_low']:.2f} to ×{row['or_high']:.2f}); "
        + halves
    )


def _half(row, which: str) -> str:
    """The win rate in the ``which`` ("earlier" or "later") half, or that the half has no deals."""
    if not row[f"{which}_deals"]:
        return f"no deals in the {which} half"
    return f"{pct(row[f'{which}_rate'])} in the {which} half"


def _signed(x: float) -> str:
    """A share in points with its sign and no unit, e.g. ``+16.4``; "–" when unknown.

    Examples
    --------
    >>> _signed(0.16421), _signed(-0.02), _signed(float("nan"))
    ('+16.4', '−2.0', '–')
    """
    if pd.isna(x):
        return "–"
    return f"{x * 100:+.1f}".replace("-", "−")


def _when(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d")


def assess(inputs: Inputs) -> Assessment:
    """Review won and lost deals: win rates with Wilson intervals, head-to-head, loss reasons, trends.

    Returns
    -------
    Assessment
        Verdict improving / steady / slipping (the overall trend; "reviewed"
        without dates); tables ``overall``, ``head_to_head``, ``by_rep``,
        ``by_segment``, ``over_time``, ``loss_reasons``, ``trend`` and
        ``matrix`` (competitor × segment), each only when the file has the
        columns it needs; ``details`` holds the :class:`~coopkit.frameworks.winloss.Trend`
        and what reading the file did.

    Examples
    --------
    >>> rows = ["outcome,competitor", *["Won,Acme"] * 3, *["Lost,Acme"] * 5, "Won,Beta"]
    >>> a = assess(Inputs(crm_csv="\\n".join(rows), rep_column="", segment_column="", date_column="",
    ...                   loss_reason_column="", value_column="", min_deals=5))
    >>> a.verdict, a.tables["head_to_head"].loc["Acme", "record"]
    ('reviewed', '3–5')
    """
    deals = inputs.deals()
    frame = deals.frame
    columns = deals.columns
    overall = winloss.win_rates(frame)
    row = overall.iloc[0]
    tables: dict[str, pd.DataFrame] = {"overall": overall}
    findings: list[Finding] = []
    n = int(row["deals"])
    span = ""
    if "date" in columns:
        span = f", {_when(frame['date'].min())} to {_when(frame['date'].max())}"
    findings.append(
        Finding(
            "info",
            f"We won {int(row['wins']):,} of {n:,} closed deals{span}: {pct(row['win_rate'])} "
            f"(95% interval {interval(row['low'], row['high'])}).",
        )
    )
    trend = None
    if "date" in columns:
        tables["over_time"] = winloss.over_time(frame, inputs.period)
        by = "competitor" if "competitor" in columns else None
        trend = winloss.trend(frame, by, method=inputs.trend_method, min_deals=inputs.min_deals)
        tables["trend"] = trend.table
        all_row = trend.table.loc[winloss.ALL]
        status = all_row["status"]
        if status in ("improving", "slipping"):
            findings.append(
                Finding("good" if status == "improving" else "bad", f"Overall, {status}: {_change(all_row, trend)}.")
            )
        elif status == "no clear change":
            findings.append(Finding("info", f"Overall, no clear change: {_change(all_row, trend)}."))
        findings += _trend_findings(trend)
    if "competitor" in columns:
        h2h = winloss.head_to_head(frame)
        tables["head_to_head"] = h2h
        judged = _judged(h2h, inputs.min_deals)
        if len(judged):
            worst = judged["win_rate"].idxmin()
            best = judged["win_rate"].idxmax()
            findings.append(Finding("info", f"Hardest competitor: {_record(worst, judged.loc[worst])}."))
            if best != worst:
                findings.append(Finding("info", f"Easiest competitor: {_record(best, judged.loc[best])}."))
        unnamed = int((frame["competitor"] == "").sum())
        if unnamed:
            findings.append(
                Finding("info", f"{unnamed:,} deals have no competitor recorded; head-to-head records leave them out.")
            )
    if "loss_reason" in columns and int(row["losses"]):
        reasons = winloss.pareto(frame)
        tables["loss_reasons"] = reasons
        vital = reasons[reasons["vital"]]
        if len(vital):
            top = reasons.index[0]
            findings.append(
                Finding(
                    "info",
                    f"{_and(list(vital.index))} account for {pct(vital['share'].sum())} of losses "
                    f"(the vital few); {top} alone for {pct(reasons.loc[top, 'share'])}.",
                )
            )
    if "rep" in columns:
        tables["by_rep"] = winloss.win_rates(frame, "rep")
        found = _spread(tables["by_rep"], "reps", inputs.min_deals)
        if found:
            findings.append(found)
    if "segment" in columns:
        tables["by_segment"] = winloss.win_rates(frame, "segment")
        found = _spread(tables["by_segment"], "segments", inputs.min_deals, "info")
        if found:
            findings.append(found)
        if "competitor" in columns:
            named = frame[frame["competitor"] != ""]
            tables["matrix"] = winloss.win_rates(named, ["competitor", "segment"])
    if "value" in columns and pd.notna(row.get("value_win_rate")):
        by_value = float(row["value_win_rate"])
        gap = by_value - float(row["win_rate"])
        if abs(gap) >= 0.03:
            findings.append(
                Finding(
                    "caution" if gap < 0 else "info",
                    f"By value we won {pct(by_value)} of the money in closed deals, "
                    f"{'less' if gap < 0 else 'more'} than our {pct(row['win_rate'])} of deals: we lose "
                    f"{'larger' if gap < 0 else 'smaller'} deals more often.",
                )
            )
    findings += [Finding("info", note) for note in deals.notes]
    verdict, level = _verdict(trend)
    headline = f"Win rate {pct(row['win_rate'])} ({interval(row['low'], row['high'])}) over {n:,} closed deals{span}"
    if trend is not None:
        better, worse = trend.improving(), trend.slipping()
        parts = ([f"improving against {_and(better)}"] if better else []) + (
            [f"slipping against {_and(worse)}"] if worse else []
        )
        headline += ("; " + ", ".join(parts) if parts else "") + "."
    else:
        headline += "."
    return Assessment(
        worksheet="sales_win_loss",
        verdict=verdict,
        level=level,
        passed=level != "bad",
        headline=headline,
        findings=findings,
        parties=tables.get("head_to_head", overall),
        tables=tables,
        details={
            "trend": trend,
            "period": inputs.period,
            "min_deals": inputs.min_deals,
            "rows": deals.rows,
            "skipped": deals.skipped,
            "delimiter": deals.delimiter,
        },
        currency=inputs.currency,
        assumptions=_assumptions(inputs, trend),
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _verdict(trend: winloss.Trend | None) -> tuple[str, str]:
    if trend is None:
        return "reviewed", "good"
    status = trend.table.loc[winloss.ALL, "status"]
    if status == "improving":
        return "improving", "good"
    if status == "slipping":
        return "slipping", "bad"
    return ("steady", "caution") if trend.slipping() else ("steady", "good")


def _assumptions(inputs: Inputs, trend: winloss.Trend | None) -> list[str]:
    out = [
        "Win rates count closed deals only, won or lost; each has a Wilson 95% interval (Wilson 1927), which stays "
        "honest for small groups.",
    ]
    if trend is not None:
        how = (
            f"the change between the earlier half (before {_when(trend.split)}) and the later half, with Newcombe's "
            "1998 interval"
            if trend.method == "halves"
            else "the odds ratio per year of a logistic trend fitted to every deal"
        )
        out.append(
            f"Improving or slipping is judged by {how}; a change counts only when its 95% interval excludes no "
            f"change, and only with at least {inputs.min_deals} deals."
        )
    out.append(
        "These are patterns in past deals, not causes: a competitor that is hard to beat may also meet us in "
        "harder deals."
    )
    return out


SHEET = register(
    Worksheet(
        name="sales_win_loss",
        title="Win/loss review",
        kind="sales",
        inputs=Inputs,
        assess=assess,
        summary="How often we win, against whom, by rep, segment and over time, and why we lose: from a CRM export.",
        sample="sales_win_loss.json",
    )
)
