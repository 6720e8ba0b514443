"""The org at any month: `chart`, `org stats` and `org export` with --at-month."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.org import OrgGraph
from ccosim.scenario import load
from ccosim.scenario.timeline import replay, scenario_at

#: A 3-year scenario whose timeline hires a CCO (vacant) over the VP at month 6, grows a team
#: at 24, removes a team at 30 and adds an open team at 35 (the horizon is 36).
TRANSITION = """\
name: Transition
horizon_years: 3
customers:
  segments:
    smb: {initial_accounts: 100, acv: 9000, new_accounts_per_year: 20, base_churn: 0.15}
org:
  units:
    - {id: ceo, title: CEO, function: executive}
    - {id: vp, title: VP Services, function: executive, reports_to: ceo}
    - {id: team_a, title: CSMs, function: customer_success, reports_to: vp, headcount: 5}
    - {id: team_b, title: Trainers, function: training, reports_to: vp, headcount: 2}
timeline:
  - {month: 30, action: remove_unit, id: team_b}
  - month: 6
    action: add_unit
    unit: {id: cco, title: Chief Customer Officer, function: executive, reports_to: ceo,
           vacant: true}
  - {month: 6, action: move_unit, id: vp, reports_to: cco}
  - {month: 24, action: set_headcount, id: team_a, headcount: 8}
  - month: 35
    action: add_unit
    unit: {id: ops, title: CS Ops, function: operations, reports_to: cco, headcount: 2,
           open_headcount: 2}
"""


def _export(path: Path, tmp_path: Path, month: int) -> dict[str, dict[str, str]]:
    """`org export --at-month month` as CSV rows by unit id."""
    out = tmp_path / f"m{month}.csv"
    result = CliRunner().invoke(
        main, ["org", "export", str(path), "-o", str(out), "--at-month", str(month)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


@pytest.fixture
def transition(write_scenario: Callable[..., Path]) -> Path:
    return write_scenario(TRANSITION, "transition.yaml")


def test_the_export_at_a_month_differs_from_month_0_by_the_events_up_to_it(transition, tmp_path):
    start, month24, last = (_export(transition, tmp_path, m) for m in (0, 24, 36))
    assert list(start) == ["ceo", "vp", "team_a", "team_b"]
    # Month 24: the CCO hired (a vacant placeholder), the VP under it, team_a at 8; nothing else.
    assert set(month24) == {*start, "cco"}
    assert month24["cco"]["vacant"].lower() == "true" and month24["cco"]["reports_to"] == "ceo"
    assert month24["vp"]["reports_to"] == "cco"
    assert float(month24["team_a"]["headcount"]) == 8
    changed = {"vp": {"reports_to"}, "team_a": {"headcount", "total_cost"}}
    for unit_id, row in start.items():
        differs = {key for key, value in row.items() if month24[unit_id][key] != value}
        assert differs == changed.get(unit_id, set()), unit_id
    # After the last event: team_b gone, the open CS Ops team in.
    assert set(last) == {"ceo", "cco", "vp", "team_a", "ops"}
    assert float(last["ops"]["open_headcount"]) == 2


def test_stats_and_chart_show_the_same_org_as_the_export(transition, tmp_path):
    runner = CliRunner()
    figures = {}
    for month in (0, 24):
        result = runner.invoke(
            main, ["org", "stats", str(transition), "--json", "-", "--at-month", str(month)]
        )
        assert result.exit_code == 0, result.output
        figures[month] = json.loads(result.output)
        rows = _export(transition, tmp_path, month)
        assert figures[month]["units"] == len(rows)
        assert figures[month]["headcount"] == sum(float(r["headcount"]) for r in rows.values())
    assert figures[24]["layers"] == figures[0]["layers"] + 1  # the CCO's layer

    svg = {}
    for month in (0, 24):
        out = tmp_path / f"chart{month}.svg"
        result = runner.invoke(
            main, ["chart", str(transition), "-o", str(out), "--at-month", str(month)]
        )
        assert result.exit_code == 0, result.output
        svg[month] = out.read_text(encoding="utf-8")
    assert "Chief Customer Officer" in svg[24] and "Chief Customer Officer" not in svg[0]


def test_the_scenario_at_a_month_replays_to_the_same_later_orgs(transition):
    scenario = load(transition)
    at = scenario_at(scenario, 24)
    assert [e.month for e in at.timeline] == [30, 35]
    later = {p.month: p.units for p in replay(scenario) if p.month >= 24}
    again = {p.month: p.units for p in replay(at)}
    assert again[0] == later[24] and again[30] == later[30] and again[35] == later[35]
    assert OrgGraph.from_scenario(scenario_at(scenario, 0)).units == (
        OrgGraph.from_scenario(scenario).units
    )


@pytest.mark.parametrize("command", [["chart"], ["org", "stats"], ["org", "export"]])
@pytest.mark.parametrize("month", ["37", "-1"])
def test_a_month_outside_the_horizon_is_refused(transition, tmp_path, command, month):
    args = [*command, str(transition), "--at-month", month]
    if command != ["org", "stats"]:
        args += ["-o", str(tmp_path / ("out.svg" if command == ["chart"] else "out.csv"))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    if month == "37":
        assert "--at-month 37" in result.output and "36 months" in result.output
    assert not list(tmp_path.glob("out.*"))
