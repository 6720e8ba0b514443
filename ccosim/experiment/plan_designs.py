"""The hiring plan of every design a comparison ran, for the compare and business-case reports.

A comparison keeps the ledger's org totals per run (heads in post, cost by function), not
each unit's series, which the plan needs (hires by unit, requisitions). So the plan re-runs
each design with the per-unit recorder (:class:`~ccosim.experiment.plan.PlanEngine`) on the
comparison's own seed and replications: the same random streams, so its heads in post and
loaded cost are the comparison's, bit for bit (``tests/test_plan_in_reports.py``). It costs
one more set of the point runs per design (no attribution re-runs, no draws): about as much
again as a business case's point runs (measured: 2.9 s against 2.7 s for 10 runs of each org
over 5 years; a seventh of a business case with its goal seek, 20.8 s), a fifth more for a
comparison with attribution (which runs each design five times).

The plan covers :data:`~ccosim.experiment.plan.DEFAULT_QUARTERS` quarters, longer when a
month to cover (the CCO's start) falls after them, never beyond the simulated horizon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ccosim.experiment.compare import Comparison
from ccosim.experiment.plan import DEFAULT_QUARTERS, PlanRun, run_plan
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.experiment.study import Execution

__all__ = ["design_plans", "report_quarters"]


def report_quarters(horizon_months: int, cover_month: int | None = None) -> int:
    """Quarters a report's plan shows: the default, through ``cover_month``, within the horizon.

    Args:
        horizon_months: Months simulated.
        cover_month: A month the plan must include (e.g. the CCO's start), if any.
    """
    quarters = DEFAULT_QUARTERS
    if cover_month is not None:
        quarters = max(quarters, cover_month // 3 + 1)
    return max(1, min(quarters, horizon_months // 3))


def _trimmed(run: PlanRun) -> PlanRun:
    """The run with each unit's series cut to the planned months (what the tables read).

    Copies, so the later months' memory is freed while the reports' other plans run.
    """
    months = 3 * run.quarters
    return replace(run, units={k: v[:, :, :months].copy() for k, v in run.units.items()})


def _counted(execution: Execution, before: int) -> Callable[[int], None] | None:
    """Progress of one design's runs as runs done of all designs (``before`` already done)."""
    on_done = execution.on_done
    if on_done is None:
        return None
    return lambda done: on_done(before + done)


def design_plans(
    comparison: Comparison,
    *,
    cover_month: int | None = None,
    execution: Execution | None = None,
) -> dict[str, HeadcountPlan]:
    """Each design's quarterly plan, on the comparison's seed and replications.

    Args:
        comparison: The designs run (compare, business case, options).
        cover_month: A month the plan must include (the CCO's start month).
        execution: Processes or scheduler, and progress, of the plan's runs (told the
            runs of all designs at once).

    Returns:
        Design label -> its plan, in the comparison's order.
    """
    execution = execution or Execution()
    runs = comparison.runs
    execution.total(runs * len(comparison.designs))
    # One length for all (designs of different companies may have different horizons).
    quarters = min(
        report_quarters(d.scenario.horizon_years * 12, cover_month) for d in comparison.designs
    )
    plans: dict[str, HeadcountPlan] = {}
    for i, design in enumerate(comparison.designs):
        run = run_plan(
            design.scenario,
            quarters=quarters,
            runs=runs,
            seed=comparison.seed,
            execution=replace(execution, on_done=_counted(execution, i * runs), on_total=None),
        )
        plans[design.label] = HeadcountPlan.of(_trimmed(run))
    return plans
