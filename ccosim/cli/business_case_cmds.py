"""``ccosim business-case``: the CEO's one-pager for a CCO, optionally under draws."""

from __future__ import annotations

import sys
from dataclasses import replace
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
from ccosim.errors import CcosimError
from ccosim.experiment.business_case import business_case_study
from ccosim.experiment.options import Option, options_study, parse_option
from ccosim.output import check_writable
from ccosim.workflows.business_case import (
    OnePager,
    OptionsPage,
    business_case_draws,
    case_report_line,
    check_case_memory,
    option_draws,
    point_case,
    point_options,
    readiness_check,
    readiness_text,
    same_file_note,
    write_case_report,
    write_options_report,
)
from ccosim.workflows.compare import POINT_RUNS

__all__ = ["business_case"]


@click.command("business-case")
@click.argument("current", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with",
    "cco",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CCO org's scenario (alone: the one-pager; with --option: one more option, "
    "named by the file's stem).",
)
@click.option(
    "--option",
    "option_texts",
    multiple=True,
    metavar="NAME=FILE[@MONTH]",
    help="An option to weigh against the current org (the status quo), hired at MONTH "
    "(default: --hire-month). Repeatable: every option runs on the same customers and one "
    "table compares them, e.g. --option promote=scenarios/cco_promote_vp_cs.yaml@12.",
)
@click.option(
    "--hire-month",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Month the CCO's search opens; the org changes when the CCO is in post (0: from "
    "the start). With --option, for options without @MONTH.",
)
@study_options(
    runs="Replications (default 20); with --draws, per draw (default 2).",
    years="The horizon you decide on, in years: the answer is read there and the runs stop "
    "there (default: read at 5 years, run to the current scenario's horizon).",
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
    cco: Path | None,
    option_texts: tuple[str, ...],
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
    the smallest GRR lift that would pay for the role. The answer is read at the horizon you
    decide on (--years, else 5 years) beside 3 and 5 years and the whole horizon; longer
    horizons assume the lift persists.

    With --option NAME=FILE[@MONTH] (repeatable) it weighs several options against the
    current org at once, on the same customers: one table, one row per option (the status
    quo among them, NPV 0), with NPV and its interval, net value, cost and break-even. Under
    --draws it adds P(best option) (summing to 1) and EVPPI for the choice among them.

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
      ccosim business-case scenarios/post_sales_cs.yaml --hire-month 12 \\
          --option promote=scenarios/cco_promote_vp_cs.yaml \\
          --option hire=scenarios/cco_full.yaml \\
          --option flat=scenarios/cco_flat_ceo.yaml --draws 200
      ccosim business-case scenarios/post_sales_cs.yaml --with scenarios/cco_full.yaml \\
          --draws 500 --json answers.json -o reports/cco-under-uncertainty
    """
    runs = check_runs(study.runs, drawing.draws)
    options = _options_of(cco, option_texts, answers_file)
    note = same_file_note(current, cco) if cco is not None else None
    if note:
        click.echo(note, err=True)
    inputs = inputs_of([current, *(Path(o.path) for o in options)], [answers_file])
    if out.output is not None:
        check_writable(out.output, out.force, folder=True, inputs=inputs)
    if drawing.json_target and drawing.json_target != "-":
        check_writable(Path(drawing.json_target), out.force, inputs=inputs)
    if option_texts:
        _weigh_options(current, options, hire_month, runs, study, out, drawing, execution)
        return
    assert cco is not None  # _options_of refuses a command without --with or --option
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
        execution=context.execution,
    )
    echo(case_report_line(out.output, drawn=drawn is not None))


def _options_of(
    cco: Path | None, option_texts: tuple[str, ...], answers_file: Path | None
) -> list[Option]:
    """The options of the command: ``--with`` (named by its stem) and each ``--option``.

    Raises:
        CcosimError: neither given, a malformed --option, or --answers with options.
    """
    if cco is None and not option_texts:
        raise CcosimError(
            "business-case needs the org to weigh: --with FILE, or --option NAME=FILE[@MONTH] "
            "(repeatable), e.g. --option hire=scenarios/cco_full.yaml@12"
        )
    if option_texts and answers_file is not None:
        raise CcosimError("--answers goes with one CCO org (--with FILE), not with --option")
    given = [parse_option(text) for text in option_texts]
    return [Option(cco.stem, str(cco)), *given] if cco is not None else given


def _weigh_options(
    current: Path,
    options: list[Option],
    hire_month: int,
    runs: int,
    study: StudyOptions,
    out: OutputOptions,
    drawing: DrawOptions,
    execution: ExecutionOptions,
) -> None:
    """``--option``: every option against the current org, one table (and a report)."""
    ostudy = options_study(
        current,
        options,
        hire_month=hire_month,
        runs=runs,
        seed=study.seed,
        years=study.years,
        set_options=study.set_options,
        set_current=study.set_current,
        set_target=study.set_target,
        execution=execution_of(execution),
    )
    check_case_memory(
        ostudy.study,
        draws=drawing.draws,
        report=out.output is not None,
        goal_seek=False,
        allow_large=execution.allow_large,
    )
    drawn = None
    if drawing.draws:
        with bar(execution, "replications") as progress:
            drawn = option_draws(
                replace(ostudy, study=reporting_to(ostudy.study, progress)),
                drawing.draws,
                method=drawing.sampling,
                discount_rate=drawing.discount_rate,
            )
        show_answers(drawn, drawing.json_target, force=out.force)
        if out.output is None:
            return
    total = len(ostudy.study.designs) * (POINT_RUNS if drawn else runs)
    with bar(execution, "point values" if drawn else "replications", total) as progress:
        case = point_options(
            replace(ostudy, study=ostudy.study.reporting(progress.update)),
            discount_rate=drawing.discount_rate,
            drawn=drawn,
        )
    if drawn is None:
        show_answers(OptionsPage(case), drawing.json_target, force=out.force, text_first=True)
    if out.output is None:
        return
    write_options_report(
        case,
        out.output,
        force=out.force,
        drawn=drawn,
        command=["ccosim", *sys.argv[1:]],
        execution=ostudy.study.execution,
    )
    echo_for(drawing.json_target)(case_report_line(out.output, drawn=drawn is not None))
