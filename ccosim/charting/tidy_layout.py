"""Tidy layout of a reporting tree, with individual contributors stacked under their manager.

NetworkX has no tree layout that keeps managers centred over their reports, so this module
places the boxes itself, bottom-up:

* a unit's **leaf reports** (positions and teams with no reports of their own) are stacked
  in columns of at most ``max_stack`` boxes directly below it, instead of spreading out
  side by side; this is what keeps wide orgs legible (a 600-unit org goes from an aspect
  ratio near 125 to about 10, see tests);
* its **manager reports** are laid out side by side to the right of that stack, each in a
  band as wide as its own subtree, so no two subtrees overlap;
* every manager is centred over the span of its reports.

This is the classic subtree-width tidy tree (each subtree occupies its own vertical band)
rather than Walker's contour-packing variant: it wastes a little width when neighbouring
subtrees differ in depth, and in exchange is simple, linear-time and overlap-free by
construction. Coordinates are in box units: a box is 1 wide, ``BOX_H`` tall.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ccosim.org.graph import OrgGraph

__all__ = ["BOX_H", "Layout", "Placed", "tidy_layout"]

BOX_H = 0.62
H_GAP = 0.22
LEVEL_GAP = 0.55
STACK_GAP = 0.14
STACK_INDENT = 0.18


@dataclass
class Placed:
    """A box: its unit, position (top-left corner), and how it hangs off its manager."""

    unit: str
    x: float
    y: float
    stacked: bool = False
    collapsed: bool = False


@dataclass
class Layout:
    """Placed boxes and the bounding box of the drawing."""

    boxes: dict[str, Placed] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0
    edges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def aspect_ratio(self) -> float:
        """Width over height of the drawing."""
        return self.width / self.height if self.height else float("inf")


def tidy_layout(
    graph: OrgGraph,
    root: str | None = None,
    *,
    depth: int | None = None,
    max_stack: int = 12,
    stack: bool = True,
    stack_collapsed: bool = False,
    expand: Collection[str] | None = None,
) -> Layout:
    """Lay out the subtree under ``root`` (the whole org by default).

    Args:
        graph: The org.
        root: Unit at the top of the drawing.
        depth: Layers to draw below ``root`` (0 draws only the root); deeper units are
            collapsed into their ancestor at that depth, shown as "collapsed".
        max_stack: Most leaf boxes stacked in one column.
        stack: False lays leaf reports side by side like everyone else (for comparison).
        stack_collapsed: Stack the managers collapsed by ``depth`` (or ``expand``) like
            individual contributors (a narrow overview: the executives in a column).
        expand: If given, the managers whose reports are drawn (instead of ``depth``); every
            other manager is collapsed ("+ N below").

    Returns:
        The :class:`Layout`.
    """
    top = root or graph.root
    tidy = _Tidy(graph, depth, max_stack, stack, stack_collapsed, expand)
    # Bottom-up: the width of each subtree's band.
    for unit, level in _postorder(graph, top, tidy.children):
        leaves, managers = tidy.split(unit, level)
        tidy.widths[unit] = max(1.0, tidy.inner_width(leaves, managers))
    # Top-down: place each band, then centre each manager over what hangs below it.
    layout = tidy.layout
    layout.height = tidy.place(top, 0, 0.0, 0.0)
    layout.width = tidy.widths[top]
    xs = [b.x for b in layout.boxes.values()]
    shift = -min(xs) if xs and min(xs) < 0 else 0.0
    for box in layout.boxes.values():
        box.x += shift
    layout.width = max(b.x for b in layout.boxes.values()) + 1
    return layout


@dataclass
class _Tidy:
    """The rules of one :func:`tidy_layout` call and the layout it is filling in."""

    graph: OrgGraph
    depth: int | None
    max_stack: int
    stack: bool
    stack_collapsed: bool
    expand: Collection[str] | None
    widths: dict[str, float] = field(default_factory=dict)
    layout: Layout = field(default_factory=Layout)

    def children(self, unit: str, level: int) -> list[str]:
        """The reports of ``unit`` that are drawn (none when it is collapsed)."""
        if self.expand is not None:
            return self.graph.reports(unit) if unit in self.expand else []
        if self.depth is not None and level >= self.depth:
            return []
        return self.graph.reports(unit)

    def is_leaf(self, unit: str, level: int) -> bool:
        """Whether ``unit`` is stacked in a column under its manager."""
        # Only true individual contributors and teams stack; a manager collapsed by
        # ``depth`` still stands beside its peers unless ``stack_collapsed``.
        if self.stack_collapsed and (
            (self.expand is not None and unit not in self.expand)
            or (self.expand is None and self.depth is not None and level >= self.depth)
        ):
            return self.stack
        return self.stack and not self.graph.reports(unit)

    def split(self, unit: str, level: int) -> tuple[list[str], list[str]]:
        """The drawn reports of ``unit``: (stacked leaves, managers side by side)."""
        kids = self.children(unit, level)
        leaves = [k for k in kids if self.is_leaf(k, level + 1)]
        managers = [k for k in kids if not self.is_leaf(k, level + 1)]
        return leaves, managers

    def stack_columns(self, leaves: int) -> int:
        """Columns needed to stack ``leaves`` boxes."""
        return -(-leaves // self.max_stack) if leaves else 0

    @staticmethod
    def stack_width(columns: int) -> float:
        """Width of ``columns`` stacked columns, with their indent."""
        return columns * (1 + H_GAP) - H_GAP + STACK_INDENT if columns else 0.0

    def inner_width(self, leaves: list[str], managers: list[str]) -> float:
        """Width of what hangs below a unit: its stack, then its managers' bands."""
        columns = self.stack_columns(len(leaves))
        return (
            self.stack_width(columns)
            + (H_GAP if columns and managers else 0.0)
            + sum(self.widths[m] for m in managers)
            + H_GAP * max(0, len(managers) - 1)
        )

    def place(self, top: str, level: int, left: float, y: float) -> float:
        """Place ``top``'s band from ``left``; returns the bottom of what was placed.

        Iterative (a reporting chain may be thousands of layers deep): a first pass places
        each unit's band and stacked leaves top-down, a second centres each manager over its
        reports bottom-up.
        """
        order: list[tuple[str, list[str]]] = []
        bottoms: dict[str, float] = {}
        pending = [(top, level, left, y)]
        while pending:
            unit, lvl, band_left, band_y = pending.pop()
            kids = self.children(unit, lvl)
            order.append((unit, kids))
            bottoms[unit] = self._place_band(unit, lvl, band_left, band_y, pending)
        for unit, kids in reversed(order):
            if not kids:
                continue
            bottoms[unit] = max([bottoms[unit]] + [bottoms.get(k, 0.0) for k in kids])
            boxes = [self.layout.boxes[k] for k in kids]
            left_edge = min(b.x - (STACK_INDENT if b.stacked else 0.0) for b in boxes)
            right_edge = max(b.x + 1 for b in boxes)
            self.layout.boxes[unit].x = (left_edge + right_edge) / 2 - 0.5
        return bottoms[top]

    def _place_band(
        self,
        unit: str,
        level: int,
        left: float,
        y: float,
        pending: list[tuple[str, int, float, float]],
    ) -> float:
        """Place ``unit`` and its stacked leaves; queue its managers' bands on ``pending``.

        Returns:
            The bottom of the boxes placed here (the managers' bands come later).
        """
        graph, layout = self.graph, self.layout
        kids = self.children(unit, level)
        leaves, managers = self.split(unit, level)
        layout.boxes[unit] = Placed(
            unit,
            left + (self.widths[unit] - 1) / 2,
            y,
            collapsed=bool(graph.reports(unit)) and not kids,
        )
        if not kids:
            return y + BOX_H
        columns = self.stack_columns(len(leaves))
        cursor = left + (self.widths[unit] - self.inner_width(leaves, managers)) / 2
        child_y = y + BOX_H + LEVEL_GAP
        bottom = y + BOX_H
        for index, leaf in enumerate(leaves):
            column, row = divmod(index, self.max_stack)
            leaf_y = child_y + row * (BOX_H + STACK_GAP)
            layout.boxes[leaf] = Placed(
                leaf,
                cursor + STACK_INDENT + column * (1 + H_GAP),
                leaf_y,
                stacked=True,
                collapsed=bool(graph.reports(leaf)),
            )
            layout.edges.append((unit, leaf))
            bottom = max(bottom, leaf_y + BOX_H)
        if columns:
            cursor += self.stack_width(columns) + (H_GAP if managers else 0)
        bands = []
        for manager in managers:
            layout.edges.append((unit, manager))
            bands.append((manager, level + 1, cursor, child_y))
            cursor += self.widths[manager] + H_GAP
        pending.extend(reversed(bands))
        return bottom


def _postorder(graph: OrgGraph, top: str, children) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    stack: list[tuple[str, int, bool]] = [(top, 0, False)]
    while stack:
        unit, level, expanded = stack.pop()
        if expanded:
            out.append((unit, level))
            continue
        stack.append((unit, level, True))
        for child in reversed(children(unit, level)):
            stack.append((child, level + 1, False))
    return out
