"""Boxes, reporting lines and legend of an org chart, drawn on matplotlib axes.

Shared by the one-figure charts (:mod:`ccosim.charting.org_chart`) and the paper pages
(:mod:`ccosim.charting.paper`). Coordinates are the tidy layout's box units, y pointing down.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch

from ccosim.charting.tidy_layout import BOX_H, LEVEL_GAP, STACK_INDENT, Layout
from ccosim.charting.unit_box import head_count, unit_box_lines
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color

#: A line through points, in box units.
Polyline = list[tuple[float, float]]

__all__ = [
    "HIGHLIGHT_COLORS",
    "LegendEntry",
    "Polyline",
    "box_text",
    "dotted_stubs",
    "draw_org",
    "edge_lines",
    "legend_entries",
    "legend_handles",
    "tint",
]

HIGHLIGHT_COLORS = {"added": "#009E73", "moved": "#0072B2", "changed": "#E69F00"}


def tint(color: str, amount: float = 0.7) -> tuple[float, float, float]:
    """``color`` (``#RRGGBB``) mixed with white: ``amount`` 0 is the colour, 1 is white."""
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c + (1 - c) * amount for c in rgb)  # type: ignore[return-value]


def _money(value: float) -> str:
    return f"{value / 1e6:,.1f}M" if value >= 1e6 else f"{value / 1e3:,.0f}k"


def box_text(
    graph: OrgGraph,
    unit_id: str,
    show: Collection[str],
    collapsed: bool,
    extra: Collection[str] = (),
) -> str:
    """:func:`~ccosim.charting.unit_box.unit_box_lines`, then what this chart adds to a box."""
    unit = graph.units[unit_id]
    lines = unit_box_lines(unit)
    if collapsed:
        lines.append(f"+ {head_count(graph.rollup_headcount(unit_id) - unit.headcount)} below")
    extras = []
    if "cost" in show:
        extras.append(_money(graph.cost(unit_id)))
    if "span" in show and graph.is_manager(unit_id):
        extras.append(f"span {head_count(graph.span(unit_id))}")
    if "total" in show and graph.is_manager(unit_id):
        extras.append(f"total {head_count(graph.rollup_headcount(unit_id))}")
    if "rollup_cost" in show and graph.is_manager(unit_id):
        extras.append(f"with team {_money(graph.rollup_cost(unit_id))}")
    if extras:
        lines.append(" · ".join(extras))
    lines.extend(extra)
    return "\n".join(lines)


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
    stubs = dotted_stubs(graph, layout, elsewhere or {})
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
            facecolor=tint(color, 0.72 if not unit.vacant else 0.9),
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
            box_text(
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
                f"span {head_count(graph.span(unit_id))} > {graph.span_limit(unit_id)}",
                ha="right",
                va="bottom",
                fontsize=max(fontsize * 0.8, 6.0),
                color="#CC0000",
                zorder=5,
            )
    return functions_present, over


def edge_lines(
    layout: Layout, dotted_edges: Iterable[tuple[str, str]], stubs: Collection[Any]
) -> tuple[list[Polyline], list[Polyline]]:
    """The chart's lines in box units: solid reporting lines, and dotted lines with stub ticks.

    A stacked report hangs off a rail to its left; a dotted line in ``stubs`` is drawn as a
    short tick at each of its boxes on the page (see :func:`dotted_stubs`). Shared by the
    matplotlib charts and the paper pages, so both draw the same lines.
    """
    solid: list[Polyline] = []
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
    dotted: list[Polyline] = []
    ticks: list[Polyline] = []
    for boss, unit in dotted_edges:
        if boss in layout.boxes and unit in layout.boxes and (boss, unit) not in stubs:
            b, u = layout.boxes[boss], layout.boxes[unit]
            dotted.append([(b.x + 0.5, b.y + BOX_H), (u.x + 0.5, u.y)])
        for end, top in ((unit, True), (boss, False)):
            if (boss, unit) in stubs and end in layout.boxes:
                box = layout.boxes[end]
                y = box.y if top else box.y + BOX_H
                step = -0.12 if top else 0.12
                ticks.append([(box.x + 0.85, y), (box.x + 0.97, y + step)])
    return solid, dotted + ticks


def _draw_edges(axes, graph: OrgGraph, layout: Layout, stubs: Mapping[Any, list[str]]) -> None:
    solid, dotted = edge_lines(layout, graph.dotted.edges(), stubs)
    axes.add_collection(LineCollection(solid, colors="#777777", linewidths=0.8, zorder=1))
    if dotted:
        axes.add_collection(
            LineCollection(
                dotted,
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


def dotted_stubs(
    graph: OrgGraph,
    layout: Layout,
    elsewhere: Mapping[str, int],
    dotted: Collection[tuple[str, str]] | None = None,
) -> dict[Any, list[str]]:
    """Dotted lines drawn as labelled stubs, and the label lines each box gets.

    A dotted line whose straight path would pass behind another box (and so read as a line
    to the wrong manager), or whose other end is on another page, becomes a short dotted
    tick at each end with a line of text in the box: "··· dotted to NAME" in the report's
    box, "··· dotted from NAME" in the manager's. Keys: (manager, report) pairs (the stubs)
    and unit ids (their label lines). ``dotted``: the org's dotted lines, when the caller
    has listed them once for many pages (networkx walks every unit to list them).
    """
    out: dict[Any, list[str]] = {}
    for boss, unit in graph.dotted.edges() if dotted is None else dotted:
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


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry as plain data (drawn by matplotlib or by the paper writer).

    Attributes:
        label: The text.
        kind: ``patch`` (a swatch) or ``line``.
        face: Swatch fill (``#RRGGBB`` or an RGB tuple); none for lines.
        edge: Swatch edge or line colour.
        width: Line width (points).
        dash: ``solid``, ``dashed`` or ``dotted``.
    """

    label: str
    kind: str
    face: str | tuple[float, float, float] | None
    edge: str
    width: float = 1.0
    dash: str = "solid"


#: Matplotlib line styles of the legend's dash names.
DASH_STYLES = {"solid": "-", "dashed": "--", "dotted": (0, (1, 2))}


def legend_entries(
    functions: Mapping[str, None], flagged: bool, highlight: Mapping[str, str]
) -> list[LegendEntry]:
    """Legend entries: the functions drawn, line kinds, open positions, flags, highlights."""
    entries = [
        LegendEntry(f.replace("_", " "), "patch", tint(function_color(f)), function_color(f))
        for f in functions
    ]
    entries += [
        LegendEntry("reports to", "line", None, "#777777", 0.8),
        LegendEntry(
            "dotted line (long: ··· in both boxes)", "line", None, "#444444", 1.0, "dotted"
        ),
        LegendEntry("to be hired", "patch", "#FFFFFF", "#555555", 1.0, "dashed"),
    ]
    if flagged:
        entries.append(LegendEntry("over span limit", "patch", "#FFFFFF", "#CC0000", 2.0))
    for kind in dict.fromkeys(highlight.values()):
        entries.append(LegendEntry(kind, "patch", "#FFFFFF", HIGHLIGHT_COLORS[kind], 2.0))
    return entries


def legend_handles(
    functions: Mapping[str, None], flagged: bool, highlight: Mapping[str, str]
) -> list:
    """:func:`legend_entries` as matplotlib handles."""
    handles: list = []
    for entry in legend_entries(functions, flagged, highlight):
        style = DASH_STYLES[entry.dash]
        if entry.kind == "line":
            handles.append(
                Line2D(
                    [],
                    [],
                    color=entry.edge,
                    linewidth=entry.width,
                    linestyle=style,
                    label=entry.label,
                )
            )
        else:
            handles.append(
                Patch(
                    facecolor=entry.face,
                    edgecolor=entry.edge,
                    linewidth=entry.width,
                    linestyle=style,
                    label=entry.label,
                )
            )
    return handles
