"""``ccosim calibrate retention | kpis``: fit a scenario to the user's own company."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.cli.base import force_option, main, set_option, write_json


@main.group()
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
@force_option
def retention_cmd(
    cohorts: Path,
    holdout: int,
    project: int,
    json_target: str | None,
    chart: Path | None,
    scenario: Path | None,
    output: Path | None,
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
    from ccosim.calibrate.report import retention_report
    from ccosim.calibrate.retention import CalibrationError, fit_sbg, read_cohorts

    if (scenario is None) != (output is None):
        raise CalibrationError("--scenario and -o go together: the scenario to extend, and where")
    table = read_cohorts(cohorts)
    fits = {seg: fit_sbg(groups, holdout=holdout) for seg, groups in table.segments.items()}
    click.echo(retention_report(fits, project))
    if chart is not None:
        from ccosim.calibrate.charts import write_survival_chart

        if chart.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise CalibrationError(f"--chart {chart}: use a .png, .svg or .pdf file name")
        write_survival_chart(fits, project, chart, force=force)
        click.echo(f"wrote {chart}", err=True)
    if json_target is not None:
        if list(fits) == [""]:
            data = fits[""].to_dict(project)
        else:
            data = {"segments": {seg: fit.to_dict(project) for seg, fit in fits.items()}}
        write_json(data, json_target, force=force)
    if scenario is not None and output is not None:
        from ccosim.calibrate.writer import write_calibrated
        from ccosim.scenario import load

        names = list(load(scenario).customers.segments)
        if list(fits) == [""]:
            if len(names) != 1:
                raise CalibrationError(
                    f"{cohorts}: no segment column, and {scenario} has {len(names)} segments "
                    f"({', '.join(names)}); add a segment column to say which is which"
                )
            fits = {names[0]: fits[""]}
        for seg in fits:
            if seg not in names:
                raise CalibrationError(
                    f"{cohorts}: segment {seg!r} is not in {scenario} ({', '.join(names)})"
                )
        values = {
            seg: {"churn_alpha": f.alpha, "churn_beta": f.beta, "base_churn": f.mean_churn}
            for seg, f in fits.items()
        }
        comments = [
            f"Calibrated by `ccosim calibrate retention {cohorts}`: heterogeneous churn",
            "(shifted-beta-geometric) fitted by maximum likelihood to the cohort counts.",
            *(
                f"{seg}: alpha {f.alpha:.3g} (95% {f.alpha_interval[0]:.3g}-"
                f"{f.alpha_interval[1]:.3g}), beta {f.beta:.3g} (95% "
                f"{f.beta_interval[0]:.3g}-{f.beta_interval[1]:.3g}), mean first-year churn "
                f"{f.mean_churn:.1%}; cohorts: {', '.join(f.cohorts)}"
                for seg, f in fits.items()
            ),
            "Intervals cover the sampling of the customers counted, not model error.",
        ]
        write_calibrated(scenario, output, values, comments, force=force)
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
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None, help="Root seed.")
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
@click.option("--json", "json_target", metavar="FILE|-", help="Also write the fit report as JSON.")
@set_option
@force_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
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
    logo retention, GRR and NRR (mean of the first --years years), and writes a scenario that
    extends SCENARIO with them and a comment block saying what was fitted.

    \b
    Example:
      ccosim calibrate kpis mine.yaml --target enterprise.logo_retention=0.92 \\
          --target enterprise.nrr=1.08 --target smb.logo_retention=0.86 \\
          --target smb.nrr=1.02 -o mine_calibrated.yaml
    """
    from ccosim.calibrate.kpis import calibrate_kpis, parse_target
    from ccosim.calibrate.writer import write_calibrated
    from ccosim.cli.base import load_scenario
    from ccosim.cli.progress import Progress
    from ccosim.output import check_writable

    loaded = load_scenario(scenario, set_options)
    names = list(loaded.customers.segments)
    parsed = [parse_target(t, names) for t in targets]
    check_writable(output, force)  # fail before the work, not after
    with Progress(max_steps, "simulated batches (at most)", quiet=quiet) as progress:
        result = calibrate_kpis(
            loaded,
            parsed,
            runs=runs,
            seed=seed,
            years=years,
            tolerance=tolerance,
            max_steps=max_steps,
            on_step=progress.update,
        )
    click.echo(result.report())
    comments = result.comments(" ".join([str(scenario), *(f"--target {t}" for t in targets)]))
    if set_options:
        comments.insert(1, "with --set " + " --set ".join(set_options) + " (not in this file)")
    write_calibrated(scenario, output, result.inputs, comments, force=force)
    click.echo(f"wrote {output}", err=True)
    if json_target is not None:
        data = {
            "inputs": result.inputs,
            "before": result.before,
            "targets": [
                {
                    "segment": t.segment,
                    "kpi": t.kpi,
                    "target": t.value,
                    "achieved": dict(
                        zip(("mean", "lo", "hi"), result.achieved[(t.segment, t.kpi)], strict=True)
                    ),
                }
                for t in result.targets
            ],
            "steps": result.steps,
            "runs": result.runs,
            "seed": result.seed,
            "years": result.years,
            "interval_covers": "customer randomness over the replications",
        }
        write_json(data, json_target, force=force)


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
@click.option("--json", "json_target", metavar="FILE|-", help="Also write the fit as JSON.")
@click.option(
    "--no-book",
    is_flag=True,
    help="Keep the scenario's synthetic starting book (fit the rates only).",
)
@force_option
def accounts_cmd(
    ledger: Path,
    scenario: Path,
    output: Path,
    as_of: object,
    json_target: str | None,
    no_book: bool,
    force: bool,
) -> None:
    """Fit churn by tenure, expansion and contraction per segment from an account ledger.

    LEDGER is a CRM or billing export, one row per account, with columns account_id,
    segment, start_date (required) and end_date, arr, arr_year_ago, contract_months,
    renewal_date (see docs/calibration.md and examples/ledger.csv). Every bad row is
    reported with its line and column.

    \b
    Example:
      ccosim calibrate accounts examples/ledger.csv scenarios/cs_under_sales.yaml \\
          -o calibrated.yaml
    """
    import datetime as dt

    from ccosim.calibrate.ledger import fit_ledger, read_ledger, starting_book
    from ccosim.calibrate.retention import CalibrationError
    from ccosim.calibrate.writer import write_calibrated
    from ccosim.output import check_writable
    from ccosim.scenario import load

    base = load(scenario)
    names = list(base.customers.segments)
    date = as_of.date() if isinstance(as_of, dt.datetime) else None
    book = read_ledger(ledger, date)
    for account in book.accounts:
        if account.segment not in names:
            raise CalibrationError(
                f"{ledger}:{account.line}: column 'segment': {account.segment!r} is not a "
                f"segment of {scenario} ({', '.join(names)})"
            )
    check_writable(output, force)
    fits = fit_ledger(book)
    values: dict[str, dict[str, object]] = {}
    lines = [
        f"Calibrated by `ccosim calibrate accounts {ledger} {scenario}` (as of {book.as_of}):",
        "rates observed under the current org; intervals cover account sampling only; the",
        "starting book is the ledger's active accounts (month 0 = the as-of date).",
    ]
    for seg, fit in fits.items():
        v: dict[str, object] = {
            "expansion_rate": fit.expansion_rate,
            "contraction_rate": fit.contraction_rate,
        }
        if fit.active and not no_book:
            term = base.customers.segments[seg].contract_months
            v["initial_accounts"] = fit.active
            v["starting_book"] = starting_book(book, seg, term)
        text = (
            f"{seg}: {fit.accounts} accounts ({fit.active} active, ARR {fit.active_arr:,.0f}); "
            f"expansion {fit.expansion_rate:.1%} (95% +-{1.96 * fit.expansion_se:.1%}), "
            f"contraction {fit.contraction_rate:.1%} (95% +-{1.96 * fit.contraction_se:.1%}) a "
            f"year (ARR-weighted over {fit.kept_accounts} accounts kept over the last year)"
        )
        if fit.churn is not None:
            c = fit.churn
            v.update(churn_alpha=c.alpha, churn_beta=c.beta, base_churn=c.mean_churn)
            text += (
                f"; churn by tenure sBG alpha {c.alpha:.3g} (95% {c.alpha_interval[0]:.3g}-"
                f"{c.alpha_interval[1]:.3g}), beta {c.beta:.3g} (95% {c.beta_interval[0]:.3g}-"
                f"{c.beta_interval[1]:.3g}), first-year churn {c.mean_churn:.1%}, retention "
                + ", ".join(f"{r:.1%}" for r in c.retention(3))
                + " in years 1-3"
            )
        else:
            text += "; no account churned: churn left as it was"
        values[seg] = v
        lines.append(text)
    click.echo("\n".join(lines))
    write_calibrated(scenario, output, values, lines, force=force)
    click.echo(f"wrote {output}", err=True)
    if json_target is not None:
        data = {
            "as_of": str(book.as_of),
            "segments": {
                seg: {
                    **{k: v for k, v in values[seg].items() if k != "starting_book"},
                    "accounts": fit.accounts,
                    "active": fit.active,
                    "active_arr": fit.active_arr,
                    "kept_accounts": fit.kept_accounts,
                    "expansion_se": fit.expansion_se,
                    "contraction_se": fit.contraction_se,
                    "churn_fit": fit.churn.to_dict() if fit.churn else None,
                }
                for seg, fit in fits.items()
            },
        }
        write_json(data, json_target, force=force)


__all__ = ["accounts_cmd", "calibrate", "kpis_cmd", "retention_cmd"]
