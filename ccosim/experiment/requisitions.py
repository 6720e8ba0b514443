"""The requisition list: one row per person to hire, from the plan's expected hires.

The simulated workforce is fluid (a unit can hire 0.4 of a head in a month, and the mean of
the runs is fractional anyway); a requisition is a person. Each unit's expected hires of each
kind (new, backfill) are accumulated month by month and rounded, and a row is opened in each
month the rounded total steps up:

    rows(unit, kind, month m) = round(E_m) - round(E_{m-1}),   E_m = expected hires to month m

so the rows of a quarter add up to ``round(E)`` at its end less ``round(E)`` at the previous
quarter's end, and every quarter's planned hires (:data:`Requisition` rows) differ from its
expected hires by less than one per kind, without the error growing over the plan. (Rounding is
half up: ``floor(E + 0.5)``.)

Each row says when its requisition opens (the start month less the unit's time to fill in
the org period of that month), whom it reports to (the manager unit in force then, with its
incumbent's name where the scenario gives one) and why the seat is wanted (the driver).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from ccosim.experiment.plan import PlanRun
from ccosim.scenario.calendar import month_start
from ccosim.scenario.schema import Unit
from ccosim.scenario.timeline import replay
from ccosim.sim.params import DRIVERS, POLICIES

__all__ = ["KINDS", "OrgIndex", "Requisition", "planned_hires", "requisitions"]

#: Kinds of hire: a new seat, or one vacated by a leaver (see :mod:`ccosim.experiment.plan`).
KINDS: tuple[str, ...] = ("new", "backfill")

#: How a ratio policy's driver reads in a sentence.
_DRIVER_WORDS = {
    "accounts": "accounts",
    "arr": "ARR ($)",
    "new_accounts": "new accounts a year",
    "renewals": "renewals a year",
}


def planned_hires(expected: np.ndarray) -> np.ndarray:
    """Whole hires per month from expected hires: steps of the rounded cumulative sum.

    Args:
        expected: ... x months, expected (mean) hires, each month >= 0.

    Returns:
        Integers of the same shape; summed over any run of months from the first, they are
        the rounded expected total.
    """
    rounded = np.floor(np.cumsum(expected, axis=-1) + 0.5)
    return np.diff(rounded, axis=-1, prepend=0.0).astype(np.int64)


@dataclass(frozen=True)
class Requisition:
    """One person to hire.

    Attributes:
        req_id: ``REQ-0001``, in order of target start, then unit order.
        unit: Unit id.
        title: The unit's title.
        function: The unit's function.
        manager_unit: Id of the unit it reports to when the requisition opens ('' for the root).
        manager_title: That manager's title.
        manager_name: That manager's name where the scenario gives one, else ''.
        kind: ``new`` or ``backfill``.
        opens_month: Month the requisition opens (start month less the time to fill).
        start_month: Month the hire starts.
        start_quarter: Quarter of the start, 1-based.
        loaded_cost: Annual loaded cost of the head.
        driver: Why the seat is wanted.
    """

    req_id: str
    unit: str
    title: str
    function: str
    manager_unit: str
    manager_title: str
    manager_name: str
    kind: str
    opens_month: int
    start_month: int
    start_quarter: int
    loaded_cost: float
    driver: str


class OrgIndex:
    """The org in force each month, and where units came from (for requisition rows)."""

    def __init__(self, run: PlanRun) -> None:
        scenario = run.scenario
        self.periods: list[tuple[int, dict[str, Unit]]] = []
        self.added: dict[str, tuple[int, str]] = {}
        for period in replay(scenario):
            self.periods.append((period.month, {u.id: u for u in period.units}))
            for event in period.events:
                if event.action == "add_unit" and event.unit is not None:
                    self.added[event.unit.id] = (period.month, event.note or "")
        self.file_units = {u.id: u for u in scenario.org.units}

    def units_at(self, month: int) -> dict[str, Unit]:
        """Unit id -> unit, in the org in force at ``month``."""
        found = self.periods[0][1]
        for start, units in self.periods:
            if start <= month:
                found = units
        return found

    def unit(self, unit_id: str, month: int) -> Unit | None:
        """The unit as it is at ``month`` (or when it next exists)."""
        unit = self.units_at(month).get(unit_id)
        if unit is None:
            for _, units in self.periods:
                if unit_id in units:
                    return units[unit_id]
        return unit


def _when(run: PlanRun, month: int) -> str:
    start = month_start(run.scenario, month)
    return f"month {month} ({start:%Y-%m})" if start is not None else f"month {month}"


def _opens(run: PlanRun, slot: int, start: int) -> int:
    """Month a requisition starting at ``start`` was opened (the time to fill then)."""
    for month in range(start, max(-1, start - 40), -1):
        lag = int(np.rint(run.epoch_at(month).time_to_fill[slot]))
        if month + lag == start:
            return month
    return start


def _driver(run: PlanRun, index: OrgIndex, slot: int, kind: str, opens: int) -> str:
    """Why the seat is wanted, in words a hiring manager can check."""
    uid = run.params.unit_ids[slot]
    epoch = run.epoch_at(opens)
    when = _when(run, opens)
    if kind == "backfill":
        return f"backfill: replaces a leaver (attrition {epoch.attrition[slot]:.0%} a year)"
    added = index.added.get(uid)
    if added is not None and added[0] == opens:
        note = f": {added[1]}" if added[1] else ""
        return f"new unit in the timeline at {when}{note}"
    first = index.file_units.get(uid)
    if opens == 0 and first is not None and first.filled_headcount < first.headcount:
        what = "vacant" if first.vacant else f"open_headcount {first.open_headcount:g}"
        return f"open position in the scenario file ({what})"
    target = float(run.units["target"][:, slot, opens].mean())
    policy = POLICIES[int(epoch.policy[slot])]
    if policy == "ratio":
        floor = float(epoch.min_headcount[slot])
        name = DRIVERS[int(epoch.driver[slot])]
        seg = int(epoch.driver_segment[slot])
        where = f", {run.params.segments.names[seg]}" if seg >= 0 else ""
        value = float(run.units["driver"][:, slot, opens].mean())
        if target <= floor + 1e-9 and value / float(epoch.per_head[slot]) <= floor:
            return f"minimum headcount {floor:g} (ratio policy floor)"
        return (
            f"1 head per {float(epoch.per_head[slot]):,.0f} {_DRIVER_WORDS[name]}{where}: "
            f"{value:,.0f} at {when} -> {target:.1f} heads wanted"
        )
    if policy == "plan":
        return f"headcount plan: {target:g} heads in year {opens // 12 + 1}"
    return f"fixed headcount {target:g}"


def requisitions(run: PlanRun, planned: dict[str, np.ndarray]) -> list[Requisition]:
    """One row per planned hire of the plan's quarters.

    Args:
        run: The simulated plan.
        planned: Kind -> units x months whole hires (:func:`planned_hires` of each kind).

    Returns:
        The rows, ordered by start month, unit slot and kind.
    """
    index = OrgIndex(run)
    rows: list[Requisition] = []
    for month, slot, kind in _row_keys(planned):
        uid = run.params.unit_ids[slot]
        opens = _opens(run, slot, month)
        unit = index.unit(uid, opens)
        assert unit is not None  # a unit that hires is in some period's org
        boss = index.unit(unit.reports_to, opens) if unit.reports_to else None
        cost = float(run.epoch_at(month).cost[slot])
        row = Requisition(
            req_id="",
            unit=uid,
            title=unit.title,
            function=unit.function.value,
            manager_unit=unit.reports_to or "",
            manager_title=boss.title if boss is not None else "",
            manager_name=(boss.name or "") if boss is not None else "",
            kind=kind,
            opens_month=opens,
            start_month=month,
            start_quarter=month // 3 + 1,
            loaded_cost=cost,
            driver=_driver(run, index, slot, kind, opens),
        )
        for _ in range(int(planned[kind][slot, month])):
            rows.append(row)
    return [replace(row, req_id=f"REQ-{i:04d}") for i, row in enumerate(rows, start=1)]


def _row_keys(planned: dict[str, np.ndarray]) -> Iterator[tuple[int, int, str]]:
    """(month, slot, kind) of every cell with planned hires, in row order."""
    cells = [
        (int(month), int(slot), kind)
        for kind, counts in planned.items()
        for slot, month in zip(*np.nonzero(counts), strict=True)
    ]
    yield from sorted(cells, key=lambda c: (c[0], c[1], KINDS.index(c[2])))
