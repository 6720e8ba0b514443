"""``ccosim org export | import | diff``: move orgs in and out of ccosim and compare designs."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.cli.base import force_option, load_scenario, set_option
from ccosim.cli.org_cmds import org
from ccosim.errors import CcosimError
from ccosim.org import OrgGraph
from ccosim.output import check_writable, write_text


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
                click.echo(f"wrote {path} ({part.edges} edges)", err=True)
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
    click.echo(f"wrote {output} ({fmt}, {len(graph)} units)", err=True)
