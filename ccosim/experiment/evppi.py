"""Value of information from PSA draws: EVPI, and EVPPI by a regression metamodel.

For a decision among designs with net benefit ``NB_d(theta)``:

* **EVPI** = E[max_d NB_d] - max_d E[NB_d]: what knowing every assumption before deciding
  would be worth;
* **EVPPI** of one assumption ``phi`` = E_phi[max_d E[NB_d | phi]] - max_d E[NB_d]: what
  knowing that one assumption would be worth.

The inner conditional expectation is estimated as Strong, Oakley and Brennan (2014) do, by
regressing each design's net benefit (relative to the first design) on ``phi`` across the
draws: the fitted values are ``E[NB_d | phi]`` at every draw, with no nested simulation. The
regression is a penalised cubic B-spline (a P-spline, Eilers and Marx 1996) with the
smoothing chosen by generalised cross-validation among a constant, a near-linear and
increasingly flexible fits; a parameter with few distinct values gets one mean per value. Its
standard error is estimated by resampling the draws (bootstrap) with the chosen smoothing.
A fit that does not explain significantly more than a constant (F-test at 5%, with the fit's
effective degrees of freedom) is replaced by the constant: an assumption that does not move
net benefit gets an EVPPI of exactly zero in 95% of PSAs instead of a small positive value
fitted to noise (the regression method's known upward bias at small N). The price: a real
but weak effect may read as zero when the draws are few.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Evppi", "conditional_means", "evpi", "evppi"]

#: At most this many distinct values: one mean per value instead of a spline.
DISCRETE_LEVELS = 12
#: A fit must beat a constant at this level (F-test) to count as a relation.
SIGNIFICANCE = 0.05
_SEGMENTS = 8
_LAMBDAS = np.logspace(-4, 6, 21)


def evpi(net_benefit: np.ndarray) -> float:
    """Expected value of perfect information on all assumptions (draws x designs)."""
    nb = np.asarray(net_benefit, dtype=float)
    return _nonzero(float(np.mean(nb.max(axis=1)) - nb.mean(axis=0).max()), nb)


def _nonzero(value: float, nb: np.ndarray) -> float:
    """``value``, or 0 when negative or within rounding of the net benefits' size."""
    scale = float(np.abs(nb).max()) if nb.size else 0.0
    return value if value > 1e-9 * scale else 0.0


@dataclass(frozen=True)
class _Fit:
    basis: np.ndarray  # draws x p
    penalty: np.ndarray  # p x p
    lam: float | None  # None: constant only

    def fitted(self, y: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        b = self.basis if rows is None else self.basis[rows]
        if self.lam is None:
            return np.full(b.shape[0], y.mean())
        gram = b.T @ b + self.lam * self.penalty
        coef = np.linalg.lstsq(gram, b.T @ y, rcond=None)[0]
        return b @ coef


def _bspline_basis(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cubic B-splines on the ranks of ``x`` (knots at quantiles) and the P-spline penalty.

    Conditioning on a parameter or on its rank is the same, so the regression runs on
    ``rank / n``: knots fall evenly in probability, whatever the distribution's shape.
    """
    from scipy.interpolate import BSpline
    from scipy.stats import rankdata

    u = (rankdata(x) - 0.5) / x.size
    knots = np.arange(-3, _SEGMENTS + 4) / _SEGMENTS
    basis = BSpline.design_matrix(u, knots, 3, extrapolate=True).toarray()
    diff = np.diff(np.eye(basis.shape[1]), n=2, axis=0)
    return basis, diff.T @ diff


def _choose(x: np.ndarray, y: np.ndarray) -> _Fit:
    """The fit of ``y`` on ``x`` with the smallest generalised cross-validation score."""
    n = len(y)
    centred = y - y.mean()
    best = _Fit(np.ones((n, 1)), np.zeros((1, 1)), None)
    best_score = n * float(centred @ centred) / (n - 1) ** 2
    levels = np.unique(x)
    if levels.size < 2:
        return best
    if levels.size <= DISCRETE_LEVELS:
        basis = (x[:, None] == levels[None, :]).astype(float)
        candidates = [(basis, np.zeros((levels.size, levels.size)), 0.0)]
    else:
        basis, penalty = _bspline_basis(x)
        candidates = [(basis, penalty, float(lam)) for lam in _LAMBDAS]
    chosen: tuple[float, float] | None = None  # (residual sum of squares, effective df)
    for basis, penalty, lam in candidates:
        gram = basis.T @ basis + lam * penalty
        inverse = np.linalg.pinv(gram)
        hat_trace = float(np.trace(inverse @ (basis.T @ basis)))
        if hat_trace >= n - 1:
            continue
        resid = y - basis @ (inverse @ (basis.T @ y))
        rss = float(resid @ resid)
        score = n * rss / (n - hat_trace) ** 2
        if score < best_score:
            best, best_score, chosen = _Fit(basis, penalty, lam), score, (rss, hat_trace)
    if chosen is not None and _not_significant(float(centred @ centred), *chosen, n):
        return _Fit(np.ones((n, 1)), np.zeros((1, 1)), None)
    return best


def _not_significant(rss0: float, rss1: float, edf: float, n: int) -> bool:
    """F-test of the chosen fit against a constant: True when p > SIGNIFICANCE."""
    from scipy.stats import f

    df1, df2 = max(edf - 1.0, 1e-9), n - edf
    if rss1 <= 0:
        return False
    statistic = ((rss0 - rss1) / df1) / (rss1 / df2)
    return bool(f.sf(statistic, df1, df2) > SIGNIFICANCE)


def conditional_means(parameter: np.ndarray, net_benefit: np.ndarray) -> np.ndarray:
    """``E[NB_d | parameter]`` at every draw (draws x designs), by the chosen regressions."""
    x = np.asarray(parameter, dtype=float)
    nb = np.asarray(net_benefit, dtype=float)
    incremental = nb - nb[:, :1]
    fitted = np.zeros_like(nb)
    for d in range(1, nb.shape[1]):
        fitted[:, d] = _choose(x, incremental[:, d]).fitted(incremental[:, d])
    return fitted + nb[:, :1].mean()


@dataclass(frozen=True)
class Evppi:
    """EVPPI of one assumption, its bootstrap standard error, and the fitted conditional means."""

    value: float
    se: float
    conditional: np.ndarray  # draws x designs: E[NB_d | parameter]


def evppi(
    parameter: np.ndarray, net_benefit: np.ndarray, *, bootstrap: int = 200, seed: int = 0
) -> Evppi:
    """EVPPI of ``parameter`` (one value per draw) for ``net_benefit`` (draws x designs).

    Args:
        parameter: The assumption's drawn values.
        net_benefit: Each design's net benefit at each draw (same draws).
        bootstrap: Resamples of the draws for the standard error (0: none).
        seed: Seed of the resampling.

    Returns:
        The estimate (never below 0), its standard error and ``E[NB_d | parameter]``.
    """
    x = np.asarray(parameter, dtype=float)
    nb = np.asarray(net_benefit, dtype=float)
    n, designs = nb.shape
    incremental = nb - nb[:, :1]
    fits = [None, *(_choose(x, incremental[:, d]) for d in range(1, designs))]

    def estimate(rows: np.ndarray | None) -> tuple[float, np.ndarray]:
        fitted = np.zeros((n if rows is None else rows.size, designs))
        for d in range(1, designs):
            y = incremental[:, d] if rows is None else incremental[rows, d]
            fit = fits[d]
            assert fit is not None
            if rows is None:
                fitted[:, d] = fit.fitted(y)
            else:
                fitted[:, d] = _Fit(fit.basis[rows], fit.penalty, fit.lam).fitted(y)
        value = float(np.mean(fitted.max(axis=1)) - fitted.mean(axis=0).max())
        return _nonzero(value, nb), fitted

    value, fitted = estimate(None)
    se = 0.0
    if bootstrap > 0 and any(f is not None and f.lam is not None for f in fits):
        rng = np.random.default_rng(seed)
        values = [estimate(rng.integers(0, n, n))[0] for _ in range(bootstrap)]
        se = float(np.std(values, ddof=1))
    return Evppi(value, se, fitted + nb[:, :1].mean())
