"""Worksheets in one shape: ``Inputs`` model -> ``assess()`` -> ``Assessment``, in a registry.

Importing this package imports every module in it, and each worksheet module
registers its ``SHEET``; :func:`get` finds one by name. A new option is a new
module here (and, for its own result panel, one in :mod:`coopkit.report.option_views`).

>>> from coopkit import options
>>> options.get("win_win_check").title
'Win-win check'
"""

from __future__ import annotations

import importlib
import pkgutil

from coopkit.errors import InputError
from coopkit.options.base import Assessment, Worksheet, registry, validate

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")  # each worksheet module registers its SHEET

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
