"""``ccosim plan``: a quarterly headcount and hiring plan with its requisition list."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccosim.cli.context import bar, execution_of
from ccosim.cli.options import (
    ChangeOptions,
    ExecutionOptions,
    OutputOptions,
    change_options,
    execution_options,
    inputs_of,
    output_options,
    seed_option,
    set_option,
)
from ccosim.cli.terminal import shown
from ccosim.output import check_writable
from ccosim.workflows.plan import (
    DEFAULT_QUARTERS,
    check_plan_memory,
    headcount_plan,
    plan_design,
    plan_text,
    write_plan_folder,
)

__all__ = ["plan"]


@click.command("plan")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@change_options(target="Plan the change to this org (the CCO org), as business-case runs it.")
@click.option(
    "--quarters",
    type=click.IntRange(1, 120),
    default=DEFAULT_QUARTERS,
    show_default=True,
    help="Quarters to plan (quarter 1 = months 0-2).",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Replications; the plan is their mean.",
)
@seed_option()
@set_option
@output_options("Folder to write the plan into.", required=True)
@click.option(
    "--format",
    "table_format",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="xlsx: also tables.xlsx, one sheet per table (needs pip install 'ccosim[data]').",
)
@execution_options
def plan(
    scenario: Path,
    change: ChangeOptions,
    quarters: int,
    runs: int,
    seed: int | None,
    set_options: tuple[str, ...],
    out: OutputOptions,
    table_format: str,
    execution: ExecutionOptions,
) -> None:
    """A quarterly headcount and hiring plan, with one requisition per hire.

    Simulates SCENARIO (or, with --with, the change to that org from --hire-month on) and
    writes into -o: headcount_plan.csv (per unit and quarter: heads in post, open
    requisitions, hires new and backfill, leavers, loaded cost), requisitions.csv (one row
    per hire: unit, title, manager, new or backfill, target start, loaded cost, the driver
    that justifies it), budget.csv (by function and quarter), quota_capacity.csv (Sales
    quota vs installed-base quota), headcount_by_function.png, datapackage.json (every
    column described) and the manifest. Figures are means over runs; the _lo/_hi columns
    are the middle 95% of runs (customer randomness only). Hires are whole people: each
    unit's expected hires are accumulated and rounded (docs/plan.md).

    \b
    Examples:
      ccosim plan scenarios/post_sales_cs.yaml -o reports/plan
      ccosim plan scenarios/post_sales_cs.yaml --with scenarios/cco_full.yaml \\
          --hire-month 12 -o reports/cco-plan --format xlsx
    """
    inputs = inputs_of([scenario, change.target])
    check_writable(out.output, out.force, folder=True, inputs=inputs)
    if table_format == "xlsx":  # fail before the work, not after
        # lazy: report.data loads numpy and the report package
        from ccosim.report.data import check_formats

        check_formats(["xlsx"])
    design = plan_design(
        scenario,
        target=change.target,
        hire_month=change.hire_month,
        quarters=quarters,
        set_options=set_options,
    )
    run_on = execution_of(execution)
    check_plan_memory(design, runs, run_on, allow_large=execution.allow_large)
    with bar(execution, "replications", runs) as progress:
        result = headcount_plan(
            design, runs=runs, seed=seed, execution=run_on.reporting(progress.update)
        )
    click.echo(plan_text(result))
    formats = ["xlsx"] if table_format == "xlsx" else []
    write_plan_folder(
        result,
        design,
        out.output,
        force=out.force,
        command=["ccosim", *sys.argv[1:]],
        formats=formats,
    )
    click.echo(f"wrote {shown(out.output)}/ (headcount_plan.csv, requisitions.csv, ...)")
