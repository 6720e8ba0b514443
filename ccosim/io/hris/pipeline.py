"""The whole HRIS import: the stages of :mod:`ccosim.io.hris` in order, and the result."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ccosim.errors import CcosimError
from ccosim.io.hris.columns import FIELDS, Columns, header_hint, resolve_columns
from ccosim.io.hris.keywords import load_keywords
from ccosim.io.hris.options import PAY_PERIODS, ImportOptions
from ccosim.io.hris.problems import HrisImportError, ImportProblem
from ccosim.io.hris.read import RawTable, read_table
from ccosim.io.hris.rows import ListedRows, read_positions
from ccosim.io.hris.summary import (
    ImportResult,
    department_functions,
    function_counts,
    open_position_count,
    people_count,
)
from ccosim.io.hris.tree import build_units, drop_inactive, link_managers, repair_hierarchy

__all__ = ["FOLD_ABOVE", "import_hris_csv"]

#: Above this many rows, like reports are folded into teams unless the caller says otherwise
#: (a scenario file holds at most 2 MB, about 15,000 units).
FOLD_ABOVE = 10_000


def import_hris_csv(
    path: str | Path, options: ImportOptions | None = None, **kwargs: Any
) -> ImportResult:
    """Read an HRIS CSV export into org units (the stages of :mod:`ccosim.io.hris`, in order).

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
    options = replace(options or ImportOptions(), **kwargs)
    _check_options(options)
    keywords = options.keywords or load_keywords()
    table = read_table(path, skip_rows=options.skip_rows)
    source = table.source
    columns = resolve_columns(
        table.header,
        options.columns,
        source,
        header_line=table.header_line or 1,
        hint=header_hint(table, options.skip_rows),
    )
    problems: list[ImportProblem] = []
    notes = _reading_notes(table, columns, options)
    listed = ListedRows()
    positions = read_positions(table, columns, options, keywords, problems, notes, listed)
    reattached = link_managers(positions, columns, problems, notes)
    positions = drop_inactive(positions, keep=options.include_inactive, listed=listed, notes=notes)
    if not positions:
        raise HrisImportError(
            source, [*problems, ImportProblem(None, None, "no employee rows to import")]
        )
    if not options.include_inactive:
        gone = {n.line for n in listed.inactive}
        listed.blank_pay = [n for n in listed.blank_pay if n.line not in gone]
        listed.doubtful_pay = [n for n in listed.doubtful_pay if n.line not in gone]
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
    open_positions = open_position_count(positions)
    if open_positions and not columns.has("vacant"):
        notes.append(f"{open_positions} rows are positions to be hired (open headcount)")
    loaded = options.cost_is_loaded or columns.cost_is_loaded
    people, fte = people_count(positions)
    return ImportResult(
        source=source,
        units=units,
        employees=len(positions),
        columns={name: columns.name(name) for name in FIELDS if columns.has(name)},
        root=root.id,
        problems=problems,
        notes=notes,
        functions=function_counts(positions),
        departments=department_functions(positions),
        lines=lines,
        settings={
            "loaded_multiplier": None if loaded else options.loaded_multiplier,
            "monthly": options.monthly,
            "pay_period": options.pay_period or ("monthly" if options.monthly else "annual"),
            "pay_period_column": columns.name("pay_period") or None,
            "has_cost": columns.has("cost"),
            "keywords": keywords.source,
            "fold_teams": fold,
            "include_inactive": options.include_inactive,
        },
        open_positions=open_positions,
        people=people,
        fte=fte,
        listed=listed,
    )


def _check_options(options: ImportOptions) -> None:
    if options.loaded_multiplier <= 0:
        raise CcosimError(
            f"the loaded-cost multiplier must be positive, not {options.loaded_multiplier}"
        )
    if options.pay_period is not None and options.pay_period not in PAY_PERIODS:
        raise CcosimError(
            f"--pay-period must be one of {', '.join(PAY_PERIODS)}, not {options.pay_period!r}"
        )
    if options.decimal not in (None, ".", ","):
        raise CcosimError(f"--decimal must be '.' or ',', not {options.decimal!r}")


def _reading_notes(table: RawTable, columns: Columns, options: ImportOptions) -> list[str]:
    """What is worth knowing about how the file was read: its encoding, loaded costs."""
    notes = []
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
    return notes
