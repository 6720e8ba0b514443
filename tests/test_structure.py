"""A structure model that lets any design win or lose: every effect a setting, no built-in order."""

from __future__ import annotations

import numpy as np

import ccosim
from ccosim.experiment.business_case import transition_timeline
from ccosim.scenario import load
from ccosim.scenario.timeline import org_at
from ccosim.sim.model import Engine
from ccosim.sim.org_effects import phase_weight
from ccosim.sim.params import compile_params
from tests.conftest import SCENARIOS

NEUTRAL = {
    "assumptions.handoff.decay_per_hop": 0.0,
    "assumptions.incentives.sales_lead_multiplier": 1.0,
    "assumptions.incentives.sales_health_multiplier": 1.0,
    "assumptions.incentives.services_diverted_share": 0.0,
    "assumptions.incentives.single_owner_churn_multiplier": 1.0,
    "assumptions.incentives.single_owner_expansion_multiplier": 1.0,
    "assumptions.span.overload_penalty": 0.0,
    "assumptions.leadership.unowned_diverted_share": 0.0,
}


def test_with_every_structural_effect_at_zero_the_cs_designs_keep_the_same_customers():
    """Where CS reports then changes nothing a customer sees: no design wins by construction."""
    grr, nrr = {}, {}
    for name in ("post_sales_cs", "cco_full", "cs_under_sales", "cxo_tech_touch"):
        scenario = load(SCENARIOS / f"{name}.yaml", {"horizon_years": 2, **NEUTRAL})
        out = ccosim.simulate(scenario, runs=2, seed=8, workers=1)
        grr[name], nrr[name] = out.yearly["grr"], out.yearly["nrr"]
    for name in grr:
        np.testing.assert_allclose(grr[name], grr["cco_full"], err_msg=name)
        np.testing.assert_allclose(nrr[name], nrr["cco_full"], err_msg=name)


def test_the_account_executive_hand_offs_cost_the_cco_org_and_help_cs_under_sales():
    hops = {
        name: compile_params(load(SCENARIOS / f"{name}.yaml")).epochs[0].effects.handoff_hops
        for name in ("post_sales_cs", "cco_full", "cs_under_sales")
    }
    # Sales consulting under the CCO is far from the account executives it helps close.
    assert hops["cco_full"]["sales_with_sales_consulting"] == 4
    assert hops["post_sales_cs"]["sales_with_sales_consulting"] == 2
    # CS under the CRO sits next to the account executives who hand it the customer.
    assert hops["cs_under_sales"]["sales_to_customer_success"] == 2
    assert hops["cco_full"]["sales_to_customer_success"] == 4
    # No design has every hand-off at the reference distance.
    for name, by_handoff in hops.items():
        assert any(d is not None and d > 2 for d in by_handoff.values()), name


def test_upsell_without_a_renewals_unit_is_converted_at_the_stated_rate():
    base = load(SCENARIOS / "post_sales_cs.yaml", {"horizon_years": 2})
    units = [u for u in base.org.units if u.function.value != "renewals"]
    no_reps = base.model_copy(update={"org": base.org.model_copy(update={"units": units})})
    out = ccosim.simulate(no_reps, runs=2, seed=8, workers=1)
    assert out.yearly["bookings_upsell"].min() > 0
    half = no_reps.model_copy(
        update={
            "assumptions": no_reps.assumptions.model_copy(
                update={
                    "renewals": no_reps.assumptions.renewals.model_copy(
                        update={"upsell_conversion_without_reps": 0.25}
                    )
                }
            )
        }
    )
    fewer = ccosim.simulate(half, runs=2, seed=8, workers=1)
    ratio = fewer.monthly["upsell_converted"].sum() / out.monthly["upsell_converted"].sum()
    assert 0.35 < ratio < 0.65  # half the rate, half the conversions (within draw noise)


class _Traced(Engine):
    """The engine, remembering one unit's heads in post and requisitions every month."""

    slot = 0

    def _month_close(self, month: int) -> None:
        super()._month_close(month)
        self.trace.append((float(self.wf.filled[self.slot]), float(self.wf.pending[self.slot])))


def _shrinking(layoffs: bool) -> tuple[np.ndarray, np.ndarray]:
    scenario = load(
        SCENARIOS / "cco_full.yaml",
        {
            "horizon_years": 2,
            "assumptions.workforce.layoffs": layoffs,
            "timeline": [
                {
                    "month": 6,
                    "action": "set_staffing",
                    "id": "csm_smb",
                    "staffing": {
                        "policy": "ratio",
                        "driver": "accounts",
                        "segment": "smb",
                        "per_head": 900,
                        "time_to_fill_months": 3,
                    },
                }
            ],
        },
    )
    params = compile_params(scenario)
    engine = _Traced(params, 8, 0)
    engine.slot = params.unit_ids.index("csm_smb")
    engine.trace = []
    out = engine.run()
    return np.array(engine.trace), out["monthly"]["severance"]


def test_a_falling_ratio_target_cancels_hiring_and_optionally_lays_off():
    (kept, kept_severance), (cut, cut_severance) = _shrinking(False), _shrinking(True)
    filled, pending = kept[:, 0], kept[:, 1]
    # The target falls to 2 at month 6: open requisitions are cancelled, and the heads above
    # the target leave by attrition without being replaced.
    assert pending[5] > 0 and pending[6] == 0
    assert np.all(np.diff(filled[6:18]) < 0) and filled[17] > 2
    assert kept_severance.sum() == 0
    # With layoffs: cut to the target at once, severance paid that month.
    assert cut[6, 0] == 2 and cut_severance[6] > 0


def test_every_hand_off_has_a_weight_that_can_switch_it_off():
    from ccosim.scenario.assumptions import HANDOFF_NAMES
    from ccosim.sim.org_effects import HANDOFFS

    assert tuple(name for name, _, _ in HANDOFFS) == HANDOFF_NAMES
    scenario = load(
        SCENARIOS / "post_sales_cs.yaml",
        {"assumptions.handoff.weights": {"customer_success_to_renewals": 0.0}},
    )
    effects = compile_params(scenario).epochs[0].effects
    assert effects.handoff_hops["customer_success_to_renewals"] == 4
    assert effects.handoff["customer_success_to_renewals"] == 1.0
    assert effects.handoff["customer_success_to_customer_marketing"] < 1.0


def test_reversed_effects_turn_their_sign():
    """A negative decay makes distance help; a sales home can be set to improve health."""
    reversed_ = load(
        SCENARIOS / "cs_under_sales.yaml",
        {
            "assumptions.handoff.decay_per_hop": -0.1,
            "assumptions.incentives.sales_health_multiplier": 1.2,
        },
    )
    effects = compile_params(reversed_).epochs[0].effects
    assert effects.handoff["onboarding_to_customer_success"] > 1.0
    assert effects.cs_health_multiplier > 1.0


def _with_cco_transition(*extra: dict, years: int = 3):
    """post_sales_cs with the move to cco_full from month 0 (in post at 5), then ``extra``."""
    current = load(SCENARIOS / "post_sales_cs.yaml", {"horizon_years": years})
    events = transition_timeline(current, load(SCENARIOS / "cco_full.yaml"), 0)
    return load(
        SCENARIOS / "post_sales_cs.yaml",
        {"horizon_years": years, "timeline": [*events, *extra]},
    )


#: The multipliers besides the hand-off factors that phase in (docs/model.md, "Phase-in").
RAMPED = (
    "cs_health_multiplier",
    "cs_lead_multiplier",
    "cs_diverted_share",
    "churn_multiplier",
    "expansion_multiplier",
)


class _Ramps(Engine):
    """The engine, remembering the phased-in multipliers in force every month."""

    def _workforce(self, month: int) -> None:
        super()._workforce(month)
        effects = self.structure.effects
        self.trace.append(
            {
                **{f"handoff.{k}": v for k, v in effects.handoff.items()},
                **{k: getattr(effects, k) for k in RAMPED},
            }
        )


def _ramps(scenario) -> dict[str, np.ndarray]:
    engine = _Ramps(compile_params(scenario), 8, 0)
    engine.trace = []
    engine.run()
    return {k: np.array([m[k] for m in engine.trace]) for k in engine.trace[0]}


def test_a_timeline_event_that_changes_nothing_changes_no_result():
    """A do-nothing event mid-way through the CCO's phase-in leaves every output as it was.

    The events: a headcount set to the one the unit has, a unit moved to its own manager.
    """
    base = _with_cco_transition()
    lead = next(u for u in org_at(base, 18) if u.id == "training_lead")
    same = _with_cco_transition(
        {"month": 18, "action": "set_headcount", "id": "training_lead", "headcount": 1.0},
        {"month": 18, "action": "move_unit", "id": "trainers", "reports_to": "training_lead"},
    )
    assert lead.headcount == 1.0 and lead.open_headcount == 0.0 and lead.staffing is None
    assert len(compile_params(same).epochs) == len(compile_params(base).epochs) + 1
    before = ccosim.simulate(base, runs=2, seed=8, workers=1)
    after = ccosim.simulate(same, runs=2, seed=8, workers=1)
    assert set(before.yearly) == set(after.yearly) and set(before.monthly) == set(after.monthly)
    for kind in ("yearly", "monthly"):
        for key, value in getattr(before, kind).items():
            assert np.array_equal(value, getattr(after, kind)[key], equal_nan=True), (kind, key)


def test_a_change_restarts_the_ramp_only_of_the_multipliers_it_touches():
    """Support moves under the CEO at month 18, while the CCO's effects are phasing in.

    Its hand-off with CS restarts its ramp from the value in force; every other multiplier
    keeps the ramp it was on.
    """
    years = 4
    base = _ramps(_with_cco_transition(years=years))
    moved = _ramps(
        _with_cco_transition(
            {"month": 18, "action": "move_unit", "id": "support_mgr", "reports_to": "ceo"},
            years=years,
        )
    )
    touched = "handoff.customer_success_with_support"
    # The CCO's change is still phasing in at month 18 (these would restart if reset).
    assert base["churn_multiplier"][17] != base["churn_multiplier"][-1]
    for key in base:
        if key != touched:
            assert np.array_equal(base[key], moved[key]), key
    old, new = base[touched], moved[touched]
    assert np.array_equal(old[:18], new[:18]) and new[-1] != old[-1]
    ramp = load(SCENARIOS / "post_sales_cs.yaml").assumptions.transition.effects_ramp_months
    start, end = new[17], new[-1]
    for month in range(18, 12 * years):
        w = phase_weight(month - 18, ramp)
        assert new[month] == start + (end - start) * w, month
