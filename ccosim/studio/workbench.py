"""One studio session's work: the designs as opened and as edited, undo/redo, assumptions.

Pure Python, no web framework: the Shiny app (:mod:`ccosim.studio.app`) calls these methods
and shows what they return, and the tests call them directly. Everything the studio runs goes
through the library's run context (:class:`~ccosim.experiment.study.Study`): the edited
designs with the assumption values applied become a Study, and
:func:`~ccosim.experiment.compare.compare` and :func:`~ccosim.experiment.psa.psa` run it.
Every file read or written lies inside the folder the user chose (:class:`~ccosim.studio.
folder.Folder`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ccosim.errors import CcosimError
from ccosim.experiment.compare import Comparison, compare
from ccosim.experiment.psa import PsaResult, psa, uncertain_keys
from ccosim.experiment.study import Design, Execution, Study
from ccosim.io.authoring import comment_text, unit_line, write_scenario
from ccosim.io.formats import to_csv
from ccosim.org import OrgDiff, OrgGraph, diff_orgs
from ccosim.org.change_file import change_file_csv, change_rows
from ccosim.org.edit import add_unit, move_unit, remove_unit, update_unit
from ccosim.org.edit_timeline import edits_timeline
from ccosim.resources import check_resources
from ccosim.scenario import Scenario
from ccosim.scenario.schema import TimelineEvent
from ccosim.scenario.uncertainty import apply_values, key_value
from ccosim.studio.folder import Folder
from ccosim.yaml_text import dump

__all__ = ["KEY_ASSUMPTIONS", "NOT_SETTINGS", "Slider", "StudioDesign", "Workbench", "design_yaml"]

#: Assumptions offered as sliders first, when the designs give them a range.
KEY_ASSUMPTIONS = (
    "assumptions.customer_success.health_lift",
    "assumptions.health.churn_sensitivity",
    "assumptions.handoff.decay_per_hop",
    "assumptions.renewals.unworked_churn_multiplier",
    "assumptions.support.health_weight",
)
#: Sliders shown at most.
MAX_SLIDERS = 5
#: Scenario fields that are not a design's settings: written apart (org, timeline) or left
#: to the file (extends, label).
NOT_SETTINGS = ("extends", "label", "org", "timeline")
#: Most designs open at once (opened and imported).
MAX_DESIGNS = 5


@dataclass(frozen=True)
class Slider:
    """One assumption a slider moves, bounded by its uncertainty range."""

    path: str
    label: str
    low: float
    high: float
    value: float
    reason: str
    designs: tuple[int, ...]

    @property
    def step(self) -> float:
        """A step giving about a hundred positions, rounded to a readable size."""
        raw = (self.high - self.low) / 100
        return float(f"{raw:.1g}") if raw > 0 else 0.01


@dataclass(frozen=True)
class StudioDesign:
    """A design as opened (``original``) and as edited (``current``)."""

    label: str
    source: str
    original: Scenario
    current: Scenario


@dataclass
class Workbench:
    """What one user has opened and done (see the module docstring).

    Attributes:
        designs: The designs, the first the baseline of net values.
        folder: Where files are read and written.
        seed: Root seed (common random numbers for every design).
        years: Years simulated.
        assumptions: Slider values, by dotted key.
    """

    designs: list[StudioDesign]
    folder: Folder
    seed: int
    years: int
    assumptions: dict[str, float] = field(default_factory=dict)
    _undo: list[tuple[int, Scenario]] = field(default_factory=list)
    _redo: list[tuple[int, Scenario]] = field(default_factory=list)

    @classmethod
    def open(cls, paths: Sequence[str | Path], folder: Folder, *, years: int) -> Workbench:
        """Load the design files (each inside ``folder``) on a horizon of ``years``.

        One file is opened twice, as opened and as edited, so there is something to
        compare against.

        Raises:
            CcosimError: a file outside the folder, or one that does not load.
        """
        files = [folder.existing(p) for p in paths]
        if len(files) == 1:
            files = files * 2
        # Each design at its own horizon: what is saved is the design as its file gives it;
        # runs use ``years`` (:meth:`scenario`).
        study = Study.from_files(files, skip_bases=False)
        designs = []
        for i, d in enumerate(study.designs):
            label = d.label
            if len(paths) == 1:
                label = f"{d.stem} (as opened)" if i == 0 else f"{d.stem} (edited)"
            designs.append(StudioDesign(label, d.source, d.scenario, d.scenario))
        return cls(designs, folder, study.seed, years)

    @property
    def labels(self) -> list[str]:
        """Design labels in order."""
        return [d.label for d in self.designs]

    # ---- edits ------------------------------------------------------------------------------

    def _apply(self, index: int, scenario: Scenario) -> None:
        self._undo.append((index, self.designs[index].current))
        self._redo.clear()
        self.designs[index] = replace(self.designs[index], current=scenario)

    def move(self, index: int, unit_id: str, new_manager: str) -> None:
        """Re-parent ``unit_id`` under ``new_manager`` in design ``index`` (undoable).

        Raises:
            OrgEditError: the format refuses the move (a cycle, an unknown unit, the root).
        """
        self._apply(index, move_unit(self.designs[index].current, unit_id, new_manager))

    def edit(self, index: int, unit_id: str, changes: dict[str, Any]) -> None:
        """Change fields of ``unit_id`` in design ``index`` (undoable).

        Raises:
            OrgEditError: the format refuses a value (``problems`` by field).
        """
        self._apply(index, update_unit(self.designs[index].current, unit_id, changes))

    def add(self, index: int, manager: str, fields: dict[str, Any] | None = None) -> str:
        """Add a unit under ``manager`` in design ``index`` (undoable); the new unit's id.

        Raises:
            OrgEditError: the format refuses a value (``problems`` by field).
        """
        scenario, unit_id = add_unit(self.designs[index].current, manager, fields)
        self._apply(index, scenario)
        return unit_id

    def remove(self, index: int, unit_id: str) -> None:
        """Remove ``unit_id`` from design ``index``, its reports moving up (undoable).

        Raises:
            OrgEditError: an unknown unit, or the top of the org.
        """
        self._apply(index, remove_unit(self.designs[index].current, unit_id))

    def add_design(self, label: str, source: str, scenario: Scenario) -> int:
        """Open another design (an import); its index.

        Raises:
            CcosimError: the studio already holds five designs.
        """
        if len(self.designs) >= MAX_DESIGNS:
            raise CcosimError(f"the studio holds at most {MAX_DESIGNS} designs; this is one more")
        taken = set(self.labels)
        name, n = label, 2
        while name in taken:
            name, n = f"{label}-{n}", n + 1
        self.designs.append(StudioDesign(name, source, scenario, scenario))
        return len(self.designs) - 1

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._redo)

    def undo(self) -> int | None:
        """Undo the last edit; the index of the design it changed (None: nothing to undo)."""
        if not self._undo:
            return None
        index, scenario = self._undo.pop()
        self._redo.append((index, self.designs[index].current))
        self.designs[index] = replace(self.designs[index], current=scenario)
        return index

    def redo(self) -> int | None:
        """Redo the last undone edit; the index of the design it changed."""
        if not self._redo:
            return None
        index, scenario = self._redo.pop()
        self._undo.append((index, self.designs[index].current))
        self.designs[index] = replace(self.designs[index], current=scenario)
        return index

    def diff(self, index: int) -> OrgDiff:
        """Design ``index`` as edited against itself as opened (``ccosim org diff``)."""
        d = self.designs[index]
        return diff_orgs(
            OrgGraph.from_scenario(d.original),
            OrgGraph.from_scenario(d.current),
            name_a=f"{d.label} as opened",
            name_b=f"{d.label} as edited",
        )

    def changed_units(self, index: int) -> set[str]:
        """Units of design ``index`` moved or changed since it was opened."""
        d = self.designs[index]
        if d.current is d.original:
            return set()
        diff = self.diff(index)
        return diff.moved_ids | diff.changed_ids

    # ---- assumptions ------------------------------------------------------------------------

    def sliders(self) -> list[Slider]:
        """The key assumptions the designs give a bounded range, with the values in use."""
        keys = uncertain_keys([d.original for d in self.designs], self.labels)
        bounded = [k for k in keys if all(map(math.isfinite, k.dist.support()))]
        bounded = [
            k
            for k in bounded
            if isinstance(key_value(self.designs[k.designs[0]].original, k.path), float)
        ]
        chosen = [k for p in KEY_ASSUMPTIONS for k in bounded if k.path == p]
        chosen += [k for k in bounded if k not in chosen]
        out = []
        for key in chosen[:MAX_SLIDERS]:
            low, high = key.dist.support()
            given = float(key_value(self.designs[key.designs[0]].original, key.path))
            out.append(
                Slider(
                    path=key.path,
                    label=key.path.removeprefix("assumptions.").replace("_", " "),
                    low=float(low),
                    high=float(high),
                    value=self.assumptions.get(key.path, min(max(given, low), high)),
                    reason=key.dist.reason,
                    designs=key.designs,
                )
            )
        return out

    def set_assumption(self, path: str, value: float) -> None:
        """Set an assumption a slider moves, clipped to its range.

        Raises:
            CcosimError: ``path`` is not one of the sliders.
        """
        for slider in self.sliders():
            if slider.path == path:
                self.assumptions[path] = min(max(float(value), slider.low), slider.high)
                return
        raise CcosimError(f"{path} is not an assumption the studio offers")

    def scenario(self, index: int) -> Scenario:
        """Design ``index`` as edited, with the slider values applied."""
        d = self.designs[index]
        scenario = d.current.model_copy(update={"horizon_years": self.years})
        mine = {
            s.path: self.assumptions[s.path]
            for s in self.sliders()
            if s.path in self.assumptions and index in s.designs
        }
        return apply_values(scenario, mine) if mine else scenario

    # ---- runs -------------------------------------------------------------------------------

    def study(self, runs: int, execution: Execution | None = None) -> Study:
        """The designs as they stand now, as a run context (the first the baseline)."""
        designs = tuple(
            Design(d.label, d.source, self.scenario(i)) for i, d in enumerate(self.designs)
        )
        return Study(
            designs=designs,
            baseline=designs[0].label,
            seed=self.seed,
            runs=runs,
            execution=execution or Execution(workers=1),
            given_horizons=tuple(self.years for _ in designs),
            years=self.years,
        )

    def compare(self, runs: int, execution: Execution | None = None) -> Comparison:
        """Every design on common random numbers, ``runs`` replications each."""
        study = self.study(runs, execution)
        check_resources([d.scenario for d in study.designs], runs, study.execution.workers)
        return compare(study, attribution=False, allow_different_companies=True)

    def draws(self, draws: int, runs: int, execution: Execution | None = None) -> PsaResult:
        """Every design under ``draws`` common draws of the assumptions' ranges."""
        return psa(self.study(runs, execution), draws=draws)

    # ---- files ------------------------------------------------------------------------------

    def save(self, index: int, name: str) -> Path:
        """Write design ``index`` as edited to ``name`` in the folder (a new file).

        The file is the whole design (no ``extends``), its units one line each as ``ccosim
        org import`` writes them; it is loaded before it is written, so ``ccosim validate``
        accepts it. Slider values are not written: they are assumptions, not the design.

        Raises:
            CcosimError: a name outside the folder, an existing file, or an invalid design.
        """
        path = self.folder.new_file(name, (".yaml", ".yml"))
        d = self.designs[index]
        text = design_yaml(d.current, source=Path(d.source).name, diff=self.diff(index))
        try:
            write_scenario(text, path)
        except CcosimError as exc:
            raise CcosimError(str(exc).replace("imported scenario", "edited design")) from exc
        return path

    def save_timeline(self, index: int, name: str, month: int) -> Path:
        """Write design ``index`` as opened plus its edits as timeline events at ``month``.

        The file runs the org as opened until ``month`` and the edited org from then on
        (:func:`~ccosim.org.edit_timeline.edits_timeline`); it is loaded before it is written.

        Raises:
            CcosimError: a month outside the horizon, a design whose own timeline changes the
                org before ``month``, no edits, or a name that cannot be written.
        """
        d = self.designs[index]
        horizon = d.original.horizon_years * 12
        if not 0 <= month < horizon:
            raise CcosimError(f"month {month}: choose a month from 0 to {horizon - 1}")
        early = [e for e in d.original.timeline if e.month <= month]
        if early:
            raise CcosimError(
                f"{d.label} has its own timeline from month {early[0].month}; the edits are of "
                "its org at month 0: save them as a design, or choose a month before that"
            )
        if d.current.org == d.original.org:
            raise CcosimError(f"{d.label} has no edits to write as a timeline")
        path = self.folder.new_file(name, (".yaml", ".yml"))
        events = edits_timeline(d.original.org.units, d.current.org.units, month)
        timeline: list[TimelineEvent] = [*events, *d.original.timeline]
        scenario = d.original.model_copy(update={"timeline": timeline})
        text = design_yaml(
            scenario, source=Path(d.source).name, diff=self.diff(index), at_month=month
        )
        try:
            write_scenario(text, path)
        except CcosimError as exc:
            raise CcosimError(str(exc).replace("imported scenario", "timeline")) from exc
        return path

    def save_moves(self, index: int, name: str) -> Path:
        """Write design ``index``'s change file (``org diff --moves``) to ``name``.

        One row per person affected, edited against opened.
        """
        path = self.folder.new_file(name, (".csv",))
        d = self.designs[index]
        rows = change_rows(OrgGraph.from_scenario(d.original), OrgGraph.from_scenario(d.current))
        return self.folder.write(path, change_file_csv(rows))

    def save_hris(self, index: int, name: str) -> Path:
        """Write design ``index`` as edited as the HRIS CSV ``ccosim org export`` writes."""
        path = self.folder.new_file(name, (".csv",))
        graph = OrgGraph.from_scenario(self.designs[index].current)
        return self.folder.write(path, to_csv(graph))

    def write_report(
        self, comparison: Comparison, name: str, on_done: Callable[[], None] | None = None
    ) -> Path:
        """Write the board report of ``comparison`` to the new folder ``name``.

        The report of ``ccosim compare``: report.html and report.md, the resolved designs
        and the data package in ``data/``.
        """
        # lazy: the report pulls in matplotlib and jinja2, needed only when one is written.
        from ccosim.workflows.compare import write_compare_report

        folder = self.folder.new_folder(name)
        write_compare_report(comparison, folder, command=["ccosim", "studio"])
        if on_done:
            on_done()
        return folder


def design_yaml(
    scenario: Scenario, *, source: str, diff: OrgDiff | None = None, at_month: int | None = None
) -> str:
    """A design as a whole scenario file: header, settings, then one line per unit.

    Loading the text gives back ``scenario`` (name and label aside: the name says it was
    edited, the label is left to the file name). With ``at_month``, the org is the one as
    opened and the edits are timeline events at that month (the header says so).
    """
    data = scenario.model_dump(mode="json", exclude=set(NOT_SETTINGS))
    data["name"] = f"{scenario.name} (edited)"[:200]
    if scenario.timeline:
        data["timeline"] = [
            e.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"month": e.month}
            for e in scenario.timeline
        ]
    whole = (
        "the whole design, no extends"
        if at_month is None
        else f"the design as opened, then the edits below as a timeline at month {at_month}"
    )
    lines = [
        "# yaml-language-server: $schema=scenario.schema.json",
        f"# Saved by ccosim studio from {comment_text(source)}: {whole}.",
    ]
    if diff is not None:
        for move in diff.moved:
            lines.append(
                f"# Moved: {comment_text(move.title)} ({move.id}) from "
                f"{comment_text(str(move.from_manager))} to {comment_text(str(move.to_manager))}"
            )
        for change in diff.changed:
            fields = ", ".join(change.fields)
            lines.append(f"# Changed: {comment_text(change.title)} ({change.id}): {fields}")
        for entry in diff.added:
            lines.append(f"# Added: {comment_text(entry.title)} ({entry.id})")
        for entry in diff.removed:
            lines.append(f"# Removed: {comment_text(entry.title)} ({entry.id})")
    body = dump(data)
    units = "".join(f"    - {unit_line(u)}\n" for u in scenario.org.units)
    return "\n".join(lines) + "\n" + body + "org:\n  units:\n" + units
