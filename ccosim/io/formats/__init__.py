"""Org exports (Graphviz DOT, Mermaid, GraphML, CSV) and the GraphML/CSV readers.

GraphML and CSV carry every field of every :class:`~ccosim.scenario.Unit`, so that
``read_graphml(write)`` and ``read_csv_units(write)`` give back the same units and therefore
an identical :class:`~ccosim.org.OrgGraph`. Both write ``cost`` as the *loaded cost per head
actually used* (the unit's own, or the function's default from the scenario's assumptions),
with ``cost_source`` saying which (``unit`` or ``default``), so that a reader can restore a
unit whose cost was left to the default.

One module each: :mod:`~ccosim.io.formats.dot`, :mod:`~ccosim.io.formats.mermaid`,
:mod:`~ccosim.io.formats.graphml`, :mod:`~ccosim.io.formats.csv_units`; what they share is in
:mod:`~ccosim.io.formats.common`. This package's names are the public ones of all five.

DOT and Mermaid are for drawing: boxes coloured by function (the palette every ccosim chart
uses), vacant or partly open units dashed, dotted-line reporting drawn dotted.
"""

from __future__ import annotations

from pathlib import Path

from ccosim.io.formats.common import OrgFormatError
from ccosim.io.formats.csv_units import CSV_COLUMNS, read_csv_units, to_csv
from ccosim.io.formats.dot import DOT_MAX_STACK, to_dot
from ccosim.io.formats.graphml import read_graphml, to_graphml
from ccosim.io.formats.mermaid import MERMAID_MAX_EDGES, MermaidPart, to_mermaid, to_mermaid_parts

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


def format_from_suffix(path: str | Path) -> str | None:
    """The export format selected by ``path``'s suffix, or None if the suffix is unknown."""
    suffix = Path(path).suffix.lower()
    for name, suffixes in EXPORT_FORMATS.items():
        if suffix in suffixes:
            return name
    return None
