"""The upload control: an HRIS CSV or .xlsx becomes one more design, its problems listed by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from htmltools import Tag, TagList, tags
from shiny import reactive, render, ui

from ccosim.studio.case_panel import target_choices
from ccosim.studio.jobs import Progress
from ccosim.studio.state import SessionState
from ccosim.studio.upload import (
    MAX_UPLOAD_FILE_BYTES,
    UPLOAD_SUFFIXES,
    ImportOutcome,
    import_design,
)

__all__ = ["import_controls", "import_panel"]


def import_controls() -> TagList:
    """The sidebar's upload field, its lenient switch and its messages."""
    return TagList(
        ui.input_file(
            "hris_upload",
            f"HRIS export, CSV or .xlsx (up to {MAX_UPLOAD_FILE_BYTES // 2**20} MB)",
            accept=list(UPLOAD_SUFFIXES),
            button_label="Upload...",
        ),
        ui.input_checkbox("import_lenient", "Import what it can (skip or repair bad rows)", False),
        ui.output_ui("import_status"),
    )


def _outcome_html(headline: str, lines: tuple[str, ...], ok: bool) -> Tag:
    return tags.div(
        tags.p(headline, class_="studio-done" if ok else "studio-error"),
        tags.ul(*(tags.li(line) for line in lines), class_="studio-import-lines") if lines else "",
        id="import-note",
    )


def import_panel(st: SessionState) -> None:
    """Wire the upload of one session: import, then draw and simulate the new design."""
    wb, input = st.wb, st.input

    @reactive.effect
    @reactive.event(input.hris_upload)
    async def _upload() -> None:
        files = input.hris_upload() or []
        if not files:
            return
        upload = files[0]
        path, name = Path(upload["datapath"]), str(upload["name"])
        st.designs_note.set((f"Importing {name}...", (), True))
        lenient = bool(input.import_lenient())

        def work(p: Progress) -> ImportOutcome:
            return import_design(wb, path, name, lenient=lenient)

        outcome = await st.run(work, Progress())
        st.designs_note.set((outcome.headline, outcome.lines, outcome.index is not None))
        if outcome.index is None:
            return
        choices = {str(i): label for i, label in enumerate(wb.labels)}
        ui.update_select("file_design", choices=choices, selected=str(outcome.index))
        ui.update_select(
            "case_target", choices=target_choices(wb), selected=input.case_target() or None
        )
        await st.edited(outcome.index)

    @render.ui
    def import_status() -> Any:
        headline, lines, ok = st.designs_note()
        if not headline:
            return tags.p(
                "The org it gives runs on the first design's customers and assumptions.",
                class_="studio-note",
            )
        return _outcome_html(headline, lines, ok)
