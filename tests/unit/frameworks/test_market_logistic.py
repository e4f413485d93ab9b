"""Share paths: the logistic curve and its fit, the Bass curve fitted to levels.

Known answers first (the curves written out again by hand; fits that recover the parameters of a noiseless
series; the Amazon worked example the reference notebook shows), then properties, then bad input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import market
from coopkit.frameworks.market import CurveFit, bass_share, fit_bass_path, fit_logistic, logistic_share
from coopkit.store import reference


def logistic_by_hand(t: float, ceiling: float, rate: float, midpoint: float) -> float:
    """The logistic curve of [Griliches1957]_, written out again with the math module."""
    return ceiling / (1 + math.exp(-rate * (t - midpoint)))


# --------------------------------------------------------------------------- known answers
def test_the_new_names_are_exported():
    assert set(market.__all__) >= {"CurveFit", "logistic_share", "fit_logistic", "fit_bass_path"}


@pytest.mark.parametrize(
    ("t", "ceiling", "rate", "midpoint"),
    [(2008, 0.6, 0.2, 2008), (2018, 0.6, 0.2, 2008), (0, 1.0, 1.5, 3), (9, 5, 0.7, 2)],
)
def test_logistic_share_is_the_closed_form(t, ceiling, rate, midpoint):
    assert logistic_share(t, ceiling, rate, midpoint) == pytest.approx(logistic_by_hand(t, ceiling, rate, midpoint))
    assert isinstance(logistic_share(t, ceiling, rate, midpoint), float)


def test_logistic_share_is_half_the_ceiling_at_the_midpoint_and_vectorised():
    assert logistic_share(2005.0, 0.8, 0.3, 2005.0) == pytest.approx(0.4)
    values = logistic_share(np.array([1990.0, 2005.0, 2100.0]), 0.8, 0.3, 2005.0)
    assert values.shape == (3,)
    assert values[0] < 0.01 and values[2] == pytest.approx(0.8)


def test_fit_logistic_recovers_a_noiseless_curve():
    years = np.arange(1995, 2015)
    fit = fit_logistic(logistic_share(years, 0.65, 0.35, 2006.5), years)
    assert isinstance(fit, CurveFit) and fit.model == "logistic"
    assert fit.params == pytest.approx({"ceiling": 0.65, "rate": 0.35, "midpoint": 2006.5}, rel=1e-6)
    assert fit.r2 == pytest.approx(1.0) and fit.rmse < 1e-8
    assert fit.at_bound == ()
    assert fit.ceiling == pytest.approx(0.65)
    assert fit.predict([2006.5]).tolist() == pytest.approx([0.325])


def test_fit_logistic_default_times_count_periods_from_one():
    fit = fit_logistic(logistic_share(np.arange(1, 13), 100.0, 0.9, 6.0))
    assert fit.times.tolist() == list(range(1, 13))
    assert fit.params["midpoint"] == pytest.approx(6.0, rel=1e-6)


def test_fit_bass_path_recovers_a_noiseless_curve():
    years = np.arange(2001, 2016)
    fit = fit_bass_path(0.7 * bass_share(years - 2000, 0.03, 0.5), years, launch=2000)
    assert fit.model == "bass" and fit.launch == 2000
    assert fit.params == pytest.approx({"p": 0.03, "q": 0.5, "m": 0.7}, rel=1e-5)
    assert fit.ceiling == pytest.approx(0.7, rel=1e-5)
    assert fit.predict([2000.0]).tolist() == pytest.approx([0.0], abs=1e-12)


def test_fit_bass_path_launches_one_period_before_the_first_by_default():
    fit = fit_bass_path(0.5 * bass_share(np.arange(1, 11), 0.05, 0.4))
    assert fit.launch == 0.0
    assert fit.params["m"] == pytest.approx(0.5, rel=1e-5)


def test_amazon_third_party_share_fits_as_the_reference_notebook_shows():
    shares = reference.load_amazon().shares["third_party_share"]
    logistic = fit_logistic(shares, shares.index, ceiling_max=1.0)
    assert round(logistic.params["ceiling"], 4) == 0.6588
    assert round(logistic.params["rate"], 4) == 0.1943
    assert round(logistic.params["midpoint"], 4) == 2008.5975
    assert round(logistic.std_errors["ceiling"], 4) == 0.0783
    assert round(100 * logistic.rmse, 1) == 3.8 and logistic.at_bound == ()
    bass = fit_bass_path(shares, shares.index, launch=1998, ceiling_max=1.0)
    assert bass.at_bound == ("m",) and bass.params["m"] == pytest.approx(1.0)
    assert math.isnan(bass.std_errors["m"])
    assert (round(bass.params["p"], 4), round(bass.params["q"], 4)) == (0.0362, 0.0187)
    assert round(100 * bass.rmse, 1) == 2.9
    assert [round(x, 2) for x in (*logistic.predict([2023]), *bass.predict([2023]))] == [0.62, 0.66]


def test_table_lists_each_parameter_with_its_standard_error():
    years = np.arange(2000, 2012)
    table = fit_logistic(logistic_share(years, 0.6, 0.5, 2005.0), years).table()
    assert table.index.tolist() == ["ceiling", "rate", "midpoint"]
    assert table.columns.tolist() == ["estimate", "std_error"]


# --------------------------------------------------------------------------- properties
@given(
    ceiling=st.floats(0.05, 1.0),
    rate=st.floats(0.05, 3.0),
    midpoint=st.floats(-20, 20),
    t=st.lists(st.floats(-50, 50), min_size=2, max_size=8),
)
def test_logistic_share_stays_within_the_ceiling_and_rises(ceiling, rate, midpoint, t):
    times = np.sort(np.asarray(t))
    values = np.asarray(logistic_share(times, ceiling, rate, midpoint))
    assert np.all((values >= 0) & (values <= ceiling))
    assert np.all(np.diff(values) >= 0)


@settings(max_examples=25)  # each example runs 18 least-squares fits
@given(ceiling=st.floats(0.2, 1.0), rate=st.floats(0.2, 1.5), midpoint=st.floats(4, 10))
def test_fit_logistic_reproduces_any_noiseless_curve(ceiling, rate, midpoint):
    t = np.arange(1.0, 15.0)
    fit = fit_logistic(logistic_share(t, ceiling, rate, midpoint), t, ceiling_max=1.0)
    assert fit.rmse <= 1e-3 * ceiling
    assert np.all(fit.fitted <= fit.ceiling + 1e-12)


def test_a_capped_ceiling_is_reported_at_its_bound():
    # A share path still climbing steeply (0.66 by the last period, on its way to 0.9): capped at 0.7, the fit
    # presses against the cap.
    years = np.arange(1, 11)
    fit = fit_logistic(logistic_share(years, 0.9, 0.5, 8.0), years, ceiling_max=0.7)
    assert "ceiling" in fit.at_bound
    assert math.isnan(fit.std_errors["ceiling"])


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("levels", "times", "field"),
    [
        ([0.1, 0.2, 0.3], None, "levels"),  # too few
        ([0.1, -0.2, 0.3, 0.4], None, "levels"),
        ([0.1, float("nan"), 0.3, 0.4], None, "levels"),
        ([0.0, 0.0, 0.0, 0.0], None, "levels"),
        ("0.1, 0.2", None, "levels"),
        ([0.1, 0.2, 0.3, 0.4], [1, 2, 3], "times"),
        ([0.1, 0.2, 0.3, 0.4], [1, 3, 2, 4], "times"),
    ],
)
@pytest.mark.parametrize("fitter", [fit_logistic, fit_bass_path])
def test_bad_series_are_refused(fitter, levels, times, field):
    with pytest.raises(InputError, match=f"^{field} must"):
        fitter(levels, times)


@pytest.mark.parametrize("fitter", [fit_logistic, fit_bass_path])
def test_a_ceiling_below_the_data_is_refused(fitter):
    with pytest.raises(InputError, match="ceiling_max must be at least the highest level"):
        fitter([0.1, 0.3, 0.5, 0.7], ceiling_max=0.6)


def test_a_launch_after_the_first_level_is_refused():
    with pytest.raises(InputError, match="launch must be a time before the first level"):
        fit_bass_path([0.1, 0.2, 0.3, 0.4], [2000, 2001, 2002, 2003], launch=2000)


def test_predicting_a_bass_path_before_its_launch_is_refused():
    fit = fit_bass_path(0.5 * bass_share(np.arange(1, 11), 0.05, 0.4))
    with pytest.raises(InputError, match="times must be at or after the launch"):
        fit.predict([-1.0])


@pytest.mark.parametrize(
    ("args", "field"), [((1, 0.0, 0.2, 0), "ceiling"), ((1, 0.5, -0.2, 0), "rate"), ((True, 0.5, 0.2, 0), "t")]
)
def test_bad_logistic_parameters_are_refused(args, field):
    with pytest.raises(InputError, match=f"^{field} must"):
        logistic_share(*args)
