"""Safe exports: spreadsheet cells that never run as formulas.

The guard itself lives in :mod:`coopkit.frameworks.safety`, the lowest layer,
so that the frameworks' CSV files (account overlap, win/loss tables) and the
reports' Excel workbook share one implementation; this module is where the
report layer takes it from.

>>> safe_cell("=1+1"), safe_cell(-5)
("'=1+1", -5)
"""

from __future__ import annotations

from coopkit.frameworks.safety import FORMULA_START, safe_cell

__all__ = ["FORMULA_START", "safe_cell"]
