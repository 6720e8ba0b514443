"""The progress bar: silent on short runs and for scripts, a bar with ETA on long runs."""

from __future__ import annotations

import io
import time

from ccosim.cli.progress import Progress


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
