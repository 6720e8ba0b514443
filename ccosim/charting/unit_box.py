"""The text of a unit's box: one function, shared by the static charts and the HTML chart.

Both front ends (PNG/SVG/PDF through matplotlib, the interactive SVG of the HTML report)
write the same lines, so a unit reads the same everywhere: up to two lines of its title, the
incumbent's name, and for anything but one filled position its size ("team of 2.5", "position,
1 to hire"). A box of the same width fits :data:`TITLE_WIDTH` characters in either.
"""

from __future__ import annotations

import textwrap

from ccosim.scenario.schema import Unit

__all__ = ["NAME_WIDTH", "TITLE_WIDTH", "head_count", "unit_box_lines"]

#: Characters of a title per line (two lines at most).
TITLE_WIDTH = 22
#: Characters of the incumbent's name (one line).
NAME_WIDTH = 26


def head_count(value: float) -> str:
    """Heads as written in a box: ``12`` or ``1,200`` when whole, ``2.5`` otherwise."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def unit_box_lines(unit: Unit) -> list[str]:
    """The lines of ``unit``'s box: title, name, and its size unless it is one filled position.

    Args:
        unit: The unit drawn.

    Returns:
        At most four lines: the title (one or two), the name, the team or position line.
    """
    lines = textwrap.wrap(unit.title, TITLE_WIDTH, max_lines=2, placeholder="…")
    if unit.name:
        lines.append(textwrap.shorten(unit.name, NAME_WIDTH, placeholder="…"))
    if unit.headcount != 1 or unit.vacant or unit.open_headcount:
        team = f"team of {head_count(unit.headcount)}" if unit.headcount != 1 else "position"
        open_heads = unit.headcount if unit.vacant else unit.open_headcount
        if open_heads:
            team += f", {head_count(open_heads)} to hire"
        lines.append(team)
    return lines
