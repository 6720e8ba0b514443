"""The CEO's one-pager: what a CCO does to retention and money, with its uncertainty."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ccosim._version import __version__
from ccosim.assess.checklist import QUESTIONS
from ccosim.experiment.business_case import PERSISTENCE, BusinessCase
from ccosim.experiment.options import STATUS_QUO
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.formatting import format_value
from ccosim.literal_text import literal_text
from ccosim.money import discount_factors
from ccosim.output import atomic_dir, write_text
from ccosim.report.board import BoardPage, board_section, case_board
from ccosim.report.data import write_comparison_data
from ccosim.report.document import FigureItem, Report, Section, Table, render_html, write_markdown
from ccosim.report.figures import net_value_axes
from ccosim.report.plan_section import plan_data_tables, plan_section
from ccosim.report.sources_appendix import sources_section
from ccosim.report.summary import of_draws
from ccosim.report.uncertainty_report import DrawsPart

__all__ = [
    "OPTION_KEYS",
    "board_table",
    "build_one_pager",
    "case_footer",
    "case_json",
    "case_net_value_figure",
    "case_page",
    "display_names",
    "horizon_lines",
    "horizon_note",
    "one_pager_text",
    "options_entries",
    "write_one_pager",
]


def _month(m: int | None) -> str:
    return "not within the horizon" if m is None else f"month {m}"


def _years(months: int) -> str:
    if months % 12:
        return f"{months} months"
    return f"{months // 12} year{'s' if months != 12 else ''}"


def horizon_note(case: BusinessCase) -> str:
    """Which horizon leads and why, and what values beyond it assume."""
    total = case.net_value.shape[1]
    chosen = (
        "the horizon chosen with --years"
        if case.lead_months is not None
        else "the default horizon; choose another with --years"
    )
    note = f"The answer is read at {_years(case.lead)}: {chosen}."
    if case.lead < total:
        note += f" The runs go on to {_years(total)}. {PERSISTENCE}"
    return note


def horizon_lines(case: BusinessCase) -> list[tuple[int, tuple[str, str]]]:
    """``(months, (label, value))``: net value and NPV at each horizon shown, the lead marked."""
    rate = f"{case.discount_rate:.0%}"
    out = []
    for months in case.horizons():
        net = case.net_value_at(months)
        pv = case.npv_at(months)
        mark = (
            " - your horizon"
            if months == case.lead
            else (" - assumes the lift persists" if months > case.lead else "")
        )
        out.append(
            (
                months,
                (
                    f"net value over {_years(months)} (NPV at {rate} a year){mark}",
                    f"{format_value(net.mean[0], '$', signed=True)} (95%: "
                    f"{format_value(net.lo[0], '$', signed=True)} to "
                    f"{format_value(net.hi[0], '$', signed=True)}); NPV "
                    f"{format_value(pv.mean[0], '$', signed=True)} (95%: "
                    f"{format_value(pv.lo[0], '$', signed=True)} to "
                    f"{format_value(pv.hi[0], '$', signed=True)})",
                ),
            )
        )
    return out


def one_pager_lines(case: BusinessCase) -> list[tuple[str, str]]:
    """(label, value) pairs: the answer a CEO asked for, each with its interval."""
    c = case.comparison
    years = c.years
    last = years[-1]
    # The horizon the user chose comes first (docs/experiments.md, "The horizon is a choice").
    lines = [pair for months, pair in horizon_lines(case) if months == case.lead]
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
    one_time = case.one_time_costs()
    lines.append(
        (
            "one-time costs of the change",
            ", ".join(
                f"{KIND_LABELS.get(k, k)} {format_value(v, '$')}" for k, v in one_time.items()
            )
            + f" (total {format_value(sum(one_time.values()), '$')})",
        )
    )
    if case.hire_month and case.seat_left_vacant:
        lines.append(
            (
                "CCO seat, teams move",
                f"the seat is opened at month {case.hire_month} and never filled; the teams "
                f"move at month {case.in_post_month}",
            )
        )
    elif case.hire_month:
        lines.append(
            (
                "CCO in post, teams move",
                "not within the horizon"
                if case.in_post_month is None
                else f"month {case.in_post_month} (search opened at month {case.hire_month})",
            )
        )
    lines += [pair for months, pair in horizon_lines(case) if months != case.lead]
    be = case.break_even_summary()
    if be["median"] is None and be["hi"] is None:
        spread = ""
    elif be["lo"] == be["hi"]:
        spread = f"every run: {_month(be['lo'])}; "
    else:
        spread = f"middle 95% of runs: {_month(be['lo'])} to {_month(be['hi'])}; "
    lines.append(
        (
            "break-even (months from month 0)",
            "no run breaks even within the horizon"
            if be["share_reached"] == 0
            else f"{_month(be['median'])} ({spread}"
            f"{of_draws(be['share_reached'], len(case.break_even))} runs break even)",
        )
    )
    if case.hire_month:
        median = be["median"]
        lines.append(
            (
                "break-even (months after the hire)",
                "not within the horizon"
                if median is None
                else f"{median - case.hire_month} months after the search opened",
            )
        )
    if case.p_leader_leaves > 0:
        lines.append(
            (
                "the CCO leaves within the horizon",
                f"in {case.p_leader_leaves:.0%} of runs (executive turnover: the seat is "
                "empty until refilled and the effects ramp in again)",
            )
        )
    seek = case.goal_seek
    if seek is not None:
        if seek.grr_lift is None:
            value = "no GRR lift within reach pays for it over the horizon"
        else:
            value = (
                f"{format_value(seek.grr_lift, 'pts', signed=True)} a year (the CCO org's "
                f"churn {abs(seek.churn_cut) * 100:.2f} pts "
                f"{'lower' if seek.churn_cut >= 0 else 'higher'}); the model expects "
                f"{format_value(seek.model_grr_lift, 'pts', signed=True)}"
            )
        lines.append(("smallest GRR lift that pays for the role", value))
    return lines


KIND_LABELS = {"search_fees": "executive search", "severance": "severance"}


def _interval(i: Any) -> dict[str, float]:
    return {"mean": float(i.mean[0]), "low": float(i.lo[0]), "high": float(i.hi[0])}


def case_json(case: BusinessCase) -> dict[str, Any]:
    """Every figure of the one-pager as plain JSON-ready data.

    Lifts are yearly paired means (CCO org minus current org); ``net_value`` and ``npv`` are
    over the whole horizon with 95% paired intervals over the replications (customer
    randomness only); ``lead`` has them at the horizon the one-pager leads with (``--years``,
    else 5 years), ``by_horizon`` at 3 and 5 years, the lead and the whole;
    ``break_even_month`` is the median over runs counted from month 0 (None: not within the
    horizon).
    """
    c = case.comparison
    be = case.break_even_summary()
    total = case.net_value.shape[1]
    lifts = {kpi: case.yearly_delta(kpi) for kpi in ("grr", "nrr", "arr", "org_cost")}
    seek = case.goal_seek
    out = {
        "current": case.current,
        "proposed": case.proposed,
        "runs": c.runs,
        "seed": c.seed,
        "years": len(c.years),
        "hire_month": case.hire_month,
        "in_post_month": case.in_post_month,
        "discount_rate": case.discount_rate,
        "discounting": "annual rate compounded monthly, month 0 undiscounted",
        "intervals": "95%, paired over replications: customer randomness only",
        "grr_lift": [float(v) for v in lifts["grr"].mean],
        "nrr_lift": [float(v) for v in lifts["nrr"].mean],
        "retained_arr": [float(v) for v in lifts["arr"].mean],
        "added_org_cost": [float(v) for v in lifts["org_cost"].mean],
        "net_value": _interval(case.net_value_at(total)),
        "npv": _interval(case.npv_at(total)),
        "lead_months": case.lead,
        "lead": {
            "months": case.lead,
            "chosen": case.lead_months is not None,
            "net_value": _interval(case.net_value_at(case.lead)),
            "npv": _interval(case.npv_at(case.lead)),
        },
        "horizon_note": horizon_note(case),
        "by_horizon": [
            {
                "months": m,
                "net_value": _interval(case.net_value_at(m)),
                "npv": _interval(case.npv_at(m)),
            }
            for m in case.horizons()
        ],
        "break_even_month": be["median"],
        "p_leader_leaves": case.p_leader_leaves,
        "break_even_months_after_hire": (
            None if be["median"] is None else be["median"] - case.hire_month
        ),
        "break_even_range": [be["lo"], be["hi"]],
        "break_even_share": be["share_reached"],
        "one_time_costs": case.one_time_costs(),
        "monthly_net_value": [float(v) for v in case.net_value.mean(axis=0)],
        "goal_seek": None
        if seek is None
        else {
            "churn_cut": seek.churn_cut,
            "grr_lift": seek.grr_lift,
            "model_grr_lift": seek.model_grr_lift,
        },
    }
    out["options"] = options_entries(case, out)
    return out


#: The keys of the single case's JSON an option's entry carries as they are.
OPTION_KEYS = (
    "hire_month",
    "in_post_month",
    "break_even_month",
    "break_even_months_after_hire",
    "break_even_range",
    "break_even_share",
    "one_time_costs",
    "grr_lift",
    "nrr_lift",
    "retained_arr",
    "added_org_cost",
    "by_horizon",
    "monthly_net_value",
    "p_leader_leaves",
)


def options_entries(case: BusinessCase, figures: dict[str, Any]) -> dict[str, Any]:
    """``{status_quo: ..., PROPOSED: ...}``: the case as options (the shape of ``--option``).

    Each entry's ``npv`` and ``net_value`` are read at the lead horizon; ``npv_whole_horizon``
    is over the whole. The status quo has NPV 0 by definition.
    """
    c = case.comparison
    zero = {"mean": 0.0, "low": 0.0, "high": 0.0}
    lead = figures["lead"]
    return {
        STATUS_QUO: {
            "source": c.design(case.current).source,
            "label": case.current,
            "npv": zero,
            "net_value": zero,
            "break_even_month": None,
        },
        case.proposed: {
            "source": c.design(case.proposed).source,
            "npv": lead["npv"],
            "net_value": lead["net_value"],
            "npv_whole_horizon": figures["npv"],
            **{k: figures[k] for k in OPTION_KEYS},
        },
    }


def _change_phrase(case: BusinessCase) -> str:
    """The change in the head line: the search opening at month M, or the seat left vacant."""
    if not case.hire_month:
        return ""
    if case.seat_left_vacant:
        return f", CCO seat opens at month {case.hire_month} and is never filled"
    return f", CCO search opens at month {case.hire_month}"


def one_pager_text(case: BusinessCase) -> str:
    """The one-pager for the terminal."""
    c = case.comparison
    names = display_names(case)
    head = (
        f"Business case: {names[case.proposed]} vs {names[case.current]}"
        + _change_phrase(case)
        + f" ({c.runs} runs, seed {c.seed}, read at {_years(case.lead)} of "
        f"{_years(case.net_value.shape[1])} simulated, common random numbers)"
    )
    pairs = one_pager_lines(case)
    width = max(len(k) for k, _ in pairs)
    note = textwrap.fill("note: " + horizon_note(case), width=100, subsequent_indent="  ")
    return "\n".join([head, "-" * len(head), *(f"{k.ljust(width)}  {v}" for k, v in pairs), note])


@literal_text
def case_net_value_figure(case: BusinessCase) -> Figure:
    """The cumulative net value by month: mean, middle 95% of runs, and discounted (NPV)."""
    figure = Figure(figsize=(7.5, 3.8), layout="constrained")
    axes = figure.add_subplot()
    months = np.arange(1, case.net_value.shape[1] + 1) / 12
    lo, hi = np.percentile(case.net_value, [2.5, 97.5], axis=0)
    axes.fill_between(
        months, lo, hi, color="#0072B2", alpha=0.2, linewidth=0, label="middle 95% of runs"
    )
    axes.plot(months, case.net_value.mean(axis=0), color="#0072B2", linewidth=2, label="mean")
    discounted = np.cumsum(
        case.monthly_net * discount_factors(case.net_value.shape[1], case.discount_rate), axis=1
    )
    axes.plot(
        months,
        discounted.mean(axis=0),
        color="#0072B2",
        linewidth=1.2,
        linestyle="--",
        label=f"mean, discounted at {case.discount_rate:.0%} a year (NPV)",
    )
    axes.axhline(0, color="black", linewidth=0.8)
    if case.hire_month:
        axes.axvline(
            case.hire_month / 12,
            color="#D55E00",
            linestyle="--",
            linewidth=1,
            label=(
                f"CCO seat opens, never filled (month {case.hire_month})"
                if case.seat_left_vacant
                else f"CCO search opens (month {case.hire_month})"
            ),
        )
    if case.hire_month and case.in_post_month is not None:
        axes.axvline(
            case.in_post_month / 12,
            color="#009E73",
            linestyle=":",
            linewidth=1,
            label=(
                f"teams move (month {case.in_post_month})"
                if case.seat_left_vacant
                else f"CCO in post, teams move (month {case.in_post_month})"
            ),
        )
    if case.lead < case.net_value.shape[1]:
        axes.axvline(
            case.lead / 12,
            color="black",
            linestyle="--",
            linewidth=0.8,
            label=f"answer read at {_years(case.lead)}; later, the lift assumed to persist",
        )
    net_value_axes(
        axes,
        f"Cumulative net value of {case.proposed} (its contribution minus {case.current}'s)",
    )
    return figure


def _answer_paragraph(case: BusinessCase, draws: DrawsPart | None) -> str:
    """What the one-pager's figures mean and what their intervals cover."""
    cover = (
        "Intervals are 95%: paired across replications for lifts and values, the range of "
        "replications for break-even. They cover customer randomness only"
    )
    if draws is None:
        cover += " and exclude assumption uncertainty (run with --draws; docs/uncertainty.md)."
    else:
        cover += ", with the assumptions fixed at their point values. " + draws.covered
    return (
        "Net value is operating contribution (revenue minus hosting, the whole org's loaded "
        "cost and one-time costs of the change) of the CCO org minus that of the current org, "
        "accumulated month by month; NPV discounts each month at "
        f"{case.discount_rate:.0%} a year compounded monthly. With a hire month, the CCO's "
        "search opens then and the teams move when the CCO is in post; structural effects "
        "phase in after that. " + cover
    )


def display_names(case: BusinessCase) -> dict[str, str]:
    """Each org's name as its own file gives it (its ``label:``), by its label in ``case``."""
    c = case.comparison
    return {d.label: d.scenario.label or d.label for d in c.designs}


def board_table(case: BusinessCase) -> Table:
    """The one-pager's lines as the board's headline table."""
    names = display_names(case)
    return Table(
        ["", f"{names[case.proposed]} vs {names[case.current]}"],
        [list(p) for p in one_pager_lines(case)],
        caption=f"At the assumptions' stated values, over {case.comparison.runs} simulated runs",
    )


def case_page(
    case: BusinessCase, draws: DrawsPart | None, figures: Sequence[FigureItem] = ()
) -> BoardPage:
    """The business case's board page: the answer, its condition, the table, ``figures``."""
    return case_board(
        case,
        board_table(case),
        answers=draws.answers if draws else None,
        research_draws=draws.research if draws else 0,
        names=display_names(case),
        figures=figures,
    )


def _board_first(case: BusinessCase, draws: DrawsPart | None) -> Section:
    """Page 1 for a board: the recommendation with its condition, in plain words."""
    return board_section(case_page(case, draws))


def build_one_pager(
    case: BusinessCase,
    readiness: Any = None,
    draws: DrawsPart | None = None,
    plans: Mapping[str, HeadcountPlan] | None = None,
) -> Report:
    """The one-pager as a report document.

    Args:
        case: The business case at the assumptions' point values.
        readiness: The readiness assessment, shown in its own section if given.
        draws: The answers of assumption draws (P(NPV > 0), NPV quantiles, break-even by
            year, EVPPI): first in 'The answer', and a section of their own after it.
        plans: Each org's hiring plan (:func:`ccosim.experiment.plan_designs.design_plans`):
            a section before the sources.
    """
    c = case.comparison
    pairs = one_pager_lines(case)
    total = case.net_value.shape[1]
    extra = [draws.section] if draws else []
    if readiness is not None:
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
    point = (
        f"Read at {_years(case.lead)}; {c.runs} runs on common random numbers, seed {c.seed}, "
        f"{c.years[-1]} years simulated"
    )
    names = display_names(case)
    return Report(
        title=f"Business case for a CCO over {_years(case.lead)}: {names[case.proposed]} vs "
        f"{names[case.current]}",
        subtitle=(point + _change_phrase(case) + (f"; and {draws.scope}" if draws else "")),
        sections=[
            _board_first(case, draws),
            Section(
                "The answer",
                tables=[
                    Table(
                        ["", "CCO org vs current org"],
                        [list(p) for p in pairs],
                        caption=f"At the assumptions' point values: {c.runs} runs; 95% "
                        "intervals cover customer randomness only",
                    )
                ],
                paragraphs=[
                    horizon_note(case)
                    + (
                        f" The draws' answers are over the whole {_years(total)}; run with "
                        f"--years {case.lead // 12} to read them at {_years(case.lead)} too."
                        if draws is not None and case.lead < total
                        else ""
                    ),
                    *(draws.summary.paragraphs if draws else []),
                    _answer_paragraph(case, draws),
                ],
                figures=[
                    FigureItem(
                        "net_value",
                        case_net_value_figure(case),
                        "Cumulative net value by month at the assumptions' point values; the "
                        "band covers customer randomness only.",
                    )
                ],
            ),
            *extra,
            *([draws.ranges] if draws else []),
            *([plan_section(plans, display_names(case))] if plans else []),
            sources_section(),
        ],
        footer=case_footer(drawn=draws is not None),
    )


def case_footer(*, drawn: bool) -> str:
    """The footer of a business case's page: the version, and where the provenance is."""
    return f"Made by ccosim {__version__}. The resolved scenarios and hashes are in data/." + (
        " Every draw is in data/draws.csv." if drawn else ""
    )


def write_one_pager(
    case: BusinessCase,
    folder: str | Path,
    *,
    force: bool = False,
    readiness: Any = None,
    draws: DrawsPart | None = None,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
    pack: Callable[[Path], Any] | None = None,
    plans: Mapping[str, HeadcountPlan] | None = None,
) -> Path:
    """Write report.html, report.md, figures/ and data/ (provenance) atomically.

    With ``draws``, their section, ``data/draws.csv`` (in ``datapackage.json``) and
    ``data/uncertainty.json`` too. ``formats`` adds the data tables as Parquet or Excel;
    ``pack`` is called with the folder, before it moves into place, to add the board pack
    (:mod:`ccosim.report.case_pack`), so that nothing is half-written. With ``plans``, the
    hiring plan's section and its tables (``data/headcount_plan.csv``, ``requisitions.csv``,
    ``budget.csv``, ``quota_capacity.csv``).
    """
    folder = Path(folder)
    report = build_one_pager(case, readiness, draws, plans)
    c = case.comparison
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "report.html", render_html(report))
        write_text(tmp / "report.md", write_markdown(report, tmp))
        write_text(tmp / "data" / "business_case.json", json.dumps(case_json(case), indent=2))
        write_comparison_data(
            c,
            tmp / "data",
            command=command,
            formats=formats,
            extra_tables=[
                *(draws.tables if draws else ()),
                *(plan_data_tables(plans) if plans else ()),
            ],
            draws=draws.counts if draws else None,
        )
        for name, text in (draws.files if draws else {}).items():
            write_text(tmp / "data" / name, text)
        if pack is not None:
            pack(tmp)
    return folder
