"""``ccosim compare``: several designs on the same simulated customers, and the report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ccosim import kpis
from ccosim.cli.base import force_option, main, set_option
from ccosim.cli.progress import Progress
from ccosim.experiment.compare import LOWER_IS_BETTER, Comparison, run_comparison
from ccosim.formatting import format_kpi
from ccosim.money import DEFAULT_DISCOUNT_RATE
from ccosim.output import check_writable, write_text
from ccosim.report.compare_report import write_report
from ccosim.report.data import FORMATS

#: Replications per design of the point-value part of a --draws report (the plain default).
POINT_RUNS = 20


def execution_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--workers``, ``--scheduler``, ``--allow-large``, ``--quiet``: commands that simulate."""
    func = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(func)
    func = click.option(
        "--allow-large",
        is_flag=True,
        help="Run even if the memory estimate is over half of this machine's memory.",
    )(func)
    func = click.option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run on a Dask cluster, e.g. tcp://host:8786 "
        "(needs pip install 'ccosim[distributed]').",
    )(func)
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        help="Local processes (default: all cores; 1 = serial).",
    )(func)


def draws_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--draws``, ``--sampling``, ``--discount-rate`` and ``--json``: assumptions as ranges."""
    func = click.option(
        "--json",
        "json_target",
        metavar="FILE|-",
        help="Also write the answers as JSON to FILE, or to standard output with '-' (for "
        "business-case: every figure of the one-pager, or the --draws answers).",
    )(func)
    func = click.option(
        "--discount-rate",
        type=click.FloatRange(0.0, 1.0),
        default=DEFAULT_DISCOUNT_RATE,
        show_default=True,
        help="Annual discount rate of the net present values, compounded monthly (a stated "
        "assumption).",
    )(func)
    func = click.option(
        "--sampling",
        type=click.Choice(["lhs", "sobol"]),
        default="lhs",
        show_default=True,
        help="How --draws covers the ranges: Latin hypercube or scrambled Sobol.",
    )(func)
    return click.option(
        "--draws",
        type=click.IntRange(min=2),
        help="Sample the scenarios' uncertainty ranges N times (the same draws for every "
        "design); --runs is then the replications per draw (default 2). The report (-o) "
        "also holds the ordinary results at the assumptions' point values, with the draws' "
        f"answers in its summary: {POINT_RUNS} more runs per design, no attribution re-runs "
        f"(N x R + {POINT_RUNS} runs per design in all). See docs/uncertainty.md.",
    )(func)


def _runs(runs: int | None, draws: int | None) -> int:
    if runs is None:
        return 2 if draws else 20
    if not draws and runs < 2:
        raise click.BadParameter("at least 2 runs are needed for intervals", param_hint="--runs")
    return runs


def data_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format`` and ``--full-series``, for every command writing a data folder."""
    func = click.option(
        "--full-series",
        is_flag=True,
        help="Also write every replication's monthly series (series_monthly_full.csv; large). "
        "By default series_monthly.csv holds the monthly mean and middle 95% of runs.",
    )(func)
    return click.option(
        "--format",
        "formats",
        type=click.Choice(FORMATS),
        multiple=True,
        help="Also write the data tables as Parquet or Excel (needs pip install "
        "'ccosim[data]'). Repeatable.",
    )(func)


def check_memory(
    paths: list[Path],
    runs: int,
    workers: int | None,
    set_options: tuple[str, ...],
    years: int | None,
    allow_large: bool,
) -> None:
    """Load the scenarios and refuse work over the memory budget before it starts."""
    from ccosim.resources import check_resources
    from ccosim.scenario import load

    overrides = {"horizon_years": years} if years else None
    scenarios = [load(p, overrides, set_options=set_options) for p in paths]
    check_resources(scenarios, runs, workers, allow_large=allow_large)


def default_folder(labels: list[str]) -> Path:
    """``reports/a-vs-b`` for two or three designs, ``reports/a-vs-N-designs`` beyond."""
    stems = [p for p in labels if not p.startswith("_")] or labels
    name = "-vs-".join(stems) if len(stems) <= 3 else f"{stems[0]}-vs-{len(stems) - 1}-designs"
    return Path("reports") / name


def headline_text(comparison: Comparison) -> str:
    """The final-year headline table for the terminal."""
    c = comparison
    year = c.years[-1]
    header = ["design", *(kpis.label(k) for k in kpis.HEADLINE)]
    rows = []
    for label in c.labels:
        row = [label + (" *" if label == c.baseline else "")]
        for kpi in kpis.HEADLINE:
            cell = format_kpi(kpi, c.results[label].mean(kpi)[-1])
            if label != c.baseline:
                d = c.delta(label, kpi)
                significant = d.lo[-1] > 0 or d.hi[-1] < 0
                good = (d.mean[-1] < 0) if kpi in LOWER_IS_BETTER else (d.mean[-1] > 0)
                mark = ("+" if good else "-") if significant else "~"
                cell += f" {mark}"
            row.append(cell)
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    kind = "paired" if c.paired else "NOT paired (different companies), Welch"
    lines = [
        *(f"note: {n}" for n in c.notes),
        f"Year {year}, mean of {c.runs} runs (seed {c.seed}); * baseline; vs baseline: "
        f"+ better, - worse ({kind} 95% interval excludes 0), ~ no clear difference",
    ]
    for r in [header, *rows]:
        lines.append(
            "  ".join(
                [
                    r[0].ljust(widths[0]),
                    *(x.rjust(w) for x, w in zip(r[1:], widths[1:], strict=True)),
                ]
            )
        )
    return "\n".join(lines)


@main.command()
@click.argument(
    "scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--baseline",
    metavar="NAME",
    help="Design to compare against (its label or file stem); default the first.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    help="Replications per design (default 20); with --draws, per draw (default 2).",
)
@click.option("--years", type=click.IntRange(1, 30), help="Horizon (default: the baseline's).")
@click.option(
    "--seed", type=int, help="Root seed shared by every design (default: the baseline's)."
)
@set_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Report folder (default: reports/A-vs-B).",
)
@force_option
@click.option(
    "--no-attribution",
    is_flag=True,
    help="Skip the mechanism-by-mechanism re-runs (5x fewer replications).",
)
@draws_options
@click.option(
    "--allow-different-companies",
    is_flag=True,
    help="Run designs whose customer bases differ (segments, accounts, contract values, "
    "go-to-market, horizon); the comparison is then marked not paired throughout.",
)
@data_options
@execution_options
def compare(
    scenarios: tuple[Path, ...],
    baseline: str | None,
    runs: int | None,
    years: int | None,
    seed: int | None,
    set_options: tuple[str, ...],
    output: Path | None,
    force: bool,
    no_attribution: bool,
    draws: int | None,
    sampling: str,
    discount_rate: float,
    json_target: str | None,
    allow_different_companies: bool,
    formats: tuple[str, ...],
    full_series: bool,
    workers: int | None,
    scheduler: str | None,
    allow_large: bool,
    quiet: bool,
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
    from ccosim.experiment.compare import design_labels

    runs = _runs(runs, draws)
    labels = design_labels(list(scenarios))
    folder = output or default_folder(labels)
    check_writable(folder, force, folder=True)  # fail before the work, not after
    if json_target and json_target != "-":
        check_writable(Path(json_target), force)
    rounds = 1 if (no_attribution or draws) else 5  # attribution re-runs each design per mechanism
    designs = [p for p in scenarios if not p.name.startswith("_")]  # bases are skipped
    held = max(runs, POINT_RUNS) if draws else runs * rounds  # draws stream; the point run not
    check_memory(designs, held, workers, set_options, years, allow_large)
    drawn = None
    if draws:
        drawn = _compare_draws(
            tuple(designs),
            design_labels(designs),
            baseline,
            draws,
            runs,
            years,
            seed,
            set_options,
            sampling,
            discount_rate,
            json_target,
            force,
            workers,
            scheduler,
            quiet,
        )
        runs, no_attribution = POINT_RUNS, True
    progress = Progress(1, "replications" if not draws else "point values", quiet=quiet)
    with progress:
        comparison = run_comparison(
            scenarios,
            baseline=baseline,
            runs=runs,
            seed=seed,
            years=years,
            set_options=set_options,
            attribution=not no_attribution,
            workers=workers,
            scheduler=scheduler,
            on_done=progress.update,
            on_total=lambda n: setattr(progress, "total", n),
            allow_different_companies=allow_different_companies,
        )
    draws_part = None
    if drawn is None:
        _say_point_results(comparison, json_target, force)
    else:
        from ccosim.report.uncertainty_report import draws_part as make_part

        psa, answers, files = drawn
        label_of = {d.source: d.label for d in comparison.designs}
        names = {
            lb: label_of.get(str(path), lb) for lb, path in zip(psa.labels, files, strict=True)
        }
        draws_part = make_part(psa, answers, "compare", names)
    write_report(
        comparison,
        folder,
        force=force,
        org_chart=_org_chart_maker(),
        command=["ccosim", *sys.argv[1:]],
        formats=formats,
        full_series=full_series,
        draws=draws_part,
    )
    if draws_part is not None:
        _say_report(folder, json_target, comparison.runs)
        return
    click.echo(
        f"\nreport: {folder / 'report.html'}  (also report.md and data/)", err=json_target == "-"
    )


def _say_point_results(comparison: Comparison, json_target: str | None, force: bool) -> None:
    """Print the headline table (what its intervals cover) and write its JSON if asked."""
    from ccosim.report.uncertainty_report import EXCLUDES_ASSUMPTIONS, carried_by

    text = "\n".join(
        filter(None, [headline_text(comparison), EXCLUDES_ASSUMPTIONS, carried_by(comparison)])
    )
    if json_target:
        from ccosim.cli.base import write_json
        from ccosim.experiment.compare import headline

        payload = {
            "covers": "customer randomness only (assumptions held at their values)",
            "seed": comparison.seed,
            "runs": comparison.runs,
            "headline": headline(comparison, kpis.HEADLINE, list(comparison.years)),
        }
        write_json(payload, json_target, force=force)
    if json_target != "-":
        click.echo(text)


def _compare_draws(
    scenarios: tuple[Path, ...],
    labels: list[str],
    baseline: str | None,
    draws: int,
    runs: int,
    years: int | None,
    seed: int | None,
    set_options: tuple[str, ...],
    sampling: str,
    discount_rate: float,
    json_target: str | None,
    force: bool,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
) -> Any:
    """Run the draws of ``compare --draws``, print and write their answers.

    Returns:
        The draws, their answers and the scenario file of each of the draws' designs.
    """
    from ccosim.experiment.compare import CompareError
    from ccosim.experiment.decision import compare_answers
    from ccosim.experiment.psa import psa_for_comparison

    base = baseline or labels[0]
    if base not in labels:
        raise CompareError(f"--baseline {base!r} is none of: {', '.join(labels)}")
    ordered = [
        scenarios[labels.index(base)],
        *(p for p, lb in zip(scenarios, labels, strict=True) if lb != base),
    ]
    progress = Progress(1, "replications", quiet=quiet)
    with progress:
        psa = psa_for_comparison(
            ordered,
            draws=draws,
            runs=runs,
            seed=seed,
            years=years,
            set_options=set_options,
            method=sampling,
            discount_rate=discount_rate,
            workers=workers,
            scheduler=scheduler,
            on_done=progress.update,
            on_total=lambda n: setattr(progress, "total", n),
        )
    answers = compare_answers(psa)
    _draws_answers(psa, answers, "compare", json_target, force)
    return psa, answers, ordered


def _draws_answers(
    psa: Any, answers: dict[str, Any], kind: str, json_target: str | None, force: bool
) -> None:
    """Print the --draws answers and write them as JSON if asked."""
    from ccosim.cli.base import write_json
    from ccosim.report.uncertainty_report import uncertainty_json, uncertainty_text

    if json_target:
        write_json(uncertainty_json(psa, answers, kind), json_target, force=force)
    echo = (lambda t: click.echo(t, err=True)) if json_target == "-" else click.echo
    echo(uncertainty_text(psa, answers, kind))


def _say_report(folder: Path, json_target: str | None, runs: int) -> None:
    """The last lines of a --draws command: where the report is and what it adds."""
    echo = (lambda t: click.echo(t, err=True)) if json_target == "-" else click.echo
    echo(
        f"\nreport: {folder / 'report.html'}  (the draws' answers in its summary and in "
        f"data/draws.csv; the tables at the point values over {runs} runs per design, "
        "customer randomness only)"
    )


def _org_chart_maker():
    try:
        from ccosim.charting.org_chart import scenario_chart_figure
    except ImportError:
        return None
    return scenario_chart_figure


@main.command("business-case")
@click.argument("current", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with",
    "cco",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CCO org's scenario.",
)
@click.option(
    "--hire-month",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Month the CCO starts; the org changes then (0: from the start).",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    help="Replications (default 20); with --draws, per draw (default 2).",
)
@click.option("--years", type=click.IntRange(1, 30), help="Horizon (default: the current's).")
@click.option("--seed", type=int, help="Root seed (default: the current scenario's).")
@set_option
@click.option(
    "--set-current",
    "set_current",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a value in the current org only (--set DESIGN:PATH=VALUE also works, "
    "DESIGN being current, target or a file stem). Repeatable.",
)
@click.option(
    "--set-target",
    "set_target",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a value in the CCO org only, e.g. --set-target org.units.cco.vacant=true.",
)
@click.option(
    "--no-goal-seek",
    is_flag=True,
    help="Skip the search for the GRR lift that "
    "pays for the role (about 10 extra runs of the current org).",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Readiness answers (see ccosim assess) to score and cross-check with the simulated "
    "current org.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the one-pager as a report folder.",
)
@force_option
@draws_options
@execution_options
def business_case(
    current: Path,
    cco: Path,
    hire_month: int,
    runs: int | None,
    years: int | None,
    seed: int | None,
    set_options: tuple[str, ...],
    set_current: tuple[str, ...],
    set_target: tuple[str, ...],
    no_goal_seek: bool,
    answers_file: Path | None,
    output: Path | None,
    force: bool,
    draws: int | None,
    sampling: str,
    discount_rate: float,
    json_target: str | None,
    workers: int | None,
    scheduler: str | None,
    allow_large: bool,
    quiet: bool,
) -> None:
    """The CEO's one-pager: what a CCO does to retention, at what cost, and when it pays.

    Runs the current org and the CCO org on the same simulated customers and prints GRR and
    NRR lift, retained ARR, added cost, one-time costs of the change, net value and its net
    present value at several horizons, and the break-even month, each with its interval, and
    the smallest GRR lift that would pay for the role.

    With --hire-month M the CCO's search opens at month M; the teams move when the CCO is in
    post (after the executive time to fill), and the CCO file's own timeline follows.

    With --draws N it runs both orgs under N draws of the assumptions' ranges (the
    scenarios' uncertainty blocks) and answers with P(NPV > 0), NPV quantiles, the
    probability of break-even by year and which assumption is worth researching (EVPPI).
    With -o the report is the one-pager at the assumptions' point values (20 runs per
    design) with those answers first, a section of their own, and data/draws.csv.

    \b
    Examples:
      ccosim business-case scenarios/post_sales_cs.yaml --with scenarios/cco_full.yaml \\
          --hire-month 12 --json -
      ccosim business-case scenarios/post_sales_cs.yaml --with scenarios/cco_full.yaml \\
          --draws 500 --json answers.json -o reports/cco-under-uncertainty
    """
    from ccosim.experiment.business_case import run_business_case
    from ccosim.report.business_case_report import one_pager_text, write_one_pager
    from ccosim.report.uncertainty_report import EXCLUDES_ASSUMPTIONS

    runs = _runs(runs, draws)
    if Path(current).resolve() == Path(cco).resolve():
        click.echo(
            f"note: --with names {current} again: both orgs are the same scenario, so the CCO "
            "org's net value is zero by construction (unless --set-current/--set-target differ)",
            err=True,
        )
    if output is not None:
        check_writable(output, force, folder=True)
    if json_target and json_target != "-":
        check_writable(Path(json_target), force)
    from ccosim.experiment.business_case import load_designs
    from ccosim.resources import check_resources

    designs = load_designs(current, cco, years, set_options, set_current, set_target)
    if draws:
        held = max(runs, POINT_RUNS) if output is not None else runs
    else:
        held = runs + (10 if not no_goal_seek else 0)
    check_resources(list(designs), held, workers, allow_large=allow_large)
    answers = None
    if answers_file is not None:
        from ccosim.assess.scoring import read_answers

        answers = read_answers(answers_file)  # fail before the simulation, not after
    drawn = None
    if draws:
        drawn = _business_case_draws(
            current,
            cco,
            hire_month,
            draws,
            runs,
            years,
            seed,
            set_options,
            set_current,
            set_target,
            sampling,
            discount_rate,
            json_target,
            force,
            workers,
            scheduler,
            quiet,
            not no_goal_seek,
        )
        if output is None:
            return
        runs = POINT_RUNS  # the one-pager at the point values; the draws' lift replaces its own
    progress = Progress(2 * runs, "replications" if not draws else "point values", quiet=quiet)
    with progress:
        case = run_business_case(
            current,
            cco,
            hire_month=hire_month,
            runs=runs,
            seed=seed,
            years=years,
            set_options=set_options,
            set_current=set_current,
            set_target=set_target,
            discount_rate=discount_rate,
            goal_seek=not no_goal_seek and not draws,
            workers=workers,
            scheduler=scheduler,
            on_done=progress.update,
        )
    echo = (lambda t: click.echo(t, err=True)) if json_target == "-" else click.echo
    draws_part = None
    if drawn is not None:
        from ccosim.report.uncertainty_report import draws_part as make_part

        names = dict(zip(drawn[0].labels, (case.current, case.proposed), strict=True))
        draws_part = make_part(*drawn, "business-case", names)
    if draws_part is None:
        echo(one_pager_text(case) + "\n" + EXCLUDES_ASSUMPTIONS)
    if json_target and draws_part is None:
        from ccosim.cli.base import write_json
        from ccosim.report.business_case_report import case_json

        write_json(case_json(case), json_target, force=force)
    readiness = None
    if answers is not None:
        from ccosim.assess import assess, cross_check
        from ccosim.assess.crosscheck import KPI_NAMES
        from ccosim.assess.render import format_assessment

        current_run = case.comparison.results[case.current]
        kpis = {k: list(current_run.mean(k)) for k in KPI_NAMES}
        readiness = cross_check(
            assess(answers), case.comparison.design(case.current).scenario, kpis
        )
        if draws_part is None:
            echo("\n" + format_assessment(readiness))
    if output is None:
        return
    write_one_pager(
        case,
        output,
        force=force,
        readiness=readiness,
        draws=draws_part,
        command=["ccosim", *sys.argv[1:]],
    )
    if draws_part is None:
        echo(f"\nreport: {output / 'report.html'}")
    else:
        _say_report(output, json_target, runs)


def _business_case_draws(
    current: Path,
    cco: Path,
    hire_month: int,
    draws: int,
    runs: int,
    years: int | None,
    seed: int | None,
    set_options: tuple[str, ...],
    set_current: tuple[str, ...],
    set_target: tuple[str, ...],
    sampling: str,
    discount_rate: float,
    json_target: str | None,
    force: bool,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
    goal_seek: bool,
) -> Any:
    """Run the draws of ``business-case --draws``, print and write their answers; return them."""
    from ccosim.experiment.decision import business_case_answers
    from ccosim.experiment.psa import psa_for_business_case

    progress = Progress(1, "replications", quiet=quiet)
    with progress:
        psa = psa_for_business_case(
            current,
            cco,
            draws=draws,
            runs=runs,
            hire_month=hire_month,
            seed=seed,
            years=years,
            set_options=set_options,
            set_current=set_current,
            set_target=set_target,
            method=sampling,
            discount_rate=discount_rate,
            workers=workers,
            scheduler=scheduler,
            on_done=progress.update,
            on_total=lambda n: setattr(progress, "total", n),
        )
    answers = business_case_answers(psa)
    if goal_seek:
        from ccosim.experiment.lift import lift_for_business_case

        answers["lift_that_pays"] = lift_for_business_case(
            current,
            cco,
            psa,
            set_options=set_options,
            set_current=set_current,
            set_target=set_target,
            workers=workers,
            scheduler=scheduler,
        ).as_dict()
    _draws_answers(psa, answers, "business-case", json_target, force)
    return psa, answers


@main.command()
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
@click.option("--seed", type=int, help="Root seed shared by every grid point.")
@set_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the results (default: reports/sweep-NAME): one design, sweep.csv and "
    "the tornado chart; several designs, ranking.csv (and the draws' P(best)).",
)
@force_option
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Also write the data as Parquet or Excel (pip install 'ccosim[data]').",
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
    output: Path | None,
    force: bool,
    formats: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    allow_large: bool,
    quiet: bool,
) -> None:
    """Vary assumptions over a grid and chart how much each one swings a KPI.

    With two or more scenario files, rank the designs at every grid point instead (expected
    NPV of operating contribution, and each design's probability of being best): under which
    assumptions does a design stop being best?

    \b
    Examples:
      ccosim sweep scenarios/cco_full.yaml \\
          --vary customers.segments.smb.base_churn=0.10:0.22:3 \\
          --vary assumptions.customer_success.health_lift=4:12:3 --kpi nrr
      ccosim sweep scenarios/post_sales_cs.yaml scenarios/cco_full.yaml \\
          --vary assumptions.handoff.decay_per_hop=0:0.3:4 --draws 50
    """
    from ccosim.experiment.sweep import parse_vary, run_sweep
    from ccosim.report.sweep_report import sweep_text, write_sweep

    if kpi not in kpis.YEARLY:  # before the work, not after
        raise click.BadParameter(
            f"unknown KPI {kpi!r}; try nrr, grr, arr, logo_retention (all: docs/kpis.md)",
            param_hint="--kpi",
        )
    factors = [parse_vary(v) for v in varies]
    if len(scenarios) > 1:
        _ranking_sweep(
            scenarios,
            factors,
            draws,
            runs,
            seed,
            set_options,
            output,
            force,
            workers,
            scheduler,
            quiet,
        )
        return
    if draws:
        raise click.BadParameter("--draws needs two or more designs to rank", param_hint="--draws")
    scenario = scenarios[0]
    runs = runs or 5
    folder = output or Path("reports") / f"sweep-{scenario.stem}"
    check_writable(folder, force, folder=True)
    from ccosim.experiment.sweep import factorial

    points = len(factorial(factors))  # the grid's size is checked here, before anything runs
    check_memory([scenario], runs * points, workers, set_options, None, allow_large)
    progress = Progress(1, "replications", quiet=quiet)
    with progress:
        result = run_sweep(
            str(scenario),
            factors,
            runs=runs,
            seed=seed,
            set_options=set_options,
            workers=workers,
            scheduler=scheduler,
            on_done=progress.update,
            on_total=lambda n: setattr(progress, "total", n),
        )
    year = year or len(result.results[0].years)
    click.echo(sweep_text(result, kpi, year))
    write_sweep(
        result,
        folder,
        kpi=kpi,
        year=year,
        force=force,
        command=["ccosim", *sys.argv[1:]],
        formats=formats,
    )
    click.echo(
        f"\nwrote {folder}/ (sweep.csv, datapackage.json, the chart as PNG and SVG, manifest.json)"
    )


def _ranking_sweep(
    scenarios: tuple[Path, ...],
    factors: list[Any],
    draws: int | None,
    runs: int | None,
    seed: int | None,
    set_options: tuple[str, ...],
    output: Path | None,
    force: bool,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
) -> None:
    from ccosim.experiment.compare import design_labels
    from ccosim.experiment.sweep_ranking import run_ranking_sweep
    from ccosim.report.uncertainty_report import ranking_csv, ranking_text

    labels = design_labels(list(scenarios))
    folder = output or Path("reports") / f"sweep-{'-vs-'.join(labels[:3])}"
    check_writable(folder, force, folder=True)
    progress = Progress(1, "replications", quiet=quiet)
    with progress:
        result = run_ranking_sweep(
            scenarios,
            factors,
            draws=draws,
            runs=runs or (2 if draws else 5),
            seed=seed,
            set_options=set_options,
            workers=workers,
            scheduler=scheduler,
            on_done=progress.update,
            on_total=lambda n: setattr(progress, "total", n),
        )
    text = ranking_text(result)
    click.echo(text)
    from ccosim.output import atomic_dir
    from ccosim.report.provenance import write_provenance
    from ccosim.scenario import load

    designs = [
        (lb, load(p, set_options=set_options)) for p, lb in zip(scenarios, labels, strict=True)
    ]
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "ranking.csv", ranking_csv(result))
        write_text(tmp / "summary.txt", text + "\n")
        write_provenance(
            tmp,
            designs,
            [str(p) for p in scenarios],
            seed=designs[0][1].seed if seed is None else int(seed),
            runs=result.runs,
            command=["ccosim", *sys.argv[1:]],
            overrides=set_options,
        )
    click.echo(f"\nwrote {folder}/ (ranking.csv, summary.txt, manifest.json, the designs resolved)")
