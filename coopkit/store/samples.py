"""Demonstration cases: a store filled with realistic variations of the sample cases.

The executive dashboard is only worth looking at with a portfolio in it. This
module builds one from the sample cases in ``data/samples/`` (one per
partnering option and framework worksheet): each case starts from a sample and
varies it the way real cases differ. Money inputs are scaled (a size for the
whole deal, and a spread per party and per input), partners get other names,
the partner scorecard moves a notch and mitigations are switched on or off.
Some cases have several revisions, some are drafts, and a few drafts hold
inputs that cannot be assessed yet, as when someone stops mid-edit.

Every revision is saved with the summary of its own inputs
(:func:`coopkit.store.summary.summarise`): nothing is copied from another case.
Identical inputs (a revision that only changed the title) are assessed once.

Everything random comes from one ``numpy.random.Generator`` seeded by ``seed``:
the same seed gives the same cases (their ids, drawn by the store, differ).

Examples
--------
>>> from coopkit.store.cases import CaseStore
>>> store = CaseStore("sqlite://")
>>> ids = seed_cases(store, 3, seed=1, worksheets=["win_win_check"])
>>> len(ids), len(store)
(3, 3)
"""

from __future__ import annotations

import copy
import json
import math
import typing
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from coopkit import options
from coopkit.errors import require
from coopkit.options.base import _inner_model, field_bounds
from coopkit.store.casefile import read_case, sample_case
from coopkit.store.cases import MAX_TITLE, CaseStore
from coopkit.store.summary import summarise

__all__ = ["seed_cases", "demo_worksheets", "vary_inputs", "partner_name", "AUTHORS"]

#: The people who save the demonstration cases.
AUTHORS = ("Ana Ruiz", "Ben Okafor", "Chloé Martin", "Dev Patel", "Eva Novak", "Finn Larsen", "Grace Liu")

_NAME_STARTS = (
    "Northwind", "Bluefield", "Harbor", "Copperleaf", "Granite", "Meridian", "Oakridge", "Silverline",
    "Tidewater", "Juniper", "Kestrel", "Lumen", "Pinecrest", "Quayside", "Redwood", "Saltmarsh",
    "Thornbury", "Vantage", "Westbrook", "Ashgrove", "Brightwater", "Fjordline", "Larkspur", "Stonebridge",
)  # fmt: skip
_NAME_ENDS = ("Group", "& Co", "Holdings", "Partners", "Industries", "Trading", "Systems", "& Sons", "Ltd", "AG")

# What each worksheet's cases are called; {partner} is the first partner's name.
_TITLES = {
    "charitable_cause": ("Reading programme with {partner}", "Joint community fund with {partner}"),
    "cross_upsell": ("Add-on resale with {partner}", "Bundle offer with {partner}"),
    "joint_purchasing": ("Buying group with {partner}", "Joint tender for consumables with {partner}"),
    "market_growth": ("Category campaign with {partner}", "Grow the market with {partner}"),
    "new_market": ("Joint venture with {partner}", "New segment entry with {partner}"),
    "referrals": ("Referral swap with {partner}", "Two-way referrals with {partner}"),
    "reputation_risk": ("Co-branding with {partner}: risk review", "Partner vetting: {partner}"),
    "win_win_check": ("Pooled imports with {partner}", "Shared logistics with {partner}"),
}
_SUFFIXES = ("", "", "", " (Nordics)", " (DACH)", " – phase 2", " (FY26)", " – pilot")
_NOTES = (
    "Figures from the finance team's latest estimate.",
    "Partner's numbers not yet confirmed.",
    "Discussed at the steering committee; revisit after the pilot.",
    "",
)


def demo_worksheets() -> list[str]:
    """The worksheets demonstration cases are built from: every partnering option and framework with a sample.

    Examples
    --------
    >>> "win_win_check" in demo_worksheets(), "sales_culture" in demo_worksheets()
    (True, False)
    """
    return [n for n in options.names() if options.get(n).kind in ("option", "framework") and options.get(n).sample]


def partner_name(rng: np.random.Generator, taken: set[str] = frozenset()) -> str:
    """A made-up company name not in ``taken`` (compared ignoring case).

    Examples
    --------
    >>> partner_name(np.random.default_rng(0)) == partner_name(np.random.default_rng(0))
    True
    """
    folded = {t.casefold() for t in taken}
    for _ in range(100):
        name = f"{rng.choice(_NAME_STARTS)} {rng.choice(_NAME_ENDS)}"
        if name.casefold() not in folded:
            return name
    return f"{rng.choice(_NAME_STARTS)} {int(rng.integers(2, 10_000))}"  # pragma: no cover - 240 names


def _extra(info) -> dict:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def _scale(value: Any, factor: float) -> Any:
    """A money amount, or a {likely, low, high} triple (same factor for all three, so their order holds)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value) * factor, 2)
    if isinstance(value, dict):
        return {k: _scale(v, factor) for k, v in value.items()}
    return value


def _clip(value: Any, factor: float, lower: float, upper: float) -> Any:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    return round(min(max(float(value) * factor, lower), upper), 4)


def _vary(model, data: dict, rng: np.random.Generator, size: float, spread: float) -> dict:
    out = dict(data)
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is None:
            continue
        extra, inner = _extra(info), _inner_model(info.annotation)
        unit = str(extra.get("unit") or "")
        args = typing.get_args(info.annotation)
        if unit.startswith("money"):
            out[key] = _scale(value, size * float(rng.lognormal(0.0, spread)))
        elif unit == "relative change" and spread > 0:  # e.g. the market uplift of a joint campaign
            bounds = field_bounds(inner.model_fields["likely"]) if inner is not None else field_bounds(info)
            lower, upper = bounds.get("ge", -math.inf), bounds.get("le", math.inf)
            factor = float(rng.lognormal(0.0, 2 * spread))
            out[key] = (
                {k: _clip(v, factor, lower, upper) for k, v in value.items()} if isinstance(value, dict) else value
            )
        elif isinstance(value, list) and inner is not None and all(isinstance(v, dict) for v in value):
            if all("name" in v for v in value):  # parties: each its own spread
                out[key] = [_vary(inner, v, rng, size, spread) for v in value]
            else:  # e.g. price tiers: one factor for all rows keeps their order
                factor = float(rng.lognormal(0.0, spread))
                out[key] = [_vary(inner, v, rng, size * factor, 0.0) for v in value]
        elif args and all(isinstance(a, int) and not isinstance(a, bool) for a in args) and "labels" in extra:
            if isinstance(value, int) and rng.random() < 0.5:  # a scorecard notch up or down
                out[key] = int(np.clip(value + rng.choice((-1, 1)), min(args), max(args)))
        elif info.annotation is bool and extra.get("section") in ("Reputation risk", "Mitigations"):
            if rng.random() < 0.3:  # a mitigation agreed or dropped
                out[key] = not bool(value)
    return out


def _rename(data: dict, rng: np.random.Generator) -> tuple[dict, list[str]]:
    """Give every partner (not the first party, us) a new name; return the data and the partners' names."""
    taken: set[str] = set()
    partners: list[str] = []
    for value in data.values():
        if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
            taken |= {str(v["name"]) for v in value}
            for item in value[1:]:
                item["name"] = partner_name(rng, taken)
                taken.add(item["name"])
                partners.append(item["name"])
    if "partner_name" in data:
        data["partner_name"] = partner_name(rng, taken | {str(data.get("our_name", ""))})
        partners.append(data["partner_name"])
    return data, partners


def vary_inputs(
    worksheet: str,
    inputs: dict[str, Any],
    rng: np.random.Generator,
    *,
    size_sigma: float = 0.6,
    spread_sigma: float = 0.25,
    rename: bool = True,
) -> tuple[dict[str, Any], list[str]]:
    """A realistic variation of a worksheet's inputs, and the names of its partners.

    Parameters
    ----------
    worksheet : str
        Registry name.
    inputs : dict
        Raw inputs (e.g. the sample case's); not changed.
    rng : numpy.random.Generator
        Source of every random choice.
    size_sigma, spread_sigma : float
        σ of the log-normal factors: one for the whole deal's size, one per money input
        (and per party); 0 keeps the figures.
    rename : bool
        Give the partners new names (False for a later revision of the same case).

    Returns
    -------
    (dict, list of str)
        The varied inputs: every money input (unit ``money...``) multiplied by the deal's
        size factor and its own factor, partners renamed, scorecard ratings moved a notch
        (probability 1/2 each) and mitigations switched (probability 0.3 each); and the
        partners' names.

    Examples
    --------
    >>> sample = read_case(sample_case("win_win_two_party.json")).inputs
    >>> varied, partners = vary_inputs("win_win_check", sample, np.random.default_rng(3))
    >>> len(partners), varied["parties"][0]["name"] == sample["parties"][0]["name"]
    (1, True)
    """
    model = options.get(worksheet).inputs
    size = float(rng.lognormal(0.0, size_sigma))
    varied = _vary(model, copy.deepcopy(inputs), rng, size, spread_sigma)
    return _rename(varied, rng) if rename else (varied, _partners(varied))


def _partners(data: dict) -> list[str]:
    names = [
        str(item["name"])
        for value in data.values()
        if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value)
        for item in value[1:]
    ]
    return names + ([str(data["partner_name"])] if "partner_name" in data else [])


def _title(worksheet: str, partners: list[str], rng: np.random.Generator) -> str:
    templates = _TITLES.get(worksheet, (options.get(worksheet).title + " with {partner}",))
    partner = partners[0] if partners else "partners"
    return (str(rng.choice(templates)).format(partner=partner) + str(rng.choice(_SUFFIXES)))[:MAX_TITLE]


def seed_cases(
    store: CaseStore,
    count: int = 200,
    *,
    seed: int = 1,
    now: datetime | None = None,
    worksheets: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Fill a store with ``count`` demonstration cases built from the sample cases.

    Parameters
    ----------
    store : CaseStore
        Where the cases are saved (added to what is there).
    count : int
        Number of cases, 0 to 10,000.
    seed : int
        Seed of the random generator (same seed, same cases).
    now : datetime.datetime, optional
        The latest save time; saves go back up to 180 days before it. Default: the current time.
    worksheets : sequence of str, optional
        Worksheets to draw from, in turn; default :func:`demo_worksheets`.
    progress : callable, optional
        Called as ``progress(done, count)`` after each case.

    Returns
    -------
    list of str
        The new cases' ids, in the order they were made.

    Notes
    -----
    About 8 % of the cases are drafts only (half of them with inputs that cannot be
    assessed: a currency typed in lower case), 10 % have a newer draft on top of their
    last saved revision, and 15 % have 2 to 5 saved revisions.

    Examples
    --------
    >>> store = CaseStore("sqlite://")
    >>> _ = seed_cases(store, 2, seed=5, worksheets=["win_win_check", "market_growth"])
    >>> sorted(c.worksheet for c in store.cases())
    ['market_growth', 'win_win_check']
    """
    require(isinstance(count, int) and 0 <= count <= 10_000, "count", count, "be a whole number from 0 to 10,000")
    names = list(worksheets) if worksheets is not None else demo_worksheets()
    require(len(names) > 0, "worksheets", names, "name at least one worksheet")
    samples = {name: read_case(sample_case(options.get(name).sample)).inputs for name in names}
    rng = np.random.default_rng(seed)
    end = (now or datetime.now(UTC)).astimezone(UTC)
    summaries: dict[str, dict[str, Any]] = {}

    def summary(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        key = name + json.dumps(inputs, sort_keys=True)
        if key not in summaries:
            summaries[key] = summarise(name, inputs)
        return summaries[key]

    ids = []
    for k in range(count):
        name = names[k % len(names)]
        inputs, partners = vary_inputs(name, samples[name], rng)
        title = _title(name, partners, rng)
        author = str(rng.choice(AUTHORS))
        kind = rng.random()
        n_saved = int(rng.integers(2, 6)) if kind < 0.15 else 1
        age = float(rng.uniform(1, 180))  # days since the case was started
        times = sorted(end - timedelta(days=float(d)) for d in rng.uniform(0, age, n_saved + 1))
        revisions: list[dict[str, Any]] = []
        for r in range(n_saved):
            if r and rng.random() < 0.7:  # a later revision: new estimates (else only a new title)
                inputs = vary_inputs(name, inputs, rng, size_sigma=0.15, spread_sigma=0.1, rename=False)[0]
            revisions.append(
                {
                    "inputs": inputs,
                    "summary": summary(name, inputs),
                    "title": title if r == n_saved - 1 or rng.random() < 0.7 else title + " (draft figures)",
                    "notes": str(rng.choice(_NOTES)),
                    "author": author if rng.random() < 0.8 else str(rng.choice(AUTHORS)),
                    "saved_at": times[r],
                    "draft": False,
                    "base": r or None,
                }
            )
        if 0.15 <= kind < 0.33:  # a draft-only case (below 0.23), or a newer draft on a saved revision
            draft = copy.deepcopy(inputs)
            if rng.random() < 0.5:
                draft["currency"] = str(draft.get("currency", "EUR")).lower()  # mid-edit: not valid yet
            rev = {**revisions[-1], "inputs": draft, "summary": summary(name, draft), "draft": True}
            rev["saved_at"] = times[-1]
            if kind < 0.23:
                revisions = [rev | {"base": None}]
            else:
                revisions.append(rev | {"base": len(revisions)})
        ids.append(store.add_case(name, revisions, created_at=times[0]).case_id)
        if progress is not None:
            progress(k + 1, count)
    return ids
