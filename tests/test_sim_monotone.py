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


def test_support_sweep_written_at_its_ratio_never_lowers_grr():
    """A user sweeping the support ratio writes the team at its ratio size (1,810 accounts).

    Span is judged on heads in post, and the over-span director's reports beyond the limit
    add less each but never subtract, so every step adds GRR or leaves it within noise. Four
    steps x three years = 12 one-sided checks at 3.5 standard errors (above).
    """
    previous = None
    for per_head in (240, 180, 120, 90, 60):
        change = {
            "org.units.support_agents.staffing.per_head": per_head,
            "org.units.support_agents.headcount": -(-1810 // per_head),
            "org.units.support_mgr.staffing.per_head": 100_000,  # one director throughout
        }
        scenario = ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 3, **change})
        grr = ccosim.simulate(scenario, runs=RUNS, seed=4).yearly["grr"]
        if previous is not None:
            diff = grr - previous
            se = diff.std(axis=0, ddof=1) / np.sqrt(RUNS)
            assert np.all(diff.mean(axis=0) >= -Z * se), per_head
        previous = grr


def test_a_ceo_one_over_the_span_limit_does_not_change_new_business():
    """Three more direct reports to the CEO (span 9 against a limit of 8) only touch them."""
    extra = [
        {"id": f"staff_{i}", "title": "Chief of Staff", "function": "other", "reports_to": "ceo"}
        for i in range(3)
    ]
    base = ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 3})
    units = [*base.org.units, *(type(base.org.units[0])(**u) for u in extra)]
    wide = base.model_copy(update={"org": base.org.model_copy(update={"units": units})})
    within = wide.model_copy(
        update={
            "assumptions": wide.assumptions.model_copy(
                update={"span": wide.assumptions.span.model_copy(update={"ceo_limit": 9})}
            )
        }
    )
    a = ccosim.simulate(within, runs=RUNS, seed=4).yearly["bookings_new"]
    b = ccosim.simulate(wide, runs=RUNS, seed=4).yearly["bookings_new"]
    diff = b - a
    se = diff.std(axis=0, ddof=1) / np.sqrt(RUNS)
    assert np.all(np.abs(diff.mean(axis=0)) <= Z * se + 1e-9)
