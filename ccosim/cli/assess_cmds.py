"""``ccosim assess``: the CCO readiness checklist, asked or read from a file, and scored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ccosim.assess import QUESTIONS, assess, cross_check, read_answers, validate_answers
from ccosim.assess.crosscheck import KPI_NAMES
from ccosim.assess.render import format_assessment
from ccosim.cli.options import force_option, inputs_of, set_option
from ccosim.cli.terminal import write_json
from ccosim.errors import CcosimError
from ccosim.output import check_writable
from ccosim.scenario import load


def ask() -> dict[str, Any]:
    """Ask every question at the terminal, re-asking until the answer fits."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.kind == "yes_no":
            answers[question.id] = click.confirm(question.text)
        elif question.kind == "count":
            answers[question.id] = click.prompt(question.text, type=click.IntRange(min=0))
        else:
            answers[question.id] = click.prompt(question.text, type=click.FloatRange(min=0))
    return validate_answers(answers, "<terminal>")


@click.command("assess")
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file of answers (see examples/readiness_answers.yaml); without it the "
    "questions are asked at the terminal.",
)
@click.option(
    "--scenario",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The current org's scenario, to cross-check the answers against.",
)
@click.option(
    "--simulate",
    "runs",
    type=click.IntRange(min=1),
    default=None,
    metavar="RUNS",
    help="Also simulate the scenario (RUNS replications) and cross-check with its retention.",
)
@click.option(
    "--interactive",
    is_flag=True,
    help="Ask the questions even when not on a terminal (for scripted input).",
)
@click.option(
    "--json",
    "json_target",
    metavar="FILE",
    help="Write the assessment as JSON ('-' for standard output).",
)
@set_option
@force_option
def assess_command(
    answers_file: Path | None,
    scenario: Path | None,
    runs: int | None,
    interactive: bool,
    json_target: str | None,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Score the signals that a firm needs a Chief Customer Officer (mark-cco).

    High churn, weak expansion, satisfaction below par, too few references, a subscription
    model, leaders without bandwidth, fragmented post-sale ownership and firm size add to the
    score; authority, aligned metrics and a budget decide whether a CCO could succeed.

    \b
    Examples:
      ccosim assess
      ccosim assess --answers examples/readiness_answers.yaml \\
          --scenario scenarios/post_sales_cs.yaml --simulate 5
    """
    if json_target not in (None, "-"):  # fail before the work, not after
        check_writable(Path(json_target), force, inputs=inputs_of([scenario], [answers_file]))
    if answers_file is not None:
        answers = read_answers(answers_file)
    elif interactive or sys.stdin.isatty():
        answers = ask()
    else:
        raise CcosimError(
            "no answers: pass --answers FILE (see "
            "examples/readiness_answers.yaml) or run in a terminal"
        )
    result = assess(answers)
    if scenario is not None:
        loaded = load(scenario, set_options=set_options)
        kpis = None
        if runs:
            # lazy: the engine (numba) loads only when --simulate asks for it.
            from ccosim.simulate import simulate

            simulated = simulate(loaded, runs=runs)
            kpis = {k: list(simulated.mean(k)) for k in KPI_NAMES}
        result = cross_check(result, loaded, kpis)
    if json_target:
        write_json(result.to_dict(), json_target, force=force)
        if json_target == "-":
            return
    click.echo(format_assessment(result))
