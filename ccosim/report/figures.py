"""Report figures, each a ``matplotlib.figure.Figure`` built from plain arrays (no pyplot).

Designs keep one colour across every figure of a report (:func:`design_colors`); money is
shown in millions; intervals are drawn as shaded bands or whiskers and labelled as 95%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ccosim.formatting import format_value, unit_axis
from ccosim.literal_text import literal_text, make_literal

__all__ = [
    "DESIGN_COLORS",
    "attribution_lines",
    "bookings_mix",
    "design_colors",
    "difference_chart",
    "fan_chart",
    "finish_panels",
    "one_factor_line",
    "panel_grid",
    "save_figure",
    "tornado",
    "waterfall",
    "yearly_lines",
]

#: Colour-blind-safe categorical colours (Okabe and Ito) for designs in a comparison.
DESIGN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

Band = tuple[np.ndarray, np.ndarray, np.ndarray]  # mean, lo, hi
_TITLE = {"loc": "left", "fontweight": "bold"}


def design_colors(names: Sequence[str]) -> dict[str, str]:
    """A colour per design, in order, repeating past seven designs."""
    return {name: DESIGN_COLORS[i % len(DESIGN_COLORS)] for i, name in enumerate(names)}


def _figure(width: float = 7.5, height: float = 4.2) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


def panel_grid(count: int, *, width: float, extra_height: float) -> tuple[Figure, list[Axes]]:
    """A figure of ``count`` small panels, up to three a row, all sharing the first's y axis.

    Args:
        count: Panels (at least 1).
        width: Inches per panel column.
        extra_height: Inches beside the panels' 2.9 a row (the title and legend).

    Returns:
        The figure and its panels, in reading order; :func:`finish_panels` labels them.
    """
    columns = min(count, 3)
    rows = math.ceil(count / columns)
    figure = Figure(
        figsize=(width * columns + 0.6, 2.9 * rows + extra_height), layout="constrained"
    )
    panels: list[Axes] = []
    for i in range(count):
        panels.append(
            figure.add_subplot(rows, columns, i + 1, sharey=panels[0] if panels else None)
        )
    return figure, panels


def finish_panels(
    figure: Figure, panels: Sequence[Axes], *, ylabel: str, unit: str, title: str
) -> None:
    """Label the panels of :func:`panel_grid`: ticks, grid, y labels, one legend, the title.

    Small ticks and a light grid on each panel, the y label on each row's first, one legend
    (the first panel's lines) under them and the title over them.

    Args:
        figure: The figure.
        panels: Its panels, drawn.
        ylabel: The y axis's label.
        unit: The y axis's unit (:func:`ccosim.formatting.unit_axis`).
        title: The figure's title.
    """
    columns = min(len(panels), 3)
    for i, axes in enumerate(panels):
        axes.tick_params(labelsize=7)
        axes.grid(alpha=0.3)
        if i % columns == 0:
            axes.set_ylabel(ylabel, fontsize=8)
        unit_axis(axes.yaxis, unit)
    handles, names = panels[0].get_legend_handles_labels()
    figure.legend(
        handles,
        names,
        loc="outside lower center",
        ncols=min(len(names), 4),
        fontsize=7,
        frameon=False,
    )
    figure.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)


@literal_text
def fan_chart(
    months: np.ndarray,
    bands: Mapping[str, Band],
    *,
    title: str,
    ylabel: str,
    money: bool = True,
) -> Figure:
    """Mean line and shaded 95% band per design over months (e.g. ARR)."""
    figure = _figure()
    axes = figure.add_subplot()
    colors = design_colors(list(bands))
    years = np.asarray(months) / 12.0
    for name, (mean, lo, hi) in bands.items():
        axes.fill_between(years, lo, hi, color=colors[name], alpha=0.18, linewidth=0)
        axes.plot(years, mean, color=colors[name], linewidth=2, label=name)
    axes.set_title(title, loc="left", fontweight="bold")
    axes.set_xlabel("year")
    axes.set_ylabel(ylabel)
    axes.set_xlim(years[0], years[-1])
    unit_axis(axes.yaxis, "$" if money else "count")
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=8, title="mean and middle 95% of runs", title_fontsize=8)
    return figure


@literal_text
def yearly_lines(
    years: Sequence[int],
    bands: Mapping[str, Band],
    *,
    title: str,
    ylabel: str,
    percent: bool = True,
) -> Figure:
    """One line per design over years with 95% whiskers (e.g. GRR or NRR by year)."""
    figure = _figure(7.5, 3.8)
    axes = figure.add_subplot()
    colors = design_colors(list(bands))
    count = max(len(bands), 1)
    offsets = np.linspace(-0.12, 0.12, count) if count > 1 else np.zeros(1)
    for offset, (name, (mean, lo, hi)) in zip(offsets, bands.items(), strict=True):
        x = np.asarray(years, dtype=float) + offset
        axes.errorbar(
            x,
            mean,
            yerr=[mean - lo, hi - mean],
            color=colors[name],
            marker="o",
            markersize=4,
            capsize=2,
            linewidth=1.6,
            label=name,
        )
    axes.set_title(title, loc="left", fontweight="bold")
    axes.set_xlabel("year")
    axes.set_ylabel(ylabel)
    axes.set_xticks(list(years))
    unit_axis(axes.yaxis, "%" if percent else "ratio")
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=8)
    return figure


@literal_text
def bookings_mix(
    years: Sequence[int],
    new_business: Mapping[str, np.ndarray],
    installed_base: Mapping[str, np.ndarray],
) -> Figure:
    """Installed-base vs new-business bookings per design (the shape of mehta2016 fig. 15.3).

    One panel per design: bars of new-business (the Sales quota) and installed-base
    bookings (renewals and upsell, the CCO's quota), with their ratio written on top.
    """
    names = list(new_business)
    columns = min(len(names), 3)
    rows = int(np.ceil(len(names) / columns))
    figure = _figure(3.2 * columns + 0.6, 2.9 * rows + 0.4)
    x = np.asarray(years, dtype=float)
    top = max(float(np.max(installed_base[n])) for n in names) * 1.18
    for i, name in enumerate(names):
        axes = figure.add_subplot(rows, columns, i + 1)
        axes.bar(x - 0.2, new_business[name], width=0.4, color="#999999", label="new business")
        axes.bar(x + 0.2, installed_base[name], width=0.4, color="#0072B2", label="installed base")
        for year, nb, ib in zip(x, new_business[name], installed_base[name], strict=True):
            if nb > 0:
                axes.text(year + 0.2, ib, f"{ib / nb:.1f}x", ha="center", va="bottom", fontsize=6.5)
        axes.set_title(name, fontsize=9, loc="left")
        axes.set_ylim(0, top)
        axes.set_xticks(x)
        axes.tick_params(labelsize=7)
        unit_axis(axes.yaxis, "$")
        axes.grid(axis="y", alpha=0.3)
        if i == 0:
            axes.legend(frameon=False, fontsize=7, loc="upper left")
    figure.suptitle(
        "Bookings: installed base (CCO quota) vs new business (Sales quota)",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=10,
    )
    return figure


@literal_text
def tornado(
    swings: Mapping[str, tuple[float, float]],
    base: float,
    *,
    kpi_label: str,
    unit: str,
    settings: Mapping[str, tuple[object, object]] | None = None,
    intervals: Mapping[str, tuple[tuple[float, float], tuple[float, float]]] | None = None,
    design: str | None = None,
) -> Figure:
    """Each varied assumption's range of a KPI, widest at the top, around the base value.

    Args:
        swings: assumption -> (KPI at its lowest setting, KPI at its highest setting).
        base: The KPI averaged over the whole grid (the vertical line).
        kpi_label: What the KPI is, e.g. "NRR in year 9".
        unit: The KPI's catalogue unit (axis and value labels).
        settings: assumption -> (lowest setting, highest setting), written at the bar ends.
        intervals: assumption -> paired 95% intervals of its two ends (each end minus the
            base, replication by replication, added to the base), drawn as whiskers.
        design: The design swept, named in the title.
    """
    ordered = sorted(swings.items(), key=lambda kv: abs(kv[1][1] - kv[1][0]))
    figure = _figure(7.5, 0.75 * len(ordered) + 1.9)
    axes = figure.add_subplot()
    for row, (name, (low_setting, high_setting)) in enumerate(ordered):
        axes.barh(row, low_setting - base, left=base, color="#D55E00", height=0.6)
        axes.barh(row, high_setting - base, left=base, color="#0072B2", height=0.6)
        if intervals and name in intervals:
            for value, (lo, hi) in zip((low_setting, high_setting), intervals[name], strict=True):
                if np.isfinite(lo) and np.isfinite(hi):
                    axes.errorbar(
                        value,
                        row,
                        xerr=[[max(value - lo, 0)], [max(hi - value, 0)]],
                        color="black",
                        capsize=3,
                        linewidth=1,
                    )
        if settings and name in settings:
            lo_value, hi_value = settings[name]
            for value, setting in ((low_setting, lo_value), (high_setting, hi_value)):
                right = value >= base
                axes.annotate(
                    f"{setting}: {format_value(value, unit)}",
                    (value, row + 0.32),
                    ha="left" if right else "right",
                    va="bottom",
                    fontsize=7,
                )
        if low_setting == high_setting:
            axes.annotate(
                "no effect",
                (base, row),
                xytext=(4, -9),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color="#555555",
            )
    axes.axvline(base, color="black", linewidth=1)
    axes.set_yticks(range(len(ordered)), [name for name, _ in ordered], fontsize=8)
    axes.set_xlabel(kpi_label)
    unit_axis(axes.xaxis, unit)
    axes.margins(x=0.35)
    title = f"Sensitivity of {kpi_label}"
    axes.set_title(f"{design}: {title[0].lower()}{title[1:]}" if design else title, **_TITLE)
    handles = [Patch(color=c) for c in ("#D55E00", "#0072B2")]
    names = ["lowest setting", "highest setting"]
    if intervals:
        handles.append(Line2D([], [], color="black", marker="|", linewidth=1))
        names.append("paired 95% interval")
    axes.legend(
        handles,
        names,
        frameon=False,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
        ncol=len(names),
    )
    axes.set_ylim(-0.6, len(ordered) - 0.2)
    axes.grid(axis="x", alpha=0.3)
    return figure


@literal_text
def one_factor_line(
    settings: Sequence[float],
    band: Band,
    *,
    factor: str,
    kpi_label: str,
    unit: str,
    design: str | None = None,
) -> Figure:
    """A KPI against the values of the one assumption swept, with its 95% interval.

    ``design``, the design swept, is named in the title.
    """
    figure = _figure(7.5, 3.8)
    axes = figure.add_subplot()
    mean, lo, hi = band
    x = np.asarray(settings, dtype=float)
    axes.fill_between(x, lo, hi, color="#0072B2", alpha=0.2, linewidth=0, label="95% interval")
    axes.plot(x, mean, color="#0072B2", marker="o", linewidth=2, label="mean")
    axes.set_xticks(x, [f"{v:g}" for v in x])
    axes.set_xlabel(factor)
    axes.set_ylabel(kpi_label)
    unit_axis(axes.yaxis, unit)
    title = f"{kpi_label} against {factor}"
    axes.set_title(f"{design}: {title}" if design else title, fontsize=10, **_TITLE)
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=8)
    return figure


@literal_text
def difference_chart(
    panels: Sequence[tuple[str, str, Mapping[str, tuple[float, float, float]]]],
    *,
    title: str,
) -> Figure:
    """Differences from the baseline with their 95% intervals, one panel per KPI.

    Args:
        panels: ``(KPI label, difference unit, {design: (mean, lo, hi)})`` per panel.
        title: Figure title (says whether the intervals are paired).
    """
    count = max(len(panels), 1)
    designs = list(panels[0][2]) if panels else []
    figure = _figure(7.5, 0.42 * len(designs) * ((count + 1) // 2) + 1.6)
    colors = design_colors(["baseline", *designs])
    for i, (name, unit, values) in enumerate(panels):
        axes = figure.add_subplot((count + 1) // 2, 2, i + 1)
        rows = list(values.items())
        for row, (design, (mean, lo, hi)) in enumerate(rows):
            if not np.isfinite(mean):
                continue
            axes.errorbar(
                mean,
                row,
                xerr=[[max(mean - lo, 0)], [max(hi - mean, 0)]] if np.isfinite(lo) else None,
                fmt="o",
                color=colors[design],
                capsize=3,
            )
        axes.axvline(0, color="black", linewidth=0.8)
        axes.set_yticks(range(len(rows)), [d for d, _ in rows], fontsize=7)
        axes.set_ylim(-0.6, len(rows) - 0.4)
        axes.invert_yaxis()
        unit_axis(axes.xaxis, unit, signed=True, nbins=4)
        axes.tick_params(axis="x", labelsize=7)
        axes.set_title(name, fontsize=9, loc="left")
        axes.grid(axis="x", alpha=0.3)
    figure.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
    return figure


@literal_text
def attribution_lines(
    years: Sequence[int],
    parts: Mapping[str, Band],
    *,
    title: str,
    unit: str,
) -> Figure:
    """Each mechanism's share of a difference by year, with its 95% interval."""
    figure = _figure(7.5, 3.6)
    axes = figure.add_subplot()
    colors = design_colors(list(parts))
    x = np.asarray(years, dtype=float)
    for name, (mean, lo, hi) in parts.items():
        axes.fill_between(x, lo, hi, color=colors[name], alpha=0.15, linewidth=0)
        axes.plot(x, mean, color=colors[name], marker="o", markersize=3, linewidth=1.6, label=name)
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(list(years))
    axes.set_xlabel("year")
    unit_axis(axes.yaxis, unit, signed=True)
    axes.set_title(title, loc="left", fontweight="bold", fontsize=10)
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return figure


@literal_text
def waterfall(
    start_label: str,
    start: float,
    steps: Sequence[tuple[str, float]],
    end_label: str,
    *,
    title: str,
    percent: bool,
) -> Figure:
    """A bridge from one value to another through signed contributions (attribution)."""
    figure = _figure(7.5, 4.0)
    axes = figure.add_subplot()
    labels = [start_label, *(name for name, _ in steps), end_label]
    levels = [start]
    for _, delta in steps:
        levels.append(levels[-1] + delta)
    end = levels[-1]

    def fmt(value: float, signed: bool) -> str:
        if percent:
            return format_value(value, "pts" if signed else "%", signed=signed)
        return format_value(value, "$", signed=signed)

    axes.bar(0, start, color="#999999")
    axes.annotate(
        fmt(start, False),
        (0, start),
        ha="center",
        va="bottom",
        fontsize=7,
        xytext=(0, 3),
        textcoords="offset points",
    )
    for i, (_, delta) in enumerate(steps, start=1):
        before, after = levels[i - 1], levels[i]
        axes.bar(i, delta, bottom=before, color="#009E73" if delta >= 0 else "#D55E00")
        axes.annotate(
            fmt(delta, True),
            (i, max(before, after)),
            ha="center",
            va="bottom",
            fontsize=7,
            xytext=(0, 3),
            textcoords="offset points",
        )
    axes.bar(len(labels) - 1, end, color="#0072B2")
    axes.annotate(
        fmt(end, False),
        (len(labels) - 1, end),
        ha="center",
        va="bottom",
        fontsize=7,
        xytext=(0, 3),
        textcoords="offset points",
    )
    axes.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
    low, high = min(levels), max(levels)
    pad = max((high - low) * 0.6, abs(high) * 0.01, 1e-9)
    if percent:
        unit_axis(axes.yaxis, "%")
        axes.set_ylim(low - pad, high + pad)
    else:
        unit_axis(axes.yaxis, "$")
        axes.set_ylim(min(0.0, low - pad), high + pad)
    axes.set_title(title, loc="left", fontweight="bold")
    axes.grid(axis="y", alpha=0.3)
    return figure


def net_value_axes(axes: object, title: str, *, signed: bool = False) -> None:
    """Label a cumulative net-value chart: years across, dollars up, a bold title, a legend.

    Args:
        axes: The chart's axes (``matplotlib.axes.Axes``).
        title: What the line is, e.g. "Cumulative net value of the CCO org ...".
        signed: Dollar ticks with an explicit + for gains.
    """
    axes.set_xlabel("year")  # type: ignore[attr-defined]
    axes.set_ylabel("cumulative net value")  # type: ignore[attr-defined]
    unit_axis(axes.yaxis, "$", signed=signed)  # type: ignore[attr-defined]
    axes.set_title(title, loc="left", fontweight="bold", fontsize=10)  # type: ignore[attr-defined]
    axes.legend(frameon=False, fontsize=8)  # type: ignore[attr-defined]
    axes.grid(alpha=0.3)  # type: ignore[attr-defined]


def save_figure(figure: Figure, path: str | Path, *, dpi: int = 130) -> None:
    """Save by suffix, keeping text as text: editable in SVG, embedded TrueType in PDF."""
    make_literal(figure)
    with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        figure.savefig(path, dpi=dpi)
