"""Option 5: complementary businesses that refer customers to each other, and the accounts they share.

Two businesses that serve the same customers with different offers (an
accounting firm and an IT firm, a kitchen maker and a plumber) send each
other the customers who need what the other sells. The questions: does each
side end up better off once fees and the cost of handling referrals are
counted, is the exchange balanced enough to last, and which accounts do they
have in common, found without either side showing its customer list.

The model (per side ``i``, per year; ``j`` is the other side):

* side ``j`` sends ``n_j`` referrals; side ``i`` receives them and converts a
  share ``c_i`` into customers: ``k_i = c_i n_j`` converted referrals;
* each is worth a deal value ``v_i`` of revenue at margin ``m_i``; side ``i``
  pays the sender a referral fee ``f_i`` per converted referral, spends
  ``h_i`` handling each referral it receives (qualifying, a first meeting) and
  ``F_i`` a year running the exchange (a partner manager, tracking, tools);
* its net value is

  ``net_i = k_i v_i m_i - k_i f_i + k_j f_j - h_i n_j - F_i``

  (margin on converted referrals received, minus the fees paid for them, plus
  the fees earned on the referrals it sent, minus the cost of handling). The
  fees cancel in the sum: together the sides earn ``sum_i (k_i v_i m_i - h_i n_j - F_i)``,
  and fees only move value between them;
* with stand-alone payoff 0 (no exchange, no referral value), the win-win
  check (:mod:`coopkit.frameworks.winwin`, split "given") asks that every side's
  net value, minus for us the expected loss from the partner serving the
  customers we refer badly (:mod:`coopkit.frameworks.reputation`), be
  positive; the *balance of the exchange* is the smaller net value over the
  larger [Brandenburger1996]_ (ch. 9);
* the fee change that evens the exchange out: the side that nets more would
  pay ``(net_rich - net_poor) / (2 k_rich)`` more per converted referral it
  receives.

Referred customers are worth paying for: in a bank's referral programme they
had a higher contribution margin and were more loyal, worth at least 16 %
more than other customers acquired at the same time [Schmitt2011]_; a
customer's referral value is distinct from the value of its own purchases
[Kumar2010]_. Enter the deal value of a referred customer as what such a
customer is worth to you over a year, not a discounted guess.

Ranges on referral volumes, conversion rates and deal values give P(win-win)
by a seeded Monte Carlo (independent beta-PERT draws, [Vose2008]_); the
sensitivity table swings one input at a time [Eschenbach1992]_.

Account overlap (:mod:`coopkit.frameworks.overlap`): each side's customer list
is normalised and hashed with HMAC-SHA256 under a secret the sides agree on;
matching on hashes only gives counts per population pair (our customers ×
their customers, our customers × their prospects, our prospects × their
customers) and, unless the sides agreed on counts only, the matched accounts
*from our own list*. See that module for what this protects against and what
it does not: it keeps the lists from outsiders, not from a partner who knows
the secret and guesses names.

References
----------
.. [Schmitt2011] Schmitt, P., Skiera, B. and Van den Bulte, C. (2011).
   "Referral programs and customer value". *Journal of Marketing* 75(1), 46-59.
.. [Kumar2010] Kumar, V., Petersen, J. A. and Leone, R. P. (2010). "Driving
   profitability by encouraging customer referrals: who, when, and how".
   *Journal of Marketing* 74(5), 1-17.
.. [Brandenburger1996] Brandenburger, A. M. and Nalebuff, B. J. (1996). *Co-opetition*. Doubleday.
.. [Vose2008] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed. Wiley.
.. [Eschenbach1992] Eschenbach, T. G. (1992). "Spiderplots versus tornado
   diagrams for sensitivity analysis". *Interfaces* 22(6), 40-46.
"""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from coopkit.frameworks import antitrust, overlap, winwin
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import as_range, draw
from coopkit.options.base import (
    MONEY_LIMIT,
    Assessment,
    InputsModel,
    InputsPart,
    NonNegativeUncertain,
    Problem,
    ShareUncertain,
    Worksheet,
    bounded_uncertain,
    currency_field,
    draws_field,
    range_problems,
    ranges_field,
    register,
    seed_field,
)
from coopkit.options.common import GuardrailFields, ReputationFields, decide, sensitivity, text_problem

__all__ = ["Inputs", "Side", "assess", "exchange", "margin", "FLOW_COLUMNS", "SHEET"]

#: Most referrals a side may send a year.
MAX_REFERRALS = 1_000_000.0
#: Longest customer list accepted, in characters (the form's file button loads at most 2 MB).
MAX_LIST_CHARS = 2_000_000

CountUncertain = bounded_uncertain(
    "CountUncertain", 0.0, MAX_REFERRALS, doc="An uncertain count per year, 0 to 1,000,000.", default=0.0
)

#: Columns of the ``flows`` table, per side, per year.
FLOW_COLUMNS = (
    "sent",
    "received",
    "converted",
    "revenue",
    "margin_earned",
    "fees_paid",
    "fees_earned",
    "handling",
    "yearly_cost",
    "net",
)

MATCH_LABELS = {
    "domain": "Domain, else name",
    "name": "Company name, else domain",
}

_LIST_HELP = (
    "A CSV file with a header naming a domain column (domain, website, url, email) and/or a name column "
    "(company, name, account), and optionally a population column (population, type or status: customer or "
    "prospect; empty = customer); or one domain or name per line, optionally followed by ,customer or ,prospect; "
    "or a hash file (hash,population) the other side made with the same secret."
)


class Side(InputsPart):
    """One side of the exchange: what it sends, and what the referrals it receives are worth to it."""

    name: str = Field(min_length=1, max_length=40, title="Name", description="Name of the business.")
    referrals_sent: CountUncertain = Field(
        title="Referrals sent",
        description="Referrals it sends the other side a year.",
        json_schema_extra={"unit": "per year"},
    )
    conversion: ShareUncertain = Field(
        title="Conversion",
        description="Share of the referrals it receives that become its customers.",
        json_schema_extra={"unit": "share 0-1"},
    )
    deal_value: NonNegativeUncertain = Field(
        title="Deal value",
        description="Revenue from one customer won through a referral, over a year.",
        json_schema_extra={"unit": "money"},
    )
    margin: float = Field(
        0.3,
        ge=0,
        le=1,
        title="Margin",
        description="Its gross margin on that revenue.",
        json_schema_extra={"unit": "share 0-1"},
    )
    referral_fee: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Referral fee",
        description="What it pays the other side for each referral that becomes its customer.",
        json_schema_extra={"unit": "money"},
    )
    handling_cost: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Handling cost",
        description="What following up one referral it receives costs it (qualifying, a first meeting).",
        json_schema_extra={"unit": "money"},
    )
    yearly_cost: float = Field(
        0.0,
        ge=0,
        le=MONEY_LIMIT,
        title="Programme cost",
        description="Its yearly cost of running the exchange: a partner manager, tracking, tools.",
        json_schema_extra={"unit": "money/year"},
    )
    market_share: float = Field(
        0.0,
        ge=0,
        le=1,
        title="Market share",
        description="Its share of the market the partners promote each other in (for the competition-law check); "
        "0 if it does not sell there.",
        json_schema_extra={"unit": "share 0-1"},
    )


class Inputs(ReputationFields, GuardrailFields, InputsModel):
    """What a strategist enters for a two-way referral exchange. The first side is us."""

    currency: str = currency_field()
    sides: list[Side] = Field(
        min_length=2,
        max_length=2,
        title="The two sides",
        description="Us (first) and the partner; each row says what the side sends and what the referrals it "
        "receives are worth to it.",
        json_schema_extra={"item_title": "Side"},
    )
    our_accounts: str = Field(
        "",
        max_length=MAX_LIST_CHARS,
        title="Our accounts",
        description="Our customer list (stays on this computer; only keyed hashes would be exchanged). " + _LIST_HELP,
        json_schema_extra={"widget": "upload", "accept": ".csv,.txt"},
    )
    partner_accounts: str = Field(
        "",
        max_length=MAX_LIST_CHARS,
        title="Partner's accounts",
        description="The partner's list, to simulate both sides here, or the hash file it sent. " + _LIST_HELP,
        json_schema_extra={"widget": "upload", "accept": ".csv,.txt"},
    )
    match_on: Literal["domain", "name"] = Field(
        "domain",
        title="Match on",
        description="Which key a row with both a domain and a name is matched on; both sides must choose the same.",
        json_schema_extra={"labels": MATCH_LABELS},
    )
    shared_secret: str = Field(
        "",
        max_length=overlap.MAX_SECRET,
        title="Shared secret",
        description=f"A random text of at least {overlap.MIN_SECRET} characters both sides agree on, through a "
        "channel other than the one the hash files travel by. Without it, the hashes of guessed names match nothing; "
        "a short one could be found by trying them all. Do not save a real secret in a case file you share.",
        json_schema_extra={"widget": "password"},
    )
    counts_only: bool = Field(
        False,
        title="Counts only",
        description="Show only how many accounts match in each population pair, no names: for partners who have "
        "not yet agreed to share names.",
    )
    use_ranges: bool = ranges_field("P(win-win)")
    draws: int = draws_field(100_000, 1_000_000)
    seed: int = seed_field()

    def our_list(self) -> overlap.AccountList:
        """Our accounts, parsed (InputError naming the field and line when they cannot be read).

        Examples
        --------
        >>> side = {"referrals_sent": {"likely": 1}, "conversion": {"likely": 0.5}, "deal_value": {"likely": 10}}
        >>> inputs = Inputs(sides=[{"name": "A", **side}, {"name": "B", **side}], our_accounts="acme.example")
        >>> inputs.our_list().count("customer"), inputs.has_lists()
        (1, False)
        """
        return _parsed(self.our_accounts, "Our accounts", self.match_on)

    def partner_list(self) -> overlap.AccountList:
        """The partner's accounts (or hash file), parsed."""
        return _parsed(self.partner_accounts, "Partner's accounts", self.match_on)

    def has_lists(self) -> bool:
        """Whether both lists hold something to match."""
        return bool(self.our_accounts.strip() and self.partner_accounts.strip())

    def problems(self) -> list[Problem]:
        """Checks across fields: distinct names, market shares, ordered ranges, readable lists, the secret."""
        out: list[Problem] = []
        names = [s.name.strip() for s in self.sides]
        for j, name in enumerate(names):
            if not name:
                out.append(Problem(("sides", j, "name"), f"Side {j + 1}: name must not be blank"))
        if names[0] and names[0].casefold() == names[1].casefold():
            out.append(Problem(("sides", 1, "name"), "Side 2: name is also used by side 1"))
        total_share = sum(s.market_share for s in self.sides)
        if total_share > 1 + 1e-9:
            out.append(Problem(("sides",), f"Market shares must add up to at most 1, got {total_share:.4g}"))
        out += text_problem(self, "rival_shares", self.rival_share_list)
        out += text_problem(self, "our_accounts", self.our_list)
        out += text_problem(self, "partner_accounts", self.partner_list)
        if self.our_accounts.strip() or self.partner_accounts.strip():
            out += text_problem(
                self, "shared_secret", lambda: overlap.check_secret(self.shared_secret, "Shared secret")
            )
        if self.use_ranges:
            out += range_problems(self, self.reputation_ranges())
            for j, side in enumerate(self.sides):
                for name in _RANGED:
                    msg = getattr(side, name).range_problem()
                    if msg:
                        title = Side.model_fields[name].title
                        out.append(Problem(("sides", j, name), f"Side {j + 1}: {title} {msg}"))
        return out


_RANGED = ("referrals_sent", "conversion", "deal_value")


@functools.lru_cache(maxsize=8)
def _parsed(text: str, field: str, prefer: str) -> overlap.AccountList:
    """A list parsed once: the form validates and assesses on every edit, and the lists rarely change.

    An AccountList is immutable, so sharing it between calls is safe.
    """
    return overlap.parse_accounts(text, field, prefer=prefer)


def exchange(referrals_sent, conversion, deal_value, margin, referral_fee, handling_cost, yearly_cost):
    """Each side's referral economics per year, vectorised over any leading (draws) axes.

    Every argument has the two sides on its last axis (us first). Counts are
    referrals per year, ``conversion`` and ``margin`` shares in [0, 1], money in
    the case's currency: ``deal_value``, ``referral_fee`` and ``handling_cost``
    per deal or referral, ``yearly_cost`` per year.

    Returns
    -------
    dict of str to numpy.ndarray
        The :data:`FLOW_COLUMNS`: ``sent``, ``received`` (the other side's
        sent), ``converted``, ``revenue``, ``margin_earned``, ``fees_paid``,
        ``fees_earned`` (the other side's fees paid), ``handling``,
        ``yearly_cost`` and ``net = margin_earned - fees_paid + fees_earned
        - handling - yearly_cost``.

    Examples
    --------
    We send 120 referrals and receive 80; we convert 30 % into deals of 6,000
    at a 40 % margin, the partner 25 % into deals of 9,000 at 30 %:

    >>> flows = exchange([120, 80], [0.30, 0.25], [6_000, 9_000], [0.4, 0.3], [500, 600], [60, 80], [5_000, 5_000])
    >>> flows["converted"].tolist(), flows["net"].tolist()
    ([24.0, 30.0], [53800.0, 60400.0])
    """
    n = np.asarray(referrals_sent, dtype=float)
    received = n[..., ::-1]
    converted = received * np.asarray(conversion, dtype=float)
    revenue = converted * np.asarray(deal_value, dtype=float)
    margin_earned = revenue * np.asarray(margin, dtype=float)
    fees_paid = converted * np.asarray(referral_fee, dtype=float)
    fees_earned = fees_paid[..., ::-1]
    handling = received * np.asarray(handling_cost, dtype=float)
    fixed = np.broadcast_to(np.asarray(yearly_cost, dtype=float), margin_earned.shape)
    net = margin_earned - fees_paid + fees_earned - handling - fixed
    return {
        "sent": np.broadcast_to(n, net.shape),
        "received": np.broadcast_to(received, net.shape),
        "converted": converted,
        "revenue": revenue,
        "margin_earned": margin_earned,
        "fees_paid": fees_paid,
        "fees_earned": fees_earned,
        "handling": handling,
        "yearly_cost": fixed,
        "net": net,
    }


def _point(inputs: Inputs):
    """The exchange's inputs at their most likely values, one array per argument of :func:`exchange`."""
    sides = inputs.sides
    return (
        np.array([s.referrals_sent.likely for s in sides], dtype=float),
        np.array([s.conversion.likely for s in sides], dtype=float),
        np.array([s.deal_value.likely for s in sides], dtype=float),
        np.array([s.margin for s in sides], dtype=float),
        np.array([s.referral_fee for s in sides], dtype=float),
        np.array([s.handling_cost for s in sides], dtype=float),
        np.array([s.yearly_cost for s in sides], dtype=float),
    )


def margin(inputs: Inputs) -> float:
    """The smaller side's gain at the most likely inputs, money per year (for the sensitivity table).

    Examples
    --------
    >>> from coopkit.options.referrals import Inputs, margin
    >>> side = {"conversion": {"likely": 0.5}, "deal_value": {"likely": 1_000}, "margin": 0.5}
    >>> round(margin(Inputs(sides=[{"name": "A", "referrals_sent": {"likely": 10}, **side},
    ...                            {"name": "B", "referrals_sent": {"likely": 20}, **side}])))
    2500
    """
    net = exchange(*_point(inputs))["net"]
    taint = inputs.reputation(False, 1_000, 0).risk_adjustment
    return float(min(net[0] - taint, net[1]))


def _balance(net: np.ndarray) -> float:
    top = float(net.max())
    return float(net.min() / top) if top > 0 else 0.0


def assess(inputs: Inputs) -> Assessment:
    """Assess a two-way referral exchange and, when both lists are given, the accounts the sides share.

    Returns
    -------
    Assessment
        Verdict go / go with conditions / no-go; tables ``flows`` (each side's
        referral economics, per year), ``overlap`` (matches per population
        pair), ``matches`` (our matched accounts; empty in counts-only mode),
        ``lists`` (the lists' sizes) and ``sensitivity``; ``details`` holds the
        ``winwin``, ``risk``, ``guardrails`` and ``overlap`` results, the
        ``exchange`` figures (balance, the fee change that evens it out) and
        ``our_hash_file`` (the file to send the partner).

    Examples
    --------
    >>> from coopkit.options.referrals import Inputs, assess
    >>> a = assess(Inputs(sides=[
    ...     {"name": "Books", "referrals_sent": {"likely": 100}, "conversion": {"likely": 0.2},
    ...      "deal_value": {"likely": 2_000}, "margin": 0.5, "referral_fee": 100},
    ...     {"name": "Cafe", "referrals_sent": {"likely": 50}, "conversion": {"likely": 0.3},
    ...      "deal_value": {"likely": 1_000}, "margin": 0.4, "referral_fee": 50}]))
    >>> a.verdict, a.tables["flows"]["net"].tolist()
    ('go', [10500.0, 11500.0])
    """
    names = [s.name.strip() for s in inputs.sides]
    point = _point(inputs)
    flows = exchange(*point)
    net = flows["net"]
    use = inputs.use_ranges
    risk = inputs.reputation(use, inputs.draws, inputs.seed)
    taint = np.array([risk.risk_adjustment, 0.0])
    deal = winwin.check(
        names,
        [0.0, 0.0],
        float(net.sum()),
        split_rule="given",
        amounts=net.tolist(),
        risk_adjustment=taint.tolist(),
    )
    p_win_win = _monte_carlo(inputs, risk) if use else None
    shares = [s.market_share for s in inputs.sides]
    guard = antitrust.assess(shares, "commercialisation", other_shares=inputs.rival_share_list())
    found, our_file = None, None
    if inputs.has_lists():
        ours = inputs.our_list()
        found = overlap.match(ours, inputs.partner_list(), inputs.shared_secret, counts_only=inputs.counts_only)
        if not ours.hashed:
            our_file = overlap.hash_file(ours, inputs.shared_secret)
    extra = []
    if found is not None and not inputs.counts_only and found.total and all(x > 0 for x in shares):
        extra.append(
            "both sides sell in the same market: exchange counts only, or names only of the accounts you agree to "
            "work together, under a written agreement"
        )
    verdict, level, passed, conditions = decide(deal, risk, guard, p_win_win, extra=extra)
    table = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in flows.items()}, index=pd.Index(names, name="side"))
    figures = _exchange_figures(names, net, flows["converted"])
    findings = [
        *conditions,
        *_flow_findings(names, flows, inputs.currency),
        Finding("info", figures["text"]),
        *deal.findings,
        *_overlap_findings(found, inputs.counts_only),
        *risk.findings[:2],
    ]
    tables = {
        "flows": table,
        "overlap": found.counts if found is not None else pd.DataFrame(columns=["ours", "theirs", "count", "meaning"]),
        "matches": found.matched if found is not None else pd.DataFrame(columns=["account", "ours", "theirs"]),
        "lists": found.sizes if found is not None else pd.DataFrame(),
        "sensitivity": sensitivity(inputs, margin, _SENSITIVE),
    }
    parties = deal.table().drop(columns=["added_value"])
    return Assessment(
        worksheet="referrals",
        verdict=verdict,
        level=level,
        passed=passed,
        headline=_headline(names, net, figures["balance"], found, inputs.currency),
        findings=findings,
        parties=parties,
        tables=tables,
        probability=p_win_win,
        details={
            "winwin": deal,
            "risk": risk,
            "guardrails": guard,
            "overlap": found,
            "exchange": figures,
            "our_hash_file": our_file,
            "counts_only": inputs.counts_only,
        },
        currency=inputs.currency,
        assumptions=[
            "Without the exchange neither side earns anything from it (stand-alone payoff 0).",
            "Every converted referral is a customer the receiver would not have won otherwise; fees are paid "
            "only on referrals that become customers.",
            "The reputation risk is the partner serving the customers we refer badly; it is counted against us, "
            "the first side.",
            "Account matching is on keyed hashes of normalised domains or names: a company written two very "
            "different ways is missed, two companies with the same normalised name count as one.",
            *risk.assumptions[:2],
        ],
    )


_SENSITIVE = [
    ("sides", "*", "referrals_sent"),
    ("sides", "*", "conversion"),
    ("sides", "*", "deal_value"),
    ("sides", "*", "margin"),
    ("sides", "*", "referral_fee"),
    ("sides", "*", "handling_cost"),
    ("rep_base_rate",),
]


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _count(x: float) -> str:
    """A yearly count: whole when it is one, else to one decimal.

    Examples
    --------
    >>> _count(24.0), _count(22.5)
    ('24', '22.5')
    """
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def _exchange_figures(names, net: np.ndarray, converted: np.ndarray) -> dict:
    """The balance of the exchange and the fee change that would even it out."""
    balance = _balance(net)
    out = {"balance": balance, "payer": None, "transfer": 0.0, "fee_change": None}
    if float(net.max()) <= 0:
        out["text"] = "Neither side nets anything from the exchange: no fee can make it worth running."
        return out
    rich = int(np.argmax(net))
    poor = 1 - rich
    transfer = float(net[rich] - net[poor]) / 2
    out.update(payer=names[rich], transfer=transfer)
    if transfer < 0.5:
        out["text"] = f"The exchange is even: each side nets {_money(float(net[rich]))} a year."
        return out
    if converted[rich] > 0:
        fee = transfer / float(converted[rich])
        out["fee_change"] = fee
        out["text"] = (
            f"Balance of the exchange {balance:.2f} (smaller net value over larger). To even it out, "
            f"{names[rich]} would pay {_money(fee)} more per referral that becomes its customer "
            f"({_money(transfer)} a year in all)."
        )
    else:
        out["text"] = (
            f"Balance of the exchange {balance:.2f}. {names[rich]} converts no referrals, so a referral fee cannot "
            f"even it out; a yearly payment of {_money(transfer)} to {names[poor]} would."
        )
    return out


def _flow_findings(names, flows, currency: str) -> list[Finding]:
    out = []
    for j, name in enumerate(names):
        out.append(
            Finding(
                "info",
                f"{name} receives {_count(flows['received'][j])} referrals a year and wins {_count(flows['converted'][j])} "
                f"customers from them, worth {_money(flows['margin_earned'][j])} {currency} in margin; "
                f"it nets {_money(flows['net'][j])} {currency} after fees and handling.",
            )
        )
    return out


def _overlap_findings(found: overlap.Overlap | None, counts_only: bool) -> list[Finding]:
    if found is None:
        return [
            Finding(
                "info",
                "Add both customer lists (and a shared secret) to see the accounts the sides have in common.",
            )
        ]
    ours = int(found.sizes.loc["Ours", "accounts"])
    out = [
        Finding(
            "info",
            f"Account overlap: {found.total} of our {ours} accounts are on the partner's list; "
            f"{found.count('customer', 'prospect')} of our customers are its prospects (referrals we can make), "
            f"{found.count('prospect', 'customer')} of our prospects are its customers (referrals it can make), "
            f"{found.count('customer', 'customer')} customers are shared.",
        )
    ]
    out += [Finding("caution", note) for note in found.notes]
    if counts_only:
        out.append(Finding("info", "Counts only: no account names are shown."))
    return out


def _headline(names, net, balance: float, found, currency: str) -> str:
    nets = ", ".join(f"{p} {x:+,.0f}" for p, x in zip(names, net, strict=True))
    text = f"Net value of the exchange: {nets} {currency} a year (balance {balance:.2f})."
    if found is not None:
        text += f" {found.total} of our accounts are on the partner's list."
    return text


def _monte_carlo(inputs: Inputs, risk) -> float:
    """P(win-win): referral volumes, conversion rates, deal values and our expected loss drawn together."""
    draws = inputs.draws
    streams = iter(np.random.default_rng(inputs.seed).spawn(2 * len(_RANGED) + 1))
    drawn = {}
    for name in _RANGED:
        drawn[name] = np.column_stack(
            [draw(as_range(getattr(s, name).estimate(True), name), draws, next(streams)) for s in inputs.sides]
        )
    _, _, _, m, f, h, F = _point(inputs)
    net = exchange(drawn["referrals_sent"], drawn["conversion"], drawn["deal_value"], m, f, h, F)["net"]
    gain = net.copy()
    gain[:, 0] -= draw(risk.risk_adjustment_range(), draws, next(streams))
    return float((gain > 0.005).all(axis=1).mean())


SHEET = register(
    Worksheet(
        name="referrals",
        title="Two-way referrals and account overlap",
        kind="option",
        inputs=Inputs,
        assess=assess,
        summary="Refer customers to a complementary business and back: net value per side, the balance of the "
        "exchange, and the accounts you share, found on keyed hashes.",
        sample="referrals_accounting_it.json",
    )
)
