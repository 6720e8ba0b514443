"""Calibration targets and the secant solver that meets them, once or in every draw.

``ccosim calibrate kpis`` solves a scenario's reference-level inputs (``base_churn``,
``contraction_rate``, ``expansion_rate``) so that its current org reproduces observed KPIs,
and stores what was observed in the calibrated file (``calibration: {targets: ...}``). Under
``--draws`` each draw moves the org's effects, so today's org would no longer reproduce what
the CEO already knows; :func:`refit` re-solves the inputs at every draw before the designs
run, so the draws vary what a change would do, not what was observed.

The solver works on common random numbers: every evaluation simulates the same replications
(the calibration's seed and runs) of the scenario's org at month 0 (timeline left out) for
``years`` years, so the achieved KPIs are a smooth, deterministic function of the inputs.
Each target has its own input (logo retention -> churn; GRR -> contraction when logo
retention is also given, else churn; NRR -> expansion); all are updated together by
quasi-Newton (Broyden) steps, the first with the Jacobian stored by the calibration (or the
reference model's: a point of churn is a point of retention and of NRR lost, a point of
expansion a point of NRR).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ccosim.errors import CcosimError
from ccosim.scenario import Scenario
from ccosim.simulate import simulate

__all__ = [
    "KPI_INPUTS",
    "REFIT_STEPS",
    "Refit",
    "Solution",
    "Target",
    "TargetError",
    "calibration_fit",
    "calibration_lines",
    "calibration_text",
    "input_plan",
    "measure",
    "reference_jacobian",
    "refit",
    "solve",
    "stored_targets",
    "with_inputs",
]

#: Targetable KPI -> (the input it moves, bounds of that input, sign of dKPI/dinput).
KPI_INPUTS: dict[str, tuple[str, tuple[float, float], int]] = {
    "logo_retention": ("base_churn", (0.0, 1.0), -1),
    "grr": ("contraction_rate", (0.0, 1.0), -1),
    "nrr": ("expansion_rate", (0.0, 5.0), 1),
}
#: Most simulated batches of one re-fit in a draw (the first measures the drift).
REFIT_STEPS = 4


class TargetError(CcosimError):
    """Targets that cannot be planned (a segment's KPI twice, a segment the scenario lacks)."""


@dataclass(frozen=True)
class Target:
    """One observed KPI of one segment (a share: 0.92 for 92%)."""

    segment: str
    kpi: str
    value: float

    @property
    def key(self) -> str:
        """``SEGMENT.KPI``, as the scenario's ``calibration.targets`` and the JSON name it."""
        return f"{self.segment}.{self.kpi}"


def input_plan(targets: Sequence[Target]) -> list[tuple[Target, str]]:
    """Which input each target moves (GRR moves churn when logo retention is not given).

    Raises:
        TargetError: one segment's KPI given twice, or two targets moving one input.
    """
    given = {(t.segment, t.kpi) for t in targets}
    out = []
    for t in targets:
        key = KPI_INPUTS[t.kpi][0]
        if t.kpi == "grr" and (t.segment, "logo_retention") not in given:
            key = "base_churn"
        out.append((t, key))
    keys = [(t.segment, key) for t, key in out]
    if len(set(keys)) != len(keys):
        raise TargetError("each segment's KPI must be given once (one --target each)")
    return out


def with_inputs(scenario: Scenario, inputs: Mapping[str, Mapping[str, float]]) -> Scenario:
    """``scenario`` with segment inputs replaced (``{segment: {key: value}}``)."""
    segments = dict(scenario.customers.segments)
    for name, values in inputs.items():
        segments[name] = segments[name].model_copy(update=dict(values))
    customers = scenario.customers.model_copy(update={"segments": segments})
    return scenario.model_copy(update={"customers": customers})


def stored_targets(scenario: Scenario) -> list[Target]:
    """The targets of ``scenario.calibration`` (empty without one).

    Raises:
        TargetError: a target names a segment the scenario does not have.
    """
    if scenario.calibration is None:
        return []
    out = []
    names = list(scenario.customers.segments)
    for key, value in scenario.calibration.targets.items():
        segment, kpi = key.rsplit(".", 1)
        if segment not in names:
            raise TargetError(
                f"calibration.targets.{key}: segment {segment!r} is not in the scenario "
                f"({', '.join(names)})"
            )
        out.append(Target(segment, kpi, float(value)))
    return out


def measure(
    scenario: Scenario,
    plan: Sequence[tuple[Target, str]],
    *,
    runs: int,
    seed: int,
    years: int,
    workers: int | None = 1,
) -> np.ndarray:
    """Each target's KPI in each replication: mean of years 1..``years``, targets x runs.

    The scenario's org at month 0 (timeline left out), ``runs`` replications on ``seed``.
    """
    trial = scenario.model_copy(update={"timeline": [], "horizon_years": years})
    res = simulate(trial, runs=runs, seed=seed, workers=workers)
    return np.array([res.segments[t.segment][t.kpi][:, :years].mean(axis=1) for t, _ in plan])


@dataclass(frozen=True)
class Solution:
    """Where the secant steps ended.

    Attributes:
        x: The inputs, one per target.
        y: Achieved means at ``x``.
        per_run: Achieved KPI per replication at ``x``, targets x runs.
        first: Achieved means at the starting inputs (before any step).
        steps: Simulated batches used.
        jacobian: The last estimate of d KPI / d input (targets x inputs).
        stuck: Index of a target whose input sits at a bound with the target still missed.
        met: Whether every target is within tolerance.
    """

    x: np.ndarray
    y: np.ndarray
    per_run: np.ndarray
    first: np.ndarray
    steps: int
    jacobian: np.ndarray
    stuck: int | None
    met: bool


def _bounds(plan: Sequence[tuple[Target, str]]) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([KPI_INPUTS[t.kpi][1][0] if key != "base_churn" else 0.0 for t, key in plan])
    hi = np.array([KPI_INPUTS[t.kpi][1][1] if key != "base_churn" else 1.0 for t, key in plan])
    return lo, hi


def reference_jacobian(plan: Sequence[tuple[Target, str]]) -> np.ndarray:
    """Change of each targeted KPI per unit of each input, in the reference model.

    A point of churn or contraction is a point of logo retention or GRR lost, a point of
    expansion about a point of NRR; and a point of a segment's churn also costs about a point
    of its GRR and NRR (the churned accounts' ARR), so a fit of churn and expansion together
    moves expansion to make up for it.
    """
    n = len(plan)
    jac = np.zeros((n, n))
    for i, (t, key) in enumerate(plan):
        jac[i, i] = 1.0 if key == "expansion_rate" else -1.0
        for j, (other, other_key) in enumerate(plan):
            same = other.segment == t.segment and j != i
            if same and other_key == "base_churn" and t.kpi in ("grr", "nrr"):
                jac[i, j] = -1.0
    return jac


def solve(
    evaluate: Callable[[np.ndarray], np.ndarray],
    plan: Sequence[tuple[Target, str]],
    x0: np.ndarray,
    *,
    tolerance: float,
    max_steps: int,
    jacobian: np.ndarray | None = None,
    on_step: Callable[[int], None] | None = None,
) -> Solution:
    """Quasi-Newton (Broyden) steps from ``x0`` until every target is within ``tolerance``.

    Or until an input is stuck at a bound, or ``max_steps`` batches are spent.

    Args:
        evaluate: Inputs -> achieved KPI per replication (targets x runs), on common random
            numbers.
        plan: The targets and the input each moves.
        x0: Starting inputs.
        tolerance: Largest gap allowed between an achieved mean and its target.
        max_steps: Most simulated batches.
        jacobian: First estimate of d KPI / d input (default: :func:`reference_jacobian`);
            each step updates it with what the step showed (Broyden's rank-one update).
        on_step: Called after each batch with the number done.
    """
    lo, hi = _bounds(plan)
    goal = np.array([t.value for t, _ in plan])
    jac = reference_jacobian(plan) if jacobian is None else np.array(jacobian, dtype=float)
    x = np.asarray(x0, dtype=float)
    prev: tuple[np.ndarray, np.ndarray] | None = None
    steps, first = 0, None
    while True:
        per_run = evaluate(x)
        y = per_run.mean(axis=1)
        first = y if first is None else first
        steps += 1
        if on_step is not None:
            on_step(steps)
        gap = y - goal
        met = bool(np.all(np.abs(gap) <= tolerance))
        if met or np.any(np.isnan(y)) or steps >= max_steps:
            return Solution(x, y, per_run, first, steps, jac, None, met)
        if prev is not None:
            jac = _broyden(jac, x - prev[0], y - prev[1])
        try:
            move = np.linalg.solve(jac, -gap)
        except np.linalg.LinAlgError:
            move = -gap / np.diag(jac)
        new = np.clip(x + move, lo, hi)
        stuck = (np.abs(gap) > tolerance) & (np.abs(new - x) < 1e-12) & ((new == lo) | (new == hi))
        if np.any(stuck):
            return Solution(x, y, per_run, first, steps, jac, int(np.flatnonzero(stuck)[0]), met)
        prev, x = (x, y), new


def _broyden(jac: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Broyden's update of ``jac`` by a step ``dx`` that moved the KPIs by ``dy``.

    An update that would flip a diagonal slope's sign (noise, not the model) is not taken.
    """
    size = float(dx @ dx)
    if size < 1e-18:
        return jac
    new = jac + np.outer(dy - jac @ dx, dx) / size
    if np.any(np.sign(np.diag(new)) != np.sign(np.diag(jac))):
        return jac
    return new


@dataclass(frozen=True)
class Refit:
    """One draw's re-fit of today's inputs to the stored targets.

    Attributes:
        inputs: Segment -> input key -> re-fitted value.
        before: Achieved minus target at the stored inputs, per target (the drift the draw
            alone causes).
        after: Achieved minus target after the re-fit, per target.
        steps: Simulated batches used.
    """

    inputs: dict[str, dict[str, float]]
    before: np.ndarray
    after: np.ndarray
    steps: int


def refit(scenario: Scenario, *, max_steps: int = REFIT_STEPS) -> Refit | None:
    """Re-solve the targeted inputs so that the org at month 0 meets the stored targets.

    None without a ``calibration`` block. The calibration's own seed, runs and years: at
    the assumptions' values a re-fit starts where ``calibrate kpis`` stopped, on the same
    replications, and takes one batch.
    """
    cal = scenario.calibration
    targets = stored_targets(scenario)
    if cal is None or not targets:
        return None
    plan = input_plan(targets)
    segs = scenario.customers.segments
    x0 = np.array([float(getattr(segs[t.segment], key) or 0.0) for t, key in plan])
    seed = scenario.seed if cal.seed is None else cal.seed
    jac = reference_jacobian(plan)
    for i, (t, _) in enumerate(plan):
        for j, (other, key) in enumerate(plan):
            jac[i, j] = (cal.slopes or {}).get(t.key, {}).get(f"{other.segment}.{key}", jac[i, j])

    def evaluate(values: np.ndarray) -> np.ndarray:
        trial = with_inputs(scenario, _inputs(plan, values))
        return measure(trial, plan, runs=cal.runs, seed=seed, years=cal.years)

    found = solve(evaluate, plan, x0, tolerance=cal.tolerance, max_steps=max_steps, jacobian=jac)
    goal = np.array([t.value for t, _ in plan])
    return Refit(_inputs(plan, found.x), found.first - goal, found.y - goal, found.steps)


def _inputs(plan: Sequence[tuple[Target, str]], values: np.ndarray) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for (t, key), v in zip(plan, values, strict=True):
        out.setdefault(t.segment, {})[key] = float(v)
    return out


def calibration_fit(
    scenario: Scenario | None, before: np.ndarray, after: np.ndarray, steps: np.ndarray
) -> dict[str, object]:
    """How close today's design came to each stored target over the draws, as JSON data.

    Args:
        scenario: The design whose targets were re-fitted (None: no stored targets).
        before: Achieved minus target at the stored inputs, draws x targets.
        after: The same after each draw's re-fit.
        steps: Simulated batches each draw's re-fit used.
    """
    if scenario is None or scenario.calibration is None:
        return {
            "refit": False,
            "note": "no stored calibration targets: today's inputs are not re-fitted per draw, "
            "so today's KPIs move with the draws (store them with `ccosim calibrate kpis`)",
        }
    cal = scenario.calibration
    targets = stored_targets(scenario)
    seed = scenario.seed if cal.seed is None else cal.seed
    per_target = {}
    for j, t in enumerate(targets):
        per_target[t.key] = {
            "target": t.value,
            "share_within_tolerance": float(np.mean(np.abs(after[:, j]) <= cal.tolerance)),
            "worst_miss_pts": float(np.max(np.abs(after[:, j])) * 100),
            "without_refit_share_within_tolerance": float(
                np.mean(np.abs(before[:, j]) <= cal.tolerance)
            ),
            "without_refit_worst_miss_pts": float(np.max(np.abs(before[:, j])) * 100),
        }
    return {
        "refit": True,
        "design": scenario.name,
        "tolerance_pts": cal.tolerance * 100,
        "measured_on": f"{cal.runs} replications (seed {seed}) of today's org at month 0, "
        f"mean of years 1-{cal.years}, the same in every draw (customer randomness held fixed)",
        "mean_batches_per_draw": float(np.mean(steps)),
        "targets": per_target,
    }


def calibration_text(fit: Mapping[str, object]) -> str:
    """One line per target for a terminal: how close the draws' re-fits came."""
    if not fit.get("refit"):
        return f"calibration: {fit['note']}"
    tol = fit["tolerance_pts"]
    lines = [
        f"calibration: today's inputs re-fitted in every draw to the stored targets "
        f"(within {tol:.1f} pts; measured on {fit['measured_on']}):"
    ]
    targets = fit["targets"]
    assert isinstance(targets, Mapping)
    for key, row in targets.items():
        lines.append(
            f"  {key} {row['target']:.1%}: {row['share_within_tolerance']:.0%} of draws within "
            f"{tol:.1f} pts (worst miss {row['worst_miss_pts']:.2f} pts; without the re-fit "
            f"{row['without_refit_share_within_tolerance']:.0%}, worst "
            f"{row['without_refit_worst_miss_pts']:.2f} pts)"
        )
    return "\n".join(lines)


def calibration_lines(answers: Mapping[str, object]) -> list[str]:
    """The re-fit's record as one report paragraph (none when the answers hold no record)."""
    fit = answers.get("calibration_fit")
    if not isinstance(fit, Mapping):
        return []
    if not fit.get("refit"):
        return [f"Calibration: {fit['note']}."]
    targets = fit["targets"]
    assert isinstance(targets, Mapping)
    rows = list(targets.values())
    tol = fit["tolerance_pts"]
    each = "; ".join(
        f"{key} {row['target']:.1%}: {row['share_within_tolerance']:.0%} of draws "
        f"(worst miss {row['worst_miss_pts']:.2f} pts)"
        for key, row in targets.items()
    )
    before = [row["without_refit_share_within_tolerance"] for row in rows]
    return [
        f"Today's org is re-fitted in every draw to the KPIs stored by calibrate kpis, so the "
        f"draws vary what the change would do, not what is already observed. Within {tol:.1f} "
        f"pts of each target: {each}. Without the re-fit {min(before):.0%} to {max(before):.0%} "
        f"of draws would be. Measured on {fit['measured_on']}."
    ]
