"""Org exports (Graphviz DOT, Mermaid, GraphML, CSV) and the GraphML/CSV readers.

GraphML and CSV carry every field of every :class:`~ccosim.scenario.Unit`, so that
``read_graphml(write)`` and ``read_csv_units(write)`` give back the same units and therefore
an identical :class:`~ccosim.org.OrgGraph`. Both write ``cost`` as the *loaded cost per head
actually used* (the unit's own, or the function's default from the scenario's assumptions),
with ``cost_source`` saying which (``unit`` or ``default``), so that a reader can restore a
unit whose cost was left to the default.

DOT and Mermaid are for drawing: boxes coloured by function (the palette every ccosim chart
uses), vacant or partly open units dashed, dotted-line reporting drawn dotted.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from ccosim.errors import CcosimError
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color, text_color_on
from ccosim.scenario.plain import strip_control
from ccosim.scenario.schema import Staffing, Unit
from ccosim.tabular import csv_text

__all__ = [
    "CSV_COLUMNS",
    "DOT_MAX_STACK",
    "EXPORT_FORMATS",
    "MERMAID_MAX_EDGES",
    "MermaidPart",
    "OrgFormatError",
    "format_from_suffix",
    "read_csv_units",
    "read_graphml",
    "to_csv",
    "to_dot",
    "to_graphml",
    "to_mermaid",
    "to_mermaid_parts",
]

#: Export formats and the file suffixes that select them.
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "dot": (".dot", ".gv"),
    "mermaid": (".mmd", ".mermaid"),
    "graphml": (".graphml",),
    "csv": (".csv",),
}

#: Mermaid refuses to render a diagram with more edges than this (its ``maxEdges`` default).
MERMAID_MAX_EDGES = 500

#: CSV columns, in order: the HRIS shape first, then the remaining unit fields.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "reports_to",
    "name",
    "title",
    "function",
    "headcount",
    "loaded_cost",
    "total_cost",
    "cost_source",
    "open_headcount",
    "vacant",
    "location",
    "currency",
    "segment",
    "span_limit",
    "dotted_to",
    "staffing",
)

_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
#: GraphML node keys: (name, type). ``label`` and the derived keys are ignored when reading.
_NODE_KEYS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("title", "string"),
    ("name", "string"),
    ("function", "string"),
    ("headcount", "double"),
    ("open_headcount", "double"),
    ("vacant", "boolean"),
    ("cost", "double"),
    ("cost_source", "string"),
    ("total_cost", "double"),
    ("location", "string"),
    ("currency", "string"),
    ("segment", "string"),
    ("span_limit", "int"),
    ("staffing", "string"),
    ("color", "string"),
    ("layer", "int"),
    ("executive", "string"),
)


class OrgFormatError(CcosimError):
    """An org file (GraphML or CSV) that cannot be read back into units."""


def format_from_suffix(path: str | Path) -> str | None:
    """The export format selected by ``path``'s suffix, or None if the suffix is unknown."""
    suffix = Path(path).suffix.lower()
    for name, suffixes in EXPORT_FORMATS.items():
        if suffix in suffixes:
            return name
    return None


# ---- shared helpers ------------------------------------------------------------------------


def _num(value: float) -> str:
    """A number as short text: ``6`` rather than ``6.0``, full precision otherwise."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _explicit_cost(unit: Unit) -> bool:
    return unit.cost is not None


def _staffing_text(unit: Unit) -> str:
    if unit.staffing is None:
        return ""
    return json.dumps(unit.staffing.model_dump(mode="json", exclude_defaults=True), sort_keys=True)


def _label_lines(graph: OrgGraph, unit_id: str) -> list[str]:
    unit = graph.units[unit_id]
    lines = [unit.title]
    if unit.name:
        lines.append(unit.name)
    if unit.headcount != 1 or unit.open_headcount or unit.vacant:
        heads = f"{_num(unit.headcount)} heads"
        if unit.vacant:
            heads += " (to hire)"
        elif unit.open_headcount:
            heads += f" ({_num(unit.open_headcount)} open)"
        lines.append(heads)
    return lines


def _is_open(unit: Unit) -> bool:
    return unit.vacant or unit.open_headcount > 0


def _dotted_edges(graph: OrgGraph) -> list[tuple[str, str]]:
    """Dotted lines (manager, unit) in unit order, then ``dotted_to`` order."""
    return [(boss, u.id) for u in graph.units.values() for boss in u.dotted_to]


def _solid_edges(graph: OrgGraph) -> list[tuple[str, str]]:
    return [(u.reports_to, u.id) for u in graph.units.values() if u.reports_to is not None]


# ---- Graphviz DOT --------------------------------------------------------------------------


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


#: Most individual contributors stacked in one column under their manager in DOT exports.
DOT_MAX_STACK = 12


def to_dot(graph: OrgGraph, *, name: str = "org", max_stack: int = DOT_MAX_STACK) -> str:
    """The org as a Graphviz DOT digraph (render with ``dot -Tsvg org.dot -o org.svg``).

    Boxes are filled with the function's colour (a legend cluster lists the functions used);
    vacant or partly open units are dashed; dotted-line reporting is a dotted edge that does
    not constrain the layout. Individual contributors (units with no reports) are stacked
    under their manager in columns of up to ``max_stack``, as ccosim's own charts do: each
    column is a chain of invisible edges, so Graphviz puts them one below the other instead
    of side by side, and a 300-person org keeps a readable aspect.

    Args:
        graph: The org.
        name: The graph's name (shown by some viewers).
        max_stack: Most individual contributors in one column (0: no stacking).

    Returns:
        DOT source text.
    """
    out = [
        f"digraph {_dot_quote(name)} {{",
        "  graph [rankdir=TB, splines=ortho, nodesep=0.3, ranksep=0.6];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        "  edge [arrowhead=none];",
    ]
    for unit_id in graph.units:
        unit = graph.units[unit_id]
        fill = function_color(unit.function.value)
        style = "rounded,filled,dashed" if _is_open(unit) else "rounded,filled"
        label = "\n".join(
            part for line in _label_lines(graph, unit_id) for part in textwrap.wrap(line, 24)
        )
        out.append(
            f"  {_dot_quote(unit_id)} [label={_dot_quote(label)}, fillcolor={_dot_quote(fill)}, "
            f"fontcolor={_dot_quote(text_color_on(fill))}, style={_dot_quote(style)}, "
            f"tooltip={_dot_quote(unit.function.value)}];"
        )
    stacked: dict[str, str] = {}  # unit -> the unit above it in its column
    if max_stack > 0:
        for manager in graph.top_down:
            leaves = [r for r in graph.reports(manager) if not graph.is_manager(r)]
            if len(leaves) < 2:
                continue
            for start in range(0, len(leaves), max_stack):
                column = leaves[start : start + max_stack]
                for above, below in itertools.pairwise(column):
                    stacked[below] = above
    for boss, unit_id in _solid_edges(graph):
        if unit_id in stacked:
            out.append(f"  {_dot_quote(boss)} -> {_dot_quote(unit_id)} [constraint=false];")
        else:
            out.append(f"  {_dot_quote(boss)} -> {_dot_quote(unit_id)};")
    for unit_id, above in stacked.items():
        out.append(f"  {_dot_quote(above)} -> {_dot_quote(unit_id)} [style=invis];")
    for boss, unit_id in _dotted_edges(graph):
        out.append(
            f"  {_dot_quote(boss)} -> {_dot_quote(unit_id)} "
            '[style=dotted, constraint=false, arrowhead=open, color="#555555"];'
        )
    used = list(dict.fromkeys(u.function.value for u in graph.units.values()))
    out.append("  subgraph cluster_legend {")
    out.append('    label="Functions"; fontname="Helvetica"; fontsize=10; color="#BBBBBB";')
    for function in used:
        fill = function_color(function)
        out.append(
            f"    {_dot_quote('legend_' + function)} [label={_dot_quote(function)}, "
            f"fillcolor={_dot_quote(fill)}, fontcolor={_dot_quote(text_color_on(fill))}];"
        )
    for first, second in itertools.pairwise(used):
        out.append(
            f"    {_dot_quote('legend_' + first)} -> {_dot_quote('legend_' + second)} "
            "[style=invis];"
        )
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


# ---- Mermaid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MermaidPart:
    """One Mermaid file of a split export.

    Attributes:
        root: The unit at the top of this part.
        suffix: Added to the file stem (empty for the top part).
        text: Mermaid source.
        edges: Edges drawn in this part.
    """

    root: str
    suffix: str
    text: str
    edges: int


def _mermaid_ids(graph: OrgGraph) -> dict[str, str]:
    """Mermaid-safe node ids (``u_`` + the id with '-' as '_'; ``end`` and friends are safe)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for unit_id in graph.units:
        base = "u_" + re.sub(r"[^A-Za-z0-9_]", "_", unit_id)
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}_{n}"
        used.add(candidate)
        out[unit_id] = candidate
    return out


def _mermaid_text(text: str) -> str:
    return (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def _mermaid_source(
    graph: OrgGraph,
    members: Sequence[str],
    *,
    ids: dict[str, str] | None = None,
    stubs: dict[str, str] | None = None,
    title: str | None = None,
) -> tuple[str, int]:
    """Mermaid flowchart of ``members`` (in order); ``stubs`` maps a unit to 'see FILE'."""
    ids = ids or _mermaid_ids(graph)
    inside = set(members)
    stubs = stubs or {}
    out: list[str] = []
    if title:
        out += ["---", f"title: {json.dumps(title)}", "---"]
    out.append("flowchart TD")
    for unit_id in members:
        lines = [_mermaid_text(x) for x in _label_lines(graph, unit_id)]
        if unit_id in stubs:
            lines.append(_mermaid_text(f"(continued in {stubs[unit_id]})"))
        out.append(f'  {ids[unit_id]}["{"<br/>".join(lines)}"]')
    edges = 0
    for unit_id in members:
        boss = graph.units[unit_id].reports_to
        if boss is not None and boss in inside:
            out.append(f"  {ids[boss]} --> {ids[unit_id]}")
            edges += 1
    for unit_id in members:
        for boss in graph.units[unit_id].dotted_to:
            if boss in inside:
                out.append(f"  {ids[boss]} -.-> {ids[unit_id]}")
                edges += 1
            else:
                out.append(f"  %% dotted line {boss} -> {unit_id} is in another file")
    functions = list(dict.fromkeys(graph.units[u].function.value for u in members))
    for function in functions:
        fill = function_color(function)
        out.append(f"  classDef fn_{function} fill:{fill},color:{text_color_on(fill)},stroke:#333")
    if any(_is_open(graph.units[u]) for u in members):
        out.append("  classDef open stroke-dasharray:5 5,stroke-width:2px")
    for function in functions:
        group = [ids[u] for u in members if graph.units[u].function.value == function]
        out.append(f"  class {','.join(group)} fn_{function}")
    open_units = [ids[u] for u in members if _is_open(graph.units[u])]
    if open_units:
        out.append(f"  class {','.join(open_units)} open")
    return "\n".join(out) + "\n", edges


def _edge_count(graph: OrgGraph, members: Iterable[str]) -> int:
    inside = set(members)
    return sum(
        (graph.units[u].reports_to in inside) + sum(b in inside for b in graph.units[u].dotted_to)
        for u in inside
    )


def to_mermaid(graph: OrgGraph, *, title: str | None = None) -> str:
    """The whole org as one Mermaid flowchart (see :func:`to_mermaid_parts` for large orgs).

    Args:
        graph: The org.
        title: Optional diagram title.

    Returns:
        Mermaid source.

    Raises:
        OrgFormatError: the org has more than :data:`MERMAID_MAX_EDGES` edges, which Mermaid's
            default configuration refuses to draw.
    """
    text, edges = _mermaid_source(graph, graph.top_down, title=title)
    if edges > MERMAID_MAX_EDGES:
        raise OrgFormatError(
            f"the org has {edges} reporting lines, more than Mermaid draws by default "
            f"(maxEdges {MERMAID_MAX_EDGES}); pass --split to write one file per executive "
            "subtree, or export DOT or GraphML instead"
        )
    return text


def to_mermaid_parts(
    graph: OrgGraph, stem: str, *, max_edges: int = MERMAID_MAX_EDGES
) -> tuple[list[MermaidPart], list[str]]:
    """The org split into Mermaid files of at most ``max_edges`` edges each.

    An org within the limit stays one file. Otherwise the top file holds the root and its
    direct reports, and every executive (root's direct report) with reports of their own gets
    a file ``STEM-<id>.mmd``. An executive's subtree still too large is packed greedily: the
    executive, the direct reports, and as many of their whole subtrees as fit; the subtrees
    left out go, again packed, to continuation files ``STEM-<id>-2.mmd``, ``-3`` ...; one
    subtree too large on its own gets its own file, split the same way. A box whose reports
    live in another file says which. Dotted lines between two files are left as comments.

    Args:
        graph: The org.
        stem: The file stem, used to name the other parts inside each diagram.
        max_edges: Largest part.

    Returns:
        The parts (the top one first) and warnings (parts still over ``max_edges`` because one
        manager alone has more direct reports than that).
    """
    ids = _mermaid_ids(graph)
    if _edge_count(graph, graph.units) <= max_edges:
        text, edges = _mermaid_source(graph, graph.top_down, ids=ids)
        return [MermaidPart(graph.root, "", text, edges)], []

    parts: list[MermaidPart] = []
    warnings: list[str] = []
    position = {u: i for i, u in enumerate(graph.top_down)}

    def emit(top: str, suffix: str, title: str, members: list[str], stubs: dict[str, str]) -> None:
        members.sort(key=position.__getitem__)
        text, edges = _mermaid_source(graph, members, ids=ids, stubs=stubs, title=title)
        if edges > max_edges:
            warnings.append(
                f"{stem}{suffix}.mmd has {edges} edges ({top} alone has "
                f"{len(graph.reports(top))} reports); Mermaid needs its maxEdges setting raised"
            )
        parts.append(MermaidPart(top, suffix, text, edges))

    def build(top: str, suffix: str, title: str) -> None:
        reports = graph.reports(top)
        members = [top, *reports]
        own_file: list[str] = []  # reports whose subtree gets its own file(s)
        left_out: list[str] = []  # reports whose subtree goes to a continuation file
        used = _edge_count(graph, members)
        for report in reports:
            if not graph.is_manager(report):
                continue
            below = graph.subtree(report)[1:]
            if top == graph.root or _edge_count(graph, [top, report, *below]) > max_edges:
                own_file.append(report)
                continue
            extra = _edge_count(graph, [*members, *below]) - used
            if used + extra <= max_edges:
                members += below
                used += extra
            else:
                left_out.append(report)
        bins: list[list[str]] = []
        size = max_edges + 1
        for report in left_out:
            edges = _edge_count(graph, [top, *graph.subtree(report)])
            if size + edges > max_edges:
                bins.append([])
                size = 0
            bins[-1].append(report)
            size += edges
        stubs = {r: f"{stem}-{r}.mmd" for r in own_file}
        for n, group in enumerate(bins, start=2):
            stubs.update({r: f"{stem}{suffix}-{n}.mmd" for r in group})
        emit(top, suffix, title, members, stubs)
        for n, group in enumerate(bins, start=2):
            cont = [top, *(u for r in group for u in graph.subtree(r))]
            emit(top, f"{suffix}-{n}", f"{title}, continued ({n})", cont, {})
        for report in own_file:
            build(report, f"-{report}", f"{graph.units[report].title} ({report})")

    build(graph.root, "", f"{graph.units[graph.root].title} and direct reports")
    return parts, warnings


# ---- GraphML -------------------------------------------------------------------------------


def _graphml_value(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def to_graphml(graph: OrgGraph, *, name: str = "org") -> str:
    """The org as GraphML, loadable by networkx, yEd and Gephi, with every unit field.

    Nodes carry every unit field as a typed attribute (``cost`` is the loaded cost per head
    used, ``cost_source`` says whether it was the unit's own or the default), plus ``label``,
    ``color`` (the function's colour), ``layer``, ``executive`` and ``total_cost`` for
    viewers. Edges run manager -> report with ``type`` ``solid`` or ``dotted``.

    Args:
        graph: The org.
        name: The graph's id.

    Returns:
        GraphML XML text.
    """
    ET.register_namespace("", _GRAPHML_NS)
    root = ET.Element(f"{{{_GRAPHML_NS}}}graphml")
    for key, kind in _NODE_KEYS:
        ET.SubElement(
            root,
            f"{{{_GRAPHML_NS}}}key",
            {"id": key, "for": "node", "attr.name": key, "attr.type": kind},
        )
    ET.SubElement(
        root,
        f"{{{_GRAPHML_NS}}}key",
        {"id": "type", "for": "edge", "attr.name": "type", "attr.type": "string"},
    )
    graph_id = strip_control(name)  # a file name may hold what XML 1.0 cannot
    g = ET.SubElement(root, f"{{{_GRAPHML_NS}}}graph", {"id": graph_id, "edgedefault": "directed"})
    for unit_id, unit in graph.units.items():
        node = ET.SubElement(g, f"{{{_GRAPHML_NS}}}node", {"id": unit_id})
        values: dict[str, Any] = {
            "label": " / ".join(_label_lines(graph, unit_id)[:2]),
            "title": unit.title,
            "name": unit.name,
            "function": unit.function.value,
            "headcount": unit.headcount,
            "open_headcount": unit.open_headcount,
            "vacant": unit.vacant,
            "cost": graph.cost_per_head_of(unit),
            "cost_source": "unit" if _explicit_cost(unit) else "default",
            "total_cost": graph.cost(unit_id),
            "location": unit.location,
            "currency": unit.currency,
            "segment": unit.segment,
            "span_limit": unit.span_limit,
            "staffing": _staffing_text(unit) or None,
            "color": function_color(unit.function.value),
            "layer": graph.layer[unit_id],
            "executive": graph.executive_of(unit_id),
        }
        for key, kind in _NODE_KEYS:
            if values[key] is not None:
                data = ET.SubElement(node, f"{{{_GRAPHML_NS}}}data", {"key": key})
                data.text = strip_control(_graphml_value(values[key], kind))
    edges = [("solid", b, u) for b, u in _solid_edges(graph)]
    edges += [("dotted", b, u) for b, u in _dotted_edges(graph)]
    for index, (kind, boss, unit_id) in enumerate(edges):
        edge = ET.SubElement(
            g,
            f"{{{_GRAPHML_NS}}}edge",
            {"id": f"e{index}", "source": boss, "target": unit_id},
        )
        ET.SubElement(edge, f"{{{_GRAPHML_NS}}}data", {"key": "type"}).text = kind
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def read_graphml(path: str | Path) -> list[Unit]:
    """Units from a GraphML file written by :func:`to_graphml` (or edited in yEd/Gephi).

    Nodes need ``title`` and ``function``; edges with ``type`` ``dotted`` become dotted lines,
    every other edge a solid reporting line. A unit whose ``cost_source`` is ``default`` gets
    no ``cost`` (so the scenario's default applies again).

    Args:
        path: The GraphML file.

    Returns:
        The units, in the file's node order.

    Raises:
        OrgFormatError: the file is not GraphML, or a node is not a valid unit.
    """
    path = Path(path)
    try:
        g = nx.read_graphml(path, force_multigraph=True)
    except (ET.ParseError, nx.NetworkXError, ValueError, KeyError) as exc:
        raise OrgFormatError(f"{path}: not a readable GraphML file ({exc})") from exc
    except OSError as exc:
        raise OrgFormatError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    reports_to: dict[str, str] = {}
    dotted: dict[str, list[str]] = {}
    for boss, unit_id, data in g.edges(data=True):
        if data.get("type", "solid") == "dotted":
            dotted.setdefault(unit_id, []).append(boss)
        elif unit_id in reports_to:
            raise OrgFormatError(
                f"{path}: node {unit_id!r} has two solid managers "
                f"({reports_to[unit_id]!r} and {boss!r})"
            )
        else:
            reports_to[unit_id] = boss
    units: list[Unit] = []
    for unit_id, data in g.nodes(data=True):
        fields = {
            k: v
            for k, v in data.items()
            if k
            in {
                "title",
                "name",
                "function",
                "headcount",
                "open_headcount",
                "vacant",
                "location",
                "currency",
                "segment",
                "span_limit",
            }
        }
        if "cost" in data and data.get("cost_source", "unit") != "default":
            fields["cost"] = data["cost"]
        if data.get("staffing"):
            fields["staffing"] = _parse_staffing(data["staffing"], f"{path}: node {unit_id!r}")
        units.append(
            _make_unit(
                {
                    "id": unit_id,
                    "reports_to": reports_to.get(unit_id),
                    "dotted_to": dotted.get(unit_id, []),
                    **fields,
                },
                f"{path}: node {unit_id!r}",
            )
        )
    return units


def _parse_staffing(text: str, where: str) -> Staffing:
    try:
        return Staffing.model_validate(json.loads(text))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise OrgFormatError(f"{where}: staffing is not a valid staffing policy ({exc})") from exc


def _make_unit(fields: dict[str, Any], where: str) -> Unit:
    try:
        return Unit.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'unit'}: {err['msg']}"
            for err in exc.errors()
        )
        raise OrgFormatError(f"{where}: {problems}") from exc


# ---- CSV -----------------------------------------------------------------------------------


def to_csv(graph: OrgGraph) -> str:
    """The org as a CSV table in the shape HRIS tools import (one row per unit, top-down).

    Columns are :data:`CSV_COLUMNS`: ``id, reports_to, name, title, function, headcount,
    loaded_cost`` (loaded annual cost per head: salary with benefits, taxes and overhead
    already in, so ``ccosim org import`` never loads it again), then ``total_cost``
    (headcount x loaded cost), ``cost_source`` (``unit``: the unit's own cost; ``default``:
    the function's default, which an import leaves to the default again), the other unit
    fields (``open_headcount``, ``vacant``, ``location``, ``currency``, ``segment``,
    ``span_limit``), ``dotted_to`` (ids separated by ``;``) and ``staffing`` (JSON).
    ``ccosim org import`` of this file gives back the same units.

    Args:
        graph: The org.

    Returns:
        CSV text with a header row.
    """
    rows = []
    for unit_id in graph.units:
        unit = graph.units[unit_id]
        rows.append(
            [
                unit.id,
                unit.reports_to or "",
                unit.name or "",
                unit.title,
                unit.function.value,
                _num(unit.headcount),
                _num(graph.cost_per_head_of(unit)),
                _num(graph.cost(unit_id)),
                "unit" if _explicit_cost(unit) else "default",
                _num(unit.open_headcount),
                "true" if unit.vacant else "false",
                unit.location or "",
                unit.currency or "",
                unit.segment or "",
                "" if unit.span_limit is None else str(unit.span_limit),
                ";".join(unit.dotted_to),
                _staffing_text(unit),
            ]
        )
    return csv_text(CSV_COLUMNS, rows)


def read_csv_units(path: str | Path) -> list[Unit]:
    """Units from a CSV written by :func:`to_csv` (columns by name; only four needed).

    Required columns: ``id, reports_to, title, function``; the others default as in the
    scenario format (``loaded_cost``, or ``cost`` as older exports wrote it). Errors name
    the file, the line and the column.

    Args:
        path: The CSV file.

    Returns:
        The units, in row order.

    Raises:
        OrgFormatError: a column is missing or a cell is not valid for its field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise OrgFormatError(f"{path}: cannot read ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in ("id", "reports_to", "title", "function") if c not in header]
    if missing:
        raise OrgFormatError(
            f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(header) or 'none'}"
        )
    units: list[Unit] = []
    line = 1
    for row in reader:
        start, line = line + 1, reader.line_num
        where = f"{path}:{start}"
        fields: dict[str, Any] = {
            "id": row["id"],
            "title": row["title"],
            "function": row["function"],
            "reports_to": row["reports_to"] or None,
        }
        for key in ("name", "location", "currency", "segment"):
            if row.get(key):
                fields[key] = row[key]
        for key in ("headcount", "open_headcount", "span_limit"):
            if row.get(key):
                fields[key] = row[key]
        if row.get("vacant"):
            vacant = row["vacant"].strip().lower()
            if vacant not in {"true", "false", "yes", "no", "1", "0"}:
                raise OrgFormatError(f"{where}: column 'vacant': expected true or false")
            fields["vacant"] = vacant in {"true", "yes", "1"}
        cost = row.get("loaded_cost") or row.get("cost")
        if cost and row.get("cost_source", "unit") != "default":
            fields["cost"] = cost
        if row.get("dotted_to"):
            fields["dotted_to"] = [x.strip() for x in row["dotted_to"].split(";") if x.strip()]
        if row.get("staffing"):
            fields["staffing"] = _parse_staffing(row["staffing"], f"{where}: column 'staffing'")
        units.append(_make_unit(fields, where))
    return units
