"""What a CCO is worth: the executive in post with a mandate, not shorter reporting lines.

Every run here is seeded (common random numbers between the orgs of one business case), so a
test's outcome is fixed; the margins named in each test say how far the figures sit from the
claim, in units of the run-to-run spread, which is the false-alarm rate the test would have
with other seeds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import ccosim
from ccosim.experiment.business_case import business_case_designs, run_business_case
from ccosim.org.graph import OrgGraph
from ccosim.report.business_case_report import case_json, one_pager_text
from ccosim.scenario import load
from ccosim.sim.model import Engine
from ccosim.sim.org_effects import attention, executive_quality, post_sale_owner
from ccosim.sim.params import compile_params
from tests.conftest import SCENARIOS

CURRENT = SCENARIOS / "post_sales_cs.yaml"
CCO = SCENARIOS / "cco_full.yaml"
FLAT = SCENARIOS / "cco_flat_ceo.yaml"
PROMOTE = SCENARIOS / "cco_promote_vp_cs.yaml"
NO_TURNOVER = ("assumptions.leadership.turnover=false",)


def _effects(path, **overrides):
    return compile_params(load(path, {"horizon_years": 1, **overrides})).epochs[0].effects


# ---- 1. executive attention ------------------------------------------------------------


def test_a_ceo_over_the_span_limit_gives_each_report_limit_over_span():
    scenario = load(FLAT, {"horizon_years": 1})
    graph = OrgGraph(scenario.org.units, scenario.assumptions)
    assert graph.span("ceo") == 13 and graph.span_limit("ceo") == 8
    assert attention(graph, scenario.assumptions, "ceo") == pytest.approx(8 / 13)
    calm = load(FLAT, {"horizon_years": 1, "assumptions.leadership.attention_penalty": 0.0})
    assert attention(graph, calm.assumptions, "ceo") == 1.0
    # Within the limit nothing is diluted: the CCO has 8 reports against 10.
    cco = load(CCO, {"horizon_years": 1})
    assert attention(OrgGraph(cco.org.units, cco.assumptions), cco.assumptions, "cco") == 1.0


def test_post_sale_teams_under_an_over_span_ceo_pay_for_it_even_as_owned():
    """With the CEO granted a full owner's mandate, what is left is the overload."""
    owned = {"assumptions.leadership.ceo_owner_mandate": 1.0}
    over = _effects(FLAT, **owned)
    roomy = _effects(FLAT, **owned, **{"assumptions.span.ceo_limit": 13})
    assert roomy.handoff["customer_success_to_renewals"] == 1.0
    assert roomy.cs_diverted_share == 0.0
    # 8/13 attention: the unattended 5/13 of the hand-off behaves 2 hops further apart.
    expected = math.exp(-0.1 * 2 * (1 - 8 / 13))
    assert over.handoff["customer_success_to_renewals"] == pytest.approx(expected)
    assert over.cs_diverted_share == pytest.approx((1 - 8 / 13) * 0.2)


# ---- 2. an owner in post with a mandate ------------------------------------------------


def test_the_ceo_is_not_the_owner_of_net_retention_by_default():
    flat = load(FLAT, {"horizon_years": 1})
    graph = OrgGraph(flat.org.units, flat.assumptions)
    assert post_sale_owner(graph) is None
    assert executive_quality(graph, flat.assumptions, "ceo", post_sale=True) == 0.0
    effects = _effects(FLAT)
    assert not effects.single_owner and effects.churn_multiplier == 1.0
    # Post-sale hand-offs that meet at the CEO count as two hops further apart, as they are
    # under two executives in post_sales_cs; CS is pulled into reactive work as under Services.
    current = _effects(CURRENT)
    assert effects.handoff["customer_success_to_renewals"] == pytest.approx(
        current.handoff["customer_success_to_renewals"]
    )
    assert effects.cs_diverted_share == pytest.approx(current.cs_diverted_share)


def test_the_ccos_benefits_scale_with_the_seats_mandate():
    full = _effects(CCO)
    assert full.single_owner and full.churn_multiplier == pytest.approx(0.95)
    assert full.cs_diverted_share == 0.0
    none = {
        f"org.units.cco.seat.mandate.{k}": 0.0 for k in ("authority", "aligned_metrics", "budget")
    }
    figurehead = _effects(CCO, **none)
    assert figurehead.churn_multiplier == 1.0 and figurehead.expansion_multiplier == 1.0
    assert figurehead.cs_diverted_share == pytest.approx(0.2)
    assert figurehead.handoff["customer_success_to_renewals"] < 1.0
    half = _effects(CCO, **{"org.units.cco.seat.mandate.authority": 0.5})
    assert half.churn_multiplier == pytest.approx(1 - 0.05 * (2.5 / 3))


@pytest.fixture(scope="module")
def three_years():
    """The CCO org against post_sales_cs over 3 years, 6 runs: filled, no turnover, vacant."""
    kw = {"runs": 6, "years": 3, "goal_seek": False, "workers": 2}
    return {
        "filled": run_business_case(CURRENT, CCO, **kw),
        "no_turnover": run_business_case(CURRENT, CCO, set_options=NO_TURNOVER, **kw),
        "vacant": run_business_case(
            CURRENT, CCO, set_target=("org.units.cco.seat.never_filled=true",), **kw
        ),
    }


def test_a_seat_vacant_for_the_whole_horizon_gives_back_three_quarters_of_the_grr_lift(
    three_years,
):
    filled = three_years["filled"].yearly_delta("grr")
    vacant = three_years["vacant"]
    lift, kept = float(np.mean(filled.mean)), float(np.mean(vacant.yearly_delta("grr").mean))
    # Measured: filled +0.78 pts a year, vacant -0.07 pts (6 runs; the filled lift's paired
    # 95% interval in its worst year is about +-0.35 pts, so the gap is several of them).
    assert lift > 0 and kept <= 0.25 * lift
    # Never filled: no pay, no search fee.
    assert vacant.one_time_costs()["search_fees"] == 0.0
    assert float(np.mean(vacant.yearly_delta("org_cost").mean)) < 0


# ---- 3. executive turnover --------------------------------------------------------------


def test_with_turnover_the_business_case_reports_who_left_and_is_worth_less(three_years):
    on, off = three_years["filled"], three_years["no_turnover"]
    data, data_off = case_json(on), case_json(off)
    assert data_off["p_leader_leaves"] == 0.0
    # 3 years, mean tenure 29.4 months from the CCO's start: 1 - exp(-36/29.4) = 0.71 a run.
    assert 0.3 <= data["p_leader_leaves"] <= 1.0
    # Measured: NPV $2.0M with turnover, $3.0M without (the same customers in both).
    assert data["npv"]["mean"] < data_off["npv"]["mean"]
    assert on.one_time_costs()["search_fees"] > 0 == off.one_time_costs()["search_fees"]


def _engine(path, replication, **overrides):
    params = compile_params(load(path, {"horizon_years": 4, **overrides}))
    engine = Engine(params, 11, replication)
    return engine


def test_departures_are_drawn_per_replication_and_reproducible():
    runs = []
    for replication in (0, 3, 0):
        engine = _engine(CCO, replication)
        engine.run()
        runs.append(engine.leadership.departures)
    assert runs[0] == runs[2] and runs[0] != runs[1]
    assert all(uid == "cco" for run in runs for _, uid in run)
    quiet = _engine(CCO, 0, **{"assumptions.leadership.turnover": False})
    quiet.run()
    assert quiet.leadership.departures == []
    # The flat org has no post-sale owner: nobody's seat turns over by default.
    assert compile_params(load(FLAT, {"horizon_years": 1})).epochs[0].turnover == ()


def test_departures_are_the_same_on_one_worker_or_two():
    scenario = load(CCO, {"horizon_years": 3})
    one, two = (ccosim.simulate(scenario, runs=4, seed=5, workers=w) for w in (1, 2))
    assert np.array_equal(one.monthly["leader_departures"], two.monthly["leader_departures"])
    assert one.monthly["leader_departures"].sum() > 0


def test_tenures_are_exponential_with_the_ccos_mean():
    engine = _engine(CCO, 0)
    draws = np.array([engine.leadership._tenure(29, 29.4) for _ in range(4000)])
    # Whole months, ceil of an exponential: mean 29.4 + about 0.5; sd about 29.4. Four
    # standard errors (about 1.9 months): a false alarm about once in 16,000 seeds.
    assert abs(draws.mean() - 29.9) < 4 * 29.4 / math.sqrt(draws.size)
    assert draws.min() >= 1
    assert np.mean(draws <= 12) == pytest.approx(1 - math.exp(-12 / 29.4), abs=0.03)


def test_a_leaders_effects_fade_over_the_decay_and_ramp_again_after_the_refill():
    engine = _engine(CCO, 1)
    seen: list[float] = []
    update = engine.structure.update

    def record(month: int) -> None:
        update(month)
        seen.append(engine.structure.effects.churn_multiplier)

    engine.structure.update = record  # type: ignore[method-assign]
    engine.run()
    month, _ = engine.leadership.departures[0]
    before = seen[month - 1]
    decay = engine.params.assumptions.leadership.effects_decay_months
    assert seen[month] == before  # the month of the departure: w = 0
    # Half-way through the decay, half of the way back to no single owner (1.0).
    assert seen[month + int(decay / 2)] == pytest.approx(before + (1 - before) * 0.5)
    refill = engine.params.epochs[0].turnover[0][2]
    back = month + int(refill)
    assert seen[back + 6] < seen[back]  # the next CCO's effects ramp in again


# ---- never filled, vacant with --hire-month ---------------------------------------------


def test_vacant_with_a_hire_month_is_a_seat_that_stays_empty():
    case = run_business_case(
        CURRENT,
        CCO,
        hire_month=6,
        runs=4,
        years=3,
        goal_seek=False,
        workers=2,
        set_target=("org.units.cco.vacant=true",),
    )
    # The teams move under the empty seat at once: no search, no CCO pay.
    assert case.in_post_month == 6 and case.one_time_costs()["search_fees"] == 0.0
    proposed = case.comparison.results[case.proposed].monthly
    assert proposed["cost_executive"][:, 6:].max() < (
        case.comparison.results[case.current].monthly["cost_executive"][:, 6:].min()
    )
    # No structural lift: measured -0.18 pts of GRR a year (the move's dip and attrition).
    assert float(np.mean(case.yearly_delta("grr").mean)) <= 0.0
    assert float(np.mean(case.yearly_delta("nrr").mean)) <= 0.0
    # ... and the one-pager says so: no "search opens", no "CCO in post".
    assert case.seat_left_vacant
    text = one_pager_text(case)
    assert "never filled" in text and "CCO in post" not in text and "search open" not in text


# ---- 7. the options on the shipped company ----------------------------------------------


def test_the_flat_org_earns_at_most_half_the_ccos_nine_year_net_value():
    kw = {"hire_month": 12, "runs": 4, "years": 9, "goal_seek": False, "workers": 2}
    cco = run_business_case(CURRENT, CCO, **kw)
    flat = run_business_case(CURRENT, FLAT, **kw)
    months = cco.net_value.shape[1]
    cco_value, flat_value = cco.net_value_at(months), flat.net_value_at(months)
    # Measured: CCO +$16.1M, flat -$2.3M (4 runs each; the CCO's paired 95% interval is
    # about +-$8M wide, so the gap is over four of its standard errors).
    assert cco_value.mean[0] > 0
    assert flat_value.mean[0] <= 0.5 * cco_value.mean[0]


def test_the_promoted_vp_is_an_internal_appointment_with_a_backfill():
    params = compile_params(load(PROMOTE, {"horizon_years": 1}))
    first = params.epochs[0]
    slot = params.unit_ids.index
    assert not any(kind == "search_fee" for kind, _, _ in first.changes)
    assert params.initial_filled[slot("cs_director")] == 0.0  # the backfill is hired
    assert (
        first.cost[slot("cco")]
        < compile_params(load(CCO, {"horizon_years": 1})).epochs[0].cost[slot("cco")]
    )
    assert first.turnover and first.turnover[0][0] == slot("cco")
    assert first.effects.churn_multiplier == pytest.approx(1 - 0.05 * (2.5 / 3))


# ---- 6. the lift that pays agrees with the NPV -------------------------------------------


def test_the_promotion_backfills_the_vps_seat_without_severance():
    _, _, proposed, _ = business_case_designs(CURRENT, PROMOTE, 12, 2)
    vacated = [e for e in proposed.timeline if e.action == "vacate_unit"]
    assert [(e.id, e.month) for e in vacated] == [("cs_director", 13)]
    params = compile_params(proposed)
    slot = params.unit_ids.index("cs_director")
    reorg = next(e for e in params.epochs if e.month == 13)
    assert ("add", slot, 0.0) in reorg.changes  # emptied, then hired: no severance for it
    assert not any(s == slot for kind, s, _ in reorg.changes if kind == "remove")


def test_when_the_npv_is_negative_the_lift_that_pays_is_above_the_models():
    case = run_business_case(
        CURRENT,
        CCO,
        runs=2,
        years=3,
        workers=2,
        set_target=("org.units.cco.cost=3000000",),
    )
    assert case.npv_at(36).mean[0] < -1e6  # a $3M-a-year CCO does not pay in 3 years
    seek = case.goal_seek
    assert seek is not None and seek.churn_cut is not None and seek.churn_cut > 0
    assert seek.grr_lift > seek.model_grr_lift
