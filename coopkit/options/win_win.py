"""The win-win check as a worksheet: its Inputs model and assess().

The maths is :func:`coopkit.frameworks.winwin.check` (see its module for the
formulas and sources); this module fixes what a strategist fills in, with
titles, units and bounds, and turns the result into an :class:`Assessment`.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field

from coopkit.frameworks import winwin
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    InputsPart,
    NonNegativeUncertain,
    Problem,
    Uncertain,
    Worksheet,
    currency_field,
    draws_field,
    ranges_field,
    register,
    seed_field,
)

__all__ = ["Inputs", "Party", "assess", "SHEET"]

SplitRule = Literal["shapley", "nash", "proportional", "equal", "explicit"]

SPLIT_LABELS = {
    "shapley": "Shapley (fair share of what each adds)",
    "nash": "Nash bargaining (stand-alone + share of surplus)",
    "proportional": "Proportional to what each brings",
    "equal": "Equal shares of the whole",
    "explicit": "Agreed shares (enter them per party)",
}


class Party(InputsPart):
    """One party to the deal."""

    name: str = Field(
        min_length=1,
        max_length=40,
        title="Name",
        description="Name of the company or business unit.",
    )
    standalone_payoff: Uncertain = Field(
        title="Stand-alone payoff",
        description="What this party earns per year without the deal: its best alternative (BATNA).",
        json_schema_extra={"unit": "money/year"},
    )
    contribution: float = Field(
        1.0,
        ge=0,
        le=MONEY_LIMIT,
        title="What it brings",
        description="What the party puts into the deal (money, capacity or points; any one unit for all parties). "
        "Drives the proportional split and how much surplus groups of parties create.",
        json_schema_extra={"unit": "relative", "show_if": {"split_rule": ["proportional", "shapley"]}},
    )
    bargaining_power: float = Field(
        1.0,
        gt=0,
        le=100,
        title="Bargaining power",
        description="Relative weight in the Nash bargaining split; equal weights split the surplus equally.",
        json_schema_extra={"unit": "relative", "show_if": {"split_rule": ["nash"]}},
    )
    agreed_share: float = Field(
        0.5,
        ge=0,
        le=1,
        title="Agreed share",
        description="Share of the partnership value this party gets under the agreed split (all shares add up to 1).",
        json_schema_extra={"unit": "share 0-1", "show_if": {"split_rule": ["explicit"]}},
    )
    risk_adjustment: NonNegativeUncertain = Field(
        default_factory=NonNegativeUncertain,
        title="Expected loss from the deal",
        description="What the party expects to lose because of the deal (reputation, disclosed know-how), per year.",
        json_schema_extra={"unit": "money/year"},
    )


class Inputs(InputsModel):
    """What a strategist enters in the win-win check."""

    currency: str = currency_field()
    parties: list[Party] = Field(
        min_length=2,
        max_length=6,
        title="Parties",
        description="The parties to the deal, 2 to 6.",
        json_schema_extra={
            "item_title": "Party",
            "new_item": {"name": "New party", "standalone_payoff": {"likely": 0.0}},
        },
    )
    partnership_value: Uncertain = Field(
        title="Partnership value",
        description="What all parties earn together per year with the deal: the whole pie, not only the extra.",
        json_schema_extra={"unit": "money/year"},
    )
    split_rule: SplitRule = Field(
        "shapley",
        title="Split rule",
        description="How the partnership value is split between the parties.",
        json_schema_extra={"labels": SPLIT_LABELS},
    )
    use_ranges: bool = ranges_field("P(win-win)")
    returns_to_pooling: float = Field(
        1.0,
        ge=1,
        le=5,
        title="Returns to pooling",
        description="How the surplus a group of parties creates grows with what it pools: 1 = in proportion; "
        "higher = only large groups create much (used by the Shapley split).",
        json_schema_extra={"unit": "exponent", "section": "Advanced"},
    )
    draws: int = draws_field(100_000, 1_000_000)
    seed: int = seed_field()

    def problems(self) -> list[Problem]:
        """Checks across fields: distinct names, ordered ranges, shares adding up to 1."""
        out: list[Problem] = []
        by_name: dict[str, list[int]] = {}
        for j, party in enumerate(self.parties):
            if not party.name.strip():
                out.append(Problem(("parties", j, "name"), f"Party {j + 1}: name must not be blank"))
            else:
                by_name.setdefault(party.name.strip().casefold(), []).append(j)
        for same in (s for s in by_name.values() if len(s) > 1):
            for j in same:
                others = ", ".join(str(k + 1) for k in same if k != j)
                out.append(
                    Problem(
                        ("parties", j, "name"),
                        f"Party {j + 1}: name '{self.parties[j].name.strip()}' is also used by party {others}; "
                        "names must be distinct",
                    )
                )
        if self.use_ranges:
            for j, party in enumerate(self.parties):
                for attr, title in (
                    ("standalone_payoff", "Stand-alone payoff"),
                    ("risk_adjustment", "Expected loss from the deal"),
                ):
                    msg = getattr(party, attr).range_problem()
                    if msg:
                        out.append(Problem(("parties", j, attr), f"Party {j + 1}: {title} {msg}"))
            msg = self.partnership_value.range_problem()
            if msg:
                out.append(Problem(("partnership_value",), f"Partnership value {msg}"))
        if self.split_rule == "explicit":
            total = sum(p.agreed_share for p in self.parties)
            if abs(total - 1) > 1e-6:
                out.append(
                    Problem(("parties",), f"Agreed shares must add up to 1 for the agreed split, got {total:.4g}")
                )
        return out


LEVEL = {"win-win": "good", "win-win but lopsided": "caution", "win-win on paper only": "bad", "not win-win": "bad"}


def run_check(inputs: Inputs) -> winwin.WinWinResult:
    """Call :func:`winwin.check` with a worksheet's inputs."""
    r = inputs.use_ranges
    return winwin.check(
        [p.name.strip() for p in inputs.parties],
        [p.standalone_payoff.estimate(r) for p in inputs.parties],
        inputs.partnership_value.estimate(r),
        split_rule=inputs.split_rule,
        contribution=[p.contribution for p in inputs.parties],
        bargaining_power=[p.bargaining_power for p in inputs.parties],
        shares=[p.agreed_share for p in inputs.parties] if inputs.split_rule == "explicit" else None,
        risk_adjustment=[p.risk_adjustment.estimate(r) for p in inputs.parties],
        returns_to_pooling=inputs.returns_to_pooling,
        draws=inputs.draws,
        seed=inputs.seed,
    )


def assess(inputs: Inputs) -> Assessment:
    """Assess a win-win check worksheet.

    Parameters
    ----------
    inputs : Inputs
        The validated worksheet inputs.

    Returns
    -------
    Assessment
        Verdict ("win-win", "win-win but lopsided", "win-win on paper only" or
        "not win-win"), findings, the per-party table, and tables
        ``splits`` (each rule's shares), ``tornado`` and ``gain_percentiles``
        when ranges are used.

    Examples
    --------
    >>> inputs = Inputs(parties=[{"name": "A", "standalone_payoff": {"likely": 20}},
    ...                          {"name": "B", "standalone_payoff": {"likely": 40}}],
    ...                 partnership_value={"likely": 100}, split_rule="nash")
    >>> a = assess(inputs)
    >>> a.verdict, a.passed, float(a.parties.loc["B", "gain"])
    ('win-win', True, 20.0)
    """
    result = run_check(inputs)
    verdict = result.verdict_label()
    gains = ", ".join(f"{p} {g:+,.0f}" for p, g in zip(result.parties, result.gain, strict=True))
    headline = {
        "win-win": f"Every party gains ({gains} {inputs.currency} a year).",
        "win-win but lopsided": f"Every party gains, but unevenly ({gains} {inputs.currency} a year).",
        "win-win on paper only": f"Every party gains on paper, not after expected losses ({gains} {inputs.currency} a year).",
        "not win-win": f"Not every party gains ({gains} {inputs.currency} a year).",
    }[verdict]
    tables: dict[str, pd.DataFrame] = {"splits": result.splits}
    if result.tornado is not None:
        tables["tornado"] = result.tornado
    if result.monte_carlo is not None:
        tables["gain_percentiles"] = result.monte_carlo.gain_percentiles
    return Assessment(
        worksheet="win_win_check",
        verdict=verdict,
        level=LEVEL[verdict],
        passed=result.win_win,
        headline=headline,
        findings=list(result.findings),
        parties=result.table(),
        tables=tables,
        probability=None if result.monte_carlo is None else result.monte_carlo.p_win_win,
        details=result,
        currency=inputs.currency,
        assumptions=list(result.assumptions),
    )


SHEET = register(
    Worksheet(
        name="win_win_check",
        title="Win-win check",
        kind="framework",
        inputs=Inputs,
        assess=assess,
        summary="Does every party end up better off than on its own, and what split is fair?",
        sample="win_win_two_party.json",
    )
)
