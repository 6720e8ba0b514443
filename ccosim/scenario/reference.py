"""A Markdown field reference of the scenario format, generated from the pydantic models.

``docs/scenario-format.md`` embeds this text between two marker comments; a test checks the
two agree, so the documentation cannot drift from the code (``make docs`` refreshes it).
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ccosim.scenario.assumptions import SALARY_SOURCES
from ccosim.scenario.schema import Scenario

__all__ = ["BEGIN", "END", "field_reference", "refresh_document"]

BEGIN = "<!-- BEGIN GENERATED FIELD REFERENCE (make docs) -->"
END = "<!-- END GENERATED FIELD REFERENCE -->"


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(names) + (" or null" if type(None) in args else "")
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of name to {_type_name(args[1])}"
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {int: "integer", float: "number", str: "text", bool: "true/false"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


def _bounds(info: FieldInfo) -> str:
    parts = []
    for meta in info.metadata:
        for attr, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(meta, attr, None)
            if value is not None:
                parts.append(
                    f"{symbol} {value:g}" if isinstance(value, float) else f"{symbol} {value}"
                )
    return ", ".join(parts)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "see below"
        if isinstance(value, dict) and len(value) > 4:
            return "see below"
        return f"`{value!r}`" if value not in ([], {}) else "empty"
    value = info.default
    if value is PydanticUndefined or value is None:
        return "none"
    if value == "":
        return "empty"
    if isinstance(value, enum.Enum):
        value = value.value
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.append(model)
    for info in model.model_fields.values():
        for candidate in _nested(info.annotation):
            _models(candidate, seen)


def _nested(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _nested(a)]


def field_reference() -> str:
    """Markdown tables: one per model of the format, every field with type, bounds, default."""
    models: list[type[BaseModel]] = []
    _models(Scenario, models)
    out: list[str] = []
    for model in models:
        out.append(f"### {model.__name__}")
        out.append("")
        doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        out.append(doc)
        out.append("")
        out.append("| key | type | bounds | default | meaning (unit, source) |")
        out.append("|---|---|---|---|---|")
        for name, info in model.model_fields.items():
            meaning = (info.description or "").replace("|", "\\|")
            out.append(
                f"| `{name}` | {_type_name(info.annotation)} | {_bounds(info)} | "
                f"{_default(info)} | {meaning} |"
            )
        out.append("")
    out.append("### Default salaries (`assumptions.costs.salary`)")
    out.append("")
    out.append("Annual salary per head; loaded cost = salary x `costs.loaded_multiplier`.")
    out.append("")
    out.append("| function | salary | source |")
    out.append("|---|---|---|")
    for function, (salary, source) in SALARY_SOURCES.items():
        out.append(f"| `{function}` | {salary:,.0f} | {source} |")
    return "\n".join(out).rstrip() + "\n"


def refresh_document(text: str) -> str:
    """``text`` with the part between the markers replaced by the current reference."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + field_reference() + text[end:]
