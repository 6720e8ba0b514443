"""Provenance: every report carries the exact inputs that produced its numbers.

For each scenario the resolved form (after ``extends`` and overrides) is written as YAML with
its hash, and a manifest records the seed, the number of runs, the command line and the
versions of Python, numpy, numba, simpy and ccosim. Loading a resolved file reproduces the run
exactly.

The hash (:func:`ccosim.scenario.scenario_hash`) is the SHA-256 of the scenario's canonical
JSON: the validated scenario (``model_dump(mode="json")``, defaults filled in, ``extends``
applied) as ``json.dumps(data, sort_keys=True, separators=(",", ":"))``, non-ASCII characters
escaped, so the same scenario written with other comments, key order or defaults left out has
the same hash. The manifest states this as ``hash_method``.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ccosim._version import __version__
from ccosim.output import write_text
from ccosim.scenario import Scenario, scenario_hash
from ccosim.yaml_text import comment_text, dump

__all__ = ["HASH_METHOD", "manifest", "resolved_yaml", "versions", "write_provenance"]

#: How scenario hashes are made (stated in every manifest).
HASH_METHOD = (
    "sha256 of json.dumps(scenario.model_dump(mode='json'), sort_keys=True, "
    "separators=(',', ':')) encoded as UTF-8: the validated scenario with defaults filled in "
    "and extends applied, keys sorted, non-ASCII escaped"
)


def versions() -> dict[str, str]:
    """Versions of the software that computed the numbers."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "ccosim": __version__}
    for package in ("numpy", "numba", "simpy", "scipy", "networkx", "matplotlib", "pydantic"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "not installed"
    return out


def file_stem(label: str) -> str:
    """A design label as a file name (letters, digits, ``-``, ``_`` and ``.``)."""
    out = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label).strip("._")
    return out or "design"


def resolved_yaml(scenario: Scenario, source: str) -> str:
    """The resolved scenario as YAML, headed by where it came from and its hash."""
    data = scenario.model_dump(mode="json", exclude={"extends"})
    header = (
        f"# Resolved from {comment_text(source)} by ccosim {__version__} (extends and "
        "overrides applied).\n"
        f"# sha256: {scenario_hash(scenario)}\n"
        f"# Run it again with: ccosim run THIS_FILE --seed {scenario.seed}\n"
    )
    return header + dump(data)


def manifest(
    scenarios: Sequence[tuple[str, Scenario]],
    *,
    seed: int,
    runs: int,
    command: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    paired: bool | None = None,
    draws: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What produced a report: versions, seed, runs, command line, and each scenario's hash.

    ``runs`` is the replications per design of the tables at the assumptions' point values;
    with ``draws`` (the report of a ``--draws`` run) the manifest also says how many draws,
    how many runs each, and how many replications the whole report took.
    """
    data: dict[str, Any] = {
        "ccosim_version": __version__,
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "versions": versions(),
        "command": list(command if command is not None else sys.argv),
        "seed": seed,
        "runs": runs,
        "overrides": list(overrides),
        "hash_method": HASH_METHOD,
        "scenarios": [
            {
                "label": label,
                "name": s.name,
                "sha256": scenario_hash(s),
                "resolved": f"scenarios/{file_stem(label)}.resolved.yaml",
            }
            for label, s in scenarios
        ],
    }
    if paired is not None:
        data["paired"] = paired
    designs = len(scenarios)
    data["runs_meaning"] = "replications per design at the assumptions' point values"
    if draws:
        data["draws"] = dict(draws)
        per_draw = int(draws.get("draws", 0)) * int(draws.get("runs_per_draw", 0))
        data["replications"] = designs * (runs + per_draw)
    else:
        data["replications"] = designs * runs
    return data


def write_provenance(
    folder: Path,
    scenarios: Sequence[tuple[str, Scenario]],
    sources: Sequence[str],
    *,
    seed: int,
    runs: int,
    command: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    paired: bool | None = None,
    draws: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``scenarios/<label>.resolved.yaml`` and ``manifest.json`` into ``folder``."""
    for (label, scenario), source in zip(scenarios, sources, strict=True):
        write_text(
            folder / "scenarios" / f"{file_stem(label)}.resolved.yaml",
            resolved_yaml(scenario, source),
            force=True,
        )
    data = manifest(
        scenarios,
        seed=seed,
        runs=runs,
        command=command,
        overrides=overrides,
        paired=paired,
        draws=draws,
    )
    write_text(folder / "manifest.json", json.dumps(data, indent=2) + "\n", force=True)
    return data
