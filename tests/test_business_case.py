"""The CEO's business case: hire-month transitions, break-even, goal-seek and the one-pager."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.business_case import (
    _break_even,
    business_case_designs,
    run_business_case,
    split_set_options,
    transition_timeline,
)
from ccosim.experiment.compare import CompareError
from ccosim.scenario import load
from tests.conftest import SCENARIOS

CURRENT = SCENARIOS / "post_sales_cs.yaml"
CCO = SCENARIOS / "cco_full.yaml"


def test_transition_turns_the_current_org_into_the_cco_org():
    current, target = load(CURRENT), load(CCO)
    events = transition_timeline(current, target, 12)
    by_action: dict[str, list] = {}
    for event in events:
        by_action.setdefault(event["action"], []).append(event)
    assert [e["unit"]["id"] for e in by_action["add_unit"]] == ["cco"]
    moved = {e["id"]: e["reports_to"] for e in by_action["move_unit"]}
    assert moved["renewals_mgr"] == "cco" and moved["cs_director"] == "cco"
    assert moved["customer_marketing_lead"] == "cco" and moved["sc_mgr"] == "cco"
    assert [e["id"] for e in by_action["remove_unit"]] == ["vp_services"]
    # The search opens at month 12; the teams move when the CCO is in post (5-month search).
    assert by_action["add_unit"][0]["month"] == 12
    assert all(e["month"] == 17 for e in events if e["action"] != "add_unit")


def test_break_even_counts_from_the_hire():
    assert _break_even(np.array([0.0, 0.0, -1.0, -2.0, 1.0, 2.0]), 2) == 5
    assert _break_even(np.array([0.0, 0.0, 0.0]), 0) == 1
    assert _break_even(np.array([1.0, -1.0]), 0) is None


def test_nothing_differs_before_the_hire_and_the_case_pays_after():
    # A CCO who stays (turnover off): with turnover, 3 runs are too few for year 5's interval.
    case = run_business_case(
        CURRENT,
        CCO,
        hire_month=12,
        runs=3,
        years=5,
        workers=1,
        goal_seek=False,
        set_options=("assumptions.leadership.turnover=false",),
    )
    assert np.all(case.net_value[:, :12] == 0), "identical orgs before the hire month"
    grr = case.yearly_delta("grr")
    assert grr.mean[0] == 0 and grr.lo[4] > 0, "GRR rises once the CCO org is in place"
    assert all(m is None or m > 12 for m in case.break_even)


def test_goal_seek_finds_a_lift_that_pays_on_the_side_the_npv_says():
    case = run_business_case(CURRENT, CCO, runs=2, years=3, workers=1)
    seek = case.goal_seek
    assert seek is not None and seek.churn_cut is not None and seek.evaluations > 2
    ceiling = min(s.base_churn for s in load(CURRENT).customers.segments.values())
    assert 0 < abs(seek.churn_cut) <= ceiling
    # A negative NPV needs more lift than the model expects; a positive one affords less.
    negative = case.npv_at(36).mean[0] < 0
    assert (seek.churn_cut > 0) == negative
    assert (seek.grr_lift > seek.model_grr_lift) == negative


def test_cli_one_pager(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "business-case",
            str(CURRENT),
            "--with",
            str(CCO),
            "--runs",
            "2",
            "--years",
            "2",
            "--workers",
            "1",
            "--no-goal-seek",
            "--hire-month",
            "6",
            "-o",
            str(tmp_path / "bc"),
        ],
    )
    assert result.exit_code == 0, result.output
    for line in (
        "GRR lift",
        "NRR lift",
        "retained ARR",
        "added org cost",
        "net value",
        "break-even",
    ):
        assert line in result.output
    assert (tmp_path / "bc" / "report.html").exists()
    bad = CliRunner().invoke(
        main,
        ["business-case", str(CURRENT), "--with", str(CCO), "--years", "1", "--hire-month", "12"],
    )
    assert bad.exit_code == 2 and "--hire-month must be between 0 and 11" in bad.output


def test_business_case_includes_the_readiness_assessment(tmp_path):
    from tests.conftest import ROOT

    result = CliRunner().invoke(
        main,
        [
            "business-case",
            str(CURRENT),
            "--with",
            str(CCO),
            "--runs",
            "2",
            "--years",
            "2",
            "--workers",
            "1",
            "--no-goal-seek",
            "-o",
            str(tmp_path / "bc"),
            "--answers",
            str(ROOT / "examples" / "readiness_answers.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "CCO readiness:" in result.output
    assert "Readiness" in (tmp_path / "bc" / "report.html").read_text()


def _target_with(tmp_path, key, value, name="cco_leaves.yaml"):
    """The shipped CCO org with one top-level key replaced, beside its base file."""
    data = yaml.safe_load(CCO.read_text())
    shutil.copy(SCENARIOS / "_company.yaml", tmp_path / "_company.yaml")
    data[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _target_with_timeline(tmp_path, events):
    return _target_with(tmp_path, "timeline", events)


def test_the_cco_files_own_timeline_follows_the_transition(tmp_path):
    """A CCO who leaves at month 18 is not a success: the file's own timeline is kept."""
    leaves = _target_with_timeline(
        tmp_path, [{"month": 18, "action": "remove_unit", "id": "cco", "note": "CCO leaves"}]
    )
    kw = {"hire_month": 12, "runs": 3, "years": 3, "workers": 1, "goal_seek": False}
    stays = run_business_case(CURRENT, CCO, **kw)
    gone = run_business_case(CURRENT, leaves, **kw)
    cost = gone.comparison.results[gone.proposed].monthly["cost_executive"].mean(axis=0)
    stay_cost = stays.comparison.results[stays.proposed].monthly["cost_executive"].mean(axis=0)
    assert cost[17] == stay_cost[17] and cost[18] < stay_cost[18] - 30_000
    severance = gone.comparison.results[gone.proposed].monthly["severance"].mean(axis=0)
    assert severance[18] > 0  # the CCO's severance
    assert gone.yearly_delta("nrr").mean[2] < stays.yearly_delta("nrr").mean[2]


def test_a_target_timeline_before_the_cco_is_in_post_exits_2_naming_it(tmp_path):
    early = _target_with_timeline(
        tmp_path, [{"month": 14, "action": "move_unit", "id": "sc_mgr", "reports_to": "cro"}]
    )
    result = CliRunner().invoke(
        main,
        ["business-case", str(CURRENT), "--with", str(early), "--hire-month", "12", "--runs", "2"],
    )
    assert result.exit_code == 2
    assert "month 14 move_unit sc_mgr" in result.output and str(early) in result.output


def test_set_can_target_one_design_and_the_error_names_the_file():
    bad = CliRunner().invoke(
        main,
        ["business-case", str(CURRENT), "--with", str(CCO), "--set", "org.units.cco.vacant=true"],
    )
    assert bad.exit_code == 2 and "post_sales_cs.yaml" in bad.output
    assert "--set-current" in bad.output and "Traceback" not in bad.output
    assert split_set_options(
        ["cco_full:a.b=1", "target:c=2", "current:d=3", "e=4", "post_sales_cs:f=5"],
        "post_sales_cs",
        "cco_full",
    ) == (["d=3", "e=4", "f=5"], ["a.b=1", "c=2", "e=4"])
    kw = {"hire_month": 6, "runs": 2, "years": 2, "workers": 1, "goal_seek": False}
    slow = run_business_case(
        CURRENT, CCO, set_target=["org.units.cco.staffing.time_to_fill_months=9"], **kw
    )
    prefixed = run_business_case(
        CURRENT, CCO, set_options=["target:org.units.cco.staffing.time_to_fill_months=9"], **kw
    )
    assert slow.in_post_month == prefixed.in_post_month == 15
    assert np.array_equal(slow.net_value, prefixed.net_value)


def test_json_has_the_one_pager_figures_and_npv_is_below_net_value(tmp_path):
    out = tmp_path / "case.json"
    result = CliRunner().invoke(
        main,
        [
            "business-case",
            str(CURRENT),
            "--with",
            str(CCO),
            "--runs",
            "3",
            "--years",
            "6",
            "--workers",
            "1",
            "--no-goal-seek",
            "--hire-month",
            "12",
            "--json",
            str(out),
            "-o",
            str(tmp_path / "bc"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data == json.loads((tmp_path / "bc" / "data" / "business_case.json").read_text())
    assert len(data["grr_lift"]) == len(data["nrr_lift"]) == 6
    for key in ("net_value", "npv"):
        assert set(data[key]) == {"mean", "low", "high"}
    assert data["npv"]["mean"] < data["net_value"]["mean"]
    # The first search, plus one per CCO who left and was replaced (mean over the runs).
    searches = data["one_time_costs"]["search_fees"] / (0.3 * 457_500) * data["runs"]
    assert searches >= data["runs"] and searches == pytest.approx(round(searches))
    assert 0 <= data["p_leader_leaves"] <= 1
    assert data["one_time_costs"]["severance"] > 0
    assert len(data["monthly_net_value"]) == 72
    assert data["break_even_month"] is None or data["break_even_month"] >= 24
    assert [h["months"] for h in data["by_horizon"]] == [36, 60, 72]
    assert "NPV at 10% a year" in result.output and "months after the hire" in result.output
    args = ["business-case", str(CURRENT), "--with", str(CCO), "--runs", "2", "--years", "1"]
    piped = CliRunner().invoke(main, [*args, "--workers", "1", "--no-goal-seek", "--json", "-"])
    assert piped.exit_code == 0 and json.loads(piped.stdout)["years"] == 1


def test_with_a_hire_month_the_cco_files_own_ranges_are_drawn(tmp_path):
    # The CCO org with a hire month is the current file plus a timeline: its own ranges were
    # dropped silently, so --draws never varied them. Now they are drawn for the CCO org, and a
    # range both files give differently is refused (the draws are shared).
    fee = "assumptions.transition.search_fee_share"
    ranged = _target_with(
        tmp_path,
        "uncertainty",
        {fee: {"dist": "uniform", "low": 0.2, "high": 0.5, "reason": "search firms"}},
        "cco_ranged.yaml",
    )
    _, _, proposed, _ = business_case_designs(CURRENT, ranged, 12, 3)
    current = load(CURRENT, {"horizon_years": 3})
    assert fee in proposed.uncertainty and fee not in current.uncertainty
    assert set(current.uncertainty) < set(proposed.uncertainty)
    hop = "assumptions.handoff.decay_per_hop"
    clash = _target_with(
        tmp_path,
        "uncertainty",
        {hop: {"dist": "uniform", "low": 0.0, "high": 0.2, "reason": "narrower"}},
        "cco_ranged.yaml",
    )
    with pytest.raises(CompareError, match=rf"uncertainty\.{hop} is uniform"):
        business_case_designs(CURRENT, clash, 12, 3)
