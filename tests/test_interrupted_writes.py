"""Interrupted writes recover: signals clean temporary outputs, a kill mid-swap is repaired."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ccosim.output import MARKER, atomic_dir, is_ccosim_output, recover, write_text
from tests.conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

#: A run that dies with SIGKILL between the two renames that swap the old report for the new.
KILL_BETWEEN_RENAMES = """
import os, signal, sys
import ccosim.output as output

real_replace = os.replace

def replace(src, dst):
    if str(src).endswith(".partial"):  # the second rename: the new report onto the path
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst)

output.os.replace = replace
from ccosim.cli import main
main(sys.argv[1:])
"""

#: Writes one file into a folder being built, says so, then waits to be signalled.
WAIT_IN_BLOCK = """
import sys, time
from pathlib import Path
from ccosim.output import atomic_dir, write_text
try:
    with atomic_dir(Path(sys.argv[1]), force=True) as tmp:
        write_text(tmp / "report.html", "half")
        print(tmp, flush=True)
        time.sleep(60)
except KeyboardInterrupt:
    sys.exit(130)
"""


def run_python(code: str, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def complete(folder: Path) -> bool:
    """The folder holds exactly the files its marker lists, and at least one."""
    listed = json.loads((folder / MARKER).read_text())["files"]
    return bool(listed) and is_ccosim_output(folder) and all((folder / f).is_file() for f in listed)


def test_sigkill_between_the_renames_then_a_second_run_finds_a_complete_report(tmp_path):
    report = tmp_path / "report"
    stats = ["org", "stats", SCENARIOS / "cco_full.yaml", "-o", report]
    first = run_python("from ccosim.cli import main; main()", *stats, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    killed = run_python(KILL_BETWEEN_RENAMES, *stats, "--force", cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not report.exists()  # the state the kill leaves: the old report hidden as .old
    assert {p.suffix for p in tmp_path.iterdir()} == {".old", ".partial"}
    second = run_python("from ccosim.cli import main; main()", *stats, "--force", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "the new output it had completed is now in place" in second.stderr
    assert complete(report) and (report / "cco_full.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no leftovers


def test_after_the_kill_any_command_touching_the_folder_says_what_it_did(tmp_path):
    report = tmp_path / "report"
    stats = ["org", "stats", SCENARIOS / "cco_full.yaml", "-o", report]
    assert run_python("from ccosim.cli import main; main()", *stats, cwd=tmp_path).returncode == 0
    run_python(KILL_BETWEEN_RENAMES, *stats, "--force", cwd=tmp_path)
    again = run_python("from ccosim.cli import main; main()", *stats, cwd=tmp_path)
    assert "now in place" in again.stderr
    assert again.returncode == 2 and "already exists" in again.stderr  # no --force: kept
    assert complete(report)


def test_the_old_report_is_restored_when_the_new_one_was_not_whole(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = tmp_path / f".report.{dead.pid}.aaa.old"
    old.mkdir()
    (old / "report.html").write_text("the previous report")
    (old / MARKER).write_text(json.dumps({"files": ["report.html"]}))
    partial = tmp_path / f".report.{dead.pid}.bbb.partial"
    partial.mkdir()
    (partial / MARKER).write_text("written by ccosim\n")  # its block never finished
    (partial / "report.html").write_text("half")
    message = recover(tmp_path / "report")
    assert message is not None and "previous output was restored" in message
    assert (tmp_path / "report" / "report.html").read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    assert recover(tmp_path / "report") is None  # nothing left to do


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_remove_the_temporary_folder(tmp_path, sent, code):
    report = tmp_path / "report"
    with atomic_dir(report) as folder:
        write_text(folder / "report.html", "old")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", WAIT_IN_BLOCK, str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    partial = Path(child.stdout.readline().strip())
    assert partial.is_dir() and partial.name.endswith(".partial")
    child.send_signal(sent)
    assert child.wait(timeout=60) == code, child.stderr.read() if child.stderr else ""
    deadline = time.monotonic() + 5
    while partial.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not partial.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
    assert (report / "report.html").read_text() == "old"


def test_sigterm_keeps_a_handler_the_caller_installed(tmp_path):
    script = textwrap.dedent(
        """
        import signal, sys
        from pathlib import Path
        from ccosim.output import atomic_dir
        mine = lambda signum, frame: None
        signal.signal(signal.SIGTERM, mine)
        with atomic_dir(Path(sys.argv[1])):
            assert signal.getsignal(signal.SIGTERM) is mine
        assert signal.getsignal(signal.SIGTERM) is mine
        """
    )
    assert run_python(script, tmp_path / "out", cwd=tmp_path).returncode == 0
