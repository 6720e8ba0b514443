"""Editing an org in memory: re-parent a unit, change its fields, each checked like a file.

Every edit returns a new :class:`~ccosim.scenario.Scenario` (scenarios are immutable) or
raises :class:`OrgEditError` with the scenario format's own message: a pydantic bound
("headcount must be at most 100000") or a rule of the whole org (a cycle, an unknown
manager). Front ends (the studio, scripts) edit through these functions so that what they
save is what ``ccosim validate`` accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ccosim.errors import CcosimError
from ccosim.scenario import Scenario, Unit
from ccosim.scenario.checks import check_scenario
from ccosim.scenario.schema import TimelineEvent
from ccosim.scenario.timeline import apply_event

__all__ = [
    "CLEARABLE_FIELDS",
    "EDITABLE_FIELDS",
    "OrgEditError",
    "add_unit",
    "move_unit",
    "remove_unit",
    "update_unit",
]

#: Unit fields an editor may change (reporting lines move with :func:`move_unit`).
EDITABLE_FIELDS = (
    "title",
    "name",
    "function",
    "headcount",
    "open_headcount",
    "vacant",
    "cost",
    "segment",
    "staffing",
)

#: Fields an empty value removes (no name, the function's default cost, every segment, no
#: staffing policy).
CLEARABLE_FIELDS = ("name", "cost", "segment", "staffing")


class OrgEditError(CcosimError):
    """An edit the scenario format refuses; ``problems`` maps a field (or ``""``) to why."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.problems.items()))


def _units(scenario: Scenario) -> dict[str, Unit]:
    return {u.id: u for u in scenario.org.units}


def _with_units(scenario: Scenario, units: list[Unit]) -> Scenario:
    org = scenario.org.model_copy(update={"units": units})
    edited = scenario.model_copy(update={"org": org})
    problems = {".".join(str(p) for p in path[3:]): msg for path, msg in check_scenario(edited)}
    if problems:
        raise OrgEditError(problems)
    return edited


def _validated(data: Mapping[str, Any]) -> Unit:
    """A unit from ``data``, or :class:`OrgEditError` with the format's message by field."""
    try:
        return Unit.model_validate(data)
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            key = ".".join(loc[:2]) if loc[:1] == ["staffing"] else (loc[0] if loc else "")
            problems.setdefault(key, str(err["msg"]).removeprefix("Value error, "))
        raise OrgEditError(problems) from None


def _managers(units: Mapping[str, Unit], unit_id: str | None) -> list[str]:
    """``unit_id`` and every manager above it, bottom-up (stops on a cycle)."""
    chain: list[str] = []
    while unit_id is not None and unit_id in units and unit_id not in chain:
        chain.append(unit_id)
        unit_id = units[unit_id].reports_to
    return chain


def move_unit(scenario: Scenario, unit_id: str, new_manager: str) -> Scenario:
    """``scenario`` with ``unit_id`` (and everyone below it) reporting to ``new_manager``.

    Raises:
        OrgEditError: an unknown unit or manager, the root moved, or a move under the unit's
            own subtree (a cycle).
    """
    units = _units(scenario)
    if unit_id not in units:
        raise OrgEditError({"": f"no unit {unit_id!r} in this org"})
    if new_manager not in units:
        raise OrgEditError({"reports_to": f"no unit {new_manager!r} in this org"})
    if units[unit_id].reports_to is None:
        raise OrgEditError({"": "the top of the org reports to no one; it cannot move"})
    if unit_id in _managers(units, new_manager):
        raise OrgEditError(
            {"reports_to": f"{units[new_manager].title} is below {units[unit_id].title}"}
        )
    moved = units[unit_id].model_copy(update={"reports_to": new_manager})
    return _with_units(scenario, [moved if u.id == unit_id else u for u in scenario.org.units])


def update_unit(scenario: Scenario, unit_id: str, changes: Mapping[str, Any]) -> Scenario:
    """``scenario`` with the fields of ``unit_id`` changed (see :data:`EDITABLE_FIELDS`).

    Empty text for a field of :data:`CLEARABLE_FIELDS` removes the value.

    Raises:
        OrgEditError: an unknown unit or field, or a value the format refuses (by field).
    """
    units = _units(scenario)
    if unit_id not in units:
        raise OrgEditError({"": f"no unit {unit_id!r} in this org"})
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise OrgEditError({k: "cannot be edited here" for k in unknown})
    data = units[unit_id].model_dump(mode="json", exclude_defaults=True)
    data["id"] = unit_id
    for key, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None) and key in CLEARABLE_FIELDS:
            data.pop(key, None)
        else:
            data[key] = value
    unit = _validated(data)
    return _with_units(scenario, [unit if u.id == unit_id else u for u in scenario.org.units])


def _new_id(title: str, taken: set[str]) -> str:
    """An id made from ``title`` (lower case, underscores) not among ``taken``."""
    stem = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40] or "unit"
    if not stem[0].isalpha():
        stem = "u_" + stem
    candidate, n = stem, 2
    while candidate in taken:
        candidate, n = f"{stem}_{n}", n + 1
    return candidate


def add_unit(
    scenario: Scenario, manager: str, fields: Mapping[str, Any] | None = None
) -> tuple[Scenario, str]:
    """``scenario`` with a new unit under ``manager``, and the new unit's id.

    The new unit takes the manager's function, one position and is vacant (a position to
    hire) unless ``fields`` say otherwise; its id is made from its title.

    Raises:
        OrgEditError: an unknown manager, or a value the format refuses (by field).
    """
    units = _units(scenario)
    if manager not in units:
        raise OrgEditError({"reports_to": f"no unit {manager!r} in this org"})
    data: dict[str, Any] = {
        "title": "New position",
        "function": units[manager].function.value,
        "vacant": True,
    }
    data.update(fields or {})
    unknown = sorted(set(data) - {*EDITABLE_FIELDS, "id"})
    if unknown:
        raise OrgEditError({k: "cannot be set here" for k in unknown})
    data["id"] = data.get("id") or _new_id(str(data["title"]), set(units))
    data["reports_to"] = manager
    unit = _validated(data)
    return _with_units(scenario, [*scenario.org.units, unit]), unit.id


def remove_unit(scenario: Scenario, unit_id: str) -> Scenario:
    """``scenario`` without ``unit_id``; its reports move up to its manager.

    The same rule as a timeline's ``remove_unit`` event (:func:`~ccosim.scenario.timeline.
    apply_event`), so a removal saved as a timeline replays to the same org.

    Raises:
        OrgEditError: an unknown unit, or the top of the org.
    """
    units = _units(scenario)
    if unit_id not in units:
        raise OrgEditError({"": f"no unit {unit_id!r} in this org"})
    if units[unit_id].reports_to is None:
        raise OrgEditError({"": "the top of the org cannot be removed"})
    event = TimelineEvent.model_construct(month=0, action="remove_unit", id=unit_id)
    left = apply_event(list(scenario.org.units), event)
    # A dotted line to the removed unit goes with it.
    left = [
        u.model_copy(update={"dotted_to": [d for d in u.dotted_to if d != unit_id]})
        if unit_id in u.dotted_to
        else u
        for u in left
    ]
    return _with_units(scenario, left)
