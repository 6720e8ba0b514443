"""Every text in ccosim's charts is shown as typed: matplotlib's mathtext is off.

Matplotlib reads text between dollar signs as TeX: a scenario named "$5k to $10k" would be
drawn as "5kto10k", and "$\\notacommand$" raises an error after the simulation has run.
Chart builders run under :func:`literal_text` (``text.parse_math`` off while texts are
made), and savers call :func:`make_literal` on the finished figure as a second guard.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from matplotlib import rc_context
from matplotlib.text import Text

__all__ = ["LITERAL_RC", "literal_text", "make_literal"]

#: Matplotlib settings under which text is never parsed as mathtext or TeX.
LITERAL_RC = {"text.parse_math": False, "text.usetex": False}

F = TypeVar("F", bound=Callable[..., Any])


def literal_text(func: F) -> F:
    """Decorate a figure builder so that every text it makes is literal."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with rc_context(LITERAL_RC):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def make_literal(figure: Any) -> None:
    """Turn mathtext off on every text already in ``figure`` (titles, labels, legends)."""
    for text in figure.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)
