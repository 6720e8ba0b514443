"""Intervals and paired deltas: the numbers behind every '± ' and 'P(better)' in a report."""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.stats import mean_interval, paired_delta, t_quantile, t_two_sided

# Two-sided 95% critical values from standard t tables.
T_TABLE = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    5: 2.571,
    10: 2.228,
    19: 2.093,
    30: 2.042,
    100: 1.984,
    1000: 1.962,
}


@pytest.mark.parametrize(("df", "expected"), sorted(T_TABLE.items()))
def test_t_quantile_matches_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-3)


def test_interval_covers_the_true_mean_about_95_percent_of_the_time():
    # 2,000 intervals of 10 normal draws; coverage is binomial(2000, 0.95): sd ~0.5 points.
    # Bounds at +/- 1.5 points are ~3 sd: false-alarm rate about 0.3% (fixed seed: none).
    rng = np.random.default_rng(11)
    samples = rng.normal(5.0, 2.0, size=(2000, 10))
    covered = 0
    for row in samples:
        interval = mean_interval(row[:, None])
        covered += bool(interval.lo[0] <= 5.0 <= interval.hi[0])
    assert 0.935 <= covered / 2000 <= 0.965


def test_single_run_has_zero_width():
    interval = mean_interval(np.array([[3.0, 4.0]]))
    assert np.array_equal(interval.lo, interval.hi) and interval.n == 1


def test_pairing_removes_shared_luck():
    rng = np.random.default_rng(3)
    luck = rng.normal(0, 10, size=(30, 1))  # common to both designs
    baseline = 100 + luck + rng.normal(0, 0.5, size=(30, 1))
    design = 101 + luck + rng.normal(0, 0.5, size=(30, 1))
    paired = paired_delta(baseline, design)
    unpaired_half = 2.045 * np.sqrt(
        baseline.var(axis=0, ddof=1) / 30 + design.var(axis=0, ddof=1) / 30
    )
    assert paired.lo[0] > 0, "a 1-point lift under 10 points of shared luck must be detected"
    assert (paired.hi[0] - paired.lo[0]) / 2 < unpaired_half[0] / 5
    assert paired.share_better[0] > 0.8


def test_lower_is_better_flips_share_better():
    base = np.array([[10.0], [10.0], [10.0], [10.0]])
    cheaper = np.array([[9.0], [9.5], [11.0], [8.0]])
    assert paired_delta(base, cheaper, higher_is_better=False).share_better[0] == 0.75


def test_shapes_must_match():
    with pytest.raises(ValueError, match="shapes differ"):
        paired_delta(np.zeros((3, 2)), np.zeros((4, 2)))


def test_t_distribution_limits():
    assert t_two_sided(0.0, 4) == 0.0
    assert t_two_sided(1e9, 7) == pytest.approx(1.0)
    assert t_two_sided(1.0, 1) == pytest.approx(0.5)  # Cauchy: P(|T| < 1) = 1/2
