"""One replay of the timeline serves validation, compilation and the org at a month."""

from __future__ import annotations

import pytest

import ccosim
from ccosim.scenario import ScenarioError
from ccosim.scenario.timeline import org_at, replay
from ccosim.sim.params import compile_params
from tests.conftest import SCENARIOS

HIRE = {
    "month": 6,
    "action": "add_unit",
    "unit": {
        "id": "cco",
        "title": "Chief Customer Officer",
        "function": "executive",
        "reports_to": "ceo",
        "headcount": 1,
    },
}
MOVE = {"month": 6, "action": "move_unit", "id": "cs_director", "reports_to": "cco"}
REMOVE = {"month": 12, "action": "remove_unit", "id": "cco"}


def _scenario(*events: dict) -> ccosim.Scenario:
    return ccosim.load(SCENARIOS / "post_sales_cs.yaml", {"timeline": list(events)})


def test_the_org_at_a_month_has_every_event_up_to_that_month():
    scenario = _scenario(REMOVE, HIRE, MOVE)  # out of month order in the file
    boss = {m: {u.id: u.reports_to for u in org_at(scenario, m)} for m in (0, 5, 6, 11, 12)}
    assert "cco" not in boss[0] and boss[5] == boss[0]
    assert boss[6]["cs_director"] == "cco" and boss[11] == boss[6]
    # Removing the CCO lifts its reports to the CEO.
    assert "cco" not in boss[12] and boss[12]["cs_director"] == "ceo"


def test_compilation_has_one_org_period_per_month_the_replay_changes():
    scenario = _scenario(HIRE, MOVE, REMOVE)
    periods = list(replay(scenario))
    assert [p.month for p in periods] == [0, 6, 12]
    assert [len(p.events) for p in periods] == [0, 2, 1]
    params = compile_params(scenario)
    assert [e.month for e in params.epochs] == [0, 6, 12]
    for period, epoch in zip(periods, params.epochs, strict=True):
        in_force = {params.unit_ids[i] for i in epoch.active.nonzero()[0]}
        assert in_force == {u.id for u in period.units}


def test_validation_reports_what_the_replay_leaves_out():
    bad_move = {"month": 3, "action": "move_unit", "id": "cs_director", "reports_to": "cco"}
    with pytest.raises(ScenarioError, match="'cco' names no unit present at month 3"):
        _scenario(HIRE, bad_move)
