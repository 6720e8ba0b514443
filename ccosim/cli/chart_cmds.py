"""``ccosim chart``: draw a scenario's org chart to PNG, SVG or PDF."""

from __future__ import annotations

from pathlib import Path

import click

from ccosim.charting.org_chart import SHOW_CHOICES, save_chart
from ccosim.charting.paper import Paper, save_paper_pdf
from ccosim.cli.options import OrgMoment, at_month_option, force_option, inputs_of, set_option
from ccosim.cli.progress import StageBars
from ccosim.cli.terminal import shown
from ccosim.errors import CcosimError
from ccosim.org import OrgGraph
from ccosim.org.people import resolve_unit
from ccosim.output import atomic_file, check_writable
from ccosim.scenario import load

SUFFIXES = (".png", ".svg", ".pdf")


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Chart file; the format follows the suffix: .png, .svg or .pdf.",
)
@click.option(
    "--root",
    metavar="UNIT",
    help="Draw only the subtree under this unit: its id, the person's name or the title "
    "(a name or title several units share is refused with the candidates).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    help="Layers to draw below the top; deeper units collapse into '+ N below'. With "
    "--paper: a printable leadership chart.",
)
@click.option(
    "--show",
    default="",
    metavar="LIST",
    help="Extra lines in each box, comma-separated: cost, span, total, rollup_cost "
    "(a manager's loaded cost with everyone below).",
)
@click.option(
    "--pages",
    is_flag=True,
    help="PDF only: an overview page, then one page per executive's subtree.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter", "a3"]),
    help="PDF only: pages of this paper size, no type under 6 pt; the top of the org "
    "first, then each team that did not fit ('continued on page N'), small teams sharing "
    "pages, wide teams in parts.",
)
@click.option("--landscape", is_flag=True, help="--paper: landscape pages.")
@click.option("--quiet", is_flag=True, help="No progress bar (--paper).")
@at_month_option
@set_option
@force_option
def chart(
    scenario: Path,
    output: Path,
    root: str | None,
    depth: int | None,
    show: str,
    pages: bool,
    paper: str | None,
    landscape: bool,
    quiet: bool,
    at_month: OrgMoment,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Draw the org chart of a scenario.

    Boxes are coloured by function (the same colours in every ccosim chart), teams show
    their headcount, positions to be hired are dashed, dotted lines are dotted, and
    managers over their span limit are outlined in red. --at-month M draws the org the
    scenario's timeline produces at month M (--at YYYY-MM: the month counted from the
    scenario's start_date). With --paper, a progress bar on the terminal counts the units
    laid out and the pages drawn (--quiet: none).

    \b
    Examples:
      ccosim chart scenarios/cco_full.yaml -o cco.png
      ccosim chart scenarios/cco_full.yaml -o cco.svg --root cco --show cost,span,total
      ccosim chart big_org.yaml -o big.pdf --pages
      ccosim chart hris.yaml -o org.pdf --paper a4 --landscape --root "Ken Sanchez"
      ccosim chart hris.yaml -o leaders.pdf --paper a4 --depth 2
      ccosim chart transition.yaml -o month24.png --at-month 24
      ccosim chart transition.yaml -o june.png --at 2027-06
    """
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise CcosimError(
            f"{output}: unknown chart format {suffix or '(none)'}; use .png, .svg or .pdf"
        )
    if (pages or paper) and suffix != ".pdf":
        raise CcosimError(
            "--pages and --paper write a multi-page PDF: give an output ending in .pdf"
        )
    if pages and paper:
        raise CcosimError("--pages and --paper both write pages: choose one (--paper fits paper)")
    if landscape and not paper:
        raise CcosimError("--landscape goes with --paper a4|letter|a3")
    extras = [s.strip() for s in show.split(",") if s.strip()]
    unknown = [s for s in extras if s not in SHOW_CHOICES]
    if unknown:
        raise CcosimError(f"--show {','.join(unknown)}: choose from {', '.join(SHOW_CHOICES)}")
    check_writable(output, force, inputs=inputs_of([scenario]))
    loaded = at_month.of(load(scenario, set_options=set_options), scenario)
    graph = OrgGraph.from_scenario(loaded)
    if root is not None:
        root = resolve_unit(graph.units, root)
    with atomic_file(output, force=force) as tmp, StageBars(quiet) as bars:
        if paper:
            titles = save_paper_pdf(
                graph,
                tmp,
                Paper(paper, landscape),
                root=root,
                title=loaded.name,
                show=extras,
                depth=depth,
                progress=bars.update,
            )
        else:
            titles = save_chart(
                graph, tmp, pages=pages, root=root, depth=depth, show=extras, title=loaded.name
            )
    if paper:
        click.echo(f"wrote {shown(output)} ({len(titles)} pages)")
        for line in titles:
            click.echo(f"  {shown(line)}")
    elif pages:
        click.echo(f"wrote {shown(output)} ({len(titles)} pages)")
    else:
        click.echo(
            f"wrote {shown(output)}" + (f": {titles[0]}" if "collapsed" in titles[0] else "")
        )
