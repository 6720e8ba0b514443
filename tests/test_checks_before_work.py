"""Checks before work: an output the run could not write is refused before any simulation.

``--format parquet`` without pandas used to fail after 2 min 14 s of simulation; a user
would miss the early refusal the moment it went.
"""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from tests.conftest import MINIMAL, SCENARIOS

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


def test_a_multi_design_sweep_refuses_xlsx_without_openpyxl_before_simulating(
    tmp_path, monkeypatch, no_simulation
):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    args = ["sweep", *DESIGNS, "--vary", "customers.segments.smb.base_churn=0.1,0.2",
            "--runs", "2", "--format", "xlsx", "-o", str(tmp_path / "s")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "--format xlsx needs the package openpyxl" in result.output
    assert not (tmp_path / "s").exists()


FIXED_CSM = MINIMAL.replace("name: Minimal", "name: Minimal\nlabel: Fixed CS")
GROWING_CSM = MINIMAL.replace("name: Minimal", "name: Minimal\nlabel: Growing CS").replace(
    "headcount: 4}",
    "headcount: 4, staffing: {policy: ratio, driver: accounts, per_head: 25}}",
)


def test_designs_whose_staffing_differs_are_warned_before_any_simulation(tmp_path, no_simulation):
    fixed, growing = tmp_path / "fixed.yaml", tmp_path / "growing.yaml"
    fixed.write_text(FIXED_CSM, encoding="utf-8")
    growing.write_text(GROWING_CSM, encoding="utf-8")
    args = ["compare", str(growing), str(fixed), "--runs", "2", "--no-attribution",
            "--quiet", "-o", str(tmp_path / "out")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    # The refusing executor fails the run after the warning: the warning came first.
    assert "a simulation ran before the output check" in repr(result.exception)
    assert "warning: staffing policies differ for customer success" in result.output
    assert "Fixed CS: csm" in result.output and "Growing CS: csm" in result.output


def test_designs_that_agree_on_staffing_get_no_warning():
    from ccosim.experiment.staffing_check import staffing_warnings
    from ccosim.scenario import load
    from tests.golden.regenerate import shipped

    assert staffing_warnings([(p.stem, load(p)) for p in shipped()]) == []
    assert staffing_warnings([("a", load(SCENARIOS / "cco_full.yaml"))]) == []
