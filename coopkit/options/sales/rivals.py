"""Sales worksheet 6, competing with competitors we also work with: when can sharing leads last?

We compete with a rival for customers, yet we also pass each other leads we
cannot serve well. At each meeting each side can *share* a lead or *hold
back*; holding back pays more in one meeting, whatever the other does, yet
both sharing beats both holding back: the prisoner's dilemma, played again
at every meeting [Axelrod1981]_. This worksheet answers three questions:

* **How often must we meet for sharing to hold?** Cooperation is an
  equilibrium under grim trigger when the weight of the next meeting ``w``
  reaches ``(T - R) / (T - P)`` (:func:`coopkit.frameworks.game.cooperation_threshold`),
  and Tit for Tat is stable from ``max((T - R)/(T - P), (T - R)/(R - S))``
  (Axelrod's proposition 2, :func:`coopkit.frameworks.tournament.tft_threshold`).
  ``w`` follows from the meetings a year, the chance the relationship lasts
  another year and the discount rate (:func:`coopkit.frameworks.tournament.continuation`),
  so the thresholds become meetings a year (:func:`coopkit.frameworks.tournament.meetings_needed`).
* **Which way of playing does best?** A round-robin tournament of the classic
  strategies on the payoffs entered, with matches as long as the relationship
  (:func:`coopkit.frameworks.tournament.tournament`), as in Axelrod's
  tournaments [Axelrod1984]_ (ch. 2).
* **What does our way of playing earn against theirs?** The head-to-head match.

Sharing leads with a competitor is a cooperation competition law watches:
the worksheet reminds the user of what must never be agreed, after the EU
Horizontal Guidelines (2023), and is not legal advice (:mod:`coopkit.frameworks.antitrust`).

References
----------
.. [Axelrod1981] Axelrod, R. and Hamilton, W. D. (1981). "The evolution of
   cooperation". *Science* 211(4489), 1390-1396.
.. [Axelrod1984] Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd
from pydantic import Field

from coopkit.frameworks import antitrust, game, tournament
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
    seed_field,
)

__all__ = ["Inputs", "assess", "payoffs", "SHEET", "StrategyKey", "STRATEGY_LABELS"]

NAME = "sales_rivals"
TOURNAMENT = "Tournament"
ADVANCED = "Advanced"

StrategyKey = Literal[
    "always_cooperate",
    "always_defect",
    "tit_for_tat",
    "grim_trigger",
    "tit_for_two_tats",
    "generous_tit_for_tat",
    "win_stay_lose_shift",
    "random",
]
#: Drop-down labels of the strategies.
STRATEGY_LABELS = {key: s.label for key, s in tournament.STRATEGIES.items()}
#: Longest match the worksheet plays, in meetings.
MAX_MEETINGS = 2_000
#: Highest continuation probability the tournament uses (longer relationships are cut at MAX_MEETINGS).
MAX_CONTINUATION = 0.9995


def _payoff(default: float, title: str, description: str):
    return Field(
        default,
        ge=-MONEY_LIMIT,
        le=MONEY_LIMIT,
        title=title,
        description=description,
        json_schema_extra={"unit": "money"},
    )


def _include(key: str):
    s = tournament.STRATEGIES[key]
    return Field(
        True,
        title=s.label,
        description=f"Enter {s.label} in the tournament. {s.rule}",
        json_schema_extra={"section": TOURNAMENT},
    )


class Inputs(InputsModel):
    """What a sales leader enters about a rival it also shares leads with. Payoffs are to us, per meeting."""

    currency: str = currency_field()
    our_name: str = Field("Us", min_length=1, max_length=40, title="Our name", description="Our company or team.")
    rival_name: str = Field(
        "Rival", min_length=1, max_length=40, title="The rival", description="The competitor we also work with."
    )
    both_share: float = _payoff(
        15_000.0,
        "Both share (R)",
        "What a meeting brings us when each side passes the other the leads it cannot serve.",
    )
    we_share: float = _payoff(
        -5_000.0,
        "Only we share (S)",
        "What a meeting brings us when we pass on leads and the rival keeps its own (we may help it win our customers).",
    )
    they_share: float = _payoff(
        30_000.0,
        "Only they share (T)",
        "What a meeting brings us when the rival passes us leads and we keep ours: the temptation.",
    )
    both_hold_back: float = _payoff(
        0.0, "Both hold back (P)", "What a meeting brings us when neither side passes on leads."
    )
    meetings_per_year: float = Field(
        2.0,
        ge=0.01,  # one a century; below that the repeated game has no meaning (and the chart's log axis breaks)
        le=1_000,
        title="Meetings a year",
        description="Occasions a year where one side could pass the other a lead (0.5 = one every two years).",
        json_schema_extra={"unit": "meetings/year"},
    )
    survival: float = Field(
        0.6,
        ge=0.01,
        le=1,
        title="Lasts another year",
        description="Probability that we still deal with this rival a year from now.",
        json_schema_extra={"unit": "probability"},
    )
    our_strategy: StrategyKey = Field(
        "tit_for_tat",
        title="Our way of playing",
        description="How we decide, meeting after meeting, whether to share.",
        json_schema_extra={"labels": STRATEGY_LABELS},
    )
    rival_strategy: StrategyKey = Field(
        "tit_for_tat",
        title="The rival's way of playing",
        description="How we expect the rival to decide whether to share.",
        json_schema_extra={"labels": STRATEGY_LABELS},
    )
    include_always_cooperate: bool = _include("always_cooperate")
    include_always_defect: bool = _include("always_defect")
    include_tit_for_tat: bool = _include("tit_for_tat")
    include_grim_trigger: bool = _include("grim_trigger")
    include_tit_for_two_tats: bool = _include("tit_for_two_tats")
    include_generous_tit_for_tat: bool = _include("generous_tit_for_tat")
    include_win_stay_lose_shift: bool = _include("win_stay_lose_shift")
    include_random: bool = _include("random")
    self_play: bool = Field(
        True,
        title="Each meets a copy of itself",
        description="Each strategy also plays a copy of itself, as in Axelrod's tournaments.",
        json_schema_extra={"section": TOURNAMENT},
    )
    noise: float = Field(
        0.05,
        ge=0,
        le=0.5,
        title="Noise",
        description="Probability that a move goes wrong: a lead meant to be passed on is lost, or a move is misread.",
        json_schema_extra={"unit": "probability", "section": TOURNAMENT},
    )
    match_length: Literal["relationship", "fixed"] = Field(
        "relationship",
        title="Length of a match",
        description="How many meetings each match lasts.",
        json_schema_extra={
            "labels": {"relationship": "As long as the relationship (random)", "fixed": "A fixed number of meetings"},
            "section": TOURNAMENT,
        },
    )
    rounds: int = Field(
        20,
        ge=1,
        le=MAX_MEETINGS,
        title="Meetings per match",
        description="Length of every match when it is fixed.",
        json_schema_extra={"unit": "meetings", "section": TOURNAMENT, "show_if": {"match_length": ["fixed"]}},
    )
    discount_rate: float = Field(
        0.1,
        ge=0,
        le=1,
        title="Yearly discount rate",
        description="How much less money a year from now is worth to us (0.1 = 10% less).",
        json_schema_extra={"unit": "share 0-1", "section": ADVANCED},
    )
    repetitions: int = Field(
        200,
        ge=1,
        le=1_000,
        title="Repetitions",
        description="Times each match is played; random lengths, noise and random strategies average out.",
        json_schema_extra={"unit": "matches", "section": ADVANCED},
    )
    seed: int = seed_field()

    def entrants(self) -> list[str]:
        """Keys of the strategies ticked for the tournament, in the standard order.

        Examples
        --------
        >>> Inputs(include_random=False, include_always_cooperate=False).entrants()[:2]
        ['always_defect', 'tit_for_tat']
        """
        return [key for key in tournament.STRATEGIES if getattr(self, f"include_{key}")]

    def problems(self) -> list[Problem]:
        """Checks across fields: the payoffs make a prisoner's dilemma, two names, two entrants."""
        T, R, P, S = self.they_share, self.both_share, self.both_hold_back, self.we_share
        out: list[Problem] = []
        if not T > R:
            out.append(
                Problem(
                    ("they_share",),
                    f"Only they share (T) must be more than Both share (R, {_fmt(R)}), got {_fmt(T)}: "
                    "if holding back does not tempt, there is no dilemma; simply share",
                )
            )
        if not R > P:
            out.append(
                Problem(
                    ("both_share",),
                    f"Both share (R) must be more than Both hold back (P, {_fmt(P)}), got {_fmt(R)}: "
                    "otherwise there is nothing to gain from sharing",
                )
            )
        if not P > S:
            out.append(
                Problem(
                    ("we_share",),
                    f"Only we share (S) must be less than Both hold back (P, {_fmt(P)}), got {_fmt(S)}: "
                    "sharing alone must cost us something, or there is no dilemma",
                )
            )
        if T > R > P > S and not 2 * R > T + S:
            out.append(
                Problem(
                    ("both_share",),
                    f"Both share (R) must be more than half of T + S ({_fmt((T + S) / 2)}), got {_fmt(R)}: "
                    "otherwise taking turns at holding back pays more than sharing",
                )
            )
        if self.our_name.strip().casefold() == self.rival_name.strip().casefold():
            out.append(Problem(("rival_name",), "The rival must have a name other than ours"))
        ticked = len(self.entrants())
        if ticked < 2:
            out.append(
                Problem((), f"Tick at least two strategies for the tournament (Tournament section), got {ticked}")
            )
        return out


def payoffs(inputs: Inputs) -> tuple[float, float, float, float]:
    """``(T, R, P, S)`` per meeting, to us (money).

    Examples
    --------
    >>> payoffs(Inputs())
    (30000.0, 15000.0, 0.0, -5000.0)
    """
    return inputs.they_share, inputs.both_share, inputs.both_hold_back, inputs.we_share


def _length(inputs: Inputs, w: float) -> dict:
    if inputs.match_length == "fixed":
        return {"rounds": inputs.rounds}
    return {"continuation_probability": min(w, MAX_CONTINUATION)}


def _every(meetings: float) -> str:
    """A meeting frequency in words, e.g. "every 6 weeks"."""
    if meetings <= 0:
        return "at any frequency"
    if math.isinf(meetings):
        return "never enough"
    weeks = 52 / meetings
    return f"every {weeks:,.0f} weeks" if weeks < 104 else f"every {weeks / 52:,.1f} years"


def _per_year(meetings: float) -> str:
    """How many meetings a year reach a threshold, in words ("2.11 meetings a year"; no number when it is infinite).

    >>> _per_year(2.113), _per_year(math.inf)
    ('2.11 meetings a year', 'no number of meetings a year')
    """
    if math.isinf(meetings):
        return "no number of meetings a year"
    return f"{meetings:,.2f} meetings a year"


def _reached(meetings: float) -> str:
    """Where a threshold is reached, for the headline: "2.11 meetings a year", or that no number reaches it.

    >>> _reached(0.87), _reached(math.inf)
    ('0.87 meetings a year', 'which no number of meetings a year reaches')
    """
    return f"which {_per_year(meetings)} reaches" if math.isinf(meetings) else _per_year(meetings)


def assess(inputs: Inputs) -> Assessment:
    """Assess a rival we also share leads with: can sharing hold, which strategy does best, what ours earns.

    Returns
    -------
    Assessment
        Verdict *share leads* (good: Tit for Tat is stable), *share with
        safeguards* (caution: cooperation can hold, but only under a credible
        threat, or our strategy is exploited) or *hold back* (bad: meetings are
        too rare); ``parties`` is the head-to-head match (strategy, money per
        meeting and per year, share of meetings each shared); tables
        ``thresholds``, ``ranking`` (the tournament) and ``matrix`` (payoff
        per meeting of each strategy against each); ``details`` holds the
        :class:`~coopkit.frameworks.tournament.TournamentResult`, the
        :class:`~coopkit.frameworks.tournament.Match` and the thresholds.

    Examples
    --------
    >>> a = assess(Inputs())
    >>> a.verdict, round(a.details["w"], 3), round(a.details["needed_tft"], 2)
    ('share with safeguards', 0.739, 2.11)
    """
    T, R, P, S = payoffs(inputs)
    cur, m = inputs.currency, inputs.meetings_per_year
    us, them = inputs.our_name.strip(), inputs.rival_name.strip()
    w = tournament.continuation(m, inputs.survival, inputs.discount_rate)
    grim = game.cooperation_threshold(T, R, P, S)
    tft = tournament.tft_threshold(T, R, P, S)
    needed_grim = tournament.meetings_needed(grim, inputs.survival, inputs.discount_rate)
    needed_tft = tournament.meetings_needed(tft, inputs.survival, inputs.discount_rate)
    settings = {
        "T": T,
        "R": R,
        "P": P,
        "S": S,
        **_length(inputs, w),
        "repetitions": inputs.repetitions,
        "noise": inputs.noise,
        "seed": inputs.seed,
        "max_rounds": MAX_MEETINGS,
    }
    result = tournament.tournament(inputs.entrants(), self_play=inputs.self_play, **settings)
    match = tournament.play_match(inputs.our_strategy, inputs.rival_strategy, **settings)
    ours, theirs = (float(x) for x in match.per_round)
    our_label, rival_label = STRATEGY_LABELS[inputs.our_strategy], STRATEGY_LABELS[inputs.rival_strategy]
    exploited = ours < P
    if w < grim:
        verdict, level = "hold back", "bad"
    elif w < tft or exploited:
        verdict, level = "share with safeguards", "caution"
    else:
        verdict, level = "share leads", "good"
    ahead = 1 / (1 - w) if w < 1 else math.inf
    findings = [
        Finding(
            "info",
            f"Meeting {m:,.4g} times a year, with the relationship lasting another year with probability "
            f"{inputs.survival:.0%} and money a year later worth {1 / (1 + inputs.discount_rate):.0%} of today's, "
            f"each meeting is followed by another that weighs w = {w:.3f} of it"
            + (f": about {ahead:,.1f} meetings ahead." if math.isfinite(ahead) else ": the relationship never ends."),
        ),
    ]
    if w >= grim:
        findings.append(
            Finding(
                "good",
                f"Sharing can hold: w reaches (T - R) / (T - P) = {grim:.3f}. Holding back once gains "
                f"{T - R:,.0f} {cur}, but a rival who stops sharing for good costs us {R - P:,.0f} at every later "
                "meeting.",
            )
        )
    else:
        findings.append(
            Finding(
                "bad",
                f"Sharing cannot hold: w is below (T - R) / (T - P) = {grim:.3f}, so holding back once pays more "
                f"than all the sharing to come. "
                + (
                    "No number of meetings a year is enough for it to hold: the rival's survival and our "
                    "discount rate keep w below it."
                    if math.isinf(needed_grim)
                    else f"Meet at least {needed_grim:,.2f} times a year ({_every(needed_grim)}) for it to hold."
                ),
            )
        )
    findings.append(
        Finding(
            "good" if w >= tft else "caution",
            f"Tit for Tat (share first, then do what the rival did last) is stable from w = {tft:.3f}, "
            + (
                "which no number of meetings a year reaches; "
                if math.isinf(needed_tft)
                else f"at {_per_year(needed_tft)} ({_every(needed_tft)}); "
            )
            + (
                "we meet often enough."
                if w >= tft
                else "below that, a rival who takes turns at holding back and sharing gains, and only the threat "
                "of ending the sharing for good keeps it honest."
            ),
        )
    )
    top = result.scores.iloc[0]
    nice_top = int(result.scores["nice"].cummin().sum())
    findings.append(
        Finding(
            "info",
            f"In a tournament of {len(result.strategies)} strategies (about {result.mean_length:,.1f} meetings a "
            f"match, noise {inputs.noise:.0%}), {top['label']} comes first with {top['score']:,.0f} {cur} a "
            f"meeting; "
            + (
                f"the {nice_top} nice strateg{'y' if nice_top == 1 else 'ies'} (never first to hold back) "
                f"take{'s' if nice_top == 1 else ''} the top place{'' if nice_top == 1 else 's'}."
                if nice_top
                else "a strategy that holds back first wins: meetings are too few for trust to pay."
            ),
        )
    )
    findings.append(
        Finding(
            "caution" if exploited else "info",
            f"{our_label} against a rival playing {rival_label}: we earn {ours:,.0f} {cur} a meeting "
            f"({ours * m:,.0f} a year), {them} {theirs:,.0f}; both sharing every time would give {R:,.0f} each, "
            f"both holding back {P:,.0f}."
            + (f" Condition: {our_label} is exploited by {rival_label}; play another way." if exploited else ""),
        )
    )
    findings.append(
        Finding(
            "info",
            "Competition law: pass on leads the other can serve and we cannot; never agree who serves which "
            "customers or territories, and never share prices, discounts or bids. " + antitrust.DISCLAIMER,
        )
    )
    parties = pd.DataFrame(
        {
            "strategy": [our_label, rival_label],
            "per_meeting": [ours, theirs],
            "per_year": [ours * m, theirs * m],
            "cooperation": [float(x) for x in match.cooperation],
        },
        index=pd.Index([us, them], name="party"),
    )
    ranking = result.scores.assign(per_year=result.scores["score"] * m)
    labels = [STRATEGY_LABELS[k] for k in result.strategies]
    matrix = result.matrix.set_axis(labels, axis=0).set_axis(labels, axis=1)
    thresholds = pd.DataFrame(
        {
            "w": [w, grim, tft],
            "meetings": [m, needed_grim, needed_tft],
        },
        index=pd.Index(
            ["We meet", "Sharing can hold (grim trigger)", "Tit for Tat is stable"],
            name="figure",
        ),
    )
    headline = (
        f"{m:,.4g} meetings a year give each meeting a follow-up weight of {w:.3f}; sharing holds from "
        f"{grim:.3f} ({_reached(needed_grim)}) and Tit for Tat is stable from {tft:.3f} ({_reached(needed_tft)})."
    )
    return Assessment(
        worksheet=NAME,
        verdict=verdict,
        level=level,
        passed=level != "bad",
        headline=headline,
        findings=findings,
        parties=parties,
        tables={"thresholds": thresholds, "ranking": ranking, "matrix": matrix},
        details={
            "names": (us, them),
            "payoffs": (T, R, P, S),
            "w": w,
            "grim": grim,
            "tft": tft,
            "needed_grim": needed_grim,
            "needed_tft": needed_tft,
            "meetings": m,
            "survival": inputs.survival,
            "discount_rate": inputs.discount_rate,
            "tournament": result,
            "match": match,
            "labels": (our_label, rival_label),
        },
        currency=cur,
        assumptions=[
            "Payoffs are to us, per meeting; the rival's are the mirror image (its T when we share and it holds back).",
            "Each meeting is followed by another with probability w; matches in the tournament are as long as the "
            f"relationship (cut at {MAX_MEETINGS:,} meetings) unless a fixed length is chosen.",
            "The tournament's scores are averages per meeting over every match, and over repetitions with seeded "
            "random lengths, noise and random moves.",
        ],
    )


SHEET = register(
    Worksheet(
        name=NAME,
        title="Competing with competitors we also work with",
        kind="sales",
        inputs=Inputs,
        assess=assess,
        summary="Share leads with a rival: how often you must meet for it to hold, and which way of playing wins.",
        sample="sales_rivals.json",
    )
)
