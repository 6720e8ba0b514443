"""Writing scenario files people edit by hand: the text of an imported org and its safe write.

The HRIS importer (:mod:`ccosim.io.hris`) turns a CSV into units; this module turns
those units into a scenario file a person can read and edit: a header saying where every
unit came from and how costs were computed, one line per unit (flow style, UTF-8 written as
characters, so "François" stays "François"), the CSV line(s) of each unit as a comment.
Nothing read from the CSV can leave a comment: line breaks and other control characters in
a cell are shown as escapes (``\\n``), so a cell cannot add keys to the file.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.io.hris.summary import ImportResult
from ccosim.output import check_writable, write_text
from ccosim.scenario import ScenarioError, load
from ccosim.scenario.schema import Unit
from ccosim.scenario.yaml_source import MAX_FILE_BYTES, MarkTable, read_yaml
from ccosim.yaml_text import comment_text, dump
from ccosim.yaml_text import scalar as _scalar

__all__ = [
    "PLACEHOLDER_CUSTOMERS",
    "comment_text",
    "placeholder_customers",
    "scenario_files",
    "scenario_yaml",
    "unit_line",
    "write_scenario",
    "write_scenario_files",
]

PLACEHOLDER_CUSTOMERS = """\
# PLACEHOLDER: replace with your customer base. These figures only make the file valid;
# ccosim's simulations are meaningless until they describe your customers (see
# docs/scenario-format.md), or use `ccosim org import --extends FILE` to take them from a
# customers file.
customers:
  segments:
    all:                        # replace with your customer base
      initial_accounts: 100
      acv: 20000
      new_accounts_per_year: 20
      base_churn: 0.1
"""


def placeholder_customers(segments: list[str]) -> str:
    """The placeholder customer base, one segment per segment the units name (else ``all``)."""
    if not segments:
        return PLACEHOLDER_CUSTOMERS
    head, _, _ = PLACEHOLDER_CUSTOMERS.partition("    all:")
    body = "".join(
        f"    {_scalar(name)}:{' ' * max(1, 24 - len(_scalar(name)))}# replace with your "
        "customer base\n"
        "      initial_accounts: 100\n      acv: 20000\n      new_accounts_per_year: 20\n"
        "      base_churn: 0.1\n"
        for name in segments
    )
    return head + body


#: Largest part of an import written to one file (the loader reads up to 2 MB).
PART_BYTES = MAX_FILE_BYTES - 200_000
MAX_LISTED_PROBLEMS = 200


def unit_line(unit: Unit) -> str:
    """One unit as a one-line YAML flow mapping, ``id`` first, defaults left out."""
    data = unit.model_dump(mode="json", exclude_defaults=True)
    data = {"id": unit.id, **{k: v for k, v in data.items() if k != "id"}}
    for key in ("headcount", "open_headcount", "cost"):
        if isinstance(data.get(key), float) and data[key].is_integer():
            data[key] = int(data[key])
    if all(_plain(k) and _simple(v) for k, v in data.items()):
        # The common case, without the cost of the YAML emitter (an import of 100,000 rows
        # writes 15,000 of these): the same text safe_dump writes for these values.
        return "{" + ", ".join(f"{k}: {_flow_scalar(v)}" for k, v in data.items()) + "}"
    return dump(data, flow=True, width=10**6).strip()


# Text YAML reads back as the same string when written bare in a flow mapping: starts with
# a letter, then letters (any script), digits, spaces and harmless punctuation; none of
# YAML's indicators (",", ":", "#", "[", "{", ...) that would end or change the scalar.
_PLAIN = re.compile(r"^[^\W\d_][\w .()/&'+-]*$")
_RESERVED = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null|nan|inf)$", re.IGNORECASE)


def _plain(text: object) -> bool:
    return (
        isinstance(text, str)
        and bool(_PLAIN.match(text))
        and not text.endswith(" ")
        and not _RESERVED.match(text)
    )


def _simple(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return value == value and abs(value) != float("inf")
    return _plain(value)


def _flow_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    assert isinstance(value, str)  # a plain string: _simple() said so
    return value


def _find_schema(output: Path, extends: Path | None) -> str | None:
    here = output.resolve().parent
    places = [extends.resolve().parent] if extends is not None else []
    for folder in [here, *list(here.parents)[:3]]:
        places += [folder, folder / "scenarios"]
    for place in places:
        candidate = place / "scenario.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, here)).as_posix()
    return None


def _check_extends(base: Path) -> None:
    if not base.is_file():
        raise CcosimError(f"--extends {base}: no such file")
    data = read_yaml(base, MarkTable())  # bounded: sizes, depth, aliases
    if isinstance(data, dict) and isinstance(data.get("org"), dict) and data["org"].get("units"):
        raise CcosimError(
            f"--extends {base}: that file has its own org.units, and scenario files merge "
            "units by id, so the imported org would get a second top; extend a file with "
            "only customers: (and assumptions:)"
        )


def _header(
    result: ImportResult,
    output: Path,
    base: Path | None,
    name: str | None,
    currency: str | None,
) -> list[str]:
    out: list[str] = []
    schema = _find_schema(output, base)
    if schema:
        out.append(f"# yaml-language-server: $schema={comment_text(schema)}")
    settings = result.settings
    if settings["loaded_multiplier"] is None:
        cost_rule = "the cost column as loaded cost per head (not multiplied again)"
    else:
        multiplier = settings["loaded_multiplier"]
        cost_rule = f"salary x {multiplier:g} (loaded: benefits, taxes, overhead)"
    period = settings.get("pay_period", "monthly" if settings["monthly"] else "annual")
    if settings.get("pay_period_column"):
        cost_rule += f", annualised by column {settings['pay_period_column']}"
    elif period != "annual":
        cost_rule += f", {period} pay annualised"
    source = comment_text(Path(result.source).name)
    columns = ", ".join(f"{k}={v}" for k, v in result.columns.items())
    out += [
        "#",
        f"# Imported from {source} by `ccosim org import`: {result.employees} "
        f"rows -> {len(result.units)} units.",
        *textwrap.wrap(
            comment_text(f"{result.headline()}."),
            width=96,
            initial_indent="# ",
            subsequent_indent="#   ",
        ),
        *textwrap.wrap(
            comment_text(f"Columns: {columns}."),
            width=96,
            initial_indent="# ",
            subsequent_indent="#   ",
        ),
        f"# Cost per head: {cost_rule}; no cost = the function's default.",
        f"# Functions guessed from titles and departments by {settings['keywords']}",
        "# (a function column, when there is one, is taken as it is);",
        "# check them: they drive the simulation. Each unit ends with its CSV line(s).",
    ]
    for note in result.notes:
        out.append(f"# Note: {comment_text(note)}")
    for label, rows in (
        ("Left out (inactive)", result.listed.inactive),
        ("No pay (cost_source: default)", result.listed.blank_pay),
        ("Pay looks like another period's", result.listed.doubtful_pay),
    ):
        for row in rows[:MAX_LISTED_PROBLEMS]:
            out.append(f"# {label}: {comment_text(row.describe())}")
        if len(rows) > MAX_LISTED_PROBLEMS:
            out.append(f"# ... and {len(rows) - MAX_LISTED_PROBLEMS} more")
    for problem in result.problems[:MAX_LISTED_PROBLEMS]:
        out.append(f"# Skipped or changed: {comment_text(problem.describe(source))}")
    if len(result.problems) > MAX_LISTED_PROBLEMS:
        out.append(f"# ... and {len(result.problems) - MAX_LISTED_PROBLEMS} more problems")
    out.append("name: " + _scalar(name or f"Imported from {Path(result.source).name}"))
    if currency:
        out.append(f"currency: {_scalar(currency)}")
    return out


def _unit_lines(result: ImportResult) -> list[str]:
    """One line per unit, with its CSV line(s) in a comment.

    A unit with no cost of its own (no pay in a file that has a pay column) says
    ``cost_source: default`` in the comment: the schema keeps ``cost`` absent for the
    function's default, and the comment tells a reader which costs are not the person's.
    """
    out = []
    marked = bool(result.settings.get("has_cost"))
    for unit in result.units:
        lines = result.lines.get(unit.id, [])
        if len(lines) > 3:
            where = f"lines {lines[0]}, {lines[1]} and {len(lines) - 2} more"
        else:
            label = "line" if len(lines) == 1 else "lines"
            where = f"{label} {', '.join(str(n) for n in lines)}"
        default = "; cost_source: default" if marked and unit.cost is None else ""
        out.append(f"    - {unit_line(unit)}  # {where}{default}")
    return out


def _extends_line(target: Path, output: Path) -> str:
    relative = Path(os.path.relpath(target.resolve(), output.resolve().parent)).as_posix()
    return f"extends: {_scalar(relative)}"


def scenario_files(
    result: ImportResult,
    output: str | Path,
    *,
    extends: str | Path | None = None,
    name: str | None = None,
    currency: str | None = None,
    part_bytes: int | None = None,
    unit_lines: list[str] | None = None,
) -> list[tuple[Path, str]]:
    """The scenario file(s) of an import: one file, or a chain when one would be too large.

    A scenario file holds at most 2 MB (the loader's limit). An import larger than
    ``part_bytes`` (default :data:`PART_BYTES`) is written as ``OUTPUT`` plus
    ``STEM.units-2.yaml``, ``-3`` ...: each part ``extends:`` the next, and the loader
    merges their units by id into one org.
    The first file has the header, the name and the first units; the last extends the
    ``extends`` file (or holds the placeholder customer base).

    ``unit_lines`` are the units' lines if already made (they do not depend on ``output``).

    Returns:
        (path, text) of each file, the scenario to load first.
    """
    output = Path(output)
    part_bytes = PART_BYTES if part_bytes is None else part_bytes
    base: Path | None = Path(extends) if extends is not None else None
    if base is not None:
        _check_extends(base)
    segments = list(dict.fromkeys(u.segment for u in result.units if u.segment))
    tail = [] if base is not None else ["", placeholder_customers(segments).rstrip("\n")]
    units = _unit_lines(result) if unit_lines is None else unit_lines
    chunks: list[list[str]] = [[]]
    size = 0
    for line in units:
        if chunks[-1] and size + len(line.encode("utf-8")) + 1 > part_bytes:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line.encode("utf-8")) + 1
    paths = [output] + [
        output.with_name(f"{output.stem}.units-{k}{output.suffix or '.yaml'}")
        for k in range(2, len(chunks) + 1)
    ]
    files = []
    for index, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
        last = index == len(chunks) - 1
        if index == 0:
            head = _header(result, output, base, name, currency)
        else:
            head = [
                f"# Part {index + 1} of {len(chunks)} of {output.name}, written by "
                "`ccosim org import`: more units of the same org",
                f"# ({output.name} extends this file; ccosim merges units by id).",
            ]
        if not last:
            head.append(_extends_line(paths[index + 1], path))
        elif base is not None:
            head.append(_extends_line(base, path))
        body = [*head, *(tail if last else []), "", "org:", "  units:", *chunk]
        files.append((path, "\n".join(body) + "\n"))
    return files


def scenario_yaml(
    result: ImportResult,
    output: str | Path,
    *,
    extends: str | Path | None = None,
    name: str | None = None,
    currency: str | None = None,
) -> str:
    """The scenario file text for an import, as one file (see :func:`scenario_files`).

    Args:
        result: What :func:`ccosim.io.hris.import_hris_csv` produced.
        output: Where the file will be written (``extends`` and the schema are relative to it).
        extends: A file giving ``customers:`` (and perhaps ``assumptions:``); written as
            ``extends:``. Without it, a placeholder customer base, clearly marked.
        name: The scenario's name (default: "Imported from FILE").
        currency: ISO 4217 code of the costs, if not USD.

    Returns:
        YAML text.

    Raises:
        CcosimError: ``extends`` does not exist or has its own ``org.units``, which would merge
            with the imported ones.
    """
    ((_, text),) = scenario_files(
        result, output, extends=extends, name=name, currency=currency, part_bytes=10**12
    )
    return text


def write_scenario_files(
    result: ImportResult,
    output: str | Path,
    *,
    extends: str | Path | None = None,
    name: str | None = None,
    currency: str | None = None,
    force: bool = False,
) -> list[Path]:
    """Write an import as :func:`scenario_files`, after checking the loader accepts them.

    The files are first written to a temporary folder beside ``output`` and loaded from
    there; only if that succeeds are they written (each atomically) where they belong.

    Returns:
        The files written, the scenario to load first.

    Raises:
        OutputExistsError: a file exists and ``force`` is false.
        CcosimError: the scenario does not validate (the message names ``output``).
    """
    output = Path(output)
    lines = _unit_lines(result)
    files = scenario_files(
        result, output, extends=extends, name=name, currency=currency, unit_lines=lines
    )
    if len(files) == 1:
        write_scenario(files[0][1], output, force=force)
        return [output]
    for path, _ in files:
        check_writable(path, force)
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{output.stem}.check.", dir=output.parent))
    try:
        trial = scenario_files(
            result,
            folder / output.name,
            extends=extends,
            name=name,
            currency=currency,
            unit_lines=lines,
        )
        for path, text in trial:
            path.write_text(text, encoding="utf-8")
        try:
            load(trial[0][0])
        except ScenarioError as exc:
            message = str(exc).replace(str(folder), str(output.parent))
            raise CcosimError(f"the imported scenario does not validate:\n{message}") from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for path, text in reversed(files):
        write_text(path, text, force=force)
    return [p for p, _ in files]


def write_scenario(text: str, output: str | Path, *, force: bool = False) -> Path:
    """Check that ``text`` is a valid scenario where it will live, then write it atomically.

    Raises:
        OutputExistsError: ``output`` exists and ``force`` is false.
        CcosimError: the scenario is larger than the loader reads, or does not validate (the
            message says why, naming ``output``, not the temporary copy checked).
    """
    output = Path(output)
    check_writable(output, force)
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise CcosimError(
            f"{output}: the imported scenario would be {size:,} bytes, more than the "
            f"{MAX_FILE_BYTES:,} bytes a scenario file may have; import with --fold-teams "
            "(one unit per team of like reports) or import one part of the org at a time"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".check.yaml", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            load(tmp)
        except ScenarioError as exc:
            message = str(exc).replace(tmp, str(output))
            raise CcosimError(f"the imported scenario does not validate:\n{message}") from exc
    finally:
        os.unlink(tmp)
    return write_text(output, text, force=force)
