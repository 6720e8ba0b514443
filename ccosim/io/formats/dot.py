"""Graphviz DOT: boxes coloured by function, open units dashed, individual contributors stacked."""

from __future__ import annotations

import itertools
import textwrap

from ccosim.io.formats.common import (
    dotted_edges,
    is_open,
    label_lines,
    solid_edges,
)
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color, text_color_on

__all__ = ["DOT_MAX_STACK", "to_dot"]


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
        style = "rounded,filled,dashed" if is_open(unit) else "rounded,filled"
        label = "\n".join(
            part for line in label_lines(graph, unit_id) for part in textwrap.wrap(line, 24)
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
    for boss, unit_id in solid_edges(graph):
        if unit_id in stacked:
            out.append(f"  {_dot_quote(boss)} -> {_dot_quote(unit_id)} [constraint=false];")
        else:
            out.append(f"  {_dot_quote(boss)} -> {_dot_quote(unit_id)};")
    for unit_id, above in stacked.items():
        out.append(f"  {_dot_quote(above)} -> {_dot_quote(unit_id)} [style=invis];")
    for boss, unit_id in dotted_edges(graph):
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
