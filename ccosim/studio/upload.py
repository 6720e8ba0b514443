"""An HRIS export uploaded in the studio: imported as one more design beside the others.

The file goes through the HRIS importer of ``ccosim org import`` (:func:`~ccosim.io.hris.
import_hris_csv`: CSV in any of its encodings and separators, or an .xlsx workbook). The
org it gives takes the customers, assumptions and uncertainty ranges of the first design,
so it runs on the same simulated customers as the others and the table compares orgs only.
Problems are reported by row of the uploaded file, under its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.io.hris import HrisImportError, import_hris_csv
from ccosim.scenario import Scenario
from ccosim.scenario.checks import check_scenario
from ccosim.studio.workbench import NOT_SETTINGS, Workbench

__all__ = ["MAX_UPLOAD_FILE_BYTES", "UPLOAD_SUFFIXES", "ImportOutcome", "import_design"]

#: Largest HRIS file the studio imports (about 100,000 rows of a typical export).
MAX_UPLOAD_FILE_BYTES = 10 * 1024 * 1024
#: File kinds the upload accepts.
UPLOAD_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
#: Problems listed at most (the rest counted).
MAX_LISTED = 20


@dataclass(frozen=True)
class ImportOutcome:
    """What an upload gave: the new design's index (None: refused) and what to tell the user.

    Attributes:
        index: The new design's index, or None when the file was refused.
        headline: One sentence: what was imported, or why not.
        lines: Problems by row (refused), or the importer's notes (imported).
    """

    index: int | None
    headline: str
    lines: tuple[str, ...] = ()


def _label(name: str) -> str:
    stem = "".join(c if c.isalnum() or c in " _.()+-" else "_" for c in Path(name).stem)
    stem = stem.strip(" _.()+-")[:30] or "import"
    if not stem[0].isalnum():
        stem = "import " + stem
    return f"{stem} (imported)"


def _refused(name: str, exc: HrisImportError) -> ImportOutcome:
    problems = exc.problems
    lines = [
        p.describe(name, done=False).replace("(--lenient: ", "(import what it can: ")
        for p in problems[:MAX_LISTED]
    ]
    if len(problems) > MAX_LISTED:
        lines.append(f"... and {len(problems) - MAX_LISTED} more")
    count = len(problems)
    return ImportOutcome(
        None,
        f"{name}: not imported, {count} problem{'s' if count != 1 else ''} "
        "(tick 'import what it can' to skip or repair them)",
        tuple(lines),
    )


def import_design(
    wb: Workbench, path: str | Path, name: str, *, lenient: bool = False
) -> ImportOutcome:
    """Import the uploaded file at ``path`` (called ``name`` by the user) as a new design.

    Args:
        wb: The session's designs; the new one is added last.
        path: Where the upload was stored.
        name: The file's name on the user's machine (shown in every message).
        lenient: Import what can be imported (``ccosim org import --lenient``).

    Returns:
        The outcome; a refusal (size, kind, problems by row) is an outcome, not an exception.
    """
    path = Path(path)
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        return ImportOutcome(None, f"{name}: upload a CSV or .xlsx HRIS export")
    size = path.stat().st_size
    if size > MAX_UPLOAD_FILE_BYTES:
        return ImportOutcome(
            None,
            f"{name}: {size / 1e6:.1f} MB is over the studio's upload limit of "
            f"{MAX_UPLOAD_FILE_BYTES / 1e6:.0f} MB; import it with `ccosim org import` instead",
        )
    try:
        result = import_hris_csv(path, lenient=lenient)
    except HrisImportError as exc:
        return _refused(name, exc)
    except CcosimError as exc:
        return ImportOutcome(None, f"{name}: {str(exc).replace(str(path), name)}")
    base = wb.designs[0].original
    data = base.model_dump(mode="json", exclude=set(NOT_SETTINGS))
    data["name"] = f"Org imported from {name}"[:200]
    data["org"] = {"units": [u.model_dump(mode="json", exclude_none=True) for u in result.units]}
    # Ranges of unit keys name the first design's units; the imported org has others.
    data["uncertainty"] = {
        k: v for k, v in data.get("uncertainty", {}).items() if not k.startswith("org.")
    }
    try:
        scenario = Scenario.model_validate(data)
    except ValueError as exc:
        return ImportOutcome(None, f"{name}: the imported org is not valid: {exc}")
    problems = list(check_scenario(scenario))
    if problems:
        listed = tuple(f"{'.'.join(map(str, p))}: {m}" for p, m in problems[:MAX_LISTED])
        return ImportOutcome(None, f"{name}: the imported org is not valid", listed)
    try:
        index = wb.add_design(_label(name), name, scenario)
    except CcosimError as exc:
        return ImportOutcome(None, f"{name}: {exc}")
    notes = tuple(p.describe(name) for p in result.problems[:MAX_LISTED]) + tuple(result.notes)
    return ImportOutcome(
        index,
        f"{name}: imported as '{wb.labels[index]}', {result.headline()}; customers and "
        f"assumptions from {wb.labels[0]}",
        notes,
    )
