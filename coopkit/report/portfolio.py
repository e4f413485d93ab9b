"""The portfolio of saved cases as one table, with its filters and sorts.

The executive dashboard (:mod:`coopkit.ui.dashboard`) shows every saved case
on one page. It reads only the summary saved with each revision
(:mod:`coopkit.store.summary`), never re-assesses, so a portfolio of hundreds
of cases is drawn in well under a second. The table is shown as HTML by
:mod:`coopkit.report.portfolio_html` and charted by :mod:`coopkit.report.portfolio_charts`.

Each case shows its latest *saved* revision (else its latest draft, see
:meth:`coopkit.store.cases.CaseStore.cases`). The figures per case are the
ones its worksheet shows: the verdict and its level, each party's gain and
the value created (the sum of the gains, the surplus of the deal over the
parties' stand-alone payoffs), P(win-win) or the worksheet's own probability,
the reputation-risk rating after mitigations (the NPSA 5x5 matrix bands low,
moderate, high, severe), the market-growth effect and the competition-law
flags.

Examples
--------
>>> from coopkit.store.cases import CaseStore
>>> store = CaseStore("sqlite://")
>>> _ = store.create("win_win_check", {}, title="Pooled imports", author="Ana", summary=EXAMPLE_SUMMARY)
>>> table = portfolio_table(store.cases())
>>> table[["title", "option", "partners", "verdict", "gains"]].to_dict("records")
[{'title': 'Pooled imports', 'option': 'Win-win check', 'partners': 'Birch', 'verdict': 'win-win', 'gains': 'Alder +70,000; Birch +55,000'}]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from coopkit import options
from coopkit.errors import InputError
from coopkit.report.html import money
from coopkit.store.cases import CaseInfo

__all__ = [
    "portfolio_table",
    "filter_portfolio",
    "sort_portfolio",
    "COLUMNS",
    "LEVELS",
    "SORTS",
    "RISK_SCORE",
    "NONE",
    "EXAMPLE_SUMMARY",
]

#: The reputation-risk rating bands after mitigations, as a risk score from 1 (low) to 4 (severe).
RISK_SCORE = {"low": 1, "moderate": 2, "high": 3, "severe": 4}

#: Verdict levels, as the dashboard's filter names them; a draft that could not be assessed is "not assessed".
LEVELS = {"good": "Go", "caution": "With conditions", "bad": "No-go", "not assessed": "Not assessed"}

#: The sorts :func:`sort_portfolio` knows, each with what comes first.
SORTS = {
    "last change": "most recently changed first",
    "value created": "most value created first (cases without the figure last)",
    "P(win-win)": "highest P(win-win) first (cases without one last)",
    "risk": "highest reputation risk first (then the largest expected loss; unrated last)",
}

#: The table's columns and their types.
COLUMNS = {
    "case_id": "str",
    "title": "str",
    "worksheet": "str",
    "option": "str",
    "partners": "str",
    "verdict": "str",
    "level": "str",
    "gains": "str",
    "value_created": "float",
    "currency": "str",
    "probability": "float",
    "probability_label": "str",
    "p_win_win": "float",
    "reputation": "str",
    "risk_score": "float",
    "reputation_loss": "float",
    "market_growth": "float",
    "antitrust_count": "int",
    "antitrust_first": "str",
    "updated_at": "datetime64[ns, UTC]",
    "author": "str",
    "draft": "bool",
    "revision": "int",
}

#: A summary as :func:`coopkit.store.summary.summary_of` makes it, for the examples.
EXAMPLE_SUMMARY: dict[str, Any] = {
    "assessed": True,
    "worksheet": "win_win_check",
    "verdict": "win-win",
    "level": "good",
    "passed": True,
    "probability": 0.9942,
    "probability_label": "P(win-win)",
    "currency": "EUR",
    "gains": {"Alder": 70000.0, "Birch": 55000.0},
    "value_created": 125000.0,
    "reputation": "low",
    "reputation_loss": 0.0,
    "market": None,
    "antitrust": [],
    "hhi_change": None,
    "findings": [],
}

#: What a missing text figure shows.
NONE = "—"
_ASSESSED_LEVELS = ("good", "caution", "bad")


# --------------------------------------------------------------------------- helpers
def _number(value: Any) -> float:
    """A finite float, or NaN for anything else (missing, text, infinite)."""
    if isinstance(value, bool):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _signed(x: float) -> str:
    """Money with its sign: ``+12,000``, ``−3,000``, ``0``."""
    text = money(x)
    return text if text.startswith("−") or text == "0" else "+" + text


def _growth_share(market: Any) -> float:
    """The share of the market effect that is growth rather than share shifted between the parties."""
    if not isinstance(market, dict):
        return math.nan
    growth, shift = _number(market.get("growth")), _number(market.get("share_shift"))
    if math.isnan(growth) or math.isnan(shift) or abs(growth) + abs(shift) == 0:
        return math.nan
    return abs(growth) / (abs(growth) + abs(shift))


@functools.cache
def _worksheet_titles() -> dict[str, str]:
    return {name: options.get(name).title for name in options.names()}


def _party_names(inputs: Any) -> list[str]:
    """The parties in the order the worksheet lists them, us first, read from the inputs."""
    if not isinstance(inputs, dict):
        return []
    if isinstance(inputs.get("our_name"), str):
        return [inputs["our_name"]] + ([inputs["partner_name"]] if isinstance(inputs.get("partner_name"), str) else [])
    lists = [inputs["parties"]] if isinstance(inputs.get("parties"), list) else list(inputs.values())
    for value in lists:
        if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
            return [str(v["name"]) for v in value]
    return []


def _ordered_gains(summary: dict[str, Any], inputs: Any) -> dict[str, float]:
    """Each party's gain, us first.

    The store saves JSON with sorted keys, so the order of ``gains`` in a saved summary is
    alphabetical, not the worksheet's. The order is taken from the summary's ``parties`` list
    when it has one, else from the revision's inputs (lists keep their order), else as stored.
    """
    raw = summary.get("gains") if isinstance(summary.get("gains"), dict) else {}
    gains = {str(k): _number(v) for k, v in raw.items()}
    order = summary.get("parties") if isinstance(summary.get("parties"), list) else _party_names(inputs)
    names = {name.strip(): name for name in gains}
    first = [names[str(n).strip()] for n in order if str(n).strip() in names]
    first = list(dict.fromkeys(first))
    return {name: gains[name] for name in first + [k for k in gains if k not in first]}


def _row(info: CaseInfo) -> dict[str, Any]:
    rev = info.revision
    s = rev.summary if isinstance(rev.summary, dict) else {}
    assessed = bool(s.get("assessed")) and s.get("verdict") not in (None, "not assessed")
    gains = _ordered_gains(s, rev.inputs)
    partners = list(gains)[1:]
    flags = [str(f) for f in s.get("antitrust", []) or [] if f] if isinstance(s.get("antitrust"), list) else []
    rating = s.get("reputation") if s.get("reputation") in RISK_SCORE else None
    probability = _number(s.get("probability"))
    label = _text(s.get("probability_label")) if not math.isnan(probability) else ""
    level = _text(s.get("level")) if assessed and s.get("level") in _ASSESSED_LEVELS else "not assessed"
    return {
        "case_id": info.case_id,
        "title": rev.title,
        "worksheet": info.worksheet,
        "option": _worksheet_titles().get(info.worksheet, info.worksheet),
        "partners": ", ".join(partners) if partners else NONE,
        "verdict": _text(s.get("verdict")) if assessed else "not assessed",
        "level": level,
        "gains": "; ".join(f"{p} {_signed(g)}" for p, g in gains.items() if not math.isnan(g)) or NONE,
        "value_created": _number(s.get("value_created")) if assessed else math.nan,
        "currency": _text(s.get("currency")),
        "probability": probability if assessed else math.nan,
        "probability_label": label if assessed else "",
        "p_win_win": probability if assessed and label == "P(win-win)" else math.nan,
        "reputation": rating if assessed and rating else NONE,
        "risk_score": float(RISK_SCORE[rating]) if assessed and rating else math.nan,
        "reputation_loss": _number(s.get("reputation_loss")) if assessed else math.nan,
        "market_growth": _growth_share(s.get("market")) if assessed else math.nan,
        "antitrust_count": len(flags) if assessed else 0,
        "antitrust_first": flags[0] if assessed and flags else "",
        "updated_at": info.updated_at,
        "author": rev.author,
        "draft": bool(rev.draft),
        "revision": int(rev.number),
    }


def _empty() -> pd.DataFrame:
    table = pd.DataFrame({name: pd.Series(dtype="object" if kind == "str" else kind) for name, kind in COLUMNS.items()})
    return table


# --------------------------------------------------------------------------- the table
def portfolio_table(infos: Sequence[CaseInfo]) -> pd.DataFrame:
    """One row per saved case with its headline figures, read from the saved summaries.

    Parameters
    ----------
    infos : sequence of CaseInfo
        From :meth:`coopkit.store.cases.CaseStore.cases`.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, in the order given: ``case_id``; ``title``;
        ``worksheet`` (registry name) and ``option`` (its title); ``partners`` (the parties
        after the first, who is us, or "—": the order comes from the revision's inputs, as the
        saved summary's keys are sorted); ``verdict`` and ``level`` (good, caution, bad,
        or "not assessed" for a draft that could not be assessed); ``gains`` as text
        ("A +12,000; B −3,000", money per year); ``value_created`` (money per year, the sum
        of the gains) and ``currency``; ``probability`` (0-1) with ``probability_label``
        and ``p_win_win`` (the probability when it is P(win-win)); ``reputation`` (the
        rating after mitigations or "—") and ``risk_score`` (1 low to 4 severe);
        ``reputation_loss`` (expected, money per year); ``market_growth`` (the share of
        the market effect that is growth, 0-1); ``antitrust_count`` and
        ``antitrust_first`` (the first flag's text); ``updated_at`` (UTC); ``author``;
        ``draft``; ``revision``. Missing figures are NaN (numbers) or "—" (text).

    Examples
    --------
    >>> from coopkit.store.cases import CaseStore
    >>> store = CaseStore("sqlite://")
    >>> _ = store.create("win_win_check", {}, title="Pilot", summary=EXAMPLE_SUMMARY)
    >>> _ = store.create("win_win_check", {}, title="Half done", draft=True,
    ...                  summary={"assessed": False, "verdict": "not assessed", "level": "caution"})
    >>> t = portfolio_table(store.cases())
    >>> t[["title", "level", "value_created", "reputation", "risk_score"]].sort_values("title").to_dict("records")
    [{'title': 'Half done', 'level': 'not assessed', 'value_created': nan, 'reputation': '—', 'risk_score': nan}, {'title': 'Pilot', 'level': 'good', 'value_created': 125000.0, 'reputation': 'low', 'risk_score': 1.0}]
    >>> len(portfolio_table([]).columns) == len(COLUMNS)
    True
    """
    if not infos:
        return _empty()
    table = pd.DataFrame([_row(info) for info in infos], columns=list(COLUMNS))
    table["updated_at"] = pd.to_datetime(table["updated_at"], utc=True)
    return table.astype({name: kind for name, kind in COLUMNS.items() if kind in ("float", "int", "bool")})


def filter_portfolio(
    table: pd.DataFrame, *, option: str | None = None, verdict_level: str | None = None, text: str = ""
) -> pd.DataFrame:
    """The cases of one worksheet, one verdict level, and/or matching a text.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`portfolio_table`.
    option : str, optional
        A worksheet's registry name (e.g. ``"joint_purchasing"``); None for all.
    verdict_level : {"good", "caution", "bad", "not assessed"}, optional
        None for all.
    text : str
        Kept when found, ignoring case, in the title, the partners or the author; "" for all.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in the same order, indexed 0, 1, ...

    Examples
    --------
    >>> t = pd.DataFrame({"worksheet": ["a", "b"], "level": ["good", "bad"], "title": ["Pilot", "Fair"],
    ...                   "partners": ["Birch", "Cedar"], "author": ["Ana", "Ben"]})
    >>> filter_portfolio(t, text="cedar")["title"].tolist()
    ['Fair']
    >>> filter_portfolio(t, verdict_level="worse")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: verdict level must be one of good, caution, bad, not assessed, got 'worse'
    """
    if verdict_level is not None and verdict_level not in LEVELS:
        raise InputError("verdict level", verdict_level, f"be one of {', '.join(LEVELS)}")
    keep = pd.Series(True, index=table.index)
    if option is not None:
        keep &= table["worksheet"] == option
    if verdict_level is not None:
        keep &= table["level"] == verdict_level
    needle = (text or "").strip().casefold()
    if needle:
        found = pd.Series(False, index=table.index)
        for column in ("title", "partners", "author"):
            found |= table[column].astype(str).str.casefold().str.contains(needle, regex=False)
        keep &= found
    return table[keep].reset_index(drop=True)


def sort_portfolio(table: pd.DataFrame, by: str = "last change") -> pd.DataFrame:
    """The cases in the order an executive asks for: one of :data:`SORTS`.

    Ties and missing figures: cases without the figure come last; ties keep the most
    recently changed first. Value created is compared as a number across currencies
    (no conversion): a portfolio in several currencies should be filtered first.

    Examples
    --------
    >>> t = pd.DataFrame({"title": ["a", "b", "c"], "value_created": [5.0, float("nan"), 9.0],
    ...                   "updated_at": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-02-01"], utc=True)})
    >>> sort_portfolio(t, "value created")["title"].tolist(), sort_portfolio(t)["title"].tolist()
    (['c', 'a', 'b'], ['b', 'c', 'a'])
    """
    if by not in SORTS:
        raise InputError("sort", by, f"be one of {', '.join(SORTS)}")
    recent = table.sort_values("updated_at", ascending=False, kind="stable")
    keys = {
        "last change": [],
        "value created": ["value_created"],
        "P(win-win)": ["p_win_win"],
        "risk": ["risk_score", "reputation_loss"],
    }[by]
    if keys:
        recent = recent.sort_values(keys, ascending=False, kind="stable", na_position="last")
    return recent.reset_index(drop=True)
