"""The sales-team coopetition workbook: compete hard, collaborate wisely.

Worksheets for a sales leader whose reps compete with each other and with
rival firms they also work with: win/loss review, team culture check,
knowledge sharing and mentoring, deal review, reward design, and competing
with competitors we also work with. Each module registers its worksheet
(``kind="sales"``) like the partnering options; importing this package
imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
