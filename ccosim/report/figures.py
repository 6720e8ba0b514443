"""Report figures, each a ``matplotlib.figure.Figure`` built from plain arrays (no pyplot).

Designs keep one colour across every figure of a report (:func:`design_colors`); money is
shown in millions; intervals are drawn as shaded bands or whiskers and labelled as 95%.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ccosim.report.literal_text import literal_text, make_literal

__all__ = [
    "DESIGN_COLORS",
    "bookings_mix",
    "design_colors",
    "fan_chart",
    "save_figure",
    "tornado",
    "waterfall",
    "yearly_lines",
]

#: Colour-blind-safe categorical colours (Okabe and Ito) for designs in a comparison.
DESIGN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

Band = tuple[np.ndarray, np.ndarray, np.ndarray]  # mean, lo, hi


def design_colors(names: Sequence[str]) -> dict[str, str]:
    """A colour per design, in order, repeating past seven designs."""
    return {name: DESIGN_COLORS[i % len(DESIGN_COLORS)] for i, name in enumerate(names)}


def _millions(value: float, _pos: int) -> str:
    return f"{value / 1e6:,.0f}M" if abs(value) >= 1e6 else f"{value / 1e3:,.0f}k"


def _figure(width: float = 7.5, height: float = 4.2) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


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
    if money:
        axes.yaxis.set_major_formatter(FuncFormatter(_millions))
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=8, title="mean and 95% interval", title_fontsize=8)
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
    if percent:
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.grid(alpha=0.3)
    axes.legend(frameon=False, fontsize=8)
    return figure


@literal_text
def bookings_mix(
    years: Sequence[int],
    new_business: Mapping[str, np.ndarray],
    installed_base: Mapping[str, np.ndarray],
) -> Figure:
    """Installed-base vs new-business bookings per design (the shape of Figure 15.3).

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
        axes.yaxis.set_major_formatter(FuncFormatter(_millions))
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
    swings: Mapping[str, tuple[float, float]], base: float, *, kpi_label: str, percent: bool
) -> Figure:
    """Each varied assumption's range of a KPI, widest at the top, around the base value.

    Args:
        swings: assumption -> (KPI at its lowest setting, KPI at its highest setting).
        base: The KPI with every assumption at its middle setting (the vertical line).
        kpi_label: What the KPI is, e.g. "NRR in year 9".
        percent: Format the axis as percentages.
    """
    ordered = sorted(swings.items(), key=lambda kv: abs(kv[1][1] - kv[1][0]))
    figure = _figure(7.5, 0.45 * len(ordered) + 1.4)
    axes = figure.add_subplot()
    for row, (_, (low_setting, high_setting)) in enumerate(ordered):
        axes.barh(row, low_setting - base, left=base, color="#D55E00", height=0.6)
        axes.barh(row, high_setting - base, left=base, color="#0072B2", height=0.6)
        if low_setting == high_setting:
            axes.annotate(
                "no effect",
                (base, row),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color="#555555",
            )
    axes.axvline(base, color="black", linewidth=1)
    axes.set_yticks(range(len(ordered)), [name for name, _ in ordered], fontsize=8)
    axes.set_xlabel(kpi_label)
    if percent:
        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    axes.set_title(f"Sensitivity of {kpi_label}", loc="left", fontweight="bold")
    handles = [Patch(color=c) for c in ("#D55E00", "#0072B2")]
    axes.legend(
        handles, ["lowest setting", "highest setting"], frameon=False, fontsize=8, loc="lower right"
    )
    axes.grid(axis="x", alpha=0.3)
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
            return f"{value:+.1%}" if signed else f"{value:.1%}"
        return ("+" if signed and value >= 0 else "") + _millions(value, 0)

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
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        axes.set_ylim(low - pad, high + pad)
    else:
        axes.yaxis.set_major_formatter(FuncFormatter(_millions))
        axes.set_ylim(min(0.0, low - pad), high + pad)
    axes.set_title(title, loc="left", fontweight="bold")
    axes.grid(axis="y", alpha=0.3)
    return figure


def save_figure(figure: Figure, path: str | Path, *, dpi: int = 130) -> None:
    """Save by suffix, keeping text as text: editable in SVG, embedded TrueType in PDF."""
    make_literal(figure)
    with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        figure.savefig(path, dpi=dpi)
