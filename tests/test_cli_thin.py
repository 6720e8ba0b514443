"""A thin, fast CLI: lazy commands, one seed rule, baseline by label with and without draws."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.cli.base import COMMANDS
from ccosim.cli.org_cmds import SUBCOMMANDS, org
from tests.conftest import ROOT, SCENARIOS

HEAVY = ("matplotlib", "jinja2", "numpy", "networkx", "simpy", "numba", "pydantic")


def _modules_after(*args: str) -> set[str]:
    """The modules ``python -m ccosim ARGS`` has imported by the time it exits."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['ccosim', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('ccosim', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(done.stderr.split())


def test_help_imports_no_plotting_templating_or_engine():
    loaded = _modules_after("--help")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert "ccosim.cli.compare_cmds" not in loaded


def test_validate_imports_no_plotting_or_templating():
    loaded = _modules_after("validate", str(SCENARIOS / "cco_full.yaml"))
    assert "ccosim.scenario" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("matplotlib", "jinja2")}


@pytest.mark.parametrize(
    ("group", "table"), [(main, COMMANDS), (org, SUBCOMMANDS)], ids=["ccosim", "org"]
)
def test_the_lazy_tables_summaries_are_the_commands_own(group, table):
    for name, lazy in table.items():
        command = lazy.load()
        for limit in (45, 80, 200):
            listed = click.Command(name, help=lazy.summary).get_short_help_str(limit)
            assert listed == command.get_short_help_str(limit), name
    listed = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in listed for name in COMMANDS)


SEEDED = [
    ["run", str(SCENARIOS / "cco_full.yaml")],
    ["compare", str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")],
    ["business-case", str(SCENARIOS / "post_sales_cs.yaml"), "--with", "x.yaml"],
    ["sweep", str(SCENARIOS / "cco_full.yaml"), "--vary", "seed=1,2"],
    ["calibrate", "kpis", "mine.yaml", "--target", "smb.grr=0.9", "-o", "out.yaml"],
]


@pytest.mark.parametrize(
    "args", SEEDED, ids=[a[0] if a[0] != "calibrate" else "calibrate-kpis" for a in SEEDED]
)
@pytest.mark.parametrize("seed", ["-1", str(2**32)])
def test_every_seeded_command_refuses_a_seed_out_of_range(args, seed):
    result = CliRunner().invoke(main, [*args, "--seed", seed])
    assert result.exit_code == 2, result.output
    assert "--seed" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_compare_baseline_by_label_with_and_without_draws(tmp_path):
    files = [str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")]
    common = ["--baseline", "CCO org", "--years", "1", "--workers", "1", "--force"]
    plain = CliRunner().invoke(
        main,
        ["compare", *files, *common, "--runs", "2", "--no-attribution", "-o", str(tmp_path / "a")],
    )
    assert plain.exit_code == 0, plain.output
    assert "CCO org *" in plain.output
    drawn = CliRunner().invoke(
        main,
        ["compare", *files, *common, "--draws", "20", "--runs", "1", "-o", str(tmp_path / "b")],
    )
    assert drawn.exit_code == 0, drawn.output
    answers = json.loads((tmp_path / "b" / "data" / "uncertainty.json").read_text())
    assert answers["designs"][0] == "CCO org", "the baseline comes first in the draws"
