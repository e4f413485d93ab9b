"""Sales worksheet 4: deal review, preparing for an upcoming competitive deal.

Before a competitive deal the rep and the sales leader go through a
preparation checklist (account research done, objections anticipated, the
competitor's likely pitch known, our proof points chosen, ...), each item
scored 0 (not done), 1 (partly) or 2 (done). The CRM export carries the same
checklist for past deals, so the worksheet shows how prepared deals fared and
what the upcoming deal's score has meant so far.

The figures (formulas and sources in :mod:`coopkit.frameworks.winloss`):

* a deal's **preparation score** is the sum of its items' points, 0 to
  ``2 m`` for ``m`` items; past deals whose checklist cells are all blank are
  left out (no checklist recorded), a blank cell among filled ones counts 0;
* **how prepared deals fared**: past deals in bands of equal width of the
  score, each band's win rate with its Wilson (1927) 95 % interval;
* the upcoming deal's **estimated win chance**, by the method chosen:
  *band*, the win rate of the past deals in the same band (Wilson interval),
  or *logistic*, ``logit P(win) = a + b score`` fitted to every past deal by
  maximum likelihood (IRLS, written here in numpy; no scipy or statsmodels
  fit), the interval from the delta method on the logit scale. Both are shown;
* **what to do first**: the items not yet done, ranked by how much higher the
  win rate of past deals was when the item was done than when it was not
  (Newcombe's 1998 interval for the difference).

These are associations in past deals, not promises: reps may prepare more for
the deals they expect to win.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from coopkit.frameworks import winloss
from coopkit.frameworks.findings import Finding
from coopkit.options.base import Assessment, InputsModel, Problem, Worksheet, currency_field, register
from coopkit.options.sales.win_loss import OutcomeColumns, csv_field, csv_problems, interval, pct
from coopkit.store import crm

__all__ = ["ChecklistItem", "Inputs", "assess", "history", "SHEET"]

SCORE_LABELS = {0: "0 – not done", 1: "1 – partly", 2: "2 – done"}
METHOD_LABELS = {
    "band": "Win rate of past deals in the same score band",
    "logistic": "Logistic fit of past outcomes on the score",
}
DEFAULT_CHECKLIST = [
    {"item": "Account research done", "column": "prep_research", "score": 0},
    {"item": "Objections anticipated", "column": "prep_objections", "score": 0},
    {"item": "Competitor's likely pitch known", "column": "prep_competitor_pitch", "score": 0},
    {"item": "Proof points chosen", "column": "prep_proof_points", "score": 0},
    {"item": "Champion confirmed", "column": "prep_champion", "score": 0},
    {"item": "Next steps agreed", "column": "prep_next_steps", "score": 0},
]


class ChecklistItem(BaseModel):
    """One item of the preparation checklist: its name, its column in the CRM export, this deal's score."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    item: str = Field(
        min_length=1,
        max_length=80,
        title="Item",
        description="What the rep prepares, e.g. Competitor's likely pitch known.",
    )
    column: str = Field(
        "",
        max_length=200,
        title="CSV column",
        description="The column of the CRM export that records this item for past deals (0, 1, 2, yes, partly or no).",
    )
    score: Literal[0, 1, 2] = Field(
        0,
        title="This deal",
        description="How far the item is done for the upcoming deal: 0 not done, 1 partly, 2 done.",
        json_schema_extra={"labels": SCORE_LABELS, "unit": "points"},
    )


class Inputs(OutcomeColumns, InputsModel):
    """What a sales leader enters for a deal review: the deal's checklist, and the CRM export to score it against."""

    crm_csv: str = csv_field()
    currency: str = currency_field()
    deal_name: str = Field(
        "Upcoming deal",
        min_length=1,
        max_length=80,
        title="Deal",
        description="The upcoming deal, e.g. the account and what it buys.",
    )
    deal_competitor: str = Field(
        "",
        max_length=80,
        title="Competitor",
        description="The competitor in this deal, as the CRM export names it (blank if none or not known): adds our "
        "record against it.",
    )
    deal_segment: str = Field(
        "",
        max_length=80,
        title="Segment",
        description="The deal's segment, as the CRM export names it (blank if not known): adds our win rate there.",
    )
    checklist: list[ChecklistItem] = Field(
        default_factory=lambda: [ChecklistItem(**item) for item in DEFAULT_CHECKLIST],
        min_length=1,
        max_length=12,
        title="Preparation checklist",
        description="The items, 1 to 12, and how far each is done for this deal.",
        json_schema_extra={"item_title": "Item", "new_item": {"item": "New item", "column": "", "score": 0}},
    )
    estimate_method: Literal["band", "logistic"] = Field(
        "band",
        title="Estimate the win chance by",
        description="The win rate of past deals whose score falls in the same band as this deal's, or a logistic "
        "fit of past outcomes on the score (smoother; assumes each point adds the same to the log-odds).",
        json_schema_extra={"labels": METHOD_LABELS},
    )
    bands: int = Field(
        4,
        ge=2,
        le=6,
        title="Score bands",
        description="How many bands of equal width the scores are grouped into.",
        json_schema_extra={"unit": "bands"},
    )

    def column_map(self) -> crm.ColumnMap:
        """The column mapping for :func:`coopkit.store.crm.read_deals`, the checklist columns included.

        Examples
        --------
        >>> Inputs().column_map().checklist[:2]
        ('prep_research', 'prep_objections')
        """
        return crm.ColumnMap(
            outcome=self.outcome_column.strip(),
            won=crm.split_values(self.won_values),
            lost=crm.split_values(self.lost_values),
            skip_other=self.skip_other_outcomes,
            competitor=self.competitor_column.strip(),
            segment=self.segment_column.strip(),
            checklist=tuple(i.column.strip() for i in self.checklist),
        )

    def deals(self) -> crm.Deals:
        """The CRM export read and checked, its checklist columns included (CrmError otherwise).

        Examples
        --------
        >>> i = Inputs(crm_csv="outcome,a\\nWon,yes\\n", competitor_column="", segment_column="",
        ...            checklist=[{"item": "A", "column": "a"}])
        >>> i.deals().checklist["a"].tolist()
        [2]
        """
        return crm.read_deals(self.crm_csv, self.column_map(), Inputs.model_fields["crm_csv"].title)

    def problems(self) -> list[Problem]:
        """Checklist names and columns given and distinct; outcome values; the CRM export and its checklist.

        Examples
        --------
        >>> Inputs(checklist=[{"item": "A", "column": ""}]).problems()[0].message
        'Item 1: CSV column must name the column of the CRM export that records this item'
        """
        out = self.outcome_problems()
        items: dict[str, int] = {}
        columns: dict[str, int] = {}
        for j, entry in enumerate(self.checklist):
            key = entry.item.strip().casefold()
            if not key:
                out.append(Problem(("checklist", j, "item"), f"Item {j + 1}: name must not be blank"))
            elif key in items:
                out.append(
                    Problem(("checklist", j, "item"), f"Item {j + 1}: name is also used by item {items[key] + 1}")
                )
            else:
                items[key] = j
            col = entry.column.strip().casefold()
            if not col:
                out.append(
                    Problem(
                        ("checklist", j, "column"),
                        f"Item {j + 1}: CSV column must name the column of the CRM export that records this item",
                    )
                )
            elif col in columns:
                out.append(
                    Problem(
                        ("checklist", j, "column"), f"Item {j + 1}: CSV column is also used by item {columns[col] + 1}"
                    )
                )
            else:
                columns[col] = j
        if out:
            return out
        out += csv_problems(self.deals)
        if not out and not history(self.deals())[0].size:
            out.append(
                Problem(
                    ("crm_csv",),
                    "CRM export: no deal has the checklist filled in, so there is nothing to score this deal against",
                )
            )
        return out


def history(deals: crm.Deals) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Past deals with a checklist recorded: their scores (points), whether each was won, and the item points.

    A deal whose checklist cells are all blank is left out; a blank cell among
    filled ones counts 0 (not done).

    Examples
    --------
    >>> m = crm.ColumnMap("outcome", checklist=("a", "b"))
    >>> s, w, items = history(crm.read_deals("outcome,a,b\\nWon,2,1\\nLost,,\\nLost,no,\\n", m))
    >>> s.tolist(), w.tolist()
    ([3, 0], [True, False])
    """
    cells = deals.checklist
    recorded = (cells >= 0).any(axis=1).to_numpy()
    items = cells[recorded].clip(lower=0)
    scores = items.sum(axis=1).to_numpy(dtype=int)
    won = deals.frame["won"].to_numpy()[recorded]
    return scores, won, items


def _band_of(bands: pd.DataFrame, score: int) -> int:
    return int(np.flatnonzero((bands["from_score"] <= score) & (bands["to_score"] >= score))[0])


def _estimate_text(e: winloss.Estimate) -> str:
    return f"{pct(e.chance)} (95% interval {interval(e.low, e.high)})"


def assess(inputs: Inputs) -> Assessment:
    """Score an upcoming deal's preparation against the history of won and lost deals.

    Returns
    -------
    Assessment
        Verdict well prepared (top score band) / partly prepared / under-prepared
        (bottom band); ``probability`` the estimated win chance (share 0-1) by
        the chosen method; tables ``bands`` (win rate per score band),
        ``items`` (each item: this deal's points, past win rates done and not
        done), ``estimates`` (both methods, now and with every item done);
        ``details`` holds the score, the logistic fit and the estimates.

    Examples
    --------
    >>> rows = ["outcome,a"] + ["Won,2"] * 6 + ["Lost,2"] * 2 + ["Won,0"] * 2 + ["Lost,0"] * 6
    >>> a = assess(Inputs(crm_csv="\\n".join(rows), competitor_column="", segment_column="",
    ...                   checklist=[{"item": "A", "column": "a", "score": 0}], bands=2))
    >>> a.verdict, round(a.probability, 2)
    ('under-prepared', 0.25)
    """
    deals = inputs.deals()
    scores, won, items = history(deals)
    labels = [i.item.strip() for i in inputs.checklist]
    items = items.set_axis(labels, axis=1)
    max_points = 2 * len(inputs.checklist)
    score = int(sum(i.score for i in inputs.checklist))
    bands = winloss.preparation_table(scores, won, max_points, inputs.bands)
    counts = pd.DataFrame({"s": scores, "w": won}).groupby("s")["w"].agg(["sum", "size"])
    fit = winloss.logistic_fit(counts.index.to_numpy(dtype=float), counts["sum"], counts["size"])
    band_now = winloss.estimate_band(bands, score)
    band_full = winloss.estimate_band(bands, max_points)
    logistic_now = winloss.estimate_logistic(fit, score) if fit is not None else None
    logistic_full = winloss.estimate_logistic(fit, max_points) if fit is not None else None
    findings: list[Finding] = []
    method = inputs.estimate_method
    if method == "logistic" and fit is None:
        method = "band"
        findings.append(
            Finding(
                "caution",
                "A logistic fit is not possible on these deals (every score band won, or lost, alike); the estimate "
                "is the win rate of the deal's score band.",
            )
        )
    if method == "band" and band_now.deals == 0:
        if logistic_now is not None:
            method = "logistic"
            findings.append(
                Finding(
                    "caution",
                    f"No past deal scored {bands.index[_band_of(bands, score)]}; the estimate is the logistic fit.",
                )
            )
    chosen = band_now if method == "band" else logistic_now
    full = band_full if method == "band" else logistic_full
    item_rates = winloss.item_table(items, won)
    item_rates.insert(
        0, "this_deal", [next(i.score for i in inputs.checklist if i.item.strip() == n) for n in item_rates.index]
    )
    overall_rate = float(won.mean())
    which = _band_of(bands, score)
    if which == len(bands) - 1:
        verdict, level = "well prepared", "good"
    elif which == 0:
        verdict, level = "under-prepared", "bad"
    else:
        verdict, level = "partly prepared", "caution"
    if chosen is not None and chosen.deals:
        findings.insert(
            0,
            Finding(
                level,
                f"{inputs.deal_name.strip()} scores {score} of {max_points} points. Estimated win chance "
                f"{_estimate_text(chosen)}: {chosen.basis}.",
            ),
        )
    other = logistic_now if method == "band" else band_now
    if other is not None and other.deals:
        findings.append(Finding("info", f"The other method gives {_estimate_text(other)}: {other.basis}."))
    open_items = item_rates[item_rates["this_deal"] < 2]
    if len(open_items) and full is not None and chosen is not None:
        first = [str(n) for n in open_items.index[:3]]
        lift = open_items["difference"].iloc[0]
        findings.append(
            Finding(
                "info",
                f"With every item done the estimate would be {_estimate_text(full)}. Do first: {', '.join(first)}"
                + (
                    f" (past deals won {abs(lift) * 100:.1f} points {'more' if lift >= 0 else 'less'} often when "
                    f"{first[0]} was done)."
                    if pd.notna(lift)
                    else "."
                ),
            )
        )
    elif not len(open_items):
        findings.append(Finding("good", "Every checklist item is done."))
    top, bottom = bands[bands["deals"] > 0].iloc[-1], bands[bands["deals"] > 0].iloc[0]
    findings.append(
        Finding(
            "info",
            f"Past deals: those scoring {top.name} won {pct(top['win_rate'])} of {int(top['deals']):,}, those scoring "
            f"{bottom.name} {pct(bottom['win_rate'])} of {int(bottom['deals']):,}; all {len(won):,} with a checklist "
            f"won {pct(overall_rate)}.",
        )
    )
    findings += _context(inputs, deals)
    left_out = len(deals.frame) - len(won)
    if left_out:
        findings.append(Finding("info", f"{left_out:,} past deals have no checklist recorded and are left out."))
    findings += [Finding("info", note) for note in deals.notes]
    estimates = _estimates(band_now, band_full, logistic_now, logistic_full)
    headline = (
        f"Estimated win chance {_estimate_text(chosen)} at {score} of {max_points} preparation points, "
        f"against {pct(overall_rate)} for all past deals."
        if chosen is not None and chosen.deals
        else f"{score} of {max_points} preparation points; no past deal to compare with."
    )
    return Assessment(
        worksheet="sales_deal_review",
        verdict=verdict,
        level=level,
        passed=level != "bad",
        headline=headline,
        findings=findings,
        parties=bands,
        tables={"bands": bands, "items": item_rates, "estimates": estimates},
        probability=chosen.chance if chosen is not None and chosen.deals else None,
        probability_label="Estimated win chance",
        details={
            "score": score,
            "max_points": max_points,
            "band": bands.index[which],
            "fit": fit,
            "method": method,
            "estimate": chosen,
            "with_all_done": full,
            "deal": inputs.deal_name.strip(),
        },
        currency=inputs.currency,
        assumptions=[
            "A deal's preparation score is the sum of its checklist points (0 not done, 1 partly, 2 done); past "
            "deals with no checklist recorded are left out, a blank item among filled ones counts 0.",
            "Band estimates are the win rate of past deals in the same band, with a Wilson 95% interval; the "
            "logistic fit assumes each point adds the same to the log-odds of winning.",
            "Past deals show association, not cause: reps may prepare more for the deals they expect to win.",
        ],
    )


def _estimates(band_now, band_full, logistic_now, logistic_full) -> pd.DataFrame:
    rows = {}
    for label, now, full in (
        (METHOD_LABELS["band"], band_now, band_full),
        (METHOD_LABELS["logistic"], logistic_now, logistic_full),
    ):
        if now is None:
            continue
        rows[label] = {
            "chance": now.chance,
            "low": now.low,
            "high": now.high,
            "all_done": full.chance,
            "all_done_low": full.low,
            "all_done_high": full.high,
            "basis": now.basis,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "method"
    return table


def _context(inputs: Inputs, deals: crm.Deals) -> list[Finding]:
    """Our record against the deal's competitor and in its segment, when they are given and in the file."""
    out = []
    frame = deals.frame
    for role, given, what in (
        ("competitor", inputs.deal_competitor.strip(), "against"),
        ("segment", inputs.deal_segment.strip(), "in"),
    ):
        if not given or role not in frame:
            continue
        rates = winloss.win_rates(frame, role, value=None)
        match = [k for k in rates.index if str(k).casefold() == given.casefold()]
        if not match:
            out.append(Finding("caution", f"The CRM export has no deal {what} {given}."))
            continue
        r = rates.loc[match[0]]
        out.append(
            Finding(
                "info",
                f"Our record {what} {match[0]}: {int(r['wins']):,}–{int(r['losses']):,}, "
                f"{pct(r['win_rate'])} (95% interval {interval(r['low'], r['high'])}).",
            )
        )
    return out


SHEET = register(
    Worksheet(
        name="sales_deal_review",
        title="Deal review",
        kind="sales",
        inputs=Inputs,
        assess=assess,
        summary="Score an upcoming competitive deal's preparation against how prepared deals fared in the CRM export.",
        sample="sales_deal_review.json",
    )
)
