"""The "did you mean" hint every error message about an unknown name offers."""

from __future__ import annotations

import difflib

__all__ = ["did_you_mean"]


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A ``" (did you mean 'x'?)"`` hint, or ``""`` when nothing is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
