"""The CEO's business case for a CCO: retained ARR, added cost, net value and break-even.

The current org and the CCO org run on common random numbers. With a hire month ``M`` the CCO
org is reached from the current one by a timeline at month ``M`` (units added, moved, resized
and removed), so the first ``M`` months are identical and the move's productivity dip is paid.

Money is compared as **operating contribution** each month: revenue minus hosting cost minus
the whole org's loaded cost (``revenue - (cogs - delivery teams' cost) - org_cost``, because the
model's cost of revenue already holds support, onboarding, PS and training cost). Net value is
the CCO org's contribution minus the current org's, accumulated month by month; break-even is
the first month after which it stays at or above zero.

The goal-seek asks the question the other way round: how large a GRR lift would pay for the
role? It lowers every segment's ``base_churn`` of the current org by ``delta`` and charges it
the CCO org's extra cost, and bisects for the smallest ``delta`` whose net value over the
horizon is not negative.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ccosim.experiment.compare import CompareError, Comparison, Design, run_designs
from ccosim.experiment.executors import run_ordered
from ccosim.experiment.stats import Interval, mean_interval
from ccosim.results import Results
from ccosim.scenario import Scenario, load, load_text
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params

__all__ = [
    "BusinessCase",
    "GoalSeek",
    "contribution",
    "run_business_case",
    "transition_timeline",
]

DELIVERY = ("support", "onboarding", "professional_services", "training")


def contribution(results: Results) -> np.ndarray:
    """Monthly operating contribution per replication (runs x months)."""
    m = results.monthly
    delivery = sum(m[f"cost_{f}"] for f in DELIVERY if f"cost_{f}" in m)
    return m["revenue"] - (m["cogs"] - delivery) - m["org_cost"]


def _break_even(cumulative: np.ndarray, hire_month: int = 0) -> int | None:
    """First month (1-based), from the hire on, after which net value never drops below zero.

    Months before the hire are left out: both orgs are the same then, and a net value of
    exactly zero is not a payback.
    """
    after = cumulative[hire_month:]
    negative = np.flatnonzero(after < 0)
    if negative.size == 0:
        return hire_month + 1
    last = int(negative[-1])
    return None if last == after.size - 1 else hire_month + last + 2


def transition_timeline(current: Scenario, target: Scenario, month: int) -> list[dict[str, Any]]:
    """Timeline events at ``month`` that turn ``current``'s org into ``target``'s.

    New units are added parents first, then moved units get their new manager, headcounts
    are reset where they differ, and units the target lacks are removed last (their reports
    have already moved).
    """
    now = {u.id: u for u in current.org.units}
    to_be = {u.id: u for u in target.org.units}
    events: list[dict[str, Any]] = []
    added: list[str] = []
    pending = [u for u in target.org.units if u.id not in now]
    placed = set(now)
    while pending:
        ready = [u for u in pending if u.reports_to in placed]
        if not ready:  # pragma: no cover - a valid target org is a tree rooted in placed units
            raise CompareError("cannot order the new units of the CCO org under existing ones")
        for unit in ready:
            events.append(
                {
                    "month": month,
                    "action": "add_unit",
                    "unit": unit.model_dump(mode="json", exclude_none=True),
                    "note": "business case: new in the CCO org",
                }
            )
            placed.add(unit.id)
            added.append(unit.id)
        pending = [u for u in pending if u.id not in placed]
    for unit_id, unit in to_be.items():
        if unit_id in now and now[unit_id].reports_to != unit.reports_to and unit.reports_to:
            events.append(
                {
                    "month": month,
                    "action": "move_unit",
                    "id": unit_id,
                    "reports_to": unit.reports_to,
                    "note": "business case: moves in the CCO org",
                }
            )
        if unit_id in now and now[unit_id].headcount != unit.headcount:
            events.append(
                {
                    "month": month,
                    "action": "set_headcount",
                    "id": unit_id,
                    "headcount": unit.headcount,
                }
            )
    for unit_id in now:
        if unit_id not in to_be:
            events.append(
                {
                    "month": month,
                    "action": "remove_unit",
                    "id": unit_id,
                    "note": "business case: not in the CCO org",
                }
            )
    return events


def _with_transition(current: Scenario, target: Scenario, month: int, source: str) -> Scenario:
    data = current.model_dump(mode="json", exclude_none=True)
    data.pop("extends", None)
    data["name"] = f"{target.name} (hired at month {month})"
    data["timeline"] = [*data.get("timeline", []), *transition_timeline(current, target, month)]
    return load_text(yaml.safe_dump(data, sort_keys=False), source)


@dataclass(frozen=True)
class GoalSeek:
    """The smallest churn cut (and the GRR lift it gives) that pays for the CCO org's cost."""

    churn_cut: float | None
    grr_lift: float | None
    model_grr_lift: float
    evaluations: int


@dataclass(frozen=True)
class BusinessCase:
    """Everything the one-pager shows; arrays are per replication unless named otherwise."""

    comparison: Comparison
    hire_month: int
    net_value: np.ndarray  # runs x months, cumulative
    break_even: list[int | None]
    goal_seek: GoalSeek | None

    @property
    def current(self) -> str:
        """Label of the current org."""
        return self.comparison.baseline

    @property
    def proposed(self) -> str:
        """Label of the CCO org."""
        return next(lb for lb in self.comparison.labels if lb != self.current)

    def yearly_delta(self, kpi: str) -> Interval:
        """Paired difference (CCO minus current) of a yearly KPI."""
        d = self.comparison.delta(self.proposed, kpi)
        return Interval(d.mean, d.lo, d.hi, d.n)

    def net_value_at_horizon(self) -> Interval:
        """Cumulative net value at the last month, mean and 95% interval."""
        return mean_interval(self.net_value[:, -1:])

    def break_even_summary(self) -> dict[str, Any]:
        """Median break-even month, a 95% range over replications, and how many broke even."""
        reached = np.array([m for m in self.break_even if m is not None], dtype=float)
        share = reached.size / len(self.break_even)
        if reached.size == 0:
            return {"median": None, "lo": None, "hi": None, "share_reached": 0.0}
        # Replications that never break even count as "after the horizon" for the quantiles.
        horizon = self.net_value.shape[1] + 1
        padded = np.array([horizon if m is None else m for m in self.break_even], dtype=float)
        lo, median, hi = np.percentile(padded, [2.5, 50, 97.5])

        def month(v: float) -> int | None:
            return None if v >= horizon else round(v)

        return {"median": month(median), "lo": month(lo), "hi": month(hi), "share_reached": share}


def run_business_case(
    current_path: str | Path,
    cco_path: str | Path,
    *,
    hire_month: int = 0,
    runs: int = 20,
    seed: int | None = None,
    years: int | None = None,
    set_options: Sequence[str] = (),
    goal_seek: bool = True,
    workers: int | None = None,
    scheduler: Any = None,
    on_done: Callable[[int], None] | None = None,
) -> BusinessCase:
    """Run the current org and the CCO org (hired at ``hire_month``) on common random numbers.

    Raises:
        CompareError: a hire month outside the horizon, or fewer than 2 runs.
        ScenarioError: a scenario or override is invalid.
    """
    if runs < 2:
        raise CompareError("a business case needs at least 2 runs for intervals (--runs)")
    current = load(current_path, set_options=set_options)
    horizon = years or current.horizon_years
    current = load(current_path, {"horizon_years": horizon}, set_options=set_options)
    target = load(cco_path, {"horizon_years": horizon}, set_options=set_options)
    if not 0 <= hire_month < horizon * 12:
        raise CompareError(f"--hire-month must be between 0 and {horizon * 12 - 1}")
    root = current.seed if seed is None else int(seed)
    proposed = (
        target
        if hire_month == 0
        else _with_transition(current, target, hire_month, f"{cco_path} at month {hire_month}")
    )
    cur_label, new_label = Path(current_path).stem, Path(cco_path).stem
    if new_label == cur_label:
        new_label += "-2"
    designs = [
        Design(cur_label, str(current_path), current),
        Design(new_label, str(cco_path), proposed),
    ]
    comparison = run_designs(
        designs,
        baseline=cur_label,
        runs=runs,
        seed=root,
        attribution=False,
        workers=workers,
        scheduler=scheduler,
        on_done=on_done,
        overrides=tuple(set_options),
    )
    net = np.cumsum(
        contribution(comparison.results[new_label]) - contribution(comparison.results[cur_label]),
        axis=1,
    )
    breaks = [_break_even(row, hire_month) for row in net]
    seek = (
        _goal_seek(current, comparison, new_label, root, min(runs, 10), workers, scheduler)
        if goal_seek
        else None
    )
    return BusinessCase(comparison, hire_month, net, breaks, seek)


def _goal_seek(
    current: Scenario,
    comparison: Comparison,
    new_label: str,
    seed: int,
    runs: int,
    workers: int | None,
    scheduler: Any,
) -> GoalSeek:
    base = comparison.results[comparison.baseline]
    extra_cost = (
        comparison.results[new_label].monthly["org_cost"][:runs] - base.monthly["org_cost"][:runs]
    )
    base_contribution = contribution(base)[:runs]
    model_lift = float(np.mean(comparison.results[new_label].yearly["grr"] - base.yearly["grr"]))
    segments = current.customers.segments
    ceiling = min(s.base_churn for s in segments.values())

    def evaluate(cut: float) -> tuple[float, float]:
        update = {
            name: seg.model_copy(update={"base_churn": max(0.0, seg.base_churn - cut)})
            for name, seg in segments.items()
        }
        customers = current.customers.model_copy(update={"segments": update})
        scenario = current.model_copy(update={"customers": customers})
        params = compile_params(scenario)
        outputs = run_ordered(
            run_replication, [(params, seed, r) for r in range(runs)], workers, scheduler=scheduler
        )
        lifted = Results.from_runs(scenario.name, seed, outputs)
        net = (contribution(lifted) - extra_cost - base_contribution).sum(axis=1).mean()
        lift = float(np.mean(lifted.yearly["grr"] - base.yearly["grr"][:runs]))
        return float(net), lift

    evaluations = 1
    net_hi, lift_hi = evaluate(ceiling)
    if net_hi < 0:
        return GoalSeek(None, None, model_lift, evaluations)
    lo, hi, lift = 0.0, ceiling, lift_hi
    for _ in range(10):
        mid = (lo + hi) / 2
        net_mid, lift_mid = evaluate(mid)
        evaluations += 1
        if net_mid >= 0:
            hi, lift = mid, lift_mid
        else:
            lo = mid
    return GoalSeek(hi, lift, model_lift, evaluations)
