"""``--draws`` on the command line: printed answers, --json, draws.csv, honest labels."""

from __future__ import annotations

import csv
import io
import json
import shutil

from click.testing import CliRunner

from ccosim.cli import main
from tests.conftest import SCENARIOS

CURRENT, CCO = str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")
SMALL = ["--years", "1", "--workers", "1", "--quiet"]


def test_business_case_draws_prints_answers_and_writes_json_and_draws(tmp_path):
    folder, answers = tmp_path / "report", tmp_path / "answers.json"
    args = ["business-case", CURRENT, "--with", CCO, "--draws", "6", "--runs", "1", *SMALL]
    result = CliRunner().invoke(main, [*args, "--json", str(answers), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    for text in (
        "P(NPV > 0)",
        "P(break-even within N years",
        "assumption uncertainty and customer",
    ):
        assert text in result.output
    data = json.loads(answers.read_text())
    assert {"p_npv_positive", "npv", "p_breakeven_by_year", "evppi"} <= set(data)
    assert {"p05", "p50", "p95"} <= set(data["npv"])
    assert set(data["evppi"]) == set(data["assumptions"])
    rows = list(csv.DictReader(io.StringIO((folder / "data" / "draws.csv").read_text())))
    assert len(rows) == 6 * 2 and {r["design"] for r in rows} == {"post-sales + CS", "CCO org"}
    assert "assumptions.handoff.decay_per_hop" in rows[0]
    # The draws have a data dictionary that a third-party validator accepts.
    package = json.loads((folder / "data" / "datapackage.json").read_text())
    fields = {
        f["name"]
        for r in package["resources"]
        if r["name"] == "draws"
        for f in r["schema"]["fields"]
    }
    assert set(rows[0]) == fields
    from frictionless import validate

    report = validate(folder / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert (folder / "report.html").exists() and (folder / "figures" / "npv_draws.png").exists()
    # Existing output is not replaced without --force, and nothing runs first.
    again = CliRunner().invoke(main, [*args, "--json", str(answers)])
    assert again.exit_code == 2 and "--force" in again.output


def test_compare_draws_json_to_stdout_has_p_best_summing_to_one(tmp_path):
    args = ["compare", CURRENT, CCO, str(SCENARIOS / "vp_services.yaml"), "--draws", "4"]
    result = CliRunner().invoke(
        main, [*args, "--runs", "1", *SMALL, "-o", str(tmp_path / "r"), "--json", "-"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["designs"][0] == "post-sales + CS"  # the baseline first, by its label
    for kpi in ("npv", "grr", "nrr", "arr"):
        assert abs(sum(data["p_best"][d][kpi] for d in data["designs"]) - 1) < 1e-12
    assert set(data["evppi"]) == set(data["assumptions"])


def test_runs_without_draws_say_their_intervals_exclude_assumption_uncertainty(tmp_path):
    result = CliRunner().invoke(
        main,
        ["business-case", CURRENT, "--with", CCO, "--runs", "2", "--no-goal-seek", *SMALL],
    )
    assert result.exit_code == 0, result.output
    assert "exclude assumption uncertainty" in result.output


def test_draws_without_uncertain_keys_is_a_clear_error(tmp_path, write_scenario):
    for name in ("_company.yaml", "post_sales_cs.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path / name)
    plain = write_scenario("extends: post_sales_cs.yaml\nuncertainty: null\n", name="plain.yaml")
    result = CliRunner().invoke(
        main, ["business-case", str(plain), "--with", str(plain), "--draws", "3", *SMALL]
    )
    assert result.exit_code == 2
    assert "no uncertain assumptions" in result.output


def test_sweep_over_several_designs_ranks_them_at_every_grid_point(tmp_path):
    args = [
        "sweep",
        CURRENT,
        CCO,
        "--vary",
        "assumptions.incentives.single_owner_churn_multiplier=0.8,1.2",
        "--set",
        "horizon_years=1",
        "--draws",
        "3",
        "--runs",
        "1",
        "--workers",
        "1",
        "--quiet",
        "-o",
        str(tmp_path / "sweep"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "P(best) covers assumption uncertainty and customer randomness" in result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "sweep" / "ranking.csv").read_text())))
    assert len(rows) == 2 * 2
    for value in ("0.8", "1.2"):
        point = [
            r for r in rows if r["assumptions.incentives.single_owner_churn_multiplier"] == value
        ]
        assert abs(sum(float(r["p_best"]) for r in point) - 1) < 1e-12
        best = max(point, key=lambda r: float(r["expected_npv"]))
        assert best["best"] == "True"
    # The folder says how it was made, as every ccosim output does.
    manifest = json.loads((tmp_path / "sweep" / "manifest.json").read_text())
    assert manifest["command"][0] == "ccosim" and manifest["seed"] == 2026
    assert (tmp_path / "sweep" / "scenarios" / "cco_full.resolved.yaml").is_file()


def test_compare_without_draws_names_the_assumed_mechanisms_that_carry_the_lead(tmp_path):
    args = ["compare", CURRENT, CCO, "--runs", "2", *SMALL, "-o", str(tmp_path / "c")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "exclude assumption uncertainty" in result.output
    assert "NRR difference rests mostly on" in result.output
    assert "These are assumed effect sizes" in result.output
    report = (tmp_path / "c" / "report.md").read_text()
    assert "do not cover uncertainty in the assumptions" in report
    assert "--draws N samples their ranges" in report


def test_business_case_draws_with_a_hire_month_and_one_designs_override(tmp_path):
    """The transition is rebuilt under each draw, and --set-target reaches the CCO org only."""
    args = ["business-case", CURRENT, "--with", CCO, "--draws", "4", "--runs", "1"]
    args += ["--hire-month", "3", "--years", "2", "--workers", "1", "--quiet", "--no-goal-seek"]
    npv = {}
    for name, extra in (
        ("as written", []),
        ("dearer CCO", ["--set-target", "org.units.cco.cost=2e6"]),
    ):
        out = tmp_path / f"{len(npv)}.json"
        result = CliRunner().invoke(main, [*args, *extra, "--json", str(out)])
        assert result.exit_code == 0, result.output
        npv[name] = json.loads(out.read_text())["npv"]["p50"]
    # The same draws and customers; only the CCO's cost differs, so the NPV must fall.
    assert npv["dearer CCO"] < npv["as written"]


def test_an_evpi_with_no_single_assumption_above_zero_is_said_in_words(monkeypatch):
    """A list of $0 under "worth researching first" would read as a ranking; it is not one."""
    from ccosim.experiment.decision import business_case_answers
    from ccosim.experiment.psa import psa_for_business_case
    from ccosim.report import uncertainty_report
    from ccosim.report.uncertainty_report import uncertainty_text

    # As if the draws were enough to rank the assumptions (they are 4 here, to stay fast).
    monkeypatch.setattr(uncertainty_report, "DRAWS_PER_ASSUMPTION", 0)

    psa = psa_for_business_case(CURRENT, CCO, draws=4, runs=1, years=1, workers=1)
    answers = business_case_answers(psa)
    answers["evpi"] = 13_000.0
    answers["evppi"] = dict.fromkeys(answers["evppi"], 0.0)
    text = uncertainty_text(psa, answers, "business-case")
    assert "no single assumption's value (EVPPI) is distinguishable from zero" in text
    assert "Worth researching first" not in text
    answers["evppi"][next(iter(answers["evppi"]))] = 9_000.0
    assert "Worth researching first" in uncertainty_text(psa, answers, "business-case")


def test_a_typo_in_a_design_names_its_file_and_line_once(tmp_path, write_scenario):
    for name in ("_company.yaml", "post_sales_cs.yaml", "cco_full.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path / name)
    typo = write_scenario(
        "extends: cco_full.yaml\nuncertainty:\n"
        "  assumptions.handoff.decay_per_hopp: {dist: uniform, low: 0, high: 0.3}\n",
        name="typo.yaml",
    )
    current = tmp_path / "post_sales_cs.yaml"
    result = CliRunner().invoke(
        main, ["business-case", str(current), "--with", str(typo), "--draws", "3", *SMALL]
    )
    assert result.exit_code == 2
    assert f"{typo}:3:3:" in result.output and result.output.count(str(typo)) == 1
    assert "did you mean 'decay_per_hop'" in result.output
    assert "--set-target" not in result.output  # no override was given: no hint about one


def test_a_business_case_of_one_file_against_itself_says_so():
    args = ["business-case", CCO, "--with", CCO, "--no-goal-seek", *SMALL]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "both orgs are the same scenario" in result.stderr
