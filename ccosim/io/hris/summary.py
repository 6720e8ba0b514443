"""What an HRIS import produced and what it noticed: the result handed to the scenario writer."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ccosim.io.hris.problems import ImportProblem
from ccosim.io.hris.rows import ListedRows, Position
from ccosim.scenario.schema import Unit

__all__ = [
    "ImportResult",
    "department_functions",
    "function_counts",
    "open_position_count",
    "people_count",
]


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
        people: People in post, counted as people (a half-time employee is one).
        fte: Their full-time equivalent.
        listed: Rows listed by line: inactive (left out), blank pay, doubtful pay.
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
    people: int = 0
    fte: float = 0.0
    listed: ListedRows = field(default_factory=ListedRows)

    def headline(self) -> str:
        """People (FTE beside), open positions, inactive left out, pay by default, in a line."""
        fte = f"{self.fte:,.1f}".removesuffix(".0")
        parts = [f"{self.people:,} {'person' if self.people == 1 else 'people'} ({fte} FTE)"]
        if self.open_positions:
            parts.append(f"{self.open_positions:,} open position(s)")
        inactive = len(self.listed.inactive)
        if inactive and not self.settings.get("include_inactive"):
            parts.append(f"{inactive} inactive left out")
        elif inactive:
            parts.append(f"{inactive} inactive kept")
        if self.listed.blank_pay:
            parts.append(f"{len(self.listed.blank_pay)} without pay (function's default cost)")
        if self.listed.doubtful_pay:
            parts.append(f"{len(self.listed.doubtful_pay)} with doubtful pay")
        return ", ".join(parts)


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


def people_count(positions: list[Position]) -> tuple[int, float]:
    """(people in post, their FTE): a person is one whatever their FTE, open heads are none."""
    people = 0
    fte = 0.0
    for p in positions:
        filled = 0.0 if p.vacant else max(p.heads - p.open_heads, 0.0)
        fte += filled
        people += max(1, math.ceil(filled - 1e-9)) if filled > 0 else 0
    return people, round(fte, 4)


def open_position_count(positions: list[Position]) -> int:
    """Rows that are (or hold) positions to be hired."""
    return sum(1 for p in positions if p.vacant or p.open_heads)
