"""The headline figures of a case, saved beside every revision for the executive dashboard.

A dashboard of hundreds of cases cannot re-run every assessment (some run a
Monte Carlo); each revision therefore stores a small JSON summary of its
assessment when it is saved. The figures are the ones the worksheets show:
the verdict and its level, each party's gain and the value created (the sum
of the gains, the game-theoretic surplus of the deal, see
:mod:`coopkit.frameworks.winwin`), P(win-win) or the worksheet's own
probability, the reputation-risk rating after mitigations (NPSA 5x5 matrix,
:mod:`coopkit.frameworks.reputation`), the market-growth effect (the rising-tide
decomposition, :mod:`coopkit.frameworks.market`) and the antitrust guardrails'
flags (:mod:`coopkit.frameworks.antitrust`).

Examples
--------
>>> from coopkit.store.casefile import read_case, sample_case
>>> s = summarise("win_win_check", read_case(sample_case("win_win_two_party.json")).inputs)
>>> s["assessed"], s["verdict"], sorted(s["gains"])
(True, 'win-win', ['Alder Roasters', 'Birch & Bean'])
>>> summarise("win_win_check", {})["verdict"]
'not assessed'
"""

from __future__ import annotations

import math
from typing import Any

from coopkit import options
from coopkit.errors import InputError
from coopkit.options.base import Assessment, validate

__all__ = ["summarise", "summary_of", "unassessed"]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def unassessed(worksheet: str, problems: list[str]) -> dict[str, Any]:
    """The summary of inputs that could not be assessed (a draft saved mid-edit).

    Examples
    --------
    >>> unassessed("win_win_check", ["share must be between 0 and 1, got 2"])["verdict"]
    'not assessed'
    """
    return {
        "assessed": False,
        "worksheet": worksheet,
        "verdict": "not assessed",
        "level": "caution",
        "passed": False,
        "headline": f"{len(problems)} input(s) need fixing.",
        "problems": [str(p)[:300] for p in problems[:10]],
    }


def summary_of(a: Assessment) -> dict[str, Any]:
    """The headline figures of an assessment, as plain JSON data (no NaN).

    Parameters
    ----------
    a : Assessment

    Returns
    -------
    dict
        ``assessed``, ``worksheet``, ``verdict``, ``level``, ``passed``, ``headline``,
        ``probability`` (0-1 or None) and ``probability_label``, ``currency``,
        ``parties`` (the row names of the per-party table, in order, us first),
        ``gains`` (party -> money/year, when the worksheet has per-party gains),
        ``value_created`` (money/year, their sum), ``reputation`` (rating after mitigations
        or None), ``reputation_loss`` (expected loss, money/year), ``market`` (``growth`` and
        ``share_shift``, present value, or None), ``antitrust`` (flag texts at warning level
        or worse), ``hhi_change`` (points or None) and ``findings`` (the first five).

    Examples
    --------
    >>> from coopkit.store.casefile import read_case, sample_case
    >>> sheet = options.get("win_win_check")
    >>> inputs, _ = validate(sheet.inputs, read_case(sample_case("win_win_two_party.json")).inputs)
    >>> summary_of(sheet.assess(inputs))["level"]
    'good'
    """
    details = a.details if isinstance(a.details, dict) else {}
    gains: dict[str, float] = {}
    if "gain" in a.parties.columns:
        gains = {str(k): v for k, v in ((k, _number(v)) for k, v in a.parties["gain"].items()) if v is not None}
    risk = details.get("risk")
    reputation = getattr(getattr(risk, "after", None), "rating", None)
    reputation_loss = _number(getattr(getattr(risk, "after", None), "expected_loss_per_year", None))
    market = None
    growth = details.get("growth")
    if growth is not None and hasattr(growth, "decomposition"):
        dec = growth.decomposition
        market = {
            "growth": _number(dec["growth"].sum()) if "growth" in dec else None,
            "share_shift": _number(dec["share"].abs().sum() / 2) if "share" in dec else None,
        }
    guard = details.get("guardrails")
    antitrust = [f.text for f in getattr(guard, "flags", []) if f.level in ("bad", "caution")]
    return {
        "assessed": True,
        "worksheet": a.worksheet,
        "verdict": a.verdict,
        "level": a.level,
        "passed": bool(a.passed),
        "headline": a.headline,
        "probability": _number(a.probability),
        "probability_label": a.probability_label if a.probability is not None else None,
        "currency": a.currency,
        "parties": [str(k) for k in a.parties.index],
        "gains": gains,
        "value_created": _number(sum(gains.values())) if gains else None,
        "reputation": reputation,
        "reputation_loss": reputation_loss,
        "market": market,
        "antitrust": antitrust,
        "hhi_change": _number(getattr(guard, "hhi_change", None)),
        "findings": [{"level": f.level, "text": f.text} for f in a.findings[:5]],
    }


def summarise(worksheet: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Validate and assess raw inputs, and summarise; invalid inputs give :func:`unassessed`.

    Examples
    --------
    >>> summarise("win_win_check", {"parties": "not a list"})["assessed"]
    False
    """
    sheet = options.get(worksheet)
    model, problems = validate(sheet.inputs, inputs)
    if model is None:
        return unassessed(worksheet, [p.message for p in problems])
    try:
        return summary_of(sheet.assess(model))
    except InputError as exc:
        return unassessed(worksheet, [str(exc)])
