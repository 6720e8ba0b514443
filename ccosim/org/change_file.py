"""The payroll-ready change file of a reorg: one row per person affected.

``ccosim org diff --moves FILE`` writes it; :func:`read_change_file` reads it back (after an
edit in a spreadsheet, too). A row is one position of the as-is or to-be org that a payroll
or HRIS team has to touch:

* ``move``: a new solid-line manager, or the manager moved and the person goes with them
  (``moves_with_manager`` is ``yes``; the manager stays the same, the unit changes);
* ``title change``: the same position with a new title;
* ``dotted-line change``: dotted-line managers added or dropped;
* ``new requisition``: a position added to be hired (``addition`` when it arrives filled);
* ``removal``: a position of the as-is org that is gone.

A person with several changes has one row, the types joined by ``"; "``
(``move; title change``). ``unit`` is the branch of the org a person is in: the top's
direct report above them ("Name, Title"). ``people`` counts people, not FTE: a half-time
position is one person, a team of 2.5 FTE three.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.org.graph import OrgGraph
from ccosim.org.people import people_in, unit_label
from ccosim.tabular import FORMULA_PREFIXES, csv_text

__all__ = [
    "CHANGE_COLUMNS",
    "CHANGE_TYPES",
    "ChangeRow",
    "change_file_csv",
    "change_rows",
    "effective_date",
    "read_change_file",
]

#: Change types, in the order a row lists them.
CHANGE_TYPES: tuple[str, ...] = (
    "move",
    "title change",
    "dotted-line change",
    "new requisition",
    "addition",
    "removal",
)


@dataclass(frozen=True)
class ChangeRow:
    """One person (or one team) affected by a reorg, as the change file holds it.

    Attributes:
        id: The unit id (the HRIS position or employee id).
        name: The person's name ("" for an open position or a team).
        change_type: One of :data:`CHANGE_TYPES`, or several joined by ``"; "``.
        old_manager_id: Solid-line manager before ("" if none: an addition, the top).
        old_manager: That manager's "Name, Title".
        new_manager_id: Solid-line manager after ("" for a removal).
        new_manager: That manager's "Name, Title".
        old_title: Title before ("" for an addition).
        new_title: Title after ("" for a removal).
        old_unit: Branch before (the top's direct report above, "Name, Title").
        new_unit: Branch after.
        effective_date: ISO date the change takes effect (``2027-01-01``).
        moves_with_manager: ``yes`` if the person only moves because their manager moves.
        status: ``filled``, ``open`` or ``partly open`` (after; before for a removal).
        people: People in the row (1 for a person, a team's heads rounded up).
    """

    id: str
    name: str
    change_type: str
    old_manager_id: str
    old_manager: str
    new_manager_id: str
    new_manager: str
    old_title: str
    new_title: str
    old_unit: str
    new_unit: str
    effective_date: str
    moves_with_manager: str
    status: str
    people: int

    @property
    def types(self) -> list[str]:
        """The change types of the row."""
        return [t.strip() for t in self.change_type.split(";") if t.strip()]


#: Columns of the change file, in order.
CHANGE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ChangeRow))


def effective_date(text: str, *, option: str = "--effective-date") -> str:
    """A full ISO date from ``2027-01-15`` or a month ``2027-01`` (its first day).

    Raises:
        CcosimError: not a date.
    """
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise CcosimError(f"{option} {text!r} is not a date (YYYY-MM-DD, or YYYY-MM for the 1st)")


def _status(graph: OrgGraph, unit_id: str) -> str:
    unit = graph.units[unit_id]
    if unit.vacant or (unit.headcount and unit.open_headcount >= unit.headcount):
        return "open"
    return "partly open" if unit.open_headcount else "filled"


def _branch(graph: OrgGraph, unit_id: str) -> str:
    return unit_label(graph.units[graph.executive_of(unit_id)])


def _manager(graph: OrgGraph, unit_id: str) -> tuple[str, str]:
    boss = graph.units[unit_id].reports_to
    return (boss, unit_label(graph.units[boss])) if boss else ("", "")


def _carried(a: OrgGraph, b: OrgGraph, moved: set[str]) -> set[str]:
    """Units that keep their manager while a manager above them moves."""
    out: set[str] = set()
    for unit_id in moved:
        for below in b.subtree(unit_id)[1:]:
            if below in a and a.units[below].reports_to == b.units[below].reports_to:
                out.add(below)
    return out


def change_rows(a: OrgGraph, b: OrgGraph, *, effective: str = "") -> list[ChangeRow]:
    """The change file of the reorg from ``a`` (as-is) to ``b`` (to-be), top-down.

    Args:
        a: The as-is org.
        b: The to-be org.
        effective: ISO date written in every row (see :func:`effective_date`).

    Returns:
        One row per unit affected: units of ``b`` top-down, then removals in ``a``'s order.
    """
    moved = {u for u in b.top_down if u in a and a.units[u].reports_to != b.units[u].reports_to}
    carried = _carried(a, b, moved)
    rows = []
    for unit_id in b.top_down:
        after = b.units[unit_id]
        before = a.units.get(unit_id)
        if before is None:
            kind = "new requisition" if _status(b, unit_id) != "filled" else "addition"
            types = [kind]
        else:
            checks = {
                "move": unit_id in moved or unit_id in carried,
                "title change": before.title != after.title,
                "dotted-line change": sorted(before.dotted_to) != sorted(after.dotted_to),
            }
            types = [t for t, hit in checks.items() if hit]
        if not types:
            continue
        rows.append(_row(a if before is not None else None, b, unit_id, types, effective, carried))
    for unit_id in a.top_down:
        if unit_id not in b:
            rows.append(_row(a, None, unit_id, ["removal"], effective, carried))
    return rows


def _row(
    a: OrgGraph | None,
    b: OrgGraph | None,
    unit_id: str,
    types: Sequence[str],
    effective: str,
    carried: set[str],
) -> ChangeRow:
    before = a.units[unit_id] if a is not None else None
    after = b.units[unit_id] if b is not None else None
    current = b if b is not None else a
    assert current is not None
    old_boss = _manager(a, unit_id) if a is not None else ("", "")
    new_boss = _manager(b, unit_id) if b is not None else ("", "")
    return ChangeRow(
        id=unit_id,
        name=(after or before).name or "",  # type: ignore[union-attr]
        change_type="; ".join(t for t in CHANGE_TYPES if t in types),
        old_manager_id=old_boss[0],
        old_manager=old_boss[1],
        new_manager_id=new_boss[0],
        new_manager=new_boss[1],
        old_title=before.title if before is not None else "",
        new_title=after.title if after is not None else "",
        old_unit=_branch(a, unit_id) if a is not None else "",
        new_unit=_branch(b, unit_id) if b is not None else "",
        effective_date=effective,
        moves_with_manager="yes" if unit_id in carried else "no",
        status=_status(current, unit_id),
        people=people_in(current.units[unit_id]),
    )


def change_file_csv(rows: Iterable[ChangeRow]) -> str:
    """The change file as CSV text (:data:`CHANGE_COLUMNS`; formula-like cells quoted)."""
    return csv_text(CHANGE_COLUMNS, (astuple(r) for r in rows))


def read_change_file(path: str | Path) -> list[ChangeRow]:
    """The rows of a change file written by :func:`change_file_csv` (or edited in a spreadsheet).

    Raises:
        CcosimError: the file is unreadable, lacks a column, or a row has an unknown change
            type, a date that is not ``YYYY-MM-DD``, ``moves_with_manager`` other than
            yes/no, or a ``people`` that is not a whole number (the CSV line is named).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CcosimError(f"{path}: cannot read ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CHANGE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CcosimError(f"{path}: not a change file; missing column(s) {', '.join(missing)}")
    rows = []
    for record in reader:
        cells = {c: _unquote((record.get(c) or "").strip()) for c in CHANGE_COLUMNS}
        rows.append(_checked(cells, f"{path}:{reader.line_num}"))
    return rows


def _checked(cells: dict[str, str], where: str) -> ChangeRow:
    """One row of a change file, its values checked (``where`` names file and line)."""
    types = [t.strip() for t in cells["change_type"].split(";") if t.strip()]
    unknown = [t for t in types if t not in CHANGE_TYPES]
    if not types or unknown:
        raise CcosimError(
            f"{where}: column 'change_type': {cells['change_type']!r} is not one of "
            f"{', '.join(CHANGE_TYPES)}"
        )
    if cells["effective_date"]:
        try:
            dt.date.fromisoformat(cells["effective_date"])
        except ValueError:
            raise CcosimError(
                f"{where}: column 'effective_date': {cells['effective_date']!r} is not a "
                "YYYY-MM-DD date"
            ) from None
    if cells["moves_with_manager"] not in ("yes", "no"):
        raise CcosimError(
            f"{where}: column 'moves_with_manager': {cells['moves_with_manager']!r} is not "
            "yes or no"
        )
    if not cells["people"].isdigit():
        raise CcosimError(f"{where}: column 'people': {cells['people']!r} is not a whole number")
    return ChangeRow(**{**cells, "people": int(cells["people"])})  # type: ignore[arg-type]


def _unquote(cell: str) -> str:
    """A cell without the ``'`` :func:`ccosim.tabular.safe_cell` put before formula-like text."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_PREFIXES else cell
