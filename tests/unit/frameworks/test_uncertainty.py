"""Tests for coopkit.frameworks.uncertainty: three-point ranges and beta-PERT draws.

Known answers first (Malcolm et al. 1959; Vose 2008, sec. 9.1.4), then
hypothesis properties, then bad input.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from coopkit.errors import InputError
from coopkit.frameworks.uncertainty import Range, as_range, draw, likely, pert_mean
from tests.strategies import range_triples


def _pert_shape(low: float, mode: float, high: float) -> tuple[float, float]:
    """Beta-PERT shape parameters (Vose 2008, sec. 9.1.4)."""
    width = high - low
    return 1 + 4 * (mode - low) / width, 1 + 4 * (high - mode) / width


# --------------------------------------------------------------------------- known answers
@pytest.mark.parametrize(
    ("low", "mode", "high", "mean"),
    [
        (0, 3, 12, 4.0),
        (80, 100, 150, 105.0),
        (1, 1, 1, 1.0),
        (-6, 0, 6, 0.0),
        (0, 0, 6, 1.0),
        (0, 6, 6, 5.0),
    ],
)
def test_pert_mean_known_answers(low, mode, high, mean):
    assert pert_mean(low, mode, high) == pytest.approx(mean)
    assert Range(low, mode, high).mean == pytest.approx(mean)


def test_range_keeps_its_points_and_field():
    r = Range(80, 100, 150, field="partnership_value")
    assert (r.low, r.likely, r.high, r.field) == (80, 100, 150, "partnership_value")
    assert Range(1, 2, 3).field == "value"
    assert not r.is_point
    assert Range(5, 5, 5).is_point


def test_range_accepts_edge_modes():
    assert Range(0, 0, 1).likely == 0
    assert Range(0, 1, 1).likely == 1
    assert Range(-2.5, -2.5, -2.5).is_point


def test_range_is_immutable():
    r = Range(1, 2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.low = 0  # type: ignore[misc]


def test_draw_matches_the_documented_example():
    samples = draw(Range(80, 100, 150), 200_000, np.random.default_rng(0))
    assert round(float(samples.mean()), 1) == 105.0
    assert samples.min() >= 80 and samples.max() <= 150


def test_draw_follows_the_beta_pert_distribution():
    low, mode, high = 80, 100, 150
    a, b = _pert_shape(low, mode, high)
    assert (a, b) == pytest.approx((15 / 7, 27 / 7))
    samples = draw(Range(low, mode, high), 20_000, np.random.default_rng(42))
    result = stats.kstest(samples, stats.beta(a, b, loc=low, scale=high - low).cdf)
    assert result.pvalue > 1e-3
    # PERT variance: (mean - low)(high - mean) / 7 when the mode is interior (Vose 2008).
    mean = pert_mean(low, mode, high)
    assert samples.var() == pytest.approx((mean - low) * (high - mean) / 7, rel=0.03)


def test_draw_of_a_point_range_is_constant():
    out = draw(Range(7, 7, 7), 5, np.random.default_rng(0))
    assert out.tolist() == [7.0] * 5
    assert out.dtype == float


@pytest.mark.parametrize("value", [3, 3.0, np.float64(3.0), np.int64(3)])
def test_draw_of_a_number_is_constant(value):
    out = draw(value, 4, np.random.default_rng(0))
    assert out.shape == (4,)
    assert out.tolist() == [3.0] * 4


def test_draw_of_a_tuple_is_treated_as_a_range():
    a = draw((1, 2, 4), 100, np.random.default_rng(3))
    b = draw(Range(1, 2, 4), 100, np.random.default_rng(3))
    assert np.array_equal(a, b)


def test_draw_is_reproducible_for_a_seed_and_differs_across_seeds():
    r = Range(-10, 0, 30)
    first = draw(r, 1000, np.random.default_rng(123))
    again = draw(r, 1000, np.random.default_rng(123))
    other = draw(r, 1000, np.random.default_rng(124))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_draw_advances_the_generator_so_consecutive_draws_differ():
    rng = np.random.default_rng(5)
    assert not np.array_equal(draw(Range(0, 1, 2), 50, rng), draw(Range(0, 1, 2), 50, rng))


def test_draw_accepts_numpy_integer_size():
    assert draw(Range(0, 1, 2), np.int64(3), np.random.default_rng(0)).shape == (3,)


def test_as_range_of_a_number_is_a_point_range_of_floats():
    r = as_range(5)
    assert r == Range(5.0, 5.0, 5.0)
    assert isinstance(r.low, float) and r.is_point
    assert as_range(np.float64(2.5), "cost") == Range(2.5, 2.5, 2.5, "cost")
    assert as_range(np.int64(2)).likely == 2.0


@pytest.mark.parametrize("triple", [(1, 2, 4), [1, 2, 4]])
def test_as_range_of_a_triple(triple):
    r = as_range(triple, "partnership_value")
    assert (r.low, r.likely, r.high, r.field) == (1, 2, 4, "partnership_value")


def test_as_range_returns_a_range_with_the_same_field_unchanged():
    r = Range(1, 2, 3, "cost")
    assert as_range(r, "cost") is r


def test_as_range_renames_a_range_to_the_requested_field():
    r = as_range(Range(1, 2, 3, "cost"), "benefit")
    assert (r.low, r.likely, r.high, r.field) == (1, 2, 3, "benefit")


def test_likely_of_range_and_number():
    assert likely(Range(1, 2, 3)) == 2
    assert likely(7) == 7.0 and isinstance(likely(7), float)
    assert likely(np.float64(1.5)) == 1.5


# --------------------------------------------------------------------------- properties
@given(range_triples())
def test_range_accepts_every_ordered_triple(triple):
    r = Range(*triple)
    assert (r.low, r.likely, r.high) == triple
    assert r.is_point == (triple[0] == triple[2])


@given(range_triples())
def test_pert_mean_lies_in_the_range_and_weights_the_mode_four_times(triple):
    low, mode, high = triple
    m = pert_mean(low, mode, high)
    scale = max(1.0, abs(low), abs(high))
    assert low - 1e-12 * scale <= m <= high + 1e-12 * scale
    assert m == pytest.approx((low + high) / 6 + 2 * mode / 3, rel=1e-12, abs=1e-9)
    assert Range(low, mode, high).mean == m


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_pert_mean_of_a_symmetric_range_is_its_mode(mode, half_width):
    assert pert_mean(mode - half_width, mode, mode + half_width) == pytest.approx(mode, abs=1e-9 * (1 + half_width))


@given(range_triples(), st.integers(0, 2**32 - 1))
def test_draw_stays_within_low_and_high(triple, seed):
    low, _, high = triple
    samples = draw(Range(*triple), 2000, np.random.default_rng(seed))
    assert samples.shape == (2000,)
    assert np.isfinite(samples).all()
    assert samples.min() >= low and samples.max() <= high


@given(range_triples(), st.integers(0, 2**32 - 1))
def test_draw_is_reproducible_for_the_same_seed(triple, seed):
    a = draw(Range(*triple), 50, np.random.default_rng(seed))
    b = draw(Range(*triple), 50, np.random.default_rng(seed))
    assert np.array_equal(a, b)


@settings(max_examples=15)
@given(range_triples(allow_point=False), st.integers(0, 2**32 - 1))
def test_draw_mean_is_close_to_the_pert_mean(triple, seed):
    low, mode, high = triple
    samples = draw(Range(*triple), 200_000, np.random.default_rng(seed))
    # The PERT standard deviation is at most (high - low) / sqrt(28); allow six standard errors.
    tolerance = 6 * (high - low) / math.sqrt(28) / math.sqrt(samples.size)
    assert abs(samples.mean() - pert_mean(low, mode, high)) <= tolerance + 1e-9 * (1 + abs(low) + abs(high))


@given(range_triples(bound=1e3, allow_point=False), st.floats(-1e3, 1e3), st.integers(0, 2**32 - 1))
def test_draw_moves_with_the_range(triple, shift, seed):
    low, mode, high = triple
    base = draw(Range(low, mode, high), 100, np.random.default_rng(seed))
    moved = draw(Range(low + shift, mode + shift, high + shift), 100, np.random.default_rng(seed))
    assert np.allclose(moved, base + shift, rtol=1e-6, atol=1e-6)


@given(st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6)), st.integers(1, 20))
def test_draw_passes_exact_numbers_through_unchanged(value, size):
    assert draw(value, size, np.random.default_rng(0)).tolist() == [float(value)] * size


@given(range_triples())
def test_as_range_of_a_triple_round_trips(triple):
    r = as_range(triple, "x")
    assert (r.low, r.likely, r.high, r.field) == (*triple, "x")
    assert as_range(r, "x") is r
    assert likely(r) == triple[1]


# --------------------------------------------------------------------------- bad input
def test_range_out_of_order_has_the_documented_message():
    with pytest.raises(InputError, match=r"^value must be a range with low <= likely <= high, got \(10, 5, 20\)$"):
        Range(10, 5, 20)


@pytest.mark.parametrize("triple", [(10, 5, 20), (1, 3, 2), (3, 2, 1), (2, 1, 1), (1, 1, 0)])
def test_range_out_of_order_names_the_field(triple):
    with pytest.raises(InputError, match=r"^partnership_value must be a range with low <= likely <= high") as info:
        Range(*triple, field="partnership_value")
    assert info.value.field == "partnership_value"
    assert info.value.value == triple


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_range_rejects_non_finite_points(bad, position):
    points = [1.0, 2.0, 3.0]
    points[position] = bad
    with pytest.raises(InputError, match=r"^cost must be a range of three finite numbers"):
        Range(*points, field="cost")


@pytest.mark.parametrize("bad", ["1", None, [1], complex(1, 0)])
def test_range_rejects_non_numbers(bad):
    with pytest.raises(InputError, match=r"^value must be a range of three finite numbers"):
        Range(bad, 2, 3)


@pytest.mark.parametrize("bad", [(1, 2), (1, 2, 3, 4), [], (1,)])
def test_as_range_rejects_triples_of_the_wrong_length(bad):
    with pytest.raises(InputError, match=r"^cost must be a number or a \(low, likely, high\) triple"):
        as_range(bad, "cost")


@pytest.mark.parametrize("bad", ["5", None, True, False, {"low": 1}, {1, 2, 3}])
def test_as_range_rejects_other_types(bad):
    with pytest.raises(InputError, match=r"^benefit must be a number or a \(low, likely, high\) triple"):
        as_range(bad, "benefit")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_as_range_rejects_non_finite_numbers(bad):
    with pytest.raises(InputError, match=r"^benefit must be a range of three finite numbers"):
        as_range(bad, "benefit")


def test_as_range_of_an_unordered_triple_names_the_field():
    with pytest.raises(InputError, match=r"^benefit must be a range with low <= likely <= high, got \(3, 2, 1\)"):
        as_range((3, 2, 1), "benefit")


@pytest.mark.parametrize("size", [0, -1, 2.0, 2.5, "3", None])
def test_draw_rejects_bad_sizes(size):
    with pytest.raises(InputError, match=r"^draws must be a whole number >= 1"):
        draw(Range(0, 1, 2), size, np.random.default_rng(0))


def test_draw_rejects_bad_values_naming_value():
    with pytest.raises(InputError, match=r"^value must be a range with low <= likely <= high"):
        draw((3, 2, 1), 10, np.random.default_rng(0))
    with pytest.raises(InputError, match=r"^value must be a number or a \(low, likely, high\) triple"):
        draw("3", 10, np.random.default_rng(0))


# --------------------------------------------------------------------------- questionable behaviour
def test_as_range_accepts_a_triple_of_numpy_integers():
    r = as_range((np.int64(1), np.int64(2), np.int64(4)))
    assert (r.low, r.likely, r.high) == (1, 2, 4)


def test_a_range_wider_than_the_float_maximum_is_refused_not_drawn_as_nan():
    # high - low would overflow to inf and every draw would be NaN: refuse the range with a message instead.
    with pytest.raises(InputError, match=r"^value must be a range narrower than"):
        Range(-1e308, 0, 1e308)
    assert np.isfinite(draw(Range(-1e307, 0, 1e307), 10, np.random.default_rng(0))).all()
