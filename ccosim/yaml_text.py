"""YAML text ccosim writes: the one writer for scalars, documents and comments.

Scenario files ccosim writes (calibrated scenarios, HRIS imports, resolved scenarios in
reports) carry text that came from users' files: cohort and segment names, ``--set`` values,
CSV file names, column headers. Such text must never change the document's keys:

* a comment ends at a line break, so any line break or control character in comment text
  is written as an escape (``\\n``, ``\\x1b``, ``\\u2028``): the comment stays one line;
* a scalar with a line break or control character is written double-quoted with escapes,
  on one line; every other scalar is quoted wherever YAML would read it as something else
  (``yes``, ``null``, ``1.0``, ``#x``, ``key: value``), so it reads back as the same string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

__all__ = ["comment_lines", "comment_text", "dump", "scalar"]

#: Characters that end a YAML line or that a terminal or editor may act on.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def comment_text(text: str) -> str:
    """``text`` safe inside a one-line YAML comment: control characters shown as escapes.

    Args:
        text: Any text, e.g. a file name or a value the user gave.

    Returns:
        The text with every line break and control character written as its Python escape.
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def comment_lines(lines: Iterable[str]) -> str:
    """A block of YAML comment lines, one per item of ``lines``, each made safe.

    Args:
        lines: The comment text, one item per line (without the ``#``).

    Returns:
        ``# line`` for each item, joined by newlines (no trailing newline).
    """
    return "\n".join(f"# {comment_text(str(line))}".rstrip() for line in lines)


#: libyaml's emitter when PyYAML has it (four times faster on a large org's resolved
#: scenario); the representers below, which decide quoting, are the same either way.
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_SafeDumper):  # type: ignore[valid-type,misc]
    """Safe YAML, strings with control characters double-quoted."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if _CONTROL.search(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


class _NumberListDumper(_Dumper):
    """As :class:`_Dumper`, lists of numbers in flow style (one line per list)."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, int | float) and not isinstance(v, bool) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_NumberListDumper.add_representer(list, _represent_list)


def dump(
    data: Any,
    *,
    flow: bool = False,
    number_lists_flow: bool = False,
    width: int = 100,
    sort_keys: bool = False,
) -> str:
    """``data`` as YAML text that reads back as ``data`` (safe types only).

    Args:
        data: Mappings, lists, strings, numbers, booleans and None.
        flow: Everything in flow style (``{a: 1, b: [2, 3]}``), for one-line items.
        number_lists_flow: Lists of numbers in flow style, the rest in block style.
        width: Preferred line width.
        sort_keys: Sort mapping keys.

    Returns:
        The YAML document, ending with a newline.
    """
    dumper = _NumberListDumper if number_lists_flow else _Dumper
    return yaml.dump(
        data,
        Dumper=dumper,
        default_flow_style=flow,
        sort_keys=sort_keys,
        allow_unicode=True,
        width=width,
    )


def scalar(value: Any) -> str:
    """One scalar as YAML on one line (characters kept, control characters escaped)."""
    text = dump(value, width=10**6).strip()
    return text.removesuffix("...").strip()
