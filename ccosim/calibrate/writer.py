"""The calibrated scenario: a small file that ``extends`` the user's and sets fitted values.

The user's file is never touched. The written file names it (relative to the output's
folder), carries a comment block saying what was fitted to what, and overrides only the
fitted segment keys; it loads with :func:`ccosim.load` like any scenario.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ccosim.calibrate.retention import CalibrationError
from ccosim.output import check_writable, write_text
from ccosim.scenario import load
from ccosim.scenario.errors import ScenarioError
from ccosim.scenario.resolve import extends_chain
from ccosim.yaml_text import comment_lines, dump

__all__ = ["calibrated_scenario_text", "write_calibrated"]


def _plain(value: Any) -> Any:
    """Floats rounded to 6 significant decimals; nested mappings and lists kept."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, int | str):
        return value
    return round(float(value), 6)


def calibrated_scenario_text(
    base: Path,
    output: Path,
    name: str,
    segments: Mapping[str, Mapping[str, Any]],
    comments: Sequence[str],
    extra: Mapping[str, Any] | None = None,
) -> str:
    """YAML text of a scenario extending ``base`` with the fitted segment values.

    ``extra``: top-level keys written too (e.g. the ``calibration`` block).
    """
    rel = os.path.relpath(Path(base).resolve(), Path(output).resolve().parent)
    data = {
        "extends": Path(rel).as_posix(),
        "name": name,
        "customers": {
            "segments": {
                seg: {k: _plain(v) for k, v in values.items()} for seg, values in segments.items()
            }
        },
        **{k: _plain(v) for k, v in (extra or {}).items()},
    }
    # Comments quote --set values, cohort and file names: the one writer keeps each on its
    # line (a newline in them is written as \n, never as a new key).
    head = comment_lines(comments)
    body = dump(data, number_lists_flow=True)
    return f"{head}\n{body}"


def write_calibrated(
    base: Path,
    output: Path,
    segments: Mapping[str, Mapping[str, Any]],
    comments: Sequence[str],
    *,
    force: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write the calibrated scenario atomically and check that it loads.

    Raises:
        OutputExistsError: ``output`` exists and ``force`` is false.
        CalibrationError: The scenario would not load from ``output`` (e.g. its ``extends``
            would leave the scenario root); nothing is written.
    """
    name = load(base).name
    name = name if name.endswith("(calibrated)") else f"{name} (calibrated)"
    text = calibrated_scenario_text(base, output, name, segments, comments, extra)
    check_writable(Path(output), force, inputs=extends_chain(Path(base)))
    # Load it from a scratch file beside the output first: a scenario that does not load is
    # never written, and an existing output is only replaced by one that does.
    folder = Path(output).resolve().parent
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", dir=folder, delete=False, encoding="utf-8"
    ) as scratch:
        scratch.write(text)
    try:
        load(Path(scratch.name))
    except ScenarioError as err:
        Path(scratch.name).unlink(missing_ok=True)
        for made in created:  # leave no folder behind for a file not written
            made.rmdir()
        message = str(err).replace(scratch.name, str(output))
        raise CalibrationError(
            f"{output} cannot extend {base}: {message}. Write the calibrated scenario in the "
            "folder of the scenario it extends, or next to that folder (e.g. -o "
            "reports/calibrated.yaml beside scenarios/)"
        ) from None
    finally:
        Path(scratch.name).unlink(missing_ok=True)
    return write_text(output, text, force=force)
