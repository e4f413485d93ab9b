"""Competition-law guardrails: how concentrated the market is, which safe-harbour thresholds apply, what not to share.

**Not legal advice.** These are screening indicators drawn from public
guidelines, so a strategist knows when to stop and ask counsel; they do not
say that a cooperation is lawful or unlawful.

Concentration [MG2023]_
    The Herfindahl-Hirschman Index is the sum of the squared market shares in
    percent, ``HHI = sum (100 s_i)^2``, from 0 to 10,000. For a cooperation,
    coopkit treats the cooperating parties as one player in the cooperation's
    market, so the change is ``delta = (100 sum s_parties)^2 - sum (100 s_i)^2``
    (the same arithmetic as for a merger of the parties). The 2023 Merger
    Guidelines of the US Department of Justice and Federal Trade Commission
    call a market with an HHI above 1,800 *highly concentrated* and a rise of
    more than 100 *significant*; they presume harm when a merger gives an HHI
    above 1,800 with a rise above 100, or a combined share of 30 % or more with
    a rise above 100. These presumptions are written for mergers: coopkit shows
    them as a warning light for a cooperation, not as the test that applies to it.
    The US *Antitrust Guidelines for Collaborations Among Competitors* (2000),
    with their safety zone, were withdrawn on 11 December 2024 [FTC2024]_: no
    US safety zone applies to competitor collaborations.

EU safe-harbour thresholds (2023)
    Combined market shares below which the European Commission considers a
    type of horizontal cooperation unlikely to restrict competition, or exempts it:

    * R&D agreements: 25 % [RDBER2023]_;
    * specialisation and joint production: 20 % [SBER2023]_;
    * joint purchasing: 15 % on the purchasing market(s) *and* on the selling
      market(s) [HG2023]_ (chapter 4);
    * commercialisation (joint selling, distribution, promotion): 15 % [HG2023]_ (chapter 5).

    Exchanges of commercially sensitive information have no safe harbour
    [HG2023]_ (chapter 6), whatever the shares.

What must not be shared
    Prices and price intentions, costs and margins, bids, capacities and
    output plans, and customer or territory allocation are the classic
    commercially sensitive information; :data:`WARNINGS` adds what each kind
    of cooperation tempts parties to share [HG2023]_.

References
----------
.. [MG2023] U.S. Department of Justice and Federal Trade Commission (2023).
   *Merger Guidelines*, 18 December 2023, Guideline 1 and section 2.1.
.. [FTC2024] Federal Trade Commission and U.S. Department of Justice (2024).
   Statement on the withdrawal of the 2000 Antitrust Guidelines for
   Collaborations Among Competitors, 11 December 2024.
.. [RDBER2023] Commission Regulation (EU) 2023/1066 of 1 June 2023 on research
   and development agreements, Article 6.
.. [SBER2023] Commission Regulation (EU) 2023/1067 of 1 June 2023 on
   specialisation agreements, Article 3.
.. [HG2023] European Commission (2023). Guidelines on the applicability of
   Article 101 TFEU to horizontal co-operation agreements, OJ C 259, 21.7.2023.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from coopkit.errors import require
from coopkit.frameworks.findings import Finding
from coopkit.frameworks.uncertainty import as_numbers

__all__ = [
    "DISCLAIMER",
    "Kind",
    "EU_THRESHOLDS",
    "WARNINGS",
    "SOURCES",
    "hhi",
    "hhi_delta",
    "Guardrails",
    "assess",
]

#: Shares are compared with the thresholds to within rounding: 0.10 + 0.05 is 15 %.
_TOL = 1e-9

DISCLAIMER = "Screening indicators from public guidelines, not legal advice: ask counsel before you cooperate."

Kind = Literal["rnd", "production", "purchasing", "commercialisation", "other"]

#: EU safe-harbour combined-share thresholds of 2023, by kind of cooperation (None: no threshold).
EU_THRESHOLDS: dict[str, float | None] = {
    "rnd": 0.25,
    "production": 0.20,
    "purchasing": 0.15,
    "commercialisation": 0.15,
    "other": None,
}

KIND_LABELS = {
    "rnd": "research and development",
    "production": "specialisation and joint production",
    "purchasing": "joint purchasing",
    "commercialisation": "commercialisation (joint selling, distribution or promotion)",
    "other": "other cooperation",
}

#: Where each threshold comes from.
SOURCES = {
    "rnd": "Regulation (EU) 2023/1066 (R&D block exemption), Art. 6",
    "production": "Regulation (EU) 2023/1067 (specialisation block exemption), Art. 3",
    "purchasing": "EU Horizontal Guidelines 2023, ch. 4 (joint purchasing)",
    "commercialisation": "EU Horizontal Guidelines 2023, ch. 5 (commercialisation)",
    "other": "EU Horizontal Guidelines 2023 (no safe harbour for this kind)",
    "information": "EU Horizontal Guidelines 2023, ch. 6 (information exchange: no safe harbour)",
    "us": "US DOJ/FTC Merger Guidelines 2023, Guideline 1; 2000 collaboration guidelines withdrawn 11 Dec 2024",
}

_ALWAYS = (
    "Never share current or future prices, price changes, discounts or margins.",
    "Never agree who serves which customers or territories, or who bids for what.",
    "Never share costs, capacities or output plans beyond what the cooperation needs; route what it needs "
    "through a clean team or an independent third party, aggregated and historic.",
)

#: What each kind of cooperation tempts parties to share, on top of the rules for every cooperation.
WARNINGS: dict[str, tuple[str, ...]] = {
    "rnd": ("Keep the R&D's results and data inside its scope; do not coordinate on the products you each sell.",),
    "production": ("Do not agree on how much each party sells or at what price; share only production data.",),
    "purchasing": (
        "Share only the purchase volumes the pool negotiates with; never your selling prices or your customers.",
        "Keep the pool's buying terms away from the people who set your selling prices.",
    ),
    "commercialisation": (
        "Do not fix the end price of each other's products; a revenue share on referred sales is fine, "
        "a common list price is not.",
        "Do not exchange customer lists in the clear beyond the accounts you agree to work together.",
    ),
    "other": ("Keep the cooperation's scope written down and share nothing about your competitive plans.",),
}


def hhi(shares: Sequence[float]) -> float:
    """Herfindahl-Hirschman Index of market shares given as fractions: ``sum (100 s)^2``, 0-10,000 points.

    Shares of players you do not list count as spread thinly (they add almost nothing).

    Examples
    --------
    >>> hhi([0.3, 0.3, 0.2, 0.2])
    2600.0
    """
    s = as_numbers(shares, "shares", "be market shares between 0 and 1")
    require(s.ndim == 1 and s.size >= 1, "shares", shares, "be a list of market shares")
    require(bool(np.all((s >= 0) & (s <= 1))), "shares", shares, "be market shares between 0 and 1")
    require(float(s.sum()) <= 1 + 1e-9, "shares", shares, "add up to at most 1")
    return round(float(((100 * s) ** 2).sum()), 6)  # points; rounding noise below a millionth dropped


def hhi_delta(party_shares: Sequence[float]) -> float:
    """Rise of the HHI when the cooperating parties count as one: ``(100 sum s)^2 - sum (100 s)^2``.

    Examples
    --------
    >>> hhi_delta([0.2, 0.1])  # 2 x 20 x 10
    400.0
    """
    s = as_numbers(party_shares, "party_shares", "be market shares between 0 and 1")
    require(s.ndim == 1 and s.size >= 1, "party_shares", party_shares, "be a list of market shares")
    require(bool(np.all((s >= 0) & (s <= 1))), "party_shares", party_shares, "be market shares between 0 and 1")
    require(float(s.sum()) <= 1 + 1e-9, "party_shares", party_shares, "add up to at most 1")
    return round(float((100 * s.sum()) ** 2 - ((100 * s) ** 2).sum()), 6)


@dataclass(frozen=True)
class Guardrails:
    """What :func:`assess` returns.

    Attributes
    ----------
    kind : str
    combined_share : float
        The parties' combined share of the cooperation's (selling) market, 0-1.
    hhi_before, hhi_after, hhi_change : float
        HHI points, with the parties counted apart and as one.
    us_presumption : bool
        Whether the 2023 Merger Guidelines' structural presumption would be met were this a merger.
    eu_threshold : float or None
        The EU safe-harbour share for this kind (None: no safe harbour).
    within_eu_threshold : bool or None
        Whether the combined share (and, for purchasing, the buying share) is within it.
    flags : list of Finding
        Plain-language results, most serious first, the disclaimer last.
    warnings : list of str
        What must not be shared in this kind of cooperation.
    sources : list of str
    """

    kind: str
    combined_share: float
    buying_share: float | None
    hhi_before: float
    hhi_after: float
    hhi_change: float
    us_presumption: bool
    eu_threshold: float | None
    within_eu_threshold: bool | None
    flags: list[Finding]
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        """ "good" within every threshold, "caution" with no safe harbour or a concentrated market, "bad" above."""
        if self.within_eu_threshold is False or self.us_presumption:
            return "bad"
        if self.within_eu_threshold is None or self.hhi_after > 1_800:
            return "caution"
        return "good"


def assess(
    party_shares: Sequence[float],
    kind: Kind,
    *,
    other_shares: Sequence[float] = (),
    buying_shares: Sequence[float] | None = None,
) -> Guardrails:
    """Competition-law screening of a cooperation between parties with the given market shares.

    Parameters
    ----------
    party_shares : sequence of float in [0, 1]
        Each cooperating party's share of the market the cooperation touches (the selling market).
    kind : {"rnd", "production", "purchasing", "commercialisation", "other"}
        The kind of cooperation, which picks the EU threshold and the warnings.
    other_shares : sequence of float, optional
        Shares of the largest other players (the rest counts as fragmented), for the HHI.
    buying_shares : sequence of float, optional
        For joint purchasing: each party's share of the purchasing market.

    Examples
    --------
    >>> g = assess([0.10, 0.04], "purchasing", buying_shares=[0.06, 0.03], other_shares=[0.3, 0.2])
    >>> round(g.hhi_after), round(g.hhi_change), g.within_eu_threshold, g.level
    (1496, 80, True, 'good')
    >>> assess([0.2, 0.15], "commercialisation").within_eu_threshold
    False
    """
    require(kind in EU_THRESHOLDS, "kind", kind, f"be one of {', '.join(EU_THRESHOLDS)}")
    s = as_numbers(party_shares, "party_shares", "be market shares between 0 and 1")
    require(s.ndim == 1 and s.size >= 1, "party_shares", party_shares, "list at least one share")
    o = (
        as_numbers(list(other_shares), "other_shares", "be market shares between 0 and 1")
        if len(other_shares)
        else np.zeros(0)
    )
    for name, values in (("party_shares", s), ("other_shares", o)):
        require(o.ndim == 1, name, values.tolist(), "be a list of market shares")
        bad = [float(x) for x in values if not 0 <= x <= 1]
        require(not bad, name, bad[0] if bad else None, "be market shares between 0 and 1")
    total = float(s.sum() + o.sum())
    require(
        total <= 1 + _TOL,
        "party_shares + other_shares",
        round(total, 6),
        "add up to at most 1 (every player's share of one market)",
    )
    before = hhi(np.concatenate([s, o]) / max(1.0, total))  # within rounding of 1: rescaled
    change = hhi_delta(s / max(1.0, total))
    after = before + change
    combined = float(s.sum())
    buying = None
    if buying_shares is not None:
        b = as_numbers(buying_shares, "buying_shares", "be market shares between 0 and 1")
        require(b.shape == s.shape, "buying_shares", buying_shares, f"give one share per party ({s.size})")
        bad = [float(x) for x in b if not 0 <= x <= 1]
        require(not bad, "buying_shares", bad[0] if bad else None, "be market shares between 0 and 1")
        require(float(b.sum()) <= 1 + _TOL, "buying_shares", round(float(b.sum()), 6), "add up to at most 1")
        buying = float(b.sum())
    us = bool(change > 100 and (after > 1_800 or combined >= 0.30))
    threshold = EU_THRESHOLDS[kind]
    within = None
    if threshold is not None:
        within = combined <= threshold + _TOL and (buying is None or buying <= threshold + _TOL)
    flags: list[Finding] = []
    label = KIND_LABELS[kind]
    if threshold is not None:
        shares_text = f"combined share {combined:.1%}" + (f" (buying {buying:.1%})" if buying is not None else "")
        if within:
            flags.append(Finding("good", f"{shares_text}: within the EU safe harbour for {label} ({threshold:.0%})."))
        else:
            flags.append(
                Finding(
                    "bad",
                    f"{shares_text}: above the EU safe-harbour share for {label} ({threshold:.0%}); "
                    "the cooperation needs an individual assessment by counsel.",
                )
            )
    else:
        flags.append(Finding("caution", f"No EU safe harbour applies to {label}: have counsel review the scope."))
    concentration = (
        "highly concentrated" if after > 1_800 else "moderately concentrated" if after > 1_000 else "unconcentrated"
    )
    flags.append(
        Finding(
            "bad" if us else "caution" if after > 1_800 else "info",
            f"HHI {after:,.0f} with the parties counted as one ({concentration}), a rise of {change:,.0f} points"
            + (
                ": a merger like this would be presumed to harm competition under the 2023 US Merger Guidelines."
                if us
                else "."
            ),
        )
    )
    flags.append(
        Finding(
            "info",
            "The US 2000 guidelines for collaborations among competitors were withdrawn in December 2024: "
            "no US safety zone applies.",
        )
    )
    flags.append(Finding("caution", "Information exchange has no safe harbour: share only what the cooperation needs."))
    flags.append(Finding("info", DISCLAIMER))
    sources = [SOURCES[kind], SOURCES["information"], SOURCES["us"]]
    return Guardrails(
        kind=kind,
        combined_share=combined,
        buying_share=buying,
        hhi_before=before,
        hhi_after=after,
        hhi_change=change,
        us_presumption=us,
        eu_threshold=threshold,
        within_eu_threshold=within,
        flags=flags,
        warnings=[*_ALWAYS, *WARNINGS[kind]],
        sources=sources,
    )
