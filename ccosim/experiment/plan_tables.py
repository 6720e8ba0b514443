"""The plan's tables: headcount by unit and quarter, budget by function, quota capacity.

Every figure is a mean over the replications; where customer randomness moves a figure (heads
in post, loaded cost, quotas and bookings) the middle 95% of runs sits beside it (``_lo``,
``_hi``): how much the simulated customers' luck moves it, not assumption uncertainty (for that,
``business-case --draws``). Hires are whole people, the requisition list's rows
(:mod:`ccosim.experiment.requisitions`); ``expected_hires`` is the runs' mean beside them.

Each table's columns are declared once here, with their type and meaning (the data package
describes them from these).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ccosim.experiment.plan import PlanRun, Spread, spread, unit_quarters
from ccosim.experiment.requisitions import (
    KINDS,
    OrgIndex,
    Requisition,
    planned_hires,
    requisitions,
)
from ccosim.scenario.calendar import month_start
from ccosim.sim.params import FUNCTIONS

__all__ = [
    "BUDGET_COLUMNS",
    "QUOTA_MEASURES",
    "REQUISITION_COLUMNS",
    "UNIT_COLUMNS",
    "HeadcountPlan",
]

Columns = dict[str, tuple[str, str]]

_QUARTER: Columns = {
    "quarter": ("integer", "Plan quarter, 1 = simulated months 0-2."),
    "starts": (
        "string",
        "First day of the quarter (from the scenario's start_date; empty without one).",
    ),
}
_RANGE = "middle 95% of runs (customer randomness only)"


def _ranged(name: str, meaning: str) -> Columns:
    """A mean's column and, beside it, the middle 95% of runs (``NAME_lo``, ``NAME_hi``)."""
    return {
        name: ("number", meaning),
        f"{name}_lo": ("number", f"{name}, low end of the {_RANGE}."),
        f"{name}_hi": ("number", f"{name}, high end of the {_RANGE}."),
    }


def _ranged_cells(name: str, found: Spread, at: tuple[int, ...] = ()) -> dict[str, float]:
    """The cells of :func:`_ranged`'s columns: ``found`` at index ``at``."""
    return {
        name: float(found.mean[at]),
        f"{name}_lo": float(found.lo[at]),
        f"{name}_hi": float(found.hi[at]),
    }


#: headcount_plan.csv: one row per unit and quarter.
UNIT_COLUMNS: Columns = {
    **_QUARTER,
    "unit": ("string", "Unit id."),
    "title": ("string", "Unit title."),
    "function": ("string", "What the unit does."),
    "manager_unit": ("string", "Id of the unit it reports to at the quarter's end."),
    **_ranged("heads_in_post", "Heads in post at the quarter's end, mean over runs."),
    "target": ("number", "Heads the staffing policy asks for at the quarter's end (mean)."),
    "open_requisitions": (
        "number",
        "Requisitions open at the quarter's end: hired, not yet started (mean).",
    ),
    "hires_new": (
        "integer",
        "Planned hires into new seats starting in the quarter (requisitions.csv rows).",
    ),
    "hires_backfill": (
        "integer",
        "Planned hires replacing leavers starting in the quarter (requisitions.csv rows).",
    ),
    "hires": ("integer", "hires_new + hires_backfill."),
    "expected_hires": ("number", "Hires starting in the quarter, mean over runs (fluid)."),
    "leavers": (
        "number",
        "Attrition, layoffs and heads of removed or cut units in the quarter (mean).",
    ),
    "moved_in": (
        "number",
        "Heads who moved in already in post when the timeline added the "
        "unit (moves_in_filled), mean; heads_in_post = previous + hires + moved_in - "
        "leavers.",
    ),
    **_ranged("loaded_cost", "Loaded cost of the heads in post over the quarter ($, mean)."),
}

#: budget.csv: one row per function and quarter, and an ``all`` row per quarter.
BUDGET_COLUMNS: Columns = {
    **_QUARTER,
    "function": ("string", "Function, or all for the whole org."),
    "heads_in_post": ("number", "Heads in post at the quarter's end, mean over runs."),
    "hires": ("integer", "Planned hires starting in the quarter (requisitions)."),
    **_ranged("loaded_cost", "Loaded cost over the quarter ($, mean)."),
    "one_time_cost": (
        "number",
        "all rows: search fees and severance in the quarter ($, mean); empty for a function.",
    ),
}

#: quota_capacity.csv measures: name -> (unit, meaning).
QUOTA_MEASURES: dict[str, tuple[str, str]] = {
    "new_business_quota": (
        "$",
        "Sales quota of the account executives in post (mehta2016 fig. 15.3: new business).",
    ),
    "installed_base_quota": ("$", "The CCO's quota: renewals and upsell due (installed base)."),
    "bookings_new": ("$", "New-business bookings."),
    "bookings_installed_base": ("$", "Renewal and upsell bookings."),
    "new_business_heads": ("count", "Heads in post in new-business sales, quarter end."),
    "installed_base_heads": ("count", "Heads in post in renewals, quarter end."),
}

#: quota_capacity.csv: one row per quarter and measure.
QUOTA_COLUMNS: Columns = {
    **_QUARTER,
    "measure": (
        "string",
        "What is counted: " + "; ".join(f"{k}: {v[1]}" for k, v in QUOTA_MEASURES.items()),
    ),
    "mean": ("number", "Mean over runs, in the quarter ($ summed; heads at its end)."),
    "lo": ("number", f"Low end of the {_RANGE}."),
    "hi": ("number", f"High end of the {_RANGE}."),
}

#: requisitions.csv: one row per planned hire (fields of Requisition, plus starts).
REQUISITION_COLUMNS: Columns = {
    "req_id": ("string", "Requisition id, REQ-0001 in order of target start."),
    "unit": ("string", "Unit id."),
    "title": ("string", "Unit title (the role)."),
    "function": ("string", "What the unit does."),
    "manager_unit": ("string", "Id of the unit the hire reports to when the requisition opens."),
    "manager_title": ("string", "That manager's title."),
    "manager_name": ("string", "That manager's name where the scenario gives one."),
    "kind": ("string", "new (a new seat) or backfill (a seat vacated by a leaver)."),
    "opens_month": ("integer", "Month the requisition opens (start less the time to fill)."),
    "start_month": ("integer", "Month the hire starts."),
    "start_quarter": ("integer", "Plan quarter of the start (1 = months 0-2)."),
    "starts": ("string", "First day of the start month (empty without start_date)."),
    "loaded_cost": ("number", "Annual loaded cost of the head ($)."),
    "driver": ("string", "Why the seat is wanted."),
}

_FLOW_SERIES = ("hires", "leavers", "moved_in", "cost")


@dataclass(frozen=True)
class HeadcountPlan:
    """A simulated plan, cut into quarters, with its requisitions.

    Attributes:
        run: The replications with each unit's series.
        planned: Kind (``new``, ``backfill``) -> units x months whole hires of the plan's
            months.
        requisitions: One row per planned hire.
    """

    run: PlanRun
    planned: dict[str, np.ndarray]
    requisitions: tuple[Requisition, ...]

    @classmethod
    def of(cls, run: PlanRun) -> HeadcountPlan:
        """Quarters, whole hires and requisition rows of a simulated plan."""
        months = 3 * run.quarters
        hires = run.units["hires"][:, :, :months].mean(axis=0)
        backfill = run.units["backfill"][:, :, :months].mean(axis=0)
        expected = dict(zip(KINDS, (np.maximum(hires - backfill, 0.0), backfill), strict=True))
        planned = {kind: planned_hires(values) for kind, values in expected.items()}
        return cls(run, planned, tuple(requisitions(run, planned)))

    @property
    def quarters(self) -> int:
        """Quarters planned."""
        return self.run.quarters

    def starts(self, quarter: int) -> str:
        """First day of a quarter (1-based) as ISO text, '' without a start date."""
        day = month_start(self.run.scenario, 3 * (quarter - 1))
        return day.isoformat() if day is not None else ""

    def quarterly(self, series: str) -> np.ndarray:
        """Runs x units x quarters of a recorded series (flows summed, stocks at the end)."""
        return unit_quarters(self.run.units[series], self.quarters, flow=series in _FLOW_SERIES)

    def planned_quarterly(self, kind: str) -> np.ndarray:
        """Units x quarters whole hires of ``kind``."""
        counts = self.planned[kind]
        return counts.reshape(counts.shape[0], self.quarters, 3).sum(axis=2)

    def unit_rows(self) -> Iterator[dict[str, Any]]:
        """headcount_plan.csv: units in the org (or with people) in each quarter."""
        run = self.run
        index = OrgIndex(run)
        active = run.active()
        filled = spread(self.quarterly("filled"))
        cost = spread(self.quarterly("cost"))
        means = {k: self.quarterly(k).mean(axis=0) for k in ("target", "pending", "hires")}
        leavers = self.quarterly("leavers").mean(axis=0)
        moved_in = self.quarterly("moved_in").mean(axis=0)
        new, back = (self.planned_quarterly(k) for k in KINDS)
        for q in range(self.quarters):
            end = 3 * q + 2
            units = index.units_at(end)
            for slot, uid in enumerate(run.params.unit_ids):
                busy = filled.mean[slot, q] + means["hires"][slot, q] + leavers[slot, q]
                busy += moved_in[slot, q]
                if not (active[slot, 3 * q : end + 1].any() or busy > 1e-9):
                    continue
                unit = units.get(uid) or index.unit(uid, end)
                assert unit is not None
                yield {
                    "quarter": q + 1,
                    "starts": self.starts(q + 1),
                    "unit": uid,
                    "title": unit.title,
                    "function": unit.function.value,
                    "manager_unit": unit.reports_to or "",
                    **_ranged_cells("heads_in_post", filled, (slot, q)),
                    "target": means["target"][slot, q],
                    "open_requisitions": means["pending"][slot, q],
                    "hires_new": int(new[slot, q]),
                    "hires_backfill": int(back[slot, q]),
                    "hires": int(new[slot, q] + back[slot, q]),
                    "expected_hires": means["hires"][slot, q],
                    "leavers": leavers[slot, q],
                    "moved_in": moved_in[slot, q],
                    **_ranged_cells("loaded_cost", cost, (slot, q)),
                }

    def function_of_slots(self) -> list[str]:
        """Each unit slot's function (from the last org period it is part of)."""
        out = ["other"] * len(self.run.params.unit_ids)
        for epoch in self.run.params.epochs:
            for slot in np.flatnonzero(epoch.active):
                out[slot] = FUNCTIONS[int(epoch.function[slot])]
        return out

    def heads_by_function(self) -> dict[str, np.ndarray]:
        """Function -> mean heads in post at each quarter's end (functions with any heads)."""
        heads = self.quarterly("filled").mean(axis=0)
        slots = self.function_of_slots()
        out: dict[str, np.ndarray] = {}
        for function in FUNCTIONS:
            mask = np.array([f == function for f in slots])
            if mask.any() and heads[mask].sum() > 0:
                out[function] = heads[mask].sum(axis=0)
        return out

    def budget_rows(self) -> Iterator[dict[str, Any]]:
        """budget.csv: each function's heads, hires and loaded cost per quarter, then all."""
        slots = np.array(self.function_of_slots())
        filled = self.quarterly("filled")
        cost = self.quarterly("cost")
        hires = sum(self.planned_quarterly(k) for k in KINDS)
        one_time = self._ledger_quarters("one_time_cost").mean(axis=0)
        for q in range(self.quarters):
            groups = [(f, slots == f) for f in FUNCTIONS if (slots == f).any()]
            groups.append(("all", np.ones(slots.size, dtype=bool)))
            for function, mask in groups:
                heads = filled[:, mask, q].sum(axis=1)
                spent = spread(cost[:, mask, q].sum(axis=1))
                if function != "all" and heads.mean() <= 0 and spent.mean <= 0:
                    continue
                yield {
                    "quarter": q + 1,
                    "starts": self.starts(q + 1),
                    "function": function,
                    "heads_in_post": float(heads.mean()),
                    "hires": int(hires[mask, q].sum()),
                    **_ranged_cells("loaded_cost", spent),
                    "one_time_cost": float(one_time[q]) if function == "all" else None,
                }

    def _ledger_quarters(self, measure: str) -> np.ndarray:
        """Runs x quarters sums of a monthly ledger measure."""
        values = self.run.results.monthly[measure][:, : 3 * self.quarters]
        return values.reshape(values.shape[0], self.quarters, 3).sum(axis=2)

    def quota_rows(self) -> Iterator[dict[str, Any]]:
        """quota_capacity.csv: new-business vs installed-base quota and bookings, and heads."""
        slots = np.array(self.function_of_slots())
        filled = self.quarterly("filled")
        values = {
            "new_business_heads": filled[:, slots == "new_business_sales"].sum(axis=1),
            "installed_base_heads": filled[:, slots == "renewals"].sum(axis=1),
        }
        for measure in QUOTA_MEASURES:
            if measure not in values:
                values[measure] = self._ledger_quarters(measure)
        for q in range(self.quarters):
            for measure in QUOTA_MEASURES:
                found = spread(values[measure][:, q])
                yield {
                    "quarter": q + 1,
                    "starts": self.starts(q + 1),
                    "measure": measure,
                    "mean": float(found.mean),
                    "lo": float(found.lo),
                    "hi": float(found.hi),
                }

    def requisition_rows(self) -> Iterator[dict[str, Any]]:
        """requisitions.csv rows (with the start month's first day)."""
        for req in self.requisitions:
            day = month_start(self.run.scenario, req.start_month)
            row = asdict(req)
            row["starts"] = day.isoformat() if day is not None else ""
            yield {name: row[name] for name in REQUISITION_COLUMNS}

    def quarter_totals(self) -> list[dict[str, float]]:
        """Per quarter: heads in post, hires (new, backfill), leavers and loaded cost (means)."""
        filled = self.quarterly("filled").sum(axis=1).mean(axis=0)
        leavers = self.quarterly("leavers").sum(axis=1).mean(axis=0)
        cost = self.quarterly("cost").sum(axis=1).mean(axis=0)
        new, back = (self.planned_quarterly(k).sum(axis=0) for k in KINDS)
        return [
            {
                "quarter": q + 1,
                "heads_in_post": float(filled[q]),
                "hires_new": int(new[q]),
                "hires_backfill": int(back[q]),
                "leavers": float(leavers[q]),
                "loaded_cost": float(cost[q]),
            }
            for q in range(self.quarters)
        ]
