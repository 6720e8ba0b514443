"""The command line a newcomer meets first: version, validate, schema, org stats."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from ccosim import __version__
from ccosim.cli import main
from tests.conftest import ARCHETYPES, MINIMAL, ROOT, SCENARIOS


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version_from_script_and_module():
    assert run("--version").output.strip() == f"ccosim, version {__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "ccosim", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert __version__ in out.stdout


def test_validate_summarises_each_file():
    result = run("validate", *(str(SCENARIOS / f"{n}.yaml") for n in ARCHETYPES))
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == len(ARCHETYPES) and all(line.startswith("ok ") for line in lines)
    assert "units" in lines[0] and "accounts" in lines[0]


def test_validate_failure_exits_nonzero_with_message_not_traceback(write_scenario):
    bad = write_scenario(MINIMAL.replace("base_churn: 0.15", "base_chrun: 0.15"))
    result = run("validate", str(bad), str(SCENARIOS / "cco_full.yaml"))
    assert result.exit_code == 2
    assert f"{bad}:10:7" in result.output and "did you mean 'base_churn'" in result.output
    assert "Traceback" not in result.output
    assert "1 of 2 files failed" in result.output


def test_scenario_errors_in_other_commands_are_messages(write_scenario):
    bad = write_scenario(MINIMAL.replace("reports_to: cco, headcount", "reports_to: x, headcount"))
    result = run("org", "stats", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "Traceback" not in result.output


def test_schema_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "schema.json"
    target.write_text("keep me")
    result = run("schema", "-o", str(target))
    assert result.exit_code == 2 and "--force" in result.output
    assert target.read_text() == "keep me"
    assert run("schema", "-o", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text())["title"] == "Scenario"


def test_org_stats_table_json_and_overrides():
    path = str(SCENARIOS / "cco_full.yaml")
    table = run("org", "stats", path)
    assert table.exit_code == 0
    assert "executive owner(s)" in table.output and "hand-off distance" in table.output
    data = json.loads(run("org", "stats", path, "--json", "-").output)
    changed = json.loads(
        run(
            "org", "stats", path, "--json", "-", "--set", "org.units.support_agents.headcount=30"
        ).output
    )
    assert changed["headcount"] == data["headcount"] + 20
    assert data["function_owners"]["renewals"] == {"cco": 5}


def test_org_stats_writes_a_folder_and_compares(tmp_path):
    out = tmp_path / "stats"
    paths = [str(SCENARIOS / f"{n}.yaml") for n in ARCHETYPES]
    result = run("org", "stats", *paths, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "owner of customer success" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.{ext}" for n in ARCHETYPES for ext in ("json", "txt")]
        + ["summary.txt", ".ccosim-output"]  # the mark that --force may replace the folder
    )
    again = run("org", "stats", *paths, "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.output
