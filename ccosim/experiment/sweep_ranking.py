"""Sweeps over several designs: the ranking of the designs at every grid point.

"Under which assumptions does design X stop being best?" Every grid point fixes the swept
keys (removing them from the uncertainty ranges) and runs every design on common random
numbers; with draws, under common parameter draws of the remaining ranges. At each point the
designs are ranked by expected NPV of operating contribution, with the probability that each
is best: over draws and customers with ``draws``, over customers only without.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ccosim.experiment.decision import p_best
from ccosim.experiment.psa import run_psa
from ccosim.experiment.study import Execution, Study, design_labels
from ccosim.experiment.sweep import Factor, factorial
from ccosim.money import DEFAULT_DISCOUNT_RATE
from ccosim.scenario import load
from ccosim.scenario.uncertainty import Discrete, key_value

__all__ = ["RankingSweep", "ranking_sweep", "run_ranking_sweep"]


@dataclass(frozen=True)
class RankingSweep:
    """Expected NPV and P(best) of every design at every grid point."""

    labels: tuple[str, ...]
    factors: tuple[Factor, ...]
    points: list[dict[str, Any]]
    expected_npv: np.ndarray  # points x designs
    p_best: np.ndarray  # points x designs
    draws: int | None
    runs: int
    covers: str

    def best(self) -> list[str]:
        """The design with the highest expected NPV at each point."""
        return [self.labels[int(i)] for i in np.argmax(self.expected_npv, axis=1)]

    def where_not_best(self, label: str) -> list[dict[str, Any]]:
        """The grid points at which ``label`` is not the design with the highest expected NPV."""
        return [p for p, b in zip(self.points, self.best(), strict=True) if b != label]


def _fixed(scenario: Any) -> Any:
    table = {
        p: Discrete(dist="discrete", values=[float(key_value(scenario, p))])
        for p in scenario.uncertainty
    }
    return scenario.model_copy(update={"uncertainty": table})


def run_ranking_sweep(
    paths: Sequence[str | Path],
    factors: Sequence[Factor],
    *,
    draws: int | None = None,
    runs: int = 2,
    seed: int | None = None,
    set_options: Sequence[str] = (),
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    workers: int | None = None,
    scheduler: Any = None,
    on_done: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RankingSweep:
    """Load ``paths`` into a :class:`Study` and :func:`ranking_sweep` it."""
    study = Study.from_files(
        paths,
        seed=seed,
        runs=runs,
        set_options=set_options,
        execution=Execution(workers, scheduler, on_done, on_total),
        skip_bases=False,
    )
    return ranking_sweep(study, factors, draws=draws, discount_rate=discount_rate)


def ranking_sweep(
    study: Study,
    factors: Sequence[Factor],
    *,
    draws: int | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> RankingSweep:
    """Rank ``study``'s designs at every grid point of ``factors``.

    Without ``draws`` each point is ``study.runs`` replications (5 if None) with the
    assumptions at their values (exactly a plain comparison's replications); with ``draws``
    each point is a PSA of ``draws`` x ``study.runs`` (2 if None) on the remaining ranges.
    Designs are named by their ``label:`` (else their file stem), as reports name them.
    """
    runs = study.runs or (2 if draws else 5)
    paths = [Path(d.source) for d in study.designs]
    labels = design_labels(paths, [d.scenario for d in study.designs])
    set_options = study.overrides
    root = study.seed
    on_done, on_total = study.execution.on_done, study.execution.on_total
    workers, scheduler = study.execution.workers, study.execution.scheduler
    points = factorial(factors)
    swept = {f.path for f in factors}
    horizon = {"horizon_years": study.horizon_years}
    per_point = (draws or runs) * (runs if draws else 1) * len(paths)
    if on_total:
        on_total(per_point * len(points))
    expected, shares = [], []
    for index, point in enumerate(points):
        scenarios = []
        for path in paths:
            s = load(path, {**horizon, **point}, set_options=set_options)
            table = {k: v for k, v in s.uncertainty.items() if k not in swept}
            s = s.model_copy(update={"uncertainty": table})
            scenarios.append(s if draws else _fixed(s))
        offset = index * per_point

        def progress(n: int, offset: int = offset) -> None:
            if on_done:
                on_done(offset + n)

        psa = run_psa(
            labels,
            scenarios,
            draws=draws or runs,
            runs=runs if draws else 1,
            seed=root,
            discount_rate=discount_rate,
            execution=Execution(workers, scheduler, progress),
            draws_needed=bool(draws),
        )
        expected.append(psa.npv.mean(axis=0))
        shares.append(p_best(psa.npv))
    covers = (
        "assumption uncertainty and customer randomness"
        if draws
        else "customer randomness only (assumptions held at their values)"
    )
    return RankingSweep(
        tuple(labels),
        tuple(factors),
        points,
        np.array(expected),
        np.array(shares),
        draws,
        runs,
        covers,
    )
