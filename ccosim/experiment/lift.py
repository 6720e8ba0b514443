"""The GRR lift at which the CCO org pays, under assumption draws.

The plain business case bisects for the lift that pays with the assumptions fixed. Under
uncertainty the cost of the CCO org and the value of its lift both depend on the draws, so
the question has two answers: the lift that pays **on average** over the draws, and the lift
that pays **in 80% of them**. For the first M draws of a PSA the CCO org is run with its own
churn moved by each step of a grid (from the smallest base churn higher to as much lower, 0 in
the middle: the CCO org as modelled), from the hire month on, against the current org of the
same draw; the NPV at each step is read across the draws and the answers are interpolated on
the grid. The answer is consistent with the NPV: when the expected NPV of the CCO org is
negative, the lift that pays on average is above the lift the model expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ccosim.experiment.business_case import churn_cut_params, contribution
from ccosim.experiment.executors import run_ordered
from ccosim.experiment.psa import PsaResult
from ccosim.experiment.refit import with_inputs
from ccosim.experiment.study import Study
from ccosim.money import npv
from ccosim.results import Results
from ccosim.scenario import Scenario
from ccosim.scenario.uncertainty import KeyError_, apply_values
from ccosim.sim.model import run_replication
from ccosim.sim.params import ModelParams, compile_params

__all__ = ["LiftUnderUncertainty", "lift_under_uncertainty"]

#: Confidence asked of "the cut that pays in most draws".
CONFIDENCE = 0.8


@dataclass(frozen=True)
class LiftUnderUncertainty:
    """Churn cuts on the grid, the NPV across draws at each, and the two answers."""

    cuts: np.ndarray  # grid of churn cuts of the CCO org (fractions, e.g. 0.01 = 1 pt lower)
    grr_lifts: np.ndarray  # mean GRR lift over the current org at each cut
    expected_npv: np.ndarray  # mean over draws at each cut
    p_pays: np.ndarray  # share of draws with NPV >= 0 at each cut
    pays_on_average: tuple[float, float] | None  # (cut, GRR lift), None if none on the grid
    pays_with_confidence: tuple[float, float] | None
    draws: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""

        def pair(p: tuple[float, float] | None) -> dict[str, float] | None:
            return None if p is None else {"churn_cut": p[0], "grr_lift": p[1]}

        return {
            "draws": self.draws,
            "pays_on_average": pair(self.pays_on_average),
            "pays_in_80_percent": pair(self.pays_with_confidence),
            "grid": [
                {
                    "churn_cut": float(c),
                    "grr_lift": float(g),
                    "expected_npv": float(e),
                    "p_pays": float(p),
                }
                for c, g, e, p in zip(
                    self.cuts, self.grr_lifts, self.expected_npv, self.p_pays, strict=True
                )
            ],
        }


def _apply_known(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """Apply the values whose keys exist in ``scenario`` (a unit may exist in one org only)."""
    for path, value in values.items():
        try:
            scenario = apply_values(scenario, {path: value})
        except KeyError_:
            continue
    return scenario


def _run_draw(task: tuple) -> dict[str, Any]:
    """The current org, and the CCO org at every churn cut, for one draw (for pools)."""
    current, proposed, values, cuts, seed, replication, rate, hire_month, fitted = task
    current = _apply_known(current, values)
    proposed = _apply_known(proposed, values)
    if fitted:  # the draw's re-fit of today's inputs to its stored targets (the PSA's)
        if proposed.calibration == current.calibration:
            proposed = with_inputs(proposed, fitted)
        current = with_inputs(current, fitted)

    def run(params: ModelParams) -> Results:
        out = run_replication((params, seed, replication))
        return Results.from_runs(params.scenario, seed, [out])

    base = run(compile_params(current))
    since = hire_month // 12  # GRR lifts over the years from the hire's on
    base_contribution = contribution(base)[0]
    nets, lifts = [], []
    for cut in cuts:
        # The cut starts at the hire: before it there is no CCO org to move.
        cco = run(churn_cut_params(proposed, cut, hire_month) if cut else compile_params(proposed))
        nets.append(float(npv(contribution(cco)[0] - base_contribution, rate)))
        lifts.append(float(np.nanmean((cco.yearly["grr"][0] - base.yearly["grr"][0])[since:])))
    return {"net": nets, "lift": lifts}


def _first_crossing(cuts: np.ndarray, values: np.ndarray, level: float) -> float | None:
    """Smallest cut at which ``values`` reaches ``level`` (linear between grid points)."""
    for i in range(len(cuts)):
        if values[i] >= level:
            if i == 0:
                return float(cuts[0])
            a, b = values[i - 1], values[i]
            return float(cuts[i - 1] + (level - a) / (b - a) * (cuts[i] - cuts[i - 1]))
    return None


def lift_under_uncertainty(
    current: Scenario,
    proposed: Scenario,
    psa: PsaResult,
    *,
    draws: int = 20,
    steps: int = 6,
    workers: int | None = None,
    scheduler: Any = None,
) -> LiftUnderUncertainty:
    """Churn cut of the CCO org (and GRR lift) that pays on average and in 80% of the draws.

    Each draw (of the first ``draws``) runs one replication (the draw's first) of the current
    org and of the CCO org at ``steps + 1`` cuts (``steps`` even; an odd one is rounded
    down): ``draws x (steps + 2)`` replications. Between
    grid points the answer is interpolated linearly.
    """
    m = min(draws, psa.draws)
    ceiling = min(s.base_churn for s in proposed.customers.segments.values())
    # Denser near 0 (the CCO org as modelled), where the answer usually lies: -c, -4c/9,
    # -c/9, 0, c/9, 4c/9, c for 6 steps (steps // 2 on each side of 0).
    side = np.linspace(0.0, 1.0, max(steps // 2, 1) + 1)[1:] ** 2
    cuts = ceiling * np.concatenate([-side[::-1], [0.0], side])
    tasks = []
    for i in range(m):
        values = {k.path: float(v) for k, v in zip(psa.keys, psa.parameters[i], strict=True)}
        tasks.append(
            (
                current,
                proposed,
                values,
                tuple(cuts),
                psa.seed,
                i * psa.runs,
                psa.discount_rate,
                psa.hire_month,
                psa.extras.get("refit_inputs", [None] * m)[i],
            )
        )
    outputs = run_ordered(_run_draw, tasks, workers, scheduler=scheduler)
    net = np.array([o["net"] for o in outputs])  # draws x cuts
    lift = np.array([o["lift"] for o in outputs]).mean(axis=0)
    expected = net.mean(axis=0)
    p_pays = (net >= 0).mean(axis=0)

    def answer(values: np.ndarray, level: float) -> tuple[float, float] | None:
        cut = _first_crossing(cuts, values, level)
        return None if cut is None else (cut, float(np.interp(cut, cuts, lift)))

    return LiftUnderUncertainty(
        cuts, lift, expected, p_pays, answer(expected, 0.0), answer(p_pays, CONFIDENCE), m
    )


def lift_for_business_case(study: Study, psa: PsaResult) -> LiftUnderUncertainty:
    """:func:`lift_under_uncertainty` of a business-case study's two orgs, as its PSA ran them."""
    current, proposed = (d.scenario for d in study.baseline_first())
    return lift_under_uncertainty(
        current,
        proposed,
        psa,
        workers=study.execution.workers,
        scheduler=study.execution.scheduler,
    )
