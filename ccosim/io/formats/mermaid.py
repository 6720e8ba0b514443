"""Mermaid flowcharts, split into parts when one would pass Mermaid's edge limit."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ccosim.io.formats.common import (
    OrgFormatError,
    is_open,
    label_lines,
)
from ccosim.org.graph import OrgGraph
from ccosim.palette import function_color, text_color_on

__all__ = ["MERMAID_MAX_EDGES", "MermaidPart", "to_mermaid", "to_mermaid_parts"]

#: Mermaid refuses to render a diagram with more edges than this (its ``maxEdges`` default).
MERMAID_MAX_EDGES = 500


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
        lines = [_mermaid_text(x) for x in label_lines(graph, unit_id)]
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
    if any(is_open(graph.units[u]) for u in members):
        out.append("  classDef open stroke-dasharray:5 5,stroke-width:2px")
    for function in functions:
        group = [ids[u] for u in members if graph.units[u].function.value == function]
        out.append(f"  class {','.join(group)} fn_{function}")
    open_units = [ids[u] for u in members if is_open(graph.units[u])]
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
