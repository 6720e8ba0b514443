"""``ccosim validate`` and ``ccosim schema``: check scenario files, export their JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ccosim.cli.base import EXIT_INPUT
from ccosim.cli.options import force_option, scenario_paths, set_option
from ccosim.cli.terminal import shown
from ccosim.org import OrgGraph
from ccosim.output import write_text
from ccosim.scenario import ScenarioError, load, scenario_json_schema
from ccosim.scenario.plain import strip_control


@click.command()
@scenario_paths
@set_option
def validate(scenarios: tuple[Path, ...], set_options: tuple[str, ...]) -> None:
    """Check scenario files and print a one-line summary of each.

    Exits non-zero if any file has a problem; every problem names the file, line and key.

    \b
    Example:
      ccosim validate scenarios/*.yaml
    """
    failed = 0
    for path in scenarios:
        try:
            scenario = load(path, set_options=set_options)
        except ScenarioError as exc:
            failed += 1
            click.secho(f"FAIL {strip_control(str(path))}", fg="red", err=True)
            for problem in exc.problems:
                click.echo(f"  {strip_control(str(problem))}", err=True)
            continue
        graph = OrgGraph.from_scenario(scenario)
        accounts = sum(s.initial_accounts for s in scenario.customers.segments.values())
        people = sum(graph.headcount(u) for u in graph)
        click.echo(
            f"ok   {strip_control(str(path))}: {scenario.name!r}: {len(graph)} units, "
            f"{people:,.0f} people, "
            f"{len(scenario.customers.segments)} segments, {accounts:,} accounts, "
            f"{scenario.horizon_years} years"
        )
    if failed:
        click.echo(f"{failed} of {len(scenarios)} files failed", err=True)
        raise SystemExit(EXIT_INPUT)


@click.command()
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE",
    help="Where to write the schema ('-' for standard output).",
)
@force_option
def schema(output: str, force: bool) -> None:
    """Write the JSON Schema of the scenario format (for editors and other tools).

    Point an editor at it with a first line such as
    '# yaml-language-server: $schema=scenario.schema.json'.

    \b
    Example:
      ccosim schema -o scenarios/scenario.schema.json --force
    """
    text = json.dumps(scenario_json_schema(), indent=2) + "\n"
    if output == "-":
        click.echo(text, nl=False)
    else:
        write_text(output, text, force=force)
        click.echo(f"wrote {shown(output)}", err=True)
