"""``ccosim org import``: HRIS CSV exports into scenarios, and every way a real export is messy."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.io.authoring import scenario_yaml, write_scenario
from ccosim.io.hris import HrisImportError, import_hris_csv, load_keywords
from ccosim.org import OrgGraph
from ccosim.scenario import Function, load
from tests.conftest import SCENARIOS

ORACLE = Path(__file__).parent / "data" / "hris_oracle_hr_sample.csv"

CLEAN = """\
emp_id,manager_id,job_title,first_name,last_name,salary,department
1,,Chief Executive Officer,Ada,King,200000,Executive
2,1,VP Customer Success,Bo,Li,150000,Customer Success
3,2,Customer Success Manager,Cy,Ng,100000,Customer Success
4,2,Customer Success Manager,Di,Ox,80000,Customer Success
5,2,Support Engineer,Ed,Po,60000,Support
6,1,Account Executive,Fa,Qu,"120,000",Sales
"""


def _csv(tmp_path: Path, text: str, name: str = "hris.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _problems(path: Path, **options) -> list[str]:
    with pytest.raises(HrisImportError) as info:
        import_hris_csv(path, **options)
    return [p.describe(path.name) for p in info.value.problems]


def _import(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["org", "import", *args])
    return result.exit_code, result.output


# ---- the real sample -----------------------------------------------------------------------


def test_oracle_sample_imports_with_counts_and_functions_per_department(tmp_path: Path) -> None:
    result = import_hris_csv(ORACLE)
    assert result.employees == 107 and len(result.units) == 107
    assert result.root == "100" and result.problems == [] and result.notes == []
    assert result.columns["parent"] == "parentId" and result.columns["name"] == "name+lastName"
    assert result.departments == {
        "Accounting": "finance",
        "Administration": "operations",
        "Executive": "executive",
        "Finance": "finance",
        "Human Resources": "people",
        "IT": "engineering",
        "Marketing": "marketing",
        "Public Relations": "marketing",
        "Purchasing": "finance",
        "Sales": "new_business_sales",
        "Shipping": "operations",
    }
    units = {u.id: u for u in result.units}
    assert units["100"].name == "Steven King" and units["100"].cost == 24000 * 1.25
    # Kimberely Grant has no department: her title still says sales.
    assert units["178"].function is Function.new_business_sales

    out = tmp_path / "oracle.yaml"
    code, output = _import(tmp_path, str(ORACLE), "-o", str(out))
    assert code == 0, output
    graph = OrgGraph.from_scenario(load(out))
    assert len(graph) == 107 and graph.root == "100"
    assert graph.rollup_headcount("100") == 107
    assert out.read_text().count("replace with your customer base") >= 1


def test_oracle_sample_with_fold_teams_keeps_people_and_money(tmp_path: Path) -> None:
    plain = OrgGraph(import_hris_csv(ORACLE).units)
    folded = OrgGraph(import_hris_csv(ORACLE, fold_teams=True).units)
    assert len(folded) < len(plain) // 2
    assert folded.rollup_headcount(folded.root) == 107
    assert folded.rollup_cost(folded.root) == pytest.approx(plain.rollup_cost(plain.root))
    # Adam Fripp's (121) 4 stock clerks and 4 shipping clerks (all operations): one team.
    teams = [u for u in folded.units.values() if u.reports_to == "121" and u.headcount > 1]
    assert [(t.title, t.headcount) for t in teams] == [("Stock Clerk / Shipping Clerk", 8.0)]


# ---- columns, costs, functions -------------------------------------------------------------


def test_columns_are_guessed_and_costs_loaded(tmp_path: Path) -> None:
    result = import_hris_csv(_csv(tmp_path, CLEAN))
    assert result.columns == {
        "id": "emp_id",
        "parent": "manager_id",
        "title": "job_title",
        "name": "first_name+last_name",
        "cost": "salary",
        "department": "department",
    }
    units = {u.id: u for u in result.units}
    assert units["6"].cost == 150000  # "120,000" x 1.25
    assert units["2"].function is Function.customer_success
    assert units["5"].function is Function.support
    assert units["6"].function is Function.new_business_sales  # not 'executive'
    loaded = import_hris_csv(_csv(tmp_path, CLEAN), cost_is_loaded=True)
    assert {u.id: u.cost for u in loaded.units}["6"] == 120000
    monthly = import_hris_csv(_csv(tmp_path, CLEAN), monthly=True, loaded_multiplier=1.5)
    assert {u.id: u.cost for u in monthly.units}["6"] == 120000 * 12 * 1.5


def test_explicit_columns_and_a_missing_column_are_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "key,boss,role,who\n1,,CEO,A\n2,1,CFO,B\n")
    result = import_hris_csv(
        path, columns={"id": "key", "parent": "boss", "title": "role", "name": "who"}
    )
    assert [u.reports_to for u in result.units] == [None, "1"]
    assert _problems(path, columns={"id": "key", "parent": "manager", "title": "role"}) == [
        "hris.csv:1: column 'manager': --parent names column 'manager', which is not in the "
        "header; columns: key, boss, role, who"
    ]
    with pytest.raises(HrisImportError, match=r"no column for parent.*--parent COLUMN"):
        import_hris_csv(path, columns={"id": "key", "title": "role"})


def test_keyword_table_can_be_replaced(tmp_path: Path) -> None:
    table = tmp_path / "kw.yaml"
    table.write_text(
        "default: operations\nrules:\n  - {function: support, keywords: [account executive]}\n",
        encoding="utf-8",
    )
    result = import_hris_csv(_csv(tmp_path, CLEAN), keywords=load_keywords(table))
    functions = {u.id: u.function.value for u in result.units}
    assert functions["6"] == "support" and functions["1"] == "operations"
    table.write_text("rules:\n  - {function: helpdesk, keywords: [x]}\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"rule 1: 'helpdesk' is not a function"):
        load_keywords(table)


def test_fold_teams_counts_heads_and_averages_cost(tmp_path: Path) -> None:
    result = import_hris_csv(_csv(tmp_path, CLEAN), fold_teams=True)
    team = next(u for u in result.units if u.headcount > 1)
    assert team.reports_to == "2" and team.function is Function.customer_success
    assert team.headcount == 2 and team.cost == (100000 + 80000) * 1.25 / 2
    assert team.title == "Customer Success Manager" and team.name is None
    # The support engineer alone is not folded; the VP (a manager) never is.
    assert {u.id for u in result.units} >= {"1", "2", "5", "6"}
    assert result.lines[team.id] == [4, 5]


# ---- messy exports: one test per problem ----------------------------------------------------


def test_missing_manager_names_the_row_and_lenient_reattaches(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title\n1,,CEO\n2,1,CFO\n3,99,Clerk\n")
    assert _problems(path) == [
        "hris.csv:4: column 'parent': manager '99' of '3' is not in the file "
        "(re-attached under the top of the org)"
    ]
    result = import_hris_csv(path, lenient=True)
    assert {u.id: u.reports_to for u in result.units}["3"] == "1"


def test_cycle_names_its_rows_and_lenient_breaks_it(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title\n1,,CEO\n2,3,Director\n3,2,Manager\n4,3,Clerk\n")
    (problem,) = _problems(path)
    assert problem.startswith(
        "hris.csv:3: column 'parent': reporting cycle: 2 (line 3) -> 3 (line 4) -> 2 (line 3)"
    )
    result = import_hris_csv(path, lenient=True)
    parents = {u.id: u.reports_to for u in result.units}
    assert parents == {"1": None, "2": "1", "3": "2", "4": "3"}


def test_duplicate_id_names_both_rows_and_lenient_keeps_the_first(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title\n1,,CEO\n2,1,CFO\n2,1,CTO\n")
    assert _problems(path) == [
        "hris.csv:4: column 'id': duplicate id '2' (first on line 3) (skipped)"
    ]
    result = import_hris_csv(path, lenient=True)
    assert [u.title for u in result.units] == ["CEO", "CFO"]


def test_empty_row_is_named_and_lenient_skips_it(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title\n1,,CEO\n,,\n2,1,CFO\n")
    assert _problems(path) == ["hris.csv:3: empty row (skipped)"]
    assert len(import_hris_csv(path, lenient=True).units) == 2


def test_non_numeric_salary_names_row_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title,salary\n1,,CEO,200000\n2,1,CFO,n/a\n")
    assert _problems(path) == [
        "hris.csv:3: column 'salary': 'n/a' is not a number "
        "(imported with the function's default cost)"
    ]
    units = import_hris_csv(path, lenient=True).units
    assert units[1].cost is None  # the scenario's default for finance applies


def test_row_with_extra_cells_and_quoted_newlines_keep_true_line_numbers(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        'id,parent,title\n1,,"Chief\nExecutive"\n2,1,CFO,extra\n3,1,CTO\n3,1,Dup\n',
    )
    assert _problems(path) == [
        "hris.csv:4: 4 cells but the header has 3 columns (an unquoted comma?) (skipped)",
        "hris.csv:6: column 'id': duplicate id '3' (first on line 5) (skipped)",
    ]


def test_more_than_twenty_problems_are_counted_not_all_listed(tmp_path: Path) -> None:
    rows = "".join(f"{i},1,Clerk,oops\n" for i in range(2, 40))
    path = _csv(tmp_path, f"id,parent,title,salary\n1,,CEO,1\n{rows}")
    with pytest.raises(HrisImportError) as info:
        import_hris_csv(path)
    message = str(info.value)
    assert "38 problems" in message and "... and 18 more" in message
    assert message.count("is not a number") == 20


def test_several_tops_attach_under_the_biggest(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title\nx,,Board Advisor\n1,,CEO\n2,1,CFO\n3,2,Clerk\n")
    result = import_hris_csv(path)
    assert result.root == "1" and result.problems == []
    assert {u.id: u.reports_to for u in result.units}["x"] == "1"
    assert "2 employees have no manager; 1 (line 3, 2 people below) is the top" in result.notes[0]


# ---- the command ---------------------------------------------------------------------------


def test_cli_errors_exit_2_listing_rows_and_write_nothing(tmp_path: Path) -> None:
    path = _csv(tmp_path, "id,parent,title,salary\n1,,CEO,x\n\n2,7,CFO,1\n")
    out = tmp_path / "org.yaml"
    code, output = _import(tmp_path, str(path), "-o", str(out))
    assert code == 2 and "Traceback" not in output
    assert f"{path}:2: column 'salary'" in output and f"{path}:4: column 'parent'" in output
    assert "--lenient" in output
    assert not out.exists() and list(tmp_path.iterdir()) == [path]

    code, output = _import(tmp_path, str(path), "-o", str(out), "--lenient")
    assert code == 0, output
    assert "skipped or changed" in output and f"{path}:3: empty row" in output
    load(out)
    code, output = _import(tmp_path, str(path), "-o", str(out), "--lenient")
    assert code == 2 and "--force" in output


def test_cli_extends_a_customers_file_relative_to_the_output(tmp_path: Path) -> None:
    base = tmp_path / "company" / "customers.yaml"
    base.parent.mkdir()
    company = load(SCENARIOS / "_company.yaml")
    segments = {k: v.model_dump(mode="json") for k, v in company.customers.segments.items()}
    import yaml

    base.write_text(yaml.safe_dump({"customers": {"segments": segments}}), encoding="utf-8")
    out = tmp_path / "designs" / "ours.yaml"
    code, output = _import(
        tmp_path,
        str(_csv(tmp_path, CLEAN)),
        "-o",
        str(out),
        "--extends",
        str(base),
        "--scenario-name",
        "Our org today",
    )
    assert code == 0, output
    text = out.read_text()
    assert "extends: ../company/customers.yaml" in text and "customers:" not in text
    scenario = load(out)
    assert scenario.name == "Our org today" and set(scenario.customers.segments) == set(segments)

    code, output = _import(
        tmp_path,
        str(_csv(tmp_path, CLEAN)),
        "-o",
        str(tmp_path / "x.yaml"),
        "--extends",
        str(SCENARIOS / "_company.yaml"),
    )
    assert code == 2 and "has its own org.units" in output


def test_schema_comment_points_at_the_schema_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "scenario.schema.json").write_text("{}", encoding="utf-8")
    result = import_hris_csv(_csv(tmp_path, CLEAN))
    text = scenario_yaml(result, tmp_path / "org.yaml")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=scenario.schema.json"
    write_scenario(text, tmp_path / "org.yaml")
    assert load(tmp_path / "org.yaml").org.units[0].name == "Ada King"
