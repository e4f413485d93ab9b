"""coopkit: a coopetition strategy workbook.

The package holds the maths; the worksheets in ``notebooks/`` only call it.

* :mod:`coopkit.frameworks` -- pure assessment frameworks (game theory, the
  win-win check, uncertainty).
* :mod:`coopkit.options` -- worksheets' input models and assessments, in one
  shape (``Inputs`` -> ``assess()`` -> ``Assessment``) with a registry.
* :mod:`coopkit.report` -- charts and formatted tables.
* :mod:`coopkit.ui` -- ipywidgets worksheets generated from the input models.
* :mod:`coopkit.store` -- saved cases (JSON files for now).

>>> from coopkit.frameworks import winwin
>>> winwin.check(["A", "B"], [20, 40], 100, split_rule="nash").win_win
True
"""

from coopkit.errors import InputError

__all__ = ["InputError", "__version__"]
__version__ = "0.1.0"
