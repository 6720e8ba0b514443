"""The CEO's one-pager: what a CCO does to retention and money, with its uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ccosim._version import __version__
from ccosim.experiment.business_case import BusinessCase
from ccosim.formatting import axis_formatter, format_value
from ccosim.output import atomic_dir, write_text
from ccosim.report.data import write_comparison_data
from ccosim.report.document import FigureItem, Report, Section, Table, render_html, write_markdown
from ccosim.report.literal_text import literal_text

__all__ = ["build_one_pager", "one_pager_text", "write_one_pager"]


def _month(m: int | None) -> str:
    return "not within the horizon" if m is None else f"month {m}"


def one_pager_lines(case: BusinessCase) -> list[tuple[str, str]]:
    """(label, value) pairs: the answer a CEO asked for, each with its interval."""
    c = case.comparison
    years = c.years
    last = years[-1]
    lines: list[tuple[str, str]] = []
    for kpi, name in (("grr", "GRR lift"), ("nrr", "NRR lift")):
        d = case.yearly_delta(kpi)
        lines.append(
            (
                f"{name}, year 1 / year {last}",
                f"{format_value(d.mean[0], 'pts', signed=True)} / "
                f"{format_value(d.mean[-1], 'pts', signed=True)}"
                f" (95%: {format_value(d.lo[-1], 'pts', signed=True)} to "
                f"{format_value(d.hi[-1], 'pts', signed=True)})",
            )
        )
    arr = case.yearly_delta("arr")
    lines.append(
        (
            f"retained ARR, year {last}",
            f"{format_value(arr.mean[-1], '$', signed=True)} (95%: "
            f"{format_value(arr.lo[-1], '$', signed=True)} to "
            f"{format_value(arr.hi[-1], '$', signed=True)})",
        )
    )
    cost = case.yearly_delta("org_cost")
    lines.append(
        (
            "added org cost a year (the CCO and the team)",
            f"{format_value(cost.mean[0], '$', signed=True)} in year 1, "
            f"{format_value(cost.mean[-1], '$', signed=True)} in year {last}",
        )
    )
    net = case.net_value_at_horizon()
    lines.append(
        (
            f"net value over {last} years",
            f"{format_value(net.mean[0], '$', signed=True)} (95%: "
            f"{format_value(net.lo[0], '$', signed=True)} to "
            f"{format_value(net.hi[0], '$', signed=True)})",
        )
    )
    be = case.break_even_summary()
    if be["median"] is None and be["hi"] is None:
        spread = ""
    elif be["lo"] == be["hi"]:
        spread = f"every run: {_month(be['lo'])}; "
    else:
        spread = f"middle 95% of runs: {_month(be['lo'])} to {_month(be['hi'])}; "
    lines.append(
        (
            "break-even",
            f"{_month(be['median'])} ({spread}{be['share_reached']:.0%} of runs break even)",
        )
    )
    seek = case.goal_seek
    if seek is not None:
        if seek.grr_lift is None:
            value = "no GRR lift within reach pays for it over the horizon"
        else:
            value = (
                f"{format_value(seek.grr_lift, 'pts', signed=True)} a year (a churn cut of "
                f"{seek.churn_cut * 100:.2f} pts); the model expects "
                f"{format_value(seek.model_grr_lift, 'pts', signed=True)}"
            )
        lines.append(("smallest GRR lift that pays for the role", value))
    return lines


def one_pager_text(case: BusinessCase) -> str:
    """The one-pager for the terminal."""
    c = case.comparison
    head = (
        f"Business case: {case.proposed} vs {case.current}"
        + (f", CCO hired at month {case.hire_month}" if case.hire_month else "")
        + f" ({c.runs} runs, seed {c.seed}, {c.years[-1]} years, common random numbers)"
    )
    pairs = one_pager_lines(case)
    width = max(len(k) for k, _ in pairs)
    return "\n".join([head, "-" * len(head), *(f"{k.ljust(width)}  {v}" for k, v in pairs)])


@literal_text
def _net_value_figure(case: BusinessCase) -> Figure:
    figure = Figure(figsize=(7.5, 3.8), layout="constrained")
    axes = figure.add_subplot()
    months = np.arange(1, case.net_value.shape[1] + 1) / 12
    lo, hi = np.percentile(case.net_value, [2.5, 97.5], axis=0)
    axes.fill_between(
        months, lo, hi, color="#0072B2", alpha=0.2, linewidth=0, label="middle 95% of runs"
    )
    axes.plot(months, case.net_value.mean(axis=0), color="#0072B2", linewidth=2, label="mean")
    axes.axhline(0, color="black", linewidth=0.8)
    if case.hire_month:
        axes.axvline(
            case.hire_month / 12,
            color="#D55E00",
            linestyle="--",
            linewidth=1,
            label=f"CCO hired (month {case.hire_month})",
        )
    axes.set_xlabel("year")
    axes.set_ylabel("cumulative net value")
    axes.yaxis.set_major_formatter(axis_formatter("$"))
    axes.set_title(
        "Cumulative net value of the CCO org (contribution minus current org's)",
        loc="left",
        fontweight="bold",
        fontsize=10,
    )
    axes.legend(frameon=False, fontsize=8)
    axes.grid(alpha=0.3)
    return figure


def build_one_pager(case: BusinessCase, readiness: Any = None) -> Report:
    """The one-pager as a report document (with the readiness assessment if given)."""
    c = case.comparison
    pairs = one_pager_lines(case)
    extra = []
    if readiness is not None:
        from ccosim.assess.checklist import QUESTIONS

        extra.append(
            Section(
                "Readiness (mark-cco's signals)",
                paragraphs=[
                    f"Score {readiness.score:.0f}/100: {readiness.band}; enablers "
                    f"{readiness.readiness}.",
                    *(f"The scenario disagrees: {c_}" for c_ in readiness.contradictions),
                ],
                tables=[
                    Table(
                        ["question", "answer", "source"],
                        [[q.text, str(readiness.answers[q.id]), q.source] for q in QUESTIONS],
                    )
                ],
            )
        )
    return Report(
        title=f"Business case for a CCO: {case.proposed} vs {case.current}",
        subtitle=(
            f"{c.runs} runs on common random numbers, seed {c.seed}, {c.years[-1]} years"
            + (f", CCO hired at month {case.hire_month}" if case.hire_month else "")
        ),
        sections=[
            Section(
                "The answer",
                tables=[Table(["", "CCO org vs current org"], [list(p) for p in pairs])],
                paragraphs=[
                    "Net value is operating contribution (revenue minus hosting "
                    "and the whole org's loaded cost) of the CCO org minus that of "
                    "the current org, accumulated month by month. Intervals are "
                    "95%: paired across replications for lifts and values, the "
                    "range of replications for break-even. They cover customer "
                    "randomness only and exclude assumption uncertainty (run with "
                    "--draws; docs/uncertainty.md)."
                ],
                figures=[
                    FigureItem(
                        "net_value", _net_value_figure(case), "Cumulative net value by month."
                    )
                ],
            ),
            *extra,
        ],
        footer=f"Made by ccosim {__version__}. The resolved scenarios and hashes are in data/.",
    )


def write_one_pager(
    case: BusinessCase, folder: str | Path, *, force: bool = False, readiness: Any = None
) -> Path:
    """Write report.html, report.md, figures/ and data/ (provenance) atomically."""
    folder = Path(folder)
    report = build_one_pager(case, readiness)
    c = case.comparison
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "report.html", render_html(report))
        write_text(tmp / "report.md", write_markdown(report, tmp))
        write_comparison_data(c, tmp / "data")
    return folder
