"""Org charts drawn with matplotlib: boxes coloured by function, on the tidy layout.

Every chart is a ``matplotlib.figure.Figure`` (no pyplot state). One data unit (a box's
width) is :data:`INCH_PER_BOX` inches, so the figure grows with the org and the text keeps a
fixed, readable size: a 1,500-unit org makes a large but legible page. Text stays text:
SVG files keep editable ``<text>`` and PDF files embed TrueType fonts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from ccosim.charting.draw import draw_org, legend_handles
from ccosim.charting.paper import Paper, save_paper_pdf
from ccosim.charting.tidy_layout import BOX_H, LEVEL_GAP, Layout, tidy_layout
from ccosim.errors import CcosimError
from ccosim.literal_text import literal_text, make_literal
from ccosim.org.graph import OrgGraph
from ccosim.scenario import Scenario

__all__ = [
    "INCH_PER_BOX",
    "MAX_PAGES",
    "SHOW_CHOICES",
    "chart_figure",
    "diff_chart_figure",
    "executive_pages",
    "save_chart",
    "save_diff_pages",
    "scenario_chart_figure",
]

INCH_PER_BOX = 1.6
SHOW_CHOICES = ("cost", "span", "total", "rollup_cost")
MARGIN = 0.35


@literal_text
def chart_figure(
    graph: OrgGraph,
    *,
    root: str | None = None,
    depth: int | None = None,
    show: Collection[str] = (),
    title: str | None = None,
    highlight: Mapping[str, str] | None = None,
    removed: Collection[str] = (),
    max_stack: int = 12,
) -> Figure:
    """Draw the org (or the subtree under ``root``) as a Figure.

    Args:
        graph: The org.
        root: Top unit of the drawing (the whole org by default).
        depth: Layers to draw below ``root``; deeper units collapse into a "+ N below" box.
        show: Extra lines per box: any of ``cost``, ``span``, ``total``, ``rollup_cost``
            (a manager's loaded cost with everyone below).
        title: Heading above the chart.
        highlight: Unit id -> ``added``, ``moved`` or ``changed`` (drawn with a thick edge).
        removed: Titles of units removed (listed beside the chart, for org diffs).
        max_stack: Most leaf boxes stacked in one column under a manager.
    """
    layout = tidy_layout(graph, root, depth=depth, max_stack=max_stack)
    highlight = dict(highlight or {})
    legend_width = 2.6
    removed_lines = [f"- {r}" for r in removed]
    width_units = layout.width + 2 * MARGIN
    height_units = layout.height + 2 * MARGIN + 0.5
    title_width = 0.11 * len(title or "") + 0.4  # inches at 11 pt bold
    fig_w = max(width_units * INCH_PER_BOX, title_width) + legend_width
    fig_h = max(height_units * INCH_PER_BOX, 3.2 + 0.18 * len(removed_lines))
    figure = Figure(figsize=(fig_w, fig_h))
    axes = figure.add_axes((0, 0, (fig_w - legend_width) / fig_w, 1))
    axes.set_xlim(-MARGIN, (fig_w - legend_width) / INCH_PER_BOX - MARGIN)
    axes.set_ylim(fig_h / INCH_PER_BOX - MARGIN - 0.5, -MARGIN - 0.5)
    axes.axis("off")
    functions_present, over = draw_org(
        axes, graph, layout, show=show, highlight=highlight, fontsize=7.0
    )
    if title:
        axes.text(
            -MARGIN + 0.05,
            -MARGIN - 0.25,
            title,
            fontsize=11,
            fontweight="bold",
            va="center",
            ha="left",
        )
    _legend(figure, functions_present, bool(over), highlight, removed_lines, legend_width, fig_w)
    return figure


def _legend(
    figure: Figure,
    functions: Mapping[str, None],
    flagged: bool,
    highlight: Mapping[str, str],
    removed: list[str],
    legend_width: float,
    fig_w: float,
) -> None:
    handles = legend_handles(functions, flagged, highlight)
    left = (fig_w - legend_width) / fig_w
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(left, 0.98),
        fontsize=7,
        frameon=False,
        title="function",
        title_fontsize=8,
    )
    if removed:
        figure.text(
            left + 0.01,
            0.02,
            "removed:\n" + "\n".join(removed),
            fontsize=7,
            va="bottom",
            ha="left",
            color="#CC0000",
        )


def _diff_marks(to_be: OrgGraph, diff: object) -> tuple[dict[str, str], list[str]]:
    highlight: dict[str, str] = {}
    for kind, ids in (
        ("changed", diff.changed_ids),  # type: ignore[attr-defined]
        ("moved", diff.moved_ids),  # type: ignore[attr-defined]
        ("added", diff.added_ids),  # type: ignore[attr-defined]
    ):
        highlight.update({unit_id: kind for unit_id in ids if unit_id in to_be})
    removed = [_removed_label(e) for e in diff.removed]  # type: ignore[attr-defined]
    return highlight, removed


def save_diff_pages(
    to_be: OrgGraph,
    diff: object,
    path: str | Path,
    *,
    paper: str = "a4",
    landscape: bool = False,
    root: str | None = None,
    title: str | None = None,
) -> list[str]:
    """The diff chart as a PDF of paper pages (see :mod:`ccosim.charting.paper`).

    Returns:
        One line per page saying what it shows.
    """
    highlight, removed = _diff_marks(to_be, diff)
    heading = title or f"{diff.name_a} -> {diff.name_b}"  # type: ignore[attr-defined]
    return save_paper_pdf(
        to_be,
        path,
        Paper(paper, landscape),
        root=root,
        title=heading,
        highlight=highlight,
        removed=removed,
    )


@literal_text
def diff_chart_figure(
    to_be: OrgGraph, diff: object, *, title: str | None = None, root: str | None = None
) -> Figure:
    """The to-be org with an org diff's changes highlighted.

    Added units have a green edge, moved units a blue one, changed units an orange one; the
    removed units are listed beside the chart.

    Args:
        to_be: The to-be org's graph.
        diff: A :class:`ccosim.org.org_diff.OrgDiff` of the as-is org against ``to_be``.
        title: Heading; by default "as-is -> to-be".
        root: Draw only the subtree under this unit.
    """
    highlight, removed = _diff_marks(to_be, diff)
    heading = title or f"{diff.name_a} -> {diff.name_b}"  # type: ignore[attr-defined]
    return chart_figure(to_be, root=root, highlight=highlight, removed=removed, title=heading)


def _removed_label(entry: object) -> str:
    name = getattr(entry, "name", None)
    title = entry.title  # type: ignore[attr-defined]
    return f"{name}, {title}" if name else f"{title} ({entry.id})"  # type: ignore[attr-defined]


@literal_text
def scenario_chart_figure(scenario: Scenario, max_boxes: float | None = None) -> Figure:
    """The org of a scenario at month 0, titled with its name (used in reports).

    A drawing more than ``max_boxes`` boxes wide or tall (default :data:`MAX_PAGE_BOXES`) is
    collapsed to the deepest layer that fits, and its title says so.
    """
    graph = OrgGraph.from_scenario(scenario)
    depth = fitting_depth(graph, None, None, max_boxes or MAX_PAGE_BOXES)
    title = scenario.name if depth is None else f"{scenario.name} (top {depth} layers)"
    return chart_figure(graph, depth=depth, title=title)


MAX_PAGE_BOXES = 90.0
"""Widest drawing (in boxes, about 144 inches) put on one image or PDF page."""

MAX_PAGES = 40
"""Most pages ``--pages`` draws. Each page is one large matplotlib figure (up to 144 inches a
side, about 0.3 s of drawing per 70 boxes), so 40 pages take under a minute; an org that
needs more (a reporting chain thousands of layers deep needs one page per 77 layers) is
refused before any drawing, pointing to ``--paper``, which prints any org on paper pages."""


def _fits(layout: Layout, max_boxes: float) -> bool:
    return layout.width <= max_boxes and layout.height <= max_boxes


def fitting_depth(
    graph: OrgGraph, root: str | None, depth: int | None, max_boxes: float = MAX_PAGE_BOXES
) -> int | None:
    """``depth`` if the drawing fits ``max_boxes`` wide and tall, else the deepest that does.

    The drawing only grows with depth, so the deepest fitting depth is found by bisection:
    a reporting chain thousands of layers deep costs a few partial layouts, not one per layer.
    """
    top = root or graph.root
    layers = graph.layer
    deepest = max(layers[u] for u in graph.subtree(top)) - layers[top]
    wanted = deepest if depth is None else min(depth, deepest)
    # layers below the top that can stand within max_boxes of height, stacks aside
    tallest = max(1, int((max_boxes - BOX_H) // (BOX_H + LEVEL_GAP)))
    if wanted <= tallest and _fits(tidy_layout(graph, root, depth=depth), max_boxes):
        return depth
    low, high = 1, min(wanted - 1, tallest)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(tidy_layout(graph, root, depth=middle), max_boxes):
            low = middle
        else:
            high = middle - 1
    return max(1, low)


def _pages(
    graph: OrgGraph, top: str, max_boxes: float, limit: int | None = None
) -> list[tuple[str, int | None]]:
    """(root, depth) of each page: a subtree that fits, or its top layers and their parts.

    A subtree too wide gets a page of its top layer and then its managers' pages; one too
    tall gets a page of the layers that fit and then a page for each manager cut off at that
    depth. Iterative, so the depth of the org does not matter. Stops after ``limit`` + 1
    pages when a limit is given.
    """
    pages: list[tuple[str, int | None]] = []
    pending = [top]
    layers = graph.layer
    tallest = max(1, int((max_boxes - BOX_H) // (BOX_H + LEVEL_GAP)))
    while pending and (limit is None or len(pages) <= limit):
        unit = pending.pop()
        # a subtree deeper than a page is measured down to a page's depth only
        deep = max(layers[u] for u in graph.subtree(unit)) - layers[unit] > tallest
        layout = tidy_layout(graph, unit, depth=tallest if deep else None)
        if not deep and _fits(layout, max_boxes):
            pages.append((unit, None))
            continue
        cut = 1 if layout.width > max_boxes else fitting_depth(graph, unit, None, max_boxes)
        pages.append((unit, cut))
        below = [
            u
            for u in graph.subtree(unit)
            if layers[u] == layers[unit] + cut and graph.is_manager(u)  # type: ignore[operator]
        ]
        pending.extend(reversed(below))
    return pages


def executive_pages(
    graph: OrgGraph, root: str | None = None, max_boxes: float = MAX_PAGE_BOXES
) -> list[tuple[str, int | None]]:
    """(root, depth) of each page of ``--pages``: the overview, then each executive's subtree.

    Raises:
        CcosimError: When the chart needs more than :data:`MAX_PAGES` pages.
    """
    top = root or graph.root
    plan: list[tuple[str, int | None]] = [(top, 1)]
    for child in graph.reports(top):
        if graph.is_manager(child):
            plan += _pages(graph, child, max_boxes, MAX_PAGES - len(plan))
        if len(plan) > MAX_PAGES:
            break
    if len(plan) > MAX_PAGES:
        deepest = max(graph.layer[u] for u in graph.subtree(top)) - graph.layer[top] + 1
        raise CcosimError(
            f"--pages draws at most {MAX_PAGES} pages (large drawings, about a second each); "
            f"this org ({len(graph.subtree(top)):,} units, {deepest:,} layers) needs more. "
            "Use --paper a4 (any org on paper pages, with a progress bar) or --root UNIT "
            "for a part of it"
        )
    return plan


def save_chart(
    graph: OrgGraph,
    path: str | Path,
    *,
    pages: bool = False,
    dpi: int = 110,
    max_boxes: float = MAX_PAGE_BOXES,
    **options: object,
) -> list[str]:
    """Write a chart; the format follows the suffix (.png, .svg, .pdf).

    A drawing wider than ``max_boxes`` boxes is collapsed to the deepest layer that fits
    (the returned note says so). With ``pages`` (PDF only) the first page is the top of the
    org, then each executive's subtree gets a page; a subtree too wide for one page gets a
    page of its top layer and one page per manager below it, so every unit is drawn.

    Returns:
        One line per page or image, saying what it shows.
    """
    path = Path(path)
    base = str(options.pop("title", "") or "")
    root = options.pop("root", None)
    depth = options.pop("depth", None)
    with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        if not pages:
            fitted = fitting_depth(graph, root, depth, max_boxes)  # type: ignore[arg-type]
            note = base
            if fitted != depth:
                note = (
                    f"{base} (top {fitted} layers; deeper layers collapsed to fit — "
                    "use a .pdf with --pages for every unit)"
                )
            figure = chart_figure(
                graph,
                root=root,
                depth=fitted,
                title=note,  # type: ignore[arg-type]
                **options,
            )  # type: ignore[arg-type]
            make_literal(figure)
            figure.savefig(path, dpi=dpi)
            return [note]
        notes = []
        plan = executive_pages(graph, root, max_boxes)  # type: ignore[arg-type]
        with PdfPages(path) as pdf:
            top = plan[0][0]
            for unit, page_depth in plan:
                name = graph.units[unit].title
                label = "overview" if unit == top else name
                if page_depth == 1 and unit != top:
                    label += " (top layer; its teams follow)"
                figure = chart_figure(
                    graph,
                    root=unit,
                    depth=page_depth,
                    title=f"{base}: {label}".strip(": "),
                    **options,
                )  # type: ignore[arg-type]
                make_literal(figure)
                pdf.savefig(figure)
                notes.append(label)
        return notes
