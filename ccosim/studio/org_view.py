"""An org as the studio's chart draws it: one record per unit, roll-ups computed bottom-up.

Plain data (JSON-ready) so the browser can draw, fold and search thousands of boxes without
asking the server. Walks are iterative: an org as deep as the format allows never hits
Python's recursion limit.
"""

from __future__ import annotations

from typing import Any

from ccosim.palette import function_color, text_color_on
from ccosim.scenario import Scenario

__all__ = ["COLLAPSE_ABOVE", "org_records", "org_view"]

#: Orgs with more units than this open with only the top two layers unfolded.
COLLAPSE_ABOVE = 300


def org_records(scenario: Scenario) -> list[dict[str, Any]]:
    """One record per unit, top-down (breadth-first), children in file order.

    Keys: ``id``, ``parent``, ``title``, ``name``, ``function``, ``color``, ``ink`` (text
    colour), ``heads`` (positions), ``open`` (positions to hire), ``vacant``, ``cost``
    (loaded annual cost of the unit's positions), ``span`` (people reporting directly to
    each of its managers; None when it manages no one), ``rollup_heads``, ``rollup_cost``
    (the unit and everyone below it), ``dotted`` (dotted-line managers), ``children``.
    """
    units = scenario.org.units
    costs = scenario.assumptions.costs
    children: dict[str, list[str]] = {u.id: [] for u in units}
    root = None
    for unit in units:
        if unit.reports_to is None:
            root = unit.id
        elif unit.reports_to in children:
            children[unit.reports_to].append(unit.id)
    by_id = {u.id: u for u in units}
    order: list[str] = [root] if root is not None else []
    for unit_id in order:  # grows as it goes: breadth-first without recursion
        order.extend(children[unit_id])
    records: dict[str, dict[str, Any]] = {}
    for unit_id in order:
        unit = by_id[unit_id]
        per_head = (
            float(unit.cost) if unit.cost is not None else costs.loaded_cost(unit.function.value)
        )
        color = function_color(unit.function.value)
        records[unit_id] = {
            "id": unit_id,
            "parent": unit.reports_to,
            "title": unit.title,
            "name": unit.name or "",
            "function": unit.function.value,
            "color": color,
            "ink": text_color_on(color),
            "heads": float(unit.headcount),
            "open": float(unit.headcount if unit.vacant else unit.open_headcount),
            "vacant": bool(unit.vacant),
            "cost": float(unit.headcount) * per_head,
            "span": None,
            "rollup_heads": float(unit.headcount),
            "rollup_cost": float(unit.headcount) * per_head,
            "dotted": list(unit.dotted_to),
            "children": children[unit_id],
        }
    for unit_id in reversed(order):  # bottom-up roll-ups
        record = records[unit_id]
        kids = record["children"]
        if kids:
            record["span"] = sum(records[k]["heads"] for k in kids) / max(record["heads"], 1.0)
        parent = record["parent"]
        if parent is not None and parent in records:
            records[parent]["rollup_heads"] += record["rollup_heads"]
            records[parent]["rollup_cost"] += record["rollup_cost"]
    return [records[u] for u in order]


def org_view(scenario: Scenario, *, label: str, moved: set[str] | None = None) -> dict[str, Any]:
    """What the chart of one design needs: its records, root, and whether to open folded.

    Args:
        scenario: The design (its org at month 0).
        label: The design's label, shown above the chart.
        moved: Units moved or changed in this session (highlighted).
    """
    records = org_records(scenario)
    return {
        "label": label,
        "units": records,
        "root": records[0]["id"] if records else None,
        "folded": len(records) > COLLAPSE_ABOVE,
        "changed": sorted(moved or ()),
        "currency": scenario.currency,
    }
