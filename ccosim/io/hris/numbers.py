"""Numbers as people and spreadsheets write them: currency, thousands separators, decimal comma."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ccosim.io.hris.problems import ImportProblem

__all__ = ["detect_decimal", "parse_number"]

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
