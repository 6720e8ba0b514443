"""Numbers as people read them: one set of rules for every table, chart and terminal line.

A value is formatted by its catalogue unit (:mod:`ccosim.kpis`): shares as ``91.2%`` and
their differences as ``+1.2 pts``; money as ``$1.23M``, ``$512k`` or ``$49.8`` (never
``0k``); months, hours, counts and ratios plainly. Undefined values (``None``, nan) are
``n/a``. Chart axes use :func:`axis_formatter`, which picks the fewest decimals that keep
every tick label distinct and never uses offset or scientific notation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.ticker import Formatter

from ccosim import kpis

__all__ = [
    "NA",
    "AxisFormatter",
    "axis_formatter",
    "format_delta",
    "format_interval",
    "format_kpi",
    "format_value",
    "plain_axes",
    "text_table",
]

#: How an undefined value is shown.
NA = "n/a"


def _defined(value: float | None) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def _money(value: float, decimals: int | None = None) -> str:
    size = abs(value)
    if size >= 1e9:
        scale, suffix, default = 1e9, "B", 2
    elif size >= 1e6:
        scale, suffix, default = 1e6, "M", 2
    elif size >= 1e4:
        scale, suffix, default = 1e3, "k", 0
    elif size >= 1e3:
        scale, suffix, default = 1e3, "k", 1
    else:
        scale, suffix = 1.0, ""
        default = 0 if size >= 100 or size == 0 else (1 if size >= 10 else (2 if size >= 1 else 3))
    places = default if decimals is None else decimals
    return f"${size / scale:,.{places}f}{suffix}"


def format_value(
    value: float | None, unit: str, *, signed: bool = False, decimals: int | None = None
) -> str:
    """Format one number by its unit.

    Args:
        value: The number (``None`` or nan: ``n/a``). Shares are fractions (0.912).
        unit: A unit of :data:`ccosim.kpis.UNITS`.
        signed: Write ``+`` before positive values (differences).
        decimals: Override the unit's usual number of decimals.

    Returns:
        The text, e.g. ``91.2%``, ``+1.2 pts``, ``$1.23M``, ``3.4 months``, ``n/a``.
    """
    if not _defined(value):
        return NA
    v = float(value)  # type: ignore[arg-type]
    text = _unsigned(abs(v), unit, decimals)
    if not any(ch in "123456789" for ch in text):
        return text  # rounds to zero: no "-0.0" and no "+0.0"
    sign = "-" if v < 0 else ("+" if signed else "")
    return sign + text


def _unsigned(size: float, unit: str, decimals: int | None) -> str:
    sign = ""
    if unit == "%":
        return f"{sign}{size * 100:.{1 if decimals is None else decimals}f}%"
    if unit == "pts":
        return f"{sign}{size * 100:.{1 if decimals is None else decimals}f} pts"
    if unit == "$":
        return _money(size, decimals)
    if unit == "months":
        return f"{sign}{size:,.{1 if decimals is None else decimals}f} months"
    if unit == "hours":
        return f"{sign}{size:,.{1 if decimals is None else decimals}f} h"
    if unit == "count":
        whole = size >= 100 or float(size).is_integer()
        places = decimals if decimals is not None else (0 if whole else 1)
        return f"{sign}{size:,.{places}f}"
    if unit == "score":
        return f"{sign}{size:,.{1 if decimals is None else decimals}f}"
    return f"{sign}{size:,.{2 if decimals is None else decimals}f}"


def format_kpi(name: str, value: float | None, *, decimals: int | None = None) -> str:
    """A KPI's value in its catalogue unit."""
    return format_value(value, kpis.get(name).unit, decimals=decimals)


def format_delta(name: str, value: float | None, *, decimals: int | None = None) -> str:
    """A difference of a KPI (shares in percentage points), always signed."""
    return format_value(value, kpis.get(name).difference_unit, signed=True, decimals=decimals)


def format_interval(lo: float | None, hi: float | None, unit: str, *, signed: bool = False) -> str:
    """``lo to hi`` in a unit; ``n/a`` when either end is undefined."""
    if not (_defined(lo) and _defined(hi)):
        return NA
    return f"{format_value(lo, unit, signed=signed)} to {format_value(hi, unit, signed=signed)}"


def text_table(rows: Sequence[Sequence[str]], *, rule: bool = False) -> str:
    """Rows of cells as a terminal table: first column left-aligned, the rest right-aligned.

    The first row is the header; with ``rule`` a line of dashes follows it. Columns are as
    wide as their widest cell and two spaces apart. Every table ccosim prints goes through
    here.
    """
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.rjust(width) if j else cell.ljust(width)
                for j, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if rule and i == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _tick_unit(unit: str) -> str:
    return {"months": "count", "hours": "count", "score": "count"}.get(unit, unit)


class AxisFormatter(Formatter):
    """Tick labels in a unit, with the fewest decimals that keep the labels distinct."""

    def __init__(self, unit: str, *, signed: bool = False) -> None:
        self.unit = _tick_unit(unit)
        self.signed = signed
        self.decimals: int | None = None
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Choose the decimals for this set of ticks."""
        self.ticks = [float(v) for v in locs]
        self.decimals = self._decimals(self.ticks)

    def _decimals(self, locs: list[float]) -> int | None:
        values = [v for v in locs if math.isfinite(v)]
        if len(values) < 2:
            return None
        for places in range(0, 7):
            labels = [self._text(v, places) for v in values]
            if len(set(labels)) == len(labels):
                return places
        return 6

    def _text(self, value: float, places: int | None) -> str:
        if self.unit == "$":
            size = max((abs(v) for v in self.ticks), default=abs(value))
            return _money_axis(value, size, places)
        return format_value(value, self.unit, signed=self.signed, decimals=places)

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of one tick."""
        return self._text(x, self.decimals)


def _money_axis(value: float, size: float, places: int | None) -> str:
    """Money ticks share one scale (the largest tick's), so an axis never mixes k and M."""
    if size >= 1e9:
        scale, suffix = 1e9, "B"
    elif size >= 1e6:
        scale, suffix = 1e6, "M"
    elif size >= 1e3:
        scale, suffix = 1e3, "k"
    else:
        scale, suffix = 1.0, ""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value) / scale:,.{places or 0}f}{suffix}"


def axis_formatter(unit: str, *, signed: bool = False) -> AxisFormatter:
    """A tick formatter for an axis in ``unit`` (see :class:`AxisFormatter`)."""
    return AxisFormatter(unit, signed=signed)


def plain_axes(axes: object, *, x: str | None = None, y: str | None = None) -> None:
    """Format an axes' ticks by unit (``x``/``y``; None leaves plain numbers, no offset)."""
    for axis, unit in ((axes.xaxis, x), (axes.yaxis, y)):  # type: ignore[attr-defined]
        if unit is not None:
            axis.set_major_formatter(axis_formatter(unit))
        else:
            formatter = axis.get_major_formatter()
            if hasattr(formatter, "set_useOffset"):
                formatter.set_useOffset(False)
                formatter.set_scientific(False)
