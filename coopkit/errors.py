"""The one exception family of coopkit.

Every check of user input in coopkit raises :class:`InputError`, a
:class:`ValueError` whose message names the field, the value given and what is
allowed, so that a worksheet can show it next to the field it belongs to and a
script can catch it with ``except ValueError``.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["InputError", "require", "show_value"]


def show_value(value: Any) -> str:
    """Short, readable rendering of an offending value for a message (long values cut at 80 characters, paths whole).

    >>> show_value("x" * 100)[-5:], len(show_value("x" * 100))
    ('xx...', 80)
    >>> from pathlib import Path
    >>> show_value(Path("/srv") / ("y" * 90))[-4:]
    "yyy'"
    """
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # numpy scalar -> Python number, so messages read "0", not "np.int64(0)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, os.PathLike):
        return repr(os.fspath(value))  # a path is shown whole: it says where to look
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class InputError(ValueError):
    """Bad input, with the field it concerns, the value given and the rule broken.

    Parameters
    ----------
    field : str
        Name of the field in the strategist's language, e.g. ``"revenue_share"``
        or ``"standalone_payoff[B]"``.
    value : object
        The value that was given.
    rule : str
        What is allowed, phrased to complete "field must ...", e.g.
        ``"be between 0 and 1"``.
    message : str, optional
        A complete message to use instead of the generated one (for messages
        already worded by a form's validation).

    Examples
    --------
    >>> err = InputError("revenue_share", 1.4, "be between 0 and 1")
    >>> str(err)
    'revenue_share must be between 0 and 1, got 1.4'
    >>> err.field
    'revenue_share'
    """

    def __init__(self, field: str, value: Any, rule: str, *, message: str | None = None) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(message or f"{field} must {rule}, got {show_value(value)}")

    def __reduce__(self):
        # Rebuild from the fields (not from args) so the error survives pickling and copying,
        # e.g. when it is raised in a worker process.
        return (_rebuild, (type(self), self.field, self.value, self.rule, str(self)))


def _rebuild(cls: type, field: str, value: Any, rule: str, message: str) -> InputError:
    return cls(field, value, rule, message=message)


def require(condition: bool, field: str, value: Any, rule: str) -> None:
    """Raise :class:`InputError` unless ``condition`` holds.

    Examples
    --------
    >>> require(0 <= 0.3 <= 1, "revenue_share", 0.3, "be between 0 and 1")
    >>> require(0 <= 1.4 <= 1, "revenue_share", 1.4, "be between 0 and 1")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: revenue_share must be between 0 and 1, got 1.4
    """
    if not condition:
        raise InputError(field, value, rule)
