"""Tests for coopkit.errors: the InputError message format and require()."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError, require


# --------------------------------------------------------------------------- known messages
def test_message_has_field_rule_and_value():
    err = InputError("revenue_share", 1.4, "be between 0 and 1")
    assert str(err) == "revenue_share must be between 0 and 1, got 1.4"


def test_attributes_keep_field_value_and_rule():
    err = InputError("standalone_payoff[B]", -3, "be at least 0")
    assert err.field == "standalone_payoff[B]"
    assert err.value == -3
    assert err.rule == "be at least 0"


def test_is_a_value_error_so_scripts_can_catch_it():
    assert issubclass(InputError, ValueError)
    with pytest.raises(ValueError, match=r"^x must be positive, got 0$"):
        raise InputError("x", 0, "be positive")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.4, "1.4"),
        (0.1 + 0.2, "0.3"),  # floats use the short %g form, not repr
        (1e-12, "1e-12"),
        (2.0, "2"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (np.float64(2.5), "2.5"),  # numpy float64 is a float
        (3, "3"),
        ("abc", "'abc'"),  # strings are quoted, so blanks and empties are visible
        ("", "''"),
        (None, "None"),
        ((10, 5, 20), "(10, 5, 20)"),
        ([1.5, 2], "[1.5, 2]"),
    ],
)
def test_value_rendering(value, shown):
    assert str(InputError("f", value, "be ok")) == f"f must be ok, got {shown}"


def test_long_values_are_cut_to_80_characters():
    value = list(range(100))
    message = str(InputError("players", value, "be short"))
    shown = message.removeprefix("players must be short, got ")
    assert len(shown) == 80
    assert shown.endswith("...")
    assert shown.startswith(repr(value)[:77])


def test_value_of_exactly_80_characters_is_not_cut():
    value = "x" * 78  # repr adds two quotes: 80 characters
    assert str(InputError("f", value, "be ok")).endswith(repr(value))


# --------------------------------------------------------------------------- properties
@given(
    field=st.text(min_size=1, max_size=20),
    rule=st.text(min_size=1, max_size=40),
    value=st.one_of(st.integers(), st.text(max_size=30), st.none(), st.lists(st.integers(), max_size=5)),
)
def test_message_format_is_field_must_rule_got_value(field, rule, value):
    err = InputError(field, value, rule)
    text = repr(value)
    shown = text if len(text) <= 80 else text[:77] + "..."
    assert str(err) == f"{field} must {rule}, got {shown}"
    assert err.args == (str(err),)


@given(st.floats(allow_nan=False))
def test_float_values_use_general_format(value):
    assert str(InputError("f", value, "be ok")) == f"f must be ok, got {value:g}"


# --------------------------------------------------------------------------- require
def test_require_passes_silently_when_condition_holds():
    assert require(True, "revenue_share", 0.3, "be between 0 and 1") is None


def test_require_raises_input_error_when_condition_fails():
    with pytest.raises(InputError, match=r"^revenue_share must be between 0 and 1, got 1\.4$") as info:
        require(0 <= 1.4 <= 1, "revenue_share", 1.4, "be between 0 and 1")
    assert info.value.field == "revenue_share"
    assert info.value.value == 1.4


def test_require_uses_truthiness_of_numpy_booleans():
    require(np.bool_(True), "f", 1, "be ok")
    with pytest.raises(InputError, match=r"^f must be ok"):
        require(np.bool_(False), "f", 1, "be ok")


# --------------------------------------------------------------------------- questionable behaviour
def test_input_error_survives_pickling():
    err = InputError("revenue_share", 1.4, "be between 0 and 1")
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err)
    assert back.field == "revenue_share"
    assert str(copy.copy(err)) == str(err)
