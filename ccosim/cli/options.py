"""Options shared by several commands, declared once.

Each decorator adds one option, or several packed into one object (:func:`pack`), so that a
command function takes a handful of parameters: ``study: StudyOptions`` (seed, runs, years,
``--set``), ``out: OutputOptions`` (``-o``, ``--force``), ``execution: ExecutionOptions``
(``--workers``, ``--scheduler``, ``--allow-large``, ``--quiet``), ``drawing: DrawOptions``
(``--draws``, ``--sampling``, ``--discount-rate``, ``--json``), ``change: ChangeOptions``
(``--with``, ``--hire-month``: the org to change to and when). The seed is checked here for
every command: ``0 <= seed < 2**32``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "PACK_FORMATS_HELP",
    "SEED",
    "ChangeOptions",
    "DrawOptions",
    "ExecutionOptions",
    "OrgMoment",
    "OutputOptions",
    "StudyOptions",
    "at_month_option",
    "change_options",
    "data_options",
    "draws_options",
    "execution_options",
    "force_option",
    "formats_option",
    "inputs_of",
    "json_option",
    "output_options",
    "pack",
    "scenario_paths",
    "seed_option",
    "set_option",
    "study_options",
]

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

#: Root seeds: what numpy's legacy seeding and every tool reading a 32-bit seed accept.
SEED = click.IntRange(0, 2**32 - 1)


def pack(
    name: str, build: Callable[..., Any], options: Sequence[tuple[str, Decorator]]
) -> Decorator:
    """Add ``options`` to a command and hand them to it as one parameter ``name``.

    Args:
        name: The command function's parameter that receives the packed object.
        build: Called with the options' values by parameter name; its result is passed.
        options: ``(parameter name, click option decorator)`` pairs, in help order.
    """
    keys = [key for key, _ in options]

    def decorator(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs[name] = build(**{key: kwargs.pop(key) for key in keys})
            return func(*args, **kwargs)

        for _, option in reversed(options):
            command = option(command)
        return command  # type: ignore[return-value]

    return decorator


def inputs_of(
    scenarios: Sequence[str | Path | None] = (), files: Sequence[str | Path | None] = ()
) -> list[Path]:
    """Every file a command reads: ``scenarios`` with their ``extends`` chains, and ``files``.

    Handed to :func:`ccosim.output.check_writable` so that no output replaces an input.
    """
    from ccosim.scenario.resolve import extends_chain  # lazy: pydantic stays out of --help

    found = [p for s in scenarios if s is not None for p in extends_chain(Path(s))]
    return found + [Path(f) for f in files if f is not None and str(f) != "-"]


def seed_option(help: str = "Root seed (default: the scenario's seed).") -> Decorator:
    """``--seed N``: a root seed, 0 <= N < 2**32."""
    return click.option("--seed", type=SEED, default=None, help=help)


def set_option(func: F) -> F:
    """``--set PATH=VALUE`` (repeatable), applied to every scenario after loading."""
    return click.option(
        "--set",
        "set_options",
        multiple=True,
        metavar="PATH=VALUE",
        help="Override a value after loading, e.g. --set customers.segments.smb.base_churn=0.2 "
        "(list items by index or unit id: --set org.units.csm_smb.headcount=8). Repeatable.",
    )(func)


@dataclass(frozen=True)
class OrgMoment:
    """``--at-month M`` or ``--at YYYY-MM``: the month whose org a command shows.

    Attributes:
        month: ``--at-month`` (None: not given).
        date: ``--at`` (None: not given).
    """

    month: int | None
    date: str | None

    def __post_init__(self) -> None:
        if self.month is not None and self.date is not None:
            raise click.UsageError("give --at-month or --at, not both")

    def of(self, scenario: Any, source: str | Path) -> Any:
        """``scenario`` as of the month asked for (the file's org when neither is given).

        Raises:
            CcosimError: a date that is not a month, a scenario without ``start_date``
                asked for a date, or a month outside the horizon (naming ``source``).
        """
        # lazy: the scenario package (pydantic) stays out of `ccosim --help`.
        from ccosim.errors import CcosimError
        from ccosim.scenario.calendar import month_at
        from ccosim.scenario.timeline import scenario_at

        try:
            month = self.month or 0
            if self.date is not None:
                month = month_at(scenario, self.date)
            return scenario_at(scenario, month)
        except CcosimError as exc:
            raise CcosimError(f"{source}: {exc}") from None


def at_month_option(func: F) -> F:
    """``--at-month M`` or ``--at YYYY-MM``, handed over as one :class:`OrgMoment` ``at_month``.

    0 <= M here; the upper bound, the scenario's horizon, and the date's month (from the
    scenario's ``start_date``) are checked when the scenario is loaded
    (:meth:`OrgMoment.of`).
    """
    return pack(
        "at_month",
        OrgMoment,
        [
            (
                "month",
                click.option(
                    "--at-month",
                    "month",
                    type=click.IntRange(min=0),
                    default=None,
                    metavar="M",
                    help="The org at month M (0 to the horizon in months): every timeline "
                    "event up to and including M applied; units added vacant or with open "
                    "positions show as placeholders. Default 0, the org of the file.",
                ),
            ),
            (
                "date",
                click.option(
                    "--at",
                    "date",
                    metavar="YYYY-MM",
                    help="The org at a calendar month, e.g. --at 2027-06: the month counted "
                    "from the scenario's start_date (a scenario without one is refused).",
                ),
            ),
        ],
    )(func)


def force_option(func: F) -> F:
    """``--force``: allow replacing existing output."""
    return click.option("--force", is_flag=True, help="Replace existing output.")(func)


def scenario_paths(func: F) -> F:
    """One or more scenario files as arguments."""
    return click.argument(
        "scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
    )(func)


def json_option(help: str, metavar: str = "FILE") -> Decorator:
    """``--json FILE|-``: also write JSON to a file, or to standard output with ``-``."""
    return click.option("--json", "json_target", metavar=metavar, help=help)


@dataclass(frozen=True)
class StudyOptions:
    """What builds a run context: replications, horizon, seed and overrides.

    ``set_current`` and ``set_target`` are the business case's per-design overrides.
    """

    runs: int | None
    years: int | None
    seed: int | None
    set_options: tuple[str, ...]
    set_current: tuple[str, ...] = ()
    set_target: tuple[str, ...] = ()


def study_options(*, runs: str, years: str, seed: str, per_design: bool = False) -> Decorator:
    """``--runs``, ``--years``, ``--seed``, ``--set`` (and ``--set-current``/``--set-target``).

    Args:
        runs: Help of ``--runs``.
        years: Help of ``--years``.
        seed: Help of ``--seed``.
        per_design: Also the business case's ``--set-current`` and ``--set-target``.
    """
    options: list[tuple[str, Decorator]] = [
        ("runs", click.option("--runs", type=click.IntRange(min=1), help=runs)),
        ("years", click.option("--years", type=click.IntRange(1, 30), help=years)),
        ("seed", seed_option(seed)),
        ("set_options", set_option),
    ]
    if per_design:
        options += [
            (
                "set_current",
                click.option(
                    "--set-current",
                    "set_current",
                    multiple=True,
                    metavar="PATH=VALUE",
                    help="Override a value in the current org only (--set DESIGN:PATH=VALUE "
                    "also works, DESIGN being current, target or a file stem). Repeatable.",
                ),
            ),
            (
                "set_target",
                click.option(
                    "--set-target",
                    "set_target",
                    multiple=True,
                    metavar="PATH=VALUE",
                    help="Override a value in the CCO org only, e.g. "
                    "--set-target org.units.cco.vacant=true.",
                ),
            ),
        ]
    return pack("study", StudyOptions, options)


@dataclass(frozen=True)
class OutputOptions:
    """``-o FOLDER`` (None: the command's default) and ``--force``."""

    output: Path | None
    force: bool


def output_options(help: str, *, required: bool = False, folder: bool = True) -> Decorator:
    """``-o/--output`` (a folder, or a file with ``folder=False``) and ``--force``."""
    kind = click.Path(file_okay=not folder, dir_okay=folder, path_type=Path)
    return pack(
        "out",
        OutputOptions,
        [
            ("output", click.option("-o", "--output", required=required, type=kind, help=help)),
            ("force", force_option),
        ],
    )


@dataclass(frozen=True)
class ExecutionOptions:
    """Where replications run, whether a large run may go ahead, and the progress bar."""

    workers: int | None
    scheduler: str | None
    allow_large: bool
    quiet: bool


def bounded_workers(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """``--workers`` up to :func:`ccosim.experiment.executors.max_workers`, else a usage error."""
    # lazy: the executors module is only needed once a simulating command runs
    from ccosim.experiment.executors import default_workers, max_workers

    if value is not None and value > max_workers():
        raise click.BadParameter(
            f"{value} processes on a machine with {default_workers()} cores; at most "
            f"{max_workers()} (more only queue for the cores; use --scheduler for a cluster)",
            ctx=ctx,
            param=param,
        )
    return value


def execution_options(func: F) -> F:
    """``--workers``, ``--scheduler``, ``--allow-large``, ``--quiet``: commands that simulate."""
    return pack(
        "execution",
        ExecutionOptions,
        [
            (
                "workers",
                click.option(
                    "--workers",
                    type=click.IntRange(min=1),
                    callback=bounded_workers,
                    help="Local processes (default: all cores; 1 = serial; at most twice "
                    "the cores).",
                ),
            ),
            (
                "scheduler",
                click.option(
                    "--scheduler",
                    metavar="ADDRESS",
                    help="Run on a Dask cluster, e.g. tcp://host:8786 "
                    "(needs pip install 'ccosim[distributed]').",
                ),
            ),
            (
                "allow_large",
                click.option(
                    "--allow-large",
                    is_flag=True,
                    help="Run even if the memory estimate is over half of the memory this "
                    "process may use.",
                ),
            ),
            ("quiet", click.option("--quiet", "-q", is_flag=True, help="No progress bar.")),
        ],
    )(func)


@dataclass(frozen=True)
class DrawOptions:
    """``--draws N`` (None: no draws), how they cover the ranges, the NPV's rate, ``--json``."""

    draws: int | None
    sampling: str
    discount_rate: float
    json_target: str | None


def draws_options(point_runs: int) -> Decorator:
    """``--draws``, ``--sampling``, ``--discount-rate`` and ``--json``: assumptions as ranges.

    Args:
        point_runs: Replications per design of the point-value part of a ``--draws`` report.
    """
    # lazy: ccosim.money loads numpy, which `ccosim --help` and `validate` never need.
    from ccosim.money import DEFAULT_DISCOUNT_RATE

    return pack(
        "drawing",
        DrawOptions,
        [
            (
                "draws",
                click.option(
                    "--draws",
                    type=click.IntRange(min=2),
                    help="Sample the scenarios' uncertainty ranges N times (the same draws for "
                    "every design); --runs is then the replications per draw (default 2). The "
                    "report (-o) also holds the ordinary results at the assumptions' point "
                    f"values, with the draws' answers in its summary: {point_runs} more runs "
                    f"per design, no attribution re-runs (N x R + {point_runs} runs per design "
                    "in all). See docs/uncertainty.md.",
                ),
            ),
            (
                "sampling",
                click.option(
                    "--sampling",
                    type=click.Choice(["lhs", "sobol"]),
                    default="lhs",
                    show_default=True,
                    help="How --draws covers the ranges: Latin hypercube or scrambled Sobol.",
                ),
            ),
            (
                "discount_rate",
                click.option(
                    "--discount-rate",
                    type=click.FloatRange(0.0, 1.0),
                    default=DEFAULT_DISCOUNT_RATE,
                    show_default=True,
                    help="Annual discount rate of the net present values, compounded monthly "
                    "(a stated assumption).",
                ),
            ),
            (
                "json_target",
                json_option(
                    "Also write the answers as JSON to FILE, or to standard output with '-' "
                    "(for business-case: every figure of the one-pager, or the --draws "
                    "answers).",
                    metavar="FILE|-",
                ),
            ),
        ],
    )


@dataclass(frozen=True)
class ChangeOptions:
    """``--with FILE`` (None: not given), the org to change to, and ``--hire-month M``."""

    target: Path | None
    hire_month: int


def change_options(*, target: str, hire_month: str = "") -> Decorator:
    """``--with FILE`` and ``--hire-month M``, handed over as one :class:`ChangeOptions`.

    Args:
        target: Help of ``--with`` (what the command does with the org).
        hire_month: What ``--hire-month`` means in this command beyond the shared sentence.
    """
    return pack(
        "change",
        ChangeOptions,
        [
            (
                "target",
                click.option(
                    "--with",
                    "target",
                    type=click.Path(dir_okay=False, path_type=Path),
                    metavar="FILE",
                    help=target,
                ),
            ),
            (
                "hire_month",
                click.option(
                    "--hire-month",
                    type=click.IntRange(min=0),
                    default=0,
                    show_default=True,
                    metavar="M",
                    help="Month the CCO's search opens; the teams move when the CCO is in "
                    "post, after the executive time to fill (0: the --with org from the "
                    "start)." + (f" {hire_month}" if hire_month else ""),
                ),
            ),
        ],
    )


#: Help of ``--format`` wherever it writes a report's data tables and board pack.
PACK_FORMATS_HELP = (
    "Also write the data tables as Parquet or Excel (needs pip install 'ccosim[data]'), or "
    "the board pack: pptx (slides.pptx, pip install 'ccosim[slides]'), pdf (the one-page "
    "summary.pdf, printed by Chromium). Repeatable."
)


def data_options(formats: Sequence[str]) -> Decorator:
    """``--format`` and ``--full-series``, for every command writing a data folder.

    Args:
        formats: The formats beyond CSV and JSON (``ccosim.report.data.REPORT_FORMATS``).
    """

    def decorator(func: F) -> F:
        func = click.option(
            "--full-series",
            is_flag=True,
            help="Also write every replication's monthly series (series_monthly_full.csv; "
            "large). By default series_monthly.csv holds the monthly mean and middle 95% of "
            "runs.",
        )(func)
        return formats_option(PACK_FORMATS_HELP, formats)(func)

    return decorator


def formats_option(help: str, formats: Sequence[str]) -> Decorator:
    """``--format`` (repeatable, one of ``formats``): data tables in more formats."""
    return click.option(
        "--format", "formats", type=click.Choice(list(formats)), multiple=True, help=help
    )
