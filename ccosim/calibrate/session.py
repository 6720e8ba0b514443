"""Calibration sessions: from the user's data to the values a calibrated scenario holds.

What ``ccosim calibrate retention | kpis | accounts`` do between reading the user's files
and writing the calibrated scenario, as library functions any front end can call: the
values per segment, the comment block that says where they came from, and the JSON of each
fit. The fits themselves live in :mod:`~ccosim.calibrate.retention`,
:mod:`~ccosim.calibrate.kpis` and :mod:`~ccosim.calibrate.ledger`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccosim.calibrate.kpis import KpiCalibration, Target, calibrate_kpis
from ccosim.calibrate.ledger import (
    Ledger,
    SegmentFit,
    churned_before,
    fit_ledger,
    read_ledger,
    starting_book,
    truncation_warning,
)
from ccosim.calibrate.retention import CalibrationError, SbgFit
from ccosim.experiment.study import Study
from ccosim.scenario import Scenario

__all__ = [
    "AccountsCalibration",
    "RetentionCalibration",
    "calibrate_accounts",
    "calibrate_study",
    "kpis_json",
    "retention_calibration",
    "retention_json",
]


def retention_json(fits: dict[str, SbgFit], project: int) -> dict[str, Any]:
    """The retention fits as JSON: one fit as it is, several under ``segments``."""
    if list(fits) == [""]:
        return fits[""].to_dict(project)
    return {"segments": {seg: fit.to_dict(project) for seg, fit in fits.items()}}


@dataclass(frozen=True)
class RetentionCalibration:
    """The sBG values per segment of a scenario and the comment block saying where from."""

    values: dict[str, dict[str, float]]
    comments: list[str]


def retention_calibration(
    fits: dict[str, SbgFit], cohorts: Path, scenario_path: Path, scenario: Scenario
) -> RetentionCalibration:
    """Match the fits to ``scenario``'s segments and say what was fitted.

    A table without a segment column fits the scenario's one segment.

    Raises:
        CalibrationError: a fit without a segment for a scenario of several, or a segment
            the scenario does not have.
    """
    names = list(scenario.customers.segments)
    if list(fits) == [""]:
        if len(names) != 1:
            raise CalibrationError(
                f"{cohorts}: no segment column, and {scenario_path} has {len(names)} segments "
                f"({', '.join(names)}); add a segment column to say which is which"
            )
        fits = {names[0]: fits[""]}
    for seg in fits:
        if seg not in names:
            raise CalibrationError(
                f"{cohorts}: segment {seg!r} is not in {scenario_path} ({', '.join(names)})"
            )
    values = {
        seg: {"churn_alpha": f.alpha, "churn_beta": f.beta, "base_churn": f.mean_churn}
        for seg, f in fits.items()
    }
    comments = [
        f"Calibrated by `ccosim calibrate retention {cohorts}`: heterogeneous churn",
        "(shifted-beta-geometric) fitted by maximum likelihood to the cohort counts.",
        *(
            f"{seg}: alpha {f.alpha:.3g} (95% {f.alpha_interval[0]:.3g}-"
            f"{f.alpha_interval[1]:.3g}), beta {f.beta:.3g} (95% "
            f"{f.beta_interval[0]:.3g}-{f.beta_interval[1]:.3g}), mean first-year churn "
            f"{f.mean_churn:.1%}; cohorts: {', '.join(f.cohorts)}"
            for seg, f in fits.items()
        ),
        "Intervals cover the sampling of the customers counted, not model error.",
    ]
    return RetentionCalibration(values, comments)


def calibrate_study(
    study: Study,
    targets: Sequence[Target],
    *,
    years: int = 3,
    tolerance: float = 0.005,
    max_steps: int = 10,
    on_step: Callable[[int], None] | None = None,
) -> KpiCalibration:
    """:func:`~ccosim.calibrate.kpis.calibrate_kpis` on a study's one design.

    ``study.runs`` replications per batch (12 if None), on ``study.seed``.

    Raises:
        CalibrationError: a target is unreachable or not met within ``max_steps`` batches.
    """
    return calibrate_kpis(
        study.designs[0].scenario,
        targets,
        runs=study.runs or 12,
        seed=study.seed,
        years=years,
        tolerance=tolerance,
        max_steps=max_steps,
        on_step=on_step,
    )


def kpis_json(result: KpiCalibration) -> dict[str, Any]:
    """A KPI calibration as JSON: the inputs found, before, each target and what it got."""
    return {
        "inputs": result.inputs,
        "before": result.before,
        "targets": [
            {
                "segment": t.segment,
                "kpi": t.kpi,
                "target": t.value,
                "achieved": dict(
                    zip(("mean", "lo", "hi"), result.achieved[(t.segment, t.kpi)], strict=True)
                ),
                "fresh": dict(
                    zip(("mean", "se"), result.fresh.get((t.segment, t.kpi), ()), strict=False)
                ),
            }
            for t in result.targets
        ],
        "steps": result.steps,
        "runs": result.runs,
        "seed": result.seed,
        "years": result.years,
        "fresh_seed": result.fresh_seed,
        "warnings": list(result.warnings),
        "interval_covers": "customer randomness over the replications; 'achieved' is "
        "in-sample (solved on those replications), 'fresh' is out-of-sample",
    }


@dataclass(frozen=True)
class AccountsCalibration:
    """What a ledger gives a scenario: values per segment, the comment lines, the JSON."""

    values: dict[str, dict[str, object]]
    lines: list[str]
    as_of: dt.date
    fits: dict[str, SegmentFit]
    warnings: tuple[str, ...] = ()
    observed_from: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fit as JSON (the starting book itself left out)."""
        return {
            "as_of": str(self.as_of),
            "observed_from": None if self.observed_from is None else str(self.observed_from),
            "warnings": list(self.warnings),
            "interval_covers": "account sampling only (observed information, i.e. the inverse "
            "Hessian of the log-likelihood; not whether the sBG model holds)",
            "segments": {
                seg: {
                    **{k: v for k, v in self.values[seg].items() if k != "starting_book"},
                    "accounts": fit.accounts,
                    "active": fit.active,
                    "active_arr": fit.active_arr,
                    "kept_accounts": fit.kept_accounts,
                    "expansion_se": fit.expansion_se,
                    "contraction_se": fit.contraction_se,
                    "churn_fit": fit.churn.to_dict() if fit.churn else None,
                }
                for seg, fit in self.fits.items()
            },
        }


def calibrate_accounts(
    ledger: Path,
    scenario_path: Path,
    scenario: Scenario,
    *,
    as_of: dt.date | None = None,
    book: bool = True,
    observed_from: dt.date | None = None,
    decimal: str | None = None,
) -> AccountsCalibration:
    """Fit churn by tenure, expansion and contraction per segment from an account ledger.

    Args:
        ledger: The CRM or billing export.
        scenario_path: The scenario the calibrated file extends (named in the comments).
        scenario: That scenario, loaded.
        as_of: Date the ledger describes (default: its latest date).
        book: Also take the ledger's active accounts as the starting book.
        observed_from: Date from which the ledger holds every account, churned or not (left
            truncation; each account's churn is conditioned on surviving to it).
        decimal: ``.`` or ``,``: the ledger's decimal mark (default: found from its ARR cells).

    Raises:
        CalibrationError: a bad row, or an account of a segment the scenario lacks.
    """
    names = list(scenario.customers.segments)
    read = read_ledger(ledger, as_of, decimal)
    for account in read.accounts:
        if account.segment not in names:
            raise CalibrationError(
                f"{ledger}:{account.line}: column 'segment': {account.segment!r} is not a "
                f"segment of {scenario_path} ({', '.join(names)})"
            )
    if observed_from is not None and observed_from >= read.as_of:
        raise CalibrationError(
            f"--observed-from {observed_from}: not before the as-of date {read.as_of}"
        )
    fits = fit_ledger(read, observed_from)
    warnings = _truncation_warnings(read, fits, observed_from)
    values: dict[str, dict[str, object]] = {}
    since = "" if observed_from is None else f", observed from {observed_from}"
    lines = [
        f"Calibrated by `ccosim calibrate accounts {ledger} {scenario_path}` (as of "
        f"{read.as_of}{since}):",
        "rates observed under the current org; intervals cover account sampling only; the",
        "starting book is the ledger's active accounts (month 0 = the as-of date).",
    ]
    if observed_from is not None:
        lines.append(
            f"left truncation: each account's churn conditioned on surviving to {observed_from} "
            "(delayed entry)"
        )
    for seg, fit in fits.items():
        v: dict[str, object] = {}
        if fit.kept_accounts:  # none kept with an ARR a year ago: the rates are unobserved
            v.update(expansion_rate=fit.expansion_rate, contraction_rate=fit.contraction_rate)
        if fit.active and book:
            term = scenario.customers.segments[seg].contract_months
            v["initial_accounts"] = fit.active
            v["starting_book"] = starting_book(read, seg, term)
        if fit.churn is not None:
            c = fit.churn
            v.update(churn_alpha=c.alpha, churn_beta=c.beta, base_churn=c.mean_churn)
        values[seg] = v
        lines.append(_ledger_line(seg, fit))
    return AccountsCalibration(values, lines, read.as_of, fits, tuple(warnings), observed_from)


def _truncation_warnings(
    read: Ledger, fits: dict[str, SegmentFit], observed_from: dt.date | None
) -> list[str]:
    """Why the churn fit may be biased.

    A ledger that looks truncated, or churn before the date it is said to be complete from.
    """
    if observed_from is None:
        found = truncation_warning(read, fits)
        return [found] if found else []
    n = churned_before(read, observed_from)
    if not n:
        return []
    return [
        f"{read.source}: {n} accounts churned before --observed-from {observed_from}; a "
        "truncated export holds none, so they are left out of the churn fit (check the date)"
    ]


def _ledger_line(seg: str, fit: SegmentFit) -> str:
    """One segment's fit in words, for the calibrated file's comment block."""
    text = f"{seg}: {fit.accounts} accounts ({fit.active} active, ARR {fit.active_arr:,.0f}); "
    if fit.kept_accounts:
        text += (
            f"expansion {fit.expansion_rate:.1%} (95% +-{1.96 * fit.expansion_se:.1%}), "
            f"contraction {fit.contraction_rate:.1%} (95% +-{1.96 * fit.contraction_se:.1%}) "
            f"a year (ARR-weighted over {fit.kept_accounts} accounts kept over the last year)"
        )
    else:
        text += (
            "no active account with its ARR a year ago (arr_year_ago): expansion and "
            "contraction left as they were"
        )
    if fit.churn is None:
        return text + "; no account churned: churn left as it was"
    c = fit.churn
    return text + (
        f"; churn by tenure sBG alpha {c.alpha:.3g} (95% {c.alpha_interval[0]:.3g}-"
        f"{c.alpha_interval[1]:.3g}), beta {c.beta:.3g} (95% {c.beta_interval[0]:.3g}-"
        f"{c.beta_interval[1]:.3g}), first-year churn {c.mean_churn:.1%} (95% "
        f"{c.mean_churn_interval[0]:.1%}-{c.mean_churn_interval[1]:.1%}), retention "
        + ", ".join(f"{r:.1%}" for r in c.retention(3))
        + " in years 1-3"
    )
