"""``Results``: what :func:`ccosim.simulate` returns.

Yearly KPIs per replication, their mean with a 95% interval across replications, tidy monthly
rows (``scenario, replication, month, kpi, value``) and :meth:`Results.to_dict`, the
structure ``ccosim run --json`` writes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ccosim.scenario.plain import strip_control
from ccosim.stats import Interval, mean_interval

__all__ = [
    "COHORT_ROWS",
    "FRAME_COLUMNS",
    "PRIMARY_MEASUREMENTS",
    "TABLE_KPIS",
    "MonthlyRow",
    "Results",
    "YearlyRow",
]

#: The primary measurement of each function (mehta2016) as a yearly KPI key.
PRIMARY_MEASUREMENTS: dict[str, tuple[str, ...]] = {
    "professional_services": ("ps_utilization",),
    "training": ("customers_trained",),
    "support": ("support_tickets_per_rep_day", "support_cost_per_ticket"),
    "onboarding": ("time_to_value_months",),
    "customer_success": ("grr", "nrr", "csm_coverage"),
    "renewals": ("installed_base_quota_attainment", "bookings_installed_base"),
    "customer_marketing": ("referenceable_accounts",),
    "sales_consulting": ("new_account_fit", "deals_declined"),
}

#: KPIs printed by ``ccosim run`` (the JSON has all of them), formatted by their catalogue unit.
TABLE_KPIS: tuple[str, ...] = (
    "arr",
    "accounts",
    "grr",
    "nrr",
    "logo_retention",
    "bookings_new",
    "bookings_installed_base",
    "installed_base_to_new",
    "headcount",
    "org_cost",
    "gross_margin",
    "ltv_to_cac",
    "cac_payback_months",
    "red_share",
)

#: Rows of a replication's cohort record (``ccosim.sim.ledger.COHORT_ROWS``): accounts
#: signed, still active, and their ARR.
COHORT_ROWS = ("signed", "active", "arr")

#: Columns of :meth:`Results.to_frame` (and ``kpis_yearly.csv``); monthly: ``month``.
FRAME_COLUMNS = ("scenario", "replication", "year", "kpi", "value")


class MonthlyRow(NamedTuple):
    """One monthly value of one replication (a row of ``series_monthly_full.csv``)."""

    scenario: str
    replication: int
    month: int
    kpi: str
    value: float


class YearlyRow(NamedTuple):
    """One yearly KPI of one replication (a row of ``kpis_yearly.csv``)."""

    scenario: str
    replication: int
    year: int
    kpi: str
    value: float


def _plain(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(float(v)) else float(v) for v in np.asarray(values).ravel()]


@dataclass(frozen=True)
class Results:
    """Results of ``runs`` replications of one scenario.

    Attributes:
        scenario: The scenario's name.
        seed: Root seed of the runs.
        runs: Number of replications.
        years: Year numbers, 1..Y.
        yearly: KPI -> array (runs x years).
        monthly: Measure -> array (runs x months).
        segments: Segment -> KPI -> array (runs x years): GRR, NRR, logo retention, ARR,
            accounts, and the churned, contracted and expanded ARR of the segment's accounts
            active at the year start (``ccosim.sim.model.SEGMENT_KPIS``).
        cohorts: Row (``signed``, ``active``, ``arr``) -> array (runs x years x segments x
            cohorts): at each year end, the accounts signed, still customers and their ARR
            by segment (in ``cohort_segments`` order) and year signed (cohort 0: the initial
            base; ``k``: signed in year ``k``).
        cohort_segments: The segments of ``cohorts``' third axis.
    """

    scenario: str
    seed: int
    runs: int
    years: tuple[int, ...]
    yearly: dict[str, np.ndarray]
    monthly: dict[str, np.ndarray]
    segments: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    cohorts: dict[str, np.ndarray] = field(default_factory=dict)
    cohort_segments: tuple[str, ...] = ()

    @classmethod
    def from_runs(cls, scenario: str, seed: int, outputs: Sequence[dict[str, Any]]) -> Results:
        """Stack the outputs of :func:`ccosim.sim.model.run_replication`, in replication order."""
        yearly = {k: np.vstack([o["yearly"][k] for o in outputs]) for k in outputs[0]["yearly"]}
        monthly = {k: np.vstack([o["monthly"][k] for o in outputs]) for k in outputs[0]["monthly"]}
        n_years = next(iter(yearly.values())).shape[1] if yearly else 0
        segments = {
            name: {k: np.vstack([o["segments"][name][k] for o in outputs]) for k in kpis}
            for name, kpis in outputs[0].get("segments", {}).items()
        }
        years = tuple(range(1, n_years + 1))
        cohorts: dict[str, np.ndarray] = {}
        if "cohorts" in outputs[0]:
            stacked = np.stack([o["cohorts"] for o in outputs])  # runs x years x rows x ...
            cohorts = {row: stacked[:, :, i] for i, row in enumerate(COHORT_ROWS)}
        return cls(
            scenario, seed, len(outputs), years, yearly, monthly, segments, cohorts, tuple(segments)
        )

    @property
    def kpis(self) -> list[str]:
        """Names of the yearly KPIs."""
        return list(self.yearly)

    def interval(self, kpi: str, confidence: float = 0.95, segment: str | None = None) -> Interval:
        """Mean of a yearly KPI over replications, with a Student-t interval per year.

        A replication where the KPI is undefined (nan) is left out of that year's figure.

        Args:
            kpi: A yearly KPI.
            confidence: Two-sided confidence of the interval.
            segment: A segment's KPI (``Results.segments``) instead of the company's.
        """
        samples = self.yearly[kpi] if segment is None else self.segments[segment][kpi]
        if not np.isnan(samples).any():
            return mean_interval(samples, confidence)
        mean, lo, hi = (np.full(samples.shape[1], np.nan) for _ in range(3))
        for j in range(samples.shape[1]):
            column = samples[:, j][~np.isnan(samples[:, j])]
            if column.size:
                iv = mean_interval(column[:, None], confidence)
                mean[j], lo[j], hi[j] = iv.mean[0], iv.lo[0], iv.hi[0]
        return Interval(mean, lo, hi, samples.shape[0])

    def mean(self, kpi: str, segment: str | None = None) -> np.ndarray:
        """Mean of a yearly KPI (of the company, or of one segment) over replications."""
        return self.interval(kpi, segment=segment).mean

    def segment_rows(self) -> Iterator[tuple[str, str, int, int, str, float]]:
        """Tidy yearly rows per segment: ``(scenario, segment, replication, year, kpi, value)``."""
        for name, kpis in self.segments.items():
            for kpi, values in kpis.items():
                for rep in range(values.shape[0]):
                    for j, year in enumerate(self.years):
                        yield (self.scenario, name, rep, year, kpi, float(values[rep, j]))

    def rows(self) -> Iterator[MonthlyRow]:
        """Tidy monthly rows: ``MonthlyRow(scenario, replication, month, kpi, value)``."""
        for kpi, values in self.monthly.items():
            for rep in range(values.shape[0]):
                for month in range(values.shape[1]):
                    yield MonthlyRow(self.scenario, rep, month, kpi, float(values[rep, month]))

    def yearly_rows(self) -> Iterator[YearlyRow]:
        """Tidy yearly rows: ``YearlyRow(scenario, replication, year, kpi, value)``."""
        for kpi, values in self.yearly.items():
            for rep in range(values.shape[0]):
                for j, year in enumerate(self.years):
                    yield YearlyRow(self.scenario, rep, year, kpi, float(values[rep, j]))

    def to_frame(self, kind: str = "yearly", *, scenario: str | None = None) -> Any:
        """The results as a long pandas DataFrame (``pip install 'ccosim[data]'``).

        Args:
            kind: ``yearly``: columns ``scenario, replication, year, kpi, value``;
                ``monthly``: ``scenario, replication, month, kpi, value``. Undefined values
                are NaN; ``kpi`` names are those of docs/kpis.md.
            scenario: The ``scenario`` column's value (default: the scenario's name).

        Raises:
            ImportError: pandas is not installed.
            ValueError: an unknown ``kind``.
        """
        import pandas as pd

        if kind == "yearly":
            rows: Any = self.yearly_rows()
            columns = list(YearlyRow._fields)
        elif kind == "monthly":
            rows = self.rows()
            columns = list(MonthlyRow._fields)
        else:
            raise ValueError(f"kind must be 'yearly' or 'monthly', not {kind!r}")
        frame = pd.DataFrame(list(rows), columns=columns)
        if scenario is not None:
            frame["scenario"] = scenario
        return frame

    def to_text(self, *, by_segment: bool = False) -> str:
        """The yearly table ``ccosim run`` prints: the mean of each of :data:`TABLE_KPIS`.

        With ``by_segment``, a table per segment follows.
        """
        # lazy: ccosim.formatting imports matplotlib (its chart axis formatter), which
        # results read without text never need.
        from ccosim.formatting import format_kpi, text_table

        header = ["kpi", *(f"y{y}" for y in self.years)]

        def table(keys: Sequence[str], segment: str | None = None) -> str:
            rows = [header]
            for key in keys:
                mean = self.mean(key, segment=segment)
                rows.append([key, *(format_kpi(key, float(v)) for v in mean)])
            return text_table(rows, rule=True)

        parts = [table(TABLE_KPIS)]
        if by_segment:
            for name, seg_kpis in self.segments.items():
                parts.append(f"\nsegment {strip_control(name)}\n{table(list(seg_kpis), name)}")
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: means and 95% intervals per year, and every replication."""
        kpis = {}
        for key in self.yearly:
            iv = self.interval(key)
            kpis[key] = {"mean": _plain(iv.mean), "lo": _plain(iv.lo), "hi": _plain(iv.hi)}
        replications = [
            {"replication": r, "kpis": {k: _plain(v[r]) for k, v in self.yearly.items()}}
            for r in range(self.runs)
        ]
        segments = {}
        for name, seg_kpis in self.segments.items():
            segments[name] = {}
            for key in seg_kpis:
                iv = self.interval(key, segment=name)
                segments[name][key] = {
                    "mean": _plain(iv.mean),
                    "lo": _plain(iv.lo),
                    "hi": _plain(iv.hi),
                }
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "runs": self.runs,
            "years": list(self.years),
            "kpis": kpis,
            "segments": segments,
            "replications": replications,
        }
