"""Stage 2 of an HRIS import: which column holds each field.

Columns are named by the caller or guessed from common names (:data:`COLUMN_GUESSES`), case
and punctuation ignored; ``name`` may be a pair (first and last name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ccosim.io.hris.problems import HrisImportError, ImportProblem
from ccosim.io.hris.read import RawTable
from ccosim.scenario.plain import strip_control
from ccosim.tabular import FORMULA_PREFIXES

__all__ = [
    "COLUMN_GUESSES",
    "FIELDS",
    "LOADED_COST_COLUMNS",
    "Columns",
    "header_hint",
    "normalized",
    "resolve_columns",
]

#: The fields an import reads: the ``--id --parent ...`` options first, then the fields of
#: positions and of ccosim's own CSV export.
FIELDS = (
    "id",
    "parent",
    "title",
    "name",
    "cost",
    "department",
    "location",
    "status",
    "fte",
    "manager_name",
    "function",
    "open_headcount",
    "vacant",
    "dotted_to",
    "segment",
    "currency",
    "span_limit",
    "staffing",
    "seat",
    "cost_source",
    "employment_status",
    "pay_period",
    "email",
    "manager_email",
)

#: Column names tried for each field when none is given (compared without case or
#: punctuation, so ``parentId`` matches ``parent_id``). ``name`` tries pairs first.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "employee_id",
        "emp_id",
        "employee_number",
        "person_id",
        "worker_id",
        "staff_id",
        "position_id",
        "employee_no",
        "employee_num",
        "associate_id",
    ),
    "parent": (
        "parent",
        "reports_to",
        "parent_id",
        "manager_id",
        "supervisor_id",
        "line_manager_id",
        "manager",
        "supervisor",
        "reporting_to",
        "line_manager",
    ),
    "title": (
        "title",
        "position",
        "job_title",
        "business_title",
        "position_title",
        "job",
        "role",
        "job_profile",
    ),
    "name": (
        "name",
        "full_name",
        "employee_name",
        "display_name",
        "worker",
        "employee",
        "preferred_name",
        "legal_name",
    ),
    "cost": (
        "loaded_cost",
        "salary",
        "cost",
        "annual_salary",
        "base_salary",
        "annual_cost",
        "fully_loaded_cost",
        "pay_rate",
        "annual_base_pay",
        "total_base_pay",
        "base_pay",
        "total_base_pay_annualized",
        "compensation",
        "pay",
    ),
    "department": (
        "department",
        "department_name",
        "dept",
        "dept_name",
        "org_unit",
        "division",
        "supervisory_organization",
    ),
    "location": ("location", "location_name", "office", "city", "site", "location_state"),
    "status": (
        "status",
        "position_status",
        "requisition_status",
        "req_status",
        "fill_status",
        "hiring_status",
    ),
    "fte": ("fte", "headcount", "full_time_equivalent", "fte_count", "heads"),
    "manager_name": (
        "manager_name",
        "supervisor_name",
        "reports_to_name",
        "line_manager_name",
        "manager_full_name",
        "reporting_to_name",
    ),
    "function": ("function", "ccosim_function"),
    "open_headcount": ("open_headcount", "open_heads", "open_positions"),
    "vacant": ("vacant", "is_vacant"),
    "dotted_to": (
        "dotted_to",
        "dotted_line_manager_id",
        "matrix_manager_id",
        "dotted_line",
        "dotted_line_manager",
        "matrix_manager",
        "dotted_line_manager_email",
        "matrix_manager_email",
    ),
    "segment": ("segment", "customer_segment"),
    "currency": ("currency", "currency_code", "salary_currency"),
    "span_limit": ("span_limit",),
    "staffing": ("staffing",),
    "seat": ("seat",),
    "cost_source": ("cost_source",),
    "employment_status": (
        "employment_status",
        "employee_status",
        "worker_status",
        "active_status",
        "emp_status",
        "is_active",
        "active",
    ),
    "pay_period": (
        "pay_frequency",
        "pay_period",
        "pay_rate_type",
        "pay_type",
        "paid_per",
        "pay_rate_period",
        "pay_basis",
        "salary_frequency",
        "compensation_frequency",
        "frequency",
    ),
    "email": (
        "email",
        "work_email",
        "email_address",
        "primary_work_email",
        "business_email",
        "employee_email",
    ),
    "manager_email": (
        "manager_email",
        "supervisor_email",
        "reports_to_email",
        "manager_work_email",
        "line_manager_email",
        "manager_email_address",
    ),
}
_NAME_PAIRS = (
    ("first_name", "last_name"),
    ("firstname", "lastname"),
    ("given_name", "family_name"),
    ("name", "last_name"),
    ("name", "surname"),
    ("first_name", "surname"),
)
#: Cost columns (normalised names) that already hold loaded cost: never multiplied again.
LOADED_COST_COLUMNS = frozenset({"loadedcost", "fullyloadedcost", "annualloadedcost"})


_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


def _clean(cell: str) -> str:
    """A cell's text, surrounding spaces cut.

    Line breaks and tabs become one space; other control characters are dropped (they are
    not text, and must never reach the scenario file).
    """
    if cell.isprintable():
        return cell.strip()
    return strip_control(_BREAKS.sub(" ", cell)).strip()


def _unquote(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_PREFIXES else cell


def normalized(column: str) -> str:
    """A column name without case or punctuation (``parentId`` and ``parent_id`` agree).

    ``#`` reads as "number": BambooHR's ``Employee #`` is ``employee_number``.
    """
    return re.sub(r"[^a-z0-9]", "", column.lower().replace("#", "number"))


@dataclass
class Columns:
    """Field -> column indexes of a table.

    Attributes:
        header: The table's column names.
        indexes: Field -> indexes (``name`` may have two: first and last name).
        cost_is_loaded: The cost column's name says it already is loaded cost.
    """

    header: list[str]
    indexes: dict[str, list[int]]
    cost_is_loaded: bool = False

    def name(self, field_name: str) -> str:
        """The column(s) of a field as written in the header (``first+last``)."""
        return "+".join(self.header[i] for i in self.indexes.get(field_name, []))

    def cell(self, row: list[str], field_name: str) -> str:
        """The field's text in ``row`` (several columns joined by a space).

        A leading ``'`` before formula-like text (how ccosim and spreadsheets keep ``=x``
        from being a formula) is dropped, so such a cell reads back as written.
        """
        indexes = self.indexes.get(field_name)
        if not indexes:
            return ""
        if len(indexes) == 1:
            i = indexes[0]
            text = _clean(row[i]) if i < len(row) else ""
            return _unquote(text) if text[:1] == "'" else text
        parts = (_clean(row[i]) for i in indexes if i < len(row))
        return " ".join(_unquote(p) for p in parts if p)

    def has(self, field_name: str) -> bool:
        """Whether the table has a column for the field."""
        return bool(self.indexes.get(field_name))


def resolve_columns(
    header: list[str],
    given: Mapping[str, str | None],
    source: str,
    *,
    header_line: int = 1,
    hint: str = "",
) -> Columns:
    """Stage 2: field -> column indexes; names given must exist, others are guessed.

    Args:
        header: The column names.
        given: Field -> column name given by the caller.
        source: The file, for messages.
        header_line: Line of the header, for messages.
        hint: Said with the problems (e.g. that the header seems to be further down).

    Raises:
        HrisImportError: a named column is missing, or no column for id, manager or title.
    """
    by_norm: dict[str, int] = {}
    for index, column in enumerate(header):
        by_norm.setdefault(normalized(column), index)
    exact = {column: index for index, column in enumerate(header)}
    out, problems = _given_columns(header, given, exact, by_norm, header_line)
    taken = {index for indexes in out.values() for index in indexes}
    _guess_columns(out, by_norm, taken)
    problems += _missing_columns(header, given, out, header_line)
    if problems:
        raise HrisImportError(source, problems, hint or "check the column options")
    loaded = bool(out.get("cost")) and normalized(header[out["cost"][0]]) in LOADED_COST_COLUMNS
    return Columns(header, out, loaded)


def _given_columns(
    header: list[str],
    given: Mapping[str, str | None],
    exact: Mapping[str, int],
    by_norm: Mapping[str, int],
    header_line: int,
) -> tuple[dict[str, list[int]], list[ImportProblem]]:
    """The columns the caller named (exactly, else ignoring case), and the names not found."""
    out: dict[str, list[int]] = {}
    problems = []
    for name in FIELDS:
        wanted = given.get(name)
        if not wanted:
            continue
        indexes = []
        for part in [p.strip() for p in wanted.split(",") if p.strip()]:
            index = exact.get(part, by_norm.get(normalized(part)))
            if index is None:
                option = name.replace("_", "-")
                problems.append(
                    ImportProblem(
                        header_line,
                        part,
                        f"--{option} names column {part!r}, which is not in the header; "
                        f"columns: {', '.join(header)}",
                    )
                )
            else:
                indexes.append(index)
        out[name] = indexes
    return out, problems


def _guess_columns(out: dict[str, list[int]], by_norm: Mapping[str, int], taken: set[int]) -> None:
    """Add a guessed column for every field not named, never one already taken."""
    for name in FIELDS:
        if name in out:
            continue
        if name == "name":
            pair = _name_pair(by_norm, taken)
            if pair is not None:
                out[name] = pair
                taken.update(pair)
                continue
        for guess in COLUMN_GUESSES[name]:
            index = by_norm.get(normalized(guess))
            if index is not None and index not in taken:
                out[name] = [index]
                taken.add(index)
                break


def _name_pair(by_norm: Mapping[str, int], taken: set[int]) -> list[int] | None:
    """The first (first name, last name) pair of columns present and free."""
    for first, last in _NAME_PAIRS:
        pair = [by_norm.get(normalized(first)), by_norm.get(normalized(last))]
        if None not in pair and not taken & set(pair):  # type: ignore[operator]
            return pair  # type: ignore[return-value]
    return None


def _missing_columns(
    header: list[str],
    given: Mapping[str, str | None],
    out: Mapping[str, list[int]],
    header_line: int,
) -> list[ImportProblem]:
    """A problem for each of id, manager (by id or by name) and title without a column."""
    problems = []
    parent_ok = "parent" in out or "manager_name" in out or "manager_email" in out
    for name in ("id", "parent", "title"):
        if name == "parent" and parent_ok:
            continue
        if name not in out and not given.get(name):
            guesses = ", ".join(COLUMN_GUESSES[name][:5])
            problems.append(
                ImportProblem(
                    header_line,
                    None,
                    f"no column for {name} (tried {guesses}, ...); name it with --{name} COLUMN; "
                    f"columns: {', '.join(header)}",
                )
            )
    return problems


def header_hint(table: RawTable, skip_rows: int) -> str:
    """``the header seems to be on line N: pass --skip-rows M`` if a later row looks like one."""
    wanted = {normalized(g) for name in ("id", "parent", "title") for g in COLUMN_GUESSES[name]}
    if sum(normalized(c) in wanted for c in table.header) >= 2:
        return ""
    for line, row in table.rows[:10]:
        if sum(normalized(c) in wanted for c in row) >= 2:
            return f"the header seems to be on line {line}: pass --skip-rows {line - 1}"
    return ""
