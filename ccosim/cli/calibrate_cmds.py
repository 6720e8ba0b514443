"""``ccosim calibrate retention | kpis``: fit a scenario to the user's own company."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.cli.base import force_option, main, write_json


@main.group()
def calibrate() -> None:
    """Fit a scenario to your own company's retention (see docs/calibration.md).

    \b
    Examples:
      ccosim calibrate retention examples/cohorts.csv
      ccosim calibrate retention examples/cohorts.csv --holdout 2 --json fit.json
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
    scenario: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """Fit heterogeneous churn (shifted-beta-geometric) to cohort survival counts.

    COHORTS is a CSV with columns period,active (one cohort) or cohort,period,active,
    optionally segment (one fit per segment). Period 0 is the cohort's start; active is the
    customers still active at the end of each period (years).

    \b
    Example (Fader and Hardie's Regular cohort):
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


__all__ = ["calibrate", "retention_cmd"]
