"""``compare``: several designs on the same customers, optionally under draws, and the report.

A front end builds the :class:`~ccosim.experiment.study.Study`, then calls
:func:`compare_draws` (with ``--draws``), :func:`point_comparison` and
:func:`write_compare_report` in turn, showing each answer as it comes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ccosim.experiment.compare import SWITCH_TITLES, Comparison, compare
from ccosim.experiment.decision import compare_answers
from ccosim.experiment.psa import psa
from ccosim.experiment.study import Execution, Study, design_labels
from ccosim.money import DEFAULT_DISCOUNT_RATE
from ccosim.report.compare_report import write_report
from ccosim.report.summary_pdf import find_chromium
from ccosim.report.uncertainty_report import draws_part, relabelled
from ccosim.workflows.answers import DrawsAnswers
from ccosim.workflows.plan import check_memory_with_plan, report_plans

__all__ = [
    "ATTRIBUTION_ROUNDS",
    "POINT_RUNS",
    "check_compare_memory",
    "compare_draws",
    "default_folder",
    "pack_notes",
    "point_comparison",
    "report_line",
    "write_compare_report",
]

#: Replications per design of the point-value part of a --draws report (the plain default).
POINT_RUNS = 20
#: Runs of each design with attribution, at most: as designed, then with each switch off
#: (the org mechanisms and, where a design has a seat with turnover, executive turnover).
ATTRIBUTION_ROUNDS = 1 + len(SWITCH_TITLES)


def default_folder(paths: Sequence[str | Path]) -> Path:
    """``reports/a-vs-b`` for two or three designs, ``reports/a-vs-N-designs`` beyond.

    Named by file stem, bases (``_*.yaml``) left out, before anything is loaded.
    """
    labels = design_labels([Path(p) for p in paths])
    stems = [p for p in labels if not p.startswith("_")] or labels
    name = "-vs-".join(stems) if len(stems) <= 3 else f"{stems[0]}-vs-{len(stems) - 1}-designs"
    return Path("reports") / name


def check_compare_memory(
    study: Study, *, draws: int | None, attribution: bool, allow_large: bool
) -> None:
    """Refuse, before it starts, a comparison whose replications would not fit in memory.

    Draws are streamed (a summary row per draw, counted), so with draws the largest part of
    replications held at once is one draw's runs or the point run's. The report's hiring plan
    keeps each unit's monthly series of the point runs (:func:`unit_series_bytes`), taken
    from the budget.

    Raises:
        ResourceError: over the memory budget without ``allow_large``.
    """
    runs = study.runs or POINT_RUNS
    rounds = ATTRIBUTION_ROUNDS if attribution and not draws else 1
    held = max(runs, POINT_RUNS) if draws else runs * rounds
    plan_runs = POINT_RUNS if draws else runs
    check_memory_with_plan(study, held, draws=draws, plan_runs=plan_runs, allow_large=allow_large)


def compare_draws(
    study: Study, draws: int, *, method: str = "lhs", discount_rate: float = DEFAULT_DISCOUNT_RATE
) -> DrawsAnswers:
    """Run ``study``'s designs under ``draws`` common draws; P(best), expected loss, EVPPI."""
    drawn = psa(study, draws=draws, method=method, discount_rate=discount_rate)
    ordered = study.baseline_first()
    # The draws label designs by file stem; the terminal, JSON and report name them by label.
    names = dict(zip(drawn.labels, (d.label for d in ordered), strict=True))
    answers = {**compare_answers(drawn), "calibration_fit": drawn.extras["calibration_fit"]}
    drawn, answers = relabelled(drawn, answers, names)
    return DrawsAnswers(drawn, answers, "compare", tuple(d.source for d in ordered))


def point_comparison(
    study: Study,
    *,
    attribution: bool = True,
    allow_different_companies: bool = False,
    drawn: DrawsAnswers | None = None,
) -> Comparison:
    """The comparison at the assumptions' values.

    After draws it is the report's ordinary part: :data:`POINT_RUNS` runs per design and no
    attribution re-runs.
    """
    if drawn is not None:
        study, attribution = study.with_runs(POINT_RUNS), False
    return compare(
        study, attribution=attribution, allow_different_companies=allow_different_companies
    )


def write_compare_report(
    comparison: Comparison,
    folder: Path,
    *,
    force: bool = False,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
    full_series: bool = False,
    drawn: DrawsAnswers | None = None,
    notes: list[str] | None = None,
    execution: Execution | None = None,
) -> Path:
    """Write the report folder (with the draws' answers first when there are any).

    ``notes`` collects what of the board pack (``--format pdf``) was skipped, and why. The
    hiring plan re-runs each design with ``execution`` (:func:`report_plans`).
    """
    part = None
    if drawn is not None:
        label_of = {d.source: d.label for d in comparison.designs}
        names = {
            lb: label_of.get(source, lb)
            for lb, source in zip(drawn.psa.labels, drawn.sources, strict=True)
        }
        part = draws_part(drawn.psa, drawn.answers, "compare", names)
    return write_report(
        comparison,
        folder,
        force=force,
        org_chart=_org_chart_maker(),
        command=command,
        formats=formats,
        full_series=full_series,
        draws=part,
        notes=notes,
        plans=report_plans(comparison, execution=execution),
    )


def pack_notes(formats: Sequence[str]) -> list[str]:
    """What of the board pack asked for will be skipped, said before any work."""
    if "pdf" in formats and find_chromium() is None:
        return [
            "note: summary.pdf will be skipped: it is printed by Chromium, which is not "
            "installed (Debian: apt-get install chromium)"
        ]
    return []


def report_line(folder: Path, runs: int, *, drawn: bool) -> str:
    """The last line of a comparison: where the report is (and, with draws, what it holds)."""
    if not drawn:
        return f"\nreport: {folder / 'report.html'}  (also report.md and data/)"
    return (
        f"\nreport: {folder / 'report.html'}  (the draws' answers in its summary and in "
        f"data/draws.csv; the tables at the point values over {runs} runs per design, "
        "customer randomness only)"
    )


def _org_chart_maker() -> Any:
    """The org chart drawer of the report, or None where the drawing code cannot load."""
    try:
        # lazy: the report goes without its org charts where the drawing code cannot load.
        from ccosim.charting.org_chart import scenario_chart_figure
    except ImportError:
        return None
    return scenario_chart_figure
