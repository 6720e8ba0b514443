"""Shifted-beta-geometric (sBG) fits to cohort survival counts.

The model (Fader and Hardie 2007, "How to project customer retention"): every customer has a
fixed annual churn probability ``theta``, spread across customers as ``Beta(a, b)``. Of a
cohort of ``n_0`` customers, the chance that one leaves in period ``t`` and the chance that
one is still active after ``T`` periods are::

    P(T = t)  = B(a + 1, b + t - 1) / B(a, b)
    S(T)      = B(a, b + T) / B(a, b)

and the log-likelihood of the counts lost in each period, plus those still active at the end,
is maximised over ``(log a, log b)`` (scipy's L-BFGS-B). Standard errors come from the inverse
of the numerical Hessian of the negative log-likelihood (the observed information), mapped to
``a`` and ``b`` by the delta method; the 95% intervals are ``exp(log a +- 1.96 se)``. They
cover the sampling randomness of the customers counted, nothing else (not whether the sBG
model is right, nor whether the future resembles the past).

Input: a CSV with ``period,active`` (one cohort), or ``cohort,period,active``, optionally
``segment``; ``period`` 0 is the cohort's start and ``active`` the customers still active at
the end of each period (years). Cohorts of one segment share ``a`` and ``b``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ccosim.errors import CcosimError
from ccosim.io.table_text import TableText, read_table_text, table_from_text

__all__ = [
    "CalibrationError",
    "CohortTable",
    "SbgFit",
    "fit_sbg",
    "fit_sbg_lifetimes",
    "read_cohorts",
]

Z95 = 1.959963984540054


class CalibrationError(CcosimError):
    """Input a calibration cannot use (the message names the file, line and column)."""


@dataclass(frozen=True)
class CohortTable:
    """Cohort survival counts, by segment then cohort.

    Attributes:
        segments: Segment name (``""`` when the file has no segment column) -> cohort name ->
            active counts for periods 0, 1, ..., in period order.
    """

    segments: dict[str, dict[str, list[float]]]


@dataclass(frozen=True)
class SbgFit:
    """A maximum-likelihood sBG fit.

    Attributes:
        alpha: Fitted ``a``.
        beta: Fitted ``b``.
        alpha_se: Standard error of ``alpha`` (delta method).
        beta_se: Standard error of ``beta``.
        alpha_interval: 95% interval of ``alpha`` (customer sampling only).
        beta_interval: 95% interval of ``beta``.
        log_likelihood: Maximised log-likelihood.
        cohorts: Cohort name -> counts used in the fit (periods 0..).
        holdout: Cohort name -> counts held out (the last K periods; empty without holdout).
    """

    alpha: float
    beta: float
    alpha_se: float
    beta_se: float
    alpha_interval: tuple[float, float]
    beta_interval: tuple[float, float]
    log_likelihood: float
    cohorts: dict[str, list[float]]
    holdout: dict[str, list[float]] = field(default_factory=dict)
    mean_churn_se: float = math.nan

    @property
    def mean_churn_interval(self) -> tuple[float, float]:
        """95% interval of the mean first-year churn (delta method; customer sampling only)."""
        m, se = self.mean_churn, self.mean_churn_se
        return (max(0.0, m - Z95 * se), min(1.0, m + Z95 * se))

    @property
    def mean_churn(self) -> float:
        """Mean first-year churn, ``a / (a + b)``."""
        return self.alpha / (self.alpha + self.beta)

    def survival(self, periods: int) -> np.ndarray:
        """Fitted share still active after 0..periods periods."""
        return survival(self.alpha, self.beta, periods)

    def retention(self, periods: int) -> np.ndarray:
        """Fitted retention in periods 1..periods, ``(b + t - 1) / (a + b + t - 1)``."""
        t = np.arange(1, periods + 1)
        return (self.beta + t - 1) / (self.alpha + self.beta + t - 1)

    def holdout_errors(self) -> dict[str, list[float]]:
        """Per held-out cohort: projected minus observed share active, each held-out period."""
        out = {}
        for name, held in self.holdout.items():
            used = self.cohorts[name]
            n0 = used[0]
            s = self.survival(len(used) - 1 + len(held))
            out[name] = [float(s[len(used) + j] - held[j] / n0) for j in range(len(held))]
        return out

    def to_dict(self, project: int = 0) -> dict[str, Any]:
        """Plain JSON-ready data (``alpha``, ``beta``, errors, intervals, fitted vs observed)."""
        cohorts = {}
        for name, used in self.cohorts.items():
            held = self.holdout.get(name, [])
            observed = [*used, *held]
            periods = max(len(observed) - 1, project)
            fitted = self.survival(periods) * observed[0]
            cohorts[name] = {
                "observed": observed,
                "fitted": [float(x) for x in fitted[: len(observed)]],
                "projected": [float(x) for x in fitted],
                "held_out_periods": len(held),
            }
        out: dict[str, Any] = {
            "alpha": self.alpha,
            "beta": self.beta,
            "alpha_se": self.alpha_se,
            "beta_se": self.beta_se,
            "alpha_95": list(self.alpha_interval),
            "beta_95": list(self.beta_interval),
            "mean_churn": self.mean_churn,
            "mean_churn_se": self.mean_churn_se,
            "mean_churn_95": list(self.mean_churn_interval),
            "log_likelihood": self.log_likelihood,
            "interval_covers": "customer sampling in the counts only (not model error)",
            "cohorts": cohorts,
        }
        if self.holdout:
            out["holdout_error"] = self.holdout_errors()
        return out


def survival(alpha: float, beta: float, periods: int) -> np.ndarray:
    """Survival ``B(a, b + t) / B(a, b)`` of an sBG cohort for ``t = 0..periods``."""
    from scipy.special import betaln

    t = np.arange(periods + 1)
    return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))


def _neg_log_likelihood(log_ab: np.ndarray, cohorts: Sequence[Sequence[float]]) -> float:
    from scipy.special import betaln

    a, b = math.exp(log_ab[0]), math.exp(log_ab[1])
    base = betaln(a, b)
    total = 0.0
    for counts in cohorts:
        c = np.asarray(counts, dtype=float)
        n = c.size - 1
        t = np.arange(1, n + 1)
        lost = c[:-1] - c[1:]
        total += float(lost @ (betaln(a + 1, b + t - 1) - base))
        total += float(c[-1] * (betaln(a, b + n) - base))
    return -total


def _hessian(f: Any, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of ``f`` at ``x``."""
    n = x.size
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            out[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h * h
            )
    return out


def fit_sbg(cohorts: dict[str, Sequence[float]], holdout: int = 0) -> SbgFit:
    """Maximum-likelihood sBG fit of ``a`` and ``b`` shared by the given cohorts.

    Args:
        cohorts: Cohort name -> active counts for periods 0, 1, ... (non-increasing).
        holdout: Leave out the last ``holdout`` periods of every cohort (kept for
            :meth:`SbgFit.holdout_errors`).

    Returns:
        The fit.

    Raises:
        CalibrationError: Too few periods left to fit, or counts that rise.
    """
    from scipy.optimize import minimize

    used: dict[str, list[float]] = {}
    held: dict[str, list[float]] = {}
    for name, counts in cohorts.items():
        c = [float(x) for x in counts]
        if holdout:
            if len(c) - holdout < 2:
                raise CalibrationError(
                    f"cohort {name!r}: {len(c) - 1} periods cannot spare {holdout} for the "
                    "holdout (at least one period must remain to fit)"
                )
            used[name], held[name] = c[: len(c) - holdout], c[len(c) - holdout :]
        else:
            used[name] = c
    if not any(len(c) >= 2 for c in used.values()):
        raise CalibrationError("need at least one cohort observed over one period or more")
    data = [c for c in used.values() if len(c) >= 2]
    total_periods = sum(len(c) - 1 for c in data)
    if total_periods < 2:
        raise CalibrationError(
            "two parameters need at least two periods of survival in all (one cohort over "
            "two periods, or two cohorts)"
        )

    def f(x: np.ndarray) -> float:
        return _neg_log_likelihood(x, data)

    best = None
    for start in ((0.0, 0.0), (-1.0, 1.0), (1.0, 2.0)):
        res = minimize(f, np.array(start), method="L-BFGS-B", bounds=[(-9, 9), (-9, 9)])
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    return _fit_result(f, best, used, held)


def fit_sbg_lifetimes(
    lost: np.ndarray, censored: np.ndarray, entered: np.ndarray | None = None
) -> SbgFit:
    """Maximum-likelihood sBG fit from individual lifetimes (an account ledger).

    With ``entered`` (left truncation, delayed entry) each account's likelihood is conditioned
    on having survived to the observation start: ``P(T = t) / S(k)`` for one lost in period
    ``t``, ``S(n) / S(k)`` for one still active after ``n``, where ``k`` is the number of
    periods it had survived when observation began (``S(k) = B(a, b + k) / B(a, b)``).

    Args:
        lost: ``lost[t]`` accounts that left in period ``t`` (index 0 unused).
        censored: ``censored[n]`` accounts still active after ``n`` periods.
        entered: ``entered[k]`` accounts first observed after surviving ``k`` periods
            (default: all observed from their start).

    Returns:
        The fit (``cohorts`` and ``holdout`` empty).

    Raises:
        CalibrationError: Too little data, or a fit that runs to a bound.
    """
    from scipy.optimize import minimize
    from scipy.special import betaln

    lost = np.asarray(lost, dtype=float)
    censored = np.asarray(censored, dtype=float)
    if lost[1:].sum() < 1 or lost.sum() + censored.sum() < 10:
        raise CalibrationError(
            "too few accounts to fit churn by tenure: need at least 10, some of them churned"
        )
    t_lost = np.arange(lost.size)
    t_cens = np.arange(censored.size)
    entry = np.zeros(1) if entered is None else np.asarray(entered, dtype=float)
    t_entry = np.arange(entry.size)

    def f(x: np.ndarray) -> float:
        a, b = math.exp(x[0]), math.exp(x[1])
        base = betaln(a, b)
        ll = float(lost[1:] @ (betaln(a + 1, b + t_lost[1:] - 1) - base))
        ll += float(censored @ (betaln(a, b + t_cens) - base))
        ll -= float(entry @ (betaln(a, b + t_entry) - base))
        return -ll

    best = None
    for start in ((0.0, 0.0), (-1.0, 1.0), (1.0, 2.0)):
        res = minimize(f, np.array(start), method="L-BFGS-B", bounds=[(-9, 9), (-9, 9)])
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    return _fit_result(f, best, {}, {})


def _fit_result(
    f: Any, best: Any, used: dict[str, list[float]], held: dict[str, list[float]]
) -> SbgFit:
    x = best.x
    if np.any(np.abs(x) > 8.9):
        raise CalibrationError(
            "the sBG fit runs to a bound (alpha or beta beyond e^9): the data do not "
            "identify a spread of churn rates; use base_churn (homogeneous churn) instead"
        )
    a, b = math.exp(x[0]), math.exp(x[1])
    try:
        cov = np.linalg.inv(_hessian(f, x))
        se_log = np.sqrt(np.maximum(np.diag(cov), 0.0))
        # d mean / d log a and d log b, mean = a / (a + b)
        grad = np.array([1.0, -1.0]) * a * b / (a + b) ** 2
        mean_se = math.sqrt(max(float(grad @ cov @ grad), 0.0))
    except np.linalg.LinAlgError:
        se_log = np.full(2, math.nan)
        mean_se = math.nan
    return SbgFit(
        alpha=a,
        beta=b,
        alpha_se=a * float(se_log[0]),
        beta_se=b * float(se_log[1]),
        alpha_interval=(a * math.exp(-Z95 * se_log[0]), a * math.exp(Z95 * se_log[0])),
        beta_interval=(b * math.exp(-Z95 * se_log[1]), b * math.exp(Z95 * se_log[1])),
        log_likelihood=-float(best.fun),
        cohorts=used,
        holdout=held,
        mean_churn_se=mean_se,
    )


def read_cohorts(path: str | Path, decimal: str | None = None) -> CohortTable:
    """Read a cohort CSV (``period,active``; optional ``cohort`` and ``segment``).

    The file is read as every user CSV is (:mod:`ccosim.io.table_text`): UTF-8, UTF-16 or
    Windows-1252, comma, semicolon, tab or pipe separated, decimal comma or point (``decimal``
    forces one), its size checked before reading.

    Raises:
        CalibrationError: The file, line and column of the first problem found.
    """
    return _cohorts(
        read_table_text(path, CalibrationError, decimal=decimal, number_columns=_COUNT_COLUMNS)
    )


def parse_cohorts(text: str, source: str = "<cohorts>", decimal: str | None = None) -> CohortTable:
    """Parse cohort CSV text (see :func:`read_cohorts`)."""
    return _cohorts(
        table_from_text(
            text, source, CalibrationError, decimal=decimal, number_columns=_COUNT_COLUMNS
        )
    )


#: Columns whose cells tell a file's decimal mark.
_COUNT_COLUMNS = ("period", "active")


def _cohorts(table: TableText) -> CohortTable:
    source = table.source
    if not table.rows:
        raise CalibrationError(f"{source}: empty file; expected a header 'period,active'")
    header = table.rows[0][1]
    col = _cohort_columns(header, source)
    width = len(header)
    cells: dict[tuple[str, str], dict[int, float]] = {}
    for line, row in table.rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            raise CalibrationError(f"{source}:{line}: {len(row)} cells, the header has {width}")
        _add_cohort_row(cells, row, col, f"{source}:{line}", table)
    segments: dict[str, dict[str, list[float]]] = {}
    for (segment, cohort), series in cells.items():
        segments.setdefault(segment, {})[cohort] = _cohort_counts(series, cohort, source)
    if not segments:
        raise CalibrationError(f"{source}: no data rows")
    return CohortTable(segments)


def _cohort_columns(header_row: list[str], source: str) -> dict[str, int]:
    """Position of each column of the header; ``period`` and ``active`` must be there."""
    header = [h.strip().lower() for h in header_row]
    for need in ("period", "active"):
        if need not in header:
            raise CalibrationError(
                f"{source}:1: no column '{need}' (header: {', '.join(header_row)}); expected "
                "period,active and optionally cohort and segment"
            )
    return {name: header.index(name) for name in header}


def _cohort_number(
    row: list[str], col: dict[str, int], name: str, where: str, table: TableText
) -> float:
    """The cell ``name`` of a row as a finite number >= 0 (``where``: file and line)."""
    raw = row[col[name]].strip()
    value = table.number(raw, f"{where}: column '{name}'", CalibrationError)
    if value < 0:
        raise CalibrationError(f"{where}: column '{name}': {raw!r} must be a number >= 0")
    return value


def _add_cohort_row(
    cells: dict[tuple[str, str], dict[int, float]],
    row: list[str],
    col: dict[str, int],
    where: str,
    table: TableText,
) -> None:
    """Put one row's active count under its segment, cohort and period."""
    period = _cohort_number(row, col, "period", where, table)
    if period != int(period):
        raise CalibrationError(f"{where}: column 'period': {period:g} is not a whole period")
    active = _cohort_number(row, col, "active", where, table)
    segment = row[col["segment"]].strip() if "segment" in col else ""
    cohort = row[col["cohort"]].strip() if "cohort" in col else "cohort"
    series = cells.setdefault((segment, cohort), {})
    t = int(period)
    if t in series:
        raise CalibrationError(
            f"{where}: column 'period': period {t} of cohort {cohort!r} given twice"
        )
    series[t] = active
    if t > 0 and t - 1 in series and active > series[t - 1]:
        raise CalibrationError(
            f"{where}: column 'active': {active:g} is more than the "
            f"{series[t - 1]:g} of period {t - 1} (a cohort can only shrink)"
        )


def _cohort_counts(series: dict[int, float], cohort: str, source: str) -> list[float]:
    """A cohort's active counts by period 0, 1, 2...: no gaps, never rising, period 0 > 0."""
    periods = sorted(series)
    if periods != list(range(len(periods))):
        raise CalibrationError(
            f"{source}: cohort {cohort!r}: periods must run 0, 1, 2, ... without gaps "
            f"(got {', '.join(str(p) for p in periods)})"
        )
    counts = [series[p] for p in periods]
    if any(b > a for a, b in itertools.pairwise(counts)):
        raise CalibrationError(f"{source}: cohort {cohort!r}: active counts rise over time")
    if counts[0] <= 0:
        raise CalibrationError(f"{source}: cohort {cohort!r}: period 0 has no customers")
    return counts
