"""Sweep outputs: a main-effects table, a chart and the tidy data of every point.

One factor is drawn as a line of the KPI against the values swept, with 95% intervals; two or
more as a tornado whose bars are labelled with the lowest and highest values swept. The data
folder is long like every other (``point``, one column per factor, ``replication``, ``year``,
``kpi``, ``value``) with ``datapackage.json`` and a manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ccosim import kpis
from ccosim.experiment.study import design_labels
from ccosim.experiment.sweep import SweepResult
from ccosim.formatting import format_interval, format_value
from ccosim.output import atomic_dir, write_text
from ccosim.report.data import DataTable, write_tables
from ccosim.report.figures import one_factor_line, save_figure, tornado
from ccosim.report.provenance import write_provenance
from ccosim.stats import mean_interval

__all__ = ["sweep_data", "sweep_table", "sweep_text", "write_sweep"]


def _unit(kpi: str) -> str:
    entry = kpis.CATALOGUE.get(kpi)
    return entry.unit if entry else "ratio"


def sweep_text(result: SweepResult, kpi: str, year: int) -> str:
    """Each factor's KPI at its lowest and highest level, widest swing first."""
    unit = _unit(kpi)
    swings = result.swings(kpi, year)
    rows = sorted(swings.items(), key=lambda kv: -abs(kv[1][1] - kv[1][0]))
    lines = [
        f"{design_name(result)}: {kpis.label(kpi)} in year {year}: {len(result.points)} grid "
        f"points x {result.runs} runs (seed {result.seed}); mean over all points "
        f"{format_value(float(np.nanmean(result.kpi(kpi, year))), unit)}"
    ]
    width = max(len(p) for p, _ in rows)
    values = {f.path: f.values for f in result.factors}
    paired = result.swing_intervals(kpi, year) if result.runs > 1 else {}
    diff = kpis.difference_unit(unit)
    for path, (low, high) in rows:
        lo_setting, hi_setting = values[path][0], values[path][-1]
        swing = format_value(high - low, diff, signed=True)
        if path in paired:
            _, lo, hi = paired[path]
            swing += f" (paired 95%: {format_interval(lo, hi, diff, signed=True)})"
        lines.append(
            f"  {path.ljust(width)}  at {lo_setting}: {format_value(low, unit)}  at "
            f"{hi_setting}: {format_value(high, unit)}  swing {swing}"
        )
    if paired:
        lines.append(
            "Paired intervals: the swing replication by replication on common random numbers "
            "(customer randomness only)."
        )
    return "\n".join(lines)


def sweep_data(result: SweepResult, kpi: str, year: int) -> dict[str, Any]:
    """What ``sweep --json`` writes: each factor's KPI at its lowest and highest value.

    The swing's interval is paired on common random numbers (customer randomness only);
    None with a single run per point.
    """
    swings = result.swings(kpi, year)
    paired = result.swing_intervals(kpi, year) if result.runs > 1 else {}
    factors = []
    for f in result.factors:
        low, high = swings[f.path]
        interval = paired.get(f.path)
        factors.append(
            {
                "path": f.path,
                "values": list(f.values),
                "at_lowest": float(low),
                "at_highest": float(high),
                "swing": float(high - low),
                "swing_interval": None if interval is None else [interval[1], interval[2]],
            }
        )
    factors.sort(key=lambda row: -abs(row["swing"]))
    return {
        "design": design_name(result),
        "kpi": kpi,
        "kpi_label": kpis.label(kpi),
        "unit": _unit(kpi),
        "year": year,
        "points": len(result.points),
        "runs": result.runs,
        "seed": result.seed,
        "mean": float(np.nanmean(result.kpi(kpi, year))),
        "swing_interval_covers": "customer randomness only (paired 95% interval)",
        "factors": factors,
    }


def sweep_table(result: SweepResult) -> DataTable:
    """Every KPI of every replication at every grid point, long."""
    paths = [f.path for f in result.factors]
    rows = (
        [
            i,
            *(point[p] for p in paths),
            rep,
            y,
            kpi,
            None if not np.isfinite(v := float(values[rep, y - 1])) else v,
        ]
        for i, (point, res) in enumerate(zip(result.points, result.results, strict=True))
        for kpi, values in res.yearly.items()
        for rep in range(res.runs)
        for y in res.years
    )
    return DataTable(
        "sweep",
        "Yearly KPIs at every grid point of the sweep, one row per point, replication, year "
        "and KPI; one column per varied assumption holds its value at the point.",
        ["point", *paths, "replication", "year", "kpi", "value"],
        rows,
        ["point", "replication", "year", "kpi"],
        extra_fields={p: ("any", f"Value of {p} at this grid point.") for p in paths},
        kpi_names=kpis.YEARLY,
    )


def design_name(result: SweepResult) -> str:
    """The swept design's label (its ``label:``, else its file stem), as reports name it."""
    scenarios = result.scenarios[:1] or None
    return design_labels([Path(result.source or result.scenario)], scenarios)[0]


def _figure(result: SweepResult, kpi: str, year: int) -> tuple[Figure, str]:
    """The chart and its file stem: ``line`` for one numeric factor, else ``tornado``."""
    unit = _unit(kpi)
    design = design_name(result)
    name = f"{kpis.label(kpi)} in year {year}"
    if len(result.factors) == 1 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in result.factors[0].values
    ):
        factor = result.factors[0]
        samples = np.column_stack([r.yearly[kpi][:, year - 1] for r in result.results])
        iv = mean_interval(samples)
        line = one_factor_line(
            [float(v) for v in factor.values],
            (iv.mean, iv.lo, iv.hi),
            factor=factor.path,
            kpi_label=name,
            unit=unit,
            design=design,
        )
        return line, "line"
    settings = {f.path: (f.values[0], f.values[-1]) for f in result.factors}
    bars = tornado(
        result.swings(kpi, year),
        float(np.nanmean(result.kpi(kpi, year))),
        kpi_label=name,
        unit=unit,
        settings=settings,
        intervals=result.level_intervals(kpi, year) if result.runs > 1 else None,
        design=design,
    )
    return bars, "tornado"


def write_sweep(
    result: SweepResult,
    folder: str | Path,
    *,
    kpi: str,
    year: int,
    force: bool = False,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
) -> Path:
    """Write ``sweep.csv`` with its data package, the chart, a summary and the manifest."""
    folder = Path(folder)
    with atomic_dir(folder, force=force) as tmp:
        write_tables(
            tmp, [sweep_table(result)], title=f"ccosim sweep of {result.scenario}", formats=formats
        )
        figure, stem = _figure(result, kpi, year)
        save_figure(figure, tmp / f"{stem}.png")
        save_figure(figure, tmp / f"{stem}.svg")
        write_text(tmp / "summary.txt", sweep_text(result, kpi, year) + "\n")
        write_provenance(
            tmp,
            [(f"point-{i}", scenario) for i, scenario in enumerate(result.scenarios)],
            [result.source or result.scenario] * len(result.scenarios),
            seed=result.seed,
            runs=result.runs,
            command=command,
        )
    return folder
