"""With ``org_effects: false`` the engine reduces to its closed form (docs/model.md).

A user who switches the org off must get exactly the retention the segment's figures promise
(``base_churn``, ``expansion_rate``), or no design comparison built on them can be trusted.

False-alarm rate: the file makes 18 comparisons (4 KPIs x 3 years, then 2 KPIs x 3 years).
With ``RUNS`` replications the standardised mean follows Student's t with ``RUNS - 1``
degrees of freedom, so each comparison allows ``T`` standard errors, the two-sided t quantile
for 1e-3 / 18: a correct engine fails this file with probability below 0.1% (Bonferroni).
The seeds are fixed, so the outcome is reproducible.
"""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.scenario import load_text
from ccosim.sim.closed_form import expected_arr, segment_expectation
from ccosim.sim.params import compile_params
from ccosim.simulate import simulate
from ccosim.stats import t_quantile

RUNS = 30
CHECKS = 18
T = t_quantile(1 - 1e-3 / CHECKS / 2, RUNS - 1)  # about 4.7
_made: list[int] = []

SCENARIO = """
name: closed form
horizon_years: 3
seed: 11
customers:
  segments:
    smb: {{initial_accounts: 2000, acv: 10000, new_accounts_per_year: 240, base_churn: 0.15,
           expansion_rate: 0.12, contraction_rate: {k}}}
org:
  units:
    - {{id: ceo, title: CEO, function: executive}}
    - {{id: csm, title: CSMs, function: customer_success, reports_to: ceo, headcount: 1}}
assumptions: {{org_effects: false}}
"""


def _check(samples: np.ndarray, expected: np.ndarray | float) -> None:
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0])
    _made.append(mean.size)
    assert np.all(np.abs(mean - expected) <= T * se), (mean, expected, se)


@pytest.mark.slow
def test_logo_retention_grr_nrr_and_arr_match_the_closed_form():
    scenario = load_text(SCENARIO.format(k=0.0))
    params = compile_params(scenario)
    expect = segment_expectation(params, 0)
    results = simulate(scenario, runs=RUNS, seed=5, workers=1)
    _check(results.yearly["logo_retention"], 1 - 0.15)
    _check(results.yearly["grr"], 1 - 0.15)
    _check(results.yearly["nrr"], expect.nrr)
    _check(results.yearly["arr"], expected_arr(params, 0, 3))


def test_nrr_with_contraction_matches_the_closed_form():
    scenario = load_text(SCENARIO.format(k=0.03))
    params = compile_params(scenario)
    expect = segment_expectation(params, 0)
    results = simulate(scenario, runs=RUNS, seed=8, workers=1)
    _check(results.yearly["nrr"], expect.nrr)
    _check(results.yearly["logo_retention"], 1 - 0.15)


def test_closed_form_nrr_is_near_the_naive_product():
    # The health correlation terms are small: NRR ~ (1 - churn)(1 + expansion - contraction).
    params = compile_params(load_text(SCENARIO.format(k=0.03)))
    expect = segment_expectation(params, 0)
    assert abs(expect.nrr - 0.85 * (1 + 0.12 - 0.03)) < 0.01


def test_the_stated_number_of_checks_is_the_real_one():
    """The false-alarm rate above divides by CHECKS; it must count every comparison made."""
    _made.clear()
    test_logo_retention_grr_nrr_and_arr_match_the_closed_form()
    test_nrr_with_contraction_matches_the_closed_form()
    assert sum(_made) == CHECKS
