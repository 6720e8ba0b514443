"""Org changes take time and cost money: leaders in post, phase-in, one-time costs, hiring."""

from __future__ import annotations

import shutil

import numpy as np
import yaml

import ccosim
from ccosim.experiment.business_case import run_business_case
from ccosim.scenario import load, load_text
from ccosim.sim.org_effects import phase_weight
from ccosim.sim.params import compile_params
from tests.conftest import SCENARIOS

CURRENT = SCENARIOS / "post_sales_cs.yaml"
CCO = SCENARIOS / "cco_full.yaml"


def _cco_with(tmp_path, **cco_fields):
    """cco_full.yaml with fields of the CCO unit replaced (written beside the shipped files)."""
    data = yaml.safe_load(CCO.read_text())
    for unit in data["org"]["units"]:
        if unit["id"] == "cco":
            unit.update(cco_fields)
    shutil.copy(SCENARIOS / "_company.yaml", tmp_path / "_company.yaml")
    path = tmp_path / "cco_variant.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_cco_who_stays_vacant_changes_nothing(tmp_path):
    """The search never ends within the horizon: GRR and NRR are the current org's."""
    never = _cco_with(tmp_path, staffing={"time_to_fill_months": 36})
    case = run_business_case(CURRENT, never, hire_month=6, runs=4, years=3, goal_seek=False)
    for kpi in ("grr", "nrr"):
        d = case.yearly_delta(kpi)
        # Paired 95% intervals over 4 runs; each year's interval must cover 0 (3 years x 2
        # KPIs: at most 6 checks, each with a 5% false-alarm rate if nothing differs).
        assert np.all(d.lo <= 0) and np.all(d.hi >= 0), (kpi, d.mean)
    # Nothing was reorganised, nobody was paid but the search firm.
    costs = case.comparison.results[case.proposed].monthly["one_time_cost"].mean(axis=0)
    assert np.flatnonzero(costs).tolist() == [6]


def test_the_lift_starts_after_the_cco_is_in_post(tmp_path):
    six = _cco_with(tmp_path, staffing={"time_to_fill_months": 6})
    # Without executive turnover: the only one-time costs are the transition's.
    case = run_business_case(
        CURRENT,
        six,
        hire_month=6,
        runs=3,
        years=3,
        goal_seek=False,
        set_options=("assumptions.leadership.turnover=false",),
    )
    proposed = case.comparison.results[case.proposed].monthly
    current = case.comparison.results[case.current].monthly
    # Months 6-11: searching; the org (and every customer outcome) is the current one's.
    assert np.array_equal(proposed["arr"][:, :12], current["arr"][:, :12])
    # From month 12 the CCO is in post, the teams move, and customers see a different org.
    assert not np.array_equal(proposed["arr"][:, 12:], current["arr"][:, 12:])
    # The cost of the search is paid at month 6, the severance when the VP leaves (month 12).
    costs = proposed["one_time_cost"].mean(axis=0)
    assert np.flatnonzero(costs).tolist() == [6, 12]
    assert proposed["search_fees"].mean(axis=0)[6] > 0 and proposed["severance"][:, 12].min() > 0


def test_grr_lift_is_phased_in_over_years():
    """Shipped pair, defaults, CCO hired at month 12.

    The first year after the hire shows less than half the lift of years 4 and later.
    """
    case = run_business_case(CURRENT, CCO, hire_month=12, runs=6, years=7, goal_seek=False)
    d = case.yearly_delta("grr")
    first_year_after_hire = d.mean[1]
    later = d.mean[3:].mean()
    assert later > 0 and first_year_after_hire < 0.5 * later
    # Break-even comes at least a year after the hire on the shipped demo.
    assert all(m is None or m >= 24 for m in case.break_even)


def test_phase_weight_is_an_s_curve():
    w = [phase_weight(m, 24) for m in range(0, 30, 6)]
    assert w[0] == 0 and w[-1] == 1 and w[2] == 0.5
    assert np.all(np.diff(w) > 0) and w[1] < 0.25  # slow start
    assert phase_weight(5, 0) == 1.0


def test_a_vacant_executive_behaves_as_if_its_teams_reported_to_the_next_manager_up():
    """cco_full with the CCO never filled = the same org with the CCO's teams under the CEO."""
    vacant = load(
        CCO,
        {
            "horizon_years": 2,
            "org.units.cco.vacant": True,
            "org.units.cco.staffing": {"time_to_fill_months": 36},
        },
    )
    params = compile_params(load(CCO, {"horizon_years": 2}))
    assert params.epochs[0].effects.single_owner
    # The CCO's teams under the CEO, and no CCO box (the CEO's span counts boxes).
    collapsed_units = [
        u.model_copy(update={"reports_to": "ceo"}) if u.reports_to == "cco" else u
        for u in vacant.org.units
        if u.id != "cco"
    ]
    collapsed = vacant.model_copy(
        update={"org": vacant.org.model_copy(update={"units": collapsed_units})}
    )
    a = ccosim.simulate(vacant, runs=2, seed=3, workers=1)
    b = ccosim.simulate(collapsed, runs=2, seed=3, workers=1)
    assert compile_params(vacant).epochs[0].vacancy_effects[1].single_owner is False
    np.testing.assert_allclose(a.yearly["grr"], b.yearly["grr"])
    np.testing.assert_allclose(a.yearly["nrr"], b.yearly["nrr"])


def test_units_added_by_a_change_are_hired_unless_they_move_in_filled():
    base = load(SCENARIOS / "vp_services.yaml", {"horizon_years": 1})
    team = {
        "id": "csm_new",
        "title": "CSMs",
        "function": "customer_success",
        "reports_to": "vp_services",
        "headcount": 6,
        "staffing": {"time_to_fill_months": 3, "ramp_months": 3},
    }

    def heads(moves_in_filled: bool) -> np.ndarray:
        data = base.model_dump(mode="json", exclude_none=True)
        data.pop("extends", None)
        data["timeline"] = [
            {"month": 2, "action": "add_unit", "unit": team, "moves_in_filled": moves_in_filled}
        ]
        scenario = load_text(yaml.safe_dump(data), "test")
        out = ccosim.simulate(scenario, runs=1, seed=1, workers=1)
        return out.monthly["cost_customer_success"][0]

    hired, moved = heads(False), heads(True)
    assert hired[2] == 0 and hired[4] == 0 and hired[5] > 0  # starts after the time to fill
    assert moved[2] > 0
