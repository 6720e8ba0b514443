"""``ccosim run``: simulate one scenario and print its yearly KPIs."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.bands import ltv_cac_notes
from ccosim.cli.options import bounded_workers, force_option, inputs_of, seed_option, set_option
from ccosim.cli.progress import Progress
from ccosim.cli.terminal import shown, write_json
from ccosim.output import check_writable
from ccosim.resources import check_resources
from ccosim.scenario import load
from ccosim.simulate import simulate

__all__ = ["run"]


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--runs", type=click.IntRange(1, 100_000), default=1, show_default=True, help="Replications."
)
@seed_option()
@click.option(
    "--years",
    type=click.IntRange(1, 30),
    default=None,
    help="Horizon in years (default: the scenario's horizon_years).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    callback=bounded_workers,
    help="Processes (default: all cores from 4 runs up, else 1; at most twice the cores).",
)
@click.option(
    "--json",
    "json_path",
    metavar="FILE",
    default=None,
    help="Write means, 95% intervals and every replication as JSON ('-' = stdout).",
)
@click.option(
    "--by-segment",
    is_flag=True,
    help="Also print each segment's GRR, NRR, logo retention, ARR, accounts and the churned, "
    "contracted and expanded ARR of its accounts active at the year start.",
)
@set_option
@force_option
@click.option(
    "--allow-large",
    is_flag=True,
    help="Run even if the memory estimate is over half of the memory this process may use.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def run(
    scenario: Path,
    runs: int,
    seed: int | None,
    years: int | None,
    workers: int | None,
    json_path: str | None,
    by_segment: bool,
    set_options: tuple[str, ...],
    force: bool,
    allow_large: bool,
    quiet: bool,
) -> None:
    """Simulate SCENARIO and print a yearly KPI table (mean over runs, 95% interval in JSON).

    \b
    Examples:
      ccosim run scenarios/cco_full.yaml --runs 10
      ccosim run scenarios/cco_full.yaml --runs 10 --by-segment
      ccosim run scenarios/cco_full.yaml --set assumptions.org_effects=false --json out.json
    """
    options = list(set_options)
    if years is not None:
        options.append(f"horizon_years={years}")
    loaded = load(scenario, set_options=options)
    check_resources([loaded], runs, workers, allow_large=allow_large)
    if json_path not in (None, "-"):
        # fail before the work, not after
        check_writable(Path(json_path), force, inputs=inputs_of([scenario]))
    with Progress(runs, "replications", quiet=quiet) as progress:
        results = simulate(loaded, runs=runs, seed=seed, workers=workers, on_done=progress.update)
    if json_path == "-":
        write_json(results.to_dict(), "-", force=force)
        return
    click.echo(f"{results.scenario}  [{shown(scenario)}]  runs={results.runs} seed={results.seed}")
    click.echo(results.to_text(by_segment=by_segment))
    final = {results.scenario: float(results.mean("ltv_to_cac")[-1])}
    for note in ltv_cac_notes(final, len(results.mean("ltv_to_cac"))):
        click.echo(f"note: {note}")
    if json_path is not None:
        write_json(results.to_dict(), json_path, force=force)
