"""What every partnering option shares: reputation and competition-law inputs, the verdict, the sensitivity.

Every option composes the three frameworks and the guardrails:

* the **win-win check** (:mod:`coopkit.frameworks.winwin`) on each party's
  stand-alone payoff and its payoff under the option's split, with costs and
  expected losses as risk adjustments;
* **reputation risk** (:mod:`coopkit.frameworks.reputation`) of the partners
  to *us* (the first party), from the fields of :class:`ReputationFields`;
* **market growth** where the option can grow the market;
* the **competition-law guardrails** (:mod:`coopkit.frameworks.antitrust`)
  from the parties' market shares and the shares of the largest other players.

:func:`decide` turns them into one verdict: *go*, *go with conditions* or
*no-go*, with the conditions spelled out. :func:`sensitivity` swings inputs
one at a time and ranks them by how far they move the smallest gain, for a
tornado chart [Eschenbach1992]_.

References
----------
.. [Eschenbach1992] Eschenbach, T. G. (1992). "Spiderplots versus tornado
   diagrams for sensitivity analysis". *Interfaces* 22(6), 40-46.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, Field

from coopkit.errors import InputError
from coopkit.frameworks import antitrust, reputation, winwin
from coopkit.frameworks.findings import Finding
from coopkit.options.base import (
    InputsModel,
    NonNegativeUncertain,
    Problem,
    ShareUncertain,
    _inner_model,
    bounded_uncertain,
    describe_loc,
    field_bounds,
    validate,
)

__all__ = [
    "Score",
    "RateUncertain",
    "YearsUncertain",
    "score_field",
    "mitigation_field",
    "ReputationFields",
    "GuardrailFields",
    "parse_numbers",
    "decide",
    "sensitivity",
    "P_WIN_WIN_FLOOR",
]

Score = Literal[1, 2, 3, 4, 5]
YearsUncertain = bounded_uncertain("YearsUncertain", 0.0, 10.0, doc="Uncertain years, 0 to 10.", default=1.0)
RateUncertain = bounded_uncertain(
    "RateUncertain", 0.0, 0.99, doc="Uncertain probability per year, 0 to 0.99.", default=0.05
)

#: Below this P(win-win), a deal that is win-win on paper goes ahead only with conditions.
P_WIN_WIN_FLOOR = 0.8

_SCORE_NOTE = "1 = clearly better than us, 3 = on a par with us, 5 = far worse than us."
REPUTATION_SECTION = "Reputation risk"
GUARDRAIL_SECTION = "Competition law"


def score_field(key: str, section: str = "Partner scorecard", *, who: str = "the partner") -> Any:
    """A 1-5 scorecard field for one criterion of :data:`reputation.CRITERIA`."""
    c = reputation.CRITERIA[key]
    labels = {
        1: f"1 – {c.low}",
        2: "2 – better than us",
        3: "3 – on a par with us",
        4: "4 – worse than us",
        5: f"5 – {c.high}",
    }
    return Field(
        3,
        title=c.label,
        description=f"Score {who} on this criterion. {_SCORE_NOTE}",
        json_schema_extra={"labels": labels, "section": section},
    )


def mitigation_field(key: str, section: str = "Mitigations") -> Any:
    """A yes/no field for one mitigation of :data:`reputation.MITIGATIONS`, its assumed effect in the tooltip."""
    m = reputation.MITIGATIONS[key]
    effects = []
    if m.likelihood_cut:
        effects.append(f"cuts the likelihood by {m.likelihood_cut:.0%}")
    if m.impact_cut:
        effects.append(f"cuts the impact by {m.impact_cut:.0%}")
    where = "" if len(m.exposures) == len(reputation.EXPOSURE) else f" (only when {', '.join(m.exposures)})"
    return Field(
        False,
        title=m.label,
        description=f"Assumed effect: {' and '.join(effects)}{where}.",
        json_schema_extra={"section": section},
    )


def _rep(default, title: str, description: str, unit: str, model=None) -> Any:
    extra = {"unit": unit, "section": REPUTATION_SECTION}
    if model is None:
        return Field(default, title=title, description=description, json_schema_extra=extra)
    return Field(
        default_factory=lambda: model(likely=default), title=title, description=description, json_schema_extra=extra
    )


class ReputationFields(BaseModel):
    """Reputation-risk inputs an option adds (section "Reputation risk"): the partners' risk to us."""

    rep_quality: Score = score_field("quality", REPUTATION_SECTION, who="the partners (the weakest of them)")
    rep_incidents: Score = score_field("incidents", REPUTATION_SECTION, who="the partners (the weakest of them)")
    rep_values: Score = score_field("values", REPUTATION_SECTION, who="the partners (the weakest of them)")
    rep_exposure: Literal["co-branded", "customer-facing", "back-office"] = Field(
        "customer-facing",
        title="Exposure",
        description="How visible the partnership is to our customers.",
        json_schema_extra={"labels": reputation.EXPOSURE_LABELS, "section": REPUTATION_SECTION},
    )
    rep_differentiation: float = Field(
        0.5,
        ge=0,
        le=1,
        title="Brand rests on quality",
        description="How much our brand competes on quality: 0 = not at all, 1 = wholly.",
        json_schema_extra={"unit": "share 0-1", "section": REPUTATION_SECTION},
    )
    rep_base_rate: RateUncertain = _rep(
        0.05,
        "Base incident rate",
        "Yearly probability of a reputational incident for a partner on a par with us.",
        "probability/year",
        RateUncertain,
    )
    rep_revenue: NonNegativeUncertain = _rep(
        0.0,
        "Revenue at stake",
        "Our yearly revenue from customers who would see the partnership (0: no reputation risk counted).",
        "money/year",
        NonNegativeUncertain,
    )
    rep_customers_lost: ShareUncertain = _rep(
        0.05, "Customers lost", "Share of those customers who leave after an incident.", "share 0-1", ShareUncertain
    )
    rep_recovery_years: YearsUncertain = _rep(
        1.0, "Years to recover", "How long until the lost customers are back.", "years", YearsUncertain
    )
    rep_quality_clauses: bool = mitigation_field("quality_clauses", REPUTATION_SECTION)
    rep_audits: bool = mitigation_field("audits", REPUTATION_SECTION)
    rep_exit_rights: bool = mitigation_field("exit_rights", REPUTATION_SECTION)

    def reputation_ranges(self) -> list[str]:
        """The Uncertain reputation fields (for range checks)."""
        return ["rep_base_rate", "rep_revenue", "rep_customers_lost", "rep_recovery_years"]

    def reputation(self, use_ranges: bool, draws: int, seed: int) -> reputation.ReputationResult:
        """The partners' reputation risk to us, from these fields.

        The same fields give the same (frozen) result, so it is computed once: an option's one-at-a-time
        sensitivity asks for it again for every other input it moves, at the same reputation fields.
        """
        return _reputation(
            (("quality", self.rep_quality), ("incidents", self.rep_incidents), ("values", self.rep_values)),
            self.rep_base_rate.estimate(use_ranges),
            self.rep_exposure,
            self.rep_revenue.estimate(use_ranges),
            self.rep_customers_lost.estimate(use_ranges),
            self.rep_recovery_years.estimate(use_ranges),
            self.rep_differentiation,
            tuple(k for k in ("quality_clauses", "audits", "exit_rights") if getattr(self, f"rep_{k}")),
            min(draws, 100_000),
            seed,
        )


@functools.lru_cache(maxsize=64)
def _reputation(
    factors, base_rate, exposure, revenue, customers_lost, recovery_years, differentiation, mitigations, draws, seed
) -> reputation.ReputationResult:
    return reputation.assess(
        dict(factors),
        base_rate=base_rate,
        exposure=exposure,
        revenue=revenue,
        customers_lost=customers_lost,
        recovery_years=recovery_years,
        differentiation=differentiation,
        mitigations=list(mitigations),
        draws=draws,
        seed=seed,
    )


class GuardrailFields(BaseModel):
    """Competition-law input an option adds: the shares of the largest other players in the market."""

    rival_shares: str = Field(
        "",
        max_length=200,
        title="Other large players' shares",
        description="Market shares (0 to 1) of the largest other players, separated by commas, e.g. 0.3, 0.2 "
        "(leave empty if the rest of the market is fragmented). Used for the HHI.",
        json_schema_extra={"section": GUARDRAIL_SECTION},
    )

    def rival_share_list(self) -> list[float]:
        """The parsed shares of the other large players."""
        return parse_numbers(self.rival_shares, "Other large players' shares", low=0.0, high=1.0, most=20)

    def share_problems(self, party_shares: Sequence[float]) -> list[Problem]:
        """Problems with the rival shares: unreadable, or adding up above 1 with the parties' shares."""
        try:
            rivals = self.rival_share_list()
        except InputError as exc:
            return [Problem(("rival_shares",), str(exc))]
        total = sum(party_shares) + sum(rivals)
        if total > 1 + 1e-9:
            return [
                Problem(
                    ("rival_shares",),
                    f"Other large players' shares and the parties' market shares must add up to at most 1, "
                    f"got {total:.4g}",
                )
            ]
        return []


def parse_numbers(text: str, title: str, *, low: float, high: float, least: int = 0, most: int = 60) -> list[float]:
    """Numbers typed in one box, separated by commas, semicolons, spaces or new lines (no thousands separators).

    Examples
    --------
    >>> parse_numbers("0.3, 0.2", "Shares", low=0, high=1)
    [0.3, 0.2]
    >>> parse_numbers("0.3, 2", "Shares", low=0, high=1)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Shares must be numbers between 0 and 1, got 2 (entry 2)
    """
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    values = []
    for k, part in enumerate(parts, start=1):
        try:
            value = float(part)
        except ValueError:
            raise InputError(
                title,
                part,
                "be numbers",
                message=f"{title} must be numbers separated by commas, got {part!r} (entry {k})",
            ) from None
        if not (math.isfinite(value) and low <= value <= high):
            raise InputError(
                title,
                part,
                "be in range",
                message=f"{title} must be numbers between {low:g} and {high:g}, got {part} (entry {k})",
            )
        values.append(value)
    if not least <= len(values) <= most:
        raise InputError(
            title, len(values), "count", message=f"{title} must list {least} to {most} numbers, got {len(values)}"
        )
    return values


def text_problem(inputs: BaseModel, name: str, parse: Callable[[], Any]) -> list[Problem]:
    """A problem on field ``name`` when ``parse()`` raises InputError (for fields typed as text lists)."""
    try:
        parse()
    except InputError as exc:
        return [Problem((name,), str(exc))]
    return []


# --------------------------------------------------------------------------- the verdict
def decide(
    deal: winwin.WinWinResult,
    risk: reputation.ReputationResult | None,
    guard: antitrust.Guardrails | None,
    p_win_win: float | None = None,
    *,
    extra: Sequence[str] = (),
) -> tuple[str, str, bool, list[Finding]]:
    """Verdict, level, passed and the conditions as findings, from the frameworks' results.

    * **no-go** when the deal is not win-win (after costs and expected losses)
      or the reputation risk after mitigations is severe;
    * **go with conditions** when it is win-win but lopsided, the reputation
      risk is high, a competition-law threshold is exceeded (or no safe harbour
      applies in a highly concentrated market; cooperation of kind "other",
      away from the market, is only flagged), P(win-win) is under
      :data:`P_WIN_WIN_FLOOR`, or ``extra`` lists option-specific conditions;
    * **go** otherwise.

    Examples
    --------
    >>> deal = winwin.check(["A", "B"], [20, 40], 100, split_rule="nash")
    >>> decide(deal, None, None)[:3]
    ('go', 'good', True)
    >>> decide(deal, None, None, 0.6)[3][0].text
    'Condition: win-win in only 60.0% of scenarios; narrow the uncertainty or build in a review point.'
    """
    out: list[Finding] = []
    if not deal.win_win:
        reason = (
            "win-win on paper only: costs or expected losses leave a party worse off"
            if deal.win_win_on_paper
            else "not every party gains"
        )
        out.append(Finding("bad", f"No-go: {reason}."))
        return "no-go", "bad", False, out
    if risk is not None and risk.after.rating == "severe":
        out.append(Finding("bad", "No-go: the partners' reputation risk to us is severe even after mitigations."))
        return "no-go", "bad", False, out
    conditions: list[str] = []
    if deal.lopsided:
        conditions.append(f"the gains are lopsided (balance {deal.balance:.2f}); rebalance the split so the deal lasts")
    if risk is not None and risk.after.rating == "high":
        conditions.append("reputation risk is high: add quality clauses, audits or exit rights")
    if guard is not None and guard.kind != "other" and guard.level == "bad":
        conditions.append("competition law: above a safe-harbour threshold; have counsel assess it")
    elif guard is not None and guard.kind != "other" and guard.within_eu_threshold is None and guard.hhi_after > 1_800:
        conditions.append("competition law: a concentrated market and no safe harbour; have counsel review the scope")
    if p_win_win is not None and p_win_win < P_WIN_WIN_FLOOR:
        conditions.append(
            f"win-win in only {p_win_win:.1%} of scenarios; narrow the uncertainty or build in a review point"
        )
    conditions += list(extra)
    for text in conditions:
        out.append(Finding("caution", f"Condition: {text}."))
    if conditions:
        return "go with conditions", "caution", True, out
    return "go", "good", True, out


# --------------------------------------------------------------------------- sensitivity
def _paths(data: dict, pattern: tuple) -> list[tuple]:
    """Concrete locations matching a pattern with "*" for every list index."""
    if not pattern:
        return [()]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        return [(j, *tail) for j, item in enumerate(data) for tail in _paths(item, rest)]
    if isinstance(data, dict) and head in data:
        return [(head, *tail) for tail in _paths(data[head], rest)]
    return []


def _get(data, loc):
    for part in loc:
        data = data[part]
    return data


def _set(data, loc, value):
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def sensitivity(
    inputs: InputsModel,
    margin: Callable[[InputsModel], float],
    patterns: Sequence[tuple],
    *,
    swing: float = 0.2,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of the smallest party's gain, widest swing first (for a tornado chart).

    Each input at ``patterns`` (locations in the Inputs data, ``"*"`` for
    every list item; an Uncertain field swings its most likely value) moves to
    its low and its high value (its range when ranges are used and given, else
    ``± swing`` of its value, kept within the field's bounds) while every other
    input stays; ``margin(inputs)`` is recomputed each time [Eschenbach1992]_.

    Returns
    -------
    pandas.DataFrame
        Columns ``input``, ``label``, ``low``, ``high``, ``margin_at_low``,
        ``margin_at_high``, ``swing``.

    Examples
    --------
    >>> from coopkit.options import win_win
    >>> inputs = win_win.Inputs(parties=[{"name": "A", "standalone_payoff": {"likely": 20}},
    ...                                  {"name": "B", "standalone_payoff": {"likely": 40}}],
    ...                         partnership_value={"likely": 100}, split_rule="nash")
    >>> t = sensitivity(inputs, lambda i: float(win_win.run_check(i).gain.min()), [("partnership_value",)])
    >>> t[["low", "high", "margin_at_low", "margin_at_high"]].iloc[0].tolist()
    [80.0, 120.0, 10.0, 30.0]
    """
    model = type(inputs)
    data = inputs.model_dump()
    use_ranges = bool(getattr(inputs, "use_ranges", False))
    rows = []
    for pattern in patterns:
        for loc in _paths(data, tuple(pattern)):
            value = _get(data, loc)
            info_loc = tuple(p for p in loc if not isinstance(p, int))
            uncertain = isinstance(value, dict) and "likely" in value
            likely = value["likely"] if uncertain else value
            if isinstance(likely, bool) or not isinstance(likely, (int, float)):
                continue
            if uncertain and use_ranges and value.get("low") is not None and value.get("high") is not None:
                low, high = float(value["low"]), float(value["high"])
            else:
                low, high = likely * (1 - swing), likely * (1 + swing)
                bounds = _bounds(model, info_loc + (("likely",) if uncertain else ()))
                low, high = sorted((low, high))
                low, high = max(low, bounds.get("ge", -math.inf)), min(high, bounds.get("le", math.inf))
            if low == high:
                continue
            margins = []
            for end in (low, high):
                trial = copy.deepcopy(data)
                _set(trial, loc + (("likely",) if uncertain else ()), end)
                checked, _ = validate(model, trial)
                margins.append(math.nan if checked is None else float(margin(checked)))
            rows.append(
                {
                    "input": ".".join(str(p) for p in loc),
                    "label": _label(model, data, loc),
                    "low": float(low),
                    "high": float(high),
                    "margin_at_low": margins[0],
                    "margin_at_high": margins[1],
                }
            )
    table = pd.DataFrame(rows, columns=["input", "label", "low", "high", "margin_at_low", "margin_at_high"])
    table["swing"] = (table["margin_at_high"] - table["margin_at_low"]).abs()
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def _label(model: type[BaseModel], data: dict, loc: tuple) -> str:
    """An input's label for a chart: a list item by its name when it has one, e.g. "Corner & Co: goodwill"."""
    for k, part in enumerate(loc):
        if isinstance(part, int):
            item = _get(data, loc[: k + 1])
            name = item.get("name") if isinstance(item, dict) else None
            if name:
                rest = describe_loc(model, loc).split(": ", 1)[-1]
                return f"{str(name).strip()}: {rest[:1].lower()}{rest[1:]}"
    text = describe_loc(model, loc)
    return text[:1].lower() + text[1:]


def _bounds(model: type[BaseModel], loc: tuple) -> dict[str, float]:
    current: Any = model
    info = None
    for part in loc:
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return {}
        info = fields[part]
        current = _inner_model(info.annotation)
    return field_bounds(info) if info is not None else {}
