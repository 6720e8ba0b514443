"""Bytes of a user's table file as text: the encodings spreadsheets and HR systems write.

Shared by the HRIS importer and :mod:`ccosim.io.table_text` (cohort and ledger files).
"""

from __future__ import annotations

__all__ = ["EXCEL_MAGIC", "MAX_TABLE_BYTES", "decode_table"]

MAX_TABLE_BYTES = 200_000_000
"""Largest CSV file read (bytes): about two million ledger rows."""
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""The first bytes of an .xlsx (zip) and of an old .xls (OLE) workbook."""


def decode_table(raw: bytes) -> tuple[str, str]:
    """The text of a table file's bytes and the encoding found.

    UTF-8 with or without a byte-order mark; UTF-16 with one, or little-endian without one;
    anything else as Windows-1252.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if len(raw) >= 4 and raw[1:4:2] == b"\x00\x00" and raw[0] and raw[2]:
        return raw.decode("utf-16-le", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"
