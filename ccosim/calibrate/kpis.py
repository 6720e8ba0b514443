"""Solve a scenario's retention inputs so that its current org reproduces observed KPIs.

``base_churn`` is churn at the *reference* service level, roughly a full customer
organization; a company that runs CS under sales (or no CS) and types its observed churn gets
a baseline worse than its actuals. This module finds, per segment, the ``base_churn``,
``contraction_rate`` and ``expansion_rate`` with which the scenario's current org (the org at
month 0, timeline changes left out, org effects on) reproduces the observed logo retention,
GRR and NRR: the mean over replications of the first ``years`` simulated years.

Method: every evaluation simulates the same replications (same seed: common random numbers),
so the achieved KPIs are a smooth, deterministic function of the inputs and a root finder can
work on them. Each target has its own input (logo retention -> churn; GRR -> contraction when
logo retention is also given, else churn; NRR -> expansion); all segments and all targets are
updated together at each step by a secant step on the diagonal (the first step uses the
slope of the reference model). The number of simulated batches is bounded (``max_steps``);
a target is declared unreachable when its input runs into a bound (churn or contraction 0
or 1, expansion 0 or 5) with the target still missed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ccosim.calibrate.retention import CalibrationError
from ccosim.scenario import Scenario
from ccosim.simulate import simulate
from ccosim.stats import mean_interval

__all__ = ["KPI_INPUTS", "KpiCalibration", "Target", "calibrate_kpis", "parse_target"]

#: Targetable KPI -> (the input it moves, bounds of that input, sign of dKPI/dinput).
KPI_INPUTS: dict[str, tuple[str, tuple[float, float], int]] = {
    "logo_retention": ("base_churn", (0.0, 1.0), -1),
    "grr": ("contraction_rate", (0.0, 1.0), -1),
    "nrr": ("expansion_rate", (0.0, 5.0), 1),
}


@dataclass(frozen=True)
class Target:
    """One observed KPI of one segment (a share: 0.92 for 92%)."""

    segment: str
    kpi: str
    value: float


@dataclass(frozen=True)
class KpiCalibration:
    """What :func:`calibrate_kpis` found.

    Attributes:
        inputs: Segment -> input key -> calibrated value.
        before: Segment -> input key -> the scenario's value.
        targets: The targets.
        achieved: (segment, kpi) -> (mean, lo, hi): the calibrated scenario's KPI, mean of the
            first ``years`` years, with a 95% Student-t interval over replications (customer
            randomness only).
        steps: Simulated batches used by the root finder (each ``runs`` replications).
        runs: Replications per batch.
        seed: Root seed of every batch.
        years: Years averaged.
        tolerance: Allowed gap between achieved mean and target.
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

    def report(self) -> str:
        """Target vs achieved, and the inputs before and after, as text."""
        lines = [
            f"calibrated in {self.steps} simulated batches of {self.runs} replications "
            f"(seed {self.seed}, mean of years 1-{self.years}, tolerance "
            f"{self.tolerance * 100:.1f} pts)",
            "segment        kpi              target   achieved   95% interval",
        ]
        for t in self.targets:
            mean, lo, hi = self.achieved[(t.segment, t.kpi)]
            lines.append(
                f"{t.segment:<14} {t.kpi:<16} {t.value:7.1%}   {mean:7.1%}    {lo:.1%} - {hi:.1%}"
            )
        lines.append("inputs (annual, at the reference service level):")
        for seg, values in self.inputs.items():
            for key, value in values.items():
                lines.append(f"  {seg}.{key}: {self.before[seg][key]:.4g} -> {value:.4g}")
        lines.append(
            "intervals cover customer randomness over the replications, not assumption uncertainty"
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
            out.append(
                f"  {t.segment}.{t.kpi}: target {t.value:.1%}, achieved {mean:.1%} "
                f"(95% {lo:.1%}-{hi:.1%}, customer randomness)"
            )
        for seg, values in self.inputs.items():
            for key, value in values.items():
                out.append(f"  {seg}.{key}: {self.before[seg][key]:.4g} -> {value:.4g}")
        return out


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
    if kpi == "nrr" and not 0 < value < 10:
        raise CalibrationError(f"--target {text!r}: NRR must be above 0 (1.08 for 108%)")
    return Target(seg, kpi, value)


def _plan(targets: Sequence[Target]) -> list[tuple[Target, str]]:
    """Which input each target moves (GRR moves churn when logo retention is not given)."""
    given = {(t.segment, t.kpi) for t in targets}
    out = []
    for t in targets:
        key = KPI_INPUTS[t.kpi][0]
        if t.kpi == "grr" and (t.segment, "logo_retention") not in given:
            key = "base_churn"
        out.append((t, key))
    keys = [(t.segment, key) for t, key in out]
    if len(set(keys)) != len(keys):
        raise CalibrationError("each segment's KPI must be given once (one --target each)")
    return out


def _with_inputs(scenario: Scenario, inputs: Mapping[str, Mapping[str, float]]) -> Scenario:
    segments = dict(scenario.customers.segments)
    for name, values in inputs.items():
        segments[name] = segments[name].model_copy(update=dict(values))
    customers = scenario.customers.model_copy(update={"segments": segments})
    return scenario.model_copy(update={"customers": customers})


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
    plan = _plan(targets)
    base = scenario.model_copy(
        update={"timeline": [], "horizon_years": years, "seed": scenario.seed}
    )
    root = scenario.seed if seed is None else seed
    segs = scenario.customers.segments
    x = np.array([float(getattr(segs[t.segment], key) or 0.0) for t, key in plan])
    before = {}
    for t, key in plan:
        before.setdefault(t.segment, {})[key] = float(getattr(segs[t.segment], key) or 0.0)
    lo = np.array([KPI_INPUTS[t.kpi][1][0] if key != "base_churn" else 0.0 for t, key in plan])
    hi = np.array([KPI_INPUTS[t.kpi][1][1] if key != "base_churn" else 1.0 for t, key in plan])
    # Slope of the reference model: d(retention)/d(churn) = -1, d(GRR)/d(contraction) = -1,
    # d(NRR)/d(expansion) ~ +1 (a point of expansion is about a point of NRR).
    slope = np.array([-1.0 if key != "expansion_rate" else 1.0 for _, key in plan])
    goal = np.array([t.value for t, _ in plan])

    def evaluate(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, Scenario]:
        inputs: dict[str, dict[str, float]] = {}
        for (t, key), v in zip(plan, values, strict=True):
            inputs.setdefault(t.segment, {})[key] = float(v)
        trial = _with_inputs(base, inputs)
        res = simulate(trial, runs=runs, seed=root, workers=workers)
        per_run = np.array(
            [res.segments[t.segment][t.kpi][:, :years].mean(axis=1) for t, _ in plan]
        )
        return per_run.mean(axis=1), per_run, trial

    steps = 0
    prev_x: np.ndarray | None = None
    prev_y: np.ndarray | None = None
    while True:
        y, per_run, _ = evaluate(x)
        steps += 1
        if on_step is not None:
            on_step(steps)
        gap = y - goal
        if np.all(np.abs(gap) <= tolerance) or np.any(np.isnan(y)):
            break
        if steps >= max_steps:
            worst = int(np.argmax(np.abs(gap)))
            t = plan[worst][0]
            raise CalibrationError(
                f"{t.segment}.{t.kpi}: not within {tolerance * 100:.1f} pts of {t.value:.1%} "
                f"after {steps} simulated batches (at {y[worst]:.1%}); raise --max-steps or "
                "--tolerance, or check the targets agree with each other"
            )
        if prev_x is not None and prev_y is not None:
            dx, dy = x - prev_x, y - prev_y
            ok = (np.abs(dx) > 1e-9) & (np.sign(dy * dx) == np.sign(slope)) & (np.abs(dy) > 1e-9)
            slope = np.where(ok, dy / np.where(ok, dx, 1.0), slope)
        step = -gap / slope
        new = np.clip(x + step, lo, hi)
        stuck = (np.abs(gap) > tolerance) & (np.abs(new - x) < 1e-12) & ((new == lo) | (new == hi))
        if np.any(stuck):
            i = int(np.flatnonzero(stuck)[0])
            t, key = plan[i]
            raise CalibrationError(
                f"{t.segment}.{t.kpi} = {t.value:.1%} is unreachable with this org: even "
                f"{key} = {new[i]:g} gives {y[i]:.1%}"
            )
        prev_x, prev_y, x = x, y, new
    if np.any(np.isnan(y)):
        raise CalibrationError(
            "a targeted segment has no accounts to measure in the first years; check its "
            "initial_accounts"
        )
    achieved = {}
    for (t, _), samples in zip(plan, per_run, strict=True):
        iv = mean_interval(samples[:, None])
        achieved[(t.segment, t.kpi)] = (float(iv.mean[0]), float(iv.lo[0]), float(iv.hi[0]))
    inputs: dict[str, dict[str, float]] = {}
    for (t, key), v in zip(plan, x, strict=True):
        inputs.setdefault(t.segment, {})[key] = float(v)
    return KpiCalibration(
        inputs=inputs,
        before=before,
        targets=tuple(t for t, _ in plan),
        achieved=achieved,
        steps=steps,
        runs=runs,
        seed=root,
        years=years,
        tolerance=tolerance,
    )
