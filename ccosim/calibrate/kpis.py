"""Solve a scenario's retention inputs so that its current org reproduces observed KPIs.

``base_churn`` is churn at the *reference* service level, roughly a full customer
organization; a company that runs CS under sales (or no CS) and types its observed churn gets
a baseline worse than its actuals. This module finds, per segment, the ``base_churn``,
``contraction_rate`` and ``expansion_rate`` with which the scenario's current org (the org at
month 0, timeline changes left out, org effects on) reproduces the observed logo retention,
GRR and NRR: the mean over replications of the first ``years`` simulated years.

Method (:mod:`ccosim.experiment.refit`, shared with the re-fit in every draw of
``--draws``): every evaluation simulates the same replications (same seed: common random
numbers), so the achieved KPIs are a smooth, deterministic function of the inputs and a root
finder can work on them. Each target has its own input (logo retention -> churn; GRR ->
contraction when logo retention is also given, else churn; NRR -> expansion); all are
updated together by quasi-Newton (Broyden) steps from the reference model's Jacobian. The
number of simulated batches is bounded (``max_steps``); a target is declared unreachable
when its input runs into a bound (churn or contraction 0 or 1, expansion 0 or 5) with the
target still missed, and the message says what the bound gave.

The solution is then checked on fresh replications (seed + 1): the fit's own replications
flatter it, since the inputs were solved on their noise. Inputs above a plausible bound
(:data:`PLAUSIBLE`) are kept but warned about, naming the input the target needs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ccosim.calibrate.retention import CalibrationError
from ccosim.experiment.refit import (
    KPI_INPUTS,
    Solution,
    Target,
    TargetError,
    input_plan,
    measure,
    solve,
    with_inputs,
)
from ccosim.scenario import Scenario
from ccosim.stats import mean_interval

__all__ = [
    "KPI_INPUTS",
    "PLAUSIBLE",
    "KpiCalibration",
    "Target",
    "calibrate_kpis",
    "parse_target",
]

#: Input -> (largest plausible value, why): a fit above it is kept but warned about
#: (docs/calibration.md, "Plausible bounds").
PLAUSIBLE: dict[str, tuple[float, str]] = {
    "base_churn": (
        0.5,
        "half the book a year, the top of the self-serve band (docs/benchmarks.md row 2.5)",
    ),
    "contraction_rate": (
        0.3,
        "assumption: over twice the median gross dollar churn of 13% (docs/benchmarks.md row 1.9)",
    ),
    "expansion_rate": (
        1.0,
        "assumption: every kept account doubling a year, far above top-quartile enterprise "
        "NRR of 130% (docs/benchmarks.md row 1.6)",
    ),
}


#: Standard errors by which fresh replications may miss a target before a warning.
FRESH_SE = 4.0
#: Smallest |d KPI / d input| stored for the re-fits per draw (smaller ones are noise between
#: segments; the re-fit starts them at 0, the reference model's value).
SLOPE_KEPT = 0.05


@dataclass(frozen=True)
class KpiCalibration:
    """What :func:`calibrate_kpis` found.

    Attributes:
        inputs: Segment -> input key -> calibrated value.
        before: Segment -> input key -> the scenario's value.
        targets: The targets.
        achieved: (segment, kpi) -> (mean, lo, hi): the calibrated scenario's KPI, mean of the
            first ``years`` years over the fit's replications, with a 95% Student-t interval
            (customer randomness only). In-sample: the inputs were solved on them.
        fresh: (segment, kpi) -> (mean, standard error) on ``runs`` fresh replications (seed
            ``fresh_seed``): the out-of-sample check of the fit.
        steps: Simulated batches used by the root finder (each ``runs`` replications).
        runs: Replications per batch.
        seed: Root seed of every batch.
        fresh_seed: Root seed of the out-of-sample check.
        years: Years averaged.
        tolerance: Allowed gap between achieved mean and target.
        slopes: ``SEGMENT.KPI`` -> ``SEGMENT.input`` -> the KPI's change per unit of the input
            at the solution (the solver's last Jacobian, non-zero entries).
        warnings: Fitted inputs above their plausible bound, each naming the input.
    """

    inputs: dict[str, dict[str, float]]
    before: dict[str, dict[str, float]]
    targets: tuple[Target, ...]
    achieved: dict[tuple[str, str], tuple[float, float, float]]
    steps: int
    runs: int
    seed: int
    years: int
    tolerance: float
    fresh: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    fresh_seed: int | None = None
    slopes: dict[str, dict[str, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def report(self) -> str:
        """Target vs achieved (in-sample and on fresh replications), and the inputs."""
        lines = [
            f"calibrated in {self.steps} simulated batches of {self.runs} replications "
            f"(seed {self.seed}, mean of years 1-{self.years}, tolerance "
            f"{self.tolerance * 100:.1f} pts); checked on {self.runs} fresh replications "
            f"(seed {self.fresh_seed})",
            "segment        kpi              target   fitted   95% interval      fresh (se)",
        ]
        for t in self.targets:
            mean, lo, hi = self.achieved[(t.segment, t.kpi)]
            f_mean, f_se = self.fresh.get((t.segment, t.kpi), (float("nan"),) * 2)
            lines.append(
                f"{t.segment:<14} {t.kpi:<16} {t.value:7.1%}  {mean:7.1%}   "
                f"{lo:.1%} - {hi:.1%}   {f_mean:7.1%} ({f_se * 100:.2f} pts)"
            )
        lines.append("inputs (annual, at the reference service level):")
        for seg, values in self.inputs.items():
            for key, value in values.items():
                lines.append(f"  {seg}.{key}: {self.before[seg][key]:.4g} -> {value:.4g}")
        lines.append(
            "fitted: on the replications the inputs were solved on (in-sample); fresh: the "
            "same inputs on new customers, the honest figure. Intervals and standard errors "
            "cover customer randomness over the replications, not assumption uncertainty"
        )
        return "\n".join(lines)

    def comments(self, source: str) -> list[str]:
        """The comment block of the calibrated scenario."""
        out = [
            f"Calibrated by `ccosim calibrate kpis {source}`: inputs solved so that the",
            "current org (org effects on, timeline changes left out) reproduces the observed",
            f"KPIs, mean of years 1-{self.years} over {self.runs} replications (seed "
            f"{self.seed}), within {self.tolerance * 100:.1f} pts:",
        ]
        for t in self.targets:
            mean, lo, hi = self.achieved[(t.segment, t.kpi)]
            text = (
                f"  {t.segment}.{t.kpi}: target {t.value:.1%}, achieved {mean:.1%} "
                f"(95% {lo:.1%}-{hi:.1%}, customer randomness)"
            )
            if (t.segment, t.kpi) in self.fresh:
                f_mean, f_se = self.fresh[(t.segment, t.kpi)]
                text += f"; on fresh replications {f_mean:.1%} (se {f_se * 100:.2f} pts)"
            out.append(text)
        for seg, values in self.inputs.items():
            for key, value in values.items():
                out.append(f"  {seg}.{key}: {self.before[seg][key]:.4g} -> {value:.4g}")
        out += [f"  warning: {w}" for w in self.warnings]
        out.append("Under --draws the targets below are met again in every draw (calibration:).")
        return out

    def stored(self, design: str) -> dict[str, object]:
        """The scenario's ``calibration:`` block: what was observed, for re-fits per draw."""
        return {
            "targets": {f"{t.segment}.{t.kpi}": t.value for t in self.targets},
            "design": design,
            "years": self.years,
            "runs": self.runs,
            "seed": self.seed,
            "tolerance": self.tolerance,
            "slopes": dict(self.slopes),
        }


_TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_\-]*)\.([a-z_]+)=(.+)$")


def parse_target(text: str, segments: Sequence[str]) -> Target:
    """Parse ``SEGMENT.KPI=VALUE`` (``0.92`` or ``92%``); ``churn`` is ``1 - logo_retention``.

    Raises:
        CalibrationError: Unknown segment or KPI, or a value no KPI can take.
    """
    m = _TARGET.match(text.strip())
    if not m:
        raise CalibrationError(
            f"--target {text!r}: expected SEGMENT.KPI=VALUE, e.g. enterprise.grr=0.92"
        )
    seg, kpi, raw = m.groups()
    churn = kpi in ("churn", "logo_churn")
    if churn:
        kpi = "logo_retention"
    if seg not in segments:
        raise CalibrationError(
            f"--target {text!r}: segment {seg!r} is not in the scenario ({', '.join(segments)})"
        )
    if kpi not in KPI_INPUTS:
        raise CalibrationError(
            f"--target {text!r}: KPI {kpi!r} cannot be calibrated; use one of "
            f"{', '.join(KPI_INPUTS)} (or churn, meaning 1 - logo_retention)"
        )
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise CalibrationError(f"--target {text!r}: {raw!r} is not a number") from None
    if churn:
        if not 0 <= value < 1:
            raise CalibrationError(f"--target {text!r}: annual churn is a share from 0 to 1")
        value = 1 - value
    if kpi in ("grr", "logo_retention") and not 0 < value <= 1:
        raise CalibrationError(
            f"--target {text!r}: {kpi} is a share of last year's book, above 0 and at most "
            "100%; a GRR or logo retention above 100% cannot be reached"
        )
    if kpi == "nrr" and not 0 < value < math.inf:
        raise CalibrationError(
            f"--target {text!r}: NRR is a share of last year's book and must be above 0 "
            "(1.08 for 108%)"
        )
    return Target(seg, kpi, value)


def calibrate_kpis(
    scenario: Scenario,
    targets: Sequence[Target],
    *,
    runs: int = 12,
    seed: int | None = None,
    years: int = 3,
    tolerance: float = 0.005,
    max_steps: int = 10,
    workers: int | None = 1,
    on_step: Callable[[int], None] | None = None,
) -> KpiCalibration:
    """Solve the inputs so that the scenario's current org reproduces the targets.

    After the solve, the inputs are run once more on ``runs`` fresh replications (root seed
    ``seed + 1``: other customers) and the achieved means are reported with their standard
    errors: the fit's own replications flatter it (it was solved on their noise).

    Args:
        scenario: The user's scenario (its org at month 0 is calibrated).
        targets: Observed KPIs.
        runs: Replications per simulated batch (the same ones every time).
        seed: Root seed (default: the scenario's).
        years: Years simulated and averaged.
        tolerance: Largest gap allowed between an achieved mean and its target.
        max_steps: Most simulated batches before giving up.
        workers: Processes per batch.
        on_step: Called after each batch with the number done.

    Returns:
        The calibration.

    Raises:
        CalibrationError: A target is unreachable (its input at a bound) or not met within
            ``max_steps`` batches.
    """
    if not targets:
        raise CalibrationError("give at least one --target SEGMENT.KPI=VALUE")
    try:
        plan = input_plan(targets)
    except TargetError as err:
        raise CalibrationError(str(err)) from None
    root = scenario.seed if seed is None else seed
    segs = scenario.customers.segments
    before: dict[str, dict[str, float]] = {}
    for t, key in plan:
        before.setdefault(t.segment, {})[key] = float(getattr(segs[t.segment], key) or 0.0)
    x0 = np.array([before[t.segment][key] for t, key in plan])

    def evaluate(values: np.ndarray, on: int = root) -> np.ndarray:
        trial = with_inputs(scenario, _inputs(plan, values))
        return measure(trial, plan, runs=runs, seed=on, years=years, workers=workers)

    found = solve(evaluate, plan, x0, tolerance=tolerance, max_steps=max_steps, on_step=on_step)
    _refuse(found, plan, tolerance)
    achieved = {}
    for (t, _), samples in zip(plan, found.per_run, strict=True):
        iv = mean_interval(samples[:, None])
        achieved[(t.segment, t.kpi)] = (float(iv.mean[0]), float(iv.lo[0]), float(iv.hi[0]))
    fresh_runs = evaluate(found.x, root + 1)
    fresh = {
        (t.segment, t.kpi): (
            float(samples.mean()),
            float(samples.std(ddof=1) / np.sqrt(samples.size)),
        )
        for (t, _), samples in zip(plan, fresh_runs, strict=True)
    }
    return KpiCalibration(
        inputs=_inputs(plan, found.x),
        before=before,
        targets=tuple(t for t, _ in plan),
        achieved=achieved,
        steps=found.steps,
        runs=runs,
        seed=root,
        years=years,
        tolerance=tolerance,
        fresh=fresh,
        fresh_seed=root + 1,
        slopes={
            t.key: {
                f"{other.segment}.{key}": float(found.jacobian[i, j])
                for j, (other, key) in enumerate(plan)
                if abs(found.jacobian[i, j]) >= SLOPE_KEPT
            }
            for i, (t, _) in enumerate(plan)
        },
        warnings=tuple(_implausible(plan, found.x) + _not_holding(plan, fresh, tolerance, runs)),
    )


def _inputs(plan: Sequence[tuple[Target, str]], values: np.ndarray) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for (t, key), v in zip(plan, values, strict=True):
        out.setdefault(t.segment, {})[key] = float(v)
    return out


def _refuse(found: Solution, plan: Sequence[tuple[Target, str]], tolerance: float) -> None:
    """Raise the reason a solve did not meet its targets (nothing when it did)."""
    if np.any(np.isnan(found.y)):
        raise CalibrationError(
            "a targeted segment has no accounts to measure in the first years; check its "
            "initial_accounts"
        )
    if found.stuck is not None:
        i = found.stuck
        t, key = plan[i]
        bound = found.x[i]
        side = "largest" if bound > 0 else "smallest"
        raise CalibrationError(
            f"{t.segment}.{t.kpi} = {t.value:.1%} is unreachable with this org: {key} is the "
            f"input that moves it, and even {key} = {bound:g} ({bound:.0%} a year, the {side} "
            f"value the solver tries) gives {found.y[i]:.1%} (simulated, mean of "
            f"{found.per_run.shape[1]} replications)"
        )
    if not found.met:
        gap = np.abs(found.y - np.array([t.value for t, _ in plan]))
        worst = int(np.argmax(gap))
        t = plan[worst][0]
        raise CalibrationError(
            f"{t.segment}.{t.kpi}: not within {tolerance * 100:.1f} pts of {t.value:.1%} "
            f"after {found.steps} simulated batches (at {found.y[worst]:.1%}); raise "
            "--max-steps or --tolerance, or check the targets agree with each other"
        )


def _not_holding(
    plan: Sequence[tuple[Target, str]],
    fresh: dict[tuple[str, str], tuple[float, float]],
    tolerance: float,
    runs: int,
) -> list[str]:
    """A warning per target the fresh replications miss by more than :data:`FRESH_SE` se.

    Both the fit's and the fresh means carry customer noise, so their difference has about
    sqrt(2) se; at 4 se a sound fit warns about 0.5% of the time per target.
    """
    out = []
    for t, _ in plan:
        mean, se = fresh[(t.segment, t.kpi)]
        if abs(mean - t.value) > tolerance + FRESH_SE * se:
            out.append(
                f"{t.segment}.{t.kpi}: on fresh replications the fit gives {mean:.1%} (se "
                f"{se * 100:.2f} pts), more than {FRESH_SE:g} standard errors from the target "
                f"{t.value:.1%}: the inputs follow the noise of the {runs} replications they "
                "were solved on; raise --runs or --years"
            )
    return out


def _implausible(plan: Sequence[tuple[Target, str]], x: np.ndarray) -> list[str]:
    """A warning per fitted input above its plausible bound (:data:`PLAUSIBLE`)."""
    out = []
    for (t, key), value in zip(plan, x, strict=True):
        bound, why = PLAUSIBLE[key]
        if value > bound:
            out.append(
                f"{t.segment}.{t.kpi} = {t.value:.1%} needs {t.segment}.{key} = {value:.3g} "
                f"({value:.0%} a year), above the plausible {bound:.0%} ({why}); check the "
                "target, or the org's assumptions that hold the current org back"
            )
    return out
