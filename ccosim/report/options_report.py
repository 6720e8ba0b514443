"""The CEO's page over several options: the status quo and each option side by side.

One table answers "which option, and what is it worth": each option's NPV with its interval
and what it covers, break-even, net value and cost, read at the horizon the user chose
(``--years``, else 5 years) with 3 and 5 years and the whole horizon beside it. Under
``--draws``, P(best option) and EVPPI come from
:func:`~ccosim.experiment.option_draws.option_answers`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ccosim.experiment.business_case import PERSISTENCE, BusinessCase
from ccosim.experiment.decision import COVERS
from ccosim.experiment.options import STATUS_QUO, OptionsCase
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.experiment.psa import PsaResult
from ccosim.formatting import format_value, text_table
from ccosim.literal_text import literal_text
from ccosim.output import atomic_dir, write_text
from ccosim.report.business_case_report import KIND_LABELS, case_footer, case_json
from ccosim.report.data import write_comparison_data
from ccosim.report.document import FigureItem, Report, Section, Table, render_html, write_markdown
from ccosim.report.figures import design_colors, net_value_axes
from ccosim.report.plan_section import plan_data_tables, plan_section
from ccosim.report.summary import of_draws
from ccosim.report.uncertainty_report import DrawsPart, uncertainty_json

__all__ = [
    "POINT_COVERS",
    "build_options_page",
    "draws_json",
    "options_json",
    "options_net_value_figure",
    "options_text",
    "ranking_sentence",
    "side_by_side_table",
    "write_options_page",
]

#: What the point values' intervals cover, said once.
POINT_COVERS = (
    "95% paired over replications: customer randomness only, with the assumptions at their "
    "point values (run with --draws N to include assumption uncertainty)"
)
_DASH = "-"


def _years(months: int) -> str:
    if months % 12:
        return f"{months} months"
    return f"{months // 12} year{'s' if months != 12 else ''}"


def _short(months: int) -> str:
    return f"{months // 12}y" if months % 12 == 0 else f"{months}m"


def _money(value: float, signed: bool = True) -> str:
    return format_value(value, "$", signed=signed)


def _span(i: Any) -> str:
    return f"{_money(i.mean[0])} ({_money(i.lo[0])} to {_money(i.hi[0])})"


def _break_even(case: BusinessCase, short: bool = False) -> str:
    be = case.break_even_summary()
    if be["median"] is None:
        return "none" if short else "not within the horizon"
    if short:
        return f"m{be['median']} ({be['share_reached']:.0%})"
    return f"month {be['median']} ({be['share_reached']:.0%} of runs)"


def _in_place(case: BusinessCase, short: bool = False) -> str:
    """When the change is made: the search month and the month the new leader is in post."""
    month, start = case.hire_month, case.in_post_month
    if short:
        if start is None:
            return f"m{month} -> later"
        return f"m{month}" if start == month else f"m{month} -> m{start}"
    if start is None:
        return f"search opens month {month}; in post after the horizon"
    if start == month:
        return f"month {month}"
    return f"search opens month {month}; in post month {start}"


def _added_cost(case: BusinessCase, months: int) -> float:
    return float(case.yearly_delta("org_cost").mean[max(0, months // 12 - 1)])


def _head(ocase: OptionsCase, draws: dict[str, Any] | None) -> str:
    c = ocase.comparison
    chosen = (
        "chosen with --years"
        if next(iter(ocase.cases.values())).lead_months
        else "the default; set it with --years"
    )
    runs = (
        f"{draws['draws']} draws x {draws['runs_per_draw']} runs"
        if draws
        else f"{c.runs} runs, seed {c.seed}"
    )
    return (
        f"Business case: {len(ocase.names)} option{'s' if len(ocase.names) != 1 else ''} vs "
        f"{ocase.current} (the status quo), read at {_years(ocase.lead)} ({chosen}) of "
        f"{_years(ocase.total_months)} simulated; {runs}, common random numbers"
    )


def _point_rows(ocase: OptionsCase) -> list[list[str]]:
    lead = ocase.lead
    others = [m for m in ocase.horizons() if m != lead]
    header = [
        "option",
        "change",
        f"NPV {_short(lead)} (95%)",
        f"net value {_short(lead)}",
        *(f"NPV {_short(m)}" for m in others),
        f"cost/yr y{max(1, lead // 12)}",
        "one-time",
        "break-even",
    ]
    rows = [header, [STATUS_QUO, _DASH, "$0", "$0", *("$0" for _ in others), "$0", "$0", _DASH]]
    for name, case in ocase.cases.items():
        rows.append(
            [
                name,
                _in_place(case, short=True),
                _span(case.npv_at(lead)),
                _money(case.net_value_at(lead).mean[0]),
                *(_money(case.npv_at(m).mean[0]) for m in others),
                _money(_added_cost(case, lead)),
                _money(sum(case.one_time_costs().values()), signed=False),
                _break_even(case, short=True),
            ]
        )
    return rows


def _draw_rows(answers: dict[str, Any]) -> list[list[str]]:
    lead = answers["valued_over_months"]
    rows = [
        [
            "option",
            f"NPV over {_years(lead)} (mean; 5th-95th pct of draws)",
            "P(best)",
            "P(NPV > 0)",
            "expected loss",
            "break-even (median of draws)",
        ]
    ]
    for i, (label, o) in enumerate(answers["options"].items()):
        name = STATUS_QUO if i == 0 else label
        npv = o["npv"]
        be = o["break_even_month"]
        rows.append(
            [
                name,
                _DASH
                if i == 0
                else f"{_money(npv['mean'])} ({_money(npv['low'])} to {_money(npv['high'])})",
                of_draws(o["p_best"], answers["draws"]),
                _DASH if i == 0 else of_draws(o["p_npv_positive"], answers["draws"]),
                _money(o["expected_loss"], signed=False),
                _DASH
                if i == 0
                else ("not within the horizon" if be is None else f"month {be}")
                + f" ({of_draws(o['break_even_share'], answers['draws'])} draws)",
            ]
        )
    return rows


def _research_lines(answers: dict[str, Any], rough: str | None) -> list[str]:
    evppi = sorted(answers["evppi"].items(), key=lambda kv: -kv[1])
    worth = [(p, v) for p, v in evppi if v > 0][:5]
    evpi = _money(answers["evpi"], False)
    lines = [f"EVPI (value of knowing every assumption before choosing): {evpi}"]
    if rough is not None and answers["evpi"] > 0:
        lines.append(rough)
    elif answers["evpi"] <= 0:
        lines.append("No assumption within its range changes the choice in any draw.")
    elif not worth:
        lines.append("No one assumption's EVPPI is distinguishable from zero with these draws.")
    else:
        lines.append("Worth researching first (EVPPI for the choice among every option):")
        se = answers["evppi_se"]
        width = max(len(p) for p, _ in worth)
        lines += [
            f"  {p.ljust(width)}  {_money(v, False):>7} (se {_money(se[p], False)})"
            for p, v in worth
        ]
    return lines


def options_text(
    ocase: OptionsCase | None, answers: dict[str, Any] | None = None, rough: str | None = None
) -> str:
    """The options table for a terminal, what its intervals cover, and the horizon's caveat.

    With ``answers`` (draws) the table is theirs; ``ocase`` (point values) may then be None.
    ``rough`` says why the draws are too few to rank the assumptions (then none is ranked).
    """
    if answers is not None:
        head = _draws_head(answers)
        rows = _draw_rows(answers)
        covers = f"NPV ranges and P(best) cover {COVERS}."
        notes = [covers, *_research_lines(answers, rough)]
        total = answers.get("simulated_months", answers["valued_over_months"])
        lead = answers["valued_over_months"]
    else:
        assert ocase is not None
        head = _head(ocase, None)
        rows = _point_rows(ocase)
        notes = [
            f"Intervals: {POINT_COVERS}. change: month the search opens -> the new leader is "
            "in post and the teams move; cost/yr: added org cost in that year; break-even: "
            "median month from month 0 (share of runs that break even).",
        ]
        total, lead = ocase.total_months, ocase.lead
    if lead < total:
        notes.append(PERSISTENCE)
    wrapped = [textwrap.fill(n, width=100, subsequent_indent="  ") for n in notes]
    return "\n".join([head, "-" * min(len(head), 100), text_table(rows, rule=True), *wrapped])


def _draws_head(answers: dict[str, Any]) -> str:
    names = list(answers["options"])
    return (
        f"Business case under draws: {len(names) - 1} option{'s' if len(names) != 2 else ''} "
        f"vs {names[0]} (the status quo), valued over {_years(answers['valued_over_months'])}; "
        f"{answers['draws']} draws x {answers['runs_per_draw']} "
        f"run{'s' if answers['runs_per_draw'] != 1 else ''}, common draws and random numbers"
    )


def options_json(ocase: OptionsCase) -> dict[str, Any]:
    """The point values of every option as JSON-ready data, the status quo first.

    ``options`` holds one entry per option, the status quo as ``status_quo`` (NPV 0):
    ``npv`` and ``net_value`` at the lead horizon with 95% paired intervals (customer
    randomness only), ``by_horizon`` at 3 and 5 years, the lead and the whole,
    ``break_even_month`` (median over runs, counted from month 0) and the rest of each
    option's one-pager figures.
    """
    c = ocase.comparison
    options: dict[str, Any] = {}
    for name, case in ocase.cases.items():
        entries = case_json(case)["options"]
        options.setdefault(STATUS_QUO, entries[STATUS_QUO])
        options[name] = entries[name]
    return {
        "kind": "business-case options",
        "current": ocase.current,
        "runs": c.runs,
        "seed": c.seed,
        "years": len(c.years),
        "lead_months": ocase.lead,
        "horizons_months": ocase.horizons(),
        "discount_rate": next(iter(ocase.cases.values())).discount_rate,
        "intervals": POINT_COVERS,
        "persistence": PERSISTENCE,
        "options": options,
    }


def draws_json(
    psa: PsaResult, answers: dict[str, Any], point: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The draws' answers, each option's entry merged over its point values (if any).

    The draws' settings, the assumptions drawn and the tornado as
    :func:`~ccosim.report.uncertainty_report.uncertainty_json` writes them; ``p_best`` is
    per option (on NPV over the lead horizon, summing to 1).
    """
    out = uncertainty_json(psa, answers, "business-case options under draws")
    options: dict[str, Any] = {}
    for i, (label, entry) in enumerate(answers["options"].items()):
        name = STATUS_QUO if i == 0 else label
        options[name] = {**((point or {}).get("options", {}).get(name, {})), **entry}
        if i == 0:
            options[name]["label"] = label
    out["options"] = options
    out["p_best"] = {name: o["p_best"] for name, o in options.items()}
    out["persistence"] = PERSISTENCE
    return out


@literal_text
def options_net_value_figure(ocase: OptionsCase) -> Figure:
    """The cumulative net value of each option by month, mean of runs."""
    figure = Figure(figsize=(7.5, 3.8), layout="constrained")
    axes = figure.add_subplot()
    colors = design_colors([ocase.current, *ocase.names])
    months = np.arange(1, ocase.total_months + 1) / 12
    axes.axhline(0, color=colors[ocase.current], linewidth=1.2, label=f"{STATUS_QUO} (0)")
    for name, case in ocase.cases.items():
        axes.plot(months, case.net_value.mean(axis=0), color=colors[name], linewidth=2, label=name)
    axes.axvline(
        ocase.lead / 12,
        color="black",
        linestyle="--",
        linewidth=1,
        label=f"answer read at {_years(ocase.lead)}",
    )
    net_value_axes(
        axes,
        f"Cumulative net value of each option against {ocase.current} (mean of runs)",
    )
    return figure


def side_by_side_table(ocase: OptionsCase, answers: dict[str, Any] | None) -> Table:
    """Measures down, the status quo and the options across."""
    lead = ocase.lead
    cases = list(ocase.cases.values())
    rows: list[list[str]] = [
        [f"NPV over {_years(lead)} (95%)", "$0", *(_span(c.npv_at(lead)) for c in cases)],
        [f"net value over {_years(lead)}", "$0", *(_span(c.net_value_at(lead)) for c in cases)],
    ]
    if answers is not None:
        opts = list(answers["options"].values())
        rows += [
            [
                "P(best option): draws with the highest NPV",
                *(of_draws(o["p_best"], answers["draws"]) for o in opts),
            ],
            [
                "NPV over draws (5th-95th pct)",
                _DASH,
                *(f"{_money(o['npv']['low'])} to {_money(o['npv']['high'])}" for o in opts[1:]),
            ],
        ]
    rows += [
        [
            f"NPV over {_years(m)}" + (" (the lift assumed to persist)" if m > lead else ""),
            "$0",
            *(_money(c.npv_at(m).mean[0]) for c in cases),
        ]
        for m in ocase.horizons()
        if m != lead
    ]
    rows += [
        ["change in place", _DASH, *(_in_place(c) for c in cases)],
        ["break-even (median of runs)", _DASH, *(_break_even(c) for c in cases)],
        [
            f"added org cost, year {max(1, lead // 12)}",
            "$0",
            *(_money(_added_cost(c, lead)) for c in cases),
        ],
        [
            "one-time costs",
            "$0",
            *(
                ", ".join(
                    f"{KIND_LABELS.get(k, k)} {_money(v, signed=False)}"
                    for k, v in c.one_time_costs().items()
                    if v
                )
                or "$0"
                for c in cases
            ),
        ],
        [
            f"GRR lift, year {max(1, lead // 12)}",
            _DASH,
            *(
                format_value(c.yearly_delta("grr").mean[max(0, lead // 12 - 1)], "pts", signed=True)
                for c in cases
            ),
        ],
    ]
    return Table(
        ["", f"{STATUS_QUO} ({ocase.current})", *ocase.names],
        rows,
        caption=f"Each option against the status quo, read at {_years(lead)}; intervals "
        + POINT_COVERS,
    )


def ranking_sentence(ocase: OptionsCase) -> str:
    """The options by mean NPV at the lead horizon, highest first, the status quo among them."""
    lead = ocase.lead
    means = {name: float(c.npv_at(lead).mean[0]) for name, c in ocase.cases.items()}
    means[f"{STATUS_QUO} ({ocase.current})"] = 0.0
    ranked = sorted(means.items(), key=lambda kv: -kv[1])
    return (
        f"Mean NPV over {_years(lead)} at the assumptions' point values, highest first: "
        + "; ".join(f"{name} {_money(v)}" for name, v in ranked)
        + ". The table gives each one's interval against the status quo."
    )


def build_options_page(
    ocase: OptionsCase,
    answers: dict[str, Any] | None = None,
    draws: DrawsPart | None = None,
    plans: Mapping[str, HeadcountPlan] | None = None,
) -> Report:
    """The options side by side as a report document (the draws' answers first if any).

    With ``plans``, each option's hiring plan and the status quo's after the answer.
    """
    c = ocase.comparison
    lead, total = ocase.lead, ocase.total_months
    horizon = (
        f"The answer is read at {_years(lead)}"
        + (
            " (chosen with --years)."
            if next(iter(ocase.cases.values())).lead_months
            else " (the default; choose another with --years)."
        )
        + (f" The runs go on to {_years(total)}. {PERSISTENCE}" if lead < total else "")
    )
    money = (
        "Net value is each option's operating contribution (revenue minus hosting, the whole "
        "org's loaded cost and one-time costs of the change) minus the status quo's, month by "
        f"month on the same simulated customers; NPV discounts it at "
        f"{next(iter(ocase.cases.values())).discount_rate:.0%} a year. With a hire month the "
        "search opens then and the teams move when the new executive is in post."
    )
    return Report(
        title=f"Business case over {len(ocase.names)} options, read at {_years(lead)}: "
        f"against {ocase.current}",
        subtitle=f"{c.runs} runs on common random numbers, seed {c.seed}, {_years(total)} "
        "simulated" + (f"; and {draws.scope}" if draws else ""),
        sections=[
            Section(
                "The answer",
                paragraphs=[
                    ranking_sentence(ocase),
                    horizon,
                    # The options' table comes first here; the draws' P(best) table second.
                    *(
                        p.replace("The first table gives", "The second table gives")
                        for p in (draws.summary.paragraphs if draws else [])
                    ),
                    money,
                ],
                tables=[
                    side_by_side_table(ocase, answers),
                    *(draws.summary.tables if draws else []),
                ],
                figures=[
                    FigureItem(
                        "net_value_by_option",
                        options_net_value_figure(ocase),
                        "Cumulative net value of each option by month, mean of runs at the "
                        "assumptions' point values (customer randomness only).",
                    )
                ],
            ),
            *([plan_section(plans)] if plans else []),
            *([draws.section, draws.ranges] if draws else []),
        ],
        footer=case_footer(drawn=draws is not None),
    )


def write_options_page(
    ocase: OptionsCase,
    folder: str | Path,
    *,
    force: bool = False,
    drawn: tuple[PsaResult, dict[str, Any]] | None = None,
    draws: DrawsPart | None = None,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
    pack: Callable[[Path], Any] | None = None,
    plans: Mapping[str, HeadcountPlan] | None = None,
) -> Path:
    """Write report.html, report.md, figures/ and data/ (business_case.json) atomically.

    With ``drawn`` (the draws and their answers) and ``draws`` (their report part), the
    draws' answers come first and business_case.json merges them over the point values.
    ``formats`` and ``pack`` as :func:`~ccosim.report.business_case_report.write_one_pager`.
    """
    folder = Path(folder)
    answers = None if drawn is None else drawn[1]
    report = build_options_page(ocase, answers, draws, plans)
    point = options_json(ocase)
    data = draws_json(*drawn, point) if drawn is not None else point
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "report.html", render_html(report))
        write_text(tmp / "report.md", write_markdown(report, tmp))
        write_text(tmp / "data" / "business_case.json", json.dumps(data, indent=2, default=float))
        write_comparison_data(
            ocase.comparison,
            tmp / "data",
            command=command,
            formats=formats,
            extra_tables=[
                *(draws.tables if draws else ()),
                *(plan_data_tables(plans) if plans else ()),
            ],
        )
        for name, text in (draws.files if draws else {}).items():
            write_text(tmp / "data" / name, text)
        if pack is not None:
            pack(tmp)
    return folder
