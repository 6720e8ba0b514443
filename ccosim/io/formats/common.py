"""What the org file formats share: their error, number text, node labels, edges, unit checks."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from ccosim.errors import CcosimError
from ccosim.org.graph import OrgGraph
from ccosim.scenario.schema import Seat, Staffing, Unit

__all__ = [
    "OrgFormatError",
    "dotted_edges",
    "explicit_cost",
    "is_open",
    "label_lines",
    "make_unit",
    "number_text",
    "parse_seat",
    "parse_staffing",
    "seat_text",
    "solid_edges",
    "staffing_text",
]


class OrgFormatError(CcosimError):
    """An org file (GraphML or CSV) that cannot be read back into units."""


def number_text(value: float) -> str:
    """A number as short text: ``6`` rather than ``6.0``, full precision otherwise."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def explicit_cost(unit: Unit) -> bool:
    """Whether the unit has a cost of its own (not the function's default)."""
    return unit.cost is not None


def staffing_text(unit: Unit) -> str:
    """The unit's staffing policy as JSON (only what differs from the defaults), or ``""``."""
    if unit.staffing is None:
        return ""
    return json.dumps(unit.staffing.model_dump(mode="json", exclude_defaults=True), sort_keys=True)


def seat_text(unit: Unit) -> str:
    """The executive seat as JSON (only what differs from the defaults), or ``""``."""
    if unit.seat is None:
        return ""
    return json.dumps(unit.seat.model_dump(mode="json", exclude_defaults=True), sort_keys=True)


def parse_seat(text: str, where: str) -> Seat:
    """An executive seat from its JSON text; :class:`OrgFormatError` naming ``where`` if not."""
    try:
        return Seat.model_validate(json.loads(text))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, ValidationError too
        raise OrgFormatError(f"{where}: seat is not a valid executive seat ({exc})") from exc


def label_lines(graph: OrgGraph, unit_id: str) -> list[str]:
    """A drawn node's label (DOT, Mermaid): title, name, heads and how many are open."""
    unit = graph.units[unit_id]
    lines = [unit.title]
    if unit.name:
        lines.append(unit.name)
    if unit.headcount != 1 or unit.open_headcount or unit.vacant:
        heads = f"{number_text(unit.headcount)} heads"
        if unit.vacant:
            heads += " (to hire)"
        elif unit.open_headcount:
            heads += f" ({number_text(unit.open_headcount)} open)"
        lines.append(heads)
    return lines


def is_open(unit: Unit) -> bool:
    """Whether some or all of the unit is to be hired (drawn dashed)."""
    return unit.vacant or unit.open_headcount > 0


def dotted_edges(graph: OrgGraph) -> list[tuple[str, str]]:
    """Dotted lines (manager, unit) in unit order, then ``dotted_to`` order."""
    return [(boss, u.id) for u in graph.units.values() for boss in u.dotted_to]


def solid_edges(graph: OrgGraph) -> list[tuple[str, str]]:
    """Reporting lines (manager, unit) in unit order."""
    return [(u.reports_to, u.id) for u in graph.units.values() if u.reports_to is not None]


def parse_staffing(text: str, where: str) -> Staffing:
    """A staffing policy from its JSON text; :class:`OrgFormatError` naming ``where`` if not."""
    try:
        return Staffing.model_validate(json.loads(text))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, ValidationError too
        raise OrgFormatError(f"{where}: staffing is not a valid staffing policy ({exc})") from exc


def make_unit(fields: dict[str, Any], where: str) -> Unit:
    """A validated unit; :class:`OrgFormatError` naming ``where`` and every problem if not."""
    try:
        return Unit.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'unit'}: {err['msg']}"
            for err in exc.errors()
        )
        raise OrgFormatError(f"{where}: {problems}") from exc
