"""Market-growth estimates as a worksheet: sizing, Bass adoption, compete vs cooperate, rising tide.

The maths is :mod:`coopkit.frameworks.market` (see it for every formula and
its source). This module fixes what a strategist fills in and turns the
result into an :class:`Assessment`.
"""

from __future__ import annotations

import math
import re
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from coopkit.errors import InputError, require
from coopkit.frameworks import market
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import Range
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    ChangeUncertain,
    InputsModel,
    InputsPart,
    NonNegativeUncertain,
    Problem,
    Worksheet,
    bounded_uncertain,
    currency_field,
    draws_field,
    name_problems,
    range_problems,
    ranges_field,
    register,
    seed_field,
)

__all__ = ["Inputs", "MarketParty", "assess", "parse_series", "npv_by_year", "SHEET"]

PriceUncertain = bounded_uncertain(
    "PriceUncertain", 0.0, 1e9, doc="Revenue per customer, 0 to 1e9 a year.", default=1_000.0
)
PUncertain = bounded_uncertain("PUncertain", 0.0001, 1.0, doc="Coefficient of innovation.", default=0.03)
QUncertain = bounded_uncertain("QUncertain", 0.0, 5.0, doc="Coefficient of imitation.", default=0.38)

SOURCE_LABELS = {
    "literature": "Literature averages (p = 0.03, q = 0.38)",
    "own": "Our own estimates of p and q",
    "fit": "Fit to our adoption history",
}
MAX_SERIES = 60


class MarketParty(InputsPart):
    """One cooperating party and its share of the market in each scenario."""

    name: str = Field(min_length=1, max_length=40, title="Name", description="Name of the company.")
    share_now: float = Field(
        ge=0,
        le=1,
        title="Share competing",
        description="The party's share of the market's revenue if everyone keeps competing.",
        json_schema_extra={"unit": "share 0-1"},
    )
    share_with: float = Field(
        ge=0,
        le=1,
        title="Share cooperating",
        description="The party's share of the market's revenue with the cooperation.",
        json_schema_extra={"unit": "share 0-1"},
    )
    cooperation_cost: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Cost of cooperating",
        description="What taking part costs the party each year (joint campaign, staff, fees).",
        json_schema_extra={"unit": "money/year"},
    )


def _share(default: float, title: str, description: str, section: str | None = "Market sizing (TAM, SAM, SOM)"):
    extra = {"unit": "share 0-1"} | ({"section": section} if section else {})
    return Field(default, ge=0, le=1, title=title, description=description, json_schema_extra=extra)


def _amount(default: float, title: str, description: str, unit: str):
    return Field(
        default,
        ge=0,
        le=MONEY_LIMIT,
        title=title,
        description=description,
        json_schema_extra={"unit": unit, "section": "Market sizing (TAM, SAM, SOM)"},
    )


class Inputs(InputsModel):
    """What a strategist enters in the market-growth worksheet."""

    currency: str = currency_field()
    parties: list[MarketParty] = Field(
        min_length=2,
        max_length=6,
        title="Parties",
        description="The cooperating parties, 2 to 6; everyone else is the rest of the market.",
        json_schema_extra={
            "item_title": "Party",
            "new_item": {"name": "New party", "share_now": 0.0, "share_with": 0.0, "cooperation_cost": 0.0},
        },
    )
    bass_source: Literal["literature", "own", "fit"] = Field(
        "literature",
        title="Adoption speed from",
        description="Where the Bass coefficients p (innovation) and q (imitation) come from.",
        json_schema_extra={"labels": SOURCE_LABELS},
    )
    market_potential: NonNegativeUncertain = Field(
        default_factory=lambda: NonNegativeUncertain(likely=50_000.0),
        title="Market potential",
        description="Customers who will eventually adopt if everyone keeps competing (the Bass m).",
        json_schema_extra={"unit": "customers", "show_if": {"bass_source": ["literature", "own"]}},
    )
    market_age: float = Field(
        0.0,
        ge=0,
        le=100,
        title="Market age",
        description="Years since the market launched (0: a new market).",
        json_schema_extra={"unit": "years", "show_if": {"bass_source": ["literature", "own"]}},
    )
    p: PUncertain = Field(
        default_factory=lambda: PUncertain(likely=0.03),
        title="Innovation p",
        description="Share of the not-yet-adopted who adopt each year from outside influence (advertising).",
        json_schema_extra={"unit": "per year", "show_if": {"bass_source": ["own"]}},
    )
    q: QUncertain = Field(
        default_factory=lambda: QUncertain(likely=0.38),
        title="Imitation q",
        description="Strength of word of mouth: how much adopters pull in others.",
        json_schema_extra={"unit": "per year", "show_if": {"bass_source": ["own"]}},
    )
    adoption_history: str = Field(
        "",
        max_length=2_000,
        title="Adoption history",
        description="New customers in each year since launch, oldest first, separated by commas "
        "(at least 4 years), e.g. 120, 340, 800, 1500. p, q and the market potential are fitted to it.",
        json_schema_extra={"show_if": {"bass_source": ["fit"]}},
    )
    revenue_per_customer: PriceUncertain = Field(
        default_factory=lambda: PriceUncertain(likely=1_000.0),
        title="Revenue per customer",
        description="What one customer spends a year on the market's offers (recurring), or the price (one-off).",
        json_schema_extra={"unit": "money/year"},
    )
    basis: Literal["recurring", "one-off"] = Field(
        "recurring",
        title="Revenue comes",
        description="Recurring: every customer pays each year. One-off: each customer buys once.",
        json_schema_extra={"labels": {"recurring": "Every year from every customer", "one-off": "Once per customer"}},
    )
    m_uplift: ChangeUncertain = Field(
        default_factory=ChangeUncertain,
        title="Uplift: potential",
        description="How much cooperation raises the market potential (0.2 = +20%).",
        json_schema_extra={"unit": "relative change"},
    )
    p_uplift: ChangeUncertain = Field(
        default_factory=ChangeUncertain,
        title="Uplift: innovation p",
        description="How much cooperation raises p, e.g. by a joint campaign (0.2 = +20%).",
        json_schema_extra={"unit": "relative change"},
    )
    q_uplift: ChangeUncertain = Field(
        default_factory=ChangeUncertain,
        title="Uplift: imitation q",
        description="How much cooperation raises q, e.g. by a shared standard customers trust (0.2 = +20%).",
        json_schema_extra={"unit": "relative change"},
    )
    years: int = Field(
        5, ge=1, le=30, title="Horizon", description="Years to project.", json_schema_extra={"unit": "years"}
    )
    margin: float = Field(
        0.3,
        ge=0,
        le=1,
        title="Contribution margin",
        description="Share of revenue left after variable costs.",
        json_schema_extra={"unit": "share 0-1"},
    )
    discount_rate: float = Field(
        0.08,
        ge=0,
        le=0.5,
        title="Discount rate",
        description="Yearly rate to discount future cash flows (your cost of capital).",
        json_schema_extra={"unit": "per year"},
    )
    use_ranges: bool = ranges_field("the chance that the market grows enough for every party, and a fan chart")
    customers: float = _amount(
        100_000.0, "All potential customers", "Everyone who could buy this kind of offer.", "customers"
    )
    annual_spend: float = _amount(1_000.0, "Spend per customer", "What one customer spends on it a year.", "money/year")
    serviceable_share: float = _share(0.5, "Serviceable share", "Share of the TAM the parties' offers can serve (SAM).")
    obtainable_share: float = _share(
        0.4, "Obtainable share", "Share of the SAM the parties can realistically win (SOM)."
    )
    target_accounts: float = _amount(
        20_000.0, "Target accounts", "Accounts on the parties' lists (bottom-up).", "accounts"
    )
    reachable_share: float = _share(0.6, "Reachable share", "Share of those accounts the parties can reach.")
    win_rate: float = _share(0.25, "Win rate", "Share of reached accounts that buy.")
    annual_value: float = _amount(1_000.0, "Value per account", "What one won account spends a year.", "money/year")
    draws: int = draws_field(20_000, 200_000)
    seed: int = seed_field()

    def _highest(self, value) -> float:
        """The highest value an Uncertain input takes (its high when ranges are used)."""
        if self.use_ranges and value.high is not None:
            return max(value.likely, value.high)
        return value.likely

    def problems(self) -> list[Problem]:
        """Checks across fields: names, shares adding up, ranges in order, a readable adoption history."""
        out: list[Problem] = []
        reserved = f"'{market.REST}' is reserved for everyone else"
        out += name_problems(
            self.parties,
            "parties",
            "Party",
            lambda name: reserved if name.casefold() == market.REST.casefold() else None,
        )
        for attr, title in (("share_now", "Shares competing"), ("share_with", "Shares cooperating")):
            total = sum(getattr(p, attr) for p in self.parties)
            if total > 1 + 1e-9:
                out.append(Problem(("parties",), f"{title} must add up to at most 1, got {total:.4g}"))
        if self.bass_source == "own":
            for coef, uplift, top in (("p", "p_uplift", 1.0), ("q", "q_uplift", 5.0)):
                c, u = getattr(self, coef), getattr(self, uplift)
                worst = self._highest(c) * (1 + self._highest(u))
                if worst > top:
                    out.append(
                        Problem(
                            (uplift,),
                            f"{type(self).model_fields[uplift].title} takes {coef} to {worst:.4g} with cooperation; "
                            f"{coef} must stay at most {top:g}",
                        )
                    )
        if self.bass_source == "fit":
            try:
                parse_series(self.adoption_history)
            except InputError as exc:
                out.append(Problem(("adoption_history",), str(exc)))
        if self.use_ranges:
            ranged = ["revenue_per_customer", "m_uplift", "p_uplift", "q_uplift"]
            if self.bass_source != "fit":
                ranged.append("market_potential")
            if self.bass_source == "own":
                ranged += ["p", "q"]
            out += range_problems(self, ranged)
        return out


def parse_series(text: str) -> list[float]:
    """Read an adoption history typed as numbers separated by commas, semicolons, spaces or new lines.

    Examples
    --------
    >>> parse_series("120, 340; 800 1500")
    [120.0, 340.0, 800.0, 1500.0]
    >>> parse_series("10, ten, 30, 40")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: Adoption history must be numbers separated by commas, got 'ten' (entry 2)
    """
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]  # no thousands separators: "1,500" is two years
    if not parts:
        raise InputError(
            "Adoption history",
            text,
            "list 4 to 60 years",
            message="Adoption history is empty: type the new customers of each year since launch, e.g. 120, 340, 800, 1500",
        )
    values = []
    for k, part in enumerate(parts, start=1):
        try:
            value = float(part)
        except ValueError:
            raise InputError(
                "Adoption history",
                part,
                "be numbers separated by commas",
                message=f"Adoption history must be numbers separated by commas, got {part!r} (entry {k})",
            ) from None
        if not math.isfinite(value) or value < 0:
            raise InputError(
                "Adoption history",
                part,
                "be numbers >= 0",
                message=f"Adoption history must be numbers of at least 0, got {part} (entry {k})",
            )
        values.append(value)
    if not 4 <= len(values) <= MAX_SERIES:
        raise InputError(
            "Adoption history",
            len(values),
            "list 4 to 60 years",
            message=f"Adoption history must list 4 to {MAX_SERIES} years, got {len(values)}",
        )
    if sum(values) <= 0:
        raise InputError(
            "Adoption history", 0, "contain some adoption", message="Adoption history must not be all zeros"
        )
    return values


def _band(value: float, error: float, low: float, high: float):
    """A fitted coefficient as a range of about 95% (value ± 2 standard errors), clipped to its bounds."""
    if not np.isfinite(error) or error <= 0:
        return value
    lo = min(value, max(low, value - 2 * error))  # never above the fitted value, even when it is below the bound
    hi = max(value, min(high, value + 2 * error))
    return Range(lo, value, hi, "fitted coefficient")


def run(inputs: Inputs) -> tuple[market.GrowthResult, market.BassFit | None]:
    """Call :func:`market.assess` with a worksheet's inputs (fitting p, q and m first when asked)."""
    r = inputs.use_ranges
    fit = None
    if inputs.bass_source == "fit":
        fit = market.fit_bass(parse_series(inputs.adoption_history))
        p = _band(fit.p, fit.std_errors["p"], 1e-4, 1.0) if r else fit.p
        q = _band(fit.q, fit.std_errors["q"], 0.0, 5.0) if r else fit.q
        m, age = fit.m, float(fit.observed.size)
        source = f"fitted to {fit.observed.size} years of adoptions, R² {fit.r2:.3f}"
    else:
        m, age = inputs.market_potential.estimate(r), inputs.market_age
        if inputs.bass_source == "own":
            p, q, source = inputs.p.estimate(r), inputs.q.estimate(r), "our own estimates"
        else:
            p, q, source = market.BASS_DEFAULTS["p"], market.BASS_DEFAULTS["q"], market.BASS_DEFAULTS["source"]
    result = market.assess(
        [x.name.strip() for x in inputs.parties],
        [x.share_now for x in inputs.parties],
        [x.share_with for x in inputs.parties],
        m=m,
        revenue_per_customer=inputs.revenue_per_customer.estimate(r),
        p=p,
        q=q,
        m_uplift=inputs.m_uplift.estimate(r),
        p_uplift=inputs.p_uplift.estimate(r),
        q_uplift=inputs.q_uplift.estimate(r),
        years=inputs.years,
        market_age=age,
        basis=inputs.basis,
        margin=inputs.margin,
        discount_rate=inputs.discount_rate,
        cooperation_cost=[x.cooperation_cost for x in inputs.parties],
        pq_source=source,
        draws=inputs.draws,
        seed=inputs.seed,
    )
    return result, fit


def assess(inputs: Inputs) -> Assessment:
    """Assess the market-growth worksheet.

    Returns
    -------
    Assessment
        Verdict "rising tide" (the bigger market alone pays for every party's
        cooperation), "pays only with share taken" (every party gains, but some
        only through share shifts) or "does not pay for every party"; tables ``decomposition``, ``market``, ``revenue``, ``flows``,
        ``sizing`` (and ``fan`` with ranges, ``fit`` when fitted); ``details`` is
        ``{"growth": GrowthResult, "fit": BassFit or None}``.

    Examples
    --------
    >>> a = assess(Inputs(parties=[{"name": "A", "share_now": 0.3, "share_with": 0.3},
    ...                            {"name": "B", "share_now": 0.2, "share_with": 0.2}],
    ...                   m_uplift={"likely": 0.25}))
    >>> a.verdict, a.passed
    ('rising tide', True)
    """
    result, fit = run(inputs)
    d = result.decomposition
    if not result.grows_for_all:
        verdict, level, passed = "does not pay for every party", "bad", False
    elif result.tide_for_all:
        verdict, level, passed = "rising tide", "good", True
    else:
        verdict, level, passed = "pays only with share taken", "caution", True
    change = d["cooperate"] - d["compete"]
    headline = (
        f"Over {result.years} years, in present value: "
        + ", ".join(f"{p} {change[p]:+,.0f}" for p in result.parties)
        + f" {inputs.currency} of revenue; "
        + (
            f"{result.growth_share:.0%} of it from a bigger market."
            if np.isfinite(result.growth_share)
            else "no change in revenue."
        )
    )
    parties = d[["compete", "growth", "share", "cooperate"]].rename(columns={"share": "share_shift"})
    parties = parties.assign(npv_growth=result.npv_growth, npv=result.npv)
    sizing = market.market_sizing(
        customers=inputs.customers,
        annual_spend=inputs.annual_spend,
        serviceable_share=inputs.serviceable_share,
        obtainable_share=inputs.obtainable_share,
        target_accounts=inputs.target_accounts,
        reachable_share=inputs.reachable_share,
        win_rate=inputs.win_rate,
        annual_value=inputs.annual_value,
    )
    tables = {
        "decomposition": d,
        "market": result.market,
        "revenue": result.revenue,
        "flows": result.flows,
        "sizing": sizing,
    }
    if result.fan is not None:
        tables["fan"] = result.fan
    if fit is not None:
        tables["fit"] = pd.DataFrame(
            {"observed": fit.observed, "fitted": fit.fitted}, index=pd.RangeIndex(1, fit.observed.size + 1, name="year")
        )
    findings = list(result.findings)
    if fit is not None:
        findings.append(
            Finding(
                "info" if fit.r2 >= 0.8 else "caution",
                f"Bass fit to the adoption history: p = {fit.p:.4f} ± {fit.std_errors['p']:.4f}, q = {fit.q:.3f} ± "
                f"{fit.std_errors['q']:.3f}, market potential {fit.m:,.0f} customers; R² {fit.r2:.3f}"
                + ("" if fit.r2 >= 0.8 else " (a poor fit: treat the projection with care)")
                + ".",
            )
        )
    som = float(sizing.loc[(sizing["method"] == "top-down") & (sizing["level"] == "SOM"), "value"].iloc[0])
    year_one = float(result.revenue["cooperate"].iloc[0].sum())
    if som > 0 and year_one > som:
        findings.append(
            Finding(
                "caution",
                f"The parties' first-year revenue with cooperation ({year_one:,.0f}) exceeds the top-down SOM "
                f"({som:,.0f}): check the market potential and shares.",
            )
        )
    return Assessment(
        worksheet="market_growth",
        verdict=verdict,
        level=level,
        passed=passed,
        headline=headline,
        findings=findings,
        parties=parties,
        tables=tables,
        probability=result.p_tide,
        probability_label="P(grows enough for every party)",
        details={"growth": result, "fit": fit},
        currency=inputs.currency,
        assumptions=list(result.assumptions),
    )


SHEET = register(
    Worksheet(
        name="market_growth",
        title="Market growth",
        kind="framework",
        inputs=Inputs,
        assess=assess,
        summary="Does working together grow the whole market for every party, or only move share?",
        sample="market_growth_joint_campaign.json",
    )
)


def npv_by_year(inputs: Inputs, result: market.GrowthResult, party: str) -> pd.DataFrame:
    """One party's NPV of cooperating, year by year: the discounting written out.

    For year ``k`` of the horizon: the party's revenue change ``R_coop(k) - R_compete(k)``,
    its cash flow ``margin * change - cost``, the discount factor ``1 / (1 + r) ** k``
    and the present value ``cash flow * factor``. The present values add up to the
    party's ``result.npv`` (cash flows at each year's end, [Brealey2020]_ in
    :mod:`coopkit.frameworks.market`).

    Parameters
    ----------
    inputs : Inputs
        The worksheet's inputs: the margin (share 0-1), the discount rate (per year) and
        the party's cost of cooperating (money per year).
    result : market.GrowthResult
        What :func:`run` returned for these inputs.
    party : str
        One of the cooperating parties.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year`` (1 = the first of the horizon): ``revenue_change`` and
        ``cash_flow`` (money per year), ``discount_factor``, ``present_value`` (money).

    Examples
    --------
    >>> i = Inputs(parties=[{"name": "A", "share_now": 0.3, "share_with": 0.4, "cooperation_cost": 10_000},
    ...                     {"name": "B", "share_now": 0.2, "share_with": 0.2}], years=2, margin=0.5)
    >>> table = npv_by_year(i, run(i)[0], "A")
    >>> table.columns.tolist()
    ['revenue_change', 'cash_flow', 'discount_factor', 'present_value']
    >>> table["present_value"].round(2).tolist()
    [32127.5, 120900.25]
    >>> bool(abs(table["present_value"].sum() - run(i)[0].npv["A"]) < 1e-6)
    True
    """
    names = [x.name.strip() for x in inputs.parties]
    require(party in result.parties and party in names, "party", party, f"be one of {', '.join(result.parties)}")
    change = result.revenue[("cooperate", party)] - result.revenue[("compete", party)]
    cash = inputs.margin * change - inputs.parties[names.index(party)].cooperation_cost
    factor = market.discount_factors(inputs.discount_rate, result.years)
    table = pd.DataFrame(
        {"revenue_change": change, "cash_flow": cash, "discount_factor": factor, "present_value": cash * factor}
    )
    return table.rename_axis("year")
