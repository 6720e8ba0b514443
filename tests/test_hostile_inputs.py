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
    assert time.perf_counter() - start < 1.0
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
    from ccosim.org.hris_import import load_keywords

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    bomb = tmp_path / "keywords.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="alias bomb"):
        load_keywords(bomb)
    assert time.perf_counter() - start < 2.0
    loop = tmp_path / "loop.yaml"
    loop.write_text("rules: &a [*a]\n")
    with pytest.raises(ScenarioError, match="own anchor"):
        load_keywords(loop)


def test_devices_and_folders_are_refused_without_reading(write_scenario, tmp_path):
    assert "not a regular file" in str(error_of(Path("/dev/zero")))
    assert "is a directory" in str(error_of(tmp_path))
    child = write_scenario("extends: /dev/zero\nname: X\n")
    assert "not a regular file" in str(error_of(child))


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
    assert time.perf_counter() - start < 1.0
