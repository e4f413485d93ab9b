"""Worksheets in one shape: ``Inputs`` model -> ``assess()`` -> ``Assessment``, in a registry.

:data:`MODULES` maps each worksheet's name to the module that defines it;
:func:`get` imports that module (which registers its ``SHEET``) the first time
the worksheet is asked for, so a served worksheet loads its own libraries and
not every other worksheet's (the helping network's SciPy and networkx, for
instance). A new option is a new module here plus its line in :data:`MODULES`
(and, for its own result panel, a module in :mod:`coopkit.report.option_views`);
``tests/unit/options/test_base.py`` checks that the map and the modules agree.

>>> from coopkit import options
>>> options.get("win_win_check").title
'Win-win check'
"""

from __future__ import annotations

import importlib

from coopkit.errors import InputError
from coopkit.options.base import Assessment, Worksheet, registry, validate

__all__ = ["MODULES", "Assessment", "Worksheet", "get", "load_all", "names", "validate"]

#: Worksheet name -> the module that registers it.
MODULES: dict[str, str] = {
    "charitable_cause": "coopkit.options.charitable_cause",
    "cross_upsell": "coopkit.options.cross_upsell",
    "joint_purchasing": "coopkit.options.joint_purchasing",
    "market_growth": "coopkit.options.market_growth",
    "new_market": "coopkit.options.new_market",
    "referrals": "coopkit.options.referrals",
    "reputation_risk": "coopkit.options.reputation_risk",
    "sales_culture": "coopkit.options.sales.culture",
    "sales_deal_review": "coopkit.options.sales.deal_review",
    "sales_mentoring": "coopkit.options.sales.mentoring",
    "sales_rewards": "coopkit.options.sales.rewards",
    "sales_rivals": "coopkit.options.sales.rivals",
    "sales_win_loss": "coopkit.options.sales.win_loss",
    "win_win_check": "coopkit.options.win_win",
}


def names() -> list[str]:
    """Names of all worksheets: the built-in ones and any registered since, sorted.

    >>> names()[:2]
    ['charitable_cause', 'cross_upsell']
    """
    return sorted(set(MODULES) | set(registry()))


def get(name: str) -> Worksheet:
    """The worksheet called ``name``, importing its module on first use; InputError naming the choices otherwise.

    >>> get("sales_rivals").kind
    'sales'
    """
    sheets = registry()
    if name not in sheets and isinstance(name, str) and name in MODULES:
        importlib.import_module(MODULES[name])
        sheets = registry()
    if name not in sheets:
        raise InputError("worksheet", name, f"be one of {', '.join(names())}")
    return sheets[name]


def load_all() -> dict[str, Worksheet]:
    """Import every worksheet module and return the whole registry by name (what a listing of every option needs).

    >>> sorted(load_all()) == names()
    True
    """
    for module in MODULES.values():
        importlib.import_module(module)
    return registry()
