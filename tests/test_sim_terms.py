"""Multi-year contracts: a renewal falls due at the end of each term, and what follows it.

A CEO whose enterprise customers sign 2-year terms must see half the renewals a year of
annual terms, with the renewal quota and the renewal reps the model staffs for them following
the events, while the annual rates they typed still come back (docs/model.md "Units").

False-alarm rate: the comparisons of ``test_expected_arr_follows_the_closed_form_for_every_term``
form one family of 12 (4 terms x 3 years), Bonferroni-corrected to 1e-3 with Student-t quantiles
on ``RUNS - 1`` degrees of freedom. The other tests compare deterministic or near-deterministic
counts (thousands of renewals a year) with bands whose width is stated where they are made.
Seeds are fixed, so outcomes are reproducible.
"""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.scenario import load_text
from ccosim.scenario.errors import ScenarioError
from ccosim.sim.closed_form import expected_arr, segment_expectation
from ccosim.sim.params import compile_params
from ccosim.simulate import simulate
from ccosim.stats import t_quantile

RUNS = 12

BOOK = """
name: terms
horizon_years: 3
customers:
  segments:
    enterprise: {{initial_accounts: 1200, acv: 100000, new_accounts_per_year: {new},
                  base_churn: {churn}, expansion_rate: 0.12, contraction_rate: 0.02,
                  contract_months: {term}}}
org:
  units:
    - {{id: ceo, title: CEO, function: executive}}
    - {{id: csm, title: CSMs, function: customer_success, reports_to: ceo, headcount: 100}}
    - id: renewals
      title: Renewal Reps
      function: renewals
      reports_to: ceo
      headcount: 2
      staffing: {{policy: ratio, driver: renewals, per_head: 120, time_to_fill_months: 0,
                  ramp_months: 0, attrition_rate: 0}}
assumptions: {{org_effects: {org}}}
"""


def _book(term: int, *, churn: float = 0.08, org: bool = True) -> str:
    # New logos replace the churned ones: the book is stationary, its renewals spread evenly.
    return BOOK.format(term=term, churn=churn, new=1200 * churn, org=str(org).lower())


@pytest.fixture(scope="module")
def by_term() -> dict[int, object]:
    return {
        term: simulate(load_text(_book(term)), runs=RUNS, seed=3, workers=1) for term in (12, 24)
    }


def test_two_year_terms_have_half_the_renewals_a_year(by_term):
    # About 1,100 renewals a year on annual terms: the ratio of two such counts summed over
    # 12 runs and 3 years moves by well under 0.01 from customer randomness.
    due = {t: r.monthly["renewals_due"].sum() for t, r in by_term.items()}
    assert due[24] / due[12] == pytest.approx(0.5, abs=0.03), due
    # The renewal (installed-base) quota is the ARR falling due: it halves too.
    quota = {t: np.nansum(r.monthly["installed_base_quota"]) for t, r in by_term.items()}
    assert quota[24] / quota[12] == pytest.approx(0.5, abs=0.05), quota


def test_renewal_reps_staffed_by_renewals_follow_the_term(by_term):
    # A rep per 120 renewals a year: ~9-10 reps on annual terms, half that on 2-year terms.
    cost = {t: r.monthly["cost_renewals"][:, -12:].mean() for t, r in by_term.items()}
    assert cost[24] / cost[12] == pytest.approx(0.5, abs=0.1), cost
    worked = {t: np.nanmean(r.monthly["renewals_worked_share"]) for t, r in by_term.items()}
    assert worked[24] == pytest.approx(worked[12], abs=0.05), worked


def test_churn_happens_only_in_renewal_months():
    # One cohort of 1,200 accounts on 24-month terms, all renewing in month 5: renewals and
    # lost logos fall in months 5 and 29 only, and each time y = 2 years' worth of the annual
    # churn (16%; the band of 4.5 points is over 4 binomial standard errors of 1.06 points).
    n = 1200
    book = f"starting_book: {{arr: {[100000] * n}, months_to_renewal: {[5] * n}}}"
    text = _book(24, org=False).replace("new_accounts_per_year: 96.0", "new_accounts_per_year: 0")
    text = text.replace("contract_months: 24}", f"contract_months: 24, {book}}}")
    results = simulate(load_text(text), runs=1, seed=3, workers=1)
    due = results.monthly["renewals_due"][0]
    churned = results.monthly["churned_logos"][0]
    assert set(np.flatnonzero(due)) == {5, 29}
    assert set(np.flatnonzero(churned)) <= {5, 29}
    assert due[5] == n
    assert churned[5] / n == pytest.approx(0.16, abs=0.045)


def test_long_term_churn_at_renewal_is_y_years_of_the_annual_rate():
    for term, per_decision in ((12, 0.08), (24, 0.16), (36, 0.24)):
        seg = compile_params(load_text(_book(term, org=False))).segments
        assert seg.step_months[0] == term
        assert seg.churn_per_term[0] == pytest.approx(per_decision)
    monthly = compile_params(load_text(_book(1, org=False))).segments
    assert (1 - monthly.churn_per_term[0]) ** 12 == pytest.approx(0.92)


def test_closed_form_keeps_the_annual_figures_for_every_term():
    # Retention 1 - base_churn for 1, 12, 24, 36 months; NRR the same for 12, 24 and 36
    # (long terms are calibrated to it), within a few hundredths of a point for monthly terms.
    nrr = {}
    for term in (1, 12, 24, 36):
        ex = segment_expectation(compile_params(load_text(_book(term, org=False))), 0)
        assert ex.logo_retention == pytest.approx(0.92)
        nrr[term] = ex.nrr
    assert nrr[24] == pytest.approx(nrr[12], abs=1e-12)
    assert nrr[36] == pytest.approx(nrr[12], abs=1e-12)
    assert nrr[1] == pytest.approx(nrr[12], abs=0.002)


def test_expected_arr_follows_the_closed_form_for_every_term():
    checks = 12
    z = t_quantile(1 - 1e-3 / checks / 2, RUNS - 1)
    made = 0
    for term in (1, 12, 24, 36):
        scenario = load_text(_book(term, org=False))
        expect = expected_arr(compile_params(scenario), 0, 3)
        arr = simulate(scenario, runs=RUNS, seed=7, workers=1).yearly["arr"]
        se = arr.std(axis=0, ddof=1) / np.sqrt(RUNS)
        # The closed form takes the book's ARR evenly spread over the term; from year 2 on
        # the uplift at renewal tilts it, by under 0.5% of ARR at these rates (measured).
        slack = 0.0 if term <= 12 else 0.005 * expect
        slack = np.where(np.arange(3) == 0, 0.0, slack)
        assert np.all(np.abs(arr.mean(axis=0) - expect) <= z * se + slack), (
            term,
            arr.mean(0),
            expect,
        )
        made += expect.size
    assert made == checks


def test_churn_a_long_term_cannot_carry_is_refused_with_its_key():
    with pytest.raises(ScenarioError) as err:
        load_text(_book(36, churn=0.4))
    text = str(err.value)
    assert "base_churn" in text and "36-month" in text and "120%" in text
