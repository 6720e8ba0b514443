"""``ScenarioError``: the one exception every bad scenario becomes, naming file, line and key."""

from __future__ import annotations

from dataclasses import dataclass

from ccosim.errors import CcosimError

__all__ = ["Problem", "ScenarioError", "SourceMark"]


@dataclass(frozen=True)
class SourceMark:
    """Where a value came from: a file position (1-based) or a command-line override."""

    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.source
        return f"{self.source}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario."""

    mark: SourceMark
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.mark}: " if self.mark.source else ""
        key = f"{self.path}: " if self.path else ""
        return f"{where}{key}{self.message}"


class ScenarioError(CcosimError, ValueError):
    """A scenario could not be loaded. ``problems`` lists each issue with its file, line and key."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else problems
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(
        cls,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str = "",
    ) -> ScenarioError:
        """Build an error for a single problem at a known place."""
        return cls(Problem(SourceMark(source, line, column), path, message))
