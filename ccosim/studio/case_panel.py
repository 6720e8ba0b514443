"""The business-case card: hire month, CCO cost, discount rate, horizon -> NPV, break-even, curve.

Runs :func:`~ccosim.studio.business_case.run_case` (the library's business case over the
designs as edited) on the studio's job threads, with progress, when the user asks.
"""

from __future__ import annotations

from typing import Any

from htmltools import HTML, Tag, tags
from shiny import reactive, render, ui

from ccosim.errors import CcosimError
from ccosim.money import DEFAULT_DISCOUNT_RATE
from ccosim.studio.business_case import CaseSettings, case_summary, net_value_svg, run_case
from ccosim.studio.jobs import Cancelled, Progress
from ccosim.studio.state import SessionState
from ccosim.studio.workbench import Workbench

__all__ = ["case_card", "case_panel", "case_settings", "target_choices"]

#: Horizon the card opens with (years).
DEFAULT_CASE_YEARS = 5
#: Hire month the card opens with (as the README's example).
DEFAULT_HIRE_MONTH = 12


def target_choices(wb: Workbench) -> dict[str, str]:
    """Designs that can be the CCO org (every one but the first, the current org)."""
    return {str(i): label for i, label in enumerate(wb.labels) if i > 0}


def case_card(template: Workbench) -> Tag:
    """The card's inputs and its output."""
    choices = target_choices(template)
    return ui.card(
        ui.card_header(
            tags.span(f"Business case: a CCO org against {template.labels[0]}"),
            ui.output_ui("case_status", inline=True),
            class_="studio-card-head",
        ),
        tags.div(
            ui.input_select(
                "case_target", "CCO org", choices, selected=list(choices)[-1] if choices else None
            ),
            ui.input_numeric("case_hire", "Hire month", DEFAULT_HIRE_MONTH, min=0, step=1),
            ui.input_text("case_cost", "CCO cost a year (blank: as designed)", ""),
            ui.input_numeric(
                "case_rate", "Discount rate, % a year", DEFAULT_DISCOUNT_RATE * 100, min=0, step=1
            ),
            ui.input_numeric("case_years", "Horizon, years", DEFAULT_CASE_YEARS, min=1, max=30),
            tags.div(
                ui.input_action_button(
                    "case_run", "Run business case", class_="btn-primary btn-sm"
                ),
                ui.input_action_button("case_cancel", "Cancel", class_="btn-outline-danger btn-sm"),
                class_="studio-case-go studio-buttons",
            ),
            class_="studio-case-inputs",
        ),
        ui.output_ui("case_result"),
    )


def case_settings(input: Any) -> CaseSettings:
    """The card's inputs as settings.

    Raises:
        CcosimError: an input that is not a number.
    """
    cost_text = (input.case_cost() or "").strip().replace(",", "").removeprefix("$")
    try:
        cost = float(cost_text) if cost_text else None
    except ValueError:
        raise CcosimError(f"CCO cost {input.case_cost()!r} is not a number") from None
    values = (input.case_target(), input.case_hire(), input.case_rate(), input.case_years())
    if any(v is None or v == "" for v in values):
        raise CcosimError("fill in the CCO org, hire month, discount rate and horizon")
    return CaseSettings(
        target=int(values[0]),
        hire_month=int(values[1]),
        cco_cost=cost,
        discount_rate=float(values[2]) / 100,
        years=int(values[3]),
    )


def _result(bc: Any) -> Tag:
    summary = case_summary(bc)
    return tags.div(
        tags.div(
            tags.div(
                tags.div("NPV over the horizon", class_="studio-note"),
                tags.div(summary.npv, class_="studio-value", id="case-npv"),
                tags.div(summary.npv_interval, class_="studio-ci"),
                class_="studio-case-figure",
            ),
            tags.div(
                tags.div("Break-even", class_="studio-note"),
                tags.div(summary.break_even, class_="studio-case-break", id="case-break-even"),
                class_="studio-case-figure",
            ),
            class_="studio-case-figures",
        ),
        tags.div(HTML(net_value_svg(bc)), class_="studio-case-curve"),
        tags.p(summary.covers, class_="studio-note"),
        id="case-result",
    )


def case_panel(st: SessionState) -> None:
    """Wire the business-case card of one session."""
    wb, input = st.wb, st.input
    progress_now: reactive.Value[Progress] = reactive.Value(Progress())
    problem: reactive.Value[str] = reactive.Value("")

    @reactive.extended_task
    async def case_task(settings: CaseSettings, progress: Progress) -> Any:
        runs = st.settings.case_runs

        def work(p: Progress) -> Any:
            return run_case(wb, settings, runs, p.execution())

        return await st.run(work, progress)

    @reactive.effect
    @reactive.event(input.case_run)
    def _run() -> None:
        try:
            settings = case_settings(input)
        except CcosimError as exc:
            problem.set(str(exc))
            return
        problem.set("")
        progress = Progress()
        progress_now.set(progress)
        case_task.cancel()
        case_task.invoke(settings, progress)

    @reactive.effect
    @reactive.event(input.case_cancel)
    def _cancel() -> None:
        progress_now.get().cancel()
        case_task.cancel()

    @render.ui
    def case_status() -> Any:
        if case_task.status() == "running":
            reactive.invalidate_later(0.3)
            text = progress_now.get().text() or "starting"
            return tags.span(f"running: {text}", class_="studio-busy", id="case-busy")
        return ""

    @render.ui
    def case_result() -> Any:
        why = problem()
        status = case_task.status()
        if why:
            return tags.p(why, class_="studio-error", id="case-error")
        if status == "cancelled" or (
            status == "error" and isinstance(case_task.error.get(), Cancelled)
        ):
            return tags.p("Business case cancelled.", class_="studio-note", id="case-cancelled")
        if status == "error":
            return tags.p(f"{case_task.error.get()}", class_="studio-error", id="case-error")
        if status != "success":
            return tags.p(
                "Hire month, CCO cost, discount rate and horizon; then Run: the NPV of the "
                "CCO org as it stands here (with the slider values) against the first design, "
                "its break-even month and the net value month by month.",
                class_="studio-note",
            )
        return _result(case_task.value.get())
