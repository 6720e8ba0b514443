"""``ccosim business-case``: the CEO's one-pager for a CCO, optionally under draws."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from ccosim.assess.scoring import read_answers
from ccosim.cli.context import bar, check_runs, execution_of, reporting_to
from ccosim.cli.options import (
    PACK_FORMATS_HELP,
    ChangeOptions,
    DrawOptions,
    ExecutionOptions,
    OutputOptions,
    StudyOptions,
    change_options,
    draws_options,
    execution_options,
    formats_option,
    inputs_of,
    output_options,
    study_options,
)
from ccosim.cli.terminal import echo_for, show_answers
from ccosim.errors import CcosimError
from ccosim.experiment.business_case import business_case_study
from ccosim.experiment.options import Option, options_study, parse_option
from ccosim.experiment.study import Study
from ccosim.output import check_writable
from ccosim.report.data import REPORT_FORMATS, check_formats
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
from ccosim.workflows.compare import POINT_RUNS, pack_notes

__all__ = ["business_case"]


@click.command("business-case")
@click.argument("current", type=click.Path(dir_okay=False, path_type=Path))
@change_options(
    target="The CCO org's scenario (alone: the one-pager; with --option: one more option, "
    "named by the file's stem).",
    hire_month="With --option, for options without @MONTH.",
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
@formats_option(PACK_FORMATS_HELP + " Needs -o.", REPORT_FORMATS)
@draws_options(POINT_RUNS)
@execution_options
def business_case(
    current: Path,
    change: ChangeOptions,
    option_texts: tuple[str, ...],
    study: StudyOptions,
    no_goal_seek: bool,
    answers_file: Path | None,
    out: OutputOptions,
    formats: tuple[str, ...],
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

    With -o and --format pptx/pdf it also writes the board pack, as compare does:
    slides.pptx and the one-page summary.pdf (the NPV at your horizon with its interval,
    break-even, how often the new leader leaves, the table and the charts); --format xlsx
    adds data/tables.xlsx with a summary sheet first, --format parquet the tables as Parquet.

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
      ccosim business-case scenarios/post_sales_cs.yaml --with scenarios/cco_full.yaml \\
          --hire-month 12 -o reports/cco-board --format pptx --format pdf
    """
    runs = check_runs(study.runs, drawing.draws)
    cco = change.target
    options = _options_of(cco, option_texts, answers_file)
    note = same_file_note(current, cco) if cco is not None else None
    if note:
        click.echo(note, err=True)
    inputs = inputs_of([current, *(Path(o.path) for o in options)], [answers_file])
    if out.output is not None:
        check_writable(out.output, out.force, folder=True, inputs=inputs)
    if drawing.json_target and drawing.json_target != "-":
        check_writable(Path(drawing.json_target), out.force, inputs=inputs)
    pack = _Pack(formats, _check_pack(formats, out))
    if option_texts:
        _weigh_options(
            current, options, change.hire_month, runs, study, out, drawing, execution, pack
        )
        return
    assert cco is not None  # _options_of refuses a command without --with or --option
    context = business_case_study(
        current, cco, hire_month=change.hire_month, **_study_of(study, runs, execution)
    )
    goal_seek = not no_goal_seek
    _check_memory(context, drawing, out, execution, goal_seek=goal_seek)
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
    with bar(execution, "hiring plan") as progress:
        write_case_report(
            case,
            out.output,
            force=out.force,
            readiness=readiness,
            drawn=drawn,
            command=["ccosim", *sys.argv[1:]],
            formats=formats,
            notes=pack.skipped,
            execution=reporting_to(context, progress).execution,
        )
    pack.say()
    echo(case_report_line(out.output, drawn=drawn is not None))


@dataclass(frozen=True)
class _Pack:
    """``--format``: what to write, and what was or will be skipped (said once)."""

    formats: tuple[str, ...]
    announced: list[str]
    skipped: list[str] = field(default_factory=list)

    def say(self) -> None:
        """Say what of the pack was skipped, unless it was said before the work."""
        for note in [] if self.announced else self.skipped:
            click.echo(f"note: {note}", err=True)


def _check_pack(formats: tuple[str, ...], out: OutputOptions) -> list[str]:
    """Refuse, before any work, a pack with no folder or without its package; notes said.

    Raises:
        CcosimError: ``--format`` without ``-o``, or a format's optional package missing.
    """
    if formats and out.output is None:
        raise CcosimError(
            f"--format {formats[0]} writes into the report folder: add -o FOLDER, e.g. "
            f"-o reports/cco-board --format {formats[0]}"
        )
    check_formats(formats)
    announced = pack_notes(formats)
    for note in announced:
        click.echo(note, err=True)
    return announced


def _study_of(study: StudyOptions, runs: int, execution: ExecutionOptions) -> dict[str, Any]:
    """The run context's settings from the command's options (both kinds of business case)."""
    return {
        "runs": runs,
        "seed": study.seed,
        "years": study.years,
        "set_options": study.set_options,
        "set_current": study.set_current,
        "set_target": study.set_target,
        "execution": execution_of(execution),
    }


def _check_memory(
    context: Study,
    drawing: DrawOptions,
    out: OutputOptions,
    execution: ExecutionOptions,
    *,
    goal_seek: bool,
) -> None:
    """Refuse, before the work, a business case over the memory budget (see --allow-large)."""
    check_case_memory(
        context,
        draws=drawing.draws,
        report=out.output is not None,
        goal_seek=goal_seek,
        allow_large=execution.allow_large,
    )


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
    pack: _Pack,
) -> None:
    """``--option``: every option against the current org, one table (and a report)."""
    ostudy = options_study(
        current, options, hire_month=hire_month, **_study_of(study, runs, execution)
    )
    _check_memory(ostudy.study, drawing, out, execution, goal_seek=False)
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
    with bar(execution, "hiring plan") as progress:
        write_options_report(
            case,
            out.output,
            force=out.force,
            drawn=drawn,
            command=["ccosim", *sys.argv[1:]],
            formats=pack.formats,
            notes=pack.skipped,
            execution=reporting_to(ostudy.study, progress).execution,
        )
    pack.say()
    echo_for(drawing.json_target)(case_report_line(out.output, drawn=drawn is not None))
