"""``sweep``: a grid of assumptions over one design (tornado), or a ranking of several."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccosim.experiment.study import Study, design_labels
from ccosim.experiment.sweep import SweepResult, factorial, sweep
from ccosim.experiment.sweep_ranking import RankingSweep, ranking_sweep
from ccosim.output import atomic_dir, write_text
from ccosim.report.data import write_tables
from ccosim.report.document import render_html
from ccosim.report.figures import save_figure
from ccosim.report.provenance import write_provenance
from ccosim.report.sweep_page import ranking_data, ranking_report, ranking_table
from ccosim.report.sweep_report import sweep_data, sweep_text
from ccosim.report.uncertainty_report import ranking_text
from ccosim.resources import check_resources

__all__ = [
    "RankingAnswers",
    "SweepAnswers",
    "check_ranking_memory",
    "check_sweep_memory",
    "ranking_folder",
    "ranking_summary",
    "ranking_sweep",
    "sweep",
    "sweep_folder",
    "write_ranking",
]


def sweep_folder(path: str | Path) -> Path:
    """``reports/sweep-NAME``: the default folder of a one-design sweep."""
    return Path("reports") / f"sweep-{Path(path).stem}"


def ranking_folder(paths: Sequence[str | Path]) -> Path:
    """``reports/sweep-A-vs-B-vs-C``: the default folder of a ranking sweep (3 names at most)."""
    labels = design_labels([Path(p) for p in paths])
    return Path("reports") / f"sweep-{'-vs-'.join(labels[:3])}"


def check_sweep_memory(study: Study, factors: Sequence, *, allow_large: bool) -> None:
    """Check the grid's size and refuse, before it starts, a sweep over the memory budget.

    Raises:
        SweepError: a grid larger than the limit.
        ResourceError: over the memory budget without ``allow_large``.
    """
    points = len(factorial(factors))
    runs = (study.runs or 5) * points
    designs = [d.scenario for d in study.designs]
    check_resources(designs, runs, study.execution.workers, allow_large=allow_large)


def check_ranking_memory(
    study: Study, factors: Sequence, *, draws: int | None, allow_large: bool
) -> None:
    """Check the grid's size and refuse, before it starts, a ranking sweep over the budget.

    The points run one after another: at once, one point's replications (or draws) and, for
    every point, each design's expected value and share of wins.

    Raises:
        SweepError: a grid larger than the limit.
        ResourceError: over the memory budget without ``allow_large``.
    """
    factorial(factors)  # (refuses a grid over the limit)
    runs = study.runs or (2 if draws else 5)
    designs = [d.scenario for d in study.designs]
    # Without draws, a point's replications run as draws of fixed values (psa.run_psa).
    check_resources(
        designs, runs, study.execution.workers, draws=draws or runs, allow_large=allow_large
    )


def ranking_summary(result: RankingSweep) -> str:
    """The ranking at every grid point for a terminal (also the folder's ``summary.txt``)."""
    return ranking_text(result)


def write_ranking(
    result: RankingSweep,
    folder: Path,
    study: Study,
    *,
    force: bool = False,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
) -> None:
    """Write the ranking's folder.

    ``ranking.json`` (the winner at every grid point), ``ranking.csv`` with its data package
    (and in ``formats``), ``report.html`` with the ranking map and the NPV chart (also as
    PNG and SVG), ``summary.txt``, the designs resolved and the manifest.
    """
    text = ranking_summary(result)
    labels = design_labels([Path(d.source) for d in study.designs])
    designs = [(label, d.scenario) for label, d in zip(labels, study.designs, strict=True)]
    title = "ccosim sweep: " + " vs ".join(result.labels)
    report = ranking_report(result, seed=study.seed, title=title)
    with atomic_dir(folder, force=force) as tmp:
        write_tables(tmp, [ranking_table(result)], title=title, formats=formats)
        write_text(tmp / "ranking.json", json.dumps(_finite(ranking_data(result)), indent=1) + "\n")
        write_text(tmp / "summary.txt", text + "\n")
        write_text(tmp / "report.html", render_html(report))
        for item in (f for section in report.sections for f in section.figures):
            save_figure(item.figure, tmp / f"{item.stem}.png")
            save_figure(item.figure, tmp / f"{item.stem}.svg")
        write_provenance(
            tmp,
            designs,
            [d.source for d in study.designs],
            seed=study.seed,
            runs=result.runs,
            command=command,
            overrides=study.overrides,
        )


def _finite(value: Any) -> Any:
    """JSON has no NaN: an undefined number becomes null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class RankingAnswers:
    """A ranking sweep's answer for a front end: its terminal text and its JSON."""

    result: RankingSweep

    def to_text(self) -> str:
        """The ranking at every grid point, as the terminal shows it."""
        return ranking_summary(self.result)

    def to_dict(self) -> dict[str, Any]:
        """What ``sweep --json`` writes: ``ranking.json``."""
        return _finite(ranking_data(self.result))


@dataclass(frozen=True)
class SweepAnswers:
    """A one-design sweep's answer for a front end: its terminal text and its JSON."""

    result: SweepResult
    kpi: str
    year: int

    def to_text(self) -> str:
        """Each factor's swing, widest first."""
        return sweep_text(self.result, self.kpi, self.year)

    def to_dict(self) -> dict[str, Any]:
        """What ``sweep --json`` writes: each factor's KPI at its lowest and highest value."""
        return _finite(sweep_data(self.result, self.kpi, self.year))
