"""Checks before work: an output the run could not write is refused before any simulation.

``--format parquet`` without pandas used to fail after 2 min 14 s of simulation; a user
would miss the early refusal the moment it went.
"""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from tests.conftest import SCENARIOS

DESIGNS = [str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")]


@pytest.fixture
def no_simulation(monkeypatch):
    """Any replication started fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a simulation ran before the output check")

    import ccosim.experiment.executors as executors

    monkeypatch.setattr(executors, "run_ordered", refuse)
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "") or ""
        if name.startswith("ccosim.") and getattr(module, "run_ordered", None) is not None:
            monkeypatch.setattr(module, "run_ordered", refuse)


@pytest.mark.parametrize(
    ("fmt", "missing"), [("parquet", "pandas"), ("parquet", "pyarrow"), ("xlsx", "openpyxl")]
)
def test_compare_refuses_a_format_without_its_package_before_simulating(
    tmp_path, monkeypatch, no_simulation, fmt, missing
):
    monkeypatch.setitem(sys.modules, missing, None)  # `import missing` now fails
    folder = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            *DESIGNS,
            "--runs",
            "2",
            "--years",
            "2",
            "--workers",
            "1",
            "--no-attribution",
            "--quiet",
            "--format",
            fmt,
            "-o",
            str(folder),
        ],
    )
    assert result.exit_code == 2, result.output
    assert f"--format {fmt} needs the package {missing}" in result.output
    assert "pip install 'ccosim[data]'" in result.output
    assert "Traceback" not in result.output and not folder.exists()


def test_sweep_refuses_parquet_without_pandas_before_simulating(
    tmp_path, monkeypatch, no_simulation
):
    monkeypatch.setitem(sys.modules, "pandas", None)
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            DESIGNS[1],
            "--vary",
            "customers.segments.smb.base_churn=0.1:0.2:2",
            "--runs",
            "2",
            "--format",
            "parquet",
            "-o",
            str(tmp_path / "s"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "--format parquet needs the package pandas" in result.output
