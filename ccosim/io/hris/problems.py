"""Problems of an HRIS file: where each is, what a lenient import did, the error of a strict one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ccosim.errors import CcosimError

__all__ = ["MAX_LISTED", "HrisImportError", "ImportProblem"]

#: Problems listed in an :class:`HrisImportError`'s message (the rest are counted).
MAX_LISTED = 20


@dataclass(frozen=True)
class ImportProblem:
    """One problem of the CSV, where it is and what the lenient import did about it.

    Attributes:
        line: 1-based line of the row in the file (None: the file as a whole).
        column: The CSV column concerned, if one.
        message: What is wrong.
        action: What a lenient import did ("skipped", "re-attached under 100", ...).
    """

    line: int | None
    column: str | None
    message: str
    action: str = ""

    def where(self, source: str) -> str:
        """``source:line: column 'x'`` as a prefix for messages."""
        out = source if self.line is None else f"{source}:{self.line}"
        return out + (f": column '{self.column}'" if self.column else "")

    def describe(self, source: str, *, done: bool = True) -> str:
        """The problem as one line, with what a lenient import did (or would do)."""
        text = f"{self.where(source)}: {self.message}"
        if not self.action:
            return text
        return f"{text} ({self.action})" if done else f"{text} (--lenient: {self.action})"


class HrisImportError(CcosimError):
    """The CSV cannot be imported; ``problems`` lists every problem found (message: up to 20)."""

    def __init__(self, source: str, problems: Sequence[ImportProblem], hint: str = "") -> None:
        self.source = source
        self.problems = list(problems)
        lines = [p.describe(source, done=False) for p in self.problems[:MAX_LISTED]]
        more = len(self.problems) - MAX_LISTED
        if more > 0:
            lines.append(f"... and {more} more")
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the CSV"
        super().__init__("\n  ".join([head + (f" ({hint})" if hint else ""), *lines]))
