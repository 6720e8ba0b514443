"""Comparing designs: common random numbers, paired deltas, attribution, and the report folder."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.compare import MECHANISMS, CompareError, run_comparison
from ccosim.scenario import load, scenario_hash
from tests.conftest import SCENARIOS

CCO = SCENARIOS / "cco_full.yaml"
POST = SCENARIOS / "post_sales_cs.yaml"
VP = SCENARIOS / "vp_services.yaml"


def test_a_design_against_itself_differs_by_exactly_nothing():
    c = run_comparison([CCO, CCO], runs=2, years=3, attribution=False, workers=1)
    assert c.labels == ["cco_full", "cco_full-2"]
    for kpi in ("arr", "grr", "nrr", "org_cost"):
        d = c.delta("cco_full-2", kpi)
        assert np.all(d.mean == 0) and np.all(d.lo == 0) and np.all(d.hi == 0)


def test_attribution_adds_up_to_the_difference():
    c = run_comparison([POST, CCO], runs=2, years=3, workers=1)
    assert set(c.variants) == {(lb, m) for lb in c.labels for m in MECHANISMS}
    for kpi in ("grr", "nrr", "arr"):
        parts = c.attribution("cco_full", kpi, 3)
        full = np.mean(
            c.results["cco_full"].yearly[kpi][:, 2] - c.results["post_sales_cs"].yearly[kpi][:, 2]
        )
        assert sum(v for _, v in parts) == pytest.approx(full)
    # Post-sales CS -> CCO changes only structure, so the mechanisms carry most of the GRR gap.
    grr = dict(c.attribution("cco_full", "grr", 3))
    assert grr["staffing, service and the rest"] < 0.5 * sum(grr.values())


def test_seed_is_shared_and_baseline_chosen():
    c = run_comparison(
        [VP, CCO], baseline="cco_full", runs=2, years=2, seed=99, attribution=False, workers=1
    )
    assert c.seed == 99 and c.baseline == "cco_full"
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
    assert "cco_full" in result.output and "report:" in result.output
    html = (out / "report.html").read_text()
    for title in (
        "Headline",
        "ARR and retention",
        "Bookings",
        "Customer health",
        "primary measurement",
        "attribution",
        "Assumptions in force",
    ):
        assert title in html
    assert html.count("<svg") >= 6
    data = json.loads((out / "data" / "results.json").read_text())
    assert data["baseline"] == "post_sales_cs" and set(data["designs"]) == {
        "post_sales_cs",
        "cco_full",
    }
    manifest = json.loads((out / "data" / "manifest.json").read_text())
    assert manifest["overrides"] == ["customers.segments.smb.acv=9500"]
    resolved = load(out / "data" / "scenarios" / "cco_full.resolved.yaml")
    assert resolved.customers.segments["smb"].acv == 9500 and resolved.horizon_years == 3
    assert scenario_hash(resolved) == manifest["scenarios"][1]["sha256"]
    assert (out / "report.md").read_text().count("](figures/") >= 6
    header = (out / "data" / "kpis_yearly.csv").read_text().splitlines()[0]
    assert header == "scenario,replication,year,kpi,value"
    by_segment = (out / "data" / "kpis_by_segment.csv").read_text().splitlines()
    assert by_segment[0] == "scenario,segment,replication,year,kpi,value"
    assert any(line.startswith("cco_full,smb,0,1,nrr,") for line in by_segment)


def test_compare_refuses_existing_folder_before_running(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["compare", str(POST), str(CCO), "-o", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "keep.txt").read_text() == "mine"
