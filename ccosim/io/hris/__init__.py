"""Import an HRIS CSV export (one row per employee or position) into a scenario's ``org:``.

The import runs in named stages, one module each (:func:`import_hris_csv`, in
:mod:`~ccosim.io.hris.pipeline`, runs them in order):

1. :mod:`~ccosim.io.hris.read`: :func:`read_table` reads the file: UTF-8, UTF-16 (with its
   byte-order mark) or Windows-1252; comma, semicolon, tab or pipe separated; ``skip_rows``
   title lines above the header; an .xlsx workbook's first sheet with the optional openpyxl
   (``ccosim[xlsx]``), other workbooks refused with "save it as CSV".
2. :mod:`~ccosim.io.hris.columns`: :func:`resolve_columns` finds the columns of each field
   (named by the caller, or guessed from common names, case and punctuation ignored;
   :data:`COLUMN_GUESSES`).
3. :mod:`~ccosim.io.hris.rows`: :func:`read_positions` reads one position per row: ids
   (Excel's ``1.0`` read as ``1``), numbers (:mod:`~ccosim.io.hris.numbers`: decimal comma or
   point, thousands separators, currency symbols), heads (an FTE column gives fractional
   heads), open requisitions (a status column or "TBH"-style names, :data:`OPEN_MARKERS`),
   the function (a ``function`` column as given, else guessed from title and department by
   ``function_keywords.yaml``, :mod:`~ccosim.io.hris.keywords`).
4. :mod:`~ccosim.io.hris.tree`: :func:`link_managers` finds each manager: by id (leading
   zeros ignored), by e-mail (a cell with an ``@``), or by name when the manager column
   holds names; then :func:`drop_inactive` leaves out terminated and inactive employees
   (an employment-status column; their reports go to the next manager up).
5. :func:`repair_hierarchy` breaks reporting cycles and picks the top of the org.
6. :func:`build_units` orders the units top-down and, if asked (or above
   :data:`FOLD_ABOVE` rows), folds like reports of one manager into teams.
7. :mod:`~ccosim.io.hris.summary`: the :class:`ImportResult`, what the import produced and
   noticed, which :mod:`ccosim.io.authoring` writes as a scenario file.

Pay: a pay-frequency column (hourly, weekly, biweekly, monthly, annual; "Salary" is
annual), a period word after the number ("28.50/hr") or ``pay_period`` says how often the
pay is paid; pay is annualised (an hour x :data:`~ccosim.io.hris.options.HOURS_PER_YEAR`).
Pay that looks like another period's (an annual salary under 500 looks hourly, under
15,000 monthly) is listed by row, as are people with no pay (the function's default cost).

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

from ccosim.io.hris.columns import (
    COLUMN_GUESSES,
    FIELDS,
    LOADED_COST_COLUMNS,
    Columns,
    resolve_columns,
)
from ccosim.io.hris.keywords import KeywordTable, load_keywords
from ccosim.io.hris.numbers import detect_decimal, parse_number
from ccosim.io.hris.options import (
    DEFAULT_LOADED_MULTIPLIER,
    INACTIVE_MARKERS,
    OPEN_MARKERS,
    PAY_PERIODS,
    ImportOptions,
)
from ccosim.io.hris.pipeline import FOLD_ABOVE, import_hris_csv
from ccosim.io.hris.problems import HrisImportError, ImportProblem
from ccosim.io.hris.read import RawTable, read_table
from ccosim.io.hris.rows import ListedRows, Position, RowNote, display_name, read_positions
from ccosim.io.hris.summary import ImportResult
from ccosim.io.hris.tree import build_units, drop_inactive, link_managers, repair_hierarchy

__all__ = [
    "COLUMN_GUESSES",
    "DEFAULT_LOADED_MULTIPLIER",
    "FIELDS",
    "FOLD_ABOVE",
    "INACTIVE_MARKERS",
    "LOADED_COST_COLUMNS",
    "OPEN_MARKERS",
    "PAY_PERIODS",
    "Columns",
    "HrisImportError",
    "ImportOptions",
    "ImportProblem",
    "ImportResult",
    "KeywordTable",
    "ListedRows",
    "Position",
    "RawTable",
    "RowNote",
    "build_units",
    "detect_decimal",
    "display_name",
    "drop_inactive",
    "import_hris_csv",
    "link_managers",
    "load_keywords",
    "parse_number",
    "read_positions",
    "read_table",
    "repair_hierarchy",
    "resolve_columns",
]
