"""``ccosim business-case``: the CEO's one-pager for a CCO, optionally under draws."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccosim.assess.scoring import read_answers
from ccosim.cli.context import bar, check_runs, execution_of, reporting_to
from ccosim.cli.options import (
    DrawOptions,
    ExecutionOptions,
    OutputOptions,
    StudyOptions,
    draws_options,
    execution_options,
    inputs_of,
    output_options,
    study_options,
)
from ccosim.cli.terminal import echo_for, show_answers
from ccosim.experiment.business_case import business_case_study
from ccosim.output import check_writable
from ccosim.workflows.business_case import (
    OnePager,
    business_case_draws,
    case_report_line,
    check_case_memory,
    point_case,
    readiness_check,
    readiness_text,
    same_file_note,
    write_case_report,
)
from ccosim.workflows.compare import POINT_RUNS

__all__ = ["business_case"]


@click.command("business-case")
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
@study_options(
    runs="Replications (default 20); with --draws, per draw (default 2).",
    years="Horizon (default: the current's).",
    seed="Root seed (default: the current scenario's).",
    per_design=True,
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
@output_options("Also write the one-pager as a report folder.")
@draws_options(POINT_RUNS)
@execution_options
def business_case(
    current: Path,
    cco: Path,
    hire_month: int,
    study: StudyOptions,
    no_goal_seek: bool,
    answers_file: Path | None,
    out: OutputOptions,
    drawing: DrawOptions,
    execution: ExecutionOptions,
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
    runs = check_runs(study.runs, drawing.draws)
    note = same_file_note(current, cco)
    if note:
        click.echo(note, err=True)
    inputs = inputs_of([current, cco], [answers_file])
    if out.output is not None:
        check_writable(out.output, out.force, folder=True, inputs=inputs)
    if drawing.json_target and drawing.json_target != "-":
        check_writable(Path(drawing.json_target), out.force, inputs=inputs)
    context = business_case_study(
        current,
        cco,
        hire_month=hire_month,
        runs=runs,
        seed=study.seed,
        years=study.years,
        set_options=study.set_options,
        set_current=study.set_current,
        set_target=study.set_target,
        execution=execution_of(execution),
    )
    goal_seek = not no_goal_seek
    check_case_memory(
        context,
        draws=drawing.draws,
        report=out.output is not None,
        goal_seek=goal_seek,
        allow_large=execution.allow_large,
    )
    # Read before the simulation, so that a bad file fails first.
    answers = read_answers(answers_file) if answers_file is not None else None
    drawn = None
    if drawing.draws:
        with bar(execution, "replications") as progress:
            drawn = business_case_draws(
                reporting_to(context, progress),
                drawing.draws,
                method=drawing.sampling,
                discount_rate=drawing.discount_rate,
                goal_seek=goal_seek,
            )
        show_answers(drawn, drawing.json_target, force=out.force)
        if out.output is None:
            return
    point_runs = POINT_RUNS if drawn else runs
    with bar(execution, "point values" if drawn else "replications", 2 * point_runs) as progress:
        case = point_case(
            context.reporting(progress.update),
            discount_rate=drawing.discount_rate,
            goal_seek=goal_seek,
            drawn=drawn,
        )
    echo = echo_for(drawing.json_target)
    if drawn is None:
        show_answers(OnePager(case), drawing.json_target, force=out.force, text_first=True)
    readiness = readiness_check(case, answers) if answers is not None else None
    if readiness is not None and drawn is None:
        echo("\n" + readiness_text(readiness))
    if out.output is None:
        return
    write_case_report(
        case,
        out.output,
        force=out.force,
        readiness=readiness,
        drawn=drawn,
        command=["ccosim", *sys.argv[1:]],
    )
    echo(case_report_line(out.output, drawn=drawn is not None))
