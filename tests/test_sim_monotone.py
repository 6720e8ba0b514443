"""Monotone responses: more service never hurts, less never helps.

Each test runs two designs on the same seed (common random numbers), so replication ``i`` of
both sees the same customers and the same luck, and compares the paired mean difference.

False-alarm rate: "never lower" is checked one-sided at 3.5 standard errors of the paired
mean (normal tail 2.3e-4 per test, about 1e-3 for the four tests together), so a correct
engine fails with probability below 0.1%; the seeds are fixed, so any failure reproduces.
"""

from __future__ import annotations

import numpy as np

import ccosim
from tests.conftest import SCENARIOS

RUNS = 8
Z = 3.5


def _pair(name: str, change: dict, kpi: str, base: dict | None = None, years: int = 3):
    common = {"horizon_years": years, **(base or {})}
    a = ccosim.simulate(ccosim.load(SCENARIOS / f"{name}.yaml", common), runs=RUNS, seed=4)
    b = ccosim.simulate(
        ccosim.load(SCENARIOS / f"{name}.yaml", {**common, **change}), runs=RUNS, seed=4
    )
    diff = b.yearly[kpi] - a.yearly[kpi]  # replications x years
    mean = diff.mean(axis=0)
    se = diff.std(axis=0, ddof=1) / np.sqrt(RUNS)
    return mean, se


def test_more_support_agents_never_lower_grr():
    mean, se = _pair("cco_full", {"org.units.support_agents.staffing.per_head": 90}, "grr")
    assert np.all(mean >= -Z * se)
    assert mean.sum() > 0  # and here, where support is short, they help


def test_fewer_csms_never_raise_grr():
    fewer = {
        f"org.units.{u}.staffing.per_head": v
        for u, v in (("csm_enterprise", 36), ("csm_mid_market", 180), ("csm_smb", 900))
    }
    mean, se = _pair("cco_full", fewer, "grr")
    assert np.all(mean <= Z * se)
    assert mean.sum() < 0


def test_removing_onboarding_capacity_lengthens_time_to_value():
    less = {
        "org.units.onboarding_team.staffing.policy": "fixed",
        "org.units.onboarding_team.headcount": 2,
    }
    mean, _ = _pair("cco_full", less, "time_to_value_months", years=2)
    assert np.all(mean > 0)


def test_renewals_next_to_cs_do_not_lower_nrr():
    # Only the hand-off distance changes: incentives and the single-owner bonus are held off.
    base = {
        "assumptions.effects.executive_incentives": False,
        "assumptions.effects.single_retention_owner": False,
    }
    mean, se = _pair(
        "post_sales_cs", {"org.units.renewals_mgr.reports_to": "cs_director"}, "nrr", base=base
    )
    assert np.all(mean >= -Z * se)
