"""The engine's mechanism components: each kernel keeps the argument types it was bound to.

The components call their kernels through the compiled entry point picked at the first call
(:func:`ccosim.sim.kernels.bind`), which trusts the arguments to keep their types; a drift
(an int where a float was, a non-contiguous view) would be read as the wrong type. With
``CHECK_TYPES`` on, every call checks, over designs that exercise every mechanism: the
archetypes, an org change mid-run (a CCO hired, with vacancy and phase-in), heterogeneous
churn, outcomes off and a churn change at a month.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import ccosim
from ccosim.sim import kernels
from ccosim.sim.model import Engine, run_replication
from ccosim.sim.params import compile_params
from tests.conftest import ARCHETYPES, SCENARIOS


def _designs() -> list[ccosim.Scenario]:
    two_years = {"horizon_years": 2}
    designs = [ccosim.load(SCENARIOS / f"{name}.yaml", two_years) for name in ARCHETYPES]
    hire = {
        "month": 5,
        "action": "add_unit",
        "unit": {
            "id": "cco_hired",
            "title": "Chief Customer Officer",
            "function": "executive",
            "reports_to": "ceo",
            "headcount": 1,
        },
    }
    moves = [
        {"month": 5, "action": "move_unit", "id": "cs_director", "reports_to": "cco_hired"},
        {"month": 9, "action": "set_headcount", "id": "support_agents", "headcount": 2},
    ]
    designs.append(
        ccosim.load(SCENARIOS / "post_sales_cs.yaml", {**two_years, "timeline": [hire, *moves]})
    )
    designs.append(
        ccosim.load(
            SCENARIOS / "cco_full.yaml",
            {
                **two_years,
                "customers.segments.smb.churn_alpha": 0.8,
                "customers.segments.smb.churn_beta": 4.0,
            },
        )
    )
    designs.append(
        ccosim.load(
            SCENARIOS / "cxo_tech_touch.yaml", {**two_years, "assumptions.org_effects": False}
        )
    )
    return designs


def test_bound_kernels_keep_their_argument_types(monkeypatch):
    monkeypatch.setattr(kernels, "CHECK_TYPES", True)
    monkeypatch.setattr(kernels, "_ENTRIES", {})
    for scenario in _designs():
        params = compile_params(scenario)
        run_replication((params, 3, 0))
        run_replication((params, 3, 1))  # the second finds the entry points of the first
        cut = (7, params.segments.churn_per_term * 0.5)
        run_replication((dataclasses.replace(params, churn_from=cut), 3, 0))
    assert kernels._ENTRIES  # the checks did run


def test_a_drifting_argument_type_is_refused(monkeypatch):
    monkeypatch.setattr(kernels, "CHECK_TYPES", True)
    monkeypatch.setattr(kernels, "_ENTRIES", {})

    class Owner:
        pass

    owner = Owner()
    kernels.bind(owner, "scores", kernels.live_scores)
    health, alive, out = np.array([10.0, 90.0]), np.array([True, True]), np.empty(2)
    assert owner.scores(health, alive, 2, 50.0, 75.0, out) == (2, 1, 1)
    assert owner.scores(health, alive, 2, 50.0, 75.0, out) == (2, 1, 1)
    with pytest.raises(TypeError, match="live_scores: argument types changed"):
        owner.scores(health, alive, 2.0, 50.0, 75.0, out)


def test_the_engine_wires_one_component_per_mechanism():
    engine = Engine(compile_params(ccosim.load(SCENARIOS / "cco_full.yaml")), 1, 0)
    mechanisms = (
        "book",
        "wf",
        "structure",
        "bookings",
        "onboarding",
        "training",
        "support",
        "services",
        "health",
        "renewals",
        "ledger",
    )
    for name in mechanisms:
        assert hasattr(engine, name), name
    assert len(vars(engine)) <= 20
