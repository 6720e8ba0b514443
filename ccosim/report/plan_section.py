"""The hiring plan inside the compare and business-case reports: a section and its data tables.

For each design (the status quo and the case, or every option): heads in post and planned
hires by function and quarter, the requisitions for the seats the design's timeline adds (the
CCO's own, opened at the search month), and the loaded cost by function and quarter. The data
folder gets the plan folder's tables (:mod:`ccosim.report.plan_report`) with a ``design``
column in front: ``headcount_plan.csv``, ``requisitions.csv``, ``budget.csv`` and
``quota_capacity.csv``, described in ``datapackage.json`` as ``ccosim plan`` describes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

import numpy as np

from ccosim.experiment.plan import spread
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.experiment.requisitions import KINDS, OrgIndex, Requisition
from ccosim.formatting import format_value
from ccosim.functions import function_label
from ccosim.report.data import DataTable
from ccosim.report.document import Section, Table
from ccosim.report.plan_report import plan_tables, quarter_labels
from ccosim.scenario.calendar import month_start
from ccosim.sim.params import FUNCTIONS

__all__ = ["DESIGN_COLUMN", "added_seat_requisitions", "plan_data_tables", "plan_section"]

#: The column in front of every plan table of a report: which design a row belongs to.
DESIGN_COLUMN: dict[str, tuple[str, str]] = {
    "design": ("string", "The design's label (as in the scenario column of the other tables)."),
}

_RANGE = "middle 95% of runs"
_ADDED_HEADERS = (
    "design",
    "requisition",
    "role",
    "reports to",
    "opens",
    "starts",
    "loaded cost a year",
    "why",
)


def plan_data_tables(plans: Mapping[str, HeadcountPlan]) -> list[DataTable]:
    """The plan folder's tables of every design, one table each with a ``design`` column.

    Args:
        plans: Design label -> its plan, in report order.
    """
    per_design = {label: plan_tables(plan) for label, plan in plans.items()}
    first = next(iter(per_design.values()))
    merged = []
    for i, table in enumerate(first):
        blocks = [(label, tables[i]) for label, tables in per_design.items()]
        merged.append(
            DataTable(
                table.name,
                f"{table.description} One block of rows per design (the design column).",
                ["design", *table.header],
                list(chain.from_iterable(_labelled(label, t.rows) for label, t in blocks)),
                extra_fields={**DESIGN_COLUMN, **table.extra_fields},
            )
        )
    return merged


def _labelled(label: str, rows: Any) -> Iterator[list[Any]]:
    for row in rows:
        yield [label, *row]


def added_seat_requisitions(plan: HeadcountPlan) -> list[Requisition]:
    """Requisitions of seats the design's timeline adds, opened when the seat is added.

    In a business case with a hire month that is the CCO's own requisition, opened at the
    search month.
    """
    added = OrgIndex(plan.run).added
    return [
        r
        for r in plan.requisitions
        if r.kind == "new" and r.unit in added and r.opens_month == added[r.unit][0]
    ]


def _quarter_headers(plan: HeadcountPlan) -> list[str]:
    return quarter_labels(plan, "Q{q} ({month})")


def _by_function(plan: HeadcountPlan, values: np.ndarray) -> dict[str, np.ndarray]:
    """Units x quarters -> function -> quarters, summed over each function's units.

    Functions in the order of the heads and budget tables (:data:`FUNCTIONS`).
    """
    slots = np.array(plan.function_of_slots())
    return {f: values[slots == f].sum(axis=0) for f in FUNCTIONS if (slots == f).any()}


def _heads_rows(name: str, plan: HeadcountPlan) -> list[list[str]]:
    rows = [
        [name, function_label(f), *(f"{v:,.1f}" for v in values)]
        for f, values in plan.heads_by_function().items()
    ]
    total = spread(plan.quarterly("filled").sum(axis=1))
    rows.append([name, "all", *(f"{v:,.1f}" for v in total.mean)])
    spans = (f"{lo:,.0f}-{hi:,.0f}" for lo, hi in zip(total.lo, total.hi, strict=True))
    rows.append([name, f"all, {_RANGE}", *spans])
    return rows


def _hire_cell(new: int, backfill: int) -> str:
    return f"{new} + {backfill}" if new or backfill else "-"


def _hire_cells(new: np.ndarray, backfill: np.ndarray) -> list[str]:
    return [_hire_cell(int(n), int(b)) for n, b in zip(new, backfill, strict=True)]


def _hires_rows(name: str, plan: HeadcountPlan) -> list[list[str]]:
    new, back = (_by_function(plan, plan.planned_quarterly(k)) for k in KINDS)
    rows = [
        [name, function_label(f), *_hire_cells(new[f], back[f])]
        for f in new
        if new[f].sum() + back[f].sum() > 0
    ]
    totals = [sum(v) for v in (new.values(), back.values())]
    rows.append([name, "all", *_hire_cells(*totals)])
    return rows


def _money_span(lo: float, hi: float) -> str:
    """``$7.30-7.43M``: a range of money, the unit written once where both share it."""
    low, high = format_value(lo, "$"), format_value(hi, "$")
    if low[-1:].isalpha() and low[-1] == high[-1] and high.startswith("$"):
        return f"{low[:-1]}-{high[1:]}"
    return f"{low}-{high}"


def _budget_rows(name: str, plan: HeadcountPlan) -> list[list[str]]:
    cells: dict[str, list[str]] = {}
    one_time: list[str] = []
    spans: list[str] = []
    for row in plan.budget_rows():
        function = row["function"]
        label = "all" if function == "all" else function_label(function)
        cells.setdefault(label, []).append(format_value(row["loaded_cost"], "$"))
        if function == "all":
            one_time.append(format_value(row["one_time_cost"], "$"))
            spans.append(_money_span(row["loaded_cost_lo"], row["loaded_cost_hi"]))
    rows = [[name, label, *values] for label, values in cells.items() if label != "all"]
    rows.append([name, "all", *cells["all"]])
    rows.append([name, f"all, {_RANGE}", *spans])
    rows.append([name, "one-time (search fees, severance)", *one_time])
    return rows


def _when(plan: HeadcountPlan, month: int) -> str:
    day = month_start(plan.run.scenario, month)
    return f"month {month}, {day:%Y-%m}" if day is not None else f"month {month}"


def _added_rows(name: str, plan: HeadcountPlan) -> list[list[str]]:
    return [
        [
            name,
            r.req_id,
            r.title,
            r.manager_title or r.manager_unit or "-",
            _when(plan, r.opens_month),
            _when(plan, r.start_month),
            format_value(r.loaded_cost, "$"),
            r.driver,
        ]
        for r in added_seat_requisitions(plan)
    ]


def plan_section(
    plans: Mapping[str, HeadcountPlan],
    names: Mapping[str, str] | None = None,
    *,
    title: str = "Hiring plan",
) -> Section:
    """The report's hiring-plan section: each design's quarters side by side.

    Args:
        plans: Design label -> its plan (:func:`ccosim.experiment.plan_designs.design_plans`).
        names: Label -> the name a design is shown by (default: its label).
        title: The section's title.
    """
    names = names or {}
    first = next(iter(plans.values()))
    quarters = _quarter_headers(first)
    runs, seed = first.run.runs, first.run.seed

    def rows(make: Any) -> list[list[str]]:
        return [row for label, plan in plans.items() for row in make(names.get(label, label), plan)]

    added = rows(_added_rows)
    tables = [
        Table(
            ["design", "function", *quarters],
            rows(_heads_rows),
            caption="Heads in post at each quarter's end, by function (mean of runs)",
            note=f"The {_RANGE} covers customer randomness only, not assumption uncertainty.",
            left=(0, 1),
        ),
        Table(
            ["design", "function", *quarters],
            rows(_hires_rows),
            caption="Planned hires starting in each quarter, by function: new seats + "
            "backfills (whole requisitions)",
            left=(0, 1),
        ),
        Table(
            [*_ADDED_HEADERS],
            added,
            caption="Requisitions for the seats each design's org change adds",
            left=(2, 7),
        )
        if added
        else None,
        Table(
            ["design", "function", *quarters],
            rows(_budget_rows),
            caption="Budget: loaded cost of the heads in post over each quarter, by function "
            "(mean of runs)",
            note=f"The {_RANGE} covers customer randomness only, not assumption uncertainty.",
            left=(0, 1),
        ),
    ]
    paragraphs = [
        f"What each design hires and spends, quarter by quarter, over the first "
        f"{len(quarters)} quarters: the same {runs} runs (seed {seed}) as the figures above, "
        "re-run with each unit's workforce recorded. Heads in post and cost are means over "
        "the runs; hires are whole requisitions (each unit's expected hires accumulated and "
        "rounded), split into new seats and backfills of leavers.",
        "Every unit's quarters are in data/headcount_plan.csv, one row per hire (with its "
        "manager, target start, loaded cost and the reason for the seat) in "
        "data/requisitions.csv, the budget in data/budget.csv and the quota capacity in "
        "data/quota_capacity.csv; data/datapackage.json says what each column means.",
    ]
    if not added:
        paragraphs.append("No design's org change adds a seat within the plan's quarters.")
    return Section(title, paragraphs=paragraphs, tables=[t for t in tables if t is not None])
