"""The assumptions in force, flattened: each once, with its default, meaning and source.

:func:`assumption_rows` lists one scenario's assumptions; :func:`compared_rows` lists every
assumption once for several designs, with the value per design where they differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel

from ccosim.scenario import Assumptions, Scenario
from ccosim.scenario.assumptions import SALARY_SOURCES

__all__ = ["AssumptionRow", "assumption_rows", "compared_rows", "descriptions", "flatten"]


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as ``{"a.b.c": value}``; lists and scalars are leaves."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: data}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def descriptions(
    model: type[BaseModel] = Assumptions, prefix: str = "assumptions"
) -> dict[str, str]:
    """Dotted key -> the field's description (meaning, unit and source), for every field."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        key = f"{prefix}.{name}"
        out[key] = (info.description or "").strip()
        nested = _model_of(info.annotation)
        if nested is not None:
            out.update(descriptions(nested, key))
    return out


def _describe(key: str, known: dict[str, str]) -> str:
    """The description of ``key`` or of its nearest described parent (mapping entries)."""
    while key:
        if known.get(key):
            return known[key]
        key = key.rpartition(".")[0]
    return ""


def assumption_rows(scenario: Scenario) -> list[tuple[str, str, bool]]:
    """``(assumptions.KEY, value, changed from default)`` for every assumption, sorted."""
    defaults = flatten(Assumptions().model_dump(mode="json"), "assumptions")
    current = flatten(scenario.assumptions.model_dump(mode="json"), "assumptions")
    rows = []
    for key in sorted(current):
        value = current[key]
        rows.append((key, show(value), key not in defaults or defaults[key] != value))
    return rows


@dataclass(frozen=True)
class AssumptionRow:
    """One assumption across several designs."""

    key: str
    default: str
    values: dict[str, str]
    meaning: str

    @property
    def differs(self) -> bool:
        """The designs do not all use the same value."""
        return len(set(self.values.values())) > 1

    @property
    def changed(self) -> bool:
        """Some design uses a value other than the default."""
        return any(v != self.default for v in self.values.values())


def compared_rows(designs: Sequence[tuple[str, Scenario]]) -> list[AssumptionRow]:
    """Every assumption once: default, value in each design, meaning and source; sorted."""
    defaults = flatten(Assumptions().model_dump(mode="json"), "assumptions")
    values = {
        label: flatten(s.assumptions.model_dump(mode="json"), "assumptions") for label, s in designs
    }
    known = descriptions()
    for function, (_, source) in SALARY_SOURCES.items():
        known[f"assumptions.costs.salary.{function}"] = f"Annual salary per head ({source})."
    keys = sorted(set(defaults).union(*(set(v) for v in values.values())))
    return [
        AssumptionRow(
            key,
            show(defaults[key]) if key in defaults else "none",
            {label: show(v[key]) if key in v else "none" for label, v in values.items()},
            _describe(key, known),
        )
        for key in keys
    ]


def show(value: Any) -> str:
    """An assumption's value as written in YAML."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if value is None:
        return "none"
    return str(value)
