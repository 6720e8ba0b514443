"""Cohort retention curves by segment, per design.

What share of the logos signed in a year are still customers one, two, ... years later.
From the engine's cohort record (:attr:`ccosim.results.Results.cohorts`): at every year end,
by segment and year signed, the accounts signed and those still customers. A curve pools
the cohorts (sums of accounts over cohorts and replications: a large cohort counts for
more), chained year by year (the life-table method, :func:`retention_curve`) so that each
age uses every cohort that has reached it. That is what "the share of a year's new logos
still with us after N years" means for the company. The initial base (accounts signed
before month 0) is left out: its signing dates are not simulated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ccosim.formatting import format_value
from ccosim.literal_text import literal_text
from ccosim.report.data import DataTable
from ccosim.report.document import FigureItem, Section, Table
from ccosim.report.figures import design_colors, finish_panels, panel_grid
from ccosim.results import COHORT_ROWS, Results

__all__ = ["cohort_section", "cohort_table", "retention_curve"]


def retention_curve(results: Results, segment: str) -> tuple[np.ndarray, np.ndarray]:
    """Logo retention of the new-logo cohorts of ``segment`` by age (the life-table method).

    Age 0 is the end of the year signed; age ``a`` the end of the ``a``-th year after it.
    Age 0 is the accounts still active over those signed, pooled over every cohort and
    replication; each later age multiplies by the share of the accounts active at the
    previous age that are still active, pooled over the cohorts observed at both. Chaining
    uses every cohort for the ages it has reached, so the curve never rises because an
    older age is seen in fewer (and luckier) cohorts.

    Returns:
        ``(retention, signed)``: one value per age 0..years-1 (NaN where no account was
        signed), and the accounts signed in the cohorts that reach that age.

    Raises:
        ValueError: ``segment`` is not one of the run's segments.
        KeyError: the run has no cohort record.
    """
    s = results.cohort_segments.index(segment)
    active = results.cohorts["active"][:, :, s, :]  # runs x year ends x cohorts
    signed = results.cohorts["signed"][:, -1, s, :]  # runs x cohorts: final counts
    years = active.shape[1]
    curve, total = np.full(years, np.nan), np.zeros(years)
    with np.errstate(divide="ignore", invalid="ignore"):
        for age in range(years):
            cohorts = range(1, years - age + 1)
            total[age] = sum(signed[:, c].sum() for c in cohorts)
            now = sum(active[:, c - 1 + age, c].sum() for c in cohorts)
            if age == 0:
                curve[0] = now / total[0] if total[0] > 0 else np.nan
                continue
            before = sum(active[:, c - 2 + age, c].sum() for c in cohorts)
            curve[age] = curve[age - 1] * now / before if before > 0 else np.nan
    return curve, total


@literal_text
def _figure(results: Mapping[str, Results]) -> Figure:
    """One panel per segment, one line per design."""
    first = next(iter(results.values()))
    segments = first.cohort_segments
    figure, panels = panel_grid(len(segments), width=3.4, extra_height=0.7)
    colors = design_colors(list(results))
    for axes, segment in zip(panels, segments, strict=True):
        for label, r in results.items():
            curve, _ = retention_curve(r, segment)
            ages = np.arange(curve.size)
            axes.plot(
                ages,
                curve,
                marker="o",
                ms=3,
                lw=1.5,
                color=colors[label],
                label=label,
                clip_on=False,
            )
        axes.set_title(f"segment {segment}", loc="left", fontsize=9, fontweight="bold")
        axes.set_xlabel("years after the year signed", fontsize=8)
        axes.set_xticks(range(len(first.years)))
    panels[0].set_ylim(top=1.0)  # no tick above 100%; the markers at 100% are not clipped
    finish_panels(
        figure,
        panels,
        ylabel="share of logos still customers",
        unit="%",
        title="Cohort retention of new logos, by segment (mean of the replications)",
    )
    return figure


def _age_words(age: int) -> str:
    """A column head: ``year signed``, ``after 1 year``, ``after 3 years``."""
    if age == 0:
        return "year signed"
    return f"after {age} year{'s' if age > 1 else ''}"


def _table(results: Mapping[str, Results], ages: Sequence[int]) -> Table:
    rows = []
    for label, r in results.items():
        for segment in r.cohort_segments:
            curve, _ = retention_curve(r, segment)
            cells = [format_value(curve[a], "%") if a < curve.size else "" for a in ages]
            rows.append([label, segment, *cells])
    return Table(
        ["design", "segment", *(_age_words(a) for a in ages)],
        rows,
        caption="Share of new logos still customers, by years after the year signed",
        note="At the end of the year signed (0) and of each year after it; all cohorts old "
        "enough pooled.",
    )


def cohort_section(results: Mapping[str, Results]) -> Section | None:
    """The report's cohort section, or None when the runs carry no cohort record."""
    first = next(iter(results.values()))
    if not first.cohorts or not first.cohort_segments or len(first.years) < 2:
        return None
    last = len(first.years) - 1
    ages = sorted({a for a in (0, 1, 2, 3, 5, 8) if a <= last} | {last})
    return Section(
        "Cohort retention by segment",
        paragraphs=[
            "The accounts signed in each year, followed to the end of the run: the share "
            "still customers at the end of the year signed and of each year after it, all "
            "cohorts old enough pooled, mean of the replications (customer randomness only). "
            "The initial base is left out (its signing dates are not simulated). The counts "
            "by cohort are in data/cohorts.csv."
        ],
        tables=[_table(results, ages)],
        figures=[
            FigureItem(
                "cohort_retention",
                _figure(results),
                "Cohort retention of new logos by segment and design.",
            )
        ],
    )


def _rows(results: Mapping[str, Results]) -> Iterable[Sequence[object]]:
    for label, r in results.items():
        if not r.cohorts:
            continue
        for measure in COHORT_ROWS:
            values = r.cohorts[measure]  # runs x year ends x segments x cohorts
            for rep in range(values.shape[0]):
                for y, year in enumerate(r.years):
                    for s, segment in enumerate(r.cohort_segments):
                        for cohort in range(min(year, values.shape[3] - 1) + 1):
                            yield (
                                label,
                                segment,
                                cohort,
                                rep,
                                year,
                                measure,
                                float(values[rep, y, s, cohort]),
                            )


def cohort_table(results: Mapping[str, Results]) -> DataTable:
    """Every cohort's accounts signed, still customers and their ARR (``cohorts``)."""
    return DataTable(
        "cohorts",
        "At each year end, by design, segment and cohort (the year the accounts were signed; 0 "
        "the initial base): accounts signed, accounts still customers and their ARR.",
        ["scenario", "segment", "cohort", "replication", "year", "measure", "value"],
        _rows(results),
        ["scenario", "segment", "cohort", "replication", "year", "measure"],
        extra_fields={
            "segment": ("string", "Customer segment, as named in the scenario."),
            "cohort": ("integer", "Year the accounts were signed; 0: the initial base."),
            "measure": (
                "string",
                "signed: accounts signed (so far); active: still customers at the year end; "
                "arr: their ARR.",
            ),
        },
    )
