"""A structure model that lets any design win or lose: every effect a setting, no built-in order."""

from __future__ import annotations

import numpy as np

import ccosim
from ccosim.scenario import load
from ccosim.sim.model import Engine
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
