"""A headcount plan from the simulated workforce: each unit's people, month by month.

The engine's ledger keeps the org's totals (heads in post, cost by function); a plan needs
them per unit, with hires split into new seats and backfills, and leavers. :class:`PlanEngine`
is the engine with a recorder around its workforce step (:class:`WorkforceRecorder`); it runs
the same calendar on the same random streams, so its ledger is the engine's, bit for bit.

Per unit and month the recorder keeps heads in post at the month's end, requisitions open
(hired, not yet started), the staffing target, hires (those who started), leavers, the loaded
cost of the heads in post and, for units staffed by a ratio, the driver's value. From the
flows of a month (before, after: heads in post; hires):

    leavers = before + hires - after

that is attrition (including a reorganisation's extra attrition), layoffs and, in the month
an org change takes effect, the heads of removed units and cut headcounts (the change moves
heads before the month's staffing step: ``before`` is read after it, the cut counted as
leavers, a unit added with its people in post counted as ``moved_in``).

**New or backfill.** The engine's requisitions fill the gap between the target and the heads
in post or in the pipeline, whatever opened it. A hire is counted as a *backfill* while the
unit has seats vacated by leavers that its target still asks for, else as a *new* seat:

    vacated += leavers;  backfill = min(hires, vacated);  vacated -= backfill
    vacated = min(vacated, max(target - after, 0))

so a leaver whose seat the policy no longer wants (a shrinking target, a removed unit) is
never backfilled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ccosim.experiment.executors import run_ordered
from ccosim.experiment.study import Execution
from ccosim.results import Results
from ccosim.scenario import Scenario
from ccosim.sim.model import Engine
from ccosim.sim.params import ModelParams, compile_params
from ccosim.sim.workforce import Workforce

__all__ = [
    "DEFAULT_QUARTERS",
    "UNIT_SERIES",
    "PlanEngine",
    "PlanRun",
    "Spread",
    "WorkforceRecorder",
    "quarter_slices",
    "run_plan",
    "run_plan_replication",
    "spread",
    "unit_quarters",
    "years_for",
]

#: Quarters planned unless asked otherwise: two years, a common planning horizon (assumption).
DEFAULT_QUARTERS = 8

#: What the recorder keeps per unit and month (arrays units x months), in this order.
UNIT_SERIES: tuple[str, ...] = (
    "filled",
    "pending",
    "target",
    "hires",
    "backfill",
    "leavers",
    "moved_in",
    "cost",
    "driver",
)


class WorkforceRecorder:
    """Per-unit heads, requisitions, hires, leavers and cost of one replication.

    Args:
        units: Unit slots of the compiled parameters.
        months: Months simulated.
        initial: Heads in post of each slot at month 0, before any org change.

    Attributes:
        series: Series name (:data:`UNIT_SERIES`) -> units x months array.
    """

    def __init__(self, units: int, months: int, initial: np.ndarray) -> None:
        self.series = {name: np.zeros((units, months)) for name in UNIT_SERIES}
        self._last = initial.astype(float).copy()
        self._before = np.zeros(units)
        self._started = np.zeros(units)
        self._vacated = np.zeros(units)

    def start(self, month: int, wf: Workforce) -> None:
        """Before the month's staffing step (after the month's org changes)."""
        st = wf.state
        self._before = st.filled.copy()
        self._started = st.pipeline[:, month].copy()
        change = self._before - self._last
        self.series["moved_in"][:, month] = np.maximum(change, 0.0)
        # Removed units and cut headcounts leave in the month the change takes effect.
        self.series["leavers"][:, month] = np.maximum(-change, 0.0)

    def finish(self, month: int, wf: Workforce, drivers: np.ndarray) -> None:
        """After the month's staffing step: its flows and stocks.

        Args:
            month: The month.
            wf: The workforce, stepped.
            drivers: The month's staffing drivers (driver x segment, ``DRIVERS`` order).
        """
        st, period, s = wf.state, wf.period, self.series
        after = st.filled.copy()
        hires = self._started + st.need * period.hire_now
        leavers = self._before + hires - after
        s["leavers"][:, month] += leavers
        vacated = self._vacated + s["leavers"][:, month]
        backfill = np.minimum(hires, vacated)
        self._vacated = np.minimum(vacated - backfill, np.maximum(st.target - after, 0.0))
        s["filled"][:, month] = after
        s["pending"][:, month] = st.pending
        s["target"][:, month] = st.target
        s["hires"][:, month] = hires
        s["backfill"][:, month] = backfill
        s["cost"][:, month] = after * wf.epoch.cost / 12.0
        if period.ratio_units.size:
            # The driver table with a last column per row for the whole company, flat: the
            # cells the ratio units read (kernels.ratio_targets).
            table = np.concatenate([drivers, drivers.sum(axis=1, keepdims=True)], axis=1)
            s["driver"][period.ratio_units, month] = table.reshape(-1)[period.ratio_cell]
        self._last = after


class PlanEngine(Engine):
    """The engine with a :class:`WorkforceRecorder` around its workforce step.

    The months run exactly as :class:`~ccosim.sim.model.Engine`'s (same steps, same random
    streams): the recorder only reads the workforce's state before and after its step.
    """

    def __init__(self, params: ModelParams, seed: int, replication: int) -> None:
        super().__init__(params, seed, replication)
        self.recorder = WorkforceRecorder(len(params.unit_ids), self.months, params.initial_filled)

    def _staff(self, month: int) -> None:
        # Around the staffing step only, where the engine's own series are recorded: an
        # executive who leaves this month is counted in post this month and as a leaver in
        # the next, as the headcount series counts them.
        self.recorder.start(month, self.wf)
        super()._staff(month)
        self.recorder.finish(month, self.wf, self._drivers)


def run_plan_replication(task: tuple[ModelParams, int, int]) -> dict[str, Any]:
    """One replication with the per-unit series (module level, for process pools and Dask).

    Returns:
        The engine's outputs (:func:`ccosim.sim.model.run_replication`) and ``"units"``:
        series name -> units x months array.
    """
    params, seed, replication = task
    engine = PlanEngine(params, seed, replication)
    out = engine.run()
    out["units"] = engine.recorder.series
    return out


def quarter_slices(quarters: int) -> list[slice]:
    """The months of each quarter: ``[slice(0, 3), slice(3, 6), ...]``."""
    return [slice(3 * q, 3 * q + 3) for q in range(quarters)]


@dataclass(frozen=True)
class PlanRun:
    """Replications of one scenario with each unit's series.

    Attributes:
        scenario: The scenario simulated (with a hire, the current org plus the transition).
        params: Its compiled parameters (unit slots, org periods).
        results: The engine's results (the ledger's series and KPIs).
        units: Series name -> runs x units x months array.
        seed: Root seed.
        quarters: Quarters planned (the first ``3 * quarters`` months).
    """

    scenario: Scenario
    params: ModelParams
    results: Results
    units: dict[str, np.ndarray]
    seed: int
    quarters: int

    @property
    def runs(self) -> int:
        """Replications."""
        return int(self.units["filled"].shape[0])

    def active(self) -> np.ndarray:
        """Units x months: 1 where the unit is part of the org in force that month."""
        months = self.params.horizon_months
        out = np.zeros((len(self.params.unit_ids), months), dtype=bool)
        epochs = self.params.epochs
        for i, epoch in enumerate(epochs):
            end = epochs[i + 1].month if i + 1 < len(epochs) else months
            out[:, epoch.month : end] = epoch.active[:, None]
        return out

    def epoch_at(self, month: int) -> Any:
        """The compiled org period in force at ``month``."""
        found = self.params.epochs[0]
        for epoch in self.params.epochs:
            if epoch.month <= month:
                found = epoch
        return found


class Spread(NamedTuple):
    """Mean over runs and the middle 95% of runs (2.5th and 97.5th percentiles)."""

    mean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def spread(values: np.ndarray) -> Spread:
    """Mean and middle 95% of runs over the first axis (customer randomness only)."""
    lo, hi = np.percentile(values, [2.5, 97.5], axis=0)
    return Spread(values.mean(axis=0), lo, hi)


def run_plan(
    scenario: Scenario,
    *,
    quarters: int,
    runs: int,
    seed: int | None = None,
    execution: Execution | None = None,
) -> PlanRun:
    """Simulate ``runs`` replications of ``scenario`` and keep each unit's series.

    Replication ``i`` draws from the streams of ``(seed, i)`` as every ccosim run does, so
    the plan is the same on one worker or many, and its ledger equals ``ccosim run``'s.

    Args:
        scenario: A loaded scenario whose horizon covers ``quarters``.
        quarters: Quarters to plan.
        runs: Replications.
        seed: Root seed (default: the scenario's).
        execution: Processes or scheduler, and progress.

    Raises:
        ValueError: ``quarters`` beyond the scenario's horizon, or fewer than 1 run.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if not 1 <= quarters <= scenario.horizon_years * 4:
        raise ValueError(
            f"quarters must be 1 to {scenario.horizon_years * 4} (the horizon) for {scenario.name}"
        )
    execution = execution or Execution()
    root = scenario.seed if seed is None else int(seed)
    params = compile_params(scenario)
    execution.total(runs)
    outputs = run_ordered(
        run_plan_replication,
        [(params, root, r) for r in range(runs)],
        execution.workers,
        execution.on_done,
        scheduler=execution.scheduler,
    )
    per_run = [o.pop("units") for o in outputs]
    units = {name: np.stack([r[name] for r in per_run]) for name in UNIT_SERIES}
    results = Results.from_runs(scenario.name, root, outputs)
    return PlanRun(scenario, params, results, units, root, quarters)


def years_for(quarters: int) -> int:
    """Whole years of simulation that cover ``quarters``."""
    return max(1, math.ceil(quarters / 4))


def unit_quarters(values: np.ndarray, quarters: int, *, flow: bool) -> np.ndarray:
    """Runs x units x months -> runs x units x quarters: sums of flows, quarter-end stocks."""
    parts = [
        values[:, :, q].sum(axis=2) if flow else values[:, :, q.stop - 1]
        for q in quarter_slices(quarters)
    ]
    return np.stack(parts, axis=2)
