"""``plan``: a quarterly headcount and hiring plan, and its requisition list, from a scenario.

One scenario, or (``with_target`` and ``hire_month``) the current org turning into the CCO
org as the business case runs it: the CCO's search opens at the hire month, the teams move
when the CCO is in post (:func:`ccosim.experiment.business_case.business_case_designs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.experiment.business_case import BusinessCase, business_case_designs
from ccosim.experiment.compare import Comparison
from ccosim.experiment.plan import DEFAULT_QUARTERS, UNIT_SERIES, run_plan, years_for
from ccosim.experiment.plan_designs import design_plans
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.experiment.study import Design, Execution, Study, design_labels
from ccosim.formatting import format_value, text_table
from ccosim.output import atomic_dir
from ccosim.report.data import check_formats
from ccosim.report.plan_report import CHART, write_plan
from ccosim.resources import check_resources, memory_budget
from ccosim.scenario import Scenario, load

__all__ = [
    "DEFAULT_QUARTERS",
    "PlanDesign",
    "check_plan_memory",
    "headcount_plan",
    "plan_design",
    "plan_text",
    "report_plans",
    "write_plan_folder",
]


@dataclass(frozen=True)
class PlanDesign:
    """What a plan simulates: the design, where it came from and the ``--set`` values."""

    design: Design
    overrides: tuple[str, ...]
    quarters: int


def plan_design(
    path: str | Path,
    *,
    target: str | Path | None = None,
    hire_month: int = 0,
    quarters: int = DEFAULT_QUARTERS,
    set_options: Sequence[str] = (),
) -> PlanDesign:
    """Load the scenario to plan, on a horizon of whole years covering ``quarters``.

    Args:
        path: The scenario (with ``target``: the current org).
        target: The CCO org's scenario: plan the change to it at ``hire_month``.
        hire_month: Month the CCO's search opens (with ``target``; 0: the target org as
            written).
        quarters: Quarters to plan.
        set_options: ``--set`` values (``DESIGN:PATH=VALUE`` for one design, as the
            business case takes them).

    Raises:
        CcosimError: ``hire_month`` without ``target``, or after the plan's last month.
        ScenarioError: a scenario or override is invalid.
    """
    years = years_for(quarters)
    if target is None:
        if hire_month:
            raise CcosimError("--hire-month goes with --with TARGET (the org the CCO builds)")
        scenario = load(path, {"horizon_years": years}, set_options=set_options)
        _check_horizon(scenario, quarters)
        label = design_labels([Path(path)], [scenario])[0]
        return PlanDesign(Design(label, str(path), scenario), tuple(set_options), quarters)
    if hire_month >= 3 * quarters:
        raise CcosimError(
            f"--hire-month {hire_month} is after the plan's last month ({3 * quarters - 1}, "
            f"{quarters} quarters): plan more --quarters"
        )
    _, _, proposed, (_, label) = business_case_designs(path, target, hire_month, years, set_options)
    _check_horizon(proposed, quarters)
    source = f"{path} with {target} hired at month {hire_month}" if hire_month else str(target)
    return PlanDesign(Design(label, source, proposed), tuple(set_options), quarters)


def unit_series_bytes(scenarios: Sequence[Scenario], runs: int) -> int:
    """Bytes a plan keeps of each unit's monthly series over ``runs`` runs of each scenario.

    Every unit of the org and of its timeline, :data:`UNIT_SERIES` series, 8 bytes a value.
    """
    total = 0
    for scenario in scenarios:
        units = {u.id for u in scenario.org.units} | {
            e.unit.id for e in scenario.timeline if e.unit is not None
        }
        total += len(UNIT_SERIES) * len(units) * scenario.horizon_years * 12 * runs * 8
    return total


def check_memory_with_plan(
    study: Study, held: int, *, draws: int | None, plan_runs: int, allow_large: bool
) -> None:
    """Refuse work over the memory budget, a report's hiring plan included.

    Args:
        study: The designs and the workers.
        held: Replications of each design whose results are kept at once.
        draws: Parameter draws whose summaries are kept (None or 0: none).
        plan_runs: Runs of each design the report's hiring plan records unit by unit
            (:func:`unit_series_bytes`, taken from the budget); 0 without a report.
        allow_large: Run anyway (``--allow-large``).

    Raises:
        ResourceError: over the memory budget without ``allow_large``.
    """
    designs = [d.scenario for d in study.designs]
    check_resources(
        designs,
        held,
        study.execution.workers,
        draws=draws or 0,
        allow_large=allow_large,
        budget=max(memory_budget() - unit_series_bytes(designs, plan_runs), 0),
    )


def _check_horizon(scenario: Scenario, quarters: int) -> None:
    """Refuse a ``--set horizon_years`` shorter than the quarters asked for.

    Raises:
        CcosimError: the scenario's horizon holds fewer than ``quarters`` quarters.
    """
    if quarters > scenario.horizon_years * 4:
        raise CcosimError(
            f"--quarters {quarters} needs a horizon of {years_for(quarters)} years, but "
            f"--set horizon_years={scenario.horizon_years} gives {scenario.horizon_years * 4} "
            "quarters: plan fewer --quarters or leave horizon_years alone (plan sets it)"
        )


def check_plan_memory(
    design: PlanDesign, runs: int, execution: Execution, *, allow_large: bool
) -> None:
    """Refuse, before it starts, a plan over the memory budget (see :mod:`ccosim.resources`).

    Beside the engine's own estimate, the plan keeps each unit's monthly series of every run
    (:data:`ccosim.experiment.plan.UNIT_SERIES`, 8 bytes a value).
    """
    scenario = design.design.scenario
    kept = unit_series_bytes([scenario], runs)
    check_resources(
        [scenario],
        runs,
        execution.workers,
        allow_large=allow_large,
        budget=max(memory_budget() - kept, 0),
    )


def headcount_plan(
    design: PlanDesign, *, runs: int, seed: int | None = None, execution: Execution | None = None
) -> HeadcountPlan:
    """Simulate the design and cut its workforce into the plan's quarters and requisitions."""
    run = run_plan(
        design.design.scenario,
        quarters=design.quarters,
        runs=runs,
        seed=seed,
        execution=execution,
    )
    return HeadcountPlan.of(run)


def plan_text(plan: HeadcountPlan) -> str:
    """The plan by quarter for a terminal: heads, hires, leavers, cost, and the intervals' scope."""
    rows = [["quarter", "starts", "heads in post", "new", "backfill", "leavers", "loaded cost"]]
    for row in plan.quarter_totals():
        q = int(row["quarter"])
        rows.append(
            [
                f"Q{q}",
                plan.starts(q) or "-",
                f"{row['heads_in_post']:,.1f}",
                str(row["hires_new"]),
                str(row["hires_backfill"]),
                f"{row['leavers']:,.1f}",
                format_value(row["loaded_cost"], "$"),
            ]
        )
    run = plan.run
    head = (
        f"{run.scenario.name}: {plan.quarters} quarters, mean of {run.runs} runs (seed "
        f"{run.seed}); hires are whole requisitions, the rest means"
    )
    return f"{head}\n{text_table(rows, rule=True)}\n{len(plan.requisitions)} requisitions"


def write_plan_folder(
    plan: HeadcountPlan,
    design: PlanDesign,
    folder: Path,
    *,
    force: bool = False,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
) -> Path:
    """Write the plan folder (:mod:`ccosim.report.plan_report`) atomically.

    Raises:
        OutputExistsError: ``folder`` exists and ``force`` is false.
        CcosimError: a format whose optional packages are missing.
    """
    check_formats(formats)
    with atomic_dir(folder, force=force) as tmp:
        write_plan(
            plan,
            tmp,
            label=design.design.label,
            source=design.design.source,
            command=command,
            overrides=design.overrides,
            formats=formats,
        )
    return folder / CHART


def report_plans(
    comparison: Comparison,
    *,
    cases: Sequence[BusinessCase] = (),
    execution: Execution | None = None,
) -> dict[str, HeadcountPlan]:
    """Each design's hiring plan for a compare or business-case report.

    The plan re-runs each design's point runs with every unit recorded (see
    :mod:`ccosim.experiment.plan_designs` for why and what it costs); with ``cases`` it
    covers the quarter in which each case's CCO starts.

    Args:
        comparison: The designs the report shows, with their seed and runs.
        cases: The business cases (one, or one per option) whose hire the plan must cover.
        execution: Processes or scheduler, and progress, of the plan's runs.
    """
    starts = [c.hire_month if c.in_post_month is None else c.in_post_month for c in cases]
    return design_plans(comparison, cover_month=max(starts, default=None), execution=execution)
