"""The formatted summary sheet of a comparison's or a business case's ``tables.xlsx``.

The first sheet a board member sees when they open the workbook: the headline KPIs of the
final year per design, their difference from the baseline with the paired 95% interval, and
each design's ARR bridge, with bold headers and number formats (%, points, $). Every text
cell is written as an explicit string (:func:`text_cell`), so a design named
``=HYPERLINK(...)`` stays text; numbers stay numbers a spreadsheet can sum.

A business case's summary sheet (:func:`add_case_sheet`) holds the one-pager's figures: net
value and NPV at each horizon with their intervals, the yearly lifts, break-even and how
often the new leader leaves; over several options (:func:`add_options_sheet`) one row per
option, the status quo first.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ccosim import kpis
from ccosim.output import write_bytes
from ccosim.report.arr_bridge import BRIDGE_STEPS, arr_bridge

__all__ = [
    "NUMBER_FORMATS",
    "SUMMARY_SHEET",
    "add_case_sheet",
    "add_options_sheet",
    "add_summary_sheet",
    "text_cell",
]

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
    "month": "0",
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


def _first_sheet(path: Path, title: str, note: str) -> tuple[Any, Any]:
    """The workbook at ``path`` with a new first sheet titled ``title`` above ``note``."""
    # lazy: openpyxl is an optional package (pip install 'ccosim[data]'), checked before work.
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet(SUMMARY_SHEET, 0)
    text_cell(sheet, 1, 1, title, bold=True).font = Font(bold=True, size=13)
    text_cell(sheet, 2, 1, note)
    return book, sheet


def _save(book: Any, sheet: Any, path: Path, first_width: int) -> None:
    sheet.column_dimensions["A"].width = max(12, min(44, first_width))
    for letter in "BCDEFGHIJKLMNOPQRSTUV":
        sheet.column_dimensions[letter].width = 13
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes(path, buffer.getvalue(), force=True)


def _interval_row(sheet: Any, row: int, name: str | int, values: Sequence[tuple[Any, str]]) -> int:
    """One row: ``name`` (a number: months or a year) then each ``(value, unit)`` (None: empty)."""
    if isinstance(name, str):
        text_cell(sheet, row, 1, name)
    else:
        _number_cell(sheet, row, 1, name, "count")
    for column, (value, unit) in enumerate(values, start=2):
        if value is not None:
            _number_cell(sheet, row, column, float(value), unit)
    return row + 1


def _spans(entry: dict[str, Any], keys: Sequence[str]) -> list[tuple[Any, str]]:
    return [(entry[k][part], "$") for k in keys for part in _SPAN_PARTS]


#: The parts of an interval, as JSON names them.
_SPAN_PARTS = ("mean", "low", "high")


def add_case_sheet(path: Path, figures: dict[str, Any], title: str) -> None:
    """Put the business case's summary sheet first in the workbook at ``path``.

    Args:
        path: ``tables.xlsx`` of the business case's data folder.
        figures: :func:`~ccosim.report.business_case_report.case_json` of the case.
        title: The sheet's title (the two orgs by name).
    """
    f = figures
    note = (
        f"{f['runs']} runs, seed {f['seed']}, {f['years']} years simulated; NPV at "
        f"{f['discount_rate']:.0%} a year. Intervals: {f['intervals']}, with the assumptions "
        "at their stated values. The other sheets hold every number, long."
    )
    book, sheet = _first_sheet(path, title, note)
    text_cell(sheet, 4, 1, "Net value and NPV by horizon (the lead first)", bold=True)
    _header(sheet, 5, ["months", *(f"{m} {s}" for m in ("net value", "NPV") for s in _SPAN_PARTS)])
    row = 6
    lead = [h for h in f["by_horizon"] if h["months"] == f["lead_months"]]
    for h in [*lead, *(h for h in f["by_horizon"] if h["months"] != f["lead_months"])]:
        row = _interval_row(sheet, row, h["months"], _spans(h, ["net_value", "npv"]))
    row += 1
    text_cell(
        sheet, row, 1, "Yearly lifts: the CCO org minus the current org, mean of runs", bold=True
    )
    _header(sheet, row + 1, ["year", "GRR lift", "NRR lift", "retained ARR", "added org cost"])
    row += 2
    columns = [("grr_lift", "pts"), ("nrr_lift", "pts"), ("retained_arr", "$")]
    for year in range(len(f["grr_lift"])):
        values = [(_scaled(f[k][year], unit), unit) for k, unit in columns]
        row = _interval_row(sheet, row, year + 1, [*values, (f["added_org_cost"][year], "$")])
    row += 1
    text_cell(sheet, row, 1, "Break-even and the new leader", bold=True)
    low, high = f["break_even_range"]
    rows = [
        ("break-even month (median of runs, from month 0)", f["break_even_month"], "month"),
        ("break-even month, low (2.5th percentile of runs)", low, "month"),
        ("break-even month, high (97.5th percentile of runs)", high, "month"),
        ("share of runs that break even", f["break_even_share"], "%"),
        ("the new leader leaves within the horizon (share of runs)", f["p_leader_leaves"], "%"),
        *(
            (f"one-time cost: {k.replace('_', ' ')}", v, "$")
            for k, v in f["one_time_costs"].items()
        ),
    ]
    row += 1
    for name, value, unit in rows:
        row = _interval_row(sheet, row, name, [(value, unit)])
    sheet.freeze_panes = "A4"
    _save(book, sheet, path, 52)


def add_options_sheet(path: Path, figures: dict[str, Any], title: str) -> None:
    """Put the options' summary sheet first in the workbook at ``path``: one row an option.

    Args:
        path: ``tables.xlsx`` of the options' data folder.
        figures: :func:`~ccosim.report.options_report.options_json` (the point values).
        title: The sheet's title.
    """
    f = figures
    lead = f["lead_months"]
    note = (
        f"{f['runs']} runs, seed {f['seed']}, {f['years']} years simulated; read at {lead} "
        f"months; NPV at {f['discount_rate']:.0%} a year. Intervals: {f['intervals']}. The "
        "other sheets hold every number, long."
    )
    book, sheet = _first_sheet(path, title, note)
    names = [
        "option",
        *(f"NPV {lead} months {s}" for s in _SPAN_PARTS),
        *(f"net value {lead} months {s}" for s in _SPAN_PARTS),
        "break-even month",
        "share breaking even",
        "leader leaves (share of runs)",
    ]
    _header(sheet, 4, names)
    row = 5
    for name, entry in f["options"].items():
        values = [
            *_spans(entry, ["npv", "net_value"]),
            (entry.get("break_even_month"), "month"),
            (entry.get("break_even_share"), "%"),
            (entry.get("p_leader_leaves"), "%"),
        ]
        row = _interval_row(sheet, row, name, values)
    sheet.freeze_panes = "B5"
    _save(book, sheet, path, max(len(n) for n in f["options"]) + 2)


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
