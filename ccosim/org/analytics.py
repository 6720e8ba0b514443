"""Org analytics: roll-ups, spans and layers, function owners and hand-off distances.

:func:`org_stats` turns an :class:`OrgGraph` into plain data (``OrgStats.to_dict()`` is what
``ccosim org stats --json`` prints); :func:`format_stats` renders it as text tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ccosim.org.graph import OrgGraph
from ccosim.org.people import people_in
from ccosim.scenario.schema import CUSTOMER_FACING, Function

__all__ = ["SPAN_BANDS", "ManagerSpan", "OrgStats", "format_stats", "org_stats", "span_band"]

#: OrgVue-style span bands: (label, largest span in the band).
SPAN_BANDS: tuple[tuple[str, float], ...] = (
    ("1", 1),
    ("2-3", 3),
    ("4-7", 7),
    ("8-12", 12),
    ("13-16", 16),
    ("17+", float("inf")),
)


def span_band(span: float) -> str:
    """The band label of a span (people reporting directly)."""
    for label, top in SPAN_BANDS:
        if span <= top:
            return label
    return SPAN_BANDS[-1][0]  # pragma: no cover - inf catches everything


@dataclass(frozen=True)
class ManagerSpan:
    """One manager's span of control and roll-up."""

    id: str
    title: str
    layer: int
    direct_units: int
    span: float
    band: str
    limit: int
    over_limit: bool
    total_reports: float
    rollup_cost: float
    name: str | None = None
    rollup_cost_default: float = 0.0
    """Part of ``rollup_cost`` that is the functions' default cost (no cost of their own)."""
    span_fte: float = 0.0
    """The span in FTE (``span`` counts people: a half-time report is one person)."""
    people_below: int = 0
    """People below the manager, counted as people (``total_reports`` is their FTE)."""


@dataclass(frozen=True)
class OrgStats:
    """Everything ``ccosim org stats`` reports about one org."""

    root: str
    units: int
    headcount: float
    open_headcount: float
    cost: float
    layers: int
    by_function: dict[str, dict[str, float]]
    by_executive: dict[str, dict[str, Any]]
    managers: list[ManagerSpan]
    span_bands: dict[str, int]
    layer_pyramid: dict[int, float]
    function_owners: dict[str, dict[str, float]]
    handoff_distances: dict[str, int | None]
    rollups: dict[str, dict[str, float]] = field(default_factory=dict)
    people: int = 0
    """Positions counted as people (a half-time position is one; ``headcount`` is FTE)."""

    @property
    def over_limit(self) -> list[ManagerSpan]:
        """Managers over their span limit."""
        return [m for m in self.managers if m.over_limit]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready data."""
        data = asdict(self)
        data["layer_pyramid"] = {str(k): v for k, v in self.layer_pyramid.items()}
        return data


def org_stats(graph: OrgGraph) -> OrgStats:
    """Compute the analytics of ``graph``."""
    by_function: dict[str, dict[str, float]] = {}
    for unit_id in graph.top_down:
        unit = graph.units[unit_id]
        row = by_function.setdefault(
            unit.function.value, {"units": 0, "headcount": 0.0, "open_headcount": 0.0, "cost": 0.0}
        )
        row["units"] += 1
        row["headcount"] += graph.headcount(unit_id)
        row["open_headcount"] += graph.solid.nodes[unit_id]["open_headcount"]
        row["cost"] += graph.cost(unit_id)

    by_executive: dict[str, dict[str, Any]] = {
        graph.root: {
            "title": graph.units[graph.root].title,
            "name": graph.units[graph.root].name,
            "headcount": graph.headcount(graph.root),
            "cost": graph.cost(graph.root),
        }
    }
    for executive in graph.reports(graph.root):
        by_executive[executive] = {
            "title": graph.units[executive].title,
            "name": graph.units[executive].name,
            "headcount": graph.rollup_headcount(executive),
            "cost": graph.rollup_cost(executive),
        }

    rollups = {
        u: {"headcount": graph.rollup_headcount(u), "cost": graph.rollup_cost(u)}
        for u in graph.top_down
    }
    people = {u: people_in(graph.units[u]) for u in graph.top_down}
    people_rollup = dict(people)
    default_rollup = {
        u: graph.cost(u) if graph.units[u].cost is None else 0 for u in graph.top_down
    }
    for unit_id in reversed(graph.top_down):  # bottom-up: linear, no recursion
        boss = graph.units[unit_id].reports_to
        if boss is not None:
            people_rollup[boss] += people_rollup[unit_id]
            default_rollup[boss] += default_rollup[unit_id]
    managers = []
    for unit_id in graph.top_down:
        if not graph.is_manager(unit_id):
            continue
        span = sum(people[r] for r in graph.reports(unit_id)) / max(people[unit_id], 1)
        limit = graph.span_limit(unit_id)
        managers.append(
            ManagerSpan(
                id=unit_id,
                title=graph.units[unit_id].title,
                layer=graph.layer[unit_id],
                direct_units=len(graph.reports(unit_id)),
                span=span,
                band=span_band(span),
                limit=limit,
                over_limit=span > limit,
                total_reports=rollups[unit_id]["headcount"] - graph.headcount(unit_id),
                rollup_cost=rollups[unit_id]["cost"],
                name=graph.units[unit_id].name,
                rollup_cost_default=default_rollup[unit_id],
                span_fte=graph.span(unit_id),
                people_below=people_rollup[unit_id] - people[unit_id],
            )
        )
    bands = {label: 0 for label, _ in SPAN_BANDS}
    for manager in managers:
        bands[manager.band] += 1

    pyramid: dict[int, float] = {}
    for unit_id, layer in sorted(graph.layer.items(), key=lambda kv: kv[1]):
        pyramid[layer] = pyramid.get(layer, 0.0) + graph.headcount(unit_id)

    owners = {f.value: graph.executive_owners(f) for f in Function if graph.units_of(f)}
    distances = {f"{a}|{b}": d for (a, b), d in graph.handoff_distances(CUSTOMER_FACING).items()}
    return OrgStats(
        root=graph.root,
        units=len(graph),
        headcount=sum(graph.headcount(u) for u in graph.top_down),
        open_headcount=sum(graph.solid.nodes[u]["open_headcount"] for u in graph.top_down),
        cost=sum(graph.cost(u) for u in graph.top_down),
        layers=max(graph.layer.values()),
        by_function=by_function,
        by_executive=by_executive,
        managers=managers,
        span_bands=bands,
        layer_pyramid=pyramid,
        function_owners=owners,
        handoff_distances=distances,
        rollups=rollups,
        people=sum(people.values()),
    )


def _money(value: float) -> str:
    return f"{value / 1e6:,.2f}M" if value >= 1e6 else f"{value / 1e3:,.0f}k"


def _owner(stats: OrgStats, executive: str) -> str:
    row = stats.by_executive.get(executive)
    return _label(row.get("name"), row["title"], 40) if row else executive


def _label(name: str | None, title: str, width: int = 48) -> str:
    text = f"{name}, {title}" if name else title
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    left = {0} | {i for i, h in enumerate(headers) if h in ("id", "flag", "executive owner(s)")}

    def line(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def format_stats(stats: OrgStats, name: str = "") -> str:
    """Render ``stats`` as plain-text tables for the terminal."""
    out: list[str] = []
    title = f"{name}: " if name else ""
    out.append(
        f"{title}{stats.units} units, {stats.people:,} people "
        f"({_count(stats.headcount)} FTE, {_count(stats.open_headcount)} open), "
        f"{stats.layers} layers, "
        f"loaded cost {_money(stats.cost)}/year"
    )
    out.append("")
    out.append(
        _table(
            ["function", "units", "headcount", "open", "cost/yr"],
            [
                [
                    f,
                    _count(r["units"]),
                    _count(r["headcount"]),
                    _count(r["open_headcount"]),
                    _money(r["cost"]),
                ]
                for f, r in sorted(stats.by_function.items(), key=lambda kv: -kv[1]["headcount"])
            ],
        )
    )
    out.append("")
    out.append(
        _table(
            ["executive", "headcount", "cost/yr", "id"],
            [
                [
                    _label(r.get("name"), r["title"]),
                    _count(r["headcount"]),
                    _money(r["cost"]),
                    e,
                ]
                for e, r in stats.by_executive.items()
            ],
        )
    )
    out.append("")
    out.append(
        _table(
            [
                "manager",
                "layer",
                "span",
                "FTE",
                "band",
                "limit",
                "people below",
                "FTE below",
                "cost with team/yr",
                "flag",
                "id",
            ],
            [
                [
                    _label(m.name, m.title),
                    str(m.layer),
                    _count(m.span),
                    _count(m.span_fte),
                    m.band,
                    str(m.limit),
                    f"{m.people_below:,}",
                    _count(m.total_reports),
                    _money(m.rollup_cost) + ("*" if m.rollup_cost_default > 0.5 else ""),
                    "OVER" if m.over_limit else "",
                    m.id,
                ]
                for m in stats.managers
            ],
        )
    )
    if any(m.rollup_cost_default > 0.5 for m in stats.managers):
        out.append(
            "* includes default costs (units with no cost of their own: the function's "
            "default loaded cost from the scenario's assumptions)"
        )
    out.append("")
    out.append("span bands:   " + "  ".join(f"{k}: {v}" for k, v in stats.span_bands.items()))
    out.append(
        "layer pyramid: " + "  ".join(f"L{k}: {_count(v)}" for k, v in stats.layer_pyramid.items())
    )
    out.append("")
    customer = [f.value for f in CUSTOMER_FACING]
    out.append(
        _table(
            ["function", "executive owner(s)"],
            [
                [
                    f,
                    ", ".join(f"{_owner(stats, e)} ({_count(h)})" for e, h in owners.items()),
                ]
                for f, owners in stats.function_owners.items()
                if f in customer
            ],
        )
    )
    present = [f for f in customer if f in stats.function_owners]
    if len(present) > 1:
        out.append("")
        out.append("hand-off distance (reporting hops through the lowest common manager):")
        rows = []
        for a in present:
            row = [a]
            for b in present:
                d = (
                    0
                    if a == b
                    else stats.handoff_distances.get(
                        f"{a}|{b}", stats.handoff_distances.get(f"{b}|{a}")
                    )
                )
                row.append("-" if d is None else str(d))
            rows.append(row)
        abbreviations = [_abbrev(f) for f in present]
        out.append(_table(["", *abbreviations], rows))
    return "\n".join(out)


def _abbrev(function: str) -> str:
    return "".join(part[0] for part in function.split("_")).upper()
