"""The data of the HTML report's interactive org chart: boxes, lines and first view, in pixels.

Laid out like the static charts (:mod:`ccosim.charting.tidy_layout`), boxes in the function
palette's colours with the same text (:func:`~ccosim.charting.unit_box.unit_box_lines`). The
markup and the script that make it pan, zoom, fold and search are the report's
(:mod:`ccosim.report.org_html`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ccosim.charting.tidy_layout import BOX_H, tidy_layout
from ccosim.charting.unit_box import unit_box_lines
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color, text_color_on

__all__ = ["MARGIN", "SCALE", "ChartBox", "ChartLine", "InteractiveChart", "interactive_chart"]

#: Pixels per layout unit (one box is one unit wide).
SCALE = 170.0
MARGIN = 20.0
#: Widest first view (pixels); a larger org opens centred on its top.
START_WIDTH = 1400.0


@dataclass(frozen=True)
class ChartBox:
    """One unit's box.

    Attributes:
        unit_id: The unit.
        parent: Its manager ("" for the top of the org).
        reports: How many direct reports it has (a click folds them).
        x: Left edge (pixels).
        y: Top edge (pixels).
        color: Fill, the function's colour.
        ink: Text colour that reads on ``color``.
        lines: The box's text (:func:`~ccosim.charting.unit_box.unit_box_lines`).
        tooltip: Title and name, shown on hover.
        search: Lower-case text the search box matches (title, name, function).
        to_hire: Vacant or partly open (drawn dashed).
    """

    unit_id: str
    parent: str
    reports: int
    x: float
    y: float
    color: str
    ink: str
    lines: list[str]
    tooltip: str
    search: str
    to_hire: bool


@dataclass(frozen=True)
class ChartLine:
    """A reporting line, as an SVG path, to ``child`` from its manager."""

    child: str
    path: str


@dataclass(frozen=True)
class InteractiveChart:
    """An org laid out for the interactive chart (all lengths in pixels).

    Attributes:
        width: Width of the whole drawing.
        height: Height of the whole drawing.
        box_width: Width of a box.
        box_height: Height of a box.
        lines: Reporting lines.
        boxes: Units' boxes, managers before their reports.
        start: The first view (x, y, width, height): the top of the org, at most
            :data:`START_WIDTH` wide.
    """

    width: float
    height: float
    box_width: float
    box_height: float
    lines: list[ChartLine]
    boxes: list[ChartBox]
    start: tuple[float, float, float, float]


def _px(value: float) -> float:
    return round(value * SCALE + MARGIN, 1)


def interactive_chart(graph: OrgGraph) -> InteractiveChart:
    """The boxes, lines and first view of ``graph``'s interactive chart."""
    layout = tidy_layout(graph, stack=True)
    width = layout.width * SCALE + 2 * MARGIN
    height = layout.height * SCALE + 2 * MARGIN
    box_h = BOX_H * SCALE
    lines = []
    for parent, child in layout.edges:
        a, b = layout.boxes[parent], layout.boxes[child]
        x1, y1 = _px(a.x + 0.5), _px(a.y) + box_h
        if b.stacked:
            x2, y2 = _px(b.x), _px(b.y) + box_h / 2
            xs = _px(b.x - 0.09)
            path = f"M{x1},{y1} V{y1 + 18} H{xs} V{y2} H{x2}"
        else:
            x2, y2 = _px(b.x + 0.5), _px(b.y)
            mid = (y1 + y2) / 2
            path = f"M{x1},{y1} V{mid} H{x2} V{y2}"
        lines.append(ChartLine(child, path))
    boxes = []
    for unit_id, box in layout.boxes.items():
        unit = graph.units[unit_id]
        color = function_color(unit.function.value)
        boxes.append(
            ChartBox(
                unit_id=unit_id,
                parent=graph.manager(unit_id) or "",
                reports=len(graph.reports(unit_id)),
                x=_px(box.x),
                y=_px(box.y),
                color=color,
                ink=text_color_on(color),
                lines=unit_box_lines(unit),
                tooltip=unit.title + (" - " + unit.name if unit.name else ""),
                search=f"{unit.title} {unit.name or ''} {unit.function.value}".lower(),
                to_hire=bool(unit.vacant or unit.open_headcount),
            )
        )
    root = layout.boxes[graph.root]
    start_w = min(width, START_WIDTH)
    start_x = max(0.0, min(_px(root.x + 0.5) - start_w / 2, width - start_w))
    start = (start_x, 0.0, start_w, start_w * 520 / 1000)
    return InteractiveChart(width, height, SCALE, box_h, lines, boxes, start)
