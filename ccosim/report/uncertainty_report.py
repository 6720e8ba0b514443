"""The "decisions under uncertainty" part of a report: what a PSA (``--draws``) found.

:func:`draws_part` gives what the draws add to a report made at the assumptions' point values
(the comparison report, the CEO's one-pager): sentences for the executive summary, each saying
what its numbers cover; the body section (:func:`uncertainty_section`: answers, EVPPI
ranking, tornado, the ranges drawn); ``data/draws.csv`` (one row per draw and design) and
``data/uncertainty.json``. The terminal text and the JSON answers are here too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ccosim import kpis
from ccosim.experiment.decision import BREAK_EVEN_YEARS, COVERS
from ccosim.experiment.psa import SUMMARY_KPIS, PsaResult
from ccosim.experiment.refit import calibration_lines
from ccosim.formatting import format_value, unit_axis
from ccosim.report.board import Evidence, evidence_of
from ccosim.report.data import DataTable
from ccosim.report.document import FigureItem, Section, Table
from ccosim.report.figures import design_colors
from ccosim.report.summary import SURE, Odds, carrying_pieces, of_draws
from ccosim.tabular import csv_text

__all__ = [
    "DRAWS_PER_ASSUMPTION",
    "EXCLUDES_ASSUMPTIONS",
    "DrawsPart",
    "answer_table",
    "draws_csv",
    "draws_part",
    "draws_table",
    "ranges_section",
    "rough_note",
    "summary_paragraphs",
    "uncertainty_json",
    "uncertainty_section",
    "uncertainty_text",
]

#: Said under every result made without draws.
EXCLUDES_ASSUMPTIONS = (
    "Intervals cover customer randomness only (replications with the assumptions held at "
    "their values); they exclude assumption uncertainty. Run with --draws N to include it."
)
TOP = 8


_UNITS = {"money": "$", "count": "count", "ratio": "ratio"}


def fmt(value: float | None, kind: str, *, signed: bool = False) -> str:
    """Format by kind (money, pct, count, ratio) with the project's formatting rules."""
    unit = ("pts" if signed else "%") if kind == "pct" else _UNITS.get(kind, "ratio")
    return format_value(value, unit, signed=signed)


def short(path: str) -> str:
    """An assumption's path without the ``assumptions.`` prefix, for tables and charts."""
    return path.removeprefix("assumptions.")


def _money(value: float | None, signed: bool = True) -> str:
    return fmt(value, "money", signed=signed)


def _month(value: float | None) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.0f}"


def _header(psa: PsaResult) -> str:
    return (
        f"{psa.draws} draws of {len(psa.keys)} uncertain assumptions ({psa.method.upper()}, the "
        f"same draws for every design) x {psa.runs} run(s) each on common random numbers, "
        f"seed {psa.seed}; NPV at {psa.discount_rate:.0%} a year. Ranges below cover {COVERS}."
    )


#: Fewer draws than this per uncertain assumption and the EVPPI ranking and the tornado are
#: rough (assumption: with 26 ranges, 40 draws let a key the model ignores show a
#: $0.5M-$2M tornado bar or rank first for research; 10 per key is the usual rule of thumb
#: for a regression metamodel's degrees of freedom).
DRAWS_PER_ASSUMPTION = 10


def research_draws(psa: PsaResult) -> int:
    """The draws the research ranking (EVPPI) and the tornado need: 10 per assumption."""
    return DRAWS_PER_ASSUMPTION * len(psa.keys)


def ranks_research(psa: PsaResult) -> bool:
    """Whether there are draws enough to rank the assumptions (EVPPI, tornado) at all."""
    return psa.draws >= research_draws(psa)


def rough_note(psa: PsaResult) -> str | None:
    """Why no assumption is ranked when the draws are too few for it, else None."""
    enough = research_draws(psa)
    if psa.draws >= enough:
        return None
    return (
        f"Which assumption is worth researching first is not ranked: {psa.draws} draws for "
        f"{len(psa.keys)} uncertain assumptions are too few (at this size an assumption the "
        "result does not depend on can rank first by chance). The research ranking (EVPPI) "
        f"and the tornado need at least {enough} draws, {DRAWS_PER_ASSUMPTION} per assumption: "
        f"run --draws {enough}. P(best), P(NPV > 0) and the NPV range are sturdier."
    )


def _worth_researching(answers: dict[str, Any]) -> list[tuple[str, float]]:
    """The top assumptions by EVPPI, most first; those at $0 are no ranking: left out."""
    ranked = sorted(answers["evppi"].items(), key=lambda kv: -kv[1])
    return [(p, v) for p, v in ranked if v > 0][:TOP]


def _evppi_rows(answers: dict[str, Any]) -> list[list[str]]:
    rows = []
    for path, value in _worth_researching(answers):
        se = answers["evppi_se"][path]
        rows.append([short(path), _money(value, signed=False), _money(se, signed=False)])
    return rows


def _business_lines(answers: dict[str, Any]) -> list[tuple[str, str]]:
    q, v, n = answers["npv"], answers["net_value"], answers["draws"]
    be = answers["break_even_months"]
    curve = answers["p_breakeven_by_year"]
    shown = [y for y in BREAK_EVEN_YEARS if y in curve] + ([max(curve)] if curve else [])
    return [
        (
            "NPV of the CCO org vs current",
            f"{_money(q['p50'])} median (5-95%: {_money(q['p05'])} to {_money(q['p95'])}); "
            f"mean {_money(q['mean'])}",
        ),
        ("P(NPV > 0)", f"{of_draws(answers['p_npv_positive'], n)} draws"),
        (
            "net value, undiscounted",
            f"{_money(v['p50'])} median (5-95%: {_money(v['p05'])} to {_money(v['p95'])})",
        ),
        (
            "P(break-even within N years of the hire)",
            ", ".join(f"{y} y: {of_draws(curve[y], n)}" for y in dict.fromkeys(shown))
            or "no whole year after the hire is simulated",
        ),
        (
            "break-even, months after the hire",
            f"median {_month(be['p50'])} (5-95%: {_month(be['p05'])} to {_month(be['p95'])}); "
            f"{of_draws(be['share_reached'], n)} draws break even",
        ),
        (
            "expected loss of hiring / of not hiring",
            f"{_money(answers['expected_loss']['hire'], False)} / "
            f"{_money(answers['expected_loss']['keep'], False)}",
        ),
        ("value of perfect information (EVPI)", _money(answers["evpi"], False)),
        *_lift_lines(answers.get("lift_that_pays")),
    ]


def _lift_words(pair: dict[str, float] | None) -> str:
    if pair is None:
        return "none within reach (up to the smallest base churn)"
    return (
        f"{fmt(pair['grr_lift'], 'pct', signed=True)} GRR a year (the CCO org's churn "
        f"{abs(pair['churn_cut']) * 100:.2f} pts {'lower' if pair['churn_cut'] >= 0 else 'higher'})"
    )


def _lift_lines(lift: dict[str, Any] | None) -> list[tuple[str, str]]:
    if lift is None:
        return []
    return [
        (
            "smallest GRR lift that pays, on average",
            f"{_lift_words(lift['pays_on_average'])}; over {lift['draws']} draws",
        ),
        (
            "smallest GRR lift that pays in 80% of draws",
            _lift_words(lift["pays_in_80_percent"]),
        ),
    ]


def _compare_table(psa: PsaResult, answers: dict[str, Any]) -> Table:
    measures = [*kpis.HEADLINE, "npv"]
    headers = ["design", *(kpis.label(k) for k in measures[:-1]), "NPV", "expected loss"]
    rows = []
    for label in psa.labels:
        rows.append(
            [
                label,
                *(of_draws(answers["p_best"][label].get(k), psa.draws) for k in measures),
                _money(answers["expected_loss"][label], signed=False),
            ]
        )
    return Table(
        headers,
        rows,
        caption=f"P(best) over {psa.draws} draws: assumption uncertainty and customer randomness",
        note="Draws (of all of them) in which each design is best on each measure (final year; "
        "NPV: operating contribution over the horizon, discounted); ties split a draw. "
        "Expected loss: mean NPV given up against the best design of each draw. Covers "
        f"{COVERS}.",
    )


def uncertainty_text(psa: PsaResult, answers: dict[str, Any], kind: str) -> str:
    """Terminal text: the headline answers, the EVPPI ranking and the tornado's top bars."""
    lines = ["Decisions under uncertainty", "-" * 27, _header(psa)]
    if kind == "business-case":
        pairs = _business_lines(answers)
        width = max(len(k) for k, _ in pairs)
        lines += [f"{k.ljust(width)}  {v}" for k, v in pairs]
    else:
        table = _compare_table(psa, answers)
        widths = [
            max(len(str(r[i])) for r in [table.headers, *table.rows])
            for i in range(len(table.headers))
        ]
        lines.append("P(best):")
        for row in [table.headers, *table.rows]:
            lines.append(
                "  " + "  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True))
            )
        lines.append(f"EVPI (value of knowing every assumption): {_money(answers['evpi'], False)}")
    note = rough_note(psa)
    if answers["evpi"] <= 0:
        lines.append(
            "No assumption within its range changes the decision in any draw (EVPI = 0): "
            "nothing is worth researching before deciding."
        )
    elif note:
        pass  # too few draws to rank: the note below says so, and no list is printed
    elif not _worth_researching(answers):
        lines.append(
            f"Knowing every assumption at once is worth {_money(answers['evpi'], False)} (EVPI), "
            f"but no single assumption's value (EVPPI) is distinguishable from zero with "
            f"{psa.draws} draws: no one assumption is worth researching on its own; more draws "
            "may separate them."
        )
    else:
        lines.append(
            "Worth researching first (EVPPI: the value of knowing one assumption before deciding):"
        )
        for name, value, se in _evppi_rows(answers):
            lines.append(f"  {name:55s} {value:>9}  (se {se})")
    what = (
        "NPV"
        if kind == "business-case"
        else f"{answers['leader']}'s NPV lead over {answers['runner_up']}"
    )
    if not note:
        lines.append(f"Tornado on {what} (5th -> 95th percentile of each assumption):")
        for bar in answers["tornado"][:5]:
            lines.append(f"  {short(bar.path):55s} {_money(bar.at_low)} -> {_money(bar.at_high)}")
    if note:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def uncertainty_json(psa: PsaResult, answers: dict[str, Any], kind: str) -> dict[str, Any]:
    """Plain JSON-ready answers (``p_best``, ``evppi``, ``npv`` quantiles, ...)."""
    out: dict[str, Any] = {
        "kind": kind,
        "covers": COVERS,
        "draws": psa.draws,
        "runs_per_draw": psa.runs,
        "seed": psa.seed,
        "sampling": psa.method,
        "discount_rate": psa.discount_rate,
        "designs": list(psa.labels),
        "assumptions": {
            k.path: {"distribution": k.dist.describe(), "reason": k.dist.reason} for k in psa.keys
        },
        "warnings": [note] if (note := rough_note(psa)) else [],
        "research_ranking_needs_draws": research_draws(psa),
    }
    for key, value in answers.items():
        if key == "tornado":
            out[key] = [
                {
                    "assumption": b.path,
                    "low_value": b.low_value,
                    "high_value": b.high_value,
                    "net_at_low": b.at_low,
                    "net_at_high": b.at_high,
                }
                for b in value
            ]
        elif key == "p_breakeven_by_year":
            out[key] = {str(y): p for y, p in value.items()}
        elif key not in out:
            out[key] = value
    return out


def draws_table(psa: PsaResult) -> DataTable:
    """One row per draw and design: the drawn values and the outcomes, with their meanings."""
    paths = [k.path for k in psa.keys]
    header = [
        "draw",
        "design",
        *paths,
        "npv",
        "contribution",
        "net_npv_vs_baseline",
        "net_value_vs_baseline",
        "break_even_month",
        *SUMMARY_KPIS,
    ]

    def cell(x: float) -> Any:
        return None if x is None or not math.isfinite(x) else float(x)

    rows = (
        [
            i,
            label,
            *(cell(v) for v in psa.parameters[i]),
            cell(psa.npv[i, d]),
            cell(psa.value[i, d]),
            cell(psa.net_npv[i, d]),
            cell(psa.net_value[i, d]),
            None if d == 0 else cell(psa.break_even[i, d]),
            *(cell(v) for v in psa.kpis[i, d]),
        ]
        for i in range(psa.draws)
        for d, label in enumerate(psa.labels)
    )
    money = f"discounted at {psa.discount_rate:.0%} a year"
    fields: dict[str, tuple[str, str]] = {
        "draw": ("integer", "Draw index: one joint draw of every uncertain assumption."),
        "design": ("string", "The design's label; every design sees the same draws."),
        "npv": (
            "number",
            f"The design's operating contribution over the horizon, {money} (dollars).",
        ),
        "contribution": (
            "number",
            "The design's operating contribution over the horizon, undiscounted (dollars).",
        ),
        "net_npv_vs_baseline": (
            "number",
            f"NPV minus the first design's NPV in the same draw, {money} (dollars).",
        ),
        "net_value_vs_baseline": (
            "number",
            "Contribution minus the first design's in the same draw, undiscounted (dollars).",
        ),
        "break_even_month": (
            "number",
            "Month the net value against the first design turns positive for good; empty for "
            "the first design and where it never does.",
        ),
    }
    for key in psa.keys:
        fields[key.path] = ("number", f"The value drawn for {key.path} ({key.dist.describe()}).")
    for name in SUMMARY_KPIS:
        entry = kpis.get(name)
        fields[name] = ("number", f"{entry.label} in the final year, mean of the draw's runs.")
    return DataTable(
        "draws",
        f"{psa.draws} draws x {len(psa.labels)} designs: the assumptions drawn and what each "
        f"design gave ({COVERS}).",
        header,
        rows,
        ["draw", "design"],
        extra_fields=fields,
    )


def draws_csv(psa: PsaResult) -> str:
    """Tidy CSV: one row per draw and design, the drawn values and the outcomes."""
    table = draws_table(psa)
    return csv_text(table.header, table.rows)


# --- figures ----------------------------------------------------------------------------------


def _figure(width: float = 7.5, height: float = 4.0) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def npv_histogram(psa: PsaResult, answers: dict[str, Any]) -> Figure:
    """Distribution of the CCO org's NPV over draws, with 5/50/95% and zero marked."""
    figure = _figure()
    axes = figure.add_subplot()
    net = psa.net_npv[:, 1]
    axes.hist(net, bins=min(40, max(10, psa.draws // 10)), color="#0072B2", alpha=0.8)
    q = answers["npv"]
    for key, style in (("p05", ":"), ("p50", "-"), ("p95", ":")):
        axes.axvline(q[key], color="black", linestyle=style, linewidth=1)
    axes.axvline(0, color="#D55E00", linewidth=1.5)
    unit_axis(axes.xaxis, "$", signed=True)
    axes.set_xlabel(f"NPV of the CCO org vs the current org ({psa.discount_rate:.0%} a year)")
    axes.set_ylabel("draws")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(
        f"NPV > 0 in {of_draws(answers['p_npv_positive'], psa.draws)} draws; lines: 5th, 50th, "
        "95th percentile",
        loc="left",
        fontweight="bold",
        fontsize=10,
    )
    return figure


def breakeven_figure(answers: dict[str, Any]) -> Figure:
    """P(break-even within N years of the hire) against N: the acceptability-curve idea."""
    figure = _figure(7.5, 3.4)
    axes = figure.add_subplot()
    curve = answers["p_breakeven_by_year"]
    years, shares = list(curve), list(curve.values())
    axes.step(years, shares, where="post", color="#0072B2", linewidth=2)
    axes.plot(years, shares, "o", color="#0072B2")
    axes.set_ylim(0, 1.02)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlabel("years after the hire")
    axes.set_ylabel("P(broken even)")
    axes.set_xticks(years)
    axes.grid(alpha=0.3)
    axes.set_title("Probability the CCO org has paid back, by year", loc="left", fontweight="bold")
    return figure


def evppi_figure(answers: dict[str, Any]) -> Figure:
    """EVPPI per assumption (top ones), with the EVPI line: what research would be worth.

    When no single assumption's EVPPI is above zero the figure says so in words, naming no
    assumption (a list of zeros would read as a ranking).
    """
    ranked = _worth_researching(answers)[::-1]  # the most valuable on top of the chart
    values = [v for _, v in ranked]
    if not ranked:
        figure = _figure(7.5, 1.6)
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.set_title("Which assumption is worth researching", loc="left", fontweight="bold")
        evpi = answers["evpi"]
        words = (
            "No assumption within its range changes the decision in any draw (EVPI = $0):\n"
            "nothing is worth researching before deciding."
            if evpi <= 0
            else f"Knowing every assumption at once is worth {_money(evpi, signed=False)} "
            "(EVPI), but no single\nassumption's EVPPI is distinguishable from zero with "
            "these draws."
        )
        axes.text(0.0, 0.5, words, transform=axes.transAxes, va="center", fontsize=10)
        return figure
    figure = _figure(7.5, 0.4 * len(ranked) + 1.4)
    axes = figure.add_subplot()
    names = [short(p) for p, _ in ranked]
    errors = [answers["evppi_se"][p] for p, _ in ranked]
    axes.barh(range(len(ranked)), values, xerr=errors, color="#009E73", height=0.6)
    axes.axvline(answers["evpi"], color="black", linestyle="--", linewidth=1, label="EVPI (all)")
    axes.set_yticks(range(len(ranked)), names, fontsize=8)
    unit_axis(axes.xaxis, "$")
    right = max([answers["evpi"], *(v + e for v, e in zip(values, errors, strict=True))])
    axes.set_xlim(0, right * 1.1)
    axes.set_xlabel("value of knowing the assumption before deciding ($; whiskers: 1 se)")
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    axes.set_title("Which assumption is worth researching", loc="left", fontweight="bold")
    return figure


def tornado_figure(answers: dict[str, Any], what: str) -> Figure:
    """Expected net value with each assumption at its 5th and at its 95th percentile."""
    bars = list(reversed(answers["tornado"][:TOP]))
    figure = _figure(7.5, 0.45 * len(bars) + 1.4)
    axes = figure.add_subplot()
    for row, bar in enumerate(bars):
        left, right = sorted((bar.at_low, bar.at_high))
        axes.barh(row, right - left, left=left, color="#56B4E9", height=0.6)
        axes.plot([bar.at_low], [row], "<", color="#D55E00")
        axes.plot([bar.at_high], [row], ">", color="#0072B2")
    axes.axvline(0, color="black", linewidth=1)
    ends = [0.0, *(v for b in bars for v in (b.at_low, b.at_high))]
    pad = 0.08 * ((max(ends) - min(ends)) or 1.0)
    axes.set_xlim(min(ends) - pad, max(ends) + pad)  # the end markers stay inside
    axes.set_yticks(range(len(bars)), [short(b.path) for b in bars], fontsize=8)
    unit_axis(axes.xaxis, "$", signed=True)
    axes.set_xlabel(f"{what}\nexpected at the assumption's 5th (<) and 95th (>) percentile")
    axes.set_title(f"Tornado on {what}", loc="left", fontweight="bold")
    axes.grid(axis="x", alpha=0.3)
    return figure


def p_best_figure(psa: PsaResult, answers: dict[str, Any]) -> Figure:
    """P(best) of each design on NPV and the headline KPIs, grouped bars."""
    measures = ["npv", "grr", "nrr", "arr"]
    figure = _figure()
    axes = figure.add_subplot()
    colors = design_colors(list(psa.labels))
    width = 0.8 / len(psa.labels)
    for d, label in enumerate(psa.labels):
        xs = np.arange(len(measures)) + d * width
        shares = [answers["p_best"][label][k] for k in measures]
        bars = axes.bar(xs, shares, width, color=colors[label], label=label)
        counts = [of_draws(v, psa.draws).replace(" of ", "/") for v in shares]
        axes.bar_label(bars, counts, fontsize=7, padding=2)
    axes.set_xticks(np.arange(len(measures)) + 0.4 - width / 2, ["NPV", "GRR", "NRR", "ARR"])
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylim(0, 1.1)  # room for the 100% labels
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    axes.legend(
        frameon=False,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=min(len(psa.labels), 4),
    )
    axes.set_title(
        f"Probability each design is best (bars: draws of {psa.draws})",
        loc="left",
        fontweight="bold",
    )
    return figure


def answer_table(psa: PsaResult, answers: dict[str, Any], kind: str) -> Table:
    """The headline answers under draws: P(best) per design, or the business case's lines."""
    if kind == "business-case":
        return Table(
            ["", "CCO org vs current org"],
            [list(p) for p in _business_lines(answers)],
            caption=f"Under assumption uncertainty: {psa.draws} draws x {psa.runs} run(s); "
            f"covers {COVERS}",
        )
    return _compare_table(psa, answers)


def _research_sentence(psa: PsaResult, answers: dict[str, Any]) -> str:
    evpi = _money(answers["evpi"], signed=False)
    if answers["evpi"] <= 0:
        return (
            "No assumption within its range changes the decision in any of the draws "
            "(EVPI = $0): nothing is worth researching before deciding."
        )
    note = rough_note(psa)
    if note:
        return (
            f"Over the same draws, knowing every assumption before deciding is worth {evpi} "
            f"(EVPI). {note}"
        )
    ranked = _worth_researching(answers)
    if not ranked:
        return (
            f"Over the same draws, knowing every assumption before deciding is worth {evpi} "
            "(EVPI), but no single assumption's value (EVPPI) is distinguishable from zero "
            f"with {psa.draws} draws."
        )
    named = ", ".join(f"{short(p)} ({_money(v, signed=False)})" for p, v in ranked[:3])
    return (
        f"Over the same draws, knowing every assumption before deciding is worth {evpi} "
        "(EVPI); worth researching first (EVPPI, the value of knowing one assumption before "
        f"deciding): {named}."
    )


def _draws_scope(psa: PsaResult) -> str:
    return (
        f"{psa.draws} draws of the ranges of {len(psa.keys)} assumptions (the same draws for "
        f"every design), {psa.runs} run{'s' if psa.runs != 1 else ''} each"
    )


def summary_paragraphs(psa: PsaResult, answers: dict[str, Any], kind: str) -> list[str]:
    """The draws' answers as executive-summary sentences, each saying what its numbers cover."""
    across = f"Across {_draws_scope(psa)}, covering {COVERS}"
    if kind == "business-case":
        q, curve = answers["npv"], answers["p_breakeven_by_year"]
        shown = [y for y in BREAK_EVEN_YEARS if y in curve] + [max(curve)]
        lift = answers.get("lift_that_pays")
        lines = [
            f"{across}: the CCO org's NPV against the current org is positive in "
            f"{of_draws(answers['p_npv_positive'], psa.draws)} draws; its median is "
            f"{_money(q['p50'])} and "
            f"90% of draws fall between {_money(q['p05'])} and {_money(q['p95'])} (discounted "
            f"at {psa.discount_rate:.0%} a year). Probability it has broken even within N years "
            "of the hire: "
            + ", ".join(f"{y} y {of_draws(curve[y], psa.draws)}" for y in dict.fromkeys(shown))
            + ".",
            _research_sentence(psa, answers),
        ]
        if lift is not None:
            lines.append(
                "Smallest GRR lift that pays for the role under the same draws: "
                f"{_lift_words(lift['pays_on_average'])} on average; "
                f"{_lift_words(lift['pays_in_80_percent'])} in 80% of draws."
            )
        return lines
    best = answers["p_best"]
    ranked = sorted(psa.labels, key=lambda lb: -best[lb]["npv"])
    shares = ", ".join(f"{lb} {of_draws(best[lb]['npv'], psa.draws)}" for lb in ranked)
    losses = ", ".join(
        f"{lb} {_money(answers['expected_loss'][lb], signed=False)}"
        for lb in sorted(psa.labels, key=lambda lb: answers["expected_loss"][lb])
    )
    return [
        f"{across}: draws in which each design has the highest NPV of operating "
        f"contribution over the horizon (discounted at {psa.discount_rate:.0%} a year): "
        f"{shares}. Expected loss of each choice (the NPV given up against the best design of "
        f"each draw, on average): {losses}. The first table gives P(best) on the headline KPIs.",
        _research_sentence(psa, answers),
    ]


def covered_sentence(psa: PsaResult, kind: str) -> str:
    """Which numbers of a report cover assumption uncertainty, for its point-value intervals."""
    what = (
        "P(NPV > 0), the NPV's 5-95% range, break-even by year"
        if kind == "business-case"
        else "P(best), expected loss"
    )
    what += " and EVPPI" if ranks_research(psa) else " and EVPI"
    return (
        f"{what} above (details in 'Decisions under uncertainty') come from the {psa.draws} "
        f"draws and cover both {COVERS}."
    )


def uncertainty_figures(psa: PsaResult, answers: dict[str, Any], kind: str) -> list[FigureItem]:
    """The figures of the draws: NPV and break-even or P(best), then EVPPI and tornado."""
    if kind == "business-case":
        figures = [
            FigureItem("npv_draws", npv_histogram(psa, answers), f"NPV over draws; {COVERS}."),
        ]
        if answers["p_breakeven_by_year"]:  # none when no whole year follows the hire
            figures.append(
                FigureItem("break_even_curve", breakeven_figure(answers), f"Break-even; {COVERS}.")
            )
        what = "NPV"
    else:
        figures = [FigureItem("p_best", p_best_figure(psa, answers), f"P(best); {COVERS}.")]
        what = f"{answers['leader']}'s NPV lead over {answers['runner_up']}"
    if not ranks_research(psa):  # too few draws to rank assumptions: no chart ranks them
        return figures
    return [
        *figures,
        FigureItem("evppi", evppi_figure(answers), "What research on each assumption is worth."),
        FigureItem("tornado_net_value", tornado_figure(answers, what), f"Tornado; {COVERS}."),
    ]


def uncertainty_section(
    psa: PsaResult, answers: dict[str, Any], kind: str, *, answer: bool = True
) -> Section:
    """The report section: answers, EVPPI ranking, tornado, with what every figure covers.

    Args:
        psa: The draws.
        answers: Their answers (:mod:`ccosim.experiment.decision`).
        kind: ``compare`` or ``business-case``.
        answer: Lead with the answer table (leave it out when the summary already has it).
    """
    evppi_table = Table(
        ["assumption", "EVPPI", "se"],
        _evppi_rows(answers),
        caption="Which assumption is worth researching (EVPPI)",
        note="Expected value of partial perfect information: how much knowing this one "
        "assumption before deciding is worth (regression metamodel, Strong, Oakley and Brennan "
        "2014). Zero: no plausible value of it changes the decision, or with this many draws its "
        "value cannot be told from zero (a fit must beat a constant at the 5% level). The "
        "ranges drawn are listed in 'Uncertainty ranges drawn'.",
    )
    # A column of $0 is no ranking, and neither is one from too few draws.
    ranked = bool(_worth_researching(answers)) and ranks_research(psa)
    return Section(
        "Decisions under uncertainty",
        paragraphs=[
            _header(psa),
            *([] if ranked else [_research_sentence(psa, answers)]),
        ],
        tables=[
            *([answer_table(psa, answers, kind)] if answer else []),
            *([evppi_table] if ranked else []),
        ],
        figures=uncertainty_figures(psa, answers, kind),
    )


def ranges_section(psa: PsaResult) -> Section:
    """The ranges drawn, each with its reason (from the scenarios' uncertainty blocks)."""
    return Section(
        "Uncertainty ranges drawn",
        paragraphs=[
            "Each assumption's range and why; every draw takes one value of each "
            "(docs/uncertainty.md explains the shipped ranges)."
        ],
        tables=[
            Table(
                ["assumption", "range", "reason"],
                [[short(k.path), k.dist.describe(), k.dist.reason] for k in psa.keys],
                caption="The ranges drawn (from the scenarios' uncertainty blocks)",
                left=(1, 2),
            )
        ],
    )


@dataclass(frozen=True)
class DrawsPart:
    """What assumption draws add to a report: summary sentences, a section and data files.

    Attributes:
        summary: Paragraphs and tables for the executive summary.
        section: The body section ('Decisions under uncertainty').
        ranges: The ranges drawn, for the end of the report.
        covered: A sentence saying which numbers cover assumption uncertainty, and how.
        scope: The draws in a phrase (how many, of what, and what they cover).
        tables: Data tables for ``data/`` (``draws.csv``), described in ``datapackage.json``.
        files: Other ``data/`` files by name (``uncertainty.json``).
        odds: P(best) per design and KPI and the number of draws (a comparison's; None for
            a business case): the summary calls a design best only when these support it.
        evidence: What page 1 says of the draws (a comparison's; None for a business case).
        counts: How many draws, runs per draw, the sampling and seed (for the manifest).
        answers: The answers themselves, the designs named as in the report.
        research: Draws that ranking the assumptions needs.
    """

    summary: Section
    section: Section
    ranges: Section
    covered: str
    scope: str
    tables: Sequence[DataTable]
    files: dict[str, str]
    odds: Odds | None = None
    evidence: Evidence | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    research: int = 0


def relabelled(
    psa: PsaResult, answers: dict[str, Any], names: dict[str, str]
) -> tuple[PsaResult, dict[str, Any]]:
    """The draws and their answers with the designs renamed (e.g. file stems -> labels)."""
    if not names:
        return psa, answers
    out = dict(answers)
    for key in ("p_best", "expected_loss", "expected_npv"):
        if key in out:
            out[key] = {names.get(k, k): v for k, v in out[key].items()}
    for key in ("leader", "runner_up"):
        if key in out:
            out[key] = names.get(out[key], out[key])
    return replace(psa, labels=tuple(names.get(lb, lb) for lb in psa.labels)), out


def draws_part(
    psa: PsaResult, answers: dict[str, Any], kind: str, names: dict[str, str] | None = None
) -> DrawsPart:
    """Everything a point-value report needs to carry the answers of its draws.

    Args:
        psa: The draws.
        answers: Their answers (:mod:`ccosim.experiment.decision`).
        kind: ``compare`` or ``business-case``.
        names: The report's name of each design, by the draws' label, so that the summary,
            the charts and ``draws.csv`` name the designs as the rest of the report does.
    """
    psa, answers = relabelled(psa, answers, names or {})
    payload = json.dumps(uncertainty_json(psa, answers, kind), indent=2, default=float)
    in_summary = kind != "business-case"  # P(best) is the summary's table; NPV lines are prose
    return DrawsPart(
        summary=Section(
            "Under assumption uncertainty",
            paragraphs=[*summary_paragraphs(psa, answers, kind), *calibration_lines(answers)],
            tables=[answer_table(psa, answers, kind)] if in_summary else [],
        ),
        section=uncertainty_section(psa, answers, kind, answer=not in_summary),
        ranges=ranges_section(psa),
        covered=covered_sentence(psa, kind),
        scope=_draws_scope(psa),
        tables=[draws_table(psa)],
        files={"uncertainty.json": payload + "\n"},
        odds=(answers["p_best"], psa.draws) if "p_best" in answers else None,
        evidence=evidence_of(answers, psa.draws, research_draws(psa))
        if "p_best" in answers
        else None,
        counts={
            "draws": psa.draws,
            "runs_per_draw": psa.runs,
            "sampling": psa.method,
            "seed": psa.seed,
        },
        answers=answers,
        research=research_draws(psa),
    )


def carried_by(comparison: Any, kpi: str = "nrr") -> str:
    """The sentence of the report's summary naming what carries each design's NRR difference.

    The same terms as the HTML (every mechanism and the remainder, largest first), so the
    terminal and the report tell one story. Empty when the comparison was run without
    attribution or is not paired.
    """
    c = comparison
    pieces = carrying_pieces(c, c.years[-1], kpi)
    if not pieces:
        return ""
    return (
        "; ".join(pieces)
        + f" (year {c.years[-1]}, paired 95% intervals). These are assumed effect sizes; "
        "docs/uncertainty.md gives their ranges."
    )


def ranking_text(result: Any) -> str:
    """Terminal table of a ranking sweep: expected NPV and P(best) of each design per point."""
    paths = [f.path for f in result.factors]
    lines = [
        f"Ranking of {len(result.labels)} designs at {len(result.points)} grid points "
        + (
            f"({result.draws} draws x {result.runs} runs per point)"
            if result.draws
            else f"({result.runs} runs per point)"
        )
        + f"; expected NPV of operating contribution; P(best) covers {result.covers}."
    ]
    header = [*(short(p) for p in paths), "leader", *(f"P({lb} best)" for lb in result.labels)]
    rows = []
    count = result.draws or result.runs  # P(best) is over draws, or over runs without them
    sure = 0
    for point, best, shares in zip(result.points, result.best(), result.p_best, strict=True):
        sure += bool(max(shares) >= SURE)
        rows.append(
            [
                *(f"{point[p]:g}" if isinstance(point[p], float) else str(point[p]) for p in paths),
                best,
            ]
            + [of_draws(s, count) for s in shares]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    overall = max(set(result.best()), key=result.best().count)
    lost = result.where_not_best(overall)
    if lost:
        where = "; ".join(", ".join(f"{short(k)}={v}" for k, v in p.items()) for p in lost[:6])
        lines.append(f"{overall} leads (highest expected NPV) at most points but not at: {where}.")
    else:
        lines.append(f"{overall} leads (highest expected NPV) at every grid point.")
    lines.append(
        f"The leader is best in at least {SURE:.0%} of the "
        f"{'draws' if result.draws else 'runs'} at {sure} of {len(result.points)} points; "
        "elsewhere it only leads."
    )
    return "\n".join(lines)


def ranking_csv(result: Any) -> str:
    """Tidy CSV of a ranking sweep: one row per grid point and design."""
    paths = [f.path for f in result.factors]
    header = [*paths, "design", "expected_npv", "p_best", "best", "covers"]
    rows = []
    for i, point in enumerate(result.points):
        best = result.best()[i]
        for d, label in enumerate(result.labels):
            rows.append(
                [
                    *(point[p] for p in paths),
                    label,
                    float(result.expected_npv[i, d]),
                    float(result.p_best[i, d]),
                    label == best,
                    result.covers,
                ]
            )
    return csv_text(header, rows)
