"""Designs whose staffing policies differ: a warning, before any simulation, naming the units.

A team with a staffing policy (``plan`` or ``ratio``) grows with the company; a team
without one (``fixed``, or no ``staffing:``) keeps its month-0 headcount while the customer
base grows, and falls behind. When one design staffs a function by policy and another
keeps the same function fixed, part of their difference is that choice, not the org
structure: a new design written without staffing policies silently loses ARR against the
shipped ones. The check reads the org at month 0 (timeline changes are not read).
"""

from __future__ import annotations

from collections.abc import Sequence

from ccosim.functions import Function, function_label
from ccosim.scenario.schema import Scenario

__all__ = ["GROWING", "staffing_warnings"]

#: Staffing policies under which a team's headcount moves with the plan or the company.
GROWING = ("plan", "ratio")


def _units_by_function(scenario: Scenario) -> dict[str, tuple[list[str], list[str]]]:
    """Function -> (ids of its units that grow, ids of those kept fixed), heads > 0 only."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for unit in scenario.org.units:
        function = Function(unit.function).value
        if function == Function.executive.value or unit.headcount <= 0:
            continue
        growing, fixed = out.setdefault(function, ([], []))
        policy = unit.staffing.policy if unit.staffing is not None else "fixed"
        (growing if policy in GROWING else fixed).append(unit.id)
    return out


def _names(ids: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def staffing_warnings(designs: Sequence[tuple[str, Scenario]]) -> list[str]:
    """One sentence per function that some designs staff by policy and others keep fixed.

    Args:
        designs: ``(label, scenario)`` of each design, in the study's order.

    Returns:
        Warnings naming the function, the designs and their units (empty when the designs
        agree).
    """
    units = [(label, _units_by_function(s)) for label, s in designs]
    functions = dict.fromkeys(f for _, by in units for f in by)
    warnings = []
    for function in functions:
        growing = [(lb, by[function][0]) for lb, by in units if by.get(function, ([], []))[0]]
        fixed = [
            (lb, by[function][1])
            for lb, by in units
            if function in by and not by[function][0] and by[function][1]
        ]
        if not growing or not fixed:
            continue
        kept = "; ".join(f"{lb}: {_names(ids)}" for lb, ids in fixed)
        grown = "; ".join(f"{lb}: {_names(ids)}" for lb, ids in growing)
        warnings.append(
            f"staffing policies differ for {function_label(function)}: kept at its month-0 "
            f"headcount (no staffing policy) in {kept}, but staffed by a policy that grows "
            f"with the company in {grown}. Part of the difference between these designs is "
            "this staffing choice, not the org structure; give the units a staffing: policy "
            "(docs/scenario-format.md) to compare structure alone."
        )
    return warnings
