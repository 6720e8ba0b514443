"""Monotone responses: more service never hurts, less never helps.

Each test runs two designs on the same seed (common random numbers), so replication ``i`` of
both sees the same customers and the same luck, and compares the paired mean difference.

False-alarm rate: "never lower" is checked one-sided, year by year, in 27 checks (three tests
of three years, a support sweep of four steps over three years, and a two-sided check over
three years counted twice). With ``RUNS`` paired replications the standardised paired mean follows
Student's t with ``RUNS - 1`` degrees of freedom, so each check allows ``T`` standard errors,
the t quantile that leaves 1e-3 / 27 in the tail: a correct engine fails this file with
probability below 0.1% (Bonferroni). Where a test also claims that the change helps (or
hurts), the claim is checked the same way: the paired mean over the years must clear ``T``
standard errors, so noise alone passes it with probability below 0.1% / 27 per claim. The
seeds are fixed, so any failure reproduces.
"""

from __future__ import annotations

import numpy as np

import ccosim
from ccosim.stats import t_quantile
from tests.conftest import SCENARIOS

RUNS = 12
CHECKS = 27  # one-sided checks: 3 tests x 3 years, 4 sweep steps x 3 years, 2 x 3 years
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


def test_support_sweep_written_at_its_ratio_never_lowers_grr():
    """A user sweeping the support ratio writes the team at its ratio size (1,810 accounts).

    Span is judged on heads in post, and the over-span director's reports beyond the limit
    add less each but never subtract, so every step adds GRR or leaves it within noise: four
    steps x three years = 12 of the one-sided checks counted above.
    """
    previous = None
    for per_head in (240, 180, 120, 90, 60):
        change = {
            "org.units.support_agents.staffing.per_head": per_head,
            "org.units.support_agents.headcount": -(-1810 // per_head),
            "org.units.support_mgr.staffing.per_head": 100_000,  # one director throughout
        }
        scenario = ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 3, **change})
        grr = ccosim.simulate(scenario, runs=RUNS, seed=4, workers=1).yearly["grr"]
        if previous is not None:
            mean, se = _mean_se(grr - previous)
            assert np.all(mean >= -T * se), per_head
        previous = grr


def test_a_ceo_one_over_the_span_limit_does_not_change_new_business():
    """Three more direct reports to the CEO (span 9 against a limit of 8) only touch them.

    Two-sided, year by year: three years, counted as six one-sided checks above.
    """
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
    a = ccosim.simulate(within, runs=RUNS, seed=4, workers=1).yearly["bookings_new"]
    b = ccosim.simulate(wide, runs=RUNS, seed=4, workers=1).yearly["bookings_new"]
    mean, se = _mean_se(b - a)
    assert np.all(np.abs(mean) <= T * se + 1e-9)
