"""Shared fixtures: paths of the shipped scenarios and a writer for small scenario files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
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
