"""Stage 3 of an HRIS import: one position per row.

Ids (Excel's ``1.0`` read as ``1``), numbers (decimal comma or point, thousands separators,
currency symbols), heads (an FTE column gives fractional heads), open requisitions (a status
column or "TBH"-style names, :data:`~ccosim.io.hris.options.OPEN_MARKERS`), the function (a
``function`` column as given, else guessed from title and department by the keyword table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ccosim.io.hris.columns import Columns, normalized
from ccosim.io.hris.keywords import KeywordTable
from ccosim.io.hris.numbers import detect_decimal, parse_number
from ccosim.io.hris.options import (
    INACTIVE_MARKERS,
    PAY_PERIODS,
    ImportOptions,
    pay_period_of,
)
from ccosim.io.hris.problems import ImportProblem
from ccosim.io.hris.read import RawTable
from ccosim.org.people import display_name
from ccosim.scenario.schema import Function, Seat, Staffing

__all__ = [
    "ListedRows",
    "Position",
    "RowNote",
    "display_name",
    "excel_id",
    "match_key",
    "read_positions",
    "safe_unit_id",
]

_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_EXCEL_INT = re.compile(r"^[+-]?[0-9]+\.0+$")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
#: Pay per period that looks like another period: annual pay under 500 is an hourly rate,
#: under 15,000 a month's pay; hourly pay over 500 or monthly pay over 60,000 a year's.
_LOOKS_HOURLY_BELOW = 500.0
_LOOKS_MONTHLY_BELOW = 15_000.0
_TOO_HIGH = {"hourly": 500.0, "monthly": 60_000.0, "weekly": 15_000.0, "biweekly": 30_000.0}


@dataclass(frozen=True)
class RowNote:
    """A row the import summary lists: left out, paid by default, or with doubtful pay.

    Attributes:
        line: 1-based line of the row.
        id: The id as written.
        name: The person's name ("" if none).
        detail: What about it ("Terminated", "28.5 looks hourly", ...).
    """

    line: int
    id: str
    name: str
    detail: str = ""

    def describe(self) -> str:
        """``line 5: 1004 Grace Okafor (Terminated)``."""
        who = f"{self.id} {self.name}".strip()
        return f"line {self.line}: {who}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class ListedRows:
    """Rows the import summary lists by line.

    Attributes:
        inactive: Terminated or inactive employees (left out unless ``include_inactive``).
        blank_pay: People with no pay in the file (the function's default cost).
        doubtful_pay: Pay that looks like another period's (an hourly rate read as a salary).
    """

    inactive: list[RowNote] = field(default_factory=list)
    blank_pay: list[RowNote] = field(default_factory=list)
    doubtful_pay: list[RowNote] = field(default_factory=list)


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
        email: The person's e-mail (lower case), for managers given by e-mail.
        inactive: The employment status of a terminated or inactive employee (None: active).
        paid: The row has pay of its own (a cost, or a cost column saying "default").
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
    seat: Seat | None = None
    function: Function = Function.other
    why: str = ""
    email: str | None = None
    inactive: str | None = None
    paid: bool = True


def excel_id(text: str) -> str:
    """An id as written, Excel's ``1.0`` read as ``1``."""
    return text.split(".")[0] if _EXCEL_INT.match(text) else text


def match_key(text: str) -> str:
    """The id as managers are matched: numeric ids without leading zeros."""
    text = excel_id(text.strip())
    return str(int(text)) if text.isascii() and text.isdigit() else text


def safe_unit_id(raw: str, used: set[str]) -> str:
    """``raw`` as a unit id not in ``used`` (characters an id cannot hold replaced by ``_``)."""
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
    listed: ListedRows | None = None,
) -> list[Position]:
    """Stage 3: one :class:`Position` per row, with problems and notes appended.

    Terminated and inactive employees are read too (``inactive`` says so): their reports
    are linked through them before :func:`~ccosim.io.hris.tree.drop_inactive` leaves them out.

    Args:
        table: What :func:`read_table` read.
        columns: What :func:`resolve_columns` found.
        options: How to read.
        keywords: The function keyword table.
        problems: Problems found are appended here.
        notes: Notes are appended here.
        listed: Rows to list by line (blank and doubtful pay) are appended here.
    """
    decimal = options.decimal or _decimal_mark(table, columns, problems, notes)
    reader = _RowReader(table.header, columns, options, keywords, decimal, problems, notes)
    total = len(table.rows)
    for done, (line, row) in enumerate(table.rows, start=1):
        if options.progress is not None and (done % 2000 == 0 or done == total):
            options.progress(done, total)
        reader.read(line, row)
    if listed is not None:
        listed.blank_pay.extend(reader.blank_pay)
        listed.doubtful_pay.extend(reader.doubtful_pay)
    if reader.renamed:
        notes.append(f"{reader.renamed} ids had characters a unit id cannot hold; replaced by '_'")
    if reader.excel_ids:
        notes.append(
            f"{reader.excel_ids} ids written as Excel numbers ('1.0') read as whole numbers"
        )
    return reader.positions


def _decimal_mark(
    table: RawTable, columns: Columns, problems: list[ImportProblem], notes: list[str]
) -> str:
    """The decimal mark of the file's numbers (see :func:`detect_decimal`), with a note."""
    cell = columns.cell
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
    return decimal


class _RowReader:
    """Reads rows into positions, appending what it finds wrong to ``problems``."""

    def __init__(
        self,
        header: list[str],
        columns: Columns,
        options: ImportOptions,
        keywords: KeywordTable,
        decimal: str,
        problems: list[ImportProblem],
        notes: list[str],
    ) -> None:
        self.header = header
        self.columns = columns
        self.options = options
        self.keywords = keywords
        self.decimal = decimal
        self.problems = problems
        self.notes = notes
        self.markers = _marker_pattern(options.open_markers)
        loaded = options.cost_is_loaded or columns.cost_is_loaded
        self.factor = 1.0 if loaded else options.loaded_multiplier
        self.defaults_marked = columns.has("cost_source")
        self.explicit_open = columns.has("vacant") or columns.has("open_headcount")
        self.functions = {normalized(f.value): f for f in Function}
        self.inferred: dict[tuple[str, str], tuple[Function, str]] = {}
        self.positions: list[Position] = []
        self.by_key: dict[str, Position] = {}
        self.used_ids: set[str] = set()
        self.renamed = 0
        self.excel_ids = 0
        self.inactive = _marker_pattern(INACTIVE_MARKERS)
        status_column = normalized(columns.name("employment_status"))
        self.active_flag = status_column.startswith(("active", "isactive"))
        self.default_period = options.pay_period or ("monthly" if options.monthly else "annual")
        self.doubtful_pay: list[RowNote] = []
        self.blank_pay: list[RowNote] = []

    def problem(self, line: int, field_name: str | None, message: str, action: str) -> None:
        """Note a problem of ``line`` (in the column of ``field_name``, if given)."""
        column = self.columns.name(field_name) if field_name else None
        self.problems.append(ImportProblem(line, column, message, action))

    def number(self, line: int, row: list[str], name: str, what: str, action: str) -> float | None:
        """The number in the field ``name`` of ``row``; None if empty or not a number."""
        text = self.columns.cell(row, name)
        if not text:
            return None
        value = parse_number(text, self.decimal)
        if value is None:
            self.problem(line, name, f"{text!r} is not {what}", action)
        return value

    def read(self, line: int, row: list[str]) -> None:
        """Read one row into a position, or skip it (with a problem saying why)."""
        if not self.shape_ok(line, row):
            return
        cell = self.columns.cell
        raw_id = excel_id(cell(row, "id"))
        self.excel_ids += raw_id != cell(row, "id")
        if not raw_id:
            self.problem(line, "id", "no id", "skipped")
            return
        key = match_key(raw_id)
        if key in self.by_key:
            first = self.by_key[key].line
            self.problem(line, "id", f"duplicate id {raw_id!r} (first on line {first})", "skipped")
            return
        title = cell(row, "title")
        if not title:
            self.problem(line, "title", "no title", "imported as 'Employee'")
            title = "Employee"
        cost = self.cost(line, row, raw_id)
        heads = self.heads(line, row)
        open_heads, vacant, name = self.openness(line, row, heads)
        name = display_name(name) if name else name
        parent = (
            excel_id(cell(row, "parent"))
            or cell(row, "manager_name")
            or cell(row, "manager_email")
            or None
        )
        unit_id = safe_unit_id(raw_id, self.used_ids)
        self.used_ids.add(unit_id)
        self.renamed += unit_id != raw_id
        if parent is not None and match_key(parent) == key:
            self.notes.append(
                f"line {line}: {raw_id} is their own manager; taken as a top of the org"
            )
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
            email=cell(row, "email").lower() or None,
            inactive=self.employment(row),
            paid=cost is not None or self.defaults_marked or not self.columns.has("cost"),
        )
        if not position.paid and not vacant:
            self.blank_pay.append(RowNote(line, raw_id, position.name or "", title))
        self.policies(position, row)
        self.function(position, row)
        function = getattr(position.function, "value", position.function)
        if position.seat is not None and function != "executive":
            message = f"only executive units have a seat; this row's function is {function}"
            self.problem(line, "seat", message, "imported without it")
            position.seat = None
        self.by_key[key] = position
        self.positions.append(position)

    def shape_ok(self, line: int, row: list[str]) -> bool:
        """False for an empty row or one with more cells than the header (skipped)."""
        width = len(self.header)
        if not any(c.strip() for c in row):
            self.problem(line, None, "empty row", "skipped")
            return False
        if len(row) > width:
            self.problem(
                line,
                None,
                f"{len(row)} cells but the header has {width} columns (an unquoted comma?)",
                "skipped",
            )
            return False
        if len(row) < width:
            self.problem(
                line,
                None,
                f"{len(row)} cells but the header has {width} columns (a truncated row?)",
                "missing cells read as empty",
            )
        return True

    def employment(self, row: list[str]) -> str | None:
        """The status of a terminated or inactive employee; None for one still employed.

        Read from the employment-status column (an ``Active`` column of yes/no too) and from
        the position-status column.
        """
        text = self.columns.cell(row, "employment_status")
        if text and (
            _is_marker(text, self.inactive) or (self.active_flag and text.lower() in _FALSE)
        ):
            return text if not self.active_flag else f"active: {text}"
        status = self.columns.cell(row, "status")
        if status and _is_marker(status, self.inactive):
            return status
        return None

    def pay_period(self, line: int, row: list[str], text: str) -> tuple[str, str]:
        """(the pay without a trailing period word, its pay period) of a row."""
        words = re.split(r"[\s/]+", text.strip())
        period = None
        if len(words) > 1 and re.search(r"[A-Za-z]", words[-1]):
            period = pay_period_of(words[-1])
            if period is not None:
                words = words[:-1]
                if words and words[-1].lower() in {"per", "a", "an", "every"}:
                    words = words[:-1]
                text = " ".join(words)
        given = self.columns.cell(row, "pay_period")
        if given:
            named = pay_period_of(given)
            if named is None:
                self.problem(
                    line,
                    "pay_period",
                    f"{given!r} is not a pay period (hourly, daily, weekly, biweekly, "
                    "semimonthly, monthly, annual)",
                    f"read as {self.default_period}",
                )
            period = named or period
        return text, period or self.default_period

    def cost(self, line: int, row: list[str], raw_id: str) -> float | None:
        """Loaded annual cost per head, or None (the function's default).

        Pay is annualised by its period (a pay-frequency column, a period word after the
        number, else ``--pay-period``); pay that looks like another period is listed.
        """
        text = self.columns.cell(row, "cost")
        if not text:
            return None
        text, period = self.pay_period(line, row, text)
        value = parse_number(text, self.decimal)
        if value is None:
            action = "imported with the function's default cost"
            self.problem(line, "cost", f"{text!r} is not a number", action)
            return None
        self.check_plausible(line, row, raw_id, value, period)
        cost = round(value * PAY_PERIODS[period] * self.factor, 2)
        if self.defaults_marked and self.columns.cell(row, "cost_source").lower() == "default":
            cost = None
        return cost

    def check_plausible(
        self, line: int, row: list[str], raw_id: str, value: float, period: str
    ) -> None:
        """Note pay that looks like another period's (hourly pay read as a salary...)."""
        if value <= 0:
            return
        looks = None
        if period == "annual" and value < _LOOKS_HOURLY_BELOW:
            looks = "hourly"
        elif period == "annual" and value < _LOOKS_MONTHLY_BELOW:
            looks = "monthly"
        elif period in _TOO_HIGH and value > _TOO_HIGH[period]:
            looks = "annual"
        if looks is not None:
            name = display_name(self.columns.cell(row, "name"))
            detail = f"{value:,.2f} read as {period} pay looks {looks}"
            self.doubtful_pay.append(RowNote(line, raw_id, name, detail))

    def heads(self, line: int, row: list[str]) -> float:
        """Heads of the position: the FTE column, else 1."""
        heads = self.number(line, row, "fte", "a number of heads (FTE)", "imported as 1 head")
        if heads is not None and not 0 <= heads <= 100_000:
            self.problem(line, "fte", f"{heads:g} heads is out of range", "imported as 1")
            heads = None
        return 1.0 if heads is None else heads

    def openness(self, line: int, row: list[str], heads: float) -> tuple[float, bool, str | None]:
        """(open heads, vacant, name): the name is dropped when it only says "to be hired"."""
        cell = self.columns.cell
        name = cell(row, "name") or None
        status = cell(row, "status")
        open_heads = 0.0
        vacant = False
        if self.explicit_open:
            open_value = self.number(line, row, "open_headcount", "a number", "imported as 0")
            open_heads = min(open_value or 0.0, heads)
            vacant_text = cell(row, "vacant").lower()
            if vacant_text not in _TRUE | _FALSE:
                self.problem(
                    line, "vacant", f"{vacant_text!r} is not true or false", "imported as filled"
                )
            vacant = vacant_text in _TRUE
        elif (
            (status and _is_marker(status, self.markers))
            or (name and _is_marker(name, self.markers))
            or (name is None and self.options.blank_name_open and self.columns.has("name"))
        ):
            vacant = True
        if vacant and name and _is_marker(name, self.markers):
            name = None
        return open_heads, vacant, name

    def policies(self, position: Position, row: list[str]) -> None:
        """The position's currency, span limit, staffing policy and seat, where valid."""
        line = position.line
        if position.currency is not None and not re.fullmatch(r"[A-Z]{3}", position.currency):
            message = f"{position.currency!r} is not an ISO 4217 code"
            self.problem(line, "currency", message, "imported without it")
            position.currency = None
        span = self.number(line, row, "span_limit", "a whole number", "imported without it")
        if span is not None:
            if span.is_integer() and span >= 1:
                position.span_limit = int(span)
            else:
                self.problem(
                    line, "span_limit", f"{span:g} is not a span limit", "imported without it"
                )
        staffing = self.columns.cell(row, "staffing")
        if staffing:
            try:
                position.staffing = Staffing.model_validate(json.loads(staffing))
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, ValidationError too
                message = f"not a staffing policy ({exc})".splitlines()[0]
                self.problem(line, "staffing", message, "imported without it")
        seat = self.columns.cell(row, "seat")
        if seat:
            try:
                position.seat = Seat.model_validate(json.loads(seat))
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, ValidationError too
                message = f"not an executive seat ({exc})".splitlines()[0]
                self.problem(line, "seat", message, "imported without it")

    def function(self, position: Position, row: list[str]) -> None:
        """The position's function: the function column as given, else guessed."""
        given = self.columns.cell(row, "function")
        known = self.functions.get(normalized(given)) if given else None
        if known is not None:
            position.function = known
            position.why = f"column '{self.columns.name('function')}'"
            return
        context = " ".join(x for x in (given, position.department) if x)
        found = self.inferred.get((position.title, context))
        if found is None:
            found = self.inferred[(position.title, context)] = self.keywords.infer(
                position.title, context
            )
        position.function, position.why = found
