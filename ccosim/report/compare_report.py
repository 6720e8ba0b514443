"""The comparison report: what each design does to retention, bookings and cost.

:func:`build_report` turns a :class:`~ccosim.experiment.compare.Comparison` into a
:class:`~ccosim.report.document.Report`; :func:`write_report` writes the whole folder
atomically: ``report.html`` (self-contained), ``report.md`` with ``figures/*.png``, and
``data/`` with tidy CSVs, ``results.json``, the resolved scenarios and the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ccosim._version import __version__
from ccosim.experiment.compare import LOWER_IS_BETTER, MECHANISMS, Comparison, headline
from ccosim.output import atomic_dir, write_text
from ccosim.report.assumptions_table import assumption_rows
from ccosim.report.document import FigureItem, Report, Section, Table, render_html, write_markdown
from ccosim.report.figures import (
    bookings_mix,
    fan_chart,
    waterfall,
    yearly_lines,
)
from ccosim.report.provenance import write_provenance
from ccosim.results import PRIMARY_MEASUREMENTS
from ccosim.tabular import csv_text

__all__ = ["HEADLINE_KPIS", "build_report", "fmt", "write_report"]

#: KPI -> format of the headline table.
HEADLINE_KPIS: dict[str, str] = {
    "arr": "money",
    "grr": "pct",
    "nrr": "pct",
    "logo_retention": "pct",
    "ltv_to_cac": "ratio",
    "org_cost": "money",
    "headcount": "count",
}
LABELS = {
    "arr": "ARR",
    "grr": "GRR",
    "nrr": "NRR",
    "logo_retention": "logo retention",
    "ltv_to_cac": "LTV:CAC",
    "org_cost": "org cost / year",
    "headcount": "headcount",
    "cost_per_retained_arr": "post-sales cost per $ retained ARR",
}
POST_SALES = (
    "customer_success",
    "support",
    "onboarding",
    "training",
    "professional_services",
    "renewals",
    "customer_marketing",
    "sales_consulting",
)

OrgChartMaker = Callable[[Any], Figure]


def fmt(value: float | None, kind: str, *, signed: bool = False) -> str:
    """Format a number for a table: money in M/k, percentages, ratios, counts."""
    if value is None or not np.isfinite(value):
        return "n/a"
    sign = "+" if signed and value >= 0 else ""
    if kind == "pct":
        return f"{sign}{value * 100:.1f} pts" if signed else f"{value:.1%}"
    if kind == "money":
        scaled = f"{value / 1e6:,.2f}M" if abs(value) >= 1e6 else f"{value / 1e3:,.0f}k"
        return sign + scaled
    if kind == "count":
        return f"{sign}{value:,.0f}"
    return f"{sign}{value:,.2f}"


def _years_shown(years: Sequence[int]) -> list[int]:
    last = years[-1]
    return sorted({y for y in (1, 3, 5, 9) if y <= last} | {last})


def _cost_per_retained_arr(comparison: Comparison, label: str) -> np.ndarray:
    """Post-sales org cost per dollar of ARR kept from the year's starting base (runs x years)."""
    yearly = comparison.results[label].yearly
    cost = sum(yearly[f"cost_{f}"] for f in POST_SALES if f"cost_{f}" in yearly)
    retained = yearly["grr"] * yearly["arr_start_of_year"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(retained > 0, cost / retained, np.nan)


def build_report(comparison: Comparison, *, org_chart: OrgChartMaker | None = None) -> Report:
    """Assemble every section of the comparison report."""
    c = comparison
    years = list(c.years)
    last = years[-1]
    shown = _years_shown(years)
    labels = c.labels
    sections: list[Section] = []

    # Headline.
    final_rows = []
    for label in labels:
        r = c.results[label]
        row = [label + (" (baseline)" if label == c.baseline else "")]
        for kpi, kind in HEADLINE_KPIS.items():
            iv = r.interval(kpi)
            row.append(
                f"{fmt(iv.mean[-1], kind)} ({fmt(iv.lo[-1], kind)} to {fmt(iv.hi[-1], kind)})"
            )
        final_rows.append(row)
    delta_rows = []
    for label in labels:
        if label == c.baseline:
            continue
        row = [label]
        for kpi, kind in HEADLINE_KPIS.items():
            d = c.delta(label, kpi)
            row.append(
                f"{fmt(d.mean[-1], kind, signed=True)} "
                f"({fmt(d.lo[-1], kind, signed=True)} to {fmt(d.hi[-1], kind, signed=True)})"
                f", better in {d.share_better[-1]:.0%}"
            )
        delta_rows.append(row)
    best = max(labels, key=lambda lb: c.results[lb].mean("nrr")[-1])
    cheapest = min(labels, key=lambda lb: c.results[lb].mean("org_cost")[-1])
    summary = (
        f"{len(labels)} designs, {c.runs} replications each on common random numbers (seed "
        f"{c.seed}), {last} years. Highest NRR in year {last}: {best}. Lowest org cost: "
        f"{cheapest}. Intervals are 95%; 'better in' is the share of replications in which the "
        f"design beat the baseline, {c.baseline}."
    )
    sections.append(
        Section(
            "Headline",
            paragraphs=[summary],
            tables=[
                Table(
                    ["design", *(LABELS[k] for k in HEADLINE_KPIS)],
                    final_rows,
                    caption=f"Year {last}: mean (95% interval)",
                ),
                Table(
                    ["design", *(LABELS[k] for k in HEADLINE_KPIS)],
                    delta_rows,
                    caption=f"Year {last}: difference from {c.baseline} (paired, 95% interval)",
                    note="Percentages differ in points. Lower org cost and headcount count as "
                    "better.",
                ),
            ],
        )
    )

    by_year_tables = []
    for kpi, kind in HEADLINE_KPIS.items():
        rows = []
        for label in labels:
            iv = c.results[label].interval(kpi)
            rows.append(
                [
                    label,
                    *(
                        f"{fmt(iv.mean[y - 1], kind)} ± "
                        f"{fmt((iv.hi[y - 1] - iv.lo[y - 1]) / 2, kind)}".replace("± +", "± ")
                        for y in shown
                    ),
                ]
            )
        by_year_tables.append(
            Table(["design", *(f"year {y}" for y in shown)], rows, caption=LABELS[kpi])
        )
    sections.append(Section("Headline KPIs by year", tables=by_year_tables))

    # ARR and retention.
    months = np.arange(next(iter(c.results.values())).monthly["arr"].shape[1])
    bands = {}
    for label in labels:
        arr = c.results[label].monthly["arr"]
        lo, hi = np.percentile(arr, [2.5, 97.5], axis=0)
        bands[label] = (arr.mean(axis=0), lo, hi)
    grr = {lb: _band(c, lb, "grr") for lb in labels}
    nrr = {lb: _band(c, lb, "nrr") for lb in labels}
    sections.append(
        Section(
            "ARR and retention",
            paragraphs=[
                "ARR by month: the line is the mean over replications, the band holds the "
                "middle 95% of replications. GRR and NRR are measured each year over the "
                "accounts that existed at its start (ccosim/metrics.py)."
            ],
            figures=[
                FigureItem(
                    "arr_fan",
                    fan_chart(months, bands, title="ARR", ylabel="ARR"),
                    "ARR by design: mean and the middle 95% of replications.",
                ),
                FigureItem(
                    "grr_by_year",
                    yearly_lines(years, grr, title="Gross revenue retention", ylabel="GRR"),
                    "GRR by year, 95% intervals.",
                ),
                FigureItem(
                    "nrr_by_year",
                    yearly_lines(years, nrr, title="Net revenue retention", ylabel="NRR"),
                    "NRR by year, 95% intervals.",
                ),
            ],
        )
    )

    # Bookings (Figure 15.3).
    new = {lb: c.results[lb].mean("bookings_new") for lb in labels}
    ib = {lb: c.results[lb].mean("bookings_installed_base") for lb in labels}
    ratios = [
        [
            lb,
            *(
                fmt(ib[lb][y - 1] / new[lb][y - 1] if new[lb][y - 1] else np.nan, "ratio")
                for y in shown
            ),
        ]
        for lb in labels
    ]
    sections.append(
        Section(
            "Bookings: the CCO's quota and the Sales quota",
            paragraphs=[
                "Installed-base bookings (renewals and upsell: the CCO's quota) against "
                "new-business bookings (the Sales quota). In a growing recurring-revenue "
                "company the installed base overtakes new business within a few years "
                "(Figure 15.3 of the source text); the ratio is printed on each bar."
            ],
            tables=[
                Table(
                    ["design", *(f"year {y}" for y in shown)],
                    ratios,
                    caption="Installed-base bookings / new-business bookings",
                )
            ],
            figures=[
                FigureItem(
                    "bookings", bookings_mix(years, new, ib), "Mean bookings per year by design."
                )
            ],
        )
    )

    # People and cost.
    sections.append(
        Section(
            "Headcount and cost by function",
            paragraphs=[
                "Loaded cost by function in the final year (filled heads x loaded cost), "
                "and what the post-sales organization costs per dollar of ARR it keeps."
            ],
            tables=[_cost_table(c, labels), _cost_per_retained_table(c, labels, shown)],
            figures=[
                FigureItem(
                    "cost_by_function",
                    _cost_figure(c, labels),
                    f"Org cost by function in year {last}.",
                )
            ],
        )
    )

    # Health mix.
    sections.append(
        Section(
            "Customer health",
            paragraphs=[
                "Share of accounts in each health band (red 0-50, yellow 51-75, green "
                "76-100 by default; assumptions.health_bands) over time, mean of the "
                "replications."
            ],
            figures=[
                FigureItem(
                    "health_mix", _health_figure(c, labels), "Health mix by month and design."
                )
            ],
        )
    )

    # Primary measurements.
    rows = []
    for function, keys in PRIMARY_MEASUREMENTS.items():
        for key in keys:
            if key not in c.results[labels[0]].yearly:
                continue
            kind = (
                "pct"
                if key
                in (
                    "grr",
                    "nrr",
                    "csm_coverage",
                    "ps_utilization",
                    "installed_base_quota_attainment",
                )
                else (
                    "money" if key.startswith("bookings") or key.endswith("per_ticket") else "ratio"
                )
            )
            rows.append(
                [
                    function.replace("_", " "),
                    key,
                    *(fmt(c.results[lb].mean(key)[-1], kind) for lb in labels),
                ]
            )
    sections.append(
        Section(
            "Each function's primary measurement",
            paragraphs=[
                "Every function is judged by its own measure (DOMAIN.md): utilization for "
                "professional services, time-to-value for onboarding, tickets per rep and "
                f"cost per ticket for support, and so on. Values for year {last}."
            ],
            tables=[Table(["function", "measure", *labels], rows)],
        )
    )

    # Org charts.
    if org_chart is not None:
        sections.append(
            Section(
                "The org charts",
                paragraphs=[
                    "Each design's reporting lines at month 0; functions keep one colour "
                    "on every chart."
                ],
                figures=[
                    FigureItem(f"org_{d.label}", org_chart(d.scenario), d.label) for d in c.designs
                ],
            )
        )

    # Attribution.
    if c.variants:
        figures, paragraphs = [], []
        for label in labels:
            if label == c.baseline:
                continue
            for kpi in ("grr", "nrr"):
                parts = c.attribution(label, kpi, last)
                start = float(np.nanmean(c.results[c.baseline].yearly[kpi][:, -1]))
                figures.append(
                    FigureItem(
                        f"attribution_{label}_{kpi}",
                        waterfall(
                            f"{c.baseline}",
                            start,
                            parts,
                            label,
                            title=f"{kpi.upper()} in year {last}: {c.baseline} -> {label}",
                            percent=True,
                        ),
                        f"What carries {label}'s {kpi.upper()} difference from {c.baseline}.",
                    )
                )
        paragraphs.append(
            "Each org-structure mechanism is switched off in turn, in both designs, and the "
            "difference is measured again on the same random numbers; the part that "
            "disappears is that mechanism's share. 'Staffing, service and the rest' is what no "
            "switch removes: team sizes and service capacity (e.g. having a customer success "
            "team at all) and interactions between mechanisms. Mechanisms: "
            + ", ".join(MECHANISMS.values())
            + "."
        )
        sections.append(
            Section("Why the designs differ (attribution)", paragraphs=paragraphs, figures=figures)
        )

    # Assumptions.
    tables = []
    for d in c.designs:
        rows_a = assumption_rows(d.scenario)
        changed = [r for r in rows_a if r[2]]
        tables.append(
            Table(
                ["assumption", "value", "changed from default"],
                [[k, v, "CHANGED" if ch else ""] for k, v, ch in rows_a],
                caption=f"{d.label}: {len(changed)} of {len(rows_a)} assumptions changed",
            )
        )
    sections.append(
        Section(
            "Assumptions in force",
            paragraphs=[
                "Every knob of the model as it was run, with the ones that differ from "
                "ccosim's documented defaults (docs/model.md) marked. Overrides given on "
                "the command line: " + (", ".join(c.overrides) or "none") + "."
            ],
            tables=tables,
        )
    )

    return Report(
        title="ccosim comparison: " + " vs ".join(labels),
        subtitle=(
            f"{len(labels)} org designs on the same simulated customers: {c.runs} runs, "
            f"seed {c.seed}, {last} years, baseline {c.baseline}"
        ),
        sections=sections,
        footer=(
            f"Made by ccosim {__version__}. Seed {c.seed}, {c.runs} runs. The resolved "
            "scenarios, their hashes and every number are in data/."
        ),
    )


def _band(c: Comparison, label: str, kpi: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    iv = c.results[label].interval(kpi)
    return iv.mean, iv.lo, iv.hi


def _cost_table(c: Comparison, labels: list[str]) -> Table:
    functions = sorted({k[5:] for k in c.results[labels[0]].yearly if k.startswith("cost_")})
    rows = [
        [f.replace("_", " "), *(fmt(c.results[lb].mean(f"cost_{f}")[-1], "money") for lb in labels)]
        for f in functions
    ]
    rows.append(["total", *(fmt(c.results[lb].mean("org_cost")[-1], "money") for lb in labels)])
    rows.append(
        ["headcount", *(fmt(c.results[lb].mean("headcount")[-1], "count") for lb in labels)]
    )
    return Table(["function", *labels], rows, caption="Loaded cost by function, final year")


def _cost_per_retained_table(c: Comparison, labels: list[str], shown: list[int]) -> Table:
    rows = []
    for lb in labels:
        values = np.nanmean(_cost_per_retained_arr(c, lb), axis=0)
        rows.append([lb, *(f"${values[y - 1]:.3f}" for y in shown)])
    return Table(
        ["design", *(f"year {y}" for y in shown)],
        rows,
        caption="Post-sales org cost per $ of retained ARR",
        note="Cost of customer success, support, onboarding, training, professional "
        "services, renewals, customer marketing and sales consulting, divided by "
        "the ARR kept from the accounts at the start of the year (GRR x starting "
        "ARR). Lower is better.",
    )


def _cost_figure(c: Comparison, labels: list[str]) -> Figure:
    """Stacked cost of the post-sales functions and executives; the rest in one grey block."""
    color = _function_colors()
    yearly = c.results[labels[0]].yearly
    shown = [f for f in (*POST_SALES, "executive") if f"cost_{f}" in yearly]
    figure = Figure(figsize=(7.5, 4.4), layout="constrained")
    axes = figure.add_subplot()
    bottom = np.zeros(len(labels))
    total = np.array([c.results[lb].mean("org_cost")[-1] for lb in labels])
    for f in shown:
        values = np.array([c.results[lb].mean(f"cost_{f}")[-1] for lb in labels])
        axes.bar(
            labels,
            values,
            bottom=bottom,
            color=color(f),
            label=f.replace("_", " "),
            edgecolor="white",
            linewidth=0.5,
        )
        bottom += values
    axes.bar(
        labels,
        total - bottom,
        bottom=bottom,
        color="#DDDDDD",
        label="sales, marketing, R&D, G&A",
        edgecolor="white",
        linewidth=0.5,
    )
    for x, value in enumerate(total):
        axes.annotate(
            f"{value / 1e6:,.1f}M",
            (x, value),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    axes.set_ylabel("loaded cost / year")
    axes.yaxis.set_major_formatter(lambda v, _p: f"{v / 1e6:,.0f}M")
    axes.tick_params(axis="x", labelsize=8, rotation=15)
    handles, names = axes.get_legend_handles_labels()
    axes.legend(
        handles[::-1],
        names[::-1],
        fontsize=7,
        frameon=False,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
    )
    axes.set_title("Org cost by function (final year)", loc="left", fontweight="bold")
    return figure


def _health_figure(c: Comparison, labels: list[str]) -> Figure:
    columns = min(len(labels), 3)
    rows = int(np.ceil(len(labels) / columns))
    figure = Figure(figsize=(3.2 * columns + 0.6, 2.5 * rows + 0.5), layout="constrained")
    for i, lb in enumerate(labels):
        axes = figure.add_subplot(rows, columns, i + 1)
        monthly = c.results[lb].monthly
        x = np.arange(monthly["red_share"].shape[1]) / 12
        stack = [monthly[k].mean(axis=0) for k in ("red_share", "yellow_share", "green_share")]
        axes.stackplot(
            x, *stack, colors=["#D55E00", "#F0E442", "#009E73"], labels=["red", "yellow", "green"]
        )
        axes.set_ylim(0, 1)
        axes.set_xlim(x[0], x[-1])
        axes.set_title(lb, fontsize=9, loc="left")
        axes.tick_params(labelsize=7)
        axes.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
        if i == 0:
            axes.legend(fontsize=7, frameon=True, loc="lower left")
    figure.suptitle(
        "Health mix (share of accounts)", x=0.01, ha="left", fontweight="bold", fontsize=10
    )
    return figure


def _csv(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    return csv_text(header, rows)


def write_report(
    comparison: Comparison,
    folder: str | Path,
    *,
    force: bool = False,
    org_chart: OrgChartMaker | None = None,
    command: Sequence[str] | None = None,
) -> Path:
    """Write the report folder atomically; refuses an existing folder unless ``force``."""
    folder = Path(folder)
    report = build_report(comparison, org_chart=org_chart)
    c = comparison
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "report.html", render_html(report))
        write_text(tmp / "report.md", write_markdown(report, tmp))
        data = tmp / "data"
        yearly_rows = [
            (lb, rep, year, kpi, float(values[rep, year - 1]))
            for lb in c.labels
            for kpi, values in c.results[lb].yearly.items()
            for rep in range(values.shape[0])
            for year in c.years
        ]
        write_text(
            data / "kpis_yearly.csv",
            _csv(yearly_rows, ["scenario", "replication", "year", "kpi", "value"]),
        )
        segment_rows = [(lb, *row[1:]) for lb in c.labels for row in c.results[lb].segment_rows()]
        write_text(
            data / "kpis_by_segment.csv",
            _csv(segment_rows, ["scenario", "segment", "replication", "year", "kpi", "value"]),
        )
        monthly_rows = [
            (lb, rep, month, measure, float(values[rep, month]))
            for lb in c.labels
            for measure, values in c.results[lb].monthly.items()
            for rep in range(values.shape[0])
            for month in range(values.shape[1])
        ]
        write_text(
            data / "series_monthly.csv",
            _csv(monthly_rows, ["scenario", "replication", "month", "measure", "value"]),
        )
        payload = {
            "ccosim_version": __version__,
            "seed": c.seed,
            "runs": c.runs,
            "baseline": c.baseline,
            "years": list(c.years),
            "designs": {lb: c.results[lb].to_dict() for lb in c.labels},
            "headline": headline(c, HEADLINE_KPIS, list(c.years)),
            "attribution": {
                lb: {
                    kpi: dict(c.attribution(lb, kpi, c.years[-1])) for kpi in ("grr", "nrr", "arr")
                }
                for lb in c.labels
                if lb != c.baseline
            }
            if c.variants
            else {},
            "lower_is_better": sorted(LOWER_IS_BETTER),
        }
        write_text(
            data / "results.json", json.dumps(_finite(payload), indent=1, allow_nan=False) + "\n"
        )
        write_provenance(
            data,
            [(d.label, d.scenario) for d in c.designs],
            [d.source for d in c.designs],
            seed=c.seed,
            runs=c.runs,
            command=command,
            overrides=c.overrides,
        )
    return folder


def _finite(value: Any) -> Any:
    """JSON has no NaN: undefined numbers (e.g. NRR of an empty cohort) become null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value


#: Colours for the functions a comparison is about, used until ccosim.palette exists.
_FALLBACK_COLORS = {
    "customer_success": "#0072B2",
    "support": "#56B4E9",
    "onboarding": "#009E73",
    "training": "#F0E442",
    "professional_services": "#E69F00",
    "renewals": "#D55E00",
    "customer_marketing": "#CC79A7",
    "sales_consulting": "#882255",
    "executive": "#333333",
}


def _function_colors() -> Callable[[str], Any]:
    """The org charts' function colours when available, so both read the same way."""
    try:
        from ccosim.palette import function_color
    except ImportError:  # the palette ships with the org-chart module
        return lambda f: _FALLBACK_COLORS.get(f, "#BBBBBB")
    return function_color
