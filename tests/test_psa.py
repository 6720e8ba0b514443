"""PSA: common parameter draws, exact reproduction of a fixed run, executors, answers, EVPPI."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ccosim.experiment.business_case import contribution, run_business_case
from ccosim.experiment.compare import Design, run_designs
from ccosim.experiment.decision import (
    business_case_answers,
    compare_answers,
    expected_loss,
    p_best,
    value_of_information,
)
from ccosim.experiment.evppi import evpi, evppi
from ccosim.experiment.psa import (
    SUMMARY_KPIS,
    draw_parameters,
    psa_for_comparison,
    run_psa,
    uncertain_keys,
)
from ccosim.money import npv
from ccosim.scenario import load
from ccosim.scenario.uncertainty import Discrete, Uniform, key_value
from tests.conftest import SCENARIOS

ARCHETYPES = ["vp_services", "post_sales_cs", "cco_full", "cs_under_sales", "cxo_tech_touch"]
PAIR = [SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml"]


def test_p_best_splits_ties_and_sums_to_one():
    values = np.array([[1.0, 2.0, 2.0], [3.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 5.0, np.nan]])
    shares = p_best(values)
    assert shares == pytest.approx([(0 + 1 + 1 / 3) / 3, (0.5 + 0 + 1 / 3) / 3, (0.5 + 1 / 3) / 3])
    assert shares.sum() == pytest.approx(1.0)
    assert p_best(values[:3], higher_is_better=False)[2] == pytest.approx((1 + 1 / 3) / 3)
    assert expected_loss(values[:3]) == pytest.approx([(1 + 0 + 0) / 3, (0 + 2 + 0) / 3, 1.0])


def test_draws_are_latin_hypercube_per_key_and_reproducible():
    scenario = load(SCENARIOS / "cco_full.yaml")
    keys = uncertain_keys([scenario], ["cco_full"])
    first = draw_parameters(keys, 40, 7)
    assert np.array_equal(first, draw_parameters(keys, 40, 7))
    assert not np.array_equal(first, draw_parameters(keys, 40, 8))
    for j, key in enumerate(keys):  # one draw in each of the 40 equal-probability strata
        lo, hi = key.dist.support()
        assert lo <= first[:, j].min() and first[:, j].max() <= hi
        strata = np.floor(_cdf(key.dist, first[:, j]) * 40).astype(int)
        assert sorted(strata) == list(range(40)), key.path
    sobol = draw_parameters(keys, 32, 7, method="sobol")
    assert sobol.shape == (32, len(keys))


def _cdf(dist, x):
    grid = np.linspace(1e-9, 1 - 1e-9, 200_001)
    return np.interp(x, dist.ppf(grid), grid)


def _pointed(scenario):
    """The scenario with every uncertain key fixed at its own value."""
    table = {
        p: Discrete(dist="discrete", values=[key_value(scenario, p)]) for p in scenario.uncertainty
    }
    return scenario.model_copy(update={"uncertainty": table})


def test_point_distributions_reproduce_the_fixed_run_exactly():
    scenarios = [_pointed(load(p, {"horizon_years": 2})) for p in PAIR]
    labels = ["post_sales_cs", "cco_full"]
    draws, runs = 3, 2
    psa = run_psa(labels, scenarios, draws=draws, runs=runs, seed=11, workers=1)
    fixed = run_designs(
        [Design(lb, "", s) for lb, s in zip(labels, scenarios, strict=True)],
        baseline="post_sales_cs",
        runs=draws * runs,
        seed=11,
        attribution=False,
        workers=1,
    )
    monthly = [contribution(fixed.results[label]) for label in labels]
    for i in range(draws):
        # The same arithmetic as the PSA's summary: designs x months, mean over the draw's runs.
        block = np.array([m[i * runs : (i + 1) * runs].mean(axis=0) for m in monthly])
        assert np.array_equal(psa.npv[i], npv(block, psa.discount_rate))
        assert np.array_equal(psa.value[i], block.sum(axis=1))
        for d, label in enumerate(labels):
            for k, kpi in enumerate(SUMMARY_KPIS):
                runs_of_draw = fixed.results[label].yearly[kpi][i * runs : (i + 1) * runs, -1]
                assert psa.kpis[i, d, k] == np.nanmean(runs_of_draw)
    # Over all draws, the designs' mean contributions are the fixed run's means.
    for d, label in enumerate(labels):
        assert psa.value[:, d].mean() == pytest.approx(
            contribution(fixed.results[label]).sum(axis=1).mean()
        )


@pytest.mark.distributed
def test_compare_draws_on_five_archetypes_sum_to_one_and_match_on_every_executor():
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    paths = [SCENARIOS / f"{a}.yaml" for a in ARCHETYPES]
    kwargs = {"draws": 4, "runs": 1, "years": 1, "seed": 5}
    serial = psa_for_comparison(paths, workers=1, **kwargs)
    processes = psa_for_comparison(paths, workers=2, **kwargs)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = psa_for_comparison(paths, scheduler=cluster.scheduler_address, **kwargs)
    for other in (processes, on_dask):
        for name in ("parameters", "kpis", "npv", "value", "net_npv", "net_value"):
            assert np.array_equal(getattr(serial, name), getattr(other, name), equal_nan=True)
    answers = compare_answers(serial, bootstrap=0)
    assert set(answers["p_best"]) == set(ARCHETYPES)
    for kpi in (*SUMMARY_KPIS, "npv"):
        assert sum(answers["p_best"][lb][kpi] for lb in ARCHETYPES) == pytest.approx(1.0), kpi
    assert min(answers["expected_loss"].values()) >= 0


#: An uncertain key that does not enter the money: the health bands only label accounts.
UNUSED = "assumptions.health_bands.red_max"


@pytest.fixture(scope="module")
def business_case_psa():
    unused = Uniform(dist="uniform", low=30, high=50)
    scenarios = []
    for path in PAIR:
        scenario = load(path, {"horizon_years": 3})
        table = {**scenario.uncertainty, UNUSED: unused}
        scenarios.append(scenario.model_copy(update={"uncertainty": table}))
    return run_psa(["post_sales_cs", "cco_full"], scenarios, draws=40, runs=1, seed=3, workers=2)


def test_assumption_uncertainty_widens_the_npv_range_beyond_customer_randomness(business_case_psa):
    answers = business_case_answers(business_case_psa, bootstrap=50)
    fixed = run_business_case(*PAIR, runs=6, years=3, seed=3, goal_seek=False, workers=2)
    per_run = npv(
        contribution(fixed.comparison.results["cco_full"])
        - contribution(fixed.comparison.results["post_sales_cs"]),
        business_case_psa.discount_rate,
    )
    half = stats.t.ppf(0.975, per_run.size - 1) * per_run.std(ddof=1) / np.sqrt(per_run.size)
    npv_q = answers["npv"]
    assert npv_q["p95"] - npv_q["p05"] > 2 * half
    assert 0.0 <= answers["p_npv_positive"] <= 1.0
    curve = answers["p_breakeven_by_year"]
    assert list(curve) == [1, 2, 3]
    assert np.all(np.diff(list(curve.values())) >= 0)  # a cumulative distribution
    assert set(answers["evppi"]) == set(k.path for k in business_case_psa.keys)
    tolerance = 1e-9 * np.abs(business_case_psa.net_npv).max()
    assert answers["evpi"] >= max(answers["evppi"].values()) - tolerance


def test_evppi_of_an_assumption_outside_the_model_is_zero(business_case_psa):
    psa = business_case_psa
    # Make the decision a close call (charge the CCO org its median NPV once more), so that
    # information has value; the key the money does not depend on must still be worth ~0.
    net = psa.net_npv[:, 1] - np.median(psa.net_npv[:, 1])
    decision = np.column_stack([np.zeros_like(net), net])
    values = value_of_information(psa, decision, bootstrap=100)
    total = evpi(decision)
    assert total > 0
    assert values[UNUSED].value <= max(3 * values[UNUSED].se, 0.01 * total)
    assert max(v.value for v in values.values()) > 0.05 * total  # some assumption matters


def test_regression_evppi_agrees_with_nested_monte_carlo_within_its_error():
    """Toy decision with a known answer: adopt (NB = t1 + t2 + c) or not (NB = 0).

    The regression estimate from 2,000 draws and the brute-force nested estimate (400 outer
    x 400 inner) must agree with each other within 3 combined standard errors, and both with
    the closed form E[max(0, t1 + c)] - max(0, c). Fixed seeds; the nested estimate's error
    is its outer-loop standard error.
    """
    c = 0.3
    rng = np.random.default_rng(2026)
    t1, t2, t3 = rng.normal(size=(3, 2000))
    nb = np.column_stack([np.zeros(t1.size), t1 + t2 + c])
    regression = evppi(t1, nb, bootstrap=200, seed=1)

    outer = rng.normal(size=400)
    inner = rng.normal(size=(400, 400))
    conditional = (outer[:, None] + inner + c).mean(axis=1)  # E[NB_adopt | t1] by inner sampling
    nested_terms = np.maximum(conditional, 0.0)
    nested = nested_terms.mean() - max(0.0, (outer[:, None] + inner + c).mean())
    nested_se = nested_terms.std(ddof=1) / np.sqrt(outer.size)

    exact = c * stats.norm.cdf(c) + stats.norm.pdf(c) - c
    combined = np.hypot(regression.se, nested_se)
    assert abs(regression.value - nested) <= 3 * combined
    assert abs(regression.value - exact) <= 3 * regression.se
    assert evppi(t3, nb).value == 0.0  # an input the net benefit ignores


def test_lift_that_pays_under_draws_is_where_expected_npv_and_p_pays_cross(business_case_psa):
    from ccosim.experiment.lift import _first_crossing, lift_under_uncertainty

    assert _first_crossing(np.array([0.0, 1.0, 2.0]), np.array([-2.0, -1.0, 1.0]), 0.0) == 1.5
    assert _first_crossing(np.array([0.0, 1.0]), np.array([-2.0, -1.0]), 0.0) is None
    current, cco = (load(p, {"horizon_years": 3}) for p in PAIR)
    lift = lift_under_uncertainty(current, cco, business_case_psa, draws=3, steps=4, workers=2)
    # The CCO org's churn moved both ways around the CCO org as modelled (cut 0).
    assert lift.cuts[0] < 0 < lift.cuts[-1] and lift.cuts[2] == 0 and len(lift.cuts) == 5
    assert np.all(np.diff(lift.expected_npv) > 0)  # cutting churn more is worth more
    assert np.all(np.diff(lift.grr_lifts) > 0)
    if lift.pays_on_average is not None:
        cut, grr = lift.pays_on_average
        assert np.interp(cut, lift.cuts, lift.expected_npv) == pytest.approx(0.0, abs=1.0)
        # Consistent with the NPV: a CCO org that loses money on average needs more lift.
        assert (grr > lift.grr_lifts[2]) == (lift.expected_npv[2] < 0)
    assert lift.p_pays[-1] >= lift.p_pays[0]


def test_a_draws_slim_outputs_give_the_contribution_of_the_full_ones():
    # A draw keeps only the measures its summary reads; with a hire month the contribution
    # includes one-time costs (search fee, severance), so every kept measure counts here.
    from ccosim.experiment.business_case import business_case_designs
    from ccosim.experiment.psa import _slim
    from ccosim.results import Results
    from ccosim.sim.model import run_replication
    from ccosim.sim.params import compile_params

    _, _, proposed, _ = business_case_designs(*PAIR, 6, 2)
    params = compile_params(proposed)
    full = [run_replication((params, 3, r)) for r in range(2)]
    assert any(o["monthly"]["one_time_cost"].sum() > 0 for o in full)
    whole = Results.from_runs("x", 3, full)
    slim = Results.from_runs("x", 3, [_slim(o) for o in full])
    np.testing.assert_array_equal(contribution(slim), contribution(whole))
    for kpi in SUMMARY_KPIS:
        np.testing.assert_array_equal(slim.yearly[kpi], whole.yearly[kpi])


def test_the_break_even_curve_says_nothing_of_years_not_simulated(business_case_psa):
    # 3 years simulated; hired at month 12, only 2 whole years follow the hire.
    from dataclasses import replace

    from ccosim.experiment.decision import breakeven_curve

    hired_late = replace(business_case_psa, hire_month=12)
    assert list(breakeven_curve(hired_late, 1)) == [1, 2]
    assert list(breakeven_curve(hired_late, 1, years=[1, 2, 3, 5])) == [1, 2]
    assert list(breakeven_curve(business_case_psa, 1)) == [1, 2, 3]


def test_too_few_draws_for_the_research_ranking_is_said(business_case_psa):
    # 40 draws of the shipped ranges: the EVPPI ranking and the tornado are rough, and every
    # output says so; with 3 ranges the same 40 draws are enough.
    from dataclasses import replace

    from ccosim.report.uncertainty_report import rough_note, uncertainty_json, uncertainty_text

    psa = business_case_psa
    answers = business_case_answers(psa, bootstrap=20)
    note = rough_note(psa)
    assert note is not None and f"--draws {10 * len(psa.keys)}" in note
    assert note in uncertainty_text(psa, answers, "business-case")
    assert uncertainty_json(psa, answers, "business-case")["warnings"] == [note]
    few_keys = replace(psa, keys=psa.keys[:3], parameters=psa.parameters[:, :3])
    assert rough_note(few_keys) is None
