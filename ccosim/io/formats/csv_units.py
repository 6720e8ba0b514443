"""The org as a CSV table in the shape HRIS tools import, and its reader."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ccosim.io.formats.common import (
    OrgFormatError,
    explicit_cost,
    make_unit,
    number_text,
    parse_seat,
    parse_staffing,
    seat_text,
    staffing_text,
)
from ccosim.org.graph import OrgGraph
from ccosim.scenario.schema import Unit
from ccosim.tabular import csv_text

__all__ = ["CSV_COLUMNS", "read_csv_units", "to_csv"]

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
    "seat",
)


def to_csv(graph: OrgGraph) -> str:
    """The org as a CSV table in the shape HRIS tools import (one row per unit, top-down).

    Columns are :data:`CSV_COLUMNS`: ``id, reports_to, name, title, function, headcount,
    loaded_cost`` (loaded annual cost per head: salary with benefits, taxes and overhead
    already in, so ``ccosim org import`` never loads it again), then ``total_cost``
    (headcount x loaded cost), ``cost_source`` (``unit``: the unit's own cost; ``default``:
    the function's default, which an import leaves to the default again), the other unit
    fields (``open_headcount``, ``vacant``, ``location``, ``currency``, ``segment``,
    ``span_limit``), ``dotted_to`` (ids separated by ``;``), ``staffing`` and ``seat`` (JSON).
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
                number_text(unit.headcount),
                number_text(graph.cost_per_head_of(unit)),
                number_text(graph.cost(unit_id)),
                "unit" if explicit_cost(unit) else "default",
                number_text(unit.open_headcount),
                "true" if unit.vacant else "false",
                unit.location or "",
                unit.currency or "",
                unit.segment or "",
                "" if unit.span_limit is None else str(unit.span_limit),
                ";".join(unit.dotted_to),
                staffing_text(unit),
                seat_text(unit),
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
            fields["staffing"] = parse_staffing(row["staffing"], f"{where}: column 'staffing'")
        if row.get("seat"):
            fields["seat"] = parse_seat(row["seat"], f"{where}: column 'seat'")
        units.append(make_unit(fields, where))
    return units
