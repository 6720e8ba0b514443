"""``ccosim org export | import | diff``: move orgs in and out of ccosim and compare designs."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.cli.base import force_option, load_scenario, set_option, shown, write_json
from ccosim.cli.org_cmds import org
from ccosim.errors import CcosimError
from ccosim.org import OrgGraph
from ccosim.output import atomic_file, check_writable, write_text


@org.command("export")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; the format follows the suffix (.dot .gv .mmd .graphml .csv) "
    "unless --format is given.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "mermaid", "graphml", "csv"]),
    help="Output format (default: from the suffix of -o).",
)
@click.option(
    "--split",
    is_flag=True,
    help="Mermaid: if the org has more than 500 edges (Mermaid's default maxEdges), write "
    "one file per executive subtree (FILE-<id>.mmd) beside FILE.",
)
@set_option
@force_option
def export_cmd(
    scenario: Path,
    output: Path,
    fmt: str | None,
    split: bool,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Export a scenario's org to Graphviz DOT, Mermaid, GraphML or CSV.

    GraphML and CSV carry every unit field and read back into the same org; DOT and
    Mermaid are for drawing (colours by function, dashed open units, dotted lines).

    \b
    Examples:
      ccosim org export scenarios/cco_full.yaml -o cco.dot
      dot -Tsvg cco.dot -o cco.svg
      ccosim org export scenarios/cco_full.yaml -o cco.graphml
      ccosim org export big.yaml -o big.mmd --split
    """
    from ccosim.org import formats

    fmt = fmt or formats.format_from_suffix(output)
    if fmt is None:
        raise CcosimError(
            f"{output}: cannot tell the format from the suffix {output.suffix or '(none)'}; "
            "use .dot, .gv, .mmd, .graphml or .csv, or pass --format"
        )
    if split and fmt != "mermaid":
        raise CcosimError("--split applies to Mermaid exports only")
    check_writable(output, force)
    graph = OrgGraph.from_scenario(load_scenario(scenario, set_options))
    if fmt == "mermaid":
        if split:
            parts, warnings = formats.to_mermaid_parts(graph, output.stem)
            paths = [output.with_name(f"{output.stem}{p.suffix}{output.suffix}") for p in parts]
            for path in paths:
                check_writable(path, force)
            for path, part in zip(paths, parts, strict=True):
                write_text(path, part.text, force=force)
                click.echo(f"wrote {shown(path)} ({part.edges} edges)", err=True)
            for warning in warnings:
                click.echo(f"warning: {warning}", err=True)
            return
        text = formats.to_mermaid(graph)
    elif fmt == "dot":
        text = formats.to_dot(graph, name=scenario.stem)
    elif fmt == "graphml":
        text = formats.to_graphml(graph, name=scenario.stem)
    else:
        text = formats.to_csv(graph)
    write_text(output, text, force=force)
    click.echo(f"wrote {shown(output)} ({fmt}, {len(graph)} units)", err=True)


@org.command("import")
@click.argument("csv_file", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scenario YAML to write.",
)
@click.option("--id", "id_col", metavar="COLUMN", help="Employee id column.")
@click.option("--parent", metavar="COLUMN", help="Manager id column.")
@click.option("--title", metavar="COLUMN", help="Job title column.")
@click.option("--name", metavar="COLUMNS", help="Name column(s), comma-separated, joined.")
@click.option("--cost", metavar="COLUMN", help="Salary (or cost) column.")
@click.option("--department", metavar="COLUMN", help="Department column.")
@click.option("--location", metavar="COLUMN", help="Location column.")
@click.option(
    "--keywords",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Function keyword table (default: the shipped ccosim/org/function_keywords.yaml).",
)
@click.option(
    "--fold-teams",
    is_flag=True,
    help="Fold employees under one manager with the same function and no reports into "
    "one team (headcount = their number, cost = their mean).",
)
@click.option(
    "--loaded-multiplier",
    type=click.FloatRange(min=0, min_open=True),
    default=1.25,
    show_default=True,
    help="Salary x this = loaded cost (benefits, taxes, overhead; the scenario format's "
    "own default).",
)
@click.option("--cost-is-loaded", is_flag=True, help="The cost column already is loaded cost.")
@click.option("--monthly", is_flag=True, help="The cost column is monthly (x 12).")
@click.option(
    "--extends",
    "extends",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take customers: (and assumptions:) from this file, written as 'extends:' relative "
    "to the output. Without it, a placeholder customer base to replace.",
)
@click.option("--scenario-name", metavar="TEXT", help="The scenario's name.")
@click.option("--currency", metavar="ISO", help="Currency of the costs (default USD).")
@click.option(
    "--lenient",
    is_flag=True,
    help="Import what can be imported and list what was skipped or changed, instead of "
    "stopping at the first problems.",
)
@force_option
def import_cmd(
    csv_file: Path,
    output: Path,
    id_col: str | None,
    parent: str | None,
    title: str | None,
    name: str | None,
    cost: str | None,
    department: str | None,
    location: str | None,
    keywords: Path | None,
    fold_teams: bool,
    loaded_multiplier: float,
    cost_is_loaded: bool,
    monthly: bool,
    extends: Path | None,
    scenario_name: str | None,
    currency: str | None,
    lenient: bool,
    force: bool,
) -> None:
    """Import an HRIS CSV export (one row per employee) as a scenario's org.

    Columns are guessed from common names unless given; functions are guessed from titles
    and departments by a keyword table. Problems name the CSV line and column; without
    --lenient any problem stops the import (exit 2).

    \b
    Examples:
      ccosim org import hris.csv -o org.yaml
      ccosim org import hris.csv -o org.yaml --id id --parent parentId --title position \\
          --name name,lastName --cost salary --department department_name --fold-teams
      ccosim org import hris.csv -o scenarios/ours.yaml --extends customers.yaml --lenient
    """
    from ccosim.org import hris_import as hris

    check_writable(output, force)
    table = hris.load_keywords(keywords)
    result = hris.import_hris_csv(
        csv_file,
        columns={
            "id": id_col,
            "parent": parent,
            "title": title,
            "name": name,
            "cost": cost,
            "department": department,
            "location": location,
        },
        keywords=table,
        fold_teams=fold_teams,
        loaded_multiplier=loaded_multiplier,
        cost_is_loaded=cost_is_loaded,
        monthly=monthly,
        lenient=lenient,
    )
    text = hris.scenario_yaml(
        result, output, extends=extends, name=scenario_name, currency=currency
    )
    hris.write_scenario(text, output, force=force)
    for problem in result.problems:
        click.echo(f"skipped or changed: {problem.describe(str(csv_file))}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    functions = ", ".join(f"{f} {n}" for f, n in result.functions.items())
    click.echo(
        f"wrote {output}: {result.employees} employees -> {len(result.units)} units, "
        f"top {result.root}; functions: {functions}",
        err=True,
    )
    if result.problems:
        click.echo(f"{len(result.problems)} problem(s) worked around (--lenient)", err=True)


@org.command("diff")
@click.argument("as_is", metavar="A.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.argument(
    "to_be",
    metavar="B.yaml [C.yaml ...]",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--json",
    "json_target",
    metavar="FILE",
    help="Write the diffs as JSON ('-' for standard output) instead of tables.",
)
@click.option(
    "--chart",
    "chart_target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw each to-be org with its changes highlighted (added green, moved blue, "
    "changed orange, removed listed beside); .png, .svg or .pdf. With several designs, "
    "one file each: NAME-B.png, NAME-C.png.",
)
@set_option
@force_option
def diff_cmd(
    as_is: Path,
    to_be: tuple[Path, ...],
    json_target: str | None,
    chart_target: Path | None,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Compare an as-is org (A) with one or more to-be designs.

    For each design: positions added, removed, moved (new manager) and changed (headcount,
    cost, function, title, ...), headcount and cost deltas by function and by executive,
    and managers whose span changed. --set applies to every file.

    \b
    Examples:
      ccosim org diff scenarios/post_sales_cs.yaml scenarios/cco_full.yaml
      ccosim org diff today.yaml option_a.yaml option_b.yaml --json diff.json
    """
    from ccosim.org.org_diff import diff_orgs, format_diff

    if json_target and json_target != "-":
        check_writable(Path(json_target), force)
    charts = _diff_chart_paths(chart_target, to_be)
    for target in charts:
        check_writable(target, force)
    base = OrgGraph.from_scenario(load_scenario(as_is, set_options))
    graphs = [OrgGraph.from_scenario(load_scenario(path, set_options)) for path in to_be]
    diffs = [
        diff_orgs(base, graph, name_a=str(as_is), name_b=str(path))
        for graph, path in zip(graphs, to_be, strict=True)
    ]
    if charts:
        from ccosim.org.org_chart import diff_chart_figure
        from ccosim.report.figures import save_figure

        for graph, diff, target in zip(graphs, diffs, charts, strict=True):
            with atomic_file(target, force=force) as tmp:
                save_figure(diff_chart_figure(graph, diff), tmp)
            click.echo(f"wrote {shown(target)}", err=True)
    if json_target:
        write_json(
            {"as_is": str(as_is), "designs": [d.to_dict() for d in diffs]},
            json_target,
            force=force,
        )
        return
    click.echo("\n\n".join(format_diff(d) for d in diffs))


def _diff_chart_paths(target: Path | None, to_be: tuple[Path, ...]) -> list[Path]:
    """One chart file per to-be design (the name gains the design's stem when there are many)."""
    if target is None:
        return []
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise CcosimError(f"--chart {target}: use a .png, .svg or .pdf file")
    if len(to_be) == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{p.stem}{target.suffix}") for p in to_be]
