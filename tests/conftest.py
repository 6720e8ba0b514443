"""Shared fixtures: paths of the shipped scenarios and a writer for small scenario files."""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
ARCHETYPES = ["vp_services", "post_sales_cs", "cco_full", "cs_under_sales", "cxo_tech_touch"]

MINIMAL = """\
name: Minimal
horizon_years: 3
seed: 7
customers:
  segments:
    smb:
      initial_accounts: 100
      acv: 9000
      new_accounts_per_year: 20
      base_churn: 0.15
org:
  units:
    - {id: ceo, title: CEO, function: executive}
    - {id: cco, title: CCO, function: executive, reports_to: ceo}
    - {id: csm, title: CSMs, function: customer_success, reports_to: cco, headcount: 4}
"""


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text (dedented) to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def shipped_scenarios() -> list[Path]:
    """Every YAML scenario shipped in scenarios/."""
    return sorted(SCENARIOS.glob("*.yaml"))


#: Paths a test run may leave in the repository: caches and the installed environment.
_RUN_LEFTOVERS = (".venv/", ".pytest_cache/", ".ruff_cache/", ".hypothesis/", "__pycache__/")


def _files_in_repository() -> set[str] | None:
    """Untracked and ignored paths of the working tree (None: not a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    paths = {line[3:] for line in out.splitlines() if line[:2] in ("??", "!!")}
    return {
        p for p in paths if not any(part in p for part in _RUN_LEFTOVERS) and ".egg-info" not in p
    }


@pytest.fixture(scope="module", autouse=True)
def _no_test_writes_into_the_repository() -> Iterator[None]:
    """Fail a test module that leaves new files in the repository (tests write to tmp_path)."""
    before = _files_in_repository()
    yield
    after = _files_in_repository()
    if before is not None and after is not None:
        new = sorted(after - before)
        assert not new, f"a test wrote into the repository (use tmp_path): {', '.join(new)}"
