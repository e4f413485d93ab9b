"""Which partnering option fits: a few questions to the worksheets worth opening first.

The start page asks what the strategist wants from the partnership and who the
partner is, and :func:`recommend` ranks the options. The mapping follows the
value each kind of coopetition creates [Brandenburger1996]_, [Bengtsson2000]_:
sharing costs (joint purchasing, a joint cause), creating a new market
(a joint venture), or exchanging access to customers (cross-selling,
referrals), with complements rather than direct competitors for the last two.

References
----------
.. [Brandenburger1996] Brandenburger, A. M. and Nalebuff, B. J. (1996). *Co-opetition*. Doubleday.
.. [Bengtsson2000] Bengtsson, M. and Kock, S. (2000). "'Coopetition' in business networks: to
   cooperate and compete simultaneously". *Industrial Marketing Management* 29(5), 411-426.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coopkit.errors import require

__all__ = ["Goal", "Partner", "GOALS", "PARTNERS", "OPTIONS", "SALES", "Option", "recommend"]

Goal = Literal["goodwill", "new_market", "costs", "upsell", "leads"]
Partner = Literal["competitor", "complement", "either"]

#: What a strategist may want from the partnership.
GOALS: dict[str, str] = {
    "goodwill": "Goodwill: do good visibly, for less than doing it alone",
    "new_market": "Enter a new market or segment sooner, with better odds",
    "costs": "Lower costs through scale (buying, producing, logistics)",
    "upsell": "Earn more from the customers we already have",
    "leads": "Win new customers through someone else's relationships",
}

#: Who the partner is.
PARTNERS: dict[str, str] = {
    "competitor": "A direct competitor",
    "complement": "A business whose offer complements ours",
    "either": "Not decided yet",
}


@dataclass(frozen=True)
class Option:
    """A partnering option's worksheet, what it answers, and the goals and partners it suits."""

    worksheet: str
    notebook: str
    title: str
    answers: str
    goals: tuple[str, ...]
    partners: tuple[str, ...]


OPTIONS: tuple[Option, ...] = (
    Option(
        "charitable_cause",
        "options/01_charitable_cause.ipynb",
        "Joint charitable cause",
        "Fund one programme with competitors: more reach for the money, goodwill for each, a fair cost split.",
        ("goodwill",),
        ("competitor", "complement"),
    ),
    Option(
        "new_market",
        "options/02_new_market.ipynb",
        "Entering a new market together",
        "A joint venture into a new segment: odds, speed, each side's NPV, a fair split, the learning race.",
        ("new_market",),
        ("competitor", "complement"),
    ),
    Option(
        "joint_purchasing",
        "options/03_joint_purchasing.ipynb",
        "Joint purchasing",
        "Pool volumes for a better price tier: savings, a fair split, who would be better off leaving.",
        ("costs",),
        ("competitor",),
    ),
    Option(
        "cross_upsell",
        "options/04_cross_upsell.ipynb",
        "Cross up-selling add-ons",
        "Sell each other's add-ons for a revenue share: each side's gain and the win-win zone.",
        ("upsell",),
        ("complement",),
    ),
    Option(
        "referrals",
        "options/05_referrals.ipynb",
        "Two-way referrals",
        "Refer customers to each other: value each way, the balance, and the accounts you share.",
        ("leads", "upsell"),
        ("complement",),
    ),
)


#: The sales-team workbook's worksheets, in the order a sales leader would use them.
SALES: tuple[tuple[str, str, str], ...] = (
    (
        "sales/01_win_loss_review.ipynb",
        "Win/loss review",
        "Win rates by competitor, rep and segment, with their uncertainty; why deals are lost.",
    ),
    (
        "sales/02_team_culture.ipynb",
        "Team culture check",
        "Psychological safety, healthy competition and toxic signals, from an anonymous survey.",
    ),
    (
        "sales/03_knowledge_sharing.ipynb",
        "Knowledge sharing and mentoring",
        "Who helps whom, who is isolated, and mentoring pairs by skill gap.",
    ),
    ("sales/04_deal_review.ipynb", "Deal review", "How prepared deals fared, and the win chance of the next one."),
    (
        "sales/05_reward_design.ipynb",
        "Reward design",
        "The bonus mix at which helping colleagues pays for a rational rep.",
    ),
    (
        "sales/06_competing_with_partners.ipynb",
        "Competing with competitors we also work with",
        "Sharing leads with rivals: which strategies win, and how often you must meet.",
    ),
)


def recommend(goals: list[str] | tuple[str, ...], partner: str = "either") -> list[tuple[Option, str]]:
    """The options that fit, best first, each with the reason in words.

    An option fits when it serves one of the ``goals``; it ranks higher when it
    serves more of them and suits the ``partner``. Options that serve no goal
    are left out.

    Examples
    --------
    >>> [o.worksheet for o, _ in recommend(["costs", "goodwill"], "competitor")]
    ['charitable_cause', 'joint_purchasing']
    >>> recommend(["upsell"], "complement")[0][1]
    'Serves: earn more from the customers we already have; suits a business whose offer complements ours.'
    """
    require(partner in PARTNERS, "partner", partner, f"be one of {', '.join(PARTNERS)}")
    for goal in goals:
        require(goal in GOALS, "goals", goal, f"be among {', '.join(GOALS)}")
    ranked = []
    for order, option in enumerate(OPTIONS):
        served = [g for g in option.goals if g in goals]
        if not served:
            continue
        suits = partner == "either" or partner in option.partners
        reason = "Serves: " + "; ".join(GOALS[g][:1].lower() + GOALS[g][1:] for g in served)
        if partner != "either":
            reason += (
                f"; suits {PARTNERS[partner][:1].lower() + PARTNERS[partner][1:]}."
                if suits
                else f"; usually done with {' or '.join(PARTNERS[p].lower() for p in option.partners)}."
            )
        else:
            reason += "."
        ranked.append(((-len(served), not suits, order), option, reason))
    return [(option, reason) for _, option, reason in sorted(ranked, key=lambda r: r[0])]
