"""The studio's KPI table: each design's headline KPIs, paired against the first design.

Plain rows of text (the app puts them in HTML): a value, its 95% interval, and for every
design after the first its paired difference from the first, all over replications on the
same simulated customers, so every interval covers customer randomness only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccosim import kpis
from ccosim.experiment.compare import Comparison
from ccosim.experiment.net_value import net_values
from ccosim.formatting import format_delta, format_interval, format_kpi, format_value

__all__ = ["COLUMNS", "Cell", "KpiTable", "kpi_table"]

#: The KPIs shown, in order (final year), then net value over the horizon.
COLUMNS: tuple[str, ...] = ("grr", "nrr", "logo_retention", "arr", "org_cost")


@dataclass(frozen=True)
class Cell:
    """One KPI of one design: its value, its interval and its difference from the first."""

    value: str
    interval: str
    delta: str = ""
    tone: str = ""
    """``better``, ``worse`` or ``""`` (no clear difference, or the first design)."""


@dataclass(frozen=True)
class KpiTable:
    """Headers, one row of cells per design, and the sentence saying what it covers."""

    headers: list[str]
    rows: list[tuple[str, list[Cell]]]
    caption: str


def _tone(lo: float, hi: float, lower_is_better: bool) -> str:
    if lo > 0:
        return "worse" if lower_is_better else "better"
    if hi < 0:
        return "better" if lower_is_better else "worse"
    return ""


def kpi_table(comparison: Comparison) -> KpiTable:
    """The table of ``comparison``: final-year KPIs and net value over the horizon."""
    c = comparison
    year = c.years[-1]
    first = c.baseline
    nets = net_values(c)
    rows = []
    for label in c.labels:
        cells = []
        for kpi in COLUMNS:
            iv = c.results[label].interval(kpi)
            unit = kpis.get(kpi).unit
            cell = Cell(format_kpi(kpi, iv.mean[-1]), format_interval(iv.lo[-1], iv.hi[-1], unit))
            if label != first:
                d = c.delta(label, kpi)
                cell = Cell(
                    cell.value,
                    cell.interval,
                    format_delta(kpi, d.mean[-1]),
                    _tone(d.lo[-1], d.hi[-1], kpis.lower_is_better(kpi)),
                )
            cells.append(cell)
        net = nets[label]
        if label == first:
            cells.append(Cell("(reference)", ""))
        else:
            cells.append(
                Cell(
                    format_value(net.mean[0], "$", signed=True),
                    format_interval(net.lo[0], net.hi[0], "$", signed=True),
                    "",
                    _tone(net.lo[0], net.hi[0], False),
                )
            )
        rows.append((label, cells))
    years = f"{year} year{'s' if year != 1 else ''}"
    headers = ["design", *(kpis.label(k) for k in COLUMNS), f"net value, {years}"]
    paired = "on the same simulated customers (seed" if c.paired else "NOT paired (seed"
    caption = (
        f"Year {year}, mean of {c.runs} runs per design {paired} {c.seed}). Each interval is a "
        "95% interval over those runs: it covers customer randomness only, with the "
        f"assumptions held at the values set here. Below each value: its difference from {first} "
        "(green: better, red: worse, where the paired interval excludes zero). Net value: "
        f"operating contribution over the {years} minus {first}'s, run by run."
    )
    return KpiTable(headers, rows, caption)
