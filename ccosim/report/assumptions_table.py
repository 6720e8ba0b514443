"""The assumptions in force, flattened, with the ones a user changed marked."""

from __future__ import annotations

from typing import Any

from ccosim.scenario import Assumptions, Scenario

__all__ = ["assumption_rows", "flatten"]


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as ``{"a.b.c": value}``; lists and scalars are leaves."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: data}


def assumption_rows(scenario: Scenario) -> list[tuple[str, str, bool]]:
    """``(assumptions.KEY, value, changed from default)`` for every assumption, sorted."""
    defaults = flatten(Assumptions().model_dump(mode="json"), "assumptions")
    current = flatten(scenario.assumptions.model_dump(mode="json"), "assumptions")
    rows = []
    for key in sorted(current):
        value = current[key]
        rows.append((key, _show(value), key not in defaults or defaults[key] != value))
    return rows


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
