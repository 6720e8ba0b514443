"""``ccosim calibrate retention | kpis``: fit a scenario to the user's own company."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ccosim.calibrate.kpis import parse_target
from ccosim.calibrate.report import retention_report
from ccosim.calibrate.retention import CalibrationError, fit_sbg, read_cohorts
from ccosim.calibrate.session import (
    calibrate_accounts,
    calibrate_study,
    kpis_json,
    retention_calibration,
    retention_json,
)
from ccosim.calibrate.writer import write_calibrated
from ccosim.cli.options import force_option, inputs_of, json_option, seed_option, set_option
from ccosim.cli.progress import Progress
from ccosim.cli.terminal import write_json
from ccosim.experiment.study import Study
from ccosim.output import check_writable
from ccosim.resources import check_resources
from ccosim.scenario import load

DECIMAL = click.option(
    "--decimal",
    type=click.Choice([".", ","]),
    help="Decimal mark of the file's numbers (default: detected; '0,5' or '1.234,5' mean a "
    "decimal comma, and a semicolon-separated file defaults to one).",
)


@click.group()
def calibrate() -> None:
    """Fit a scenario to your own company's retention (see docs/calibration.md).

    \b
    Examples:
      ccosim calibrate retention examples/cohorts.csv
      ccosim calibrate retention examples/cohorts.csv --holdout 2 --json fit.json
      ccosim calibrate retention examples/cohorts.csv --holdout 2 --chart survival.png
      ccosim calibrate retention examples/cohorts.csv --scenario mine.yaml -o fitted.yaml
      ccosim calibrate kpis mine.yaml --target enterprise.grr=0.92 \\
          --target enterprise.nrr=1.08 -o calibrated.yaml
      ccosim calibrate accounts crm.csv mine.yaml --observed-from 2022-07-01 -o fitted.yaml
    """


@calibrate.command("retention")
@click.argument("cohorts", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--holdout",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Fit on all but the last K periods and report the projection error on them.",
)
@click.option(
    "--project",
    type=click.IntRange(min=0, max=100),
    default=10,
    show_default=True,
    help="Periods to project the survival curve to.",
)
@click.option("--json", "json_target", metavar="FILE|-", help="Write the fit as JSON.")
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a chart of observed vs fitted survival (.png, .svg or .pdf).",
)
@click.option(
    "--scenario",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scenario to calibrate: write -o FILE extending it with each segment's fit.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="With --scenario."
)
@DECIMAL
@force_option
def retention_cmd(
    cohorts: Path,
    holdout: int,
    project: int,
    json_target: str | None,
    chart: Path | None,
    scenario: Path | None,
    output: Path | None,
    decimal: str | None,
    force: bool,
) -> None:
    """Fit heterogeneous churn (shifted-beta-geometric) to cohort survival counts.

    COHORTS is a CSV with columns period,active (one cohort) or cohort,period,active,
    optionally segment (one fit per segment). Period 0 is the cohort's start; active is the
    customers still active at the end of each period (years).

    \b
    Example (the Regular cohort of fader2007, docs/sources.md):
      period,active
      0,1000
      1,631
      2,468
    """
    if (scenario is None) != (output is None):
        raise CalibrationError("--scenario and -o go together: the scenario to extend, and where")
    inputs = inputs_of([scenario], [cohorts])  # fail before the work, not after
    for target in (output, chart, None if json_target == "-" else json_target):
        if target is not None:
            check_writable(Path(target), force, inputs=inputs)
    table = read_cohorts(cohorts, decimal)
    fits = {}
    with Progress(len(table.segments), "segments fitted") as progress:
        for done, (seg, groups) in enumerate(table.segments.items(), start=1):
            fits[seg] = fit_sbg(groups, holdout=holdout)
            progress.update(done)
    click.echo(retention_report(fits, project))
    if chart is not None:
        # lazy: matplotlib loads only when --chart asks for a drawing.
        from ccosim.calibrate.charts import write_survival_chart

        if chart.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise CalibrationError(f"--chart {chart}: use a .png, .svg or .pdf file name")
        write_survival_chart(fits, project, chart, force=force)
        click.echo(f"wrote {chart}", err=True)
    if json_target is not None:
        write_json(retention_json(fits, project), json_target, force=force)
    if scenario is not None and output is not None:
        found = retention_calibration(fits, cohorts, scenario, load(scenario))
        write_calibrated(scenario, output, found.values, found.comments, force=force)
        click.echo(f"wrote {output}", err=True)


@calibrate.command("kpis")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--target",
    "targets",
    multiple=True,
    required=True,
    metavar="SEGMENT.KPI=VALUE",
    help="Observed KPI of a segment: logo_retention, grr or nrr (0.92 or 92%), or churn "
    "(annual logo churn, 1 - logo_retention). Repeatable.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Calibrated scenario to write (it extends SCENARIO).",
)
@click.option(
    "--runs", type=click.IntRange(2, 1000), default=12, show_default=True, help="Per batch."
)
@seed_option("Root seed.")
@click.option(
    "--years", type=click.IntRange(1, 10), default=3, show_default=True, help="Years averaged."
)
@click.option(
    "--tolerance",
    type=click.FloatRange(0.0005, 0.1),
    default=0.005,
    show_default=True,
    help="Largest gap between achieved mean and target (0.005 = 0.5 pts).",
)
@click.option(
    "--max-steps",
    type=click.IntRange(1, 50),
    default=10,
    show_default=True,
    help="Most simulated batches.",
)
@json_option("Also write the fit report as JSON.", metavar="FILE|-")
@set_option
@force_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--allow-large",
    is_flag=True,
    expose_value=False,  # (kpis_cmd has its 12 parameters: the flag is read from ctx.meta)
    callback=lambda ctx, _param, value: ctx.meta.update(allow_large=value),
    help="Run even if the memory estimate is over half of the memory this process may use.",
)
def kpis_cmd(
    scenario: Path,
    targets: tuple[str, ...],
    output: Path,
    runs: int,
    seed: int | None,
    years: int,
    tolerance: float,
    max_steps: int,
    json_target: str | None,
    set_options: tuple[str, ...],
    force: bool,
    quiet: bool,
) -> None:
    """Solve churn, contraction and expansion so that SCENARIO's current org reproduces KPIs.

    base_churn and the expansion and contraction rates are figures at the reference service
    level; your observed KPIs come from your current org. This finds, per segment, the inputs
    with which the current org (org effects on, timeline changes left out) gives the observed
    logo retention, GRR and NRR (mean of the first --years years), checks them on fresh
    replications (another seed, with standard errors), warns about inputs beyond plausible
    bounds, and writes a scenario that extends SCENARIO with them, a comment block saying
    what was fitted, and the targets (calibration:), which every draw of --draws re-fits.

    \b
    Example:
      ccosim calibrate kpis mine.yaml --target enterprise.logo_retention=0.92 \\
          --target enterprise.nrr=1.08 --target smb.logo_retention=0.86 \\
          --target smb.nrr=1.02 -o mine_calibrated.yaml
    """
    study = Study.from_files(
        [scenario], seed=seed, runs=runs, set_options=set_options, skip_bases=False
    )
    allow_large = click.get_current_context().meta.get("allow_large", False)
    check_resources([study.designs[0].scenario], runs, None, allow_large=allow_large)
    names = list(study.designs[0].scenario.customers.segments)
    parsed = [parse_target(t, names) for t in targets]
    inputs = inputs_of([scenario])  # fail before the work, not after
    for target in (output, None if json_target in (None, "-") else json_target):
        if target is not None:
            check_writable(Path(target), force, inputs=inputs)
    with Progress(max_steps, "simulated batches (at most)", quiet=quiet) as progress:
        result = calibrate_study(
            study,
            parsed,
            years=years,
            tolerance=tolerance,
            max_steps=max_steps,
            on_step=progress.update,
        )
    click.echo(result.report())
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    comments = result.comments(" ".join([str(scenario), *(f"--target {t}" for t in targets)]))
    if set_options:
        comments.insert(1, "with --set " + " --set ".join(set_options) + " (not in this file)")
    stored = {"calibration": result.stored(scenario.name)}
    write_calibrated(scenario, output, result.inputs, comments, force=force, extra=stored)
    click.echo(f"wrote {output}", err=True)
    if json_target is not None:
        write_json(kpis_json(result), json_target, force=force)


@calibrate.command("accounts")
@click.argument("ledger", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Calibrated scenario to write (it extends SCENARIO).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date the ledger describes (default: its latest date).",
)
@click.option(
    "--observed-from",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date from which the ledger holds every account, churned or not (accounts that "
    "churned before it are missing: left truncation). Churn is then fitted conditional on "
    "surviving to it.",
)
@click.option("--json", "json_target", metavar="FILE|-", help="Also write the fit as JSON.")
@click.option(
    "--no-book",
    is_flag=True,
    help="Keep the scenario's synthetic starting book (fit the rates only).",
)
@DECIMAL
@force_option
def accounts_cmd(
    ledger: Path,
    scenario: Path,
    output: Path,
    as_of: object,
    observed_from: object,
    json_target: str | None,
    no_book: bool,
    decimal: str | None,
    force: bool,
) -> None:
    """Fit churn by tenure, expansion and contraction per segment from an account ledger.

    LEDGER is a CRM or billing export, one row per account, with columns account_id,
    segment, start_date (required) and end_date, arr, arr_year_ago, contract_months,
    renewal_date (see docs/calibration.md and examples/ledger.csv). Every bad row is
    reported with its line and column.

    Churn is fitted by tenure (shifted-beta-geometric). An export that lost the accounts
    churned before some date (a CRM migration) makes churn look low: --observed-from DATE
    conditions each account on having survived to DATE; without it, a ledger that looks
    truncated gets a warning naming the date to try.

    \b
    Example:
      ccosim calibrate accounts examples/ledger.csv scenarios/cs_under_sales.yaml \\
          -o calibrated.yaml
      ccosim calibrate accounts crm.csv scenarios/cs_under_sales.yaml \\
          --observed-from 2022-07-01 -o calibrated.yaml
    """
    date = as_of.date() if isinstance(as_of, dt.datetime) else None
    inputs = inputs_of([scenario], [ledger])  # fail before the work, not after
    for target in (output, None if json_target in (None, "-") else json_target):
        if target is not None:
            check_writable(Path(target), force, inputs=inputs)
    since = observed_from.date() if isinstance(observed_from, dt.datetime) else None
    found = calibrate_accounts(
        ledger,
        scenario,
        load(scenario),
        as_of=date,
        book=not no_book,
        observed_from=since,
        decimal=decimal,
    )
    click.echo("\n".join(found.lines))
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    write_calibrated(scenario, output, found.values, found.lines, force=force)
    click.echo(f"wrote {output}", err=True)
    if json_target is not None:
        write_json(found.to_dict(), json_target, force=force)


__all__ = ["accounts_cmd", "calibrate", "kpis_cmd", "retention_cmd"]
