"""A comparison says "the same customers" only when it is true, and names no winner on a tie."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.compare import CompareError, run_comparison
from tests.conftest import SCENARIOS

CCO = SCENARIOS / "cco_full.yaml"
POST = SCENARIOS / "post_sales_cs.yaml"
YOUNG = SCENARIOS / "young_growth.yaml"
COMPANY = SCENARIOS / "_company.yaml"


def test_compare_all_shipped_files_skips_the_base_and_refuses_another_company(tmp_path):
    result = CliRunner().invoke(
        main,
        ["compare", *map(str, sorted(SCENARIOS.glob("*.yaml"))), "-o", str(tmp_path / "r")],
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "young_growth.yaml" in result.output and "initial_accounts" in result.output
    assert "_company.yaml" not in result.output.split("\n")[0] or "skipped" in result.output
    assert "--allow-different-companies" in result.output
    assert not (tmp_path / "r").exists()


def test_base_files_are_not_designs():
    c = run_comparison([COMPANY, POST, CCO], runs=2, years=1, attribution=False, workers=1)
    assert c.labels == ["post-sales + CS", "CCO org"] and c.paired
    assert any("_company.yaml skipped" in note for note in c.notes)
    with pytest.raises(CompareError, match="at least two"):
        run_comparison([COMPANY, CCO], runs=2, years=1, attribution=False)


def test_different_companies_only_when_asked_and_then_not_paired(tmp_path):
    with pytest.raises(CompareError, match=r"young_growth\.yaml"):
        run_comparison([CCO, YOUNG], runs=2, years=1, attribution=False, workers=1)
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(CCO),
            str(YOUNG),
            "--allow-different-companies",
            "--runs",
            "2",
            "--years",
            "2",
            "--workers",
            "1",
            "--no-attribution",
            "-q",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "NOT paired" in result.output
    markdown = (out / "report.md").read_text()
    assert "same simulated customers" not in markdown and "same customers" not in markdown
    assert markdown.count("NOT paired") >= 3  # subtitle, summary, difference tables and chart
    assert "better in" not in markdown, "no share of paired wins without pairing"
    assert json.loads((out / "data" / "results.json").read_text())["paired"] is False
    assert json.loads((out / "data" / "manifest.json").read_text())["paired"] is False


def _variant(folder, name: str, text: str):
    """A scenario extending cco_full.yaml from ``folder`` (extends paths are relative)."""
    import shutil

    for base in ("_company.yaml", "cco_full.yaml"):
        shutil.copy(SCENARIOS / base, folder / base)
    path = folder / name
    path.write_text("extends: cco_full.yaml\n" + text)
    return path


def test_a_horizon_is_never_changed_silently(tmp_path):
    short = _variant(tmp_path, "short.yaml", "name: short\nlabel: short CCO\nhorizon_years: 5\n")
    with pytest.raises(CompareError, match="horizon_years: 9 vs 5"):
        run_comparison([POST, short], runs=2, attribution=False, workers=1)
    c = run_comparison([POST, short], runs=2, years=2, attribution=False, workers=1)
    assert c.paired and c.years == (1, 2), "an explicit --years applies to every design"


def test_labels_come_from_label_then_file_stem(tmp_path):
    plain = _variant(tmp_path, "my_org.yaml", "name: Imported org\nlabel: null\n")
    c = run_comparison([POST, plain], runs=2, years=1, attribution=False, workers=1)
    assert c.labels == ["post-sales + CS", "my_org"]


def test_a_design_against_itself_names_no_winner(tmp_path):
    out = tmp_path / "same"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(CCO),
            str(CCO),
            "--runs",
            "2",
            "--years",
            "2",
            "--workers",
            "1",
            "--no-attribution",
            "-q",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    c = run_comparison([CCO, CCO], runs=2, years=2, attribution=False, workers=1)
    for kpi in ("nrr", "arr", "org_cost"):
        assert c.leader(kpi) is None
        assert all(r.level_with_leader for r in c.ranking(kpi))
    summary = (out / "report.md").read_text().split("## Headline KPIs")[0]
    assert "no single highest value" in summary and "(best)" not in summary
    assert "has the highest value" not in summary
