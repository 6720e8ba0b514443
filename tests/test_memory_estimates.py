"""Memory estimates before the work: draws and worker processes counted, refused with a message.

A command that would allocate by a size the user controls (--draws, --runs, --workers, a grid)
refuses before any simulation when its estimate is over the budget, naming the estimate and
``--allow-large``, with exit status 2 and no traceback.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim import resources
from ccosim.cli import main
from ccosim.scenario import load
from tests.conftest import MINIMAL, SCENARIOS

BILLION = "1000000000"


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The shipped company and two designs in a folder of their own (outputs go there too)."""
    for name in ("_company.yaml", "cco_full.yaml", "post_sales_cs.yaml", "cco_flat_ceo.yaml"):
        shutil.copy(SCENARIOS / name, tmp_path / name)
    return tmp_path


#: The modules the commands below run through, imported before the stand-in is set (a module
#: first imported under it would keep it for the rest of the session).
COMMAND_MODULES = (
    "ccosim.cli.compare_cmds",
    "ccosim.cli.business_case_cmds",
    "ccosim.cli.sweep_cmds",
    "ccosim.cli.calibrate_cmds",
    "ccosim.studio.workbench",
    "ccosim.experiment.sweep_ranking",
    "ccosim.experiment.option_draws",
)


@pytest.fixture
def no_simulation(monkeypatch):
    """Fail the test if any batch of replications is started."""
    from ccosim.experiment import executors

    def refuse(*args, **kwargs):
        pytest.fail("a simulation started before the memory check refused")

    for name in COMMAND_MODULES:
        importlib.import_module(name)
    original = executors.run_ordered
    patched = [m for m in list(sys.modules.values()) if getattr(m, "run_ordered", None) is original]
    assert len(patched) >= 3  # executors, psa and the experiments that run batches
    for module in patched:
        monkeypatch.setattr(module, "run_ordered", refuse)


def _in(folder: Path, arg: str) -> str:
    """A file argument (``X.yaml`` or ``NAME=X.yaml``) made a path in ``folder``."""
    if not arg.endswith(".yaml"):
        return arg
    name, equals, file = arg.rpartition("=")
    return f"{name}{equals}{folder / file}"


def _refused(result, seconds: float) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert seconds < 60, f"took {seconds:.0f} s to refuse"
    assert "--allow-large" in result.output, result.output
    return result.output


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "post_sales_cs.yaml", "cco_full.yaml"],
        ["business-case", "post_sales_cs.yaml", "--with", "cco_full.yaml", "--hire-month", "6"],
        [
            "business-case",
            "post_sales_cs.yaml",
            "--hire-month",
            "6",
            "--option",
            "hire=cco_full.yaml",
            "--option",
            "flat=cco_flat_ceo.yaml",
        ],
        [
            "sweep",
            "post_sales_cs.yaml",
            "cco_full.yaml",
            "--vary",
            "customers.segments.smb.base_churn=0.1:0.2:2",
        ],
    ],
    ids=["compare", "business-case", "business-case-options", "sweep"],
)
def test_a_billion_draws_is_refused_with_the_estimate_before_any_simulation(
    shipped, no_simulation, command
):
    paths = [_in(shipped, arg) for arg in command]
    start = time.monotonic()
    result = cli(*paths, "--draws", BILLION, "--runs", "1", "--quiet", "-o", shipped / "out")
    text = _refused(result, time.monotonic() - start)
    assert "1,000,000,000 draws" in text and "GiB" in text
    assert not (shipped / "out").exists()


def test_ten_thousand_workers_are_refused_naming_the_machine(shipped):
    result = cli("compare", shipped / "post_sales_cs.yaml", shipped / "cco_full.yaml",
                 "--workers", "10000", "-o", shipped / "out")  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "10000 processes on a machine with" in result.output and "at most" in result.output


def test_worker_processes_and_draws_are_counted_in_the_estimate():
    scenario = load(SCENARIOS / "cco_full.yaml")
    serial = resources.estimate([scenario], 4, 1)
    parallel = resources.estimate([scenario], 4, 4)
    assert serial.processes == 0
    assert parallel.processes == 4 * resources.WORKER_BYTES
    drawn = resources.estimate([scenario], 4, 1, draws=10_000, keys=30)
    assert drawn.total - serial.total == 10_000 * (
        resources.BYTES_PER_DRAW + 30 * resources.BYTES_PER_DRAWN_VALUE
    )


def test_the_budget_is_what_this_process_may_use(monkeypatch):
    monkeypatch.setattr(resources, "_physical", lambda: 64 * 2**30)
    monkeypatch.setattr(resources, "_cgroup_limit", lambda: None)
    monkeypatch.setattr(resources, "_address_space_left", lambda: 4 * 2**30)  # ulimit -v
    assert resources.memory_budget() == 2 * 2**30
    monkeypatch.setattr(resources, "_cgroup_limit", lambda: 2 * 2**30)  # a container
    assert resources.memory_budget() == 2**30
    monkeypatch.setattr(resources, "_cgroup_limit", lambda: None)
    monkeypatch.setattr(resources, "_address_space_left", lambda: None)
    assert resources.memory_budget() == 32 * 2**30


@pytest.fixture
def small_machine(monkeypatch):
    """A machine whose budget is 1 MiB: anything with worker processes is over it."""
    monkeypatch.setattr(resources, "memory_budget", lambda: 2**20)


def test_a_ranking_sweep_without_draws_is_estimated_too(shipped, small_machine, no_simulation):
    start = time.monotonic()
    result = cli("sweep", shipped / "post_sales_cs.yaml", shipped / "cco_full.yaml",
                 "--vary", "assumptions.handoff.decay_per_hop=0:0.3:2", "--runs", "2",
                 "--workers", "2", "--quiet", "-o", shipped / "out")  # fmt: skip
    text = _refused(result, time.monotonic() - start)
    assert "2 worker processes" in text


def test_calibrate_kpis_batches_are_estimated(write_scenario, small_machine, monkeypatch):
    from ccosim.cli import calibrate_cmds

    monkeypatch.setattr(
        calibrate_cmds, "calibrate_study", lambda *a, **k: pytest.fail("calibration started")
    )
    path = write_scenario(MINIMAL)
    start = time.monotonic()
    result = cli("calibrate", "kpis", path, "--target", "smb.logo_retention=0.85",
                 "-o", path.parent / "out.yaml")  # fmt: skip
    text = _refused(result, time.monotonic() - start)
    assert "12 replications of 1 scenario" in text
    assert not (path.parent / "out.yaml").exists()


def test_the_studio_refuses_work_over_the_budget(shipped, small_machine, no_simulation):
    from ccosim.experiment.study import Execution
    from ccosim.studio.folder import Folder
    from ccosim.studio.workbench import Workbench

    paths = [shipped / "post_sales_cs.yaml", shipped / "cco_full.yaml"]
    wb = Workbench.open(paths, Folder.at(shipped), years=1)
    with pytest.raises(resources.ResourceError, match="2 worker processes"):
        wb.compare(2, Execution(workers=2))


def test_draws_are_estimated_at_the_top_of_the_ranges_that_open_accounts(write_scenario):
    """A plan of 100 accounts whose range reaches 500,000 needs the memory of 500,000."""
    text = MINIMAL + (
        "uncertainty:\n"
        "  customers.segments.smb.initial_accounts: {dist: discrete, values: [100, 500000]}\n"
    )
    scenario = load(write_scenario(text))
    point = resources.estimate([scenario], 2, 1)
    drawn = resources.estimate([scenario], 2, 1, draws=2, keys=1)
    assert point.accounts < 200 and drawn.accounts > 500_000
    assert drawn.in_flight > 1000 * point.in_flight
