"""The base of every scenario model: numbers finite and really numbers, text without controls.

YAML reads ``yes``, ``no``, ``on`` and ``off`` as booleans, and pydantic would quietly turn a
boolean into the number 1 or 0 (``initial_accounts: yes`` became one account); ``.inf`` and
``.nan`` are floats that no money or rate can be. A control character in a title (an escape
sequence, a NUL) reaches terminals, SVG and GraphML; the reader refuses raw ones, this refuses
the ones written as YAML escapes (``"\\x1b"``).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["CONTROL_CHARACTERS", "ScenarioModel", "strip_control"]

#: C0 and C1 controls other than tab and newline, line/paragraph separators, and the
#: bidirectional overrides that make text display in another order than it reads.
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def strip_control(text: str) -> str:
    """``text`` without control characters (for echoing untrusted text to a terminal)."""
    return CONTROL_CHARACTERS.sub("", text)


def _is_number_type(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_number_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(args) and all(_is_number_type(a) for a in args)
    return annotation in (int, float)


def _number_values(annotation: Any) -> bool:
    """A ``dict[str, number]`` or ``list[number]`` field (checked item by item)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_number_values(a) for a in typing.get_args(annotation))
    if origin is dict:
        return _is_number_type(typing.get_args(annotation)[1])
    if origin is list:
        return _is_number_type(typing.get_args(annotation)[0])
    return False


def _control_in(value: Any) -> str | None:
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str) and (found := CONTROL_CHARACTERS.search(text)):
            return found.group()
    return None


class ScenarioModel(BaseModel):
    """Unknown keys refused, instances immutable; ``.inf``, ``.nan`` and yes/no not numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _plain_values(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        for name, value in data.items():
            field = cls.model_fields.get(name) if isinstance(name, str) else None
            if field is None:
                continue
            items: list[Any] = []
            if isinstance(value, bool) and _is_number_type(field.annotation):
                items = [value]
            elif _number_values(field.annotation) and isinstance(value, (dict, list)):
                items = [v for v in (value.values() if isinstance(value, dict) else value)]
            if any(isinstance(v, bool) for v in items):
                raise ValueError(
                    f"{name}: yes/no (true/false) is not a number; write the number itself"
                )
            if (char := _control_in(value)) is not None:
                raise ValueError(
                    f"{name}: contains the control character U+{ord(char):04X}; remove it "
                    "(escape sequences and invisible characters are not allowed in text)"
                )
        return data
