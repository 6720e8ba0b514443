"""Hostile and broken inputs: one clear ScenarioError (CLI exit 2), never a hang or traceback."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.scenario import ScenarioError, load
from tests.conftest import MINIMAL


def error_of(path: Path, **kwargs) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(path, **kwargs)
    return info.value


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


# --- the bounded reader ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["&a [*a]", "&a [[*a]]", "&a [[[[*a]]]]", "&a {b: [{c: *a}]}", "&a {b: {c: {d: *a}}}"],
)
def test_recursive_alias_of_any_depth_is_refused_at_once(write_scenario, value):
    path = write_scenario(f"name: {value}\n")
    start = time.perf_counter()
    err = error_of(path)
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed claim
    assert "alias refers to its own anchor" in str(err)
    assert f"{path}:1:7" in str(err)


def test_recursive_alias_in_set_value_and_answers_is_a_clean_error(write_scenario, tmp_path):
    path = write_scenario(MINIMAL)
    err = error_of(path, set_options=["name=&a [[*a]]"])
    assert "alias refers to its own anchor" in str(err)
    answers = tmp_path / "answers.yaml"
    answers.write_text("a: &a [[*a]]\n")
    result = cli("assess", "--answers", answers)
    assert result.exit_code == 2, result.output
    assert "alias refers to its own anchor" in result.output
    assert "Traceback" not in result.output


def test_keyword_table_goes_through_the_bounded_reader(tmp_path):
    from ccosim.io.hris import load_keywords

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    bomb = tmp_path / "keywords.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="alias bomb"):
        load_keywords(bomb)
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed claim
    loop = tmp_path / "loop.yaml"
    loop.write_text("rules: &a [*a]\n")
    with pytest.raises(ScenarioError, match="own anchor"):
        load_keywords(loop)


def test_devices_and_folders_are_refused_without_reading(write_scenario, tmp_path, monkeypatch):
    assert "not a regular file" in str(error_of(Path("/dev/zero")))
    assert "is a directory" in str(error_of(tmp_path))
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    monkeypatch.setenv("CCOSIM_SCENARIO_ROOT", "/")  # let the base leave the folder
    child = write_scenario("extends: zero.yaml\nname: X\n")
    assert "not a regular file" in str(error_of(child))


def test_extends_rule_absolute_paths_and_escapes_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("CCOSIM_SCENARIO_ROOT", raising=False)
    (tmp_path / "company").mkdir()
    (tmp_path / "org").mkdir()
    (tmp_path / "company" / "base.yaml").write_text(MINIMAL)
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    outside.write_text(MINIMAL)
    try:
        for base, message in [
            (str(tmp_path / "company" / "base.yaml"), "an absolute path"),
            ("/etc/passwd", "an absolute path"),
            (f"../../{outside.name}", "leads outside the scenario folder"),
            ("../company/notes.txt", "must be a .yaml or .yml"),
        ]:
            child = tmp_path / "org" / "child.yaml"
            child.write_text(f"name: Child\nextends: {base}\n")
            err = error_of(child)
            assert message in str(err), (base, str(err))
            assert f"{child}:2:1: extends:" in str(err)
        # a sibling folder one level up is the supported layout (the HRIS importer writes it)
        child.write_text("name: Child\nextends: ../company/base.yaml\n")
        assert load(child).name == "Child"
        (tmp_path / "org" / "link.yaml").symlink_to(outside)
        child.write_text("name: Child\nextends: link.yaml\n")
        assert "leads outside" in str(error_of(child))
    finally:
        outside.unlink()


def test_named_pipe_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(_try_load(fifo)), daemon=True)
    worker.start()
    worker.join(5.0)
    if worker.is_alive():  # unblock the reader so the test run can finish
        with open(fifo, "w"):
            pass
        pytest.fail("reading a named pipe hung")
    assert "not a regular file" in str(outcome[0])


def _try_load(path: Path) -> object:
    try:
        load(path)
    except ScenarioError as exc:
        return exc
    return None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1:30", "base-60"),
        ("0017", "leading zero, which YAML reads as octal (15); write 17"),
    ],
)
def test_surprising_yaml_numbers_are_refused(write_scenario, text, message):
    path = write_scenario(edit(MINIMAL, "initial_accounts: 100", f"initial_accounts: {text}"))
    err = error_of(path)
    assert message in str(err)
    assert f"{path}:7:" in str(err)


def test_sweep_values_go_through_the_bounded_reader():
    from ccosim.experiment.sweep import SweepError, parse_vary

    with pytest.raises(SweepError, match="own anchor"):
        parse_vary("seed=&a [*a],2")
    start = time.perf_counter()
    with pytest.raises(SweepError, match="STEPS"):
        parse_vary("customers.segments.smb.base_churn=0.1:0.2:1000000000")
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed claim


# --- accepted nonsense: values that validated and then gave wrong answers -------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("initial_accounts: 100", "initial_accounts: yes", "smb", "yes/no"),
        ("acv: 9000", "acv: .inf", "smb.acv", "finite"),
        ("acv: 9000", "acv: .nan", "smb.acv", "finite"),
        ("new_accounts_per_year: 20", "new_accounts_per_year: 1e12", "new_accounts_per_year", ""),
        ("headcount: 4}", "headcount: 4, cost: .inf}", "csm.cost", "finite"),
    ],
)
def test_nonsense_values_are_refused(write_scenario, old, new, path, message):
    err = error_of(write_scenario(edit(MINIMAL, old, new)))
    assert any(path in p.path or path in p.message for p in err.problems), str(err)
    assert message in str(err)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("assumptions.costs.salary.support=-60000", "greater than or equal to 0"),
        ("assumptions.customer_success.accounts_per_csm.pooled=0", "greater than 0"),
        ("assumptions.health.reference=.nan", "finite"),
        ("assumptions.org_effects=1", ""),  # a number is not refused where yes/no is asked
        ('name="Acme\\x1b]0;pwned\\x07"', "control character U+001B"),
        ('org.units.csm.title="CS\\x00M"', "control character U+0000"),
    ],
)
def test_bounds_and_control_characters_through_set(write_scenario, setting, message):
    path = write_scenario(MINIMAL)
    if not message:
        load(path, set_options=[setting])
        return
    assert message in str(error_of(path, set_options=[setting]))


def test_ratio_staffing_cannot_plan_absurd_headcount(write_scenario):
    text = edit(
        MINIMAL,
        "headcount: 4}",
        "headcount: 4, staffing: {policy: ratio, driver: accounts, per_head: 1.0e-300}}",
    )
    assert "the least accepted is 0.1" in str(error_of(write_scenario(text)))


def test_timeline_replay_catches_cycles_and_removing_the_top(write_scenario):
    text = MINIMAL + (
        "timeline:\n"
        "  - {month: 3, action: move_unit, id: cco, reports_to: csm}\n"
        "  - {month: 4, action: move_unit, id: csm, reports_to: csm}\n"
        "  - {month: 5, action: remove_unit, id: ceo}\n"
    )
    path = write_scenario(text)
    err = error_of(path)
    by_line = {p.mark.line: p.message for p in err.problems}
    assert "cannot be moved under 'csm', which reports to it" in by_line[17]
    assert "cannot be moved under itself" in by_line[18]
    assert "top of the org and cannot be removed" in by_line[19]
    assert all(p.mark.source == str(path) for p in err.problems)
    result = cli("run", path)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_timeline_replay_follows_earlier_events(write_scenario):
    # after csm is removed its place is gone; a later move of it names no unit present
    text = MINIMAL + (
        "timeline:\n"
        "  - {month: 3, action: remove_unit, id: cco}\n"
        "  - {month: 6, action: move_unit, id: csm, reports_to: cco}\n"
    )
    err = error_of(write_scenario(text))
    assert "'cco' names no unit present at month 6" in str(err)


def test_duplicate_unit_ids_in_an_extending_file_are_refused(write_scenario):
    write_scenario(MINIMAL, "base.yaml")
    child = write_scenario(
        "extends: base.yaml\n"
        "name: Child\n"
        "org:\n"
        "  units:\n"
        "    - {id: csm, headcount: 6}\n"
        "    - {id: csm, headcount: 9}\n",
        "child.yaml",
    )
    err = error_of(child)
    assert f"{child}:6:7" in str(err)
    assert "duplicate unit id 'csm' in this file (first at line 5)" in str(err)


# --- clearer messages ----------------------------------------------------------------------


def test_set_into_a_single_value_says_so(write_scenario):
    err = error_of(write_scenario(MINIMAL), set_options=["name.foo=1"])
    assert "name is a single value ('Minimal'), so it has no key 'foo'" in str(err)


def test_set_into_a_missing_list_says_so(write_scenario):
    err = error_of(write_scenario(MINIMAL), set_options=["timeline.0.month=3"])
    assert "timeline is not in the scenario, so it has no item 0" in str(err)
    assert "expected a list, got a mapping" not in str(err)


def test_long_values_are_shortened_in_messages(write_scenario):
    long = "x" * 10_000
    err = error_of(write_scenario(MINIMAL), set_options=[f"horizon_years={long}"])
    assert len(str(err)) < 600, str(err)[:200]
    assert "(10,014 characters)" in str(err)


# --- resource estimates, before any work ---------------------------------------------------------


def test_a_plan_of_absurdly_many_accounts_is_not_a_scenario(write_scenario):
    text = edit(MINIMAL, "new_accounts_per_year: 20", "new_accounts_per_year: 900000")
    text = edit(text, "horizon_years: 3", "horizon_years: 30")
    err = error_of(write_scenario(text))
    assert "the most a simulation holds is 20,000,000" in str(err)
    assert "customers.segments.smb.new_accounts_per_year" in str(err)


def test_memory_estimate_refuses_before_work_and_can_be_overridden(write_scenario, monkeypatch):
    import importlib

    import ccosim.resources as resources

    simulate_module = importlib.import_module("ccosim.simulate")  # the module, not the function

    path = write_scenario(edit(MINIMAL, "initial_accounts: 100", "initial_accounts: 500000"))
    monkeypatch.setattr(resources, "memory_budget", lambda: 2**30)  # a 2 GiB machine
    started: list[int] = []
    monkeypatch.setattr(
        simulate_module, "simulate", lambda *a, **k: started.append(1) or pytest.fail("ran")
    )
    result = cli("run", path, "--runs", "100000", "--workers", "2")
    assert result.exit_code == 2, result.output
    assert "more than the 1.0 GiB allowed" in result.output and "--allow-large" in result.output
    assert not started
    scenario = load(path)
    found = resources.check_resources([scenario], 100_000, 2, allow_large=True)
    assert found.total > 2**30


def test_estimate_grows_with_runs_accounts_and_workers(write_scenario):
    from ccosim.resources import estimate

    small = load(write_scenario(MINIMAL))
    big = load(write_scenario(edit(MINIMAL, "initial_accounts: 100", "initial_accounts: 10000")))
    assert estimate([big], 10, 1).in_flight > 50 * estimate([small], 10, 1).in_flight
    assert estimate([small], 1000, 1).held == 100 * estimate([small], 10, 1).held
    assert estimate([big], 10, 4).in_flight == 4 * estimate([big], 10, 1).in_flight


def test_sweep_grid_too_large_is_refused_before_loading(write_scenario):
    path = write_scenario(MINIMAL)
    start = time.perf_counter()
    result = cli(
        "sweep", path, "--vary", "customers.segments.smb.base_churn=0.1:0.2:200",
        "--vary", "customers.segments.smb.acv=1000:2000:200",
    )  # fmt: skip
    assert result.exit_code == 2 and "40,000 points; the limit is 10,000" in result.output
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed claim
