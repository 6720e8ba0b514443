"""``ccosim compare``: several designs on the same simulated customers, and the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccosim.cli.context import bar, check_runs, load_study, reporting_to, warn_staffing
from ccosim.cli.options import (
    DrawOptions,
    ExecutionOptions,
    OutputOptions,
    StudyOptions,
    data_options,
    draws_options,
    execution_options,
    inputs_of,
    output_options,
    study_options,
)
from ccosim.cli.terminal import echo_for, show_answers
from ccosim.output import check_writable
from ccosim.report.data import REPORT_FORMATS, check_formats
from ccosim.workflows.answers import PointAnswers
from ccosim.workflows.compare import (
    POINT_RUNS,
    check_compare_memory,
    compare_draws,
    default_folder,
    pack_notes,
    point_comparison,
    report_line,
    write_compare_report,
)

__all__ = ["compare"]


@click.command()
@click.argument(
    "scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--baseline",
    metavar="NAME",
    help="Design to compare against (its label or file stem); default the first.",
)
@study_options(
    runs="Replications per design (default 20); with --draws, per draw (default 2).",
    years="Horizon (default: the baseline's).",
    seed="Root seed shared by every design (default: the baseline's).",
)
@output_options("Report folder (default: reports/A-vs-B).")
@click.option(
    "--no-attribution",
    is_flag=True,
    help="Skip the mechanism-by-mechanism re-runs (5x fewer replications).",
)
@draws_options(POINT_RUNS)
@click.option(
    "--allow-different-companies",
    is_flag=True,
    help="Run designs whose customer bases differ (segments, accounts, contract values, "
    "go-to-market, horizon); the comparison is then marked not paired throughout.",
)
@data_options(REPORT_FORMATS)
@execution_options
def compare(
    scenarios: tuple[Path, ...],
    baseline: str | None,
    study: StudyOptions,
    out: OutputOptions,
    no_attribution: bool,
    drawing: DrawOptions,
    allow_different_companies: bool,
    formats: tuple[str, ...],
    full_series: bool,
    execution: ExecutionOptions,
) -> None:
    """Run several org designs on the same simulated customers and write a report.

    Every design sees the same customers and the same luck (common random numbers), so the
    differences are the designs'. Designs must share the customer base (segments, accounts,
    contract values, go-to-market, horizon); files named _*.yaml are bases, not designs, and
    are skipped. Prints the headline table and writes a report folder: report.html
    (self-contained), report.md with PNG charts, and data/ (CSVs with datapackage.json, JSON,
    the resolved scenarios and their hashes, the manifest).

    With --draws N the designs also run under N draws of the assumptions' ranges (the
    scenarios' uncertainty blocks), the same draws for every design, and the answer becomes
    the probability that each design is best, the expected loss of each choice and which
    assumption is worth researching (EVPPI). The report is then the ordinary one at the
    assumptions' point values (20 runs per design) with those answers first in its executive
    summary, a section of their own, and data/draws.csv.

    \b
    Examples:
      ccosim compare scenarios/post_sales_cs.yaml scenarios/cco_full.yaml --runs 20
      ccosim compare scenarios/vp_services.yaml scenarios/cco_full.yaml --draws 200 --json -
    """
    runs = check_runs(study.runs, drawing.draws)
    folder = out.output or default_folder(scenarios)
    inputs = inputs_of(scenarios)
    check_writable(folder, out.force, folder=True, inputs=inputs)  # before the work
    check_formats(formats)  # a missing optional package, before any simulation
    announced = pack_notes(formats)
    for note in announced:
        click.echo(note, err=True)
    if drawing.json_target and drawing.json_target != "-":
        check_writable(Path(drawing.json_target), out.force, inputs=inputs)
    context = load_study(scenarios, study, execution, baseline=baseline, runs=runs)
    warn_staffing(context)  # before the work: the user may stop and add policies
    attribution = not no_attribution
    check_compare_memory(
        context, draws=drawing.draws, attribution=attribution, allow_large=execution.allow_large
    )
    drawn = None
    if drawing.draws:
        with bar(execution, "replications") as progress:
            drawn = compare_draws(
                reporting_to(context, progress),
                drawing.draws,
                method=drawing.sampling,
                discount_rate=drawing.discount_rate,
            )
        show_answers(drawn, drawing.json_target, force=out.force)
    with bar(execution, "point values" if drawn else "replications") as progress:
        comparison = point_comparison(
            reporting_to(context, progress),
            attribution=attribution,
            allow_different_companies=allow_different_companies,
            drawn=drawn,
        )
    if drawn is None:
        show_answers(
            PointAnswers(comparison), drawing.json_target, force=out.force, text_with_json=False
        )
    skipped: list[str] = []
    with bar(execution, "hiring plan") as progress:
        write_compare_report(
            comparison,
            folder,
            force=out.force,
            command=["ccosim", *sys.argv[1:]],
            formats=formats,
            full_series=full_series,
            drawn=drawn,
            notes=skipped,
            execution=reporting_to(context, progress).execution,
        )
    for note in [] if announced else skipped:
        click.echo(f"note: {note}", err=True)
    echo_for(drawing.json_target)(report_line(folder, comparison.runs, drawn=drawn is not None))
