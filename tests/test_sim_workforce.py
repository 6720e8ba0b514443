"""The workforce's running totals agree with the arrays they summarise."""

from __future__ import annotations

import numpy as np

import ccosim
from ccosim.sim.model import Engine
from ccosim.sim.params import compile_params
from tests.conftest import SCENARIOS


def test_pending_is_the_pipeline_not_yet_started_through_org_changes():
    timeline = [
        {"month": 4, "action": "set_headcount", "id": "support_agents", "headcount": 2},
        {"month": 7, "action": "remove_unit", "id": "customer_marketing"},
    ]
    scenario = ccosim.load(
        SCENARIOS / "post_sales_cs.yaml",
        {"horizon_years": 1, "timeline": timeline, "org.units.csm_mid_market.staffing.per_head": 8},
    )
    engine = Engine(compile_params(scenario), 1, 0)
    wf = engine.wf
    step = wf.step
    checked = []

    def checking_step(month: int, drivers: np.ndarray) -> None:
        step(month, drivers)
        expected = wf.pipeline[:, month + 1 :].sum(axis=1)
        np.testing.assert_allclose(wf.pending, expected, rtol=1e-12, atol=1e-12)
        checked.append(bool(expected.any()))

    wf.step = checking_step
    engine.run()
    assert len(checked) == 12 and any(checked)
