"""Provenance: every report carries the exact inputs that produced its numbers.

For each scenario the resolved form (after ``extends`` and overrides) is written as YAML with
its SHA-256 hash, and a manifest records the seed, the number of runs, the ccosim version and
the command line. Loading a resolved file reproduces the run exactly.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from ccosim._version import __version__
from ccosim.output import write_text
from ccosim.scenario import Scenario, scenario_hash

__all__ = ["manifest", "resolved_yaml", "write_provenance"]


def resolved_yaml(scenario: Scenario, source: str) -> str:
    """The resolved scenario as YAML, headed by where it came from and its hash."""
    data = scenario.model_dump(mode="json", exclude={"extends"})
    header = (
        f"# Resolved from {source} by ccosim {__version__} (extends and overrides applied).\n"
        f"# sha256: {scenario_hash(scenario)}\n"
        f"# Run it again with: ccosim run THIS_FILE --seed {scenario.seed}\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def manifest(
    scenarios: Sequence[tuple[str, Scenario]],
    *,
    seed: int,
    runs: int,
    command: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
) -> dict[str, Any]:
    """What produced a report: version, seed, runs, command line, and each scenario's hash."""
    return {
        "ccosim_version": __version__,
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "command": list(command if command is not None else sys.argv),
        "seed": seed,
        "runs": runs,
        "overrides": list(overrides),
        "scenarios": [
            {
                "label": label,
                "name": s.name,
                "sha256": scenario_hash(s),
                "resolved": f"scenarios/{label}.resolved.yaml",
            }
            for label, s in scenarios
        ],
    }


def write_provenance(
    folder: Path,
    scenarios: Sequence[tuple[str, Scenario]],
    sources: Sequence[str],
    *,
    seed: int,
    runs: int,
    command: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
) -> dict[str, Any]:
    """Write ``scenarios/<label>.resolved.yaml`` and ``manifest.json`` into ``folder``."""
    for (label, scenario), source in zip(scenarios, sources, strict=True):
        write_text(
            folder / "scenarios" / f"{label}.resolved.yaml",
            resolved_yaml(scenario, source),
            force=True,
        )
    data = manifest(scenarios, seed=seed, runs=runs, command=command, overrides=overrides)
    write_text(folder / "manifest.json", json.dumps(data, indent=2) + "\n", force=True)
    return data
