"""Intervals and paired differences across replications.

Student-t intervals need a t quantile. Rather than depend on SciPy for one function, the
two-sided t probability for an integer number of degrees of freedom is computed from its
exact finite series (Abramowitz and Stegun 26.7.3 and 26.7.4) and inverted by bisection;
replication counts are always integers, so this is exact, not an approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "PairedDelta", "mean_interval", "paired_delta", "t_quantile", "t_two_sided"]


def t_two_sided(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with integer ``df`` >= 1 degrees of freedom."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    theta = math.atan(abs(t) / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2 == 1:
        total, term = 0.0, 1.0
        for k in range(1, (df - 1) // 2 + 1):
            if k > 1:
                term *= (2 * (k - 1)) / (2 * (k - 1) + 1) * c2
            total += term
        series = math.sin(theta) * math.cos(theta) * total if df > 1 else 0.0
        return 2 / math.pi * (theta + series)
    total, term = 1.0, 1.0
    for k in range(1, df // 2):
        term *= (2 * k - 1) / (2 * k) * c2
        total += term
    return math.sin(theta) * total


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile (0.5 < p < 1) of Student's t with integer ``df`` degrees of freedom."""
    if not 0.5 < p < 1:
        raise ValueError("p must lie strictly between 0.5 and 1")
    target = 2 * p - 1
    lo, hi = 0.0, 1.0
    while t_two_sided(hi, df) < target:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_two_sided(mid, df) < target else (lo, mid)
    return (lo + hi) / 2


@dataclass(frozen=True)
class Interval:
    """Mean and two-sided confidence interval along the replication axis."""

    mean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    n: int


def mean_interval(samples: np.ndarray, confidence: float = 0.95) -> Interval:
    """Mean over axis 0 (replications) with a Student-t interval; zero width for one run."""
    samples = np.asarray(samples, dtype=float)
    n = samples.shape[0]
    mean = samples.mean(axis=0)
    if n < 2:
        return Interval(mean, mean.copy(), mean.copy(), n)
    half = t_quantile(0.5 + confidence / 2, n - 1) * samples.std(axis=0, ddof=1) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


@dataclass(frozen=True)
class PairedDelta:
    """A design minus the baseline, replication by replication (common random numbers).

    Attributes:
        mean, lo, hi: Mean paired difference and its confidence interval.
        share_better: Share of replications in which the design did better than the
            baseline: the estimated probability that, in one simulated future, it wins.
    """

    mean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    share_better: np.ndarray
    n: int


def paired_delta(
    baseline: np.ndarray,
    design: np.ndarray,
    *,
    higher_is_better: bool = True,
    confidence: float = 0.95,
) -> PairedDelta:
    """Paired difference ``design - baseline`` over replications (axis 0).

    Both arrays must come from runs with the same seeds, replication ``i`` of one paired
    with replication ``i`` of the other; that pairing is what removes the shared luck.
    """
    baseline = np.asarray(baseline, dtype=float)
    design = np.asarray(design, dtype=float)
    if baseline.shape != design.shape:
        raise ValueError(f"shapes differ: {baseline.shape} vs {design.shape}")
    diff = design - baseline
    interval = mean_interval(diff, confidence)
    better = diff > 0 if higher_is_better else diff < 0
    return PairedDelta(interval.mean, interval.lo, interval.hi, better.mean(axis=0), interval.n)
