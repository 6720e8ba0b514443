"""Answers from PSA draws: which design is best how often, what a wrong choice costs, when it pays.

Every figure here is over parameter draws, each draw the mean of its replications, so it
covers **both** assumption uncertainty and (through the replications inside each draw)
customer randomness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ccosim.experiment.compare import LOWER_IS_BETTER
from ccosim.experiment.evppi import Evppi, conditional_means, evpi, evppi
from ccosim.experiment.psa import SUMMARY_KPIS, PsaResult

__all__ = [
    "BREAK_EVEN_YEARS",
    "COVERS",
    "Tornado",
    "breakeven_curve",
    "business_case_answers",
    "compare_answers",
    "expected_loss",
    "p_best",
    "tornado",
    "value_of_information",
]

#: What every interval from draws covers, said the same way everywhere.
COVERS = "assumption uncertainty and customer randomness"
#: Years of the break-even curve's headline points.
BREAK_EVEN_YEARS = (1, 2, 3, 5)


def p_best(values: np.ndarray, *, higher_is_better: bool = True) -> np.ndarray:
    """Share of draws in which each design is best (draws x designs -> designs).

    A tie splits its draw equally among the tied designs, so the shares sum to 1. Draws where
    the measure is undefined for any design (nan) are left out.
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v).any(axis=1)]
    if v.shape[0] == 0:
        return np.full(np.asarray(values).shape[1], np.nan)
    if not higher_is_better:
        v = -v
    winners = v == v.max(axis=1, keepdims=True)
    return (winners / winners.sum(axis=1, keepdims=True)).mean(axis=0)


def expected_loss(net_benefit: np.ndarray) -> np.ndarray:
    """Mean shortfall of each design against the best design of each draw (draws x designs)."""
    nb = np.asarray(net_benefit, dtype=float)
    return (nb.max(axis=1, keepdims=True) - nb).mean(axis=0)


def value_of_information(
    psa: PsaResult, net_benefit: np.ndarray, *, bootstrap: int = 200
) -> dict[str, Evppi]:
    """EVPPI of every uncertain assumption for ``net_benefit`` (draws x designs)."""
    return {
        key.path: evppi(psa.parameters[:, j], net_benefit, bootstrap=bootstrap, seed=psa.seed + j)
        for j, key in enumerate(psa.keys)
    }


@dataclass(frozen=True)
class Tornado:
    """One bar: net value expected at the 5th and 95th percentile of one assumption."""

    path: str
    low_value: float
    high_value: float
    at_low: float
    at_high: float

    @property
    def swing(self) -> float:
        """Width of the bar."""
        return abs(self.at_high - self.at_low)


def tornado(psa: PsaResult, net: np.ndarray) -> list[Tornado]:
    """Probabilistic tornado: ``E[net | assumption]`` at its 5th and 95th percentiles.

    ``net`` is one net value per draw; the conditional means are the EVPPI metamodel's, read
    at the draws nearest those percentiles. Bars are sorted widest first.
    """
    bars = []
    for j, key in enumerate(psa.keys):
        x = psa.parameters[:, j]
        fitted = conditional_means(x, np.column_stack([np.zeros_like(net), net]))[:, 1]
        order = np.argsort(x, kind="stable")
        lo_i = order[int(0.05 * (len(x) - 1))]
        hi_i = order[int(0.95 * (len(x) - 1))]
        bars.append(
            Tornado(
                key.path, float(x[lo_i]), float(x[hi_i]), float(fitted[lo_i]), float(fitted[hi_i])
            )
        )
    return sorted(bars, key=lambda b: -b.swing)


def breakeven_curve(psa: PsaResult, design: int, years: Sequence[int] | None = None) -> dict:
    """P(break-even within y years of the hire) for each y (never breaking even counts as no).

    Only the whole years the horizon covers after the hire: a later year was not simulated,
    so nothing is said of it.
    """
    after_hire = (psa.horizon_months - psa.hire_month) // 12
    ys = [y for y in (years if years is not None else range(1, after_hire + 1)) if y <= after_hire]
    since_hire = psa.break_even[:, design] - psa.hire_month
    return {y: float(np.mean(np.nan_to_num(since_hire, nan=np.inf) <= 12 * y)) for y in ys}


def _quantiles(x: np.ndarray) -> dict[str, float]:
    q = np.percentile(x, [5, 50, 95])
    return {"mean": float(np.mean(x)), "p05": float(q[0]), "p50": float(q[1]), "p95": float(q[2])}


def compare_answers(psa: PsaResult, *, bootstrap: int = 200) -> dict[str, Any]:
    """P(best), expected loss, EVPI, EVPPI and tornado of a comparison under draws.

    P(best) is per design on each headline KPI and on NPV (``npv``: discounted; ``net_value``
    is undiscounted wherever it appears); the tornado is
    on the expected leader's lead over the runner-up.
    """
    labels = list(psa.labels)
    best: dict[str, dict[str, float]] = {label: {} for label in labels}
    for kpi in SUMMARY_KPIS:
        shares = p_best(psa.kpi(kpi), higher_is_better=kpi not in LOWER_IS_BETTER)
        for label, share in zip(labels, shares, strict=True):
            best[label][kpi] = float(share)
    for label, share in zip(labels, p_best(psa.npv), strict=True):
        best[label]["npv"] = float(share)
    loss = expected_loss(psa.npv)
    evppis = value_of_information(psa, psa.npv, bootstrap=bootstrap)
    means = psa.npv.mean(axis=0)
    order = np.argsort(-means, kind="stable")
    lead = psa.npv[:, order[0]] - psa.npv[:, order[1]]
    return {
        "covers": COVERS,
        "draws": psa.draws,
        "runs_per_draw": psa.runs,
        "discount_rate": psa.discount_rate,
        "p_best": best,
        "expected_npv": {lb: float(m) for lb, m in zip(labels, means, strict=True)},
        "expected_loss": {lb: float(v) for lb, v in zip(labels, loss, strict=True)},
        "evpi": evpi(psa.npv),
        "evppi": {p: e.value for p, e in evppis.items()},
        "evppi_se": {p: e.se for p, e in evppis.items()},
        "leader": labels[order[0]],
        "runner_up": labels[order[1]],
        "tornado": tornado(psa, lead),
    }


def business_case_answers(psa: PsaResult, *, bootstrap: int = 200) -> dict[str, Any]:
    """NPV and net value distributions, P(NPV > 0), break-even, EVPPI and tornado.

    The decision valued is hire-or-not: net benefit 0 for keeping the current org, the
    draw's NPV for the CCO org.
    """
    proposed = 1
    net = psa.net_npv[:, proposed]
    value = psa.net_value[:, proposed]
    since_hire = psa.break_even[:, proposed] - psa.hire_month
    reached = since_hire[~np.isnan(since_hire)]
    decision = np.column_stack([np.zeros_like(net), net])  # keep the current org, or hire
    evppis = value_of_information(psa, decision, bootstrap=bootstrap)
    return {
        "covers": COVERS,
        "draws": psa.draws,
        "runs_per_draw": psa.runs,
        "discount_rate": psa.discount_rate,
        "npv": _quantiles(net),
        "net_value": _quantiles(value),
        "p_npv_positive": float(np.mean(net > 0)),
        "p_net_value_positive": float(np.mean(value > 0)),
        "p_breakeven_by_year": breakeven_curve(psa, proposed),
        "break_even_months": {
            "share_reached": float(reached.size / since_hire.size),
            **(
                {
                    "p05": float(np.percentile(reached, 5)),
                    "p50": float(np.percentile(reached, 50)),
                    "p95": float(np.percentile(reached, 95)),
                }
                if reached.size
                else {"p05": None, "p50": None, "p95": None}
            ),
        },
        "expected_loss": {
            "keep": float(expected_loss(decision)[0]),
            "hire": float(expected_loss(decision)[1]),
        },
        "evpi": evpi(decision),
        "evppi": {p: e.value for p, e in evppis.items()},
        "evppi_se": {p: e.se for p, e in evppis.items()},
        "tornado": tornado(psa, net),
    }
