"""Edits of an org as a timeline: the events that turn the org as it was into the org as edited.

A front end that edits an org (the studio) can save the result as a design, or as the org as
it was plus these events at a chosen month, so the simulation runs the old org up to that
month and the new one after it. The events use the timeline's own actions
(:mod:`ccosim.scenario.timeline`), in an order that never makes a cycle:

1. units that are gone are removed (their reports move up, as the timeline does);
2. new units are added, managers first (their positions hired: time to fill, then ramp);
3. a unit changed in a way no event expresses (title, name, function, cost, segment,
   vacancy, open positions, dotted lines) is removed and added back as edited, its people
   kept in post (``moves_in_filled``), managers first;
4. every unit whose manager differs gets a ``move_unit``, top-down in the edited org;
5. headcounts (``set_headcount``) and staffing policies (``set_staffing``).

The events are replayed as they are made; the result must equal the edited org unit for
unit, or :class:`~ccosim.errors.CcosimError` says which unit differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ccosim.errors import CcosimError
from ccosim.scenario.schema import TimelineEvent, Unit
from ccosim.scenario.timeline import apply_event

__all__ = ["edits_timeline"]

#: Fields ``set_headcount`` and ``set_staffing`` change; any other change replaces the unit.
_SETTABLE = {"headcount", "open_headcount", "staffing"}


def _top_down(units: Sequence[Unit]) -> list[Unit]:
    """``units`` breadth-first from the root (iterative; children in list order)."""
    children: dict[str | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.reports_to, []).append(unit)
    order = list(children.get(None, []))
    for unit in order:  # grows as it goes
        order.extend(children.get(unit.id, []))
    return order


def _changed_fields(before: Unit, after: Unit) -> set[str]:
    a, b = before.model_dump(), after.model_dump()
    return {k for k in a if a[k] != b[k] and k != "reports_to"}


def _after_set_headcount(unit: Unit, headcount: float) -> Unit:
    event = TimelineEvent.model_construct(
        month=0, action="set_headcount", id=unit.id, headcount=headcount
    )
    return apply_event([unit], event)[0]


def _settable(before: Unit, after: Unit) -> bool:
    """Whether set_headcount and set_staffing alone turn ``before`` into ``after``."""
    fields = _changed_fields(before, after)
    if not fields <= _SETTABLE:
        return False
    unit = before
    if fields & {"headcount", "open_headcount"}:
        unit = _after_set_headcount(before, after.headcount)
    if unit.open_headcount != after.open_headcount:
        return False
    return unit.staffing == after.staffing or after.staffing is not None


class _Replay:
    """The events made so far and the org they give."""

    def __init__(self, units: Sequence[Unit], month: int) -> None:
        self.units = list(units)
        self.month = month
        self.events: list[TimelineEvent] = []

    def add(self, action: str, note: str, **fields: Any) -> None:
        event = TimelineEvent.model_validate(
            {"month": self.month, "action": action, "note": note, **fields}
        )
        self.events.append(event)
        self.units = apply_event(self.units, event)

    def parent(self, unit_id: str) -> str | None:
        return next(u.reports_to for u in self.units if u.id == unit_id)

    def unit(self, unit_id: str) -> Unit:
        return next(u for u in self.units if u.id == unit_id)


def _added_and_replaced(replay: _Replay, before: dict[str, Unit], edited: Sequence[Unit]) -> None:
    """Steps 2 and 3: new units, then units changed beyond set_headcount/set_staffing."""
    for unit in _top_down(edited):
        if unit.id in before:
            continue
        # Its manager exists: an original unit, or a new one added before it (top-down).
        replay.add("add_unit", "studio: new unit", unit=unit.model_dump(exclude_none=True))
    for unit in _top_down(edited):
        old = before.get(unit.id)
        if old is None or old == unit or _settable(old, unit):
            continue
        fields = ", ".join(sorted(_changed_fields(old, unit)))
        replay.add("remove_unit", f"studio: {fields} changed (replaced, people kept)", id=unit.id)
        replay.add(
            "add_unit",
            f"studio: {fields} changed (replaced, people kept)",
            unit=unit.model_dump(exclude_none=True),
            moves_in_filled=True,
        )


def edits_timeline(
    original: Sequence[Unit], edited: Sequence[Unit], month: int
) -> list[TimelineEvent]:
    """Timeline events at ``month`` that turn the ``original`` units into the ``edited`` ones.

    Args:
        original: The org as it was (a valid tree).
        edited: The org as edited (a valid tree with the same root).
        month: Month the changes take effect.

    Returns:
        The events, in the order they apply (see the module docstring).

    Raises:
        CcosimError: the events do not replay to ``edited`` (a bug, not a user error).
    """
    before = {u.id: u for u in original}
    after = {u.id: u for u in edited}
    replay = _Replay(original, month)
    for unit in original:
        if unit.id not in after:
            replay.add("remove_unit", "studio: removed", id=unit.id)
    _added_and_replaced(replay, before, edited)
    for unit in _top_down(edited):
        if unit.reports_to is not None and replay.parent(unit.id) != unit.reports_to:
            replay.add("move_unit", "studio: moved", id=unit.id, reports_to=unit.reports_to)
    for unit in _top_down(edited):
        now = replay.unit(unit.id)
        if now.headcount != unit.headcount or now.open_headcount != unit.open_headcount:
            replay.add("set_headcount", "studio: headcount", id=unit.id, headcount=unit.headcount)
            now = replay.unit(unit.id)
        if now.staffing != unit.staffing and unit.staffing is not None:
            replay.add(
                "set_staffing",
                "studio: staffing policy",
                id=unit.id,
                staffing=unit.staffing.model_dump(exclude_none=True),
            )
    result = {u.id: u for u in replay.units}
    wrong = sorted(k for k in set(result) | set(after) if result.get(k) != after.get(k))
    if wrong:
        raise CcosimError(f"the timeline of the edits does not give the edited org: {wrong[:5]}")
    return replay.events
