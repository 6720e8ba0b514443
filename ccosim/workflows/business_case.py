"""``business-case``: the CEO's one-pager, optionally under draws, with readiness and report.

A front end builds the study with
:func:`~ccosim.experiment.business_case.business_case_study`, then calls
:func:`business_case_draws` (with ``--draws``), :func:`point_case` and
:func:`write_case_report` in turn, showing each answer as it comes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ccosim.assess import assess, cross_check
from ccosim.assess.crosscheck import KPI_NAMES
from ccosim.assess.render import format_assessment
from ccosim.experiment.business_case import BusinessCase, business_case
from ccosim.experiment.decision import business_case_answers
from ccosim.experiment.lift import lift_for_business_case
from ccosim.experiment.option_draws import option_answers, options_psa
from ccosim.experiment.options import OptionsCase, OptionsStudy, options_case
from ccosim.experiment.psa import PsaResult, psa
from ccosim.experiment.study import Execution, Study
from ccosim.money import DEFAULT_DISCOUNT_RATE
from ccosim.report.business_case_report import case_json, one_pager_text, write_one_pager
from ccosim.report.case_pack import case_pack, options_pack
from ccosim.report.options_report import draws_json, options_json, options_text, write_options_page
from ccosim.report.uncertainty_report import (
    EXCLUDES_ASSUMPTIONS,
    draws_part,
    relabelled,
    rough_note,
)
from ccosim.workflows.answers import DrawsAnswers
from ccosim.workflows.compare import POINT_RUNS, report_line
from ccosim.workflows.plan import check_memory_with_plan, report_plans

__all__ = [
    "GOAL_SEEK_RUNS",
    "OnePager",
    "OptionDraws",
    "OptionsPage",
    "business_case_draws",
    "case_report_line",
    "check_case_memory",
    "option_draws",
    "point_case",
    "point_options",
    "readiness_check",
    "readiness_text",
    "same_file_note",
    "write_case_report",
    "write_options_report",
]

#: Extra replications of the current org the search for the lift that pays holds at once.
GOAL_SEEK_RUNS = 10


@dataclass(frozen=True)
class OnePager:
    """The business case at the assumptions' values, as the terminal and JSON show it."""

    case: BusinessCase

    def to_text(self) -> str:
        """The one-pager and what its intervals cover."""
        return one_pager_text(self.case) + "\n" + EXCLUDES_ASSUMPTIONS

    def to_dict(self) -> dict[str, Any]:
        """Every figure of the one-pager."""
        return case_json(self.case)


def same_file_note(current: Path, cco: Path) -> str | None:
    """A note when both orgs are one file (net value zero by construction), else None."""
    if Path(current).resolve() != Path(cco).resolve():
        return None
    return (
        f"note: --with names {current} again: both orgs are the same scenario, so the CCO "
        "org's net value is zero by construction (unless --set-current/--set-target differ)"
    )


def check_case_memory(
    study: Study, *, draws: int | None, report: bool, goal_seek: bool, allow_large: bool
) -> None:
    """Refuse, before it starts, a business case that would not fit in memory.

    With a report, its hiring plan keeps each unit's monthly series of the point runs
    (:func:`ccosim.workflows.plan.unit_series_bytes`), taken from the budget.

    Raises:
        ResourceError: over the memory budget without ``allow_large``.
    """
    runs = study.runs or POINT_RUNS
    if draws:
        held = max(runs, POINT_RUNS) if report else runs
    else:
        held = runs + (GOAL_SEEK_RUNS if goal_seek else 0)
    plan_runs = (POINT_RUNS if draws else runs) if report else 0
    check_memory_with_plan(study, held, draws=draws, plan_runs=plan_runs, allow_large=allow_large)


def business_case_draws(
    study: Study,
    draws: int,
    *,
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    goal_seek: bool = True,
) -> DrawsAnswers:
    """Both orgs under ``draws`` draws: P(NPV > 0), NPV quantiles, break-even, EVPPI.

    With ``goal_seek``, also the lift that pays on average and in most draws.
    """
    drawn = psa(study, draws=draws, method=method, discount_rate=discount_rate)
    answers = business_case_answers(drawn)
    answers["calibration_fit"] = drawn.extras["calibration_fit"]
    if goal_seek:
        answers["lift_that_pays"] = lift_for_business_case(study, drawn).as_dict()
    ordered = study.baseline_first()
    # The draws label designs by file stem; the terminal, JSON and report name them by label.
    names = dict(zip(drawn.labels, (d.scenario.label or d.label for d in ordered), strict=True))
    drawn, answers = relabelled(drawn, answers, names)
    return DrawsAnswers(drawn, answers, "business-case", tuple(d.source for d in ordered))


def point_case(
    study: Study,
    *,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    goal_seek: bool = True,
    drawn: DrawsAnswers | None = None,
) -> BusinessCase:
    """The business case at the assumptions' values.

    After draws it is the report's one-pager: :data:`POINT_RUNS` runs per design, and the
    draws' lift that pays replaces its own search.
    """
    if drawn is not None:
        study, goal_seek = study.with_runs(POINT_RUNS), False
    return business_case(study, discount_rate=discount_rate, goal_seek=goal_seek)


def readiness_check(case: BusinessCase, answers: dict[str, Any]) -> Any:
    """The readiness answers scored and cross-checked with the simulated current org."""
    current_run = case.comparison.results[case.current]
    kpis = {k: list(current_run.mean(k)) for k in KPI_NAMES}
    return cross_check(assess(answers), case.comparison.design(case.current).scenario, kpis)


def readiness_text(result: Any) -> str:
    """The cross-checked readiness assessment for a terminal."""
    return format_assessment(result)


def write_case_report(
    case: BusinessCase,
    folder: Path,
    *,
    force: bool = False,
    readiness: Any = None,
    drawn: DrawsAnswers | None = None,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
    notes: list[str] | None = None,
    execution: Execution | None = None,
) -> Path:
    """Write the one-pager's report folder (the draws' answers first when there are any).

    ``formats`` adds the board pack and the data tables (as ``compare --format``);
    ``notes`` collects what of the pack was skipped, and why. Its hiring plan re-runs both
    orgs with ``execution`` (:func:`report_plans`).
    """
    part = None
    if drawn is not None:
        part = draws_part(drawn.psa, drawn.answers, "business-case")
    plans = report_plans(case.comparison, cases=[case], execution=execution)
    return write_one_pager(
        case,
        folder,
        force=force,
        readiness=readiness,
        draws=part,
        command=command,
        formats=formats,
        pack=case_pack(case, formats, draws=part, notes=notes),
        plans=plans,
    )


def case_report_line(folder: Path, *, drawn: bool) -> str:
    """The last line of a business case: where its report is (with draws, what it holds)."""
    if drawn:
        return report_line(folder, POINT_RUNS, drawn=True)
    return f"\nreport: {folder / 'report.html'}"


@dataclass(frozen=True)
class OptionsPage:
    """Several options at the assumptions' values: one table, and JSON with one entry each."""

    case: OptionsCase

    def to_text(self) -> str:
        """The options table, what its intervals cover, and the horizon's caveat."""
        return options_text(self.case)

    def to_dict(self) -> dict[str, Any]:
        """``options: {NAME: {npv: {mean, low, high}, break_even_month, ...}}`` and the rest."""
        return options_json(self.case)


@dataclass(frozen=True)
class OptionDraws:
    """Several options under draws: P(best option), NPV over the draws, EVPPI.

    Attributes:
        psa: The draws' per-draw summaries, valued over the lead horizon.
        answers: :func:`~ccosim.experiment.option_draws.option_answers`.
        sources: Each design's scenario file, the status quo first.
    """

    psa: PsaResult
    answers: dict[str, Any]
    sources: tuple[str, ...]

    def to_text(self) -> str:
        """The options table under draws and what is worth researching first."""
        return options_text(None, self.answers, rough_note(self.psa))

    def to_dict(self) -> dict[str, Any]:
        """``options: {NAME: {p_best, npv, ...}}`` (``p_best`` sums to 1), EVPI and EVPPI."""
        return draws_json(self.psa, self.answers)


def option_draws(
    ostudy: OptionsStudy,
    draws: int,
    *,
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> OptionDraws:
    """The status quo and every option under ``draws`` common draws of the assumptions."""
    drawn = options_psa(ostudy, draws=draws, method=method, discount_rate=discount_rate)
    sources = tuple(d.source for d in ostudy.study.designs)
    return OptionDraws(drawn, option_answers(drawn), sources)


def point_options(
    ostudy: OptionsStudy,
    *,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    drawn: OptionDraws | None = None,
) -> OptionsCase:
    """Every option at the assumptions' values (:data:`POINT_RUNS` runs after draws)."""
    if drawn is not None:
        ostudy = replace(ostudy, study=ostudy.study.with_runs(POINT_RUNS))
    return options_case(ostudy, discount_rate=discount_rate)


def write_options_report(
    case: OptionsCase,
    folder: Path,
    *,
    force: bool = False,
    drawn: OptionDraws | None = None,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
    notes: list[str] | None = None,
    execution: Execution | None = None,
) -> Path:
    """Write the options' page (the draws' answers first when there are any).

    ``formats`` and ``notes`` as :func:`write_case_report`. Its hiring plan re-runs every
    option and the status quo with ``execution``.
    """
    part = None
    if drawn is not None:
        names = {label: label for label in drawn.psa.labels}
        part = draws_part(drawn.psa, drawn.answers, "compare", names)
    return write_options_page(
        case,
        folder,
        force=force,
        drawn=None if drawn is None else (drawn.psa, drawn.answers),
        draws=part,
        command=command,
        formats=formats,
        pack=options_pack(
            case,
            formats,
            answers=None if drawn is None else drawn.answers,
            draws=part,
            notes=notes,
        ),
        plans=report_plans(case.comparison, cases=list(case.cases.values()), execution=execution),
    )
