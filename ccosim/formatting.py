"""Numbers as people read them: one set of rules for every table, chart and terminal line.

A value is formatted by its catalogue unit (:mod:`ccosim.kpis`): shares as ``91.2%`` and
their differences as ``+1.2 pts``; money as ``$1.23M``, ``$512k`` or ``$49.8`` (never
``0k``); months, hours, counts and ratios plainly. Undefined values (``None``, nan) are
``n/a``. Chart axes use :func:`unit_axis`: nice ticks (1, 2 or 5 times a power of ten in
the unit shown) each labelled with the decimals it needs, so a label always equals its
tick's position; never offset or scientific notation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from matplotlib.axis import Axis
from matplotlib.ticker import Formatter, MaxNLocator

from ccosim import kpis

__all__ = [
    "NA",
    "AxisFormatter",
    "axis_formatter",
    "format_delta",
    "format_interval",
    "format_kpi",
    "format_value",
    "nice_locator",
    "plain_axes",
    "text_table",
    "unit_axis",
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


#: The most decimals a tick label gets; ticks that need more are not "nice" (see
#: :func:`nice_locator`) and fall back to the fewest decimals that keep labels distinct.
MAX_TICK_PLACES = 9
#: Tick spacings tried, times a power of ten: 1, 2 and 5 (not 2.5, which needs a decimal
#: more than its neighbours).
NICE_STEPS = (1, 2, 5, 10)


def _money_scale(size: float) -> tuple[float, str]:
    """One scale for every money tick of an axis (the largest tick's): never k and M mixed."""
    if size >= 1e9:
        return 1e9, "B"
    if size >= 1e6:
        return 1e6, "M"
    if size >= 1e3:
        return 1e3, "k"
    return 1.0, ""


class AxisFormatter(Formatter):
    """Tick labels in a unit, each with the decimals it needs to show its tick exactly.

    A tick at -2.5 pts reads "-2.5 pts" and one at -5 pts reads "-5 pts": a label always
    parses back to its tick's position. Money ticks share the largest tick's scale ($k or
    $M). Ticks no label of :data:`MAX_TICK_PLACES` decimals can show (not nice ticks) get
    the fewest decimals that keep the labels distinct.
    """

    def __init__(self, unit: str, *, signed: bool = False) -> None:
        self.unit = _tick_unit(unit)
        self.signed = signed
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember this axis' ticks (their spacing and, for money, their scale)."""
        self.ticks = [float(v) for v in locs if math.isfinite(v)]

    def _factor(self, value: float) -> float:
        """What a value is multiplied by to give the number on its label."""
        if self.unit in ("%", "pts"):
            return 100.0
        if self.unit == "$":
            size = max((abs(v) for v in self.ticks), default=abs(value))
            return 1.0 / _money_scale(size)[0]
        return 1.0

    def places(self, value: float) -> int:
        """The fewest decimals with which the label of ``value`` shows it exactly."""
        factor = self._factor(value)
        shown = value * factor
        ticks = sorted(v * factor for v in self.ticks)
        gaps = [b - a for a, b in itertools.pairwise(ticks) if b > a]
        step = min(gaps) if gaps else max(abs(shown), 1.0)
        tolerance = max(step * 1e-6, abs(shown) * 1e-12)  # float noise, not rounding
        for places in range(MAX_TICK_PLACES + 1):
            if abs(round(shown, places) - shown) <= tolerance:
                return places
        return self._distinct_places()

    def _distinct_places(self) -> int:
        for places in range(MAX_TICK_PLACES + 1):
            labels = [self._text(v, places) for v in self.ticks]
            if len(set(labels)) == len(labels):
                return places
        return MAX_TICK_PLACES

    def _text(self, value: float, places: int) -> str:
        if self.unit == "$":
            size = max((abs(v) for v in self.ticks), default=abs(value))
            return _money_axis(value, size, places, signed=self.signed)
        return format_value(value, self.unit, signed=self.signed, decimals=places)

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of one tick."""
        if not math.isfinite(x):
            return NA
        return self._text(x, self.places(x))


def _money_axis(value: float, size: float, places: int, *, signed: bool = False) -> str:
    """A money tick on the axis' scale (see :func:`_money_scale`); zero is ``$0``."""
    scale, suffix = _money_scale(size)
    number = f"{abs(value) / scale:,.{places}f}"
    if not any(ch in "123456789" for ch in number):
        return "$0"
    sign = "-" if value < 0 else ("+" if signed else "")
    return f"{sign}${number}{suffix}"


def axis_formatter(unit: str, *, signed: bool = False) -> AxisFormatter:
    """A tick formatter for an axis in ``unit`` (see :class:`AxisFormatter`)."""
    return AxisFormatter(unit, signed=signed)


def nice_locator(nbins: int | str = "auto") -> MaxNLocator:
    """Ticks at 1, 2 or 5 times a power of ten (in the unit shown: %, pts, $M, $k); 3 at least."""
    return MaxNLocator(nbins=nbins, steps=list(NICE_STEPS), min_n_ticks=3)


def unit_axis(axis: Axis, unit: str, *, signed: bool = False, nbins: int | str = "auto") -> None:
    """Nice ticks on ``axis`` labelled in ``unit``, each label equal to its tick.

    Args:
        axis: A matplotlib axis (``axes.xaxis`` or ``axes.yaxis``).
        unit: A unit of :data:`ccosim.kpis.UNITS`.
        signed: Write ``+`` before positive ticks (differences).
        nbins: At most this many intervals between ticks (``auto``: by the axis' length).
    """
    axis.set_major_locator(nice_locator(nbins))
    axis.set_major_formatter(axis_formatter(unit, signed=signed))


def plain_axes(axes: object, *, x: str | None = None, y: str | None = None) -> None:
    """Format an axes' ticks by unit (``x``/``y``; None leaves plain numbers, no offset)."""
    for axis, unit in ((axes.xaxis, x), (axes.yaxis, y)):  # type: ignore[attr-defined]
        if unit is not None:
            unit_axis(axis, unit)
        else:
            formatter = axis.get_major_formatter()
            if hasattr(formatter, "set_useOffset"):
                formatter.set_useOffset(False)
                formatter.set_scientific(False)
