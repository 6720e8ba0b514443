"""A ranking sweep as outputs: ``ranking.json``, the ranking map, charts and an HTML page.

A sweep over several designs ranks them at every grid point (expected NPV of operating
contribution, and each design's probability of being best). This module turns that into
what a strategist hands on: the winner at each point as JSON, a data table with its data
package, a map of where each design leads over the grid (a heatmap with the designs named
in its cells and the swept values as its ticks), each design's expected NPV against each
factor, and one self-contained HTML page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import product
from typing import Any

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ccosim._version import __version__
from ccosim.experiment.sweep_ranking import RankingSweep
from ccosim.formatting import axis_formatter, format_value
from ccosim.literal_text import literal_text
from ccosim.report.data import DataTable
from ccosim.report.document import FigureItem, Report, Section, Table
from ccosim.report.figures import design_colors, finish_panels, panel_grid
from ccosim.report.summary import SURE, of_draws
from ccosim.report.uncertainty_report import short

__all__ = [
    "MAX_PANELS",
    "npv_by_factor",
    "ranking_data",
    "ranking_map",
    "ranking_report",
    "ranking_table",
    "value_labels",
]

#: Panels of the ranking map at most (one per combination of the third and later factors).
MAX_PANELS = 12


def value_labels(values: Sequence[Any]) -> list[str]:
    """The swept values as tick labels, each with the decimals it needs to equal its value."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) != len(values):
        return [str(v) for v in values]
    formatter = axis_formatter("ratio")
    formatter.set_locs([float(v) for v in numbers])
    return [formatter(float(v)) for v in numbers]


def _count(result: RankingSweep) -> int:
    """How many outcomes each P(best) is a share of: draws, or runs without draws."""
    return result.draws or result.runs


def ranking_data(result: RankingSweep) -> dict[str, Any]:
    """``ranking.json``: the winner, expected NPVs and P(best) at every grid point."""
    winners = result.best()
    count = _count(result)
    points = []
    for i, (point, winner) in enumerate(zip(result.points, winners, strict=True)):
        shares = result.p_best[i]
        top = float(shares[result.labels.index(winner)])
        points.append(
            {
                "point": i,
                "values": dict(point),
                "winner": winner,
                "winner_p_best": top,
                "clear": bool(top >= SURE),
                "expected_npv": {
                    lb: float(result.expected_npv[i, d]) for d, lb in enumerate(result.labels)
                },
                "p_best": {lb: float(shares[d]) for d, lb in enumerate(result.labels)},
            }
        )
    return {
        "ccosim_version": __version__,
        "designs": list(result.labels),
        "factors": [{"path": f.path, "values": list(f.values)} for f in result.factors],
        "measure": "expected NPV of operating contribution (discounted)",
        "winner": "the design with the highest expected NPV at the point; 'clear' when its "
        f"P(best) is at least {SURE:.0%}",
        "p_best_over": f"{count} {'draws' if result.draws else 'runs'}",
        "covers": result.covers,
        "draws": result.draws,
        "runs": result.runs,
        "points": points,
        "wins": {lb: winners.count(lb) for lb in result.labels},
    }


def ranking_table(result: RankingSweep) -> DataTable:
    """The ranking as a long table (``ranking``): one row per grid point and design."""
    paths = [f.path for f in result.factors]
    winners = result.best()
    rows = (
        [
            *(point[p] for p in paths),
            label,
            float(result.expected_npv[i, d]),
            float(result.p_best[i, d]),
            label == winners[i],
            result.covers,
        ]
        for i, point in enumerate(result.points)
        for d, label in enumerate(result.labels)
    )
    return DataTable(
        "ranking",
        "Each design at every grid point of the sweep: expected NPV of operating "
        "contribution, its probability of being best, and whether it leads there.",
        [*paths, "design", "expected_npv", "p_best", "best", "covers"],
        rows,
        [*paths, "design"],
        extra_fields={
            **{p: ("any", f"Value of {p} at this grid point.") for p in paths},
            "design": ("string", "The design's name."),
            "expected_npv": ("number", "Expected NPV of operating contribution, US dollars."),
            "p_best": ("number", "Probability that the design has the highest NPV (0-1)."),
            "best": ("boolean", "The design has the highest expected NPV at this point."),
            "covers": ("string", "What P(best) covers: customer randomness, assumptions."),
        },
    )


def _panels(result: RankingSweep) -> list[dict[str, Any]]:
    """The fixed values of the third and later factors, one dict per panel."""
    rest = result.factors[2:]
    return [
        dict(zip((f.path for f in rest), combo, strict=True))
        for combo in product(*(f.values for f in rest))
    ]


def _grid(result: RankingSweep, fixed: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Winner index and its P(best) on the grid of the first two factors (rows x columns)."""
    f1 = result.factors[0]
    f2 = result.factors[1] if len(result.factors) > 1 else None
    rows, columns = len(f1.values), len(f2.values) if f2 else 1
    winner = np.full((rows, columns), -1)
    share = np.full((rows, columns), np.nan)
    best = np.argmax(result.expected_npv, axis=1)
    for i, point in enumerate(result.points):
        if any(point[k] != v for k, v in fixed.items()):
            continue
        r = f1.values.index(point[f1.path])
        c = f2.values.index(point[f2.path]) if f2 else 0
        winner[r, c] = best[i]
        share[r, c] = result.p_best[i, best[i]]
    return winner, share


def _cell_text(name: str, share: float, count: int) -> str:
    words = name if len(name) <= 16 else name[:15] + "."
    return f"{words}\n{of_draws(share, count)}"


def _draw_panel(axes: Any, result: RankingSweep, fixed: dict[str, Any], colors: list[str]) -> None:
    winner, share = _grid(result, fixed)
    rows, columns = winner.shape
    image = np.ones((rows, columns, 4))
    for r, c in product(range(rows), range(columns)):
        if winner[r, c] >= 0:
            # A clear win is drawn in the design's colour; a narrow lead paler.
            alpha = 1.0 if share[r, c] >= SURE else 0.45
            image[r, c] = to_rgba(colors[winner[r, c]], alpha)
    axes.imshow(image, origin="lower", aspect="auto", interpolation="nearest")
    size = max(5.0, min(9.0, 40 / max(rows, columns)))
    for r, c in product(range(rows), range(columns)):
        if winner[r, c] >= 0:
            axes.text(
                c,
                r,
                _cell_text(result.labels[winner[r, c]], share[r, c], _count(result)),
                ha="center",
                va="center",
                fontsize=size,
                color="white" if share[r, c] >= SURE else "#222222",
            )
    f1 = result.factors[0]
    axes.set_yticks(range(rows), value_labels(f1.values))
    axes.set_ylabel(short(f1.path), fontsize=8)
    if len(result.factors) > 1:
        f2 = result.factors[1]
        axes.set_xticks(range(columns), value_labels(f2.values))
        axes.set_xlabel(short(f2.path), fontsize=8)
    else:
        axes.set_xticks([])
    axes.tick_params(labelsize=7)
    if fixed:
        axes.set_title(
            ", ".join(f"{short(k)} = {value_labels([v])[0]}" for k, v in fixed.items()),
            fontsize=8,
            loc="left",
        )


@literal_text
def ranking_map(result: RankingSweep) -> Figure:
    """Where each design leads over the grid: one heatmap (a panel per value of the rest).

    The first factor runs up the rows, the second across the columns; a cell is coloured by
    the design with the highest expected NPV there and says how often it was best (solid
    when in at least 95% of the draws or runs, pale otherwise).
    """
    panels = _panels(result)[:MAX_PANELS]
    columns = min(len(panels), 3)
    rows = math.ceil(len(panels) / columns)
    f1 = result.factors[0]
    cell_w = 1.1 * (len(result.factors[1].values) if len(result.factors) > 1 else 1)
    width = min(11.0, max(4.5, cell_w * columns + 1.8))
    height = min(12.0, max(2.6, 0.55 * len(f1.values) * rows + 1.6))
    figure = Figure(figsize=(width, height), layout="constrained")
    colors = list(design_colors(list(result.labels)).values())
    for i, fixed in enumerate(panels):
        _draw_panel(figure.add_subplot(rows, columns, i + 1), result, fixed, colors)
    handles = [Patch(color=colors[d], label=lb) for d, lb in enumerate(result.labels)]
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 4),
        fontsize=7,
        frameon=False,
    )
    more = len(_panels(result)) - len(panels)
    figure.suptitle(
        "Where each design leads (highest expected NPV)"
        + (f"; first {len(panels)} of {len(panels) + more} panels" if more else ""),
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=10,
    )
    return figure


@literal_text
def npv_by_factor(result: RankingSweep) -> Figure:
    """Each design's expected NPV against each numeric factor (averaged over the others)."""
    numeric = [
        f
        for f in result.factors
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in f.values)
    ]
    factors = numeric or list(result.factors)
    figure, panels = panel_grid(len(factors), width=3.6, extra_height=0.8)
    colors = design_colors(list(result.labels))
    for axes, factor in zip(panels, factors, strict=True):
        positions = list(range(len(factor.values)))
        for d, label in enumerate(result.labels):
            means = [
                float(
                    np.mean(
                        [
                            result.expected_npv[j, d]
                            for j, p in enumerate(result.points)
                            if p[factor.path] == value
                        ]
                    )
                )
                for value in factor.values
            ]
            axes.plot(positions, means, marker="o", ms=3, color=colors[label], label=label)
        axes.set_xticks(positions, value_labels(factor.values))
        axes.set_xlabel(short(factor.path), fontsize=8)
    finish_panels(
        figure,
        panels,
        ylabel="expected NPV",
        unit="$",
        title="Expected NPV of operating contribution by swept value"
        + (" (mean over the other factors)" if len(result.factors) > 1 else ""),
    )
    return figure


def _wins_sentence(result: RankingSweep) -> str:
    winners = result.best()
    n = len(winners)
    parts = [
        f"{lb} at {winners.count(lb)} of {n}"
        for lb in sorted(result.labels, key=lambda x: -winners.count(x))
        if winners.count(lb)
    ]
    clear = sum(
        1 for i, w in enumerate(winners) if result.p_best[i, result.labels.index(w)] >= SURE
    )
    over = "draws" if result.draws else "runs"
    return (
        "Highest expected NPV: " + ", ".join(parts) + " grid points. "
        f"The leader is best in at least {SURE:.0%} of the {over} at {clear} of {n} points; "
        "elsewhere it only leads."
    )


def _point_table(result: RankingSweep) -> Table:
    paths = [f.path for f in result.factors]
    labels_of = {
        f.path: dict(zip(f.values, value_labels(f.values), strict=True)) for f in result.factors
    }
    count = _count(result)
    rows = []
    for i, (point, winner) in enumerate(zip(result.points, result.best(), strict=True)):
        cells = [
            f"{format_value(result.expected_npv[i, d], '$')} "
            f"(best in {of_draws(result.p_best[i, d], count)})"
            for d in range(len(result.labels))
        ]
        rows.append([*(labels_of[p].get(point[p], str(point[p])) for p in paths), winner, *cells])
    return Table(
        [*(short(p) for p in paths), "leader", *result.labels],
        rows,
        caption="Every grid point: each design's expected NPV and how often it was best",
        left=(len(paths),),
    )


def ranking_report(result: RankingSweep, *, seed: int, title: str) -> Report:
    """The HTML page of a ranking sweep: the map, the NPV chart, every point."""
    count = _count(result)
    over = (
        f"{result.draws} draws of the remaining assumption ranges x {result.runs} runs"
        if result.draws
        else f"{result.runs} runs with the assumptions at their values"
    )
    return Report(
        title=title,
        subtitle=f"{len(result.labels)} designs at {len(result.points)} grid points; "
        f"{over} per point; seed {seed}",
        sections=[
            Section(
                "Where each design leads",
                paragraphs=[
                    _wins_sentence(result),
                    "At each grid point the swept assumptions are fixed at the point's values "
                    "and every design runs on the same simulated customers. The leader has "
                    "the highest expected NPV of operating contribution; the count under its "
                    f"name is how often (of {count}) it was the best design, which covers "
                    f"{result.covers}. Solid cells: best in at least {SURE:.0%}; pale cells: "
                    "a lead, not a sure win.",
                ],
                figures=[
                    FigureItem(
                        "ranking_map",
                        ranking_map(result),
                        "The leader at every grid point, with how often it was best.",
                    ),
                    FigureItem(
                        "npv_by_factor",
                        npv_by_factor(result),
                        "Expected NPV of each design by swept value.",
                    ),
                ],
            ),
            Section("Every grid point", tables=[_point_table(result)]),
        ],
        footer=f"Made by ccosim {__version__}. Seed {seed}. ranking.json holds the winner at "
        "every grid point; ranking.csv (with datapackage.json) every design at every point; "
        "manifest.json and scenarios/ how it was made.",
    )
