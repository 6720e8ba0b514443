"""``load``: from a scenario file (plus overrides) to a validated, immutable :class:`Scenario`."""

from __future__ import annotations

import hashlib
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ccosim.scenario.checks import check_scenario
from ccosim.scenario.errors import Problem, ScenarioError, SourceMark
from ccosim.scenario.resolve import apply_override, parse_override, read_with_extends, shorten
from ccosim.scenario.schema import Scenario
from ccosim.scenario.yaml_source import MarkTable, parse_yaml
from ccosim.suggest import did_you_mean

__all__ = ["load", "load_text", "parse_set_options", "scenario_hash"]

MAX_PROBLEMS = 20


def load(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    set_options: Sequence[str] = (),
) -> Scenario:
    """Load, resolve and validate one scenario file.

    Args:
        path: The YAML file.
        overrides: Dotted paths to values, applied after ``extends`` (list items by index or
            by unit id), e.g. ``{"customers.segments.smb.base_churn": 0.2}``.
        set_options: Raw ``PATH=VALUE`` strings as given to ``--set``; applied after
            ``overrides``, with the value read as YAML.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: anything wrong, each problem naming file, line, column and key path.

    Example:
        >>> from ccosim import load
        >>> s = load("scenarios/cco_full.yaml", {"horizon_years": 5})  # doctest: +SKIP
    """
    path = Path(path)
    marks = MarkTable()
    data = read_with_extends(path, marks)
    for key, value in (overrides or {}).items():
        apply_override(data, key, value, marks, source=f"override {key}={shorten(repr(value))}")
    for text in set_options:
        key, value = parse_override(text)
        apply_override(data, key, value, marks, source=f"--set {shorten(text)}")
    return _validate(data, marks, str(path))


def load_text(text: str, source: str = "<string>") -> Scenario:
    """Validate a scenario given as YAML text (no ``extends``); errors name ``source``."""
    marks = MarkTable()
    data = parse_yaml(text, source, marks)
    if not isinstance(data, dict):
        raise ScenarioError.at(
            source, "a scenario is a YAML mapping of keys to values", line=1, column=1
        )
    if "extends" in data:
        raise ScenarioError.at(
            source, "'extends' needs a file; use load() on a path", path="extends"
        )
    return _validate(data, marks, source)


def parse_set_options(options: Sequence[str]) -> dict[str, Any]:
    """Parse ``--set PATH=VALUE`` strings into a mapping (values read as YAML)."""
    return dict(parse_override(text) for text in options)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's canonical JSON: equal hashes, equal inputs."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _validate(data: dict[str, Any], marks: MarkTable, source: str) -> Scenario:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err, data, marks, source) for err in exc.errors()]
        raise ScenarioError(_drop_explained_missing(problems)[:MAX_PROBLEMS]) from None
    except RecursionError:
        raise ScenarioError.at(source, "nested too deeply to validate") from None
    problems = [
        Problem(marks.locate(data, path) or SourceMark(source), _dotted(path, data), message)
        for path, message in check_scenario(scenario)
    ]
    if problems:
        raise ScenarioError(problems[:MAX_PROBLEMS])
    return scenario


def _drop_explained_missing(problems: list[Problem]) -> list[Problem]:
    """Drop "missing key X" where a misspelt key at the same place already suggests X."""
    suggested = {
        (p.path, m.group(1))
        for p in problems
        if (m := re.search(r"did you mean '([^']+)'\?", p.message)) and "unknown key" in p.message
    }
    return [
        p
        for p in problems
        if not (
            (m := re.fullmatch(r"missing required key '([^']+)'", p.message))
            and (p.path, m.group(1)) in suggested
        )
    ]


def _dotted(loc: Sequence[Any], data: Any) -> str:
    """Key path as ``--set`` would write it: unit items by id, other list items by index."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            item = node[key]
            parts.append(
                str(item["id"])
                if isinstance(item, dict) and isinstance(item.get("id"), str)
                else str(key)
            )
            node = item
        elif isinstance(node, dict) and key in node:
            parts.append(str(key))
            node = node[key]
        else:
            parts.append(str(key))
            node = None
    return ".".join(parts)


def _problem(err: Mapping[str, Any], data: Any, marks: MarkTable, source: str) -> Problem:
    loc = tuple(err["loc"])
    mark = marks.locate(data, loc) or SourceMark(source)
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(loc[:-1])
        hint = did_you_mean(str(key), allowed)
        if not hint and allowed:
            hint = f"; known keys: {', '.join(allowed)}"
        return Problem(mark, _dotted(loc[:-1], data), f"unknown key {key!r}{hint}")
    if kind == "missing":
        return Problem(mark, _dotted(loc[:-1], data), f"missing required key {loc[-1]!r}")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        ctx = err.get("ctx", {})
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        field = str(ctx.get("discriminator", "dist")).strip("'")
        if kind == "union_tag_not_found":
            return Problem(
                mark, _dotted(loc, data), f"missing key {field!r}; one of: {', '.join(expected)}"
            )
        tag = str(ctx.get("tag", ""))
        return Problem(
            mark,
            _dotted((*loc, field), data),
            f"{tag!r} is not allowed{did_you_mean(tag, expected)}; choose one of: "
            f"{', '.join(expected)}",
        )
    if kind in ("enum", "literal_error"):
        expected = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        hint = did_you_mean(str(value), expected)
        return Problem(
            mark,
            _dotted(loc, data),
            f"{value!r} is not allowed{hint}; choose one of: {', '.join(expected)}",
        )
    message = str(err["msg"])
    message = message.removeprefix("Value error, ")
    if kind not in ("value_error", "model_type", "dict_type", "list_type") and _is_scalar(value):
        message = f"{message} (got {shorten(repr(value))})"
    elif kind in ("model_type", "dict_type"):
        message = f"expected a mapping of keys to values, got {_describe(value)}"
    elif kind == "list_type":
        message = f"expected a list, got {_describe(value)}"
    return Problem(mark, _dotted(loc, data), message)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return shorten(repr(value))


def _allowed_keys(loc: Sequence[Any]) -> list[str]:
    """Field names of the model found at ``loc`` inside :class:`Scenario`, if any."""
    current: Any = Scenario
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    return annotation


def _step(current: Any, part: Any) -> Any:
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = current.model_fields.get(str(part))
        return field.annotation if field else None
    origin = typing.get_origin(current)
    if origin is list:
        return typing.get_args(current)[0]
    if origin is dict:
        return typing.get_args(current)[1]
    return None
