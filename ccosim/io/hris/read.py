"""Stage 1 of an HRIS import: the file as a header and rows of cells.

UTF-8, UTF-16 (with its byte-order mark) or Windows-1252; comma, semicolon, tab or pipe
separated; ``skip_rows`` title lines above the header; an .xlsx workbook's first sheet with
the optional openpyxl (``ccosim[xlsx]``), other workbooks refused with "save it as CSV".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.io.hris.problems import HrisImportError, ImportProblem
from ccosim.io.text_decode import EXCEL_MAGIC, MAX_TABLE_BYTES, decode_table
from ccosim.scenario.yaml_source import read_bounded

__all__ = ["RawTable", "read_table"]


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


_EXCEL_MAGIC = EXCEL_MAGIC


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
    return decode_table(raw)


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
    # a regular file within the size limit, checked before any byte is read
    raw = read_bounded(path, source, limit=MAX_TABLE_BYTES, kind="CSV or .xlsx file")
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
