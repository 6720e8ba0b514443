"""Import an HRIS CSV export (one row per employee or position) into a scenario's ``org:``.

The import runs in named stages, each a function of this module:

1. :func:`read_table` reads the file: UTF-8, UTF-16 (with its byte-order mark) or
   Windows-1252; comma, semicolon, tab or pipe separated; ``skip_rows`` title lines above the
   header; an .xlsx workbook's first sheet with the optional openpyxl (``ccosim[xlsx]``),
   other workbooks refused with "save it as CSV".
2. :func:`resolve_columns` finds the columns of each field (named by the caller, or guessed
   from common names, case and punctuation ignored; :data:`COLUMN_GUESSES`).
3. :func:`read_positions` reads one position per row: ids (Excel's ``1.0`` read as ``1``),
   numbers (decimal comma or point, thousands separators, currency symbols), heads (an FTE
   column gives fractional heads), open requisitions (a status column or "TBH"-style names,
   :data:`OPEN_MARKERS`), the function (a ``function`` column as given, else guessed from
   title and department by ``function_keywords.yaml``).
4. :func:`link_managers` finds each manager: by id (leading zeros ignored), or by name when
   the manager column holds names.
5. :func:`repair_hierarchy` breaks reporting cycles and picks the top of the org.
6. :func:`build_units` orders the units top-down and, if asked (or above
   :data:`FOLD_ABOVE` rows), folds like reports of one manager into teams.

Costs: a salary column becomes loaded cost per head (x ``loaded_multiplier``, 1.25 by
default: the scenario format's own default for benefits, taxes and overhead). A column named
``loaded_cost`` (as ``ccosim org export`` writes) already is loaded cost and is never
multiplied again; a ``cost_source`` of ``default`` means "no cost of its own". So an export
imports back into the same org.

Real exports are messy. Every problem names the CSV line (1-based, as an editor shows it)
and the column. Without ``lenient`` any problem aborts the import (:class:`HrisImportError`
lists up to 20); with ``lenient`` the importer keeps what it can:

* an empty row, a row without an id, a duplicate id (the later row) or a row with more cells
  than the header: skipped; a row with fewer cells: the missing cells read as empty;
* a number that is not a number: imported without it (a cost: the function's default);
* an empty title: imported as "Employee";
* a manager id that is not in the file, or a reporting cycle (broken at its earliest row):
  the employee is re-attached under the top of the org; a dotted-line manager not in the
  file: the dotted line is dropped.

Employees with no manager at all are not an error: the one with the most people below them
becomes the top of the org and the others are attached under it (listed in the notes).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ccosim.errors import CcosimError
from ccosim.scenario.authoring import PLACEHOLDER_CUSTOMERS, scenario_yaml, write_scenario
from ccosim.scenario.plain import strip_control
from ccosim.scenario.schema import Function, Staffing, Unit
from ccosim.scenario.yaml_source import MarkTable, parse_yaml, read_bounded
from ccosim.tabular import FORMULA_PREFIXES

__all__ = [
    "COLUMN_GUESSES",
    "DEFAULT_LOADED_MULTIPLIER",
    "FIELDS",
    "FOLD_ABOVE",
    "LOADED_COST_COLUMNS",
    "OPEN_MARKERS",
    "PLACEHOLDER_CUSTOMERS",
    "Columns",
    "HrisImportError",
    "ImportOptions",
    "ImportProblem",
    "ImportResult",
    "KeywordTable",
    "Position",
    "RawTable",
    "build_units",
    "detect_decimal",
    "import_hris_csv",
    "link_managers",
    "load_keywords",
    "parse_number",
    "read_positions",
    "read_table",
    "repair_hierarchy",
    "resolve_columns",
    "scenario_yaml",
    "write_scenario",
]

#: Salary x this = loaded cost (benefits, taxes, overhead); the same +25% the scenario
#: format's ``assumptions.costs.loaded_multiplier`` uses, so imported and default costs agree.
DEFAULT_LOADED_MULTIPLIER = 1.25
MAX_LISTED = 20

#: Above this many rows, like reports are folded into teams unless the caller says otherwise
#: (a scenario file holds at most 2 MB, about 15,000 units).
FOLD_ABOVE = 10_000

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
    "cost_source",
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
    ),
    "title": ("title", "position", "job_title", "position_title", "job", "role"),
    "name": ("name", "full_name", "employee_name", "display_name"),
    "cost": (
        "loaded_cost",
        "salary",
        "cost",
        "annual_salary",
        "base_salary",
        "annual_cost",
        "fully_loaded_cost",
    ),
    "department": ("department", "department_name", "dept", "dept_name", "org_unit", "division"),
    "location": ("location", "location_name", "office", "city", "site", "location_state"),
    "status": (
        "status",
        "position_status",
        "requisition_status",
        "req_status",
        "fill_status",
        "hiring_status",
        "employment_status",
    ),
    "fte": ("fte", "headcount", "full_time_equivalent", "fte_count", "heads"),
    "manager_name": (
        "manager_name",
        "supervisor_name",
        "reports_to_name",
        "line_manager_name",
        "manager_full_name",
    ),
    "function": ("function", "ccosim_function"),
    "open_headcount": ("open_headcount", "open_heads", "open_positions"),
    "vacant": ("vacant", "is_vacant"),
    "dotted_to": ("dotted_to", "dotted_line_manager_id", "matrix_manager_id", "dotted_line"),
    "segment": ("segment", "customer_segment"),
    "currency": ("currency", "currency_code", "salary_currency"),
    "span_limit": ("span_limit",),
    "staffing": ("staffing",),
    "cost_source": ("cost_source",),
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

#: Status or name cells that mark a position to be hired (compared without case or
#: punctuation; a status *starting* with one of them counts too: "Open - approved").
OPEN_MARKERS: tuple[str, ...] = (
    "open",
    "open requisition",
    "requisition",
    "req",
    "vacant",
    "vacancy",
    "to be hired",
    "tbh",
    "tbd",
    "unfilled",
    "approved",
    "posted",
    "recruiting",
    "hiring",
    "new hire",
)

_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_EXCEL_INT = re.compile(r"^[+-]?[0-9]+\.0+$")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


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


# ---- options and results -------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOptions:
    """How to read an HRIS file (every field has the default ``ccosim org import`` uses).

    Attributes:
        columns: Field -> column name (``name`` may list several, comma-separated).
        keywords: Function keyword table (None: the shipped one).
        fold_teams: Fold like reports into teams: True, False, or None (only above
            :data:`FOLD_ABOVE` rows).
        loaded_multiplier: Salary x this = loaded cost per head.
        cost_is_loaded: The cost column already is loaded cost (also true when it is named
            ``loaded_cost``).
        monthly: The cost column is monthly (x 12).
        lenient: Import what can be imported and list the rest.
        decimal: ``"."`` or ``","``; None: detected from the numbers (see
            :func:`detect_decimal`).
        skip_rows: Lines above the header to skip (a report title, a blank line).
        open_markers: Status or name cells that mark a position to be hired.
        blank_name_open: A row with a name column but no name is a position to be hired.
        progress: Called with (rows read, rows) while reading.
    """

    columns: Mapping[str, str | None] = field(default_factory=dict)
    keywords: KeywordTable | None = None
    fold_teams: bool | None = False
    loaded_multiplier: float = DEFAULT_LOADED_MULTIPLIER
    cost_is_loaded: bool = False
    monthly: bool = False
    lenient: bool = False
    decimal: str | None = None
    skip_rows: int = 0
    open_markers: tuple[str, ...] = OPEN_MARKERS
    blank_name_open: bool = False
    progress: Callable[[int, int], None] | None = None


@dataclass
class Position:
    """One row of the file: a person, or a position to be hired.

    Attributes:
        line: 1-based line of the row.
        raw_id: The id as written (Excel's ``1.0`` already read as ``1``).
        key: The id used to match managers (leading zeros dropped from numeric ids).
        id: The unit id (``raw_id`` with characters a unit id cannot hold replaced).
        parent: The manager cell (an id, or a name when the column holds names).
        title: Job title.
        name: The person's name (None for an open position).
        cost: Loaded annual cost per head, or None (the function's default).
        heads: Heads (1, or the FTE / headcount column).
        open_heads: Heads of the position still to be hired.
        vacant: The whole position is to be hired.
        function: Function (given or guessed); ``why`` says which.
    """

    line: int
    raw_id: str
    key: str
    id: str
    parent: str | None
    title: str
    name: str | None
    cost: float | None
    department: str = ""
    location: str | None = None
    heads: float = 1.0
    open_heads: float = 0.0
    vacant: bool = False
    dotted: list[str] = field(default_factory=list)
    segment: str | None = None
    currency: str | None = None
    span_limit: int | None = None
    staffing: Staffing | None = None
    function: Function = Function.other
    why: str = ""


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


# ---- stage 1: reading the file -------------------------------------------------------------


@dataclass
class RawTable:
    """The file as a header and rows of cells.

    Attributes:
        source: The file.
        header: Column names.
        header_line: 1-based line of the header.
        rows: (1-based line, cells) of every row below the header.
        encoding: ``utf-8``, ``utf-16``, ``cp1252`` or ``xlsx`` (a workbook's first sheet).
        delimiter: The cell separator found.
    """

    source: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str


_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _save_as_csv(source: str, why: str) -> HrisImportError:
    return HrisImportError(
        source,
        [
            ImportProblem(
                None,
                None,
                f"{why}; open it in Excel and save it as CSV (File > Save As > 'CSV UTF-8 "
                "(Comma delimited)'), then import the .csv file",
            )
        ],
    )


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (``1.0`` as ``1``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def _read_workbook(path: Path, source: str) -> list[list[str]]:
    """The rows of the first worksheet of an .xlsx file (needs the optional openpyxl)."""
    try:
        import openpyxl
    except ImportError:
        raise _save_as_csv(
            source,
            "this is an Excel workbook, not a CSV file, and reading workbooks needs openpyxl "
            "(pip install 'ccosim[xlsx]')",
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _save_as_csv(source, f"this Excel workbook cannot be read ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _decode(raw: bytes, source: str) -> tuple[str, str]:
    if raw.startswith(_EXCEL_MAGIC):
        raise _save_as_csv(source, "this is an Excel workbook, not a CSV file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if len(raw) >= 4 and raw[1:4:2] == b"\x00\x00" and raw[0] and raw[2]:
        return raw.decode("utf-16-le", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def read_table(path: str | Path, *, skip_rows: int = 0) -> RawTable:
    """Stage 1: the file's header and rows, whatever its encoding and separator.

    Args:
        path: The file.
        skip_rows: Lines above the header to skip.

    Raises:
        HrisImportError: the file is empty, an Excel workbook, or not readable as CSV.
        CcosimError: the file cannot be read.
    """
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CcosimError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if skip_rows < 0:
        raise CcosimError(f"--skip-rows must be 0 or more, not {skip_rows}")
    if raw.startswith(b"PK\x03\x04") and path.suffix.lower() in (".xlsx", ".xlsm"):
        cells = _read_workbook(path, source)[skip_rows:]
        start = next((i for i, row in enumerate(cells) if any(c.strip() for c in row)), None)
        if start is None:
            raise HrisImportError(source, [ImportProblem(None, None, "the workbook is empty")])
        header = [c.strip() for c in cells[start]]
        width = max(len(header), 1)
        while width > 1 and not header[width - 1]:
            width -= 1  # openpyxl pads rows to the sheet's widest row
        rows = [
            (number + skip_rows + 1, row[: max(width, _last_filled(row))])
            for number, row in enumerate(cells)
            if number > start
        ]
        return RawTable(source, header[:width], start + skip_rows + 1, rows, "xlsx", ",")
    text, encoding = _decode(raw, source)
    skipped = text.splitlines(keepends=True)[:skip_rows]
    text = text[sum(len(s) for s in skipped) :]
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first:
        raise HrisImportError(source, [ImportProblem(None, None, "the file is empty")])
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    header_line = 0
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if header is None:
                if any(cell.strip() for cell in row):
                    header = [cell.strip() for cell in row]
                    header_line = start + skip_rows
                continue
            rows.append((start + skip_rows, row))
    except csv.Error as exc:
        raise HrisImportError(
            source, [ImportProblem(end + 1 + skip_rows, None, f"unreadable CSV ({exc})")]
        ) from exc
    return RawTable(source, header or [], header_line, rows, encoding, delimiter)


def _last_filled(row: list[str]) -> int:
    for index in range(len(row), 0, -1):
        if row[index - 1].strip():
            return index
    return 0


# ---- stage 2: columns ----------------------------------------------------------------------


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
        by_norm.setdefault(_norm(column), index)
    exact = {column: index for index, column in enumerate(header)}
    out: dict[str, list[int]] = {}
    problems = []
    taken: set[int] = set()
    for name in FIELDS:
        wanted = given.get(name)
        if wanted:
            indexes = []
            for part in [p.strip() for p in wanted.split(",") if p.strip()]:
                index = exact.get(part, by_norm.get(_norm(part)))
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
            taken.update(indexes)
    for name in FIELDS:
        if name in out:
            continue
        if name == "name":
            for first, last in _NAME_PAIRS:
                pair = [by_norm.get(_norm(first)), by_norm.get(_norm(last))]
                if None not in pair and not taken & set(pair):  # type: ignore[operator]
                    out[name] = pair  # type: ignore[assignment]
                    break
            if name in out:
                taken.update(out[name])
                continue
        for guess in COLUMN_GUESSES[name]:
            index = by_norm.get(_norm(guess))
            if index is not None and index not in taken:
                out[name] = [index]
                taken.add(index)
                break
    parent_ok = "parent" in out or "manager_name" in out
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
    if problems:
        raise HrisImportError(source, problems, hint or "check the column options")
    loaded = bool(out.get("cost")) and _norm(header[out["cost"][0]]) in LOADED_COST_COLUMNS
    return Columns(header, out, loaded)


def _header_hint(table: RawTable, skip_rows: int) -> str:
    """``the header seems to be on line N: pass --skip-rows M`` if a later row looks like one."""
    wanted = {_norm(g) for name in ("id", "parent", "title") for g in COLUMN_GUESSES[name]}
    if sum(_norm(c) in wanted for c in table.header) >= 2:
        return ""
    for line, row in table.rows[:10]:
        if sum(_norm(c) in wanted for c in row) >= 2:
            return f"the header seems to be on line {line}: pass --skip-rows {line - 1}"
    return ""


# ---- stage 3: positions --------------------------------------------------------------------

_CURRENCY = re.compile(r"^(?:[A-Z]{3}|[$€£¥₹]|CHF|Fr\.?)|(?:[A-Z]{3}|[$€£¥₹]|CHF)$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_POINT = {
    "plain": re.compile(r"^\d+(\.\d+)?$"),
    "grouped": re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$"),
}
_COMMA = {
    "plain": re.compile(r"^\d+(,\d+)?$"),
    "grouped": re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$"),
}
# Cells that can only be read one way.
_ONLY_COMMA = re.compile(r"^(\d{1,3}(\.\d{3})+,\d+|\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(\.\d{3}){2,})$")
_ONLY_POINT = re.compile(r"^(\d{1,3}(,\d{3})+\.\d+|\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(,\d{3}){2,})$")


def _bare_number(text: str) -> str:
    cleaned = _SPACES.sub("", text.strip())
    for _ in range(2):
        cleaned = _CURRENCY.sub("", cleaned).strip()
    return cleaned


def parse_number(text: str, decimal: str = ".") -> float | None:
    """A number written by a person or a spreadsheet, or None if it is not one.

    Currency symbols and codes (``$``, ``€``, ``USD``), spaces, apostrophes and the thousands
    separator (``,`` with a decimal point, ``.`` with a decimal comma) are ignored.
    """
    cleaned = _bare_number(text)
    patterns = _POINT if decimal == "." else _COMMA
    if not any(p.match(cleaned) for p in patterns.values()):
        return None
    if decimal == ".":
        return float(cleaned.replace(",", ""))
    return float(cleaned.replace(".", "").replace(",", "."))


def detect_decimal(
    cells: Sequence[tuple[int, str]], delimiter: str
) -> tuple[str, str, list[ImportProblem]]:
    """The decimal mark of a file's numbers, why, and a problem if the file mixes both.

    A cell like ``2.954,55`` or ``0,5`` can only have a decimal comma; ``2,954.55`` or
    ``0.5`` only a decimal point. Cells like ``45.000`` could be either: with no cell that
    decides, a semicolon-separated file (the European Excel default) is read with a decimal
    comma, any other with a decimal point.
    """
    comma = next(((line, c) for line, c in cells if _ONLY_COMMA.match(_bare_number(c))), None)
    point = next(((line, c) for line, c in cells if _ONLY_POINT.match(_bare_number(c))), None)
    if comma and point:
        return (
            ".",
            "",
            [
                ImportProblem(
                    comma[0],
                    None,
                    f"numbers are written both with a decimal comma ({comma[1]!r}) and with a "
                    f"decimal point ({point[1]!r} on line {point[0]}); pass --decimal , or "
                    "--decimal .",
                )
            ],
        )
    if comma:
        return ",", f"{comma[1]!r} on line {comma[0]}", []
    if point:
        return ".", "", []
    if delimiter == ";" and any(_COMMA["grouped"].match(_bare_number(c)) for _, c in cells):
        return ",", "the file is semicolon-separated", []
    return ".", "", []


def _excel_id(text: str) -> str:
    return text.split(".")[0] if _EXCEL_INT.match(text) else text


def _key(text: str) -> str:
    """The id as managers are matched: numeric ids without leading zeros."""
    text = _excel_id(text.strip())
    return str(int(text)) if text.isascii() and text.isdigit() else text


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


def _marker_pattern(markers: Sequence[str]) -> re.Pattern[str]:
    """Matches a status or name that is (or starts with) one of ``markers``."""
    words = [" ".join(re.sub(r"[^a-z0-9]+", " ", m.lower()).split()) for m in markers]
    alternatives = "|".join(re.escape(w) for w in sorted(filter(None, words), key=len)[::-1])
    return re.compile(rf"^(?:{alternatives})(?: |$)" if alternatives else r"(?!)")


def _is_marker(text: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.match(" ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())))


def read_positions(
    table: RawTable,
    columns: Columns,
    options: ImportOptions,
    keywords: KeywordTable,
    problems: list[ImportProblem],
    notes: list[str],
) -> list[Position]:
    """Stage 3: one :class:`Position` per row, with problems and notes appended.

    Args:
        table: What :func:`read_table` read.
        columns: What :func:`resolve_columns` found.
        options: How to read.
        keywords: The function keyword table.
        problems: Problems found are appended here.
        notes: Notes are appended here.
    """
    header = table.header
    col = columns.name
    cell = columns.cell
    markers = _marker_pattern(options.open_markers)
    inferred: dict[tuple[str, str], tuple[Function, str]] = {}
    decimal = options.decimal
    if decimal is None:
        numeric = [
            (line, cell(row, f))
            for line, row in table.rows
            for f in ("cost", "fte", "open_headcount")
            if cell(row, f)
        ]
        decimal, why, mixed = detect_decimal(numeric, table.delimiter)
        problems.extend(mixed)
        if decimal == "," and not mixed:
            notes.append(
                f"numbers read with a decimal comma ({why}); pass --decimal . if that is wrong"
            )
    loaded = options.cost_is_loaded or columns.cost_is_loaded
    factor = (12.0 if options.monthly else 1.0) * (1.0 if loaded else options.loaded_multiplier)
    defaults_marked = columns.has("cost_source")
    explicit_open = columns.has("vacant") or columns.has("open_headcount")
    functions = {f.value for f in Function}

    def number(line: int, row: list[str], name: str, what: str, action: str) -> float | None:
        text = cell(row, name)
        if not text:
            return None
        value = parse_number(text, decimal)
        if value is None:
            problems.append(ImportProblem(line, col(name), f"{text!r} is not {what}", action))
        return value

    positions: list[Position] = []
    by_key: dict[str, Position] = {}
    used_ids: set[str] = set()
    renamed = excel_ids = 0
    total = len(table.rows)
    for done, (line, row) in enumerate(table.rows, start=1):
        if options.progress is not None and (done % 2000 == 0 or done == total):
            options.progress(done, total)
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
        if len(row) < len(header):
            problems.append(
                ImportProblem(
                    line,
                    None,
                    f"{len(row)} cells but the header has {len(header)} columns (a truncated row?)",
                    "missing cells read as empty",
                )
            )
        raw_id = _excel_id(cell(row, "id"))
        excel_ids += raw_id != cell(row, "id")
        if not raw_id:
            problems.append(ImportProblem(line, col("id"), "no id", "skipped"))
            continue
        key = _key(raw_id)
        if key in by_key:
            problems.append(
                ImportProblem(
                    line,
                    col("id"),
                    f"duplicate id {raw_id!r} (first on line {by_key[key].line})",
                    "skipped",
                )
            )
            continue
        title = cell(row, "title")
        if not title:
            problems.append(ImportProblem(line, col("title"), "no title", "imported as 'Employee'"))
            title = "Employee"
        cost = number(line, row, "cost", "a number", "imported with the function's default cost")
        if cost is not None:
            cost = round(cost * factor, 2)
        if defaults_marked and cell(row, "cost_source").lower() == "default":
            cost = None
        heads = number(line, row, "fte", "a number of heads (FTE)", "imported as 1 head")
        if heads is not None and not 0 <= heads <= 100_000:
            problems.append(
                ImportProblem(line, col("fte"), f"{heads:g} heads is out of range", "imported as 1")
            )
            heads = None
        heads = 1.0 if heads is None else heads
        name = cell(row, "name") or None
        status = cell(row, "status")
        open_heads = 0.0
        vacant = False
        if explicit_open:
            open_value = number(line, row, "open_headcount", "a number", "imported as 0")
            open_heads = min(open_value or 0.0, heads)
            vacant_text = cell(row, "vacant").lower()
            if vacant_text not in _TRUE | _FALSE:
                problems.append(
                    ImportProblem(
                        line,
                        col("vacant"),
                        f"{vacant_text!r} is not true or false",
                        "imported as filled",
                    )
                )
            vacant = vacant_text in _TRUE
        elif (
            (status and _is_marker(status, markers))
            or (name and _is_marker(name, markers))
            or (name is None and options.blank_name_open and columns.has("name"))
        ):
            vacant = True
        if vacant and name and _is_marker(name, markers):
            name = None
        parent = _excel_id(cell(row, "parent")) or cell(row, "manager_name") or None
        unit_id = _safe_id(raw_id, used_ids)
        used_ids.add(unit_id)
        renamed += unit_id != raw_id
        if parent is not None and _key(parent) == key:
            notes.append(f"line {line}: {raw_id} is their own manager; taken as a top of the org")
            parent = None
        position = Position(
            line=line,
            raw_id=raw_id,
            key=key,
            id=unit_id,
            parent=parent,
            title=title[:200],
            name=name[:200] if name else None,
            cost=cost,
            department=cell(row, "department"),
            location=cell(row, "location")[:200] or None,
            heads=heads,
            open_heads=open_heads,
            vacant=vacant,
            dotted=[x.strip() for x in re.split(r"[;|]", cell(row, "dotted_to")) if x.strip()],
            segment=cell(row, "segment") or None,
            currency=cell(row, "currency").upper() or None,
        )
        if position.currency is not None and not re.fullmatch(r"[A-Z]{3}", position.currency):
            problems.append(
                ImportProblem(
                    line,
                    col("currency"),
                    f"{position.currency!r} is not an ISO 4217 code",
                    "imported without it",
                )
            )
            position.currency = None
        span = number(line, row, "span_limit", "a whole number", "imported without it")
        if span is not None:
            if span.is_integer() and span >= 1:
                position.span_limit = int(span)
            else:
                problems.append(
                    ImportProblem(
                        line,
                        col("span_limit"),
                        f"{span:g} is not a span limit",
                        "imported without it",
                    )
                )
        staffing = cell(row, "staffing")
        if staffing:
            try:
                position.staffing = Staffing.model_validate(json.loads(staffing))
            except (json.JSONDecodeError, ValidationError) as exc:
                problems.append(
                    ImportProblem(
                        line,
                        col("staffing"),
                        f"not a staffing policy ({exc})".splitlines()[0],
                        "imported without it",
                    )
                )
        given = cell(row, "function")
        if given and _norm(given) in {_norm(f) for f in functions}:
            position.function = next(f for f in Function if _norm(f.value) == _norm(given))
            position.why = f"column '{col('function')}'"
        else:
            context = " ".join(x for x in (given, position.department) if x)
            found = inferred.get((position.title, context))
            if found is None:
                found = inferred[(position.title, context)] = keywords.infer(
                    position.title, context
                )
            position.function, position.why = found
        by_key[key] = position
        positions.append(position)
    if renamed:
        notes.append(f"{renamed} ids had characters a unit id cannot hold; replaced by '_'")
    if excel_ids:
        notes.append(f"{excel_ids} ids written as Excel numbers ('1.0') read as whole numbers")
    return positions


# ---- stage 4: managers ---------------------------------------------------------------------


def _person_key(text: str) -> str:
    text = text.strip()
    if "," in text:  # "King, Steven"
        last, _, first = text.partition(",")
        text = f"{first} {last}"
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def link_managers(
    positions: list[Position],
    columns: Columns,
    problems: list[ImportProblem],
    notes: list[str],
) -> set[str]:
    """Stage 4: each position's ``parent`` becomes its manager's key, or None.

    Managers are matched by id, leading zeros ignored (``007`` is ``7``). When most manager
    cells match no id but do match people's names (``Steven King`` or ``King, Steven``), the
    column is read as names. Dotted-line managers are matched the same way.

    Returns:
        Keys of positions whose manager is missing (re-attached under the top later).
    """
    col = columns.name
    parent_col = col("parent") or col("manager_name")
    by_key = {p.key: p for p in positions}
    by_name: dict[str, list[Position]] = {}
    for p in positions:
        if p.name:
            by_name.setdefault(_person_key(p.name), []).append(p)
    cells = [p for p in positions if p.parent is not None]
    unmatched = [p for p in cells if _key(p.parent or "") not in by_key]
    named = [p for p in unmatched if _person_key(p.parent or "") in by_name]
    by_names = not columns.has("parent") or (cells and len(named) >= max(1, len(cells) // 2))
    padded = [
        p
        for p in cells
        if _key(p.parent or "") in by_key and by_key[_key(p.parent or "")].raw_id != p.parent
    ]
    if padded:
        first = padded[0]
        notes.append(
            f"{len(padded)} manager id{'s' if len(padded) > 1 else ''} matched ignoring "
            f"leading zeros (line {first.line}: "
            f"{first.parent!r} is {by_key[_key(first.parent or '')].raw_id!r})"
        )
    reattached: set[str] = set()
    if by_names and named:
        notes.append(
            f"column '{parent_col}' holds managers' names, not ids: {len(named)} matched by name"
        )
    hinted = False
    for p in cells:
        text = p.parent or ""
        target = by_key.get(_key(text))
        if target is None and by_names:
            found = by_name.get(_person_key(text), [])
            if len(found) > 1:
                lines = ", ".join(str(f.line) for f in found)
                problems.append(
                    ImportProblem(
                        p.line,
                        parent_col,
                        f"manager {text!r} of {p.raw_id!r}: several people have that name "
                        f"(lines {lines})",
                        "re-attached under the top of the org",
                    )
                )
                p.parent = None
                reattached.add(p.key)
                continue
            target = found[0] if found else None
        if target is None:
            hint = ""
            if not hinted and not by_names and _person_key(text) in by_name:
                hint = f"; it is a person's name: is '{parent_col}' a column of names?"
                hinted = True
            problems.append(
                ImportProblem(
                    p.line,
                    parent_col,
                    f"manager {text!r} of {p.raw_id!r} is not in the file{hint}",
                    "re-attached under the top of the org",
                )
            )
            p.parent = None
            reattached.add(p.key)
        else:
            p.parent = target.key
    for p in positions:
        kept = []
        for text in p.dotted:
            target = by_key.get(_key(text))
            if target is None:
                problems.append(
                    ImportProblem(
                        p.line,
                        col("dotted_to"),
                        f"dotted-line manager {text!r} of {p.raw_id!r} is not in the file",
                        "dotted line dropped",
                    )
                )
            elif target.key != p.key and target.key not in kept:
                kept.append(target.key)
        p.dotted = kept
    return reattached


# ---- stage 5: hierarchy --------------------------------------------------------------------


def repair_hierarchy(
    positions: list[Position],
    reattached: set[str],
    columns: Columns,
    problems: list[ImportProblem],
    notes: list[str],
) -> Position:
    """Stage 5: break reporting cycles, pick the top of the org, attach other tops under it.

    Returns:
        The top of the org.
    """
    by_key = {p.key: p for p in positions}
    state: dict[str, int] = {}
    for position in positions:
        walk: list[Position] = []
        node: Position | None = position
        while node is not None and node.key not in state:
            state[node.key] = 1
            walk.append(node)
            node = by_key[node.parent] if node.parent is not None else None
        if node is not None and state[node.key] == 1:
            loop = walk[walk.index(node) :]
            first = min(loop, key=lambda e: e.line)
            chain = " -> ".join(f"{e.raw_id} (line {e.line})" for e in [*loop, node])
            problems.append(
                ImportProblem(
                    first.line,
                    columns.name("parent") or columns.name("manager_name"),
                    f"reporting cycle: {chain}",
                    f"{first.raw_id} re-attached under the top of the org",
                )
            )
            first.parent = None
            reattached.add(first.key)
        for visited in walk:
            state[visited.key] = 2

    children: dict[str | None, list[Position]] = {}
    for position in positions:
        children.setdefault(position.parent, []).append(position)
    size: dict[str, int] = {}
    for position in reversed(_top_down(children)):
        size[position.key] = sum(1 + size[c.key] for c in children.get(position.key, []))
    tops = children[None]
    genuine = [e for e in tops if e.key not in reattached] or tops
    root = max(genuine, key=lambda e: (size[e.key], -e.line))
    for other in tops:
        if other is not root:
            other.parent = root.key
    extra = [e for e in tops if e is not root and e.key not in reattached]
    if extra:
        listed = ", ".join(f"{e.raw_id} (line {e.line})" for e in extra[:10])
        more = f" and {len(extra) - 10} more" if len(extra) > 10 else ""
        notes.append(
            f"{len(extra) + 1} employees have no manager; {root.raw_id} (line {root.line}, "
            f"{size[root.key]} people below) is the top, the others report to it: {listed}{more}"
        )
    return root


def _top_down(children: Mapping[str | None, list[Position]]) -> list[Position]:
    """Depth first from every top, file order among siblings."""
    ordered: list[Position] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.key, [])))
    return ordered


# ---- stage 6: units ------------------------------------------------------------------------


def build_units(
    positions: list[Position], root: Position, *, fold_teams: bool, notes: list[str]
) -> tuple[list[Unit], dict[str, list[int]]]:
    """Stage 6: the units, top-down, and the CSV lines of each.

    With ``fold_teams``, reports of one manager with the same function (and segment and
    currency) who have no reports, dotted lines or staffing policy of their own become one
    team: headcount = their heads, open headcount = the heads still to be hired, cost = the
    mean cost per head of those with a cost.
    """
    children: dict[str | None, list[Position]] = {}
    for p in positions:
        children.setdefault(p.parent, []).append(p)
    ordered = _top_down({None: [root], **{k: v for k, v in children.items() if k is not None}})
    unit_of = {p.key: p.id for p in positions}
    used_ids = {p.id for p in positions}
    dotted_targets = {k for p in positions for k in p.dotted}
    folded_into: dict[str, list[Position]] = {}
    skip: set[str] = set()
    if fold_teams:
        for manager, reports in children.items():
            if manager is None:
                continue
            groups: dict[tuple[Any, ...], list[Position]] = {}
            for p in reports:
                if (
                    p.key not in children
                    and not p.dotted
                    and p.staffing is None
                    and p.span_limit is None
                    and p.key not in dotted_targets
                ):
                    groups.setdefault((p.function, p.segment, p.currency), []).append(p)
            for group in groups.values():
                if len(group) >= 2:
                    folded_into[group[0].key] = group
                    skip.update(p.key for p in group[1:])
    units: list[Unit] = []
    lines: dict[str, list[int]] = {}
    for p in ordered:
        if p.key in skip:
            continue
        group = folded_into.get(p.key)
        reports_to = unit_of[p.parent] if p.parent is not None else None
        if group:
            unit_id = _safe_id(f"{reports_to}_{p.function.value}_team", used_ids)
            used_ids.add(unit_id)
            titles = list(dict.fromkeys(m.title for m in group))
            title = " / ".join(titles[:3]) + (" / ..." if len(titles) > 3 else "")
            costed = [m for m in group if m.cost is not None]
            costed_heads = sum(m.heads for m in costed)
            heads = sum(m.heads for m in group)
            open_heads = sum(m.heads if m.vacant else m.open_heads for m in group)
            places = {m.location for m in group}
            fields: dict[str, Any] = {
                "id": unit_id,
                "title": title[:200],
                "function": p.function,
                "reports_to": reports_to,
                "headcount": heads,
                "open_headcount": open_heads if open_heads < heads or heads == 0 else None,
                "vacant": open_heads >= heads > 0 or None,
                "cost": round(sum(m.cost * m.heads for m in costed) / costed_heads, 2)  # type: ignore[operator]
                if costed_heads
                else (costed[0].cost if costed else None),
                "location": places.pop() if len(places) == 1 else None,
                "segment": p.segment,
                "currency": p.currency,
            }
            lines[unit_id] = [m.line for m in group]
        else:
            unit_id = p.id
            fields = {
                "id": p.id,
                "title": p.title,
                "name": p.name,
                "function": p.function,
                "reports_to": reports_to,
                "dotted_to": [unit_of[k] for k in p.dotted] or None,
                "headcount": p.heads,
                "open_headcount": p.open_heads or None,
                "vacant": p.vacant or None,
                "cost": p.cost,
                "location": p.location,
                "currency": p.currency,
                "span_limit": p.span_limit,
                "segment": p.segment,
                "staffing": p.staffing,
            }
            lines[unit_id] = [p.line]
        units.append(Unit.model_validate({k: v for k, v in fields.items() if v is not None}))
    if folded_into:
        folded = sum(len(g) for g in folded_into.values())
        notes.append(f"--fold-teams: {folded} rows folded into {len(folded_into)} teams")
    return units, lines


# ---- the whole import ----------------------------------------------------------------------


def import_hris_csv(
    path: str | Path, options: ImportOptions | None = None, **kwargs: Any
) -> ImportResult:
    """Read an HRIS CSV export into org units (the stages of the module docs, in order).

    Args:
        path: The CSV.
        options: How to read it (default: :class:`ImportOptions`'s defaults).
        **kwargs: Fields of :class:`ImportOptions`, overriding ``options``
            (``import_hris_csv(path, fold_teams=True, lenient=True)``).

    Returns:
        The units and what the import noticed.

    Raises:
        HrisImportError: problems in the file and ``lenient`` is false, or nothing importable.
        CcosimError: the file cannot be read, or an option is out of range.
    """
    from dataclasses import replace

    options = replace(options or ImportOptions(), **kwargs)
    if options.loaded_multiplier <= 0:
        raise CcosimError(
            f"the loaded-cost multiplier must be positive, not {options.loaded_multiplier}"
        )
    if options.decimal not in (None, ".", ","):
        raise CcosimError(f"--decimal must be '.' or ',', not {options.decimal!r}")
    keywords = options.keywords or load_keywords()
    table = read_table(path, skip_rows=options.skip_rows)
    source = table.source
    columns = resolve_columns(
        table.header,
        options.columns,
        source,
        header_line=table.header_line or 1,
        hint=_header_hint(table, options.skip_rows),
    )
    problems: list[ImportProblem] = []
    notes: list[str] = []
    if table.encoding == "cp1252":
        notes.append("the file is not UTF-8; read it as Windows-1252")
    elif table.encoding == "utf-16":
        notes.append("the file is UTF-16 (Excel's 'Unicode Text'); read it as such")
    elif table.encoding == "xlsx":
        notes.append("an Excel workbook: read its first sheet (lines are the sheet's rows)")
    if columns.cost_is_loaded and not options.cost_is_loaded:
        notes.append(
            f"column '{columns.name('cost')}' is loaded cost per head: taken as it is, "
            "not multiplied again"
        )
    positions = read_positions(table, columns, options, keywords, problems, notes)
    if not positions:
        raise HrisImportError(
            source, [*problems, ImportProblem(None, None, "no employee rows to import")]
        )
    reattached = link_managers(positions, columns, problems, notes)
    root = repair_hierarchy(positions, reattached, columns, problems, notes)
    problems.sort(key=lambda p: p.line or 0)
    if problems and not options.lenient:
        raise HrisImportError(source, problems, "--lenient imports what it can")
    fold = options.fold_teams
    if fold is None:
        fold = len(positions) > FOLD_ABOVE
        if fold:
            notes.append(
                f"{len(positions):,} rows (more than {FOLD_ABOVE:,}): like reports folded into "
                "teams so the scenario stays a size the loader reads"
            )
    units, lines = build_units(positions, root, fold_teams=fold, notes=notes)
    departments: dict[str, Counter[str]] = {}
    for p in positions:
        if p.department:
            departments.setdefault(p.department, Counter())[p.function.value] += 1
    open_positions = sum(1 for p in positions if p.vacant or p.open_heads)
    if open_positions and not columns.has("vacant"):
        notes.append(f"{open_positions} rows are positions to be hired (open headcount)")
    loaded = options.cost_is_loaded or columns.cost_is_loaded
    return ImportResult(
        source=source,
        units=units,
        employees=len(positions),
        columns={name: columns.name(name) for name in FIELDS if columns.has(name)},
        root=root.id,
        problems=problems,
        notes=notes,
        functions=dict(Counter(p.function.value for p in positions).most_common()),
        departments={d: c.most_common(1)[0][0] for d, c in sorted(departments.items())},
        lines=lines,
        settings={
            "loaded_multiplier": None if loaded else options.loaded_multiplier,
            "monthly": options.monthly,
            "keywords": keywords.source,
            "fold_teams": fold,
        },
        open_positions=open_positions,
    )
