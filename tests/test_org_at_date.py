"""The org at a calendar month: `--at YYYY-MM` beside `--at-month` on chart, org stats, export.

A user who plans by the calendar would miss: `--at 2027-06` showing another month's org than
the timeline gives for June 2027, a scenario without a start silently taken to start today,
and a mistyped date drawing month 0.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.scenario import ScenarioError, load
from ccosim.scenario.calendar import month_at, month_start

#: Starts in March 2027; a CCO is added at month 4 (July 2027), a team cut at month 10.
DATED = """\
name: Dated transition
horizon_years: 2
start_date: 2027-03
customers:
  segments:
    smb: {initial_accounts: 100, acv: 9000, new_accounts_per_year: 20, base_churn: 0.15}
org:
  units:
    - {id: ceo, title: CEO, function: executive}
    - {id: vp, title: VP Services, function: executive, reports_to: ceo}
    - {id: team_a, title: CSMs, function: customer_success, reports_to: vp, headcount: 5}
timeline:
  - month: 4
    action: add_unit
    unit: {id: cco, title: Chief Customer Officer, function: executive, reports_to: ceo,
           vacant: true}
  - {month: 4, action: move_unit, id: vp, reports_to: cco}
  - {month: 10, action: set_headcount, id: team_a, headcount: 3}
"""


@pytest.fixture
def dated(write_scenario: Callable[..., Path]) -> Path:
    return write_scenario(DATED, "dated.yaml")


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _export(path: Path, out: Path, *at: str) -> str:
    code, output = _invoke("org", "export", str(path), "-o", str(out), *at)
    assert code == 0, output
    return out.read_text(encoding="utf-8")


def test_a_calendar_month_is_the_month_counted_from_start_date(dated, tmp_path):
    scenario = load(dated)
    assert month_at(scenario, "2027-03") == 0
    assert month_at(scenario, "2027-07") == 4
    assert month_at(scenario, "2028-01") == 10
    assert month_start(scenario, 10).isoformat() == "2028-01-01"
    # The export at a date is the export at its month, and the org changes on that month.
    june, july = (_export(dated, tmp_path / f"{m}.csv", "--at", m) for m in ("2027-06", "2027-07"))
    assert june == _export(dated, tmp_path / "m3.csv", "--at-month", "3")
    assert july == _export(dated, tmp_path / "m4.csv", "--at-month", "4")
    rows = {r["id"]: r for r in csv.DictReader((tmp_path / "2027-07.csv").open(newline=""))}
    assert rows["vp"]["reports_to"] == "cco" and "cco" not in june


def test_stats_and_chart_take_the_date_too(dated, tmp_path):
    code, output = _invoke("org", "stats", str(dated), "--at", "2028-01", "--json", "-")
    assert code == 0, output
    by_date = json.loads(output)
    code, output = _invoke("org", "stats", str(dated), "--at-month", "10", "--json", "-")
    assert json.loads(output) == by_date
    assert (
        by_date["headcount"]
        != json.loads(_invoke("org", "stats", str(dated), "--json", "-")[1])["headcount"]
    )
    code, output = _invoke("chart", str(dated), "-o", str(tmp_path / "c.png"), "--at", "2027-07")
    assert code == 0, output
    assert (tmp_path / "c.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("2027-13", "'2027-13' is not a month: write YYYY-MM"),
        ("June 2027", "'June 2027' is not a month"),
        ("2027-02", "--at 2027-02 is before 'Dated transition' starts (start_date 2027-03)"),
        ("2029-04", "--at 2029-04 is month 25, past the horizon of 'Dated transition' (24 months"),
    ],
)
def test_a_bad_date_is_refused_naming_the_file_and_the_option(dated, tmp_path, given, says):
    code, output = _invoke(
        "org", "export", str(dated), "-o", str(tmp_path / "x.csv"), "--at", given
    )
    assert code == 2
    assert str(dated) in output and says in output
    assert "Traceback" not in output and not (tmp_path / "x.csv").exists()


def test_a_scenario_without_start_date_is_refused_naming_the_key(write_scenario, tmp_path):
    undated = write_scenario(DATED.replace("start_date: 2027-03\n", ""), "undated.yaml")
    for command in (
        ["chart", str(undated), "-o", str(tmp_path / "c.png")],
        ["org", "stats", str(undated)],
    ):
        code, output = _invoke(*command, "--at", "2027-06")
        assert code == 2, output
        assert "states no start_date" in output and "start_date: 2027-01" in output
        assert "--at-month" in output


def test_at_and_at_month_together_are_refused(dated, tmp_path):
    code, output = _invoke("org", "stats", str(dated), "--at", "2027-06", "--at-month", "3")
    assert code == 2 and "give --at-month or --at, not both" in output


@pytest.mark.parametrize("text", ["2027-6-1", "2027-02-30", "27-01"])
def test_start_date_must_be_a_month_or_a_date(write_scenario, text):
    path = write_scenario(DATED.replace("start_date: 2027-03", f"start_date: '{text}'"))
    with pytest.raises(ScenarioError, match="start_date"):
        load(path)


def test_start_date_may_be_a_full_date(write_scenario):
    scenario = load(write_scenario(DATED.replace("start_date: 2027-03", "start_date: 2027-03-15")))
    assert scenario.start_date == "2027-03-15"
    assert month_at(scenario, "2027-04") == 1
