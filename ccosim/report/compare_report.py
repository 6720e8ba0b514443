"""The comparison report: what each design does to retention, bookings and cost.

:func:`build_report` turns a :class:`~ccosim.experiment.compare.Comparison` into a
:class:`~ccosim.report.document.Report`, one function per section, the executive summary
first; :func:`write_report` writes the whole folder atomically: ``report.html``
(self-contained), ``report.md`` with ``figures/*.png``, and ``data/`` (see
:mod:`ccosim.report.data`). Every number is formatted by its unit in the KPI catalogue
(:mod:`ccosim.kpis`, :mod:`ccosim.formatting`).

The summary has a slot for what assumption draws add (P(best), the EVPPI ranking): pass
``summary_parts`` to :func:`build_report`; each part is a function of the comparison that
returns a :class:`~ccosim.report.document.Section` whose paragraphs, tables and figures are
put into the summary before the ranking at the point values. ``draws``
(:class:`~ccosim.report.uncertainty_report.DrawsPart`) fills that slot with the answers of
``compare --draws``, adds the 'Decisions under uncertainty' section and its data files.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ccosim import kpis
from ccosim._version import __version__
from ccosim.experiment.compare import (
    REMAINDER,
    SWITCH_TITLES,
    TURNOVER,
    Comparison,
)
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.formatting import axis_formatter, format_kpi, format_value, unit_axis
from ccosim.functions import POST_SALES, Function, function_label
from ccosim.literal_text import literal_text
from ccosim.org.analytics import org_stats
from ccosim.org.graph import OrgGraph
from ccosim.output import atomic_dir, write_text
from ccosim.palette import function_color
from ccosim.report.arr_bridge import bridge_section
from ccosim.report.assumptions_table import compared_rows
from ccosim.report.board import BoardPage, board_html, board_section, compare_board
from ccosim.report.board import net_value_figure as board_net_value_figure
from ccosim.report.cohort_curves import cohort_section, cohort_table
from ccosim.report.data import write_comparison_data
from ccosim.report.document import FigureItem, Report, Section, Table, render_html, write_markdown
from ccosim.report.figures import (
    bookings_mix,
    fan_chart,
    waterfall,
    yearly_lines,
)
from ccosim.report.org_html import org_chart_html
from ccosim.report.plan_section import plan_data_tables, plan_section
from ccosim.report.sources_appendix import sources_section
from ccosim.report.summary import (
    MECHANISM_KEYS,
    SummaryPart,
    difference_figure,
    display_label,
    interval_text,
    net_value,
    slug,
    summary_section,
)
from ccosim.report.summary_pdf import write_summary_pdf
from ccosim.report.uncertainty_report import DrawsPart
from ccosim.report.xlsx_summary import add_summary_sheet
from ccosim.results import PRIMARY_MEASUREMENTS

__all__ = [
    "BoardPackWarning",
    "SummaryPart",
    "board_page",
    "build_report",
    "net_value",
    "org_differences",
    "write_report",
]

OrgChartMaker = Callable[[Any], Figure]


class BoardPackWarning(UserWarning):
    """A part of the board pack (``summary.pdf``) could not be made; the rest was written."""


def _years_shown(years: Sequence[int]) -> list[int]:
    last = years[-1]
    return sorted({y for y in (1, 3, 5, 9) if y <= last} | {last})


# ---- the details ------------------------------------------------------------------------


def _headline_section(c: Comparison) -> Section:
    last = c.years[-1]
    final_rows = []
    for label in c.labels:
        r = c.results[label]
        row = [display_label(c, label)]
        for kpi in kpis.HEADLINE:
            iv = r.interval(kpi)
            unit = kpis.get(kpi).unit
            row.append(interval_text(iv.mean[-1], iv.lo[-1], iv.hi[-1], unit))
        final_rows.append(row)
    delta_rows = []
    for label in c.labels:
        if label == c.baseline:
            continue
        row = [label]
        for kpi in kpis.HEADLINE:
            d = c.delta(label, kpi)
            unit = kpis.get(kpi).difference_unit
            cell = interval_text(d.mean[-1], d.lo[-1], d.hi[-1], unit, signed=True)
            if c.paired and np.isfinite(d.share_better[-1]):
                cell += f", better in {d.share_better[-1]:.0%} of runs"
            row.append(cell)
        delta_rows.append(row)
    kind = "paired" if c.paired else "NOT paired (Welch)"
    return Section(
        "Headline KPIs",
        tables=[
            Table(
                ["design", *(kpis.label(k) for k in kpis.HEADLINE)],
                final_rows,
                caption=f"Year {last}: mean (95% interval over {c.runs} runs: customer "
                "randomness only)",
            ),
            Table(
                ["design", *(kpis.label(k) for k in kpis.HEADLINE)],
                delta_rows,
                caption=f"Year {last}: difference from {c.baseline} ({kind} 95% interval: "
                "customer randomness only)",
                note="Shares differ in percentage points (pts). Lower org cost and headcount "
                "count as better.",
            ),
        ],
    )


def _by_year_section(c: Comparison) -> Section:
    shown = _years_shown(list(c.years))
    tables = []
    for kpi in kpis.HEADLINE:
        unit = kpis.get(kpi).unit
        rows = []
        for label in c.labels:
            iv = c.results[label].interval(kpi)
            cells = []
            for y in shown:
                mean, half = iv.mean[y - 1], (iv.hi[y - 1] - iv.lo[y - 1]) / 2
                spread = format_value(half, kpis.difference_unit(unit))
                cells.append(format_value(mean, unit) + (f" ± {spread}" if half > 0 else ""))
            rows.append([label, *cells])
        tables.append(
            Table(["design", *(f"year {y}" for y in shown)], rows, caption=kpis.label(kpi))
        )
    return Section(
        "Headline KPIs by year",
        paragraphs=[
            f"Mean ± half the 95% interval over {c.runs} runs: customer randomness only, the "
            "assumptions at their point values."
        ],
        tables=tables,
    )


def _band(c: Comparison, label: str, kpi: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    iv = c.results[label].interval(kpi)
    return iv.mean, iv.lo, iv.hi


def _retention_section(c: Comparison) -> Section:
    years = list(c.years)
    months = np.arange(next(iter(c.results.values())).monthly["arr"].shape[1])
    bands = {}
    for label in c.labels:
        arr = c.results[label].monthly["arr"]
        lo, hi = np.percentile(arr, [2.5, 97.5], axis=0)
        bands[label] = (arr.mean(axis=0), lo, hi)
    grr = {lb: _band(c, lb, "grr") for lb in c.labels}
    nrr = {lb: _band(c, lb, "nrr") for lb in c.labels}
    return Section(
        "ARR and retention",
        paragraphs=[
            "ARR by month: the line is the mean over replications, the band holds the middle "
            "95% of replications. GRR and NRR are measured each year over the accounts that "
            "existed at its start (docs/kpis.md); whiskers are 95% intervals of each design's "
            "mean, not of differences (the difference chart in the summary shows those)."
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
                "GRR by year, 95% intervals of the mean.",
            ),
            FigureItem(
                "nrr_by_year",
                yearly_lines(years, nrr, title="Net revenue retention", ylabel="NRR"),
                "NRR by year, 95% intervals of the mean.",
            ),
        ],
    )


def _bookings_section(c: Comparison) -> Section:
    years = list(c.years)
    shown = _years_shown(years)
    new = {lb: c.results[lb].mean("bookings_new") for lb in c.labels}
    ib = {lb: c.results[lb].mean("bookings_installed_base") for lb in c.labels}
    ratios = [
        [
            lb,
            *(
                format_value(ib[lb][y - 1] / new[lb][y - 1] if new[lb][y - 1] else np.nan, "ratio")
                for y in shown
            ),
        ]
        for lb in c.labels
    ]
    return Section(
        "Bookings: the CCO's quota and the Sales quota",
        paragraphs=[
            "Installed-base bookings (renewals and upsell: the CCO's quota) against "
            "new-business bookings (the Sales quota). In a growing recurring-revenue company "
            "the installed base overtakes new business within a few years (mehta2016, fig. "
            "15.3; docs/sources.md); the ratio is printed on each bar."
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


def _cost_per_retained_arr(comparison: Comparison, label: str) -> np.ndarray:
    """Post-sales org cost per dollar of ARR kept from the year's starting base (runs x years)."""
    yearly = comparison.results[label].yearly
    keys = [f"cost_{f.value}" for f in POST_SALES]
    cost = sum(yearly[k] for k in keys if k in yearly)
    retained = yearly["grr"] * yearly["arr_start_of_year"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(retained > 0, cost / retained, np.nan)


def _cost_table(c: Comparison) -> Table:
    labels = c.labels
    yearly = c.results[labels[0]].yearly
    functions = [f.value for f in Function if f"cost_{f.value}" in yearly]
    rows = [
        [
            function_label(f),
            *(format_kpi(f"cost_{f}", c.results[lb].mean(f"cost_{f}")[-1]) for lb in labels),
        ]
        for f in functions
    ]
    rows.append(
        ["total", *(format_kpi("org_cost", c.results[lb].mean("org_cost")[-1]) for lb in labels)]
    )
    rows.append(
        [
            "headcount",
            *(format_kpi("headcount", c.results[lb].mean("headcount")[-1]) for lb in labels),
        ]
    )
    return Table(["function", *labels], rows, caption="Loaded cost by function, final year")


def _in_words(functions: Sequence[Function]) -> str:
    """``a, b and c``: the functions' labels as a list in a sentence."""
    words = [function_label(f) for f in functions]
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else "".join(words)


def _cost_per_retained_table(c: Comparison, shown: list[int]) -> Table:
    rows = []
    for lb in c.labels:
        values = np.nanmean(_cost_per_retained_arr(c, lb), axis=0)
        rows.append([lb, *(format_value(values[y - 1], "$", decimals=3) for y in shown)])
    return Table(
        ["design", *(f"year {y}" for y in shown)],
        rows,
        caption="Post-sales org cost per $ of retained ARR",
        note=f"Cost of {_in_words(POST_SALES)}, divided by the ARR kept from the accounts at "
        "the start of the year (GRR x starting ARR). Lower is better.",
    )


@literal_text
def _cost_figure(c: Comparison) -> Figure:
    """Stacked cost of the post-sales functions and executives; the rest in one grey block."""
    labels = c.labels
    yearly = c.results[labels[0]].yearly
    shown = [f.value for f in (*POST_SALES, Function.executive) if f"cost_{f.value}" in yearly]
    if any(c.results[lb].mean("cost_customer_experience")[-1] > 0 for lb in labels):
        shown.insert(-1, Function.customer_experience.value)  # a CX team: not in the grey block
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
            color=function_color(f),
            label=function_label(f),
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
            format_value(value, "$"),
            (x, value),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    axes.set_ylabel("loaded cost / year")
    unit_axis(axes.yaxis, "$")
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


def _cost_section(c: Comparison) -> Section:
    shown = _years_shown(list(c.years))
    return Section(
        "Headcount and cost by function",
        paragraphs=[
            "Loaded cost by function in the final year (filled heads x loaded cost), and what "
            "the post-sales organization costs per dollar of ARR it keeps."
        ],
        tables=[_cost_table(c), _cost_per_retained_table(c, shown)],
        figures=[
            FigureItem(
                "cost_by_function",
                _cost_figure(c),
                f"Org cost by function in year {c.years[-1]}.",
            )
        ],
    )


@literal_text
def _health_figure(c: Comparison) -> Figure:
    labels = c.labels
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
        axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        axes.set_title(lb, fontsize=9, loc="left")
        axes.tick_params(labelsize=7)
        axes.yaxis.set_major_formatter(axis_formatter("%"))
        if i == 0:
            axes.legend(fontsize=7, frameon=True, loc="lower left")
    figure.suptitle(
        "Health mix (share of accounts)", x=0.01, ha="left", fontweight="bold", fontsize=10
    )
    return figure


def _health_section(c: Comparison) -> Section:
    return Section(
        "Customer health",
        paragraphs=[
            "Share of accounts in each health band (red 0-50, yellow 51-75, green 76-100 by "
            "default; assumptions.health_bands) over time, mean of the replications."
        ],
        figures=[FigureItem("health_mix", _health_figure(c), "Health mix by month and design.")],
    )


def _primary_section(c: Comparison) -> Section:
    rows = []
    for function, keys in PRIMARY_MEASUREMENTS.items():
        for key in keys:
            if key not in c.results[c.labels[0]].yearly:
                continue
            rows.append(
                [
                    function_label(function),
                    kpis.label(key),
                    *(format_kpi(key, c.results[lb].mean(key)[-1]) for lb in c.labels),
                ]
            )
    return Section(
        "Each function's primary measurement",
        paragraphs=[
            "Every function is judged by its own measure (mehta2016): utilization for "
            "professional services, time-to-value for onboarding, tickets per rep and cost per "
            f"ticket for support, and so on. Values for year {c.years[-1]}."
        ],
        tables=[Table(["function", "measure", *c.labels], rows)],
    )


def _org_section(c: Comparison, org_chart: OrgChartMaker) -> Section:
    return Section(
        "The org charts",
        paragraphs=[
            "Each design's reporting lines at month 0; functions keep one colour on every "
            "chart. In the HTML report each chart is interactive: drag to move, scroll or "
            "use + and - to zoom, click a manager to fold or unfold the teams below, and "
            "type a title or name to find it. A printed page shows each design's post-sales "
            "org, two layers under the executive who leads most of its people."
        ],
        figures=[
            FigureItem(
                f"org_{slug(d.label)}",
                org_chart(d.scenario),
                d.label,
                html=org_chart_html(
                    OrgGraph.from_scenario(d.scenario),
                    f"org-{slug(d.label)}",
                    title=f"Org chart of {d.label}",
                ),
                # on paper: the part that differs between the designs, readable on a page
                printed=post_sales_chart(d.scenario, d.label),
            )
            for d in c.designs
        ],
    )


def _attribution_section(c: Comparison) -> Section:
    last = c.years[-1]
    figures = []
    for label in c.labels:
        if label == c.baseline:
            continue
        for kpi in ("grr", "nrr"):
            parts = c.attribution(label, kpi, last)
            start = float(np.nanmean(c.results[c.baseline].yearly[kpi][:, -1]))
            figures.append(
                FigureItem(
                    f"attribution_{slug(label)}_{kpi}",
                    waterfall(
                        c.baseline,
                        start,
                        parts,
                        label,
                        title=f"{kpi.upper()} in year {last}: {c.baseline} -> {label}",
                        percent=True,
                    ),
                    f"What carries {label}'s {kpi.upper()} difference from {c.baseline}.",
                )
            )
    paragraph = (
        "Each org-structure mechanism is switched off in turn, in both designs, and the "
        "difference is measured again on the same random numbers; the part that disappears "
        f"is that mechanism's share. '{REMAINDER}' is what no switch removes: team sizes and "
        "service capacity (e.g. having a customer success team at all) and interactions "
        "between mechanisms. Mechanisms and their switches: "
        + ", ".join(
            f"{SWITCH_TITLES[m]} ({MECHANISM_KEYS[SWITCH_TITLES[m]]})" for m in c.mechanisms
        )
        + "."
        + (
            f" '{SWITCH_TITLES[TURNOVER]}' is the share of the executives' vacancies, searches "
            "and ramp-ups: the difference with every executive staying for the horizon."
            if TURNOVER in c.mechanisms
            else ""
        )
    )
    return Section("Why the designs differ (attribution)", paragraphs=[paragraph], figures=figures)


def org_differences(c: Comparison) -> list[str]:
    """Each design's org against the baseline's, in words: who owns which function now.

    E.g. "CCO org: customer success moves from the VP of Services to the Chief Customer
    Officer (19 people)".
    """
    stats = {d.label: org_stats(OrgGraph.from_scenario(d.scenario)) for d in c.designs}
    base = stats[c.baseline]

    def owner_words(s: Any, function: str) -> tuple[str, float]:
        owners = s.function_owners.get(function, {})
        titles = [s.by_executive.get(o, {}).get("title", o) for o in owners]
        return (" and ".join(f"the {t}" for t in titles) or "nobody"), sum(owners.values())

    sentences = []
    for label in c.labels:
        if label == c.baseline:
            continue
        changes = []
        for function in (f.value for f in POST_SALES):
            before, _ = owner_words(base, function)
            after, people = owner_words(stats[label], function)
            name = function_label(function)
            if before == after:
                continue
            if before == "nobody":
                changes.append(f"{name} is added under {after} ({people:,.0f} people)")
            elif after == "nobody":
                changes.append(f"{name} ({before}) is gone")
            else:
                changes.append(f"{name} moves from {before} to {after} ({people:,.0f} people)")
        heads = stats[label].headcount - base.headcount
        cost = stats[label].cost - base.cost
        summary = (
            f"{format_value(heads, 'count', signed=True)} people and "
            f"{format_value(cost, '$', signed=True)} a year of loaded cost at month 0"
        )
        if changes:
            sentences.append(
                f"{label} against {c.baseline}: " + "; ".join(changes) + f"; {summary}."
            )
        else:
            sentences.append(
                f"{label} against {c.baseline}: the same owners for every post-sales function; "
                f"{summary}."
            )
    return sentences


def _assumptions_section(c: Comparison) -> Section:
    rows = compared_rows([(d.label, d.scenario) for d in c.designs])
    differing = [r for r in rows if r.differs]
    table_rows = []
    for r in rows:
        if r.differs:
            value = "; ".join(f"{lb}: {v}" for lb, v in r.values.items())
        else:
            value = next(iter(r.values.values()))
            value = f"{value} (default)" if value == r.default else value
        table_rows.append([r.key, r.default, value, r.meaning])
    tables = []
    if differing:
        tables.append(
            Table(
                ["assumption", "default", *c.labels],
                [[r.key, r.default, *r.values.values()] for r in differing],
                caption=f"Where the designs' assumptions differ ({len(differing)})",
            )
        )
    tables.append(
        Table(
            ["assumption", "default", "value in these designs", "meaning and source"],
            table_rows,
            caption=f"Every assumption, once ({len(rows)})",
            left=(2, 3),
            note="Sources are keys of docs/sources.md ('benchmarks N.M' is a row of "
            "docs/benchmarks.md); 'assumption' marks a value no source gives.",
        )
    )
    paragraphs = [
        "How the org designs differ: " + " ".join(org_differences(c))
        if len(c.labels) > 1
        else "One design.",
        "Overrides given on the command line: " + (", ".join(c.overrides) or "none") + ".",
    ]
    return Section("Assumptions and org differences", paragraphs=paragraphs, tables=tables)


def build_report(
    comparison: Comparison,
    *,
    org_chart: OrgChartMaker | None = None,
    summary_parts: Sequence[SummaryPart] = (),
    draws: DrawsPart | None = None,
    plans: Mapping[str, HeadcountPlan] | None = None,
) -> Report:
    """Assemble the comparison report: the executive summary first, then the details.

    Args:
        comparison: The comparison to report (at the assumptions' point values).
        org_chart: Draws a scenario's org chart (left out when None).
        summary_parts: Extra summary content.
        draws: The answers of assumption draws (P(best), EVPPI): first in the summary, and a
            section of their own after it.
        plans: Each design's hiring plan (:func:`ccosim.experiment.plan_designs.design_plans`):
            a section after the cost.
    """
    c = comparison
    parts = [*summary_parts, *([lambda _c: draws.summary] if draws else [])]
    page = board_page(c, draws=draws)
    sections = [
        board_section(page, page.figures[1:2]),
        summary_section(
            c, parts, drawn=draws.covered if draws else "", odds=draws.odds if draws else None
        ),
        *([draws.section] if draws else []),
        _headline_section(c),
        _by_year_section(c),
        _retention_section(c),
        bridge_section(c.results),
        *filter(None, [cohort_section(c.results)]),
        _bookings_section(c),
        _cost_section(c),
        *([plan_section(plans)] if plans else []),
        _health_section(c),
        _primary_section(c),
    ]
    if org_chart is not None:
        sections.append(_org_section(c, org_chart))
    if c.variants and c.paired:
        sections.append(_attribution_section(c))
    sections.append(_assumptions_section(c))
    if draws:
        sections.append(draws.ranges)
    sections.append(sources_section())
    last = c.years[-1]
    same = "on the same simulated customers" if c.paired else "NOT paired (different companies)"
    return Report(
        title="ccosim comparison: " + " vs ".join(c.labels),
        subtitle=(
            f"{len(c.labels)} org designs {same}: {c.runs} runs, seed {c.seed}, {last} years, "
            f"baseline {c.baseline}" + (f"; and {draws.scope}" if draws else "")
        ),
        sections=sections,
        footer=(
            f"Made by ccosim {__version__}. Seed {c.seed}, {c.runs} runs. The resolved "
            "scenarios, their hashes, every number and its data dictionary "
            "(datapackage.json) are in data/."
            + (" Every draw is in data/draws.csv." if draws else "")
        ),
    )


def board_page(
    c: Comparison, *, draws: DrawsPart | None = None, with_org_charts: bool = False
) -> BoardPage:
    """Page 1 of the comparison: the recommendation, its condition, the table and charts.

    With ``with_org_charts`` it also carries the post-sales org charts of the baseline and
    the recommended design (for the slides).
    """
    last = c.years[-1]
    figures = [
        FigureItem(
            "board_differences",
            difference_figure(c, last),
            f"Difference from {c.baseline} in year {last}",
        ),
        FigureItem(
            "board_net_value",
            board_net_value_figure(c),
            f"Cumulative net value against {c.baseline}",
        ),
    ]
    page = compare_board(c, evidence=draws.evidence if draws else None, figures=figures)
    chosen = page.recommended if page.recommended != c.baseline else None
    changes = [s for s in org_differences(c) if chosen and s.startswith(f"{chosen} against ")]
    page = replace(page, extra=tuple(f"What changes in the org: {s}" for s in changes))
    if not with_org_charts or len(c.labels) < 2:
        return page
    chosen = chosen or c.labels[1]
    charts = [
        FigureItem(f"board_org_{slug(d.label)}", post_sales_chart(d.scenario, d.label), d.label)
        for d in c.designs
        if d.label in (c.baseline, chosen)
    ]
    return replace(page, org_charts=tuple(charts))


def post_sales_chart(scenario: Any, label: str) -> Figure:
    """The org under the executive who leads most of the post-sales people, two layers deep.

    The part of the org that differs between designs, readable on a slide (a whole org is
    not).
    """
    # lazy: the drawing code is needed only for slides (and the report goes without it)
    from ccosim.charting.org_chart import chart_figure

    graph = OrgGraph.from_scenario(scenario)
    stats = org_stats(graph)
    people: dict[str, float] = {}
    for function in POST_SALES:
        for owner, count in stats.function_owners.get(function.value, {}).items():
            people[owner] = people.get(owner, 0.0) + count
    if not people:
        return chart_figure(graph, depth=2, title=label)
    top = max(people, key=people.__getitem__)
    title = stats.by_executive.get(top, {}).get("title", top)
    return chart_figure(graph, root=top, depth=2, title=f"{label}: the org under the {title}")


def _board_pack(
    c: Comparison,
    folder: Path,
    formats: Sequence[str],
    draws: DrawsPart | None,
    org_chart: OrgChartMaker | None,
) -> list[str]:
    """Write ``slides.pptx`` and ``summary.pdf`` when asked; returns why any was skipped."""
    if not any(f in formats for f in ("pptx", "pdf")):
        return []
    page = board_page(c, draws=draws, with_org_charts="pptx" in formats and org_chart is not None)
    notes = []
    if "pptx" in formats:
        # lazy: python-pptx is an optional package (checked before any simulation)
        from ccosim.report.slides import write_slides

        write_slides(page, folder / "slides.pptx")
    if "pdf" in formats:
        footer = (
            f"ccosim {__version__}; seed {c.seed}, {c.runs} runs per design. The full report "
            "(report.html) has the methods, every assumption and the sources."
        )
        note = write_summary_pdf(board_html(page, footer), folder / "summary.pdf")
        notes += [note] if note else []
    return notes


def write_report(
    comparison: Comparison,
    folder: str | Path,
    *,
    force: bool = False,
    org_chart: OrgChartMaker | None = None,
    command: Sequence[str] | None = None,
    summary_parts: Sequence[SummaryPart] = (),
    draws: DrawsPart | None = None,
    formats: Sequence[str] = (),
    full_series: bool = False,
    notes: list[str] | None = None,
    plans: Mapping[str, HeadcountPlan] | None = None,
) -> Path:
    """Write the report folder atomically; refuses an existing folder unless ``force``.

    Args:
        comparison: The comparison.
        folder: Output folder.
        force: Replace an existing folder.
        org_chart: Draws org charts for the report.
        command: The command line, for the manifest.
        summary_parts: Extra summary content (see :func:`build_report`).
        draws: The answers of assumption draws (see :func:`build_report`); their tables
            (``draws.csv``, in ``datapackage.json``) and files go into ``data/``.
        formats: Extra table formats beside the CSVs (``parquet``, ``xlsx``).
        full_series: Write every replication's monthly series, not only summaries.
        notes: Where to say what of the board pack was skipped (``summary.pdf`` without
            Chromium); a :class:`BoardPackWarning` when None.
        plans: Each design's hiring plan: its section (see :func:`build_report`) and its
            tables in ``data/`` (``headcount_plan.csv``, ``requisitions.csv``, ``budget.csv``,
            ``quota_capacity.csv``, with a ``design`` column).
    """
    folder = Path(folder)
    report = build_report(
        comparison, org_chart=org_chart, summary_parts=summary_parts, draws=draws, plans=plans
    )
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "report.html", render_html(report))
        write_text(tmp / "report.md", write_markdown(report, tmp))
        skipped = _board_pack(comparison, tmp, formats, draws, org_chart)
        write_comparison_data(
            comparison,
            tmp / "data",
            command=command,
            formats=formats,
            full_series=full_series,
            extra_tables=[
                *(draws.tables if draws else ()),
                cohort_table(comparison.results),
                *(plan_data_tables(plans) if plans else ()),
            ],
            draws=draws.counts if draws else None,
        )
        if "xlsx" in formats:
            add_summary_sheet(tmp / "data" / "tables.xlsx", comparison)
        for name, text in (draws.files if draws else {}).items():
            write_text(tmp / "data" / name, text)
    for note in skipped:
        if notes is None:
            warnings.warn(note, BoardPackWarning, stacklevel=2)
        else:
            notes.append(note)
    return folder
