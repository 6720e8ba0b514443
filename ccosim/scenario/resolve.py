"""Resolve a scenario's raw data: follow ``extends`` chains, deep-merge, apply ``--set`` overrides.

Merge rules (documented in docs/scenario-format.md):

* mappings merge key by key, the extending file winning;
* lists of mappings that all carry an ``id`` (``org.units``) merge item by item on ``id``:
  a unit with a known id is deep-merged into the base's unit, a new id is appended;
* any other value (scalars, other lists) is replaced whole;
* the ``uncertainty`` table merges key by key, but each key's distribution is replaced whole
  (a uniform range over a base's triangular one keeps nothing of the triangle); a key set
  to null drops the base's range, and ``uncertainty: null`` drops them all.

The ``extends`` rule: the base is a ``.yaml``/``.yml`` file named by a path relative to the
file that names it; absolute paths are refused, and after following ``..`` and symbolic links
the base must lie inside the scenario root (``$CCOSIM_SCENARIO_ROOT``, or else the parent of
the loaded file's folder). A scenario received from someone else cannot make ccosim read files
elsewhere on the disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ccosim.scenario.errors import ScenarioError, SourceMark
from ccosim.scenario.yaml_source import MarkTable, parse_yaml, read_bounded, read_yaml

__all__ = [
    "MAX_EXTENDS_DEPTH",
    "SCENARIO_ROOT_VARIABLE",
    "apply_override",
    "extends_chain",
    "parse_override",
    "read_with_extends",
    "scenario_root",
]

MAX_EXTENDS_DEPTH = 16
SCENARIO_ROOT_VARIABLE = "CCOSIM_SCENARIO_ROOT"


def read_with_extends(path: Path, marks: MarkTable) -> dict[str, Any]:
    """Read ``path`` and every file it ``extends``, merged, with marks for every key.

    Raises:
        ScenarioError: a file is unreadable or not a mapping, or the chain loops or is too long.
    """
    chain: list[Path] = []
    layers: list[dict[str, Any]] = []
    current = path
    root = scenario_root(path)
    while True:
        resolved = current.resolve()
        if resolved in chain:
            loop = " -> ".join(p.name for p in [*chain, resolved])
            raise ScenarioError.at(str(current), f"'extends' forms a cycle: {loop}", path="extends")
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise ScenarioError.at(
                str(path), f"'extends' chain longer than {MAX_EXTENDS_DEPTH} files", path="extends"
            )
        chain.append(resolved)
        data = read_yaml(current, marks)
        if not isinstance(data, dict):
            raise ScenarioError.at(
                str(current),
                f"a scenario is a YAML mapping of keys to values, not a {_kind(data)}",
                line=1,
                column=1,
            )
        layers.append(data)
        base = data.get("extends")
        if base is None:
            break
        if not isinstance(base, str) or not base.strip():
            mark = marks.get(data, "extends")
            raise ScenarioError.at(
                str(current),
                "'extends' must be a file name relative to this file",
                line=mark.line if mark else None,
                column=mark.column if mark else None,
                path="extends",
            )
        current = _extends_target(current, base, root, data, marks)
        if not current.exists():
            mark = marks.get(data, "extends")
            raise ScenarioError.at(
                mark.source if mark else str(current),
                f"'extends' names {base!r}, which does not exist (looked for {current})",
                line=mark.line if mark else None,
                column=mark.column if mark else None,
                path="extends",
            )
    if len(layers) > 1:
        for file, layer in zip(chain, layers, strict=True):
            _refuse_duplicate_ids(layer, marks, str(file))
    merged = layers[-1]
    for layer in reversed(layers[:-1]):
        merged = _merge(merged, layer, marks)
    # The chain has been followed: the resolved scenario stands alone, and its hash must not
    # depend on what the base file happened to be called.
    merged.pop("extends", None)
    return merged


def extends_chain(path: Path) -> list[Path]:
    """``path`` and every file its ``extends`` chain names, as far as the chain can be followed.

    What a command reads, so that no output is written over one of them; a chain that cannot
    be followed (a loop, a file missing or outside the scenario root) stops where it breaks,
    and loading the scenario reports why.
    """
    chain = [Path(path)]
    current = Path(path)
    marks = MarkTable()
    try:
        root = scenario_root(current)
        while len(chain) <= MAX_EXTENDS_DEPTH:
            if not _may_extend(current):
                break
            data: Any = {}
            base = _plain_extends(current)  # a 50,000-unit file costs seconds to parse
            if base == "":
                break
            if base is None:
                data = read_yaml(current, marks)
                base = data.get("extends") if isinstance(data, dict) else None
            if not isinstance(base, str) or not base.strip():
                break
            current = _extends_target(current, base, root, data, marks)
            if not current.exists() or current.resolve() in [p.resolve() for p in chain]:
                break
            chain.append(current)
    except (ScenarioError, OSError):
        pass
    return chain


_UNPLAIN_START = re.compile(rb"^[\"'?{\[&!*%@`|>-]", re.M)
_PLAIN_EXTENDS = re.compile(rb"^extends:[ \t]+([A-Za-z0-9_./-]+)[ \t]*(?:#.*)?$", re.M)


def _plain_extends(path: Path) -> str | None:
    """The base file of ``path`` read from its one top-level ``extends: FILE`` line, if so.

    Only a plain file name on the only line that starts with ``extends`` (what ``org import``
    writes); ``""`` when no line starts with ``extends`` and none starts with a character
    that could spell a key otherwise (quotes, ``?``, flow collections, anchors, tags,
    ``-``, directives); anything else returns None and the file is parsed.
    """
    raw = read_bounded(path, str(path))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        return None  # UTF-16: the byte patterns below do not apply; parse the file
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark before the first key
    lines = re.findall(rb"^extends", raw, re.M)
    if not lines and not _UNPLAIN_START.search(raw):
        return ""  # every top-level key is a plain word at the start of a line, none extends
    found = _PLAIN_EXTENDS.findall(raw)
    if len(found) != 1 or len(lines) != 1:
        return None
    return found[0].decode("ascii")


def _may_extend(path: Path) -> bool:
    """Whether ``path`` could name a base file: only a file whose text holds ``extends`` can.

    Checked on the bytes, so a large org with no base costs one read, not a parse. A backslash
    could spell the key with escapes, and UTF-16 text (NUL bytes) spells it in other bytes,
    so such a file is parsed.
    """
    raw = read_bounded(path, str(path))
    return b"extends" in raw or b"\\" in raw or b"\x00" in raw


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for an error message (a value may be megabytes)."""
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


def scenario_root(path: Path) -> Path:
    """The folder every ``extends`` base must lie in.

    ``$CCOSIM_SCENARIO_ROOT`` if set, else the parent of the loaded file's folder (so
    ``org/today.yaml`` may extend ``../company/customers.yaml``, but nothing elsewhere).
    """
    configured = os.environ.get(SCENARIO_ROOT_VARIABLE, "").strip()
    if configured:
        return Path(configured).resolve()
    return path.resolve().parent.parent


def _extends_target(
    current: Path, base: str, root: Path, data: dict[str, Any], marks: MarkTable
) -> Path:
    """The file ``extends: base`` in ``current`` names, if the rule allows it (see module doc)."""
    mark = marks.get(data, "extends")

    def refuse(message: str) -> ScenarioError:
        return ScenarioError.at(
            mark.source if mark else str(current),
            message,
            line=mark.line if mark else None,
            column=mark.column if mark else None,
            path="extends",
        )

    if Path(base).is_absolute() or base.startswith("~"):
        raise refuse(
            f"'extends' is {base!r}, an absolute path; give the base file relative to this file"
        )
    if Path(base).suffix.lower() not in (".yaml", ".yml"):
        raise refuse(f"'extends' is {base!r}; the base must be a .yaml or .yml scenario file")
    target = current.parent / base
    resolved = target.resolve()
    if not resolved.is_relative_to(root):
        raise refuse(
            f"'extends' {base!r} leads outside the scenario folder {root} (to {resolved}); keep "
            f"base files there, or set {SCENARIO_ROOT_VARIABLE} to a folder that holds both"
        )
    return target


def _refuse_duplicate_ids(layer: dict[str, Any], marks: MarkTable, source: str) -> None:
    """Two units with one id in one file of an ``extends`` chain would merge silently."""
    org = layer.get("org")
    units = org.get("units") if isinstance(org, dict) else None
    if not isinstance(units, list):
        return
    first: dict[str, int] = {}
    for index, unit in enumerate(units):
        uid = unit.get("id") if isinstance(unit, dict) else None
        if not isinstance(uid, str):
            continue
        if uid in first:
            mark = marks.get(units, index)
            earlier = marks.get(units, first[uid])
            raise ScenarioError.at(
                mark.source if mark else source,
                f"duplicate unit id {uid!r} in this file"
                + (f" (first at line {earlier.line})" if earlier and earlier.line else "")
                + "; in a file that extends another, units merge by id, so the second would "
                "silently change the first",
                line=mark.line if mark else None,
                column=mark.column if mark else None,
                path=f"org.units.{uid}",
            )
        first[uid] = index


def _kind(value: Any) -> str:
    return {list: "list", str: "text value", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def _merge(base: Any, over: Any, marks: MarkTable) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out: dict[str, Any] = {}
        for key, value in base.items():
            out[key] = value
            _copy_mark(marks, base, key, out, key)
        for key, value in over.items():
            if key == "uncertainty" and value is None:
                out[key] = {}  # `uncertainty: null` drops every inherited range
            elif (
                key == "uncertainty" and isinstance(base.get(key), dict) and isinstance(value, dict)
            ):
                out[key] = _merge_whole_values(base[key], value, marks)
            else:
                out[key] = _merge(base[key], value, marks) if key in base else value
            _copy_mark(marks, over, key, out, key)
        return out
    if _is_id_list(base) and _is_id_list(over):
        merged: list[Any] = []
        position: dict[str, int] = {}
        for index, item in enumerate(base):
            position[item["id"]] = len(merged)
            merged.append(item)
            _copy_mark(marks, base, index, merged, len(merged) - 1)
        for index, item in enumerate(over):
            if item["id"] in position:
                at = position[item["id"]]
                merged[at] = _merge(merged[at], item, marks)
                _copy_mark(marks, over, index, merged, at)
            else:
                position[item["id"]] = len(merged)
                merged.append(item)
                _copy_mark(marks, over, index, merged, len(merged) - 1)
        return merged
    return over


def _merge_whole_values(base: dict, over: dict, marks: MarkTable) -> dict:
    """Merge two ``uncertainty`` tables key by key, each distribution replaced whole.

    A key set to null in ``over`` drops the base's range for it.
    """
    out: dict[str, Any] = {}
    for source in (base, over):
        for key, value in source.items():
            if value is None and source is over:
                out.pop(key, None)
                continue
            out[key] = value
            _copy_mark(marks, source, key, out, key)
    return out


def _is_id_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in value)
    )


def _copy_mark(marks: MarkTable, src: Any, src_key: Any, dst: Any, dst_key: Any) -> None:
    mark = marks.get(src, src_key)
    if mark is not None:
        marks.set(dst, dst_key, mark)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``path=value`` from the command line; the value is read as a YAML scalar or list.

    Raises:
        ScenarioError: no ``=``, an empty path, or a value that is not valid YAML.
    """
    source = f"--set {shorten(text)}"
    if "=" not in text:
        raise ScenarioError.at(source, "expected PATH=VALUE, e.g. customers.segments.smb.acv=9000")
    path, raw = text.split("=", 1)
    path = path.strip()
    if not path:
        raise ScenarioError.at(source, "empty PATH before '='")
    value = parse_yaml(raw, source, MarkTable()) if raw.strip() else None
    return path, value


def apply_override(
    data: dict[str, Any], path: str, value: Any, marks: MarkTable, *, source: str | None = None
) -> None:
    """Set ``path`` (dotted; list items by index or by ``id``) to ``value`` inside ``data``.

    Missing mappings along the path are created, so an assumption absent from the file can be
    set; validation afterwards rejects keys that do not exist in the format.

    Raises:
        ScenarioError: the path walks through a value that is not a mapping or list, or names
            a list item that does not exist.
    """
    source = source or f"--set {path}={shorten(repr(value))}"
    mark = SourceMark(source)
    parts = path.split(".")
    if any(not p for p in parts):
        raise ScenarioError.at(source, f"malformed path {path!r}: empty part between dots")
    if parts[0] == "uncertainty" and len(parts) > 1:
        _apply_uncertainty_override(data, parts[1:], value, marks, mark, source)
        return
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = ".".join(parts[:depth]) or "(top level)"
        if isinstance(node, dict):
            if last:
                node[part] = value
                marks.set(node, part, mark)
            else:
                child = node.get(part)
                if child is None:
                    if parts[depth + 1].isdigit():
                        raise ScenarioError.at(
                            source,
                            f"{'.'.join(parts[: depth + 1])} is not in the scenario, so it has "
                            f"no item {parts[depth + 1]}; --set changes list items that exist "
                            "but cannot create a list",
                        )
                    node[part] = child = {}
                    marks.set(node, part, mark)
                elif not isinstance(child, (dict, list)):
                    raise ScenarioError.at(
                        source,
                        f"{'.'.join(parts[: depth + 1])} is a single value "
                        f"({shorten(repr(child))}), so it has no key {parts[depth + 1]!r}",
                    )
                node = child
        elif isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                ids = [str(v.get("id")) for v in node if isinstance(v, dict) and "id" in v]
                known = f"; ids here: {', '.join(ids[:20])}" if ids else ""
                raise ScenarioError.at(
                    source, f"{here} has no item {part!r} (give an index 0-{len(node) - 1}{known})"
                )
            if last:
                node[index] = value
                marks.set(node, index, mark)
            else:
                node = node[index]
        else:
            raise ScenarioError.at(source, f"{here} is a single value, so it has no key {part!r}")


def _list_index(items: list[Any], part: str) -> int | None:
    if part.isdigit():
        index = int(part)
        return index if index < len(items) else None
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == part:
            return index
    return None


def _apply_uncertainty_override(
    data: dict[str, Any],
    parts: list[str],
    value: Any,
    marks: MarkTable,
    mark: SourceMark,
    source: str,
) -> None:
    """``uncertainty.KEY[.FIELD]``: the block's keys are dotted paths themselves.

    The longest leading part of the path that is a key of the block names the range and the
    rest (one field, e.g. ``high``) is set in it; a path that is no key of the block sets a
    new range: ``--set 'uncertainty.assumptions.span.limit={dist: uniform, low: 5, high: 9}'``.
    """
    block = data.get("uncertainty")
    if block is None:
        data["uncertainty"] = block = {}
        marks.set(data, "uncertainty", mark)
    if not isinstance(block, dict):
        raise ScenarioError.at(source, "uncertainty is not a mapping of keys to ranges")
    for cut in range(len(parts), 0, -1):
        key = ".".join(parts[:cut])
        if key in block:
            rest = parts[cut:]
            if not rest:
                block[key] = value
                marks.set(block, key, mark)
                return
            if len(rest) > 1 or not isinstance(block[key], dict):
                raise ScenarioError.at(
                    source,
                    f"uncertainty.{key} is a range; --set changes one of its fields "
                    f"(e.g. uncertainty.{key}.high=...), not {'.'.join(rest)!r}",
                )
            block[key][rest[0]] = value
            marks.set(block[key], rest[0], mark)
            return
    key = ".".join(parts)
    block[key] = value
    marks.set(block, key, mark)


def apply_overrides(
    data: dict[str, Any], overrides: Mapping[str, Any] | None, marks: MarkTable
) -> None:
    """Apply a mapping of dotted paths to values, in order (see :func:`apply_override`)."""
    for path, value in (overrides or {}).items():
        apply_override(data, path, value, marks, source=f"override {path}={shorten(repr(value))}")
