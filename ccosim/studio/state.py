"""What the studio runs with (:class:`StudioSettings`) and what one browser session holds.

Every panel of the page (:mod:`~ccosim.studio.app`, :mod:`~ccosim.studio.editor`,
:mod:`~ccosim.studio.case_panel`, :mod:`~ccosim.studio.import_panel`) is a function of one
:class:`SessionState`: the session's own :class:`~ccosim.studio.workbench.Workbench`, its
reactive values and the jobs it started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shiny import Inputs, Session, reactive

from ccosim.experiment.compare import Comparison
from ccosim.studio.jobs import Jobs, Progress
from ccosim.studio.org_view import org_view
from ccosim.studio.workbench import Workbench

__all__ = ["SessionState", "StudioSettings"]


@dataclass(frozen=True)
class StudioSettings:
    """How the studio runs.

    Attributes:
        runs: Replications per design of the first answer after each change.
        refine_runs: Replications of the refined answer that follows (0: none).
        draw_runs: Replications per draw of a draws run.
        max_draws: Most draws one request may ask for.
        case_runs: Replications per org of the business case.
    """

    runs: int = 4
    refine_runs: int = 20
    draw_runs: int = 2
    max_draws: int = 500
    case_runs: int = 10


@dataclass
class SessionState:
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
        draws_note: Why the last draws run could not start.
        latest: The latest simulated comparison, if any.
        designs_note: The last import's headline, its lines and whether it was imported.
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
    draws_note: reactive.Value[str] = field(default_factory=lambda: reactive.Value(""))
    latest: reactive.Value[Comparison | None] = field(default_factory=lambda: reactive.Value(None))
    designs_note: reactive.Value[tuple[str, tuple[str, ...], bool]] = field(
        default_factory=lambda: reactive.Value(("", (), True))
    )
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

    async def push(self, index: int, select: str | bool | None = False) -> None:
        """Send design ``index``'s org chart to the browser.

        Args:
            index: The design.
            select: A unit to select, None to clear the selection, False to leave it.
        """
        wb = self.wb
        view = org_view(
            wb.designs[index].current,
            label=wb.labels[index],
            moved=wb.changed_units(index),
        )
        message: dict[str, Any] = {"index": index, "view": view}
        if select is not False:
            message["select"] = select
        await self.session.send_custom_message("studio-org", message)

    async def edited(self, index: int, select: str | bool | None = False) -> None:
        """After an edit of design ``index``: clear the errors, redraw, rerun."""
        self.edit_errors.set({})
        await self.push(index, select)
        self.version.set(self.version.get() + 1)
