"""Cells a spreadsheet shows as text: the one guard against formula (CSV) injection.

A spreadsheet program runs a cell whose text starts with ``=``, ``+``, ``-``
or ``@`` as a formula, and a leading tab or carriage return can smuggle one
past a check. A partner called ``=HYPERLINK("http://x.example","click")`` in
an exported file would then run when the file is opened. OWASP's advice is
to prefix such a cell with a single quote, so that it is shown as text
[OWASP-CSV]_. Some programs trim leading spaces when they import text, so
a formula character after leading white space is neutralised as well.

Every export (the overlap and win/loss CSV files, the Excel workbook of a
case) calls :func:`safe_cell`; this module sits at the lowest layer so that
frameworks and reports share one implementation.

References
----------
.. [OWASP-CSV] OWASP Foundation, "CSV Injection",
   https://owasp.org/www-community/attacks/CSV_Injection (accessed 2025).
"""

from __future__ import annotations

import datetime as dt
import numbers

import numpy as np

__all__ = ["FORMULA_START", "safe_cell"]

#: Characters that make a spreadsheet read a cell as a formula (or hide one after them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value made safe to put in a spreadsheet cell: formula-like text gets a leading single quote.

    Text is neutralised when it starts with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return, also after leading white space (``" =1"``): the
    result is the text with ``'`` in front, so the whole original text is kept
    and shown. Numbers (including numpy numbers and booleans), dates and
    ``None`` pass through unchanged, so a negative amount stays a number.
    Anything else is turned into text first and then checked.

    Parameters
    ----------
    value : str, number, bool, date, datetime, None or any object
        The cell's content.

    Returns
    -------
    str, number, bool, date, datetime or None
        The same value, or text that a spreadsheet will not run.

    Examples
    --------
    >>> safe_cell("=1+1"), safe_cell(" =1"), safe_cell("\\t=1"), safe_cell("@SUM(A1)")
    ("'=1+1", "' =1", "'\\t=1", "'@SUM(A1)")
    >>> safe_cell("-2+3"), safe_cell("Acme & Co"), safe_cell("")
    ("'-2+3", 'Acme & Co', '')
    >>> safe_cell(-5), safe_cell(-2.5), safe_cell(None), safe_cell(True)
    (-5, -2.5, None, True)

    References
    ----------
    .. [1] OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
    """
    if value is None or isinstance(value, numbers.Number | np.bool_ | np.number | dt.date | dt.time):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START):
        return "'" + text
    return text
