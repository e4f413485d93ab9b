"""Sales worksheet 5, reward design: at what split of the bonus pool does helping a colleague pay?

Reps compete with each other for their own numbers, and the team needs them
to help each other too. This worksheet takes the split of the bonus pool
between individual results, team results and help given, and shows whether a
rational rep helps a colleague:

* **one-off** (help a colleague it will not need again, a newcomer or a rep
  from another region): a linear public-goods game [Isaac1988]_,
  [Ledyard1995]_; helping pays when the bonus it brings the helper (its share
  of the team's gain and its help credit) exceeds the bonus it loses on its
  own lost sales;
* **with reciprocity** (two reps who trade help again and again): the
  repeated prisoner's dilemma under grim trigger, with the stage payoffs the
  mix implies and the cooperation threshold of
  :func:`coopkit.frameworks.game.cooperation_threshold` [Axelrod1984]_.

The formulas, and the closed-form break-even mix, are in
:mod:`coopkit.frameworks.rewards`; the weight of the next round of
reciprocity comes from :func:`coopkit.frameworks.tournament.continuation`.

References
----------
.. [Isaac1988] Isaac, R. M. and Walker, J. M. (1988). "Group size effects in
   public goods provision: the voluntary contributions mechanism". *Quarterly
   Journal of Economics* 103(1), 179-199.
.. [Ledyard1995] Ledyard, J. O. (1995). "Public goods: a survey of
   experimental research". In Kagel and Roth (eds.), *The Handbook of
   Experimental Economics*, 111-194.
.. [Axelrod1984] Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from coopkit.frameworks import rewards
from coopkit.frameworks.findings import Finding
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    Problem,
    Worksheet,
    _fmt,
    currency_field,
    register,
)

__all__ = ["Inputs", "assess", "scheme", "SHEET"]

NAME = "sales_rewards"
ADVANCED = "Advanced"


def _weight(default: float, title: str, description: str):
    return Field(default, ge=0, le=1, title=title, description=description, json_schema_extra={"unit": "share 0-1"})


class Inputs(InputsModel):
    """What a sales leader enters to test a bonus split."""

    currency: str = currency_field()
    reps: int = Field(
        8,
        ge=2,
        le=500,
        title="Reps",
        description="Reps who share the bonus pool.",
        json_schema_extra={"unit": "reps"},
    )
    bonus_pool: float = Field(
        400_000.0,
        gt=0,
        le=MONEY_LIMIT,
        title="Bonus pool",
        description="The bonus paid when the team meets its plan and every rep helps with every request.",
        json_schema_extra={"unit": "money/year"},
    )
    team_plan: float = Field(
        16_000_000.0,
        gt=0,
        le=MONEY_LIMIT,
        title="Team sales plan",
        description="The team's planned sales a year, without help between reps.",
        json_schema_extra={"unit": "money/year"},
    )
    individual_weight: float = _weight(
        0.85, "Weight: own results", "Share of the pool paid on each rep's own sales against the plan."
    )
    team_weight: float = _weight(
        0.15, "Weight: team results", "Share of the pool paid on the team's sales against plan, split equally."
    )
    help_weight: float = _weight(
        0.0,
        "Weight: help given",
        "Share of the pool paid on help given to colleagues (e.g. assists logged in the CRM), in proportion to "
        "the help planned.",
    )
    help_cost: float = Field(
        3_000.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Helper's loss per help",
        description="Sales a rep gives up when it helps a colleague once (the selling time it spends).",
        json_schema_extra={"unit": "money"},
    )
    help_benefit: float = Field(
        12_000.0,
        gt=0,
        le=MONEY_LIMIT,
        title="Colleague's gain per help",
        description="Extra sales the helped colleague makes thanks to one help; more than the helper loses.",
        json_schema_extra={"unit": "money"},
    )
    help_requests: float = Field(
        20.0,
        gt=0,
        le=10_000,
        title="Help requests per rep",
        description="Requests for help each rep gets a year; the help part of the pool is sized on all of them.",
        json_schema_extra={"unit": "requests/year"},
    )
    retention: float = Field(
        0.8,
        ge=0.01,
        le=1,
        title="Still together next year",
        description="Probability that two reps still work together a year later (1 minus yearly turnover).",
        json_schema_extra={"unit": "probability"},
    )
    discount_rate: float = Field(
        0.1,
        ge=0,
        le=1,
        title="Yearly discount rate",
        description="How much less a rep values a bonus a year later (0.1 = 10% less).",
        json_schema_extra={"unit": "share 0-1", "section": ADVANCED},
    )

    def problems(self) -> list[Problem]:
        """Checks across fields: the weights add up to 1; helping grows the team's sales."""
        out: list[Problem] = []
        total = self.individual_weight + self.team_weight + self.help_weight
        if abs(total - 1) > 1e-6:
            out.append(
                Problem(
                    ("individual_weight",),
                    f"The three weights must add up to 1 (100%), got {_fmt(round(total, 6))}: own results "
                    f"{_fmt(self.individual_weight)} + team results {_fmt(self.team_weight)} + help given "
                    f"{_fmt(self.help_weight)}",
                )
            )
        if self.help_benefit <= self.help_cost:
            out.append(
                Problem(
                    ("help_benefit",),
                    f"Colleague's gain per help must be more than the helper's loss per help "
                    f"({_fmt(self.help_cost)}), got {_fmt(self.help_benefit)}: help that does not grow the team's "
                    "sales is not worth rewarding",
                )
            )
        return out


def scheme(inputs: Inputs) -> rewards.Scheme:
    """The bonus scheme of the inputs, for :mod:`coopkit.frameworks.rewards` (money per year, weights 0-1).

    Examples
    --------
    >>> s = scheme(Inputs())
    >>> s.reps, s.rate, s.credit
    (8, 0.025, 2500.0)
    """
    return rewards.Scheme(
        reps=inputs.reps,
        pool=inputs.bonus_pool,
        plan=inputs.team_plan,
        individual=inputs.individual_weight,
        team=inputs.team_weight,
        help=inputs.help_weight,
        help_cost=inputs.help_cost,
        help_benefit=inputs.help_benefit,
        requests=inputs.help_requests,
    )


def _pct(x: float) -> str:
    return f"{x:.1%}"


def assess(inputs: Inputs) -> Assessment:
    """Assess a bonus split: does helping a colleague pay a rational rep, one-off and with reciprocity?

    Returns
    -------
    Assessment
        Verdict *helping pays* (good), *helping pays only if returned*
        (caution) or *helping does not pay* (bad); ``parties`` is a year for
        one rep in four situations (:func:`coopkit.frameworks.rewards.year`);
        tables ``parts`` (what one help does to the helper's bonus, by part of
        the pool), ``stage`` (the stage game of two reps), ``break_even``
        (the break-even mixes); ``details`` holds the figures the charts use.

    Examples
    --------
    >>> a = assess(Inputs())
    >>> a.verdict, round(a.details["own"], 2), round(a.details["break_even"], 4)
    ('helping pays only if returned', -59.53, 0.7273)
    """
    s = scheme(inputs)
    cur = inputs.currency
    parts = s.parts()
    own, got = rewards.own_gain(s), rewards.received_gain(s)
    T, R, P, S = rewards.stage_game(s)
    threshold = rewards.reciprocity_threshold(s)
    rounds = rewards.rounds_per_year(s)
    delta = rewards.delta(s, inputs.retention, inputs.discount_rate)
    theta = s.help_share
    even = rewards.break_even(s)
    even_returned = rewards.break_even(s, delta=delta)
    pure_team, pure_help = rewards.break_even(s, 0.0), rewards.break_even(s, 1.0)
    rate = rewards.exchange_rate(s)
    year = rewards.year(s)
    pays = rewards.helping_pays(s)
    returned = pays or delta >= threshold
    if pays:
        verdict, level = "helping pays", "good"
    elif returned:
        verdict, level = "helping pays only if returned", "caution"
    else:
        verdict, level = "helping does not pay", "bad"
    m = s.collective
    mix = f"{s.individual:.0%} own results, {s.team:.0%} team, {s.help:.0%} help"
    headline = (
        f"At this mix ({mix}) one help {'earns' if pays else 'costs'} the helper {abs(own):,.2f} {cur} of bonus; "
        f"helping pays from a team-and-help weight of {_pct(even)}."
    )
    if m <= 1e-9:
        proportion = "split half team, half help"
    elif theta in (0.0, 1.0):
        proportion = "team weight only" if theta == 0 else "help weight only"
    else:
        proportion = f"keeping today's proportion of team to help, {1 - theta:.0%} to {theta:.0%}"
    gain_all = year.loc[rewards.SCENARIOS[1]]
    extra_sales = gain_all["team_sales"] - inputs.team_plan
    extra_bill = s.reps * gain_all["vs_nobody"]
    findings = [
        Finding(
            "good" if pays else "bad",
            f"A rational rep {'helps' if pays else 'does not help'} a colleague it will not need again: one help "
            f"loses it {inputs.help_cost:,.0f} {cur} of sales ({-parts['individual']:,.2f} of bonus) and earns it "
            f"{parts['team']:,.2f} from the team part and {parts['help']:,.2f} from the help credit, "
            f"{own:+,.2f} {cur} in all.",
        ),
        Finding(
            "info",
            f"Helping pays one-off from a team-and-help weight of {_pct(even)} ({proportion}); with team weight "
            f"alone it takes {_pct(pure_team)}, with help weight alone {_pct(pure_help)}. Today it is {_pct(m)}.",
        ),
        Finding(
            "info",
            f"One point of help weight does the work of {rate:,.1f} points of team weight: the team part returns "
            f"only 1/{s.reps} of the team's gain to the helper, the help credit goes to the helper whole.",
        ),
    ]
    if not pays:
        findings.append(
            Finding(
                "good" if returned else "bad",
                f"Two reps who trade help about {rounds:,.1f} times a year, and still work together a year later "
                f"with probability {inputs.retention:.0%}, weigh the next round at {delta:.3f}; mutual help holds "
                f"(grim trigger) from {threshold:.3f}, so it {'holds' if returned else 'does not hold'}"
                + (
                    "."
                    if not returned
                    else ". With reciprocity helping pays at any mix, even with all the weight on own results."
                    if even_returned <= 0
                    else f". With reciprocity helping pays from a team-and-help weight of {_pct(even_returned)}."
                ),
            )
        )
        if returned:
            findings.append(
                Finding(
                    "caution",
                    "Reciprocity does not reach one-way help: coaching a newcomer, helping a rep who is leaving "
                    "or one in another region. Reward that with help weight, or raise the team-and-help weight "
                    f"to {_pct(even)}.",
                )
            )
    findings.append(
        Finding(
            "info",
            f"If every rep helps with every request, team sales rise by {extra_sales:,.0f} {cur} a year and the "
            f"bonus bill by {extra_bill:,.0f} {cur} against a year without help.",
        )
    )
    parts_table = pd.DataFrame(
        {
            "weight": [s.individual, s.team, s.help, 1.0],
            "per_help": [parts["individual"], parts["team"], parts["help"], own],
        },
        index=pd.Index(["Own results", "Team results", "Help given", "Net for the helper"], name="part"),
    )
    stage = pd.DataFrame(
        {"helps": [R, T], "does_not_help": [S, P]},
        index=pd.Index(["I help", "I do not help"], name="me"),
    )
    breaks = pd.DataFrame(
        {
            "weight": [even, even_returned, pure_team, pure_help, m],
        },
        index=pd.Index(
            [
                "Break-even, one-off help",
                "Break-even, help that is returned",
                "Break-even, team weight only",
                "Break-even, help weight only",
                "Today",
            ],
            name="team-and-help weight",
        ),
    )
    return Assessment(
        worksheet=NAME,
        verdict=verdict,
        level=level,
        passed=returned,
        headline=headline,
        findings=findings,
        parties=year,
        tables={"parts": parts_table, "stage": stage, "break_even": breaks, "year": year},
        details={
            "scheme": s,
            "own": own,
            "received": got,
            "stage_game": (T, R, P, S),
            "threshold": threshold,
            "delta": delta,
            "rounds": rounds,
            "break_even": even,
            "break_even_returned": even_returned,
            "pure_team": pure_team,
            "pure_help": pure_help,
            "exchange_rate": rate,
        },
        currency=cur,
        assumptions=[
            "Each rep decides alone and only for its bonus; the pool scales with results against the plan.",
            "One help costs the helper the same sales and gains the colleague the same sales, whoever they are.",
            "Help requests are spread evenly over the team, so two reps trade about requests / (reps - 1) rounds "
            "of help a year.",
            "Reciprocity: each rep of a pair keeps helping as long as the other does (grim trigger).",
        ],
    )


SHEET = register(
    Worksheet(
        name=NAME,
        title="Reward design",
        kind="sales",
        inputs=Inputs,
        assess=assess,
        summary="Split the bonus pool between own, team and help results so that helping colleagues pays.",
        sample="sales_rewards.json",
    )
)
