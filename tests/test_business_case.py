"""The CEO's business case: hire-month transitions, break-even, goal-seek and the one-pager."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.business_case import _break_even, run_business_case, transition_timeline
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
    assert all(e["month"] == 12 for e in events)


def test_break_even_counts_from_the_hire():
    assert _break_even(np.array([0.0, 0.0, -1.0, -2.0, 1.0, 2.0]), 2) == 5
    assert _break_even(np.array([0.0, 0.0, 0.0]), 0) == 1
    assert _break_even(np.array([1.0, -1.0]), 0) is None


def test_nothing_differs_before_the_hire_and_the_case_pays_after():
    case = run_business_case(
        CURRENT, CCO, hire_month=12, runs=3, years=3, workers=1, goal_seek=False
    )
    assert np.all(case.net_value[:, :12] == 0), "identical orgs before the hire month"
    grr = case.yearly_delta("grr")
    assert grr.mean[0] == 0 and grr.lo[1] > 0, "GRR rises once the CCO org is in place"
    assert all(m is None or m > 12 for m in case.break_even)


def test_goal_seek_finds_a_lift_that_pays():
    case = run_business_case(CURRENT, CCO, runs=2, years=3, workers=1)
    seek = case.goal_seek
    assert seek is not None and seek.churn_cut is not None and seek.evaluations > 2
    assert (
        0 < seek.churn_cut <= min(s.base_churn for s in load(CURRENT).customers.segments.values())
    )


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
