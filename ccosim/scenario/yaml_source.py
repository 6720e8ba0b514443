"""Bounded YAML reading for untrusted scenario files, keeping where every key came from.

PyYAML's safe composer builds the node graph (aliases stay shared, so a "billion laughs"
file is still small there); we then measure the graph's *expanded* size before building any
Python objects, so an alias bomb is refused in milliseconds. Nesting depth is capped inside
the composer, before Python's recursion limit is reached. Every mapping key and sequence item
gets a :class:`SourceMark` in a :class:`MarkTable`, which turns a validation error's key path
back into ``file:line:column``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ccosim.scenario.errors import ScenarioError, SourceMark

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "MarkTable", "parse_yaml", "read_yaml"]

MAX_FILE_BYTES = 2_000_000
"""Largest scenario file read (bytes). A 1,500-unit org is about 200 kB."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted."""
MAX_NODES = 500_000
"""Most YAML nodes accepted after expanding aliases."""

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


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
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError.at(
                source, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
            )
        raw = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except FileNotFoundError:
        raise ScenarioError.at(source, "file not found") from None
    except IsADirectoryError:
        raise ScenarioError.at(source, "is a directory, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError.at(source, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError.at(
            source, f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8"
        ) from None
    return parse_yaml(text, source, marks)


def parse_yaml(text: str, source: str, marks: MarkTable) -> Any:
    """Parse YAML text from ``source`` (a file name used in messages); see :func:`read_yaml`."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError.at(source, f"text is longer than {MAX_FILE_BYTES:,} characters")
    loader: _BoundedLoader | None = None
    try:
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
    size = _expanded_size(root, {})
    if size > MAX_NODES:
        raise ScenarioError.at(
            source,
            f"expands to {size:,} YAML nodes through aliases (limit {MAX_NODES:,}); "
            "is this an alias bomb?",
            line=root.start_mark.line + 1,
            column=root.start_mark.column + 1,
        )
    return _Builder(source, marks).build(root)


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """Nodes in the tree once every alias is expanded; linear in the shared graph's size."""
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in memo:
            continue
        if isinstance(current, ScalarNode):
            memo[key] = 1
            continue
        children = _children(current)
        if children_done:
            memo[key] = 1 + sum(memo[id(c)] for c in children)
            continue
        memo[key] = -1  # on the stack: a recursive alias would loop
        stack.append((current, True))
        for child in children:
            if memo.get(id(child)) == -1:
                raise _RecursiveAlias(child)
            if id(child) not in memo:
                stack.append((child, False))
        del memo[key]
    return memo[id(node)]


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
        try:
            return self._build(node)
        except _RecursiveAlias as exc:
            raise self._error(exc.node, "an alias refers to its own anchor") from None

    def _build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
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
