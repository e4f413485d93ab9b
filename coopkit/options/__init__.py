"""Worksheets in one shape: ``Inputs`` model -> ``assess()`` -> ``Assessment``, in a registry.

Importing this package registers every worksheet; :func:`get` finds one by name.

>>> from coopkit import options
>>> options.get("win_win_check").title
'Win-win check'
"""

from __future__ import annotations

from coopkit.errors import InputError
from coopkit.options import market_growth, reputation_risk, win_win  # noqa: F401  (registers the worksheets)
from coopkit.options.base import Assessment, Worksheet, registry, validate

__all__ = ["Assessment", "Worksheet", "get", "names", "validate"]


def names() -> list[str]:
    """Names of all registered worksheets."""
    return sorted(registry())


def get(name: str) -> Worksheet:
    """The registered worksheet called ``name``; InputError naming the choices otherwise."""
    sheets = registry()
    if name not in sheets:
        raise InputError("worksheet", name, f"be one of {', '.join(sorted(sheets))}")
    return sheets[name]
