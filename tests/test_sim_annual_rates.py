"""Every rate is per year, whatever the contract term; heterogeneous churn follows the sBG.

A user types the annual churn, expansion and contraction they observe; with the org switched
off the engine must give them back, for monthly, annual and multi-year contracts alike, and
a segment with churn_alpha / churn_beta must retain its cohorts as the shifted-beta-geometric
model says (Fader and Hardie 2007).

False-alarm rate: each file-level family of checks is Bonferroni-corrected to 1e-3 in all,
with Student-t quantiles on the replications' degrees of freedom (``RUNS - 1``); the number
of checks is counted from the arrays compared. Seeds are fixed, so outcomes are reproducible.

Known, measured bias (docs/model.md "Units"): health is autocorrelated from month to month,
so with monthly terms the survivors of one renewal decision are a little healthier at the
next; at 8% churn this lifts retention by about 0.05 pts, inside the tolerance below.
Across years (12 months apart) the correlation is 0.8^12 = 0.07 and an sBG cohort's
survival after 7 years shows no measurable lift (docs/model.md, "Heterogeneous churn").
The book is stationary (new logos replace the churned ones): for terms over 12 months a
share 12 / T of it renews each year only while the renewals stay spread evenly over the term.
"""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.scenario import load_text
from ccosim.scenario.errors import ScenarioError
from ccosim.sim.closed_form import sbg_retention, sbg_survival, segment_expectation
from ccosim.sim.params import compile_params
from ccosim.simulate import simulate
from ccosim.stats import t_quantile

FAMILY_ALPHA = 1e-3
RUNS = 30

TERMS = """
name: annual rates
horizon_years: 3
customers:
  segments:
    ent: {{initial_accounts: 2000, acv: 10000, new_accounts_per_year: 160, base_churn: 0.08,
           expansion_rate: 0.12, contraction_rate: 0, contract_months: {term}}}
org:
  units:
    - {{id: ceo, title: CEO, function: executive}}
    - {{id: csm, title: CSMs, function: customer_success, reports_to: ceo, headcount: 1}}
assumptions: {{org_effects: false}}
"""

SBG = """
name: sbg cohort
horizon_years: 7
customers:
  segments:
    cohort: {{initial_accounts: 1000, acv: 10000, new_accounts_per_year: 0,
              churn_alpha: {alpha}, churn_beta: {beta}}}
org:
  units:
    - {{id: ceo, title: CEO, function: executive}}
    - {{id: csm, title: CSMs, function: customer_success, reports_to: ceo, headcount: 1}}
assumptions: {{org_effects: false}}
"""


def _within(samples: np.ndarray, expected: np.ndarray | float, checks: int) -> int:
    """Assert each column's mean is within noise of ``expected``; return the columns checked."""
    runs = samples.shape[0]
    z = t_quantile(1 - FAMILY_ALPHA / (2 * checks), runs - 1)
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / np.sqrt(runs)
    assert np.all(np.abs(mean - expected) <= z * se), (mean, expected, se, z)
    return int(np.size(mean))


def test_annual_rates_come_back_for_every_term():
    # Terms 1, 12, 24 and 36 months. Logo retention every year; GRR and NRR every year for
    # terms up to 12 months, in year 1 for longer ones (later the uplift at renewal tilts the
    # book's ARR toward the accounts that renewed last: docs/model.md "Units"). Counted from
    # the arrays compared: 4 x 3 + 2 x (2 x 3) + 2 x (2 x 1) = 28 checks.
    terms = (1, 12, 24, 36)
    checks = 28
    made = 0
    for term in terms:
        scenario = load_text(TERMS.format(term=term))
        expect = segment_expectation(compile_params(scenario), 0)
        assert expect.logo_retention == pytest.approx(0.92)
        results = simulate(scenario, runs=RUNS, seed=5, workers=1)
        made += _within(results.yearly["logo_retention"], 0.92, checks)
        years = slice(None) if term <= 12 else slice(0, 1)
        made += _within(results.yearly["grr"][:, years], 0.92, checks)
        made += _within(results.yearly["nrr"][:, years], expect.nrr, checks)
        # No alternating years: the three years agree with each other, not only on average.
        nrr = results.mean("nrr")
        assert np.ptp(nrr) < 0.01, (term, nrr)
    assert made == checks


def test_annual_nrr_does_not_depend_on_the_term():
    # The old per-renewal expansion compounded monthly on 1-month terms (NRR ~3) and halved on
    # 24-month terms; per year, the closed-form NRR is (nearly) the same for every term, and
    # exactly that of 12-month terms for longer ones (docs/model.md "Units").
    nrr = [
        segment_expectation(compile_params(load_text(TERMS.format(term=t))), 0).nrr
        for t in (1, 3, 5, 6, 12, 24, 36)
    ]
    assert max(nrr) - min(nrr) < 0.005, nrr
    assert 0.92 * 1.12 - 0.01 < nrr[0] < 0.92 * 1.12 + 0.01


def test_a_term_longer_than_the_horizon_is_refused_with_its_key():
    with pytest.raises(ScenarioError) as err:
        load_text(TERMS.format(term=48))
    text = str(err.value)
    assert "contract_months" in text and "exceeds the horizon" in text and "36 months" in text


def test_a_term_that_is_not_whole_months_is_refused():
    with pytest.raises(ScenarioError) as err:
        load_text(TERMS.format(term=12.5))
    assert "contract_months" in str(err.value)


@pytest.mark.parametrize(("alpha", "beta"), [(0.668, 3.806), (0.704, 1.182)])
def test_sbg_cohort_follows_the_closed_form(alpha: float, beta: float):
    # Fader and Hardie's published High End and Regular estimates; no new logos, so the book
    # is one cohort and each year's logo retention is r(t); 7 years x 2 KPIs x 2 cohorts: 28
    # checks in the family.
    runs = 40
    results = simulate(load_text(SBG.format(alpha=alpha, beta=beta)), runs=runs, seed=5)
    _within(results.yearly["logo_retention"], sbg_retention(alpha, beta, 7), 28)
    _within(results.yearly["accounts"] / 1000, sbg_survival(alpha, beta, 7)[1:], 28)


def test_sbg_mean_is_base_churn_when_both_are_given():
    text = SBG.format(alpha=0.7, beta=1.2)
    text = text.replace("churn_beta: 1.2", "churn_beta: 1.2, base_churn: 0.1")
    seg = compile_params(load_text(text)).segments
    assert seg.churn_alpha[0] == pytest.approx(0.19) and seg.churn_beta[0] == pytest.approx(1.71)
    alone = compile_params(load_text(SBG.format(alpha=0.7, beta=1.2))).segments
    assert alone.base_churn[0] == pytest.approx(0.7 / 1.9)
