"""The studio's Shiny app: the page, and one server function per browser session.

The page is static (built once from the designs opened); the org charts are drawn in the
browser by ``www/studio.js`` from the data :func:`~ccosim.studio.org_view.org_view` sends, and
report back drags (``studio_move``) and clicks (``studio_select``). All work goes through a
per-session :class:`~ccosim.studio.workbench.Workbench`; simulations run as Shiny extended
tasks on the studio's :class:`~ccosim.studio.jobs.Jobs` threads, cancellable.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htmltools import HTMLDependency, Tag, TagList, tags
from shiny import App, Inputs, Outputs, Session, reactive, render, ui

from ccosim._version import __version__
from ccosim.errors import CcosimError
from ccosim.experiment.compare import Comparison
from ccosim.experiment.decision import compare_answers
from ccosim.org.edit import OrgEditError
from ccosim.scenario import Function
from ccosim.studio.jobs import Cancelled, Jobs, Progress
from ccosim.studio.kpi_table import kpi_table
from ccosim.studio.org_view import org_view
from ccosim.studio.workbench import Workbench

__all__ = ["StudioSettings", "make_app"]

WWW = Path(__file__).parent / "www"


@dataclass(frozen=True)
class StudioSettings:
    """How the studio runs.

    Attributes:
        runs: Replications per design of the first answer after each change.
        refine_runs: Replications of the refined answer that follows (0: none).
        draw_runs: Replications per draw of a draws run.
        max_draws: Most draws one request may ask for.
    """

    runs: int = 4
    refine_runs: int = 20
    draw_runs: int = 2
    max_draws: int = 500


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
        tags.div(
            ui.input_action_button("run_draws", "Run draws", class_="btn-primary btn-sm"),
            ui.input_action_button("cancel_draws", "Cancel", class_="btn-outline-danger btn-sm"),
            class_="studio-buttons",
        ),
        ui.output_ui("draws_status"),
        tags.h2("Files", class_="studio-h"),
        ui.input_select(
            "file_design",
            "Design",
            {str(i): lb for i, lb in enumerate(labels)},
            selected=str(len(labels) - 1),
        ),
        ui.input_text("file_name", "File or folder name", "edited-design"),
        tags.div(
            ui.input_action_button("save", "Save design YAML", class_="btn-sm"),
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
    charts = [
        tags.section(
            tags.div(
                tags.h3(label, class_="studio-design-title"),
                tags.input(
                    type="search", placeholder="Find a title or name", class_="studio-search"
                ),
                tags.button("Expand all", type="button", class_="studio-expand btn btn-sm"),
                tags.button("Fold all", type="button", class_="studio-fold btn btn-sm"),
                class_="studio-chart-bar",
            ),
            tags.div(class_="studio-tree", role="tree", aria_label=f"Org chart of {label}"),
            class_="studio-chart",
            data_index=str(i),
        )
        for i, label in enumerate(labels)
    ]
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
            tags.div(*charts, class_="studio-charts"),
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


def _editor_fields(unit: Any, parents: dict[str, str]) -> list[Any]:
    functions = {f.value: f.value.replace("_", " ") for f in Function}
    return [
        ui.input_text("edit_title", "Title", unit.title),
        ui.input_text("edit_name", "Incumbent's name", unit.name or ""),
        ui.input_select("edit_function", "Function", functions, selected=unit.function.value),
        ui.input_text("edit_headcount", "Headcount", f"{unit.headcount:g}"),
        ui.input_text("edit_open", "Open positions", f"{unit.open_headcount:g}"),
        ui.input_text(
            "edit_cost",
            "Loaded cost per head (blank: function default)",
            "" if unit.cost is None else f"{unit.cost:g}",
        ),
        ui.input_checkbox("edit_vacant", "Vacant (whole unit to hire)", unit.vacant),
        *(
            [ui.input_select("edit_parent", "Reports to", parents, selected=unit.reports_to)]
            if unit.reports_to is not None
            else []
        ),
    ]


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the format's own message says what is wrong


@dataclass
class _State:
    """What one browser session works on: its workbench, its jobs and its reactive values.

    Attributes:
        wb: The session's own copy of the designs.
        settings: How the studio runs.
        jobs: The studio's job threads (shared by every session).
        input: The session's inputs.
        session: The Shiny session.
        mine: Progress of this session's running jobs (cancelled when the session ends).
        version: Bumped after every edit (reruns the simulation).
        selected: (design index, unit id) of the unit in the editor, if any.
        edit_errors: The last edit's problems, by field.
        edit_note: A note on the last drag (why it was refused).
        file_note: A note on the last save or export.
        latest: The latest simulated comparison, if any.
        kpi_progress: Progress of the running simulation.
        draws_progress: Progress of the running draws.
    """

    wb: Workbench
    settings: StudioSettings
    jobs: Jobs
    input: Inputs
    session: Session
    mine: set[Progress] = field(default_factory=set)
    version: reactive.Value[int] = field(default_factory=lambda: reactive.Value(0))
    selected: reactive.Value[tuple[int, str] | None] = field(
        default_factory=lambda: reactive.Value(None)
    )
    edit_errors: reactive.Value[dict[str, str]] = field(default_factory=lambda: reactive.Value({}))
    edit_note: reactive.Value[str] = field(default_factory=lambda: reactive.Value(""))
    file_note: reactive.Value[str] = field(default_factory=lambda: reactive.Value(""))
    latest: reactive.Value[Comparison | None] = field(default_factory=lambda: reactive.Value(None))
    kpi_progress: reactive.Value[Progress] = field(
        default_factory=lambda: reactive.Value(Progress())
    )
    draws_progress: reactive.Value[Progress] = field(
        default_factory=lambda: reactive.Value(Progress())
    )

    async def run(self, work: Any, progress: Progress) -> Any:
        """Run ``work`` on the job threads, cancelled with the session."""
        self.mine.add(progress)
        try:
            return await self.jobs.run(work, progress)
        finally:
            self.mine.discard(progress)

    async def push(self, index: int) -> None:
        """Send design ``index``'s org chart to the browser."""
        wb = self.wb
        view = org_view(
            wb.designs[index].current,
            label=wb.labels[index],
            moved=wb.changed_units(index),
        )
        await self.session.send_custom_message("studio-org", {"index": index, "view": view})

    async def edited(self, index: int) -> None:
        """After an edit of design ``index``: clear the errors, redraw, rerun."""
        self.edit_errors.set({})
        await self.push(index)
        self.version.set(self.version.get() + 1)


def _charts(st: _State) -> None:
    """Draw every org chart once the session starts."""

    @reactive.effect
    async def _first_draw() -> None:
        with reactive.isolate():
            for i in range(len(st.wb.designs)):
                await st.push(i)


def _kpis(st: _State) -> reactive.ExtendedTask:
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


def _kpi_views(st: _State, simulate: reactive.ExtendedTask) -> None:
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


def _moves(st: _State) -> None:
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


def _editor(st: _State) -> None:
    """The selected unit's editor and the problems of its last edit."""
    wb = st.wb

    @render.ui
    def editor() -> Any:
        st.version()
        chosen = st.selected()
        if chosen is None:
            return tags.p(
                "Click a box to edit its unit; drag it onto another box to move it.",
                class_="studio-note",
            )
        index, unit_id = chosen
        units = {u.id: u for u in wb.designs[index].current.org.units}
        if unit_id not in units:
            return ""
        unit = units[unit_id]
        parents = {u.id: u.title for u in units.values() if u.id != unit_id}
        return tags.div(
            tags.h3(unit.title, class_="studio-unit-title"),
            tags.p(f"{wb.labels[index]} · id {unit.id}", class_="studio-note"),
            *_editor_fields(unit, parents),
            ui.output_ui("edit_messages"),
            ui.input_action_button("edit_apply", "Apply", class_="btn-primary btn-sm"),
            id="studio-unit-editor",
        )

    @render.ui
    def edit_messages() -> Any:
        errors = st.edit_errors()
        if not errors:
            return ""
        names = {"open_headcount": "open positions", "reports_to": "reports to", "": "org"}
        return tags.ul(
            *(tags.li(f"{names.get(k, k)}: {v}") for k, v in errors.items()),
            class_="studio-error",
            id="edit-errors",
        )


def _editor_changes(input: Inputs, unit: Any) -> dict[str, Any]:
    """The editor's fields that differ from ``unit`` (a blank name or cost matches none)."""
    changes = {
        "title": input.edit_title(),
        "name": input.edit_name(),
        "function": input.edit_function(),
        "headcount": _number(input.edit_headcount()),
        "open_headcount": _number(input.edit_open()),
        "cost": _number(input.edit_cost()) if input.edit_cost().strip() else "",
        "vacant": bool(input.edit_vacant()),
    }
    data = unit.model_dump(mode="json")
    return {
        k: v
        for k, v in changes.items()
        if not (v == data.get(k) or (k in ("name", "cost") and v == "" and data.get(k) is None))
    }


def _apply(st: _State) -> None:
    """Apply the editor's fields (and its new manager) to the selected unit."""
    wb, input = st.wb, st.input

    @reactive.effect
    @reactive.event(input.edit_apply)
    async def _apply_edit() -> None:
        chosen = st.selected()
        if chosen is None:
            return
        index, unit_id = chosen
        unit = next(u for u in wb.designs[index].current.org.units if u.id == unit_id)
        changes = _editor_changes(input, unit)
        parent = input.edit_parent() if unit.reports_to is not None else None
        moved = bool(parent and parent != unit.reports_to)
        try:
            if changes:
                wb.edit(index, unit_id, changes)
            if moved:
                wb.move(index, unit_id, parent)
        except OrgEditError as exc:
            st.edit_errors.set(exc.problems)
            return
        st.edit_note.set("")
        if changes or moved:
            await st.edited(index)


def _draws(st: _State) -> reactive.ExtendedTask:
    """Run and cancel draws of every range; return the task."""
    wb, settings, input = st.wb, st.settings, st.input

    @reactive.extended_task
    async def draws_task(study: Any, n: int, progress: Progress) -> dict:
        from ccosim.experiment.psa import psa

        def work(p: Progress) -> dict:
            drawn = psa(study, draws=n)
            answers = compare_answers(drawn, bootstrap=50)
            net_positive = (drawn.net_npv > 0).mean(axis=0)
            return {"answers": answers, "net_positive": net_positive, "draws": n}

        return await st.run(work, progress)

    @reactive.effect
    @reactive.event(input.run_draws)
    def _run_draws() -> None:
        n = int(min(max(input.draws() or 2, 2), settings.max_draws))
        progress = Progress()
        st.draws_progress.set(progress)
        draws_task.cancel()
        draws_task.invoke(wb.study(settings.draw_runs, progress.execution()), n, progress)

    @reactive.effect
    @reactive.event(input.cancel_draws)
    def _cancel_draws() -> None:
        st.draws_progress.get().cancel()
        draws_task.cancel()

    return draws_task


def _draws_result(result: dict, labels: list[str], draw_runs: int) -> Tag:
    """The finished draws: P(best) and P(net > 0) per design, and what to research first."""
    answers = result["answers"]
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
    worth = [p for p, v in evppi if v > 0][:3]
    return tags.div(
        tags.table(
            tags.tr(tags.th("design"), tags.th("P(best)"), tags.th("P(net > 0)")),
            *rows,
            class_="studio-small-table",
            id="draws-result",
        ),
        tags.p(
            f"{result['draws']} draws x {draw_runs} runs; covers "
            f"{answers['covers']}. Net value discounted at "
            f"{answers['discount_rate']:.0%} against {labels[0]}.",
            class_="studio-note",
        ),
        tags.p(
            "Worth researching first: " + (", ".join(worth) if worth else "none"),
            class_="studio-note",
        ),
    )


def _draws_view(st: _State, draws_task: reactive.ExtendedTask) -> None:
    """The draws' status: what they do, their progress, or their result."""

    @render.ui
    def draws_status() -> Any:
        status = draws_task.status()
        if status == "initial":
            return tags.p(
                "Draws every assumption from its range, the same draws for every design: "
                "P(best) and P(net value > 0) cover assumption uncertainty and customer "
                "randomness.",
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
        return _draws_result(draws_task.value.get(), st.wb.labels, st.settings.draw_runs)


def _file_button(st: _State, button: str, write: Callable[[int, str], Path], verb: str) -> None:
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


def _files(st: _State) -> None:
    """Save the design YAML, the move list and the HRIS CSV; show the last file note."""
    _file_button(st, "save", st.wb.save, "Saved")
    _file_button(st, "save_moves", st.wb.save_moves, "Wrote")
    _file_button(st, "save_hris", st.wb.save_hris, "Wrote")

    @render.ui
    def file_status() -> Any:
        note = st.file_note()
        if not note:
            return ""
        kind = "studio-error" if note.startswith("error") else "studio-done"
        return tags.p(note, class_=kind, id="file-note")


def _report(st: _State) -> None:
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
        st = _State(copy.deepcopy(template), settings, jobs, input, session)
        session.on_ended(lambda: jobs.cancel(st.mine))
        _charts(st)
        _kpi_views(st, _kpis(st))
        _moves(st)
        _editor(st)
        _apply(st)
        _draws_view(st, _draws(st))
        _files(st)
        _report(st)

    return App(_page(template, settings), server, static_assets=None)
