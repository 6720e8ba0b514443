"""Compare org designs on the same simulated customers: paired deltas and attribution.

Every design runs the same replications on the same root seed, so replication ``i`` of each
design sees the same prospects, health noise and renewal draws (common random numbers), and
the difference between two designs in replication ``i`` is due to the designs alone.

That holds only for designs of the same company: the same segments, accounts, contract
values, go-to-market and horizon (:func:`customer_base`). :func:`run_comparison` refuses
designs that differ there unless asked (``allow_different_companies``); such a comparison is
marked ``paired=False`` and its differences get Welch intervals over independent samples.
Files whose name starts with ``_`` are bases other scenarios extend, not designs: they are
skipped with a note.

Attribution answers "why does B beat A?": each org-structure mechanism is switched off in
turn (in both designs) and the difference is measured again; what disappears is that
mechanism's share. When a design has an executive who may leave, executive turnover
(``assumptions.leadership.turnover``) is switched off first, so a leader's vacancies are a
share of their own, and the mechanisms then share the lead with every executive staying (each
of their variants runs with turnover off too, so the parts add up with no interaction term).
What no switch removes (staffing, service capacity, the presence of a team, interactions
between mechanisms) is reported as the remainder.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ccosim import kpis
from ccosim.bands import ltv_cac_notes
from ccosim.experiment.executors import run_ordered
from ccosim.experiment.staffing_check import staffing_warnings
from ccosim.experiment.study import (
    Design,
    Execution,
    Study,
    StudyError,
    design_labels,
    skipped_bases,
)
from ccosim.results import Results
from ccosim.scenario import Scenario
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params
from ccosim.stats import (
    Interval,
    PairedDelta,
    mean_interval,
    paired_delta,
    t_quantile,
)

__all__ = [
    "ATTRIBUTION_KEYS",
    "LOWER_IS_BETTER",
    "MECHANISMS",
    "REMAINDER",
    "SWITCH_TITLES",
    "TURNOVER",
    "CompareError",
    "Comparison",
    "Design",
    "Rank",
    "base_differences",
    "compare",
    "customer_base",
    "design_labels",
    "run_comparison",
    "run_designs",
    "run_study",
    "without_mechanism",
]

#: The org-structure mechanisms, each switchable under ``assumptions.effects``.
MECHANISMS: dict[str, str] = {
    "handoff_friction": "hand-off friction",
    "executive_incentives": "executive incentives",
    "single_retention_owner": "one owner of net retention",
    "span_of_control": "span of control",
}

#: Attribution's switch for executives leaving: run only when some design has a seat whose
#: holder may leave (docs/model.md, "Executive turnover").
TURNOVER = "executive_turnover"
#: Every attribution switch and its title: the org mechanisms, then executive turnover.
SWITCH_TITLES: dict[str, str] = {**MECHANISMS, TURNOVER: "executives leaving"}
#: The YAML key each attribution switch sets to false.
ATTRIBUTION_KEYS: dict[str, str] = {
    **{key: f"assumptions.effects.{key}" for key in MECHANISMS},
    TURNOVER: "assumptions.leadership.turnover",
}

#: KPIs where less is better (from the KPI catalogue, plus the report's cost per retained ARR).
LOWER_IS_BETTER = frozenset(
    {name for name in kpis.CATALOGUE if kpis.lower_is_better(name)} | {"cost_per_retained_arr"}
)


#: What no mechanism switch removes (team sizes, service capacity, interactions).
REMAINDER = "staffing, service and the rest"


def _interval(samples: np.ndarray) -> Interval:
    """Mean and 95% interval per year, replications with an undefined value left out."""
    if not np.isnan(samples).any():
        return mean_interval(samples)
    mean, lo, hi = (np.full(samples.shape[1], np.nan) for _ in range(3))
    for j in range(samples.shape[1]):
        column = samples[:, j][~np.isnan(samples[:, j])]
        if column.size:
            iv = mean_interval(column[:, None])
            mean[j], lo[j], hi[j] = iv.mean[0], iv.lo[0], iv.hi[0]
    return Interval(mean, lo, hi, samples.shape[0])


#: What a comparison that cannot be run as asked raises (an unknown baseline, too few runs).
CompareError = StudyError


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
    paired: bool = True
    notes: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        """Design labels in the order given."""
        return [d.label for d in self.designs]

    @property
    def mechanisms(self) -> list[str]:
        """The attribution switches this comparison ran, in :data:`SWITCH_TITLES` order."""
        return [m for m in SWITCH_TITLES if (self.baseline, m) in self.variants]

    @property
    def years(self) -> tuple[int, ...]:
        """Simulated years, 1..Y."""
        return self.results[self.baseline].years

    def design(self, label: str) -> Design:
        """The design called ``label``."""
        return next(d for d in self.designs if d.label == label)

    def delta(self, label: str, kpi: str, against: str | None = None) -> PairedDelta:
        """Difference of ``kpi`` (design minus ``against``, the baseline by default) per year.

        Paired replication by replication when the designs share the customer base; for a
        comparison that is not paired, a Welch interval over independent samples and no
        share of replications better (nan).
        """
        reference = self.results[against or self.baseline].yearly[kpi]
        design = self.results[label].yearly[kpi]
        better = kpi not in LOWER_IS_BETTER
        if self.paired:
            return paired_delta(reference, design, higher_is_better=better)
        return unpaired_delta(reference, design)

    def to_text(self) -> str:
        """The final-year headline table for a terminal, with a line saying how to read it.

        Each design's mean of every headline KPI (:data:`ccosim.kpis.HEADLINE`); beside every
        other design's value, ``+`` (better than the baseline: the 95% interval of the
        difference excludes 0), ``-`` (worse) or ``~`` (no clear difference).
        """
        # lazy: ccosim.formatting imports matplotlib (its chart axis formatter), which a
        # comparison run without text never needs.
        from ccosim.formatting import format_kpi, text_table

        rows = [["design", *(kpis.label(k) for k in kpis.HEADLINE)]]
        for label in self.labels:
            row = [label + (" *" if label == self.baseline else "")]
            for kpi in kpis.HEADLINE:
                cell = format_kpi(kpi, self.results[label].mean(kpi)[-1])
                if label != self.baseline:
                    cell += f" {self._mark(label, kpi)}"
                row.append(cell)
            rows.append(row)
        kind = "paired" if self.paired else "NOT paired (different companies), Welch"
        return "\n".join(
            [
                *(f"note: {n}" for n in self.notes),
                f"Year {self.years[-1]}, mean of {self.runs} runs (seed {self.seed}); * baseline; "
                f"vs baseline: + better, - worse ({kind} 95% interval excludes 0), ~ no clear "
                "difference",
                text_table(rows),
            ]
        )

    def _mark(self, label: str, kpi: str) -> str:
        """``+``, ``-`` or ``~``: the final year's difference from the baseline."""
        d = self.delta(label, kpi)
        if not (d.lo[-1] > 0 or d.hi[-1] < 0):
            return "~"
        good = (d.mean[-1] < 0) if kpi in LOWER_IS_BETTER else (d.mean[-1] > 0)
        return "+" if good else "-"

    def to_dict(self) -> dict[str, Any]:
        """The headline as JSON-ready data: every design, headline KPI and year."""
        return {
            "covers": "customer randomness only (assumptions held at their values)",
            "seed": self.seed,
            "runs": self.runs,
            "headline": headline(self, kpis.HEADLINE, list(self.years)),
        }

    def to_frame(self, kind: str = "yearly") -> Any:
        """Every design's results as one long pandas DataFrame, ``scenario`` = design label.

        Columns as :meth:`ccosim.results.Results.to_frame`: ``scenario, replication, year
        (or month), kpi, value``.
        """
        import pandas as pd

        return pd.concat(
            [self.results[lb].to_frame(kind, scenario=lb) for lb in self.labels],
            ignore_index=True,
        )

    def ranking(self, kpi: str, year: int | None = None) -> list[Rank]:
        """Designs from best to worst on ``kpi`` in ``year`` (the last by default).

        A design is level with the leader when their means are equal or the 95% interval of
        its difference from the leader includes zero; a leader is named only when no other
        design is level with it (ties are ties).
        """
        j = (year or self.years[-1]) - 1
        sign = -1.0 if kpi in LOWER_IS_BETTER else 1.0
        means = {lb: float(self.results[lb].mean(kpi)[j]) for lb in self.labels}
        order = sorted(
            self.labels, key=lambda lb: -sign * means[lb] if math.isfinite(means[lb]) else math.inf
        )
        leader = order[0]
        ranks = []
        for position, lb in enumerate(order, start=1):
            if lb == leader:
                level = True
            else:
                d = self.delta(lb, kpi, against=leader)
                level = means[lb] == means[leader] or bool(d.lo[j] <= 0 <= d.hi[j])
            ranks.append(Rank(lb, position, means[lb], level))
        return ranks

    def leader(self, kpi: str, year: int | None = None) -> str | None:
        """The one best design on ``kpi``, or None when another is level with it."""
        level = [r for r in self.ranking(kpi, year) if r.level_with_leader]
        return level[0].label if len(level) == 1 else None

    def _lead(self, label: str, kpi: str, mechanism: str = "") -> np.ndarray:
        """``label``'s paired lead over the baseline per replication and year (runs x years)."""
        if not mechanism:
            return self.results[label].yearly[kpi] - self.results[self.baseline].yearly[kpi]
        return (
            self.variants[(label, mechanism)].yearly[kpi]
            - self.variants[(self.baseline, mechanism)].yearly[kpi]
        )

    def _share_samples(self, label: str, kpi: str) -> dict[str, np.ndarray]:
        """Each switch's share of ``label``'s lead per replication and year, and the remainder.

        Nested when executive turnover was switched: its share is the lead less the lead with
        every executive staying; the org mechanisms then share that second lead, each variant
        run with turnover off as well (so the parts add up without an interaction term).

        Raises:
            CompareError: the comparison was run without attribution variants.
        """
        if not self.variants:
            raise CompareError("this comparison was run without attribution")
        full = self._lead(label, kpi)
        shares: dict[str, np.ndarray] = {}
        rest = full
        if TURNOVER in self.mechanisms:
            rest = self._lead(label, kpi, TURNOVER)
            shares[SWITCH_TITLES[TURNOVER]] = full - rest
        for mechanism in self.mechanisms:
            if mechanism != TURNOVER:
                shares[SWITCH_TITLES[mechanism]] = rest - self._lead(label, kpi, mechanism)
        shares[REMAINDER] = full - sum(shares.values())
        return shares

    def attribution(self, label: str, kpi: str, year: int) -> list[tuple[str, float]]:
        """Each mechanism's share of ``label``'s mean lead over the baseline in ``year``.

        Returns ``[(mechanism title, contribution), ..., ("staffing, service and the rest",
        remainder)]``; the contributions add up to the full mean difference. With executive
        turnover switched, "executives leaving" comes first and the org mechanisms share the
        lead with every executive staying.

        Raises:
            CompareError: the comparison was run without attribution variants.
        """
        j = year - 1
        shares = self._share_samples(label, kpi)
        parts = [
            (title, float(np.nanmean(values[:, j])))
            for title, values in shares.items()
            if title != REMAINDER
        ]
        full = float(np.nanmean(self._lead(label, kpi)[:, j]))
        parts.append((REMAINDER, full - sum(v for _, v in parts)))
        return parts

    def attribution_by_year(self, label: str, kpi: str) -> dict[str, Interval]:
        """Each mechanism's share of ``label``'s lead over the baseline, every year.

        Per replication, a mechanism's share is the paired difference minus the paired
        difference with that mechanism off in both designs (nested under executive turnover
        when it was switched, see :meth:`attribution`); the intervals are Student-t over
        replications (customer randomness only). Keys are mechanism titles and
        :data:`REMAINDER`.

        Raises:
            CompareError: run without attribution variants, or the comparison is not paired
                (shares of unpaired differences mean nothing).
        """
        if self.variants and not self.paired:
            raise CompareError("attribution needs designs of the same company (paired)")
        shares = self._share_samples(label, kpi)
        return {title: _interval(values) for title, values in shares.items()}


@dataclass(frozen=True)
class Rank:
    """A design's place on one KPI: position, mean, and whether it is level with the leader."""

    label: str
    position: int
    mean: float
    level_with_leader: bool


def unpaired_delta(reference: np.ndarray, design: np.ndarray) -> PairedDelta:
    """``design - reference`` as a difference of means with a Welch 95% interval per year."""
    reference = np.asarray(reference, dtype=float)
    design = np.asarray(design, dtype=float)
    n_ref, n_des = reference.shape[0], design.shape[0]
    mean = np.nanmean(design, axis=0) - np.nanmean(reference, axis=0)
    v_ref = np.nanvar(reference, axis=0, ddof=1) / n_ref
    v_des = np.nanvar(design, axis=0, ddof=1) / n_des
    se = np.sqrt(v_ref + v_des)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (v_ref + v_des) ** 2 / (v_ref**2 / (n_ref - 1) + v_des**2 / (n_des - 1))
    t = np.array([t_quantile(0.975, max(1, int(d))) if np.isfinite(d) else 0.0 for d in df])
    half = t * se
    return PairedDelta(mean, mean - half, mean + half, np.full(mean.shape, np.nan), n_des)


def customer_base(scenario: Scenario, *, horizon: bool = True) -> dict[str, Any]:
    """What two designs must share to be compared on the same customers.

    The segments with their accounts, contract values, new-logo plan, contract terms, churn
    and expansion (the go-to-market), the currency and the horizon. How many accounts a CSM
    carries is staffing, a design choice, and is left out.
    """
    customers = scenario.customers.model_dump(mode="json")
    for segment in customers["segments"].values():
        segment.pop("accounts_per_csm", None)
    base: dict[str, Any] = {"customers": customers, "currency": scenario.currency}
    if horizon:
        base["horizon_years"] = scenario.horizon_years
    return base


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: data}


def base_differences(reference: Scenario, other: Scenario, *, horizon: bool = True) -> list[str]:
    """How ``other``'s customer base differs from ``reference``'s (``path: a vs b``), sorted."""
    a = _leaves(customer_base(reference, horizon=horizon))
    b = _leaves(customer_base(other, horizon=horizon))
    return [
        f"{key}: {a.get(key, 'absent')} vs {b.get(key, 'absent')}"
        for key in sorted(set(a) | set(b))
        if a.get(key) != b.get(key)
    ]


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
    allow_different_companies: bool = False,
) -> Comparison:
    """Load the designs of ``paths`` into a :class:`Study` and :func:`compare` them.

    Args:
        paths: Scenario files, two or more designs. Files named ``_*.yaml`` are bases, not
            designs: they are skipped (a note says so).
        baseline: Label or file stem of the design deltas are measured against; the first
            design when omitted.
        runs: Replications per design.
        seed: Root seed for every design; the baseline scenario's ``seed`` when omitted.
        years: Horizon for every design; the baseline's ``horizon_years`` when omitted (the
            designs must then share it).
        set_options: ``--set PATH=VALUE`` overrides applied to every design.
        attribution: Also run each design with each org mechanism switched off.
        workers: Processes (1 for serial, None for all cores).
        scheduler: A Dask scheduler address or client, instead of local processes.
        on_done: Progress callback: replications finished so far.
        on_total: Told the total number of replications once, before they start.
        allow_different_companies: Run designs whose customer bases differ; the comparison
            is then not paired (``Comparison.paired`` is false).

    Raises:
        CompareError: fewer than two designs, an unknown baseline, bad ``runs``, or designs
            of different companies without ``allow_different_companies``.
        ScenarioError: a scenario file or override is invalid.
    """
    check_designs(paths, runs)
    study = Study.from_files(
        paths,
        baseline=baseline,
        seed=seed,
        runs=runs,
        years=years,
        set_options=set_options,
        execution=Execution(workers, scheduler, on_done, on_total),
    )
    return compare(
        study, attribution=attribution, allow_different_companies=allow_different_companies
    )


def check_designs(paths: Sequence[str | Path], runs: int | None) -> None:
    """Refuse, before loading anything, fewer than two designs or fewer than 2 runs.

    Raises:
        CompareError: what is wrong, in the words of ``ccosim compare``.
    """
    files, notes = skipped_bases(paths)
    if len(files) < 2:
        skipped = f" ({len(notes)} base file(s) skipped)" if notes else ""
        raise CompareError(f"compare needs at least two scenario files{skipped}")
    if runs is not None and runs < 2:
        raise CompareError("compare needs at least 2 runs for intervals (--runs)")


def company_differences(study: Study) -> dict[str, list[str]]:
    """How each design's customer base differs from the baseline's, by source file.

    The horizon counts only when the study runs on the baseline's own horizon (no
    ``years``): then a design whose file gives another horizon is another company.
    """
    base = study.design(study.baseline)
    base_horizon = study.given_horizons[study.designs.index(base)]
    differences = {}
    for design, horizon in zip(study.designs, study.given_horizons, strict=True):
        diff = base_differences(base.scenario, design.scenario, horizon=False)
        if study.years is None and horizon != base_horizon:
            diff.append(f"horizon_years: {base_horizon} vs {horizon}")
        differences[design.source] = diff
    return differences


def compare(
    study: Study, *, attribution: bool = True, allow_different_companies: bool = False
) -> Comparison:
    """Run every design of ``study`` on common random numbers (``study.runs`` each, 20 if None).

    Args:
        study: The designs, baseline, seed, runs and execution.
        attribution: Also run each design with each org mechanism switched off.
        allow_different_companies: Run designs whose customer bases differ; the comparison
            is then not paired (``Comparison.paired`` is false).

    Raises:
        CompareError: fewer than two designs or 2 runs, or designs of different companies
            without ``allow_different_companies``.
    """
    runs = 20 if study.runs is None else study.runs
    check_designs([d.source for d in study.designs], runs)
    differing = {path: diff for path, diff in company_differences(study).items() if diff}
    if differing and not allow_different_companies:
        lines = [
            f"{path}: {'; '.join(diff[:4])}{' ...' if len(diff) > 4 else ''}"
            for path, diff in differing.items()
        ]
        raise CompareError(
            f"these designs do not share the customer base of "
            f"{study.design(study.baseline).source} (segments, "
            "accounts, contract values, go-to-market, horizon), so they cannot be compared "
            "on the same customers:\n  "
            + "\n  ".join(lines)
            + "\nCompare designs of one company, or pass --allow-different-companies "
            "(the comparison is then not paired)."
        )
    comparison = run_study(study, runs, attribution=attribution)
    notes = study.notes + tuple(staffing_warnings([(d.label, d.scenario) for d in study.designs]))
    notes += tuple(
        f"{path} is another company ({len(diff)} differences in the customer base): not paired"
        for path, diff in differing.items()
    )
    final = {label: float(r.mean("ltv_to_cac")[-1]) for label, r in comparison.results.items()}
    notes += tuple(ltv_cac_notes(final, comparison.years[-1]))
    return replace(comparison, paired=not differing, notes=notes)


def without_mechanism(scenario: Scenario, mechanism: str) -> Scenario:
    """``scenario`` with one attribution switch off (its key in :data:`ATTRIBUTION_KEYS`)."""
    if mechanism == TURNOVER:
        leadership = scenario.assumptions.leadership.model_copy(update={"turnover": False})
        assumptions = scenario.assumptions.model_copy(update={"leadership": leadership})
        return scenario.model_copy(update={"assumptions": assumptions})
    effects = scenario.assumptions.effects.model_copy(update={mechanism: False})
    assumptions = scenario.assumptions.model_copy(update={"effects": effects})
    return scenario.model_copy(update={"assumptions": assumptions})


def _switched_off(scenario: Scenario, mechanism: str, switches: Sequence[str]) -> Scenario:
    """The attribution variant: ``mechanism`` off, and turnover off too when it is switched.

    The org mechanisms' shares are measured with every executive staying when turnover is
    one of the ``switches`` (:meth:`Comparison.attribution` nests them under it).
    """
    off = without_mechanism(scenario, mechanism)
    if TURNOVER in switches and mechanism != TURNOVER:
        off = without_mechanism(off, TURNOVER)
    return off


def run_study(study: Study, runs: int, *, attribution: bool) -> Comparison:
    """Run ``study``'s designs ``runs`` times each, on its seed, workers and progress."""
    return run_designs(
        study.designs,
        baseline=study.baseline,
        runs=runs,
        seed=study.seed,
        attribution=attribution,
        workers=study.execution.workers,
        scheduler=study.execution.scheduler,
        on_done=study.execution.on_done,
        on_total=study.execution.on_total,
        overrides=study.overrides,
    )


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
    compiled = [compile_params(s) for _, s in configs]
    if attribution:
        switches = list(MECHANISMS)
        if any(epoch.turnover for params in compiled for epoch in params.epochs):
            switches.append(TURNOVER)
        variants_of = [
            ((d.label, mechanism), _switched_off(d.scenario, mechanism, switches))
            for d in designs
            for mechanism in switches
        ]
        configs += variants_of
        compiled += [compile_params(s) for _, s in variants_of]
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


def headline(comparison: Comparison, names: Sequence[str], years: Sequence[int]) -> list[dict]:
    """Rows for the headline table: per design, KPI and year, mean, interval and delta."""
    rows = []
    for label in comparison.labels:
        result = comparison.results[label]
        for kpi in names:
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
