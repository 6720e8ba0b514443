"""Discounting: factors by month, NPV over the last axis."""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.money import discount_factors, npv


def test_discount_factors_compound_monthly_from_month_zero():
    f = discount_factors(13, 0.12)
    assert f[0] == 1.0
    assert f[1] == pytest.approx(1 / 1.01)
    assert f[12] == pytest.approx(1.01**-12)
    assert np.all(np.diff(f) < 0)
    assert np.array_equal(discount_factors(5, 0.0), np.ones(5))
    assert discount_factors(0, 0.1).shape == (0,)


def test_npv_is_below_the_plain_sum_of_late_gains_and_works_over_the_last_axis():
    flows = np.array([[-100.0, 0.0, 0.0, 150.0], [10.0, 10.0, 10.0, 10.0]])
    value = npv(flows, 0.10)
    assert value.shape == (2,)
    assert value[0] == pytest.approx(-100 + 150 / (1 + 0.1 / 12) ** 3)
    assert np.all(value < flows.sum(axis=1))
    assert npv(flows[0], 0.0) == pytest.approx(50.0)
    with pytest.raises(ValueError):
        discount_factors(-1, 0.1)
