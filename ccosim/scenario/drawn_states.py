"""Every state a draw can produce, checked as the loader checks a file, at validate time.

:func:`~ccosim.scenario.uncertainty.check_uncertainty` checks each range's ends against its
key's own bounds (a churn rate cannot be drawn above 1). Some rules tie a key to another key
or to the rest of the scenario: a unit's open positions within its headcount, a segment's
contract term within the horizon, a timeline month inside the horizon and in an order the
org can be replayed in (a unit set before it is added), the accounts opened over the horizon.
A draw sets every uncertain key at once, so a range can pass alone and still produce a state
the loader refuses. This module builds the states at which such a rule first fails and runs
the loader's checks on each:

* every key outside ``assumptions`` at each end of its range, the other keys at their own
  values (a key under ``assumptions`` at its ends is its own model's business, which
  ``check_uncertainty`` validated; the scenario's own rules read no number there);
* every pair of keys at the four corners of their two ranges, when the pair shares a model
  with rules of its own (a unit, a segment, health bands) or both keys lie outside
  ``assumptions`` (customers, org and timeline: the scenario's own rules);
* every key outside ``assumptions`` at its low end at once, and at its high end at once.

Every rule of the format is monotone in each number (a bound, open <= headcount, a term
times churn, the accounts opened) or compares two numbers (one event's month against
another's), so a state that breaks a rule implies a checked state that breaks it too. A range
that makes a refused state possible is refused, naming the key, its line and the state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import combinations
from typing import Any

from pydantic import BaseModel, ValidationError

from ccosim.scenario.uncertainty import Discrete, apply_values, nearest_model

__all__ = ["MAX_JOINT_KEYS", "check_drawn_states"]

Path = tuple[str | int, ...]
Rules = Callable[[Any], Iterable[tuple[Path, str]]]

#: Most uncertain keys outside ``assumptions`` (every pair of them is checked).
MAX_JOINT_KEYS = 60


def _ends(dist: Any) -> tuple[float, float]:
    lo, hi = dist.support()
    if isinstance(dist, Discrete):
        return min(dist.values), max(dist.values)
    return lo, hi


def _has_rules(model: BaseModel) -> bool:
    """Whether the model checks its fields together (an after or wrap model validator)."""
    validators = type(model).__pydantic_decorators__.model_validators.values()
    return any(v.info.mode != "before" for v in validators)


def _joint(paths: list[str], containers: Mapping[str, tuple[int, bool]]) -> Iterator[tuple]:
    """The pairs of keys whose corners are checked together."""
    for p, q in combinations(paths, 2):
        outside = not _assumption(p) and not _assumption(q)
        same = containers[p][0] == containers[q][0] and containers[p][1]
        if outside or same:
            yield p, q


def _assumption(path: str) -> bool:
    return path.startswith("assumptions.")


def _states(scenario: Any) -> Iterator[tuple[dict[str, float], bool]]:
    """``(values, whether their models need re-validating)`` for every state checked."""
    table = scenario.uncertainty
    ends = {path: _ends(dist) for path, dist in table.items()}
    for path, (lo, hi) in ends.items():
        if _assumption(path):
            continue  # (its own model at its ends was validated by check_uncertainty)
        for end in dict.fromkeys((lo, hi)):
            yield {path: end}, False
    containers = {}
    for path in ends:
        model = nearest_model(scenario, path)
        containers[path] = (id(model), _has_rules(model))
    for p, q in _joint(list(ends), containers):
        for a in dict.fromkeys(ends[p]):
            for b in dict.fromkeys(ends[q]):
                yield {p: a, q: b}, True
    outside = [p for p in ends if not _assumption(p)]
    if len(outside) > 2:
        yield {p: ends[p][0] for p in outside}, True
        yield {p: ends[p][1] for p in outside}, True


def _refused(scenario: Any, values: dict[str, float], models: bool, rules: Rules) -> str | None:
    """Why the loader would refuse ``scenario`` with ``values`` drawn (None: it would not)."""
    drawn = apply_values(scenario, values)
    if models:
        seen: set[int] = set()
        for path in values:
            model = nearest_model(drawn, path)
            if id(model) in seen:
                continue
            seen.add(id(model))
            try:
                type(model).model_validate(model.model_dump())
            except ValidationError as exc:
                return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    if all(_assumption(p) for p in values):
        return None  # (the scenario's own rules read no number under assumptions)
    for where, message in rules(drawn):
        return f"{'.'.join(str(p) for p in where)}: {message}"
    return None


def _state_text(values: Mapping[str, float]) -> str:
    shown = [f"{path} = {value:g}" for path, value in list(values.items())[:4]]
    more = f" and {len(values) - 4} more" if len(values) > 4 else ""
    return ", ".join(shown) + more


def check_drawn_states(scenario: Any, rules: Rules) -> Iterator[tuple[Path, str]]:
    """Ranges under which a draw could produce a scenario the loader refuses.

    Args:
        scenario: A scenario whose own values and whose every range's ends already pass.
        rules: The loader's whole-scenario rules (``(path, message)`` per problem).

    Yields:
        ``(("uncertainty", key), message)``: the first refused state found per key.
    """
    outside = [p for p in scenario.uncertainty if not _assumption(p)]
    if len(outside) > MAX_JOINT_KEYS:
        yield (
            ("uncertainty", outside[MAX_JOINT_KEYS]),
            f"{len(outside)} uncertain numbers outside assumptions; at most {MAX_JOINT_KEYS} "
            "(every pair of them is checked against the scenario's rules)",
        )
        return
    blamed: set[str] = set()
    for values, models in _states(scenario):
        if blamed & set(values):
            continue
        why = _refused(scenario, values, models, rules)
        if why is None:
            continue
        key = next(iter(values))
        blamed.add(key)
        yield (
            ("uncertainty", key),
            f"a draw can give {_state_text(values)}, which the scenario would refuse "
            f"({why}); narrow the range(s) so that every draw is a valid scenario",
        )
