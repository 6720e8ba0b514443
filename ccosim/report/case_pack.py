"""The business case as a board pack: ``slides.pptx``, ``summary.pdf`` and ``tables.xlsx``.

``ccosim business-case --format pptx|pdf|xlsx|parquet`` writes what ``compare --format``
writes, from the business case's own story, with the same writers
(:mod:`ccosim.report.slides`, :mod:`ccosim.report.summary_pdf`,
:mod:`ccosim.report.xlsx_summary`):

* the head line: the NPV at the horizon the answer is read at, with its interval and what
  it covers, break-even, and how often the new leader leaves within the horizon; then the
  draws' answer (with ``--draws``), the condition, the calibration and the question;
* the one-pager's table (or, with ``--option``, the options side by side);
* the charts the report draws: the cumulative net value (and, with draws, the break-even
  curve or the options' P(best));
* the summary sheet of ``tables.xlsx`` (text never a formula) before the data tables.

:func:`case_pack` and :func:`options_pack` return the writer that
:func:`~ccosim.report.business_case_report.write_one_pager` and
:func:`~ccosim.report.options_report.write_options_page` call inside their folder before it
moves into place, so that a failure leaves nothing half-written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ccosim._version import __version__
from ccosim.experiment.business_case import BusinessCase
from ccosim.experiment.decision import COVERS
from ccosim.experiment.options import STATUS_QUO, OptionsCase
from ccosim.formatting import format_value
from ccosim.report.board import BoardPage, board_html, calibration_status
from ccosim.report.business_case_report import (
    case_json,
    case_net_value_figure,
    case_page,
    display_names,
)
from ccosim.report.data import BOARD_FORMATS
from ccosim.report.document import FigureItem
from ccosim.report.options_report import (
    POINT_COVERS,
    options_json,
    options_net_value_figure,
    ranking_sentence,
    side_by_side_table,
)
from ccosim.report.summary import of_draws
from ccosim.report.summary_pdf import write_summary_pdf
from ccosim.report.uncertainty_report import DrawsPart
from ccosim.report.xlsx_summary import add_case_sheet, add_options_sheet

__all__ = [
    "POINT_INTERVAL",
    "case_board_page",
    "case_pack",
    "lead_lines",
    "options_board_page",
    "options_pack",
    "write_board_pack",
]

#: What the head line's interval covers, in the board's words.
POINT_INTERVAL = "over the simulated customers, with the assumptions at their stated values"

Pack = Callable[[Path], None]


def _money(value: float) -> str:
    return format_value(value, "$", signed=True)


def _years(months: int) -> str:
    if months % 12:
        return f"{months} months"
    return f"{months // 12} year{'s' if months != 12 else ''}"


def _npv_sentence(case: BusinessCase, name: str) -> str:
    pv = case.npv_at(case.lead)
    mean, lo, hi = float(pv.mean[0]), float(pv.lo[0]), float(pv.hi[0])
    if lo > 0:
        verdict = "it pays: the whole interval is above zero"
    elif hi < 0:
        verdict = "it does not pay: the whole interval is below zero"
    else:
        verdict = "no clear answer: the interval includes zero"
    return (
        f"{name}: net present value {_money(mean)} over {_years(case.lead)} (95%: "
        f"{_money(lo)} to {_money(hi)} {POINT_INTERVAL}), discounted at "
        f"{case.discount_rate:.0%} a year; {verdict}."
    )


def _break_even_clause(case: BusinessCase) -> str:
    be = case.break_even_summary()
    runs = len(case.break_even)
    reached = f"{of_draws(be['share_reached'], runs)} runs break even"
    if be["median"] is None:
        return f"break-even not within the {_years(case.net_value.shape[1])} simulated ({reached})"
    after = f", {be['median'] - case.hire_month} months after the search opens"
    return (
        f"break-even at month {be['median']} (median of runs"
        f"{after if case.hire_month else ''}; {reached})"
    )


def _leader_clause(case: BusinessCase) -> str:
    if case.seat_left_vacant:
        return "the seat is opened and never filled, so no leader comes or goes"
    if case.p_leader_leaves > 0:
        return (
            f"the new leader leaves within the horizon in {case.p_leader_leaves:.0%} of runs "
            "(the seat is empty until refilled and the effects ramp in again)"
        )
    return "in no run does the new leader leave within the horizon"


def _sentence(clause: str) -> str:
    return clause[:1].upper() + clause[1:] + "."


def lead_lines(case: BusinessCase, name: str | None = None) -> list[str]:
    """The head line of a business case: NPV with its interval, break-even, the leader.

    Args:
        case: The business case at the assumptions' stated values.
        name: The proposed org's name (default: its display name).
    """
    name = name or display_names(case)[case.proposed]
    return [
        _npv_sentence(case, name),
        *map(_sentence, (_break_even_clause(case), _leader_clause(case))),
    ]


def _draws_figure(draws: DrawsPart | None, stems: Sequence[str]) -> list[FigureItem]:
    """The first of ``stems`` the draws' section draws (none without draws)."""
    if draws is None:
        return []
    figures = {f.stem: f for f in draws.section.figures}
    return [figures[s] for s in stems if s in figures][:1]


def case_board_page(case: BusinessCase, draws: DrawsPart | None = None) -> BoardPage:
    """The business case's board page as the pack carries it, the head line first."""
    names = display_names(case)
    figures = [
        FigureItem(
            "net_value",
            case_net_value_figure(case),
            "Cumulative net value by month (customer randomness only)",
        ),
        *_draws_figure(draws, ["break_even_curve", "npv_draws"]),
    ]
    page = case_page(case, draws, figures)
    head, *rest = lead_lines(case, names[case.proposed])
    drawn = [page.recommendation] if draws else []
    return replace(
        page,
        recommendation=head,
        condition=" ".join([*rest, *drawn, page.condition]),
    )


def _best_sentence(ocase: OptionsCase, answers: Mapping[str, Any] | None) -> str:
    lead = ocase.lead
    best, case = max(ocase.cases.items(), key=lambda kv: float(kv[1].npv_at(lead).mean[0]))
    if float(case.npv_at(lead).mean[0]) <= 0:
        head = (
            f"Keeping {ocase.current} is worth most: no option's mean net present value over "
            f"{_years(lead)} is above zero."
        )
    else:
        head = _npv_sentence(case, f"Highest mean of the options, {best}")
    if answers is None:
        return head
    n = int(answers["draws"])
    p_best = {
        (STATUS_QUO if i == 0 else label): o["p_best"]
        for i, (label, o) in enumerate(answers["options"].items())
    }
    leader = max(p_best, key=p_best.__getitem__)
    return (
        f"{head} Under {n} draws of the assumptions' ranges, {leader} is best in "
        f"{of_draws(p_best[leader], n)} of them."
    )


def options_board_page(
    ocase: OptionsCase,
    answers: Mapping[str, Any] | None = None,
    draws: DrawsPart | None = None,
) -> BoardPage:
    """The options' board page: the best option's head line, the options side by side."""
    c = ocase.comparison
    lead = ocase.lead
    rate = next(iter(ocase.cases.values())).discount_rate
    calibration, illustrative = calibration_status(
        [d.source for d in c.designs], [d.scenario for d in c.designs]
    )
    table = side_by_side_table(ocase, dict(answers) if answers else None)
    leaves = [
        "new leader leaves within the horizon",
        "-",
        *(
            "never filled" if case.seat_left_vacant else f"{case.p_leader_leaves:.0%} of runs"
            for case in ocase.cases.values()
        ),
    ]
    rows = [*table.rows, leaves]
    covers = f"intervals {POINT_COVERS}"
    if answers is None:
        # The status quo's column (every figure zero by definition) is left out to fit a page.
        keep = [0, *range(2, len(table.headers))]
    else:  # under draws the status quo has its P(best)
        keep = list(range(len(table.headers)))
        covers += f"; P(best) and the NPV over draws cover {COVERS}"
    figures = [
        FigureItem(
            "net_value_by_option",
            options_net_value_figure(ocase),
            "Cumulative net value of each option by month (mean of runs)",
        ),
        *_draws_figure(draws, ["p_best"]),
    ]
    return BoardPage(
        title=f"{len(ocase.names)} options against {ocase.current}",
        question=(
            f"The question this report answers: which of {', '.join(ocase.names)} is worth "
            f"most against keeping {ocase.current} (the status quo), with the search, "
            f"severance and transition costs, discounted at {rate:.0%} a year and read at "
            f"{_years(lead)}."
        ),
        recommendation=_best_sentence(ocase, answers),
        condition=ranking_sentence(ocase),
        calibration=calibration,
        illustrative=illustrative,
        table=replace(
            table,
            headers=[table.headers[k] for k in keep],
            rows=[[r[k] for k in keep] for r in rows],
            caption=f"Each option against {ocase.current} (the status quo, NPV $0), read at "
            f"{_years(lead)}; {covers}",
        ),
        figures=tuple(figures),
        recommended=None,
    )


def write_board_pack(
    page: BoardPage, folder: Path, formats: Sequence[str], footer: str
) -> list[str]:
    """Write ``slides.pptx`` and ``summary.pdf`` of ``page`` when asked; why any was skipped."""
    notes: list[str] = []
    if "pptx" in formats:
        # lazy: python-pptx is an optional package (checked before any simulation)
        from ccosim.report.slides import write_slides

        write_slides(page, folder / "slides.pptx")
    if "pdf" in formats:
        note = write_summary_pdf(board_html(page, footer), folder / "summary.pdf")
        notes += [note] if note else []
    return notes


def _say(skipped: list[str], notes: list[str] | None) -> None:
    """Hand what was skipped to ``notes``, or warn when nobody collects it."""
    if notes is not None:
        notes.extend(skipped)
        return
    for note in skipped:
        warnings.warn(note, UserWarning, stacklevel=3)


def _footer(runs: int, seed: int) -> str:
    return (
        f"ccosim {__version__}; seed {seed}, {runs} runs per org. The full report "
        "(report.html) has the methods, every assumption and the sources."
    )


def case_pack(
    case: BusinessCase,
    formats: Sequence[str],
    *,
    draws: DrawsPart | None = None,
    notes: list[str] | None = None,
) -> Pack | None:
    """The writer of a business case's board pack into its report folder (None: none asked).

    ``notes`` collects what was skipped, and why (``summary.pdf`` without Chromium).
    """
    if not set(formats) & {*BOARD_FORMATS, "xlsx"}:
        return None

    def write(folder: Path) -> None:
        c = case.comparison
        if set(formats) & set(BOARD_FORMATS):
            page = case_board_page(case, draws)
            skipped = write_board_pack(page, folder, formats, _footer(c.runs, c.seed))
            _say(skipped, notes)
        if "xlsx" in formats:
            names = display_names(case)
            title = f"ccosim business case: {names[case.proposed]} vs {names[case.current]}"
            add_case_sheet(folder / "data" / "tables.xlsx", case_json(case), title)

    return write


def options_pack(
    ocase: OptionsCase,
    formats: Sequence[str],
    *,
    answers: Mapping[str, Any] | None = None,
    draws: DrawsPart | None = None,
    notes: list[str] | None = None,
) -> Pack | None:
    """The writer of the options' board pack into their report folder (None: none asked)."""
    if not set(formats) & {*BOARD_FORMATS, "xlsx"}:
        return None

    def write(folder: Path) -> None:
        c = ocase.comparison
        if set(formats) & set(BOARD_FORMATS):
            page = options_board_page(ocase, answers, draws)
            skipped = write_board_pack(page, folder, formats, _footer(c.runs, c.seed))
            _say(skipped, notes)
        if "xlsx" in formats:
            title = f"ccosim business case: {len(ocase.names)} options against {ocase.current}"
            add_options_sheet(folder / "data" / "tables.xlsx", options_json(ocase), title)

    return write
