"""Org diff: what changes between an as-is org and a to-be design.

:func:`diff_orgs` compares two :class:`~ccosim.org.OrgGraph` objects unit by unit (units are
matched by id): positions added, removed, moved (new solid-line manager) and changed
(headcount, cost per head, function, title, ...), headcount and cost deltas by function and
by executive (the root's direct reports), and span and layer changes. :class:`OrgDiff` keeps
``added``, ``removed``, ``moved`` and ``changed`` as lists of entries with the unit id first,
so a chart can highlight them (``diff.added_ids``, ``diff.moved_ids``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ccosim.org.graph import OrgGraph
from ccosim.org.people import people_in, unit_label

__all__ = [
    "Change",
    "DeltaRow",
    "Move",
    "OrgDiff",
    "SpanChange",
    "UnitEntry",
    "diff_orgs",
    "format_diff",
]

#: Unit fields compared for ``changed`` (``cost`` is the loaded cost per head actually used).
COMPARED = (
    "title",
    "name",
    "function",
    "headcount",
    "open_headcount",
    "vacant",
    "cost",
    "location",
    "segment",
    "dotted_to",
)


@dataclass(frozen=True)
class UnitEntry:
    """A unit added or removed, with what it brings or takes away."""

    id: str
    title: str
    function: str
    reports_to: str | None
    headcount: float
    cost: float
    name: str | None = None
    open_headcount: float = 0.0
    reports_to_name: str = "-"


@dataclass(frozen=True)
class Move:
    """A unit with a new solid-line manager (and perhaps a new executive).

    ``people`` counts the unit and everyone below it in the to-be org (they move with it), in
    people (a half-time position is one person; see :func:`~ccosim.org.people.people_in`).
    """

    id: str
    title: str
    from_manager: str | None
    to_manager: str | None
    from_executive: str
    to_executive: str
    people: int
    name: str | None = None
    from_manager_name: str = "-"
    to_manager_name: str = "-"
    from_function: str = ""
    to_function: str = ""
    status: str = "filled"
    """``filled``, ``open`` (the whole position to be hired) or ``partly open``."""


@dataclass(frozen=True)
class Change:
    """A unit kept with different fields: ``fields`` maps a field to ``[before, after]``."""

    id: str
    title: str
    fields: dict[str, list[Any]]
    name: str | None = None
    default_cost: list[bool] = field(default_factory=lambda: [False, False])
    """Whether the cost before and after is the function's default (no cost of its own)."""


@dataclass(frozen=True)
class DeltaRow:
    """Headcount and loaded annual cost of one group (a function or an executive), A vs B."""

    key: str
    headcount_a: float
    headcount_b: float
    cost_a: float
    cost_b: float
    open_a: float = 0.0
    open_b: float = 0.0

    @property
    def headcount_delta(self) -> float:
        """B - A."""
        return self.headcount_b - self.headcount_a

    @property
    def cost_delta(self) -> float:
        """B - A."""
        return self.cost_b - self.cost_a

    @property
    def open_delta(self) -> float:
        """Open heads (to be hired), B - A."""
        return self.open_b - self.open_a

    @property
    def filled_delta(self) -> float:
        """Filled heads, B - A."""
        return self.headcount_delta - self.open_delta


@dataclass(frozen=True)
class SpanChange:
    """A manager whose span (people reporting directly) changed; None where not a manager."""

    id: str
    title: str
    span_a: float | None
    span_b: float | None
    limit_b: int | None
    over_limit_b: bool


@dataclass
class OrgDiff:
    """Everything ``ccosim org diff`` reports about one to-be design against the as-is org."""

    name_a: str
    name_b: str
    added: list[UnitEntry] = field(default_factory=list)
    removed: list[UnitEntry] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    by_function: list[DeltaRow] = field(default_factory=list)
    by_executive: list[DeltaRow] = field(default_factory=list)
    total: DeltaRow | None = None
    spans: list[SpanChange] = field(default_factory=list)
    layers_a: int = 0
    layers_b: int = 0
    labels: dict[str, str] = field(default_factory=dict)
    """Unit id -> "Name, Title" (the to-be org's, else the as-is org's), for tables."""

    def label(self, unit_id: str | None) -> str:
        """How tables name a unit: "Name, Title", or the id if unknown."""
        if unit_id is None:
            return "-"
        return self.labels.get(unit_id, unit_id)

    @property
    def added_ids(self) -> set[str]:
        """Ids of added units."""
        return {e.id for e in self.added}

    @property
    def removed_ids(self) -> set[str]:
        """Ids of removed units."""
        return {e.id for e in self.removed}

    @property
    def moved_ids(self) -> set[str]:
        """Ids of moved units."""
        return {e.id for e in self.moved}

    @property
    def changed_ids(self) -> set[str]:
        """Ids of changed units."""
        return {e.id for e in self.changed}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (deltas included)."""

        def row(r: DeltaRow) -> dict[str, Any]:
            return {
                **asdict(r),
                "headcount_delta": r.headcount_delta,
                "cost_delta": r.cost_delta,
            }

        return {
            "as_is": self.name_a,
            "to_be": self.name_b,
            "added": [asdict(e) for e in self.added],
            "removed": [asdict(e) for e in self.removed],
            "moved": [asdict(e) for e in self.moved],
            "changed": [asdict(e) for e in self.changed],
            "total": row(self.total) if self.total else None,
            "by_function": [row(r) for r in self.by_function],
            "by_executive": [row(r) for r in self.by_executive],
            "spans": [asdict(s) for s in self.spans],
            "layers": {"as_is": self.layers_a, "to_be": self.layers_b},
            "labels": self.labels,
        }


def _open(graph: OrgGraph, unit_id: str) -> float:
    unit = graph.units[unit_id]
    return float(unit.headcount - unit.filled_headcount)


def _status(graph: OrgGraph, unit_id: str) -> str:
    unit = graph.units[unit_id]
    if unit.vacant or (unit.headcount and unit.open_headcount >= unit.headcount):
        return "open"
    return "partly open" if unit.open_headcount else "filled"


def _entry(graph: OrgGraph, unit_id: str) -> UnitEntry:
    unit = graph.units[unit_id]
    boss = graph.units.get(unit.reports_to or "")
    return UnitEntry(
        unit_id,
        unit.title,
        unit.function.value,
        unit.reports_to,
        graph.headcount(unit_id),
        graph.cost(unit_id),
        unit.name,
        _open(graph, unit_id),
        unit_label(boss),
    )


def _fields(graph: OrgGraph, unit_id: str) -> dict[str, Any]:
    unit = graph.units[unit_id]
    return {
        "title": unit.title,
        "name": unit.name,
        "function": unit.function.value,
        "headcount": float(unit.headcount),
        "open_headcount": float(unit.open_headcount),
        "vacant": unit.vacant,
        "cost": graph.cost_per_head_of(unit),
        "location": unit.location,
        "segment": unit.segment,
        "dotted_to": sorted(unit.dotted_to),
    }


def _group(graph: OrgGraph, key: str) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for unit_id in graph.top_down:
        if key == "function":
            group = graph.units[unit_id].function.value
        else:
            group = graph.executive_of(unit_id)
        heads, cost = out.get(group, (0.0, 0.0))
        out[group] = (heads + graph.headcount(unit_id), cost + graph.cost(unit_id))
    return out


def _rows(a: dict[str, tuple[float, float]], b: dict[str, tuple[float, float]]) -> list[DeltaRow]:
    keys = list(dict.fromkeys([*a, *b]))
    return [
        DeltaRow(
            k,
            a.get(k, (0.0, 0.0))[0],
            b.get(k, (0.0, 0.0))[0],
            a.get(k, (0.0, 0.0))[1],
            b.get(k, (0.0, 0.0))[1],
        )
        for k in keys
    ]


def diff_orgs(a: OrgGraph, b: OrgGraph, *, name_a: str = "as-is", name_b: str = "to-be") -> OrgDiff:
    """Compare an as-is org ``a`` with a to-be design ``b`` (units matched by id).

    Costs are loaded annual costs, each org with its own assumptions for units without a
    cost. ``by_executive`` groups every unit under the root's direct report above it (the
    root's own positions under the root's id); executives of both orgs are listed.

    Args:
        a: The as-is org.
        b: The to-be org.
        name_a: Label of ``a`` in outputs.
        name_b: Label of ``b`` in outputs.

    Returns:
        The differences.
    """
    diff = OrgDiff(name_a, name_b)
    diff.labels = {u: unit_label(a.units[u]) for u in a.top_down}
    diff.labels.update({u: unit_label(b.units[u]) for u in b.top_down})
    diff.added = [_entry(b, u) for u in b.top_down if u not in a]
    diff.removed = [_entry(a, u) for u in a.top_down if u not in b]
    for unit_id in b.top_down:
        if unit_id not in a:
            continue
        before, after = a.units[unit_id], b.units[unit_id]
        if before.reports_to != after.reports_to:
            diff.moved.append(
                Move(
                    unit_id,
                    after.title,
                    before.reports_to,
                    after.reports_to,
                    a.executive_of(unit_id),
                    b.executive_of(unit_id),
                    sum(people_in(b.units[u]) for u in b.subtree(unit_id)),
                    name=after.name,
                    from_manager_name=unit_label(a.units.get(before.reports_to or "")),
                    to_manager_name=unit_label(b.units.get(after.reports_to or "")),
                    from_function=before.function.value,
                    to_function=after.function.value,
                    status=_status(b, unit_id),
                )
            )
        fa, fb = _fields(a, unit_id), _fields(b, unit_id)
        changes = {k: [fa[k], fb[k]] for k in COMPARED if fa[k] != fb[k]}
        if changes:
            diff.changed.append(
                Change(
                    unit_id,
                    after.title,
                    changes,
                    name=after.name,
                    default_cost=[before.cost is None, after.cost is None],
                )
            )
    diff.by_function = _rows(_group(a, "function"), _group(b, "function"))
    diff.by_executive = _rows(_group(a, "executive"), _group(b, "executive"))
    diff.total = DeltaRow(
        "total",
        a.rollup_headcount(a.root),
        b.rollup_headcount(b.root),
        a.rollup_cost(a.root),
        b.rollup_cost(b.root),
        sum(_open(a, u) for u in a.top_down),
        sum(_open(b, u) for u in b.top_down),
    )
    for unit_id in list(dict.fromkeys([*a.top_down, *b.top_down])):
        span_a = a.span(unit_id) if unit_id in a and a.is_manager(unit_id) else None
        span_b = b.span(unit_id) if unit_id in b and b.is_manager(unit_id) else None
        if span_a != span_b:
            limit = b.span_limit(unit_id) if span_b is not None else None
            diff.spans.append(
                SpanChange(
                    unit_id,
                    (b.units.get(unit_id) or a.units[unit_id]).title,
                    span_a,
                    span_b,
                    limit,
                    span_b is not None and limit is not None and span_b > limit,
                )
            )
    diff.layers_a = max(a.layer.values())
    diff.layers_b = max(b.layer.values())
    return diff


# ---- text ----------------------------------------------------------------------------------


def _n(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _signed(value: float, money: bool = False) -> str:
    if abs(value) < 1e-9:
        return "0"
    text = _money(abs(value)) if money else _n(abs(value))
    return ("+" if value > 0 else "-") + text


def _money(value: float) -> str:
    if abs(value) < 0.5:
        return "$0"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.2f}M"
    return f"${value / 1e3:,.0f}k"


def _heads_delta(total: DeltaRow) -> str:
    """``+10: +2 filled, +8 to hire`` (just the change when nothing is open)."""
    text = _signed(total.headcount_delta)
    if abs(total.open_delta) < 1e-9 and abs(total.open_a) < 1e-9:
        return text
    return f"{text}: {_signed(total.filled_delta)} filled, {_signed(total.open_delta)} to hire"


def unit_label_of(entry: UnitEntry | Move | Change) -> str:
    """``Name, Title`` of a diff entry (the title alone when there is no name)."""
    return f"{entry.name}, {entry.title}" if entry.name else entry.title


def _cut(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _table(
    headers: list[str], rows: list[list[str]], left: int = 1, right_text: tuple[int, ...] = ()
) -> str:
    """Text table: the first ``left`` columns and ``right_text`` left-aligned, numbers right."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if i < left or i in right_text else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _value(value: Any) -> str:
    if isinstance(value, float):
        return _n(value)
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return "-" if value is None else str(value)


def format_diff(diff: OrgDiff) -> str:
    """Render ``diff`` as plain-text blocks for the terminal."""
    total = diff.total
    assert total is not None
    out = [
        f"{diff.name_a} -> {diff.name_b}",
        f"  headcount {_n(total.headcount_a)} -> {_n(total.headcount_b)} "
        f"({_heads_delta(total)}), loaded cost {_money(total.cost_a)} -> "
        f"{_money(total.cost_b)} ({_signed(total.cost_delta, money=True)}/year), "
        f"layers {diff.layers_a} -> {diff.layers_b}",
        f"  {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.moved)} moved, "
        f"{len(diff.changed)} changed",
        "",
    ]
    if diff.added or diff.removed:
        rows = [
            [
                sign + _cut(unit_label_of(e)),
                e.function,
                _cut(e.reports_to_name),
                _n(e.headcount),
                _n(e.open_headcount) if e.open_headcount else "",
                _money(e.cost),
                e.id,
            ]
            for sign, entries in (("+ ", diff.added), ("- ", diff.removed))
            for e in entries
        ]
        out += [
            _table(
                ["added/removed", "function", "reports to", "heads", "open", "cost/yr", "id"],
                rows,
                left=3,
                right_text=(6,),
            ),
            "",
        ]
    if diff.moved:
        rows = [
            [
                _cut(unit_label_of(m)),
                f"{_cut(m.from_manager_name, 40)} -> {_cut(m.to_manager_name, 40)}",
                f"{_cut(diff.label(m.from_executive), 24)} -> "
                f"{_cut(diff.label(m.to_executive), 24)}"
                if m.from_executive != m.to_executive
                else "same",
                _n(m.people),
                m.status,
                m.id,
            ]
            for m in diff.moved
        ]
        out += [
            _table(
                ["moved", "manager", "executive", "people", "position", "id"],
                rows,
                left=3,
                right_text=(4, 5),
            ),
            "",
        ]
    if diff.changed:
        rows = [
            [
                _cut(unit_label_of(c)),
                k,
                _value(v[0]) + (" (default)" if k == "cost" and c.default_cost[0] else ""),
                _value(v[1]) + (" (default)" if k == "cost" and c.default_cost[1] else ""),
                c.id,
            ]
            for c in diff.changed
            for k, v in c.fields.items()
        ]
        out += [
            _table(["changed", "field", "before", "after", "id"], rows, left=2, right_text=(4,)),
            "",
        ]
        if any(c.default_cost[0] or c.default_cost[1] for c in diff.changed if "cost" in c.fields):
            out += [
                "(default) = no cost of its own: the function's default loaded cost from the "
                "scenario's assumptions",
                "",
            ]
    for label, table in (("function", diff.by_function), ("executive", diff.by_executive)):
        rows = [
            [
                r.key if label == "function" else _cut(diff.label(r.key), 40),
                _n(r.headcount_a),
                _n(r.headcount_b),
                _signed(r.headcount_delta),
                _money(r.cost_a),
                _money(r.cost_b),
                _signed(r.cost_delta, money=True),
            ]
            for r in table
            if r.headcount_delta or abs(r.cost_delta) > 0.5 or label == "executive"
        ]
        if rows:
            out += [
                _table(
                    [f"by {label}", "heads A", "heads B", "delta", "cost A", "cost B", "delta"],
                    rows,
                ),
                "",
            ]
    if diff.spans:
        rows = [
            [
                _cut(diff.label(s.id)),
                _n(s.span_a),
                _n(s.span_b),
                _n(s.limit_b),
                "OVER" if s.over_limit_b else "",
                s.id,
            ]
            for s in diff.spans
        ]
        headers = ["span changed", "span A", "span B", "limit", "", "id"]
        out += [_table(headers, rows, right_text=(4, 5)), ""]
    return "\n".join(out).rstrip()
