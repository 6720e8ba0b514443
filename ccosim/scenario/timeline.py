"""The timeline replayed: the org in force from each month on.

One replay serves every reader of the timeline: validation (:mod:`ccosim.scenario.checks`
reports the events that do not apply to the org of their month), compilation
(:mod:`ccosim.sim.params` compiles the org of each period) and the org at a given month
(:func:`org_at`). Events take effect in month order, those of one month in file order; removing
a manager lifts its reports to the manager above it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ccosim.errors import CcosimError
from ccosim.scenario.schema import Org, Scenario, TimelineEvent, Unit

__all__ = ["EventCheck", "OrgPeriod", "apply_event", "org_at", "replay", "scenario_at"]

Path = tuple[str | int, ...]
Problem = tuple[Path, str]
#: Validation's rules for one event: (reporting lines in force, event, key path) ->
#: (problems, whether the event applies nonetheless).
EventCheck = Callable[[Mapping[str, str | None], TimelineEvent, Path], tuple[list[Problem], bool]]


@dataclass(frozen=True)
class OrgPeriod:
    """The org from ``month`` on, until the next period.

    Attributes:
        month: First month of the period (0 for the org of the scenario's file).
        units: The units in force: the file's in file order, then those added, in turn.
        events: The timeline events that took effect at ``month`` (file order); an event
            that leaves every unit as it was (a unit moved to the manager it already has, a
            headcount set to the one it has) is not one of them: it asks the workforce for
            nothing.
        problems: Events of the month that do not apply to the org then, as (key path into
            the scenario, message); those events were left out. Empty for a loaded scenario.
    """

    month: int
    units: tuple[Unit, ...]
    events: tuple[TimelineEvent, ...] = ()
    problems: tuple[Problem, ...] = ()


def apply_event(units: list[Unit], event: TimelineEvent) -> list[Unit]:
    """The unit list after one timeline event (removing a manager lifts its reports up)."""
    if event.action == "add_unit":
        assert event.unit is not None
        return [*units, event.unit]
    out: list[Unit] = []
    removed = next((u for u in units if u.id == event.id), None)
    for unit in units:
        if event.action == "remove_unit":
            if unit.id == event.id:
                continue
            if removed is not None and unit.reports_to == event.id:
                unit = unit.model_copy(update={"reports_to": removed.reports_to})
        elif unit.id == event.id:
            unit = _changed(unit, event)
        out.append(unit)
    return out


def _changed(unit: Unit, event: TimelineEvent) -> Unit:
    """``unit`` after a move, a new headcount, a new staffing policy or a vacating."""
    if event.action == "move_unit":
        return unit.model_copy(update={"reports_to": event.reports_to})
    if event.action == "set_headcount":
        staffing = unit.staffing
        if staffing is not None:
            staffing = staffing.model_copy(update={"policy": "fixed", "plan": None})
        return unit.model_copy(
            update={"headcount": event.headcount, "open_headcount": 0.0, "staffing": staffing}
        )
    if event.action == "set_staffing":
        return unit.model_copy(update={"staffing": event.staffing})
    if event.action == "vacate_unit":
        return unit.model_copy(update={"vacant": True, "open_headcount": 0.0})
    return unit


def replay(scenario: Scenario, check: EventCheck | None = None) -> Iterator[OrgPeriod]:
    """The org of the scenario's file, then the org after each month that has events.

    Months at or after the horizon are replayed too: a reader that simulates stops there.

    Args:
        scenario: The scenario (validated, or being validated).
        check: Validation's rules: called with the reporting lines in force (unit id ->
            manager id), the event and its key path before each event takes effect; returns
            the event's problems and whether to apply it anyway. Without it every event
            applies (a loaded scenario has passed the check).

    Yields:
        One :class:`OrgPeriod` for the file's org, then one for each month with events.
    """
    timeline = scenario.timeline
    units = list(scenario.org.units)
    yield OrgPeriod(0, tuple(units))
    order = sorted(range(len(timeline)), key=lambda i: timeline[i].month)
    for month, group in itertools.groupby(order, key=lambda i: timeline[i].month):
        applied: list[TimelineEvent] = []
        problems: list[Problem] = []
        for index in group:
            event = timeline[index]
            applies = True
            if check is not None:
                parent = {u.id: u.reports_to for u in units}
                found, applies = check(parent, event, ("timeline", index))
                problems += found
            if applies:
                after = apply_event(units, event)
                if after != units:
                    applied.append(event)
                units = after
        yield OrgPeriod(month, tuple(units), tuple(applied), tuple(problems))


def org_at(scenario: Scenario, month: int) -> tuple[Unit, ...]:
    """The units in force at ``month`` (every event up to and including that month applied)."""
    units: tuple[Unit, ...] = ()
    for period in replay(scenario):
        if period.month > month:
            break
        units = period.units
    return units


def scenario_at(scenario: Scenario, month: int) -> Scenario:
    """The scenario as of ``month``: its org is the one the timeline produces then.

    The units are :func:`org_at` ``month`` (units an event adds vacant or with open positions
    stay so, and draw as placeholders); the events up to and including ``month`` are dropped
    from the timeline, the later ones kept as they are, so replaying the result gives the same
    org from ``month`` on. Month 0 with no event at month 0 returns ``scenario`` itself.

    Args:
        scenario: A loaded scenario.
        month: 0 to the horizon in months (``horizon_years * 12``).

    Returns:
        A copy of ``scenario`` with the org in force at ``month``.

    Raises:
        CcosimError: ``month`` is outside 0 to the horizon.
    """
    horizon = scenario.horizon_years * 12
    if not 0 <= month <= horizon:
        raise CcosimError(
            f"--at-month {month}: choose a month from 0 to the horizon of "
            f"'{scenario.name}' ({horizon} months, horizon_years {scenario.horizon_years})"
        )
    if not any(event.month <= month for event in scenario.timeline):
        return scenario
    org = Org.model_construct(units=list(org_at(scenario, month)))
    later = [event for event in scenario.timeline if event.month > month]
    return scenario.model_copy(update={"org": org, "timeline": later})
