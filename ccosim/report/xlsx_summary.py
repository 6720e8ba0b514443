"""The formatted summary sheet of a comparison's ``tables.xlsx``.

The first sheet a board member sees when they open the workbook: the headline KPIs of the
final year per design, their difference from the baseline with the paired 95% interval, and
each design's ARR bridge, with bold headers and number formats (%, points, $). Every text
cell is written as an explicit string (:func:`text_cell`), so a design named
``=HYPERLINK(...)`` stays text; numbers stay numbers a spreadsheet can sum.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ccosim import kpis
from ccosim.output import write_bytes
from ccosim.report.arr_bridge import BRIDGE_STEPS, arr_bridge

__all__ = ["NUMBER_FORMATS", "SUMMARY_SHEET", "add_summary_sheet", "text_cell"]

#: Name of the summary sheet (the workbook's first).
SUMMARY_SHEET = "summary"
#: Excel number format of each catalogue unit (``pts`` cells hold points, not fractions).
NUMBER_FORMATS: dict[str, str] = {
    "%": "0.0%",
    "pts": '+0.0" pts";-0.0" pts";0.0" pts"',
    "$": '"$"#,##0',
    "months": '0.0" months"',
    "hours": '0.0" h"',
    "count": "#,##0",
    "ratio": "0.00",
    "score": "0.0",
}


def text_cell(sheet: Any, row: int, column: int, text: str, *, bold: bool = False) -> Any:
    """Write ``text`` as a string cell (never a formula), optionally bold."""
    # lazy: openpyxl is an optional package (pip install 'ccosim[data]'), checked before work.
    from openpyxl.styles import Font

    cell = sheet.cell(row=row, column=column)
    cell.value = str(text)
    cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def _number_cell(sheet: Any, row: int, column: int, value: float, unit: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = float(value) if value == value else None  # NaN: an empty cell
    cell.number_format = NUMBER_FORMATS[unit]


def _header(sheet: Any, row: int, names: Sequence[str]) -> None:
    for column, name in enumerate(names, start=1):
        text_cell(sheet, row, column, name, bold=True)


def _headline(sheet: Any, row: int, comparison: Any) -> int:
    c = comparison
    last = c.years[-1]
    text_cell(sheet, row, 1, f"Year {last}: mean of {c.runs} runs", bold=True)
    row += 1
    _header(sheet, row, ["design", *(kpis.label(k) for k in kpis.HEADLINE)])
    for label in c.labels:
        row += 1
        text_cell(sheet, row, 1, label)
        for column, kpi in enumerate(kpis.HEADLINE, start=2):
            value = float(c.results[label].mean(kpi)[-1])
            _number_cell(sheet, row, column, value, kpis.get(kpi).unit)
    return row + 2


def _scaled(value: float, unit: str) -> float:
    """Points are stored as points (1.2), not as a fraction (0.012)."""
    return value * 100 if unit == "pts" else value


def _differences(sheet: Any, row: int, comparison: Any) -> int:
    c = comparison
    others = [lb for lb in c.labels if lb != c.baseline]
    if not others:
        return row
    kind = "paired" if c.paired else "not paired (Welch)"
    text_cell(
        sheet,
        row,
        1,
        f"Year {c.years[-1]}: difference from {c.baseline}, mean and {kind} 95% interval "
        "(customer randomness only)",
        bold=True,
    )
    row += 1
    names = ["design"]
    for kpi in kpis.HEADLINE:
        names += [f"{kpis.label(kpi)} difference", "low", "high"]
    _header(sheet, row, names)
    for label in others:
        row += 1
        text_cell(sheet, row, 1, label)
        for i, kpi in enumerate(kpis.HEADLINE):
            unit = kpis.get(kpi).difference_unit
            d = c.delta(label, kpi)
            for j, value in enumerate((d.mean[-1], d.lo[-1], d.hi[-1])):
                _number_cell(sheet, row, 2 + 3 * i + j, _scaled(float(value), unit), unit)
    return row + 2


def _bridges(sheet: Any, row: int, comparison: Any) -> int:
    c = comparison
    text_cell(sheet, row, 1, "ARR bridge over the whole run (mean of the runs)", bold=True)
    row += 1
    _header(sheet, row, ["design", "ARR start", *(n for n, _, _ in BRIDGE_STEPS), "ARR end"])
    for label in c.labels:
        bridge = arr_bridge(c.results[label], label)
        row += 1
        text_cell(sheet, row, 1, label)
        values = [bridge.start, *(v for _, v in bridge.signed_steps()), bridge.end]
        for column, value in enumerate(values, start=2):
            _number_cell(sheet, row, column, value, "$")
    return row + 2


def add_summary_sheet(path: Path, comparison: Any) -> None:
    """Put the summary sheet first in the workbook at ``path`` (written by the data folder).

    Args:
        path: ``tables.xlsx`` of a comparison's data folder.
        comparison: The :class:`~ccosim.experiment.compare.Comparison` it holds.
    """
    # lazy: openpyxl is an optional package (pip install 'ccosim[data]'), checked before work.
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet(SUMMARY_SHEET, 0)
    c = comparison
    title = text_cell(sheet, 1, 1, "ccosim comparison: " + " vs ".join(c.labels), bold=True)
    title.font = Font(bold=True, size=13)
    text_cell(
        sheet,
        2,
        1,
        f"{len(c.labels)} designs, {c.runs} runs each, seed {c.seed}, {c.years[-1]} years; "
        f"baseline {c.baseline}. The other sheets hold every number, long.",
    )
    row = _headline(sheet, 4, c)
    row = _differences(sheet, row, c)
    _bridges(sheet, row, c)
    sheet.column_dimensions["A"].width = max(12, min(40, max(len(lb) for lb in c.labels) + 2))
    for letter in "BCDEFGHIJKLMNOPQRSTUV":
        sheet.column_dimensions[letter].width = 13
    sheet.freeze_panes = "B4"
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes(path, buffer.getvalue(), force=True)
