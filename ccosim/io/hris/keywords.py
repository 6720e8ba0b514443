"""The function of an employee, guessed from job title and department by a keyword table.

The shipped table is ``function_keywords.yaml`` beside this module; ``ccosim org import
--keywords FILE`` reads another of the same shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ccosim.errors import CcosimError
from ccosim.scenario.schema import Function
from ccosim.scenario.yaml_source import MarkTable, parse_yaml, read_bounded

__all__ = ["KeywordTable", "load_keywords"]


@dataclass(frozen=True)
class KeywordTable:
    """Ordered rules mapping title/department keywords to functions.

    Attributes:
        rules: (function, compiled pattern, keywords) in priority order.
        default: Function of an employee no rule matches.
        source: Where the table came from.
    """

    rules: tuple[tuple[Function, re.Pattern[str], tuple[str, ...]], ...]
    default: Function
    source: str

    def match(self, text: str) -> tuple[Function, str] | None:
        """The first rule matching ``text``: its function and the keyword found."""
        for function, pattern, _ in self.rules:
            found = pattern.search(text)
            if found:
                return function, found.group(0)
        return None

    def infer(self, title: str, department: str) -> tuple[Function, str]:
        """Function of an employee and why (``title 'sales'``, ``department 'IT'``, ``default``)."""
        for label, text in (("title", title), ("department", department)):
            hit = self.match(text) if text else None
            if hit:
                return hit[0], f"{label} '{hit[1]}'"
        return self.default, "default"


def load_keywords(path: str | Path | None = None) -> KeywordTable:
    """Read a keyword table (the shipped ``function_keywords.yaml`` when ``path`` is None).

    Raises:
        CcosimError: the file is unreadable, not the expected shape, or names an unknown
            function.
    """
    if path is None:
        source = "ccosim/io/hris/function_keywords.yaml"
        text = (
            resources.files("ccosim.io.hris").joinpath("function_keywords.yaml").read_text("utf-8")
        )
    else:
        source = str(path)
        try:
            text = read_bounded(Path(path), source).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CcosimError(f"{source}: cannot read the keyword table ({exc})") from exc
    data = parse_yaml(text, source, MarkTable())  # bounded: sizes, depth, aliases
    functions = [f.value for f in Function]

    def function_of(value: Any, where: str) -> Function:
        if value not in functions:
            raise CcosimError(
                f"{source}: {where}: {value!r} is not a function; use one of {', '.join(functions)}"
            )
        return Function(value)

    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise CcosimError(f"{source}: expected a mapping with 'rules:' (a list of rules)")
    rules = []
    for index, rule in enumerate(data["rules"], start=1):
        if not isinstance(rule, dict) or not isinstance(rule.get("keywords"), list):
            raise CcosimError(f"{source}: rule {index}: expected 'function:' and 'keywords:' list")
        function = function_of(rule.get("function"), f"rule {index}")
        keywords = tuple(str(k).strip() for k in rule["keywords"] if str(k).strip())
        if not keywords:
            raise CcosimError(f"{source}: rule {index}: no keywords")
        alternatives = "|".join(
            r"\s+".join(re.escape(w) for w in k.split()) for k in sorted(keywords, key=len)[::-1]
        )
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)
        rules.append((function, pattern, keywords))
    default = function_of(data.get("default", "other"), "default")
    return KeywordTable(tuple(rules), default, source)
