"""``ccosim sweep``: vary assumptions over a grid; a tornado for one design, a ranking for many."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccosim import kpis
from ccosim.cli.context import bar, execution_of, reporting_to, warn_staffing
from ccosim.cli.options import (
    SEED,
    ExecutionOptions,
    OutputOptions,
    execution_options,
    formats_option,
    inputs_of,
    json_option,
    output_options,
    set_option,
)
from ccosim.cli.terminal import echo_for, show_answers
from ccosim.experiment.study import Study
from ccosim.experiment.sweep import Factor, parse_vary
from ccosim.output import check_writable
from ccosim.report.data import FORMATS, check_formats
from ccosim.report.sweep_report import write_sweep
from ccosim.workflows.sweep import (
    RankingAnswers,
    SweepAnswers,
    check_ranking_memory,
    check_sweep_memory,
    ranking_folder,
    ranking_sweep,
    sweep_folder,
    write_ranking,
)
from ccosim.workflows.sweep import sweep as run_sweep

__all__ = ["sweep"]


@click.command()
@click.argument(
    "scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="PATH=LO:HI:STEPS",
    help="An assumption to vary: a range (0.1:0.3:5) or a list (true,false). "
    "Repeatable; the grid is every combination.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    help="Replications per grid point (default 5); with --draws, per draw (default 2).",
)
@click.option(
    "--draws",
    type=click.IntRange(min=2),
    help="With two or more designs: at every grid point, sample the remaining uncertainty "
    "ranges N times and give each design's probability of being best.",
)
@click.option("--kpi", default="nrr", show_default=True, help="KPI of the tornado chart.")
@click.option("--year", type=click.IntRange(min=1), help="Year of the KPI (default: the last).")
@click.option("--seed", type=SEED, help="Root seed shared by every grid point.")
@set_option
@output_options(
    "Folder for the results (default: reports/sweep-NAME): one design, sweep.csv and "
    "the tornado chart; several designs, ranking.csv (and the draws' P(best))."
)
@formats_option("Also write the data as Parquet or Excel (pip install 'ccosim[data]').", FORMATS)
@json_option(
    "Also write the answer as JSON (one design: each factor's swing; several: the winner at "
    "every grid point, as ranking.json) to FILE, or to standard output with -."
)
@execution_options
def sweep(
    scenarios: tuple[Path, ...],
    varies: tuple[str, ...],
    runs: int | None,
    draws: int | None,
    kpi: str,
    year: int | None,
    seed: int | None,
    set_options: tuple[str, ...],
    out: OutputOptions,
    formats: tuple[str, ...],
    json_target: str | None,
    execution: ExecutionOptions,
) -> None:
    """Vary assumptions over a grid and chart how much each one swings a KPI.

    With two or more scenario files, rank the designs at every grid point instead (expected
    NPV of operating contribution, and each design's probability of being best): under which
    assumptions does a design stop being best? The folder then holds report.html with a map
    of where each design leads, ranking.json (the winner at every point), ranking.csv with
    datapackage.json, and the charts as PNG and SVG.

    \b
    Examples:
      ccosim sweep scenarios/cco_full.yaml \\
          --vary customers.segments.smb.base_churn=0.10:0.22:3 \\
          --vary assumptions.customer_success.health_lift=4:12:3 --kpi nrr
      ccosim sweep scenarios/post_sales_cs.yaml scenarios/cco_full.yaml \\
          --vary assumptions.handoff.decay_per_hop=0:0.3:4 --draws 50 --json -
    """
    if kpi not in kpis.YEARLY:  # before the work, not after
        raise click.BadParameter(
            f"unknown KPI {kpi!r}; try nrr, grr, arr, logo_retention (all: docs/kpis.md)",
            param_hint="--kpi",
        )
    factors = [parse_vary(v) for v in varies]
    check_formats(formats)  # a missing optional package, before any simulation
    if json_target and json_target != "-":
        check_writable(Path(json_target), out.force, inputs=inputs_of(scenarios))
    if len(scenarios) > 1:
        _ranking(
            scenarios,
            factors,
            (draws, runs, seed),
            set_options,
            out,
            execution,
            formats,
            json_target,
        )
        return
    if draws:
        raise click.BadParameter("--draws needs two or more designs to rank", param_hint="--draws")
    folder = out.output or sweep_folder(scenarios[0])
    check_writable(folder, out.force, folder=True, inputs=inputs_of(scenarios))
    study = Study.from_files(
        scenarios,
        seed=seed,
        runs=runs or 5,
        set_options=set_options,
        execution=execution_of(execution),
        skip_bases=False,
    )
    _check_year(year, study.designs[0].scenario.horizon_years)  # before the work
    check_sweep_memory(study, factors, allow_large=execution.allow_large)
    with bar(execution, "replications") as progress:
        result = run_sweep(reporting_to(study, progress), factors)
    simulated = min(len(r.years) for r in result.results)  # a --vary of horizon_years
    _check_year(year, simulated)
    year = year or simulated
    show_answers(SweepAnswers(result, kpi, year), json_target, force=out.force)
    write_sweep(
        result,
        folder,
        kpi=kpi,
        year=year,
        force=out.force,
        command=["ccosim", *sys.argv[1:]],
        formats=formats,
    )
    echo_for(json_target)(
        f"\nwrote {folder}/ (sweep.csv, datapackage.json, the chart as PNG and SVG, manifest.json)"
    )


def _check_year(year: int | None, horizon: int) -> None:
    """Refuse ``--year`` beyond the years simulated (``--set horizon_years`` counts)."""
    if year is not None and year > horizon:
        raise click.BadParameter(
            f"year {year} is beyond the {horizon} simulated year(s); give 1 to {horizon}",
            param_hint="--year",
        )


def _ranking(
    scenarios: tuple[Path, ...],
    factors: list[Factor],
    sizes: tuple[int | None, int | None, int | None],
    set_options: tuple[str, ...],
    out: OutputOptions,
    execution: ExecutionOptions,
    formats: tuple[str, ...],
    json_target: str | None,
) -> None:
    """Rank several designs at every grid point; print the ranking and write its folder.

    ``sizes`` is ``(draws, runs, seed)`` as given (None: the defaults).
    """
    draws, runs, seed = sizes
    folder = out.output or ranking_folder(scenarios)
    check_writable(folder, out.force, folder=True, inputs=inputs_of(scenarios))
    study = Study.from_files(
        scenarios,
        seed=seed,
        runs=runs or (2 if draws else 5),
        set_options=set_options,
        execution=execution_of(execution),
        skip_bases=False,
    )
    warn_staffing(study)  # before the work
    check_ranking_memory(study, factors, draws=draws, allow_large=execution.allow_large)
    with bar(execution, "replications") as progress:
        result = ranking_sweep(reporting_to(study, progress), factors, draws=draws)
    show_answers(RankingAnswers(result), json_target, force=out.force)
    write_ranking(
        result,
        folder,
        study,
        force=out.force,
        command=["ccosim", *sys.argv[1:]],
        formats=formats,
    )
    echo_for(json_target)(
        f"\nwrote {folder}/ (report.html with the ranking map, ranking.json, ranking.csv, "
        "datapackage.json, the charts, summary.txt, manifest.json, the designs resolved)"
    )
