"""The survival chart of ``ccosim calibrate retention --chart``: observed vs fitted cohorts."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ccosim.calibrate.retention import SbgFit
from ccosim.literal_text import literal_text, make_literal
from ccosim.output import write_bytes

__all__ = ["survival_figure", "write_survival_chart"]

COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
#: Cohorts named in the legend; beyond them the legend says how many more are drawn (a
#: 300-cohort legend squeezed the plot to nothing).
LEGEND_COHORTS = 12


@literal_text
def survival_figure(fits: Mapping[str, SbgFit], project: int) -> Figure:
    """Share of each cohort still active by year: observed points, fitted and projected line.

    Held-out periods (``--holdout``) are hollow points; the projection beyond the periods
    fitted is dashed (over the held-out periods too: that is what they test).
    """
    figure = Figure(figsize=(7.0, 4.2), layout="constrained")
    axes = figure.add_subplot()
    k = 0
    for seg, fit in fits.items():
        for name, used in fit.cohorts.items():
            color = COLORS[k % len(COLORS)]
            k += 1
            held = fit.holdout.get(name, [])
            observed = np.asarray([*used, *held], dtype=float) / used[0]
            periods = max(observed.size - 1, project)
            curve = fit.survival(periods)
            label = " ".join(x for x in (seg, name) if x and x != "cohort") or "cohort"
            label = label if k <= LEGEND_COHORTS else "_" + label  # "_": not in the legend
            n_used = len(used)
            last = n_used - 1  # the fit's last period: after it, the curve is a projection
            axes.plot(range(last + 1), curve[: last + 1], color=color, lw=1.8)
            axes.plot(range(last, periods + 1), curve[last:], color=color, lw=1.8, ls="--")
            axes.plot(range(n_used), observed[:n_used], "o", color=color, label=label)
            if held:
                axes.plot(
                    range(n_used, observed.size),
                    observed[n_used:],
                    "o",
                    mfc="white",
                    color=color,
                    label=f"{label}: held out",
                )
    axes.set_xlabel("years since the cohort started")
    axes.set_ylabel("still customers")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_ylim(0, 1.02)
    axes.grid(alpha=0.3)
    if k > LEGEND_COHORTS:
        axes.plot([], [], " ", label=f"+ {k - LEGEND_COHORTS} more cohorts, not labelled")
    axes.legend(fontsize=8, frameon=True)
    axes.set_title(
        "Cohort survival: observed (points), sBG fit (line), projection (dashed)",
        loc="left",
        fontweight="bold",
        fontsize=10,
    )
    return figure


def write_survival_chart(
    fits: Mapping[str, SbgFit], project: int, path: str | Path, *, force: bool = False
) -> Path:
    """Render :func:`survival_figure` to ``path`` (format from the suffix), atomically."""
    suffix = Path(path).suffix.lower().lstrip(".") or "png"
    buffer = io.BytesIO()
    figure = survival_figure(fits, project)
    make_literal(figure)  # segment and cohort names come from the user's file
    figure.savefig(buffer, format=suffix, dpi=130)
    return write_bytes(path, buffer.getvalue(), force=force)
