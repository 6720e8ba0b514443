"""Import an HRIS CSV export (one row per employee) into a ccosim scenario's ``org:`` section.

Column names differ between HR systems, so each field is either named by the caller or
guessed from common names (case and punctuation ignored). Functions are inferred from titles
and departments by the keyword table ``function_keywords.yaml`` shipped with ccosim (or one
given by the caller). Salaries become loaded cost per head (x ``loaded_multiplier``, 1.25 by
default: the scenario format's own default for benefits, taxes and overhead on top of salary).

Real exports are messy. Every problem names the CSV line (1-based, as an editor shows it)
and the column. Without ``lenient`` any problem aborts the import (:class:`HrisImportError`
lists up to 20); with ``lenient`` the importer keeps what it can:

* an empty row, a row without an id, a duplicate id (the later row) or a row with more cells
  than the header: skipped;
* a salary that is not a number: imported without a cost (the function's default applies);
* an empty title: imported as "Employee";
* a manager id that is not in the file, or a reporting cycle (broken at its earliest row):
  the employee is re-attached under the top of the org.

Employees with no manager at all are not an error: the one with the most people below them
becomes the top of the org and the others are attached under it (listed in the notes).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ccosim.errors import CcosimError
from ccosim.output import check_writable, write_text
from ccosim.scenario.plain import strip_control
from ccosim.scenario.schema import Function, Unit
from ccosim.scenario.yaml_source import MarkTable, parse_yaml, read_bounded, read_yaml

__all__ = [
    "COLUMN_GUESSES",
    "DEFAULT_LOADED_MULTIPLIER",
    "FIELDS",
    "HrisImportError",
    "ImportProblem",
    "ImportResult",
    "KeywordTable",
    "import_hris_csv",
    "load_keywords",
    "scenario_yaml",
    "write_scenario",
]

#: Salary x this = loaded cost (benefits, taxes, overhead); the same +25% the scenario
#: format's ``assumptions.costs.loaded_multiplier`` uses, so imported and default costs agree.
DEFAULT_LOADED_MULTIPLIER = 1.25
MAX_LISTED = 20

#: The fields an import reads, in the order of the ``--id --parent ...`` options.
FIELDS = ("id", "parent", "title", "name", "cost", "department", "location")

#: Column names tried for each field when none is given (compared without case or
#: punctuation, so ``parentId`` matches ``parent_id``). ``name`` tries pairs first.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id", "employee_id", "emp_id", "employee_number", "person_id", "worker_id", "staff_id"),
    "parent": (
        "parent",
        "parent_id",
        "manager_id",
        "reports_to",
        "supervisor_id",
        "line_manager_id",
        "manager",
        "supervisor",
    ),
    "title": ("title", "position", "job_title", "position_title", "job", "role"),
    "name": ("name", "full_name", "employee_name", "display_name"),
    "cost": ("salary", "cost", "annual_salary", "base_salary", "annual_cost", "loaded_cost"),
    "department": ("department", "department_name", "dept", "dept_name", "org_unit", "division"),
    "location": ("location", "location_name", "office", "city", "site", "location_state"),
}
_NAME_PAIRS = (
    ("first_name", "last_name"),
    ("firstname", "lastname"),
    ("given_name", "family_name"),
    ("name", "last_name"),
    ("name", "surname"),
    ("first_name", "surname"),
)
_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_MONEY = re.compile(r"^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


def _norm(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


@dataclass(frozen=True)
class ImportProblem:
    """One problem of the CSV, where it is and what the lenient import did about it.

    Attributes:
        line: 1-based line of the row in the file (None: the file as a whole).
        column: The CSV column concerned, if one.
        message: What is wrong.
        action: What a lenient import did ("skipped", "re-attached under 100", ...).
    """

    line: int | None
    column: str | None
    message: str
    action: str = ""

    def where(self, source: str) -> str:
        """``source:line: column 'x'`` as a prefix for messages."""
        out = source if self.line is None else f"{source}:{self.line}"
        return out + (f": column '{self.column}'" if self.column else "")

    def describe(self, source: str, *, done: bool = True) -> str:
        """The problem as one line, with what a lenient import did (or would do)."""
        text = f"{self.where(source)}: {self.message}"
        if not self.action:
            return text
        return f"{text} ({self.action})" if done else f"{text} (--lenient: {self.action})"


class HrisImportError(CcosimError):
    """The CSV cannot be imported; ``problems`` lists every problem found (message: up to 20)."""

    def __init__(self, source: str, problems: Sequence[ImportProblem], hint: str = "") -> None:
        self.source = source
        self.problems = list(problems)
        lines = [p.describe(source, done=False) for p in self.problems[:MAX_LISTED]]
        more = len(self.problems) - MAX_LISTED
        if more > 0:
            lines.append(f"... and {more} more")
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the CSV"
        super().__init__("\n  ".join([head + (f" ({hint})" if hint else ""), *lines]))


# ---- keyword table -------------------------------------------------------------------------


@dataclass(frozen=True)
class KeywordTable:
    """Ordered rules mapping title/department keywords to functions.

    Attributes:
        rules: (function, compiled pattern, keywords) in priority order.
        default: Function of an employee no rule matches.
        source: Where the table came from.
    """

    rules: tuple[tuple[Function, re.Pattern[str], tuple[str, ...]], ...]
    default: Function
    source: str

    def match(self, text: str) -> tuple[Function, str] | None:
        """The first rule matching ``text``: its function and the keyword found."""
        for function, pattern, _ in self.rules:
            found = pattern.search(text)
            if found:
                return function, found.group(0)
        return None

    def infer(self, title: str, department: str) -> tuple[Function, str]:
        """Function of an employee and why (``title 'sales'``, ``department 'IT'``, ``default``)."""
        for label, text in (("title", title), ("department", department)):
            hit = self.match(text) if text else None
            if hit:
                return hit[0], f"{label} '{hit[1]}'"
        return self.default, "default"


def load_keywords(path: str | Path | None = None) -> KeywordTable:
    """Read a keyword table (the shipped ``function_keywords.yaml`` when ``path`` is None).

    Raises:
        CcosimError: the file is unreadable, not the expected shape, or names an unknown
            function.
    """
    if path is None:
        source = "ccosim/org/function_keywords.yaml"
        text = resources.files("ccosim.org").joinpath("function_keywords.yaml").read_text("utf-8")
    else:
        source = str(path)
        try:
            text = read_bounded(Path(path), source).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CcosimError(f"{source}: cannot read the keyword table ({exc})") from exc
    data = parse_yaml(text, source, MarkTable())  # bounded: sizes, depth, aliases
    functions = [f.value for f in Function]

    def function_of(value: Any, where: str) -> Function:
        if value not in functions:
            raise CcosimError(
                f"{source}: {where}: {value!r} is not a function; use one of {', '.join(functions)}"
            )
        return Function(value)

    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise CcosimError(f"{source}: expected a mapping with 'rules:' (a list of rules)")
    rules = []
    for index, rule in enumerate(data["rules"], start=1):
        if not isinstance(rule, dict) or not isinstance(rule.get("keywords"), list):
            raise CcosimError(f"{source}: rule {index}: expected 'function:' and 'keywords:' list")
        function = function_of(rule.get("function"), f"rule {index}")
        keywords = tuple(str(k).strip() for k in rule["keywords"] if str(k).strip())
        if not keywords:
            raise CcosimError(f"{source}: rule {index}: no keywords")
        alternatives = "|".join(
            r"\s+".join(re.escape(w) for w in k.split()) for k in sorted(keywords, key=len)[::-1]
        )
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)
        rules.append((function, pattern, keywords))
    default = function_of(data.get("default", "other"), "default")
    return KeywordTable(tuple(rules), default, source)


# ---- reading the CSV -----------------------------------------------------------------------


@dataclass
class _Employee:
    line: int
    raw_id: str
    id: str
    parent: str | None
    title: str
    name: str | None
    cost: float | None
    department: str
    location: str | None
    function: Function = Function.other
    why: str = ""


@dataclass
class ImportResult:
    """What an import produced and what it had to say about the file.

    Attributes:
        source: The CSV file.
        units: Units of the org, top-down (managers before their reports).
        employees: Employee rows imported.
        columns: Field -> CSV column(s) used.
        root: Id of the top of the org.
        problems: Problems a lenient import worked around (empty when the file was clean).
        notes: Other things worth knowing (extra roots attached, teams folded, ids changed).
        functions: Employees by inferred function.
        departments: For each department, the function most of its employees got.
        lines: Unit id -> CSV lines it came from.
        settings: How costs were computed, for the scenario's header.
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


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CcosimError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252", errors="replace"), "cp1252"
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first:
        raise HrisImportError(str(path), [ImportProblem(None, None, "the file is empty")])
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if header is None:
                if any(cell.strip() for cell in row):
                    header = [cell.strip() for cell in row]
                continue
            rows.append((start, row))
    except csv.Error as exc:
        raise HrisImportError(
            str(path), [ImportProblem(end + 1, None, f"unreadable CSV ({exc})")]
        ) from exc
    return header or [], rows, encoding


def _resolve_columns(
    header: list[str], given: Mapping[str, str | None], source: str
) -> dict[str, list[int]]:
    """Field -> column indexes; explicit names must exist, others are guessed."""
    by_norm: dict[str, int] = {}
    for index, column in enumerate(header):
        by_norm.setdefault(_norm(column), index)
    exact = {column: index for index, column in enumerate(header)}
    out: dict[str, list[int]] = {}
    problems = []
    for name in FIELDS:
        wanted = given.get(name)
        if wanted:
            indexes = []
            for part in [p.strip() for p in wanted.split(",") if p.strip()]:
                index = exact.get(part, by_norm.get(_norm(part)))
                if index is None:
                    problems.append(
                        ImportProblem(
                            1,
                            part,
                            f"--{name} names column {part!r}, which is not in the header; "
                            f"columns: {', '.join(header)}",
                        )
                    )
                else:
                    indexes.append(index)
            out[name] = indexes
            continue
        if name == "name":
            for first, last in _NAME_PAIRS:
                if _norm(first) in by_norm and _norm(last) in by_norm:
                    out[name] = [by_norm[_norm(first)], by_norm[_norm(last)]]
                    break
            if name in out:
                continue
        for guess in COLUMN_GUESSES[name]:
            if _norm(guess) in by_norm:
                out[name] = [by_norm[_norm(guess)]]
                break
    for name in ("id", "parent", "title"):
        if name not in out and not given.get(name):
            guesses = ", ".join(COLUMN_GUESSES[name][:5])
            problems.append(
                ImportProblem(
                    1,
                    None,
                    f"no column for {name} (tried {guesses}, ...); name it with --{name} COLUMN; "
                    f"columns: {', '.join(header)}",
                )
            )
    if problems:
        raise HrisImportError(source, problems, "check the column options")
    return out


def _money(text: str) -> float | None:
    cleaned = re.sub(r"[\s$€£¥]", "", text)
    if cleaned.upper()[:3].isalpha() and len(cleaned) > 3:  # "USD 12000"
        cleaned = cleaned[3:]
    if not _MONEY.match(cleaned):
        return None
    return float(cleaned.replace(",", ""))


def _safe_id(raw: str, used: set[str]) -> str:
    base = raw if _ID_OK.match(raw) else re.sub(r"[^A-Za-z0-9_\-]", "_", raw).strip("_-")
    if not base or not base[0].isalnum():
        base = "e" + (base or "mployee")
    base = base[:60]
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def import_hris_csv(
    path: str | Path,
    *,
    columns: Mapping[str, str | None] | None = None,
    keywords: KeywordTable | None = None,
    fold_teams: bool = False,
    loaded_multiplier: float = DEFAULT_LOADED_MULTIPLIER,
    cost_is_loaded: bool = False,
    monthly: bool = False,
    lenient: bool = False,
) -> ImportResult:
    """Read an HRIS CSV export into org units.

    Args:
        path: The CSV (comma, semicolon, tab or pipe separated; UTF-8, else Windows-1252).
        columns: Field (``id parent title name cost department location``) -> column name;
            ``name`` may list several columns separated by commas, joined with spaces.
            Missing fields are guessed (:data:`COLUMN_GUESSES`).
        keywords: Function keyword table (default: the shipped one).
        fold_teams: Fold employees under one manager with the same function and no reports
            into one team unit (headcount = their number, cost = their mean).
        loaded_multiplier: Salary x this = loaded cost per head.
        cost_is_loaded: The cost column already is loaded cost (no multiplier).
        monthly: The cost column is monthly (x 12).
        lenient: Import what can be imported and list the rest (see the module docs).

    Returns:
        The units and what the import noticed.

    Raises:
        HrisImportError: problems in the file and ``lenient`` is false, or nothing importable.
        CcosimError: the file cannot be read.
    """
    path = Path(path)
    source = str(path)
    if loaded_multiplier <= 0:
        raise CcosimError(f"the loaded-cost multiplier must be positive, not {loaded_multiplier}")
    table = keywords or load_keywords()
    header, rows, encoding = _read_rows(path)
    cols = _resolve_columns(header, columns or {}, source)
    problems: list[ImportProblem] = []
    notes: list[str] = []
    if encoding != "utf-8":
        notes.append("the file is not UTF-8; read it as Windows-1252")

    def column_name(name: str) -> str:
        return "+".join(header[i] for i in cols.get(name, []))

    def cell(row: list[str], name: str) -> str:
        parts = (strip_control(row[i]).strip() for i in cols.get(name, []) if i < len(row))
        return " ".join(p for p in parts if p)  # no control characters: they are not text

    factor = (12.0 if monthly else 1.0) * (1.0 if cost_is_loaded else loaded_multiplier)
    employees: list[_Employee] = []
    by_raw: dict[str, _Employee] = {}
    used_ids: set[str] = set()
    renamed = 0
    for line, row in rows:
        if not any(c.strip() for c in row):
            problems.append(ImportProblem(line, None, "empty row", "skipped"))
            continue
        if len(row) > len(header):
            problems.append(
                ImportProblem(
                    line,
                    None,
                    f"{len(row)} cells but the header has {len(header)} columns "
                    "(an unquoted comma?)",
                    "skipped",
                )
            )
            continue
        raw_id = cell(row, "id")
        if not raw_id:
            problems.append(ImportProblem(line, column_name("id"), "no id", "skipped"))
            continue
        if raw_id in by_raw:
            problems.append(
                ImportProblem(
                    line,
                    column_name("id"),
                    f"duplicate id {raw_id!r} (first on line {by_raw[raw_id].line})",
                    "skipped",
                )
            )
            continue
        title = cell(row, "title")
        if not title:
            problems.append(
                ImportProblem(line, column_name("title"), "no title", "imported as 'Employee'")
            )
            title = "Employee"
        cost: float | None = None
        cost_text = cell(row, "cost")
        if cost_text:
            value = _money(cost_text)
            if value is None:
                problems.append(
                    ImportProblem(
                        line,
                        column_name("cost"),
                        f"{cost_text!r} is not a number",
                        "imported with the function's default cost",
                    )
                )
            else:
                cost = round(value * factor, 2)
        unit_id = _safe_id(raw_id, used_ids)
        used_ids.add(unit_id)
        renamed += unit_id != raw_id
        parent = cell(row, "parent") or None
        if parent == raw_id:
            notes.append(f"line {line}: {raw_id} is their own manager; taken as a top of the org")
            parent = None
        employee = _Employee(
            line=line,
            raw_id=raw_id,
            id=unit_id,
            parent=parent,
            title=title[:200],
            name=(cell(row, "name") or None) and cell(row, "name")[:200],
            cost=cost,
            department=cell(row, "department"),
            location=(cell(row, "location") or None) and cell(row, "location")[:200],
        )
        employee.function, employee.why = table.infer(employee.title, employee.department)
        by_raw[raw_id] = employee
        employees.append(employee)
    if renamed:
        notes.append(f"{renamed} ids had characters a unit id cannot hold; replaced by '_'")

    # Managers that are not in the file.
    reattached: set[str] = set()  # never chosen as the top of the org
    for employee in employees:
        if employee.parent is not None and employee.parent not in by_raw:
            problems.append(
                ImportProblem(
                    employee.line,
                    column_name("parent"),
                    f"manager {employee.parent!r} of {employee.raw_id!r} is not in the file",
                    "re-attached under the top of the org",
                )
            )
            employee.parent = None
            reattached.add(employee.raw_id)
    # Reporting cycles: follow managers until a top or a loop.
    state: dict[str, int] = {}
    for employee in employees:
        walk: list[_Employee] = []
        node: _Employee | None = employee
        while node is not None and node.raw_id not in state:
            state[node.raw_id] = 1
            walk.append(node)
            node = by_raw[node.parent] if node.parent is not None else None
        if node is not None and state[node.raw_id] == 1:
            loop = walk[walk.index(node) :]
            first = min(loop, key=lambda e: e.line)
            chain = " -> ".join(f"{e.raw_id} (line {e.line})" for e in [*loop, node])
            problems.append(
                ImportProblem(
                    first.line,
                    column_name("parent"),
                    f"reporting cycle: {chain}",
                    f"{first.raw_id} re-attached under the top of the org",
                )
            )
            first.parent = None
            reattached.add(first.raw_id)
        for visited in walk:
            state[visited.raw_id] = 2

    if not employees:
        raise HrisImportError(
            source, [*problems, ImportProblem(None, None, "no employee rows to import")]
        )
    if problems and not lenient:
        raise HrisImportError(source, problems, "--lenient imports what it can")

    # One top: the employee with the most people below; other tops are attached under it.
    children: dict[str | None, list[_Employee]] = {}
    for employee in employees:
        children.setdefault(employee.parent, []).append(employee)

    def below(e: _Employee) -> int:
        count, stack = 0, list(children.get(e.raw_id, []))
        while stack:
            count += 1
            stack.extend(children.get(stack.pop().raw_id, []))
        return count

    tops = children[None]
    genuine = [e for e in tops if e.raw_id not in reattached] or tops
    root = max(genuine, key=lambda e: (below(e), -e.line))
    for other in tops:
        if other is not root:
            other.parent = root.raw_id
    extra = [e for e in tops if e is not root and e.raw_id not in reattached]
    if extra:
        listed = ", ".join(f"{e.raw_id} (line {e.line})" for e in extra[:10])
        more = f" and {len(extra) - 10} more" if len(extra) > 10 else ""
        notes.append(
            f"{len(extra) + 1} employees have no manager; {root.raw_id} (line {root.line}, "
            f"{below(root)} people below) is the top, the others report to it: {listed}{more}"
        )
    children = {}
    for employee in employees:
        children.setdefault(employee.parent, []).append(employee)

    # Top-down order (depth first, file order among siblings), optional team folding.
    ordered: list[_Employee] = []
    stack = [root]
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.raw_id, [])))
    units: list[Unit] = []
    lines: dict[str, list[int]] = {}
    folded_into: dict[str, list[_Employee]] = {}
    skip: set[str] = set()
    if fold_teams:
        for manager_raw, reports in children.items():
            if manager_raw is None:
                continue
            groups: dict[Function, list[_Employee]] = {}
            for e in reports:
                if e.raw_id not in children:
                    groups.setdefault(e.function, []).append(e)
            for group in groups.values():
                if len(group) >= 2:
                    folded_into[group[0].raw_id] = group
                    skip.update(e.raw_id for e in group[1:])
    parent_id = {e.raw_id: e.id for e in employees}
    for e in ordered:
        if e.raw_id in skip:
            continue
        group = folded_into.get(e.raw_id)
        reports_to = parent_id[e.parent] if e.parent is not None else None
        if group:
            unit_id = _safe_id(f"{parent_id[e.parent]}_{e.function.value}_team", used_ids)  # type: ignore[index]
            used_ids.add(unit_id)
            titles = list(dict.fromkeys(m.title for m in group))
            title = " / ".join(titles[:3]) + (" / ..." if len(titles) > 3 else "")
            costs = [m.cost for m in group if m.cost is not None]
            places = {m.location for m in group}
            fields: dict[str, Any] = {
                "id": unit_id,
                "title": title[:200],
                "function": e.function,
                "reports_to": reports_to,
                "headcount": float(len(group)),
                "cost": round(sum(costs) / len(costs), 2) if costs else None,
                "location": places.pop() if len(places) == 1 else None,
            }
            lines[unit_id] = [m.line for m in group]
        else:
            unit_id = e.id
            fields = {
                "id": e.id,
                "title": e.title,
                "name": e.name,
                "function": e.function,
                "reports_to": reports_to,
                "cost": e.cost,
                "location": e.location,
            }
            lines[unit_id] = [e.line]
        units.append(Unit.model_validate({k: v for k, v in fields.items() if v is not None}))
    if folded_into:
        folded = sum(len(g) for g in folded_into.values())
        notes.append(f"--fold-teams: {folded} employees folded into {len(folded_into)} teams")

    departments: dict[str, Counter[str]] = {}
    for e in employees:
        if e.department:
            departments.setdefault(e.department, Counter())[e.function.value] += 1
    return ImportResult(
        source=source,
        units=units,
        employees=len(employees),
        columns={name: column_name(name) for name in FIELDS if cols.get(name)},
        root=root.id,
        problems=problems,
        notes=notes,
        functions=dict(Counter(e.function.value for e in employees).most_common()),
        departments={d: c.most_common(1)[0][0] for d, c in sorted(departments.items())},
        lines=lines,
        settings={
            "loaded_multiplier": None if cost_is_loaded else loaded_multiplier,
            "monthly": monthly,
            "keywords": table.source,
            "fold_teams": fold_teams,
        },
    )


# ---- writing the scenario ------------------------------------------------------------------

PLACEHOLDER_CUSTOMERS = """\
# PLACEHOLDER: replace with your customer base. These figures only make the file valid;
# ccosim's simulations are meaningless until they describe your customers (see
# docs/scenario-format.md), or use `ccosim org import --extends FILE` to take them from a
# customers file.
customers:
  segments:
    all:                        # replace with your customer base
      initial_accounts: 100
      acv: 20000
      new_accounts_per_year: 20
      base_churn: 0.1
"""


def _find_schema(output: Path, extends: Path | None) -> str | None:
    here = output.resolve().parent
    places = [extends.resolve().parent] if extends is not None else []
    for folder in [here, *list(here.parents)[:3]]:
        places += [folder, folder / "scenarios"]
    for place in places:
        candidate = place / "scenario.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, here)).as_posix()
    return None


def _unit_line(unit: Unit) -> str:
    data = unit.model_dump(mode="json", exclude_defaults=True)
    data = {"id": unit.id, **{k: v for k, v in data.items() if k != "id"}}
    for key in ("headcount", "cost"):
        if isinstance(data.get(key), float) and data[key].is_integer():
            data[key] = int(data[key])
    text = yaml.safe_dump(data, default_flow_style=True, sort_keys=False, width=10**6)
    return text.strip()


def scenario_yaml(
    result: ImportResult,
    output: str | Path,
    *,
    extends: str | Path | None = None,
    name: str | None = None,
    currency: str | None = None,
) -> str:
    """The scenario file text for an import.

    Args:
        result: What :func:`import_hris_csv` produced.
        output: Where the file will be written (``extends`` and the schema are relative to it).
        extends: A file giving ``customers:`` (and perhaps ``assumptions:``); written as
            ``extends:``. Without it, a placeholder customer base, clearly marked.
        name: The scenario's name (default: "Imported from FILE").
        currency: ISO 4217 code of the costs, if not USD.

    Returns:
        YAML text.

    Raises:
        CcosimError: ``extends`` does not exist or has its own ``org.units``, which would merge
            with the imported ones.
    """
    output = Path(output)
    base: Path | None = Path(extends) if extends is not None else None
    if base is not None:
        if not base.is_file():
            raise CcosimError(f"--extends {base}: no such file")
        data = read_yaml(base, MarkTable())  # bounded: sizes, depth, aliases
        if (
            isinstance(data, dict)
            and isinstance(data.get("org"), dict)
            and data["org"].get("units")
        ):
            raise CcosimError(
                f"--extends {base}: that file has its own org.units, and scenario files merge "
                "units by id, so the imported org would get a second top; extend a file with "
                "only customers: (and assumptions:)"
            )
    out: list[str] = []
    schema = _find_schema(output, base)
    if schema:
        out.append(f"# yaml-language-server: $schema={schema}")
    settings = result.settings
    if settings["loaded_multiplier"] is None:
        cost_rule = "the cost column as loaded cost per head"
    else:
        multiplier = settings["loaded_multiplier"]
        cost_rule = f"salary x {multiplier:g} (loaded: benefits, taxes, overhead)"
    if settings["monthly"]:
        cost_rule += ", monthly x 12"
    out += [
        "#",
        f"# Imported from {_one_comment_line(Path(result.source).name)} by `ccosim org import`: "
        f"{result.employees} employees -> {len(result.units)} units.",
        *textwrap.wrap(
            _one_comment_line(
                "Columns: " + ", ".join(f"{k}={v}" for k, v in result.columns.items()) + "."
            ),
            width=96,
            initial_indent="# ",
            subsequent_indent="#   ",
        ),
        f"# Cost per head: {cost_rule}; no cost = the function's default.",
        f"# Functions guessed from titles and departments by {settings['keywords']};",
        "# check them: they drive the simulation. Each unit ends with its CSV line(s).",
    ]
    for note in result.notes:
        out.append(f"# Note: {_one_comment_line(note)}")
    for problem in result.problems:
        text = problem.describe(Path(result.source).name)
        out.append(f"# Skipped or changed: {_one_comment_line(text)}")
    out.append(
        "name: "
        + yaml.safe_dump(name or f"Imported from {Path(result.source).name}", width=10**6)
        .strip()
        .removesuffix("...")
        .strip()
    )
    if base is not None:
        relative = Path(os.path.relpath(base.resolve(), output.resolve().parent)).as_posix()
        out.append(f"extends: {yaml.safe_dump(relative).strip().removesuffix('...').strip()}")
    if currency:
        out.append(f"currency: {currency}")
    out.append("")
    if base is None:
        out.append(PLACEHOLDER_CUSTOMERS)
    out += ["org:", "  units:"]
    for unit in result.units:
        lines = result.lines.get(unit.id, [])
        where = ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")
        label = "line" if len(lines) == 1 else "lines"
        out.append(f"    - {_unit_line(unit)}  # {label} {where}")
    return "\n".join(out) + "\n"


def _one_comment_line(text: str) -> str:
    """``text`` safe inside one ``#`` comment, whatever a CSV cell held.

    Every line break or control character becomes a space, so nothing ends the comment.
    """
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def write_scenario(text: str, output: str | Path, *, force: bool = False) -> Path:
    """Check that ``text`` is a valid scenario where it will live, then write it atomically.

    Raises:
        OutputExistsError: ``output`` exists and ``force`` is false.
        CcosimError: the scenario does not validate (the message says why).
    """
    from ccosim.scenario import ScenarioError, load

    output = Path(output)
    check_writable(output, force)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".check.yaml", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            load(tmp)
        except ScenarioError as exc:
            raise CcosimError(f"the imported scenario does not validate:\n{exc}") from exc
    finally:
        os.unlink(tmp)
    return write_text(output, text, force=force)
