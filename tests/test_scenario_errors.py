"""Every way a scenario can be wrong ends as one ScenarioError naming file, line and key."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ccosim.scenario import ScenarioError, load
from ccosim.scenario.yaml_source import MAX_FILE_BYTES
from tests.conftest import MINIMAL


def error_of(path: Path, **kwargs) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(path, **kwargs)
    return info.value


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_unknown_key_names_file_line_key_and_suggests(write_scenario):
    path = write_scenario(edit(MINIMAL, "      base_churn: 0.15", "      base_chrun: 0.15"))
    err = error_of(path)
    text = str(err)
    assert f"{path}:10:7" in text  # line and column of the misspelt key
    assert "customers.segments.smb" in text
    assert "unknown key 'base_chrun' (did you mean 'base_churn'?)" in text
    assert len(err.problems) == 1, "the typo explains the missing key; say it once"


def test_probability_outside_unit_interval(write_scenario):
    path = write_scenario(edit(MINIMAL, "base_churn: 0.15", "base_churn: 1.5"))
    problem = error_of(path).problems[0]
    assert (problem.mark.source, problem.mark.line) == (str(path), 10)
    assert problem.path == "customers.segments.smb.base_churn"
    assert "less than or equal to 1" in problem.message and "1.5" in problem.message


def test_negative_headcount_and_cost_both_reported(write_scenario):
    path = write_scenario(edit(MINIMAL, "headcount: 4}", "headcount: -4, cost: -1}"))
    problems = error_of(path).problems
    paths = {p.path for p in problems}
    assert paths == {"org.units.csm.headcount", "org.units.csm.cost"}
    assert all(p.mark.line == 15 for p in problems)


def test_duplicate_unit_id(write_scenario):
    path = write_scenario(
        MINIMAL + "    - {id: csm, title: More CSMs, function: support, reports_to: cco}\n"
    )
    problem = error_of(path).problems[0]
    assert problem.mark.line == 16
    assert "duplicate unit id 'csm'" in problem.message


def test_reports_to_unknown_unit_suggests(write_scenario):
    path = write_scenario(edit(MINIMAL, "reports_to: cco, headcount", "reports_to: cc0, headcount"))
    problem = error_of(path).problems[0]
    assert problem.mark.line == 15
    assert problem.path == "org.units.csm.reports_to"
    assert "names no unit (did you mean 'cco'?)" in problem.message


def test_dotted_to_unknown_unit(write_scenario):
    path = write_scenario(edit(MINIMAL, "headcount: 4}", "headcount: 4, dotted_to: [cfo]}"))
    problem = error_of(path).problems[0]
    assert problem.mark.line == 15
    assert problem.path == "org.units.csm.dotted_to.0"
    assert "dotted_to 'cfo' names no unit" in problem.message


def test_two_roots(write_scenario):
    path = write_scenario(
        edit(MINIMAL, "function: executive, reports_to: ceo}", "function: executive}")
    )
    problem = error_of(path).problems[0]
    assert problem.mark.line == 14
    assert "2 units have no reports_to ('ceo', 'cco')" in problem.message


def test_cycle_in_reports_to(write_scenario):
    text = edit(
        MINIMAL,
        "{id: cco, title: CCO, function: executive, reports_to: ceo}",
        "{id: cco, title: CCO, function: executive, reports_to: csm}",
    )
    text += "    - {id: board, title: Board, function: executive}\n"
    text = edit(
        text,
        "{id: ceo, title: CEO, function: executive}",
        "{id: ceo, title: CEO, function: executive, reports_to: board}",
    )
    err = error_of(write_scenario(text))
    assert any(
        "reports_to forms a cycle: cco -> csm -> cco" in p.message or "cycle" in p.message
        for p in err.problems
    )
    cycle = next(p for p in err.problems if "cycle" in p.message)
    assert cycle.path.startswith("org.units.") and cycle.path.endswith(".reports_to")
    assert cycle.mark.line in (14, 15)


def test_unknown_function_suggests(write_scenario):
    path = write_scenario(edit(MINIMAL, "function: customer_success", "function: custmer_success"))
    problem = error_of(path).problems[0]
    assert problem.mark.line == 15 and problem.path == "org.units.csm.function"
    assert "did you mean 'customer_success'?" in problem.message


def test_missing_required_key(write_scenario):
    path = write_scenario(edit(MINIMAL, "      acv: 9000\n", ""))
    problem = error_of(path).problems[0]
    assert problem.path == "customers.segments.smb" and "missing required key 'acv'" in (
        problem.message
    )
    assert problem.mark.line == 6


def test_yaml_syntax_error_has_line(write_scenario):
    path = write_scenario(MINIMAL + "  oops: [unclosed\n")
    err = error_of(path)
    assert f"{path}:" in str(err) and "YAML syntax" in str(err)
    assert err.problems[0].mark.line is not None


def test_control_character_is_a_scenario_error(write_scenario):
    path = write_scenario(edit(MINIMAL, "name: Minimal", "name: Mini\x07mal"))
    err = error_of(path)
    assert err.problems[0].mark.line == 1


def test_duplicate_key_is_refused(write_scenario):
    path = write_scenario(MINIMAL + "seed: 8\n")
    problem = error_of(path).problems[0]
    assert problem.mark.line == 16 and "duplicate key 'seed' (first at line 3)" in problem.message


def test_python_tag_is_refused(write_scenario):
    path = write_scenario("name: !!python/object/apply:os.system ['echo pwned']\n")
    err = error_of(path)
    assert err.problems[0].mark.line == 1


def test_not_a_mapping_and_empty_file(write_scenario):
    assert "YAML mapping" in str(error_of(write_scenario("- a\n- b\n")))
    assert "empty" in str(error_of(write_scenario("# nothing\n")))


def test_missing_and_non_utf8_files(tmp_path):
    assert "file not found" in str(error_of(tmp_path / "nope.yaml"))
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: Caf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in str(error_of(bad))


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    assert "limit is" in str(error_of(big))


def test_alias_bomb_refused_quickly(write_scenario):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = write_scenario("\n".join(lines) + "\n")  # expands to about 10**10 nodes
    start = time.perf_counter()
    err = error_of(path)
    elapsed = time.perf_counter() - start
    assert "alias bomb" in str(err)
    # A hang guard, not a speed claim: an unbounded expansion would take minutes or run out
    # of memory; the bound is generous for a loaded 2-core CI machine.
    assert elapsed < 20.0, f"alias bomb took {elapsed:.2f}s to refuse"


def test_deep_nesting_refused_quickly(write_scenario):
    path = write_scenario("name: " + "[" * 5000 + "]" * 5000 + "\n")
    start = time.perf_counter()
    err = error_of(path)
    assert "nested deeper than" in str(err)
    assert time.perf_counter() - start < 20.0  # hang guard (see above), not a speed claim


def test_extends_cycle_and_missing_base(write_scenario):
    write_scenario("extends: b.yaml\nname: A\n", "a.yaml")
    b = write_scenario("extends: a.yaml\nname: B\n", "b.yaml")
    assert "'extends' forms a cycle: b.yaml -> a.yaml -> b.yaml" in str(error_of(b))
    c = write_scenario("extends: nowhere.yaml\nname: C\n", "c.yaml")
    err = error_of(c)
    assert f"{c}:1:1: extends:" in str(err) and "does not exist" in str(err)


def test_error_in_base_file_names_the_base(write_scenario):
    write_scenario(edit(MINIMAL, "base_churn: 0.15", "base_churn: 2"), "base.yaml")
    child = write_scenario("extends: base.yaml\nname: Child\n", "child.yaml")
    problem = error_of(child).problems[0]
    assert problem.mark.source.endswith("base.yaml") and problem.mark.line == 10


def test_set_override_errors_name_the_option(write_scenario):
    path = write_scenario(MINIMAL)
    err = error_of(path, set_options=["customers.segments.smb.base_chrun=0.2"])
    assert "--set customers.segments.smb.base_chrun=0.2" in str(err)
    assert "did you mean 'base_churn'" in str(err)
    err = error_of(path, set_options=["customers.segments.smb.base_churn=7"])
    assert "--set customers.segments.smb.base_churn=7" in str(err)
    err = error_of(path, set_options=["org.units.nobody.headcount=3"])
    assert "no item 'nobody'" in str(err) and "ids here: ceo, cco, csm" in str(err)
    err = error_of(path, set_options=["seed"])
    assert "expected PATH=VALUE" in str(err)


def test_timeline_must_name_present_units(write_scenario):
    text = MINIMAL + (
        "timeline:\n"
        "  - {month: 6, action: move_unit, id: csm, reports_to: cro}\n"
        "  - {month: 48, action: remove_unit, id: csm}\n"
    )
    err = error_of(write_scenario(text))
    messages = [p.message for p in err.problems]
    assert any("reports_to 'cro' names no unit present at month 6" in m for m in messages)
    assert any("after the horizon" in m for m in messages)
    assert {p.mark.line for p in err.problems} == {17, 18}
