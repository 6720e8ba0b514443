"""``OrgGraph``: the reporting lines of a scenario's org as a NetworkX directed graph.

Solid lines run manager -> report in :attr:`OrgGraph.solid` (a tree rooted at the top
executive); dotted (matrix) lines are kept apart in :attr:`OrgGraph.dotted` so that they
never change spans, layers or roll-ups. A unit is a position (headcount 1) or a team whose
members all report to the unit's manager.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

import networkx as nx

from ccosim.scenario.assumptions import Assumptions
from ccosim.scenario.schema import CUSTOMER_FACING, Function, Scenario, Unit

__all__ = ["OrgGraph"]


class OrgGraph:
    """Reporting-line graph with navigation, roll-ups and distances.

    Build it with :meth:`from_scenario`. It assumes a valid org (one root, no cycles, known
    ids), which :func:`ccosim.load` guarantees.

    Attributes:
        solid: ``networkx.DiGraph`` of solid lines, edges manager -> report, node attributes
            from the unit (``title``, ``function``, ``headcount``, ``cost`` per head, ...).
        dotted: ``networkx.DiGraph`` of dotted lines, edges dotted manager -> unit.
        root: Id of the top unit.
    """

    def __init__(self, units: Sequence[Unit], assumptions: Assumptions | None = None) -> None:
        self.assumptions = assumptions or Assumptions()
        self.units: dict[str, Unit] = {u.id: u for u in units}
        self.solid = nx.DiGraph()
        self.dotted = nx.DiGraph()
        for unit in units:
            self.solid.add_node(unit.id, **self._attributes(unit))
            self.dotted.add_node(unit.id)
        for unit in units:
            if unit.reports_to is not None:
                self.solid.add_edge(unit.reports_to, unit.id)
            for boss in unit.dotted_to:
                self.dotted.add_edge(boss, unit.id)
        roots = [n for n, d in self.solid.in_degree() if d == 0]
        if len(roots) != 1 or not nx.is_arborescence(self.solid):
            raise ValueError("org is not a single tree; validate it with ccosim.load first")
        self.root: str = roots[0]

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> OrgGraph:
        """The org of ``scenario`` at month 0 (before any timeline change)."""
        return cls(scenario.org.units, scenario.assumptions)

    def _attributes(self, unit: Unit) -> dict[str, object]:
        attrs: dict[str, object] = {
            "title": unit.title,
            "function": unit.function.value,
            "headcount": float(unit.headcount),
            "open_headcount": float(unit.headcount if unit.vacant else unit.open_headcount),
            "vacant": bool(unit.vacant),
            "cost": self.cost_per_head_of(unit),
        }
        for key in ("name", "location", "currency", "segment"):
            value = getattr(unit, key)
            if value is not None:
                attrs[key] = value
        return attrs

    # ---- navigation -----------------------------------------------------------------------

    def __len__(self) -> int:
        return self.solid.number_of_nodes()

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def __iter__(self) -> Iterator[str]:
        """Unit ids in top-down, breadth-first order."""
        return iter(self.top_down)

    @cached_property
    def top_down(self) -> list[str]:
        """Unit ids breadth-first from the root, children in file order."""
        return [self.root, *(v for _, v in nx.bfs_edges(self.solid, self.root))]

    def manager(self, unit_id: str) -> str | None:
        """The solid-line manager of ``unit_id`` (None for the root)."""
        return self.units[unit_id].reports_to

    def reports(self, unit_id: str) -> list[str]:
        """Units reporting directly (solid line) to ``unit_id``."""
        return list(self.solid.successors(unit_id))

    def subtree(self, unit_id: str) -> list[str]:
        """``unit_id`` and every unit below it."""
        return [unit_id, *nx.descendants(self.solid, unit_id)]

    def is_manager(self, unit_id: str) -> bool:
        """True if any unit reports to ``unit_id``."""
        return self.solid.out_degree(unit_id) > 0

    @cached_property
    def layer(self) -> dict[str, int]:
        """Layer of every unit: 1 for the root, 2 for its reports, and so on."""
        return {u: d + 1 for u, d in nx.shortest_path_length(self.solid, self.root).items()}

    def executive_of(self, unit_id: str) -> str:
        """The root's direct report whose subtree holds ``unit_id`` (the root for itself)."""
        return self._executives[unit_id]

    @cached_property
    def _executives(self) -> dict[str, str]:
        """Every unit's executive (see :meth:`executive_of`), in one top-down pass."""
        out = {self.root: self.root}
        for unit_id in self.top_down[1:]:
            boss = self.units[unit_id].reports_to
            out[unit_id] = unit_id if boss == self.root else out[boss]  # type: ignore[index]
        return out

    # ---- people and money -----------------------------------------------------------------

    def cost_per_head_of(self, unit: Unit) -> float:
        """Loaded annual cost per head: the unit's ``cost`` or the function's default."""
        if unit.cost is not None:
            return float(unit.cost)
        return self.assumptions.costs.loaded_cost(unit.function.value)

    def headcount(self, unit_id: str) -> float:
        """Positions in the unit (filled and open)."""
        return float(self.units[unit_id].headcount)

    def cost(self, unit_id: str) -> float:
        """Loaded annual cost of all the unit's positions."""
        unit = self.units[unit_id]
        return unit.headcount * self.cost_per_head_of(unit)

    def rollup_headcount(self, unit_id: str) -> float:
        """Headcount of ``unit_id`` and everything below it."""
        return self._rollups[unit_id][0]

    def rollup_cost(self, unit_id: str) -> float:
        """Loaded annual cost of ``unit_id`` and everything below it."""
        return self._rollups[unit_id][1]

    @cached_property
    def _rollups(self) -> dict[str, tuple[float, float]]:
        """(headcount, cost) of every unit with everything below it, in one bottom-up pass."""
        heads = {u: self.headcount(u) for u in self.top_down}
        costs = {u: self.cost(u) for u in self.top_down}
        for unit_id in reversed(self.top_down):
            boss = self.units[unit_id].reports_to
            if boss is not None:
                heads[boss] += heads[unit_id]
                costs[boss] += costs[unit_id]
        return {u: (heads[u], costs[u]) for u in self.top_down}

    def span(self, unit_id: str) -> float:
        """People reporting directly to each manager in ``unit_id``.

        The headcount of the direct-report units, shared evenly among the unit's own
        positions: a team of three engineering managers over 24 engineers has a span of 8.
        """
        reports = sum(self.headcount(u) for u in self.reports(unit_id))
        return reports / max(self.headcount(unit_id), 1.0)

    def span_limit(self, unit_id: str) -> int:
        """The span this manager handles well: its own ``span_limit`` or the assumption."""
        own = self.units[unit_id].span_limit
        if own is not None:
            return own
        policy = self.assumptions.span
        return policy.ceo_limit if unit_id == self.root else policy.limit

    def over_span(self) -> list[str]:
        """Managers whose span exceeds their limit, top-down."""
        return [
            u for u in self.top_down if self.is_manager(u) and self.span(u) > self.span_limit(u)
        ]

    # ---- functions and distances ----------------------------------------------------------

    def units_of(self, function: Function | str) -> list[str]:
        """Units doing ``function``, top-down."""
        value = Function(function).value
        return [u for u in self.top_down if self.units[u].function.value == value]

    def executive_owners(self, function: Function | str) -> dict[str, float]:
        """Executives (root's direct reports) owning ``function``, with the headcount each owns."""
        owners: dict[str, float] = {}
        for unit_id in self.units_of(function):
            owner = self.executive_of(unit_id)
            owners[owner] = owners.get(owner, 0.0) + self.headcount(unit_id)
        return owners

    def distance(self, a: str, b: str) -> int:
        """Reporting hops between two units through their lowest common manager."""
        if a == b:
            return 0
        ancestors_a = {a: 0}
        node, hops = a, 0
        while (parent := self.units[node].reports_to) is not None:
            hops += 1
            ancestors_a[parent] = hops
            node = parent
        node, hops = b, 0
        while node not in ancestors_a:
            node = self.units[node].reports_to  # type: ignore[assignment]
            hops += 1
        return hops + ancestors_a[node]

    def function_distance(self, a: Function | str, b: Function | str) -> int | None:
        """Fewest hops between any unit of function ``a`` and any of ``b``; None if one is absent.

        Two teams of one function that sit apart still count as close when any pair of
        their units is close: the engine treats the nearest hand-off path as the one used.
        Computed on the tree in time linear in the org's size (no unit pairs).
        """
        units_b = self.units_of(b)
        if not units_b or not self.units_of(a):
            return None
        nearest = self.nearest(a)
        return min(nearest[u] for u in units_b)

    def nearest(self, function: Function | str) -> dict[str, int]:
        """Reporting hops from every unit to the nearest unit doing ``function``.

        Two iterative passes over the tree (no recursion, so a chain of any depth works):
        bottom-up, the hops down to the nearest such unit below; top-down, the shorter of
        that and one hop more than the manager's. A path through the lowest common manager
        is the tree's only path, so this is the :meth:`distance` to the nearest unit.
        Units are all at infinite distance (a large number) when no unit does ``function``.
        """
        value = Function(function).value
        far = len(self.top_down) + 1
        hops = {u: 0 if self.units[u].function.value == value else far for u in self.top_down}
        for unit_id in reversed(self.top_down):
            boss = self.units[unit_id].reports_to
            if boss is not None and hops[unit_id] + 1 < hops[boss]:
                hops[boss] = hops[unit_id] + 1
        for unit_id in self.top_down[1:]:
            boss = self.units[unit_id].reports_to
            if hops[boss] + 1 < hops[unit_id]:  # type: ignore[index]
                hops[unit_id] = hops[boss] + 1  # type: ignore[index]
        return hops

    def handoff_distances(
        self, functions: Iterable[Function] = CUSTOMER_FACING
    ) -> dict[tuple[str, str], int | None]:
        """Distance between every pair of the given functions (each unordered pair once)."""
        fs = [Function(f) for f in functions]
        members = {f: self.units_of(f) for f in fs}
        nearest = {f: self.nearest(f) for f in fs if members[f]}
        out: dict[tuple[str, str], int | None] = {}
        for i, a in enumerate(fs):
            for b in fs[i + 1 :]:
                present = a in nearest and members[b]
                out[(a.value, b.value)] = (
                    min(nearest[a][u] for u in members[b]) if present else None
                )
        return out

    def with_units(self, units: Sequence[Unit]) -> OrgGraph:
        """A new graph over ``units`` with the same assumptions (for timeline changes)."""
        return OrgGraph(units, self.assumptions)
