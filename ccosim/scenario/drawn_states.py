"""Every state a draw can produce, checked as the loader checks a file, at validate time.

:func:`~ccosim.scenario.uncertainty.check_uncertainty` checks each range's ends against its
key's own bounds (a churn rate cannot be drawn above 1). Some rules tie a key to another key
or to the rest of the scenario: a unit's open positions within its headcount, a segment's
contract term within the horizon, a timeline month inside the horizon and in an order the
org can be replayed in (a unit set before it is added), the accounts opened over the horizon.
A draw sets every uncertain key at once, so a range can pass alone and still produce a state
the loader refuses. This module builds the states at which such a rule first fails and runs
the loader's checks on each:

* every key under ``customers`` or ``timeline`` (the numbers the scenario's own rules read)
  at each end of its range, the other keys at their own values (any key at its ends against
  its own model is checked by ``check_uncertainty``);
* every pair of keys of one model at the four corners of their two ranges, when the model
  has rules of its own (a unit's open positions within its headcount, health bands in
  order) or the scenario's rules read it (a segment's term and churn, a timeline event);
* every pair of timeline keys whose ranges overlap (their events can swap order), at the
  four corners;
* every key under ``customers`` and ``timeline`` at its low end at once, and at its high end
  at once (the accounts opened over the horizon grow with each of them).

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

__all__ = ["MAX_TIMELINE_KEYS", "RULED", "check_drawn_states"]

Path = tuple[str | int, ...]
Rules = Callable[[Any], Iterable[tuple[Path, str]]]

#: Top-level parts whose numbers the scenario's own rules read: the accounts opened and the
#: contract terms (customers), the months of the timeline. No rule reads a number under
#: ``assumptions`` or ``org``: those are their own models' business.
RULED = ("customers", "timeline")
#: Most uncertain keys under ``timeline`` (every overlapping pair of them is checked).
MAX_TIMELINE_KEYS = 30


def _ends(dist: Any) -> tuple[float, float]:
    lo, hi = dist.support()
    if isinstance(dist, Discrete):
        return min(dist.values), max(dist.values)
    return lo, hi


def _ruled(path: str) -> bool:
    return path.split(".", 1)[0] in RULED


def _timeline(path: str) -> bool:
    return path.startswith("timeline.")


def _has_rules(model: BaseModel) -> bool:
    """Whether the model checks its fields together (an after or wrap model validator)."""
    validators = type(model).__pydantic_decorators__.model_validators.values()
    return any(v.info.mode != "before" for v in validators)


def _pairs(scenario: Any, ends: Mapping[str, tuple[float, float]]) -> Iterator[tuple[str, str]]:
    """The pairs of keys whose corners are checked together.

    Two keys of one model with rules of its own or read by the scenario's rules (a unit, a
    segment, health bands, a timeline event); two timeline keys whose ranges overlap (their
    events can swap order).
    """
    containers = {}
    for path in ends:
        model = nearest_model(scenario, path)
        containers[path] = (id(model), _has_rules(model) or _ruled(path))
    for p, q in combinations(list(ends), 2):
        same = containers[p][0] == containers[q][0] and containers[p][1]
        overlap = ends[p][0] <= ends[q][1] and ends[q][0] <= ends[p][1]
        if same or (_timeline(p) and _timeline(q) and overlap):
            yield p, q


def _states(scenario: Any) -> Iterator[dict[str, float]]:
    """Every state checked, as the values of the keys it moves from their own values."""
    ends = {path: _ends(dist) for path, dist in scenario.uncertainty.items()}
    for path, (lo, hi) in ends.items():
        if _ruled(path):  # (any key's own model at its ends was checked by check_uncertainty)
            for end in dict.fromkeys((lo, hi)):
                yield {path: end}
    for p, q in _pairs(scenario, ends):
        for a in dict.fromkeys(ends[p]):
            for b in dict.fromkeys(ends[q]):
                yield {p: a, q: b}
    ruled = [p for p in ends if _ruled(p)]
    if len(ruled) > 2:
        yield {p: ends[p][0] for p in ruled}
        yield {p: ends[p][1] for p in ruled}


def _refused(scenario: Any, values: dict[str, float], rules: Rules) -> str | None:
    """Why the loader would refuse ``scenario`` with ``values`` drawn (None: it would not)."""
    drawn = apply_values(scenario, values)
    if len(values) > 1:  # (one key at its ends: its model was checked by check_uncertainty)
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
    if not any(_ruled(p) for p in values):
        return None
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
    months = [p for p in scenario.uncertainty if _timeline(p)]
    if len(months) > MAX_TIMELINE_KEYS:
        yield (
            ("uncertainty", months[MAX_TIMELINE_KEYS]),
            f"{len(months)} uncertain timeline numbers; at most {MAX_TIMELINE_KEYS} (every "
            "pair whose ranges overlap is checked against the scenario's rules)",
        )
        return
    blamed: set[str] = set()
    for values in _states(scenario):
        if blamed & set(values):
            continue
        why = _refused(scenario, values, rules)
        if why is None:
            continue
        key = next(iter(values))
        blamed.add(key)
        yield (
            ("uncertainty", key),
            f"a draw can give {_state_text(values)}, which the scenario would refuse "
            f"({why}); narrow the range(s) so that every draw is a valid scenario",
        )
