"""Run contexts from command-line options: the :class:`Study` a command works on.

The one place the CLI turns ``--runs/--years/--seed/--set`` and ``--workers/--scheduler/
--quiet`` into a :class:`~ccosim.experiment.study.Study` and its progress bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ccosim.cli.options import ExecutionOptions, StudyOptions
from ccosim.cli.progress import Progress
from ccosim.experiment.staffing_check import staffing_warnings
from ccosim.experiment.study import Execution, Study

__all__ = ["bar", "check_runs", "execution_of", "load_study", "reporting_to", "warn_staffing"]


def check_runs(runs: int | None, draws: int | None, *, default: int = 20) -> int:
    """Replications per design: ``default`` (2 per draw with draws); at least 2 without."""
    if runs is None:
        return 2 if draws else default
    if not draws and runs < 2:
        raise click.BadParameter("at least 2 runs are needed for intervals", param_hint="--runs")
    return runs


def execution_of(options: ExecutionOptions) -> Execution:
    """Where the replications run, from ``--workers`` and ``--scheduler``."""
    return Execution(options.workers, options.scheduler)


def load_study(
    paths: Sequence[Path],
    options: StudyOptions,
    execution: ExecutionOptions,
    *,
    baseline: str | None = None,
    runs: int | None = None,
) -> Study:
    """Load every design once (:meth:`Study.from_files`) with the command's options."""
    return Study.from_files(
        paths,
        baseline=baseline,
        seed=options.seed,
        runs=options.runs if runs is None else runs,
        years=options.years,
        set_options=options.set_options,
        execution=execution_of(execution),
    )


def bar(execution: ExecutionOptions, label: str, total: int = 1) -> Progress:
    """A progress bar for the replications (silent with ``--quiet`` or off a terminal)."""
    return Progress(total, label, quiet=execution.quiet)


def reporting_to(study: Study, progress: Progress) -> Study:
    """``study`` with its progress going to ``progress``."""
    return study.reporting(progress.update, progress.set_total)


def warn_staffing(study: Study) -> None:
    """Warn on standard error, before any simulation, where the designs' staffing differs."""
    for warning in staffing_warnings([(d.label, d.scenario) for d in study.designs]):
        click.echo(f"warning: {warning}", err=True)
