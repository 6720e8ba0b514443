"""The engine as a user meets it: reproducible, complete outputs, org changes that take effect."""

from __future__ import annotations

import numpy as np
import pytest

import ccosim
from ccosim.results import PRIMARY_MEASUREMENTS
from ccosim.sim.params import compile_params
from tests.conftest import ARCHETYPES, SCENARIOS, shipped_scenarios

REQUIRED = (
    "arr",
    "accounts",
    "grr",
    "nrr",
    "logo_retention",
    "bookings_new",
    "bookings_installed_base",
    "headcount",
    "org_cost",
    "ltv_to_cac",
)


def _load(name: str, **overrides: object) -> ccosim.Scenario:
    return ccosim.load(SCENARIOS / f"{name}.yaml", {"horizon_years": 2, **overrides})


def test_parameters_reused_across_replications_give_what_fresh_ones_give():
    # Each org period's indexes are derived once and kept with the parameters: a replication
    # on parameters that already ran (a transition, so two periods) equals one on fresh ones.
    from ccosim.experiment.business_case import business_case_designs
    from ccosim.sim.model import run_replication

    _, _, proposed, _ = business_case_designs(
        SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml", 6, 2
    )
    used = compile_params(proposed)
    assert len(used.epochs) > 1
    run_replication((used, 5, 0))
    again = run_replication((used, 5, 1))
    fresh = run_replication((compile_params(proposed), 5, 1))
    for part in ("monthly", "yearly"):
        for key, values in fresh[part].items():
            np.testing.assert_array_equal(again[part][key], values, err_msg=f"{part} {key}")
    for segment, kpis in fresh["segments"].items():
        for key, values in kpis.items():
            np.testing.assert_array_equal(again["segments"][segment][key], values, err_msg=key)


def test_same_seed_same_results_bit_for_bit():
    scenario = _load("cco_full")
    a = ccosim.simulate(scenario, runs=2, seed=9, workers=1)
    b = ccosim.simulate(scenario, runs=2, seed=9, workers=1)
    for key in a.yearly:
        np.testing.assert_array_equal(a.yearly[key], b.yearly[key])
    for key in a.monthly:
        np.testing.assert_array_equal(a.monthly[key], b.monthly[key])
    c = ccosim.simulate(scenario, runs=2, seed=10, workers=1)
    assert not np.array_equal(a.yearly["arr"], c.yearly["arr"])


@pytest.mark.slow
def test_one_worker_or_many_give_identical_results():
    scenario = _load("post_sales_cs")
    serial = ccosim.simulate(scenario, runs=4, seed=3, workers=1)
    parallel = ccosim.simulate(scenario, runs=4, seed=3, workers=2)
    assert serial.to_dict() == parallel.to_dict()
    for key in serial.monthly:
        np.testing.assert_array_equal(serial.monthly[key], parallel.monthly[key])


def test_to_dict_has_the_documented_shape_and_keys():
    results = ccosim.simulate(_load("cco_full"), runs=2, seed=1)
    data = results.to_dict()
    assert list(data) == ["scenario", "seed", "runs", "years", "kpis", "segments", "replications"]
    assert set(data["segments"]) == {"enterprise", "mid_market", "smb"}
    assert set(data["segments"]["smb"]["nrr"]) == {"mean", "lo", "hi"}
    assert data["years"] == [1, 2] and data["runs"] == 2 and data["seed"] == 1
    keys = set(REQUIRED) | {k for ks in PRIMARY_MEASUREMENTS.values() for k in ks}
    for key in keys:
        entry = data["kpis"][key]
        assert set(entry) == {"mean", "lo", "hi"} and len(entry["mean"]) == 2, key
    assert len(data["replications"]) == 2
    assert set(data["replications"][0]["kpis"]) == set(data["kpis"])


def test_tidy_monthly_rows():
    results = ccosim.simulate(_load("vp_services", horizon_years=1), runs=1, seed=1)
    rows = list(results.rows())
    assert rows[0][:4] == (results.scenario, 0, 0, rows[0][3])
    assert len(rows) == len(results.monthly) * 12
    assert {r[3] for r in rows} >= {"arr", "support_response_hours", "hiring_gap"}


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.stem)
def test_every_shipped_scenario_runs(path):
    results = ccosim.simulate(ccosim.load(path, {"horizon_years": 2}), runs=1, seed=1)
    arr = results.yearly["arr"][0]
    assert np.all(arr > 0) and np.all(np.isfinite(arr))
    grr = results.yearly["grr"][0]
    assert np.all((grr > 0.5) & (grr <= 1.0))


def test_arr_bridge_adds_up():
    results = ccosim.simulate(_load("cs_under_sales"), runs=1, seed=2)
    m = {k: v[0] for k, v in results.monthly.items()}
    moved = (
        m["arr_start"] + m["arr_new"] + m["arr_expansion"] - m["arr_contraction"] - m["arr_churn"]
    )
    np.testing.assert_allclose(moved, m["arr_end"], rtol=1e-9)


def test_unmet_hiring_is_visible():
    # A plan that asks for 40 more CSMs at once cannot be met within the 3-month time to fill.
    scenario = _load("cco_full", **{"org.units.csm_mid_market.staffing.per_head": 8})
    results = ccosim.simulate(scenario, runs=1, seed=1)
    gap = results.monthly["hiring_gap"][0]
    assert gap[0] > 30 and gap[6] < gap[0]


def test_timeline_hires_a_cco_and_moves_teams_with_a_dip():
    scenario = _load(
        "post_sales_cs",
        timeline=[
            {
                "month": 6,
                "action": "add_unit",
                "unit": {"id": "cco", "title": "CCO", "function": "executive", "reports_to": "ceo"},
            },
            {"month": 6, "action": "move_unit", "id": "renewals_mgr", "reports_to": "cco"},
            {"month": 6, "action": "move_unit", "id": "vp_services", "reports_to": "cco"},
            {"month": 12, "action": "set_headcount", "id": "support_agents", "headcount": 4},
        ],
    )
    params = compile_params(scenario)
    assert [e.month for e in params.epochs] == [0, 6, 12]
    assert params.epochs[0].effects.cs_home == "services"
    assert params.epochs[1].effects.cs_home == "customer"
    assert params.epochs[1].effects.single_owner
    results = ccosim.simulate(scenario, runs=1, seed=1)
    cost = results.monthly["cost_executive"][0]
    # The CCO is hired: the search opens at month 6 (its fee paid then) and takes 5 months.
    assert results.monthly["search_fees"][0][6] > 0
    assert cost[10] < cost[5] + 1000 and cost[11] > cost[10] + 30_000
    agents = results.monthly["support_tickets_per_rep_day"][0]
    assert agents[13] > agents[11]  # four agents now close more tickets each


def test_archetypes_compile_to_their_documented_homes():
    homes = {name: compile_params(_load(name)).epochs[0].effects.cs_home for name in ARCHETYPES}
    assert homes == {
        "vp_services": "none",
        "post_sales_cs": "services",
        "cco_full": "customer",
        "cs_under_sales": "sales",
        "cxo_tech_touch": "customer",
    }


@pytest.mark.parametrize(
    "overrides",
    [{}, {"customers.segments.smb.churn_alpha": 2.0, "customers.segments.smb.churn_beta": 10.0}],
    ids=["homogeneous", "sBG segment"],
)
def test_a_churn_change_from_a_month_acts_from_that_month_only(overrides):
    # The lift search cuts churn from the hire (ModelParams.churn_from): nothing moves before
    # that month, and with churn set to zero no account churns after it.
    from dataclasses import replace

    from ccosim.sim.model import run_replication

    params = compile_params(
        ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 2, **overrides})
    )
    assert bool(params.segments.churn_alpha.any()) == bool(overrides)
    month = 9
    zero = np.zeros_like(params.segments.churn_per_term)
    cut = run_replication((replace(params, churn_from=(month, zero)), 4, 0))
    base = run_replication((params, 4, 0))
    for key, values in base["monthly"].items():
        np.testing.assert_array_equal(cut["monthly"][key][:month], values[:month], err_msg=key)
    assert base["monthly"]["churned_logos"][month:].sum() > 0
    assert cut["monthly"]["churned_logos"][month:].sum() == 0
