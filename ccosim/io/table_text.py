"""The one reader of users' CSV files: cohorts, ledgers and HRIS exports alike.

A file is read through :func:`ccosim.scenario.yaml_source.read_bounded` (a regular file, its
size checked before any byte is read), decoded as UTF-8 (with or without a byte-order mark),
UTF-16 (with a byte-order mark, or little-endian text without one) or Windows-1252, split on
the separator its first line uses (comma, semicolon, tab or pipe), and its numbers read with
the decimal mark the file uses (:func:`ccosim.io.hris.numbers.detect_decimal`: ``0,5`` and
``2.954,55`` have a decimal comma; a semicolon-separated file defaults to one). Excel
workbooks are refused with "save it as CSV" unless the caller reads them itself.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.io.hris.numbers import detect_decimal, parse_number
from ccosim.io.text_decode import EXCEL_MAGIC, MAX_TABLE_BYTES, decode_table
from ccosim.scenario.errors import ScenarioError
from ccosim.scenario.yaml_source import read_bounded

__all__ = ["DELIMITERS", "TableText", "read_table_text", "table_from_text"]

DELIMITERS = ",;\t|"
"""Cell separators recognised, in order of preference on a tie."""

Error = Callable[[str], CcosimError]


@dataclass(frozen=True)
class TableText:
    """A CSV file as rows of cells, with what was found about how it is written.

    Attributes:
        source: The file, as named in messages.
        rows: (1-based line, cells) of every row, the header included.
        encoding: ``utf-8``, ``utf-16`` or ``cp1252``.
        delimiter: The cell separator.
        decimal: ``.`` or ``,``: the decimal mark of the file's numbers.
    """

    source: str
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    decimal: str

    def number(self, raw: str, where: str, error: Error) -> float:
        """A cell as a finite number, in the file's decimal mark.

        Raises:
            CcosimError: (made by ``error``) naming ``where`` when the cell is not a finite
                number (NaN and infinity are refused).
        """
        value = parse_number(raw, self.decimal)
        if value is None:
            try:
                value = float(raw.strip())
            except ValueError:
                value = None
        if value is None:
            other = "," if self.decimal == "." else "."
            note = ""
            if other in raw:
                mark = "a decimal comma" if self.decimal == "," else "a decimal point"
                note = f" (this file's numbers are read with {mark})"
            raise error(f"{where}: {raw!r} is not a number{note}")
        if not math.isfinite(value):
            raise error(f"{where}: {raw!r} is not a finite number")
        return value


def read_table_text(
    path: str | Path,
    error: Error,
    *,
    limit: int = MAX_TABLE_BYTES,
    decimal: str | None = None,
    number_columns: tuple[str, ...] = (),
) -> TableText:
    """Read a user's CSV file (see the module docstring).

    Args:
        path: The file.
        error: Makes the caller's error from a message (e.g. ``CalibrationError``).
        limit: Largest file read, in bytes.
        decimal: ``.`` or ``,`` to force the decimal mark; None detects it from the cells of
            ``number_columns`` (by header name, lower case).
        number_columns: Columns whose cells decide the decimal mark.

    Raises:
        CcosimError: (made by ``error``) the file cannot be read, is a workbook, is too
            large, mixes decimal marks, or is not readable as CSV; the message names the file
            and, where known, the line.
    """
    source = str(path)
    try:
        raw = read_bounded(Path(path), source, limit=limit, kind="CSV file")
    except ScenarioError as exc:
        raise error(str(exc)) from None
    if raw.startswith(EXCEL_MAGIC):
        raise error(
            f"{source}: this is an Excel workbook, not a CSV file; save it as CSV (File > Save "
            "As > 'CSV UTF-8 (Comma delimited)') and give the .csv file"
        )
    text, encoding = decode_table(raw)
    return table_from_text(
        text, source, error, decimal=decimal, number_columns=number_columns, encoding=encoding
    )


def table_from_text(
    text: str,
    source: str,
    error: Error,
    *,
    decimal: str | None = None,
    number_columns: tuple[str, ...] = (),
    encoding: str = "utf-8",
) -> TableText:
    """CSV text already decoded as a :class:`TableText` (see :func:`read_table_text`)."""
    if "\x00" in text:
        raise error(f"{source}: holds NUL bytes; is it a binary file? Give a CSV file")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count) if first else ","
    rows = _rows(text, delimiter, source, error)
    mark = decimal or _decimal_of(rows, delimiter, number_columns, source, error)
    return TableText(source, rows, encoding, delimiter, mark)


def _rows(text: str, delimiter: str, source: str, error: Error) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            rows.append((start, row))
    except csv.Error as exc:
        raise error(f"{source}:{end + 1}: unreadable CSV ({exc})") from None
    return rows


def _decimal_of(
    rows: list[tuple[int, list[str]]],
    delimiter: str,
    columns: tuple[str, ...],
    source: str,
    error: Error,
) -> str:
    header_at = next((i for i, (_, row) in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_at is None or not columns:
        return "."
    header = [h.strip().lower() for h in rows[header_at][1]]
    wanted = [header.index(c) for c in columns if c in header]
    cells = [
        (line, row[i])
        for line, row in rows[header_at + 1 :]
        for i in wanted
        if i < len(row) and row[i].strip()
    ]
    mark, _why, problems = detect_decimal(cells, delimiter)
    if problems:
        problem = problems[0]
        raise error(f"{source}:{problem.line}: {problem.message}")
    return mark
