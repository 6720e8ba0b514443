"""Paper pages drawn straight to PDF: the org chart's boxes, lines, texts and legend.

The same drawing as :func:`ccosim.charting.draw.draw_org` on a matplotlib page (colours,
line widths, dashes, rounded boxes, the stacked "collapsed" shadow, the function bar, 7 pt
box text scaled with the page, the span flag, title, legend and footer), written with
:mod:`ccosim.charting.pdf_canvas`: each box costs a few lines of PDF instead of a dozen
matplotlib artists, so a 50,000-person org prints in well under a minute.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ccosim.charting.draw import (
    HIGHLIGHT_COLORS,
    LegendEntry,
    box_text,
    edge_lines,
    legend_entries,
    tint,
)
from ccosim.charting.pdf_canvas import PdfCanvas, PdfFont, PdfPage
from ccosim.charting.tidy_layout import BOX_H, Layout
from ccosim.charting.unit_box import head_count
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color

__all__ = ["ChartMarks", "PageText", "draw_page", "fitted"]

RGB = tuple[float, float, float]
POINTS = 72.0
ROUNDING = 0.06  # box corner radius, box units
LINESPACING = 1.15
DASHED = (3.7, 1.6)  # matplotlib's dashed pattern, in line widths
DOTTED = (1.0, 2.0)  # the chart's dotted lines, in line widths
EDGE_GREY, DOTTED_GREY = "#777777", "#444444"


def rgb(color: str | RGB) -> RGB:
    """``#RRGGBB`` (or an RGB tuple) as an RGB tuple of 0-1 floats."""
    if isinstance(color, tuple):
        return color
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


@dataclass(frozen=True)
class PageText:
    """The words of a page besides its boxes.

    Attributes:
        heading: The chart's title (bold, top left).
        subtitle: What the page shows.
        footer: Paper, smallest type and page count (bottom left).
        removed: Units removed (org diffs), on the first page only.
    """

    heading: str
    subtitle: str
    footer: str
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartMarks:
    """What every page of a chart marks the same way.

    Attributes:
        show: Extra lines per box (``cost``, ``span``, ``total``, ``rollup_cost``).
        over: Units over their span limit (the whole org's).
        highlight: Unit id -> ``added``, ``moved`` or ``changed`` (org diffs).
        dotted: The org's dotted lines (manager, report), listed once for every page.
    """

    show: Collection[str] = ()
    over: Collection[str] = field(default_factory=set)
    highlight: Mapping[str, str] = field(default_factory=dict)
    dotted: Collection[tuple[str, str]] = ()


@dataclass
class _Frame:
    """Box units -> page points for one page."""

    left: float
    top: float
    unit: float  # points per box unit

    def x(self, x: float) -> float:
        return self.left + x * self.unit

    def y(self, y: float) -> float:
        return self.top - y * self.unit


def draw_page(
    canvas: PdfCanvas,
    graph: OrgGraph,
    layout: Layout,
    *,
    size: tuple[float, float],
    area: tuple[float, float, float, float],
    scale: tuple[float, float],
    words: PageText,
    number: int,
    extra: Mapping[str, list[str]],
    stubs: Collection[Any],
    marks: ChartMarks,
) -> PdfPage:
    """Draw one paper page.

    Args:
        canvas: The document.
        graph: The org.
        layout: Where the boxes go (box units, y down).
        size: Page (width, height), inches.
        area: (left, bottom, width, height) of the drawing area, inches.
        scale: (inches per box unit, box font size in points).
        words: Heading, subtitle, footer, removed units.
        number: Page number.
        extra: Unit -> extra lines in its box (dotted stubs, "continued on page N").
        stubs: (manager, report) dotted lines drawn as stubs (see
            :func:`ccosim.charting.draw.dotted_stubs`).
        marks: Extra box lines, span flags and highlights.

    Returns:
        The page.
    """
    width, height = size
    left, bottom, _, area_h = area
    inch, fontsize = scale
    margin = 0.1  # box units around the drawing, as on the matplotlib page
    page = canvas.page(width * POINTS, height * POINTS)
    frame = _Frame(
        (left + margin * inch) * POINTS, (bottom + area_h - margin * inch) * POINTS, inch * POINTS
    )
    regular, bold = canvas.font(), canvas.font(bold=True)
    _draw_edges(page, layout, frame, stubs, marks.dotted)
    functions = _draw_boxes(page, graph, layout, frame, marks)
    _draw_texts(page, graph, layout, frame, (regular, fontsize), extra, marks)
    line = (width - 0.8) * POINTS  # the heading and subtitle stay inside the margins
    heading = fitted(words.heading, bold, 11, line)
    _text(page, 0.4 * POINTS, (height - 0.35) * POINTS, heading, bold, 11)
    subtitle = fitted(words.subtitle, regular, 8, line)
    _text(page, 0.4 * POINTS, (height - 0.58) * POINTS, subtitle, regular, 8, "#333333")
    if words.removed and number == 1:
        removed = list(words.removed)
        note = "removed: " + "; ".join(removed[:6])
        note += f"; +{len(removed) - 6} more" if len(removed) > 6 else ""
        right = (width - 0.4) * POINTS
        _text(page, right, (height - 0.35) * POINTS, note, regular, 7, "#CC0000", "right")
    entries = legend_entries(functions, bool(marks.over), marks.highlight)
    _legend(
        page, entries, regular, (0.4 * POINTS, 0.38 * POINTS), max(1, int((width - 0.8) // 1.45))
    )
    _text(page, 0.4 * POINTS, 0.22 * POINTS, words.footer, regular, 7, "#555555")
    _text(
        page,
        (width - 0.4) * POINTS,
        0.22 * POINTS,
        f"page {number}",
        regular,
        7,
        "#555555",
        "right",
    )
    return page


def fitted(text: str, font: PdfFont, size: float, width: float) -> str:
    """``text`` cut at a word, with an ellipsis, to fit ``width`` points at ``size``."""
    if font.width(text, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and font.width(" ".join(words) + " …", size) > width:
        words.pop()
    return " ".join(words).rstrip(",;") + " …"


def _text(
    page: PdfPage,
    x: float,
    y: float,
    text: str,
    font: PdfFont,
    size: float,
    color: str = "#000000",
    align: str = "left",
) -> None:
    """One line, vertically centred on ``y`` (as matplotlib's ``va="center"``)."""
    baseline = y - (font.lp_ascent - font.lp_descent) * size / 2
    page.text(x, baseline, text, font, size, color=rgb(color), align=align)


def _rounded(x: float, y: float, w: float, h: float, r: float) -> tuple[list, list[int]]:
    """A rounded rectangle (points, y up; ``(x, y)`` its bottom left) as path vertices."""
    k = 0.5523 * r  # cubic Bézier handle of a quarter circle
    points = [
        (x + r, y),
        (x + w - r, y),
        (x + w - r + k, y),
        (x + w, y + r - k),
        (x + w, y + r),
        (x + w, y + h - r),
        (x + w, y + h - r + k),
        (x + w - r + k, y + h),
        (x + w - r, y + h),
        (x + r, y + h),
        (x + r - k, y + h),
        (x, y + h - r + k),
        (x, y + h - r),
        (x, y + r),
        (x, y + r - k),
        (x + r - k, y),
        (x + r, y),
    ]
    return points, [2, 6, 10, 14]


def _box_shape(page: PdfPage, frame: _Frame, x: float, y: float, **style: object) -> None:
    """A box's rounded outline at box-unit position (x, y), top left."""
    points, curves = _rounded(
        frame.x(x), frame.y(y + BOX_H), frame.unit, BOX_H * frame.unit, ROUNDING * frame.unit
    )
    page.path(points, closed=True, curves=curves, **style)  # type: ignore[arg-type]


def _draw_boxes(
    page: PdfPage,
    graph: OrgGraph,
    layout: Layout,
    frame: _Frame,
    marks: ChartMarks,
) -> dict[str, None]:
    """Shadows, boxes and function bars, in matplotlib's z-order."""
    over, highlight = marks.over, marks.highlight
    functions: dict[str, None] = {}
    boxes = layout.boxes.items()
    for _, box in boxes:  # z 2: the shadow of a collapsed box
        if box.collapsed:
            color = function_color(graph.units[box.unit].function.value)
            _box_shape(
                page, frame, box.x + 0.04, box.y + 0.04,
                fill=(1.0, 1.0, 1.0), stroke=rgb(color), width=0.8,
            )  # fmt: skip
    for unit_id, box in boxes:  # z 3: the box
        unit = graph.units[unit_id]
        color = function_color(unit.function.value)
        functions[unit.function.value] = None
        edge = HIGHLIGHT_COLORS.get(highlight.get(unit_id, ""), color)
        width = 2.6 if unit_id in highlight else 1.2
        if unit_id in over and unit_id not in highlight:
            edge, width = "#CC0000", 2.4
        dashed = unit.vacant or unit.open_headcount > 0
        _box_shape(
            page, frame, box.x, box.y,
            fill=tint(color, 0.72 if not unit.vacant else 0.9), stroke=rgb(edge), width=width,
            dash=[d * width for d in DASHED] if dashed else (),
        )  # fmt: skip
    for unit_id, box in boxes:  # z 4: the function's colour bar
        x, y = frame.x(box.x), frame.y(box.y + BOX_H)
        w, h = 0.06 * frame.unit, BOX_H * frame.unit
        color = rgb(function_color(graph.units[unit_id].function.value))
        page.path([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], fill=color, closed=True)
    return functions


def _draw_edges(
    page: PdfPage,
    layout: Layout,
    frame: _Frame,
    stubs: Collection[Any],
    dotted_lines: Collection[tuple[str, str]],
) -> None:
    """Solid reporting lines (z 1), then dotted lines and stub ticks (z 2)."""
    solid, dotted = edge_lines(layout, dotted_lines, stubs)
    grey, dots = rgb(EDGE_GREY), rgb(DOTTED_GREY)
    for line in solid:
        page.path([(frame.x(x), frame.y(y)) for x, y in line], stroke=grey, width=0.8)
    for line in dotted:
        page.path([(frame.x(x), frame.y(y)) for x, y in line], stroke=dots, width=1.0, dash=DOTTED)


def _draw_texts(
    page: PdfPage,
    graph: OrgGraph,
    layout: Layout,
    frame: _Frame,
    font_size: tuple[PdfFont, float],
    extra: Mapping[str, list[str]],
    marks: ChartMarks,
) -> None:
    """Each box's lines, centred in the box; the span flag above a box over its limit."""
    font, fontsize = font_size
    show, over = marks.show, marks.over
    # matplotlib 3.11's fixed line spacing: each line is LINESPACING x (typographic ascent +
    # descent) tall, its baseline centred by those metrics within it.
    ascent, descent = font.typo_ascent * fontsize, font.typo_descent * fontsize
    step = LINESPACING * (ascent + descent)
    for unit_id, box in layout.boxes.items():
        lines = box_text(graph, unit_id, show, box.collapsed, extra.get(unit_id, [])).split("\n")
        x = frame.x(box.x + 0.53)
        top = frame.y(box.y + BOX_H / 2) + step * len(lines) / 2
        baseline = top - (step + ascent - descent) / 2
        for line in lines:
            page.text(x, baseline, line, font, fontsize, align="center")
            baseline -= step
        if unit_id in over:
            size = max(fontsize * 0.8, 6.0)
            flag = f"span {head_count(graph.span(unit_id))} > {graph.span_limit(unit_id)}"
            page.text(
                frame.x(box.x + 1),
                frame.y(box.y - 0.02) + font.lp_descent * size,
                flag,
                font,
                size,
                color=rgb("#CC0000"),
                align="right",
            )


def _legend(
    page: PdfPage,
    entries: list[LegendEntry],
    font: PdfFont,
    anchor: tuple[float, float],
    columns: int,
) -> None:
    """Matplotlib's legend at ``loc="lower left"`` of ``anchor``: columns filled in turn."""
    size = 6.5
    em = size
    row_h = (font.lp_ascent + font.lp_descent) * size
    groups = [list(g) for g in np.array_split(np.arange(len(entries)), columns) if len(g)]
    rows = max(len(g) for g in groups)
    pad, gap = 0.4 * em, 0.5 * em
    x = anchor[0] + 0.5 * em + pad
    top = anchor[1] + 0.5 * em + pad + rows * row_h + (rows - 1) * gap
    handle_w, handle_h = 1.6 * em, 0.7 * em
    for group in groups:
        widths = []
        for row, index in enumerate(group):
            entry = entries[index]
            middle = top - row * (row_h + gap) - row_h / 2
            _handle(page, entry, x, middle, handle_w, handle_h)
            text_x = x + handle_w + 0.8 * em
            _text(page, text_x, middle, entry.label, font, size)
            widths.append(handle_w + 0.8 * em + font.width(entry.label, size))
        x += max(widths) + 1.0 * em


def _handle(page: PdfPage, entry: LegendEntry, x: float, middle: float, w: float, h: float) -> None:
    """A legend swatch or line sample."""
    pattern = {"dashed": DASHED, "dotted": DOTTED}.get(entry.dash, ())
    dash = [d * entry.width for d in pattern]
    if entry.kind == "line":
        page.path(
            [(x, middle), (x + w, middle)], stroke=rgb(entry.edge), width=entry.width, dash=dash
        )
        return
    points = [
        (x, middle - h / 2),
        (x + w, middle - h / 2),
        (x + w, middle + h / 2),
        (x, middle + h / 2),
    ]
    page.path(
        points,
        fill=rgb(entry.face or "#FFFFFF"),
        stroke=rgb(entry.edge),
        width=entry.width,
        dash=dash,
        closed=True,
    )
