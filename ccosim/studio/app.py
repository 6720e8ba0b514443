"""The studio's Shiny app: the page, and one server function per browser session.

The page is built once from the designs opened; the org charts (one per design, more after an
import) are drawn in the browser by ``www/studio.js`` from the data
:func:`~ccosim.studio.org_view.org_view` sends, and report back drags (``studio_move``) and
clicks (``studio_select``). The unit editor, the business case and the upload are their own
modules (:mod:`~ccosim.studio.editor`, :mod:`~ccosim.studio.case_panel`,
:mod:`~ccosim.studio.import_panel`), each wired to the session's
:class:`~ccosim.studio.state.SessionState`. All work goes through a
per-session :class:`~ccosim.studio.workbench.Workbench`; simulations run as Shiny extended
tasks on the studio's :class:`~ccosim.studio.jobs.Jobs` threads, cancellable.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from htmltools import HTMLDependency, Tag, TagList, tags
from shiny import App, Inputs, Outputs, Session, reactive, render, ui

from ccosim._version import __version__
from ccosim.errors import CcosimError
from ccosim.experiment.compare import Comparison
from ccosim.experiment.decision import compare_answers
from ccosim.formatting import format_value
from ccosim.money import DEFAULT_DISCOUNT_RATE
from ccosim.org.edit import OrgEditError
from ccosim.resources import check_resources
from ccosim.studio.business_case import case_study
from ccosim.studio.case_panel import case_card, case_panel, case_settings
from ccosim.studio.editor import editor_panel
from ccosim.studio.import_panel import import_controls, import_panel
from ccosim.studio.jobs import Cancelled, Jobs, Progress
from ccosim.studio.kpi_table import kpi_table
from ccosim.studio.state import SessionState, StudioSettings
from ccosim.studio.workbench import Workbench

__all__ = ["StudioSettings", "make_app"]

WWW = Path(__file__).parent / "www"


def _assets() -> HTMLDependency:
    return HTMLDependency(
        "ccosim-studio",
        __version__,
        source={"subdir": str(WWW)},
        script={"src": "studio.js"},
        stylesheet={"href": "studio.css"},
        all_files=False,
    )


def _page(template: Workbench, settings: StudioSettings) -> Tag:
    sliders = []
    for i, s in enumerate(template.sliders()):
        sliders.append(
            tags.div(
                ui.input_slider(
                    f"assumption_{i}", s.label, s.low, s.high, s.value, step=s.step, ticks=False
                ),
                tags.p(s.reason, class_="studio-reason"),
                class_="studio-slider",
                data_path=s.path,
            )
        )
    labels = template.labels
    sidebar = ui.sidebar(
        tags.h2("Selected unit", class_="studio-h"),
        tags.div(ui.output_ui("editor"), class_="studio-editor"),
        tags.h2("Assumptions", class_="studio-h"),
        tags.p(
            "Each slider moves within the range the designs give it (uncertainty block).",
            class_="studio-note",
        ),
        *sliders,
        tags.h2("Draws", class_="studio-h"),
        ui.input_numeric("draws", "Draws of every range", 20, min=2, max=settings.max_draws),
        ui.input_radio_buttons(
            "draws_of",
            "Run them on",
            {"designs": "every design", "case": "the business case (its hire month, CCO cost)"},
            selected="designs",
        ),
        tags.div(
            ui.input_action_button("run_draws", "Run draws", class_="btn-primary btn-sm"),
            ui.input_action_button("cancel_draws", "Cancel", class_="btn-outline-danger btn-sm"),
            class_="studio-buttons",
        ),
        ui.output_ui("draws_status"),
        tags.h2("Import an org", class_="studio-h"),
        import_controls(),
        tags.h2("Files", class_="studio-h"),
        ui.input_select(
            "file_design",
            "Design",
            {str(i): lb for i, lb in enumerate(labels)},
            selected=str(len(labels) - 1),
        ),
        ui.input_text("file_name", "File or folder name", "edited-design"),
        ui.input_numeric("timeline_month", "Timeline: edits take effect at month", 0, min=0),
        tags.div(
            ui.input_action_button("save", "Save design YAML", class_="btn-sm"),
            ui.input_action_button("save_timeline", "Save as timeline", class_="btn-sm"),
            ui.input_action_button("save_moves", "Move list CSV", class_="btn-sm"),
            ui.input_action_button("save_hris", "HRIS CSV", class_="btn-sm"),
            ui.input_action_button("write_report", "Board report", class_="btn-sm"),
            class_="studio-buttons",
        ),
        ui.output_ui("file_status"),
        tags.p(f"Folder: {template.folder.root}", class_="studio-note"),
        width=340,
        id="studio_sidebar",
    )
    return ui.page_sidebar(
        sidebar,
        _assets(),
        # No favicon request (the browser would ask for /favicon.ico and log a 404).
        ui.head_content(tags.link(rel="icon", href="data:,")),
        ui.card(
            ui.card_header(
                tags.span("Headline KPIs"),
                ui.output_ui("kpi_status", inline=True),
                class_="studio-card-head",
            ),
            ui.output_ui("kpis"),
        ),
        case_card(template),
        ui.card(
            ui.card_header(
                tags.span("Org charts: drag a box onto another to move it under that manager"),
                tags.span(
                    ui.input_action_button("undo", "Undo", class_="btn-sm"),
                    ui.input_action_button("redo", "Redo", class_="btn-sm"),
                    class_="studio-buttons",
                ),
                class_="studio-card-head",
            ),
            ui.output_ui("edit_status"),
            tags.p(
                "Pan: drag the background or scroll. Zoom: the - and + buttons, or Ctrl + wheel. "
                "Dashed purple curves are dotted lines; dashed boxes are vacancies and open "
                "positions.",
                class_="studio-note",
            ),
            tags.div(class_="studio-charts"),
        ),
        title=f"ccosim studio: {' vs '.join(labels)}",
        fillable=False,
    )


def _kpi_html(comparison: Comparison) -> Tag:
    table = kpi_table(comparison)
    head = tags.tr(*(tags.th(h) for h in table.headers))
    body = []
    for label, cells in table.rows:
        row = [tags.th(label, scope="row")]
        for cell in cells:
            row.append(
                tags.td(
                    tags.div(cell.value, class_="studio-value"),
                    tags.div(f"95%: {cell.interval}" if cell.interval else "", class_="studio-ci"),
                    tags.div(cell.delta, class_=f"studio-delta {cell.tone}") if cell.delta else "",
                )
            )
        body.append(tags.tr(*row))
    return TagList(
        tags.table(tags.thead(head), tags.tbody(*body), class_="studio-kpis", id="studio-kpis"),
        tags.p(table.caption, class_="studio-note"),
    )


def _charts(st: SessionState) -> None:
    """Draw every org chart once the session starts."""

    @reactive.effect
    async def _first_draw() -> None:
        with reactive.isolate():
            for i in range(len(st.wb.designs)):
                await st.push(i)


def _kpis(st: SessionState) -> reactive.ExtendedTask:
    """Simulate after every change (a quick answer, then a refined one); return the task."""
    wb, settings, input = st.wb, st.settings, st.input

    @reactive.extended_task
    async def simulate(study: Any, progress: Progress, stamp: int) -> tuple:
        from ccosim.experiment.compare import compare

        def work(p: Progress) -> Comparison:
            return compare(study, attribution=False, allow_different_companies=True)

        return await st.run(work, progress), stamp

    def start(runs: int) -> None:
        progress = Progress()
        st.kpi_progress.set(progress)
        simulate.cancel()
        simulate.invoke(wb.study(runs, progress.execution()), progress, st.version.get())

    @reactive.effect
    def _rerun() -> None:
        st.version()
        for i, s in enumerate(wb.sliders()):
            value = input[f"assumption_{i}"]()
            if value is not None:
                wb.set_assumption(s.path, float(value))
        with reactive.isolate():
            start(settings.runs)

    @reactive.effect
    def _simulated() -> None:
        if simulate.status() != "success":
            return
        comparison, stamp = simulate.value.get()
        with reactive.isolate():
            st.latest.set(comparison)
            if stamp == st.version.get() and comparison.runs < settings.refine_runs:
                start(settings.refine_runs)

    return simulate


def _kpi_views(st: SessionState, simulate: reactive.ExtendedTask) -> None:
    """The KPI table and the simulation's status."""

    @render.ui
    def kpis() -> Any:
        comparison = st.latest()
        if comparison is None:
            return tags.p("Simulating the first answer...", class_="studio-note")
        return _kpi_html(comparison)

    @render.ui
    def kpi_status() -> Any:
        status = simulate.status()
        if status == "running":
            reactive.invalidate_later(0.3)
            p = st.kpi_progress.get()
            return tags.span(
                f"simulating: {p.text() or 'starting'}", class_="studio-busy", id="kpi-busy"
            )
        if status == "error":
            return tags.span(f"error: {simulate.error.get()}", class_="studio-error")
        comparison = st.latest()
        if comparison is None:
            return ""
        return tags.span(f"{comparison.runs} runs per design", class_="studio-done")


def _moves(st: SessionState) -> None:
    """Drags, clicks, undo and redo on the org charts."""
    wb, input = st.wb, st.input

    @reactive.effect
    @reactive.event(input.studio_move)
    async def _move() -> None:
        m = input.studio_move()
        try:
            index = int(m["index"])
            wb.move(index, str(m["unit"]), str(m["to"]))
        except (OrgEditError, KeyError, ValueError, IndexError) as exc:
            st.edit_note.set(f"Not moved: {exc}")
            return
        st.edit_note.set("")
        st.selected.set((index, str(m["unit"])))
        await st.edited(index)

    @reactive.effect
    @reactive.event(input.studio_select)
    def _select() -> None:
        m = input.studio_select()
        st.edit_errors.set({})
        st.selected.set((int(m["index"]), str(m["unit"])))

    @reactive.effect
    @reactive.event(input.undo)
    async def _undo() -> None:
        index = wb.undo()
        if index is not None:
            await st.edited(index)

    @reactive.effect
    @reactive.event(input.redo)
    async def _redo() -> None:
        index = wb.redo()
        if index is not None:
            await st.edited(index)

    @render.ui
    def edit_status() -> Any:
        note = st.edit_note()
        return tags.p(note, class_="studio-error", id="edit-note") if note else ""


def _draws(st: SessionState) -> reactive.ExtendedTask:
    """Run and cancel draws of every range; return the task."""
    wb, settings, input = st.wb, st.settings, st.input

    @reactive.extended_task
    async def draws_task(study: Any, n: int, rate: float, progress: Progress) -> dict:
        from ccosim.experiment.psa import psa

        # lazy: the report module pulls in matplotlib, wanted only once draws have run.
        from ccosim.report.uncertainty_report import research_draws

        def work(p: Progress) -> dict:
            designs = [d.scenario for d in study.designs]
            check_resources(designs, study.runs or 2, study.execution.workers, draws=n)
            drawn = psa(study, draws=n, discount_rate=rate)
            answers = compare_answers(drawn, bootstrap=50)
            net_positive = (drawn.net_npv > 0).mean(axis=0)
            return {
                "answers": answers,
                "net_positive": net_positive,
                "draws": n,
                "labels": list(drawn.labels),
                "research_draws": research_draws(drawn),
                "keys": len(drawn.keys),
                "hire_month": drawn.hire_month,
            }

        return await st.run(work, progress)

    @reactive.effect
    @reactive.event(input.run_draws)
    def _run_draws() -> None:
        n = int(min(max(input.draws() or 2, 2), settings.max_draws))
        progress = Progress()
        st.draws_progress.set(progress)
        draws_task.cancel()
        st.draws_note.set("")
        if input.draws_of() == "case":
            try:
                case = case_settings(input)
                study = case_study(wb, case, settings.draw_runs, progress.execution())
            except CcosimError as exc:
                st.draws_note.set(f"error: {exc}")
                return
            draws_task.invoke(study, n, case.discount_rate, progress)
            return
        study = wb.study(settings.draw_runs, progress.execution())
        draws_task.invoke(study, n, DEFAULT_DISCOUNT_RATE, progress)

    @reactive.effect
    @reactive.event(input.cancel_draws)
    def _cancel_draws() -> None:
        st.draws_progress.get().cancel()
        draws_task.cancel()

    return draws_task


def _research_note(result: dict, evppi: list[tuple[str, float]]) -> str:
    """What to research first (EVPPI), only when the draws are enough to rank assumptions."""
    enough = result["research_draws"]
    if result["draws"] < enough:
        return (
            f"Which assumption to research first: {result['draws']} draws of "
            f"{result['keys']} uncertain assumptions are too few to rank them (one the result "
            f"does not depend on can rank first by chance); ask for at least {enough} draws, "
            "10 per assumption. P(best) and P(NPV > 0) are sturdier."
        )
    if not evppi:
        return (
            "Worth researching first: no single assumption's value (EVPPI) is distinguishable "
            "from zero."
        )
    listed = ", ".join(f"{p} (EVPPI {format_value(v, '$')})" for p, v in evppi)
    return f"Worth researching first: {listed}."


def _draws_result(result: dict, draw_runs: int) -> Tag:
    """The finished draws: P(best) and P(NPV > 0) per design, and what to research first."""
    answers, labels = result["answers"], result["labels"]
    rows = []
    for i, label in enumerate(labels):
        best = list(answers["p_best"].values())[i]["npv"]
        positive = float(result["net_positive"][i])
        rows.append(
            tags.tr(
                tags.th(label),
                tags.td(f"{best:.0%}"),
                tags.td("-" if i == 0 else f"{positive:.0%}"),
            )
        )
    evppi = sorted(answers["evppi"].items(), key=lambda kv: -kv[1])
    evppi = [(p, v) for p, v in evppi if v > 0][:3]
    return tags.div(
        tags.table(
            tags.tr(tags.th("design"), tags.th("P(best)"), tags.th("P(NPV > 0)")),
            *rows,
            class_="studio-small-table",
            id="draws-result",
        ),
        tags.p(
            f"{result['draws']} draws x {draw_runs} runs; covers "
            f"{answers['covers']}. NPV of the net value against {labels[0]}, discounted at "
            f"{answers['discount_rate']:.0%}"
            + (
                f", the CCO hired at month {result['hire_month']}." if result["hire_month"] else "."
            ),
            class_="studio-note",
        ),
        tags.p(_research_note(result, evppi), class_="studio-note", id="draws-research"),
    )


def _draws_view(st: SessionState, draws_task: reactive.ExtendedTask) -> None:
    """The draws' status: what they do, their progress, or their result."""

    @render.ui
    def draws_status() -> Any:
        status = draws_task.status()
        if st.draws_note():
            return tags.p(st.draws_note(), class_="studio-error", id="draws-error")
        if status == "initial":
            return tags.p(
                "Draws every assumption from its range, the same draws for every design: "
                "P(best) and P(NPV > 0) cover assumption uncertainty and customer randomness.",
                class_="studio-note",
            )
        if status == "running":
            reactive.invalidate_later(0.3)
            p = st.draws_progress.get()
            share = p.done / p.total if p.total else 0.0
            return tags.div(
                tags.progress(value=f"{share:.3f}", max="1"),
                tags.span(f"draws running: {p.text() or 'starting'}", id="draws-busy"),
            )
        if status == "cancelled":
            return tags.p("Draws cancelled.", class_="studio-note", id="draws-cancelled")
        if status == "error":
            error = draws_task.error.get()
            text = "Draws cancelled." if isinstance(error, Cancelled) else f"error: {error}"
            return tags.p(text, class_="studio-error", id="draws-cancelled")
        return _draws_result(draws_task.value.get(), st.settings.draw_runs)


def _file_button(
    st: SessionState, button: str, write: Callable[[int, str], Path], verb: str
) -> None:
    """On ``button``: ``write(design index, file name)``, then note ``verb`` and the file."""

    @reactive.effect
    @reactive.event(st.input[button])
    def _write() -> None:
        try:
            path = write(int(st.input.file_design()), st.input.file_name())
        except CcosimError as exc:
            st.file_note.set(f"error: {exc}")
            return
        st.file_note.set(f"{verb} {path.name}")


def _files(st: SessionState) -> None:
    """Save the design YAML, the move list and the HRIS CSV; show the last file note."""
    _file_button(st, "save", st.wb.save, "Saved")
    _file_button(st, "save_moves", st.wb.save_moves, "Wrote")
    _file_button(st, "save_hris", st.wb.save_hris, "Wrote")

    def timeline(index: int, name: str) -> Path:
        month = st.input.timeline_month()
        if month is None:
            raise CcosimError("give the month the edits take effect")
        return st.wb.save_timeline(index, name, int(month))

    _file_button(st, "save_timeline", timeline, "Saved the timeline in")

    @render.ui
    def file_status() -> Any:
        note = st.file_note()
        if not note:
            return ""
        kind = "studio-error" if note.startswith("error") else "studio-done"
        return tags.p(note, class_=kind, id="file-note")


def _report(st: SessionState) -> None:
    """Write the board report of the latest results, in the background."""
    wb, input = st.wb, st.input

    @reactive.extended_task
    async def report_task(comparison: Comparison, name: str) -> str:
        def work(p: Progress) -> str:
            return wb.write_report(comparison, name).name

        return await st.run(work, Progress())

    @reactive.effect
    @reactive.event(input.write_report)
    def _write_report() -> None:
        comparison = st.latest.get()
        if comparison is None:
            st.file_note.set("error: no results yet to report")
            return
        st.file_note.set("Writing the board report...")
        report_task.invoke(comparison, input.file_name())

    @reactive.effect
    def _reported() -> None:
        status = report_task.status()
        with reactive.isolate():
            if status == "success":
                st.file_note.set(f"Wrote the board report in {report_task.value.get()}/")
            elif status == "error":
                st.file_note.set(f"error: {report_task.error.get()}")


def make_app(template: Workbench, settings: StudioSettings, jobs: Jobs) -> App:
    """The studio app over the designs of ``template`` (each session edits its own copy)."""

    def server(input: Inputs, output: Outputs, session: Session) -> None:
        st = SessionState(copy.deepcopy(template), settings, jobs, input, session)
        session.on_ended(lambda: jobs.cancel(st.mine))
        _charts(st)
        _kpi_views(st, _kpis(st))
        _moves(st)
        editor_panel(st)
        case_panel(st)
        import_panel(st)
        _draws_view(st, _draws(st))
        _files(st)
        _report(st)

    return App(_page(template, settings), server, static_assets=None)
