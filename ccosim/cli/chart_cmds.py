"""``ccosim chart``: draw a scenario's org chart to PNG, SVG or PDF."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.cli.base import force_option, load_scenario, main, set_option, shown
from ccosim.errors import CcosimError
from ccosim.org import OrgGraph
from ccosim.org.org_chart import SHOW_CHOICES, save_chart
from ccosim.output import atomic_file, check_writable

SUFFIXES = (".png", ".svg", ".pdf")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Chart file; the format follows the suffix: .png, .svg or .pdf.",
)
@click.option("--root", metavar="ID", help="Draw only the subtree under this unit.")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    help="Layers to draw below the top; deeper units collapse into '+ N below'.",
)
@click.option(
    "--show",
    default="",
    metavar="LIST",
    help="Extra lines in each box, comma-separated: cost, span, total.",
)
@click.option(
    "--pages",
    is_flag=True,
    help="PDF only: an overview page, then one page per executive's subtree.",
)
@set_option
@force_option
def chart(
    scenario: Path,
    output: Path,
    root: str | None,
    depth: int | None,
    show: str,
    pages: bool,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Draw the org chart of a scenario.

    Boxes are coloured by function (the same colours in every ccosim chart), teams show
    their headcount, positions to be hired are dashed, dotted lines are dotted, and
    managers over their span limit are outlined in red.

    \b
    Examples:
      ccosim chart scenarios/cco_full.yaml -o cco.png
      ccosim chart scenarios/cco_full.yaml -o cco.svg --root cco --show cost,span,total
      ccosim chart big_org.yaml -o big.pdf --pages
    """
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise CcosimError(
            f"{output}: unknown chart format {suffix or '(none)'}; use .png, .svg or .pdf"
        )
    if pages and suffix != ".pdf":
        raise CcosimError("--pages writes a multi-page PDF: give an output ending in .pdf")
    extras = [s.strip() for s in show.split(",") if s.strip()]
    unknown = [s for s in extras if s not in SHOW_CHOICES]
    if unknown:
        raise CcosimError(f"--show {','.join(unknown)}: choose from {', '.join(SHOW_CHOICES)}")
    check_writable(output, force)
    loaded = load_scenario(scenario, set_options)
    graph = OrgGraph.from_scenario(loaded)
    if root is not None and root not in graph:
        from ccosim.scenario.checks import did_you_mean

        raise CcosimError(f"--root {root!r} names no unit{did_you_mean(root, list(graph.units))}")
    with atomic_file(output, force=force) as tmp:
        titles = save_chart(
            graph, tmp, pages=pages, root=root, depth=depth, show=extras, title=loaded.name
        )
    if pages:
        click.echo(f"wrote {shown(output)} ({len(titles)} pages)")
    else:
        click.echo(
            f"wrote {shown(output)}" + (f": {titles[0]}" if "collapsed" in titles[0] else "")
        )
