"""Interactive worksheets (ipywidgets) generated from the worksheets' Inputs models.

>>> from coopkit.ui import worksheet   # in a notebook: worksheet("win_win_check")
>>> from coopkit.ui import start_page  # the start page's option picker
"""

from coopkit.ui.start import start_page
from coopkit.ui.worksheet import worksheet

__all__ = ["worksheet", "start_page"]
