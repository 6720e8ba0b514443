"""Probabilistic sensitivity analysis: every design under many draws of the assumptions.

Two kinds of uncertainty are kept apart and then combined:

* **customer randomness** (aleatory): which prospects arrive, health noise, renewal luck. It
  is what replications sample, with common random numbers across designs;
* **assumption uncertainty** (epistemic): the sizes of effects nobody has measured, given as
  ranges in the scenarios' ``uncertainty:`` blocks.

A PSA draws N points of the assumptions by Latin hypercube (or scrambled Sobol) on the unit
cube, mapped through each distribution's quantile function, and runs every design at every
draw: the **same draws for every design** (common parameter draws, the epistemic twin of
common random numbers). Each draw runs R replications; replication ``r`` of draw ``i`` uses
the customer streams of replication ``i * R + r``, the same for every design, so N x R
distinct customer futures are sampled and designs stay paired. With every uncertain key fixed
to its own value, the draws are exactly the replications of a plain run of N x R runs.

Work is shipped to the executors in batches of draws (one task runs several draws x designs x
replications), and each task returns only per-draw summaries (final-year KPIs, discounted and
undiscounted contribution, net value against the baseline and its break-even month), so
memory grows by a few numbers per draw, never by monthly series.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ccosim import kpis
from ccosim.errors import CcosimError
from ccosim.experiment.business_case import (
    CONTRIBUTION_MEASURES,
    _break_even,
    _with_transition,
    business_case_study,
    contribution,
)
from ccosim.experiment.executors import default_workers, run_ordered
from ccosim.experiment.refit import calibration_fit, refit, stored_targets, with_inputs
from ccosim.experiment.study import Execution, Study, StudyError, design_labels, skipped_bases
from ccosim.money import DEFAULT_DISCOUNT_RATE, npv
from ccosim.results import Results
from ccosim.scenario import Scenario
from ccosim.scenario.uncertainty import Distribution, apply_values
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params
from ccosim.streams import stream

__all__ = [
    "SUMMARY_KPIS",
    "PsaError",
    "PsaResult",
    "UncertainKey",
    "draw_parameters",
    "psa",
    "psa_for_business_case",
    "psa_for_comparison",
    "refit_spec",
    "run_batched",
    "run_psa",
    "uncertain_keys",
]

#: Final-year KPIs kept per draw and design: the headline KPIs, which the draws' report shows.
SUMMARY_KPIS: tuple[str, ...] = kpis.HEADLINE
#: Replications one executor task aims to hold (several draws x designs x runs).
TARGET_TASK_SIZE = 16


class PsaError(CcosimError):
    """A PSA that cannot be run as asked (no uncertain keys, designs that disagree, ...)."""


@dataclass(frozen=True)
class UncertainKey:
    """One uncertain assumption: its dotted path, its distribution, the designs it applies to."""

    path: str
    dist: Distribution
    designs: tuple[int, ...]


def uncertain_keys(scenarios: Sequence[Scenario], labels: Sequence[str]) -> list[UncertainKey]:
    """Union of the designs' ``uncertainty`` tables, in first-seen order.

    A key declared by several designs must have the same distribution in each (the draws are
    shared); a key declared by some designs only applies to those.

    Raises:
        PsaError: two designs give one key different distributions.
    """
    found: dict[str, tuple[Distribution, list[int], str]] = {}
    for index, (scenario, label) in enumerate(zip(scenarios, labels, strict=True)):
        for path, dist in scenario.uncertainty.items():
            if path not in found:
                found[path] = (dist, [index], label)
                continue
            first, where, first_label = found[path]
            if first.model_dump(exclude={"reason"}) != dist.model_dump(exclude={"reason"}):
                raise PsaError(
                    f"uncertainty.{path}: {first_label} gives {first.describe()} but {label} "
                    f"gives {dist.describe()}; designs compared on common draws must agree: "
                    f"give both files the same range, or drop it from one with "
                    f"'{path}: null' under its uncertainty:"
                )
            where.append(index)
    return [UncertainKey(p, d, tuple(w)) for p, (d, w, _) in found.items()]


def draw_parameters(
    keys: Sequence[UncertainKey], draws: int, seed: int, method: str = "lhs"
) -> np.ndarray:
    """``draws`` x ``len(keys)`` values of the uncertain keys.

    A Latin hypercube or scrambled Sobol design on the unit cube, seeded from the root seed,
    mapped through each key's quantile function.

    Raises:
        PsaError: an unknown method or fewer than 2 draws.
    """
    from scipy.stats import qmc

    if draws < 2:
        raise PsaError("a PSA needs at least 2 draws (--draws)")
    rng = stream(seed, 0, "assumption-draws")
    k = len(keys)
    if k == 0:
        return np.zeros((draws, 0))
    if method == "lhs":
        unit = qmc.LatinHypercube(d=k, rng=rng).random(draws)
    elif method == "sobol":
        m = math.ceil(math.log2(draws))
        unit = qmc.Sobol(d=k, scramble=True, rng=rng).random_base2(m)[:draws]
    else:
        raise PsaError(f"unknown sampling method {method!r}; use lhs or sobol")
    # Keep strictly inside (0, 1): a quantile function at exactly 0 or 1 may be infinite.
    unit = np.clip(unit, 1e-12, 1 - 1e-12)
    return np.column_stack([_drawn(key, key.dist.ppf(unit[:, j])) for j, key in enumerate(keys)])


def _drawn(key: UncertainKey, values: np.ndarray) -> np.ndarray:
    """``values`` if every one is a number inside the key's checked range, else a PsaError.

    Validation checked the range's ends against the key's bounds and every state they allow
    (:mod:`ccosim.scenario.drawn_states`); a quantile function that left the range (a float
    underflow in a far tail) would run a state nobody checked, so it stops here instead.
    """
    lo, hi = key.dist.support()
    slack = 1e-9 * max(1.0, abs(lo), abs(hi))
    bad = ~np.isfinite(values) | (values < lo - slack) | (values > hi + slack)
    if bad.any():
        row = int(np.argmax(bad))
        raise PsaError(
            f"uncertainty.{key.path}: draw {row + 1} of {key.dist.describe()} is "
            f"{float(values[row])!r}, outside its range {lo:g}..{hi:g} (a quantile the floats "
            "cannot represent); give a narrower or less skewed range"
        )
    return values


@dataclass(frozen=True)
class _Transition:
    """A business case hired at a month > 0: the proposed org is the current one + a timeline."""

    proposed: int
    current: Scenario
    target: Scenario
    month: int
    source: str
    target_path: str = ""


@dataclass(frozen=True)
class _Batch:
    scenarios: tuple[Scenario, ...]
    keys: tuple[tuple[str, tuple[int, ...]], ...]
    draws: tuple[int, ...]
    values: np.ndarray  # len(draws) x len(keys)
    seed: int
    runs: int
    discount_rate: float
    hire_month: int
    transition: _Transition | None = None
    refit: tuple[int, tuple[int, ...]] | None = None  # calibrated design, designs refitted


def _design_scenarios(batch: _Batch, values: np.ndarray) -> list[Scenario]:
    out = []
    for d, scenario in enumerate(batch.scenarios):
        mine = {p: float(v) for (p, where), v in zip(batch.keys, values, strict=True) if d in where}
        out.append(apply_values(scenario, mine) if mine else scenario)
    t = batch.transition
    if t is not None and any(p.startswith("org.") for p, _ in batch.keys):
        # Unit keys live in the current and the target org; rebuild the transition from both.
        current = apply_values(
            t.current, {p: float(v) for (p, _), v in zip(batch.keys, values, strict=True)}
        )
        target = apply_values(
            t.target, {p: float(v) for (p, _), v in zip(batch.keys, values, strict=True)}
        )
        out[t.proposed] = _with_transition(current, target, t.month, t.source, t.target_path)
    return out


def _slim(output: dict[str, Any]) -> dict[str, Any]:
    """The part of a replication's output a draw's summary reads (stacking the rest costs)."""
    monthly, yearly = output["monthly"], output["yearly"]
    return {
        "monthly": {k: monthly[k] for k in CONTRIBUTION_MEASURES if k in monthly},
        "yearly": {k: yearly[k] for k in SUMMARY_KPIS if k in yearly},
    }


def run_draw_batch(batch: _Batch) -> list[dict[str, Any]]:
    """Run every design at every draw of ``batch``; per-draw summaries (module level for pools)."""
    out = []
    for row, draw in enumerate(batch.draws):
        scenarios = _design_scenarios(batch, batch.values[row])
        fit = _refit_designs(scenarios, batch.refit)
        monthly, kpis = [], []
        for scenario in scenarios:
            params = compile_params(scenario)
            reps = [
                _slim(run_replication((params, batch.seed, draw * batch.runs + r)))
                for r in range(batch.runs)
            ]
            result = Results.from_runs(scenario.name, batch.seed, reps)
            monthly.append(contribution(result).mean(axis=0))
            kpis.append(
                [
                    float(np.nanmean(result.yearly[k][:, -1])) if k in result.yearly else np.nan
                    for k in SUMMARY_KPIS
                ]
            )
        contributions = np.array(monthly)  # designs x months, mean over replications
        net = contributions - contributions[0]
        cumulative = np.cumsum(net, axis=1)
        out.append(
            {
                "draw": draw,
                "kpis": np.array(kpis),
                "npv": npv(contributions, batch.discount_rate),
                "value": contributions.sum(axis=1),
                "net_npv": npv(net, batch.discount_rate),
                "net_value": cumulative[:, -1],
                "break_even": np.array(
                    [
                        np.nan if (m := _break_even(c, batch.hire_month)) is None else m
                        for c in cumulative
                    ],
                    dtype=float,
                ),
                **fit,
            }
        )
    return out


def _refit_designs(
    scenarios: list[Scenario], spec: tuple[int, tuple[int, ...]] | None
) -> dict[str, Any]:
    """Re-fit today's inputs to its stored targets at this draw.

    The designs that carry the same targets take the re-fitted inputs (in place); returns the
    fit's gaps before and after, for the JSON.
    """
    if spec is None:
        return {}
    found = refit(scenarios[spec[0]])
    if found is None:
        return {}
    for d in spec[1]:
        scenarios[d] = with_inputs(scenarios[d], found.inputs)
    return {
        "fit_before": found.before,
        "fit_after": found.after,
        "fit_steps": found.steps,
        "fit_inputs": found.inputs,
    }


def refit_spec(scenarios: Sequence[Scenario]) -> tuple[int, tuple[int, ...]] | None:
    """Which design's stored targets are re-fitted per draw, and which designs take the result.

    Today's design is the first (baseline first) with a ``calibration`` block; every design
    carrying the same block (a file extending it, the current org plus a transition) takes
    its re-fitted inputs. None when no design stores targets.
    """
    for i, scenario in enumerate(scenarios):
        if scenario.calibration is not None and stored_targets(scenario):
            same = tuple(
                d for d, other in enumerate(scenarios) if other.calibration == scenario.calibration
            )
            return i, same
    return None


@dataclass(frozen=True)
class PsaResult:
    """Per-draw summaries of every design (arrays over draws first).

    Attributes:
        labels: Design labels; the first is the baseline of net values.
        keys: The uncertain assumptions, in column order of ``parameters``.
        parameters: Drawn values, draws x keys.
        kpis: Final-year KPIs, draws x designs x ``SUMMARY_KPIS``.
        npv: Discounted operating contribution over the horizon, draws x designs.
        value: Undiscounted operating contribution, draws x designs.
        net_npv: ``npv`` minus the baseline's, draws x designs.
        net_value: ``value`` minus the baseline's, draws x designs.
        break_even: Month the net value against the baseline turns for good (nan: never),
            draws x designs.
        runs: Replications per draw; seed, method, discount_rate, horizon_months as run.
    """

    labels: tuple[str, ...]
    keys: tuple[UncertainKey, ...]
    parameters: np.ndarray
    kpis: np.ndarray
    npv: np.ndarray
    value: np.ndarray
    net_npv: np.ndarray
    net_value: np.ndarray
    break_even: np.ndarray
    runs: int
    seed: int
    method: str
    discount_rate: float
    horizon_months: int
    hire_month: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def draws(self) -> int:
        """Number of parameter draws."""
        return self.parameters.shape[0]

    def kpi(self, name: str) -> np.ndarray:
        """Final-year ``name``, draws x designs."""
        return self.kpis[:, :, SUMMARY_KPIS.index(name)]


def _batches(draws: int, per_draw: int, workers: int) -> list[tuple[int, int]]:
    size = max(1, math.ceil(TARGET_TASK_SIZE / per_draw))
    size = max(1, min(size, math.ceil(draws / (4 * workers))))  # enough tasks to balance
    return [(start, min(start + size, draws)) for start in range(0, draws, size)]


def run_batched(
    runner: Callable[[Any], list[dict[str, Any]]],
    task: Callable[[int, int], Any],
    *,
    draws: int,
    per_draw: int,
    execution: Execution,
    **result: Any,
) -> tuple[PsaResult, list[dict[str, Any]]]:
    """Run the draws in batches on ``execution``, in draw order, and stack their summaries.

    The one batch runner of every PSA (designs, a business case, several options): the
    draws are cut into tasks of about :data:`TARGET_TASK_SIZE` replications, progress is
    reported in replications as tasks finish, and the rows come back in draw order whatever
    the order the tasks finished in.

    Args:
        runner: Runs one task and returns one row a draw (``kpis``, ``npv``, ``value``,
            ``net_npv``, ``net_value``, ``break_even`` and whatever else the caller reads).
        task: Builds the task of draws ``a`` to ``b`` (``task(a, b)``).
        draws: Parameter draws N.
        per_draw: Replications a draw runs (designs x runs).
        execution: Processes or scheduler, and the progress callbacks.
        **result: The other fields of the :class:`PsaResult` (labels, keys, parameters, ...).

    Returns:
        The result and the rows (for what a caller derives from them, as its ``extras``).
    """
    workers, scheduler = execution.workers, execution.scheduler
    n_workers = 1 if scheduler is None and workers == 1 else (workers or default_workers())
    spans = _batches(draws, per_draw, n_workers)
    tasks = [task(a, b) for a, b in spans]
    execution.total(draws * per_draw)
    done_reps = np.cumsum([(b - a) * per_draw for a, b in spans])

    def progress(n_tasks: int) -> None:
        if execution.on_done:
            # Tasks finish out of order; report replications of as many tasks, a fair count.
            execution.on_done(int(done_reps[n_tasks - 1]))

    outputs = run_ordered(runner, tasks, workers, progress, scheduler=scheduler)
    rows = [row for batch in outputs for row in batch]

    def stack(name: str) -> np.ndarray:
        return np.stack([r[name] for r in rows])

    stacked = {name: stack(name) for name in _STACKED}
    return PsaResult(**stacked, **result), rows


#: The per-draw arrays of a :class:`PsaResult`, stacked from the rows.
_STACKED = ("kpis", "npv", "value", "net_npv", "net_value", "break_even")


def run_psa(
    labels: Sequence[str],
    scenarios: Sequence[Scenario],
    *,
    draws: int,
    runs: int = 2,
    seed: int,
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    transition: tuple[int, Scenario, Scenario, int, str, str] | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    execution: Execution | None = None,
    draws_needed: bool = True,
) -> PsaResult:
    """Run every design at ``draws`` common parameter draws, ``runs`` replications each.

    Args:
        labels: Design labels; the first is the baseline of net values.
        scenarios: The designs' resolved scenarios (same horizon).
        draws: Parameter draws N.
        runs: Replications R per draw and design (customer randomness inside a draw).
        seed: Root seed of the customer streams and of the parameter design.
        method: ``lhs`` (Latin hypercube) or ``sobol``.
        discount_rate: Annual rate of the net present values.
        transition: For a business case hired after month 0: ``(index of the proposed
            design, current scenario, target scenario, month, source, target path)``, used
            to rebuild the proposed org when unit keys are drawn; break-even is counted
            from its month.
        workers: Local processes (1: serial; None: all cores).
        scheduler: A Dask scheduler address or client instead of local processes.
        execution: Processes, scheduler and progress together (instead of ``workers`` and
            ``scheduler``).
        draws_needed: Refuse designs without uncertain keys (False: run them as a plain
            replication of ``draws`` x ``runs``).

    Raises:
        PsaError: no uncertain keys, designs that disagree on a key, bad draws or runs.
    """
    execution = execution or Execution(workers, scheduler)
    hire_month = 0 if transition is None else transition[3]
    if runs < 1:
        raise PsaError("a PSA needs at least 1 run per draw (--runs)")
    keys = uncertain_keys(scenarios, labels)
    if not keys and draws_needed:
        raise PsaError(
            "no uncertain assumptions: --draws needs an 'uncertainty:' block in the scenarios "
            "(the shipped _company.yaml has one; see docs/uncertainty.md)"
        )
    horizons = {s.horizon_years for s in scenarios}
    if len(horizons) != 1:
        raise PsaError("every design of a PSA needs the same horizon")
    values = draw_parameters(keys, draws, seed, method)
    key_spec = tuple((k.path, k.designs) for k in keys)
    spec = refit_spec(scenarios)
    trans = _Transition(*transition) if transition is not None else None
    result, rows = run_batched(
        run_draw_batch,
        lambda a, b: _Batch(
            tuple(scenarios),
            key_spec,
            tuple(range(a, b)),
            values[a:b],
            seed,
            runs,
            discount_rate,
            hire_month,
            trans,
            spec,
        ),
        draws=draws,
        per_draw=len(scenarios) * runs,
        execution=execution,
        labels=tuple(labels),
        keys=tuple(keys),
        parameters=values,
        runs=runs,
        seed=seed,
        method=method,
        discount_rate=discount_rate,
        horizon_months=scenarios[0].horizon_years * 12,
        hire_month=hire_month,
    )
    result.extras.update(
        {
            "calibration_fit": _fit_summary(scenarios, spec, rows),
            # Each draw's re-fitted inputs of today's design (None: no stored targets), for
            # the searches that re-run a draw (the lift that pays).
            "refit_inputs": [r.get("fit_inputs") for r in rows],
        }
    )
    return result


def _fit_summary(
    scenarios: Sequence[Scenario], spec: tuple[int, tuple[int, ...]] | None, rows: list[dict]
) -> dict[str, Any]:
    """``calibration_fit``: how close today's design came to its stored targets per draw."""
    if spec is None:
        return calibration_fit(None, np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(0))
    return calibration_fit(
        scenarios[spec[0]],
        np.stack([r["fit_before"] for r in rows]),
        np.stack([r["fit_after"] for r in rows]),
        np.array([r["fit_steps"] for r in rows]),
    )


def psa(
    study: Study,
    *,
    draws: int,
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> PsaResult:
    """Run ``study``'s designs under ``draws`` common draws of their assumptions' ranges.

    The baseline comes first (the reference of net values); ``study.runs`` replications per
    draw (2 if None). Designs are labelled by file stem. A business-case study (with a
    hire after month 0) rebuilds the proposed org from the drawn values of unit keys.

    Raises:
        PsaError: no uncertain keys, designs that disagree on a key, bad draws or runs.
    """
    ordered = study.baseline_first()
    hire = study.hire
    if hire is None:
        labels = design_labels([Path(d.source) for d in ordered])
    else:  # a business case: its designs are labelled by file stem already
        labels = [d.label for d in ordered]
    transition = None
    if hire is not None and hire.month > 0:
        source = f"{hire.target_path} at month {hire.month}"
        transition = (1, ordered[0].scenario, hire.target, hire.month, source, hire.target_path)
    return run_psa(
        labels,
        [d.scenario for d in ordered],
        draws=draws,
        runs=2 if study.runs is None else study.runs,
        seed=study.seed,
        method=method,
        discount_rate=discount_rate,
        transition=transition,
        execution=study.execution,
    )


def psa_for_comparison(
    paths: Sequence[str | Path],
    *,
    draws: int,
    runs: int = 2,
    seed: int | None = None,
    years: int | None = None,
    set_options: Sequence[str] = (),
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    workers: int | None = None,
    scheduler: Any = None,
    on_done: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> PsaResult:
    """Load the designs of ``ccosim compare`` and run them under common parameter draws.

    The first file is the baseline of net values; seed and horizon default to its own.
    """
    if len(skipped_bases(paths)[0]) < 2:
        raise StudyError("compare needs at least two scenario files")
    study = Study.from_files(
        paths,
        seed=seed,
        runs=runs,
        years=years,
        set_options=set_options,
        execution=Execution(workers, scheduler, on_done, on_total),
    )
    return psa(study, draws=draws, method=method, discount_rate=discount_rate)


def psa_for_business_case(
    current_path: str | Path,
    cco_path: str | Path,
    *,
    draws: int,
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    **settings: Any,
) -> PsaResult:
    """The business case's two orgs (the CCO org hired at ``hire_month``) under draws.

    The designs are loaded and the transition built as ``ccosim business-case`` does;
    ``settings`` are :func:`~ccosim.experiment.business_case.business_case_study`'s
    (``hire_month``, ``runs``, ``seed``, ``years``, ``set_options``, ``set_current``,
    ``set_target``) and :class:`Execution`'s (``workers``, ``scheduler``, ``on_done``,
    ``on_total``).
    """
    study = business_case_study(current_path, cco_path, **Execution.gather(settings))
    return psa(study, draws=draws, method=method, discount_rate=discount_rate)
