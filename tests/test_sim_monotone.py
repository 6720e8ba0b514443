"""Monotone responses: more service never hurts, less never helps.

Each test runs two designs on the same seed (common random numbers), so replication ``i`` of
both sees the same customers and the same luck, and compares the paired mean difference.

False-alarm rate: "never lower" is checked one-sided, year by year, in 9 checks (three tests
of three years). With ``RUNS`` paired replications the standardised paired mean follows
Student's t with ``RUNS - 1`` degrees of freedom, so each check allows ``T`` standard errors,
the t quantile that leaves 1e-3 / 9 in the tail: a correct engine fails this file with
probability below 0.1% (Bonferroni). Where a test also claims that the change helps (or
hurts), the claim is checked the same way: the paired mean over the years must clear ``T``
standard errors, so noise alone passes it with probability below 0.1% / 9 per claim. The
seeds are fixed, so any failure reproduces.
"""

from __future__ import annotations

import numpy as np

import ccosim
from ccosim.experiment.stats import t_quantile
from tests.conftest import SCENARIOS

RUNS = 12
CHECKS = 9  # one-sided "never lower" checks: 3 tests x 3 years
T = t_quantile(1 - 1e-3 / CHECKS, RUNS - 1)  # about 5.4


def _pair(name: str, change: dict, kpi: str, base: dict | None = None, years: int = 3):
    common = {"horizon_years": years, **(base or {})}
    a = ccosim.simulate(
        ccosim.load(SCENARIOS / f"{name}.yaml", common), runs=RUNS, seed=4, workers=1
    )
    b = ccosim.simulate(
        ccosim.load(SCENARIOS / f"{name}.yaml", {**common, **change}), runs=RUNS, seed=4, workers=1
    )
    return b.yearly[kpi] - a.yearly[kpi]  # replications x years


def _mean_se(diff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return diff.mean(axis=0), diff.std(axis=0, ddof=1) / np.sqrt(diff.shape[0])


def _clearly_positive(diff: np.ndarray) -> bool:
    """The paired difference summed over the years is above zero by ``T`` standard errors."""
    mean, se = _mean_se(diff.sum(axis=1, keepdims=True))
    return bool(mean[0] > T * se[0])


def test_more_support_agents_never_lower_grr():
    diff = _pair("cco_full", {"org.units.support_agents.staffing.per_head": 90}, "grr")
    mean, se = _mean_se(diff)
    assert np.all(mean >= -T * se)
    assert _clearly_positive(diff)  # and here, where support is short, they help


def test_fewer_csms_never_raise_grr():
    fewer = {
        f"org.units.{u}.staffing.per_head": v
        for u, v in (("csm_enterprise", 36), ("csm_mid_market", 180), ("csm_smb", 900))
    }
    diff = _pair("cco_full", fewer, "grr")
    mean, se = _mean_se(diff)
    assert np.all(mean <= T * se)
    assert _clearly_positive(-diff)


def test_removing_onboarding_capacity_lengthens_time_to_value():
    less = {
        "org.units.onboarding_team.staffing.policy": "fixed",
        "org.units.onboarding_team.headcount": 2,
    }
    diff = _pair("cco_full", less, "time_to_value_months", years=2)
    mean, se = _mean_se(diff)
    assert np.all(mean > T * se), (mean, se)  # longer in each year, beyond the noise


def test_renewals_next_to_cs_do_not_lower_nrr():
    # Only the hand-off distance changes: incentives and the single-owner bonus are held off.
    base = {
        "assumptions.effects.executive_incentives": False,
        "assumptions.effects.single_retention_owner": False,
    }
    diff = _pair(
        "post_sales_cs", {"org.units.renewals_mgr.reports_to": "cs_director"}, "nrr", base=base
    )
    mean, se = _mean_se(diff)
    assert np.all(mean >= -T * se)
