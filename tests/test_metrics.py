"""KPI definitions as the sources state them (docs/sources.md): a wrong one misleads reports."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccosim import metrics


def test_retention_over_the_starting_cohort_only():
    start = np.array([100.0, 100.0, 0.0, 200.0])  # slot 2 did not exist at the start
    end = np.array([150.0, 0.0, 500.0, 180.0])  # slot 2 is a new account: ignored
    assert metrics.nrr(start, end) == (150 + 0 + 180) / 400
    assert metrics.grr(start, end) == (100 + 0 + 180) / 400  # expansion never offsets losses
    assert metrics.logo_retention(start, end) == 2 / 3


def test_grr_is_capped_at_one_and_ignores_expansion():
    start = np.array([100.0, 100.0])
    end = np.array([300.0, 100.0])
    assert metrics.grr(start, end) == 1.0
    assert metrics.nrr(start, end) == 2.0


def test_seed_004_revenue_can_double_with_half_the_logos():
    start = np.array([100.0, 100.0])
    end = np.array([400.0, 0.0])
    assert metrics.nrr(start, end) == 2.0
    assert metrics.logo_retention(start, end) == 0.5


def test_unit_economics():
    assert metrics.ltv(10_000, 0.8, 0.1) == 80_000  # revenue x margin / churn
    assert metrics.cac(1_000_000, 100) == 10_000
    assert metrics.ltv_to_cac(30_000, 10_000) == 3.0
    assert metrics.cac_payback_months(12_000, 12_000, 1.0) == 12.0
    assert metrics.gross_margin(100.0, 20.0) == 0.8
    assert math.isnan(metrics.ltv(10_000, 0.8, 0.0))  # no churn: undefined, not infinite
    assert math.isnan(metrics.cac(1.0, 0))


def test_health_bands_are_gainsight_by_default():
    score = np.array([0, 50, 50.5, 75, 76, 100.0])
    red, yellow, green = metrics.health_band_shares(score)
    assert (red, yellow, green) == pytest.approx((2 / 6, 2 / 6, 2 / 6))
