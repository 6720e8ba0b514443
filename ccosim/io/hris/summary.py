"""What an HRIS import produced and what it noticed: the result handed to the scenario writer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ccosim.io.hris.problems import ImportProblem
from ccosim.io.hris.rows import Position
from ccosim.scenario.schema import Unit

__all__ = ["ImportResult", "department_functions", "function_counts", "open_position_count"]


@dataclass
class ImportResult:
    """What an import produced and what it had to say about the file.

    Attributes:
        source: The CSV file.
        units: Units of the org, top-down (managers before their reports).
        employees: Rows imported (people and open positions).
        columns: Field -> CSV column(s) used.
        root: Id of the top of the org.
        problems: Problems a lenient import worked around (empty when the file was clean).
        notes: Other things worth knowing (extra roots attached, teams folded, ids changed).
        functions: Rows by function.
        departments: For each department, the function most of its employees got.
        lines: Unit id -> CSV lines it came from.
        settings: How costs were computed, for the scenario's header.
        open_positions: Rows that are positions to be hired.
    """

    source: str
    units: list[Unit]
    employees: int
    columns: dict[str, str]
    root: str
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    functions: dict[str, int] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    open_positions: int = 0


def function_counts(positions: list[Position]) -> dict[str, int]:
    """Rows by function, most common first."""
    return dict(Counter(p.function.value for p in positions).most_common())


def department_functions(positions: list[Position]) -> dict[str, str]:
    """For each department (sorted), the function most of its employees got."""
    departments: dict[str, Counter[str]] = {}
    for p in positions:
        if p.department:
            departments.setdefault(p.department, Counter())[p.function.value] += 1
    return {d: c.most_common(1)[0][0] for d, c in sorted(departments.items())}


def open_position_count(positions: list[Position]) -> int:
    """Rows that are (or hold) positions to be hired."""
    return sum(1 for p in positions if p.vacant or p.open_heads)
