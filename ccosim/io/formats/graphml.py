"""GraphML (networkx, yEd, Gephi) with every unit field, and its reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx

from ccosim.io.formats.common import (
    OrgFormatError,
    dotted_edges,
    explicit_cost,
    label_lines,
    make_unit,
    parse_seat,
    parse_staffing,
    seat_text,
    solid_edges,
    staffing_text,
)
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color
from ccosim.scenario.plain import strip_control
from ccosim.scenario.schema import Unit

__all__ = ["read_graphml", "to_graphml"]

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
    ("seat", "string"),
    ("color", "string"),
    ("layer", "int"),
    ("executive", "string"),
)


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
            "label": " / ".join(label_lines(graph, unit_id)[:2]),
            "title": unit.title,
            "name": unit.name,
            "function": unit.function.value,
            "headcount": unit.headcount,
            "open_headcount": unit.open_headcount,
            "vacant": unit.vacant,
            "cost": graph.cost_per_head_of(unit),
            "cost_source": "unit" if explicit_cost(unit) else "default",
            "total_cost": graph.cost(unit_id),
            "location": unit.location,
            "currency": unit.currency,
            "segment": unit.segment,
            "span_limit": unit.span_limit,
            "staffing": staffing_text(unit) or None,
            "seat": seat_text(unit) or None,
            "color": function_color(unit.function.value),
            "layer": graph.layer[unit_id],
            "executive": graph.executive_of(unit_id),
        }
        for key, kind in _NODE_KEYS:
            if values[key] is not None:
                data = ET.SubElement(node, f"{{{_GRAPHML_NS}}}data", {"key": key})
                data.text = strip_control(_graphml_value(values[key], kind))
    edges = [("solid", b, u) for b, u in solid_edges(graph)]
    edges += [("dotted", b, u) for b, u in dotted_edges(graph)]
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
            fields["staffing"] = parse_staffing(data["staffing"], f"{path}: node {unit_id!r}")
        if data.get("seat"):
            fields["seat"] = parse_seat(data["seat"], f"{path}: node {unit_id!r}")
        units.append(
            make_unit(
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
