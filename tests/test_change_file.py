"""The payroll-ready change file of ``org diff --moves``: one row per person HR has to touch."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.errors import CcosimError
from ccosim.io.authoring import scenario_yaml, write_scenario
from ccosim.io.hris import import_hris_csv
from ccosim.org.change_file import CHANGE_COLUMNS, ChangeRow, read_change_file

AS_IS = """id,parent,name,title,status,fte
1,,Ada King,CEO,,1
2,1,Bo Lind,VP Sales,,1
3,1,Cy Moss,VP Customer Success,,1
4,2,Di Nash,Support Manager,,1
5,4,Ed Ortiz,Support Agent,,1
6,4,Flo Park,Support Agent,,0.5
7,4,Gus Quinn,Support Agent,,1
8,4,Hal Rees,Support Agent,,1
9,3,Ivy Shaw,CSM,,1
10,2,Jo Tate,Account Executive,,1
"""


def _scenario(tmp_path: Path, text: str, name: str) -> Path:
    source = tmp_path / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"{name}.yaml"
    write_scenario(scenario_yaml(import_hris_csv(source), out), out)
    return out


@pytest.fixture
def reorg(tmp_path: Path) -> tuple[Path, Path]:
    """A 3-change reorg.

    The support manager moves to CS with her 4 agents, Ivy is retitled, a CSM requisition
    is added under Cy.
    """
    to_be = (
        AS_IS.replace("4,2,Di Nash", "4,3,Di Nash")
        .replace("Ivy Shaw,CSM", "Ivy Shaw,Senior CSM")
        .rstrip("\n")
        + "\nREQ-1,3,,CSM,Open,1\n"
    )
    return _scenario(tmp_path, AS_IS, "as_is"), _scenario(tmp_path, to_be, "to_be")


def test_three_change_reorg_gives_exactly_the_rows_hr_expects_and_reads_back(
    reorg, tmp_path: Path
) -> None:
    as_is, to_be = reorg
    target = tmp_path / "changes.csv"
    result = CliRunner().invoke(
        main,
        ["org", "diff", str(as_is), str(to_be), "--moves", str(target),
         "--effective-date", "2027-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # People, not FTE: Flo is half-time but one person; 5 move, 1 retitled, 1 requisition.
    assert "(7 rows, 7 people affected)" in result.output
    rows = read_change_file(target)
    sales, cs = "Bo Lind, VP Sales", "Cy Moss, VP Customer Success"
    di = "Di Nash, Support Manager"
    expected = {
        "4": ("Di Nash", "move", "2", "3", "Support Manager", sales, cs, "no", "filled"),
        "9": ("Ivy Shaw", "title change", "3", "3", "Senior CSM", cs, cs, "no", "filled"),
        "REQ-1": ("", "new requisition", "", "3", "CSM", "", cs, "no", "open"),
    }
    for agent, name in zip("5678", ["Ed Ortiz", "Flo Park", "Gus Quinn", "Hal Rees"], strict=True):
        expected[agent] = (name, "move", "4", "4", "Support Agent", sales, cs, "yes", "filled")
    got = {
        r.id: (
            r.name,
            r.change_type,
            r.old_manager_id,
            r.new_manager_id,
            r.new_title,
            r.old_unit,
            r.new_unit,
            r.moves_with_manager,
            r.status,
        )
        for r in rows
    }
    assert got == expected
    assert len(rows) == 7 and all(r.effective_date == "2027-01-01" for r in rows)
    assert all(r.people == 1 for r in rows)
    by_id = {r.id: r for r in rows}
    assert by_id["9"].old_title == "CSM" and by_id["5"].old_manager == di == by_id["5"].new_manager
    assert by_id["REQ-1"].old_manager_id == "" and by_id["REQ-1"].old_title == ""


def test_removal_dotted_line_and_combined_types(tmp_path: Path) -> None:
    as_is = _scenario(tmp_path, AS_IS, "a")
    text = AS_IS.replace("10,2,Jo Tate,Account Executive,,1\n", "")
    text = text.replace("9,3,Ivy Shaw,CSM", "9,2,Ivy Shaw,Senior CSM")
    to_be = _scenario(tmp_path, text, "b")
    target = tmp_path / "c.csv"
    args = ["org", "diff", str(as_is), str(to_be), "--moves", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = {r.id: r for r in read_change_file(target)}
    assert rows["9"].types == ["move", "title change"]
    assert rows["10"].change_type == "removal" and rows["10"].new_manager_id == ""
    assert rows["10"].old_manager == "Bo Lind, VP Sales" and rows["10"].effective_date == ""


def test_effective_date_must_be_a_date(reorg, tmp_path: Path) -> None:
    as_is, to_be = reorg
    result = CliRunner().invoke(
        main,
        ["org", "diff", str(as_is), str(to_be), "--moves", str(tmp_path / "m.csv"),
         "--effective-date", "Q1 2027"],
    )  # fmt: skip
    assert result.exit_code == 2 and "is not a date" in result.output
    assert "Traceback" not in result.output


def test_reader_names_the_line_of_a_bad_row(tmp_path: Path) -> None:
    good = ChangeRow(*(["x"] * (len(CHANGE_COLUMNS) - 1)), people=1)  # type: ignore[arg-type]
    header = ",".join(CHANGE_COLUMNS)
    cells = [str(v) for v in good.__dict__.values()]
    cells[CHANGE_COLUMNS.index("change_type")] = "promotion"
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")
    with pytest.raises(CcosimError, match=r"bad.csv:2: column 'change_type': 'promotion'"):
        read_change_file(path)
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(CcosimError, match="not a change file"):
        read_change_file(path)
