"""Pure assessment frameworks: numbers in, numbers out; no widgets, files or printing.

* :mod:`~coopkit.frameworks.game` -- Shapley value, added value, core, Nash
  bargaining, equilibria, cooperation threshold.
* :mod:`~coopkit.frameworks.winwin` -- the win-win check.
* :mod:`~coopkit.frameworks.uncertainty` -- three-point ranges and seeded draws.
"""
