"""The progress bar: silent on short runs and for scripts, a bar with ETA on long runs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest

import ccosim
from ccosim.cli.progress import Progress
from ccosim.sim import kernels
from tests.conftest import SCENARIOS


@pytest.fixture(autouse=True)
def engine_compiled(monkeypatch):
    """The engine's kernels are in the cache (tests that need otherwise say so)."""
    monkeypatch.setattr("ccosim.cli.progress._engine_compiled", lambda: True)


def test_short_runs_and_quiet_runs_print_nothing(capsys):
    with Progress(10, "replications", force=True) as bar:
        for done in range(1, 11):
            bar.update(done)
    with Progress(10, "replications", quiet=True, delay=0) as bar:
        bar.update(10)
    assert capsys.readouterr().err == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_long_runs_show_count_and_time_left(monkeypatch):
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    with Progress(4, "replications", delay=0.01) as bar:
        time.sleep(0.02)
        for done in range(1, 5):
            bar.update(done)
    text = err.getvalue()
    assert "replications" in text and "4/4" in text


def test_a_run_that_must_compile_the_engine_says_so_first(monkeypatch):
    monkeypatch.setattr("ccosim.cli.progress._engine_compiled", lambda: False)
    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    with Progress(2, "replications") as bar:
        bar.update(2)
    assert err.getvalue().startswith("Compiling the simulation engine")
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    with Progress(2, "replications", quiet=True) as bar:
        bar.update(2)
    assert quiet.getvalue() == ""


def test_the_engine_cache_check_tells_an_empty_cache_from_a_full_one(tmp_path):
    # An empty cache (a fresh install): False, read through the same numba internals that
    # answer True below, so True there is not the fallback for a failed read.
    code = "from ccosim.sim import kernels; print(kernels.cached())"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
    ccosim.simulate(ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 1}))
    assert kernels.cached() is True
