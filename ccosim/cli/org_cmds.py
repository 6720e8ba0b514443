"""``ccosim org ...``: reporting-line analytics (charts, exports, imports and diffs join here)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ccosim.cli.lazy import LazyCommand, LazyGroup
from ccosim.cli.options import (
    OrgMoment,
    at_month_option,
    force_option,
    inputs_of,
    scenario_paths,
    set_option,
)
from ccosim.cli.progress import Progress
from ccosim.cli.terminal import write_json
from ccosim.org import OrgGraph, format_stats, org_stats
from ccosim.org.compare import format_side_by_side
from ccosim.output import atomic_dir, check_writable, write_text
from ccosim.scenario import load

#: The org subcommands that live in other modules (HR file formats: :mod:`org_io_cmds`).
SUBCOMMANDS = {
    "diff": LazyCommand(
        "ccosim.cli.org_io_cmds:diff_cmd",
        "Compare an as-is org (A) with one or more to-be designs.",
    ),
    "export": LazyCommand(
        "ccosim.cli.org_io_cmds:export_cmd",
        "Export a scenario's org to Graphviz DOT, Mermaid, GraphML or CSV.",
    ),
    "import": LazyCommand(
        "ccosim.cli.org_io_cmds:import_cmd",
        "Import an HRIS CSV export (one row per employee or position) as a scenario's org.",
    ),
}


@click.group(cls=LazyGroup, lazy=SUBCOMMANDS)
def org() -> None:
    """Org-chart analytics and HR workflows."""


@org.command()
@scenario_paths
@at_month_option
@set_option
@click.option(
    "--json",
    "json_target",
    metavar="FILE",
    help="Write the analytics as JSON ('-' for standard output) instead of tables.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one JSON and one text file per scenario into this folder.",
)
@force_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
def stats(
    scenarios: tuple[Path, ...],
    at_month: OrgMoment,
    set_options: tuple[str, ...],
    json_target: str | None,
    output: Path | None,
    force: bool,
    quiet: bool,
) -> None:
    """Headcount and cost roll-ups, spans, layers, function owners and hand-off distances.

    With several scenarios, a side-by-side summary follows the tables. --at-month M: the
    org each scenario's timeline produces at month M (--at YYYY-MM: the month counted
    from each scenario's start_date). Large orgs (tens of thousands of
    units) take some seconds, mostly reading the files: a progress bar on the terminal
    counts the scenarios read and analysed (``--quiet`` for none).

    \b
    Examples:
      ccosim org stats scenarios/cco_full.yaml
      ccosim org stats scenarios/cco_full.yaml --json -
      ccosim org stats scenarios/[a-z]*.yaml -o reports/org-stats
      ccosim org stats transition.yaml --at-month 24
      ccosim org stats transition.yaml --at 2027-06
    """
    writes_files = output is not None or json_target not in (None, "-")
    # the inputs (with their extends chains, parsed once more) only matter when writing files
    inputs = inputs_of(scenarios) if writes_files else []
    if output is not None:  # fail before the work, not after
        check_writable(output, force, folder=True, inputs=inputs)
    if json_target not in (None, "-"):
        check_writable(Path(json_target), force, inputs=inputs)
    results = []
    with Progress(2 * len(scenarios), "Reading and analysing", quiet=quiet, engine=False) as bar:
        for path in scenarios:
            scenario = at_month.of(load(path, set_options=set_options), path)
            bar.update(2 * len(results) + 1)
            results.append((path, scenario, org_stats(OrgGraph.from_scenario(scenario))))
            bar.update(2 * len(results))
    if json_target:
        payload = {str(p): {"name": s.name, **st.to_dict()} for p, s, st in results}
        write_json(
            payload if len(results) > 1 else next(iter(payload.values())), json_target, force=force
        )
        return
    texts = [format_stats(st, f"{s.name} [{p}]") for p, s, st in results]
    summary = (
        format_side_by_side([(p.stem, st) for p, _, st in results]) if len(results) > 1 else ""
    )
    click.echo("\n\n".join([*texts, summary]).rstrip())
    if output is not None:
        with atomic_dir(output, force=force) as folder:
            stems = _unique_stems([path for path, _, _ in results])
            for (path, scenario, st), text, stem in zip(results, texts, stems, strict=True):
                payload = {"name": scenario.name, "file": str(path), **st.to_dict()}
                write_text(folder / f"{stem}.json", json.dumps(payload, indent=2) + "\n")
                write_text(folder / f"{stem}.txt", text + "\n")
            if summary:
                write_text(folder / "summary.txt", summary + "\n")
        click.echo(f"\nwrote {output}/ ({len(results)} scenarios)")


def _unique_stems(paths: list[Path]) -> list[str]:
    """File stems, with ``-2``, ``-3``, ... added where two scenarios share a file name."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for path in paths:
        stem = path.stem if path.stem != "summary" else "summary-scenario"
        seen[stem] = seen.get(stem, 0) + 1
        out.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return out
