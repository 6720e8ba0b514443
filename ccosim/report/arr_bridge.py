"""The ARR bridge: from ARR at the start of a period to ARR at its end, per design.

start + new + expansion - contraction - churn = end, from the engine's monthly ARR bridge
(``arr_start``, ``arr_new``, ``arr_expansion``, ``arr_contraction``, ``arr_churn``,
``arr_end``; docs/kpis.md). Every replication's bridge closes; the report shows the mean over
replications, which closes too (a mean is linear), and says by how much it misses (float
rounding only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from ccosim import kpis
from ccosim.formatting import format_value, unit_axis
from ccosim.literal_text import literal_text
from ccosim.report.document import FigureItem, Section, Table
from ccosim.results import Results

__all__ = ["BRIDGE_STEPS", "ArrBridge", "arr_bridge", "bridge_figure", "bridge_section"]

#: The bridge's steps between start and end: (name, monthly measure, sign).
BRIDGE_STEPS: tuple[tuple[str, str, int], ...] = (
    ("new", "arr_new", 1),
    ("expansion", "arr_expansion", 1),
    ("contraction", "arr_contraction", -1),
    ("churn", "arr_churn", -1),
)
#: Bar colours: start and end neutral, gains green, losses vermilion (Okabe and Ito).
_COLORS = {
    "start": "#999999",
    "new": "#009E73",
    "expansion": "#56B4E9",
    "contraction": "#E69F00",
    "churn": "#D55E00",
    "end": "#0072B2",
}


@dataclass(frozen=True)
class ArrBridge:
    """One design's ARR bridge over years ``first``..``last`` (mean over replications).

    Attributes:
        design: The design's label.
        first: First year of the period.
        last: Last year of the period.
        start: ARR at the start of year ``first``.
        steps: ``(name, amount)`` for new, expansion, contraction and churn, each positive.
        end: ARR at the end of year ``last``.
    """

    design: str
    first: int
    last: int
    start: float
    steps: tuple[tuple[str, float], ...]
    end: float

    def signed_steps(self) -> list[tuple[str, float]]:
        """The steps with losses negative, in bridge order."""
        signs = {name: sign for name, _, sign in BRIDGE_STEPS}
        return [(name, signs[name] * amount) for name, amount in self.steps]

    def gap(self) -> float:
        """The bridge's miss: start + new + expansion - contraction - churn - end (about 0)."""
        return self.start + sum(v for _, v in self.signed_steps()) - self.end

    def period(self) -> str:
        """``year 1-9`` or ``year 3``."""
        return (
            f"year {self.first}" if self.first == self.last else f"years {self.first}-{self.last}"
        )


def arr_bridge(results: Results, design: str, first: int = 1, last: int | None = None) -> ArrBridge:
    """The mean ARR bridge of ``results`` over years ``first``..``last`` (default: all).

    Raises:
        ValueError: a year outside the run's horizon.
    """
    last = last or len(results.years)
    if not 1 <= first <= last <= len(results.years):
        raise ValueError(f"years {first}-{last} are outside the run's 1-{len(results.years)}")
    monthly = results.monthly
    months = slice(12 * (first - 1), 12 * last)
    steps = tuple(
        (name, float(np.mean(monthly[measure][:, months].sum(axis=1))))
        for name, measure, _ in BRIDGE_STEPS
    )
    return ArrBridge(
        design,
        first,
        last,
        float(np.mean(monthly["arr_start"][:, months.start])),
        steps,
        float(np.mean(monthly["arr_end"][:, months.stop - 1])),
    )


def _bars(bridge: ArrBridge) -> list[tuple[str, float, float]]:
    """``(name, bottom, height)`` of each bar: start and end from zero, steps floating."""
    bars = [("start", 0.0, bridge.start)]
    level = bridge.start
    for name, delta in bridge.signed_steps():
        bars.append((name, level, delta))
        level += delta
    bars.append(("end", 0.0, bridge.end))
    return bars


@literal_text
def bridge_figure(bridges: Sequence[ArrBridge]) -> Figure:
    """One waterfall per design, side by side on a shared ARR axis (up to 3 a row)."""
    columns = min(len(bridges), 3)
    rows = int(np.ceil(len(bridges) / columns))
    figure = Figure(figsize=(3.3 * columns + 0.5, 3.1 * rows + 0.6), layout="constrained")
    shared = None
    for i, bridge in enumerate(bridges):
        axes = figure.add_subplot(rows, columns, i + 1, sharey=shared)
        shared = shared or axes
        bars = _bars(bridge)
        for x, (name, bottom, height) in enumerate(bars):
            axes.bar(x, height, bottom=bottom, color=_COLORS[name], width=0.7)
            top = bottom + max(height, 0.0)
            text = format_value(height, "$", signed=name not in ("start", "end"), decimals=1)
            axes.annotate(
                text,
                (x, top),
                ha="center",
                va="bottom",
                fontsize=6.5,
                xytext=(0, 2),
                textcoords="offset points",
            )
            if 0 < x < len(bars) - 1:  # the connector from the previous level
                axes.plot([x - 1.35, x - 0.35], [bottom, bottom], color="#666666", lw=0.6)
        axes.set_xticks(range(len(bars)), [b[0] for b in bars], rotation=35, ha="right")
        axes.tick_params(labelsize=7)
        axes.set_title(f"{bridge.design}", loc="left", fontsize=9, fontweight="bold")
        axes.grid(axis="y", alpha=0.3)
        axes.set_axisbelow(True)
        if i % columns == 0:
            axes.set_ylabel("ARR", fontsize=8)
        unit_axis(axes.yaxis, "$")
    top = max(max(b.start, b.end, *_levels(b)) for b in bridges)
    shared.set_ylim(0, top * 1.12)
    first = bridges[0]
    figure.suptitle(
        f"ARR bridge, {first.period()} (mean of the replications)",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=10,
    )
    return figure


def _levels(bridge: ArrBridge) -> list[float]:
    return [bottom + height for _, bottom, height in _bars(bridge)]


def _table(bridges: Sequence[ArrBridge], caption: str) -> Table:
    names = ["start", *(name for name, _, _ in BRIDGE_STEPS), "end"]
    rows = []
    for b in bridges:
        cells = [format_value(b.start, "$")]
        cells += [format_value(v, "$", signed=True) for _, v in b.signed_steps()]
        cells.append(format_value(b.end, "$"))
        rows.append([b.design, *cells])
    return Table(
        ["design", *(f"ARR {n}" if n in ("start", "end") else n for n in names)],
        rows,
        caption=caption,
    )


def bridge_section(results: dict[str, Results]) -> Section:
    """The report's ARR-bridge section: the whole horizon charted, the final year in a table."""
    labels = list(results)
    last = len(next(iter(results.values())).years)
    whole = [arr_bridge(results[lb], lb) for lb in labels]
    final = [arr_bridge(results[lb], lb, last, last) for lb in labels]
    gap = max(abs(b.gap()) for b in (*whole, *final))
    descriptions = "; ".join(
        f"{name}: {kpis.get(measure).description.rstrip('.')}" for name, measure, _ in BRIDGE_STEPS
    )
    return Section(
        "ARR bridge",
        paragraphs=[
            "Where each design's ARR comes from and where it goes: ARR at the start + new + "
            "expansion - contraction - churn = ARR at the end, the mean of the replications "
            f"(customer randomness only). The steps are {descriptions}. Each bridge closes: its "
            f"largest gap is {format_value(gap, '$', decimals=2)} (floating-point rounding)."
        ],
        tables=[
            _table(whole, f"ARR bridge, {whole[0].period()}"),
            _table(final, f"ARR bridge, {final[0].period()}"),
        ],
        figures=[
            FigureItem(
                "arr_bridge",
                bridge_figure(whole),
                f"ARR bridge per design, {whole[0].period()}: start, new, expansion, "
                "contraction, churn, end.",
            )
        ],
    )
