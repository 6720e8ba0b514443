"""The data folder of a report: tidy tables, their dictionary, and how they were made.

Every table is long (one number a row) with the same column names across compare, sweep and
business case: ``scenario`` (the design's label), ``replication``, ``year`` or ``month``,
``kpi`` (a name of the KPI catalogue, :mod:`ccosim.kpis`) and ``value``. Beside the CSVs:

* ``kpis.csv``: the KPI catalogue (label, unit, direction, description, source);
* ``datapackage.json``: a Frictionless Data Package (https://datapackage.org) describing every
  CSV: its columns, their types and meaning, and which KPI names may appear;
* ``manifest.json``: seed, runs, command line, versions of Python, numpy, numba, simpy and
  ccosim, and each resolved scenario's SHA-256 (see :mod:`ccosim.report.provenance`).

``kpis_by_segment.csv`` holds each segment's yearly KPIs (same columns plus ``segment``).
``series_monthly.csv`` holds each design's monthly mean and the middle 95% of replications;
the full series of every replication (``series_monthly_full.csv``, large) is written on
request. ``--format parquet`` or ``xlsx`` writes the same tables in those formats too
(``pip install 'ccosim[data]'``).
"""

from __future__ import annotations

import importlib
import io
import json
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ccosim import kpis
from ccosim._version import __version__
from ccosim.errors import CcosimError
from ccosim.experiment.compare import LOWER_IS_BETTER, headline
from ccosim.output import write_bytes, write_text
from ccosim.report.provenance import write_provenance
from ccosim.results import MonthlyRow, YearlyRow
from ccosim.tabular import csv_text

__all__ = [
    "BOARD_FORMATS",
    "FORMATS",
    "REPORT_FORMATS",
    "DataTable",
    "catalogue_table",
    "check_formats",
    "comparison_json",
    "datapackage",
    "monthly_summary_table",
    "monthly_table",
    "segment_table",
    "write_comparison_data",
    "write_tables",
    "yearly_table",
]

#: Table formats written beside the CSVs on request.
FORMATS = ("parquet", "xlsx")
TABLE_FORMATS = FORMATS
#: The board pack a comparison writes on request: ``slides.pptx``, one-page ``summary.pdf``.
BOARD_FORMATS = ("pptx", "pdf")
#: Every ``--format`` of ``compare``: the table formats and the board pack.
REPORT_FORMATS = (*FORMATS, *BOARD_FORMATS)

#: Column meanings shared by every table.
COLUMNS: dict[str, tuple[str, str]] = {
    "scenario": ("string", "The design's label (its label: key, else its file name)."),
    "replication": ("integer", "Replication index, 0..runs-1 (common random numbers)."),
    "year": ("integer", "Simulated year, 1..horizon."),
    "month": ("integer", "Simulated month, 0..12 x horizon - 1."),
    "kpi": ("string", "KPI name; see kpis.csv and docs/kpis.md."),
    "value": ("number", "The KPI's value in its unit (shares as fractions); empty: undefined."),
    "mean": ("number", "Mean over replications; empty: undefined."),
    "lo": ("number", "2.5th percentile over replications (the middle 95% of runs)."),
    "hi": ("number", "97.5th percentile over replications."),
    "point": ("integer", "Grid point index of a sweep (the first factor varies slowest)."),
}


@dataclass(frozen=True)
class DataTable:
    """One table of a data folder: file stem, columns, rows and what it holds."""

    name: str
    description: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    primary_key: Sequence[str] = ()
    extra_fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    kpi_names: Sequence[str] = ()


def _number(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def yearly_table(results: dict[str, Any]) -> DataTable:
    """Every yearly KPI of every replication of every design (``kpis_yearly``)."""
    rows = (
        (label, rep, year, kpi, _number(values[rep, year - 1]))
        for label, r in results.items()
        for kpi, values in r.yearly.items()
        for rep in range(values.shape[0])
        for year in r.years
    )
    return DataTable(
        "kpis_yearly",
        "Yearly KPIs, one row per design, replication, year and KPI.",
        list(YearlyRow._fields),
        rows,
        [f for f in YearlyRow._fields if f != "value"],
        kpi_names=kpis.YEARLY,
    )


def segment_table(results: dict[str, Any]) -> DataTable:
    """Each segment's yearly KPIs of every replication of every design (``kpis_by_segment``)."""
    rows = (
        (label, segment, rep, year, kpi, _number(values[rep, year - 1]))
        for label, r in results.items()
        for segment, seg_kpis in r.segments.items()
        for kpi, values in seg_kpis.items()
        for rep in range(values.shape[0])
        for year in r.years
    )
    return DataTable(
        "kpis_by_segment",
        "Yearly KPIs of each customer segment (retention over the segment's accounts active at "
        "the year start), one row per design, segment, replication, year and KPI.",
        ["scenario", "segment", "replication", "year", "kpi", "value"],
        rows,
        ["scenario", "segment", "replication", "year", "kpi"],
        extra_fields={"segment": ("string", "Customer segment, as named in the scenario.")},
        kpi_names=kpis.YEARLY,
    )


def monthly_summary_table(results: dict[str, Any]) -> DataTable:
    """Each monthly measure's mean and middle 95% of replications (``series_monthly``)."""

    def rows() -> Iterable[Sequence[Any]]:
        for label, r in results.items():
            for kpi, values in r.monthly.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # all-nan months: n/a
                    mean = np.nanmean(values, axis=0)
                    lo, hi = np.nanpercentile(values, [2.5, 97.5], axis=0)
                for month in range(values.shape[1]):
                    yield (
                        label,
                        month,
                        kpi,
                        _number(mean[month]),
                        _number(lo[month]),
                        _number(hi[month]),
                    )

    return DataTable(
        "series_monthly",
        "Monthly measures: mean over replications and the middle 95% of replications.",
        ["scenario", "month", "kpi", "mean", "lo", "hi"],
        rows(),
        ["scenario", "month", "kpi"],
        kpi_names=kpis.MONTHLY,
    )


def monthly_table(results: dict[str, Any]) -> DataTable:
    """Every monthly measure of every replication (``series_monthly_full``; large)."""
    rows = (
        (label, rep, month, kpi, _number(values[rep, month]))
        for label, r in results.items()
        for kpi, values in r.monthly.items()
        for rep in range(values.shape[0])
        for month in range(values.shape[1])
    )
    return DataTable(
        "series_monthly_full",
        "Monthly measures of every replication.",
        list(MonthlyRow._fields),
        rows,
        [f for f in MonthlyRow._fields if f != "value"],
        kpi_names=kpis.MONTHLY,
    )


def catalogue_table() -> DataTable:
    """The KPI catalogue as a table (``kpis``): the dictionary of the ``kpi`` column."""
    return DataTable(
        "kpis",
        "The KPI catalogue: what each kpi name means, its unit and which way is better.",
        ["kpi", "label", "unit", "direction", "monthly", "yearly", "description", "source"],
        [
            (k.name, k.label, k.unit, k.direction, k.monthly, k.yearly, k.description, k.source)
            for k in kpis.CATALOGUE.values()
        ],
        ["kpi"],
        extra_fields={
            "label": ("string", "Short label used in tables and charts."),
            "unit": ("string", "Unit: " + "; ".join(f"{u}: {m}" for u, m in kpis.UNITS.items())),
            "direction": ("string", "higher or lower is better, or neutral."),
            "monthly": ("boolean", "Recorded every month (series_monthly)."),
            "yearly": ("string", "How the yearly figure is made: sum, mean, end, computed."),
            "description": ("string", "What the KPI is."),
            "source": ("string", "A key of docs/sources.md, or model."),
        },
    )


def _field(name: str, table: DataTable) -> dict[str, Any]:
    kind, description = table.extra_fields.get(name) or COLUMNS[name]
    out: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if name == "kpi" and table.kpi_names:
        out["constraints"] = {"required": True, "enum": list(table.kpi_names)}
    elif name in ("scenario", "replication", "year", "month", "point"):
        out["constraints"] = {"required": True}
    return out


def _resource(table: DataTable, header: Sequence[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(name, table) for name in header],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    return {
        "name": table.name.replace("_", "-"),
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description,
        "schema": schema,
    }


def datapackage(resources: Sequence[dict[str, Any]], title: str) -> dict[str, Any]:
    """A Frictionless Data Package descriptor for the tables written."""
    return {
        "profile": "tabular-data-package",
        "name": "ccosim-results",
        "title": title,
        "version": "1.0.0",
        "created_by": f"ccosim {__version__}",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": list(resources),
    }


def write_tables(
    folder: Path,
    tables: Sequence[DataTable],
    *,
    title: str,
    formats: Sequence[str] = (),
) -> dict[str, Any]:
    """Write each table as CSV (and in ``formats``), and ``datapackage.json`` describing them.

    Raises:
        CcosimError: an unknown format, or pandas / pyarrow / openpyxl missing for it.
    """
    check_formats(formats)
    frames: dict[str, tuple[Sequence[str], list[Sequence[Any]]]] = {}
    resources = []
    for table in (*tables, catalogue_table()):
        rows = list(table.rows)
        write_text(folder / f"{table.name}.csv", csv_text(table.header, rows), force=True)
        resources.append(_resource(table, table.header))
        frames[table.name] = (table.header, rows)
    package = datapackage(resources, title)
    write_text(folder / "datapackage.json", json.dumps(package, indent=1) + "\n", force=True)
    tabular = [f for f in formats if f in TABLE_FORMATS]
    if tabular:
        _write_formats(folder, frames, tabular)
    return package


#: The optional packages each table format needs (``pip install 'ccosim[data]'``).
FORMAT_NEEDS: dict[str, tuple[str, ...]] = {
    "parquet": ("pandas", "pyarrow"),
    "xlsx": ("pandas", "openpyxl"),
    "pptx": ("pptx",),
    "pdf": (),  # printed by Chromium where it is installed, else skipped with a message
}
#: Package names to install where they differ from the module's.
_PIP_NAMES = {"pptx": "python-pptx"}
#: The extra that brings each format's packages.
FORMAT_EXTRA = {"pptx": "slides"}


def check_formats(formats: Sequence[str]) -> None:
    """Refuse table formats that are unknown or whose optional packages are missing.

    Front ends call this before any simulation, so a missing package costs nothing; the
    writers call it again.

    Raises:
        CcosimError: naming the format, the missing package and how to install it.
    """
    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown:
        raise CcosimError(
            f"unknown data format {unknown[0]!r}; choose from {', '.join(REPORT_FORMATS)}"
        )
    for fmt in dict.fromkeys(formats):
        for module in FORMAT_NEEDS[fmt]:
            try:
                importlib.import_module(module)
            except ImportError:
                extra = FORMAT_EXTRA.get(fmt, "data")
                raise CcosimError(
                    f"--format {fmt} needs the package {_PIP_NAMES.get(module, module)}, "
                    f"which is not installed: pip install 'ccosim[{extra}]' (or leave out "
                    "--format; the CSVs are always written)"
                ) from None


def _write_formats(
    folder: Path,
    frames: dict[str, tuple[Sequence[str], list[Sequence[Any]]]],
    formats: Sequence[str],
) -> None:
    check_formats(formats)
    import pandas as pd  # lazy: an optional package, checked just above

    data = {
        name: pd.DataFrame(rows, columns=list(header)) for name, (header, rows) in frames.items()
    }
    if "parquet" in formats:
        for name, frame in data.items():
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            write_bytes(folder / f"{name}.parquet", buffer.getvalue(), force=True)
    if "xlsx" in formats:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, frame in data.items():
                if len(frame) > 1_048_575:
                    continue  # beyond a sheet's row limit; the CSV and Parquet hold it
                frame.to_excel(writer, sheet_name=name[:31], index=False)
                # openpyxl makes any text starting with "=" a formula: every text cell is
                # written as an explicit string, so a design named =HYPERLINK(...) stays text.
                for row in writer.sheets[name[:31]].iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            cell.data_type = "s"
        write_bytes(folder / "tables.xlsx", buffer.getvalue(), force=True)


def write_comparison_data(
    comparison: Any,
    folder: Path,
    *,
    command: Sequence[str] | None = None,
    formats: Sequence[str] = (),
    full_series: bool = False,
    extra_tables: Sequence[DataTable] = (),
    draws: dict[str, Any] | None = None,
) -> None:
    """The data folder of a comparison report: tables, dictionary, results.json, provenance.

    ``extra_tables`` (e.g. the draws of ``--draws``) are written and described beside the
    comparison's own; ``draws`` (how many, runs each) goes into the manifest.
    """
    c = comparison
    tables = [yearly_table(c.results), segment_table(c.results), monthly_summary_table(c.results)]
    if full_series:
        tables.append(monthly_table(c.results))
    tables += list(extra_tables)
    write_tables(
        folder,
        tables,
        title="ccosim comparison: " + " vs ".join(c.labels),
        formats=formats,
    )
    write_text(folder / "results.json", comparison_json(c), force=True)
    write_provenance(
        folder,
        [(d.label, d.scenario) for d in c.designs],
        [d.source for d in c.designs],
        seed=c.seed,
        runs=c.runs,
        command=command,
        overrides=c.overrides,
        paired=c.paired,
        draws=draws,
    )


def _finite(value: Any) -> Any:
    """JSON has no NaN: undefined numbers (e.g. NRR of an empty cohort) become null."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value


def comparison_json(comparison: Any) -> str:
    """``results.json``: every design's KPIs, the headline deltas and the attribution."""
    c = comparison
    payload = {
        "ccosim_version": __version__,
        "seed": c.seed,
        "runs": c.runs,
        "baseline": c.baseline,
        "paired": c.paired,
        "notes": list(c.notes),
        "years": list(c.years),
        "designs": {lb: c.results[lb].to_dict() for lb in c.labels},
        "headline": headline(c, kpis.HEADLINE, list(c.years)),
        "attribution": {
            lb: {kpi: dict(c.attribution(lb, kpi, c.years[-1])) for kpi in ("grr", "nrr", "arr")}
            for lb in c.labels
            if lb != c.baseline
        }
        if c.variants and c.paired
        else {},
        "lower_is_better": sorted(LOWER_IS_BETTER),
    }
    return json.dumps(_finite(payload), indent=1, allow_nan=False) + "\n"
