"""A customer-experience function: a Head of CX can win or lose, and costs only when present.

The voice of the customer and journey fixes lift health (docs/model.md, "Customer
experience"); their sizes are assumptions whose ranges include no effect at all, so the
same team can pay for itself or be pure cost. Designs without a CX unit must run exactly
as before (the shipped scenarios' golden outputs pin that too).
"""

from __future__ import annotations

import numpy as np
import pytest

import ccosim
from ccosim.scenario.assumptions import CustomerExperienceModel
from ccosim.sim.customer_experience import CX, CustomerExperience
from tests.conftest import ROOT, SCENARIOS

EXAMPLE = ROOT / "examples" / "head_of_cx.yaml"
KEYS = "assumptions.customer_experience"


class Heads:
    def __init__(self, cx_heads: float) -> None:
        self.heads = [0.0] * (CX + 1)
        self.heads[CX] = cx_heads


def test_reach_and_journey_fixes_follow_the_documented_equations():
    rec = {"cx_reach": np.zeros(3)}
    model = CustomerExperienceModel(voice_lift=1.0, journey_lift=2.0, fix_months=12.0)
    cx = CustomerExperience(model, Heads(2.0), rec)  # 2 heads x 1,000 accounts: half of 4,000
    first = cx.step(0, 4000.0)
    assert rec["cx_reach"][0] == 0.5
    assert first == pytest.approx(1.0 * 0.5 + 2.0 * 0.5 / 12)
    second = cx.step(1, 4000.0)
    fixed = 0.5 / 12 + (0.5 - 0.5 / 12) / 12
    assert second == pytest.approx(0.5 + 2.0 * fixed)
    assert CustomerExperience(model, Heads(0.0), rec).step(2, 4000.0) == 0.0


def run(path, lifts=None, extra=()):
    study = ccosim.Study.from_files(
        [SCENARIOS / "cco_full.yaml", path],
        runs=3,
        years=3,
        set_options=[f"{KEYS}.{k}={v}" for k, v in (lifts or {}).items()] + list(extra),
        execution=ccosim.Execution(workers=1),
    )
    return ccosim.compare(study, attribution=False)


def test_cx_assumptions_touch_no_design_without_a_cx_unit():
    plain = ccosim.simulate(
        ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 2}), runs=2, seed=3, workers=1
    )
    lifted = ccosim.simulate(
        ccosim.load(
            SCENARIOS / "cco_full.yaml",
            {"horizon_years": 2, f"{KEYS}.voice_lift": 9.0, f"{KEYS}.journey_lift": 9.0},
        ),
        runs=2,
        seed=3,
        workers=1,
    )
    for kpi in ("arr", "grr", "nrr", "org_cost"):
        np.testing.assert_array_equal(plain.yearly[kpi], lifted.yearly[kpi])
    assert not plain.monthly["cx_reach"].any()


def test_a_head_of_cx_loses_without_effects_and_wins_with_large_ones():
    # The Head of CX is the CCO's ninth direct report, over the span limit of 8: the CCO's
    # attention thins (docs/model.md, "Executives: attention and mandate"). With that
    # mechanism off and no CX effect: the same customers, the same ARR, and the team's cost
    # on top.
    no_attention = ["assumptions.effects.executive_attention=false"]
    c = run(EXAMPLE, {"voice_lift": 0, "journey_lift": 0}, no_attention)
    cx, base = c.results["CCO org + CX"], c.results["CCO org"]
    np.testing.assert_allclose(cx.yearly["arr"], base.yearly["arr"], rtol=1e-12)
    assert (cx.mean("org_cost") > base.mean("org_cost")).all()
    assert (cx.mean("cost_customer_experience") > 0).all()
    # The top of both ranges: retention clearly better (paired interval above zero), and
    # the ARR gained in the final year exceeds the team's yearly cost.
    c = run(EXAMPLE, {"voice_lift": 2.5, "journey_lift": 5.0})
    cx = c.results["CCO org + CX"]
    assert c.delta("CCO org + CX", "grr").lo[-1] > 0
    gain = c.delta("CCO org + CX", "arr").mean[-1]
    assert gain > cx.mean("cost_customer_experience")[-1]
    assert cx.mean("cx_reach")[-1] > 0.5
