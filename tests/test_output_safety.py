"""Outputs never lose data: --force replaces only ccosim's folders, checked again at the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.errors import OutputExistsError
from ccosim.output import MARKER, OutputPathError, atomic_dir, atomic_file, write_text
from tests.conftest import MINIMAL, SCENARIOS


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def dead_pid() -> int:
    """The id of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_force_refuses_a_folder_ccosim_did_not_write(tmp_path):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("two years of work")
    result = cli("org", "stats", SCENARIOS / "cco_full.yaml", "-o", thesis, "--force")
    assert result.exit_code == 2, result.output
    assert "ccosim did not write" in result.output
    assert (thesis / "chapter1.tex").read_text() == "two years of work"
    with pytest.raises(OutputPathError), atomic_dir(thesis, force=True) as folder:
        write_text(folder / "x.txt", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_force_replaces_an_empty_folder_and_its_own_output(tmp_path):
    empty = tmp_path / "out"
    empty.mkdir()
    for text in ("first", "second"):
        with atomic_dir(empty, force=True) as folder:
            write_text(folder / "a.txt", text)
        assert (empty / "a.txt").read_text() == text
        assert (empty / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_force_refuses_a_folder_that_merely_holds_a_copied_manifest(tmp_path):
    copied = tmp_path / "report"
    (copied / "data").mkdir(parents=True)
    (copied / "data" / "manifest.json").write_text('{"ccosim_version": "0.1.0"}')
    (copied / "budget.xlsx").write_text("the user's own")
    refused = pytest.raises(OutputPathError, match=r"holds data/manifest\.json but no")
    with refused, atomic_dir(copied, force=True) as folder:
        write_text(folder / "report.html", "new")
    assert (copied / "budget.xlsx").read_text() == "the user's own"


def test_force_refuses_a_ccosim_folder_holding_a_file_of_the_user(tmp_path):
    report = tmp_path / "report"
    with atomic_dir(report) as folder:
        write_text(folder / "report.html", "first")
    (report / "my-notes.txt").write_text("notes I keep beside the report")
    result = cli("org", "stats", SCENARIOS / "cco_full.yaml", "-o", report, "--force")
    assert result.exit_code == 2, result.output
    assert "files ccosim did not write: my-notes.txt" in result.output
    assert (report / "my-notes.txt").read_text() == "notes I keep beside the report"
    assert (report / "report.html").read_text() == "first"


def test_force_refuses_a_marker_that_lists_no_files(tmp_path):
    report = tmp_path / "report"
    report.mkdir()
    (report / MARKER).write_text("written by ccosim\n")  # by hand, or an older ccosim
    (report / "thesis.tex").write_text("mine")
    refused = pytest.raises(OutputPathError, match="lists no files")
    with refused, atomic_dir(report, force=True) as folder:
        write_text(folder / "report.html", "new")
    assert (report / "thesis.tex").read_text() == "mine"


def test_force_replaces_its_own_folder_even_with_files_the_user_deleted(tmp_path):
    report = tmp_path / "report"
    with atomic_dir(report) as folder:
        write_text(folder / "report.html", "first")
        write_text(folder / "data" / "kpis.csv", "a,b\n")
    (report / "data" / "kpis.csv").unlink()
    with atomic_dir(report, force=True) as folder:
        write_text(folder / "report.html", "second")
    assert (report / "report.html").read_text() == "second"
    assert json.loads((report / MARKER).read_text())["files"] == ["report.html"]


def test_two_runs_into_one_new_folder_cannot_both_succeed(tmp_path):
    target = tmp_path / "report"
    with pytest.raises(OutputExistsError, match="appeared while"), atomic_dir(target) as folder:
        write_text(folder / "report.html", "mine")
        with atomic_dir(target) as other:  # a second run finishes first
            write_text(other / "report.html", "theirs")
    assert (target / "report.html").read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_folder_swapped_in_during_the_work_is_not_replaced(tmp_path):
    target = tmp_path / "report"
    with atomic_dir(target) as folder:
        write_text(folder / "report.html", "old report")
    refused = pytest.raises(OutputPathError, match="did not write")
    with refused, atomic_dir(target, force=True) as folder:
        write_text(folder / "report.html", "new report")
        for name in os.listdir(target):  # meanwhile the user reuses the folder
            os.unlink(target / name)
        (target / "notes.txt").write_text("mine")
    assert (target / "notes.txt").read_text() == "mine"


def test_stale_temporary_folders_are_cleaned_and_a_stranded_output_restored(tmp_path):
    pid = dead_pid()
    partial = tmp_path / f".report.{pid}.abc123.partial"
    partial.mkdir()
    (partial / MARKER).write_text("")
    old = tmp_path / f".report.{pid}.def456.old"
    old.mkdir()
    (old / MARKER).write_text("")
    (old / "report.html").write_text("the previous report")
    foreign = tmp_path / f".report.{pid}.zzz.partial"  # not ccosim's: left alone
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep")
    # the stranded report is back, so writing there needs --force
    with pytest.raises(OutputExistsError), atomic_dir(tmp_path / "report") as folder:
        write_text(folder / "report.html", "new")
    assert (tmp_path / "report" / "report.html").read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".report.{pid}.zzz.partial", "report"]


def test_stale_temporary_files_of_dead_processes_are_cleaned(tmp_path):
    pid = dead_pid()
    stale = tmp_path / f".cco.{pid}.k3j2h1.partial.png"
    stale.write_bytes(b"half a chart")
    alive = tmp_path / f".cco.{os.getpid()}.a1b2c3.partial.png"  # a writer still at work
    alive.write_bytes(b"in progress")
    write_text(tmp_path / "cco.png", "x")
    assert not stale.exists() and alive.exists()


def test_chart_temp_files_are_unique_and_never_follow_a_planted_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / ".cco.png.partial.png").symlink_to(victim)  # the old fixed temporary name
    (tmp_path / ".cco.partial.png").symlink_to(victim)
    result = cli("chart", SCENARIOS / "cco_full.yaml", "-o", tmp_path / "cco.png")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"
    assert (tmp_path / "cco.png").read_bytes()[:4] == b"\x89PNG"
    with atomic_file(tmp_path / "a.svg") as one, atomic_file(tmp_path / "b.svg") as two:
        assert one != two and one.suffix == ".svg" and one.parent == tmp_path
        one.write_text("1")
        two.write_text("2")


def test_chart_into_missing_folders_creates_them(tmp_path):
    target = tmp_path / "missing" / "dir" / "cco.svg"
    result = cli("chart", SCENARIOS / "cco_full.yaml", "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("target", [".", "..", "./"])
def test_current_folder_or_above_is_refused_before_work(tmp_path, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    result = cli("org", "stats", SCENARIOS / "cco_full.yaml", "-o", target, "--force")
    assert result.exit_code == 2, result.output
    assert "current folder or one above it" in result.output
    assert "Traceback" not in result.output


def test_unwritable_output_fails_before_simulating(tmp_path, write_scenario, monkeypatch):
    import ccosim.experiment.compare as compare

    def no_simulation(*args, **kwargs):
        raise AssertionError("the simulation ran before the output was checked")

    monkeypatch.setattr(compare, "run_comparison", no_simulation)
    monkeypatch.setattr("ccosim.cli.compare_cmds.point_comparison", no_simulation)
    a = write_scenario(MINIMAL, "a.yaml")
    blocker = tmp_path / "afile"
    blocker.write_text("")
    result = cli("compare", a, a, "--runs", "2", "-o", blocker / "report")
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
    )
    result = cli("compare", a, a, "--runs", "2", "-o", locked / "report")
    assert result.exit_code == 2 and "permission denied" in result.output, result.output


def test_org_stats_two_files_with_one_name(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "org.yaml").write_text(MINIMAL)
    out = tmp_path / "st"
    for _ in range(2):
        result = cli(
            "org", "stats", tmp_path / "a" / "org.yaml", tmp_path / "b" / "org.yaml",
            "-o", out, "--force",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert {"org.json", "org-2.json", "org.txt", "org-2.txt"} <= {p.name for p in out.iterdir()}
