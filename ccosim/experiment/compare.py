"""Compare org designs on the same simulated customers: paired deltas and attribution.

Every design runs the same replications on the same root seed, so replication ``i`` of each
design sees the same prospects, health noise and renewal draws (common random numbers), and
the difference between two designs in replication ``i`` is due to the designs alone.

Attribution answers "why does B beat A?": each org-structure mechanism is switched off in
turn (in both designs) and the difference is measured again; what disappears is that
mechanism's share. What no switch removes (staffing, service capacity, the presence of a
team, interactions between mechanisms) is reported as the remainder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ccosim.errors import CcosimError
from ccosim.experiment.executors import run_ordered
from ccosim.experiment.stats import PairedDelta, paired_delta
from ccosim.results import Results
from ccosim.scenario import Scenario, load
from ccosim.scenario.plain import strip_control
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params

__all__ = [
    "LOWER_IS_BETTER",
    "MECHANISMS",
    "CompareError",
    "Comparison",
    "Design",
    "design_labels",
    "run_comparison",
    "run_designs",
    "without_mechanism",
]

#: The org-structure mechanisms, each switchable under ``assumptions.effects``.
MECHANISMS: dict[str, str] = {
    "handoff_friction": "hand-off friction",
    "executive_incentives": "executive incentives",
    "single_retention_owner": "one owner of net retention",
    "span_of_control": "span of control",
}

#: KPIs where less is better (everything else: more is better).
LOWER_IS_BETTER = frozenset(
    {
        "org_cost",
        "cac",
        "cac_payback_months",
        "red_share",
        "time_to_value_months",
        "support_cost_per_ticket",
        "support_response_hours",
        "hiring_gap",
        "churned_logos",
        "arr_churn",
        "arr_contraction",
        "deals_lost_capacity",
        "onboarding_queue",
        "cogs",
        "headcount",
        "cost_per_retained_arr",
    }
)


class CompareError(CcosimError):
    """A comparison that cannot be run as asked (e.g. an unknown baseline)."""


@dataclass(frozen=True)
class Design:
    """One design in a comparison: a short label, its source file and the resolved scenario."""

    label: str
    source: str
    scenario: Scenario


@dataclass(frozen=True)
class Comparison:
    """Results of every design (and attribution variant) on common random numbers."""

    designs: tuple[Design, ...]
    baseline: str
    seed: int
    runs: int
    results: dict[str, Results]
    variants: dict[tuple[str, str], Results] = field(default_factory=dict)
    overrides: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        """Design labels in the order given."""
        return [d.label for d in self.designs]

    @property
    def years(self) -> tuple[int, ...]:
        """Simulated years, 1..Y."""
        return self.results[self.baseline].years

    def design(self, label: str) -> Design:
        """The design called ``label``."""
        return next(d for d in self.designs if d.label == label)

    def delta(self, label: str, kpi: str) -> PairedDelta:
        """Paired difference of ``kpi`` (design minus baseline) per year."""
        return paired_delta(
            self.results[self.baseline].yearly[kpi],
            self.results[label].yearly[kpi],
            higher_is_better=kpi not in LOWER_IS_BETTER,
        )

    def attribution(self, label: str, kpi: str, year: int) -> list[tuple[str, float]]:
        """Each mechanism's share of ``label``'s mean lead over the baseline in ``year``.

        Returns ``[(mechanism title, contribution), ..., ("staffing, service and the rest",
        remainder)]``; the contributions add up to the full mean difference.

        Raises:
            CompareError: the comparison was run without attribution variants.
        """
        if not self.variants:
            raise CompareError("this comparison was run without attribution")
        j = year - 1
        full = float(
            np.nanmean(
                self.results[label].yearly[kpi][:, j]
                - self.results[self.baseline].yearly[kpi][:, j]
            )
        )
        parts = []
        for mechanism, title in MECHANISMS.items():
            without = float(
                np.nanmean(
                    self.variants[(label, mechanism)].yearly[kpi][:, j]
                    - self.variants[(self.baseline, mechanism)].yearly[kpi][:, j]
                )
            )
            parts.append((title, full - without))
        parts.append(("staffing, service and the rest", full - sum(v for _, v in parts)))
        return parts


def design_labels(paths: Sequence[Path]) -> list[str]:
    """Short unique labels from file names (``cco_full``; ``cco_full-2`` on a clash)."""
    labels: list[str] = []
    for path in paths:
        stem = strip_control(path.stem) or "design"  # a label reaches terminals, SVG, CSV
        label, n = stem, 2
        while label in labels:
            label, n = f"{stem}-{n}", n + 1
        labels.append(label)
    return labels


def run_comparison(
    paths: Sequence[str | Path],
    *,
    baseline: str | None = None,
    runs: int = 20,
    seed: int | None = None,
    years: int | None = None,
    set_options: Sequence[str] = (),
    attribution: bool = True,
    workers: int | None = None,
    scheduler: Any = None,
    on_done: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Comparison:
    """Run every design on common random numbers.

    Args:
        paths: Scenario files, two or more.
        baseline: Label (file stem) of the design deltas are measured against; the first
            design when omitted.
        runs: Replications per design.
        seed: Root seed for every design; the baseline scenario's ``seed`` when omitted.
        years: Horizon for every design; the baseline's ``horizon_years`` when omitted.
        set_options: ``--set PATH=VALUE`` overrides applied to every design.
        attribution: Also run each design with each org mechanism switched off.
        workers: Processes (1 for serial, None for all cores).
        scheduler: A Dask scheduler address or client, instead of local processes.
        on_done: Progress callback: replications finished so far.
        on_total: Told the total number of replications once, before they start.

    Raises:
        CompareError: fewer than two designs, an unknown baseline, or bad ``runs``.
        ScenarioError: a scenario file or override is invalid.
    """
    paths = [Path(p) for p in paths]
    if len(paths) < 2:
        raise CompareError("compare needs at least two scenario files")
    if runs < 2:
        raise CompareError("compare needs at least 2 runs for intervals (--runs)")
    labels = design_labels(paths)
    base_label = baseline or labels[0]
    if base_label not in labels:
        raise CompareError(f"--baseline {base_label!r} is none of: {', '.join(labels)}")

    base_path = paths[labels.index(base_label)]
    first = load(base_path, set_options=set_options)
    horizon = years or first.horizon_years
    root = first.seed if seed is None else int(seed)
    common: dict[str, Any] = {"horizon_years": horizon}
    designs = tuple(
        Design(label, str(path), load(path, common, set_options=set_options))
        for label, path in zip(labels, paths, strict=True)
    )
    return run_designs(
        designs,
        baseline=base_label,
        runs=runs,
        seed=root,
        attribution=attribution,
        workers=workers,
        scheduler=scheduler,
        on_done=on_done,
        on_total=on_total,
        overrides=tuple(set_options),
    )


def without_mechanism(scenario: Scenario, mechanism: str) -> Scenario:
    """``scenario`` with one org mechanism switched off (``assumptions.effects.NAME``)."""
    effects = scenario.assumptions.effects.model_copy(update={mechanism: False})
    assumptions = scenario.assumptions.model_copy(update={"effects": effects})
    return scenario.model_copy(update={"assumptions": assumptions})


def run_designs(
    designs: Sequence[Design],
    *,
    baseline: str,
    runs: int,
    seed: int,
    attribution: bool = True,
    workers: int | None = None,
    scheduler: Any = None,
    on_done: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    overrides: tuple[str, ...] = (),
) -> Comparison:
    """Run already-loaded designs on common random numbers (see :func:`run_comparison`)."""
    configs: list[tuple[tuple[str, str], Scenario]] = [((d.label, ""), d.scenario) for d in designs]
    if attribution:
        for d in designs:
            for mechanism in MECHANISMS:
                configs.append(((d.label, mechanism), without_mechanism(d.scenario, mechanism)))
    compiled = [compile_params(s) for _, s in configs]
    tasks = [(params, seed, r) for params in compiled for r in range(runs)]
    if on_total:
        on_total(len(tasks))
    outputs = run_ordered(run_replication, tasks, workers, on_done, scheduler=scheduler)

    results: dict[str, Results] = {}
    variants: dict[tuple[str, str], Results] = {}
    for i, ((label, mechanism), scenario) in enumerate(configs):
        chunk = outputs[i * runs : (i + 1) * runs]
        result = Results.from_runs(scenario.name, seed, chunk)
        if mechanism:
            variants[(label, mechanism)] = result
        else:
            results[label] = result
    return Comparison(tuple(designs), baseline, seed, runs, results, variants, overrides)


def headline(comparison: Comparison, kpis: Mapping[str, str], years: Sequence[int]) -> list[dict]:
    """Rows for the headline table: per design, KPI and year, mean, interval and delta."""
    rows = []
    for label in comparison.labels:
        result = comparison.results[label]
        for kpi in kpis:
            interval = result.interval(kpi)
            delta = None if label == comparison.baseline else comparison.delta(label, kpi)
            for year in years:
                j = year - 1
                rows.append(
                    {
                        "design": label,
                        "kpi": kpi,
                        "year": year,
                        "mean": float(interval.mean[j]),
                        "lo": float(interval.lo[j]),
                        "hi": float(interval.hi[j]),
                        "delta": None if delta is None else float(delta.mean[j]),
                        "delta_lo": None if delta is None else float(delta.lo[j]),
                        "delta_hi": None if delta is None else float(delta.hi[j]),
                        "share_better": None if delta is None else float(delta.share_better[j]),
                    }
                )
    return rows
