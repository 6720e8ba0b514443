"""HRIS import that counts people as HR does: status, pay periods, e-mail managers, names.

Two exports written as BambooHR and Workday write them, each with a terminated employee,
an hourly-paid one, a blank salary, a manager given by e-mail, and pay that looks like
another period's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.io.hris import import_hris_csv
from ccosim.org import OrgGraph
from ccosim.org.analytics import format_stats, org_stats
from ccosim.org.people import resolve_unit
from ccosim.scenario import load

BAMBOO = """Employee #,First Name,Last Name,Job Title,Department,Reporting to,Work Email,\
Manager Email,Employment Status,Pay rate,Pay Frequency
1,Grace,Okafor,Chief Executive Officer,Executive,,grace@acme.com,,Full-Time,"250,000.00",Annual
2,Ben,Adler,VP Customer Success,Customer Success,"Okafor, Grace",ben@acme.com,,Full-Time,\
"180,000",Annual
3,Cara,Diaz,Customer Success Manager,Customer Success,,cara@acme.com,BEN@acme.com,Full-Time,\
"90,000",Annual
4,Dan,Eze,Support Agent,Support,Ben Adler,dan@acme.com,,Part-Time,28.50,Hourly
5,Eve,Fox,Support Agent,Support,Ben Adler,eve@acme.com,,Terminated,"60,000",Annual
6,Finn,Gray,Board Advisor,Executive,Grace Okafor,finn@acme.com,,Full-Time,,Annual
7,Gil,Hart,Support Agent,Support,Ben Adler,gil@acme.com,,Full-Time,31,Annual
"""

WORKDAY = """Employee ID,Worker,Business Title,Supervisory Organization,Manager,\
Primary Work Email,Manager Email,Worker Status,Pay Rate Type,Total Base Pay,FTE
W1,"Okafor, Grace",Chief Executive Officer,Executive,,grace@acme.com,,Active,Salary,250000,1
W2,"Adler, Ben",VP Customer Success,Customer Success,"Okafor, Grace",ben@acme.com,,Active,\
Salary,180000,1
W3,"Diaz, Cara",Customer Success Manager,Customer Success,,cara@acme.com,ben@acme.com,Active,\
Salary,90000,1
W4,"Eze, Dan",Support Agent,Support,"Adler, Ben",dan@acme.com,,Active,Hourly,28.50,0.5
W5,"Fox, Eve",Support Agent,Support,"Adler, Ben",eve@acme.com,,Terminated,Salary,60000,1
W6,"Gray, Finn",Board Advisor,Executive,"Okafor, Grace",finn@acme.com,,Active,Salary,,1
W7,"Hart, Gil",Support Agent,Support,"Adler, Ben",gil@acme.com,,Active,Salary,"2,954.55",1
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "prefix", "gil_pay", "gil_looks", "dan_fte"),
    [(BAMBOO, "", 31.0, "hourly", 1.0), (WORKDAY, "W", 2954.55, "monthly", 0.5)],
    ids=["bamboohr", "workday"],
)
def test_terminated_hourly_blank_pay_and_email_manager_give_hr_heads_and_costs(
    tmp_path: Path, text: str, prefix: str, gil_pay: float, gil_looks: str, dan_fte: float
) -> None:
    result = import_hris_csv(_write(tmp_path, "export.csv", text))
    units = {u.id: u for u in result.units}
    p = prefix
    # The terminated employee is left out and listed; everyone else is a person in post.
    assert f"{p}5" not in units
    assert [(n.line, n.id, n.name, n.detail) for n in result.listed.inactive] == [
        (6, f"{p}5", "Eve Fox", "Terminated")
    ]
    assert result.people == 6 and result.fte == 5 + dan_fte
    # Hourly pay is annualised (2,080 hours), then loaded (x 1.25).
    assert units[f"{p}4"].cost == pytest.approx(28.50 * 2080 * 1.25)
    assert units[f"{p}1"].cost == pytest.approx(250_000 * 1.25)
    # A blank salary: the function's default, listed.
    assert units[f"{p}6"].cost is None
    assert [(n.line, n.id) for n in result.listed.blank_pay] == [(7, f"{p}6")]
    # Pay read as annual that looks hourly or monthly: kept as given, named by row.
    assert units[f"{p}7"].cost == pytest.approx(gil_pay * 1.25)
    ((line, who, detail),) = [(n.line, n.id, n.detail) for n in result.listed.doubtful_pay]
    assert (line, who) == (8, f"{p}7") and detail.endswith(f"looks {gil_looks}")
    # Managers by e-mail (any case) and by "Last, First" names; names shown first-last.
    assert units[f"{p}3"].reports_to == f"{p}2" and units[f"{p}2"].reports_to == f"{p}1"
    assert units[f"{p}1"].name == "Grace Okafor"
    assert not result.problems
    headline = result.headline()
    assert headline.startswith(f"6 people ({5 + dan_fte:g} FTE)")
    assert "1 inactive left out" in headline and "1 without pay" in headline


def test_cli_summary_lists_each_row_and_the_yaml_marks_default_costs(tmp_path: Path) -> None:
    source = _write(tmp_path, "workday.csv", WORKDAY)
    out = tmp_path / "org.yaml"
    result = CliRunner().invoke(main, ["org", "import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "inactive, left out (1):\n  line 6: W5 Eve Fox (Terminated)" in text
    assert "no pay, the function's default cost (1):\n  line 7: W6 Finn Gray" in text
    assert "line 8: W7 Gil Hart (2,954.55 read as annual pay looks monthly)" in text
    assert "6 people (5.5 FTE)" in text and "1 inactive left out" in text
    written = out.read_text(encoding="utf-8")
    finn = next(line for line in written.splitlines() if "id: W6" in line)
    assert finn.endswith("# line 7; cost_source: default") and "cost:" not in finn
    dan = next(line for line in written.splitlines() if "id: W4" in line)
    assert "cost_source" not in dan
    assert "# Left out (inactive): line 6: W5 Eve Fox (Terminated)" in written
    assert yaml.safe_load(written)["org"]["units"][0]["name"] == "Grace Okafor"
    # org stats counts people (Dan, half-time, is one) with FTE beside.
    stats = org_stats(OrgGraph.from_scenario(load(out)))
    assert stats.people == 6 and stats.headcount == 5.5
    ben = next(m for m in stats.managers if m.id == "W2")
    assert (ben.span, ben.span_fte, ben.people_below) == (3, 2.5, 3)
    assert "6 people (5.5 FTE, 0 open)" in format_stats(stats)
    graph = OrgGraph.from_scenario(load(out))
    assert resolve_unit(graph.units, "Okafor, Grace") == "W1"


def test_include_inactive_and_pay_period_option(tmp_path: Path) -> None:
    text = "id,parent,name,title,employment_status,salary\n1,,Ada,CEO,Active,200000\n"
    text += "2,1,Bo,Agent,Inactive,4000\n3,2,Cy,Agent,Active,4500\n"
    source = _write(tmp_path, "hr.csv", text)
    kept = import_hris_csv(source, include_inactive=True, pay_period="monthly")
    assert {u.id for u in kept.units} == {"1", "2", "3"}
    assert kept.listed.inactive[0].id == "2" and "inactive kept" in kept.headline()
    assert {u.id: u.cost for u in kept.units}["3"] == pytest.approx(4500 * 12 * 1.25)
    # Monthly pay given as monthly raises no doubt; annual pay given as monthly does.
    assert [n.id for n in kept.listed.doubtful_pay] == ["1"]
    # Left out: Cy, who reported to Bo, goes to the next manager up.
    dropped = import_hris_csv(source, pay_period="monthly")
    assert {u.id: u.reports_to for u in dropped.units} == {"1": None, "3": "1"}
    assert any("next manager up" in n for n in dropped.notes)


def test_unknown_manager_email_and_bad_pay_period_name_the_row(tmp_path: Path) -> None:
    text = "id,name,title,email,manager_email,pay_frequency,salary\n"
    text += "1,Ada,CEO,ada@x.com,,annual,200000\n2,Bo,Agent,bo@x.com,nobody@x.com,annual,90000\n"
    text += "3,Cy,Agent,cy@x.com,ada@x.com,fortnight-ish,90000\n"
    source = _write(tmp_path, "bad.csv", text)
    result = CliRunner().invoke(
        main, ["org", "import", str(source), "-o", str(tmp_path / "o.yaml")]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "bad.csv:3: column 'manager_email': manager 'nobody@x.com'" in result.output
    assert "bad.csv:4: column 'pay_frequency': 'fortnight-ish' is not a pay period" in result.output


@pytest.mark.parametrize(
    ("cell", "period"),
    [("Hourly", "hourly"), ("per Month", "monthly"), ("Salary", "annual"),
     ("Exception hourly", "hourly"), ("Bi-weekly", "biweekly"), ("Commission", None)],
)  # fmt: skip
def test_pay_frequency_cells_as_hr_systems_write_them(cell: str, period: str | None) -> None:
    from ccosim.io.hris.options import pay_period_of

    assert pay_period_of(cell) == period


def test_dotted_line_managers_by_email_or_name(tmp_path: Path) -> None:
    text = "id,parent,name,title,email,matrix\n1,,Ada King,CEO,ada@x.com,\n"
    text += "2,1,Bo Lind,VP,bo@x.com,\n3,2,Cy Moss,Agent,cy@x.com,ada@x.com;Bo Lind\n"
    source = _write(tmp_path, "dotted.csv", text)
    result = import_hris_csv(source, columns={"dotted_to": "matrix"})
    assert {u.id: u.dotted_to for u in result.units}["3"] == ["1", "2"]
