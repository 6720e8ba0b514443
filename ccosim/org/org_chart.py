"""Org charts drawn with matplotlib: boxes coloured by function, on the tidy layout.

Every chart is a ``matplotlib.figure.Figure`` (no pyplot state). One data unit (a box's
width) is :data:`INCH_PER_BOX` inches, so the figure grows with the org and the text keeps a
fixed, readable size: a 1,500-unit org makes a large but legible page. Text stays text:
SVG files keep editable ``<text>`` and PDF files embed TrueType fonts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch

from ccosim.literal_text import literal_text, make_literal
from ccosim.org.graph import OrgGraph
from ccosim.org.tidy_layout import BOX_H, LEVEL_GAP, STACK_INDENT, Layout, tidy_layout
from ccosim.palette import function_color
from ccosim.scenario import Scenario

__all__ = [
    "HIGHLIGHT_COLORS",
    "INCH_PER_BOX",
    "SHOW_CHOICES",
    "chart_figure",
    "diff_chart_figure",
    "draw_org",
    "legend_handles",
    "save_chart",
    "save_diff_pages",
    "scenario_chart_figure",
]

INCH_PER_BOX = 1.6
SHOW_CHOICES = ("cost", "span", "total", "rollup_cost")
MARGIN = 0.35
HIGHLIGHT_COLORS = {"added": "#009E73", "moved": "#0072B2", "changed": "#E69F00"}


def _tint(color: str, amount: float = 0.7) -> tuple[float, float, float]:
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c + (1 - c) * amount for c in rgb)  # type: ignore[return-value]


def _money(value: float) -> str:
    return f"{value / 1e6:,.1f}M" if value >= 1e6 else f"{value / 1e3:,.0f}k"


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _box_text(
    graph: OrgGraph,
    unit_id: str,
    show: Collection[str],
    collapsed: bool,
    extra: Collection[str] = (),
) -> str:
    unit = graph.units[unit_id]
    lines = textwrap.wrap(unit.title, 22, max_lines=2, placeholder="…")
    if unit.name:
        lines.append(textwrap.shorten(unit.name, 26, placeholder="…"))
    if unit.headcount != 1 or unit.vacant or unit.open_headcount:
        team = f"team of {_count(unit.headcount)}" if unit.headcount != 1 else "position"
        open_heads = unit.headcount if unit.vacant else unit.open_headcount
        if open_heads:
            team += f", {_count(open_heads)} to hire"
        lines.append(team)
    if collapsed:
        lines.append(f"+ {_count(graph.rollup_headcount(unit_id) - unit.headcount)} below")
    extras = []
    if "cost" in show:
        extras.append(_money(graph.cost(unit_id)))
    if "span" in show and graph.is_manager(unit_id):
        extras.append(f"span {_count(graph.span(unit_id))}")
    if "total" in show and graph.is_manager(unit_id):
        extras.append(f"total {_count(graph.rollup_headcount(unit_id))}")
    if "rollup_cost" in show and graph.is_manager(unit_id):
        extras.append(f"with team {_money(graph.rollup_cost(unit_id))}")
    if extras:
        lines.append(" · ".join(extras))
    lines.extend(extra)
    return "\n".join(lines)


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


def draw_org(
    axes,
    graph: OrgGraph,
    layout: Layout,
    *,
    show: Collection[str] = (),
    highlight: Mapping[str, str] | None = None,
    fontsize: float = 7.0,
    continued: Mapping[str, int] | None = None,
    elsewhere: Mapping[str, int] | None = None,
) -> tuple[dict[str, None], set[str]]:
    """Draw the boxes and lines of ``layout`` on ``axes`` (data units: box widths).

    Args:
        axes: Matplotlib axes, y pointing down.
        graph: The org.
        layout: Where the boxes go.
        show: Extra lines per box (see :func:`chart_figure`).
        highlight: Unit id -> ``added``, ``moved`` or ``changed``.
        fontsize: Box text size (points); the smaller labels never go below it.
        continued: Collapsed unit -> page where its team is drawn ("continued on page N").
        elsewhere: Unit -> page where it is drawn, for dotted lines to units not on this page.

    Returns:
        The functions drawn (in order) and the units over their span limit.
    """
    highlight = dict(highlight or {})
    continued = dict(continued or {})
    stubs = _dotted_stubs(graph, layout, elsewhere or {})
    _draw_edges(axes, graph, layout, stubs)
    over = set(graph.over_span())
    functions_present: dict[str, None] = {}
    for unit_id, box in layout.boxes.items():
        unit = graph.units[unit_id]
        color = function_color(unit.function.value)
        functions_present[unit.function.value] = None
        to_hire = unit.vacant or unit.open_headcount > 0
        edge = HIGHLIGHT_COLORS.get(highlight.get(unit_id, ""), color)
        width = 2.6 if unit_id in highlight else 1.2
        if unit_id in over and unit_id not in highlight:
            edge, width = "#CC0000", 2.4
        patch = FancyBboxPatch(
            (box.x, box.y),
            1,
            BOX_H,
            boxstyle="round,pad=0,rounding_size=0.06",
            facecolor=_tint(color, 0.72 if not unit.vacant else 0.9),
            edgecolor=edge,
            linewidth=width,
            linestyle="--" if to_hire else "-",
            zorder=3,
        )
        axes.add_patch(patch)
        if box.collapsed:
            axes.add_patch(
                FancyBboxPatch(
                    (box.x + 0.04, box.y + 0.04),
                    1,
                    BOX_H,
                    boxstyle="round,pad=0,rounding_size=0.06",
                    facecolor="white",
                    edgecolor=color,
                    linewidth=0.8,
                    zorder=2,
                )
            )
        axes.add_patch(
            FancyBboxPatch(
                (box.x, box.y),
                0.06,
                BOX_H,
                boxstyle="square,pad=0",
                facecolor=color,
                edgecolor="none",
                zorder=4,
            )
        )
        axes.text(
            box.x + 0.53,
            box.y + BOX_H / 2,
            _box_text(
                graph,
                unit_id,
                show,
                box.collapsed,
                [
                    *stubs.get(unit_id, []),
                    *([f"continued on page {continued[unit_id]}"] if unit_id in continued else []),
                ],
            ),
            ha="center",
            va="center",
            fontsize=fontsize,
            zorder=5,
            linespacing=1.15,
        )
        if unit_id in over:
            axes.text(
                box.x + 1,
                box.y - 0.02,
                f"span {_count(graph.span(unit_id))} > {graph.span_limit(unit_id)}",
                ha="right",
                va="bottom",
                fontsize=max(fontsize * 0.8, 6.0),
                color="#CC0000",
                zorder=5,
            )
    return functions_present, over


def _draw_edges(axes, graph: OrgGraph, layout: Layout, stubs: Mapping[Any, list[str]]) -> None:
    solid: list[list[tuple[float, float]]] = []
    for parent, child in layout.edges:
        p, c = layout.boxes[parent], layout.boxes[child]
        px, bottom = p.x + 0.5, p.y + BOX_H
        mid = bottom + LEVEL_GAP / 2
        if c.stacked:
            rail = c.x - STACK_INDENT / 2
            solid.append(
                [
                    (px, bottom),
                    (px, mid),
                    (rail, mid),
                    (rail, c.y + BOX_H / 2),
                    (c.x, c.y + BOX_H / 2),
                ]
            )
        else:
            solid.append([(px, bottom), (px, mid), (c.x + 0.5, mid), (c.x + 0.5, c.y)])
    axes.add_collection(LineCollection(solid, colors="#777777", linewidths=0.8, zorder=1))
    dotted = []
    ticks = []
    for boss, unit in graph.dotted.edges():
        if boss in layout.boxes and unit in layout.boxes and (boss, unit) not in stubs:
            b, u = layout.boxes[boss], layout.boxes[unit]
            dotted.append([(b.x + 0.5, b.y + BOX_H), (u.x + 0.5, u.y)])
        for end, top in ((unit, True), (boss, False)):
            if (boss, unit) in stubs and end in layout.boxes:
                box = layout.boxes[end]
                y = box.y if top else box.y + BOX_H
                step = -0.12 if top else 0.12
                ticks.append([(box.x + 0.85, y), (box.x + 0.97, y + step)])
    if dotted or ticks:
        axes.add_collection(
            LineCollection(
                dotted + ticks,
                colors="#444444",
                linewidths=1.0,
                linestyles=(0, (1, 2)),
                zorder=2,
            )
        )


def _crosses(box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether segment a-b passes through the box (sampled finely; boxes are 1 x BOX_H)."""
    for k in range(1, 40):
        t = k / 40
        x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        if box.x - 0.02 <= x <= box.x + 1.02 and box.y - 0.02 <= y <= box.y + BOX_H + 0.02:
            return True
    return False


def _dotted_stubs(
    graph: OrgGraph, layout: Layout, elsewhere: Mapping[str, int]
) -> dict[Any, list[str]]:
    """Dotted lines drawn as labelled stubs, and the label lines each box gets.

    A dotted line whose straight path would pass behind another box (and so read as a line
    to the wrong manager), or whose other end is on another page, becomes a short dotted
    tick at each end with a line of text in the box: "··· dotted to NAME" in the report's
    box, "··· dotted from NAME" in the manager's. Keys: (manager, report) pairs (the stubs)
    and unit ids (their label lines).
    """
    out: dict[Any, list[str]] = {}
    for boss, unit in graph.dotted.edges():
        here_b, here_u = boss in layout.boxes, unit in layout.boxes
        if not here_b and not here_u:
            continue
        if here_b and here_u:
            b, u = layout.boxes[boss], layout.boxes[unit]
            a, z = (b.x + 0.5, b.y + BOX_H), (u.x + 0.5, u.y)
            if not any(
                _crosses(box, a, z) for key, box in layout.boxes.items() if key not in (boss, unit)
            ):
                continue
        out[(boss, unit)] = []
        if here_u:
            page = "" if here_b or boss not in elsewhere else f" (p. {elsewhere[boss]})"
            text = "··· dotted to " + _short(graph, boss) + page
            out.setdefault(unit, []).extend(textwrap.wrap(text, 24))
        if here_b:
            page = "" if here_u or unit not in elsewhere else f" (p. {elsewhere[unit]})"
            text = "··· dotted from " + _short(graph, unit) + page
            out.setdefault(boss, []).extend(textwrap.wrap(text, 24))
    return out


def _short(graph: OrgGraph, unit_id: str) -> str:
    unit = graph.units[unit_id]
    return textwrap.shorten(unit.name or unit.title, 20, placeholder="…")


def legend_handles(
    functions: Mapping[str, None], flagged: bool, highlight: Mapping[str, str]
) -> list:
    """Legend entries: the functions drawn, line kinds, open positions, flags, highlights."""
    handles: list = [
        Patch(
            facecolor=_tint(function_color(f)),
            edgecolor=function_color(f),
            label=f.replace("_", " "),
        )
        for f in functions
    ]
    handles += [
        Line2D([], [], color="#777777", linewidth=0.8, label="reports to"),
        Line2D(
            [],
            [],
            color="#444444",
            linewidth=1.0,
            linestyle=(0, (1, 2)),
            label="dotted line (long: ··· in both boxes)",
        ),
        Patch(facecolor="white", edgecolor="#555555", linestyle="--", label="to be hired"),
    ]
    if flagged:
        handles.append(
            Patch(facecolor="white", edgecolor="#CC0000", linewidth=2, label="over span limit")
        )
    for kind in dict.fromkeys(highlight.values()):
        handles.append(
            Patch(facecolor="white", edgecolor=HIGHLIGHT_COLORS[kind], linewidth=2, label=kind)
        )
    return handles


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
    """The diff chart as a PDF of paper pages (see :mod:`ccosim.org.paper`).

    Returns:
        One line per page saying what it shows.
    """
    from ccosim.org.paper import Paper, save_paper_pdf

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
def scenario_chart_figure(scenario: Scenario) -> Figure:
    """The whole org of a scenario at month 0, titled with its name (used in reports)."""
    return chart_figure(OrgGraph.from_scenario(scenario), title=scenario.name)


MAX_PAGE_BOXES = 90.0
"""Widest drawing (in boxes, about 144 inches) put on one image or PDF page."""


def fitting_depth(
    graph: OrgGraph, root: str | None, depth: int | None, max_boxes: float = MAX_PAGE_BOXES
) -> int | None:
    """``depth`` if the drawing fits ``max_boxes`` wide, else the deepest depth that does."""
    if tidy_layout(graph, root, depth=depth).width <= max_boxes:
        return depth
    limit = depth if depth is not None else max(graph.layer.values())
    for candidate in range(limit - 1, 0, -1):
        if tidy_layout(graph, root, depth=candidate).width <= max_boxes:
            return candidate
    return 1


def _pages(graph: OrgGraph, top: str, max_boxes: float) -> list[tuple[str, int | None]]:
    """(root, depth) of each page: a subtree that fits, or its top layer and its parts."""
    if tidy_layout(graph, top).width <= max_boxes:
        return [(top, None)]
    pages: list[tuple[str, int | None]] = [(top, 1)]
    for child in graph.reports(top):
        if graph.is_manager(child):
            pages.extend(_pages(graph, child, max_boxes))
    return pages


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
        with PdfPages(path) as pdf:
            top = root or graph.root  # type: ignore[assignment]
            plan = [(top, 1)] + [
                p
                for child in graph.reports(top)
                if graph.is_manager(child)
                for p in _pages(graph, child, max_boxes)
            ]
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
