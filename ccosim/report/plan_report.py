"""The plan folder: headcount plan, requisitions, budget and quota tables, a chart, provenance.

``ccosim plan`` writes::

    headcount_plan.csv      per unit and quarter: heads in post, open requisitions, hires
                            (new, backfill), leavers, loaded cost
    requisitions.csv        one row per planned hire
    budget.csv              per function and quarter: heads, hires, loaded cost; one-time costs
    quota_capacity.csv      per quarter: new-business vs installed-base quota and bookings
    headcount_by_function.png
    datapackage.json        what every column means (Frictionless Data Package)
    tables.xlsx             with --format xlsx: the same tables, one sheet each
    manifest.json, scenarios/<label>.resolved.yaml   what produced the numbers
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ccosim.experiment.plan_tables import (
    BUDGET_COLUMNS,
    QUOTA_COLUMNS,
    REQUISITION_COLUMNS,
    UNIT_COLUMNS,
    HeadcountPlan,
)
from ccosim.formatting import unit_axis
from ccosim.functions import function_label
from ccosim.literal_text import literal_text
from ccosim.palette import function_color
from ccosim.report.data import DataTable, write_tables
from ccosim.report.figures import save_figure
from ccosim.report.provenance import write_provenance

__all__ = ["CHART", "headcount_chart", "plan_tables", "quarter_labels", "write_plan"]

#: The chart's file name in the plan folder.
CHART = "headcount_by_function.png"


def _table(
    name: str, description: str, columns: Mapping[str, tuple[str, str]], rows: Iterable[dict]
) -> DataTable:
    header = list(columns)
    return DataTable(
        name,
        description,
        header,
        [[_cell(row[c]) for c in header] for row in rows],
        extra_fields=dict(columns),
    )


def _cell(value: Any) -> Any:
    """Floats rounded for a spreadsheet (cents; 1e-9 of a head is noise), others as they are."""
    if isinstance(value, (float, np.floating)):
        return round(float(value), 4) if abs(value) < 1e4 else round(float(value), 2)
    return value


def plan_tables(plan: HeadcountPlan) -> list[DataTable]:
    """The plan's four tables, described for the data package."""
    return [
        _table(
            "headcount_plan",
            "Per unit and quarter: heads in post, open requisitions, hires split into new "
            "seats and backfills, leavers and loaded cost. Means over runs; _lo/_hi: the "
            "middle 95% of runs (customer randomness).",
            UNIT_COLUMNS,
            plan.unit_rows(),
        ),
        _table(
            "requisitions",
            "One row per planned hire; per quarter and unit the rows add up to the hires of "
            "headcount_plan.csv.",
            REQUISITION_COLUMNS,
            plan.requisition_rows(),
        ),
        _table(
            "budget",
            "Per function and quarter: heads in post, planned hires and loaded cost; an all "
            "row per quarter with the one-time costs (search fees, severance).",
            BUDGET_COLUMNS,
            plan.budget_rows(),
        ),
        _table(
            "quota_capacity",
            "Per quarter: the Sales quota (new business) against the installed-base quota "
            "(renewals and upsell), bookings of each, and the heads who carry them.",
            QUOTA_COLUMNS,
            plan.quota_rows(),
        ),
    ]


def quarter_labels(plan: HeadcountPlan, dated: str = "Q{q}\n{month}") -> list[str]:
    """Quarter labels: ``Q1`` and, with a start date, the quarter's first month (``dated``).

    The default puts the month below the quarter, for a chart's ticks; a table's header
    uses ``"Q{q} ({month})"``.
    """
    out = []
    for q in range(1, plan.quarters + 1):
        starts = plan.starts(q)
        out.append(dated.format(q=q, month=starts[:7]) if starts else f"Q{q}")
    return out


def _change_months(plan: HeadcountPlan) -> list[int]:
    """Months within the plan at which a timeline period begins."""
    end = 3 * plan.quarters
    return [e.month for e in plan.run.params.epochs if 0 < e.month < end]


@literal_text
def headcount_chart(plan: HeadcountPlan, *, title: str) -> Figure:
    """Stacked bars: mean heads in post at each quarter's end, by function.

    Args:
        plan: The plan.
        title: The design's name (shortened to fit, under the chart's own title).
    """
    heads = plan.heads_by_function()
    labels = quarter_labels(plan)
    x = np.arange(len(labels))
    figure = Figure(figsize=(8.5, 4.8), layout="constrained")
    axes = figure.add_subplot()
    bottom = np.zeros(len(labels))
    for function, values in heads.items():
        axes.bar(
            x,
            values,
            bottom=bottom,
            color=function_color(function),
            edgecolor="white",
            linewidth=0.4,
            label=function_label(function),
        )
        bottom += values
    for xi, total in zip(x, bottom, strict=True):
        axes.annotate(
            f"{total:,.0f}",
            (xi, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    top = bottom.max() * 1.15 if bottom.size else 1.0
    for month in _change_months(plan):
        # Bars stand at quarter centres: month m sits m/3 - 0.5 along the axis.
        at = month / 3 - 0.5
        axes.axvline(at, color="#555555", linestyle=":", linewidth=1, label="_change")
        axes.annotate(
            f"month {month}",
            (at, top),
            xytext=(2, -2),
            textcoords="offset points",
            va="top",
            fontsize=7,
            color="#555555",
        )
    axes.set_xticks(x, labels, fontsize=8)
    axes.set_ylabel("heads in post at quarter end (mean of runs)")
    unit_axis(axes.yaxis, "count")
    axes.set_ylim(0, top)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.set_title(
        f"Heads in post by function at each quarter's end (mean of {plan.run.runs} runs)",
        loc="left",
        fontweight="bold",
        fontsize=10,
        pad=18,
    )
    axes.text(
        0,
        1.015,
        textwrap.shorten(title, 110, placeholder="..."),
        transform=axes.transAxes,
        fontsize=8,
        color="#444444",
    )
    handles, names = axes.get_legend_handles_labels()
    handles, names = handles[::-1], names[::-1]
    if _change_months(plan):
        handles.append(Line2D([], [], color="#555555", linestyle=":", linewidth=1))
        names.append("org change (timeline)")
    axes.legend(
        handles,
        names,
        frameon=False,
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )
    return figure


def write_plan(
    plan: HeadcountPlan,
    folder: Path,
    *,
    label: str,
    source: str,
    command: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    formats: Sequence[str] = (),
) -> None:
    """Write the plan's tables, chart and provenance into ``folder`` (already claimed).

    Args:
        plan: The plan.
        folder: An empty folder (e.g. from :func:`ccosim.output.atomic_dir`).
        label: The design's label (names its resolved scenario file).
        source: Where the scenario came from (its file, or the two files and hire month).
        command: The command line (for the manifest).
        overrides: ``--set`` values (for the manifest).
        formats: Also ``xlsx`` (``tables.xlsx``, a sheet per table).
    """
    run = plan.run
    write_tables(
        folder,
        plan_tables(plan),
        title=f"ccosim headcount plan: {run.scenario.name}",
        formats=formats,
    )
    figure = headcount_chart(plan, title=run.scenario.name)
    save_figure(figure, folder / CHART)
    write_provenance(
        folder,
        [(label, run.scenario)],
        [source],
        seed=run.seed,
        runs=run.runs,
        command=command,
        overrides=overrides,
    )
