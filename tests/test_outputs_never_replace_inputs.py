"""No output ever replaces an input: every command refuses it with exit 2, even with --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.output import OutputPathError, check_writable
from tests.conftest import MINIMAL, ROOT, SCENARIOS


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def refused(result, victim: Path, before: bytes) -> None:
    """Exit 2, a message naming the input, no traceback, the input byte-identical."""
    assert result.exit_code == 2, result.output
    assert "an input of this command" in result.output and "even with --force" in result.output
    assert "Traceback" not in result.output
    assert victim.read_bytes() == before


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "S.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def test_calibrate_kpis_onto_its_scenario_is_refused(scenario):
    before = scenario.read_bytes()
    result = cli(
        "calibrate", "kpis", scenario, "--target", "smb.logo_retention=0.85",
        "-o", scenario, "--force", "-q",
    )  # fmt: skip
    refused(result, scenario, before)


def test_org_import_onto_its_csv_is_refused(tmp_path):
    csv_file = tmp_path / "X.csv"
    csv_file.write_text("id,name,title,manager_id\n1,Ada,CEO,\n2,Bob,CSM,1\n", encoding="utf-8")
    before = csv_file.read_bytes()
    refused(cli("org", "import", csv_file, "-o", csv_file, "--force"), csv_file, before)


def test_org_import_onto_the_file_it_extends_is_refused(tmp_path, scenario):
    csv_file = tmp_path / "X.csv"
    csv_file.write_text("id,name,title,manager_id\n1,Ada,CEO,\n2,Bob,CSM,1\n", encoding="utf-8")
    before = scenario.read_bytes()
    result = cli("org", "import", csv_file, "--extends", scenario, "-o", scenario, "--force")
    refused(result, scenario, before)


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_run_json_onto_its_scenario_is_refused(scenario, force):
    before = scenario.read_bytes()
    refused(cli("run", scenario, "--runs", "1", "--json", scenario, *force), scenario, before)


def test_an_output_onto_a_base_of_the_extends_chain_is_refused(tmp_path, scenario):
    child = tmp_path / "child.yaml"
    child.write_text("extends: S.yaml\nname: Child\n", encoding="utf-8")
    before = scenario.read_bytes()
    result = cli(
        "calibrate", "kpis", child, "--target", "smb.logo_retention=0.85",
        "-o", scenario, "--force", "-q",
    )  # fmt: skip
    refused(result, scenario, before)
    refused(cli("run", child, "--runs", "1", "--json", scenario, "--force"), scenario, before)


def test_a_report_folder_holding_an_input_is_refused(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    mine = folder / "cco.yaml"
    shutil.copy(SCENARIOS / "cco_full.yaml", mine)
    before = mine.read_bytes()
    refused(cli("org", "stats", mine, "-o", folder, "--force"), mine, before)


def test_calibrate_retention_and_accounts_never_write_over_their_data(tmp_path, scenario):
    cohorts = tmp_path / "cohorts.csv"
    shutil.copy(ROOT / "examples" / "cohorts.csv", cohorts)
    before = cohorts.read_bytes()
    result = cli(
        "calibrate", "retention", cohorts, "--scenario", scenario, "-o", cohorts, "--force"
    )
    refused(result, cohorts, before)
    result = cli("calibrate", "retention", cohorts, "--json", cohorts, "--force")
    refused(result, cohorts, before)
    ledger = tmp_path / "ledger.csv"
    shutil.copy(ROOT / "examples" / "ledger.csv", ledger)
    before = ledger.read_bytes()
    result = cli("calibrate", "accounts", ledger, scenario, "-o", ledger, "--force")
    refused(result, ledger, before)


def test_a_hard_link_to_an_input_is_the_input(tmp_path, scenario):
    link = tmp_path / "other-name.json"
    link.hardlink_to(scenario)
    with pytest.raises(OutputPathError, match="an input of this command"):
        check_writable(link, True, inputs=[scenario])
    check_writable(tmp_path / "new.json", True, inputs=[scenario])  # a different file is fine
