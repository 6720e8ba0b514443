"""``ccosim run``: the table, --json, --years, --set, and no overwrite without --force."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ccosim.cli import main
from tests.conftest import SCENARIOS

SCENARIO = str(SCENARIOS / "cco_full.yaml")


def test_run_prints_a_yearly_table_and_writes_json(tmp_path):
    out = tmp_path / "r.json"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "run",
            SCENARIO,
            "--years",
            "2",
            "--runs",
            "2",
            "--seed",
            "3",
            "--set",
            "customers.segments.smb.base_churn=0.2",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "grr" in result.output and "y2" in result.output
    data = json.loads(out.read_text())
    assert data["years"] == [1, 2] and data["runs"] == 2 and data["seed"] == 3
    again = runner.invoke(main, ["run", SCENARIO, "--years", "1", "--json", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(main, ["run", SCENARIO, "--years", "1", "--json", str(out), "--force"])
    assert forced.exit_code == 0
    assert json.loads(out.read_text())["years"] == [1]


def test_run_json_to_stdout():
    result = CliRunner().invoke(main, ["run", SCENARIO, "--years", "1", "--json", "-"])
    assert result.exit_code == 0
    assert json.loads(result.output)["kpis"]["arr"]["mean"][0] > 0


def test_run_reports_a_bad_override_as_an_error():
    result = CliRunner().invoke(main, ["run", SCENARIO, "--set", "customers.segments.smb.acv=-1"])
    assert result.exit_code == 2 and "acv" in result.output
