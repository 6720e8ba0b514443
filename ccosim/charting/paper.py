"""Org charts on paper: A4, US Letter or A3 pages at a legible type size.

A chart of a large org does not fit a sheet of paper at a size anyone can read. This module
plans pages so that every page is the paper's size and no text on it is smaller than
:data:`MIN_FONT_PT` (6 pt):

* the first page is the **overview**: the top of the org, as many layers as fit;
* a manager whose team did not fit is drawn with "continued on page N", and page N draws
  that team (again as many layers as fit, and so on down);
* a team too wide for one page even one layer deep (a manager with 180 direct reports) is
  split into **parts** ("part 2 of 8"), each with the manager at the top;
* within a page, individual contributors are stacked in columns as tall as the page allows;
* small teams **share pages**: a page left under a third full takes the next teams that
  fit beside or below what it holds (shelf by shelf), so a 23-person org prints on one or
  two A4 pages instead of six;
* with ``depth``, a **leadership chart**: only the layers down to ``depth`` below the top,
  each box cut there showing how many people are below it ("+ 40 below").

The drawing is the ordinary org chart (:func:`ccosim.charting.draw.draw_org`) scaled to
the page: box text is 7 pt at full size and the scale never goes below 6/7, so box text is
never under 6 pt; titles, legends and footers are larger.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ccosim.charting.draw import dotted_stubs
from ccosim.charting.paper_draw import ChartMarks, PageText, draw_page
from ccosim.charting.pdf_canvas import PdfCanvas
from ccosim.charting.tidy_layout import (
    BOX_H,
    H_GAP,
    LEVEL_GAP,
    STACK_GAP,
    Layout,
    Placed,
    tidy_layout,
)
from ccosim.errors import CcosimError
from ccosim.org.graph import OrgGraph
from ccosim.org.people import unit_label

__all__ = [
    "BASE_FONT_PT",
    "MIN_FONT_PT",
    "PAPER_SIZES",
    "Page",
    "Paper",
    "plan_pages",
    "save_paper_pdf",
]

#: Paper sizes, portrait, in inches (ISO 216 A4 and A3; US Letter).
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "a4": (210 / 25.4, 297 / 25.4),
    "letter": (8.5, 11.0),
    "a3": (297 / 25.4, 420 / 25.4),
}
#: Smallest type on any page (points).
MIN_FONT_PT = 6.0
#: Box text at full size (points), the size of the ordinary chart.
BASE_FONT_PT = 7.0
INCH_PER_BOX = 1.35  # a box 1.35 in wide at 7 pt, 1.16 in at 6 pt: 22 characters still fit
MARGIN = 0.1  # box units around the drawing (the page has its own margins)
BLOCK_GAP = 2 * H_GAP  # between teams sharing a page, side by side
SHELF_GAP = 1.5 * LEVEL_GAP  # between rows of teams sharing a page
#: Pages a team may be packed back onto (the latest ones): keeps packing linear in pages.
PACK_LOOKBACK = 8


#: ``progress(stage, done, total)``: the stage ("Laying out pages", "Drawing pages"), what
#: is done of it (units placed, pages drawn) and its total.
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Paper:
    """A sheet and the area left for the drawing.

    Attributes:
        name: ``a4``, ``letter`` or ``a3``.
        landscape: Whether the sheet is turned.
    """

    name: str
    landscape: bool = False

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) in inches."""
        try:
            w, h = PAPER_SIZES[self.name]
        except KeyError:
            raise CcosimError(
                f"unknown paper {self.name!r}; use {', '.join(PAPER_SIZES)}"
            ) from None
        return (h, w) if self.landscape else (w, h)

    # Reserved: 0.4 in side margins; 0.75 in on top (title); 1.15 in below (legend, footer).
    @property
    def area(self) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) of the drawing area, in inches."""
        w, h = self.size
        return 0.4, 1.15, w - 0.8, h - 0.75 - 1.15

    def capacity(self, scale: float = MIN_FONT_PT / BASE_FONT_PT) -> tuple[float, float]:
        """Largest drawing (width, height, in box units) that fits at ``scale``."""
        _, _, w, h = self.area
        inch = INCH_PER_BOX * scale
        return w / inch - 2 * MARGIN, h / inch - 2 * MARGIN

    def max_stack(self) -> int:
        """Individual contributors per column that fit under a manager on one page."""
        _, height = self.capacity()
        rows = int((height - BOX_H - LEVEL_GAP + STACK_GAP) // (BOX_H + STACK_GAP))
        return max(1, min(12, rows))

    def scale_for(self, layout: Layout) -> float:
        """The scale at which ``layout`` fills the area (at most 1: full size)."""
        _, _, w, h = self.area
        need_w = (layout.width + 2 * MARGIN) * INCH_PER_BOX
        need_h = (layout.height + 2 * MARGIN) * INCH_PER_BOX
        return min(1.0, w / need_w, h / need_h)

    def fits(self, layout: Layout) -> bool:
        """Whether ``layout`` fits at the minimum type size."""
        return self.scale_for(layout) >= MIN_FONT_PT / BASE_FONT_PT - 1e-9

    def box_capacity(self) -> int:
        """Boxes a page holds at the minimum type size, a grid at the tree's spacing.

        Columns of boxes side by side times layers of boxes one below the other: the
        yardstick of "a page under a third full".
        """
        width, height = self.capacity()
        columns = int((width + H_GAP) // (1 + H_GAP))
        layers = int((height + LEVEL_GAP) // (BOX_H + LEVEL_GAP))
        return max(1, columns * layers)


@dataclass
class Page:
    """One page of the plan.

    Attributes:
        root: The unit at the top of the page.
        depth: None when everything below ``root`` is drawn; 1 when some teams continue on
            other pages.
        reports: The part of ``root``'s direct reports drawn (None: all).
        part: (part, parts) when ``root``'s team is split across pages.
        number: Page number (1-based).
        layout: Where the boxes go.
        blocks: Tops of the teams the page holds (``root`` first; more when small teams
            share the page).
    """

    root: str
    depth: int | None
    reports: list[str] | None = None
    part: tuple[int, int] | None = None
    number: int = 0
    layout: Layout = field(default_factory=Layout)
    blocks: list[str] = field(default_factory=list)


def _part_graph(graph: OrgGraph, root: str, reports: Collection[str] | None) -> OrgGraph:
    """The subtree under ``root``, keeping only ``reports`` of its direct reports."""
    keep = list(graph.reports(root)) if reports is None else list(reports)
    return _induced(graph, root, [root, *(u for r in keep for u in graph.subtree(r))])


def _induced(graph: OrgGraph, root: str, members: list[str]) -> OrgGraph:
    """The org of ``members`` alone, ``root`` at its top; dotted lines leaving it dropped."""
    inside = set(members)
    units = []
    for unit_id in members:
        unit = graph.units[unit_id]
        update: dict[str, object] = {"dotted_to": [d for d in unit.dotted_to if d in inside]}
        if unit_id == root:
            update["reports_to"] = None
        units.append(unit.model_copy(update=update))
    return OrgGraph(units, graph.assumptions)


def plan_pages(
    graph: OrgGraph,
    paper: Paper,
    root: str | None = None,
    *,
    depth: int | None = None,
    pack: bool = True,
    progress: ProgressCallback | None = None,
) -> list[Page]:
    """Pages that draw every unit under ``root`` (the whole org by default) on ``paper``.

    Each page starts from its top unit with its direct reports, then expands the collapsed
    managers on it one by one (a whole team where it fits, else one layer) while the page
    still fits; the managers left collapsed continue on pages of their own. Then small
    teams share pages (see :func:`pack_pages`).

    Args:
        graph: The org.
        paper: Paper size and orientation.
        root: Top of the drawing (the whole org by default).
        depth: Draw only this many layers below the top (a leadership chart); the boxes
            cut there are marked collapsed and continue on no page.
        pack: Let small teams share pages.
        progress: Called with ("Laying out pages", units placed, units to place) as pages
            are planned.

    Returns:
        The pages in order, numbered; the first is the overview.
    """
    top = root or graph.root
    plan_graph, cut = (graph, set()) if depth is None else _cut_graph(graph, top, depth)
    planner = _Planner(plan_graph, paper, paper.max_stack(), progress=progress)
    planner.total = len(plan_graph.subtree(top)) if progress is not None else 0
    planner.plan(top)
    pages = pack_pages(planner.pages, paper) if pack else planner.pages
    for number, page in enumerate(pages, start=1):
        page.number = number
        page.blocks = page.blocks or [page.root]
        for unit in cut & set(page.layout.boxes):
            page.layout.boxes[unit].collapsed = True
    return pages


def _cut_graph(graph: OrgGraph, top: str, depth: int) -> tuple[OrgGraph, set[str]]:
    """The units down to ``depth`` layers below ``top``, and those cut with people below."""
    keep = [top]
    frontier = [top]
    for _ in range(depth):
        frontier = [r for u in frontier for r in graph.reports(u)]
        keep += frontier
    cut = {u for u in frontier if graph.is_manager(u)}
    return _induced(graph, top, keep), cut


@dataclass
class _Sheet:
    """A printed page being filled with teams, shelf by shelf (left to right, then down)."""

    width: float
    height: float
    pages: list[tuple[Page, float, float]] = field(default_factory=list)
    shelf_y: float = 0.0
    shelf_h: float = 0.0
    shelf_x: float = 0.0
    closed: bool = False

    def add(self, page: Page) -> bool:
        """Place ``page``'s drawing on the sheet if it fits; False if it does not."""
        w, h = page.layout.width, page.layout.height
        if not self.pages:
            self.pages.append((page, 0.0, 0.0))
            self.shelf_x, self.shelf_h = w, h
            return True
        if self.closed:
            return False
        x = self.shelf_x + BLOCK_GAP
        if x + w <= self.width and self.shelf_y + h <= self.height:
            self.pages.append((page, x, self.shelf_y))
            self.shelf_x, self.shelf_h = x + w, max(self.shelf_h, h)
            return True
        y = self.shelf_y + self.shelf_h + SHELF_GAP
        if w <= self.width and y + h <= self.height:
            self.pages.append((page, 0.0, y))
            self.shelf_y, self.shelf_x, self.shelf_h = y, w, h
            return True
        return False

    def boxes(self) -> int:
        """Boxes on the sheet so far."""
        return sum(len(p.layout.boxes) for p, _, _ in self.pages)

    def page(self) -> Page:
        """The sheet as one page: the first team's page with every team's boxes."""
        first = self.pages[0][0]
        if len(self.pages) == 1:
            return first
        layout = Layout()
        for page, dx, dy in self.pages:
            for unit, box in page.layout.boxes.items():
                layout.boxes[unit] = Placed(
                    unit, box.x + dx, box.y + dy, box.stacked, box.collapsed
                )
            layout.edges += page.layout.edges
            layout.width = max(layout.width, dx + page.layout.width)
            layout.height = max(layout.height, dy + page.layout.height)
        return Page(
            first.root,
            first.depth,
            first.reports,
            first.part,
            layout=layout,
            blocks=[p.root for p, _, _ in self.pages],
        )


def pack_pages(pages: list[Page], paper: Paper) -> list[Page]:
    """Let teams share pages: a team goes onto an earlier page wherever it still fits.

    Pages are taken in order; each goes onto the latest of the last :data:`PACK_LOOKBACK`
    pages that has room for it (beside the teams there, or on a new shelf below), else
    starts a page of its own. A page is left under a third of :meth:`Paper.box_capacity`
    only when the team after it is too large to join it. Parts of a split team keep their
    own pages.
    """
    width, height = paper.capacity()
    sheets: list[_Sheet] = []
    sheet_of: dict[str, int] = {}  # unit -> sheet it is drawn on
    for page in pages:
        # Only after the sheet with the team's collapsed box: a team continues on a later
        # page, and no page draws a unit twice.
        earliest = max(len(sheets) - PACK_LOOKBACK, sheet_of.get(page.root, -1) + 1)
        index = None
        if page.part is None:
            index = next(
                (i for i in range(len(sheets) - 1, earliest - 1, -1) if sheets[i].add(page)),
                None,
            )
        if index is None:
            sheets.append(_Sheet(width, height, closed=page.part is not None))
            sheets[-1].add(page)
            index = len(sheets) - 1
        for unit in page.layout.boxes:
            sheet_of.setdefault(unit, index)
    return [sheet.page() for sheet in sheets]


@dataclass
class _Planner:
    """The pages planned so far, and how to lay out a page's drawing."""

    graph: OrgGraph
    paper: Paper
    stack_rows: int
    pages: list[Page] = field(default_factory=list)
    progress: ProgressCallback | None = None
    placed: set[str] = field(default_factory=set)
    total: int = 0

    def add(self, page: Page) -> None:
        """Plan ``page``; report the units placed so far."""
        self.pages.append(page)
        if self.progress is not None:
            self.placed.update(page.layout.boxes)
            self.progress("Laying out pages", len(self.placed), self.total)

    def layout(
        self,
        unit: str,
        expand: Collection[str] | None,
        reports: Collection[str] | None = None,
        stacked: bool = False,
    ) -> Layout:
        """The drawing under ``unit`` (only ``reports`` of its team, if given)."""
        part = self.graph if reports is None else _part_graph(self.graph, unit, reports)
        return tidy_layout(
            part, unit, max_stack=self.stack_rows, stack_collapsed=stacked, expand=expand
        )

    @cached_property
    def levels_below(self) -> dict[str, int]:
        """Layers below each unit down to its deepest report (0 for a unit with none)."""
        below = dict.fromkeys(self.graph.top_down, 0)
        for unit in reversed(self.graph.top_down):
            boss = self.graph.units[unit].reports_to
            if boss is not None and boss in below:
                below[boss] = max(below[boss], below[unit] + 1)
        return below

    def too_deep(self, levels: int) -> bool:
        """Whether a drawing ``levels`` layers deep cannot fit, whatever its width.

        Each layer puts a box at least ``BOX_H + LEVEL_GAP`` below its manager's, so such a
        drawing is at least that tall: a layout that would fail :meth:`Paper.fits` anyway is
        skipped (on a chain thousands deep, laying out the rest of the chain for every page
        was quadratic).
        """
        _, height = self.paper.capacity()
        return BOX_H + levels * (BOX_H + LEVEL_GAP) > height + 1e-6

    def grow(self, unit: str, stacked: bool) -> tuple[set[str], Layout]:
        """Expand collapsed managers (whole teams first, else one layer) while it fits."""
        graph = self.graph
        expanded = {unit}
        best = self.layout(unit, expanded, None, stacked)
        changed = True
        layer = graph.layer
        while changed:
            changed = False
            frontier = [
                b.unit for b in sorted(best.boxes.values(), key=lambda b: (b.y, b.x)) if b.collapsed
            ]
            for manager in frontier:
                depth = layer[manager] - layer[unit] + self.levels_below[manager]
                attempts = [expanded | {manager}]
                if not self.too_deep(depth):
                    team = {u for u in graph.subtree(manager) if graph.is_manager(u)}
                    attempts.insert(0, expanded | team)
                for attempt in attempts:
                    trial = self.layout(unit, attempt, None, stacked)
                    if self.paper.fits(trial):
                        expanded, best, changed = attempt, trial, True
                        break
        return expanded, best

    def plan(self, unit: str) -> None:
        """Pages for ``unit`` and everything below it, depth first (iterative: any depth)."""
        pending = [unit]
        while pending:
            pending.extend(reversed(self.plan_one(pending.pop())))

    def plan_one(self, unit: str) -> list[str]:
        """Pages for ``unit``: whole, one layer and more, or parts; returns the teams left."""
        if not self.too_deep(self.levels_below[unit]):
            whole = self.layout(unit, None)
            if self.paper.fits(whole):
                self.add(Page(unit, None, layout=whole))
                return []
        for stacked in (False, True):
            if self.paper.fits(self.layout(unit, {unit}, None, stacked)):
                _, best = self.grow(unit, stacked)
                self.add(Page(unit, 1, layout=best))
                boxes = sorted(best.boxes.values(), key=lambda b: (b.x, b.y))
                return [box.unit for box in boxes if box.collapsed]
        return self.plan_parts(unit)

    def plan_parts(self, unit: str) -> list[str]:
        """A team too wide even one layer deep: parts, one page each; returns the teams left."""
        reports = self.graph.reports(unit)
        whole_ok = [r for r in reports if self.paper.fits(self.layout(unit, None, [r]))]
        too_big = [r for r in reports if r not in whole_ok]
        parts: list[tuple[list[str], Collection[str] | None]] = []
        for group, expand in ((whole_ok, None), (too_big, {unit})):
            current: list[str] = []
            for report in group:
                if current and not self.paper.fits(self.layout(unit, expand, [*current, report])):
                    parts.append((current, expand))
                    current = []
                current.append(report)
            if current:
                parts.append((current, expand))
        for index, (members, expand) in enumerate(parts, start=1):
            self.add(
                Page(
                    unit,
                    None if expand is None else 1,
                    reports=members,
                    part=(index, len(parts)),
                    layout=self.layout(unit, expand, members),
                )
            )
        return too_big


class _Elsewhere(Mapping[str, int]):
    """Unit -> the page it is drawn on, for the units not drawn on page ``number``.

    A view, not a copy: a page looks up only the far ends of its dotted lines, and copying
    every unit's page for each of thousands of pages was quadratic.
    """

    def __init__(self, drawn_on: Mapping[str, int], number: int) -> None:
        self._drawn_on, self._number = drawn_on, number

    def __getitem__(self, unit: str) -> int:
        page = self._drawn_on[unit]
        if page == self._number:
            raise KeyError(unit)
        return page

    def __iter__(self) -> Iterator[str]:
        return (u for u, n in self._drawn_on.items() if n != self._number)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def save_paper_pdf(
    graph: OrgGraph,
    path: str | Path,
    paper: Paper,
    *,
    root: str | None = None,
    title: str = "",
    show: Collection[str] = (),
    highlight: Mapping[str, str] | None = None,
    removed: Collection[str] = (),
    depth: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[str]:
    """Write the org (or the subtree under ``root``) as a PDF of ``paper`` pages.

    Args:
        graph: The org.
        path: The PDF file.
        paper: Paper size and orientation.
        root: Top of the drawing (the whole org by default).
        title: The chart's title, at the top of every page.
        show: Extra lines per box (see :func:`ccosim.charting.org_chart.chart_figure`).
        highlight: Unit id -> ``added``, ``moved`` or ``changed`` (org diffs).
        removed: Units removed (org diffs), listed on the first page.
        depth: Only this many layers below the top (a leadership chart; boxes cut there
            show the people below them).
        progress: Called as units are laid out and as pages are drawn (see
            :data:`ProgressCallback`).

    Returns:
        One line per page saying what it shows.
    """
    report = progress or (lambda stage, done, total: None)
    pages = plan_pages(graph, paper, root, depth=depth, progress=report)
    first: dict[str, int] = {}
    drawn_on: dict[str, int] = {}
    for page in pages:
        for block in page.blocks:
            first.setdefault(block, page.number)
        for unit in page.layout.boxes:
            drawn_on.setdefault(unit, page.number)
    # A collapsed box continues on the first page that has it at the top.
    continued = {u: n for u, n in first.items() if u != (root or graph.root) or n != 1}
    total = len(pages)
    size = f"{paper.name.upper() if paper.name != 'letter' else 'US Letter'}"
    size += " landscape" if paper.landscape else ""
    footer = f"{size}; smallest type {MIN_FONT_PT:g} pt; {total} page{'s' if total > 1 else ''}"
    if depth is not None:
        layers = f"{depth} layer{'s' if depth != 1 else ''}"
        footer = f"leadership chart, {layers} below the top ('+ N below': not drawn); {footer}"
    canvas = PdfCanvas()
    marks = ChartMarks(
        tuple(show), set(graph.over_span()), dict(highlight or {}), list(graph.dotted.edges())
    )
    lines = []
    for page in pages:
        what = _page_title(graph, page, depth)
        words = PageText(
            title or "Org chart",
            what + _back_references(graph, page, first, drawn_on),
            footer,
            tuple(removed),
        )
        _draw(canvas, graph, page, paper, words, continued, drawn_on, marks)
        lines.append(f"page {page.number}: {what}")
        report("Drawing pages", page.number, total)
    canvas.save(path)
    return lines


def _draw(
    canvas: PdfCanvas,
    graph: OrgGraph,
    page: Page,
    paper: Paper,
    words: PageText,
    continued: Mapping[str, int],
    drawn_on: Mapping[str, int],
    marks: ChartMarks,
) -> None:
    """One page: its boxes' extra lines ("continued on page N", dotted stubs), then drawn."""
    boxes = page.layout.boxes
    blocks = set(page.blocks)
    stubs = dotted_stubs(graph, page.layout, _Elsewhere(drawn_on, page.number), marks.dotted)
    extra = {}
    for unit in boxes:
        lines = list(stubs.get(unit, []))
        if unit in continued and unit not in blocks:
            lines.append(f"continued on page {continued[unit]}")
        if lines:
            extra[unit] = lines
    scale = paper.scale_for(page.layout)
    draw_page(
        canvas,
        graph,
        page.layout,
        size=paper.size,
        area=paper.area,
        scale=(INCH_PER_BOX * scale, BASE_FONT_PT * scale),
        words=words,
        number=page.number,
        extra=extra,
        stubs=[key for key in stubs if isinstance(key, tuple)],
        marks=marks,
    )


def _page_title(graph: OrgGraph, page: Page, depth: int | None) -> str:
    """What a page shows: the overview, a team (part k of n), or the teams sharing it."""
    label = unit_label(graph.units[page.root])
    if page.number == 1:
        what = "overview" if page.depth is not None or page.part else "the whole org"
        if depth is not None:
            what = "leadership chart"
        if page.root != graph.root:
            what = f"{label} and team"
    else:
        what = f"team of {label}"
    if page.part:
        what += f", part {page.part[0]} of {page.part[1]}"
    if len(page.blocks) > 1:
        # Teams sharing a page: named by the person (the title for an open position).
        names = [graph.units[b].name or graph.units[b].title for b in page.blocks]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        what = ("" if page.number > 1 else f"{what}; ") + f"teams of {shown}"
    if depth is None and any(box.collapsed for box in page.layout.boxes.values()):
        what += " (some teams continue on later pages)"
    return what


def _back_references(
    graph: OrgGraph, page: Page, first: Mapping[str, int], drawn_on: Mapping[str, int]
) -> str:
    """`` — reports to page N`` for the teams on a page whose manager is on another page."""
    pages = []
    for block in page.blocks:
        manager = graph.units[block].reports_to or ""
        back = first.get(manager) or drawn_on.get(manager)
        if back and back != page.number and back not in pages:
            pages.append(back)
    if not pages or page.number == 1:
        return ""
    return " — reports to page " + ", ".join(str(n) for n in pages)
