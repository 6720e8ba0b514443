"""The cheap per-slot draws behave like the distributions the model documents.

Statistical checks use fixed seeds; each bound is set so that a correct implementation
would fail it with probability under 1e-6 (about 5 standard errors).
"""

from __future__ import annotations

import statistics

import numpy as np

from ccosim.sim.draws import (
    NORMAL_LEVELS,
    UINT32_SPAN,
    UNIFORM24,
    normal_draws,
    normal_table,
    uniform_bits,
)
from ccosim.streams import stream


def test_normal_table_is_a_symmetric_unit_normal_grid():
    table = normal_table()
    assert table.size == NORMAL_LEVELS
    assert np.all(np.diff(table) > 0)
    np.testing.assert_allclose(table, -table[::-1])
    assert abs(float(np.mean(table**2)) - 1.0) < 1e-12
    # Mid-quantiles: the median pair straddles 0 and the extremes sit near 4.33 sd.
    assert 4.2 < table[-1] < 4.5


def test_normal_draws_match_the_normal_distribution():
    rng = stream(7, 0, "test-normal")
    n = 200_000
    out = np.empty(n)
    z = normal_draws(rng, n, 2.0, out)
    assert z.base is out or z is out
    # Mean and sd of 200,000 draws: standard errors 0.0045 and 0.0032 (sd 2).
    assert abs(float(z.mean())) < 5 * 2.0 / np.sqrt(n)
    assert abs(float(z.std()) - 2.0) < 5 * 2.0 / np.sqrt(2 * n)
    # Quantiles against the exact normal: Kolmogorov-Smirnov distance below 1.95/sqrt(n)
    # (the 0.1% critical value) at every sample point.
    normal = statistics.NormalDist(0.0, 2.0)
    xs = np.sort(z)[:: n // 2000]
    empirical = (np.arange(xs.size) * (n // 2000) + 1) / n
    exact = np.array([normal.cdf(float(x)) for x in xs])
    assert np.max(np.abs(empirical - exact)) < 1.95 / np.sqrt(n)


def test_normal_draws_are_reproducible_and_aligned_by_slot():
    a = normal_draws(stream(3, 1, "x"), 1000, 1.0, np.empty(1000)).copy()
    b = normal_draws(stream(3, 1, "x"), 1000, 1.0, np.empty(1000))
    np.testing.assert_array_equal(a, b)
    # A longer prefix starts with the same draws: slot i's draw does not depend on n.
    longer = normal_draws(stream(3, 1, "x"), 1200, 1.0, np.empty(1200))
    np.testing.assert_array_equal(a, longer[:1000])


def test_uniform_bits_give_the_asked_success_rate():
    n = 400_000
    u = uniform_bits(stream(11, 0, "test-bits"), n)
    assert u.dtype == np.uint32 and u.size == n
    for p in (0.003, 0.05, 0.5):
        hits = np.count_nonzero(u < p * UINT32_SPAN)
        sd = np.sqrt(n * p * (1 - p))
        assert abs(hits - n * p) < 5 * sd, p
    assert np.count_nonzero(u < 1.0 * UINT32_SPAN) == n
    assert np.count_nonzero(u < 0.0) == 0


def test_renewal_words_are_numpys_float32_uniforms_of_the_same_stream():
    # The book keeps raw 32-bit words and reads them as (w >> 8) * 2^-24; an odd count checks
    # that the second array starts on the high half of a raw word, as numpy's buffer does.
    rng = stream(4, 2, "renewals")
    churn = rng.random((7, 3), dtype=np.float32).ravel()
    change = rng.random((7, 3), dtype=np.float32).ravel()
    words = stream(4, 2, "renewals").bit_generator.random_raw(21).view(np.uint32)
    np.testing.assert_array_equal((words[:21] >> 8) * UNIFORM24, churn)
    np.testing.assert_array_equal((words[21:] >> 8) * UNIFORM24, change)
