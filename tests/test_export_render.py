"""Exports are real files for real tools: Graphviz draws every shipped scenario's DOT."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from tests.conftest import shipped_scenarios


@pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz not installed (apt-get install graphviz); .ci/run installs it",
)
@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.name)
def test_graphviz_draws_the_dot_export(path, tmp_path):
    dot_file = tmp_path / "org.dot"
    result = CliRunner().invoke(main, ["org", "export", str(path), "-o", str(dot_file)])
    assert result.exit_code == 0, result.output
    drawn = subprocess.run(
        ["dot", "-Tsvg", str(dot_file)], capture_output=True, text=True, timeout=60, check=False
    )
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stderr == "", drawn.stderr  # no syntax warnings either
    assert drawn.stdout.count('class="node"') >= 20
