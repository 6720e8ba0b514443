"""What moved out of the CLI into the library: folders, calibration values, answers, tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ccosim.calibrate.retention import CalibrationError, fit_sbg, read_cohorts
from ccosim.calibrate.session import retention_calibration, retention_json
from ccosim.formatting import text_table
from ccosim.scenario import load
from ccosim.workflows.business_case import same_file_note
from ccosim.workflows.compare import default_folder, report_line
from ccosim.workflows.sweep import ranking_folder, sweep_folder
from tests.conftest import MINIMAL, ROOT, SCENARIOS


def test_default_folders_are_named_by_file_stem_bases_left_out():
    assert default_folder(["s/_company.yaml", "s/a.yaml", "s/b.yaml"]) == Path("reports/a-vs-b")
    many = [f"s/d{i}.yaml" for i in range(5)]
    assert default_folder(many) == Path("reports/d0-vs-4-designs")
    assert ranking_folder(many) == Path("reports/sweep-d0-vs-d1-vs-d2")
    assert ranking_folder(["x/a.yaml", "y/a.yaml"]) == Path("reports/sweep-a-vs-a-2")
    assert sweep_folder("scenarios/cco_full.yaml") == Path("reports/sweep-cco_full")
    assert "also report.md" in report_line(Path("r"), 20, drawn=False)
    assert "over 20 runs per design" in report_line(Path("r"), 20, drawn=True)


def test_a_business_case_of_one_file_against_itself_gets_a_note():
    same = SCENARIOS / "cco_full.yaml"
    assert "zero by construction" in same_file_note(same, same)
    assert same_file_note(same, SCENARIOS / "post_sales_cs.yaml") is None


def test_retention_values_match_the_fit_to_the_scenarios_one_segment(tmp_path, write_scenario):
    cohorts = tmp_path / "cohorts.csv"
    cohorts.write_text("period,active\n0,1000\n1,631\n2,468\n3,382\n")
    fits = {seg: fit_sbg(groups) for seg, groups in read_cohorts(cohorts).segments.items()}
    path = write_scenario(MINIMAL)
    found = retention_calibration(fits, cohorts, path, load(path))
    assert set(found.values) == {"smb"}
    assert found.values["smb"]["base_churn"] == pytest.approx(fits[""].mean_churn)
    assert found.comments[0].startswith("Calibrated by `ccosim calibrate retention")
    assert retention_json(fits, 5)["alpha"] == pytest.approx(fits[""].alpha)
    two = load(SCENARIOS / "cco_full.yaml")
    with pytest.raises(CalibrationError, match="no segment column"):
        retention_calibration(fits, cohorts, SCENARIOS / "cco_full.yaml", two)


def test_one_table_renderer_aligns_names_left_and_numbers_right():
    text = text_table([["kpi", "y1"], ["grr", "91.0%"], ["headcount", "7"]], rule=True)
    assert text.splitlines() == [
        "kpi           y1",
        "---------  -----",
        "grr        91.0%",
        "headcount      7",
    ]


def test_ccosim_simulate_stays_the_function_after_its_module_is_imported():
    code = (
        "import sys, ccosim.simulate; "
        "print(callable(ccosim.simulate), 'ccosim.simulate' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]


def test_a_compare_under_draws_runs_as_a_library_flow(tmp_path):
    from ccosim.experiment.study import Execution, Study
    from ccosim.workflows.answers import PointAnswers
    from ccosim.workflows.compare import compare_draws, point_comparison, write_compare_report

    files = [SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml"]
    study = Study.from_files(
        files, baseline="cco_full", runs=1, years=1, execution=Execution(workers=1)
    )
    drawn = compare_draws(study, 4)
    # Named by label, as the rest of the report names them (not by file stem).
    assert drawn.psa.labels == ("CCO org", "post-sales + CS") and drawn.psa.draws == 4
    assert "4 draws of" in drawn.to_text() and "P(best):" in drawn.to_text()
    assert drawn.to_dict()["designs"] == ["CCO org", "post-sales + CS"]
    comparison = point_comparison(study, drawn=drawn)
    assert comparison.runs == 20 and not comparison.variants, "point values: no attribution"
    assert "CCO org *" in PointAnswers(comparison).to_text()
    folder = write_compare_report(comparison, tmp_path / "report", drawn=drawn)
    assert (folder / "data" / "draws.csv").is_file()
