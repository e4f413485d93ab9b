"""Findings: the plain-language sentences every verdict comes with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Finding", "Level"]

Level = Literal["good", "caution", "bad", "info"]


@dataclass(frozen=True)
class Finding:
    """One sentence a CEO understands, and how it reads for the deal.

    Examples
    --------
    >>> Finding("good", "Every party gains.").text
    'Every party gains.'
    """

    level: Level
    text: str

    def __str__(self) -> str:
        return self.text
