"""People's names for units: how a table or chart names a unit, and finding a unit by name.

HRIS ids are numbers (``26``, ``184``) that say nothing to a reader, so tables and charts
name a unit by the person and the title ("Steven King, Chief Operating Officer"), or the
title alone for a team or an open position. Options that pick a unit (``--root``, diff
selectors) accept the id, the person's name (also as "King, Steven") or the title; a name
or title shared by several units is refused with the candidates listed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ccosim.errors import CcosimError
from ccosim.scenario.schema import Unit
from ccosim.suggest import did_you_mean

__all__ = ["display_name", "people_in", "resolve_unit", "unit_label"]


def unit_label(unit: Unit | None, *, width: int = 0) -> str:
    """``Name, Title`` (or ``Title``); ``-`` for no unit; shortened to ``width`` if given."""
    if unit is None:
        return "-"
    text = f"{unit.name}, {unit.title}" if unit.name else unit.title
    if width and len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return text


def display_name(text: str) -> str:
    """A name as people write it: "Okafor, Grace" becomes "Grace Okafor".

    Only a name with one comma and words on both sides is turned round; "Grace Okafor",
    "King, Jr." and "Okafor, Jr., Grace" stay as they are.
    """
    if text.count(",") != 1:
        return text
    last, first = (part.strip() for part in text.split(","))
    if not last or not first or first.lower().rstrip(".") in {"jr", "sr", "ii", "iii", "iv"}:
        return text
    return f"{first} {last}"


def people_in(unit: Unit) -> int:
    """People in a unit, counted as HR counts them: a person is 1 whatever their FTE.

    A half-time position is one person; a team of 2.5 FTE is three; an empty team none.
    """
    heads = float(unit.headcount)
    return max(1, math.ceil(heads - 1e-9)) if heads > 0 else 0


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def resolve_unit(units: Mapping[str, Unit], text: str, *, option: str = "--root") -> str:
    """The id of the unit ``text`` names: an id, a person's name or a title (any case).

    Raises:
        CcosimError: nothing matches (with suggestions), or a name or title matches several
            units (the candidates are listed with their ids).
    """
    if text in units:
        return text
    try:
        return _resolve(units, text, option)
    except CcosimError:
        flipped = display_name(text)
        if flipped == text:
            raise
        return _resolve(units, flipped, option)


def _resolve(units: Mapping[str, Unit], text: str, option: str) -> str:
    """:func:`resolve_unit` for one spelling of ``text``."""
    wanted = _fold(text)
    for field in ("name", "title", "label"):
        found = [
            u.id
            for u in units.values()
            if (unit_label(u) if field == "label" else getattr(u, field))
            and _fold(unit_label(u) if field == "label" else getattr(u, field)) == wanted
        ]
        if len(found) == 1:
            return found[0]
        if found:
            listed = "; ".join(f"{u} ({unit_label(units[u])})" for u in found[:8])
            more = f"; and {len(found) - 8} more" if len(found) > 8 else ""
            raise CcosimError(
                f"{option} {text!r} is the {field} of {len(found)} units: {listed}{more}; "
                "give the id (or the person's name) instead"
            )
    choices = [*units, *(u.name for u in units.values() if u.name)]
    raise CcosimError(
        f"{option} {text!r} names no unit (not an id, a name or a title)"
        f"{did_you_mean(text, choices)}"
    )
