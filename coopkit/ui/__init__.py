"""Interactive worksheets (ipywidgets) generated from the worksheets' Inputs models.

>>> from coopkit.ui import worksheet   # in a notebook: worksheet("win_win_check")
>>> from coopkit.ui import start_page  # the start page's option picker
"""

from coopkit.ui.worksheet import worksheet

__all__ = ["worksheet", "start_page"]


def __getattr__(name: str):
    # The start page lists every option, so it imports them all: only when it is asked for, not with a worksheet.
    if name == "start_page":
        from coopkit.ui.start import start_page

        return start_page
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
