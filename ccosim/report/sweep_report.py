"""Sweep outputs: a main-effects table, a tornado chart and the tidy CSV of every point."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ccosim.experiment.sweep import SweepResult
from ccosim.output import atomic_dir, write_text
from ccosim.report.figures import save_figure, tornado
from ccosim.tabular import csv_text

__all__ = ["sweep_text", "write_sweep"]

PERCENT_KPIS = frozenset(
    {
        "grr",
        "nrr",
        "logo_retention",
        "gross_margin",
        "red_share",
        "green_share",
        "csm_coverage",
        "ps_utilization",
    }
)


def _show(value: float, kpi: str) -> str:
    return f"{value:.2%}" if kpi in PERCENT_KPIS else f"{value:,.4g}"


def sweep_text(result: SweepResult, kpi: str, year: int) -> str:
    """Each factor's KPI at its lowest and highest level, widest swing first."""
    swings = result.swings(kpi, year)
    rows = sorted(swings.items(), key=lambda kv: -abs(kv[1][1] - kv[1][0]))
    lines = [
        f"{kpi} in year {year}: {len(result.points)} grid points x {result.runs} runs "
        f"(seed {result.seed}); mean over all points {_show(result.kpi(kpi, year).mean(), kpi)}"
    ]
    width = max(len(p) for p, _ in rows)
    for path, (low, high) in rows:
        lines.append(
            f"  {path.ljust(width)}  lowest setting {_show(low, kpi)}  highest "
            f"{_show(high, kpi)}  swing {_show(high - low, kpi)}"
        )
    return "\n".join(lines)


def write_sweep(
    result: SweepResult, folder: str | Path, *, kpi: str, year: int, force: bool = False
) -> Path:
    """Write ``sweep.csv`` (point, factor values, replication, year, KPI values) and charts."""
    folder = Path(folder)
    kpis = sorted(result.results[0].yearly)
    with atomic_dir(folder, force=force) as tmp:
        paths = [f.path for f in result.factors]
        rows = (
            [
                i,
                *(point[p] for p in paths),
                rep,
                y,
                *(float(res.yearly[k][rep, y - 1]) for k in kpis),
            ]
            for i, (point, res) in enumerate(zip(result.points, result.results, strict=True))
            for rep in range(res.runs)
            for y in res.years
        )
        text = csv_text(["point", *paths, "replication", "year", *kpis], rows)
        write_text(tmp / "sweep.csv", text)
        figure = tornado(
            result.swings(kpi, year),
            float(np.mean(result.kpi(kpi, year))),
            kpi_label=f"{kpi.upper() if len(kpi) <= 4 else kpi} in year {year}",
            percent=kpi in PERCENT_KPIS,
        )
        save_figure(figure, tmp / "tornado.png")
        save_figure(figure, tmp / "tornado.svg")
        write_text(tmp / "summary.txt", sweep_text(result, kpi, year) + "\n")
    return folder
