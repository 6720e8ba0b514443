"""One run context: the designs of a study, loaded once, and how to run them.

A :class:`Study` holds what every experiment asks for: the designs (each scenario file
loaded and resolved once, with its label and file stem, on one horizon), the baseline
(found by label or by file stem in one place), the root seed, the replications, and an
:class:`Execution` (local processes or a Dask scheduler, and where progress goes).
compare, the business case, sweeps, draws (PSA) and calibration take one; the CLI builds it
from its options, and any other front end builds it the same way::

    study = Study.from_files(["scenarios/post_sales_cs.yaml", "scenarios/cco_full.yaml"],
                             baseline="CCO org", runs=10, years=3)
    comparison = compare(study)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ccosim.errors import CcosimError
from ccosim.scenario import Scenario, load
from ccosim.scenario.plain import strip_control
from ccosim.suggest import did_you_mean

__all__ = [
    "Design",
    "Execution",
    "Hire",
    "Study",
    "StudyError",
    "design_labels",
    "skipped_bases",
]


class StudyError(CcosimError):
    """A study that cannot be set up as asked (e.g. an unknown baseline)."""


@dataclass(frozen=True)
class Design:
    """One design of a study: a short label, its source file and the resolved scenario."""

    label: str
    source: str
    scenario: Scenario

    @property
    def stem(self) -> str:
        """The source file's name without its suffix (``cco_full``)."""
        return Path(self.source).stem


@dataclass(frozen=True)
class Execution:
    """Where replications run and who hears of their progress.

    Attributes:
        workers: Local processes (1: serial; None: all cores).
        scheduler: A Dask scheduler address or client, instead of local processes.
        on_done: Progress: replications finished so far.
        on_total: Told the total number of replications once, before they start.
    """

    workers: int | None = None
    scheduler: Any = None
    on_done: Callable[[int], None] | None = None
    on_total: Callable[[int], None] | None = None

    def reporting(
        self,
        on_done: Callable[[int], None] | None,
        on_total: Callable[[int], None] | None = None,
    ) -> Execution:
        """The same execution with progress going to ``on_done`` and ``on_total``."""
        return replace(self, on_done=on_done, on_total=on_total)

    @staticmethod
    def gather(settings: dict[str, Any]) -> dict[str, Any]:
        """``settings`` with ``workers``, ``scheduler``, ``on_done``, ``on_total`` packed.

        For functions that take loose keywords: the four (where given) become one
        ``execution``, unless ``settings`` already holds one.
        """
        fields = ("workers", "scheduler", "on_done", "on_total")
        rest = {k: v for k, v in settings.items() if k not in fields}
        if "execution" not in rest:
            rest["execution"] = Execution(**{k: settings[k] for k in fields if k in settings})
        return rest

    def total(self, count: int) -> None:
        """Announce the number of replications about to run."""
        if self.on_total:
            self.on_total(count)


@dataclass(frozen=True)
class Hire:
    """A business case's hire: the CCO org's file, its resolved scenario and the hire month.

    With ``month`` > 0 the proposed design is the current org plus a transition to
    ``target``; with 0 it is ``target`` itself.
    """

    month: int
    target: Scenario
    target_path: str


def design_labels(paths: Sequence[Path], scenarios: Sequence[Scenario] | None = None) -> list[str]:
    """Short unique labels: each scenario's ``label:``, else its file stem (``-2`` on a clash)."""
    labels: list[str] = []
    for i, path in enumerate(paths):
        given = getattr(scenarios[i], "label", None) if scenarios is not None else None
        # A label reaches terminals, SVG and CSV: no control characters.
        stem = strip_control(given or path.stem) or "design"
        label, n = stem, 2
        while label in labels:
            label, n = f"{stem}-{n}", n + 1
        labels.append(label)
    return labels


def skipped_bases(paths: Sequence[str | Path]) -> tuple[list[Path], tuple[str, ...]]:
    """The design files among ``paths`` and a note for each base (``_*.yaml``) left out."""
    given = [Path(p) for p in paths]
    notes = tuple(
        f"{p.name} skipped: a file named with a leading underscore is a base other scenarios "
        "extend, not a design"
        for p in given
        if p.name.startswith("_")
    )
    return [p for p in given if not p.name.startswith("_")], notes


@dataclass(frozen=True)
class Study:
    """The designs of a study and how to run them (see the module docstring).

    Attributes:
        designs: The designs in the order given, each on the study's horizon.
        baseline: Label of the design deltas and net values are measured against.
        seed: Root seed shared by every design (common random numbers).
        runs: Replications per design (or per draw); None lets each experiment choose.
        execution: Processes or scheduler, and progress callbacks.
        overrides: The ``--set`` values the designs were loaded with (for provenance).
        notes: What was left out on the way (base files skipped).
        given_horizons: Each design's horizon as its file gives it.
        years: The horizon asked for; None when it is the baseline's own.
        hire: A business case's hire (None for other studies).
    """

    designs: tuple[Design, ...]
    baseline: str
    seed: int
    runs: int | None = None
    execution: Execution = field(default_factory=Execution)
    overrides: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    given_horizons: tuple[int, ...] = ()
    years: int | None = None
    hire: Hire | None = None

    @classmethod
    def from_files(
        cls,
        paths: Sequence[str | Path],
        *,
        baseline: str | None = None,
        seed: int | None = None,
        runs: int | None = None,
        years: int | None = None,
        set_options: Sequence[str] = (),
        execution: Execution | None = None,
        skip_bases: bool = True,
    ) -> Study:
        """Load every design once and resolve the baseline.

        Files named ``_*.yaml`` are bases, not designs: they are skipped with a note. Labels
        are each scenario's ``label:``, else its file stem. The horizon is ``years``, else
        the baseline's; a design whose file gives another horizon is loaded again on it.

        Args:
            paths: Scenario files.
            baseline: Label or file stem of the baseline design (default: the first).
            seed: Root seed (default: the baseline scenario's ``seed``).
            runs: Replications per design; None lets each experiment choose.
            years: Horizon for every design (default: the baseline's).
            set_options: ``--set PATH=VALUE`` overrides applied to every design.
            execution: Processes or scheduler and progress (default: all cores, silent).
            skip_bases: Leave out files named ``_*.yaml`` (False: study every file given).

        Raises:
            StudyError: no design files, or a baseline that names none of the designs.
            ScenarioError: a scenario file or override is invalid.
        """
        files, notes = skipped_bases(paths) if skip_bases else ([Path(p) for p in paths], ())
        if not files:
            raise StudyError("no scenario files to study (files named _*.yaml are bases)")
        given = [load(p, set_options=set_options) for p in files]
        labels = design_labels(files, given)
        designs = [Design(lb, str(p), s) for lb, p, s in zip(labels, files, given, strict=True)]
        base = resolve_design(designs, baseline)
        horizon = years or base.scenario.horizon_years
        common = {"horizon_years": horizon}
        designs = [
            d
            if d.scenario.horizon_years == horizon
            else replace(d, scenario=load(d.source, common, set_options=set_options))
            for d in designs
        ]
        return cls(
            designs=tuple(designs),
            baseline=base.label,
            seed=base.scenario.seed if seed is None else int(seed),
            runs=runs,
            execution=execution or Execution(),
            overrides=tuple(set_options),
            notes=notes,
            given_horizons=tuple(s.horizon_years for s in given),
            years=years,
        )

    @property
    def labels(self) -> list[str]:
        """Design labels in the order given."""
        return [d.label for d in self.designs]

    @property
    def horizon_years(self) -> int:
        """The study's horizon in years (every design runs on it)."""
        return self.design(self.baseline).scenario.horizon_years

    def design(self, name: str) -> Design:
        """The design called ``name`` (its label or its file stem).

        Raises:
            StudyError: no design has that label or stem (the message lists them).
        """
        return resolve_design(self.designs, name)

    def baseline_first(self) -> list[Design]:
        """The designs with the baseline first, the others in the order given."""
        base = self.design(self.baseline)
        return [base, *(d for d in self.designs if d.label != base.label)]

    def with_runs(self, runs: int) -> Study:
        """The same study with ``runs`` replications per design."""
        return replace(self, runs=runs)

    def reporting(
        self,
        on_done: Callable[[int], None] | None,
        on_total: Callable[[int], None] | None = None,
    ) -> Study:
        """The same study with progress going to ``on_done`` and ``on_total``."""
        return replace(self, execution=self.execution.reporting(on_done, on_total))


def resolve_design(designs: Sequence[Design], name: str | None) -> Design:
    """The design labelled ``name``, else the one whose file stem is ``name``; the first if None.

    Raises:
        StudyError: ``name`` is neither a label nor a stem of the designs.
    """
    if name is None:
        return designs[0]
    for design in designs:
        if design.label == name:
            return design
    for design in designs:
        if design.stem == name:
            return design
    labels = [d.label for d in designs]
    hint = did_you_mean(name, [*labels, *(d.stem for d in designs)])
    raise StudyError(f"--baseline {name!r} is none of: {', '.join(labels)}{hint}")
