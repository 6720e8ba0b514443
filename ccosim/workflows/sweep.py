"""``sweep``: a grid of assumptions over one design (tornado), or a ranking of several."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ccosim.experiment.study import Study, design_labels
from ccosim.experiment.sweep import factorial, sweep
from ccosim.experiment.sweep_ranking import RankingSweep, ranking_sweep
from ccosim.output import atomic_dir, write_text
from ccosim.report.provenance import write_provenance
from ccosim.report.uncertainty_report import ranking_csv, ranking_text
from ccosim.resources import check_resources

__all__ = [
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
) -> None:
    """Write ``ranking.csv``, ``summary.txt``, the designs resolved and the manifest."""
    text = ranking_summary(result)
    labels = design_labels([Path(d.source) for d in study.designs])
    designs = [(label, d.scenario) for label, d in zip(labels, study.designs, strict=True)]
    with atomic_dir(folder, force=force) as tmp:
        write_text(tmp / "ranking.csv", ranking_csv(result))
        write_text(tmp / "summary.txt", text + "\n")
        write_provenance(
            tmp,
            designs,
            [d.source for d in study.designs],
            seed=study.seed,
            runs=result.runs,
            command=command,
            overrides=study.overrides,
        )
