"""Sweeps: a factorial grid of assumption values, and each factor's main effect on a KPI.

``--vary customers.segments.smb.base_churn=0.10:0.30:5`` gives five evenly spaced values from
0.10 to 0.30; ``--vary assumptions.org_effects=true,false`` gives a list. The grid is the
product of every factor's values, in a fixed order (the first factor varies slowest), so a
sweep's run index always means the same point.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ccosim.errors import CcosimError
from ccosim.experiment.executors import run_ordered
from ccosim.experiment.study import Study
from ccosim.results import Results
from ccosim.scenario import load
from ccosim.scenario.errors import ScenarioError
from ccosim.scenario.yaml_source import MarkTable, parse_yaml
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params
from ccosim.stats import mean_interval

__all__ = [
    "Factor",
    "SweepError",
    "SweepResult",
    "factorial",
    "main_effects",
    "parse_vary",
    "run_sweep",
    "sweep",
]

MAX_POINTS = 10_000


class SweepError(CcosimError):
    """A ``--vary`` option that cannot be read, or a grid too large to run."""


@dataclass(frozen=True)
class Factor:
    """One varied assumption: its dotted path and the values it takes."""

    path: str
    values: tuple[Any, ...]


def _scalar(text: str, option: str) -> Any:
    try:
        value = parse_yaml(text, f"--vary {option}", MarkTable()) if text.strip() else None
    except ScenarioError as exc:
        raise SweepError(f"cannot read value {text!r}: {exc}") from None
    if isinstance(value, (dict, list)):
        raise SweepError(f"--vary {option}: {text!r} is not a single value")
    return value


def parse_vary(option: str) -> Factor:
    """Read ``PATH=LO:HI:STEPS`` or ``PATH=V1,V2,...``.

    Raises:
        SweepError: with the option text and what is wrong.
    """
    if "=" not in option:
        raise SweepError(f"--vary {option}: expected PATH=LO:HI:STEPS or PATH=V1,V2,...")
    path, spec = (part.strip() for part in option.split("=", 1))
    if not path or not spec:
        raise SweepError(f"--vary {option}: both PATH and values are needed")
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise SweepError(f"--vary {option}: a range is LO:HI:STEPS, e.g. 0.1:0.3:5")
        lo, hi, steps = (_scalar(p, option) for p in parts)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi)):
            raise SweepError(f"--vary {option}: LO and HI must be numbers")
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 2:
            raise SweepError(f"--vary {option}: STEPS must be a whole number of at least 2")
        if steps > MAX_POINTS:  # refused before any array is made
            raise SweepError(
                f"--vary {option}: {steps:,} STEPS; a grid has at most {MAX_POINTS:,} points"
            )
        grid = np.linspace(float(lo), float(hi), steps)
        integral = all(isinstance(v, int) for v in (lo, hi)) and np.allclose(grid, grid.round())
        values: tuple[Any, ...] = tuple(round(v) if integral else round(float(v), 12) for v in grid)
    else:
        values = tuple(_scalar(p.strip(), option) for p in spec.split(","))
        if len(values) < 2:
            raise SweepError(f"--vary {option}: give at least two values")
    return Factor(path, values)


def factorial(factors: Sequence[Factor]) -> list[dict[str, Any]]:
    """Every combination of the factors' values, as override mappings, in grid order.

    Raises:
        SweepError: the same path varied twice, or more than 10,000 points.
    """
    paths = [f.path for f in factors]
    if len(set(paths)) != len(paths):
        raise SweepError("each path may be varied only once")
    size = math.prod(len(f.values) for f in factors)
    if size > MAX_POINTS:
        raise SweepError(f"the grid has {size:,} points; the limit is {MAX_POINTS:,}")
    return [
        dict(zip(paths, combo, strict=True))
        for combo in itertools.product(*(f.values for f in factors))
    ]


def main_effects(
    points: Sequence[Mapping[str, Any]], values: Sequence[float], factors: Sequence[Factor]
) -> dict[str, dict[Any, float]]:
    """Mean KPI at each level of each factor, averaged over every other factor's levels.

    The tornado chart's bar for a factor spans its lowest and highest level means.
    """
    effects: dict[str, dict[Any, float]] = {}
    values_arr = np.asarray(values, dtype=float)
    for factor in factors:
        levels: dict[Any, float] = {}
        for level in factor.values:
            mask = np.array([p[factor.path] == level for p in points])
            levels[level] = float(values_arr[mask].mean())
        effects[factor.path] = levels
    return effects


@dataclass(frozen=True)
class SweepResult:
    """KPI samples at every grid point (common random numbers across points)."""

    scenario: str
    factors: tuple[Factor, ...]
    points: list[dict[str, Any]]
    results: list[Any]  # ccosim.results.Results, one per point
    seed: int
    runs: int
    scenarios: list[Any] = field(default_factory=list)  # the resolved scenario of each point
    source: str = ""

    def kpi(self, name: str, year: int) -> np.ndarray:
        """Mean of a yearly KPI at each point (over replications)."""
        return np.array([float(np.nanmean(r.yearly[name][:, year - 1])) for r in self.results])

    def _level_samples(self, name: str, year: int) -> tuple[np.ndarray, dict[str, tuple]]:
        """Per replication: the grid mean, and each factor's lowest and highest level mean.

        Replication ``r`` of every point shares its draws (common random numbers), so a
        level's mean minus the grid's mean in the same replication is a paired difference.
        """
        samples = np.column_stack([r.yearly[name][:, year - 1] for r in self.results])
        grid = np.nanmean(samples, axis=1)
        ends = {}
        for factor in self.factors:
            pair = []
            for level in (factor.values[0], factor.values[-1]):
                mask = np.array([p[factor.path] == level for p in self.points])
                pair.append(np.nanmean(samples[:, mask], axis=1))
            ends[factor.path] = tuple(pair)
        return grid, ends

    def level_intervals(
        self, name: str, year: int
    ) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
        """Paired 95% intervals of each factor's lowest- and highest-level KPI (tornado ends).

        Each is the grid mean plus the Student-t interval, over replications, of the level's
        mean minus the grid's mean in the same replication: paired on common random
        numbers, so the customer randomness every point shares cancels and the whisker shows
        how sure the bar's end is, not how noisy one replication is. Covers customer
        randomness only.
        """
        grid, ends = self._level_samples(name, year)
        base = float(np.nanmean(self.kpi(name, year)))
        out = {}
        for path, pair in ends.items():
            ivs = []
            for level in pair:
                iv = mean_interval((level - grid)[:, None])
                ivs.append((base + float(iv.lo[0]), base + float(iv.hi[0])))
            out[path] = (ivs[0], ivs[1])
        return out

    def swing_intervals(self, name: str, year: int) -> dict[str, tuple[float, float, float]]:
        """Each factor's swing (highest level minus lowest) with its paired 95% interval.

        Returns:
            path -> (mean, lo, hi) of the KPI at the highest level minus at the lowest, the
            interval over replications on common random numbers (customer randomness).
        """
        _, ends = self._level_samples(name, year)
        out = {}
        for path, (low, high) in ends.items():
            iv = mean_interval((high - low)[:, None])
            out[path] = (float(iv.mean[0]), float(iv.lo[0]), float(iv.hi[0]))
        return out

    def swings(self, name: str, year: int) -> dict[str, tuple[float, float]]:
        """For each factor: the KPI at its lowest and at its highest level (main effects)."""
        effects = main_effects(self.points, self.kpi(name, year), self.factors)
        return {
            f.path: (effects[f.path][f.values[0]], effects[f.path][f.values[-1]])
            for f in self.factors
        }


def run_sweep(
    path: str,
    factors: Sequence[Factor],
    *,
    runs: int = 5,
    seed: int | None = None,
    set_options: Sequence[str] = (),
    workers: int | None = None,
    scheduler: Any = None,
    on_done: Any = None,
    on_total: Any = None,
) -> SweepResult:
    """Run every grid point of ``factors`` for ``runs`` replications on one seed.

    Every point is validated like a ``--set`` override before anything runs, so a value out
    of range fails at once with the path and value named.
    """
    points = factorial(factors)
    scenarios = [load(path, point, set_options=set_options) for point in points]
    root = scenarios[0].seed if seed is None else int(seed)
    compiled = [compile_params(s) for s in scenarios]
    tasks = [(params, root, r) for params in compiled for r in range(runs)]
    if on_total:
        on_total(len(tasks))
    outputs = run_ordered(run_replication, tasks, workers, on_done, scheduler=scheduler)
    results = [
        Results.from_runs(s.name, root, outputs[i * runs : (i + 1) * runs])
        for i, s in enumerate(scenarios)
    ]
    return SweepResult(
        scenarios[0].name, tuple(factors), points, results, root, runs, scenarios, str(path)
    )


def sweep(study: Study, factors: Sequence[Factor]) -> SweepResult:
    """Run every grid point of ``factors`` on ``study``'s one design (``study.runs``, 5 if None).

    Raises:
        SweepError: a grid larger than :data:`MAX_POINTS`, or a study of several designs
            (rank those with :func:`ccosim.experiment.sweep_ranking.ranking_sweep`).
    """
    if len(study.designs) != 1:
        raise SweepError("a sweep of one design; rank several with ranking_sweep")
    e = study.execution
    return run_sweep(
        study.designs[0].source,
        factors,
        runs=study.runs or 5,
        seed=study.seed,
        set_options=study.overrides,
        workers=e.workers,
        scheduler=e.scheduler,
        on_done=e.on_done,
        on_total=e.on_total,
    )
