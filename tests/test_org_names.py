"""People's names everywhere: tables, selectors, filled vs open heads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.errors import CcosimError
from ccosim.io.authoring import scenario_yaml, write_scenario
from ccosim.io.hris import import_hris_csv
from ccosim.org import OrgGraph
from ccosim.org.org_diff import diff_orgs, format_diff
from ccosim.org.people import resolve_unit

NORTHWIND = Path(__file__).parent / "data" / "hris_northwind_employees.csv"


def _scenario(tmp_path: Path, csv_text: str, name: str) -> Path:
    source = tmp_path / f"{name}.csv"
    source.write_text(csv_text, encoding="utf-8")
    out = tmp_path / f"{name}.yaml"
    write_scenario(scenario_yaml(import_hris_csv(source), out), out)
    return out


@pytest.fixture
def northwind(tmp_path: Path) -> tuple[Path, Path]:
    """Northwind today and a to-be design.

    Callahan moves under Buchanan, Leverling is retitled (no salary, so her cost is a
    default), two open requisitions are added.
    """
    today = NORTHWIND.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(today)))
    for row in rows:
        if row["LastName"] == "Callahan":
            row["ReportsTo"] = "5"
        if row["LastName"] == "Leverling":
            row["Title"] = "Customer Success Manager"
    buffer = io.StringIO()
    fields = [*rows[0], "Status"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    writer.writerow({"EmployeeID": "REQ-1", "ReportsTo": "5", "Title": "Sales Representative",
                     "Status": "Open"})  # fmt: skip
    writer.writerow({"EmployeeID": "REQ-2", "ReportsTo": "2", "Title": "Sales Representative",
                     "Status": "Open"})  # fmt: skip
    return _scenario(tmp_path, today, "today"), _scenario(tmp_path, buffer.getvalue(), "next")


def test_stats_table_names_managers_and_rolls_up_their_cost(northwind) -> None:
    today, _ = northwind
    result = CliRunner().invoke(main, ["org", "stats", str(today)])
    assert result.exit_code == 0, result.output
    manager_rows = [ln for ln in result.output.splitlines() if ln.startswith("Andrew Fuller")]
    assert manager_rows and "Vice President, Sales" in manager_rows[0]
    assert any(ln.startswith("Steven Buchanan, Sales Manager") for ln in result.output.splitlines())
    assert "cost with team/yr" in result.output
    assert "* includes default costs" in result.output  # Northwind has no salaries


def test_root_accepts_id_name_or_title_and_reports_ambiguity(northwind) -> None:
    today, _ = northwind
    from ccosim.scenario import load

    units = OrgGraph.from_scenario(load(today)).units
    assert resolve_unit(units, "5") == "5"
    assert resolve_unit(units, "steven buchanan") == "5"
    assert resolve_unit(units, "Sales Manager") == "5"
    with pytest.raises(CcosimError, match=r"title of 6 units: 1 \(Nancy Davolio, Sales"):
        resolve_unit(units, "Sales Representative")
    with pytest.raises(CcosimError, match=r"names no unit.*did you mean 'Steven Buchanan'"):
        resolve_unit(units, "Steven Buchanon")


def test_diff_names_people_separates_open_heads_and_marks_default_costs(northwind) -> None:
    from ccosim.scenario import load

    today, nxt = northwind
    a, b = (OrgGraph.from_scenario(load(p)) for p in (today, nxt))
    diff = diff_orgs(a, b)
    text = format_diff(diff)
    assert "headcount 9 -> 11 (+2: 0 filled, +2 to hire)" in text
    assert "Laura Callahan, Inside Sales Coordinator" in text
    assert "Andrew Fuller, Vice President, Sales -> Steven Buchanan, Sales Manager" in text
    leverling = next(
        ln for ln in text.splitlines() if ln.startswith("Janet Leverling") and "cost" in ln
    )
    assert leverling.count("(default)") == 2
    assert diff.to_dict()["labels"]["8"] == "Laura Callahan, Inside Sales Coordinator"


def test_chart_root_by_name_and_rollup_cost_in_boxes(northwind, tmp_path: Path) -> None:
    today, _ = northwind
    out = tmp_path / "chart.svg"
    result = CliRunner().invoke(
        main,
        ["chart", str(today), "-o", str(out), "--root", "Steven Buchanan", "--show",
         "rollup_cost"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "Steven Buchanan" in svg and "Andrew Fuller" not in svg
    assert "with team" in svg
    ambiguous = CliRunner().invoke(
        main, ["chart", str(today), "-o", str(tmp_path / "x.svg"), "--root", "Sales Representative"]
    )
    assert ambiguous.exit_code == 2 and "give the id" in ambiguous.output
