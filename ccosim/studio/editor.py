"""The side panel that edits the selected unit: its fields, its manager, add a unit, remove it.

Every change goes through the workbench (:mod:`ccosim.org.edit` underneath), so a value the
scenario format refuses comes back as :class:`~ccosim.org.edit.OrgEditError` with the
format's own message by field, listed under the fields.
"""

from __future__ import annotations

from typing import Any, get_args

from htmltools import tags
from shiny import Inputs, reactive, render, ui

from ccosim.org.edit import CLEARABLE_FIELDS, OrgEditError
from ccosim.scenario import Function, Scenario, Unit
from ccosim.scenario.schema import StaffingDriver
from ccosim.studio.state import SessionState

__all__ = ["editor_panel"]

#: The staffing choices of the editor: no policy (the headcount as given), or a policy.
POLICIES = {
    "": "none (headcount as given)",
    "fixed": "fixed",
    "plan": "plan (headcount per year)",
    "ratio": "ratio (hire toward a driver)",
}
#: How the problems of a field are named under the editor.
FIELD_NAMES = {
    "open_headcount": "open positions",
    "reports_to": "reports to",
    "": "org",
    "staffing": "staffing",
    "staffing.plan": "staffing plan",
    "staffing.per_head": "per head",
    "staffing.driver": "driver",
}


def _fields(scenario: Scenario, unit: Unit, parents: dict[str, str]) -> list[Any]:
    functions = {f.value: f.value.replace("_", " ") for f in Function}
    segments = {"": "all segments", **{s: s for s in scenario.customers.segments}}
    staffing = unit.staffing
    plan = ", ".join(f"{v:g}" for v in (staffing.plan or [])) if staffing else ""
    drivers = {"": "-", **{d: d.replace("_", " ") for d in get_args(StaffingDriver)}}
    return [
        ui.input_text("edit_title", "Title", unit.title),
        ui.input_text("edit_name", "Incumbent's name", unit.name or ""),
        ui.input_select("edit_function", "Function", functions, selected=unit.function.value),
        ui.input_select("edit_segment", "Segment served", segments, selected=unit.segment or ""),
        ui.input_text("edit_headcount", "Headcount", f"{unit.headcount:g}"),
        ui.input_text("edit_open", "Open positions", f"{unit.open_headcount:g}"),
        ui.input_text(
            "edit_cost",
            "Loaded cost per head (blank: function default)",
            "" if unit.cost is None else f"{unit.cost:g}",
        ),
        ui.input_checkbox("edit_vacant", "Vacant (whole unit to hire)", unit.vacant),
        ui.input_select(
            "edit_policy",
            "Staffing policy",
            POLICIES,
            selected=staffing.policy if staffing else "",
        ),
        ui.input_text("edit_plan", "Plan: headcount for year 1, 2, ...", plan),
        ui.input_select(
            "edit_driver",
            "Ratio: driver",
            drivers,
            selected=(staffing.driver or "") if staffing else "",
        ),
        ui.input_text(
            "edit_per_head",
            "Ratio: driver units per head",
            f"{staffing.per_head:g}" if staffing and staffing.per_head else "",
        ),
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


def _staffing(input: Inputs, unit: Unit) -> dict[str, Any] | str:
    """The staffing the editor asks for ("" for none); fields it does not show are kept."""
    policy = input.edit_policy()
    if not policy:
        return ""
    data = unit.staffing.model_dump(mode="json", exclude_none=True) if unit.staffing else {}
    data["policy"] = policy
    for key in ("plan", "driver", "per_head"):
        data.pop(key, None)
    if policy == "plan":
        parts = [p.strip() for p in input.edit_plan().split(",") if p.strip()]
        data["plan"] = [_number(p) for p in parts]
    if policy == "ratio":
        if input.edit_driver():
            data["driver"] = input.edit_driver()
        if input.edit_per_head().strip():
            data["per_head"] = _number(input.edit_per_head())
    return data


def _changes(input: Inputs, unit: Unit) -> dict[str, Any]:
    """The editor's fields that differ from ``unit`` (a blank name, cost, segment matches none)."""
    changes = {
        "title": input.edit_title(),
        "name": input.edit_name(),
        "function": input.edit_function(),
        "segment": input.edit_segment(),
        "headcount": _number(input.edit_headcount()),
        "open_headcount": _number(input.edit_open()),
        "cost": _number(input.edit_cost()) if input.edit_cost().strip() else "",
        "vacant": bool(input.edit_vacant()),
        "staffing": _staffing(input, unit),
    }
    data = unit.model_dump(mode="json", exclude_none=True)
    return {
        k: v
        for k, v in changes.items()
        if not (v == data.get(k) or (k in CLEARABLE_FIELDS and v == "" and data.get(k) is None))
    }


def _view(st: SessionState) -> None:
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
        scenario = wb.designs[index].current
        units = {u.id: u for u in scenario.org.units}
        if unit_id not in units:
            return ""
        unit = units[unit_id]
        parents = {u.id: u.title for u in units.values() if u.id != unit_id}
        return tags.div(
            tags.h3(unit.title, class_="studio-unit-title"),
            tags.p(f"{wb.labels[index]} · id {unit.id}", class_="studio-note"),
            *_fields(scenario, unit, parents),
            ui.output_ui("edit_messages"),
            tags.div(
                ui.input_action_button("edit_apply", "Apply", class_="btn-primary btn-sm"),
                ui.input_action_button("edit_add", "Add a unit under it", class_="btn-sm"),
                ui.input_action_button(
                    "edit_remove", "Remove it", class_="btn-outline-danger btn-sm"
                ),
                class_="studio-buttons",
            ),
            id="studio-unit-editor",
        )

    @render.ui
    def edit_messages() -> Any:
        errors = st.edit_errors()
        if not errors:
            return ""
        return tags.ul(
            *(tags.li(f"{FIELD_NAMES.get(k, k)}: {v}") for k, v in errors.items()),
            class_="studio-error",
            id="edit-errors",
        )


def _apply(st: SessionState) -> None:
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
        changes = _changes(input, unit)
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


def _add_remove(st: SessionState) -> None:
    """Add a unit under the selected one; remove the selected one."""
    wb, input = st.wb, st.input

    @reactive.effect
    @reactive.event(input.edit_add)
    async def _add() -> None:
        chosen = st.selected()
        if chosen is None:
            return
        index, manager = chosen
        try:
            new = wb.add(index, manager)
        except OrgEditError as exc:
            st.edit_errors.set(exc.problems)
            return
        st.selected.set((index, new))
        await st.edited(index, new)

    @reactive.effect
    @reactive.event(input.edit_remove)
    async def _remove() -> None:
        chosen = st.selected()
        if chosen is None:
            return
        index, unit_id = chosen
        try:
            wb.remove(index, unit_id)
        except OrgEditError as exc:
            st.edit_errors.set(exc.problems)
            return
        st.selected.set(None)
        await st.edited(index, None)


def editor_panel(st: SessionState) -> None:
    """Wire the unit editor of one session."""
    _view(st)
    _apply(st)
    _add_remove(st)
