"""Three-point estimates and the seeded Monte Carlo draws made from them.

A strategist rarely knows a payoff exactly but can usually say what is
pessimistic, most likely and optimistic. A :class:`Range` holds those three
points; :func:`draw` turns it into samples from the beta-PERT distribution,
the standard choice for expert three-point estimates.

The beta-PERT distribution on ``[low, high]`` with mode ``likely`` is a beta
distribution with shape parameters

    alpha = 1 + 4 (likely - low) / (high - low)
    beta  = 1 + 4 (high - likely) / (high - low)

so that its mean is ``(low + 4 likely + high) / 6``.

References
----------
.. [Malcolm1959] Malcolm, D. G., Roseboom, J. H., Clark, C. E. and Fazar, W.
   (1959). "Application of a technique for research and development program
   evaluation". *Operations Research* 7(5), 646-669.
.. [Vose2008] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed.,
   Wiley, section 9.1.4 "PERT distribution".
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass

import numpy as np

from coopkit.errors import InputError, require

__all__ = ["Range", "Sample", "Estimate", "as_range", "as_numbers", "draw", "likely", "pert_mean"]


@dataclass(frozen=True)
class Range:
    """A three-point estimate: pessimistic, most likely and optimistic value.

    Parameters
    ----------
    low, likely, high : float
        Same unit as the quantity estimated; ``low <= likely <= high``.
    field : str, optional
        Name used in error messages.

    Examples
    --------
    >>> Range(80, 100, 150).mean
    105.0
    >>> Range(10, 5, 20)
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: value must be a range with low <= likely <= high, got (10, 5, 20)
    """

    low: float
    likely: float
    high: float
    field: str = "value"

    def __post_init__(self) -> None:
        points = (self.low, self.likely, self.high)
        for point in points:
            require(
                is_number(point) and math.isfinite(point),
                self.field,
                points,
                "be a range of three finite numbers",
            )
        for name, point in zip(("low", "likely", "high"), points, strict=True):
            if not isinstance(point, (int, float)):
                object.__setattr__(self, name, point.item() if hasattr(point, "item") else float(point))
        require(
            self.low <= self.likely <= self.high,
            self.field,
            points,
            "be a range with low <= likely <= high",
        )
        require(
            math.isfinite(self.high - self.low),
            self.field,
            points,
            f"be a range narrower than {_MAX_WIDTH:.3g} (high - low must be a finite number)",
        )

    @property
    def mean(self) -> float:
        """Mean of the beta-PERT distribution, ``(low + 4 likely + high) / 6``."""
        return pert_mean(self.low, self.likely, self.high)

    @property
    def is_point(self) -> bool:
        """True when the range has no width (low == high)."""
        return self.low == self.high


_MAX_WIDTH = 1.7976931348623157e308


@dataclass(frozen=True, eq=False)
class Sample(Range):
    """An estimate known by Monte Carlo draws from another model: :func:`draw` resamples them.

    ``low`` and ``high`` are the smallest and largest draw, ``likely`` the
    value at the most likely inputs of that model. Use it to pass one
    framework's uncertain output into another's Monte Carlo without cutting
    its tails (a Range would redraw it as a beta-PERT between two points).

    Examples
    --------
    >>> s = Sample.of(np.array([1.0, 2.0, 9.0]), likely=2.0)
    >>> s.low, s.likely, s.high
    (1.0, 2.0, 9.0)
    >>> sorted(set(draw(s, 100, np.random.default_rng(0)).tolist()))
    [1.0, 2.0, 9.0]
    """

    values: np.ndarray = None  # type: ignore[assignment]

    @classmethod
    def of(cls, values, likely: float, field: str = "value") -> Sample:
        """A Sample of ``values`` (finite numbers) whose most likely value is ``likely``."""
        array = as_numbers(values, field, "be a list of finite numbers").ravel()
        require(array.size >= 1 and bool(np.all(np.isfinite(array))), field, values, "be a list of finite numbers")
        low, high = float(array.min()), float(array.max())
        return cls(min(low, likely), likely, max(high, likely), field, array)

    @property
    def mean(self) -> float:
        """Mean of the draws."""
        return float(self.values.mean())


def is_number(x) -> bool:
    """True for a real number (Python or numpy), False for booleans and everything else.

    Examples
    --------
    >>> is_number(3), is_number(np.float32(2.5)), is_number(True), is_number("3")
    (True, True, False, False)
    """
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def as_numbers(value, field: str, rule: str) -> np.ndarray:
    """A number or an array of numbers as a float array; InputError for booleans, text and other objects.

    ``rule`` completes the message, e.g. ``"be a share between 0 and 1"``.

    Examples
    --------
    >>> as_numbers([0.2, 0.5], "share", "be a share").tolist()
    [0.2, 0.5]
    >>> as_numbers(True, "share", "be a share between 0 and 1")
    Traceback (most recent call last):
    ...
    coopkit.errors.InputError: share must be a share between 0 and 1, got True
    """
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise InputError(field, value, rule)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise InputError(field, value, rule) from None
    if array.dtype.kind not in "iuf":
        raise InputError(field, value, rule)
    return array.astype(float)


Estimate = float | int | Range
"""A number known exactly, or a :class:`Range`."""


def pert_mean(low: float, likely: float, high: float) -> float:
    """Mean of a beta-PERT distribution, same unit as the points.

    Examples
    --------
    >>> pert_mean(0, 3, 12)
    4.0
    """
    return (low + 4.0 * likely + high) / 6.0


def as_range(value: Estimate | tuple[float, float, float], field: str = "value") -> Range:
    """Coerce a number, a ``(low, likely, high)`` tuple or a Range to a Range.

    Examples
    --------
    >>> as_range(5.0)
    Range(low=5.0, likely=5.0, high=5.0, field='value')
    >>> as_range((1, 2, 4), "partnership_value").high
    4
    """
    if isinstance(value, Range):
        if value.field == field:
            return value
        return dataclasses.replace(value, field=field)  # keeps a Sample a Sample
    if isinstance(value, (tuple, list)):
        require(len(value) == 3, field, value, "be a number or a (low, likely, high) triple")
        return Range(*value, field=field)
    if is_number(value):
        return Range(float(value), float(value), float(value), field)
    raise InputError(field, value, "be a number or a (low, likely, high) triple")


def likely(value: Estimate) -> float:
    """The most likely value of an estimate (the number itself for a point).

    Examples
    --------
    >>> likely(Range(1, 2, 3)), likely(7), likely((1, 2, 3))
    (2, 7.0, 2)
    """
    if isinstance(value, Range):
        return value.likely
    if is_number(value):
        return float(value)
    return as_range(value).likely


def draw(value: Estimate, size: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``size`` samples of an estimate from its beta-PERT distribution.

    A point estimate (a number, or a Range with ``low == high``) gives a
    constant array, so exact inputs pass through a Monte Carlo unchanged.

    Parameters
    ----------
    value : float or Range
        The estimate, in its own unit.
    size : int
        Number of draws, at least 1.
    rng : numpy.random.Generator
        The seeded generator to draw from (see ``numpy.random.default_rng``).

    Returns
    -------
    numpy.ndarray
        ``size`` samples, same unit as ``value``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> samples = draw(Range(80, 100, 150), 200_000, rng)
    >>> round(float(samples.mean()), 1)
    105.0
    >>> bool(samples.min() >= 80 and samples.max() <= 150)
    True
    """
    require(
        isinstance(size, (int, np.integer)) and not isinstance(size, bool) and size >= 1,
        "draws",
        size,
        "be a whole number >= 1",
    )
    r = as_range(value)
    if isinstance(r, Sample):
        return rng.choice(r.values, size=int(size), replace=True)
    if r.is_point:
        return np.full(int(size), float(r.likely))
    width = r.high - r.low
    alpha = 1.0 + 4.0 * (r.likely - r.low) / width
    beta = 1.0 + 4.0 * (r.high - r.likely) / width
    return r.low + width * rng.beta(alpha, beta, size=int(size))
