"""How long a case's texts and inputs may be: shared by the store and the case bar.

A module of its own, without SQLAlchemy, so that a worksheet page can build its case bar before the
database layer is imported (:mod:`coopkit.ui.casebar` opens the store a moment after the page is shown).

>>> MAX_TITLE, MAX_AUTHOR
(200, 100)
"""

from __future__ import annotations

__all__ = ["MAX_TITLE", "MAX_NOTES", "MAX_AUTHOR", "MAX_INPUT_BYTES"]

#: Longest case title, in characters.
MAX_TITLE = 200
#: Longest notes, in characters.
MAX_NOTES = 20_000
#: Longest author name, in characters.
MAX_AUTHOR = 100
#: Largest inputs of one revision, as JSON, in bytes.
MAX_INPUT_BYTES = 5_000_000  # a pasted CRM export is up to 2 MB (see coopkit.ui.forms)
