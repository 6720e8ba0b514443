"""The base of every error ccosim reports to a user as a message rather than a traceback."""

from __future__ import annotations

__all__ = ["CcosimError", "OutputExistsError"]


class CcosimError(Exception):
    """A problem with the user's input or environment, with a message that says what to do."""


class OutputExistsError(CcosimError):
    """An output file or folder exists and ``force`` was not given."""
