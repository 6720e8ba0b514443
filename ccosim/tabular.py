"""CSV text that is safe to open in a spreadsheet: the one writer for every CSV ccosim writes.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (CSV or formula injection). Following the
OWASP rule, such a cell is written with a leading single quote, which the spreadsheet shows as
text. Numbers are left alone: a cell that is a plain number (``-5``, ``+1.5e3``) is not a
formula, and quoting it would turn a number into text.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["FORMULA_PREFIXES", "csv_text", "safe_cell"]

#: First characters that make a spreadsheet evaluate a cell (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return math.isfinite(value) and text.strip() == text


def safe_cell(value: Any) -> Any:
    """One cell as written: formula-like text gets a leading ``'``; numbers stay numbers.

    Args:
        value: The cell (any type; ``None`` becomes an empty cell).

    Returns:
        The value to hand to :mod:`csv`.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _is_number(value):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (``\\n`` line ends, a header row) with every cell passed through :func:`safe_cell`.

    Args:
        header: Column names.
        rows: The rows, each a sequence of cells.

    Returns:
        The CSV document.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
