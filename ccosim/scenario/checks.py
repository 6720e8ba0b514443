"""Rules that need the whole scenario at once: one root, no cycles, every id known.

Each rule yields ``(path, message)`` where ``path`` is a key path into the raw data, so the
loader can attach the file, line and column of the offending key.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from ccosim.scenario.drawn_states import check_drawn_states
from ccosim.scenario.schema import Function, Scenario, TimelineEvent, Unit
from ccosim.scenario.timeline import replay
from ccosim.scenario.uncertainty import check_uncertainty
from ccosim.suggest import did_you_mean

__all__ = ["MAX_EXPECTED_ACCOUNTS", "check_scenario", "expected_accounts"]

MAX_EXPECTED_ACCOUNTS = 20_000_000
"""More accounts than this over the horizon is refused: each needs memory in every run."""

Path = tuple[str | int, ...]


def check_scenario(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """Every cross-reference problem of ``scenario``, in file order.

    Last, the ``uncertainty`` block: each range against its key's bounds, then (when the
    scenario and every range pass) every state a draw can produce against the same rules
    (:mod:`ccosim.scenario.drawn_states`).
    """
    found = list(_rules(scenario))
    yield from found
    ranges = list(check_uncertainty(scenario))
    yield from ranges
    if not found and not ranges:
        yield from check_drawn_states(scenario, _numeric_rules)


def _numeric_rules(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """The rules that read numbers a draw can change (the others read ids and names)."""
    yield from _timeline(scenario)
    yield from _volume(scenario)
    yield from _terms(scenario)


def _rules(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """The rules a scenario's own values must pass (the checks but the uncertainty block)."""
    units = scenario.org.units
    seen: dict[str, int] = {}
    for index, unit in enumerate(units):
        if unit.id in seen:
            yield (
                ("org", "units", index, "id"),
                f"duplicate unit id {unit.id!r} (first used by item {seen[unit.id]})",
            )
        else:
            seen[unit.id] = index
    ids = list(seen)
    segments = list(scenario.customers.segments)

    for index, unit in enumerate(units):
        where: Path = ("org", "units", index)
        if unit.reports_to is not None and unit.reports_to not in seen:
            yield (
                (*where, "reports_to"),
                f"reports_to {unit.reports_to!r} names no unit{did_you_mean(unit.reports_to, ids)}",
            )
        for k, boss in enumerate(unit.dotted_to):
            if boss not in seen:
                yield (
                    (*where, "dotted_to", k),
                    f"dotted_to {boss!r} names no unit{did_you_mean(boss, ids)}",
                )
            elif boss == unit.id:
                yield ((*where, "dotted_to", k), "a unit cannot have a dotted line to itself")
        for key, segment in (
            ("segment", unit.segment),
            ("staffing", unit.staffing.segment if unit.staffing else None),
        ):
            if segment is not None and segment not in segments:
                path = (*where, key) if key == "segment" else (*where, "staffing", "segment")
                yield (
                    path,
                    f"segment {segment!r} is not a customer segment"
                    f"{did_you_mean(segment, segments)}; segments: {', '.join(segments)}",
                )

    roots = [i for i, u in enumerate(units) if u.reports_to is None]
    if not roots:
        yield (
            ("org", "units"),
            "no root: every unit has reports_to; exactly one (the CEO) must not",
        )
    elif len(roots) > 1:
        names = ", ".join(repr(units[i].id) for i in roots)
        yield (
            ("org", "units", roots[1], "id"),
            f"{len(roots)} units have no reports_to ({names}); "
            "exactly one, the top of the org, may",
        )
    yield from _cycles(scenario)

    functions = {f.value for f in Function}
    for name in scenario.assumptions.costs.salary:
        if name not in functions:
            yield (
                ("assumptions", "costs", "salary", name),
                f"{name!r} is not a function{did_you_mean(name, sorted(functions))}",
            )
    yield from _timeline(scenario)
    yield from _volume(scenario)
    yield from _terms(scenario)
    yield from _calibration(scenario)


def expected_accounts(scenario: Scenario) -> float:
    """Accounts over the horizon: the initial base plus every planned new logo."""
    total = 0.0
    for segment in scenario.customers.segments.values():
        growth = 1.0 + segment.new_accounts_growth
        years = range(scenario.horizon_years)
        total += segment.initial_accounts + segment.new_accounts_per_year * sum(
            growth**y for y in years
        )
    return total


def _volume(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """A plan of more accounts than a simulation can hold is a typo, not a scenario."""
    total = expected_accounts(scenario)
    if total > MAX_EXPECTED_ACCOUNTS:
        name, segment = max(
            scenario.customers.segments.items(),
            key=lambda item: (
                item[1].new_accounts_per_year
                * (1 + item[1].new_accounts_growth) ** scenario.horizon_years
            ),
        )
        yield (
            ("customers", "segments", name, "new_accounts_per_year"),
            f"the plan opens about {total:,.0f} accounts over {scenario.horizon_years} years "
            f"(new_accounts_per_year {segment.new_accounts_per_year:g}, growing "
            f"{segment.new_accounts_growth:+.0%} a year); the most a simulation holds is "
            f"{MAX_EXPECTED_ACCOUNTS:,}",
        )


def _terms(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """A contract term must fit in the horizon, and its churn at renewal in 100%."""
    horizon = scenario.horizon_years * 12
    for name, seg in scenario.customers.segments.items():
        if seg.contract_months > horizon:
            yield (
                ("customers", "segments", name, "contract_months"),
                f"contract_months {seg.contract_months} exceeds the horizon "
                f"({scenario.horizon_years} years = {horizon} months): no renewal would be "
                "simulated; lengthen horizon_years or shorten the term",
            )
        # A renewal of a T-month term (T > 12) carries T / 12 years of churn (docs/model.md,
        # "Units"): above 100% no churn at renewal gives the stated annual rate.
        years = seg.contract_months / 12
        if years > 1 and not seg.heterogeneous and seg.annual_churn * years > 1:
            yield (
                ("customers", "segments", name, "base_churn"),
                f"base_churn {seg.annual_churn:g} a year on {seg.contract_months}-month terms "
                f"needs {seg.annual_churn * years:.0%} churn at each renewal: at most "
                f"{1 / years:.3g} a year on this term; lower base_churn or shorten contract_months",
            )


def _calibration(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """Stored targets (``calibrate kpis``, or edited by hand) name segments and reachable KPIs.

    Checked here, not first under ``--draws``: a file that passes ``validate`` must not be
    refused by the first command that re-fits it.
    """
    if scenario.calibration is None:
        return
    segments = list(scenario.customers.segments)
    for key, value in scenario.calibration.targets.items():
        segment, kpi = key.rsplit(".", 1)
        where = ("calibration", "targets", key)
        if segment not in segments:
            yield (
                where,
                f"segment {segment!r} is not a customer segment"
                f"{did_you_mean(segment, segments)}; segments: {', '.join(segments)}",
            )
        elif kpi in ("grr", "logo_retention") and value > 1:
            yield (where, f"{kpi} {value:g} is above 1: at most every customer (ARR) is kept")


def _cycles(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    units = scenario.org.units
    index_of = {u.id: i for i, u in enumerate(units)}
    parent = {u.id: u.reports_to for u in units}
    state: dict[str, int] = {}  # 1: on the current path, 2: known to reach the root
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            loop = [*path[path.index(node) :], node]
            yield (
                ("org", "units", index_of[node], "reports_to"),
                "reports_to forms a cycle: " + " -> ".join(loop),
            )
        for visited in path:
            state[visited] = 2


def _timeline(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """Replay the timeline as the engine will, checking each event against the org then.

    Each event must name units that exist then; a move must not put a unit under itself or
    one of its own reports, and the top of the org cannot be removed (its reports would be
    left with no top). An event that fails is left out of the replay.
    """
    check = functools.partial(_check_event, scenario.horizon_years)
    for period in replay(scenario, check):
        yield from period.problems


def _check_event(
    years: int, parent: Mapping[str, str | None], event: TimelineEvent, where: Path
) -> tuple[list[tuple[Path, str]], bool]:
    """One event against the reporting lines in force (a ``timeline.EventCheck``).

    Returns:
        (the problems found, whether the event is applied nonetheless: an added unit is,
        unless its id is taken; any other event only when it names units present then).
    """
    problems: list[tuple[Path, str]] = []
    if event.month >= years * 12:
        problems.append(
            (
                (*where, "month"),
                f"month {event.month} is after the horizon ({years} years = {years * 12} months)",
            )
        )
    if event.action == "add_unit" and event.unit is not None:
        problems += _check_add(parent, event, event.unit, where)
        return problems, event.unit.id not in parent
    if event.id is not None and event.id not in parent:
        problems.append(
            (
                (*where, "id"),
                f"{event.id!r} names no unit present at month {event.month}"
                f"{did_you_mean(event.id, sorted(parent))}",
            )
        )
        return problems, False
    if event.action == "move_unit" and event.id is not None:
        problem = _check_move(parent, event, event.id)
        if problem:
            return [*problems, ((*where, "reports_to"), problem)], False
    if event.action == "remove_unit" and event.id is not None and parent[event.id] is None:
        problems.append(
            (
                (*where, "id"),
                f"{event.id!r} is the top of the org and cannot be removed; add the new "
                "top and move the units under it instead",
            )
        )
        return problems, False
    return problems, True


def _check_add(
    parent: Mapping[str, str | None], event: TimelineEvent, unit: Unit, where: Path
) -> Iterator[tuple[Path, str]]:
    if unit.id in parent:
        yield ((*where, "unit", "id"), f"unit {unit.id!r} already exists then")
    if unit.reports_to is None:
        yield ((*where, "unit"), "an added unit needs reports_to")
    elif unit.reports_to not in parent:
        yield (
            (*where, "unit", "reports_to"),
            f"reports_to {unit.reports_to!r} names no unit present at month "
            f"{event.month}{did_you_mean(unit.reports_to, sorted(parent))}",
        )


def _check_move(parent: Mapping[str, str | None], event: TimelineEvent, unit: str) -> str:
    """What is wrong with moving ``unit`` under ``event.reports_to`` ("" when nothing)."""
    target = event.reports_to
    if target not in parent:
        return (
            f"reports_to {target!r} names no unit present at month {event.month}"
            f"{did_you_mean(str(target), sorted(parent))}"
        )
    if target == unit:
        return f"{unit!r} cannot be moved under itself"
    if unit in _managers(parent, target):
        return (
            f"{unit!r} cannot be moved under {target!r}, which reports to it "
            f"(at month {event.month}); that would make a reporting-line cycle"
        )
    return ""


def _managers(parent: Mapping[str, str | None], unit: str | None) -> list[str]:
    """``unit`` and every manager above it, up to the top (stops on a cycle)."""
    chain: list[str] = []
    while unit is not None and unit in parent and unit not in chain:
        chain.append(unit)
        unit = parent[unit]
    return chain
