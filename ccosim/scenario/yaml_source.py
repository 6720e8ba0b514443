"""Bounded YAML reading for untrusted scenario files, keeping where every key came from.

PyYAML's safe composer builds the node graph (aliases stay shared, so a "billion laughs"
file is still small there); we then measure the graph's *expanded* size before building any
Python objects, so an alias bomb is refused in milliseconds. Nesting depth is capped inside
the composer, before Python's recursion limit is reached. Every mapping key and sequence item
gets a :class:`SourceMark` in a :class:`MarkTable`, which turns a validation error's key path
back into ``file:line:column``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ccosim.scenario.errors import ScenarioError, SourceMark

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MarkTable",
    "parse_yaml",
    "read_bounded",
    "read_yaml",
]

MAX_FILE_BYTES = 2_000_000
"""Largest scenario file read (bytes). A 1,500-unit org is about 200 kB."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted."""
MAX_NODES = 500_000
"""Most YAML nodes accepted after expanding aliases."""

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_LEADING_ZERO = re.compile(r"[-+]?0[0-7_]+")


class MarkTable:
    """Source marks of mapping keys and list items, keyed by the container that holds them.

    Containers are kept alive by the table, so ``id()`` keys stay unique while it exists.
    """

    def __init__(self) -> None:
        self._marks: dict[tuple[int, Any], SourceMark] = {}
        self._alive: list[Any] = []

    def set(self, container: dict | list, key: Any, mark: SourceMark) -> None:
        """Record that ``container[key]`` was written at ``mark``."""
        self._marks[(id(container), key)] = mark
        self._alive.append(container)

    def get(self, container: Any, key: Any) -> SourceMark | None:
        """Where ``container[key]`` was written, if known."""
        return self._marks.get((id(container), key))

    def update(self, other: MarkTable) -> None:
        """Take in every mark of ``other``."""
        self._marks.update(other._marks)
        self._alive.extend(other._alive)

    def locate(self, root: Any, path: tuple[Any, ...]) -> SourceMark | None:
        """The mark of the deepest element of ``path`` that exists under ``root``."""
        found: SourceMark | None = None
        node = root
        for key in path:
            if (isinstance(node, dict) and key in node) or (
                isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
            ):
                found = self.get(node, key) or found
                node = node[key]
            else:
                break
        return found


class _BoundedLoader(yaml.SafeLoader):
    """Safe loader whose composer refuses absurd nesting before recursion runs out."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _TooDeep(mark.line + 1, mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _TooDeep(Exception):
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


def read_yaml(path: Path, marks: MarkTable) -> Any:
    """Read and parse a YAML file with the size, depth and alias limits.

    Args:
        path: The file.
        marks: Table that receives the source mark of every key and list item.

    Returns:
        Plain Python data (dicts, lists, scalars).

    Raises:
        ScenarioError: on any problem, naming the file and, where known, line and column.
    """
    source = str(path)
    raw = read_bounded(path, source)
    # UTF-8 (with or without a byte-order mark), or UTF-16 with one, as YAML allows and as
    # Windows editors save "Unicode" text; anything else is refused rather than guessed.
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        found = "UTF-16" if utf16 else "UTF-8"
        raise ScenarioError.at(
            source, f"not {found} text (bad byte at offset {exc.start}); save the file as UTF-8"
        ) from None
    return parse_yaml(text, source, marks)


def read_bounded(
    path: Path, source: str, *, limit: int = MAX_FILE_BYTES, kind: str = "YAML file"
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, checked before reading.

    The file is opened without blocking (a named pipe cannot hang the reader), then checked
    through its open descriptor: a device (``/dev/zero``), pipe, socket or folder is refused,
    and so is a file larger than the limit; at most ``limit + 1`` bytes are ever read.

    Raises:
        ScenarioError: naming ``source`` and what is wrong.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ScenarioError.at(source, "file not found") from None
    except IsADirectoryError:
        raise ScenarioError.at(source, f"is a directory, not a {kind}") from None
    except OSError as exc:
        raise ScenarioError.at(source, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError.at(source, f"is a directory, not a {kind}")
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError.at(
                source, f"is not a regular file (a device, pipe or socket); give a {kind}"
            )
        if info.st_size > limit:
            raise ScenarioError.at(
                source, f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes"
            )
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise ScenarioError.at(source, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise ScenarioError.at(source, f"file grew past the limit of {limit:,} bytes while read")
    return raw


def parse_yaml(text: str, source: str, marks: MarkTable) -> Any:
    """Parse YAML text from ``source`` (a file name used in messages); see :func:`read_yaml`."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError.at(source, f"text is longer than {MAX_FILE_BYTES:,} characters")
    root, measured = _compose_fast(text)
    loader: _BoundedLoader | None = None
    try:
        if root is None:
            loader = _BoundedLoader(text)
            root = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ScenarioError.at(
            source,
            f"character U+{code:04X} is not allowed in YAML; remove it (control characters "
            "often come from copy-paste)",
            line=line,
            column=column,
        ) from None
    except _TooDeep as exc:
        raise ScenarioError.at(
            source, f"nested deeper than {MAX_DEPTH} levels", line=exc.line, column=exc.column
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ScenarioError.at(
            source,
            f"YAML syntax: {what}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError.at(source, f"YAML syntax: {exc}") from None
    except RecursionError:
        raise ScenarioError.at(source, "nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise ScenarioError.at(source, "file is empty; a scenario is a YAML mapping")
    try:
        size, depth = measured or _expanded_size(root)
    except _RecursiveAlias as exc:
        raise ScenarioError.at(
            source,
            "an alias refers to its own anchor (directly or through the values under it), "
            "so the value would never end",
            line=exc.node.start_mark.line + 1,
            column=exc.node.start_mark.column + 1,
        ) from None
    if size > MAX_NODES:
        raise ScenarioError.at(
            source,
            f"expands to more than {MAX_NODES:,} YAML nodes through aliases; "
            "is this an alias bomb?",
            line=root.start_mark.line + 1,
            column=root.start_mark.column + 1,
        )
    if depth > MAX_DEPTH:
        raise ScenarioError.at(
            source,
            f"nested deeper than {MAX_DEPTH} levels once aliases are expanded",
            line=root.start_mark.line + 1,
            column=root.start_mark.column + 1,
        )
    return _Builder(source, marks).build(root)


def _compose_fast(text: str) -> tuple[Node | None, tuple[int, int] | None]:
    """The node graph composed by libyaml (C), and its size and depth when it has no aliases.

    libyaml reads a large org many times faster than PyYAML's Python scanner. Its composer
    recurses, so the nesting depth is measured on the event stream first. A file too deep, or
    one libyaml refuses, gives ``(None, None)``: the Python loader then reads it, and its
    messages name the line. Without aliases the tree is its own expansion, so the size and
    depth counted on the events are final; with aliases they are left to
    :func:`_expanded_size`.
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return None, None
    depth = deepest = nodes = 0
    aliases = False
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if isinstance(event, yaml.AliasEvent):
                aliases = True
            elif not isinstance(event, yaml.NodeEvent):
                continue
            # a node one level below the open collections, as the Python composer counts
            nodes += 1
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                return None, None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        loader = yaml.CSafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):
        return None, None
    return root, (None if aliases else (nodes, deepest))


def _expanded_size(root: Node) -> tuple[int, int]:
    """Nodes and depth of the tree once every alias is expanded, both capped just past the limits.

    A depth-first walk over the shared node graph, each node measured once (linear in the
    graph's size however large the expansion). A node met again while it is still on the
    current path is an alias to one of its own ancestors: the expansion would never end.

    Raises:
        _RecursiveAlias: an alias refers to an anchor that contains it, at any depth.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = {id(root)}
    stack: list[tuple[Node, Iterator[Node]]] = [(root, iter(_children(root)))]
    while stack:
        node, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            kids = _children(node)
            size[id(node)] = min(MAX_NODES + 1, 1 + sum(size[id(k)] for k in kids))
            depth[id(node)] = min(MAX_DEPTH + 1, 1 + max((depth[id(k)] for k in kids), default=0))
            continue
        key = id(child)
        if key in on_path:
            raise _RecursiveAlias(child)
        if key not in size:
            on_path.add(key)
            stack.append((child, iter(_children(child))))
    return size[id(root)], depth[id(root)]


class _RecursiveAlias(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _Builder:
    """Turns a bounded node tree into plain data, recording marks and refusing odd YAML."""

    def __init__(self, source: str, marks: MarkTable) -> None:
        self.source = source
        self.marks = marks
        self.constructor = yaml.SafeLoader("")  # for scalar type resolution only

    def _mark(self, node: Node) -> SourceMark:
        return SourceMark(self.source, node.start_mark.line + 1, node.start_mark.column + 1)

    def _error(self, node: Node, message: str) -> ScenarioError:
        mark = self._mark(node)
        return ScenarioError.at(self.source, message, line=mark.line, column=mark.column)

    def build(self, node: Node) -> Any:
        return self._build(node)

    def _refuse_surprising_number(self, node: ScalarNode) -> None:
        """Refuse YAML 1.1 numbers that do not mean what they look like (plain scalars only)."""
        if node.style not in (None, "") or node.tag not in (_INT_TAG, _FLOAT_TAG):
            return
        text = node.value
        if ":" in text:
            value = self.constructor.construct_object(node, deep=True)
            raise self._error(
                node,
                f"{text} reads as a base-60 number ({value:g}) in YAML; "
                f'quote it ("{text}") if it is text, or write the number',
            )
        if _LEADING_ZERO.fullmatch(text):
            value = self.constructor.construct_object(node, deep=True)
            digits = text.lstrip("+-").replace("_", "").lstrip("0") or "0"
            raise self._error(
                node,
                f"{text} has a leading zero, which YAML reads as octal ({value}); "
                f"write {digits} for the decimal number, or quote it if it is text",
            )

    def _build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            self._refuse_surprising_number(node)
            try:
                return self.constructor.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                problem = getattr(exc, "problem", None) or str(exc)
                raise self._error(node, f"cannot read value: {problem}") from None
            except (ValueError, OverflowError) as exc:
                raise self._error(node, f"cannot read value {node.value!r}: {exc}") from None
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._error(node, f"unsupported tag {node.tag!r} on a list")
            out: list[Any] = []
            for index, item in enumerate(node.value):
                out.append(self._build(item))
                self.marks.set(out, index, self._mark(item))
            return out
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                raise self._error(node, f"unsupported tag {node.tag!r} on a mapping")
            try:
                self.constructor.flatten_mapping(node)  # resolves '<<' merge keys
            except yaml.YAMLError as exc:
                raise self._error(node, f"bad merge key: {getattr(exc, 'problem', exc)}") from None
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise self._error(key_node, "a key must be plain text, not a list or mapping")
                key = self._build(key_node)
                if not isinstance(key, str):
                    raise self._error(
                        key_node,
                        f"key {key_node.value!r} reads as {type(key).__name__}; "
                        "quote it to make it text",
                    )
                if key in mapping:
                    first = self.marks.get(mapping, key)
                    raise self._error(
                        key_node, f"duplicate key {key!r} (first at line {first.line})"
                    )
                mapping[key] = self._build(value_node)
                self.marks.set(mapping, key, self._mark(key_node))
            return mapping
        raise self._error(node, f"unsupported YAML node {type(node).__name__}")
