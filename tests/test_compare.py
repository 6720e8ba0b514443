"""Comparing designs: common random numbers, paired deltas, attribution, and the report folder."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.compare import MECHANISMS, TURNOVER, CompareError, run_comparison
from ccosim.scenario import load, scenario_hash
from ccosim.simulate import simulate
from tests.conftest import SCENARIOS

CCO = SCENARIOS / "cco_full.yaml"
POST = SCENARIOS / "post_sales_cs.yaml"
VP = SCENARIOS / "vp_services.yaml"


def test_a_design_against_itself_differs_by_exactly_nothing():
    c = run_comparison([CCO, CCO], runs=2, years=3, attribution=False, workers=1)
    assert c.labels == ["CCO org", "CCO org-2"]
    for kpi in ("arr", "grr", "nrr", "org_cost"):
        d = c.delta("CCO org-2", kpi)
        assert np.all(d.mean == 0) and np.all(d.lo == 0) and np.all(d.hi == 0)


def test_attribution_reruns_each_design_with_exactly_that_mechanism_off():
    # The remainder is defined so that the parts add up; what can break is the variants: each
    # must be the design re-run, on the same customers, with that one mechanism switched off.
    # A CCO who stays (turnover off): the lead of a CCO who may leave mixes the structure with
    # the seat's vacancies, which no mechanism switch removes (they fall to the remainder).
    stays = "assumptions.leadership.turnover"
    c = run_comparison([POST, CCO], runs=2, years=3, workers=1, set_options=(f"{stays}=false",))
    assert set(c.variants) == {(lb, m) for lb in c.labels for m in MECHANISMS}
    for label, path in (("post-sales + CS", POST), ("CCO org", CCO)):
        for mechanism in ("handoff_friction", "single_retention_owner"):
            off = load(
                path,
                {"horizon_years": 3, f"assumptions.effects.{mechanism}": False, stays: False},
            )
            again = simulate(off, runs=2, seed=c.seed, workers=1)
            np.testing.assert_array_equal(
                c.variants[(label, mechanism)].yearly["grr"], again.yearly["grr"]
            )
    # Each mechanism's share is the lead it carries: the full lead less the lead without it.
    lead = np.mean(c.results["CCO org"].yearly["grr"][:, 2]) - np.mean(
        c.results["post-sales + CS"].yearly["grr"][:, 2]
    )
    without = np.mean(c.variants[("CCO org", "handoff_friction")].yearly["grr"][:, 2]) - np.mean(
        c.variants[("post-sales + CS", "handoff_friction")].yearly["grr"][:, 2]
    )
    assert dict(c.attribution("CCO org", "grr", 3))["hand-off friction"] == pytest.approx(
        lead - without
    )
    # Post-sales CS -> CCO changes only structure, so the mechanisms carry most of the GRR gap.
    grr = dict(c.attribution("CCO org", "grr", 3))
    assert grr["staffing, service and the rest"] < 0.5 * sum(grr.values())


def test_a_leader_who_may_leave_gets_a_share_of_their_own_in_the_attribution():
    # With turnover on (the default), the CCO's vacancies are no longer lost in the remainder:
    # the turnover variant is each design re-run with every executive staying, on the same
    # customers, and its share is the lead less the lead without turnover. Before the nested
    # split, the remainder carried the interaction (+1.7 pts of NRR against -1.5 for turnover).
    c = run_comparison([POST, CCO], runs=2, years=3, workers=1)
    assert TURNOVER in c.mechanisms
    stays = load(CCO, {"horizon_years": 3, "assumptions.leadership.turnover": False})
    again = simulate(stays, runs=2, seed=c.seed, workers=1)
    np.testing.assert_array_equal(
        c.variants[("CCO org", TURNOVER)].yearly["nrr"], again.yearly["nrr"]
    )
    parts = dict(c.attribution("CCO org", "nrr", 3))
    full = np.mean(c.results["CCO org"].yearly["nrr"][:, 2]) - np.mean(
        c.results["post-sales + CS"].yearly["nrr"][:, 2]
    )
    without = np.mean(c.variants[("CCO org", TURNOVER)].yearly["nrr"][:, 2]) - np.mean(
        c.variants[("post-sales + CS", TURNOVER)].yearly["nrr"][:, 2]
    )
    assert parts["executives leaving"] == pytest.approx(full - without)
    assert sum(parts.values()) == pytest.approx(full)
    # The mechanisms share the lead with every executive staying: their variants run with
    # turnover off too, so no interaction of the leader's absence with the effects is left over.
    both_off = load(
        CCO,
        {
            "horizon_years": 3,
            "assumptions.leadership.turnover": False,
            "assumptions.effects.handoff_friction": False,
        },
    )
    again = simulate(both_off, runs=2, seed=c.seed, workers=1)
    np.testing.assert_array_equal(
        c.variants[("CCO org", "handoff_friction")].yearly["nrr"], again.yearly["nrr"]
    )


def test_seed_is_shared_and_baseline_chosen():
    c = run_comparison(
        [VP, CCO], baseline="cco_full", runs=2, years=2, seed=99, attribution=False, workers=1
    )
    assert c.seed == 99 and c.baseline == "CCO org"  # chosen by file stem, shown by label
    assert all(r.seed == 99 for r in c.results.values())
    with pytest.raises(CompareError, match="none of"):
        run_comparison([VP, CCO], baseline="nope", runs=2, attribution=False)
    with pytest.raises(CompareError, match="at least two"):
        run_comparison([VP], runs=2)


def test_compare_cli_writes_a_traceable_report(tmp_path):
    out = tmp_path / "report"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "compare",
            str(POST),
            str(CCO),
            "--runs",
            "2",
            "--years",
            "3",
            "--workers",
            "1",
            "-o",
            str(out),
            "--quiet",
            "--set",
            "customers.segments.smb.acv=9500",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "CCO org" in result.output and "report:" in result.output
    html = (out / "report.html").read_text()
    for title in (
        "Headline",
        "ARR and retention",
        "Bookings",
        "Customer health",
        "primary measurement",
        "attribution",
        "Executive summary",
        "Assumptions and org differences",
    ):
        assert title in html
    assert html.count("<svg") >= 6
    data = json.loads((out / "data" / "results.json").read_text())
    assert data["baseline"] == "post-sales + CS" and set(data["designs"]) == {
        "post-sales + CS",
        "CCO org",
    }
    manifest = json.loads((out / "data" / "manifest.json").read_text())
    assert manifest["overrides"] == ["customers.segments.smb.acv=9500"]
    resolved = load(out / "data" / manifest["scenarios"][1]["resolved"])
    assert resolved.customers.segments["smb"].acv == 9500 and resolved.horizon_years == 3
    assert scenario_hash(resolved) == manifest["scenarios"][1]["sha256"]
    assert (out / "report.md").read_text().count("](figures/") >= 6
    header = (out / "data" / "kpis_yearly.csv").read_text().splitlines()[0]
    assert header == "scenario,replication,year,kpi,value"
    by_segment = (out / "data" / "kpis_by_segment.csv").read_text().splitlines()
    assert by_segment[0] == "scenario,segment,replication,year,kpi,value"
    assert any(line.startswith("CCO org,smb,0,1,nrr,") for line in by_segment)


def test_compare_refuses_existing_folder_before_running(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["compare", str(POST), str(CCO), "-o", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "keep.txt").read_text() == "mine"
